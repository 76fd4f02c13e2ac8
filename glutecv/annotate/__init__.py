"""Overlays drawn on video frames: annotators draw and never compute.

Each annotator takes its style in the constructor (sizes proportional to the frame height) and
has one ``annotate(image, ...) -> image`` method that draws on a BGR uint8 image in place.
:func:`build_overlay` combines them into the overlay used by live mode and annotated videos.
"""

from __future__ import annotations

from glutecv.annotate.angles import AnglesAnnotator
from glutecv.annotate.counter import CounterAnnotator
from glutecv.annotate.cue import CueAnnotator
from glutecv.annotate.fps import FpsAnnotator
from glutecv.annotate.overlay import Overlay, build_overlay
from glutecv.annotate.skeleton import SkeletonAnnotator
from glutecv.annotate.status import StatusAnnotator
from glutecv.annotate.style import Style
from glutecv.annotate.timeline import TimelineAnnotator

__all__ = [
    "AnglesAnnotator", "CounterAnnotator", "CueAnnotator", "FpsAnnotator", "Overlay",
    "SkeletonAnnotator", "StatusAnnotator", "Style", "TimelineAnnotator", "build_overlay",
]
