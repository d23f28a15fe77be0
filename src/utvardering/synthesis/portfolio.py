"""The national portfolio from the regions' ``tema.json``: totals, categories, funding sources,
concentration.

The region files split every project's money and count by its län shares, so the sum over the
regions is the national total and no multi-county project is counted twice. With a region
missing, the sums are the total of the regions that are in; :func:`check_totals` compares them
with the projects table. The split by funding source (ERUF, anslag 1:1, both) sums to the
total, so the 1:1 portfolio can be reported on its own. The regions' own RUS priorities are
not summed: their names are the regions' own free text and differ from region to region.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from utvardering.funding import FUNDING_SCOPES
from utvardering.synthesis.coverage import ProjectTotals
from utvardering.vocabulary import CHAIN_NAMES

__all__ = [
    "CATEGORY_DIMENSIONS",
    "CONCENTRATION_RATIO",
    "FUNDING_SOURCES",
    "PortfolioSynthesis",
    "TotalsCheck",
    "check_totals",
    "synthesize_portfolio",
]

# The classifications summed over the regions (their Swedish names are in the tables module).
CATEGORY_DIMENSIONS: tuple[str, ...] = (
    "nationell_prioritering",
    "fokusomrade",
    "effektkedja",
    "tema",
)
# The funding sources of a project (values of projekt.finansieringskalla), in reading order.
FUNDING_SOURCES: tuple[str, ...] = FUNDING_SCOPES["alla"][1]
# A theme is concentrated when its effective number of län (1 / Herfindahl index of the län's
# shares of its money) is below this share of the whole portfolio's effective number of län.
CONCENTRATION_RATIO = 0.5
_ADDITIVE = ("projekt_andelsviktade", "belopp_sek")
_TOLERANCE = 1e-6  # relative: sums of floats


@dataclass(frozen=True)
class PortfolioSynthesis:
    """The portfolio of the regions in the synthesis.

    ``per_region``: per region (index lan_kod) ``projekt_berorda``, ``projekt_andelsviktade``,
    ``belopp_sek``, ``befolkning`` and ``kr_per_invanare`` as the region reports wrote them.
    ``categories``: per dimension of :data:`CATEGORY_DIMENSIONS` a table by ``kategori`` with
    the summed ``projekt_andelsviktade`` and ``belopp_sek``, ``andel_belopp`` (of the summed
    total; themes overlap, so their shares add up to more than 1), ``n_lan`` (regions with
    money in it) and ``riket_belopp_sek`` (the whole country, as the region reports computed
    it from every project). ``concentration``: per theme its money, the three largest regions'
    share, the effective number of län and ``koncentrerat``. ``period``: the projects' start
    years. ``national``: the national totals the region reports computed (all län).
    ``effective_regions_all``: the whole portfolio's effective number of län. ``funding``: per
    funding source of :data:`FUNDING_SOURCES` (index ``kategori``) the summed
    ``projekt_andelsviktade`` and ``belopp_sek``, ``andel_belopp`` and ``n_lan``; every project
    has one source, so the rows sum to the total. ``funding_missing``: regions whose file has
    no split by funding source (their money is in the total but not in ``funding``).
    """

    period: tuple[int, int] | None
    per_region: pd.DataFrame
    categories: dict[str, pd.DataFrame]
    concentration: pd.DataFrame
    national: dict[str, float]
    effective_regions_all: float
    funding: pd.DataFrame = dataclasses.field(default_factory=pd.DataFrame)
    funding_missing: tuple[str, ...] = ()

    @property
    def amount_sek(self) -> float:
        """The granted amount of the regions in the synthesis (kronor)."""
        return float(self.per_region["belopp_sek"].sum())

    @property
    def projects(self) -> float:
        """The share-weighted number of projects of the regions in the synthesis."""
        return float(self.per_region["projekt_andelsviktade"].sum())

    @property
    def population(self) -> float:
        """The population of the regions in the synthesis."""
        return float(self.per_region["befolkning"].sum())

    @property
    def sek_per_inhabitant(self) -> float:
        """The granted amount per inhabitant of the regions in the synthesis."""
        people = self.population
        return self.amount_sek / people if people else float("nan")


def _effective_number(amounts: pd.Series) -> float:
    total = amounts.sum()
    if total <= 0:
        return float("nan")
    shares = amounts / total
    return float(1 / (shares**2).sum())


def _categories(
    payloads: Mapping[str, dict[str, Any]], dimension: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        {"lan_kod": code, **record}
        for code, payload in payloads.items()
        for record in payload["fordelning"][dimension]
    ]
    long = pd.DataFrame(rows)
    if long.empty:
        empty = pd.DataFrame(columns=[*_ADDITIVE, "andel_belopp", "n_lan", "riket_belopp_sek"])
        return empty.rename_axis("kategori"), long
    grouped = long.groupby("kategori", sort=False)
    table = grouped[list(_ADDITIVE)].sum()
    total = sum(float(p["totalt"]["belopp_sek"]) for p in payloads.values())
    table["andel_belopp"] = table["belopp_sek"] / total if total else np.nan
    table["n_lan"] = grouped["belopp_sek"].apply(lambda s: int((s > 0).sum()))
    table["riket_belopp_sek"] = grouped["riket_belopp_sek"].first()
    if dimension == "effektkedja":
        table.insert(0, "namn", [CHAIN_NAMES.get(k, k) for k in table.index])
    return table, long


def _concentration(long: pd.DataFrame, names: Mapping[str, str], ratio_base: float):
    rows = []
    if long.empty:
        return pd.DataFrame()
    for theme, group in long.groupby("kategori", sort=False):
        amounts = group.set_index("lan_kod")["belopp_sek"].astype(float)
        total = float(amounts.sum())
        if total <= 0:
            continue
        # The largest län among those with money in the theme (a län without is none of them).
        top = amounts[amounts > 0].sort_values(ascending=False).head(3)
        effective = _effective_number(amounts)
        rows.append(
            {
                "kategori": theme,
                "belopp_sek": total,
                "n_lan": int((amounts > 0).sum()),
                "storsta_lan": names.get(top.index[0], top.index[0]),
                "andel_storsta_lan": float(top.iloc[0] / total),
                "andel_tre_storsta": float(top.sum() / total),
                "tre_storsta": ", ".join(names.get(c, c) for c in top.index),
                "effektivt_antal_lan": effective,
                "koncentrerat": bool(effective < CONCENTRATION_RATIO * ratio_base),
            }
        )
    table = pd.DataFrame(rows).set_index("kategori")
    return table.sort_values("effektivt_antal_lan")


def _funding(payloads: Mapping[str, dict[str, Any]]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Money and share-weighted projects by funding source, summed over the regions."""
    missing = tuple(
        code for code, p in sorted(payloads.items()) if "finansieringskalla" not in p["fordelning"]
    )
    rows = [
        {"lan_kod": code, **record}
        for code, payload in payloads.items()
        for record in payload["fordelning"].get("finansieringskalla", ())
    ]
    columns = [*_ADDITIVE, "andel_belopp", "n_lan"]
    long = pd.DataFrame(rows, columns=["lan_kod", "kategori", *_ADDITIVE])
    unknown = sorted(set(long["kategori"]) - set(FUNDING_SOURCES))
    order = [*FUNDING_SOURCES, *unknown]  # a source the vocabulary lacks is shown, not dropped
    grouped = long.groupby("kategori")
    table = grouped[list(_ADDITIVE)].sum().reindex(order, fill_value=0.0).astype(float)
    counts = grouped["belopp_sek"].apply(lambda s: int((s > 0).sum()))
    table["n_lan"] = counts.reindex(order, fill_value=0).astype(int)
    total = float(table["belopp_sek"].sum())
    table["andel_belopp"] = table["belopp_sek"] / total if total else np.nan
    table.index.name = "kategori"
    return table[columns], missing


