"""Turn a table's text cells into typed columns and check them, collecting every issue.

Validation is lazy: each function returns the issues it found instead of raising at the first,
so that a user sees everything that is wrong in one go. Rows are never dropped: a table either
comes back whole or the caller raises :class:`~utvardering.errors.DataValidationError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np
import pandas as pd

from utvardering.errors import ValidationIssue, printable
from utvardering.readers import MAX_CELL_CHARS, RawTable, forbidden_in
from utvardering.schemas import Column, TableSchema

__all__ = [
    "check_characters",
    "check_columns",
    "check_references",
    "check_unique",
    "coerce_table",
    "issues_where",
    "parse_numbers",
]

# From this many rows, a column's distinct texts are typed once each.
_DISTINCT_FROM = 10_000
_BREAKS = re.compile(r"[\t\n\r]")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?")
_EXPECTED = {
    "int": "ett heltal",
    "float": "ett tal (decimalkomma eller decimalpunkt)",
    "date": "ett datum på formen ÅÅÅÅ-MM-DD",
}


def check_columns(raw: RawTable, schema: TableSchema) -> list[ValidationIssue]:
    """Missing and unknown columns, named."""
    present = list(raw.frame.columns)
    issues = [
        ValidationIssue(
            raw.name,
            f"kolumnen '{c.name}' ({c.description})",
            row=1,
            column=c.name,
            check="kolumn_saknas",
        )
        for c in schema.columns
        if c.name not in present
    ]
    known = ", ".join(schema.column_names)
    issues += [
        ValidationIssue(
            raw.name, f"bara kända kolumner: {known}", row=1, column=name, check="okand_kolumn"
        )
        for name in present
        if name not in schema.column_index
    ]
    return issues


def _swedish_number(text: str) -> float:
    """One number written the Swedish way ('1 234,5', '−3'); NaN if it is not a number."""
    cleaned = _SPACES.sub("", text).replace("−", "-")
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return np.nan


def parse_numbers(text: pd.Series) -> pd.Series:
    """Numbers written the Swedish or the English way: '1 234,5', '1234.5', '−3'.

    A comma is a decimal comma (then points are thousands separators). Returns float64 with
    NaN where the text is empty or not a (finite) number. Plain numbers take a fast path; only the
    cells it cannot read go through the Swedish rules.
    """
    values = np.array([str(v).strip() for v in text.to_numpy(dtype=object)], dtype=object)
    return _numbers(values, text.index)


def _numbers(stripped: np.ndarray, index: pd.Index) -> pd.Series:
    """:func:`parse_numbers` of texts already stripped."""
    values = stripped.copy()
    values[values == ""] = np.nan
    number = pd.to_numeric(pd.Series(values, index=index), errors="coerce")
    number = number.astype("float64")
    retry = np.flatnonzero(number.isna().to_numpy() & pd.notna(values))
    if len(retry):
        number.iloc[retry] = [_swedish_number(values[i]) for i in retry]
    # 'inf', '1e999' and the like are not numbers a table can hold: they break every sum.
    return number.where(np.isfinite(number.to_numpy()))


def _coerce(column: Column, text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The typed column and a mask of cells whose text could not be read as that type.

    In a large column whose values repeat (codes, years, dates), each distinct text is read
    once and the result spread over the rows.
    """
    cells = text.to_numpy(dtype=object)
    if column.kind != "text" and len(cells) >= _DISTINCT_FROM:
        codes, uniques = pd.factorize(cells)
        if 2 * len(uniques) <= len(cells):
            distinct = np.asarray(uniques, dtype=object)
            value, bad = _coerce_cells(column, distinct, pd.RangeIndex(len(distinct)))
            return (
                value.iloc[codes].set_axis(text.index),
                pd.Series(bad.to_numpy(dtype=bool)[codes], index=text.index),
            )
    return _coerce_cells(column, cells, text.index)


