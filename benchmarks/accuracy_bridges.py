"""Bridge-family analyzers on the real clips: rep counts and labelled faults, clip by clip.

Reads cached landmarks ``benchmarks/cache/landmarks/<exercise>/<stem>.npz`` (made by
``benchmarks/extract_clips.py``) for the hip_thrust, glute_bridge and single_leg_glute_bridge
clips of ``../shared/clips/labels.csv``, runs the analyzer named by the clip's folder, and
compares the count with ``reps_by_eye`` (integer labels only). Then the same for the bundled
rendered ``samples/`` of these exercises against their ground truth (counts, injected faults,
per-angle errors), when their landmarks are cached. Prints tables and writes
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
    samples = rendered_samples()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(REPO))
    from glutecv.io.atomic import write_json

    write_json(OUT, {"summary": summary, "clips": results, "samples": samples})
    print(f"wrote {OUT.relative_to(REPO)}")
    return 0


def _truth_angle(frame: dict, key: str, side: str) -> float:
    """The renderer's true value of our series ``key``: the shoulder-hip-knee line from its
    3D joints in the sagittal plane (x along the floor, y up; + = hips above the line), or
    its knee flexion."""
    import numpy as np

    from glutecv.geometry import shoulder_hip_knee_line

    if key.startswith("knee_flexion"):
        return float(frame["angles"]["knee_flexion_deg"][side])
    pts = frame["landmarks_3d_m"]
    s, h, k = (np.array(pts[f"{side.upper()}_{j}"])[:2] for j in ("SHOULDER", "HIP", "KNEE"))
    return float(shoulder_hip_knee_line(s, h, k, np.array([0.0, 1.0])))


def rendered_samples() -> list[dict]:
    """The bundled ``samples/*.mp4`` of the bridge family (``glutecv synth``): counts, faults
    per rep vs the injected ones, and per-angle errors vs the renderer's ground truth."""
    import numpy as np

    from glutecv.exercises import get_analyzer
    from glutecv.pose.types import PoseSequence
    from glutecv.synth.writer import read_truth

    out = []
    for truth_path in sorted((REPO / "samples").glob("*.json")):
        truth = read_truth(truth_path)
        ex = truth.get("scene", {}).get("exercise")
        npz = CACHE / "samples" / f"{truth_path.stem}.npz"
        if ex not in EXERCISES or not npz.is_file():
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            res = get_analyzer(ex).analyze(PoseSequence.load_npz(npz))
        errors: dict[str, dict[str, float] | str] = {}
        frames = truth["frames"][:len(res.series["t_s"])]
        # seen along the body (feet or head end) the sagittal angles are not measured: the
        # pose model's 3D points there describe a standing body (reps count on the image)
        sagittal = () if res.view.camera in ("front", "back") else (
            "hip_extension_{}_deg", "knee_flexion_{}_deg")
        if not sagittal:
            errors["sagittal"] = f"not measured from a {res.view.camera} view"
        for ours in sagittal:
            diffs = []
            for side in ("left", "right"):
                got = res.series[ours.format(side)][:len(frames)]
                want = np.array([_truth_angle(f, ours, side) for f in frames])
                diffs.append(got - want)
            d = np.concatenate(diffs)
            d = d[np.isfinite(d)]
            errors[ours.format("side")] = {"bias_deg": round(float(np.mean(d)), 1),
                                           "mae_deg": round(float(np.mean(np.abs(d))), 1)}
        injected = [sorted(f["code"] for f in r["faults"]) for r in truth["reps"]]
        found = []
        for r in truth["reps"]:
            near = [x for x in res.reps if abs(x.peak_s - r["peak_s"]) < 1.5]
            found.append(sorted({f.code for x in near for f in x.faults}))
        out.append({"sample": truth_path.stem, "exercise": ex, "view": res.view.camera,
                    "reps_truth": len(truth["reps"]), "reps_found": len(res.reps),
                    "faults_injected": injected, "faults_found": found,
                    "not_measurable": sorted(res.view.unsupported), "angle_errors": errors})
        print(f"sample {truth_path.stem:38s} reps {len(res.reps)}/{len(truth['reps'])} "
              f"injected {injected} found {found} errors {errors}")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
