"""National synthesis (nationell syntes): the country's picture from the region reports' results.

The notebook ``nationell_syntes.ipynb`` follows the report protocol
(:mod:`utvardering.protocol`): ``typ.build(ds, parametrar)`` is :func:`build`, which returns a
:class:`Synthesis`. The parts are plain functions on the checked result files:
:func:`collect_results` reads a run, :func:`synthesize_maturity`, :func:`synthesize_portfolio`,
:func:`synthesize_effects` and :func:`synthesize_goals` combine the regions, and
:func:`regional_development` reads the key indicators. :mod:`~utvardering.synthesis.text` and
:mod:`~utvardering.synthesis.tables` are the Swedish layer on top of them.
"""

from utvardering.synthesis.collect import REPORTS, Inclusion, Mismatch, RunResults, collect_results
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
from utvardering.synthesis.effects import (
    EffectSynthesis,
    NoEstimate,
    OutcomeEffects,
    synthesize_effects,
)
from utvardering.synthesis.figures import (
    plot_attainment,
    plot_categories,
    plot_concentration,
    plot_development,
    plot_forest,
    plot_goal_map,
    plot_maturity_spread,
)
from utvardering.synthesis.goals import GoalSynthesis, synthesize_goals
from utvardering.synthesis.maturity import MaturitySynthesis, synthesize_maturity
from utvardering.synthesis.parameters import ALL_OUTCOMES, SynthesisParameters
from utvardering.synthesis.parts import SynthesisParts
from utvardering.synthesis.portfolio import (
    PortfolioSynthesis,
    TotalsCheck,
    check_totals,
    synthesize_portfolio,
)
from utvardering.synthesis.report import SECTIONS, TABLES, Synthesis, build
from utvardering.synthesis.spread import Spread, level_spread, ratio_spread

__all__ = [
    "ALL_OUTCOMES",
    "INDICATORS",
    "REPORTS",
    "SECTIONS",
    "TABLES",
    "Coverage",
    "Development",
    "EffectSynthesis",
    "GoalSynthesis",
    "Inclusion",
    "IndicatorSeries",
    "MaturitySynthesis",
    "Mismatch",
    "NoEstimate",
    "OutcomeEffects",
    "PortfolioSynthesis",
    "ProjectTotals",
    "RunResults",
    "Spread",
    "Synthesis",
    "SynthesisParameters",
    "SynthesisParts",
    "TotalsCheck",
    "build",
    "check_totals",
    "collect_results",
    "coverage",
    "latest_population",
    "level_spread",
    "plot_attainment",
    "plot_categories",
    "plot_concentration",
    "plot_development",
    "plot_forest",
    "plot_goal_map",
    "plot_maturity_spread",
    "project_totals",
    "ratio_spread",
    "regional_development",
    "synthesize_effects",
    "synthesize_goals",
    "synthesize_maturity",
    "synthesize_portfolio",
]
