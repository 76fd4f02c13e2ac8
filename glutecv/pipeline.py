"""One video (or landmark file) in, one :class:`~glutecv.results.AnalysisResult` out.

The flow, for a video::

    pass 1: decode (thread) -> pose model (this thread)      -> PoseSequence   (no frames kept)
    analysis: recognise or take the exercise -> analyzer    -> AnalysisResult
    pass 2: decode (thread) -> overlay (this thread) -> H.264 encode (thread) -> annotated.mp4

Pass 1 is :mod:`glutecv.pose_pass` (one body per frame unless a second person shows up; the
video's tail on a helper process when a core is free), pass 2 is :mod:`glutecv.render`.
The annotated video needs the finished analysis (the timeline strip shows every rep), so it is
drawn in a second decoding pass; decoding is cheap next to the pose model, and each pass keeps
only a few frames in bounded queues, so memory does not grow with the video's length.

A ``.npz`` landmark file skips pass 1 (and the model): re-analysis is instant. With ``out_dir``
every output is written atomically to ``OUT_DIR/<stem>/``, ``result.json`` last, so a folder
holding all expected files is complete ("done") and a killed run leaves nothing that looks done.
"""

from __future__ import annotations

import logging
import time
import warnings as warnings_module
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from glutecv import __version__
from glutecv.errors import InputError, OutputError
from glutecv.exercises.base import ExerciseAnalysis
from glutecv.io.atomic import TMP_PREFIX
from glutecv.pose.store import release
from glutecv.pose.types import PoseSequence
from glutecv.results import AnalysisResult, FrameSeries

log = logging.getLogger("glutecv.pipeline")

#: File extensions treated as videos when scanning folders (lower case).
VIDEO_EXTENSIONS = frozenset({
    ".mp4", ".m4v", ".mov", ".avi", ".mkv", ".webm", ".mpg", ".mpeg", ".wmv", ".flv", ".3gp",
    ".ts", ".mts", ".gif",
})
RESULT_FILE, REPS_FILE, LANDMARKS_FILE, VIDEO_FILE = (
    "result.json", "reps.csv", "landmarks.npz", "annotated.mp4")

#: ``progress(stage, frames_done, frames_total_or_None)``; stage is "pose" or "video".
Progress = Callable[[str, int, int | None], None]


def expected_outputs(video: bool = True) -> tuple[str, ...]:
    """The files a finished output folder holds."""
    files = (LANDMARKS_FILE, REPS_FILE, RESULT_FILE)
    return (*files, VIDEO_FILE) if video else files


def is_done(dest: str | Path, video: bool = True) -> bool:
    """True when ``dest`` holds every expected output (each written atomically, so complete)."""
    dest = Path(dest)
    if not all((dest / name).is_file() for name in expected_outputs(video)):
        return False
    try:  # a damaged or other-version result.json is not "done": redo it, don't skip it
        AnalysisResult.load(dest / RESULT_FILE)
    except InputError:
        return False
    return True


def remove_stale_temporaries(dest: str | Path) -> int:
    """Delete temporary files a killed run left in ``dest``; returns how many."""
    dest = Path(dest)
    removed = 0
    if dest.is_dir():
        for tmp in dest.glob(TMP_PREFIX + "*"):
            tmp.unlink(missing_ok=True)
            removed += 1
    return removed


def output_stem(path: Path) -> str:
    """The output folder name of an input: its stem (a ``landmarks.npz`` takes its folder's)."""
    if path.name == LANDMARKS_FILE and path.parent.name:
        return path.parent.name
    return path.stem


