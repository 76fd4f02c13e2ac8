"""A second look, on a crop around the followed person, at the frames where they were missed.

Asked for every body in the picture, MediaPipe detects people afresh in each frame, and its
person detector often misses someone small, partly hidden, or standing right beside another
person (in one real clip a man doing step-ups behind a talking coach went unseen for the first
0.8 s, his first step-up included). Once :func:`glutecv.pose.tracking.select_person` knows who
is followed and where they were just before (or just after) such a gap, the gap's frames are
decoded again and the model is asked for one person in a crop around that place, where the
person fills the picture. A body found this way is kept only while it continues the followed
person's track from frame to frame (the same whole-body gate as the linking), so the second
look can fill a gap but never switch to someone else.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, MutableSequence, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.pose.tracklets import GATE_PER_MISSED_FRAME, LINK_GATE, body_distance
from glutecv.pose.types import PoseFrame

log = logging.getLogger("glutecv.pose.refill")

#: Frames at most this many seconds from a frame where the person was found get a second look.
REACH_S = 2.0
#: The crop is a square this many times the larger side of the person's box at the anchor.
CROP_SCALE = 1.4
#: Crops smaller than this (pixels, either side) are not looked at: too little to find anyone.
MIN_CROP_PX = 32
#: At most this many gap windows per clip (each loads the model once).
MAX_WINDOWS = 40


Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Window:
    """Frames ``first..last`` looked at again around the body of frame ``anchor``."""

    first: int
    last: int
    anchor: int  # a frame with the followed person, just before or just after the window
    box: Box  # crop x0, y0, x1, y1 in pixels

    @property
    def forward(self) -> bool:
        return self.anchor < self.first


def refill_gaps(path: Path, model: str | Path, chosen: MutableSequence[PoseFrame | None],
                others: Mapping[int, list[Box]], width: int, height: int, fps: float,
                source_args: dict[str, Any]) -> int:
    """Fill frames of ``chosen`` (None = missed) from a second look; returns frames filled.

    ``others[i]`` are the boxes (:func:`body_box`) of the other people found in frame ``i``:
    they are painted over in the crop, so the model cannot pick one of them instead.
    ``source_args`` are the VideoSource arguments of the first pass (start_s, end_s,
    max_frames), so that row ``i`` of ``chosen`` is again the ``i``-th decoded frame.
    """
    reach = max(1, int(round(REACH_S * (fps if fps > 0 and np.isfinite(fps) else 30.0))))
    windows = gap_windows(chosen, reach, width, height)[:MAX_WINDOWS]
    if not windows:
        return 0
    looks = _look_again(path, model, windows, others, source_args)
    filled = 0
    for w in windows:
        order = range(w.first, w.last + 1) if w.forward else range(w.last, w.first - 1, -1)
        previous, previous_row = chosen[w.anchor], w.anchor
        for i in order:
            body = looks.get((w, i))
            if chosen[i] is not None or body is None or previous is None:
                break  # filled by the other window, or nobody in the crop
            gate = LINK_GATE + GATE_PER_MISSED_FRAME * (abs(i - previous_row) - 1)
            if body_distance(previous.image, previous.visibility, body.image,
                             body.visibility) > gate:
                break  # not the same person any more: stop here
            chosen[i] = body
            previous, previous_row = body, i
            filled += 1
    if filled:
        log.info("%s: the followed person found again in %d missed frames", path.name, filled)
    return filled


def gap_windows(chosen: Sequence[PoseFrame | None], reach: int, width: int, height: int
                ) -> list[Window]:
    """Windows of missed frames next to a found frame: forward from the frame before a gap and
    backward from the frame after it, each at most ``reach`` frames long."""
    found = _found_mask(chosen)
    if not found.any():
        return []
    windows = []
    n = len(chosen)
    for i in range(n):
        if found[i]:
            continue
        if i > 0 and found[i - 1]:  # a gap starts here: look forward
            end = i
            while end + 1 < n and not found[end + 1] and end + 1 - i < reach:
                end += 1
            windows.append(Window(i, end, i - 1, _crop_box(chosen[i - 1], width, height)))
        if i + 1 < n and found[i + 1]:  # a gap ends here: look backward
            start = i
            while start - 1 >= 0 and not found[start - 1] and i - (start - 1) < reach:
                start -= 1
            windows.append(Window(start, i, i + 1, _crop_box(chosen[i + 1], width, height)))
    usable = [w for w in windows if min(w.box[2] - w.box[0], w.box[3] - w.box[1]) >= MIN_CROP_PX]
    return sorted(usable, key=lambda w: w.first)


def _found_mask(chosen: Sequence[PoseFrame | None]) -> np.ndarray:
    """Boolean (N,): the followed person is there (asked of ``chosen`` itself when it can say
    without reading every body, as :class:`glutecv.pose.candidates.ChosenBodies` can)."""
    mask = getattr(chosen, "found_mask", None)
    if mask is not None:
        return np.asarray(mask(), dtype=bool)
    return np.array([p is not None for p in chosen], dtype=bool)


def body_box(body: PoseFrame) -> Box:
    """Pixel box (x0, y0, x1, y1) around the landmarks of ``body`` that are seen."""
    seen = body.visibility >= 0.3  # the box of what is seen, not of guessed hidden limbs
    pts = body.image[seen if seen.sum() >= 4 else slice(None), :2]
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if len(pts) == 0:
        return 0, 0, 0, 0
    (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
    return int(x0), int(y0), int(np.ceil(x1)), int(np.ceil(y1))


def _crop_box(body: PoseFrame | None, width: int, height: int) -> Box:
    assert body is not None
    x0, y0, x1, y1 = body_box(body)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half = CROP_SCALE * max(x1 - x0, y1 - y0) / 2
    return (max(0, int(cx - half)), max(0, int(cy - half)), int(min(width, cx + half)),
            int(min(height, cy + half)))


def _look_again(path: Path, model: str | Path, windows: list[Window],
                others: Mapping[int, list[Box]], source_args: dict[str, Any]
                ) -> dict[tuple[Window, int], PoseFrame]:
    """The one body the model finds in each window's crop, per (window, frame)."""
    from glutecv.io.frames import Frame
    from glutecv.io.video import VideoSource
    from glutecv.pose.estimator import PoseEstimator

    last_needed = max(w.last for w in windows)
    open_estimators: dict[Window, PoseEstimator] = {}
    looks: dict[tuple[Window, int], PoseFrame] = {}
    try:
        with VideoSource(path, pixel_format="rgb24", **source_args) as source:
            for i, frame in enumerate(source):
                if i > last_needed:
                    break
                for w in windows:
                    if not w.first <= i <= w.last:
                        continue
                    if w not in open_estimators:
                        open_estimators[w] = PoseEstimator(model)
                    x0, y0, x1, y1 = w.box
                    pixels = _painted_over(frame.image[y0:y1, x0:x1], others.get(i, []), x0, y0)
                    crop = Frame(frame.index, frame.t_s, pixels, "rgb24")
                    bodies = open_estimators[w].detect_all(crop)
                    if bodies:
                        looks[(w, i)] = _shifted(bodies[0], x0, y0)
                    if i == w.last:
                        open_estimators.pop(w).close()
    finally:
        for estimator in open_estimators.values():
            estimator.close()
    return looks


def _painted_over(crop: np.ndarray, boxes: list[Box], x0: int, y0: int) -> np.ndarray:
    """A copy of ``crop`` with the boxes (whole-frame pixels) filled with its median colour."""
    if not boxes:
        return crop
    out = np.array(crop)
    fill = np.median(out.reshape(-1, out.shape[-1]), axis=0).astype(out.dtype)
    for bx0, by0, bx1, by1 in boxes:
        out[max(0, by0 - y0):max(0, by1 - y0), max(0, bx0 - x0):max(0, bx1 - x0)] = fill
    return out


def _shifted(body: PoseFrame, x0: int, y0: int) -> PoseFrame:
    """``body`` found in a crop, in the whole frame's pixels (z needs no change: it is on the
    scale of x in pixels, and the person has the same size in pixels in both)."""
    image = body.image.copy()
    image[:, 0] += x0
    image[:, 1] += y0
    return PoseFrame(body.t_s, image, body.world, body.visibility, body.presence, body.index)
