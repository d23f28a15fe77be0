"""The funding-source scope of a report: all projects, the ERDF projects, or those of
appropriation 1:1 (*finansieringskälla*: ``alla``, ``eruf``, ``anslag_1_1``).

The seed's follow-up system is for the projects funded by *anslag 1:1*; the shipped projects
are ERDF projects, some co-funded by 1:1. A project funded by both ("ERUF och anslag 1:1")
belongs to both scopes, with its whole amount: the data do not say how the money is split
between the sources.
"""

from __future__ import annotations

import pandas as pd

from utvardering.errors import ParameterError
from utvardering.format import listed

__all__ = ["FUNDING_SCOPES", "check_funding", "funding_label", "in_scope", "select_funding"]

# scope → (Swedish name, the values of projekt.finansieringskalla it covers)
FUNDING_SCOPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "alla": ("alla finansieringskällor", ("ERUF", "Anslag 1:1", "ERUF och anslag 1:1")),
    "eruf": ("Regionala utvecklingsfonden (ERUF)", ("ERUF", "ERUF och anslag 1:1")),
    "anslag_1_1": ("anslag 1:1", ("Anslag 1:1", "ERUF och anslag 1:1")),
}


def check_funding(value: object, name: str = "finansiering") -> str:
    """The scope as one of ``alla``, ``eruf``, ``anslag_1_1``, or a ParameterError in Swedish."""
    if isinstance(value, str) and value.strip().lower() in FUNDING_SCOPES:
        return value.strip().lower()
    raise ParameterError(
        f"Parametern {name} ska vara {listed(list(FUNDING_SCOPES), 'eller')}; fick {value!r}."
    )


def funding_label(scope: str) -> str:
    """The scope's Swedish name, e.g. "anslag 1:1"."""
    return FUNDING_SCOPES[scope][0]


def in_scope(sources: pd.Series, scope: str) -> pd.Series:
    """Which of ``sources`` (values of ``finansieringskalla``) the scope covers (boolean)."""
    return sources.isin(FUNDING_SCOPES[scope][1])


def select_funding(projekt: pd.DataFrame, scope: str) -> pd.DataFrame:
    """The projects (rows of ``projekt.csv``) in the scope; all of them for ``alla``."""
    if scope == "alla":
        return projekt
    return projekt[in_scope(projekt["finansieringskalla"], scope)]
