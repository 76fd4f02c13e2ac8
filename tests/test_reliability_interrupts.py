"""Interrupted runs and lost cameras: nothing half-written, work resumed, sessions summarised.

* SIGKILL in the middle of a ``glutecv analyze`` batch (a separate process, killed the hard
  way): every output folder is complete or holds no final-named file, the worker processes do
  not live on, and a re-run finishes the rest without redoing what was done.
* A camera index that does not exist fails fast with one line (enforced by a timeout).
* A camera that stops delivering frames: the overlay says so, live mode resumes when frames
  come back, ends cleanly with the summary so far when they don't, and the recording is
  finalised and playable. The fake camera goes through the real code path
  (``CameraSource`` via its ``cv2.VideoCapture`` factory, and the ``glutecv live`` CLI).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from tests.reliability_helpers import (
    PYTHON,
    REPO,
    assert_complete_or_nothing,
    assert_one_line_error,
    clip_frames,
    decoded_frames,
    load_result,
    run_glutecv,
    shared_clip,
    temporaries,
    write_video,
)


# --- SIGKILL mid-batch ------------------------------------------------------------------------
def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_sigkill_mid_batch_leaves_complete_or_nothing_and_rerun_finishes_the_rest(
        tmp_path: Path) -> None:
    src = tmp_path / "in"
    names = [f"session{i}" for i in range(5)]
    for name in names:
        write_video(src / f"{name}.mp4", n=60, width=192, height=144)
    out = tmp_path / "out"
    args = ["-q", "analyze", str(src), "-o", str(out), "--model", "lite", "--exercise",
            "squat", "--jobs", "2"]
    proc = subprocess.Popen([PYTHON, "-m", "glutecv", *args], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.glob("*/result.json")):
        time.sleep(0.02)
    time.sleep(0.25)  # into the middle of the next videos (pose pass or video encoding)
    os.kill(proc.pid, signal.SIGKILL)  # the main process only, like `kill -9 PID`
    proc.wait()
    # the worker processes notice their parent is gone and exit; nothing keeps writing
    deadline = time.monotonic() + 10
    while _group_alive(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = _group_alive(proc.pid)
    if alive:
        os.killpg(proc.pid, signal.SIGKILL)
    assert not alive, "worker processes outlived the killed batch"

    complete = {}
    for name in names:
        if assert_complete_or_nothing(out / name):
            complete[name] = (out / name / "result.json").stat().st_mtime_ns
    assert 1 <= len(complete) < len(names), f"kill came too late or too early: {complete}"

    rerun = run_glutecv(*args[:-2], "--jobs", "1", timeout=180)  # no worker start-up
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(names) - len(complete)} analysed, {len(complete)} skipped" in rerun.stdout
    for name, stamp in complete.items():  # what was done is not redone
        assert (out / name / "result.json").stat().st_mtime_ns == stamp
    for name in names:
        assert assert_complete_or_nothing(out / name)
        assert decoded_frames(out / name / "annotated.mp4") == 60
    assert temporaries(out) == []  # the re-run cleaned the killed run's temporaries


# --- cameras ----------------------------------------------------------------------------------
def test_camera_index_that_does_not_exist_fails_fast(tmp_path: Path) -> None:
    started = time.monotonic()
    rec = tmp_path / "rec.mp4"
    proc = run_glutecv("live", "--camera", "7", "--no-window", "--model", "lite", "--record",
                       str(rec), timeout=45)  # raises (fails the test) instead of hanging
    elapsed = time.monotonic() - started
    assert proc.returncode != 0
    assert_one_line_error(proc.stderr, "camera 7")
    assert proc.stderr.strip().count("\n") == 0, proc.stderr
    assert elapsed < 30, f"took {elapsed:.1f} s to give up"
    assert not rec.exists() and temporaries(tmp_path) == []


class FlakyDevice:
    """A webcam that delivers ``frames`` at ``fps`` in real time, is unplugged for
    ``gap_s`` seconds after ``gap_after`` frames, then plugged back, and unplugged for good
    once every frame has been sent. Shared by every capture opened on it (reconnects)."""

    def __init__(self, frames: list[np.ndarray], fps: float, gap_after: int, gap_s: float):
        self.frames, self.period = frames, 1.0 / fps
        self.gap_after, self.gap_s = gap_after, gap_s
        self.sent = 0
        self.gap_until: float | None = None
        self.lock = threading.Lock()

    def plugged(self) -> bool:
        if self.sent >= len(self.frames):
            return False
        return self.gap_until is None or time.monotonic() >= self.gap_until

    def next(self) -> np.ndarray | None:
        time.sleep(self.period)
        with self.lock:
            if self.sent == self.gap_after and self.gap_until is None:
                self.gap_until = time.monotonic() + self.gap_s
            if not self.plugged():
                return None
            self.sent += 1
            return self.frames[self.sent - 1].copy()


class FakeCapture:
    """The ``cv2.VideoCapture`` interface over a :class:`FlakyDevice`."""

    def __init__(self, device: FlakyDevice) -> None:
        self.device = device
        self.open = device.plugged()

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self.open

    def read(self) -> tuple[bool, np.ndarray | None]:
        image = self.device.next() if self.open else None
        return image is not None, image

    def get(self, prop: int) -> float:
        return 30.0 if prop == 5 else 0.0

    def set(self, prop: int, value: float) -> bool:
        return False

    def release(self) -> None:
        self.open = False


class SpyWindow:
    """Stands in for the headless window and keeps what was shown."""

    shown: list[np.ndarray] = []

    def show(self, image: np.ndarray) -> None:
        SpyWindow.shown.append(image.copy())

    def poll(self, wait_ms: int = 1) -> None:
        return None

    def close(self) -> None:
        pass


@pytest.mark.slow
def test_camera_drops_out_resumes_then_is_lost_for_good(tmp_path: Path, capsys,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import glutecv.io.camera as camera
    import glutecv.live_view as live_view
    from glutecv.annotate.overlay import Overlay
    from glutecv.cli import main
    from glutecv.live import STALL_MESSAGE

    clip = shared_clip("glute_bridge/aminran_side.mp4")  # 2 bridges with holds, side view
    frames, _ = clip_frames(clip, 0.0, 4.0, width=480)
    frames = frames[::2]  # 59.94 -> ~30 fps, 4 s
    device = FlakyDevice(frames, fps=30.0, gap_after=45, gap_s=1.6)
    monkeypatch.setattr(camera, "_open_capture", lambda target: FakeCapture(device))
    SpyWindow.shown = []
    monkeypatch.setattr(live_view, "NoWindow", SpyWindow)
    messages: list[str] = []
    original = Overlay.annotate

    def spy_annotate(self, image, pose, state, *a, **k):  # type: ignore[no-untyped-def]
        messages.append(getattr(state, "message", "") or "")
        return original(self, image, pose, state, *a, **k)

    monkeypatch.setattr(Overlay, "annotate", spy_annotate)
    rec, out = tmp_path / "session.mp4", tmp_path / "saved"
    started = time.monotonic()
    code = main(["live", "--camera", "0", "--no-window", "--model", "lite", "--exercise",
                 "glute_bridge", "--record", str(rec), "-o", str(out), "--stall-timeout", "2.5"])
    elapsed = time.monotonic() - started
    stdout, stderr = capsys.readouterr()
    assert code == 0, stderr
    assert "Traceback" not in stderr
    assert elapsed < 40
    # the overlay said so while frames were missing, both times
    stalls = [i for i, m in enumerate(messages) if m == STALL_MESSAGE]
    assert stalls, "the overlay never said the camera stopped"
    analysed = int(stdout.split(" frames analysed")[0].rsplit(" ", 1)[-1])
    first_stall = stalls[0]
    assert first_stall < len(messages) - 1 and messages[-1] == STALL_MESSAGE
    resumed = [m for m in messages[first_stall:] if m != STALL_MESSAGE]
    assert resumed, "live mode did not resume after the camera came back"
    assert analysed > 45 and analysed <= len(frames)
    # the session ended cleanly because frames stopped, with a summary of what was done
    assert "no frames for" in stdout and "reps:" in stdout, stdout
    # the recording is finalised and plays: one frame per analysed frame
    assert decoded_frames(rec) == analysed
    saved = next(out.glob("live-*"))
    assert load_result(saved)["exercise"]["name"] == "glute_bridge"
    assert temporaries(tmp_path) == []