def analyze_path(
    path: str | Path,
    exercise: str = "auto",
    model: str = "full",
    out_dir: str | Path | None = None,
    video: bool = True,
    *,
    dest: str | Path | None = None,
    progress: Progress | None = None,
    reuse_landmarks: bool = True,
    timings: dict[str, float] | None = None,
    workers: int = 1,
    num_poses: int | None = None,
) -> AnalysisResult:
    """Analyse one video or ``.npz`` landmark file; optionally write every output.

    ``exercise``: a registered name or ``"auto"`` (recognise it). ``model``: lite, full, heavy
    or a ``.task`` path. ``out_dir``: write to ``out_dir/<stem>/`` (``dest`` names the folder
    exactly instead). ``video=False`` skips ``annotated.mp4``. ``reuse_landmarks``: when the
    output folder already holds this video's landmarks from the same model, skip the model.
    ``timings``: a dict that receives the seconds spent per stage (for benchmarks).
    ``workers``: with 2 or more, a long video's pose pass is split with a helper process so
    both cores run the model (``glutecv analyze`` does this when it has a single video).
    ``num_poses``: bodies the model reports per frame; None decides: one, unless a second
    person is seen, then every body, following the one who moves most
    (:mod:`glutecv.pose_pass`).
    Errors a user can fix raise :class:`~glutecv.errors.GlutecvError` subclasses.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder; use 'glutecv analyze' to analyse a folder")
    target = Path(dest) if dest is not None else (
        Path(out_dir) / output_stem(path) if out_dir is not None else None)
    if target is not None:
        prepare_output_dir(target)

    started = time.perf_counter()
    is_npz = path.suffix.lower() == ".npz"
    seq: PoseSequence | None = None
    reused = False
    if is_npz:  # on disk: a long clip's landmarks are not held in memory
        seq = PoseSequence.load_npz(path, on_disk=True, directory=target)
    elif target is not None and reuse_landmarks:
        seq = _reusable_landmarks(target / LANDMARKS_FILE, path, model)
        reused = seq is not None
    if seq is None:
        from glutecv.pose_pass import extract_pose, extract_pose_parallel

        seq = (extract_pose_parallel(path, model, progress, workers, num_poses) if workers > 1
               else extract_pose(path, model, progress=progress, num_poses=num_poses))
    timings = timings if timings is not None else {}
    timings["pose_s"] = time.perf_counter() - started
    _return_free_memory()  # the pose model's buffers, freed but still held by the allocator

    t0 = time.perf_counter()
    result = analyze_sequence(seq, exercise, source=str(path),
                              model=None if is_npz else _model_label(model))
    timings["analysis_s"] = time.perf_counter() - t0
    release(seq)  # what the analysis read of the landmarks is file cache, not our memory
    _return_free_memory()
    log.debug("%s: %s, %d reps", path.name, result.exercise, len(result.reps))

    if target is not None:
        if video:
            video_path = _video_for(path, seq) if is_npz else path
            if video_path is None:
                log.warning("%s: no source video to draw on; annotated.mp4 not written",
                            path.name)
            else:
                from glutecv.render import render_annotated

                t0 = time.perf_counter()
                render_annotated(video_path, seq, result, target / VIDEO_FILE,
                                 progress=progress)
                timings["video_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        same_file = is_npz and path.resolve() == (target / LANDMARKS_FILE).resolve()
        write_outputs(target, seq, result, landmarks=not (reused or same_file))
        timings["write_s"] = time.perf_counter() - t0
    log.debug("%s timings: %s", path.name, {k: round(v, 3) for k, v in timings.items()})
    return result


def analyze_sequence(seq: PoseSequence, exercise: str = "auto", *, source: str = "",
                     model: str | None = None) -> AnalysisResult:
    """Everything after the landmarks: choose the exercise, analyse, and wrap the result."""
    from glutecv.exercises import get_analyzer

    warnings: list[str] = []
    if len(seq) == 0:
        raise InputError(f"{source or 'input'}: no frames to analyse")
    detected = seq.detected
    if not detected.any():
        warnings.append("no person was detected in any frame")
    elif detected.mean() < 0.5:
        warnings.append(f"a person was detected in only {detected.mean():.0%} of the frames")

    if exercise == "auto":
        name, confidence = recognise(seq)
        how = "recognised"
        release(seq)  # landmarks on disk: what recognition read is not kept in memory
    else:
        name, confidence, how = exercise, 1.0, "given"
    with warnings_module.catch_warnings():  # NaN-heavy stretches: numpy's empty-slice noise
        warnings_module.simplefilter("ignore", RuntimeWarning)
        analysis = get_analyzer(name).analyze(seq)
    return build_result(seq, analysis, how=how, confidence=confidence, source=source,
                        model=model, warnings=warnings)


def build_result(seq: PoseSequence, analysis: ExerciseAnalysis, *, how: str = "given",
                 confidence: float = 1.0, source: str = "", model: str | None = None,
                 warnings: list[str] | None = None) -> AnalysisResult:
    """Wrap an analyzer's output with the video facts, model, version and warnings."""
    warnings = list(warnings or [])
    warnings.extend(w for w in seq.meta.get("warnings", []) if isinstance(w, str))
    warnings.extend(analysis.warnings)
    series = {k: _as_list(v) for k, v in analysis.series.items()}
    series.setdefault("t_s", _as_list(seq.t_s))
    return AnalysisResult(
        source=source or str(seq.meta.get("source", "")),
        video=_video_facts(seq),
        exercise=analysis.exercise,
        exercise_source=how,  # type: ignore[arg-type]
        exercise_confidence=float(confidence),
        view=analysis.view,
        reps=tuple(analysis.reps),
        warnings=tuple(dict.fromkeys(warnings)),
        series=series,
        thresholds={k: float(v) for k, v in analysis.thresholds.items()},
        display=dict(analysis.display),
        plot_thresholds=dict(analysis.plot_thresholds),
        model=model if model is not None else seq.meta.get("model"),
        glutecv_version=__version__,
    )


