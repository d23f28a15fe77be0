"""The result contract: each report writes its key results as JSON next to its notebook.

The national synthesis reads these files instead of parsing notebooks or recomputing. Files
are written atomically (a temporary file, then a rename), so a reader never sees half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["RESULT_SCHEMA_VERSION", "read_results", "to_jsonable", "write_results"]

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
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def read_results(path: Path | str) -> dict[str, Any]:
    """Read a result file written by :func:`write_results`."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
