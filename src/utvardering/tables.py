"""Report tables: how they are shown (great-tables), and downloadable Excel workbooks.

Every report table reaches the page through :func:`table_html`: the table's columns only (no
row index), built with great-tables (``GT``), numbers as Swedes write them, numeric columns
right-aligned, every cell and heading escaped. The markup is a plain ``<table>`` with a
``<thead>`` and a ``<tbody>`` and GT's classes, without a style sheet of its own: the rules live
once in ``rapportmallar/tabeller.css``, which the site links. The same markup passes the
sanitizer (:func:`utvardering.publish.sanitize.clean_html`) unchanged and Pandoc's HTML reader
turns it into a real table for the PDF and Word versions.

Why great-tables and not pandas' Styler: GT is made for tables that people read (column
alignment by content, headings, spanners, source notes, a stable class vocabulary that one
style sheet can address), and its HTML has no per-cell ids; the Styler is a formatting layer
over a DataFrame whose HTML carries the index machinery (``row_heading``, ``index_name``) and
an id per cell, and whose look comes from a ``<style>`` block per table that the sanitizer
removes anyway.
"""

from __future__ import annotations

import math
import numbers
import os
import re
from pathlib import Path

import pandas as pd

from utvardering.format import fmt_number

__all__ = [
    "ABOUT_SHEET",
    "TABLE_CLASS",
    "add_about_sheet",
    "column_widths",
    "display_frame",
    "gt_table",
    "numeric_columns",
    "save_excel",
    "table_html",
    "table_text",
]

# The class of every report table (beside GT's own ``gt_table``), and of the box around it
# that scrolls a table wider than the page.
TABLE_CLASS = "utv-gt"
_BOX_CLASS = "utv-tabell"

# A cell that reads as a number: "1 234,5", "−0,7", "+5 %", "3,0–3,7", "0,69 till 0,74",
# "5 av 21", "12,1 (2025)", "18,7 mnkr". Such columns are right-aligned.
_NUMBER = r"[−+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?|[−+-]?\d+(?:,\d+)?"
_UNIT = r"(?:[ \u00a0\u202f]?(?:%|kr|tkr|mnkr|mdkr|procentenheter|nivåer?))?"
_NUMERIC_CELL = re.compile(
    rf"(?:{_NUMBER}){_UNIT}"
    rf"(?:(?:[ \u00a0\u202f]?[–-][ \u00a0\u202f]?|[ \u00a0\u202f](?:till|av)[ \u00a0\u202f])"
    rf"(?:{_NUMBER}){_UNIT})?"
    r"(?:[ \u00a0\u202f]\(\d{4}\))?"
)
_MISSING = frozenset({"", "–", "-", "—"})

# The first sheet of every downloadable workbook: what the numbers are and what they rest on.
ABOUT_SHEET = "Om underlaget"

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("_", name).strip("'")[:31] or "Blad"
    candidate, n = base, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def save_excel(tables: dict[str, pd.DataFrame], path: Path | str) -> Path:
    """Write each table to a sheet of one workbook (sheet names made valid for Excel).

    The workbook is written to a temporary file and renamed, so a reader never sees half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.xlsx")
    used: set[str] = set()
    with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, table in tables.items():
            frame = table.copy()
            for column in frame.columns:
                if isinstance(frame[column].dtype, pd.DatetimeTZDtype):
                    frame[column] = frame[column].dt.tz_localize(None)
            index = not isinstance(frame.index, pd.RangeIndex)
            sheet = _sheet_name(name, used)
            frame.to_excel(writer, sheet_name=sheet, index=index)
            # Text from data that starts with '=' would be stored as a live formula (a
            # HYPERLINK to anywhere, say); the workbooks hold values only, so it stays text.
            for row in writer.sheets[sheet].iter_rows():
                for cell in row:
                    if cell.data_type == "f":
                        cell.data_type = "s"
    os.replace(tmp, path)
    return path


def add_about_sheet(path: Path | str, rows: list[tuple[str, str]]) -> Path:
    """Put the sheet :data:`ABOUT_SHEET` first in the workbook at ``path``: one row per
    ``(label, text)``, e.g. the report, its parameters and the simulated inputs it rests on, so
    that a download says what it is even when it travels without the report. Rewritten
    atomically; a sheet of that name already there is replaced."""
    import openpyxl  # openpyxl is pandas' Excel engine here; only this function edits a book

    path = Path(path)
    book = openpyxl.load_workbook(path)
    if ABOUT_SHEET in book.sheetnames:
        del book[ABOUT_SHEET]
    sheet = book.create_sheet(ABOUT_SHEET, 0)
    for label, text in rows:
        sheet.append([label, text])
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":  # values only, as in save_excel
                cell.data_type = "s"
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 110
    book.active = 0
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.about.tmp.xlsx")
    book.save(tmp)
    os.replace(tmp, path)
    return path


# --- how a table is shown --------------------------------------------------------------------


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _cell_text(value: object, decimals: int) -> str:
    """One cell as text: numbers the Swedish way, missing values as an en dash."""
    if _missing(value):
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, numbers.Integral):
        return fmt_number(int(value), 0)
    if isinstance(value, numbers.Real):
        return fmt_number(float(value), decimals)
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _decimals(series: pd.Series) -> int:
    """Decimals for a float column: none when every value is whole, else one, two when one
    would show a non-zero value as zero."""
    values = [float(v) for v in series if not _missing(v)]
    if all(v.is_integer() for v in values):
        return 0
    if any(0 < abs(v) < 0.05 for v in values):
        return 2
    return 1


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The table as text cells under text headings, rows numbered 0.. (the index is not
    shown): what :func:`gt_table` renders. Text stays as it is; numbers are written the
    Swedish way (already formatted tables hold text and pass unchanged)."""
    columns = [str(c) for c in frame.columns]
    shown = {}
    for i in range(frame.shape[1]):
        series = frame.iloc[:, i]
        places = 1
        if pd.api.types.is_float_dtype(series):
            places = _decimals(series)
        shown[i] = [_cell_text(v, places) for v in series]
    out = pd.DataFrame(shown, index=range(len(frame)))
    out.columns = columns
    return out


