"""Floor exercises: side-lying clamshell and quadruped fire hydrant.

Clamshell: lying on the non-working side, hips flexed 45 deg and knees 90 deg, feet
together; the top knee opens by turning the top thigh and shin about the hip-ankle line, so
the feet stay together. ``pelvis_rotation`` rolls the pelvis (and top leg) backwards about
the body's long axis through the bottom hip.

Fire hydrant: on hands and knees, hands under the shoulders, knees under the hips; the
working thigh lifts sideways about the trunk's long axis through the hip with the knee bent.
``hip_hike`` rolls the pelvis up on the working side about the support hip; ``trunk_shift``
moves the trunk sideways, away from the working leg, with hands and support knee planted.
"""

from __future__ import annotations

import numpy as np

from glutecv.synth.body import skin
from glutecv.synth.exercises.base import SynthExercise
from glutecv.synth.rig import PRONE, Pose, aim, pitch, rotation, side_lying
from glutecv.synth.skeleton import bone_name


def _thigh_abduction(joints: dict[str, np.ndarray], side: str) -> float:
    """Angle (deg) of ``side``'s thigh out of the plane normal to the hip-hip line, + lateral."""
    s, o = side.upper(), ("LEFT" if side == "right" else "RIGHT")
    lateral = joints[f"{s}_HIP"] - joints[f"{o}_HIP"]
    lateral /= np.linalg.norm(lateral)
    thigh = joints[f"{s}_KNEE"] - joints[f"{s}_HIP"]
    thigh /= np.linalg.norm(thigh)
    return float(np.degrees(np.arcsin(np.clip(np.dot(thigh, lateral), -1, 1))))


class Clamshell(SynthExercise):
    name = "clamshell"
    unilateral = True
    faults = ("pelvis_rotation", "incomplete_rom")
    front_axis = (0.0, 0.0, -1.0)   # replaced per side in __init__
    front_elevation = 25.0
    default_view = "front"
    opening = 42.0                   # deg of turn about the hip-ankle line at full range

    def __init__(self, skeleton, side="right", rom=1.0) -> None:
        super().__init__(skeleton, side, rom)
        self.base_rotation = side_lying(top_side=side)
        belly = self.base_rotation @ np.array([0.0, 0.0, 1.0])
        self.front_axis = tuple(belly)
        self.side_axis = (1.0, 0.0, 0.0)   # a "side" camera looks from the feet
        self.opening_full = self.opening * self.rom
        self.pelvis_height = 0.0
        rot, trans, _ = self.fk(self._neutral())
        self.pelvis_height = -float(skin(self.sk.rest, rot, trans)[:, 1].min()) + 0.002

    def _neutral(self) -> Pose:
        pose = Pose()
        b = self.base_rotation
        pose.set_spine(b, b, b)
        pose.pelvis = np.array([0.0, self.pelvis_height, 0.0])
        flex_thigh = b @ rotation((1, 0, 0), -45.0)
        flex_shin = b @ rotation((1, 0, 0), 45.0)
        for side in ("left", "right"):
            pose.rotations[bone_name("upperleg01", side)] = flex_thigh
            pose.rotations[bone_name("lowerleg01", side)] = flex_shin
        _, _, heads = self.fk(pose)
        # Bring the top knee and ankle down onto the bottom ones (legs stacked).
        top, bottom = self.side, self.other
        gap = np.array([0.0, 0.11, 0.0])
        hip = self.head_at(heads, "upperleg01", top)
        knee_target = self.head_at(heads, "lowerleg01", bottom) + gap
        r_thigh = aim(flex_thigh, self.sk.thigh(top), knee_target - hip)
        pose.rotations[bone_name("upperleg01", top)] = r_thigh
        knee = hip + r_thigh @ self.sk.thigh(top)
        ankle_target = self.head_at(heads, "foot", bottom) + gap * 0.8
        pose.rotations[bone_name("lowerleg01", top)] = aim(
            flex_shin, self.sk.shin(top), ankle_target - knee)
        self._arms(pose, heads)
        return pose

    def _arms(self, pose: Pose, heads: np.ndarray) -> None:
        b = self.base_rotation
        # Bottom arm along the floor above the head (pillow), top hand on the floor in front.
        r = aim(b, self.sk.upper_arm(self.other), np.array([-1.0, -0.05, 0.0]))
        pose.rotations[bone_name("upperarm01", self.other)] = r
        pose.rotations[bone_name("lowerarm01", self.other)] = aim(
            r, self.sk.forearm(self.other), np.array([-0.6, 0.0, 0.0]) + 0.8 * (b[:, 2]))
        shoulder = self.head_at(heads, "upperarm01", self.side)
        hand = np.array([shoulder[0] + 0.15, 0.05, 0.0]) + 0.28 * b[:, 2]
        r = aim(b, self.sk.upper_arm(self.side), hand - shoulder + np.array([0, 0.15, 0]))
        pose.rotations[bone_name("upperarm01", self.side)] = r
        elbow = shoulder + r @ self.sk.upper_arm(self.side)
        r = aim(r, self.sk.forearm(self.side), hand - elbow)
        pose.rotations[bone_name("lowerarm01", self.side)] = r
        # Palm flat on the floor, fingers pointing away from the chest.
        pose.rotations[bone_name("wrist", self.side)] = aim(
            r, self.sk.vector("wrist", "finger3-1", self.side), b[:, 2] + np.array([0, -0.1, 0]))
        pose.rotations["head"] = b @ rotation((0, 0, 1), -8.0)

    def pose(self, p: float, faults: dict[str, float]) -> Pose:
        pose = self._neutral()
        _, _, heads = self.fk(pose)
        hip = self.head_at(heads, "upperleg01", self.side)
        ankle = self.head_at(heads, "foot", self.side)
        knee = self.head_at(heads, "lowerleg01", self.side)
        axis = ankle - hip
        sign = 1.0 if (rotation(axis, 5.0) @ (knee - hip))[1] > (knee - hip)[1] else -1.0
        self.rotate_leg(pose, self.side, axis, sign * self.opening_full * p)
        roll = faults.get("pelvis_rotation", 0.0)
        if roll:
            pivot = self.head_at(heads, "upperleg01", self.other)
            long_axis = np.array([1.0, 0.0, 0.0])
            back = -self.base_rotation[:, 2]
            top_hip = hip - pivot
            turn_sign = 1.0 if np.dot(rotation(long_axis, 5.0) @ top_hip - top_hip,
                                      back) > 0 else -1.0
            bones = ("root",) + tuple(bone_name(b, self.side) for b in
                                      ("upperleg01", "lowerleg01", "foot"))
            thorax, head = pose.rotations["spine01"], pose.rotations["head"]
            self.roll_about(pose, pivot, long_axis, turn_sign * roll, bones)
            pose.set_spine(pose.rotations["root"], thorax, head)
        return pose

    def primary_angle(self, joints: dict[str, np.ndarray]) -> float:
        """Top-thigh abduction (deg) relative to the pelvis."""
        return _thigh_abduction(joints, self.side)


