"""Video files as iterators of upright :class:`~glutecv.io.frames.Frame` (PyAV).

:class:`VideoSource` opens a file (MP4, MOV, AVI, MKV, WebM, GIF, ...), reports its facts
(:class:`VideoInfo`: upright size, average fps, frame-count estimate, duration, rotation) and
yields every frame it can decode, decoded on a background thread a few frames ahead.

Promises:

- Times are the container's own ``pts * time_base`` in seconds, so 29.97 fps and variable
  frame rate come out right. They are strictly increasing: a duplicate or backwards timestamp
  is nudged 1 ms past the previous frame (logged once per file).
- Phone videos with a rotation tag (display matrix) come out upright.
- Damaged middle frames are skipped, decoding continues, and one warning gives the time range
  of each gap. A file that ends early (truncated) yields what it has, with a warning.
- Anything that is not a readable video (missing, empty, not a video, audio only, no frame
  decodes) raises :class:`~glutecv.errors.VideoError` with a one-line message, on opening.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.errors import VideoError
from glutecv.io.frames import Frame, PixelFormat, Prefetcher, check_pixel_format
from glutecv.io.video_decode import decode_frames, open_container

log = logging.getLogger("glutecv.io.video")

NUDGE_S = 1e-3  # how far a duplicate/backwards timestamp is pushed past the previous one


@dataclass(frozen=True)
class VideoInfo:
    """Facts about a video file. Sizes are of the upright picture, in pixels.

    ``rotation`` is the counter-clockwise rotation in degrees (0, 90, 180, 270) that the
    file's display matrix applies and that :class:`VideoSource` has applied to every frame.
    ``frame_count`` is the container's estimate; the decoded count can differ.
    """

    path: str
    width: int
    height: int
    fps: float
    frame_count: int
    duration_s: float
    rotation: int
    codec: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class VideoSource:
    """Iterate the upright frames of a video file; use as a context manager.

    ``pixel_format``: ``"bgr24"`` (default, for drawing) or ``"rgb24"`` (pose only).
    ``prefetch``: frames decoded ahead on a background thread (0 decodes inline).
    ``start_s``/``end_s``/``max_frames`` limit which frames are yielded (times in seconds
    of the container's clock); ``index`` still counts from 0 for the first yielded frame.

    After iteration ``frames_decoded`` counts the frames yielded, ``gaps`` lists the
    (start_s, end_s) ranges lost to damage and ``nudged`` the timestamps that were repaired.
    """

    def __init__(self, path: str | Path, pixel_format: PixelFormat = "bgr24", prefetch: int = 4,
                 start_s: float | None = None, end_s: float | None = None,
                 max_frames: int | None = None) -> None:
        self.path = Path(path)
        self.pixel_format = check_pixel_format(pixel_format)
        self.prefetch = int(prefetch)
        self.start_s, self.end_s, self.max_frames = start_s, end_s, max_frames
        self.frames_decoded = 0
        self.gaps: list[tuple[float, float]] = []
        self.nudged = 0
        self._prefetcher: Prefetcher | None = None
        self._iterated = False
        self._container, self._stream = open_container(self.path)
        try:
            if start_s and start_s > 0:
                self._seek(start_s)
            self._raw = decode_frames(self._container, self._stream, self.gaps)
            self._first = next(self._raw, None)
            if self._first is None:
                raise VideoError(f"{self.path}: no frame of the video could be decoded")
            self.info = self._read_info(self._first)
        except BaseException:
            self._container.close()
            raise

    def _seek(self, start_s: float) -> None:
        """Jump to the keyframe before ``start_s``; an unseekable file is read from the start
        (frames before ``start_s`` are skipped either way)."""
        import av

        try:
            self._container.seek(int(start_s / self._stream.time_base), stream=self._stream,
                                 backward=True, any_frame=False)
        except (av.error.FFmpegError, OverflowError, ValueError):
            log.debug("%s: cannot seek; decoding from the start", self.path.name)
            self._container.close()
            self._container, self._stream = open_container(self.path)

    # --- facts --------------------------------------------------------------------------------
    def _read_info(self, first: Any) -> VideoInfo:
        s = self._stream
        rotation = int(round((first.rotation or 0) / 90.0)) * 90 % 360
        width, height = first.width, first.height
        if rotation in (90, 270):
            width, height = height, width
        fps = _float_rate(s.average_rate) or _float_rate(s.guessed_rate) or float("nan")
        duration = float(s.duration * s.time_base) if s.duration else float("nan")
        if not math.isfinite(duration) and self._container.duration:
            duration = self._container.duration / 1_000_000
        frames = int(s.frames or 0)
        if frames <= 0 and math.isfinite(duration) and math.isfinite(fps):
            frames = int(round(duration * fps))
        if not math.isfinite(fps) and frames > 1 and math.isfinite(duration) and duration > 0:
            fps = frames / duration
        return VideoInfo(str(self.path), int(width), int(height), float(fps), frames,
                         duration, rotation, s.codec_context.name)

    @property
    def width(self) -> int:
        return self.info.width

    @property
    def height(self) -> int:
        return self.info.height

    @property
    def fps(self) -> float:
        return self.info.fps

    @property
    def frame_count(self) -> int:
        return self.info.frame_count

    @property
    def duration_s(self) -> float:
        return self.info.duration_s

    @property
    def rotation(self) -> int:
        return self.info.rotation

    # --- frames -------------------------------------------------------------------------------
    def _frames(self) -> Iterator[Frame]:
        """Decode, time-stamp, rotate and convert; runs on the prefetch thread."""
        raw = self._raw
        first, self._first = self._first, None
        nominal_dt = 1.0 / self.info.fps if self.info.fps > 0 else 1.0 / 30.0
        prev_t = -math.inf
        index = 0
        pending = [first] if first is not None else []
        while True:
            av_frame = pending.pop() if pending else next(raw, None)
            if av_frame is None:
                break
            if av_frame.pts is not None:
                t = float(av_frame.pts * av_frame.time_base)
            else:  # no timestamp at all: continue the nominal rate
                t = prev_t + nominal_dt if math.isfinite(prev_t) else 0.0
            if self.start_s is not None and t < self.start_s - 1e-9:
                continue
            if self.end_s is not None and t >= self.end_s:
                break
            if t <= prev_t:
                self.nudged += 1
                t = prev_t + NUDGE_S
            prev_t = t
            yield Frame(index, t, self._to_array(av_frame), self.pixel_format)
            index += 1
            self.frames_decoded = index
            if self.max_frames is not None and index >= self.max_frames:
                break

    def _to_array(self, av_frame: Any) -> np.ndarray:
        image = av_frame.to_ndarray(format=self.pixel_format)
        if self.info.rotation:
            import cv2

            code = {90: cv2.ROTATE_90_COUNTERCLOCKWISE, 180: cv2.ROTATE_180,
                    270: cv2.ROTATE_90_CLOCKWISE}[self.info.rotation]
            image = cv2.rotate(image, code)
        return image

    def _report(self) -> None:
        if self.nudged:
            log.warning("%s: %d frame(s) had duplicate or out-of-order timestamps; moved %g ms "
                        "after the previous frame", self.path.name, self.nudged, NUDGE_S * 1e3)
        for start, end in self.gaps:
            if math.isinf(end):
                log.warning("%s: the video ends early at %.2f s (file truncated or damaged)",
                            self.path.name, start)
            else:
                log.warning("%s: skipped undecodable frames between %.2f s and %.2f s",
                            self.path.name, start, end)

    def __iter__(self) -> Iterator[Frame]:
        if self._iterated:
            raise RuntimeError("a VideoSource can be iterated only once; open a new one")
        self._iterated = True
        if self.prefetch <= 0:
            yield from self._frames()
        else:
            self._prefetcher = Prefetcher(self._frames, depth=self.prefetch,
                                          name=f"glutecv-decode-{self.path.name}")
            yield from self._prefetcher  # type: ignore[misc]
        self._report()  # on the consumer's thread, after the last frame

    def close(self) -> None:
        """Stop the decode thread and close the file (safe to call twice)."""
        if self._prefetcher is not None:
            self._prefetcher.close()
            self._prefetcher = None
        try:
            self._raw.close()
        except ValueError:  # still running on a decode thread that did not stop in time
            return
        self._container.close()

    def __enter__(self) -> VideoSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        i = self.info
        return (f"VideoSource({str(self.path)!r}, {i.width}x{i.height}, {i.fps:.3f} fps, "
                f"~{i.frame_count} frames, rotation {i.rotation})")


def probe(path: str | Path) -> VideoInfo:
    """The facts of a video file without decoding more than its first frame."""
    with VideoSource(path, prefetch=0) as src:
        return src.info


def _float_rate(rate: Any) -> float:
    try:
        value = float(rate) if rate is not None else 0.0
    except (TypeError, ZeroDivisionError):
        return 0.0
    return value if math.isfinite(value) and value > 0 else 0.0
