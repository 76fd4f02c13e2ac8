"""Many videos at once: find inputs, plan output folders, run them in worker processes.

* :func:`find_inputs` expands files and folders (recursively, by video extension) and ``.npz``
  landmark files; a path that does not exist, or a folder without videos, is an InputError.
* :func:`plan_jobs` gives every input its own output folder ``OUTDIR/<stem>``; inputs sharing a
  stem (``a/clip.mp4`` and ``b/clip.mp4``) get ``<stem>-<hash of the path>`` so they never
  overwrite each other, and so does an input whose stem folder holds another file's results.
  The plan is the same on every run, so a re-run finds what an earlier one finished.
* :func:`run_batch` skips folders that are done (unless ``force``), runs the rest in
  ``jobs`` worker processes, and reports one :class:`JobOutcome` per input. A bad video is one
  failed outcome; the others go on. Progress goes to an optional reporter (the CLI's bars).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from glutecv.errors import GlutecvError, InputError
from glutecv.pipeline import (
    LANDMARKS_FILE,
    RESULT_FILE,
    VIDEO_EXTENSIONS,
    analyze_path,
    is_done,
    output_stem,
)

log = logging.getLogger("glutecv.batch")


@dataclass(frozen=True)
class Job:
    """One input and the folder its outputs go to."""

    source: Path
    dest: Path


@dataclass(frozen=True)
class JobOutcome:
    """What became of one input. ``status``: done | skipped | failed."""

    source: str
    dest: str
    status: str
    exercise: str = ""
    reps: int = 0
    faults: int = 0
    message: str = ""
    frames: int = 0
    seconds: float = 0.0


def find_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Expand files and folders into the list of inputs (sorted within each folder)."""
    found: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inside = sorted(
                f for f in p.rglob("*")
                if f.is_file() and not f.name.startswith(".")
                and (f.suffix.lower() in VIDEO_EXTENSIONS or f.suffix.lower() == ".npz")
            )
            if not inside:
                raise InputError(f"{p}: no videos or .npz landmark files in this folder")
            found.extend(inside)
        elif p.is_file():
            found.append(p)
        else:
            raise InputError(f"{p}: no such file or folder")
    unique: dict[Path, Path] = {}
    for f in found:
        unique.setdefault(f.resolve(), f)
    return list(unique.values())


def _short_hash(path: Path) -> str:
    return hashlib.sha1(str(path.resolve()).encode()).hexdigest()[:8]


def _belongs_to_other(dest: Path, source: Path) -> bool:
    """True when ``dest`` holds results of a different source file.

    Re-analysing a folder's own ``landmarks.npz`` into it is not "different".
    """
    if source.name == LANDMARKS_FILE and source.parent.resolve() == dest.resolve():
        return False
    try:
        recorded = json.loads((dest / RESULT_FILE).read_text(encoding="utf-8")).get("source")
    except (OSError, ValueError, AttributeError):
        return False
    if not recorded:
        return False
    rec = Path(recorded)
    try:
        return rec.resolve() != source.resolve()
    except OSError:
        return rec.name != source.name


def plan_jobs(inputs: list[Path], out_dir: str | Path) -> list[Job]:
    """One output folder per input; colliding stems are disambiguated by a path hash."""
    out_dir = Path(out_dir)
    stems: dict[str, int] = {}
    for src in inputs:
        stems[output_stem(src)] = stems.get(output_stem(src), 0) + 1
    jobs = []
    for src in inputs:
        stem = output_stem(src)
        dest = out_dir / stem
        if stems[stem] > 1 or _belongs_to_other(dest, src):
            dest = out_dir / f"{stem}-{_short_hash(src)}"
        jobs.append(Job(src, dest))
    return jobs


# --- running --------------------------------------------------------------------------------
#: ``reporter(event, job_index, payload)``: events "start" (payload: source name), "progress"
#: (payload: (stage, done, total)), "end" (payload: JobOutcome).
Reporter = Callable[[str, int, object], None]


def run_one(job: Job, exercise: str, model: str, video: bool,
            reporter: Reporter | None = None, index: int = 0, workers: int = 1) -> JobOutcome:
    """Analyse one input into its folder; errors become a failed outcome, never an exception."""
    import time

    started = time.perf_counter()
    frames = [0]

    def progress(stage: str, done: int, total: int | None) -> None:
        frames[0] = max(frames[0], done) if stage == "pose" else frames[0]
        if reporter is not None:
            reporter("progress", index, (stage, done, total))

    if reporter is not None:
        reporter("start", index, job.source.name)
    try:
        result = analyze_path(job.source, exercise=exercise, model=model, video=video,
                              dest=job.dest, progress=progress, workers=workers)
        outcome = JobOutcome(
            str(job.source), str(job.dest), "done", result.exercise, len(result.reps),
            sum(len(r.faults) for r in result.reps), "; ".join(result.warnings[:1]),
            int(result.video.get("frames") or 0), time.perf_counter() - started)
    except GlutecvError as exc:
        outcome = JobOutcome(str(job.source), str(job.dest), "failed", message=str(exc),
                             seconds=time.perf_counter() - started)
    except Exception as exc:  # a bug or a library crash on one file must not stop the batch
        log.debug("unexpected error on %s", job.source, exc_info=True)
        outcome = JobOutcome(str(job.source), str(job.dest), "failed",
                             message=f"{job.source.name}: internal error: "
                             f"{exc.__class__.__name__}: {exc}",
                             seconds=time.perf_counter() - started)
    if reporter is not None:
        reporter("end", index, outcome)
    return outcome


def skipped_outcome(job: Job) -> JobOutcome:
    """The outcome of a job whose folder is already complete (read from its result.json)."""
    exercise, reps, faults = "", 0, 0
    try:
        data = json.loads((job.dest / RESULT_FILE).read_text(encoding="utf-8"))
        exercise = data["exercise"]["name"]
        reps = len(data["reps"])
        faults = sum(len(r.get("faults", [])) for r in data["reps"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return JobOutcome(str(job.source), str(job.dest), "skipped", exercise, reps, faults,
                      "already done")


def default_jobs() -> int:
    """Worker processes by default: the CPU cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run_batch(jobs: list[Job], exercise: str = "auto", model: str = "full", video: bool = True,
              force: bool = False, workers: int | None = None,
              reporter: Reporter | None = None) -> list[JobOutcome]:
    """Run every job not already done; outcomes in the order of ``jobs``."""
    from glutecv.batch_workers import run_parallel

    outcomes: list[JobOutcome | None] = [None] * len(jobs)
    todo: list[int] = []
    for i, job in enumerate(jobs):
        wants_video = video and job.source.suffix.lower() != ".npz"
        if not force and is_done(job.dest, wants_video):
            outcomes[i] = skipped_outcome(job)
            if reporter is not None:
                reporter("end", i, outcomes[i])
        else:
            todo.append(i)
    cores = max(1, workers or default_jobs())
    workers = min(cores, len(todo) or 1)
    if todo and (workers == 1 or len(todo) == 1):
        for i in todo:  # one video alone may still use every core (split pose pass)
            outcomes[i] = run_one(jobs[i], exercise, model, video, reporter, i,
                                  workers=cores if len(todo) == 1 else 1)
    elif todo:
        for i, outcome in run_parallel(jobs, todo, exercise, model, video, workers, reporter):
            outcomes[i] = outcome
    return [o for o in outcomes if o is not None]
