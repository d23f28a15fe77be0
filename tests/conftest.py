"""Shared fixtures: the shipped data folder and writable copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
PANEL = "foretagspanel.csv.gz"
FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"
XSS = "<script>alert(1)</script>"


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


@pytest.fixture(scope="session")
def published(tmp_path_factory, small_panel):
    """A run of three regions (03 broken) with hostile text in the data, then published with
    the regions' PDF and Word files."""
    from utvardering.batch import RunOptions, run_batch
    from utvardering.publish import publish

    base = tmp_path_factory.mktemp("publish")
    data = base / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("foretagspanel.csv.gz"))
    small_panel.to_csv(data / "foretagspanel.csv", index=False)
    survey = pd.read_csv(data / "enkatsvar.csv", dtype=str, keep_default_na=False)
    survey.loc[survey.index[:50], "kommentar"] = XSS
    survey.to_csv(data / "enkatsvar.csv", index=False)
    lan = pd.read_csv(data / "lan.csv", dtype=str, keep_default_na=False)
    lan.loc[lan["lan_kod"] == "25", "lan_namn"] = f"Norrbottens län {XSS}"
    lan.to_csv(data / "lan.csv", index=False)
    out = base / "ut"
    run_batch(
        RunOptions(
            data_dir=data,
            out_dir=out,
            regions=("01", "03", "07"),
            parameters={"trasig_lan": "03"},
            notebook_dir=FIXTURES,
            workers=2,
        )
    )
    result = publish(
        out,
        base / "site",
        data,
        regions=("07",),
        use_quarto=False,
        notebook_dir=FIXTURES,
        formats=("html", "pdf", "docx"),
    )
    return result


# The regions of the run with the real report notebooks (Gotland is small, and both have a
# learning plan in larandeplaner.csv).
REAL_REGIONS = ("07", "09")


@pytest.fixture(scope="session")
def published_real(tmp_path_factory):
    """The real report notebooks (notebooks/) run for REAL_REGIONS, every region report and
    the summary and learning plan read from them, published with nbconvert, with each
    region's PDF and Word file.

    The firm panel keeps the regions' own firms and every eighth of the others, so that the
    effect report has its comparison group and estimates at a fraction of its cost."""
    from utvardering.batch import RunOptions, run_batch
    from utvardering.batch.discover import discover_reports
    from utvardering.publish import publish

    base = tmp_path_factory.mktemp("publish_real")
    data = base / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns(PANEL))
    panel = pd.read_csv(DATA / PANEL, dtype=str, keep_default_na=False)
    own = set(panel.loc[panel["lan_kod"].isin(REAL_REGIONS), "foretag_id"])
    others = panel.loc[~panel["foretag_id"].isin(own), "foretag_id"].drop_duplicates()
    kept = own | set(others.iloc[::8])
    panel[panel["foretag_id"].isin(kept)].to_csv(data / "foretagspanel.csv", index=False)
    notebooks = ROOT / "notebooks"
    reports = tuple(r.name for r in discover_reports(notebooks).values() if r.level == "region")
    out = base / "ut"
    run = run_batch(
        RunOptions(
            data_dir=data,
            out_dir=out,
            regions=REAL_REGIONS,
            reports=reports,
            notebook_dir=notebooks,
            workers=2,
        )
    )
    site = publish(
        out,
        base / "site",
        data,
        use_quarto=False,
        notebook_dir=notebooks,
        formats=("html", "pdf", "docx"),
    )
    return site, run


def pytest_collection_modifyitems(config, items):
    """A test that starts kernels or a browser (``karna``) is slow (``langsam``) as well, so
    that ``pytest -m "not langsam"`` is the quick suite."""
    for item in items:
        if item.get_closest_marker("karna") is not None:
            item.add_marker(pytest.mark.langsam)
