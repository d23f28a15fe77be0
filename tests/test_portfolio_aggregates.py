"""The portfolio analysis on a small hand-made portfolio; every expected value is worked by hand.

The portfolio (period 2014-2023), amounts in mnkr:

| id | län (andel)           | mnkr | start | prioritering | fokusområde | kedja   | teman |
|----|-----------------------|------|-------|--------------|-------------|---------|-------|
| P1 | 07 (1)                | 10   | 2015  | Innovation o.| Innovation  | direkt  | GP, Ind, Dig |
| P2 | 07 .5, 08 .25, 09 .25 | 8    | 2016  | Attraktiva   | Tillg. IT   | infra   | SP, Dig, Bes |
| P3 | 08 (1)                | 4    | 2015  | Kompetensf.  | Kompetensf. | kunskap | Förstudie |
| P4 | 09 (1)                | 2    | 2016  | Innovation o.| Företagande | direkt  | GP, Bes |
| P5 | 07 (1)                | 6    | 2017  | Övrigt       | Innovation  | kunskap | (inga) |
| P6 | 08 (1)                | 1    | 2012  | outside the period |

Funding source: P1 and P3 "ERUF", P2 "ERUF och anslag 1:1", P4 "Anslag 1:1", P5 and P6 "ERUF".
RUS priority per project and län (projekt_lan): P1 in 07 "Smart industri"; P2 in 07 none, in 08
"Kompetens", in 09 "Smart industri" (the same words in another län's strategy); P3 in 08
"Kompetens"; P4 in 09 "Fjällturism"; P5 in 07 "Smart industri". Län 07's own list:
"Smart industri", "Grön omställning".

GP Genomförandeprojekt, SP Samverkansprojekt, Ind Industri, Dig Digitalisering, Bes Besöksnäring.
National total in the period: 10 + 8 + 4 + 2 + 6 = 30 mnkr. Län 07: 10 + 0.5 * 8 + 6 = 20;
län 08: 0.25 * 8 + 4 = 6; län 09: 0.25 * 8 + 2 = 4 (20 + 6 + 4 = 30).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import openpyxl
import pandas as pd
import pytest
from conftest import DATA

from utvardering.dataset import load_dataset
from utvardering.origin import SimulatedInput
from utvardering.portfolio import (
    FEW_PROJECTS,
    ThematicParameters,
    analyse_region,
    breakdown,
    build,
    by_start_year,
    largest_beneficiaries,
    largest_deviation,
    largest_projects,
    latest_outcomes,
    location_quotient,
    outputs_by_chain,
    per_inhabitant,
    population,
    result_body,
    stryktips,
    sustainability_profile,
    theme_across_regions,
    totals,
    weight_projects,
)
from utvardering.portfolio.aggregate import DAYS_PER_MONTH, NO_THEME
from utvardering.portfolio.specialisation import NO_RUS, national_per_inhabitant
from utvardering.portfolio.text import (
    _final_reports,
    text_introduction,
    text_largest_categories,
    text_largest_deviation,
    text_largest_themes,
    text_multi_theme_caveat,
    text_overview,
    text_projects,
    text_scope,
    text_stryktips_holes,
)
from utvardering.protocol import UnknownSectionError
from utvardering.results import read_result

MN = 1e6
PERIOD = (2014, 2023)
IOF, ATTR, KOMP, OVR = (
    "Innovation och företagande",
    "Attraktiva miljöer och tillgänglighet",
    "Kompetensförsörjning",
    "Övrigt",
)


def _params(lan_kod: str, period: list[int], tema: str = "") -> ThematicParameters:
    return ThematicParameters.check(lan_kod=lan_kod, period=period, tema=tema)


FUNDING = {"P2": "ERUF och anslag 1:1", "P4": "Anslag 1:1"}
RUS_LISTS = {"07": ["Smart industri", "Grön omställning"], "08": ["Kompetens"], "09": []}


def _project(case, mnkr, start, end, priority, focus, themes, purpose, method, chain, who):
    return {
        "arende_id": case,
        "projektnamn": f"Projekt {case} <b>",
        "stodmottagare": who,
        "beviljat_belopp_sek": mnkr * MN,
        "startdatum": pd.Timestamp(start),
        "slutdatum": pd.Timestamp(end),
        "nationell_prioritering": priority,
        "fokusomrade": focus,
        "teman": themes,
        "hallbarhet_syfte": purpose,
        "hallbarhet_metod": method,
        "effektkedja": chain,
        "finansieringskalla": FUNDING.get(case, "ERUF"),
    }


def _projects() -> pd.DataFrame:
    rows = [
        _project("P1", 10, "2015-01-01", "2017-01-01", IOF, "Innovation",
                 "Genomförandeprojekt; Industri; Digitalisering", 2, 1, "varor_tjanster_direkt",
                 "Almi *Test* AB"),
        _project("P2", 8, "2016-03-01", "2018-03-01", ATTR,
                 "Tillgänglighet genom informationsteknik",
                 "Samverkansprojekt; Digitalisering; Besöksnäring", 0, 3, "infrastruktur",
                 "Almi *Test* AB"),
        _project("P3", 4, "2015-06-01", "2016-06-01", KOMP, KOMP, "Förstudie", 3, 3,
                 "kunskap", "Högskolan"),
        _project("P4", 2, "2016-01-01", "2018-01-01", IOF, "Företagande och entreprenörskap",
                 "Genomförandeprojekt; Besöksnäring", 1, 1,
                 "varor_tjanster_direkt", "Fjällbolaget"),
        _project("P5", 6, "2017-01-01", "2019-07-01", OVR, "Innovation", None,
                 2, 2, "kunskap", "Region [Kronoberg]"),
        _project("P6", 1, "2012-01-01", "2013-01-01", OVR, "Innovation", "Förstudie", 0, 0,
                 "kunskap", "Gammal AB"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows)
    return frame.astype({"hallbarhet_syfte": "Int64", "hallbarhet_metod": "Int64"})


def _shares() -> pd.DataFrame:
    rows = [("P1", "07", 1.0, "Smart industri"), ("P2", "07", 0.5, None),
            ("P2", "08", 0.25, "Kompetens"), ("P2", "09", 0.25, "Smart industri"),
            ("P3", "08", 1.0, "Kompetens"), ("P4", "09", 1.0, "Fjällturism"),
            ("P5", "07", 1.0, "Smart industri"), ("P6", "08", 1.0, None)]  # fmt: skip
    return pd.DataFrame(rows, columns=["arende_id", "lan_kod", "andel", "rus_prioritering"])


def _rus_lists() -> pd.DataFrame:
    rows = [(code, p) for code, own in RUS_LISTS.items() for p in own]
    return pd.DataFrame(rows, columns=["lan_kod", "prioritering"])


def _indicators() -> pd.DataFrame:
    """Outcomes as in NYPS: nothing on the application, cumulative on progress reports."""
    nan = math.nan
    rows = [
        # P1: final report wins over the progress report; medium term reported without value.
        ("P1", "deltagande_foretag", "prestation", "antal", 20, nan, "ansokan", "2014-11-01"),
        ("P1", "deltagande_foretag", "prestation", "antal", 20, 8, "lagesrapport", "2016-01-01"),
        ("P1", "deltagande_foretag", "prestation", "antal", 20, 25, "slutrapport", "2017-03-01"),
        ("P1", "andel_okad_formaga", "kort_sikt", "procent", 50, 60, "lagesrapport", "2016-01-01"),
        ("P1", "foretag_nya_metoder", "medellang_sikt", "antal", 5, nan, "slutrapport",
         "2017-03-01"),
        # P2: no final report for investeringar_kr, so the latest progress report counts.
        ("P2", "investeringar_kr", "prestation", "kr", 6e6, 3e6, "lagesrapport", "2017-03-01"),
        ("P2", "investeringar_kr", "prestation", "kr", 6e6, 5e6, "lagesrapport", "2018-01-01"),
        ("P2", "investeringar_antal", "prestation", "antal", 4, 2, "lagesrapport", "2017-03-01"),
        ("P2", "investeringar_antal", "prestation", "antal", 4, 4, "slutrapport", "2018-05-01"),
        # A final report without a value falls back to the progress report with one.
        ("P2", "deltagande_organisationer", "prestation", "antal", 8, 6, "lagesrapport",
         "2017-03-01"),
        ("P2", "deltagande_organisationer", "prestation", "antal", 8, nan, "slutrapport",
         "2018-05-01"),
        ("P2", "hushall_bredband_100", "kort_sikt", "antal", 300, 400, "slutrapport",
         "2018-05-01"),
        ("P2", "anvandare_per_ar", "medellang_sikt", "antal", 900, 1000, "slutrapport",
         "2018-05-01"),
        ("P3", "kunskapsunderlag", "prestation", "antal", 2, 3, "slutrapport", "2016-08-01"),
        ("P3", "mottagande_organisationer", "kort_sikt", "antal", 10, nan, "ansokan",
         "2015-03-01"),
        ("P3", "underlag_tillampade", "medellang_sikt", "antal", 1, 1, "slutrapport",
         "2016-08-01"),
        ("P4", "deltagande_foretag", "prestation", "antal", 12, 10, "slutrapport", "2018-03-01"),
        ("P5", "kunskapsunderlag", "prestation", "antal", 2, 1, "lagesrapport", "2018-01-01"),
        ("P6", "kunskapsunderlag", "prestation", "antal", 1, 1, "slutrapport", "2013-03-01"),
    ]  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=[
            "arende_id",
            "indikator",
            "steg",
            "enhet",
            "malvarde",
            "utfall",
            "rapport",
            "datum",
        ],
    )
    frame["datum"] = pd.to_datetime(frame["datum"])
    return frame


def _population() -> pd.DataFrame:
    """07: latest up to 2023 is 2023 (2024 lies after the period); 09 only has 2021."""
    rows = [("07", 2022, 190_000.0), ("07", 2023, 200_000.0), ("07", 2024, 999_999.0),
            ("08", 2023, 250_000.0), ("09", 2021, 50_000.0), ("07", 2023, 1.0)]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["lan_kod", "ar", "varde"])
    frame["indikator"] = ["befolkning"] * 5 + ["brp"]
    frame["enhet"], frame["kalla"] = "personer", "test"
    return frame


@pytest.fixture(scope="module")
def shipped():
    return load_dataset(DATA, ["lan", "karta", "effektkedjor"])


@pytest.fixture
def ds(shipped):
    return dataclasses.replace(
        shipped,
        projekt=_projects(),
        projekt_lan=_shares(),
        rus_prioriteringar=_rus_lists(),
        projektindikatorer=_indicators(),
        indikatorer=_population(),
    )


@pytest.fixture
def weighted():
    return weight_projects(_projects(), _shares(), PERIOD)


# --- weighting, totals, start years -------------------------------------------------------


def test_weighting_splits_money_by_share_and_keeps_the_period(weighted):
    assert set(weighted["arende_id"]) == {"P1", "P2", "P3", "P4", "P5"}  # P6 starts in 2012
    p2 = weighted[weighted["arende_id"] == "P2"].set_index("lan_kod")["belopp_sek"]
    assert p2.to_dict() == {"07": 4 * MN, "08": 2 * MN, "09": 2 * MN}


def test_weighting_does_not_modify_its_inputs():
    projects, shares = _projects(), _shares()
    weight_projects(projects, shares, PERIOD)
    pd.testing.assert_frame_equal(projects, _projects())
    pd.testing.assert_frame_equal(shares, _shares())


def test_regional_sums_equal_the_national_total(weighted):
    """No krona is counted twice: the three län sum to the 30 mnkr of the five projects."""
    by_region = {code: totals(weighted, code) for code in ("07", "08", "09")}
    assert {c: t.belopp_sek / MN for c, t in by_region.items()} == {"07": 20, "08": 6, "09": 4}
    assert sum(t.belopp_sek for t in by_region.values()) == pytest.approx(30 * MN)
    assert totals(weighted).belopp_sek == pytest.approx(30 * MN)
    assert sum(t.projekt_andelsviktade for t in by_region.values()) == pytest.approx(5)
    # Touching projects are not additive: P2 touches all three län.
    assert sum(t.projekt_berorda for t in by_region.values()) == 7


def test_totals_of_one_lan(weighted):
    t = totals(weighted, "07")
    assert (t.projekt_berorda, t.flerlansprojekt) == (3, 1)
    assert t.projekt_andelsviktade == pytest.approx(2.5)
    assert t.median_belopp_sek == 8 * MN  # 10, 8 and 6 mnkr: whole projects
    # Durations 731 (P1), 730 (P2) and 911 (P5) days: the median is P1's.
    assert t.median_varaktighet_man == pytest.approx(731 / DAYS_PER_MONTH)


def test_by_start_year(weighted):
    table = by_start_year(weighted, "07")
    assert list(table.index) == [2015, 2016, 2017]
    assert list(table["projekt_berorda"]) == [1, 1, 1]
    assert list(table["projekt_andelsviktade"]) == [1.0, 0.5, 1.0]
    assert list(table["belopp_sek"] / MN) == [10, 4, 6]
    assert list(table["median_belopp_sek"] / MN) == [10, 8, 6]


# --- breakdowns and location quotients -----------------------------------------------------


def test_breakdown_by_national_priority(weighted):
    result = breakdown(weighted, "07", "nationell_prioritering")
    table = result.table
    assert list(table.index) == [IOF, ATTR, KOMP, "Internationellt samarbete", OVR]
    assert list(table["belopp_sek"] / MN) == [10, 4, 0, 0, 6]
    assert list(table["projekt_berorda"]) == [1, 1, 0, 0, 1]
    assert list(table["projekt_andelsviktade"]) == [1, 0.5, 0, 0, 1]
    assert list(table["andel_belopp"]) == pytest.approx([0.5, 0.2, 0, 0, 0.3])
    assert list(table["riket_belopp_sek"] / MN) == [12, 8, 4, 0, 6]
    assert list(table["riket_andel_belopp"]) == pytest.approx([0.4, 8 / 30, 4 / 30, 0, 0.2])
    # LQ = (region share) / (national share): 0.5/0.4, 0.2/(8/30), 0, undefined, 0.3/0.2.
    quotients = table["lokaliseringskvot"]
    assert list(quotients.drop("Internationellt samarbete")) == pytest.approx([1.25, 0.75, 0, 1.5])
    assert np.isnan(quotients["Internationellt samarbete"])
    assert (result.total_sek, result.national_total_sek) == (20 * MN, 30 * MN)


def test_location_quotient_on_numbers_and_series():
    assert location_quotient(5, 20, 10, 100) == pytest.approx(2.5)
    assert np.isnan(location_quotient(0, 0, 10, 100))  # a län without money
    assert np.isnan(location_quotient(1, 10, 0, 100))  # a category the nation lacks
    series = location_quotient(pd.Series([1.0, 3.0], index=["a", "b"]), 4, pd.Series([1.0, 1.0]).
                               set_axis(["a", "b"]), 2)  # fmt: skip
    assert series.to_dict() == pytest.approx({"a": 0.5, "b": 1.5})


def test_themes_count_a_project_under_each_theme(weighted):
    result = breakdown(weighted, "07", "tema")
    table = result.table
    assert result.multi_valued
    region = (table["belopp_sek"] / MN)[table["belopp_sek"] > 0].to_dict()
    assert region == {
        "Genomförandeprojekt": 10,
        "Samverkansprojekt": 4,
        "Besöksnäring": 4,
        "Industri": 10,
        "Digitalisering": 14,  # P1 (10) and half of P2 (4)
        NO_THEME: 6,  # P5 has no theme
    }
    assert list(table.index)[-1] == NO_THEME
    assert table.loc["Digitalisering", "projekt_berorda"] == 2
    assert table.loc["Digitalisering", "projekt_andelsviktade"] == 1.5
    # The rows sum to 48 mnkr, 2.4 times the län's 20: shares are of the total, not of 48.
    assert table["belopp_sek"].sum() == pytest.approx(48 * MN)
    assert table.loc["Digitalisering", "andel_belopp"] == pytest.approx(0.7)
    assert table.loc["Digitalisering", "riket_andel_belopp"] == pytest.approx(18 / 30)
    assert table.loc["Besöksnäring", "lokaliseringskvot"] == pytest.approx(0.2 / (10 / 30))
    # Theme totals over the län equal the national theme totals (each row split by share).
    nation = sum(breakdown(weighted, c, "tema").table["belopp_sek"] for c in ("07", "08", "09"))
    assert nation.to_dict() == pytest.approx(table["riket_belopp_sek"].to_dict())


def test_multi_theme_caveat_states_the_double_counting(weighted):
    text = text_multi_theme_caveat(breakdown(weighted, "07", "tema"))
    assert "vart och ett" in text
    assert "48,0\u00a0mnkr" in text and "2,4 gånger" in text and "20,0\u00a0mnkr" in text


def test_rus_priorities_only_the_lans_own_with_missing_last(weighted):
    own = RUS_LISTS["07"]
    table = breakdown(weighted, "07", "rus_prioritering", own).table
    # The län's list in its order (an unused priority with zero), then projects without one.
    assert list(table.index) == ["Smart industri", "Grön omställning", NO_RUS]
    assert list(table["belopp_sek"] / MN) == [16, 0, 4]  # P1 + P5; half of P2 has none in 07
    assert list(table["andel_belopp"]) == pytest.approx([0.8, 0, 0.2])
    # Nothing is compared across län on the names: no nation, no location quotient.
    assert list(table.columns) == [
        "projekt_berorda",
        "projekt_andelsviktade",
        "belopp_sek",
        "andel_belopp",
    ]


def test_rus_priority_is_the_one_in_each_lans_strategy(weighted):
    """P2 has no priority in 07's strategy but one in 08's and 09's: each län sees its own."""
    in_08 = breakdown(weighted, "08", "rus_prioritering", RUS_LISTS["08"]).table
    assert (in_08["belopp_sek"] / MN).to_dict() == {"Kompetens": 6}  # P3 + a quarter of P2
    in_09 = breakdown(weighted, "09", "rus_prioritering").table  # 09 has no list
    assert (in_09["belopp_sek"] / MN).to_dict() == {"Fjällturism": 2, "Smart industri": 2}


