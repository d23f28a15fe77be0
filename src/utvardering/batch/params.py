"""Check a job's parameters against its notebook before any kernel starts.

papermill only warns about a parameter the notebook does not have, and a typo then silently
renders the default. Here an unknown name, a wrong type, an unknown region or report, and a
value that would escape its folder are errors that name what is wrong.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from utvardering.batch.discover import Report
from utvardering.errors import ParameterError
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "check_parameters",
    "check_regions",
    "coerce_value",
    "parse_assignment",
    "safe_component",
]

_SAFE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_TYPE_NAMES_SV = {
    "str": "text",
    "int": "heltal",
    "float": "tal",
    "bool": "sant/falskt",
    "list": "lista",
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


def parse_assignment(text: str) -> tuple[str, str]:
    """``namn=värde`` from the command line, the value still as text (typed per notebook by
    :func:`coerce_value`, so that ``lan=07`` stays "07" where the notebook expects text)."""
    name, sep, raw = text.partition("=")
    if not sep or not name.strip():
        raise ParameterError(f"Parametern '{text}' ska skrivas namn=värde.")
    return name.strip(), raw.strip()


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
    try:
        parsed = yaml.safe_load(value)
    except yaml.YAMLError:
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
                f"(som standardvärdet {known.default!r}), men fick {value!r}"
            )
    if problems:
        raise ParameterError("Fel i parametrar:\n  - " + "\n  - ".join(problems))
