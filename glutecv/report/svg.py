"""Inline SVG charts generated in Python: angle-over-time lines and per-rep bars.

No plotting library and no script is needed to see them; they print well. Charts carry
``data-*`` attributes so the report's small script can seek the video on click and draw a
playhead. Every label passes through :func:`glutecv.report.format.esc`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from glutecv.report.format import esc

GOOD, BAD = "#2e8b47", "#c8362f"
SIDE_COLOURS = {"left": "#e8890c", "right": "#1f7fc4"}
PALETTE = ("#1f7fc4", "#e8890c", "#6a4fb3", "#2e8b47", "#b8457a", "#4d4d4d")
MAX_POINTS = 1200  # per line; longer series are decimated (min/max per bucket keeps peaks)


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[float]
    colour: str


@dataclass(frozen=True)
class Span:
    """A rep on the time axis."""

    start_s: float
    end_s: float
    good: bool
    label: str


@dataclass(frozen=True)
class Segment:
    """A threshold relative to a rep's start, drawn over that rep only: ``value`` is where
    it lies on the chart (start value + ``offset``)."""

    label: str
    start_s: float
    end_s: float
    value: float
    offset: float
    rep: str


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering [lo, hi] (1-2-5 steps)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(count, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step + 1e-9) + 1)]


def _fmt_tick(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 1e-9 else f"{v:g}"


def _signed(v: float) -> str:
    """``+18`` / ``-5.5``: a change, with its sign."""
    return ("+" if v >= 0 else "-") + _fmt_tick(round(abs(v), 1))


def _decimate(t: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """At most ~MAX_POINTS points, keeping each bucket's min and max (and NaN gaps)."""
    n = len(t)
    if n <= MAX_POINTS:
        return t, y
    buckets = MAX_POINTS // 2
    edges = np.linspace(0, n, buckets + 1).astype(int)
    keep: list[int] = []
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        seg = y[a:b]
        finite = np.isfinite(seg)
        if not finite.any():
            keep.append(a)
            continue
        if not finite.all():
            keep.append(a + int(np.argmin(finite)))  # keep one NaN: the gap stays a gap
        idx = np.flatnonzero(finite)
        lo, hi = a + idx[np.argmin(seg[idx])], a + idx[np.argmax(seg[idx])]
        keep.extend(sorted({int(lo), int(hi)}))
    sel = np.array(sorted(set(keep)))
    return t[sel], y[sel]


def _path(xs: np.ndarray, ys: np.ndarray) -> str:
    """An SVG path through the finite points; NaN breaks the line."""
    parts: list[str] = []
    pen_down = False
    for x, y in zip(xs, ys, strict=True):
        if not (math.isfinite(x) and math.isfinite(y)):
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
        pen_down = True
    return "".join(parts)


