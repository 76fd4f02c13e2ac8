"""Batch analysis: folders, bad files, skip/--force, name collisions, kill and resume."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from glutecv.batch import find_inputs, plan_jobs
from glutecv.errors import InputError
from tests.pipeline_helpers import (
    PYTHON,
    REPO,
    any_exercise,
    clamshell_sequence,
    load_json,
    run_cli,
    temporaries,
    write_bad_files,
    write_video,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def videos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two small videos in nested folders with the same stem, plus a good one at the top."""
    root = tmp_path_factory.mktemp("videos")
    write_video(root / "a" / "clip.mp4", frames=20)
    write_video(root / "b" / "clip.mp4", frames=24)
    write_video(root / "top.mp4", frames=16)
    return root


def test_find_inputs_recurses_and_rejects_missing_or_empty(videos: Path, tmp_path: Path) -> None:
    found = find_inputs([videos])
    assert sorted(p.name for p in found) == ["clip.mp4", "clip.mp4", "top.mp4"]
    with pytest.raises(InputError, match="no such file"):
        find_inputs([tmp_path / "missing.mp4"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "readme.txt").write_text("x")
    with pytest.raises(InputError, match="no videos"):
        find_inputs([tmp_path / "empty"])


def test_same_stem_gets_distinct_folders(videos: Path, tmp_path: Path) -> None:
    jobs = plan_jobs(find_inputs([videos]), tmp_path)
    dests = [j.dest for j in jobs]
    assert len(set(dests)) == 3
    assert tmp_path / "top" in dests
    # the plan is stable from run to run, so a re-run finds finished folders
    assert dests == [j.dest for j in plan_jobs(find_inputs([videos]), tmp_path)]


def test_folder_with_bad_files_continues_and_exits_nonzero(videos: Path, tmp_path: Path) -> None:
    bad = tmp_path / "in"
    write_bad_files(bad)
    write_video(bad / "good.mp4", frames=16)
    out = tmp_path / "out"
    exercise = any_exercise()
    proc = run_cli("analyze", str(bad), "-o", str(out), "--model", "lite", "--exercise",
                   exercise, "--jobs", "2", "--no-video")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    failed_lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("glutecv: failed:")]
    assert len(failed_lines) == 2, proc.stderr  # one line per bad file
    assert (out / "good" / "result.json").is_file()
    assert load_json(out / "good" / "result.json")["exercise"]["name"] == exercise
    assert "FAILED" in proc.stdout and "good.mp4" in proc.stdout
    assert not temporaries(out)


def test_skip_done_and_force(videos: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("analyze", str(videos / "top.mp4"), "-o", str(out), "--model", "lite",
            "--exercise", any_exercise())
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    for name in ("result.json", "reps.csv", "landmarks.npz", "annotated.mp4"):
        assert (out / "top" / name).is_file(), name
    stamp = (out / "top" / "result.json").stat().st_mtime_ns
    again = run_cli(*args)
    assert again.returncode == 0 and "skipped" in again.stdout
    assert (out / "top" / "result.json").stat().st_mtime_ns == stamp
    forced = run_cli(*args, "--force")
    assert forced.returncode == 0
    assert (out / "top" / "result.json").stat().st_mtime_ns != stamp


def test_unwritable_output_is_one_line_error(videos: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    proc = run_cli("analyze", str(videos / "top.mp4"), "-o", str(blocker / "out"),
                   "--model", "lite")
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("glutecv: error: cannot write"), proc.stderr


def test_sigkill_mid_batch_then_resume(tmp_path: Path) -> None:
    src = tmp_path / "in"
    for i in range(5):
        write_video(src / f"v{i}.mp4", frames=60, width=320, height=240)
    out = tmp_path / "out"
    cmd = [PYTHON, "-m", "glutecv", "-q", "analyze", str(src), "-o", str(out), "--model",
           "lite", "--exercise", any_exercise(), "--jobs", "1"]
    proc = subprocess.Popen(cmd, cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not (out / "v0" / "result.json").exists():
        time.sleep(0.05)
    time.sleep(0.3)  # let it get into the middle of the next video
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (out / "v0" / "result.json").exists(), "first video never finished"
    finished = {d.name: (d / "result.json").stat().st_mtime_ns
                for d in out.iterdir() if (d / "result.json").exists()}
    assert len(finished) < 5, "the batch finished before it could be killed"
    # nothing that looks complete is half-written: every real-named file is whole
    for d in out.iterdir():
        if (d / "result.json").exists():
            assert load_json(d / "result.json")["schema_version"] == 1
    rerun = run_cli("analyze", str(src), "-o", str(out), "--model", "lite", "--exercise",
                    any_exercise(), "--jobs", "1")
    assert rerun.returncode == 0, rerun.stderr
    assert rerun.stdout.count("skipped") >= len(finished)
    for name, stamp in finished.items():  # done ones were not redone
        assert (out / name / "result.json").stat().st_mtime_ns == stamp
    for i in range(5):
        assert (out / f"v{i}" / "annotated.mp4").is_file()
    assert not temporaries(out)


def test_ctrl_c_stops_a_parallel_batch_promptly(tmp_path: Path) -> None:
    src = tmp_path / "in"
    for i in range(4):
        write_video(src / f"v{i}.mp4", frames=90, width=320, height=240)
    proc = subprocess.Popen(
        [PYTHON, "-m", "glutecv", "-q", "analyze", str(src), "-o", str(tmp_path / "out"),
         "--model", "lite", "--exercise", any_exercise(), "--jobs", "2"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)
    time.sleep(4.0)  # workers are starting or running
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    started = time.monotonic()
    _, err = proc.communicate(timeout=30)
    assert time.monotonic() - started < 15
    if proc.returncode != 0:  # (a fast machine may have finished already)
        assert proc.returncode == 130 and "interrupted" in err
        assert "Traceback" not in err


def test_reanalysing_saved_landmarks_in_place(tmp_path: Path) -> None:
    clamshell_sequence().save_npz(tmp_path / "session.npz")
    out = tmp_path / "out"
    first = run_cli("analyze", str(tmp_path / "session.npz"), "-o", str(out), "--exercise",
                    "clamshell")
    assert first.returncode == 0, first.stderr
    reps = load_json(out / "session" / "result.json")["summary"]["rep_count"]
    again = run_cli("analyze", str(out / "session" / "landmarks.npz"), "-o", str(out),
                    "--exercise", "clamshell", "--force")
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["session"]  # same folder, no copy
    assert load_json(out / "session" / "result.json")["summary"]["rep_count"] == reps
    assert "session/landmarks.npz" in again.stdout
