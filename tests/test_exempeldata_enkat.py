"""Tests of the maturity model (data/mognadsmodell.yaml) and the simulated maturity survey."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from utvardering.exempeldata.enkat import ROLES, simulate_survey
from utvardering.vocabulary import LAN_CODES, MATURITY_LEVELS

MODEL_PATH = Path(__file__).parents[1] / "data" / "mognadsmodell.yaml"

DIMENSION_IDS = (
    "uppfoljning_utvardering",
    "aterkoppling",
    "omvarldsanalys",
    "effektkedjor",
    "indikatorer_data",
    "analyskapacitet",
    "styrkedja",
    "internt_larande",
    "samverkan",
)

# Approximate populations (2023) of the 21 län, in the order of LAN_CODES.
POPULATION = (
    2_450_000,
    400_000,
    302_000,
    471_000,
    367_000,
    204_000,
    246_000,
    61_000,
    157_000,
    1_420_000,
    342_000,
    1_750_000,
    283_000,
    306_000,
    279_000,
    288_000,
    287_000,
    244_000,
    132_000,
    275_000,
    249_000,
)

ROUNDS = (2023, 2025)
COLUMNS = ["omgang", "lan_kod", "respondent", "roll", "fraga", "svar", "kommentar"]


@pytest.fixture(scope="module")
def model() -> dict:
    with MODEL_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def population() -> pd.Series:
    return pd.Series(POPULATION, index=list(LAN_CODES), name="folkmangd")


@pytest.fixture(scope="module")
def survey(model: dict, population: pd.Series) -> pd.DataFrame:
    return simulate_survey(model, population, np.random.default_rng(20171214), rounds=ROUNDS)


def _question_ids(model: dict) -> list[str]:
    return [q["id"] for d in model["dimensioner"] for q in d["fragor"]]


# --- the maturity model ---------------------------------------------------------------------


def test_model_top_level_keys(model: dict) -> None:
    for key in ("namn", "version", "kalla", "beskrivning", "skala", "nivaer", "dimensioner"):
        assert key in model, key
        assert model[key], key
    assert model["version"] == "1.0"
    assert "vet ej" in model["skala"]


def test_model_levels_match_vocabulary(model: dict) -> None:
    levels = model["nivaer"]
    assert [level["niva"] for level in levels] == [1, 2, 3, 4, 5]
    assert {level["niva"]: level["namn"] for level in levels} == MATURITY_LEVELS
    assert all(str(level["beskrivning"]).strip() for level in levels)


def test_model_dimensions_in_order(model: dict) -> None:
    assert tuple(d["id"] for d in model["dimensioner"]) == DIMENSION_IDS
    for dimension in model["dimensioner"]:
        assert str(dimension["namn"]).strip()
        assert str(dimension["beskrivning"]).strip()


def test_model_dimension_descriptors(model: dict) -> None:
    for dimension in model["dimensioner"]:
        descriptors = dimension["nivaer"]
        assert sorted(descriptors) == [1, 2, 3, 4, 5], dimension["id"]
        texts = [str(descriptors[level]).strip() for level in range(1, 6)]
        assert all(len(text) > 40 for text in texts), dimension["id"]
        assert len(set(texts)) == 5, dimension["id"]


def test_model_questions(model: dict) -> None:
    for dimension in model["dimensioner"]:
        questions = dimension["fragor"]
        assert 2 <= len(questions) <= 4, dimension["id"]
        pattern = re.compile(rf"^{re.escape(dimension['id'])}\.(\d+)$")
        numbers = []
        for question in questions:
            match = pattern.match(question["id"])
            assert match, question["id"]
            numbers.append(int(match.group(1)))
            assert str(question["text"]).strip()
        assert numbers == list(range(1, len(questions) + 1)), dimension["id"]
    ids = _question_ids(model)
    assert len(ids) == len(set(ids))


# --- the simulated survey -------------------------------------------------------------------


def test_survey_columns_and_dtypes(survey: pd.DataFrame) -> None:
    assert list(survey.columns) == COLUMNS
    assert pd.api.types.is_integer_dtype(survey["omgang"])
    assert not isinstance(survey["omgang"].dtype, pd.Int64Dtype)
    for column in ("lan_kod", "respondent", "roll", "fraga", "kommentar"):
        assert pd.api.types.is_string_dtype(survey[column]), column
        assert survey[column].notna().all(), column
    assert survey["svar"].dtype == "Int64"
    assert isinstance(survey.index, pd.RangeIndex)
    assert survey.index.equals(pd.RangeIndex(len(survey)))


def test_survey_sorted(survey: pd.DataFrame) -> None:
    keys = ["omgang", "lan_kod", "respondent", "fraga"]
    expected = survey.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(survey, expected)
    assert not survey.duplicated(keys).any()


def test_survey_values(survey: pd.DataFrame, model: dict) -> None:
    assert set(survey["omgang"]) == set(ROUNDS)
    assert set(survey["lan_kod"]) <= set(LAN_CODES)
    assert set(survey["roll"]) <= set(ROLES)
    assert set(survey["fraga"]) == set(_question_ids(model))
    answers = survey["svar"].dropna()
    assert answers.between(1, 5).all()
    assert set(answers.unique()) >= {1, 2, 3, 4, 5}
    assert survey["respondent"].str.fullmatch(r"\d{2}-R\d{2}").all()
    assert (survey["respondent"].str[:2] == survey["lan_kod"]).all()


def test_survey_missing_share(survey: pd.DataFrame) -> None:
    share = survey["svar"].isna().mean()
    assert 0.02 <= share <= 0.10


def test_survey_comments(survey: pd.DataFrame) -> None:
    share = (survey["kommentar"] != "").mean()
    assert 0.005 <= share <= 0.08
    assert survey.loc[survey["kommentar"] != "", "kommentar"].str.len().max() < 120


def test_survey_respondents_per_region_and_round(survey: pd.DataFrame) -> None:
    counts = survey.groupby(["omgang", "lan_kod"])["respondent"].nunique()
    assert counts.between(2, 9).all()
    # Larger regions have more respondents on average.
    mean_counts = counts.groupby("lan_kod").mean()
    assert mean_counts["01"] > mean_counts["09"]
    assert mean_counts["14"] > mean_counts["23"]


def test_every_respondent_answers_every_question(survey: pd.DataFrame, model: dict) -> None:
    questions = sorted(_question_ids(model))
    per_respondent = survey.groupby(["omgang", "respondent"])["fraga"].agg(sorted)
    assert all(answered == questions for answered in per_respondent)
    # Role and region are constant per respondent and round.
    assert (survey.groupby(["omgang", "respondent"])[["roll", "lan_kod"]].nunique() == 1).all(
        axis=None
    )


def test_gotland_absent_in_first_round(survey: pd.DataFrame) -> None:
    first, second = ROUNDS
    first_regions = set(survey.loc[survey["omgang"] == first, "lan_kod"])
    second_regions = set(survey.loc[survey["omgang"] == second, "lan_kod"])
    assert "09" not in first_regions
    assert "09" in second_regions
    assert first_regions == set(LAN_CODES) - {"09"}
    assert second_regions == set(LAN_CODES)


def test_respondents_reappear_across_rounds(survey: pd.DataFrame) -> None:
    first, second = ROUNDS
    people = survey.drop_duplicates(["omgang", "respondent"])
    first_ids = set(people.loc[people["omgang"] == first, "respondent"])
    second_ids = set(people.loc[people["omgang"] == second, "respondent"])
    share = len(first_ids & second_ids) / len(first_ids)
    assert 0.4 <= share <= 0.8
    assert second_ids - first_ids  # new respondents join as well
    # A returning respondent keeps the role.
    roles = people[people["respondent"].isin(first_ids & second_ids)]
    assert (roles.groupby("respondent")["roll"].nunique() == 1).all()


def test_survey_deterministic(model: dict, population: pd.Series, survey: pd.DataFrame) -> None:
    again = simulate_survey(model, population, np.random.default_rng(20171214), rounds=ROUNDS)
    pd.testing.assert_frame_equal(survey, again)
    shuffled = population.sample(frac=1.0, random_state=3)
    from_shuffled = simulate_survey(model, shuffled, np.random.default_rng(20171214), rounds=ROUNDS)
    pd.testing.assert_frame_equal(survey, from_shuffled)
    other = simulate_survey(model, population, np.random.default_rng(7), rounds=ROUNDS)
    assert not survey.equals(other)


def _region_f_statistic(answers: pd.DataFrame) -> float:
    """One-way ANOVA F of respondents' mean answers between regions (one round)."""
    person = answers.groupby(["lan_kod", "respondent"])["svar"].mean().astype(float)
    groups = person.groupby(level="lan_kod")
    k, n, grand = groups.ngroups, len(person), person.mean()
    between = (groups.size() * (groups.mean() - grand) ** 2).sum() / (k - 1)
    within = ((person - groups.transform("mean")) ** 2).sum() / (n - k)
    return float(between / within)


