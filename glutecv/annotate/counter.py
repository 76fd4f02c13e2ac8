"""The rep counter panel: reps (per side for unilateral exercises) and the current phase."""

from __future__ import annotations

import numpy as np

from glutecv.annotate.style import FONT_BOLD, Style
from glutecv.annotate.text import put_text, shade, text_size

_SIDE_SHORT = {"left": "L", "right": "R"}


def count_text(rep_counts: dict[str, int], sides: tuple[str, ...] = ()) -> str:
    """``"REPS 5"``, or ``"L 3  R 2"`` when reps are counted per side."""
    keys = [s for s in ("left", "right") if s in rep_counts or s in sides]
    if keys:
        text = "  ".join(f"{_SIDE_SHORT[k]} {rep_counts.get(k, 0)}" for k in keys)
        if rep_counts.get("both"):
            text += f"  +{rep_counts['both']}"
        return text
    return f"REPS {sum(rep_counts.values())}"


class CounterAnnotator:
    """Top-left panel: optional title (exercise), the big count, and the phase underneath.

    ``sides`` pre-declares per-side counting (``("left", "right")``) so a unilateral exercise
    shows ``L 0  R 0`` before its first rep.
    """

    def __init__(self, height: int, style: Style | None = None, title: str | None = None,
                 sides: tuple[str, ...] = ()) -> None:
        self.style = style or Style()
        s = self.style.scale(height)
        self.title = title
        self.sides = tuple(sides)
        self.margin = int(round(self.style.margin_px * s))
        self.pad = max(3, int(round(10 * s)))
        self.big = self.style.text_scale * 1.6 * s
        self.small = self.style.text_scale * 0.8 * s
        self.bottom = self.margin  # y where the panel ends, for panels stacked below it

    def annotate(self, image: np.ndarray, rep_counts: dict[str, int], phase: str) -> np.ndarray:
        """Draw the panel on ``image`` in place and return it."""
        st = self.style
        lines: list[tuple[str, float, tuple[int, int, int], int]] = []
        if self.title:
            lines.append((self.title, self.small, st.text, FONT_BOLD))
        lines.append((count_text(rep_counts, self.sides), self.big, st.text, FONT_BOLD))
        lines.append((f"phase: {phase}" if phase else "phase: -", self.small, st.text,
                      FONT_BOLD))
        sizes = [text_size(t, sc, f) for t, sc, _, f in lines]
        w = max(sz[0] for sz in sizes) + 2 * self.pad
        h = sum(sz[1] + sz[2] for sz in sizes) + self.pad * (len(lines) + 1)
        x0 = y0 = self.margin
        shade(image, x0, y0, x0 + w, y0 + h, st.panel, st.panel_alpha)
        y = y0
        for (text, sc, colour, font), (_, th, base) in zip(lines, sizes, strict=True):
            y += self.pad + th
            put_text(image, text, x0 + self.pad, y, sc, colour, font)
            y += base
        self.bottom = y0 + h
        return image
