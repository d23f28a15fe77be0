"""ipw: Hernán & Robins' NHEFS example, a planted effect, balance, awkward names, errors."""

from __future__ import annotations

import causaldata
import numpy as np
import pandas as pd
import pytest
from reference.golden import NHEFS_FORMULA, NHEFS_IPW

from utvardering.effects import EstimationWarning, IPWResult, ipw
from utvardering.errors import EstimationError


def test_reproduces_what_if_program_12_2():
    nhefs = causaldata.nhefs_complete.load_pandas().data
    result = ipw(nhefs, "wt82_71", "qsmk", NHEFS_FORMULA)
    assert isinstance(result, IPWResult)
    assert result.estimate == pytest.approx(NHEFS_IPW["coef"], abs=5e-5)
    assert result.std_error == pytest.approx(NHEFS_IPW["se"], abs=5e-5)
    assert result.conf_int == pytest.approx(NHEFS_IPW["ci"], abs=0.005)
    assert result.n_obs == 1566 and result.n_treated == 403
    # Weighting balances the covariates: every |SMD| below 0.1 after, some above 0.1 before.
    assert result.balance["smd_before"].abs().max() > 0.1
    assert result.balance["smd_after"].abs().max() < 0.1
    assert set(result.weight_summary.index) == {"behandlade", "kontroller"}
    # ATE weights sum to about n in each group.
    assert result.weight_summary["summa"].to_numpy() == pytest.approx([1566, 1566], rel=0.01)


def _planted(seed: int, n: int = 4000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.normal(40, 10, n)
    sector = rng.choice(["A", "B", "C"], n)
    logit = -2 + 0.05 * age + np.select([sector == "B", sector == "C"], [0.5, -0.5], 0.0)
    treated = rng.random(n) < 1 / (1 + np.exp(-logit))
    y = 10 + 0.3 * age + np.where(sector == "B", 2.0, 0.0) + 2.0 * treated + rng.normal(size=n)
    return pd.DataFrame({"ålder år": age, "bransch.kod": sector, "fick stöd": treated, "utfall": y})


def test_planted_effect_is_recovered_with_quoted_names():
    data = _planted(1)
    naive = data.groupby("fick stöd")["utfall"].mean().diff().iloc[-1]
    result = ipw(data, "utfall", "fick stöd", 'Q("ålder år") + C(Q("bransch.kod"))')
    assert abs(naive - 2.0) > 1.0  # confounded by age
    assert result.estimate == pytest.approx(2.0, abs=3 * result.std_error)
    att = ipw(data, "utfall", "fick stöd", 'Q("ålder år") + C(Q("bransch.kod"))', estimand="ATT")
    assert att.estimate == pytest.approx(2.0, abs=3 * att.std_error)
    assert att.weight_summary.loc["behandlade", "max"] == 1.0


def test_missing_values_in_formula_columns_are_reported():
    data = _planted(2, 200)
    data.loc[[3, 4], "ålder år"] = np.nan
    with pytest.raises(EstimationError, match="2 i 'ålder år'"):
        ipw(data, "utfall", "fick stöd", 'Q("ålder år")')


def test_constant_treatment_bad_formula_and_weak_overlap():
    data = _planted(3, 300)
    with pytest.raises(EstimationError, match="varierar inte"):
        ipw(data.assign(**{"fick stöd": 1}), "utfall", "fick stöd", 'Q("ålder år")')
    with pytest.raises(EstimationError, match="formeln"):
        ipw(data, "utfall", "fick stöd", "finns_inte + 1")
    data["nästan"] = data["fick stöd"] * 10 + np.random.default_rng(0).normal(0, 2, len(data))
    with pytest.warns(EstimationWarning, match="överlappning"):
        result = ipw(data, "utfall", "fick stöd", "nästan")
    assert any("överlappning" in w for w in result.warnings)
