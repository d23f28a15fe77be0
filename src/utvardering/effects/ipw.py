"""Inverse probability weighting: a logit propensity score, weights, a weighted regression.

The propensity model's right-hand side is a patsy formula (``"age + I(age**2) + C(edu)"``);
the outcome and the treatment are taken as columns, never put into a formula, so their names
may hold dots, spaces or Swedish letters. Standard errors are HC0 sandwich standard errors of
the weighted regression of outcome on treatment, treating the weights as known (as
``geeglm``/``svyglm`` in Hernán & Robins, *Causal Inference: What If*, ch. 12); this is
conservative for the ATE.
"""

from __future__ import annotations

import io
import tokenize
from typing import Literal

import numpy as np
import pandas as pd
import patsy
import statsmodels.api as sm

from utvardering.effects._checks import (
    FEW_TREATED,
    as_float,
    check_binary,
    check_columns,
    check_missing,
    warn,
)
from utvardering.effects._inference import fit_linear, interval, p_value
from utvardering.effects.results import IPWResult, WarningCode
from utvardering.errors import EstimationError

__all__ = ["ipw", "standardised_differences"]

Estimand = Literal["ATE", "ATT"]
# Propensity scores outside [_EXTREME, 1 - _EXTREME] signal weak overlap.
_EXTREME = 0.01


def _formula_columns(formula: str, data: pd.DataFrame) -> list[str]:
    """Data columns named in a patsy formula (bare names and Q("...") strings)."""
    found: list[str] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(formula).readline))
    except (tokenize.TokenError, SyntaxError):
        return found
    for token in tokens:
        name = token.string
        if token.type == tokenize.STRING:
            name = name.strip("'\"")
        if name in data.columns and name not in found:
            found.append(name)
    return found


