"""A status message in the middle of the frame ("no person in view", "camera lost")."""

from __future__ import annotations

import numpy as np

from glutecv.annotate.style import FONT_BOLD, Style
from glutecv.annotate.text import text_box, text_size


class StatusAnnotator:
    """The message from :attr:`glutecv.results.FrameState.message`, centred, in amber."""

    def __init__(self, height: int, style: Style | None = None) -> None:
        self.style = style or Style()
        s = self.style.scale(height)
        self.scale = self.style.text_scale * 1.2 * s
        self.pad = max(4, int(round(14 * s)))

    def annotate(self, image: np.ndarray, message: str | None) -> np.ndarray:
        """Draw ``message`` (if any) on ``image`` in place and return it."""
        if not message:
            return image
        st = self.style
        w, h, base = text_size(message, self.scale, FONT_BOLD)
        x = (image.shape[1] - w) // 2 - self.pad
        y = int(image.shape[0] * 0.42) - (h + base) // 2 - self.pad
        text_box(image, message, max(0, x), max(0, y), self.scale, st.warn, st.panel,
                 min(1.0, st.panel_alpha + 0.15), self.pad, FONT_BOLD)
        return image
