"""The report text of the goal chain (*målkedja*): Swedish Markdown in plain words.

The text layer of the report: :data:`HEADINGS` names the report's sections in reading order
with their Swedish headings, and each ``text_*`` function returns the Markdown body of one
section, or an empty string when the section does not apply (everything but the title and
:func:`text_no_goals` when the region has no goals). Thresholds and model constants come from
:mod:`utvardering.goals.forecast`; the status labels from :mod:`utvardering.goals.analysis`.
Text from the data (goals, project and region names) is escaped with
:func:`~utvardering.format.escape_md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from utvardering.format import counted, escape_md, fmt_kr, fmt_number, listed
from utvardering.goals.analysis import GoalChainAnalysis, comparable_across_regions
from utvardering.goals.forecast import INTERVAL, INTERVAL_WIDE, MIN_OBSERVATIONS, TREND_WINDOW
from utvardering.vocabulary import CHAIN_STAGES, GOAL_DIRECTIONS, GOAL_HORIZONS

__all__ = [
    "DIFFICULTY",
    "HEADINGS",
    "LEVEL_NAMES",
    "STAGE_NAMES",
    "STATUS_PHRASES",
    "TITLE",
    "Comparison",
    "fmt_value",
    "text_contributions",
    "text_goal_tree",
    "text_levels",
    "text_method",
    "text_no_goals",
    "text_regional",
    "text_stryktips",
    "text_summary",
    "text_title",
]

TITLE = "Målkedja"

# The report's sections in reading order: name → Swedish heading. The title section has none
# (its text starts with the report's title).
HEADINGS: dict[str, str] = {
    "titel": "",
    "inga_mal": "Inga mål i målkedjan",
    "sammanfattning": "Sammanfattning",
    "niva": "Tre nivåer med olika svårighetsgrad",
    "maltrad": "Målträdet",
    "regionala_mal": "Regionala mål: utveckling, prognos och jämförelse",
    "bidrag": "Projektens bidrag till målen",
    "stryktips": "Stryktipset: var uppföljningen har luckor",
    "metod": "Så har prognoser och status tagits fram",
}

# The levels of the goal chain: name in a table (singular) and in running text (plural).
LEVEL_NAMES: dict[str, tuple[str, str]] = {
    "rus": ("RUS-mål", "RUS-mål"),
    "understrategi": ("Mål i understrategi", "mål i understrategier"),
    "projekt": ("Projektmål", "projektmål"),
}

# Region Kronoberg's difficulty of following up each level, with its time horizon (the plan
# for systematic follow-up and learning, Reglab 2017-12-14).
DIFFICULTY: dict[str, tuple[str, str, str]] = {
    # level: (time horizon, difficulty, why, with its leading punctuation)
    "rus": (
        GOAL_HORIZONS["rus"],
        "medelsvår",
        ": god datatillgång men svag koppling till de egna insatserna",
    ),
    "understrategi": (
        GOAL_HORIZONS["understrategi"],
        "medelsvår",
        ": sämre datatillgång, och kopplingen till RUS-målen bygger på ett resonemang om "
        "orsak och verkan",
    ),
    "projekt": (
        GOAL_HORIZONS["projekt"],
        "enkel för prestationer, mycket svår för effekter",
        " (hur hade samhället utvecklats utan oss?)",
    ),
}

# The six stages of the effect chain, in order (the stryktips' columns).
STAGE_NAMES: dict[str, str] = CHAIN_STAGES

# How a count of goals with a status reads in a sentence: (one goal, several goals).
STATUS_PHRASES: dict[str, tuple[str, str]] = {
    "nas": ("når målet", "når målet"),
    "osakert": ("är osäkert", "är osäkra"),
    "nas_inte": ("når inte målet", "når inte målet"),
    "ratt_riktning": ("går åt rätt håll", "går åt rätt håll"),
    "oklar_riktning": ("har ingen tydlig riktning", "har ingen tydlig riktning"),
    "fel_riktning": ("går åt fel håll", "går åt fel håll"),
    "saknar_data": ("saknar data", "saknar data"),
}

# A forecast fitted on fewer years than this is called uncertain in the summary.
SHORT_SERIES = 5

_WORDS = {1: "ett", 2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex"}

# The columns of malkedja.csv, as data/README.md describes them.
GOAL_COLUMNS: tuple[str, ...] = (
    "lan_kod", "mal_id", "niva", "overordnat_mal_id", "mal", "indikator", "arende_id", "basar",
    "basvarde", "malar", "malvarde", "riktning", "steg", "kalla",
)  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    """Which regions the region's indicators are compared with, and why.

    ``rule`` is ``"riksomrade"`` (the other regions of its national area), ``"valda"``
    (chosen in the parameter ``jamforelselan``) or ``"alla"`` (every other region: chosen so, or
    the national area has no other region); ``area`` is the national area's name.
    """

    rule: str
    area: str
    peers: tuple[str, ...]
    names: Mapping[str, str]
    chosen_all: bool = False  # "alla" was asked for (not a fallback)

    def peer_names(self) -> list[str]:
        return [self.names.get(code, code) for code in self.peers]

    def sentence(self, region: str) -> str:
        """One or two sentences that say which regions the comparison uses and why."""
        names = listed([escape_md(n) for n in self.peer_names()])
        area = escape_md(self.area)
        one = len(self.peers) == 1
        if self.rule == "riksomrade":
            if one:
                return f"Jämförelselänet är det andra länet i riksområdet {area}: {names}."
            return f"Jämförelselänen är de andra länen i riksområdet {area}: {names}."
        if self.rule == "valda":
            if one:
                return f"Jämförelselänet är det län som valts för rapporten: {names}."
            return f"Jämförelselänen är de län som valts för rapporten: {names}."
        if self.chosen_all:
            return f"Jämförelselänen är alla andra län ({len(self.peers)} stycken)."
        return (
            f"{escape_md(region)} är ensamt i riksområdet {area}, så länet jämförs med alla "
            f"andra län ({len(self.peers)} stycken)."
        )


def _e(text: object) -> str:
    return escape_md(text)


def _genitive(name: str) -> str:
    """A name in the genitive: "Kronobergs läns"; a name that ends in s, x or z as it is."""
    return _e(name) if name[-1:].lower() in "sxz" else f"{_e(name)}s"


def fmt_value(value: object) -> str:
    """A value of an indicator, with as many decimals as its size calls for: "1 234",
    "26,1", "0,42"; "–" when missing."""
    if value is None or pd.isna(value):
        return "–"
    size = abs(float(value))
    decimals = 0 if size >= 1000 else 1 if size >= 10 else 2
    if float(value).is_integer() and size < 1000:
        decimals = 0
    return fmt_number(float(value), decimals)


def _goals_of(a: GoalChainAnalysis, niva: str) -> pd.DataFrame:
    return a.goals[a.goals["niva"] == niva]


def _count_level(n: int, niva: str) -> str:
    singular, plural = LEVEL_NAMES[niva]
    noun = plural if n != 1 else (singular if niva != "understrategi" else "mål i en understrategi")
    return f"{n} {noun}"


def _status_sentence(a: GoalChainAnalysis, niva: str) -> str:
    """How many goals of a level have each status, in words: "**RUS-mål** (3): 1 når målet,
    1 är osäkert och 1 saknar data"."""
    counts = a.status_counts(niva)
    total = sum(counts.values())
    if total == 0:
        return ""
    heading = {"rus": "RUS-mål", "understrategi": "Mål i understrategier"}.get(niva, "Projektmål")
    present = [(status, n) for status, n in counts.items() if n]
    if total == 1:
        what = f"det enda målet {STATUS_PHRASES[present[0][0]][0]}"
    elif len(present) == 1:
        what = f"alla {total} {STATUS_PHRASES[present[0][0]][1]}"
    else:
        what = listed([f"{n} {STATUS_PHRASES[s][0 if n == 1 else 1]}" for s, n in present])
    return f"**{heading}** ({total}): {what}."


