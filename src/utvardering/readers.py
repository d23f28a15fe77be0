"""Read a table file (CSV or Excel) into text cells, keeping each record's row as a person sees it.

This is the lowest layer of input: no types yet, only text. It accepts what Swedish exports
look like: `,`, `;` or tab as separator; UTF-8, UTF-8 with BOM or Windows-1252; gzip-compressed
CSV; and Excel workbooks (the first sheet). Types and checks come in :mod:`utvardering.coerce`
and :mod:`utvardering.validate`.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from utvardering.errors import DataValidationError, ValidationIssue

__all__ = ["TABLE_SUFFIXES", "RawTable", "find_table_file", "read_raw"]

# The file endings a table may have, in order of preference.
TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".xlsx")
_SEPARATORS = (";", ",", "\t")


@dataclass(frozen=True)
class RawTable:
    """A table as text cells: ``frame`` holds str (``""`` when empty), ``rows`` the source rows."""

    path: Path
    frame: pd.DataFrame
    rows: np.ndarray

    @property
    def name(self) -> str:
        return self.path.name


def find_table_file(data_dir: Path, stem: str) -> Path | None:
    """The file of table ``stem`` in ``data_dir``; None if there is none.

    Raises DataValidationError if the table is given in more than one format.
    """
    found = [data_dir / f"{stem}{suffix}" for suffix in TABLE_SUFFIXES]
    found = [path for path in found if path.is_file()]
    if len(found) > 1:
        names = ", ".join(path.name for path in found)
        raise DataValidationError(
            [
                ValidationIssue(
                    file=found[0].name,
                    expected=f"tabellen '{stem}' i en enda fil, men den finns som {names}",
                    check="flera_filer",
                )
            ]
        )
    return found[0] if found else None


def read_raw(path: Path) -> RawTable:
    """Read a CSV (optionally gzip) or XLSX file into text cells with source row numbers."""
    if path.name.lower().endswith(".xlsx"):
        header, records, rows = _read_xlsx(path)
    else:
        header, records, rows = _read_csv(path)
    header = [_clean_header(name) for name in header]
    issues = []
    if not any(header):
        issues.append(ValidationIssue(path.name, "en rubrikrad och minst en datarad", check="tom"))
    elif not records:
        issues.append(ValidationIssue(path.name, "minst en datarad under rubrikraden", check="tom"))
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    issues.extend(
        ValidationIssue(path.name, "varje kolumnnamn en gång", row=1, column=name, check="rubrik")
        for name in duplicates
    )
    width = len(header)
    for record, row in zip(records, rows, strict=True):
        if len(record) != width:
            issues.append(
                ValidationIssue(
                    path.name,
                    f"{width} fält som i rubrikraden, men raden har {len(record)}",
                    row=row,
                    check="antal_falt",
                )
            )
    if issues:
        raise DataValidationError(issues)
    frame = pd.DataFrame(records, columns=header, dtype=object)
    return RawTable(path=path, frame=frame, rows=np.asarray(rows, dtype=np.int64))


def _clean_header(name: object) -> str:
    return str(name).replace("\ufeff", "").strip().lower()


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise DataValidationError(
            [
                ValidationIssue(
                    path.name,
                    "text i UTF-8 eller Windows-1252 (okänd teckenkodning; "
                    f"byte {data[exc.start]:#04x} vid position {exc.start})",
                    check="kodning",
                )
            ]
        ) from exc


def _read_csv(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DataValidationError(
                [ValidationIssue(path.name, "en gzip-komprimerad CSV-fil", check="gzip")]
            ) from exc
    text = _decode(path, data)
    first_line = text.split("\n", 1)[0]
    separator = max(_SEPARATORS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header: list[str] = []
    records: list[list[str]] = []
    rows: list[int] = []
    previous_line = 0
    try:
        for record in reader:
            start = previous_line + 1
            previous_line = reader.line_num
            if not any(record) or not "".join(record).strip():
                continue  # a blank line holds no data
            if not header:
                header = record
                continue
            records.append(record)
            rows.append(start)
    except csv.Error as exc:
        raise DataValidationError(
            [ValidationIssue(path.name, f"giltig CSV ({exc})", row=previous_line + 1, check="csv")]
        ) from exc
    return header, records, rows


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    from openpyxl import load_workbook  # imported here: only Excel input needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataValidationError(
            [ValidationIssue(path.name, f"en läsbar Excel-fil (.xlsx) ({exc})", check="xlsx")]
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        header: list[str] = []
        records: list[list[str]] = []
        rows: list[int] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            if not header:
                header = cells
                continue
            records.append(cells)
            rows.append(number)
    finally:
        workbook.close()
    # Excel pads rows to the widest used column: cut the empty columns right of the header,
    # unless a record has data there (that record is then reported as having too many fields).
    width = max((i + 1 for i, name in enumerate(header) if name.strip()), default=0)
    header = header[:width]
    records = [r[:width] + [""] * (width - len(r)) if not any(r[width:]) else r for r in records]
    return header, records, rows


def _cell_text(value: object) -> str:
    """A cell's value as the text a person sees; dates as ISO, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
