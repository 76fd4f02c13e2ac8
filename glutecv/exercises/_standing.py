"""Signals and rep counting shared by the standing analyzers (squat, lunge family).

* Knee and hip flexion per leg from WORLD landmarks (3D, so a front view does not shrink them).
* The 2D knee frontal plane projection angle (FPPA, + = valgus) per leg from IMAGE landmarks,
  given only where the camera sees the frontal plane (:func:`glutecv.geometry.knee_fppa` returns
  NaN from the side) and the thigh is not so foreshortened that the 2D angle means nothing: deep
  in a squat seen from the front the thigh points at the camera and its projection is short.
* The lockout line: how far the hips sit in front of the shoulder-knee line (side view), + =
  hips pushed forward / trunk leaning back = the low back arching at lockout.

:class:`LeadingRepMixin` counts a rep whose descent happened before the clip began: a clip that
opens at the bottom of a squat and stands up has done the working (concentric) half of a rep,
and people count it; a clip that ends at the bottom has not, and is not counted.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from glutecv.exercises._body_axes import unit
from glutecv.exercises.common import Points
from glutecv.filters import frame_rate, smooth_sequence
from glutecv.geometry import flexion_angle, knee_fppa, segment_length, signed_line_deviation
from glutecv.landmarks import Landmark as L
from glutecv.pose.types import PoseSequence
from glutecv.reps import PHASE_UNKNOWN, RepEvent, count_reps
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
    toe = np.nanmean(np.stack([pts[L.LEFT_FOOT_INDEX] - pts[L.LEFT_HEEL],
                               pts[L.RIGHT_FOOT_INDEX] - pts[L.RIGHT_HEEL]]), axis=0) \
        if len(pts.t_s) else np.zeros((0, 2))
    fwd = unit(toe)
    sh = (pts[L.LEFT_SHOULDER] + pts[L.RIGHT_SHOULDER]) / 2
    hip = (pts[L.LEFT_HIP] + pts[L.RIGHT_HIP]) / 2
    knee = (pts[L.LEFT_KNEE] + pts[L.RIGHT_KNEE]) / 2
    out["hips_forward_deg"] = signed_line_deviation(sh, hip, knee, fwd)
    return out


def _rest_estimate(x: np.ndarray, q: float) -> float:
    v = x[np.isfinite(x)]
    return float(np.percentile(v, q)) if v.size else math.nan


class LeadingRepMixin:
    """``analyze`` of :class:`~glutecv.exercises.common.SignalAnalyzer`, plus a leading rep.

    When the phase signal opens at least ``counter.min_rom`` above the clip's rest level (its
    ``rest_percentile``), one virtual rest sample is put before the first frame, so the counter
    sees the descent that happened before recording and counts the rep once the person stands.
    """

    def analyze(self, seq: PoseSequence):  # -> ExerciseAnalysis
        from glutecv.exercises.common import Points as _Points  # same class, kept local

        view = self.detect_view(seq)  # type: ignore[attr-defined]
        smoothed = smooth_sequence(seq, self.filter_config())  # type: ignore[attr-defined]
        pts = _Points.from_pose(smoothed, self.landmarks,  # type: ignore[attr-defined]
                                self.min_visibility)  # type: ignore[attr-defined]
        n = len(seq)
        series = {k: np.asarray(v, dtype=float).reshape(n)
                  for k, v in self.signals(pts, view).items()}  # type: ignore[attr-defined]
        t = np.asarray(seq.t_s, dtype=float)
        cfg = self.counter_config()  # type: ignore[attr-defined]
        phase = np.full(n, float(PHASE_UNKNOWN))
        reps = []
        dt = 1.0 / frame_rate(t) if n > 1 and math.isfinite(frame_rate(t)) else 1 / 30
        for side, key in self.phase_keys(view).items():  # type: ignore[attr-defined]
            x = series[key]
            rest = _rest_estimate(x, cfg.rest_percentile)
            first = np.flatnonzero(np.isfinite(x))
            lead = (first.size > 0 and math.isfinite(rest)
                    and x[first[0]] - rest >= cfg.min_rom and first[0] * dt <= cfg.max_gap_s)
            if lead:
                tt = np.concatenate([[t[first[0]] - dt], t])
                xx = np.concatenate([[rest], x])
                events, ph = count_reps(tt, xx, cfg, side)
                events = [_shift(e, t) for e in events]
                ph = ph[1:]
            else:
                events, ph = count_reps(t, x, cfg, side)
            active = np.isfinite(x)
            phase = np.where(active & ((ph > 0) | (phase < 0)), ph, phase)
            reps.extend(self.make_rep(ev, series, view)  # type: ignore[attr-defined]
                        for ev in events)
        series = {"t_s": t, **series, "phase": phase}
        return self.finish_analysis(view, series, reps, seq.detected)  # type: ignore


def _shift(e: RepEvent, t: np.ndarray) -> RepEvent:
    """The event with indices moved back by the one virtual sample (clamped to frame 0)."""
    def back(i: int) -> int:
        return max(i - 1, 0)

    return replace(e, start=back(e.start), peak=back(e.peak), end=back(e.end),
                   top_start=back(e.top_start), top_end=back(e.top_end),
                   start_s=float(t[back(e.start)]), top_start_s=float(t[back(e.top_start)]))
