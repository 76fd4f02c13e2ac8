"""A small kinematic body model that makes landmark clips with KNOWN angles, for tests.

No rendering: joint angles -> 3D positions of the 33 BlazePose landmarks -> a pinhole camera
-> a :class:`~glutecv.pose.PoseSequence` exactly like one from the pose model, plus the true
angles. Then damage it (noise, outliers, dropouts, timestamp jitter) and check that an analyzer
still finds what was scripted.

How to script an exercise (a clamshell, say)::

    import numpy as np
    from glutecv import kinematics as km

    t = km.timeline(12.0, fps=30)                       # frame times, s
    w = km.waveform(t, km.schedule(4, start_s=1.5, up_s=0.8, hold_s=0.4, down_s=0.8,
                                   amplitudes=[1, 1, 0.4, 1]))  # rep 3 is a partial rep
    opening = km.lerp(0.0, 40.0, w)                     # degrees, the knee opens to 40
    top = km.LegAngles(hip_flexion=45, knee_flexion=90, hip_abduction=opening)
    bottom = km.LegAngles(hip_flexion=45, knee_flexion=90)
    pose = km.BodyPose(left_leg=top, right_leg=bottom,
                       pelvis_rotation=-0.3 * opening)  # pelvis rolls back: a fault
    seq = km.make_sequence(pose, t, "side_lying", "front")
    seq = km.add_noise(seq, px=2.0)
    seq = km.add_dropouts(seq, [(5.0, 5.2)])            # person lost for 0.2 s

Angles may be scalars or per-frame arrays (all broadcast to the clip length). Orientations:
``standing``, ``supine``, ``side_lying`` (left side up), ``side_lying_left``, ``quadruped``;
camera views: ``front``, ``back``, ``side_left``/``side``, ``side_right``, ``oblique``,
``oblique_right``, ``above`` (see :mod:`glutecv.kinematics.scene` for what each means per
orientation). For bridges and thrusts with planted feet use :func:`bridge_pose`
(:mod:`glutecv.kinematics.bridge` is also a worked example of a closed-chain script).
Conventions for every angle are in :mod:`glutecv.kinematics.body`.
"""

from __future__ import annotations

import numpy as np

from glutecv.kinematics.body import (
    DEFAULT_DIMS,
    ArmAngles,
    BodyDims,
    BodyPose,
    LegAngles,
    body_points,
)
from glutecv.kinematics.bridge import bridge_pose, shank_medial_tilt
from glutecv.kinematics.motion import (
    RepSpec,
    add_dropouts,
    add_noise,
    add_outliers,
    ease,
    fidget,
    jitter_timestamps,
    lerp,
    schedule,
    timeline,
    waveform,
)
from glutecv.kinematics.scene import Camera, camera_for, film, orientation_matrix, place
from glutecv.landmarks import Landmark
from glutecv.pose.types import PoseSequence

_DEFAULT_ANCHOR = {
    "standing": (Landmark.LEFT_ANKLE, Landmark.RIGHT_ANKLE),
    "supine": (Landmark.LEFT_SHOULDER, Landmark.RIGHT_SHOULDER),
}


def world_points(pose: BodyPose, t_s: np.ndarray, orientation: str,
                 root: np.ndarray | None = None, anchor: tuple[Landmark, ...] | None = None,
                 dims: BodyDims = DEFAULT_DIMS) -> np.ndarray:
    """World landmark positions (N, 33, 3) of a scripted pose (see :func:`place`)."""
    n = len(t_s)
    body = body_points(pose, dims)
    if body.shape[0] == 1 and n > 1:
        body = np.repeat(body, n, axis=0)
    if root is None and anchor is None:
        anchor = _DEFAULT_ANCHOR.get(orientation)
    return place(body, orientation, root=root, anchor=anchor)


def make_sequence(pose: BodyPose, t_s: np.ndarray, orientation: str, view: str,
                  root: np.ndarray | None = None, anchor: tuple[Landmark, ...] | None = None,
                  dims: BodyDims = DEFAULT_DIMS, distance: float | None = None,
                  elevation_deg: float = 10.0, width: int = 1280, height: int = 720,
                  far_visibility: float = 0.9) -> PoseSequence:
    """Film a scripted pose: a :class:`PoseSequence` with the camera aimed at the mid-hip of
    the first frame. ``distance`` defaults to 3.5 m standing, 2.8 m otherwise."""
    pts = world_points(pose, t_s, orientation, root, anchor, dims)
    target = (pts[0, Landmark.LEFT_HIP] + pts[0, Landmark.RIGHT_HIP]) / 2
    dist = distance if distance is not None else (3.5 if orientation == "standing" else 2.8)
    cam = camera_for(view, orientation, target, dist, elevation_deg, width, height)
    return film(pts, t_s, cam, far_visibility=far_visibility,
                meta={"source": "glutecv.kinematics", "orientation": orientation,
                      "view": view})


__all__ = [
    "ArmAngles", "BodyDims", "BodyPose", "Camera", "LegAngles", "RepSpec", "add_dropouts",
    "add_noise", "add_outliers", "body_points", "bridge_pose", "camera_for", "ease", "fidget",
    "film", "jitter_timestamps", "lerp", "make_sequence", "orientation_matrix", "place",
    "schedule", "shank_medial_tilt", "timeline", "waveform", "world_points",
]
