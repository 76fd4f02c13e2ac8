"""Shared helpers for the synthetic-studio tests: tiny, fast clips and truth look-ups."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

MISSING_EXTRA = [m for m in ("torch", "anny", "numba") if importlib.util.find_spec(m) is None]


def require_synth_extra() -> None:
    """Skip the calling test module when the glutecv[synth] extra is not installed."""
    if MISSING_EXTRA:
        pytest.skip(f"needs the glutecv[synth] extra ({', '.join(MISSING_EXTRA)} not "
                    "installed)", allow_module_level=True)


def tiny_clip(out_dir: Path, exercise: str, name: str = "clip", **kw) -> tuple[dict, Path]:
    """Render a very small, short clip (64x48 @ 8 fps, half-second phases); returns
    (ground truth, video path). Keyword arguments override :class:`ClipSpec` fields;
    ``faults`` may be given as ``CODE:SIZE[@REPS]`` strings."""
    from glutecv.synth.faults import parse_fault
    from glutecv.synth.studio import ClipSpec, render_clip
    from glutecv.synth.writer import write_truth

    faults = [parse_fault(f) if isinstance(f, str) else f for f in kw.pop("faults", [])]
    options = dict(reps=2, rise_s=0.5, lower_s=0.5, hold_s=0.5, rest_s=0.2, width=64,
                   height=48, fps=8.0, seed=1)
    options.update(kw)
    spec = ClipSpec(exercise, faults=faults, **options)
    path = Path(out_dir) / f"{name}.mp4"
    truth = render_clip(spec, path)
    write_truth(path, truth)
    return truth, path


def hold_frames(truth: dict, rep: int) -> list[dict]:
    """Frames of ``rep`` at the top of its range (inside the hold)."""
    r = truth["reps"][rep - 1]
    return [f for f in truth["frames"]
            if f["rep"] == rep and abs(f["progress"] - r["progress_peak"]) < 1e-6]


def angle_at_top(truth: dict, rep: int, key: str, side: str | None = None) -> float:
    """A true angle at the first frame of ``rep``'s hold."""
    frames = hold_frames(truth, rep)
    assert frames, f"rep {rep} has no frame inside its hold"
    value = frames[0]["angles"][key]
    return float(value[side] if side else value)
