"""VideoSource: times from the container, upright frames, damage handling, one-line errors."""

from __future__ import annotations

import logging
import threading
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from io_helpers import (
    clip,
    corrupt_middle,
    truncate,
    write_audio_only,
    write_video,
)

from glutecv.errors import VideoError
from glutecv.io.video import VideoSource, probe


def _times(path: Path, **kw) -> list[float]:
    with VideoSource(path, **kw) as src:
        return [f.t_s for f in src]


def test_ntsc_rate_times_are_exact(tmp_path: Path) -> None:
    path, written = write_video(tmp_path / "ntsc.mp4", n=45, rate=Fraction(30000, 1001))
    with VideoSource(path) as src:
        assert src.fps == pytest.approx(29.97003, abs=1e-4)  # not 29, not 30
        frames = list(src)
    assert len(frames) == 45
    assert [f.index for f in frames] == list(range(45))
    np.testing.assert_allclose([f.t_s for f in frames], written, atol=1e-9)
    assert frames[-1].t_s == pytest.approx(44 * 1001 / 30000, abs=1e-6)


def test_variable_frame_rate_keeps_each_frames_time(tmp_path: Path) -> None:
    times = [0.0, 0.03, 0.1, 0.11, 0.5, 0.52, 1.0, 1.016, 1.9]
    path, written = write_video(tmp_path / "vfr.mp4", times_s=times)
    assert _times(path) == pytest.approx(written, abs=1e-9)
    assert written == pytest.approx(times, abs=1e-4)


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotation_tag_comes_out_upright(tmp_path: Path, rotation: int) -> None:
    # The stored picture has its red quadrant top-left; the display matrix says "rotate
    # `rotation` degrees counter-clockwise to show it", so upright the red corner moves.
    path, _ = write_video(tmp_path / f"rot{rotation}.mp4", n=3, width=96, height=64,
                          rotation=rotation)
    expected_corner = {90: "BL", 180: "BR", 270: "TR"}[rotation]
    with VideoSource(path) as src:
        assert src.rotation == rotation
        size = (src.width, src.height)
        image = next(iter(src)).image
    assert size == ((64, 96) if rotation in (90, 270) else (96, 64))
    assert image.shape[:2] == (size[1], size[0])
    h, w = image.shape[:2]
    corners = {"TL": image[h // 4, w // 4], "TR": image[h // 4, 3 * w // 4],
               "BL": image[3 * h // 4, w // 4], "BR": image[3 * h // 4, 3 * w // 4]}
    red = [name for name, bgr in corners.items() if bgr[2] > 200 and bgr[0] < 80]
    assert red == [expected_corner]


def test_rgb_and_bgr_frames_hold_the_same_picture(tmp_path: Path) -> None:
    path, _ = write_video(tmp_path / "c.mp4", n=2)
    with VideoSource(path, pixel_format="bgr24") as a, VideoSource(path, pixel_format="rgb24") as b:
        fa, fb = next(iter(a)), next(iter(b))
    assert fa.image[16, 16, 2] > 200 and fb.image[16, 16, 0] > 200  # red in both orders
    np.testing.assert_array_equal(fa.rgb(), fb.image)
    assert fb.rgb() is fb.image  # no conversion when already in the asked-for order


def test_limits_start_end_and_max_frames(tmp_path: Path) -> None:
    path, written = write_video(tmp_path / "l.mp4", n=60)
    assert len(_times(path, max_frames=7)) == 7
    got = _times(path, start_s=0.5, end_s=1.0)
    assert got == pytest.approx([t for t in written if 0.5 - 1e-9 <= t < 1.0])


def test_gif_and_avi_shared_clips() -> None:
    gif = clip("clamshell/chloe_sidelying_gif.gif")
    times = _times(gif)
    assert len(times) == 14
    np.testing.assert_allclose(np.diff(times), 0.3, atol=1e-9)
    avi = clip("squat/kaiakol_correct_008.avi")
    with VideoSource(avi) as src:
        assert (src.width, src.height, src.fps) == (1280, 720, 30.0)
        times = [f.t_s for f in src]
    assert len(times) == 27
    np.testing.assert_allclose(times, np.arange(27) / 30.0, atol=1e-9)


def test_corrupt_middle_skips_the_gap_and_warns_once(tmp_path: Path, caplog) -> None:
    big, written = write_video(tmp_path / "big.mp4", n=150, width=320, height=240)
    bad = corrupt_middle(big, tmp_path / "bad.mp4")
    with caplog.at_level(logging.WARNING, logger="glutecv"), VideoSource(bad) as src:
        times = [f.t_s for f in src]
    assert 30 < len(times) < 150
    assert np.all(np.diff(times) > 0)
    assert set(np.round(times, 6)) <= set(np.round(written, 6))  # real times, none invented
    assert len(src.gaps) == 1
    start, end = src.gaps[0]
    assert 0 < start < end < written[-1]
    gap_lines = [r.message for r in caplog.records if "skipped undecodable" in r.message]
    assert len(gap_lines) == 1 and f"{start:.2f} s" in gap_lines[0]


def test_truncated_faststart_file_yields_what_it_has(tmp_path: Path, caplog) -> None:
    from glutecv.io.video_writer import VideoWriter

    full = tmp_path / "full.mp4"
    with VideoWriter(full, 160, 120, fps=30) as w:  # index at the front (+faststart)
        for i in range(90):
            w.write(np.random.default_rng(i).integers(0, 255, (120, 160, 3), np.uint8))
    cut = truncate(full, tmp_path / "cut.mp4", 0.5)
    with caplog.at_level(logging.WARNING, logger="glutecv"), VideoSource(cut) as src:
        n = len(list(src))
    assert 10 < n < 90
    assert any("ends early" in r.message for r in caplog.records)


def test_prefetch_thread_stops_when_consumer_stops_early(tmp_path: Path) -> None:
    path, _ = write_video(tmp_path / "p.mp4", n=120)
    before = threading.active_count()
    with VideoSource(path, prefetch=2) as src:
        for frame in src:
            if frame.index == 3:
                break
    assert threading.active_count() <= before


def test_probe_reports_facts(tmp_path: Path) -> None:
    path, _ = write_video(tmp_path / "f.mp4", n=30, rotation=90, width=96, height=64)
    info = probe(path)
    assert (info.width, info.height, info.rotation, info.frame_count) == (64, 96, 90, 30)
    assert info.fps == pytest.approx(30.0) and info.duration_s == pytest.approx(1.0, abs=0.05)
    assert info.codec == "h264"


def _error(path: Path) -> str:
    with pytest.raises(VideoError) as excinfo:
        VideoSource(path)
    message = str(excinfo.value)
    assert "\n" not in message and str(path) in message
    return message


def test_bad_inputs_are_one_line_video_errors(tmp_path: Path) -> None:
    assert "no such file" in _error(tmp_path / "missing.mp4")
    (tmp_path / "folder.mp4").mkdir()
    assert "folder" in _error(tmp_path / "folder.mp4")
    (tmp_path / "zero.mp4").write_bytes(b"")
    assert "empty" in _error(tmp_path / "zero.mp4")
    (tmp_path / "notes.mp4").write_text("these are my notes, not a video\n" * 20)
    assert "not a video" in _error(tmp_path / "notes.mp4")
    assert "audio only" in _error(write_audio_only(tmp_path / "song.m4a"))
    full, _ = write_video(tmp_path / "whole.mp4", n=40)  # index at the end: cut loses it
    assert "truncated" in _error(truncate(full, tmp_path / "cut.mp4", 0.6))


class _FakeAVFrame:
    """Just enough of av.VideoFrame for VideoSource's timing code."""

    def __init__(self, pts: int | None) -> None:
        self.pts, self.time_base, self.rotation = pts, Fraction(1, 30000), 0

    def to_ndarray(self, format: str) -> np.ndarray:  # noqa: A002 - PyAV's name
        return np.zeros((64, 96, 3), np.uint8)


def test_duplicate_and_backwards_timestamps_are_nudged_with_one_warning(tmp_path: Path,
                                                                        caplog) -> None:
    path, _ = write_video(tmp_path / "d.mp4", n=2)
    src = VideoSource(path, prefetch=0)
    src._first = _FakeAVFrame(0)
    src._raw = (_FakeAVFrame(p) for p in (1000, 1000, 2000, 1500, None, 4000))
    with caplog.at_level(logging.WARNING, logger="glutecv"), src:
        times = [f.t_s for f in src]
    # a frame without any timestamp continues at the nominal rate (30 fps here)
    expected = [0.0, 1 / 30, 1 / 30 + 1e-3, 2 / 30, 2 / 30 + 1e-3, 3 / 30 + 1e-3, 4 / 30]
    assert times == pytest.approx(expected, abs=1e-9)
    assert src.nudged == 2
    assert len([r for r in caplog.records if "out-of-order" in r.message]) == 1


def test_start_s_seek_gives_the_same_frames_as_reading_through() -> None:
    """Seeking lands on the keyframe before start_s and decodes forward: same frames, same
    times, bit for bit, as a sequential read (what parallel extraction of halves relies on)."""
    path = clip("lunge/slayer_stepup.mp4")
    with VideoSource(path, prefetch=0, end_s=3.5) as src:
        through = [(f.t_s, f.image) for f in src if f.t_s >= 2.5]
    with VideoSource(path, prefetch=0, start_s=2.5, end_s=3.5) as src:
        seeked = [(f.index, f.t_s, f.image) for f in src]
    assert len(seeked) == len(through) == 24
    assert [i for i, _, _ in seeked] == list(range(24))
    for (t_a, img_a), (_, t_b, img_b) in zip(through, seeked, strict=True):
        assert t_a == t_b and np.array_equal(img_a, img_b)
