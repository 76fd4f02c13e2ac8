"""The exercise registry: exercise name -> analyzer class, discovered lazily.

Every module ``glutecv/exercises/<name>.py`` (other than ``base``, ``common`` and private
``_*`` modules) is one exercise named ``<name>``. It exposes its analyzer class either as a
module attribute ``ANALYZER`` or as the :class:`~glutecv.exercises.base.Analyzer` subclass whose
``name`` equals the module name. Modules are imported only when an analyzer is asked for, so
listing names is cheap and adding an exercise means adding one file.

    >>> from glutecv.exercises import get_analyzer, names
    >>> analyzer = get_analyzer("hip_thrust")            # default config
    >>> analyzer = get_analyzer("clamshell", side="left")

An unknown name raises :class:`glutecv.errors.UnknownNameError` listing the known ones.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from glutecv.errors import UnknownNameError
from glutecv.exercises.base import Analyzer

_NOT_EXERCISES = frozenset({"base", "common"})


def names() -> list[str]:
    """Names of the exercises that have a module, sorted."""
    here = str(Path(__file__).parent)
    return sorted(
        m.name for m in pkgutil.iter_modules([here])
        if not m.name.startswith("_") and m.name not in _NOT_EXERCISES and not m.ispkg
    )


def analyzer_class(name: str) -> type[Analyzer]:
    """The analyzer class for ``name`` (imports its module on first use)."""
    known = names()
    if name not in known:
        raise UnknownNameError("exercise", name, known)
    module = importlib.import_module(f"glutecv.exercises.{name}")
    cls = getattr(module, "ANALYZER", None)
    if cls is None:
        cls = next((obj for obj in vars(module).values()
                    if isinstance(obj, type) and issubclass(obj, Analyzer)
                    and getattr(obj, "name", None) == name), None)
    if cls is None:
        raise UnknownNameError("exercise", name, [n for n in known if n != name])
    return cls


def get_analyzer(name: str, **kwargs: Any) -> Analyzer:
    """A new analyzer for exercise ``name``; ``kwargs`` go to its constructor
    (``config=...``, ``side=...``)."""
    return analyzer_class(name)(**kwargs)


class _LazyRegistry(Mapping[str, type[Analyzer]]):
    """Read-only mapping name -> analyzer class that imports modules on access."""

    def __getitem__(self, name: str) -> type[Analyzer]:
        return analyzer_class(name)

    def __iter__(self) -> Iterator[str]:
        return iter(names())

    def __len__(self) -> int:
        return len(names())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in names()


#: ``ANALYZERS["hip_thrust"]`` -> the class; iterating lists the names.
ANALYZERS: Mapping[str, type[Analyzer]] = _LazyRegistry()

__all__ = ["ANALYZERS", "analyzer_class", "get_analyzer", "names"]
