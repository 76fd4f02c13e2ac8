"""The rep counter on signals with known reps: noise, jitter, dropouts, holds, partial reps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from glutecv import kinematics as km
from glutecv.reps import (
    PHASE_LOWERING,
    PHASE_RISING,
    PHASE_TOP,
    RepCounter,
    RepCounterConfig,
    count_reps,
)

CFG = RepCounterConfig(min_rom=20.0, enter_rise=12.0, return_fraction=0.4,
                       min_duration_s=0.5, max_gap_s=0.5)


def signal(n=5, amplitudes=1.0, hold_s=0.5, fps=30.0, duration=None, noise=0.0, seed=0):
    """A hip-extension-like signal: -60 deg at rest, 0 at the top of each rep."""
    specs = km.schedule(n, start_s=1.0, up_s=0.8, hold_s=hold_s, down_s=0.8, rest_s=1.0,
                        amplitudes=amplitudes)
    t = km.timeline(duration or specs[-1].end_s + 1.5, fps)
    x = km.lerp(-60.0, 0.0, km.waveform(t, specs))
    x = x + np.random.default_rng(seed).normal(0, noise, t.size)
    return t, x, specs


def test_counts_clean_reps_with_times_and_tempo():
    t, x, specs = signal(4, hold_s=1.0)
    events, phases = count_reps(t, x, CFG)
    assert len(events) == 4
    for ev, spec in zip(events, specs, strict=True):
        assert ev.start_s == pytest.approx(spec.start_s, abs=0.2)
        top = spec.start_s + spec.up_s
        assert top - 0.05 <= ev.peak_s <= top + spec.hold_s + 0.05
        assert ev.rom == pytest.approx(60.0, abs=1.0)
        assert ev.hold_s == pytest.approx(1.0 + 0.2 * 0.8 * 2, abs=0.3)  # hold + easing band
        assert 0.4 < ev.up_s < 1.0 and 0.2 < ev.down_s < 1.0
    assert {PHASE_RISING, PHASE_TOP, PHASE_LOWERING} <= set(phases.tolist())


@pytest.mark.parametrize("noise", [1.0, 3.0])
def test_counts_through_noise(noise):
    t, x, _ = signal(6, noise=noise, seed=3)
    assert len(count_reps(t, x, CFG)[0]) == 6


def test_small_fidgets_and_partial_reps_below_min_rom_are_not_reps():
    t, x, _ = signal(5, amplitudes=[1, 0.25, 1, 0.6, 1])
    x = x + km.fidget(t, 0.0, 0.9, amplitude=5.0)
    events = count_reps(t, x, CFG)[0]
    # 0.25 x 60 = 15 deg < min_rom 20: not a rep; 0.6 x 60 = 36 deg: a (partial) rep
    assert len(events) == 4
    assert sorted(round(e.rom) for e in events)[0] == pytest.approx(36, abs=2)


def test_short_dropouts_are_bridged_long_ones_abandon_the_rep():
    t, x, specs = signal(4)
    y = x.copy()
    mid = specs[1].start_s + 0.5
    y[(t > mid) & (t < mid + 0.3)] = np.nan             # 0.3 s < max_gap_s: still a rep
    assert len(count_reps(t, y, CFG)[0]) == 4
    y = x.copy()
    y[(t > mid) & (t < mid + 1.2)] = np.nan             # 1.2 s: rep abandoned, not invented
    events = count_reps(t, y, CFG)[0]
    assert len(events) == 3
    assert all(not (e.start_s < mid < e.end_s) for e in events)


def test_long_hold_at_the_top_is_one_rep_and_starting_at_the_top_is_not_a_rep():
    t, x, _ = signal(1, hold_s=8.0)
    assert len(count_reps(t, x, CFG)[0]) == 1
    t = km.timeline(10.0)
    x = np.where(t < 8, 0.0, km.lerp(0.0, -60.0, km.ease((t - 8) / 0.8)))  # hold, then down
    assert count_reps(t, x, CFG)[0] == []


def test_walking_out_of_frame_mid_rep_is_not_a_rep():
    t, x, specs = signal(2)
    x[t > specs[1].start_s + 0.4] = np.nan
    assert len(count_reps(t, x, CFG)[0]) == 1


def test_min_and_max_duration():
    t, x, _ = signal(3)
    cfg = RepCounterConfig(min_rom=20, enter_rise=12, min_duration_s=5.0)
    assert count_reps(t, x, cfg)[0] == []
    cfg = RepCounterConfig(min_rom=20, enter_rise=12, max_duration_s=1.0)
    assert count_reps(t, x, cfg)[0] == []


def test_absolute_thresholds():
    t, x, _ = signal(3)
    cfg = RepCounterConfig(min_rom=20, enter=-30.0, exit=-45.0, return_fraction=None)
    assert len(count_reps(t, x, cfg)[0]) == 3
    with pytest.raises(ValueError):
        RepCounterConfig(min_rom=1, enter=0.0, exit=1.0)


def test_frame_rate_does_not_change_the_count():
    for fps in (15.0, 25.0, 29.97, 60.0):
        t, x, _ = signal(4, fps=fps, noise=1.0)
        assert len(count_reps(t, x, CFG)[0]) == 4, fps


def test_live_updates_equal_batch():
    t, x, _ = signal(5, noise=2.0, seed=7)
    x[100:105] = np.nan
    batch = count_reps(t, x, CFG)[0]
    counter = RepCounter(CFG)
    live = [e for ti, xi in zip(t, x, strict=True) if (e := counter.update(ti, xi)) is not None]
    assert live == batch and counter.count == 5


def test_confidence_gate_and_reset():
    t, x, _ = signal(3)
    events = count_reps(t, x, RepCounterConfig(min_rom=20, enter_rise=12, min_confidence=0.5),
                        confidence=np.zeros_like(x))[0]
    assert events == []
    c = RepCounter(CFG)
    for ti, xi in zip(t, x, strict=True):
        c.update(ti, xi)
    assert c.count == 3
    c.reset()
    assert c.count == 0 and c.events == []


@settings(max_examples=80, deadline=None)
@given(arrays(np.float64, st.integers(0, 300),
              elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
def test_property_no_exception_and_no_rep_from_missing_data(x):
    t = np.arange(x.size) / 30
    with np.errstate(all="ignore"):
        events, phases = count_reps(t, x, CFG)
    assert phases.shape == x.shape
    for e in events:
        assert np.isfinite([e.rom, e.peak_value, e.rest_value, e.start_s, e.end_s]).all()
        assert e.rom >= CFG.min_rom
        seg = x[e.start:e.end + 1]
        assert np.isfinite(seg).mean() >= CFG.min_valid_fraction
    if not np.isfinite(x).any():
        assert events == []


def test_settle_ignores_a_glitch_right_after_a_long_gap():
    t, x, _ = signal(2)
    y = x.copy()
    y[:] = np.where((t > 0.05) & (t < 0.7), np.nan, y)  # lost for 0.6 s before rep 1...
    y[int(0.7 * 30)] = -170.0                            # ...and re-acquired wrong for a frame
    cfg = RepCounterConfig(min_rom=20, enter_rise=12, max_gap_s=0.5, settle_s=0.1)
    events = count_reps(t, y, cfg)[0]
    assert len(events) == 2 and all(e.rom < 70 for e in events)
    no_settle = count_reps(t, y, RepCounterConfig(min_rom=20, enter_rise=12, max_gap_s=0.5))[0]
    assert len(no_settle) < 2   # the glitch became the rest level: the rep never "ended"


def test_a_rep_running_over_max_duration_is_abandoned_and_counting_recovers():
    t, x, _ = signal(4)
    y = x.copy()
    y[t < 1.0] = -150.0            # a wrong, very low rest level before the first rep
    cfg = RepCounterConfig(min_rom=20, enter_rise=12, max_duration_s=4.0)
    events = count_reps(t, y, cfg)[0]
    assert len(events) >= 2         # without abandonment the first "rep" never ends
