"""Score the maturity survey: levels per dimension, overall level, trend, target, national place.

All functions are pure functions on DataFrames. The conventions, in one place:

* **Respondent score** (``poang``) of a respondent in a dimension: the mean of that respondent's
  answers (1-5) to the dimension's questions. "Vet ej" (a missing ``svar``) is left out, never
  counted as zero; a respondent with only "vet ej" in a dimension has no score there. Averaging
  per respondent first gives every respondent one equal voice in each dimension, however many
  questions he or she could answer.
* **Level of a dimension** (``median``): the median of the respondent scores of the region's
  respondents in the round (with an even number, the mean of the middle two). The median suits
  an ordinal scale and is not pulled by one respondent who sees things very differently. It may
  be fractional (2.5, 2.67). ``medel`` is the mean of the same respondent scores.
* **Spread**: ``q1``, ``q3`` and ``iqr = q3 - q1`` of the respondent scores (linear
  interpolation, as pandas and R type 7). Not defined for fewer than two respondents
  (:data:`MIN_RESPONDENTS_SPREAD`).
* **Agreement** (``samstammighet``): the share of respondents whose score lies within one level
  (:data:`AGREEMENT_TOLERANCE`) of the median (``|poang - median| <= 1``). Not defined for
  fewer than two respondents.
* **Low reliability** (``lag_tillforlitlighet``): fewer than 3 respondents
  (:data:`MIN_RESPONDENTS`) have a score.
* **Reached level** (``uppnadd_niva``): a dimension reaches level L when its median is at least
  L; the reached level is the median rounded down (floor): 2.67 reaches level 2, 3.0 reaches 3.
* **Staged level** (``trappstegsniva``): the highest level that every dimension reaches, i.e.
  the smallest reached level over the dimensions that have answers. Dimensions without any
  answer are left out and listed (``n_dimensioner_utan_svar``), so the staged level is then an
  upper bound.
* **Profile mean** (``profilmedel``): the unweighted mean of the dimension medians, every
  dimension counting the same.
* **Trend**: the current median minus the median of the previous round, the latest earlier round
  held; only where the region has answers in the dimension in both rounds. A change (or a
  difference from the national median) smaller than :data:`UNCHANGED` counts as none.
* **Target** (``malniva``): the region's own target from the optional table ``mognadsmal``;
  otherwise (default) one level above the reached level, at most 5. **Gap** = target − median;
  **levels left** (``nivaer_kvar``) = target − reached level.
* **Next steps**: the dimensions still below their target (gap > 0), the largest gap first
  (the furthest to go); at an equal gap the lower median first, then model order; for each,
  the model's descriptor of the level above the reached one. A larger gap is never passed over
  for a smaller one (:func:`next_step_order`).
* **National distribution**: across the regions that have answers in the dimension in the round,
  each region counted once by its median. The region's place: ``rang`` = 1 + the number of
  regions with a strictly higher median (ties share a rank), and ``andel_lagre`` = the share of
  the other regions with a strictly lower median.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from utvardering.errors import ParameterError
from utvardering.models import MaturityModel
from utvardering.vocabulary import MATURITY_LEVELS

__all__ = [
    "AGREEMENT_TOLERANCE",
    "MIN_RESPONDENTS",
    "MIN_RESPONDENTS_SPREAD",
    "NEXT_STEPS",
    "TOP_LEVEL",
    "UNCHANGED",
    "NextStep",
    "default_target",
    "dimension_scores",
    "level_matrix",
    "national_distribution",
    "national_place",
    "next_step_order",
    "overall_levels",
    "previous_round",
    "reached_level",
    "respondent_scores",
    "response_counts",
    "select_next_steps",
    "targets_and_gaps",
]

MIN_RESPONDENTS = 3  # fewer respondents than this: low reliability
MIN_RESPONDENTS_SPREAD = 2  # spread and agreement need at least this many respondents
AGREEMENT_TOLERANCE = 1.0  # "agree" = within this many levels of the median
UNCHANGED = 0.05  # changes and differences smaller than this (in levels) count as none
NEXT_STEPS = 3  # how many dimensions get a next step
TOP_LEVEL = max(MATURITY_LEVELS)
_EPS = 1e-9  # guards floor() against float noise such as 2.9999999999
_KEYS = ["omgang", "lan_kod"]


def _answers_with_dimension(answers: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    dimension = answers["fraga"].map(model.question_dimension)
    unknown = sorted(answers.loc[dimension.isna(), "fraga"].astype(str).unique())
    if unknown:
        shown = ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")
        raise ParameterError(
            f"Enkätsvaren innehåller frågor som inte finns i mognadsmodellen: {shown}. "
            "Rätta kolumnen fraga eller lägg till frågorna i mognadsmodell.yaml."
        )
    value = answers["svar"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    return pd.DataFrame(
        {
            "omgang": answers["omgang"].astype(int).to_numpy(),
            "lan_kod": answers["lan_kod"].astype(str).to_numpy(),
            "respondent": answers["respondent"].astype(str).to_numpy(),
            "dimension": dimension.to_numpy(),
            "svar": value,
        }
    )


def respondent_scores(answers: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """Each respondent's score per dimension: the mean of his or her answers ("vet ej" left out).

    Returns one row per omgang, lan_kod, respondent and dimension with ``poang`` (NaN when the
    respondent answered only "vet ej"), ``n_svar`` (answers) and ``n_vet_ej``.
    """
    frame = _answers_with_dimension(answers, model)
    grouped = frame.groupby([*_KEYS, "respondent", "dimension"], sort=True)["svar"]
    out = grouped.agg(poang="mean", n_svar="count", n_rows="size").reset_index()
    out["n_vet_ej"] = out.pop("n_rows") - out["n_svar"]
    return out


def reached_level(median: float | None) -> int | None:
    """The level a median reaches: rounded down (2.67 → 2, 3.0 → 3); None when missing."""
    if median is None or (isinstance(median, float) and math.isnan(median)):
        return None
    return math.floor(median + _EPS)


def dimension_scores(answers: pd.DataFrame, model: MaturityModel) -> pd.DataFrame:
    """Level, spread and agreement per region, round and dimension (see the module docstring).

    Every dimension of the model gets a row for every region and round that has at least one
    row in ``answers``, also when nobody answered it (``n_respondenter`` 0, levels missing).
    Columns: omgang, lan_kod, dimension, median, medel, q1, q3, iqr, n_respondenter, n_svar,
    n_vet_ej, samstammighet, uppnadd_niva, lag_tillforlitlighet.
    """
    scores = respondent_scores(answers, model)
    keys = [*_KEYS, "dimension"]
    counts = scores.groupby(keys)[["n_svar", "n_vet_ej"]].sum()
    scored = scores.dropna(subset=["poang"])
    grouped = scored.groupby(keys)["poang"]
    stats = pd.DataFrame(
        {
            "median": grouped.median(),
            "medel": grouped.mean(),
            "q1": grouped.quantile(0.25),
            "q3": grouped.quantile(0.75),
            "n_respondenter": grouped.count(),
        }
    )
    median = scored.join(stats["median"], on=keys)["median"]
    close = (scored["poang"] - median).abs() <= AGREEMENT_TOLERANCE + _EPS
    stats["samstammighet"] = close.groupby([scored[k] for k in keys]).mean()
    regions = scores[_KEYS].drop_duplicates().sort_values(_KEYS)
    full = pd.MultiIndex.from_arrays(
        [
            np.repeat(regions["omgang"].to_numpy(), len(model.dimensions)),
            np.repeat(regions["lan_kod"].to_numpy(), len(model.dimensions)),
            np.tile([d.id for d in model.dimensions], len(regions)),
        ],
        names=keys,
    )
    out = stats.reindex(full).join(counts.reindex(full).fillna(0).astype(int))
    out["n_respondenter"] = out["n_respondenter"].fillna(0).astype(int)
    few = out["n_respondenter"] < MIN_RESPONDENTS_SPREAD
    out.loc[few, ["q1", "q3", "samstammighet"]] = np.nan
    out["iqr"] = out["q3"] - out["q1"]
    out["uppnadd_niva"] = pd.array([reached_level(m) for m in out["median"]], dtype="Int64")
    out["lag_tillforlitlighet"] = out["n_respondenter"] < MIN_RESPONDENTS
    columns = [
        "median", "medel", "q1", "q3", "iqr", "n_respondenter", "n_svar", "n_vet_ej",
        "samstammighet", "uppnadd_niva", "lag_tillforlitlighet",
    ]  # fmt: skip
    return out[columns].reset_index()


def response_counts(answers: pd.DataFrame) -> pd.DataFrame:
    """Per region and round: respondents with at least one answer, answers and "vet ej"."""
    frame = answers.assign(
        omgang=answers["omgang"].astype(int), har_svar=answers["svar"].notna().astype(int)
    )
    per_person = frame.groupby([*_KEYS, "respondent"])["har_svar"].agg(["sum", "size"])
    grouped = per_person.groupby(level=_KEYS)
    return pd.DataFrame(
        {
            "n_respondenter": grouped["sum"].apply(lambda s: int((s > 0).sum())),
            "n_svar": grouped["sum"].sum(),
            "n_vet_ej": grouped["size"].sum() - grouped["sum"].sum(),
        }
    ).reset_index()


def overall_levels(scores: pd.DataFrame) -> pd.DataFrame:
    """The overall level per region and round, both ways, from :func:`dimension_scores`.

    ``trappstegsniva``: the highest level that every dimension with answers reaches (the
    smallest reached level); ``profilmedel``: the mean of the dimension medians. Also
    ``n_dimensioner`` (with answers) and ``n_dimensioner_utan_svar``.
    """
    grouped = scores.groupby(_KEYS)
    out = pd.DataFrame(
        {
            "trappstegsniva": grouped["uppnadd_niva"].min(),
            "profilmedel": grouped["median"].mean(),
            "n_dimensioner": grouped["median"].count(),
            "n_dimensioner_utan_svar": grouped["median"].apply(lambda s: int(s.isna().sum())),
        }
    )
    out["trappstegsniva"] = out["trappstegsniva"].astype("Int64")
    return out.reset_index()


def previous_round(rounds: pd.Series | list[int], survey_round: int) -> int | None:
    """The latest round before ``survey_round`` among ``rounds``; None if there is none."""
    earlier = sorted({int(r) for r in pd.Series(rounds).dropna()} - {survey_round})
    earlier = [r for r in earlier if r < survey_round]
    return earlier[-1] if earlier else None


def default_target(median: float | None) -> int | None:
    """The default target: one level above the reached level, at most 5."""
    level = reached_level(median)
    return None if level is None else min(TOP_LEVEL, level + 1)


def targets_and_gaps(
    medians: pd.Series, lan_kod: str, targets: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Target, its source, gap and levels left per dimension (``medians`` indexed by id).

    A target in ``targets`` (columns lan_kod, dimension, malniva) wins; otherwise the default
    (one level above the reached level, at most 5). A dimension without a median gets only a
    target from the table, and no gap.
    """
    own: dict[str, int] = {}
    if targets is not None and len(targets):
        mine = targets[targets["lan_kod"].astype(str) == lan_kod]
        own = {str(d): int(t) for d, t in zip(mine["dimension"], mine["malniva"], strict=True)}
    rows = []
    for dimension, median in medians.items():
        median = None if pd.isna(median) else float(median)
        if dimension in own:
            target, source = own[dimension], "mognadsmal"
        else:
            target, source = default_target(median), "standard"
        reached = reached_level(median)
        rows.append(
            {
                "dimension": dimension,
                "malniva": target,
                "malkalla": source if target is not None else None,
                "gap": None if median is None or target is None else target - median,
                "nivaer_kvar": None if reached is None or target is None else target - reached,
            }
        )
    out = pd.DataFrame(rows).set_index("dimension")
    out["malniva"] = out["malniva"].astype("Int64")
    out["gap"] = out["gap"].astype(float)
    out["nivaer_kvar"] = out["nivaer_kvar"].astype("Int64")
    return out


