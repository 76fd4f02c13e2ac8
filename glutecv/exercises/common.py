"""Shared scaffolding so an exercise module is a config + a signal function + a rep judge.

Subclass :class:`SignalAnalyzer` and provide:

* class attributes: ``name``, ``description``, ``orientation``, ``views``, ``unilateral``,
  ``landmarks`` (what the signals read), ``phase_metric`` (name+unit of the phase signal, e.g.
  ``"hip_extension_deg"``), ``metric_views`` (metric -> (views, why); see
  :data:`glutecv.view.METRIC_VIEWS`) and ``default_config()`` returning a frozen dataclass
  that has at least ``counter: RepCounterConfig`` and ``min_visibility: float``;
* ``signals(pts, view) -> {series_key: (N,) array}``: per-frame numbers from gated landmark
  points (:class:`Points`, NaN where not visible). Written with :mod:`glutecv.geometry`, it
  runs unchanged on a whole clip (batch) and on one frame (live, N = 1);
* ``phase_keys(view) -> {side: series_key}``: the phase signal(s) to count reps on, ``{"both":
  key}`` for bilateral work or ``{"left": k1, "right": k2}`` (NaN where that side is not
  working) for unilateral work: one counter per side;
* ``judge_rep(rep: RepWindow) -> (metrics, faults)``: the exercise's own metrics and faults
  for one rep (standard ones are added for you, see :func:`standard_metrics`);
* optionally ``display_keys(view)`` (series key -> overlay label), ``rep_side(rep)`` (credit
  a rep counted on one combined signal to a side), ``detect_view(seq)`` (add view limits) and
  ``threshold_lines(view)``: the dashed threshold lines of the report's charts, a list of
  :func:`plot_line` (only declared lines are drawn; a line whose fault the view cannot judge,
  or whose series is missing, is dropped for you).

Batch (:meth:`SignalAnalyzer.analyze`): view detection, zero-phase smoothing
(:func:`glutecv.filters.smooth_sequence`), signals, :func:`glutecv.reps.count_reps` per side,
metrics and faults per rep. Live (:class:`SignalLiveAnalyzer`): causal one-euro smoothing, the
same signal function and the same counter one frame at a time, producing a
:class:`~glutecv.results.FrameState` per frame. Faults whose metric the view cannot support
(``ViewInfo.unsupported``) are dropped here, whatever the judge says.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, ClassVar

import numpy as np

from glutecv.exercises.base import Analyzer, ExerciseAnalysis, LiveAnalyzer
from glutecv.filters import BatchFilterConfig, smooth_sequence
from glutecv.geometry import visible_points
from glutecv.landmarks import Landmark, side_landmark
from glutecv.pose.store import is_on_disk, release
from glutecv.pose.types import PoseFrame, PoseSequence
from glutecv.reps import PHASE_UNKNOWN, RepCounterConfig, RepEvent, count_reps
from glutecv.results import FAULT_CODES, Fault, Rep, ThresholdLine, ViewInfo
from glutecv.view import detect_view, unsupported_metrics


# --- inputs of the exercise functions -----------------------------------------------------------
@dataclass(frozen=True)
class Points:
    """Gated landmark coordinates: ``image[lm]`` (N, 2) px and ``world[lm]`` (N, 3) m."""

    image: dict[Landmark, np.ndarray]
    world: dict[Landmark, np.ndarray]
    t_s: np.ndarray

    def __getitem__(self, lm: Landmark) -> np.ndarray:
        return self.image[lm]

    def side(self, side: str, joint: str, world: bool = False) -> np.ndarray:
        """``pts.side("left", "KNEE")`` -> the left knee (image, or world if asked)."""
        lm = side_landmark(side, joint)  # type: ignore[arg-type]
        return (self.world if world else self.image)[lm]

    @classmethod
    def from_pose(cls, pose: PoseSequence, landmarks: Iterable[Landmark],
                  min_visibility: float) -> Points:
        """Read ``landmarks`` from a sequence with the visibility gate applied."""
        lms = tuple(landmarks)
        return cls(visible_points(pose, lms, min_visibility),
                   visible_points(pose, lms, min_visibility, space="world"),
                   np.asarray(pose.t_s, dtype=float))


def _nan_stat(x: np.ndarray, fn: Any) -> float:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(fn(x)) if x.size else math.nan


@dataclass(frozen=True)
class RepWindow:
    """One counted rep with access to every series, for the exercise's judge."""

    event: RepEvent
    side: str
    series: dict[str, np.ndarray]
    view: ViewInfo

    def part(self, key: str, part: str = "rep") -> np.ndarray:
        """Values of ``series[key]`` over ``rep`` | ``top`` (the hold) | ``up`` | ``down``."""
        e = self.event
        lo, hi = {"rep": (e.start, e.end), "top": (e.top_start, e.top_end),
                  "up": (e.start, e.top_start), "down": (e.top_end, e.end)}[part]
        return np.asarray(self.series[key][lo:hi + 1], dtype=float)

    def at_peak(self, key: str) -> float:
        """``series[key]`` at the peak frame (NaN if missing)."""
        v = float(self.series[key][self.event.peak])
        return v if math.isfinite(v) else math.nan

    def mean(self, key: str, part: str = "top") -> float:
        """NaN-ignoring mean over a part of the rep (NaN if nothing valid)."""
        return _nan_stat(self.part(key, part), np.mean)

    def max(self, key: str, part: str = "rep") -> float:
        """NaN-ignoring max over a part of the rep."""
        return _nan_stat(self.part(key, part), np.max)

    def min(self, key: str, part: str = "rep") -> float:
        """NaN-ignoring min over a part of the rep."""
        return _nan_stat(self.part(key, part), np.min)

    def percentile(self, key: str, q: float, part: str = "top") -> float:
        """NaN-ignoring percentile (robust peak: one outlier frame does not make a fault)."""
        return _nan_stat(self.part(key, part), lambda x: np.percentile(x, q))


