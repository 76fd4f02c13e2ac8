"""Chart threshold lines: only what the analyzer declared, relative ones over each rep only.

The report used to match config threshold names to series by words, which drew the
clamshell's "change from the rep's start" limits across the absolute opening and roll charts.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from glutecv.exercises import get_analyzer
from glutecv.exercises.common import collect_plot_lines, plot_line
from glutecv.pipeline import build_result
from glutecv.report.plots import angle_charts, threshold_lines
from glutecv.results import AnalysisResult, ThresholdLine, ViewInfo

sys.path.insert(0, str(Path(__file__).parent))
from analysis_core_helpers import bridge_clip  # noqa: E402
from motions_more import clamshell  # noqa: E402

SCHEMA = Path(__file__).resolve().parents[1] / "docs" / "result_schema.json"


def charts_by_title(result: AnalysisResult) -> dict[str, str]:
    return {re.search(r'aria-label="([^"]+)"', c).group(1): c
            for c in angle_charts(result, "v")}


def full_width_lines(chart: str) -> list[str]:
    return re.findall(r'<line class="threshold" [^>]*>', chart)


@pytest.fixture(scope="module")
def clamshell_result() -> AnalysisResult:
    seq = clamshell(3, "left", "front")
    return build_result(seq, get_analyzer("clamshell").analyze(seq), source="clam.npz")


def test_clamshell_relative_limits_never_cross_the_absolute_charts(clamshell_result):
    res = clamshell_result
    assert len(res.reps) == 3
    charts = charts_by_title(res)
    opening, roll = charts["Opening (°)"], charts["Pelvis roll (°)"]
    # the old name matching drew "Min opening 18°" across the opening chart and "Max pelvis
    # roll 18°" across the roll chart, although both limits are changes from the rep's start
    for chart in (opening, roll):
        assert full_width_lines(chart) == []
        assert "Min opening 18" not in chart and "Max pelvis roll 18" not in chart
    # whatever the analyzer declares, a relative limit is drawn over the reps only
    for key, lines in res.plot_thresholds.items():
        assert all(line.relative_to == "rep_start" for line in lines
                   if key.startswith(("opening_", "pelvis_roll_")))


def test_relative_limit_is_drawn_over_each_rep_from_its_start(clamshell_result):
    res = replace(clamshell_result, plot_thresholds={
        "opening_left_deg": (ThresholdLine("min opening", 18.0, "rep_start"),)})
    flat, segments = threshold_lines(res, ["opening_left_deg", "opening_right_deg"])
    assert flat == [] and len(segments) == 3
    t, opening = res.series["t_s"], res.series["opening_left_deg"]
    for seg, rep in zip(segments, res.reps, strict=True):
        assert (seg.start_s, seg.end_s) == (rep.start_s, rep.end_s)
        i = min(range(len(t)), key=lambda k: abs(t[k] - rep.start_s))
        assert seg.value == pytest.approx(opening[i] + 18.0, abs=1.0)
        assert seg.value < rep.metrics["peak_opening_deg"]   # a full rep opens past it
    chart = charts_by_title(res)["Opening (°)"]
    assert full_width_lines(chart) == []
    assert chart.count('class="threshold relative"') == 3
    assert "1L: Min opening, +18° from the rep's start" in chart


def test_bridge_and_thrust_declare_lines_the_view_can_judge():
    seq, _, _ = bridge_clip(3, "side_left", seed=1)
    res = build_result(seq, get_analyzer("hip_thrust").analyze(seq))
    assert res.plot_thresholds == {"hip_extension_deg": (
        ThresholdLine("lockout", -20.0), ThresholdLine("arching", 15.0))}
    chart = charts_by_title(res)["Hip extension (°)"]
    assert "Lockout -20°" in chart and "Arching 15°" in chart
    assert len(full_width_lines(chart)) == 2
    # from the feet: lockout and arching cannot be judged, valgus can (knee tilt charted)
    seq, _, _ = bridge_clip(3, "front", cave=[0, 14, 0], seed=2)
    res = build_result(seq, get_analyzer("glute_bridge").analyze(seq))
    assert "lumbar_extension" in res.view.unsupported
    assert res.plot_thresholds == {f"knee_medial_tilt_{s}_deg": (ThresholdLine("valgus", 10.0),)
                                   for s in ("left", "right")}
    tilt = charts_by_title(res)["Knee medial tilt (°)"]
    assert "Valgus 10°" in tilt and len(full_width_lines(tilt)) == 1  # once for L and R
    assert len(res.reps) == 3 and full_width_lines(charts_by_title(res)["Hip lift (%)"]) == []


def test_plot_line_helper_expands_sides_and_drops_unjudgeable_faults():
    decls = [plot_line("a_{side}_deg", "lim", 5, from_rep_start=True, fault="pelvic_drop"),
             plot_line(["b_deg", "c_deg"], "top", -2)]
    assert decls[0].keys == ("a_left_deg", "a_right_deg")
    view = ViewInfo()
    got = collect_plot_lines(decls, ["a_left_deg", "a_right_deg", "b_deg"], view)
    assert got == {"a_left_deg": (ThresholdLine("lim", 5.0, "rep_start"),),
                   "a_right_deg": (ThresholdLine("lim", 5.0, "rep_start"),),
                   "b_deg": (ThresholdLine("top", -2.0),)}
    blind = ViewInfo(unsupported={"pelvic_drop": "side view"})
    assert collect_plot_lines(decls, ["a_left_deg", "b_deg"], blind) == {
        "b_deg": (ThresholdLine("top", -2.0),)}


def test_plot_thresholds_round_trip_validate_and_old_files_load(clamshell_result, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text())
    res = replace(clamshell_result, plot_thresholds={
        "opening_left_deg": (ThresholdLine("min opening", 18.0, "rep_start"),),
        "pelvis_roll_left_deg": (ThresholdLine("limit", 18.0),)})
    res.save(tmp_path / "result.json")
    raw = json.loads((tmp_path / "result.json").read_text())
    jsonschema.validate(raw, schema)
    assert raw["schema_version"] == 1
    assert raw["plot_thresholds"]["opening_left_deg"] == [
        {"label": "min opening", "value": 18.0, "relative_to": "rep_start"}]
    assert AnalysisResult.load(tmp_path / "result.json").plot_thresholds == res.plot_thresholds
    # a result.json written before plot_thresholds existed: valid, loads, draws no lines
    del raw["plot_thresholds"]
    jsonschema.validate(raw, schema)
    (tmp_path / "old.json").write_text(json.dumps(raw))
    old = AnalysisResult.load(tmp_path / "old.json")
    assert old.plot_thresholds == {} and old.reps == AnalysisResult.load(
        tmp_path / "result.json").reps
    assert all(not full_width_lines(c) and "threshold relative" not in c
               for c in angle_charts(old, None))
    raw["plot_thresholds"] = {"x_deg": [{"label": "a", "value": 1, "relative_to": "peak"}]}
    (tmp_path / "bad.json").write_text(json.dumps(raw))
    with pytest.raises(Exception, match="malformed result file"):
        AnalysisResult.load(tmp_path / "bad.json")


@pytest.mark.parametrize("view", ["front", "side"])
def test_squat_and_lunge_declare_depth_and_valgus_where_the_view_judges_them(view):
    """Depth is judged from the side (foreshortened from the front), valgus from the front."""
    from motions_more import lunge, squat

    seq = squat(3, view)
    res = build_result(seq, get_analyzer("squat").analyze(seq))
    assert len(res.reps) == 3
    sides = ("left", "right")
    valgus = {f"fppa_{s}_deg": (ThresholdLine("valgus", 15.0),) for s in sides}
    depth = {f"knee_flexion_{s}_deg": (ThresholdLine("half-squat depth", 70.0),) for s in sides}
    assert res.plot_thresholds == (valgus if view == "front" else depth)
    charts = charts_by_title(res)
    if view == "side":
        knee = charts["Knee flexion (°)"]
        assert "Half squat depth 70°" in knee and len(full_width_lines(knee)) == 1
    else:
        fppa = charts["Fppa (°)"] if "Fppa (°)" in charts else charts["FPPA (°)"]
        assert "Valgus 15°" in fppa and len(full_width_lines(fppa)) == 1

    seq = lunge(3, "left", view)
    res = build_result(seq, get_analyzer("lunge").analyze(seq))
    assert res.plot_thresholds == (valgus if view == "front" else {})
