"""The goal chain report (malkedja): parameters, sections, the result file and the workbook.

Built in-process from the shipped data folder (Kronoberg, 07, with the goals of its plan, and
simulated regions), and from small copies of it: one without a region's goals and one
without the table malkedja.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA

from utvardering.dataset import load_dataset
from utvardering.errors import ParameterError
from utvardering.goals.analysis import STATUS_LABELS
from utvardering.goals.parameters import GoalChainParameters
from utvardering.goals.report import GoalChainReport, result_record
from utvardering.goals.report_type import REPORT_TYPE
from utvardering.goals.text import DIFFICULTY, HEADINGS
from utvardering.protocol import UnknownSectionError, result_file
from utvardering.registry import report_type
from utvardering.results import (
    RESULT_SCHEMA_VERSION,
    ResultFileError,
    check_result,
    read_result,
    result_schema,
)

# Text from the machinery that no reader may see.
MACHINE = re.compile(r"PosixPath|Styler|IPython|<NA>|\b(None|nan|NaN|True|False)\b")


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA, REPORT_TYPE.tables)


def _build(ds, lan_kod: str, **params) -> GoalChainReport:
    return REPORT_TYPE.build(ds, GoalChainParameters.check(lan_kod=lan_kod, **params))


@pytest.fixture(scope="module")
def kronoberg(ds) -> GoalChainReport:
    return _build(ds, "07")


@pytest.fixture(scope="module")
def skane(ds) -> GoalChainReport:
    return _build(ds, "12")  # simulated goals, projects in the register


def _copy(tmp_path: Path, without: str | None = None, table: bool = True) -> Path:
    """The tables the report reads, copied; ``without`` a region's goals, or no malkedja."""
    data = tmp_path / "data"
    data.mkdir()
    for name in (
        "lan.csv", "indikatorer.csv", "projekt.csv", "projekt_lan.csv", "projektindikatorer.csv",
        "rus_prioriteringar.csv", "effektkedjor.yaml", "datakallor.yaml",
    ):  # fmt: skip
        shutil.copyfile(DATA / name, data / name)
    if table:
        goals = pd.read_csv(DATA / "malkedja.csv", dtype=str, keep_default_na=False)
        goals[goals["lan_kod"] != without].to_csv(data / "malkedja.csv", index=False)
    return data


# --- parameters ------------------------------------------------------------------------------


def test_defaults():
    assert GoalChainParameters.check() == GoalChainParameters("07", "riksomrade")


@pytest.mark.parametrize(
    ("given", "checked"),
    [("riksomrade", "riksomrade"), ("alla", "alla"), ("8,6", "06,08"), ("06, 08,06", "06,08"),
     (6, "06")],
)  # fmt: skip
def test_comparison_values_are_normalised(given, checked):
    assert GoalChainParameters.check(lan_kod=7, jamforelselan=given).jamforelselan == checked


@pytest.mark.parametrize("bad", ["99", "riket", "", None, "06,xx"])
def test_a_bad_comparison_is_refused_in_swedish_naming_the_value(bad):
    with pytest.raises(ParameterError, match="Parametern jamforelselan ska vara") as info:
        GoalChainParameters.check(lan_kod="07", jamforelselan=bad)
    assert repr(bad) in str(info.value)


def test_a_bad_code_in_a_list_is_named():
    with pytest.raises(ParameterError, match=r"fick '06,99' \('99' är ingen länskod\)"):
        GoalChainParameters.check(lan_kod="07", jamforelselan="06,99")


def test_the_region_itself_is_no_peer():
    with pytest.raises(ParameterError, match=r"andra län än länet självt \(07\)"):
        GoalChainParameters.check(lan_kod="07", jamforelselan="7")
    # in a list with others it is left out
    assert GoalChainParameters.check(lan_kod="07", jamforelselan="06,07").peers == ("06",)


