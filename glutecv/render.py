"""Pass 2 of :mod:`glutecv.pipeline`: the annotated video.

decode (thread; BGR, scaled down if large) -> draw the overlay (this thread) -> H.264 encode
(the writer's thread). Each hand-off is a bounded queue, so at most a few frames are in memory
however long the video is. Pass 1 (the landmarks) is :mod:`glutecv.pose_pass`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.pose.store import release
from glutecv.pose.types import PoseFrame, PoseSequence
from glutecv.results import AnalysisResult, FrameState, frame_state_at

log = logging.getLogger("glutecv.render")

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
#: Frames between two :func:`~glutecv.pose.store.release` calls (landmarks read from disk
#: are dropped from memory as the pass goes, so it stays flat however long the video is).
RELEASE_EVERY = 2048


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
                    if written % RELEASE_EVERY == 0:  # landmarks on disk: drop read pages
                        release(seq)
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


