"""The computed parts of the national synthesis: what the text layer and the tables read.

:class:`SynthesisParts` holds numbers and codes only; :mod:`utvardering.synthesis.text` and
:mod:`utvardering.synthesis.tables` turn them into Swedish, and
:class:`~utvardering.synthesis.report.Synthesis` (the report) adds its parameters, figures and
tables to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from utvardering.origin import SimulatedInput
from utvardering.synthesis.collect import RunResults
from utvardering.synthesis.coverage import Coverage
from utvardering.synthesis.development import Development
from utvardering.synthesis.effects import EffectSynthesis
from utvardering.synthesis.goals import GoalSynthesis
from utvardering.synthesis.maturity import MaturitySynthesis
from utvardering.synthesis.portfolio import PortfolioSynthesis, TotalsCheck

__all__ = ["SynthesisParts"]


@dataclass(frozen=True)
class SynthesisParts:
    """The parts of the national synthesis of one run; a part is None when no region has
    that report. ``names`` and ``short_names``: lan_kod → the län's name from the data folder.
    ``inputs``: the simulated inputs each part rests on: per region report the union of what
    its files read record (``simulerade_indata``), and ``"data"`` for the synthesis' own
    tables of the data folder; all empty with real data.
    """

    round: int  # the parameter omgang: the maturity survey's round
    outcomes: tuple[str, ...]  # the parameter utfall: the effect outcomes pooled
    names: dict[str, str]
    short_names: dict[str, str]
    run: RunResults
    coverage: Coverage
    maturity: MaturitySynthesis | None
    portfolio: PortfolioSynthesis | None
    totals_check: TotalsCheck | None
    effects: EffectSynthesis | None
    development: Development
    inputs: dict[str, tuple[SimulatedInput, ...]] = field(default_factory=dict)
    funding: str = "alla"  # the parameter finansiering: the funding scope of the region files
    indicator_names: dict[str, str] = field(default_factory=dict)  # indicator id → name
    goals: GoalSynthesis | None = None  # the regions' goal chains (malkedja.json)
