"""Goal attainment along the effect chain and the evidence-grade rubric, on hand-made data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from utvardering.effects.attainment import attainment, goal_attainment, indicator_status
from utvardering.effects.evidence import (
    BALANCE_LIMITS,
    PRETREND_LIMITS,
    SAMPLE_LIMITS,
    Criterion,
    CriterionCode,
    Status,
    grade_evidence,
)
from utvardering.effects.text import GRADE_LABELS, evidence_rubric, justification
from utvardering.errors import ParameterError
from utvardering.format import fmt_number

DIRECT = "varor_tjanster_direkt"


def _rows(project, indicator, stage, unit, target, reports):
    return [
        {
            "arende_id": project,
            "indikator": indicator,
            "steg": stage,
            "enhet": unit,
            "malvarde": target,
            "utfall": outcome,
            "rapport": report,
            "datum": pd.Timestamp(date),
        }
        for report, date, outcome in reports
    ]


@pytest.fixture
def tables():
    """P1 finished (07), P2 ongoing (07 and 08), P3 finished (07 and 09), P4 finished (08)."""
    rows = [
        # P1: final outcomes; a missing medium-term outcome; an index indicator.
        *_rows("P1", "deltagande_foretag", "prestation", "antal", 10.0, [
            ("ansokan", "2015-01-01", np.nan),
            ("lagesrapport", "2016-01-01", 4.0),
            ("slutrapport", "2017-03-01", 12.0),
        ]),
        *_rows("P1", "andel_okad_formaga", "kort_sikt", "procent", 50.0, [
            ("ansokan", "2015-01-01", np.nan),
            ("slutrapport", "2017-03-01", 40.0),
        ]),
        *_rows("P1", "omsattning_index", "medellang_sikt", "index", 110.0, [
            ("ansokan", "2015-01-01", np.nan),
            ("slutrapport", "2017-03-01", 105.0),
        ]),
        *_rows("P1", "foretag_nya_metoder", "medellang_sikt", "antal", 4.0, [
            ("ansokan", "2015-01-01", np.nan),
            ("slutrapport", "2017-03-01", np.nan),
        ]),
        # P2: ongoing; the latest progress report counts as progress, not as final.
        *_rows("P2", "deltagande_foretag", "prestation", "antal", 20.0, [
            ("ansokan", "2022-01-01", np.nan),
            ("lagesrapport", "2023-01-01", 5.0),
            ("lagesrapport", "2024-01-01", 10.0),
        ]),
        *_rows("P2", "andel_okad_formaga", "kort_sikt", "procent", 60.0, [
            ("ansokan", "2022-01-01", np.nan),
        ]),
        # P3: a target of 0 gives no attainment.
        *_rows("P3", "kunskapsunderlag", "prestation", "antal", 4.0, [
            ("ansokan", "2015-01-01", np.nan),
            ("slutrapport", "2017-03-01", 4.0),
        ]),
        *_rows("P3", "deltagande_organisationer", "prestation", "antal", 0.0, [
            ("ansokan", "2015-01-01", np.nan),
            ("slutrapport", "2017-03-01", 3.0),
        ]),
        # P4: another län only.
        *_rows("P4", "deltagande_foretag", "prestation", "antal", 10.0, [
            ("ansokan", "2015-01-01", np.nan),
            ("slutrapport", "2017-03-01", 30.0),
        ]),
    ]  # fmt: skip
    indicators = pd.DataFrame(rows)
    projects = pd.DataFrame(
        {"arende_id": ["P1", "P2", "P3", "P4"], "effektkedja": [DIRECT, DIRECT, "kunskap", DIRECT]}
    )
    lan = pd.DataFrame(
        {
            "arende_id": ["P1", "P2", "P2", "P3", "P3", "P4"],
            "lan_kod": ["07", "07", "08", "07", "09", "08"],
            "andel": [1.0, 0.5, 0.5, 0.5, 0.5, 1.0],
        }
    )
    return indicators, projects, lan


def test_attainment_is_outcome_over_target_and_index_has_base_100():
    result = attainment(
        [12, 40, 105, 3, 120, np.nan],
        [10, 50, 110, 0, 100, 5],
        ["antal", "procent", "index", "antal", "index", "kr"],
    )
    assert result[:3] == pytest.approx([1.2, 0.8, 0.5])
    # target 0, index target 100 (no room) and a missing outcome give no attainment
    assert np.isnan(result[3:]).all()


def test_indicator_status_final_progress_missing_and_unreported(tables):
    status = indicator_status(tables[0]).set_index(["arende_id", "indikator"])
    assert status.loc[("P1", "deltagande_foretag"), "status"] == "slutlig"
    assert status.loc[("P1", "deltagande_foretag"), "utfall"] == 12.0
    assert status.loc[("P1", "foretag_nya_metoder"), "status"] == "saknas"
    assert math.isnan(status.loc[("P1", "foretag_nya_metoder"), "maluppfyllelse"])
    progress = status.loc[("P2", "deltagande_foretag")]
    assert (progress["status"], progress["utfall"], progress["rapport"]) == (
        "pagaende",
        10.0,
        "lagesrapport",
    )
    assert progress["datum"] == pd.Timestamp("2024-01-01")
    assert progress["maluppfyllelse"] == pytest.approx(0.5)
    assert status.loc[("P2", "andel_okad_formaga"), "status"] == "ej_rapporterad"
    assert status.loc[("P1", "omsattning_index"), "maluppfyllelse"] == pytest.approx(0.5)
    assert bool(status.loc[("P1", "deltagande_foretag"), "nar_malet"]) is True
    assert status.loc[("P1", "foretag_nya_metoder"), "nar_malet"] is pd.NA
    assert len(status) == 9  # one row per project and indicator


def test_goal_attainment_by_stage_for_a_region(tables):
    result = goal_attainment(*tables, lan_kod="07")
    assert result.n_projects == 3 and result.n_finished == 2
    outputs = result.stage(DIRECT, "prestation")
    assert outputs["n_projekt"] == 2  # P1 and P2; P4 is in another län
    assert outputs["n_avslutade"] == 1
    assert (outputs["n_med_utfall"], outputs["n_nar_malen"]) == (1, 1)
    assert outputs["median_maluppfyllelse"] == pytest.approx(1.2)
    assert outputs["n_pagaende"] == 1
    assert outputs["median_framsteg"] == pytest.approx(0.5)
    short = result.stage(DIRECT, "kort_sikt")
    assert (short["n_med_utfall"], short["n_nar_malen"], short["andel_nar_malen"]) == (1, 0, 0.0)
    assert short["n_pagaende"] == 1 and math.isnan(short["median_framsteg"])
    medium = result.stage(DIRECT, "medellang_sikt")
    assert medium["n_utfall_saknas"] == 1
    assert medium["median_maluppfyllelse"] == pytest.approx(0.5)  # only the index counts
    knowledge = result.stage("kunskap", "prestation")
    # the indicator with target 0 has no attainment; the project is judged on the other one
    assert (knowledge["n_med_utfall"], knowledge["n_nar_malen"]) == (1, 1)
    empty = result.stage("infrastruktur", "prestation")
    assert empty["n_projekt"] == 0 and math.isnan(empty["andel_nar_malen"])
    assert len(result.per_stage) == 12  # four chains times three stages, always


def test_sums_are_weighted_by_the_projects_share_in_the_region(tables):
    table = goal_attainment(*tables, lan_kod="07").per_indicator.set_index("indikator")
    firms = table.loc["deltagande_foretag"]
    # only P1 is final (share 1); P2 is ongoing and not summed
    assert (firms["malvarde"], firms["utfall"], firms["n_slutliga"]) == (10.0, 12.0, 1)
    assert firms["n_pagaende"] == 1 and firms["n_projekt"] == 2
    knowledge = table.loc["kunskapsunderlag"]
    assert (knowledge["malvarde"], knowledge["utfall"]) == (2.0, 2.0)  # share 0.5
    # percentages are averaged, not summed
    assert table.loc["andel_okad_formaga", "utfall"] == 40.0
    assert table.loc["omsattning_index", "maluppfyllelse"] == pytest.approx(0.5)


def test_whole_country_counts_each_project_once(tables):
    result = goal_attainment(*tables)
    firms = result.per_indicator.set_index("indikator").loc["deltagande_foretag"]
    assert (firms["malvarde"], firms["utfall"]) == (20.0, 42.0)  # P1 + P4
    assert firms["maluppfyllelse"] == pytest.approx(2.1)
    assert result.n_projects == 4


def test_unknown_region_is_a_parameter_error(tables):
    with pytest.raises(ParameterError, match=r"lan_kod.*'99'"):
        goal_attainment(*tables, lan_kod="99")


# The evidence rubric (effects/evidence.py): design ceiling, one step down per weakness, C on
# any failure.
GOOD = {"pretrend_p": 0.5, "max_smd": 0.05, "n_treated": 200, "comparison": "lan"}


@pytest.mark.parametrize(("design", "grade"), [("stark", "A"), ("medel", "B"), ("svag", "C")])
def test_design_sets_the_ceiling(design, grade):
    assert grade_evidence(design, **GOOD).grade == grade


@pytest.mark.parametrize(
    ("change", "grade"),
    [
        ({"pretrend_p": 0.10}, "A"),
        ({"pretrend_p": 0.0999}, "B"),
        ({"pretrend_p": 0.01}, "B"),
        ({"pretrend_p": 0.0099}, "C"),
        ({"pretrend_p": None}, "B"),
        ({"max_smd": 0.0999}, "A"),
        ({"max_smd": 0.10}, "B"),
        ({"max_smd": 0.25}, "B"),
        ({"max_smd": 0.2501}, "C"),
        ({"max_smd": None}, "B"),
        ({"n_treated": 50}, "A"),
        ({"n_treated": 49}, "B"),
        ({"n_treated": 20}, "B"),
        ({"n_treated": 19}, "C"),
        ({"comparison": "riket"}, "B"),
        ({"comparison": "riket", "n_treated": 30}, "C"),
        ({"warnings": ["fa_kluster"]}, "B"),
    ],
)
def test_each_criterion_moves_the_grade(change, grade):
    assert grade_evidence("stark", **{**GOOD, **change}).grade == grade


def test_medium_design_with_one_weakness_is_c():
    assert grade_evidence("medel", **{**GOOD, "comparison": "riket"}).grade == "C"


def test_grade_is_codes_and_numbers_and_the_text_layer_words_it():
    grade = grade_evidence("stark", **{**GOOD, "pretrend_p": 0.04, "n_treated": 14})
    assert grade.grade == "C" and grade.design == "stark"
    criteria = {c.code: c for c in grade.criteria}
    assert criteria[CriterionCode.PRETRENDS] == Criterion(
        CriterionCode.PRETRENDS, Status.WEAK, 0.04
    )
    assert criteria[CriterionCode.SAMPLE].status == Status.FAILED
    text = justification(grade)
    assert text.startswith("Evidensgrad C.")
    assert "för få stödda företag (14)" in text
    assert "p = 0,04" in text
    assert GRADE_LABELS[grade.grade] == "C – svagt underlag"


def test_naive_design_is_c_whatever_the_diagnostics():
    grade = grade_evidence("svag", n_treated=500)
    assert grade.grade == "C"
    assert "naiv jämförelse av de stödda företagen" in justification(grade, "fore_efter_naiv")


def test_rubric_text_reads_the_limits_of_the_grading():
    rubric = evidence_rubric()
    for limit in (*PRETREND_LIMITS, *BALANCE_LIMITS):
        assert fmt_number(limit, 2) in rubric
    assert f"minst {SAMPLE_LIMITS[0]}" in rubric and f"färre än {SAMPLE_LIMITS[1]}" in rubric
    assert all(f"**{grade}**" in rubric for grade in "ABC")


def test_unknown_design_is_a_parameter_error():
    with pytest.raises(ParameterError, match="design"):
        grade_evidence("perfekt")


def test_missing_outcomes_are_counted_as_values_and_as_projects(tables):
    """A project that lacks two outcomes in its final report is one project with missing
    values and two missing values; text, table and figure say which is which."""
    from utvardering.effects.figures import _summary_lines
    from utvardering.effects.text import table_attainment, text_attainment

    indicators, projects, lan = tables
    extra = pd.DataFrame(
        _rows("P1", "nya_produkter", "medellang_sikt", "antal", 2.0, [
            ("ansokan", "2015-01-01", np.nan),
            ("slutrapport", "2017-03-01", np.nan),
        ])
    )  # fmt: skip
    result = goal_attainment(pd.concat([indicators, extra]), projects, lan, lan_kod="07")
    medium = result.stage(DIRECT, "medellang_sikt")
    assert (medium["n_utfall_saknas"], medium["n_projekt_utfall_saknas"]) == (2, 1)
    row = table_attainment(result).set_index(["Steg"]).loc["Effekter på medellång sikt"]
    assert row["Saknade indikatorvärden"] == 2 and row["Projekt med saknade värden"] == 1
    assert "Utfall saknas" not in table_attainment(result).columns
    words = text_attainment(result, "Testlän")
    assert "saknas 2 indikatorvärden, i 1 projekt" in words
    assert "2 indikatorvärden saknas, i 1 projekt" in _summary_lines(medium)
    # shares are numbers in a column headed in per cent, not "67 %" cells
    assert "Andel som når alla mål (%)" in table_attainment(result).columns


def test_a_project_without_any_final_value_at_a_stage_is_left_out_of_the_share(tables):
    indicators, projects, lan = tables
    # P1's only medium-term outcomes both missing: drop the index indicator's final value
    rows = indicators[
        ~((indicators["arende_id"] == "P1") & (indicators["indikator"] == "omsattning_index"))
    ]
    result = goal_attainment(rows, projects, lan, lan_kod="07")
    medium = result.stage(DIRECT, "medellang_sikt")
    assert medium["n_med_utfall"] == 0 and medium["n_projekt_utfall_saknas"] == 1
    from utvardering.effects.text import text_attainment

    words = text_attainment(result, "Testlän")
    assert "inget projekt har slutligt utfall" in words
    assert "saknas 1 indikatorvärde, i 1 projekt" in words
    assert "1 projekt saknar alla sina värden i steget" in words


def test_the_fall_along_the_chain_is_said_only_when_the_data_show_it(tables):
    from utvardering.effects.text import text_attainment

    indicators, projects, lan = tables
    words = text_attainment(goal_attainment(indicators, projects, lan, lan_kod="07"), "X")
    assert "Att färre når målen längre fram i kedjan är väntat" in words
    assert "pågående projekt visas som framsteg" in words  # P2 is ongoing
    rising = indicators.copy()
    final = rising["rapport"] == "slutrapport"
    rising.loc[final & (rising["indikator"] == "deltagande_foretag"), "utfall"] = 1.0
    rising.loc[final & (rising["indikator"] == "kunskapsunderlag"), "utfall"] = 1.0
    rising.loc[final & (rising["indikator"] == "omsattning_index"), "utfall"] = 120.0
    words = text_attainment(goal_attainment(rising, projects, lan, lan_kod="07"), "X")
    assert "längre fram i kedjan" not in words
