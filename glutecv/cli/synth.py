"""``glutecv synth``: render a synthetic exercise clip with exact ground truth.

Examples::

    glutecv synth hip_thrust -o out/ht.mp4 --reps 5 --fault knee_valgus:12@2,4
    glutecv synth samples -o samples/        # regenerate the bundled samples
"""

from __future__ import annotations

import argparse
import sys

from glutecv.errors import GlutecvError

EXERCISES = ("hip_thrust", "glute_bridge", "single_leg_glute_bridge", "clamshell",
             "fire_hydrant", "squat", "lunge")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "synth", help="render a synthetic exercise video with exact ground truth",
        description="Render a rigged human body doing an exercise (optionally with faults of "
        "known size on chosen reps) to an H.264 MP4, with OUT.json ground truth beside it. "
        "Needs the optional extra glutecv[synth]. 'samples' regenerates the bundled samples.")
    p.add_argument("exercise", metavar="EXERCISE", help=f"{', '.join(EXERCISES)}, or samples")
    p.add_argument("-o", "--output", required=True, metavar="OUT.mp4",
                   help="output video (.mp4); for 'samples', the output folder")
    p.add_argument("--reps", type=int, default=3, help="number of reps (default 3)")
    p.add_argument("--tempo", default="1.2,1.4", metavar="RISE,LOWER",
                   help="seconds to reach the top and to return (default 1.2,1.4)")
    p.add_argument("--hold", type=float, default=None, metavar="S",
                   help="seconds held at the top (default 1.0 where the exercise has a hold)")
    p.add_argument("--rest", type=float, default=0.5, metavar="S",
                   help="seconds between reps (default 0.5)")
    p.add_argument("--rom", type=float, default=1.0,
                   help="range of motion as a fraction of the standard range (default 1.0)")
    p.add_argument("--side", choices=("left", "right"), default="right",
                   help="working side for one-sided exercises (default right)")
    p.add_argument("--view", choices=("side", "front", "back", "oblique", "above"),
                   default=None, help="camera view (default: the exercise's usual view)")
    p.add_argument("--distance", type=float, default=None, metavar="M",
                   help="camera distance in metres (default: framed automatically)")
    p.add_argument("--shape", default="", metavar="NAME=V,...",
                   help="body shape, anny phenotypes 0..1: gender, age, muscle, weight, "
                   "height, proportions (default: drawn from the seed)")
    p.add_argument("--colors", default="", metavar="PART=#RRGGBB,...",
                   help="colours of skin, shirt, pants, shoes, hair (default: from the seed)")
    p.add_argument("--background", default="studio",
                   help="studio, gym, home, clinic, or a colour #rrggbb (default studio)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--fault", action="append", default=[], metavar="CODE:SIZE[@REPS]",
                   help="inject a fault, e.g. knee_valgus:12@2,4 (repeatable); codes: "
                   "knee_valgus, lumbar_extension, pelvic_drop, pelvis_rotation, trunk_shift, "
                   "hip_hike, incomplete_rom; sizes in degrees; REPS 1-based (default all)")
    p.add_argument("--people", type=int, choices=(1, 2), default=1,
                   help="2 adds a bystander walking behind the exerciser (default 1)")
    p.add_argument("--size", default="480x360", metavar="WxH", help="frame size (default 480x360)")
    p.add_argument("--fps", type=float, default=30.0, help="frame rate (default 30)")
    p.add_argument("--crf", type=int, default=23, help="H.264 quality, lower = better (23)")
    p.set_defaults(func=run)


def _pairs(text: str, what: str) -> dict[str, str]:
    out = {}
    for part in filter(None, (x.strip() for x in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise GlutecvError(f"{what} {part!r} must look like NAME=VALUE")
        out[key.strip()] = value.strip()
    return out


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    if args.exercise == "samples":
        from glutecv.synth.samples import render_samples

        for path in render_samples(args.output):
            print(path)
        return 0
    if args.exercise not in EXERCISES:
        raise GlutecvError(f"unknown exercise {args.exercise!r}; choose one of: "
                           f"{', '.join(EXERCISES)}, samples")
    out = Path(args.output)
    if out.suffix.lower() != ".mp4":
        raise GlutecvError(f"{out}: the output must be an .mp4 file")
    try:
        w, h = (int(x) for x in args.size.lower().split("x"))
        rise, lower = (float(x) for x in args.tempo.split(","))
        shape = {k: float(v) for k, v in _pairs(args.shape, "shape").items()}
    except ValueError:
        raise GlutecvError("--size must be WxH, --tempo RISE,LOWER, --shape NAME=NUMBER,...")\
            from None
    if w < 16 or h < 16 or w % 2 or h % 2:
        raise GlutecvError("--size needs even width and height of at least 16 pixels")
    from glutecv.synth.faults import parse_fault
    from glutecv.synth.studio import ClipSpec, render_clip
    from glutecv.synth.writer import write_truth

    spec = ClipSpec(
        args.exercise, reps=args.reps, rise_s=rise, lower_s=lower, hold_s=args.hold,
        rest_s=args.rest, rom=args.rom, side=args.side, view=args.view,
        distance_m=args.distance, shape=shape or None,
        colors=_pairs(args.colors, "colour") or None, background=args.background,
        seed=args.seed, faults=[parse_fault(f) for f in args.fault], width=w, height=h,
        fps=args.fps, crf=args.crf, people=args.people)
    bar = None
    from glutecv.cli.common import show_progress

    if show_progress():
        from tqdm import tqdm

        bar = tqdm(unit="frame", desc=out.name)

    def on_frame(done: int, total: int) -> None:
        if bar is not None:
            bar.total = total
            bar.update(1)

    try:
        truth = render_clip(spec, out, on_frame)
    finally:
        if bar is not None:
            bar.close()
    json_path = write_truth(out, truth)
    print(f"{out} ({truth['video']['frame_count']} frames, {len(truth['reps'])} reps), "
          f"ground truth {json_path}", file=sys.stdout)
    return 0
