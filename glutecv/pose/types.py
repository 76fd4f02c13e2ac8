"""Pose data as frozen dataclasses of numpy arrays.

A :class:`PoseFrame` is one person's 33 landmarks at one instant; a :class:`PoseSequence` is a
whole clip, one row per decoded frame. Frames where nobody was found are kept, filled with NaN,
so that row ``i`` is always frame ``i`` of the video.

Units: ``image`` in pixels of the upright frame (x right, y down, z in pixels on the same scale as
x, relative to the hips, as BlazePose reports it), ``world`` in metres (origin between the hips,
y down), ``visibility`` and ``presence`` in [0, 1], ``t_s`` in seconds from the container's own
timestamps.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from glutecv.errors import InputError
from glutecv.landmarks import NUM_LANDMARKS, Landmark

NPZ_FORMAT = "glutecv.pose_sequence"
NPZ_VERSION = 1


def _check_shape(name: str, arr: np.ndarray, expected: tuple[int | None, ...]) -> None:
    ok = arr.ndim == len(expected) and all(
        e is None or e == s for e, s in zip(expected, arr.shape, strict=True)
    )
    if not ok:
        want = "(" + ", ".join("N" if e is None else str(e) for e in expected) + ")"
        raise ValueError(f"{name}: expected shape {want}, got {arr.shape}")


@dataclass(frozen=True)
class PoseFrame:
    """One person's landmarks in one frame. ``image``/``world`` are (33, 3), scores (33,)."""

    t_s: float
    image: np.ndarray
    world: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    index: int = 0

    def __post_init__(self) -> None:
        _check_shape("image", self.image, (NUM_LANDMARKS, 3))
        _check_shape("world", self.world, (NUM_LANDMARKS, 3))
        _check_shape("visibility", self.visibility, (NUM_LANDMARKS,))
        _check_shape("presence", self.presence, (NUM_LANDMARKS,))

    @property
    def detected(self) -> bool:
        """True when a person was found in this frame."""
        return bool(np.isfinite(self.image[Landmark.LEFT_HIP, 0]))

    @classmethod
    def missing(cls, t_s: float, index: int = 0) -> PoseFrame:
        """A frame in which nobody was found: every value NaN, scores 0."""
        nan3 = np.full((NUM_LANDMARKS, 3), np.nan)
        zeros = np.zeros(NUM_LANDMARKS)
        return cls(t_s, nan3, nan3.copy(), zeros, zeros.copy(), index)


