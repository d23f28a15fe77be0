"""Every bad input gets a Swedish error that names file, row and column, and all are reported."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import edit_csv

from utvardering.dataset import load_dataset
from utvardering.errors import DataValidationError


def _error(data_dir: Path, tables: list[str]) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_dir, tables)
    return info.value


def _assert_names(error: DataValidationError, file: str, row: int | None, column: str | None):
    text = str(error)
    prefix = file + (f", rad {row}" if row is not None else "")
    if column is not None:
        prefix += f", kolumn '{column}'"
    assert prefix in text, text


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "expected"),
    [
        ("projekt", 5, "beviljat_belopp_sek", "tio miljoner", "ett tal"),
        ("projekt", 6, "beviljat_belopp_sek", "-5000", "inte är negativt"),
        ("projekt", 7, "startdatum", "2015/13/01", "ÅÅÅÅ-MM-DD"),
        ("projekt", 8, "effektkedja", "turism", "en av de fyra effektkedjorna"),
        ("projekt", 9, "projektnamn", "", "fältet är tomt"),
        ("projekt", 10, "hallbarhet_syfte", "2,5", "ett heltal"),
        ("projekt", 11, "teman", "Förstudie; Rymdfart", "teman ur listan"),
        ("projekt_lan", 4, "lan_kod", "99", "en av de 21 länskoderna"),
        ("projekt_lan", 5, "lan_kod", "7b", "en kod med 2 siffror"),
        ("indikatorer", 3, "ar", "tjugohundra", "ett heltal"),
        ("enkatsvar", 12, "svar", "7", "ett heltal 1–5"),
        ("enkatsvar", 13, "svar", "0", "ett heltal 1–5"),
        ("projektindikatorer", 6, "steg", "lang_sikt", "ett av stegen"),
        ("projektindikatorer", 7, "rapport", "delrapport", "en av rapporterna"),
        ("kommuner", 3, "lan_kod", "03", "som kommunkoden börjar med"),
        ("foretagspanel", 4, "anstallda", "-1", "inte är negativt"),
        ("foretagspanel", 5, "sni", "Ö", "SNI-avdelning"),
    ],
)
def test_bad_value_names_file_row_column(data_copy, table, row, column, value, expected):
    path = data_copy / f"{table}.csv"
    edit_csv(path, row, column, value)
    error = _error(data_copy, [table])
    _assert_names(error, path.name, row, column)
    assert expected in str(error)
    shown = value if value else "(tomt)"
    assert shown in str(error)


def test_end_date_before_start(data_copy):
    path = data_copy / "projekt.csv"
    edit_csv(path, 20, "startdatum", "2016-05-01")
    edit_csv(path, 20, "slutdatum", "2016-04-30")
    error = _error(data_copy, ["projekt"])
    _assert_names(error, "projekt.csv", 20, "slutdatum")
    assert "inte är före startdatum" in str(error)


def test_duplicate_id_names_both_rows(data_copy):
    path = data_copy / "projekt.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    first_id = frame.loc[0, "arende_id"]
    edit_csv(path, 30, "arende_id", first_id)
    error = _error(data_copy, ["projekt"])
    _assert_names(error, "projekt.csv", 30, "arende_id")
    assert "samma som rad 2" in str(error)


@pytest.mark.parametrize(("table", "row"), [("foretagspanel", 3), ("projektindikatorer", 9)])
def test_project_id_must_exist_in_projects(data_copy, table, row):
    path = data_copy / f"{table}.csv"
    edit_csv(path, row, "arende_id", "99999999")
    if table == "foretagspanel":
        # the firm's other rows keep their id: make the whole firm point to the unknown project
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        firm = frame.loc[row - 2, "foretag_id"]
        frame.loc[frame["foretag_id"] == firm, ["arende_id", "forsta_stodar"]] = [
            "99999999",
            "2016",
        ]
        frame.to_csv(path, index=False)
    error = _error(data_copy, [table])
    _assert_names(error, path.name, row, "arende_id")
    assert "finns i projekt" in str(error)


def test_missing_and_unknown_columns(data_copy):
    path = data_copy / "projekt.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.drop(columns=["startdatum"]).rename(columns={"fond": "fonden"}).to_csv(path, index=False)
    error = _error(data_copy, ["projekt"])
    for column in ("startdatum", "fond", "fonden"):
        _assert_names(error, "projekt.csv", 1, column)
    assert "bara kända kolumner" in str(error)


@pytest.mark.parametrize("content", [b"", b"arende_id,lan_kod,andel\n", b"\n\n"])
def test_empty_file(data_copy, content):
    (data_copy / "projekt_lan.csv").write_bytes(content)
    error = _error(data_copy, ["projekt_lan"])
    assert str(error).count("projekt_lan.csv") >= 1
    assert "datarad" in str(error)


def test_missing_file_and_missing_folder(data_copy, tmp_path):
    (data_copy / "enkatsvar.csv").unlink()
    error = _error(data_copy, ["enkatsvar"])
    assert "enkatsvar.csv" in str(error) and "enkatsvar.xlsx" in str(error)
    error = _error(tmp_path / "finns_inte", ["lan"])
    assert "finns_inte" in str(error)


def test_survey_question_must_be_in_model(data_copy):
    edit_csv(data_copy / "enkatsvar.csv", 2, "fraga", "okand.1")
    error = _error(data_copy, ["enkatsvar"])
    _assert_names(error, "enkatsvar.csv", 2, "fraga")
    assert "mognadsmodell.yaml" in str(error)


def test_shares_must_sum_to_one(data_copy):
    path = data_copy / "projekt_lan.csv"
    edit_csv(path, 2, "andel", "0,5")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    error = _error(data_copy, ["projekt_lan"])
    _assert_names(error, "projekt_lan.csv", 2, "andel")
    assert frame.loc[0, "arende_id"] in str(error)


def test_project_without_region(data_copy):
    path = data_copy / "projekt_lan.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    single = frame.groupby("arende_id").filter(lambda g: len(g) == 1).iloc[0]["arende_id"]
    frame[frame["arende_id"] != single].to_csv(path, index=False)
    error = _error(data_copy, ["projekt_lan"])
    assert single in str(error) and "minst en rad" in str(error)


def test_all_issues_of_all_files_together_and_bounded(data_copy):
    path = data_copy / "projekt.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0:29, "beviljat_belopp_sek"] = "-1"
    frame.to_csv(path, index=False)
    edit_csv(data_copy / "enkatsvar.csv", 3, "svar", "9")
    error = _error(data_copy, ["projekt", "enkatsvar"])
    assert len(error.issues) == 31
    assert set(error.files) == {"projekt.csv", "enkatsvar.csv"}
    text = str(error)
    assert len(re.findall(r"kolumn 'beviljat_belopp_sek'", text)) == 10
    assert "… och 20 fel till" in text
    assert "enkatsvar.csv, rad 3, kolumn 'svar'" in text


def test_ragged_row_is_named(data_copy):
    path = data_copy / "lan.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] += ",extra"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _error(data_copy, ["lan"])
    _assert_names(error, "lan.csv", 5, None)
    assert "fält" in str(error)


def test_missing_region_in_regions_table(data_copy):
    path = data_copy / "lan.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[frame["lan_kod"] != "09"].to_csv(path, index=False)
    error = _error(data_copy, ["lan"])
    assert "saknas: 09" in str(error)


def test_broken_yaml_names_line(data_copy):
    path = data_copy / "mognadsmodell.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[40] = "  - niva: [1"
    path.write_text("\n".join(lines), encoding="utf-8")
    error = _error(data_copy, ["mognadsmodell"])
    assert "mognadsmodell.yaml, rad" in str(error) and "giltig YAML" in str(error)


def test_maturity_model_structure(data_copy):
    import yaml

    path = data_copy / "mognadsmodell.yaml"
    model = yaml.safe_load(path.read_text(encoding="utf-8"))
    del model["dimensioner"][2]["nivaer"][5]
    model["dimensioner"][4]["fragor"] = model["dimensioner"][4]["fragor"][:1]
    path.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    error = _error(data_copy, ["mognadsmodell"])
    assert "nyckel 'dimensioner[2].nivaer'" in str(error)
    assert "nyckel 'dimensioner[4].fragor'" in str(error)


def test_chain_model_needs_the_four_chains(data_copy):
    import yaml

    path = data_copy / "effektkedjor.yaml"
    model = yaml.safe_load(path.read_text(encoding="utf-8"))
    model["kedjor"][1]["id"] = "turism"
    path.write_text(yaml.safe_dump(model, allow_unicode=True), encoding="utf-8")
    error = _error(data_copy, ["effektkedjor"])
    assert "effektkedjor.yaml, nyckel 'kedjor'" in str(error) and "turism" in str(error)


def test_map_needs_all_regions(data_copy):
    import json

    path = data_copy / "lan.geojson"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["features"] = [f for f in data["features"] if f["properties"]["lan_kod"] != "25"]
    path.write_text(json.dumps(data), encoding="utf-8")
    error = _error(data_copy, ["karta"])
    assert "lan.geojson" in str(error) and "saknas: 25" in str(error)


def test_undecodable_bytes(data_copy):
    path = data_copy / "lan.csv"
    path.write_bytes(path.read_bytes().replace(b"Kronobergs", b"Kronob\x81rgs"))
    error = _error(data_copy, ["lan"])
    assert "lan.csv" in str(error) and "teckenkodning" in str(error)


def test_table_given_twice(data_copy):
    frame = pd.read_csv(data_copy / "lan.csv", dtype=str)
    frame.to_excel(data_copy / "lan.xlsx", index=False)
    error = _error(data_copy, ["lan"])
    assert "lan.csv" in str(error) and "lan.xlsx" in str(error)


def test_error_pickles_with_its_issues(data_copy):
    edit_csv(data_copy / "enkatsvar.csv", 12, "svar", "7")
    error = _error(data_copy, ["enkatsvar"])
    copy = pickle.loads(pickle.dumps(error))
    assert copy.issues == error.issues
    assert str(copy) == str(error)


def test_optional_targets_table(data_copy):
    assert load_dataset(data_copy, ["mognadsmal"]).mognadsmal is None
    path = data_copy / "mognadsmal.csv"
    path.write_text(
        "lan_kod;dimension;malniva\n07;effektkedjor;4\n07;rymdfart;3\n12;samverkan;6\n",
        encoding="cp1252",
    )
    error = _error(data_copy, ["mognadsmal"])
    _assert_names(error, "mognadsmal.csv", 3, "dimension")
    _assert_names(error, "mognadsmal.csv", 4, "malniva")
    path.write_text("lan_kod,dimension,malniva\n7,effektkedjor,4\n", encoding="utf-8")
    targets = load_dataset(data_copy, ["mognadsmal"]).mognadsmal
    assert targets.to_dict("records") == [
        {"lan_kod": "07", "dimension": "effektkedjor", "malniva": 4}
    ]