def test_funding_split_sums_to_the_total(weighted):
    for code in ("07", "08", "09"):
        table = breakdown(weighted, code, "finansieringskalla").table
        assert list(table.index) == ["ERUF", "Anslag 1:1", "ERUF och anslag 1:1"]
        assert table["belopp_sek"].sum() == pytest.approx(totals(weighted, code).belopp_sek)
        assert table["andel_belopp"].sum() == pytest.approx(1)
    table = breakdown(weighted, "09", "finansieringskalla").table
    assert (table["belopp_sek"] / MN).to_list() == [0, 2, 2]  # P4, and a quarter of P2
    assert (table["riket_belopp_sek"] / MN).to_list() == [20, 2, 8]


def test_largest_deviation_is_in_percentage_points(weighted):
    deviation = largest_deviation(
        breakdown(weighted, "07", d)
        for d in ("nationell_prioritering", "fokusomrade", "effektkedja", "tema")
    )
    # Focus area Innovation: P1 + P5 = 16 of 20 mnkr in 07 (0.8) against 16 of 30 (0.533).
    assert (deviation.dimension, deviation.kategori) == ("fokusomrade", "Innovation")
    assert deviation.difference == pytest.approx(0.8 - 16 / 30)
    assert deviation.lokaliseringskvot == pytest.approx(1.5)
    text = text_largest_deviation(deviation, "Kronobergs län")
    assert "fokusområdet *Innovation*" in text and "80\u00a0%" in text and "53\u00a0%" in text
    assert "27 procentenheter mer" in text


