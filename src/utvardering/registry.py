"""The registry of report types, which the batch runner and publishing read.

A report type is found in one of two ways, like papermill's engines:

* a package of ``utvardering`` with a module ``report_type.py`` that defines ``REPORT_TYPE``
  (a :class:`~utvardering.protocol.ReportType`): adding a report is that package and its
  notebook, nothing else;
* the entry point group ``utvardering.reports`` of another installed package, whose entry
  points name ``ReportType`` objects (``module:ATTRIBUTE``).

:func:`register` adds one by hand (tests do). Report types are loaded on first use, so that
the command line starts without importing the reports' libraries.
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING

import utvardering
from utvardering.errors import ReportError

if TYPE_CHECKING:
    from utvardering.protocol import ReportType

__all__ = ["ENTRY_POINT_GROUP", "in_memory", "register", "report_type", "report_types"]

ENTRY_POINT_GROUP = "utvardering.reports"
_MODULE = "report_type"

_registered: dict[str, ReportType] = {}
_loaded = False


def register(kind: ReportType, *, replace: bool = False) -> ReportType:
    """Add a report type; two types with one name are an error unless ``replace``."""
    if not isinstance(kind, _report_type()):
        raise ReportError(f"Bara en ReportType kan registreras; fick {type(kind).__name__}.")
    if kind.name in _registered and not replace and _registered[kind.name] is not kind:
        raise ReportError(f"Rapporttypen {kind.name!r} finns redan i registret.")
    _registered[kind.name] = kind
    return kind


def _builtin_modules() -> list[str]:
    """The ``utvardering.<package>.report_type`` modules, found without importing packages."""
    found = []
    for package in pkgutil.iter_modules(utvardering.__path__):
        if not package.ispkg:
            continue
        folder = Path(package.module_finder.path) / package.name  # type: ignore[union-attr]
        if any(m.name == _MODULE for m in pkgutil.iter_modules([str(folder)])):
            found.append(f"utvardering.{package.name}.{_MODULE}")
    return sorted(found)


def _report_type() -> type:
    # imported where types are added or loaded, which loads pandas: a kor process that reads
    # its reports from the cache (batch.reportcache) never does
    from utvardering.protocol import ReportType

    return ReportType


def _load() -> None:
    global _loaded
    if _loaded:
        return
    for module in _builtin_modules():
        kind = getattr(importlib.import_module(module), "REPORT_TYPE", None)
        if not isinstance(kind, _report_type()):
            raise ReportError(f"{module} definierar ingen REPORT_TYPE (en ReportType).")
        register(kind, replace=True)
    for point in entry_points(group=ENTRY_POINT_GROUP):
        try:
            kind = point.load()
        except Exception as exc:  # a broken plug-in must not stop the built-in reports
            raise ReportError(
                f"Rapporttypen {point.name!r} från paketet {point.value} går inte att läsa in "
                f"({type(exc).__name__}: {exc})."
            ) from exc
        register(kind, replace=True)
    _loaded = True


def in_memory() -> bool:
    """Whether report types are in this process already (loaded, or registered by hand): then
    they, not any cache of what was found before, are what the reports are."""
    return _loaded or bool(_registered)


def report_types() -> dict[str, ReportType]:
    """Every registered report type by name: region reports first, each level in ``order``."""
    _load()
    kinds = sorted(_registered.values(), key=lambda k: (k.level != "region", k.order, k.name))
    return {k.name: k for k in kinds}


def report_type(name: str) -> ReportType:
    """The report type ``name``, or a ReportError in Swedish that lists those that exist."""
    kinds = report_types()
    if name not in kinds:
        raise ReportError(
            f"Det finns ingen rapporttyp {name!r}; rapporttyperna är {', '.join(kinds)}."
        )
    return kinds[name]
