"""Real clips from ``../shared/clips`` for tests: their labels and their landmarks.

Landmarks come from the benchmarks' cache (``benchmarks/cache/landmarks/<exercise>/<stem>.npz``,
written by ``benchmarks/extract_clips.py``); a clip missing from the cache (a fresh clone, CI)
is run through the ``full`` model here, the way that script does it, and cached the same way.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from glutecv.pose.types import PoseSequence

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "clips"
LABELS = CLIPS / "labels.csv"
CACHE = REPO / "benchmarks" / "cache" / "landmarks"


def label_rows() -> list[dict[str, str]]:
    """The rows of ``labels.csv`` (empty when ``../shared`` is absent)."""
    if not LABELS.is_file():
        return []
    with open(LABELS, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def cached_landmarks(exercise: str, stem: str) -> PoseSequence:
    """The clip's landmarks (``full`` model), extracted and cached first if not cached yet.
    Skips the test when the clip is not in ``../shared/clips``."""
    npz = CACHE / exercise / f"{stem}.npz"
    if not npz.is_file():
        video = next((CLIPS / exercise).glob(f"{stem}.*"), None)
        if video is None:
            pytest.skip(f"clip {exercise}/{stem} not found in {CLIPS}")
        from glutecv.pose.extract import extract_sequence

        people = {r["file"]: r["people_count"] for r in label_rows()}
        num_poses = 2 if people.get(f"{exercise}/{video.name}", "1").strip() == "2" else 1
        npz.parent.mkdir(parents=True, exist_ok=True)
        extract_sequence(video, "full", num_poses=num_poses).save_npz(npz)
    return PoseSequence.load_npz(npz)


def counted_reps(exercise: str, stem: str) -> int:
    """How many reps the exercise's analyzer counts on the clip (batch analysis)."""
    import warnings

    from glutecv.exercises import get_analyzer

    seq = cached_landmarks(exercise, stem)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return len(get_analyzer(exercise).analyze(seq).reps)
