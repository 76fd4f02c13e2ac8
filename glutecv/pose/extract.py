"""A whole video to a :class:`~glutecv.pose.types.PoseSequence`: one row per decoded frame.

Frames where nobody is found stay in the sequence as NaN rows, so row ``i`` is always the
``i``-th decoded frame and its time is the container's own. The sequence's ``meta`` says where
it came from: source file, model name and sha256, glutecv version, and the video's facts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glutecv.io.video import VideoSource
from glutecv.pose.estimator import PoseEstimator
from glutecv.pose.tracking import select_person
from glutecv.pose.types import PoseFrame, PoseSequence

log = logging.getLogger("glutecv.pose.extract")

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
            PoseEstimator(model, num_poses=num_poses) as estimator:
        total = source.frame_count if max_frames is None else min(max_frames, source.frame_count)
        rows: list[list[PoseFrame]] = []  # every body found, per frame
        times: list[tuple[float, int]] = []
        for frame in source:
            if num_poses == 1:
                pose = estimator.estimate(frame)
                rows.append([pose] if pose.detected else [])
            else:
                rows.append(estimator.detect_all(frame))
            times.append((frame.t_s, frame.index))
            if progress is not None:
                progress(len(rows), max(total, len(rows)))
        meta = sequence_meta(path, source, estimator)
        if num_poses == 1:
            chosen: list[PoseFrame | None] = [r[0] if r else None for r in rows]
        else:
            chosen, selection = select_person(rows, source.width, source.height)
            meta["people"]["selection"] = selection.to_dict()
        frames = [c if c is not None else PoseFrame.missing(t, i)
                  for c, (t, i) in zip(chosen, times, strict=True)]
        sequence = PoseSequence.from_frames(frames, source.width, source.height, meta)
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
