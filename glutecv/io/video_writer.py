"""H.264 MP4 writer (PyAV, libx264): browser-playable, written atomically, encoded off-thread.

:class:`VideoWriter` writes ``yuv420p`` H.264 with the index at the front of the file
(``movflags=+faststart``) so a browser starts playing while it loads. Frames go through a small
bounded queue to an encoder thread, so drawing the next frame overlaps with encoding this one
and memory stays bounded. The file is written under a temporary name beside the target and
renamed only when :meth:`close` succeeds: an interrupted run leaves no half-written video.

Timing: pass each frame's own ``t_s`` (the source's timestamps, so a variable-frame-rate
source stays in sync) or ``None`` for a constant ``fps``. The writer keeps a reference to
each image until it is encoded: do not draw into the same array again after ``write``.
"""

from __future__ import annotations

import logging
import queue
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.errors import OutputError
from glutecv.io.atomic import atomic_path
from glutecv.io.frames import PixelFormat, check_pixel_format

log = logging.getLogger("glutecv.io.video_writer")

TIME_BASE = Fraction(1, 90000)  # the usual MP4 video clock: exact for 24/25/30/29.97/60 fps
DEFAULT_CRF = 23  # x264's default quality: visually clean overlays at modest size
DEFAULT_PRESET = "superfast"  # 720p: ~7.8 ms CPU a frame (veryfast ~9.9, ultrafast ~5.5 at 2x size)
_STOP = object()


class VideoWriter:
    """Write BGR (or RGB) uint8 frames of one size to an H.264 ``.mp4`` at ``path``.

    ``width``/``height`` are the frame size in pixels (odd sizes lose their last row/column,
    which yuv420p cannot hold); ``fps`` is the nominal rate, used when ``write`` gets no time.
    """

    def __init__(self, path: str | Path, width: int, height: int, fps: float = 30.0, *,
                 crf: int = DEFAULT_CRF, preset: str = DEFAULT_PRESET,
                 pixel_format: PixelFormat = "bgr24", queue_size: int = 8,
                 threads: int = 2) -> None:
        import av

        self.path = Path(path)
        if self.path.suffix.lower() != ".mp4":
            raise OutputError(f"{self.path}: the annotated video must be an .mp4 file")
        self.width, self.height = int(width), int(height)
        self.fps = float(fps) if fps and np.isfinite(fps) and fps > 0 else 30.0
        self.pixel_format = check_pixel_format(pixel_format)
        self.frames_written = 0
        self._enc_w, self._enc_h = self.width - self.width % 2, self.height - self.height % 2
        if self._enc_w < 2 or self._enc_h < 2:
            raise OutputError(f"{self.path}: cannot encode a {width}x{height} video")
        self._last_pts = -1
        self._error: BaseException | None = None
        self._closed = False
        self._atomic = atomic_path(self.path)
        tmp = self._atomic.__enter__()
        try:
            self._container = av.open(str(tmp), "w", format="mp4",
                                      options={"movflags": "+faststart"})
            rate = Fraction(self.fps).limit_denominator(1001)
            self._stream = self._container.add_stream("libx264", rate=rate)
            self._stream.width, self._stream.height = self._enc_w, self._enc_h
            self._stream.pix_fmt = "yuv420p"
            self._stream.time_base = TIME_BASE
            self._stream.codec_context.time_base = TIME_BASE
            self._stream.options = {"crf": str(int(crf)), "preset": preset,
                                    "threads": str(int(threads))}
        except Exception as exc:
            self._atomic.__exit__(type(exc), exc, exc.__traceback__)
            raise OutputError(f"{self.path}: cannot start the H.264 encoder ({exc})") from None
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=max(1, queue_size))
        self._thread = threading.Thread(target=self._encode_loop, daemon=True,
                                        name=f"glutecv-encode-{self.path.name}")
        self._thread.start()

    # --- producer side ------------------------------------------------------------------------
    def write(self, image: np.ndarray, t_s: float | None = None) -> None:
        """Queue one frame (blocks while the encoder is ``queue_size`` frames behind)."""
        if self._error is not None:
            raise self._error
        if self._closed:
            raise RuntimeError("write() after close()")
        if image.shape[:2] != (self.height, self.width) or image.dtype != np.uint8:
            raise ValueError(f"frame: expected ({self.height}, {self.width}, 3) uint8, "
                             f"got {image.shape} {image.dtype}")
        if t_s is None:
            pts = round(self.frames_written / self.fps / TIME_BASE)
        else:
            pts = round(max(0.0, float(t_s)) / TIME_BASE)
        if pts <= self._last_pts:
            pts = self._last_pts + 1
        self._last_pts = pts
        self.frames_written += 1
        self._queue.put((image, pts))

    # --- encoder thread -----------------------------------------------------------------------
    def _encode_loop(self) -> None:
        import av

        while True:
            item = self._queue.get()
            if item is _STOP:
                break
            if self._error is not None:
                continue  # drain so the producer never blocks on a dead encoder
            image, pts = item
            try:
                if image.shape[1] != self._enc_w or image.shape[0] != self._enc_h:
                    image = np.ascontiguousarray(image[: self._enc_h, : self._enc_w])
                frame = av.VideoFrame.from_ndarray(image, format=self.pixel_format)
                frame.pts, frame.time_base = pts, TIME_BASE
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
            except Exception as exc:
                self._error = OutputError(f"{self.path}: encoding failed ({exc})")
        if self._error is None:
            try:
                for packet in self._stream.encode(None):
                    self._container.mux(packet)
            except Exception as exc:
                self._error = OutputError(f"{self.path}: encoding failed ({exc})")

    # --- finishing ----------------------------------------------------------------------------
    def close(self, success: bool = True) -> None:
        """Finish encoding and rename into place (``success``), or discard everything."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._thread.join()
        try:
            self._container.close()
        except Exception as exc:
            self._error = self._error or OutputError(f"{self.path}: cannot finish ({exc})")
        failure = self._error if success else _Discarded()
        if failure is None and self.frames_written == 0:
            failure = OutputError(f"{self.path}: no frames to write")
        if failure is None:
            try:
                self._atomic.__exit__(None, None, None)
            except OSError as exc:
                raise OutputError(f"{self.path}: cannot be written ({exc.strerror or exc})"
                                  ) from None
            return
        self._atomic.__exit__(type(failure), failure, None)
        if success:
            raise failure

    def __enter__(self) -> VideoWriter:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self.close(success=exc_type is None)


class _Discarded(Exception):
    """Internal: the writer was closed because of an error elsewhere; drop the file."""
