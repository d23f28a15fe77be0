"""The thematic report's parameters, checked before any data is read.

:meth:`ThematicParameters.check` names every bad value at once in one
:class:`~utvardering.errors.ParameterError`, with a Swedish message that names the parameter,
the value it got and the values it accepts.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any, Literal

from utvardering.errors import ParameterError
from utvardering.format import listed
from utvardering.funding import check_funding
from utvardering.protocol import Parameters
from utvardering.vocabulary import FOCUS_AREAS, THEMES

__all__ = [
    "ALL_THEMES",
    "DEFAULT_PERIOD",
    "YEAR_RANGE",
    "ThematicParameters",
    "ThemeKind",
    "check_period",
    "check_theme",
]

# Every theme (tema) of the classification, in vocabulary order.
ALL_THEMES: tuple[str, ...] = tuple(theme for group in THEMES.values() for theme in group)
DEFAULT_PERIOD: tuple[int, int] = (2014, 2023)
# Start years outside this range are certainly typing errors.
YEAR_RANGE: tuple[int, int] = (1990, 2100)

ThemeKind = Literal["tema", "fokusomrade"]


def check_period(period: object) -> tuple[int, int]:
    """``[start, end]`` as two whole years with start <= end, or a ParameterError."""
    example = f"[{DEFAULT_PERIOD[0]}, {DEFAULT_PERIOD[1]}]"
    if isinstance(period, str) or not hasattr(period, "__len__") or len(period) != 2:
        raise ParameterError(
            f"Parametern period ska vara en lista med startår och slutår, t.ex. {example}; "
            f"fick {period!r}."
        )
    years = []
    for value in period:
        whole = isinstance(value, numbers.Integral) or (
            isinstance(value, float) and value.is_integer()
        )
        if isinstance(value, bool) or not whole:
            raise ParameterError(
                f"Parametern period ska innehålla två heltal (årtal), t.ex. {example}; "
                f"fick {period!r}."
            )
        years.append(int(value))
    start, end = years
    low, high = YEAR_RANGE
    if not (low <= start <= high and low <= end <= high):
        raise ParameterError(
            f"Parametern period ska ha årtal mellan {low} och {high}; fick {period!r}."
        )
    if start > end:
        raise ParameterError(
            f"Parametern period ska ha startåret före eller lika med slutåret; fick {period!r}. "
            f"Byt plats på åren, t.ex. {example}."
        )
    return start, end


def _theme_kind(name: str) -> ThemeKind | None:
    if name in ALL_THEMES:
        return "tema"
    if name in FOCUS_AREAS:
        return "fokusomrade"
    return None


def check_theme(theme: object) -> str | None:
    """The theme or focus area; ``""`` or None means no theme section."""
    if theme is None or theme == "":
        return None
    if isinstance(theme, str) and _theme_kind(theme.strip()) is not None:
        return theme.strip()
    allowed = listed([f"'{t}'" for t in ALL_THEMES], conjunction="eller")
    focus = listed([f"'{f}'" for f in FOCUS_AREAS], conjunction="eller")
    raise ParameterError(
        f'Parametern tema har ett okänt värde: {theme!r}. Ange ett tomt värde ("") för ingen '
        f"tematisk jämförelse, ett tema ({allowed}) eller ett fokusområde ({focus}). "
        "Skiftläge och stavning måste stämma."
    )


@dataclass(frozen=True)
class ThematicParameters(Parameters):
    """The checked parameters of one thematic report.

    ``tema`` is None when no cross-region theme section is asked for; :attr:`theme_kind` says
    whether it is a theme (``"tema"``) or a focus area (``"fokusomrade"``). ``finansiering`` is
    the funding-source scope (:mod:`utvardering.funding`): ``alla``, ``eruf`` or ``anslag_1_1``.

    >>> ThematicParameters.check(lan_kod=7, tema="", period=[2014, 2023])
    ThematicParameters(lan_kod='07', tema=None, period=(2014, 2023), finansiering='alla')
    """

    lan_kod: str = "07"
    tema: str | None = None
    period: tuple[int, int] = DEFAULT_PERIOD
    finansiering: str = "alla"

    @property
    def theme_kind(self) -> ThemeKind | None:
        return None if self.tema is None else _theme_kind(self.tema)

    @classmethod
    def problems(cls, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        out, found = super().problems(values)
        checks = (("period", check_period), ("tema", check_theme), ("finansiering", check_funding))
        for name, check in checks:
            if name in out:
                try:
                    out[name] = check(out[name])
                except ParameterError as exc:
                    found.append(str(exc))
        return out, found
