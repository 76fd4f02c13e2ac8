"""What every synthetic exercise script provides, and the helpers they share.

A script maps a rep's progress ``p`` (0 = start position, 1 = full range) and the current
fault sizes to a :class:`~glutecv.synth.rig.Pose`. Scripts pose segments by world rotation,
so planted feet and hands stay planted: they solve two-bone IK to fixed targets, and a fault
changes only the bones it should.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from glutecv.synth.body import forward_kinematics, posed_heads
from glutecv.synth.rig import STANDING, Pose, rotation
from glutecv.synth.skeleton import Skeleton, bone_name

OTHER_SIDE = {"left": "right", "right": "left"}


@dataclass(frozen=True)
class Box:
    """An axis-aligned box prop (bench, mat): min and max corners in metres, RGB 0..1."""

    lo: tuple[float, float, float]
    hi: tuple[float, float, float]
    color: tuple[float, float, float]


class SynthExercise:
    """Base class of the exercise scripts (see module docstring)."""

    name = ""
    unilateral = False
    faults: tuple[str, ...] = ("incomplete_rom",)
    has_hold = True
    #: Horizontal direction from the body towards a "front" camera, and its elevation (deg).
    front_axis = (1.0, 0.0, 0.0)
    front_elevation = 10.0
    default_view = "side"
    #: The posture's base orientation (body frame -> world) for the pelvis angles.
    base_rotation = STANDING
    #: Weight of the front direction against the side one in the oblique view.
    oblique_front = 1.0
    #: Horizontal direction towards a "side" camera (None: the working side).
    side_axis: tuple[float, float, float] | None = None

    def __init__(self, skeleton: Skeleton, side: str = "right", rom: float = 1.0) -> None:
        self.sk = skeleton
        self.side = side
        self.other = OTHER_SIDE[side]
        self.rom = float(rom)
        #: +1 if the working side is towards +Z in the world (body left is -Z in our bases).
        self.lat = 1.0 if side == "right" else -1.0

    def side_direction(self) -> np.ndarray:
        """Horizontal unit vector towards a "side" camera."""
        return np.asarray(self.side_axis if self.side_axis else (0.0, 0.0, self.lat), float)

    # --- to implement -----------------------------------------------------------------
    def pose(self, p: float, faults: dict[str, float]) -> Pose:
        raise NotImplementedError

    def primary_angle(self, joints: dict[str, np.ndarray]) -> float:
        """The exercise's range-of-motion angle (deg) from true joints."""
        raise NotImplementedError

    def props(self) -> list[Box]:
        return []

    # --- shared helpers ---------------------------------------------------------------
    def fk(self, pose: Pose) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """FK of ``pose``: rotations, translations and bone heads."""
        rot, trans = forward_kinematics(self.sk.rest, pose.rotations, pose.pelvis)
        return rot, trans, posed_heads(self.sk.rest, rot, trans)

    def head_at(self, heads: np.ndarray, part: str, side: str | None = None) -> np.ndarray:
        name = bone_name(part, side) if side else part
        return heads[self.sk.rest.bone(name)]

    def skin_point(self, rot: np.ndarray, trans: np.ndarray, bone: str,
                   point: np.ndarray) -> np.ndarray:
        """Where a rest-space point rigidly attached to ``bone`` is in this pose."""
        b = self.sk.rest.bone(bone)
        return rot[b] @ point + trans[b]

    def joints(self, pose: Pose) -> dict[str, np.ndarray]:
        """Bone-head joints only (no skinning), keyed by BlazePose name."""
        _, _, heads = self.fk(pose)
        out = {}
        for side in ("left", "right"):
            for joint, part in (("SHOULDER", "upperarm01"), ("HIP", "upperleg01"),
                                ("KNEE", "lowerleg01"), ("ANKLE", "foot"),
                                ("WRIST", "wrist")):
                out[f"{side.upper()}_{joint}"] = self.head_at(heads, part, side)
        return out

    def rotate_leg(self, pose: Pose, side: str, axis: np.ndarray, deg: float,
                   include_foot: bool = False) -> None:
        """Turn a leg's thigh and shin (and foot) rotations about ``axis`` by ``deg``."""
        turn = rotation(axis, deg)
        parts = ["upperleg01", "upperleg02", "lowerleg01", "lowerleg02"]
        if include_foot:
            parts.append("foot")
        for part in parts:
            name = bone_name(part, side)
            if name in pose.rotations:
                pose.rotations[name] = turn @ pose.rotations[name]

    def roll_about(self, pose: Pose, pivot: np.ndarray, axis: np.ndarray, deg: float,
                   bones: tuple[str, ...]) -> None:
        """Rotate the pelvis position about ``pivot`` and the named bones' rotations."""
        turn = rotation(axis, deg)
        pose.pelvis = pivot + turn @ (pose.pelvis - pivot)
        for name in bones:
            if name in pose.rotations:
                pose.rotations[name] = turn @ pose.rotations[name]


