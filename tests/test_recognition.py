"""``--exercise auto``: recognition of every exercise from scripted clips."""

from __future__ import annotations

import numpy as np
import pytest
from motions_more import clamshell, fire_hydrant, lunge, rep_plan, squat

from glutecv import kinematics as km
from glutecv.exercises import names
from glutecv.recognition import Recognition, recognise, shoulder_travel


def _bridge(view: str, bench: float = 0.0, free: str | None = None):
    t, reps = rep_plan(3)
    w = km.waveform(t, reps)
    pose, root, _ = km.bridge_pose(w, bench_height=bench,
                                   bottom_hip_height=0.15 if bench else 0.0, free_leg=free)
    return km.make_sequence(pose, t, "supine", view, root=root)


CASES = [
    ("clamshell", lambda: clamshell(3, "left", "front")),
    ("clamshell", lambda: clamshell(3, "right", "oblique")),
    ("fire_hydrant", lambda: fire_hydrant(3, "left", "back")),
    ("fire_hydrant", lambda: fire_hydrant(3, "right", "oblique")),
    ("fire_hydrant", lambda: fire_hydrant(3, "left", "side_left")),
    ("squat", lambda: squat(3, "front")),
    ("squat", lambda: squat(3, "side")),
    ("squat", lambda: squat(3, "oblique")),
    ("lunge", lambda: lunge(3, "left", "front")),
    ("lunge", lambda: lunge(3, ["right", "left", "right"], "side")),
    ("lunge", lambda: lunge(3, "right", "oblique")),
    ("glute_bridge", lambda: _bridge("side_left")),
    ("glute_bridge", lambda: _bridge("side_right")),
    ("hip_thrust", lambda: _bridge("side_left", bench=0.4)),
    ("single_leg_glute_bridge", lambda: _bridge("side_left", free="left")),
    ("single_leg_glute_bridge", lambda: _bridge("side_right", free="right")),
]


@pytest.mark.parametrize("truth,make", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_recognises_each_exercise(truth, make):
    guess = recognise(km.add_noise(make(), px=1.5, world_m=0.003, seed=1))
    assert isinstance(guess, Recognition) and isinstance(guess, tuple)
    assert guess.exercise == truth, guess.reason
    assert guess.exercise in names()
    assert 0.5 <= guess.confidence <= 1.0
    assert guess.reason


def test_nobody_in_view_is_not_a_confident_guess():
    seq = km.add_dropouts(squat(2, "front"), [(0.0, 1e9)])
    guess = recognise(seq)
    assert guess.confidence == 0.0 and "no person" in guess.reason


@pytest.mark.parametrize("view", ["front", "oblique"])
@pytest.mark.parametrize("elevation", [10.0, 30.0])
def test_heel_supported_bridge_filmed_from_raised_feet_is_not_a_thrust(view, elevation):
    # legs nearly straight at the top (20 deg knee flexion), shoulders on the floor; from a
    # camera raised at the feet the far shoulders look high in the picture, as on a bench
    t, reps = rep_plan(3)
    pose, root, _ = km.bridge_pose(km.waveform(t, reps), knee_top_deg=20.0)
    seq = km.make_sequence(pose, t, "supine", view, root=root, elevation_deg=elevation)
    guess = recognise(km.add_noise(seq, px=1.5, world_m=0.003, seed=1))
    assert guess.exercise == "glute_bridge", guess.reason
    assert "nearly straight" in guess.reason  # the shoulders did look raised (> 0.45 thighs)
    assert guess.confidence >= 0.5


def _with_left_ankle_raised(seq, t, height_m):
    """``seq`` with the left ankle ``height_m(t)`` metres higher in the world landmarks."""
    world = seq.world.copy()
    world[:, km.Landmark.LEFT_ANKLE, 1] -= height_m  # world y points down
    return seq.with_arrays(world=world)


def test_far_ankle_placed_high_only_while_standing_is_still_a_squat():
    # seen from the side the far foot is hidden by the near leg; the pose model may put its
    # ankle 0.4 m up while the person stands tall, but not at the bottom of the squat
    t, reps = rep_plan(3)
    standing = 1.0 - km.waveform(t, reps)
    seq = _with_left_ankle_raised(squat(3, "side"), t, 0.4 * standing)
    guess = recognise(km.add_noise(seq, px=1.5, world_m=0.003, seed=1))
    assert guess.exercise == "squat", guess.reason


def test_foot_on_a_box_at_the_bottom_is_the_lunge_family():
    t, _ = rep_plan(3)
    seq = _with_left_ankle_raised(squat(3, "side"), t, np.full(len(t), 0.4))
    guess = recognise(km.add_noise(seq, px=1.5, world_m=0.003, seed=1))
    assert guess.exercise == "lunge" and "higher" in guess.reason, guess.reason


@pytest.mark.parametrize(("bench", "elevation"), [(0.0, 55.0), (0.0, 65.0), (0.4, 45.0),
                                                  (0.4, 55.0)])
def test_bridge_filmed_steeply_from_above_the_feet_is_not_standing(bench, elevation):
    # from steeply above the feet the legs look upright under the hips (in the camera's axes,
    # as the pose model reports them), but the shoulders rest while the hips move
    t, reps = rep_plan(3)
    pose, root, _ = km.bridge_pose(km.waveform(t, reps), bench_height=bench,
                                   bottom_hip_height=0.15 if bench else 0.0)
    seq = km.make_sequence(pose, t, "supine", "front", root=root, elevation_deg=elevation)
    seq = km.add_noise(seq, px=1.5, world_m=0.003, seed=1)
    assert shoulder_travel(seq) < 0.35
    guess = recognise(seq)
    assert guess.exercise in ("glute_bridge", "hip_thrust"), guess.reason


@pytest.mark.parametrize("view", ["front", "side", "oblique"])
def test_standing_exercises_carry_the_shoulders_with_the_hips(view):
    assert shoulder_travel(squat(3, view)) > 1.0
    assert shoulder_travel(lunge(3, "left", view)) > 1.0
