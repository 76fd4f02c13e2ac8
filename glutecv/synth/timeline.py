"""When each rep happens: eased rise, hold at the top, eased lowering, rest between reps.

Progress ``p`` is 0 in the start position and ``p_peak`` (1 unless the rep stops short) at
the top. Small per-rep timing variations come from the seeded random generator, so a clip is
reproducible from its seed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

LEAD_IN_S = 0.6   # still in the start position before the first rep
LEAD_OUT_S = 0.6  # and after the last


def ease(x: float) -> float:
    """Smootherstep: 0 -> 1 with zero velocity and acceleration at both ends."""
    x = min(max(x, 0.0), 1.0)
    return x * x * x * (x * (6 * x - 15) + 10)


@dataclass
class RepPlan:
    """One planned rep (seconds from the clip start)."""

    index: int                 # 1-based
    start_s: float
    top_start_s: float         # reaches the top (hold begins)
    top_end_s: float           # leaves the top
    end_s: float
    p_peak: float = 1.0
    faults: dict[str, float] = field(default_factory=dict)

    @property
    def peak_s(self) -> float:
        """Middle of the hold (the top itself when there is no hold)."""
        return 0.5 * (self.top_start_s + self.top_end_s)


def plan_reps(reps: int, rise_s: float, lower_s: float, hold_s: float, rest_s: float,
              rng: np.random.Generator, jitter: float = 0.06) -> tuple[list[RepPlan], float]:
    """Rep timings and the clip duration (s); each phase varies by up to ``jitter``."""
    plans, t = [], LEAD_IN_S
    for i in range(reps):
        k = 1.0 + jitter * rng.uniform(-1, 1, size=4)
        rise, hold, lower, rest = rise_s * k[0], hold_s * k[1], lower_s * k[2], rest_s * k[3]
        plans.append(RepPlan(i + 1, t, t + rise, t + rise + hold, t + rise + hold + lower))
        t = plans[-1].end_s + (rest if i < reps - 1 else 0.0)
    return plans, t + LEAD_OUT_S


def progress_at(t: float, plans: list[RepPlan]) -> tuple[float, RepPlan | None]:
    """Progress ``p`` at time ``t`` and the rep under way (None between reps)."""
    for rep in plans:
        if rep.start_s <= t < rep.end_s:
            if t < rep.top_start_s:
                x = ease((t - rep.start_s) / (rep.top_start_s - rep.start_s))
            elif t <= rep.top_end_s:
                x = 1.0
            else:
                x = 1.0 - ease((t - rep.top_end_s) / (rep.end_s - rep.top_end_s))
            return rep.p_peak * x, rep
    return 0.0, None


def fault_envelope(p: float, p_peak: float) -> float:
    """How much of a rep's fault shows at progress ``p``: none in the lower third, all of
    it at the top."""
    q = p / p_peak if p_peak > 0 else 0.0
    return ease((q - 0.3) / 0.7)
