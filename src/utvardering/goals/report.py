"""The goal chain report of one region: :func:`build` makes it, its sections show it.

:class:`GoalChainReport` follows the report protocol (:mod:`utvardering.protocol`): its sections
(:data:`~utvardering.goals.text.HEADINGS`, in reading order) hold the text of
:mod:`utvardering.goals.text`, the figures of :mod:`utvardering.goals.figures` and the tables of
:mod:`utvardering.goals.tables`; ``save`` writes the figures and the workbook, and ``payload`` is
the body of the result file ``malkedja.json``, made by :func:`result_record` from the analysis
alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.figures.base import Figur
from utvardering.goals.analysis import GoalChainAnalysis, analyse
from utvardering.goals.figures import plot_fan_chart, plot_goal_tree, plot_status_bars
from utvardering.goals.forecast import INTERVAL, TREND_WINDOW
from utvardering.goals.parameters import GoalChainParameters
from utvardering.goals.tables import (
    ReportTable,
    table_contributions,
    table_goals,
    table_peers,
    table_stryktips,
    workbook_tables,
)
from utvardering.goals.text import (
    HEADINGS,
    STAGE_NAMES,
    TITLE,
    Comparison,
    text_contributions,
    text_goal_tree,
    text_levels,
    text_method,
    text_no_goals,
    text_regional,
    text_stryktips,
    text_summary,
    text_title,
)
from utvardering.protocol import Block, Report
from utvardering.results import to_jsonable
from utvardering.vocabulary import GOAL_LEVELS, LAN_CODES

__all__ = ["REPORT", "GoalChainReport", "build", "comparison_of", "result_record"]

REPORT = "malkedja"  # the report's short name: malkedja.json, malkedja_*.png

MODEL_NAME = "linjär trend (OLS)"
LEVELS: tuple[str, ...] = tuple(GOAL_LEVELS)

# The fields of a goal in the result file, in order.
_GOAL_FIELDS = (
    "mal_id", "niva", "overordnat_mal_id", "mal", "indikator", "enhet", "basar", "basvarde",
    "senaste_ar", "senaste_varde", "malar", "malvarde", "riktning", "steg", "prognos",
    "prognos_lag", "prognos_hog", "status", "simulerad",
)  # fmt: skip


@dataclass(frozen=True)
class GoalChainReport(Report):
    """A region's goal chain report: the analysis, its figures and tables, by section.

    ``figures`` holds the goal tree, the status bars and one fan chart per regional goal with
    values (``prognos_<mal_id>``); ``tables`` the goals, the peers, the contributions and the
    stryktips. A region without goals has none of them, and only its title and ``inga_mal``
    sections show.
    """

    TYPE_NAME: ClassVar[str] = REPORT
    SECTIONS: ClassVar[Mapping[str, str]] = MappingProxyType(HEADINGS)

    params: GoalChainParameters
    analysis: GoalChainAnalysis
    comparison: Comparison
    figures: Mapping[str, Figur]
    tables: Mapping[str, ReportTable]
    has_table: bool = True  # the data folder has a malkedja table

    def _fan_charts(self) -> list[Figur]:
        return [fig for name, fig in self.figures.items() if name.startswith("prognos_")]

    def _section(self, name: str) -> list[Block]:
        a = self.analysis
        blocks: list[Block]
        if name == "titel":
            blocks = [text_title(a)]
        elif name == "inga_mal":
            blocks = [text_no_goals(a, self.has_table)]
        elif name == "sammanfattning":
            blocks = [text_summary(a), self.figures.get("status")]
        elif name == "niva":
            blocks = [text_levels(a)]
        elif name == "maltrad":
            blocks = [text_goal_tree(a), self.figures.get("maltrad"), self.tables.get("mal")]
        elif name == "regionala_mal":
            charts = self._fan_charts()
            blocks = [
                text_regional(a, self.comparison, len(charts)),
                *charts,
                self.tables.get("jamforelse"),
            ]
        elif name == "bidrag":
            blocks = [text_contributions(a), self.tables.get("bidrag")]
        elif name == "stryktips":
            blocks = [text_stryktips(a), self.tables.get("stryktips")]
        else:  # metod
            blocks = [text_method(a, self.comparison)]
        return [b for b in blocks if b is not None and not _empty_table(b)]

    def workbook_sheets(self) -> Mapping[str, pd.DataFrame]:
        """The numbers behind the report, for ``malkedja.xlsx``."""
        return workbook_tables(self.analysis, self.comparison)

    def payload(self) -> dict[str, Any]:
        """The body of ``malkedja.json``: :func:`result_record` of the analysis."""
        return result_record(self.analysis, self.comparison.rule)


def _empty_table(block: Block) -> bool:
    return isinstance(block, ReportTable) and block.empty


def _plain(value: Any) -> Any:
    return to_jsonable(value)


def result_record(a: GoalChainAnalysis, rule: str | None = None) -> dict[str, Any]:
    """The body of the result file ``malkedja.json`` (without the protocol's envelope).

    Made from the analysis alone (no figures), so that a result file can be built cheaply:
    ``result_file("malkedja", params, result_record(analysis))``. ``rule`` is the comparison
    rule (``"riksomrade"``, ``"valda"`` or ``"alla"``; default the analysis' own). The fields
    are described in the schema ``utvardering/result_schemas/malkedja.schema.json``.
    """
    goals = a.goals
    regional = goals[goals["niva"].isin(("rus", "understrategi"))]
    contributions = a.contributions
    bidrag = []
    for row in a.contribution_summary.itertuples(index=False):
        mine = contributions[contributions["mal_id"] == row.mal_id]
        projects = list(dict.fromkeys(str(i) for i in mine["arende_id"].dropna()))
        bidrag.append(
            {
                "mal_id": row.mal_id,
                "n_projekt": int(row.n_projekt),
                "belopp_sek": float(row.belopp_sek),
                "projekt": projects,
            }
        )
    stages = list(STAGE_NAMES)
    stryktips = [
        {"mal_id": str(mal_id), **{s: str(row[s]) for s in stages}}
        for mal_id, row in a.stryktips.iterrows()
    ]
    return _plain(
        {
            "titel": TITLE,
            "lan_kod": a.lan_kod,
            "lan_namn": a.lan_namn,
            "har_mal": a.has_goals,
            "jamforelse": rule or a.peer_rule,
            "jamforelselan": list(a.peers),
            "prognosmodell": {
                "modell": MODEL_NAME,
                "fonster_ar": TREND_WINDOW,
                "intervall": INTERVAL,
            },
            "antal_mal": {lv: int((goals["niva"] == lv).sum()) for lv in LEVELS},
            "status_rus": a.status_counts("rus"),
            "status_alla": a.status_counts(),
            "mal": [
                {field: row[field] for field in _GOAL_FIELDS} for row in goals.to_dict("records")
            ],
            "bidrag": bidrag,
            "mal_utan_projekt": [str(m) for m in a.unserved["mal_id"]] if len(a.unserved) else [],
            "stryktips": stryktips if len(regional) else [],
        }
    )


def _slug(mal_id: str, used: set[str]) -> str:
    """A file-name-safe form of a goal id ("RUS-1" stays; other characters become "_"),
    unique among ``used``."""
    base = re.sub(r"[^A-Za-z0-9-]+", "_", mal_id).strip("_") or "mal"
    name, n = base, 2
    while name in used:
        name, n = f"{base}_{n}", n + 1
    used.add(name)
    return name


def figures_and_tables(
    a: GoalChainAnalysis, comparison: Comparison
) -> tuple[dict[str, Figur], dict[str, ReportTable]]:
    """The region's figures and tables (none for a region without goals)."""
    if not a.has_goals:
        return {}, {}
    figures: dict[str, Figur] = {
        "maltrad": plot_goal_tree(a.goals, a.lan_namn),
        "status": plot_status_bars(a.goals, a.lan_namn),
    }
    used: set[str] = set()
    for goal in a.goals.to_dict("records"):
        indicator = goal["indikator"]
        if goal["niva"] == "projekt" or _missing(indicator):
            continue
        history = a.history.get(indicator)
        if history is None or not len(history):
            continue
        figures[f"prognos_{_slug(str(goal['mal_id']), used)}"] = plot_fan_chart(
            history,
            a.forecasts.get(goal["mal_id"]),
            goal,
            a.peer_history.get(indicator),
            a.lan_namn,
        )
    tables = {
        "mal": table_goals(a),
        "jamforelse": table_peers(a),
        "bidrag": table_contributions(a),
        "stryktips": table_stryktips(a),
    }
    return figures, tables


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value))


