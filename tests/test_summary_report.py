"""The region summary: its numbers are those of the region reports' result files, a missing
report is named with its reason, and the page links to the reports.

The run folder is made here from real report builds: the four region reports of Kronoberg (07)
and Skåne (12) on the shipped data, each written as its result file only (the effect report for
one outcome, to keep it short). The fixture takes about half a minute: the tests that use it
are marked langsam. The other regions are not in the run, so the peers are
compared only where they are.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA

from utvardering.dataset import load_dataset
from utvardering.errors import ParameterError
from utvardering.protocol import result_file
from utvardering.registry import report_type
from utvardering.results import check_result, read_result, write_results
from utvardering.summary.facts import Facts
from utvardering.summary.figures import plot_maturity_profile
from utvardering.summary.parameters import SummaryParameters
from utvardering.summary.report import SummaryReport
from utvardering.summary.report_type import REPORT_TYPE
from utvardering.summary.text import (
    findings,
    key_figures,
    text_lead,
    text_missing,
    text_recommendations,
)

REGIONS = ("07", "12")
SOURCES = ("mognad", "tema", "effekt", "malkedja")
# Parameters of the source reports beyond lan_kod (the effect report: one outcome, faster).
EXTRA = {"effekt": {"utfall": "anstallda"}}
STEPS = {"prestation": "prestation", "kort": "kort_sikt", "medel": "medellang_sikt"}


def _write_result(report, folder: Path) -> None:
    """Write a report's result file alone (no figures, no workbook): what the summary reads.
    The thematic report's schema names its workbook, so that report writes its files."""
    folder.mkdir(parents=True, exist_ok=True)
    if report.TYPE_NAME == "tema":
        report.write(folder, data_dir=str(DATA))
        return
    path = folder / f"{report.TYPE_NAME}.json"
    data = result_file(
        report.TYPE_NAME,
        report.params,
        report.payload(),
        simulated=report.simulated_inputs,
        data_dir=str(DATA),
    )
    check_result(data, report.TYPE_NAME, path)
    write_results(path, data)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("korning")
    for name in SOURCES:
        kind = report_type(name)
        ds = load_dataset(DATA, kind.tables)
        for code in REGIONS:
            params = kind.parameters.check(lan_kod=code, **EXTRA.get(name, {}))
            _write_result(kind.build(ds, params), out / code)
    return out


@pytest.fixture(scope="module")
def summary_ds():
    return load_dataset(DATA, REPORT_TYPE.tables)


def _summary(ds, run: Path, code: str, **params) -> SummaryReport:
    return REPORT_TYPE.build(
        ds, SummaryParameters.check(lan_kod=code, korning_dir=str(run), **params)
    )


def _source(run: Path, code: str, report: str) -> dict:
    return json.loads((run / code / f"{report}.json").read_text("utf-8"))


def _expected(run: Path, code: str, figure_id: str):
    """The key figure's number, read straight from the source report's result file."""
    if figure_id in ("trappstegsniva", "profilmedel"):
        return _source(run, code, "mognad")[figure_id]
    tema = _source(run, code, "tema")
    if figure_id == "belopp":
        return tema["totalt"]["belopp_sek"]
    if figure_id == "projekt":
        return tema["totalt"]["projekt_berorda"]
    if figure_id == "kr_per_invanare":
        return tema["totalt"]["kr_per_invanare"]
    effekt = _source(run, code, "effekt")
    if figure_id.startswith("andel_nar_malen_"):
        step = STEPS[figure_id.removeprefix("andel_nar_malen_")]
        rows = [r for r in effekt["maluppfyllelse"]["per_steg"] if r["steg"] == step]
        total = sum(r["n_med_utfall"] for r in rows)
        return sum(r["n_nar_malen"] for r in rows) / total if total else None
    if figure_id.startswith("effekt_"):
        outcome = figure_id.removeprefix("effekt_")
        (main,) = [
            s for s in effekt["skattningar"] if s["utfall"] == outcome and s["huvudskattning"]
        ]
        return main["estimate"]
    if figure_id == "rus_pa_vag":
        status = _source(run, code, "malkedja")["status_rus"]
        return status["nas"] + status["ratt_riktning"]
    raise AssertionError(f"no source known for key figure {figure_id}")


