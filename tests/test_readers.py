"""Swedish exports read to the same typed frame: `;`, decimal comma, Windows-1252, BOM, Excel."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from utvardering.dataset import load_dataset, read_table
from utvardering.errors import DataValidationError
from utvardering.validate import parse_numbers

TABLES = ["projekt", "indikatorer", "enkatsvar", "projekt_lan"]
_VARIANT_ROWS = 1500


def _swedish_csv(frame: pd.DataFrame) -> bytes:
    """The table as Excel in Sweden saves it: ';', decimal comma, Windows-1252, CRLF."""
    text = frame.to_csv(index=False, sep=";", lineterminator="\r\n")
    numeric = [c for c in frame.columns if c in ("beviljat_belopp_sek", "varde", "andel")]
    out = pd.read_csv(pd.io.common.StringIO(text), sep=";", dtype=str, keep_default_na=False)
    for column in numeric:
        out[column] = out[column].str.replace(".", ",", regex=False)
    return out.to_csv(index=False, sep=";", lineterminator="\r\n").encode("cp1252")


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.langsam
def test_variants_read_to_identical_frames(data_copy, tmp_path, table):
    # The formats are the point, not the volume: the first rows of the large tables will do.
    text = pd.read_csv(data_copy / f"{table}.csv", dtype=str, keep_default_na=False)
    text = text.iloc[:_VARIANT_ROWS]
    text.to_csv(data_copy / f"{table}.csv", index=False)
    reference = read_table(table, data_copy)
    variants = {
        "semikolon_cp1252": lambda p: p.with_suffix(".csv").write_bytes(_swedish_csv(text)),
        "bom": lambda p: p.with_suffix(".csv").write_bytes(
            b"\xef\xbb\xbf" + text.to_csv(index=False).encode("utf-8")
        ),
        "tab": lambda p: p.with_suffix(".csv").write_text(
            text.to_csv(index=False, sep="\t"), encoding="utf-8"
        ),
        "xlsx": lambda p: text.to_excel(p.with_suffix(".xlsx"), index=False),
    }
    for name, write in variants.items():
        folder = tmp_path / name
        shutil.copytree(data_copy, folder)
        (folder / f"{table}.csv").unlink()
        write(folder / table)
        result = read_table(table, folder)
        pd.testing.assert_frame_equal(result, reference, obj=f"{table} ({name})")


@pytest.mark.langsam
def test_excel_numbers_for_codes_and_dates_and_rows(data_copy):
    """Excel stores '07' as 7 and dates as dates: both read back right; rows are Excel rows."""
    frame = read_table("projekt_lan", data_copy)
    excel = frame.copy()
    excel["lan_kod"] = excel["lan_kod"].astype(int)  # as a number cell
    excel.loc[3, "andel"] = -0.5
    (data_copy / "projekt_lan.csv").unlink()
    with pd.ExcelWriter(data_copy / "projekt_lan.xlsx") as writer:
        excel.to_excel(writer, index=False, startrow=2)  # two blank rows above the header
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_copy, ["projekt_lan"])
    # data row index 3 is Excel row 3 (header) + 1 + 3 = 7
    assert "projekt_lan.xlsx, rad 7, kolumn 'andel'" in str(info.value)
    projects = read_table("projekt", data_copy)
    dated = projects.copy()
    (data_copy / "projekt.csv").unlink()
    dated.to_excel(data_copy / "projekt.xlsx", index=False)
    pd.testing.assert_frame_equal(read_table("projekt", data_copy), projects)


def test_codes_stay_strings(data_copy):
    lan = read_table("lan", data_copy)
    assert lan["lan_kod"].tolist()[:3] == ["01", "03", "04"]
    kommuner = read_table("kommuner", data_copy)
    assert kommuner["kommun_kod"].iloc[0] == "0114"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234,5", 1234.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234\u00a0567", 1234567.0),
        ("1.234,5", 1234.5),
        ("1234.5", 1234.5),
        ("−3,25", -3.25),
        ("-7", -7.0),
        ("", None),
        ("abc", None),
    ],
)
def test_parse_numbers(text, value):
    result = parse_numbers(pd.Series([text])).iloc[0]
    if value is None:
        assert pd.isna(result)
    else:
        assert result == pytest.approx(value)


def test_quoted_newline_keeps_line_numbers(data_copy):
    path = data_copy / "projekt.csv"
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.loc[0, "projektbeskrivning"] = "Rad ett\nrad två\nrad tre"
    frame.loc[4, "beviljat_belopp_sek"] = "mycket"
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_copy, ["projekt"])
    # record 5 (index 4) starts on line 6, plus the two extra lines of record 1
    assert "projekt.csv, rad 8, kolumn 'beviljat_belopp_sek'" in str(info.value)


def test_reader_returns_every_row(data_copy):
    text = pd.read_csv(data_copy / "enkatsvar.csv", dtype=str, keep_default_na=False)
    survey = read_table("enkatsvar", data_copy)
    assert len(survey) == len(text)
    assert survey["svar"].isna().sum() == (text["svar"] == "").sum()
    assert str(survey["svar"].dtype) == "Int64"


def test_cache_serves_only_unchanged_files(data_copy, tmp_path, monkeypatch):
    from conftest import edit_csv

    from utvardering.dataset import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    first = load_dataset(data_copy, ["enkatsvar"])
    assert len(list((tmp_path / "cache").glob("*.index.json"))) == 1
    again = load_dataset(data_copy, ["enkatsvar"])
    pd.testing.assert_frame_equal(again.enkatsvar, first.enkatsvar)
    edit_csv(data_copy / "enkatsvar.csv", 2, "svar", "9")
    with pytest.raises(DataValidationError):
        load_dataset(data_copy, ["enkatsvar"])


def test_parts_come_from_the_whole_folder_cache(data_copy, tmp_path, monkeypatch):
    from utvardering.dataset import CACHE_ENV

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    whole = load_dataset(data_copy)
    part = load_dataset(data_copy, ["enkatsvar"])
    assert part.projekt is None and part.foretagspanel is None
    pd.testing.assert_frame_equal(part.enkatsvar, whole.enkatsvar)
    assert set(part.files) == {"enkatsvar", "mognadsmodell"}
    assert len(list((tmp_path / "cache").glob("*.index.json"))) == 1  # no second entry written
