"""Report tables: Swedish column labels and downloadable Excel workbooks."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

__all__ = ["save_excel"]

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
