"""The effect report's parameters: region, outcomes, comparison group and funding source,
checked at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from utvardering.effects.design import ALL_OUTCOMES, COMPARISONS, OUTCOMES
from utvardering.errors import ParameterError
from utvardering.format import listed
from utvardering.funding import check_funding
from utvardering.protocol import Parameters

__all__ = ["EffectParameters", "check_outcomes"]


def check_outcomes(value: object) -> tuple[str, ...]:
    """The outcomes to run, in the report's order: ``"alla"`` (every outcome), one outcome id,
    several as a list or as text separated by commas (what the batch's ``-p utfall a,b`` hands
    over); a ParameterError in Swedish names a value that is none of them.

    >>> check_outcomes("omsattning_tkr")
    ('omsattning_tkr',)
    >>> check_outcomes(["foradlingsvarde_tkr", "anstallda"])
    ('anstallda', 'foradlingsvarde_tkr')
    >>> check_outcomes("omsattning_tkr, anstallda")
    ('anstallda', 'omsattning_tkr')
    """
    if isinstance(value, str):
        parts = [p.strip() for p in value.split(",")]
        given: list[object] = list(OUTCOMES) if parts == [ALL_OUTCOMES] else parts
    elif isinstance(value, Iterable) and not isinstance(value, bytes | dict):
        given = list(value)
    else:
        given = [value]
    bad = [v for v in given if not isinstance(v, str) or v not in OUTCOMES]
    if bad or not given:
        whole = not bad or len(given) == 1 or any(v == "" for v in bad)
        shown = repr(value) if whole else listed([repr(v) for v in bad])
        raise ParameterError(
            f"Parametern utfall ska vara {ALL_OUTCOMES!r} (alla utfall) eller ett eller flera av "
            f"{listed([repr(o) for o in OUTCOMES], 'och')} "
            f"({listed([name for name, _ in OUTCOMES.values()], 'och')}); fick {shown}."
        )
    return tuple(o for o in OUTCOMES if o in given)


@dataclass(frozen=True)
class EffectParameters(Parameters):
    """``lan_kod`` (the region), ``utfall`` (the outcomes of the firm panel to run, see
    :data:`~utvardering.effects.design.OUTCOMES`; ``"alla"``, one id or a list, checked into
    a tuple of ids in the report's order), ``jamforelse`` (``"auto"``, ``"lan"`` or
    ``"riket"``: where the comparison firms come from) and ``finansiering`` (``"alla"``,
    ``"eruf"`` or ``"anslag_1_1"``: the projects whose goals and supported firms count).

    >>> EffectParameters.check(lan_kod=7).lan_kod
    '07'
    >>> EffectParameters.check(utfall="anstallda").utfall
    ('anstallda',)
    """

    lan_kod: str = "07"
    utfall: tuple[str, ...] = tuple(OUTCOMES)
    jamforelse: str = "auto"
    finansiering: str = "alla"

    @classmethod
    def problems(cls, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        out, found = super().problems(values)
        if "utfall" in out:
            try:
                out["utfall"] = check_outcomes(out["utfall"])
            except ParameterError as exc:
                found.append(str(exc))
        if "jamforelse" in out and out["jamforelse"] not in COMPARISONS:
            found.append(
                "Parametern jamforelse ska vara 'auto', 'lan' (jämförelseföretag i länet) eller "
                f"'riket' (i hela landet); fick {out['jamforelse']!r}."
            )
        if "finansiering" in out:
            try:
                out["finansiering"] = check_funding(out["finansiering"])
            except ParameterError as exc:
                found.append(str(exc))
        return out, found
