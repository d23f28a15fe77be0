"""Analyse one län's portfolio: every aggregate of the thematic report in one frozen result.

:func:`analyse_region` computes numbers and codes; the report (:mod:`.report`) lays them out
and turns them into the result file (``tema.json``) that the national synthesis reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.errors import ParameterError
from utvardering.funding import select_funding
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
    "TABLES_OPTIONAL",
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
# Parts the report reads when the data folder has them: each län's own RUS priorities (only the
# job's län's rows matter).
TABLES_OPTIONAL: tuple[str, ...] = ("rus_prioriteringar",)
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

    params: ThematicParameters
    region_name: str
    region_names: pd.Series  # every län's name by lan_kod ("Kronobergs län")
    short_names: pd.Series  # every län's short name by lan_kod ("Kronoberg")
    total: Totals
    national: Totals
    start_years: pd.DataFrame
    breakdowns: dict[str, Breakdown]
    deviation: Deviation | None
    per_inhabitant: pd.DataFrame  # all 21 län
    population: Population
    national_sek_per_inhabitant: float
    sustainability: pd.DataFrame
    national_sustainability: pd.DataFrame
    outputs: pd.DataFrame
    stryktips: Stryktips  # rows: themes
    stryktips_by_priority: Stryktips  # rows: national priorities
    largest_projects: pd.DataFrame
    largest_beneficiaries: pd.DataFrame
    projects: pd.DataFrame  # every project of the län, largest first
    theme_view: ThemeView | None
    rus_priorities: tuple[str, ...] = ()  # the län's own RUS priorities (rus_prioriteringar)
    # First and last start year of the projects in the data (all of them, whatever the
    # period and funding scope), and of those in the report (the nation's); None without any.
    data_years: tuple[int, int] | None = None
    national_years: tuple[int, int] | None = None
    few_projects: int = FEW_PROJECTS  # fewer projects than this: the short report

    @property
    def lan_kod(self) -> str:
        return self.params.lan_kod

    @property
    def short(self) -> bool:
        """True when the län has too few projects for the full report."""
        return self.total.projekt_berorda < self.few_projects

    @property
    def region_years(self) -> tuple[int, int] | None:
        """First and last start year of the län's projects in the report; None without any."""
        years = self.start_years.index
        return None if len(years) == 0 else (int(years.min()), int(years.max()))

    @property
    def sek_per_inhabitant(self) -> float:
        return float(self.per_inhabitant.loc[self.lan_kod, "kr_per_invanare"])


def analyse_region(
    ds: Dataset, params: ThematicParameters, few_projects: int = FEW_PROJECTS
) -> RegionPortfolio:
    """The portfolio of ``params.lan_kod`` for the projects starting in the period, within the
    funding scope ``params.finansiering`` (the nation is the same selection).

    ``ds`` must hold the tables in :data:`TABLES_NEEDED`. A län with fewer than ``few_projects``
    projects (that touch it) is marked for the short report.
    """
    missing = [name for name in TABLES_NEEDED if getattr(ds, name) is None]
    if missing:
        raise ParameterError(
            "Datamängden saknar " + ", ".join(missing) + ": läs in den med "
            'load_dataset(data_dir, report_type("tema").tables).'
        )
    lan_kod = params.lan_kod
    in_scope = select_funding(ds.projekt, params.finansiering)
    weighted = weight_projects(in_scope, ds.projekt_lan, params.period)
    latest = latest_outcomes(ds.projektindikatorer)
    people = population(ds.indikatorer, params.period[1])
    lists = getattr(ds, "rus_prioriteringar", None)
    own: tuple[str, ...] = ()
    if lists is not None:
        own = tuple(lists.loc[lists["lan_kod"] == lan_kod, "prioritering"])
    breakdowns = {
        d: breakdown(weighted, lan_kod, d, own if d == "rus_prioritering" else ())
        for d in DIMENSIONS
    }
    by_region = per_inhabitant(weighted, people)
    names = ds.lan.set_index("lan_kod")["lan_namn"]
    short_names = ds.lan.set_index("lan_kod")["lan_kortnamn"]
    theme_view = None
    if params.tema is not None:
        theme_view = theme_across_regions(
            weighted, latest, people, params.tema, params.theme_kind or "tema"
        )
    return RegionPortfolio(
        params=params,
        region_name=str(names.get(lan_kod, lan_kod)),
        region_names=names,
        short_names=short_names,
        total=totals(weighted, lan_kod),
        national=totals(weighted, None),
        start_years=by_start_year(weighted, lan_kod),
        breakdowns=breakdowns,
        deviation=largest_deviation(breakdowns[d] for d in DEVIATION_DIMENSIONS),
        per_inhabitant=by_region,
        population=people,
        national_sek_per_inhabitant=national_per_inhabitant(by_region),
        sustainability=sustainability_profile(weighted, lan_kod),
        national_sustainability=sustainability_profile(weighted, None),
        outputs=outputs_by_chain(weighted, latest, lan_kod),
        stryktips=stryktips(weighted, ds.projektindikatorer, lan_kod, "tema"),
        stryktips_by_priority=stryktips(
            weighted, ds.projektindikatorer, lan_kod, "nationell_prioritering"
        ),
        largest_projects=largest_projects(weighted, lan_kod, 10),
        largest_beneficiaries=largest_beneficiaries(weighted, lan_kod, 10),
        projects=largest_projects(weighted, lan_kod, None),
        theme_view=theme_view,
        few_projects=few_projects,
        rus_priorities=own,
        data_years=_years(ds.projekt["startdatum"]),
        national_years=_years(weighted["startdatum"]),
    )


def _years(dates: pd.Series) -> tuple[int, int] | None:
    years = dates.dropna().dt.year
    return None if years.empty else (int(years.min()), int(years.max()))
