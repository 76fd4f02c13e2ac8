"""Frames per second, small, in the top-right corner."""

from __future__ import annotations

import math

import numpy as np

from glutecv.annotate.style import Style
from glutecv.annotate.text import text_box, text_size


class FpsAnnotator:
    """``"30.0 fps"`` at the top right; nothing when the rate is unknown."""

    def __init__(self, height: int, style: Style | None = None) -> None:
        self.style = style or Style()
        s = self.style.scale(height)
        self.scale = self.style.text_scale * 0.7 * s
        self.pad = max(2, int(round(5 * s)))
        self.margin = int(round(self.style.margin_px * s))
        self.bottom = self.margin

    def annotate(self, image: np.ndarray, fps: float | None) -> np.ndarray:
        """Draw the rate on ``image`` in place and return it."""
        self.bottom = self.margin
        if fps is None or not math.isfinite(fps) or fps <= 0:
            return image
        st = self.style
        text = f"{fps:4.1f} fps"
        w, h, base = text_size(text, self.scale)
        x = image.shape[1] - self.margin - w - 2 * self.pad
        _, bh = text_box(image, text, x, self.margin, self.scale, st.text, st.panel,
                         st.panel_alpha, self.pad)
        self.bottom = self.margin + bh
        return image
