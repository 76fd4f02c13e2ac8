"""Pure, vectorised body geometry: angles and ratios from landmark coordinates.

Every function takes points as arrays whose LAST axis is the coordinate (2 for image x/y in
pixels, 3 for world metres) and broadcasts over any leading axes, so the same call works on one
frame ``(2,)``, a clip ``(N, 2)`` or a batch ``(B, N, 2)``. Angles are in degrees.

Missing data: a point that is NaN makes every result that depends on it NaN. Use
:func:`visible_points` to read landmarks from a pose with the visibility gate applied, so a
landmark the model is unsure about becomes NaN instead of a confident wrong number. Degenerate
geometry (zero-length segments, hips on top of each other when a sign needs the hip line) is NaN
too.

Image conventions: x to the right, y DOWN (pixels). "Up" in the image is therefore ``(0, -1)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import numpy as np

from glutecv.landmarks import Landmark
from glutecv.pose.types import PoseFrame, PoseSequence

Space = Literal["image", "world"]
IMAGE_UP = np.array([0.0, -1.0])
_EPS = 1e-9


# --- reading landmarks -------------------------------------------------------------------------
def visible_points(
    pose: PoseSequence | PoseFrame,
    landmarks: Iterable[Landmark],
    min_visibility: float = 0.5,
    space: Space = "image",
) -> dict[Landmark, np.ndarray]:
    """The coordinates of ``landmarks``, NaN wherever visibility < ``min_visibility``.

    Returns ``{landmark: array}`` with shape ``(N, 2)`` for a sequence or ``(2,)`` for a frame
    in image space (x, y in pixels; BlazePose's image z is dropped, it is not a usable depth),
    or ``(N, 3)`` / ``(3,)`` in world space (metres). A non-finite visibility counts as 0 and a
    non-finite coordinate makes the whole point NaN.
    """
    full = pose.image if space == "image" else pose.world
    out: dict[Landmark, np.ndarray] = {}
    for lm in landmarks:
        # one landmark's columns at a time: no whole-clip (N, 33) copy of the visibility,
        # and for landmarks on disk (landmark-major) only these columns are read
        vis = np.nan_to_num(np.asarray(pose.visibility[..., int(lm)], dtype=float), nan=0.0,
                            posinf=0.0, neginf=0.0)
        whole = np.asarray(full[..., int(lm), :], dtype=float)
        p = np.array(whole[..., :2] if space == "image" else whole, dtype=float)
        # a landmark with any non-finite coordinate (even the unused image z) is malformed
        bad = (vis < min_visibility) | ~np.all(np.isfinite(whole), axis=-1)
        p[bad] = np.nan
        out[Landmark(lm)] = p
    return out


def midpoint(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The point halfway between ``a`` and ``b``."""
    return (np.asarray(a, dtype=float) + np.asarray(b, dtype=float)) / 2.0


def _norm(v: np.ndarray) -> np.ndarray:
    return np.sqrt(np.sum(v * v, axis=-1))


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    b = np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.where(np.abs(b) > _EPS, a / np.where(np.abs(b) > _EPS, b, 1.0), np.nan)
    return np.where(np.isfinite(out), out, np.nan)  # an infinite input point is missing


def _angle_between(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Unsigned angle between vectors u and v in degrees, [0, 180]; NaN if either is ~zero."""
    nu, nv = _norm(u), _norm(v)
    cos = _safe_div(np.sum(u * v, axis=-1), nu * nv)
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


# --- angles ------------------------------------------------------------------------------------
def joint_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The angle at ``b`` between segments b->a and b->c, degrees in [0, 180] (2D or 3D).

    180 = straight (e.g. a fully extended knee), 90 = right angle.
    """
    b = np.asarray(b, dtype=float)
    return _angle_between(np.asarray(a, dtype=float) - b, np.asarray(c, dtype=float) - b)


def flexion_angle(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Flexion at joint ``b`` = 180 - joint angle, degrees: 0 straight, 90 right angle.

    Knee flexion = ``flexion_angle(hip, knee, ankle)``; hip flexion (unsigned) =
    ``flexion_angle(shoulder, hip, knee)``.
    """
    return 180.0 - joint_angle(a, b, c)


def angle_to_vertical(a: np.ndarray, b: np.ndarray, up: np.ndarray = IMAGE_UP) -> np.ndarray:
    """Unsigned angle between the vector a->b and ``up``, degrees in [0, 180].

    With the image default, a segment pointing straight up the image is 0 and straight down
    is 180. For world points pass a 3D ``up`` (BlazePose world y points down: ``(0, -1, 0)``).
    """
    a = np.asarray(a, dtype=float)
    return _angle_between(np.asarray(b, dtype=float) - a, np.broadcast_to(up, a.shape))


def angle_to_horizontal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Signed inclination of the LINE through image points a and b, degrees in [-90, 90].

    Positive when the point further right (larger x) is higher in the image (smaller y); the
    order of a and b does not matter. Vertical lines give +-90 (NaN-free), coincident points NaN.
    """
    d = np.asarray(b, dtype=float)[..., :2] - np.asarray(a, dtype=float)[..., :2]
    dx, dy = d[..., 0], d[..., 1]
    s = np.where(dx < 0, -1.0, 1.0)
    ang = np.degrees(np.arctan2(-dy * s, np.abs(dx)))
    return np.where(_norm(d) > _EPS, ang, np.nan)


def signed_line_deviation(
    a: np.ndarray, b: np.ndarray, c: np.ndarray, up: np.ndarray = IMAGE_UP
) -> np.ndarray:
    """How far ``b`` bends out of the straight line a-b-c, degrees, signed by ``up``.

    ``= 180 - joint_angle(a, b, c)`` with a + sign when ``b`` lies on the ``up`` side of the
    line a-c and - when below it. 0 = the three points in one line.

    Used for the shoulder-hip-knee line of bridges and thrusts (image up = away from the floor
    when the camera is level): negative while the hips are low (hip flexed), 0 at a straight
    lockout, positive when the hips are pushed above the line (over-extension / arching).
    """
    a, b, c = (np.asarray(p, dtype=float) for p in (a, b, c))
    dev = 180.0 - joint_angle(a, b, c)
    ac = c - a
    t = _safe_div(np.sum((b - a) * ac, axis=-1), np.sum(ac * ac, axis=-1))
    foot = a + t[..., None] * ac
    side = np.sum((b - foot) * np.broadcast_to(up, b.shape), axis=-1)
    return np.where(side >= 0, dev, -dev)


def shoulder_hip_knee_line(
    shoulder: np.ndarray, hip: np.ndarray, knee: np.ndarray, up: np.ndarray = IMAGE_UP
) -> np.ndarray:
    """Hip extension seen as the shoulder-hip-knee line, degrees (see signed_line_deviation).

    0 = shoulders, hips and knees in one line (bridge/thrust lockout), negative = hip flexed
    (hips below the line), positive = hips above the line (over-extension, usually arching).
    """
    return signed_line_deviation(shoulder, hip, knee, up)


# --- frontal plane -----------------------------------------------------------------------------
def _medial_sign(
    point: np.ndarray, line_a: np.ndarray, line_b: np.ndarray, medial_ref: np.ndarray
) -> np.ndarray:
    """+1 where ``point`` lies on the same side of line a-b as ``medial_ref``, else -1 (2D)."""

    def cross(o: np.ndarray, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        u, v = p - o, q - o
        return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]

    s_point = cross(line_a, line_b, point)
    s_ref = cross(line_a, line_b, medial_ref)
    return np.where(s_point * s_ref >= 0, 1.0, -1.0)


def knee_fppa(
    hip: np.ndarray,
    knee: np.ndarray,
    ankle: np.ndarray,
    other_hip: np.ndarray,
    min_hip_width_ratio: float = 0.15,
) -> np.ndarray:
    """2D knee frontal plane projection angle (FPPA), degrees; + = valgus (knee medial).

    Magnitude: ``180 - joint_angle(hip, knee, ankle)`` in the image, i.e. how far the
    thigh-shank line bends at the knee. Sign: + when the knee lies on the MEDIAL side of the
    hip-ankle line, where medial is taken as the side of the OTHER hip. Because medial comes from
    the body itself, the sign is right for either leg and for a front or back camera (and for a
    supine body filmed from the feet or from above) without knowing which it is.

    NaN when the hips are closer together in the image than ``min_hip_width_ratio`` x the thigh
    length: then the camera sees the body from the side and the frontal plane is not visible, so
    no valgus number is given. Image points only (x, y).
    """
    hip, knee, ankle, other_hip = (np.asarray(p, dtype=float)[..., :2]
                                   for p in (hip, knee, ankle, other_hip))
    mag = flexion_angle(hip, knee, ankle)
    sign = _medial_sign(knee, hip, ankle, other_hip)
    hip_width = _norm(other_hip - hip)
    thigh = _norm(knee - hip)
    ok = hip_width >= min_hip_width_ratio * thigh
    return np.where(ok, sign * mag, np.nan)


def knee_ankle_separation_ratio(
    left_knee: np.ndarray, right_knee: np.ndarray, left_ankle: np.ndarray,
    right_ankle: np.ndarray,
) -> np.ndarray:
    """Distance between the knees / distance between the ankles (frontal view), unitless.

    About 1 with knees over feet; below 1 the knees are closer together than the feet (both
    knees caving in, valgus); above 1 the knees are pushed out. NaN when the ankles coincide.
    """
    return _safe_div(_norm(np.asarray(left_knee, float) - np.asarray(right_knee, float)),
                     _norm(np.asarray(left_ankle, float) - np.asarray(right_ankle, float)))


def pelvis_tilt(left_hip: np.ndarray, right_hip: np.ndarray) -> np.ndarray:
    """Inclination of the hip-hip line in the image, degrees; + = LEFT hip higher.

    Frontal (front, back or from-the-feet) views only: with hips overlapping in a side view the
    number means nothing (callers gate on the view). Sign is independent of which way the
    person faces: it compares the person's own left and right hips.
    """
    lh = np.asarray(left_hip, dtype=float)[..., :2]
    rh = np.asarray(right_hip, dtype=float)[..., :2]
    d = lh - rh
    ang = np.degrees(np.arctan2(-d[..., 1], np.abs(d[..., 0])))
    return np.where(_norm(d) > _EPS, ang, np.nan)


def height_difference_ratio(
    left: np.ndarray, right: np.ndarray, scale: np.ndarray, up: np.ndarray = IMAGE_UP
) -> np.ndarray:
    """(left - right) along ``up`` divided by ``scale``: + = left point higher. Unitless.

    Works in world space too (pass a 3D ``up``); used for pelvic drop when the hips overlap in
    the image but world landmarks still separate them.
    """
    d = np.asarray(left, dtype=float) - np.asarray(right, dtype=float)
    return _safe_div(np.sum(d * np.broadcast_to(up, d.shape), axis=-1), scale)


# --- trunk -------------------------------------------------------------------------------------
def trunk_lean(mid_hip: np.ndarray, mid_shoulder: np.ndarray,
               up: np.ndarray = IMAGE_UP) -> np.ndarray:
    """Unsigned angle of the trunk (mid-hip -> mid-shoulder) from ``up``, degrees, [0, 180]."""
    return angle_to_vertical(mid_hip, mid_shoulder, up)


def lateral_shift_ratio(
    mid_hip: np.ndarray, mid_shoulder: np.ndarray, left_hip: np.ndarray, right_hip: np.ndarray
) -> np.ndarray:
    """Sideways offset of the shoulders over the hips, as a fraction of hip width; + = to the
    person's LEFT. 2D or 3D.

    The offset of mid-shoulder from mid-hip is projected on the right->left hip direction and
    divided by the hip width. Frontal views (or world points) only.
    """
    mid_hip, mid_shoulder = np.asarray(mid_hip, float), np.asarray(mid_shoulder, float)
    axis = np.asarray(left_hip, float) - np.asarray(right_hip, float)
    width = _norm(axis)
    proj = _safe_div(np.sum((mid_shoulder - mid_hip) * axis, axis=-1), width)
    return _safe_div(proj, width)


# --- hip helpers -------------------------------------------------------------------------------
def hip_abduction(hip: np.ndarray, knee: np.ndarray, other_hip: np.ndarray) -> np.ndarray:
    """Hip abduction, degrees: how far the thigh points out to the side, + = away from midline.

    ``90 - angle(thigh, lateral)`` where lateral = other_hip -> hip. 0 when the thigh is square
    to the hip line (neutral, or purely flexed), + when the knee moves outward, - when it
    crosses toward the other leg. Valid in 3D (world points) for any hip flexion, which is what
    clamshells and fire hydrants need; in 2D only from a view that shows the frontal plane.
    """
    hip = np.asarray(hip, dtype=float)
    lateral = hip - np.asarray(other_hip, dtype=float)
    return 90.0 - _angle_between(np.asarray(knee, dtype=float) - hip, lateral)


def hip_extension(shoulder: np.ndarray, hip: np.ndarray, knee: np.ndarray,
                  up: np.ndarray = IMAGE_UP) -> np.ndarray:
    """Hip extension of a supine/bridging body from a side view, degrees (0 = straight line).

    Alias of :func:`shoulder_hip_knee_line`, named for what analyzers use it for: the phase
    signal of hip thrusts and bridges (rises from about -60..-90 on the floor to 0 at lockout).
    """
    return shoulder_hip_knee_line(shoulder, hip, knee, up)


def segment_length(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance between a and b (pixels or metres); NaN if a point is not finite."""
    with np.errstate(invalid="ignore", over="ignore"):
        d = _norm(np.asarray(b, dtype=float) - np.asarray(a, dtype=float))
    return np.where(np.isfinite(d), d, np.nan)


def segment_medial_tilt(distal: np.ndarray, proximal: np.ndarray, medial_ref: np.ndarray,
                        up: np.ndarray = IMAGE_UP) -> np.ndarray:
    """Tilt of the segment distal->proximal away from ``up`` toward the midline, degrees.

    + when ``proximal`` lies on the ``medial_ref`` side of the vertical through ``distal``
    (e.g. ankle->knee with the other hip as reference: + = the knee has moved inside the foot,
    the knees caving in during a bridge seen from the feet), - when it leans outward. Image
    points; a frontal view is needed for the number to mean anything.
    """
    distal, proximal, ref = (np.asarray(p, dtype=float)[..., :2]
                             for p in (distal, proximal, medial_ref))
    mag = angle_to_vertical(distal, proximal, up)
    up2 = np.broadcast_to(np.asarray(up, dtype=float)[:2], distal.shape)
    side_dir = np.stack([-up2[..., 1], up2[..., 0]], axis=-1)  # perpendicular to up
    s_p = np.sum((proximal - distal) * side_dir, axis=-1)
    s_r = np.sum((ref - distal) * side_dir, axis=-1)
    return np.where(s_p * s_r >= 0, mag, -mag)


def segment_medial_tilt_3d(distal: np.ndarray, proximal: np.ndarray, hip: np.ndarray,
                           other_hip: np.ndarray) -> np.ndarray:
    """3D tilt of distal->proximal toward the midline, degrees (+ = medial), view-free.

    The medial direction is hip -> other_hip; the tilt is the angle between the segment and
    its projection off that axis: ``atan2(v . medial, |v - (v . medial) medial|)``. For
    ankle->knee this is how far a knee sits inside its foot whatever the camera's pitch (a
    camera looking down on a bridge from the feet), using world landmarks.
    """
    v = np.asarray(proximal, dtype=float) - np.asarray(distal, dtype=float)
    ml = np.asarray(other_hip, dtype=float) - np.asarray(hip, dtype=float)
    n = _norm(ml)
    with np.errstate(invalid="ignore", divide="ignore"):
        unit = ml / np.where(n > _EPS, n, np.nan)[..., None]
    m = np.sum(v * unit, axis=-1)
    perp = _norm(v - m[..., None] * unit)
    out = np.degrees(np.arctan2(m, perp))
    return np.where(_norm(v) > _EPS, out, np.nan)


#: "Up" for BlazePose world landmarks (y points down, in camera axes).
WORLD_UP = np.array([0.0, -1.0, 0.0])
