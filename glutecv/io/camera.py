"""Live sources: a camera (OpenCV index or stream URL) and a file played at its own pace.

All follow the :class:`~glutecv.io.live_source.LiveSource` contract (``read(timeout_s)``,
``lost``, ``finished``, ``dropped``): a grabber thread keeps only the newest frame, so a slow
consumer always gets the latest picture. :func:`open_live_source` picks the right one for
``glutecv live --camera N`` / ``--source URL`` / ``--source FILE [--realtime]``.

Camera frames are BGR (what OpenCV delivers); ``t_s`` is seconds since the camera opened
(a webcam has no container clock) and ``captured_at`` the monotonic time of capture.
A camera that drops out is reopened every ``reconnect_s`` seconds while ``lost`` is shown.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from glutecv.errors import CameraError
from glutecv.io.frames import Frame
from glutecv.io.live_source import LiveSource

log = logging.getLogger("glutecv.io.camera")

CaptureFactory = Callable[[int | str], Any]
"""Makes a ``cv2.VideoCapture``-like object (``isOpened``, ``read``, ``get``, ``release``)."""


def _open_capture(target: int | str) -> Any:
    import cv2

    from glutecv.pose.estimator import native_stderr_silenced

    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    with native_stderr_silenced(not os.environ.get("GLUTECV_VERBOSE")):
        return cv2.VideoCapture(target)


class CameraSource(LiveSource):
    """Frames from a camera index (``0``) or a stream URL (``rtsp://...``), newest first.

    Raises CameraError (one line) when the camera cannot be opened or sends no first frame
    within ``open_timeout_s``. ``width``/``height``/``fps`` request a capture mode (the camera
    may choose another); the attributes report what it delivers.
    """

    def __init__(self, target: int | str = 0, *, width: int | None = None,
                 height: int | None = None, fps: float | None = None,
                 open_timeout_s: float = 5.0, lost_after_s: float = 1.0,
                 reconnect_s: float = 2.0, give_up_s: float | None = 10.0,
                 capture_factory: CaptureFactory | None = None) -> None:
        super().__init__(lost_after_s=lost_after_s, give_up_s=give_up_s)
        self.target = target
        self.name = f"camera {target}" if isinstance(target, int) else str(target)
        self.reconnect_s = float(reconnect_s)
        self._factory = capture_factory or _open_capture
        self._requested = (width, height, fps)
        self._cap = self._open_within(open_timeout_s)
        if self._cap is None:
            raise CameraError(f"{self.name} cannot be opened (no such device, in use by another "
                              "program, or no permission)")
        got = self._cap.get(5)  # cv2.CAP_PROP_FPS
        self.fps = float(got) if got and math.isfinite(got) and 0 < got < 1000 else 30.0
        self._t0 = time.monotonic()
        self._start()
        first = self.read(timeout_s=open_timeout_s)
        if first is None:
            self.close()
            raise CameraError(f"{self.name} opened but sent no frame within "
                              f"{open_timeout_s:.0f} s")
        self.height, self.width = first.image.shape[:2]
        self._first: Frame | None = first

    def _open_within(self, timeout_s: float) -> Any | None:
        """:meth:`_open` on a helper thread, so an unreachable stream URL cannot hang us."""
        box: list[Any] = []
        opener = threading.Thread(target=lambda: box.append(self._open()), daemon=True,
                                  name="glutecv-camera-open")
        opener.start()
        opener.join(timeout_s)
        if opener.is_alive():
            raise CameraError(f"{self.name} did not open within {timeout_s:.0f} s "
                              "(unreachable stream?)")
        return box[0] if box else None

    def _open(self) -> Any | None:
        cap = self._factory(self.target)
        if cap is None or not cap.isOpened():
            if cap is not None:
                cap.release()
            return None
        width, height, fps = self._requested
        for prop, value in ((3, width), (4, height), (5, fps)):  # CAP_PROP_FRAME_WIDTH/HEIGHT/FPS
            if value:
                cap.set(prop, value)
        cap.set(38, 1)  # CAP_PROP_BUFFERSIZE: keep no backlog in the driver (where supported)
        return cap

    def read(self, timeout_s: float = 0.5) -> Frame | None:
        first = getattr(self, "_first", None)
        if first is not None:
            self._first = None
            return first
        return super().read(timeout_s)

    def _grab_loop(self) -> None:
        failing_since: float | None = None
        last_reopen = 0.0
        while not self._stop.is_set():
            cap = self._cap
            ok, image = cap.read() if cap is not None else (False, None)
            now = time.monotonic()
            if ok and image is not None:
                if failing_since is not None:
                    log.info("%s: frames are arriving again", self.name)
                failing_since = None
                self._publish(Frame(self.captured, now - self._t0, image, "bgr24", now))
                continue
            if failing_since is None:
                failing_since = now
                log.warning("%s: no frame from the camera; waiting", self.name)
            if now - failing_since >= self.reconnect_s and now - last_reopen >= self.reconnect_s:
                last_reopen = now
                self._reopen()
            self._stop.wait(0.02)

    def _reopen(self) -> None:
        if self._cap is not None:
            self._cap.release()
        self._cap = self._open()
        log.debug("%s: reconnect %s", self.name, "succeeded" if self._cap else "failed")

    def _release(self) -> None:
        if self._cap is not None and (self._thread is None or not self._thread.is_alive()):
            self._cap.release()
            self._cap = None


class RealtimeFileSource(LiveSource):
    """A video file played at its own speed, as if it came from a camera.

    Frames keep the file's own ``t_s``; they are published when the wall clock reaches them
    (relative to the first frame), and a consumer that falls behind gets the newest frame,
    exactly like a camera. ``finished`` turns True at the end of the file.
    """

    def __init__(self, path: str | Path, *, speed: float = 1.0, lost_after_s: float = 1.0,
                 give_up_s: float | None = 10.0) -> None:
        from glutecv.io.video import VideoSource

        super().__init__(lost_after_s=lost_after_s, give_up_s=give_up_s)
        self.speed = float(speed) if speed > 0 else 1.0
        self._video = VideoSource(path, pixel_format="bgr24", prefetch=2)
        self.name = Path(path).name
        self.width, self.height, self.fps = self._video.width, self._video.height, self._video.fps
        self._start()

    def _grab_loop(self) -> None:
        start_wall: float | None = None
        t0 = 0.0
        for frame in self._video:
            if self._stop.is_set():
                return
            if start_wall is None:
                start_wall, t0 = time.monotonic(), frame.t_s
            due = start_wall + (frame.t_s - t0) / self.speed
            delay = due - time.monotonic()
            if delay > 0 and self._stop.wait(delay):
                return
            now = time.monotonic()
            self._publish(Frame(frame.index, frame.t_s, frame.image, "bgr24", now))

    def _release(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._video.close()


class FileFrameSource(LiveSource):
    """A video file read as fast as the consumer asks, every frame kept (no real-time pacing).

    For ``glutecv live --source FILE`` without ``--realtime``: same API as a camera, but
    ``read`` hands over frames in order and nothing is dropped.
    """

    def __init__(self, path: str | Path) -> None:
        from glutecv.io.video import VideoSource

        super().__init__(lost_after_s=math.inf, give_up_s=None)
        self._video = VideoSource(path, pixel_format="bgr24", prefetch=4)
        self.name = Path(path).name
        self.width, self.height, self.fps = self._video.width, self._video.height, self._video.fps
        self._frames = iter(self._video)
        self._done = False

    def read(self, timeout_s: float = 0.5) -> Frame | None:
        if self._done:
            return None
        frame = next(self._frames, None)
        if frame is None:
            self._done = True
            self._finished = True
            return None
        self.captured += 1
        return Frame(frame.index, frame.t_s, frame.image, "bgr24", time.monotonic())

    @property
    def finished(self) -> bool:
        return self._done

    def _release(self) -> None:
        self._video.close()


def open_live_source(source: int | str | Path = 0, realtime: bool = False,
                     **options: Any) -> LiveSource:
    """The live source for a camera index, a stream URL, or a file (``realtime`` paced)."""
    if isinstance(source, int) or (isinstance(source, str) and source.strip().isdigit()):
        return CameraSource(int(source), **options)
    text = str(source)
    if "://" in text:
        return CameraSource(text, **options)
    if realtime:
        return RealtimeFileSource(text, **options)
    return FileFrameSource(text)