@pytest.mark.langsam
@pytest.mark.parametrize("code", REGIONS)
def test_the_key_figures_are_the_numbers_of_the_source_files(summary_ds, run_dir, code, tmp_path):
    report = _summary(summary_ds, run_dir, code)
    files = report.write(tmp_path, data_dir=str(DATA))
    assert files == {
        "profil": "sammanfattning_profil.png",
        "excel": "sammanfattning.xlsx",
        "json": "sammanfattning.json",
    }
    assert (tmp_path / "sammanfattning_profil.png").read_bytes()[:4] == b"\x89PNG"
    result = read_result(tmp_path / "sammanfattning.json", "sammanfattning")  # schema-checked
    assert result["rapporter"] == dict.fromkeys(SOURCES, "med")
    assert result["saknade_rapporter"] == []
    figures = result["nyckeltal"]
    assert {f["rapport"] for f in figures} == set(SOURCES)
    assert "effekt_anstallda" in {f["id"] for f in figures}
    for fig in figures:
        expected = _expected(run_dir, code, fig["id"])
        assert fig["varde"] == pytest.approx(expected), fig["id"]
    # the workbook holds the same numbers, raw
    sheet = pd.read_excel(tmp_path / "sammanfattning.xlsx", sheet_name="nyckeltal")
    assert list(sheet["id"]) == [f["id"] for f in figures]
    # the recommendations are the rules' on the same facts
    assert [r["id"] for r in result["rekommendationer"]] == [r.id for r in report.recommendations]


@pytest.mark.langsam
def test_the_page_links_each_figure_to_its_report_and_states_the_simulated_inputs(
    summary_ds, run_dir
):
    report = _summary(summary_ds, run_dir, "07")
    first = report.section("sammanfattning").snapshot_text()
    assert first.startswith("# Sammanfattning: Kronobergs län")
    assert "**Obs! Simulerade data.**" in first
    # the summary's simulated inputs are the source files' (the survey, the firm panel, …)
    tables = {s.tabell for s in report.simulated_inputs}
    assert {"enkatsvar", "foretagspanel"} <= tables
    text = "\n".join(s.snapshot_text() for s in report.sections())
    links = set(re.findall(r"\]\(([^)]*)\)", text))
    assert links <= {f"{r}.html" for r in (*SOURCES, "larandeplan")}
    assert {f"{r}.html" for r in SOURCES} <= links
    table = report.section("nyckeltal").snapshot_text()
    assert "**[Mognadsbedömning](mognad.html)**\n\n- Trappstegsnivå" in table
    assert "**[Effektanalys](effekt.html)**" in table
    assert table.index("(mognad.html)") < table.index("Trappstegsnivå") < table.index("(tema.html)")
    assert "- Projekt som berör länet: **28 projekt**\n" in table  # no comparison, no brackets
    assert report.section("saknas").empty  # nothing missing
    # 07's peers (06, 08, 09) are not in the run: no peer mean, no peer sentence
    assert report.facts.get("jamforelse.lan") == ["06", "08", "09"]
    assert report.facts.get("jamforelse.profilmedel_medel") is None


@pytest.fixture(scope="module")
def broken_run(run_dir, tmp_path_factory) -> Path:
    """The run with Skåne's effect file gone and Kronoberg's goal chain job failed."""
    out = tmp_path_factory.mktemp("trasig") / "korning"
    shutil.copytree(run_dir, out)
    (out / "12" / "effekt.json").unlink()
    (out / "07" / "malkedja.manifest.json").write_text(
        json.dumps({"status": "misslyckad"}), "utf-8"
    )
    return out


@pytest.mark.langsam
def test_a_region_missing_a_report_gets_the_summary_of_what_exists(summary_ds, broken_run):
    report = _summary(summary_ds, broken_run, "12")
    payload = report.payload()
    assert payload["rapporter"]["effekt"] == "saknas"
    assert [m["rapport"] for m in payload["saknade_rapporter"]] == ["effekt"]
    assert {f["rapport"] for f in payload["nyckeltal"]} == {"mognad", "tema", "malkedja"}
    lead = report.section("sammanfattning").snapshot_text()
    assert "Effektanalys saknas i körningen" in lead
    missing = report.section("saknas").snapshot_text()
    assert missing.startswith("## Rapporter som saknas")
    assert "Effektanalys har inte körts för länet i den här körningen." in missing
    assert "`utvardering kor --lan 12 --rapport effekt sammanfattning`" in missing
    # no recommendation rests on the missing report
    assert all("effekt" not in r.rapporter for r in report.recommendations)

    failed = _summary(summary_ds, broken_run, "07")
    assert failed.payload()["rapporter"]["malkedja"] == "misslyckad"
    text = failed.section("saknas").snapshot_text()
    assert "Målkedja misslyckades i körningen." in text
    assert "--lan 07 --rapport malkedja sammanfattning" in text


