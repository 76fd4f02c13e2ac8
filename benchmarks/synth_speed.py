"""Synthetic studio speed: time per frame to pose the body and to render it.

For each exercise, over ``--frames`` evenly spaced phases of a rep (with its faults on):

- ``pose_ms``: the exercise script (IK, faults) + forward kinematics + skinning;
- ``render_ms``: lighting + rasterising + shadow + 2x2 anti-aliasing at each frame size;
- ``load_s``: loading the body model (anny's cache warm) once.

    .venv/bin/python benchmarks/synth_speed.py [--frames 40] [--sizes 480x360 640x480]

Prints a table and writes ``benchmarks/results/synth_speed.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "synth_speed.json"
EXERCISES = ("hip_thrust", "glute_bridge", "single_leg_glute_bridge", "clamshell",
             "fire_hydrant", "squat", "lunge")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=40)
    parser.add_argument("--sizes", nargs="+", default=["480x360", "640x480"])
    args = parser.parse_args()

    from glutecv.synth.appearance import pick_colors, vertex_albedo, vertex_parts
    from glutecv.synth.body import load_rest_body, skin
    from glutecv.synth.camera import frame_camera, view_direction
    from glutecv.synth.exercises import exercise_class
    from glutecv.synth.scene import Mesh, Room, box_mesh, render_frame
    from glutecv.synth.skeleton import Skeleton

    t0 = time.perf_counter()
    rest = load_rest_body()
    load_s = time.perf_counter() - t0
    sk = Skeleton.of(rest)
    albedo = vertex_albedo(vertex_parts(rest), pick_colors(np.random.default_rng(0)))
    rows = []
    for name in EXERCISES:
        cls = exercise_class(name)
        ex = cls(sk)
        faults = {c: 10.0 for c in cls.faults if c != "incomplete_rom"}
        phases = np.linspace(0.0, 1.0, args.frames)
        ex.pose(0.5, faults)  # warm-up
        t0 = time.perf_counter()
        posed = []
        for p in phases:
            rot, trans, heads = ex.fk(ex.pose(float(p), faults))
            posed.append((skin(rest, rot, trans), heads))
        pose_ms = 1000 * (time.perf_counter() - t0) / len(phases)
        points = np.concatenate([v[::7] for v, _ in posed])
        row = {"exercise": name, "frames": len(phases), "pose_ms": round(pose_ms, 1)}
        for size in args.sizes:
            w, h = (int(x) for x in size.split("x"))
            direction = view_direction(ex.default_view, np.asarray(ex.front_axis),
                                       ex.side_direction(), ex.front_elevation,
                                       ex.oblique_front)
            cam = frame_camera(points, direction, w, h)
            room = Room(cam, "studio", points.mean(axis=0))
            props = [box_mesh(b) for b in ex.props()]
            render_frame(room, [Mesh(posed[0][0], rest.faces, albedo), *props], posed[0][1])
            t0 = time.perf_counter()
            for vertices, heads in posed:
                render_frame(room, [Mesh(vertices, rest.faces, albedo), *props], heads[::8])
            row[f"render_ms_{size}"] = round(1000 * (time.perf_counter() - t0) / len(posed), 1)
        rows.append(row)

    cols = ["exercise", "pose_ms"] + [f"render_ms_{s}" for s in args.sizes]
    print(" | ".join(f"{c:>24s}" for c in cols))
    for row in rows:
        print(" | ".join(f"{row[c]!s:>24s}" for c in cols))
    result = {"benchmark": "synth_speed", "load_body_s": round(load_s, 2), "rows": rows,
              "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(),
                          "python": platform.python_version()},
              "note": "per frame, one process; other jobs may share the CPU"}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    tmp = RESULTS.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(result, indent=2) + "\n")
    os.replace(tmp, RESULTS)
    print(f"wrote {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
