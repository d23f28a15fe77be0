"""The maturity report's parameters: the region and the survey round."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

from utvardering.protocol import Parameters

__all__ = ["MaturityParameters"]


@dataclass(frozen=True)
class MaturityParameters(Parameters):
    """The region (``lan_kod``, checked by the protocol) and the survey round (``omgang``).

    Whether the round is in the survey is checked where the answers are
    (:func:`~utvardering.maturity.assessment.assess`).

    >>> MaturityParameters.check(lan_kod=7, omgang=2025)
    MaturityParameters(lan_kod='07', omgang=2025)
    """

    lan_kod: str = "07"
    omgang: int = 2025

    @classmethod
    def problems(cls, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        out, found = super().problems(values)
        if "omgang" in out:
            value = out["omgang"]
            if isinstance(value, numbers.Integral) and not isinstance(value, bool):
                out["omgang"] = int(value)
            else:
                found.append(
                    "Parametern omgang ska vara mognadsenkätens omgång (året) som ett heltal, "
                    f"t.ex. 2025; fick {value!r}."
                )
        return out, found