def test_three_largest_categories_text(weighted):
    text = text_largest_categories(breakdown(weighted, "07", "nationell_prioritering"), "X län")
    assert text == (
        f"De tre största nationella prioriteringarna i X län är *{IOF}* (10,0\u00a0mnkr, "
        "50\u00a0% av länets medel), *Övrigt* (6,0\u00a0mnkr, 30\u00a0% av länets medel) och "
        f"*{ATTR}* (4,0\u00a0mnkr, 20\u00a0% av länets medel)."
    )
    only_two = text_largest_categories(breakdown(weighted, "09", "effektkedja"), "Y län")
    assert only_two.startswith("Medlen i Y län går till de två effektkedjorna:")


# --- population and per inhabitant ---------------------------------------------------------


def test_population_is_the_latest_year_up_to_the_period_end():
    people = population(_population(), 2023)
    assert people.inhabitants.to_dict() == {"07": 200_000, "08": 250_000, "09": 50_000}
    assert people.year.to_dict() == {"07": 2023, "08": 2023, "09": 2021}
    assert population(_population(), 2022).inhabitants.to_dict() == {"07": 190_000, "09": 50_000}


def test_per_inhabitant(weighted):
    table = per_inhabitant(weighted, population(_population(), 2023))
    assert len(table) == 21
    assert table.loc["07", "kr_per_invanare"] == pytest.approx(20 * MN / 200_000)  # 100 kr
    assert table.loc["09", "kr_per_invanare"] == pytest.approx(4 * MN / 50_000)  # 80 kr
    assert np.isnan(table.loc["01", "kr_per_invanare"])  # no population in the fixture
    assert national_per_inhabitant(table) == pytest.approx(30 * MN / 500_000)


