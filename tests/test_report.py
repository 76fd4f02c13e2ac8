"""The HTML report: structure, escaping, offline-ness, atomic writing and the CLI."""

from __future__ import annotations

import base64
import math
import re
from dataclasses import replace
from pathlib import Path

import pytest
from report_helpers import analysed_folder, bridge_result

from glutecv.cli import main
from glutecv.errors import InputError
from glutecv.report import render_report, write_report
from glutecv.report.format import fault_detail, metric_label
from glutecv.report.plots import series_groups, threshold_lines
from glutecv.report.stats import symmetry


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("analysed")
    a = analysed_folder(root, "monday", bridge_result())
    b = analysed_folder(root, "thursday", bridge_result(rom_scale=1.2), video=False)
    return root, a, b


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr class="rep[^"]*"[^>]*>', html)


def test_rep_rows_flag_faulty_reps_with_value_against_threshold(folders) -> None:
    root, a, _ = folders
    html = render_report([a], root / "r.html")
    rows = _rows(html)
    assert len(rows) == 4
    assert [("flagged" in r) for r in rows] == [False, True, True, False]
    starts = [float(re.search(r'data-start="([0-9.]+)"', r).group(1)) for r in rows]
    assert starts == [1.0, 3.5, 6.0, 8.5]
    assert all('data-video="video-1"' in r for r in rows)
    assert "8.1° (limit 5.0°)" in html        # pelvic drop on rep 2
    assert "13.7° (limit 10.0°)" in html      # knee valgus on rep 3
    assert "12.0° (limit 8.0°)" in html       # lumbar extension on rep 3
    assert html.count('class="badge bad"') == 2 and html.count('class="badge ok"') == 2
    assert metric_label("rom_deg") == "ROM (°)"
    assert "<th>ROM (°)</th>" in html and "<th>Hold (s)</th>" in html


def test_report_is_self_contained_and_offline(folders) -> None:
    root, a, b = folders
    html = render_report([a, b], root / "r.html")
    assert not re.search(r"https?://", html)
    assert not re.search(r"""(src|href)\s*=\s*["']?//""", html)
    assert "@import" not in html and "url(" not in html
    srcs = re.findall(r'<source src="([^"]+)"', html)
    assert srcs == ["monday/annotated.mp4"]  # relative to the report, beside it
    assert html.count("<style>") == 1 and html.count("<script>") == 1
    assert "<script src" not in html and "<link" not in html


def test_text_from_results_is_escaped(folders, tmp_path: Path) -> None:
    root, _, _ = folders
    evil = replace(bridge_result(), source="clips/<img src=y onerror=alert(2)>.mp4")
    folder = analysed_folder(tmp_path, 'x"><img src=x onerror=alert(1)>', evil, video=False)
    html = render_report([folder], tmp_path / "r.html")
    assert "<img src=" not in html
    assert "&lt;img src=y onerror=alert(2)&gt;.mp4" in html
    assert "x&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # the folder name
    assert "knee &lt;caved&gt; in &amp; out" in html
    assert "camera is tilted &lt;5°&gt; &amp; that&#x27;s fine" in html


def test_plots_mark_reps_thresholds_and_gaps(folders) -> None:
    root, a, _ = folders
    result = bridge_result()
    groups = series_groups(result)
    assert groups == {"hip_extension|°": ["hip_extension_left_deg", "hip_extension_right_deg"],
                      "pelvic_drop|°": ["pelvic_drop_deg"]}
    hip_keys = ["hip_extension_left_deg", "hip_extension_right_deg"]
    assert threshold_lines(result, hip_keys) == ([("Hip extension min", 160.0)], [])
    flat, segments = threshold_lines(result, ["pelvic_drop_deg"])
    assert flat == []   # relative to each rep's start: never across the chart
    assert [(g.rep, g.start_s, g.end_s) for g in segments] == [
        ("1L", 1.0, 3.0), ("2R", 3.5, 5.5), ("3L", 6.0, 8.0), ("4R", 8.5, 10.5)]
    assert all(g.value == pytest.approx(2 + 5.0, abs=0.05) for g in segments)  # drop 2 at starts
    html = render_report([a], root / "r.html")
    charts = re.findall(r'<svg class="chart line-chart".*?</svg>', html, re.S)
    assert len(charts) == 2
    hip = charts[0]
    assert hip.count('class="rep-band good"') == 2 and hip.count('class="rep-band bad"') == 2
    assert 'class="threshold"' in hip and "Hip extension min 160°" in hip
    left_path = re.findall(r'<path class="series" d="([^"]+)"', hip)[0]
    assert left_path.count("M") == 2  # the dropout at 11-11.3 s breaks the left hip line
    assert 'class="threshold"' not in charts[1]
    assert charts[1].count('class="threshold relative"') == 4
    assert "4R: Pelvic drop, +5° from the rep's start" in charts[1]   # tooltip
    assert "Pelvic drop: +5° from the rep's start</span>" in html      # legend
    bars = re.findall(r'<svg class="chart bar-chart".*?</svg>', html, re.S)
    assert len(bars) == 3 and 'data-start="3.5000"' in bars[0]
    assert bars[0].count('class="bar bad"') == 2


