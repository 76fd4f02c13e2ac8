"""Which charts a session gets: angle series over time (left/right paired) and per-rep bars."""

from __future__ import annotations

import math
import re

import numpy as np

from glutecv.report.format import metric_label, nice_name, split_unit
from glutecv.report.stats import key_metrics, rep_numbers
from glutecv.report.svg import (
    PALETTE,
    SIDE_COLOURS,
    Line,
    Segment,
    Span,
    bar_chart,
    line_chart,
)
from glutecv.results import AnalysisResult

_SIDE_WORDS = {"left": "left", "l": "left", "right": "right", "r": "right"}
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


def threshold_lines(result: AnalysisResult, keys: list[str]
                    ) -> tuple[list[tuple[str, float]], list[Segment]]:
    """The threshold lines the analyzer declared for the series ``keys`` of one chart.

    Returns the lines on the series' own scale (``(label, value)``, drawn across the chart,
    once even if declared on both the left and the right series) and the lines relative to
    each rep's start, as one :class:`Segment` per rep at that series' start value + the
    threshold. Nothing is guessed from threshold names: a result without declarations (one
    written before they existed) gets no lines.
    """
    flat: dict[tuple[str, float], None] = {}
    segments: list[Segment] = []
    t = np.asarray(result.series.get("t_s", []), dtype=float)
    numbers = rep_numbers(result.reps)
    for key in keys:
        side = _side_of(key)
        values = np.asarray(result.series.get(key, []), dtype=float)
        for line in result.plot_thresholds.get(key, ()):
            label = nice_name(line.label)
            if line.relative_to is None:
                flat[(label, line.value)] = None
                continue
            for n, rep in zip(numbers, result.reps, strict=True):
                if side is not None and rep.side not in (side, "both"):
                    continue
                base = _start_value(t, values, rep.start_s)
                segments.append(Segment(label, rep.start_s, rep.end_s, base + line.value,
                                        line.value, rep_tag(n, rep.side)))
    return list(flat), [s for s in segments if math.isfinite(s.value)]


def _start_value(t: np.ndarray, values: np.ndarray, start_s: float) -> float:
    """The series at a rep's start: median of the 5 frames around it (NaN if none valid)."""
    if not (len(t) and math.isfinite(start_s)):
        return math.nan
    i = int(np.searchsorted(t, start_s))
    window = values[max(0, i - 2):i + 3]
    window = window[np.isfinite(window)]
    return float(np.median(window)) if window.size else math.nan


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
        flat, segments = threshold_lines(result, keys)
        charts.append(line_chart(t, lines, spans, flat, segments=segments,
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
