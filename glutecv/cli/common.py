"""Argument helpers shared by several subcommands (so every ``--model`` reads the same)."""

from __future__ import annotations

import argparse
import os


def add_model_arg(parser: argparse.ArgumentParser) -> None:
    """``--model lite|full|heavy|PATH.task`` (default: full)."""
    parser.add_argument(
        "--model", default="full", metavar="lite|full|heavy|PATH.task",
        help="pose model: a built bundle by name, or the path of an official PoseLandmarker "
        ".task file (default: full)",
    )


def add_exercise_arg(parser: argparse.ArgumentParser) -> None:
    """``--exercise auto|NAME`` (default: auto)."""
    parser.add_argument(
        "--exercise", default="auto", metavar="auto|NAME",
        help="exercise to analyse, or 'auto' to recognise it (default: auto); "
        "names: hip_thrust, glute_bridge, single_leg_glute_bridge, clamshell, fire_hydrant, "
        "squat, lunge",
    )


def show_progress() -> bool:
    """Progress bars are shown unless ``--quiet`` was given or stderr is not a terminal."""
    import sys

    return not os.environ.get("GLUTECV_QUIET") and sys.stderr.isatty()
