"""``result.json`` written piece by piece: the same bytes as ``AnalysisResult.save``, without
the whole document as one string in memory.

An hour at 30 fps has ~1.3 million per-frame series values. ``json.dumps`` with an indent
builds a list of millions of small strings and then joins them (~1.2 KB a frame at its peak,
~130 MB for an hour); here the encoder's pieces go straight to the (temporary) file, and
NaN becomes null as the values are written instead of in a copy of every series.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from glutecv.io.atomic import _nan_to_none, atomic_path
from glutecv.results import AnalysisResult, FrameSeries


class _NullForNaN(list):  # type: ignore[type-arg]
    """A read-only list view of ``values`` that yields None for NaN and infinities (JSON's
    null), as :func:`glutecv.io.atomic.write_json` writes them. Only the JSON encoder's use
    (truth value, length, iteration) is supported."""

    def __init__(self, values: list[float] | FrameSeries) -> None:
        super().__init__()
        self._values = values

    def __len__(self) -> int:
        return len(self._values)

    def __bool__(self) -> bool:
        return bool(self._values)

    def __iter__(self) -> Iterator[Any]:
        for v in self._values:
            if isinstance(v, float) and not math.isfinite(v):
                yield None
            elif hasattr(v, "item") and callable(v.item):  # a numpy scalar
                yield _nan_to_none(v.item())
            else:
                yield v


def write_result_json(path: str | Path, result: AnalysisResult) -> None:
    """Write ``result`` to ``path`` atomically, byte for byte as ``result.save(path)``."""
    doc = replace(result, series={}).to_dict()  # the series as they are, not as lists
    series = result.series
    clean = _nan_to_none(doc)
    clean["series"] = {k: _NullForNaN(v) if isinstance(v, list | FrameSeries) else _nan_to_none(v)
                       for k, v in series.items()}
    encoder = json.JSONEncoder(indent=2, allow_nan=False)
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as fh:
        for piece in encoder.iterencode(clean):
            fh.write(piece)
        fh.write("\n")
