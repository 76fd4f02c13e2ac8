"""Smoothing: one-euro (live), outlier rejection, gap filling, zero-phase Butterworth."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from glutecv import filters as f
from glutecv import kinematics as km
from glutecv.landmarks import Landmark as L


def test_one_euro_smooths_noise_and_tracks_a_step():
    rng = np.random.default_rng(0)
    flt = f.OneEuroFilter(min_cutoff_hz=1.0, beta=0.0)
    t = np.arange(300) / 30
    x = np.where(t < 5, 0.0, 10.0) + rng.normal(0, 1, t.size)
    y = np.array([flt(ti, np.array([xi]))[0] for ti, xi in zip(t, x, strict=True)])
    assert np.std(y[60:140]) < 0.5 * np.std(x[60:140])    # quieter at rest
    assert abs(np.mean(y[-30:]) - 10) < 0.5                # converged after the step
    assert y[151] < 9.0                                     # causal: lags the step


def test_one_euro_passes_nan_and_keeps_state():
    flt = f.OneEuroFilter()
    assert flt(0.0, np.array([1.0, 2.0]))[0] == 1.0
    out = flt(1 / 30, np.array([np.nan, 2.0]))
    assert np.isnan(out[0]) and out[1] == pytest.approx(2.0)
    assert np.isfinite(flt(2 / 30, np.array([1.0, 2.0]))).all()
    assert np.isfinite(flt(2 / 30, np.array([1.0, 2.0]))).all()  # repeated time: no crash


def test_hampel_removes_single_frame_spike():
    x = np.sin(np.linspace(0, 6, 200))
    x[100] += 5
    y = f.hampel(x, 5, 4.0, min_dev=0.1)
    assert np.isnan(y[100]) and np.isfinite(np.delete(y, 100)).all()


def test_hampel_keeps_the_first_frames_of_a_track_that_opens_mid_movement():
    # a clip that opens as the person stands up fast, then stays still: a one-sided window
    # at the start would call the first frames outliers, and nothing can fill a gap at the
    # very start of a track
    x = np.array([100.0, 60.0, 20.0] + [0.0] * 30)
    y = f.hampel(x, 5, 4.0, min_dev=10.0)
    assert np.isfinite(y).all()
    assert np.isfinite(f.hampel(x[::-1], 5, 4.0, min_dev=10.0)).all()   # and at the end
    # a real single-frame spike next to the start is still removed
    z = np.zeros(33)
    z[1] = 100.0
    assert np.isnan(f.hampel(z, 5, 4.0, min_dev=10.0)[1])


def test_fill_gaps_only_short_ones():
    t = np.arange(100) / 30
    x = t.copy()
    x[10:15] = np.nan        # 0.2 s gap -> filled
    x[40:70] = np.nan        # 1.0 s gap -> kept
    y = f.fill_gaps(t, x, max_gap_s=0.3)
    np.testing.assert_allclose(y[10:15], t[10:15])
    assert np.isnan(y[40:70]).all()


@pytest.mark.parametrize("fps", [25.0, 30.0, 60.0])
def test_butterworth_cutoff_is_in_hz_whatever_the_frame_rate(fps):
    t = np.arange(int(10 * fps)) / fps
    slow = np.sin(2 * np.pi * 0.5 * t)
    fast = 0.5 * np.sin(2 * np.pi * 10 * t) if fps / 2 > 10 else 0 * t
    y = f.butter_zero_phase(t, slow + fast, cutoff_hz=3.0)
    inner = slice(int(fps), -int(fps))
    assert np.max(np.abs(y[inner] - slow[inner])) < 0.05   # passband kept, 10 Hz removed
    # zero phase: the best-matching lag is 0 frames
    errs = [np.mean((np.roll(y, k)[inner] - slow[inner]) ** 2) for k in range(-5, 6)]
    assert int(np.argmin(errs)) == 5


def test_butterworth_handles_nan_runs_and_short_runs():
    t = np.arange(200) / 30
    x = np.sin(t)
    x[50:60] = np.nan
    x[100:197] = np.nan      # leaves a 3-sample run at the end: too short, kept as is
    y = f.butter_zero_phase(t, x, 4.0)
    assert np.isnan(y[50:60]).all() and np.isfinite(y[:50]).all()
    np.testing.assert_array_equal(y[197:], x[197:])


def test_smooth_sequence_fills_a_short_dropout_and_keeps_a_long_one():
    t = km.timeline(4.0)
    seq = km.make_sequence(km.BodyPose(left_leg=km.LegAngles(hip_flexion=km.lerp(0, 60, t / 4))),
                           t, "standing", "side_left")
    seq = km.add_dropouts(seq, [(1.0, 1.1)], [L.LEFT_KNEE])
    seq = km.add_dropouts(seq, [(2.0, 3.0)], [L.LEFT_ANKLE])
    out = f.smooth_sequence(seq)
    short = (t >= 1.0) & (t <= 1.1)
    assert np.isfinite(out.image[short, L.LEFT_KNEE]).all()
    assert (out.visibility[short, L.LEFT_KNEE] >= 0.5).all()
    truth = km.make_sequence(km.BodyPose(left_leg=km.LegAngles(
        hip_flexion=km.lerp(0, 60, t / 4))), t, "standing", "side_left")
    assert np.max(np.abs(out.image[short, L.LEFT_KNEE, :2]
                         - truth.image[short, L.LEFT_KNEE, :2])) < 3.0
    long_gap = (t > 2.05) & (t < 2.95)
    assert np.isnan(out.image[long_gap, L.LEFT_ANKLE]).all()


@settings(max_examples=100, deadline=None)
@given(arrays(np.float64, st.integers(0, 80),
              elements=st.floats(allow_nan=True, allow_infinity=True, width=64)))
def test_property_smooth_track_never_raises_or_invents_inf(x):
    t = np.arange(x.size) / 30
    with np.errstate(all="ignore"):
        y = f.smooth_track(t, x)
    assert y.shape == x.shape
    assert not np.isinf(y).any()
    # long stretches of missing input stay missing (nothing is invented)
    missing = ~np.isfinite(x)
    if missing.all():
        assert np.isnan(y).all()


def test_frames_with_nobody_are_not_filled_in():
    t = km.timeline(2.0)
    seq = km.add_dropouts(km.make_sequence(km.BodyPose(), t, "standing", "front"), [(1.0, 1.1)])
    out = f.smooth_sequence(seq)
    gone = ~seq.detected
    assert gone.any() and np.isnan(out.image[gone]).all() and np.isnan(out.world[gone]).all()
    assert np.isfinite(out.image[~gone][:, L.LEFT_HIP]).all()