def test_one_error_names_every_bad_value():
    with pytest.raises(ParameterError) as info:
        GoalChainParameters.check(lan_kod=99, jamforelselan="x", lan=7)
    message = str(info.value)
    assert "Parametern lan_kod" in message and "Parametern jamforelselan" in message
    assert "Okänd parameter 'lan'" in message


# --- the registry ------------------------------------------------------------------------------


def test_the_registry_knows_the_report():
    kind = report_type("malkedja")
    assert kind is REPORT_TYPE
    assert (kind.title, kind.level, kind.notebook, kind.order) == (
        "Målkedja", "region", "malkedja.ipynb", 4,
    )  # fmt: skip
    assert kind.parameters is GoalChainParameters
    # the region's own goals; every region's series, for the peers
    assert kind.tables["malkedja"] == "region" and kind.tables["indikatorer"] == "alla"
    assert kind.unused["rus_prioriteringar"] == ("*",)
    assert "effektkedja" not in kind.unused["projekt"]  # a project goal's stage comes from it


# --- sections ----------------------------------------------------------------------------------


def test_sections_in_reading_order(kronoberg):
    sections = kronoberg.sections()
    assert [s.name for s in sections] == list(HEADINGS)
    assert sections[0].blocks[0].startswith("# Målkedja: Kronobergs län")
    assert kronoberg.section("inga_mal").empty  # Kronoberg has goals
    for section in sections[2:]:
        assert not section.empty, section.name


def test_an_unknown_section_is_an_error(kronoberg):
    with pytest.raises(UnknownSectionError, match="Rapporten malkedja har inget avsnitt 'x'"):
        kronoberg.section("x")


def test_the_difficulty_levels_stand_next_to_each_level(kronoberg):
    text = kronoberg.section("niva").snapshot_text()
    assert "medelsvår**: god datatillgång men svag koppling till de egna insatserna" in text
    assert (
        "enkel för prestationer, mycket svår för effekter** (hur hade samhället utvecklats "
        "utan oss?)" in text
    )
    for line in (ln for ln in text.splitlines() if ln.startswith("- ")):
        assert "Svårighetsgrad **" in line  # each level with its own difficulty
    assert len([ln for ln in text.splitlines() if ln.startswith("- ")]) == len(DIFFICULTY)
    assert "inte ett mått på projektens effekt" in text


def test_kronoberg_shows_the_goals_of_its_plan(kronoberg):
    summary = kronoberg.section("sammanfattning").snapshot_text()
    assert "**RUS-mål** (1): det enda målet" in summary
    assert "**Mål i understrategier** (4): alla 4 saknar data." in summary
    # the RUS goal's series has three years: its status is called uncertain
    assert "kort serie" in summary and "(3 värden 2018–2020), så den är osäker" in summary
    tree = kronoberg.section("maltrad").snapshot_text()
    assert "Sydostleden" in tree and "Destination Småland" in tree
    regional = kronoberg.section("regionala_mal").snapshot_text()
    assert "riksområdet Småland med öarna: Jönköpings län, Kalmar län och Gotlands län" in regional
    # the projects outside the register are named, without an amount
    contributions = kronoberg.section("bidrag").snapshot_text()
    assert "Sydostleden, cykelled och företagande (utanför projektregistret)" in contributions
    assert "Inget av projekten finns i projektregistret" in contributions


def test_the_status_counts_of_the_summary_follow_the_analysis(skane):
    counts = skane.analysis.status_counts("rus")
    summary = skane.section("sammanfattning").snapshot_text()
    line = next(ln for ln in summary.splitlines() if ln.startswith("- **RUS-mål**"))
    assert f"({sum(counts.values())})" in line
    assert sum(int(n) for n in re.findall(r"(\d+) (?:når|är|har|går|saknar)", line)) == sum(
        counts.values()
    )


@pytest.mark.parametrize("lan_kod", ["07", "12", "01", "25"])
def test_no_machine_text_in_any_section(ds, lan_kod):
    report = _build(ds, lan_kod)
    for section in report.sections():
        text = section.snapshot_text()
        assert not MACHINE.search(text), (section.name, MACHINE.search(text))
        assert "(1 stycken)" not in text


