"""Glute bridge (supine, both feet down), and the shared bridge/thrust analyzer.

Phase signal: hip extension seen as the shoulder-hip-knee line (0 = one straight line,
negative = hips below it) from the side or oblique image, or from world landmarks in other
views. Reps: the line rises from the floor position to lockout and back. Seen along the body
(camera at the feet or the head) the two-leg bridge and the thrust count on ``hip_lift_pct``
instead (the hips' height above the planted foot in the image, % of the shoulder width): the
pose model's 3D line is unusable there, and lockout and arching are not judged anyway.

Per-rep metrics: range of motion, peak hip extension, hold at the top, up/down tempo
(standard), the knee flexion at the top, the line deviation at the top, and in frontal views
the knees' medial tilt and knee/ankle separation.

Faults (see :class:`BridgeConfig` for thresholds and their rationale):

* ``incomplete_rom``: at the top the shoulders, hips and knees stayed short of one line
  (side/oblique view: not judged when the camera is nearer the front than the side);
* ``lumbar_extension``: the hips went clearly ABOVE the shoulder-knee line at the top. True
  hip extension with the knees bent stops near the line, so the extra height comes from
  arching the low back (anterior pelvic tilt) rather than the glutes (side/oblique view);
* ``knee_valgus``: a knee moved inside its foot (shank tilted toward the midline) at the top
  (front/back view: from the feet or from above).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import ClassVar

import numpy as np

from glutecv import geometry as g
from glutecv.exercises.common import PlotLine, Points, RepWindow, SignalAnalyzer, fault, plot_line
from glutecv.landmarks import Landmark as L
from glutecv.landmarks import side_landmark
from glutecv.pose.types import PoseSequence
from glutecv.reps import RepCounterConfig
from glutecv.results import Fault, ViewInfo
from glutecv.view import METRIC_VIEWS, frontal_fraction

SIDES = ("left", "right")


@dataclass(frozen=True)
class BridgeConfig:
    """Thresholds of bridge-family analyzers (units in the names and comments)."""

    # BlazePose visibility below this = landmark not seen (its own calibration: ~0.5 = coin flip)
    min_visibility: float = 0.5
    counter: RepCounterConfig = field(default_factory=lambda: RepCounterConfig(
        min_rom=15.0,          # deg: a bridge moves the line ~40-90 deg; fidgets move < 10
        enter_rise=12.0,       # deg above rest starts a rep: 2-3x landmark jitter (~4-5 deg)
        return_fraction=0.4,   # rep ends when 60% of the way back down
        min_duration_s=0.6,    # a real bridge takes > 0.6 s up and down
        rest_window_s=6.0,     # s of rest used for the rest level (drift on mats)
        max_gap_s=0.6,         # s of lost landmarks bridged inside a rep
        max_duration_s=20.0,   # s: longer is a hold or a lost rep, not a rep
        settle_s=0.2,          # s ignored after a long gap: edited clips cut between scenes
    ))
    # deg: the shoulder-hip-knee line outside this range is not a bridge (knees past the
    # chest, or a body folded the wrong way at a scene cut): treated as not measured
    plausible_line_deg: tuple[float, float] = (-135.0, 60.0)
    # deg, line deviation at the top below this = incomplete_rom. Lockout = shoulders, hips and
    # knees in one line (coaching standard); 20 deg slack for 2D landmark error: real clips
    # labelled "full lockout" measure down to -12.
    lockout_min_deg: float = -20.0
    # deg, line deviation at the top above this = lumbar_extension. With the knees bent, true
    # hip extension ends near the line (~0-10 deg past; good lockouts in our real clips reach
    # at most +7); a labelled "lumbar-driven" bridge reached +13; 12 sits between the two.
    lumbar_overshoot_deg: float = 12.0
    # deg, shank tilt toward the midline at the top above this = knee_valgus. Healthy 2D knee
    # angles are ~5-13 deg, patellofemoral pain ~17, smallest detectable difference ~8:
    # 10 deg of inward tilt puts the knee ~7 cm inside the foot.
    valgus_tilt_deg: float = 10.0
    # percentile of the top hold used for top metrics (robust to one bad frame): the median
    top_percentile: float = 50.0
    # apparent/true hip width above which the line is too foreshortened to judge lockout or
    # arching: 0.6 = the camera is > ~37 deg off the side, sagittal angles off by > 20%
    max_sagittal_frontal_fraction: float = 0.6
    # Counter for front/back views (camera at the feet or the head), on ``hip_lift_pct``: the
    # hips' height above the planted foot in the image, in % of the image shoulder width.
    # Seen along the body the pose model's 3D line is not usable (a rendered thrust from the
    # feet read as a standing body, the line jumping -60..+65 deg). A full rep lifts the hips
    # by 30% (rendered thrust, camera 45 deg above the feet) to 85% (kinematic clips, low
    # camera) of the shoulder width, landmark jitter is 2-5%, fidgets < 10: a rep rises at
    # least 15 (half of the smallest full rep) and starts 10 above rest.
    frontal_counter: RepCounterConfig = field(default_factory=lambda: RepCounterConfig(
        min_rom=15.0, enter_rise=10.0, return_fraction=0.4, min_duration_s=0.6,
        rest_window_s=6.0, max_gap_s=0.6, max_duration_s=20.0, settle_s=0.2))


class BridgeAnalyzer(SignalAnalyzer):
    """Shared logic of glute bridges, single-leg bridges and hip thrusts."""

    name: ClassVar[str] = "glute_bridge"
    description: ClassVar[str] = "glute bridge: lying on the back, feet down, lift the hips"
    orientation: ClassVar[str] = "supine"
    views: ClassVar[tuple[str, ...]] = ("side", "oblique", "front")
    unilateral: ClassVar[bool] = False
    phase_metric: ClassVar[str] = "hip_extension_deg"
    landmarks: ClassVar[tuple[L, ...]] = (
        L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE,
        L.LEFT_ANKLE, L.RIGHT_ANKLE)
    metric_views: ClassVar[dict[str, tuple[tuple[str, ...], str]]] = {
        k: METRIC_VIEWS[k] for k in ("knee_valgus", "lumbar_extension")}

    @classmethod
    def default_config(cls) -> BridgeConfig:
        return BridgeConfig()

    def detect_view(self, seq: PoseSequence) -> ViewInfo:
        """The clip's view; lockout and arching are not judged when the camera is too far
        from the side (the shoulder-hip-knee line is foreshortened)."""
        v = super().detect_view(seq)
        with _quiet():
            ff = float(np.nanmedian(frontal_fraction(seq))) if len(seq) else float("nan")
        limit = self.config.max_sagittal_frontal_fraction
        if ff <= limit:
            return v
        why = (f"the camera sees the body from the front or feet (hip width {ff:.2f} of its "
               f"true size, above {limit}), so the shoulder-hip-knee line is foreshortened"
               if np.isfinite(ff) else "the camera view could not be measured")
        extra = {m: why for m in ("lumbar_extension", "incomplete_rom")
                 if m not in v.unsupported}
        return replace(v, unsupported={**v.unsupported, **extra})

    # --- signals -----------------------------------------------------------------------------
    @staticmethod
    def uses_image(view: ViewInfo) -> bool:
        """Side and oblique views measure the line in the image; others use world points."""
        return view.camera in ("side", "oblique")

    def along_body(self, view: ViewInfo) -> bool:
        """A camera at the feet or the head: two-leg bridges and thrusts count reps on
        ``hip_lift_pct``. (The single-leg bridge keeps the 3D line: it tells the working leg
        from the two hip lines over the rep, which was tuned on those rep windows.)"""
        return not self.unilateral and view.camera in ("front", "back")

    def counter_config_for(self, view: ViewInfo) -> RepCounterConfig:
        return self.config.frontal_counter if self.along_body(view) else self.counter_config()

    def phase_metric_for(self, view: ViewInfo) -> str:
        return "hip_lift_pct" if self.along_body(view) else self.phase_metric

    def side_signals(self, pts: Points, view: ViewInfo) -> dict[str, np.ndarray]:
        """Per-side hip extension and knee flexion, and frontal knee metrics."""
        image = self.uses_image(view)
        src = pts.image if image else pts.world
        up = g.IMAGE_UP if image else g.WORLD_UP
        out: dict[str, np.ndarray] = {}
        for s in SIDES:
            sh, hip, knee, ankle = (src[side_landmark(s, j)]
                                    for j in ("SHOULDER", "HIP", "KNEE", "ANKLE"))
            line = g.shoulder_hip_knee_line(sh, hip, knee, up)
            lo, hi = self.config.plausible_line_deg
            with np.errstate(invalid="ignore"):
                out[f"hip_extension_{s}_deg"] = np.where((line >= lo) & (line <= hi), line,
                                                         np.nan)
            out[f"knee_flexion_{s}_deg"] = g.flexion_angle(hip, knee, ankle)
            other_hip = pts.image[side_landmark("right" if s == "left" else "left", "HIP")]
            out[f"knee_medial_tilt_{s}_deg"] = g.segment_medial_tilt(
                pts.image[side_landmark(s, "ANKLE")], pts.image[side_landmark(s, "KNEE")],
                other_hip)
        out["knee_separation_ratio"] = g.knee_ankle_separation_ratio(
            pts.image[L.LEFT_KNEE], pts.image[L.RIGHT_KNEE], pts.image[L.LEFT_ANKLE],
            pts.image[L.RIGHT_ANKLE])
        out["hip_lift_pct"] = (hip_lift_pct(pts) if self.along_body(view)
                               else np.full_like(out["knee_separation_ratio"], np.nan))
        if "knee_valgus" in view.unsupported:   # not measurable here: null, not a number
            for key in ("knee_medial_tilt_left_deg", "knee_medial_tilt_right_deg",
                        "knee_separation_ratio"):
                out[key] = np.full_like(out[key], np.nan)
        return out

    def signals(self, pts: Points, view: ViewInfo) -> dict[str, np.ndarray]:
        out = self.side_signals(pts, view)
        with np.errstate(invalid="ignore"), _quiet():
            out["hip_extension_deg"] = np.nanmean(
                np.stack([out["hip_extension_left_deg"], out["hip_extension_right_deg"]]),
                axis=0)
            out["knee_flexion_deg"] = np.nanmean(
                np.stack([out["knee_flexion_left_deg"], out["knee_flexion_right_deg"]]), axis=0)
        return out

    def phase_keys(self, view: ViewInfo) -> dict[str, str]:
        return {"both": "hip_lift_pct" if self.along_body(view) else "hip_extension_deg"}

    def display_keys(self, view: ViewInfo) -> dict[str, str]:
        keys = ({"hip_lift_pct": "hip lift %", "knee_flexion_deg": "knee"} if self.along_body(view)
                else {"hip_extension_deg": "hip line", "knee_flexion_deg": "knee"})
        if "knee_valgus" not in view.unsupported:   # front/back view: the knees' inward tilt
            keys.update({"knee_medial_tilt_left_deg": "L tilt",
                         "knee_medial_tilt_right_deg": "R tilt"})
        return keys

    def threshold_lines(self, view: ViewInfo) -> list[PlotLine]:
        """Lockout and arching limits on the hip line, the valgus limit on the knee tilt:
        all judged on the value at the top, so drawn on the series' own scale."""
        c = self.config
        return [plot_line("hip_extension_deg", "lockout", c.lockout_min_deg,
                          fault="incomplete_rom"),
                plot_line("hip_extension_deg", "arching", c.lumbar_overshoot_deg,
                          fault="lumbar_extension"),
                plot_line("knee_medial_tilt_{side}_deg", "valgus", c.valgus_tilt_deg,
                          fault="knee_valgus")]

    # --- judging -----------------------------------------------------------------------------
    def top(self, rep: RepWindow, key: str) -> float:
        """A robust value of ``key`` over the top of the rep (median of the hold)."""
        return rep.percentile(key, self.config.top_percentile, "top")

    def judge_rep(self, rep: RepWindow) -> tuple[dict[str, float], list[Fault]]:
        line = self.top(rep, "hip_extension_deg")
        metrics = {"knee_flexion_top_deg": self.top(rep, "knee_flexion_deg"),
                   "line_deviation_top_deg": self.line_metric(rep, line)}
        faults = self.line_faults(line)
        faults += self.valgus_faults(rep, metrics, SIDES)
        return metrics, faults

    @staticmethod
    def line_metric(rep: RepWindow, line: float) -> float:
        """The top line deviation, or NaN (null) when this view cannot judge it."""
        return np.nan if "lumbar_extension" in rep.view.unsupported else line

    def line_faults(self, line: float) -> list[Fault]:
        """incomplete_rom and lumbar_extension from the top line deviation (deg)."""
        c = self.config
        out = []
        if line < c.lockout_min_deg:
            out.append(fault("incomplete_rom", line, c.lockout_min_deg, "deg",
                             f"hips stopped {abs(line):.0f} deg short of a straight "
                             "shoulder-hip-knee line at the top"))
        if line > c.lumbar_overshoot_deg:
            out.append(fault("lumbar_extension", line, c.lumbar_overshoot_deg, "deg",
                             f"hips pushed {line:.0f} deg above the shoulder-knee line: the low "
                             "back arched instead of the hips extending"))
        return out

    def valgus_faults(self, rep: RepWindow, metrics: dict[str, float],
                      sides: tuple[str, ...]) -> list[Fault]:
        """knee_valgus from the knees' medial tilt at the top (worst working side)."""
        c = self.config
        if "knee_valgus" in rep.view.unsupported:   # not measured: reported as null
            for s in sides:
                metrics[f"knee_medial_tilt_{s}_deg"] = np.nan
            metrics["knee_separation_ratio"] = np.nan
            return []
        tilts = {s: self.top(rep, f"knee_medial_tilt_{s}_deg") for s in sides}
        for s, v in tilts.items():
            metrics[f"knee_medial_tilt_{s}_deg"] = v
        metrics["knee_separation_ratio"] = self.top(rep, "knee_separation_ratio")
        worst = max(tilts, key=lambda s: tilts[s] if np.isfinite(tilts[s]) else -np.inf)
        v = tilts[worst]
        if np.isfinite(v) and v > c.valgus_tilt_deg:
            return [fault("knee_valgus", v, c.valgus_tilt_deg, "deg",
                          f"{worst} knee caved {v:.0f} deg inside the foot at the top")]
        return []


