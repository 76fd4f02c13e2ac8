"""Fault requests on the command line (no torch needed)."""

from __future__ import annotations

import pytest

from glutecv.errors import GlutecvError
from glutecv.results import FAULT_CODES
from glutecv.synth.faults import FAULT_UNITS, parse_fault


def test_fault_codes_are_the_shared_ones() -> None:
    assert set(FAULT_UNITS) == set(FAULT_CODES)


@pytest.mark.parametrize(("text", "code", "size", "reps"), [
    ("knee_valgus:12", "knee_valgus", 12.0, None),
    ("lumbar_extension:15@2", "lumbar_extension", 15.0, (2,)),
    ("pelvic_drop:8.5@1,3", "pelvic_drop", 8.5, (1, 3)),
    ("hip_hike:10@2-4", "hip_hike", 10.0, (2, 3, 4)),
])
def test_parse_fault(text: str, code: str, size: float, reps: tuple | None) -> None:
    req = parse_fault(text)
    assert (req.code, req.size, req.reps) == (code, size, reps)
    assert req.applies_to(2) == (reps is None or 2 in reps)


@pytest.mark.parametrize("text", ["valgus:10", "knee_valgus", "knee_valgus:x",
                                  "knee_valgus:10@0", "knee_valgus:10@a"])
def test_bad_fault_is_one_line_error(text: str) -> None:
    with pytest.raises(GlutecvError) as err:
        parse_fault(text)
    assert "\n" not in str(err.value)


def test_missing_extra_is_one_line_error(monkeypatch, tmp_path, capsys) -> None:
    import sys

    from glutecv.cli import main
    from glutecv.synth import body

    monkeypatch.setattr(body, "_MODEL", None)
    monkeypatch.setitem(sys.modules, "anny", None)  # import anny -> ImportError
    out = tmp_path / "x.mp4"
    assert main(["-q", "synth", "squat", "-o", str(out), "--size", "64x48"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("glutecv: error: ") and "install glutecv[synth]" in err
    assert "\n" not in err
    assert not out.exists()
