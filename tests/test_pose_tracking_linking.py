"""Track linking and whole-clip person choice on synthetic bodies with a known answer.

Every test knows which body is the exerciser in every frame and checks that exactly that body
(or nobody, where the exerciser is missed) is followed: two people side by side, the exerciser
missed while the neighbour is found, a walker crossing in front of the squatter, and a person
found twice in one frame.
"""

from __future__ import annotations

import numpy as np

from glutecv.pose.tracking import select_person
from glutecv.pose.tracklets import (
    body_distance,
    body_scale,
    link_tracks,
    stitch_tracks,
    without_duplicates,
)
from tests.pose_tracking_helpers import VISIBLE, hip_x, pose, squat_depth, stick_body

W, H = 1280, 720
SQUATTER_X, COACH_X = 530.0, 640.0  # feet 110 px apart: hips within a torso length


def _squatter(i: int) -> np.ndarray:
    return stick_body(SQUATTER_X, 650, 560, squat_depth(i))


def _coach(i: int) -> np.ndarray:
    sway = 3.0 * np.sin(i / 7)  # standing, shifting a little
    return stick_body(COACH_X + sway, 640, 600)


def _expected_hip_x(i: int) -> float:
    return hip_x(pose(_squatter(i), i))


def test_one_person_moves_a_small_part_of_a_body_size_between_frames() -> None:
    a, b = _squatter(7), _squatter(8)  # the fastest part of the squat
    assert body_distance(a, VISIBLE, b, VISIBLE) < 0.15
    assert 0.6 < body_distance(a, VISIBLE, _coach(7), VISIBLE) < 1.5
    # the torso keeps its length in the squat, so the size does not shrink with depth
    assert abs(body_scale(_squatter(0)) - body_scale(_squatter(15))) < 1.0


def test_side_by_side_with_the_squatter_missed_follows_nobody_there_not_the_coach() -> None:
    """Two reps; the model misses the squatter in frames 10-14 and 40 (the coach is still
    found), and the bodies come in a changing order: the squatter is followed in every frame
    where she is found, and nobody in the frames where she is not."""
    n, missed = 60, set(range(10, 15)) | {40}
    frames = []
    for i in range(n):
        bodies = [pose(_coach(i), i)] + ([] if i in missed else [pose(_squatter(i), i)])
        frames.append(bodies[::-1] if i % 3 else bodies)
    chosen, sel = select_person(frames, W, H)
    assert sel.tracks == 2 and sel.chosen_frames == n - len(missed)
    assert (sel.first_frame, sel.last_frame) == (0, n - 1)
    assert sel.chosen_motion > 5 * sel.runner_up_motion
    for i in range(n):
        if i in missed:
            assert chosen[i] is None, f"frame {i}: followed the coach while she was missed"
        else:
            assert hip_x(chosen[i]) == _expected_hip_x(i), f"frame {i}"
    assert "moves most" in sel.reason and "54 of 60" in sel.to_dict()["reason"]


def test_squatter_found_only_after_the_coach_does_not_join_the_coach_track() -> None:
    """The model sees only the coach for the first 30 frames, then only the squatter for one
    frame, then both (a real clip did this): the coach's track skips frame 30 instead of
    jumping to her, her own track starts there, and she is followed from frame 30 on."""
    n = 75
    frames = [([pose(_coach(i), i)] if i != 30 else [])
              + ([pose(_squatter(i), i)] if i >= 30 else []) for i in range(n)]
    tracks = link_tracks([[b.image for b in f] for f in frames],
                         [[b.visibility for b in f] for f in frames])
    assert sorted((min(t), max(t), len(t)) for t in tracks) == [(0, 74, 74), (30, 74, 45)]
    chosen, sel = select_person(frames, W, H)
    assert all(c is None for c in chosen[:30])
    np.testing.assert_allclose([hip_x(c) for c in chosen[30:]],
                               [_expected_hip_x(i) for i in range(30, n)])


def test_a_walker_crossing_in_front_does_not_take_over() -> None:
    """A taller person (nearer the camera) walks across the picture, passing right in front of
    the squatter: the squatter is followed in every frame, the walker in none."""
    n = 90
    frames = []
    for i in range(n):
        walker = stick_body(100 + 12 * i, 700, 640)  # crosses x=530 at frame 36
        frames.append([pose(walker, i), pose(_squatter(i), i)])
    chosen, sel = select_person(frames, W, H)
    assert sel.chosen_frames == n
    np.testing.assert_allclose([hip_x(c) for c in chosen], [_expected_hip_x(i) for i in range(n)])


