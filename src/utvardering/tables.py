"""Report tables: Swedish column labels and downloadable Excel workbooks."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

__all__ = ["ABOUT_SHEET", "add_about_sheet", "save_excel"]

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
