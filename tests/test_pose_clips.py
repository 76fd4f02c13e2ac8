"""Landmarks on real shared clips (and generated ones): rows, times, detection, geometry."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from io_helpers import clip, write_video
from pose_helpers import cli_logging, container_times, require_model  # noqa: F401

from glutecv import __version__
from glutecv.cli import main
from glutecv.io.video import VideoSource
from glutecv.landmarks import Landmark
from glutecv.pose.extract import extract_sequence
from glutecv.pose.types import PoseSequence

HIPS_KNEES = [Landmark.LEFT_HIP, Landmark.RIGHT_HIP, Landmark.LEFT_KNEE, Landmark.RIGHT_KNEE]

# (clip, seconds to read, frames that gives, upright width, height): a side-view glute
# bridge, a front-view squat, a portrait phone clip and an animated GIF. Short segments keep
# the suite fast.
CLIPS = [
    ("glute_bridge/frank_side.mp4", None, None, 500, 380),
    ("squat/kaiakol_correct_007.mp4", None, None, 1280, 720),
    ("glute_bridge/ndnam_home.mp4", 1.5, 45, 1080, 1920),
    ("clamshell/chloe_sidelying_gif.gif", None, None, 540, 540),
]


def _check_landmarks(seq: PoseSequence, min_found: float = 0.95, margin: float = 0.0) -> None:
    assert seq.detected.mean() >= min_found
    hk = seq.image[seq.detected][:, HIPS_KNEES, :2]
    assert np.all(np.isfinite(hk))
    assert np.all(hk[..., 0] >= -margin) and np.all(hk[..., 0] <= seq.width + margin)
    assert np.all(hk[..., 1] >= -margin) and np.all(hk[..., 1] <= seq.height + margin)
    world = seq.world[seq.detected][:, HIPS_KNEES]
    assert np.all(np.abs(world) < 2.0)  # metres from the hip centre: a body, not pixels
    vis = seq.visibility[seq.detected]
    assert np.all((vis >= 0) & (vis <= 1))


@pytest.mark.slow
@pytest.mark.parametrize(("rel", "end_s", "limit", "width", "height"), CLIPS)
def test_glutecv_pose_on_shared_clips(rel: str, end_s: float | None, limit: int | None,
                                      width: int, height: int, tmp_path: Path,
                                      cli_logging) -> None:  # noqa: F811
    require_model("full")
    path = clip(rel)
    out = tmp_path / "landmarks.npz"
    argv = ["-q", "pose", str(path), "-o", str(out)] + (["--end", str(end_s)] if end_s else [])
    assert main(argv) == 0
    seq = PoseSequence.load_npz(out)
    reference = container_times(path, limit)
    assert len(seq) == len(reference)  # one row per decoded frame
    np.testing.assert_allclose(seq.t_s, reference, atol=1e-9)
    assert np.all(np.diff(seq.t_s) > 0)
    assert (seq.width, seq.height) == (width, height)
    _check_landmarks(seq)
    assert seq.meta["model"] == "full" and len(seq.meta["model_sha256"]) == 64
    assert seq.meta["video"]["frames_decoded"] == len(seq)
    assert seq.meta["glutecv_version"] == __version__


@pytest.mark.slow
def test_rotation_tagged_phone_video_comes_out_upright(tmp_path: Path) -> None:
    """A real clip stored sideways with a 'rotate 90' tag gives the same upright landmarks."""
    require_model("full")
    source = clip("glute_bridge/frank_side.mp4")
    with VideoSource(source, max_frames=40) as src:
        frames = list(src)
    sideways = [np.ascontiguousarray(np.rot90(f.image, k=-1)) for f in frames]  # stored CW
    tagged, _ = write_video(tmp_path / "phone.mp4", times_s=[f.t_s for f in frames],
                            width=380, height=500, rotation=90, frames=sideways)
    upright = extract_sequence(source, "full", max_frames=40)
    rotated = extract_sequence(tagged, "full")
    assert (rotated.width, rotated.height) == (500, 380)
    assert rotated.meta["video"]["rotation"] == 90
    _check_landmarks(rotated)
    both = upright.detected & rotated.detected
    diff = np.abs(upright.image[both][:, HIPS_KNEES, :2] - rotated.image[both][:, HIPS_KNEES, :2])
    assert np.median(diff) < 0.03 * 500  # same body, same place: it was made upright


@pytest.mark.slow
def test_nobody_in_the_video_gives_missing_rows_and_a_warning(tmp_path: Path, caplog) -> None:
    require_model("full")
    rng = np.random.default_rng(3)
    noise = [rng.integers(0, 256, (120, 160, 3), dtype=np.uint8) for _ in range(20)]
    noise[10:] = [np.full((120, 160, 3), 40, np.uint8)] * 10  # then a flat grey wall
    path, written = write_video(tmp_path / "empty.mp4", n=20, width=160, height=120,
                                frames=noise)
    with caplog.at_level(logging.WARNING, logger="glutecv"):
        seq = extract_sequence(path, "full")
    assert len(seq) == 20 and not seq.detected.any()
    assert np.all(np.isnan(seq.image)) and np.all(seq.visibility == 0)
    np.testing.assert_allclose(seq.t_s, written, atol=1e-9)
    assert any("nobody was found" in r.message for r in caplog.records)


@pytest.mark.slow
def test_npz_round_trip_is_exact(tmp_path: Path) -> None:
    require_model("lite")
    seq = extract_sequence(clip("squat/kaiakol_correct_014.mp4"), "lite", max_frames=12)
    out = tmp_path / "seq.npz"
    seq.save_npz(out)
    back = PoseSequence.load_npz(out)
    for name in ("t_s", "image", "world", "visibility", "presence"):
        np.testing.assert_array_equal(getattr(back, name), getattr(seq, name))
    assert (back.width, back.height) == (seq.width, seq.height)
    assert back.meta == seq.meta
    assert back.meta["model"] == "lite" and back.meta["glutecv_version"]


@pytest.mark.slow
def test_two_people_clip_follows_the_exerciser_and_says_so(caplog) -> None:
    """labels.csv: the man stepping onto a box in the background does the exercise; a coach
    stands in the foreground (larger, hips near x=340 px, barely moving)."""
    require_model("full")
    path = clip("lunge/rnhrn_banded_stepup.mp4")
    with caplog.at_level(logging.INFO, logger="glutecv"):
        seq = extract_sequence(path, "full", num_poses=2, max_frames=80)
    people = seq.meta["people"]
    assert people["max_seen"] == 2 and people["multi_person_frames"] > 50
    assert people["selection"]["chosen_motion"] > 3 * people["selection"]["runner_up_motion"]
    hips = seq.image[seq.detected][:, [Landmark.LEFT_HIP, Landmark.RIGHT_HIP], :2].mean(axis=1)
    assert seq.detected.sum() >= 55  # the exerciser comes into view after ~20 frames
    assert np.all(hips[:, 0] > 450)  # never the coach
    assert np.ptp(hips[:, 1]) > 100  # the one stepping up and down
    assert any("more than one person" in r.message for r in caplog.records)


@pytest.mark.slow
def test_person_walks_out_of_frame_and_back(tmp_path: Path) -> None:
    """Frames with nobody in the middle stay as missing rows; the person is found again."""
    require_model("full")
    with VideoSource(clip("glute_bridge/frank_side.mp4"), max_frames=45) as src:
        frames = list(src)
    images = [f.image if not 15 <= f.index < 30 else np.full_like(f.image, 128)
              for f in frames]
    path, written = write_video(tmp_path / "away.mp4", times_s=[f.t_s for f in frames],
                                width=500, height=380, frames=images)
    seq = extract_sequence(path, "full")
    assert len(seq) == 45
    assert not seq.detected[15:30].any()
    assert seq.detected[:15].mean() >= 0.9 and seq.detected[31:].mean() >= 0.9


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), [(64, 64), (3840, 2160)])
def test_tiny_and_4k_videos_keep_every_row(tmp_path: Path, width: int, height: int) -> None:
    require_model("lite")
    path, written = write_video(tmp_path / f"v{width}.mp4", n=4, width=width, height=height)
    seq = extract_sequence(path, "lite")
    assert (len(seq), seq.width, seq.height) == (4, width, height)
    np.testing.assert_allclose(seq.t_s, written, atol=1e-9)
