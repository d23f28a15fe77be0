"""The evidence grade (*evidensgrad*) A-C of an effect estimate: a documented rubric.

The grade says how much an estimate can be trusted as the effect of support. It is a pure
function of the design and of diagnostics that the estimators report; it never re-estimates.

The rubric
----------
1. **Design sets the ceiling.**
   * ``stark`` (strong; ceiling A): difference-in-differences with staggered adoption
     (Callaway & Sant'Anna) against never-supported firms of the same industry.
   * ``medel`` (medium; ceiling B): selection on observables only, e.g. inverse probability
     weighting of the change in the outcome on pre-period size and industry.
   * ``svag`` (weak; grade C): naive comparisons (two-way fixed effects without conditioning on
     industry, before/after for supported firms only) and descriptive comparisons such as a
     synthetic comparison region. They are shown to compare, never as the effect.
2. **Each criterion is judged** ``god`` (good), ``svag`` (weak) or ``brist`` (failed):
   * *Pre-trends* (the joint test that the event-study effects before support are zero):
     p >= 0.10 good; 0.01 <= p < 0.10 weak; p < 0.01 failed; no test possible: weak.
   * *Balance* (largest absolute standardised mean difference between supported and
     comparison firms after weighting, on pre-period size and industry): < 0.10 good;
     0.10-0.25 weak; > 0.25 failed; not measured: weak.
   * *Sample size* (supported firms in the estimate): >= 50 good; 20-49 weak; < 20 failed.
   * *Comparison group*: comparison firms from the region itself good; from the whole country
     weak (regional shocks are not differenced away).
   * *Estimator warnings* (few clusters, few treated units, extreme weights): none good; any
     weak.
3. **Grade** = the design's ceiling, one step down for each weak criterion, and C if any
   criterion failed (never below C).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from utvardering.errors import ParameterError
from utvardering.format import fmt_tal, lista

__all__ = [
    "BALANCE_LIMITS",
    "DESIGN_CEILING",
    "GRADE_LABELS",
    "PRETREND_LIMITS",
    "SAMPLE_LIMITS",
    "Criterion",
    "EvidenceGrade",
    "grade_evidence",
]

Design = Literal["stark", "medel", "svag"]
Status = Literal["god", "svag", "brist"]
Comparison = Literal["lan", "riket"]

GRADES = ("A", "B", "C")
DESIGN_CEILING: dict[str, str] = {"stark": "A", "medel": "B", "svag": "C"}
GRADE_LABELS: dict[str, str] = {
    "A": "A – starkt underlag",
    "B": "B – måttligt underlag",
    "C": "C – svagt underlag",
}
PRETREND_LIMITS = (0.10, 0.01)  # p at or above the first: good; below the second: failed
BALANCE_LIMITS = (0.10, 0.25)  # |SMD| below the first: good; above the second: failed
SAMPLE_LIMITS = (50, 20)  # supported firms at or above the first: good; below the second: failed

_DESIGN_TEXT = {
    "stark": "jämförelse av förändringen hos stödda och aldrig stödda företag i samma bransch "
    "(skillnad-i-skillnader med förskjuten start)",
    "medel": "jämförelse som bara justerar för det vi kan mäta före stödet (storlek och bransch)",
    "svag": "enkel jämförelse som inte hanterar urvalet till stöd",
}


@dataclass(frozen=True)
class Criterion:
    """One criterion of the rubric: its name, the judgement and a Swedish sentence."""

    namn: str
    status: Status
    text: str


@dataclass(frozen=True)
class EvidenceGrade:
    """The grade (A, B or C), its Swedish justification and the criteria behind it."""

    grad: str
    motivering: str
    kriterier: tuple[Criterion, ...]

    @property
    def etikett(self) -> str:
        """The grade with its words, e.g. "B – måttligt underlag"."""
        return GRADE_LABELS[self.grad]


def grade_evidence(
    design: Design,
    *,
    pretrend_p: float | None = None,
    max_smd: float | None = None,
    n_treated: int | None = None,
    comparison: Comparison | None = None,
    warnings: Sequence[str] = (),
    description: str | None = None,
) -> EvidenceGrade:
    """Grade an estimate by the rubric of this module.

    Criteria that do not apply are left as None: a naive or descriptive design is C whatever
    its diagnostics, and only the diagnostics given are judged. ``description`` replaces the
    design's standard wording in the justification (a Swedish phrase after "Metoden är en").

    >>> grade_evidence("stark", pretrend_p=0.6, max_smd=0.04, n_treated=120,
    ...                comparison="lan").grad
    'A'
    """
    if design not in DESIGN_CEILING:
        raise ParameterError(
            f"Okänd design {design!r} för evidensgraden; ange 'stark', 'medel' eller 'svag'."
        )
    if comparison not in (None, "lan", "riket"):
        raise ParameterError(f"Okänd jämförelsegrupp {comparison!r}; ange 'lan' eller 'riket'.")
    criteria: list[Criterion] = []
    if design != "svag":
        criteria.append(_pretrends(pretrend_p))
        criteria.append(_balance(max_smd))
        criteria.append(_sample(n_treated))
        if comparison is not None:
            criteria.append(_comparison(comparison))
        criteria.append(_warnings(warnings))
    elif n_treated is not None:
        criteria.append(_sample(n_treated))
    ceiling = GRADES.index(DESIGN_CEILING[design])
    weak = sum(c.status == "svag" for c in criteria)
    failed = any(c.status == "brist" for c in criteria)
    grade = "C" if failed else GRADES[min(ceiling + weak, len(GRADES) - 1)]
    text = _justification(design, description or _DESIGN_TEXT[design], grade, criteria)
    return EvidenceGrade(grade, text, tuple(criteria))


def _pretrends(p: float | None) -> Criterion:
    name = "Trender före stödet"
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return Criterion(name, "svag", "trenderna före stödet kunde inte testas")
    shown = fmt_tal(p, 2)
    if p >= PRETREND_LIMITS[0]:
        return Criterion(
            name, "god", f"inga tydliga skillnader i utvecklingen före stödet (p = {shown})"
        )
    if p >= PRETREND_LIMITS[1]:
        return Criterion(
            name, "svag", f"vissa tecken på olika utveckling redan före stödet (p = {shown})"
        )
    return Criterion(name, "brist", f"tydligt olika utveckling redan före stödet (p = {shown})")


def _balance(smd: float | None) -> Criterion:
    name = "Jämförbarhet"
    if smd is None or (isinstance(smd, float) and math.isnan(smd)):
        return Criterion(name, "svag", "jämförbarheten mellan grupperna är inte mätt")
    shown = fmt_tal(smd, 2)
    if smd < BALANCE_LIMITS[0]:
        return Criterion(
            name, "god", f"grupperna är lika före stödet efter viktning (största skillnad {shown})"
        )
    if smd <= BALANCE_LIMITS[1]:
        return Criterion(
            name, "svag", f"grupperna skiljer sig något före stödet (största skillnad {shown})"
        )
    return Criterion(
        name, "brist", f"grupperna skiljer sig mycket före stödet (största skillnad {shown})"
    )


def _sample(n: int | None) -> Criterion:
    name = "Antal stödda företag"
    if n is None:
        return Criterion(name, "svag", "antalet stödda företag är okänt")
    if n >= SAMPLE_LIMITS[0]:
        return Criterion(name, "god", f"{fmt_tal(n)} stödda företag")
    if n >= SAMPLE_LIMITS[1]:
        return Criterion(name, "svag", f"bara {fmt_tal(n)} stödda företag")
    return Criterion(name, "brist", f"för få stödda företag ({fmt_tal(n)}) för säkra slutsatser")


def _comparison(comparison: Comparison) -> Criterion:
    name = "Jämförelsegrupp"
    if comparison == "lan":
        return Criterion(name, "god", "jämförelseföretagen finns i samma län")
    return Criterion(
        name,
        "svag",
        "jämförelseföretagen kommer från hela landet, så händelser som bara rör länet "
        "kan påverka jämförelsen",
    )


def _warnings(warnings: Sequence[str]) -> Criterion:
    name = "Varningar från skattningen"
    if not warnings:
        return Criterion(name, "god", "skattningen gav inga varningar")
    return Criterion(name, "svag", f"skattningen gav {len(warnings)} varning(ar)")


def _justification(design: str, description: str, grade: str, criteria: list[Criterion]) -> str:
    text = f"Evidensgrad {grade}. Metoden är en {description}"
    if design == "svag":
        text += ", som inte kan visa stödets effekt och därför alltid får grad C"
        extra = [c.text for c in criteria]
        return text + (f" ({lista(extra)})." if extra else ".")
    text += f", som ger högst grad {DESIGN_CEILING[design]}."
    for status, heading in (
        ("god", "Styrkor"),
        ("svag", "Svagheter, som sänker graden ett steg var"),
        ("brist", "Brister, som ger grad C"),
    ):
        found = [c.text for c in criteria if c.status == status]
        if found:
            text += f" {heading}: {'; '.join(found)}."
    return text
