"""The learning plan of one region: :func:`build` makes it, its sections show it.

:class:`LearningPlanReport` follows the report protocol (:mod:`utvardering.protocol`). It reads
the run's result files (``korning_dir``), never the reports' data: the facts and
recommendations of :mod:`utvardering.summary`, the goal chain's goals and the effect report's
indicators (:mod:`.plan`), and the region's annual cycle (:mod:`.arshjul`). Besides the figure,
the workbook and the result file ``larandeplan.json`` it writes the whole plan as Markdown,
``larandeplan.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, ClassVar

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.figures.base import Figur
from utvardering.format import escape_md
from utvardering.learning.arshjul import load_arshjul
from utvardering.learning.figures import plot_arshjul
from utvardering.learning.parameters import LearningPlanParameters
from utvardering.learning.plan import LearningPlan, gather, plan_metadata
from utvardering.learning.tables import (
    evaluation_rows,
    table_arshjul,
    table_goals,
    table_project_indicators,
    table_series,
    table_synthetic,
    workbook_tables,
)
from utvardering.learning.text import (
    HEADINGS,
    text_arshjul,
    text_evaluations,
    text_goals,
    text_intro,
    text_method,
    text_monitoring,
    text_project_indicators,
    text_synthetic,
)
from utvardering.protocol import Block, Report, ReportTable
from utvardering.results import to_jsonable
from utvardering.summary.facts import region_facts
from utvardering.summary.rules import recommend
from utvardering.synthesis.collect import collect_results

__all__ = ["MARKDOWN_FILE", "REPORT", "LearningPlanReport", "build", "markdown"]

REPORT = "larandeplan"  # the report's short name: larandeplan.json, larandeplan_*.png
MARKDOWN_FILE = f"{REPORT}.md"


@dataclass(frozen=True)
class LearningPlanReport(Report):
    """A region's learning plan: the plan's data, its figure and tables, by section."""

    TYPE_NAME: ClassVar[str] = REPORT
    SECTIONS: ClassVar[Mapping[str, str]] = MappingProxyType(HEADINGS)

    params: LearningPlanParameters
    plan: LearningPlan
    figures: Mapping[str, Figur]

    def _when(self) -> str | None:
        rows = evaluation_rows(self.plan)
        return rows[0]["redovisas"] if rows else None

    def _section(self, name: str) -> list[Block]:
        plan = self.plan
        blocks: list[Block]
        if name == "inledning":
            blocks = [text_intro(plan)]
        elif name == "uppfoljning":
            blocks = [
                text_goals(plan),
                table_goals(plan),
                text_project_indicators(plan),
                table_project_indicators(plan),
                text_evaluations(plan, self._when()),
            ]
        elif name == "aterkoppling":
            blocks = [text_arshjul(plan), self.figures.get("arshjul"), table_arshjul(plan)]
        elif name == "omvarld":
            blocks = [
                text_monitoring(plan),
                table_series(plan),
                text_synthetic(plan),
                table_synthetic(plan),
            ]
        else:  # metod
            blocks = [text_method(plan)]
        return [b for b in blocks if b is not None and not _empty_table(b)]

    def workbook_sheets(self) -> Mapping[str, pd.DataFrame]:
        """The plan's tables, for ``larandeplan.xlsx``."""
        return workbook_tables(self.plan)

    def save(self, directory: Path | str) -> dict[str, str]:
        """The figure and the workbook (as every report), and the plan as Markdown."""
        files = super().save(directory)
        path = Path(directory) / MARKDOWN_FILE
        path.write_text(markdown(self), encoding="utf-8")
        files["markdown"] = path.name
        return files

    def payload(self) -> dict[str, Any]:
        """The body of ``larandeplan.json`` (see ``result_schemas/larandeplan.schema.json``)."""
        plan = self.plan
        return to_jsonable(
            {
                "lan_kod": plan.lan_kod,
                "lan_namn": plan.lan_namn,
                "plan": plan.meta.as_dict(),
                "rapporter": dict(plan.status),
                "indikatorer": {
                    "mal": [_goal(g) for g in plan.goals or ()],
                    "projekt": [_project_indicator(r) for r in plan.project_indicators or ()],
                },
                "utvarderingar": [
                    {**rec.as_dict(), "redovisas": row["redovisas"]}
                    for rec, row in zip(plan.recommendations, evaluation_rows(plan), strict=True)
                ],
                "arshjul": {
                    "eget": plan.arshjul.own,
                    "handelser": [e.as_dict() for e in plan.arshjul.events],
                },
                "omvarld": {
                    "serier": plan.series(),
                    "syntetisk_jamforelse": [_synthetic(r) for r in plan.synthetic or ()],
                    "jamforelselan": list(plan.peers),
                },
            }
        )


