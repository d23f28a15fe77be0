"""Least squares with classical, heteroskedasticity- and cluster-robust variances."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

from utvardering.errors import EstimationError

__all__ = ["LinearFit", "cluster_meat", "fit_linear", "interval", "p_value"]


def interval(estimate: float, se: float, df: float | None) -> tuple[float, float]:
    """The 95 % interval: t with ``df`` degrees of freedom, or normal if ``df`` is None."""
    crit = stats.norm.ppf(0.975) if df is None else stats.t.ppf(0.975, df)
    return (float(estimate - crit * se), float(estimate + crit * se))


def p_value(estimate: float, se: float, df: float | None) -> float:
    """Two-sided p-value of estimate / se (t with ``df`` or normal)."""
    if not se > 0:
        return float("nan")
    t = abs(estimate / se)
    return float(2 * (stats.norm.sf(t) if df is None else stats.t.sf(t, df)))


def cluster_meat(scores: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Sum of outer products of the per-cluster sums of ``scores`` (n x k)."""
    sums = np.column_stack(
        [
            np.bincount(codes, weights=scores[:, j], minlength=n_groups)
            for j in range(scores.shape[1])
        ]
    )
    return sums.T @ sums


@dataclass(frozen=True)
class LinearFit:
    """Coefficients, variance matrix and the pieces used to build them."""

    coef: np.ndarray
    vcov: np.ndarray
    resid: np.ndarray
    df: float | None  # degrees of freedom of t for intervals
    n_clusters: int | None


def fit_linear(
    x: np.ndarray,
    y: np.ndarray,
    *,
    names: list[str],
    where: str,
    weights: np.ndarray | None = None,
    kind: str = "classical",
    cluster_codes: np.ndarray | None = None,
    n_params: int | None = None,
) -> LinearFit:
    """(Weighted) least squares of ``y`` on ``x`` with a chosen variance.

    ``kind``: ``"classical"`` (s² (X'WX)⁻¹ with n - K degrees of freedom), ``"HC0"``
    (sandwich without correction, normal intervals), ``"cluster"`` (sandwich over clusters
    times G/(G-1) · (n-1)/(n-K), t with G-1 degrees of freedom). ``n_params`` is K when it
    differs from the number of columns (absorbed fixed effects).
    """
    n, k = x.shape
    w = np.ones(n) if weights is None else weights
    xw = x * w[:, None]
    xtx = x.T @ xw
    scale = np.sqrt(np.diag(xtx))
    if np.any(scale == 0) or np.linalg.matrix_rank(xtx / np.outer(scale, scale), tol=1e-10) < k:
        singular = [names[j] for j in np.flatnonzero(scale == 0)] or names
        raise EstimationError(
            f"{where}: designmatrisen är singulär (kolinjära eller konstanta variabler bland "
            f"{', '.join(repr(s) for s in singular[:8])}). Ta bort variabler som saknar "
            "variation eller är linjära kombinationer av andra (efter fixa effekter)."
        )
    bread = np.linalg.inv(xtx)
    coef = bread @ (xw.T @ y)
    resid = y - x @ coef
    big_k = k if n_params is None else n_params
    if kind == "classical":
        if n <= big_k:
            raise EstimationError(f"{where}: för få observationer ({n}) för {big_k} parametrar.")
        sigma2 = float(np.sum(w * resid**2) / (n - big_k))
        return LinearFit(coef, sigma2 * bread, resid, float(n - big_k), None)
    scores = xw * resid[:, None]
    if kind == "HC0":
        meat = scores.T @ scores
        return LinearFit(coef, bread @ meat @ bread, resid, None, None)
    if kind == "cluster":
        assert cluster_codes is not None
        g = int(cluster_codes.max()) + 1
        if g < 2:
            raise EstimationError(
                f"{where}: klustrade standardfel kräver minst två kluster, data har {g}. "
                "Välj en annan klustervariabel eller skatta utan kluster."
            )
        meat = cluster_meat(scores, cluster_codes, g)
        factor = g / (g - 1) * (n - 1) / (n - big_k)
        return LinearFit(coef, factor * bread @ meat @ bread, resid, float(g - 1), g)
    raise ValueError(kind)