@dataclass(frozen=True)
class NextStep:
    """What a region must do to move a dimension up one level (nästa steg)."""

    dimension: str
    name: str
    median: float
    from_level: int  # the reached level
    to_level: int  # the next level
    level_name: str  # the general name of the next level
    descriptor: str  # the model's descriptor of the next level in this dimension
    target: int
    gap: float
    levels_left: int


def next_step_order(frame: pd.DataFrame, model: MaturityModel) -> list[str]:
    """The dimensions below their target in the order next steps are chosen (ids).

    ``frame`` is indexed by dimension id with ``median`` and ``gap``. Dimensions with no
    median or a gap of zero or less are left out; the rest are ordered by gap (largest first),
    then median (lowest first), then model order. Gaps that differ by less than float noise
    count as equal.
    """
    order = {d.id: i for i, d in enumerate(model.dimensions)}
    candidates = []
    for dimension, row in frame.iterrows():
        if pd.isna(row["median"]) or pd.isna(row["gap"]) or row["gap"] <= _EPS:
            continue
        gap = round(float(row["gap"]), 9)  # 1.0 and 0.9999999999 are the same gap
        candidates.append((-gap, float(row["median"]), order[dimension], dimension))
    return [dimension for *_, dimension in sorted(candidates)]


def select_next_steps(
    frame: pd.DataFrame, model: MaturityModel, n: int = NEXT_STEPS
) -> tuple[NextStep, ...]:
    """The next steps for the ``n`` dimensions furthest from their target.

    ``frame`` is indexed by dimension id with ``median``, ``malniva``, ``gap`` and
    ``nivaer_kvar``. The dimensions are taken in :func:`next_step_order`: the largest gap
    first, at an equal gap the lowest median, then model order.
    """
    if n < 0:
        raise ParameterError(f"Antalet nästa steg måste vara 0 eller fler, inte {n}.")
    index_of = {d.id: i for i, d in enumerate(model.dimensions)}
    steps = []
    for dimension_id in next_step_order(frame, model)[:n]:
        dimension = model.dimensions[index_of[dimension_id]]
        row = frame.loc[dimension.id]
        median = float(row["median"])
        reached = reached_level(median)
        to_level = min(TOP_LEVEL, reached + 1)
        steps.append(
            NextStep(
                dimension=dimension.id,
                name=dimension.name,
                median=median,
                from_level=reached,
                to_level=to_level,
                level_name=model.levels[to_level][0],
                descriptor=dimension.levels[to_level],
                target=int(row["malniva"]),
                gap=float(row["gap"]),
                levels_left=int(row["nivaer_kvar"]),
            )
        )
    return tuple(steps)


