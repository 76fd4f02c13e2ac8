"""Exercise recognition for ``--exercise auto``: name the exercise from posture and motion.

Two questions, answered from the landmarks of the whole clip:

1. **How is the body placed?** Standing, supine, side-lying or quadruped, from
   :func:`glutecv.view.detect_view` (trunk angle, stacked hips, knees and wrists under the body),
   with two corrections: a body called supine whose legs stand upright under the hips for most
   of the clip (shanks pointing down, hips well above the ankles) is standing: its trunk was
   cropped out of the frame or bent far forward at the bottom of a squat; and a body called
   standing whose shoulders stay nearly still in the picture while its hips move up and down
   is lying on a support (a bridge or thrust filmed steeply from above the feet).
2. **What moves, and how?**

   * standing: a *lunge* when the legs work apart (at the bottom of the movement one hip is far
     more flexed than the other, the feet are staggered front to back, or one foot stands higher
     than the other at the bottom, as on a step-up or a split squat's bench), else a *squat*;
   * supine: a *single-leg glute bridge* when one leg stays straight or lifted while the other
     works; a *hip thrust* when the shoulders rest well above the feet (on a bench) with the
     knees bent at the top (near-straight legs are a heel-supported bridge); else a *glute
     bridge*;
   * side-lying: a *clamshell*; quadruped: a *fire hydrant*.

:func:`recognise` returns a :class:`Recognition` (``exercise``, ``confidence`` in [0, 1],
``reason`` in words). Confidence is the body-orientation agreement over frames times how clearly
the deciding measurement falls on one side of its threshold. The user can always name the
exercise instead (``--exercise NAME``).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from glutecv.geometry import (
    flexion_angle,
    hip_abduction,
    midpoint,
    segment_length,
    visible_points,
)
from glutecv.landmarks import Landmark as L
from glutecv.pose.types import PoseSequence
from glutecv.view import detect_view

# --- thresholds (each a measured-feature boundary with its reason) ------------------------------
# Standing legs: the shank points down (ankle below the knee by 60% of its length: false on hands
# and knees, where the shank lies flat) and the hip is above the ankle by 50% of the leg's length
# (true standing and in most of a squat or lunge; false lying down, hips level with the feet).
UPRIGHT_SHANK_RATIO = 0.6
UPRIGHT_LEG_RATIO = 0.5
# ... and the thigh points down too (knee below the hip by 40% of the thigh): false on a bench
# in a hip thrust, where the shanks stand upright under level or rising thighs
UPRIGHT_THIGH_RATIO = 0.4
UPRIGHT_FRACTION = 0.6        # ... in at least this fraction of the frames with a pose
# Lunge vs squat at the bottom of the movement: hip flexion of the two legs differs by more than
# 45 deg (lunge: front ~90, rear ~10, we measured 69 on real lunges; squat: equal, but world
# landmarks seen from behind read up to ~40 deg apart), or the ankles are staggered front to
# back by more than 35% of leg length (squat stance: side by side, we measured < 0.2), or one
# ankle stands higher than the other by more than 30% of leg length at the bottom of the
# movement (a box or bench under one foot, >= ~25 cm: step-ups, Bulgarian split squats; squats
# read < 0.27; over the whole clip a side-on squat read 0.41, its hidden far ankle placed high
# while standing tall).
LUNGE_HIP_ASYMMETRY_DEG = 45.0
LUNGE_STAGGER_RATIO = 0.35
STEP_HEIGHT_RATIO = 0.3
# Single-leg bridge: at the top the knees differ by more than 45 deg of flexion (one leg straight
# or held up) or one ankle is lifted more than 45% of a thigh above the other (two-leg bridges
# read up to 0.42 from an oblique camera)
SINGLE_LEG_KNEE_DIFF_DEG = 45.0
SINGLE_LEG_ANKLE_LIFT_RATIO = 0.45
# ... or one thigh turned out far more than the other (a figure-4 / "pigeon" bridge: median hip
# abduction difference 49 deg on a real clip; two-leg bridges and thrusts read <= 23)
SINGLE_LEG_ABDUCTION_DIFF_DEG = 35.0
# Hip thrust: shoulders resting above the feet by more than 45% of thigh length (a bench is
# ~40 cm, a thigh ~43 cm; on the floor the shoulder and ankle joints are at about the same height).
THRUST_SHOULDER_RISE_RATIO = 0.45
# ... with the knees bent at the top (mean knee flexion of the two legs above 42 deg): a thrust
# locks out with the shins about vertical (~90 deg; the pose model reads rendered bench thrusts
# 52-64 and real ones 72-89). Near-straight legs (a heel-supported bridge, read 34) put the
# feet far from the shoulders, where a camera raised at the feet makes the far shoulders look
# higher in the picture: that is not a bench.
THRUST_MIN_KNEE_FLEXION_DEG = 42.0

# A standing body carries its shoulders with its hips: in the picture the shoulders travel at
# least ~0.6 as far up and down as the hips in every real squat and lunge clip (0.79-2.1; a
# side-leg raise 0.58). A body whose hips move while the shoulders stay nearly still (< 0.35)
# pivots on a support, lying down: floor bridges and bench thrusts read 0.04-0.4 from the side,
# and a thrust filmed steeply from above the feet, which the pose model reads as upright legs
# under the hips, 0.12. Only judged when the hips move at least 10% of the trunk's length.
STANDING_MIN_SHOULDER_TRAVEL = 0.35
MIN_HIP_TRAVEL_TRUNKS = 0.1

_POINTS = (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE,
           L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE)


class Recognition(NamedTuple):
    """The recognised exercise, how sure (0..1), and why in words."""

    exercise: str
    confidence: float
    reason: str


def _margin(value: float, threshold: float, scale: float) -> float:
    """How clearly ``value`` lies on one side of ``threshold``: 0.5 at it, -> 1 far away."""
    if not math.isfinite(value):
        return 0.5
    return 0.5 + 0.5 * math.tanh(abs(value - threshold) / scale)


def _med(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else math.nan


def _peak_frames(signal: np.ndarray, fraction: float = 0.8) -> np.ndarray:
    """Frames where ``signal`` is within the top (1 - fraction) of its range (the rep bottoms
    or tops); empty when the signal has no range."""
    s = np.asarray(signal, dtype=float)
    ok = np.isfinite(s)
    if ok.sum() < 3:
        return np.zeros(len(s), dtype=bool)
    lo, hi = np.percentile(s[ok], [5, 98])
    return ok & (s >= lo + fraction * (hi - lo))


def upright_fraction(seq: PoseSequence, min_visibility: float = 0.2) -> float:
    """Fraction of posed frames in which a leg stands upright under the hips, from world
    landmarks (camera axes, y down: a roughly level camera): the shank points down (ankle below
    the knee by ``UPRIGHT_SHANK_RATIO`` of its length; on hands and knees it lies flat) and the
    hip is above the ankle by ``UPRIGHT_LEG_RATIO`` of the leg (lying, filmed from the feet,
    the hips look above the feet in the image but are not in the world)."""
    p = visible_points(seq, _POINTS, min_visibility, space="world")
    votes = []
    for s in ("LEFT", "RIGHT"):
        hip, knee, ankle = p[L[f"{s}_HIP"]], p[L[f"{s}_KNEE"]], p[L[f"{s}_ANKLE"]]
        shank = segment_length(knee, ankle)
        leg = segment_length(hip, knee) + shank
        with np.errstate(invalid="ignore"):
            votes.append(((ankle[:, 1] - knee[:, 1]) >= UPRIGHT_SHANK_RATIO * shank)
                         & ((knee[:, 1] - hip[:, 1]) >= UPRIGHT_THIGH_RATIO * (leg - shank))
                         & ((ankle[:, 1] - hip[:, 1]) >= UPRIGHT_LEG_RATIO * leg))
    seen = seq.detected
    if not seen.any():
        return 0.0
    return float(np.mean((votes[0] | votes[1])[seen]))


def shoulder_travel(seq: PoseSequence) -> float:
    """How far the shoulders move up and down in the picture compared with the hips (ratio of
    their 5-95% ranges of image height), shot by shot, weighted by frames; NaN when the hips
    hardly move (< ``MIN_HIP_TRAVEL_TRUNKS`` trunk lengths)."""
    from glutecv.exercises._shots import find_cuts

    p = visible_points(seq, _POINTS, 0.2)
    sh = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    hip = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    trunk = segment_length(sh, hip)
    bounds = [0, *find_cuts(seq), len(seq)]
    ratios, weights = [], []
    for a, b in zip(bounds[:-1], bounds[1:], strict=True):
        s_y, h_y = sh[a:b, 1], hip[a:b, 1]
        ok = np.isfinite(s_y) & np.isfinite(h_y)
        if ok.sum() < 10:
            continue
        h_range = float(np.subtract(*np.percentile(h_y[ok], [95, 5])))
        if not h_range >= MIN_HIP_TRAVEL_TRUNKS * _med(trunk[a:b]):
            continue
        ratios.append(float(np.subtract(*np.percentile(s_y[ok], [95, 5]))) / h_range)
        weights.append(int(ok.sum()))
    return float(np.average(ratios, weights=weights)) if ratios else math.nan


def lying_orientation(seq: PoseSequence) -> str:
    """``quadruped``, ``side_lying`` or ``supine`` from world landmarks (y down), for a body
    that is not standing: on hands and knees the knees are under the hips and the wrists under
    the shoulders; lying on the side the hips are stacked (the hip line mostly vertical)."""
    w = visible_points(seq, _POINTS + (L.LEFT_WRIST, L.RIGHT_WRIST), 0.2, space="world")
    hip = midpoint(w[L.LEFT_HIP], w[L.RIGHT_HIP])
    sh = midpoint(w[L.LEFT_SHOULDER], w[L.RIGHT_SHOULDER])
    thigh = _med(segment_length(w[L.LEFT_HIP], w[L.LEFT_KNEE]))
    knee_y = np.fmax(w[L.LEFT_KNEE][:, 1], w[L.RIGHT_KNEE][:, 1])
    wrist_y = np.fmax(w[L.LEFT_WRIST][:, 1], w[L.RIGHT_WRIST][:, 1])
    hip_line = w[L.LEFT_HIP] - w[L.RIGHT_HIP]
    with np.errstate(invalid="ignore"):
        stacked = _med(np.abs(hip_line[:, 1]) / np.linalg.norm(hip_line, axis=-1))
        knees_under = _med(knee_y - hip[:, 1]) / thigh
        wrists_under = _med(wrist_y - sh[:, 1]) / thigh
    if math.isfinite(stacked) and stacked > 0.7:
        return "side_lying"
    if knees_under > 0.5 and wrists_under > 0.5:
        return "quadruped"
    return "supine"


def _standing(seq: PoseSequence, o_conf: float) -> Recognition:
    w = visible_points(seq, _POINTS, 0.2, space="world")
    flex = {s: flexion_angle(w[L[f"{s}_SHOULDER"]], w[L[f"{s}_HIP"]], w[L[f"{s}_KNEE"]])
            for s in ("LEFT", "RIGHT")}
    knee = {s: flexion_angle(w[L[f"{s}_HIP"]], w[L[f"{s}_KNEE"]], w[L[f"{s}_ANKLE"]])
            for s in ("LEFT", "RIGHT")}
    bottom = _peak_frames(np.fmax(knee["LEFT"], knee["RIGHT"]))
    asym = _med(np.abs(flex["LEFT"] - flex["RIGHT"])[bottom])
    leg = _med(segment_length(w[L.LEFT_HIP], w[L.LEFT_KNEE])
               + segment_length(w[L.LEFT_KNEE], w[L.LEFT_ANKLE]))
    # stagger: ankle separation along the body's forward axis (perpendicular to the hip line,
    # horizontal in the camera's world frame)
    hip_line = w[L.LEFT_HIP] - w[L.RIGHT_HIP]
    fwd = np.stack([-hip_line[:, 2], np.zeros(len(seq)), hip_line[:, 0]], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        fwd = fwd / np.linalg.norm(fwd, axis=-1, keepdims=True)
        stagger = np.abs(np.sum((w[L.LEFT_ANKLE] - w[L.RIGHT_ANKLE]) * fwd, axis=-1)) / leg
    stagger_b = _med(stagger[bottom])
    with np.errstate(invalid="ignore"):  # world y: an oblique camera makes the far foot look
        step = np.abs(w[L.LEFT_ANKLE][:, 1] - w[L.RIGHT_ANKLE][:, 1]) / leg  # higher in 2D
    # at the bottom of the movement: a foot on a box or bench is there at every bottom (a
    # split squat's rear foot, a step-up's lead foot before it drives up); a far foot that the
    # model misplaces while standing tall (seen from the side, hidden by the near leg) is not
    step_b = step[bottom]
    step_hi = (float(np.nanpercentile(step_b, 75)) if np.isfinite(step_b).any()
               else math.nan)
    votes = {
        "hip flexion differs between the legs by": (asym, LUNGE_HIP_ASYMMETRY_DEG, 15.0, "deg"),
        "the feet are staggered by": (stagger_b, LUNGE_STAGGER_RATIO, 0.15, "leg lengths"),
        "one foot stands higher by": (step_hi, STEP_HEIGHT_RATIO, 0.1, "leg lengths"),
    }
    lunge = [(k, v) for k, v in votes.items() if math.isfinite(v[0]) and v[0] > v[1]]
    if lunge:
        k, (v, thr, scale, unit) = max(lunge, key=lambda kv: kv[1][0] / kv[1][1])
        return Recognition("lunge", round(o_conf * _margin(v, thr, scale), 3),
                           f"standing; the legs work apart: {k} {v:.2f} {unit} "
                           f"(> {thr:g} {unit})")
    margins = [_margin(v, thr, scale) for v, thr, scale, _ in votes.values() if math.isfinite(v)]
    conf = o_conf * (min(margins) if margins else 0.5)
    return Recognition("squat", round(conf, 3),
                       f"standing; both legs bend together (hip flexion difference {asym:.0f} "
                       f"deg, stagger {stagger_b:.2f} leg lengths at the bottom)")


def _supine(seq: PoseSequence, o_conf: float) -> Recognition:
    p = visible_points(seq, _POINTS, 0.2)
    w = visible_points(seq, _POINTS, 0.2, space="world")
    hip = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
    sh = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
    ankle = midpoint(p[L.LEFT_ANKLE], p[L.RIGHT_ANKLE])
    thigh = _med(segment_length(p[L.LEFT_HIP], p[L.LEFT_KNEE]))
    lift = -(hip[:, 1] - np.nanmedian(hip[:, 1]))  # image y down: + = hips higher
    top = _peak_frames(lift)
    knee = {s: flexion_angle(w[L[f"{s}_HIP"]], w[L[f"{s}_KNEE"]], w[L[f"{s}_ANKLE"]])
            for s in ("LEFT", "RIGHT")}
    knee_diff = _med(np.abs(knee["LEFT"] - knee["RIGHT"])[top])
    knee_top = _med((0.5 * (knee["LEFT"] + knee["RIGHT"]))[top])
    thigh_w = _med(segment_length(w[L.LEFT_HIP], w[L.LEFT_KNEE]))
    with np.errstate(invalid="ignore", divide="ignore"):
        # world y (camera axes): from a raised side view the far foot looks higher in 2D
        ankle_lift = _med(np.abs(w[L.LEFT_ANKLE][:, 1] - w[L.RIGHT_ANKLE][:, 1])[top]) / thigh_w
        shoulder_rise = _med(ankle[:, 1] - sh[:, 1]) / thigh
    abd_diff = _med(np.abs(hip_abduction(w[L.LEFT_HIP], w[L.LEFT_KNEE], w[L.RIGHT_HIP])
                           - hip_abduction(w[L.RIGHT_HIP], w[L.RIGHT_KNEE], w[L.LEFT_HIP])))
    cues = [(v, thr, scale) for v, thr, scale in (
        (knee_diff, SINGLE_LEG_KNEE_DIFF_DEG, 20.0),
        (ankle_lift, SINGLE_LEG_ANKLE_LIFT_RATIO, 0.15),
        (abd_diff, SINGLE_LEG_ABDUCTION_DIFF_DEG, 10.0)) if math.isfinite(v) and v > thr]
    if cues:
        m = max(_margin(v, thr, scale) for v, thr, scale in cues)
        return Recognition("single_leg_glute_bridge", round(o_conf * m, 3),
                           f"lying on the back; one leg works alone (knee flexion differs "
                           f"{knee_diff:.0f} deg, one ankle {ankle_lift:.2f} thighs higher, hip "
                           f"abduction differs {abd_diff:.0f} deg)")
    m = _margin(shoulder_rise, THRUST_SHOULDER_RISE_RATIO, 0.2)
    raised = math.isfinite(shoulder_rise) and shoulder_rise > THRUST_SHOULDER_RISE_RATIO
    if raised and not knee_top <= THRUST_MIN_KNEE_FLEXION_DEG:   # NaN knees: trust the bench
        return Recognition("hip_thrust", round(o_conf * m, 3),
                           f"lying on the back with the shoulders raised {shoulder_rise:.2f} "
                           "thigh lengths above the feet (on a bench)")
    if raised:
        m = _margin(knee_top, THRUST_MIN_KNEE_FLEXION_DEG, 15.0)
        return Recognition("glute_bridge", round(o_conf * m, 3),
                           f"lying on the back with the legs nearly straight at the top (knee "
                           f"flexion {knee_top:.0f} deg <= {THRUST_MIN_KNEE_FLEXION_DEG:g}): a "
                           "heel-supported bridge, not a thrust (the shoulders only look raised, "
                           f"{shoulder_rise:.2f} thigh lengths)")
    return Recognition("glute_bridge", round(o_conf * m, 3),
                       f"lying on the back, both feet down, shoulders on the floor (raised "
                       f"{shoulder_rise:.2f} thigh lengths)")


def recognise(seq: PoseSequence) -> Recognition:
    """Name the exercise in ``seq`` with a confidence in [0, 1] and the reason."""
    if len(seq) == 0 or not np.any(seq.detected):
        return Recognition("squat", 0.0, "no person was detected; nothing to recognise")
    view = detect_view(seq)
    orientation, o_conf = view.orientation, max(float(view.confidence), 0.3)
    up = upright_fraction(seq)
    resting_shoulders = shoulder_travel(seq) < STANDING_MIN_SHOULDER_TRAVEL  # False if NaN
    # a cropped-off or far-bent trunk can make an upright body look lying on its back; a
    # quadruped seen from behind has its feet below the knees in the image too, so only that
    # "supine" (or an unknown) call is corrected
    if up >= UPRIGHT_FRACTION and orientation in ("supine", "unknown") and not resting_shoulders:
        orientation, o_conf = "standing", up
    elif orientation in ("supine", "unknown") and lying_orientation(seq) == "quadruped":
        # on hands and knees filmed from behind the trunk foreshortens and can look supine
        orientation = "quadruped"
    elif orientation == "standing" and up < 1 - UPRIGHT_FRACTION:
        # "standing" from the image, but the legs never stand under the hips in the world
        # (e.g. a quadruped filmed from behind, its trunk foreshortened to look upright)
        orientation, o_conf = lying_orientation(seq), 1 - up
    elif orientation == "standing" and resting_shoulders:
        # the hips move but the shoulders rest: lying on a support, however upright the legs
        # look (a camera steeply above the feet makes a thrust's legs read as standing)
        orientation = lying_orientation(seq)
    elif orientation == "standing":
        o_conf = max(o_conf, up)
    if orientation == "standing":
        return _standing(seq, min(1.0, o_conf))
    if orientation == "side_lying":
        return Recognition("clamshell", round(min(1.0, o_conf), 3),
                           "lying on the side with the hips stacked")
    if orientation == "quadruped":
        return Recognition("fire_hydrant", round(min(1.0, o_conf), 3),
                           "on hands and knees (quadruped)")
    if orientation == "supine":
        return _supine(seq, min(1.0, o_conf))
    return Recognition("squat", 0.1, "body orientation unclear; guessed the most common exercise")
