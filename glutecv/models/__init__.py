"""Pose models: build the PoseLandmarker ``.task`` bundles and resolve ``--model`` choices.

``resolve_model("full")`` gives the path of a built, checksum-verified bundle;
``build_models()`` makes them from the pinned npm package (see :mod:`glutecv.models.builder`).
"""

from __future__ import annotations

from glutecv.models.builder import build_models
from glutecv.models.paths import DEFAULT_MODEL, MODEL_NAMES, bundle_path, models_dir
from glutecv.models.resolve import (
    MODEL_CHOICES,
    ModelStatus,
    check_task_file,
    model_status,
    resolve_model,
)

__all__ = [
    "DEFAULT_MODEL", "MODEL_CHOICES", "MODEL_NAMES", "ModelStatus", "build_models",
    "bundle_path", "check_task_file", "model_status", "models_dir", "resolve_model",
]
