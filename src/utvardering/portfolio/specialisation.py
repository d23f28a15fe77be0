"""A län's portfolio against the nation: category shares, location quotients, per inhabitant.

The *location quotient* (lokaliseringskvot) of a category is the län's share of its money in the
category divided by the nation's share: ``(x_lc / x_l) / (X_c / X)``. Above 1 the län puts
relatively more of its money there than the country as a whole, below 1 less. The nation is the
sum of all 21 län, i.e. all projects that start in the period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from utvardering.portfolio.aggregate import NO_THEME, explode_themes, region_rows
from utvardering.portfolio.parameters import ALL_THEMES
from utvardering.vocabulary import (
    CHAIN_IDS,
    FOCUS_AREAS,
    FUNDING_SOURCES,
    LAN_CODES,
    NATIONAL_PRIORITIES,
)

__all__ = [
    "DIMENSIONS",
    "NO_RUS",
    "REGION_ONLY",
    "Breakdown",
    "Deviation",
    "Population",
    "breakdown",
    "largest_deviation",
    "location_quotient",
    "national_per_inhabitant",
    "per_inhabitant",
    "population",
    "with_category",
]

# The classification dimensions a portfolio is broken down by, with their Swedish names.
DIMENSIONS: dict[str, str] = {
    "nationell_prioritering": "Nationell prioritering",
    "fokusomrade": "Fokusområde",
    "effektkedja": "Effektkedja",
    "tema": "Tema",
    "rus_prioritering": "RUS-prioritering",
    "finansieringskalla": "Finansieringskälla",
}
# Dimensions whose categories are each region's own free text (the priorities of its RUS): they
# are shown for the region alone, never compared with the nation or other regions by name.
REGION_ONLY: tuple[str, ...] = ("rus_prioritering",)
# Category of a project without a priority in the region's RUS (the field is optional).
NO_RUS = "Ingen RUS-prioritering angiven"
_FIXED_CATEGORIES: dict[str, tuple[str, ...]] = {
    "nationell_prioritering": NATIONAL_PRIORITIES,
    "fokusomrade": FOCUS_AREAS,
    "effektkedja": CHAIN_IDS,
    "tema": ALL_THEMES,
    "finansieringskalla": FUNDING_SOURCES,
}


def location_quotient(region_amount, region_total, national_amount, national_total):
    """``(region_amount / region_total) / (national_amount / national_total)``; NaN if undefined.

    Takes numbers or Series in the same order (a Series in gives a Series with its index out).
    A zero denominator gives NaN, never inf.
    """
    values = [np.asarray(v, dtype=float) for v in (region_amount, region_total)]
    values += [np.asarray(v, dtype=float) for v in (national_amount, national_total)]
    with np.errstate(divide="ignore", invalid="ignore"):
        quotient = (values[0] / values[1]) / (values[2] / values[3])
    quotient = np.where(np.isfinite(quotient), quotient, np.nan)
    if isinstance(region_amount, pd.Series):
        return pd.Series(quotient, index=region_amount.index)
    return float(quotient)


@dataclass(frozen=True)
class Breakdown:
    """A län's money and projects by the categories of one dimension, against the nation.

    ``table`` is indexed by category (``kategori``) with the columns ``projekt_berorda``,
    ``projekt_andelsviktade``, ``belopp_sek``, ``andel_belopp`` (of the län's total),
    ``riket_projekt``, ``riket_belopp_sek``, ``riket_andel_belopp`` and ``lokaliseringskvot``;
    a dimension in :data:`REGION_ONLY` (RUS priorities) has only the first four.
    For themes (``multi_valued``) a project counts under each of its themes with its whole amount,
    so the rows sum to more than the total; the shares are still shares of the total.
    ``total_sek`` and ``national_total_sek`` are the län's and the nation's whole portfolio.
    """

    dimension: str
    lan_kod: str
    table: pd.DataFrame
    total_sek: float
    national_total_sek: float
    multi_valued: bool


def with_category(rows: pd.DataFrame, dimension: str) -> pd.DataFrame:
    """``rows`` with a ``kategori`` column for ``dimension`` (one row per theme for themes)."""
    if dimension == "tema":
        return explode_themes(rows).rename(columns={"tema": "kategori"})
    if dimension not in DIMENSIONS:
        raise KeyError(dimension)
    category = rows[dimension]
    if dimension == "rus_prioritering":
        category = category.where(category.notna() & category.ne(""), NO_RUS)
    return rows.assign(kategori=category)


def _summarise(rows: pd.DataFrame) -> pd.DataFrame:
    grouped = rows.groupby("kategori")
    return pd.DataFrame(
        {
            "projekt_berorda": grouped["arende_id"].nunique(),
            "projekt_andelsviktade": grouped["andel"].sum(),
            "belopp_sek": grouped["belopp_sek"].sum(),
        }
    )


def _category_order(
    dimension: str, region: pd.Index, nation: pd.Index, own: Sequence[str] = ()
) -> list[str]:
    if dimension in REGION_ONLY:  # free per region: the region's own list, then any other used
        listed_own = list(dict.fromkeys(own))
        extra = sorted(c for c in region if c != NO_RUS and c not in listed_own)
        return listed_own + extra + ([NO_RUS] if NO_RUS in region else [])
    fixed = list(_FIXED_CATEGORIES[dimension])
    extra = sorted(set(nation) - set(fixed) - {NO_THEME})
    return fixed + extra + ([NO_THEME] if NO_THEME in nation else [])


def breakdown(
    weighted: pd.DataFrame, lan_kod: str, dimension: str, own: Sequence[str] = ()
) -> Breakdown:
    """The län's portfolio by ``dimension`` (a key of :data:`DIMENSIONS`) against the nation.

    Fixed classifications list every category, zeros included. RUS priorities (free per
    region, :data:`REGION_ONLY`) list the län's own priorities ``own`` (zeros included), then
    any other the län's projects name, and are not compared with the nation.
    """
    region_total = float(region_rows(weighted, lan_kod)["belopp_sek"].sum())
    national_total = float(weighted["belopp_sek"].sum())
    if dimension in REGION_ONLY:
        region = _summarise(with_category(region_rows(weighted, lan_kod), dimension))
        region = region.reindex(_category_order(dimension, region.index, region.index, own))
        region = region.fillna(0)
        with np.errstate(divide="ignore", invalid="ignore"):
            table = pd.DataFrame(
                {
                    "projekt_berorda": region["projekt_berorda"].astype(int),
                    "projekt_andelsviktade": region["projekt_andelsviktade"].astype(float),
                    "belopp_sek": region["belopp_sek"].astype(float),
                    "andel_belopp": (
                        region["belopp_sek"] / region_total if region_total else np.nan
                    ),
                }
            )
        table.index.name = "kategori"
        return Breakdown(dimension, lan_kod, table, region_total, national_total, False)
    national_rows = with_category(weighted, dimension)
    national = _summarise(national_rows)
    region = _summarise(region_rows(national_rows, lan_kod))
    order = _category_order(dimension, region.index, national.index)
    region = region.reindex(order, fill_value=0)
    national = national.reindex(order, fill_value=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        table = pd.DataFrame(
            {
                "projekt_berorda": region["projekt_berorda"].astype(int),
                "projekt_andelsviktade": region["projekt_andelsviktade"].astype(float),
                "belopp_sek": region["belopp_sek"].astype(float),
                "andel_belopp": region["belopp_sek"] / region_total if region_total else np.nan,
                "riket_projekt": national["projekt_berorda"].astype(int),
                "riket_belopp_sek": national["belopp_sek"].astype(float),
                "riket_andel_belopp": (
                    national["belopp_sek"] / national_total if national_total else np.nan
                ),
            }
        )
    table["lokaliseringskvot"] = location_quotient(
        table["belopp_sek"], region_total, table["riket_belopp_sek"], national_total
    )
    table.index.name = "kategori"
    return Breakdown(
        dimension=dimension,
        lan_kod=lan_kod,
        table=table,
        total_sek=region_total,
        national_total_sek=national_total,
        multi_valued=dimension == "tema",
    )


@dataclass(frozen=True)
class Deviation:
    """The category where a län's share of money differs most from the nation's.

    The fields are named as the columns of :attr:`Breakdown.table` and are the keys of
    ``storsta_avvikelse`` in the result file.
    """

    dimension: str
    kategori: str
    andel_belopp: float
    riket_andel_belopp: float
    lokaliseringskvot: float

    @property
    def difference(self) -> float:
        """The län's share minus the nation's (in shares; 0.05 = five percentage points)."""
        return self.andel_belopp - self.riket_andel_belopp


def largest_deviation(breakdowns: Iterable[Breakdown]) -> Deviation | None:
    """The category with the largest absolute difference in money share, over all breakdowns.

    Percentage points rather than the location quotient decide, so that a tiny category with a
    large quotient does not win. None if the län has no money.
    """
    best: Deviation | None = None
    for result in breakdowns:
        table = result.table.dropna(subset=["andel_belopp", "riket_andel_belopp"])
        if table.empty:
            continue
        gap = (table["andel_belopp"] - table["riket_andel_belopp"]).abs()
        category = gap.idxmax()
        if best is None or gap[category] > abs(best.difference):
            row = table.loc[category]
            best = Deviation(
                dimension=result.dimension,
                kategori=str(category),
                andel_belopp=float(row["andel_belopp"]),
                riket_andel_belopp=float(row["riket_andel_belopp"]),
                lokaliseringskvot=float(row["lokaliseringskvot"]),
            )
    return best


@dataclass(frozen=True)
class Population:
    """Population per län (1 January) of the latest year up to ``up_to_year`` that has a value."""

    inhabitants: pd.Series  # by lan_kod
    year: pd.Series  # the year used, by lan_kod
    up_to_year: int


def population(indicators: pd.DataFrame, up_to_year: int) -> Population:
    """Each län's population of the latest year <= ``up_to_year`` (``indikator == "befolkning"``).

    ``indicators`` is the table ``indikatorer``. A län without any population value up to that
    year is missing from the result.
    """
    chosen = (indicators["indikator"] == "befolkning") & (indicators["ar"] <= up_to_year)
    rows = indicators[chosen]
    latest = rows.sort_values(["lan_kod", "ar"]).groupby("lan_kod").tail(1).set_index("lan_kod")
    return Population(
        inhabitants=latest["varde"].astype(float),
        year=latest["ar"].astype(int),
        up_to_year=up_to_year,
    )


def per_inhabitant(rows: pd.DataFrame, people: Population) -> pd.DataFrame:
    """Per län (all 21): share-weighted projects, SEK, population and SEK per inhabitant.

    ``rows`` are project-län rows (all of them, or those of one theme).
    """
    grouped = rows.groupby("lan_kod")
    table = pd.DataFrame(
        {
            "projekt_andelsviktade": grouped["andel"].sum(),
            "belopp_sek": grouped["belopp_sek"].sum(),
        }
    ).reindex(list(LAN_CODES), fill_value=0.0)
    table["befolkning"] = people.inhabitants.reindex(table.index)
    table["befolkning_ar"] = people.year.reindex(table.index).astype("Int64")
    table["kr_per_invanare"] = table["belopp_sek"] / table["befolkning"]
    table.index.name = "lan_kod"
    return table


def national_per_inhabitant(table: pd.DataFrame) -> float:
    """SEK per inhabitant in the nation: the money of the län with a population over their sum."""
    known = table[table["befolkning"].notna()]
    people = known["befolkning"].sum()
    return float(known["belopp_sek"].sum() / people) if people else float("nan")
