"""The live-source contract: a grabber thread that always offers the newest frame.

A webcam produces frames at its own pace whether or not anyone is ready for them. If the
consumer (pose model + overlay) is slower, reading frames in order would build a backlog and
the overlay would lag further and further behind the person. So a live source runs a grabber
thread that keeps only the newest frame; :meth:`LiveSource.read` returns it, and every frame
replaced before anyone read it is counted in ``dropped``.

The API live mode relies on (the same for a camera, a stream URL and a file played in real
time):

- ``read(timeout_s) -> Frame | None``: the newest frame not yet returned, waiting up to
  ``timeout_s`` seconds; ``None`` when none arrived in time (never blocks longer).
- ``lost``: True while no frame has arrived for ``lost_after_s`` seconds (camera unplugged,
  network stream stalled); it turns False again by itself when frames resume.
- ``finished``: True once the source can never deliver again (a file has ended, or the
  source was closed); ``read`` then returns None at once.
- ``dropped`` / ``captured``: frames replaced unread / frames received.
- ``width``, ``height``, ``fps``, ``name``; a context manager; iterating yields frames until
  ``finished`` (raising :class:`~glutecv.errors.CameraError` after ``give_up_s`` of silence).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator

from glutecv.errors import CameraError
from glutecv.io.frames import Frame

log = logging.getLogger("glutecv.io.live_source")


class LiveSource:
    """Base class: subclasses implement :meth:`_grab_loop` and call :meth:`_publish`."""

    name = "live source"
    width = 0
    height = 0
    fps = 0.0

    def __init__(self, lost_after_s: float = 2.0, give_up_s: float | None = 10.0) -> None:
        self.lost_after_s = float(lost_after_s)
        self.give_up_s = give_up_s
        self.dropped = 0
        self.captured = 0
        self._cond = threading.Condition()
        self._latest: Frame | None = None
        self._finished = False
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._last_arrival = time.monotonic()
        self._thread: threading.Thread | None = None

    # --- grabber side -------------------------------------------------------------------------
    def _start(self) -> None:
        self._last_arrival = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True,
                                        name=f"glutecv-grab-{self.name}")
        self._thread.start()

    def _run(self) -> None:
        try:
            self._grab_loop()
        except BaseException as exc:  # handed to the reader
            self._error = exc
        finally:
            with self._cond:
                self._finished = True
                self._cond.notify_all()

    def _grab_loop(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _publish(self, frame: Frame) -> None:
        """Offer ``frame`` as the newest; an unread older frame is dropped and counted."""
        with self._cond:
            if self._latest is not None:
                self.dropped += 1
            self._latest = frame
            self.captured += 1
            self._last_arrival = time.monotonic()
            self._cond.notify_all()

    # --- reader side --------------------------------------------------------------------------
    def read(self, timeout_s: float = 0.5) -> Frame | None:
        """The newest unread frame, or None if none arrives within ``timeout_s`` seconds."""
        deadline = time.monotonic() + max(0.0, timeout_s)
        with self._cond:
            while self._latest is None:
                if self._error is not None:
                    error, self._error = self._error, None
                    raise error
                if self._finished:
                    return None
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)
            frame, self._latest = self._latest, None
            return frame

    @property
    def lost(self) -> bool:
        """True while no frame has arrived for ``lost_after_s`` seconds (and not finished)."""
        return (not self._finished
                and time.monotonic() - self._last_arrival > self.lost_after_s)

    @property
    def finished(self) -> bool:
        """True once no frame can ever arrive again (file ended, source closed or failed)."""
        with self._cond:
            return self._finished and self._latest is None

    @property
    def seconds_since_frame(self) -> float:
        return time.monotonic() - self._last_arrival

    def __iter__(self) -> Iterator[Frame]:
        while True:
            frame = self.read(timeout_s=0.25)
            if frame is not None:
                yield frame
                continue
            if self.finished:
                return
            if self.give_up_s is not None and self.seconds_since_frame > self.give_up_s:
                raise CameraError(f"{self.name}: no frames for {self.give_up_s:.0f} s "
                                  "(disconnected?)")

    # --- lifetime -----------------------------------------------------------------------------
    def close(self) -> None:
        """Stop the grabber thread (waits up to 2 s) and release the device."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=2.0)
            if self._thread.is_alive():
                log.debug("%s: grabber thread still blocked after close", self.name)
        with self._cond:
            self._finished = True
            self._latest = None
            self._cond.notify_all()
        self._release()

    def _release(self) -> None:
        """Free the device or file (subclasses)."""

    def __enter__(self) -> LiveSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
