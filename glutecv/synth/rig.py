"""Rotations, segment aiming and two-bone IK for posing the rig (pure numpy).

World frame (metres): X along the floor (towards the feet for lying exercises, the facing
direction when standing), Y up, Z lateral; floor at Y = 0. A body's sagittal plane is
world XY and its left side points to -Z in every base orientation used here, so sagittal
"pitch" is a rotation about world Z.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def rotation(axis: np.ndarray | tuple[float, float, float], deg: float) -> np.ndarray:
    """3x3 rotation by ``deg`` degrees about ``axis`` (right-hand rule)."""
    a = np.asarray(axis, float)
    a = a / np.linalg.norm(a)
    t = np.radians(deg)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]])
    return np.eye(3) + np.sin(t) * k + (1 - np.cos(t)) * (k @ k)


def pitch(deg: float) -> np.ndarray:
    """Rotation about world Z (sagittal plane), + turns +X towards +Y."""
    return rotation((0, 0, 1), deg)


def frame(x: tuple, y: tuple) -> np.ndarray:
    """Base rotation whose columns are the world images of body X (left) and Y (up)."""
    bx, by = np.asarray(x, float), np.asarray(y, float)
    return np.stack([bx, by, np.cross(bx, by)], axis=1)


# Base orientations (world images of the body's left and up axes).
STANDING = frame((0, 0, -1), (0, 1, 0))        # facing +X
SUPINE = frame((0, 0, -1), (-1, 0, 0))         # on the back, head towards -X, face up
PRONE = frame((0, 0, -1), (1, 0, 0))           # belly down, head towards +X


def side_lying(top_side: str) -> np.ndarray:
    """On one side with ``top_side`` ("left"/"right") up, head towards -X."""
    return frame((0, 1, 0) if top_side == "left" else (0, -1, 0), (-1, 0, 0))


def minimal_rotation(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The smallest rotation taking direction ``a`` onto direction ``b``."""
    a = a / np.linalg.norm(a)
    b = b / np.linalg.norm(b)
    axis = np.cross(a, b)
    s = np.linalg.norm(axis)
    if s < 1e-9:
        if np.dot(a, b) > 0:
            return np.eye(3)
        perp = np.cross(a, (1, 0, 0) if abs(a[0]) < 0.9 else (0, 1, 0))
        return rotation(perp, 180.0)
    return rotation(axis, np.degrees(np.arctan2(s, np.dot(a, b))))


def aim(base: np.ndarray, rest_vector: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """World rotation that turns a segment (``rest_vector`` in the body frame, oriented by
    ``base``) to point along ``direction``, by the smallest extra turn."""
    return minimal_rotation(base @ rest_vector, np.asarray(direction, float)) @ base


def aim_sagittal(base: np.ndarray, rest_vector: np.ndarray, angle_deg: float) -> np.ndarray:
    """World rotation pitching a segment so its XY projection points at ``angle_deg``
    (0 = +X, 90 = up); its lateral (Z) component is kept."""
    v = base @ rest_vector
    return pitch(angle_deg - np.degrees(np.arctan2(v[1], v[0]))) @ base


def two_bone_ik(root: np.ndarray, target: np.ndarray, len1: float, len2: float,
                bend_sign: float) -> tuple[float, float]:
    """Sagittal (XY) two-bone IK: angles (deg) of both segments reaching ``target``.

    ``bend_sign`` picks the middle joint's side of the root-target line (+1 = to the left of
    the direction root->target in the XY plane). An unreachable target is approached along
    the straight line.
    """
    d = np.asarray(target[:2], float) - np.asarray(root[:2], float)
    dist = float(np.clip(np.linalg.norm(d), abs(len1 - len2) + 1e-6, len1 + len2 - 1e-6))
    base = np.degrees(np.arctan2(d[1], d[0]))
    cos_a = (len1 ** 2 + dist ** 2 - len2 ** 2) / (2 * len1 * dist)
    a = np.degrees(np.arccos(np.clip(cos_a, -1, 1)))
    a1 = base + bend_sign * a
    mid = np.asarray(root[:2], float) + len1 * np.array([np.cos(np.radians(a1)),
                                                         np.sin(np.radians(a1))])
    e = np.asarray(target[:2], float) - mid
    return a1, float(np.degrees(np.arctan2(e[1], e[0])))


def slerp_rotations(r0: np.ndarray, r1: np.ndarray, t: float) -> np.ndarray:
    """Rotation a fraction ``t`` of the way from ``r0`` to ``r1``."""
    rel = r0.T @ r1
    angle = np.degrees(np.arccos(np.clip((np.trace(rel) - 1) / 2, -1, 1)))
    if angle < 1e-6:
        return r0.copy()
    axis = np.array([rel[2, 1] - rel[1, 2], rel[0, 2] - rel[2, 0], rel[1, 0] - rel[0, 1]])
    if np.linalg.norm(axis) < 1e-9:
        return r0.copy()
    return r0 @ rotation(axis, angle * t)


@dataclass
class Pose:
    """A body pose: world rotations of named bones and the pelvis position (metres)."""

    rotations: dict[str, np.ndarray] = field(default_factory=dict)
    pelvis: np.ndarray = field(default_factory=lambda: np.zeros(3))

    def set_spine(self, pelvis_rot: np.ndarray, thorax_rot: np.ndarray,
                  head_rot: np.ndarray | None = None) -> None:
        """Pelvis and thorax rotations, with the lumbar bones spread evenly between."""
        self.rotations["root"] = pelvis_rot
        lumbar = ("spine05", "spine04", "spine03", "spine02")
        for i, name in enumerate(lumbar):
            self.rotations[name] = slerp_rotations(pelvis_rot, thorax_rot, (i + 1) / 5)
        self.rotations["spine01"] = thorax_rot
        if head_rot is not None:
            self.rotations["neck01"] = slerp_rotations(thorax_rot, head_rot, 0.5)
            self.rotations["head"] = head_rot
