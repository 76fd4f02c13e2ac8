"""Part (b) of ``benchmarks/accuracy.py``: the rendered synthetic samples with ground truth.

For every ``samples/NAME.mp4`` with ``samples/NAME.json`` (made by ``glutecv synth``): pose the
video (cached in ``benchmarks/cache/landmarks/samples/NAME.npz``; made only with ``--extract``),
run the analyzer named in the truth, and compare

* the rep count with the truth's reps;
* faults: each injected fault should be flagged on its rep (a hit) and on no other rep; a flag
  on a rep where nothing was injected is a false alarm;
* angles: per frame, every analyzer series whose name says which angle it is
  (``knee_flexion_left_deg``, ``fppa_right_deg``, ...) against the truth's angle, as the
  median absolute error and the median signed error (bias), in degrees.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.synth.writer import read_truth  # compact sample ground truth

# analyzer series name -> (truth angle name, transform of the truth value)
ANGLE_KEYS: tuple[tuple[re.Pattern[str], str, Any], ...] = (
    (re.compile(r"^knee_flexion_(left|right)_deg$"), "knee_flexion_deg", lambda v: v),
    (re.compile(r"^hip_flexion_(left|right)_deg$"), "hip_flexion_deg", lambda v: v),
    (re.compile(r"^hip_abduction_(left|right)_deg$"), "hip_abduction_deg", lambda v: v),
    (re.compile(r"^opening_(left|right)_deg$"), "hip_abduction_deg", lambda v: v),
    # fire hydrant phase signal: the thigh's lift out to the side (= abduction, pelvis level)
    (re.compile(r"^lift_(left|right)_deg$"), "hip_abduction_deg", lambda v: v),
    (re.compile(r"^fppa_(left|right)_deg$"), "knee_fppa_2d_deg", lambda v: v),
    (re.compile(r"^knee_angle_(left|right)_deg$"), "knee_flexion_deg", lambda v: 180.0 - v),
)


def _pose(video: Path, cache: Path, extract: bool, model: str):  # -> PoseSequence | None
    from glutecv.pose.types import PoseSequence

    npz = cache / f"{video.stem}.npz"
    # a cache older than its video is stale (the sample was re-rendered): pose it again
    if npz.is_file() and npz.stat().st_mtime >= video.stat().st_mtime:
        return PoseSequence.load_npz(npz)
    if not extract:
        return None
    from glutecv.pose.extract import extract_sequence

    seq = extract_sequence(video, model)
    cache.mkdir(parents=True, exist_ok=True)
    seq.save_npz(npz)
    return seq


def angle_errors(series: dict[str, Any], truth: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Median |error| and median error (bias) per matched series, degrees."""
    frames = truth["frames"]
    out = {}
    for key, values in series.items():
        for pattern, name, fn in ANGLE_KEYS:
            m = pattern.match(key)
            if not m:
                continue
            side = m.group(1)
            n = min(len(values), len(frames))
            got = np.asarray(values[:n], dtype=float)
            want = np.array([fn(float(f["angles"][name][side]))
                             if f["angles"].get(name, {}).get(side) is not None else math.nan
                             for f in frames[:n]])
            ok = np.isfinite(got) & np.isfinite(want)
            if ok.sum() >= 5:
                err = got[ok] - want[ok]
                out[key] = {"vs": f"{name}[{side}]", "frames": int(ok.sum()),
                            "median_abs_deg": round(float(np.median(np.abs(err))), 2),
                            "bias_deg": round(float(np.median(err)), 2)}
    return out


def match_reps(reps: list[Any], truth_reps: list[dict[str, Any]]) -> list[int | None]:
    """For each true rep, the index of the predicted rep whose peak is nearest within the true
    rep's start..end (None if none)."""
    out: list[int | None] = []
    for tr in truth_reps:
        cands = [(abs(r.peak_s - tr["peak_s"]), i) for i, r in enumerate(reps)
                 if tr["start_s"] - 0.5 <= r.peak_s <= tr["end_s"] + 0.5]
        out.append(min(cands)[1] if cands else None)
    return out


def _truth_note(code: str, rep: dict[str, Any], truth: dict[str, Any]) -> str:
    """For a missed knee_valgus: the true peak 2D FPPA over the rep (the analyzers flag an
    absolute FPPA above their threshold, while the renderer injects a change of FPPA)."""
    if code != "knee_valgus":
        return ""
    vals = [f["angles"]["knee_fppa_2d_deg"].get(side)
            for f in truth["frames"] if rep["start_s"] <= f["t_s"] <= rep["end_s"]
            for side in ("left", "right")]
    vals = [v for v in vals if v is not None and math.isfinite(v)]
    return f" (true peak 2D FPPA {max(vals):.1f} deg)" if vals else ""


