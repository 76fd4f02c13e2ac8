"""Colours and sizes shared by the overlay annotators.

Colours are BGR tuples (OpenCV order). Sizes are given for a 720-pixel-high frame and scaled
to the actual frame height by :meth:`Style.scale`, so an overlay looks the same at 480p and 4K.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2

BGR = tuple[int, int, int]

FONT = cv2.FONT_HERSHEY_SIMPLEX
FONT_BOLD = cv2.FONT_HERSHEY_DUPLEX

#: The frame height the pixel sizes below are designed for.
DESIGN_HEIGHT = 720


@dataclass(frozen=True)
class Style:
    """The overlay's look. Pixel sizes are for a 720 px high frame (see :meth:`scale`)."""

    left: BGR = (0, 160, 255)         # person's left side: orange
    right: BGR = (255, 180, 40)       # person's right side: blue
    centre: BGR = (235, 235, 235)     # midline bones (shoulders, hips)
    good: BGR = (80, 200, 80)         # good rep / OK
    bad: BGR = (60, 60, 235)          # faulty rep / fault
    warn: BGR = (0, 210, 255)         # status messages (amber)
    text: BGR = (255, 255, 255)
    panel: BGR = (25, 25, 25)         # background of text panels
    panel_alpha: float = 0.62         # panel opacity in [0, 1]
    visibility_gate: float = 0.5      # joints below this visibility are not drawn
    line_px: float = 4.0              # bone thickness
    joint_px: float = 5.0             # joint radius
    text_scale: float = 0.7           # base font scale (cv2 Hershey units)
    margin_px: float = 14.0           # distance of panels from the frame edge

    def scale(self, height: int) -> float:
        """Multiplier from design pixels to this frame's pixels (``height``: the frame's
        height, or its width for a portrait frame, i.e. the shorter side)."""
        return max(height, 1) / DESIGN_HEIGHT


def thickness(px: float) -> int:
    """A line thickness in whole pixels, at least 1."""
    return max(1, int(round(px)))


def side_colour(style: Style, side: str | None) -> BGR:
    """The colour of a body side (``left``/``right``), the centre colour otherwise."""
    if side == "left":
        return style.left
    if side == "right":
        return style.right
    return style.centre