def _with_data(goals: pd.DataFrame) -> pd.DataFrame:
    return goals[goals["status"] != "saknar_data"]


def _goal_list(goals: pd.DataFrame) -> str:
    return listed([f"”{_e(m)}”" for m in goals["mal"]])


# --- sections ----------------------------------------------------------------------------------


def text_title(a: GoalChainAnalysis) -> str:
    """The report's title (a level-1 heading) and a lead paragraph that says what it shows."""
    title = f"# {TITLE}: {_e(a.lan_namn)}"
    if not a.has_goals:
        return (
            f"{title}\n\nRapporten följer upp länets mål i kedjan från den regionala "
            "utvecklingsstrategin (RUS) via understrategier till projekt. "
            f"{_e(a.lan_namn)} har inga mål i underlaget."
        )
    counts = [
        _count_level(len(_goals_of(a, niva)), niva)
        for niva in LEVEL_NAMES
        if len(_goals_of(a, niva))
    ]
    lead = (
        f"Rapporten följer upp {_genitive(a.lan_namn)} mål i kedjan från den regionala "
        "utvecklingsstrategin (RUS) via understrategier till projekt: "
        f"{listed(counts)}. För varje regionalt mål med en indikator visar den utvecklingen "
        "hittills, en prognos till målåret och en jämförelse med andra län. Sedan visar den "
        "vilka projekt som bidrar till målen och var uppföljningen har luckor."
    )
    return f"{title}\n\n{lead}"


