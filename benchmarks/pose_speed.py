"""Pose model speed: frames per second of lite/full/heavy on a 720p clip.

For each model, on the same frames:

- ``decode_fps``: decoding alone (PyAV, YUV -> RGB, no model);
- ``infer_fps``: the model alone, on frames decoded into memory beforehand (decode excluded);
- ``e2e_fps``: decode + model, with decoding on the prefetch thread (what ``glutecv pose``
  does; decode included);
- ``e2e_inline_fps``: decode + model on one thread (shows what the prefetch thread buys);
- ``load_s``: creating the landmarker;
- ``cpu_ms_per_frame``: CPU time of the model-only run per frame (all threads; less sensitive
  to other jobs on the machine than frames per second).

    .venv/bin/python benchmarks/pose_speed.py [--clip PATH] [--frames 240] [--models lite full]

It also compares lite and full with heavy on the first frames of six shared clips (joint
positions and knee angles), the accuracy side of the ``--model`` choice.

Prints tables and writes ``benchmarks/results/pose_speed.json``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CLIP = REPO.parent / "shared" / "clips" / "glute_bridge" / "aminran_side.mp4"
CLIPS = REPO.parent / "shared" / "clips"
RESULTS = REPO / "benchmarks" / "results" / "pose_speed.json"


def decode_fps(clip: Path, frames: int) -> float:
    from glutecv.io.video import VideoSource

    t0 = time.perf_counter()
    with VideoSource(clip, pixel_format="rgb24", prefetch=0, max_frames=frames) as src:
        n = sum(1 for _ in src)
    return n / (time.perf_counter() - t0)


def run_model(model: str, clip: Path, frames: int) -> dict[str, float]:
    from glutecv.io.video import VideoSource
    from glutecv.pose.estimator import PoseEstimator

    with VideoSource(clip, pixel_format="rgb24", prefetch=0, max_frames=frames) as src:
        decoded = list(src)
    t0 = time.perf_counter()
    with PoseEstimator(model) as est:
        load_s = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        found = sum(est.estimate(f).detected for f in decoded)
        infer = len(decoded) / (time.perf_counter() - t0)
        infer_cpu_ms = (time.process_time() - c0) * 1000 / len(decoded)
    del decoded
    e2e = {}
    for name, prefetch in (("e2e_fps", 4), ("e2e_inline_fps", 0)):
        with PoseEstimator(model) as est:
            t0 = time.perf_counter()
            with VideoSource(clip, pixel_format="rgb24", prefetch=prefetch,
                             max_frames=frames) as src:
                n = sum(1 for f in src if est.estimate(f) is not None)
            e2e[name] = n / (time.perf_counter() - t0)
    return {"load_s": round(load_s, 3), "infer_fps": round(infer, 1),
            "e2e_fps": round(e2e["e2e_fps"], 1),
            "e2e_inline_fps": round(e2e["e2e_inline_fps"], 1),
            "cpu_ms_per_frame": round(infer_cpu_ms, 1),
            "found_fraction": round(found / max(1, frames), 3)}


AGREEMENT_CLIPS = ("glute_bridge/frank_side.mp4", "squat/kaiakol_correct_007.mp4",
                   "clamshell/ndnam_banded_clams.mp4", "hip_thrust/bassem_hipthrust.mp4",
                   "fire_hydrant/techbusa_whitebg.mp4",
                   "single_leg_glute_bridge/prakhar_sl_bridge.mp4")


def _knee_angles(image: np.ndarray) -> np.ndarray:
    """(N, 2) image-plane hip-knee-ankle angles in degrees, left and right."""
    from glutecv.landmarks import Landmark as L

    out = []
    for hip, knee, ankle in ((L.LEFT_HIP, L.LEFT_KNEE, L.LEFT_ANKLE),
                             (L.RIGHT_HIP, L.RIGHT_KNEE, L.RIGHT_ANKLE)):
        a = image[:, hip, :2] - image[:, knee, :2]
        b = image[:, ankle, :2] - image[:, knee, :2]
        cos = (a * b).sum(-1) / (np.linalg.norm(a, axis=-1) * np.linalg.norm(b, axis=-1))
        out.append(np.degrees(np.arccos(np.clip(cos, -1, 1))))
    return np.stack(out, axis=1)


def agreement(models: list[str], frames: int) -> dict[str, dict[str, float]]:
    """Each model against ``heavy`` on the first ``frames`` of a few shared clips: hips, knees
    and ankles (distance in % of frame height) and knee angles (degrees), where both found
    the person; plus the share of frames with a person."""
    from glutecv.landmarks import Landmark as L
    from glutecv.pose.extract import extract_sequence

    clips = [CLIPS / c for c in AGREEMENT_CLIPS if (CLIPS / c).is_file()]
    joints = [L.LEFT_HIP, L.RIGHT_HIP, L.LEFT_KNEE, L.RIGHT_KNEE, L.LEFT_ANKLE, L.RIGHT_ANKLE]
    seqs = {m: [extract_sequence(c, m, max_frames=frames) for c in clips]
            for m in dict.fromkeys([*models, "heavy"])}
    rows = {}
    for model in models:
        dist, angle, found, total = [], [], 0, 0
        for seq, ref in zip(seqs[model], seqs["heavy"], strict=True):
            both = seq.detected & ref.detected
            found, total = found + int(seq.detected.sum()), total + len(seq)
            d = np.linalg.norm(seq.image[both][:, joints, :2] - ref.image[both][:, joints, :2],
                               axis=-1)
            dist.append(100.0 * d.ravel() / seq.height)
            angle.append(np.abs(_knee_angles(seq.image[both]) - _knee_angles(ref.image[both]))
                         .ravel())
        dist_all, angle_all = np.concatenate(dist), np.concatenate(angle)
        rows[model] = {"found_fraction": round(found / max(1, total), 3),
                       "joint_error_pct_height_median": round(float(np.median(dist_all)), 2),
                       "joint_error_pct_height_p95": round(float(np.percentile(dist_all, 95)), 2),
                       "knee_angle_diff_deg_median": round(float(np.median(angle_all)), 1),
                       "knee_angle_diff_deg_p95": round(float(np.percentile(angle_all, 95)), 1)}
    return {"reference": "heavy", "clips": [c.relative_to(CLIPS).as_posix() for c in clips],
            "frames_per_clip": frames, "models": rows}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="pose model speed (lite/full/heavy)")
    parser.add_argument("--clip", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--frames", type=int, default=240)
    parser.add_argument("--models", nargs="+", default=["lite", "full", "heavy"])
    parser.add_argument("--agreement-frames", type=int, default=120,
                        help="frames per clip for the lite/full vs heavy comparison (0: skip)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per model; the fastest is kept (other load only slows)")
    args = parser.parse_args(argv)
    if not args.clip.is_file():
        print(f"clip not found: {args.clip}", file=sys.stderr)
        return 1

    from glutecv.io.atomic import write_json
    from glutecv.io.video import probe

    info = probe(args.clip)
    frames = min(args.frames, info.frame_count or args.frames)
    load_before = os.getloadavg()[0]
    dec = max(decode_fps(args.clip, frames) for _ in range(max(1, args.repeat)))
    rows = {}
    for model in args.models:
        runs = [run_model(model, args.clip, frames) for _ in range(max(1, args.repeat))]
        rows[model] = {key: (min if key in ("load_s", "cpu_ms_per_frame") else max)(
            r[key] for r in runs) for key in runs[0]}
        rows[model]["decode_fps"] = round(dec, 1)
    print(f"clip: {args.clip.name} {info.width}x{info.height} @ {info.fps:.2f} fps, "
          f"{frames} frames; decode alone {dec:.0f} fps")
    print(f"{'model':6s} {'load s':>7s} {'model only':>11s} {'decode+model':>13s} "
          f"{'(inline)':>9s} {'CPU ms/frame':>13s} {'found':>6s}")
    for model, r in rows.items():
        print(f"{model:6s} {r['load_s']:7.2f} {r['infer_fps']:11.1f} {r['e2e_fps']:13.1f} "
              f"{r['e2e_inline_fps']:9.1f} {r['cpu_ms_per_frame']:13.1f} "
              f"{r['found_fraction']:6.1%}")
    agree = None
    if args.agreement_frames > 0:
        agree = agreement([m for m in args.models if m != "heavy"], args.agreement_frames)
        print(f"agreement with heavy ({len(agree['clips'])} clips x {args.agreement_frames} "
              "frames): hips/knees/ankles and knee angles where both found the person")
        print(f"{'model':6s} {'found':>6s} {'joint err % height':>19s} "
              f"{'knee angle diff deg':>20s}")
        for model, r in agree["models"].items():
            print(f"{model:6s} {r['found_fraction']:6.1%} "
                  f"{r['joint_error_pct_height_median']:8.2f} (p95 "
                  f"{r['joint_error_pct_height_p95']:5.2f}) "
                  f"{r['knee_angle_diff_deg_median']:8.1f} "
                  f"(p95 {r['knee_angle_diff_deg_p95']:5.1f})")
    write_json(RESULTS, {
        "clip": args.clip.name, "width": info.width, "height": info.height, "fps": info.fps,
        "frames": frames, "decode_fps": round(dec, 1), "models": rows,
        "agreement_with_heavy": agree,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "processor": platform.processor() or platform.machine(),
                    "load_average_1min_before": round(load_before, 2),
                    "load_average_1min_after": round(os.getloadavg()[0], 2)},
        "command": "python benchmarks/pose_speed.py " + " ".join(argv or sys.argv[1:]),
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    })
    print(f"load average (1 min) before/after: {load_before:.1f}/{os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores (other work slows these figures)")
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
