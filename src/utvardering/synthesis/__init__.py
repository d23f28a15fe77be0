"""National synthesis (nationell syntes): the country's picture from the region reports' results.

The notebook ``nationell_syntes.ipynb`` calls :func:`build_synthesis` and shows its sections.
The parts are plain functions on the parsed result files: :func:`collect_results` reads a run,
:func:`synthesize_maturity`, :func:`synthesize_portfolio` and :func:`synthesize_effects`
combine the regions, and :func:`regional_development` reads the key indicators.
"""

from utvardering.synthesis.collect import COVERAGE_LABELS, REPORTS, RunResults, collect_results
from utvardering.synthesis.coverage import (
    Coverage,
    ProjectTotals,
    coverage,
    latest_population,
    project_totals,
)
from utvardering.synthesis.development import (
    INDICATORS,
    Development,
    IndicatorSeries,
    regional_development,
)
from utvardering.synthesis.effects import EffectSynthesis, synthesize_effects
from utvardering.synthesis.figures import (
    plot_attainment,
    plot_categories,
    plot_concentration,
    plot_development,
    plot_forest,
    plot_maturity_spread,
)
from utvardering.synthesis.maturity import MaturitySynthesis, synthesize_maturity
from utvardering.synthesis.portfolio import (
    PortfolioSynthesis,
    TotalsCheck,
    check_totals,
    synthesize_portfolio,
)
from utvardering.synthesis.report import (
    REPORT,
    SECTIONS,
    TABLES_NEEDED,
    Synthesis,
    build_synthesis,
    check_parameters,
)
from utvardering.synthesis.text import text_files, text_intro

__all__ = [
    "COVERAGE_LABELS",
    "INDICATORS",
    "REPORT",
    "REPORTS",
    "SECTIONS",
    "TABLES_NEEDED",
    "Coverage",
    "Development",
    "EffectSynthesis",
    "IndicatorSeries",
    "MaturitySynthesis",
    "PortfolioSynthesis",
    "ProjectTotals",
    "RunResults",
    "Synthesis",
    "TotalsCheck",
    "build_synthesis",
    "check_parameters",
    "check_totals",
    "collect_results",
    "coverage",
    "latest_population",
    "plot_attainment",
    "plot_categories",
    "plot_concentration",
    "plot_development",
    "plot_forest",
    "plot_maturity_spread",
    "project_totals",
    "regional_development",
    "synthesize_effects",
    "synthesize_maturity",
    "synthesize_portfolio",
    "text_files",
    "text_intro",
]
