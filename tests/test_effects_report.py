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
from utvardering.effects.figures import (
    plot_balance,
    plot_event_study,
    plot_overlap,
    report_figures,
)
from utvardering.effects.notes import Note, NoteCode
from utvardering.effects.parameters import EffectParameters
from utvardering.effects.report import (
    MIN_TREATED,
    _before_after,
    comparison_panel,
    effect_report,
    industry_dummies,
    results_payload,
)
from utvardering.effects.results import WarningCode
from utvardering.effects.text import justification, note_text, text_caveats, text_effect
from utvardering.errors import EstimationError, ParameterError
from utvardering.exempeldata.foretagspanel import planted_effect, simulate_firm_panel
from utvardering.figures import Figur
from utvardering.protocol import result_file, save_figures
from utvardering.results import write_results

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
        EffectParameters("07", "anstallda", "auto")
    )
    with pytest.raises(ParameterError, match=r"utfall.*'vinst'"):
        EffectParameters.check(lan_kod="07", utfall="vinst")
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
def report(simulated):
    return effect_report(simulated, "07", "anstallda", jamforelse="lan")


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


def test_payload_has_estimates_and_standard_errors_for_pooling(report, tmp_path):
    payload = results_payload(report)
    assert not {"rapport", "parametrar", "filer", "schemaversion"} & set(payload)
    path = write_results(tmp_path / "effekt.json", result_file("effekt", report.params, payload))
    back = json.loads(path.read_text(encoding="utf-8"))
    assert back["rapport"] == "effekt" and back["lan_kod"] == "07"
    assert back["utfall"] == "anstallda" and back["figurer"] == []  # built without figures
    main = next(r for r in back["skattningar"] if r["huvudskattning"])
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
    assert result.estimates == () and result.event_study is None
    assert "för få" in text_effect(result)
    assert [n.code for n in result.notes] == [NoteCode.TOO_FEW_TREATED]
    assert "för få för att skatta" in note_text(result.notes[0], result.region_name)
    assert "för få för att skatta" in text_caveats(result)
    figures = report_figures(result, shipped.effektkedjor, shipped.lan)
    assert "effekt_kedjor" in figures and "effekt_handelsestudie" not in figures


@pytest.mark.langsam
def test_report_figures_have_alt_text_and_are_saved(report, shipped, tmp_path):
    figures = report_figures(report, shipped.effektkedjor, shipped.lan)
    assert {"effekt_kedjor", "effekt_handelsestudie", "effekt_jamforelse"} <= set(figures)
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
    assert "Storlek före stödet" in figure.alt
    propensity = pd.DataFrame({"p": [0.1, 0.2, 0.3, 0.9], "stodd": [0, 0, 1, 1]})
    overlap = plot_overlap(propensity, region_name="Testlän")
    # medians 60 % and 15 %; both supported firms lie above the highest comparison firm (0.2)
    assert "60\u00a0% för de stödda och 15\u00a0%" in overlap.alt
    assert "2 stödda företag har högre sannolikhet" in overlap.alt


def test_the_text_layer_words_estimator_warnings_as_the_estimators_do():
    """The report shows an estimator's warning from its code and numbers; the words must be
    the estimator's own (few clusters, few treated units, few treated in staggered adoption)."""
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
        assert note_text(Note.of(message.code, **message.values), "X") == str(message)
