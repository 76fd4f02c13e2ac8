"""The generic live (frame-by-frame) face of a :class:`~glutecv.exercises.common.SignalAnalyzer`.

Each frame: causal one-euro smoothing of the landmarks (low-visibility points are gaps, not
inputs), the analyzer's own signal function on that one frame, the same
:class:`~glutecv.reps.RepCounter` per side as batch, and a :class:`~glutecv.results.FrameState`
with the overlay angles, counts per side, phase, the one highest-priority cue (held
``cue_hold_s`` after the rep that raised it) and the last rep. The view is re-estimated from the
recent frames about once a second; a different view replaces the current one only after it has
been seen three times in a row, so a camera near a boundary does not switch metrics on and off.
Importable as ``glutecv.exercises.common.SignalLiveAnalyzer``.
"""

from __future__ import annotations

import math
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from glutecv.exercises.base import ExerciseAnalysis, LiveAnalyzer
from glutecv.filters import OneEuroFilter
from glutecv.pose.types import PoseFrame, PoseSequence
from glutecv.reps import PHASE_UNKNOWN, RepCounter
from glutecv.results import CUES, PHASE_NAMES, FrameState, Rep, ViewInfo

if TYPE_CHECKING:
    from glutecv.exercises.common import SignalAnalyzer

VIEW_WINDOW_S = 6.0     # recent history used to (re-)estimate the view
VIEW_EVERY_S = 1.0      # how often the view is re-estimated
VIEW_CHANGE_AFTER = 3   # a different view must be seen this many times in a row to replace
# the current one (hysteresis: a camera near a boundary does not flip metrics on and off)


class SignalLiveAnalyzer(LiveAnalyzer):
    """Causal analysis of one exercise, one :class:`PoseFrame` at a time."""

    def __init__(self, analyzer: SignalAnalyzer, fps_hint: float = 30.0,
                 cue_hold_s: float = 2.0, min_cutoff_hz: float = 1.5,
                 beta: float = 0.05) -> None:
        self.analyzer = analyzer
        self.fps_hint = fps_hint
        self.cue_hold_s = cue_hold_s
        self._filter_args = (min_cutoff_hz, beta)
        self.reset()

    def reset(self) -> None:
        """Forget reps, history and filter state."""
        self._image_filter = OneEuroFilter(*self._filter_args)
        self._world_filter = OneEuroFilter(*self._filter_args)
        self._frames: deque[PoseFrame] = deque()
        self._rows: list[dict[str, float]] = []
        self._t: list[float] = []
        self._phase: list[float] = []
        self._detected: list[bool] = []
        self._counters: dict[tuple[str, str], RepCounter] = {}  # (side, phase key) -> counter
        self._reps: list[Rep] = []
        self._view = ViewInfo()
        self._view_t = -math.inf
        self._view_votes = 0
        self._cue: str | None = None
        self._cue_until = -math.inf

    # --- helpers -----------------------------------------------------------------------------
    def _smoothed(self, frame: PoseFrame) -> PoseFrame:
        gate = self.analyzer.min_visibility
        vis = np.nan_to_num(frame.visibility, nan=0.0)
        seen = (vis >= gate)[:, None]
        image = self._image_filter(frame.t_s, np.where(seen, frame.image, np.nan))
        world = self._world_filter(frame.t_s, np.where(seen, frame.world, np.nan))
        return PoseFrame(frame.t_s, image, world, frame.visibility, frame.presence, frame.index)

    def _update_view(self, t: float) -> None:
        if t - self._view_t < VIEW_EVERY_S and self._view.camera != "unknown":
            return
        while self._frames and self._frames[0].t_s < t - VIEW_WINDOW_S:
            self._frames.popleft()
        frames = list(self._frames)
        if len(frames) < 3:
            return
        seq = PoseSequence.from_frames(frames, 1, 1)
        new = self.analyzer.detect_view(seq)
        self._view_t = t

        def signature(v: ViewInfo) -> tuple:
            return v.camera, v.orientation, frozenset(v.unsupported)

        if self._view.camera == "unknown" or signature(new) == signature(self._view):
            self._view, self._view_votes = new, 0
            return
        self._view_votes += 1
        if self._view_votes >= VIEW_CHANGE_AFTER:
            self._view, self._view_votes = new, 0

    def _series(self) -> dict[str, np.ndarray]:
        keys = self._rows[-1].keys() if self._rows else ()
        return {k: np.array([r.get(k, math.nan) for r in self._rows]) for k in keys}

    # --- LiveAnalyzer ------------------------------------------------------------------------
    def update(self, frame: PoseFrame) -> FrameState:
        """Consume one frame (possibly with nobody in it); say what to show now."""
        a = self.analyzer
        t = float(frame.t_s)
        i = len(self._t)
        from glutecv.exercises.common import Points, person_present

        detected = bool(person_present(frame))
        if detected:
            smooth = self._smoothed(frame)
            self._frames.append(smooth)
            self._update_view(t)
            one = PoseSequence.from_frames([smooth], 1, 1)
            pts = Points.from_pose(one, a.landmarks, a.min_visibility)
            row = {k: float(np.asarray(v, dtype=float).reshape(-1)[0])
                   for k, v in a.signals(pts, self._view).items()}
        else:
            row = {k: math.nan for k in (self._rows[-1] if self._rows else {})}
        self._rows.append(row)
        self._t.append(t)
        self._detected.append(detected)
        phase = PHASE_UNKNOWN
        for side, key in a.phase_keys(self._view).items():
            counter = self._counters.get((side, key))
            if counter is None:   # a view whose phase signal differs gets its own counter
                counter = self._counters[(side, key)] = RepCounter(
                    a.counter_config_for(self._view), side)
            event = counter.update(t, row.get(key, math.nan), i)
            if math.isfinite(row.get(key, math.nan)) and counter.phase >= 0:
                phase = max(phase, counter.phase)
            if event is not None:
                rep = a.make_rep(event, {"t_s": np.array(self._t), **self._series()},
                                 self._view)
                self._reps.append(Rep(len(self._reps) + 1, rep.side, rep.start_s, rep.peak_s,
                                      rep.end_s, rep.metrics, rep.faults))
                codes = {f.code for f in rep.faults}
                cue = next((CUES[c] for c in CUES if c in codes), None)
                if cue is not None:
                    self._cue, self._cue_until = cue, t + self.cue_hold_s
        self._phase.append(float(phase))
        counts: dict[str, int] = {}
        for r in self._reps:
            counts[r.side] = counts.get(r.side, 0) + 1
        labels = a.display_keys(self._view)
        angles = {label: row.get(key, math.nan) for key, label in labels.items()}
        cue = self._cue if t <= self._cue_until else None
        return FrameState(
            t_s=t, pose_ok=detected, phase=PHASE_NAMES.get(phase, ""), angles=angles,
            rep_counts=counts, cue=cue, last_rep=self._reps[-1] if self._reps else None,
            message=None if detected else "no person in view",
        )

    def finish(self) -> ExerciseAnalysis:
        """Everything seen so far, as an analysis."""
        series = {"t_s": np.array(self._t), **self._series(),
                  "phase": np.array(self._phase)}
        reps = [Rep(0, r.side, r.start_s, r.peak_s, r.end_s, r.metrics, r.faults)
                for r in self._reps]
        return self.analyzer.finish_analysis(self._view, series, reps,
                                             np.array(self._detected, dtype=bool))
