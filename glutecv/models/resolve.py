"""Choose a pose model: ``lite|full|heavy`` (built bundles) or the path of a ``.task`` file.

:func:`resolve_model` is what every ``--model`` option goes through. Built bundles are checked
against their pinned sha256 (when the source manifest is at hand); any ``.task`` file, built or
user-supplied, must be a zip holding the two models a PoseLandmarker needs.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from glutecv.errors import GlutecvError, InputError, ModelError, UnknownNameError
from glutecv.models.builder import DETECTOR_MEMBER, LANDMARKS_MEMBER
from glutecv.models.manifest import Manifest, check_digest, sha256_file
from glutecv.models.paths import MODEL_NAMES, bundle_path, source_root

MODEL_CHOICES: tuple[str, ...] = (*MODEL_NAMES, "PATH.task")
BUILD_HINT = "run `glutecv models build`"


def resolve_model(spec: str | Path) -> Path:
    """The ``.task`` file for ``spec``: a model name (lite, full, heavy) or a ``.task`` path.

    Raises ModelError (with the command that fixes it) for a missing or bad bundle,
    InputError for a ``.task`` path that does not exist, UnknownNameError for anything else.
    """
    text = str(spec)
    if text in MODEL_NAMES:
        path = bundle_path(text)
        if not path.is_file():
            raise ModelError(f"model {text!r} is not built ({path} is missing); {BUILD_HINT}")
        check_task_file(path)
        manifest = _manifest_if_available()
        if manifest is not None:
            verify_bundle(text, path, manifest)
        return path
    if text.lower().endswith(".task"):
        path = Path(text).expanduser()
        if not path.is_file():
            raise InputError(f"model file not found: {path}")
        check_task_file(path)
        return path
    raise UnknownNameError("model", text, MODEL_CHOICES)


def check_task_file(path: Path) -> None:
    """Raise ModelError unless ``path`` is a zip with both PoseLandmarker models inside."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise ModelError(f"{path} is not a PoseLandmarker .task bundle (not a zip file: {exc})"
                         ) from None
    missing = [m for m in (DETECTOR_MEMBER, LANDMARKS_MEMBER) if m not in names]
    if missing:
        raise ModelError(f"{path} is not a PoseLandmarker .task bundle "
                         f"(missing {', '.join(missing)})")


def verify_bundle(name: str, path: Path, manifest: Manifest) -> None:
    """Raise ModelError unless the built bundle ``name`` at ``path`` has its pinned sha256."""
    try:
        check_digest(f"{path}", sha256_file(path), manifest.bundles[name].pin)
    except ModelError as exc:
        raise ModelError(f"{exc}; rebuild it with `glutecv models build --force --only {name}`"
                         ) from None


@dataclass(frozen=True)
class ModelStatus:
    """One row of ``glutecv models status``: where a model is and whether it verified."""

    name: str
    path: Path
    size_bytes: int | None
    verified: bool
    problem: str | None


def model_status(manifest: Manifest | None = None) -> list[ModelStatus]:
    """Status of every built model (missing, failing its checksum, or verified)."""
    manifest = manifest or _manifest_if_available()
    rows = []
    for name in MODEL_NAMES:
        path = bundle_path(name)
        size = path.stat().st_size if path.is_file() else None
        problem = None
        try:
            if size is None:
                raise ModelError(f"missing; {BUILD_HINT}")
            check_task_file(path)
            if manifest is None:
                raise ModelError("no checksum manifest (not a source checkout)")
            verify_bundle(name, path, manifest)
        except GlutecvError as exc:
            problem = str(exc)
        rows.append(ModelStatus(name, path, size, problem is None, problem))
    return rows


def _manifest_if_available() -> Manifest | None:
    """The pinned manifest from the source tree, or None when running from an installed wheel."""
    root = source_root()
    if root is None or not (root / "models" / "manifest.json").is_file():
        return None
    return Manifest.load(root / "models" / "manifest.json")
