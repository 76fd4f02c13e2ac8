"""Property tests (hypothesis): garbage landmarks never crash glutecv or come out as numbers.

What analysis-core's own property tests cover (joint_angle, knee_fppa, shoulder_hip_knee_line,
pelvis_tilt, segment_medial_tilt; ``count_reps`` on arrays; ``smooth_track``) is not repeated.
Here: the remaining geometry functions, the one-euro filter and whole-sequence smoothing, the
streaming rep counter, and EVERY registered analyzer end to end (batch and live) on
PoseSequences with NaN, infinite, jittering and random landmarks, through
``AnalysisResult.to_dict()`` to JSON and back. The rules:

* no exception;
* a reported metric is a finite number, or NaN meaning "not measured" (``null`` in JSON);
  never infinite, and a fault always carries a finite measured value and threshold;
* no rep is made of missing data: inside a rep the body is never missing for longer than the
  0.5 s the counter bridges (plus slack), so every part of a rep was actually seen;
* result.json is strict JSON (no NaN/Infinity tokens) that reads back and fits the schema.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from glutecv import geometry as g
from glutecv.exercises import get_analyzer, names
from glutecv.landmarks import NUM_LANDMARKS, Landmark
from glutecv.pose.types import PoseSequence

REPO = Path(__file__).resolve().parents[1]
#: Coordinates and values: anything a broken model, file or filter could hand over. Finite
#: values stay within +-1e6 (pixels, degrees): beyond that float64 overflow (1e308 squared)
#: is not a glutecv question.
wild = st.one_of(st.floats(-1e6, 1e6), st.sampled_from([math.nan, math.inf, -math.inf]))


def fuzz(examples: int) -> settings:
    """Hypothesis settings for these tests: no per-example deadline (CI machines vary)."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- geometry not covered elsewhere ---------------------------------------------------------
pts2 = arrays(np.float64, (6, 2), elements=wild)
pts3 = arrays(np.float64, (6, 3), elements=wild)


@fuzz(150)
@given(pts2, pts2, pts2, pts2, pts3, pts3, pts3)
def test_geometry_never_raises_never_returns_inf(a, b, c, d, a3, b3, c3) -> None:
    with np.errstate(all="ignore"):
        outputs = {
            "flexion_angle": g.flexion_angle(a, b, c),
            "angle_to_vertical": g.angle_to_vertical(a, b),
            "angle_to_horizontal": g.angle_to_horizontal(a, b),
            "signed_line_deviation": g.signed_line_deviation(a, b, c),
            "knee_ankle_separation_ratio": g.knee_ankle_separation_ratio(a, b, c, d),
            "height_difference_ratio": g.height_difference_ratio(a, b, np.abs(c[:, 0])),
            "trunk_lean": g.trunk_lean(a, b),
            "lateral_shift_ratio": g.lateral_shift_ratio(a, b, c, d),
            "hip_extension": g.hip_extension(a, b, c),
            "hip_abduction_3d": g.hip_abduction(a3, b3, c3),
            "segment_length": g.segment_length(a3, b3),
        }
    for name, value in outputs.items():
        value = np.asarray(value, dtype=float)
        assert value.shape == (6,), name
        assert not np.isinf(value).any(), f"{name} returned inf"
    # an angle of a segment with a missing end is missing, never a number
    bad = ~np.all(np.isfinite(a) & np.isfinite(b), axis=-1)
    assert np.isnan(outputs["angle_to_vertical"][bad]).all()
    assert np.isnan(outputs["flexion_angle"][bad]).all()


@fuzz(60)
@given(arrays(np.float64, st.tuples(st.integers(1, 40), st.just(NUM_LANDMARKS), st.just(3)),
              elements=wild),
       arrays(np.float64, st.tuples(st.integers(1, 40), st.just(NUM_LANDMARKS)), elements=wild))
