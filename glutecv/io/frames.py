"""The :class:`Frame` every source yields, and a bounded background prefetcher.

Colour order: a frame's ``image`` is BGR by default, because everything that draws (OpenCV,
the annotators, a preview window) expects BGR. A consumer that only runs the pose model
(``glutecv pose``, the landmark cache) asks the source for ``pixel_format="rgb24"`` instead:
the decoder then converts YUV straight to RGB, which is what MediaPipe wants, and no second
colour conversion is ever made. :meth:`Frame.rgb` / :meth:`Frame.bgr` convert only when the
frame is not already in the asked-for order.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

log = logging.getLogger("glutecv.io.frames")

PixelFormat = Literal["bgr24", "rgb24"]
PIXEL_FORMATS: tuple[str, ...] = ("bgr24", "rgb24")


@dataclass(frozen=True)
class Frame:
    """One upright video frame.

    ``index`` is the 0-based position among the frames the source yielded; ``t_s`` is the
    presentation time in seconds (the container's ``pts * time_base`` for files, seconds since
    opening for cameras); ``image`` is (height, width, 3) uint8 in ``pixel_format`` order.
    ``captured_at`` is the ``time.monotonic()`` instant a live source received the frame
    (None for files), so live mode can measure capture-to-overlay latency.
    """

    index: int
    t_s: float
    image: np.ndarray
    pixel_format: PixelFormat = "bgr24"
    captured_at: float | None = None

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])

    def rgb(self) -> np.ndarray:
        """The image in RGB order (no copy when it already is)."""
        return self.image if self.pixel_format == "rgb24" else _swap_rb(self.image)

    def bgr(self) -> np.ndarray:
        """The image in BGR order (no copy when it already is)."""
        return self.image if self.pixel_format == "bgr24" else _swap_rb(self.image)


def _swap_rb(image: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)  # the same swap both ways


def check_pixel_format(pixel_format: str) -> PixelFormat:
    """Validate a pixel format name (a programming error, so ValueError)."""
    if pixel_format not in PIXEL_FORMATS:
        raise ValueError(f"pixel_format must be one of {PIXEL_FORMATS}, got {pixel_format!r}")
    return pixel_format  # type: ignore[return-value]


class _End:
    """Marks the end of the stream in the prefetch queue."""


@dataclass(frozen=True)
class _Failure:
    error: BaseException


class Prefetcher:
    """Runs ``produce`` (an iterator factory) on a daemon thread into a bounded queue.

    Decoding then overlaps with whatever the consumer does (pose inference, drawing). The queue
    holds at most ``depth`` items, so memory stays bounded however slow the consumer is. An
    exception in the producer is re-raised in the consumer, at the point where it happened.
    :meth:`close` stops the thread promptly even when the queue is full.
    """

    def __init__(self, produce: Callable[[], Iterator[object]], depth: int = 4,
                 name: str = "glutecv-prefetch") -> None:
        self._produce = produce
        self._queue: queue.Queue[object] = queue.Queue(maxsize=max(1, depth))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._started = False

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        try:
            for item in self._produce():
                if not self._put(item):
                    return
        except BaseException as exc:  # handed to the consumer thread
            self._put(_Failure(exc))
            return
        self._put(_End())

    def __iter__(self) -> Iterator[object]:
        if not self._started:
            self._started = True
            self._thread.start()
        try:
            while True:
                item = self._queue.get()
                if isinstance(item, _End):
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
        finally:  # the consumer stopped (end, error, break or garbage): stop the producer too
            self.close()

    def close(self) -> None:
        """Stop the producer thread and wait for it (at most a few seconds)."""
        self._stop.set()
        while True:  # unblock a producer waiting on a full queue
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        if self._started:
            self._thread.join(timeout=5.0)
            if self._thread.is_alive():
                log.debug("prefetch thread did not stop within 5 s")
