"""Which exercise live mode analyses: given, recognised after a few seconds, or switched by key.

:class:`LiveExercise` wraps the current :class:`~glutecv.exercises.base.LiveAnalyzer`. With
``"auto"`` it first watches: the poses are kept, and once there are ``min_watch_s`` seconds of
clear motion the recogniser is asked every second; when it names the same exercise twice in a
row with enough confidence (or ``max_watch_s`` have passed) the choice is locked and the watched
frames are replayed into the new analyzer, so reps done while watching still count. ``e``
(:meth:`next_exercise`) switches to the next registered exercise and starts counting afresh.
"""

from __future__ import annotations

import logging
import math

import numpy as np

from glutecv.exercises.base import ExerciseAnalysis, LiveAnalyzer
from glutecv.landmarks import Landmark
from glutecv.pose.types import PoseFrame, PoseSequence
from glutecv.results import FrameState

log = logging.getLogger("glutecv.live")

#: Landmarks whose motion tells that someone is exercising (hips, knees, ankles).
_MOTION_POINTS = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP, Landmark.LEFT_KNEE,
                  Landmark.RIGHT_KNEE, Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]


class LiveExercise:
    """The live analyzer of the current exercise, with auto recognition and switching."""

    def __init__(self, exercise: str = "auto", fps_hint: float = 30.0, min_watch_s: float = 4.0,
                 max_watch_s: float = 12.0, min_confidence: float = 0.5,
                 width: int = 0, height: int = 0) -> None:
        from glutecv.exercises import names

        self.names = names()
        self.fps_hint = fps_hint
        self.min_watch_s, self.max_watch_s = min_watch_s, max_watch_s
        self.min_confidence = min_confidence
        self.size = (width, height)
        self.auto = exercise == "auto"
        self.confidence = 1.0
        self.name: str | None = None
        self.analyzer: LiveAnalyzer | None = None
        self._watched: list[PoseFrame] = []
        self._next_try_s = -math.inf
        self._last_guess: str | None = None
        if not self.auto:
            self._start(exercise)

    @property
    def locked(self) -> bool:
        return self.analyzer is not None

    def _start(self, name: str) -> None:
        from glutecv.exercises import get_analyzer

        self.analyzer = get_analyzer(name).stream(self.fps_hint)
        self.name = name
        log.info("exercise: %s", name.replace("_", " "))

    def update(self, pose: PoseFrame) -> FrameState:
        """Feed one frame's pose; returns what to show now."""
        if self.analyzer is not None:
            return self.analyzer.update(pose)
        self._watched.append(pose)
        watched_s = pose.t_s - self._watched[0].t_s
        if watched_s >= self.min_watch_s and pose.t_s >= self._next_try_s:
            self._next_try_s = pose.t_s + 1.0
            self._try_recognise(force=watched_s >= self.max_watch_s)
        if self.analyzer is not None:
            return self._replay()
        return FrameState(pose.t_s, pose.detected, message="watching: which exercise is this?")

    def _try_recognise(self, force: bool) -> None:
        seq = PoseSequence.from_frames(self._watched, *self.size)
        if not force and not _moving(seq):
            return
        from glutecv.pipeline import recognise

        name, confidence = recognise(seq)
        agreed = self._last_guess == name  # the same answer one second later: stable
        self._last_guess = name
        if (confidence >= self.min_confidence and agreed) or force:
            self.confidence = confidence
            self._start(name)
        elif len(self._watched) > self.max_watch_s * self.fps_hint * 2:
            self._watched = self._watched[len(self._watched) // 2:]  # keep memory bounded

    def _replay(self) -> FrameState:
        assert self.analyzer is not None
        state = None
        for pose in self._watched:
            state = self.analyzer.update(pose)
        self._watched = []
        assert state is not None
        return state

    def reset(self) -> None:
        """Forget the count (key ``r``)."""
        if self.analyzer is not None:
            self.analyzer.reset()
        self._watched = []

    def next_exercise(self) -> str:
        """Switch to the next registered exercise (key ``e``); returns its name."""
        current = self.names.index(self.name) if self.name in self.names else -1
        name = self.names[(current + 1) % len(self.names)]
        self.auto = False
        self.confidence = 1.0
        self._watched = []
        self._start(name)
        return name

    def finish(self) -> ExerciseAnalysis | None:
        """The analysis so far (None if no exercise was ever chosen)."""
        if self.analyzer is None and self._watched:
            self._try_recognise(force=True)
            if self.analyzer is not None:
                self._replay()
        return self.analyzer.finish() if self.analyzer is not None else None


def _moving(seq: PoseSequence, min_motion: float = 0.04) -> bool:
    """True when hips/knees/ankles moved by more than ``min_motion`` of the frame height."""
    pts = seq.image[:, _MOTION_POINTS, :2]
    ok = np.isfinite(pts).all(axis=(1, 2))
    if ok.sum() < 10 or seq.height <= 0:
        return False
    spread = np.nanpercentile(pts[ok], 95, axis=0) - np.nanpercentile(pts[ok], 5, axis=0)
    return bool(np.max(spread) / seq.height >= min_motion)