def test_visible_points_gates_garbage(image, visibility) -> None:
    n = min(len(image), len(visibility))
    image, visibility = image[:n], visibility[:n]
    seq = PoseSequence(np.arange(n) / 30.0, image, image.copy(), visibility, visibility.copy(),
                       640, 480)
    with np.errstate(all="ignore"):
        pts = g.visible_points(seq, [Landmark.LEFT_KNEE, Landmark.RIGHT_HIP], 0.5)
    for lm, p in pts.items():
        ok = np.all(np.isfinite(p), axis=-1)
        vis = visibility[:, lm]
        assert not np.any(ok & ~(vis >= 0.5)), "a low- or NaN-visibility point got through"
        assert not np.isinf(p).any()


# --- filters ----------------------------------------------------------------------------------
@fuzz(80)
@given(arrays(np.float64, st.tuples(st.integers(1, 60), st.just(4)), elements=wild),
       st.lists(st.floats(0.001, 0.5), min_size=60, max_size=60))
def test_one_euro_never_raises_or_emits_inf(x, steps) -> None:
    from glutecv.filters import OneEuroFilter

    f = OneEuroFilter()
    t = np.cumsum(steps)[: len(x)]
    with np.errstate(all="ignore"):
        for ti, xi in zip(t, x, strict=True):
            y = f(float(ti), xi)
            assert y.shape == (4,)
            assert not np.isinf(y).any()
            assert np.isnan(y[~np.isfinite(xi)]).all()  # a missing input is not invented


# --- landmark sequences -----------------------------------------------------------------------
@cache
def _base_sequences() -> tuple[PoseSequence, ...]:
    """Plausible bodies to damage: a bridge (supine, side view), a squat (standing, front),
    a clamshell (side-lying), a fire hydrant-like leg lift (quadruped)."""
    from glutecv import kinematics as km

    t = km.timeline(6.0, fps=30)
    w = km.waveform(t, km.schedule(2, start_s=0.8, up_s=0.8, hold_s=0.4, down_s=0.8))
    out = []
    pose, root, _ = km.bridge_pose(w)
    out.append(km.make_sequence(pose, t, "supine", "side_left", root=root))
    squat = km.LegAngles(hip_flexion=km.lerp(0, 90, w), knee_flexion=km.lerp(0, 100, w))
    out.append(km.make_sequence(km.BodyPose(left_leg=squat, right_leg=squat), t, "standing",
                                "front"))
    clam = km.LegAngles(hip_flexion=45, knee_flexion=90, hip_abduction=km.lerp(0, 40, w))
    out.append(km.make_sequence(km.BodyPose(left_leg=clam, right_leg=km.LegAngles(
        hip_flexion=45, knee_flexion=90)), t, "side_lying", "front"))
    hydrant = km.LegAngles(hip_flexion=90, knee_flexion=90, hip_abduction=km.lerp(0, 45, w))
    out.append(km.make_sequence(km.BodyPose(left_leg=hydrant, right_leg=km.LegAngles(
        hip_flexion=90, knee_flexion=90)), t, "quadruped", "back"))
    return tuple(out)


