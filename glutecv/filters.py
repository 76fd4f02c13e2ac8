"""Smoothing of landmark tracks: causal one-euro (live) and zero-phase batch filtering.

Live (:class:`OneEuroFilter`): each new sample is filtered using only the past, with a cut-off
that rises with speed (Casiez et al., CHI 2012), so still poses are steady and fast moves lag
little. NaN input passes through as NaN and does not poison the state.

Batch (:func:`smooth_track`, :func:`smooth_sequence`), per coordinate track:

1. outlier rejection: a Hampel filter (rolling median +- ``k`` x scaled MAD over a window given
   in seconds) turns single-frame jumps into gaps;
2. gap filling: NaN runs no longer than ``max_gap_s`` between valid samples are linearly
   interpolated; longer runs stay NaN (the person was really gone);
3. a zero-phase Butterworth low-pass (``filtfilt``), cut-off in Hz, normalised by the frame rate
   measured from the timestamps, so 25, 30 or 60 fps behave the same. Each finite run is
   filtered on its own; runs too short to filter are kept as they are.

All cut-offs, windows and gaps are in Hz or seconds, never in frames.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from glutecv.pose.types import PoseSequence


# --- live --------------------------------------------------------------------------------------
class OneEuroFilter:
    """Causal one-euro filter over arrays of any fixed shape (e.g. (33, 3) landmarks).

    ``min_cutoff_hz``: cut-off at rest (lower = steadier); ``beta``: how fast the cut-off rises
    with speed (higher = less lag); ``d_cutoff_hz``: cut-off of the speed estimate.
    """

    def __init__(self, min_cutoff_hz: float = 1.0, beta: float = 0.05,
                 d_cutoff_hz: float = 1.0) -> None:
        self.min_cutoff_hz, self.beta, self.d_cutoff_hz = min_cutoff_hz, beta, d_cutoff_hz
        self.reset()

    def reset(self) -> None:
        """Forget the past."""
        self._x: np.ndarray | None = None
        self._dx: np.ndarray | None = None
        self._t: float | None = None

    @staticmethod
    def _alpha(cutoff: np.ndarray | float, dt: float) -> np.ndarray:
        tau = 1.0 / (2 * math.pi * np.asarray(cutoff, dtype=float))
        return 1.0 / (1.0 + tau / dt)

    def __call__(self, t_s: float, x: np.ndarray) -> np.ndarray:
        """Filter sample ``x`` taken at ``t_s`` seconds; returns the filtered sample."""
        x = np.asarray(x, dtype=float)
        finite = np.isfinite(x)
        if self._x is None or self._t is None or not t_s > self._t:
            if self._x is None:
                self._x = np.where(finite, x, np.nan)
                self._dx = np.zeros_like(x)
                self._t = float(t_s)
                return self._x.copy()
            if not t_s > self._t:  # repeated or backwards time: keep the state
                return np.where(finite, self._x, np.nan)
        dt = float(t_s) - self._t
        prev = self._x
        fresh = finite & ~np.isfinite(prev)           # first valid sample of this element
        dx = np.where(finite & ~fresh, (x - np.nan_to_num(prev)) / dt, 0.0)
        a_d = self._alpha(self.d_cutoff_hz, dt)
        self._dx = np.where(finite, a_d * dx + (1 - a_d) * self._dx, self._dx)
        cutoff = self.min_cutoff_hz + self.beta * np.abs(self._dx)
        a = self._alpha(cutoff, dt)
        smoothed = np.where(fresh, x, a * x + (1 - a) * np.nan_to_num(prev))
        self._x = np.where(finite, smoothed, prev)
        self._t = float(t_s)
        return np.where(finite, self._x, np.nan)


# --- batch -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BatchFilterConfig:
    """Batch smoothing settings (seconds and Hz)."""

    cutoff_hz: float = 4.0        # exercise movements are < 2 Hz; BlazePose jitter is broadband
    order: int = 2                # Butterworth order (filtfilt doubles it: 4th-order zero-phase)
    max_gap_s: float = 0.3        # dropouts up to this long are interpolated
    hampel_window_s: float = 0.3  # rolling median window for outlier rejection
    hampel_k: float = 4.0         # outlier = more than k scaled MADs from the rolling median
    hampel_min_range_fraction: float = 0.1  # ...and more than this x the track's 5-95% range
    min_visibility: float = 0.5   # landmarks seen less surely than this are treated as gaps


def frame_rate(t_s: np.ndarray) -> float:
    """Frame rate from timestamps (median interval), Hz; NaN when it cannot be told."""
    t = np.asarray(t_s, dtype=float)
    d = np.diff(t[np.isfinite(t)])
    d = d[d > 0]
    return float(1.0 / np.median(d)) if d.size else math.nan


def hampel(x: np.ndarray, window: int, k: float = 4.0, min_dev: float = 0.0) -> np.ndarray:
    """``x`` with outliers set to NaN: |x - rolling median| > max(k x 1.4826 x rolling MAD,
    ``min_dev``).

    ``window`` is the half-width in samples; NaN samples are ignored in the statistics.
    ``min_dev`` keeps a perfectly still stretch (MAD = 0) from calling the first sample of a
    real movement an outlier.

    The window stays centred: within ``window`` samples of either end it shrinks to the
    samples available on both sides (the first and last samples are never judged). A one-sided
    window at the ends would compare a sample with the median of its future (or past) alone,
    so a clip that opens mid-movement (standing up from a squat) would lose its first frames as
    "outliers", and no later step can fill a gap at the very start.
    """
    x = np.asarray(x, dtype=float)
    n = x.shape[0]
    if n == 0 or window < 1:
        return x.copy()
    pad = np.concatenate([np.full(window, np.nan), x, np.full(window, np.nan)])
    views = np.lib.stride_tricks.sliding_window_view(pad, 2 * window + 1).copy()
    # shrink the window symmetrically at the ends: sample i sees i +- min(window, i, n-1-i)
    half = np.minimum(np.minimum(np.arange(n), np.arange(n)[::-1]), window)
    offset = np.abs(np.arange(-window, window + 1))
    views[offset[None, :] > half[:, None]] = np.nan
    with np.errstate(invalid="ignore"), _quiet_nan():
        med = np.nanmedian(views, axis=-1)
        mad = 1.4826 * np.nanmedian(np.abs(views - med[:, None]), axis=-1)
    out = x.copy()
    with np.errstate(invalid="ignore"):
        bad = np.abs(x - med) > np.maximum(k * mad, max(min_dev, 1e-9))
    out[bad & np.isfinite(mad)] = np.nan
    return out


class _quiet_nan:
    """Silence numpy's all-NaN-slice warnings inside a block."""

    def __enter__(self) -> None:
        import warnings

        self._ctx = warnings.catch_warnings()
        self._ctx.__enter__()
        warnings.simplefilter("ignore", category=RuntimeWarning)

    def __exit__(self, *exc: object) -> None:
        self._ctx.__exit__(*exc)


