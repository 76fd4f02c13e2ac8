"""PersonTracker and estimator timestamps on synthetic data with known answers."""

from __future__ import annotations

import numpy as np

from glutecv.landmarks import NUM_LANDMARKS, Landmark
from glutecv.pose.tracking import PersonTracker

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
    assert tracker.stats.second_person_seen and tracker.stats.multi_person_frames == 30


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
