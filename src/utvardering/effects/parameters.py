"""The effect report's parameters: region, outcome and comparison group, checked at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from utvardering.effects.design import COMPARISONS, OUTCOMES
from utvardering.format import listed
from utvardering.protocol import Parameters

__all__ = ["EffectParameters"]


@dataclass(frozen=True)
class EffectParameters(Parameters):
    """``lan_kod`` (the region), ``utfall`` (an outcome of the firm panel, see
    :data:`~utvardering.effects.design.OUTCOMES`) and ``jamforelse`` (``"auto"``, ``"lan"``
    or ``"riket"``: where the comparison firms come from).

    >>> EffectParameters.check(lan_kod=7).lan_kod
    '07'
    """

    lan_kod: str = "07"
    utfall: str = "anstallda"
    jamforelse: str = "auto"

    @classmethod
    def problems(cls, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        out, found = super().problems(values)
        if "utfall" in out and out["utfall"] not in OUTCOMES:
            found.append(
                f"Parametern utfall ska vara en av {listed([repr(o) for o in OUTCOMES], 'eller')} "
                f"({listed([name for name, _ in OUTCOMES.values()], 'eller')}); "
                f"fick {out['utfall']!r}."
            )
        if "jamforelse" in out and out["jamforelse"] not in COMPARISONS:
            found.append(
                "Parametern jamforelse ska vara 'auto', 'lan' (jämförelseföretag i länet) eller "
                f"'riket' (i hela landet); fick {out['jamforelse']!r}."
            )
        return out, found