def test_a_table_has_no_row_index_and_money_in_mnkr(skane):
    table = skane.tables["bidrag"]
    assert list(table.frame.index) == list(range(len(table.frame)))
    assert "Belopp i länet (mnkr)" in table.frame.columns
    html = table.styler().to_html()
    assert "row_heading" not in html and "index_name" not in html
    cells = table.frame["Belopp i länet (mnkr)"]
    assert all(re.fullmatch(r"[\d\u00a0]+,\d|–", c) for c in cells)


def test_the_comparison_rule_is_said(ds):
    stockholm = _build(ds, "01").section("regionala_mal").snapshot_text()
    assert "ensamt i riksområdet Stockholm, så länet jämförs med alla andra län (20" in stockholm
    chosen = _build(ds, "07", jamforelselan="06,08")
    text = chosen.section("regionala_mal").snapshot_text()
    assert "valts för rapporten: Jönköpings län och Kalmar län" in text
    assert chosen.payload()["jamforelse"] == "valda"
    everyone = _build(ds, "07", jamforelselan="alla")
    assert everyone.payload()["jamforelse"] == "alla"
    assert len(everyone.payload()["jamforelselan"]) == 20
    assert "alla andra län (20 stycken)" in everyone.section("metod").snapshot_text()


def test_simulated_goals_are_flagged_by_the_notice(skane, kronoberg):
    assert any(i.tabell == "malkedja" for i in skane.simulated_inputs)
    assert "Simulerade data" in skane.section("titel").snapshot_text()
    # every goal of a region is simulated or none is: no column that says the same everywhere
    assert "Simulerat" not in skane.tables["mal"].frame.columns
    assert "Simulerat" not in kronoberg.tables["mal"].frame.columns


# --- a region without goals --------------------------------------------------------------------


def test_a_region_without_goals_gets_a_short_report(tmp_path):
    data = _copy(tmp_path, without="07")
    report = REPORT_TYPE.build(
        load_dataset(data, REPORT_TYPE.tables), GoalChainParameters.check(lan_kod="07")
    )
    text = report.section("inga_mal").snapshot_text()
    assert text.startswith("## Inga mål i målkedjan")
    assert "Kronobergs län har inga rader i datamappens malkedja.csv" in text
    assert "`overordnat_mal_id`" in text and "data/README.md" in text
    for name in HEADINGS:
        if name not in ("titel", "inga_mal"):
            assert report.section(name).empty, name
    assert report.figures == {} and report.save_excel(tmp_path) is None
    body = report.payload()
    assert body["har_mal"] is False and body["mal"] == [] and body["stryktips"] == []
    assert body["antal_mal"] == {"rus": 0, "understrategi": 0, "projekt": 0}
    check_result(result_file("malkedja", report.params, body), "malkedja", tmp_path / "x.json")
    # the notebook's last cell writes the result file alone: no figures, no workbook
    assert report.write(tmp_path / "ut", data_dir=str(data)) == {"json": "malkedja.json"}
    assert read_result(tmp_path / "ut" / "malkedja.json", "malkedja")["filer"] == {}


def test_a_data_folder_without_the_table(tmp_path):
    data = _copy(tmp_path, table=False)
    report = REPORT_TYPE.build(
        load_dataset(data, REPORT_TYPE.tables), GoalChainParameters.check(lan_kod="12")
    )
    text = report.section("inga_mal").snapshot_text()
    assert "Datamappen har ingen tabell malkedja.csv" in text
    assert report.payload()["har_mal"] is False


# --- the result file ---------------------------------------------------------------------------