def score_clip(video: Path, seq: Any, truth: dict[str, Any]) -> dict[str, Any]:
    """Counts, fault hits/misses/false alarms and angle errors of one sample."""
    from glutecv.exercises import get_analyzer
    from glutecv.recognition import recognise

    exercise = truth["scene"]["exercise"]
    analysis = get_analyzer(exercise).analyze(seq)
    reps = list(analysis.reps)
    truth_reps = truth["reps"]
    matched = match_reps(reps, truth_reps)
    hits, misses, false_alarms, unsupported = [], [], [], []
    injected_on: dict[int, set[str]] = {}
    for tr, i in zip(truth_reps, matched, strict=True):
        codes = {f["code"] for f in tr.get("faults", [])}
        got = {f.code for f in reps[i].faults} if i is not None else set()
        if i is not None:
            injected_on[i] = codes
        for c in sorted(codes):
            if c in analysis.view.unsupported:
                unsupported.append(f"rep {tr['index']}: {c}")
            elif c in got:
                hits.append(f"rep {tr['index']}: {c}")
            else:
                misses.append(f"rep {tr['index']}: {c}{_truth_note(c, tr, truth)}")
    for i, r in enumerate(reps):
        for f in r.faults:
            if f.code not in injected_on.get(i, set()):
                false_alarms.append(f"rep {r.index} ({r.peak_s:.1f}s): {f.code} {f.value}")
    guess = recognise(seq)
    return {
        "sample": video.name, "exercise": exercise, "view": truth["scene"].get("view"),
        "true_reps": len(truth_reps), "predicted_reps": len(reps),
        "faults_injected": sum(len(tr.get("faults", [])) for tr in truth_reps),
        "fault_hits": hits, "fault_misses": misses, "fault_false_alarms": false_alarms,
        "fault_unsupported_by_view": unsupported,
        "recognised": guess.exercise, "recognition_correct": guess.exercise == exercise,
        "angle_errors": angle_errors(analysis.series, truth),
    }


def synth_part(repo: Path, cache: Path, extract: bool = False, model: str = "full"
               ) -> dict[str, Any]:
    """Score every sample with ground truth; prints a table; returns the JSON part."""
    samples = sorted((repo / "samples").glob("*.mp4"))
    print("\n(b) Rendered synthetic samples (samples/*.mp4 with *.json ground truth)")
    clips, skipped = [], []
    for video in samples:
        truth_file = video.with_suffix(".json")
        if not truth_file.is_file():
            skipped.append(f"{video.name}: no ground truth")
            continue
        seq = _pose(video, cache, extract, model)
        if seq is None:
            skipped.append(f"{video.name}: no cached landmarks (run with --extract)")
            continue
        clips.append(score_clip(video, seq, read_truth(truth_file)))
    for c in clips:
        mark = "ok " if c["predicted_reps"] == c["true_reps"] else "MISS"
        print(f"{mark} {c['sample']:42s} reps {c['predicted_reps']}/{c['true_reps']}  "
              f"faults hit {len(c['fault_hits'])}/{c['faults_injected']}, "
              f"false alarms {len(c['fault_false_alarms'])}, recognised {c['recognised']}")
        for what in ("fault_misses", "fault_false_alarms", "fault_unsupported_by_view"):
            for item in c[what]:
                print(f"      {what.replace('_', ' ')}: {item}")
        for key, e in c["angle_errors"].items():
            print(f"      {key:28s} vs {e['vs']:26s} |err| {e['median_abs_deg']:5.1f} "
                  f"bias {e['bias_deg']:+5.1f} deg ({e['frames']} frames)")
    for s in skipped:
        print(f"skipped {s}")
    n = len(clips)
    injected = sum(c["faults_injected"] - len(c["fault_unsupported_by_view"]) for c in clips)
    summary = {
        "samples": n, "skipped": skipped,
        "exact_counts": sum(c["predicted_reps"] == c["true_reps"] for c in clips),
        "faults_injected_measurable": injected,
        "faults_found": sum(len(c["fault_hits"]) for c in clips),
        "false_alarms": sum(len(c["fault_false_alarms"]) for c in clips),
        "recognition_correct": sum(c["recognition_correct"] for c in clips),
    }
    if n:
        print(f"exact counts {summary['exact_counts']}/{n}; injected faults found "
              f"{summary['faults_found']}/{injected}; false alarms {summary['false_alarms']}; "
              f"recognised {summary['recognition_correct']}/{n}")
    return {"clips": clips, "summary": summary}
