"""View detection on kinematic clips with known orientation, camera and facing side."""

from __future__ import annotations

import numpy as np
import pytest

from glutecv import kinematics as km
from glutecv.pose.types import PoseSequence
from glutecv.results import ViewInfo
from glutecv.view import detect_view, unsupported_metrics

T = km.timeline(2.0)
LEGS_BENT = km.BodyPose(left_leg=km.LegAngles(hip_flexion=45, knee_flexion=90),
                        right_leg=km.LegAngles(hip_flexion=45, knee_flexion=90))
QUADRUPED = km.BodyPose(left_leg=km.LegAngles(hip_flexion=90, knee_flexion=90),
                        right_leg=km.LegAngles(hip_flexion=90, knee_flexion=90),
                        left_arm=km.ArmAngles(shoulder_flexion=90),
                        right_arm=km.ArmAngles(shoulder_flexion=90))


def _bridge(view: str) -> PoseSequence:
    pose, root, _ = km.bridge_pose(km.waveform(T, km.schedule(1, start_s=0.3)))
    return km.make_sequence(pose, T, "supine", view, root=root)


@pytest.mark.parametrize("orientation,pose,view,camera,facing", [
    ("standing", km.BodyPose(), "front", "front", None),
    ("standing", km.BodyPose(), "back", "back", None),
    ("standing", km.BodyPose(), "side_left", "side", "left"),
    ("standing", km.BodyPose(), "side_right", "side", "right"),
    ("standing", km.BodyPose(), "oblique", "oblique", "left"),
    ("quadruped", QUADRUPED, "side_left", "side", "left"),
    ("quadruped", QUADRUPED, "back", "back", None),
    ("side_lying", LEGS_BENT, "front", "front", None),
    ("side_lying", LEGS_BENT, "back", "back", None),
])
def test_orientation_camera_and_facing_side(orientation, pose, view, camera, facing):
    v = detect_view(km.make_sequence(pose, T, orientation, view))
    assert (v.orientation, v.camera) == (orientation, camera)
    if facing is not None:
        assert v.facing_side == facing
    assert v.confidence > 0.5


@pytest.mark.parametrize("view,camera", [("side_left", "side"), ("side_right", "side"),
                                         ("front", "front"), ("oblique", "oblique")])
def test_supine_bridge_views(view, camera):
    v = detect_view(_bridge(view))
    assert (v.orientation, v.camera) == ("supine", camera)


def test_unsupported_metrics_say_why():
    side = ViewInfo(camera="side")
    out = unsupported_metrics(side, ("knee_valgus", "lumbar_extension"))
    assert set(out) == {"knee_valgus"} and "front or back" in out["knee_valgus"]
    front = unsupported_metrics(ViewInfo(camera="front"), ("knee_valgus", "lumbar_extension"))
    assert set(front) == {"lumbar_extension"}
    assert set(unsupported_metrics(ViewInfo(), ("knee_valgus",))) == {"knee_valgus"}


def test_empty_and_undetected_sequences():
    seq = km.make_sequence(km.BodyPose(), T, "standing", "front")
    nan = seq.with_arrays(image=np.full_like(seq.image, np.nan),
                          world=np.full_like(seq.world, np.nan),
                          visibility=np.zeros_like(seq.visibility))
    assert detect_view(nan) == ViewInfo()
    assert detect_view(seq.slice(0, 0)) == ViewInfo()


def test_deep_squat_leaning_forward_is_still_standing():
    legs = km.LegAngles(hip_flexion=110, knee_flexion=120, ankle_dorsiflexion=30)
    squat = km.BodyPose(left_leg=legs, right_leg=legs, pelvis_tilt=55,
                        left_arm=km.ArmAngles(shoulder_flexion=90),
                        right_arm=km.ArmAngles(shoulder_flexion=90))
    v = detect_view(km.make_sequence(squat, T, "standing", "side_left"))
    assert v.orientation == "standing"


def test_hip_thrust_on_a_bench_is_supine_at_the_bottom_too():
    pose, root, _ = km.bridge_pose(np.zeros(T.size), bench_height=0.4, bottom_hip_height=0.12)
    v = detect_view(km.make_sequence(pose, T, "supine", "side_left", root=root))
    assert v.orientation == "supine"
