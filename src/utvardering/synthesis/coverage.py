"""Coverage (täckning): which regions are in each part of the synthesis, and what is left out.

The left-out share is measured where the data folder allows it: population for every report,
and, for the portfolio, the share of the money and of the (share-weighted) projects that the
projects table puts in the missing regions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from utvardering.portfolio import weight_projects
from utvardering.synthesis.collect import REPORTS, Mismatch, RunResults

__all__ = ["Coverage", "ProjectTotals", "coverage", "latest_population", "project_totals"]


@dataclass(frozen=True)
class ProjectTotals:
    """The projects table's money and share-weighted projects per län, for one period.

    ``per_region`` is indexed by every lan_kod with ``belopp_sek`` and
    ``projekt_andelsviktade`` (project amount × the län's share, so the column sums are the
    national totals).
    """

    period: tuple[int, int]
    per_region: pd.DataFrame

    @property
    def amount_sek(self) -> float:
        """The granted amount of all län (kronor)."""
        return float(self.per_region["belopp_sek"].sum())

    @property
    def projects(self) -> float:
        """The share-weighted number of projects of all län."""
        return float(self.per_region["projekt_andelsviktade"].sum())

    def share(self, codes: list[str], column: str = "belopp_sek") -> float:
        """The share of the national total in the län ``codes``."""
        total = self.per_region[column].sum()
        return float(self.per_region.loc[codes, column].sum() / total) if total else float("nan")


def project_totals(
    projekt: pd.DataFrame, projekt_lan: pd.DataFrame, period: tuple[int, int], codes: list[str]
) -> ProjectTotals:
    """Money and share-weighted projects per län from the projects table (start year in period)."""
    rows = weight_projects(projekt, projekt_lan, period)
    grouped = rows.groupby("lan_kod")
    table = pd.DataFrame(
        {"belopp_sek": grouped["belopp_sek"].sum(), "projekt_andelsviktade": grouped["andel"].sum()}
    ).reindex(codes, fill_value=0.0)
    table.index.name = "lan_kod"
    return ProjectTotals(tuple(period), table)


def latest_population(indikatorer: pd.DataFrame) -> pd.Series:
    """Each län's population in the latest year with a value (index lan_kod, name = the year)."""
    rows = indikatorer[indikatorer["indikator"] == "befolkning"]
    latest = rows.sort_values(["lan_kod", "ar"]).groupby("lan_kod").tail(1).set_index("lan_kod")
    out = latest["varde"].astype(float)
    out.name = int(latest["ar"].max()) if len(latest) else None
    return out


@dataclass(frozen=True)
class Coverage:
    """Who is in the synthesis, per report, and how much of the country is missing.

    ``status``: one row per län (index lan_kod), one column per report with its
    :class:`~utvardering.synthesis.collect.Inclusion` code. ``population_missing``: per report
    the share of the population in the regions that are not in. ``projects``: the projects
    table's totals per län for the portfolio's period. ``mismatches``: the region files left
    out because they were made with other parameters. ``outcomes_missing``: per region in the
    effect part whose file lacks some of the synthesis' outcomes, those outcome ids (the
    region is in for the outcomes its file has).
    """

    status: pd.DataFrame
    included: dict[str, list[str]]
    excluded: dict[str, dict[str, str]]
    population_missing: dict[str, float]
    projects: ProjectTotals | None
    mismatches: tuple[Mismatch, ...] = ()
    outcomes_missing: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not any(self.excluded.values())

    def money_missing(self) -> float | None:
        """Share of the projects table's money in the regions missing from the portfolio."""
        if self.projects is None:
            return None
        return self.projects.share(list(self.excluded["tema"]))

    def projects_missing(self) -> float | None:
        """Share of the (share-weighted) projects in the regions missing from the portfolio."""
        if self.projects is None:
            return None
        return self.projects.share(list(self.excluded["tema"]), "projekt_andelsviktade")


def coverage(
    run: RunResults, population: pd.Series, projects: ProjectTotals | None = None
) -> Coverage:
    """The coverage of ``run``; ``population`` by lan_kod, ``projects`` for the portfolio."""
    excluded = {report: run.excluded(report) for report in REPORTS}
    total = float(population.sum())
    missing = {
        report: float(population.reindex(list(gone)).fillna(0).sum() / total) if total else 0.0
        for report, gone in excluded.items()
    }
    return Coverage(
        status=run.status,
        included={report: run.included(report) for report in REPORTS},
        excluded=excluded,
        population_missing=missing,
        projects=projects,
        mismatches=run.mismatches,
        outcomes_missing={
            code: gone for code in run.included("effekt") if (gone := run.missing_outcomes(code))
        },
    )
