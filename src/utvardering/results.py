"""The result contract: each report writes its key results as JSON next to its notebook.

The national synthesis reads these files instead of parsing notebooks or recomputing. Files
are written atomically (a temporary file, then a rename), so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from utvardering.errors import ReportError, describe_os_error

__all__ = [
    "RESULT_SCHEMA_VERSION",
    "DamagedFileError",
    "read_results",
    "to_jsonable",
    "write_results",
]

RESULT_SCHEMA_VERSION = 1


def to_jsonable(value: Any) -> Any:
    """Plain JSON types for numpy, pandas and dataclass values; NaN and NA become None."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [to_jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [to_jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if math.isnan(value) or math.isinf(value) else float(value)
    if isinstance(value, pd.Timestamp | dt.date | dt.datetime):
        return value.isoformat()
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "__dataclass_fields__"):
        return {k: to_jsonable(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def write_results(path: Path | str, data: dict[str, Any]) -> Path:
    """Write ``data`` as JSON to ``path`` atomically; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"schema_version": RESULT_SCHEMA_VERSION, **to_jsonable(data)}
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
