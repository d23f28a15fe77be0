"""Regional development: the key indicators of every län over time, each against the country.

No region report writes these series, so they are read from the data folder's ``indikatorer``.
The country's value of a per-inhabitant indicator is the population-weighted mean of the län
(the national sum of the numerator over the national population); it is given only for years in
which every län has a value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from utvardering.format import fmt_number
from utvardering.vocabulary import LAN_CODES

__all__ = ["INDICATORS", "NATIONAL", "Development", "IndicatorSeries", "regional_development"]

# The key indicators: id → (Swedish name, unit, source indicator, per 1000 inhabitants?).
# An indicator that the data folder holds as a count is divided by the population here.
_PER_1000 = f"per {fmt_number(1000)} invånare"
INDICATORS: dict[str, tuple[str, str, str, bool]] = {
    "brp_per_inv": ("BRP per invånare", "kr", "brp_per_inv", False),
    "sysselsatta_per_1000_inv": (
        f"Sysselsatta {_PER_1000}",
        _PER_1000,
        "sysselsatta",
        True,
    ),
    "nystartade_per_1000_inv": (
        f"Nystartade företag {_PER_1000}",
        _PER_1000,
        "nystartade_per_1000_inv",
        False,
    ),
}
NATIONAL = "riket"  # the country's column in the series
BASE_YEARS_BACK = 10  # the change is measured over (at most) this many years


@dataclass(frozen=True)
class IndicatorSeries:
    """One indicator: ``values`` (index ar, one column per lan_kod and :data:`NATIONAL`).

    ``summary`` per län: ``varde`` and ``riket`` in the latest year, ``index_riket`` (the
    country = 100), ``forandring`` and ``riket_forandring`` (relative change since the base
    year) and ``skillnad_forandring`` (the län's change minus the country's, in percentage
    points / 100).
    """

    indicator: str
    name: str
    unit: str
    values: pd.DataFrame
    summary: pd.DataFrame
    latest_year: int | None
    base_year: int | None


@dataclass(frozen=True)
class Development:
    """The key indicators of :data:`INDICATORS` that the data folder has."""

    series: dict[str, IndicatorSeries]


def _wide(indikatorer: pd.DataFrame, name: str) -> pd.DataFrame:
    rows = indikatorer[indikatorer["indikator"] == name]
    wide = rows.pivot(index="ar", columns="lan_kod", values="varde").astype(float)
    return wide.reindex(columns=list(LAN_CODES)).sort_index()


def _series(indikatorer: pd.DataFrame, key: str) -> IndicatorSeries | None:
    name, unit, source, per_1000 = INDICATORS[key]
    values = _wide(indikatorer, source)
    people = _wide(indikatorer, "befolkning")
    if values.empty or people.empty:
        return None
    people = people.reindex(values.index)
    if per_1000:
        values = values / people * 1000
    complete = values.notna().all(axis=1) & people.notna().all(axis=1)
    weights = people.where(values.notna())
    national = (values * weights).sum(axis=1) / weights.sum(axis=1)
    values[NATIONAL] = national.where(complete)
    values = values.dropna(how="all")
    years = list(values.index[values[NATIONAL].notna()])
    latest = int(years[-1]) if years else None
    base = None
    if years:
        base = int(max(years[0], latest - BASE_YEARS_BACK))
    summary = pd.DataFrame(index=pd.Index(LAN_CODES, name="lan_kod"))
    if latest is not None:
        now, then = values.loc[latest], values.loc[base]
        summary["varde"] = now[list(LAN_CODES)]
        summary["riket"] = now[NATIONAL]
        summary["index_riket"] = 100 * summary["varde"] / now[NATIONAL]
        with np.errstate(divide="ignore", invalid="ignore"):
            summary["forandring"] = now[list(LAN_CODES)] / then[list(LAN_CODES)] - 1
        summary["riket_forandring"] = now[NATIONAL] / then[NATIONAL] - 1
        summary["skillnad_forandring"] = summary["forandring"] - summary["riket_forandring"]
    return IndicatorSeries(key, name, unit, values, summary, latest, base)


def regional_development(indikatorer: pd.DataFrame) -> Development:
    """The key indicators per län and year with the country's value (the ``indikatorer`` table)."""
    found = {key: _series(indikatorer, key) for key in INDICATORS}
    return Development({k: v for k, v in found.items() if v is not None})
