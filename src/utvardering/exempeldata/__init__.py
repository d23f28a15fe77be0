"""Build the shipped data folder: real public data as copied, plus seeded simulated tables.

``python -m utvardering.exempeldata`` (or :func:`build`) rewrites ``data/`` from the real source
files in ``kalldata/`` and the authored models (``mognadsmodell.yaml``, ``effektkedjor.yaml``),
with a fixed seed, to the same bytes every time. Each simulated table draws from its own random
stream, so that changing one generator leaves the others' output unchanged.
"""

from __future__ import annotations

import gzip
import io
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from utvardering.exempeldata.enkat import simulate_survey
from utvardering.exempeldata.foretagspanel import simulate_firm_panel
from utvardering.exempeldata.indikatorer import build_indicators
from utvardering.exempeldata.klassificering import (
    classify_projects,
    project_rus_priorities,
    rus_priority_lists,
)
from utvardering.exempeldata.malkedja import simulate_goal_chains
from utvardering.exempeldata.projektindikatorer import simulate_project_indicators

__all__ = ["AUTHORED_FILES", "SEED", "build"]

# The date of the Reglab workshop the domain comes from.
SEED = 20171214
# Written by hand (models, the origin file, and the learning plans' rows from the seed).
AUTHORED_FILES = (
    "mognadsmodell.yaml",
    "effektkedjor.yaml",
    "datakallor.yaml",
    "larandeplaner.csv",
)
_COPIED = {
    "se_lan.csv": "lan.csv",
    "se_kommuner.csv": "kommuner.csv",
    "se_lan.geojson": "lan.geojson",
}
_STREAMS = {
    "klassificering": 1,
    "projektindikatorer": 2,
    "enkat": 3,
    "foretagspanel": 4,
    "rus": 5,
    "malkedja": 6,
}
# Real project columns kept as they are (lan and kommuner are replaced by projekt_lan).
_REAL_PROJECT_COLUMNS = (
    "arende_id",
    "projektnamn",
    "stodmottagare",
    "beviljat_belopp_sek",
    "startdatum",
    "slutdatum",
    "program_omrade",
    "insatsomrade",
    "tematiskt_mal",
    "projektbeskrivning",
    "fond",
)


def _rng(name: str, seed: int) -> np.random.Generator:
    return np.random.default_rng([seed, _STREAMS[name]])


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    text = frame.to_csv(index=False, lineterminator="\n", date_format="%Y-%m-%d")
    if path.name.endswith(".gz"):
        buffer = io.BytesIO()
        # mtime=0 and no file name in the header: the same table gives the same bytes.
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0) as handle:
            handle.write(text.encode("utf-8"))
        path.write_bytes(buffer.getvalue())
    else:
        path.write_text(text, encoding="utf-8", newline="\n")


def build(
    out_dir: Path | str = "data",
    source_dir: Path | str = "kalldata",
    models_dir: Path | str | None = None,
    seed: int = SEED,
) -> list[Path]:
    """Write every table of the data contract to ``out_dir``; returns the files written.

    ``models_dir`` holds the authored YAML models (default: ``out_dir`` itself).
    """
    out_dir, source_dir = Path(out_dir), Path(source_dir)
    models_dir = Path(models_dir) if models_dir is not None else out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for source, target in _COPIED.items():
        shutil.copyfile(source_dir / source, out_dir / target)
        written.append(out_dir / target)
    for name in AUTHORED_FILES:
        if models_dir.resolve() != out_dir.resolve():
            shutil.copyfile(models_dir / name, out_dir / name)
    chains = yaml.safe_load((models_dir / "effektkedjor.yaml").read_text(encoding="utf-8"))
    maturity = yaml.safe_load((models_dir / "mognadsmodell.yaml").read_text(encoding="utf-8"))

    indicators = build_indicators(source_dir)
    population = (
        indicators[(indicators["indikator"] == "befolkning") & (indicators["ar"] == 2021)]
        .set_index("lan_kod")["varde"]
        .sort_index()
    )

    raw = pd.read_csv(
        source_dir / "eruf_2014_2020_projektbanken_2016.csv", dtype=str, keep_default_na=False
    )
    raw_regions = pd.read_csv(source_dir / "eruf_2014_2020_projekt_lan.csv", dtype=str)
    project_regions = pd.DataFrame(
        {
            "arende_id": raw_regions["arende_id"],
            "lan_kod": raw_regions["lan_kod"],
            # Projektbanken gives no split between län: an equal share per län.
            "andel": 1.0 / raw_regions["antal_lan"].astype(int),
        }
    )
    projects = raw[list(_REAL_PROJECT_COLUMNS)].copy()
    projects["beviljat_belopp_sek"] = projects["beviljat_belopp_sek"].astype(float)
    for column in ("startdatum", "slutdatum"):
        projects[column] = pd.to_datetime(projects[column], format="%Y-%m-%d")
    classes = classify_projects(projects, project_regions, _rng("klassificering", seed))
    projects = projects.merge(classes, on="arende_id", how="left", validate="one_to_one")
    rus_rng = _rng("rus", seed)
    rus_lists = rus_priority_lists(rus_rng)
    regions_with_rus = project_regions.assign(
        rus_prioritering=project_rus_priorities(project_regions, rus_lists, rus_rng)
    )

    project_indicators = simulate_project_indicators(
        projects, chains, _rng("projektindikatorer", seed)
    )
    tables = {
        "indikatorer.csv": indicators,
        "projekt.csv": projects,
        "projekt_lan.csv": regions_with_rus,
        "rus_prioriteringar.csv": rus_lists,
        "projektindikatorer.csv": project_indicators,
        "malkedja.csv": simulate_goal_chains(
            indicators,
            projects,
            regions_with_rus,
            project_indicators,
            rus_lists,
            chains,
            _rng("malkedja", seed),
        ),
        "enkatsvar.csv": simulate_survey(maturity, population, _rng("enkat", seed)),
        "foretagspanel.csv.gz": simulate_firm_panel(
            projects, project_regions, population, _rng("foretagspanel", seed)
        ),
    }
    for name, frame in tables.items():
        _write_csv(frame, out_dir / name)
        written.append(out_dir / name)
    return written
