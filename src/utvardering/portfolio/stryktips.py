"""The "stryktips" matrix: which stages of the effect chain a län's projects follow up.

As in the workshop's pools-coupon exercise (stryktipset), each row is an intervention (here a
theme or priority of the län's portfolio) and each column a stage of the effect chain; a row
gets an X at a stage when at least one of its projects has reported an outcome (utfall) for an
indicator at that stage, in any progress or final report. An empty cell is a hole in the
follow-up. Only the stages at which projects report indicators are columns (prestation,
kort_sikt, medellang_sikt): resources, activities and long-term effects are not measured by
project indicators in the data.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from utvardering.portfolio.aggregate import region_rows
from utvardering.portfolio.specialisation import breakdown, with_category
from utvardering.vocabulary import INDICATOR_STAGES

__all__ = ["STAGES", "Hole", "Stryktips", "stryktips"]

# The columns of the matrix: the chain stages at which projects report indicators.
STAGES: tuple[str, ...] = tuple(INDICATOR_STAGES)


@dataclass(frozen=True)
class Hole:
    """A row (category) and stage of the matrix without any reported outcome."""

    category: str
    stage: str


@dataclass(frozen=True)
class Stryktips:
    """Per row (category) and chain stage: how many of the row's projects report an outcome.

    ``projects`` counts the projects of each row that touch the län; ``with_outcome`` (rows x
    stages) counts those with at least one outcome at the stage. ``total_projects`` and
    ``total_with_outcome`` are the same over all the län's projects, each counted once (the
    rows of themes overlap).
    """

    dimension: str
    lan_kod: str
    projects: pd.Series
    with_outcome: pd.DataFrame
    total_projects: int = 0  # the län's projects, each once
    total_with_outcome: pd.Series | None = None  # per stage, each project once

    @property
    def covered(self) -> pd.DataFrame:
        """True where at least one project of the row reports an outcome at the stage."""
        return self.with_outcome > 0

    @property
    def share(self) -> pd.DataFrame:
        """The share of the row's projects that report an outcome at the stage."""
        return self.with_outcome.div(self.projects, axis=0)

    def marks(self) -> pd.DataFrame:
        """The matrix as in the seed: "X" where a stage is covered, "" where it is a hole."""
        return self.covered.map(lambda covered: "X" if covered else "")

    def holes(self) -> tuple[Hole, ...]:
        """The holes, row by row in matrix order."""
        return tuple(
            Hole(str(row), stage)
            for row in self.with_outcome.index
            for stage in STAGES
            if not self.covered.loc[row, stage]
        )


def stryktips(
    weighted: pd.DataFrame,
    indicators: pd.DataFrame,
    lan_kod: str,
    dimension: str = "tema",
) -> Stryktips:
    """The stryktips matrix of a län's portfolio, rows by ``dimension`` (e.g. themes).

    Rows are the categories with at least one project in the län, in the classification's order.
    ``indicators`` is the table ``projektindikatorer``.
    """
    rows = with_category(region_rows(weighted, lan_kod), dimension)
    rows = rows[["arende_id", "kategori"]].drop_duplicates()
    order = breakdown(weighted, lan_kod, dimension).table
    order = order.index[order["projekt_berorda"] > 0]
    projects = rows.groupby("kategori")["arende_id"].nunique().reindex(order, fill_value=0)
    reported = indicators.loc[indicators["utfall"].notna(), ["arende_id", "steg"]].drop_duplicates()
    covered = rows.merge(reported, on="arende_id", how="inner")
    counts = (
        covered.groupby(["kategori", "steg"])["arende_id"]
        .nunique()
        .unstack("steg")
        .reindex(index=order, columns=list(STAGES))
        .fillna(0)
        .astype(int)
    )
    everyone = covered.drop_duplicates(["arende_id", "steg"])["steg"].value_counts()
    counts.index.name = "kategori"
    counts.columns.name = "steg"
    projects.index.name = "kategori"
    return Stryktips(
        dimension=dimension,
        lan_kod=lan_kod,
        projects=projects,
        with_outcome=counts,
        total_projects=int(rows["arende_id"].nunique()),
        total_with_outcome=everyone.reindex(list(STAGES), fill_value=0).astype(int),
    )
