"""The synthesis' material drawn ahead of it: the figures that depend only on the data folder.

The regional development figures (one per key indicator,
:mod:`~utvardering.synthesis.development`) rest on the ``indikatorer`` and ``lan`` tables
alone, not on the run's region results. The batch draws them in a job of their own,
``syntes_underlag`` (``notebooks/underlag/syntes_underlag.ipynb``), that runs alongside the
region reports; the synthesis, which must wait for every region, then shows and saves those
images instead of drawing them again.

The job writes, in the run's national folder (``<korning_dir>/riket``), one PNG per figure
and the index ``syntes_underlag.json``: each figure's file, SHA-256, title and alt text, and
the *key* of what they were drawn from (:func:`development_key`: the series' values, names
and units, the regions' short names and the notice of simulated inputs). The synthesis
computes the same key from its own data and uses the images only when the keys agree; a
missing, damaged or stale index stops it with a message that says how to draw them again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from utvardering.errors import ReportError, describe_os_error
from utvardering.figures.base import DPI, Figur
from utvardering.results import DamagedFileError, read_results, write_results
from utvardering.synthesis.development import Development

__all__ = [
    "FOLDER",
    "INDEX",
    "NAME",
    "TABLES",
    "StoredFigure",
    "development_key",
    "read_figures",
    "write_figures",
]

NAME = "syntes_underlag"  # the job's name: its notebook's report name and its files' prefix
INDEX = f"{NAME}.json"
# The run's national folder, where the job writes (the batch's NATIONAL_FOLDER).
FOLDER = "riket"
# The data folder's tables the job reads (the synthesis reads them too).
TABLES: dict[str, str] = {"indikatorer": "alla", "lan": "alla"}
# The version of the index file's shape and of the key's recipe.
_VERSION = 1


@dataclass(frozen=True)
class StoredFigure(Figur):
    """A figure drawn by the ``syntes_underlag`` job: its saved PNG, shown and saved like any
    figure (the same bytes as drawing it here would give; there is no matplotlib figure)."""

    image: bytes = field(default=b"", repr=False, kw_only=True)

    def png(self, dpi: int = DPI) -> bytes:
        if dpi != DPI:
            raise ReportError(
                f"Figuren {self.titel!r} är ritad i förväg med upplösningen {DPI} dpi och kan "
                f"inte visas med {dpi} dpi."
            )
        return self.image


def development_key(development: Development, short_names: Mapping[str, str], notice: str) -> str:
    """The SHA-256 of everything the development figures are drawn from: each series' values
    (with their years and regions), name, unit and years, the regions' short names and the
    line naming the simulated inputs (empty with real data)."""
    digest = hashlib.sha256()
    head = {
        "version": _VERSION,
        "short_names": dict(sorted(short_names.items())),
        "notice": notice,
        "series": {
            key: {
                "name": s.name,
                "unit": s.unit,
                "latest": s.latest_year,
                "base": s.base_year,
                "index": [str(v) for v in s.values.index],
                "columns": [str(c) for c in s.values.columns],
            }
            for key, s in sorted(development.series.items())
        },
    }
    digest.update(json.dumps(head, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    for _, series in sorted(development.series.items()):
        hashed = pd.util.hash_pandas_object(series.values, index=True)
        digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


def write_figures(figures: Mapping[str, Figur], key: str, folder: Path | str) -> dict[str, str]:
    """Write each figure as ``syntes_underlag_<name>.png`` in ``folder``, then the index
    ``syntes_underlag.json`` (last, so that an index always describes finished images);
    returns name → file name, the index as ``"json"``."""
    folder = Path(folder)
    entries: dict[str, dict[str, str]] = {}
    for name, figure in figures.items():
        path = figure.save(folder / f"{NAME}_{name}.png")
        entries[name] = {
            "fil": path.name,
            "sha256": hashlib.sha256(figure.png()).hexdigest(),
            "titel": figure.titel,
            "alt": figure.alt,
        }
    write_results(folder / INDEX, {"version": _VERSION, "nyckel": key, "figurer": entries})
    return {**{name: e["fil"] for name, e in entries.items()}, "json": INDEX}


_RERUN = (
    "De ritas av jobbet {name} (notebooks/underlag/{name}.ipynb), som `utvardering kor` kör "
    "före syntesen: kör `utvardering kor --rapport syntes` med samma data- och utdatamapp."
)


def read_figures(korning_dir: Path | str, key: str) -> dict[str, StoredFigure]:
    """The figures that the ``syntes_underlag`` job wrote in ``<korning_dir>/riket``, by name.

    Raises ReportError (in Swedish, naming the file and how to draw the figures again) when
    the index is missing or damaged, when it was drawn from other data than ``key`` says, or
    when an image is missing or is not the one the index describes."""
    folder = Path(korning_dir) / FOLDER
    path = folder / INDEX
    rerun = _RERUN.format(name=NAME)
    try:
        index = read_results(path)
    except DamagedFileError as exc:
        raise ReportError(
            f"Syntesens figurer över regional utveckling kan inte läsas: {path} är skadad "
            f"({exc.reason}). {rerun}"
        ) from exc
    if index is None:
        raise ReportError(
            f"Syntesens figurer över regional utveckling saknas: {path} finns inte. {rerun}"
        )
    entries = index.get("figurer")
    if index.get("version") != _VERSION or not isinstance(entries, dict):
        raise ReportError(
            f"Syntesens figurer över regional utveckling kan inte läsas: {path} har inte den "
            f"form den här versionen skriver. {rerun}"
        )
    if index.get("nyckel") != key:
        raise ReportError(
            f"Syntesens figurer över regional utveckling i {folder} är ritade från andra "
            f"indikatordata än syntesen läser (datamappen har ändrats sedan de ritades). {rerun}"
        )
    figures = {}
    for name, entry in entries.items():
        figures[name] = _stored(folder, name, entry, rerun)
    return figures


def _stored(folder: Path, name: str, entry: Any, rerun: str) -> StoredFigure:
    if not isinstance(entry, dict) or not all(
        isinstance(entry.get(k), str) for k in ("fil", "sha256", "titel", "alt")
    ):
        raise ReportError(
            f"Syntesens figur {name} kan inte läsas: {folder / INDEX} beskriver den inte "
            f"fullständigt. {rerun}"
        )
    path = folder / Path(entry["fil"]).name
    try:
        image = path.read_bytes()
    except OSError as exc:
        raise ReportError(
            f"Syntesens figur {name} saknas: {path} ({describe_os_error(exc)}). {rerun}"
        ) from exc
    if hashlib.sha256(image).hexdigest() != entry["sha256"]:
        raise ReportError(
            f"Syntesens figur {name} i {path} stämmer inte med {INDEX} (ändrad eller avbruten "
            f"skrivning). {rerun}"
        )
    return StoredFigure(None, entry["titel"], entry["alt"], image=image)  # type: ignore[arg-type]
