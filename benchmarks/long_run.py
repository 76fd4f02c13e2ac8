"""Long runs: does memory stay flat when the video gets long?

Measures the peak resident memory (RSS, summed over glutecv's process tree, sampled every
0.2 s from /proc) of real ``glutecv analyze`` runs on generated inputs of growing length:

* ``video``: an H.264 video with nobody in it (a moving box on grey, 640x480), analysed
  end to end with the ``lite`` model, ``--jobs 1`` (one process): decode, pose model,
  analysis, annotated.mp4, result.json. Nobody in view keeps the model cheap (the detector runs
  but finds nobody), so an hour of video fits a benchmark; the frame rate is low (``--fps``,
  default 5) for the same reason. What is measured is memory against the number of frames
  decoded, analysed, drawn and encoded; not the landmark model's own cost per person.
* ``npz``: landmark files of a person doing glute bridges (synthetic kinematics, 30 fps,
  a rep every 3.6 s), analysed with ``--exercise glute_bridge``: the analysis, rep counting
  and result writing over a full hour of reps at the real frame rate, no model.
* ``person``: a real-person video at its own 30 fps, ``samples/glute_bridge_clean.mp4``
  (9.4 s, 3 reps) repeated end to end (remuxed, not re-encoded) to the length asked, analysed
  end to end with the ``lite`` model and ``--exercise auto``: the whole product on an hour of
  30 fps video with a person in it (slow: about an hour of machine time for an hour).

Usage::

    python benchmarks/long_run.py                       # 5, 20, 60 minutes, both kinds
    python benchmarks/long_run.py --minutes 2 8 --kinds video
    python benchmarks/long_run.py --minutes 60 --kinds person --append

Prints a table and writes ``benchmarks/results/long_run.json`` (with the RSS time series).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "long_run.json"
PERSON_CLIP = REPO / "samples" / "glute_bridge_clean.mp4"


def write_empty_room(path: Path, minutes: float, fps: int, width: int = 640,
                     height: int = 480) -> int:
    """An H.264 video of ``minutes`` with a moving box and nobody in it; returns frames."""
    import av

    n = int(minutes * 60 * fps)
    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=Fraction(fps))
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.options = {"preset": "ultrafast"}
        base = np.full((height, width, 3), 70, np.uint8)
        for i in range(n):
            img = base.copy()
            x = (i * 9) % (width - 80)
            img[height // 3: height // 3 + 80, x: x + 80] = 200
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="bgr24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    return n


def write_looped(src: Path, path: Path, minutes: float) -> int:
    """``src`` repeated end to end (packets remuxed with shifted times) to about ``minutes``;
    returns the number of frames."""
    import av

    with av.open(str(src)) as inp:
        stream = inp.streams.video[0]
        packets = sorted((p for p in inp.demux(stream) if p.dts is not None and p.size),
                         key=lambda p: p.pts)
        step = min(b.pts - a.pts for a, b in zip(packets, packets[1:], strict=False))
        span = packets[-1].pts - packets[0].pts + step
        loops = max(1, int(round(minutes * 60 / float(span * stream.time_base))))
        with av.open(str(path), "w") as out:
            dst = out.add_stream_from_template(stream)
            for k in range(loops):
                for p in sorted(packets, key=lambda p: p.dts):
                    q = av.Packet(bytes(p))
                    q.pts, q.dts, q.time_base = p.pts + k * span, p.dts + k * span, p.time_base
                    q.is_keyframe = p.is_keyframe
                    q.stream = dst
                    out.mux(q)
    return loops * len(packets)


def write_bridges(path: Path, minutes: float, fps: float = 30.0) -> int:
    """A landmark file of ``minutes`` of glute bridges (one every 3.6 s); returns frames."""
    sys.path.insert(0, str(REPO))
    from glutecv import kinematics as km

    period = 3.6
    n_reps = int(minutes * 60 / period)
    specs = km.schedule(n_reps, start_s=1.0, up_s=0.9, hold_s=0.5, down_s=0.9, rest_s=1.3)
    t = km.timeline(minutes * 60, fps)
    pose, root, _ = km.bridge_pose(km.waveform(t, specs))
    seq = km.add_noise(km.make_sequence(pose, t, "supine", "side_left", root=root), px=1.0,
                       world_m=0.005)
    seq.save_npz(path)
    return len(seq)


def _commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                         capture_output=True)
    return out.stdout.strip()


def tree_rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MiB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024.0


def run_measured(args: list[str], every_s: float = 0.2) -> dict:
    """Run ``glutecv ARGS``; peak and time series of the tree's RSS, and wall time."""
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "glutecv", "-q", *args], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    series: list[tuple[float, float]] = []
    while proc.poll() is None:
        series.append((round(time.monotonic() - started, 2), round(tree_rss_mb(proc.pid), 1)))
        time.sleep(every_s)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"glutecv failed ({proc.returncode}): {err.strip()[-500:]}")
    peak = max((r for _, r in series), default=float("nan"))
    return {"wall_s": round(time.monotonic() - started, 1), "peak_rss_mb": peak,
            "rss_series": series[:: max(1, len(series) // 200)]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--minutes", type=float, nargs="+", default=[5, 20, 60])
    ap.add_argument("--kinds", nargs="+", default=["video", "npz"],
                    choices=["video", "npz", "person"])
    ap.add_argument("--append", action="store_true",
                    help="keep the rows already in --out (other kinds or lengths)")
    ap.add_argument("--fps", type=int, default=5, help="frame rate of the generated videos")
    ap.add_argument("--out", type=Path, default=RESULTS)
    opts = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="glutecv-long-") as tmp:
        tmp_path = Path(tmp)
        for kind in opts.kinds:
            for minutes in opts.minutes:
                src = tmp_path / f"{kind}_{minutes:g}min.{'npz' if kind == 'npz' else 'mp4'}"
                t0 = time.monotonic()
                frames = (write_empty_room(src, minutes, opts.fps) if kind == "video"
                          else write_bridges(src, minutes) if kind == "npz"
                          else write_looped(PERSON_CLIP, src, minutes))
                made_s = time.monotonic() - t0
                args = ["analyze", str(src), "-o", str(tmp_path / "out"), "--jobs", "1",
                        "--force"]
                args += {"video": ["--model", "lite", "--exercise", "squat"],
                         "npz": ["--exercise", "glute_bridge"],
                         "person": ["--model", "lite", "--exercise", "auto"]}[kind]
                m = run_measured(args)
                result = json.loads((tmp_path / "out" / src.stem / "result.json").read_text())
                row = {"kind": kind, "minutes": minutes, "frames": frames,
                       "input_made_s": round(made_s, 1), **m,
                       "exercise": result["exercise"]["name"], "reps": len(result["reps"]),
                       "commit": _commit(), "video_fps": opts.fps if kind == "video" else None,
                       "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                       "result_json_mb": round((tmp_path / "out" / src.stem / "result.json")
                                               .stat().st_size / 2**20, 2)}
                rows.append(row)
                print(f"{kind:5s} {minutes:5g} min {frames:7d} frames  peak RSS "
                      f"{row['peak_rss_mb']:7.1f} MiB  wall {row['wall_s']:7.1f} s  "
                      f"reps {row['reps']}", flush=True)
    if opts.append and opts.out.is_file():  # keep earlier rows not measured again now
        new = {(r["kind"], r["minutes"]) for r in rows}
        rows = [r for r in json.loads(opts.out.read_text())["rows"]
                if (r["kind"], r["minutes"]) not in new] + rows
    rows.sort(key=lambda r: (r["kind"], r["frames"]))
    print()
    print(f"{'kind':5s} {'minutes':>7s} {'frames':>7s} {'peak MiB':>9s} {'wall s':>7s} "
          f"{'MiB/1k frames':>13s}")
    for kind in dict.fromkeys(r["kind"] for r in rows):
        mine = [r for r in rows if r["kind"] == kind]
        base = mine[0]
        for r in mine:
            slope = ((r["peak_rss_mb"] - base["peak_rss_mb"]) / max(1, r["frames"] - base["frames"])
                     * 1000 if r is not base else float("nan"))
            print(f"{kind:5s} {r['minutes']:7g} {r['frames']:7d} {r['peak_rss_mb']:9.1f} "
                  f"{r['wall_s']:7.1f} {slope:13.2f}")
    opts.out.parent.mkdir(parents=True, exist_ok=True)
    opts.out.write_text(json.dumps({
        "what": "peak RSS (MiB, process tree) of glutecv analyze on inputs of growing length",
        "rows": rows,
        "command": "python benchmarks/long_run.py " + " ".join(sys.argv[1:]),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }, indent=1) + "\n")
    print(f"\nwrote {opts.out}")


if __name__ == "__main__":
    main()
