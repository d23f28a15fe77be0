"""How large a spread between the regions is: the rule behind the words "stor", "måttlig"
and "liten" in the synthesis' text.

The word follows the data by two stated rules, one per kind of measure:

- **Levels on the maturity scale (1–5):** the distance between the highest and the lowest
  region's median in a dimension. From :data:`LEVELS_LARGE` levels the spread is large
  (``stor``), from :data:`LEVELS_MODERATE` moderate (``mattlig``), below that small
  (``liten``).
- **Amounts (kronor per inhabitant):** the ratio of the highest region's value to the lowest's.
  From :data:`RATIO_LARGE` (twice as much) the spread is large, from :data:`RATIO_MODERATE`
  (a quarter more) moderate, below that small.

The text layer says the rule with the word, reading the thresholds from here.
"""

from __future__ import annotations

import math
from enum import StrEnum

__all__ = [
    "LEVELS_LARGE",
    "LEVELS_MODERATE",
    "RATIO_LARGE",
    "RATIO_MODERATE",
    "Spread",
    "level_spread",
    "ratio_spread",
]

LEVELS_LARGE = 2.0  # levels between the highest and lowest region: a large spread
LEVELS_MODERATE = 1.0  # ... a moderate spread
RATIO_LARGE = 2.0  # highest / lowest region: a large spread
RATIO_MODERATE = 1.25  # ... a moderate spread


class Spread(StrEnum):
    """The size of a spread between regions (the text layer names it in Swedish)."""

    LARGE = "stor"
    MODERATE = "mattlig"
    SMALL = "liten"


def level_spread(distance: float) -> Spread:
    """The size of a spread of ``distance`` levels (highest minus lowest region)."""
    if distance >= LEVELS_LARGE:
        return Spread.LARGE
    if distance >= LEVELS_MODERATE:
        return Spread.MODERATE
    return Spread.SMALL


def ratio_spread(highest: float, lowest: float) -> Spread:
    """The size of the spread between ``highest`` and ``lowest`` (positive amounts): their
    ratio against :data:`RATIO_LARGE` and :data:`RATIO_MODERATE`; a lowest of zero or less is a
    large spread when the highest is above it."""
    if lowest <= 0 or not math.isfinite(lowest):
        return Spread.LARGE if highest > lowest else Spread.SMALL
    ratio = highest / lowest
    if ratio >= RATIO_LARGE:
        return Spread.LARGE
    if ratio >= RATIO_MODERATE:
        return Spread.MODERATE
    return Spread.SMALL
