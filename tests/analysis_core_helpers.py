"""Kinematic bridge/thrust clips with scripted faults, shared by the analysis-core tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from glutecv import kinematics as km
from glutecv.pose.types import PoseSequence


def per_rep(t: np.ndarray, specs: Sequence[km.RepSpec], values: Sequence[float]) -> np.ndarray:
    """A per-frame array holding ``values[k]`` during rep k and 0 elsewhere."""
    out = np.zeros_like(t)
    for spec, v in zip(specs, values, strict=True):
        out[(t >= spec.start_s - 0.2) & (t <= spec.end_s + 0.2)] = v
    return out


def bridge_clip(
    n: int = 4, view: str = "side_left", *, amplitudes: float | Sequence[float] = 1.0,
    overshoot: Sequence[float] | None = None, cave: Sequence[float] | None = None,
    drop: Sequence[float] | None = None, free_leg: str | None = None, bench: bool = False,
    hold_s: float = 0.8, noise_px: float = 1.5, dropouts: Sequence[tuple[float, float]] = (),
    fps: float = 30.0, seed: int = 0, fidget_s: float = 0.0,
) -> tuple[PoseSequence, list[km.RepSpec], dict[str, np.ndarray]]:
    """A bridge (or thrust with ``bench``) clip of ``n`` reps, faults given per rep."""
    specs = km.schedule(n, start_s=1.2 + fidget_s, up_s=0.9, hold_s=hold_s, down_s=0.9,
                        rest_s=1.0, amplitudes=amplitudes)
    t = km.timeline(specs[-1].end_s + 1.2, fps)
    w = km.waveform(t, specs)
    zeros = [0.0] * n
    kw = dict(bench_height=0.4, bottom_hip_height=0.12) if bench else {}
    pose, root, truth = km.bridge_pose(
        w, overshoot_deg=per_rep(t, specs, overshoot or zeros),
        knee_cave_deg=per_rep(t, specs, cave or zeros) * w,
        pelvic_drop_deg=per_rep(t, specs, drop or zeros) * w,
        free_leg=free_leg, **kw)
    if fidget_s:
        from dataclasses import replace

        pose = replace(pose, pelvis_tilt=np.asarray(pose.pelvis_tilt)
                       + km.fidget(t, 0.0, fidget_s, amplitude=3.0, seed=seed))
    seq = km.make_sequence(pose, t, "supine", view, root=root)
    truth = {**truth, "points": km.world_points(pose, t, "supine", root=root)}
    if noise_px:
        seq = km.add_noise(seq, px=noise_px, world_m=0.008, seed=seed)
    if dropouts:
        seq = km.add_dropouts(seq, dropouts)
    return seq, specs, truth
