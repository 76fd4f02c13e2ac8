"""Bridge-family rep counts on the real clips' cached landmarks vs reps_by_eye.

Needs ``../shared/clips/labels.csv`` and the landmark cache made by
``benchmarks/extract_clips.py`` (``benchmarks/cache/landmarks/<exercise>/<stem>.npz``);
skipped with the reason when either is missing.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest

from glutecv.exercises import get_analyzer
from glutecv.pose.types import PoseSequence

REPO = Path(__file__).resolve().parents[1]
LABELS = REPO.parent / "shared" / "clips" / "labels.csv"
CACHE = REPO / "benchmarks" / "cache" / "landmarks"
EXERCISES = ("glute_bridge", "hip_thrust", "single_leg_glute_bridge")


def _cases() -> list[tuple[str, str, int]]:
    if not LABELS.is_file():
        return []
    with open(LABELS, encoding="utf-8") as fh:
        return [(r["exercise"], Path(r["file"]).stem, int(r["reps_by_eye"]))
                for r in csv.DictReader(fh)
                if r["exercise"] in EXERCISES and r["reps_by_eye"].isdigit()]


@pytest.mark.slow
@pytest.mark.skipif(not LABELS.is_file(), reason="../shared/clips/labels.csv not found")
@pytest.mark.parametrize("exercise,stem,reps", _cases())
def test_real_clip_rep_count(exercise, stem, reps):
    npz = CACHE / exercise / f"{stem}.npz"
    if not npz.is_file():
        pytest.skip(f"no cached landmarks {npz.relative_to(REPO)}; "
                    "run benchmarks/extract_clips.py")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = get_analyzer(exercise).analyze(PoseSequence.load_npz(npz))
    assert len(res.reps) == reps


@pytest.mark.slow
def test_labelled_lumbar_driven_bridge_is_flagged():
    npz = CACHE / "glute_bridge" / "powerpwa_douyin_tutorial.npz"
    if not npz.is_file():
        pytest.skip("no cached landmarks for the labelled tutorial clip")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = get_analyzer("glute_bridge").analyze(PoseSequence.load_npz(npz))
    first = [r for r in res.reps if r.peak_s <= 2.5]   # notes: 0-2.5 s "lumbar-driven bridge"
    assert first and "lumbar_extension" in {f.code for f in first[0].faults}
    good = [r for r in res.reps if 29.5 <= r.peak_s <= 35]  # notes: correct bridges
    assert good and not any(r.faults for r in good)
