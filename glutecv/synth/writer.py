"""Write a clip's ground truth beside its video (compact JSON, atomically), and read it back.

On disk (``"schema": "glutecv.synth.truth/2"``) the header (video, scene, reps...) is
indented for reading and ``frames`` is one JSON array per frame, one line each, whose items
follow ``frame_layout``:

* ``fields``: the frame's fields in row order (``index``, ``t_s``, ``rep``, ``progress``,
  ``landmarks_2d_px``, ``landmarks_3d_m``, ``angles``, and ``bystander_2d_px`` in two-person
  clips);
* ``landmark_fields``: fields stored as a list of coordinates in ``landmark_names`` order
  (``[[x, y], ...]`` px or ``[[x, y, z], ...]`` m) instead of ``{name: [x, y]}``;
* ``angle_names``: the order of the ``angles`` list; ``"hip_flexion_deg.left"`` is
  ``angles["hip_flexion_deg"]["left"]``.

Landmark and angle names are written once instead of in every frame (about 40% of the old
size). :func:`read_truth` returns the in-memory form the studio produces (``frames`` a list
of dicts keyed by name) for both this layout and the older one-dict-per-frame files.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from glutecv.io.atomic import write_text

SCHEMA = "glutecv.synth.truth/2"


def truth_path(video_path: str | Path) -> Path:
    """``OUT.mp4`` -> ``OUT.json``."""
    return Path(video_path).with_suffix(".json")


def _angle_names(angles: dict[str, Any]) -> list[str]:
    return [f"{k}.{side}" if isinstance(v, dict) else k
            for k, v in angles.items() for side in (v if isinstance(v, dict) else (None,))]


def compact(truth: dict) -> dict:
    """The on-disk form of a studio truth dict (see the module docstring)."""
    frames = truth.get("frames", [])
    names = list(truth["landmark_names"])
    if not frames:
        return {**truth, "schema": SCHEMA}
    fields = list(frames[0])
    landmark_fields = [k for k in fields if isinstance(frames[0][k], dict)
                       and list(frames[0][k]) == names]
    angle_names = _angle_names(frames[0].get("angles", {}))
    rows = []
    for f in frames:
        if list(f) != fields:
            raise ValueError(f"frame {f.get('index')} has fields {list(f)}, not {fields}")
        row = []
        for k in fields:
            v = f[k]
            if k in landmark_fields:
                row.append([v[n] for n in names])
            elif k == "angles":
                row.append([v[a.split(".")[0]][a.split(".")[1]] if "." in a else v[a]
                            for a in angle_names])
            else:
                row.append(v)
        rows.append(row)
    layout = {"fields": fields, "landmark_fields": landmark_fields, "angle_names": angle_names}
    head = {k: v for k, v in truth.items() if k != "frames"}
    return {**head, "schema": SCHEMA, "frame_layout": layout, "frames": rows}


def expand(data: dict) -> dict:
    """Inverse of :func:`compact`; an old-layout (one dict per frame) truth passes through."""
    rows = data.get("frames", [])
    layout = data.get("frame_layout")
    if layout is None or not rows or isinstance(rows[0], dict):
        return data
    names = data["landmark_names"]
    frames = []
    for row in rows:
        frame: dict[str, Any] = {}
        for k, v in zip(layout["fields"], row, strict=True):
            if k in layout["landmark_fields"]:
                frame[k] = dict(zip(names, v, strict=True))
            elif k == "angles":
                angles: dict[str, Any] = {}
                for a, x in zip(layout["angle_names"], v, strict=True):
                    if "." in a:
                        name, side = a.split(".", 1)
                        angles.setdefault(name, {})[side] = x
                    else:
                        angles[a] = x
                frame[k] = angles
            else:
                frame[k] = v
        frames.append(frame)
    head = {k: v for k, v in data.items() if k not in ("frames", "frame_layout")}
    return {**head, "frames": frames}


def write_truth(video_path: str | Path, truth: dict) -> Path:
    """Save ``truth`` compactly as ``OUT.json`` next to ``OUT.mp4``: the header indented for
    reading, one line per frame so the file stays small and diffable."""
    data = compact(truth)
    frames = data.get("frames", [])
    head = {k: v for k, v in data.items() if k != "frames"}
    text = json.dumps(head, indent=1, allow_nan=False)[:-2]
    lines = ",\n  ".join(json.dumps(f, separators=(",", ":"), allow_nan=False) for f in frames)
    text += f',\n "frames": [\n  {lines}\n ]\n}}\n'
    path = truth_path(video_path)
    write_text(path, text)
    return path


def read_truth(path: str | Path) -> dict:
    """Load a ground-truth JSON written by :func:`write_truth` (any layout), frames as
    dicts keyed by name, exactly as the studio returned them."""
    return expand(json.loads(Path(path).read_text(encoding="utf-8")))
