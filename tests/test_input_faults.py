"""Faults at the input boundary: the validated-data cache, characters that must not pass
validation, Unicode normalisation, and large tables."""

from __future__ import annotations

import os
import pickle
import shutil
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA

from utvardering.dataset import CACHE_ENV, TABLES, load_dataset
from utvardering.errors import DataValidationError


def _assert_same(got, expected) -> None:
    for name in TABLES:
        a, b = getattr(got, name), getattr(expected, name)
        if isinstance(b, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, check_exact=True)
        else:
            assert a == b, name


# --- the cache holds data, never code, and is checked before use ----------------------------


class _Planted:
    """Unpickling this makes a directory: the mark that a cache file ran as code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.mkdir, (str(self.marker),))


def test_planted_pickle_in_the_cache_never_runs(data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    parts = ["lan", "enkatsvar"]
    fresh = load_dataset(data_copy, parts)
    marker = tmp_path / "planted-pickle-ran"
    payload = pickle.dumps(_Planted(marker))
    written = list(cache.iterdir())
    assert written
    # Every file the cache wrote, and a pickle beside each, now holds the payload.
    for path in written:
        path.write_bytes(payload)
        path.with_suffix(".pickle").write_bytes(payload)
    again = load_dataset(data_copy, parts)
    assert not marker.exists()
    pd.testing.assert_frame_equal(again.enkatsvar, fresh.enkatsvar)
    pd.testing.assert_frame_equal(again.lan, fresh.lan)


def _other_folder(data_copy: Path, tmp_path: Path) -> Path:
    other = tmp_path / "annan"
    shutil.copytree(data_copy, other)
    frame = pd.read_csv(other / "lan.csv", dtype=str, keep_default_na=False)
    frame["lan_namn"] = frame["lan_namn"] + " (fel data)"
    frame.to_csv(other / "lan.csv", index=False)
    return other


def test_swapped_cache_files_give_the_true_data(data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    fresh = load_dataset(data_copy, ["lan"])
    ours = set(cache.iterdir())
    other = load_dataset(_other_folder(data_copy, tmp_path), ["lan"])
    theirs = sorted(set(cache.iterdir()) - ours)
    assert theirs
    assert not other.lan.equals(fresh.lan)
    # Each of our files is replaced by a valid file of the other folder's entry.
    for path in ours:
        same_kind = [p for p in theirs if p.name.split(".", 1)[-1] == path.name.split(".", 1)[-1]]
        shutil.copyfile((same_kind or theirs)[0], path)
    again = load_dataset(data_copy, ["lan"])
    pd.testing.assert_frame_equal(again.lan, fresh.lan)


def test_edited_cache_bytes_give_the_true_data(data_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    fresh = load_dataset(data_copy, ["lan"])
    edited = 0
    for path in cache.iterdir():
        data = path.read_bytes()
        if b"Stockholm" in data:
            path.write_bytes(data.replace(b"Stockholm", b"Stockhxlm"))
            edited += 1
    assert edited
    again = load_dataset(data_copy, ["lan"])
    pd.testing.assert_frame_equal(again.lan, fresh.lan)
    assert "Stockhxlms län" not in set(again.lan["lan_namn"])


def test_cache_index_that_leaves_out_a_table_is_a_miss(data_copy, tmp_path, monkeypatch):
    import json

    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    fresh = load_dataset(data_copy, ["projekt_lan"])
    (index,) = cache.glob("*.index.json")
    content = json.loads(index.read_text(encoding="utf-8"))
    del content["parts"]["projekt"]
    index.write_text(json.dumps(content), encoding="utf-8")
    again = load_dataset(data_copy, ["projekt_lan"])
    pd.testing.assert_frame_equal(again.projekt, fresh.projekt)


@pytest.mark.parametrize("garbage", [b"[" * 100_000, b"\xff\xfe", b"{}", b"null"])
def test_damaged_cache_index_is_a_miss(data_copy, tmp_path, monkeypatch, garbage):
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(cache))
    fresh = load_dataset(data_copy, ["lan"])
    for index in cache.glob("*.index.json"):
        index.write_bytes(garbage)
    pd.testing.assert_frame_equal(load_dataset(data_copy, ["lan"]).lan, fresh.lan)


@pytest.mark.langsam
def test_cache_round_trips_every_part_exactly(data_copy, tmp_path, monkeypatch):
    fresh = load_dataset(data_copy)
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    load_dataset(data_copy)
    hit = load_dataset(data_copy)
    _assert_same(hit, fresh)
    assert hit.files == fresh.files
    for name in ("projekt", "enkatsvar", "foretagspanel"):
        for column in getattr(fresh, name):
            kinds = getattr(fresh, name)[column].map(type)
            assert getattr(hit, name)[column].map(type).equals(kinds), (name, column)
    assert not list((tmp_path / "cache").glob("*.pickle"))


# --- characters that must not pass validation ------------------------------------------------


def _error(data_dir: Path, tables: list[str]) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_dir, tables)
    return info.value


def _set_cells(path: Path, cells: dict[tuple[int, str], str]) -> None:
    """Set cells of a CSV file by (line as a person sees it, column), writing exact bytes."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for (row, column), value in cells.items():
        frame.loc[row - 2, column] = value
    path.write_bytes(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))


