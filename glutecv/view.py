"""How the body is seen: body orientation, camera view, the side nearer the camera.

Everything is decided per frame from landmarks and then summarised over the clip (median /
majority over frames with a pose), so a few bad frames do not flip the answer.

* Orientation (standing, supine, side_lying, quadruped) from world landmarks (image as a
  fallback), assuming a roughly level camera: a near-vertical trunk, or one leaning forward
  less than 75 deg toward the knees over feet well below the hips (a deep squat),
  is standing; a lying
  trunk with the hips stacked one above the other is side-lying; a lying trunk with the
  knees well below the hips and the wrists below the shoulders is quadruped; other lying
  poses are supine.
* Camera view from how wide the hips and shoulders look compared with their true (world)
  width at the image scale of the least foreshortened limb segment: about 1 = the frontal
  plane faces the camera (front when the body's front faces the camera, else back),
  about 0 = side view, between = oblique.
* Facing side: the side whose landmarks the model puts nearer the camera (world z) and sees
  more surely (visibility).

A metric that needs a view the clip does not have is listed in ``ViewInfo.unsupported`` with
the reason, via :func:`unsupported_metrics`; analyzers then report it as not measured.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from glutecv.geometry import angle_to_vertical, midpoint, segment_length, visible_points
from glutecv.landmarks import Landmark as L
from glutecv.pose.types import PoseSequence
from glutecv.results import ViewInfo

#: frontal fraction (apparent / true width) above which the view is front/back, below which side
FRONTAL_MIN = 0.75   # |cos yaw| > 0.75 -> yaw < ~41 deg
SIDE_MAX = 0.35      # |cos yaw| < 0.35 -> yaw > ~70 deg
STANDING_MAX_TRUNK_DEG = 40.0  # trunk within 40 deg of vertical = standing (or kneeling)

_POINTS = (L.LEFT_SHOULDER, L.RIGHT_SHOULDER, L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE,
           L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE, L.LEFT_WRIST, L.RIGHT_WRIST,
           L.LEFT_ELBOW, L.RIGHT_ELBOW)


def _nanmedian(x: np.ndarray) -> float:
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(np.median(x)) if x.size else float("nan")


def frontal_fraction(seq: PoseSequence, min_visibility: float = 0.3) -> np.ndarray:
    """Per frame, apparent hip+shoulder width / true width at the image scale, in [0, ~1].

    The image scale (pixels per metre) is the largest ratio of image to world length over the
    thighs, shanks, upper arms and trunk: the least foreshortened segment is the best estimate.
    """
    p = visible_points(seq, _POINTS, min_visibility)
    w = visible_points(seq, _POINTS, min_visibility, space="world")
    scales = []
    for a, b in ((L.LEFT_HIP, L.LEFT_KNEE), (L.RIGHT_HIP, L.RIGHT_KNEE),
                 (L.LEFT_KNEE, L.LEFT_ANKLE), (L.RIGHT_KNEE, L.RIGHT_ANKLE),
                 (L.LEFT_SHOULDER, L.LEFT_ELBOW), (L.RIGHT_SHOULDER, L.RIGHT_ELBOW),
                 (L.LEFT_SHOULDER, L.LEFT_HIP), (L.RIGHT_SHOULDER, L.RIGHT_HIP)):
        with np.errstate(divide="ignore", invalid="ignore"):
            scales.append(segment_length(p[a], p[b]) / segment_length(w[a], w[b]))
    s = np.stack(scales, axis=-1)
    s[~np.isfinite(s)] = np.nan
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            px_per_m = np.nanmax(s, axis=-1) if s.size else np.full(len(seq), np.nan)
            hips = segment_length(p[L.LEFT_HIP], p[L.RIGHT_HIP]) / (
                px_per_m * segment_length(w[L.LEFT_HIP], w[L.RIGHT_HIP]))
            shoulders = segment_length(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER]) / (
                px_per_m * segment_length(w[L.LEFT_SHOULDER], w[L.RIGHT_SHOULDER]))
            return np.clip(np.nanmean(np.stack([hips, shoulders]), axis=0), 0.0, 1.5)


def _orientation_votes(seq: PoseSequence, min_visibility: float) -> np.ndarray:
    """Per-frame orientation label (object array; '' where unknown).

    Uses world landmarks (metres, camera axes with y down) so that a trunk seen end-on (a
    supine body filmed from the feet) is still known to be lying; falls back to the image
    where world points are missing. Both assume a roughly level camera.
    """
    pw = visible_points(seq, _POINTS, min_visibility, space="world")
    pi = visible_points(seq, _POINTS, min_visibility)
    use_world = np.isfinite(pw[L.LEFT_HIP][..., 0]) & np.isfinite(pw[L.LEFT_SHOULDER][..., 0])
    out = np.full(len(seq), "", dtype=object)
    for world, mask in ((True, use_world), (False, ~use_world)):
        if not mask.any():
            continue
        p = pw if world else pi
        up = np.array([0.0, -1.0, 0.0]) if world else np.array([0.0, -1.0])
        mid_hip = midpoint(p[L.LEFT_HIP], p[L.RIGHT_HIP])
        mid_sh = midpoint(p[L.LEFT_SHOULDER], p[L.RIGHT_SHOULDER])
        trunk_len = segment_length(mid_hip, mid_sh)
        trunk_deg = angle_to_vertical(mid_hip, mid_sh, up)
        hip_vec = p[L.LEFT_HIP] - p[L.RIGHT_HIP]
        hip_len = segment_length(p[L.LEFT_HIP], p[L.RIGHT_HIP])
        with np.errstate(invalid="ignore", divide="ignore"):
            stacked = (np.abs(hip_vec[..., 1]) > 0.7 * hip_len) & (hip_len > 0.2 * trunk_len)
            knee_y = np.fmax(p[L.LEFT_KNEE][..., 1], p[L.RIGHT_KNEE][..., 1])
            wrist_y = np.fmax(p[L.LEFT_WRIST][..., 1], p[L.RIGHT_WRIST][..., 1])
            knees_below = (knee_y - mid_hip[..., 1]) > 0.5 * trunk_len
            wrists_below = (wrist_y - mid_sh[..., 1]) > 0.5 * trunk_len
            ankle_y = np.fmax(p[L.LEFT_ANKLE][..., 1], p[L.RIGHT_ANKLE][..., 1])
            # a deep squat or hip hinge: shoulders above the hips but leaning far forward,
            # feet well below the hips (a bridge has its shoulders BELOW the hips, > 90 deg)
            knee_top = np.fmin(p[L.LEFT_KNEE][..., 1], p[L.RIGHT_KNEE][..., 1])
            # the trunk leans toward the knees (a squat), not away from them (a thrust)
            horiz = [0, 2] if world else [0]
            to_sh = (mid_sh - mid_hip)[..., horiz]
            to_knee = (midpoint(p[L.LEFT_KNEE], p[L.RIGHT_KNEE]) - mid_hip)[..., horiz]
            over_knees = np.sum(to_sh * to_knee, axis=-1) > 0
            leaning = (trunk_deg >= STANDING_MAX_TRUNK_DEG) & (trunk_deg < 75.0) & (
                (ankle_y - mid_hip[..., 1]) > 0.6 * trunk_len) & over_knees & (
                # ...and knees not high above the hips (that is a hip thrust's bottom)
                (mid_hip[..., 1] - knee_top) < 0.25 * trunk_len)
            ok = np.isfinite(trunk_deg) & mask
            standing = ok & ((trunk_deg < STANDING_MAX_TRUNK_DEG) | leaning
                             | (trunk_deg > 180 - STANDING_MAX_TRUNK_DEG))
        lying = ok & ~standing
        four = knees_below & wrists_below
        out[standing] = "standing"
        out[lying & stacked] = "side_lying"
        out[lying & ~stacked & four] = "quadruped"
        out[lying & ~stacked & ~four] = "supine"
    return out


def _anterior_toward_camera(seq: PoseSequence, min_visibility: float) -> bool:
    """True when the body's front faces the camera (for frontal views).

    anterior = left x superior from world landmarks (camera axes: x right, y down, z away);
    it faces the camera when its z is clearly negative. When the camera looks along the body's
    long axis (a supine body filmed from the feet) the anterior is across the view, and the
    answer falls back to "front" when the person's left is on the image right, as it is when
    two people face each other.
    """
    names = (L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_SHOULDER, L.RIGHT_SHOULDER)
    w = visible_points(seq, names, min_visibility, space="world")
    p = visible_points(seq, names, min_visibility)
    lat = (w[L.LEFT_HIP] - w[L.RIGHT_HIP]) + (w[L.LEFT_SHOULDER] - w[L.RIGHT_SHOULDER])
    sup = midpoint(w[L.LEFT_SHOULDER], w[L.RIGHT_SHOULDER]) - midpoint(w[L.LEFT_HIP],
                                                                        w[L.RIGHT_HIP])
    ant = np.cross(lat, sup)
    with np.errstate(invalid="ignore", divide="ignore"):
        toward = -ant[..., 2] / np.linalg.norm(ant, axis=-1)
    lat_x = (p[L.LEFT_HIP][..., 0] - p[L.RIGHT_HIP][..., 0]) + (
        p[L.LEFT_SHOULDER][..., 0] - p[L.RIGHT_SHOULDER][..., 0])
    vote = np.where(np.abs(toward) > 0.5, np.sign(toward), np.sign(lat_x))
    vote = vote[np.isfinite(vote)]
    return bool(np.mean(vote) >= 0) if vote.size else True


def facing_side(seq: PoseSequence, min_visibility: float = 0.3) -> str | None:
    """The body side nearer the camera (``left``/``right``), or None when it cannot be told."""
    lefts = (L.LEFT_SHOULDER, L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE)
    rights = tuple(lm.mirror() for lm in lefts)
    z = seq.world[..., 2]
    diff = z[:, list(lefts)] - z[:, list(rights)]
    with np.errstate(invalid="ignore"):
        dz = _nanmedian(np.nansum(diff, axis=1) / np.isfinite(diff).sum(axis=1))
    # only the eight columns used (not a whole-clip copy of every landmark's visibility)
    vis_l = np.nan_to_num(seq.visibility[:, list(lefts)])
    vis_r = np.nan_to_num(seq.visibility[:, list(rights)])
    dv = float(np.mean(vis_l - vis_r)) if len(seq) else 0.0
    score = (-dz / 0.05 if np.isfinite(dz) else 0.0) + dv / 0.05  # + = left nearer
    if abs(score) < 0.5:
        return None
    return "left" if score > 0 else "right"


def detect_view(seq: PoseSequence, min_visibility: float = 0.3) -> ViewInfo:
    """Camera view, body orientation and facing side of a clip (``unsupported`` left empty)."""
    if len(seq) == 0 or not np.any(seq.detected):
        return ViewInfo()
    votes = _orientation_votes(seq, min_visibility)
    labels, counts = np.unique(votes[votes != ""], return_counts=True)
    orientation, o_conf = "unknown", 0.0
    if labels.size:
        k = int(np.argmax(counts))
        orientation, o_conf = str(labels[k]), float(counts[k] / counts.sum())
    ff = _nanmedian(frontal_fraction(seq, min_visibility))
    if not np.isfinite(ff):
        camera, c_conf = "unknown", 0.0
    elif ff >= FRONTAL_MIN:
        camera = "front" if _anterior_toward_camera(seq, min_visibility) else "back"
        c_conf = float(min(1.0, (ff - FRONTAL_MIN) / 0.2 + 0.5))
    elif ff <= SIDE_MAX:
        camera, c_conf = "side", float(min(1.0, (SIDE_MAX - ff) / 0.2 + 0.5))
    else:
        camera = "oblique"
        c_conf = float(min(1.0, 0.5 + min(ff - SIDE_MAX, FRONTAL_MIN - ff) / 0.2))
    return ViewInfo(camera=camera, orientation=orientation,
                    facing_side=facing_side(seq, min_visibility),
                    confidence=round(min(o_conf, c_conf), 3))


#: Which camera views each metric needs, and why the others cannot give it.
METRIC_VIEWS: dict[str, tuple[tuple[str, ...], str]] = {
    "knee_valgus": (("front", "back"),
                    "knee valgus is a frontal-plane angle; it needs a front or back view"),
    "pelvic_drop": (("front", "back", "oblique"),
                    "a pelvis sagging to one side needs the hips apart in the image "
                    "(front, back or oblique view)"),
    "lumbar_extension": (("side", "oblique"),
                         "the shoulder-hip-knee line needs a side (or oblique) view"),
    "hip_extension": (("side", "oblique"), "hip extension angles need a side (or oblique) view"),
}


def unsupported_metrics(view: ViewInfo, metrics: Mapping[str, tuple[tuple[str, ...], str]]
                        | tuple[str, ...] = tuple(METRIC_VIEWS)) -> dict[str, str]:
    """``{metric: reason}`` for each metric the view cannot support.

    ``metrics`` is either names from :data:`METRIC_VIEWS` or a mapping of the same shape.
    An unknown camera supports nothing that needs a particular view.
    """
    table = metrics if isinstance(metrics, Mapping) else {m: METRIC_VIEWS[m] for m in metrics}
    out = {}
    for name, (views, why) in table.items():
        if view.camera not in views:
            seen = "an unknown" if view.camera == "unknown" else f"a {view.camera}"
            out[name] = f"{why} (this clip is {seen} view)"
    return out
