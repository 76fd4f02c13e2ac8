"""``--exercise auto``: recognition of every exercise from scripted clips."""

from __future__ import annotations

import pytest
from motions_more import clamshell, fire_hydrant, lunge, rep_plan, squat

from glutecv import kinematics as km
from glutecv.exercises import names
from glutecv.recognition import Recognition, recognise


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
