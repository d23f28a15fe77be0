"""Callaway & Sant'Anna (2021) group-time effects for staggered adoption, and their aggregation.

For every cohort g (units first treated in period g) and period t, ATT(g,t) compares the change
in the outcome of cohort g from a base period to t with the same change among control units
(never treated, or not yet treated by t). Before treatment the base period is the previous
period ("varying" base, as the R package ``did``); from g on it is the last period before g.

Standard errors come from analytic influence functions, as in ``did`` without bootstrap: each
ATT(g,t) has an influence function per unit; aggregations are linear in them plus a term for
the estimated cohort shares (``did``'s ``wif``). Without covariates the estimator is the
difference of mean changes; with covariates it is the outcome-regression DiD of Heckman,
Ichimura & Todd (1997) in the panel form of Sant'Anna & Zhao (2020, ``DRDID::reg_did_panel``),
with covariates taken from the base period.

The panel must be balanced; units not observed in every period are dropped with a warning.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from utvardering.effects._checks import (
    FEW_TREATED,
    as_float,
    as_names,
    check_columns,
    check_missing,
    warn,
)
from utvardering.effects._inference import interval, p_value
from utvardering.effects.results import Estimate, PretrendTest, StaggeredResult, WarningCode
from utvardering.errors import EstimationError

__all__ = ["staggered_did"]

ControlGroup = Literal["never_treated", "not_yet_treated"]
_CONTROL_GROUPS = ("never_treated", "not_yet_treated")


def _wide(
    data: pd.DataFrame, unit: str, time: str, columns: list[str], where: str
) -> tuple[pd.Index, np.ndarray, dict[str, np.ndarray], list[str]]:
    """Pivot to units × periods arrays, keeping units observed in every period."""
    collected: list[str] = []
    unit_codes, units = pd.factorize(data[unit], sort=True)
    time_codes, periods = pd.factorize(data[time], sort=True)
    n_units, n_periods = len(units), len(periods)
    flat = unit_codes.astype(np.int64) * n_periods + time_codes
    if len(np.unique(flat)) != len(flat):
        raise EstimationError(
            f"{where}: kombinationen av '{unit}' och '{time}' är inte unik. Varje enhet får "
            "bara ha en rad per tidpunkt."
        )
    observed = np.bincount(unit_codes, minlength=n_units)
    complete = observed == n_periods
    if not complete.all():
        dropped = int((~complete).sum())
        warn(
            f"{dropped} av {n_units} enheter finns inte med alla {n_periods} perioder och "
            "togs bort (skattningen kräver en balanserad panel).",
            collected,
            WarningCode.UNBALANCED_PANEL,
            n=dropped,
            total=n_units,
            periods=n_periods,
        )
    arrays = {}
    for column in columns:
        values = np.full(n_units * n_periods, np.nan)
        values[flat] = as_float(data, column, where)
        arrays[column] = values.reshape(n_units, n_periods)[complete]
    return units[complete], np.asarray(periods), arrays, collected


def _first_treated(
    data: pd.DataFrame, unit: str, first_treated: str, units: pd.Index, where: str
) -> np.ndarray:
    """First treatment period per unit (inf = never), checked to be constant within units."""
    column = data[first_treated]
    if not pd.api.types.is_numeric_dtype(column):
        raise EstimationError(
            f"{where}: kolumnen '{first_treated}' måste vara numerisk (första behandlingsperiod, "
            "0 eller tom = aldrig behandlad)."
        )
    per_unit = pd.DataFrame({"u": data[unit], "g": column.astype(float).fillna(0.0)})
    spread = per_unit.groupby("u", sort=False)["g"].nunique()
    if (spread > 1).any():
        raise EstimationError(
            f"{where}: '{first_treated}' skiljer sig mellan åren för {int((spread > 1).sum())} "
            "enheter; den ska vara samma på alla rader för en enhet."
        )
    g = per_unit.groupby("u", sort=True)["g"].first().reindex(units).to_numpy()
    return np.where(g == 0, np.inf, g)


def _att_pair(
    delta: np.ndarray,
    treated: np.ndarray,
    control: np.ndarray,
    x: np.ndarray | None,
    n: int,
) -> tuple[float, np.ndarray]:
    """ATT and its full-sample influence function for one (g,t) pair.

    ``treated`` and ``control`` are boolean masks over all units; the influence function is
    scaled to the full sample (zero outside the pair's units), so Var = sum(psi²) / n².
    """
    subset = treated | control
    n_sub = int(subset.sum())
    d = treated[subset].astype(float)
    dy = delta[subset]
    p = d.mean()
    if x is None:
        mu1 = dy[d == 1].mean()
        mu0 = dy[d == 0].mean()
        att = mu1 - mu0
        psi = d * (dy - mu1) / p - (1 - d) * (dy - mu0) / (1 - p)
    else:
        # Outcome regression DiD (DRDID::reg_did_panel): fit the change among controls,
        # predict it for the treated.
        xs = np.column_stack([np.ones(n_sub), x[subset]])
        xc, yc = xs[d == 0], dy[d == 0]
        xtx = xc.T @ xc
        if np.linalg.matrix_rank(xtx) < xs.shape[1]:
            raise EstimationError(
                "staggered_did: kovariaterna är kolinjära bland kontrollenheterna för någon "
                "kohort och period. Ta bort kovariater som saknar variation."
            )
        beta = np.linalg.solve(xtx, xc.T @ yc)
        pred = xs @ beta
        eta_treat = np.sum(d * dy) / np.sum(d)
        eta_cont = np.sum(d * pred) / np.sum(d)
        att = eta_treat - eta_cont
        xpx_inv = np.linalg.inv(xtx / n_sub)
        lin_ols = ((1 - d) * (dy - pred))[:, None] * xs @ xpx_inv
        m1 = (d[:, None] * xs).mean(axis=0)
        inf_treat = (d * dy - d * eta_treat) / p
        inf_cont = (d * pred - d * eta_cont + lin_ols @ m1) / p
        psi = inf_treat - inf_cont
    full = np.zeros(n)
    full[subset] = psi * (n / n_sub)
    return float(att), full


def _weight_influence(
    cohorts: np.ndarray, keep_groups: np.ndarray, shares: np.ndarray
) -> np.ndarray:
    """Influence of estimating the cohort-share weights (``did``'s ``wif``), n × len(keep)."""
    total = shares.sum()
    indicators = (cohorts[:, None] == keep_groups[None, :]).astype(float) - shares[None, :]
    return indicators / total - indicators.sum(axis=1, keepdims=True) * shares[None, :] / total**2


def _wald(
    theta: np.ndarray, psi: np.ndarray, n: int, labels: tuple[int, ...]
) -> PretrendTest | None:
    """Wald chi² test that ``theta`` is zero, with covariance from influence functions."""
    if len(theta) == 0:
        return None
    cov = psi.T @ psi / n**2
    statistic = float(theta @ np.linalg.pinv(cov) @ theta)
    df = int(np.linalg.matrix_rank(cov))
    return PretrendTest(
        statistic=statistic,
        df=df,
        p_value=float(stats.chi2.sf(statistic, df)) if df > 0 else float("nan"),
        event_times=labels,
    )


def staggered_did(
    data: pd.DataFrame,
    outcome: str,
    unit: str,
    time: str,
    first_treated: str,
    *,
    control_group: ControlGroup = "never_treated",
    covariates: str | tuple[str, ...] | list[str] = (),
    pretrend_min_treated: int = 30,
) -> StaggeredResult:
    """Callaway & Sant'Anna ATT(g,t), the event study and the overall effect.

    ``first_treated`` is the first treated period of a unit, 0 or missing for never treated.
    Units treated in the first period (or before) are dropped, and units first treated after
    the last period count as never treated, as in the R package ``did``. ``control_group`` is
    ``"never_treated"`` or ``"not_yet_treated"``.

    The event study aggregates ATT(g,t) by event time e = t - g with weights proportional to
    cohort size; ``overall`` is the mean of the event-study effects at e >= 0 (``did``'s
    ``aggte(type = "dynamic")`` overall). Intervals are pointwise 95 % (normal). ``pretrend`` is
    a Wald chi² test that all event-study effects at e < 0 are zero, using their joint
    influence-function covariance; event times that rest on fewer than
    ``pretrend_min_treated`` treated units are left out of the test (their influence-function
    variance is unreliable, and a few firms far from treatment would otherwise decide it);
    ``pretrend.event_times`` names the event times tested.
    """
    where = "staggered_did"
    if control_group not in _CONTROL_GROUPS:
        raise EstimationError(
            f"{where}: control_group måste vara 'never_treated' eller 'not_yet_treated', "
            f"fick {control_group!r}."
        )
    covariates = as_names(covariates)
    used = [outcome, unit, time, *covariates]
    check_columns(data, [*used, first_treated], where)
    check_missing(data, used, where)
    if not pd.api.types.is_numeric_dtype(data[time]):
        raise EstimationError(f"{where}: tidskolumnen '{time}' måste vara numerisk (t.ex. år).")
    units, periods, arrays, collected = _wide(data, unit, time, [outcome, *covariates], where)
    y = arrays[outcome]
    cohort = _first_treated(data, unit, first_treated, units, where)
    cohort = np.where(cohort > periods[-1], np.inf, cohort)
    early = np.isfinite(cohort) & (cohort <= periods[0])
    if early.any():
        warn(
            f"{int(early.sum())} enheter var behandlade redan första perioden ({periods[0]:g}) "
            "och togs bort: de saknar en period före behandlingen.",
            collected,
            WarningCode.TREATED_FROM_START,
            n=int(early.sum()),
            period=float(periods[0]),
        )
        keep = ~early
        y, cohort = y[keep], cohort[keep]
        arrays = {k: v[keep] for k, v in arrays.items()}
        units = units[keep]
    bad = np.isfinite(cohort) & ~np.isin(cohort, periods)
    if bad.any():
        raise EstimationError(
            f"{where}: {int(bad.sum())} enheter har en första behandlingsperiod i "
            f"'{first_treated}' som inte finns bland perioderna i '{time}'."
        )
    n = len(cohort)
    never = ~np.isfinite(cohort)
    groups = np.unique(cohort[~never])
    if len(groups) == 0:
        raise EstimationError(f"{where}: inga behandlade enheter i '{first_treated}'.")
    if control_group == "never_treated" and not never.any():
        raise EstimationError(
            f"{where}: det finns inga enheter som aldrig behandlas (0 eller tomt i "
            f"'{first_treated}'). Använd control_group='not_yet_treated'."
        )
    n_treated = int((~never).sum())
    if n_treated < FEW_TREATED:
        warn(
            f"Endast {n_treated} behandlade enheter: skattningen vilar på få enheter och är "
            "osäker.",
            collected,
            WarningCode.FEW_TREATED_UNITS,
            n=n_treated,
        )
    position = {p: i for i, p in enumerate(periods)}
    rows, influence = [], []
    for g in groups:
        gi = position[g]
        treated = cohort == g
        for ti in range(1, len(periods)):
            base = ti - 1 if ti < gi else gi - 1
            t = periods[ti]
            if control_group == "never_treated":
                control = never
            else:
                control = never | ((cohort > periods[max(ti, base)]) & (cohort != g))
            if not control.any():
                continue
            x = None
            if covariates:
                x = np.column_stack([arrays[c][:, base] for c in covariates])
            att, psi = _att_pair(y[:, ti] - y[:, base], treated, control, x, n)
            se = float(np.sqrt(np.sum(psi**2)) / n)
            rows.append(
                {
                    "group": g,
                    "time": t,
                    "event_time": t - g,
                    "att": att,
                    "se": se,
                    "n_treated": int(treated.sum()),
                    "n_control": int(control.sum()),
                }
            )
            influence.append(psi)
    att_gt = pd.DataFrame(rows)
    if np.all(np.mod(periods, 1) == 0):
        att_gt[["group", "event_time"]] = att_gt[["group", "event_time"]].astype(np.int64)
    att_gt["ci_low"], att_gt["ci_high"] = zip(
        *(interval(a, s, None) for a, s in zip(att_gt["att"], att_gt["se"], strict=True)),
        strict=True,
    )
    psi_gt = np.column_stack(influence)
    shares = np.array([np.mean(cohort == g) for g in att_gt["group"]])
    event_times = np.sort(att_gt["event_time"].unique())
    es_rows, psi_es = [], []
    for e in event_times:
        keep = np.flatnonzero(att_gt["event_time"].to_numpy() == e)
        weights = shares[keep] / shares[keep].sum()
        att_values = att_gt["att"].to_numpy()[keep]
        estimate = float(weights @ att_values)
        psi = (
            psi_gt[:, keep] @ weights
            + _weight_influence(cohort, att_gt["group"].to_numpy()[keep], shares[keep]) @ att_values
        )
        se = float(np.sqrt(np.sum(psi**2)) / n)
        low, high = interval(estimate, se, None)
        es_rows.append({"event_time": e, "att": estimate, "se": se, "ci_low": low, "ci_high": high})
        psi_es.append(psi)
    event_study = pd.DataFrame(es_rows)
    psi_es_matrix = np.column_stack(psi_es)
    post = event_study["event_time"].to_numpy() >= 0
    if not post.any():
        raise EstimationError(f"{where}: inga perioder efter behandlingen att skatta.")
    overall_value = float(event_study.loc[post, "att"].mean())
    overall_psi = psi_es_matrix[:, post].mean(axis=1)
    overall_se = float(np.sqrt(np.sum(overall_psi**2)) / n)
    vcov_text = (
        "Analytiska influensfunktioner per enhet (som R-paketet did utan bootstrap; "
        "motsvarar klustring per enhet), normalfördelning."
    )
    overall = Estimate(
        estimate=overall_value,
        std_error=overall_se,
        conf_int=interval(overall_value, overall_se, None),
        p_value=p_value(overall_value, overall_se, None),
        n_obs=int(n * len(periods)),
        n_clusters=n,
        n_treated=n_treated,
        method="Callaway & Sant'Anna: medel av händelsestudiens effekter för e ≥ 0",
        vcov=vcov_text,
        warnings=tuple(collected),
    )
    treated_at = att_gt.groupby("event_time")["n_treated"].sum()
    thin = event_study["event_time"].map(treated_at).fillna(0).to_numpy() < pretrend_min_treated
    pre = ~post & ~thin
    pretrend = _wald(
        event_study.loc[pre, "att"].to_numpy(),
        psi_es_matrix[:, pre],
        n,
        tuple(int(e) for e in event_study.loc[pre, "event_time"]),
    )
    pre_gt = att_gt["event_time"].to_numpy() < 0
    pretrend_gt = _wald(att_gt.loc[pre_gt, "att"].to_numpy(), psi_gt[:, pre_gt], n, ())
    method = "Callaway & Sant'Anna (2021), " + (
        "skillnad i medelförändring"
        if not covariates
        else "utfallsregression (Sant'Anna & Zhao 2020) med kovariater från basperioden"
    )
    return StaggeredResult(
        att_gt=att_gt[
            [
                "group",
                "time",
                "event_time",
                "att",
                "se",
                "ci_low",
                "ci_high",
                "n_treated",
                "n_control",
            ]
        ],
        event_study=event_study,
        overall=overall,
        pretrend=pretrend,
        pretrend_gt=pretrend_gt,
        control_group=control_group,
        n_units=n,
        n_treated_units=n_treated,
        n_obs=int(n * len(periods)),
        method=method,
        vcov=vcov_text,
        warnings=tuple(collected),
    )
