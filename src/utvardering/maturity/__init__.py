"""Maturity-model assessment (mognadsbedömning): scores, figures, tables and report text.

The scoring conventions (respondent score, median level, agreement, staged level, target, gap,
next steps, national place) are defined in :mod:`utvardering.maturity.scoring`; the report's
text in :mod:`utvardering.maturity.text`. :func:`build` makes the report of one region
(:class:`MaturityReport`, which follows :mod:`utvardering.protocol`); its entry in the registry
is :data:`utvardering.maturity.report_type.REPORT_TYPE`.
"""

from utvardering.maturity.assessment import MaturityAssessment, assess, assess_region
from utvardering.maturity.figures import (
    plot_dumbbell,
    plot_heatmap,
    plot_maturity_map,
    plot_national_distribution,
    plot_radar,
)
from utvardering.maturity.parameters import MaturityParameters
from utvardering.maturity.report import REPORT, MaturityReport, build, result_record
from utvardering.maturity.scoring import (
    MIN_RESPONDENTS,
    NEXT_STEPS,
    UNCHANGED,
    NextStep,
    dimension_scores,
    level_matrix,
    overall_levels,
    respondent_scores,
)
from utvardering.maturity.text import (
    HEADINGS,
    TITLE,
    text_comments,
    text_dimensions,
    text_method,
    text_model,
    text_national,
    text_next_steps,
    text_no_responses,
    text_overall,
    text_strengths,
    text_title,
    text_trend,
)

__all__ = [
    "HEADINGS",
    "MIN_RESPONDENTS",
    "NEXT_STEPS",
    "REPORT",
    "TITLE",
    "UNCHANGED",
    "MaturityAssessment",
    "MaturityParameters",
    "MaturityReport",
    "NextStep",
    "assess",
    "assess_region",
    "build",
    "dimension_scores",
    "level_matrix",
    "overall_levels",
    "plot_dumbbell",
    "plot_heatmap",
    "plot_maturity_map",
    "plot_national_distribution",
    "plot_radar",
    "respondent_scores",
    "result_record",
    "text_comments",
    "text_dimensions",
    "text_method",
    "text_model",
    "text_national",
    "text_next_steps",
    "text_no_responses",
    "text_overall",
    "text_strengths",
    "text_title",
    "text_trend",
]
