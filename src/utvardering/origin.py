"""Where the inputs come from: which tables of a data folder are real and which are simulated.

A data folder may hold ``datakallor.yaml`` (*datakällor*), which records for each table its
kind (*art*): ``verklig`` (real), ``harledd`` (derived from real sources, no value changed),
``forfattad`` (authored, such as the maturity model) or ``simulerad`` (simulated); a real table
may name the columns in it that are simulated (the shipped projects are real, their
classification is not). Every report, page and download that rests on a simulated input says
so near the top, naming the input (:func:`notice`); the notice comes from this file, so a
region that runs on its own real data, and says so in the file (or has no such file), gets no
notice. The shipped ``data/datakallor.yaml`` and ``data/README.md`` agree (a test holds them
together).

The file::

    tabeller:
      enkatsvar:
        art: simulerad
        simulerat: svaren på mognadsenkäten
      projekt:
        art: verklig
        simulerade_kolumner: [effektkedja, teman]
        simulerat: projektens klassning (effektkedja och teman)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from utvardering.errors import DataValidationError, ValidationIssue
from utvardering.format import escape_md, listed

__all__ = [
    "KINDS",
    "ORIGIN_FILE",
    "SimulatedInput",
    "TableOrigin",
    "notice",
    "notice_line",
    "read_origin",
    "simulated_inputs",
]

ORIGIN_FILE = "datakallor.yaml"
# The kinds of input, with their Swedish names.  # art
KINDS: dict[str, str] = {
    "verklig": "verklig",
    "harledd": "härledd ur verkliga källor",
    "forfattad": "författad",
    "simulerad": "simulerad",
}


@dataclass(frozen=True)
class TableOrigin:
    """One table's entry: its kind, the simulated columns of a real table, and the Swedish
    phrase that names what is simulated (*simulerat*, e.g. "svaren på mognadsenkäten")."""

    table: str
    kind: str
    simulated_columns: tuple[str, ...] = ()
    simulated: str = ""

    @property
    def is_simulated(self) -> bool:
        return self.kind == "simulerad" or bool(self.simulated_columns)


@dataclass(frozen=True)
class SimulatedInput:
    """A simulated input a report rests on, as the result file records it."""

    tabell: str
    beskrivning: str
    kolumner: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "tabell": self.tabell,
            "beskrivning": self.beskrivning,
            "kolumner": list(self.kolumner),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SimulatedInput:
        return cls(data["tabell"], data["beskrivning"], tuple(data.get("kolumner") or ()))


def read_origin(data_dir: Path | str) -> dict[str, TableOrigin]:
    """The data folder's ``datakallor.yaml`` as table → :class:`TableOrigin`; empty when the
    folder has no such file (then every input counts as real). A malformed file is a
    DataValidationError that names the key and what was expected."""
    # the data layer (pandas) only where the file is read
    from utvardering.dataset import TABLES
    from utvardering.models import read_yaml

    path = Path(data_dir) / ORIGIN_FILE
    if not path.is_file():
        return {}
    data = read_yaml(path)
    issues: list[ValidationIssue] = []

    def issue(key: str, expected: str, value: object = None) -> None:
        issues.append(
            ValidationIssue(ORIGIN_FILE, expected, key=key, value=value, check="datakallor")
        )

    tables = data.get("tabeller") if isinstance(data, dict) else None
    if not isinstance(tables, dict):
        issue("tabeller", "en tabell per nyckel, med art (verklig, harledd, forfattad, simulerad)")
        raise DataValidationError(issues)
    unknown_keys = sorted(set(data) - {"tabeller"})
    for key in unknown_keys:
        issue(key, "bara nyckeln 'tabeller'")
    out: dict[str, TableOrigin] = {}
    for table, entry in tables.items():
        where = f"tabeller.{table}"
        if table not in TABLES:
            issue(where, f"en av tabellerna {listed(list(TABLES), 'eller')}", table)
            continue
        if not isinstance(entry, dict):
            issue(where, "nycklarna art, simulerat och simulerade_kolumner", entry)
            continue
        for key in sorted(set(entry) - {"art", "simulerat", "simulerade_kolumner"}):
            issue(f"{where}.{key}", "bara nycklarna art, simulerat och simulerade_kolumner", key)
        kind = entry.get("art")
        if kind not in KINDS:
            issue(f"{where}.art", f"en av {listed(list(KINDS), 'eller')}", kind)
            continue
        columns = entry.get("simulerade_kolumner") or []
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            issue(f"{where}.simulerade_kolumner", "en lista med kolumnnamn", columns)
            continue
        if columns and kind == "simulerad":
            issue(f"{where}.simulerade_kolumner", "inga kolumner när hela tabellen är simulerad")
        phrase = entry.get("simulerat") or ""
        if (kind == "simulerad" or columns) and not (isinstance(phrase, str) and phrase.strip()):
            issue(
                f"{where}.simulerat",
                'en text som säger vad som är simulerat, t.ex. "svaren på mognadsenkäten"',
                phrase or None,
            )
            continue
        out[table] = TableOrigin(table, kind, tuple(columns), str(phrase).strip())
    if issues:
        raise DataValidationError(issues)
    return out


def simulated_inputs(
    data_dir: Path | str,
    tables: Iterable[str],
    unused: Mapping[str, Iterable[str]] | None = None,
) -> tuple[SimulatedInput, ...]:
    """The simulated inputs among ``tables`` (a report's tables), in the order given.

    ``unused`` names, per table, the columns the report loads but never reads (``"*"``: the
    whole table, loaded only because another table refers to it): a simulated column the
    report does not read is no input of it, and a table whose simulated columns are all unused
    is left out.
    """
    origin = read_origin(data_dir)
    unused = {name: set(columns) for name, columns in (unused or {}).items()}
    out = []
    for name in tables:
        entry = origin.get(name)
        if entry is None or not entry.is_simulated or "*" in unused.get(name, ()):
            continue
        columns = tuple(c for c in entry.simulated_columns if c not in unused.get(name, ()))
        if entry.kind != "simulerad" and not columns:
            continue
        out.append(SimulatedInput(name, entry.simulated, columns))
    return tuple(out)


def merged(*groups: Iterable[SimulatedInput]) -> tuple[SimulatedInput, ...]:
    """The inputs of several groups, each table once (the first description wins), in order.

    A table's simulated columns are the union of the groups'; no columns means the whole table
    is simulated, and a whole table stays whole when another group names only some columns."""
    seen: dict[str, SimulatedInput] = {}
    for group in groups:
        for item in group:
            if item.tabell in seen:
                known = seen[item.tabell]
                whole = not known.kolumner or not item.kolumner
                columns = () if whole else tuple(dict.fromkeys((*known.kolumner, *item.kolumner)))
                seen[item.tabell] = SimulatedInput(known.tabell, known.beskrivning, columns)
            else:
                seen[item.tabell] = item
    return tuple(seen.values())


def notice_line(inputs: Iterable[SimulatedInput]) -> str:
    """One plain Swedish sentence naming the simulated inputs, or "" when there are none:
    "Simulerade indata: svaren på mognadsenkäten (enkatsvar)."; for table captions and
    download sheets."""
    inputs = list(inputs)
    if not inputs:
        return ""
    named = [f"{i.beskrivning} ({i.tabell})" for i in inputs]
    return f"Simulerade indata: {listed(named)}."


def notice(inputs: Iterable[SimulatedInput]) -> str:
    """The Markdown notice near the top of a report that rests on simulated inputs, or ""."""
    inputs = list(inputs)
    if not inputs:
        return ""
    named = listed([f"{escape_md(i.beskrivning)} (`{i.tabell}`)" for i in inputs])
    return (
        f"> **Obs! Simulerade data.** Rapporten bygger delvis på simulerade uppgifter: {named}. "
        "Resultat som bygger på dem visar hur analysen fungerar, inte hur det faktiskt ser ut. "
        f"Vilka indata som är simulerade står i datamappens `{ORIGIN_FILE}`."
    )