def test_summary_symmetry_and_fault_counts(folders) -> None:
    root, a, _ = folders
    comps = {c.metric: c for c in symmetry(bridge_result())}
    assert comps["rom_deg"].left == pytest.approx(42.0) and comps["rom_deg"].right == 39.0
    assert comps["rom_deg"].difference_pct == pytest.approx(3 / 42 * 100)
    assert comps["hold_s"].difference_pct == pytest.approx(0.1 / 0.6 * 100)
    from glutecv.report.stats import SideComparison

    flip = SideComparison("fppa_deg", -24.0, 24.4)  # opposite signs: no percentage
    assert math.isnan(flip.difference_pct) and flip.difference == pytest.approx(48.4)
    html = render_report([a], root / "r.html")
    assert re.search(r"Repetitions</div><div class=\"value\">4 <small>L 2 · R 2", html)
    assert "Flagged reps</div><div class=\"value\">2<" in html
    assert "1 of 4" in html and "“keep your hips level”" in html
    assert "num diff asym" in html  # hold differs by 17 %: marked
    assert "Knee valgus not measured: needs a front view" in html


def test_several_sessions_get_a_comparison(folders) -> None:
    root, a, b = folders
    html = render_report([a, b], root / "r.html")
    assert 'id="comparison"' in html
    table = re.search(r'<table class="compare">.*?</table>', html, re.S).group(0)
    assert "1. monday" in table and "2. thursday" in table
    assert "ROM (°) mean" in table and ">40.5<" in table and ">49.5<" in table
    assert html.count('<section class="session"') == 2
    assert "No annotated video in this folder" in html  # thursday has none
    single = render_report([a], root / "r.html")
    assert 'id="comparison"' not in single


def test_embedded_video_is_the_file_in_base64(folders, tmp_path: Path) -> None:
    _, a, _ = folders
    html = render_report([a], tmp_path / "r.html", embed_video=True)
    m = re.search(r'<source src="data:video/mp4;base64,([A-Za-z0-9+/=]+)"', html)
    assert m is not None
    assert base64.b64decode(m.group(1)) == (a / "annotated.mp4").read_bytes()


def test_missing_values_and_empty_sessions(tmp_path: Path) -> None:
    result = bridge_result()
    reps = (replace(result.reps[0], metrics={"rom_deg": math.nan}),)
    empty = analysed_folder(tmp_path, "empty", replace(result, reps=()), video=False)
    nan = analysed_folder(tmp_path, "unknown_rom", replace(result, reps=reps), video=False)
    html = render_report([empty, nan], tmp_path / "r.html")
    assert "No repetitions were counted in this clip." in html
    assert '<td class="num">–</td>' in html and "nan" not in html.lower()
    assert fault_detail(result.reps[1].faults[0]) == "8.1° (limit 5.0°)"


def test_write_is_atomic_and_errors_are_one_line(folders, tmp_path: Path) -> None:
    _, a, _ = folders
    out = tmp_path / "sub" / "report.html"
    assert write_report([a], out) == out
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["report.html"]
    before = out.read_bytes()
    with pytest.raises(InputError, match="no result.json"):
        write_report([a, tmp_path], out)
    assert out.read_bytes() == before  # the old report is untouched
    with pytest.raises(InputError, match="no such folder"):
        write_report([tmp_path / "nope"], out)


def test_cli_writes_the_report(folders, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    _, a, b = folders
    out = tmp_path / "report.html"
    assert main(["report", str(a), str(b / "result.json"), "-o", str(out)]) == 0
    assert "report: " in capsys.readouterr().out
    assert len(_rows(out.read_text(encoding="utf-8"))) == 8
    assert main(["report", str(tmp_path / "missing"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("glutecv: error:") and "Traceback" not in err


def test_cli_embeds_the_video_on_request(folders, tmp_path: Path) -> None:
    _, a, _ = folders
    out = tmp_path / "shared" / "report"  # no suffix: .html is added
    assert main(["report", str(a), "-o", str(out), "--embed-video", "--title", "Anna <P.>"]) == 0
    html = (tmp_path / "shared" / "report.html").read_text(encoding="utf-8")
    assert '<source src="data:video/mp4;base64,' in html
    assert "<title>Anna &lt;P.&gt;</title>" in html


def test_video_gets_a_poster_of_the_first_flagged_rep(folders) -> None:
    from glutecv.report.poster import poster_time

    root, a, _ = folders
    assert poster_time(bridge_result()) == pytest.approx(4.5)  # rep 2's peak
    html = render_report([a], root / "r.html")
    poster = re.search(r'<video [^>]*poster="data:image/jpeg;base64,([A-Za-z0-9+/=]+)"', html)
    assert poster is not None
    jpeg = base64.b64decode(poster.group(1))
    assert jpeg[:2] == b"\xff\xd8" and len(jpeg) > 1000
    assert 'class="print-still"' in html


@pytest.mark.parametrize("name", ["report.png", "live_overlay.png"])
def test_readme_images_are_small_pngs(repo_root: Path, name: str) -> None:
    path = repo_root / "docs" / "images" / name
    if not path.is_file():
        pytest.skip(f"{path} not made yet (docs/images/make_images.py)")
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 300_000
