"""``glutecv demo``: analyse the bundled samples and build the report."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from tests.pipeline_helpers import SAMPLES, write_video


@pytest.mark.slow
def test_demo_analyses_samples_and_builds_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from glutecv.cli import demo

    samples = tmp_path / "samples"
    write_video(samples / "a.mp4", frames=12, width=96, height=64)
    write_video(samples / "b.mp4", frames=12, width=96, height=64)
    monkeypatch.setattr(demo, "samples_dir", lambda: samples)
    out = tmp_path / "out"
    code = demo.run(argparse.Namespace(out=str(out), model="lite", jobs=1, force=False))
    assert code == 0
    printed = capsys.readouterr().out
    assert (out / "a" / "result.json").is_file() and (out / "b" / "annotated.mp4").is_file()
    report = out / "report.html"
    assert report.is_file() and f"report: {report.resolve()}" in printed
    assert "a.mp4" in report.read_text(encoding="utf-8")


def test_bundled_samples_are_where_demo_looks() -> None:
    from glutecv.cli.demo import samples_dir

    assert samples_dir() == SAMPLES
