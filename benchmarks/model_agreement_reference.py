"""Reference landmarks from the legacy ``mp.solutions.pose`` (mediapipe==0.10.21).

Runs in a throwaway venv that has the legacy mediapipe, never in glutecv's own environment;
``benchmarks/model_agreement.py`` calls it and streams the very RGB frames it decoded itself
to our stdin (raw uint8, WIDTH x HEIGHT x 3 each), so both sides see identical pixels. Writes,
per frame, the normalised image landmarks (x, y in [0, 1]; NaN where nobody was found) and the
visibility.

Usage: PYTHON model_agreement_reference.py WIDTH HEIGHT OUT.npz --mode tracking|static
       [--smooth] [--complexity 1]  < raw_rgb_frames
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("width", type=int)
    parser.add_argument("height", type=int)
    parser.add_argument("out")
    parser.add_argument("--mode", choices=("tracking", "static"), default="tracking")
    parser.add_argument("--smooth", action="store_true")
    parser.add_argument("--complexity", type=int, default=1)
    args = parser.parse_args()

    import mediapipe as mp

    pose = mp.solutions.pose.Pose(
        static_image_mode=args.mode == "static", model_complexity=args.complexity,
        smooth_landmarks=args.smooth, enable_segmentation=False,
        min_detection_confidence=0.5, min_tracking_confidence=0.5,
    )
    frame_bytes = args.width * args.height * 3
    xy, vis = [], []
    elapsed = 0.0
    while True:
        raw = sys.stdin.buffer.read(frame_bytes)
        if len(raw) < frame_bytes:
            break
        rgb = np.frombuffer(raw, np.uint8).reshape(args.height, args.width, 3)
        start = time.perf_counter()
        result = pose.process(rgb)
        elapsed += time.perf_counter() - start
        if result.pose_landmarks is None:
            xy.append(np.full((33, 2), np.nan))
            vis.append(np.full(33, np.nan))
        else:
            lms = result.pose_landmarks.landmark
            xy.append(np.array([[lm.x, lm.y] for lm in lms]))
            vis.append(np.array([lm.visibility for lm in lms]))
    pose.close()
    np.savez(args.out, xy=np.array(xy), visibility=np.array(vis), inference_s=elapsed,
             mediapipe_version=mp.__version__)


if __name__ == "__main__":
    main()
