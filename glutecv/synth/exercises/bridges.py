"""Supine hip-extension exercises: glute bridge, single-leg glute bridge, hip thrust.

The upper back stays on its support (floor, or a bench edge for the hip thrust): the thorax
pivots about that contact while the pelvis rises, and the feet stay planted by two-bone IK.
A clean rep keeps the lumbar spine neutral; ``lumbar_extension`` arches the low back at
lockout: the ribcage lifts about the upper-back contact while the pelvis keeps its clean
orientation, so the trunk extends relative to the pelvis and pushes the hips above the
shoulder-knee line (no extra hip extension); ``pelvic_drop`` rolls the pelvis down on the free-leg
side about the working hip.
"""

from __future__ import annotations

import numpy as np

from glutecv.synth.body import skin
from glutecv.synth.exercises.base import Box, SynthExercise, apply_valgus
from glutecv.synth.rig import (
    STANDING,
    SUPINE,
    Pose,
    aim,
    aim_sagittal,
    pitch,
    rotation,
    two_bone_ik,
)
from glutecv.synth.skeleton import bone_name

THORAX_SHARE = 0.2  # fraction of the pelvis's pitch the upper thorax follows
_TRUNK_PARTS = ("spine", "neck", "head", "clavicle", "shoulder01", "root", "pelvis")


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    u, w = a - b, c - b
    return float(np.degrees(np.arccos(np.clip(
        np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w)), -1, 1))))