def standardised_differences(
    x: pd.DataFrame, treated: np.ndarray, weights: np.ndarray | None = None
) -> pd.Series:
    """Mean difference treated minus control over the pooled unweighted standard deviation.

    With ``weights`` the means are weighted; the denominator stays unweighted so that before
    and after are on the same scale (as ``cobalt``'s default).
    """
    w = np.ones(len(x)) if weights is None else weights
    t, c = treated == 1, treated == 0
    values = x.to_numpy(dtype=float)
    mean_t = np.average(values[t], axis=0, weights=w[t])
    mean_c = np.average(values[c], axis=0, weights=w[c])
    pooled = np.sqrt((values[t].var(axis=0, ddof=1) + values[c].var(axis=0, ddof=1)) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        smd = np.where(pooled > 0, (mean_t - mean_c) / pooled, 0.0)
    return pd.Series(smd, index=x.columns)


def ipw(
    data: pd.DataFrame,
    outcome: str,
    treatment: str,
    covariates: str,
    *,
    estimand: Estimand = "ATE",
) -> IPWResult:
    """Inverse-probability-weighted effect of a 0/1 treatment on an outcome.

    The propensity score is a logit of ``treatment`` on the patsy right-hand side
    ``covariates``. ATE weights are 1/p for the treated and 1/(1-p) for controls; ATT weights
    are 1 for the treated and p/(1-p) for controls. The effect is the treatment coefficient of
    a weighted least-squares regression of outcome on treatment, with HC0 standard errors and
    normal intervals. The result carries covariate balance (standardised mean differences
    before and after weighting), a weight summary and the propensity scores.
    """
    where = "ipw"
    if estimand not in ("ATE", "ATT"):
        raise EstimationError(f"{where}: estimand måste vara 'ATE' eller 'ATT', fick {estimand!r}.")
    if not isinstance(covariates, str) or not covariates.strip():
        raise EstimationError(
            f"{where}: covariates ska vara högerledet i en formel, t.ex. "
            '"ålder + I(ålder**2) + C(utbildning)".'
        )
    check_columns(data, [outcome, treatment], where)
    formula_columns = _formula_columns(covariates, data)
    check_missing(data, [outcome, treatment, *formula_columns], where)
    y = as_float(data, outcome, where)
    d = as_float(data, treatment, where)
    check_binary(d, treatment, where)
    try:
        design = patsy.dmatrix(covariates, data, return_type="dataframe", NA_action="raise")
    except patsy.PatsyError as exc:
        raise EstimationError(
            f"{where}: formeln för kovariater {covariates!r} kunde inte tolkas: {exc}. "
            'Kolumnnamn med punkter, mellanslag eller specialtecken skrivs Q("namn").'
        ) from exc
    x = design.to_numpy(dtype=float)
    if np.linalg.matrix_rank(x) < x.shape[1]:
        raise EstimationError(
            f"{where}: designmatrisen för propensitetsmodellen är singulär (kolinjära "
            "kovariater). Ta bort överflödiga termer ur formeln."
        )
    try:
        logit = sm.Logit(d, x).fit(disp=0, maxiter=200)
    except (np.linalg.LinAlgError, sm.tools.sm_exceptions.PerfectSeparationError) as exc:
        raise EstimationError(
            f"{where}: propensitetsmodellen gick inte att skatta ({exc}). Troligen separerar "
            "någon kovariat behandlade och obehandlade helt; förenkla formeln."
        ) from exc
    score = np.asarray(logit.predict(x))
    if estimand == "ATE":
        w = np.where(d == 1, 1 / score, 1 / (1 - score))
    else:
        w = np.where(d == 1, 1.0, score / (1 - score))
    fit = fit_linear(
        np.column_stack([np.ones(len(y)), d]),
        y,
        names=["konstant", treatment],
        where=where,
        weights=w,
        kind="HC0",
    )
    collected: list[str] = []
    n_treated = int(d.sum())
    if min(n_treated, len(d) - n_treated) < FEW_TREATED:
        warn(
            f"Endast {min(n_treated, len(d) - n_treated)} observationer i den minsta gruppen: "
            "vikterna och effekten är osäkra.",
            collected,
            WarningCode.SMALL_GROUP,
            n=min(n_treated, len(d) - n_treated),
        )
    extreme = int(np.sum((score < _EXTREME) | (score > 1 - _EXTREME)))
    if extreme:
        warn(
            f"{extreme} observationer har propensitet under {_EXTREME:g} eller över "
            f"{1 - _EXTREME:g}: svag överlappning, vikterna kan bli extrema.",
            collected,
            WarningCode.EXTREME_PROPENSITY,
            n=extreme,
            limit=_EXTREME,
        )
    terms = design.drop(columns=[c for c in design.columns if c == "Intercept"])
    balance = pd.DataFrame(
        {
            "smd_before": standardised_differences(terms, d),
            "smd_after": standardised_differences(terms, d, w),
        }
    )
    balance.index.name = "kovariat"
    weight_summary = pd.DataFrame(
        [
            {
                "grupp": name,
                "n": int(mask.sum()),
                "min": float(w[mask].min()),
                "median": float(np.median(w[mask])),
                "max": float(w[mask].max()),
                "summa": float(w[mask].sum()),
                "effektivt_n": float(w[mask].sum() ** 2 / np.sum(w[mask] ** 2)),
            }
            for name, mask in (("behandlade", d == 1), ("kontroller", d == 0))
        ]
    ).set_index("grupp")
    est, se = float(fit.coef[1]), float(np.sqrt(fit.vcov[1, 1]))
    return IPWResult(
        estimate=est,
        std_error=se,
        conf_int=interval(est, se, None),
        p_value=p_value(est, se, None),
        n_obs=len(y),
        n_clusters=None,
        n_treated=n_treated,
        method=f"Inverse probability weighting ({estimand}), logit-propensitet: {covariates}",
        vcov=(
            "Robust sandwich (HC0) för viktad regression, vikterna behandlas som kända "
            "(konservativt för ATE); normalfördelning."
        ),
        warnings=tuple(collected),
        estimand=estimand,
        balance=balance,
        weight_summary=weight_summary,
        propensity=pd.Series(score, index=data.index, name="propensitet"),
    )