def text_no_goals(a: GoalChainAnalysis, has_table: bool = True) -> str:
    """The short report of a region without goals: says so, and how to add them."""
    if a.has_goals:
        return ""
    if has_table:
        why = (
            f"{_e(a.lan_namn)} har inga rader i datamappens malkedja.csv, så det finns ingen "
            "målkedja att följa upp: inga mål, inga prognoser och inga kopplingar till projekt."
        )
    else:
        why = (
            "Datamappen har ingen tabell malkedja.csv, så det finns ingen målkedja att följa "
            "upp: inga mål, inga prognoser och inga kopplingar till projekt."
        )
    columns = ", ".join(f"`{c}`" for c in GOAL_COLUMNS)
    how = (
        "Så lägger ni till länets mål: skriv en rad per mål i malkedja.csv (eller "
        f"malkedja.xlsx) med kolumnerna {columns}. Nivån (`niva`) är `rus`, `understrategi` "
        "eller `projekt`; varje mål under RUS-nivån pekar ut målet det bidrar till i "
        "`overordnat_mal_id`. Indikatorn är en serie i indikatorer.csv för regionala mål och "
        "en projektindikator för projektmål; lämna den tom om målet ännu saknar indikator. "
        "Riktningen (`riktning`) är `oka` eller `minska`, och målvärdet får vara tomt när "
        "målet bara säger att något ska öka eller minska. Beskrivningen av alla kolumner finns "
        "i data/README.md. Kör sedan rapporten igen."
    )
    return f"{why}\n\n{how}"


def _short_forecasts(a: GoalChainAnalysis) -> list[str]:
    """The regional goals whose forecast rests on fewer than :data:`SHORT_SERIES` years, as
    "”goal” (3 värden 2018–2020)"."""
    found = []
    for row in a.goals.itertuples(index=False):
        forecast = a.forecasts.get(row.mal_id)
        if forecast is None or len(forecast.fitted_years) >= SHORT_SERIES:
            continue
        years = forecast.fitted_years
        found.append(
            f"”{_e(row.mal)}” ({counted(len(years), 'värde', 'värden')} {years[0]}–{years[-1]})"
        )
    return found


def text_summary(a: GoalChainAnalysis) -> str:
    """Goal status in words and counts per level, what has no data, and what no project
    serves."""
    if not a.has_goals:
        return ""
    paragraphs = []
    for niva in LEVEL_NAMES:
        sentence = _status_sentence(a, niva)
        if sentence:
            paragraphs.append(f"- {sentence}")
    text = "\n".join(paragraphs)
    regional = a.goals[a.goals["niva"] != "projekt"]
    missing = regional[regional["status"] == "saknar_data"]
    notes = []
    if len(missing) == len(regional) and len(regional):
        notes.append(
            "Inget av de regionala målen har en indikator med tillräckligt många värden för "
            "en bedömning."
        )
    elif len(missing):
        notes.append(f"Regionala mål som saknar data ({len(missing)}): {_goal_list(missing)}.")
    if len(a.unserved):
        unserved_rus = a.unserved[a.unserved["niva"] == "rus"]
        sentence = (
            f"Regionala mål som inget projekt tjänar ({len(a.unserved)}): {_goal_list(a.unserved)}."
        )
        if len(unserved_rus) == len(a.unserved) == 1:
            sentence += " Det är ett RUS-mål, som alltså saknar projekt under sig."
        elif len(unserved_rus):
            sentence += (
                f" Av dem är {counted(len(unserved_rus), 'RUS-mål', 'RUS-mål')}, som alltså "
                "saknar projekt under sig."
            )
        notes.append(sentence)
    else:
        notes.append("Varje regionalt mål har minst ett projektmål under sig.")
    short = _short_forecasts(a)
    if short:
        notes.append(
            f"Bedömningen bygger på en kort serie för {short[0]}, så den är osäker."
            if len(short) == 1
            else f"Bedömningarna bygger på korta serier för {listed(short)}, så de är osäkra."
        )
    notes.append(
        "Statusen för ett RUS-mål säger hur länet utvecklas, inte vad projekten har "
        "åstadkommit (se nästa avsnitt)."
    )
    return f"{text}\n\n" + " ".join(notes)


