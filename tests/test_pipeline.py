"""analyze_path end to end: outputs, rep count on a known clip, .npz re-analysis, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

import glutecv
from glutecv.errors import InputError, OutputError, UnknownNameError
from glutecv.pipeline import analyze_path, is_done
from glutecv.results import AnalysisResult
from tests.pipeline_helpers import CLIPS, REPO, any_exercise, playable_frames, temporaries

KNOWN_CLIP = CLIPS / "fire_hydrant" / "rnhrn_banded.mp4"  # 87 frames, 2 reps by eye


@pytest.fixture(scope="module")
def analysed(tmp_path_factory: pytest.TempPathFactory) -> tuple[AnalysisResult, Path]:
    if not KNOWN_CLIP.is_file():
        pytest.skip(f"shared clips not found at {CLIPS}")
    out = tmp_path_factory.mktemp("out")
    result = analyze_path(KNOWN_CLIP, exercise="fire_hydrant", model="lite", out_dir=out)
    return result, out / KNOWN_CLIP.stem


@pytest.mark.slow
def test_known_clip_counts_reps_and_writes_everything(analysed: tuple[AnalysisResult, Path]
                                                       ) -> None:
    result, folder = analysed
    assert result.exercise == "fire_hydrant"
    assert len(result.reps) == 2  # labels.csv: 2 complete reps by eye
    assert all(r.side == "left" for r in result.reps)
    assert is_done(folder)
    assert not temporaries(folder)
    data = json.loads((folder / "result.json").read_text())
    assert data["summary"]["rep_count"] == 2
    assert data["model"] == "lite" and data["glutecv_version"] == glutecv.__version__
    assert data["video"]["width"] == 1280 and data["video"]["height"] == 720
    assert data["video"]["frames"] == 87
    assert len(data["series"]["t_s"]) == 87
    assert all(len(v) == 87 for v in data["series"].values())
    assert AnalysisResult.load(folder / "result.json").reps == result.reps
    schema = REPO / "docs" / "result_schema.json"
    if schema.is_file():
        import jsonschema

        jsonschema.validate(data, json.loads(schema.read_text()))
    with open(folder / "reps.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [int(r["index"]) for r in rows] == [r.index for r in result.reps]
    assert float(rows[0]["start_s"]) == pytest.approx(result.reps[0].start_s, abs=1e-3)
    assert playable_frames(folder / "annotated.mp4") == 87


@pytest.mark.slow
def test_npz_reanalysis_needs_no_model_and_agrees(analysed: tuple[AnalysisResult, Path],
                                                  tmp_path: Path) -> None:
    result, folder = analysed
    again = glutecv.analyze(folder / "landmarks.npz", exercise="fire_hydrant",
                            model="no-such-model", out_dir=tmp_path, video=False)
    assert again.reps == result.reps
    assert (tmp_path / KNOWN_CLIP.stem / "result.json").is_file()
    assert again.series["t_s"] == result.series["t_s"]


@pytest.mark.slow
def test_existing_landmarks_are_reused(analysed: tuple[AnalysisResult, Path], tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    result, folder = analysed
    dest = tmp_path / "again"
    dest.mkdir()
    shutil.copy(folder / "landmarks.npz", dest / "landmarks.npz")

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("the pose model ran although landmarks were there")

    monkeypatch.setattr("glutecv.pose_pass.extract_pose", no_model)
    again = analyze_path(KNOWN_CLIP, exercise="fire_hydrant", model="lite", dest=dest,
                         video=False)
    assert again.reps == result.reps


def test_errors_are_one_line_glutecv_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        analyze_path(tmp_path / "missing.mp4")
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(InputError, match="not a glutecv landmark file"):
        analyze_path(bad)
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        analyze_path(bad, out_dir=blocker / "sub")


def test_unknown_exercise_lists_known_ones(tmp_path: Path) -> None:
    from glutecv.pose.types import PoseSequence

    n = 30
    nan = np.full((n, 33, 3), np.nan)
    seq = PoseSequence(np.arange(n) / 30.0, nan, nan.copy(), np.zeros((n, 33)),
                       np.zeros((n, 33)), 64, 64)
    seq.save_npz(tmp_path / "empty.npz")
    with pytest.raises(UnknownNameError, match=any_exercise()):
        analyze_path(tmp_path / "empty.npz", exercise="pushup")
    result = analyze_path(tmp_path / "empty.npz", exercise=any_exercise())
    assert result.reps == ()
    assert any("no person" in w for w in result.warnings)


@pytest.mark.slow
def test_split_pose_pass_covers_every_frame_once(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from glutecv.pose_pass import extract_pose, extract_pose_parallel
    from tests.pipeline_helpers import write_video

    monkeypatch.setattr("glutecv.pose_pass.MIN_SPLIT_FRAMES", 50)  # split even a short clip
    monkeypatch.setattr("glutecv.pose_pass.HELPER_STARTUP_S", 0.1)
    video = write_video(tmp_path / "long.mp4", frames=90, width=96, height=64)
    single = extract_pose(video, "lite")
    split = extract_pose_parallel(video, "lite", workers=2)
    assert split.meta.get("split_at_s") is not None  # it really was split
    np.testing.assert_array_equal(split.t_s, single.t_s)
    assert len(split) == 90


def test_large_video_gets_an_annotated_copy_capped_at_1280(tmp_path: Path) -> None:
    import av

    from tests.pipeline_helpers import write_video

    video = write_video(tmp_path / "wide.mp4", frames=8, width=1600, height=240)
    analyze_path(video, exercise=any_exercise(), model="lite", out_dir=tmp_path / "out")
    with av.open(str(tmp_path / "out" / "wide" / "annotated.mp4")) as c:
        stream = c.streams.video[0]
        assert (stream.width, stream.height) == (1280, 192)
    assert playable_frames(tmp_path / "out" / "wide" / "annotated.mp4") == 8
