"""The goal chain table malkedja: the shipped goals, and each bad input stopped with a Swedish
message that names the file, the row, the column and what was expected, by the loader and by
``utvardering validera`` (exit code 1)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from utvardering.cli import main
from utvardering.dataset import load_dataset
from utvardering.errors import DataValidationError
from utvardering.schemas import SCHEMAS

FILE = "malkedja.csv"


def _rows(data_dir: Path) -> pd.DataFrame:
    return pd.read_csv(data_dir / FILE, dtype=str, keep_default_na=False)


def _line(data_dir: Path, code: str, goal: str) -> int:
    """The line a person sees in the file (header = 1) of a goal."""
    rows = _rows(data_dir)
    match = rows.index[(rows["lan_kod"] == code) & (rows["mal_id"] == goal)]
    assert len(match) == 1, (code, goal)
    return int(match[0]) + 2


def _set(data_dir: Path, code: str, goal: str, **values: str) -> int:
    rows = _rows(data_dir)
    line = _line(data_dir, code, goal)
    for column, value in values.items():
        rows.loc[line - 2, column] = value
    rows.to_csv(data_dir / FILE, index=False)
    return line


def _message(data_dir: Path) -> str:
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_dir, ["malkedja"])
    return str(info.value)


def _validera_fails(data_dir: Path, capsys, *fragments: str) -> None:
    assert main(["validera", "--data", str(data_dir)]) == 1
    shown = capsys.readouterr()
    text = shown.out + shown.err
    for fragment in fragments:
        assert fragment in " ".join(text.split()), fragment


# --- the contract and the shipped data ---------------------------------------------------------


def test_the_contract_has_the_columns_of_the_goal_chain():
    schema = SCHEMAS["malkedja"]
    assert schema.optional and schema.unique == ("lan_kod", "mal_id")
    for column in (
        "lan_kod", "mal_id", "niva", "overordnat_mal_id", "mal", "indikator", "arende_id",
        "basar", "basvarde", "malar", "malvarde", "riktning",
    ):  # fmt: skip
        assert column in schema.column_names


def test_the_shipped_chains_load_with_their_dependencies():
    ds = load_dataset("data", ["malkedja"])
    goals = ds.malkedja
    assert goals["lan_kod"].nunique() == 21
    assert ds.indikatorer is not None and ds.projekt_lan is not None
    assert ds.projektindikatorer is not None and ds.effektkedjor is not None
    # Every region has at least one RUS goal; every other goal has a parent.
    assert set(goals.loc[goals["niva"] == "rus", "lan_kod"]) == set(goals["lan_kod"])
    assert goals.loc[goals["niva"] != "rus", "overordnat_mal_id"].notna().all()
    # Every row outside Kronoberg says it is simulated; none of Kronoberg's does.
    assert goals.loc[goals["lan_kod"] != "07", "kalla"].eq("Simulerad").all()
    assert goals.loc[goals["lan_kod"] == "07", "kalla"].str.contains("Region Kronoberg").all()
    # Simulated project goals point at real projects of their region.
    linked = goals[goals["arende_id"].notna()]
    placed = set(zip(ds.projekt_lan["arende_id"], ds.projekt_lan["lan_kod"], strict=True))
    assert len(linked) > 40
    assert all(p in placed for p in zip(linked["arende_id"], linked["lan_kod"], strict=True))


def test_kronobergs_goals_are_the_seeds():
    goals = load_dataset("data", ["malkedja"]).malkedja
    own = goals[goals["lan_kod"] == "07"].set_index("mal_id")
    rus = own[own["niva"] == "rus"]
    assert len(rus) == 1
    assert "arbetstillfällen (minst 1 anställd) per 1 000 invånare ska öka" in rus["mal"].iloc[0]
    assert rus["indikator"].iloc[0] == "foretag_med_anstallda_per_1000_inv"
    texts = " ".join(own["mal"])
    for phrase in (
        "helst vill vara företagare",
        "stämningsläget bland befintliga företag",
        "besöksnätterna i länet",
        "inom turismsektorn",
        "Sydostleden",
        "30 % av deltagarna ska starta företag",
        "60 % av deltagarna ska vilja bli företagare",
        "Destination Småland",
    ):
        assert phrase in texts, phrase
    # The sub-strategy goals have no series in the data: no indicator, as in the plan.
    assert own.loc[own["niva"] == "understrategi", "indikator"].isna().all()
    assert own.loc["P-2", "malvarde"] == 30 and pd.isna(own.loc["P-2", "arende_id"])


def test_the_table_is_read_from_excel_too(data_copy):
    rows = _rows(data_copy)
    (data_copy / FILE).unlink()
    rows.to_excel(data_copy / "malkedja.xlsx", index=False)
    goals = load_dataset(data_copy, ["malkedja"]).malkedja
    assert len(goals) == len(rows)
    assert goals.loc[goals["lan_kod"] == "07", "mal_id"].tolist()[0] == "RUS-1"


def test_without_the_table_there_are_no_goals(data_copy):
    (data_copy / FILE).unlink()
    assert load_dataset(data_copy, ["malkedja"]).malkedja is None


# --- each bad input: its own message, and validera exits 1 ---------------------------------------


def test_a_parent_that_does_not_exist(data_copy, capsys):
    line = _set(data_copy, "07", "US-2", overordnat_mal_id="RUS-9")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'overordnat_mal_id': värdet 'RUS-9'" in message
    assert "ett mål i län 07 i malkedja" in message
    _validera_fails(data_copy, capsys, f"rad {line}", "overordnat_mal_id", "RUS-9")


def test_a_parent_in_another_region_is_named(data_copy, capsys):
    # US-4 is one of Kronoberg's goals; no other region has a goal with that id.
    line = _set(data_copy, "25", "US-1", overordnat_mal_id="US-4")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'overordnat_mal_id': värdet 'US-4'" in message
    assert "ett mål i län 25" in message and "finns bara i län 07" in message
    _validera_fails(data_copy, capsys, f"rad {line}", "finns bara i län 07")


def test_a_cycle_in_the_parent_links(data_copy, capsys):
    first = _set(data_copy, "07", "US-1", overordnat_mal_id="US-2")
    _set(data_copy, "07", "US-2", overordnat_mal_id="US-1")
    message = _message(data_copy)
    assert f"{FILE}, rad {first}, kolumn 'overordnat_mal_id'" in message
    assert "utan att gå i cirkel (US-1 → US-2 → US-1)" in message
    assert message.count("cirkel") == 1  # one issue per cycle
    _validera_fails(data_copy, capsys, f"rad {first}", "cirkel")


def test_a_goal_that_is_its_own_parent_is_a_cycle(data_copy):
    line = _set(data_copy, "07", "US-3", overordnat_mal_id="US-3")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'overordnat_mal_id'" in message
    assert "(US-3 → US-3)" in message


def test_a_project_goal_under_a_project_goal(data_copy, capsys):
    line = _set(data_copy, "07", "P-2", overordnat_mal_id="P-1")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'overordnat_mal_id': värdet 'P-1'" in message
    assert "ett mål i en understrategi eller ett RUS-mål i län 07" in message
    assert "'P-1' är ett projektmål" in message
    _validera_fails(data_copy, capsys, f"rad {line}", "'P-1' är ett projektmål")


def test_a_project_goal_without_a_parent(data_copy):
    line = _set(data_copy, "07", "P-3", overordnat_mal_id="")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'overordnat_mal_id'" in message
    assert "bara ett RUS-mål får sakna överordnat mål" in message


def test_a_rus_goal_with_a_parent(data_copy):
    line = _set(data_copy, "07", "RUS-1", overordnat_mal_id="US-1")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'overordnat_mal_id': värdet 'US-1'" in message
    assert "ett RUS-mål är kedjans översta mål" in message


def test_an_unknown_indicator(data_copy, capsys):
    line = _set(data_copy, "07", "RUS-1", indikator="arbetstillfallen_per_1000_inv")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'indikator': värdet 'arbetstillfallen_per_1000_inv'" in (
        message
    )
    assert "en serie i indikatorer" in message and "'nystartade_per_1000_inv'" in message
    _validera_fails(data_copy, capsys, f"rad {line}", "arbetstillfallen_per_1000_inv")


def test_an_indicator_of_the_wrong_kind_for_the_level(data_copy):
    rus = _set(data_copy, "07", "RUS-1", indikator="andel_startat_foretag")
    project = _set(data_copy, "07", "P-2", indikator="brp_per_inv")
    message = _message(data_copy)
    assert f"{FILE}, rad {rus}, kolumn 'indikator'" in message
    assert "projektindikatorer hör till projektmål" in message
    assert f"{FILE}, rad {project}, kolumn 'indikator'" in message
    assert "en serie i indikatorer hör till RUS- och understrategimål" in message


def test_a_target_year_before_the_base_year(data_copy, capsys):
    line = _set(data_copy, "07", "RUS-1", malar="2010")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'malar': värdet '2010'" in message
    assert "ett målår som inte är före basåret" in message
    _validera_fails(data_copy, capsys, f"rad {line}", "kolumn 'malar'", "basåret")


def test_an_unknown_level(data_copy, capsys):
    line = _set(data_copy, "07", "US-1", niva="delmal")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'niva': värdet 'delmal'" in message
    assert "'rus', 'understrategi', 'projekt'" in message
    _validera_fails(data_copy, capsys, f"rad {line}", "delmal")


def test_a_project_outside_the_region(data_copy, capsys):
    ds = load_dataset(data_copy, ["projekt_lan"])
    elsewhere = sorted(
        set(ds.projekt_lan["arende_id"])
        - set(ds.projekt_lan.loc[ds.projekt_lan["lan_kod"] == "07", "arende_id"])
    )[0]
    line = _set(data_copy, "07", "P-4", arende_id=elsewhere)
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'arende_id': värdet '{elsewhere}'" in message
    assert "ett projekt med en rad för län 07 i projekt_lan" in message
    _validera_fails(data_copy, capsys, f"rad {line}", elsewhere)


def test_a_case_number_on_a_regional_goal(data_copy):
    case = _rows(data_copy).loc[lambda r: r["arende_id"] != "", "arende_id"].iloc[0]
    line = _set(data_copy, "07", "US-2", arende_id=case)
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'arende_id'" in message
    assert "bara projektmål har ett ärendenummer" in message


def test_a_regional_target_value_needs_a_target_year(data_copy):
    line = _set(data_copy, "07", "RUS-1", malar="", malvarde="30")
    message = _message(data_copy)
    assert f"{FILE}, rad {line}, kolumn 'malar'" in message
    assert "ett målår, eftersom målvärdet är ifyllt" in message


def test_every_issue_is_reported_at_once(data_copy):
    """Several bad rows give one error that lists them all; nothing is dropped."""
    a = _set(data_copy, "07", "US-2", overordnat_mal_id="RUS-9")
    b = _set(data_copy, "07", "RUS-1", malar="2010")
    c = _set(data_copy, "07", "US-1", niva="delmal")
    message = _message(data_copy)
    for line in (a, b, c):
        assert f"{FILE}, rad {line}," in message
