"""Batch analysis shot by shot, for the analysis-more analyzers (clamshell, fire hydrant, squat,
lunge).

Edited clips cut between camera angles. Across a hard cut the landmarks jump to a new place and
size in one frame; smoothing across the cut and counting a "rep" that starts in one shot and
ends in another both make fake reps. :func:`find_cuts` finds those frames, and
:class:`ShotCountingMixin` smooths, measures and counts each shot on its own.

It also counts a **leading rep** where the exercise's working (concentric) half brings the
phase signal back down to rest (squats and lunges: standing up): when a shot opens deep in the
movement (the descent happened before recording or before the cut) and the person then stands,
that rep is counted, as people count it; a shot that ends at the bottom is not.

Analyzers whose config has a ``setup_step`` (:class:`SetupStepConfig`; squat, lunge) drop a
first rep that only **steps into position** (:func:`is_setup_step`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from glutecv.exercises.base import ExerciseAnalysis
from glutecv.filters import frame_rate, smooth_sequence
from glutecv.landmarks import Landmark as L
from glutecv.pose.types import PoseSequence
from glutecv.reps import PHASE_REST, PHASE_UNKNOWN, RepCounterConfig, RepEvent, count_reps
from glutecv.results import ViewInfo

_TRACKED = (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE,
            L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE)
# A cut: from one frame to the next the body's landmarks move by more than 30% of its size, or
# by more than 15% while its size changes by more than 20%, or its size changes by more than
# 65% (x1.65 or /1.65). Real movement at >= 10 fps moved the body < 10% a frame in our clips.
CUT_MOVE = 0.30
CUT_MOVE_WITH_SCALE = 0.15
CUT_SCALE_WITH_MOVE = 0.2   # |log(size ratio)|
CUT_SCALE = 0.5             # |log(size ratio)|


def measured(value: float, metric: str, view: ViewInfo) -> float:
    """``value``, or NaN when the view cannot support ``metric`` (``view.unsupported``): a
    number the camera cannot show is not reported as if it were measured."""
    return math.nan if metric in view.unsupported else float(value)


def find_cuts(seq: PoseSequence) -> list[int]:
    """Indices of frames that begin a new camera shot (sorted; 0 is not included)."""
    n = len(seq)
    if n < 2:
        return []
    p = seq.image[:, list(_TRACKED), :2]
    with np.errstate(invalid="ignore"), _quiet():
        size = np.linalg.norm(np.nanmax(p, axis=1) - np.nanmin(p, axis=1), axis=-1)
        move = np.nanmedian(np.linalg.norm(p[1:] - p[:-1], axis=-1), axis=1) / size[:-1]
        scale = np.abs(np.log(size[1:] / size[:-1]))
        cut = (move > CUT_MOVE) | (scale > CUT_SCALE) | (
            (move > CUT_MOVE_WITH_SCALE) & (scale > CUT_SCALE_WITH_MOVE))
    return [int(i) + 1 for i in np.flatnonzero(np.nan_to_num(cut))]


class _quiet:
    def __enter__(self) -> None:
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: object) -> None:
        self._ctx.__exit__(*exc)


def _shift(e: RepEvent, offset: int, t: np.ndarray) -> RepEvent:
    """``e`` with indices moved by ``offset`` into the clip (clamped at the shot's first frame
    ``-offset`` would be; used for the one virtual rest sample of a leading rep)."""
    def mv(i: int) -> int:
        return min(max(i + offset, 0), len(t) - 1)

    return replace(e, start=mv(e.start), peak=mv(e.peak), end=mv(e.end),
                   top_start=mv(e.top_start), top_end=mv(e.top_end),
                   start_s=float(t[mv(e.start)]), peak_s=float(t[mv(e.peak)]),
                   end_s=float(t[mv(e.end)]), top_start_s=float(t[mv(e.top_start)]),
                   top_end_s=float(t[mv(e.top_end)]))


def count_shot(t: np.ndarray, x: np.ndarray, cfg: RepCounterConfig, side: str,
               leading: bool) -> tuple[list[RepEvent], np.ndarray]:
    """:func:`glutecv.reps.count_reps` on one shot, with the leading rep if asked for."""
    ok = np.flatnonzero(np.isfinite(x))
    rest = float(np.percentile(x[ok], cfg.rest_percentile)) if ok.size else math.nan
    fps = frame_rate(t)
    dt = 1.0 / fps if math.isfinite(fps) else 1 / 30
    if (leading and ok.size and math.isfinite(rest) and x[ok[0]] - rest >= cfg.min_rom
            and t[ok[0]] - t[0] <= cfg.max_gap_s):
        if ok[0] > 0:  # the virtual rest sample takes the empty frame just before the first
            xx = x.copy()   # valid one, so time keeps running forward
            xx[ok[0] - 1] = rest
            return count_reps(t, xx, cfg, side)
        tt = np.concatenate([[t[0] - dt], t])
        xx = np.concatenate([[rest], x])
        events, ph = count_reps(tt, xx, cfg, side)
        return [_shift(e, -1, t) for e in events], ph[1:]
    return count_reps(t, x, cfg, side)


@dataclass(frozen=True)
class SetupStepConfig:
    """Stepping into position (see :func:`is_setup_step`); lengths in leg lengths."""

    # The feet stood elsewhere before the first rep than between the set's later reps by more
    # than 0.3 leg lengths (~25 cm, a real step; the stance at rest wobbles by < 0.1).
    min_step_leg: float = 0.3
    # ...and the first rep reached below 75% of the later reps' median depth (walking a bar
    # out of the rack bent the knee ~60 deg in a real clip whose loaded reps reach ~100).
    max_depth_fraction: float = 0.75
    # The stance before the first rep: its rest frames in this many seconds before it.
    lookback_s: float = 1.5
    # Fewer measured rest frames than this (before, or between the later reps): keep the rep.
    min_rest_frames: int = 5


def is_setup_step(events: list[RepEvent], phase: np.ndarray, t: np.ndarray,
                  stance: np.ndarray, cfg: SetupStepConfig) -> bool:
    """Whether ``events[0]`` (one shot's reps) is stepping into position, not a rep.

    A set can open by walking a bar out of the rack or stepping into a split stance with a
    shallow knee bend. That first "rep" moves the feet to where they then stay for the set and
    is much shallower than the set's reps. A shallow first rep in an unchanged stance is a
    partial rep and is kept. ``stance`` (N, 2): the feet's relative position per frame in leg
    lengths (:func:`glutecv.exercises._standing.foot_stance`); ``phase``: the counter's codes.
    Needs two later reps and enough measured rest frames; otherwise the rep is kept.
    """
    if len(events) < 3:
        return False
    first, later = events[0], events[1:]
    depth = float(np.median([e.peak_value for e in later]))
    if not (first.peak_value < cfg.max_depth_fraction * depth):
        return False
    ok = (phase == PHASE_REST) & np.isfinite(stance).all(axis=1)
    before = ok & (t >= first.start_s - cfg.lookback_s) & (t < first.start_s)
    during_set = ok & (t >= later[0].start_s)
    if before.sum() < cfg.min_rest_frames or during_set.sum() < cfg.min_rest_frames:
        return False
    step = np.median(stance[before], axis=0) - np.median(stance[during_set], axis=0)
    return float(np.linalg.norm(step)) > cfg.min_step_leg


class ShotCountingMixin:
    """``analyze`` of :class:`~glutecv.exercises.common.SignalAnalyzer`, shot by shot.

    Put it before ``SignalAnalyzer`` in the bases. ``count_leading_rep`` (class attribute)
    turns on the leading rep described in the module docstring.
    """

    count_leading_rep: bool = False

    def analyze(self, seq: PoseSequence) -> ExerciseAnalysis:  # noqa: D102
        from glutecv.exercises._standing import foot_stance
        from glutecv.exercises.common import Points, person_present

        me = self  # the SignalAnalyzer this is mixed into
        view = me.detect_view(seq)
        n = len(seq)
        bounds = [0, *find_cuts(seq), n]
        series: dict[str, np.ndarray] = {}
        setup = getattr(me.config, "setup_step", None)  # analyzers that opt in (squat, lunge)
        stance = np.full((n, 2), np.nan) if setup is not None else None
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            shot = smooth_sequence(seq.slice(a, b), me.filter_config(), me.landmarks)
            pts = Points.from_pose(shot, me.landmarks, me.min_visibility)
            for k, v in me.signals(pts, view).items():
                series.setdefault(k, np.full(n, np.nan))[a:b] = np.asarray(v, float).reshape(-1)
            if stance is not None:
                stance[a:b] = foot_stance(pts)
        # As in SignalAnalyzer.analyze: frames where nobody was detected stay missing even
        # though smoothing bridged their landmarks, so no rep is made of them.
        seen = person_present(seq)
        series = {k: np.where(seen, v, np.nan) for k, v in series.items()}
        if stance is not None:
            stance[~seen] = np.nan
        t = np.asarray(seq.t_s, dtype=float)
        cfg = me.counter_config()
        phase = np.full(n, float(PHASE_UNKNOWN))
        reps = []
        for side, key in me.phase_keys(view).items():
            for a, b in zip(bounds[:-1], bounds[1:], strict=True):
                events, ph = count_shot(t[a:b], series[key][a:b], cfg, side,
                                        self.count_leading_rep)
                if (setup is not None and stance is not None
                        and is_setup_step(events, ph, t[a:b], stance[a:b], setup)):
                    e = events.pop(0)   # its frames were the walk into position: rest
                    ph = ph.copy()
                    ph[e.start:e.end + 1] = PHASE_REST
                events = [_shift(e, a, t) for e in events]
                active = np.isfinite(series[key][a:b])
                cur = phase[a:b]
                phase[a:b] = np.where(active & ((ph > 0) | (cur < 0)), ph, cur)
                reps.extend(me.make_rep(ev, series, view) for ev in events)
        full = {"t_s": t, **series, "phase": phase}
        return me.finish_analysis(view, full, reps, seq.detected)
