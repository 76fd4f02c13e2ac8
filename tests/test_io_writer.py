"""VideoWriter: browser-playable H.264, source timestamps kept, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from io_helpers import pattern, write_video

from glutecv.errors import OutputError
from glutecv.io.atomic import TMP_PREFIX
from glutecv.io.video import VideoSource
from glutecv.io.video_writer import VideoWriter


def _decode(path: Path) -> tuple[str, str, list[float], list[np.ndarray]]:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        return (stream.codec_context.name, stream.codec_context.pix_fmt,
                [float(f.time) for f in frames], [f.to_ndarray(format="bgr24") for f in frames])


def test_output_is_h264_yuv420p_faststart_with_source_times(tmp_path: Path) -> None:
    times = [0.0, 0.04, 0.1, 0.13, 0.5, 0.55, 1.2]  # variable frame rate
    src, written = write_video(tmp_path / "vfr.mp4", times_s=times, width=160, height=120)
    out = tmp_path / "annotated.mp4"
    with VideoSource(src) as source, VideoWriter(out, 160, 120, fps=source.fps) as writer:
        for frame in source:
            writer.write(frame.image, frame.t_s)
    codec, pix_fmt, got_times, images = _decode(out)
    assert (codec, pix_fmt) == ("h264", "yuv420p")
    np.testing.assert_allclose(got_times, written, atol=1e-4)
    head = out.read_bytes()[:4096]
    assert 0 <= head.find(b"moov") < max(head.find(b"mdat"), 4096)  # index first: streams
    # the picture survives encoding (red top-left quadrant)
    assert images[0][30, 40, 2] > 200 and images[0][30, 40, 0] < 60


def test_constant_rate_when_no_times_given(tmp_path: Path) -> None:
    out = tmp_path / "cfr.mp4"
    with VideoWriter(out, 64, 48, fps=25) as writer:
        for i in range(10):
            writer.write(pattern(i, 64, 48))
    _, _, times, _ = _decode(out)
    np.testing.assert_allclose(times, np.arange(10) / 25, atol=1e-4)


def test_odd_size_is_cropped_to_even(tmp_path: Path) -> None:
    out = tmp_path / "odd.mp4"
    with VideoWriter(out, 65, 49, fps=30) as writer:
        for i in range(3):
            writer.write(pattern(i, 65, 49))
    _, _, times, images = _decode(out)
    assert len(times) == 3 and images[0].shape == (48, 64, 3)


def test_error_inside_block_leaves_no_file(tmp_path: Path) -> None:
    out = tmp_path / "never.mp4"
    with pytest.raises(RuntimeError, match="boom"), VideoWriter(out, 64, 48) as writer:
        writer.write(pattern(0, 64, 48))
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_wrong_frame_size_is_rejected_and_nothing_is_left(tmp_path: Path) -> None:
    out = tmp_path / "bad.mp4"
    with pytest.raises(ValueError, match="expected"), VideoWriter(out, 64, 48) as writer:
        writer.write(np.zeros((10, 10, 3), np.uint8))
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_unwritable_folder_is_an_output_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        VideoWriter(blocker / "sub" / "out.mp4", 64, 48)
    with pytest.raises(OutputError, match="mp4"):
        VideoWriter(tmp_path / "out.avi", 64, 48)
