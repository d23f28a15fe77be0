"""The fixed vocabulary of the domain: region codes, effect chains, chain stages, reports.

These are the terms of art that every layer shares. The descriptive texts (level descriptors,
chain stage descriptions, indicator names) live in the YAML files of the data folder; this
module holds only the identifiers that code and validation rely on.
"""

from __future__ import annotations

__all__ = [
    "CHAIN_IDS",
    "CHAIN_NAMES",
    "CHAIN_STAGES",
    "FOCUS_AREAS",
    "FUNDING_SOURCES",
    "GOAL_DIRECTIONS",
    "GOAL_HORIZONS",
    "GOAL_LEVELS",
    "INDICATOR_STAGES",
    "LAN_CODES",
    "MANDATORY_INDICATORS",
    "MATURITY_LEVELS",
    "MONTHS",
    "NATIONAL_PRIORITIES",
    "PUBLISH_FORMATS",
    "PUBLISH_FORMAT_NAMES",
    "REPORT_TYPES",
    "SUSTAINABILITY_SCALE",
    "THEMES",
]

# The 21 län (regions) by SCB code, in official order.  # länskoder
LAN_CODES: tuple[str, ...] = (
    "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
    "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
)  # fmt: skip

# The four effect chains of Tillväxtverket's proposal for appropriation 1:1.  # effektkedjor
CHAIN_NAMES: dict[str, str] = {
    "infrastruktur": "Investeringar i fysisk och digital infrastruktur",
    "kunskap": "Utveckling av kunskap, strategier och planeringsunderlag",
    "varor_tjanster_indirekt": "Utveckling av varor och tjänster (indirekt)",
    "varor_tjanster_direkt": "Utveckling av varor och tjänster (direkt)",
}
CHAIN_IDS: tuple[str, ...] = tuple(CHAIN_NAMES)

# Stages of the chain at which a project reports indicators.  # steg i effektkedjan
INDICATOR_STAGES: dict[str, str] = {
    "prestation": "Prestationer",
    "kort_sikt": "Effekter på kort sikt",
    "medellang_sikt": "Effekter på medellång sikt",
}

# Every stage of the chain, from resources to long-term effects (the columns of the workshop's
# "stryktips"); the descriptions live in effektkedjor.yaml.  # steg i effektkedjan
CHAIN_STAGES: dict[str, str] = {
    "resurser": "Resurser",
    "aktiviteter": "Aktiviteter",
    **INDICATOR_STAGES,
    "lang_sikt": "Effekter på lång sikt",
}

# Levels of the goal chain, from the strategy down.  # målkedjans nivåer
GOAL_LEVELS: dict[str, str] = {
    "rus": "RUS-mål",
    "understrategi": "Mål i understrategi",
    "projekt": "Projektmål",
}

# The time horizon of each level, as in Region Kronoberg's plan.  # tidshorisont
GOAL_HORIZONS: dict[str, str] = {
    "rus": "omkring 10 år",
    "understrategi": "3–5 år",
    "projekt": "1–3 år",
}

# The direction a goal asks for.  # riktning
GOAL_DIRECTIONS: dict[str, str] = {"oka": "ska öka", "minska": "ska minska"}

# Reports in the national project system (NYPS) that carry indicator values.
REPORT_TYPES: dict[str, str] = {
    "ansokan": "Ansökan",
    "lagesrapport": "Lägesrapport",
    "slutrapport": "Slutrapport",
}

# Mandatory output indicators (obligatoriska prestationsindikatorer).
MANDATORY_INDICATORS: dict[str, tuple[str, str]] = {
    "investeringar_antal": ("Gjorda investeringar", "antal"),
    "investeringar_kr": ("Gjorda investeringar", "kr"),
    "deltagande_organisationer": ("Deltagande organisationer", "antal"),
    "deltagande_foretag": ("Deltagande företag", "antal"),
    "kunskapsunderlag": ("Framtagna kunskapsunderlag", "antal"),
}

# Priority in the national strategy (one per project).  # prioritering i nationella strategin
NATIONAL_PRIORITIES: tuple[str, ...] = (
    "Innovation och företagande",
    "Attraktiva miljöer och tillgänglighet",
    "Kompetensförsörjning",
    "Internationellt samarbete",
    "Övrigt",
)

# Focus area in the national strategy (one per project).  # fokusområde
FOCUS_AREAS: tuple[str, ...] = (
    "Innovation",
    "Företagande och entreprenörskap",
    "Miljödriven näringslivsutveckling",
    "Tillgänglighet genom transportsystemet",
    "Tillgänglighet genom informationsteknik",
    "Kompetensförsörjning",
    "Fysisk planering och boende",
    "Internationellt samarbete",
    "Kultur och fritid",
    "Kommersiell och offentlig service",
)

# Themes (teman / ämneskategorier); a project may have several, at most one project type.
THEMES: dict[str, tuple[str, ...]] = {
    "projekttyp": (
        "Förstudie",
        "Genomförandeprojekt",
        "Ramprojekt",
        "Samverkansprojekt",
        "Finansieringsinstrument",
    ),
    "bransch": ("KKN", "Besöksnäring", "Industri", "Hälsa/vård/omsorg", "Livsmedel"),
    "syfte": (
        "Export/nya marknader",
        "Smart specialisering",
        "Digitalisering",
        "Affärsutveckling",
        "Förenkling",
        "Fler nya företag",
    ),
}

# Graded scale of the two sustainability dimensions (purpose, method).  # hållbarhet
SUSTAINABILITY_SCALE: dict[int, str] = {
    0: "Inte alls",
    1: "I liten utsträckning",
    2: "I viss utsträckning",
    3: "I hög utsträckning",
}

FUNDING_SOURCES: tuple[str, ...] = ("ERUF", "Anslag 1:1", "ERUF och anslag 1:1")

# The five levels of the maturity model, lowest first.  # mognadsnivåer
MATURITY_LEVELS: dict[int, str] = {
    1: "Från det okända",
    2: "Utveckla det repeterbara",
    3: "Utveckla prestationen till tillfredsställande nivå",
    4: "Processen mäts och mätningen tillåts styra",
    5: "Optimerad",
}

# What `utvardering publicera` builds: the site (always) and each region's reports as one
# document for print and boards.  # publiceringsformat
PUBLISH_FORMATS: tuple[str, ...] = ("html", "pdf", "docx")
PUBLISH_FORMAT_NAMES: dict[str, str] = {"html": "webbplatsen (HTML)", "pdf": "PDF", "docx": "Word"}

# The months in Swedish, January first (dates in report text: "2 december 2026").  # månader
MONTHS: tuple[str, ...] = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
