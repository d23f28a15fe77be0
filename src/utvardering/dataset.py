"""Load the data folder: every table read, typed and validated, with checks across tables.

:func:`load_dataset` is the one entry point that the analyses, the notebooks and the command
line use. It reads only the tables asked for (and those they refer to), collects every issue of
every file, and raises one :class:`~utvardering.errors.DataValidationError` with all of them, or
returns a :class:`Dataset` in which every row of every file is present.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import os
import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from utvardering.defaults import CACHE_ENV, DEFAULT_DATA_DIR
from utvardering.errors import DataValidationError, ValidationIssue
from utvardering.format import listed
from utvardering.models import ChainModel, MaturityModel, read_chain_model, read_maturity_model
from utvardering.readers import (
    TABLE_SUFFIXES,
    RawTable,
    clean_texts,
    find_table_file,
    read_raw,
)
from utvardering.schemas import SCHEMAS, TableSchema
from utvardering.validate import (
    check_columns,
    check_references,
    check_unique,
    coerce_table,
    issues_where,
)
from utvardering.vocabulary import GOAL_LEVELS, LAN_CODES

__all__ = [
    "DEFAULT_DATA_DIR",
    "MODEL_FILES",
    "TABLES",
    "Dataset",
    "Progress",
    "load_dataset",
    "read_table",
]

log = logging.getLogger(__name__)

MODEL_FILES = {
    "mognadsmodell": "mognadsmodell.yaml",
    "effektkedjor": "effektkedjor.yaml",
    "karta": "lan.geojson",
}
# Every part of the data folder; a table's dependencies are loaded with it.
TABLES: tuple[str, ...] = (*SCHEMAS, *MODEL_FILES)
_DEPENDS: dict[str, tuple[str, ...]] = {
    "projekt_lan": ("projekt", "rus_prioriteringar"),
    "projektindikatorer": ("projekt",),
    "foretagspanel": ("projekt",),
    "enkatsvar": ("mognadsmodell",),
    "mognadsmal": ("mognadsmodell",),
    "malkedja": ("indikatorer", "projekt_lan", "projektindikatorer", "effektkedjor"),
}
_SHARE_TOLERANCE = 1e-3
# A progress callback: progress(table, step, done, total), with step "läser" (done and total in
# bytes of the file) or "kontrollerar" (in columns checked, and one step for the value checks).
Progress = Callable[[str, str, int, int], None]


@dataclass(frozen=True)
class Dataset:
    """The validated contents of a data folder; a part not asked for is None."""

    data_dir: Path
    files: dict[str, Path]
    lan: pd.DataFrame | None = None
    kommuner: pd.DataFrame | None = None
    indikatorer: pd.DataFrame | None = None
    projekt: pd.DataFrame | None = None
    projekt_lan: pd.DataFrame | None = None
    rus_prioriteringar: pd.DataFrame | None = None
    projektindikatorer: pd.DataFrame | None = None
    enkatsvar: pd.DataFrame | None = None
    mognadsmal: pd.DataFrame | None = None
    foretagspanel: pd.DataFrame | None = None
    malkedja: pd.DataFrame | None = None
    larandeplaner: pd.DataFrame | None = None
    mognadsmodell: MaturityModel | None = None
    effektkedjor: ChainModel | None = None
    karta: dict | None = None

    def summary(self) -> list[dict[str, object]]:
        """Per loaded table: file, rows, years and regions covered (for ``validera``)."""
        out = []
        for name in TABLES:
            part = getattr(self, name)
            if part is None:
                continue
            row: dict[str, object] = {"tabell": name, "fil": self.files[name].name}
            if isinstance(part, pd.DataFrame):
                row["rader"] = len(part)
                row["ar"] = _year_span(name, part)
                row["lan"] = part["lan_kod"].nunique() if "lan_kod" in part else None
            elif isinstance(part, MaturityModel):
                questions = sum(len(d.questions) for d in part.dimensions)
                row["innehall"] = f"{len(part.dimensions)} dimensioner, {questions} frågor"
            elif isinstance(part, ChainModel):
                row["innehall"] = (
                    f"{len(part.chains)} effektkedjor, {len(part.indicators)} indikatorer"
                )
            else:
                row["innehall"] = f"{len(part['features'])} län"
                row["lan"] = len(part["features"])
            out.append(row)
        return out


def _year_span(name: str, frame: pd.DataFrame) -> str | None:
    if "malar" in frame:
        years = pd.concat([frame["basar"], frame["malar"]]).dropna().astype(int)
        return f"{years.min()}–{years.max()}" if len(years) else None
    for column in ("ar", "omgang"):
        if column in frame and frame[column].notna().any():
            years = frame[column].dropna().astype(int)
            if column == "omgang":
                return ", ".join(str(y) for y in sorted(years.unique()))
            return f"{years.min()}–{years.max()}"
    if "startdatum" in frame:
        return f"{frame['startdatum'].dt.year.min()}–{frame['slutdatum'].dt.year.max()}"
    return None


def read_table(name: str, data_dir: Path | str = DEFAULT_DATA_DIR) -> pd.DataFrame:
    """One table of the data folder, typed and validated (with the tables it refers to)."""
    if name not in SCHEMAS:
        raise KeyError(name)
    return getattr(load_dataset(data_dir, [name]), name)


def load_dataset(
    data_dir: Path | str = DEFAULT_DATA_DIR,
    tables: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Read, type and validate the data folder (or the named parts of it).

    Raises DataValidationError with every issue found in every file; nothing is dropped.
    ``progress``, if given, is called as the tables are read and checked (see
    :data:`Progress`); the package itself never prints.
    """
    data_dir = Path(data_dir)
    wanted = _with_dependencies(TABLES if tables is None else tuple(tables))
    if not data_dir.is_dir():
        raise DataValidationError(
            [ValidationIssue(str(data_dir), "en mapp med indata (se data/README.md)", check="mapp")]
        )
    cached = _read_cache(data_dir, wanted)
    if cached is not None:
        return cached
    issues: list[ValidationIssue] = []
    parts: dict[str, object] = {}
    raws: dict[str, RawTable] = {}
    files: dict[str, Path] = {}
    for name in wanted:
        try:
            if name in MODEL_FILES:
                files[name] = path = data_dir / MODEL_FILES[name]
                if not path.is_file():
                    issues.append(ValidationIssue(path.name, f"filen i {data_dir}", check="fil"))
                    continue
                parts[name] = _read_model(name, path)
                continue
            path = find_table_file(data_dir, name)
            if path is None and SCHEMAS[name].optional:
                parts[name] = None  # absent (allowed), unlike a file with its own issues
                continue
            if path is None:
                issues.append(
                    ValidationIssue(
                        f"{name}.csv",
                        f"filen {name}.csv eller {name}.xlsx i {data_dir}",
                        check="fil",
                    )
                )
                continue
            files[name] = path
            step = functools.partial(progress, name) if progress is not None else None
            raw = read_raw(path, None if step is None else functools.partial(step, "läser"))
            column_issues = check_columns(raw, SCHEMAS[name])
            if column_issues:
                issues += column_issues
                continue
            frame, table_issues = coerce_table(
                raw,
                SCHEMAS[name],
                None if step is None else functools.partial(step, "kontrollerar"),
            )
            issues += table_issues
            issues += check_unique(raw, frame, SCHEMAS[name].unique)
            raws[name] = raw
            parts[name] = frame
        except DataValidationError as exc:
            issues += exc.issues
    for name, check in _CHECKS.items():
        if name in raws:
            issues += check(raws[name], parts[name], parts)
    if issues:
        raise DataValidationError(issues)
    log.info("Läste %s från %s", ", ".join(n for n, p in parts.items() if p is not None), data_dir)
    dataset = Dataset(data_dir=data_dir, files=files, **parts)
    _write_cache(data_dir, wanted, dataset)
    return dataset


