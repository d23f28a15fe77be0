"""The annual cycle (*årshjul*) of a learning plan: the year's reporting dates.

The package's ``arshjul.yaml`` holds the default cycle, after Region Gotland's example in the
seed (each date and its source is in the file's comments). A region may have its own in the
data folder, ``<data_dir>/arshjul/<lan_kod>.yaml``, in the same format; it replaces the
default as a whole. :func:`load_arshjul` reads the region's cycle (its file, or the default)
and checks it: every problem is named in Swedish with the file, the entry and the field (a
date that is no date, an unknown key, a missing text). :func:`arshjul_file` is the path of a
region's file, existing or not (the batch fingerprints it).

The format: a mapping with the key ``handelser``, a list of entries, each with

- ``datum``: month and day as the text ``"MM-DD"`` (required);
- ``handelse``: what happens, e.g. "Rapport till tillväxtrådet" (required);
- ``mottagare``: who receives the report; ``innehall``: what is reported or done; ``kalla``:
  where the date comes from (optional texts);
- ``underlag``: the reports it rests on, a list of :data:`REPORT_NAMES` (optional).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from utvardering.errors import DataValidationError, ValidationIssue
from utvardering.format import listed
from utvardering.models import read_yaml
from utvardering.vocabulary import MONTHS

__all__ = [
    "DEFAULT_FILE",
    "FIELDS",
    "MONTHS",
    "REPORT_NAMES",
    "Arshjul",
    "Event",
    "arshjul_file",
    "load_arshjul",
    "read_arshjul",
]

DEFAULT_FILE = Path(__file__).with_name("arshjul.yaml")
FOLDER = "arshjul"  # the data folder's sub-folder of region files

# The reports an event may rest on, with the names the plan shows.
REPORT_NAMES: dict[str, str] = {
    "mognad": "Mognadsbedömning",
    "tema": "Tematisk utvärdering",
    "effekt": "Effektanalys",
    "malkedja": "Målkedja",
    "sammanfattning": "Sammanfattning",
    "larandeplan": "Lärandeplan",
}
FIELDS: tuple[str, ...] = ("datum", "handelse", "mottagare", "innehall", "underlag", "kalla")
_DATE = re.compile(r"^(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class Event:
    """One date of the annual cycle."""

    month: int
    day: int
    handelse: str
    mottagare: str = ""
    innehall: str = ""
    underlag: tuple[str, ...] = ()
    kalla: str = ""

    @property
    def datum(self) -> str:
        """The date as in the file: ``"MM-DD"``."""
        return f"{self.month:02d}-{self.day:02d}"

    @property
    def date_text(self) -> str:
        """The date in Swedish words: ``"1 april"``."""
        return f"{self.day} {MONTHS[self.month - 1]}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "datum": self.datum,
            "handelse": self.handelse,
            "mottagare": self.mottagare,
            "innehall": self.innehall,
            "underlag": list(self.underlag),
            "kalla": self.kalla,
        }


@dataclass(frozen=True)
class Arshjul:
    """A region's annual cycle: its events in date order and where it comes from.

    ``own`` is True when the region has its own file (``file`` then names it as
    ``arshjul/<lan_kod>.yaml``), False for the package's default.
    """

    events: tuple[Event, ...]
    own: bool
    file: str


def arshjul_file(data_dir: Path | str, lan_kod: str) -> Path:
    """The path of the region's own annual cycle, ``<data_dir>/arshjul/<lan_kod>.yaml``,
    whether it exists or not."""
    return Path(data_dir) / FOLDER / f"{lan_kod}.yaml"


def load_arshjul(data_dir: Path | str | None, lan_kod: str) -> Arshjul:
    """The region's annual cycle: its own file if the data folder has one, else the default.

    Raises DataValidationError (Swedish, naming the file, the entry and the field) for a file
    that does not follow the format.
    """
    if data_dir is not None:
        path = arshjul_file(data_dir, lan_kod)
        if path.is_file():
            label = f"{FOLDER}/{path.name}"
            return Arshjul(read_arshjul(path, label), own=True, file=label)
    return Arshjul(read_arshjul(DEFAULT_FILE), own=False, file=DEFAULT_FILE.name)


def read_arshjul(path: Path, label: str | None = None) -> tuple[Event, ...]:
    """The events of an annual-cycle file, in date order, checked (see the module docstring).

    ``label`` is the file's name in messages (default: the file name).
    """
    label = label or path.name
    try:
        data = read_yaml(path)
    except DataValidationError as exc:  # a YAML syntax error: name the file as the reader knows it
        raise DataValidationError(
            [ValidationIssue(label, i.expected, i.row, i.column, i.value, i.check, i.key)
             for i in exc.issues]
        ) from exc  # fmt: skip
    issues: list[ValidationIssue] = []
    if not isinstance(data, dict) or not isinstance(data.get("handelser"), list):
        raise DataValidationError(
            [ValidationIssue(label, "en mappning med nyckeln handelser och en lista med "
                             "händelser", key="handelser", check="arshjul")]
        )  # fmt: skip
    for key in data:
        if key != "handelser":
            issues.append(ValidationIssue(label, "bara nyckeln handelser", key=str(key),
                                          check="arshjul"))  # fmt: skip
    nodes = data["handelser"]
    if not nodes:
        issues.append(ValidationIssue(label, "minst en händelse", key="handelser",
                                      check="arshjul"))  # fmt: skip
    events = []
    for i, node in enumerate(nodes):
        event = _event(node, i, label, issues)
        if event is not None:
            events.append(event)
    if issues:
        raise DataValidationError(issues)
    return tuple(sorted(events, key=lambda e: (e.month, e.day)))


def _event(node: Any, index: int, label: str, issues: list[ValidationIssue]) -> Event | None:
    where = f"händelse {index + 1}"
    if isinstance(node, dict) and isinstance(node.get("handelse"), str) and node["handelse"]:
        where += f" ({node['handelse'].strip()})"
    found: list[ValidationIssue] = []

    def fail(field: str, expected: str, value: object = None) -> None:
        found.append(
            ValidationIssue(label, expected, key=f"{where}, fält {field}", value=value,
                            check="arshjul")
        )  # fmt: skip

    if not isinstance(node, dict):
        fail("(händelsen)", f"en mappning med fälten {listed(list(FIELDS))}", _shown(node))
        issues.extend(found)
        return None
    for key in node:
        if key not in FIELDS:
            fail(str(key), f"ett känt fält ({listed(list(FIELDS), 'eller')})")
    month = day = 0
    raw = node.get("datum")
    match = _DATE.match(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        fail("datum", 'månad och dag som text "MM-DD", t.ex. "04-01"', _shown(raw))
    else:
        month, day = int(match.group(1)), int(match.group(2))
        try:
            dt.date(2000, month, day)  # a leap year: 29 February is a date
        except ValueError:
            fail("datum", "ett datum som finns (månad 01–12 och en dag i månaden)", raw)
    texts = {}
    for key in ("handelse", "mottagare", "innehall", "kalla"):
        value = node.get(key)
        if value is None and key != "handelse":
            texts[key] = ""
        elif (
            not isinstance(value, str | int | float)
            or isinstance(value, bool)
            or not str(value).strip()
        ):
            expected = "en text som inte är tom" if key == "handelse" else "en text"
            fail(key, expected, _shown(value))
        else:
            texts[key] = " ".join(str(value).split())
    underlag = node.get("underlag") or []
    if not isinstance(underlag, list):
        fail("underlag", f"en lista med rapporter ({listed(list(REPORT_NAMES))})",
             _shown(underlag))  # fmt: skip
        underlag = []
    for report in underlag:
        if report not in REPORT_NAMES:
            fail("underlag", f"en av rapporterna {listed(list(REPORT_NAMES), 'eller')}", report)
    if found:
        issues.extend(found)
        return None
    return Event(
        month=month,
        day=day,
        handelse=texts["handelse"],
        mottagare=texts["mottagare"],
        innehall=texts["innehall"],
        underlag=tuple(dict.fromkeys(underlag)),
        kalla=texts["kalla"],
    )


def _shown(value: Any) -> object:
    if value is None:
        return "(saknas)"
    if isinstance(value, dict | list):
        return f"{'en lista' if isinstance(value, list) else 'en mappning'}: {value}"
    return value
