"""Read a table file (CSV or Excel) into text cells, keeping each record's row as a person sees it.

This is the lowest layer of input: no types yet, only text. It accepts what Swedish exports
look like: `,`, `;` or tab as separator; UTF-8, UTF-8 with BOM or Windows-1252; gzip-compressed
CSV; and Excel workbooks (the first sheet). Text is normalised to Unicode NFC (a Mac export's
decomposed "å" equals the composed one) and line breaks inside a cell to "\n". Records that
hold a character no text cell may hold, or a cell too long for Excel, are marked for
:mod:`utvardering.validate`, which types and checks the cells.
"""

from __future__ import annotations

import array
import csv
import datetime as dt
import gzip
import io
import re
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from utvardering.defaults import TABLE_SUFFIXES
from utvardering.errors import DataValidationError, ValidationIssue, printable

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "MAX_CELL_CHARS",
    "TABLE_SUFFIXES",
    "RawTable",
    "clean_texts",
    "find_table_file",
    "forbidden_in",
    "normalize_text",
    "read_raw",
]

_SEPARATORS = (";", ",", "\t")
# Characters no text cell may hold: C0 controls other than tab, line feed and carriage return
# (a line break inside a quoted field), DEL and the C1 controls, the Unicode line and paragraph
# separators, a byte order mark inside the text, the noncharacters U+FFFE/U+FFFF and the
# replacement character U+FFFD (the mark of text already broken by a wrong encoding). They are
# invisible, break the Excel writer (IllegalCharacterError) or split lines where no line ends.
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffd\ufffe\uffff]"
)
# The most characters an Excel cell holds; a longer text cannot reach a report's workbook.
MAX_CELL_CHARS = 32_767
_XLSX_SUSPECT = re.compile(f"{FORBIDDEN_CHARACTERS.pattern}|[\\t\\n\\r]")
# Rows read between two calls of a progress callback.
_PROGRESS_EVERY = 50_000


@dataclass(frozen=True)
class RawTable:
    """A table as text cells: ``frame`` holds str (``""`` when empty), ``rows`` the source rows.

    ``suspects`` are the positions of records that may hold a forbidden character or a cell
    longer than :data:`MAX_CELL_CHARS`; only their cells need the character check.
    """

    path: Path
    frame: pd.DataFrame
    rows: np.ndarray
    suspects: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

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


def read_raw(path: Path, progress: Callable[[int, int], None] | None = None) -> RawTable:
    """Read a CSV (optionally gzip) or XLSX file into text cells with source row numbers.

    ``progress``, if given, is called now and then with the bytes read so far and the total.
    """
    xlsx = path.name.lower().endswith(".xlsx")
    parsed = _read_xlsx(path) if xlsx else _read_csv(path, progress)
    header = [_clean_header(name) for name in parsed.header]
    issues = []
    if not any(header):
        issues.append(ValidationIssue(path.name, "en rubrikrad och minst en datarad", check="tom"))
    elif not parsed.count:
        issues.append(ValidationIssue(path.name, "minst en datarad under rubrikraden", check="tom"))
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    issues.extend(
        ValidationIssue(path.name, "varje kolumnnamn en gång", row=1, column=name, check="rubrik")
        for name in duplicates
    )
    issues.extend(
        ValidationIssue(
            path.name,
            f"{len(header)} fält som i rubrikraden, men raden har {length}",
            row=row,
            check="antal_falt",
        )
        for row, length in parsed.ragged
    )
    if issues:
        raise DataValidationError(issues)
    cells = parsed.cells(len(header))
    frame = pd.DataFrame(cells, columns=header, dtype=object, copy=False)
    return RawTable(
        path=path,
        frame=frame,
        rows=np.asarray(parsed.rows, dtype=np.int64),
        suspects=np.asarray(parsed.suspects, dtype=np.int64),
    )


def forbidden_in(text: str) -> str:
    """The forbidden characters a text holds, named as code points ("U+0000, U+2028"), or ""."""
    return ", ".join(f"U+{ord(c):04X}" for c in sorted(set(FORBIDDEN_CHARACTERS.findall(text))))