def text_levels(a: GoalChainAnalysis) -> str:
    """The three levels with Region Kronoberg's difficulty of following each up, so that a
    RUS trend is not read as the projects' effect."""
    if not a.has_goals:
        return ""
    lines = []
    for niva, (horizon, grade, why) in DIFFICULTY.items():
        n = len(_goals_of(a, niva))
        name = {"rus": "RUS-mål", "understrategi": "Mål i understrategier"}.get(niva, "Projektmål")
        lines.append(
            f"- **{name}**, tidshorisont {horizon} ({counted(n, 'mål', 'mål')} i länet). "
            f"Svårighetsgrad **{grade}**{why}."
        )
    return (
        "Målen på de tre nivåerna följs upp med olika säkerhet. Region Kronobergs plan för "
        "systematisk uppföljning och lärande anger svårighetsgraden per nivå:\n\n"
        + "\n".join(lines)
        + "\n\nEtt RUS-mål som går åt rätt håll är därför inte ett mått på projektens effekt, "
        "och ett RUS-mål som går åt fel håll betyder inte att projekten har misslyckats. "
        "RUS-indikatorerna visar hur hela länet utvecklas, av alla orsaker. Projektens "
        "prestationer går att räkna, men deras effekter på länet går inte att läsa ut ur "
        "målkedjan: det kräver en jämförelse med hur det hade gått utan projekten, som i "
        "effektanalysen."
    )


def text_goal_tree(a: GoalChainAnalysis) -> str:
    """The introduction to the goal tree and the table of every goal."""
    if not a.has_goals:
        return ""
    text = (
        "Figuren visar målkedjan: RUS-målen till vänster, understrategiernas mål i mitten och "
        "projektmålen till höger, med en linje från varje mål till målet det bidrar till. "
        "Färgen visar målets status. Tabellen efter figuren har varje mål med utgångsläge, "
        "senaste värde, mål och en kort motivering till statusen."
    )
    if bool(a.goals["simulerad"].any()) and not bool(a.goals["simulerad"].all()):
        n = int(a.goals["simulerad"].sum())
        text += (
            f" {counted(n, 'mål', 'mål')} i tabellen är simulerade, som kolumnen ”Simulerat” visar."
        )
    return text


def _direction(riktning: str) -> str:
    return GOAL_DIRECTIONS[riktning]


