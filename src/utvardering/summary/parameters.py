"""The region summary's parameters: the region, the run folder, the round and the funding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from utvardering.protocol import Parameters
from utvardering.synthesis.parameters import check_run_parameters

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
        check_run_parameters(out, found)
        return out, found
