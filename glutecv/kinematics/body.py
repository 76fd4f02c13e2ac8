"""Forward kinematics of a simple 33-landmark body, vectorised over frames.

Body frame (the pelvis at rest): x = the person's LEFT, y = SUPERIOR (toward the head),
z = ANTERIOR (the way the person faces); right-handed, metres, origin at the mid-hip.
All angles are degrees and may be floats or arrays of one value per frame (broadcast together).

Sign conventions (each joint relative to its parent):

* pelvis: ``pelvis_tilt`` + = anterior tilt (superior axis tips forward); ``pelvis_obliquity``
  + = left hip higher (rotation about the anterior axis); ``pelvis_rotation`` + = left hip
  moves anterior (rotation about the superior axis);
* trunk on pelvis: ``lumbar_extension`` + = trunk leans back; ``trunk_lateral_bend`` + = toward
  the left; ``trunk_rotation`` + = left shoulder forward;
* hip (intrinsic order flexion, abduction, rotation): ``hip_flexion`` + = knee forward;
  ``hip_abduction`` + = knee away from the midline; ``hip_rotation`` + = INTERNAL (with the knee
  bent, the foot swings outward);
* knee: ``knee_flexion`` + = heel toward the buttock; ``knee_valgus`` + = the shank angles
  outward below the knee (knee medial to the hip-ankle line);
* ankle: ``ankle_dorsiflexion`` + = toes up (0 = foot square to the shank);
* arm: ``shoulder_flexion`` + = arm forward/up; ``shoulder_abduction`` + = arm out sideways;
  ``elbow_flexion`` + = forearm toward the upper arm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from glutecv.landmarks import NUM_LANDMARKS, Landmark

Angle = float | np.ndarray


@dataclass(frozen=True)
class BodyDims:
    """Segment lengths in metres (an average adult)."""

    hip_width: float = 0.26         # between the hip joint centres
    shoulder_width: float = 0.38
    trunk: float = 0.50             # mid-hip to mid-shoulder
    neck: float = 0.12              # mid-shoulder to the ears
    head: float = 0.10              # ears to the eyes/nose level offset forward
    thigh: float = 0.43
    shank: float = 0.42
    foot: float = 0.20              # ankle to toe tip (along the sole)
    heel: float = 0.06              # ankle to heel, backwards
    ankle_height: float = 0.07      # ankle above the sole
    upper_arm: float = 0.29
    forearm: float = 0.26
    hand: float = 0.08


DEFAULT_DIMS = BodyDims()


@dataclass(frozen=True)
class LegAngles:
    """One leg's joint angles, degrees (see the module doc for signs)."""

    hip_flexion: Angle = 0.0
    hip_abduction: Angle = 0.0
    hip_rotation: Angle = 0.0
    knee_flexion: Angle = 0.0
    knee_valgus: Angle = 0.0
    ankle_dorsiflexion: Angle = 0.0


@dataclass(frozen=True)
class ArmAngles:
    """One arm's joint angles, degrees."""

    shoulder_flexion: Angle = 0.0
    shoulder_abduction: Angle = 0.0
    elbow_flexion: Angle = 0.0


@dataclass(frozen=True)
class BodyPose:
    """Every joint angle of the body (degrees; floats or per-frame arrays)."""

    left_leg: LegAngles = field(default_factory=LegAngles)
    right_leg: LegAngles = field(default_factory=LegAngles)
    left_arm: ArmAngles = field(default_factory=ArmAngles)
    right_arm: ArmAngles = field(default_factory=ArmAngles)
    pelvis_tilt: Angle = 0.0
    pelvis_obliquity: Angle = 0.0
    pelvis_rotation: Angle = 0.0
    lumbar_extension: Angle = 0.0
    trunk_lateral_bend: Angle = 0.0
    trunk_rotation: Angle = 0.0
    neck_flexion: Angle = 0.0

    def leg(self, side: str) -> LegAngles:
        """``left_leg`` or ``right_leg``."""
        return self.left_leg if side == "left" else self.right_leg


# --- rotations (stacked over frames: (N, 3, 3)) -------------------------------------------------
def _rot(axis: int, deg: Angle, n: int) -> np.ndarray:
    a = np.radians(np.broadcast_to(np.asarray(deg, dtype=float), (n,)))
    c, s = np.cos(a), np.sin(a)
    r = np.zeros((n, 3, 3))
    i, j = [(1, 2), (2, 0), (0, 1)][axis]
    r[:, axis, axis] = 1.0
    r[:, i, i], r[:, i, j], r[:, j, i], r[:, j, j] = c, -s, s, c
    return r


def rot_x(deg: Angle, n: int) -> np.ndarray:
    """Rotation about x: +angle turns +y toward +z."""
    return _rot(0, deg, n)


def rot_y(deg: Angle, n: int) -> np.ndarray:
    """Rotation about y: +angle turns +z toward +x."""
    return _rot(1, deg, n)


def rot_z(deg: Angle, n: int) -> np.ndarray:
    """Rotation about z: +angle turns +x toward +y."""
    return _rot(2, deg, n)


def _apply(r: np.ndarray, v: np.ndarray | tuple[float, float, float]) -> np.ndarray:
    return np.einsum("nij,...j->n...i", r, np.asarray(v, dtype=float)) if np.ndim(v) == 1 \
        else np.einsum("nij,nj->ni", r, v)


def n_frames(pose: BodyPose) -> int:
    """The number of frames a pose describes (1 if every angle is a scalar)."""
    sizes = [np.size(v) for leg in (pose.left_leg, pose.right_leg)
             for v in vars(leg).values()]
    sizes += [np.size(v) for arm in (pose.left_arm, pose.right_arm) for v in vars(arm).values()]
    sizes += [np.size(v) for k, v in vars(pose).items()
              if not isinstance(v, (LegAngles, ArmAngles))]
    return max(sizes)


