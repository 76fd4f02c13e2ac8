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


def test_landmark_store_matches_from_frames_and_copies_on_write(tmp_path) -> None:
    """The on-disk store gives the same sequence as stacking frames (through two growths and
    a partial chunk); a writable copy of it changes only itself, and survives release()."""
    from glutecv.pose.store import LandmarkStore, is_on_disk, release

    rng = np.random.default_rng(3)
    frames = [PoseFrame.missing(i / 30, i) if i % 9 == 4 else
              PoseFrame(i / 30, rng.normal(size=(NUM_LANDMARKS, 3)),
                        rng.normal(size=(NUM_LANDMARKS, 3)), rng.uniform(size=NUM_LANDMARKS),
                        rng.uniform(size=NUM_LANDMARKS), i) for i in range(5000)]
    store = LandmarkStore(capacity=1100, directory=tmp_path)
    for f in frames:
        store.append(f)
    got = store.to_sequence(64, 48, {"a": 1})
    want = PoseSequence.from_frames(frames, 64, 48, {"a": 1})
    assert is_on_disk(got) and not is_on_disk(want) and len(got) == 5000
    for name in ("t_s", "image", "world", "visibility", "presence"):
        np.testing.assert_array_equal(getattr(got, name), getattr(want, name))
    assert not got.image.flags.writeable  # mapped read-only: no silent edits
    copy = got.writable_copy("image")
    copy[:, 5, 1] = 7.0
    release(got)
    assert (copy[:, 5, 1] == 7.0).all()
    np.testing.assert_array_equal(got.image, want.image)  # the original is untouched
    np.testing.assert_array_equal(want.writable_copy("world"), want.world)  # in memory: a copy
