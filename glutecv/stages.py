"""The two frame-by-frame passes of :mod:`glutecv.pipeline`, each overlapped with threads.

* :func:`extract_pose` (pass 1): the decoder runs on its own thread a few frames ahead (RGB
  straight from YUV, the order MediaPipe wants) while this thread runs the pose model. Only
  landmarks are kept, in preallocated arrays, never frames.
* :func:`render_annotated` (pass 2): decode (thread, BGR for drawing) -> draw the overlay
  (this thread) -> H.264 encode (thread). Each hand-off is a bounded queue.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.landmarks import NUM_LANDMARKS
from glutecv.pose.types import PoseFrame, PoseSequence
from glutecv.results import AnalysisResult, frame_state_at

log = logging.getLogger("glutecv.stages")

Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 8  # frames between progress callbacks
#: x264 preset of annotated videos: "superfast" encodes ~2x faster than "veryfast" for a
#: slightly larger file, which keeps pass 2 short next to the pose model (benchmarks/speed.py).
VIDEO_PRESET = "superfast"


class LandmarkBuffer:
    """Growable arrays of landmarks (amortised doubling): O(frames) small memory, no frames."""

    def __init__(self, capacity: int = 1024) -> None:
        cap = max(16, int(capacity))
        self.n = 0
        self.t_s = np.empty(cap)
        self.image = np.empty((cap, NUM_LANDMARKS, 3))
        self.world = np.empty((cap, NUM_LANDMARKS, 3))
        self.visibility = np.empty((cap, NUM_LANDMARKS))
        self.presence = np.empty((cap, NUM_LANDMARKS))

    def append(self, pose: PoseFrame) -> None:
        if self.n == self.t_s.shape[0]:
            for name in ("t_s", "image", "world", "visibility", "presence"):
                old = getattr(self, name)
                new = np.empty((old.shape[0] * 2, *old.shape[1:]))
                new[: self.n] = old[: self.n]
                setattr(self, name, new)
        i = self.n
        self.t_s[i] = pose.t_s
        self.image[i] = pose.image
        self.world[i] = pose.world
        self.visibility[i] = pose.visibility
        self.presence[i] = pose.presence
        self.n += 1

    def to_sequence(self, width: int, height: int, meta: dict[str, Any]) -> PoseSequence:
        n = self.n
        return PoseSequence(self.t_s[:n].copy(), self.image[:n].copy(), self.world[:n].copy(),
                            self.visibility[:n].copy(), self.presence[:n].copy(),
                            int(width), int(height), meta)


def extract_pose(path: str | Path, model: str = "full", progress: Progress | None = None,
                 max_frames: int | None = None, num_poses: int = 1) -> PoseSequence:
    """Pass 1: the landmarks of every frame of ``path`` (NaN rows where nobody was found)."""
    from glutecv.io.video import VideoSource
    from glutecv.pose.estimator import PoseEstimator
    from glutecv.pose.extract import sequence_meta

    path = Path(path)
    with VideoSource(path, pixel_format="rgb24", prefetch=6, max_frames=max_frames) as src, \
            PoseEstimator(model, num_poses=num_poses) as estimator:
        total = src.frame_count or None
        buf = LandmarkBuffer(total + 8 if total else 1024)
        for frame in src:
            buf.append(estimator.estimate(frame))
            if progress is not None and (buf.n % PROGRESS_EVERY == 0):
                progress("pose", buf.n, total)
        meta = sequence_meta(path, src, estimator)
    if progress is not None:
        progress("pose", buf.n, buf.n)
    meta["source_path"] = str(path.resolve())
    meta["source_bytes"] = path.stat().st_size
    meta["video"]["frames"] = buf.n
    warnings = [_gap_text(a, b) for a, b in src.gaps]
    if meta.get("people", {}).get("multi_person_frames"):
        warnings.append(f"more than one person in view in {meta['people']['multi_person_frames']}"
                        " frames; followed one person throughout")
    meta["warnings"] = warnings
    return buf.to_sequence(src.width, src.height, meta)


def render_annotated(video: str | Path, seq: PoseSequence, result: AnalysisResult,
                     out_path: str | Path, progress: Progress | None = None) -> int:
    """Pass 2: draw the overlay (with the timeline strip) on every frame, encode to H.264.

    Frame ``i`` of the video gets pose ``i`` of ``seq``: the pose is always drawn on the
    frame it was estimated from. Returns the number of frames written.
    """
    from glutecv.annotate import build_overlay
    from glutecv.io.video import VideoSource
    from glutecv.io.video_writer import VideoWriter

    n_pose = len(seq)
    written = 0
    with VideoSource(video, pixel_format="bgr24", prefetch=6) as src:
        info = src.info
        fps = info.fps if info.fps and np.isfinite(info.fps) else (seq.fps or 30.0)
        overlay = build_overlay(info.width, info.height, result)
        with VideoWriter(out_path, info.width, info.height, fps=fps,
                         preset=VIDEO_PRESET) as writer:
            for frame in src:
                i = frame.index
                if i >= n_pose:
                    break
                state = frame_state_at(result, i)
                pose = seq[i]
                image = frame.image
                if not image.flags.writeable:
                    image = image.copy()
                overlay.annotate(image, pose if pose.detected else None, state)
                writer.write(image, frame.t_s)
                written += 1
                if progress is not None and written % PROGRESS_EVERY == 0:
                    progress("video", written, n_pose)
    if progress is not None:
        progress("video", written, n_pose)
    return written


def _gap_text(start: float, end: float) -> str:
    if not np.isfinite(end):
        return f"the video ends early at {start:.2f} s (file truncated or damaged)"
    return f"undecodable frames skipped between {start:.2f} s and {end:.2f} s"


