"""synthetic_control: planted effect on a factor-model panel, simplex weights, placebos."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from utvardering.effects import SyntheticControlResult, synthetic_control
from utvardering.effects.synth import simplex_weights
from utvardering.errors import EstimationError

YEARS = np.arange(2000, 2021)
EFFECT = 3.0


def _factor_panel(seed: int) -> pd.DataFrame:
    """21 län: outcomes from two common factors; län 07 is a mix of three others plus noise."""
    rng = np.random.default_rng(seed)
    factors = np.column_stack([np.linspace(0, 4, len(YEARS)), np.sin(YEARS / 3.0)])
    loadings = rng.uniform(0.5, 2.0, size=(20, 2))
    outcomes = 10 + loadings @ factors.T + rng.normal(0, 0.1, (20, len(YEARS)))
    codes = [
        f"{c:02d}"
        for c in (1, 3, 4, 5, 6, 8, 9, 10, 12, 13, 14, 17, 18, 19, 20, 21, 22, 23, 24, 25)
    ]
    treated = 0.5 * outcomes[0] + 0.3 * outcomes[4] + 0.2 * outcomes[9]
    treated = treated + rng.normal(0, 0.1, len(YEARS)) + np.where(YEARS >= 2015, EFFECT, 0.0)
    rows = [
        {"län kod": code, "år": year, "brp/inv": value}
        for code, series in zip([*codes, "07"], [*outcomes, treated], strict=True)
        for year, value in zip(YEARS, series, strict=True)
    ]
    return pd.DataFrame(rows)


def test_planted_effect_is_recovered_with_simplex_weights():
    result = synthetic_control(_factor_panel(1), "brp/inv", "län kod", "år", "07", 2015)
    assert isinstance(result, SyntheticControlResult)
    assert result.att == pytest.approx(EFFECT, abs=0.3)
    assert (result.weights >= 0).all()
    assert result.weights.sum() == pytest.approx(1.0)
    assert result.pre_rmspe < 0.3
    assert result.gap.loc[2015:].mean() == pytest.approx(result.att)
    # The treated unit's post/pre RMSPE ratio is the largest of the 21: p = 1/21.
    assert result.placebo_p_value == pytest.approx(1 / 21)
    assert len(result.placebo_ratios) == 21


def test_no_effect_gives_unremarkable_placebo_rank():
    panel = _factor_panel(2)
    panel.loc[(panel["län kod"] == "07") & (panel["år"] >= 2015), "brp/inv"] -= EFFECT
    result = synthetic_control(panel, "brp/inv", "län kod", "år", "07", 2015)
    assert abs(result.att) < 0.3
    assert result.placebo_p_value > 0.1


def test_simplex_weights_exact_combination():
    donors = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 2.0], [1.0, 1.0, 0.0], [2.0, 0.0, 1.0]])
    target = donors @ np.array([0.2, 0.8, 0.0])
    weights = simplex_weights(target, donors)
    assert weights == pytest.approx([0.2, 0.8, 0.0], abs=1e-6)


def test_errors():
    panel = _factor_panel(3)
    with pytest.raises(EstimationError, match="finns inte"):
        synthetic_control(panel, "brp/inv", "län kod", "år", "99", 2015)
    with pytest.raises(EstimationError, match="före"):
        synthetic_control(panel, "brp/inv", "län kod", "år", "07", 2000)
    with pytest.raises(EstimationError, match="balanserad"):
        synthetic_control(panel.iloc[1:], "brp/inv", "län kod", "år", "07", 2015)
