"""Frozen result objects of the effect estimators, and the warning they raise.

Every estimator in :mod:`utvardering.effects` returns one of these. They carry the numbers a
report needs (estimate, standard error, 95 % interval, sample sizes) and, in words, the variance
convention that produced them, plus the Swedish warnings a report should show next to them.
Reporting code reads these objects and never re-estimates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd

__all__ = [
    "Estimate",
    "EstimationWarning",
    "IPWResult",
    "ITSResult",
    "PooledEstimate",
    "PretrendTest",
    "StaggeredResult",
    "SyntheticControlResult",
    "WarningCode",
]


class WarningCode(StrEnum):
    """What an :class:`EstimationWarning` is about; its ``values`` carry the numbers."""

    FEW_CLUSTERS = "fa_kluster"  # n, column, limit
    FEW_TREATED = "fa_behandlade"  # n, unit ("observationer", "kluster", "enheter"), column
    FEW_TREATED_UNITS = "fa_behandlade_enheter"  # n (staggered adoption)
    SMALL_GROUP = "liten_grupp"  # n (IPW: observations in the smaller group)
    EXTREME_PROPENSITY = "extrem_propensitet"  # n, limit
    UNBALANCED_PANEL = "obalanserad_panel"  # n, total, periods
    TREATED_FROM_START = "behandlade_fran_start"  # n, period
    POOR_PRE_FIT = "dalig_anpassning_fore"  # rmspe
    FEW_PLACEBO_UNITS = "fa_placeboenheter"  # n
    FEW_SEGMENT_OBSERVATIONS = "fa_observationer_segment"  # limit


class EstimationWarning(UserWarning):
    """An estimate was produced, but under conditions a reader should know about.

    Raised for few clusters, few treated units and similar. ``code`` says what (a
    :class:`WarningCode`) and ``values`` carry its numbers, so that a report's text layer can
    word it; the message is for developers. The message is also kept in the result's
    ``warnings``.
    """

    def __init__(self, message: str, code: WarningCode | None = None, **values: Any):
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True, kw_only=True)
class Estimate:
    """One effect estimate with its uncertainty.

    ``conf_int`` is the 95 % interval. ``df`` is the degrees of freedom of the t distribution
    used for the interval and p-value, ``None`` when the normal distribution is used. ``vcov``
    says in words how the standard error was computed. ``warnings`` holds Swedish sentences a
    report should show beside the number.
    """

    estimate: float
    std_error: float
    conf_int: tuple[float, float]
    n_obs: int
    n_clusters: int | None
    method: str
    vcov: str
    p_value: float = float("nan")
    df: float | None = None
    n_treated: int | None = None
    warnings: tuple[str, ...] = ()

    @property
    def t_stat(self) -> float:
        """The estimate divided by its standard error."""
        return self.estimate / self.std_error if self.std_error > 0 else float("nan")

    def as_dict(self) -> dict[str, object]:
        """The estimate as plain JSON-friendly values (for result files)."""
        return {
            "estimate": self.estimate,
            "std_error": self.std_error,
            "conf_int": list(self.conf_int),
            "p_value": self.p_value,
            "n_obs": self.n_obs,
            "n_clusters": self.n_clusters,
            "n_treated": self.n_treated,
            "method": self.method,
            "vcov": self.vcov,
            "warnings": list(self.warnings),
        }


@dataclass(frozen=True, kw_only=True, eq=False)
class IPWResult(Estimate):
    """An inverse-probability-weighted effect with its weight and balance diagnostics.

    ``balance`` has one row per covariate column of the propensity model: ``smd_before``,
    ``smd_after`` (standardised mean differences, treated minus control, divided by the
    pooled unweighted standard deviation). ``weight_summary`` gives min, max, mean of the
    weights by group, the effective sample sizes and the number of extreme weights.
    ``propensity`` is the fitted propensity score for every used row (index of the input).
    """

    estimand: str
    balance: pd.DataFrame
    weight_summary: pd.DataFrame
    propensity: pd.Series


@dataclass(frozen=True)
class PretrendTest:
    """Wald test that all pre-treatment event-time effects are zero (chi², df, p-value)."""

    statistic: float
    df: int
    p_value: float
    event_times: tuple[int, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False)
class StaggeredResult:
    """Callaway & Sant'Anna group-time effects and their event-study aggregation.

    ``att_gt``: columns ``group``, ``time``, ``event_time``, ``att``, ``se``, ``ci_low``,
    ``ci_high``, ``n_treated``, ``n_control``. ``event_study``: columns ``event_time``, ``att``,
    ``se``, ``ci_low``, ``ci_high`` (pointwise 95 %), weights from cohort sizes. ``overall``: the
    mean of the event-study effects at event times >= 0. ``pretrend``: Wald test of the
    pre-treatment event-time effects (``None`` when there are none); ``pretrend_gt``: the same
    test on all pre-treatment ATT(g,t), as the R package ``did`` reports it.
    """

    att_gt: pd.DataFrame
    event_study: pd.DataFrame
    overall: Estimate
    pretrend: PretrendTest | None
    pretrend_gt: PretrendTest | None = None
    control_group: str
    n_units: int
    n_treated_units: int
    n_obs: int
    method: str
    vcov: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False)
class SyntheticControlResult:
    """A synthetic control for one treated unit.

    ``weights``: donor weights (index: donor unit, non-negative, sum 1). ``treated`` and
    ``synthetic``: outcome paths by time; ``gap`` = treated - synthetic. ``att``: mean gap from
    the treatment time on. ``placebo_ratios``: post/pre RMSPE ratio of every unit when it is
    treated as the treated one (in-space placebos); ``placebo_p_value``: share of units whose
    ratio is at least the treated unit's.
    """

    treated_unit: object
    treatment_time: object
    weights: pd.Series
    treated: pd.Series
    synthetic: pd.Series
    gap: pd.Series
    att: float
    pre_rmspe: float
    post_rmspe: float
    placebo_ratios: pd.Series
    placebo_p_value: float
    method: str = "Syntetisk kontroll (Abadie m.fl.), vikter på simplex"
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False)
class ITSResult:
    """Segmented regression of an interrupted time series.

    ``level_change``: jump at the intervention; ``slope_change``: change of the linear trend
    from the intervention on (``None`` if not estimated). ``params``: all coefficients with
    ``coef``, ``se``, ``ci_low``, ``ci_high``. ``fitted`` and ``counterfactual`` (the pre-trend
    extended) are indexed like the input rows, sorted by time.
    """

    level_change: Estimate
    slope_change: Estimate | None
    params: pd.DataFrame
    fitted: pd.Series
    counterfactual: pd.Series
    n_obs: int
    cov_type: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True, eq=False)
class PooledEstimate:
    """Inverse-variance pooling of several estimates (fixed or DerSimonian-Laird random effects).

    ``studies`` has one row per input (``label``, ``estimate``, ``std_error``, ``ci_low``,
    ``ci_high``, ``weight`` in percent): what a forest plot needs, with the pooled row kept
    apart in ``estimate`` and ``conf_int``. ``tau2`` is the between-study variance (0 for
    fixed effect), ``i2`` the share of variation due to heterogeneity (0-1), ``q`` Cochran's Q
    with ``q_df`` degrees of freedom and ``q_p_value``.
    """

    estimate: float
    std_error: float
    conf_int: tuple[float, float]
    p_value: float
    method: str
    tau2: float
    i2: float
    q: float
    q_df: int
    q_p_value: float
    studies: pd.DataFrame = field(repr=False)
    prediction_interval: tuple[float, float] | None = None
    warnings: tuple[str, ...] = ()

    @property
    def n_studies(self) -> int:
        """How many estimates were pooled."""
        return len(self.studies)
