"""Scripted clamshell, fire hydrant, squat and lunge clips on :mod:`glutecv.kinematics`.

Each function returns a :class:`~glutecv.pose.PoseSequence` (noise-free; damage it with the
kinematics corruption helpers) for reps laid out by :func:`glutecv.kinematics.schedule`.
Fault sizes are per rep (a list with one number per rep, 0 = clean), in degrees of the joint
motion that makes the fault:

* clamshell ``roll``: the pelvis (and trunk) rolls back about the body's long axis;
* fire hydrant ``hike``: the pelvis rolls up on the working side (shoulders and support thigh
  held still), ``shift``: the hips move sideways over the planted support knee (the support
  thigh leans by this angle toward the working side);
* squat / lunge ``valgus``: the knee caves in (knee valgus of the shank at the knee).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from glutecv import kinematics as km
from glutecv.landmarks import Landmark as L
from glutecv.pose.types import PoseSequence

FPS = 30.0


def _per_rep(values: float | Sequence[float], reps: list[km.RepSpec]) -> list[float]:
    return [float(values)] * len(reps) if np.isscalar(values) else [float(v) for v in values]


def _fault_curve(t: np.ndarray, reps: list[km.RepSpec], sizes: list[float]) -> np.ndarray:
    """Per-frame fault size: ``sizes[k] x`` rep k's own waveform (0 at rest, full at the top)."""
    out = np.zeros_like(t)
    for r, size in zip(reps, sizes, strict=True):
        if size:
            amp = r.amplitude or 1.0
            out = out + size * km.waveform(t, [r]) / amp
    return out


def rep_plan(n: int = 4, start_s: float = 1.0, up_s: float = 0.8, hold_s: float = 0.4,
             down_s: float = 0.8, rest_s: float = 1.0,
             amplitudes: float | Sequence[float] = 1.0) -> tuple[np.ndarray, list[km.RepSpec]]:
    """Frame times (s) covering ``n`` reps plus a second of rest at each end, and the reps."""
    reps = km.schedule(n, start_s, up_s, hold_s, down_s, rest_s, amplitudes)
    t = km.timeline(reps[-1].end_s + 1.0, FPS)
    return t, reps


def clamshell(n: int = 4, side: str = "left", view: str = "front", opening_deg: float = 40.0,
              roll: float | Sequence[float] = 0.0, **plan: float) -> PoseSequence:
    """Side-lying clamshell, ``side`` leg on top, opening to ``opening_deg`` x amplitude."""
    t, reps = rep_plan(n, **plan)
    w = km.waveform(t, reps)
    roll_c = _fault_curve(t, reps, _per_rep(roll, reps))
    top = km.LegAngles(hip_flexion=45.0, knee_flexion=90.0, hip_abduction=opening_deg * w)
    bottom = km.LegAngles(hip_flexion=45.0, knee_flexion=90.0)
    # rolling back = the top hip moves posterior (+pelvis_rotation moves the LEFT hip anterior)
    sign = -1.0 if side == "left" else 1.0
    legs = {"left_leg": top, "right_leg": bottom} if side == "left" else \
        {"left_leg": bottom, "right_leg": top}
    pose = km.BodyPose(**legs, pelvis_rotation=sign * roll_c)
    orientation = "side_lying" if side == "left" else "side_lying_left"
    return km.make_sequence(pose, t, orientation, view)


def fire_hydrant(n: int = 4, side: str = "left", view: str = "back", lift_deg: float = 45.0,
                 hike: float | Sequence[float] = 0.0, shift: float | Sequence[float] = 0.0,
                 **plan: float) -> PoseSequence:
    """Quadruped fire hydrant with the ``side`` leg abducting to ``lift_deg`` x amplitude."""
    t, reps = rep_plan(n, **plan)
    w = km.waveform(t, reps)
    hike_c = _fault_curve(t, reps, _per_rep(hike, reps))
    shift_c = _fault_curve(t, reps, _per_rep(shift, reps))
    s = 1.0 if side == "left" else -1.0
    # hike: roll the pelvis working-side-up (+pelvis_rotation = left hip toward the floor),
    # hold the trunk still and keep the support thigh vertical by the opposite abduction
    roll = -s * hike_c
    working = km.LegAngles(hip_flexion=90.0, knee_flexion=90.0,
                           hip_abduction=lift_deg * w - hike_c)
    support = km.LegAngles(hip_flexion=90.0, knee_flexion=90.0, hip_abduction=hike_c - shift_c)
    arms = km.ArmAngles(shoulder_flexion=90.0)
    legs = {"left_leg": working, "right_leg": support} if side == "left" else \
        {"left_leg": support, "right_leg": working}
    pose = km.BodyPose(**legs, left_arm=arms, right_arm=arms, pelvis_rotation=roll,
                       trunk_rotation=-roll)
    support_knee = L.RIGHT_KNEE if side == "left" else L.LEFT_KNEE
    return km.make_sequence(pose, t, "quadruped", view, anchor=(support_knee,))


