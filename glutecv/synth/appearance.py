"""Clothing, skin and hair colours, chosen per vertex by the bone each vertex follows."""

from __future__ import annotations

import numpy as np

from glutecv.errors import GlutecvError
from glutecv.synth.body import RestBody

SKIN_TONES = ("#f1c27d", "#e0ac69", "#c68642", "#8d5524", "#ffdbac", "#d9a066")
SHIRTS = ("#2e6db4", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#d4ac0d",
          "#ecf0f1")
PANTS = ("#1f1f24", "#2c3e50", "#4a4a55", "#3b2f4a", "#5d6d7e")
SHOES = ("#f2f2f2", "#d0d3d4", "#303030")
HAIR = ("#2b1b10", "#4a3020", "#120c08", "#8a6a3a")
PARTS = ("skin", "shirt", "pants", "shoes", "hair")

_SHIRT_BONES = ("spine01", "spine02", "spine03", "spine04", "clavicle", "shoulder01",
                "upperarm01")
_PANTS_BONES = ("root", "pelvis", "spine05", "upperleg", "lowerleg")
_SHOE_BONES = ("foot", "toe")


def hex_rgb(text: str) -> np.ndarray:
    """'#rrggbb' -> RGB floats 0..1."""
    t = text.strip().lstrip("#")
    if len(t) != 6:
        raise GlutecvError(f"colour {text!r} is not of the form #rrggbb")
    try:
        return np.array([int(t[i:i + 2], 16) / 255.0 for i in (0, 2, 4)])
    except ValueError:
        raise GlutecvError(f"colour {text!r} is not of the form #rrggbb") from None


def pick_colors(rng: np.random.Generator, given: dict[str, str] | None = None) -> dict[str, str]:
    """A colour (``#rrggbb``) for every part, random from ``rng`` unless ``given``."""
    given = dict(given or {})
    unknown = set(given) - set(PARTS)
    if unknown:
        raise GlutecvError(f"unknown colour part(s) {', '.join(sorted(unknown))}; "
                           f"choose from: {', '.join(PARTS)}")
    choice = {part: str(rng.choice(options)) for part, options in
              zip(PARTS, (SKIN_TONES, SHIRTS, PANTS, SHOES, HAIR), strict=True)}
    choice.update(given)
    for value in choice.values():
        hex_rgb(value)
    return choice


def vertex_parts(rest: RestBody) -> np.ndarray:
    """Part index (into :data:`PARTS`) of every rest vertex."""
    names = [rest.bone_names[b] for b in rest.dominant_bone]
    part = np.zeros(len(names), dtype=np.int64)
    for i, name in enumerate(names):
        if name.startswith(_SHIRT_BONES):
            part[i] = 1
        elif name.startswith(_PANTS_BONES):
            part[i] = 2
        elif name.startswith(_SHOE_BONES):
            part[i] = 3
    v = rest.vertices
    eye = rest.heads[rest.bone("eye.L")]
    head = np.array([n in ("head", "neck02", "neck03") for n in names])
    hair = head & ((v[:, 1] > eye[1] + 0.045) |
                   ((v[:, 2] < eye[2] - 0.075) & (v[:, 1] > eye[1] - 0.09)))
    part[hair] = 4
    return part


def vertex_albedo(parts: np.ndarray, colors: dict[str, str]) -> np.ndarray:
    """Per-vertex RGB (V, 3) for the part colours."""
    table = np.stack([hex_rgb(colors[p]) for p in PARTS])
    return table[parts]