def _empty_table(block: Block) -> bool:
    return isinstance(block, ReportTable) and block.empty


_GOAL_KEYS = ("mal_id", "niva", "mal", "indikator", "enhet", "basar", "basvarde", "senaste_ar",
              "senaste_varde", "malar", "malvarde", "status")  # fmt: skip
_PROJECT_KEYS = ("effektkedja", "steg", "indikator", "enhet", "n_projekt", "n_slutliga",
                 "n_saknas", "maluppfyllelse")  # fmt: skip


def _goal(goal: Mapping[str, Any]) -> dict[str, Any]:
    return {key: goal.get(key) for key in _GOAL_KEYS}


def _project_indicator(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: row.get(key) for key in _PROJECT_KEYS}


def _synthetic(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "indikator": row.get("indikator"),
        "namn": row.get("namn"),
        "behandlingsar": row.get("behandlingsar"),
        "skillnad": row.get("att"),
        "evidensgrad": row.get("evidensgrad"),
    }


# --- Markdown --------------------------------------------------------------------------------


def markdown(report: LearningPlanReport) -> str:
    """The whole plan as one Markdown document: every section's heading, text, tables (cells
    escaped) and figures (as images of the files ``save`` writes beside it)."""
    files = {id(fig): f"{REPORT}_{name}.png" for name, fig in report.figures.items()}
    out: list[str] = []
    for section in report.sections():
        if section.empty:
            continue
        if section.heading:
            out.append(f"## {escape_md(section.heading)}")
        for block in section.blocks:
            if isinstance(block, str):
                if block.strip():
                    out.append(block.strip())
            elif isinstance(block, Figur):
                alt = escape_md(block.alt)
                out.append(f"![{alt}]({files.get(id(block), '')})\n\n*{escape_md(block.titel)}*")
            elif isinstance(block, ReportTable):
                out.append(_markdown_table(block.frame))
    return "\n\n".join(out) + "\n"


def _markdown_table(frame: pd.DataFrame) -> str:
    def cell(value: object) -> str:
        return escape_md("" if value is None else value)

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


# --- build -----------------------------------------------------------------------------------


def build(ds: Dataset, params: LearningPlanParameters) -> LearningPlanReport:
    """The learning plan of region ``params.lan_kod`` from the run in ``params.korning_dir``.

    ``ds`` holds the report type's tables: ``lan`` (names and peers), ``mognadsmodell`` (the
    next level's text), ``effektkedjor`` (the project indicators' names) and the optional
    ``larandeplaner``. The region's annual cycle is read from ``<data_dir>/arshjul/`` or is
    the default. Raises DataValidationError for a region's annual-cycle file that does not
    follow the format, and ResultFileError for a result file that does not follow its schema.
    """
    run = collect_results(
        params.korning_dir, omgang=params.omgang, finansiering=params.finansiering
    )
    model = getattr(ds, "mognadsmodell", None)
    lan = getattr(ds, "lan", None)
    facts = region_facts(run, params.lan_kod, model, lan)
    recommendations = recommend(facts, model=model)
    arshjul = load_arshjul(ds.data_dir, params.lan_kod)
    meta = plan_metadata(getattr(ds, "larandeplaner", None), params.lan_kod)
    names = dict(zip(lan["lan_kod"], lan["lan_namn"], strict=True)) if lan is not None else {}
    plan = gather(
        run, facts, recommendations, arshjul, meta, names, getattr(ds, "effektkedjor", None)
    )
    figures = {"arshjul": plot_arshjul(arshjul.events, plan.lan_namn)}
    report = LearningPlanReport(params, plan, figures)
    # The plan rests on the simulated inputs of the result files it reads; the protocol adds
    # those of its own tables.
    object.__setattr__(report, "simulated_inputs", tuple(facts.simulated))
    return report
