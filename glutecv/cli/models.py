"""``glutecv models build|status``: make the pose model bundles and check them."""

from __future__ import annotations

import argparse
import logging
import sys

from glutecv.models.paths import DEFAULT_MODEL, MODEL_NAMES, models_dir

log = logging.getLogger("glutecv.cli.models")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``models`` with its ``build`` and ``status`` actions."""
    parser = subparsers.add_parser(
        "models", help="build and check the pose models",
        description="Build the PoseLandmarker bundles (lite, full, heavy) from the pinned "
        "@mediapipe/pose npm package (needs npm once), and check them against the sha256 "
        f"pinned in models/manifest.json. Models folder: {models_dir()} "
        "(set GLUTECV_MODEL_DIR to change it).",
    )
    actions = parser.add_subparsers(dest="models_action", metavar="ACTION")
    build = actions.add_parser(
        "build", help="fetch the npm package (cached) and build the .task bundles",
        description="Fetch @mediapipe/pose with `npm pack` (kept in <models>/cache), verify "
        "every input by sha256, add input-normalisation metadata and write reproducible "
        ".task bundles, each verified against its pinned sha256. Up-to-date bundles are kept.",
    )
    build.add_argument("--force", action="store_true", help="rebuild even if up to date")
    build.add_argument("--only", choices=MODEL_NAMES, action="append", metavar="NAME",
                       help="build only this model (lite, full or heavy); repeatable")
    build.set_defaults(func=run_build)
    status = actions.add_parser(
        "status", help="list the models, where they are and whether they verify",
        description="Print each model's path, size and checksum verdict. Exits non-zero if "
        f"the default model ({DEFAULT_MODEL}) is missing or fails verification.",
    )
    status.set_defaults(func=run_status)
    parser.set_defaults(func=lambda args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def run_build(args: argparse.Namespace) -> int:
    """Build the requested bundles; a failure is a one-line ModelError."""
    from glutecv.models import build_models

    paths = build_models(args.only, force=args.force)
    log.info("%d model(s) ready in %s", len(paths), models_dir())
    return 0


def run_status(args: argparse.Namespace) -> int:
    """Print the status table; exit 1 if the default model is not usable."""
    from glutecv.models import model_status

    rows = model_status()
    print(f"{'model':<7} {'verified':<8} {'size':>9}  path")
    for row in rows:
        size = f"{row.size_bytes / 1e6:.1f} MB" if row.size_bytes is not None else "-"
        print(f"{row.name:<7} {'yes' if row.verified else 'no':<8} {size:>9}  {row.path}")
        if row.problem:
            print(f"        {row.problem}")
    default = next(r for r in rows if r.name == DEFAULT_MODEL)
    if not default.verified:
        print(f"glutecv: error: default model {DEFAULT_MODEL!r} is not usable; "
              "run `glutecv models build`", file=sys.stderr)
        return 1
    return 0
