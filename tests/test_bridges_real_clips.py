"""Bridge-family rep counts on the real clips' cached landmarks vs reps_by_eye.

Needs ``../shared/clips/labels.csv`` (skipped with the reason when it is missing). Landmarks
come from the cache that ``benchmarks/extract_clips.py`` fills
(``benchmarks/cache/landmarks/<exercise>/<stem>.npz``); a clip missing from it (a fresh clone,
as in CI) is run through the full model here and cached the same way, so the real clips always
prove the whole pipeline (about 2 minutes for these 15 clips on 2 cores).
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

from glutecv.exercises import get_analyzer

sys.path.insert(0, str(Path(__file__).parent))
from real_clip_helpers import LABELS, cached_landmarks, counted_reps, label_rows  # noqa: E402

EXERCISES = ("glute_bridge", "hip_thrust", "single_leg_glute_bridge")


def _cases() -> list[tuple[str, str, int]]:
    return [(r["exercise"], Path(r["file"]).stem, int(r["reps_by_eye"])) for r in label_rows()
            if r["exercise"] in EXERCISES and r["reps_by_eye"].isdigit()]


@pytest.mark.slow
@pytest.mark.skipif(not LABELS.is_file(), reason="../shared/clips/labels.csv not found")
@pytest.mark.parametrize("exercise,stem,reps", _cases())
def test_real_clip_rep_count(exercise, stem, reps):
    assert counted_reps(exercise, stem) == reps


@pytest.mark.slow
@pytest.mark.skipif(not LABELS.is_file(), reason="../shared/clips/labels.csv not found")
def test_labelled_lumbar_driven_bridge_is_flagged():
    seq = cached_landmarks("glute_bridge", "powerpwa_douyin_tutorial")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = get_analyzer("glute_bridge").analyze(seq)
    first = [r for r in res.reps if r.peak_s <= 2.5]   # notes: 0-2.5 s "lumbar-driven bridge"
    assert first and "lumbar_extension" in {f.code for f in first[0].faults}
    good = [r for r in res.reps if 29.5 <= r.peak_s <= 35]  # notes: correct bridges
    assert good and not any(r.faults for r in good)
