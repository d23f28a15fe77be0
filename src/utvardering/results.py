"""The result contract: each report writes its key results as JSON next to its notebook.

The national synthesis reads these files instead of parsing notebooks or recomputing. Files
are written atomically (a temporary file, then a rename), so a reader never sees half a file.

A report's result file (``<rapport>.json``) carries ``schemaversion`` and is described by a
JSON Schema shipped in the package (``utvardering/result_schemas/<rapport>.schema.json``,
documented in ``docs/resultatfiler.md``). It is checked when written (:func:`check_result`)
and when read (:func:`read_result`): a file from an older or broken run is a
:class:`ResultFileError` that names the file and the field.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from utvardering.errors import ReportError, describe_os_error

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "RESULT_SCHEMA_VERSION",
    "DamagedFileError",
    "ResultFileError",
    "check_result",
    "read_result",
    "read_results",
    "result_schema",
    "to_jsonable",
    "write_results",
]

# The version of the result files' shape; a file with another version is refused.
RESULT_SCHEMA_VERSION = 3


def to_jsonable(value: Any) -> Any:
    """Plain JSON types for numpy, pandas and dataclass values; NaN and NA become None.

    numpy and pandas are looked up, not imported: without them loaded, none of their values
    can exist (and a run with nothing to do does not load them)."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    pd, np = sys.modules.get("pandas"), sys.modules.get("numpy")
    if pd is not None:
        if isinstance(value, pd.DataFrame):
            return [to_jsonable(r) for r in value.to_dict(orient="records")]
        if isinstance(value, pd.Series):
            return {str(k): to_jsonable(v) for k, v in value.items()}
    if np is not None:
        if isinstance(value, np.ndarray):
            return [to_jsonable(v) for v in value.tolist()]
        if isinstance(value, np.bool_):
            return bool(value)
        if isinstance(value, np.integer):
            return int(value)
        if isinstance(value, np.floating):
            return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dt.date | dt.datetime) or (
        pd is not None and isinstance(value, pd.Timestamp)
    ):
        return value.isoformat()
    if value is None or (pd is not None and (value is pd.NA or value is pd.NaT)):
        return None
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_jsonable(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def write_results(path: Path | str, data: dict[str, Any]) -> Path:
    """Write ``data`` as JSON to ``path`` atomically; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = to_jsonable(data)
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())  # whole on disk before the rename makes it the file
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise
    return path


class DamagedFileError(ReportError):
    """A file the program wrote itself is there but cannot be read back as a JSON object
    (cut short by a crash or a full disk, overwritten, not readable)."""

    def __init__(self, path: Path, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"Filen {path} är skadad ({reason}).")


def read_results(path: Path | str) -> dict[str, Any] | None:
    """Read back a JSON file written by :func:`write_results` (a result, a manifest, a cache).

    Returns the JSON object, or None if there is no file at ``path`` (nor a folder for it).
    Raises :class:`DamagedFileError` (a ReportError, so the command line shows its Swedish
    message) if the file is there but is not readable, not UTF-8, not JSON, or not a JSON
    object. Callers decide what damage means: for the batch, "run that job again".
    """
    path = Path(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (FileNotFoundError, NotADirectoryError):  # no file (or no folder) at path
        return None
    except OSError as exc:
        raise DamagedFileError(path, describe_os_error(exc)) from exc
    except UnicodeDecodeError as exc:
        raise DamagedFileError(path, "inte UTF-8-text") from exc
    except (ValueError, RecursionError) as exc:  # RecursionError: nested beyond reason
        raise DamagedFileError(path, f"ogiltig JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise DamagedFileError(path, "inte ett JSON-objekt")
    return data


class ResultFileError(ReportError):
    """A report's result file that does not follow its schema: names the file and the field."""

    def __init__(self, path: Path | str, field: str, reason: str):
        self.path, self.field, self.reason = Path(path), field, reason
        where = f"fältet {field}" if field else "filen som helhet"
        super().__init__(
            f"Resultatfilen {path} stämmer inte med sitt schema: {where}: {reason}. Filen kan "
            "komma från en äldre eller avbruten körning; kör rapporten igen (utvardering kor)."
        )


@cache
def result_schema(report: str) -> dict[str, Any]:
    """The JSON Schema of a report's result file, as shipped in ``utvardering/result_schemas``."""
    name = f"{report}.schema.json"
    try:
        text = resources.files("utvardering").joinpath("result_schemas", name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise ReportError(
            f"Rapporten {report} har inget schema för sin resultatfil ({name})."
        ) from exc
    return json.loads(text)


@cache
def _validator(report: str) -> jsonschema.Draft202012Validator:
    """The checker of a report's result schema, made once per process."""
    import jsonschema  # where a result file is checked: kor with nothing to do checks none

    return jsonschema.Draft202012Validator(result_schema(report))


def _field(error: Any) -> str:
    """The JSON path of a validation error, e.g. ``mognad.nivaer``; a missing property's name
    is appended to the path of the object that lacks it."""
    parts = [str(p) for p in error.absolute_path]
    if error.validator == "required":
        missing = next((n for n in error.validator_value if n not in error.instance), None)
        if missing is not None:
            parts.append(str(missing))
    return ".".join(parts)


def _reason(error: Any) -> str:
    if error.validator == "required":
        return "saknas"
    if error.validator == "type":
        return f"ska vara av typen {error.validator_value}, är {error.instance!r}"[:200]
    if error.validator == "enum":
        return f"ska vara ett av {error.validator_value}, är {error.instance!r}"[:200]
    if error.validator == "const":
        return f"ska vara {error.validator_value!r}, är {error.instance!r}"[:200]
    return str(error.message)[:200]


def check_result(data: dict[str, Any], report: str, path: Path | str) -> None:
    """Raise :class:`ResultFileError` unless ``data`` follows the report's result schema."""
    if data.get("schemaversion") != RESULT_SCHEMA_VERSION:
        raise ResultFileError(
            path,
            "schemaversion",
            f"är {data.get('schemaversion')!r}, den här versionen av utvardering läser "
            f"version {RESULT_SCHEMA_VERSION}",
        )
    errors = sorted(_validator(report).iter_errors(to_jsonable(data)), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        raise ResultFileError(path, _field(first), _reason(first))


def read_result(path: Path | str, report: str) -> dict[str, Any] | None:
    """Read a report's result file and check it against its schema.

    None if there is no file; :class:`DamagedFileError` if it is not JSON;
    :class:`ResultFileError` naming the field if it does not follow the schema.
    """
    data = read_results(path)
    if data is not None:
        check_result(data, report, path)
    return data
