"""interrupted_time_series: planted level and slope change, HAC option, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from utvardering.effects import ITSResult, interrupted_time_series
from utvardering.errors import EstimationError


def _series(seed: int, n: int = 60, ar: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=float)
    noise = np.zeros(n)
    for i in range(n):
        noise[i] = (ar * noise[i - 1] if i else 0.0) + rng.normal(0, 0.5)
    post = t >= 30
    y = 5 + 0.2 * t + 3.0 * post + 0.5 * (t - 30) * post + noise
    return pd.DataFrame({"månad nr": t, "nya företag/1000": y}).sample(frac=1, random_state=1)


def test_planted_level_and_slope_change_are_recovered():
    result = interrupted_time_series(_series(1), "nya företag/1000", "månad nr", 30)
    assert isinstance(result, ITSResult)
    level, slope = result.level_change, result.slope_change
    assert level.estimate == pytest.approx(3.0, abs=3 * level.std_error)
    assert slope.estimate == pytest.approx(0.5, abs=3 * slope.std_error)
    assert level.conf_int[0] < 3.0 < level.conf_int[1]
    assert result.params.loc["trend", "coef"] == pytest.approx(0.2, abs=0.05)
    # The counterfactual continues the pre-trend: it differs from the fit only after 30.
    ordered = _series(1).sort_values("månad nr")
    diff = (result.fitted - result.counterfactual).loc[ordered.index].to_numpy()
    assert np.allclose(diff[:30], 0) and np.all(diff[30:] > 0)


def test_matches_statsmodels_and_hac_option():
    data = _series(2, ar=0.6).sort_values("månad nr")
    t = data["månad nr"].to_numpy()
    post = (t >= 30).astype(float)
    x = np.column_stack([np.ones(len(t)), t - 30, post, (t - 30) * post])
    hac = sm.OLS(data["nya företag/1000"].to_numpy(), x).fit(
        cov_type="HAC", cov_kwds={"maxlags": 3}
    )
    result = interrupted_time_series(
        data, "nya företag/1000", "månad nr", 30, cov_type="HAC", hac_lags=3
    )
    assert result.level_change.estimate == pytest.approx(hac.params[2])
    assert result.level_change.std_error == pytest.approx(hac.bse[2])
    assert result.slope_change.std_error == pytest.approx(hac.bse[3])
    assert "Newey-West" in result.level_change.vcov


def test_without_slope_change_and_errors():
    data = _series(3)
    result = interrupted_time_series(data, "nya företag/1000", "månad nr", 30, slope_change=False)
    assert result.slope_change is None
    assert list(result.params.index) == ["konstant", "trend", "nivåskifte"]
    with pytest.raises(EstimationError, match="inom tidsserien"):
        interrupted_time_series(data, "nya företag/1000", "månad nr", 100)
    with pytest.raises(EstimationError, match="cov_type"):
        interrupted_time_series(data, "nya företag/1000", "månad nr", 30, cov_type="HC9")
