"""The effect report's fixed design: outcomes, comparison groups and thresholds, each named once.

The estimation (:mod:`utvardering.effects.report`), the figures and the Swedish text read these
constants from here, so that a threshold the text mentions is the one the analysis applies.
"""

from __future__ import annotations

from utvardering.effects._checks import FEW_CLUSTERS, FEW_TREATED

__all__ = [
    "COMPARISONS",
    "FEW_CLUSTERS",
    "FEW_TREATED",
    "KEY_INDICATORS",
    "MIN_CONTROLS_PER_INDUSTRY",
    "MIN_TREATED",
    "OUTCOMES",
    "SYNTH_START",
]

# The outcomes of the firm panel that the report can analyse, with their Swedish names and units.
OUTCOMES: dict[str, tuple[str, str]] = {
    "anstallda": ("antal anställda", "anställda"),
    "omsattning_tkr": ("omsättning", "tkr"),
    "foradlingsvarde_tkr": ("förädlingsvärde", "tkr"),
}
# The comparison-group choices: automatic, the region's own firms, the whole country's.
COMPARISONS = ("auto", "lan", "riket")
# Key indicators of the region for the synthetic comparison region, with Swedish names.
KEY_INDICATORS: dict[str, str] = {
    "brp_per_inv": "BRP per invånare (kr)",
    "nystartade_per_1000_inv": "Nystartade företag per 1000 invånare",
}
SYNTH_START = 2014  # start of the ERDF programme period 2014-2020
MIN_TREATED = 5  # below this many supported firms no effect is estimated
MIN_CONTROLS_PER_INDUSTRY = 5  # "auto" uses the region's own firms only from this many on
