"""Live mode: a file played as a camera, a source that stalls, keys, auto exercise, errors."""

from __future__ import annotations

import re
import time
from pathlib import Path

import numpy as np
import pytest

from glutecv.io.frames import Frame
from glutecv.live import LiveSession, summary_text
from glutecv.pose.types import PoseFrame, PoseSequence
from tests.pipeline_helpers import (
    CLIPS,
    clamshell_sequence,
    load_json,
    playable_frames,
    run_cli,
)

LUNGE_CLIP = CLIPS / "lunge" / "bassem_dynamic.mp4"  # 11.2 s, 720p, 5 reps by eye


class ScriptedSource:
    """A live source that delivers ``frames`` frames in real time, then goes silent (never
    ``finished``): a camera that was unplugged."""

    name = "scripted camera"

    def __init__(self, seq: PoseSequence, frames: int, size: tuple[int, int] = (320, 180)) -> None:
        self.seq, self.frames = seq, frames
        self.width, self.height = size
        self.fps = 30.0
        self.i = 0
        self.finished = False
        self.started = time.monotonic()

    def read(self, timeout_s: float = 0.5) -> Frame | None:
        if self.i >= self.frames:
            time.sleep(timeout_s)
            return None
        i, self.i = self.i, self.i + 1
        image = np.full((self.height, self.width, 3), 30, np.uint8)
        return Frame(i, float(self.seq.t_s[i]), image, "bgr24", time.monotonic())


class ReplayEstimator:
    """Returns the recorded pose of each frame (scaled to the frame), instead of a model."""

    model_name = "replay"

    def __init__(self, seq: PoseSequence) -> None:
        self.seq = seq

    def estimate(self, frame: Frame) -> PoseFrame:
        p = self.seq[frame.index]
        scale = np.array([frame.width / self.seq.width, frame.height / self.seq.height, 1.0])
        return PoseFrame(frame.t_s, p.image * scale, p.world, p.visibility, p.presence,
                         frame.index)


class ScriptedWindow:
    """A window whose 'user' presses the given keys at the given frame numbers."""

    def __init__(self, keys: dict[int, str]) -> None:
        self.keys, self.shown = keys, 0

    def show(self, image: np.ndarray) -> str | None:
        self.shown += 1
        return self.keys.get(self.shown)

    def poll(self, wait_ms: int = 1) -> str | None:
        return None

    def close(self) -> None:
        pass


def expected_live_reps(seq: PoseSequence, frames: int) -> int:
    from glutecv.exercises import get_analyzer

    stream = get_analyzer("clamshell").stream(30.0)
    for i in range(frames):
        stream.update(seq[i])
    return len(stream.finish().reps)


def test_source_that_stops_ends_cleanly_with_summary_and_recording(tmp_path: Path) -> None:
    from glutecv.io.video_writer import VideoWriter

    seq = clamshell_sequence()
    frames = 240  # 8 s of the 12 s, then silence
    source = ScriptedSource(seq, frames)
    record = tmp_path / "rec.mp4"
    started = time.monotonic()
    with VideoWriter(record, source.width, source.height, 30.0, preset="ultrafast") as writer:
        session = LiveSession(source, ReplayEstimator(seq), "clamshell", recorder=writer,
                              stall_warn_s=0.2, stall_timeout_s=1.0)
        summary = session.run()
    assert time.monotonic() - started < 30
    assert summary.ended_because.startswith("no frames")
    assert summary.frames_analysed == frames
    assert summary.result is not None
    expected = expected_live_reps(seq, frames)
    assert expected >= 2
    assert len(summary.result.reps) == expected
    assert f"reps: {expected}" in summary_text(summary)
    assert playable_frames(record) == frames


def test_keys_reset_switch_and_quit() -> None:
    seq = clamshell_sequence()
    source = ScriptedSource(seq, 360)
    window = ScriptedWindow({200: "reset", 230: "exercise", 250: "quit"})
    session = LiveSession(source, ReplayEstimator(seq), "clamshell", window=window)
    summary = session.run()
    assert summary.ended_because == "quit"
    assert summary.frames_analysed == 250
    assert session.exercise.name != "clamshell"  # 'e' moved on to the next exercise
    assert summary.result is not None and summary.result.exercise == session.exercise.name


def test_auto_exercise_locks_after_watching_and_keeps_early_reps(
        monkeypatch: pytest.MonkeyPatch) -> None:
    seq = clamshell_sequence()
    calls: list[int] = []

    def fake_recognise(s: PoseSequence) -> tuple[str, float]:
        calls.append(len(s))
        return "clamshell", 0.9

    monkeypatch.setattr("glutecv.pipeline.recognise", fake_recognise)
    source = ScriptedSource(seq, 360)
    session = LiveSession(source, ReplayEstimator(seq), "auto", stall_timeout_s=0.3)
    summary = session.run()
    assert calls and calls[0] >= 4.0 * 30 - 1  # watched ~4 s before naming the exercise
    assert session.exercise.locked and len(calls) == 2  # same answer twice, then locked
    assert summary.result is not None
    assert summary.result.exercise_source == "recognised"
    assert len(summary.result.reps) == expected_live_reps(seq, 360)  # nothing lost


@pytest.mark.slow
def test_realtime_file_runs_like_a_camera_and_records(tmp_path: Path) -> None:
    if not LUNGE_CLIP.is_file():
        pytest.skip(f"shared clips not found at {CLIPS}")
    record = tmp_path / "session.mp4"
    proc = run_cli("live", "--source", str(LUNGE_CLIP), "--realtime", "--no-window",
                   "--exercise", "lunge", "--model", "lite", "--record", str(record),
                   "-o", str(tmp_path / "out"), timeout=90)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    reps = int(re.search(r"reps: (\d+)", proc.stdout).group(1))
    assert 4 <= reps <= 6, proc.stdout  # 5 by eye
    analysed = int(re.search(r"(\d+) frames analysed", proc.stdout).group(1))
    assert analysed >= 100  # real time: some frames may be dropped, never a backlog
    assert playable_frames(record) == analysed
    saved = next((tmp_path / "out").glob("live-*/result.json"))
    assert load_json(saved)["summary"]["rep_count"] == reps


def test_missing_camera_is_one_line_error() -> None:
    proc = run_cli("live", "--camera", "9", "--no-window", "--model", "lite", timeout=60)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("glutecv: error:"), proc.stderr
    assert "camera 9" in lines[0]


def test_unwritable_recording_is_one_line_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_cli("live", "--source", "whatever.mp4", "--no-window", "--record",
                   str(blocker / "rec.mp4"), timeout=60)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0], proc.stderr


def test_no_display_is_one_line_error_not_an_abort() -> None:
    import os

    env_display = os.environ.pop("DISPLAY", None)
    try:
        proc = run_cli("live", "--source", "whatever.mp4", timeout=60)
    finally:
        if env_display is not None:
            os.environ["DISPLAY"] = env_display
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip() == ("glutecv: error: no display to show the live window on; "
                                   "use --no-window")