def _leg(out: np.ndarray, side: str, leg: LegAngles, pelvis: np.ndarray, origin: np.ndarray,
         d: BodyDims, n: int) -> None:
    s = 1.0 if side == "left" else -1.0  # left = +x
    hip = origin + _apply(pelvis, (s * d.hip_width / 2, 0.0, 0.0))
    thigh = pelvis @ rot_x(-np.asarray(leg.hip_flexion, dtype=float), n) \
        @ rot_z(s * np.asarray(leg.hip_abduction, dtype=float), n) \
        @ rot_y(-s * np.asarray(leg.hip_rotation, dtype=float), n)
    knee = hip + _apply(thigh, (0.0, -d.thigh, 0.0))
    shank = thigh @ rot_z(s * np.asarray(leg.knee_valgus, dtype=float), n) \
        @ rot_x(np.asarray(leg.knee_flexion, dtype=float), n)
    ankle = knee + _apply(shank, (0.0, -d.shank, 0.0))
    foot = shank @ rot_x(-np.asarray(leg.ankle_dorsiflexion, dtype=float), n)
    heel = ankle + _apply(foot, (0.0, -d.ankle_height, -d.heel))
    toe = ankle + _apply(foot, (0.0, -d.ankle_height, d.foot - d.heel / 2))
    up = side.upper()
    for name, p in (("HIP", hip), ("KNEE", knee), ("ANKLE", ankle), ("HEEL", heel),
                    ("FOOT_INDEX", toe)):
        out[:, Landmark[f"{up}_{name}"]] = p


def _arm(out: np.ndarray, side: str, arm: ArmAngles, trunk: np.ndarray, shoulder: np.ndarray,
         d: BodyDims, n: int) -> None:
    s = 1.0 if side == "left" else -1.0
    upper = trunk @ rot_x(-np.asarray(arm.shoulder_flexion, dtype=float), n) \
        @ rot_z(s * np.asarray(arm.shoulder_abduction, dtype=float), n)
    elbow = shoulder + _apply(upper, (0.0, -d.upper_arm, 0.0))
    fore = upper @ rot_x(-np.asarray(arm.elbow_flexion, dtype=float), n)
    wrist = elbow + _apply(fore, (0.0, -d.forearm, 0.0))
    up = side.upper()
    out[:, Landmark[f"{up}_ELBOW"]] = elbow
    out[:, Landmark[f"{up}_WRIST"]] = wrist
    for name, off in (("PINKY", (-s * 0.02, -d.hand, 0.0)), ("INDEX", (s * 0.0, -d.hand, 0.03)),
                      ("THUMB", (s * 0.02, -d.hand * 0.6, 0.03))):
        out[:, Landmark[f"{up}_{name}"]] = wrist + _apply(fore, off)


def body_points(pose: BodyPose, dims: BodyDims = BodyDims()) -> np.ndarray:
    """The 33 landmark positions, (N, 33, 3) metres, in the body frame (origin mid-hip)."""
    n = n_frames(pose)
    d = dims
    out = np.zeros((n, NUM_LANDMARKS, 3))
    origin = np.zeros((n, 3))
    pelvis = rot_x(pose.pelvis_tilt, n) @ rot_y(-np.asarray(pose.pelvis_rotation, float), n) \
        @ rot_z(pose.pelvis_obliquity, n)
    trunk = pelvis @ rot_x(-np.asarray(pose.lumbar_extension, dtype=float), n) \
        @ rot_z(-np.asarray(pose.trunk_lateral_bend, dtype=float), n) \
        @ rot_y(-np.asarray(pose.trunk_rotation, dtype=float), n)
    for side, leg in (("left", pose.left_leg), ("right", pose.right_leg)):
        _leg(out, side, leg, pelvis, origin, d, n)
    mid_sh = origin + _apply(trunk, (0.0, d.trunk, 0.0))
    for side, arm in (("left", pose.left_arm), ("right", pose.right_arm)):
        s = 1.0 if side == "left" else -1.0
        sh = mid_sh + _apply(trunk, (s * d.shoulder_width / 2, 0.0, 0.0))
        out[:, Landmark[f"{side.upper()}_SHOULDER"]] = sh
        _arm(out, side, arm, trunk, sh, d, n)
    head = trunk @ rot_x(np.asarray(pose.neck_flexion, dtype=float), n)
    ears = mid_sh + _apply(head, (0.0, d.neck, 0.0))
    face = {  # offsets from the mid-ear point in the head frame (x left, y up, z forward)
        Landmark.NOSE: (0.0, 0.0, d.head), Landmark.LEFT_EAR: (0.07, 0.0, 0.0),
        Landmark.RIGHT_EAR: (-0.07, 0.0, 0.0), Landmark.LEFT_EYE: (0.03, 0.03, 0.08),
        Landmark.RIGHT_EYE: (-0.03, 0.03, 0.08), Landmark.LEFT_EYE_INNER: (0.015, 0.03, 0.085),
        Landmark.RIGHT_EYE_INNER: (-0.015, 0.03, 0.085),
        Landmark.LEFT_EYE_OUTER: (0.045, 0.03, 0.075),
        Landmark.RIGHT_EYE_OUTER: (-0.045, 0.03, 0.075),
        Landmark.MOUTH_LEFT: (0.025, -0.04, 0.085), Landmark.MOUTH_RIGHT: (-0.025, -0.04, 0.085),
    }
    for lm, off in face.items():
        out[:, lm] = ears + _apply(head, off)
    return out