# --- sustainability, outputs, largest ------------------------------------------------------


def test_sustainability_profile(weighted):
    profile = sustainability_profile(weighted, "07")
    assert len(profile) == 16
    nonzero = profile[profile["belopp_sek"] > 0]
    assert (nonzero["belopp_sek"] / MN).to_dict() == {(0, 3): 4, (2, 1): 10, (2, 2): 6}
    assert nonzero["projekt_andelsviktade"].to_dict() == {(0, 3): 0.5, (2, 1): 1, (2, 2): 1}


def test_latest_outcome_per_project_and_indicator():
    latest = latest_outcomes(_indicators()).set_index(["arende_id", "indikator"])
    assert latest.loc[("P1", "deltagande_foretag"), "utfall"] == 25  # final report
    assert latest.loc[("P2", "investeringar_kr"), "utfall"] == 5e6  # latest progress report
    assert latest.loc[("P2", "deltagande_organisationer"), "rapport"] == "lagesrapport"
    assert latest.loc[("P2", "deltagande_organisationer"), "utfall"] == 6
    assert ("P1", "foretag_nya_metoder") not in latest.index  # never an outcome
    assert ("P3", "mottagande_organisationer") not in latest.index  # application only


def test_outputs_by_chain_split_by_share(weighted):
    latest = latest_outcomes(_indicators())
    table = outputs_by_chain(weighted, latest, "07").set_index(["effektkedja", "indikator"])
    assert table["utfall"].to_dict() == pytest.approx(
        {
            ("infrastruktur", "investeringar_antal"): 2,  # 4 * 0.5
            ("infrastruktur", "investeringar_kr"): 2.5e6,  # 5 mnkr * 0.5
            ("infrastruktur", "deltagande_organisationer"): 3,  # 6 * 0.5
            ("kunskap", "kunskapsunderlag"): 1,  # P5
            ("varor_tjanster_direkt", "deltagande_foretag"): 25,  # P1
        }
    )
    assert table.loc[("infrastruktur", "investeringar_kr"), "malvarde"] == 3e6
    assert table.loc[("kunskap", "kunskapsunderlag"), "projekt_med_slutrapport"] == 0
    # Attributed by shares, the län sum to the nation: no output is counted twice.
    nation = outputs_by_chain(weighted, latest).set_index(["effektkedja", "indikator"])["utfall"]
    parts = [
        outputs_by_chain(weighted, latest, c).set_index(["effektkedja", "indikator"])["utfall"]
        for c in ("07", "08", "09")
    ]
    summed = pd.concat(parts).groupby(level=[0, 1]).sum()
    assert summed.to_dict() == pytest.approx(nation.to_dict())
    assert nation[("varor_tjanster_direkt", "deltagande_foretag")] == 35


