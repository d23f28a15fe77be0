"""The effect report's composition, figures and text, on hand-made and simulated panels."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from utvardering.dataset import load_dataset
from utvardering.effects import EstimationWarning, did, staggered_did
from utvardering.effects.design import OUTCOMES, synthetic_fit
from utvardering.effects.evidence import Criterion, CriterionCode, Status, grade_evidence
from utvardering.effects.figures import (
    plot_balance,
    plot_event_study,
    plot_overlap,
    plot_synthetic_control,
    report_figures,
)
from utvardering.effects.notes import Note, NoteCode
from utvardering.effects.parameters import EffectParameters
from utvardering.effects.report import (
    MIN_TREATED,
    SyntheticComparison,
    _before_after,
    _tagged,
    comparison_firms,
    comparison_panel,
    effect_report,
    industry_dummies,
    results_payload,
)
from utvardering.effects.results import SyntheticControlResult, WarningCode
from utvardering.effects.text import (
    METHOD_NAMES,
    criterion_text,
    effect_verdict,
    justification,
    note_text,
    table_main_estimates,
    text_caveats,
    text_effect,
    text_effects_summary,
    text_synthetic_indicator,
    warning_texts,
)
from utvardering.errors import EstimationError, ParameterError
from utvardering.exempeldata.foretagspanel import planted_effect, simulate_firm_panel
from utvardering.figures import Figur
from utvardering.origin import SimulatedInput
from utvardering.protocol import result_file, save_figures
from utvardering.results import check_result, to_jsonable, write_results

ROOT = Path(__file__).resolve().parents[1]
TABLES = ["projekt", "projekt_lan", "projektindikatorer", "indikatorer", "lan", "effektkedjor"]


@pytest.fixture(scope="module")
def shipped():
    """The shipped data without the firm panel (each test brings its own panel)."""
    return load_dataset(ROOT / "data", TABLES)


def _panel(rows):
    """A firm panel from (firm, län, sni, first support or None, [outcomes by year 2010-])."""
    records = []
    for firm, lan, sni, first, values in rows:
        for k, value in enumerate(values):
            records.append(
                {
                    "foretag_id": firm,
                    "lan_kod": lan,
                    "sni": sni,
                    "ar": 2010 + k,
                    "anstallda": float(value),
                    "omsattning_tkr": 10.0 * value,
                    "foradlingsvarde_tkr": 5.0 * value,
                    "forsta_stodar": first,
                    "arende_id": None if first is None else "P",
                }
            )
    frame = pd.DataFrame(records)
    frame["forsta_stodar"] = frame["forsta_stodar"].astype("Int64")
    return frame


HAND = _panel(
    [
        ("T1", "07", "C", 2012, [1, 2, 5, 6]),  # before: mean(1, 2) = 1.5; after: 5.5
        ("T2", "07", "J", 2013, [2, 2, 2, 6]),  # before 2; after 6
        ("C1", "07", "C", None, [1, 1, 1, 1]),
        ("C2", "08", "J", None, [3, 3, 3, 3]),
        ("C3", "07", "C", None, [2, 2, 2]),  # not observed every year: left out
        ("T3", "08", "C", 2012, [1, 1, 1, 1]),  # supported in another län: left out
    ]
)


def test_parameters_are_checked_in_swedish():
    assert EffectParameters.check(lan_kod="07", utfall="anstallda", jamforelse="auto") == (
        EffectParameters("07", ("anstallda",), "auto", "alla")
    )
    with pytest.raises(ParameterError, match=r"utfall.*'vinst'"):
        EffectParameters.check(lan_kod="07", utfall="vinst")
    with pytest.raises(ParameterError, match=r"utfall.*'vinst'"):
        EffectParameters.check(utfall=["anstallda", "vinst"])
    with pytest.raises(ParameterError, match=r"finansiering.*'eu'"):
        EffectParameters.check(finansiering="eu")
    with pytest.raises(ParameterError, match="lan_kod"):
        EffectParameters.check(lan_kod=99)
    with pytest.raises(ParameterError, match="jamforelse"):
        EffectParameters.check(jamforelse="sverige")


def test_comparison_panel_from_the_country_keeps_the_regions_supported_firms():
    data, used, notes = comparison_panel(HAND, "07", "anstallda", jamforelse="riket")
    assert used == "riket" and notes == []
    assert sorted(data["foretag_id"].unique()) == ["C1", "C2", "T1", "T2"]
    t1 = data[data["foretag_id"] == "T1"].set_index("ar")
    assert t1["behandlad"].tolist() == [0, 0, 1, 1]
    assert t1["y"].tolist() == [1.0, 2.0, 5.0, 6.0]
    assert (data.loc[data["foretag_id"] == "C2", "forsta_stodar"] == 0).all()


def test_region_comparison_drops_supported_firms_without_a_comparison_firm_in_their_industry():
    data, used, notes = comparison_panel(HAND, "07", "anstallda", jamforelse="lan")
    assert used == "lan"
    assert sorted(data["foretag_id"].unique()) == ["C1", "T1"]  # T2 (J) has no J firm in 07
    assert notes[0].code == NoteCode.NO_COMPARISON_FIRMS
    assert "bransch J" in note_text(notes[0], "Kronobergs län")


def test_auto_falls_back_to_the_country_and_says_so():
    _, used, notes = comparison_panel(HAND, "07", "anstallda")
    assert used == "riket"
    assert notes[0].code == NoteCode.COUNTRY_COMPARISON and notes[0]["industries"] == ("C", "J")
    assert "hela landet" in note_text(notes[0], "X") and "C och J" in note_text(notes[0], "X")


def test_naive_before_after_is_the_mean_of_the_firms_changes():
    data, _, _ = comparison_panel(HAND, "07", "anstallda", jamforelse="riket")
    result = _before_after(data)
    # T1: 5.5 - 1.5 = 4; T2: 6 - 2 = 4 -> mean 4, sd 0
    assert result.estimate == pytest.approx(4.0)
    assert result.std_error == pytest.approx(0.0)
    assert (result.n_clusters, result.n_obs) == (2, 8)


def test_industry_dummies_leave_out_the_largest_industry():
    data, _, _ = comparison_panel(HAND, "07", "anstallda", jamforelse="riket")
    out, names = industry_dummies(data)
    # control firms: C1 (C), C2 (J); ties go to the first in value_counts order
    assert len(names) == 1 and names[0] in ("sni_C", "sni_J")
    assert set(out[names[0]].unique()) == {0.0, 1.0}


@pytest.fixture(scope="module")
def simulated(shipped):
    """The shipped tables with a simulated panel of 3000 firms in Kronoberg and Kalmar."""
    links = shipped.projekt_lan
    whole = links[(links["andel"] == 1.0) & links["lan_kod"].isin(["07", "08"])]
    projects = shipped.projekt[shipped.projekt["arende_id"].isin(whole["arende_id"])]
    population = pd.Series({"07": 1.0, "08": 1.0})
    panel = simulate_firm_panel(
        projects, whole, population, np.random.default_rng(11), n_firms=3000
    )
    panel["forsta_stodar"] = panel["forsta_stodar"].astype("Int64")
    return dataclasses.replace(shipped, foretagspanel=panel)


@pytest.fixture(scope="module")
def full(simulated):
    """Every outcome in one run (the default)."""
    return effect_report(simulated, "07", jamforelse="lan")


@pytest.fixture(scope="module")
def report(full):
    """The estimates for the number of employees."""
    return full.effect("anstallda")


def test_main_estimate_recovers_the_planted_effect(report):
    main = report.main_estimate
    assert main is not None and main.method == "staggered_did"
    events = report.event_study
    post = events.loc[events["event_time"] >= 0, "event_time"]
    truth = float(np.mean(planted_effect("anstallda", post.to_numpy())))
    est = main.result
    assert abs(est.estimate - truth) < 3 * est.std_error
    assert est.conf_int[0] < est.estimate < est.conf_int[1]
    assert report.n_supported > 100 and report.comparison == "lan"
    assert main.evidence.grade in ("A", "B")
    # the pre-periods of the event study are flat
    pre = events[events["event_time"] < 0]
    assert (pre["att"].abs() < 4 * pre["se"] + 1e-9).all()


def test_every_estimate_has_a_grade_and_naive_ones_are_c(report):
    methods = {e.method: e for e in report.estimates}
    assert {"staggered_did", "twfe_naiv", "fore_efter_naiv"} <= set(methods)
    assert methods["twfe_naiv"].evidence.grade == "C"
    assert methods["fore_efter_naiv"].evidence.grade == "C"
    for e in report.estimates:
        assert justification(e.evidence, e.method).startswith(f"Evidensgrad {e.evidence.grade}.")


def test_payload_has_estimates_and_standard_errors_for_pooling(full, report, tmp_path):
    payload = results_payload(full)
    assert not {"rapport", "parametrar", "filer", "schemaversion"} & set(payload)
    result = result_file("effekt", full.params, payload)
    check_result(to_jsonable(result), "effekt", tmp_path / "effekt.json")
    path = write_results(tmp_path / "effekt.json", result)
    back = json.loads(path.read_text(encoding="utf-8"))
    assert back["rapport"] == "effekt" and back["lan_kod"] == "07"
    assert back["utfall"] == list(OUTCOMES) and back["finansiering"] == "alla"
    assert back["parametrar"]["utfall"] == list(OUTCOMES)
    assert back["figurer"] == []  # built without figures
    assert "handelsestudie" not in back and "fortrend_p" not in back
    # one main estimate per outcome, every outcome's rows in skattningar
    mains = {r["utfall"]: r for r in back["skattningar"] if r["huvudskattning"]}
    assert set(mains) == set(OUTCOMES)
    assert {r["utfall"] for r in back["skattningar"]} == set(OUTCOMES)
    per = {row["utfall"]: row for row in back["per_utfall"]}
    assert [row["utfall"] for row in back["per_utfall"]] == list(OUTCOMES)
    assert per["omsattning_tkr"]["enhet"] == "tkr" and per["anstallda"]["namn"] == "antal anställda"
    assert per["anstallda"]["n_stodda_foretag"] == back["n_stodda_foretag"]
    assert per["anstallda"]["fortrend_p"] == pytest.approx(report.pretrend_p)
    assert len(per["anstallda"]["handelsestudie"]) == len(report.event_study)
    main = mains["anstallda"]
    assert main["metod"] == "staggered_did"
    assert main["estimate"] == pytest.approx(report.main_estimate.result.estimate)
    assert main["std_error"] > 0 and main["ci_low"] < main["estimate"] < main["ci_high"]
    assert main["evidensgrad"] in ("A", "B", "C")
    assert len(back["maluppfyllelse"]["per_steg"]) == 12


@pytest.mark.langsam
def test_a_region_with_too_few_supported_firms_says_so(simulated, shipped):
    panel = simulated.foretagspanel
    years = panel.groupby("foretag_id")["ar"].count()
    firms = panel.drop_duplicates("foretag_id").set_index("foretag_id")
    firms = firms[years == years.max()].reset_index()  # the report uses firms seen every year
    supported_07 = firms.loc[(firms["lan_kod"] == "07") & firms["forsta_stodar"].notna()]
    drop = supported_07["foretag_id"].iloc[MIN_TREATED - 1 :]
    few = dataclasses.replace(simulated, foretagspanel=panel[~panel["foretag_id"].isin(drop)])
    result = effect_report(few, "07", "anstallda")
    assert result.too_few_supported and result.n_supported == MIN_TREATED - 1
    (item,) = result.effects
    assert item.estimates == () and item.event_study is None
    assert "för få" in text_effect(item) and "för få" in text_effects_summary(result)
    assert [n.code for n in result.notes] == [NoteCode.TOO_FEW_TREATED]
    assert "för få för att skatta" in note_text(result.notes[0], result.region_name)
    assert "för få för att skatta" in text_caveats(result)
    figures = report_figures(result, shipped.effektkedjor, shipped.lan)
    assert "effekt_kedjor" in figures and "effekt_handelsestudie_anstallda" not in figures


@pytest.mark.langsam
def test_report_figures_have_alt_text_and_are_saved(full, shipped, tmp_path):
    figures = report_figures(full, shipped.effektkedjor, shipped.lan)
    for outcome in OUTCOMES:
        assert {f"effekt_handelsestudie_{outcome}", f"effekt_jamforelse_{outcome}"} <= set(figures)
    assert "effekt_kedjor" in figures
    for figure in figures.values():
        assert isinstance(figure, Figur) and len(figure.alt) > 80
    names = save_figures(figures, tmp_path).values()
    assert all((tmp_path / n).read_bytes()[:4] == b"\x89PNG" for n in names)
    assert "Kronoberg" in figures["effekt_kedjor"].alt


def test_event_study_figure_alt_text_gives_the_range_and_the_test():
    events = pd.DataFrame(
        {
            "event_time": [-2, -1, 0, 1],
            "att": [0.01, -0.02, 0.3, 0.6],
            "se": [0.05] * 4,
            "ci_low": [-0.09, -0.12, 0.2, 0.5],
            "ci_high": [0.11, 0.08, 0.4, 0.7],
        }
    )
    figure = plot_event_study(
        events,
        outcome_name="antal anställda",
        unit="anställda",
        region_name="Testlän",
        pretrend_p=0.42,
    )
    assert "mellan 0,30 och 0,60 anställda" in figure.alt
    assert "p = 0,42" in figure.alt


def test_balance_and_overlap_figures_describe_the_groups():
    balance = pd.DataFrame(
        {
            "variabel": ["log_storlek_fore", "C(sni)[T.J]"],
            "smd_fore": [0.8, 0.3],
            "smd_efter": [0.02, -0.05],
        }
    )
    figure = plot_balance(balance, region_name="Testlän")
    assert "0,80" in figure.alt and "0,05" in figure.alt
    assert "för storleken före stödet" in figure.alt
    propensity = pd.DataFrame({"p": [0.1, 0.2, 0.3, 0.9], "stodd": [0, 0, 1, 1]})
    overlap = plot_overlap(propensity, region_name="Testlän")
    # medians 60 % and 15 %; both supported firms lie above the highest comparison firm (0.2)
    assert "60\u00a0% för de stödda och 15\u00a0%" in overlap.alt
    assert "2 stödda företag har högre sannolikhet" in overlap.alt


def test_the_text_layer_words_estimator_warnings_for_readers():
    """The report shows an estimator's warning from its code and numbers, in the report's
    words: firms rather than clusters or column names, no code quoted."""
    data, _, _ = comparison_panel(HAND, "07", "anstallda", jamforelse="riket")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        did(data, "y", "behandlad", "foretag_id", "ar")
        with contextlib.suppress(EstimationError):
            staggered_did(data, "y", "foretag_id", "ar", "forsta_stodar")
    shown = [w.message for w in caught if isinstance(w.message, EstimationWarning)]
    codes = {m.code for m in shown}
    assert {WarningCode.FEW_CLUSTERS, WarningCode.FEW_TREATED} <= codes
    for message in shown:
        words = note_text(Note.of(message.code, **message.values), "X")
        assert "foretag_id" not in words and "'" not in words and "kluster i" not in words
        assert "företag" in words or "observationer" in words


def test_extreme_scores_and_counts_are_worded_in_plain_swedish():
    note = Note.of(WarningCode.EXTREME_PROPENSITY, n=1, limit=0.01)
    words = note_text(_tagged(note, outcome="foradlingsvarde_tkr"), "X")
    assert words.startswith("Förädlingsvärde (tkr): 1 företag har en skattad sannolikhet att få")
    assert "1\u00a0%" in words and "99\u00a0%" in words
    assert "propensitet" not in words and "0.01" not in words
    criterion = Criterion(CriterionCode.WARNINGS, Status.WEAK, 1)
    assert criterion_text(criterion) == "skattningen gav 1 varning"
    assert criterion_text(Criterion(CriterionCode.WARNINGS, Status.WEAK, 3)).endswith("3 varningar")
    names = " ".join(METHOD_NAMES.values())
    assert "förskjutet införande" in names and "fasta effekter" in names
    assert "fixa" not in names and "förskjuten" not in names


def test_every_outcome_in_one_run_shares_the_comparison_firms(full, simulated):
    assert full.outcomes == tuple(OUTCOMES)
    single = effect_report(simulated, "07", "omsattning_tkr", jamforelse="lan")
    assert single.outcomes == ("omsattning_tkr",)
    one, three = single.effect("omsattning_tkr"), full.effect("omsattning_tkr")
    assert one.main_estimate.result.estimate == pytest.approx(
        three.main_estimate.result.estimate, rel=1e-12
    )
    assert all(e.n_supported == full.n_supported for e in full.effects)
    assert len({id(e.supported_by_industry) for e in full.effects}) == 1  # made once
    summary = table_main_estimates(full)
    assert summary["Utfall"].tolist() == [
        "Antal anställda",
        "Omsättning (tkr)",
        "Förädlingsvärde (tkr)",
    ]
    blocks = full.section("effekt").snapshot_text()
    for heading in ("### Antal anställda", "### Omsättning (tkr)", "### Förädlingsvärde (tkr)"):
        assert heading in blocks
    assert blocks.index("[Tabell]") < blocks.index("### Antal anställda")  # summary first
    assert blocks.count("Så sätts evidensgraden") == 1
    assert full.section("maluppfyllelse").snapshot_text().count("## 1.") == 1


def test_the_verdict_follows_the_grade_and_the_interval(report):
    main = report.main_estimate
    assert effect_verdict(report) == "Effekt (ökning)"
    graded_c = dataclasses.replace(main, evidence=dataclasses.replace(main.evidence, grade="C"))
    item = dataclasses.replace(report, estimates=(graded_c,))
    assert effect_verdict(item) == "Indikation på ökning"
    assert "indikation, inte en säkerställd effekt" in text_effect(item)
    wide = dataclasses.replace(main.result, conf_int=(-1.0, 2.0))
    item = dataclasses.replace(report, estimates=(dataclasses.replace(main, result=wide),))
    assert effect_verdict(item) == "Kan inte skiljas från noll"
    assert "vi kan inte skilja effekten från noll" in text_effect(item)
    assert "ökade" not in text_effect(item).split("\n")[0]


@pytest.fixture(scope="module")
def funded(simulated):
    """The simulated data with the projects spread over the three funding sources; of the
    two projects with supported firms in Kronoberg, one is funded by ERUF alone and one by
    appropriation 1:1 alone."""
    projekt = simulated.projekt.copy()
    sources = ["ERUF", "Anslag 1:1", "ERUF och anslag 1:1"]
    projekt["finansieringskalla"] = [sources[k % 3] for k in range(len(projekt))]
    firms = simulated.foretagspanel.drop_duplicates("foretag_id")
    supported = firms[(firms["lan_kod"] == "07") & firms["forsta_stodar"].notna()]
    eruf, anslag = sorted(set(supported["arende_id"]))[:2]
    projekt.loc[projekt["arende_id"] == eruf, "finansieringskalla"] = "ERUF"
    projekt.loc[projekt["arende_id"] == anslag, "finansieringskalla"] = "Anslag 1:1"
    return dataclasses.replace(simulated, projekt=projekt)


def test_anslag_1_1_selects_exactly_its_projects_and_their_firms(funded):
    result = effect_report(funded, "07", "anstallda", jamforelse="lan", finansiering="anslag_1_1")
    sources = funded.projekt.set_index("arende_id")["finansieringskalla"]
    wanted = set(sources.index[sources.isin(["Anslag 1:1", "ERUF och anslag 1:1"])])
    assert wanted and wanted != set(sources.index)
    in_region = set(funded.projekt_lan.loc[funded.projekt_lan["lan_kod"] == "07", "arende_id"])
    with_indicators = set(funded.projektindikatorer["arende_id"])
    assert set(result.attainment.indicators["arende_id"]) == wanted & in_region & with_indicators
    # the supported firms are exactly those whose project is in the scope
    data, _, _, outside = comparison_firms(
        funded.foretagspanel, "07", jamforelse="lan", projects=wanted
    )
    panel = funded.foretagspanel.drop_duplicates("foretag_id").set_index("foretag_id")
    supported = set(data.loc[data["stodd"] == 1, "foretag_id"])
    assert supported and set(panel.loc[list(supported), "arende_id"]) <= wanted
    everyone, _, _, _ = comparison_firms(funded.foretagspanel, "07", jamforelse="lan")
    all_supported = set(everyone.loc[everyone["stodd"] == 1, "foretag_id"])
    left_out = all_supported - supported
    assert left_out and set(panel.loc[list(left_out), "arende_id"]).isdisjoint(wanted)
    assert outside == result.n_outside_scope == len(left_out)
    # the comparison firms stay the never-supported ones
    controls = set(data.loc[data["stodd"] == 0, "foretag_id"])
    assert controls == set(everyone.loc[everyone["stodd"] == 0, "foretag_id"])
    assert result.n_supported == len(supported)
    payload = results_payload(result)
    assert payload["finansiering"] == "anslag_1_1" and result.params.finansiering == "anslag_1_1"
    intro = result.section("inledning").snapshot_text()
    assert "bara projekt som finansieras av anslag 1:1" in intro
    assert f"{len(left_out)} företag i Kronobergs län har fått stöd genom andra projekt" in intro
    eruf = effect_report(funded, "07", "anstallda", jamforelse="lan", finansiering="eruf")
    assert "Regionala utvecklingsfonden (ERUF)" in eruf.section("inledning").snapshot_text()
    whole = effect_report(funded, "07", "anstallda", jamforelse="lan")
    assert "alla projekt, oavsett finansieringskälla" in whole.section("inledning").snapshot_text()
    assert whole.n_outside_scope == 0


def test_simulated_panel_sentences_follow_the_data_origin(report, full):
    real = full  # built by effect_report, not through the registry: no simulated inputs
    assert real.simulated_inputs == ()
    for name in ("inledning", "forbehall"):
        words = real.section(name).snapshot_text()
        assert "simulerad" not in words and "inplanterad" not in words
    simulated = dataclasses.replace(full)
    object.__setattr__(
        simulated,
        "simulated_inputs",
        (SimulatedInput("foretagspanel", "företagspanelen (med en inplanterad effekt)"),),
    )
    assert "inplanterad effekt" in simulated.section("forbehall").snapshot_text()
    assert "Företagspanelen är simulerad" in simulated.section("inledning").snapshot_text()
    other = dataclasses.replace(full)
    object.__setattr__(
        other, "simulated_inputs", (SimulatedInput("projektindikatorer", "indikatorerna"),)
    )
    assert "inplanterad" not in other.section("forbehall").snapshot_text()
    assert "Företagspanelen är simulerad" not in other.section("inledning").snapshot_text()


def _synthetic(att: float, pre_rmspe: float, level: float, p: float = 0.57):
    years = np.arange(2000, 2022)
    data = pd.DataFrame({"ar": years, "lan": level, "syntetisk": level})
    result = SyntheticControlResult(
        treated_unit="25",
        treatment_time=2014,
        weights=pd.Series({"24": 0.77, "01": 0.23}, name="vikt"),
        treated=pd.Series(level, index=years),
        synthetic=pd.Series(level, index=years),
        gap=pd.Series(0.0, index=years),
        att=att,
        pre_rmspe=pre_rmspe,
        post_rmspe=abs(att),
        placebo_ratios=pd.Series(np.ones(21)),
        placebo_p_value=p,
    )
    return SyntheticComparison(
        "brp_per_inv", "BRP per invånare", result, data, grade_evidence("svag")
    )


@pytest.mark.parametrize(
    ("att", "pre", "level", "fit"),
    [
        (27046.0, 23629.0, 340000.0, "dalig_anpassning"),  # 7 % of the level
        (7235.0, 4006.0, 400000.0, "liten_skillnad"),  # gap under twice the misfit
        (10000.0, 4000.0, 400000.0, "god"),
        (-10000.0, 4000.0, 400000.0, "god"),
        (float("nan"), 4000.0, 400000.0, "dalig_anpassning"),
    ],
)
def test_the_synthetic_comparison_is_read_only_when_it_fits(att, pre, level, fit):
    assert synthetic_fit(att, pre, level) == fit


def test_the_synthetic_comparison_says_its_numbers_with_unit_direction_and_rule():
    poor = text_synthetic_indicator(_synthetic(27046.0, 23629.0, 340000.0), "Norrbottens län")
    assert "i genomsnitt 27\u00a0046 kr per invånare högre än i den syntetiska" in poor
    assert "typiska avvikelsen mellan dem 23\u00a0629 kr per invånare" in poor
    assert "roten ur medelvärdet av de kvadrerade" in poor
    assert "**Jämförelsen säger inget om** hur BRP per invånare" in poor
    assert "I 12 av dem (57\u00a0%, Norrbottens län inräknat)" in poor
    lower = text_synthetic_indicator(_synthetic(-10000.0, 4000.0, 400000.0), "X")
    assert "10\u00a0000 kr per invånare lägre än" in lower and "säger inget" not in lower
    assert "en skillnad, inte projektens effekt" in lower
    figure = plot_synthetic_control(
        _synthetic(27046.0, 23629.0, 340000.0), region_name="Norrbottens län", treatment_year=2014
    )
    assert "27\u00a0046 kr per invånare över jämförelseregionen" in figure.alt
    assert "negativt" not in figure.alt and "säger inget om länets utveckling" in figure.alt
    below = plot_synthetic_control(
        _synthetic(-10000.0, 4000.0, 400000.0), region_name="X", treatment_year=2014
    )
    assert "10\u00a0000 kr per invånare under jämförelseregionen" in below.alt


def test_a_warning_shared_by_outcomes_is_said_once(full):
    note = Note.of(WarningCode.EXTREME_PROPENSITY, n=13, limit=0.01)
    two = dataclasses.replace(
        full,
        notes=(
            _tagged(note, outcome="omsattning_tkr"),
            _tagged(note, outcome="foradlingsvarde_tkr"),
            _tagged(Note.of(WarningCode.EXTREME_PROPENSITY, n=18, limit=0.01), outcome="anstallda"),
        ),
    )
    texts = warning_texts(two)
    assert len(texts) == 2
    assert texts[0].startswith("Omsättning (tkr) och förädlingsvärde (tkr): 13 företag har")
    assert texts[1].startswith("Antal anställda: 18 företag har")
    every = dataclasses.replace(full, notes=tuple(_tagged(note, outcome=o) for o in OUTCOMES))
    assert warning_texts(every) == [
        "Alla utfall: 13 företag har en skattad sannolikhet att få stöd under 1\u00a0% eller "
        "över 99\u00a0%. Det finns då få jämförbara företag, och enskilda företag kan få mycket "
        "stor vikt."
    ]
    assert results_payload(every)["varningar"] == warning_texts(every)
