"""Squat (bodyweight, goblet, barbell, box, overhead): both legs bend together.

* Landmarks: shoulders, hips, knees, ankles, heels and toes.
* Views: any view counts reps and measures depth (knee and hip flexion come from world
  landmarks, 3D). Knee valgus needs a front or back view (it is a frontal-plane angle); the
  lockout check needs a side or oblique view.
* Phase signal ``knee_flexion_deg``: the larger of the two knees' flexion (0 = straight), so a
  knee hidden behind the other leg does not stop the count.
* Per-rep metrics: range of motion and peak knee flexion (deg), peak hip flexion (deg), smallest
  knee angle (deg), peak FPPA per knee (deg, + = valgus), time held at the bottom, down/up tempo
  (s; ``up_s`` is the descent into the squat, ``down_s`` the rise back to standing, because the
  phase signal rises as the person goes down).
* Faults: ``knee_valgus`` (a knee caves in: 2D FPPA above threshold), ``incomplete_rom`` (the
  squat stops above a half squat), ``lumbar_extension`` (at lockout the hips are pushed in front
  of the shoulder-knee line: leaning back on the low back instead of finishing with the hips).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from glutecv.exercises._shots import SetupStepConfig, ShotCountingMixin, measured
from glutecv.exercises._standing import STANDING_LANDMARKS, standing_signals
from glutecv.exercises.common import PlotLine, Points, RepWindow, SignalAnalyzer, fault, plot_line
from glutecv.reps import RepCounterConfig
from glutecv.results import Fault, ViewInfo
from glutecv.view import METRIC_VIEWS

SIDES = ("left", "right")


@dataclass(frozen=True)
class SquatConfig:
    """Squat thresholds (degrees unless named otherwise)."""

    # 2D FPPA is about 5-13 deg in healthy women in squat/landing tasks and about 17 deg with
    # patellofemoral pain; its smallest detectable difference is about 8 deg (issue 4 brief).
    # 15 deg sits above the healthy range and 2 deg short of the painful group's mean.
    max_fppa_deg: float = 15.0
    # FPPA only where the thigh's image length is at least half the shank's: deeper in a
    # front-view squat the thigh points at the camera and the 2D angle is meaningless.
    fppa_min_thigh_shank_ratio: float = 0.5
    # ...and only while the hip line is within 20 deg of the image plane (world landmarks): in an
    # oblique view ordinary knee bending leaks into the 2D angle and reads as fake valgus.
    fppa_max_hip_yaw_deg: float = 20.0
    # A half squat bends the knees about 70-90 deg; less than 70 deg of knee flexion at the
    # bottom is short of any squat depth coaches accept.
    min_depth_knee_flexion_deg: float = 70.0
    # At lockout the shoulder-hip-knee line is straight; hips more than 15 deg in front of it
    # means the person leans back on the low back (twice the ~7 deg line noise we see standing).
    max_hips_forward_deg: float = 15.0
    # Standing = knees bent less than this; the lockout check looks at these frames only.
    standing_knee_flexion_deg: float = 25.0
    # Rep counter on knee flexion: at least 30 deg of bending (shifting weight, fixing the grip
    # bend the knees < 15 deg); at least 0.3 s (fast trimmed reps take ~1 s).
    counter: RepCounterConfig = field(default_factory=lambda: RepCounterConfig(
        min_rom=30.0, enter_rise=20.0, return_fraction=0.35, min_duration_s=0.3,
        max_duration_s=20.0))
    # knees seen from behind or past the other leg score low visibility but are placed well
    min_visibility: float = 0.2
    # A first rep that walks the feet into the set's stance (a bar out of the rack, a step
    # into the split stance) and is much shallower than the set's reps is set-up, not a rep.
    setup_step: SetupStepConfig = field(default_factory=SetupStepConfig)


class SquatAnalyzer(ShotCountingMixin, SignalAnalyzer):
    """Squat (see the module docstring)."""

    name = "squat"
    description = "squat: hips and knees bend together, knees over the feet"
    orientation = "standing"
    count_leading_rep = True  # a clip that opens at the bottom and stands up did a rep
    views = ("front", "back", "side", "oblique")
    unilateral = False
    landmarks = STANDING_LANDMARKS
    phase_metric = "knee_flexion_deg"
    metric_views = {"knee_valgus": METRIC_VIEWS["knee_valgus"],
                    # depth from the front or back comes from BlazePose's 3D knee angle, which
                    # read 35-60 deg shallow at the bottom of rendered front-view squats with
                    # known angles (the thighs point at the camera)
                    "incomplete_rom": (("side", "oblique"),
                                       "squat depth needs a side or oblique view: from the "
                                       "front or back the knee angle is foreshortened"),
                    "lumbar_extension": (("side", "oblique"),
                                         "the shoulder-hip-knee line at lockout needs a side "
                                         "(or oblique) view")}

    @classmethod
    def default_config(cls) -> SquatConfig:
        return SquatConfig()

    def signals(self, pts: Points, view: ViewInfo) -> dict[str, np.ndarray]:
        return standing_signals(pts, view, self.config.fppa_min_thigh_shank_ratio,
                               self.config.fppa_max_hip_yaw_deg)

    def phase_keys(self, view: ViewInfo) -> dict[str, str]:
        return {"both": "knee_flexion_mean_deg"}

    def display_keys(self, view: ViewInfo) -> dict[str, str]:
        keys = {"knee_flexion_left_deg": "L knee", "knee_flexion_right_deg": "R knee"}
        if "knee_valgus" not in view.unsupported:
            keys.update({"fppa_left_deg": "L FPPA", "fppa_right_deg": "R FPPA"})
        return keys

    def threshold_lines(self, view: ViewInfo) -> list[PlotLine]:
        """Half-squat depth on each knee's flexion (the rep is judged on the two knees' mean)
        and the valgus limit on each knee's FPPA; both are limits on the value itself."""
        c: SquatConfig = self.config
        return [plot_line("knee_flexion_{side}_deg", "half-squat depth",
                          c.min_depth_knee_flexion_deg, fault="incomplete_rom"),
                plot_line("fppa_{side}_deg", "valgus", c.max_fppa_deg, fault="knee_valgus")]

    def judge_rep(self, rep: RepWindow) -> tuple[dict[str, float], list[Fault]]:
        cfg: SquatConfig = self.config
        metrics = {
            "peak_hip_flexion_deg": max(rep.max("hip_flexion_left_deg"),
                                        rep.max("hip_flexion_right_deg")),
            "knee_angle_deg": 180.0 - rep.event.peak_value,
            "lockout_hip_flexion_deg": min(rep.min("hip_flexion_left_deg"),
                                           rep.min("hip_flexion_right_deg")),
        }
        faults: list[Fault] = []
        valgus = {s: rep.percentile(f"fppa_{s}_deg", 90, "rep") for s in SIDES}
        for s in SIDES:
            metrics[f"peak_fppa_{s}_deg"] = measured(valgus[s], "knee_valgus", rep.view)
        faults.extend(valgus_faults(valgus, cfg.max_fppa_deg))
        depth = rep.event.peak_value
        if depth < cfg.min_depth_knee_flexion_deg:
            faults.append(fault("incomplete_rom", depth, cfg.min_depth_knee_flexion_deg, "deg",
                                f"the knees bent only {depth:.0f} deg; squat deeper "
                                f"(at least {cfg.min_depth_knee_flexion_deg:.0f})"))
        lock, lumbar = lockout_fault(rep, cfg.standing_knee_flexion_deg, cfg.max_hips_forward_deg)
        metrics["lockout_hips_forward_deg"] = lock
        faults.extend(lumbar)
        return metrics, faults


