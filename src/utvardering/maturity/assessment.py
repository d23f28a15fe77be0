"""One region's maturity assessment in one round: every score the report and the synthesis use.

:func:`assess` puts the pure functions of :mod:`utvardering.maturity.scoring` together for one
region and round; :func:`assess_region` does the same from a loaded data folder. The
region code is checked before (:class:`~utvardering.maturity.parameters.MaturityParameters`);
whether the round is in the survey is checked here, where the answers are. Codes and numbers
only: the report's text is in :mod:`utvardering.maturity.text`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.errors import ParameterError
from utvardering.maturity.scoring import (
    MIN_RESPONDENTS,
    NEXT_STEPS,
    NextStep,
    dimension_scores,
    level_matrix,
    national_distribution,
    national_place,
    overall_levels,
    previous_round,
    response_counts,
    select_next_steps,
    targets_and_gaps,
)
from utvardering.models import MaturityModel

__all__ = ["MaturityAssessment", "assess", "assess_region"]


@dataclass(frozen=True)
class MaturityAssessment:
    """A region's maturity in one round, with trend, targets and national context.

    ``dimensions`` has one row per dimension of the model (index: dimension id, model order),
    also for dimensions without answers, with the columns of
    :func:`~utvardering.maturity.scoring.dimension_scores` and: ``namn``, ``malniva``,
    ``malkalla``, ``gap``, ``nivaer_kvar``, ``foregaende_median``, ``trend``, ``riket_median``,
    ``riket_q1``, ``riket_q3``, ``riket_min``, ``riket_max``, ``n_regioner``, ``rang``,
    ``andel_lagre``. ``matrix`` holds every participating region's medians in the round (regions
    × dimension ids) and ``overall`` every region's overall levels (index lan_kod).
    """

    lan_kod: str
    region_name: str
    round: int
    model: MaturityModel
    dimensions: pd.DataFrame
    n_respondents: int
    n_answers: int
    n_dont_know: int
    staged_level: int | None
    profile_mean: float | None
    previous_round: int | None
    n_respondents_previous: int
    staged_level_previous: int | None
    profile_mean_previous: float | None
    next_steps: tuple[NextStep, ...]
    matrix: pd.DataFrame
    overall: pd.DataFrame
    comments: pd.DataFrame
    region_rounds: tuple[int, ...] = ()  # every round in which the region has answers
    region_names: dict[str, str] = field(default_factory=dict)

    @property
    def no_responses(self) -> bool:
        """The region has no answer (other than "vet ej") in the round."""
        return self.n_respondents == 0

    @property
    def single_respondent(self) -> bool:
        return self.n_respondents == 1

    @property
    def low_reliability(self) -> bool:
        """Fewer than three respondents (zero included)."""
        return self.n_respondents < MIN_RESPONDENTS

    @property
    def took_part_previous(self) -> bool:
        return self.n_respondents_previous > 0

    @property
    def has_trend(self) -> bool:
        return bool(self.dimensions["trend"].notna().any())

    @property
    def n_regions(self) -> int:
        """Regions with answers in the round."""
        return len(self.overall)

    @property
    def rank_profile(self) -> int | None:
        """The region's rank by profile mean among the participating regions (1 = highest)."""
        if self.profile_mean is None:
            return None
        others = self.overall["profilmedel"].drop(self.lan_kod, errors="ignore")
        return 1 + int((others > self.profile_mean + 1e-9).sum())

    def name_of(self, lan_kod: str) -> str:
        return self.region_names.get(lan_kod, lan_kod)


def _check_round(answers: pd.DataFrame, survey_round: int) -> None:
    rounds = sorted({int(r) for r in answers["omgang"].dropna()})
    if survey_round not in rounds:
        shown = ", ".join(str(r) for r in rounds) or "(inga)"
        raise ParameterError(
            f"Omgång {survey_round!r} finns inte i enkätsvaren; omgångarna i data är: {shown}. "
            "Ange en av dem som parametern omgang."
        )