class _Supine(SynthExercise):
    faults = ("knee_valgus", "lumbar_extension", "incomplete_rom")
    base_rotation = SUPINE
    oblique_front = 0.5   # mostly from the side: lying bodies foreshorten badly from the feet
    # Seen from the feet, high enough that the view is roughly normal to the hip-ankle line.
    front_elevation = 65.0
    bench_height = 0.0
    pitch_bottom = 2.0
    pitch_top = 32.0
    single_leg = False

    def __init__(self, skeleton, side="right", rom=1.0) -> None:
        super().__init__(skeleton, side, rom)
        self.pitch_top = self.pitch_bottom + (self.pitch_top - self.pitch_bottom) * self.rom
        top = self._trunk(self.pitch_top)
        _, _, heads = self.fk(top)
        self.ankles = {s: self._ankle_target(self.head_at(heads, "upperleg01", s), s)
                       for s in ("left", "right")}

    # -- geometry ------------------------------------------------------------------------
    def _lengths(self, side: str) -> tuple[float, float]:
        t = SUPINE @ self.sk.thigh(side)
        s = SUPINE @ self.sk.shin(side)
        return float(np.hypot(t[0], t[1])), float(np.hypot(s[0], s[1]))

    def _ankle_target(self, hip: np.ndarray, side: str) -> np.ndarray:
        """Planted ankle: at lockout the thigh continues the trunk line (bridge) or is
        level (hip thrust) and the shin reaches down to the floor."""
        l1, l2 = self._lengths(side)
        thigh_deg = self.pitch_top if self.bench_height == 0 else 0.0
        ha = self.sk.sole_height
        knee = hip[:2] + l1 * np.array([np.cos(np.radians(thigh_deg)),
                                        np.sin(np.radians(thigh_deg))])
        drop = min(knee[1] - ha, 0.97 * l2)
        x = knee[0] + np.sqrt(max(l2 ** 2 - drop ** 2, 0.0))
        return np.array([x, ha, hip[2]])

    def _trunk(self, pelvis_pitch: float, thorax_pitch: float | None = None) -> Pose:
        """Pelvis pitched up by ``pelvis_pitch`` (deg) about the upper-back contact point;
        the thorax follows a share of it unless ``thorax_pitch`` is given."""
        pose = Pose()
        if thorax_pitch is None:
            thorax_pitch = THORAX_SHARE * pelvis_pitch
        pelvis_rot = pitch(pelvis_pitch) @ SUPINE
        thorax_rot = pitch(thorax_pitch) @ SUPINE
        # On a bench the chin stays tucked (eyes towards the knees); on the floor the head
        # lies flat.
        head_rot = pitch(THORAX_SHARE * pelvis_pitch - 25.0) @ SUPINE \
            if self.bench_height else SUPINE
        pose.set_spine(pelvis_rot, thorax_rot, head_rot)
        rot, trans, _ = self.fk(pose)
        contact = self.skin_point(rot, trans, "spine01", self.sk.back_point)
        target = np.array([0.0, self.bench_height + 0.004, 0.0])
        pose.pelvis = pose.pelvis + target - contact
        self._lift_off_floor(pose)
        return pose

    def _lift_off_floor(self, pose: Pose) -> None:
        """Raise the body if the back, neck or head would sink into the floor (or bench)."""
        rot, trans, _ = self.fk(pose)
        v = skin(self.sk.rest, rot, trans)[self._trunk_vertices]
        support = np.where(v[:, 0] < 0.0, self.bench_height, 0.0)
        sink = float(np.max(support - v[:, 1]))
        if sink > 0:
            pose.pelvis = pose.pelvis + np.array([0.0, sink, 0.0])

    @property
    def _trunk_vertices(self) -> np.ndarray:
        rest = self.sk.rest
        if not hasattr(self, "_trunk_idx"):
            names = np.array([rest.bone_names[b].startswith(_TRUNK_PARTS)
                              for b in range(len(rest.bone_names))])
            self._trunk_idx = np.flatnonzero(names[rest.dominant_bone])
        return self._trunk_idx

    # -- the script ------------------------------------------------------------------------
    def pose(self, p: float, faults: dict[str, float]) -> Pose:
        lumbar = faults.get("lumbar_extension", 0.0)
        base = self.pitch_bottom + (self.pitch_top - self.pitch_bottom) * p
        # Lumbar fault (one definition, shared with the analyzer): at lockout the low back
        # arches to finish the movement. The pelvis keeps its clean orientation (the hip does
        # not extend any further) while the ribcage lifts ``lumbar`` degrees more about the
        # upper-back contact, so the trunk extends by exactly ``lumbar`` degrees relative to
        # the pelvis and the hips are pushed ABOVE the shoulder-knee line.
        pose = self._trunk(base, THORAX_SHARE * base + lumbar)
        drop = faults.get("pelvic_drop", 0.0)
        if drop:
            self._drop_pelvis(pose, drop)
        _, _, heads = self.fk(pose)
        for side in ("left", "right"):
            hip = self.head_at(heads, "upperleg01", side)
            if self.single_leg and side == self.other:
                self._free_leg(pose, side, heads)
                continue
            l1, l2 = self._lengths(side)
            a1, a2 = two_bone_ik(hip, self.ankles[side], l1, l2, bend_sign=+1.0)
            pose.rotations[bone_name("upperleg01", side)] = aim_sagittal(
                SUPINE, self.sk.thigh(side), a1)
            pose.rotations[bone_name("lowerleg01", side)] = aim_sagittal(
                SUPINE, self.sk.shin(side), a2)
            pose.rotations[bone_name("foot", side)] = STANDING
        self._arms(pose, heads)
        valgus = faults.get("knee_valgus", 0.0)
        if valgus:
            for side in ((self.side,) if self.single_leg else ("left", "right")):
                apply_valgus(self, pose, side, valgus)
        return pose

    def _free_leg(self, pose: Pose, side: str, heads: np.ndarray) -> None:
        """Free leg straight, its thigh parallel to the working thigh's lockout line."""
        thigh_deg = self.pitch_top + 8.0
        pose.rotations[bone_name("upperleg01", side)] = aim_sagittal(
            SUPINE, self.sk.thigh(side), thigh_deg)
        pose.rotations[bone_name("lowerleg01", side)] = aim_sagittal(
            SUPINE, self.sk.shin(side), thigh_deg)
        pose.rotations[bone_name("foot", side)] = pitch(thigh_deg - 70.0) @ STANDING

    def _drop_pelvis(self, pose: Pose, deg: float) -> None:
        """Roll the pelvis about its long axis through the working hip, free side down."""
        _, _, heads = self.fk(pose)
        pivot = self.head_at(heads, "upperleg01", self.side)
        axis = pose.rotations["root"] @ np.array([0.0, 1.0, 0.0])
        free = self.head_at(heads, "upperleg01", self.other)
        sign = 1.0 if (rotation(axis, 1.0) @ (free - pivot))[1] < (free - pivot)[1] else -1.0
        turn = rotation(axis, sign * deg)
        pose.pelvis = pivot + turn @ (pose.pelvis - pivot)
        pose.set_spine(turn @ pose.rotations["root"], pose.rotations["spine01"],
                       pose.rotations.get("head"))
        self._lift_off_floor(pose)

    def _arms(self, pose: Pose, heads: np.ndarray) -> None:
        for side in ("left", "right"):
            shoulder = self.head_at(heads, "upperarm01", side)
            out = -1.0 if side == "left" else 1.0
            if self.bench_height:
                # Upper arms rest along the bench top, forearms point forward over it.
                upper = np.array([-0.15, -0.08, out])
                fore = np.array([0.35, -0.05, 0.5 * out])
            else:
                # Arms lie on the floor beside the body, palms down.
                hip = self.head_at(heads, "upperleg01", side)
                target = np.array([hip[0] - 0.05, 0.06, hip[2] + out * 0.16])
                upper = fore = target - shoulder
            r_upper = aim(SUPINE, self.sk.upper_arm(side), upper)
            pose.rotations[bone_name("upperarm01", side)] = r_upper
            pose.rotations[bone_name("lowerarm01", side)] = aim(
                r_upper, self.sk.forearm(side), fore)

    def primary_angle(self, joints: dict[str, np.ndarray]) -> float:
        """Hip extension (deg): 180 minus the working-side shoulder-hip-knee flexion."""
        s = self.side.upper()
        return _angle(joints[f"{s}_SHOULDER"], joints[f"{s}_HIP"], joints[f"{s}_KNEE"])


class GluteBridge(_Supine):
    name = "glute_bridge"
    default_view = "side"


class SingleLegGluteBridge(_Supine):
    name = "single_leg_glute_bridge"
    unilateral = True
    single_leg = True
    faults = ("knee_valgus", "lumbar_extension", "pelvic_drop", "incomplete_rom")
    default_view = "side"


class HipThrust(_Supine):
    name = "hip_thrust"
    bench_height = 0.40
    pitch_bottom = -34.0
    pitch_top = 0.0
    front_elevation = 45.0
    default_view = "side"

    def props(self) -> list[Box]:
        return [Box((-0.75, 0.0, -0.7), (0.02, self.bench_height - 0.02, 0.7),
                    (0.22, 0.22, 0.25))]