def hip_lift_pct(pts: Points) -> np.ndarray:
    """How high the hips are above the planted foot in the image, in % of the image shoulder
    width (image y points down). Seen from the feet or the head, rising hips move up the
    image whatever the camera height, the planted foot (the lower ankle in the image; in a
    single-leg bridge the free foot is up) and the shoulders stay put, and the shoulder width
    is seen in full and does not change: a count signal that needs no 3D, not an angle."""
    im = pts.image
    hip_y = g.midpoint(im[L.LEFT_HIP], im[L.RIGHT_HIP])[..., 1]
    with np.errstate(invalid="ignore", divide="ignore"):
        foot_y = np.fmax(im[L.LEFT_ANKLE][..., 1], im[L.RIGHT_ANKLE][..., 1])
        both = np.isfinite(im[L.LEFT_ANKLE][..., 1]) & np.isfinite(im[L.RIGHT_ANKLE][..., 1])
        width = g.segment_length(im[L.LEFT_SHOULDER], im[L.RIGHT_SHOULDER])
        return np.where(both, 100.0 * (foot_y - hip_y) / width, np.nan)


class _quiet:
    """Silence all-NaN mean warnings."""

    def __enter__(self) -> None:
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc: object) -> None:
        self._w.__exit__(*exc)


class GluteBridge(BridgeAnalyzer):
    """Two-leg glute bridge."""


ANALYZER = GluteBridge