def fill_gaps(t_s: np.ndarray, x: np.ndarray, max_gap_s: float) -> np.ndarray:
    """Linearly interpolate NaN runs of ``x`` bounded by valid samples and lasting at most
    ``max_gap_s`` (from the last valid sample to the next); other NaN stays NaN."""
    t = np.asarray(t_s, dtype=float)
    x = np.asarray(x, dtype=float)
    out = x.copy()
    good = np.isfinite(x)
    idx = np.flatnonzero(good)
    if idx.size < 2:
        return out
    for a, b in zip(idx[:-1], idx[1:], strict=True):
        if b - a > 1 and t[b] - t[a] <= max_gap_s:
            # weights, not a slope: (x[b] - x[a]) / dt overflows for huge garbage values
            w = (t[a + 1:b] - t[a]) / (t[b] - t[a])
            out[a + 1:b] = x[a] * (1.0 - w) + x[b] * w
    return out


def finite_runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``[(start, stop), ...]`` of the runs of True in a boolean array (stop exclusive)."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]])
    d = np.diff(m.astype(np.int8))
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))


def butter_zero_phase(t_s: np.ndarray, x: np.ndarray, cutoff_hz: float,
                      order: int = 2) -> np.ndarray:
    """Zero-phase Butterworth low-pass of ``x`` (N,) or (N, ...), run by run over finite data.

    The cut-off is normalised by the frame rate measured from ``t_s``; if the cut-off is at or
    above Nyquist, or a run is too short for ``filtfilt``, the data is returned unchanged.
    """
    from scipy.signal import butter, filtfilt

    x = np.asarray(x, dtype=float)
    out = x.copy()
    fps = frame_rate(t_s)
    if not math.isfinite(fps) or cutoff_hz <= 0 or cutoff_hz >= fps / 2:
        return out
    b, a = butter(order, cutoff_hz / (fps / 2))
    padlen = 3 * max(len(a), len(b))
    flat = out.reshape(len(out), -1)
    for j in range(flat.shape[1]):
        col = flat[:, j]
        for s, e in finite_runs(np.isfinite(col)):
            if e - s > padlen:
                col[s:e] = filtfilt(b, a, col[s:e])
    return flat.reshape(x.shape)


