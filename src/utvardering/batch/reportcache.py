"""The discovered reports and parts, cached in the run's output folder.

Discovering the reports imports every report type (and so pandas, statsmodels and
matplotlib): several seconds that a run with nothing to do should not pay. What discovery
finds depends only on the package's source, the notebooks and the installed report
entry points, so it is kept in ``<utdata>/.cache/rapporter.json`` under a key made of those,
and read back while the key is the same. The file is JSON (never pickle: an output folder
may be shared, and reading it must not run code); a cache that cannot be read or written
only costs the discovery.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import json
import os
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import utvardering
from utvardering import registry
from utvardering.batch.discover import Parameter, Report, discover_parts, discover_reports
from utvardering.batch.fingerprint import code_hash, file_hash, sha256_text

__all__ = ["CACHE_FILE", "cached_discovery", "discovery_key"]

CACHE_FILE = "rapporter.json"
_FORMAT = 2


def discovery_key(notebook_dir: Path) -> str:
    """What discovery depends on: the package's source, the notebooks and the installed
    report entry points (with their distributions' versions)."""
    notebooks = {}
    with contextlib.suppress(OSError):
        for path in sorted(Path(notebook_dir).rglob("*.ipynb")):
            if ".ipynb_checkpoints" not in path.parts:
                notebooks[str(path.relative_to(notebook_dir))] = file_hash(path)
    points = sorted(
        (p.name, p.value, p.dist.name if p.dist else "", p.dist.version if p.dist else "")
        for p in entry_points(group=registry.ENTRY_POINT_GROUP)
    )
    return sha256_text(
        {
            "format": _FORMAT,
            "version": utvardering.__version__,
            "kod": code_hash(),
            "mapp": str(Path(notebook_dir).resolve()),
            "notebookar": notebooks,
            "ingangar": points,
        }
    )


def _encode(report: Report) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in dataclasses.fields(report):
        value = getattr(report, item.name)
        if item.name == "parameters":
            value = {
                name: {"type_name": p.type_name, "default": repr(p.default)}
                for name, p in value.items()
            }
        elif isinstance(value, Path):
            value = str(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[item.name] = value
    return out


def _decode(data: dict[str, Any]) -> Report:
    values: dict[str, Any] = {}
    for item in dataclasses.fields(Report):
        if item.name not in data:
            raise KeyError(item.name)
        value = data[item.name]
        if item.name == "parameters":
            value = {
                name: Parameter(name, ast.literal_eval(p["default"]), p["type_name"])
                for name, p in value.items()
            }
        elif item.name == "path":
            value = Path(value)
        elif isinstance(item.default, tuple) or item.name == "files":
            value = tuple(value)
        values[item.name] = value
    return Report(**values)


def cached_discovery(
    notebook_dir: Path, cache_dir: Path
) -> tuple[dict[str, Report], dict[str, Report]]:
    """:func:`discover_reports` and :func:`discover_parts` of ``notebook_dir``, read from
    ``cache_dir`` when nothing they depend on has changed, and written there when it has.

    Only a process that has not loaded the report types reads the cache (a ``kor`` command):
    once they are loaded, or one is registered by hand, discovery is cheap and the registry in
    memory is the truth."""
    if registry.in_memory():
        reports = discover_reports(notebook_dir)
        return reports, discover_parts(notebook_dir, reports)
    key = discovery_key(notebook_dir)
    path = cache_dir / CACHE_FILE
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError, SyntaxError):
        state = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(state, dict) and state.get("key") == key:
            return (
                {name: _decode(data) for name, data in state["rapporter"].items()},
                {name: _decode(data) for name, data in state["delar"].items()},
            )
    reports = discover_reports(notebook_dir)
    parts = discover_parts(notebook_dir, reports)
    state = {
        "key": key,
        "rapporter": {name: _encode(r) for name, r in reports.items()},
        "delar": {name: _encode(p) for name, p in parts.items()},
    }
    with contextlib.suppress(OSError, TypeError, ValueError):
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    return reports, parts
