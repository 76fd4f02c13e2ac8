"""Worker processes for :func:`glutecv.batch.run_batch`.

Each worker analyses one video at a time (the pose model keeps about one core busy, so one
worker per core). Progress messages travel back through a queue to a thread in the parent,
which passes them to the reporter (the CLI's progress bars). Workers start with ``spawn``, so
no thread or model state of the parent leaks into them, and each watches its parent: if the
parent is killed, the worker exits instead of finishing orphaned work.

If a worker dies outright (a crash inside a native library), the pool is rebuilt and the
unfinished videos are retried once; a video that kills a worker twice is reported failed.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from glutecv.batch import Job, JobOutcome, Reporter, run_one

log = logging.getLogger("glutecv.batch")

_queue: Any = None


def _watch_parent(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(0.5)


def _init_worker(q: Any, parent: int, log_level: int) -> None:
    global _queue
    _queue = q
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    logging.getLogger("glutecv").setLevel(log_level)
    if not logging.getLogger("glutecv").handlers:
        logging.getLogger("glutecv").addHandler(logging.NullHandler())
        logging.getLogger("glutecv").propagate = False
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Kill the pool's workers (their unfinished outputs are only temporaries)."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        if proc.is_alive():
            proc.terminate()
    for proc in list(getattr(pool, "_processes", {}).values()):
        proc.join(timeout=5.0)


def _send(event: str, index: int, payload: object) -> None:
    if _queue is not None:
        _queue.put((event, index, payload))


def _work(job: Job, exercise: str, model: str, video: bool, index: int) -> JobOutcome:
    return run_one(job, exercise, model, video, _send, index)


def _pump(q: Any, reporter: Reporter | None, stop: threading.Event) -> None:
    import queue as queue_mod

    while not stop.is_set() or not q.empty():
        try:
            event, index, payload = q.get(timeout=0.1)
        except (queue_mod.Empty, EOFError, OSError):
            continue
        if reporter is not None and event != "end":  # "end" is reported by the parent
            reporter(event, index, payload)


def run_parallel(jobs: list[Job], todo: list[int], exercise: str, model: str, video: bool,
                 workers: int, reporter: Reporter | None) -> Iterator[tuple[int, JobOutcome]]:
    """Run ``jobs[i]`` for ``i`` in ``todo`` on ``workers`` processes; yield as they finish."""
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    stop = threading.Event()
    pump = threading.Thread(target=_pump, args=(q, reporter, stop), daemon=True)
    pump.start()
    tries = dict.fromkeys(todo, 0)
    remaining = list(todo)
    level = logging.getLogger("glutecv").getEffectiveLevel()
    try:
        while remaining:
            pool = ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                       initializer=_init_worker,
                                       initargs=(q, os.getpid(), max(level, logging.ERROR)))
            finished_cleanly = False
            try:
                pending: dict[Future, int] = {}
                queue_ = list(remaining)

                def submit_next(pool: ProcessPoolExecutor = pool, queue_: list[int] = queue_,
                                pending: dict[Future, int] = pending) -> None:
                    i = queue_.pop(0)
                    tries[i] += 1
                    pending[pool.submit(_work, jobs[i], exercise, model, video, i)] = i

                for _ in range(min(workers, len(queue_))):
                    submit_next()
                broken = False
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in done:
                        i = pending.pop(fut)
                        try:
                            outcome = fut.result()
                        except BrokenProcessPool:
                            broken = True
                            continue
                        except Exception as exc:  # e.g. a result that cannot be sent back
                            outcome = JobOutcome(str(jobs[i].source), str(jobs[i].dest),
                                                 "failed", message=f"{jobs[i].source.name}: "
                                                 f"internal error: {exc}")
                        remaining.remove(i)
                        if reporter is not None:
                            reporter("end", i, outcome)
                        yield i, outcome
                        if queue_ and not broken:
                            submit_next()
                    if broken:
                        break
                finished_cleanly = True
            finally:
                if not finished_cleanly:  # Ctrl-C or an error here: stop the workers now
                    _terminate(pool)
                pool.shutdown(wait=True, cancel_futures=True)
            if broken:
                for i in list(remaining):
                    if tries[i] >= 2:
                        remaining.remove(i)
                        outcome = JobOutcome(str(jobs[i].source), str(jobs[i].dest), "failed",
                                             message=f"{jobs[i].source.name}: the worker "
                                             "process crashed while analysing it")
                        if reporter is not None:
                            reporter("end", i, outcome)
                        yield i, outcome
                log.debug("a worker crashed; retrying %d video(s)", len(remaining))
    finally:
        stop.set()
        pump.join(timeout=2.0)
        q.close()
