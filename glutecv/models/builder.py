"""Build ``pose_landmarker_{lite,full,heavy}.task`` bundles from the pinned npm package.

A PoseLandmarker ``.task`` bundle is a zip holding two TFLite models: ``pose_detector.tflite``
(BlazePose person detector) and ``pose_landmarks_detector.tflite`` (the landmark network). The
npm package ``@mediapipe/pose`` ships both without metadata: its
``pose_solution_packed_assets.data`` is byte-for-byte ``pose_detection.tflite``, and
``pose_landmark_{lite,full,heavy}.tflite`` are the three landmark networks. We add the input
normalisation each expects and zip them reproducibly (fixed order, timestamps, permissions and
no compression), so the same inputs always give byte-identical bundles whose sha256 is pinned
in ``models/manifest.json``.
"""

from __future__ import annotations

import io
import logging
import struct
import zipfile
from collections.abc import Iterable
from pathlib import Path

from glutecv.errors import ModelError, UnknownNameError
from glutecv.io.atomic import atomic_path
from glutecv.models.manifest import Manifest, check_digest, sha256_bytes, sha256_file
from glutecv.models.npm_source import fetch_tarball, read_verified_inputs
from glutecv.models.paths import MODEL_NAMES, download_cache_dir, models_dir
from glutecv.models.tflite_metadata import add_image_input_metadata

log = logging.getLogger("glutecv.models.builder")

DETECTOR_MEMBER = "pose_detector.tflite"
LANDMARKS_MEMBER = "pose_landmarks_detector.tflite"
# Input normalisation in pixel units, (pixel - mean) / std: the detector takes [-1, 1],
# the landmark networks take [0, 1]. Both expect RGB.
DETECTOR_MEAN_STD = (127.5, 127.5)
LANDMARKS_MEAN_STD = (0.0, 255.0)
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)  # earliest zip timestamp: fixed, reproducible
ZIP_MODE = 0o100644  # regular file, rw-r--r--
# MediaPipe memory-maps the models inside the stored zip; TFLite wants weight buffers aligned,
# so each member's data starts on a 64-byte boundary, padded with an alignment extra field
# (header id 0xD935, as Android's zipalign writes it) in the local file header.
MEMBER_ALIGNMENT = 64
ALIGN_EXTRA_ID = 0xD935
LOCAL_HEADER_SIZE = 30  # fixed part of a zip local file header, bytes


def build_models(
    names: Iterable[str] | None = None, *, force: bool = False,
    model_dir: Path | None = None, cache_dir: Path | None = None,
    manifest: Manifest | None = None,
) -> list[Path]:
    """Build (or re-verify) the named bundles; return their paths.

    A bundle already present with the pinned sha256 is kept unless ``force``. Inputs and outputs
    are checked against ``manifest``; any mismatch raises a ModelError naming the file.
    """
    manifest = manifest or Manifest.load()
    names = list(names) if names is not None else list(MODEL_NAMES)
    for name in names:
        if name not in manifest.bundles:
            raise UnknownNameError("model", name, manifest.bundles)
    model_dir = model_dir or models_dir()
    cache_dir = cache_dir or download_cache_dir()

    todo = []
    for name in names:
        target = model_dir / manifest.bundles[name].filename
        pinned = manifest.bundles[name].pin.sha256
        if not force and target.is_file() and sha256_file(target) == pinned:
            log.info("%s: up to date (%s)", name, target)
        else:
            todo.append(name)
    if todo:
        inputs = read_verified_inputs(manifest, fetch_tarball(manifest, cache_dir))
        detector = _with_metadata(manifest.detector_model, inputs, DETECTOR_MEAN_STD,
                                  "BlazePose person detector")
        for name in todo:
            recipe = manifest.bundles[name]
            landmarks = _with_metadata(recipe.landmark_model, inputs, LANDMARKS_MEAN_STD,
                                       f"BlazePose GHUM 3D landmarks ({name})")
            bundle = make_bundle(detector, landmarks)
            try:
                check_digest(f"built bundle {recipe.filename}", sha256_bytes(bundle), recipe.pin)
            except ModelError as exc:
                raise ModelError(f"{exc}{_serializer_hint(manifest)}") from None
            target = model_dir / recipe.filename
            with atomic_path(target) as tmp:
                tmp.write_bytes(bundle)
            log.info("%s: built %s (%.1f MB)", name, target, len(bundle) / 1e6)
    return [model_dir / manifest.bundles[name].filename for name in names]


def make_bundle(detector: bytes, landmarks: bytes) -> bytes:
    """A reproducible ``.task`` zip of the two models (stored, aligned, fixed metadata/order)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as zf:
        for member, data in ((DETECTOR_MEMBER, detector), (LANDMARKS_MEMBER, landmarks)):
            info = zipfile.ZipInfo(member, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3  # Unix, whatever the building platform
            info.external_attr = ZIP_MODE << 16
            info.extra = _alignment_extra(out.tell(), len(member.encode()))
            zf.writestr(info, data)
    return out.getvalue()


def _alignment_extra(header_offset: int, name_length: int) -> bytes:
    """An extra field that makes a member's data start on a MEMBER_ALIGNMENT boundary."""
    fixed = header_offset + LOCAL_HEADER_SIZE + name_length + 6  # id, size, alignment: 6 bytes
    pad = -fixed % MEMBER_ALIGNMENT
    return struct.pack("<HHH", ALIGN_EXTRA_ID, 2 + pad, MEMBER_ALIGNMENT) + bytes(pad)


def _serializer_hint(manifest: Manifest) -> str:
    """Why a correct build can still miss its pin: another flatbuffers serializer version."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        installed = version("flatbuffers")
    except PackageNotFoundError:
        return ""
    pinned = manifest.flatbuffers_version
    if pinned is None or installed == pinned:
        return ""
    return (f" (the pins were made with flatbuffers {pinned}, this is {installed}: "
            f"`pip install flatbuffers=={pinned}` and build again)")


def _with_metadata(
    input_name: str, inputs: dict[str, bytes], mean_std: tuple[float, float], description: str,
) -> bytes:
    mean, std = mean_std
    return add_image_input_metadata(
        inputs[input_name], name=Path(input_name).stem, description=description,
        mean=[mean], std=[std],
    )