def smooth_track(t_s: np.ndarray, x: np.ndarray,
                 config: BatchFilterConfig = BatchFilterConfig()) -> np.ndarray:
    """Outlier rejection, short-gap filling and zero-phase low-pass of one track (N,)."""
    fps = frame_rate(t_s)
    x = np.asarray(x, dtype=float)
    x = np.where(np.isfinite(x), x, np.nan)
    if math.isfinite(fps) and np.isfinite(x).sum() > 2:
        lo, hi = np.nanpercentile(x, [5, 95])
        x = hampel(x, max(1, int(round(config.hampel_window_s * fps / 2))), config.hampel_k,
                   min_dev=config.hampel_min_range_fraction * float(hi - lo))
    x = fill_gaps(t_s, x, config.max_gap_s)
    return butter_zero_phase(t_s, x, config.cutoff_hz, config.order)


def smooth_sequence(seq: PoseSequence, config: BatchFilterConfig = BatchFilterConfig(),
                    landmarks: Iterable[int] | None = None) -> PoseSequence:
    """A batch-smoothed copy of ``seq`` (image and world coordinates of ``landmarks``, default
    all; the others are copied unchanged).

    Landmarks with visibility below ``config.min_visibility`` are treated as gaps first; a gap
    that gets filled is given visibility ``config.min_visibility`` (just enough to pass the
    same gate later), one that stays open keeps its low visibility and NaN coordinates.
    Frames in which nobody was detected at all stay empty (NaN): only landmarks of a person
    who is there are interpolated.
    """
    n = len(seq)
    if n < 2:
        return seq
    # Gating and masking are done one landmark column at a time: whole-clip (N, 33, 3)
    # temporaries would cost ~4 KB a frame, ~400 MB for an hour at 30 fps. The copies are
    # copy-on-write for landmarks on disk (PoseSequence.writable_copy): only what changes
    # takes memory.
    new_image = seq.writable_copy("image", dtype=float)
    new_world = seq.writable_copy("world", dtype=float)
    new_vis = seq.writable_copy("visibility", dtype=float)
    todo = range(new_image.shape[1]) if landmarks is None else sorted({int(lm) for lm in landmarks})
    seen: dict[int, np.ndarray] = {}
    for lm in todo:
        seen[lm] = np.nan_to_num(seq.visibility[:, lm], nan=0.0) >= config.min_visibility
        for c in range(3):
            new_image[:, lm, c] = smooth_track(
                seq.t_s, np.where(seen[lm], seq.image[:, lm, c], np.nan), config)
            new_world[:, lm, c] = smooth_track(
                seq.t_s, np.where(seen[lm], seq.world[:, lm, c], np.nan), config)
    # Frames where nobody was detected stay empty: filling them would invent a person (and
    # let a rep be made of frames with nobody in them). Per-landmark gaps are still filled.
    nobody = np.flatnonzero(~np.asarray(seq.detected, dtype=bool))
    new_image[nobody] = np.nan
    new_world[nobody] = np.nan
    for lm in todo:
        filled = ~seen[lm] & np.isfinite(new_image[:, lm, 0])
        new_vis[:, lm] = np.where(filled, config.min_visibility, new_vis[:, lm])
    return seq.with_arrays(image=new_image, world=new_world, visibility=new_vis)
