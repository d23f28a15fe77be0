"""The learning plan's text (Swedish), one function per part; see docs/skrivregler.md.

Every text that comes from data (region names, goals, recommendations, events) is escaped
with :func:`~utvardering.format.escape_md`.
"""

from __future__ import annotations

from utvardering.format import counted, escape_md, fmt_percent, listed
from utvardering.learning.arshjul import DEFAULT_FILE, read_arshjul
from utvardering.learning.plan import LearningPlan
from utvardering.summary.rules import MAX_RECOMMENDATIONS
from utvardering.vocabulary import GOAL_HORIZONS, LAN_CODES

__all__ = [
    "HEADINGS",
    "TITLE",
    "text_arshjul",
    "text_evaluations",
    "text_goals",
    "text_intro",
    "text_method",
    "text_monitoring",
    "text_project_indicators",
    "text_synthetic",
]

TITLE = "Lärandeplan"

HEADINGS: dict[str, str] = {
    "inledning": "",
    "uppfoljning": "Uppföljning och utvärdering",
    "aterkoppling": "Återkoppling",
    "omvarld": "Omvärldsbevakning och analys",
    "metod": "Så har lärandeplanen tagits fram",
}

# The reports' names in running text ("mognadsbedömningen").
_IN_TEXT = {
    "mognad": "mognadsbedömningen",
    "tema": "den tematiska utvärderingen",
    "effekt": "effektanalysen",
    "malkedja": "målkedjan",
}
_STATUS_WORDS = {
    "saknas": "kördes inte",
    "misslyckad": "misslyckades",
    "ingen_fil": "har ingen läsbar resultatfil",
    "andra_parametrar": "kördes med andra parametrar",
}


def _e(text: object) -> str:
    return escape_md(text)


def _genitive(name: str) -> str:
    """A name in the genitive: "Kronobergs läns"; a name that ends in s, x or z as it is."""
    return _e(name) if name[-1:].lower() in "sxz" else f"{_e(name)}s"


def text_intro(plan: LearningPlan) -> str:
    """The title, what the plan is, the plan's metadata and the reports it rests on."""
    title = f"# {TITLE}: {_e(plan.lan_namn)}"
    lead = (
        f"Lärandeplanen är {_genitive(plan.lan_namn)} plan för systematisk uppföljning och "
        "lärande i det regionala tillväxtarbetet. Den har de tre delar som en lärandeplan bör "
        "ha: uppföljning och utvärdering, återkoppling samt omvärldsbevakning och analys. "
        "Planen fylls i från körningens rapporter för länet; den räknar inte om något."
    )
    parts = [title, lead, _meta_text(plan)]
    if plan.missing:
        missing = [
            f"{_IN_TEXT.get(r, r)} ({_STATUS_WORDS.get(plan.status[r], plan.status[r])})"
            for r in plan.missing
        ]
        said = listed(missing)
        parts.append(
            f"**Det här saknas:** {said[:1].upper()}{said[1:]}. De delar av planen som "
            "bygger på dem säger det."
        )
    return "\n\n".join(parts)


def _meta_text(plan: LearningPlan) -> str:
    meta = plan.meta
    if not meta.known:
        return "Uppgift saknas om när länets nuvarande lärandeplan antogs och om den revideras."
    if meta.plan_ar is None:
        text = "Det finns ingen känd lärandeplan för länet."
        if meta.under_revidering:
            text += " Enligt uppgifterna håller en plan på att revideras."
    else:
        text = f"Länets nuvarande lärandeplan antogs {meta.plan_ar}"
        if meta.under_revidering is True:
            text += " och håller på att revideras."
        elif meta.under_revidering is False:
            text += " och revideras inte."
        else:
            text += "; uppgift saknas om den revideras."
    if meta.kalla:
        text += f" Källa: {_e(meta.kalla)}."
    return text


