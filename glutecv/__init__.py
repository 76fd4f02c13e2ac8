"""glutecv: an offline computer-vision form checker for glute and knee-alignment exercises.

Importing the package has no side effects and pulls in no heavy dependency; mediapipe,
PyAV and torch are imported only by the modules that use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # pragma: no cover
    from glutecv.results import AnalysisResult


def analyze(path: Any, exercise: str = "auto", **kwargs: Any) -> AnalysisResult:
    """Analyse one video or ``.npz`` landmark file and return its :class:`AnalysisResult`.

    Thin wrapper over :func:`glutecv.pipeline.analyze_path` so that ``glutecv.analyze`` is
    the one-line Python API; see that function for the keyword arguments.
    """
    from glutecv.pipeline import analyze_path

    return analyze_path(path, exercise=exercise, **kwargs)


__all__ = ["__version__", "analyze"]