@st.composite
def damaged_sequences(draw: st.DrawFn) -> PoseSequence:
    """A base body with some of: random landmarks, NaN/inf holes, jitter, dropped frames,
    garbage visibility, variable frame times."""
    base = draw(st.sampled_from(_base_sequences()))
    n = draw(st.integers(2, len(base)))
    start = draw(st.integers(0, len(base) - n))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    image = base.image[start:start + n].copy()
    world = base.world[start:start + n].copy()
    vis = base.visibility[start:start + n].copy()
    pres = base.presence[start:start + n].copy()
    if draw(st.booleans()):  # jitter, small or wild
        scale = draw(st.sampled_from([0.5, 5.0, 80.0]))
        image[..., :2] += rng.normal(0, scale, image[..., :2].shape)
        world += rng.normal(0, scale / 500, world.shape)
    if draw(st.booleans()):  # some landmarks replaced by random garbage
        mask = rng.random((n, NUM_LANDMARKS)) < draw(st.floats(0.0, 1.0))
        image[mask] = rng.uniform(-1e4, 1e4, (int(mask.sum()), 3))
        world[mask] = rng.uniform(-50, 50, (int(mask.sum()), 3))
    if draw(st.booleans()):  # NaN / inf holes in single values
        for arr in (image, world):
            holes = rng.random(arr.shape) < draw(st.floats(0.0, 0.5))
            arr[holes] = rng.choice([np.nan, np.inf, -np.inf], int(holes.sum()))
    if draw(st.booleans()):  # whole frames with nobody (walking out of view)
        gone = rng.random(n) < draw(st.floats(0.0, 1.0))
        image[gone] = np.nan
        world[gone] = np.nan
        vis[gone] = 0.0
        pres[gone] = 0.0
    if draw(st.booleans()):  # garbage scores
        vis = rng.choice([np.nan, -1.0, 0.0, 0.3, 0.99, 2.0, np.inf], vis.shape)
    steps = (rng.uniform(0.004, 0.2, n) if draw(st.booleans())  # variable frame rate
             else np.full(n, 1 / 30))
    t = np.cumsum(steps)
    return PoseSequence(t, image, world, vis, pres, base.width, base.height, {})


#: A rep may bridge short dropouts (the filters interpolate up to 0.3 s, the counter bridges up
#: to 0.5 s) but never a longer stretch of nobody; this is that limit with a little slack.
MAX_BRIDGED_GAP_S = 0.6


def _check_reps(reps, seq: PoseSequence) -> None:  # noqa: ANN001
    """Finite times, finite (or 'not measured' NaN) metrics, faults with measured values, and
    no rep made of missing data: the body is seen across the whole rep, never missing for
    more than :data:`MAX_BRIDGED_GAP_S` (shorter dropouts are interpolated by design)."""
    t = seq.t_s
    vis = np.nan_to_num(seq.visibility, nan=0.0)
    found = (np.isfinite(seq.image).all(axis=2) & (vis >= 0.3)).any(axis=1)
    for rep in reps:
        assert math.isfinite(rep.start_s) and math.isfinite(rep.end_s), rep
        assert rep.start_s <= rep.end_s + 1e-9
        assert not math.isfinite(rep.peak_s) or rep.start_s - 1e-6 <= rep.peak_s <= rep.end_s + 1e-6
        for name, value in rep.metrics.items():
            assert not (isinstance(value, float) and math.isinf(value)), (name, value)
        for fault in rep.faults:
            assert math.isfinite(fault.value) and math.isfinite(fault.threshold), fault
        inside = (t >= rep.start_s - 1e-9) & (t <= rep.end_s + 1e-9)
        assert inside.any()
        seen = np.concatenate([[rep.start_s], t[inside & found], [rep.end_s]])
        where = f"rep {rep.start_s:.2f}-{rep.end_s:.2f} s"
        assert (inside & found).sum() >= 2, f"{where} has no body in it"
        assert np.diff(seen).max() <= MAX_BRIDGED_GAP_S, f"{where} spans a stretch of nobody"


def _check_json_round_trip(seq: PoseSequence, analysis, validator) -> None:  # noqa: ANN001
    from glutecv.io.atomic import _nan_to_none
    from glutecv.pipeline import build_result
    from glutecv.results import AnalysisResult

    result = build_result(seq, analysis, source="fuzz.npz")
    text = json.dumps(_nan_to_none(result.to_dict()), allow_nan=False)  # what write_json does
    data = json.loads(text)
    validator.validate(data)
    back = AnalysisResult.from_dict(data)
    assert len(back.reps) == len(result.reps)
    for values in data["series"].values():
        assert all(v is None or math.isfinite(v) for v in values)


@cache
def _validator():  # noqa: ANN202
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = REPO / "docs" / "result_schema.json"
    if not schema_path.is_file():
        return type("NoSchema", (), {"validate": staticmethod(lambda data: None)})()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.slow