@pytest.mark.parametrize(
    ("character", "shown"),
    [
        ("\x00", "\\x00"),
        ("\x1b", "\\x1b"),
        ("\x7f", "\\x7f"),
        ("\x85", "\\x85"),
        ("\u2028", "\\u2028"),
        ("\ufeff", "\\ufeff"),
    ],
)
def test_control_character_is_refused_naming_file_row_column(data_copy, character, shown):
    _set_cells(data_copy / "projekt.csv", {(5, "projektnamn"): f"Ett{character}projekt"})
    error = _error(data_copy, ["projekt"])
    text = str(error)
    assert "projekt.csv, rad 5, kolumn 'projektnamn'" in text
    assert f"'Ett{shown}projekt'" in text
    assert "styrtecken" in text and f"U+{ord(character):04X}" in text
    assert character not in text
    issue = next(i for i in error.issues if i.check == "tecken")
    assert character not in str(issue.value)
    assert len(error.issues) == 1  # the cell's other checks do not repeat it


def test_control_character_in_allowed_value_column_is_reported_once(data_copy):
    _set_cells(data_copy / "projekt.csv", {(6, "effektkedja"): "kunskap\x1b[31m"})
    error = _error(data_copy, ["projekt"])
    assert [i.check for i in error.issues] == ["tecken"]
    assert "\x1b" not in str(error) and "kunskap\\x1b[31m" in str(error)


def test_line_break_in_a_code_is_refused_and_free_text_keeps_it(data_copy):
    _set_cells(
        data_copy / "projekt.csv",
        {
            (4, "projektbeskrivning"): "rad ett\r\nrad två\ttabb",
            (7, "arende_id"): "2020\n0061",
        },
    )
    error = _error(data_copy, ["projekt"])
    assert "projekt.csv, rad 8, kolumn 'arende_id'" in str(error)  # line 4's text has two lines
    assert "en kod utan tabb eller radbrytning" in str(error)
    assert [i.column for i in error.issues] == ["arende_id"]
    _set_cells(data_copy / "projekt.csv", {(7, "arende_id"): "20200061x"})  # record 7
    projects = load_dataset(data_copy, ["projekt"]).projekt
    assert projects.loc[2, "projektbeskrivning"] == "rad ett\nrad två\ttabb"


def test_cell_longer_than_excel_allows_is_refused(data_copy):
    _set_cells(data_copy / "projekt.csv", {(3, "projektbeskrivning"): "x" * 40_000})
    error = _error(data_copy, ["projekt"])
    assert "projekt.csv, rad 3, kolumn 'projektbeskrivning'" in str(error)
    assert "högst 32767 tecken" in str(error)


def test_control_character_in_yaml_text_is_refused_naming_key(data_copy):
    path = data_copy / "mognadsmodell.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("namn:", 'namn: "Nivå\\0 ett"\n_x:', 1), encoding="utf-8")
    error = _error(data_copy, ["mognadsmodell"])
    assert "mognadsmodell.yaml" in str(error) and "U+0000" in str(error)
    assert "\x00" not in str(error) and "Nivå\\x00 ett" in str(error)
    raw = data_copy / "effektkedjor.yaml"
    raw.write_bytes(raw.read_bytes().replace(b"\n", b"\n\x00", 1))
    error = _error(data_copy, ["effektkedjor"])
    assert "effektkedjor.yaml, rad 2" in str(error) and "U+0000" in str(error)
    assert "\x00" not in str(error)


def test_validera_never_prints_a_raw_control_character(data_copy, capsys):
    from utvardering.cli import main

    _set_cells(data_copy / "projekt.csv", {(5, "projektnamn"): "A\x00B\x1b[2JC"})
    assert main(["validera", "--data", str(data_copy)]) == 1
    out = capsys.readouterr()
    assert "\x00" not in out.err + out.out and "\x1b" not in out.err + out.out
    assert "A\\x00B\\x1b[2JC" in out.err


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("beviljat_belopp_sek", "inf", "ett tal"),
        ("beviljat_belopp_sek", "1e999", "ett tal"),
        ("hallbarhet_syfte", "99999999999999999999", "ett heltal"),
    ],
)
def test_numbers_that_are_not_finite_or_too_large_are_refused(data_copy, column, value, expected):
    _set_cells(data_copy / "projekt.csv", {(4, column): value})
    error = _error(data_copy, ["projekt"])
    assert f"projekt.csv, rad 4, kolumn '{column}': värdet '{value}'" in str(error)
    assert expected in str(error)


def test_unterminated_quote_is_named_in_swedish(data_copy):
    path = data_copy / "lan.csv"
    path.write_text(path.read_text(encoding="utf-8") + '01,"' + "x" * 140_000 + "\n", "utf-8")
    error = _error(data_copy, ["lan"])
    assert "ett citattecken som inte avslutas" in str(error)


# --- Unicode normalisation ------------------------------------------------------------------


