"""The table ``malkedja``: the regions' goal chains, RUS goal -> sub-strategy -> project.

Region Kronoberg's goals are transcribed from the region's own plan, as Robin Rikardsson of
Region Kronoberg presented it at Reglab's workshop "Regionala resultat" on 14 December 2017
("Plan för systematisk uppföljning och lärande som verktyg"): one RUS goal, the sub-strategy
goals under it and two examples of project goals. A goal is tied to a series of
``indikatorer.csv`` where the data has one; the others have no indicator (no data), as in the
plan. Kronoberg's project examples (Sydostleden, Destination Småland) are not in the project
register, so they carry no case number.

The other 20 regions' chains are simulated, every row marked ``Simulerad`` in ``kalla``: two or
three RUS goals on real series (base values taken from the series), one sub-strategy per RUS
priority of the region (``rus_prioriteringar``) and, under each, goals of a few of the
region's real projects with that priority, on the projects' own indicators and targets. Some
sub-strategies get no project and some goals no indicator, as in real chains.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from utvardering.format import fmt_number
from utvardering.vocabulary import LAN_CODES

__all__ = ["KRONOBERG", "SIMULATED", "simulate_goal_chains"]

SIMULATED = "Simulerad"  # the value of `kalla` on every simulated row
_KRONOBERG_SOURCE = (
    "Region Kronoberg: Plan för systematisk uppföljning och lärande (Reglab, workshop "
    "Regionala resultat 2017-12-14)"
)
_KRONOBERG_SERIES = (
    _KRONOBERG_SOURCE + "; serien är företag med minst en anställd per 1 000 invånare, den "
    "närmaste i data till målets arbetstillfällen"
)

_COLUMNS = (
    "lan_kod", "mal_id", "niva", "overordnat_mal_id", "mal", "indikator", "arende_id", "basar",
    "basvarde", "malar", "malvarde", "riktning", "steg", "kalla",
)  # fmt: skip

# Region Kronoberg's goals as the plan states them (basar and basvarde of the RUS goal: the
# first year of the series; the RUS runs to 2025).
KRONOBERG: tuple[dict[str, object], ...] = (
    {
        "mal_id": "RUS-1",
        "niva": "rus",
        "mal": "Antalet arbetstillfällen (minst 1 anställd) per 1 000 invånare ska öka",
        "indikator": "foretag_med_anstallda_per_1000_inv",
        "basar": 2018,
        "malar": 2025,
        "riktning": "oka",
        "kalla": _KRONOBERG_SERIES,
    },
    {
        "mal_id": "US-1",
        "niva": "understrategi",
        "overordnat_mal_id": "RUS-1",
        "mal": "Främja näringslivets diversifiering: andelen av befolkningen som helst vill "
        "vara företagare i aktuella kommuner ska öka",
        "riktning": "oka",
        "steg": "medellang_sikt",
    },
    {
        "mal_id": "US-2",
        "niva": "understrategi",
        "overordnat_mal_id": "RUS-1",
        "mal": "Främja näringslivets diversifiering: stämningsläget bland befintliga företag i "
        "aktuella kommuner ska förbättras",
        "riktning": "oka",
        "steg": "medellang_sikt",
    },
    {
        "mal_id": "US-3",
        "niva": "understrategi",
        "overordnat_mal_id": "RUS-1",
        "mal": "Stärk platsbundna näringar (t.ex. turismsektorn) i kommuner under omställning: "
        "besöksnätterna i länet ska öka",
        "riktning": "oka",
        "steg": "medellang_sikt",
    },
    {
        "mal_id": "US-4",
        "niva": "understrategi",
        "overordnat_mal_id": "RUS-1",
        "mal": "Stärk platsbundna näringar: antalet arbetstillfällen (minst 1 anställd) inom "
        "turismsektorn ska öka",
        "riktning": "oka",
        "steg": "lang_sikt",
    },
    {
        "mal_id": "P-1",
        "niva": "projekt",
        "overordnat_mal_id": "US-1",
        "mal": "Sydostleden, cykelled och företagande: 60 % av deltagarna ska vilja bli "
        "företagare eller bedöma att de kommer att bli det",
        "malvarde": 60.0,
        "riktning": "oka",
        "steg": "kort_sikt",
    },
    {
        "mal_id": "P-2",
        "niva": "projekt",
        "overordnat_mal_id": "US-1",
        "mal": "Sydostleden, cykelled och företagande: 30 % av deltagarna ska starta företag",
        "indikator": "andel_startat_foretag",
        "malvarde": 30.0,
        "riktning": "oka",
        "steg": "lang_sikt",
    },
    {
        "mal_id": "P-3",
        "niva": "projekt",
        "overordnat_mal_id": "US-3",
        "mal": "Destination Småland, internationell marknadsföring och utveckling av "
        "turistföretag: besöksnätterna hos de aktuella turistföretagen och attraktionerna "
        "ska öka",
        "riktning": "oka",
        "steg": "kort_sikt",
    },
    {
        "mal_id": "P-4",
        "niva": "projekt",
        "overordnat_mal_id": "US-4",
        "mal": "Destination Småland: antalet anställda i de berörda turistföretagen ska öka",
        "riktning": "oka",
        "steg": "lang_sikt",
    },
)
_KRONOBERG_CODE = "07"

# Simulated RUS goals: the series, the goal in words, the direction and the range of the
# planned change from the base year (None: "ska öka" without a number).
# The last field is the unit written after a target number.
_RUS_POOL: tuple[tuple[str, str, str, tuple[float, float] | None, str], ...] = (
    ("nystartade_per_1000_inv", "Antalet nystartade företag per 1 000 invånare ska öka", "oka",
     (0.08, 0.25), ""),
    ("brp_per_inv", "Bruttoregionprodukten per invånare ska öka", "oka", (0.20, 0.40), " kr"),
    ("utslapp", "Utsläppen av växthusgaser ska minska", "minska", (0.30, 0.50),
     " kton koldioxidekvivalenter"),
    ("export_per_inv_20_64", "Varuexporten per invånare 20–64 år ska öka", "oka", (0.10, 0.30),
     " kr"),
    ("foretag_med_anstallda_per_1000_inv",
     "Antalet företag med minst en anställd per 1 000 invånare ska öka", "oka", None, ""),
)  # fmt: skip
# Simulated sub-strategy goals: a series (or None: no indicator yet) and the goal in words.
# Only rates, so that the region can be drawn beside its peers.
_SUB_POOL: tuple[tuple[str | None, str], ...] = (
    ("fou_foretag", "företagens utgifter för forskning och utveckling per invånare ska öka"),
    ("fou_hogskola", "lärosätenas utgifter för forskning och utveckling per invånare ska öka"),
    (
        "fou_offentlig",
        "den offentliga sektorns utgifter för forskning och utveckling per invånare ska öka",
    ),
    (None, "fler små och medelstora företag ska samverka med högskolan"),
    (None, "andelen unga som kan tänka sig att starta företag ska öka"),
    (None, "fler företag ska arbeta med energieffektivisering"),
)
_RUS_BASE_YEAR = 2014
_RUS_TARGET_YEARS = (2025, 2030)
_SUB_BASE_YEAR = 2016
_SUB_TARGET_YEAR = 2022
_PROJECTS_PER_SUB = (0, 1, 2, 3)
_PROJECTS_WEIGHTS = (0.2, 0.3, 0.3, 0.2)
_NO_TARGET = 0.3  # share of simulated RUS goals with a direction but no number


def _rounded(value: float) -> float:
    """A target as a region would write it: two or three significant figures."""
    if value == 0:
        return 0.0
    digits = 3 if abs(value) < 1000 else 2
    magnitude = int(np.floor(np.log10(abs(value))))
    return float(round(value, digits - 1 - magnitude))


def _words(value: float) -> str:
    """A number as written in a Swedish sentence: "5,2", "2 100", "48 000"."""
    decimals = 0 if float(value).is_integer() or abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return fmt_number(value, decimals).replace("\u00a0", " ").replace("\u2212", "-")


def _series_value(indicators: pd.DataFrame, code: str, name: str, year: int) -> tuple[int, float]:
    """The series' value at ``year``, or at its first year when it starts later."""
    rows = indicators[(indicators["lan_kod"] == code) & (indicators["indikator"] == name)]
    rows = rows.dropna(subset=["varde"]).sort_values("ar")
    at = rows[rows["ar"] >= year].iloc[0]
    return int(at["ar"]), float(at["varde"])


