"""Input checks shared by the estimators, with Swedish messages, and the warning helper."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from utvardering.effects.results import EstimationWarning, WarningCode
from utvardering.errors import EstimationError

__all__ = [
    "FEW_CLUSTERS",
    "FEW_TREATED",
    "as_float",
    "as_names",
    "check_binary",
    "check_columns",
    "check_missing",
    "warn",
]

# Below this many clusters cluster-robust standard errors are unreliable (Cameron & Miller 2015).
FEW_CLUSTERS = 20
# Below this many treated units an effect rests on very few observations.
FEW_TREATED = 20
# At most this many column names are listed in a message.
_MAX_NAMES = 8


def as_names(columns: str | Iterable[str] | None) -> tuple[str, ...]:
    """A column argument as a tuple of names (a single string is one name)."""
    if columns is None:
        return ()
    if isinstance(columns, str):
        return (columns,)
    return tuple(columns)


def _show_names(names: Sequence[str]) -> str:
    shown = ", ".join(f"'{name}'" for name in names[:_MAX_NAMES])
    if len(names) > _MAX_NAMES:
        shown += f" … (och {len(names) - _MAX_NAMES} till)"
    return shown


def check_columns(data: pd.DataFrame, columns: Iterable[str], where: str) -> None:
    """Raise if ``data`` is not a DataFrame, is empty, or lacks any of ``columns``."""
    if not isinstance(data, pd.DataFrame):
        raise EstimationError(
            f"{where}: data måste vara en pandas DataFrame, fick {type(data).__name__}."
        )
    missing = [c for c in dict.fromkeys(columns) if c not in data.columns]
    if missing:
        raise EstimationError(
            f"{where}: kolumnen/kolumnerna {_show_names(missing)} finns inte i data. "
            f"Tillgängliga kolumner: {_show_names([str(c) for c in data.columns])}. "
            "Kontrollera stavningen av kolumnnamnen."
        )
    if len(data) == 0:
        raise EstimationError(f"{where}: data har inga rader. Kontrollera urvalet.")


def check_missing(data: pd.DataFrame, columns: Iterable[str], where: str) -> None:
    """Raise if any of ``columns`` has missing values, saying how many and in which columns."""
    columns = list(dict.fromkeys(columns))
    counts = data[columns].isna().sum()
    counts = counts[counts > 0]
    if len(counts):
        parts = [f"{int(n)} i '{col}'" for col, n in counts.items()]
        rows = int(data[list(counts.index)].isna().any(axis=1).sum())
        raise EstimationError(
            f"{where}: saknade värden i använda kolumner ({', '.join(parts[:_MAX_NAMES])}; "
            f"{rows} rader av {len(data)} berörs). Ta bort eller imputera de raderna innan "
            "skattningen, t.ex. med data.dropna(subset=[...])."
        )


def as_float(data: pd.DataFrame, column: str, where: str) -> np.ndarray:
    """The column as a float array; raise with the column name if it is not numeric."""
    series = data[column]
    if pd.api.types.is_bool_dtype(series):
        return series.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(series):
        raise EstimationError(
            f"{where}: kolumnen '{column}' måste vara numerisk men har typen {series.dtype}. "
            "Omvandla den, t.ex. med pd.to_numeric."
        )
    values = series.to_numpy(dtype=float, na_value=np.nan)
    if not np.isfinite(values).all():
        raise EstimationError(
            f"{where}: kolumnen '{column}' innehåller oändliga värden. Ta bort de raderna."
        )
    return values


def check_binary(values: np.ndarray, column: str, where: str) -> None:
    """Raise unless ``values`` are 0/1 and take both values."""
    unique = np.unique(values)
    if not np.isin(unique, (0.0, 1.0)).all():
        raise EstimationError(
            f"{where}: kolumnen '{column}' måste vara 0/1 (eller sant/falskt), fick värdena "
            f"{', '.join(str(v) for v in unique[:5])}."
        )
    if len(unique) < 2:
        raise EstimationError(
            f"{where}: kolumnen '{column}' varierar inte (alla värden är {unique[0]:g}). "
            "En effekt kan bara skattas om det finns både behandlade och obehandlade "
            "observationer."
        )


def warn(message: str, collected: list[str], code: WarningCode, **values: object) -> None:
    """Issue an :class:`EstimationWarning` with its code and numbers; keep its text for the
    result object."""
    collected.append(message)
    warnings.warn(EstimationWarning(message, code, **values), stacklevel=3)
