"""The rigged human body: anny's mesh, rig and skin weights, posed in plain numpy.

anny (an optional extra) gives the rest-pose mesh and bone heads for a body shape
(phenotype). Everything after that is ours and cheap: forward kinematics over the bone tree
and linear blend skinning with anny's 9 weights per vertex, so a frame poses in a few ms.

Body frame (metres, right-handed): X = the person's left, Y = up (head), Z = forward (belly),
origin at the pelvis, standing in anny's rest A-pose. A pose gives each bone a world rotation
(3x3, mapping rest body-frame vectors to the world) and the pelvis a world position.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from glutecv.errors import GlutecvError

log = logging.getLogger("glutecv.synth.body")

#: anny body-shape parameters (0..1; 0.5 is average) that ``--shape`` may set.
PHENOTYPE_NAMES = ("gender", "age", "muscle", "weight", "height", "proportions")

# anny's rest frame is X left, Y back, Z up; ours is X left, Y up, Z forward.
_ANNY_TO_BODY = np.array([[1.0, 0, 0], [0, 0, 1.0], [0, -1.0, 0]])

_MODEL = None


class SynthExtraMissing(GlutecvError):
    """torch/anny/numba are not installed."""


def anny_cache_dir() -> Path:
    """Where anny keeps its built model cache (outside the repository).

    ``ANNY_CACHE_DIR`` if set, else ``~/.cache/anny``. The first load builds it (about a
    minute on 2 cores); later loads read it in under a second.
    """
    return Path(os.environ.get("ANNY_CACHE_DIR", Path.home() / ".cache" / "anny"))


def cache_is_warm() -> bool:
    """True if anny's model cache has been built already."""
    return any(anny_cache_dir().glob("v*/build_compact_model_data_*.safetensors"))


def _init_warp_quietly(warp) -> None:
    """Initialise warp (anny's skinning kernels) without its native library's one-line
    "CUDA driver not found" notice on stderr: we render on the CPU and never want the GPU.
    warp has no setting for that line, so stderr's file descriptor is pointed at /dev/null
    for the duration of ``warp.init()`` only (anny's own later ``wp.init()`` is then a no-op).
    A failed init still raises, with warp's own message."""
    import sys

    try:
        fd = sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):   # no real stderr (captured): nothing to hide
        warp.init()
        return
    sys.stderr.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), fd)
            warp.init()
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _load_model():
    global _MODEL
    if _MODEL is not None:
        return _MODEL
    try:
        import torch  # noqa: F401
        import warp

        warp.config.log_level = warp.LOG_ERROR  # anny's skinning kernels: no banner
        _init_warp_quietly(warp)
        import anny
    except ImportError as exc:
        raise SynthExtraMissing(
            f"synthetic rendering needs the optional extra ({exc.name} is missing): "
            "install glutecv[synth]") from None
    import anny.paths

    anny.paths.set_anny_cache_path(anny_cache_dir())
    if not cache_is_warm():
        log.info("building anny's body-model cache in %s (once, about a minute)",
                 anny_cache_dir())
    start = time.perf_counter()
    _MODEL = anny.Anny()
    log.debug("anny model loaded in %.1f s", time.perf_counter() - start)
    return _MODEL


@dataclass(frozen=True)
class RestBody:
    """One body shape in its rest pose, in the body frame (see module docstring)."""

    vertices: np.ndarray        # (V, 3) rest vertices, metres
    faces: np.ndarray           # (F, 3) triangle vertex indices
    heads: np.ndarray           # (B, 3) rest bone heads, metres
    parents: np.ndarray         # (B,) parent bone index, -1 for the root
    bone_names: tuple[str, ...]
    weights: np.ndarray         # (V, K) skin weights
    weight_bones: np.ndarray    # (V, K) bone index per weight
    dominant_bone: np.ndarray   # (V,) bone with the largest weight

    def bone(self, name: str) -> int:
        """Index of bone ``name`` (e.g. ``"upperleg01.L"``)."""
        return self.bone_names.index(name)

    @property
    def sole_height(self) -> float:
        """Height of the ankle (``foot`` bone head) above the sole when standing, metres."""
        return float(self.heads[self.bone("foot.L"), 1] - self.vertices[:, 1].min())


