"""Shared helpers for the pipeline, batch and live tests: small videos and files made here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np

from glutecv.pose.types import PoseSequence

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "clips"
SAMPLES = REPO / "samples"
PYTHON = sys.executable


def write_video(path: Path, frames: int = 30, width: int = 160, height: int = 120,
                fps: int = 30) -> Path:
    """A small H.264 MP4 with a moving grey box (nobody in it): decodes fast, model finds nobody."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        for i in range(frames):
            img = np.full((height, width, 3), 40, np.uint8)
            x = (i * 4) % (width - 20)
            img[40:80, x:x + 20] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return path


def write_bad_files(folder: Path) -> list[Path]:
    """A text file named .mp4 and a zero-byte .mp4."""
    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "notes.mp4"
    text.write_text("this is not a video\n")
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    return [text, empty]


def run_cli(*args: str, timeout: float = 120,
            cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``glutecv ARGS`` in a fresh interpreter; returns the completed process."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    return subprocess.run([PYTHON, "-m", "glutecv", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=cwd or REPO, env=env)


def playable_frames(path: Path) -> int:
    """Decode a video completely; returns the number of frames (raises if not playable)."""
    import av

    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        assert stream.codec_context.name == "h264", stream.codec_context.name
        assert stream.codec_context.pix_fmt == "yuv420p", stream.codec_context.pix_fmt
        return sum(1 for _ in c.decode(stream))


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def temporaries(folder: Path) -> list[Path]:
    """Leftover atomic-write temporaries under ``folder``."""
    return [p for p in folder.rglob(".glutecv-tmp-*")]


def any_exercise() -> str:
    """An exercise that exists in this checkout (for tests where the exercise is not the point)."""
    from glutecv.exercises import names

    known = names()
    for preferred in ("squat", "glute_bridge", "hip_thrust"):
        if preferred in known:
            return preferred
    return known[0]


def clamshell_sequence(reps: int = 4, seconds: float = 12.0) -> PoseSequence:
    """Synthetic side-lying clamshell landmarks (no model needed)."""
    from glutecv import kinematics as km

    t = km.timeline(seconds, fps=30)
    w = km.waveform(t, km.schedule(reps, start_s=1.5, up_s=0.8, hold_s=0.4, down_s=0.8))
    top = km.LegAngles(hip_flexion=45, knee_flexion=90, hip_abduction=km.lerp(0.0, 40.0, w))
    bottom = km.LegAngles(hip_flexion=45, knee_flexion=90)
    return km.make_sequence(km.BodyPose(left_leg=top, right_leg=bottom), t, "side_lying",
                            "front")
