"""The region summary's parameters: the region, the run folder, the round and the funding."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from utvardering.errors import ParameterError
from utvardering.funding import check_funding
from utvardering.protocol import Parameters

__all__ = ["SummaryParameters"]


@dataclass(frozen=True)
class SummaryParameters(Parameters):
    """The summary's parameters, checked by :meth:`check` (every bad value named at once).

    ``lan_kod`` is the region (checked by the protocol); ``korning_dir`` the output folder of
    ``utvardering kor`` (one folder per region), whose result files the summary reads;
    ``omgang`` the maturity survey's round (a ``mognad.json`` of another round counts as
    missing) and ``finansiering`` the funding scope (``alla``, ``eruf``, ``anslag_1_1``: a
    thematic or effect file run for another scope counts as missing). The names and meanings
    are the national synthesis', so that ``utvardering kor -p omgang=2024`` reaches both.

    >>> SummaryParameters.check(lan_kod=7, korning_dir=".").lan_kod
    '07'
    """

    lan_kod: str = "07"
    korning_dir: str = "../_utdata"
    omgang: int = 2025
    finansiering: str = "alla"

    @classmethod
    def problems(cls, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        out, found = super().problems(values)
        if "korning_dir" in out:
            folder = out["korning_dir"]
            if not isinstance(folder, str | Path) or not Path(folder).is_dir():
                found.append(
                    f"korning_dir {str(folder)!r} är ingen mapp. Ange utdatamappen från "
                    "`utvardering kor` (den med en undermapp per län), t.ex. "
                    "korning_dir = '../_utdata'."
                )
            else:
                out["korning_dir"] = str(folder)
        if "omgang" in out:
            omgang = out["omgang"]
            if isinstance(omgang, bool) or not isinstance(omgang, numbers.Integral):
                found.append(
                    "omgang ska vara mognadsenkätens omgång som heltal, t.ex. 2025; "
                    f"fick {omgang!r}."
                )
            else:
                out["omgang"] = int(omgang)
        if "finansiering" in out:
            try:
                out["finansiering"] = check_funding(out["finansiering"])
            except ParameterError as exc:
                found.append(str(exc))
        return out, found
