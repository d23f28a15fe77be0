"""Check a job's parameters against its notebook before any kernel starts.

papermill only warns about a parameter the notebook does not have, and a typo then silently
renders the default. Here an unknown name, a wrong type, an unknown region or report, and a
value that would escape its folder are errors that name what is wrong.
"""

from __future__ import annotations

import math
import re
from typing import Any

from utvardering.batch.discover import Report
from utvardering.errors import ParameterError
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "OWNED_PARAMETERS",
    "check_not_owned",
    "check_parameters",
    "check_regions",
    "coerce_value",
    "parse_assignment",
    "safe_component",
]

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
# The parameters the batch sets itself for every job, with the option that chooses each.
OWNED_PARAMETERS: dict[str, str] = {
    "lan_kod": "--lan",
    "data_dir": "--data",
    "utdata_dir": "--utdata",
    "korning_dir": "--utdata",
}
# The longest value accepted from the command line (a list of years or a theme is far shorter).
MAX_VALUE_CHARS = 1000
# Whole numbers beyond this are no sensible parameter (and would not survive JSON or numpy).
_MAX_INT = 2**63 - 1
# Parameters that are years, and the years a report series can be about.
_YEAR_PARAMETERS = {"omgang", "period"}
_YEARS = (1990, 2100)
_TYPE_NAMES_SV = {
    "str": "text",
    "int": "heltal",
    "float": "tal",
    "bool": "sant/falskt",
    "list": "listed",
    "dict": "mappning",
}


def safe_component(value: str, what: str) -> str:
    """``value`` if it is safe as one path component (letters, digits, _ and -); else an error.

    Region codes, report names and other values never become paths unchecked: ``../x`` and
    ``a/b`` are refused.
    """
    if not isinstance(value, str) or not _SAFE.match(value):
        raise ParameterError(
            f"Ogiltigt värde för {what}: {value!r}. Tillåtet är bokstäver, siffror, _ och - "
            "(inga snedstreck eller punkter)."
        )
    return value


def check_regions(codes: list[str]) -> list[str]:
    """The region codes, checked against the 21 län, in official order without repeats."""
    unknown = [c for c in codes if c not in LAN_CODES]
    if unknown:
        for code in unknown:
            safe_component(code, "län")
        raise ParameterError(
            f"Okänd länskod: {', '.join(unknown)}. Giltiga koder: {', '.join(LAN_CODES)}."
        )
    return [c for c in LAN_CODES if c in set(codes)]


def check_not_owned(names) -> None:
    """Raise ParameterError if a parameter the batch sets itself is given by the user: the
    region, the data folder and the output folder are chosen with their own options, so that
    a job's folder, its region and the validated data it reads always agree."""
    owned = [n for n in names if n in OWNED_PARAMETERS]
    if owned:
        hints = "; ".join(f"{n} väljs med {OWNED_PARAMETERS[n]}" for n in owned)
        raise ParameterError(
            f"Parametern {', '.join(owned)} sätts av körningen och kan inte anges med -p "
            f"({hints}). Använd --lan för länen, --utdata för utdatamappen och --data för "
            "datamappen."
        )


def parse_assignment(text: str) -> tuple[str, str]:
    """``namn=värde`` from the command line, the value still as text (typed per notebook by
    :func:`coerce_value`, so that ``lan=07`` stays "07" where the notebook expects text)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ParameterError(f"Parametern '{text[:60]}' ska skrivas namn=värde.")
    name = name.strip()
    if not name.isidentifier():
        raise ParameterError(
            f"Parameternamnet {name[:60]!r} är ogiltigt: ett namn är bokstäver, siffror och _, "
            "t.ex. -p omgang=2025."
        )
    if len(raw) > MAX_VALUE_CHARS:
        raise ParameterError(
            f"Värdet för parametern '{name}' är för långt ({len(raw)} tecken; högst "
            f"{MAX_VALUE_CHARS})."
        )
    return name, raw.strip()


_TRUE = {"true", "ja", "sant", "1"}
_FALSE = {"false", "nej", "falskt", "0"}


def coerce_value(value: Any, type_name: str) -> Any:
    """A command-line text value read as the notebook parameter's type; other values as they
    are. ``"2025"`` becomes 2025 for an int, ``"[2014, 2023]"`` a list, ``"ja"`` True for a bool.
    A text that cannot be read as the type stays text (and the type check then names it)."""
    if not isinstance(value, str) or type_name in ("str", "any"):
        return value
    if type_name == "bool":
        lowered = value.lower()
        return True if lowered in _TRUE else False if lowered in _FALSE else value
    if len(value) > MAX_VALUE_CHARS:
        return value
    import yaml  # only for a value given on the command line

    try:
        parsed = yaml.safe_load(value)
    except (yaml.YAMLError, ValueError, RecursionError):
        # ValueError: an integer beyond Python's digit limit for int()
        return value
    if type_name == "float" and isinstance(parsed, int) and not isinstance(parsed, bool):
        return float(parsed)
    return parsed if _type_ok(parsed, type_name) else value


def _type_ok(value: Any, type_name: str) -> bool:
    if type_name == "any":
        return True
    if type_name == "float":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if type_name == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    return type(value).__name__ == type_name


def check_parameters(report: Report, parameters: dict[str, Any]) -> None:
    """Raise ParameterError naming every unknown parameter and every wrong type."""
    problems = []
    for name, value in parameters.items():
        known = report.parameters.get(name)
        if known is None:
            allowed = ", ".join(sorted(report.parameters)) or "(inga)"
            problems.append(
                f"rapporten '{report.name}' ({report.path.name}) har ingen parameter '{name}'; "
                f"den har: {allowed}"
            )
        elif not _type_ok(value, known.type_name):
            expected = _TYPE_NAMES_SV.get(known.type_name, known.type_name)
            problems.append(
                f"parametern '{name}' i rapporten '{report.name}' ska vara {expected} "
                f"(som standardvärdet {known.default!r}), men fick {_show(value)}"
            )
        else:
            problem = _value_problem(name, value)
            if problem:
                problems.append(f"parametern '{name}' i rapporten '{report.name}' {problem}")
    if problems:
        raise ParameterError("Fel i parametrar:\n  - " + "\n  - ".join(problems))


def _show(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer beyond Python's digit limit for str()
        return "(ett tal med över 4 300 siffror)"
    return text if len(text) <= 80 else text[:79] + "…"


def _numbers(value: Any):
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _numbers(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)


def _value_problem(name: str, value: Any) -> str | None:
    """Why a value of the right type is still no sensible parameter, or None."""
    for number in _numbers(value):
        if isinstance(number, float) and not math.isfinite(number):
            return f"ska vara ett ändligt tal, men fick {_show(value)}"
        if isinstance(number, int) and abs(number) > _MAX_INT:
            return f"har ett för stort tal: {_show(value)}"
    if name in _YEAR_PARAMETERS:
        low, high = _YEARS
        years = value if isinstance(value, list | tuple) else [value]
        if any(
            isinstance(y, bool)
            or not isinstance(y, int | float)
            or y != int(y)
            or not low <= y <= high
            for y in years
        ):
            return f"ska vara årtal mellan {low} och {high}, men fick {_show(value)}"
    return None
