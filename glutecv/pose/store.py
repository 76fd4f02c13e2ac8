"""A clip's landmarks on disk instead of in memory, so a long run does not grow with its length.

An hour of video at 30 fps is 108,000 rows of ~2.1 KB (float64 times, 33 image and world
points and their scores): ~230 MB that would otherwise sit in memory from the pose pass to the
last output. A :class:`LandmarkStore` writes rows to a temporary file instead (a small chunk
is buffered in memory), and :meth:`LandmarkStore.to_sequence` maps the file back as an
ordinary :class:`~glutecv.pose.types.PoseSequence` of read-only arrays: nothing is resident
until it is read, and pages that were read are file cache the kernel can drop at will.

The file is **landmark-major**: every value (the x of landmark 23 in image space, say) is one
contiguous column of N float64. Reading a few landmarks of the whole clip (what an analyzer
does) touches only their columns, not every frame's whole row. The arrays are strided views
of shape (N, 33, 3) / (N, 33) like any other sequence; values are bit-identical.

:func:`release` drops the pages of such a sequence from this process's memory after a
pass over it (:meth:`PoseSequence.save_npz` and the annotated-video pass read in chunks and
release as they go). The file is unlinked as soon as it is created (or, for a file handed to
another process, when it is opened), so nothing is left behind, even after a crash.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.landmarks import NUM_LANDMARKS
from glutecv.pose.types import PoseFrame, PoseSequence

#: (name, shape of one row) of every array of a PoseSequence, in file order.
FIELDS: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("t_s", ()), ("image", (NUM_LANDMARKS, 3)), ("world", (NUM_LANDMARKS, 3)),
    ("visibility", (NUM_LANDMARKS,)), ("presence", (NUM_LANDMARKS,)))
_COLUMNS = {name: int(np.prod(shape, dtype=int)) for name, shape in FIELDS}
ROW_COLUMNS = sum(_COLUMNS.values())   # 265 float64 values per frame
ROW_BYTES = 8 * ROW_COLUMNS            # 2,120 bytes per frame
#: Rows buffered in memory before they are written out (~2 MB).
CHUNK_ROWS = 1024
_PREFIX = ".glutecv-tmp-landmarks-"  # pipeline.remove_stale_temporaries cleans these up


@dataclass(frozen=True)
class StoreFile:
    """A finished store's file, to hand to another process (picklable)."""

    path: str
    capacity: int
    n: int


