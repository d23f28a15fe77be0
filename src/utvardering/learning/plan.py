"""The content of a region's learning plan, gathered from the run's result files.

Nothing is recomputed: the indicators are the goal chain's goals (``malkedja.json``) and the
effect report's goal attainment per indicator (``effekt.json``), the planned evaluations are
the recommendations of :mod:`utvardering.summary.rules` on the region's
:class:`~utvardering.summary.facts.Facts`, the annual cycle is :mod:`.arshjul`, and the
monitored series are the goal chain's regional indicators and the effect report's synthetic
comparisons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from utvardering.goals.analysis import SERIES_NAMES
from utvardering.learning.arshjul import Arshjul
from utvardering.models import ChainModel
from utvardering.summary.facts import Facts
from utvardering.summary.rules import Recommendation
from utvardering.synthesis.collect import REPORTS, RunResults

__all__ = ["LearningPlan", "PlanMeta", "gather", "plan_metadata"]

REGIONAL_LEVELS = ("rus", "understrategi")


@dataclass(frozen=True)
class PlanMeta:
    """What the data folder's table ``larandeplaner`` says of the region's current plan.

    ``known`` is False when the table has no row for the region (or is absent): then every
    field is unknown. ``plan_ar`` None with ``known`` True: no plan is known.
    """

    known: bool
    plan_ar: int | None = None
    under_revidering: bool | None = None
    kalla: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "uppgift_finns": self.known,
            "plan_ar": self.plan_ar,
            "under_revidering": self.under_revidering,
            "kalla": self.kalla,
        }


def plan_metadata(table: pd.DataFrame | None, lan_kod: str) -> PlanMeta:
    """The region's row of ``larandeplaner`` (None or empty: nothing known)."""
    if table is None or not len(table):
        return PlanMeta(known=False)
    rows = table[table["lan_kod"].astype(str) == lan_kod]
    if not len(rows):
        return PlanMeta(known=False)
    row = rows.iloc[0]
    year = row.get("plan_ar")
    revision = row.get("under_revidering")
    source = row.get("kalla")
    return PlanMeta(
        known=True,
        plan_ar=None if _missing(year) else int(year),
        under_revidering=_yes_no(revision),
        kalla="" if _missing(source) else str(source).strip(),
    )


def _yes_no(value: Any) -> bool | None:
    """``ja``/``nej`` (the table's words) or a boolean; None when empty or unknown."""
    if _missing(value):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    return {"ja": True, "nej": False, "true": True, "false": False}.get(text)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class LearningPlan:
    """A region's learning plan, as data.

    ``goals`` is the goal chain's list of goals (None when ``malkedja.json`` is missing),
    ``project_indicators`` the effect report's ``maluppfyllelse.per_indikator`` (None when
    ``effekt.json`` is missing), ``synthetic`` its ``syntetisk_jamforelse``, ``peers`` the
    goal chain's peer regions (else the summary's), ``status`` each region report's status
    in the run (``med``, ``saknas``, …).
    """

    lan_kod: str
    lan_namn: str
    meta: PlanMeta
    facts: Facts
    recommendations: tuple[Recommendation, ...]
    arshjul: Arshjul
    status: Mapping[str, str]
    goals: tuple[Mapping[str, Any], ...] | None
    project_indicators: tuple[Mapping[str, Any], ...] | None
    synthetic: tuple[Mapping[str, Any], ...] | None
    peers: tuple[str, ...]
    peer_names: Mapping[str, str]
    indicator_names: Mapping[str, str]

    @property
    def included(self) -> tuple[str, ...]:
        return tuple(r for r, s in self.status.items() if s == "med")

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(r for r, s in self.status.items() if s != "med")

    @property
    def regional_goals(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(g for g in self.goals or () if g.get("niva") in REGIONAL_LEVELS)

    @property
    def project_goals(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(g for g in self.goals or () if g.get("niva") == "projekt")

    def series(self) -> list[dict[str, Any]]:
        """The regional series followed: each indicator of a regional goal once, with its
        latest value and the goals it measures (in the goal chain's order)."""
        found: dict[str, dict[str, Any]] = {}
        for goal in self.regional_goals:
            indicator = goal.get("indikator")
            if not indicator:
                continue
            row = found.setdefault(
                indicator,
                {
                    "indikator": indicator,
                    "indikator_namn": self.indicator_name(indicator),
                    "enhet": goal.get("enhet"),
                    "senaste_ar": goal.get("senaste_ar"),
                    "senaste_varde": goal.get("senaste_varde"),
                    "mal": [],
                },
            )
            row["mal"].append(str(goal["mal_id"]))
        return list(found.values())

    def indicator_name(self, indicator: str | None) -> str:
        if not indicator:
            return ""
        return self.indicator_names.get(
            indicator, SERIES_NAMES.get(indicator, indicator.replace("_", " ").capitalize())
        )


def gather(
    run: RunResults,
    facts: Facts,
    recommendations: tuple[Recommendation, ...],
    arshjul: Arshjul,
    meta: PlanMeta,
    names: Mapping[str, str],
    chains: ChainModel | None = None,
) -> LearningPlan:
    """The learning plan of ``facts.lan_kod`` from ``run`` (see the module docstring).

    ``names`` maps region codes to names (the peers); ``chains`` names the project indicators.
    """
    code = facts.lan_kod
    status = {report: str(run.status.loc[code, report]) for report in REPORTS}
    goal_file = run.results["malkedja"].get(code)
    effect_file = run.results["effekt"].get(code)
    goals = tuple(goal_file["mal"]) if goal_file is not None else None
    project = None
    synthetic = None
    if effect_file is not None:
        project = tuple(effect_file.get("maluppfyllelse", {}).get("per_indikator", []))
        synthetic = tuple(effect_file.get("syntetisk_jamforelse") or [])
    if goal_file is not None and goal_file.get("jamforelselan"):
        peers = tuple(str(c) for c in goal_file["jamforelselan"])
    else:
        peers = tuple(facts.get("jamforelse.lan") or ())
    indicator_names = (
        {i: ind.name for i, ind in chains.indicators.items()} if chains is not None else {}
    )
    return LearningPlan(
        lan_kod=code,
        lan_namn=facts.lan_namn,
        meta=meta,
        facts=facts,
        recommendations=recommendations,
        arshjul=arshjul,
        status=status,
        goals=goals,
        project_indicators=project,
        synthetic=synthetic,
        peers=peers,
        peer_names={c: names.get(c, c) for c in peers},
        indicator_names=indicator_names,
    )
