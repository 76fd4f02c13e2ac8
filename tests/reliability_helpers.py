"""Helpers for the reliability tests: small generated media, CLI runners, output checks.

Everything is generated in a tmp folder with PyAV or numpy; shared clips are only READ from
``../shared/clips`` (tests skip when that folder is absent).
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from io_helpers import (
    corrupt_middle,
    write_audio_only,  # noqa: F401  (re-exported for the tests)
)
from io_helpers import truncate as cut_file  # noqa: F401  (re-exported for the tests)

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "clips"
PYTHON = sys.executable
TMP_PREFIX = ".glutecv-tmp-"
FINAL_OUTPUTS = ("result.json", "reps.csv", "landmarks.npz", "annotated.mp4")


def shared_clip(rel: str) -> Path:
    """A shared clip by its path under ``../shared/clips``; skips the test when absent."""
    path = CLIPS / rel
    if not path.is_file():
        pytest.skip(f"shared clip {rel} not available (../shared/clips missing)")
    return path


# --- media -----------------------------------------------------------------------------------
def grey_frames(n: int, width: int, height: int) -> list[np.ndarray]:
    """``n`` BGR frames of a moving bright box on grey: nobody in them."""
    return list(iter_grey_frames(n, width, height))


def iter_grey_frames(n: int, width: int, height: int) -> Iterator[np.ndarray]:
    """The frames of :func:`grey_frames`, one at a time (long videos without the memory)."""
    for i in range(n):
        img = np.full((height, width, 3), 60, np.uint8)
        x = (i * 5) % max(1, width - width // 4)
        img[height // 3: 2 * height // 3, x: x + max(2, width // 4)] = 210
        yield img


def write_video(path: Path, frames: Iterable[np.ndarray] | None = None, *, n: int = 10,
                width: int = 64, height: int = 64, fps: int = 30,
                times_s: Iterable[float] | None = None, rotation: int = 0,
                faststart: bool = False) -> Path:
    """Write an H.264 MP4 of ``frames`` (BGR; default: ``n`` grey frames, nobody in view).

    ``times_s`` gives each frame's presentation time (variable frame rate); ``rotation``
    (degrees, counter-clockwise) is stored as a display matrix like phones do; ``faststart``
    puts the index at the front of the file.
    """
    import av

    frames = iter(frames if frames is not None else iter_grey_frames(n, width, height))
    first = next(frames)
    frames = itertools.chain([first], frames)
    height, width = first.shape[:2]
    tb = Fraction(1, 90000)
    times = iter(times_s) if times_s is not None else (i / fps for i in itertools.count())
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"movflags": "faststart"} if faststart else {}
    with av.open(str(path), "w", options=options) as out:
        stream = out.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.time_base = tb
        stream.codec_context.time_base = tb
        stream.options = {"preset": "ultrafast", "bf": "0"}
        if rotation:
            stream.set_display_rotation(rotation)
        for img, t in zip(frames, times, strict=False):
            frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(img), format="bgr24")
            frame.pts, frame.time_base = round(t / tb), tb
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def clip_frames(path: Path, start_s: float = 0.0, seconds: float = 4.0,
                width: int | None = None) -> tuple[list[np.ndarray], float]:
    """Decoded BGR frames of a clip (``start_s`` .. ``start_s + seconds``), optionally resized
    to ``width`` pixels wide; returns the frames and the clip's frame rate."""
    import av
    import cv2

    frames: list[np.ndarray] = []
    with av.open(str(path)) as c:
        stream = c.streams.video[0]
        fps = float(stream.average_rate or 30)
        for fr in c.decode(stream):
            t = float(fr.pts * stream.time_base) if fr.pts is not None else len(frames) / fps
            if t < start_s:
                continue
            if t >= start_s + seconds:
                break
            img = fr.to_ndarray(format="bgr24")
            if width is not None:
                h = int(round(img.shape[0] * width / img.shape[1] / 2) * 2)
                img = cv2.resize(img, (width, h), interpolation=cv2.INTER_AREA)
            frames.append(img)
    return frames, fps


def damage_middle(src: Path, dst: Path, start: float = 0.45, length: float = 0.1) -> Path:
    """``src`` with a stretch of bytes in the middle overwritten by random bytes."""
    return corrupt_middle(src, dst, start, length, seed=7)


