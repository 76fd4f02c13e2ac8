"""What an analysis produces, and its JSON form (``result.json``).

These dataclasses are the contract between the analyzers (which make them), and the rep table,
annotators, reports and CLI (which read them). ``docs/result_schema.json`` is the JSON Schema of
:meth:`AnalysisResult.to_dict`; bump :data:`SCHEMA_VERSION` whenever that shape changes.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from glutecv.errors import InputError

SCHEMA_VERSION = 1

RepSide = Literal["left", "right", "both"]

#: Every fault code glutecv reports. Analyzers use exactly these strings.
FAULT_CODES: tuple[str, ...] = (
    "knee_valgus",       # knee caves inward (2D frontal plane projection angle above threshold)
    "lumbar_extension",  # the low back arches instead of the hips extending at lockout
    "pelvic_drop",       # single-leg bridge: pelvis sags on the free-leg side
    "pelvis_rotation",   # clamshell: pelvis rolls back as the knee opens
    "trunk_shift",       # fire hydrant: trunk leans or shifts sideways
    "hip_hike",          # fire hydrant: the hip hitches up instead of the thigh abducting
    "incomplete_rom",    # the rep stopped short of the exercise's range of motion
)

#: One short coaching cue per fault, in priority order (first = most important to fix).
#: Live mode shows one cue at a time, the highest-priority active one.
CUES: dict[str, str] = {
    "knee_valgus": "push your knees out",
    "lumbar_extension": "tuck your pelvis, don't arch",
    "pelvic_drop": "keep your hips level",
    "pelvis_rotation": "keep your hips stacked, don't roll back",
    "hip_hike": "lift from the hip, don't hitch it",
    "trunk_shift": "keep your trunk still, don't lean",
    "incomplete_rom": "go through the full range",
}


@dataclass(frozen=True)
class Fault:
    """One fault on one rep: the measured ``value`` crossed ``threshold`` (both in ``unit``)."""

    code: str
    value: float
    threshold: float
    unit: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in FAULT_CODES:
            raise ValueError(f"unknown fault code {self.code!r}; known: {', '.join(FAULT_CODES)}")


@dataclass(frozen=True)
class Rep:
    """One repetition. Times are seconds from the video's start; metrics carry units in names."""

    index: int
    side: RepSide
    start_s: float
    peak_s: float
    end_s: float
    metrics: dict[str, float] = field(default_factory=dict)
    faults: tuple[Fault, ...] = ()

    @property
    def good(self) -> bool:
        """True when the rep has no fault."""
        return not self.faults


@dataclass(frozen=True)
class ViewInfo:
    """How the body was seen: camera view, body orientation, the side facing the camera."""

    camera: str = "unknown"        # side | front | back | oblique | above | unknown
    orientation: str = "unknown"   # standing | supine | side_lying | quadruped | unknown
    facing_side: str | None = None  # left | right: the body side nearer the camera
    working_side: str | None = None  # left | right | both
    confidence: float = 0.0
    unsupported: dict[str, str] = field(default_factory=dict)  # metric -> why not measurable


@dataclass(frozen=True)
class ThresholdLine:
    """A threshold to draw as a dashed line on the chart of one per-frame series.

    ``value`` is in the series' unit. ``relative_to`` says what it is measured from:
    ``None`` = the series' own scale (a limit on the angle itself, e.g. the hip line at
    lockout); ``"rep_start"`` = a change from the rep's start (range of motion, a roll-back),
    drawn during each rep at the series' value at that rep's start + ``value``.
    Analyzers declare these with :func:`glutecv.exercises.common.plot_line`.
    """

    label: str
    value: float
    relative_to: Literal["rep_start"] | None = None

    def __post_init__(self) -> None:
        if self.relative_to not in (None, "rep_start"):
            raise ValueError(f"unknown relative_to {self.relative_to!r}; known: rep_start")


