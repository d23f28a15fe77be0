"""Difference-in-differences by regression: the 2×2 design and two-way fixed effects.

``did_2x2`` is the textbook regression on group, period and their product. ``did`` absorbs unit
and time fixed effects by within-transformation (alternating projections, which also handles
unbalanced panels and weights), so it never builds dummy matrices and scales to millions of
rows. Its cluster-robust variance follows fixest / reghdfe: CR1 with
G/(G-1) · (n-1)/(n-K), where fixed effects nested in the cluster variable are not counted in K.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from utvardering.effects._checks import (
    FEW_CLUSTERS,
    FEW_TREATED,
    as_float,
    as_names,
    check_binary,
    check_columns,
    check_missing,
    warn,
)
from utvardering.effects._inference import fit_linear, interval, p_value
from utvardering.effects.results import Estimate, WarningCode
from utvardering.errors import EstimationError

__all__ = ["demean", "did", "did_2x2"]

# Alternating projections stop when no column moves more than this (relative to its scale).
_TOLERANCE = 1e-10
_MAX_ITERATIONS = 5_000


def _few_clusters_warning(n_clusters: int, cluster: str, collected: list[str]) -> None:
    if n_clusters < FEW_CLUSTERS:
        warn(
            f"Endast {n_clusters} kluster i '{cluster}': klusterrobusta standardfel är "
            f"osäkra med färre än {FEW_CLUSTERS} kluster och intervallen kan bli för smala.",
            collected,
            WarningCode.FEW_CLUSTERS,
            n=n_clusters,
            column=cluster,
            limit=FEW_CLUSTERS,
        )


def _few_treated_warning(
    n_treated: int, kind: str, column: str | None, collected: list[str]
) -> None:
    if n_treated < FEW_TREATED:
        what = kind if column is None else f"{kind} ('{column}')"
        warn(
            f"Endast {n_treated} behandlade {what}: skattningen vilar på få observationer "
            "och är osäker.",
            collected,
            WarningCode.FEW_TREATED,
            n=n_treated,
            unit=kind,
            column=column,
        )


def did_2x2(
    data: pd.DataFrame,
    outcome: str,
    group: str,
    post: str,
    *,
    covariates: str | tuple[str, ...] | list[str] = (),
    cluster: str | None = None,
) -> Estimate:
    """The 2×2 difference-in-differences: OLS of outcome on group, post, group × post (+ X).

    The estimate is the coefficient of group × post. Standard errors are classical (s² (X'X)⁻¹,
    t with n - K degrees of freedom) when ``cluster`` is None, otherwise cluster-robust CR1
    (G/(G-1) · (n-1)/(n-K), t with G - 1 degrees of freedom, as Stata's ``regress, vce(cluster)``).

    ``group`` and ``post`` must be 0/1 columns; ``covariates`` numeric columns.

    Example:
        >>> df = pd.DataFrame({"y": [1.0, 2, 3, 5, 1, 2, 2, 6], "g": [0, 0, 1, 1] * 2,
        ...                    "p": [0, 1, 0, 1] * 2})
        >>> round(did_2x2(df, "y", "g", "p").estimate, 3)  # (5.5 - 2.5) - (2 - 1)
        2.0
    """
    where = "did_2x2"
    covariates = as_names(covariates)
    used = [outcome, group, post, *covariates] + ([cluster] if cluster is not None else [])
    check_columns(data, used, where)
    check_missing(data, used, where)
    y = as_float(data, outcome, where)
    g = as_float(data, group, where)
    p = as_float(data, post, where)
    check_binary(g, group, where)
    check_binary(p, post, where)
    columns = [np.ones(len(y)), g, p, g * p] + [as_float(data, c, where) for c in covariates]
    names = ["konstant", group, post, f"{group} × {post}", *covariates]
    x = np.column_stack(columns)
    collected: list[str] = []
    if cluster is None:
        fit = fit_linear(x, y, names=names, where=where, kind="classical")
        vcov = "Klassisk OLS-varians s²(X'X)⁻¹, t-fördelning med n-K frihetsgrader."
        n_treated = int(g.sum())
        _few_treated_warning(n_treated, "observationer", None, collected)
    else:
        codes, uniques = pd.factorize(data[cluster], sort=True)
        fit = fit_linear(x, y, names=names, where=where, kind="cluster", cluster_codes=codes)
        vcov = (
            f"Klusterrobust (CR1) per '{cluster}': G/(G-1)·(n-1)/(n-K) som Statas "
            "regress, vce(cluster); t-fördelning med G-1 frihetsgrader."
        )
        _few_clusters_warning(len(uniques), cluster, collected)
        n_treated = int(pd.Series(codes[g == 1]).nunique())
        _few_treated_warning(n_treated, "kluster", cluster, collected)
    return _coefficient(
        fit, 3, n_obs=len(y), n_treated=n_treated, warnings=collected, vcov=vcov,
        method="Skillnad-i-skillnader 2×2 (OLS med grupp × period)",
    )  # fmt: skip


def _coefficient(fit, index: int, *, n_obs: int, n_treated: int, warnings: list[str],
                 method: str, vcov: str) -> Estimate:  # fmt: skip
    """The ``index``-th coefficient of a linear fit as an Estimate with its interval."""
    est, se = float(fit.coef[index]), float(np.sqrt(fit.vcov[index, index]))
    return Estimate(
        estimate=est,
        std_error=se,
        conf_int=interval(est, se, fit.df),
        p_value=p_value(est, se, fit.df),
        df=fit.df,
        n_obs=n_obs,
        n_clusters=fit.n_clusters,
        n_treated=n_treated,
        method=method,
        vcov=vcov,
        warnings=tuple(warnings),
    )


def demean(
    values: np.ndarray,
    codes: list[np.ndarray],
    weights: np.ndarray | None = None,
    *,
    tol: float = _TOLERANCE,
    max_iterations: int = _MAX_ITERATIONS,
) -> np.ndarray:
    """Remove (weighted) fixed effects from the columns of ``values`` by alternating projections.

    ``codes`` holds one integer code array (0..L-1) per fixed effect. Each sweep subtracts the
    weighted group means of every fixed effect in turn; the sweeps stop when no column moves
    more than ``tol`` times its scale. One sweep is exact for one fixed effect or a balanced
    two-way panel.
    """
    x = np.array(values, dtype=float, copy=True)
    if x.ndim == 1:
        x = x[:, None]
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    sizes = [int(c.max()) + 1 for c in codes]
    sums_w = [np.bincount(c, weights=w, minlength=s) for c, s in zip(codes, sizes, strict=True)]
    scale = np.maximum(np.abs(x).max(axis=0), 1e-300)
    for _ in range(max_iterations):
        largest = 0.0
        for c, s, sw in zip(codes, sizes, sums_w, strict=True):
            for j in range(x.shape[1]):
                means = np.bincount(c, weights=w * x[:, j], minlength=s) / sw
                x[:, j] -= means[c]
                largest = max(largest, float(np.abs(means).max()) / scale[j])
        if largest < tol or len(codes) == 1:
            return x
    raise EstimationError(
        "did: de fixa effekterna konvergerade inte efter "
        f"{max_iterations} iterationer (mycket obalanserad panel). Kontrollera panelen, t.ex. "
        "enheter som bara finns ett år."
    )


def _nested(inner: np.ndarray, outer: np.ndarray) -> bool:
    """Whether every level of ``inner`` lies within a single level of ``outer``."""
    pairs = pd.DataFrame({"inner": inner, "outer": outer}).drop_duplicates()
    return not pairs["inner"].duplicated().any()


def did(
    data: pd.DataFrame,
    outcome: str,
    treatment: str,
    unit: str,
    time: str,
    *,
    covariates: str | tuple[str, ...] | list[str] = (),
    weights: str | None = None,
    cluster: str | None = None,
) -> Estimate:
    """Two-way fixed effects difference-in-differences by within-transformation.

    Regresses the outcome on the treatment (and covariates) after absorbing unit and time fixed
    effects; optional analytic ``weights`` (a column of positive numbers). Standard errors are
    clustered by ``unit`` unless ``cluster`` names another column: CR1 with the fixest / reghdfe
    small-sample factor G/(G-1) · (n-1)/(n-K), K = slopes + fixed-effect levels not nested in the
    cluster (fixest ``ssc(fixef.K = "nested")``), t with G - 1 degrees of freedom.

    With staggered adoption and effects that vary over time this estimate is a weighted average
    with possibly negative weights; use :func:`staggered_did` for the effect itself.
    """
    where = "did"
    covariates = as_names(covariates)
    cluster = unit if cluster is None else cluster
    extra = [c for c in (weights, cluster) if c is not None]
    used = [outcome, treatment, unit, time, *covariates, *extra]
    check_columns(data, used, where)
    check_missing(data, used, where)
    y = as_float(data, outcome, where)
    d = as_float(data, treatment, where)
    if np.all(d == d[0]):
        raise EstimationError(
            f"{where}: behandlingen '{treatment}' varierar inte (alla värden är {d[0]:g}). "
            "Det behövs både behandlade och obehandlade observationer."
        )
    w = None
    if weights is not None:
        w = as_float(data, weights, where)
        if np.any(w <= 0):
            raise EstimationError(
                f"{where}: vikterna i '{weights}' måste vara positiva; "
                f"{int(np.sum(w <= 0))} är noll eller negativa. Ta bort de raderna."
            )
    unit_codes, units = pd.factorize(data[unit], sort=False)
    time_codes, times = pd.factorize(data[time], sort=False)
    if pd.DataFrame({"u": unit_codes, "t": time_codes}).duplicated().any():
        raise EstimationError(
            f"{where}: kombinationen av '{unit}' och '{time}' är inte unik. Varje enhet får "
            "bara ha en rad per tidpunkt; aggregera eller ta bort dubbletterna."
        )
    cluster_codes, clusters = (
        (unit_codes, units) if cluster == unit else pd.factorize(data[cluster], sort=False)
    )
    stacked = np.column_stack([y, d] + [as_float(data, c, where) for c in covariates])
    within = demean(stacked, [unit_codes, time_codes], w)
    if np.abs(within[:, 1]).max() < 1e-12 * max(1.0, np.abs(d).max()):
        raise EstimationError(
            f"{where}: behandlingen '{treatment}' varierar inte inom enheter över tid, så den "
            "tas helt upp av de fixa effekterna. Tvåvägs fixa effekter kräver att enheter "
            "byter behandlingsstatus."
        )
    # K as fixest counts it: levels of both fixed effects minus one redundant level, minus the
    # levels of fixed effects nested in the cluster, plus one back for each fully nested one.
    levels = {"unit": (len(units), unit_codes), "time": (len(times), time_codes)}
    k_fe = len(units) + len(times) - 1
    nested = [
        name
        for name, (_, codes) in levels.items()
        if (name == "unit" and cluster == unit) or _nested(codes, cluster_codes)
    ]
    k_fe -= sum(levels[name][0] for name in nested) - len(nested)
    n_slopes = 1 + len(covariates)
    names = [treatment, *covariates]
    fit = fit_linear(
        within[:, 1:],
        within[:, 0],
        names=names,
        where=where,
        weights=w,
        kind="cluster",
        cluster_codes=cluster_codes,
        n_params=n_slopes + k_fe,
    )
    collected: list[str] = []
    _few_clusters_warning(len(clusters), cluster, collected)
    n_treated = int(pd.Series(unit_codes[d != 0]).nunique())
    _few_treated_warning(n_treated, "enheter", unit, collected)
    nested_text = (
        f" ({' och '.join('enhet' if n == 'unit' else 'tid' for n in nested)} nästlade i klustret "
        "räknas inte)"
        if nested
        else ""
    )
    weight_text = f", analytiska vikter '{weights}'" if weights is not None else ""
    return _coefficient(
        fit,
        0,
        n_obs=len(y),
        n_treated=n_treated,
        warnings=collected,
        method=f"Tvåvägs fixa effekter (enhet och tid, within-transformation{weight_text})",
        vcov=(
            f"Klusterrobust (CR1) per '{cluster}' med småstickprovskorrektion som fixest/reghdfe: "
            f"G/(G-1)·(n-1)/(n-K), K = {n_slopes + k_fe}{nested_text}; "
            "t-fördelning med G-1 frihetsgrader."
        ),
    )
