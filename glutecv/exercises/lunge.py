"""Lunge family: forward, reverse, walking and curtsy lunges, split squats (incl. Bulgarian),
step-ups and step-downs.

* Landmarks: shoulders, hips, knees, ankles, heels and toes.
* Views: any view counts reps and measures depth (world landmarks, 3D); knee valgus of the front
  knee needs a front or back view; the lockout check needs a side or oblique view.
* Phase signal ``knee_flexion_deg``: the larger knee flexion of the two legs. In a lunge or
  split squat that is the front (or both) knee going down; on a step-up it is the leading
  knee on the box before the push up; on a step-down the standing knee lowering the body.
* Each rep's side is the working (front) leg: the one whose hip is more flexed at the bottom.
* Per-rep metrics: range of motion and peak knee flexion (deg), peak hip flexion of the front
  leg (deg), front knee angle at the bottom (deg), peak FPPA of the front knee (deg, + =
  valgus), hold at the bottom, down/up tempo (s; ``up_s`` = going down, as the signal rises).
* Faults: ``knee_valgus`` (the front knee caves in: FPPA above threshold), ``incomplete_rom``
  (the front knee bends less than a lunge needs), ``lumbar_extension`` (hips pushed in front of
  the shoulder-knee line at lockout).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from glutecv.exercises._shots import SetupStepConfig, ShotCountingMixin, measured
from glutecv.exercises._standing import STANDING_LANDMARKS, standing_signals, step_rise
from glutecv.exercises.common import PlotLine, Points, RepWindow, SignalAnalyzer, fault, plot_line
from glutecv.exercises.squat import lockout_fault, valgus_faults
from glutecv.filters import BatchFilterConfig
from glutecv.reps import RepCounterConfig, RepEvent
from glutecv.results import Fault, Rep, ViewInfo
from glutecv.view import METRIC_VIEWS

SIDES = ("left", "right")


@dataclass(frozen=True)
class LungeConfig:
    """Lunge-family thresholds (degrees unless named otherwise)."""

    # FPPA: healthy ~5-13 deg, patellofemoral pain ~17 deg, smallest detectable difference
    # ~8 deg (issue 4 brief): above 15 deg the front knee caves in beyond the healthy range.
    max_fppa_deg: float = 15.0
    # FPPA only where the thigh's image length is at least half the shank's (see squat).
    fppa_min_thigh_shank_ratio: float = 0.5
    # ...and only while the hip line is within 20 deg of the image plane (world landmarks): in an
    # oblique view ordinary knee bending leaks into the 2D angle and reads as fake valgus.
    fppa_max_hip_yaw_deg: float = 20.0
    # A lunge brings the front knee to about 90 deg; under 60 deg it is a partial lunge (a
    # step-up's knee starts around 60-90 deg depending on the box).
    min_front_knee_flexion_deg: float = 60.0
    # Lockout line: as for the squat (hips > 15 deg in front of the shoulder-knee line).
    max_hips_forward_deg: float = 15.0
    standing_knee_flexion_deg: float = 25.0
    # Step-ups: the hips rise above standing height by more than 30% of leg length (a box or
    # bench of >= ~25 cm); the phase is then that rise in % of leg length (the counter's 30 and
    # 20 read as % too: a step of at least 30% of the leg counts).
    step_rise: float = 0.3
    # Rep counter on the larger knee flexion: >= 30 deg of bending, >= 0.4 s; walking between
    # lunges or shifting the stance bends a knee < 20 deg.
    counter: RepCounterConfig = field(default_factory=lambda: RepCounterConfig(
        min_rom=30.0, enter_rise=20.0, return_fraction=0.35, min_duration_s=0.4,
        max_duration_s=20.0))
    min_visibility: float = 0.2  # a knee hidden behind the other leg is still placed sensibly
    # A first rep that walks the feet into the set's stance (a bar out of the rack, a step
    # into the split stance) and is much shallower than the set's reps is set-up, not a rep.
    setup_step: SetupStepConfig = field(default_factory=SetupStepConfig)
    # Landmark gaps up to 0.6 s are interpolated (the default 0.3 s): at the bottom of a lunge
    # the far knee can hide behind the front leg for about half a second, and a gap in the knee
    # signal longer than the counter bridges would drop the rep.
    filter: BatchFilterConfig = field(default_factory=lambda: BatchFilterConfig(
        max_gap_s=0.6, min_visibility=0.2))


class LungeAnalyzer(ShotCountingMixin, SignalAnalyzer):
    """Lunges, split squats, step-ups and step-downs (see the module docstring)."""

    name = "lunge"
    description = "lunge / split squat / step-up: the front knee bends over the foot"
    orientation = "standing"
    count_leading_rep = True  # a clip that opens at the bottom and stands up did a rep
    views = ("front", "back", "side", "oblique")
    unilateral = True
    landmarks = STANDING_LANDMARKS
    phase_metric = "knee_flexion_deg"
    metric_views = {"knee_valgus": METRIC_VIEWS["knee_valgus"],
                    "lumbar_extension": (("side", "oblique"),
                                         "the shoulder-hip-knee line at lockout needs a side "
                                         "(or oblique) view")}

    @classmethod
    def default_config(cls) -> LungeConfig:
        return LungeConfig()

    def signals(self, pts: Points, view: ViewInfo) -> dict[str, np.ndarray]:
        cfg: LungeConfig = self.config
        out = standing_signals(pts, view, cfg.fppa_min_thigh_shank_ratio,
                               cfg.fppa_max_hip_yaw_deg)
        if self.side in SIDES:  # the user named the working leg: count on that knee only
            out["knee_flexion_max_deg"] = out[f"knee_flexion_{self.side}_deg"]
        rise = step_rise(pts, out["knee_flexion_left_deg"], out["knee_flexion_right_deg"])
        step = rise is not None and float(np.nanpercentile(rise, 95)) > cfg.step_rise
        n = len(pts.t_s)
        out["step_mode"] = np.full(n, 1.0 if step else 0.0)
        out["hip_rise_pct"] = 100.0 * rise if rise is not None else np.full(n, np.nan)
        out["lunge_phase"] = out["hip_rise_pct"] if step else out["knee_flexion_max_deg"]
        return out

    def phase_keys(self, view: ViewInfo) -> dict[str, str]:
        return {"both": "lunge_phase"}

    def display_keys(self, view: ViewInfo) -> dict[str, str]:
        keys = {"knee_flexion_left_deg": "L knee", "knee_flexion_right_deg": "R knee"}
        if "knee_valgus" not in view.unsupported:
            keys.update({"fppa_left_deg": "L FPPA", "fppa_right_deg": "R FPPA"})
        return keys

    def threshold_lines(self, view: ViewInfo) -> list[PlotLine]:
        """The valgus limit on each knee's FPPA. No depth line: the front-knee depth limit
        does not apply to step-ups (judged on the hip rise), and a set may mix both."""
        c: LungeConfig = self.config
        return [plot_line("fppa_{side}_deg", "valgus", c.max_fppa_deg, fault="knee_valgus")]

    def front_side(self, event: RepEvent, series: dict[str, np.ndarray]) -> str:
        """The working leg: the user's choice, else the more flexed hip at the bottom (on a
        step-up: while stepping up, the leg on the box)."""
        if self.side in SIDES:
            return self.side
        k = event.peak
        lo, hi = max(event.top_start, 0), event.top_end + 1
        if _is_step(event, series):
            lo, hi = event.start, event.top_start + 1
        flex = {}
        for s in SIDES:
            v = series[f"hip_flexion_{s}_deg"][lo:hi]
            v = v[np.isfinite(v)]
            flex[s] = float(np.median(v)) if v.size else float(series[f"hip_flexion_{s}_deg"][k])
        finite = {s: v for s, v in flex.items() if math.isfinite(v)}
        if not finite:
            return "both"
        return max(finite, key=lambda s: finite[s])

    def make_rep(self, event: RepEvent, series: dict[str, np.ndarray], view: ViewInfo) -> Rep:
        """As the base class, with the rep's side set to the working (front) leg."""
        side = self.front_side(event, series)
        rep = super().make_rep(replace(event, side=side), series, view)
        if not _is_step(event, series):
            return rep
        # on a step-up the phase is the hip rise in % of leg length, not a knee angle
        m = dict(rep.metrics)
        m["step_height_pct_leg"] = m.pop("range_of_motion_deg")
        m.pop("peak_knee_flexion_deg", None)
        return Rep(rep.index, rep.side, rep.start_s, rep.peak_s, rep.end_s, m, rep.faults)

    def judge_rep(self, rep: RepWindow) -> tuple[dict[str, float], list[Fault]]:
        cfg: LungeConfig = self.config
        s = rep.side if rep.side in SIDES else None
        step = _is_step(rep.event, rep.series)
        front_knee = rep.max(f"knee_flexion_{s}_deg") if s else math.nan
        metrics = {
            "peak_hip_flexion_deg": rep.max(f"hip_flexion_{s}_deg") if s else math.nan,
            "front_knee_flexion_deg": front_knee,
            "knee_angle_deg": 180.0 - front_knee,
        }
        faults: list[Fault] = []
        if s:
            v = rep.percentile(f"fppa_{s}_deg", 90, "rep")
            metrics["peak_fppa_deg"] = measured(v, "knee_valgus", rep.view)
            faults.extend(valgus_faults({s: v}, cfg.max_fppa_deg))
        if not step and math.isfinite(front_knee) and front_knee < cfg.min_front_knee_flexion_deg:
            faults.append(fault("incomplete_rom", front_knee, cfg.min_front_knee_flexion_deg,
                                "deg", f"the front knee bent only {front_knee:.0f} deg; go "
                                "lower (about 90)"))
        lock, lumbar = lockout_fault(rep, cfg.standing_knee_flexion_deg, cfg.max_hips_forward_deg)
        metrics["lockout_hips_forward_deg"] = lock
        faults.extend(lumbar)
        return metrics, faults


def _is_step(event: RepEvent, series: dict[str, np.ndarray]) -> bool:
    return bool(series["step_mode"][event.peak] > 0.5)


ANALYZER = LungeAnalyzer