def test_largest_projects_and_beneficiaries(weighted):
    projects = largest_projects(weighted, "07")
    assert list(projects["arende_id"]) == ["P1", "P5", "P2"]
    assert list(projects["belopp_sek"] / MN) == [10, 6, 4]
    beneficiaries = largest_beneficiaries(weighted, "07")
    assert beneficiaries.to_dict(orient="list") == {
        "stodmottagare": ["Almi *Test* AB", "Region [Kronoberg]"],
        "projekt_berorda": [2, 1],
        "belopp_sek": [14 * MN, 6 * MN],
    }


# --- stryktips -----------------------------------------------------------------------------


def test_stryktips_marks_stages_with_an_outcome(weighted):
    result = stryktips(weighted, _indicators(), "07", "tema")
    rows = ["Genomförandeprojekt", "Samverkansprojekt", "Besöksnäring", "Industri",
            "Digitalisering", NO_THEME]  # fmt: skip
    assert list(result.with_outcome.index) == rows
    assert result.marks().to_dict(orient="index") == {
        "Genomförandeprojekt": {"prestation": "X", "kort_sikt": "X", "medellang_sikt": ""},
        "Samverkansprojekt": {"prestation": "X", "kort_sikt": "X", "medellang_sikt": "X"},
        "Besöksnäring": {"prestation": "X", "kort_sikt": "X", "medellang_sikt": "X"},
        "Industri": {"prestation": "X", "kort_sikt": "X", "medellang_sikt": ""},
        "Digitalisering": {"prestation": "X", "kort_sikt": "X", "medellang_sikt": "X"},
        NO_THEME: {"prestation": "X", "kort_sikt": "", "medellang_sikt": ""},
    }
    assert result.projects["Digitalisering"] == 2
    assert result.share.loc["Digitalisering", "medellang_sikt"] == 0.5  # P2 yes, P1 no
    assert [(h.category, h.stage) for h in result.holes()] == [
        ("Genomförandeprojekt", "medellang_sikt"),
        ("Industri", "medellang_sikt"),
        (NO_THEME, "kort_sikt"),
        (NO_THEME, "medellang_sikt"),
    ]
    assert result.total_projects == 3
    assert result.total_with_outcome.to_dict() == {
        "prestation": 3,
        "kort_sikt": 2,
        "medellang_sikt": 1,
    }


def test_stryktips_text_names_the_holes(weighted):
    text = text_stryktips_holes(stryktips(weighted, _indicators(), "07", "tema"))
    assert "**Hål i uppföljningen:** 3 av 6 teman" in text
    assert "*Industri* (effekter på medellång sikt)" in text
    assert f"*{NO_THEME}* (effekter på kort sikt och effekter på medellång sikt)" in text
    # Digitalisering: 1 of 2 projects report medium-term outcomes, which is not thin (< 50 %).
    assert "Tunn uppföljning" not in text
    by_priority = stryktips(weighted, _indicators(), "08", "nationell_prioritering")
    # 08: P2 (Attraktiva, all stages) and P3 (Kompetensförsörjning, no short-term outcome).
    assert [(h.category, h.stage) for h in by_priority.holes()] == [(KOMP, "kort_sikt")]


