"""Do the built bundles give the same landmarks as the reference MediaPipe Pose?

Compares the built ``full`` bundle (Tasks API, mediapipe as installed) with the legacy
``mp.solutions.pose`` of ``mediapipe==0.10.21`` at ``model_complexity=1``, which ships the same
networks, on real clips from ``../shared/clips``. The legacy package cannot live in glutecv's
environment, so it runs in a throwaway venv through ``model_agreement_reference.py``::

    python3 -m venv /tmp/mp_legacy && /tmp/mp_legacy/bin/pip install mediapipe==0.10.21
    .venv/bin/python benchmarks/model_agreement.py [--legacy-python /tmp/mp_legacy/bin/python]

Like is compared with like: Tasks IMAGE mode against legacy ``static_image_mode=True`` (pure
network agreement, no tracking, no smoothing), and Tasks VIDEO mode against legacy tracking
with and without landmark smoothing. The error of a landmark is its image-plane distance
between the two, in pixels, divided by the longer frame side; statistics are over the twelve
major body joints (shoulders, elbows, wrists, hips, knees, ankles) in frames where both found
a person. A comparison is "within 1%" when both the mean and the 95th percentile of that error
are below 1% of the frame; the verdict on the bundle is the network comparison (IMAGE vs
static), since the two libraries' trackers choose slightly different crops from frame to frame
(the diagnostic rows show how much tracking alone moves each pipeline). Also records the
inference speed of lite/full/heavy (VIDEO mode, decode excluded; other jobs on the machine
lower it). Prints a table and writes ``benchmarks/results/model_agreement.json``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from glutecv.io.atomic import write_json
from glutecv.landmarks import Landmark
from glutecv.models import resolve_model

REPO = Path(__file__).resolve().parents[1]
CLIPS_DIR = REPO.parent / "shared" / "clips"
CLIPS = (("glute_bridge/aminran_side.mp4", "side"), ("squat/julio_goblet_tiktok.mp4", "front"))
MAJOR_JOINTS = tuple(Landmark[f"{side}_{joint}"] for joint in (
    "SHOULDER", "ELBOW", "WRIST", "HIP", "KNEE", "ANKLE") for side in ("LEFT", "RIGHT"))
TOLERANCE = 0.01  # fraction of the longer frame side
REFERENCE = Path(__file__).with_name("model_agreement_reference.py")
# (name, Tasks running mode, legacy mode, legacy smoothing)
COMPARISONS = (
    ("image_vs_static", "image", "static", False),
    ("video_vs_tracking", "video", "tracking", False),
    ("video_vs_tracking_smoothed", "video", "tracking", True),
)
FRAME_PERIOD_US = 33_333  # legacy solutions advance their clock by this per frame


def decoded_frames(video: Path, max_frames: int) -> Iterator[np.ndarray]:
    """RGB frames of ``video`` as OpenCV decodes them (the reference decodes the same way)."""
    import cv2

    cap = cv2.VideoCapture(str(video))
    try:
        for _ in range(max_frames):
            ok, bgr = cap.read()
            if not ok:
                return
            yield np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
    finally:
        cap.release()


def run_tasks(video: Path, model: Path, mode: str, max_frames: int) -> dict:
    """Normalised landmarks (N, 33, 2; NaN when nobody found) from the Tasks API."""
    import mediapipe as mp
    from mediapipe.tasks.python import BaseOptions, vision

    running = vision.RunningMode.VIDEO if mode == "video" else vision.RunningMode.IMAGE
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model)), running_mode=running)
    xy, elapsed, size = [], 0.0, (0, 0)
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        for i, rgb in enumerate(decoded_frames(video, max_frames)):
            size = (rgb.shape[1], rgb.shape[0])
            image = mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb)
            start = time.perf_counter()
            if mode == "video":
                result = landmarker.detect_for_video(image, i * FRAME_PERIOD_US // 1000)
            else:
                result = landmarker.detect(image)
            elapsed += time.perf_counter() - start
            if result.pose_landmarks:
                xy.append([[lm.x, lm.y] for lm in result.pose_landmarks[0]])
            else:
                xy.append(np.full((33, 2), np.nan))
    return {"xy": np.asarray(xy, float), "size": size, "inference_s": elapsed}


def run_reference(python: str, video: Path, mode: str, smooth: bool, max_frames: int) -> dict:
    """Landmarks from legacy ``mp.solutions.pose`` run by ``python`` (the throwaway venv).

    The reference is fed the frames decoded here, through a pipe, so pixels are identical.
    """
    frames = decoded_frames(video, max_frames)
    first = next(frames)
    with tempfile.TemporaryDirectory() as tmp:
        out, log_path = Path(tmp) / "ref.npz", Path(tmp) / "ref.log"
        cmd = [python, str(REFERENCE), str(first.shape[1]), str(first.shape[0]), str(out),
               "--mode", mode, "--complexity", "1"] + (["--smooth"] if smooth else [])
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=log)
            try:
                proc.stdin.write(first.tobytes())
                for rgb in frames:
                    proc.stdin.write(rgb.tobytes())
            except BrokenPipeError:
                pass
            finally:
                proc.stdin.close()
            if proc.wait() != 0:
                tail = log_path.read_text(errors="replace").strip().splitlines()[-1:]
                sys.exit(f"reference run failed: {tail}")
        with np.load(out) as data:
            return {k: data[k] for k in data.files}


def agreement(ours: dict, ref: dict) -> dict:
    """Error statistics of ``ours`` against ``ref`` as fractions of the longer frame side."""
    width, height = ours["size"]
    n = min(len(ours["xy"]), len(ref["xy"]))
    a, b = ours["xy"][:n], ref["xy"][:n]
    found_a, found_b = ~np.isnan(a[:, 0, 0]), ~np.isnan(b[:, 0, 0])
    both = found_a & found_b
    joints = [int(j) for j in MAJOR_JOINTS]
    delta = (a[both][:, joints] - b[both][:, joints]) * np.array([width, height])
    err = np.hypot(delta[..., 0], delta[..., 1]) / max(width, height)
    stats = {
        "frames": int(n), "frames_both_found": int(both.sum()),
        "frames_only_glutecv": int((found_a & ~found_b).sum()),
        "frames_only_reference": int((~found_a & found_b).sum()),
    }
    if err.size:
        stats |= {
            "mean": float(err.mean()), "p95": float(np.percentile(err, 95)),
            "max": float(err.max()),
            "per_joint_mean": {Landmark(j).name.lower(): float(e)
                               for j, e in zip(joints, err.mean(axis=0), strict=True)},
        }
        stats["within_1pct"] = bool(stats["mean"] < TOLERANCE and stats["p95"] < TOLERANCE)
    return stats


def speed(video: Path, max_frames: int) -> dict:
    """Inference-only frames per second of each bundle in VIDEO mode (decode excluded)."""
    out = {}
    for name in ("lite", "full", "heavy"):
        run = run_tasks(video, resolve_model(name), "video", max_frames)
        out[name] = round(len(run["xy"]) / run["inference_s"], 1)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--legacy-python", default="/tmp/mp_legacy/bin/python",
                        help="python of a venv with mediapipe==0.10.21")
    parser.add_argument("--max-frames", type=int, default=600)
    parser.add_argument("--out", type=Path,
                        default=REPO / "benchmarks" / "results" / "model_agreement.json")
    args = parser.parse_args()
    if not Path(args.legacy_python).is_file():
        sys.exit(f"{args.legacy_python} not found; create it with: python3 -m venv /tmp/mp_legacy"
                 " && /tmp/mp_legacy/bin/pip install mediapipe==0.10.21")
    if not CLIPS_DIR.is_dir():
        sys.exit(f"clips folder {CLIPS_DIR} not found")
    import mediapipe as mp

    model = resolve_model("full")
    report: dict = {"model": str(model.relative_to(REPO)), "tasks_mediapipe": mp.__version__,
                    "metric": "image-plane distance / longer frame side, 12 major joints",
                    "tolerance": TOLERANCE, "clips": {}}
    rows = []
    for rel, view in CLIPS:
        video = CLIPS_DIR / rel
        ours = {m: run_tasks(video, model, m, args.max_frames) for m in ("image", "video")}
        clip: dict = {"view": view, "size": list(ours["video"]["size"])}
        refs = {}
        for name, our_mode, ref_mode, smooth in COMPARISONS:
            refs[name] = ref = run_reference(args.legacy_python, video, ref_mode, smooth,
                                             args.max_frames)
            clip["reference_mediapipe"] = str(ref["mediapipe_version"])
            clip[name] = stats = agreement(ours[our_mode], ref)
            rows.append((rel, name, stats))
        # Diagnostics, not part of the verdict: how much tracking alone moves each pipeline.
        ref_static = dict(refs["image_vs_static"], size=ours["image"]["size"])
        clip["diagnostic_tasks_video_vs_tasks_image"] = agreement(ours["video"], ours["image"])
        clip["diagnostic_legacy_tracking_vs_legacy_static"] = agreement(
            dict(refs["video_vs_tracking"], size=ours["image"]["size"]), ref_static)
        for name in ("diagnostic_tasks_video_vs_tasks_image",
                     "diagnostic_legacy_tracking_vs_legacy_static"):
            rows.append((rel, name.removeprefix("diagnostic_"), clip[name]))
        report["clips"][rel] = clip
    report["fps_inference_video_mode"] = speed(CLIPS_DIR / CLIPS[0][0], min(args.max_frames, 300))
    report["load_average_1min_after"] = round(os.getloadavg()[0], 2)  # other jobs skew fps
    report["network_within_1pct"] = all(
        s.get("within_1pct", False) for _, name, s in rows if name == "image_vs_static")
    write_json(args.out, report)

    print(f"{'clip':<32} {'comparison':<34} {'frames':>6} {'both':>5} "
          f"{'mean %':>7} {'p95 %':>7} {'max %':>7}  within 1%")
    for rel, name, s in rows:
        print(f"{rel:<32} {name:<34} {s['frames']:>6} {s['frames_both_found']:>5} "
              f"{100 * s.get('mean', np.nan):>7.3f} {100 * s.get('p95', np.nan):>7.3f} "
              f"{100 * s.get('max', np.nan):>7.3f}  {'yes' if s.get('within_1pct') else 'NO'}")
    fps = report["fps_inference_video_mode"]
    print("inference fps (VIDEO mode, decode excluded): "
          + ", ".join(f"{k} {v}" for k, v in fps.items()))
    print("network agreement (Tasks IMAGE vs legacy static) within 1% on every clip: "
          f"{'yes' if report['network_within_1pct'] else 'NO'}")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
