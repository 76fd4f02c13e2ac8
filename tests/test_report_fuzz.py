"""The report never crashes on odd numbers or text, and never lets text through unescaped."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_helpers import bridge_result

from glutecv.report.document import render
from glutecv.report.load import Session
from glutecv.results import Fault, Rep, ThresholdLine

floats = st.floats(allow_nan=True, allow_infinity=True, width=32)
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
MARK = "<i>x</i>"


@st.composite
def reps(draw: st.DrawFn) -> tuple[Rep, ...]:
    out = []
    for i in range(draw(st.integers(0, 5))):
        faults = tuple(Fault("knee_valgus", draw(floats), draw(floats), draw(text),
                             MARK + draw(text)) for _ in range(draw(st.integers(0, 2))))
        out.append(Rep(i + 1, draw(st.sampled_from(["left", "right", "both"])), draw(floats),
                       draw(floats), draw(floats), {MARK + draw(text): draw(floats)}, faults))
    return tuple(out)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reps=reps(), series=st.lists(floats, min_size=0, max_size=40), label=text)
def test_any_numbers_and_text_render_safely(reps: tuple[Rep, ...], series: list[float],
                                            label: str) -> None:
    n = len(series)
    result = replace(
        bridge_result(duration=1.0), reps=reps, warnings=(MARK + label,),
        series={"t_s": [i / 30 for i in range(n)], "angle_left_deg": series},
        display={"angle_left_deg": MARK + label}, thresholds={MARK: math.nan, "angle_deg": 5.0},
        plot_thresholds={"angle_left_deg": (ThresholdLine(MARK + label, 5.0, "rep_start"),
                                            ThresholdLine(MARK, math.nan),
                                            ThresholdLine(label or "x", -3.0))})
    html = render([Session(MARK + label, Path("."), result, ())], Path("report.html"))
    assert MARK not in html
    assert html.count("<i>") == 0 and "&lt;i&gt;x&lt;/i&gt;" in html
