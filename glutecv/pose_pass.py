"""Pass 1 of :mod:`glutecv.pipeline`: every frame of a video -> a PoseSequence.

Three concerns, kept out of the analysis:

* **overlap**: the video source decodes on its own thread while this thread runs the model;
  only landmarks are kept (growing arrays), never frames;
* **several people**: reporting every body in every frame (needed to follow the right person)
  costs about twice as much, so a video is first done with one body per frame while a *scout*
  (a second model instance asked for every body) looks at one frame every
  :data:`SCOUT_EVERY_S` seconds. If the scout ever sees two people the pass stops and the video
  is redone with every body reported, keeping the person who moves most over the whole clip
  (:func:`glutecv.pose.extract.extract_sequence`). A clip with one person pays ~5% for this.
  (Not every body from the start: in that mode MediaPipe detects afresh in every frame instead
  of tracking, and the landmarks of one person come out noticeably less steady.)
* **both cores**: one video alone leaves the second core idle (the model keeps about one core
  busy), so :func:`extract_pose_parallel` gives the video's tail to a spawned helper process.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.pose.store import (
    CHUNK_ROWS,
    FIELDS,
    LandmarkStore,
    StoreFile,
    release,
    sequence_on_disk,
)
from glutecv.pose.types import PoseSequence

log = logging.getLogger("glutecv.pose_pass")

Progress = Callable[[str, int, int | None], None]
PROGRESS_EVERY = 8  # frames between progress callbacks
#: Seconds of video between two frames the scout checks for a second person.
SCOUT_EVERY_S = 2.0
#: ... but at least this many looks in a short clip (a brief second person in a 2 s clip).
SCOUT_MIN_LOOKS = 16
#: Below this many frames a video is not split between processes (start-up would dominate).
MIN_SPLIT_FRAMES = 240
#: Seconds a helper process needs before its first frame (interpreter, imports, model).
HELPER_STARTUP_S = 2.0
#: The helper starts this many seconds before its part and drops those rows: the model's
#: tracking and landmark smoothing settle, so the seam matches a single pass closely.
SEAM_WARMUP_S = 1.0


def extract_pose(path: str | Path, model: str = "full", progress: Progress | None = None,
                 max_frames: int | None = None, num_poses: int | None = None,
                 start_s: float | None = None, end_s: float | None = None) -> PoseSequence:
    """The landmarks of every frame of ``path`` (NaN rows where nobody was found).

    ``num_poses``: None decides by itself (scout, see the module doc); 1 or more is passed to
    the model as is. ``start_s``/``end_s`` limit it to frames with ``start_s <= t < end_s``.
    """
    path = Path(path)
    seq = None
    if num_poses is None:
        seq = single_person_pass(path, model, progress, max_frames, start_s, end_s)
        num_poses = 2
    if seq is None:
        seq = _every_body_pass(path, model, progress, max_frames, num_poses, start_s, end_s)
    return _finish(seq, path)


def single_person_pass(path: Path, model: str, progress: Progress | None = None,
                       max_frames: int | None = None, start_s: float | None = None,
                       end_s: float | None = None) -> PoseSequence | None:
    """One body per frame, with the scout watching; None as soon as two people are seen.

    The landmarks go to a temporary file as they come (:class:`~glutecv.pose.store.
    LandmarkStore`), so memory does not grow with the video's length.
    """
    got = _single_person_store(path, model, progress, max_frames, start_s, end_s)
    if got is None:
        return None
    store, width, height, meta = got
    seq = store.to_sequence(width, height, meta)
    store.close()
    return seq


def _single_person_store(path: Path, model: str, progress: Progress | None,
                         max_frames: int | None, start_s: float | None, end_s: float | None,
                         directory: str | None = None
                         ) -> tuple[LandmarkStore, int, int, dict[str, Any]] | None:
    """The single-person pass into a store (kept named in ``directory`` when one is given,
    for :meth:`LandmarkStore.detach`)."""
    from glutecv.io.video import VideoSource
    from glutecv.pose.estimator import PoseEstimator
    from glutecv.pose.extract import sequence_meta

    with VideoSource(path, pixel_format="rgb24", prefetch=6, max_frames=max_frames,
                     start_s=start_s, end_s=end_s) as src, \
            PoseEstimator(model) as estimator, PoseEstimator(model, num_poses=2) as scout:
        fps = src.fps if src.fps > 0 and np.isfinite(src.fps) else 30.0
        total = src.frame_count or None
        scout_every = int(round(fps * SCOUT_EVERY_S))
        if total:  # short clips: still at least SCOUT_MIN_LOOKS looks
            scout_every = min(scout_every, total // SCOUT_MIN_LOOKS)
        scout_every = max(1, scout_every)
        store = LandmarkStore(total + 16 if total else 4096, directory,
                              keep_name=directory is not None)
        for frame in src:
            store.append(estimator.estimate(frame))
            if frame.index % scout_every == 0 and len(scout.detect_all(frame)) > 1:
                log.info("%s: more than one person in view; redoing with every body",
                         path.name)
                store.close()
                return None
            if progress is not None and len(store) % PROGRESS_EVERY == 0:
                progress("pose", len(store), total)
        meta = sequence_meta(path, src, estimator)
        return store, src.width, src.height, meta


def _every_body_pass(path: Path, model: str, progress: Progress | None, max_frames: int | None,
                     num_poses: int, start_s: float | None, end_s: float | None
                     ) -> PoseSequence:
    from glutecv.pose.extract import extract_sequence

    def pose_progress(done: int, total: int) -> None:
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress("pose", done, total or None)

    # extract_sequence keeps every body on disk while it picks the person and returns an
    # on-disk sequence, so sequence_on_disk is a no-op here (kept as a guard).
    return sequence_on_disk(extract_sequence(path, model, pose_progress, num_poses=num_poses,
                                             start_s=start_s, end_s=end_s,
                                             max_frames=max_frames))


def _finish(seq: PoseSequence, path: Path) -> PoseSequence:
    """Add what the pipeline records (where from, warnings) to the sequence's meta."""
    meta = seq.meta
    meta["source_path"] = str(path.resolve())
    meta["source_bytes"] = path.stat().st_size
    meta["video"]["frames"] = len(seq)
    meta["warnings"] = [_gap_text(a, b if b is not None else np.inf)
                        for a, b in meta["video"].get("gaps_s", [])]
    people = meta.get("people", {})
    if people.get("max_seen", 0) > 1:
        reason = people.get("selection", {}).get("reason")
        meta["warnings"].append(
            f"more than one person in view ({people.get('multi_person_frames', 0)} frames); "
            + (reason or "followed the one who moves most, throughout the clip"))
    return seq


