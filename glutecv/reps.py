"""One reusable rep counter: a hysteresis state machine on an exercise's phase signal.

The phase signal is any per-frame number that RISES during the working part of a rep (hip
extension for a bridge, abduction for a clamshell, knee flexion for a squat). A rep is:

1. REST: the counter tracks the rest level = a low percentile (``rest_percentile``, a minimum
   that single noisy samples do not move) of the valid values over the last ``rest_window_s``.
2. A rep starts when the signal rises above BOTH ``enter`` (absolute, optional) and
   ``rest level + enter_rise`` (relative, optional). Its start frame is the last rest frame
   still within ``start_fraction`` of that rise above the rest level (when the movement began).
3. The rep ends when the signal falls to ``exit`` (absolute) OR back to
   ``rest level + return_fraction x (peak - rest level)`` (relative), whichever comes first.
4. It is COUNTED only if peak - rest level >= ``min_rom``, the duration lies within
   [``min_duration_s``, ``max_duration_s``], and at least ``min_valid_fraction`` of its frames
   had a valid (finite) signal. Otherwise it is silently dropped (fidgeting, jitter, a
   half-seen movement).

Missing data: a NaN / inf value (or a confidence below ``min_confidence``) is a gap. Gaps up to
``max_gap_s`` are bridged; a longer gap abandons a rep in progress and restarts the rest level,
so a rep is never made of missing data and walking out of frame is not a rep. The first
``settle_s`` of signal after such a gap is ignored (re-acquired poses are often wrong).

The same :meth:`RepCounter.update` runs live (frame by frame) and in batch (:func:`count_reps`
loops over an array), so live and batch counts agree on the same signal. For unilateral
exercises use one counter per side on that side's signal. The counter never draws.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

#: Numeric phase codes, the same as :data:`glutecv.results.PHASE_NAMES`.
PHASE_UNKNOWN, PHASE_REST, PHASE_RISING, PHASE_TOP, PHASE_LOWERING = -1, 0, 1, 2, 3


@dataclass(frozen=True)
class RepCounterConfig:
    """Thresholds of the rep state machine, in the phase signal's unit (degrees usually)."""

    min_rom: float                    # smallest peak - rest rise that is a rep (signal unit)
    enter: float | None = None        # absolute value the signal must exceed to start a rep
    exit: float | None = None         # absolute value at which a rep ends (exit < enter)
    enter_rise: float | None = None   # rise above the rest level that starts a rep
    return_fraction: float | None = 0.35  # rep ends when back to rest + this x (peak - rest)
    start_fraction: float = 0.1       # start = last frame within this x the rise from rest
    top_fraction: float = 0.9         # "top" while within (1 - this) x ROM of the peak... see
    # RepEvent.top_start: the hold at the top is the time spent above rest + top_fraction x ROM.
    min_duration_s: float = 0.4       # shorter excursions are jitter, not reps
    max_duration_s: float | None = None  # longer ones are not reps and are abandoned as soon
    # as they run over (a hold, sitting up, a bad rest level); None = no limit
    rest_window_s: float = 8.0        # rest level = low percentile of this much recent rest
    rest_percentile: float = 10.0     # which percentile (robust minimum: noise does not widen ROM)
    max_gap_s: float = 0.5            # longer gaps in the signal abandon a rep in progress
    settle_s: float = 0.0             # after such a gap, samples this long are ignored (a pose
    # re-acquired after a cut is often garbage for a few frames). Keep 0 for signals that are
    # NaN by design while a side is not working: their first samples are the rep's start.
    min_valid_fraction: float = 0.6   # of the rep's frames that must carry a valid signal
    min_confidence: float = 0.0       # per-frame confidence below this counts as a gap

    def __post_init__(self) -> None:
        if self.enter is None and self.enter_rise is None:
            raise ValueError("RepCounterConfig needs enter or enter_rise")
        if self.exit is None and self.return_fraction is None:
            raise ValueError("RepCounterConfig needs exit or return_fraction")
        if self.enter is not None and self.exit is not None and self.exit >= self.enter:
            raise ValueError("RepCounterConfig: exit must be below enter (hysteresis)")