# --- running the CLI -------------------------------------------------------------------------
def run_glutecv(*args: str, timeout: float = 120.0,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``glutecv ARGS`` in a separate process (``python -m glutecv``); raises on timeout."""
    full_env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
    return subprocess.run([PYTHON, "-m", "glutecv", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO, env=full_env)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``glutecv ARGS`` in this process; returns (exit code, stdout, stderr)."""
    from glutecv.cli import main

    capsys.readouterr()
    try:
        code = main(["-q", *args])
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(stderr: str, *needles: str, prefix: str = "glutecv: error:") -> str:
    """stderr holds exactly one error line starting with ``prefix`` (containing every needle,
    case-insensitive) and no traceback; returns that line."""
    assert "Traceback" not in stderr, stderr
    lines = [ln for ln in stderr.splitlines() if ln.startswith(("glutecv: error:",
                                                                 "glutecv: failed:"))]
    assert len(lines) == 1, f"expected one error line, got:\n{stderr}"
    line = lines[0]
    assert line.startswith(prefix), line
    for needle in needles:
        assert needle.lower() in line.lower(), f"{needle!r} not in {line!r}"
    return line


# --- checking outputs ------------------------------------------------------------------------
def final_files(folder: Path) -> list[Path]:
    """Files under ``folder`` that are not atomic-write temporaries."""
    if not folder.exists():
        return []
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(TMP_PREFIX)]


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(TMP_PREFIX + "*")] if folder.exists() else []


def load_result(folder: Path) -> dict:
    return json.loads((folder / "result.json").read_text(encoding="utf-8"))


def assert_complete_or_nothing(dest: Path, video: bool = True) -> bool:
    """An output folder is either complete and readable, or holds no final-named files.

    Returns True when complete. Every final file present must be whole: result.json parses,
    landmarks.npz loads, annotated.mp4 decodes.
    """
    wanted = FINAL_OUTPUTS if video else FINAL_OUTPUTS[:3]
    present = [name for name in wanted if (dest / name).is_file()]
    if (dest / "result.json").is_file():
        assert sorted(present) == sorted(wanted), f"{dest}: result.json without {wanted}"
    for name in present:
        check_whole(dest / name)
    return (dest / "result.json").is_file()


def check_whole(path: Path) -> None:
    """Raise AssertionError if ``path`` (a glutecv output) is not a complete, readable file."""
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["schema_version"] == 1
    elif path.suffix == ".npz":
        from glutecv.pose.types import PoseSequence

        PoseSequence.load_npz(path)
    elif path.suffix == ".mp4":
        assert decoded_frames(path) > 0
    elif path.suffix == ".csv":
        text = path.read_text(encoding="utf-8")
        assert text.endswith("\n") and text.splitlines()[0]


def decoded_frames(path: Path) -> int:
    """Decode a video completely with PyAV; the number of frames (raises if unplayable)."""
    import av

    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(c.streams.video[0]))


# --- landmarks -------------------------------------------------------------------------------
def bridge_sequence(reps: int = 4, fps: float = 30.0, seed: int = 0):
    """A side-view glute bridge landmark sequence with ``reps`` known reps (no model needed);
    returns the PoseSequence and the scheduled reps (start_s, end_s)."""
    from glutecv import kinematics as km

    specs = km.schedule(reps, start_s=1.2, up_s=0.9, hold_s=0.8, down_s=0.9, rest_s=1.0)
    t = km.timeline(specs[-1].end_s + 1.2, fps)
    w = km.waveform(t, specs)
    pose, root, _ = km.bridge_pose(w)
    seq = km.make_sequence(pose, t, "supine", "side_left", root=root)
    seq = km.add_noise(seq, px=1.0, world_m=0.005, seed=seed)
    return seq, [(s.start_s, s.end_s) for s in specs]


def blank(seq, start_s: float, end_s: float):
    """``seq`` with nobody in view for ``start_s <= t < end_s`` (NaN landmarks, 0 visibility):
    the person walked out of frame."""
    from glutecv import kinematics as km

    return km.add_dropouts(seq, [(start_s, end_s)])