def text_regional(a: GoalChainAnalysis, comparison: Comparison, n_charts: int) -> str:
    """The introduction to the regional goals' fan charts and the comparison with peers."""
    if not a.has_goals:
        return ""
    regional = a.goals[a.goals["niva"] != "projekt"]
    if n_charts == 0:
        return (
            "Inget regionalt mål har en indikator med värden för länet, så det finns ingen "
            "utveckling att visa och ingen prognos att göra. Ett mål får en prognos när det "
            "har en indikator i indikatorer.csv med minst "
            f"{MIN_OBSERVATIONS} års värden."
        )
    lines = (
        "jämförelselänet som en tunn grå linje"
        if len(a.peers) == 1
        else "jämförelselänen som tunna grå linjer med deras median som en mörkare linje"
    )
    if len(regional) == 1:
        have = "Länets enda regionala mål har"
    elif n_charts == len(regional):
        have = f"Alla {len(regional)} regionala mål har"
    else:
        have = f"{n_charts} av {len(regional)} regionala mål har"
    text = (
        f"{have} en indikator med värden för länet. "
        f"{'Diagrammet' if n_charts == 1 else 'Varje diagram'} visar länets utveckling, trenden "
        f"framskriven till målåret med {fmt_number(INTERVAL * 100)} % och "
        f"{fmt_number(INTERVAL_WIDE * 100)} % prognosintervall, målet och "
        f"{lines}. "
    )
    text += comparison.sentence(a.lan_namn)
    charted = regional[regional["indikator"].notna()]
    levels = sorted(
        {
            str(name)
            for name, unit in zip(charted["indikator_namn"], charted["enhet"], strict=True)
            if not comparable_across_regions(unit)
        }
    )
    if levels:
        text += (
            f" {listed([escape_md(n) for n in levels], 'och')} är "
            f"{'en nivå' if len(levels) == 1 else 'nivåer'}, inte per invånare; länen är olika "
            "stora, så jämförelselänen visas i tabellen men inte i diagrammet."
        )
    text += (
        f" Tabellen efter {'diagrammet' if n_charts == 1 else 'diagrammen'} jämför länets "
        "förändring med jämförelselänens. "
        "Jämförelsen visar en skillnad mellan länen, inte en effekt av länets insatser."
    )
    return text


def text_contributions(a: GoalChainAnalysis) -> str:
    """Which projects contribute to each regional goal, their money and their goals, and the
    goals that no project serves."""
    if not a.has_goals:
        return ""
    summary = a.contribution_summary
    served = summary[summary["n_projektmal"] > 0] if len(summary) else summary
    parts = []
    if len(served):
        projects = a.contributions.drop_duplicates("arende_id")
        registered = projects[projects["arende_id"].notna()]
        money = float(registered["belopp_sek"].sum()) if len(registered) else 0.0
        outside = a.contributions["arende_id"].isna().any()
        if len(summary) == 1:
            have = "Det enda regionala målet har"
        elif len(served) == len(summary):
            have = f"Alla {len(summary)} regionala mål har"
        else:
            have = f"{len(served)} av {len(summary)} regionala mål har"
        sentence = f"{have} projektmål under sig i målkedjan. "
        if len(registered):
            sentence += (
                f"Projekten i projektregistret är {len(registered)} och har "
                f"{fmt_kr(money)} beviljat till länet."
            )
        else:
            sentence += "Inget av projekten finns i projektregistret, så deras belopp är okända."
        if outside and len(registered):
            sentence += (
                " Projekt utanför registret står med sitt namn men utan belopp och räknas inte "
                "i kolumnen för projekt i registret."
            )
        parts.append(sentence)
        parts.append(
            "Ett projekt räknas under varje mål det bidrar till, direkt eller via en "
            "understrategi, så beloppen i tabellen kan inte summeras över målen. "
            "Projektmålens status gäller projektens egna mål; den säger inget om projektens "
            "effekt på det regionala målet."
        )
    else:
        parts.append("Inget regionalt mål har något projektmål under sig i målkedjan.")
    if len(a.unserved) and len(served):
        parts.append(
            f"Regionala mål som inget projekt tjänar ({len(a.unserved)}): {_goal_list(a.unserved)}."
        )
    return "\n\n".join(parts)


