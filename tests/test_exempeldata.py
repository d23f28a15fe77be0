"""The shipped data folder is exactly what the seeded generator writes, and it is valid."""

from __future__ import annotations

import filecmp

import pytest
from conftest import DATA, ROOT

from utvardering import exempeldata
from utvardering.dataset import load_dataset
from utvardering.exempeldata import build
from utvardering.exempeldata.klassificering import (
    RUS_PRIORITY_POOL,
    project_rus_priorities,
    rus_priority_lists,
)
from utvardering.origin import read_origin
from utvardering.schemas import SCHEMAS, split_themes
from utvardering.vocabulary import CHAIN_IDS, LAN_CODES, THEMES

# Builds whole reports or data folders: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("data")
    build(out, ROOT / "kalldata", models_dir=DATA)
    return out


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(DATA)


def test_generator_reproduces_shipped_bytes(rebuilt):
    names = sorted(p.name for p in DATA.iterdir() if p.is_file() and p.name != "README.md")
    assert sorted(p.name for p in rebuilt.iterdir()) == names
    differ = [n for n in names if not filecmp.cmp(DATA / n, rebuilt / n, shallow=False)]
    assert differ == [], f"the shipped files differ from the generator's output: {differ}"


def test_other_seed_gives_other_simulated_tables(tmp_path, monkeypatch, small_panel):
    # The firm panel is the slow part and is not looked at here (its seed is tested in
    # test_exempeldata_foretagspanel.py): a small one stands in for it.
    monkeypatch.setattr(exempeldata, "simulate_firm_panel", lambda *args: small_panel)
    build(tmp_path, ROOT / "kalldata", models_dir=DATA, seed=1)
    assert filecmp.cmp(DATA / "lan.csv", tmp_path / "lan.csv", shallow=False)
    assert filecmp.cmp(DATA / "indikatorer.csv", tmp_path / "indikatorer.csv", shallow=False)
    for name in ("projekt.csv", "enkatsvar.csv", "projektindikatorer.csv"):
        assert not filecmp.cmp(DATA / name, tmp_path / name, shallow=False), name


def test_shipped_data_covers_the_contract(shipped):
    assert sorted(shipped.lan["lan_kod"]) == sorted(LAN_CODES)
    assert len(shipped.kommuner) == 290
    assert len(shipped.projekt) == 374
    assert set(shipped.projekt_lan["lan_kod"]) == set(LAN_CODES)
    assert set(shipped.projekt["effektkedja"]) == set(CHAIN_IDS)
    assert shipped.foretagspanel["foretag_id"].nunique() >= 15_000
    assert set(shipped.foretagspanel["ar"]) == set(range(2010, 2025))
    assert sorted(shipped.enkatsvar["omgang"].unique()) == [2023, 2025]
    indicators = set(shipped.indikatorer["indikator"])
    for name in (
        "befolkning",
        "brp",
        "brp_per_inv",
        "sysselsatta",
        "nystartade_per_1000_inv",
        "foretag_med_anstallda_per_1000_inv",
        "fou_foretag",
        "export_varde",
        "utslapp",
    ):
        assert name in indicators, name


def test_real_project_values_are_unchanged(shipped):
    import pandas as pd

    raw = pd.read_csv(ROOT / "kalldata" / "eruf_2014_2020_projektbanken_2016.csv", dtype=str)
    assert shipped.projekt["arende_id"].tolist() == raw["arende_id"].tolist()
    assert shipped.projekt["projektnamn"].tolist() == raw["projektnamn"].tolist()
    assert (
        shipped.projekt["beviljat_belopp_sek"].sum()
        == raw["beviljat_belopp_sek"].astype(float).sum()
    )


def test_classification_follows_rules(shipped):
    projects = shipped.projekt
    support = projects["tematiskt_mal"] == "Tekniskt stöd"
    assert (projects.loc[support, "effektkedja"] == "kunskap").all()
    assert (projects.loc[support, "nationell_prioritering"] == "Övrigt").all()
    broadband = projects["projektnamn"].str.contains("bredband", case=False)
    assert (projects.loc[broadband, "effektkedja"] == "infrastruktur").mean() > 0.8
    themes = projects["teman"].map(split_themes)
    types = set(THEMES["projekttyp"])
    assert themes.map(lambda t: len(types & set(t)) == 1).all()
    preliminary = projects["projektnamn"].str.contains("förstudie", case=False)
    assert themes[preliminary].map(lambda t: "Förstudie" in t).all()


def test_every_table_has_a_schema_and_docs():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for schema in SCHEMAS.values():
        assert f"`{schema.name}." in readme, schema.name
        for column in schema.columns:
            assert f"`{column.name}`" in readme, f"{schema.name}.{column.name}"


def test_funds_are_financial_instruments(shipped):
    """The regional venture-capital funds and Swedish Venture Initiative, by their names."""
    projects = shipped.projekt
    funds = projects["teman"].map(lambda t: "Finansieringsinstrument" in split_themes(t))
    names = sorted(projects.loc[funds, "projektnamn"])
    assert "Swedish Venture Initiative" in names and "Partnerinvest i Norr Fond II" in names
    assert sum(name.startswith("Almi Invest") for name in names) == 7
    assert len(names) == 9
    # A project that only mentions venture capital in its description is no fund.
    assert not funds[projects["projektnamn"] == "VINK - Västernorrlands inkubator"].any()


def test_rus_priorities_are_each_countys_own_from_a_stream_of_their_own():
    import numpy as np
    import pandas as pd

    lists = rus_priority_lists(np.random.default_rng(1))
    assert lists.groupby("lan_kod").size().to_dict() == dict.fromkeys(LAN_CODES, 3)
    assert set(lists["prioritering"]) <= set(RUS_PRIORITY_POOL)
    regions = pd.DataFrame({"arende_id": ["A", "A", "B"], "lan_kod": ["07", "25", "25"]})
    drawn = project_rus_priorities(regions, lists, np.random.default_rng(2))
    own = lists.groupby("lan_kod")["prioritering"].agg(set)
    for code, value in zip(regions["lan_kod"], drawn, strict=True):
        assert value is None or value in own[code]


def test_origin_file_and_readme_agree_on_the_rus_tables():
    origin = read_origin(DATA)
    assert origin["rus_prioriteringar"].kind == "simulerad"
    assert origin["projekt_lan"].simulated_columns == ("rus_prioritering",)
    assert "rus_prioritering" not in origin["projekt"].simulated_columns
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "| `rus_prioriteringar.csv` |" in readme and "## `rus_prioriteringar.csv`" in readme
    assert "Finansieringsinstrument" in readme
