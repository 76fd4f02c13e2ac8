"""Motion scripting and corruption helpers for synthetic landmark clips.

Waveforms are values in [0, 1] over time (0 = rest, 1 = top of the rep) that a script maps to
joint angles, e.g. ``hip_flexion = lerp(60, 0, w)``. :func:`schedule` lays out reps with their
own up / hold / down / rest times and amplitudes (< 1 = a partial rep), :func:`waveform` turns
them into a per-frame curve with eased (cosine) transitions, and :func:`fidget` adds small
smooth setup wobble. The corruption helpers damage a finished :class:`PoseSequence` the way a
real pose model does: pixel noise, single-frame outliers, dropouts (NaN, visibility 0) and
timestamp jitter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from glutecv.landmarks import Landmark
from glutecv.pose.types import PoseSequence


@dataclass(frozen=True)
class RepSpec:
    """One scripted rep: starts rising at ``start_s``; ``amplitude`` 1 = full range."""

    start_s: float
    up_s: float = 1.0
    hold_s: float = 0.5
    down_s: float = 1.0
    amplitude: float = 1.0

    @property
    def end_s(self) -> float:
        """When the rep is back at rest."""
        return self.start_s + self.up_s + self.hold_s + self.down_s


def timeline(duration_s: float, fps: float = 30.0) -> np.ndarray:
    """Frame times 0, 1/fps, ... < duration_s."""
    return np.arange(int(round(duration_s * fps))) / fps


def schedule(n: int, start_s: float = 1.0, up_s: float = 1.0, hold_s: float = 0.5,
             down_s: float = 1.0, rest_s: float = 1.0,
             amplitudes: float | Sequence[float] = 1.0) -> list[RepSpec]:
    """``n`` reps one after another, ``rest_s`` apart; amplitudes per rep or one for all."""
    amps = [float(amplitudes)] * n if np.isscalar(amplitudes) else list(amplitudes)
    reps, t = [], start_s
    for k in range(n):
        r = RepSpec(t, up_s, hold_s, down_s, amps[k])
        reps.append(r)
        t = r.end_s + rest_s
    return reps


def ease(x: np.ndarray) -> np.ndarray:
    """Cosine ease-in-out of x in [0, 1] (clipped)."""
    return 0.5 - 0.5 * np.cos(np.pi * np.clip(x, 0.0, 1.0))


def waveform(t_s: np.ndarray, reps: Sequence[RepSpec]) -> np.ndarray:
    """Per-frame rep curve in [0, 1]: eased rise, hold at ``amplitude``, eased return."""
    t = np.asarray(t_s, dtype=float)
    w = np.zeros_like(t)
    for r in reps:
        up = ease((t - r.start_s) / r.up_s)
        down = ease((t - (r.start_s + r.up_s + r.hold_s)) / r.down_s)
        w = np.maximum(w, r.amplitude * (up - down) * ((t >= r.start_s) & (t <= r.end_s)))
    return w


def lerp(rest: float, top: float, w: np.ndarray) -> np.ndarray:
    """Angle at rest when w = 0, at the top when w = 1."""
    return rest + (top - rest) * np.asarray(w, dtype=float)


def fidget(t_s: np.ndarray, start_s: float, end_s: float, amplitude: float = 1.0,
           freq_hz: float = 1.5, seed: int = 0) -> np.ndarray:
    """Smooth random wobble of about +-``amplitude`` between start and end (0 elsewhere)."""
    rng = np.random.default_rng(seed)
    t = np.asarray(t_s, dtype=float)
    phases = rng.uniform(0, 2 * np.pi, 3)
    freqs = freq_hz * np.array([1.0, 1.7, 2.9])
    x = sum(np.sin(2 * np.pi * f * t + p) for f, p in zip(freqs, phases, strict=True)) / 3
    window = ease((t - start_s) / 0.3) * (1 - ease((t - end_s + 0.3) / 0.3))
    return amplitude * x * window * ((t >= start_s) & (t <= end_s))


# --- corruption --------------------------------------------------------------------------------
def add_noise(seq: PoseSequence, px: float = 2.0, world_m: float = 0.01,
              seed: int = 0) -> PoseSequence:
    """Gaussian jitter: ``px`` pixels (sd) on image x/y, ``world_m`` metres on world points."""
    rng = np.random.default_rng(seed)
    image = seq.image.copy()
    image[..., :2] += rng.normal(0, px, image[..., :2].shape)
    world = seq.world + rng.normal(0, world_m, seq.world.shape)
    return seq.with_arrays(image=image, world=world)


def add_outliers(seq: PoseSequence, fraction: float = 0.01, magnitude_px: float = 80.0,
                 seed: int = 0) -> PoseSequence:
    """Single-frame jumps of ``magnitude_px`` on a ``fraction`` of (frame, landmark) pairs."""
    rng = np.random.default_rng(seed)
    image = seq.image.copy()
    hit = rng.random(image.shape[:2]) < fraction
    angle = rng.uniform(0, 2 * np.pi, image.shape[:2])
    image[..., 0] += np.where(hit, magnitude_px * np.cos(angle), 0.0)
    image[..., 1] += np.where(hit, magnitude_px * np.sin(angle), 0.0)
    return seq.with_arrays(image=image)


def add_dropouts(seq: PoseSequence, intervals: Sequence[tuple[float, float]],
                 landmarks: Sequence[Landmark] | None = None,
                 visibility: float = 0.0) -> PoseSequence:
    """Lose landmarks during ``[(t0, t1), ...]`` s: coordinates NaN, visibility set low.

    ``landmarks=None`` loses the whole person (like a frame with nobody detected); with
    ``visibility`` > 0 and landmarks given, coordinates are kept but marked unsure instead.
    """
    image, world = seq.image.copy(), seq.world.copy()
    vis, pres = seq.visibility.copy(), seq.presence.copy()
    cols = slice(None) if landmarks is None else [int(lm) for lm in landmarks]
    for t0, t1 in intervals:
        rows = (seq.t_s >= t0) & (seq.t_s <= t1)
        sel = np.ix_(rows, np.arange(image.shape[1])[cols])
        vis[sel] = visibility
        if landmarks is None or visibility == 0.0:
            image[sel] = np.nan
            world[sel] = np.nan
        if landmarks is None:
            pres[sel] = 0.0
    return seq.with_arrays(image=image, world=world, visibility=vis, presence=pres)


def jitter_timestamps(seq: PoseSequence, sd_s: float = 0.003, seed: int = 0) -> PoseSequence:
    """Variable-frame-rate-like timestamps (kept strictly increasing)."""
    rng = np.random.default_rng(seed)
    t = seq.t_s + rng.normal(0, sd_s, len(seq.t_s))
    for i in range(1, len(t)):
        if t[i] <= t[i - 1]:
            t[i] = t[i - 1] + 1e-4
    return seq.with_arrays(t_s=t)
