"""Where pose models live.

The models folder is, in order of preference:

1. ``$GLUTECV_MODEL_DIR`` when set (tests and unusual installs);
2. ``<repo>/models`` when glutecv runs from a source checkout (a ``pyproject.toml`` sits next to
   the ``glutecv`` package), so that ``./setup.sh`` and the CLI agree without configuration;
3. ``~/.cache/glutecv/models`` (or ``$XDG_CACHE_HOME/glutecv/models``) otherwise.

The pinned checksum manifest always comes from the source tree (``<repo>/models/manifest.json``),
whatever the models folder is: it is part of the code, not of the build output.
"""

from __future__ import annotations

import os
from pathlib import Path

from glutecv.errors import ModelError

MODEL_NAMES: tuple[str, ...] = ("lite", "full", "heavy")
DEFAULT_MODEL = "full"
ENV_MODEL_DIR = "GLUTECV_MODEL_DIR"


def source_root() -> Path | None:
    """The repository root when running from a source checkout, else ``None``."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "glutecv").is_dir() else None


def models_dir() -> Path:
    """The folder holding built bundles (and the ``cache/`` of downloaded inputs)."""
    env = os.environ.get(ENV_MODEL_DIR)
    if env:
        return Path(env).expanduser()
    root = source_root()
    if root is not None:
        return root / "models"
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "glutecv" / "models"


def download_cache_dir() -> Path:
    """Where the npm tarball is kept between builds (``<models dir>/cache``)."""
    return models_dir() / "cache"


def bundle_filename(name: str) -> str:
    """``pose_landmarker_<name>.task`` for a model name (lite, full, heavy)."""
    return f"pose_landmarker_{name}.task"


def bundle_path(name: str) -> Path:
    """Path of the built bundle ``name`` in the models folder (may not exist yet)."""
    return models_dir() / bundle_filename(name)


def manifest_path() -> Path:
    """The pinned checksum manifest committed with the source (``models/manifest.json``)."""
    root = source_root()
    if root is None or not (root / "models" / "manifest.json").is_file():
        raise ModelError(
            "models/manifest.json not found: building models needs a source checkout of glutecv "
            "(git clone, then `glutecv models build`)"
        )
    return root / "models" / "manifest.json"
