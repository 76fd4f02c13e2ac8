"""Joint angle labels: beside the joint they name when it is visible, else in a side panel.
Unknown (NaN) angles are left out rather than shown as a placeholder.

Labels come from :attr:`glutecv.results.FrameState.angles` (``{"L hip": 172.0, ...}``). A label
is placed at a joint when it names one side (``L``/``left``/``R``/``right``) and one joint
(hip, knee, ankle, ...); anything else (``pelvis tilt``) goes in the panel. The words are only
read to place the text; no angle is computed here.
"""

from __future__ import annotations

import math
import re

import numpy as np

from glutecv.annotate.style import Style, side_colour
from glutecv.annotate.text import shade, text_box, text_size
from glutecv.landmarks import Landmark, side_landmark
from glutecv.pose.types import PoseFrame

_SIDE_WORDS = {"l": "left", "left": "left", "r": "right", "right": "right"}
_JOINT_WORDS = {"hip": "HIP", "knee": "KNEE", "ankle": "ANKLE", "shoulder": "SHOULDER",
                "elbow": "ELBOW", "wrist": "WRIST",
                # measures the analyzers label without a joint name, placed where they happen
                "fppa": "KNEE", "valgus": "KNEE", "open": "KNEE", "opening": "KNEE",
                "lift": "KNEE", "hike": "HIP", "roll": "HIP", "drop": "HIP"}


def joint_of_label(label: str) -> Landmark | None:
    """The landmark a label such as ``"L hip"`` or ``"knee valgus right"`` is about, if any."""
    words = re.findall(r"[a-z]+", label.lower())
    sides = {_SIDE_WORDS[w] for w in words if w in _SIDE_WORDS}
    joints = [_JOINT_WORDS[w] for w in words if w in _JOINT_WORDS]
    if len(sides) != 1 or not joints:
        return None
    return side_landmark(sides.pop(), joints[0])  # type: ignore[arg-type]


def format_angle(label: str, value: float) -> str:
    """``"L hip 172°"`` (degrees, rounded); ``--`` when the angle is unknown (NaN). A label
    ending in ``%`` is a percentage, not an angle: ``"hip lift %"`` -> ``"hip lift 54%"``."""
    unit = "°"
    if label.endswith("%"):
        label, unit = label[:-1].rstrip(), "%"
    if value is None or not math.isfinite(value):
        return f"{label} --"
    return f"{label} {value:.0f}{unit}".replace(f" -0{unit}", f" 0{unit}")


class AnglesAnnotator:
    """Angle labels near their joints, the rest in a panel at the top-right corner."""

    def __init__(self, width: int, height: int, style: Style | None = None,
                 panel_top: int | None = None) -> None:
        self.style = style or Style()
        s = self.style.scale(min(width, height))
        self.width = width
        self.scale = self.style.text_scale * 0.8 * s
        self.pad = max(2, int(round(4 * s)))
        self.offset = int(round(14 * s))
        self.margin = int(round(self.style.margin_px * s))
        self.panel_top = self.margin if panel_top is None else panel_top
        self._joint_cache: dict[str, Landmark | None] = {}

    def _joint(self, label: str) -> Landmark | None:
        if label not in self._joint_cache:
            self._joint_cache[label] = joint_of_label(label)
        return self._joint_cache[label]

    def annotate(self, image: np.ndarray, pose: PoseFrame | None,
                 angles: dict[str, float]) -> np.ndarray:
        """Draw the labels of ``angles`` on ``image`` in place and return it."""
        st = self.style
        panel: list[str] = []
        placed: list[tuple[int, int, int, int]] = []  # boxes drawn so far (x0, y0, x1, y1)
        centre_x = self._body_centre(pose)
        for label, value in angles.items():
            if value is None or not math.isfinite(value):
                continue  # unknown now (side not working, joint hidden): nothing to read
            text = format_angle(label, value)
            joint = self._joint(label)
            if joint is None or pose is None:
                panel.append(text)
                continue
            x, y = pose.image[joint, 0], pose.image[joint, 1]
            visible = pose.visibility[joint] >= st.visibility_gate
            if not (np.isfinite(x) and np.isfinite(y) and visible):
                panel.append(text)
                continue
            outward_left = bool(x < centre_x)  # labels go on the outside of the body
            box = self._place(int(x), int(y), text, image.shape[1], placed, outward_left)
            if box is None:
                panel.append(text)
                continue
            placed.append(box)
            text_box(image, text, box[0], box[1], self.scale, side_colour(st, joint.side),
                     st.panel, st.panel_alpha, self.pad)
        if panel:
            self._panel(image, panel)
        return image

    def _body_centre(self, pose: PoseFrame | None) -> float:
        """Mean x of the visible landmarks (pixels), to put labels outside the body."""
        if pose is None:
            return math.nan
        xs = pose.image[:, 0][pose.visibility >= self.style.visibility_gate]
        xs = xs[np.isfinite(xs)]
        return float(xs.mean()) if xs.size else math.nan

    def _place(self, x: int, y: int, text: str, width: int,
               placed: list[tuple[int, int, int, int]],
               left: bool = False) -> tuple[int, int, int, int] | None:
        """A box above the joint, to its right (``left``: to its left; flipped when there is
        no room), moved up past labels already drawn; None when no free spot is near (the
        label then goes in the panel)."""
        w, h, base = text_size(text, self.scale)
        bw, bh = w + 2 * self.pad, h + base + 2 * self.pad
        bx = x - self.offset - bw if left else x + self.offset
        if bx + bw > width:
            bx = x - self.offset - bw
        elif bx < 0:
            bx = x + self.offset
        by = y - self.offset - bh
        for _ in range(4):
            box = (bx, max(0, by), bx + bw, max(0, by) + bh)
            if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3]
                       for b in placed):
                return box
            by -= bh + 2
        return None

    def _panel(self, image: np.ndarray, lines: list[str]) -> None:
        st = self.style
        sizes = [text_size(t, self.scale) for t in lines]
        line_h = max(h + b for _, h, b in sizes) + self.pad
        w = max(w for w, _, _ in sizes) + 2 * self.pad
        x0 = image.shape[1] - self.margin - w
        y0 = self.panel_top
        shade(image, x0, y0, x0 + w, y0 + line_h * len(lines) + self.pad, st.panel,
              st.panel_alpha)
        for i, text in enumerate(lines):
            text_box(image, text, x0, y0 + i * line_h, self.scale, st.text, st.panel, 0.0,
                     self.pad)