def test_decomposed_text_equals_composed(data_copy):
    composed = "Företagande och entreprenörskap"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    _set_cells(
        data_copy / "projekt.csv",
        {(2, "fokusomrade"): decomposed, (3, "projektnamn"): unicodedata.normalize("NFD", "Skåne")},
    )
    projects = load_dataset(data_copy, ["projekt"]).projekt
    assert projects.loc[0, "fokusomrade"] == composed
    assert projects.loc[1, "projektnamn"] == "Skåne"


def test_decomposed_text_in_excel_and_yaml(data_copy):
    frame = pd.read_csv(data_copy / "projekt.csv", dtype=str, keep_default_na=False)
    frame.loc[0, "nationell_prioritering"] = unicodedata.normalize(
        "NFD", "Attraktiva miljöer och tillgänglighet"
    )
    (data_copy / "projekt.csv").unlink()
    frame.to_excel(data_copy / "projekt.xlsx", index=False)
    projects = load_dataset(data_copy, ["projekt"]).projekt
    assert projects.loc[0, "nationell_prioritering"] == "Attraktiva miljöer och tillgänglighet"
    path = data_copy / "mognadsmodell.yaml"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), "utf-8")
    model = load_dataset(data_copy, ["mognadsmodell"]).mognadsmodell
    assert all(unicodedata.is_normalized("NFC", d.name) for d in model.dimensions)
    assert any("å" in level for level, _ in model.levels.values())


# --- large tables: progress, and memory bounded by blocks -----------------------------------


def test_progress_is_reported_while_a_table_is_read_and_checked(data_copy):
    calls: list[tuple[str, str, int, int]] = []
    load_dataset(data_copy, ["enkatsvar"], progress=lambda *call: calls.append(call))
    reading = [c for c in calls if c[:2] == ("enkatsvar", "läser")]
    checking = [c for c in calls if c[:2] == ("enkatsvar", "kontrollerar")]
    size = (data_copy / "enkatsvar.csv").stat().st_size
    assert reading[0][2:] == (0, size) and reading[-1][2:] == (size, size)
    assert checking[-1][2] == checking[-1][3] == 8  # seven columns and the value checks
    assert [c[2] for c in checking] == sorted(c[2] for c in checking)


@pytest.mark.langsam
def test_large_table_is_read_without_a_copy_per_record(tmp_path):
    import tracemalloc

    from utvardering.readers import read_raw

    source = pd.read_csv(DATA / "enkatsvar.csv", dtype=str, keep_default_na=False)
    big = pd.concat([source] * 20, ignore_index=True)  # ~119 000 rows, 5.7 MB
    path = tmp_path / "enkatsvar.csv"
    big.to_csv(path, index=False)
    tracemalloc.start()
    raw = read_raw(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(raw.frame) == len(big)
    pd.testing.assert_frame_equal(raw.frame, big.astype(object), check_column_type=False)
    # Repeated texts share one string, and the decoded file is never held whole: the peak
    # stays near the size of the text (it was over 20 times the file before).
    assert peak < 8 * path.stat().st_size, peak


# --- text from data reaching an Excel workbook ----------------------------------------------


def test_formula_like_text_stays_text_in_a_workbook(tmp_path):
    from openpyxl import load_workbook

    from utvardering.tables import save_excel

    hostile = '=HYPERLINK("http://example.org","Klicka här")'
    frame = pd.DataFrame({"projektnamn": [hostile, "Vanligt namn"], "belopp": [1.5, 2.0]})
    path = save_excel({"Projekt": frame}, tmp_path / "tabeller.xlsx")
    sheet = load_workbook(path).active
    assert sheet["A2"].value == hostile and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 1.5 and sheet["B2"].data_type == "n"


def test_large_columns_typed_by_distinct_value_give_the_same_result(tmp_path, monkeypatch):
    from utvardering import validate
    from utvardering.readers import read_raw
    from utvardering.schemas import SCHEMAS

    source = pd.read_csv(DATA / "indikatorer.csv", dtype=str, keep_default_na=False)
    big = pd.concat([source] * 3, ignore_index=True)  # 13 212 rows
    big.loc[10, "lan_kod"] = "7"  # padded to 07
    big.loc[11, "ar"] = "tjugohundra"
    big.loc[12, "varde"] = "1 234,5"
    big.loc[13, "lan_kod"] = "7b"
    path = tmp_path / "indikatorer.csv"
    big.to_csv(path, index=False)
    raw = read_raw(path)
    assert len(raw.frame) >= validate._DISTINCT_FROM
    fast, fast_issues = validate.coerce_table(raw, SCHEMAS["indikatorer"])
    monkeypatch.setattr(validate, "_DISTINCT_FROM", 10**9)
    slow, slow_issues = validate.coerce_table(raw, SCHEMAS["indikatorer"])
    pd.testing.assert_frame_equal(fast, slow, check_exact=True)
    assert fast_issues == slow_issues
    assert {(i.row, i.column) for i in fast_issues} >= {(13, "ar"), (15, "lan_kod")}
    assert fast.loc[10, "lan_kod"] == "07" and fast.loc[12, "varde"] == 1234.5