def comparison_of(ds: Dataset, params: GoalChainParameters, a: GoalChainAnalysis) -> Comparison:
    """How the report describes the peers: the rule, the national area and the names."""
    lan = ds.lan.set_index("lan_kod")
    names = {code: str(lan.at[code, "lan_namn"]) for code in lan.index}
    area = str(lan.at[a.lan_kod, "nuts2_namn"]) if a.lan_kod in lan.index else ""
    chosen_all = params.jamforelselan == "alla"
    rule = "alla" if chosen_all else a.peer_rule
    return Comparison(rule=rule, area=area, peers=a.peers, names=names, chosen_all=chosen_all)


def build(ds: Dataset, params: GoalChainParameters) -> GoalChainReport:
    """The goal chain report of region ``params.lan_kod``, its indicators compared with the
    peers that ``params.jamforelselan`` names.

    ``ds`` holds the report type's tables; without ``malkedja`` (no such file in the data
    folder) the report says that the region has no goals and how to add them.
    """
    if params.jamforelselan == "alla":
        peers: tuple[str, ...] | None = tuple(c for c in LAN_CODES if c != params.lan_kod)
    else:
        peers = params.peers
    analysis = analyse(ds, params.lan_kod, peers)
    comparison = comparison_of(ds, params, analysis)
    figures, tables = figures_and_tables(analysis, comparison)
    return GoalChainReport(
        params,
        analysis,
        comparison,
        figures,
        tables,
        has_table=getattr(ds, "malkedja", None) is not None,
    )
