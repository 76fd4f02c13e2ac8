"""Follow one person through a clip when the pose model sees several.

With ``num_poses > 1`` MediaPipe returns every body it finds, in no stable order. The person
doing the exercise is usually the largest body in view (a therapist standing beside a mat is
further away or partly out of frame), so :class:`PersonTracker` picks the largest body when it
has nobody to follow, and then keeps that identity frame to frame by the nearest hip centre.
It re-acquires (largest again) only after the followed person has been lost for a while or
jumps further than a person can move between two frames. It also counts the frames in which
more than one person was seen, so the caller can say so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from glutecv.landmarks import Landmark

log = logging.getLogger("glutecv.pose.tracking")

MIN_VISIBILITY = 0.5  # landmarks below this visibility do not count towards a body's size


@dataclass
class TrackerStats:
    """What the tracker saw: frames with 2+ people, the most people in one frame, switches."""

    multi_person_frames: int = 0
    max_people: int = 0
    reacquired: int = 0

    @property
    def second_person_seen(self) -> bool:
        return self.max_people > 1


class PersonTracker:
    """Choose, frame after frame, which candidate body is the person being analysed.

    ``max_jump`` is the largest hip-centre move between consecutive frames accepted as the same
    person, as a fraction of the frame diagonal; ``lost_after`` is how many frames without a
    match end the track (then the largest body is taken again).
    """

    def __init__(self, max_jump: float = 0.15, lost_after: int = 15) -> None:
        self.max_jump = float(max_jump)
        self.lost_after = int(lost_after)
        self.stats = TrackerStats()
        self._hip: np.ndarray | None = None
        self._unmatched = 0

    def choose(self, bodies: list[np.ndarray], visibilities: list[np.ndarray],
               width: int, height: int) -> int | None:
        """Index into ``bodies`` (each (33, 3) pixels) of the followed person, or None.

        ``visibilities`` are the matching (33,) scores. None means nobody usable this frame.
        """
        n = len(bodies)
        self.stats.max_people = max(self.stats.max_people, n)
        if n > 1:
            if self.stats.multi_person_frames == 0:
                log.info("more than one person in view; following the one doing the exercise")
            self.stats.multi_person_frames += 1
        if n == 0:
            self._miss()
            return None
        hips = [_hip_centre(b) for b in bodies]
        diag = float(np.hypot(width, height))
        if self._hip is not None:
            dists = [float(np.hypot(*(h - self._hip))) if h is not None else np.inf for h in hips]
            best = int(np.argmin(dists))
            if dists[best] <= self.max_jump * diag:
                self._follow(hips[best])
                return best
            self._miss()
            if self._hip is not None:  # still within the grace period: do not switch person
                return None
        areas = [_body_area(b, v) for b, v in zip(bodies, visibilities, strict=True)]
        best = int(np.argmax(areas))
        if self.stats.reacquired or self._was_tracking:
            log.debug("re-acquired a person (largest body)")
        self.stats.reacquired += int(self._was_tracking)
        self._follow(hips[best])
        return best

    @property
    def _was_tracking(self) -> bool:
        return self._unmatched > 0

    def _follow(self, hip: np.ndarray | None) -> None:
        if hip is not None:
            self._hip = hip
        self._unmatched = 0

    def _miss(self) -> None:
        self._unmatched += 1
        if self._unmatched > self.lost_after:
            self._hip = None


def _hip_centre(body: np.ndarray) -> np.ndarray | None:
    centre = body[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP], :2].mean(axis=0)
    return centre if np.all(np.isfinite(centre)) else None


def _body_area(body: np.ndarray, visibility: np.ndarray) -> float:
    """Bounding-box area (pixels^2) of the visible landmarks; all landmarks if few are visible."""
    pts = body[visibility >= MIN_VISIBILITY, :2]
    if len(pts) < 4:
        pts = body[:, :2]
    pts = pts[np.all(np.isfinite(pts), axis=1)]
    if len(pts) < 2:
        return 0.0
    span = pts.max(axis=0) - pts.min(axis=0)
    return float(span[0] * span[1])
