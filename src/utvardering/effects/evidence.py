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

The grading returns codes and numbers only (:class:`EvidenceGrade`, :class:`Criterion`);
:mod:`utvardering.effects.text` words them in Swedish and describes the rubric for readers
(``evidence_rubric()``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from utvardering.errors import ParameterError

__all__ = [
    "BALANCE_LIMITS",
    "DESIGN_CEILING",
    "GRADES",
    "PRETREND_LIMITS",
    "SAMPLE_LIMITS",
    "Criterion",
    "CriterionCode",
    "EvidenceGrade",
    "Status",
    "grade_evidence",
]

Design = Literal["stark", "medel", "svag"]
Comparison = Literal["lan", "riket"]

GRADES = ("A", "B", "C")
DESIGN_CEILING: dict[str, str] = {"stark": "A", "medel": "B", "svag": "C"}
PRETREND_LIMITS = (0.10, 0.01)  # p at or above the first: good; below the second: failed
BALANCE_LIMITS = (0.10, 0.25)  # |SMD| below the first: good; above the second: failed
SAMPLE_LIMITS = (50, 20)  # supported firms at or above the first: good; below the second: failed


class Status(StrEnum):
    """The judgement of one criterion."""

    GOOD = "god"
    WEAK = "svag"  # lowers the grade one step
    FAILED = "brist"  # makes the grade C


class CriterionCode(StrEnum):
    """The criteria of the rubric, in the order they are judged."""

    PRETRENDS = "fortrender"  # value: the pre-trend test's p (None: no test)
    BALANCE = "balans"  # value: the largest |SMD| after weighting (None: not measured)
    SAMPLE = "antal_stodda"  # value: supported firms (None: unknown)
    COMPARISON = "jamforelsegrupp"  # value: "lan" or "riket"
    WARNINGS = "varningar"  # value: the number of estimator warnings


@dataclass(frozen=True)
class Criterion:
    """One criterion of the rubric: what, the judgement, and the number it was judged on."""

    code: CriterionCode
    status: Status
    value: float | int | str | None = None


@dataclass(frozen=True)
class EvidenceGrade:
    """The grade (A, B or C), the design that set its ceiling and the criteria behind it."""

    grade: str
    design: Design
    criteria: tuple[Criterion, ...]


def grade_evidence(
    design: Design,
    *,
    pretrend_p: float | None = None,
    max_smd: float | None = None,
    n_treated: int | None = None,
    comparison: Comparison | None = None,
    warnings: Sequence[object] = (),
) -> EvidenceGrade:
    """Grade an estimate by the rubric of this module.

    Criteria that do not apply are left as None: a naive or descriptive design is C whatever
    its diagnostics, and only the diagnostics given are judged. ``warnings`` are the
    estimator's warnings (only their number counts).

    >>> grade_evidence("stark", pretrend_p=0.6, max_smd=0.04, n_treated=120,
    ...                comparison="lan").grade
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
        criteria.append(_warnings(len(warnings)))
    elif n_treated is not None:
        criteria.append(_sample(n_treated))
    ceiling = GRADES.index(DESIGN_CEILING[design])
    weak = sum(c.status == Status.WEAK for c in criteria)
    failed = any(c.status == Status.FAILED for c in criteria)
    grade = "C" if failed else GRADES[min(ceiling + weak, len(GRADES) - 1)]
    return EvidenceGrade(grade, design, tuple(criteria))


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _pretrends(p: float | None) -> Criterion:
    code = CriterionCode.PRETRENDS
    if _missing(p):
        return Criterion(code, Status.WEAK, None)
    if p >= PRETREND_LIMITS[0]:
        return Criterion(code, Status.GOOD, p)
    if p >= PRETREND_LIMITS[1]:
        return Criterion(code, Status.WEAK, p)
    return Criterion(code, Status.FAILED, p)


def _balance(smd: float | None) -> Criterion:
    code = CriterionCode.BALANCE
    if _missing(smd):
        return Criterion(code, Status.WEAK, None)
    if smd < BALANCE_LIMITS[0]:
        return Criterion(code, Status.GOOD, smd)
    if smd <= BALANCE_LIMITS[1]:
        return Criterion(code, Status.WEAK, smd)
    return Criterion(code, Status.FAILED, smd)


def _sample(n: int | None) -> Criterion:
    code = CriterionCode.SAMPLE
    if n is None:
        return Criterion(code, Status.WEAK, None)
    if n >= SAMPLE_LIMITS[0]:
        return Criterion(code, Status.GOOD, n)
    if n >= SAMPLE_LIMITS[1]:
        return Criterion(code, Status.WEAK, n)
    return Criterion(code, Status.FAILED, n)


def _comparison(comparison: Comparison) -> Criterion:
    status = Status.GOOD if comparison == "lan" else Status.WEAK
    return Criterion(CriterionCode.COMPARISON, status, comparison)


def _warnings(n: int) -> Criterion:
    return Criterion(CriterionCode.WARNINGS, Status.GOOD if n == 0 else Status.WEAK, n)
