"""Helpers for the pose tests: skip without a built model, and the container's own times."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest


def require_model(name: str = "full") -> Path:
    """The built bundle ``name``; skips the test (with the fix) when it is not built."""
    from glutecv.errors import GlutecvError
    from glutecv.models import resolve_model

    try:
        return resolve_model(name)
    except GlutecvError as exc:
        pytest.skip(f"pose model {name!r} not available: {exc}")


def container_times(path: Path, limit: int | None = None) -> list[float]:
    """``pts * time_base`` of every frame, straight from PyAV (the reference for t_s)."""
    import av

    times: list[float] = []
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            times.append(float(frame.pts * stream.time_base))
            if limit is not None and len(times) >= limit:
                break
    return times


@pytest.fixture
def cli_logging() -> Iterator[None]:
    """Restore the ``glutecv`` logger after ``glutecv.cli.main`` reconfigured it."""
    logger = logging.getLogger("glutecv")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield
    logger.handlers[:], logger.level, logger.propagate = saved
