"""The regions' effect estimates pooled, and goal attainment along the chains across the country.

For each outcome (employees, turnover, value added), each region's main estimate of it
(``huvudskattning`` in ``effekt.json``) enters a random-effects meta-analysis
(DerSimonian-Laird, :func:`utvardering.effects.pool_estimates`); a region whose file lacks an
outcome is left out of that outcome only. Goal attainment
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
from utvardering.effects.design import MIN_TREATED, OUTCOMES
from utvardering.synthesis.collect import file_outcomes
from utvardering.vocabulary import CHAIN_IDS, INDICATOR_STAGES

__all__ = [
    "MIN_PROJECTS_FOR_RANGE",
    "EffectSynthesis",
    "NoEstimate",
    "OutcomeEffects",
    "synthesize_effects",
]

_SUMMABLE_UNITS = ("antal", "kr")
# The regions' lowest and highest share reaching targets count only regions with at least this
# many projects with final outcomes at the stage: with one or two, a share is 0 or 100 %.
MIN_PROJECTS_FOR_RANGE = 5


@dataclass(frozen=True)
class NoEstimate:
    """Why a region in the synthesis has no main estimate for an outcome: too few supported
    firms (``too_few_supported``, with their number ``n_supported``), or an estimate that could
    not be made."""

    too_few_supported: bool
    n_supported: int | None


@dataclass(frozen=True)
class OutcomeEffects:
    """The pooled effect on one outcome.

    ``estimates``: one row per region with a main estimate for the outcome (index lan_kod):
    ``lan``, ``estimate``, ``std_error``, ``ci_low``, ``ci_high``, ``evidensgrad``,
    ``n_stodda``, ``jamforelse``, ``metod``. ``without``: region code → :class:`NoEstimate`
    for regions whose file has the outcome but no usable main estimate. ``not_in_file``: the
    regions in the synthesis whose effect file does not hold the outcome at all. ``pooled``:
    random-effects pooling of all main estimates (None with fewer than two); ``pooled_a``: the
    same for grade A only (None with fewer than two).
    """

    outcome: str
    name: str  # Swedish name, e.g. "antal anställda"
    unit: str  # unit of one estimate, e.g. "anställda" or "tkr"
    estimates: pd.DataFrame
    without: dict[str, NoEstimate]
    not_in_file: tuple[str, ...]
    pooled: PooledEstimate | None
    pooled_a: PooledEstimate | None


@dataclass(frozen=True)
class EffectSynthesis:
    """The effect part of the synthesis.

    ``per_outcome``: outcome id → :class:`OutcomeEffects`, for every outcome the synthesis
    pools (in the order of :data:`utvardering.effects.design.OUTCOMES`). ``attainment``: per
    chain and stage the regions with outcomes (``n_lan``), summed ``n_med_utfall`` and
    ``n_nar_malen``, ``andel_nar_malen`` and the lowest and highest share of the regions with
    at least :data:`MIN_PROJECTS_FOR_RANGE` projects with outcomes. ``indicators``: per chain,
    stage and count/krona indicator the summed target and outcome and their ratio.
    """

    per_outcome: dict[str, OutcomeEffects]
    attainment: pd.DataFrame
    indicators: pd.DataFrame

    @property
    def outcomes(self) -> tuple[str, ...]:
        return tuple(self.per_outcome)


def _main_estimate(payload: dict[str, Any], outcome: str) -> dict[str, Any] | None:
    return next(
        (
            r
            for r in payload["skattningar"]
            if r["huvudskattning"] and r.get("utfall", outcome) == outcome
        ),
        None,
    )


def _outcome_entry(payload: dict[str, Any], outcome: str) -> dict[str, Any]:
    """The file's ``per_utfall`` entry for ``outcome`` (empty in a file without one)."""
    return next((e for e in payload.get("per_utfall") or () if e["utfall"] == outcome), {})


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


_ESTIMATE_COLUMNS = ["lan", "estimate", "std_error", "ci_low", "ci_high", "evidensgrad",
                     "n_stodda", "jamforelse", "metod"]  # fmt: skip


def _outcome_effects(
    payloads: Mapping[str, dict[str, Any]], names: Mapping[str, str], outcome: str
) -> OutcomeEffects:
    rows, without, absent = [], {}, []
    for code in sorted(payloads):
        payload = payloads[code]
        if outcome not in file_outcomes(payload):
            absent.append(code)
            continue
        entry = _outcome_entry(payload, outcome)
        n_supported = entry.get("n_stodda_foretag", payload["n_stodda_foretag"])
        main = _main_estimate(payload, outcome)
        if main is None or not _usable(main):
            too_few = bool(payload.get("for_fa_stodda", False))
            few = n_supported is not None and n_supported < MIN_TREATED
            without[code] = NoEstimate(too_few or few, n_supported)
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
                "n_stodda": n_supported,
                "jamforelse": payload.get("jamforelse"),
                "metod": main.get("namn", main.get("metod")),
            }
        )
    estimates = pd.DataFrame(rows, columns=["lan_kod", *_ESTIMATE_COLUMNS]).set_index("lan_kod")
    name, unit = OUTCOMES[outcome]
    return OutcomeEffects(
        outcome=outcome,
        name=name,
        unit=unit,
        estimates=estimates,
        without=without,
        not_in_file=tuple(absent),
        pooled=_pool(estimates),
        pooled_a=_pool(estimates[estimates["evidensgrad"] == "A"]),
    )


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
    payloads: Mapping[str, dict[str, Any]],
    names: Mapping[str, str] | None = None,
    outcomes: tuple[str, ...] | None = None,
) -> EffectSynthesis:
    """Pool the main estimates of each outcome and sum goal attainment (lan_kod →
    ``effekt.json``, checked against its schema). ``outcomes``: the outcome ids to pool, by
    default every outcome of :data:`~utvardering.effects.design.OUTCOMES`."""
    names = dict(names or {})
    wanted = tuple(OUTCOMES) if outcomes is None else tuple(outcomes)
    return EffectSynthesis(
        per_outcome={o: _outcome_effects(payloads, names, o) for o in OUTCOMES if o in wanted},
        attainment=_attainment(payloads),
        indicators=_indicators(payloads),
    )
