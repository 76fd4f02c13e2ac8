"""The whole report: sessions -> one self-contained HTML document (CSS and script inline)."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import os
from importlib import resources
from pathlib import Path
from urllib.parse import quote

from glutecv import __version__
from glutecv.report.format import clock, esc, nice_name
from glutecv.report.load import Session
from glutecv.report.plots import angle_charts, rep_bar_charts
from glutecv.report.poster import poster_data_uri, poster_time
from glutecv.report.summary import comparison, fault_table, summary_cards, symmetry_table
from glutecv.report.table import rep_table, thresholds_list

log = logging.getLogger("glutecv.report")

#: Embedding a video larger than this (MB) logs a warning: base64 adds a third.
EMBED_WARN_MB = 150.0


def _asset(name: str) -> str:
    return resources.files("glutecv.report").joinpath("assets", name).read_text("utf-8")


def video_src(path: Path, report_dir: Path, mime: str, embed: bool) -> str:
    """A relative URL from the report to the video, or a base64 ``data:`` URL."""
    if embed:
        size_mb = path.stat().st_size / 1e6
        if size_mb > EMBED_WARN_MB:
            log.warning("%s: embedding a %.0f MB video makes a %.0f MB report; browsers may "
                        "be slow to open it (leave out --embed-video to link it instead)",
                        path, size_mb, size_mb * 4 / 3)
        return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")
    rel = os.path.relpath(path.resolve(), report_dir.resolve())
    return quote(Path(rel).as_posix())


def _video_html(session: Session, vid: str, report_dir: Path, embed: bool) -> str:
    if not session.videos:
        return ('<div class="no-video">No annotated video in this folder '
                "(analysed with --no-video).</div>")
    videos = session.videos[:1] if embed else session.videos
    sources = "".join(f'<source src="{esc(video_src(p, report_dir, mime, embed))}" '
                      f'type="{esc(mime)}">' for p, mime in videos)
    note = esc(session.video.name if embed else video_src(session.video, report_dir, "", False))
    poster = poster_data_uri(session.video, poster_time(session.result))
    poster_attr = f' poster="{poster}"' if poster else ""
    still = f'<img class="print-still" src="{poster}" alt="">' if poster else ""
    return (f'<video id="{vid}" controls muted playsinline preload="metadata"{poster_attr}>'
            f"{sources}Your browser cannot play this video.</video>{still}"
            f'<p class="print-note">Annotated video: {note}</p>')


def _meta(session: Session) -> str:
    r = session.result
    bits = [f"Source: {Path(r.source).name}"]
    if r.exercise_source == "recognised":
        bits.append(f"exercise recognised ({r.exercise_confidence:.0%} confident)")
    view = r.view
    if view.camera != "unknown":
        bits.append(f"{view.camera} view")
    if view.orientation != "unknown":
        bits.append(view.orientation.replace("_", " "))
    if view.working_side:
        bits.append(f"working side: {view.working_side}")
    fps = r.video.get("fps") if isinstance(r.video, dict) else None
    if isinstance(fps, int | float):
        bits.append(f"{fps:.4g} fps")
    if r.model:
        bits.append(f"model: {r.model}")
    return " · ".join(esc(b) for b in bits)


def session_html(i: int, session: Session, report_dir: Path, embed: bool) -> str:
    """One session's section: video + summary, rep table, angle plots, per-rep bars."""
    r = session.result
    vid = f"video-{i}" if session.videos else None
    warnings = ""
    if r.warnings or r.view.unsupported:
        items = [*r.warnings, *(f"{nice_name(k)} not measured: {v}"
                                for k, v in r.view.unsupported.items()
                                if not any(v in w for w in r.warnings))]
        warnings = ('<div class="warnings"><ul>' + "".join(f"<li>{esc(w)}</li>" for w in items)
                    + "</ul></div>")
    charts = angle_charts(r, vid)
    bars = rep_bar_charts(r, vid)
    parts = [
        f'<section class="session" id="session-{i}">',
        f'<h2>{i}. {esc(session.name)} — <span class="exercise">{esc(nice_name(r.exercise))}'
        "</span></h2>",
        f'<p class="meta">{_meta(session)}</p>', warnings,
        '<div class="top"><div class="video-box">',
        _video_html(session, vid or "", report_dir, embed),
        '</div><div class="summary">', summary_cards(r), fault_table(r), symmetry_table(r),
        "</div></div>",
        "<h3>Repetitions</h3>", rep_table(r, vid),
    ]
    if charts:
        parts += ["<h3>Angles over time</h3>",
                  '<p class="hint">Shaded: reps (green good, red flagged); dashed: thresholds.'
                  + (" Click a chart to jump the video there." if vid else "") + "</p>",
                  '<div class="plots">', *charts, "</div>"]
    if bars:
        parts += ["<h3>Per rep</h3>", '<div class="bars-row">', *bars, "</div>"]
    if r.thresholds:
        parts += ["<h3>Thresholds used</h3>", thresholds_list(r)]
    parts.append("</section>")
    return "".join(parts)


def render(sessions: list[Session], report_path: Path, embed: bool = False,
           title: str | None = None) -> str:
    """The complete HTML text of the report for ``sessions``, to be written at report_path."""
    report_dir = report_path.parent
    title = title or "Exercise form report"
    when = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    total = sum(len(s.result.reps) for s in sessions)
    sub = (f"{len(sessions)} session{'s' if len(sessions) != 1 else ''} · {total} reps · "
           f"generated {when} by glutecv {__version__}")
    body = []
    if len(sessions) > 1:
        body.append('<section class="compare" id="comparison"><h2>Session comparison</h2>'
                    + comparison(sessions) + "</section>")
    body.extend(session_html(i, s, report_dir, embed) for i, s in enumerate(sessions, start=1))
    lengths = ", ".join(clock(s.result.video.get("duration_s", float("nan"))
                              if isinstance(s.result.video, dict) else float("nan"))
                        for s in sessions)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="glutecv {esc(__version__)}">'
        f"<title>{esc(title)}</title><style>{_asset('report.css')}</style></head><body>"
        f'<header class="report-head"><h1>{esc(title)}</h1><p>{esc(sub)}</p></header>'
        f"<main>{''.join(body)}</main>"
        f"<footer>Clip lengths: {esc(lengths)}. Angles are 2D estimates from video; "
        "use them alongside clinical judgement.</footer>"
        f"<script>{_asset('report.js')}</script></body></html>\n"
    )
