"""The regions' effect estimates pooled, and goal attainment along the chains across the country.

Each region's main estimate (``huvudskattning`` in ``effekt.json``) enters a random-effects
meta-analysis (DerSimonian-Laird, :func:`utvardering.effects.pool_estimates`). Goal attainment
is summed from the regions' tables: counts of projects with final outcomes and of those reaching
their targets (a project in several län counts in each, as in the region reports), and the
share-weighted targets and outcomes of count and krona indicators, which add up to the nation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from utvardering.effects import PooledEstimate, pool_estimates
from utvardering.vocabulary import CHAIN_IDS, INDICATOR_STAGES

__all__ = ["MIN_PROJECTS_FOR_RANGE", "EffectSynthesis", "NoEstimate", "synthesize_effects"]

_SUMMABLE_UNITS = ("antal", "kr")
# The regions' lowest and highest share reaching targets count only regions with at least this
# many projects with final outcomes at the stage: with one or two, a share is 0 or 100 %.
MIN_PROJECTS_FOR_RANGE = 5


@dataclass(frozen=True)
class NoEstimate:
    """Why a region in the synthesis has no main estimate: too few supported firms
    (``too_few_supported``, with their number ``n_supported``), or an estimate that could not
    be made."""

    too_few_supported: bool
    n_supported: int | None


@dataclass(frozen=True)
class EffectSynthesis:
    """The effect part of the synthesis.

    ``estimates``: one row per region with a main estimate (index lan_kod): ``lan``,
    ``estimate``, ``std_error``, ``ci_low``, ``ci_high``, ``evidensgrad``, ``n_stodda``,
    ``jamforelse``, ``metod``. ``without``: region code → :class:`NoEstimate` for regions in the
    synthesis without a main estimate. ``pooled``: random-effects pooling of all main estimates
    (None with fewer than two); ``pooled_a``: the same for grade A only (None with fewer than
    two). ``attainment``: per chain and stage the regions with outcomes (``n_lan``), summed
    ``n_med_utfall`` and ``n_nar_malen``, ``andel_nar_malen`` and the lowest and highest share
    of the regions with at least :data:`MIN_PROJECTS_FOR_RANGE` projects with outcomes.
    ``indicators``: per chain, stage and count/krona indicator the summed target and
    outcome and their ratio.
    """

    outcome: str | None  # the outcome (utfall) of every region file; None if they differ
    estimates: pd.DataFrame
    without: dict[str, NoEstimate]
    pooled: PooledEstimate | None
    pooled_a: PooledEstimate | None
    attainment: pd.DataFrame
    indicators: pd.DataFrame


def _main_estimate(payload: dict[str, Any]) -> dict[str, Any] | None:
    return next((r for r in payload["skattningar"] if r["huvudskattning"]), None)


def _usable(row: dict[str, Any]) -> bool:
    estimate, se = row["estimate"], row["std_error"]
    return (
        estimate is not None
        and se is not None
        and math.isfinite(float(estimate))
        and math.isfinite(float(se))
        and float(se) > 0
    )


def _pool(table: pd.DataFrame) -> PooledEstimate | None:
    if len(table) < 2:
        return None
    pairs = list(zip(table["estimate"], table["std_error"], strict=True))
    return pool_estimates(pairs, list(table["lan"]), method="random")


def _attainment(payloads: Mapping[str, dict[str, Any]]) -> pd.DataFrame:
    rows = [
        {"lan_kod": code, **row}
        for code, payload in payloads.items()
        for row in payload["maluppfyllelse"]["per_steg"]
    ]
    index = pd.MultiIndex.from_product([CHAIN_IDS, INDICATOR_STAGES], names=["effektkedja", "steg"])
    columns = [
        "n_lan",
        "n_med_utfall",
        "n_nar_malen",
        "andel_nar_malen",
        "lagsta_lan",
        "hogsta_lan",
    ]
    if not rows:
        return pd.DataFrame(index=index, columns=columns)
    long = pd.DataFrame(rows)
    long = long[long["n_med_utfall"] > 0]
    long = long.assign(andel=long["n_nar_malen"] / long["n_med_utfall"])
    grouped = long.groupby(["effektkedja", "steg"])
    table = pd.DataFrame(
        {
            "n_lan": grouped["lan_kod"].nunique(),
            "n_med_utfall": grouped["n_med_utfall"].sum(),
            "n_nar_malen": grouped["n_nar_malen"].sum(),
        }
    ).reindex(index)
    table[["n_lan", "n_med_utfall", "n_nar_malen"]] = (
        table[["n_lan", "n_med_utfall", "n_nar_malen"]].fillna(0).astype(int)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        table["andel_nar_malen"] = table["n_nar_malen"] / table["n_med_utfall"].replace(0, np.nan)
    enough = long[long["n_med_utfall"] >= MIN_PROJECTS_FOR_RANGE].groupby(["effektkedja", "steg"])
    table["lagsta_lan"] = enough["andel"].min().reindex(index)
    table["hogsta_lan"] = enough["andel"].max().reindex(index)
    return table[columns]


def _indicators(payloads: Mapping[str, dict[str, Any]]) -> pd.DataFrame:
    rows = [
        row
        for payload in payloads.values()
        for row in payload["maluppfyllelse"]["per_indikator"]
        if row["enhet"] in _SUMMABLE_UNITS and row["n_slutliga"]
    ]
    columns = ["malvarde", "utfall", "maluppfyllelse", "n_lan"]
    if not rows:
        return pd.DataFrame(columns=["effektkedja", "steg", "indikator", "enhet", *columns])
    long = pd.DataFrame(rows)
    grouped = long.groupby(["effektkedja", "steg", "indikator", "enhet"], sort=False)
    table = grouped[["malvarde", "utfall"]].sum(min_count=1)
    table["maluppfyllelse"] = table["utfall"] / table["malvarde"].replace(0, np.nan)
    table["n_lan"] = grouped.size()
    chain = {c: i for i, c in enumerate(CHAIN_IDS)}
    stage = {s: i for i, s in enumerate(INDICATOR_STAGES)}
    table = table.reset_index()
    table = table.assign(_c=table["effektkedja"].map(chain), _s=table["steg"].map(stage))
    table = table.sort_values(["_c", "_s", "indikator"]).drop(columns=["_c", "_s"])
    return table.reset_index(drop=True)


def synthesize_effects(
    payloads: Mapping[str, dict[str, Any]], names: Mapping[str, str] | None = None
) -> EffectSynthesis:
    """Pool the main estimates and sum goal attainment (lan_kod → ``effekt.json``, checked
    against its schema)."""
    names = dict(names or {})
    rows, without = [], {}
    for code in sorted(payloads):
        payload = payloads[code]
        main = _main_estimate(payload)
        if main is None or not _usable(main):
            without[code] = NoEstimate(bool(payload["for_fa_stodda"]), payload["n_stodda_foretag"])
            continue
        rows.append(
            {
                "lan_kod": code,
                "lan": names.get(code, payload["lan_namn"]),
                "estimate": float(main["estimate"]),
                "std_error": float(main["std_error"]),
                "ci_low": float(main["ci_low"]),
                "ci_high": float(main["ci_high"]),
                "evidensgrad": main["evidensgrad"],
                "n_stodda": payload["n_stodda_foretag"],
                "jamforelse": payload["jamforelse"],
                "metod": main["namn"],
            }
        )
    columns = ["lan", "estimate", "std_error", "ci_low", "ci_high", "evidensgrad", "n_stodda",
               "jamforelse", "metod"]  # fmt: skip
    estimates = pd.DataFrame(rows, columns=["lan_kod", *columns]).set_index("lan_kod")
    outcomes = {p["utfall"] for p in payloads.values()}
    return EffectSynthesis(
        outcome=outcomes.pop() if len(outcomes) == 1 else None,
        estimates=estimates,
        without=without,
        pooled=_pool(estimates),
        pooled_a=_pool(estimates[estimates["evidensgrad"] == "A"]),
        attainment=_attainment(payloads),
        indicators=_indicators(payloads),
    )
