"""staggered_did: the did package's minimum wage example, planted effects, TWFE's bias, errors."""

from __future__ import annotations

import warnings

import moderndid
import numpy as np
import pandas as pd
import pytest
from reference.golden import (
    MPDTA_ANALYTIC,
    MPDTA_ANALYTIC_LPOP,
    MPDTA_ANALYTIC_NOTYET,
    MPDTA_ATT_GT,
    MPDTA_EVENT_STUDY,
    MPDTA_OVERALL,
    MPDTA_PRETEST_P,
)

from utvardering.effects import EstimationWarning, StaggeredResult, did, staggered_did
from utvardering.errors import EstimationError

# Point estimates are published with 4 decimals: compare to 0.00005. Published standard errors
# are from a 1000-draw multiplier bootstrap: compare to 0.002. Analytic standard errors from
# the reference implementation: compare to 1e-6 (they are stored with 6 decimals).
POINT, BOOTSTRAP, ANALYTIC = 5e-5, 2e-3, 1e-6


@pytest.fixture(scope="module")
def mpdta() -> pd.DataFrame:
    return moderndid.load_mpdta().to_pandas()


def test_reproduces_callaway_santanna_minimum_wage_example(mpdta):
    result = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat")
    assert isinstance(result, StaggeredResult)
    published = pd.DataFrame(MPDTA_ATT_GT, columns=["group", "time", "att", "se"])
    merged = published.merge(result.att_gt, on=["group", "time"], suffixes=("_pub", ""))
    assert len(merged) == 12
    np.testing.assert_allclose(merged["att"], merged["att_pub"], atol=POINT)
    np.testing.assert_allclose(merged["se"], merged["se_pub"], atol=BOOTSTRAP)
    np.testing.assert_allclose(result.att_gt["se"], MPDTA_ANALYTIC["att_gt_se"], atol=ANALYTIC)

    event = pd.DataFrame(MPDTA_EVENT_STUDY, columns=["event_time", "att", "se"])
    np.testing.assert_array_equal(result.event_study["event_time"], event["event_time"])
    np.testing.assert_allclose(result.event_study["att"], event["att"], atol=POINT)
    np.testing.assert_allclose(result.event_study["se"], event["se"], atol=BOOTSTRAP)
    np.testing.assert_allclose(result.event_study["se"], MPDTA_ANALYTIC["event_se"], atol=ANALYTIC)

    assert result.overall.estimate == pytest.approx(MPDTA_OVERALL["coef"], abs=POINT)
    assert result.overall.std_error == pytest.approx(MPDTA_OVERALL["se"], abs=BOOTSTRAP)
    assert (result.overall.estimate, result.overall.std_error) == pytest.approx(
        MPDTA_ANALYTIC["overall"], abs=ANALYTIC
    )
    # The did package's pre-test: Wald on the five pre-treatment ATT(g,t), p = 0.16812.
    assert result.pretrend_gt.statistic == pytest.approx(
        MPDTA_ANALYTIC["pretest_gt_wald"], abs=1e-5
    )
    assert result.pretrend_gt.p_value == pytest.approx(MPDTA_PRETEST_P, abs=5e-6)
    assert result.pretrend_gt.df == 5
    assert result.pretrend.df == 3 and result.pretrend.event_times == (-3, -2, -1)
    assert result.n_units == 500 and result.n_treated_units == 191


