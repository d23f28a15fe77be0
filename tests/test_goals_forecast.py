"""The trend forecast of the goal chain, checked against formulas computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from utvardering.goals.forecast import (
    INTERVAL,
    INTERVAL_WIDE,
    TREND_WINDOW,
    forecast_trend,
)


def _by_hand(years, values, x0, level):
    """OLS line, fitted value and prediction interval at x0 from the textbook formulas."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    n = len(x)
    xbar, ybar = x.mean(), y.mean()
    sxx = ((x - xbar) ** 2).sum()
    slope = ((x - xbar) * (y - ybar)).sum() / sxx
    intercept = ybar - slope * xbar
    residuals = y - (intercept + slope * x)
    s2 = (residuals**2).sum() / (n - 2)
    fitted = intercept + slope * x0
    se_pred = math.sqrt(s2) * math.sqrt(1 + 1 / n + (x0 - xbar) ** 2 / sxx)
    t = stats.t.ppf(1 - (1 - level) / 2, n - 2)
    se_slope = math.sqrt(s2 / sxx)
    return {
        "slope": slope,
        "fitted": fitted,
        "low": fitted - t * se_pred,
        "high": fitted + t * se_pred,
        "slope_low": slope - t * se_slope,
        "slope_high": slope + t * se_slope,
    }


def test_three_points_match_the_formulas():
    # y = 1, 3, 4 in 2018-2020: x̄ = 2019, Sxx = 2, slope = 3/2, intercept at 2019 = 8/3,
    # residuals -1/6, 1/3, -1/6, SSR = 1/6, s² = 1/6 (one degree of freedom).
    series = pd.Series([1.0, 3.0, 4.0], index=[2018, 2019, 2020])
    forecast = forecast_trend(series, 2023)
    assert forecast is not None
    assert forecast.fitted_years == (2018, 2019, 2020)
    assert forecast.years == (2020, 2021, 2022, 2023)
    assert forecast.slope == pytest.approx(1.5)
    assert forecast.mean[-1] == pytest.approx(8 / 3 + 1.5 * 4)
    # The hand-made interval at 2023: se_pred = sqrt(1/6) * sqrt(1 + 1/3 + 16/2).
    se_pred = math.sqrt(1 / 6) * math.sqrt(1 + 1 / 3 + 16 / 2)
    t80 = stats.t.ppf(0.9, 1)
    assert forecast.lower80[-1] == pytest.approx(8 / 3 + 6 - t80 * se_pred)
    assert forecast.upper80[-1] == pytest.approx(8 / 3 + 6 + t80 * se_pred)
    t95 = stats.t.ppf(0.975, 1)
    assert forecast.upper95[-1] == pytest.approx(8 / 3 + 6 + t95 * se_pred)
    # The first point is the fitted value at the latest year, not the observation.
    assert forecast.mean[0] == pytest.approx(8 / 3 + 1.5)
    mean, low, high = forecast.at(2023)
    assert (mean, low, high) == (forecast.mean[-1], forecast.lower80[-1], forecast.upper80[-1])


@pytest.mark.parametrize("target", [2021, 2030])
def test_four_points_against_the_general_formulas(target):
    years, values = [2016, 2017, 2018, 2019], [10.0, 10.4, 11.5, 11.9]
    forecast = forecast_trend(pd.Series(values, index=years), target)
    hand80 = _by_hand(years, values, target, INTERVAL)
    hand95 = _by_hand(years, values, target, INTERVAL_WIDE)
    assert forecast.slope == pytest.approx(hand80["slope"])
    assert forecast.slope_lower80 == pytest.approx(hand80["slope_low"])
    assert forecast.slope_upper80 == pytest.approx(hand80["slope_high"])
    assert forecast.at(target) == pytest.approx((hand80["fitted"], hand80["low"], hand80["high"]))
    assert forecast.lower95[-1] == pytest.approx(hand95["low"])
    assert forecast.upper95[-1] == pytest.approx(hand95["high"])
    # The 95 % band holds the 80 % band, and the bands widen with the horizon.
    widths = np.subtract(forecast.upper80, forecast.lower80)
    assert (np.diff(widths) > 0).all()
    assert (np.subtract(forecast.upper95, forecast.upper80) > 0).all()


def test_only_the_last_window_years_are_fitted():
    # A break in 2005: the old years would pull the slope; the window leaves them out.
    years = list(range(2000, 2021))
    values = [100.0 - 5 * (y - 2000) if y < 2011 else 2.0 * (y - 2011) for y in years]
    series = pd.Series(values, index=years)
    forecast = forecast_trend(series, 2025)
    assert forecast.fitted_years == tuple(range(2011, 2021))
    assert len(forecast.fitted_years) == TREND_WINDOW
    assert forecast.slope == pytest.approx(2.0)
    assert forecast.at(2025)[0] == pytest.approx(28.0)
    # A perfect line leaves no residual: the interval has no width.
    assert forecast.at(2025)[1] == pytest.approx(28.0)


def test_missing_values_are_dropped_and_too_short_series_give_none():
    assert forecast_trend(pd.Series([1.0, 2.0], index=[2019, 2020]), 2030) is None
    assert forecast_trend(pd.Series([1.0, np.nan, 2.0], index=[2018, 2019, 2020]), 2030) is None
    assert forecast_trend(pd.Series([], dtype=float), 2030) is None
    # A gap in the years is fine: the x values are the years themselves.
    series = pd.Series([1.0, 2.0, np.nan, 4.0], index=[2016, 2017, 2018, 2019])
    forecast = forecast_trend(series, 2020)
    assert forecast.fitted_years == (2016, 2017, 2019)
    hand = _by_hand([2016, 2017, 2019], [1.0, 2.0, 4.0], 2020, INTERVAL)
    assert forecast.at(2020) == pytest.approx((hand["fitted"], hand["low"], hand["high"]))


def test_a_target_year_before_the_latest_year():
    series = pd.Series([1.0, 3.0, 4.0, 6.0], index=[2017, 2018, 2019, 2020])
    forecast = forecast_trend(series, 2018)
    assert forecast.years == (2018, 2019, 2020)
    hand = _by_hand([2017, 2018, 2019, 2020], [1.0, 3.0, 4.0, 6.0], 2018, INTERVAL)
    assert forecast.at(2018) == pytest.approx((hand["fitted"], hand["low"], hand["high"]))
    with pytest.raises(KeyError, match="2030"):
        forecast.at(2030)