# --- an optional cache of validated data, for batch runs -------------------------------------
#
# The cache holds data, never code: each table is an Arrow IPC file, the two models and the map
# are JSON, and every part is named by the SHA-256 of its own bytes, which is checked before the
# part is used. An index file per key (the hash of the inputs and of the code that reads them)
# lists the parts. A missing, damaged, swapped or unknown file is a cache miss: the data folder
# is then read and validated again.

_CACHE_FORMAT = "utvardering-cache/2"
_INDEX_SUFFIX = ".index.json"
_INPUT_MODULES = ("dataset", "readers", "schemas", "validate", "models", "vocabulary", "errors")
_HEX64 = re.compile(r"[0-9a-f]{64}")


class _CacheMiss(Exception):
    """A cached part that cannot be used; the data folder is read again."""


@functools.cache
def _input_code_hash() -> str:
    root = Path(__file__).parent
    digest = hashlib.sha256(_CACHE_FORMAT.encode())
    for name in _INPUT_MODULES:
        digest.update((root / f"{name}.py").read_bytes())
    return digest.hexdigest()


def _cache_key(data_dir: Path, wanted: tuple[str, ...]) -> tuple[Path, str] | None:
    """The cache folder and the key of these parts: only when ``UTVARDERING_CACHE`` names a
    folder. The key covers the files' contents and the code that reads them."""
    folder = os.environ.get(CACHE_ENV)
    if not folder:
        return None
    digest = hashlib.sha256(_input_code_hash().encode())
    digest.update(",".join(wanted).encode())
    for name in wanted:
        if name in MODEL_FILES:
            candidates = [data_dir / MODEL_FILES[name]]
        else:
            candidates = [data_dir / f"{name}{suffix}" for suffix in TABLE_SUFFIXES]
        for path in candidates:
            if path.is_file():
                digest.update(f"{name}:{path.name}:".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update(str(data_dir.resolve()).encode())
    return Path(folder), digest.hexdigest()


def _read_cache(data_dir: Path, wanted: tuple[str, ...]) -> Dataset | None:
    """The cached parts: the entry for exactly these parts, or else the whole folder's entry
    (which a batch run writes when it validates everything up front) cut down to them."""
    entry = _cache_key(data_dir, wanted)
    if entry is None:
        return None
    folder, key = entry
    keys = [key]
    if wanted != TABLES:
        whole = _cache_key(data_dir, TABLES)
        keys.append(whole[1] if whole else key)
    for candidate in dict.fromkeys(keys):
        try:
            return _read_entry(folder, candidate, data_dir, wanted)
        except _CacheMiss as exc:
            log.debug("Cachen %s används inte: %s", candidate[:12], exc)
    return None


def _read_entry(folder: Path, key: str, data_dir: Path, wanted: tuple[str, ...]) -> Dataset:
    index_path = folder / f"{key}{_INDEX_SUFFIX}"
    if not index_path.is_file():
        raise _CacheMiss("ingen post")
    try:
        index = json.loads(index_path.read_bytes())
    except (OSError, ValueError, RecursionError) as exc:
        raise _CacheMiss("oläsligt index") from exc
    if not (
        isinstance(index, dict)
        and index.get("format") == _CACHE_FORMAT
        and index.get("key") == key
        and isinstance(index.get("tables"), list)
        and set(wanted) <= set(index["tables"])
        and isinstance(index.get("parts"), dict)
        and isinstance(index.get("files"), dict)
    ):
        raise _CacheMiss("index av fel slag")
    parts: dict[str, object] = {}
    for name in wanted:
        if name in index["parts"]:
            parts[name] = _read_part(folder, name, index["parts"][name])
        elif name in MODEL_FILES or not SCHEMAS[name].optional:
            raise _CacheMiss(f"{name} saknas i indexet")
    files = {}
    for name in wanted:
        file_name = index["files"].get(name)
        if file_name is not None:
            if not isinstance(file_name, str) or Path(file_name).name != file_name:
                raise _CacheMiss("filnamn av fel slag")
            files[name] = data_dir / file_name
    return Dataset(data_dir=data_dir, files=files, **parts)


def _read_part(folder: Path, name: str, file_name: object) -> object:
    """One part, after checking its bytes against the hash in its name."""
    suffix = ".arrow" if name in SCHEMAS else ".json"
    if not isinstance(file_name, str) or not file_name.endswith(suffix):
        raise _CacheMiss(f"{name}: okänt format")
    digest = file_name[: -len(suffix)]
    if not _HEX64.fullmatch(digest):
        raise _CacheMiss(f"{name}: okänt filnamn")
    try:
        data = (folder / file_name).read_bytes()
    except OSError as exc:
        raise _CacheMiss(f"{name}: saknas") from exc
    if hashlib.sha256(data).hexdigest() != digest:
        raise _CacheMiss(f"{name}: innehållet stämmer inte med namnet")
    try:
        if name in SCHEMAS:
            return _frame_from_arrow(data, SCHEMAS[name])
        value = json.loads(data)
        if name == "karta":
            if not isinstance(value, dict):
                raise _CacheMiss("karta: av fel slag")
            return value
        return _from_json(MaturityModel if name == "mognadsmodell" else ChainModel, value)
    except _CacheMiss:
        raise
    except Exception as exc:  # any damage is a miss, never a result
        raise _CacheMiss(f"{name}: oläslig ({type(exc).__name__})") from exc


def _write_cache(data_dir: Path, wanted: tuple[str, ...], dataset: Dataset) -> None:
    entry = _cache_key(data_dir, wanted)
    if entry is None:
        return
    folder, key = entry
    try:
        folder.mkdir(parents=True, exist_ok=True)
        parts = {}
        for name in wanted:
            part = getattr(dataset, name)
            if part is None:
                continue
            if name in SCHEMAS:
                data, suffix = _frame_to_arrow(part, SCHEMAS[name]), ".arrow"
            else:
                content = part if name == "karta" else _to_json(part)
                data, suffix = json.dumps(content, ensure_ascii=False).encode(), ".json"
            file_name = f"{hashlib.sha256(data).hexdigest()}{suffix}"
            if not (folder / file_name).is_file():
                _write_atomic(folder / file_name, data)
            parts[name] = file_name
        index = {
            "format": _CACHE_FORMAT,
            "key": key,
            "tables": list(wanted),
            "files": {name: path.name for name, path in dataset.files.items()},
            "parts": parts,
        }
        _write_atomic(folder / f"{key}{_INDEX_SUFFIX}", json.dumps(index, indent=1).encode())
    except Exception:  # a cache that cannot be written only costs time
        log.debug("Kunde inte skriva cachen i %s", folder, exc_info=True)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _frame_to_arrow(frame: pd.DataFrame, schema: TableSchema) -> bytes:
    """A validated frame as an Arrow IPC file: text as dictionary-encoded strings."""
    import pyarrow as pa  # only the cache needs pyarrow: the command line starts without it

    arrays = []
    for column in schema.columns:
        values = frame[column.name]
        if column.kind in ("text", "code"):
            array = pa.array(values.to_numpy(dtype=object), type=pa.string(), from_pandas=True)
            arrays.append(array.dictionary_encode())
        elif column.kind == "float":
            arrays.append(pa.array(values.to_numpy(dtype="float64"), type=pa.float64()))
        else:
            kind = pa.int64() if column.kind == "int" else pa.timestamp("ns")
            arrays.append(pa.Array.from_pandas(values, type=kind))
    table = pa.Table.from_arrays(arrays, names=list(schema.column_names))
    sink = pa.BufferOutputStream()
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    with pa.ipc.new_file(sink, table.schema, options=options) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _frame_from_arrow(data: bytes, schema: TableSchema) -> pd.DataFrame:
    """The frame of an Arrow IPC file, with the dtypes validation gives; any other shape is a
    cache miss."""
    import pyarrow as pa  # see _frame_to_arrow

    table = pa.ipc.open_file(pa.BufferReader(data)).read_all()
    table.validate(full=True)
    if table.column_names != list(schema.column_names):
        raise _CacheMiss(f"{schema.name}: andra kolumner")
    columns: dict[str, object] = {}
    for column in schema.columns:
        array = table.column(column.name).combine_chunks()
        kind = column.kind
        if kind in ("text", "code"):
            if not (
                pa.types.is_dictionary(array.type) and pa.types.is_string(array.type.value_type)
            ):
                raise _CacheMiss(f"{schema.name}.{column.name}: fel typ")
            words = np.append(array.dictionary.to_numpy(zero_copy_only=False).astype(object), None)
            positions = array.indices.fill_null(len(words) - 1).to_numpy(zero_copy_only=False)
            columns[column.name] = pd.Series(words.take(positions), dtype=object, copy=False)
        elif kind == "float":
            if array.type != pa.float64():
                raise _CacheMiss(f"{schema.name}.{column.name}: fel typ")
            columns[column.name] = pd.Series(
                array.to_numpy(zero_copy_only=False), dtype="float64", copy=False
            )
        elif kind == "int":
            if array.type != pa.int64():
                raise _CacheMiss(f"{schema.name}.{column.name}: fel typ")
            values = array.fill_null(0).to_numpy(zero_copy_only=False)
            missing = array.is_null().to_numpy(zero_copy_only=False)
            columns[column.name] = pd.Series(pd.arrays.IntegerArray(values, missing), copy=False)
        else:
            if array.type != pa.timestamp("ns"):
                raise _CacheMiss(f"{schema.name}.{column.name}: fel typ")
            values = array.to_numpy(zero_copy_only=False).astype("datetime64[ns]")
            columns[column.name] = pd.Series(values, dtype="datetime64[ns]", copy=False)
    return pd.DataFrame(columns, index=pd.RangeIndex(table.num_rows), copy=False)


def _to_json(value: object) -> object:
    """A model as JSON: dataclasses as objects, tuples as lists, dicts as [key, value] pairs
    (so that integer keys stay integers)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return [[_to_json(k), _to_json(v)] for k, v in value.items()]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(type(value).__name__)


@functools.cache
def _type_hints(kind: type) -> dict[str, object]:
    return typing.get_type_hints(kind)


def _from_json(kind: object, value: object) -> object:
    """The inverse of :func:`_to_json`, led by the type hints; anything else is a miss."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is typing.Any:
        return value
    if dataclasses.is_dataclass(kind):
        hints = _type_hints(kind)
        fields = [f.name for f in dataclasses.fields(kind)]
        if not isinstance(value, dict) or sorted(value) != sorted(fields):
            raise _CacheMiss(f"{kind.__name__}: andra fält")
        return kind(**{name: _from_json(hints[name], value[name]) for name in fields})
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        for option in args:
            if option is type(None):
                continue
            try:
                return _from_json(option, value)
            except _CacheMiss:
                continue
        raise _CacheMiss(f"inget av {kind}")
    if origin is tuple:
        if not isinstance(value, list):
            raise _CacheMiss("en lista väntades")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_json(args[0], v) for v in value)
        if len(args) != len(value):
            raise _CacheMiss("fel längd")
        return tuple(_from_json(a, v) for a, v in zip(args, value, strict=True))
    if origin is list:
        if not isinstance(value, list):
            raise _CacheMiss("en lista väntades")
        return [_from_json(args[0], v) for v in value]
    if origin is dict:
        if not isinstance(value, list) or not all(
            isinstance(p, list) and len(p) == 2 for p in value
        ):
            raise _CacheMiss("par väntades")
        return {_from_json(args[0], k): _from_json(args[1], v) for k, v in value}
    if kind in (str, int, float, bool):
        if type(value) is not kind and not (kind is float and type(value) is int):
            raise _CacheMiss(f"{kind.__name__} väntades")
        return kind(value)
    if kind is type(None) and value is None:
        return None
    raise _CacheMiss(f"okänd typ {kind}")


