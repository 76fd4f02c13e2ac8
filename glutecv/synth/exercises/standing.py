"""Standing exercises: bodyweight squat and (split-stance) lunge.

Feet stay planted: each leg is solved by two-bone IK from the hip to a fixed ankle (the back
foot of the lunge pivots on its toes). ``knee_valgus`` turns thigh+shin about the hip-ankle
line so the knee caves in while hip, ankle and foot stay put.
"""

from __future__ import annotations

import numpy as np

from glutecv.synth.body import skin
from glutecv.synth.exercises.base import SynthExercise, apply_valgus
from glutecv.synth.rig import STANDING, Pose, aim, aim_sagittal, pitch, two_bone_ik
from glutecv.synth.skeleton import bone_name


def _knee_flexion(joints: dict[str, np.ndarray], side: str) -> float:
    s = side.upper()
    u = joints[f"{s}_HIP"] - joints[f"{s}_KNEE"]
    w = joints[f"{s}_ANKLE"] - joints[f"{s}_KNEE"]
    cos = np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w))
    return 180.0 - float(np.degrees(np.arccos(np.clip(cos, -1, 1))))


class _Standing(SynthExercise):
    base_rotation = STANDING
    front_axis = (1.0, 0.0, 0.0)
    front_elevation = 5.0
    has_hold = False

    def __init__(self, skeleton, side="right", rom=1.0) -> None:
        super().__init__(skeleton, side, rom)
        pose = Pose()
        pose.rotations["root"] = STANDING
        rot, trans, _ = self.fk(pose)
        self.standing_height = -float(skin(self.sk.rest, rot, trans)[:, 1].min())

    def _lengths(self, side: str) -> tuple[float, float]:
        t, s = STANDING @ self.sk.thigh(side), STANDING @ self.sk.shin(side)
        return float(np.hypot(t[0], t[1])), float(np.hypot(s[0], s[1]))

    def _rest_head(self, part: str, side: str) -> np.ndarray:
        """World position of a bone head in the standing rest pose."""
        return (np.array([0.0, self.standing_height, 0.0])
                + STANDING @ (self.sk.head(part, side) - self.sk.rest.heads[0]))

    def _place_pelvis(self, pose: Pose, hip_xy: np.ndarray, side: str) -> None:
        """Put the pelvis so ``side``'s hip joint lands at ``hip_xy`` (sagittal)."""
        pose.pelvis = np.zeros(3)
        _, _, heads = self.fk(pose)
        hip = self.head_at(heads, "upperleg01", side)
        pose.pelvis = np.array([hip_xy[0] - hip[0], hip_xy[1] - hip[1], 0.0])

    def _leg(self, pose: Pose, side: str, hip: np.ndarray, ankle: np.ndarray,
             foot: np.ndarray) -> None:
        l1, l2 = self._lengths(side)
        a1, a2 = two_bone_ik(hip, ankle, l1, l2, bend_sign=+1.0)
        pose.rotations[bone_name("upperleg01", side)] = aim_sagittal(STANDING,
                                                                     self.sk.thigh(side), a1)
        pose.rotations[bone_name("lowerleg01", side)] = aim_sagittal(STANDING,
                                                                     self.sk.shin(side), a2)
        pose.rotations[bone_name("foot", side)] = foot

    def _arms(self, pose: Pose, forward: float) -> None:
        for side in ("left", "right"):
            out = -1.0 if side == "left" else 1.0
            hang = np.array([0.05, -1.0, 0.22 * out])
            reach = np.array([1.0, -0.05, 0.12 * out])
            d = (1 - forward) * hang / np.linalg.norm(hang) + forward * reach / np.linalg.norm(
                reach)
            r = aim(STANDING, self.sk.upper_arm(side), d)
            pose.rotations[bone_name("upperarm01", side)] = r
            pose.rotations[bone_name("lowerarm01", side)] = aim(r, self.sk.forearm(side),
                                                               d + np.array([0.1, 0.0, 0.0]))


