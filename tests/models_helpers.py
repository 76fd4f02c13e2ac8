"""Fixtures for the model tests: a private models folder built from the cached npm tarball."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from glutecv.models.builder import build_models
from glutecv.models.manifest import Manifest

REPO_ROOT = Path(__file__).resolve().parents[1]


def seed_cache(cache_dir: Path, manifest: Manifest) -> None:
    """Copy the repo's cached npm tarball into ``cache_dir`` (if the repo has one)."""
    cached = REPO_ROOT / "models" / "cache" / manifest.tarball
    if cached.is_file():
        cache_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cached, cache_dir / manifest.tarball)


@pytest.fixture(scope="session")
def manifest() -> Manifest:
    return Manifest.load()


@pytest.fixture(scope="session")
def built_dir(tmp_path_factory: pytest.TempPathFactory, manifest: Manifest) -> Path:
    """A models folder with all three bundles built from scratch (tarball reused if cached)."""
    model_dir = tmp_path_factory.mktemp("models")
    seed_cache(model_dir / "cache", manifest)
    build_models(model_dir=model_dir, cache_dir=model_dir / "cache", manifest=manifest)
    return model_dir
