"""Text on a translucent panel: the one drawing primitive the text annotators share."""

from __future__ import annotations

import math

import cv2
import numpy as np

from glutecv.annotate.style import BGR, FONT, thickness


def text_size(text: str, scale: float, font: int = FONT) -> tuple[int, int, int]:
    """Width, height above the baseline and descent (pixels) of ``text`` at ``scale``."""
    th = thickness(2 * scale)
    (w, h), base = cv2.getTextSize(drawable(text), font, scale, th)
    return w, h, base


def shade(image: np.ndarray, x0: int, y0: int, x1: int, y1: int, colour: BGR,
          alpha: float) -> None:
    """Blend a filled rectangle of ``colour`` into ``image`` (clipped to the frame), in place."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 <= x0 or y1 <= y0 or alpha <= 0.0:
        return
    if alpha >= 1.0:
        image[y0:y1, x0:x1] = colour
        return
    roi = image[y0:y1, x0:x1]  # a view: OpenCV writes into it in place, nothing allocated
    cv2.addWeighted(roi, 1.0 - alpha, roi, 0.0, 0.0, dst=roi)
    cv2.add(roi, (colour[0] * alpha, colour[1] * alpha, colour[2] * alpha, 0.0), dst=roi)


def put_text(image: np.ndarray, text: str, x: int, y: int, scale: float, colour: BGR,
             font: int = FONT) -> None:
    """Anti-aliased text with its baseline at ``y`` (callers put it on a panel for contrast:
    an outline drawn as thicker text does not line up with OpenCV 5's font engine)."""
    cv2.putText(image, drawable(text), (x, y), font, scale, colour, thickness(2 * scale),
                cv2.LINE_AA)


#: OpenCV 5 draws UTF-8 text with real fonts; OpenCV 4's Hershey fonts only draw ASCII.
UNICODE_TEXT = int(cv2.__version__.split(".")[0]) >= 5


def drawable(text: str) -> str:
    """``text`` as this OpenCV can draw it (degree sign spelled out for OpenCV 4)."""
    if UNICODE_TEXT:
        return text
    text = text.replace("°", " deg").replace("\u2019", "'")
    return text.encode("ascii", "replace").decode("ascii")


def degrees(value: float, unit: str = "deg") -> str:
    """``"14°"`` for degrees, ``"3.2 cm"`` otherwise (whole numbers from 10 up)."""
    if value is None or not math.isfinite(value):
        return "--"
    num = f"{value:.0f}" if abs(value) >= 10 else f"{value:.1f}"
    return f"{num}°" if unit in ("deg", "°", "degrees") else f"{num} {unit}".rstrip()


def text_box(image: np.ndarray, text: str, x: int, y: int, scale: float, colour: BGR,
             panel: BGR, alpha: float, pad: int, font: int = FONT) -> tuple[int, int]:
    """Text with its top-left panel corner at (x, y); returns the panel's (width, height)."""
    w, h, base = text_size(text, scale, font)
    bw, bh = w + 2 * pad, h + base + 2 * pad
    shade(image, x, y, x + bw, y + bh, panel, alpha)
    put_text(image, text, x + pad, y + pad + h, scale, colour, font)
    return bw, bh
