"""Forecast of a regional series to a goal's target year: a linear trend with prediction intervals.

Model: ordinary least squares (statsmodels ``OLS``) of the value on a constant and the year,
fitted on the last :data:`TREND_WINDOW` observations of the series (the latest observed years),
and extrapolated to the target year. The intervals are the model's prediction intervals for a
new observation (``get_prediction(...).summary_frame(alpha=...)``, columns ``obs_ci_lower`` and
``obs_ci_upper``) at 80 % (:data:`INTERVAL`) and 95 % (:data:`INTERVAL_WIDE`)::

    s² = SSR / (n - 2),   se_pred(x0) = s · sqrt(1 + 1/n + (x0 - x̄)² / Sxx),
    interval = fitted(x0) ± t(1 - α/2, n - 2) · se_pred(x0)

Why this model: the regional series are short annual series (3 to 24 points). A linear trend
needs only three observations, states its assumption plainly (the recent trend goes on) and
gives exact t-based prediction intervals that a reader can check by hand; exponential smoothing
or ARIMA models need longer series to estimate their parameters and give intervals that rest on
asymptotics. The window of the last ten years keeps old history from steering the forecast. A
series with fewer than :data:`MIN_OBSERVATIONS` observations gets no forecast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm

__all__ = [
    "INTERVAL",
    "INTERVAL_WIDE",
    "MIN_OBSERVATIONS",
    "TREND_WINDOW",
    "Forecast",
    "forecast_trend",
]

TREND_WINDOW = 10  # the trend is fitted on (at most) this many latest observations
MIN_OBSERVATIONS = 3  # fewer observations: no forecast
INTERVAL = 0.8  # the prediction interval used for the status (80 %)
INTERVAL_WIDE = 0.95  # the wider band shown in the fan chart (95 %)


@dataclass(frozen=True)
class Forecast:
    """A trend forecast from the latest observed year to the target year.

    ``years`` runs from the latest observed year to the target year, both included (the first
    point is the trend's fitted value at the latest year); if the target year lies before the
    latest year, ``years`` runs from the target year to the latest year. ``mean`` and the
    bounds are per year of ``years``. ``slope`` is the trend per year with its 80 % confidence
    interval.
    """

    fitted_years: tuple[int, ...]
    years: tuple[int, ...]
    mean: tuple[float, ...]
    lower80: tuple[float, ...]
    upper80: tuple[float, ...]
    lower95: tuple[float, ...]
    upper95: tuple[float, ...]
    slope: float
    slope_lower80: float
    slope_upper80: float

    @property
    def n(self) -> int:
        """The number of observations the trend was fitted on."""
        return len(self.fitted_years)

    def at(self, year: int) -> tuple[float, float, float]:
        """The forecast mean and 80 % prediction interval (mean, lower80, upper80) at ``year``."""
        try:
            i = self.years.index(int(year))
        except ValueError:
            raise KeyError(
                f"Prognosen gäller åren {self.years[0]}–{self.years[-1]}, inte {year}."
            ) from None
        return self.mean[i], self.lower80[i], self.upper80[i]


def forecast_trend(series: pd.Series, to_year: int, window: int = TREND_WINDOW) -> Forecast | None:
    """The linear trend of ``series`` (values indexed by year) extrapolated to ``to_year``.

    Missing values are dropped; the trend is fitted on the last ``window`` observations. Returns
    None when fewer than :data:`MIN_OBSERVATIONS` observations remain.
    """
    values = pd.to_numeric(series, errors="coerce").astype(float).dropna()
    values.index = values.index.astype(int)
    values = values.sort_index().tail(window)
    if len(values) < MIN_OBSERVATIONS:
        return None
    if values.index.has_duplicates:
        raise ValueError("Serien har samma år mer än en gång.")
    fitted_years = tuple(int(y) for y in values.index)
    latest = fitted_years[-1]
    # Years are centred on the latest year: the same fit, a well-conditioned design.
    x = np.asarray(fitted_years, dtype=float) - latest
    model = sm.OLS(values.to_numpy(), sm.add_constant(x, has_constant="add")).fit()
    first, last = sorted((latest, int(to_year)))
    years = tuple(range(first, last + 1))
    x_new = sm.add_constant(np.asarray(years, dtype=float) - latest, has_constant="add")
    prediction = model.get_prediction(x_new)
    narrow = prediction.summary_frame(alpha=1 - INTERVAL)
    wide = prediction.summary_frame(alpha=1 - INTERVAL_WIDE)
    slope_low, slope_high = model.conf_int(alpha=1 - INTERVAL)[1]
    return Forecast(
        fitted_years=fitted_years,
        years=years,
        mean=_floats(narrow["mean"]),
        lower80=_floats(narrow["obs_ci_lower"]),
        upper80=_floats(narrow["obs_ci_upper"]),
        lower95=_floats(wide["obs_ci_lower"]),
        upper95=_floats(wide["obs_ci_upper"]),
        slope=float(model.params[1]),
        slope_lower80=float(slope_low),
        slope_upper80=float(slope_high),
    )


def _floats(values) -> tuple[float, ...]:
    return tuple(float(v) for v in np.asarray(values, dtype=float))