# --- the theme across regions --------------------------------------------------------------


def test_theme_across_regions(weighted):
    people = population(_population(), 2023)
    view = theme_across_regions(
        weighted, latest_outcomes(_indicators()), people, "Besöksnäring", "tema"
    )
    rows = view.by_region
    money = (rows["belopp_sek"] / MN)[rows["belopp_sek"] > 0].to_dict()
    assert money == {"07": 4, "08": 2, "09": 4}  # P2 split by share, plus P4 in 09
    assert view.national_sek == 10 * MN and view.national_projects == 2
    assert rows.loc["09", "projekt_berorda"] == 2
    assert rows.loc["07", "kr_per_invanare"] == pytest.approx(20)
    assert rows.loc["09", "kr_per_invanare"] == pytest.approx(80)
    assert view.national_sek_per_inhabitant == pytest.approx(20)
    # The theme's share of each län's money against the nation's 10/30.
    assert rows.loc["07", "lokaliseringskvot"] == pytest.approx(0.2 / (1 / 3))
    assert rows.loc["09", "lokaliseringskvot"] == pytest.approx(3.0)
    assert view.by_chain.loc["09"].to_dict() == {
        "infrastruktur": 2 * MN,
        "kunskap": 0.0,
        "varor_tjanster_indirekt": 0.0,
        "varor_tjanster_direkt": 2 * MN,
    }
    assert view.outputs.loc["09", "deltagande_foretag"] == 10
    assert view.outputs.loc["08", "investeringar_kr"] == pytest.approx(1.25e6)


def test_focus_area_as_theme(weighted):
    people = population(_population(), 2023)
    view = theme_across_regions(weighted, latest_outcomes(_indicators()), people,
                                "Innovation", "fokusomrade")  # fmt: skip
    assert view.national_sek == 16 * MN  # P1 and P5
    assert view.by_region.loc["07", "andel_av_lanets_belopp"] == pytest.approx(0.8)


# --- the whole report: JSON, Excel, short report, text -------------------------------------


def _report_sheets(workbook) -> list[str]:
    """The report's own sheets (the protocol may put a sheet about the download first)."""
    return [name for name in workbook.sheetnames if name != "Om underlaget"]


@pytest.mark.langsam
def test_payload_sums_over_lan_to_the_nation(ds):
    payloads = [
        result_body(analyse_region(ds, _params(code, list(PERIOD)))) for code in ("07", "08", "09")
    ]
    assert sum(p["totalt"]["belopp_sek"] for p in payloads) == pytest.approx(30 * MN)
    assert payloads[0]["riket"]["belopp_sek"] == pytest.approx(30 * MN)
    for dimension in ("nationell_prioritering", "fokusomrade", "effektkedja", "tema"):
        sums: dict[str, float] = {}
        for payload in payloads:
            for record in payload["fordelning"][dimension]:
                sums[record["kategori"]] = sums.get(record["kategori"], 0) + record["belopp_sek"]
        national = {
            r["kategori"]: r["riket_belopp_sek"] for r in payloads[0]["fordelning"][dimension]
        }
        assert sums == pytest.approx(national), dimension


