"""``glutecv live``: count reps and coach form live from a webcam (or a file in real time)."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from glutecv.cli.common import add_exercise_arg, add_model_arg


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "live", help="live overlay from a webcam (or a file played in real time)",
        description="Show the camera image with skeleton, angles, rep count and one cue at a "
        "time. Keys: q quit, r reset the count, space pause, e next exercise. A summary of "
        "reps and faults is printed at the end.")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--camera", type=int, default=None, metavar="N",
                     help="camera index (default: 0)")
    src.add_argument("--source", default=None, metavar="FILE_OR_URL",
                     help="a video file or stream URL instead of a camera")
    p.add_argument("--realtime", action="store_true",
                   help="play --source at its own frame rate, dropping frames the analysis "
                   "cannot keep up with, exactly like a camera")
    add_exercise_arg(p)
    add_model_arg(p)
    p.add_argument("--record", default=None, metavar="OUT.mp4",
                   help="save the annotated session as an H.264 MP4")
    p.add_argument("-o", "--out", default=None, metavar="DIR",
                   help="save the session like 'analyze' does: DIR/<name>/result.json, "
                   "reps.csv, landmarks.npz")
    p.add_argument("--no-window", dest="window", action="store_false",
                   help="run without a display (headless)")
    p.add_argument("--stall-timeout", type=float, default=10.0, metavar="S",
                   help="end the session when no frame arrives for S seconds (default: 10)")
    p.set_defaults(func=run)


def _open_source(args: argparse.Namespace) -> Any:
    from glutecv.io.camera import open_live_source

    if args.source is not None:
        return open_live_source(args.source, realtime=args.realtime)
    return open_live_source(args.camera if args.camera is not None else 0)


def run(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from glutecv.errors import InputError
    from glutecv.io.video_writer import VideoWriter
    from glutecv.live import LiveSession, save_session, summary_text
    from glutecv.live_view import NoWindow, Window, check_display
    from glutecv.pipeline import prepare_output_dir
    from glutecv.pose.estimator import PoseEstimator

    if args.exercise != "auto":
        from glutecv.exercises import get_analyzer

        get_analyzer(args.exercise)
    if args.window:
        check_display()  # before loading anything: without a display, say so at once
    if args.realtime and args.source is None:
        raise InputError("--realtime needs --source FILE")
    if args.record is not None:
        record = Path(args.record)
        if record.suffix.lower() != ".mp4":
            raise InputError(f"{record}: --record writes an .mp4 file")
        prepare_output_dir(record.parent if str(record.parent) else Path("."))
    if args.out is not None:
        prepare_output_dir(Path(args.out))
    with ExitStack() as stack:
        estimator = stack.enter_context(PoseEstimator(args.model))
        source = stack.enter_context(_open_source(args))
        window = Window() if args.window else NoWindow()
        fps = float(getattr(source, "fps", 0) or 30.0)
        recorder = None
        if args.record is not None:
            recorder = stack.enter_context(  # encodes on its own thread; finalised on exit
                VideoWriter(args.record, source.width, source.height, fps, preset="ultrafast"))
        session = LiveSession(source, estimator, args.exercise, window, recorder,
                              stall_timeout_s=args.stall_timeout, fps_hint=fps)
        summary = session.run()
    if args.record is not None:
        summary.recording = args.record
    print(summary_text(summary))
    if args.record is not None:
        print(f"recording: {args.record}")
    if args.out is not None:
        name = (Path(args.source).stem if args.source else f"camera{args.camera or 0}")
        name = f"live-{name}-{time.strftime('%Y%m%d-%H%M%S')}"
        saved = save_session(summary, session, args.out, name)
        print(f"saved: {saved}" if saved else "nothing to save (no exercise was recognised)")
    return 0
