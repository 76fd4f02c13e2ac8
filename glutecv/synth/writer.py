"""Write a clip's ground truth beside its video (compact JSON, atomically)."""

from __future__ import annotations

import json
from pathlib import Path

from glutecv.io.atomic import write_text


def truth_path(video_path: str | Path) -> Path:
    """``OUT.mp4`` -> ``OUT.json``."""
    return Path(video_path).with_suffix(".json")


def write_truth(video_path: str | Path, truth: dict) -> Path:
    """Save ``truth`` as ``OUT.json`` next to ``OUT.mp4``: the header indented for reading,
    one line per frame so the file stays small and diffable."""
    frames = truth.get("frames", [])
    head = {k: v for k, v in truth.items() if k != "frames"}
    text = json.dumps(head, indent=1, allow_nan=False)[:-2]
    lines = ",\n  ".join(json.dumps(f, separators=(",", ":"), allow_nan=False) for f in frames)
    text += f',\n "frames": [\n  {lines}\n ]\n}}\n'
    path = truth_path(video_path)
    write_text(path, text)
    return path


def read_truth(path: str | Path) -> dict:
    """Load a ground-truth JSON written by :func:`write_truth`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
