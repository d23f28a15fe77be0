"""Shared fixtures: the shipped data folder and writable copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PANEL = "foretagspanel.csv.gz"


@pytest.fixture(scope="session")
def small_panel() -> pd.DataFrame:
    """The first firms of the shipped panel, as text (for fast copies of the data folder)."""
    panel = pd.read_csv(DATA / PANEL, dtype=str, keep_default_na=False)
    firms = panel["foretag_id"].drop_duplicates().iloc[:40]
    return panel[panel["foretag_id"].isin(firms)].reset_index(drop=True)


@pytest.fixture
def data_copy(tmp_path: Path, small_panel: pd.DataFrame) -> Path:
    """A writable copy of the shipped data folder with a small firm panel."""
    target = tmp_path / "data"
    target.mkdir()
    for path in DATA.iterdir():
        if path.name != PANEL and path.is_file():
            shutil.copyfile(path, target / path.name)
    small_panel.to_csv(target / "foretagspanel.csv", index=False)
    return target


def edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell of a CSV file; ``row`` is the line number a person sees (header = 1)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[row - 2, column] = value
    frame.to_csv(path, index=False)
