"""The maturity scores against values computed by hand on a small survey.

The fixture (``answers``) has three dimensions (a, b, c, two questions each) and these rounds:

* 2023, region 07: R1, R2 answer everything.
* 2025, region 07: R1-R4; one "vet ej" in a, R3 only "vet ej" in b, everybody "vet ej" in c.
* 2025, region 08: one respondent (S1), one "vet ej" in b.
* 2025, region 10: T1-T3 answer 3 everywhere.
* Region 09 has no rows at all in 2023 (no responses), like Gotland in the shipped data.

Hand computations are written beside each assertion. Quartiles use linear interpolation
(pandas, R type 7): for sorted x of length n the p-quantile is at position (n - 1) * p.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from utvardering.errors import ParameterError
from utvardering.maturity import (
    MaturityParameters,
    assess,
    dimension_scores,
    overall_levels,
    respondent_scores,
    result_record,
)
from utvardering.maturity.scoring import (
    NEXT_STEPS,
    default_target,
    national_place,
    next_step_order,
    reached_level,
    select_next_steps,
    targets_and_gaps,
)
from utvardering.maturity.text import (
    text_dimensions,
    text_next_steps,
    text_no_responses,
    text_overall,
    text_strengths,
    text_title,
    text_trend,
)
from utvardering.models import Dimension, MaturityModel, Question
from utvardering.protocol import result_file
from utvardering.results import RESULT_SCHEMA_VERSION, check_result

TOL = 1e-9  # all expected values are exact fractions


def _model() -> MaturityModel:
    dimensions = tuple(
        Dimension(
            id=d,
            name=f"Dimension {d.upper()}",
            description=f"Om {d}",
            levels={level: f"{d.upper()} på nivå {level}" for level in range(1, 6)},
            questions=(Question(f"{d}.1", "Påstående 1"), Question(f"{d}.2", "Påstående 2")),
        )
        for d in ("a", "b", "c")
    )
    return MaturityModel(
        name="Testmodell",
        version="0.1",
        source="Test",
        description="En modell för test.",
        scale="1–5",
        levels={level: (f"Nivå{level}", f"Allmän nivå {level}") for level in range(1, 6)},
        dimensions=dimensions,
    )


MODEL = _model()
NA = None


def _rows(survey_round: int, lan_kod: str, respondent: str, **answers: int | None) -> list[dict]:
    return [
        {
            "omgang": survey_round,
            "lan_kod": lan_kod,
            "respondent": respondent,
            "roll": "Analytiker",
            "fraga": question.replace("_", "."),
            "svar": value,
            "kommentar": None,
        }
        for question, value in answers.items()
    ]


@pytest.fixture
def answers() -> pd.DataFrame:
    rows = []
    # 2023, region 07
    rows += _rows(2023, "07", "07-R1", a_1=2, a_2=2, b_1=3, b_2=3, c_1=1, c_2=2)
    rows += _rows(2023, "07", "07-R2", a_1=2, a_2=3, b_1=4, b_2=5, c_1=2, c_2=2)
    # 2025, region 07
    rows += _rows(2025, "07", "07-R1", a_1=2, a_2=3, b_1=3, b_2=3, c_1=NA)
    rows += _rows(2025, "07", "07-R2", a_1=3, a_2=NA, b_1=4, b_2=4, c_1=NA)
    rows += _rows(2025, "07", "07-R3", a_1=4, a_2=4, b_1=NA, b_2=NA, c_1=NA)
    rows += _rows(2025, "07", "07-R4", a_1=1, a_2=2, b_1=3, b_2=4, c_1=NA)
    # 2025, region 08: one respondent
    rows += _rows(2025, "08", "08-S1", a_1=5, a_2=5, b_1=2, b_2=NA, c_1=3, c_2=4)
    # 2025, region 10: three respondents who agree on 3
    for person in ("T1", "T2", "T3"):
        rows += _rows(2025, "10", f"10-{person}", a_1=3, a_2=3, b_1=3, b_2=3, c_1=3, c_2=3)
    frame = pd.DataFrame(rows)
    frame["omgang"] = frame["omgang"].astype("Int64")
    frame["svar"] = frame["svar"].astype("Int64")
    frame.loc[0, "kommentar"] = "Vi har <b>en</b> plan."
    return frame


def _row(scores: pd.DataFrame, survey_round: int, lan_kod: str, dimension: str) -> pd.Series:
    hit = scores[
        (scores["omgang"] == survey_round)
        & (scores["lan_kod"] == lan_kod)
        & (scores["dimension"] == dimension)
    ]
    assert len(hit) == 1
    return hit.iloc[0]


# --- respondent and dimension scores ---------------------------------------------------------


def test_respondent_score_is_mean_of_own_answers_without_vet_ej(answers):
    scores = respondent_scores(answers, MODEL).set_index(
        ["omgang", "lan_kod", "respondent", "dimension"]
    )
    assert scores.loc[(2025, "07", "07-R1", "a"), "poang"] == pytest.approx(2.5)  # (2+3)/2
    assert scores.loc[(2025, "07", "07-R2", "a"), "poang"] == pytest.approx(3.0)  # 3, "vet ej"
    assert scores.loc[(2025, "07", "07-R2", "a"), "n_vet_ej"] == 1
    assert math.isnan(scores.loc[(2025, "07", "07-R3", "b"), "poang"])  # only "vet ej"
    assert scores.loc[(2025, "07", "07-R3", "b"), "n_svar"] == 0


def test_dimension_with_several_respondents_and_vet_ej(answers):
    a = _row(dimension_scores(answers, MODEL), 2025, "07", "a")
    # respondent scores 2.5, 3.0, 4.0, 1.5 -> sorted 1.5, 2.5, 3.0, 4.0
    assert a["median"] == pytest.approx(2.75, abs=TOL)  # (2.5 + 3.0) / 2
    assert a["medel"] == pytest.approx(2.75, abs=TOL)  # 11 / 4
    assert a["q1"] == pytest.approx(2.25, abs=TOL)  # pos 0.75: 1.5 + 0.75 * 1.0
    assert a["q3"] == pytest.approx(3.25, abs=TOL)  # pos 2.25: 3.0 + 0.25 * 1.0
    assert a["iqr"] == pytest.approx(1.0, abs=TOL)
    # within one level of 2.75: 2.5 and 3.0, not 1.5 or 4.0 (1.25 away)
    assert a["samstammighet"] == pytest.approx(0.5, abs=TOL)
    assert (a["n_respondenter"], a["n_svar"], a["n_vet_ej"]) == (4, 7, 1)
    assert a["uppnadd_niva"] == 2
    assert not a["lag_tillforlitlighet"]


def test_median_is_over_respondents_not_over_pooled_answers(answers):
    a = _row(dimension_scores(answers, MODEL), 2025, "07", "a")
    pooled = answers[
        (answers["omgang"] == 2025) & (answers["lan_kod"] == "07") & answers["fraga"].str[0].eq("a")
    ]["svar"].median()
    assert pooled == 3  # answers 2, 3, 3, 4, 4, 1, 2
    assert a["median"] == pytest.approx(2.75)  # each respondent counts once


def test_respondent_with_only_vet_ej_is_not_counted(answers):
    b = _row(dimension_scores(answers, MODEL), 2025, "07", "b")
    # scores 3.0 (R1), 4.0 (R2), 3.5 (R4); R3 answered only "vet ej"
    assert b["median"] == pytest.approx(3.5)
    assert b["q1"] == pytest.approx(3.25)  # pos 0.5
    assert b["q3"] == pytest.approx(3.75)  # pos 1.5
    assert b["samstammighet"] == pytest.approx(1.0)
    assert (b["n_respondenter"], b["n_svar"], b["n_vet_ej"]) == (3, 6, 2)
    assert b["uppnadd_niva"] == 3


def test_dimension_without_answers_has_no_level_and_is_not_zero(answers):
    c = _row(dimension_scores(answers, MODEL), 2025, "07", "c")
    assert math.isnan(c["median"]) and math.isnan(c["medel"])
    assert (c["n_respondenter"], c["n_svar"], c["n_vet_ej"]) == (0, 0, 4)
    assert pd.isna(c["uppnadd_niva"])
    assert c["lag_tillforlitlighet"]


def test_two_respondents_are_low_reliability(answers):
    a = _row(dimension_scores(answers, MODEL), 2023, "07", "a")
    assert a["median"] == pytest.approx(2.25)  # scores 2.0 and 2.5
    assert a["n_respondenter"] == 2
    assert a["lag_tillforlitlighet"]


def test_one_respondent_has_no_spread_or_agreement(answers):
    scores = dimension_scores(answers, MODEL)
    b = _row(scores, 2025, "08", "b")
    assert b["median"] == pytest.approx(2.0)  # 2 and "vet ej"
    assert b["n_respondenter"] == 1
    for column in ("q1", "q3", "iqr", "samstammighet"):
        assert math.isnan(b[column]), column


def test_agreement_counts_exactly_one_level_as_agreeing():
    answers = pd.DataFrame(
        {
            "omgang": pd.array([2025] * 3, dtype="Int64"),
            "lan_kod": ["07"] * 3,
            "respondent": ["x", "y", "z"],
            "roll": [None] * 3,
            "fraga": ["a.1"] * 3,
            "svar": pd.array([1, 2, 4], dtype="Int64"),
            "kommentar": [None] * 3,
        }
    )
    a = _row(dimension_scores(answers, MODEL), 2025, "07", "a")
    assert a["median"] == 2  # 1 and 2 are within one level, 4 is two away
    assert a["samstammighet"] == pytest.approx(2 / 3)


# --- overall level ---------------------------------------------------------------------------


def test_staged_level_is_floor_of_the_weakest_dimension(answers):
    overall = overall_levels(dimension_scores(answers, MODEL)).set_index(["omgang", "lan_kod"])
    # 2025, 07: a 2.75 reaches 2, b 3.5 reaches 3, c has no answers -> staged 2
    assert overall.loc[(2025, "07"), "trappstegsniva"] == 2
    assert overall.loc[(2025, "07"), "profilmedel"] == pytest.approx(3.125)  # (2.75 + 3.5) / 2
    assert overall.loc[(2025, "07"), "n_dimensioner_utan_svar"] == 1
    # 2023, 07: a 2.25, b 3.75, c 1.75 -> floors 2, 3, 1 -> staged 1
    assert overall.loc[(2023, "07"), "trappstegsniva"] == 1
    assert overall.loc[(2023, "07"), "profilmedel"] == pytest.approx(7.75 / 3)
    # 2025, 08: a 5, b 2, c 3.5 -> staged 2, profile 10.5 / 3
    assert overall.loc[(2025, "08"), "trappstegsniva"] == 2
    assert overall.loc[(2025, "08"), "profilmedel"] == pytest.approx(3.5)


@pytest.mark.parametrize(
    ("median", "level"),
    [(1.0, 1), (2.99, 2), (3.0, 3), (3.0 - 1e-12, 3), (4.999, 4), (5.0, 5), (float("nan"), None)],
)
def test_reached_level_rounds_down(median, level):
    assert reached_level(median) == level


def test_default_target_is_one_level_up_at_most_five():
    assert default_target(2.75) == 3
    assert default_target(3.0) == 4
    assert default_target(4.9) == 5
    assert default_target(5.0) == 5
    assert default_target(None) is None


# --- assessment: trend, targets, next steps, national place ---------------------------------


def test_assessment_of_a_region_with_trend(answers):
    a = assess(answers, MODEL, "07", 2025)
    d = a.dimensions
    assert list(d.index) == ["a", "b", "c"]
    assert (a.n_respondents, a.n_answers, a.n_dont_know) == (4, 13, 7)
    assert (a.staged_level, a.profile_mean) == (2, pytest.approx(3.125))
    assert a.previous_round == 2023 and a.took_part_previous
    assert (a.staged_level_previous, a.n_respondents_previous) == (1, 2)
    assert d.loc["a", "trend"] == pytest.approx(0.5)  # 2.75 - 2.25
    assert d.loc["b", "trend"] == pytest.approx(-0.25)  # 3.5 - 3.75
    assert math.isnan(d.loc["c", "trend"])  # no answers now
    assert d.loc["c", "foregaende_median"] == pytest.approx(1.75)
    assert not a.low_reliability and not a.single_respondent


def test_national_distribution_and_place(answers):
    d = assess(answers, MODEL, "07", 2025).dimensions
    # dimension a: 07 2.75, 08 5.0, 10 3.0
    assert d.loc["a", "riket_median"] == pytest.approx(3.0)
    assert d.loc["a", "riket_q1"] == pytest.approx(2.875)  # pos 0.5 of 2.75, 3, 5
    assert d.loc["a", "riket_q3"] == pytest.approx(4.0)  # pos 1.5
    assert (d.loc["a", "riket_min"], d.loc["a", "riket_max"]) == (2.75, 5.0)
    assert d.loc["a", "rang"] == 3 and d.loc["a", "andel_lagre"] == 0.0
    # dimension b: 07 3.5, 08 2.0, 10 3.0 -> first, above both others
    assert d.loc["b", "rang"] == 1 and d.loc["b", "andel_lagre"] == 1.0
    # dimension c: 07 has no answers; 08 and 10 do
    assert d.loc["c", "n_regioner"] == 2 and pd.isna(d.loc["c", "rang"])


def test_ties_share_a_rank():
    matrix = pd.DataFrame({"a": [3.0, 3.0, 2.0, 4.0]}, index=["07", "08", "10", "12"])
    place = national_place(matrix, "07")
    assert place.loc["a", "rang"] == 2  # only 12 is higher; 08 ties
    assert place.loc["a", "andel_lagre"] == pytest.approx(1 / 3)  # 10 of 08, 10, 12


def test_default_targets_gaps_and_next_steps(answers):
    a = assess(answers, MODEL, "07", 2025)
    d = a.dimensions
    assert list(d["malniva"]) == [3, 4, pd.NA]  # one above 2 and 3; none without answers
    assert d.loc["a", "gap"] == pytest.approx(0.25) and d.loc["b", "gap"] == pytest.approx(0.5)
    assert d.loc["a", "malkalla"] == "standard"
    # b has the larger gap (0.5 > 0.25), so it comes first, although a is weaker
    assert [s.dimension for s in a.next_steps] == ["b", "a"]
    step = a.next_steps[1]
    assert (step.dimension, step.from_level, step.to_level, step.target) == ("a", 2, 3, 3)
    assert step.descriptor == "A på nivå 3"
    assert step.level_name == "Nivå3"


def test_targets_table_wins_and_orders_next_steps(answers):
    targets = pd.DataFrame(
        {"lan_kod": ["07", "07", "07", "08"], "dimension": ["a", "b", "c", "a"],
         "malniva": [2, 5, 4, 1]}
    )  # fmt: skip
    a = assess(answers, MODEL, "07", 2025, targets=targets)
    d = a.dimensions
    assert list(d["malniva"]) == [2, 5, 4]
    assert set(d["malkalla"]) == {"mognadsmal"}
    assert d.loc["a", "gap"] == pytest.approx(-0.75)  # target 2 already passed
    assert d.loc["b", "gap"] == pytest.approx(1.5) and d.loc["b", "nivaer_kvar"] == 2
    assert math.isnan(d.loc["c", "gap"])  # a target but no level
    steps = a.next_steps
    assert [s.dimension for s in steps] == ["b"]
    assert (steps[0].from_level, steps[0].to_level, steps[0].target) == (3, 4, 5)
    assert steps[0].descriptor == "B på nivå 4"


def _gaps(medians: list[float], targets: list[int], ids: list[str] | None = None) -> pd.DataFrame:
    ids = ids or ["a", "b", "c"][: len(medians)]
    return pd.DataFrame(
        {
            "median": medians,
            "malniva": targets,
            "gap": [t - m for m, t in zip(medians, targets, strict=True)],
            "nivaer_kvar": [t - math.floor(m) for m, t in zip(medians, targets, strict=True)],
        },
        index=ids,
    )


def test_next_steps_take_the_largest_gap_first():
    # gaps 2.1, 0.5 and 1.0: the weakest dimension (b, 1.5) has the smallest gap
    frame = _gaps([2.9, 1.5, 3.0], [5, 2, 4])
    steps = select_next_steps(frame, MODEL, n=2)
    assert [s.dimension for s in steps] == ["a", "c"]
    assert [s.gap for s in steps] == pytest.approx([2.1, 1.0])
    assert next_step_order(frame, MODEL) == ["a", "c", "b"]
    assert select_next_steps(frame, MODEL, n=0) == ()
    assert len(select_next_steps(frame, MODEL)) == min(NEXT_STEPS, 3)
    with pytest.raises(ParameterError, match="0 eller fler"):
        select_next_steps(frame, MODEL, n=-1)


@pytest.mark.parametrize(
    "medians",
    [[2.2, 2.3, 3.0], [3.0, 2.0, 2.3], [2.5, 3.5, 1.2], [4.9, 1.0, 2.0], [3.3, 3.0, 2.7]],
)
def test_a_larger_gap_is_never_passed_over_for_a_smaller_one(medians):
    # default targets: one level above the reached level
    frame = _gaps(medians, [min(5, math.floor(m) + 1) for m in medians])
    for n in (1, 2, 3):
        chosen = {s.dimension for s in select_next_steps(frame, MODEL, n=n)}
        smallest_chosen = min(frame.loc[d, "gap"] for d in chosen)
        left_out = frame.drop(index=list(chosen))
        assert (left_out["gap"] <= smallest_chosen + 1e-9).all(), (medians, n)


def test_equal_gaps_go_to_the_lower_level_then_model_order():
    # a (3.0 → 4), b (2.0 → 3) and c (3.0 → 4) all have a gap of 1.0: b has the lowest level;
    # a and c are tied on level too, and a comes first in the model
    frame = _gaps([3.0, 2.0, 3.0], [4, 3, 4])
    assert next_step_order(frame, MODEL) == ["b", "a", "c"]
    assert [s.dimension for s in select_next_steps(frame, MODEL, n=2)] == ["b", "a"]
    # float noise does not break a tie: 0.9999999999 is a gap of 1.0
    frame.loc["c", "gap"] = 0.9999999999
    assert next_step_order(frame, MODEL) == ["b", "a", "c"]
    # a reached target (gap 0) or no level is never a next step
    frame = _gaps([5.0, 2.0, 3.0], [5, 3, 2])
    assert next_step_order(frame, MODEL) == ["b"]


def test_the_next_steps_text_states_the_rule_and_names_tied_dimensions_left_out(answers):
    a = assess(answers, MODEL, "07", 2025, n_next_steps=1)
    # b (gap 0.5) is shown, a (gap 0.25) is not
    text = text_next_steps(a)
    assert "störst gap till målnivån" in text and "Vid lika stort gap" in text
    assert "### 1. Dimension B" in text and "### 2." not in text
    assert "har ett gap på" not in text  # nobody left out with the same gap
    # region 10 answers 3 everywhere: three dimensions with a gap of 1.0, one shown
    tied_region = assess(answers, MODEL, "10", 2025, n_next_steps=1)
    text = text_next_steps(tied_region)
    assert "### 1. Dimension A" in text
    assert (
        "Också Dimension B och Dimension C har samma gap och samma nivå i dag som "
        "Dimension A, men kommer senare i modellen" in text
    )


def test_targets_and_gaps_without_table():
    out = targets_and_gaps(pd.Series({"a": 5.0, "b": 1.0}), "07")
    assert list(out["malniva"]) == [5, 2]
    assert list(out["gap"]) == [0.0, 1.0]


def test_no_responses_in_the_round_is_a_result_not_an_error(answers):
    a = assess(answers, MODEL, "09", 2023)
    assert a.no_responses and a.low_reliability
    assert (a.n_respondents, a.staged_level, a.profile_mean) == (0, None, None)
    assert a.dimensions["median"].isna().all()
    assert (a.dimensions["n_respondenter"] == 0).all()
    assert a.next_steps == ()
    assert a.n_regions == 1  # only 07 answered in 2023
    record = result_record(a)
    assert record["inga_svar"] is True and record["trappstegsniva"] is None
    assert record["dimensioner_utan_svar"] == ["a", "b", "c"]
    assert "Ingen från 09 har svarat på mognadsenkäten i omgång 2023" in text_no_responses(a)
    assert text_overall(a) == "" and text_next_steps(a) == "" and text_trend(a) == ""
    assert "inga svar" in text_title(a)


def test_one_respondent_assessment_and_text(answers):
    a = assess(answers, MODEL, "08", 2025)
    assert a.single_respondent and a.low_reliability
    assert a.dimensions["iqr"].isna().all()
    assert not a.took_part_previous and not a.has_trend
    text = text_overall(a)
    assert "En enda respondent" in text and "minst två svarande" in text
    assert "**Underlag:** En person svarade, med totalt 5 svar. Dessutom fanns 1 svar" in text
    assert "spridning" in text_dimensions(a)
    assert "inte att säga något om hur eniga" in text_strengths(a)
    assert "har inga svar i omgång 2023" in text_trend(a)
    # a (median 5) has reached its target 5; b then c
    assert [s.dimension for s in a.next_steps] == ["b", "c"]


def test_texts_name_the_levels_and_the_missing_dimension(answers):
    a = assess(answers, MODEL, "07", 2025)
    overall = text_overall(a)
    assert "**Trappstegsnivå: 2** (Nivå2)" in overall
    assert "**Profilmedel: 3,1.**" in overall  # 3.125 with one decimal
    assert "Dimension C har inga svar" in overall
    steps = text_next_steps(a)
    assert "från nivå 2 till nivå 3" in steps and "> A på nivå 3" in steps
    trend = text_trend(a)
    # 7.75/3 = 2.583 and 3.125, with two decimals so that the change is their difference
    assert "från 2,58 till 3,12 (+0,54 nivåer)" in trend


def test_result_record_has_the_contract_fields(answers, tmp_path):
    record = result_record(assess(answers, MODEL, "07", 2025))
    # the body only: the envelope comes from the protocol
    assert not {"rapport", "parametrar", "filer", "schemaversion"} & set(record)
    assert record["lan_kod"] == "07" and record["omgang"] == 2025
    assert record["nivaer"]["a"] == pytest.approx(2.75) and math.isnan(record["nivaer"]["c"])
    first = record["dimensioner"][0]
    for key in ("median", "medel", "iqr", "n_respondenter", "n_svar", "samstammighet",
                "malniva", "gap", "trend", "rang", "riket_median"):  # fmt: skip
        assert key in first, key
    assert [s["dimension"] for s in record["nasta_steg"]] == ["b", "a"]  # gaps 0.5 and 0.25
    params = MaturityParameters.check(lan_kod="07", omgang=2025)
    full = result_file("mognad", params, record, {"radar": "x.png"}, data_dir="data")
    assert (full["rapport"], full["schemaversion"]) == ("mognad", RESULT_SCHEMA_VERSION)
    assert full["parametrar"] == {"lan_kod": "07", "omgang": 2025, "data_dir": "data"}
    assert full["filer"] == {"radar": "x.png"}
    check_result(full, "mognad", tmp_path / "mognad.json")  # follows the shipped schema


def test_comments_are_kept_without_respondent(answers):
    a = assess(answers, MODEL, "07", 2023)
    assert list(a.comments.columns) == ["dimension", "roll", "kommentar"]
    assert a.comments.iloc[0]["kommentar"] == "Vi har <b>en</b> plan."


@pytest.mark.parametrize("survey_round", [2024, 2019])
def test_a_round_not_in_the_survey_is_a_parameter_error(answers, survey_round):
    # the region code and the type of omgang are checked by MaturityParameters; whether the
    # round is in the survey only where the answers are
    with pytest.raises(ParameterError, match=f"Omgång {survey_round} finns inte.*2023, 2025"):
        assess(answers, MODEL, "07", survey_round)


def test_unknown_question_is_a_clear_error(answers):
    answers.loc[0, "fraga"] = "x.9"
    with pytest.raises(ParameterError, match=r"x\.9"):
        dimension_scores(answers, MODEL)


def test_input_is_not_mutated(answers):
    before = answers.copy()
    assess(answers, MODEL, "07", 2025)
    pd.testing.assert_frame_equal(answers, before)
