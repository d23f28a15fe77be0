"""The effect report's fixed design: outcomes, comparison groups and thresholds, each named once.

The estimation (:mod:`utvardering.effects.report`), the figures and the Swedish text read these
constants from here, so that a threshold the text mentions is the one the analysis applies.
"""

from __future__ import annotations

import math

from utvardering.effects._checks import FEW_CLUSTERS, FEW_TREATED
from utvardering.vocabulary import INDICATOR_STAGES

__all__ = [
    "ALL_OUTCOMES",
    "COMPARISONS",
    "FEW_CLUSTERS",
    "FEW_TREATED",
    "KEY_INDICATORS",
    "KEY_INDICATOR_AXES",
    "KEY_INDICATOR_UNITS",
    "MIN_CONTROLS_PER_INDUSTRY",
    "MIN_TREATED",
    "OUTCOMES",
    "OUTCOME_DEFINITE",
    "STAGE_LABELS",
    "SYNTH_FIT_GAP_RATIO",
    "SYNTH_FIT_LEVEL_SHARE",
    "SYNTH_START",
    "synthetic_fit",
]

# The outcomes of the firm panel that the report can analyse, with their Swedish names and units.
OUTCOMES: dict[str, tuple[str, str]] = {
    "anstallda": ("antal anställda", "anställda"),
    "omsattning_tkr": ("omsättning", "tkr"),
    "foradlingsvarde_tkr": ("förädlingsvärde", "tkr"),
}
# Each outcome's name in the definite form, for sentences ("stödet ökade antalet anställda").
OUTCOME_DEFINITE: dict[str, str] = {
    "anstallda": "antalet anställda",
    "omsattning_tkr": "omsättningen",
    "foradlingsvarde_tkr": "förädlingsvärdet",
}
# The stages of the effect chain as the effect report names them (headings of the chain
# figure and the table, and the list of section 1).
STAGE_LABELS: dict[str, str] = dict(INDICATOR_STAGES)
# The value of the parameter utfall that runs every outcome (the default).
ALL_OUTCOMES = "alla"
# The comparison-group choices: automatic, the region's own firms, the whole country's.
COMPARISONS = ("auto", "lan", "riket")
# Key indicators of the region for the synthetic comparison region, with Swedish names.
KEY_INDICATORS: dict[str, str] = {
    "brp_per_inv": "BRP per invånare",
    "nystartade_per_1000_inv": "Nystartade företag per 1 000 invånare",
}
# The label of a key indicator's axis in a figure (name and unit).
KEY_INDICATOR_AXES: dict[str, str] = {
    "brp_per_inv": "BRP per invånare (kr)",
    "nystartade_per_1000_inv": "Nystartade företag per 1 000 invånare",
}
# The unit of each key indicator, after a number: "7 235 kr per invånare".
KEY_INDICATOR_UNITS: dict[str, str] = {
    "brp_per_inv": "kr per invånare",
    "nystartade_per_1000_inv": "nystartade företag per 1 000 invånare",
}
SYNTH_START = 2014  # start of the ERDF programme period 2014-2020
MIN_TREATED = 5  # below this many supported firms no effect is estimated
MIN_CONTROLS_PER_INDUSTRY = 5  # "auto" uses the region's own firms only from this many on
# When a synthetic comparison can be read. Its fit before the start is the typical deviation
# before SYNTH_START (root mean square of the yearly gaps, RMSPE). The comparison says nothing
# when that deviation is more than SYNTH_FIT_LEVEL_SHARE of the region's own level before the
# start (the synthetic region did not follow the region), or when the mean gap from the start
# is smaller than SYNTH_FIT_GAP_RATIO times it (the gap after is no larger than the misfit
# before).
SYNTH_FIT_LEVEL_SHARE = 0.05
SYNTH_FIT_GAP_RATIO = 2.0


def synthetic_fit(gap_after: float, pre_rmspe: float, level_before: float) -> str:
    """Whether a synthetic comparison can be read: ``"god"`` (it can), ``"dalig_anpassning"``
    (the fit before the start is poor relative to the region's level) or ``"liten_skillnad"``
    (the gap after the start is within the misfit before it).

    >>> synthetic_fit(7235.0, 4006.0, 400000.0)
    'liten_skillnad'
    >>> synthetic_fit(10000.0, 4000.0, 400000.0)
    'god'
    >>> synthetic_fit(10000.0, 4000.0, 40000.0)
    'dalig_anpassning'
    """
    if not all(map(math.isfinite, (gap_after, pre_rmspe, level_before))):
        return "dalig_anpassning"
    if pre_rmspe > SYNTH_FIT_LEVEL_SHARE * abs(level_before):
        return "dalig_anpassning"
    if abs(gap_after) < SYNTH_FIT_GAP_RATIO * pre_rmspe:
        return "liten_skillnad"
    return "god"
