"""The therapist report: analysed folders -> one self-contained, offline HTML file.

    from glutecv.report import write_report
    write_report(["out/clip1", "out/clip2"], "report.html")

The report has the annotated video (beside it, or embedded with ``embed_video=True``), a rep
table with faults against their thresholds (click a rep to play it), angle plots with rep
boundaries and thresholds, per-rep bars, a session summary and, for several sessions, a
comparison. No network access is needed to view it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path

from glutecv.errors import InputError
from glutecv.io.atomic import write_text
from glutecv.report.load import Session, load_session

log = logging.getLogger("glutecv.report")

__all__ = ["Session", "load_session", "render_report", "write_report"]


def render_report(folders: Iterable[str | Path], report_path: str | Path,
                  embed_video: bool = False, title: str | None = None) -> str:
    """The report's HTML text (videos referenced relative to ``report_path``)."""
    from glutecv.report.document import render

    sessions = [load_session(f) for f in folders]
    if not sessions:
        raise InputError("no analysed folders given")
    return render(sessions, Path(report_path), embed=embed_video, title=title)


def write_report(folders: Iterable[str | Path], report_path: str | Path,
                 embed_video: bool = False, title: str | None = None) -> Path:
    """Write the report atomically and return its path."""
    report_path = Path(report_path)
    text = render_report(folders, report_path, embed_video, title)
    write_text(report_path, text)
    log.debug("report written to %s (%.0f kB)", report_path, len(text.encode()) / 1024)
    return report_path