def test_covariates_and_not_yet_treated_match_reference(mpdta):
    with_x = staggered_did(mpdta, "lemp", "countyreal", "year", "first.treat", covariates=["lpop"])
    np.testing.assert_allclose(with_x.att_gt["att"], MPDTA_ANALYTIC_LPOP["att_gt"], atol=ANALYTIC)
    np.testing.assert_allclose(with_x.att_gt["se"], MPDTA_ANALYTIC_LPOP["att_gt_se"], atol=ANALYTIC)
    assert (with_x.overall.estimate, with_x.overall.std_error) == pytest.approx(
        MPDTA_ANALYTIC_LPOP["overall"], abs=ANALYTIC
    )
    not_yet = staggered_did(
        mpdta, "lemp", "countyreal", "year", "first.treat", control_group="not_yet_treated"
    )
    np.testing.assert_allclose(
        not_yet.att_gt["att"], MPDTA_ANALYTIC_NOTYET["att_gt"], atol=ANALYTIC
    )
    assert (not_yet.overall.estimate, not_yet.overall.std_error) == pytest.approx(
        MPDTA_ANALYTIC_NOTYET["overall"], abs=ANALYTIC
    )
    # 2004 cohort in 2004: controls are the never treated plus the 2006 and 2007 cohorts.
    first = not_yet.att_gt.iloc[0]
    assert (first["group"], first["time"], first["n_control"]) == (2004, 2004, 309 + 40 + 131)


# Planted effects. Cohorts first treated in periods 3, 5 and 7 of 8, plus never treated; the
# effect grows with exposure and is larger for early cohorts, the setting in which two-way
# fixed effects uses already-treated units as controls and is biased.
PERIODS = np.arange(1, 9)
COHORTS = {3: 0.25, 5: 0.25, 7: 0.25, 0: 0.25}


def true_effect(cohort: int, event_time: np.ndarray) -> np.ndarray:
    scale = {3: 2.0, 5: 1.0, 7: 0.5}.get(cohort, 0.0)
    return np.where(event_time >= 0, scale * (event_time + 1), 0.0)


def simulate(n_units: int, rng: np.random.Generator) -> pd.DataFrame:
    cohort = np.repeat(list(COHORTS), [int(n_units * s) for s in COHORTS.values()])
    unit = np.repeat(np.arange(len(cohort)), len(PERIODS))
    time = np.tile(PERIODS, len(cohort))
    g = cohort[unit]
    effect = np.where(g > 0, true_effect_vector(g, time - g), 0.0)
    unit_effect = rng.normal(size=len(cohort))[unit] + 0.5 * (g == 3)
    y = unit_effect + 0.2 * time + effect + rng.normal(size=len(unit))
    return pd.DataFrame(
        {"firma": unit, "år": time, "först stödd": g, "utfall": y, "stöd": (g > 0) & (time >= g)}
    )


def true_effect_vector(g: np.ndarray, e: np.ndarray) -> np.ndarray:
    out = np.zeros(len(g))
    for cohort in (3, 5, 7):
        mask = g == cohort
        out[mask] = true_effect(cohort, e[mask])
    return out


def true_overall() -> float:
    """Mean over event times >= 0 of the cohort-size-weighted true effect."""
    values = []
    for e in range(0, 6):
        cohorts = [g for g in (3, 5, 7) if g + e <= PERIODS[-1]]
        values.append(np.mean([true_effect(g, np.array([e]))[0] for g in cohorts]))
    return float(np.mean(values))


def test_planted_effect_is_recovered_and_naive_twfe_is_biased():
    rng = np.random.default_rng(20240501)
    panel = simulate(4000, rng)
    result = staggered_did(panel, "utfall", "firma", "år", "först stödd")
    truth = true_overall()
    assert abs(result.overall.estimate - truth) < 3 * result.overall.std_error
    for _, row in result.event_study.iterrows():
        e = int(row["event_time"])
        cohorts = [g for g in (3, 5, 7) if PERIODS[0] < g and PERIODS[0] <= g + e <= PERIODS[-1]]
        expected = np.mean([true_effect(g, np.array([e]))[0] for g in cohorts])
        assert abs(row["att"] - expected) < 4 * row["se"] + 1e-9
    assert result.pretrend.p_value > 0.001
    twfe = did(panel.assign(stöd=panel["stöd"].astype(int)), "utfall", "stöd", "firma", "år")
    # TWFE lands far from the truth: more than ten of its own standard errors away.
    assert abs(twfe.estimate - truth) > 10 * twfe.std_error
    assert abs(twfe.estimate - truth) > 0.5