def normalize_text(text: str) -> str:
    """Text in Unicode NFC, so that a decomposed "å" (as some Mac exports write it) is "å"."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def clean_texts(node: Any, file: str, where: str = "") -> tuple[Any, list[ValidationIssue]]:
    """A parsed YAML or JSON document with every text (key or value) in NFC, and an issue,
    naming its key path, for each text that holds a forbidden character."""
    issues: list[ValidationIssue] = []
    return _clean_texts(node, where, file, issues), issues


def _clean_texts(node: Any, where: str, file: str, issues: list[ValidationIssue]) -> Any:
    """``node`` with every text in NFC; texts with forbidden characters go to ``issues``."""
    if isinstance(node, str):
        names = forbidden_in(node)
        if names:
            issues.append(
                ValidationIssue(
                    file,
                    f"text utan styrtecken eller osynliga specialtecken (texten har {names})",
                    key=where or "(roten)",
                    value=printable(node),
                    check="tecken",
                )
            )
        return normalize_text(node)
    if isinstance(node, list):
        return [_clean_texts(v, f"{where}[{i}]", file, issues) for i, v in enumerate(node)]
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            label = str(key)
            key = _clean_texts(key, f"{where}.{label}" if where else label, file, issues)
            out[key] = _clean_texts(value, f"{where}.{label}" if where else label, file, issues)
        return out
    return node


def _clean_header(name: object) -> str:
    return normalize_text(str(name)).replace("\ufeff", "").strip().lower()


class _Records:
    """The records of a file as they are read, kept compactly: blocks of a 2-D object array,
    and the list of each record freed once its block is made. In a column whose values repeat
    (most of them, in the first block), equal texts share one string."""

    _BLOCK = 8_192

    def __init__(self) -> None:
        self.header: list[str] = []
        self.rows = array.array("q")  # 8 bytes a record, not a Python int each
        self.suspects: list[int] = []
        self.ragged: list[tuple[int, int]] = []
        self._blocks: list[np.ndarray] = []
        self._pending: list[list[str]] = []
        self._repeating: list[int] | None = None

    @property
    def count(self) -> int:
        return len(self.rows)

    def add(self, record: list[str], row: int, suspect: bool) -> None:
        if not self.header:
            self.header = record
            return
        if suspect:
            self.suspects.append(len(self.rows))
        self.rows.append(row)
        if len(record) != len(self.header):
            self.ragged.append((row, len(record)))
            record = (record + [""] * len(self.header))[: len(self.header)]
        self._pending.append(record)
        if len(self._pending) >= self._BLOCK:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        block = np.empty((len(self._pending), len(self.header)), dtype=object)
        block[:] = self._pending
        self._pending = []
        columns = range(block.shape[1]) if self._repeating is None else self._repeating
        repeating = []
        for j in columns:
            codes, uniques = pd.factorize(block[:, j])
            if len(uniques) <= len(codes) // 2:
                block[:, j] = np.asarray(uniques, dtype=object).take(codes)
                repeating.append(j)
        if self._repeating is None:
            self._repeating = repeating
        self._blocks.append(block)

    def cells(self, width: int) -> np.ndarray:
        self._flush()
        if not self._blocks:
            return np.empty((0, width), dtype=object)
        cells = self._blocks[0] if len(self._blocks) == 1 else np.concatenate(self._blocks)
        self._blocks = []
        return cells


class _Lines:
    """The lines of a text stream, read in blocks: each block is normalised to NFC and searched
    for forbidden characters once; ``dirty`` stays true from the first block that has one."""

    _BLOCK_CHARS = 1 << 22

    def __init__(self, stream: io.TextIOBase):
        self.stream = stream
        self.dirty = False
        self.first_line = ""
        self._block = self._next_block()
        self.first_line = self._block.split("\n", 1)[0]

    def _next_block(self) -> str:
        block = self.stream.read(self._BLOCK_CHARS)
        if block:
            # End the block after a line break (readline keeps a CR LF pair together).
            block += self.stream.readline()
        block = normalize_text(block)
        if not self.dirty and FORBIDDEN_CHARACTERS.search(block):
            self.dirty = True
        return block

    def __iter__(self):
        while self._block:
            block, self._block = self._block, ""
            yield from io.StringIO(block, newline="")
            del block
            self._block = self._next_block()


def _read_csv(path: Path, progress: Callable[[int, int], None] | None = None) -> _Records:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return _parse_csv(path, encoding, progress)
        except UnicodeDecodeError:
            continue  # read the file again in the next encoding
    data = path.read_bytes()
    if path.name.lower().endswith(".gz"):
        data = gzip.decompress(data)
    try:
        data.decode("cp1252")
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
    raise AssertionError("unreachable: the file decodes")  # pragma: no cover


def _parse_csv(path: Path, encoding: str, progress: Callable[[int, int], None] | None) -> _Records:
    """The records of a CSV file read as a stream (the whole file is never held as text)."""
    total = path.stat().st_size
    if progress is not None:
        progress(0, total)
    with path.open("rb") as binary:
        compressed = path.name.lower().endswith(".gz")
        source = gzip.GzipFile(fileobj=binary, mode="rb") if compressed else binary
        stream = io.TextIOWrapper(source, encoding=encoding, newline="")
        try:
            lines = _Lines(stream)
            separator = max(_SEPARATORS, key=lines.first_line.count)
            reader = csv.reader(lines, delimiter=separator)
            records = _Records()
            previous_line = 0
            for record in reader:
                start = previous_line + 1
                previous_line = reader.line_num
                joined = "".join(record)
                if not joined.strip():
                    continue  # a blank line holds no data
                # A field with a line break or tab is checked (no code may hold one), and
                # its line breaks become one kind.
                suspect = previous_line > start or "\t" in joined or len(joined) > MAX_CELL_CHARS
                if previous_line > start:
                    record = [_one_newline(cell) for cell in record]
                if lines.dirty and not suspect:
                    suspect = FORBIDDEN_CHARACTERS.search(joined) is not None
                records.add(record, start, suspect)
                if progress is not None and len(records.rows) % _PROGRESS_EVERY == 0:
                    progress(binary.tell(), total)
        except csv.Error as exc:
            expected = f"giltig CSV ({exc})"
            if "field larger than field limit" in str(exc):
                expected = (
                    f"högst {MAX_CELL_CHARS} tecken i ett fält (gränsen för en cell i Excel), "
                    f"men ett fält har fler än {csv.field_size_limit()} (ett citattecken "
                    "som inte avslutas?)"
                )
            raise DataValidationError(
                [ValidationIssue(path.name, expected, row=previous_line + 1, check="csv")]
            ) from exc
        except (OSError, EOFError, zlib.error) as exc:
            if not compressed:
                raise
            raise DataValidationError(
                [ValidationIssue(path.name, "en gzip-komprimerad CSV-fil", check="gzip")]
            ) from exc
        finally:
            stream.detach()
    if progress is not None:
        progress(total, total)
    return records


def _one_newline(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n") if "\r" in cell else cell


def _read_xlsx(path: Path) -> _Records:
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
        body: list[tuple[list[str], int]] = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if not any(cell.strip() for cell in cells):
                continue
            if not header:
                header = cells
                continue
            body.append((cells, number))
    finally:
        workbook.close()
    # Excel pads rows to the widest used column: cut the empty columns right of the header,
    # unless a record has data there (that record is then reported as having too many fields).
    width = max((i + 1 for i, name in enumerate(header) if name.strip()), default=0)
    records = _Records()
    records.add(header[:width], 1, False)
    for cells, number in body:
        if not any(cells[width:]):
            cells = cells[:width] + [""] * (width - len(cells))
        suspect = any(len(cell) > MAX_CELL_CHARS or _XLSX_SUSPECT.search(cell) for cell in cells)
        records.add(cells, number, suspect)
    return records


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
    return _one_newline(normalize_text(str(value)))
