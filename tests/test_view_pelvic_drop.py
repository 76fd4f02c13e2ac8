"""Single-leg bridge: where pelvic drop is measured, and how the report charts it
(glutecv.kinematics, no rendering)."""

from __future__ import annotations

from motions_more import rep_plan

from glutecv import kinematics as km
from glutecv.exercises import get_analyzer
from glutecv.results import ThresholdLine


def _single_leg_bridge(view: str, drop_deg: float = 0.0):
    t, reps = rep_plan(3)
    pose, root, _ = km.bridge_pose(km.waveform(t, reps), free_leg="left",
                                   pelvic_drop_deg=drop_deg * km.waveform(t, reps))
    return km.add_noise(km.make_sequence(pose, t, "supine", view, root=root), px=1.0, seed=2)


def test_pelvic_drop_charted_both_ways_from_the_rep_start_where_measured():
    analyzer = get_analyzer("single_leg_glute_bridge")
    res = analyzer.analyze(_single_leg_bridge("front", drop_deg=15.0))
    assert "pelvic_drop" not in res.view.unsupported
    drop = analyzer.config.pelvic_drop_deg
    assert set(res.plot_thresholds["pelvis_drop_left_deg"]) == {
        ThresholdLine("left side sags", drop, "rep_start"),
        ThresholdLine("right side sags", -drop, "rep_start")}
    assert "pelvis_drop_left_deg" in res.display
    assert all("pelvic_drop" in {f.code for f in r.faults} for r in res.reps)


def test_pelvic_drop_from_the_side_says_why_and_draws_nothing():
    res = get_analyzer("single_leg_glute_bridge").analyze(_single_leg_bridge("side_left", 15.0))
    assert "pelvic_drop" in res.view.unsupported
    assert "pelvis_drop_left_deg" not in res.plot_thresholds
    assert "pelvis_drop_left_deg" not in res.display
    assert any(w.startswith("pelvic_drop not measured") for w in res.warnings)
    assert not any("pelvic_drop" in {f.code for f in r.faults} for r in res.reps)