def fppa(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray, other_hip: np.ndarray,
         view_axis: np.ndarray) -> float:
    """Knee frontal plane projection angle (deg) seen along ``view_axis``; + = valgus.

    Points are projected onto the plane normal to ``view_axis``; the angle is 180 minus the
    hip-knee-ankle angle there, positive when the knee lies on the medial side (towards the
    other hip) of the hip-ankle line.
    """
    n = view_axis / np.linalg.norm(view_axis)

    def proj(x: np.ndarray) -> np.ndarray:
        return x - np.dot(x, n) * n

    h, k, a, o = proj(hip), proj(knee), proj(ankle), proj(other_hip)
    u, w = h - k, a - k
    cos = np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w))
    angle = 180.0 - np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))
    line = (a - h) / np.linalg.norm(a - h)
    off = (k - h) - np.dot(k - h, line) * line
    medial = (o - h) - np.dot(o - h, line) * line
    return float(angle if np.dot(off, medial) >= 0 else -angle)


def view_axis(exercise: SynthExercise) -> np.ndarray:
    """Unit vector from the body towards the exercise's front camera."""
    ax = np.asarray(exercise.front_axis, float)
    e = np.radians(exercise.front_elevation)
    v = np.cos(e) * ax / np.linalg.norm(ax) + np.sin(e) * np.array([0.0, 1.0, 0.0])
    return v / np.linalg.norm(v)


def knee_fppa(exercise: SynthExercise, joints: dict[str, np.ndarray], side: str) -> float:
    """FPPA (deg, + valgus) of ``side``'s knee in the exercise's frontal projection plane."""
    s, o = side.upper(), OTHER_SIDE[side].upper()
    return fppa(joints[f"{s}_HIP"], joints[f"{s}_KNEE"], joints[f"{s}_ANKLE"],
                joints[f"{o}_HIP"], view_axis(exercise))


def apply_valgus(exercise: SynthExercise, pose: Pose, side: str, size: float) -> None:
    """Turn ``side``'s thigh+shin about the hip-ankle line until the knee's FPPA is
    ``size`` degrees more valgus than in ``pose`` (hip, ankle and foot stay put)."""
    if abs(size) < 1e-6:
        return
    joints = exercise.joints(pose)
    s, o = side.upper(), OTHER_SIDE[side].upper()
    hip, ankle, knee = joints[f"{s}_HIP"], joints[f"{s}_ANKLE"], joints[f"{s}_KNEE"]
    axis = ankle - hip
    target = knee_fppa(exercise, joints, side) + size
    # Which way is medial? Try a small turn and see whether the knee nears the other hip.
    medial = joints[f"{o}_HIP"] - hip
    test = rotation(axis, 5.0) @ (knee - hip)
    sign = 1.0 if np.dot(test - (knee - hip), medial) > 0 else -1.0

    def fppa_for(deg: float) -> float:
        k = hip + rotation(axis, sign * deg) @ (knee - hip)
        moved = dict(joints, **{f"{s}_KNEE": k})
        return knee_fppa(exercise, moved, side)

    lo, hi = (0.0, 80.0) if size > 0 else (-80.0, 0.0)
    for _ in range(40):  # bisection; FPPA grows monotonically with the turn here
        mid = 0.5 * (lo + hi)
        if fppa_for(mid) < target:
            lo = mid
        else:
            hi = mid
    exercise.rotate_leg(pose, side, axis, sign * 0.5 * (lo + hi))