@pytest.mark.langsam
def test_a_file_of_another_round_is_missing_with_its_reason(summary_ds, run_dir):
    report = _summary(summary_ds, run_dir, "07", omgang=2023)
    assert report.payload()["rapporter"]["mognad"] == "andra_parametrar"
    text = report.section("saknas").snapshot_text()
    assert "Mognadsbedömning gjordes för omgång 2025, sammanfattningen gäller omgång 2023." in (
        text
    )
    assert "--rapport mognad sammanfattning -p omgang=2023" in text


def test_parameters_are_checked_in_swedish(tmp_path):
    with pytest.raises(ParameterError) as caught:
        SummaryParameters.check(
            lan_kod="99", korning_dir=str(tmp_path / "finns_inte"), omgang="2025x",
            finansiering="okand",
        )  # fmt: skip
    message = str(caught.value)
    assert "lan_kod" in message and "'99'" in message
    assert "korning_dir" in message and "finns_inte" in message
    assert "omgang" in message and "'2025x'" in message
    assert "'okand'" in message
    checked = SummaryParameters.check(lan_kod=7, korning_dir=str(tmp_path))
    assert (checked.lan_kod, checked.omgang, checked.finansiering) == ("07", 2025, "alla")


def test_the_report_type_reads_the_run():
    assert (REPORT_TYPE.name, REPORT_TYPE.title, REPORT_TYPE.level) == (
        "sammanfattning",
        "Sammanfattning",
        "region",
    )
    assert REPORT_TYPE.order == 0 and REPORT_TYPE.reads_run
    assert REPORT_TYPE.notebook == "sammanfattning.ipynb"
    assert dict(REPORT_TYPE.tables) == {
        "lan": "alla",
        "mognadsmodell": "alla",
        "effektkedjor": "alla",
    }


# --- the text on hand-made facts -------------------------------------------------------------


NAMES = {"06": "Jönköpings län", "08": "Kalmar län", "09": "Gotlands län"}


def _facts(values: dict, included=("mognad",), missing=None) -> Facts:
    values = {"jamforelse.lan": ["06", "08", "09"], "jamforelse.regel": "riksomrade", **values}
    missing = missing or {r: "saknas" for r in SOURCES if r not in included}
    return Facts("07", "Kronobergs län", values, {}, tuple(included), missing, ())


def _maturity(**extra) -> dict:
    dims = {"a": ("Återkoppling", 2.0, 3.0), "b": ("Samverkan", 2.0, 2.5), "c": ("Data", 3, 3)}
    values = {
        "mognad.profilmedel": 2.5,
        "mognad.profilmedel_forandring": 0.1,
        "mognad.foregaende_omgang": 2023,
        "mognad.svagaste_dimension": "a",
        "mognad.dimensioner": list(dims),
        "jamforelse.profilmedel_medel": 3.0,
        "jamforelse.profilmedel_skillnad": -0.5,
    }
    for d, (name, level, country) in dims.items():
        values |= {
            f"mognad.namn.{d}": name,
            f"mognad.niva.{d}": level,
            f"mognad.riket_median.{d}": country,
        }
    return values | extra


def test_a_profile_mean_far_from_the_peers_stands_out():
    found = findings(_facts(_maturity()), NAMES)
    assert found[0] == (
        "Profilmedlet i mognadsbedömningen, 2,5, ligger 0,5 nivåer under jämförelselänens "
        "medel (3,0; Jönköpings län, Kalmar län och Gotlands län)."
    )
    close = findings(_facts(_maturity(**{"jamforelse.profilmedel_skillnad": 0.2})), NAMES)
    assert not any("jämförelselänens" in s for s in close)


def test_the_weakest_dimensions_are_all_named_when_tied():
    found = findings(_facts(_maturity()), NAMES)
    assert (
        "De svagaste dimensionerna, på nivå 2,0, är Återkoppling (länens median 3,0) och "
        "Samverkan (länens median 2,5)." in found
    )
    single = _maturity(**{"mognad.niva.b": 2.5})
    assert (
        "Den svagaste dimensionen är Återkoppling på nivå 2,0, under länens median (3,0)."
        in findings(_facts(single), NAMES)
    )


def test_a_large_change_since_the_last_round_stands_out():
    found = findings(_facts(_maturity(**{"mognad.profilmedel_forandring": -0.4})), NAMES)
    assert "Profilmedlet har sjunkit med 0,4 nivåer sedan omgång 2023." in found