def test_regions_differ(survey: pd.DataFrame) -> None:
    # Respondent bias alone spreads the regional means somewhat, so compare the spread between
    # regions with the spread between respondents within a region: without regional
    # differences F is about 1 (at most ~2.2 over 200 seeds), with them it is about 5.
    for year in ROUNDS:
        round_answers = survey[survey["omgang"] == year]
        assert _region_f_statistic(round_answers) > 2.0, year
        means = round_answers.groupby("lan_kod")["svar"].mean().astype(float)
        assert means.max() - means.min() > 0.5, year


def test_larger_regions_stronger_on_analysis(survey: pd.DataFrame, population: pd.Series) -> None:
    dimension = survey["fraga"].str.split(".").str[0]
    analytic = dimension.isin(["analyskapacitet", "indikatorer_data"])
    relative = survey[analytic].groupby("lan_kod")["svar"].mean().astype(float) - survey[
        ~analytic
    ].groupby("lan_kod")["svar"].mean().astype(float)
    log_pop = np.log(population[relative.index].astype(float))
    assert np.corrcoef(log_pop, relative)[0, 1] > 0.4


def test_maturity_improves_on_average(survey: pd.DataFrame) -> None:
    first, second = ROUNDS
    means = survey.groupby("omgang")["svar"].mean().astype(float)
    assert 0.05 < means[second] - means[first] < 0.7


def test_single_round_and_validation(model: dict, population: pd.Series) -> None:
    single = simulate_survey(model, population, np.random.default_rng(1), rounds=(2024,))
    assert set(single["omgang"]) == {2024}
    assert "09" not in set(single["lan_kod"])
    with pytest.raises(ValueError):
        simulate_survey({"dimensioner": []}, population, np.random.default_rng(1))
    with pytest.raises(ValueError):
        simulate_survey(model, population, np.random.default_rng(1), rounds=(2025, 2023))
