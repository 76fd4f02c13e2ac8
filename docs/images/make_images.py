"""Make the README images from the project's OWN synthetic samples (never third-party clips).

    .venv/bin/python docs/images/make_images.py samples/<clip>.mp4 [MORE.mp4...]

* ``report.png``: ``glutecv analyze`` + ``glutecv report`` on the given samples, opened in
  headless Chromium (Debian's ``chromium`` + Playwright), a flagged rep clicked, screenshot.
* ``live_overlay.png``: ``glutecv live --source FIRST --realtime --no-window --record`` (the
  live code path), the recorded frame just after a rep ends (verdict flash visible).

Both are downscaled and palette-compressed to stay under 300 KB.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
MAX_BYTES = 300_000
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def glutecv(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "glutecv", *args], check=True, cwd=ROOT)


def save_small(image_rgb: np.ndarray, path: Path, width: int) -> None:
    """Downscale to ``width`` and write a palette PNG under MAX_BYTES."""
    from PIL import Image

    img = Image.fromarray(image_rgb)
    width = min(width, img.width)  # never upscale
    for w in (width, int(width * 0.85), int(width * 0.7)):
        small = img.resize((w, round(img.height * w / img.width)), Image.LANCZOS)
        small.save(path, optimize=True)
        if path.stat().st_size < MAX_BYTES:
            print(f"wrote {path} ({w} px wide, {path.stat().st_size / 1024:.0f} kB)")
            return
        for colours in (256, 128, 64):
            q = small.quantize(colours, method=Image.Quantize.MEDIANCUT, dither=Image.NONE)
            q.save(path, optimize=True)
            if path.stat().st_size < MAX_BYTES:
                print(f"wrote {path} ({w} px wide, {colours} colours, "
                      f"{path.stat().st_size / 1024:.0f} kB)")
                return
    raise SystemExit(f"{path}: could not get under {MAX_BYTES} bytes")


EXERCISES = ("hip_thrust", "glute_bridge", "single_leg_glute_bridge", "clamshell",
             "fire_hydrant", "squat", "lunge")


def exercise_of(sample: Path) -> str:
    """The sample's exercise from its ground truth (``NAME.json`` beside it: the synthetic
    samples know what they show), else from its name or folder, else ``auto``."""
    truth = sample.with_suffix(".json")
    if truth.is_file():
        name = json.loads(truth.read_text()).get("scene", {}).get("exercise")
        if name in EXERCISES:
            return name
    for name in sorted(EXERCISES, key=len, reverse=True):
        if sample.stem.startswith(name) or sample.parent.name == name:
            return name
    return "auto"


def report_image(samples: list[Path], work: Path, dest: Path) -> None:
    from playwright.sync_api import sync_playwright

    out = work / "out"
    for s in samples:
        glutecv("analyze", str(s), "--exercise", exercise_of(s), "-o", str(out), "-j", "1")
    folders = [out / s.stem for s in samples]
    report = work / "report.html"
    glutecv("report", *map(str, folders), "-o", str(report))
    shot = work / "report_full.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1500})
        page.goto(report.as_uri())
        page.wait_for_function("document.querySelector('video').readyState >= 1")
        first = page.query_selector("section.session tr.rep.flagged") or \
            page.query_selector("section.session tr.rep")
        if first is not None:
            first.click()
            page.wait_for_timeout(1200)
        page.evaluate("document.querySelectorAll('video').forEach(v => v.pause())")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(shot))
        browser.close()
    from PIL import Image

    save_small(np.asarray(Image.open(shot).convert("RGB")), dest / "report.png", 1000)


def live_image(sample: Path, work: Path, dest: Path) -> None:
    import av

    rec = work / "live.mp4"
    glutecv("live", "--source", str(sample), "--realtime", "--no-window", "--record", str(rec),
            "--exercise", exercise_of(sample), "-o", str(work / "live"))
    result = json.loads(next((work / "live").glob("*/result.json")).read_text())
    ends = [r["end_s"] for r in result["reps"]]
    t_pick = (ends[len(ends) // 2] + 0.3) if ends else None
    best = None
    with av.open(str(rec)) as c:
        for frame in c.decode(video=0):
            t = float(frame.time or 0.0)
            if best is None or (t_pick is not None and abs(t - t_pick) < best[0]):
                best = (abs(t - t_pick) if t_pick is not None else 0.0,
                        frame.to_ndarray(format="rgb24"))
            if t_pick is None:
                break
    save_small(best[1], dest / "live_overlay.png", 960)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("samples", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=HERE, help="folder for the two PNGs")
    args = ap.parse_args()
    for s in args.samples:
        if args.out.resolve() == HERE and "samples" not in s.resolve().parts:
            raise SystemExit(f"{s}: README images come from the project's samples/ only")
    with tempfile.TemporaryDirectory(prefix="glutecv-images-") as tmp:
        work = Path(tmp)
        report_image(args.samples, work, args.out)
        live_image(args.samples[0], work, args.out)


if __name__ == "__main__":
    main()
