"""The live window and the recorder, the two sinks of live mode.

:class:`Window` shows frames with OpenCV and turns key presses into commands (``q``/Esc quit,
``r`` reset, space pause, ``e`` next exercise); closing the window is a quit. :class:`NoWindow`
is its headless stand-in. :class:`Recorder` encodes the annotated frames to H.264 on a
background thread behind a bounded queue, so encoding never delays the next frame's analysis,
and it always finalises the file (a playable MP4) when the session ends, however it ends.
"""

from __future__ import annotations

import logging
import queue
import threading
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("glutecv.live")

KEYS = {ord("q"): "quit", ord("Q"): "quit", 27: "quit", ord("r"): "reset", ord("R"): "reset",
        ord(" "): "pause", ord("e"): "exercise", ord("E"): "exercise"}


class NoWindow:
    """No display: nothing is shown and no key is ever pressed."""

    def show(self, image: np.ndarray) -> str | None:
        return None

    def poll(self, wait_ms: int = 1) -> str | None:
        return None

    def close(self) -> None:
        pass


class Window:
    """An OpenCV window; :meth:`show` returns a command from the keyboard or None."""

    def __init__(self, title: str = "glutecv live") -> None:
        import cv2

        self._cv2 = cv2
        self.title = title
        try:
            cv2.namedWindow(title, cv2.WINDOW_NORMAL)
        except cv2.error as exc:
            from glutecv.errors import GlutecvError

            raise GlutecvError("cannot open a window (no display?); use --no-window") from exc
        self._shown = False

    def show(self, image: np.ndarray) -> str | None:
        self._cv2.imshow(self.title, image)
        self._shown = True
        return self.poll(1)

    def poll(self, wait_ms: int = 1) -> str | None:
        key = self._cv2.waitKey(wait_ms) & 0xFF
        if self._shown:
            try:
                if self._cv2.getWindowProperty(self.title, self._cv2.WND_PROP_VISIBLE) < 1:
                    return "quit"  # the user closed the window
            except self._cv2.error:
                return "quit"
        return KEYS.get(key)

    def close(self) -> None:
        try:
            self._cv2.destroyWindow(self.title)
            self._cv2.waitKey(1)
        except self._cv2.error:
            pass


_STOP = object()


class Recorder:
    """Encode annotated frames to ``path`` (H.264 MP4) on a background thread."""

    def __init__(self, path: str | Path, width: int, height: int, fps: float,
                 max_queue: int = 16) -> None:
        self.path = Path(path)
        self.size, self.fps = (width, height), fps
        self._q: queue.Queue = queue.Queue(maxsize=max_queue)
        self._error: BaseException | None = None
        self._writer: Any = None
        self.frames = 0
        self.dropped = 0
        self._thread = threading.Thread(target=self._work, name="glutecv-record", daemon=True)

    def __enter__(self) -> Recorder:
        from glutecv.io.video_writer import VideoWriter

        self._writer = VideoWriter(self.path, *self.size, fps=self.fps)
        self._writer.__enter__()
        self._thread.start()
        return self

    def _work(self) -> None:
        while True:
            item = self._q.get()
            if item is _STOP:
                return
            if self._error is not None:
                continue
            try:
                self._writer.write(*item)
                self.frames += 1
            except BaseException as exc:
                self._error = exc

    def write(self, image: np.ndarray, t_s: float) -> None:
        """Queue a frame; waits briefly if the encoder is behind, then drops the frame."""
        if self._error is not None:
            raise self._error
        try:
            self._q.put((image, t_s), timeout=0.5)
        except queue.Full:
            self.dropped += 1

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        self._q.put(_STOP)
        self._thread.join()
        self._writer.__exit__(exc_type, exc, tb)
        if self.dropped:
            log.warning("recording: %d frame(s) dropped (the encoder fell behind)", self.dropped)
        if exc_type is None and self._error is not None:
            raise self._error