class FrameSeries(Sequence[float]):
    """A per-frame series that reads like a list of floats but is held as one float64 array
    (8 bytes a frame instead of ~32 for a list of Python floats: an hour at 30 fps has ~1.3
    million series values). Items are Python floats, a slice is a list, ``==`` compares with
    lists element by element, and ``numpy.asarray`` gives a copy of the array (additive)."""

    def __init__(self, values: Any) -> None:
        self._values = np.asarray(values, dtype=np.float64).ravel()

    def __len__(self) -> int:
        return int(self._values.shape[0])

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return self._values[i].tolist()
        return float(self._values[i])

    def __iter__(self) -> Iterator[float]:
        for start in range(0, len(self), 4096):  # Python floats a block at a time
            yield from self._values[start:start + 4096].tolist()

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.array(self._values, dtype=dtype)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrameSeries | list | tuple):
            return len(self) == len(other) and list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, like a list

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrameSeries, (self._values,))

    def __repr__(self) -> str:
        return f"FrameSeries({len(self)} values)"

    def tolist(self) -> list[float]:
        """The values as a list of Python floats."""
        return self._values.tolist()


@dataclass(frozen=True)
class AnalysisResult:
    """Everything known about one analysed video (or landmark file)."""

    source: str
    video: dict[str, Any]               # width, height, fps, frames, duration_s, rotation...
    exercise: str
    exercise_source: Literal["given", "recognised"]
    exercise_confidence: float
    view: ViewInfo
    reps: tuple[Rep, ...]
    warnings: tuple[str, ...] = ()
    # "t_s" + per-frame angles: lists of floats, or FrameSeries (compact) from the pipeline
    series: dict[str, Sequence[float]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)    # config: name -> value
    display: dict[str, str] = field(default_factory=dict)  # series key -> overlay/plot label
    model: str | None = None
    glutecv_version: str = ""
    # series key -> the threshold lines its chart shows (declared by the analyzer; only these
    # are drawn). Added after schema 1 shipped: absent in older files, which load with none.
    plot_thresholds: dict[str, tuple[ThresholdLine, ...]] = field(default_factory=dict)

    # --- summary ---------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """Rep count, reps by side, and how many reps carried each fault."""
        by_side: dict[str, int] = {}
        faults: dict[str, int] = {}
        for rep in self.reps:
            by_side[rep.side] = by_side.get(rep.side, 0) + 1
            for f in rep.faults:
                faults[f.code] = faults.get(f.code, 0) + 1
        return {
            "rep_count": len(self.reps),
            "reps_by_side": by_side,
            "fault_counts": faults,
            "good_reps": sum(r.good for r in self.reps),
        }

    # --- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The ``result.json`` document (NaN becomes null when written)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "glutecv_version": self.glutecv_version,
            "source": self.source,
            "video": self.video,
            "model": self.model,
            "exercise": {"name": self.exercise, "source": self.exercise_source,
                         "confidence": self.exercise_confidence},
            "view": asdict(self.view),
            "reps": [
                {**{k: v for k, v in asdict(r).items() if k != "faults"},
                 "good": r.good, "faults": [asdict(f) for f in r.faults]}
                for r in self.reps
            ],
            "summary": self.summary(),
            "warnings": list(self.warnings),
            "thresholds": self.thresholds,
            "display": self.display,
            "plot_thresholds": {k: [asdict(line) for line in lines]
                                for k, lines in self.plot_thresholds.items()},
            "series": {k: v.tolist() if isinstance(v, FrameSeries) else v
                       for k, v in self.series.items()},
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> AnalysisResult:
        """Inverse of :meth:`to_dict` (nulls come back as NaN in numbers)."""
        if d.get("schema_version") != SCHEMA_VERSION:
            raise InputError(
                f"result schema version {d.get('schema_version')!r} is not supported "
                f"(this glutecv reads version {SCHEMA_VERSION})"
            )
        nan = math.nan

        def num(x: Any) -> float:
            return nan if x is None else float(x)

        reps = tuple(
            Rep(
                index=int(r["index"]), side=r["side"], start_s=num(r["start_s"]),
                peak_s=num(r["peak_s"]), end_s=num(r["end_s"]),
                metrics={k: num(v) for k, v in r.get("metrics", {}).items()},
                faults=tuple(
                    Fault(f["code"], num(f["value"]), num(f["threshold"]), f["unit"],
                          f["message"])
                    for f in r.get("faults", [])
                ),
            )
            for r in d["reps"]
        )
        ex = d["exercise"]
        return cls(
            source=d["source"], video=d["video"], exercise=ex["name"],
            exercise_source=ex["source"], exercise_confidence=num(ex["confidence"]),
            view=ViewInfo(**d["view"]), reps=reps, warnings=tuple(d.get("warnings", [])),
            series={k: [num(x) for x in v] for k, v in d.get("series", {}).items()},
            thresholds={k: num(v) for k, v in d.get("thresholds", {}).items()},
            display=dict(d.get("display", {})),
            model=d.get("model"), glutecv_version=d.get("glutecv_version", ""),
            plot_thresholds={
                k: tuple(ThresholdLine(str(x["label"]), num(x["value"]), x.get("relative_to"))
                         for x in v)
                for k, v in d.get("plot_thresholds", {}).items()},
        )

    def save(self, path: str | Path) -> None:
        """Write ``result.json`` atomically."""
        from glutecv.io.atomic import write_json

        write_json(path, self.to_dict())

    @classmethod
    def load(cls, path: str | Path) -> AnalysisResult:
        """Read a ``result.json``; a malformed or wrong-version file is an InputError."""
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such result file")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_dict(data)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"{path}: malformed result file ({exc.__class__.__name__})") from None


