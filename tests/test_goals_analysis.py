"""The goal chain analysis: status rules on series computed by hand, and the links on a fixture."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from utvardering.dataset import Dataset, load_dataset
from utvardering.errors import ParameterError
from utvardering.goals.analysis import (
    CONTRIBUTION_COLUMNS,
    GOAL_COLUMNS,
    PEER_COLUMNS,
    STAGE_IDS,
    STATUS_LABELS,
    SUMMARY_COLUMNS,
    analyse,
    project_status,
    regional_status,
)

NAN = np.nan


@pytest.fixture(scope="module")
def chain_model():
    return load_dataset("data", ["effektkedjor"]).effektkedjor


def _interval(years, values, x0, level=0.8):
    """Fitted value and prediction interval at x0 from the textbook formulas."""
    x, y = np.asarray(years, dtype=float), np.asarray(values, dtype=float)
    n, xbar = len(x), x.mean()
    sxx = ((x - xbar) ** 2).sum()
    slope = ((x - xbar) * (y - y.mean())).sum() / sxx
    fitted = y.mean() + slope * (x0 - xbar)
    s2 = ((y - (y.mean() + slope * (x - xbar))) ** 2).sum() / (n - 2)
    se = math.sqrt(s2) * math.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / sxx)
    t = stats.t.ppf(1 - (1 - level) / 2, n - 2)
    return fitted, fitted - t * se, fitted + t * se


# --- the status rule of regional goals -----------------------------------------------------------

YEARS = [2016, 2017, 2018, 2019]
VALUES = [10.0, 10.4, 11.5, 11.9]
SERIES = pd.Series(VALUES, index=YEARS)


def test_the_hand_computed_interval_of_the_fixture_series():
    # x̄ = 2017.5, Sxx = 5, Sxy = 3.4: slope 0.68; fitted 2022 = 10.95 + 0.68 * 4.5 = 14.01.
    # Residuals 0.07, -0.21, 0.21, -0.07: SSR = 0.098, s² = 0.049.
    fitted, low, high = _interval(YEARS, VALUES, 2022)
    se = math.sqrt(0.049) * math.sqrt(1 + 1 / 4 + 4.5**2 / 5)
    t = stats.t.ppf(0.9, 2)
    assert fitted == pytest.approx(14.01)
    assert (low, high) == pytest.approx((14.01 - t * se, 14.01 + t * se))


@pytest.mark.parametrize("riktning", ["oka", "minska"])
def test_target_against_the_80_percent_interval(riktning):
    _, low, high = _interval(YEARS, VALUES, 2022)
    below, inside, above = low - 0.01, (low + high) / 2, high + 0.01
    expected = {
        "oka": {below: "nas", inside: "osakert", above: "nas_inte"},
        "minska": {below: "nas_inte", inside: "osakert", above: "nas"},
    }[riktning]
    for target, status in expected.items():
        got, reason, forecast = regional_status(
            SERIES, riktning=riktning, malar=2022, malvarde=target
        )
        assert got == status, (target, reason)
        assert forecast.at(2022)[1:] == pytest.approx((low, high))
        assert "80 % osäkerhetsintervall för 2022" in reason


def test_reasons_name_the_interval_with_a_decimal_comma():
    status, reason, _ = regional_status(SERIES, riktning="oka", malar=2022, malvarde=14)
    assert status == "osakert"
    assert reason == (
        "prognosens 80 % osäkerhetsintervall för 2022 (13,0 till 15,0) innehåller målvärdet 14"
    )
    status, reason, _ = regional_status(SERIES, riktning="oka", malar=2022, malvarde=12.5)
    assert status == "nas"
    assert reason.endswith("ligger helt över målvärdet 12,5")


def test_without_target_value_the_trend_direction_decides():
    rising = pd.Series([1.0, 2.0, 2.9, 4.2, 5.0], index=range(2015, 2020))
    falling = -rising
    flat = pd.Series([5.0, 6.0, 4.0, 6.0, 5.0], index=range(2015, 2020))
    assert regional_status(rising, riktning="oka", malar=2030)[0] == "ratt_riktning"
    assert regional_status(rising, riktning="minska")[0] == "fel_riktning"
    assert regional_status(falling, riktning="minska")[0] == "ratt_riktning"
    assert regional_status(falling, riktning="oka")[0] == "fel_riktning"
    status, reason, forecast = regional_status(flat, riktning="oka", enhet="kr")
    assert status == "oklar_riktning"
    assert forecast.slope_lower80 < 0 < forecast.slope_upper80
    # Slope 0; s² = 2.8 / 3, se = sqrt(s² / 10), t(0.9, 3) · se = 0.50.
    assert reason == (
        "målet har inget målvärde; trenden 2015–2019 är 0,00 kr per år "
        "(80 % osäkerhetsintervall −0,50 till 0,50), och intervallet innehåller noll"
    )
    # A target value without a target year: the trend too.
    status, reason, _ = regional_status(rising, riktning="oka", malvarde=10)
    assert status == "ratt_riktning"
    assert reason.startswith("målet har inget målår")


def test_a_passed_target_year_is_judged_on_its_observed_value():
    series = pd.Series([100.0, 104, 109, 112, 118, 121], index=range(2014, 2020))
    status, reason, forecast = regional_status(series, riktning="oka", malar=2018, malvarde=120)
    assert (status, reason) == ("nas_inte", "utfallet 2018 (118) når inte målvärdet 120")
    assert forecast.years == (2019,)  # the trend, but no forecast back to the target year
    assert regional_status(series, riktning="oka", malar=2018, malvarde=118)[0] == "nas"
    assert regional_status(series, riktning="minska", malar=2018, malvarde=120)[0] == "nas"
    # No value in the target year: the trend's interval at that year decides.
    gap = series.drop(2018)
    status, reason, forecast = regional_status(gap, riktning="oka", malar=2018, malvarde=200)
    assert status == "nas_inte"
    assert reason.startswith("utfall för 2018 saknas; prognosens 80 % osäkerhetsintervall")
    fitted, low, high = _interval(list(gap.index), list(gap), 2018)
    assert forecast.at(2018) == pytest.approx((fitted, low, high))


def test_too_short_series_and_no_indicator_lack_data():
    status, reason, forecast = regional_status(
        pd.Series([26.3, 25.0], index=[2018, 2019]), riktning="oka", malar=2025, malvarde=30
    )
    assert (status, forecast) == ("saknar_data", None)
    assert reason == "serien har bara 2 värden (2018–2019), minst 3 behövs för en prognos"
    status, reason, _ = regional_status(pd.Series([1.0], index=[2020]), riktning="oka")
    assert reason == "serien har bara 1 värde (2020), minst 3 behövs för en prognos"
    assert regional_status(None, riktning="oka", has_indicator=False) == (
        "saknar_data",
        "målet har ingen indikator ännu",
        None,
    )
    assert regional_status(pd.Series(dtype=float), riktning="oka")[0] == "saknar_data"


# --- the status rule of project goals -------------------------------------------------------------


def _outcome(status, utfall, malvarde=10.0, enhet="antal", rapport="slutrapport"):
    return {
        "status": status,
        "utfall": utfall,
        "malvarde": malvarde,
        "enhet": enhet,
        "rapport": rapport,
        "datum": pd.Timestamp("2020-06-30"),
    }


def test_project_goal_status():
    assert project_status(_outcome("slutlig", 12.0))[:2] == (
        "nas",
        "slutrapporten (2020) visar 12 mot målvärdet 10",
    )
    assert project_status(_outcome("slutlig", 8.0))[0] == "nas_inte"
    ongoing = _outcome("pagaende", 8.0, rapport="lagesrapport")
    assert project_status(ongoing)[:2] == (
        "osakert",
        "senaste lägesrapporten (2020) visar 8 mot målvärdet 10; projektet pågår",
    )
    assert project_status(_outcome("pagaende", 11.0, rapport="lagesrapport"))[0] == "nas"
    # The goal's own target value goes before the project's.
    assert project_status(_outcome("slutlig", 12.0), malvarde=15)[::2] == ("nas_inte", 15.0)
    # Index units: attainment counts from 100 (a target of 110 and 105 is half-way).
    index = _outcome("slutlig", 105.0, malvarde=110.0, enhet="index")
    assert project_status(index)[0] == "nas_inte"
    percent = _outcome("slutlig", 45.5, malvarde=60.0, enhet="procent")
    assert (
        project_status(percent)[1]
        == "slutrapporten (2020) visar 45,5\u00a0% mot målvärdet 60\u00a0%"
    )
    money = _outcome("slutlig", 1_260_000.0, malvarde=2_000_000.0, enhet="kr")
    assert project_status(money)[1].endswith("visar 1,3\u00a0mnkr mot målvärdet 2,0\u00a0mnkr")
    # A goal to decrease is reached at or below the target.
    assert project_status(_outcome("slutlig", 8.0), riktning="minska")[0] == "nas"


@pytest.mark.parametrize(
    ("outcome", "kwargs", "reason"),
    [
        (None, {"has_project": False}, "inte kopplat till något projekt"),
        (None, {"has_indicator": False}, "ingen indikator"),
        (None, {}, "rapporterar inte indikatorn"),
        (_outcome("saknas", NAN), {}, "slutrapporten saknar utfall"),
        (_outcome("ej_rapporterad", NAN), {}, "inte rapporterat något utfall"),
        (_outcome("slutlig", 5.0, malvarde=NAN), {}, "målvärde saknas"),
    ],
)
def test_project_goals_without_data(outcome, kwargs, reason):
    status, text, _ = project_status(outcome, **kwargs)
    assert status == "saknar_data"
    assert reason in text


# --- the links on a fixture ----------------------------------------------------------------------


def _frame(rows, columns):
    return pd.DataFrame(rows, columns=columns)


def _goal(mal_id, niva, parent, indikator=None, arende=None, **extra):
    row = {
        "lan_kod": extra.pop("lan_kod", "07"),
        "mal_id": mal_id,
        "niva": niva,
        "overordnat_mal_id": parent,
        "mal": f"Mål {mal_id}",
        "indikator": indikator,
        "arende_id": arende,
        "basar": pd.NA,
        "basvarde": NAN,
        "malar": pd.NA,
        "malvarde": NAN,
        "riktning": "oka",
        "steg": None,
        "kalla": "Simulerad",
    }
    row.update(extra)
    return row


def _series_rows(lan_kod, indikator, values, first, unit="enhet"):
    return [
        {
            "lan_kod": lan_kod,
            "ar": first + i,
            "indikator": indikator,
            "varde": v,
            "enhet": unit,
            "kalla": "test",
        }
        for i, v in enumerate(values)
    ]


@pytest.fixture(scope="module")
def dataset(chain_model):
    lan = _frame(
        [
            ("01", "Stockholms län", "SE11", "Stockholm"),
            ("06", "Jönköpings län", "SE21", "Småland med öarna"),
            ("07", "Kronobergs län", "SE21", "Småland med öarna"),
            ("08", "Kalmar län", "SE21", "Småland med öarna"),
        ],
        ["lan_kod", "lan_namn", "nuts2_kod", "nuts2_namn"],
    )
    per_1000 = "antal per 1000 invånare"
    indikatorer = pd.DataFrame(
        _series_rows("07", "nystartade_per_1000_inv", VALUES, 2016, per_1000)
        + _series_rows("06", "nystartade_per_1000_inv", [8.0, 8.1, 8.2, 8.4], 2016, per_1000)
        + _series_rows("08", "nystartade_per_1000_inv", [12.0, 12.5, 13.0, 13.8], 2016, per_1000)
        + _series_rows("01", "nystartade_per_1000_inv", [14.0, 14.0, 14.0, 14.0], 2016, per_1000)
        + _series_rows("07", "utslapp", [100.0, 98, 95, 93, 90, 88], 2014, "kton")
        + _series_rows("07", "export_per_inv_20_64", [100.0, 104, 109, 112, 118, 121], 2014)
        + _series_rows("07", "brp_per_inv", [300000.0, 310000.0], 2018, "kr per invånare")
    )
    indikatorer["ar"] = indikatorer["ar"].astype("Int64")
    projekt = _frame(
        [
            ("A1", "Företagslyftet", 1_000_000.0, "varor_tjanster_direkt"),
            ("A2", "Nya metoder i små företag", 2_000_000.0, "varor_tjanster_direkt"),
            ("A3", "Starta eget i Kronoberg", 4_000_000.0, "varor_tjanster_direkt"),
        ],
        ["arende_id", "projektnamn", "beviljat_belopp_sek", "effektkedja"],
    )
    projekt_lan = _frame(
        [("A1", "07", 0.5), ("A1", "06", 0.5), ("A2", "07", 1.0), ("A3", "07", 0.25)],
        ["arende_id", "lan_kod", "andel"],
    )
    final, progress = "slutrapport", "lagesrapport"
    rows = [
        ("A1", "deltagande_foretag", "prestation", "antal", 10.0, NAN, "ansokan", "2016-01-01"),
        ("A1", "deltagande_foretag", "prestation", "antal", 10.0, 12, final, "2019-06-30"),
        ("A2", "foretag_nya_metoder", "medellang_sikt", "antal", 25.0, 15, final, "2020-03-01"),
        ("A3", "andel_okad_formaga", "kort_sikt", "procent", 60.0, 30, progress, "2021-01-01"),
        ("A3", "andel_okad_formaga", "kort_sikt", "procent", 60.0, 45, progress, "2022-01-01"),
    ]
    projektindikatorer = _frame(
        rows, ["arende_id", "indikator", "steg", "enhet", "malvarde", "utfall", "rapport", "datum"]
    )
    projektindikatorer["datum"] = pd.to_datetime(projektindikatorer["datum"])
    # File order differs from tree order on purpose.
    malkedja = pd.DataFrame(
        [
            _goal("P3", "projekt", "R1", steg="kort_sikt", kalla="Regionens plan"),
            _goal("P4", "projekt", "U3", "andel_okad_formaga", "A3"),
            _goal(
                "R1",
                "rus",
                None,
                "nystartade_per_1000_inv",
                basar=2016,
                malar=2022,
                malvarde=12.0,
                kalla="Regionens plan",
            ),
            _goal("U1", "understrategi", "R1"),
            _goal("R2", "rus", None, "utslapp", riktning="minska", basar=2014, malar=2030),
            _goal("U2", "understrategi", "R1", "brp_per_inv"),
            _goal(
                "U3",
                "understrategi",
                "R2",
                "export_per_inv_20_64",
                basar=2014,
                basvarde=99.0,
                malar=2018,
                malvarde=120.0,
            ),
            _goal("P1", "projekt", "U1", "deltagande_foretag", "A1"),
            _goal("P2", "projekt", "U1", "foretag_nya_metoder", "A2", malvarde=20.0),
            _goal("P5", "projekt", "U3", "omsattning_index", "A3"),
            _goal("R9", "rus", None, "nystartade_per_1000_inv", lan_kod="01"),
            # Kalmar: a sub-strategy under a sub-strategy, a project goal at depth 3.
            _goal("P8", "projekt", "U8b", "deltagande_foretag", "A1", lan_kod="08"),
            _goal("U8b", "understrategi", "U8a", lan_kod="08"),
            _goal("R8", "rus", None, lan_kod="08"),
            _goal("U8a", "understrategi", "R8", lan_kod="08"),
        ]
    )
    for column in ("basar", "malar"):
        malkedja[column] = malkedja[column].astype("Int64")
    return Dataset(
        data_dir=Path("."),
        files={},
        lan=lan,
        indikatorer=indikatorer,
        projekt=projekt,
        projekt_lan=projekt_lan,
        projektindikatorer=projektindikatorer,
        effektkedjor=chain_model,
        malkedja=malkedja,
    )


@pytest.fixture(scope="module")
def result(dataset):
    return analyse(dataset, "07")


def _goal_row(result, mal_id):
    return result.goals.set_index("mal_id").loc[mal_id]


def test_goals_in_tree_order_with_depth(result):
    goals = result.goals
    assert list(goals.columns) == list(GOAL_COLUMNS)
    assert list(goals["mal_id"]) == ["R1", "U1", "P1", "P2", "U2", "P3", "R2", "U3", "P4", "P5"]
    assert list(goals["djup"]) == [0, 1, 2, 2, 1, 1, 0, 1, 2, 2]
    assert result.lan_namn == "Kronobergs län"
    assert result.has_goals
    assert list(goals["simulerad"]) == [False, True, True, True, True, False] + [True] * 4


def test_regional_goal_rows(result):
    r1 = _goal_row(result, "R1")
    assert r1["indikator_namn"] == "Nystartade företag per 1\u00a0000 invånare"
    assert r1["enhet"] == "antal per 1000 invånare"
    # The base value is the series' value in the base year when the goal gives none.
    assert (r1["basar"], r1["basvarde"]) == (2016, 10.0)
    assert (r1["senaste_ar"], r1["senaste_varde"]) == (2019, 11.9)
    assert r1["forandring"] == pytest.approx(1.9)
    fitted, low, high = _interval(YEARS, VALUES, 2022)
    assert (r1["prognos"], r1["prognos_lag"], r1["prognos_hog"]) == pytest.approx(
        (fitted, low, high)
    )
    assert (r1["status"], r1["status_text"], r1["steg"]) == ("nas", "Når målet", "lang_sikt")
    assert set(result.forecasts) == {"R1", "R2", "U3"}
    assert list(result.history["nystartade_per_1000_inv"]) == VALUES
    u3 = _goal_row(result, "U3")
    assert (u3["status"], u3["basvarde"], u3["forandring"]) == ("nas_inte", 99.0, 22.0)
    assert math.isnan(u3["prognos"])  # the observed value in 2018 decided
    assert u3["steg"] == "medellang_sikt"
    r2 = _goal_row(result, "R2")
    assert (r2["status"], r2["riktning"]) == ("ratt_riktning", "minska")
    assert r2["prognos"] == pytest.approx(result.forecasts["R2"].at(2030)[0])
    # Fewer than three observations, and no indicator: no data.
    assert _goal_row(result, "U2")["status"] == "saknar_data"
    assert "2 värden" in _goal_row(result, "U2")["motivering"]
    u1 = _goal_row(result, "U1")
    assert (u1["status"], u1["motivering"]) == ("saknar_data", "målet har ingen indikator ännu")
    assert math.isnan(u1["prognos"])


def test_project_goal_rows(result):
    p1 = _goal_row(result, "P1")
    # No target in the goal: the project's own target (10); the final outcome 12 reaches it.
    assert (p1["status"], p1["malvarde"], p1["senaste_varde"], p1["senaste_ar"]) == (
        "nas",
        10.0,
        12.0,
        2019,
    )
    assert (p1["projektnamn"], p1["indikator_namn"], p1["steg"]) == (
        "Företagslyftet",
        "Deltagande företag",
        "prestation",
    )
    p2 = _goal_row(result, "P2")
    assert (p2["status"], p2["malvarde"], p2["steg"]) == ("nas_inte", 20.0, "medellang_sikt")
    p4 = _goal_row(result, "P4")  # ongoing, latest progress report below target
    assert (p4["status"], p4["senaste_varde"], p4["senaste_ar"]) == ("osakert", 45.0, 2022)
    assert p4["enhet"] == "procent"
    p3 = _goal_row(result, "P3")  # outside the register
    assert p3["status"] == "saknar_data"
    assert pd.isna(p3["arende_id"]) and pd.isna(p3["projektnamn"])
    assert p3["steg"] == "kort_sikt"
    p5 = _goal_row(result, "P5")  # the project does not report the indicator
    assert (p5["status"], p5["steg"]) == ("saknar_data", "medellang_sikt")


def test_reasons_are_swedish_text_without_python_values(result):
    for reason in result.goals["motivering"]:
        assert isinstance(reason, str) and reason
        assert not re.search(r"nan|None|NaN|<NA>|\d\.\d", reason), reason


def test_status_counts(result):
    counts = result.status_counts()
    assert list(counts) == list(STATUS_LABELS)
    assert counts == {
        "nas": 2,
        "osakert": 1,
        "nas_inte": 2,
        "ratt_riktning": 1,
        "oklar_riktning": 0,
        "fel_riktning": 0,
        "saknar_data": 4,
    }
    assert result.status_counts("rus")["nas"] == 1
    assert sum(result.status_counts("projekt").values()) == 5


def test_contributions_with_money_in_the_region(result):
    table = result.contributions
    assert list(table.columns) == list(CONTRIBUTION_COLUMNS)
    r1 = table[table["mal_id"] == "R1"]
    assert list(r1["projekt_mal_id"]) == ["P1", "P2", "P3"]
    # Money: beviljat_belopp_sek × the project's share in the region; none outside the register.
    assert list(r1["belopp_sek"][:2]) == [500_000.0, 2_000_000.0]
    assert math.isnan(r1["belopp_sek"].iloc[2])
    assert list(r1["projekt_status"]) == ["nas", "nas_inte", "saknar_data"]
    assert list(table.loc[table["mal_id"] == "U1", "arende_id"]) == ["A1", "A2"]
    assert list(table.loc[table["mal_id"] == "U3", "projekt_mal_id"]) == ["P4", "P5"]
    assert not (table["mal_id"] == "U2").any()


def test_contribution_summary_counts_each_project_once(result):
    summary = result.contribution_summary.set_index("mal_id")
    assert list(result.contribution_summary.columns) == list(SUMMARY_COLUMNS)
    assert list(summary.index) == ["R1", "U1", "U2", "R2", "U3"]
    assert summary.loc["R1", ["n_projekt", "n_nas", "n_projektmal"]].tolist() == [2, 1, 3]
    assert summary.loc["R1", "belopp_sek"] == 2_500_000.0
    # A3 has two goals under R2: its money counts once.
    assert summary.loc["R2", ["n_projekt", "n_projektmal"]].tolist() == [1, 2]
    assert summary.loc["R2", "belopp_sek"] == 1_000_000.0
    assert summary.loc["U2", ["n_projekt", "belopp_sek", "n_projektmal"]].tolist() == [0, 0.0, 0]


def test_goals_without_projects(result):
    assert result.unserved.to_dict("records") == [
        {"mal_id": "U2", "niva": "understrategi", "mal": "Mål U2"}
    ]


def test_stryktips_matrix(result):
    table = result.stryktips
    assert list(table.columns) == ["mal", *STAGE_IDS]
    assert list(table.index) == ["R1", "U1", "U2", "R2", "U3"]
    rows = {mal_id: tuple(row[list(STAGE_IDS)]) for mal_id, row in table.iterrows()}
    # R1: projects of the register (resources, activities), P1 at outputs, P3 without an
    # indicator at short term, P2 and U2 at medium term, R1 itself at long term.
    assert rows["R1"] == ("X", "X", "X", "(X)", "X", "X")
    assert rows["U1"] == ("X", "X", "X", "", "X", "")
    # U2 has an indicator (too short for a forecast) but no project.
    assert rows["U2"] == ("", "", "", "", "X", "")
    assert rows["R2"] == ("X", "X", "", "X", "X", "X")
    assert result.holes.to_dict("records") == [
        {"mal_id": "R1", "mal": "Mål R1", "steg": "kort_sikt"}
    ]


def test_peers_of_the_same_riksomrade_and_the_peer_table(result):
    assert (result.peers, result.peer_rule) == (("06", "08"), "riksomrade")
    history = result.peer_history["nystartade_per_1000_inv"]
    assert list(history.columns) == ["06", "08"]
    assert history.loc[2019].tolist() == [8.4, 13.8]
    table = result.peer_table.set_index("indikator")
    assert list(result.peer_table.columns) == list(PEER_COLUMNS)
    row = table.loc["nystartade_per_1000_inv"]
    assert (row["fran_ar"], row["till_ar"], row["lan"]) == (2016, 2019, 11.9)
    assert row["forandring"] == pytest.approx(1.9)
    assert row["forandring_relativ"] == pytest.approx(0.19)
    assert row["jamforelse_median"] == pytest.approx(11.1)
    assert row["jamforelse_median_forandring_relativ"] == pytest.approx((0.05 + 0.15) / 2)
    assert (row["plats"], row["av"]) == (1, 3)
    # The peers have no emission series: the region alone.
    assert (table.loc["utslapp", "plats"], table.loc["utslapp", "av"]) == (1, 1)


def test_stockholm_alone_in_its_riksomrade_is_compared_with_all(dataset):
    result = analyse(dataset, "01")
    assert (result.peers, result.peer_rule) == (("06", "07", "08"), "alla")
    # Its flat series: no change, the last of four.
    row = result.peer_table.iloc[0]
    assert (row["plats"], row["av"]) == (4, 4)


def test_explicit_peers(dataset):
    result = analyse(dataset, 7, peers=("08", "07", "08"))
    assert (result.lan_kod, result.peers, result.peer_rule) == ("07", ("08",), "valda")
    assert list(result.peer_history["nystartade_per_1000_inv"].columns) == ["08"]
    with pytest.raises(ParameterError, match="jamforelselan"):
        analyse(dataset, "07", peers=("99",))
    with pytest.raises(ParameterError, match="lan_kod"):
        analyse(dataset, "99")


def _assert_empty(result):
    assert not result.has_goals
    assert list(result.goals.columns) == list(GOAL_COLUMNS)
    assert list(result.contributions.columns) == list(CONTRIBUTION_COLUMNS)
    assert list(result.contribution_summary.columns) == list(SUMMARY_COLUMNS)
    assert list(result.peer_table.columns) == list(PEER_COLUMNS)
    assert list(result.unserved.columns) == ["mal_id", "niva", "mal"]
    assert list(result.stryktips.columns) == ["mal", *STAGE_IDS]
    for frame in (result.goals, result.contributions, result.peer_table, result.stryktips):
        assert frame.empty
    assert result.status_counts() == dict.fromkeys(STATUS_LABELS, 0)
    assert (result.forecasts, result.history, result.peer_history) == ({}, {}, {})


def test_a_region_without_goals(dataset):
    result = analyse(dataset, "06")
    _assert_empty(result)
    assert (result.peers, result.peer_rule) == (("07", "08"), "riksomrade")


def test_no_goal_table_at_all(dataset):
    from dataclasses import replace

    _assert_empty(analyse(replace(dataset, malkedja=None), "07"))


def test_a_dataset_without_the_project_tables_is_refused(dataset):
    from dataclasses import replace

    with pytest.raises(ValueError, match="projekt"):
        analyse(replace(dataset, projekt=None), "07")


def test_the_shipped_data_of_kronoberg():
    ds = load_dataset("data", ["malkedja", "lan"])
    result = analyse(ds, "07")
    rus = result.goals[result.goals["niva"] == "rus"].iloc[0]
    assert rus["indikator"] == "foretag_med_anstallda_per_1000_inv"
    assert rus["indikator_namn"] == "Företag med minst en anställd per 1\u00a0000 invånare"
    assert len(result.forecasts[rus["mal_id"]].fitted_years) == 3
    assert result.peers == ("06", "08", "09")
    assert not result.goals["simulerad"].any()


def test_nested_sub_strategies(dataset):
    result = analyse(dataset, "08")
    assert list(result.goals["mal_id"]) == ["R8", "U8a", "U8b", "P8"]
    assert list(result.goals["djup"]) == [0, 1, 2, 3]
    # The project goal serves every goal above it; A1 has no share in Kalmar: no money there.
    assert list(result.contributions["mal_id"]) == ["R8", "U8a", "U8b"]
    assert result.contributions["belopp_sek"].isna().all()
    assert result.unserved.empty
    assert list(result.stryktips.loc["U8a", ["resurser", "prestation", "medellang_sikt"]]) == [
        "X",
        "X",
        "(X)",
    ]
