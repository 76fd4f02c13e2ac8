"""``glutecv pose``: quiet success, one-line errors for misuse, atomic output."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from io_helpers import REPO, clip, truncate, write_audio_only, write_video
from pose_helpers import cli_logging, require_model  # noqa: F401  (fixture)

from glutecv.cli import main
from glutecv.pose.types import PoseSequence

NATIVE_NOISE = ("INFO: ", "W0000", "I0000", "Sparsity", "XNNPACK", "LiteRT", "absl")


def _run(argv: list[str], capfd) -> tuple[int, str]:
    code = main(argv)
    return code, capfd.readouterr().err


@pytest.mark.slow
def test_pose_writes_npz_and_keeps_native_logs_quiet(tmp_path: Path, capfd,
                                                     cli_logging) -> None:  # noqa: F811
    require_model("full")
    out = tmp_path / "out" / "bridge.npz"
    code, err = _run(["pose", str(clip("glute_bridge/frank_side.mp4")), "-o", str(out),
                      "--end", "1.0"], capfd)
    assert code == 0, err
    assert not [line for line in err.splitlines() if line.startswith(NATIVE_NOISE)], err
    seq = PoseSequence.load_npz(out)
    assert len(seq) == 30 and seq.detected.mean() >= 0.95
    assert seq.meta["model"] == "full" and seq.meta["source_name"] == "frank_side.mp4"
    assert [p.name for p in out.parent.iterdir()] == ["bridge.npz"]  # no temp files left


def _misuse_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    good, _ = write_video(tmp / "good.mp4", n=10)
    whole, _ = write_video(tmp / "whole.mp4", n=40)
    (tmp / "zero.mp4").write_bytes(b"")
    (tmp / "notes.mp4").write_text("not a video at all\n" * 30)
    out = str(tmp / "o.npz")
    return {
        "missing": (["pose", str(tmp / "nope.mp4"), "-o", out], "no such file"),
        "non-video": (["pose", str(tmp / "notes.mp4"), "-o", out], "not a video"),
        "zero-byte": (["pose", str(tmp / "zero.mp4"), "-o", out], "empty"),
        "truncated": (["pose", str(truncate(whole, tmp / "cut.mp4", 0.5)), "-o", out],
                      "truncated"),
        "audio-only": (["pose", str(write_audio_only(tmp / "a.m4a")), "-o", out], "audio"),
        "unknown model": (["pose", str(good), "-o", out, "--model", "medium"],
                          "unknown model 'medium'; choose one of"),
        "missing model file": (["pose", str(good), "-o", out, "--model", "/no/such.task"],
                               "model file not found"),
        "bad output": (["pose", str(good), "-o", str(tmp / "o.csv")], ".npz"),
        "unwritable output": (["pose", str(good), "-o", str(tmp / "notes.mp4" / "o.npz")],
                              "cannot write to"),
    }


@pytest.mark.parametrize("case", ["missing", "non-video", "zero-byte", "truncated",
                                  "audio-only", "unknown model", "missing model file",
                                  "bad output", "unwritable output"])
def test_misuse_is_one_line_error_and_nonzero_exit(tmp_path: Path, capfd, case: str,
                                                   cli_logging) -> None:  # noqa: F811
    argv, expected = _misuse_inputs(tmp_path)[case]
    code, err = _run(argv, capfd)
    assert code != 0
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("glutecv: error: ") and expected in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "o.npz").exists()


@pytest.mark.slow
def test_subprocess_error_has_no_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "glutecv", "pose", str(tmp_path / "x.mp4")],
                          capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode != 0
    assert proc.stderr.strip() == f"glutecv: error: {tmp_path / 'x.mp4'}: no such file"