@pytest.mark.langsam
def test_report_writes_json_excel_and_figures(ds, tmp_path):
    # 07 has three projects: a threshold of three gives the full report.
    report = build(ds, _params("07", [2014, 2023], "Besöksnäring"), few_projects=3)
    assert not report.analysis.short
    files = report.write(tmp_path, data_dir="indata")
    result = read_result(tmp_path / "tema.json", "tema")
    assert (result["rapport"], result["lan_kod"], result["tema"]) == ("tema", "07", "Besöksnäring")
    assert result["parametrar"] == {
        "lan_kod": "07",
        "tema": "Besöksnäring",
        "period": [2014, 2023],
        "finansiering": "alla",
        "data_dir": "indata",
    }
    assert result["filer"] == {k: v for k, v in files.items() if k != "json"}
    assert files["json"] == "tema.json" and files["excel"] == "tema_07.xlsx"
    assert result["period"] == [2014, 2023]
    assert result["totalt"]["belopp_sek"] == 20 * MN
    assert result["totalt"]["kr_per_invanare"] == pytest.approx(100)
    assert result["storsta_avvikelse"]["kategori"] == "Innovation"
    assert result["tematisk_vy"]["riket"]["belopp_sek"] == 10 * MN
    assert result["stryktips"]["tema"][0] == {
        "kategori": "Genomförandeprojekt",
        "projekt": 1,
        "prestation": 1,
        "kort_sikt": 1,
        "medellang_sikt": 0,
        "hal": ["medellang_sikt"],
    }
    workbook = openpyxl.load_workbook(tmp_path / "tema_07.xlsx", read_only=True)
    assert _report_sheets(workbook) == [
        "Per startår",
        "Finansieringskälla",
        "Nationell prioritering",
        "Fokusområde",
        "Effektkedja",
        "Tema",
        "RUS-prioritering",
        "Per invånare",
        "Hållbarhet, belopp (kr)",
        "Hållbarhet, projekt",
        "Prestationer per kedja",
        "Stryktips, tema",
        "Stryktips, prioritering",
        "Största projekten",
        "Största stödmottagarna",
        "Tema per län",
        "Tema per kedja (kr)",
        "Tema prestationer",
    ]
    sheet = workbook["Nationell prioritering"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == (
        "Nationell prioritering",
        "Projekt som berör länet",
        "Projekt (andelsviktade)",
        "Belopp i länet (kr)",
    )
    # The workbook has raw numbers in kr, the report mnkr.
    assert rows[5][0] == OVR and rows[5][3] == pytest.approx(6 * MN)
    outputs = list(workbook["Prestationer per kedja"].iter_rows(values_only=True))
    kr_row = next(r for r in outputs if r[1] == "Gjorda investeringar (kr)")
    assert kr_row[4] == pytest.approx(2.5e6)  # 5 mnkr of P2, half in 07
    chains = list(workbook["Tema per kedja (kr)"].iter_rows(values_only=True))
    kronoberg = next(r for r in chains if r[0] == "Kronobergs län")
    assert kronoberg[1] == pytest.approx(4 * MN)  # half of P2, infrastructure
    pngs = sorted(name for kind, name in files.items() if kind not in ("json", "excel"))
    assert "tema_07_stryktips.png" in pngs and "tema_07_tema_karta.png" in pngs
    assert all((tmp_path / name).stat().st_size > 10_000 for name in pngs)


def test_few_projects_get_the_short_report(ds, tmp_path):
    report = build(ds, _params("08", [2014, 2023]))
    assert report.analysis.total.projekt_berorda == 2 < FEW_PROJECTS
    assert report.analysis.short
    intro = report.section("inledning").snapshot_text()
    assert "Kort rapport" in intro and "Bara 2 projekt" in intro
    assert report.section("kategorier").empty and report.section("stryktips").empty
    assert not report.section("omfattning").empty
    report.write(tmp_path)
    assert _report_sheets(openpyxl.load_workbook(tmp_path / "tema_08.xlsx")) == [
        "Per startår",
        "Finansieringskälla",
        "Projekten",
    ]
    assert read_result(tmp_path / "tema.json", "tema")["kort_rapport"] is True
    with pytest.raises(UnknownSectionError):
        report.section("okänt")


@pytest.mark.langsam
def test_period_without_projects_gives_a_short_report(ds):
    report = build(ds, _params("07", [2020, 2023], "Besöksnäring"))
    assert report.analysis.total.belopp_sek == 0
    assert "Inga projekt" in report.section("inledning").blocks[0]
    assert (
        "Inga projekt som berör Kronobergs län startade" in report.section("omfattning").blocks[0]
    )
    assert report.analysis.theme_view.national_sek == 0


def test_text_escapes_names_from_data(ds):
    result = analyse_region(ds, _params("07", [2014, 2023]))
    text = text_projects(result)
    assert "Almi \\*Test\\* AB" in text and "*Test*" not in text.replace("\\*Test\\*", "")
    assert "14,0\u00a0mnkr i 2 projekt" in text


def test_table_display_uses_swedish_numbers(ds):
    report = build(ds, _params("07", [2014, 2023]), few_projects=1)
    table = report.tables["Nationell prioritering"].formatted()
    assert table.loc[0, "Belopp i länet (mnkr)"] == "10,0"
    assert table.loc[3, "Lokaliseringskvot"] == "–"  # undefined: the nation has none
    assert table.loc[4, "Lokaliseringskvot"] == "1,50"
    years = report.tables["Per invånare"].formatted().set_index("Län")
    assert years.loc["Gotlands län", "Befolkningsår"] == "2021"


@pytest.mark.langsam
def test_full_report_survives_an_empty_portfolio(ds, tmp_path):
    """Even forced into the full report, a län without projects gives text, not errors."""
    report = build(ds, _params("07", [2020, 2023], "KKN"), few_projects=0)
    assert not report.analysis.short
    assert report.analysis.deviation is None
    assert report.analysis.stryktips.with_outcome.empty
    report.write(tmp_path)
    assert read_result(tmp_path / "tema.json", "tema")["totalt"]["belopp_sek"] == 0
    texts = [b for s in report.sections() for b in s.blocks if isinstance(b, str)]
    assert any("inga medel under perioden" in t for t in texts)


# --- funding scope, years, themes, outputs and the report's wording --------------------------


def test_funding_scope_selects_projects_for_the_lan_and_the_nation(ds):
    every = analyse_region(ds, _params("09", list(PERIOD)))
    eruf = analyse_region(ds, ThematicParameters.check(lan_kod="09", finansiering="eruf"))
    grant = analyse_region(ds, ThematicParameters.check(lan_kod="09", finansiering="anslag_1_1"))
    # 09: a quarter of P2 (ERUF och anslag 1:1) and P4 (Anslag 1:1).
    assert every.total.belopp_sek == 4 * MN
    assert eruf.total.belopp_sek == 2 * MN and eruf.national.belopp_sek == 28 * MN
    assert grant.total.belopp_sek == 4 * MN and grant.national.belopp_sek == 10 * MN
    body = result_body(eruf)
    assert body["finansiering"] == "eruf"
    split = {r["kategori"]: r["belopp_sek"] for r in body["fordelning"]["finansieringskalla"]}
    assert split == {"ERUF": 0, "Anslag 1:1": 0, "ERUF och anslag 1:1": 2 * MN}
    scope = text_scope(grant)
    assert "har stöd ur anslag 1:1" in scope and "med hela sitt belopp" in scope


@pytest.mark.parametrize("code", ["07", "08", "09"])
def test_payload_funding_split_sums_to_the_total(ds, code):
    body = result_body(analyse_region(ds, _params(code, list(PERIOD))))
    rows = body["fordelning"]["finansieringskalla"]
    assert sum(r["belopp_sek"] for r in rows) == pytest.approx(body["totalt"]["belopp_sek"])
    assert sum(r["riket_belopp_sek"] for r in rows) == pytest.approx(body["riket"]["belopp_sek"])
    rus = body["fordelning"]["rus_prioritering"]
    assert all(set(r) == {"kategori", "projekt_berorda", "projekt_andelsviktade", "belopp_sek",
                          "andel_belopp"} for r in rus)  # fmt: skip


def test_scope_states_the_start_years_found_in_the_data(ds):
    """The period asked for runs to 2023, but the projects started 2012-2017 (07: 2015-2017)."""
    result = analyse_region(ds, _params("07", list(PERIOD)))
    assert (result.data_years, result.national_years, result.region_years) == (
        (2012, 2017),
        (2015, 2017),
        (2015, 2017),
    )
    intro = text_introduction(result)
    assert "den valda perioden 2014–2023" in intro
    assert "Projekttabellen har projekt som startade 2012–2017" in intro
    assert "de som berör Kronobergs län i urvalet startade 2015–2017" in intro
    assert "alla finansieringskällor" in intro
    assert text_overview(result).startswith("Under åren 2015–2017 startade **3 projekt**")


def test_introduction_has_no_fixed_notice_of_simulated_data(ds, tmp_path):
    """The protocol adds the notice from datakallor.yaml; the report itself never claims it."""
    report = build(ds, _params("07", list(PERIOD)), few_projects=1)
    intro = report.section("inledning").snapshot_text()
    assert "Observera" not in intro and "simulerade" not in intro
    assert "verkliga uppgifter" not in text_projects(report.analysis)
    simulated = (SimulatedInput("projekt", "klassningen", ("effektkedja",)),)
    assert "effektkedjan är simulerad" in text_projects(report.analysis, simulated)


def test_largest_theme_in_each_group(weighted):
    text = text_largest_themes(breakdown(weighted, "07", "tema"), "X län")
    # 07: Genomförandeprojekt 10 (P1), Samverkansprojekt 4; Industri 10; Digitalisering 14.
    assert "den största projekttypen *Genomförandeprojekt* (10,0\u00a0mnkr, 50\u00a0%" in text
    assert "den största branschen *Industri* (10,0\u00a0mnkr" in text
    assert "det största syftet *Digitalisering* (14,0\u00a0mnkr, 70\u00a0%" in text
    assert "tre största" not in text
    tie = text_largest_themes(breakdown(weighted, "09", "tema"), "Y län")
    # 09: Genomförandeprojekt 2 (P4) and Samverkansprojekt 2 (a quarter of P2): a tie.
    assert "de största projekttyperna *Genomförandeprojekt* och *Samverkansprojekt*" in tie
    assert "vardera" in tie
    # 08: Förstudie (P3) and a quarter of P2 (Samverkansprojekt, Digitalisering, Besöksnäring).
    assert "Inget projekt" not in text_largest_themes(breakdown(weighted, "08", "tema"), "Z län")
    only_types = breakdown(weighted.assign(teman="Förstudie"), "07", "tema")
    assert "Inget projekt i länet har något tema för bransch eller syfte." in (
        text_largest_themes(only_types, "X län")
    )


def test_outputs_from_final_reports_are_stated_right():
    def table(final, total):
        return pd.DataFrame({"projekt_med_utfall": [total], "projekt_med_slutrapport": [final]})

    assert _final_reports(table(5, 5)) == "Alla utfall som summeras kommer från en slutrapport."
    assert "resten" not in _final_reports(table(5, 5))
    assert _final_reports(table(0, 4)).startswith("Alla utfall som summeras kommer från en läg")
    assert _final_reports(table(3, 4)) == (
        "Av de 4 utfall som summeras kommer 3 (75\u00a0%) från en slutrapport och 1 från en "
        "lägesrapport."
    )


def test_tables_show_full_names_and_amounts_in_mnkr(ds):
    report = build(ds, _params("07", list(PERIOD), "Besöksnäring"), few_projects=1)
    outputs = report.tables["Tema prestationer"].data
    assert "Gjorda investeringar (mnkr)" in outputs.columns
    assert outputs.loc[outputs["Län"] == "Kronobergs län", "Gjorda investeringar (mnkr)"].item(
    ) == pytest.approx(2.5)  # fmt: skip
    chain = report.tables["Prestationer per kedja"].data.set_index("Indikator")
    assert chain.loc["Gjorda investeringar (mnkr)", "Utfall (andelsviktat)"] == pytest.approx(2.5)
    assert "Gjorda investeringar (kr)" not in chain.index
    long_name = "Projekt " + "med ett mycket långt namn " * 4
    table = report.tables["Största projekten"]
    data = table.data.assign(Projektnamn=long_name)
    shown = type(table)(table.name, data, table.decimals)
    from IPython.core.formatters import format_display_data

    captured = []
    import IPython.display

    original = IPython.display.display
    IPython.display.display = lambda obj, *a, **k: captured.append(
        obj if k.get("raw") else format_display_data(obj)[0]
    )
    try:
        shown._ipython_display_()
    finally:
        IPython.display.display = original
    html = captured[-1]["text/html"]
    assert long_name.strip() in html and "..." not in html
    # no row index and no row of index names under the header
    head = html.split("<thead>")[1].split("</thead>")[0]
    assert head.count("<tr") == 1 and "<tbody>\n    <tr>\n      <th" not in html
