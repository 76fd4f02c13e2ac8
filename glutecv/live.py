"""Live mode: camera (or a file played in real time) -> pose -> count and cue -> window.

One loop, the same for a webcam and for ``--source FILE --realtime``:

1. take the newest frame from the source (older ones were already dropped by the source, so
   the loop never falls behind);
2. estimate the pose on that frame, update the live analyzer;
3. draw the overlay on that same frame (so the skeleton is never a stale pose) and show it,
   and hand it to the recorder (encoding on its own thread).

When frames stop arriving, the last image is shown with "no frames from the camera" and the
loop waits; after ``stall_timeout_s`` it ends cleanly with the summary so far. The recording,
if any, is always finalised. Latency (capture -> drawn overlay) is measured per frame.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.results import AnalysisResult, FrameState

log = logging.getLogger("glutecv.live")

STALL_MESSAGE = "no frames from the camera: waiting"


@dataclass
class LiveSummary:
    """What a live session did."""

    result: AnalysisResult | None
    frames_analysed: int = 0
    duration_s: float = 0.0
    ended_because: str = ""
    latencies_ms: list[float] = field(default_factory=list)
    recording: str | None = None

    def latency_percentile(self, q: float) -> float:
        return float(np.percentile(self.latencies_ms, q)) if self.latencies_ms else float("nan")


class LiveSession:
    """Runs the live loop over ``source`` with ``estimator``; :meth:`run` returns the summary.

    ``source`` yields the newest frame via ``read(timeout_s) -> Frame | None`` and says
    ``finished`` when a file has ended; ``window`` is a :class:`~glutecv.live_view.Window` or
    :class:`~glutecv.live_view.NoWindow`; ``recorder`` an open Recorder or None.
    """

    def __init__(self, source: Any, estimator: Any, exercise: str = "auto", window: Any = None,
                 recorder: Any = None, stall_warn_s: float = 1.0, stall_timeout_s: float = 10.0,
                 fps_hint: float = 30.0) -> None:
        from glutecv.annotate import build_overlay
        from glutecv.live_exercise import LiveExercise
        from glutecv.live_view import NoWindow

        self.source, self.estimator = source, estimator
        self.window = window if window is not None else NoWindow()
        self.recorder = recorder
        self.stall_warn_s, self.stall_timeout_s = stall_warn_s, stall_timeout_s
        self.width, self.height = int(source.width), int(source.height)
        self.exercise = LiveExercise(exercise, fps_hint=fps_hint, width=self.width,
                                     height=self.height)
        self.overlay = build_overlay(self.width, self.height)
        self._overlay_for: str | None = None
        self.poses: Any = None
        self.paused = False
        self._fps = 0.0

    def run(self) -> LiveSummary:
        from glutecv.pose.store import LandmarkStore

        self.poses = LandmarkStore()  # on disk: an hour-long session does not grow memory
        latencies: list[float] = []
        started = time.monotonic()
        try:
            reason = self._loop(latencies)
        except KeyboardInterrupt:
            reason = "interrupted"
        self.window.close()
        return LiveSummary(self._result(), len(self.poses), time.monotonic() - started, reason,
                           latencies)

    def _loop(self, latencies: list[float]) -> str:
        """The frame loop; returns why it ended."""
        last_frame_at = time.monotonic()
        last_image: np.ndarray | None = None
        last_t = 0.0
        prev_done = None
        reason = "quit"
        while True:
            frame = self.source.read(timeout_s=0.1)
            now = time.monotonic()
            if frame is None:
                if getattr(self.source, "finished", False):
                    reason = "end of video"
                    break
                waited = now - last_frame_at
                if waited >= self.stall_timeout_s:
                    reason = f"no frames for {waited:.0f} s"
                    log.warning("the camera stopped delivering frames; ending the session")
                    break
                if waited >= self.stall_warn_s and last_image is not None:
                    shown = last_image.copy()
                    self.overlay.annotate(shown, None, FrameState(last_t, False,
                                                                  message=STALL_MESSAGE))
                    command = self.window.show(shown)
                else:
                    command = self.window.poll(1)
                if self._command(command) == "quit":
                    break
                continue
            last_frame_at = now
            if self.paused:
                command = self.window.show(last_image if last_image is not None else frame.bgr())
                if self._command(command) == "quit":
                    break
                continue
            image, state = self._process(frame)
            drawn = time.monotonic()
            captured = getattr(frame, "captured_at", None)
            if captured is not None:
                latencies.append((drawn - captured) * 1000.0)
            if prev_done is not None:
                dt = drawn - prev_done
                self._fps = 1.0 / dt if self._fps == 0 else 0.9 * self._fps + 0.1 / max(dt, 1e-6)
            prev_done = drawn
            last_image, last_t = image, state.t_s
            if self.recorder is not None:
                self.recorder.write(image, frame.t_s)
            if self._command(self.window.show(image)) == "quit":
                break
        return reason

    def _process(self, frame: Any) -> tuple[np.ndarray, FrameState]:
        """Pose, analysis and overlay for one frame; the overlay is drawn on this frame."""
        image = frame.bgr()  # a converted copy for RGB frames, the frame itself for BGR
        if not image.flags.writeable:
            image = image.copy()
        pose = self.estimator.estimate(frame)
        self.poses.append(pose)
        state = self.exercise.update(pose)
        if self.exercise.name != self._overlay_for and self.exercise.name is not None:
            self.overlay = _overlay_for(self.width, self.height, self.exercise.name)
            self._overlay_for = self.exercise.name
        self.overlay.annotate(image, pose if pose.detected else None, state, self._fps)
        return image, state

    def _command(self, command: str | None) -> str | None:
        if command == "reset":
            self.exercise.reset()
            log.info("count reset")
        elif command == "pause":
            self.paused = not self.paused
        elif command == "exercise":
            self.exercise.next_exercise()
        return command

    def _result(self) -> AnalysisResult | None:
        from glutecv.pipeline import build_result

        analysis = self.exercise.finish()
        if analysis is None or len(self.poses) == 0:
            return None
        meta = {"source": str(getattr(self.source, "name", "camera")),
                "model": getattr(self.estimator, "model_name", None)}
        seq = self.poses.to_sequence(self.width, self.height, meta)
        self.sequence = seq
        how = "recognised" if self.exercise.auto else "given"
        return build_result(seq, analysis, how=how, confidence=self.exercise.confidence,
                            source=meta["source"], model=meta["model"])


def _overlay_for(width: int, height: int, name: str) -> Any:
    """The overlay for one exercise; one-sided exercises show ``L 0  R 0`` from the start."""
    from glutecv.annotate import build_overlay
    from glutecv.errors import UnknownNameError
    from glutecv.exercises import get_analyzer

    try:
        unilateral = bool(getattr(get_analyzer(name), "unilateral", False))
    except UnknownNameError:
        unilateral = False
    sides = ("left", "right") if unilateral else ()
    return build_overlay(width, height, title=name.replace("_", " "), sides=sides)


def summary_text(summary: LiveSummary) -> str:
    """The end-of-session summary printed by ``glutecv live``."""
    result = summary.result
    lines = [f"session: {summary.duration_s:.1f} s, {summary.frames_analysed} frames analysed "
             f"({summary.ended_because})"]
    if summary.latencies_ms:
        lines.append(f"latency capture->overlay: p50 {summary.latency_percentile(50):.0f} ms, "
                     f"p95 {summary.latency_percentile(95):.0f} ms")
    if result is None:
        lines.append("no exercise recognised; no reps counted")
        return "\n".join(lines)
    s = result.summary()
    sides = ", ".join(f"{k} {v}" for k, v in sorted(s["reps_by_side"].items()))
    lines.append(f"exercise: {result.exercise.replace('_', ' ')}; reps: {s['rep_count']}"
                 + (f" ({sides})" if sides else "") + f"; good reps: {s['good_reps']}")
    for code, n in sorted(s["fault_counts"].items(), key=lambda kv: -kv[1]):
        lines.append(f"  {code.replace('_', ' ')}: {n} rep(s)")
    for rep in result.reps:
        flags = ", ".join(f.code for f in rep.faults) or "good"
        lines.append(f"  rep {rep.index} ({rep.side}) {rep.start_s:.1f}-{rep.end_s:.1f} s: "
                     f"{flags}")
    return "\n".join(lines)


def save_session(summary: LiveSummary, session: LiveSession, out_dir: str | Path,
                 name: str) -> Path | None:
    """Write the session like ``analyze`` does: ``out_dir/<name>/`` result, reps, landmarks."""
    from glutecv.pipeline import prepare_output_dir, write_outputs

    if summary.result is None:
        return None
    target = Path(out_dir) / name
    prepare_output_dir(target)
    write_outputs(target, session.sequence, summary.result)
    return target
