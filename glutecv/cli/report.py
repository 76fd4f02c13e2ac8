"""``glutecv report OUTDIR/<stem>... -o report.html``: one offline HTML report for therapists."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "report", help="write one self-contained HTML report from analysed folders",
        description="Read the folders written by 'glutecv analyze' (result.json, "
        "annotated.mp4) and write one HTML file that works offline: the annotated video, a "
        "table of reps with faults against their thresholds (click a rep to play it), angle "
        "plots, per-rep bars and a session summary. Several folders (sessions of one person) "
        "also get a session-to-session comparison.")
    p.add_argument("folders", nargs="+", metavar="FOLDER",
                   help="an analysed folder, OUTDIR/<video name> (or its result.json)")
    p.add_argument("-o", "--out", default="report.html", metavar="REPORT.html",
                   help="the report file to write (default: report.html)")
    p.add_argument("--embed-video", action="store_true",
                   help="embed the videos in the HTML (one file to share; larger) instead of "
                   "linking them by relative path")
    p.add_argument("--title", default=None, help="report title (default: Exercise form report)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from glutecv.report import write_report

    out = Path(args.out)
    if out.suffix.lower() not in (".html", ".htm"):
        out = out.with_suffix(".html") if not out.is_dir() else out / "report.html"
    path = write_report(args.folders, out, embed_video=args.embed_video, title=args.title)
    print(f"report: {path.resolve()} ({path.stat().st_size / 1024:.0f} kB)")
    if not args.embed_video:
        print("(videos are linked by relative path: keep them beside the report, "
              "or use --embed-video to make one shareable file)")
    return 0
