"""``landmarks.npz`` read and written a block of rows at a time.

The file format is exactly what ``numpy.savez_compressed`` writes (one ``.npy`` member per
array, deflated, then the JSON header), so files are interchangeable with older ones; only
the memory differs: a whole-array read or write of an hour of landmarks holds ~230 MB, these
hold :data:`BLOCK_ROWS` rows (~17 MB).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import IO, Any

import numpy as np

from glutecv.pose.store import FIELDS, LandmarkStore, release
from glutecv.pose.types import PoseSequence

#: Rows per block (8,192 rows: ~17 MB of float64 landmarks).
BLOCK_ROWS = 8192


def write_npz(seq: PoseSequence, fh: IO[bytes], header: dict[str, Any]) -> None:
    """Write ``seq`` and ``header`` to the open file ``fh`` as a compressed ``.npz``."""
    fmt = np.lib.format
    n = len(seq)
    with zipfile.ZipFile(fh, mode="w", compression=zipfile.ZIP_DEFLATED,
                         allowZip64=True) as zf:
        for name, _ in FIELDS:
            arr = getattr(seq, name)
            with zf.open(name + ".npy", "w", force_zip64=True) as out:
                fmt.write_array_header_1_0(out, {
                    "descr": fmt.dtype_to_descr(arr.dtype), "fortran_order": False,
                    "shape": arr.shape})
                for start in range(0, n, BLOCK_ROWS):
                    out.write(np.ascontiguousarray(arr[start: start + BLOCK_ROWS]).tobytes())
                    release(seq)
        with zf.open("header.npy", "w", force_zip64=True) as out:
            fmt.write_array(out, np.array(json.dumps(header)), allow_pickle=False)


def read_npz_to_store(path: Path, directory: str | Path | None = None
                      ) -> tuple[dict[str, Any], LandmarkStore] | None:
    """(header, store holding the rows) of a landmark file, read a block at a time.

    Returns None when the file is not laid out as :func:`write_npz` writes it (the caller then
    reads it whole); errors in the zip or the arrays propagate.
    """
    fmt = np.lib.format
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        if not all(name + ".npy" in names for name, _ in FIELDS) or "header.npy" not in names:
            return None
        with zf.open("header.npy") as fp:
            header = json.loads(str(fmt.read_array(fp, allow_pickle=False)))
        readers, shapes, dtypes = {}, {}, {}
        try:
            for name, row_shape in FIELDS:
                fp = zf.open(name + ".npy")
                readers[name] = fp
                version = fmt.read_magic(fp)
                shape, fortran, dtype = (fmt.read_array_header_1_0(fp) if version == (1, 0)
                                         else fmt.read_array_header_2_0(fp))
                if fortran or dtype.hasobject or tuple(shape[1:]) != row_shape:
                    return None
                shapes[name], dtypes[name] = shape, dtype
            n = shapes["t_s"][0]
            if any(s[0] != n for s in shapes.values()):
                return None
            store = LandmarkStore(n, directory)
            for start in range(0, n, BLOCK_ROWS):
                m = min(BLOCK_ROWS, n - start)
                block = {}
                for name, row_shape in FIELDS:
                    count = m * int(np.prod(row_shape, dtype=int))
                    raw = readers[name].read(count * dtypes[name].itemsize)
                    block[name] = np.frombuffer(raw, dtype=dtypes[name], count=count
                                                ).reshape(m, *row_shape)
                store.extend(block)
        finally:
            for fp in readers.values():
                fp.close()
    return header, store
