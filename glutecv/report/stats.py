"""Numbers the report shows about a session: counts, fault tallies, left/right symmetry.

The analyzers already measured everything per rep; this only aggregates those numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from glutecv.results import CUES, AnalysisResult, Rep


@dataclass(frozen=True)
class SideComparison:
    """A metric's mean on each side and how far apart they are."""

    metric: str
    left: float
    right: float

    @property
    def difference(self) -> float:
        """|L - R| in the metric's unit."""
        return abs(self.left - self.right)

    @property
    def difference_pct(self) -> float:
        """|L - R| / max(|L|, |R|) in percent (0 = symmetric); NaN when the two have
        opposite signs or one is zero, where a percentage means nothing."""
        if not (math.isfinite(self.left) and math.isfinite(self.right)):
            return math.nan
        if self.left * self.right <= 0:
            return math.nan
        return abs(self.left - self.right) / max(abs(self.left), abs(self.right)) * 100.0


def metric_names(reps: tuple[Rep, ...] | list[Rep]) -> list[str]:
    """Every metric name used by any rep, in first-seen order."""
    names: list[str] = []
    for rep in reps:
        names.extend(n for n in rep.metrics if n not in names)
    return names


def rep_numbers(reps: tuple[Rep, ...] | list[Rep]) -> list[int]:
    """The number shown for each rep: its own 1-based index, or its position when the
    indexes are not a usable numbering (zeros or repeats)."""
    idx = [r.index for r in reps]
    if all(i >= 1 for i in idx) and len(set(idx)) == len(idx):
        return idx
    return list(range(1, len(reps) + 1))


def mean_metric(reps: list[Rep], name: str) -> float:
    """Mean of a metric over the reps that have a finite value (NaN if none)."""
    vals = [r.metrics.get(name, math.nan) for r in reps]
    vals = [v for v in vals if isinstance(v, int | float) and math.isfinite(v)]
    return float(np.mean(vals)) if vals else math.nan


def symmetry(result: AnalysisResult) -> list[SideComparison]:
    """Left vs right means of every metric, for sessions with reps on both sides."""
    left = [r for r in result.reps if r.side == "left"]
    right = [r for r in result.reps if r.side == "right"]
    if not left or not right:
        return []
    return [SideComparison(m, mean_metric(left, m), mean_metric(right, m))
            for m in metric_names(result.reps)]


def fault_counts(result: AnalysisResult) -> list[tuple[str, int]]:
    """(fault code, reps with it), most important fault first (the order of CUES)."""
    counts = result.summary()["fault_counts"]
    order = {c: i for i, c in enumerate(CUES)}
    return sorted(counts.items(), key=lambda kv: (order.get(kv[0], 99), kv[0]))


def key_metrics(result: AnalysisResult, limit: int = 3) -> list[str]:
    """The metrics worth a bar chart: range of motion and peaks first, then the others."""
    names = metric_names(result.reps)

    def rank(name: str) -> int:
        low = name.lower()
        if "rom" in low.split("_") or "range" in low:
            return 0
        if "peak" in low or "max" in low:
            return 1
        if "hold" in low or "duration" in low or "tempo" in low:
            return 3
        return 2

    return sorted(names, key=lambda n: (rank(n), names.index(n)))[:limit]


def duration_s(result: AnalysisResult) -> float:
    """The clip length in seconds (video facts, else the last sample time)."""
    d = result.video.get("duration_s") if isinstance(result.video, dict) else None
    if isinstance(d, int | float) and math.isfinite(d):
        return float(d)
    t = [x for x in result.series.get("t_s", []) if math.isfinite(x)]
    return t[-1] if t else math.nan
