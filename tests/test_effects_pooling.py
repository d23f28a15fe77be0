"""pool_estimates: hand-computed fixed and DerSimonian-Laird pooling, and metafor's BCG example."""

from __future__ import annotations

import numpy as np
import pytest
from reference.golden import BCG_DL, BCG_TRIALS

from utvardering.effects import Estimate, pool_estimates
from utvardering.errors import EstimationError


def test_hand_computed_three_estimates():
    # y = 1, 2, 4 with se = 1, 1, 2 -> w = 1, 1, 0.25.
    pooled = pool_estimates([(1.0, 1.0), (2.0, 1.0), (4.0, 2.0)], ["A", "B", "C"], method="fixed")
    mean = (1 + 2 + 0.25 * 4) / 2.25  # 1.7778
    assert pooled.estimate == pytest.approx(mean)
    assert pooled.std_error == pytest.approx(np.sqrt(1 / 2.25))
    q = (1 - mean) ** 2 + (2 - mean) ** 2 + 0.25 * (4 - mean) ** 2  # 1.7778
    assert pooled.q == pytest.approx(q)
    assert pooled.tau2 == 0.0 and pooled.i2 == pytest.approx(max(0, (q - 2) / q))
    random = pool_estimates([(1.0, 1.0), (2.0, 1.0), (4.0, 2.0)], method="random")
    # Q < df, so DerSimonian-Laird's tau² is truncated at zero and both coincide.
    assert random.tau2 == 0.0 and random.estimate == pytest.approx(mean)
    assert list(pooled.studies["label"]) == ["A", "B", "C"]
    assert pooled.studies["weight"].sum() == pytest.approx(100)


def test_heterogeneous_estimates_by_hand():
    # y = 0, 3 with se = 1, 1: Q = 4.5, C = 2 - 2/2 = 1, tau² = (4.5 - 1) / 1 = 3.5.
    pooled = pool_estimates([(0.0, 1.0), (3.0, 1.0)])
    assert pooled.tau2 == pytest.approx(3.5)
    assert pooled.estimate == pytest.approx(1.5)
    assert pooled.std_error == pytest.approx(np.sqrt(4.5 / 2))
    assert pooled.i2 == pytest.approx(3.5 / 4.5)
    assert pooled.prediction_interval is None  # needs three estimates


def test_reproduces_metafor_bcg_dersimonian_laird():
    tpos, tneg, cpos, cneg = (np.array(c, dtype=float) for c in zip(*BCG_TRIALS, strict=True))
    yi = np.log((tpos / (tpos + tneg)) / (cpos / (cpos + cneg)))
    vi = 1 / tpos - 1 / (tpos + tneg) + 1 / cpos - 1 / (cpos + cneg)
    estimates = [
        Estimate(
            estimate=y,
            std_error=np.sqrt(v),
            conf_int=(0, 0),
            n_obs=1,
            n_clusters=None,
            method="",
            vcov="",
        )
        for y, v in zip(yi, vi, strict=True)
    ]
    pooled = pool_estimates(estimates)
    assert pooled.estimate == pytest.approx(BCG_DL["coef"], abs=5e-5)
    assert pooled.std_error == pytest.approx(BCG_DL["se"], abs=5e-5)
    assert pooled.tau2 == pytest.approx(BCG_DL["tau2"], abs=5e-5)
    assert pooled.i2 == pytest.approx(BCG_DL["i2"], abs=5e-5)
    assert pooled.q == pytest.approx(BCG_DL["q"], abs=5e-5)
    assert pooled.q_df == 12 and pooled.n_studies == 13


def test_bad_input():
    with pytest.raises(EstimationError, match="minst två"):
        pool_estimates([(1.0, 1.0)])
    with pytest.raises(EstimationError, match="positiva"):
        pool_estimates([(1.0, 1.0), (2.0, 0.0)])
    with pytest.raises(EstimationError, match="etiketter"):
        pool_estimates([(1.0, 1.0), (2.0, 1.0)], ["a"])