@dataclass(frozen=True)
class PoseSequence:
    """A clip's landmarks: ``t_s`` (N,), ``image``/``world`` (N, 33, 3), scores (N, 33).

    ``width``/``height`` are the upright frame size in pixels; ``meta`` records where the data
    came from (source video, model, glutecv version).
    """

    t_s: np.ndarray
    image: np.ndarray
    world: np.ndarray
    visibility: np.ndarray
    presence: np.ndarray
    width: int
    height: int
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        n = self.t_s.shape[0] if self.t_s.ndim == 1 else -1
        _check_shape("t_s", self.t_s, (None,))
        _check_shape("image", self.image, (n, NUM_LANDMARKS, 3))
        _check_shape("world", self.world, (n, NUM_LANDMARKS, 3))
        _check_shape("visibility", self.visibility, (n, NUM_LANDMARKS))
        _check_shape("presence", self.presence, (n, NUM_LANDMARKS))
        if n > 1 and not np.all(np.diff(self.t_s) > 0):
            raise ValueError("t_s: times must be strictly increasing")

    def __len__(self) -> int:
        return int(self.t_s.shape[0])

    def __getitem__(self, i: int) -> PoseFrame:
        return PoseFrame(
            float(self.t_s[i]), self.image[i], self.world[i],
            self.visibility[i], self.presence[i], int(i),
        )

    @property
    def detected(self) -> np.ndarray:
        """Boolean (N,): a person was found in the frame."""
        return np.isfinite(self.image[:, Landmark.LEFT_HIP, 0])

    @property
    def fps(self) -> float:
        """Mean frame rate from the timestamps (NaN for fewer than two frames)."""
        if len(self) < 2:
            return float("nan")
        return float((len(self) - 1) / (self.t_s[-1] - self.t_s[0]))

    def slice(self, start: int, stop: int) -> PoseSequence:
        """Rows ``start:stop`` as a new sequence (same size and meta)."""
        s = np.s_[start:stop]
        return PoseSequence(
            self.t_s[s], self.image[s], self.world[s], self.visibility[s],
            self.presence[s], self.width, self.height, dict(self.meta),
        )

    def with_arrays(self, **arrays: np.ndarray) -> PoseSequence:
        """A copy with some arrays replaced (used by filters)."""
        fields = dict(
            t_s=self.t_s, image=self.image, world=self.world, visibility=self.visibility,
            presence=self.presence, width=self.width, height=self.height, meta=dict(self.meta),
        )
        fields.update(arrays)
        return PoseSequence(**fields)

    def writable_copy(self, name: str, dtype: Any = None) -> np.ndarray:
        """A writable copy of one array (``"image"``, ``"world"``, ``"visibility"`` ...),
        converted to ``dtype`` if given (additive).

        For a sequence mapped from disk (:mod:`glutecv.pose.store`) the copy is a private
        copy-on-write map of the same file: only the parts written take memory, so a filter
        that changes a few landmarks of an hour-long clip does not copy all 33.
        """
        from glutecv.pose.store import copy_on_write

        arr = getattr(self, name)
        if dtype is None or np.dtype(dtype) == np.float64:
            cow = copy_on_write(arr)
            if cow is not None:
                return cow
        return np.array(arr, dtype=dtype)

    @classmethod
    def from_frames(
        cls, frames: list[PoseFrame], width: int, height: int, meta: dict[str, Any] | None = None
    ) -> PoseSequence:
        """Stack frames into a sequence."""
        if not frames:
            empty3 = np.zeros((0, NUM_LANDMARKS, 3))
            empty = np.zeros((0, NUM_LANDMARKS))
            return cls(np.zeros(0), empty3, empty3.copy(), empty, empty.copy(), width, height,
                       meta or {})
        return cls(
            np.array([f.t_s for f in frames], dtype=np.float64),
            np.stack([f.image for f in frames]).astype(np.float64),
            np.stack([f.world for f in frames]).astype(np.float64),
            np.stack([f.visibility for f in frames]).astype(np.float64),
            np.stack([f.presence for f in frames]).astype(np.float64),
            int(width), int(height), dict(meta or {}),
        )

    # --- persistence -----------------------------------------------------------------------
    def save_npz(self, path: str | Path) -> None:
        """Write to ``path`` atomically (compressed npz, exact float64 round trip).

        Written a block of rows at a time (:mod:`glutecv.pose.npz_stream`): the same file
        ``numpy.savez_compressed`` writes, without a whole-array copy in memory.
        """
        from glutecv.io.atomic import atomic_path
        from glutecv.pose.npz_stream import write_npz

        header = {"format": NPZ_FORMAT, "version": NPZ_VERSION, "width": self.width,
                  "height": self.height, "meta": self.meta}
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            write_npz(self, fh, header)

    @classmethod
    def load_npz(cls, path: str | Path, *, on_disk: bool = False,
                 directory: str | Path | None = None) -> PoseSequence:
        """Read a file written by :meth:`save_npz`; a wrong or damaged file is an InputError.

        ``on_disk=True`` (additive): the rows go to a temporary file in ``directory``
        (:class:`glutecv.pose.store.LandmarkStore`) a block at a time and come back as
        read-only arrays mapped from it, so a long clip is not held in memory.
        """
        path = Path(path)
        if not path.is_file():
            raise InputError(f"{path}: no such landmark file")
        store = None
        try:
            if on_disk:
                from glutecv.pose.npz_stream import read_npz_to_store

                got = read_npz_to_store(path, directory)
                if got is not None:
                    header, store = got
            if store is None:
                with np.load(path, allow_pickle=False) as z:
                    header = json.loads(str(z["header"]))
                    arrays = {k: np.asarray(z[k], dtype=np.float64)
                              for k in ("t_s", "image", "world", "visibility", "presence")}
        except InputError:
            raise
        except Exception as exc:  # zip, key or json errors all mean the same to the user
            raise InputError(
                f"{path}: not a glutecv landmark file ({exc.__class__.__name__})"
            ) from None
        if header.get("format") != NPZ_FORMAT:
            raise InputError(f"{path}: not a glutecv landmark file")
        if header.get("version") != NPZ_VERSION:
            raise InputError(
                f"{path}: landmark file version {header.get('version')} is not supported "
                f"(this glutecv reads version {NPZ_VERSION})"
            )
        try:
            meta = dict(header.get("meta") or {})
            if store is not None:
                seq = store.to_sequence(int(header["width"]), int(header["height"]), meta)
                store.close()
                return seq
            return cls(**arrays, width=int(header["width"]), height=int(header["height"]),
                       meta=meta)
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}: damaged landmark file: {exc}") from None