def line_chart(t_s: Sequence[float], lines: Sequence[Line], spans: Sequence[Span],
               thresholds: Sequence[tuple[str, float]], *, title: str, unit: str = "°",
               video_id: str | None = None, width: int = 1000, height: int = 210,
               segments: Sequence[Segment] = ()) -> str:
    """Angles over time: coloured lines, reps as shaded bands (green good / red faulty),
    thresholds as dashed lines across the chart, and thresholds relative to a rep's start
    as dashed lines over that rep only (``segments``). Clicking seeks ``video_id`` (via the
    report script)."""
    left, right, top, bottom = 46, width - 14, 24, height - 28
    t = np.asarray(t_s, dtype=float)
    finite_t = t[np.isfinite(t)]
    if finite_t.size < 2:
        return f'<p class="empty">{esc(title)}: no data</p>'
    t0, t1 = float(finite_t.min()), float(finite_t.max())
    values = [np.asarray(ln.values, dtype=float)[: len(t)] for ln in lines]
    pool = np.concatenate([v[np.isfinite(v)] for v in values] + [np.array([])])
    pool = np.concatenate([pool, [v for _, v in thresholds if math.isfinite(v)],
                           [g.value for g in segments if math.isfinite(g.value)]])
    if pool.size == 0:
        return f'<p class="empty">{esc(title)}: no measurable frames</p>'
    lo, hi = float(pool.min()), float(pool.max())
    pad = max((hi - lo) * 0.08, 1.0)
    lo, hi = lo - pad, hi + pad

    def sx(v: np.ndarray | float) -> np.ndarray | float:
        return left + (np.asarray(v) - t0) / (t1 - t0) * (right - left)

    def sy(v: np.ndarray | float) -> np.ndarray | float:
        return bottom - (np.asarray(v) - lo) / (hi - lo) * (bottom - top)

    out = [f'<svg class="chart line-chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{esc(title)}" data-t0="{t0:.4f}" data-t1="{t1:.4f}" '
           f'data-left="{left}" data-right="{right}" data-width="{width}"'
           + (f' data-video="{esc(video_id)}"' if video_id else "") + ">",
           f'<text class="chart-title" x="{left}" y="15">{esc(title)}</text>']
    for span in spans:
        if not (math.isfinite(span.start_s) and math.isfinite(span.end_s)):
            continue
        x0, x1 = float(sx(span.start_s)), float(sx(span.end_s))
        cls = "rep-band good" if span.good else "rep-band bad"
        out.append(f'<rect class="{cls}" x="{x0:.1f}" y="{top}" width="{max(x1 - x0, 1):.1f}" '
                   f'height="{bottom - top}"><title>{esc(span.label)}</title></rect>')
        out.append(f'<text class="rep-label" x="{(x0 + x1) / 2:.1f}" y="{top + 11}">'
                   f'{esc(span.label)}</text>')
    for v in nice_ticks(lo, hi, 4):
        y = float(sy(v))
        out.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="tick y" x="{left - 5}" y="{y + 4:.1f}">{_fmt_tick(v)}</text>')
    for v in nice_ticks(t0, t1, 8):
        x = float(sx(v))
        out.append(f'<text class="tick x" x="{x:.1f}" y="{bottom + 16}">{_fmt_tick(v)} s</text>')
    out.append(f'<line class="axis" x1="{left}" x2="{right}" y1="{bottom}" y2="{bottom}"/>')
    for label, v in thresholds:
        if not math.isfinite(v):
            continue
        y = float(sy(v))
        out.append(f'<line class="threshold" x1="{left}" x2="{right}" y1="{y:.1f}" '
                   f'y2="{y:.1f}"/><text class="threshold-label" x="{right - 4}" '
                   f'y="{y - 4:.1f}">{esc(label)} {_fmt_tick(round(v, 1))}{esc(unit)}</text>')
    for g in segments:
        if not all(math.isfinite(x) for x in (g.start_s, g.end_s, g.value)):
            continue
        x0, x1, y = float(sx(g.start_s)), float(sx(g.end_s)), float(sy(g.value))
        out.append(f'<line class="threshold relative" x1="{x0:.1f}" x2="{max(x1, x0 + 1):.1f}" '
                   f'y1="{y:.1f}" y2="{y:.1f}"><title>{esc(g.rep)}: {esc(g.label)}, '
                   f'{_signed(g.offset)}{esc(unit)} from the rep\'s start</title></line>')
    for ln, v in zip(lines, values, strict=True):
        tt, vv = _decimate(t[: len(v)], v)
        d = _path(np.asarray(sx(tt)), np.asarray(sy(vv)))
        if d:
            out.append(f'<path class="series" d="{d}" stroke="{esc(ln.colour)}">'
                       f'<title>{esc(ln.label)}</title></path>')
    out.append(f'<line class="playhead" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"/>')
    out.append("</svg>")
    legend = "".join(f'<span class="key"><i style="background:{esc(ln.colour)}"></i>'
                     f'{esc(ln.label)}</span>' for ln in lines)
    relative = dict.fromkeys((g.label, g.offset) for g in segments)
    legend += "".join(f'<span class="key threshold-key"><i class="dash"></i>{esc(label)}: '
                      f'{_signed(offset)}{esc(unit)} from the rep\'s start</span>'
                      for label, offset in relative)
    return f'<figure class="plot">{"".join(out)}<figcaption>{legend}</figcaption></figure>'


def bar_chart(bars: Sequence[tuple[str, float, bool, float]], *, title: str, unit: str,
              video_id: str | None = None, width: int = 360, height: int = 180,
              colours: Sequence[str] | None = None) -> str:
    """Per-rep bars ``(label, value, good, start_s)``: green good, red faulty; a click on a
    bar seeks ``video_id`` to that rep's start."""
    left, right, top, bottom = 40, width - 8, 24, height - 26
    vals = np.array([b[1] for b in bars], dtype=float)
    finite = vals[np.isfinite(vals)]
    if finite.size == 0:
        return ""
    lo = min(0.0, float(finite.min()))
    hi = max(float(finite.max()), lo + 1e-6) * 1.1
    n = len(bars)
    slot = (right - left) / n
    bw = max(min(slot * 0.7, 40.0), 1.0)
    out = [f'<svg class="chart bar-chart" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{esc(title)}">',
           f'<text class="chart-title" x="{left}" y="15">{esc(title)}</text>']
    for v in nice_ticks(lo, hi, 3):
        y = bottom - (v - lo) / (hi - lo) * (bottom - top)
        out.append(f'<line class="grid" x1="{left}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                   f'<text class="tick y" x="{left - 5}" y="{y + 4:.1f}">{_fmt_tick(v)}</text>')
    y_zero = bottom - (0 - lo) / (hi - lo) * (bottom - top)
    for i, (label, v, good, start) in enumerate(bars):
        x = left + slot * i + (slot - bw) / 2
        cls = "bar good" if good else "bar bad"
        attrs = (f' data-start="{start:.4f}" data-video="{esc(video_id)}"'
                 if video_id and math.isfinite(start) else "")
        fill = f' style="fill:{esc(colours[i])}"' if colours else ""
        if math.isfinite(v):
            y = bottom - (v - lo) / (hi - lo) * (bottom - top)
            y0, y1 = min(y, y_zero), max(y, y_zero)
            out.append(f'<rect class="{cls}"{fill}{attrs} x="{x:.1f}" y="{y0:.1f}" '
                       f'width="{bw:.1f}" height="{max(y1 - y0, 0.5):.1f}"><title>'
                       f'{esc(label)}: {v:.1f}{esc(unit)}</title></rect>')
        if n <= 30 or i % max(1, n // 15) == 0:
            out.append(f'<text class="tick x" x="{x + bw / 2:.1f}" y="{bottom + 14}">'
                       f'{esc(label)}</text>')
    out.append(f'<line class="axis" x1="{left}" x2="{right}" y1="{y_zero:.1f}" '
               f'y2="{y_zero:.1f}"/></svg>')
    return f'<figure class="plot bars">{"".join(out)}</figure>'
