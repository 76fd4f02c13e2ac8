"""Bones and joints of the detected person, coloured by body side."""

from __future__ import annotations

import cv2
import numpy as np

from glutecv.annotate.style import Style, side_colour, thickness
from glutecv.landmarks import SKELETON, Landmark
from glutecv.pose.types import PoseFrame


def _bone_side(a: Landmark, b: Landmark) -> str | None:
    return a.side if a.side == b.side else None


class SkeletonAnnotator:
    """Draws :data:`glutecv.landmarks.SKELETON`; joints under the visibility gate are skipped.

    Bones are grouped by colour once, so a frame costs three ``cv2.polylines`` calls and one
    circle per visible joint.
    """

    def __init__(self, height: int, style: Style | None = None) -> None:
        self.style = style or Style()
        s = self.style.scale(height)
        self.line = thickness(self.style.line_px * s)
        self.radius = max(2, int(round(self.style.joint_px * s)))
        groups: dict[str | None, list[tuple[int, int]]] = {}
        for a, b in SKELETON:
            groups.setdefault(_bone_side(a, b), []).append((int(a), int(b)))
        self._bones = {side: np.array(pairs, dtype=np.intp) for side, pairs in groups.items()}
        joints = sorted({int(j) for bone in SKELETON for j in bone})
        self._joints = np.array(joints, dtype=np.intp)
        self._joint_colours = [side_colour(self.style, Landmark(j).side) for j in joints]

    def annotate(self, image: np.ndarray, pose: PoseFrame | None) -> np.ndarray:
        """Draw on ``image`` in place (and return it); nothing when ``pose`` is None/empty."""
        if pose is None:
            return image
        xy = pose.image[:, :2]
        ok = np.isfinite(xy).all(axis=1) & (pose.visibility >= self.style.visibility_gate)
        if not ok.any():
            return image
        pts = np.zeros_like(xy, dtype=np.int32)
        pts[ok] = np.round(xy[ok]).astype(np.int32)
        for side, pairs in self._bones.items():
            keep = ok[pairs[:, 0]] & ok[pairs[:, 1]]
            if not keep.any():
                continue
            segments = list(pts[pairs[keep]])  # each (2, 2): one two-point polyline per bone
            cv2.polylines(image, segments, False, side_colour(self.style, side), self.line,
                          cv2.LINE_AA)
        for j, colour in zip(self._joints, self._joint_colours, strict=True):
            if ok[j]:
                centre = (int(pts[j, 0]), int(pts[j, 1]))
                cv2.circle(image, centre, self.radius + 1, (20, 20, 20), -1, cv2.LINE_AA)
                cv2.circle(image, centre, self.radius, colour, -1, cv2.LINE_AA)
        return image