class LandmarkStore:
    """Rows of a PoseSequence appended to a landmark-major temporary file.

    ``capacity`` is a first guess of the row count (the file is sparse, so a generous guess
    costs nothing); the file is rewritten larger if more rows come. ``directory`` holds the
    temporary file (default: the system's temporary folder). ``keep_name=True`` keeps the file
    named so another process can open it (:meth:`detach`, :meth:`attach`).
    """

    def __init__(self, capacity: int = 4096, directory: str | Path | None = None, *,
                 keep_name: bool = False) -> None:
        self.n = 0
        self._dir = str(directory) if directory is not None else None
        self._keep_name = keep_name
        self._cap = 0
        self._fd = -1
        self._path: str | None = None
        self._open(max(CHUNK_ROWS, int(capacity)))
        self._chunk = {name: np.full((CHUNK_ROWS, *shape), np.nan) for name, shape in FIELDS}
        self._k = 0  # rows in the chunk

    # --- file layout ------------------------------------------------------------------------
    def _open(self, capacity: int) -> None:
        fd, path = tempfile.mkstemp(prefix=_PREFIX, suffix=".f64", dir=self._dir)
        os.ftruncate(fd, capacity * ROW_BYTES)
        if not self._keep_name:
            os.unlink(path)
        self._fd, self._path, self._cap = fd, (path if self._keep_name else None), capacity

    def _column_offset(self, name: str, column: int, capacity: int | None = None) -> int:
        cap = self._cap if capacity is None else capacity
        before = 0
        for other, _ in FIELDS:
            if other == name:
                break
            before += _COLUMNS[other]
        return (before + column) * cap * 8

    def _grow(self, rows: int) -> None:
        """Move to a bigger file (rare: the first guess was short)."""
        old_fd, old_cap, old_path = self._fd, self._cap, self._path
        self._open(max(rows, old_cap * 2))
        for name, _ in FIELDS:
            for j in range(_COLUMNS[name]):
                src = self._column_offset(name, j, old_cap)
                data = os.pread(old_fd, self.n * 8, src)
                os.pwrite(self._fd, data, self._column_offset(name, j))
        os.close(old_fd)
        if old_path is not None:
            os.unlink(old_path)

    # --- writing ------------------------------------------------------------------------------
    def append(self, pose: PoseFrame) -> None:
        """Add one frame's landmarks as the next row."""
        k = self._k
        c = self._chunk
        c["t_s"][k] = pose.t_s
        c["image"][k], c["world"][k] = pose.image, pose.world
        c["visibility"][k], c["presence"][k] = pose.visibility, pose.presence
        self._k += 1
        if self._k == CHUNK_ROWS:
            self._flush()

    def extend(self, arrays: dict[str, np.ndarray]) -> None:
        """Add a block of rows (``arrays`` keyed like :data:`FIELDS`, same length)."""
        self._flush()
        m = len(arrays["t_s"])
        self._write(self.n, {name: np.asarray(arrays[name], dtype=np.float64)
                             for name, _ in FIELDS}, m)
        self.n += m

    def _flush(self) -> None:
        if self._k:
            self._write(self.n, self._chunk, self._k)
            self.n += self._k
            self._k = 0

    def _write(self, start: int, arrays: dict[str, np.ndarray], m: int) -> None:
        if start + m > self._cap:
            self._grow(start + m)
        for name, _ in FIELDS:
            flat = np.ascontiguousarray(arrays[name][:m].reshape(m, -1).T)  # (columns, m)
            for j in range(flat.shape[0]):
                os.pwrite(self._fd, flat[j].tobytes(), self._column_offset(name, j) + start * 8)

    def __len__(self) -> int:
        return self.n + self._k

    # --- reading ------------------------------------------------------------------------------
    def to_sequence(self, width: int, height: int, meta: dict[str, Any]) -> PoseSequence:
        """The rows so far as a PoseSequence of read-only arrays mapped from the file."""
        self._flush()
        if self.n == 0:
            return PoseSequence.from_frames([], width, height, meta)
        file = os.fdopen(os.dup(self._fd), "rb")
        whole = np.memmap(file, dtype=np.float64, mode="r", shape=(self._cap * ROW_COLUMNS,))
        whole._glutecv_file = file  # type: ignore[attr-defined]  # for copy_on_write()
        arrays: dict[str, np.ndarray] = {}
        for name, shape in FIELDS:
            start = self._column_offset(name, 0) // 8
            block = whole[start: start + _COLUMNS[name] * self._cap]
            cols = block.reshape(*shape, self._cap)[..., : self.n]  # landmark-major
            arrays[name] = np.moveaxis(cols, -1, 0).view(np.ndarray)
        return PoseSequence(**arrays, width=int(width), height=int(height), meta=meta)

    def detach(self) -> StoreFile:
        """Hand the file to another process (needs ``keep_name=True``); closes it here."""
        if self._path is None:
            raise ValueError("detach() needs a store made with keep_name=True")
        self._flush()
        os.close(self._fd)
        self._fd = -1
        return StoreFile(self._path, self._cap, self.n)

    @classmethod
    def attach(cls, file: StoreFile) -> LandmarkStore:
        """Open a file another process :meth:`detach`-ed, and unlink its name."""
        store = cls.__new__(cls)
        store.n, store._k, store._cap = file.n, 0, file.capacity
        store._dir, store._keep_name, store._path = None, False, None
        store._fd = os.open(file.path, os.O_RDWR)
        os.unlink(file.path)
        store._chunk = {name: np.full((CHUNK_ROWS, *shape), np.nan) for name, shape in FIELDS}
        return store

    def close(self) -> None:
        """Close the file (sequences already mapped from it stay valid)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        if self._path is not None and os.path.exists(self._path):
            os.unlink(self._path)
            self._path = None

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            self.close()


def sequence_on_disk(seq: PoseSequence, directory: str | Path | None = None) -> PoseSequence:
    """``seq`` moved to a :class:`LandmarkStore` (a no-op for a sequence already there)."""
    if is_on_disk(seq) or len(seq) == 0:
        return seq
    store = LandmarkStore(len(seq), directory)
    for start in range(0, len(seq), 8 * CHUNK_ROWS):
        part = seq.slice(start, start + 8 * CHUNK_ROWS)
        store.extend({name: getattr(part, name) for name, _ in FIELDS})
    out = store.to_sequence(seq.width, seq.height, seq.meta)
    store.close()
    return out


def _whole(arr: np.ndarray) -> np.memmap | None:
    """The whole-file read-only map an array of an on-disk sequence is a view of."""
    base: Any = arr
    while base is not None:
        if isinstance(base, np.memmap) and hasattr(base, "_glutecv_file"):
            return base
        base = getattr(base, "base", None)
    return None


def _mapping(arr: np.ndarray) -> mmap.mmap | None:
    whole = _whole(arr)
    mm = getattr(whole, "_mmap", None)
    return mm if isinstance(mm, mmap.mmap) else None


def copy_on_write(arr: np.ndarray) -> np.ndarray | None:
    """A writable copy of an array of an on-disk sequence that costs memory only where it is
    written: a private (copy-on-write) map of the same file, with the same layout. None for
    an array that is not on disk."""
    whole = _whole(arr)
    if whole is None:
        return None
    private = np.memmap(whole._glutecv_file, dtype=np.float64, mode="c",  # type: ignore[attr-defined]
                        shape=whole.shape)
    offset = arr.__array_interface__["data"][0] - whole.__array_interface__["data"][0]
    return np.ndarray(arr.shape, np.float64, buffer=private, offset=offset,
                      strides=arr.strides)


def is_on_disk(seq: PoseSequence) -> bool:
    """True when ``seq``'s arrays are mapped from a file (a :class:`LandmarkStore`)."""
    return _mapping(seq.t_s) is not None


def release(seq: PoseSequence) -> None:
    """Drop the pages of an on-disk sequence from this process's memory (they stay in the
    file; reading them again faults them back in). A no-op for an in-memory sequence. Only
    the read-only maps are released, never a :func:`copy_on_write` copy (its changes live
    only in memory)."""
    advice = getattr(mmap, "MADV_DONTNEED", None)  # not on every platform
    if advice is None:
        return
    seen: set[int] = set()
    for name, _ in FIELDS:
        mm = _mapping(getattr(seq, name))
        if mm is not None and id(mm) not in seen and not mm.closed:
            seen.add(id(mm))
            mm.madvise(advice)
