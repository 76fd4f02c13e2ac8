"""PoseFrame/PoseSequence validation and their exact .npz round trip."""

from __future__ import annotations

import numpy as np
import pytest

from glutecv.errors import InputError
from glutecv.landmarks import NUM_LANDMARKS, Landmark, other_side, side_landmark
from glutecv.pose.types import PoseFrame, PoseSequence


def make_seq(n: int = 5, seed: int = 0) -> PoseSequence:
    rng = np.random.default_rng(seed)
    image = rng.uniform(0, 640, (n, NUM_LANDMARKS, 3))
    image[2] = np.nan  # a frame with nobody in it
    return PoseSequence(
        t_s=np.arange(n) / 29.97, image=image, world=rng.normal(size=(n, NUM_LANDMARKS, 3)),
        visibility=rng.uniform(size=(n, NUM_LANDMARKS)),
        presence=rng.uniform(size=(n, NUM_LANDMARKS)), width=640, height=480,
        meta={"model": "full", "source": "x.mp4"},
    )


def test_landmark_names_and_mirroring() -> None:
    assert NUM_LANDMARKS == 33
    assert Landmark.LEFT_KNEE.mirror() is Landmark.RIGHT_KNEE
    assert Landmark.RIGHT_FOOT_INDEX.mirror() is Landmark.LEFT_FOOT_INDEX
    assert Landmark.NOSE.mirror() is Landmark.NOSE
    assert Landmark.LEFT_HIP.side == "left" and Landmark.NOSE.side is None
    assert side_landmark("right", "ANKLE") is Landmark.RIGHT_ANKLE
    assert other_side("left") == "right"


def test_shape_errors_say_what_was_expected() -> None:
    with pytest.raises(ValueError, match=r"image: expected shape \(33, 3\), got \(17, 3\)"):
        PoseFrame(0.0, np.zeros((17, 3)), np.zeros((33, 3)), np.zeros(33), np.zeros(33))
    seq = make_seq()
    with pytest.raises(ValueError, match="strictly increasing"):
        seq.with_arrays(t_s=seq.t_s[::-1].copy())


def test_sequence_indexing_and_detection() -> None:
    seq = make_seq()
    assert len(seq) == 5
    assert seq.detected.tolist() == [True, True, False, True, True]
    assert seq[3].index == 3 and seq[3].t_s == pytest.approx(3 / 29.97)
    assert not seq[2].detected
    assert seq.fps == pytest.approx(29.97)
    assert len(seq.slice(1, 3)) == 2
    assert not PoseFrame.missing(1.0).detected


def test_npz_round_trip_is_exact(tmp_path) -> None:
    seq = make_seq()
    path = tmp_path / "lm.npz"
    seq.save_npz(path)
    back = PoseSequence.load_npz(path)
    for name in ("t_s", "image", "world", "visibility", "presence"):
        np.testing.assert_array_equal(getattr(back, name), getattr(seq, name))
    assert (back.width, back.height, back.meta) == (640, 480, seq.meta)
    assert [p.name for p in tmp_path.iterdir()] == ["lm.npz"]  # no temp file left


def test_bad_npz_files_are_one_line_input_errors(tmp_path) -> None:
    with pytest.raises(InputError, match="no such landmark file"):
        PoseSequence.load_npz(tmp_path / "missing.npz")
    junk = tmp_path / "junk.npz"
    junk.write_text("not a zip")
    with pytest.raises(InputError, match="not a glutecv landmark file"):
        PoseSequence.load_npz(junk)
    other = tmp_path / "other.npz"
    np.savez(other, a=np.zeros(3))
    with pytest.raises(InputError, match="not a glutecv landmark file"):
        PoseSequence.load_npz(other)
    seq = make_seq()
    seq.save_npz(tmp_path / "v.npz")
    with np.load(tmp_path / "v.npz") as z:
        data = dict(z)
    data["header"] = np.array(str(data["header"]).replace('"version": 1', '"version": 99'))
    np.savez(tmp_path / "v99.npz", **data)
    with pytest.raises(InputError, match="version 99 is not supported"):
        PoseSequence.load_npz(tmp_path / "v99.npz")
