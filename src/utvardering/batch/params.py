"""Check a job's parameters against its notebook before any kernel starts.

papermill only warns about a parameter the notebook does not have, and a typo then silently
renders the default. Here an unknown name, a wrong type, an unknown region or report, and a
value that would escape its folder are errors that name what is wrong.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from utvardering.batch.discover import Report
from utvardering.errors import ParameterError, describe_os_error, printable
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "OWNED_PARAMETERS",
    "check_not_owned",
    "check_parameters",
    "check_regions",
    "coerce_value",
    "parse_assignment",
    "read_parameter_file",
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


def check_not_owned(names: Iterable[str], source: str = "med -p") -> None:
    """Raise ParameterError if a parameter the batch sets itself is given by the user: the
    region, the data folder and the output folder are chosen with their own options, so that
    a job's folder, its region and the validated data it reads always agree. ``source`` says
    where the parameters were given ("med -p", "i parameterfilen p.yaml", "med --matris")."""
    owned = [n for n in names if n in OWNED_PARAMETERS]
    if owned:
        hints = "; ".join(f"{n} väljs med {OWNED_PARAMETERS[n]}" for n in owned)
        raise ParameterError(
            f"Parametern {', '.join(owned)} sätts av körningen och kan inte anges {source} "
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


# What a YAML document that is no mapping holds, for the message.
_KINDS_SV = {
    "list": "en lista",
    "str": "en text",
    "int": "ett heltal",
    "float": "ett tal",
    "bool": "ett sant/falskt-värde",
}
# A parameter file is a few lines; anything far larger is not one.
MAX_PARAMETER_FILE_BYTES = 1_000_000
# Values of a parameter file nested deeper, or with more parts, than any report parameter.
_MAX_DEPTH = 20
_MAX_NODES = 100_000


def read_parameter_file(path: Path) -> dict[str, Any]:
    """The parameters of a YAML file (``-f``/``--parameterfil``, as papermill's ``-f``): a
    mapping of parameter name to value. Values keep their YAML types (a date becomes its ISO
    text, as a notebook's parameter is never a date). Raises ParameterError naming the file
    and the key when the file cannot be read, is not YAML, is not a mapping, repeats a key
    or has a key that is no parameter name; which report has which parameter, and the
    values' types, are checked with the jobs (:func:`check_parameters`)."""
    path = Path(path)
    where = f"Parameterfilen {path}"
    try:
        if path.is_dir():
            raise ParameterError(f"{where} är en mapp; ange en YAML-fil med -f.")
        with path.open("rb") as handle:
            raw = handle.read(MAX_PARAMETER_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ParameterError(f"{where} finns inte.") from None
    except OSError as exc:
        raise ParameterError(f"{where} kan inte läsas: {describe_os_error(exc)}.") from exc
    if len(raw) > MAX_PARAMETER_FILE_BYTES:
        raise ParameterError(
            f"{where} är för stor (över {MAX_PARAMETER_FILE_BYTES // 1_000_000} MB); en "
            "parameterfil har en rad per parameter."
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParameterError(
            f"{where} är inte text i UTF-8 (byte {exc.start + 1}); spara den som UTF-8."
        ) from exc
    import yaml  # only when a parameter file is given

    try:
        data = yaml.load(text, Loader=_loader(yaml))  # a SafeLoader: no Python objects
    except ParameterError as exc:
        raise ParameterError(f"{where}: {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" (rad {mark.line + 1}, kolumn {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ParameterError(f"{where} är inte giltig YAML{line}: {problem}.") from None
    except RecursionError:
        raise ParameterError(f"{where} är nästlad för djupt för att läsas.") from None
    if data is None:
        raise ParameterError(
            f"{where} är tom; skriv en parameter per rad som namn: värde, t.ex. omgang: 2025."
        )
    if not isinstance(data, dict):
        kind = _KINDS_SV.get(type(data).__name__, "ett annat värde")
        raise ParameterError(
            f"{where} ska vara en mappning med en parameter per rad (namn: värde, t.ex. "
            f"omgang: 2025), men innehåller {kind}: {_show(data)}."
        )
    out: dict[str, Any] = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise ParameterError(
                f"{where}: nyckeln {_show(key)} är inget parameternamn; ett namn är text av "
                "bokstäver, siffror och _ (skriv t.ex. omgang: 2025)."
            )
        if not key.isidentifier():
            raise ParameterError(
                f"{where}: parameternamnet {printable(key[:60])!r} är ogiltigt: ett namn är "
                "bokstäver, siffror och _."
            )
        problem = _plain_problem(value, [0])
        if problem:
            raise ParameterError(f"{where}: värdet för parametern '{key}' {problem}.")
        out[key] = _iso_dates(value)
    return out


def _loader(yaml):
    """A SafeLoader that refuses a key given twice (YAML would silently keep the last)."""

    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader, node, deep=False):
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = loader.construct_object(key_node, deep=deep)
            try:
                first = seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:  # an unhashable key: the mapping constructor names it
                continue
            if first != key_node.start_mark.line + 1:
                raise ParameterError(
                    f"nyckeln {_show(key)} finns två gånger (rad {first} och rad "
                    f"{key_node.start_mark.line + 1})."
                )
        return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Loader


def _plain_problem(value: Any, count: list[int], depth: int = 0) -> str | None:
    """Why a value read from YAML is no parameter value (None if it is one): text, numbers,
    truth values, dates, nothing, and lists and mappings of them, of a reasonable size."""
    count[0] += 1
    if depth > _MAX_DEPTH or count[0] > _MAX_NODES:
        return "är nästlat för djupt eller för stort"
    if value is None or isinstance(value, str | int | float | bool | dt.date):
        return None
    if isinstance(value, list):
        for item in value:
            if problem := _plain_problem(item, count, depth + 1):
                return problem
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return f"har nyckeln {_show(key)}, som inte är text"
            if problem := _plain_problem(item, count, depth + 1):
                return problem
        return None
    return f"har en typ som ingen parameter kan ha ({type(value).__name__})"


def _iso_dates(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_iso_dates(v) for v in value]
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    return value


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


def check_parameters(
    report: Report, parameters: dict[str, Any], sources: Mapping[str, str] | None = None
) -> None:
    """Raise ParameterError naming every unknown parameter and every wrong type; ``sources``
    says where a parameter was given (e.g. "parameterfilen p.yaml"), for the message."""
    sources = sources or {}
    problems = []
    for name, value in parameters.items():
        known = report.parameters.get(name)
        source = f" (från {sources[name]})" if name in sources else ""
        if known is None:
            allowed = ", ".join(sorted(report.parameters)) or "(inga)"
            problems.append(
                f"rapporten '{report.name}' ({report.path.name}) har ingen parameter '{name}'"
                f"{source}; den har: {allowed}"
            )
        elif not _type_ok(value, known.type_name):
            expected = _TYPE_NAMES_SV.get(known.type_name, known.type_name)
            problems.append(
                f"parametern '{name}' i rapporten '{report.name}' ska vara {expected} "
                f"(som standardvärdet {known.default!r}), men fick {_show(value)}{source}"
            )
        else:
            problem = _value_problem(name, value)
            if problem:
                problems.append(
                    f"parametern '{name}' i rapporten '{report.name}' {problem}{source}"
                )
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