def test_money_per_inhabitant_stands_out_only_far_from_the_country():
    base = {
        "tema.kr_per_invanare": 500.0,
        "tema.riket_kr_per_invanare": 400.0,
        "tema.storsta_avvikelse": None,
    }
    near = _facts({**base, "tema.kr_per_invanare_kvot": 1.2}, included=("tema",))
    assert findings(near) == []
    far = _facts(
        {**base, "tema.kr_per_invanare": 600.0, "tema.kr_per_invanare_kvot": 1.5},
        included=("tema",),
    )
    assert [s.replace("\xa0", " ") for s in findings(far)] == [
        "Länet har beviljats 600 kr per invånare, 50 % mer än riket (400 kr)."
    ]


def test_stockholm_s_peers_are_every_other_region():
    facts = _facts(
        _maturity(**{"jamforelse.lan": [f"{i:02d}" for i in range(3, 26)]}),
    )
    facts = Facts(
        "01",
        "Stockholms län",
        {**facts.values, "jamforelse.regel": "alla"},
        {},
        facts.included,
        facts.missing,
        (),
    )
    assert "(3,0; alla andra län)" in findings(facts)[0]
    assert "jämförelselänen (alla andra län) och riket" in text_lead(facts, NAMES)


def test_no_report_at_all():
    facts = _facts({"jamforelse.lan": []}, included=())
    assert key_figures(facts) == []
    assert "ingen av dem finns i körningen" in text_lead(facts, NAMES)
    assert text_recommendations([], facts) == ""
    missing = text_missing(facts)
    assert "--rapport mognad tema effekt malkedja sammanfattning" in missing


def test_no_recommendation_says_so_and_links_the_learning_plan():
    text = text_recommendations([], _facts(_maturity()))
    assert "Ingen av rekommendationernas regler slår till" in text
    assert "[lärandeplanen](larandeplan.html)" in text


def test_a_region_without_goals_has_no_goal_number():
    facts = _facts({"malkedja.har_mal": False}, included=("malkedja",))
    (fig,) = key_figures(facts)
    assert (fig.id, fig.varde, fig.jamforelse) == (
        "rus_pa_vag",
        None,
        "länet har inga mål i målkedjan",
    )


def test_the_maturity_figure_has_swedish_alt_text_and_names_the_ties():
    figure = plot_maturity_profile(_facts(_maturity(**{"mognad.omgang": 2025})))
    assert figure.titel == "Mognad per dimension, Kronobergs län, omgång 2025"
    assert figure.alt == (
        "Liggande staplar: Kronobergs läns nivå i mognadsmodellens 3 dimensioner på skalan "
        "1–5, med länens median som ett streck. Högst: ”Data” (3,0); lägst: ”Återkoppling” och "
        "”Samverkan” (2,0). Länet ligger under länens median i 2 av 3 dimensioner."
    )
    assert plot_maturity_profile(_facts({}, included=("tema",))) is None


def test_an_estimate_of_grade_c_is_an_indication():
    main = {"utfall": "anstallda", "namn": "antal anställda", "metod": "IPW", "estimate": 0.2,
            "ci_low": -0.1, "ci_high": 0.5, "enhet": "anställda"}  # fmt: skip
    effect = {"effekt.huvudskattningar": [{**main, "evidensgrad": "C"}]}
    figures = {f.id: f for f in key_figures(_facts(effect, included=("effekt",)))}
    assert figures["effekt_anstallda"].namn.startswith("Skattning för antal anställda")
    assert figures["effekt_anstallda"].jamforelse == (
        "95 % osäkerhetsintervall −0,10 till 0,50; intervallet innehåller noll; evidensgrad C"
    )
    effect = {"effekt.huvudskattningar": [{**main, "evidensgrad": "A"}]}
    figures = {f.id: f for f in key_figures(_facts(effect, included=("effekt",)))}
    assert figures["effekt_anstallda"].namn == "Effekt på antal anställda"


def test_the_mean_of_a_partial_run_is_not_called_every_region():
    from utvardering.summary.text import key_figures

    def comparison(**extra) -> str:
        values = _maturity(**{"riket.profilmedel_medel": 2.6, "mognad.n_regioner": 21, **extra})
        figure = next(k for k in key_figures(_facts(values)) if k.id == "profilmedel")
        return figure.jamforelse

    assert "alla län 2,6" in comparison(**{"riket.n_lan_profilmedel": 21})
    assert "de 3 län i körningen 2,6" in comparison(**{"riket.n_lan_profilmedel": 3})