def synthesize_portfolio(
    payloads: Mapping[str, dict[str, Any]], names: Mapping[str, str] | None = None
) -> PortfolioSynthesis:
    """Sum the regions' portfolios (lan_kod → ``tema.json``, checked against its schema) to the
    national picture."""
    names = dict(names or {})
    codes = sorted(payloads)
    per_region = pd.DataFrame(
        {
            code: {
                "projekt_berorda": payloads[code]["totalt"]["projekt_berorda"],
                "projekt_andelsviktade": payloads[code]["totalt"]["projekt_andelsviktade"],
                "belopp_sek": payloads[code]["totalt"]["belopp_sek"],
                "befolkning": payloads[code]["befolkning"]["varde"],
                "kr_per_invanare": payloads[code]["totalt"]["kr_per_invanare"],
            }
            for code in codes
        },
        index=["projekt_berorda", "projekt_andelsviktade", "belopp_sek", "befolkning",
               "kr_per_invanare"],
    ).T  # fmt: skip
    per_region = per_region.apply(pd.to_numeric)
    per_region["projekt_berorda"] = per_region["projekt_berorda"].astype("Int64")
    per_region.index.name = "lan_kod"
    categories, theme_long = {}, pd.DataFrame()
    for dimension in CATEGORY_DIMENSIONS:
        categories[dimension], long = _categories(payloads, dimension)
        if dimension == "tema":
            theme_long = long
    effective_all = _effective_number(per_region["belopp_sek"]) if codes else float("nan")
    first = payloads[codes[0]] if codes else {}
    period = tuple(first["period"]) if codes else None
    national = {k: float(v) for k, v in first["riket"].items() if v is not None} if codes else {}
    funding, funding_missing = _funding(payloads)
    return PortfolioSynthesis(
        period=period,
        per_region=per_region,
        categories=categories,
        concentration=_concentration(theme_long, names, effective_all),
        national=national,
        effective_regions_all=effective_all,
        funding=funding,
        funding_missing=funding_missing,
    )


@dataclass(frozen=True)
class TotalsCheck:
    """The regions' summed money against the projects table (same period).

    ``difference`` = table total − summed regions; ``missing`` = the table's money in the
    regions that are not in. ``agrees`` is true when the summed regions equal the table's
    total; ``explained`` when the difference is exactly the missing regions' money.
    """

    summed: float
    table_total: float
    missing: float
    difference: float
    agrees: bool
    explained: bool


def check_totals(
    synthesis: PortfolioSynthesis, projects: ProjectTotals, missing_codes: list[str]
) -> TotalsCheck:
    """Compare the summed region files with the projects table's total for the same period."""
    summed, total = synthesis.amount_sek, projects.amount_sek
    missing = float(projects.per_region.loc[list(missing_codes), "belopp_sek"].sum())
    scale = max(abs(total), 1.0)
    difference = total - summed
    return TotalsCheck(
        summed=summed,
        table_total=total,
        missing=missing,
        difference=difference,
        agrees=abs(difference) <= _TOLERANCE * scale,
        explained=abs(difference - missing) <= _TOLERANCE * scale,
    )
