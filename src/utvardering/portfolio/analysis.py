"""Analyse one län's portfolio: every aggregate of the thematic report in one frozen result.

:func:`analyse_region` computes numbers and codes; the report (:mod:`.report`) lays them out
and turns them into the result file (``tema.json``) that the national synthesis reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.errors import ParameterError
from utvardering.portfolio.aggregate import (
    Totals,
    by_start_year,
    largest_beneficiaries,
    largest_projects,
    latest_outcomes,
    outputs_by_chain,
    sustainability_profile,
    totals,
    weight_projects,
)
from utvardering.portfolio.parameters import ThematicParameters
from utvardering.portfolio.specialisation import (
    DIMENSIONS,
    Breakdown,
    Deviation,
    Population,
    breakdown,
    largest_deviation,
    national_per_inhabitant,
    per_inhabitant,
    population,
)
from utvardering.portfolio.stryktips import Stryktips, stryktips
from utvardering.portfolio.theme import ThemeView, theme_across_regions

__all__ = [
    "DEVIATION_DIMENSIONS",
    "FEW_PROJECTS",
    "TABLES_NEEDED",
    "RegionPortfolio",
    "analyse_region",
]

# The parts of the data folder the report reads.
TABLES_NEEDED: tuple[str, ...] = (
    "projekt",
    "projekt_lan",
    "projektindikatorer",
    "indikatorer",
    "lan",
    "karta",
    "effektkedjor",
)
# A län with fewer projects than this (projects that touch it, in the period) gets the short
# report: with a handful of projects, shares and location quotients say more about single
# projects than about priorities.
FEW_PROJECTS = 5
# The national classifications compared with the nation's profile. RUS priorities are left
# out: they are free per region, so the nation has no profile of them.
DEVIATION_DIMENSIONS: tuple[str, ...] = (
    "nationell_prioritering",
    "fokusomrade",
    "effektkedja",
    "tema",
)


@dataclass(frozen=True)
class RegionPortfolio:
    """Every aggregate of one län's thematic report, with the national comparison."""

    parametrar: ThematicParameters
    lan_namn: str
    lannamn: pd.Series  # every län's name by lan_kod ("Kronobergs län")
    kortnamn: pd.Series  # every län's short name by lan_kod ("Kronoberg")
    totalt: Totals
    riket: Totals
    per_startar: pd.DataFrame
    fordelningar: dict[str, Breakdown]
    avvikelse: Deviation | None
    per_invanare: pd.DataFrame  # all 21 län
    befolkning: Population
    riket_kr_per_invanare: float
    hallbarhet: pd.DataFrame
    riket_hallbarhet: pd.DataFrame
    prestationer: pd.DataFrame
    stryktips: Stryktips  # rows: themes
    stryktips_prioritering: Stryktips  # rows: national priorities
    storsta_projekt: pd.DataFrame
    storsta_stodmottagare: pd.DataFrame
    projektlista: pd.DataFrame  # every project of the län, largest first
    tema_vy: ThemeView | None
    grans_fa_projekt: int = FEW_PROJECTS  # fewer projects than this: the short report

    @property
    def lan_kod(self) -> str:
        return self.parametrar.lan_kod

    @property
    def kort(self) -> bool:
        """True when the län has too few projects for the full report."""
        return self.totalt.projekt_berorda < self.grans_fa_projekt

    @property
    def kr_per_invanare(self) -> float:
        return float(self.per_invanare.loc[self.lan_kod, "kr_per_invanare"])


def analyse_region(
    ds: Dataset, parametrar: ThematicParameters, fa_projekt: int = FEW_PROJECTS
) -> RegionPortfolio:
    """The portfolio of ``parametrar.lan_kod`` for the projects starting in the period.

    ``ds`` must hold the tables in :data:`TABLES_NEEDED`. A län with fewer than ``fa_projekt``
    projects (that touch it) is marked for the short report.
    """
    missing = [name for name in TABLES_NEEDED if getattr(ds, name) is None]
    if missing:
        raise ParameterError(
            "Datamängden saknar " + ", ".join(missing) + ": läs in den med "
            'load_dataset(data_dir, report_type("tema").tables).'
        )
    lan_kod = parametrar.lan_kod
    weighted = weight_projects(ds.projekt, ds.projekt_lan, parametrar.period)
    latest = latest_outcomes(ds.projektindikatorer)
    folk = population(ds.indikatorer, parametrar.period[1])
    fordelningar = {d: breakdown(weighted, lan_kod, d) for d in DIMENSIONS}
    per_inv = per_inhabitant(weighted, folk)
    names = ds.lan.set_index("lan_kod")["lan_namn"]
    short_names = ds.lan.set_index("lan_kod")["lan_kortnamn"]
    tema_vy = None
    if parametrar.tema is not None:
        tema_vy = theme_across_regions(
            weighted, latest, folk, parametrar.tema, parametrar.tema_typ or "tema"
        )
    return RegionPortfolio(
        parametrar=parametrar,
        lan_namn=str(names.get(lan_kod, lan_kod)),
        lannamn=names,
        kortnamn=short_names,
        totalt=totals(weighted, lan_kod),
        riket=totals(weighted, None),
        per_startar=by_start_year(weighted, lan_kod),
        fordelningar=fordelningar,
        avvikelse=largest_deviation(fordelningar[d] for d in DEVIATION_DIMENSIONS),
        per_invanare=per_inv,
        befolkning=folk,
        riket_kr_per_invanare=national_per_inhabitant(per_inv),
        hallbarhet=sustainability_profile(weighted, lan_kod),
        riket_hallbarhet=sustainability_profile(weighted, None),
        prestationer=outputs_by_chain(weighted, latest, lan_kod),
        stryktips=stryktips(weighted, ds.projektindikatorer, lan_kod, "tema"),
        stryktips_prioritering=stryktips(
            weighted, ds.projektindikatorer, lan_kod, "nationell_prioritering"
        ),
        storsta_projekt=largest_projects(weighted, lan_kod, 10),
        storsta_stodmottagare=largest_beneficiaries(weighted, lan_kod, 10),
        projektlista=largest_projects(weighted, lan_kod, None),
        tema_vy=tema_vy,
        grans_fa_projekt=fa_projekt,
    )
