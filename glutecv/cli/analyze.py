"""``glutecv analyze INPUT... -o OUTDIR``: batch analysis of videos and landmark files."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any

from glutecv.cli.common import add_exercise_arg, add_model_arg, show_progress


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "analyze", help="analyse videos or .npz landmark files into OUTDIR/<name>/",
        description="Analyse videos (files or folders, searched recursively) or .npz landmark "
        "files. Each input gets OUTDIR/<name>/ with result.json, reps.csv, landmarks.npz and "
        "annotated.mp4. Finished inputs are skipped unless --force; a bad file is reported "
        "and the others go on; the exit code is non-zero if any input failed.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="video, folder or .npz file")
    p.add_argument("-o", "--out", required=True, metavar="OUTDIR", help="output folder")
    add_exercise_arg(p)
    add_model_arg(p)
    p.add_argument("-j", "--jobs", type=int, default=None, metavar="N",
                   help="videos analysed at once, in worker processes (default: CPU cores)")
    p.add_argument("--force", action="store_true", help="redo inputs that are already done")
    p.add_argument("--no-video", dest="video", action="store_false",
                   help="skip the annotated video (faster)")
    p.set_defaults(func=run)


class _Bars:
    """One bar for the batch and one per running video (tqdm), fed by the batch reporter."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.enabled = enabled
        self.lock = threading.Lock()
        self.bars: dict[int, Any] = {}
        self.slots: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self.main = None
        if enabled:
            from tqdm import tqdm

            self._tqdm = tqdm
            self.main = tqdm(total=total, desc="videos", unit="video", position=0,
                             dynamic_ncols=True)

    def write(self, line: str) -> None:
        if self.enabled:
            self._tqdm.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr)

    def __call__(self, event: str, index: int, payload: Any) -> None:
        with self.lock:
            if event == "start":
                self.names[index] = str(payload)
            elif event == "progress" and self.enabled and index in self.names:
                stage, done, total = payload
                bar = self.bars.get(index)
                if bar is None or bar.desc != f"{stage} {self.names[index]}"[:40]:
                    if bar is not None:
                        bar.close()
                    slot = self.slots.get(index) or self._free_slot()
                    self.slots[index] = slot
                    bar = self._tqdm(total=total, unit="frame", position=slot, leave=False,
                                     desc=f"{stage} {self.names[index]}"[:40],
                                     dynamic_ncols=True)
                    self.bars[index] = bar
                bar.update(max(0, done - bar.n))
            elif event == "end":
                self.names.pop(index, None)
                bar = self.bars.pop(index, None)
                if bar is not None:
                    bar.close()
                self.slots.pop(index, None)
                if payload.status == "failed":
                    self.write(f"glutecv: failed: {payload.message}")
                if self.main is not None:
                    self.main.update(1)

    def _free_slot(self) -> int:
        used = set(self.slots.values())
        slot = 1
        while slot in used:
            slot += 1
        return slot

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        if self.main is not None:
            self.main.close()


def format_table(outcomes: list[Any], note_width: int = 60) -> str:
    """The end-of-batch table: video, exercise, reps, faults (on all reps), status, note."""
    from pathlib import Path

    rows = [("video", "exercise", "reps", "faults", "status", "note")]
    for o in outcomes:
        status = o.status if o.status != "failed" else "FAILED"
        src = Path(o.source)
        name = f"{src.parent.name}/{src.name}" if src.name == "landmarks.npz" else src.name
        note = o.message
        for prefix in (f"{o.source}: ", f"{src.name}: "):
            note = note.removeprefix(prefix)
        if len(note) > note_width:
            note = note[: note_width - 3] + "..."
        rows.append((name, o.exercise or "-", str(o.reps) if o.exercise else "-",
                     str(o.faults) if o.exercise else "-", status, note))
    widths = [max(len(r[c]) for r in rows) for c in range(6)]
    lines = ["  ".join(cell.ljust(w) if c in (0, 1, 4, 5) else cell.rjust(w)
                       for c, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from glutecv.batch import find_inputs, plan_jobs, run_batch
    from glutecv.errors import InputError
    from glutecv.exercises import get_analyzer
    from glutecv.pipeline import is_done, prepare_output_dir

    if args.jobs is not None and args.jobs < 1:
        raise InputError("--jobs must be at least 1")
    if args.exercise != "auto":
        get_analyzer(args.exercise)  # unknown name -> one-line error listing the known ones
    inputs = find_inputs(args.inputs)
    from pathlib import Path

    prepare_output_dir(Path(args.out))  # an unwritable output folder fails once, up front
    jobs = plan_jobs(inputs, args.out)
    if any(j.source.suffix.lower() != ".npz" and (args.force or not is_done(j.dest, args.video))
           for j in jobs):
        from glutecv.models import resolve_model

        resolve_model(args.model)  # unknown or missing model: one error before any work
    bars = _Bars(len(jobs), show_progress())
    try:
        outcomes = run_batch(jobs, exercise=args.exercise, model=args.model, video=args.video,
                             force=args.force, workers=args.jobs, reporter=bars)
    finally:
        bars.close()
    print(format_table(outcomes))
    failed = sum(o.status == "failed" for o in outcomes)
    done = sum(o.status == "done" for o in outcomes)
    skipped = sum(o.status == "skipped" for o in outcomes)
    print(f"{done} analysed, {skipped} skipped (already done), {failed} failed; "
          f"results in {args.out}")
    return 1 if failed else 0