def extract_pose_parallel(path: str | Path, model: str = "full",
                          progress: Progress | None = None, workers: int = 2,
                          num_poses: int | None = None) -> PoseSequence:
    """Pass 1 on two cores: the video's tail goes to a spawned helper process.

    The split point gives the helper fewer frames, to make up for its start-up time; the parts
    meet at a frame boundary, and the helper starts :data:`SEAM_WARMUP_S` early so the model's
    tracking has settled at the seam. With several people in view the clip is done in one
    process (choosing the person needs the whole clip at once).
    """
    from concurrent.futures import ProcessPoolExecutor

    from glutecv.io.video import probe

    path = Path(path)
    info = probe(path)
    n, fps = info.frame_count, info.fps
    if (workers < 2 or n < MIN_SPLIT_FRAMES or not (fps > 0 and np.isfinite(fps))
            or num_poses not in (None, 1)):
        return extract_pose(path, model, progress, num_poses=num_poses)
    frame_s = 0.02 * {"lite": 0.7, "full": 1.0, "heavy": 2.5}.get(model, 1.0)  # rough model cost
    if n * frame_s < 3 * HELPER_STARTUP_S:  # the helper's start-up would eat the gain
        return extract_pose(path, model, progress, num_poses=num_poses)
    start = _first_frame_time(path)
    head_frames = int(min(n * 0.8, (n + HELPER_STARTUP_S / frame_s) / 2))
    split_s = start + (head_frames + 0.5) / fps
    import multiprocessing as mp

    def head_progress(stage: str, done: int, total: int | None) -> None:
        if progress is not None:
            progress(stage, min(n, int(done * n / max(head_frames, 1))), n)

    pool = ProcessPoolExecutor(1, mp_context=mp.get_context("spawn"))
    head = tail = None
    helper_dir = tempfile.mkdtemp(prefix=".glutecv-tmp-")  # the helper's landmark file
    try:
        warm_from = max(start, split_s - SEAM_WARMUP_S)  # rows before split_s are dropped
        tail_job = pool.submit(_tail_part, path, model, warm_from, helper_dir)
        head = single_person_pass(path, model, head_progress, end_s=split_s)
        if head is not None:
            try:
                tail = _tail_sequence(tail_job.result())
            except Exception as exc:  # the helper died: do the tail here instead
                log.debug("helper process failed (%s); finishing in this process", exc)
                tail = single_person_pass(path, model, None, start_s=warm_from)
    finally:
        if head is None or tail is None:  # stopped early: don't wait for the helper
            for proc in list(getattr(pool, "_processes", {}).values()):
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(helper_dir, ignore_errors=True)  # open files stay readable
    if head is None or tail is None:
        return extract_pose(path, model, progress, num_poses=2)
    return _finish(_concat(head, tail), path)


