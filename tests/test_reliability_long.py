"""Long runs: memory that does not grow with the video's length, and a big batch that one bad
file does not stop.

The full-hour measurement is ``benchmarks/long_run.py``; here:

* the landmark store the pose pass writes to, and the ``.npz`` reading and writing, hold a
  fixed amount of memory however many frames pass through (tracemalloc, in this process);
* analysing 5 and 20 minutes of 30 fps landmarks (9,000 vs 36,000 frames), each in its own
  process, differ in peak memory by less than :data:`NPZ_BYTES_PER_FRAME` a frame (was
  ~6 KB a frame when the clip's landmarks and whole-clip copies were held in memory, then
  ~2.5 KB while the analysis read every landmark's columns);
* 2 and 8 minutes of video differ by less than 25 MiB (a leak of decoded frames would add
  ~0.9 MB per frame at 640x480).
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
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


#: Bound on peak-memory growth per frame of landmark analysis (bytes). What is left is the
#: gated points of the analyzer's landmarks (40 bytes a frame each), its float64 series, and
#: the smoothing's per-column temporaries (the rolling-median window): ~680 bytes a frame
#: measured for glute bridges (5 -> 20 -> 60 minutes). Both lengths are past the 8,192-row
#: blocks landmarks.npz is written in, so that fixed cost does not look like growth.
NPZ_BYTES_PER_FRAME = 1000


def test_landmark_store_and_npz_round_trip_hold_fixed_memory(tmp_path: Path) -> None:
    """40,000 frames (~85 MB of float64 landmarks) appended to the store, saved to .npz and
    read back on disk: Python-side memory stays within a few MB (blocks, not the clip), and
    the values come back exactly."""
    import tracemalloc

    from glutecv.landmarks import NUM_LANDMARKS
    from glutecv.pose.store import LandmarkStore, is_on_disk, release
    from glutecv.pose.types import PoseFrame, PoseSequence

    n = 40_000
    rng = np.random.default_rng(1)
    image, world = rng.normal(size=(NUM_LANDMARKS, 3)), rng.normal(size=(NUM_LANDMARKS, 3))
    vis = rng.uniform(size=NUM_LANDMARKS)
    tracemalloc.start()
    try:
        store = LandmarkStore(capacity=1000, directory=tmp_path)  # must grow several times
        for i in range(n):
            store.append(PoseFrame(i / 30, image + i, world, vis, vis, i) if i % 10
                         else PoseFrame.missing(i / 30, i))
        seq = store.to_sequence(640, 480, {"source": "x.mp4"})
        _, append_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        seq.save_npz(tmp_path / "long.npz")
        back = PoseSequence.load_npz(tmp_path / "long.npz", on_disk=True, directory=tmp_path)
        _, npz_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    mb = 2**20
    assert append_peak < 6 * mb, append_peak / mb
    assert npz_peak < 40 * mb, npz_peak / mb   # blocks of 8,192 rows, not 85 MB arrays
    assert is_on_disk(back) and len(back) == n and back.meta == {"source": "x.mp4"}
    assert back.detected.sum() == n - n // 10
    np.testing.assert_array_equal(back.image[12345], image + 12345)
    np.testing.assert_array_equal(back.t_s, np.arange(n) / 30)
    release(back)
    np.testing.assert_array_equal(back.world[39_999], world)  # pages come back after release
    assert not list(tmp_path.glob(".glutecv-tmp-*"))  # the store's files are already unlinked


@pytest.mark.slow
def test_landmark_analysis_memory_grows_little_with_length(tmp_path: Path) -> None:
    """5 and 20 minutes of 30 fps glute bridges analysed from .npz, each in its own process:
    the peak memory grows by less than NPZ_BYTES_PER_FRAME per extra frame, and every rep
    is counted."""
    from glutecv import kinematics as km

    peaks, frames = {}, {}
    for minutes in (5, 20):
        specs = km.schedule(int(minutes * 60 / 3.6), start_s=1.0, up_s=0.9, hold_s=0.5,
                            down_s=0.9, rest_s=1.3)
        t = km.timeline(minutes * 60, 30.0)
        pose, root, _ = km.bridge_pose(km.waveform(t, specs))
        seq = km.make_sequence(pose, t, "supine", "side_left", root=root)
        src = tmp_path / f"bridges{minutes}.npz"
        km.add_noise(seq, px=1.0, world_m=0.005).save_npz(src)
        frames[minutes] = len(t)
        peaks[minutes] = _peak_rss_mb(["analyze", str(src), "-o", str(tmp_path / "out"),
                                       "--exercise", "glute_bridge", "--jobs", "1"])
        assert len(load_result(tmp_path / "out" / src.stem)["reps"]) == len(specs)
    per_frame = (peaks[20] - peaks[5]) * 2**20 / (frames[20] - frames[5])
    print("peak RSS MiB by minutes:", peaks, f"growth {per_frame:.0f} bytes/frame")
    assert per_frame < NPZ_BYTES_PER_FRAME, peaks


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
