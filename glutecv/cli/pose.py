"""``glutecv pose VIDEO -o OUT.npz``: every frame of a video to pose landmarks."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from glutecv.cli.common import add_model_arg, show_progress

log = logging.getLogger("glutecv.cli.pose")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``pose`` subcommand."""
    parser = subparsers.add_parser(
        "pose", help="extract pose landmarks from a video into an .npz file",
        description="Run the pose model over every frame of VIDEO and save the landmarks "
        "(one row per decoded frame; time in seconds from the video's own timestamps; image "
        "landmarks in pixels of the upright frame, world landmarks in metres, visibility and "
        "presence; frames with nobody in them kept as NaN). The file records the model, its "
        "sha256 and the glutecv version. Re-analyse it later with `glutecv analyze OUT.npz`.",
    )
    parser.add_argument("video", metavar="VIDEO", help="video file (mp4, mov, avi, mkv, gif, ...)")
    parser.add_argument("-o", "--output", metavar="OUT.npz",
                        help="landmark file to write "
                        "(default: <VIDEO name>.npz in the current folder)")
    add_model_arg(parser)
    parser.add_argument("--num-poses", type=int, default=1, metavar="N",
                        help="people the model may report (default 1); with 2 or more glutecv "
                        "follows the largest body and says when a second person was seen")
    parser.add_argument("--start", type=float, default=None, metavar="SECONDS",
                        help="first time to read, in seconds (default: the beginning)")
    parser.add_argument("--end", type=float, default=None, metavar="SECONDS",
                        help="stop before this time, in seconds (default: the end)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Extract, then write the .npz atomically; prints a one-line summary."""
    from glutecv.errors import InputError
    from glutecv.pose.extract import extract_sequence

    video = Path(args.video)
    output = Path(args.output) if args.output else Path(video.stem + ".npz")
    if output.suffix.lower() != ".npz":
        raise InputError(f"{output}: the output must be an .npz file")
    if output.resolve() == video.resolve():
        raise InputError(f"{output}: the output would overwrite the video")
    if args.num_poses < 1:
        raise InputError("--num-poses must be at least 1")
    _check_writable(output)

    bar = None
    progress = None
    if show_progress():
        from tqdm import tqdm

        def progress(done: int, total: int) -> None:
            nonlocal bar
            if bar is None:  # made on the first frame, when the frame count is known
                bar = tqdm(desc=video.name, unit="frame", total=total, dynamic_ncols=True,
                           leave=False)
            if bar.total != total:
                bar.total = total
            bar.update(done - bar.n)

    try:
        sequence = extract_sequence(video, args.model, progress, num_poses=args.num_poses,
                                    start_s=args.start, end_s=args.end)
    finally:
        if bar is not None:
            bar.close()
    sequence.save_npz(output)
    found = int(sequence.detected.sum())
    log.info("%s: %d frames, person found in %d (%.0f%%), model %s -> %s",
             video.name, len(sequence), found, 100.0 * found / max(1, len(sequence)),
             sequence.meta.get("model"), output)
    return 0


def _check_writable(output: Path) -> None:
    """Fail before minutes of inference, not after, when the output cannot be written."""
    import os

    from glutecv.errors import OutputError

    folder = output.parent if str(output.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise OutputError(f"cannot write to {folder}: part of that path is a file, not a folder"
                          ) from None
    except OSError as exc:
        raise OutputError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    if not os.access(folder, os.W_OK):
        raise OutputError(f"cannot write to {folder}: permission denied")
