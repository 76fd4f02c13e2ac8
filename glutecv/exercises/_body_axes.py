"""Body-fixed axes and rotations for lying and kneeling exercises (clamshell, fire hydrant).

Helpers shared by the analysis-more analyzers (clamshell, fire hydrant, squat, lunge); pure numpy
on world landmarks (metres, BlazePose axes: x right, y DOWN, z away from the camera, so "down" is
``+y`` as long as the camera is roughly level). Vectors are ``(..., 3)``; NaN in, NaN out.

The idea: a lying or kneeling body is described in a frame made of its long axis (hips <->
shoulders) and gravity. Rotations of the pelvis about the long axis (a clamshell's roll-back),
sideways tilts of the hip line (a fire hydrant's hip hike) and sideways movement of a leg
(abduction) are then angles in the plane perpendicular to the long axis, the same whichever way
the camera looks at the body.
"""

from __future__ import annotations

import numpy as np

WORLD_DOWN = np.array([0.0, 1.0, 0.0])


def unit(v: np.ndarray) -> np.ndarray:
    """``v`` scaled to length 1 (NaN where its length is ~0)."""
    v = np.asarray(v, dtype=float)
    n = np.sqrt(np.sum(v * v, axis=-1, keepdims=True))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1e-9, v / np.where(n > 1e-9, n, 1.0), np.nan)


def dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise dot product."""
    return np.sum(np.asarray(a, dtype=float) * np.asarray(b, dtype=float), axis=-1)


def reject(v: np.ndarray, axis_unit: np.ndarray) -> np.ndarray:
    """The part of ``v`` perpendicular to the unit vector ``axis_unit``."""
    v = np.asarray(v, dtype=float)
    return v - dot(v, axis_unit)[..., None] * axis_unit


def angle_between(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Unsigned angle between vectors, degrees in [0, 180]; NaN for a zero or NaN vector."""
    c = dot(unit(a), unit(b))
    with np.errstate(invalid="ignore"):
        return np.degrees(np.arccos(np.clip(c, -1.0, 1.0)))


def cross_section_axes(long_axis: np.ndarray,
                       down: np.ndarray = WORLD_DOWN) -> tuple[np.ndarray, np.ndarray]:
    """Unit ``(a, d)``: the long axis and gravity's "down" made perpendicular to it.

    Angles in the body's cross-section (the plane perpendicular to ``a``) are measured from
    ``d``. NaN when the long axis is vertical (then the body is not lying or kneeling).
    """
    a = unit(long_axis)
    d = unit(reject(np.broadcast_to(down, a.shape), a))
    return a, d


def signed_angle_in_plane(v: np.ndarray, ref: np.ndarray, toward: np.ndarray,
                          normal: np.ndarray) -> np.ndarray:
    """Angle of ``v`` from ``ref`` in the plane perpendicular to ``normal``, degrees in
    (-180, 180], positive when ``v`` turns from ``ref`` toward ``toward``.

    ``ref`` and ``toward`` need not be perpendicular; ``toward`` only picks the sign axis.
    """
    n = unit(normal)
    r = unit(reject(ref, n))
    s = unit(reject(reject(toward, n), r))
    vp = reject(v, n)
    return np.degrees(np.arctan2(dot(vp, s), dot(vp, r)))