@pytest.mark.langsam
def test_interval_covers_the_truth_in_about_95_percent_of_replications():
    rng = np.random.default_rng(7)
    truth = true_overall()
    replications = 150
    covered = 0
    for _ in range(replications):
        result = staggered_did(simulate(200, rng), "utfall", "firma", "år", "först stödd")
        low, high = result.overall.conf_int
        covered += low <= truth <= high
    # Binomial(150, 0.95): sd 0.018; accept within about 3 sd.
    assert 0.89 <= covered / replications <= 1.0


def test_unbalanced_panel_drops_incomplete_units_with_warning_and_early_cohort_is_dropped():
    panel = simulate(400, np.random.default_rng(3))
    panel = panel.drop(index=panel.index[(panel["firma"] == 5) & (panel["år"] == 2)])
    panel.loc[panel["firma"] == 6, "först stödd"] = 1  # treated in the first period
    with pytest.warns(EstimationWarning) as caught:
        result = staggered_did(panel, "utfall", "firma", "år", "först stödd")
    texts = [str(w.message) for w in caught]
    assert any("1 av 400 enheter" in t for t in texts)
    assert any("redan första perioden" in t for t in texts)
    assert result.n_units == 398
    assert len(result.warnings) == 2


def test_missing_first_treated_means_never_treated():
    panel = simulate(400, np.random.default_rng(4))
    as_missing = panel.assign(**{"först stödd": panel["först stödd"].replace(0, np.nan)})
    a = staggered_did(panel, "utfall", "firma", "år", "först stödd")
    b = staggered_did(as_missing, "utfall", "firma", "år", "först stödd")
    assert a.overall.estimate == pytest.approx(b.overall.estimate)


def test_errors_no_never_treated_bad_control_group_missing_outcome():
    panel = simulate(400, np.random.default_rng(5))
    treated_only = panel[panel["först stödd"] > 0]
    with pytest.raises(EstimationError, match="aldrig behandlas"):
        staggered_did(treated_only, "utfall", "firma", "år", "först stödd")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        result = staggered_did(
            treated_only, "utfall", "firma", "år", "först stödd", control_group="not_yet_treated"
        )
    assert result.att_gt["time"].max() < 7  # no controls once the last cohort is treated
    with pytest.raises(EstimationError, match="control_group"):
        staggered_did(panel, "utfall", "firma", "år", "först stödd", control_group="alla")
    panel.loc[[1, 2], "utfall"] = np.nan
    with pytest.raises(EstimationError, match="2 i 'utfall'"):
        staggered_did(panel, "utfall", "firma", "år", "först stödd")


def test_few_treated_units_warn_and_are_recorded():
    panel = simulate(400, np.random.default_rng(6))
    keep = (panel["först stödd"] == 0) | (panel["firma"] % 20 == 0)
    with pytest.warns(EstimationWarning, match="behandlade enheter"):
        result = staggered_did(panel[keep], "utfall", "firma", "år", "först stödd")
    assert result.overall.warnings == result.warnings
    assert any("behandlade enheter" in w for w in result.warnings)


def test_pretrend_test_leaves_out_thin_event_times():
    """Event times backed by few treated units do not enter the pre-trend test."""
    rng = np.random.default_rng(11)
    rows = []
    for unit in range(600):
        cohort = 0 if unit < 300 else (2020 if unit < 305 else 2014)  # 5 late, 295 early units
        level = rng.normal(10, 2)
        for year in range(2010, 2022):
            effect = 1.0 if cohort and year >= cohort else 0.0
            rows.append(
                (unit, year, cohort, level + 0.1 * (year - 2010) + effect + rng.normal(0, 0.3))
            )
    panel = pd.DataFrame(rows, columns=["id", "ar", "g", "y"])
    result = staggered_did(panel, "y", "id", "ar", "g", pretrend_min_treated=30)
    assert result.pretrend.event_times == (-3, -2, -1)  # e <= -4 rests on the 5 late units
    every = staggered_did(panel, "y", "id", "ar", "g", pretrend_min_treated=1)
    assert every.pretrend.event_times == tuple(range(-9, 0))
