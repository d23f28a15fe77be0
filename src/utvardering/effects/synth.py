"""Synthetic control (Abadie, Diamond & Hainmueller 2010) on the pre-treatment outcome path.

The treated unit's pre-treatment outcomes are matched by a convex combination of donor units
(weights non-negative, summing to one). Inference is by in-space placebos: every donor in turn
plays the treated unit, and the treated unit's ratio of post- to pre-treatment RMSPE is ranked
among all ratios.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize

from utvardering.effects._checks import as_float, check_columns, check_missing, warn
from utvardering.effects.results import SyntheticControlResult, WarningCode
from utvardering.errors import EstimationError

__all__ = ["FEW_PLACEBO_UNITS", "simplex_weights", "synthetic_control"]

# Below this many units the placebo p-value is coarse (its smallest value is 1 / units).
FEW_PLACEBO_UNITS = 20


def simplex_weights(target: np.ndarray, donors: np.ndarray) -> np.ndarray:
    """Weights w >= 0, sum 1, minimising ||target - donors @ w||² (donors: periods × units)."""
    n_donors = donors.shape[1]
    scale = max(float(np.abs(donors).max()), 1.0)
    a, b = donors / scale, target / scale
    gram, linear = a.T @ a, a.T @ b
    result = optimize.minimize(
        lambda w: 0.5 * w @ gram @ w - linear @ w,
        np.full(n_donors, 1 / n_donors),
        jac=lambda w: gram @ w - linear,
        bounds=[(0.0, 1.0)] * n_donors,
        constraints=[
            {"type": "eq", "fun": lambda w: w.sum() - 1, "jac": lambda w: np.ones_like(w)}
        ],
        method="SLSQP",
        options={"maxiter": 1000, "ftol": 1e-12},
    )
    w = np.clip(result.x, 0, None)
    return w / w.sum()


def _rmspe(values: np.ndarray) -> float:
    return float(np.sqrt(np.mean(values**2))) if len(values) else float("nan")


def synthetic_control(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    treated_unit: object,
    treatment_time: object,
) -> SyntheticControlResult:
    """A synthetic control for ``treated_unit`` from all other units, treated at ``treatment_time``.

    Periods before ``treatment_time`` are used to fit the weights; ``att`` is the mean gap from
    ``treatment_time`` on. Units must be observed in every period (a balanced panel).
    """
    where = "synthetic_control"
    check_columns(data, [outcome, unit, time], where)
    check_missing(data, [outcome, unit, time], where)
    values = pd.Series(as_float(data, outcome, where), index=data.index)
    if data.duplicated([unit, time]).any():
        raise EstimationError(
            f"{where}: '{unit}' och '{time}' är inte unika; en rad per enhet och tid."
        )
    wide = values.groupby([data[unit], data[time]]).first().unstack(time).sort_index(axis=1)
    if wide.isna().any().any():
        raise EstimationError(
            f"{where}: panelen är inte balanserad ({int(wide.isna().any(axis=1).sum())} enheter "
            "saknar någon period). Syntetisk kontroll kräver alla perioder för alla enheter."
        )
    if treated_unit not in wide.index:
        raise EstimationError(
            f"{where}: den behandlade enheten {treated_unit!r} finns inte i '{unit}'."
        )
    pre = wide.columns < treatment_time
    if pre.sum() < 2 or (~pre).sum() < 1:
        raise EstimationError(
            f"{where}: det behövs minst två perioder före och en efter {treatment_time!r}; "
            f"data har {int(pre.sum())} före och {int((~pre).sum())} efter."
        )
    donors = [u for u in wide.index if u != treated_unit]
    if len(donors) < 2:
        raise EstimationError(f"{where}: det behövs minst två jämförelseenheter (donatorer).")
    collected: list[str] = []
    matrix = wide.to_numpy()

    def fit(target_row: int, donor_rows: list[int]) -> tuple[np.ndarray, np.ndarray]:
        w = simplex_weights(matrix[target_row, pre], matrix[donor_rows][:, pre].T)
        return w, matrix[target_row] - w @ matrix[donor_rows]

    rows = {u: i for i, u in enumerate(wide.index)}
    donor_rows = [rows[u] for u in donors]
    weights, gap = fit(rows[treated_unit], donor_rows)
    ratios = {}
    for u in wide.index:
        others = [rows[v] for v in donors if v != u]
        _, placebo_gap = fit(rows[u], others) if u != treated_unit else (None, gap)
        pre_error = _rmspe(placebo_gap[pre])
        ratios[u] = _rmspe(placebo_gap[~pre]) / pre_error if pre_error > 0 else np.inf
    placebo_ratios = pd.Series(ratios, name="rmspe_kvot")
    p_value = float(np.mean(placebo_ratios >= placebo_ratios[treated_unit]))
    pre_rmspe = _rmspe(gap[pre])
    scale = float(np.std(matrix[rows[treated_unit], pre])) or 1.0
    if pre_rmspe > 0.5 * scale:
        warn(
            "Den syntetiska kontrollen följer den behandlade enheten dåligt före behandlingen "
            f"(RMSPE {pre_rmspe:.3g}); skillnaden efteråt är svår att tolka.",
            collected,
            WarningCode.POOR_PRE_FIT,
            rmspe=float(pre_rmspe),
        )
    if len(wide.index) < FEW_PLACEBO_UNITS:
        warn(
            f"Endast {len(wide.index)} enheter i placebotestet: det minsta möjliga p-värdet är "
            f"{1 / len(wide.index):.2f}.",
            collected,
            WarningCode.FEW_PLACEBO_UNITS,
            n=len(wide.index),
        )
    synthetic = pd.Series(weights @ matrix[donor_rows], index=wide.columns, name="syntetisk")
    treated = pd.Series(matrix[rows[treated_unit]], index=wide.columns, name="behandlad")
    return SyntheticControlResult(
        treated_unit=treated_unit,
        treatment_time=treatment_time,
        weights=pd.Series(weights, index=pd.Index(donors, name=unit), name="vikt"),
        treated=treated,
        synthetic=synthetic,
        gap=(treated - synthetic).rename("skillnad"),
        att=float(np.mean(gap[~pre])),
        pre_rmspe=pre_rmspe,
        post_rmspe=_rmspe(gap[~pre]),
        placebo_ratios=placebo_ratios,
        placebo_p_value=p_value,
        warnings=tuple(collected),
    )
