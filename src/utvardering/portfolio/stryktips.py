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
    """A row and stage of the matrix without any reported outcome."""

    kategori: str
    steg: str


@dataclass(frozen=True)
class Stryktips:
    """Per row (category) and chain stage: how many of the row's projects report an outcome.

    ``projekt`` counts the projects of each row that touch the län; ``med_utfall`` (rows x
    stages) counts those with at least one outcome at the stage. ``projekt_totalt`` and
    ``med_utfall_totalt`` are the same over all the län's projects, each counted once (the rows
    of themes overlap).
    """

    dimension: str
    lan_kod: str
    projekt: pd.Series
    med_utfall: pd.DataFrame
    projekt_totalt: int = 0  # the län's projects, each once
    med_utfall_totalt: pd.Series | None = None  # per stage, each project once

    @property
    def tackt(self) -> pd.DataFrame:
        """True where at least one project of the row reports an outcome at the stage."""
        return self.med_utfall > 0

    @property
    def andel(self) -> pd.DataFrame:
        """The share of the row's projects that report an outcome at the stage."""
        return self.med_utfall.div(self.projekt, axis=0)

    def kryss(self) -> pd.DataFrame:
        """The matrix as in the seed: "X" where a stage is covered, "" where it is a hole."""
        return self.tackt.map(lambda covered: "X" if covered else "")

    def hal(self) -> tuple[Hole, ...]:
        """The holes, row by row in matrix order."""
        return tuple(
            Hole(str(row), stage)
            for row in self.med_utfall.index
            for stage in STAGES
            if not self.tackt.loc[row, stage]
        )


def stryktips(
    weighted: pd.DataFrame,
    projektindikatorer: pd.DataFrame,
    lan_kod: str,
    dimension: str = "tema",
) -> Stryktips:
    """The stryktips matrix of a län's portfolio, rows by ``dimension`` (e.g. themes).

    Rows are the categories with at least one project in the län, in the classification's order.
    """
    rows = with_category(region_rows(weighted, lan_kod), dimension)
    rows = rows[["arende_id", "kategori"]].drop_duplicates()
    order = breakdown(weighted, lan_kod, dimension).table
    order = order.index[order["projekt_berorda"] > 0]
    projects = rows.groupby("kategori")["arende_id"].nunique().reindex(order, fill_value=0)
    reported = projektindikatorer.loc[
        projektindikatorer["utfall"].notna(), ["arende_id", "steg"]
    ].drop_duplicates()
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
        projekt=projects,
        med_utfall=counts,
        projekt_totalt=int(rows["arende_id"].nunique()),
        med_utfall_totalt=everyone.reindex(list(STAGES), fill_value=0).astype(int),
    )
