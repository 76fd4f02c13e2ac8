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
from glutecv.results import AnalysisResult, FrameState, frame_state_at

log = logging.getLogger("glutecv.stages")

Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 8  # frames between progress callbacks
#: x264 preset of annotated videos. "ultrafast" encodes ~1.7x faster than "superfast" (files
#: ~2x larger, still ~15 MB a minute at 720p): the encoder is the slowest step of pass 2, and
#: pass 2 is what analyze adds to the pose model's time (benchmarks/speed.py).
VIDEO_PRESET = "ultrafast"
#: Annotated videos are at most this many pixels on their long side (a 4K phone video becomes
#: 720x1280): plenty to review form in a browser, and encoding 4K would take longer than the
#: pose model.
MAX_VIDEO_SIDE = 1280


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
                 max_frames: int | None = None, num_poses: int = 1,
                 start_s: float | None = None, end_s: float | None = None) -> PoseSequence:
    """Pass 1: the landmarks of every frame of ``path`` (NaN rows where nobody was found).

    ``start_s``/``end_s`` limit it to the frames with ``start_s <= t < end_s`` (container
    time, seconds), so that parts of one video can be done in parallel.
    """
    from glutecv.io.video import VideoSource
    from glutecv.pose.estimator import PoseEstimator
    from glutecv.pose.extract import sequence_meta

    path = Path(path)
    with VideoSource(path, pixel_format="rgb24", prefetch=6, max_frames=max_frames,
                     start_s=start_s, end_s=end_s) as src, \
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
    meta["warnings"] = [_gap_text(a, b) for a, b in src.gaps]
    multi = meta.get("people", {}).get("multi_person_frames")
    if multi:
        meta["warnings"].append(f"more than one person in view in {multi} frames; "
                                "followed one person throughout")
    return buf.to_sequence(src.width, src.height, meta)


#: Below this many frames a video is not split between processes (start-up would dominate).
MIN_SPLIT_FRAMES = 240
#: Seconds a helper process needs before its first frame (interpreter, imports, model).
HELPER_STARTUP_S = 2.0
#: The helper starts this many seconds before its part and drops those rows: the model's
#: tracking and landmark smoothing settle, so the seam matches a single pass closely.
SEAM_WARMUP_S = 1.0


def extract_pose_parallel(path: str | Path, model: str = "full",
                          progress: Progress | None = None, workers: int = 2,
                          num_poses: int = 1) -> PoseSequence:
    """Pass 1 on two cores: the video's second part goes to a helper process.

    The pose model keeps about one core busy, so one video analysed alone leaves the other
    core idle; here a spawned helper runs the model on the tail of the video while this process
    does the head. The split point gives the helper fewer frames, to make up for its start-up
    time. The parts meet at a frame boundary (half a frame interval after a frame's time); the
    helper starts :data:`SEAM_WARMUP_S` early so the model's tracking has settled at the seam.
    """
    from concurrent.futures import ProcessPoolExecutor

    from glutecv.io.video import probe

    path = Path(path)
    info = probe(path)
    n, fps = info.frame_count, info.fps
    if workers < 2 or n < MIN_SPLIT_FRAMES or not (fps > 0 and np.isfinite(fps)):
        return extract_pose(path, model, progress, num_poses=num_poses)
    start = _first_frame_time(path)
    frame_s = 0.02 * _frame_time_guess(model)  # rough seconds per frame of the model
    head_frames = int(min(n * 0.8, (n + HELPER_STARTUP_S / frame_s) / 2))
    split_s = start + (head_frames + 0.5) / fps
    import multiprocessing as mp

    with ProcessPoolExecutor(1, mp_context=mp.get_context("spawn")) as pool:
        warm_from = max(start, split_s - SEAM_WARMUP_S)  # rows before split_s are dropped
        tail_job = pool.submit(extract_pose, path, model, None, None, num_poses, warm_from,
                               None)

        def head_progress(stage: str, done: int, total: int | None) -> None:
            if progress is not None:
                progress(stage, min(n, int(done * n / max(head_frames, 1))), n)

        head = extract_pose(path, model, head_progress, num_poses=num_poses, end_s=split_s)
        tail = tail_job.result()
    return _concat(head, tail)


def _frame_time_guess(model: str) -> float:
    """Relative per-frame cost of the models (full = 1), for balancing the split."""
    return {"lite": 0.7, "full": 1.0, "heavy": 2.5}.get(model, 1.0)


