"""Scripted bridges and hip thrusts with shoulders and feet planted (an example script).

The sagittal geometry is solved exactly: the mid-shoulder S stays on the floor (bridge) or on
a bench (thrust), the ankles stay planted, and the mid-hip rises on a circle of trunk length
around S; the knee follows by two-link inverse kinematics (knee up). Joint angles come out of
that solution and go through the general forward kinematics, so the landmarks are consistent
with :mod:`glutecv.kinematics.body`.

Faults are scripted as their ground truth:

* ``overshoot_deg``: at full lift the shoulder-hip-knee line bends this much PAST straight
  (hips above the line: what arching the low back looks like to a pose model);
* ``knee_cave_deg``: each knee moves toward the midline by hip adduction (the foot is held in
  place by hip internal rotation); the truth ``shank_medial_tilt_deg`` is measured on the
  noise-free 3D points;
* ``pelvic_drop_deg``: in a single-leg bridge, the free-leg side of the pelvis rotates down
  toward the floor by this much about the body's long axis (shoulders stay level).
"""

from __future__ import annotations

import numpy as np

from glutecv.kinematics.body import (
    DEFAULT_DIMS,
    ArmAngles,
    BodyDims,
    BodyPose,
    LegAngles,
    body_points,
)
from glutecv.landmarks import Landmark as L

SHOULDER_JOINT_HEIGHT = 0.09  # lying on the back, the shoulder joint centre above the floor (m)
ANKLE_JOINT_HEIGHT = 0.07


def _elev(dy: np.ndarray, dz: np.ndarray) -> np.ndarray:
    return np.degrees(np.arctan2(dy, dz))


def _knee_ik(hy: np.ndarray, hz: np.ndarray, ay: float, az: float, a: float,
             b: float) -> tuple[np.ndarray, np.ndarray]:
    """Knee (y, z) with |K-H| = a, |K-A| = b, the upper of the two solutions."""
    dy, dz = ay - hy, az - hz
    d = np.clip(np.hypot(dy, dz), abs(a - b) + 1e-6, a + b - 1e-6)
    along = (a * a - b * b + d * d) / (2 * d)
    h = np.sqrt(np.maximum(a * a - along * along, 0.0))
    uy, uz = dy / np.hypot(dy, dz), dz / np.hypot(dy, dz)
    ky1, kz1 = hy + along * uy - h * uz, hz + along * uz + h * uy
    ky2, kz2 = hy + along * uy + h * uz, hz + along * uz - h * uy
    up = ky1 >= ky2
    return np.where(up, ky1, ky2), np.where(up, kz1, kz2)


def _line_deviation(tau: np.ndarray, ay: float, az: float, d: BodyDims) -> np.ndarray:
    """Shoulder-hip-knee deviation (deg, + = hip above the line) for trunk elevation tau."""
    hy, hz = d.trunk * np.sin(np.radians(tau)), d.trunk * np.cos(np.radians(tau))
    ky, kz = _knee_ik(hy, hz, ay, az, d.thigh, d.shank)
    return tau - _elev(ky - hy, kz - hz)


def _ankle_for_top(knee_top_deg: float, feet_drop: float, d: BodyDims) -> tuple[float, float]:
    """Ankle (y, z) so that a straight lockout has ``knee_top_deg`` knee flexion and the
    ankle sits ``feet_drop`` m below the shoulder joint."""
    taus = np.linspace(-10, 80, 9001)
    r = np.radians(taus)
    ay = (d.trunk + d.thigh) * np.sin(r) + d.shank * np.sin(r - np.radians(knee_top_deg))
    tau = taus[int(np.argmin(np.abs(ay + feet_drop)))]
    rt, rs = np.radians(tau), np.radians(tau - knee_top_deg)
    return (float((d.trunk + d.thigh) * np.sin(rt) + d.shank * np.sin(rs)),
            float((d.trunk + d.thigh) * np.cos(rt) + d.shank * np.cos(rs)))


