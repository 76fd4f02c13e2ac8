"""Follow one person through a clip when the pose model sees several.

With ``num_poses > 1`` MediaPipe returns every body it finds, in no stable order. Two ways to
pick the person doing the exercise:

- **Whole clip (batch)**: :func:`select_person` links the bodies into tracks by whole-body
  distance (:mod:`glutecv.pose.tracklets`), then keeps the track that moves most, relative to
  its own size, weighted by how long it is in view. A coach standing beside the mat or in the
  foreground moves their legs far less than the person squatting or bridging, even when the
  coach looks bigger. :func:`glutecv.pose.extract.extract_sequence` adds the model's own
  tracked person to each frame's candidates and, after the choice, takes a second look at the
  frames where the chosen person was missed (:mod:`glutecv.pose.refill`).
- **Live (online)**: :class:`PersonTracker` takes the largest body when it has nobody to follow
  and then keeps that identity frame to frame by the nearest hip centre; it re-acquires only
  after the person has been lost for a while.

:class:`TrackerStats` counts frames with more than one person so the caller can say so.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from glutecv.landmarks import Landmark
from glutecv.pose.tracklets import LOST_AFTER, link_tracks, stitch_tracks
from glutecv.pose.types import PoseFrame

log = logging.getLogger("glutecv.pose.tracking")

MIN_VISIBILITY = 0.5  # landmarks below this visibility do not count towards a body's size
MOTION_LANDMARKS = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP, Landmark.LEFT_KNEE,
                    Landmark.RIGHT_KNEE, Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE]


@dataclass
class TrackerStats:
    """What the model saw: frames with 2+ people and the most people in one frame."""

    multi_person_frames: int = 0
    max_people: int = 0

    def observe(self, people: int) -> None:
        """Count one frame in which ``people`` bodies were found."""
        self.max_people = max(self.max_people, people)
        if people > 1:
            if self.multi_person_frames == 0:
                log.info("more than one person in view; following the one doing the exercise")
            self.multi_person_frames += 1

    @property
    def second_person_seen(self) -> bool:
        return self.max_people > 1


class PersonTracker:
    """Online choice, frame after frame, of which candidate body to follow (live mode).

    ``max_jump`` is the largest hip-centre move between consecutive frames accepted as the same
    person, as a fraction of the frame diagonal; ``lost_after`` is how many frames without a
    match end the track (then the largest body is taken again).
    """

    def __init__(self, max_jump: float = 0.15, lost_after: int = 15) -> None:
        self.max_jump = float(max_jump)
        self.lost_after = int(lost_after)
        self._hip: np.ndarray | None = None
        self._unmatched = 0

    def choose(self, bodies: list[np.ndarray], visibilities: list[np.ndarray],
               width: int, height: int) -> int | None:
        """Index into ``bodies`` (each (33, 3) pixels) of the followed person, or None.

        ``visibilities`` are the matching (33,) scores. None means nobody usable this frame.
        """
        if not bodies:
            self._miss()
            return None
        hips = [_hip_centre(b) for b in bodies]
        if self._hip is not None:
            dists = [float(np.hypot(*(h - self._hip))) if h is not None else np.inf for h in hips]
            best = int(np.argmin(dists))
            if dists[best] <= self.max_jump * float(np.hypot(width, height)):
                self._follow(hips[best])
                return best
            self._miss()
            if self._hip is not None:  # still within the grace period: do not switch person
                return None
        areas = [_body_area(b, v) for b, v in zip(bodies, visibilities, strict=True)]
        best = int(np.argmax(areas))
        self._follow(hips[best])
        return best

    def _follow(self, hip: np.ndarray | None) -> None:
        if hip is not None:
            self._hip = hip
        self._unmatched = 0

    def _miss(self) -> None:
        self._unmatched += 1
        if self._unmatched > self.lost_after:
            self._hip = None


@dataclass(frozen=True)
class Selection:
    """Outcome of :func:`select_person`: tracks found, the one kept, and why.

    ``chosen_motion``/``runner_up_motion`` are the movement scores (body sizes of lower-body
    spread about the hips, times the share of frames in view) of the kept track and the next.
    """

    tracks: int
    chosen_frames: int
    chosen_motion: float
    runner_up_motion: float
    total_frames: int = 0
    first_frame: int = -1
    last_frame: int = -1
    refilled_frames: int = 0  # frames added by the second look (glutecv.pose.refill)

    @property
    def reason(self) -> str:
        """One line saying which person was followed and why."""
        if self.tracks == 0:
            return "nobody was found"
        where = (f"in view in {self.chosen_frames} of {self.total_frames} frames "
                 f"({self.first_frame}-{self.last_frame})")
        if self.refilled_frames:
            where += f", and in {self.refilled_frames} more found by a second look"
        if self.tracks == 1:
            return f"followed the only person found, {where}"
        return (f"followed the person who moves most (score {self.chosen_motion:.3f}, next "
                f"{self.runner_up_motion:.3f} of {self.tracks} tracks), {where}")

    def to_dict(self) -> dict[str, float | int | str]:
        return {"tracks": self.tracks, "chosen_frames": self.chosen_frames,
                "chosen_motion": round(self.chosen_motion, 4),
                "runner_up_motion": round(self.runner_up_motion, 4),
                "total_frames": self.total_frames, "first_frame": self.first_frame,
                "last_frame": self.last_frame, "refilled_frames": self.refilled_frames,
                "reason": self.reason}


def select_person(candidates: list[list[PoseFrame]], width: int = 0, height: int = 0,
                  lost_after: int = LOST_AFTER) -> tuple[list[PoseFrame | None], Selection]:
    """For each frame, the body of the person doing the exercise (None where not in view).

    ``candidates[i]`` are all bodies found in frame ``i`` (``width``/``height`` are kept for
    callers; the matching works in body sizes). Bodies are linked into tracks frame to frame by
    whole-body distance (:func:`glutecv.pose.tracklets.link_tracks`), tracks split by a badly
    fitted frame are joined again (:func:`~glutecv.pose.tracklets.stitch_tracks`), and the track
    with the highest movement score (spread of hips, knees and ankles about the body's own hips,
    in units of its own size, times its share of the frames) is kept for the whole clip. The
    choice is made once over the whole clip, so an early switch to a neighbour cannot stick.
    """
    images = [[b.image for b in bodies] for bodies in candidates]
    visibilities = [[b.visibility for b in bodies] for bodies in candidates]
    tracks = stitch_tracks(link_tracks(images, visibilities, lost_after), images,
                           visibilities, lost_after)
    n = len(candidates)
    best, selection = choose_track(tracks, n, lambda t: _movement(candidates, t))
    chosen = [candidates[i][best[i]] if i in best else None for i in range(n)]
    return chosen, selection


def choose_track(tracks: list[dict[int, int]], n: int,
                 movement: Callable[[dict[int, int]], float]
                 ) -> tuple[dict[int, int], Selection]:
    """The track (frame -> body index) with the highest movement score, and why, out of
    ``tracks`` over ``n`` frames; ``movement(track)`` is the track's :func:`movement_score`.
    An empty track when there is none."""
    if not tracks:
        return {}, Selection(0, 0, 0.0, 0.0, n)
    scores = [movement(t) * len(t) / max(1, n) for t in tracks]
    order = np.argsort(scores, kind="stable")[::-1]
    best = tracks[int(order[0])]
    runner_up = float(scores[int(order[1])]) if len(order) > 1 else 0.0
    selection = Selection(len(tracks), len(best), float(scores[int(order[0])]), runner_up, n,
                          min(best), max(best))
    log.debug("%s", selection.reason)
    return best, selection


def _movement(candidates: list[list[PoseFrame]], track: dict[int, int]) -> float:
    """Spread of the lower-body landmarks over the track, in body sizes (0 if too short)."""
    if len(track) < 3:
        return 0.0
    bodies = [candidates[i][c] for i, c in track.items()]
    return movement_score([(np.stack([b.image for b in bodies]),
                            np.stack([b.visibility for b in bodies]))])


def movement_score(parts: Iterable[tuple[np.ndarray, np.ndarray]]) -> float:
    """Spread of the lower-body landmarks of a track's bodies about their own hip centre, in
    body sizes. ``parts`` are consecutive blocks of the track's (T, 33, 3) pixel landmarks and
    (T, 33) visibilities, in track order (blocks, so a long track need not be read at once).
    """
    spreads, sizes = [], []
    for image, visibility in parts:
        hips = image[:, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP], :2].mean(axis=1)
        hips = np.where(np.all(np.isfinite(hips), axis=1, keepdims=True), hips, np.nan)
        # relative to the body's own hip centre: exercising moves joints against each other, a
        # bystander walking through the picture mostly moves the whole body (not exercise)
        spreads.append(image[:, MOTION_LANDMARKS, :2] - hips[:, None, :])  # (T, 6, 2)
        sizes.append(np.array([np.sqrt(max(_body_area(b, v), 1.0))
                               for b, v in zip(image, visibility, strict=True)], dtype=float))
    pts = np.concatenate(spreads)
    size = float(np.median(np.concatenate(sizes)))
    spread = np.sqrt(np.nanvar(pts[..., 0], axis=0) + np.nanvar(pts[..., 1], axis=0))
    return float(np.nanmedian(spread) / max(size, 1.0))


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
