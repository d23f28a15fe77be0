"""Counterfactual effect estimators (effektanalys): a small public API of frozen results.

- :func:`did_2x2`: the 2×2 difference-in-differences regression.
- :func:`did`: two-way fixed effects by within-transformation, fixest-style clustered errors.
- :func:`staggered_did`: Callaway & Sant'Anna ATT(g,t), event study, overall effect, pre-trends.
- :func:`ipw`: inverse probability weighting with balance and weight diagnostics.
- :func:`synthetic_control`: donor weights on the simplex, gap, in-space placebo p-value.
- :func:`interrupted_time_series`: segmented regression, level and slope change.
- :func:`pool_estimates`: fixed or DerSimonian-Laird random-effects pooling.
"""

from utvardering.effects.did import did, did_2x2
from utvardering.effects.ipw import ipw
from utvardering.effects.its import interrupted_time_series
from utvardering.effects.pooling import pool_estimates
from utvardering.effects.results import (
    Estimate,
    EstimationWarning,
    IPWResult,
    ITSResult,
    PooledEstimate,
    PretrendTest,
    StaggeredResult,
    SyntheticControlResult,
)
from utvardering.effects.staggered import staggered_did
from utvardering.effects.synth import synthetic_control

__all__ = [
    "Estimate",
    "EstimationWarning",
    "IPWResult",
    "ITSResult",
    "PooledEstimate",
    "PretrendTest",
    "StaggeredResult",
    "SyntheticControlResult",
    "did",
    "did_2x2",
    "interrupted_time_series",
    "ipw",
    "pool_estimates",
    "staggered_did",
    "synthetic_control",
]