def _standing_leg(hip: np.ndarray, knee: np.ndarray, pelvis_tilt: np.ndarray,
                  valgus: np.ndarray | float = 0.0) -> km.LegAngles:
    """A leg with the foot flat: the ankle takes up the shank's forward tilt."""
    shank_tilt = knee - (hip + pelvis_tilt)
    return km.LegAngles(hip_flexion=hip, knee_flexion=knee, ankle_dorsiflexion=shank_tilt,
                        knee_valgus=valgus)


def _after_rep(t: np.ndarray, reps: list[km.RepSpec], sizes: list[float]) -> np.ndarray:
    """A 0.9 s bump of ``sizes[k]`` starting as rep k has returned to standing."""
    out = np.zeros_like(t)
    for r, size in zip(reps, sizes, strict=True):
        if size:
            out = out + size * km.waveform(t, [km.RepSpec(r.end_s, 0.3, 0.3, 0.3)])
    return out


def squat(n: int = 4, view: str = "front", depth_deg: float = 100.0,
          valgus: float | Sequence[float] = 0.0, valgus_side: str = "both",
          arch: float | Sequence[float] = 0.0, **plan: float) -> PoseSequence:
    """Bodyweight squat to ``depth_deg`` knee flexion x amplitude; ``valgus`` per rep (deg);
    ``arch``: the trunk leans back this much on the low back just after each rep's lockout."""
    t, reps = rep_plan(n, **plan)
    w = km.waveform(t, reps)
    v = _fault_curve(t, reps, _per_rep(valgus, reps))
    arch_c = _after_rep(t, reps, _per_rep(arch, reps))
    knee = 5.0 + (depth_deg - 5.0) * w
    tilt = 0.35 * knee          # the pelvis and trunk tip forward as the hips sit back
    hip = 0.55 * knee
    legs = {f"{s}_leg": _standing_leg(hip, knee, tilt, v if valgus_side in (s, "both") else 0.0)
            for s in ("left", "right")}
    arms = km.ArmAngles(shoulder_flexion=80.0 * w)
    pose = km.BodyPose(**legs, left_arm=arms, right_arm=arms, pelvis_tilt=tilt,
                       lumbar_extension=arch_c)
    return km.make_sequence(pose, t, "standing", view)


def lunge(n: int = 4, front: str | Sequence[str] = "left", view: str = "front",
          depth_deg: float = 95.0, valgus: float | Sequence[float] = 0.0,
          **plan: float) -> PoseSequence:
    """Split squat / lunge: the ``front`` leg (one side, or one per rep for alternating
    lunges) bends to ``depth_deg`` x amplitude with the rear knee following."""
    t, reps = rep_plan(n, **plan)
    fronts = [front] * len(reps) if isinstance(front, str) else list(front)
    v = _fault_curve(t, reps, _per_rep(valgus, reps))
    angles = {s: {"hip": np.zeros_like(t), "knee": np.full_like(t, 5.0),
                  "valgus": np.zeros_like(t)} for s in ("left", "right")}
    for r, f in zip(reps, fronts, strict=True):
        w = km.waveform(t, [r])
        rear = "right" if f == "left" else "left"
        on = w > 0
        angles[f]["hip"] = np.where(on, 90.0 * w, angles[f]["hip"])
        angles[f]["knee"] = np.where(on, 5.0 + (depth_deg - 5.0) * w, angles[f]["knee"])
        angles[f]["valgus"] = np.where(on, v, angles[f]["valgus"])
        angles[rear]["hip"] = np.where(on, -15.0 * w, angles[rear]["hip"])
        angles[rear]["knee"] = np.where(on, 5.0 + 85.0 * w, angles[rear]["knee"])
    legs = {}
    for s in ("left", "right"):
        a = angles[s]
        legs[f"{s}_leg"] = km.LegAngles(hip_flexion=a["hip"], knee_flexion=a["knee"],
                                        knee_valgus=a["valgus"],
                                        ankle_dorsiflexion=np.maximum(a["knee"] - a["hip"], 0))
    pose = km.BodyPose(**legs)
    anchor = (L.LEFT_HEEL,) if fronts[0] == "left" else (L.RIGHT_HEEL,)
    return km.make_sequence(pose, t, "standing", view, anchor=anchor)


def true_peak_fppa(seq: PoseSequence, side: str, min_thigh_shank_ratio: float = 0.5
                   ) -> np.ndarray:
    """Per-frame FPPA (deg, + = valgus) of a CLEAN sequence where the thigh is not
    foreshortened (the analyzers' gate), NaN elsewhere: the truth the valgus tests compare to."""
    from glutecv.geometry import knee_fppa, segment_length

    s, o = side.upper(), "RIGHT" if side == "left" else "LEFT"
    p = seq.image[..., :2]
    hip, knee, ankle = p[:, L[f"{s}_HIP"]], p[:, L[f"{s}_KNEE"]], p[:, L[f"{s}_ANKLE"]]
    f = knee_fppa(hip, knee, ankle, p[:, L[f"{o}_HIP"]])
    ratio = segment_length(hip, knee) / segment_length(knee, ankle)
    return np.where(ratio >= min_thigh_shank_ratio, f, np.nan)