def _first_frame_time(path: Path) -> float:
    from glutecv.io.video import VideoSource

    with VideoSource(path, prefetch=0, max_frames=1) as src:
        first = next(iter(src), None)
    return float(first.t_s) if first is not None else 0.0


def _concat(head: PoseSequence, tail: PoseSequence) -> PoseSequence:
    keep = tail.t_s > (head.t_s[-1] if len(head) else -np.inf)  # never a frame twice
    meta = dict(head.meta)
    meta["video"] = dict(head.meta["video"])
    meta["video"]["frames"] = len(head) + int(keep.sum())
    meta["warnings"] = list(head.meta.get("warnings", [])) + list(tail.meta.get("warnings", []))
    meta["split_at_s"] = float(tail.t_s[0]) if len(tail) else None
    return PoseSequence(
        np.concatenate([head.t_s, tail.t_s[keep]]),
        np.concatenate([head.image, tail.image[keep]]),
        np.concatenate([head.world, tail.world[keep]]),
        np.concatenate([head.visibility, tail.visibility[keep]]),
        np.concatenate([head.presence, tail.presence[keep]]),
        head.width, head.height, meta)


def render_annotated(video: str | Path, seq: PoseSequence, result: AnalysisResult,
                     out_path: str | Path, progress: Progress | None = None) -> int:
    """Pass 2: draw the overlay (with the timeline strip) on every frame, encode to H.264.

    Each frame gets the pose row with the same timestamp: a pose is only ever drawn on the
    frame it was estimated from. Frames larger than :data:`MAX_VIDEO_SIDE` are scaled down
    (on the decode thread). Returns the number of frames written.
    """
    from glutecv.annotate import build_overlay
    from glutecv.io.frames import Prefetcher
    from glutecv.io.video import VideoSource
    from glutecv.io.video_writer import VideoWriter

    n_pose = len(seq)
    times = seq.t_s
    written = 0
    j = 0
    with VideoSource(video, pixel_format="bgr24", prefetch=0) as src:
        info = src.info
        fps = info.fps if info.fps and np.isfinite(info.fps) else (seq.fps or 30.0)
        tolerance = 0.25 / fps  # a frame matches a pose row when their times agree this well
        scale = min(1.0, MAX_VIDEO_SIDE / max(info.width, info.height))
        width, height = _even(info.width * scale), _even(info.height * scale)
        xyz_scale = np.array([width / info.width, height / info.height, width / info.width])
        overlay = build_overlay(width, height, result)
        frames = Prefetcher(lambda: _scaled_frames(src, width, height), depth=6,
                            name="glutecv-decode-annotate")
        try:
            with VideoWriter(out_path, width, height, fps=fps, preset=VIDEO_PRESET) as writer:
                for t_s, image in frames:  # type: ignore[misc]
                    while j < n_pose - 1 and times[j] < t_s - tolerance:
                        j += 1
                    if n_pose > 0 and abs(times[j] - t_s) <= tolerance:
                        pose = seq[j]
                        if scale != 1.0:
                            pose = PoseFrame(pose.t_s, pose.image * xyz_scale, pose.world,
                                             pose.visibility, pose.presence, pose.index)
                        overlay.annotate(image, pose if pose.detected else None,
                                         frame_state_at(result, j))
                    else:  # a frame the pose pass never saw: no skeleton, never a stale one
                        overlay.annotate(image, None, FrameState(t_s, False))
                    writer.write(image, t_s)
                    written += 1
                    if progress is not None and written % PROGRESS_EVERY == 0:
                        progress("video", written, n_pose)
        finally:
            frames.close()
    if progress is not None:
        progress("video", written, n_pose)
    return written


def _scaled_frames(src: Any, width: int, height: int) -> Any:
    """(t_s, writable BGR image at width x height) for each frame; runs on the decode thread."""
    import cv2

    for frame in src:
        image = frame.image
        if image.shape[1] != width or image.shape[0] != height:
            image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
        elif not image.flags.writeable:
            image = image.copy()
        yield frame.t_s, image


def _even(x: float) -> int:
    return max(2, int(round(x / 2)) * 2)


def _gap_text(start: float, end: float) -> str:
    if not np.isfinite(end):
        return f"the video ends early at {start:.2f} s (file truncated or damaged)"
    return f"undecodable frames skipped between {start:.2f} s and {end:.2f} s"


