"""PersonTracker and estimator timestamps on synthetic data with known answers."""

from __future__ import annotations

import numpy as np

from glutecv.landmarks import NUM_LANDMARKS, Landmark
from glutecv.pose.tracking import PersonTracker, TrackerStats, select_person
from glutecv.pose.types import PoseFrame
from tests.pose_tracking_helpers import squat_depth, stick_body

W, H = 1280, 720


def body(cx: float, cy: float, size: float) -> np.ndarray:
    """A fake (33, 3) body: landmarks spread over a size x size box around (cx, cy)."""
    rng = np.random.default_rng(int(cx + cy))
    pts = np.zeros((NUM_LANDMARKS, 3))
    pts[:, 0] = cx + rng.uniform(-size / 2, size / 2, NUM_LANDMARKS)
    pts[:, 1] = cy + rng.uniform(-size / 2, size / 2, NUM_LANDMARKS)
    pts[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP], 0] = [cx - 10, cx + 10]
    pts[[Landmark.LEFT_HIP, Landmark.RIGHT_HIP], 1] = cy
    return pts


VIS = np.ones(NUM_LANDMARKS)


def test_starts_with_the_largest_body_and_keeps_it_when_order_swaps() -> None:
    tracker = PersonTracker()
    patient = [body(400 + 2 * i, 400, 300) for i in range(30)]  # large, moving slowly
    helper = [body(1000, 300 + 1 * i, 120) for i in range(30)]  # small, beside
    picks = []
    for i in range(30):
        bodies = [helper[i], patient[i]] if i % 2 else [patient[i], helper[i]]
        idx = tracker.choose(bodies, [VIS, VIS], W, H)
        picks.append(bodies[idx] is patient[i])
    assert all(picks)


def test_follows_identity_even_when_the_other_body_grows() -> None:
    tracker = PersonTracker()
    assert tracker.choose([body(300, 400, 300), body(900, 400, 200)], [VIS, VIS], W, H) == 0
    # the other person walks closer to the camera and becomes larger: still follow the first
    assert tracker.choose([body(905, 400, 500), body(302, 400, 300)], [VIS, VIS], W, H) == 1


def test_does_not_jump_to_another_person_while_briefly_lost() -> None:
    tracker = PersonTracker(lost_after=5)
    tracker.choose([body(300, 400, 300)], [VIS], W, H)
    # the patient is missed for 3 frames while someone else is far away: nobody is chosen
    for _ in range(3):
        assert tracker.choose([body(1100, 200, 150)], [VIS], W, H) is None
    assert tracker.choose([body(1100, 200, 150), body(305, 400, 300)], [VIS, VIS], W, H) == 1
    # lost for longer than lost_after: re-acquire whoever is there
    for _ in range(6):
        tracker.choose([], [], W, H)
    assert tracker.choose([body(1100, 200, 150)], [VIS], W, H) == 0


def test_video_timestamps_strictly_increase_in_whole_ms() -> None:
    from glutecv.pose.estimator import PoseEstimator

    est = PoseEstimator.__new__(PoseEstimator)  # no model needed for the clock
    est._last_ms = -1
    times = [0.0, 0.0004, 0.0333, 0.0334, 0.0667, 1 / 29.97 * 3, 10.0]
    ms = [est.timestamp_ms(t) for t in times]
    assert ms == [0, 1, 33, 34, 67, 100, 10000]


def _pose(image: np.ndarray, i: int) -> PoseFrame:
    return PoseFrame(i / 30, image, np.zeros((NUM_LANDMARKS, 3)), VIS, VIS, i)


def test_whole_clip_selection_keeps_the_person_who_moves_not_the_bigger_one() -> None:
    # a big coach standing still in front, a small person squatting up and down behind
    n = 60
    frames = []
    for i in range(n):
        coach = stick_body(300, 700, 600)
        mover = stick_body(900, 450, 300, squat_depth(i))
        frames.append([_pose(coach, i), _pose(mover, i)] if i % 3 else
                      [_pose(mover, i), _pose(coach, i)])
    frames[20] = [f for f in frames[20] if f.image[Landmark.LEFT_HIP, 0] < 600]  # mover unseen
    chosen, sel = select_person(frames, W, H)
    assert sel.tracks == 2 and sel.chosen_frames == n - 1
    assert sel.chosen_motion > 3 * sel.runner_up_motion
    assert chosen[20] is None
    xs = np.array([c.image[Landmark.LEFT_HIP, 0] for c in chosen if c is not None])
    assert (xs > 800).all()  # always the mover, never the coach


def test_stats_count_frames_with_several_people() -> None:
    stats = TrackerStats()
    for n in (1, 2, 0, 3, 1):
        stats.observe(n)
    assert (stats.max_people, stats.multi_person_frames, stats.second_person_seen) == (3, 2, True)