class Squat(_Standing):
    name = "squat"
    faults = ("knee_valgus", "incomplete_rom")
    default_view = "front"
    depth = 105.0  # knee flexion (deg) at the bottom

    def pose(self, p: float, faults: dict[str, float]) -> Pose:
        k = self.depth * self.rom * p
        shin_lean, trunk_lean = 0.36 * k, 0.42 * k
        pose = Pose()
        pose.set_spine(pitch(-trunk_lean) @ STANDING, pitch(-trunk_lean - 4 * p) @ STANDING,
                       pitch(-0.2 * trunk_lean) @ STANDING)
        ankles = {s: self._rest_head("foot", s) for s in ("left", "right")}
        l1, l2 = self._lengths("left")
        a = ankles["left"]
        knee = a[:2] + l2 * np.array([np.cos(np.radians(90 - shin_lean)),
                                      np.sin(np.radians(90 - shin_lean))])
        hip = knee + l1 * np.array([np.cos(np.radians(90 - shin_lean + k)),
                                    np.sin(np.radians(90 - shin_lean + k))])
        self._place_pelvis(pose, hip, "left")
        _, _, heads = self.fk(pose)
        for side in ("left", "right"):
            self._leg(pose, side, self.head_at(heads, "upperleg01", side), ankles[side],
                      STANDING)
        self._arms(pose, min(1.0, 1.3 * p))
        valgus = faults.get("knee_valgus", 0.0)
        if valgus:
            for side in ("left", "right"):
                apply_valgus(self, pose, side, valgus)
        return pose

    def primary_angle(self, joints: dict[str, np.ndarray]) -> float:
        """Knee flexion (deg), mean of both knees."""
        return 0.5 * (_knee_flexion(joints, "left") + _knee_flexion(joints, "right"))


class Lunge(_Standing):
    name = "lunge"
    unilateral = True
    faults = ("knee_valgus", "incomplete_rom")
    default_view = "side"
    stance = 0.48  # metres from the pelvis to each ankle along the floor

    def __init__(self, skeleton, side="right", rom=1.0) -> None:
        super().__init__(skeleton, side, rom)
        self.front = self._rest_head("foot", self.side) + np.array([self.stance, 0, 0])
        self.back_toe_x = -self.stance + 0.12
        self.top = self._hip_height(0.0)
        self.bottom = self._bottom_height()

    def _back_foot(self, p: float) -> tuple[np.ndarray, np.ndarray]:
        """Back-foot rotation (toes down, heel up) and its ankle position."""
        r = pitch(-(30.0 + 20.0 * p)) @ STANDING
        toe = self.sk.rest.vertices[self.sk.toe_vertex[self.other]] \
            - self.sk.head("foot", self.other)
        ankle_z = self._rest_head("foot", self.other)[2]
        ankle = np.array([self.back_toe_x, 0.012, ankle_z]) - r @ toe
        return r, ankle

    def _hip_height(self, p: float) -> float:
        """Highest hip height (m) at which both legs still reach their ankles (97%)."""
        best = np.inf
        _, back = self._back_foot(p)
        for side, ankle in ((self.side, self.front), (self.other, back)):
            l1, l2 = self._lengths(side)
            reach = 0.97 * (l1 + l2)
            best = min(best, ankle[1] + np.sqrt(max(reach ** 2 - ankle[0] ** 2, 0.0)))
        return float(best)

    def _bottom_height(self) -> float:
        """Hip height at which the back knee is 8 cm above the floor."""
        lo, hi = 0.2, self.top
        for _ in range(30):
            mid = 0.5 * (lo + hi)
            pose = self._build(1.0, mid)
            knee = self.head_at(self.fk(pose)[2], "lowerleg01", self.other)
            if knee[1] < 0.08:
                lo = mid
            else:
                hi = mid
        return 0.5 * (lo + hi)

    def _build(self, p: float, hip_height: float) -> Pose:
        pose = Pose()
        pose.set_spine(pitch(-4.0 * p) @ STANDING, pitch(-2.0 * p) @ STANDING, STANDING)
        self._place_pelvis(pose, np.array([0.0, hip_height]), self.side)
        _, _, heads = self.fk(pose)
        back_rot, back_ankle = self._back_foot(p)
        self._leg(pose, self.side, self.head_at(heads, "upperleg01", self.side), self.front,
                  STANDING)
        self._leg(pose, self.other, self.head_at(heads, "upperleg01", self.other), back_ankle,
                  back_rot)
        self._arms(pose, 0.0)
        return pose

    def pose(self, p: float, faults: dict[str, float]) -> Pose:
        top = self._hip_height(p)
        bottom = getattr(self, "bottom", top)
        depth = top + (bottom - top) * self.rom * p
        pose = self._build(p, min(depth, top))
        valgus = faults.get("knee_valgus", 0.0)
        if valgus:
            apply_valgus(self, pose, self.side, valgus)
        return pose

    def primary_angle(self, joints: dict[str, np.ndarray]) -> float:
        """Front-knee flexion (deg)."""
        return _knee_flexion(joints, self.side)