def _coerce_cells(
    column: Column, cells: np.ndarray, index: pd.Index
) -> tuple[pd.Series, pd.Series]:
    """:func:`_coerce` of the cells as given."""
    text = pd.Series(cells, index=index, dtype=object, copy=False)
    # The reader gives str cells; strip() returns the same string when there is nothing to strip.
    stripped = np.array([v.strip() for v in cells], dtype=object)
    empty = stripped == ""
    none = pd.Series(False, index=text.index)
    if column.kind == "text":
        stripped[empty] = None
        return pd.Series(stripped, index=text.index, dtype="object"), none
    if column.kind == "code":
        value = np.array([v[:-2] if v.endswith(".0") else v for v in stripped], dtype=object)
        bad = none
        if column.width:
            width = column.width
            value = np.array([v.zfill(width) if v.isdigit() else v for v in value], dtype=object)
            bad = (
                pd.Series([not (len(v) == width and v.isdigit()) for v in value], index=text.index)
                & ~empty
            )
        value[empty] = None
        return pd.Series(value, index=text.index, dtype="object"), bad
    if column.kind in ("int", "float"):
        number = _numbers(stripped, text.index)
        bad = pd.Series(~empty, index=text.index) & number.isna()
        if column.kind == "int":
            # A whole number beyond 2**53 has no exact float, and none fits the contract.
            fractional = number.notna() & ((number != np.round(number)) | (number.abs() > 2**53))
            bad |= fractional
            return number.where(~fractional).astype("Int64"), bad
        return number, bad
    # date: ISO date, optionally followed by a time of day (as Excel and databases export it)
    date_text = pd.Series([v[:10] if v else None for v in stripped], index=text.index)
    value = pd.to_datetime(date_text, format="%Y-%m-%d", errors="coerce")
    good_shape = np.array([bool(_DATE.fullmatch(v)) for v in stripped])
    bad = pd.Series(~empty & (value.isna().to_numpy() | ~good_shape), index=text.index)
    return value.where(~bad).astype("datetime64[ns]"), bad


def issues_where(
    raw: RawTable,
    mask: pd.Series | np.ndarray,
    column: str,
    expected: str,
    check: str,
    values: pd.Series | None = None,
) -> list[ValidationIssue]:
    """One issue per row where ``mask`` holds, naming row, column and value."""
    positions = np.flatnonzero(np.asarray(mask, dtype=bool))
    if values is None:
        values = raw.frame.get(column)
    return [
        ValidationIssue(
            raw.name,
            expected,
            row=int(raw.rows[i]),
            column=column,
            value=None if values is None else values.iloc[i],
            check=check,
        )
        for i in positions
    ]


def check_characters(raw: RawTable, column: Column) -> tuple[np.ndarray, list[ValidationIssue]]:
    """Cells of ``column`` that hold a forbidden character (a control character, a byte order
    mark, …), a tab or line break in a code, or more text than an Excel cell holds.

    Returns a mask of those cells and one issue per cell, its value shown with escapes. Only
    the records the reader marked as suspect are looked at.
    """
    refused = np.zeros(len(raw.frame), dtype=bool)
    issues = []
    if not len(raw.suspects):
        return refused, issues
    cells = raw.frame[column.name].to_numpy(dtype=object)
    for position in raw.suspects:
        value = str(cells[position])
        names = forbidden_in(value)
        if names:
            expected = f"text utan styrtecken eller osynliga specialtecken (fältet har {names})"
        elif column.kind == "code" and _BREAKS.search(value.strip()):
            expected = "en kod utan tabb eller radbrytning"
        elif len(value) > MAX_CELL_CHARS:
            expected = (
                f"högst {MAX_CELL_CHARS} tecken i ett fält (gränsen för en cell i Excel), "
                f"men fältet har {len(value)}"
            )
        else:
            continue
        refused[position] = True
        issues.append(
            ValidationIssue(
                raw.name,
                expected,
                row=int(raw.rows[position]),
                column=column.name,
                value=printable(value),
                check="tecken",
            )
        )
    return refused, issues


