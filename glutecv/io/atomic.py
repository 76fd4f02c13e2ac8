"""Atomic file writing: a reader sees either the complete new file or nothing.

Everything glutecv writes goes through :func:`atomic_path`: the data goes to a temporary file
in the same folder, which is renamed over the target only when the ``with`` block finishes
without an exception. A run killed at any moment leaves no half-written output that looks done.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from glutecv.errors import OutputError

TMP_PREFIX = ".glutecv-tmp-"


@contextlib.contextmanager
def atomic_path(path: str | Path, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    The temporary name keeps the target's suffix (some writers choose a format from it).
    On an exception the temporary file is removed and the target is left untouched.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(
            prefix=TMP_PREFIX, suffix=suffix if suffix is not None else path.suffix,
            dir=path.parent,
        )
    except OSError as exc:
        raise OutputError(f"cannot write to {path.parent}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(path: str | Path, data: Any) -> None:
    """Write ``data`` as indented JSON to ``path`` atomically (NaN is written as null)."""
    write_text(path, json.dumps(_nan_to_none(data), indent=2, allow_nan=False) + "\n")


def _nan_to_none(obj: Any) -> Any:
    if isinstance(obj, float):
        return None if obj != obj or obj in (float("inf"), float("-inf")) else obj
    if isinstance(obj, dict):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_nan_to_none(v) for v in obj]
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalar
        return _nan_to_none(obj.item())
    return obj
