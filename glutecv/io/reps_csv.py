"""``reps.csv``: one row per repetition, for spreadsheets and quick review.

Columns: ``index, side, start_s, peak_s, end_s, duration_s, good, faults, fault_details`` and
then one column per metric (the metric names already carry their unit, e.g. ``rom_deg``).
``faults`` lists the fault codes separated by ``;``; ``fault_details`` gives each fault's
measured value against its threshold (``knee_valgus 14.2 deg (limit 10 deg)``). Missing
numbers are empty cells, never ``nan``. The file is written atomically.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from pathlib import Path

from glutecv.io.atomic import write_text
from glutecv.results import Rep

BASE_COLUMNS = ("index", "side", "start_s", "peak_s", "end_s", "duration_s", "good", "faults",
                "fault_details")


def _num(x: float, digits: int = 3) -> str:
    """A number as text rounded to ``digits`` places; empty for NaN/inf."""
    if x is None or not math.isfinite(float(x)):
        return ""
    return f"{float(x):.{digits}f}".rstrip("0").rstrip(".") if digits else str(x)


def rep_rows(reps: Iterable[Rep]) -> tuple[list[str], list[list[str]]]:
    """The header and the rows (as strings) of the rep table."""
    reps = list(reps)
    metric_names: list[str] = []
    for rep in reps:
        for name in rep.metrics:
            if name not in metric_names and name not in BASE_COLUMNS:
                metric_names.append(name)
    header = [*BASE_COLUMNS, *metric_names]
    rows = []
    for rep in reps:
        details = "; ".join(
            f"{f.code} {_num(f.value, 2)} {f.unit} (limit {_num(f.threshold, 2)} {f.unit})"
            .replace("  ", " ") for f in rep.faults
        )
        rows.append([
            str(rep.index), rep.side, _num(rep.start_s), _num(rep.peak_s), _num(rep.end_s),
            _num(rep.end_s - rep.start_s), "yes" if rep.good else "no",
            ";".join(f.code for f in rep.faults), details,
            *(_num(rep.metrics.get(m, math.nan)) for m in metric_names),
        ])
    return header, rows


def reps_csv_text(reps: Iterable[Rep]) -> str:
    """The whole CSV document as text (header line even when there are no reps)."""
    header, rows = rep_rows(reps)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def write_reps_csv(path: str | Path, reps: Iterable[Rep]) -> None:
    """Write ``reps.csv`` atomically."""
    write_text(path, reps_csv_text(reps))