@dataclass(frozen=True)
class RepEvent:
    """One counted rep: frame indices (into the sequence) and times (s), signal values."""

    side: str
    start: int
    peak: int
    end: int
    start_s: float
    peak_s: float
    end_s: float
    rest_value: float
    peak_value: float
    top_start: int      # first frame at or above rest + top_fraction x ROM
    top_end: int        # last such frame
    top_start_s: float
    top_end_s: float
    valid_fraction: float

    @property
    def rom(self) -> float:
        """Range of motion: peak - rest level, in the signal's unit."""
        return self.peak_value - self.rest_value

    @property
    def hold_s(self) -> float:
        """Time spent near the peak (above rest + top_fraction x ROM), seconds."""
        return self.top_end_s - self.top_start_s

    @property
    def up_s(self) -> float:
        """Time from the start of the rep to reaching the top band, seconds."""
        return self.top_start_s - self.start_s

    @property
    def down_s(self) -> float:
        """Time from leaving the top band to the end of the rep, seconds."""
        return self.end_s - self.top_end_s


class RepCounter:
    """Hysteresis rep counter fed one (time, value) sample at a time. See the module doc."""

    def __init__(self, config: RepCounterConfig, side: str = "both") -> None:
        self.config = config
        self.side = side
        self.reset()

    def reset(self) -> None:
        """Forget everything: no reps, rest level unknown."""
        self.count = 0
        self.events: list[RepEvent] = []
        self.phase = PHASE_UNKNOWN
        self._in_rep = False
        self._rest: deque[tuple[int, float, float]] = deque()  # (index, t, value) valid only
        self._rep: list[tuple[int, float, float]] = []         # (index, t, value) incl. NaN
        self._rest_level = math.nan
        self._peak = math.nan
        self._last_valid_t = math.nan
        self._settle_until = -math.inf
        self._n = 0

    # --- internals ---------------------------------------------------------------------------
    def _drop_rest(self) -> None:
        self._rest.clear()
        self._rest_level = math.nan

    def _abandon(self) -> None:
        self._in_rep = False
        self._rep = []
        self._drop_rest()
        self.phase = PHASE_UNKNOWN

    def _enter_level(self) -> float:
        c = self.config
        levels = []
        if c.enter is not None:
            levels.append(c.enter)
        if c.enter_rise is not None:
            levels.append(self._rest_level + c.enter_rise)
        return max(levels)

    def _exit_level(self, peak: float) -> float:
        c = self.config
        levels = []
        if c.exit is not None:
            levels.append(c.exit)
        if c.return_fraction is not None:
            levels.append(self._rest_level + c.return_fraction * (peak - self._rest_level))
        return max(levels)

    def _start_rep(self, i: int, t: float, v: float) -> None:
        rise = v - self._rest_level
        near = self._rest_level + self.config.start_fraction * max(rise, 0.0)
        start = next(((j, tj, vj) for j, tj, vj in reversed(self._rest) if vj <= near),
                     (i, t, v))
        # the rep's history begins at the start frame (rest samples after it belong to it)
        self._rep = [s for s in self._rest if s[0] >= start[0]]
        self._peak = max(s[2] for s in self._rep)
        self._in_rep = True

    def _finish_rep(self) -> RepEvent | None:
        c = self.config
        rows = self._rep
        self._in_rep = False
        self._rep = []
        idx = np.array([r[0] for r in rows])
        ts = np.array([r[1] for r in rows])
        vs = np.array([r[2] for r in rows])
        valid = np.isfinite(vs)
        rest = self._rest_level
        if not valid.any() or not math.isfinite(rest):
            return None
        k_peak = int(np.nanargmax(np.where(valid, vs, -np.inf)))
        peak = float(vs[k_peak])
        duration = float(ts[-1] - ts[0])
        valid_fraction = float(valid.mean())
        if (peak - rest < c.min_rom or duration < c.min_duration_s
                or (c.max_duration_s is not None and duration > c.max_duration_s)
                or valid_fraction < c.min_valid_fraction):
            return None
        top = valid & (vs >= rest + c.top_fraction * (peak - rest))
        k_top = np.flatnonzero(top)
        k0, k1 = int(k_top[0]), int(k_top[-1])
        return RepEvent(
            side=self.side, start=int(idx[0]), peak=int(idx[k_peak]), end=int(idx[-1]),
            start_s=float(ts[0]), peak_s=float(ts[k_peak]), end_s=float(ts[-1]),
            rest_value=float(rest), peak_value=peak, top_start=int(idx[k0]),
            top_end=int(idx[k1]), top_start_s=float(ts[k0]), top_end_s=float(ts[k1]),
            valid_fraction=valid_fraction,
        )

    # --- public ------------------------------------------------------------------------------
    def update(self, t_s: float, value: float, index: int | None = None,
               confidence: float = 1.0) -> RepEvent | None:
        """Feed one sample; returns the rep that ended on this sample, if one did.

        ``index`` is the frame index recorded in events (default: samples seen so far).
        """
        c = self.config
        i = self._n if index is None else int(index)
        self._n += 1
        t = float(t_s)
        v = float(value) if value is not None else math.nan
        if not math.isfinite(v) or not (confidence >= c.min_confidence):
            v = math.nan
        if not math.isfinite(v):
            gap = t - self._last_valid_t if math.isfinite(self._last_valid_t) else math.inf
            if self._in_rep:
                self._rep.append((i, t, math.nan))
                if gap > c.max_gap_s:
                    self._abandon()
            elif gap > c.max_gap_s:
                self._drop_rest()
                self.phase = PHASE_UNKNOWN
            return None
        if not (t - self._last_valid_t <= c.max_gap_s):   # first sample after a long gap
            self._settle_until = t + c.settle_s
            if self._in_rep:
                self._abandon()
            self._drop_rest()
        self._last_valid_t = t
        if t < self._settle_until:
            self.phase = PHASE_UNKNOWN
            return None
        event = None
        if self._in_rep and c.max_duration_s is not None and \
                t - self._rep[0][1] > c.max_duration_s:
            self._abandon()   # stuck "in a rep" (bad rest level, a long hold): start afresh
        if self._in_rep:
            self._rep.append((i, t, v))
            self._peak = peak = max(self._peak, v)
            if v <= self._exit_level(peak):
                event = self._finish_rep()
                self._drop_rest()
                if event is not None:
                    self.count += 1
                    self.events.append(event)
            else:
                rom = peak - self._rest_level
                if v >= self._rest_level + c.top_fraction * rom and rom >= c.min_rom:
                    self.phase = PHASE_TOP
                elif v >= peak - 1e-9:
                    self.phase = PHASE_RISING
                else:
                    self.phase = PHASE_LOWERING
                return None
        # at rest (or just back to rest)
        self._rest.append((i, t, v))
        while self._rest and self._rest[0][1] < t - c.rest_window_s:
            self._rest.popleft()
        self._rest_level = float(np.percentile([r[2] for r in self._rest], c.rest_percentile))
        self.phase = PHASE_REST
        if event is None and v >= self._enter_level():
            self._start_rep(i, t, v)
            self.phase = PHASE_RISING
        return event


def count_reps(
    t_s: np.ndarray, signal: np.ndarray, config: RepCounterConfig, side: str = "both",
    confidence: np.ndarray | None = None,
) -> tuple[list[RepEvent], np.ndarray]:
    """Batch counting over a whole signal with the same state machine as live.

    Returns the events and the per-frame phase codes (``PHASE_*``), where frames of a counted
    rep are relabelled after the fact as rising / top / lowering from the event's top band.
    """
    counter = RepCounter(config, side)
    n = len(signal)
    phases = np.full(n, PHASE_UNKNOWN, dtype=np.int8)
    for i in range(n):
        conf = 1.0 if confidence is None else float(confidence[i])
        counter.update(float(t_s[i]), float(signal[i]), i, conf)
        phases[i] = counter.phase if counter.phase in (PHASE_REST, PHASE_UNKNOWN) else PHASE_REST
    for ev in counter.events:
        phases[ev.start:ev.top_start] = PHASE_RISING
        phases[ev.top_start:ev.top_end + 1] = PHASE_TOP
        phases[ev.top_end + 1:ev.end + 1] = PHASE_LOWERING
    return list(counter.events), phases
