"""How long the full overlay takes per frame (skeleton, angles, counter, cue, flash, fps,
timeline) at common frame sizes. Budget: ~2-3 ms per 720p frame.

    .venv/bin/python benchmarks/overlay_speed.py

Prints a table and writes ``benchmarks/results/overlay_speed.json``. ``cpu ms`` (this thread's
CPU time) is the cost of drawing; wall-clock times also count waiting for a core when other
processes run, so compare them with the recorded load average.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from annotate_helpers import small_result, standing_pose, state, valgus_rep  # noqa: E402

from glutecv.annotate import build_overlay  # noqa: E402

SIZES = ((640, 480), (1280, 720), (1920, 1080))
FRAMES = 300


def measure(width: int, height: int, with_timeline: bool) -> dict[str, float]:
    """Per-frame milliseconds over FRAMES frames: wall-clock median and 95th percentile, and
    the median CPU time of this thread (not inflated when other processes share the cores)."""
    overlay = build_overlay(width, height, small_result() if with_timeline else None)
    pose = standing_pose(height / 720)
    st = state(t_s=6.3, cue="push your knees out", last_rep=valgus_rep(2, 4.0))
    frames = [np.full((height, width, 3), 90, np.uint8) for _ in range(8)]
    for f in frames:
        overlay.annotate(f, pose, st, 30.0)  # warm up
    times, cpu = [], []
    for i in range(FRAMES):
        img = frames[i % len(frames)]
        t0, c0 = time.perf_counter(), time.thread_time()
        overlay.annotate(img, pose, st, 30.0)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.thread_time() - c0) * 1000)
    return {"median_ms": float(np.median(times)), "p95_ms": float(np.percentile(times, 95)),
            "cpu_median_ms": float(np.median(cpu))}


def main() -> None:
    rows = []
    for w, h in SIZES:
        for tl in (False, True):
            rows.append({"width": w, "height": h, "timeline": tl, **measure(w, h, tl)})
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} cores")
    print(f"{'size':>10} {'timeline':>8} {'cpu ms':>7} {'wall ms':>8} {'p95 ms':>7}")
    for r in rows:
        print(f"{r['width']}x{r['height']:<5} {str(r['timeline']):>8} {r['cpu_median_ms']:7.2f} "
              f"{r['median_ms']:8.2f} {r['p95_ms']:7.2f}")
    out = ROOT / "benchmarks" / "results" / "overlay_speed.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"machine": platform.processor() or platform.machine(),
                               "cpus": os.cpu_count(), "load_average": round(load, 2),
                               "frames": FRAMES, "rows": rows}, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