def level_matrix(scores: pd.DataFrame, survey_round: int, model: MaturityModel) -> pd.DataFrame:
    """Regions × dimensions of the medians in one round (regions with answers, model order)."""
    round_scores = scores[scores["omgang"] == survey_round]
    wide = round_scores.pivot(index="lan_kod", columns="dimension", values="median")
    wide = wide.reindex(columns=[d.id for d in model.dimensions])
    wide = wide[wide.notna().any(axis=1)].sort_index()
    wide.columns.name = "dimension"
    return wide.astype(float)


def national_distribution(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per dimension, the distribution of the regions' medians (from :func:`level_matrix`).

    Columns: n_regioner, median, q1, q3, min, max; each region counted once.
    """
    return pd.DataFrame(
        {
            "n_regioner": matrix.count(),
            "median": matrix.median(),
            "q1": matrix.quantile(0.25),
            "q3": matrix.quantile(0.75),
            "min": matrix.min(),
            "max": matrix.max(),
        }
    )


def national_place(matrix: pd.DataFrame, lan_kod: str) -> pd.DataFrame:
    """The region's place per dimension: ``rang`` (1 = highest, ties share) and ``andel_lagre``.

    Missing for a dimension in which the region has no median.
    """
    rows = {}
    for dimension in matrix.columns:
        values = matrix[dimension].dropna()
        own = values.get(lan_kod)
        if own is None:
            rows[dimension] = {"rang": None, "n_regioner": len(values), "andel_lagre": None}
            continue
        others = values.drop(lan_kod)
        rows[dimension] = {
            "rang": 1 + int((others > own + _EPS).sum()),
            "n_regioner": len(values),
            "andel_lagre": float((others < own - _EPS).mean()) if len(others) else None,
        }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out["rang"] = out["rang"].astype("Int64")
    out["andel_lagre"] = out["andel_lagre"].astype(float)
    return out
