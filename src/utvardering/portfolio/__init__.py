"""Thematic evaluation of the project portfolio (tematisk utvärdering): where the money goes.

Money and projects are split between län by the projects' län shares, so that no krona is
counted twice; themes are multi-valued and a project counts under each of its themes. The
report follows the report protocol (:mod:`utvardering.protocol`): the notebook
``tematisk_utvardering.ipynb`` checks :class:`ThematicParameters`, calls :func:`build` and shows
the :class:`ThematicReport`'s sections; the analyses below it are plain functions on DataFrames.
"""

from utvardering.portfolio.aggregate import (
    Totals,
    by_start_year,
    explode_themes,
    largest_beneficiaries,
    largest_projects,
    latest_outcomes,
    outputs_by_chain,
    sustainability_profile,
    theme_rows,
    totals,
    weight_projects,
)
from utvardering.portfolio.analysis import (
    FEW_PROJECTS,
    TABLES_NEEDED,
    TABLES_OPTIONAL,
    RegionPortfolio,
    analyse_region,
)
from utvardering.portfolio.parameters import DEFAULT_PERIOD, ThematicParameters
from utvardering.portfolio.report import SECTIONS, ThematicReport, build, result_body
from utvardering.portfolio.specialisation import (
    DIMENSIONS,
    Breakdown,
    Deviation,
    Population,
    breakdown,
    largest_deviation,
    location_quotient,
    national_per_inhabitant,
    per_inhabitant,
    population,
)
from utvardering.portfolio.stryktips import Stryktips, stryktips
from utvardering.portfolio.theme import ThemeView, theme_across_regions

__all__ = [
    "DEFAULT_PERIOD",
    "DIMENSIONS",
    "FEW_PROJECTS",
    "SECTIONS",
    "TABLES_NEEDED",
    "TABLES_OPTIONAL",
    "Breakdown",
    "Deviation",
    "Population",
    "RegionPortfolio",
    "Stryktips",
    "ThematicParameters",
    "ThematicReport",
    "ThemeView",
    "Totals",
    "analyse_region",
    "breakdown",
    "build",
    "by_start_year",
    "explode_themes",
    "largest_beneficiaries",
    "largest_deviation",
    "largest_projects",
    "latest_outcomes",
    "location_quotient",
    "national_per_inhabitant",
    "outputs_by_chain",
    "per_inhabitant",
    "population",
    "result_body",
    "stryktips",
    "sustainability_profile",
    "theme_across_regions",
    "theme_rows",
    "totals",
    "weight_projects",
]