def simulate_goal_chains(
    indicators: pd.DataFrame,
    projects: pd.DataFrame,
    project_regions: pd.DataFrame,
    project_indicators: pd.DataFrame,
    rus_lists: pd.DataFrame,
    chains: dict,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """The table ``malkedja``: Kronoberg's goals from its plan, simulated chains elsewhere."""
    names = {
        i["id"]: i["namn"]
        for chain in chains["kedjor"]
        for stage in chain["steg"].values()
        for i in stage.get("indikatorer") or []
    }
    rows: list[dict[str, object]] = []
    for code in LAN_CODES:
        if code == _KRONOBERG_CODE:
            rows += _kronoberg(indicators)
        else:
            rows += _simulated_region(
                code, indicators, projects, project_regions, project_indicators, rus_lists,
                names, rng,
            )  # fmt: skip
    frame = pd.DataFrame(rows).reindex(columns=list(_COLUMNS))
    for column in ("basar", "malar"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _kronoberg(indicators: pd.DataFrame) -> list[dict[str, object]]:
    rows = []
    for goal in KRONOBERG:
        row = {"lan_kod": _KRONOBERG_CODE, "kalla": _KRONOBERG_SOURCE, **goal}
        if row.get("indikator") and row.get("basar"):
            _, row["basvarde"] = _series_value(
                indicators, _KRONOBERG_CODE, str(row["indikator"]), int(row["basar"])
            )
            row["basvarde"] = round(float(row["basvarde"]), 2)
        rows.append(row)
    return rows


def _simulated_region(
    code: str,
    indicators: pd.DataFrame,
    projects: pd.DataFrame,
    project_regions: pd.DataFrame,
    project_indicators: pd.DataFrame,
    rus_lists: pd.DataFrame,
    names: dict[str, str],
    rng: np.random.Generator,
) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    n_rus = int(rng.choice((2, 3)))
    picks = rng.choice(len(_RUS_POOL), size=n_rus, replace=False)
    for k, pick in enumerate(sorted(picks), start=1):
        series, text, direction, change, unit = _RUS_POOL[pick]
        year, base = _series_value(indicators, code, series, _RUS_BASE_YEAR)
        target_year = int(rng.choice(_RUS_TARGET_YEARS))
        target = None
        if change is not None and rng.random() >= _NO_TARGET:
            step = rng.uniform(*change)
            target = _rounded(base * (1 + step if direction == "oka" else 1 - step))
        rows.append(
            {
                "lan_kod": code,
                "mal_id": f"RUS-{k}",
                "niva": "rus",
                "mal": text
                if target is None
                else f"{text} till {_words(target)}{unit} år {target_year}",
                "indikator": series,
                "basar": year,
                "basvarde": _rounded(base),
                "malar": target_year,
                "malvarde": target,
                "riktning": direction,
                "kalla": SIMULATED,
            }
        )
    priorities = rus_lists.loc[rus_lists["lan_kod"] == code, "prioritering"].tolist()
    subs = rng.choice(len(_SUB_POOL), size=len(priorities), replace=False)
    here = project_regions[project_regions["lan_kod"] == code]
    for k, (priority, sub) in enumerate(zip(priorities, subs, strict=True), start=1):
        series, text = _SUB_POOL[sub]
        sub_id = f"US-{k}"
        row: dict[str, object] = {
            "lan_kod": code,
            "mal_id": sub_id,
            "niva": "understrategi",
            "overordnat_mal_id": f"RUS-{1 + (k - 1) % n_rus}",
            "mal": f"{priority}: {text}",
            "indikator": series,
            "riktning": "oka",
            "kalla": SIMULATED,
        }
        if series is not None:
            year, base = _series_value(indicators, code, series, _SUB_BASE_YEAR)
            row.update(basar=year, basvarde=_rounded(base), malar=_SUB_TARGET_YEAR)
        rows.append(row)
        candidates = sorted(here.loc[here["rus_prioritering"] == priority, "arende_id"])
        wanted = int(rng.choice(_PROJECTS_PER_SUB, p=_PROJECTS_WEIGHTS))
        chosen = rng.choice(candidates, size=min(wanted, len(candidates)), replace=False)
        for j, case in enumerate(sorted(chosen), start=1):
            rows.append(
                _project_goal(
                    code, f"{sub_id}-P{j}", sub_id, case, projects, project_indicators, names, rng
                )
            )
    return rows


def _project_goal(
    code: str,
    goal_id: str,
    parent: str,
    case: str,
    projects: pd.DataFrame,
    project_indicators: pd.DataFrame,
    names: dict[str, str],
    rng: np.random.Generator,
) -> dict[str, object]:
    """A goal of one project on one of its own indicators with a target (the project's
    target from its application), or without an indicator when it has none."""
    project = projects.loc[projects["arende_id"] == case].iloc[0]
    own = project_indicators[
        (project_indicators["arende_id"] == case)
        & (project_indicators["rapport"] == "ansokan")
        & project_indicators["malvarde"].notna()
    ]
    row: dict[str, object] = {
        "lan_kod": code,
        "mal_id": goal_id,
        "niva": "projekt",
        "overordnat_mal_id": parent,
        "arende_id": case,
        "basar": int(project["startdatum"].year),
        "malar": int(project["slutdatum"].year),
        "riktning": "oka",
        "kalla": SIMULATED,
    }
    if own.empty:
        row["mal"] = f"{project['projektnamn']}: projektets mål"
        row["steg"] = "prestation"
        return row
    pick = own.iloc[int(rng.integers(len(own)))]
    target = float(pick["malvarde"])
    row.update(
        mal=f"{project['projektnamn']}: {names.get(pick['indikator'], pick['indikator'])}, "
        f"mål {_words(target)}",
        indikator=pick["indikator"],
        malvarde=target,
    )
    return row
