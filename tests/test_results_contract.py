"""AnalysisResult JSON round trip, fault-code validation, replayed frame states, atomic writes."""

from __future__ import annotations

import json
import math

import pytest

from glutecv.errors import InputError, OutputError
from glutecv.io.atomic import atomic_path, write_json
from glutecv.results import (
    CUES,
    FAULT_CODES,
    AnalysisResult,
    Fault,
    Rep,
    ViewInfo,
    frame_state_at,
)


def make_result() -> AnalysisResult:
    valgus = Fault("knee_valgus", 17.2, 13.0, "deg", "knees caved in by 17 deg")
    reps = (
        Rep(1, "both", 1.0, 1.5, 2.0, {"rom_deg": 60.0}),
        Rep(2, "both", 3.0, 3.5, 4.0, {"rom_deg": math.nan}, (valgus,)),
    )
    return AnalysisResult(
        source="a.mp4", video={"fps": 10.0, "frames": 50}, exercise="hip_thrust",
        exercise_source="given", exercise_confidence=1.0,
        view=ViewInfo(camera="front", orientation="supine"), reps=reps,
        series={"t_s": [i / 10 for i in range(50)], "hip_deg": [float(i) for i in range(50)],
                "phase": [0.0] * 50},
        display={"hip_deg": "hip"}, thresholds={"knee_valgus_deg": 13.0},
    )


def test_summary_counts_reps_sides_and_faults() -> None:
    s = make_result().summary()
    assert s == {"rep_count": 2, "reps_by_side": {"both": 2},
                 "fault_counts": {"knee_valgus": 1}, "good_reps": 1}


def test_json_round_trip(tmp_path) -> None:
    res = make_result()
    res.save(tmp_path / "result.json")
    raw = json.loads((tmp_path / "result.json").read_text())
    assert raw["schema_version"] == 1
    assert raw["reps"][1]["faults"][0]["code"] == "knee_valgus"
    assert raw["reps"][0]["metrics"]["rom_deg"] == 60.0 and raw["reps"][1]["good"] is False
    back = AnalysisResult.load(tmp_path / "result.json")
    assert back.reps[1].faults == res.reps[1].faults
    assert math.isnan(back.reps[1].metrics["rom_deg"])  # NaN -> null -> NaN
    assert back.summary() == res.summary()


def test_malformed_and_wrong_version_results_are_input_errors(tmp_path) -> None:
    p = tmp_path / "result.json"
    p.write_text("{not json")
    with pytest.raises(InputError, match="malformed result file"):
        AnalysisResult.load(p)
    d = make_result().to_dict()
    d["schema_version"] = 7
    p.write_text(json.dumps(d))
    with pytest.raises(InputError, match="schema version 7 is not supported"):
        AnalysisResult.load(p)


def test_unknown_fault_code_is_rejected_and_every_code_has_a_cue() -> None:
    with pytest.raises(ValueError, match="unknown fault code"):
        Fault("valgus", 1.0, 1.0, "deg", "x")
    assert set(CUES) == set(FAULT_CODES)


def test_frame_state_replay() -> None:
    res = make_result()
    early = frame_state_at(res, 5)   # t = 0.5 s, before any rep ended
    assert early.rep_counts == {} and early.angles == {"hip": 5.0} and early.cue is None
    after_bad = frame_state_at(res, 41)  # t = 4.1 s: just after the faulty rep
    assert after_bad.rep_counts == {"both": 2}
    assert after_bad.cue == CUES["knee_valgus"]
    assert after_bad.last_rep is not None and after_bad.last_rep.index == 2
    assert frame_state_at(res, 49, cue_hold_s=0.5).cue is None  # cue expired


def test_atomic_write_leaves_nothing_on_failure(tmp_path) -> None:
    target = tmp_path / "out.json"
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert list(tmp_path.iterdir()) == []
    write_json(target, {"x": float("nan")})
    assert json.loads(target.read_text()) == {"x": None}


def test_unwritable_output_is_an_output_error(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot write"):
        write_json(blocker / "sub" / "r.json", {})
