"""Inverse-variance pooling of several estimates: fixed effect or DerSimonian-Laird.

Used by the national synthesis to combine one estimate per region. The result holds the
per-estimate rows a forest plot needs (estimate, interval, weight) and the heterogeneity
statistics (Cochran's Q, I², tau²).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from utvardering.effects._inference import interval, p_value
from utvardering.effects.results import Estimate, PooledEstimate
from utvardering.errors import EstimationError

__all__ = ["pool_estimates"]

Method = Literal["fixed", "random"]


def _pair(item: object, position: int) -> tuple[float, float]:
    if isinstance(item, Estimate) or hasattr(item, "std_error"):
        return float(item.estimate), float(item.std_error)  # type: ignore[attr-defined]
    try:
        estimate, se = item  # type: ignore[misc]
        return float(estimate), float(se)
    except (TypeError, ValueError) as exc:
        raise EstimationError(
            f"pool_estimates: element {position} är varken ett Estimate eller ett par "
            f"(skattning, standardfel): {item!r}."
        ) from exc


def pool_estimates(
    estimates: Sequence[Estimate | tuple[float, float]],
    labels: Sequence[str] | None = None,
    *,
    method: Method = "random",
) -> PooledEstimate:
    """Pool estimates by inverse-variance weights.

    ``estimates``: :class:`Estimate` objects or (estimate, standard error) pairs. ``method``:
    ``"fixed"`` (weights 1/se²) or ``"random"`` (DerSimonian-Laird: tau² from Cochran's Q,
    weights 1/(se² + tau²)). Intervals are normal; for random effects with at least three
    estimates a prediction interval (t with k - 2 degrees of freedom, Higgins et al. 2009) is
    given too.
    """
    if method not in ("fixed", "random"):
        raise EstimationError(
            f"pool_estimates: method måste vara 'fixed' eller 'random', fick {method!r}."
        )
    pairs = [_pair(item, i) for i, item in enumerate(estimates)]
    if len(pairs) < 2:
        raise EstimationError("pool_estimates: det behövs minst två skattningar att väga samman.")
    y = np.array([p[0] for p in pairs])
    se = np.array([p[1] for p in pairs])
    if not (np.isfinite(y).all() and np.isfinite(se).all() and (se > 0).all()):
        bad = [
            i for i in range(len(y)) if not (np.isfinite(y[i]) and np.isfinite(se[i]) and se[i] > 0)
        ]
        raise EstimationError(
            "pool_estimates: skattningar och standardfel måste vara ändliga och standardfelen "
            f"positiva; fel i element {', '.join(map(str, bad[:10]))}."
        )
    if labels is None:
        labels = [str(i + 1) for i in range(len(y))]
    if len(labels) != len(y):
        raise EstimationError(
            f"pool_estimates: {len(labels)} etiketter men {len(y)} skattningar; "
            "de ska vara lika många."
        )
    k = len(y)
    w_fixed = 1 / se**2
    mean_fixed = float(np.sum(w_fixed * y) / np.sum(w_fixed))
    q = float(np.sum(w_fixed * (y - mean_fixed) ** 2))
    q_df = k - 1
    i2 = max(0.0, (q - q_df) / q) if q > 0 else 0.0
    tau2 = 0.0
    if method == "random":
        c = np.sum(w_fixed) - np.sum(w_fixed**2) / np.sum(w_fixed)
        tau2 = max(0.0, (q - q_df) / c)
    w = 1 / (se**2 + tau2)
    pooled = float(np.sum(w * y) / np.sum(w))
    pooled_se = float(np.sqrt(1 / np.sum(w)))
    prediction = None
    if method == "random" and k >= 3:
        half = stats.t.ppf(0.975, k - 2) * np.sqrt(tau2 + pooled_se**2)
        prediction = (pooled - float(half), pooled + float(half))
    low, high = zip(*(interval(e, s, None) for e, s in zip(y, se, strict=True)), strict=True)
    studies = pd.DataFrame(
        {
            "label": list(labels),
            "estimate": y,
            "std_error": se,
            "ci_low": low,
            "ci_high": high,
            "weight": 100 * w / np.sum(w),
        }
    )
    return PooledEstimate(
        estimate=pooled,
        std_error=pooled_se,
        conf_int=interval(pooled, pooled_se, None),
        p_value=p_value(pooled, pooled_se, None),
        method=(
            "Slumpeffekter (DerSimonian-Laird), inversvarians"
            if method == "random"
            else "Fixa effekter, inversvarians"
        ),
        tau2=float(tau2),
        i2=float(i2),
        q=q,
        q_df=q_df,
        q_p_value=float(stats.chi2.sf(q, q_df)),
        studies=studies,
        prediction_interval=prediction,
    )
