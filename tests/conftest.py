"""Shared test fixtures: where the repo and the third-party clips are."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_CLIPS = REPO_ROOT.parent / "shared" / "clips"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def shared_clips() -> Path:
    """``../shared/clips`` beside the repo; tests that need it skip when it is absent."""
    if not (SHARED_CLIPS / "labels.csv").is_file():
        pytest.skip(f"third-party clips not found at {SHARED_CLIPS}")
    return SHARED_CLIPS
