"""The learning plan's parameters: the region, the run folder, the round and the funding."""

from __future__ import annotations

from dataclasses import dataclass

from utvardering.summary.parameters import SummaryParameters

__all__ = ["LearningPlanParameters"]


@dataclass(frozen=True)
class LearningPlanParameters(SummaryParameters):
    """The learning plan's parameters: the summary's, with the same meaning (the plan reads
    the same result files of the run, and builds on the summary's facts and recommendations).

    >>> LearningPlanParameters.check(lan_kod=7, korning_dir=".").lan_kod
    '07'
    """
