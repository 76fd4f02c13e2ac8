"""Hip thrust: shoulders on a bench (or a machine pad), feet on the floor, drive the hips up.

Same analysis as the glute bridge (:mod:`glutecv.exercises.glute_bridge`): the phase signal
is the shoulder-hip-knee line, lockout = one straight line with the shins near vertical, and
the faults are ``incomplete_rom``, ``lumbar_extension`` (hips pushed above the line by arching)
and ``knee_valgus`` (front view). The range is larger than a floor bridge (the hips start
below the bench); on a bench the shoulders pivot on its edge, so the arching threshold is a
little higher than on the floor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from glutecv.exercises.glute_bridge import BridgeAnalyzer, BridgeConfig
from glutecv.reps import RepCounterConfig


@dataclass(frozen=True)
class HipThrustConfig(BridgeConfig):
    """Bridge thresholds with a counter for the thrust's larger range."""

    counter: RepCounterConfig = field(default_factory=lambda: RepCounterConfig(
        min_rom=15.0,          # deg: a thrust moves the line ~30-100 deg; fidgets < 10
        enter_rise=12.0,       # deg above rest starts a rep: 2-3x landmark jitter
        return_fraction=0.4,   # rep ends when 60% of the way back down
        min_duration_s=0.6,    # s, faster excursions are jitter
        rest_window_s=6.0,     # s of rest used for the rest level
        max_gap_s=0.6,         # s of lost landmarks bridged inside a rep
        max_duration_s=20.0,   # s: longer is a hold or a lost rep, not a rep
        settle_s=0.2,          # s ignored after a long gap: edited clips cut between scenes
    ))
    # deg: on a bench the shoulders pivot on its edge and clean lockouts read higher than on
    # the floor (rendered clean thrusts read +12; real ones up to +7), so arching starts at 15
    lumbar_overshoot_deg: float = 15.0


class HipThrust(BridgeAnalyzer):
    """Barbell, dumbbell or machine hip thrust."""

    name: ClassVar[str] = "hip_thrust"
    description: ClassVar[str] = "hip thrust: shoulders on a bench, drive the hips up to a line"

    @classmethod
    def default_config(cls) -> HipThrustConfig:
        return HipThrustConfig()


ANALYZER = HipThrust
