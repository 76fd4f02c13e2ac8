"""Shared fixtures for the overlay tests: a standing pose, states and a small result."""

from __future__ import annotations

import numpy as np

from glutecv.landmarks import NUM_LANDMARKS, Landmark
from glutecv.pose.types import PoseFrame
from glutecv.results import AnalysisResult, Fault, FrameState, Rep, ViewInfo

# A person standing facing the camera in a 1280x720 frame (pixels; x right, y down).
_STANDING = {
    Landmark.NOSE: (640, 120), Landmark.LEFT_EYE: (655, 110), Landmark.RIGHT_EYE: (625, 110),
    Landmark.LEFT_EAR: (672, 118), Landmark.RIGHT_EAR: (608, 118),
    Landmark.LEFT_SHOULDER: (710, 200), Landmark.RIGHT_SHOULDER: (570, 200),
    Landmark.LEFT_ELBOW: (730, 300), Landmark.RIGHT_ELBOW: (550, 300),
    Landmark.LEFT_WRIST: (740, 390), Landmark.RIGHT_WRIST: (540, 390),
    Landmark.LEFT_HIP: (690, 400), Landmark.RIGHT_HIP: (590, 400),
    Landmark.LEFT_KNEE: (700, 530), Landmark.RIGHT_KNEE: (580, 530),
    Landmark.LEFT_ANKLE: (705, 650), Landmark.RIGHT_ANKLE: (575, 650),
    Landmark.LEFT_HEEL: (700, 665), Landmark.RIGHT_HEEL: (580, 665),
    Landmark.LEFT_FOOT_INDEX: (725, 675), Landmark.RIGHT_FOOT_INDEX: (555, 675),
}


def standing_pose(scale: float = 1.0, visibility: float = 0.95, t_s: float = 0.0) -> PoseFrame:
    """The standing pose scaled by ``scale`` (1.0 = for 1280x720); unnamed points are NaN."""
    image = np.full((NUM_LANDMARKS, 3), np.nan)
    for lm, (x, y) in _STANDING.items():
        image[lm] = (x * scale, y * scale, 0.0)
    vis = np.where(np.isfinite(image[:, 0]), visibility, 0.0)
    return PoseFrame(t_s, image, np.zeros((NUM_LANDMARKS, 3)), vis, vis.copy())


def valgus_rep(index: int = 1, start: float = 1.0) -> Rep:
    fault = Fault("knee_valgus", 14.2, 10.0, "deg", "knee caved in by 14 deg (limit 10)")
    return Rep(index, "both", start, start + 1.0, start + 2.0,
               {"hip_extension_deg": 172.0, "rom_deg": 64.0}, (fault,))


def good_rep(index: int = 1, start: float = 1.0) -> Rep:
    return Rep(index, "both", start, start + 1.0, start + 2.0,
               {"hip_extension_deg": 178.0, "rom_deg": 70.0}, ())


def small_result(duration: float = 10.0, fps: float = 30.0) -> AnalysisResult:
    """A hip thrust clip with three reps (good, valgus, good) and hip/knee series."""
    n = int(duration * fps)
    t = np.arange(n) / fps
    hip = 120 + 55 * np.clip(np.sin(2 * np.pi * (t - 1.0) / 3.0), 0, None)
    reps = (good_rep(1, 1.0), valgus_rep(2, 4.0), good_rep(3, 7.0))
    return AnalysisResult(
        source="synthetic.mp4", video={"width": 1280, "height": 720, "fps": fps, "frames": n,
                                       "duration_s": duration},
        exercise="hip_thrust", exercise_source="given", exercise_confidence=1.0,
        view=ViewInfo(camera="side", orientation="supine"), reps=reps,
        series={"t_s": t.tolist(), "hip_extension_left_deg": hip.tolist(),
                "knee_valgus_left_deg": (4 + 0 * t).tolist(), "phase": [1.0] * n},
        thresholds={"knee_valgus_deg": 10.0}, display={"hip_extension_left_deg": "L hip",
                                                       "knee_valgus_left_deg": "L knee valgus"},
    )


def state(**kw: object) -> FrameState:
    """A FrameState with sensible defaults for the overlay tests."""
    base: dict[str, object] = dict(t_s=5.0, pose_ok=True, phase="rising",
                                   angles={"L hip": 150.0, "R knee": 92.0},
                                   rep_counts={"both": 2})
    base.update(kw)
    return FrameState(**base)  # type: ignore[arg-type]


def frame(width: int = 1280, height: int = 720, value: int = 90) -> np.ndarray:
    """A flat grey BGR uint8 frame."""
    return np.full((height, width, 3), value, np.uint8)