def coerce_table(
    raw: RawTable, schema: TableSchema, progress: Callable[[int, int], None] | None = None
) -> tuple[pd.DataFrame, list[ValidationIssue]]:
    """The typed frame (columns in contract order) and every issue of characters, type and
    allowed value; a cell with a forbidden character gets only that issue.

    ``progress``, if given, is called with the steps done and their total: one per column and
    one for the value checks.
    """
    steps = len(schema.columns) + 1
    issues: list[ValidationIssue] = []
    columns: dict[str, pd.Series] = {}
    refused_cells: set[tuple[str, int]] = set()
    for column in schema.columns:
        text = raw.frame[column.name]
        refused, character_issues = check_characters(raw, column)
        issues += character_issues
        refused_cells.update((column.name, issue.row or 0) for issue in character_issues)
        value, bad = _coerce(column, text)
        bad &= ~refused
        if bad.any():
            expected = _EXPECTED.get(column.kind) or f"en kod med {column.width} siffror"
            issues += issues_where(raw, bad, column.name, expected, f"typ_{column.kind}")
        if not column.nullable:
            missing = value.isna() & ~bad & ~refused
            issues += issues_where(
                raw, missing, column.name, "ett värde (fältet är tomt)", "saknas"
            )
        columns[column.name] = value
        if progress is not None:
            progress(len(columns), steps)
    frame = pd.DataFrame(columns, index=pd.RangeIndex(len(raw.frame)))
    issues += [
        issue
        for issue in _check_values(raw, schema, frame)
        if (issue.column or "", issue.row or 0) not in refused_cells
    ]
    if progress is not None:
        progress(steps, steps)
    return frame, issues


def _check_values(raw: RawTable, schema: TableSchema, frame: pd.DataFrame) -> list[ValidationIssue]:
    from pandera.errors import SchemaErrors  # only validation needs pandera

    try:
        schema.pandera_schema().validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna() & cases["column"].notna()]
        issues = []
        for case in cases.itertuples(index=False):
            position = int(case.index)
            issues.append(
                ValidationIssue(
                    raw.name,
                    str(case.check),
                    row=int(raw.rows[position]),
                    column=str(case.column),
                    value=raw.frame[case.column].iloc[position],
                    check=str(case.check),
                )
            )
        issues.sort(key=lambda issue: (issue.column or "", issue.row or 0))
        return issues
    return []


def check_unique(
    raw: RawTable, frame: pd.DataFrame, keys: tuple[str, ...]
) -> list[ValidationIssue]:
    """Rows whose key repeats an earlier row's, naming the earlier row."""
    if not keys:
        return []
    key_frame = frame[list(keys)]
    repeated = key_frame.duplicated(keep="first").to_numpy()
    if not repeated.any():
        return []
    first_row = (
        pd.Series(raw.rows, index=frame.index)
        .groupby([key_frame[k] for k in keys], dropna=False, sort=False)
        .transform("first")
    )
    label = " + ".join(keys)
    issues = []
    for i in np.flatnonzero(repeated):
        value = " / ".join(str(raw.frame[k].iloc[i]) for k in keys)
        issues.append(
            ValidationIssue(
                raw.name,
                f"ett unikt värde på {label} (samma som rad {int(first_row.iloc[i])})",
                row=int(raw.rows[i]),
                column=keys[0] if len(keys) == 1 else label,
                value=value,
                check="dubblett",
            )
        )
    return issues


def check_references(
    raw: RawTable, frame: pd.DataFrame, column: str, known: Iterable[object], target: str
) -> list[ValidationIssue]:
    """Values of ``column`` that are not among ``known`` (a key of table ``target``)."""
    values = frame[column]
    unknown = values.notna() & ~values.isin(list(known))
    return issues_where(raw, unknown, column, f"ett värde som finns i {target}", f"ref_{target}")