class FireHydrant(SynthExercise):
    name = "fire_hydrant"
    unilateral = True
    faults = ("hip_hike", "trunk_shift", "incomplete_rom")
    front_axis = (1.0, 0.0, 0.0)     # head end
    front_elevation = 15.0
    default_view = "back"
    base_rotation = PRONE
    lift = 48.0                      # deg the thigh turns about the trunk axis at full range
    knee_height = 0.055

    def __init__(self, skeleton, side="right", rom=1.0) -> None:
        super().__init__(skeleton, side, rom)
        self.lift_full = self.lift * self.rom
        self.hands: dict[str, np.ndarray] = {}
        self.knees: dict[str, np.ndarray] = {}
        self.neutral = self._solve_neutral()

    def _limbs(self, pose: Pose, trunk_pitch: float) -> np.ndarray:
        b = pitch(trunk_pitch) @ PRONE
        pose.set_spine(b, pitch(trunk_pitch - 4.0) @ PRONE, pitch(trunk_pitch + 25.0) @ PRONE)
        down = np.array([0.0, -1.0, 0.0])
        for side in ("left", "right"):
            r = aim(PRONE, self.sk.thigh(side), down)
            pose.rotations[bone_name("upperleg01", side)] = r
            shin = aim(r, self.sk.shin(side), np.array([-1.0, -0.02, 0.0]))
            pose.rotations[bone_name("lowerleg01", side)] = shin
            foot_vec = (self.sk.rest.vertices[self.sk.toe_vertex[side]]
                        - self.sk.head("foot", side))
            pose.rotations[bone_name("foot", side)] = aim(
                shin, foot_vec, np.array([-1.0, -0.2, 0.0]))
            arm = self.sk.head("wrist", side) - self.sk.head("upperarm01", side)
            r = aim(PRONE, arm, down)
            pose.rotations[bone_name("upperarm01", side)] = r
            pose.rotations[bone_name("lowerarm01", side)] = r
            pose.rotations[bone_name("wrist", side)] = aim(
                r, self.sk.vector("wrist", "finger3-1", side), np.array([1.0, -0.08, 0.0]))
        thigh_len = np.linalg.norm(self.sk.thigh("left"))
        pose.pelvis = np.zeros(3)
        _, _, heads = self.fk(pose)
        hip = self.head_at(heads, "upperleg01", "left")
        pose.pelvis = np.array([0.0, self.knee_height + thigh_len - hip[1], 0.0])
        _, _, heads = self.fk(pose)
        return heads

    def _solve_neutral(self) -> tuple[float, Pose]:
        arm_len = float(np.linalg.norm(self.sk.head("wrist", "left")
                                       - self.sk.head("upperarm01", "left")))
        want = 0.05 + arm_len   # shoulder height with the wrist just above the floor
        lo, hi = -25.0, 25.0
        for _ in range(30):
            mid = 0.5 * (lo + hi)
            heads = self._limbs(Pose(), mid)
            if self.head_at(heads, "upperarm01", "left")[1] < want:
                lo = mid   # shoulders too low: pitch the head end up
            else:
                hi = mid
        trunk_pitch = 0.5 * (lo + hi)
        pose = Pose()
        heads = self._limbs(pose, trunk_pitch)
        for side in ("left", "right"):
            self.hands[side] = self.head_at(heads, "wrist", side)
            self.knees[side] = self.head_at(heads, "lowerleg01", side)
        return trunk_pitch

    def pose(self, p: float, faults: dict[str, float]) -> Pose:
        pose = Pose()
        heads = self._limbs(pose, self.neutral)
        hip = self.head_at(heads, "upperleg01", self.side)
        axis = pose.rotations["root"] @ np.array([0.0, 1.0, 0.0])
        knee = self.head_at(heads, "lowerleg01", self.side)
        outward = hip - self.head_at(heads, "upperleg01", self.other)
        moved = rotation(axis, 5.0) @ (knee - hip) - (knee - hip)
        sign = 1.0 if np.dot(moved, outward) > 0 else -1.0
        self.rotate_leg(pose, self.side, axis, sign * self.lift_full * p, include_foot=True)
        hike = faults.get("hip_hike", 0.0)
        if hike:
            pivot = self.head_at(heads, "upperleg01", self.other)
            up = hip - pivot
            hs = 1.0 if (rotation(axis, 5.0) @ up)[1] > up[1] else -1.0
            bones = ("root",) + tuple(bone_name(b, self.side) for b in
                                      ("upperleg01", "lowerleg01", "foot"))
            keep = {k: pose.rotations[k] for k in ("spine01", "head")}
            self.roll_about(pose, pivot, axis, hs * hike, bones)
            pose.set_spine(pose.rotations["root"], keep["spine01"], keep["head"])
        shift = faults.get("trunk_shift", 0.0)
        if shift:
            self._shift_trunk(pose, shift)
        return pose

    def _shift_trunk(self, pose: Pose, deg: float) -> None:
        """Move the trunk sideways (away from the working leg) by the arms' lean ``deg``;
        hands and the support knee stay planted, the arms and support thigh re-aim."""
        _, _, heads = self.fk(pose)
        height = self.head_at(heads, "upperarm01", "left")[1] - self.hands["left"][1]
        away = np.array([0.0, 0.0, -self.lat])
        pose.pelvis = pose.pelvis + height * np.tan(np.radians(deg)) * away
        _, _, heads = self.fk(pose)
        for side in ("left", "right"):
            shoulder = self.head_at(heads, "upperarm01", side)
            arm = self.sk.head("wrist", side) - self.sk.head("upperarm01", side)
            r = aim(PRONE, arm, self.hands[side] - shoulder)
            pose.rotations[bone_name("upperarm01", side)] = r
            pose.rotations[bone_name("lowerarm01", side)] = r
        hip = self.head_at(heads, "upperleg01", self.other)
        name = bone_name("upperleg01", self.other)
        shin_name = bone_name("lowerleg01", self.other)
        shin = pose.rotations[shin_name]
        pose.rotations[name] = aim(PRONE, self.sk.thigh(self.other), self.knees[self.other] - hip)
        pose.rotations[shin_name] = shin

    def primary_angle(self, joints: dict[str, np.ndarray]) -> float:
        """Working-thigh abduction (deg) relative to the pelvis."""
        return _thigh_abduction(joints, self.side)
