"""A whole video to a :class:`~glutecv.pose.types.PoseSequence`: one row per decoded frame.

Frames where nobody is found stay in the sequence as NaN rows, so row ``i`` is always the
``i``-th decoded frame and its time is the container's own. The sequence's ``meta`` says where
it came from: source file, model name and sha256, glutecv version, and the video's facts.

With ``num_poses > 1`` every body of every frame is kept (on disk, linked into tracks as it
comes: :mod:`glutecv.pose.candidates`) until the end of the clip, the person doing the exercise
is chosen over the whole clip (:func:`glutecv.pose.tracking.select_person`), and frames
where that person was missed get a second look (:mod:`glutecv.pose.refill`);
``meta["people"]["selection"]`` records who was followed and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.io.video import VideoSource
from glutecv.landmarks import NUM_LANDMARKS
from glutecv.pose.candidates import CandidateBodies
from glutecv.pose.estimator import PoseEstimator
from glutecv.pose.refill import refill_gaps
from glutecv.pose.store import LandmarkStore
from glutecv.pose.tracklets import without_duplicates
from glutecv.pose.types import PoseFrame, PoseSequence

log = logging.getLogger("glutecv.pose.extract")

#: Rows written between two releases of the candidate file's pages read so far.
RELEASE_EVERY = 1024

Progress = Callable[[int, int], None]
"""Called after each frame with (frames done, estimated total frames)."""


def extract_sequence(video_path: str | Path, model: str | Path = "full",
                     progress: Progress | None = None, *, num_poses: int = 1,
                     start_s: float | None = None, end_s: float | None = None,
                     max_frames: int | None = None) -> PoseSequence:
    """Run the pose model over every decoded frame of ``video_path``.

    ``start_s``/``end_s``/``max_frames`` limit the frames read (for quick looks and tests).
    Raises VideoError for an unreadable video and ModelError/UnknownNameError for a bad model;
    a video in which nobody is found is not an error: all rows are missing, and a warning says so.
    """
    path = Path(video_path)
    with VideoSource(path, pixel_format="rgb24", start_s=start_s, end_s=end_s,
                     max_frames=max_frames) as source, \
            PoseEstimator(model, num_poses=num_poses) as estimator, \
            (PoseEstimator(model) if num_poses > 1 else nullcontext()) as follower:
        total = source.frame_count if max_frames is None else min(max_frames, source.frame_count)
        if num_poses > 1:
            sequence = _every_body(path, model, source, estimator, follower, total, progress,
                                   {"start_s": start_s, "end_s": end_s,
                                    "max_frames": max_frames})
        else:
            buffer = PoseBuffer(total + 16)
            for frame in source:
                buffer.append(estimator.estimate(frame))
                if progress is not None:
                    progress(buffer.n, max(total, buffer.n))
            sequence = buffer.to_sequence(source.width, source.height,
                                          sequence_meta(path, source, estimator))
    found = int(sequence.detected.sum())
    if len(sequence) and found == 0:
        log.warning("%s: nobody was found in any of its %d frames", path.name, len(sequence))
    elif len(sequence) and found < 0.5 * len(sequence):
        log.info("%s: a person was found in only %d of %d frames",
                 path.name, found, len(sequence))
    if estimator.people.second_person_seen:
        log.warning("%s: more than one person in view in %d frames; followed the one who moves "
                    "most", path.name, estimator.people.multi_person_frames)
    return sequence


def _every_body(path: Path, model: str | Path, source: VideoSource, estimator: PoseEstimator,
                follower: PoseEstimator, total: int, progress: Progress | None,
                source_args: dict[str, Any]) -> PoseSequence:
    """Every body of every frame, the person who moves most chosen over the whole clip, a
    second look where they were missed: their rows as an on-disk sequence.

    The bodies go to a temporary file as they come and are linked into tracks at once
    (:class:`~glutecv.pose.candidates.CandidateBodies`), and the rows to a
    :class:`~glutecv.pose.store.LandmarkStore`: memory does not grow with the clip's length
    beyond the tracks' frame -> body maps.
    """
    bodies = CandidateBodies(total + 16)
    for frame in source:
        bodies.add(frame.t_s, frame_candidates(follower.detect_all(frame),
                                               estimator.detect_all(frame)))
        if progress is not None:
            progress(len(bodies), max(total, len(bodies)))
    meta = sequence_meta(path, source, estimator)
    chosen, selection, others = bodies.select()
    refilled = refill_gaps(path, model, chosen, others, source.width, source.height,
                           source.fps, source_args)
    selection = replace(selection, refilled_frames=refilled)
    meta["people"]["selection"] = selection.to_dict()
    log.info("%s: %s", path.name, selection.reason)
    rows = LandmarkStore(len(bodies) + 16)
    for i in range(len(bodies)):
        pose, t_s = chosen[i], bodies.time_at(i)
        # a second-look body belongs to row i only if it is the same decoded frame
        rows.append(pose if pose is not None and abs(pose.t_s - t_s) < 1e-6
                    else PoseFrame.missing(t_s, i))
        if i % RELEASE_EVERY == RELEASE_EVERY - 1:
            bodies.release()  # pages of the bodies read so far: file cache, not this process's
    sequence = rows.to_sequence(source.width, source.height, meta)
    rows.close()
    return sequence


def frame_candidates(followed: list[PoseFrame], found: list[PoseFrame]) -> list[PoseFrame]:
    """The distinct bodies of one frame: the model's tracked person first, then the others.

    Asked for several people, MediaPipe detects afresh in every frame, and its person detector
    can miss someone who stands right beside or in front of another (in a real clip it missed a
    squatting woman for a third of a second while her coach stood beside her). A second model
    instance asked for one person keeps following that person from frame to frame, so adding
    its body recovers those frames. A body found by both is kept once (the tracked copy, whose
    landmarks are steadier).
    """
    bodies = followed + found
    keep = without_duplicates([b.image for b in bodies], [b.visibility for b in bodies])
    return [bodies[k] for k in keep]


class PoseBuffer:
    """Rows of a PoseSequence in preallocated arrays that grow by half when full.

    An hour of video is ~108,000 rows of ~2 KB: kept as arrays (not per-frame objects) the
    memory stays proportional to the landmarks alone.
    """

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        self._alloc(max(16, int(capacity)))

    def _alloc(self, capacity: int) -> None:
        old = getattr(self, "_arrays", None)
        shapes = {"t_s": (), "image": (NUM_LANDMARKS, 3), "world": (NUM_LANDMARKS, 3),
                  "visibility": (NUM_LANDMARKS,), "presence": (NUM_LANDMARKS,)}
        self._arrays = {k: np.full((capacity, *shape), np.nan) for k, shape in shapes.items()}
        if old is not None:
            for k, arr in old.items():
                self._arrays[k][: self.n] = arr[: self.n]

    def append(self, pose: PoseFrame) -> None:
        if self.n == len(self._arrays["t_s"]):
            self._alloc(self.n + self.n // 2 + 16)
        self.put(self.n, pose)
        self.n += 1

    def time_at(self, i: int) -> float:
        """The time (s) of row ``i``."""
        return float(self._arrays["t_s"][i])

    def put(self, i: int, pose: PoseFrame) -> None:
        """Write ``pose`` into row ``i`` (already appended or the next one)."""
        a = self._arrays
        a["t_s"][i] = pose.t_s
        a["image"][i], a["world"][i] = pose.image, pose.world
        a["visibility"][i], a["presence"][i] = pose.visibility, pose.presence

    def to_sequence(self, width: int, height: int, meta: dict[str, Any]) -> PoseSequence:
        rows = {k: v[: self.n].copy() for k, v in self._arrays.items()}
        return PoseSequence(**rows, width=int(width), height=int(height), meta=meta)


def sequence_meta(path: Path, source: VideoSource, estimator: PoseEstimator) -> dict[str, Any]:
    """What a landmark file records about how it was made (JSON-serialisable)."""
    from glutecv import __version__
    from glutecv.models.manifest import sha256_file

    video = source.info.to_dict()
    video.update(frames_decoded=source.frames_decoded,
                 gaps_s=[[a, b if b != float("inf") else None] for a, b in source.gaps],
                 timestamps_nudged=source.nudged)
    people = estimator.people
    return {
        "source": str(path),
        "source_name": path.name,
        "model": estimator.model_name,
        "model_path": str(estimator.model_path),
        "model_sha256": sha256_file(estimator.model_path),
        "num_poses": estimator.num_poses,
        "glutecv_version": __version__,
        "video": video,
        "people": {"max_seen": people.max_people,
                   "multi_person_frames": people.multi_person_frames},
    }
