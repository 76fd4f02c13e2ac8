"""The whole overlay, as used by live mode and by annotated videos.

:func:`build_overlay` is the entry point the pipeline uses::

    overlay = build_overlay(width, height, result)       # result only for annotated videos
    for frame, pose, state in ...:
        overlay.annotate(frame_bgr, pose, state, fps)    # draws in place, returns the image
"""

from __future__ import annotations

import numpy as np

from glutecv.annotate.angles import AnglesAnnotator
from glutecv.annotate.counter import CounterAnnotator
from glutecv.annotate.cue import CueAnnotator
from glutecv.annotate.fps import FpsAnnotator
from glutecv.annotate.skeleton import SkeletonAnnotator
from glutecv.annotate.status import StatusAnnotator
from glutecv.annotate.style import Style
from glutecv.annotate.timeline import TimelineAnnotator
from glutecv.pose.types import PoseFrame
from glutecv.results import AnalysisResult, FrameState


class Overlay:
    """Skeleton, angle labels, rep counter and phase, cue + verdict flash, fps, status
    message and (with a ``result``) the timeline strip, laid out for one frame size.

    ``annotate`` draws on the given BGR uint8 image in place and returns it. A frame of another
    size than announced is handled by re-laying out the overlay for that size.
    """

    def __init__(self, width: int, height: int, result: AnalysisResult | None = None,
                 style: Style | None = None, title: str | None = None,
                 sides: tuple[str, ...] = ()) -> None:
        self.style = style or Style()
        self.result = result
        if result is not None:
            title = title or result.exercise.replace("_", " ")
            sides = sides or tuple(s for s in ("left", "right")
                                   if any(r.side == s for r in result.reps))
        self.title, self.sides = title, sides
        self._layout(int(width), int(height))

    def _layout(self, width: int, height: int) -> None:
        st = self.style
        self.size = (width, height)
        self.timeline = (TimelineAnnotator(width, height, self.result, st)
                         if self.result is not None else None)
        bottom = self.timeline.height_px if self.timeline is not None else 0
        size = min(width, height)  # sizes follow the height, or the width of portrait frames
        self.skeleton = SkeletonAnnotator(size, st)
        self.counter = CounterAnnotator(size, st, self.title, self.sides)
        self.fps = FpsAnnotator(size, st)
        self.angles = AnglesAnnotator(width, height, st)
        self.cue = CueAnnotator(width, height, st, bottom_px=bottom)
        self.status = StatusAnnotator(size, st)

    def annotate(self, image: np.ndarray, pose: PoseFrame | None, state: FrameState,
                 fps: float | None = None) -> np.ndarray:
        """Draw the overlay for ``state`` (and ``pose``, if any) on ``image``; return it."""
        h, w = image.shape[:2]
        if (w, h) != self.size:
            self._layout(w, h)
        if pose is not None and state.pose_ok:
            self.skeleton.annotate(image, pose)
        self.counter.annotate(image, state.rep_counts, state.phase)
        self.fps.annotate(image, fps)
        self.angles.panel_top = self.fps.bottom + self.fps.margin // 2
        self.angles.annotate(image, pose if state.pose_ok else None, state.angles)
        if self.timeline is not None:
            self.timeline.annotate(image, state.t_s)
        self.cue.annotate(image, state.cue, state.last_rep, state.t_s)
        self.status.annotate(image, state.message)
        return image


def build_overlay(width: int, height: int, result: AnalysisResult | None = None,
                  **kwargs: object) -> Overlay:
    """The overlay for ``width`` x ``height`` frames; with ``result``, also the timeline strip.

    Extra keyword arguments go to :class:`Overlay` (``style``, ``title``, ``sides``).
    """
    return Overlay(width, height, result, **kwargs)  # type: ignore[arg-type]
