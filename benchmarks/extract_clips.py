"""Cache pose landmarks for every shared clip: ``benchmarks/cache/landmarks/<exercise>/<stem>.npz``.

The analysis benchmarks and tests read these instead of re-running the model. Clips already
cached (with the same model) are skipped, so the script can be stopped and re-run at will.
It runs one clip at a time at low CPU priority so it does not starve other work.

    .venv/bin/python benchmarks/extract_clips.py [--model full] [--only squat] [--force]
    .venv/bin/python benchmarks/extract_clips.py --people 2 --force   # redo the two-person clips

Prints a table (frames, person found, fps) and writes ``benchmarks/results/extract_clips.json``.
"""

from __future__ import annotations

import argparse
import csv
import logging
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLIPS = REPO.parent / "shared" / "clips"
CACHE = REPO / "benchmarks" / "cache" / "landmarks"
RESULTS = REPO / "benchmarks" / "results" / "extract_clips.json"
VIDEO_SUFFIXES = {".mp4", ".mov", ".avi", ".mkv", ".webm", ".gif", ".m4v"}


def people_counts() -> dict[str, int]:
    """``clips/labels.csv`` people_count by relative clip path (1 when unknown)."""
    counts: dict[str, int] = {}
    labels = CLIPS / "labels.csv"
    if labels.is_file():
        with open(labels, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                try:
                    counts[row["file"]] = int(row.get("people_count") or 1)
                except ValueError:
                    counts[row["file"]] = 1
    return counts


def cached_model(path: Path) -> str | None:
    """The model name recorded in an existing cache file, or None if unreadable."""
    from glutecv.errors import GlutecvError
    from glutecv.pose.types import PoseSequence

    try:
        return str(PoseSequence.load_npz(path).meta.get("model"))
    except GlutecvError:
        return None


def previous_rows(model: str) -> dict[str, dict]:
    """Rows of an earlier run with the same model, so a resumed run keeps their figures."""
    import json

    try:
        data = json.loads(RESULTS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if data.get("model") != model:
        return {}
    return {row["clip"]: row for row in data.get("clips", []) if "clip" in row}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="full")
    parser.add_argument("--only", action="append", default=[], metavar="EXERCISE",
                        help="only these exercise folders (repeatable)")
    parser.add_argument("--clip", action="append", default=[], metavar="EXERCISE/FILE",
                        help="only these clips, as named in labels.csv (repeatable)")
    parser.add_argument("--people", type=int, default=None, metavar="N",
                        help="only clips whose labels.csv people_count is N")
    parser.add_argument("--force", action="store_true", help="redo clips already cached")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")
    if not CLIPS.is_dir():
        print(f"no clips folder at {CLIPS}", file=sys.stderr)
        return 1
    with __import__("contextlib").suppress(OSError):
        os.nice(10)

    from glutecv.errors import GlutecvError
    from glutecv.io.atomic import write_json
    from glutecv.pose.extract import extract_sequence

    counts = people_counts()
    clips = sorted(p for p in CLIPS.glob("*/*") if p.suffix.lower() in VIDEO_SUFFIXES)
    if args.only:
        clips = [p for p in clips if p.parent.name in args.only]
    if args.clip:
        clips = [p for p in clips if p.relative_to(CLIPS).as_posix() in args.clip]
    if args.people is not None:
        clips = [p for p in clips if counts.get(p.relative_to(CLIPS).as_posix(), 1) == args.people]
    rows = previous_rows(args.model)
    print(f"{'clip':55s} {'frames':>6s} {'found':>6s} {'fps':>6s}  status")
    for clip in clips:
        rel = clip.relative_to(CLIPS).as_posix()
        out = CACHE / clip.parent.name / f"{clip.stem}.npz"
        if out.is_file() and not args.force and cached_model(out) == args.model:
            print(f"{rel:55s} {'':>6s} {'':>6s} {'':>6s}  cached")
            continue
        t0 = time.perf_counter()
        try:
            seq = extract_sequence(clip, args.model, num_poses=min(2, counts.get(rel, 1)))
        except GlutecvError as exc:
            print(f"{rel:55s} {'':>6s} {'':>6s} {'':>6s}  error: {exc}")
            rows[rel] = {"clip": rel, "error": str(exc)}
            continue
        seconds = time.perf_counter() - t0
        seq.save_npz(out)
        found = float(seq.detected.mean()) if len(seq) else 0.0
        fps = len(seq) / seconds if seconds > 0 else float("nan")
        print(f"{rel:55s} {len(seq):6d} {found:6.1%} {fps:6.1f}  ok")
        rows[rel] = {"clip": rel, "frames": len(seq), "found_fraction": round(found, 4),
                     "fps": round(fps, 2), "seconds": round(seconds, 2),
                     "people_count": counts.get(rel, 1), "cache": str(out.relative_to(REPO))}
        write_json(RESULTS, {"model": args.model, "clips": sorted(rows.values(),
                                                                   key=lambda r: r["clip"])})
    return 0


if __name__ == "__main__":
    sys.exit(main())
