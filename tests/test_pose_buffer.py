"""PoseBuffer: rows in growing arrays give the same sequence as stacking PoseFrames."""

from __future__ import annotations

import numpy as np

from glutecv.landmarks import NUM_LANDMARKS
from glutecv.pose.extract import PoseBuffer
from glutecv.pose.types import PoseFrame, PoseSequence


def test_buffer_grows_and_matches_from_frames() -> None:
    rng = np.random.default_rng(0)
    frames = []
    for i in range(100):
        if i % 7 == 3:
            frames.append(PoseFrame.missing(i / 30, i))
        else:
            frames.append(PoseFrame(i / 30, rng.normal(size=(NUM_LANDMARKS, 3)),
                                    rng.normal(size=(NUM_LANDMARKS, 3)),
                                    rng.uniform(size=NUM_LANDMARKS),
                                    rng.uniform(size=NUM_LANDMARKS), i))
    buffer = PoseBuffer(capacity=16)  # must grow several times
    for f in frames:
        buffer.append(f)
    got = buffer.to_sequence(64, 48, {"a": 1})
    want = PoseSequence.from_frames(frames, 64, 48, {"a": 1})
    assert len(got) == 100
    for name in ("t_s", "image", "world", "visibility", "presence"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name))
    assert got.detected.sum() == 100 - len(range(3, 100, 7))
