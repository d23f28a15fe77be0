"""Interrupted time series: segmented regression with a level and a slope change."""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
import statsmodels.api as sm

from utvardering.effects._checks import as_float, as_names, check_columns, check_missing, warn
from utvardering.effects._inference import interval, p_value
from utvardering.effects.results import Estimate, ITSResult, WarningCode
from utvardering.errors import EstimationError

__all__ = ["interrupted_time_series"]

# Fewer observations than this before or after the intervention make the estimate uncertain.
_FEW_SEGMENT_OBSERVATIONS = 3

CovType = Literal["nonrobust", "HAC"]


def interrupted_time_series(
    data: pd.DataFrame,
    outcome: str,
    time: str,
    intervention_time: float,
    *,
    covariates: str | tuple[str, ...] | list[str] = (),
    slope_change: bool = True,
    cov_type: CovType = "nonrobust",
    hac_lags: int | None = None,
) -> ITSResult:
    """Segmented regression y = b0 + b1·t + b2·post + b3·(t - T0)·post (+ covariates).

    ``post`` is 1 from ``intervention_time`` on. ``level_change`` is b2, ``slope_change`` b3
    (omitted when ``slope_change`` is False). ``cov_type="HAC"`` gives Newey-West standard
    errors with ``hac_lags`` lags (default floor(4 (n/100)^(2/9))) and normal intervals;
    ``"nonrobust"`` classical OLS with t intervals.
    """
    where = "interrupted_time_series"
    if cov_type not in ("nonrobust", "HAC"):
        raise EstimationError(
            f"{where}: cov_type måste vara 'nonrobust' eller 'HAC', fick {cov_type!r}."
        )
    covariates = as_names(covariates)
    used = [outcome, time, *covariates]
    check_columns(data, used, where)
    check_missing(data, used, where)
    ordered = data.sort_values(time)
    y = as_float(ordered, outcome, where)
    t = as_float(ordered, time, where)
    post = (t >= intervention_time).astype(float)
    if post.sum() < 1 or post.sum() == len(post):
        raise EstimationError(
            f"{where}: interventionstiden {intervention_time!r} måste ligga inom tidsserien "
            f"({t.min():g}-{t.max():g}) med observationer både före och efter."
        )
    columns = {"konstant": np.ones(len(y)), "trend": t - intervention_time, "nivåskifte": post}
    if slope_change:
        columns["trendbrott"] = (t - intervention_time) * post
    for c in covariates:
        columns[c] = as_float(ordered, c, where)
    x = np.column_stack(list(columns.values()))
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise EstimationError(
            f"{where}: designmatrisen är singulär; för få perioder före eller efter "
            "interventionen för att skatta både nivå och trend."
        )
    collected: list[str] = []
    if min(post.sum(), len(post) - post.sum()) < _FEW_SEGMENT_OBSERVATIONS:
        warn(
            "Färre än tre observationer före eller efter interventionen: skattningen är osäker.",
            collected,
            WarningCode.FEW_SEGMENT_OBSERVATIONS,
            limit=_FEW_SEGMENT_OBSERVATIONS,
        )
    model = sm.OLS(y, x)
    if cov_type == "HAC":
        lags = hac_lags if hac_lags is not None else int(np.floor(4 * (len(y) / 100) ** (2 / 9)))
        fit = model.fit(cov_type="HAC", cov_kwds={"maxlags": lags})
        df = None
        vcov = f"Newey-West (HAC) med {lags} laggar, Bartlett-kärna; normalfördelning."
    else:
        fit = model.fit()
        df = float(fit.df_resid)
        vcov = "Klassisk OLS-varians, t-fördelning med n-K frihetsgrader."
    names = list(columns)
    coef, se = np.asarray(fit.params), np.asarray(fit.bse)
    params = pd.DataFrame({"coef": coef, "se": se}, index=names)
    bounds = [interval(c, s, df) for c, s in zip(coef, se, strict=True)]
    params["ci_low"], params["ci_high"] = [b[0] for b in bounds], [b[1] for b in bounds]

    def estimate(name: str, label: str) -> Estimate:
        i = names.index(name)
        return Estimate(
            estimate=float(coef[i]),
            std_error=float(se[i]),
            conf_int=bounds[i],
            p_value=p_value(coef[i], se[i], df),
            df=df,
            n_obs=len(y),
            n_clusters=None,
            method=f"Avbruten tidsserie (segmenterad regression): {label}",
            vcov=vcov,
            warnings=tuple(collected),
        )

    fitted = pd.Series(x @ coef, index=ordered.index, name="anpassad")
    counterfactual_x = x.copy()
    counterfactual_x[:, 2] = 0
    if slope_change:
        counterfactual_x[:, 3] = 0
    return ITSResult(
        level_change=estimate("nivåskifte", "nivåskifte vid interventionen"),
        slope_change=estimate("trendbrott", "ändrad lutning efter interventionen")
        if slope_change
        else None,
        params=params,
        fitted=fitted,
        counterfactual=pd.Series(
            counterfactual_x @ coef, index=ordered.index, name="kontrafaktisk"
        ),
        n_obs=len(y),
        cov_type=cov_type,
        warnings=tuple(collected),
    )