def person_present(pose: PoseSequence | PoseFrame) -> np.ndarray | bool:
    """Per frame: a person was detected (the hip landmark exists) and at least one landmark
    has all its image coordinates finite. Frames failing this are "nobody": an analyzer's
    series are missing there, so no rep is made of them."""
    image = np.asarray(pose.image, dtype=float)
    if image.ndim < 3:  # one frame
        return np.asarray(pose.detected) & np.isfinite(image).all(axis=-1).any(axis=-1)
    # A clip: one landmark at a time, the hip first, each only for the frames not settled
    # yet. Nearly every detected frame is settled by its hip, so a long clip on disk reads
    # ~3 columns instead of all 99, and no whole-clip (N, 33, 3) temporary is made.
    present = np.zeros(len(image), dtype=bool)
    todo = np.flatnonzero(np.asarray(pose.detected))
    order = (Landmark.LEFT_HIP, *(lm for lm in Landmark if lm != Landmark.LEFT_HIP))
    for lm in order:
        if todo.size == 0:
            break
        rows = image[:, int(lm), :] if todo.size == len(image) else image[todo, int(lm), :]
        ok = np.isfinite(rows).all(axis=-1)
        present[todo[ok]] = True
        todo = todo[~ok]
    return present


def fault(code: str, value: float, threshold: float, unit: str, message: str) -> Fault:
    """A :class:`Fault` with numbers rounded for reading."""
    return Fault(code, round(float(value), 2), round(float(threshold), 2), unit, message)


def standard_metrics(event: RepEvent, phase_metric: str) -> dict[str, float]:
    """Range of motion, peak, hold at the top, up/down tempo and duration of a rep.

    Names: ``range_of_motion_<unit>``, ``peak_<phase_metric>``, ``hold_s``, ``up_s``,
    ``down_s``, ``duration_s``; the unit is the last ``_`` part of ``phase_metric``.
    """
    unit = phase_metric.rsplit("_", 1)[-1]
    return {
        f"range_of_motion_{unit}": round(event.rom, 2),
        f"peak_{phase_metric}": round(event.peak_value, 2),
        "hold_s": round(event.hold_s, 3),
        "up_s": round(event.up_s, 3),
        "down_s": round(event.down_s, 3),
        "duration_s": round(event.end_s - event.start_s, 3),
    }


def config_thresholds(config: Any, prefix: str = "") -> dict[str, float]:
    """Every numeric field of a (nested) config dataclass, flattened ``a.b`` -> value."""
    out: dict[str, float] = {}
    if not is_dataclass(config):
        return out
    for f in fields(config):
        v = getattr(config, f.name)
        if is_dataclass(v):
            out.update(config_thresholds(v, f"{prefix}{f.name}."))
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            out[f"{prefix}{f.name}"] = float(v)
    return out


@dataclass(frozen=True)
class PlotLine:
    """An analyzer's declaration of one threshold line (see :func:`plot_line`)."""

    keys: tuple[str, ...]
    line: ThresholdLine
    fault: str | None = None


def plot_line(keys: str | Iterable[str], label: str, value: float, *,
              from_rep_start: bool = False, fault: str | None = None) -> PlotLine:
    """Declare a threshold line for the report's chart of the series ``keys``.

    ``keys``: one series key or several; ``{side}`` in a key stands for ``left`` and
    ``right`` (``"opening_{side}_deg"``). ``value`` is in the series' unit. Set
    ``from_rep_start`` when the threshold is a change from the rep's start (range of motion,
    a roll-back): the report then draws it during each rep, at the series' value at that rep's
    start + ``value``, never across the absolute scale. ``fault``: the fault code this line
    judges; the line is left out when the view cannot judge that fault.
    """
    raw = (keys,) if isinstance(keys, str) else tuple(keys)
    expanded = tuple(k.format(side=s) if "{side}" in k else k
                     for k in raw for s in (("left", "right") if "{side}" in k else ("",)))
    return PlotLine(expanded, ThresholdLine(label, float(value),
                                            "rep_start" if from_rep_start else None), fault)


