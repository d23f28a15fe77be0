"""The package's exceptions: one root, a few meaningful children, Swedish messages.

Every error a user can cause derives from :class:`UtvarderingError`. The command line turns
these into messages without a traceback. The errors are plain data and pickle across processes.
"""

from __future__ import annotations

import errno
from collections import defaultdict
from dataclasses import dataclass

__all__ = [
    "MAX_ISSUES_PER_CHECK",
    "DataValidationError",
    "EstimationError",
    "ParameterError",
    "ReportError",
    "UtvarderingError",
    "ValidationIssue",
    "describe_os_error",
    "printable",
]

# At most this many failures of one check (per file and column) are spelled out.
MAX_ISSUES_PER_CHECK = 10
# A value longer than this is shortened in messages.
_MAX_VALUE_CHARS = 60


class UtvarderingError(Exception):
    """Root of all errors raised by utvardering."""


@dataclass(frozen=True)
class ValidationIssue:
    """One failed check on one value, located as a person sees it.

    ``row`` is the line in a CSV file (the header is line 1) or the row in an Excel sheet,
    ``None`` when the issue concerns the whole file or a column.
    """

    file: str
    expected: str
    row: int | None = None
    column: str | None = None
    value: object = None
    check: str = ""
    key: str | None = None  # a key path in a YAML or GeoJSON file, instead of row/column

    def message(self) -> str:
        """The issue as one Swedish sentence."""
        where = [self.file]
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolumn '{self.column}'")
        if self.key is not None:
            where.append(f"nyckel '{self.key}'")
        text = ", ".join(where) + ": "
        if self.value is not None:
            text += f"värdet {_show(self.value)}: "
        return printable(text + f"förväntat {self.expected}")


def printable(text: str) -> str:
    """Text with every character that does not print written as its escape (``\\x00``,
    ``\\n``, ``\\u2028``), so that a message never moves a terminal's cursor or hides
    what makes two values differ."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    code = ord(char)
    if char in "\n\t\r":
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}[char]
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _show(value: object) -> str:
    text = str(value)
    if text == "":
        return "(tomt)"
    if len(text) > _MAX_VALUE_CHARS:
        text = text[: _MAX_VALUE_CHARS - 1] + "…"
    return f"'{text}'"


class DataValidationError(UtvarderingError):
    """Input data failed validation; carries every issue that was found."""

    def __init__(self, issues: list[ValidationIssue] | tuple[ValidationIssue, ...]):
        self.issues = tuple(issues)
        super().__init__(self.issues)

    def __str__(self) -> str:
        return format_issues(self.issues)

    @property
    def files(self) -> tuple[str, ...]:
        """The files that have at least one issue, in order of appearance."""
        return tuple(dict.fromkeys(issue.file for issue in self.issues))


def format_issues(issues: tuple[ValidationIssue, ...], limit: int = MAX_ISSUES_PER_CHECK) -> str:
    """All issues as Swedish lines, at most ``limit`` per file, check and column."""
    groups: dict[tuple[str, str, str | None], list[ValidationIssue]] = defaultdict(list)
    for issue in issues:
        groups[(issue.file, issue.check or issue.expected, issue.column)].append(issue)
    lines = [f"Indata innehåller {len(issues)} fel:"]
    for group in groups.values():
        lines.extend(f"  - {issue.message()}" for issue in group[:limit])
        if len(group) > limit:
            lines.append(f"    … och {len(group) - limit} fel till av samma slag i samma kolumn.")
    return "\n".join(lines)


class ParameterError(UtvarderingError):
    """A parameter given to a report, a run or an estimator is not valid."""


class EstimationError(UtvarderingError):
    """An estimator cannot produce a result from the data it was given."""


class ReportError(UtvarderingError):
    """Building, running or publishing a report failed."""


# What the operating system's errors mean, in Swedish.
_OS_ERRORS_SV = {
    errno.EACCES: "åtkomst nekad",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.ENOENT: "filen eller mappen finns inte",
    errno.ENOTDIR: "en del av sökvägen är en fil, inte en mapp",
    errno.EISDIR: "är en mapp, inte en fil",
    errno.EEXIST: "finns redan och är inte en mapp",
    errno.ENAMETOOLONG: "namnet är för långt",
    errno.EIO: "in- eller utmatningsfel",
}


def describe_os_error(exc: OSError) -> str:
    """An operating system error in Swedish words, e.g. ``åtkomst nekad`` (without the path)."""
    return _OS_ERRORS_SV.get(exc.errno, exc.strerror or str(exc) or type(exc).__name__)
