"""Synthetic stick-figure bodies (pixel landmarks) for the person-tracking tests.

A body is drawn from a few joint positions so that it moves like a person: squatting lowers
the hips, pushes them back and bends the knees forward, while the feet stay put and the torso
keeps its length. Two such bodies can stand side by side, cross, or be missed by the "model"
in chosen frames, and the tests know which one is the exerciser in every frame.
"""

from __future__ import annotations

import numpy as np

from glutecv.landmarks import NUM_LANDMARKS, Landmark
from glutecv.pose.types import PoseFrame

L = Landmark


def stick_body(cx: float, floor_y: float, height: float, squat: float = 0.0) -> np.ndarray:
    """(33, 3) pixel landmarks of a person ``height`` px tall, feet at ``floor_y``.

    ``cx`` is the x of the feet's midpoint; ``squat`` in [0, 1] is the squat depth (0 standing).
    """
    h = height
    pts = np.zeros((NUM_LANDMARKS, 3))
    half = 0.08 * h  # half the stance / hip width

    def put(left: L, right: L, x: float, y: float, spread: float = half) -> None:
        pts[left, :2] = (x + spread, y)  # the person faces the camera: their left is image right
        pts[right, :2] = (x - spread, y)

    hip_x, hip_y = cx - 0.10 * h * squat, floor_y - 0.50 * h + 0.25 * h * squat
    knee_x, knee_y = cx + 0.10 * h * squat, floor_y - 0.26 * h + 0.02 * h * squat
    lean = 0.12 * h * squat  # the trunk leans forward as the hips go back
    sh_x, sh_y = hip_x + lean, hip_y - np.sqrt((0.30 * h) ** 2 - lean ** 2)
    put(L.LEFT_ANKLE, L.RIGHT_ANKLE, cx, floor_y)
    put(L.LEFT_HEEL, L.RIGHT_HEEL, cx - 0.02 * h, floor_y + 0.01 * h)
    put(L.LEFT_FOOT_INDEX, L.RIGHT_FOOT_INDEX, cx + 0.05 * h, floor_y + 0.02 * h)
    put(L.LEFT_KNEE, L.RIGHT_KNEE, knee_x, knee_y)
    put(L.LEFT_HIP, L.RIGHT_HIP, hip_x, hip_y, 0.06 * h)
    put(L.LEFT_SHOULDER, L.RIGHT_SHOULDER, sh_x, sh_y, 0.10 * h)
    put(L.LEFT_ELBOW, L.RIGHT_ELBOW, sh_x + 0.02 * h, sh_y + 0.15 * h, 0.12 * h)
    put(L.LEFT_WRIST, L.RIGHT_WRIST, sh_x + 0.04 * h, sh_y + 0.28 * h, 0.12 * h)
    for left, right in ((L.LEFT_PINKY, L.RIGHT_PINKY), (L.LEFT_INDEX, L.RIGHT_INDEX),
                        (L.LEFT_THUMB, L.RIGHT_THUMB)):
        put(left, right, sh_x + 0.05 * h, sh_y + 0.31 * h, 0.12 * h)
    head_y = sh_y - 0.10 * h
    pts[L.NOSE, :2] = (sh_x, head_y)
    for k, landmark in enumerate(range(L.LEFT_EYE_INNER, L.MOUTH_RIGHT + 1)):
        pts[landmark, :2] = (sh_x + (-1) ** k * 0.02 * h, head_y - 0.01 * h * (k % 3))
    return pts


VISIBLE = np.ones(NUM_LANDMARKS)


def pose(image: np.ndarray, i: int, fps: float = 30.0) -> PoseFrame:
    """A detected PoseFrame of ``image`` at frame ``i``."""
    return PoseFrame(i / fps, image, np.zeros((NUM_LANDMARKS, 3)), VISIBLE, VISIBLE, i)


def squat_depth(i: int, period: int = 30) -> float:
    """Squat depth in [0, 1] at frame ``i``: one rep every ``period`` frames."""
    return float(0.5 - 0.5 * np.cos(2 * np.pi * i / period))


def hip_x(p: PoseFrame | None) -> float:
    """Mid-hip x in pixels of a chosen body (NaN for None)."""
    if p is None:
        return float("nan")
    return float(p.image[[L.LEFT_HIP, L.RIGHT_HIP], 0].mean())
