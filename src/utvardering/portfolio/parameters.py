"""The thematic report's parameters, checked before any data is read.

A wrong parameter is a :class:`~utvardering.errors.ParameterError` with a Swedish message that
names the parameter, the value it got and the values it accepts.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Literal

from utvardering.errors import ParameterError
from utvardering.format import lista
from utvardering.vocabulary import FOCUS_AREAS, LAN_CODES, THEMES

__all__ = [
    "ALL_THEMES",
    "DEFAULT_PERIOD",
    "YEAR_RANGE",
    "ReportParameters",
    "check_parameters",
    "check_period",
    "check_theme",
]

# Every theme (tema) of the classification, in vocabulary order.
ALL_THEMES: tuple[str, ...] = tuple(theme for group in THEMES.values() for theme in group)
DEFAULT_PERIOD: tuple[int, int] = (2014, 2023)
# Start years outside this range are certainly typing errors.
YEAR_RANGE: tuple[int, int] = (1990, 2100)

ThemeKind = Literal["tema", "fokusomrade"]


@dataclass(frozen=True)
class ReportParameters:
    """The checked parameters of one thematic report.

    ``tema`` is None when no cross-region theme section is asked for; ``tema_typ`` says whether
    ``tema`` is a theme (``"tema"``) or a focus area (``"fokusomrade"``).
    """

    lan_kod: str
    period: tuple[int, int]
    tema: str | None = None
    tema_typ: ThemeKind | None = None


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


def check_theme(tema: object) -> tuple[str | None, ThemeKind | None]:
    """The theme or focus area and its kind; ``""`` or None means no theme section."""
    if tema is None or tema == "":
        return None, None
    if isinstance(tema, str):
        name = tema.strip()
        if name in ALL_THEMES:
            return name, "tema"
        if name in FOCUS_AREAS:
            return name, "fokusomrade"
    allowed = lista([f"'{t}'" for t in ALL_THEMES], och="eller")
    focus = lista([f"'{f}'" for f in FOCUS_AREAS], och="eller")
    raise ParameterError(
        f'Parametern tema har ett okänt värde: {tema!r}. Ange ett tomt värde ("") för ingen '
        f"tematisk jämförelse, ett tema ({allowed}) eller ett fokusområde ({focus}). "
        "Skiftläge och stavning måste stämma."
    )


def check_parameters(
    lan_kod: object, period: object = DEFAULT_PERIOD, tema: object = ""
) -> ReportParameters:
    """All parameters of the thematic report checked at once (the first error is raised)."""
    if not isinstance(lan_kod, str) or lan_kod not in LAN_CODES:
        hint = (
            f' Länskoden är text: skriv "{int(lan_kod):02d}".'
            if isinstance(lan_kod, int) and f"{lan_kod:02d}" in LAN_CODES
            else ""
        )
        raise ParameterError(
            f"Parametern lan_kod ska vara en av de 21 länskoderna ({', '.join(LAN_CODES)}); "
            f"fick {lan_kod!r}.{hint}"
        )
    start, end = check_period(period)
    name, kind = check_theme(tema)
    return ReportParameters(lan_kod=lan_kod, period=(start, end), tema=name, tema_typ=kind)
