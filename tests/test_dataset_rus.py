"""RUS priorities per project and county: projekt_lan.rus_prioritering is checked against the
county's own list in rus_prioriteringar.csv, with a Swedish error that names file, row, column,
value and the county's allowed priorities."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import edit_csv

from utvardering.dataset import load_dataset
from utvardering.errors import DataValidationError
from utvardering.schemas import SCHEMAS


def _error(data_dir: Path, tables: list[str]) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_dir, tables)
    return info.value


def _rows(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / "projekt_lan.csv", dtype=str, keep_default_na=False)


def _own(data_dir: Path, code: str) -> list[str]:
    lists = pd.read_csv(data_dir / "rus_prioriteringar.csv", dtype=str)
    return lists.loc[lists["lan_kod"] == code, "prioritering"].tolist()


def test_contract_the_priority_is_per_project_and_county():
    assert "rus_prioritering" not in SCHEMAS["projekt"].column_names
    assert SCHEMAS["projekt_lan"].column_index["rus_prioritering"].nullable
    lists = SCHEMAS["rus_prioriteringar"]
    assert lists.column_names == ("lan_kod", "prioritering")
    assert lists.unique == ("lan_kod", "prioritering") and lists.optional


def test_projekt_lan_brings_the_lists_along(data_copy):
    ds = load_dataset(data_copy, ["projekt_lan"])
    assert ds.rus_prioriteringar is not None
    lists = ds.rus_prioriteringar
    own = set(zip(lists["lan_kod"], lists["prioritering"], strict=True))
    named = ds.projekt_lan[ds.projekt_lan["rus_prioritering"].notna()]
    assert len(named) > 0
    assert all(
        pair in own for pair in zip(named["lan_kod"], named["rus_prioritering"], strict=True)
    )
    # Three invented priorities per county in the shipped data.
    assert lists.groupby("lan_kod").size().eq(3).all() and lists["lan_kod"].nunique() == 21


def test_another_countys_priority_is_named_with_the_allowed_ones(data_copy):
    rows = _rows(data_copy)
    i = int(rows.index[rows["lan_kod"] == "25"][0])
    other = next(p for p in _own(data_copy, "24") if p not in _own(data_copy, "25"))
    edit_csv(data_copy / "projekt_lan.csv", i + 2, "rus_prioritering", other)
    message = str(_error(data_copy, ["projekt_lan"]))
    assert f"projekt_lan.csv, rad {i + 2}, kolumn 'rus_prioritering'" in message
    assert f"värdet '{other}'" in message
    assert "länets egna RUS-prioriteringar i rus_prioriteringar.csv (län 25)" in message
    allowed = _own(data_copy, "25")
    assert f"'{allowed[0]}', '{allowed[1]}' eller '{allowed[2]}'" in message
    assert "ett tomt fält" in message


def test_an_empty_priority_is_allowed(data_copy):
    path = data_copy / "projekt_lan.csv"
    rows = _rows(data_copy)
    rows["rus_prioritering"] = ""
    rows.to_csv(path, index=False)
    assert load_dataset(data_copy, ["projekt_lan"]).projekt_lan["rus_prioritering"].isna().all()


def test_a_county_without_a_list_takes_no_priority(data_copy):
    lists = pd.read_csv(data_copy / "rus_prioriteringar.csv", dtype=str)
    lists[lists["lan_kod"] != "07"].to_csv(data_copy / "rus_prioriteringar.csv", index=False)
    rows = _rows(data_copy)
    named = rows.index[(rows["lan_kod"] == "07") & (rows["rus_prioritering"] != "")]
    message = str(_error(data_copy, ["projekt_lan"]))
    assert f"rad {int(named[0]) + 2}" in message
    assert "län 07 har inga RUS-prioriteringar i rus_prioriteringar.csv" in message


def test_without_the_lists_file_every_priority_must_be_empty(data_copy):
    (data_copy / "rus_prioriteringar.csv").unlink()
    message = str(_error(data_copy, ["projekt_lan"]))
    assert "datamappen har ingen rus_prioriteringar.csv" in message
    rows = _rows(data_copy)
    rows["rus_prioritering"] = ""
    rows.to_csv(data_copy / "projekt_lan.csv", index=False)
    ds = load_dataset(data_copy, ["projekt_lan"])
    assert ds.rus_prioriteringar is None and len(ds.projekt_lan) == len(rows)


def test_a_list_names_a_priority_once_per_county(data_copy):
    path = data_copy / "rus_prioriteringar.csv"
    lists = pd.read_csv(path, dtype=str)
    pd.concat([lists, lists.iloc[[0]]]).to_csv(path, index=False)
    message = str(_error(data_copy, ["rus_prioriteringar"]))
    assert "rus_prioriteringar.csv" in message and "rad 2" in message


def test_a_list_needs_a_known_county(data_copy):
    edit_csv(data_copy / "rus_prioriteringar.csv", 3, "lan_kod", "99")
    message = str(_error(data_copy, ["rus_prioriteringar"]))
    assert "rus_prioriteringar.csv, rad 3, kolumn 'lan_kod'" in message
