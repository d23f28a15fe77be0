"""Maturity-model assessment (mognadsbedömning): scores, figures, tables and report text.

The scoring conventions (respondent score, median level, agreement, staged level, target, gap,
next steps, national place) are defined in :mod:`utvardering.maturity.scoring`.
"""

from utvardering.maturity.assessment import (
    REPORT,
    TITLE,
    MaturityAssessment,
    assess,
    assess_region,
    result_record,
)
from utvardering.maturity.figures import (
    plot_dumbbell,
    plot_heatmap,
    plot_maturity_map,
    plot_national_distribution,
    plot_radar,
)
from utvardering.maturity.report import MaturityReport, build_report
from utvardering.maturity.scoring import (
    MIN_RESPONDENTS,
    NextStep,
    dimension_scores,
    level_matrix,
    overall_levels,
    respondent_scores,
)
from utvardering.maturity.text import (
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
    "MIN_RESPONDENTS",
    "REPORT",
    "TITLE",
    "MaturityAssessment",
    "MaturityReport",
    "NextStep",
    "assess",
    "assess_region",
    "build_report",
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
