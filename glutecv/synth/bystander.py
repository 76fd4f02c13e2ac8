"""A second person who walks across the room behind the exerciser (``--people 2``).

It exists to test person tracking: a body that moves through the frame while the
exerciser works. The gait is a simple swing of the legs and arms (the feet are not planted);
the body is kept standing on the floor.
"""

from __future__ import annotations

import numpy as np

from glutecv.synth.body import RestBody, forward_kinematics, posed_heads, skin
from glutecv.synth.rig import STANDING, Pose, aim, aim_sagittal, rotation
from glutecv.synth.skeleton import Skeleton, bone_name

STRIDE_S = 1.1      # one full gait cycle, seconds
SWING_DEG = 22.0    # thigh swing either side of vertical


class Bystander:
    """Walks in a straight line from ``start`` to ``end`` (world metres) over ``duration_s``."""

    def __init__(self, rest: RestBody, start: np.ndarray, end: np.ndarray,
                 duration_s: float) -> None:
        self.sk = Skeleton.of(rest)
        self.start, self.end = np.asarray(start, float), np.asarray(end, float)
        self.duration = max(float(duration_s), 1e-3)
        heading = self.end - self.start
        yaw = np.degrees(np.arctan2(-heading[2], heading[0]))
        self.turn = rotation((0.0, 1.0, 0.0), yaw)   # turns "facing +X" to the heading

    def pose(self, t: float) -> tuple[Pose, np.ndarray, np.ndarray, np.ndarray]:
        """Pose at ``t`` seconds, with its FK rotations, translations and skinned vertices."""
        phase = 2 * np.pi * t / STRIDE_S
        pose = Pose()
        pose.set_spine(STANDING, STANDING, STANDING)
        for side, sign in (("left", 1.0), ("right", -1.0)):
            swing = sign * SWING_DEG * np.sin(phase)
            knee = 35.0 * max(0.0, np.sin(phase * sign + 1.3)) + 5.0
            thigh_deg = -90.0 + swing
            pose.rotations[bone_name("upperleg01", side)] = aim_sagittal(
                STANDING, self.sk.thigh(side), thigh_deg)
            pose.rotations[bone_name("lowerleg01", side)] = aim_sagittal(
                STANDING, self.sk.shin(side), thigh_deg - knee)
            pose.rotations[bone_name("foot", side)] = STANDING
            out = -1.0 if side == "left" else 1.0
            arm = np.array([-0.35 * np.sin(phase) * sign, -1.0, 0.18 * out])
            r = aim(STANDING, self.sk.upper_arm(side), arm)
            pose.rotations[bone_name("upperarm01", side)] = r
            pose.rotations[bone_name("lowerarm01", side)] = aim(
                r, self.sk.forearm(side), arm + np.array([0.25, 0.0, 0.0]))
        pose.rotations = {k: self.turn @ v for k, v in pose.rotations.items()}
        where = self.start + (self.end - self.start) * min(max(t / self.duration, 0.0), 1.0)
        pose.pelvis = np.array([where[0], 0.0, where[2]])
        rot, trans = forward_kinematics(self.sk.rest, pose.rotations, pose.pelvis)
        vertices = skin(self.sk.rest, rot, trans)
        lift = -vertices[:, 1].min()           # stand on the floor
        trans = trans + np.array([0.0, lift, 0.0])
        vertices = vertices + np.array([0.0, lift, 0.0])
        pose.pelvis = pose.pelvis + np.array([0.0, lift, 0.0])
        return pose, rot, trans, vertices

    def joints(self, rot: np.ndarray, trans: np.ndarray,
               vertices: np.ndarray) -> dict[str, np.ndarray]:
        """BlazePose-named joints of this pose."""
        return self.sk.joints(posed_heads(self.sk.rest, rot, trans), vertices)
