"""The report protocol: what every report of the series is, in one page.

A report (*rapport*: ``mognad``, ``tema``, ``effekt``, ``syntes``, …) is one package under
``utvardering`` and one notebook under ``notebooks/``. The package's module ``report_type.py``
declares a :class:`ReportType` named ``REPORT_TYPE``; :mod:`utvardering.registry` finds it
there, and the batch runner and publishing read the registry. A report type has:

1. **Parameters**: a frozen dataclass that subclasses :class:`Parameters`. Its ``check``
   takes the notebook's values, names every bad value in Swedish (one
   :class:`~utvardering.errors.ParameterError` for all of them) and returns the checked,
   normalised instance. Region codes go through :func:`check_lan_kod`, which also accepts what
   papermill and YAML hand over (``-p lan_kod 7`` and ``lan_kod: 07`` arrive as the integer 7).
2. **build(dataset, params) -> Report**: all computation, once.
3. **Sections**: the report's :attr:`Report.SECTIONS` name its sections in reading order, with
   their Swedish headings. ``report.section(name)`` is a :class:`Section` (heading and blocks of
   Markdown, figures and tables) that shows itself in a notebook; an unknown name is an
   :class:`UnknownSectionError`, always.
4. **Files**: ``report.save(directory)`` writes figures and workbooks; ``report.payload()`` is
   the report's key results as plain data. ``report.write(directory, …)`` does both and writes
   the result file ``<name>.json``, validated against the JSON Schema that the package ships
   (``utvardering/result_schemas/<name>.schema.json``).

Every report notebook therefore has the same cells::

    # parameters (tagged "parameters")
    lan_kod = "07"
    data_dir = "../data"
    utdata_dir = "."

    # load
    from utvardering.dataset import load_dataset
    from utvardering.registry import report_type
    typ = report_type("mognad")
    parametrar = typ.parameters.check(lan_kod=lan_kod)
    ds = load_dataset(data_dir, typ.tables)

    # build
    rapport = typ.build(ds, parametrar)

    # one cell per section
    rapport.section("oversikt")

    # save
    rapport.write(utdata_dir, data_dir=data_dir)
"""

from __future__ import annotations

import dataclasses
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal

import pandas as pd

from utvardering import __version__
from utvardering.errors import ParameterError, ReportError
from utvardering.figures.base import Figur
from utvardering.format import escape_md, listed, parameter_text
from utvardering.origin import SimulatedInput, merged, notice, notice_line, simulated_inputs
from utvardering.results import RESULT_SCHEMA_VERSION, check_result, write_results
from utvardering.tables import add_about_sheet, gt_table, save_excel, table_html, table_text
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "DEFAULT_ORDER",
    "ENVELOPE",
    "LEVELS",
    "SCOPES",
    "Block",
    "Level",
    "Parameters",
    "Report",
    "ReportTable",
    "ReportType",
    "Section",
    "UnknownSectionError",
    "check_lan_kod",
    "result_file",
    "save_figures",
    "show_markdown",
    "show_table",
    "table_styler",
]

Level = Literal["region", "nationell"]
LEVELS: tuple[str, ...] = ("region", "nationell")
# The scope of a table a report reads: only the job's region's rows matter, or all of them.
SCOPES: tuple[str, ...] = ("region", "alla")
# The reading order of a report that states none (among the reports of one level).
DEFAULT_ORDER = 100


# --- parameters ------------------------------------------------------------------------------


def check_lan_kod(value: object, name: str = "lan_kod") -> str:
    """A region code as the two-digit text ``"07"``, or a ParameterError in Swedish.

    Accepts the text ``"07"``, and the integer 7 (what papermill's ``-p lan_kod 7`` and a YAML
    file's ``lan_kod: 07`` hand over) or the text ``"7"``. A float, a bool or a number that is
    no region's code is an error.
    """
    code: str | None = None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 2:
        code = value.strip().zfill(2)
    elif isinstance(value, numbers.Integral) and not isinstance(value, bool) and 0 <= value < 100:
        code = f"{int(value):02d}"
    if code is not None and code in LAN_CODES:
        return code
    raise ParameterError(_lan_kod_message(value, name))


