"""Find the report notebooks by their metadata, not by a hand-kept list."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from utvardering.errors import ReportError

__all__ = ["NOTEBOOK_DIR", "Parameter", "Report", "discover_reports"]

# The report notebooks of a checkout (commands run from the repository root).
NOTEBOOK_DIR = Path("notebooks")
Level = Literal["region", "nationell"]
# A report name becomes a file name in every job's folder.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Parameter:
    """A parameter of a notebook's ``parameters`` cell, with its default and its type."""

    name: str
    default: Any
    type_name: str  # "str", "int", "float", "bool", "list", "dict" or "any" (default None)


@dataclass(frozen=True)
class Report:
    """A report notebook: its short name (``mognad``), title, level and parameters.

    ``inputs`` maps each table of the data folder the report reads to its scope: ``"region"``
    (only the rows of the job's region matter) or ``"alla"`` (the whole table).
    """

    name: str
    title: str
    level: Level
    path: Path
    parameters: dict[str, Parameter]
    inputs: dict[str, str] | None = None
    order: int = field(default=0, compare=False)


def _type_name(value: Any) -> str:
    if value is None:
        return "any"
    return type(value).__name__


def _parameters(path: Path, notebook: dict) -> dict[str, Parameter]:
    import papermill  # imported here: inspecting is the only use of it at this layer

    try:
        found = papermill.inspect_notebook(str(path))
    except Exception as exc:  # papermill and nbformat raise many kinds for a malformed file
        raise ReportError(
            f"Notebooken {path} går inte att läsa som notebook ({type(exc).__name__}: {exc})."
        ) from exc
    out = {}
    for name, info in found.items():
        try:
            default = ast.literal_eval(info["default"])
        except (ValueError, SyntaxError, TypeError, RecursionError):
            default = None  # an expression: its type is not known before a kernel runs
        out[name] = Parameter(name, default, _type_name(default))
    return out


def discover_reports(notebook_dir: Path | str = NOTEBOOK_DIR) -> dict[str, Report]:
    """Every notebook in ``notebook_dir`` whose metadata names a report, by report name.

    A notebook declares itself with ``metadata.utvardering = {"rapport": "mognad",
    "titel": "Mognadsbedömning", "niva": "region", "indata": {...}}``; other notebooks are
    ignored. Two notebooks with the same report name are an error.
    """
    notebook_dir = Path(notebook_dir)
    reports: dict[str, Report] = {}
    for order, path in enumerate(sorted(notebook_dir.glob("*.ipynb"))):
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            raise ReportError(
                f"Notebooken {path} går inte att läsa ({type(exc).__name__}: {exc}). Rätta "
                "eller ta bort den, eller välj en annan mapp med --notebookar."
            ) from exc
        metadata = notebook.get("metadata") if isinstance(notebook, dict) else None
        meta = metadata.get("utvardering") if isinstance(metadata, dict) else None
        if not isinstance(meta, dict) or "rapport" not in meta:
            continue
        name = str(meta["rapport"])
        if not _SAFE_NAME.match(name):
            raise ReportError(
                f"{path.name}: metadata utvardering.rapport är {name[:60]!r}; ett rapportnamn "
                "är bokstäver, siffror, _ och - (det blir ett filnamn)."
            )
        if name in reports:
            raise ReportError(
                f"Rapporten '{name}' finns i två notebookar: {reports[name].path.name} och "
                f"{path.name}. Ge dem olika namn i metadata (utvardering.rapport)."
            )
        level = meta.get("niva", "region")
        if level not in ("region", "nationell"):
            raise ReportError(
                f"{path.name}: metadata utvardering.niva är '{level}', förväntat 'region' "
                "eller 'nationell'."
            )
        reports[name] = Report(
            name=name,
            title=str(meta.get("titel", name)),
            level=level,
            path=path,
            parameters=_parameters(path, notebook),
            inputs=_inputs(path, meta.get("indata")),
            order=order,
        )
    return reports


_SCOPES = ("region", "alla")


def _inputs(path: Path, inputs: Any) -> dict[str, str] | None:
    """The notebook's declared inputs (table -> scope), checked; None if it declares none."""
    from utvardering.dataset import TABLES

    if inputs is None:
        return None
    if not isinstance(inputs, dict) or not all(
        isinstance(k, str) and v in _SCOPES for k, v in inputs.items()
    ):
        raise ReportError(
            f"{path.name}: metadata utvardering.indata ska vara en mappning från tabell till "
            f"'region' eller 'alla', t.ex. {{\"enkatsvar\": \"region\"}}; fick {inputs!r}."
        )
    unknown = sorted(set(inputs) - set(TABLES))
    if unknown:
        raise ReportError(
            f"{path.name}: metadata utvardering.indata nämner tabeller som inte finns: "
            f"{', '.join(unknown)}. Tabeller: {', '.join(TABLES)}."
        )
    return dict(inputs)