@dataclass(frozen=True)
class FrameState:
    """What the overlay shows for one frame: produced live by a streaming analyzer, or replayed
    from a finished :class:`AnalysisResult` by :func:`frame_state_at` for annotated videos.

    ``angles`` maps an overlay label (e.g. ``"L hip"``) to degrees; ``rep_counts`` maps a side
    (``left``/``right``/``both``) to reps completed so far; ``cue`` is the one cue to show now.
    """

    t_s: float
    pose_ok: bool
    phase: str = ""
    angles: dict[str, float] = field(default_factory=dict)
    rep_counts: dict[str, int] = field(default_factory=dict)
    cue: str | None = None
    last_rep: Rep | None = None
    message: str | None = None  # e.g. "no person in view", "camera lost"


def frame_state_at(result: AnalysisResult, i: int, cue_hold_s: float = 2.0) -> FrameState:
    """The overlay state of frame ``i`` of an analysed clip (batch replay, no analysis here).

    Angles come from ``result.series`` (keys in ``result.display``), counts from reps ended by
    this time, and the cue from the most recent rep's highest-priority fault, held
    ``cue_hold_s`` seconds after that rep ends.
    """
    t_series = result.series.get("t_s", [])
    t = float(t_series[i]) if i < len(t_series) else math.nan
    angles = {}
    for key, label in result.display.items():
        values = result.series.get(key)
        if values is not None and i < len(values):
            angles[label] = values[i]
    ok = any(v == v for v in angles.values()) if angles else True
    done = [r for r in result.reps if r.end_s <= t]
    counts: dict[str, int] = {}
    for r in done:
        counts[r.side] = counts.get(r.side, 0) + 1
    last = done[-1] if done else None
    cue = None
    if last is not None and last.faults and t - last.end_s <= cue_hold_s:
        codes = {f.code for f in last.faults}
        cue = next((CUES[c] for c in CUES if c in codes), None)
    phase_values = result.series.get("phase")
    phase = ""
    if phase_values is not None and i < len(phase_values):
        phase = PHASE_NAMES.get(int(phase_values[i]) if phase_values[i] == phase_values[i]
                                else -1, "")
    return FrameState(t, ok, phase, angles, counts, cue, last)


#: Numeric codes of the rep phase stored in ``series["phase"]``.
PHASE_NAMES: dict[int, str] = {-1: "", 0: "rest", 1: "rising", 2: "top", 3: "lowering"}