def _with_dependencies(names: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [n for n in names if n not in TABLES]
    if unknown:
        raise KeyError(", ".join(unknown))
    # The dependencies of dependencies too: a table is only checked with what it refers to.
    wanted: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if name not in wanted:
            wanted.add(name)
            pending += _DEPENDS.get(name, ())
    return tuple(n for n in TABLES if n in wanted)


def _read_model(name: str, path: Path) -> object:
    if name == "mognadsmodell":
        return read_maturity_model(path)
    if name == "effektkedjor":
        return read_chain_model(path)
    return _read_map(path)


def _read_map(path: Path) -> dict:
    """The län map (GeoJSON): every feature has a known lan_kod, and all 21 are there."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataValidationError(
            [ValidationIssue(path.name, f"giltig GeoJSON ({exc})", check="geojson")]
        ) from exc
    data, text_issues = clean_texts(data, path.name)
    if text_issues:
        raise DataValidationError(text_issues)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise DataValidationError(
            [ValidationIssue(path.name, "en FeatureCollection", key="features", check="geojson")]
        )
    issues = []
    codes = []
    for i, feature in enumerate(features):
        code = str((feature.get("properties") or {}).get("lan_kod", ""))
        geometry = feature.get("geometry") or {}
        if code not in LAN_CODES:
            issues.append(
                ValidationIssue(
                    path.name,
                    "en av de 21 länskoderna",
                    key=f"features[{i}].properties.lan_kod",
                    value=code,
                    check="geojson",
                )
            )
        if geometry.get("type") not in ("Polygon", "MultiPolygon"):
            issues.append(
                ValidationIssue(
                    path.name,
                    "en Polygon eller MultiPolygon",
                    key=f"features[{i}].geometry",
                    check="geojson",
                )
            )
        codes.append(code)
    missing = sorted(set(LAN_CODES) - set(codes))
    if missing:
        issues.append(
            ValidationIssue(
                path.name,
                "en yta för vart och ett av de 21 länen",
                key="features",
                value="saknas: " + ", ".join(missing),
                check="geojson",
            )
        )
    if issues:
        raise DataValidationError(issues)
    return data


# --- checks that span rows or tables ---------------------------------------------------------

Check = Callable[[RawTable, pd.DataFrame, dict[str, object]], list[ValidationIssue]]


def _check_regions(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    missing = sorted(set(LAN_CODES) - set(frame["lan_kod"].dropna()))
    if not missing:
        return []
    return [
        ValidationIssue(
            raw.name,
            "en rad för vart och ett av de 21 länen",
            column="lan_kod",
            value="saknas: " + ", ".join(missing),
            check="lan_saknas",
        )
    ]


def _check_municipalities(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    wrong = frame["kommun_kod"].notna() & frame["lan_kod"].notna()
    wrong &= frame["kommun_kod"].str.slice(0, 2) != frame["lan_kod"]
    return issues_where(
        raw,
        wrong,
        "lan_kod",
        "länskoden som kommunkoden börjar med (kommunkodens två första siffror)",
        "kommun_lan",
    )


def _check_projects(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    early = frame["slutdatum"] < frame["startdatum"]
    return issues_where(
        raw, early, "slutdatum", "ett slutdatum som inte är före startdatum", "slut_fore_start"
    )


def _projects_known(name: str) -> Check:
    def check(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
        projects = parts.get("projekt")
        if not isinstance(projects, pd.DataFrame):
            return []  # the projects table has its own issues
        issues = check_references(raw, frame, "arende_id", projects["arende_id"], "projekt")
        if name == "projekt_lan":
            issues += _check_shares(raw, frame, projects)
        return issues

    return check


def _check_project_regions(
    raw: RawTable, frame: pd.DataFrame, parts: dict
) -> list[ValidationIssue]:
    return _projects_known("projekt_lan")(raw, frame, parts) + _check_rus_priorities(
        raw, frame, parts
    )


def _check_rus_priorities(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    """Each project's RUS priority in a län is one of that län's own (rus_prioriteringar)."""
    if "rus_prioriteringar" not in parts:
        return []  # the lists have issues of their own
    lists = parts["rus_prioriteringar"]
    given = frame["rus_prioritering"]
    named = given.notna() & given.astype("string").str.strip().ne("")
    if not named.any():
        return []
    own: dict[str, list[str]] = {}
    if isinstance(lists, pd.DataFrame):
        for code, priority in zip(lists["lan_kod"], lists["prioritering"], strict=True):
            own.setdefault(code, []).append(priority)
    known = pd.Series(
        [p in own.get(c, ()) for c, p in zip(frame["lan_kod"], given, strict=True)],
        index=frame.index,
    )
    issues = []
    for code, rows in (
        frame.index[named & ~known].groupby(frame.loc[named & ~known, "lan_kod"]).items()
    ):
        if lists is None:
            expected = (
                "ett tomt fält: datamappen har ingen rus_prioriteringar.csv med länens egna "
                "RUS-prioriteringar"
            )
        elif code not in own:
            expected = (
                f"ett tomt fält: län {code} har inga RUS-prioriteringar i rus_prioriteringar.csv"
            )
        else:
            allowed = listed([f"'{p}'" for p in own[code]], "eller")
            expected = (
                "ett tomt fält eller en av länets egna RUS-prioriteringar i "
                f"rus_prioriteringar.csv (län {code}): {allowed}"
            )
        issues += issues_where(raw, frame.index.isin(rows), "rus_prioritering", expected, "rus_lan")
    return sorted(issues, key=lambda issue: issue.row or 0)


def _check_shares(
    raw: RawTable, frame: pd.DataFrame, projects: pd.DataFrame
) -> list[ValidationIssue]:
    issues = []
    sums = frame.groupby("arende_id", sort=False)["andel"].sum()
    first = pd.Series(np.arange(len(frame)), index=frame.index).groupby(frame["arende_id"]).first()
    for project_id, total in sums.items():
        if abs(total - 1) > _SHARE_TOLERANCE:
            i = int(first[project_id])
            issues.append(
                ValidationIssue(
                    raw.name,
                    "andelar som summerar till 1 per projekt",
                    row=int(raw.rows[i]),
                    column="andel",
                    value=f"{project_id}: summa {total:.4g}",
                    check="andel_summa",
                )
            )
    without = sorted(set(projects["arende_id"]) - set(frame["arende_id"]))
    for project_id in without:
        issues.append(
            ValidationIssue(
                raw.name,
                "minst en rad (ett län) för varje projekt",
                column="arende_id",
                value=project_id,
                check="projekt_utan_lan",
            )
        )
    return issues


def _check_panel(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    issues = _projects_known("foretagspanel")(raw, frame, parts)
    by_firm = frame.groupby("foretag_id", sort=False)
    for column in ("forsta_stodar", "arende_id", "lan_kod"):
        varies = by_firm[column].transform("nunique") > 1
        # Report only the rows that differ from the firm's first row.
        first = by_firm[column].transform("first")
        differs = varies & (frame[column].astype("object") != first.astype("object"))
        issues += issues_where(
            raw,
            differs.fillna(True),
            column,
            "samma värde på alla rader för ett företag",
            f"foretag_{column}",
        )
    half = frame["forsta_stodar"].isna() != frame["arende_id"].isna()
    issues += issues_where(
        raw,
        half,
        "arende_id",
        "att forsta_stodar och arende_id är antingen båda ifyllda eller båda tomma",
        "stod_halvt",
    )
    return issues


def _check_survey(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    model = parts.get("mognadsmodell")
    if not isinstance(model, MaturityModel):
        return []
    return check_references(raw, frame, "fraga", model.question_dimension, "mognadsmodell.yaml")


def _check_targets(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    model = parts.get("mognadsmodell")
    if not isinstance(model, MaturityModel):
        return []
    dimensions = [d.id for d in model.dimensions]
    return check_references(raw, frame, "dimension", dimensions, "mognadsmodell.yaml")


# --- the goal chain (malkedja) ---------------------------------------------------------------

# The levels a goal of each level may contribute to (its parent's level).
_PARENT_LEVELS: dict[str, tuple[str, ...]] = {
    "understrategi": ("rus", "understrategi"),
    "projekt": ("understrategi", "rus"),
}
_LEVEL_WORDS = {
    "rus": "ett RUS-mål",
    "understrategi": "ett mål i en understrategi",
    "projekt": "ett projektmål",
}


def _check_goals(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    """The goal chain: parents in the same län, no cycles, the levels in order, known
    indicators and projects, and a target year that is not before the base year."""
    issues = _check_goal_parents(raw, frame)
    issues += _check_goal_indicators(raw, frame, parts)
    issues += _check_goal_projects(raw, frame, parts)
    issues += issues_where(
        raw,
        (frame["malar"] < frame["basar"]).fillna(False),
        "malar",
        "ett målår som inte är före basåret (kolumnen basar)",
        "malar_fore_basar",
    )
    issues += issues_where(
        raw,
        frame["basvarde"].notna() & frame["basar"].isna(),
        "basar",
        "ett basår, eftersom basvärdet är ifyllt",
        "basvarde_utan_basar",
    )
    issues += issues_where(
        raw,
        frame["malvarde"].notna() & frame["malar"].isna() & frame["niva"].ne("projekt"),
        "malar",
        "ett målår, eftersom målvärdet är ifyllt (ett projektmål utan målår gäller vid "
        "projektets slut)",
        "malvarde_utan_malar",
    )
    return sorted(issues, key=lambda issue: (issue.row or 0, issue.column or ""))


def _row_issue(raw: RawTable, i: int, column: str, expected: str, check: str, value=None):
    cell = raw.frame[column].iloc[i] if value is None else value
    return ValidationIssue(
        raw.name, expected, row=int(raw.rows[i]), column=column, value=cell, check=check
    )


def _check_goal_parents(raw: RawTable, frame: pd.DataFrame) -> list[ValidationIssue]:
    issues: list[ValidationIssue] = []
    codes = frame["lan_kod"].tolist()
    ids = frame["mal_id"].tolist()
    levels = frame["niva"].tolist()
    parents = [None if pd.isna(p) else p for p in frame["overordnat_mal_id"]]
    where = {(c, g): i for i, (c, g) in enumerate(zip(codes, ids, strict=True))}
    regions_of: dict[str, list[str]] = {}
    for code, goal in zip(codes, ids, strict=True):
        regions_of.setdefault(goal, []).append(code)
    linked: dict[int, int] = {}  # row position -> its parent's row position
    for i, (code, level, parent) in enumerate(zip(codes, levels, parents, strict=True)):
        if level == "rus":
            if parent is not None:
                issues.append(
                    _row_issue(
                        raw,
                        i,
                        "overordnat_mal_id",
                        "ett tomt fält: ett RUS-mål är kedjans översta mål och bidrar inte till "
                        "något annat mål",
                        "rus_med_overordnat",
                    )
                )
            continue
        if level not in _PARENT_LEVELS:
            continue  # an unknown level has its own issue
        if parent is None:
            issues.append(
                _row_issue(
                    raw,
                    i,
                    "overordnat_mal_id",
                    f"id för det mål i län {code} som målet bidrar till (bara ett RUS-mål får "
                    "sakna överordnat mål)",
                    "overordnat_saknas",
                    value="",
                )
            )
            continue
        j = where.get((code, parent))
        if j is None:
            elsewhere = sorted(set(regions_of.get(parent, [])) - {code})
            expected = f"id för ett mål i län {code} i malkedja (kolumnen mal_id)"
            if elsewhere:
                expected += f"; målet finns bara i län {listed(elsewhere, 'och')}"
            issues.append(_row_issue(raw, i, "overordnat_mal_id", expected, "overordnat_okant"))
            continue
        linked[i] = j
        if levels[j] not in _PARENT_LEVELS[level] and j != i:
            allowed = listed([_LEVEL_WORDS[x] for x in _PARENT_LEVELS[level]], "eller")
            issues.append(
                _row_issue(
                    raw,
                    i,
                    "overordnat_mal_id",
                    f"{allowed} i län {code} ({_LEVEL_WORDS[level]} bidrar till ett mål på en "
                    f"högre nivå); '{parent}' är {_LEVEL_WORDS.get(levels[j], levels[j])}",
                    "overordnat_niva",
                )
            )
    issues += _goal_cycles(raw, linked, ids)
    return issues


def _goal_cycles(raw: RawTable, linked: dict[int, int], ids: list[str]) -> list[ValidationIssue]:
    """One issue per cycle in the parent links, on the cycle's first row."""
    issues = []
    done: set[int] = set()
    for start in sorted(linked):
        path: list[int] = []
        seen: dict[int, int] = {}
        i: int | None = start
        while i is not None and i not in done and i not in seen:
            seen[i] = len(path)
            path.append(i)
            i = linked.get(i)
        if i is not None and i in seen:
            cycle = path[seen[i] :]
            first = min(cycle)
            k = cycle.index(first)
            order = cycle[k:] + cycle[:k] + [first]
            shown = " → ".join(ids[j] for j in order)
            issues.append(
                _row_issue(
                    raw,
                    first,
                    "overordnat_mal_id",
                    "överordnade mål som leder upp till ett RUS-mål, utan att gå i cirkel "
                    f"({shown})",
                    "malkedja_cirkel",
                )
            )
        done.update(path)
    return issues


def _check_goal_indicators(
    raw: RawTable, frame: pd.DataFrame, parts: dict
) -> list[ValidationIssue]:
    series = parts.get("indikatorer")
    chains = parts.get("effektkedjor")
    if not isinstance(series, pd.DataFrame) or not isinstance(chains, ChainModel):
        return []  # those files have issues of their own
    held = set(zip(series["lan_kod"], series["indikator"], strict=True))
    regional_ids = sorted(series["indikator"].unique())
    project_ids = chains.indicators
    issues = []
    for i, (code, level, name) in enumerate(
        zip(frame["lan_kod"], frame["niva"], frame["indikator"], strict=True)
    ):
        if pd.isna(name) or level not in GOAL_LEVELS:
            continue
        if level == "projekt":
            if name in project_ids:
                continue
            expected = (
                "en projektindikator i effektkedjor.yaml (t.ex. 'andel_startat_foretag') eller ett "
                "tomt fält"
            )
            if name in regional_ids:
                expected += "; en serie i indikatorer hör till RUS- och understrategimål"
        else:
            if (code, name) in held:
                continue
            if name in regional_ids:
                expected = f"en serie i indikatorer med värden för län {code}, eller ett tomt fält"
            else:
                expected = (
                    "en serie i indikatorer (kolumnen indikator: "
                    + ", ".join(f"'{x}'" for x in regional_ids)
                    + ") eller ett tomt fält"
                )
                if name in project_ids:
                    expected += "; projektindikatorer hör till projektmål"
        issues.append(_row_issue(raw, i, "indikator", expected, "malkedja_indikator"))
    return issues


def _check_goal_projects(raw: RawTable, frame: pd.DataFrame, parts: dict) -> list[ValidationIssue]:
    given = frame["arende_id"].notna()
    issues = issues_where(
        raw,
        given & frame["niva"].ne("projekt"),
        "arende_id",
        "ett tomt fält: bara projektmål har ett ärendenummer",
        "arende_utan_projektmal",
    )
    regions = parts.get("projekt_lan")
    projects = parts.get("projekt")
    if not isinstance(regions, pd.DataFrame) or not isinstance(projects, pd.DataFrame):
        return issues
    known = set(projects["arende_id"])
    placed = set(zip(regions["arende_id"], regions["lan_kod"], strict=True))
    for i, (code, level, case) in enumerate(
        zip(frame["lan_kod"], frame["niva"], frame["arende_id"], strict=True)
    ):
        if pd.isna(case) or level != "projekt" or (case, code) in placed:
            continue
        if case in known:
            expected = f"ett projekt med en rad för län {code} i projekt_lan (eller ett tomt fält)"
        else:
            expected = "ett ärendenummer som finns i projekt (eller ett tomt fält)"
        issues.append(_row_issue(raw, i, "arende_id", expected, "malkedja_projekt"))
    return issues


_CHECKS: dict[str, Check] = {
    "lan": _check_regions,
    "kommuner": _check_municipalities,
    "projekt": _check_projects,
    "projekt_lan": _check_project_regions,
    "projektindikatorer": _projects_known("projektindikatorer"),
    "foretagspanel": _check_panel,
    "enkatsvar": _check_survey,
    "mognadsmal": _check_targets,
    "malkedja": _check_goals,
}