def _lan_kod_message(value: object, name: str) -> str:
    return (
        f"Parametern {name} ska vara en av de {len(LAN_CODES)} länskoderna "
        f'({", ".join(LAN_CODES)}), t.ex. "07" för Kronobergs län; fick {value!r}.'
    )


@dataclass(frozen=True)
class Parameters:
    """Base of every report's parameters: a frozen dataclass with one ``check``.

    A subclass declares its fields (with defaults where the notebook has them) and overrides
    :meth:`problems`, which returns one Swedish sentence per bad value and the normalised
    values; :meth:`check` raises one ParameterError that names every problem.
    """

    @classmethod
    def check(cls, **values: Any) -> Parameters:
        """The checked parameters, or one ParameterError that names every bad value."""
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - fields)
        problems = [
            f"Okänd parameter {k!r}; parametrarna är {listed(sorted(fields))}." for k in unknown
        ]
        given = {k: v for k, v in values.items() if k in fields}
        normalised, found = cls.problems(given)
        problems += found
        if problems:
            raise ParameterError(" ".join(problems))
        return cls(**normalised)

    @classmethod
    def problems(cls, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        """``(normalised values, Swedish problems)``; the base class checks ``lan_kod``."""
        out = dict(values)
        found = []
        if "lan_kod" in out:
            try:
                out["lan_kod"] = check_lan_kod(out["lan_kod"])
            except ParameterError as exc:
                found.append(str(exc))
        return out, found

    def as_dict(self) -> dict[str, Any]:
        """The parameters as plain values (tuples as lists), for the result file."""
        return {
            f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v
            for f in dataclasses.fields(self)
        }


# --- sections --------------------------------------------------------------------------------

# A block of a section: Markdown text, a figure, or a table (a DataFrame, or any object that
# shows itself in a notebook through ``_ipython_display_`` and has ``snapshot_text()``).
Block = Any


class UnknownSectionError(ReportError, KeyError):
    """A section name the report does not have (the one error for it, in every report)."""

    def __init__(self, report: str, name: object, known: tuple[str, ...]):
        self.report, self.name, self.known = report, name, known
        ReportError.__init__(
            self,
            f"Rapporten {report} har inget avsnitt {name!r}; avsnitten är {', '.join(known)}.",
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


@dataclass(frozen=True)
class Section:
    """A section of a report: its Swedish ``heading`` and its ``blocks`` in order.

    An empty section (one that does not apply to this region) shows nothing. In a notebook,
    evaluating the section shows the heading as a level-2 heading, text as Markdown, and
    figures and tables as themselves.
    """

    name: str
    heading: str = ""
    blocks: tuple[Block, ...] = ()

    @property
    def empty(self) -> bool:
        """No block to show (blank text does not count); a DataFrame block is not tested for
        truth, which pandas refuses."""
        return all(b is None or (isinstance(b, str) and not b.strip()) for b in self.blocks)

    def _ipython_display_(self) -> None:
        from IPython.display import display  # IPython is there wherever this runs

        if self.empty:
            return
        if self.heading:
            show_markdown(display, f"## {escape_md(self.heading)}")
        for block in self.blocks:
            if isinstance(block, str):
                if block.strip():
                    show_markdown(display, block)
            elif isinstance(block, pd.DataFrame):
                # A bare DataFrame is shown as every report table is (great-tables, no row
                # index, whole: never cut with "…", every row and column).
                display(ReportTable(block))
            else:
                display(block)

    @property
    def figures(self) -> tuple[Figur, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Figur))

    def snapshot_text(self) -> str:
        """What a reader sees, as plain text: the Markdown, each figure's title and alt text,
        and each table's cells; empty for an empty section, which shows nothing. The snapshot
        tests pin this text."""
        if self.empty:
            return ""
        lines = [f"## {self.heading}"] if self.heading else []
        for block in self.blocks:
            if isinstance(block, str):
                if block.strip():
                    lines.append(block.strip())
            elif isinstance(block, Figur):
                lines.append(f"[Figur: {block.titel}]\nAlt: {block.alt}")
            elif isinstance(block, pd.DataFrame):
                lines.append(ReportTable(block).snapshot_text())
            elif hasattr(block, "snapshot_text"):
                lines.append(block.snapshot_text())
            else:
                lines.append(f"[{type(block).__name__}]")
        return "\n\n".join(lines)


def show_markdown(display: Callable[..., None], text: str) -> None:
    """Show Markdown in a notebook, with the same text as its plain form (what a console, a
    text export or a reader of the .ipynb sees, instead of the object's repr)."""
    display({"text/markdown": text, "text/plain": text}, raw=True)


def table_styler(frame: pd.DataFrame) -> TableView:
    """A report table as readers see it (:mod:`utvardering.tables`): built with
    great-tables, no row index, numbers the Swedish way, numeric columns right-aligned, every
    cell and heading escaped."""
    return TableView(frame)


@dataclass(frozen=True, eq=False)
class TableView:
    """A report table's rendering: ``gt`` is the great-tables object, ``to_html()`` the
    markup the page shows (no ``<style>``; ``rapportmallar/tabeller.css`` styles it)."""

    frame: pd.DataFrame

    @property
    def gt(self) -> Any:
        return gt_table(self.frame)

    def to_html(self) -> str:
        return table_html(self.frame)

    def _repr_html_(self) -> str:
        return self.to_html()


@dataclass(frozen=True, eq=False)
class ReportTable:
    """A table as the report shows it: the columns only (no row index and no index-name row),
    every cell and heading escaped; long names are shown whole (the page wraps them)."""

    frame: pd.DataFrame

    @property
    def empty(self) -> bool:
        return self.frame.empty

    def styler(self) -> TableView:
        """The table's rendering (great-tables): no row index, cells and headings escaped."""
        return table_styler(self.frame)

    def _ipython_display_(self) -> None:
        from IPython.display import display  # IPython is there wherever this runs

        show_table(display, self.frame)

    def _repr_html_(self) -> str:
        return table_html(self.frame)

    def snapshot_text(self) -> str:
        """The table as a reader sees it: the column headings, then the cells."""
        return "[Tabell]\n" + self.frame.to_csv(sep="|", index=False, lineterminator="\n").strip()


def show_table(display: Callable[..., None], frame: pd.DataFrame) -> None:
    """Show a report table in a notebook (see :func:`table_styler`); its plain form is the
    table's text, not an object's name."""
    display({"text/html": table_html(frame), "text/plain": table_text(frame)}, raw=True)


# --- the report ------------------------------------------------------------------------------


class Report:
    """Base of every report object. A subclass sets :attr:`TYPE_NAME` and :attr:`SECTIONS`,
    holds its ``params`` and ``figures``, and implements ``_section`` and ``payload``, and
    ``workbook_sheets`` for a workbook (or ``save``, where its files are named otherwise)."""

    TYPE_NAME: ClassVar[str]  # the report's short name, e.g. "mognad"
    SECTIONS: ClassVar[Mapping[str, str]]  # section name → Swedish heading, in reading order
    params: Parameters
    figures: Mapping[str, Figur]  # figure name → figure
    # The simulated inputs the report rests on (from the data folder's datakallor.yaml, set by
    # ReportType.build; a report that reads other result files adds theirs). The first
    # section ends with the notice that names them, and the result file records them.
    simulated_inputs: tuple[SimulatedInput, ...] = ()

    def section(self, name: str) -> Section:
        """The section ``name``; empty when it does not apply to this report. The first
        section carries the notice of simulated inputs, if the report rests on any."""
        if name not in self.SECTIONS:
            raise UnknownSectionError(self.TYPE_NAME, name, tuple(self.SECTIONS))
        blocks = tuple(self._section(name))
        if name == next(iter(self.SECTIONS)) and self.simulated_inputs:
            blocks = (*blocks, notice(self.simulated_inputs))
        return Section(name, self.SECTIONS[name], blocks)

    def sections(self) -> list[Section]:
        """Every section in reading order (those that do not apply are empty)."""
        return [self.section(name) for name in self.SECTIONS]

    def _section(self, name: str) -> tuple[Block, ...] | list[Block]:
        raise NotImplementedError

    def workbook_sheets(self) -> Mapping[str, pd.DataFrame]:
        """The sheets of the report's workbook ``<TYPE_NAME>.xlsx`` (none: no workbook)."""
        return {}

    def save_figures(self, directory: Path | str) -> dict[str, str]:
        """Write each of the report's ``figures`` as ``<TYPE_NAME>_<name>.png`` in
        ``directory``; returns name → file name."""
        return save_figures(self.figures, directory, prefix=f"{self.TYPE_NAME}_")

    def save_excel(self, directory: Path | str) -> Path | None:
        """Write :meth:`workbook_sheets` to ``<TYPE_NAME>.xlsx``; None if there are none."""
        sheets = self.workbook_sheets()
        if not sheets:
            return None
        return save_excel(sheets, Path(directory) / f"{self.TYPE_NAME}.xlsx")

    def save(self, directory: Path | str) -> dict[str, str]:
        """Write the figures and the workbook to ``directory``; returns kind → file name
        (a report whose files are named otherwise overrides this)."""
        files = self.save_figures(directory)
        workbook = self.save_excel(directory)
        if workbook is not None:
            files["excel"] = workbook.name
        return files

    def payload(self) -> dict[str, Any]:
        """The report's key results as plain data (the body of the result file)."""
        raise NotImplementedError

    def about_rows(self) -> list[tuple[str, str]]:
        """The first sheet of the report's workbooks: the report, its parameters, the code
        version and the simulated inputs (or that every input is real)."""
        params = ", ".join(
            f"{k} = {parameter_text(v)}"
            for k, v in self.params.as_dict().items()
            if not k.endswith("_dir")  # folders are the machine's, not the report's
        )
        rows = [
            ("Rapport", self.TYPE_NAME),
            ("Parametrar", params or "inga"),
            ("Program", f"utvardering {__version__}"),
        ]
        if self.simulated_inputs:
            rows.append(("Simulerade data", notice_line(self.simulated_inputs)))
            rows.append(
                (
                    "Obs!",
                    "Tal som bygger på simulerade indata visar hur analysen fungerar, "
                    "inte hur det faktiskt ser ut.",
                )
            )
        else:
            rows.append(
                ("Indata", "Inga indata är märkta som simulerade i datamappens datakallor.yaml.")
            )
        return rows

    def write(self, directory: Path | str, **provenance: Any) -> dict[str, str]:
        """Save the files and write the result file ``<name>.json``, checked against the
        report's JSON Schema; returns every file written, the result file as ``"json"``.

        ``provenance`` holds the notebook's other parameters (``data_dir``, ``utdata_dir``),
        stored with the report's own in ``parametrar``.
        """
        directory = Path(directory)
        files = self.save(directory)
        for name in files.values():
            if name.endswith(".xlsx"):
                add_about_sheet(directory / name, self.about_rows())
        path = directory / f"{self.TYPE_NAME}.json"
        result = result_file(
            self.TYPE_NAME,
            self.params,
            self.payload(),
            files,
            simulated=self.simulated_inputs,
            **provenance,
        )
        check_result(result, self.TYPE_NAME, path)
        write_results(path, result)
        return {**files, "json": path.name}


# The keys of the result file that the protocol writes around every report's payload.
ENVELOPE: tuple[str, ...] = ("schemaversion", "rapport", "parametrar", "simulerade_indata", "filer")


def save_figures(
    figures: Mapping[str, Figur], directory: Path | str, prefix: str = ""
) -> dict[str, str]:
    """Write each figure as ``<prefix><name>.png`` in ``directory``; returns name → file name."""
    directory = Path(directory)
    return {name: fig.save(directory / f"{prefix}{name}.png").name for name, fig in figures.items()}


def result_file(
    name: str,
    params: Parameters,
    body: Mapping[str, Any],
    files: Mapping[str, str] | None = None,
    simulated: tuple[SimulatedInput, ...] = (),
    **provenance: Any,
) -> dict[str, Any]:
    """A result file's content: the protocol's envelope around a report's ``payload()``.

    The envelope is ``schemaversion``, ``rapport``, ``parametrar`` (the checked parameters and
    ``provenance``), ``simulerade_indata`` (the simulated inputs the report rests on) and
    ``filer``; the body cannot overwrite it.
    """
    reserved = sorted(set(ENVELOPE) & set(body))
    if reserved:
        raise ReportError(f"Rapporten {name}: payload() får inte innehålla {', '.join(reserved)}.")
    return {
        "schemaversion": RESULT_SCHEMA_VERSION,
        "rapport": name,
        "parametrar": {**params.as_dict(), **provenance},
        "simulerade_indata": [item.as_dict() for item in simulated],
        **body,
        "filer": dict(files or {}),
    }


# --- the report type (the registry's entry) --------------------------------------------------


@dataclass(frozen=True)
class ReportType:
    """What the registry knows of a report: enough to run, check and publish it.

    ``tables`` are the data folder's tables the report reads, each with its scope:
    ``"region"`` (only the rows of the job's region matter, so a change elsewhere does not
    re-run it) or ``"alla"``. ``notebook`` is the file name of its notebook in ``notebooks/``.
    ``builder`` is the package's ``build(dataset, params)``; call :meth:`build`, which also
    records the simulated inputs among ``tables``.
    """

    name: str
    title: str
    level: Level
    notebook: str
    parameters: type[Parameters]
    builder: Callable[..., Report]
    tables: Mapping[str, str]
    order: int = DEFAULT_ORDER  # reading order among the reports of one level
    # Per table, the columns the report loads but never reads ("*": the whole table, loaded
    # only because another table refers to it); their simulation is not the report's.
    unused: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    # A region report that reads the run's result files of the other region reports (the
    # summary, the learning plan): the batch runs it after them, with ``korning_dir``.
    reads_run: bool = False
    # Files of the data folder, beyond its tables, that the report reads (``{lan_kod}`` is the
    # job's region): the batch hashes them into the job's inputs, so that editing one re-runs
    # the job. A missing file is an input too (the report then uses its defaults).
    files: tuple[str, ...] = ()

    def build(self, dataset: Any, params: Parameters) -> Report:
        """The report for ``params`` on ``dataset`` (a :class:`~utvardering.dataset.Dataset`),
        with the simulated inputs it rests on, from the data folder's ``datakallor.yaml``."""
        report = self.builder(dataset, params)
        own = simulated_inputs(dataset.data_dir, self.tables, self.unused)
        # Reports are frozen dataclasses; this attribute is the protocol's, not a field.
        object.__setattr__(report, "simulated_inputs", merged(own, report.simulated_inputs))
        return report

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ReportError(f"Rapporttypen {self.name}: nivån {self.level!r} är okänd.")
        bad = {t: s for t, s in self.tables.items() if s not in SCOPES}
        if bad:
            raise ReportError(
                f"Rapporttypen {self.name}: tabellernas omfång ska vara 'region' eller 'alla'; "
                f"fick {bad}."
            )
