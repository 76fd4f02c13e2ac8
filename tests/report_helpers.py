"""Analysed folders made by hand for the report tests: result.json + a small H.264 video."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from glutecv.results import AnalysisResult, Fault, Rep, ThresholdLine, ViewInfo

FPS = 30.0


def bridge_result(duration: float = 12.0, fps: float = FPS, rom_scale: float = 1.0,
                  source: str = "bridge.mp4") -> AnalysisResult:
    """A single-leg glute bridge: 4 reps alternating left/right, reps 2 and 3 flagged.

    Rep windows (s): 1-3 L good, 3.5-5.5 R pelvic drop, 6-8 L valgus + lumbar, 8.5-10.5 R good.
    """
    n = int(round(duration * fps))
    t = np.arange(n) / fps
    windows = [(1.0, 3.0, "left"), (3.5, 5.5, "right"), (6.0, 8.0, "left"), (8.5, 10.5, "right")]
    hip = {"left": np.full(n, 130.0), "right": np.full(n, 130.0)}
    for a, b, side in windows:
        inside = (t >= a) & (t <= b)
        hip[side][inside] += 45 * rom_scale * np.sin(np.pi * (t[inside] - a) / (b - a))
    drop = 2 + 6 * np.exp(-((t - 4.5) / 0.4) ** 2)
    hip["left"][int(11 * fps):int(11.3 * fps)] = np.nan  # a dropout: the line must break
    faults = {
        1: (Fault("pelvic_drop", 8.1, 5.0, "deg", "pelvis dropped 8.1° on the free side"),),
        2: (Fault("knee_valgus", 13.7, 10.0, "deg", "knee <caved> in & out"),
            Fault("lumbar_extension", 12.0, 8.0, "deg", "low back arched at lockout")),
    }
    reps = tuple(
        Rep(i + 1, side, a, (a + b) / 2, b,
            {"rom_deg": 45.0 * rom_scale - 3 * i, "peak_hip_extension_deg": 175.0 - i,
             "hold_s": 0.4 + 0.1 * i}, faults.get(i, ()))
        for i, (a, b, side) in enumerate(windows))
    return AnalysisResult(
        source=source, video={"width": 320, "height": 180, "fps": fps, "frames": n,
                              "duration_s": n / fps},
        exercise="single_leg_glute_bridge", exercise_source="recognised",
        exercise_confidence=0.91,
        view=ViewInfo("side", "supine", "left", "both", 0.8,
                      {"knee_valgus": "needs a front view"}),
        reps=reps, warnings=("camera is tilted <5°> & that's fine",),
        series={"t_s": t.tolist(), "hip_extension_left_deg": hip["left"].tolist(),
                "hip_extension_right_deg": hip["right"].tolist(),
                "pelvic_drop_deg": drop.tolist(), "phase": [0.0] * n},
        thresholds={"pelvic_drop_deg": 5.0, "hip_extension_min_deg": 160.0,
                    "knee_valgus_deg": 10.0},
        display={"hip_extension_left_deg": "L hip", "hip_extension_right_deg": "R hip",
                 "pelvic_drop_deg": "pelvic drop"},
        plot_thresholds={
            "hip_extension_left_deg": (ThresholdLine("hip_extension_min", 160.0),),
            "hip_extension_right_deg": (ThresholdLine("hip_extension_min", 160.0),),
            "pelvic_drop_deg": (ThresholdLine("pelvic drop", 5.0, "rep_start"),)},
        model="full", glutecv_version="0.1.0",
    )


def write_video(path: Path, result: AnalysisResult, width: int = 320, height: int = 180,
                overlay: bool = True) -> None:
    """The result's frames with the real overlay drawn on them, encoded by glutecv's own
    annotated-video writer (H.264, yuv420p, faststart) exactly as ``glutecv analyze`` does."""
    from glutecv.annotate import build_overlay
    from glutecv.io.video_writer import VideoWriter
    from glutecv.results import frame_state_at

    t = result.series["t_s"]
    ov = build_overlay(width, height, result) if overlay else None
    with VideoWriter(path, width, height, fps=result.video["fps"], preset="ultrafast",
                     crf=30) as writer:
        for i, t_s in enumerate(t):
            img = np.full((height, width, 3), 60, np.uint8)
            img[:, (i * 3) % width] = 200  # a moving bar: frames differ
            if ov is not None:
                ov.annotate(img, None, frame_state_at(result, i), fps=None)
            writer.write(img, t_s)


def analysed_folder(root: Path, name: str, result: AnalysisResult | None = None,
                    video: bool = True) -> Path:
    """``root/name/`` with result.json and (optionally) annotated.mp4, as analyze writes it."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    result = result or bridge_result()
    result.save(folder / "result.json")
    if video:
        write_video(folder / "annotated.mp4", result)
    return folder