def bridge_pose(
    lift: np.ndarray, overshoot_deg: float | np.ndarray = 0.0, bench_height: float = 0.0,
    bottom_hip_height: float = 0.0, knee_top_deg: float = 90.0,
    knee_cave_deg: float | np.ndarray = 0.0, free_leg: str | None = None,
    free_knee_flexion: float = 0.0, pelvic_drop_deg: float | np.ndarray = 0.0,
    dims: BodyDims = DEFAULT_DIMS,
) -> tuple[BodyPose, np.ndarray, dict[str, np.ndarray]]:
    """Joint angles, mid-hip root (N, 3) in world metres and the truth of a bridge/thrust.

    ``lift`` in [0, 1] per frame (0 = hips down, 1 = lockout). ``bench_height`` raises the
    shoulders (0 = glute bridge on the floor, ~0.4 = hip thrust on a bench);
    ``bottom_hip_height``: mid-hip height above the floor at the bottom (for thrusts, e.g.
    0.15). ``free_leg`` (``"left"``/``"right"``) makes it a single-leg bridge with that leg held
    straight out in line with the working thigh (``free_knee_flexion`` to bend it).
    Truth keys: ``line_deviation_deg``, ``hip_flexion_deg``, ``knee_flexion_deg``.
    """
    d = dims
    lift = np.clip(np.asarray(lift, dtype=float), 0.0, 1.0)
    n = lift.size
    sy = SHOULDER_JOINT_HEIGHT + bench_height
    ay, az = _ankle_for_top(knee_top_deg, sy - ANKLE_JOINT_HEIGHT, d)
    tau_bottom = np.degrees(np.arcsin(np.clip(
        (SHOULDER_JOINT_HEIGHT + bottom_hip_height - sy) / d.trunk, -1, 1)))
    grid = np.linspace(tau_bottom, 85.0, 3000)
    dev = np.maximum.accumulate(_line_deviation(grid, ay, az, d))
    top_tau = np.interp(np.broadcast_to(overshoot_deg, (n,)), dev, grid)
    tau = tau_bottom + lift * (top_tau - tau_bottom)
    hy, hz = d.trunk * np.sin(np.radians(tau)), d.trunk * np.cos(np.radians(tau))
    ky, kz = _knee_ik(hy, hz, ay, az, d.thigh, d.shank)
    thigh_e = _elev(ky - hy, kz - hz)
    shank_e = _elev(ay - ky, az - kz)
    hip_flex = thigh_e - tau
    knee_flex = thigh_e - shank_e
    cave = np.broadcast_to(np.asarray(knee_cave_deg, dtype=float), (n,))
    drop = np.broadcast_to(np.asarray(pelvic_drop_deg, dtype=float), (n,))
    legs = {}
    for side in ("left", "right"):
        if side == free_leg:
            legs[side] = LegAngles(hip_flexion=hip_flex, knee_flexion=free_knee_flexion)
        else:
            legs[side] = LegAngles(hip_flexion=hip_flex, hip_abduction=-cave,
                                   knee_flexion=knee_flex)
    drop_sign = -1.0 if free_leg == "left" else 1.0   # free side's hip moves posterior (down)
    rotation = drop_sign * drop if free_leg else np.zeros(n)
    arms = ArmAngles(shoulder_flexion=0.0)
    pose = BodyPose(left_leg=legs["left"], right_leg=legs["right"], left_arm=arms,
                    right_arm=arms, pelvis_tilt=-tau, pelvis_rotation=rotation,
                    trunk_rotation=-rotation)
    if np.any(cave != 0) or (free_leg and np.any(drop != 0)):
        pose = _hold_feet(pose, cave, free_leg, d)
    root = np.stack([np.zeros(n), sy + hy, hz], axis=-1)
    truth = {"line_deviation_deg": tau - thigh_e, "hip_flexion_deg": hip_flex,
             "knee_flexion_deg": knee_flex, "trunk_elevation_deg": tau}
    return pose, root, truth


def _hold_feet(pose: BodyPose, cave: np.ndarray, free_leg: str | None,
               d: BodyDims) -> BodyPose:
    """Re-aim each working leg so its ankle stays planted and its knee sits where the scripted
    cave alone puts it, whatever the pelvis does: hip abduction steers the knee, hip internal
    rotation the foot (a few fixed-point iterations on the forward kinematics)."""
    from dataclasses import replace

    def legs(p: BodyPose, abd: dict, rot: dict) -> BodyPose:
        return replace(p, left_leg=replace(p.left_leg, hip_abduction=abd["left"],
                                           hip_rotation=rot["left"]),
                       right_leg=replace(p.right_leg, hip_abduction=abd["right"],
                                         hip_rotation=rot["right"]))

    zero = {s: np.zeros_like(cave) for s in ("left", "right")}
    still = replace(pose, pelvis_rotation=0.0, trunk_rotation=0.0)
    ref = body_points(legs(still, zero, zero), d)                       # planted feet
    caved = body_points(legs(still, {s: -cave for s in zero}, zero), d)  # where knees go
    abd = {s: (pose.leg(s).hip_abduction + 0 * cave) for s in zero}
    rot = {s: np.zeros_like(cave) for s in zero}
    for _ in range(6):
        cur = body_points(legs(pose, abd, rot), d)
        for side in ("left", "right"):
            if side == free_leg:
                continue
            knee = L.LEFT_KNEE if side == "left" else L.RIGHT_KNEE
            ankle = L.LEFT_ANKLE if side == "left" else L.RIGHT_ANKLE
            sign = 1.0 if side == "left" else -1.0  # + x is lateral for the left leg
            k_err = sign * (caved[:, knee, 0] - cur[:, knee, 0])
            a_err = sign * (ref[:, ankle, 0] - cur[:, ankle, 0])
            abd[side] = abd[side] + np.degrees(np.arcsin(np.clip(k_err / d.thigh, -1, 1)))
            rot[side] = rot[side] + np.degrees(np.arcsin(np.clip(a_err / d.shank, -1, 1)))
    return legs(pose, abd, rot)


def shank_medial_tilt(points: np.ndarray, side: str) -> np.ndarray:
    """Truth of knee caving on world/body points (N, 33, 3) with x = the person's left:
    angle of ankle->knee from vertical toward the midline in the frontal plane, degrees."""
    knee = points[:, L.LEFT_KNEE if side == "left" else L.RIGHT_KNEE]
    ankle = points[:, L.LEFT_ANKLE if side == "left" else L.RIGHT_ANKLE]
    v = knee - ankle
    medial = -v[:, 0] if side == "left" else v[:, 0]
    return np.degrees(np.arctan2(medial, np.hypot(v[:, 1], v[:, 2])))
