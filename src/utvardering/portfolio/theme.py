"""One theme or focus area across the 21 län: who invests how much, in which chains, for what.

Money, projects and outputs are split by the projects' län shares, as everywhere in the
portfolio analysis, so the 21 rows sum to the national total of the theme.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from utvardering.portfolio.aggregate import mandatory_outcomes, theme_rows
from utvardering.portfolio.specialisation import (
    Population,
    location_quotient,
    national_per_inhabitant,
    per_inhabitant,
)
from utvardering.vocabulary import CHAIN_IDS, LAN_CODES, MANDATORY_INDICATORS

__all__ = ["ThemeView", "theme_across_regions"]


@dataclass(frozen=True)
class ThemeView:
    """A theme (``kind == "tema"``) or focus area (``"fokusomrade"``) in every län.

    ``by_region`` (index ``lan_kod``, all 21 län): ``projekt_berorda``, ``projekt_andelsviktade``,
    ``belopp_sek``, ``befolkning``, ``kr_per_invanare``, ``andel_av_lanets_belopp`` and
    ``lokaliseringskvot``. ``by_chain``: SEK by län and effect chain. ``outputs``: the
    mandatory output indicators (latest outcomes, split by share) by län. The ``national_*``
    fields are the theme's projects, SEK and SEK per inhabitant in the nation.
    """

    theme: str
    kind: str
    by_region: pd.DataFrame
    by_chain: pd.DataFrame
    outputs: pd.DataFrame
    national_projects: int
    national_sek: float
    national_sek_per_inhabitant: float


def theme_across_regions(
    weighted: pd.DataFrame,
    latest: pd.DataFrame,
    people: Population,
    theme: str,
    kind: str,
) -> ThemeView:
    """The theme's portfolio in each of the 21 län against each län's whole portfolio.

    ``weighted`` holds all project-län rows of the period, ``latest`` the latest outcomes
    (:func:`~utvardering.portfolio.aggregate.latest_outcomes`).
    """
    rows = theme_rows(weighted, theme, kind)
    table = per_inhabitant(rows, people)
    table.insert(
        0,
        "projekt_berorda",
        rows.groupby("lan_kod")["arende_id"].nunique().reindex(table.index, fill_value=0),
    )
    all_money = weighted.groupby("lan_kod")["belopp_sek"].sum().reindex(table.index, fill_value=0)
    national_all = float(weighted["belopp_sek"].sum())
    national_theme = float(rows["belopp_sek"].sum())
    table["andel_av_lanets_belopp"] = (table["belopp_sek"] / all_money).where(all_money > 0)
    table["lokaliseringskvot"] = location_quotient(
        table["belopp_sek"], all_money, national_theme, national_all
    )
    chains = (
        rows.groupby(["lan_kod", "effektkedja"])["belopp_sek"]
        .sum()
        .unstack("effektkedja")
        .reindex(index=list(LAN_CODES), columns=list(CHAIN_IDS))
        .fillna(0.0)
    )
    outputs = (
        mandatory_outcomes(rows, latest)
        .groupby(["lan_kod", "indikator"])["utfall_andel"]
        .sum()
        .unstack("indikator")
        .reindex(index=list(LAN_CODES), columns=list(MANDATORY_INDICATORS))
        .fillna(0.0)
    )
    for frame in (chains, outputs):
        frame.index.name = "lan_kod"
    return ThemeView(
        theme=theme,
        kind=kind,
        by_region=table,
        by_chain=chains,
        outputs=outputs,
        national_projects=int(rows["arende_id"].nunique()),
        national_sek=national_theme,
        national_sek_per_inhabitant=national_per_inhabitant(table),
    )
