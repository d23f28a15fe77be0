"""Assign the intervention-journey classification (insatsresa) to the real ERDF projects.

The Projektbanken records carry no national priority, focus area, themes, sustainability grades
or effect chain. This module assigns them, deterministically: first by rules from the EU
thematic objective (``tematiskt_mal``) and keywords in the project's name and description; where
the rules cannot decide, by a seeded random draw from priors that depend on the thematic
objective. Every assigned column is simulated and documented as such in ``data/README.md``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from utvardering.schemas import THEME_SEPARATOR
from utvardering.vocabulary import CHAIN_IDS, FOCUS_AREAS, LAN_CODES

__all__ = [
    "CHAIN_KEYWORDS",
    "FUND_KEYWORDS",
    "RUS_PRIORITY_POOL",
    "classify_projects",
    "objective_kind",
    "project_rus_priorities",
    "rus_priority_lists",
]

# Keywords (regular expressions on the lower-cased name and description) that point to a chain.
CHAIN_KEYWORDS: dict[str, str] = {
    "infrastruktur": r"bredband|infrastruktur|fiber|anläggning|laddstation|\bbygga|ombyggnad",
    "kunskap": r"förstudie|kartlägg|\banalys|strategi|kunskapsunderlag|utredning|tekniskt stöd",
    "varor_tjanster_indirekt": r"kluster|inkubator|innovationsmiljö|plattform|testbädd|nätverk"
    r"|science park|företagsfrämjande",
    "varor_tjanster_direkt": r"riskkapital|fond\b|företagscheck|affärsutveckling|rådgivning"
    r"|coachning|exportstöd|investera i företag|deltagande företag",
}
# Priors over the chains by kind of thematic objective, when no keyword decides.
_CHAIN_PRIORS: dict[str, tuple[float, float, float, float]] = {
    "smf": (0.05, 0.15, 0.30, 0.50),
    "fou": (0.05, 0.30, 0.50, 0.15),
    "koldioxid": (0.15, 0.35, 0.30, 0.20),
    "ikt": (0.50, 0.20, 0.20, 0.10),
    "transport": (0.80, 0.20, 0.00, 0.00),
    "tekniskt_stod": (0.00, 1.00, 0.00, 0.00),
}
# Keywords in a project's *name* that make it a financial instrument (a fund): the project type
# Finansieringsinstrument. The name, not the description, decides: many other projects mention
# venture capital or the regional fund in their descriptions.
FUND_KEYWORDS = r"\bfond\b|riskkapital|venture|investeringsfond|partnerinvest|almi invest"
_THEME_KEYWORDS: dict[str, str] = {
    "Förstudie": r"förstudie",
    "Ramprojekt": r"ramprojekt",
    "Samverkansprojekt": r"samverkan|samarbete|partnerskap",
    "KKN": r"kultur|kreativ|\bfilm|musik|design|\bspel\b|dataspel",
    "Besöksnäring": r"turism|besöks|destination|turist",
    "Industri": r"industri|tillverk",
    "Hälsa/vård/omsorg": r"hälsa|\bvård|omsorg|life science|medicinsk",
    "Livsmedel": r"livsmedel|\bmat\b|måltid|lantbruk|jordbruk",
    "Export/nya marknader": r"export|internationali|nya marknader",
    "Smart specialisering": r"smart specialisering|styrkeområde",
    "Digitalisering": r"digital|bredband|\bikt\b",
    "Affärsutveckling": r"affärsutveckling|affärsmodell",
    "Förenkling": r"förenkl",
    "Fler nya företag": r"nya företag|entreprenör|starta företag|nyföretag|inkubator",
}
_PURPOSES = (
    "Export/nya marknader",
    "Smart specialisering",
    "Digitalisering",
    "Affärsutveckling",
    "Förenkling",
    "Fler nya företag",
)
# The pool the simulated RUS priorities used to be drawn from in the classification's stream.
# Those draws are kept (and their results thrown away) so that every other simulated column
# keeps its values; the priorities now come from a stream of their own (rus_priority_lists).
_RETIRED_RUS_POOL = (
    "Innovation och entreprenörskap",
    "Kompetens och kunskap",
    "Tillgänglighet och infrastruktur",
    "Hållbar tillväxt och omställning",
    "Attraktiva livsmiljöer",
    "Internationalisering",
)


# Invented RUS priorities: each län gets three of them (a real region writes its own list).
RUS_PRIORITY_POOL = (
    "Innovation och entreprenörskap",
    "Kompetensförsörjning och livslångt lärande",
    "Tillgänglighet och infrastruktur",
    "Hållbar tillväxt och grön omställning",
    "Attraktiva livsmiljöer",
    "Internationalisering och export",
    "Digitalisering i hela länet",
    "Starka besöksnäringar",
    "Smart specialisering",
    "Näringslivets förnyelse",
    "Jämlik hälsa och social sammanhållning",
    "Samverkan över länsgränsen",
)
# The share of project-län rows without a RUS priority (the field is optional).
_RUS_EMPTY = 0.15


def objective_kind(objective: object) -> str:
    """The EU thematic objective as one of six kinds: smf, fou, koldioxid, ikt, transport,
    tekniskt_stod."""
    text = str(objective).lower()
    if "tekniskt stöd" in text:
        return "tekniskt_stod"
    if "transport" in text:
        return "transport"
    if "ikt" in text or "kommunikationsteknik" in text:
        return "ikt"
    if "koldioxid" in text:
        return "koldioxid"
    if "forskning" in text or "innovation" in text:
        return "fou"
    return "smf"


def _chain(text: str, kind: str, rng: np.random.Generator) -> str:
    if kind == "tekniskt_stod":
        return "kunskap"
    scores = [len(re.findall(CHAIN_KEYWORDS[c], text)) for c in CHAIN_IDS]
    best = max(scores)
    if best > 0 and scores.count(best) == 1:
        return CHAIN_IDS[scores.index(best)]
    return str(rng.choice(CHAIN_IDS, p=_CHAIN_PRIORS[kind]))


def _priority_and_focus(text: str, kind: str, rng: np.random.Generator) -> tuple[str, str]:
    if kind == "tekniskt_stod":
        return "Övrigt", str(rng.choice(FOCUS_AREAS))
    if re.search(r"kompetensförsörjning|kompetensutveckling|utbildning", text):
        return "Kompetensförsörjning", "Kompetensförsörjning"
    if re.search(r"internationell|interreg|gränsöverskridande", text) and rng.random() < 0.5:
        return "Internationellt samarbete", "Internationellt samarbete"
    if kind == "ikt":
        return "Attraktiva miljöer och tillgänglighet", "Tillgänglighet genom informationsteknik"
    if kind == "transport":
        return "Attraktiva miljöer och tillgänglighet", "Tillgänglighet genom transportsystemet"
    if re.search(r"kultur|fritid|friluft", text):
        return "Attraktiva miljöer och tillgänglighet", "Kultur och fritid"
    if kind == "koldioxid":
        if rng.random() < 0.4:
            focus = str(
                rng.choice(["Fysisk planering och boende", "Kommersiell och offentlig service"])
            )
            return "Attraktiva miljöer och tillgänglighet", focus
        return "Innovation och företagande", "Miljödriven näringslivsutveckling"
    if kind == "fou":
        return "Innovation och företagande", "Innovation"
    return "Innovation och företagande", "Företagande och entreprenörskap"


def _themes(text: str, name: str, rng: np.random.Generator) -> str:
    themes = [t for t, pattern in _THEME_KEYWORDS.items() if re.search(pattern, text)]
    if re.search(FUND_KEYWORDS, name):  # a fund is a financial instrument, whatever else it is
        themes = ["Finansieringsinstrument", *themes]
    types = ("Finansieringsinstrument", "Förstudie", "Ramprojekt", "Samverkansprojekt")
    project_types = [t for t in themes if t in types]
    if len(project_types) > 1:  # one project type only: the most specific wins
        themes = [t for t in themes if t not in project_types[1:]]
    if not project_types:
        themes.insert(0, "Genomförandeprojekt")
    if not any(t in _PURPOSES for t in themes) and rng.random() < 0.5:
        themes.append(str(rng.choice(_PURPOSES)))
    return f"{THEME_SEPARATOR} ".join(themes)


def classify_projects(
    projects: pd.DataFrame, project_regions: pd.DataFrame, rng: np.random.Generator
) -> pd.DataFrame:
    """The classification columns for each project, in the projects' order.

    ``projects`` needs ``arende_id``, ``projektnamn``, ``projektbeskrivning`` and
    ``tematiskt_mal``; ``project_regions`` gives each project's län. The RUS priority per project
    and län is not drawn here (see :func:`project_rus_priorities`), but the draws that used to make
    it are still taken from ``rng``, so that the other columns keep their values.
    """
    retired_lists = {
        code: tuple(rng.choice(_RETIRED_RUS_POOL, size=3, replace=False)) for code in LAN_CODES
    }
    main_region = project_regions.groupby("arende_id", sort=False)["lan_kod"].first()
    rows = []
    for record in projects.sort_values("arende_id").itertuples(index=False):
        text = f"{record.projektnamn} {record.projektbeskrivning}".lower()
        kind = objective_kind(record.tematiskt_mal)
        priority, focus = _priority_and_focus(text, kind, rng)
        purpose = 3 if kind == "koldioxid" else int(rng.choice(4, p=(0.25, 0.35, 0.3, 0.1)))
        if kind == "koldioxid" and rng.random() < 0.4:
            purpose = 2
        if rng.random() >= 0.15:  # retired draw (see _RETIRED_RUS_POOL)
            rng.choice(retired_lists[main_region[record.arende_id]])
        rows.append(
            {
                "arende_id": record.arende_id,
                "nationell_prioritering": priority,
                "fokusomrade": focus,
                "teman": _themes(text, record.projektnamn.lower(), rng),
                "hallbarhet_syfte": purpose,
                "hallbarhet_metod": int(rng.choice(4, p=(0.1, 0.35, 0.4, 0.15))),
                "effektkedja": _chain(text, kind, rng),
                "finansieringskalla": "ERUF och anslag 1:1" if rng.random() < 0.3 else "ERUF",
            }
        )
    out = pd.DataFrame(rows).set_index("arende_id")
    return out.loc[projects["arende_id"]].reset_index()


def rus_priority_lists(rng: np.random.Generator) -> pd.DataFrame:
    """The table ``rus_prioriteringar``: three invented RUS priorities per län, in län order."""
    rows = [
        {"lan_kod": code, "prioritering": str(priority)}
        for code in LAN_CODES
        for priority in rng.choice(RUS_PRIORITY_POOL, size=3, replace=False)
    ]
    return pd.DataFrame(rows)


def project_rus_priorities(
    project_regions: pd.DataFrame, lists: pd.DataFrame, rng: np.random.Generator
) -> pd.Series:
    """A RUS priority for each project-län row, drawn from that län's own list (or empty)."""
    own = lists.groupby("lan_kod", sort=False)["prioritering"].agg(tuple)
    values = [
        None if rng.random() < _RUS_EMPTY else str(rng.choice(own[code]))
        for code in project_regions["lan_kod"]
    ]
    return pd.Series(values, index=project_regions.index, name="rus_prioritering", dtype=object)
