"""The kinematic body model used by every analyzer test: its conventions, checked."""

from __future__ import annotations

import numpy as np
import pytest

from glutecv import geometry as g
from glutecv import kinematics as km
from glutecv.landmarks import Landmark as L


def pts(**kw) -> np.ndarray:
    return km.body_points(km.BodyPose(**kw))[0]


def test_joint_angles_come_back_out_of_the_landmarks():
    for flex, knee in ((0, 0), (30, 60), (90, 90), (120, 135)):
        p = pts(left_leg=km.LegAngles(hip_flexion=flex, knee_flexion=knee))
        hip_flex = g.flexion_angle(p[L.LEFT_SHOULDER] * [0, 1, 1] + [0.13, 0, 0],
                                   p[L.LEFT_HIP], p[L.LEFT_KNEE])
        assert hip_flex == pytest.approx(flex, abs=0.5)
        assert g.flexion_angle(p[L.LEFT_HIP], p[L.LEFT_KNEE], p[L.LEFT_ANKLE]) == \
            pytest.approx(knee, abs=0.01)


def test_sign_conventions_of_the_body_frame():
    base = pts()
    assert pts(left_leg=km.LegAngles(hip_flexion=45))[L.LEFT_KNEE, 2] > 0.2        # forward
    assert pts(left_leg=km.LegAngles(hip_abduction=30))[L.LEFT_KNEE, 0] > \
        base[L.LEFT_KNEE, 0] + 0.15                                                # outward
    assert pts(right_leg=km.LegAngles(hip_abduction=30))[L.RIGHT_KNEE, 0] < \
        base[L.RIGHT_KNEE, 0] - 0.15
    bent = km.LegAngles(hip_flexion=90, knee_flexion=90)
    internal = pts(left_leg=km.LegAngles(hip_flexion=90, knee_flexion=90, hip_rotation=30))
    assert internal[L.LEFT_ANKLE, 0] > pts(left_leg=bent)[L.LEFT_ANKLE, 0] + 0.1    # foot out
    assert pts(pelvis_obliquity=10)[L.LEFT_HIP, 1] > pts(pelvis_obliquity=10)[L.RIGHT_HIP, 1]
    assert pts(pelvis_rotation=10)[L.LEFT_HIP, 2] > 0.01
    assert pts(lumbar_extension=20)[L.LEFT_SHOULDER, 2] < -0.1                     # leans back
    assert pts(trunk_lateral_bend=20)[L.LEFT_SHOULDER, 0] > base[L.LEFT_SHOULDER, 0] + 0.1
    assert pts()[L.NOSE, 2] > 0.05                                                 # faces +z


def test_vectorised_over_frames_and_placed_in_the_world():
    t = km.timeline(2.0)
    flex = km.lerp(0, 90, km.waveform(t, km.schedule(1, start_s=0.2)))
    pose = km.BodyPose(left_leg=km.LegAngles(hip_flexion=flex))
    w = km.world_points(pose, t, "standing")
    assert w.shape == (len(t), 33, 3)
    assert np.nanmin(w[..., 1]) == pytest.approx(0.0, abs=1e-9)                   # on the floor
    heel = w[:, L.RIGHT_ANKLE]
    np.testing.assert_allclose(heel - heel[0], 0.0, atol=0.02)    # the anchored feet stay
    supine = km.world_points(km.BodyPose(), t[:1], "supine")[0]
    assert supine[L.NOSE, 1] > supine[L.LEFT_SHOULDER, 1]                         # face up


def test_camera_image_conventions():
    seq = km.make_sequence(km.BodyPose(), np.array([0.0]), "standing", "front")
    im = seq.image[0]
    assert im[L.LEFT_HIP, 0] > im[L.RIGHT_HIP, 0]        # facing us: their left on our right
    assert im[L.NOSE, 1] < im[L.LEFT_HIP, 1] < im[L.LEFT_ANKLE, 1]   # y down
    back = km.make_sequence(km.BodyPose(), np.array([0.0]), "standing", "back").image[0]
    assert back[L.LEFT_HIP, 0] < back[L.RIGHT_HIP, 0]
    side = km.make_sequence(km.BodyPose(), np.array([0.0]), "standing", "side_left")
    assert side.visibility[0, L.RIGHT_HIP] < side.visibility[0, L.LEFT_HIP]   # far side
    assert np.allclose(side.world[0, L.LEFT_HIP] + side.world[0, L.RIGHT_HIP], 0.0)


def test_bridge_script_keeps_shoulders_and_feet_planted_and_hits_its_truth():
    t = km.timeline(3.0)
    w = km.waveform(t, km.schedule(1, start_s=0.5, hold_s=0.5))
    pose, root, truth = km.bridge_pose(w, overshoot_deg=10.0)
    p = km.world_points(pose, t, "supine", root=root)
    for lm in (L.LEFT_SHOULDER, L.LEFT_ANKLE, L.RIGHT_ANKLE):
        assert np.ptp(p[:, lm], axis=0).max() < 0.02, lm.name
    top = int(np.argmax(w))
    yz = p[top, :, 1:]   # the sagittal plane (world Y up, Z along the body)
    line = g.shoulder_hip_knee_line(yz[L.LEFT_SHOULDER], yz[L.LEFT_HIP], yz[L.LEFT_KNEE],
                                    np.array([1.0, 0.0]))
    assert line == pytest.approx(10.0, abs=0.5) == truth["line_deviation_deg"][top]


def test_corruption_helpers():
    t = km.timeline(2.0)
    seq = km.make_sequence(km.BodyPose(), t, "standing", "front")
    lost = km.add_dropouts(seq, [(0.5, 0.7)])
    assert (~lost.detected).sum() == pytest.approx(0.2 * 30, abs=1.5)
    unsure = km.add_dropouts(seq, [(0.5, 0.7)], [L.LEFT_KNEE], visibility=0.2)
    assert np.isfinite(unsure.image[:, L.LEFT_KNEE]).all()
    assert unsure.visibility[20, L.LEFT_KNEE] == 0.2
    noisy = km.add_noise(seq, px=2.0)
    assert np.std(noisy.image[..., :2] - seq.image[..., :2]) == pytest.approx(2.0, rel=0.1)
    assert np.all(np.diff(km.jitter_timestamps(seq, 0.01).t_s) > 0)
    spikes = km.add_outliers(seq, fraction=0.05)
    assert 0.02 < np.mean(np.any(spikes.image != seq.image, axis=-1)) < 0.08
