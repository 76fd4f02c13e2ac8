"""Bridge-family analyzers on the real clips: rep counts and labelled faults, clip by clip.

Reads cached landmarks ``benchmarks/cache/landmarks/<exercise>/<stem>.npz`` (made by
``benchmarks/extract_clips.py``) for the hip_thrust, glute_bridge and single_leg_glute_bridge
clips of ``../shared/clips/labels.csv``, runs the analyzer named by the clip's folder, and
compares the count with ``reps_by_eye`` (integer labels only). Prints a table and writes
``benchmarks/results/accuracy_bridges.json``.

    .venv/bin/python benchmarks/accuracy_bridges.py
"""

from __future__ import annotations

import csv
import json
import sys
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "clips"
CACHE = REPO / "benchmarks" / "cache" / "landmarks"
OUT = REPO / "benchmarks" / "results" / "accuracy_bridges.json"
EXERCISES = ("glute_bridge", "hip_thrust", "single_leg_glute_bridge")

#: Faults that a clip's form_notes name, with the time window (s) where they happen; a rep
#: whose peak falls in the window should carry the fault. Windows from the notes.
NOTED_FAULTS = {
    "glute_bridge/powerpwa_douyin_tutorial": [(0.0, 2.5, "lumbar_extension")],
}
#: Clips whose notes describe clean form: no rep should carry these faults.
NOTED_CLEAN = {
    "glute_bridge/aminran_side": ("lumbar_extension", "incomplete_rom"),
    "glute_bridge/frank_side": ("lumbar_extension", "incomplete_rom"),
    "glute_bridge/techbusa_sparkpeople": ("lumbar_extension", "incomplete_rom"),
    "glute_bridge/ndnam_home": ("lumbar_extension", "incomplete_rom", "knee_valgus"),
    "hip_thrust/julio_tiktok_3panel": ("lumbar_extension", "incomplete_rom"),
    "hip_thrust/bassem_hipthrust": ("lumbar_extension", "incomplete_rom", "knee_valgus"),
    "single_leg_glute_bridge/prakhar_sl_bridge": ("pelvic_drop",),
    "single_leg_glute_bridge/slayer_puente_una_pierna": ("pelvic_drop", "incomplete_rom"),
}


def main() -> int:
    if not CLIPS.is_dir():
        print(f"no clips folder at {CLIPS}; nothing to measure")
        return 0
    from glutecv.exercises import get_analyzer
    from glutecv.pose.types import PoseSequence

    with open(CLIPS / "labels.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["exercise"] in EXERCISES]
    results = []
    for r in rows:
        stem = Path(r["file"]).stem
        key = f"{r['exercise']}/{stem}"
        npz = CACHE / r["exercise"] / f"{stem}.npz"
        entry: dict = {"clip": key, "label": r["reps_by_eye"], "camera_label": r["camera_view"]}
        if not npz.is_file():
            entry["status"] = "no cached landmarks"
            results.append(entry)
            continue
        seq = PoseSequence.load_npz(npz)
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = get_analyzer(r["exercise"]).analyze(seq)
        entry.update(
            status="ok", predicted=len(res.reps), seconds=round(time.perf_counter() - t0, 3),
            view=f"{res.view.camera}/{res.view.orientation}",
            reps=[{"side": x.side, "start_s": round(x.start_s, 2), "peak_s": round(x.peak_s, 2),
                   "end_s": round(x.end_s, 2), "faults": [f.code for f in x.faults]}
                  for x in res.reps],
            unsupported=sorted(res.view.unsupported))
        if r["reps_by_eye"].isdigit():
            entry["error"] = len(res.reps) - int(r["reps_by_eye"])
        checks = []
        for lo, hi, code in NOTED_FAULTS.get(key, []):
            hit = any(lo <= x.peak_s <= hi and code in {f.code for f in x.faults}
                      for x in res.reps)
            checks.append({"fault": code, "window_s": [lo, hi], "flagged": hit})
        for code in NOTED_CLEAN.get(key, ()):
            false = sum(code in {f.code for f in x.faults} for x in res.reps)
            checks.append({"fault": code, "expected": "none", "false_flags": false})
        entry["fault_checks"] = checks
        results.append(entry)

    counted = [e for e in results if "error" in e]
    exact = sum(e["error"] == 0 for e in counted)
    within1 = sum(abs(e["error"]) <= 1 for e in counted)
    noted = [c for e in results for c in e.get("fault_checks", []) if "flagged" in c]
    clean = [c for e in results for c in e.get("fault_checks", []) if "false_flags" in c]
    summary = {
        "clips_with_integer_label": len(counted), "exact": exact, "within_one": within1,
        "exact_pct": round(100 * exact / len(counted), 1) if counted else None,
        "noted_faults_flagged": f"{sum(c['flagged'] for c in noted)}/{len(noted)}",
        "false_flags_on_clean_clips": sum(c["false_flags"] for c in clean),
    }
    print(f"{'clip':48s} {'label':>5s} {'pred':>4s}  view             faults")
    for e in results:
        if e["status"] != "ok":
            print(f"{e['clip']:48s} {e['label']:>5s}    -  {e['status']}")
            continue
        faults = ",".join(sorted({f for x in e["reps"] for f in x["faults"]})) or "-"
        mark = "" if e.get("error", 0) == 0 else "  <-- miss"
        print(f"{e['clip']:48s} {e['label']:>5s} {e['predicted']:>4d}  {e['view']:16s} "
              f"{faults}{mark}")
    print(json.dumps(summary))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO))
    from glutecv.io.atomic import write_json

    write_json(OUT, {"summary": summary, "clips": results})
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
