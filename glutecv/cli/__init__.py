"""The ``glutecv`` command: one entry point, one module per subcommand.

Each subcommand lives in ``glutecv/cli/<name>.py`` and exposes ``register(subparsers)``, which
adds its parser and sets ``func`` (a callable taking the parsed args and returning an exit
code). Logging and progress bars are configured here and nowhere else in the library.

A :class:`~glutecv.errors.GlutecvError` becomes one line on stderr and a non-zero exit;
``--verbose`` adds the traceback and mediapipe's own log output.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from glutecv import __version__
from glutecv.errors import GlutecvError

SUBCOMMANDS = ("analyze", "live", "report", "pose", "models", "synth", "demo")

log = logging.getLogger("glutecv")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, with every available subcommand."""
    parser = argparse.ArgumentParser(
        prog="glutecv",
        description="Offline form checker for glute and knee-alignment exercises: counts reps "
        "and flags knee valgus and lumbar compensation in videos or live from a webcam.",
    )
    parser.add_argument("--version", action="version", version=f"glutecv {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="show debug logging, tracebacks and mediapipe's own messages")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="only warnings and errors; no progress bars")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"glutecv.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"glutecv.cli.{name}":
                continue  # subcommand not built into this installation
            raise
        module.register(sub)
    return parser


def configure_logging(verbose: bool, quiet: bool) -> None:
    """Plain one-line log messages on stderr; mediapipe/absl quiet unless verbose."""
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(
        "%(levelname)s %(name)s: %(message)s" if verbose else "%(message)s"))
    root = logging.getLogger("glutecv")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    os.environ["GLUTECV_VERBOSE"] = "1" if verbose else ""
    os.environ["GLUTECV_QUIET"] = "1" if quiet else ""
    if not verbose:
        # Native MediaPipe/TFLite/absl logging; must be set before mediapipe is imported.
        os.environ.setdefault("GLOG_minloglevel", "2")
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose, args.quiet)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except GlutecvError as exc:
        if args.verbose:
            log.exception("error")
        print(f"glutecv: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("glutecv: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
    except ModuleNotFoundError as exc:
        if args.verbose:
            log.exception("missing module")
        extra = " (the synthetic studio needs the synth extra: ./setup.sh --dev)" \
            if exc.name in _SYNTH_MODULES else ""
        print(f"glutecv: error: missing Python package {exc.name!r}{extra}", file=sys.stderr)
        return 2
    except Exception as exc:  # a bug, not the user's fault: still one line, details on -v
        if args.verbose:
            log.exception("internal error")
        print(f"glutecv: error: internal error: {exc.__class__.__name__}: {exc} "
              "(run with --verbose for details)", file=sys.stderr)
        return 1


_SYNTH_MODULES = {"torch", "anny", "roma", "numba", "trimesh", "warp"}
