"""Small generated media files for the io/pose tests (written with PyAV into a tmp folder).

Every generator returns the path it wrote and, where it matters, the exact presentation times
the file was written with, so tests can compare decoded times against known answers.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "clips"


def clip(rel: str) -> Path:
    """A shared clip by its path under ``../shared/clips`` (tests skip when it is absent)."""
    import pytest

    path = CLIPS / rel
    if not path.is_file():
        pytest.skip(f"shared clip {rel} not available (../shared/clips missing)")
    return path


def pattern(index: int, width: int, height: int) -> np.ndarray:
    """A BGR test picture: top-left quadrant red, a moving white bar, grey elsewhere."""
    img = np.full((height, width, 3), 96, np.uint8)
    img[: height // 2, : width // 2] = (0, 0, 255)
    x = (index * 7) % max(1, width - 8)
    img[:, x : x + 8] = 255
    return img


def write_video(path: Path, times_s: list[float] | None = None, n: int = 30,
                rate: Fraction = Fraction(30), width: int = 96, height: int = 64,
                rotation: int = 0, codec: str = "libx264",
                frames: list[np.ndarray] | None = None) -> tuple[Path, list[float]]:
    """Write an MP4/AVI with known frame times (``times_s``; default ``n`` at ``rate``).

    ``rotation`` (degrees counter-clockwise) is written as a display matrix, as phones do.
    Returns the path and the times actually stored (rounded to the 1/90000 s time base).
    """
    import av

    tb = Fraction(1, 90000)
    if times_s is None:
        times_s = [float(i / rate) for i in range(n)]
    pts = [round(t / tb) for t in times_s]
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.time_base = tb
        if codec == "libx264":
            stream.options = {"preset": "ultrafast", "bf": "0"}
        stream.codec_context.time_base = tb
        if rotation:
            stream.set_display_rotation(rotation)
        for i, p in enumerate(pts):
            img = frames[i] if frames is not None else pattern(i, width, height)
            frame = av.VideoFrame.from_ndarray(img, format="bgr24")
            frame.pts, frame.time_base = p, tb
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path, [float(p * tb) for p in pts]


def write_audio_only(path: Path, seconds: float = 0.5) -> Path:
    """An AAC-in-MP4 file with no video stream."""
    import av

    rate = 44100
    with av.open(str(path), "w") as out:
        stream = out.add_stream("aac", rate=rate)
        samples = np.zeros((1, int(rate * seconds)), np.float32)
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
        frame.sample_rate = rate
        frame.pts = 0
        for packet in stream.encode(frame):
            out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def truncate(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    """Copy the first ``fraction`` of ``src``'s bytes to ``dst`` (a download cut short)."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def corrupt_middle(src: Path, dst: Path, start: float = 0.45, length: float = 0.1,
                   seed: int = 0) -> Path:
    """Copy ``src`` with a stretch of its bytes (as fractions of the size) overwritten by
    random bytes, damaging frames in the middle while leaving the container index intact."""
    data = bytearray(src.read_bytes())
    a, b = int(len(data) * start), int(len(data) * (start + length))
    data[a:b] = np.random.default_rng(seed).integers(0, 256, b - a, dtype=np.uint8).tobytes()
    dst.write_bytes(bytes(data))
    return dst
