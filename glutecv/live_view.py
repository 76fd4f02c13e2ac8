"""The live window: shows frames and turns key presses into commands.

:class:`Window` shows frames with OpenCV and turns key presses into commands (``q``/Esc quit,
``r`` reset, space pause, ``e`` next exercise); closing the window is a quit. :class:`NoWindow`
is its headless stand-in, used with ``--no-window``.
"""

from __future__ import annotations

import logging

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


def check_display() -> None:
    """Raise a one-line error when no display can be reached (OpenCV's Qt would abort)."""
    import os
    import sys

    from glutecv.errors import GlutecvError

    if not sys.platform.startswith("linux") or os.environ.get("WAYLAND_DISPLAY"):
        return
    display = os.environ.get("DISPLAY", "")
    if not display:
        raise GlutecvError("no display to show the live window on; use --no-window")
    host, _, number = display.partition(":")
    if host in ("", "unix"):  # a local X server listens on its socket
        socket = f"/tmp/.X11-unix/X{number.split('.')[0]}"
        if not os.path.exists(socket):
            raise GlutecvError(f"the display {display} is not reachable; use --no-window")


class Window:
    """An OpenCV window; :meth:`show` returns a command from the keyboard or None."""

    def __init__(self, title: str = "glutecv live") -> None:
        check_display()
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