def _tail_part(path: Path, model: str, start_s: float, directory: str
               ) -> tuple[StoreFile, int, int, dict[str, Any]] | None:
    """The helper process's job (a module-level function so it can be sent to the process).

    The landmarks come back as a file this process opens, not pickled through a pipe.
    """
    got = _single_person_store(path, model, None, None, start_s, None, directory=directory)
    if got is None:
        return None
    store, width, height, meta = got
    return store.detach(), width, height, meta


def _tail_sequence(part: tuple[StoreFile, int, int, dict[str, Any]] | None
                   ) -> PoseSequence | None:
    if part is None:
        return None
    file, width, height, meta = part
    store = LandmarkStore.attach(file)
    seq = store.to_sequence(width, height, meta)
    store.close()
    return seq


def _first_frame_time(path: Path) -> float:
    from glutecv.io.video import VideoSource

    with VideoSource(path, prefetch=0, max_frames=1) as src:
        first = next(iter(src), None)
    return float(first.t_s) if first is not None else 0.0


def _concat(head: PoseSequence, tail: PoseSequence) -> PoseSequence:
    """Head then the tail's rows after the head's last time, in a new on-disk sequence."""
    first = int(np.searchsorted(tail.t_s, head.t_s[-1] if len(head) else -np.inf,
                                side="right"))  # never a frame twice
    meta: dict[str, Any] = dict(head.meta)
    video = dict(head.meta["video"])
    video["gaps_s"] = list(video.get("gaps_s", [])) + [
        g for g in tail.meta["video"].get("gaps_s", []) if g not in video.get("gaps_s", [])]
    meta["video"] = video
    meta["split_at_s"] = float(tail.t_s[first]) if first < len(tail) else None
    store = LandmarkStore(len(head) + len(tail) - first)
    for part, start in ((head, 0), (tail, first)):
        for lo in range(start, len(part), 8 * CHUNK_ROWS):
            block = part.slice(lo, min(len(part), lo + 8 * CHUNK_ROWS))
            store.extend({name: getattr(block, name) for name, _ in FIELDS})
            release(part)
    seq = store.to_sequence(head.width, head.height, meta)
    store.close()
    return seq


def _gap_text(start: float, end: float) -> str:
    if not np.isfinite(end):
        return f"the video ends early at {start:.2f} s (file truncated or damaged)"
    return f"undecodable frames skipped between {start:.2f} s and {end:.2f} s"
