"""True angles of one posed frame, from the rig (exact, not estimated).

Angle conventions (degrees):
- ``hip_flexion_deg``: 180 minus the 3D shoulder-hip-knee angle (0 = straight line).
- ``knee_flexion_deg``: 180 minus the 3D hip-knee-ankle angle.
- ``knee_fppa_deg``: knee frontal plane projection angle in the exercise's frontal
  projection plane (the plane normal to its "front" camera axis), + = valgus.
- ``knee_fppa_2d_deg``: the same angle measured in this clip's image (pixels).
- ``hip_abduction_deg``: thigh angle out of the pelvis's mid-plane, + = lateral.
- ``trunk_angle_deg``: elevation of the hip-midpoint -> shoulder-midpoint line above the floor.
- ``lumbar_extension_deg``: thorax pitch relative to the pelvis, + = extension (arching).
- ``pelvis_tilt_deg`` / ``pelvis_obliquity_deg`` / ``pelvis_rotation_deg``: pelvis
  orientation relative to the exercise's base posture, as intrinsic X-Z-Y Euler angles of
  the body frame: about the left-right axis (+ anterior tilt), then the front-back axis
  (+ left side towards the head), then the long axis (+ left side forwards). Pelvic drop
  (bridge), backward roll (clamshell) and hip hike (fire hydrant) all turn the pelvis about
  its long axis, so they show up in ``pelvis_rotation_deg``.
- ``trunk_shift_deg``: sideways lean of the wrist-midpoint -> shoulder-midpoint line from
  vertical, + towards world +Z (the person's right in every base posture).
"""

from __future__ import annotations

import numpy as np

from glutecv.synth.exercises.base import SynthExercise, fppa, knee_fppa

SIDES = ("left", "right")


def _angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> float:
    u, w = a - b, c - b
    cos = np.dot(u, w) / (np.linalg.norm(u) * np.linalg.norm(w))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def _hip_abduction(j: dict[str, np.ndarray], side: str) -> float:
    s, o = side.upper(), ("LEFT" if side == "right" else "RIGHT")
    lateral = j[f"{s}_HIP"] - j[f"{o}_HIP"]
    thigh = j[f"{s}_KNEE"] - j[f"{s}_HIP"]
    cos = np.dot(thigh, lateral) / (np.linalg.norm(thigh) * np.linalg.norm(lateral))
    return float(np.degrees(np.arcsin(np.clip(cos, -1.0, 1.0))))


def frame_angles(exercise: SynthExercise, j3: dict[str, np.ndarray],
                 j2: dict[str, np.ndarray], pelvis_rot: np.ndarray,
                 thorax_rot: np.ndarray, base_rot: np.ndarray) -> dict:
    """All true angles of one frame (see module docstring) from world joints ``j3``, image
    joints ``j2`` and the pelvis/thorax world rotations."""
    out: dict = {k: {} for k in ("hip_flexion_deg", "knee_flexion_deg", "knee_fppa_deg",
                                 "knee_fppa_2d_deg", "hip_abduction_deg")}
    for side in SIDES:
        s, o = side.upper(), ("LEFT" if side == "right" else "RIGHT")
        out["hip_flexion_deg"][side] = 180.0 - _angle(j3[f"{s}_SHOULDER"], j3[f"{s}_HIP"],
                                                      j3[f"{s}_KNEE"])
        out["knee_flexion_deg"][side] = 180.0 - _angle(j3[f"{s}_HIP"], j3[f"{s}_KNEE"],
                                                       j3[f"{s}_ANKLE"])
        out["knee_fppa_deg"][side] = knee_fppa(exercise, j3, side)
        flat = {k: np.array([v[0], v[1], 0.0]) for k, v in j2.items()}
        out["knee_fppa_2d_deg"][side] = fppa(flat[f"{s}_HIP"], flat[f"{s}_KNEE"],
                                             flat[f"{s}_ANKLE"], flat[f"{o}_HIP"],
                                             np.array([0.0, 0.0, 1.0]))
        out["hip_abduction_deg"][side] = _hip_abduction(j3, side)
    hips = 0.5 * (j3["LEFT_HIP"] + j3["RIGHT_HIP"])
    shoulders = 0.5 * (j3["LEFT_SHOULDER"] + j3["RIGHT_SHOULDER"])
    wrists = 0.5 * (j3["LEFT_WRIST"] + j3["RIGHT_WRIST"])
    trunk = shoulders - hips
    out["trunk_angle_deg"] = float(np.degrees(np.arctan2(trunk[1],
                                                         np.hypot(trunk[0], trunk[2]))))
    lean = shoulders - wrists
    out["trunk_shift_deg"] = float(np.degrees(np.arctan2(lean[2], abs(lean[1]))))
    from scipy.spatial.transform import Rotation

    rel = base_rot.T @ pelvis_rot
    tilt, obliquity, rot = Rotation.from_matrix(rel).as_euler("XZY", degrees=True)
    out["pelvis_tilt_deg"] = float(tilt)
    out["pelvis_obliquity_deg"] = float(obliquity)
    out["pelvis_rotation_deg"] = float(rot)
    pt = pelvis_rot.T @ thorax_rot
    out["lumbar_extension_deg"] = float(-np.degrees(np.arctan2(pt[2, 1], pt[1, 1])))
    return out