@pytest.mark.parametrize("exercise", names())
@fuzz(15)
@given(seq=damaged_sequences())
def test_every_analyzer_batch_survives_garbage(exercise: str, seq: PoseSequence) -> None:
    with np.errstate(all="ignore"):
        analysis = get_analyzer(exercise).analyze(seq)
    assert analysis.exercise == exercise
    _check_reps(analysis.reps, seq)
    for key, values in analysis.series.items():
        arr = np.asarray(values, dtype=float)
        assert arr.shape == (len(seq),), key
        if key != "phase":
            assert not np.isinf(arr).any(), f"{key} has inf"
    _check_json_round_trip(seq, analysis, _validator())


@pytest.mark.slow
@pytest.mark.parametrize("exercise", names())
@fuzz(10)
@given(seq=damaged_sequences())
def test_every_analyzer_live_survives_garbage(exercise: str, seq: PoseSequence) -> None:
    stream = get_analyzer(exercise).stream(30.0)
    with np.errstate(all="ignore"):
        for i in range(len(seq)):
            state = stream.update(seq[i])
            for name, value in (state.angles or {}).items():
                assert not (isinstance(value, float) and math.isinf(value)), (name, value)
        analysis = stream.finish()
    _check_reps(analysis.reps, seq)


@fuzz(12)
@given(seq=damaged_sequences())
def test_auto_exercise_and_result_survive_garbage(seq: PoseSequence) -> None:
    """The pipeline's own path: recognise the exercise, analyse, wrap, serialise."""
    from glutecv.pipeline import analyze_sequence

    with np.errstate(all="ignore"):
        result = analyze_sequence(seq, "auto", source="fuzz.npz")
    assert result.exercise in names()
    assert 0.0 <= result.exercise_confidence <= 1.0 or math.isnan(result.exercise_confidence)
    _check_reps(result.reps, seq)
    json.dumps(__import__("glutecv.io.atomic", fromlist=["_nan_to_none"])
               ._nan_to_none(result.to_dict()), allow_nan=False)


@fuzz(15)
@given(seq=damaged_sequences())
def test_whole_sequence_smoothing_survives_garbage(seq: PoseSequence) -> None:
    from glutecv.filters import smooth_sequence

    chosen = [Landmark.LEFT_HIP, Landmark.LEFT_KNEE, Landmark.LEFT_ANKLE]
    with np.errstate(all="ignore"):
        out = smooth_sequence(seq, landmarks=chosen)
    assert out.image.shape == seq.image.shape
    if len(seq) >= 2:  # smoothed landmarks (the others are copied as they were)
        assert not np.isinf(out.image[:, chosen]).any()
        assert not np.isinf(out.world[:, chosen]).any()


# --- streaming rep counter --------------------------------------------------------------------
@fuzz(80)
@given(arrays(np.float64, st.integers(0, 200), elements=wild),
       st.lists(st.floats(0.001, 0.3), min_size=200, max_size=200),
       arrays(np.float64, 200, elements=wild))
def test_streaming_counter_with_garbage_values_times_and_confidence(x, steps, conf) -> None:
    from glutecv.reps import RepCounter, RepCounterConfig

    cfg = RepCounterConfig(min_rom=20.0, enter_rise=10.0, min_confidence=0.5)
    counter = RepCounter(cfg)
    t = np.cumsum(steps)[: len(x)]
    with np.errstate(all="ignore"):
        for ti, xi, ci in zip(t, x, conf[: len(x)], strict=True):
            counter.update(float(ti), float(xi), confidence=float(ci))
    for e in counter.events:
        assert np.isfinite([e.rom, e.peak_value, e.rest_value, e.start_s, e.end_s]).all()
        assert e.rom >= cfg.min_rom
        inside = (t >= e.start_s) & (t <= e.end_s)
        good = np.isfinite(x) & (np.nan_to_num(conf[: len(x)], nan=0.0) >= 0.5)
        assert good[inside].mean() >= cfg.min_valid_fraction - 1e-9
    if not (np.isfinite(x) & (np.nan_to_num(conf[: len(x)], nan=0.0) >= 0.5)).any():
        assert counter.count == 0
