"""Errors a user can act on.

Every failure caused by input (a missing file, a corrupt video, an unknown exercise name) is
raised as a :class:`GlutecvError` subclass whose message is one plain sentence. The CLI prints
that sentence and exits non-zero; it never shows a traceback unless ``--verbose`` is given.
"""

from __future__ import annotations

from collections.abc import Iterable


class GlutecvError(Exception):
    """Base class of every error glutecv reports to the user as a single line."""

    exit_code = 2


class InputError(GlutecvError):
    """An input path is missing, unreadable, or not what it claims to be."""


class VideoError(InputError):
    """A video cannot be opened or decoded."""


class ModelError(GlutecvError):
    """A pose model is missing, corrupt, or fails its checksum."""


class CameraError(GlutecvError):
    """A camera cannot be opened, or stopped delivering frames."""


class OutputError(GlutecvError):
    """An output location cannot be written."""


class UnknownNameError(GlutecvError, KeyError):
    """A name (exercise, model, ...) is not one of the known ones; the message lists them."""

    def __init__(self, kind: str, name: str, known: Iterable[str]) -> None:
        self.kind, self.name, self.known = kind, name, sorted(known)
        super().__init__(f"unknown {kind} {name!r}; choose one of: {', '.join(self.known)}")

    def __str__(self) -> str:  # KeyError would otherwise add quotes
        return str(self.args[0])
