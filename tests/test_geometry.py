"""Geometry on points with known answers, plus property tests on hostile input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from glutecv import geometry as g
from glutecv import kinematics as km
from glutecv.landmarks import Landmark as L


def test_joint_angle_2d_3d_and_vectorised():
    a, b = np.array([1.0, 0.0]), np.array([0.0, 0.0])
    assert g.joint_angle(a, b, np.array([0.0, 1.0])) == pytest.approx(90.0)
    assert g.joint_angle(a, b, np.array([-1.0, 0.0])) == pytest.approx(180.0)
    a3 = np.array([[1.0, 0, 0], [1, 0, 0]])
    c3 = np.array([[0.0, 0, 1], [1, 1, 0]])
    np.testing.assert_allclose(g.joint_angle(a3, np.zeros((2, 3)), c3), [90.0, 45.0])
    assert g.flexion_angle(np.array([0.0, -1]), b, np.array([0.0, 1])) == pytest.approx(0.0)


def test_degenerate_and_missing_points_give_nan():
    z = np.zeros(2)
    assert np.isnan(g.joint_angle(z, z, np.array([1.0, 0])))
    assert np.isnan(g.joint_angle(np.array([np.nan, 0]), z, np.array([1.0, 0])))
    assert np.isnan(g.angle_to_horizontal(z, z))


def test_angle_to_vertical_and_horizontal_signs():
    assert g.angle_to_vertical(np.array([0.0, 0]), np.array([0.0, -5])) == pytest.approx(0)
    assert g.angle_to_vertical(np.array([0.0, 0]), np.array([5.0, 0])) == pytest.approx(90)
    # right point higher (smaller y) -> positive, independent of order
    a, b = np.array([0.0, 0]), np.array([10.0, -10])
    assert g.angle_to_horizontal(a, b) == pytest.approx(45)
    assert g.angle_to_horizontal(b, a) == pytest.approx(45)


def test_signed_line_deviation_and_hip_extension():
    sh, kn = np.array([0.0, 0]), np.array([10.0, 0])
    assert g.shoulder_hip_knee_line(sh, np.array([5.0, 0]), kn) == pytest.approx(0)
    up = g.shoulder_hip_knee_line(sh, np.array([5.0, -5]), kn)   # hip above (image up)
    down = g.shoulder_hip_knee_line(sh, np.array([5.0, 5]), kn)
    assert up == pytest.approx(90) and down == pytest.approx(-90)
    w = g.hip_extension(np.array([0.0, 0, 0]), np.array([5.0, -5, 0]), np.array([10.0, 0, 0]),
                        g.WORLD_UP)
    assert w == pytest.approx(90)


def _standing_front(valgus_left: float, valgus_right: float, view: str) -> dict:
    pose = km.BodyPose(left_leg=km.LegAngles(knee_valgus=valgus_left, knee_flexion=1e-3),
                       right_leg=km.LegAngles(knee_valgus=valgus_right, knee_flexion=1e-3))
    seq = km.make_sequence(pose, np.array([0.0]), "standing", view, distance=6.0)
    return g.visible_points(seq, list(L))


@pytest.mark.parametrize("view", ["front", "back"])
def test_fppa_sign_is_valgus_positive_for_both_legs_front_and_back(view):
    p = _standing_front(12.0, -8.0, view)
    left = g.knee_fppa(p[L.LEFT_HIP], p[L.LEFT_KNEE], p[L.LEFT_ANKLE], p[L.RIGHT_HIP])
    right = g.knee_fppa(p[L.RIGHT_HIP], p[L.RIGHT_KNEE], p[L.RIGHT_ANKLE], p[L.LEFT_HIP])
    assert left[0] == pytest.approx(12.0, abs=0.5)
    assert right[0] == pytest.approx(-8.0, abs=0.5)


def test_fppa_is_nan_from_a_side_view():
    p = _standing_front(12.0, 0.0, "side_left")
    v = g.knee_fppa(p[L.LEFT_HIP], p[L.LEFT_KNEE], p[L.LEFT_ANKLE], p[L.RIGHT_HIP])
    assert np.isnan(v[0])


def test_knee_ankle_ratio_pelvis_tilt_and_lateral_shift():
    r = g.knee_ankle_separation_ratio(np.array([1.0, 0]), np.array([-1.0, 0]),
                                      np.array([2.0, 5]), np.array([-2.0, 5]))
    assert r == pytest.approx(0.5)
    # person facing the camera: left hip on image right; left hip higher -> +
    assert g.pelvis_tilt(np.array([10.0, -1]), np.array([0.0, 0])) == pytest.approx(
        np.degrees(np.arctan2(1, 10)))
    # same from behind (left hip on image left): sign unchanged
    assert g.pelvis_tilt(np.array([0.0, -1]), np.array([10.0, 0])) == pytest.approx(
        np.degrees(np.arctan2(1, 10)))
    shift = g.lateral_shift_ratio(np.array([0.0, 0]), np.array([2.0, -10]),
                                  np.array([5.0, 0]), np.array([-5.0, 0]))
    assert shift == pytest.approx(0.2)


def test_hip_abduction_in_3d_is_independent_of_flexion():
    hip, other = np.array([0.1, 0, 0]), np.array([-0.1, 0, 0])
    for flex in (0.0, 45.0, 90.0):
        pose = km.BodyPose(left_leg=km.LegAngles(hip_flexion=flex, hip_abduction=30.0))
        pts = km.body_points(pose)[0]
        v = g.hip_abduction(pts[L.LEFT_HIP], pts[L.LEFT_KNEE], pts[L.RIGHT_HIP])
        assert v == pytest.approx(30.0, abs=0.01), flex
    assert g.hip_abduction(hip, np.array([0.1, -1, 0]), other) == pytest.approx(0.0)


def test_segment_medial_tilt_sign():
    ankle, other_hip = np.array([10.0, 100]), np.array([0.0, 0])
    assert g.segment_medial_tilt(ankle, np.array([5.0, 50]), other_hip) > 0   # knee inside
    assert g.segment_medial_tilt(ankle, np.array([15.0, 50]), other_hip) < 0  # knee outside


def test_visible_points_gates_low_visibility_and_nonfinite():
    pose = km.BodyPose()
    seq = km.make_sequence(pose, np.arange(3) / 30, "standing", "front")
    vis = seq.visibility.copy()
    vis[1, L.LEFT_KNEE] = 0.2
    vis[2, L.LEFT_KNEE] = np.nan
    seq = seq.with_arrays(visibility=vis)
    p = g.visible_points(seq, [L.LEFT_KNEE], 0.5)[L.LEFT_KNEE]
    assert np.isfinite(p[0]).all() and np.isnan(p[1]).all() and np.isnan(p[2]).all()
    assert p.shape == (3, 2)
    w = g.visible_points(seq[0], [L.LEFT_KNEE], 0.5, space="world")[L.LEFT_KNEE]
    assert w.shape == (3,)


finite_or_not = st.floats(allow_nan=True, allow_infinity=True, width=64)
points = arrays(np.float64, (5, 2), elements=finite_or_not)


@settings(max_examples=200, deadline=None)
@given(points, points, points, points)
def test_property_no_exception_and_angles_in_range(a, b, c, d):
    with np.errstate(all="ignore"):
        for v, lo, hi in ((g.joint_angle(a, b, c), 0, 180),
                          (g.knee_fppa(a, b, c, d), -180, 180),
                          (g.shoulder_hip_knee_line(a, b, c), -180, 180),
                          (g.pelvis_tilt(a, b), -90, 90),
                          (g.segment_medial_tilt(a, b, c), -180, 180)):
            assert v.shape == (5,)
            ok = np.isfinite(v)
            assert np.all((v[ok] >= lo - 1e-9) & (v[ok] <= hi + 1e-9))
        # a result is never finite when one of its inputs was not
        bad = ~np.all(np.isfinite(a) & np.isfinite(b) & np.isfinite(c), axis=-1)
        assert not np.any(np.isfinite(g.joint_angle(a, b, c))[bad])


def test_segment_medial_tilt_3d_matches_the_kinematic_truth_whatever_the_rotation():
    t = np.zeros(1)
    pose, root, _ = km.bridge_pose(np.ones(1), knee_cave_deg=12.0)
    w = km.world_points(pose, t, "supine", root=root)
    truth = km.shank_medial_tilt(w, "left")[0]
    assert truth > 5
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))   # any rotation of the whole scene
    r = w[0] @ q.T
    v = g.segment_medial_tilt_3d(r[L.LEFT_ANKLE], r[L.LEFT_KNEE], r[L.LEFT_HIP], r[L.RIGHT_HIP])
    assert v == pytest.approx(truth, abs=0.5)
