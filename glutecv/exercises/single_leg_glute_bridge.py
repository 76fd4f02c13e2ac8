"""Single-leg glute bridge: one foot down (the working leg), the other leg held up.

Counting: the pelvis rises as one piece, so reps are counted on one hip-extension signal (the
more extended of the two shoulder-hip-knee lines, which is the working side's) and each rep is
credited to the working leg: the clearly more extended hip at the top, or else the leg whose
ankle stays on the floor while the other is lifted. Left and right reps
are counted and reported separately.

Faults, besides the bridge's ``incomplete_rom``, ``lumbar_extension`` and ``knee_valgus`` (of
the working knee):

* ``pelvic_drop``: at the top the pelvis sags on the free-leg side by more than
  :attr:`SingleLegBridgeConfig.pelvic_drop_deg` compared with the start of the rep (so a tilted
  camera does not count). Measured from the hip-hip line in the image in front, back and
  oblique views; not from a pure side view, where the far hip is hidden (reported as not
  measured, with the reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from glutecv import geometry as g
from glutecv.exercises.common import Points, RepWindow, fault
from glutecv.exercises.glute_bridge import BridgeAnalyzer, BridgeConfig
from glutecv.landmarks import Landmark as L
from glutecv.results import Fault, ViewInfo
from glutecv.view import METRIC_VIEWS


@dataclass(frozen=True)
class SingleLegBridgeConfig(BridgeConfig):
    """Bridge thresholds plus the pelvis and working-leg rules."""

    # deg, free-side pelvis drop at the top vs the rep's start above this = pelvic_drop. The
    # pelvis should stay level; ~8 deg is the smallest detectable difference of 2D pose angles.
    pelvic_drop_deg: float = 10.0
    # shank lengths: an ankle this much higher than the other marks the free leg
    free_ankle_lift: float = 0.25
    # deg: a hip this much more extended than the other at the top is the working one (a
    # figure-4 or raised free leg keeps its hip flexed by 20-60 deg; landmark noise ~5 deg)
    working_hip_margin_deg: float = 10.0
    # the image hip line is used only while it is within this many degrees of horizontal and
    # at least ``min_hip_width_ratio`` x the thigh long: otherwise the pelvis is seen end-on
    max_hip_line_deg: float = 45.0
    min_hip_width_ratio: float = 0.3


def _hip_line_drop(pts: Points, view: ViewInfo, c: SingleLegBridgeConfig) -> np.ndarray:
    """Per frame, how much lower the LEFT hip is than the right, degrees (+ = left lower);
    NaN where the image hip line is too short or too steep to mean anything.

    From a pure side view the far hip is hidden and the pose model moves it with the near
    one (a rendered 14 deg drop read as ~4 px), so that view is not used (see metric_views).
    """
    lh, rh = pts.image[L.LEFT_HIP], pts.image[L.RIGHT_HIP]
    tilt = g.pelvis_tilt(lh, rh)
    thigh = np.fmax(g.segment_length(lh, pts.image[L.LEFT_KNEE]),
                    g.segment_length(rh, pts.image[L.RIGHT_KNEE]))
    with np.errstate(invalid="ignore"):
        ok = (np.abs(tilt) <= c.max_hip_line_deg) & (
            g.segment_length(lh, rh) >= c.min_hip_width_ratio * thigh)
    return np.where(ok, -tilt, np.nan)


class SingleLegGluteBridge(BridgeAnalyzer):
    """Single-leg glute bridge, reps per working leg."""

    name: ClassVar[str] = "single_leg_glute_bridge"
    description: ClassVar[str] = "single-leg glute bridge: one foot down, the other leg up"
    unilateral: ClassVar[bool] = True
    metric_views: ClassVar[dict[str, tuple[tuple[str, ...], str]]] = {
        **BridgeAnalyzer.metric_views, "pelvic_drop": METRIC_VIEWS["pelvic_drop"]}

    @classmethod
    def default_config(cls) -> SingleLegBridgeConfig:
        return SingleLegBridgeConfig()

    def signals(self, pts: Points, view: ViewInfo) -> dict[str, np.ndarray]:
        out = self.side_signals(pts, view)
        image = self.uses_image(view)
        src = pts.image if image else pts.world
        up = g.IMAGE_UP if image else g.WORLD_UP
        la, ra = src[L.LEFT_ANKLE], src[L.RIGHT_ANKLE]
        shank = np.fmax(g.segment_length(src[L.LEFT_KNEE], la),
                        g.segment_length(src[L.RIGHT_KNEE], ra))
        # + = left ankle higher than the right = left is the free leg, right is working
        lift = g.height_difference_ratio(la, ra, shank, up)
        out["free_ankle_lift"] = lift
        left_ext, right_ext = out["hip_extension_left_deg"], out["hip_extension_right_deg"]
        # The working hip is the extended one: the free leg is held up (hip flexed) or in line
        # with the working thigh, never more extended. The larger line is therefore the
        # working side's, frame by frame, with no switching between sides.
        out["hip_extension_deg"] = np.fmax(left_ext, right_ext)
        # display only: the working knee is the bent one (per rep the working side's is used)
        out["knee_flexion_deg"] = np.fmax(out["knee_flexion_left_deg"],
                                          out["knee_flexion_right_deg"])
        out["pelvis_drop_left_deg"] = _hip_line_drop(pts, view, self.config)
        return out

    def rep_side(self, rep: RepWindow) -> str:
        """The working leg: the clearly more extended hip at the top, else the leg whose
        ankle stays down while the other is lifted, else undecided (``both``)."""
        c = self.config
        diff = rep.percentile("hip_extension_left_deg", 50, "top") - rep.percentile(
            "hip_extension_right_deg", 50, "top")
        if np.isfinite(diff) and abs(diff) > c.working_hip_margin_deg:
            return "left" if diff > 0 else "right"
        lift = rep.percentile("free_ankle_lift", 50, "top")
        if not np.isfinite(lift) or abs(lift) < c.free_ankle_lift:
            return "both"
        return "right" if lift > 0 else "left"

    def display_keys(self, view: ViewInfo) -> dict[str, str]:
        return {"hip_extension_deg": "hip line", "knee_flexion_deg": "knee",
                "pelvis_drop_left_deg": "pelvis"}

    def judge_rep(self, rep: RepWindow) -> tuple[dict[str, float], list[Fault]]:
        c = self.config
        line = self.top(rep, "hip_extension_deg")
        working = self.rep_side(rep)
        knee_key = f"knee_flexion_{working}_deg" if working != "both" else "knee_flexion_deg"
        metrics = {"knee_flexion_top_deg": self.top(rep, knee_key),
                   "line_deviation_top_deg": self.line_metric(rep, line)}
        faults = self.line_faults(line)
        sides = ("left", "right") if working == "both" else (working,)
        faults += self.valgus_faults(rep, metrics, sides)
        drop_left = self.top(rep, "pelvis_drop_left_deg")
        start = rep.part("pelvis_drop_left_deg", "up")
        start = start[np.isfinite(start)][:5]
        base = float(np.median(start)) if start.size else np.nan
        metrics["pelvic_drop_deg"] = np.nan   # null unless measured below
        if working in ("left", "right") and "pelvic_drop" not in rep.view.unsupported:
            sign = 1.0 if working == "right" else -1.0  # the free side is the other one
            drop = sign * (drop_left - base)
            metrics["pelvic_drop_deg"] = drop
            if np.isfinite(drop) and drop > c.pelvic_drop_deg:
                free = "left" if working == "right" else "right"
                faults.append(fault("pelvic_drop", drop, c.pelvic_drop_deg, "deg",
                                    f"pelvis sagged {drop:.0f} deg on the {free} (free-leg) "
                                    "side at the top"))
        return metrics, faults


ANALYZER = SingleLegGluteBridge
