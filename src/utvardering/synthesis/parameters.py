"""The national synthesis' parameters: the run folder, the maturity round, the effect outcomes."""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from utvardering.effects.design import OUTCOMES
from utvardering.errors import ParameterError
from utvardering.funding import check_funding
from utvardering.protocol import Parameters

__all__ = ["ALL_OUTCOMES", "SynthesisParameters", "check_run_parameters"]

# The value of utfall that shows every outcome of the effect analysis (the default).
ALL_OUTCOMES = "alla"


@dataclass(frozen=True)
class SynthesisParameters(Parameters):
    """The synthesis' parameters, checked by :meth:`check` (every bad value named at once).

    ``korning_dir`` is the output folder of ``utvardering kor`` (one folder per region);
    ``omgang`` the maturity survey's round; ``utfall`` the effect outcomes to pool:
    :data:`ALL_OUTCOMES` (every outcome of :data:`utvardering.effects.design.OUTCOMES`) or one
    of them. A maturity file made with another round is left out; an effect file is used for
    the outcomes of ``utfall`` that it has, and left out when it has none of them.
    ``finansiering`` is the funding scope (``alla``, ``eruf``, ``anslag_1_1``): a thematic or
    effect file run for another scope is left out, so that ``utvardering kor -p
    finansiering=anslag_1_1`` gives the national synthesis of the 1:1 portfolio.
    """

    korning_dir: str = "../_utdata"
    omgang: int = 2025
    utfall: str = ALL_OUTCOMES
    # The funding scope of the region files to synthesise (alla, eruf, anslag_1_1): the
    # thematic and effect files must have been run for the same scope.
    finansiering: str = "alla"

    @property
    def outcomes(self) -> tuple[str, ...]:
        """The outcome ids the synthesis pools, in the order of ``OUTCOMES``."""
        return tuple(OUTCOMES) if self.utfall == ALL_OUTCOMES else (self.utfall,)

    @classmethod
    def problems(cls, values: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
        out, found = super().problems(values)
        check_run_parameters(out, found)
        if "utfall" in out and out["utfall"] not in (ALL_OUTCOMES, *OUTCOMES):
            choices = ", ".join(repr(o) for o in (ALL_OUTCOMES, *OUTCOMES))
            found.append(
                f"utfall ska vara ett av {choices} (som i effektanalysen; {ALL_OUTCOMES!r} ger "
                f"alla utfall); fick {out['utfall']!r}."
            )
        return out, found


def check_run_parameters(out: dict[str, Any], found: list[str]) -> None:
    """Check and normalise, in ``out``, the parameters of every report that reads a run's
    result files (the synthesis, the region summary, the learning plan): ``korning_dir`` (a
    folder), ``omgang`` (an integer) and ``finansiering`` (a funding scope); each problem is
    added to ``found`` in Swedish."""
    if "korning_dir" in out:
        folder = out["korning_dir"]
        if not isinstance(folder, str | Path) or not Path(folder).is_dir():
            found.append(
                f"korning_dir {str(folder)!r} är ingen mapp. Ange utdatamappen från "
                "`utvardering kor` (den med en undermapp per län), t.ex. "
                "korning_dir = '../_utdata'."
            )
        else:
            out["korning_dir"] = str(folder)
    if "omgang" in out:
        omgang = out["omgang"]
        if isinstance(omgang, bool) or not isinstance(omgang, numbers.Integral):
            found.append(
                f"omgang ska vara mognadsenkätens omgång som heltal, t.ex. 2025; fick {omgang!r}."
            )
        else:
            out["omgang"] = int(omgang)
    if "finansiering" in out:
        try:
            out["finansiering"] = check_funding(out["finansiering"])
        except ParameterError as exc:
            found.append(str(exc))
