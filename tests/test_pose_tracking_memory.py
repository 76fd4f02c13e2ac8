"""The every-body pass keeps its candidates on disk: same choice, bounded memory.

:class:`glutecv.pose.candidates.CandidateBodies` (what ``extract_sequence(num_poses=2)``
uses) must choose exactly the bodies :func:`glutecv.pose.tracking.select_person` chooses from
the same bodies held in lists, and a long two-person stream must not hold every body in memory.
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

from glutecv.pose.candidates import CandidateBodies
from glutecv.pose.tracking import select_person
from tests.pose_tracking_helpers import pose, squat_depth, stick_body

SQUATTER_X, COACH_X = 530.0, 640.0


def _frame(i: int, missed: bool = False) -> list:
    coach = pose(stick_body(COACH_X + 3.0 * np.sin(i / 7), 640, 600), i)
    bodies = [coach] if missed else [coach, pose(stick_body(SQUATTER_X, 650, 560,
                                                            squat_depth(i)), i)]
    return bodies[::-1] if i % 3 else bodies


def test_on_disk_candidates_choose_the_same_bodies_as_the_lists() -> None:
    missed = set(range(10, 15)) | {40, 41, 200}
    frames = [_frame(i, i in missed) for i in range(300)]
    want, want_sel = select_person(frames)
    bodies = CandidateBodies(capacity=8)  # grows several times
    for f in frames:
        bodies.add(f[0].t_s, f)
    got, got_sel, others = bodies.select()
    assert got_sel == want_sel and got_sel.chosen_frames == 300 - len(missed)
    assert len(got) == len(want)
    for i, (a, b) in enumerate(zip(got, want, strict=True)):
        assert (a is None) == (b is None) == (i in missed)
        if a is not None:
            assert a.t_s == b.t_s
            for name in ("image", "world", "visibility", "presence"):
                np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    # the boxes of the people found where the followed person was missed (the coach only)
    assert len(others.get(12, [])) == 1 and others.get(20, []) == []
    got[12] = frames[12][0]  # a second look fills a frame
    assert got[12] is frames[12][0] and got.found_mask()[12]


@pytest.mark.slow
def test_a_long_two_person_stream_keeps_memory_bounded() -> None:
    """20,000 frames of two bodies: held as lists of PoseFrames (the old way) they took
    4.1 KB a frame, 5.7 KB at the peak of the choice (tracemalloc); through CandidateBodies
    the peak stays under 0.5 KB a frame (0.41 measured)."""
    n = 20_000
    squat = [stick_body(SQUATTER_X, 650, 560, squat_depth(i)) for i in range(30)]
    coach = stick_body(COACH_X, 640, 600)
    tracemalloc.start()
    try:
        bodies = CandidateBodies(capacity=n)
        for i in range(n):
            # fresh arrays each frame, like the model's output
            bodies.add(i / 30.0, [pose(coach.copy(), i), pose(squat[i % 30].copy(), i)])
        chosen, selection, _ = bodies.select()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert selection.tracks == 2 and selection.chosen_frames == n
    np.testing.assert_array_equal(chosen[n - 1].image, squat[(n - 1) % 30])
    assert peak / n < 500, f"{peak / n:.0f} bytes a frame"
