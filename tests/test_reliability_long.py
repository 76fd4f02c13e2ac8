"""Long runs: memory that does not grow with the video's length, and a big batch that one bad
file does not stop.

The full-hour measurement is ``benchmarks/long_run.py`` (5, 20 and 60 minutes); here a
shorter pair of runs checks that peak memory does not grow with length beyond the landmarks
themselves (a leak of decoded frames would add ~0.9 MB per frame at 640x480).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.reliability_helpers import (
    PYTHON,
    REPO,
    bridge_sequence,
    iter_grey_frames,
    load_result,
    write_video,
)


def _peak_rss_mb(args: list[str], timeout: float = 240.0) -> float:
    """Run ``glutecv ARGS`` in one process; its peak resident memory in MiB.

    Read from the kernel's high-water mark (``VmHWM`` in /proc) while it runs: ``wait4``'s
    ``ru_maxrss`` would also count this (pytest) process's memory inherited at fork.
    """
    proc = subprocess.Popen([PYTHON, "-m", "glutecv", "-q", *args], cwd=REPO,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    peak_kb = 0
    while proc.poll() is None:
        try:
            with open(f"/proc/{proc.pid}/status") as fh:
                hwm = [ln for ln in fh if ln.startswith("VmHWM:")]
            peak_kb = max(peak_kb, int(hwm[0].split()[1])) if hwm else peak_kb
        except (FileNotFoundError, ProcessLookupError):
            pass
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"glutecv {' '.join(args)} took over {timeout} s")
        time.sleep(0.02)
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.returncode == 0, err
    assert peak_kb > 0
    return peak_kb / 1024.0


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_video_length(tmp_path: Path) -> None:
    """2 and 8 minutes of 640x480 video (1 frame a second: 120 vs 480 frames, nobody in view,
    lite model, annotated video included), each analysed in one process: the longer run's peak
    RSS is within 25 MiB of the shorter one's (360 more frames; a frame leak would be 300+)."""
    peaks = {}
    for minutes in (2, 8):
        n = minutes * 60
        src = write_video(tmp_path / f"room{minutes}.mp4", iter_grey_frames(n, 640, 480),
                          fps=1)
        peaks[minutes] = _peak_rss_mb(["analyze", str(src), "-o", str(tmp_path / "out"),
                                       "--model", "lite", "--exercise", "squat", "--jobs", "1"])
        assert load_result(tmp_path / "out" / f"room{minutes}")["video"]["frames"] == n
    print("peak RSS MiB by minutes:", peaks)
    assert peaks[8] - peaks[2] < 25.0, peaks


@pytest.mark.slow
def test_batch_of_200_with_one_bad_file_completes(tmp_path: Path) -> None:
    """200 inputs with --jobs 2: 196 landmark files of one glute bridge each, 3 tiny 64x64
    videos and one text file named .mp4. Every good input is analysed, the bad one is reported
    on its own line and in the table, and the exit code says something failed."""
    src = tmp_path / "in"
    src.mkdir()
    seq, _ = bridge_sequence(reps=1)
    seq.save_npz(src / "bridge000.npz")
    for i in range(1, 196):
        shutil.copyfile(src / "bridge000.npz", src / f"bridge{i:03d}.npz")
    for i in range(3):
        write_video(src / f"tiny{i}.mp4", n=10)
    (src / "broken.mp4").write_text("not a video\n")
    out = tmp_path / "out"
    started = time.monotonic()
    proc = subprocess.run([PYTHON, "-m", "glutecv", "-q", "analyze", str(src), "-o", str(out),
                           "--exercise", "glute_bridge", "--model", "lite", "--jobs", "2",
                           "--no-video"], cwd=REPO, capture_output=True, text=True, timeout=180)
    elapsed = time.monotonic() - started
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    failed = [ln for ln in proc.stderr.splitlines() if ln.startswith("glutecv: failed:")]
    assert len(failed) == 1 and "broken.mp4" in failed[0], proc.stderr
    assert "199 analysed, 0 skipped (already done), 1 failed" in proc.stdout
    table_row = next(ln for ln in proc.stdout.splitlines() if ln.startswith("broken.mp4"))
    assert "FAILED" in table_row
    for i in range(196):
        assert len(load_result(out / f"bridge{i:03d}")["reps"]) == 1
    for i in range(3):
        assert load_result(out / f"tiny{i}")["video"]["frames"] == 10
    assert not (out / "broken").exists() or not any((out / "broken").iterdir())
    assert elapsed < 120, f"batch of 200 took {elapsed:.0f} s"