@pytest.mark.parametrize("lan_kod", ["07", "12", "01"])
def test_the_payload_follows_the_schema(ds, lan_kod, tmp_path):
    report = _build(ds, lan_kod)
    body = report.payload()
    data = result_file("malkedja", report.params, body, {})
    check_result(data, "malkedja", tmp_path / "malkedja.json")
    assert set(data) == set(result_schema("malkedja")["properties"])
    assert data["schemaversion"] == RESULT_SCHEMA_VERSION
    goals = report.analysis.goals
    assert [g["mal_id"] for g in body["mal"]] == list(goals["mal_id"])
    assert sum(body["antal_mal"].values()) == len(goals)
    assert sum(body["status_alla"].values()) == len(goals)
    assert list(body["status_rus"]) == list(STATUS_LABELS)
    # no missing number as NaN: the JSON has null
    assert all(g["malvarde"] is None or g["malvarde"] == g["malvarde"] for g in body["mal"])


def test_the_result_record_counts_projects_and_goals_without(skane, ds):
    body = result_record(skane.analysis)
    summary = skane.analysis.contribution_summary.set_index("mal_id")
    for entry in body["bidrag"]:
        assert entry["n_projekt"] == summary.at[entry["mal_id"], "n_projekt"]
        assert len(entry["projekt"]) == entry["n_projekt"]
    stockholm = _build(ds, "01").payload()
    assert "RUS-2" in stockholm["mal_utan_projekt"]


def test_a_result_file_without_a_required_field_names_it(kronoberg, tmp_path):
    data = result_file("malkedja", kronoberg.params, kronoberg.payload(), {})
    del data["mal"][0]["status"]
    with pytest.raises(ResultFileError) as info:
        check_result(data, "malkedja", tmp_path / "malkedja.json")
    assert info.value.field == "mal.0.status"


def test_the_schema_describes_every_field():
    schema = result_schema("malkedja")
    for name, field in schema["properties"].items():
        assert field.get("description"), name
    goal = schema["properties"]["mal"]["items"]
    for name, field in goal["properties"].items():
        assert field.get("description"), name
    assert set(goal["properties"]["status"]["enum"]) == set(STATUS_LABELS)


@pytest.mark.langsam
def test_the_report_writes_its_files(kronoberg, tmp_path):
    files = kronoberg.write(tmp_path, data_dir=str(DATA), utdata_dir=str(tmp_path))
    assert files["json"] == "malkedja.json" and files["excel"] == "malkedja.xlsx"
    assert {"maltrad", "status", "prognos_RUS-1"} <= set(files)
    written = read_result(tmp_path / "malkedja.json", "malkedja")
    assert written["filer"] == {k: v for k, v in files.items() if k != "json"}
    sheets = pd.read_excel(tmp_path / "malkedja.xlsx", sheet_name=None)
    assert list(sheets)[1:] == ["Mål", "Jämförelse", "Serier", "Bidrag", "Stryktips"]
    assert len(sheets["Mål"]) == 9
    assert sheets["Mål"]["Status"].isin(list(STATUS_LABELS.values())).all()
    series = sheets["Serier"]
    assert set(series["Län"]) == {"Kronobergs län", "Jönköpings län", "Kalmar län", "Gotlands län"}
    for frame in sheets.values():
        text = frame.astype(str).to_csv()
        assert "PosixPath" not in text and "/tmp" not in text


def test_goal_texts_from_the_data_are_escaped(tmp_path):
    data = _copy(tmp_path)
    goals = pd.read_csv(data / "malkedja.csv", dtype=str, keep_default_na=False)
    mine = goals["lan_kod"] == "07"
    goals.loc[mine, "mal"] = goals.loc[mine, "mal"] + " <img src=x onerror=alert(1)> *fet*"
    goals.to_csv(data / "malkedja.csv", index=False)
    report = REPORT_TYPE.build(
        load_dataset(data, REPORT_TYPE.tables), GoalChainParameters.check(lan_kod="07")
    )
    for section in report.sections():
        for block in section.blocks:
            if isinstance(block, str):
                assert "<img" not in block and " *fet*" not in block, section.name
    summary = report.section("sammanfattning").snapshot_text()
    assert r"&lt;img src=x onerror=alert\(1\)&gt; \*fet\*" in summary
    html = report.tables["mal"].styler().to_html()
    assert "<img" not in html and "&lt;img src=x" in html
