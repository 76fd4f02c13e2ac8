"""The report in a real browser: headless Chromium (Debian's ``chromium``) via Playwright.

The video must load and play (H.264 in MP4, as ``glutecv analyze`` writes it), clicking a rep
row or bar must seek the video to that rep, and nothing may be fetched from the network.
A screenshot is saved in the test's tmp folder (``report.png``).
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from report_helpers import FPS, analysed_folder, bridge_result

from glutecv.report import write_report

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright for Python is not installed (pip install "
        "playwright; the browser itself comes from the Debian chromium package)")
    if not Path(CHROMIUM).is_file():
        pytest.skip("headless chromium not found (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    a = analysed_folder(root, "monday", bridge_result())
    b = analysed_folder(root, "thursday", bridge_result(rom_scale=1.2))
    return write_report([a, b], root / "report.html")


def _open(browser, path: Path, url: str | None = None):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url or path.as_uri())
    # preload="metadata": the page loads duration and size, frames come when a rep is played
    page.wait_for_function("document.getElementById('video-1').readyState >= 1", timeout=15000)
    return page, errors, requests


def _seek_by_click(page, selector: str, video_id: str = "video-1") -> float:
    """Click ``selector`` and return the video time at the resulting 'seeked' event."""
    page.evaluate(f"""() => {{ window.__seeked = null;
        document.getElementById('{video_id}').addEventListener('seeked',
            e => {{ window.__seeked = e.target.currentTime; }}, {{ once: true }}); }}""")
    page.click(selector)
    page.wait_for_function("window.__seeked !== null", timeout=10000)
    return float(page.evaluate("window.__seeked"))


def test_video_loads_plays_and_rows_seek_to_their_rep(browser, report: Path) -> None:
    page, errors, requests = _open(browser, report)
    state = page.evaluate("""() => { const v = document.getElementById('video-1');
        return {ready: v.readyState, duration: v.duration, error: v.error && v.error.code,
                h264: v.canPlayType('video/mp4; codecs="avc1.42E01E"')}; }""")
    assert state["h264"] in ("probably", "maybe"), "this chromium cannot play H.264"
    assert state["error"] is None and state["ready"] >= 1
    assert state["duration"] == pytest.approx(12.0, abs=0.1)

    # rep 3 (flagged, starts at 6.0 s): the click seeks there and plays
    t = _seek_by_click(page, "#session-1 tr.rep >> nth=2")
    assert abs(t - 6.0) <= 2 / FPS
    # it actually plays on from there (waits, not sleeps: the CI machine may be busy)
    page.wait_for_function("document.getElementById('video-1').currentTime > 6.2",
                           timeout=10000)
    now = page.evaluate("""() => { const v = document.getElementById('video-1');
        return {t: v.currentTime, paused: v.paused, ready: v.readyState}; }""")
    assert not now["paused"] and now["t"] < 12.0 and now["ready"] >= 2
    # the row being played is marked: pause inside rep 3 (6.0-8.0 s) and look
    page.evaluate("() => new Promise(done => { const v = document.getElementById('video-1');"
                  " v.pause(); v.addEventListener('seeked', () => done(), {once: true});"
                  " v.currentTime = 7.0; })")
    page.wait_for_function("(document.querySelector('#session-1 tr.rep.playing') || {})"
                           ".dataset?.start === '6.0000'", timeout=10000)
    assert len(page.query_selector_all("#session-1 tr.rep.playing")) == 1

    # a per-rep bar (rep 2, 3.5 s) seeks too; the second session has its own video
    assert abs(_seek_by_click(page, "#session-1 svg.bar-chart rect.bar >> nth=1") - 3.5) \
        <= 2 / FPS
    assert abs(_seek_by_click(page, "#session-2 tr.rep >> nth=3", "video-2") - 8.5) <= 2 / FPS

    shot = report.parent / "report.png"
    page.evaluate("document.getElementById('video-1').pause()")
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    page.close()


def test_embedded_video_plays_without_the_file_beside_it(browser, tmp_path: Path) -> None:
    folder = analysed_folder(tmp_path / "src", "clip", bridge_result())
    out = write_report([folder], tmp_path / "shared" / "report.html", embed_video=True)
    shutil.rmtree(tmp_path / "src")  # the report must not need the folder any more
    page, errors, _ = _open(browser, out)
    assert page.evaluate("document.getElementById('video-1').duration") == \
        pytest.approx(12.0, abs=0.1)
    assert abs(_seek_by_click(page, "tr.rep.flagged >> nth=0") - 3.5) <= 2 / FPS
    assert errors == []
    page.close()


def test_rows_seek_when_served_without_range_requests(browser, report: Path) -> None:
    """python -m http.server cannot serve byte ranges, so the browser cannot seek the video
    as streamed; the report then loads it once as a blob, and clicking a rep still works."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(report.parent))
    handler.log_message = lambda *a, **k: None  # type: ignore[method-assign]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{report.name}"
        page, errors, requests = _open(browser, report, url)
        assert abs(_seek_by_click(page, "#session-1 tr.rep >> nth=2") - 6.0) <= 2 / FPS
        assert errors == []
        assert all(u.startswith(("http://127.0.0.1:", "blob:", "data:")) for u in requests)
        page.close()
    finally:
        server.shutdown()
        server.server_close()