def numeric_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a shown table whose every non-missing cell reads as a number (and
    which have at least one): these are right-aligned."""
    found = []
    for column in frame.columns:
        cells = [str(v).strip() for v in frame[column] if str(v).strip() not in _MISSING]
        if cells and all(_NUMERIC_CELL.fullmatch(c) for c in cells):
            found.append(str(column))
    return found


def column_widths(shown: pd.DataFrame, numeric: list[str]) -> dict[str, str]:
    """Each column's share of the table's width (per cent), from its content: a number's
    width, a text's length up to a cap (long text wraps), at least the longest word of the
    heading. The browser takes them as hints; Pandoc passes them on to PDF and Word."""
    weights = {}
    for column in shown.columns:
        cells = [str(v) for v in shown[column]]
        longest = max((len(c) for c in cells), default=0)
        word = max((len(w) for w in str(column).split()), default=1)
        cap = 14 if column in numeric else 48
        weights[column] = max(word, min(longest, cap), 3)
    total = sum(weights.values())
    return {c: f"{100 * w / total:.0f}%" for c, w in weights.items()}


def gt_table(frame: pd.DataFrame):
    """The table as a great-tables ``GT``: the columns only, numbers the Swedish way,
    numeric columns right-aligned and the others left-aligned."""
    from great_tables import GT

    shown = display_frame(frame)
    if len(set(shown.columns)) < len(shown.columns):  # GT addresses columns by name
        raise ValueError(f"Tabellen har kolumnnamn som upprepas: {list(shown.columns)}")
    numeric = numeric_columns(shown)
    table = GT(shown)
    if len(shown.columns) > 1 and len(shown):
        table = table.cols_width(column_widths(shown, numeric))
    text = [c for c in shown.columns if c not in numeric]
    if numeric:
        table = table.cols_align("right", columns=numeric)
    if text:
        table = table.cols_align("left", columns=text)
    return table


_WRAPPER = re.compile(r"\A\s*<div\b[^>]*>\s*(?:<style\b.*?</style>\s*)?(.*?)\s*</div>\s*\Z", re.S)
_TABLE_OPEN = re.compile(r"<table\b[^>]*>")
_CELL_ID = re.compile(r"(<t[hd]\b[^>]*?) (?:id|headers)=\"[^\"]*\"")
_SPAN_ONE = re.compile(r' (?:rowspan|colspan)="1"')
_BLANK_LINES = re.compile(r"\n\s*\n")
_SELF_CLOSING = re.compile(r"\s*/>")  # GT's <col .../> (HTML has no self-closing tags)
# GT aligns by class; Pandoc's HTML reader (the PDF and Word route) reads the style attribute.
_RIGHT_CELL = re.compile(r'(<t[hd]\b[^>]*class="[^"]*\bgt_right\b[^"]*")')


def table_html(frame: pd.DataFrame) -> str:
    """The table's HTML for the page: GT's ``<table>`` (no ``<style>``, no ids), in a box
    that scrolls when the table is wider than the page."""
    raw = gt_table(frame).as_raw_html(inline_css=False)
    match = _WRAPPER.match(raw)
    body = match.group(1) if match else raw
    body = _TABLE_OPEN.sub(f'<table class="gt_table {TABLE_CLASS}">', body, count=1)
    while _CELL_ID.search(body):
        body = _CELL_ID.sub(r"\1", body)
    body = _SPAN_ONE.sub("", body)
    body = _RIGHT_CELL.sub(r'\1 style="text-align: right;"', body)
    body = _SELF_CLOSING.sub(">", body)
    body = _BLANK_LINES.sub("\n", body).strip()
    return f'<div class="{_BOX_CLASS}">\n{body}\n</div>'


def table_text(frame: pd.DataFrame) -> str:
    """The table's plain form (a console, a text export): the columns only."""
    return display_frame(frame).to_string(index=False)
