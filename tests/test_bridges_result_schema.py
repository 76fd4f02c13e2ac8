"""docs/result_schema.json describes the real result.json of an analysed clip."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from analysis_core_helpers import bridge_clip

from glutecv.pipeline import analyze_sequence
from glutecv.results import FAULT_CODES, AnalysisResult

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "result_schema.json"


@pytest.fixture(scope="module")
def schema() -> dict:
    s = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(s)
    return s


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict:
    seq, _, _ = bridge_clip(3, "side_left", amplitudes=[1, 1, 0.5], overshoot=[0, 25, 0],
                            free_leg="left", dropouts=[(0.0, 0.8)])
    result = analyze_sequence(seq, "single_leg_glute_bridge", source="synthetic.mp4",
                              model="full")
    path = tmp_path_factory.mktemp("res") / "result.json"
    result.save(path)
    return json.loads(path.read_text(encoding="utf-8"))


def test_real_result_validates(schema, written):
    jsonschema.validate(written, schema)
    assert written["summary"]["rep_count"] == 3
    codes = {f["code"] for r in written["reps"] for f in r["faults"]}
    assert codes == {"lumbar_extension", "incomplete_rom"}
    assert None in written["series"]["hip_extension_deg"]   # the long dropout became null


def test_schema_fault_codes_match_the_contract(schema):
    assert tuple(schema["$defs"]["fault_code"]["enum"]) == FAULT_CODES


def test_schema_rejects_a_broken_result(schema, written):
    bad = json.loads(json.dumps(written))
    bad["reps"][0]["faults"].append({"code": "bad_knees", "value": 1, "threshold": 0,
                                     "unit": "deg", "message": "x"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    bad = json.loads(json.dumps(written))
    del bad["reps"][0]["side"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)


def test_result_round_trips(written):
    again = AnalysisResult.from_dict(written).to_dict()
    assert again["summary"] == written["summary"]
    assert [r["faults"] for r in again["reps"]] == [r["faults"] for r in written["reps"]]