def text_stryktips(a: GoalChainAnalysis) -> str:
    """The stryktips planning matrix explained, and the holes it shows."""
    if not a.has_goals:
        return ""
    stages = [c for c in STAGE_NAMES if c in a.stryktips.columns]
    text = (
        "Stryktipset är ett planeringsverktyg: en rad per RUS-mål och mål i understrategi, en "
        "kolumn per steg i effektkedjan, från resurser till effekter på lång sikt. X betyder "
        "att målet eller något mål under det har en indikator på steget; (X) att det bara "
        "finns mål utan indikator där; tom ruta att inget mål följs upp på steget. Resurser "
        "och aktiviteter får X när ett projekt i projektregistret finns under målet, eftersom "
        "projektets pengar och aktiviteter då redovisas."
    )
    goals = a.goals
    holes = []
    for stage in stages:
        if not (a.stryktips[stage] == "(X)").any():
            continue
        n = int(((goals["steg"] == stage) & goals["indikator"].isna()).sum())
        holes.append(f"{STAGE_NAMES[stage].lower()} ({counted(n, 'mål', 'mål')} utan indikator)")
    found = []
    if holes:
        found.append(
            f"Luckor, steg med mål men utan indikator: {listed(holes)}. Där behöver "
            "uppföljningen en indikator; målen utan indikator står i måltabellen med "
            "”ingen ännu” i kolumnen Indikator."
        )
    else:
        found.append("Inget steg har mål utan indikator.")
    unserved_rus = a.unserved[a.unserved["niva"] == "rus"] if len(a.unserved) else a.unserved
    if len(unserved_rus):
        found.append(f"RUS-mål utan något projektmål under sig: {_goal_list(unserved_rus)}.")
    else:
        found.append("Varje RUS-mål har minst ett projektmål under sig.")
    return f"{text}\n\n" + " ".join(found)


def text_method(a: GoalChainAnalysis, comparison: Comparison) -> str:
    """How the forecasts, the statuses and the peers are made."""
    if not a.has_goals:
        return ""
    p80, p95 = fmt_number(INTERVAL * 100), fmt_number(INTERVAL_WIDE * 100)
    window = _WORDS.get(TREND_WINDOW, str(TREND_WINDOW))
    return "\n\n".join(
        [
            "**Prognosen.** För varje regionalt mål med en indikator anpassas en rät linje "
            "(linjär trend skattad med minsta kvadratmetoden, OLS) till indikatorns värden för "
            "de senaste "
            f"{TREND_WINDOW} åren med data, och linjen förlängs till målåret. Runt prognosen "
            f"visas {p80} % och {p95} % prognosintervall: med {p80} % sannolikhet hamnar värdet "
            "inom det smalare intervallet om trenden håller i sig. En serie med färre än "
            f"{MIN_OBSERVATIONS} värden får ingen prognos. Modellen är enkel med avsikt: "
            "serierna är korta årsserier, och en rak trend med exakta intervall går att "
            "kontrollera för hand. Den antar att utvecklingen de senaste åren fortsätter; "
            f"{window} år bakåt styr prognosen, äldre år inte alls.",
            "**Status för regionala mål.** Med målvärde och målår jämförs prognosens "
            f"{p80} %-intervall vid målåret med målvärdet. Ligger hela intervallet på rätt sida "
            "om målvärdet *når målet* länet; ligger hela intervallet på fel sida *når det inte "
            "målet*; innehåller intervallet målvärdet är utfallet *osäkert*. Är målåret redan "
            "passerat jämförs det uppmätta värdet det året med målvärdet. Utan målvärde "
            "(målet säger bara att något ska öka eller minska) avgör trendens lutning: "
            f"ligger hela {p80} %-intervallet för lutningen åt målets håll *går det åt rätt "
            "håll*, åt andra hållet *åt fel håll*, och innehåller intervallet noll finns "
            "*ingen tydlig riktning*. Ett mål utan indikator eller med för få värden *saknar "
            "data*.",
            "**Status för projektmål.** Projektets senaste rapporterade utfall för målets "
            "indikator jämförs med målvärdet (målets eget, annars projektets mål i "
            "projektindikatorer.csv). Ett nått värde *når målet*; ett slutrapporterat projekt "
            "som inte nått målet *når inte målet*; ett pågående projekt som ännu inte nått "
            "det är *osäkert*. Utan projekt, indikator eller utfall *saknas data*.",
            "**Jämförelselän.** Som standard jämförs länet med de andra länen i samma "
            "riksområde (NUTS 2); har riksområdet inget annat län jämförs det med alla andra "
            "län. Rapporten kan också köras med alla andra län eller med valda län som "
            "jämförelse. "
            + comparison.sentence(a.lan_namn)
            + " Länets plats räknas bland länet och jämförelselänen efter förändringen i "
            "målets riktning (plats 1 har utvecklats bäst).",
            "**Bidrag.** Ett projekt bidrar till ett regionalt mål när ett av projektets mål "
            "ligger under det i målkedjan. Beloppet är projektets beviljade belopp gånger "
            "länets andel av projektet.",
        ]
    )