def valgus_faults(peak_fppa: dict[str, float], threshold: float) -> list[Fault]:
    """One ``knee_valgus`` fault for the worse knee whose peak FPPA exceeds ``threshold``."""
    finite = {s: v for s, v in peak_fppa.items() if np.isfinite(v)}
    if not finite:
        return []
    s = max(finite, key=lambda k: finite[k])
    v = finite[s]
    if v <= threshold:
        return []
    return [fault("knee_valgus", v, threshold, "deg",
                  f"the {s} knee caved in (FPPA {v:.0f} deg); push the knee out over the toes")]


def lockout_value(rep: RepWindow, standing_deg: float, after_s: float = 1.0) -> float:
    """Largest ``hips_forward_deg`` while standing around the rep, degrees (NaN if never).

    The rep's own frames end part-way up (the counter closes a rep on the way back to rest),
    so the lockout that finishes it is looked for in the ``after_s`` seconds after its end too,
    as well as in the standing frames before its descent.
    """
    e = rep.event
    frame_s = (e.end_s - e.start_s) / max(e.end - e.start, 1)
    extra = int(round(after_s / frame_s)) if frame_s > 0 else 0
    knee = np.asarray(rep.series["knee_flexion_mean_deg"], dtype=float)
    hips = np.asarray(rep.series["hips_forward_deg"], dtype=float)
    lo, hi = max(e.start - extra // 2, 0), min(e.end + extra + 1, len(knee))
    k, h = knee[lo:hi], hips[lo:hi]
    ok = np.isfinite(k) & np.isfinite(h) & (k < standing_deg)
    return float(np.percentile(h[ok], 90)) if ok.any() else float("nan")


def lockout_fault(rep: RepWindow, standing_deg: float, max_hips_forward_deg: float,
                  ) -> tuple[float, list[Fault]]:
    """The rep's lockout ``hips_forward_deg`` (NaN where the view cannot measure it) and a
    ``lumbar_extension`` fault when it exceeds ``max_hips_forward_deg``: squats and lunges
    judge the finish of a rep the same way."""
    lock = lockout_value(rep, standing_deg)
    faults: list[Fault] = []
    if lock > max_hips_forward_deg:
        faults.append(fault("lumbar_extension", lock, max_hips_forward_deg, "deg",
                            f"at the top the hips were {lock:.0f} deg in front of the "
                            "shoulder-knee line: finish with the glutes, not the low back"))
    return measured(lock, "lumbar_extension", rep.view), faults


ANALYZER = SquatAnalyzer
