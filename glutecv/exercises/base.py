"""The analyzer contract every exercise module follows.

An analyzer computes and never draws. It has two faces over the same logic:

* :meth:`Analyzer.analyze` takes a whole recorded :class:`~glutecv.pose.PoseSequence`
  (batch: zero-phase smoothing, outlier rejection) and returns an :class:`ExerciseAnalysis`;
* :meth:`Analyzer.stream` returns a :class:`LiveAnalyzer` fed one
  :class:`~glutecv.pose.PoseFrame` at a time (live: causal one-euro smoothing), which returns a
  :class:`~glutecv.results.FrameState` per frame and a finished :class:`ExerciseAnalysis` on
  :meth:`LiveAnalyzer.finish`.

Per-frame series go into ``ExerciseAnalysis.series`` as float arrays of the sequence's length,
keyed with units in the name (``hip_extension_left_deg``); ``series["t_s"]`` holds the times and
``series["phase"]`` the numeric phase (see :data:`glutecv.results.PHASE_NAMES`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from glutecv.pose.types import PoseFrame, PoseSequence
from glutecv.results import FrameState, Rep, ThresholdLine, ViewInfo


@dataclass(frozen=True)
class ExerciseAnalysis:
    """An analyzer's output for one clip, before the pipeline adds video facts."""

    exercise: str
    view: ViewInfo
    reps: tuple[Rep, ...]
    series: dict[str, np.ndarray]
    thresholds: dict[str, float] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # series key -> threshold lines for its chart (additive; see AnalysisResult.plot_thresholds)
    plot_thresholds: dict[str, tuple[ThresholdLine, ...]] = field(default_factory=dict)


class LiveAnalyzer(ABC):
    """Causal, frame-by-frame analysis for live mode."""

    @abstractmethod
    def update(self, frame: PoseFrame) -> FrameState:
        """Consume one frame (possibly with nobody in it) and say what to show now."""

    @abstractmethod
    def reset(self) -> None:
        """Forget reps and history (the user pressed ``r``)."""

    @abstractmethod
    def finish(self) -> ExerciseAnalysis:
        """Everything seen so far as an analysis (for the end-of-session summary)."""


class Analyzer(ABC):
    """One exercise. Subclasses set the class attributes and a frozen ``Config`` dataclass."""

    name: ClassVar[str]
    description: ClassVar[str]
    orientation: ClassVar[str]          # standing | supine | side_lying | quadruped
    views: ClassVar[tuple[str, ...]]    # camera views that support the main metrics
    unilateral: ClassVar[bool]          # reps counted per side

    def __init__(self, config: Any | None = None, side: str | None = None) -> None:
        self.config = config if config is not None else self.default_config()
        self.side = side  # working side, None = detect

    @classmethod
    @abstractmethod
    def default_config(cls) -> Any:
        """The exercise's frozen config dataclass with its default thresholds."""

    @abstractmethod
    def analyze(self, seq: PoseSequence) -> ExerciseAnalysis:
        """Batch analysis of a whole recorded sequence."""

    @abstractmethod
    def stream(self, fps_hint: float = 30.0) -> LiveAnalyzer:
        """A fresh live analyzer for this exercise."""
