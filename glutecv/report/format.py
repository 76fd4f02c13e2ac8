"""Text for the report: metric names with units, numbers, fault descriptions, escaping.

Every string that comes from a result file goes through :func:`esc` before it reaches HTML.
"""

from __future__ import annotations

import html
import math
from typing import Any

from glutecv.results import Fault

#: Metric-name suffix -> unit shown in headers and cells.
UNITS: dict[str, str] = {"deg": "°", "s": "s", "ms": "ms", "cm": "cm", "m": "m", "mm": "mm",
                         "pct": "%", "percent": "%", "hz": "Hz", "ratio": "", "px": "px",
                         "deg_s": "°/s", "n": ""}

_ACRONYMS = {"rom": "ROM", "fppa": "FPPA", "asis": "ASIS", "l": "L", "r": "R"}


def esc(value: Any) -> str:
    """HTML-escape anything (quotes too, so it is safe in attributes)."""
    return html.escape(str(value), quote=True)


def split_unit(name: str) -> tuple[str, str]:
    """``"rom_deg"`` -> (``"rom"``, ``"°"``); a name without a known unit keeps it all."""
    for suffix in sorted(UNITS, key=len, reverse=True):
        if name.endswith("_" + suffix):
            return name[: -len(suffix) - 1], UNITS[suffix]
    return name, ""


def nice_name(name: str) -> str:
    """``"peak_hip_extension"`` -> ``"Peak hip extension"`` (acronyms kept upper case)."""
    words = [_ACRONYMS.get(w, w) for w in name.replace("-", "_").replace(".", "_").split("_")
             if w]
    if not words:
        return name
    first = words[0] if words[0].isupper() else words[0].capitalize()
    return " ".join([first, *words[1:]])


def metric_label(name: str) -> str:
    """A column header: ``"rom_deg"`` -> ``"ROM (°)"``."""
    base, unit = split_unit(name)
    return f"{nice_name(base)} ({unit})" if unit else nice_name(base)


def num(x: float | None, digits: int = 1) -> str:
    """A number for a table cell; an en dash when unknown."""
    if x is None or not isinstance(x, int | float) or not math.isfinite(x):
        return "–"
    return f"{x:.{digits}f}"


def with_unit(x: float, unit: str, digits: int = 1) -> str:
    """``14.2°`` or ``0.8 s``; units in words (``deg``) become symbols."""
    unit = UNITS.get(unit, unit)
    text = num(x, digits)
    if text == "–" or not unit:
        return text
    return f"{text}{unit}" if unit in ("°", "%") else f"{text} {unit}"


def fault_name(code: str) -> str:
    """``"knee_valgus"`` -> ``"Knee valgus"``."""
    return nice_name(code)


def fault_detail(f: Fault) -> str:
    """``"14.2° (limit 10.0°)"``: the measured value against its threshold."""
    return f"{with_unit(f.value, f.unit)} (limit {with_unit(f.threshold, f.unit)})"


def clock(t_s: float) -> str:
    """``"1:05.3"`` for 65.3 seconds (minutes:seconds.tenths)."""
    if not math.isfinite(t_s):
        return "–"
    m, s = divmod(max(t_s, 0.0), 60.0)
    return f"{int(m)}:{s:04.1f}"


def side_label(side: str) -> str:
    """``"left"`` -> ``"Left"``; ``"both"`` -> ``"Both"``."""
    return side.capitalize()
