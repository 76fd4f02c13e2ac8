"""Bad input through the real CLI, part 2: outputs that cannot be written, glutecv's own files
damaged or from another version, unknown names, and ``--verbose``.

Same rules as ``test_reliability_inputs.py``: one ``glutecv: error:`` (or, for one input of a
batch, ``glutecv: failed:``) line, no traceback, a non-zero exit, nothing half-written.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.reliability_helpers import (
    assert_one_line_error,
    cli,
    cut_file,
    final_files,
    load_result,
    write_video,
)


# --- outputs that cannot be written ---------------------------------------------------------
def test_output_folder_that_cannot_be_written(capsys, tmp_path: Path) -> None:
    """Below a regular FILE nothing can be created, even as root (chmod would not stop root)."""
    blocker = tmp_path / "i_am_a_file"
    blocker.write_text("x")
    src = write_video(tmp_path / "v.mp4", n=5)
    code, _, err = cli(capsys, "analyze", str(src), "-o", str(blocker / "out"),
                       "--model", "lite")
    assert code == 2
    assert_one_line_error(err, "cannot write")
    code, _, err = cli(capsys, "pose", str(src), "-o", str(blocker / "v.npz"), "--model", "lite")
    assert code != 0
    assert_one_line_error(err, "cannot write")
    assert blocker.read_text() == "x"
    assert not list(tmp_path.glob(".glutecv-tmp-*"))


def test_report_to_unwritable_place(capsys, tmp_path: Path) -> None:
    folder = _fake_analysed_folder(tmp_path / "out" / "clip")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = cli(capsys, "report", str(folder), "-o", str(blocker / "report.html"))
    assert code != 0
    assert_one_line_error(err, "cannot write")


# --- damaged glutecv files ------------------------------------------------------------------
def _landmark_file(path: Path, version: int | None = None) -> Path:
    from tests.reliability_helpers import bridge_sequence

    seq, _ = bridge_sequence(reps=1)
    seq.save_npz(path)
    if version is not None:  # rewrite the header with another format version
        with np.load(path) as z:
            arrays = {k: z[k] for k in z.files}
        header = json.loads(str(arrays["header"]))
        header["version"] = version
        arrays["header"] = np.array(json.dumps(header))
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)
    return path


@pytest.mark.parametrize("kind", ["garbage", "not_glutecv", "wrong_version", "cut"])
def test_malformed_or_wrong_version_npz(capsys, tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"{kind}.npz"
    if kind == "garbage":
        path.write_bytes(b"PK\x03\x04 this is not really a zip")
    elif kind == "not_glutecv":
        np.savez(path, x=np.arange(3))
    elif kind == "wrong_version":
        _landmark_file(path, version=99)
    else:
        good = _landmark_file(tmp_path / "good.npz")
        cut_file(good, path, 0.6)
    out = tmp_path / "out"
    code, _, err = cli(capsys, "analyze", str(path), "-o", str(out), "--exercise",
                       "glute_bridge")
    assert code == 1, err
    line = assert_one_line_error(err, path.name, prefix="glutecv: failed:")
    if kind == "wrong_version":
        assert "version 99" in line and "not supported" in line
    assert final_files(out / kind) == []


def _fake_analysed_folder(folder: Path) -> Path:
    """A real analysed folder made from landmarks (no model): result.json, reps.csv, npz."""
    from glutecv.pipeline import analyze_sequence, write_outputs
    from tests.reliability_helpers import bridge_sequence

    seq, _ = bridge_sequence(reps=2)
    result = analyze_sequence(seq, "glute_bridge", source="clip.mp4")
    folder.mkdir(parents=True, exist_ok=True)
    write_outputs(folder, seq, result)
    return folder


@pytest.mark.parametrize("kind", ["malformed", "wrong_version", "not_an_object"])
def test_malformed_or_wrong_version_result_json_for_report(capsys, tmp_path: Path,
                                                          kind: str) -> None:
    folder = _fake_analysed_folder(tmp_path / "out" / "clip")
    text = {"malformed": '{"schema_version": 1, "reps": [',
            "wrong_version": json.dumps({**load_result(folder), "schema_version": 0}),
            "not_an_object": "[1, 2, 3]"}[kind]
    (folder / "result.json").write_text(text)
    report = tmp_path / "report.html"
    code, _, err = cli(capsys, "report", str(folder), "-o", str(report))
    assert code == 2, err
    line = assert_one_line_error(err, "result.json")
    if kind == "wrong_version":
        assert "version" in line
    assert not report.exists()


@pytest.mark.parametrize("kind", ["malformed", "wrong_version"])
def test_malformed_or_wrong_version_result_json_is_redone_by_analyze(capsys, tmp_path: Path,
                                                                    kind: str) -> None:
    """An output folder whose result.json is damaged or from another schema version is not
    'done': analyze redoes it instead of skipping it, and the new result is valid."""
    src = _landmark_file(tmp_path / "session.npz")
    out = tmp_path / "out"
    code, _, err = cli(capsys, "analyze", str(src), "-o", str(out), "--exercise",
                       "glute_bridge")
    assert code == 0, err
    result_file = out / "session" / "result.json"
    good = load_result(out / "session")
    result_file.write_text('{"schema_version": 1, "reps": [' if kind == "malformed"
                           else json.dumps({**good, "schema_version": 0}))
    code, stdout, err = cli(capsys, "analyze", str(src), "-o", str(out), "--exercise",
                            "glute_bridge")
    assert code == 0, err
    assert "1 analysed" in stdout, stdout
    again = load_result(out / "session")
    assert again["schema_version"] == 1
    assert len(again["reps"]) == len(good["reps"])


# --- names ------------------------------------------------------------------------------------
def test_unknown_exercise_lists_the_valid_ones(capsys, tmp_path: Path) -> None:
    from glutecv.exercises import names

    src = write_video(tmp_path / "v.mp4", n=3)
    for cmd in (["analyze", str(src), "-o", str(tmp_path / "out"), "--exercise", "donkey_kick"],
                ["live", "--source", str(src), "--no-window", "--exercise", "donkey_kick"]):
        code, _, err = cli(capsys, *cmd)
        assert code == 2
        line = assert_one_line_error(err, "unknown exercise", "donkey_kick")
        for name in names():
            assert name in line
    assert final_files(tmp_path / "out") == []


def test_unknown_model_lists_the_valid_ones(capsys, tmp_path: Path) -> None:
    src = write_video(tmp_path / "v.mp4", n=3)
    for cmd in (["analyze", str(src), "-o", str(tmp_path / "out"), "--model", "medium"],
                ["pose", str(src), "-o", str(tmp_path / "v.npz"), "--model", "medium"]):
        code, _, err = cli(capsys, *cmd)
        assert code == 2
        line = assert_one_line_error(err, "unknown model", "medium")
        for name in ("lite", "full", "heavy"):
            assert name in line
    assert final_files(tmp_path / "out") == []
    assert not (tmp_path / "v.npz").exists()
    code, _, err = cli(capsys, "analyze", str(src), "-o", str(tmp_path / "out"), "--model",
                       str(tmp_path / "missing.task"))
    assert code == 2
    assert_one_line_error(err, "missing.task")


def test_verbose_adds_the_details(capsys, tmp_path: Path) -> None:
    """The one-line error stays; ``--verbose`` adds the traceback for a bug report."""
    from glutecv.cli import main

    fake = tmp_path / "notes.mp4"
    fake.write_text("not a video\n")
    capsys.readouterr()
    code = main(["--verbose", "pose", str(fake), "-o", str(tmp_path / "x.npz")])
    err = capsys.readouterr().err
    assert code == 2
    assert "glutecv: error:" in err and "not a video" in err
    assert "Traceback" in err  # the details, only on request
