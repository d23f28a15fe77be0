"""Find the report notebooks by their metadata, not by a hand-kept list.

A notebook names its report in ``metadata.utvardering.rapport``. When that name is a report
type of the registry (:func:`utvardering.registry.report_types`), the title, level, inputs and
reading order come from the registry; a notebook that is no registered report (a test's demo
notebook, say) states them in its own metadata (``titel``, ``niva``, ``indata``, and for a
region report that reads the run's results ``leser_korning: true``; ``filer``: data files
beyond the tables, such as ``arshjul/{lan_kod}.yaml``).

A report's material that can be made ahead of it lives in ``notebooks/underlag/``
(:func:`discover_parts`): a notebook there declares itself like an unregistered report and
names the report it is part of (``del_av``), such as the synthesis' figures that rest on the
data folder alone. It is no report of its own (publishing does not show it): the batch runs it
with the region reports, before the report it is part of.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from utvardering.errors import ReportError
from utvardering.registry import report_types

if TYPE_CHECKING:
    from utvardering.protocol import Level, ReportType

__all__ = ["NOTEBOOK_DIR", "PARTS_DIR", "Parameter", "Report", "discover_parts", "discover_reports"]

# The report notebooks of a checkout (commands run from the repository root).
NOTEBOOK_DIR = Path("notebooks")
# The subfolder of the notebook folder with the notebooks that make a part of a report ahead
# of it (no reports of their own).
PARTS_DIR = "underlag"
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
    # The report reads the run's result files (a region summary): it runs after the other
    # region reports, with the parameter korning_dir. See ReportType.reads_run.
    reads_run: bool = False
    files: tuple[str, ...] = ()  # data files beyond the tables (ReportType.files)
    # The report this notebook makes a part of, ahead of it (:func:`discover_parts`); None
    # for a report. A part reads no run, so it runs with the region reports.
    part_of: str | None = None


def _type_name(value: Any) -> str:
    if value is None:
        return "any"
    return type(value).__name__


def _parameters(path: Path, notebook: dict) -> dict[str, Parameter]:
    # papermill is imported here, where it is used, to keep the command line's start fast
    import papermill

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


def _read_notebook(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ReportError(
            f"Notebooken {path} går inte att läsa ({type(exc).__name__}: {exc}). Rätta "
            "eller ta bort den, eller välj en annan mapp med --notebookar."
        ) from exc


def _metadata(notebook: dict) -> dict | None:
    metadata = notebook.get("metadata") if isinstance(notebook, dict) else None
    meta = metadata.get("utvardering") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) and "rapport" in meta else None


def _checked_name(path: Path, meta: dict) -> str:
    name = str(meta["rapport"])
    if not _SAFE_NAME.match(name):
        raise ReportError(
            f"{path.name}: metadata utvardering.rapport är {name[:60]!r}; ett rapportnamn "
            "är bokstäver, siffror, _ och - (det blir ett filnamn)."
        )
    return name


def discover_parts(notebook_dir: Path | str, reports: dict[str, Report]) -> dict[str, Report]:
    """The notebooks of ``notebook_dir/underlag`` (:data:`PARTS_DIR`), by name: each makes a
    part of one of ``reports`` ahead of it (metadata ``del_av``, with ``titel``, ``niva`` and
    ``indata`` as an unregistered report states them), and reads no run.

    A part of a report that is not among ``reports``, a part without ``del_av``, a name that
    a report or another part has, or a part that reads the run (``leser_korning``) is an
    error. No such folder: no parts."""
    folder = Path(notebook_dir) / PARTS_DIR
    parts: dict[str, Report] = {}
    for path in sorted(folder.glob("*.ipynb")):
        notebook = _read_notebook(path)
        meta = _metadata(notebook)
        if meta is None:
            continue
        name = _checked_name(path, meta)
        owner = meta.get("del_av")
        if not isinstance(owner, str) or owner not in reports:
            known = ", ".join(reports) or "(inga)"
            raise ReportError(
                f"{PARTS_DIR}/{path.name}: metadata utvardering.del_av ska vara namnet på "
                f"rapporten som notebooken tar fram underlag till ({known}); fick {owner!r}."
            )
        if name in reports or name in parts:
            other = reports[name].path.name if name in reports else parts[name].path.name
            raise ReportError(
                f"Namnet '{name}' finns i två notebookar: {other} och {PARTS_DIR}/{path.name}. "
                "Ge dem olika namn i metadata (utvardering.rapport)."
            )
        if meta.get("leser_korning"):
            raise ReportError(
                f"{PARTS_DIR}/{path.name}: ett underlag läser inte körningens resultat "
                "(leser_korning); det körs före rapporten det hör till."
            )
        part = _declared_report(path, notebook, meta, name, _cell_parameters(path, notebook))
        parts[name] = replace(part, order=reports[owner].order, part_of=owner)
    return parts


def _cell_parameters(path: Path, notebook: dict) -> dict[str, Parameter]:
    """The parameters of the notebook's cell tagged ``parameters``, read with :mod:`ast`
    (papermill's reading, without importing papermill: a run whose reports come from the
    discovery cache does not pay for it)."""
    for cell in notebook.get("cells", []):
        tags = (cell.get("metadata") or {}).get("tags") or []
        if cell.get("cell_type") != "code" or "parameters" not in tags:
            continue
        source = cell.get("source", "")
        try:
            tree = ast.parse("".join(source) if isinstance(source, list) else source)
        except SyntaxError as exc:
            raise ReportError(
                f"Notebooken {path}: parametercellen är inte giltig Python ({exc.msg}, rad "
                f"{exc.lineno})."
            ) from exc
        out = {}
        for node in tree.body:
            target = (
                node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
            )
            value = getattr(node, "value", None)
            if not isinstance(target, ast.Name) or value is None:
                continue
            try:
                default = ast.literal_eval(value)
            except (ValueError, SyntaxError, TypeError, RecursionError):
                default = None  # an expression: its type is not known before a kernel runs
            out[target.id] = Parameter(target.id, default, _type_name(default))
        return out
    raise ReportError(f"Notebooken {path} har ingen cell med taggen 'parameters'.")


def discover_reports(notebook_dir: Path | str = NOTEBOOK_DIR) -> dict[str, Report]:
    """Every notebook in ``notebook_dir`` whose metadata names a report, by report name.

    A notebook declares itself with ``metadata.utvardering = {"rapport": "mognad"}``; other
    notebooks are ignored. A registered report's title, level and inputs come from the
    registry, and metadata that states them differently is an error; a notebook whose report
    is not registered states them itself (``"titel"``, ``"niva"``, ``"indata"``). Two notebooks
    with the same report name are an error. The reports come in the registry's order: region
    reports first, each level by its ``order``, then by name.
    """
    notebook_dir = Path(notebook_dir)
    paths = sorted(notebook_dir.glob("*.ipynb"))
    registered = report_types() if paths else {}
    reports: dict[str, Report] = {}
    for path in paths:
        notebook = _read_notebook(path)
        meta = _metadata(notebook)
        if meta is None:
            continue
        name = _checked_name(path, meta)
        if name in reports:
            raise ReportError(
                f"Rapporten '{name}' finns i två notebookar: {reports[name].path.name} och "
                f"{path.name}. Ge dem olika namn i metadata (utvardering.rapport)."
            )
        kind = registered.get(name)
        if kind is not None:
            report = _registered_report(path, notebook, meta, kind)
        else:
            report = _declared_report(path, notebook, meta, name)
        reports[name] = report
    ordered = sorted(reports.values(), key=lambda r: (r.level != "region", r.order, r.name))
    return {r.name: r for r in ordered}


def _declared_report(
    path: Path,
    notebook: dict,
    meta: dict,
    name: str,
    parameters: dict[str, Parameter] | None = None,
) -> Report:
    """A report that is not registered, from its notebook's metadata (``parameters``: its
    parameters, if they have been read already)."""
    # the protocol (and pandas) are loaded where reports are found, not where cached ones are
    # read (batch.reportcache)
    from utvardering.protocol import DEFAULT_ORDER, LEVELS

    level = meta.get("niva", "region")
    if level not in LEVELS:
        raise ReportError(
            f"{path.name}: metadata utvardering.niva är '{level}', förväntat 'region' "
            "eller 'nationell'."
        )
    reads_run = meta.get("leser_korning", False)
    files = meta.get("filer", [])
    if not isinstance(reads_run, bool):
        raise ReportError(
            f"{path.name}: metadata utvardering.leser_korning ska vara true eller false; "
            f"fick {reads_run!r}."
        )
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise ReportError(
            f"{path.name}: metadata utvardering.filer ska vara en lista med filnamn i "
            f'datamappen, t.ex. ["arshjul/{{lan_kod}}.yaml"]; fick {files!r}.'
        )
    return Report(
        name=name,
        title=str(meta.get("titel", name)),
        level=level,
        path=path,
        parameters=_parameters(path, notebook) if parameters is None else parameters,
        inputs=_inputs(path, meta.get("indata")),
        order=DEFAULT_ORDER,
        reads_run=reads_run and level == "region",
        files=tuple(files),
    )


def _registered_report(path: Path, notebook: dict, meta: dict, kind: ReportType) -> Report:
    """A registered report: title, level, inputs and order from the registry; what the
    notebook's metadata also states must agree with it."""
    inputs = _inputs(path, dict(kind.tables), f"rapporttypen {kind.name} i registret")
    for key, what, value in (
        ("titel", "titeln", kind.title),
        ("niva", "nivån", kind.level),
        ("indata", "indata", inputs),
    ):
        if key in meta and meta[key] != value:
            raise ReportError(
                f"{path.name}: metadata utvardering.{key} är {meta[key]!r}, men rapporten "
                f"{kind.name} har {what} {value!r} i rapportregistret. Ta bort "
                f"utvardering.{key} ur notebookens metadata (registret gäller) eller rätta den."
            )
    return Report(
        name=kind.name,
        title=kind.title,
        level=kind.level,
        path=path,
        parameters=_parameters(path, notebook),
        inputs=inputs,
        order=kind.order,
        reads_run=kind.reads_run,
        files=tuple(kind.files),
    )


def _inputs(
    path: Path, inputs: Any, where: str = "metadata utvardering.indata"
) -> dict[str, str] | None:
    """The notebook's declared inputs (table -> scope), checked; None if it declares none."""
    from utvardering.dataset import TABLES  # see _declared_report
    from utvardering.protocol import SCOPES

    if inputs is None:
        return None
    if not isinstance(inputs, dict) or not all(
        isinstance(k, str) and v in SCOPES for k, v in inputs.items()
    ):
        raise ReportError(
            f"{path.name}: {where} ska vara en mappning från tabell till "
            f"'region' eller 'alla', t.ex. {{\"enkatsvar\": \"region\"}}; fick {inputs!r}."
        )
    unknown = sorted(set(inputs) - set(TABLES))
    if unknown:
        raise ReportError(
            f"{path.name}: {where} nämner tabeller som inte finns: "
            f"{', '.join(unknown)}. Tabeller: {', '.join(TABLES)}."
        )
    return dict(inputs)
