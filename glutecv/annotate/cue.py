"""The coaching cue banner (one cue, big) and the verdict flash when a rep has just ended."""

from __future__ import annotations

import math

import numpy as np

from glutecv.annotate.style import FONT_BOLD, Style
from glutecv.annotate.text import degrees, text_box, text_size
from glutecv.results import CUES, Fault, Rep


def main_fault(rep: Rep) -> Fault | None:
    """The rep's highest-priority fault (order of :data:`glutecv.results.CUES`)."""
    order = {code: i for i, code in enumerate(CUES)}
    return min(rep.faults, key=lambda f: order.get(f.code, len(order)), default=None)


def verdict_text(rep: Rep) -> str:
    """``"REP 3  GOOD"`` or ``"REP 3  knee valgus 14° > 10°"`` (+N more faults); rep indexes
    count from 1, as the analyzers number them."""
    label = f"REP {rep.index}" if rep.side == "both" else \
        f"REP {rep.index} {rep.side[0].upper()}"
    fault = main_fault(rep)
    if fault is None:
        return f"{label}  GOOD"
    text = (f"{label}  {fault.code.replace('_', ' ')} "
            f"{degrees(fault.value, fault.unit)} > {degrees(fault.threshold, fault.unit)}")
    if len(rep.faults) > 1:
        text += f"  (+{len(rep.faults) - 1})"
    return text


class CueAnnotator:
    """The current cue centred near the bottom, and above it a verdict flash for
    ``flash_s`` seconds after a rep ends (green: good rep, red: its main fault).

    ``bottom_px`` reserves space at the bottom of the frame (for the timeline strip).
    """

    def __init__(self, width: int, height: int, style: Style | None = None,
                 bottom_px: int = 0, flash_s: float = 1.5) -> None:
        self.style = style or Style()
        s = self.style.scale(min(width, height))
        self.width = width
        self.flash_s = flash_s
        self.margin = int(round(self.style.margin_px * s))
        self.bottom = height - bottom_px - self.margin
        self.big = self.style.text_scale * 1.5 * s
        self.mid = self.style.text_scale * 1.1 * s
        self.pad = max(4, int(round(12 * s)))
        self._fit_cache: dict[tuple[str, float], float] = {}

    def _fit(self, text: str, scale: float) -> float:
        """Shrink ``scale`` until ``text`` fits in 92% of the frame width."""
        key = (text, scale)
        if key not in self._fit_cache:
            w, _, _ = text_size(text, scale, FONT_BOLD)
            limit = 0.92 * self.width - 2 * self.pad
            self._fit_cache[key] = scale * min(1.0, limit / max(w, 1))
        return self._fit_cache[key]

    def _centred(self, image: np.ndarray, text: str, scale: float, colour: tuple[int, int, int],
                 bottom: int, panel: tuple[int, int, int], alpha: float) -> int:
        scale = self._fit(text, scale)
        w, h, base = text_size(text, scale, FONT_BOLD)
        bh = h + base + 2 * self.pad
        x = (image.shape[1] - w) // 2 - self.pad
        text_box(image, text, max(0, x), bottom - bh, scale, colour, panel, alpha, self.pad,
                 FONT_BOLD)
        return bottom - bh

    def annotate(self, image: np.ndarray, cue: str | None, last_rep: Rep | None,
                 t_s: float) -> np.ndarray:
        """Draw the cue and the verdict flash on ``image`` in place and return it."""
        st = self.style
        bottom = self.bottom
        if cue:
            top = self._centred(image, cue, self.big, st.text, bottom, st.bad,
                                0.85)
            bottom = top - self.margin // 2
        if last_rep is not None and math.isfinite(t_s) and \
                0.0 <= t_s - last_rep.end_s <= self.flash_s:
            colour = st.good if last_rep.good else st.bad
            self._centred(image, verdict_text(last_rep), self.mid, colour, bottom, st.panel,
                          0.8)
        return image
