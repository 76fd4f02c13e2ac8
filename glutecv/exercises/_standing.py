"""Signals and rep counting shared by the standing analyzers (squat, lunge family).

* Knee and hip flexion per leg from WORLD landmarks (3D, so a front view does not shrink them).
* The 2D knee frontal plane projection angle (FPPA, + = valgus) per leg from IMAGE landmarks,
  given only where the camera sees the frontal plane (:func:`glutecv.geometry.knee_fppa` returns
  NaN from the side) and the thigh is not so foreshortened that the 2D angle means nothing: deep
  in a squat seen from the front the thigh points at the camera and its projection is short.
* The lockout line: how far the hips sit in front of the shoulder-knee line (side view), + =
  hips pushed forward / trunk leaning back = the low back arching at lockout.
"""

from __future__ import annotations

import numpy as np

from glutecv.exercises._body_axes import unit
from glutecv.exercises.common import Points
from glutecv.geometry import flexion_angle, knee_fppa, segment_length, signed_line_deviation
from glutecv.landmarks import Landmark as L
from glutecv.results import ViewInfo

SIDES = ("left", "right")
STANDING_LANDMARKS = (
    L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE,
    L.LEFT_ANKLE, L.RIGHT_ANKLE, L.LEFT_HEEL, L.RIGHT_HEEL, L.LEFT_FOOT_INDEX,
    L.RIGHT_FOOT_INDEX,
)


def standing_signals(pts: Points, view: ViewInfo, min_thigh_shank_ratio: float,
                     max_hip_yaw_deg: float) -> dict[str, np.ndarray]:
    """Per-frame series for a standing exercise (keys carry units).

    Knee and hip flexion come from the image in a side view (the sagittal plane faces the
    camera, and 2D is then more faithful: BlazePose's world knee angles read 10-15 deg shallow
    in deep side-view squats we measured), from world landmarks in any other view.
    """
    out: dict[str, np.ndarray] = {}
    sagittal_2d = view.camera == "side"
    # how far the hip line turns away from the image plane (world x/z), per frame: FPPA is a
    # frontal-plane angle and means something only when the pelvis squarely faces the camera
    hip_line = pts.side("left", "HIP", True) - pts.side("right", "HIP", True)
    out["hip_yaw_deg"] = np.degrees(np.arctan2(np.abs(hip_line[..., 2]), np.abs(hip_line[..., 0])))
    frontal = out["hip_yaw_deg"] <= max_hip_yaw_deg
    for s in SIDES:
        o = "right" if s == "left" else "left"
        sh_s, hip_s, knee_s, ankle_s = (pts.side(s, j, not sagittal_2d)
                                        for j in ("SHOULDER", "HIP", "KNEE", "ANKLE"))
        out[f"knee_flexion_{s}_deg"] = flexion_angle(hip_s, knee_s, ankle_s)
        out[f"hip_flexion_{s}_deg"] = flexion_angle(sh_s, hip_s, knee_s)
        hip, knee, ankle = (pts.side(s, j) for j in ("HIP", "KNEE", "ANKLE"))
        fppa = knee_fppa(hip, knee, ankle, pts.side(o, "HIP"))
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = segment_length(hip, knee) / segment_length(knee, ankle)
        out[f"fppa_{s}_deg"] = np.where((ratio >= min_thigh_shank_ratio) & frontal, fppa, np.nan)
    kl, kr = out["knee_flexion_left_deg"], out["knee_flexion_right_deg"]
    # both legs bend together in a squat: either knee alone is a fair stand-in for a hidden one
    with np.errstate(invalid="ignore"):
        out["knee_flexion_mean_deg"] = np.where(np.isfinite(kl) & np.isfinite(kr), (kl + kr) / 2,
                                                np.fmax(kl, kr))
    # in a lunge the knees differ (a split squat's rear knee stays bent), so a hidden knee is a
    # gap, not a jump to the other knee's value
    out["knee_flexion_max_deg"] = np.maximum(kl, kr)
    # lockout line from the side: forward = where the toes point (heel -> toe, image x/y)
    feet = np.stack([pts[L.LEFT_FOOT_INDEX] - pts[L.LEFT_HEEL],
                     pts[L.RIGHT_FOOT_INDEX] - pts[L.RIGHT_HEEL]])
    n_ok = np.isfinite(feet).sum(axis=0)
    toe = np.where(n_ok > 0, np.nansum(feet, axis=0) / np.maximum(n_ok, 1), np.nan)
    fwd = unit(toe)
    sh = (pts[L.LEFT_SHOULDER] + pts[L.RIGHT_SHOULDER]) / 2
    hip = (pts[L.LEFT_HIP] + pts[L.RIGHT_HIP]) / 2
    knee = (pts[L.LEFT_KNEE] + pts[L.RIGHT_KNEE]) / 2
    out["hips_forward_deg"] = signed_line_deviation(sh, hip, knee, fwd)
    return out


