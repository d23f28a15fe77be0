"""The effect report's warnings as codes and numbers; ``effects.text`` words them in Swedish.

A :class:`Note` is either a report-level :class:`NoteCode` or an estimator's
:class:`~utvardering.effects.results.WarningCode`, with the values it needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from utvardering.effects.results import WarningCode

__all__ = ["Note", "NoteCode"]


class NoteCode(StrEnum):
    """What the effect report itself warns about."""

    COUNTRY_COMPARISON = "jamforelse_riket"  # industries: those with too few in the region
    NO_COMPARISON_FIRMS = "stodda_utan_jamforelse"  # n, industries
    TOO_FEW_TREATED = "for_fa_stodda"  # n: below MIN_TREATED, no effect is estimated
    FEW_TREATED = "fa_stodda"  # n: below FEW_TREATED
    ESTIMATION_FAILED = "skattning_misslyckades"  # method (indicator), reason (the error's text)


@dataclass(frozen=True)
class Note:
    """One warning of the report: a code and its values (hashable, so notes deduplicate)."""

    code: NoteCode | WarningCode
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, code: NoteCode | WarningCode, **values: Any) -> Note:
        """A note from keyword values (lists become tuples)."""
        items = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in values.items())
        return cls(code, items)

    def __getitem__(self, name: str) -> Any:
        return dict(self.values)[name]

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.values).get(name, default)