def collect_plot_lines(lines: Iterable[PlotLine], series: Iterable[str],
                       view: ViewInfo) -> dict[str, tuple[ThresholdLine, ...]]:
    """Declarations -> ``{series key: lines}`` for the series present, without the lines of
    faults the view cannot judge."""
    present = set(series)
    out: dict[str, tuple[ThresholdLine, ...]] = {}
    for decl in lines:
        if decl.fault is not None and decl.fault in view.unsupported:
            continue
        for key in decl.keys:
            if key in present:
                out[key] = out.get(key, ()) + (decl.line,)
    return out


# --- the analyzer ------------------------------------------------------------------------------
class SignalAnalyzer(Analyzer):
    """An :class:`Analyzer` made of a signal function, phase keys and a rep judge."""

    landmarks: ClassVar[tuple[Landmark, ...]]
    phase_metric: ClassVar[str] = "angle_deg"
    metric_views: ClassVar[dict[str, tuple[tuple[str, ...], str]]] = {}

    # -- what a subclass writes --
    @abstractmethod
    def signals(self, pts: Points, view: ViewInfo) -> dict[str, np.ndarray]:
        """Per-frame series (N,) from gated points; keys carry units."""

    @abstractmethod
    def phase_keys(self, view: ViewInfo) -> dict[str, str]:
        """``{side: series key}`` of the phase signal(s) to count reps on."""

    @abstractmethod
    def judge_rep(self, rep: RepWindow) -> tuple[dict[str, float], list[Fault]]:
        """The exercise's own metrics and faults for one rep."""

    def display_keys(self, view: ViewInfo) -> dict[str, str]:
        """Series key -> overlay/plot label (default: none)."""
        return {}

    def rep_side(self, rep: RepWindow) -> str:
        """The side a rep is credited to (default: the counter's side). Unilateral exercises
        counted on one combined signal override this, e.g. from which foot is on the floor."""
        return rep.side

    # -- overridable defaults --
    def counter_config(self) -> RepCounterConfig:
        """The rep counter settings (default: ``config.counter``)."""
        return self.config.counter

    def counter_config_for(self, view: ViewInfo) -> RepCounterConfig:
        """The counter settings for this view's phase signal (default: :meth:`counter_config`;
        an analyzer whose phase signal changes with the view, in another unit, overrides it)."""
        return self.counter_config()

    def phase_metric_for(self, view: ViewInfo) -> str:
        """Name + unit of the phase signal in this view (default: ``phase_metric``); names the
        standard metrics (``range_of_motion_<unit>``, ``peak_<phase metric>``)."""
        return self.phase_metric

    @property
    def min_visibility(self) -> float:
        """Landmark visibility gate (default: ``config.min_visibility`` or 0.5)."""
        return float(getattr(self.config, "min_visibility", 0.5))

    def filter_config(self) -> BatchFilterConfig:
        """Batch smoothing settings (default: ``config.filter`` or the defaults)."""
        return getattr(self.config, "filter", None) or BatchFilterConfig(
            min_visibility=self.min_visibility)

    def detect_view(self, seq: PoseSequence) -> ViewInfo:
        """The clip's view with this exercise's unsupported metrics filled in."""
        v = detect_view(seq)
        return ViewInfo(v.camera, v.orientation, v.facing_side, v.working_side, v.confidence,
                        unsupported_metrics(v, self.metric_views))

    def report_thresholds(self) -> dict[str, float]:
        """The thresholds listed in the result and the report (default: every numeric config
        field). Chart lines are declared separately, by :meth:`threshold_lines`."""
        return config_thresholds(self.config)

    def threshold_lines(self, view: ViewInfo) -> list[PlotLine]:
        """Dashed threshold lines for the report's charts, made with :func:`plot_line`
        (default: none; only declared lines are drawn)."""
        return []

    # -- shared machinery --
    def make_rep(self, event: RepEvent, series: dict[str, np.ndarray],
                 view: ViewInfo) -> Rep:
        """Standard metrics + the judge's metrics and faults (unsupported ones dropped)."""
        window = RepWindow(event, event.side, series, view)
        metrics = standard_metrics(event, self.phase_metric_for(view))
        extra, faults = self.judge_rep(window)
        side = self.rep_side(window)
        metrics.update({k: (round(float(v), 3) if math.isfinite(float(v)) else math.nan)
                        for k, v in extra.items()})
        kept = tuple(f for f in faults if f.code in FAULT_CODES
                     and f.code not in view.unsupported and math.isfinite(f.value))
        return Rep(0, side if side in ("left", "right") else "both",  # type: ignore[arg-type]
                   event.start_s, event.peak_s, event.end_s, metrics, kept)

    def finish_analysis(self, view: ViewInfo, series: dict[str, np.ndarray],
                        reps: list[Rep], detected: np.ndarray) -> ExerciseAnalysis:
        """Number the reps, fill the working side, warnings, display and thresholds."""
        reps = sorted(reps, key=lambda r: (r.start_s, r.side))
        numbered = tuple(Rep(i + 1, r.side, r.start_s, r.peak_s, r.end_s, r.metrics, r.faults)
                         for i, r in enumerate(reps))
        sides = sorted({r.side for r in numbered})
        working = view.working_side
        if working is None:
            working = ("both" if not self.unilateral or len(sides) != 1 else sides[0]) \
                if sides else None
        view = ViewInfo(view.camera, view.orientation, view.facing_side, working,
                        view.confidence, view.unsupported)
        warnings = [f"{m} not measured: {why}" for m, why in view.unsupported.items()]
        n = len(detected)
        if n and not detected.any():   # same wording as the pipeline, so duplicates merge
            warnings.append("no person was detected in any frame")
        elif n and detected.mean() < 0.5:
            warnings.append(f"a person was detected in only {detected.mean():.0%} of the frames")
        if view.orientation not in ("unknown", self.orientation):
            warnings.append(f"the body looks {view.orientation.replace('_', '-')}, but "
                            f"{self.name} is done {self.orientation.replace('_', '-')}")
        display = {k: v for k, v in self.display_keys(view).items() if k in series}
        lines = collect_plot_lines(self.threshold_lines(view), series, view)
        return ExerciseAnalysis(self.name, view, numbered, series, self.report_thresholds(),
                                display, tuple(warnings), lines)

    def smoothed_points(self, seq: PoseSequence) -> Points:
        """Smoothed, gated points of :attr:`landmarks` (:func:`smooth_sequence`).

        Landmarks on disk are smoothed one at a time (smoothing is per landmark, so the
        values are the same), dropping each copy-on-write copy and the pages read before
        the next: memory holds one landmark's columns at a time, not all of them.
        """
        if not is_on_disk(seq):
            smoothed = smooth_sequence(seq, self.filter_config(), self.landmarks)
            return Points.from_pose(smoothed, self.landmarks, self.min_visibility)
        image: dict[Landmark, np.ndarray] = {}
        world: dict[Landmark, np.ndarray] = {}
        for lm in dict.fromkeys(self.landmarks):
            one = Points.from_pose(smooth_sequence(seq, self.filter_config(), (lm,)), (lm,),
                                   self.min_visibility)
            image.update(one.image)
            world.update(one.world)
            release(seq)
        return Points(image, world, np.asarray(seq.t_s, dtype=float))

    def analyze(self, seq: PoseSequence) -> ExerciseAnalysis:
        """Batch analysis: smooth, signals, count per side, judge each rep."""
        view = self.detect_view(seq)
        release(seq)  # landmarks on disk: drop the pages each stage read (a no-op in memory)
        pts = self.smoothed_points(seq)
        # Frames where nobody was detected stay missing even though smoothing bridged their
        # landmarks: a rep is never made of frames with nobody in them (live does the same).
        seen = person_present(seq)
        series = {k: np.where(seen, np.asarray(v, dtype=float).reshape(len(seq)), np.nan)
                  for k, v in self.signals(pts, view).items()}
        t = np.asarray(seq.t_s, dtype=float)
        phase = np.full(len(seq), float(PHASE_UNKNOWN))
        reps: list[Rep] = []
        for side, key in self.phase_keys(view).items():
            events, ph = count_reps(t, series[key], self.counter_config_for(view), side)
            active = np.isfinite(series[key])
            phase = np.where(active & ((ph > 0) | (phase < 0)), ph, phase)
            reps.extend(self.make_rep(ev, series, view) for ev in events)
        series = {"t_s": t, **series, "phase": phase}
        return self.finish_analysis(view, series, reps, seq.detected)

    def stream(self, fps_hint: float = 30.0) -> LiveAnalyzer:
        """A live analyzer running the same signals and counter causally."""
        from glutecv.exercises._live import SignalLiveAnalyzer

        return SignalLiveAnalyzer(self, fps_hint)


def __getattr__(name: str) -> Any:
    """``common.SignalLiveAnalyzer`` without an import cycle at module load."""
    if name == "SignalLiveAnalyzer":
        from glutecv.exercises._live import SignalLiveAnalyzer

        return SignalLiveAnalyzer
    raise AttributeError(name)
