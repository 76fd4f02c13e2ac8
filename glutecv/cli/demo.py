"""``glutecv demo``: analyse the bundled sample videos and build the HTML report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from glutecv.cli.common import add_model_arg


def samples_dir() -> Path:
    """The bundled ``samples/`` folder (beside the package in a source checkout)."""
    return Path(__file__).resolve().parents[2] / "samples"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "demo", help="analyse the bundled samples and build the report",
        description="Analyse the bundled synthetic sample videos (samples/*.mp4) like "
        "'glutecv analyze' does, then build the HTML report and print where it is.")
    p.add_argument("-o", "--out", default="out/demo", metavar="OUTDIR",
                   help="output folder (default: out/demo)")
    add_model_arg(p)
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="videos analysed at once (default: CPU cores)")
    p.add_argument("--force", action="store_true", help="redo samples that are already done")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from glutecv.cli import analyze
    from glutecv.errors import InputError

    samples = sorted(samples_dir().glob("*.mp4"))
    if not samples:
        raise InputError(f"no sample videos in {samples_dir()}")
    ns = argparse.Namespace(inputs=[str(p) for p in samples], out=args.out, exercise="auto",
                            model=args.model, jobs=args.jobs, force=args.force, video=True)
    code = analyze.run(ns)
    folders = sorted(p.parent for p in Path(args.out).glob("*/result.json"))
    report = _build_report(folders, Path(args.out) / "report.html")
    if report is not None:
        print(f"report: {report.resolve()}")
        print(f"open it in a browser, e.g.: xdg-open {report}")
    else:
        print(f"results: {Path(args.out).resolve()} (the report module is not installed)")
    return code


def _build_report(folders: list[Path], out: Path) -> Path | None:
    """Build the HTML report with :mod:`glutecv.report` if it is available."""
    if not folders:
        return None
    try:
        from glutecv.report import write_report
    except ImportError:
        return None
    return write_report(folders, out)