def load_rest_body(shape: dict[str, float] | None = None) -> RestBody:
    """Build the rest body for anny phenotype values ``shape`` (missing names = 0.5)."""
    import torch

    shape = dict(shape or {})
    unknown = set(shape) - set(PHENOTYPE_NAMES)
    if unknown:
        raise GlutecvError(f"unknown body-shape parameter(s) {', '.join(sorted(unknown))}; "
                           f"choose from: {', '.join(PHENOTYPE_NAMES)}")
    model = _load_model()
    with torch.no_grad():
        out = model(pose_parameters=None,
                    phenotype_kwargs={k: float(v) for k, v in shape.items()} or None)
        faces = model.get_triangular_faces().cpu().numpy().astype(np.int64)
    to_body = _ANNY_TO_BODY
    # Rounded to 1 micrometre: torch's last-bit results can depend on memory layout, and a
    # clip must not depend on what the process rendered before it.
    vertices = np.round(out["rest_vertices"][0].cpu().numpy().astype(np.float64) @ to_body.T,
                        6)
    heads = np.round(out["rest_bone_heads"][0].cpu().numpy().astype(np.float64) @ to_body.T, 6)
    weights = np.array(model.vertex_bone_weights.cpu().numpy(), dtype=np.float64)
    weight_bones = model.vertex_bone_indices.cpu().numpy().astype(np.int64)
    dominant = weight_bones[np.arange(len(weights)), weights.argmax(axis=1)]
    return RestBody(
        vertices=vertices, faces=faces, heads=heads,
        parents=np.asarray(model.bone_parents, dtype=np.int64),
        bone_names=tuple(model.bone_labels), weights=weights, weight_bones=weight_bones,
        dominant_bone=dominant,
    )


def forward_kinematics(
    rest: RestBody, world_rotations: dict[str, np.ndarray], pelvis_position: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-bone world rotations (B, 3, 3) and translations (B, 3) of the skinning transforms.

    ``world_rotations`` maps bone names to their world rotation; a bone not named keeps its
    parent's rotation (it moves rigidly with the parent). The root is placed so the pelvis
    (rest origin) lands at ``pelvis_position``. Transform of bone j: x -> R_j x + t_j, with
    the bone head staying attached to its parent: t_j = p_j - R_j h_j, where p_j is where
    the parent's transform carries the rest head h_j.
    """
    n = len(rest.bone_names)
    rotations = np.empty((n, 3, 3))
    translations = np.empty((n, 3))
    for j in range(n):
        parent = rest.parents[j]
        head = rest.heads[j]
        given = world_rotations.get(rest.bone_names[j])
        if parent < 0:
            rot = given if given is not None else np.eye(3)
            placed = np.asarray(pelvis_position, float) + rot @ (head - rest.heads[0])
        else:
            rot = given if given is not None else rotations[parent]
            placed = rotations[parent] @ head + translations[parent]
        rotations[j] = rot
        translations[j] = placed - rot @ head
    return rotations, translations


def skin(rest: RestBody, rotations: np.ndarray, translations: np.ndarray) -> np.ndarray:
    """Linear blend skinning: posed vertices (V, 3) for per-bone transforms from FK."""
    affine = np.concatenate([rotations, translations[:, :, None]], axis=2)  # (B, 3, 4)
    blended = np.zeros((len(rest.vertices), 3, 4))
    for k in range(rest.weights.shape[1]):
        blended += rest.weights[:, k, None, None] * affine[rest.weight_bones[:, k]]
    v = rest.vertices
    return (blended[:, :, 0] * v[:, 0:1] + blended[:, :, 1] * v[:, 1:2]
            + blended[:, :, 2] * v[:, 2:3] + blended[:, :, 3])


def posed_heads(rest: RestBody, rotations: np.ndarray, translations: np.ndarray) -> np.ndarray:
    """World positions (B, 3) of every bone head for the FK transforms."""
    return np.einsum("bij,bj->bi", rotations, rest.heads) + translations
