"""Bad input through the real CLI: one clear line, a non-zero exit, nothing half-written.

Issue 7, first list. Each test drives ``glutecv.cli.main`` (in this process, with capsys) the
way a user would, and checks stderr, the exit code, and the output folder. Files that glutecv
cannot read at all fail cleanly; files that are damaged but partly readable (cut short, corrupt
frames in the middle) are analysed as far as they decode, with a warning saying what was lost.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.reliability_helpers import (
    assert_one_line_error,
    cli,
    cut_file,
    damage_middle,
    final_files,
    load_result,
    write_audio_only,
    write_video,
)


def _analyze(capsys, src: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    return cli(capsys, "analyze", str(src), "-o", str(out), "--model", "lite", "--no-video",
               "--exercise", "squat", *extra)


def _assert_failed_cleanly(code: int, err: str, out: Path, stem: str, *needles: str) -> None:
    """A bad file in ``analyze``: its own 'failed' line, exit 1, no final file for it."""
    assert code == 1, err
    assert_one_line_error(err, stem, *needles, prefix="glutecv: failed:")
    assert final_files(out / stem) == []


# --- paths -----------------------------------------------------------------------------------
def test_path_that_does_not_exist(capsys, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for cmd in (["analyze", str(tmp_path / "nope.mp4"), "-o", str(out)],
                ["pose", str(tmp_path / "nope.mp4"), "-o", str(tmp_path / "x.npz")],
                ["report", str(tmp_path / "nope"), "-o", str(tmp_path / "r.html")]):
        code, _, err = cli(capsys, *cmd)
        assert code == 2, (cmd, err)
        assert_one_line_error(err, "nope", "no such")
    assert final_files(tmp_path) == []


def test_folder_with_no_videos(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "holiday"
    folder.mkdir()
    (folder / "notes.txt").write_text("no videos here\n")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    code, _, err = cli(capsys, "analyze", str(folder), "-o", str(tmp_path / "out"))
    assert code == 2
    assert_one_line_error(err, "holiday", "no videos")
    assert not (tmp_path / "out").exists() or final_files(tmp_path / "out") == []


# --- files that are not videos ---------------------------------------------------------------
def test_text_file_named_mp4(capsys, tmp_path: Path) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is a shopping list, not a video\n")
    code, _, err = _analyze(capsys, fake, tmp_path / "out")
    _assert_failed_cleanly(code, err, tmp_path / "out", "notes", "not a video")
    code, _, err = cli(capsys, "pose", str(fake), "-o", str(tmp_path / "notes.npz"))
    assert code == 2
    assert_one_line_error(err, "notes.mp4", "not a video")
    assert not (tmp_path / "notes.npz").exists()


def test_zero_byte_file(capsys, tmp_path: Path) -> None:
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    code, _, err = _analyze(capsys, empty, tmp_path / "out")
    _assert_failed_cleanly(code, err, tmp_path / "out", "empty", "empty file")
    code, _, err = cli(capsys, "pose", str(empty), "-o", str(tmp_path / "e.npz"))
    assert code == 2
    assert_one_line_error(err, "empty.mp4", "empty")
    assert not (tmp_path / "e.npz").exists()


def test_audio_only_file(capsys, tmp_path: Path) -> None:
    audio = write_audio_only(tmp_path / "voice.mp4")
    code, _, err = _analyze(capsys, audio, tmp_path / "out")
    _assert_failed_cleanly(code, err, tmp_path / "out", "voice", "no video stream")


# --- damaged videos --------------------------------------------------------------------------
def test_truncated_mp4_without_front_index_fails_cleanly(capsys, tmp_path: Path) -> None:
    """A phone/ffmpeg MP4 keeps its index (moov) at the END: cut in the middle, nothing can be
    located, so the user gets a clear 'truncated' error rather than an empty analysis."""
    full = write_video(tmp_path / "full.mp4", n=90, width=96, height=64)
    cut = cut_file(full, tmp_path / "cut.mp4", 0.5)
    code, _, err = _analyze(capsys, cut, tmp_path / "out")
    _assert_failed_cleanly(code, err, tmp_path / "out", "cut", "truncated")


def test_truncated_faststart_mp4_analyses_what_decodes(capsys, tmp_path: Path) -> None:
    """With the index at the front (web 'faststart' files) the first half still decodes: it is
    analysed, and result.json says the video ends early."""
    full = write_video(tmp_path / "full.mp4", n=90, width=96, height=64, faststart=True)
    cut = cut_file(full, tmp_path / "cut.mp4", 0.5)
    out = tmp_path / "out"
    code, _, err = _analyze(capsys, cut, out)
    assert code == 0, err
    assert "Traceback" not in err
    result = load_result(out / "cut")
    assert 10 < result["video"]["frames"] < 90
    assert any("ends early" in w for w in result["warnings"]), result["warnings"]
    assert "ends early" in err  # the user is told too, not only the JSON


def test_corrupt_middle_frames_analyses_the_rest_and_warns_about_the_gap(capsys,
                                                                        tmp_path: Path) -> None:
    full = write_video(tmp_path / "full.mp4", n=120, width=160, height=120)
    bad = damage_middle(full, tmp_path / "scratched.mp4")
    out = tmp_path / "out"
    code, _, err = _analyze(capsys, bad, out)
    assert code == 0, err
    result = load_result(out / "scratched")
    gap = [w for w in result["warnings"] if "undecodable" in w]
    assert len(gap) == 1, result["warnings"]
    assert "between" in gap[0] and " s" in gap[0]
    from glutecv.pose.types import PoseSequence

    seq = PoseSequence.load_npz(out / "scratched" / "landmarks.npz")
    assert 40 < len(seq) < 120  # frames before AND after the damage were analysed
    assert seq.t_s[-1] > 3.0   # the end of the clip (4 s) is there
    assert np.all(np.diff(seq.t_s) > 0)


# --- unusual but valid videos ---------------------------------------------------------------
def test_tiny_64x64_video(capsys, tmp_path: Path) -> None:
    src = write_video(tmp_path / "tiny.mp4", n=10, width=64, height=64)
    out = tmp_path / "out"
    code, _, err = cli(capsys, "analyze", str(src), "-o", str(out), "--model", "lite",
                       "--exercise", "squat")
    assert code == 0, err
    result = load_result(out / "tiny")
    assert (result["video"]["width"], result["video"]["height"]) == (64, 64)
    assert result["video"]["frames"] == 10
    from tests.reliability_helpers import decoded_frames

    assert decoded_frames(out / "tiny" / "annotated.mp4") == 10


@pytest.mark.slow
def test_4k_video(capsys, tmp_path: Path) -> None:
    src = write_video(tmp_path / "uhd.mp4", n=4, width=3840, height=2160)
    out = tmp_path / "out"
    code, _, err = cli(capsys, "analyze", str(src), "-o", str(out), "--model", "lite",
                       "--exercise", "squat")
    assert code == 0, err
    result = load_result(out / "uhd")
    assert (result["video"]["width"], result["video"]["height"]) == (3840, 2160)
    assert result["video"]["frames"] == 4
    import av

    with av.open(str(out / "uhd" / "annotated.mp4")) as c:
        s = c.streams.video[0]
        w, h = s.codec_context.width, s.codec_context.height
        assert w <= 3840 and abs(w / h - 16 / 9) < 0.01  # may be scaled down, never distorted
        assert sum(1 for _ in c.decode(s)) == 4


def test_portrait_phone_video_with_rotation_tag_is_upright(capsys, tmp_path: Path) -> None:
    """Stored landscape 96x64 with a 90 degree tag, as phones write portrait video: glutecv
    sees it upright, 64 wide and 96 high, in the result and the landmark file."""
    src = write_video(tmp_path / "phone.mp4", n=8, width=96, height=64, rotation=90)
    out = tmp_path / "out"
    code, _, err = _analyze(capsys, src, out)
    assert code == 0, err
    result = load_result(out / "phone")
    assert (result["video"]["width"], result["video"]["height"]) == (64, 96)
    from glutecv.pose.types import PoseSequence

    seq = PoseSequence.load_npz(out / "phone" / "landmarks.npz")
    assert (seq.width, seq.height) == (64, 96)


def test_variable_frame_rate_video_keeps_its_own_times(capsys, tmp_path: Path) -> None:
    times = [0.0, 0.033, 0.1, 0.12, 0.3, 0.31, 0.5, 0.7, 0.71, 0.9]
    src = write_video(tmp_path / "vfr.mp4", n=len(times), times_s=times)
    out = tmp_path / "out"
    code, _, err = _analyze(capsys, src, out)
    assert code == 0, err
    from glutecv.pose.types import PoseSequence

    seq = PoseSequence.load_npz(out / "vfr" / "landmarks.npz")
    np.testing.assert_allclose(seq.t_s, times, atol=1e-4)
    series_t = load_result(out / "vfr")["series"]["t_s"]
    np.testing.assert_allclose(series_t, times, atol=1e-4)


def test_video_with_nobody_in_it_is_a_warning_not_an_error(capsys, tmp_path: Path) -> None:
    src = write_video(tmp_path / "empty_room.mp4", n=20, width=96, height=64)
    out = tmp_path / "out"
    code, _, err = _analyze(capsys, src, out)
    assert code == 0, err
    assert "glutecv: error" not in err and "glutecv: failed" not in err
    result = load_result(out / "empty_room")
    assert result["reps"] == [] and result["summary"]["rep_count"] == 0
    assert any("no person" in w for w in result["warnings"]), result["warnings"]
    from glutecv.pose.types import PoseSequence

    seq = PoseSequence.load_npz(out / "empty_room" / "landmarks.npz")
    assert len(seq) == 20  # every frame kept, as a missing row
    assert not seq.detected.any()
    assert np.isnan(seq.image).all()
