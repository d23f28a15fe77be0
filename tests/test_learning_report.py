"""The learning plan (larandeplan): its content is the run's result files for the region, it
writes the plan as Markdown, a workbook and its result file, and says what is missing.

The run folder is made here from real report builds: the four region reports of Kronoberg (07)
on the shipped data, each written as its result file (the effect report for one outcome, to
keep it short). The fixture takes about half a minute: the tests that use it are marked
langsam. Variants of the run (a report missing, hostile text in a goal) are copies of it.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA, XSS

from utvardering.dataset import load_dataset
from utvardering.errors import ParameterError
from utvardering.learning.parameters import LearningPlanParameters
from utvardering.learning.plan import plan_metadata
from utvardering.learning.report import MARKDOWN_FILE, LearningPlanReport
from utvardering.learning.report_type import REPORT_TYPE
from utvardering.learning.text import HEADINGS
from utvardering.protocol import result_file
from utvardering.registry import report_type
from utvardering.results import check_result, read_result, write_results
from utvardering.summary.facts import region_facts
from utvardering.summary.rules import recommend
from utvardering.synthesis.collect import collect_results
from utvardering.vocabulary import LAN_CODES

SOURCES = ("mognad", "tema", "effekt", "malkedja")
# Parameters of the source reports beyond lan_kod (the effect report: one outcome, faster).
EXTRA = {"effekt": {"utfall": "anstallda"}}
# Text from the machinery that no reader may see.
MACHINE = re.compile(r"PosixPath|Styler|IPython|<NA>|\b(None|nan|NaN|True|False)\b")


def write_run(out: Path, regions: tuple[str, ...] = ("07",)) -> Path:
    """A run folder with the four region reports' result files of ``regions``, from real
    builds on the shipped data (the thematic report writes its files, which its schema names)."""
    for name in SOURCES:
        kind = report_type(name)
        ds = load_dataset(DATA, kind.tables)
        for code in regions:
            report = kind.build(ds, kind.parameters.check(lan_kod=code, **EXTRA.get(name, {})))
            folder = out / code
            folder.mkdir(parents=True, exist_ok=True)
            if name == "tema":
                report.write(folder, data_dir=str(DATA))
                continue
            path = folder / f"{name}.json"
            data = result_file(
                name, report.params, report.payload(), simulated=report.simulated_inputs,
                data_dir=str(DATA),
            )  # fmt: skip
            check_result(data, name, path)
            write_results(path, data)
    return out


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    return write_run(tmp_path_factory.mktemp("korning"))


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA, REPORT_TYPE.tables)


def _plan(ds, run: Path, code: str = "07", **params) -> LearningPlanReport:
    return REPORT_TYPE.build(
        ds, LearningPlanParameters.check(lan_kod=code, korning_dir=str(run), **params)
    )


@pytest.fixture(scope="module")
def kronoberg(ds, run_dir) -> LearningPlanReport:
    return _plan(ds, run_dir)


def _source(run: Path, report: str, code: str = "07") -> dict:
    return json.loads((run / code / f"{report}.json").read_text(encoding="utf-8"))


def _text(report: LearningPlanReport) -> str:
    return "\n\n".join(s.snapshot_text() for s in report.sections())


# --- quick: parameters, report type, metadata ------------------------------------------------


def test_the_report_type_reads_the_run():
    kind = report_type("larandeplan")
    assert kind is REPORT_TYPE
    assert (kind.name, kind.title, kind.level, kind.order, kind.reads_run) == (
        "larandeplan", "Lärandeplan", "region", 6, True,
    )  # fmt: skip
    assert kind.notebook == "larandeplan.ipynb"
    assert dict(kind.tables) == {
        "lan": "alla", "mognadsmodell": "alla", "effektkedjor": "alla",
        "larandeplaner": "region",
    }  # fmt: skip


def test_parameters_are_checked_in_swedish(tmp_path):
    params = LearningPlanParameters.check(lan_kod=7, korning_dir=str(tmp_path))
    assert (params.lan_kod, params.omgang, params.finansiering) == ("07", 2025, "alla")
    with pytest.raises(ParameterError) as info:
        LearningPlanParameters.check(
            lan_kod="99", korning_dir=str(tmp_path / "finns_inte"), omgang="2025",
            finansiering="eu",
        )  # fmt: skip
    message = str(info.value)
    for part in ("lan_kod", "korning_dir", "finns_inte", "omgang", "'2025'", "'eu'"):
        assert part in message, message


def test_plan_metadata_from_the_table():
    table = pd.DataFrame(
        {
            "lan_kod": ["07", "09", "10"],
            "plan_ar": pd.array([2015, 2016, None], dtype="Int64"),
            "under_revidering": ["ja", None, "nej"],
            "kalla": ["Underlaget", None, ""],
        }
    )
    kronoberg = plan_metadata(table, "07")
    assert (kronoberg.known, kronoberg.plan_ar, kronoberg.under_revidering) == (True, 2015, True)
    assert kronoberg.kalla == "Underlaget"
    gotland = plan_metadata(table, "09")
    assert (gotland.plan_ar, gotland.under_revidering, gotland.kalla) == (2016, None, "")
    blekinge = plan_metadata(table, "10")
    assert (blekinge.known, blekinge.plan_ar, blekinge.under_revidering) == (True, None, False)
    assert not plan_metadata(table, "12").known
    assert not plan_metadata(None, "07").known
    assert plan_metadata(table.assign(under_revidering=[True, pd.NA, False]), "07").under_revidering


# --- the plan of a real run (langsam) --------------------------------------------------------


@pytest.mark.langsam
def test_the_plan_is_the_run_s_numbers(kronoberg, ds, run_dir, tmp_path):
    files = kronoberg.write(tmp_path, data_dir=str(DATA), utdata_dir=str(tmp_path))
    result = read_result(tmp_path / "larandeplan.json", "larandeplan")
    assert (result["lan_kod"], result["lan_namn"]) == ("07", "Kronobergs län")
    assert result["rapporter"] == dict.fromkeys(SOURCES, "med")
    assert result["plan"] == {
        "uppgift_finns": True, "plan_ar": 2015, "under_revidering": True,
        "kalla": result["plan"]["kalla"],
    }  # fmt: skip
    assert result["plan"]["kalla"].startswith("Region Kronoberg")
    goals = _source(run_dir, "malkedja")
    regional = [g for g in goals["mal"] if g["niva"] in ("rus", "understrategi")]
    assert [g["mal_id"] for g in result["indikatorer"]["mal"]] == [
        g["mal_id"] for g in goals["mal"]
    ]
    assert {g["niva"] for g in result["indikatorer"]["mal"]} == {"rus", "understrategi", "projekt"}
    for mine, theirs in zip(result["indikatorer"]["mal"], goals["mal"], strict=True):
        for key in ("niva", "indikator", "senaste_ar", "senaste_varde", "malvarde", "status"):
            assert mine[key] == theirs[key], key
    effect = _source(run_dir, "effekt")
    per_indicator = effect["maluppfyllelse"]["per_indikator"]
    assert len(result["indikatorer"]["projekt"]) == len(per_indicator) > 0
    for mine, theirs in zip(result["indikatorer"]["projekt"], per_indicator, strict=True):
        for key in ("effektkedja", "steg", "indikator", "n_projekt", "n_saknas", "maluppfyllelse"):
            assert mine[key] == theirs[key], key
    # the planned evaluations are the recommendations on the region's facts
    run = collect_results(run_dir, omgang=2025)
    facts = region_facts(run, "07", ds.mognadsmodell, ds.lan)
    expected = recommend(facts, model=ds.mognadsmodell)
    assert [r["id"] for r in result["utvarderingar"]] == [r.id for r in expected]
    assert result["utvarderingar"], "Kronoberg's run gives recommendations"
    for mine, rec in zip(result["utvarderingar"], expected, strict=True):
        assert {k: mine[k] for k in rec.as_dict()} == rec.as_dict()
        assert mine["redovisas"] == "1 juli (Utvärdering)"
    assert result["arshjul"]["eget"] is False
    assert result["arshjul"]["handelser"][0]["datum"] == "01-01"
    assert result["omvarld"]["jamforelselan"] == goals["jamforelselan"]
    synthetic = effect.get("syntetisk_jamforelse") or []
    assert [s["skillnad"] for s in result["omvarld"]["syntetisk_jamforelse"]] == [
        s["att"] for s in synthetic
    ]
    series = {s["indikator"]: s for s in result["omvarld"]["serier"]}
    for goal in regional:
        if goal["indikator"]:
            assert series[goal["indikator"]]["senaste_varde"] == goal["senaste_varde"]
            assert goal["mal_id"] in series[goal["indikator"]]["mal"]
    # the files beside the result file
    assert files["markdown"] == MARKDOWN_FILE and files["excel"] == "larandeplan.xlsx"
    assert (tmp_path / "larandeplan_arshjul.png").read_bytes()[:4] == b"\x89PNG"
    sheets = pd.read_excel(tmp_path / "larandeplan.xlsx", sheet_name=None)
    assert {"plan", "indikatorer", "utvarderingar", "arshjul", "omvarld"} <= set(sheets)
    assert len(sheets["arshjul"]) == 6
    assert len(sheets["utvarderingar"]) == len(expected)
    assert len(sheets["indikatorer"]) == len(goals["mal"]) + len(per_indicator)
    assert len(sheets["omvarld"]) == len(series) + len(synthetic) + len(goals["jamforelselan"])


@pytest.mark.langsam
def test_the_markdown_file_is_the_whole_plan(kronoberg, tmp_path):
    kronoberg.write(tmp_path, data_dir=str(DATA))
    text = (tmp_path / MARKDOWN_FILE).read_text(encoding="utf-8")
    assert text.startswith("# Lärandeplan: Kronobergs län\n")
    for heading in ("Uppföljning och utvärdering", "Återkoppling", "Omvärldsbevakning och analys"):
        assert f"\n## {heading}\n" in text
    assert "### Planerade utvärderingar och åtgärder" in text
    assert "Länets nuvarande lärandeplan antogs 2015 och håller på att revideras." in text
    assert "![Ett hjul med årets tolv månader" in text and "(larandeplan_arshjul.png)" in text
    assert "| Datum | Händelse | Mottagare | Innehåll | Underlag |" in text
    assert "| 1 april | Rapport till tillväxtrådet |" in text
    assert "**Obs! Simulerade data.**" in text  # the run's files rest on simulated inputs
    assert "*Nästa nivå i mognadsmodellen:* Nivå " in text
    assert not MACHINE.search(text), MACHINE.search(text)


@pytest.mark.langsam
def test_the_sections_show_nothing_from_the_program(kronoberg):
    assert list(kronoberg.SECTIONS) == list(HEADINGS)
    text = _text(kronoberg)
    assert not MACHINE.search(text), MACHINE.search(text)
    assert "Jönköpings län" in text  # a peer, by name
    assert [f.titel for s in kronoberg.sections() for f in s.figures] == [
        "Årshjul för rapportering och återkoppling, Kronobergs län"
    ]


@pytest.mark.langsam
def test_a_missing_report_is_said_and_its_parts_are_empty(ds, run_dir, tmp_path):
    run = tmp_path / "korning"
    shutil.copytree(run_dir, run)
    (run / "07" / "malkedja.json").unlink()
    report = _plan(ds, run)
    payload = report.payload()
    assert payload["rapporter"]["malkedja"] == "saknas"
    assert payload["indikatorer"]["mal"] == [] and payload["omvarld"]["serier"] == []
    assert not any(r["rapporter"] == ["malkedja"] for r in payload["utvarderingar"])
    text = _text(report)
    assert "**Det här saknas:** Målkedjan (kördes inte)." in text
    assert "Målkedjans resultat saknas i körningen" in text
    assert "De regionala serierna kommer från målkedjan, vars resultat saknas" in text
    report.write(tmp_path / "ut", data_dir=str(DATA))  # still a valid result file
    assert read_result(tmp_path / "ut" / "larandeplan.json", "larandeplan")["rapport"] == (
        "larandeplan"
    )


@pytest.mark.langsam
def test_a_region_without_a_row_gets_uppgift_saknas(ds, run_dir):
    report = _plan(dataclasses.replace(ds, larandeplaner=None), run_dir)
    assert report.payload()["plan"] == {
        "uppgift_finns": False, "plan_ar": None, "under_revidering": None, "kalla": "",
    }  # fmt: skip
    assert "Uppgift saknas om när länets nuvarande lärandeplan antogs" in _text(report)


@pytest.mark.langsam
def test_a_region_s_own_annual_cycle_is_used(ds, run_dir, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("foretagspanel.csv.gz"))
    (data / "arshjul").mkdir()
    (data / "arshjul" / "07.yaml").write_text(
        'handelser:\n  - {datum: "05-15", handelse: Lärandeseminarium, underlag: [larandeplan]}\n',
        encoding="utf-8",
    )
    report = _plan(load_dataset(data, REPORT_TYPE.tables), run_dir)
    payload = report.payload()
    assert payload["arshjul"]["eget"] is True
    assert [e["handelse"] for e in payload["arshjul"]["handelser"]] == ["Lärandeseminarium"]
    assert {r["redovisas"] for r in payload["utvarderingar"]} == {"15 maj (Lärandeseminarium)"}
    assert "Årshjulet är länets eget" in _text(report)


@pytest.mark.langsam
def test_text_from_the_run_is_escaped(ds, run_dir, tmp_path):
    run = tmp_path / "korning"
    shutil.copytree(run_dir, run)
    path = run / "07" / "malkedja.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["mal"][0]["mal"] = f"Fler jobb {XSS} | ny rad\n# rubrik"
    write_results(path, data)
    report = _plan(ds, run)
    report.write(tmp_path / "ut", data_dir=str(DATA))
    text = (tmp_path / "ut" / MARKDOWN_FILE).read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\n# rubrik" not in text
    table = report.section("uppfoljning").blocks[1]
    assert XSS in table.frame["Mål"].iloc[0]  # the table holds the text; the page escapes it


# --- a plan made by hand (quick) -------------------------------------------------------------


def _goal(mal_id, niva, indikator=None, status="saknar_data", **extra):
    return {"mal_id": mal_id, "niva": niva, "mal": f"Målet {mal_id}", "indikator": indikator,
            "enhet": "procent" if indikator else None, "basar": None, "basvarde": None,
            "senaste_ar": 2022 if indikator else None, "senaste_varde": 4.5 if indikator else None,
            "malar": 2030, "malvarde": None, "status": status, **extra}  # fmt: skip


def _hand_plan(goals=(), project=(), synthetic=(), recommendations=(), status=None, peers=()):
    from utvardering.learning.arshjul import load_arshjul
    from utvardering.learning.plan import LearningPlan, PlanMeta
    from utvardering.summary.facts import Facts

    facts = Facts("10", "Blekinge län", {"effekt.andel_avslutade_utfall_saknas.medel": 0.25},
                  {}, (), {})  # fmt: skip
    return LearningPlan(
        lan_kod="10",
        lan_namn="Blekinge län",
        meta=PlanMeta(known=True, plan_ar=None, under_revidering=False),
        facts=facts,
        recommendations=tuple(recommendations),
        arshjul=load_arshjul(None, "10"),
        status=status or dict.fromkeys(SOURCES, "med"),
        goals=None if goals is None else tuple(goals),
        project_indicators=None if project is None else tuple(project),
        synthetic=None if synthetic is None else tuple(synthetic),
        peers=tuple(peers),
        peer_names={"07": "Kronobergs län", "12": "Skåne län"},
        indicator_names={},
    )


def test_a_hand_made_plan_says_what_it_holds():
    from utvardering.learning.tables import evaluation_rows, table_goals, table_series
    from utvardering.learning.text import (
        text_evaluations,
        text_goals,
        text_intro,
        text_monitoring,
        text_project_indicators,
    )
    from utvardering.summary.rules import Recommendation

    goals = [
        _goal("R1", "rus", "brp_per_inv", "fel_riktning"),
        _goal("R2", "rus", "brp_per_inv", "nas"),
        _goal("U1", "understrategi"),
        _goal("P1", "projekt"),
    ]
    rec = Recommendation("x", 1, "Gör något", "Text.", ("Målkedjan: en rad",), ("malkedja",),
                         "aterkoppling", "Nivå 3 (Namn): beskrivning")  # fmt: skip
    plan = _hand_plan(goals, project=[], recommendations=[rec], peers=("07", "12"))
    assert text_intro(plan).endswith("\n\nDet finns ingen känd lärandeplan för länet.")
    assert "Målkedjan har 2 RUS-mål, 1 mål i en understrategi och 1 projektmål; 2 av de 3 " in (
        text_goals(plan)
    )
    frame = table_goals(plan).frame
    assert list(frame["Nivå"]) == ["RUS-mål", "RUS-mål", "Mål i understrategi", "Projektmål"]
    assert list(frame["Senaste värde (år)"])[:2] == ["4,50 (2022)"] * 2
    assert frame["Indikator"].iloc[2] == "Ingen indikator"
    # one series for the indicator two goals share
    series = table_series(plan).frame
    assert list(series["Mål"]) == ["R1 och R2"] and list(series["Indikator"]) == [
        "BRP per invånare"
    ]
    assert text_project_indicators(plan) == (
        "Länets projekt har inga indikatorer med mål längs effektkedjorna."
    )
    assert evaluation_rows(plan)[0]["redovisas"] == "1 juli (Utvärdering)"
    text = text_evaluations(plan, "1 juli (Utvärdering)")
    assert "1. **Gör något.** Text.\n   *Underlag:* Målkedjan: en rad." in text
    assert "*Nästa nivå i mognadsmodellen:* Nivå 3 \\(Namn\\): beskrivning" in text
    assert "Länet har 1 rekommendation." in text
    assert "Länet jämförs med 2 län: Kronobergs län och Skåne län, som i målkedjan." in (
        text_monitoring(plan)
    )


def test_a_hand_made_plan_without_goals_or_effects():
    from utvardering.learning.text import (
        text_evaluations,
        text_goals,
        text_intro,
        text_monitoring,
        text_project_indicators,
        text_synthetic,
    )

    status = {**dict.fromkeys(SOURCES, "med"), "effekt": "misslyckad"}
    no_goals = _hand_plan(goals=[], project=None, synthetic=None, status=status)
    assert "Länet har inga mål i målkedjan." in text_goals(no_goals)
    assert "effektanalysens resultat saknas i körningen" in text_project_indicators(no_goals)
    assert text_synthetic(no_goals) == ""
    assert "**Det här saknas:** Effektanalysen (misslyckades)." in text_intro(no_goals)
    assert "Rekommendationsreglerna ger inga rekommendationer" in text_evaluations(no_goals, None)
    everyone = _hand_plan(peers=[c for c in LAN_CODES if c != "10"])
    assert "Länet jämförs med alla andra län (20), som i målkedjan" in text_monitoring(everyone)
    only_projects = _hand_plan(goals=[_goal("P1", "projekt")])
    assert "inget av målen är regionalt" in text_goals(only_projects)
    no_indicator = _hand_plan(goals=[_goal("R1", "rus")])
    assert "inget av de regionala målen har en indikator" in text_goals(no_indicator)