def foot_stance(pts: Points) -> np.ndarray:
    """Where the feet stand relative to each other, (N, 2): left ankle minus right ankle in the
    image, x and y, in leg lengths (hip-knee + knee-ankle, image, median over the clip): from the
    front it is the stance width, from the side the stride of a split stance. Used to tell
    stepping into position from a rep (:func:`glutecv.exercises._shots.is_setup_step`)."""
    la, ra = pts[L.LEFT_ANKLE], pts[L.RIGHT_ANKLE]
    with np.errstate(invalid="ignore"):
        leg = np.fmax(segment_length(pts[L.LEFT_HIP], pts[L.LEFT_KNEE])
                      + segment_length(pts[L.LEFT_KNEE], la),
                      segment_length(pts[L.RIGHT_HIP], pts[L.RIGHT_KNEE])
                      + segment_length(pts[L.RIGHT_KNEE], ra))
        leg_m = float(np.nanmedian(leg)) if np.isfinite(leg).any() else np.nan
        d = (la - ra)[..., :2] / leg_m
    return d


def step_rise(pts: Points, knee_left: np.ndarray, knee_right: np.ndarray,
              straight_deg: float = 20.0, floor_tol: float = 0.12, min_ref_frames: int = 3,
              ) -> np.ndarray | None:
    """How far the hips rise above standing on the floor, in leg lengths (image), or None.

    The reference is the hip height in frames where both knees are straight (< ``straight_deg``)
    and both ankles are on the floor (within ``floor_tol`` leg lengths of the lowest ankle line).
    None when there are fewer than ``min_ref_frames`` such frames (e.g. a Bulgarian split squat,
    whose rear foot never leaves the bench) or a single frame (live). Needs a still camera.
    """
    n = len(pts.t_s)
    if n < 10:
        return None
    hip = (pts[L.LEFT_HIP] + pts[L.RIGHT_HIP]) / 2
    ank_l, ank_r = pts[L.LEFT_ANKLE][:, 1], pts[L.RIGHT_ANKLE][:, 1]
    with np.errstate(invalid="ignore"):
        leg = (segment_length(pts[L.LEFT_HIP], pts[L.LEFT_KNEE])
               + segment_length(pts[L.LEFT_KNEE], pts[L.LEFT_ANKLE]))
        lowest = np.fmax(ank_l, ank_r)
        if not np.isfinite(lowest).any() or not np.isfinite(leg).any():
            return None
        floor = float(np.nanpercentile(lowest, 95))
        leg_m = float(np.nanmedian(leg))
        on_floor = (np.abs(ank_l - floor) < floor_tol * leg_m) & (
            np.abs(ank_r - floor) < floor_tol * leg_m)
        ref = on_floor & (knee_left < straight_deg) & (knee_right < straight_deg)
        if ref.sum() < min_ref_frames:
            return None
        return (float(np.nanmedian(hip[ref, 1])) - hip[:, 1]) / leg
