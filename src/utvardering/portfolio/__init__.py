"""Thematic evaluation of the project portfolio (tematisk utvärdering): where the money goes.

Money and projects are split between län by the projects' län shares, so that no krona is
counted twice; themes are multi-valued and a project counts under each of its themes. The
notebook ``tematisk_utvardering.ipynb`` uses :func:`check_parameters`, :func:`build_report` and
:func:`write_outputs`; the analyses below them are plain functions on DataFrames.
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
    REPORT,
    TABLES_NEEDED,
    RegionPortfolio,
    analyse_region,
    result_payload,
)
from utvardering.portfolio.parameters import ReportParameters, check_parameters
from utvardering.portfolio.report import (
    SECTIONS,
    RegionReport,
    Sektion,
    build_report,
    write_outputs,
)
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
    "DIMENSIONS",
    "FEW_PROJECTS",
    "REPORT",
    "SECTIONS",
    "TABLES_NEEDED",
    "Breakdown",
    "Deviation",
    "Population",
    "RegionPortfolio",
    "RegionReport",
    "ReportParameters",
    "Sektion",
    "Stryktips",
    "ThemeView",
    "Totals",
    "analyse_region",
    "breakdown",
    "build_report",
    "by_start_year",
    "check_parameters",
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
    "result_payload",
    "stryktips",
    "sustainability_profile",
    "theme_across_regions",
    "theme_rows",
    "totals",
    "weight_projects",
    "write_outputs",
]