def text_goals(plan: LearningPlan) -> str:
    """What is followed up at the three levels of the goal chain (RUS, sub-strategies,
    projects)."""
    horizons = (
        f"RUS-mål ({GOAL_HORIZONS['rus']}), mål i understrategier "
        f"({GOAL_HORIZONS['understrategi']}) och projektmål ({GOAL_HORIZONS['projekt']})"
    )
    intro = f"Uppföljningen sker på tre nivåer, som i målkedjan: {horizons}."
    if plan.goals is None:
        return f"{intro} Målkedjans resultat saknas i körningen, så målen kan inte visas här."
    if not plan.goals:
        return (
            f"{intro} Länet har inga mål i målkedjan. Utan mål med indikatorer finns det inget "
            "att följa upp insatserna mot."
        )
    rus = sum(1 for g in plan.regional_goals if g.get("niva") == "rus")
    sub = len(plan.regional_goals) - rus
    with_indicator = sum(1 for g in plan.regional_goals if g.get("indikator"))
    counts = [
        counted(rus, "RUS-mål", "RUS-mål"),
        counted(sub, "mål i understrategier", "mål i understrategier"),
        counted(len(plan.project_goals), "projektmål", "projektmål"),
    ]
    if sub == 1:
        counts[1] = "1 mål i en understrategi"
    n_regional = len(plan.regional_goals)
    if not n_regional:
        indicator = "inget av målen är regionalt"
    elif not with_indicator:
        indicator = "inget av de regionala målen har en indikator"
    elif with_indicator < n_regional:
        indicator = f"{with_indicator} av de {n_regional} regionala målen har en indikator"
    else:
        indicator = "alla regionala mål har en indikator"
    return (
        f"{intro} Målkedjan har {listed(counts)}; {indicator}. Tabellen visar målen på de tre "
        "nivåerna med indikator, senaste värde, målvärde och målkedjans bedömning."
    )


def text_project_indicators(plan: LearningPlan) -> str:
    """What is followed up at the project level: the indicators along the effect chains."""
    rows = plan.project_indicators
    if rows is None:
        return (
            "Projektens indikatorer följs längs effektkedjorna, men effektanalysens resultat "
            "saknas i körningen."
        )
    if not rows:
        return "Länets projekt har inga indikatorer med mål längs effektkedjorna."
    chains = {r["effektkedja"] for r in rows}
    text = (
        f"Projekten följs upp med {counted(len(rows), 'indikator', 'indikatorer')} i "
        f"{counted(len(chains), 'effektkedja', 'effektkedjor')}, från prestationer till "
        "effekter på medellång sikt."
    )
    missing = plan.facts.get("effekt.andel_avslutade_utfall_saknas.medel")
    if missing is not None:
        if missing > 0:
            text += (
                f" I {fmt_percent(missing)} av de avslutade projekten saknas minst ett slutligt "
                "utfall för effekterna på medellång sikt."
            )
        else:
            text += " Alla avslutade projekt har slutliga utfall för effekterna på medellång sikt."
    return text


def text_evaluations(plan: LearningPlan, when: str | None) -> str:
    """The evaluations and measures planned from the recommendations, numbered, each with its
    evidence and, where it applies, the maturity model's next level."""
    heading = "### Planerade utvärderingar och åtgärder"
    if not plan.recommendations:
        return (
            f"{heading}\n\nRekommendationsreglerna ger inga rekommendationer för länet i den "
            "här körningen: inget av de mönster som reglerna letar efter finns i de rapporter "
            "som är med."
        )
    n = len(plan.recommendations)
    lead = (
        f"Utvärderingarna och åtgärderna kommer från rekommendationerna: de regler som slår "
        f"till för länet, de viktigaste först (högst {MAX_RECOMMENDATIONS})."
    )
    if when:
        lead += f" De redovisas i årshjulet {_e(when)}."
    items = []
    for number, rec in enumerate(plan.recommendations, start=1):
        evidence = "; ".join(_e(line) for line in rec.evidens)
        item = f"{number}. **{_e(rec.rubrik)}.** {_e(rec.text)}\n   *Underlag:* {evidence}."
        if rec.nasta_niva:
            item += f"\n   *Nästa nivå i mognadsmodellen:* {_e(rec.nasta_niva)}"
        items.append(item)
    noun = "rekommendation" if n == 1 else "rekommendationer"
    return f"{heading}\n\n{lead} Länet har {n} {noun}.\n\n" + "\n".join(items)


