"""Which charts a session gets: angle series over time (left/right paired) and per-rep bars."""

from __future__ import annotations

import re

from glutecv.report.format import metric_label, nice_name, split_unit
from glutecv.report.stats import key_metrics, rep_numbers
from glutecv.report.svg import PALETTE, SIDE_COLOURS, Line, Span, bar_chart, line_chart
from glutecv.results import AnalysisResult

_SIDE_WORDS = {"left": "left", "l": "left", "right": "right", "r": "right"}
_QUALIFIERS = {"min", "max", "limit", "threshold", "target", "top", "bottom", "peak", "enter",
               "exit", "lockout", "start", "end", "warn", "fault", "minimum", "maximum", "depth"}
_NOT_PLOTTED = {"t_s", "phase"}


def _tokens(name: str) -> list[str]:
    return [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]


def series_groups(result: AnalysisResult) -> dict[str, list[str]]:
    """Series keys grouped by quantity with the side removed (left and right share a chart)."""
    keys = [k for k in (result.display or result.series) if k in result.series
            and k not in _NOT_PLOTTED]
    groups: dict[str, list[str]] = {}
    for key in keys:
        base, unit = split_unit(key)
        group = "_".join(w for w in _tokens(base) if w not in _SIDE_WORDS)
        groups.setdefault(f"{group}|{unit}", []).append(key)
    return groups


def _side_of(key: str) -> str | None:
    sides = {_SIDE_WORDS[w] for w in _tokens(split_unit(key)[0]) if w in _SIDE_WORDS}
    return sides.pop() if len(sides) == 1 else None


def thresholds_for(result: AnalysisResult, group: str, unit: str) -> list[tuple[str, float]]:
    """Thresholds whose name (without qualifiers like ``min``/``limit``) names this quantity."""
    want = set(group.split("_"))
    found = []
    for name, value in result.thresholds.items():
        base, t_unit = split_unit(name)
        words = {w for w in _tokens(base) if w not in _QUALIFIERS and w not in _SIDE_WORDS}
        if words and words <= want and (t_unit == unit or not t_unit):
            found.append((nice_name(base), value))
    return found


def rep_spans(result: AnalysisResult) -> list[Span]:
    """Every rep as a labelled span (``3L`` = third rep, left side)."""
    return [Span(r.start_s, r.end_s, r.good, rep_tag(n, r.side))
            for n, r in zip(rep_numbers(result.reps), result.reps, strict=True)]


def rep_tag(n: int, side: str) -> str:
    """``"3"`` or ``"3L"`` for a one-sided rep."""
    return f"{n}{side[0].upper()}" if side in ("left", "right") else str(n)


def angle_charts(result: AnalysisResult, video_id: str | None) -> list[str]:
    """One SVG chart per quantity (e.g. hip extension, left and right lines)."""
    t = result.series.get("t_s", [])
    spans = rep_spans(result)
    charts = []
    for group_key, keys in series_groups(result).items():
        group, unit = group_key.split("|")
        lines = []
        for i, key in enumerate(keys):
            side = _side_of(key)
            colour = SIDE_COLOURS.get(side or "", PALETTE[i % len(PALETTE)])
            lines.append(Line(result.display.get(key, nice_name(split_unit(key)[0])),
                              result.series[key], colour))
        title = f"{nice_name(group)} ({unit})" if unit else nice_name(group)
        unit_symbol = unit
        charts.append(line_chart(t, lines, spans, thresholds_for(result, group, unit),
                                 title=title, unit=unit_symbol, video_id=video_id))
    return charts


def rep_bar_charts(result: AnalysisResult, video_id: str | None) -> list[str]:
    """Per-rep bars of the key metrics (ROM, peaks...)."""
    charts = []
    for name in key_metrics(result):
        bars = [(rep_tag(n, r.side), r.metrics.get(name, float("nan")), r.good, r.start_s)
                for n, r in zip(rep_numbers(result.reps), result.reps, strict=True)]
        chart = bar_chart(bars, title=metric_label(name), unit=split_unit(name)[1],
                          video_id=video_id)
        if chart:
            charts.append(chart)
    return charts
