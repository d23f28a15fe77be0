"""The goal chain report's parameters: the region and the regions it is compared with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from utvardering.errors import ParameterError
from utvardering.format import listed
from utvardering.protocol import Parameters, check_lan_kod

__all__ = ["COMPARISON_RULES", "GoalChainParameters", "check_comparison"]

# The comparison rules that are words, not region codes: the other regions of the region's
# national area (riksområde), or every other region.
COMPARISON_RULES: tuple[str, ...] = ("riksomrade", "alla")


def check_comparison(value: object) -> str:
    """The peer regions as text: ``"riksomrade"``, ``"alla"``, or region codes separated by
    commas, each as two digits, in code order, once each; a ParameterError in Swedish names
    the value that is none of them.

    >>> check_comparison("riksomrade")
    'riksomrade'
    >>> check_comparison("8, 6,06")
    '06,08'
    """
    if isinstance(value, str) and value.strip() in COMPARISON_RULES:
        return value.strip()
    parts = [p.strip() for p in value.split(",")] if isinstance(value, str) else [value]
    codes, bad = [], []
    for part in parts:
        try:
            codes.append(check_lan_kod(part, "jamforelselan"))
        except ParameterError:
            bad.append(part)
    if bad or not codes:
        which = f" ({listed([repr(b) for b in bad])} är ingen länskod)" if bad and codes else ""
        raise ParameterError(
            "Parametern jamforelselan ska vara 'riksomrade' (de andra länen i samma riksområde), "
            "'alla' (alla andra län) eller länskoder åtskilda med kommatecken, t.ex. '06,08'; "
            f"fick {value!r}{which}."
        )
    return ",".join(sorted(set(codes)))


@dataclass(frozen=True)
class GoalChainParameters(Parameters):
    """``lan_kod`` (the region, checked by the protocol) and ``jamforelselan``: the regions the
    region's goal indicators are compared with: ``"riksomrade"`` (default: the other regions
    of the same national area, or every other region where the area has no other),
    ``"alla"`` (every other region) or region codes such as ``"06,08"``.

    >>> GoalChainParameters.check(lan_kod=7, jamforelselan="8,6")
    GoalChainParameters(lan_kod='07', jamforelselan='06,08')
    """

    lan_kod: str = "07"
    jamforelselan: str = "riksomrade"

    @classmethod
    def problems(cls, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        out, found = super().problems(values)
        if "jamforelselan" in out:
            try:
                out["jamforelselan"] = check_comparison(out["jamforelselan"])
            except ParameterError as exc:
                found.append(str(exc))
            else:
                own = out.get("lan_kod", cls.lan_kod)
                if out["jamforelselan"] == own:
                    found.append(
                        f"Parametern jamforelselan ska nämna andra län än länet självt ({own}); "
                        f"fick {values['jamforelselan']!r}."
                    )
        return out, found

    @property
    def peers(self) -> tuple[str, ...] | None:
        """The chosen peer regions (the region itself left out), or None for the rules
        ``riksomrade`` and ``alla``."""
        if self.jamforelselan in COMPARISON_RULES:
            return None
        return tuple(c for c in self.jamforelselan.split(",") if c != self.lan_kod)
