"""Numbers and text the Swedish way, for report tables and sentences.

Thousands are separated by a non-breaking space and decimals by a comma ("1 234,5"); text
that comes from data is escaped before it goes into Markdown or HTML.
"""

from __future__ import annotations

import html
import math
import re

__all__ = [
    "counted",
    "escape_md",
    "fmt_kr",
    "fmt_number",
    "fmt_percent",
    "listed",
    "parameter_text",
]

_NBSP = "\u00a0"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_LINE_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)\s*")


def fmt_number(value: float | int | None, decimals: int = 0) -> str:
    """A number as Swedes write it: ``fmt_number(1234.5, 1) == "1 234,5"`` (non-breaking space).

    Missing values (None, NaN) are shown as an en dash.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", _NBSP).replace(".", ",").replace("-", "−")


def fmt_kr(value: float | None, decimals: int = 1) -> str:
    """An amount in kronor scaled to a readable unit: "4,4 mdkr", "12,3 mnkr", "850 tkr"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    size = abs(value)
    if size >= 1e9:
        return f"{fmt_number(value / 1e9, decimals)}{_NBSP}mdkr"
    if size >= 1e6:
        return f"{fmt_number(value / 1e6, decimals)}{_NBSP}mnkr"
    if size >= 1e4:
        return f"{fmt_number(value / 1e3, 0)}{_NBSP}tkr"
    return f"{fmt_number(value, 0)}{_NBSP}kr"


def fmt_percent(share: float | None, decimals: int = 0) -> str:
    """A share (0.456) as a percentage: "46 %"."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return f"{fmt_number(100 * share, decimals)}{_NBSP}%"


def escape_md(text: object) -> str:
    """Text from data made safe for Markdown and HTML: tags show as text, not markup, and a
    line break becomes a space, so that the text cannot start a block of its own (a heading,
    a list, a code fence, a table row) in the sentence it is part of."""
    flat = _LINE_BREAK.sub(" ", str(text))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def listed(items: list[str], conjunction: str = "och") -> str:
    """A Swedish enumeration: "a, b och c"."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def counted(n: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: "1 varning", "3 varningar", "0 projekt"
    (never "varning(ar)"); thousands are separated as in :func:`fmt_number`."""
    return f"{fmt_number(n)} {singular if n == 1 else plural}"


def parameter_text(value: object) -> str:
    """A parameter's value as a reader reads it in a provenance line: lists as "a, b", no
    value as "–", truth values as "ja"/"nej" (never Python's None, True or a list's brackets)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list | tuple):
        return ", ".join(parameter_text(v) for v in value) or "–"
    return str(value)