def assess(
    answers: pd.DataFrame,
    model: MaturityModel,
    lan_kod: str,
    survey_round: int,
    *,
    targets: pd.DataFrame | None = None,
    region_names: Mapping[str, str] | None = None,
    n_next_steps: int = NEXT_STEPS,
) -> MaturityAssessment:
    """Assess region ``lan_kod`` in round ``survey_round`` from the survey answers (``enkatsvar``).

    ``lan_kod`` is a checked region code (``"07"``). ``targets`` is the optional table
    ``mognadsmal``. A region without answers in the round gets an assessment with
    ``no_responses`` true and no levels, not an error. Raises ParameterError for a round that
    is not in the data.
    """
    survey_round = int(survey_round)
    _check_round(answers, survey_round)
    names = dict(region_names or {})
    scores = dimension_scores(answers, model)
    counts = response_counts(answers).set_index(["omgang", "lan_kod"])
    overall_all = overall_levels(scores).set_index(["omgang", "lan_kod"])
    before = previous_round(answers["omgang"], survey_round)
    ids = [d.id for d in model.dimensions]

    def region(round_: int | None) -> pd.DataFrame:
        mine = scores[(scores["omgang"] == round_) & (scores["lan_kod"] == lan_kod)]
        return mine.set_index("dimension").reindex(ids)

    def count(round_: int | None, column: str) -> int:
        key = (round_, lan_kod)
        return int(counts.loc[key, column]) if key in counts.index else 0

    def level(round_: int | None, column: str) -> Any:
        key = (round_, lan_kod)
        if key not in overall_all.index or pd.isna(overall_all.loc[key, column]):
            return None
        value = overall_all.loc[key, column]
        return int(value) if column == "trappstegsniva" else float(value)

    current = region(survey_round).drop(columns=["omgang", "lan_kod"])
    current["median"] = current["median"].astype(float)
    for column in ("n_respondenter", "n_svar", "n_vet_ej"):  # no answers: counts are zero
        current[column] = current[column].fillna(0).astype(int)
    current["lag_tillforlitlighet"] = current["n_respondenter"] < MIN_RESPONDENTS
    previous = region(before)
    current.insert(0, "namn", [d.name for d in model.dimensions])
    current = current.join(targets_and_gaps(current["median"], lan_kod, targets))
    current["foregaende_median"] = previous["median"].astype(float)
    current["trend"] = current["median"] - current["foregaende_median"]
    matrix = level_matrix(scores, survey_round, model)
    national = national_distribution(matrix).add_prefix("riket_")
    national = national.rename(columns={"riket_n_regioner": "n_regioner"})
    current = current.join(national)
    current = current.join(national_place(matrix, lan_kod)[["rang", "andel_lagre"]])
    current.index.name = "dimension"
    overall = overall_all.xs(survey_round, level="omgang")
    round_rows = answers[(answers["omgang"] == survey_round) & (answers["lan_kod"] == lan_kod)]
    with_comment = round_rows[round_rows["kommentar"].notna()]
    comments = pd.DataFrame(
        {
            "dimension": with_comment["fraga"].map(model.question_dimension).to_numpy(),
            "roll": with_comment["roll"].to_numpy(),
            "kommentar": with_comment["kommentar"].astype(str).to_numpy(),
        }
    )
    return MaturityAssessment(
        lan_kod=lan_kod,
        region_name=names.get(lan_kod, lan_kod),
        round=survey_round,
        model=model,
        dimensions=current,
        n_respondents=count(survey_round, "n_respondenter"),
        n_answers=count(survey_round, "n_svar"),
        n_dont_know=count(survey_round, "n_vet_ej"),
        staged_level=level(survey_round, "trappstegsniva"),
        profile_mean=level(survey_round, "profilmedel"),
        previous_round=before,
        n_respondents_previous=count(before, "n_respondenter"),
        staged_level_previous=level(before, "trappstegsniva"),
        profile_mean_previous=level(before, "profilmedel"),
        next_steps=select_next_steps(current, model, n_next_steps),
        matrix=matrix,
        overall=overall[overall["n_dimensioner"] > 0],
        comments=comments,
        region_rounds=tuple(
            int(r)
            for r, code in counts.index
            if code == lan_kod and count(int(r), "n_respondenter")
        ),
        region_names=names,
    )


def assess_region(
    ds: Dataset, lan_kod: str, survey_round: int, *, n_next_steps: int = NEXT_STEPS
) -> MaturityAssessment:
    """:func:`assess` on a loaded data folder (``enkatsvar``, optional ``mognadsmal``, ``lan``)."""
    if ds.enkatsvar is None or ds.mognadsmodell is None:
        raise ParameterError(
            "Mognadsbedömningen behöver tabellen enkatsvar och mognadsmodellen: läs data med "
            'load_dataset(data_dir, report_type("mognad").tables).'
        )
    names = (
        dict(zip(ds.lan["lan_kod"], ds.lan["lan_namn"], strict=True)) if ds.lan is not None else {}
    )
    return assess(
        ds.enkatsvar,
        ds.mognadsmodell,
        lan_kod,
        survey_round,
        targets=ds.mognadsmal,
        region_names=names,
        n_next_steps=n_next_steps,
    )