def test_a_person_found_twice_is_kept_once_and_a_split_track_is_joined() -> None:
    """The camera is nudged 50 px at frame 20, and in that frame the model reports the
    squatter twice, before and after the nudge. Linking keeps the old copy on her track and
    starts a new track with the other, which then goes on; stitching joins the two parts, so
    she is followed in every frame (the old copy in frame 20)."""
    n, nudge = 45, np.array([50.0, 0.0, 0.0])
    frames, expected = [], []
    for i in range(n):
        shift = nudge if i >= 20 else 0.0
        bodies = [pose(_coach(i) + shift, i), pose(_squatter(i) + shift, i)]
        if i == 20:
            bodies.append(pose(_squatter(i), i))
        frames.append(bodies)
        expected.append(_expected_hip_x(i) + (50.0 if i > 20 else 0.0))
    same = _squatter(5) + 2.0  # a near copy is a duplicate
    assert without_duplicates([_squatter(5), _coach(5), same], [VISIBLE] * 3) == [0, 1]
    images = [[b.image for b in f] for f in frames]
    visibility = [[b.visibility for b in f] for f in frames]
    linked = link_tracks(images, visibility)
    assert sorted(len(t) for t in linked) == [21, 25, n]  # her track was split ...
    stitched = stitch_tracks(linked, images, visibility)
    assert sorted(len(t) for t in stitched) == [n, n]  # ... and joined again
    chosen, sel = select_person(frames, W, H)
    assert sel.chosen_frames == n
    np.testing.assert_allclose([hip_x(c) for c in chosen], expected, atol=1e-6)


def test_second_look_windows_reach_into_each_gap_from_both_sides() -> None:
    """Missed frames next to found ones get a second look: forward from the frame before a
    gap, backward from the frame after it, each at most ``reach`` frames; frames farther from
    any found frame, and frames before/after a clip with nobody, get none."""
    from glutecv.pose.refill import gap_windows

    found = {i: pose(_squatter(i), i) for i in [*range(5, 10), *range(30, 33)]}
    chosen = [found.get(i) for i in range(40)]
    windows = gap_windows(chosen, reach=8, width=W, height=H)
    spans = [(w.first, w.last, w.anchor) for w in windows]
    assert spans == [(0, 4, 5), (10, 17, 9), (22, 29, 30), (33, 39, 32)]
    x0, y0, x1, y1 = windows[0].box  # a square around her, 1.4 times her size (cut at the
    assert x0 < _expected_hip_x(5) < x1 and y0 < 300  # frame's bottom edge, 720 px)
    assert (x1 - x0, y1) == (688, H)
    assert gap_windows([None] * 10, reach=8, width=W, height=H) == []


def test_no_second_look_around_a_degenerate_body() -> None:
    """A found body whose landmarks are all in one point gives no crop to look at."""
    from glutecv.pose.refill import gap_windows

    dot = np.full((33, 3), 100.0)
    chosen = [None, pose(dot, 1), None]
    assert gap_windows(chosen, reach=8, width=W, height=H) == []


def test_one_person_whose_fit_flips_back_and_forth_stays_one_track() -> None:
    """Alone in the picture, the squatter's fit flips for frames 20-31 between her real pose
    and one with the arms raised (0.7 body sizes away): the two tracks this makes take turns,
    share no frame, and nobody else is there, so they are one person: she is followed in
    every frame. With the coach also in view, the flipped frames are not joined."""
    n = 45
    raised = np.zeros((33, 3))
    raised[11:23, 1] = -350.0  # shoulders, arms and hands 350 px higher

    def squatter(i: int) -> np.ndarray:
        return _squatter(i) + (raised if 20 <= i < 32 and i % 2 else 0.0)

    alone = [[pose(squatter(i), i)] for i in range(n)]
    _, sel = select_person(alone, W, H)
    assert sel.chosen_frames == n
    with_coach = [[pose(squatter(i), i), pose(_coach(i), i)] for i in range(n)]
    _, sel = select_person(with_coach, W, H)
    assert sel.chosen_frames == n - 6  # the six raised-arm frames are left out
