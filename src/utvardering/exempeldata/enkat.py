"""Simulated maturity survey (mognadsenkät) answered by staff at the 21 regions.

The survey asks every respondent to grade each statement (fråga) of the maturity model on the
scale 1-5, where the answer is the maturity level at which the statement holds for the region;
"vet ej" is recorded as a missing answer. The data are invented for examples, tests and report
development; they are not real answers from any region.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from utvardering.vocabulary import MATURITY_LEVELS

__all__ = ["ROLES", "simulate_survey"]

# Respondent roles and how often each is drawn.  # roller
ROLES: dict[str, float] = {
    "Analytiker": 0.24,
    "Utvärderare": 0.12,
    "Strateg": 0.20,
    "Enhetschef": 0.15,
    "Projektledare": 0.16,
    "Controller": 0.08,
    "Regional utvecklingsdirektör": 0.05,
}
_ANALYST_ROLES = frozenset({"Analytiker", "Utvärderare"})
_DIRECTOR = "Regional utvecklingsdirektör"
# Systematic shift of a role's answers (managers see their own work somewhat more kindly).
_ROLE_BIAS: dict[str, float] = {
    "Analytiker": -0.10,
    "Utvärderare": -0.15,
    "Strateg": 0.05,
    "Enhetschef": 0.15,
    "Projektledare": 0.0,
    "Controller": -0.05,
    "Regional utvecklingsdirektör": 0.35,
}

# National profile of the dimensions: where the regions on average are strong or weak.
_DIMENSION_OFFSET: dict[str, float] = {
    "uppfoljning_utvardering": 0.25,
    "aterkoppling": -0.05,
    "omvarldsanalys": 0.35,
    "effektkedjor": -0.30,
    "indikatorer_data": -0.10,
    "analyskapacitet": 0.05,
    "styrkedja": -0.15,
    "internt_larande": -0.35,
    "samverkan": 0.15,
}
# Dimensions where the region's size (log population) lifts maturity.
_SIZE_EFFECT: dict[str, float] = {"analyskapacitet": 0.35, "indikatorer_data": 0.25}
# Dimensions whose questions non-analysts more often cannot answer.
_ANALYTIC_DIMENSIONS = frozenset({"omvarldsanalys", "indikatorer_data", "analyskapacitet"})

_LEVEL_MIN = min(MATURITY_LEVELS)
_LEVEL_MAX = max(MATURITY_LEVELS)
_ABSENT_FIRST_ROUND = "09"  # Gotland did not take part in the first round.

_RETURN_RATE = 0.6  # share of a region's first-round respondents who answer again
_IMPROVEMENT_MEAN = 0.3  # mean change of latent maturity between consecutive rounds
_IMPROVEMENT_SD = 0.3
_COMMENT_RATE = 0.03

_COMMENTS: dict[str, tuple[str, ...]] = {
    "uppfoljning_utvardering": (
        "Lärandeplanen revideras under året.",
        "Utvärderingsplanen för programperioden är på väg.",
        "Följeforskning finns bara i de största projekten.",
    ),
    "aterkoppling": (
        "Resultaten presenteras på regiondagarna.",
        "Återkopplingen till projektägarna är bristfällig.",
        "Politiken efterfrågar mer underlag.",
    ),
    "omvarldsanalys": (
        "Omvärldsbevakningen görs mest ad hoc.",
        "Ett nytt regionalt faktaunderlag tas fram.",
        "Scenarioarbete pågår inför den nya RUS:en.",
    ),
    "effektkedjor": (
        "Vi har testat stryktipset på två understrategier.",
        "Effektkedjan används i ansökan men inte i uppföljningen.",
        "Handläggarna behöver mer stöd med insatslogiken.",
    ),
    "indikatorer_data": (
        "Indikatorerna följs upp i Excel.",
        "Vi väntar på det nya uppföljningssystemet för 1:1.",
        "Data under länsnivå saknas ofta.",
    ),
    "analyskapacitet": (
        "Analysenheten har förstärkts med en tjänst.",
        "En analytiker har slutat och tjänsten är vakant.",
        "Analysresurserna räcker inte till utvärderingar.",
    ),
    "styrkedja": (
        "Understrategierna är inte uppdaterade mot nya RUS.",
        "Kopplingen mellan projekt och RUS görs i efterhand.",
        "RUS är för visionär för att följa upp.",
    ),
    "internt_larande": (
        "Höst- och vårforum har kommit igång.",
        "Lärandet stannar ofta hos enskilda medarbetare.",
        "Ledningen efterfrågar sällan utvärderingar.",
    ),
    "samverkan": (
        "Samarbetet med kommunerna sker via kommunchefsnätverket.",
        "Vi deltar i Reglabs utvärderingsnätverk.",
        "Analyssamverkan med grannregionerna har startat.",
    ),
}
_GENERAL_COMMENTS: tuple[str, ...] = (
    "Svårt att svara för hela regionen.",
    "Bedömningen gäller främst min egen avdelning.",
    "Arbetet har börjat men är inte förankrat ännu.",
    "Beror på vilket program det gäller.",
)
_UNKNOWN_COMMENTS: tuple[str, ...] = (
    "Känner inte till hur det fungerar.",
    "Ligger utanför mitt ansvarsområde.",
)

_COLUMNS = ("omgang", "lan_kod", "respondent", "roll", "fraga", "svar", "kommentar")


def _questions(model: Mapping) -> list[tuple[str, str]]:
    """Return (dimension id, question id) for every question of the model, in model order."""
    dimensions = model.get("dimensioner") if isinstance(model, Mapping) else None
    if not dimensions:
        raise ValueError("Mognadsmodellen saknar dimensioner.")
    pairs: list[tuple[str, str]] = []
    for dimension in dimensions:
        questions = dimension.get("fragor") or []
        if not questions:
            raise ValueError(f"Dimensionen {dimension.get('id')!r} saknar frågor.")
        pairs.extend((str(dimension["id"]), str(q["id"])) for q in questions)
    ids = [q for _, q in pairs]
    if len(set(ids)) != len(ids):
        raise ValueError("Mognadsmodellen har dubbla fråge-id.")
    return pairs


def _draw_role(rng: np.random.Generator, taken: set[str]) -> str:
    """Draw a role; a region has at most one regional development director per round."""
    names = list(ROLES)
    weights = np.array([ROLES[name] for name in names])
    role = names[int(rng.choice(len(names), p=weights / weights.sum()))]
    if role == _DIRECTOR and _DIRECTOR in taken:
        role = "Strateg"
    return role


def simulate_survey(
    model: dict,
    population: pd.Series,
    rng: np.random.Generator,
    *,
    rounds: tuple[int, ...] = (2023, 2025),
) -> pd.DataFrame:
    """Simulate the maturity survey of the regions over one or more rounds (omgångar).

    Each region has a latent maturity per dimension: a general regional level, the national
    profile of the dimension, a region-specific strength or weakness, and for
    ``analyskapacitet`` and ``indikatorer_data`` a lift for regions with a larger population.
    The latent levels lie mostly between 1.5 and 4 and change between consecutive rounds by
    about +0.3 on average, with variation, so some regions regress on some dimensions.

    Each region has 2-9 respondents per round (more in larger regions) with Swedish roles.
    About 60 % of a region's respondents in a round answer again in the next round and keep
    their respondent id (e.g. ``"07-R03"``) and role. Answers are the latent level plus a small
    question effect, a personal and role bias (some respondents are optimistic) and noise,
    rounded and clipped to 1-5. About 5 % of the answers are "vet ej" (``<NA>``), more often
    when non-analysts answer questions on analysis and data. About 3 % of the rows carry a short
    Swedish comment.

    Region ``"09"`` (Gotland) does not take part in the first round, so the reports must handle
    a region that is missing in a round.

    Args:
        model: The maturity model, as loaded from ``data/mognadsmodell.yaml``.
        population: Population indexed by länskod (two-digit str).
        rng: Random generator; the same seed and inputs give identical output.
        rounds: The years of the survey rounds, in increasing order.

    Returns:
        One row per respondent and question with the columns ``omgang`` (int), ``lan_kod``,
        ``respondent``, ``roll``, ``fraga`` (str), ``svar`` (Int64, ``<NA>`` = vet ej) and
        ``kommentar`` (str, ``""`` when none), sorted by (omgang, lan_kod, respondent, fraga).
    """
    questions = _questions(model)
    if not rounds or list(rounds) != sorted(set(rounds)):
        raise ValueError("rounds måste vara stigande och unika årtal.")
    pop = population.copy()
    pop.index = pop.index.astype(str)
    pop = pop.sort_index().astype(float)
    if pop.empty or pop.index.has_duplicates or not (pop > 0).all():
        raise ValueError("population måste ha unika länskoder och positiva värden.")

    codes = list(pop.index)
    dims = list(dict.fromkeys(d for d, _ in questions))
    log_pop = np.log(pop.to_numpy())
    spread = log_pop.std()
    size_z = (log_pop - log_pop.mean()) / spread if spread > 0 else np.zeros(len(codes))
    size_share = (
        (log_pop - log_pop.min()) / (log_pop.max() - log_pop.min())
        if log_pop.max() > log_pop.min()
        else np.full(len(codes), 0.5)
    )

    # Latent maturity: region x dimension, first round.
    general = rng.normal(2.55, 0.35, size=len(codes))
    profile = rng.normal(0.0, 0.35, size=(len(codes), len(dims)))
    offset = np.array([_DIMENSION_OFFSET.get(d, 0.0) for d in dims])
    size_effect = np.array([_SIZE_EFFECT.get(d, 0.0) for d in dims])
    latent = general[:, None] + offset[None, :] + profile + size_z[:, None] * size_effect
    latent = np.clip(latent, 1.2, 4.6)
    latents = [latent]
    for _ in rounds[1:]:
        momentum = rng.normal(0.0, 0.12, size=len(codes))
        change = rng.normal(_IMPROVEMENT_MEAN, _IMPROVEMENT_SD, size=latent.shape)
        latent = np.clip(latent + change + momentum[:, None], 1.0, 5.0)
        latents.append(latent)

    question_effect = dict(
        zip((q for _, q in questions), rng.normal(0.0, 0.2, len(questions)), strict=True)
    )

    records: list[tuple] = []
    for i, code in enumerate(codes):
        counter = 0
        previous: list[tuple[str, str, float]] = []  # (id, role, bias) of the last round
        for r, year in enumerate(rounds):
            if r == 0 and code == _ABSENT_FIRST_ROUND:
                continue
            mean_n = 2.5 + 5.5 * size_share[i]
            n = int(np.clip(round(mean_n + rng.normal(0.0, 0.8)), 2, 9))
            returning = [p for p in previous if rng.random() < _RETURN_RATE][:n]
            respondents = list(returning)
            taken = {role for _, role, _ in respondents}
            while len(respondents) < n:
                counter += 1
                role = _draw_role(rng, taken)
                taken.add(role)
                bias = rng.normal(0.0, 0.3) + (0.5 if rng.random() < 0.2 else 0.0)
                respondents.append((f"{code}-R{counter:02d}", role, bias + _ROLE_BIAS[role]))
            previous = respondents

            for rid, role, bias in respondents:
                for dim, qid in questions:
                    j = dims.index(dim)
                    value = latents[r][i, j] + question_effect[qid] + bias
                    value += rng.normal(0.0, 0.55)
                    answer = int(np.clip(np.rint(value), _LEVEL_MIN, _LEVEL_MAX))
                    if role in _ANALYST_ROLES:
                        p_unknown = 0.03
                    elif dim in _ANALYTIC_DIMENSIONS:
                        p_unknown = 0.10
                    else:
                        p_unknown = 0.045
                    unknown = rng.random() < p_unknown
                    comment = ""
                    if rng.random() < _COMMENT_RATE:
                        if unknown:
                            pool = _UNKNOWN_COMMENTS
                        else:
                            pool = _COMMENTS.get(dim, ()) + _GENERAL_COMMENTS
                        comment = pool[int(rng.integers(len(pool)))]
                    records.append(
                        (year, code, rid, role, qid, pd.NA if unknown else answer, comment)
                    )

    frame = pd.DataFrame.from_records(records, columns=list(_COLUMNS))
    frame = frame.astype(
        {
            "omgang": "int64",
            "lan_kod": str,
            "respondent": str,
            "roll": str,
            "fraga": str,
            "svar": "Int64",
            "kommentar": str,
        }
    )
    return frame.sort_values(["omgang", "lan_kod", "respondent", "fraga"]).reset_index(drop=True)
