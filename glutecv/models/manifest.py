"""The pinned checksum manifest (``models/manifest.json``) and sha256 checks against it.

The manifest pins every input of the model build (the npm tarball and the files taken from it)
and every bundle it produces, by sha256 and size in bytes. Any mismatch is a
:class:`~glutecv.errors.ModelError` naming the file, the expected and the actual hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glutecv.errors import ModelError
from glutecv.models.paths import manifest_path


@dataclass(frozen=True)
class Pin:
    """Expected sha256 (hex) and size (bytes) of one file."""

    sha256: str
    size: int


@dataclass(frozen=True)
class BundleRecipe:
    """How one bundle is made: which landmark model goes with the shared detector."""

    filename: str
    landmark_model: str
    pin: Pin


@dataclass(frozen=True)
class Manifest:
    """Everything the builder needs to know, as committed in ``models/manifest.json``."""

    package: str
    tarball: str
    tarball_pin: Pin
    detector_model: str
    inputs: dict[str, Pin]
    bundles: dict[str, BundleRecipe]
    flatbuffers_version: str | None = None  # the serializer the bundle pins were made with

    @classmethod
    def load(cls, path: Path | None = None) -> Manifest:
        """Read and validate the manifest; a malformed one is a ModelError."""
        path = path or manifest_path()
        try:
            raw: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return cls(
                package=raw["package"],
                tarball=raw["tarball"]["name"],
                tarball_pin=_pin(raw["tarball"]),
                detector_model=raw["detector_model"],
                inputs={name: _pin(v) for name, v in raw["inputs"].items()},
                bundles={
                    name: BundleRecipe(v["file"], v["landmark_model"], _pin(v))
                    for name, v in raw["bundles"].items()
                },
                flatbuffers_version=raw.get("built_with", {}).get("flatbuffers"),
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelError(f"cannot read model manifest {path}: {exc}") from None


def _pin(entry: dict[str, Any]) -> Pin:
    return Pin(sha256=str(entry["sha256"]).lower(), size=int(entry["size"]))


def sha256_bytes(data: bytes) -> str:
    """Hex sha256 of ``data``."""
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def check_digest(label: str, actual_sha256: str, pin: Pin) -> None:
    """Raise a ModelError naming ``label`` unless ``actual_sha256`` is the pinned one."""
    if actual_sha256.lower() != pin.sha256:
        raise ModelError(
            f"checksum mismatch for {label}: expected sha256 {pin.sha256}, got {actual_sha256}"
        )
