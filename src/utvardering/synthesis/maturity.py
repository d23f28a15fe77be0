"""The country's maturity from the regions' ``mognad.json``: levels, spread, change, weak spots.

Nothing is re-scored: the matrix is the regions' dimension medians as their reports wrote them,
and the national figures are the distribution of those medians over the regions (each region
counts once, as in the region reports' national comparison).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from utvardering.synthesis.spread import Spread, level_spread

__all__ = ["LOW_LEVEL", "MaturitySynthesis", "synthesize_maturity", "widest_spread"]

# A region's dimension median below this is "low" (level 1-2: not yet repeatable work).
LOW_LEVEL = 3.0
# Changes smaller than this (in levels) count as unchanged.
_STILL = 0.05


@dataclass(frozen=True)
class MaturitySynthesis:
    """Maturity across the regions in one round.

    ``matrix``: regions with answers (index lan_kod) × dimension ids, the dimension medians.
    ``dimension_names``: id → Swedish name (model order). ``overall``: per region with answers
    ``trappstegsniva``, ``profilmedel``, their previous-round values, ``n_respondenter`` and
    ``lag_tillforlitlighet``. ``distribution``: per dimension ``n_regioner``, ``min``, ``q1``,
    ``median``, ``q3``, ``max``, ``medel``, ``n_lag`` and ``andel_lag`` (regions below
    :data:`LOW_LEVEL`). ``change``: per dimension, over the regions with a median in both
    rounds, ``n_regioner``, ``median_foregaende``, ``median_aktuell``, ``medel_forandring``,
    ``n_upp``, ``n_ned``. ``weakest``: dimension ids, weakest first (lowest median, then mean).
    """

    round: int | None
    previous_round: int | None
    dimension_names: dict[str, str]
    matrix: pd.DataFrame
    overall: pd.DataFrame
    distribution: pd.DataFrame
    change: pd.DataFrame
    weakest: tuple[str, ...]
    no_answers: tuple[str, ...]  # regions in the synthesis without answers in the round
    low_reliability: tuple[str, ...]  # regions with fewer than three respondents

    def named(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with dimension ids (columns or index) replaced by their names."""
        if set(frame.columns) & set(self.dimension_names):
            return frame.rename(columns=self.dimension_names)
        return frame.rename(index=self.dimension_names)


def _dimension_names(payloads: Mapping[str, dict[str, Any]]) -> dict[str, str]:
    names: dict[str, str] = {}
    for payload in payloads.values():
        for row in payload["dimensioner"]:
            names.setdefault(row["dimension"], row["namn"])
    return names


def synthesize_maturity(payloads: Mapping[str, dict[str, Any]]) -> MaturitySynthesis:
    """Combine the regions' maturity results (lan_kod → ``mognad.json``, checked against its
    schema, so every field read here is there)."""
    names = _dimension_names(payloads)
    ids = list(names)
    codes = sorted(payloads)
    current = pd.DataFrame(
        {c: {d: payloads[c]["nivaer"].get(d) for d in ids} for c in codes}, index=ids
    ).T.astype(float)
    previous = pd.DataFrame(
        {
            c: {r["dimension"]: r["foregaende_median"] for r in payloads[c]["dimensioner"]}
            for c in codes
        },
        index=ids,
    ).T.astype(float)
    current.index.name = previous.index.name = "lan_kod"
    matrix = current[current.notna().any(axis=1)]
    overall = pd.DataFrame(
        {
            c: {
                "trappstegsniva": payloads[c]["trappstegsniva"],
                "profilmedel": payloads[c]["profilmedel"],
                "trappstegsniva_foregaende": payloads[c]["trappstegsniva_foregaende"],
                "profilmedel_foregaende": payloads[c]["profilmedel_foregaende"],
                "n_respondenter": payloads[c]["n_respondenter"],
                "lag_tillforlitlighet": payloads[c]["lag_tillforlitlighet"],
            }
            for c in matrix.index
        }
    ).T
    overall.index.name = "lan_kod"
    for column in ("trappstegsniva", "trappstegsniva_foregaende", "n_respondenter"):
        overall[column] = pd.to_numeric(overall[column]).astype("Int64")
    for column in ("profilmedel", "profilmedel_foregaende"):
        overall[column] = pd.to_numeric(overall[column]).astype(float)
    distribution = pd.DataFrame(
        {
            "n_regioner": matrix.count(),
            "min": matrix.min(),
            "q1": matrix.quantile(0.25),
            "median": matrix.median(),
            "q3": matrix.quantile(0.75),
            "max": matrix.max(),
            "medel": matrix.mean(),
            "n_lag": (matrix < LOW_LEVEL).sum(),
        }
    )
    distribution["andel_lag"] = distribution["n_lag"] / distribution["n_regioner"]
    distribution.index.name = "dimension"
    both = current.notna() & previous.notna()
    now, before = current.where(both), previous.where(both)
    delta = now - before
    change = pd.DataFrame(
        {
            "n_regioner": both.sum(),
            "median_foregaende": before.median(),
            "median_aktuell": now.median(),
            "medel_forandring": delta.mean(),
            "n_upp": (delta >= _STILL).sum(),
            "n_ned": (delta <= -_STILL).sum(),
        }
    )
    change.index.name = "dimension"
    order = distribution.assign(_pos=np.arange(len(distribution))).sort_values(
        ["median", "medel", "_pos"]
    )
    rounds = [p["omgang"] for p in payloads.values()]
    previous_rounds = [p["foregaende_omgang"] for p in payloads.values()]
    return MaturitySynthesis(
        round=rounds[0] if rounds else None,
        previous_round=next((r for r in previous_rounds if r is not None), None),
        dimension_names=names,
        matrix=matrix,
        overall=overall,
        distribution=distribution,
        change=change,
        weakest=tuple(order.index[order["n_regioner"] > 0]),
        no_answers=tuple(c for c in codes if payloads[c]["inga_svar"]),
        low_reliability=tuple(
            c for c in codes if payloads[c]["lag_tillforlitlighet"] and c in matrix.index
        ),
    )


def widest_spread(m: MaturitySynthesis) -> tuple[str, float, Spread]:
    """The dimension where the regions' medians are furthest apart, that distance (highest
    minus lowest region, in levels) and its size by :func:`~utvardering.synthesis.spread.
    level_spread`. The first dimension in model order wins a tie."""
    d = m.distribution.dropna(subset=["min", "max"])
    width = (d["max"] - d["min"]).sort_values(ascending=False, kind="stable")
    distance = float(width.iloc[0])
    return str(width.index[0]), distance, level_spread(distance)