def text_arshjul(plan: LearningPlan) -> str:
    """How results are fed back: the annual cycle, its origin and what it holds."""
    events = plan.arshjul.events
    text = (
        "Resultaten återkopplas enligt årshjulet: "
        f"{counted(len(events), 'tillfälle', 'tillfällen')} under året då uppföljningen och "
        "utvärderingarna rapporteras till regionstyrelsen, tillväxtrådet och "
        "Regeringskansliet, och lärdomarna förs in i insatsplanerna."
    )
    if plan.arshjul.own:
        text += " Årshjulet är länets eget, ur datamappen."
    else:
        text += (
            " Årshjulet är standardårshjulet, efter Region Gotlands exempel; länet kan ersätta "
            "det med ett eget."
        )
    text += (
        " Tabellen säger vad som rapporteras vid varje tillfälle och vilka rapporter som är "
        "underlag."
    )
    return text


def text_monitoring(plan: LearningPlan) -> str:
    """What is monitored: the regional series and the peer regions."""
    parts = []
    series = plan.series()
    if plan.goals is None:
        parts.append(
            "De regionala serierna kommer från målkedjan, vars resultat saknas i körningen."
        )
    elif series:
        parts.append(
            f"Länet följer {counted(len(series), 'regional serie', 'regionala serier')}: "
            "indikatorerna för RUS-målen och understrategierna, med senaste värde."
        )
    else:
        parts.append("Inget av länets regionala mål har en indikator att följa.")
    if set(plan.peers) == set(LAN_CODES) - {plan.lan_kod}:
        parts.append(f"Länet jämförs med alla andra län ({len(plan.peers)}), som i målkedjan.")
    elif plan.peers:
        names = [_e(plan.peer_names.get(c, c)) for c in plan.peers]
        parts.append(
            f"Länet jämförs med {counted(len(names), 'län', 'län')}: {listed(names)}, som i "
            "målkedjan."
        )
    return " ".join(parts)


def text_synthetic(plan: LearningPlan) -> str:
    """The effect report's synthetic comparisons: descriptive, a difference, not an effect."""
    if plan.synthetic is None:
        return ""
    if not plan.synthetic:
        return "Effektanalysen har ingen jämförelse med en syntetisk jämförelseregion för länet."
    n = len(plan.synthetic)
    return (
        "Effektanalysen jämför länet med en syntetisk jämförelseregion, ett vägt genomsnitt "
        f"av andra län, för {counted(n, 'indikator', 'indikatorer')}. Tabellen visar länets "
        "värde minus jämförelseregionens, i genomsnitt från året i tabellen. Jämförelsen är "
        "beskrivande (evidensgrad C): den visar en skillnad, inte en effekt av stödet."
    )


def text_method(plan: LearningPlan) -> str:
    """How the plan is made: the result files, the rules, the annual cycle's defaults."""
    used = [_IN_TEXT[r] for r in plan.included if r in _IN_TEXT]
    reports = listed(used) if used else "inga rapporter"
    defaults = "\n".join(
        f"- {_e(e.handelse)}, {e.date_text}" + (f": {_e(e.kalla)}." if e.kalla else ".")
        for e in read_arshjul(DEFAULT_FILE)
    )
    return "\n\n".join(
        [
            f"Lärandeplanen läser körningens resultatfiler för länet ({reports}) och räknar "
            "inte om något. Indikatorerna är målkedjans mål och effektanalysens måluppfyllelse "
            "per indikator; omvärldsbevakningen är målkedjans regionala serier och "
            "jämförelselän och effektanalysens syntetiska jämförelser.",
            "De planerade utvärderingarna och åtgärderna är rekommendationer från regler som "
            "kombinerar resultat från flera rapporter, till exempel en låg mognad i "
            "indikatorer och datainsamling tillsammans med många saknade slutliga utfall. "
            f"Reglerna är data; högst {MAX_RECOMMENDATIONS} visas, de viktigaste först. En "
            "regel som bygger på en rapport som saknas slår aldrig till. När en "
            "rekommendation gäller en dimension i mognadsmodellen citeras modellens "
            "beskrivning av länets nästa nivå i dimensionen.",
            "Standardårshjulet bygger på Region Gotlands årshjul för rapportering av resultat "
            "och uppföljning samt för lärande i underlaget. Ett län kan ha ett eget årshjul i "
            f"datamappen. Standardårshjulets datum och deras källor:\n\n{defaults}",
            "Uppgifterna om länets nuvarande lärandeplan (året den antogs och om den "
            "revideras) kommer från datamappens tabell över länens lärandeplaner; för ett län "
            "utan rad står det att uppgift saknas.",
        ]
    )