def write_outputs(target: Path, seq: PoseSequence, result: AnalysisResult,
                  landmarks: bool = True) -> None:
    """Write ``landmarks.npz``, ``reps.csv`` and (last) ``result.json`` into ``target``.

    ``annotated.mp4``, when wanted, must be in place before this is called.
    """
    from glutecv.io.reps_csv import write_reps_csv
    from glutecv.io.result_json import write_result_json

    if landmarks:
        seq.save_npz(target / LANDMARKS_FILE)
    write_reps_csv(target / REPS_FILE, result.reps)
    write_result_json(target / RESULT_FILE, result)  # = result.save(), without a whole copy


# --- helpers --------------------------------------------------------------------------------
def prepare_output_dir(target: Path) -> None:
    """Create ``target`` and check it is writable (OutputError, one line, if not); remove
    temporaries a killed run left there."""
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = target / (TMP_PREFIX + "probe")
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OutputError(f"cannot write to {target}: {exc.strerror or exc}") from None
    remove_stale_temporaries(target)


def recognise(seq: PoseSequence) -> tuple[str, float]:
    """The exercise most likely performed in ``seq`` and a confidence in [0, 1]."""
    from glutecv import recognition

    guess = recognition.recognise(seq)
    if isinstance(guess, tuple):
        return str(guess[0]), float(guess[1])
    return str(guess.exercise), float(guess.confidence)


def _return_free_memory() -> None:
    """Give memory freed by a finished stage back to the system (glibc keeps freed heap
    memory by default, so a later, smaller stage would still show the earlier one's peak)."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _model_label(model: str) -> str:
    return model if model in ("lite", "full", "heavy") else Path(model).name


def _reusable_landmarks(npz: Path, video: Path, model: str) -> PoseSequence | None:
    """Landmarks a previous run saved for this video with this model, else None."""
    if not npz.is_file():
        return None
    try:
        seq = PoseSequence.load_npz(npz, on_disk=True, directory=npz.parent)
    except InputError:
        return None
    meta = seq.meta
    same_video = Path(str(meta.get("source", ""))).name == video.name and (
        meta.get("source_bytes") in (None, video.stat().st_size))
    if same_video and meta.get("model") == _model_label(model):
        log.info("%s: reusing landmarks from %s", video.name, npz)
        return seq
    return None


def _video_for(npz: Path, seq: PoseSequence) -> Path | None:
    """The source video of a landmark file, if it is still where it was."""
    src = seq.meta.get("source_path") or seq.meta.get("source")
    if not src:
        return None
    for cand in (Path(src), npz.parent / Path(src).name):
        if cand.is_file() and cand.suffix.lower() in VIDEO_EXTENSIONS:
            return cand
    return None


def _video_facts(seq: PoseSequence) -> dict[str, Any]:
    facts = dict(seq.meta.get("video") or {})
    n = len(seq)
    facts.setdefault("width", seq.width)
    facts.setdefault("height", seq.height)
    facts.setdefault("frames", n)
    fps = seq.fps
    facts.setdefault("fps", round(fps, 3) if np.isfinite(fps) else None)
    if n:
        step = 1.0 / fps if np.isfinite(fps) and fps > 0 else 0.0
        facts.setdefault("duration_s", round(float(seq.t_s[-1] - seq.t_s[0] + step), 3))
    return facts


def _as_list(values: Any) -> FrameSeries:
    """A series with infinities made NaN, held compactly (reads like a list of floats)."""
    arr = np.asarray(values, dtype=np.float64).ravel()
    return FrameSeries(np.where(np.isfinite(arr), arr, np.nan))
