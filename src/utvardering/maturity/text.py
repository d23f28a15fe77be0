"""The report text of the maturity assessment: Swedish Markdown in plain words.

The text layer of the report: :data:`HEADINGS` names the report's sections in reading order
with their Swedish headings, and each ``text_*`` function returns the Markdown body of one
section (the heading comes from :data:`HEADINGS`), or an empty string when the section does not
apply (for example the trend when the region has no answers). The numbers and thresholds come
from :mod:`utvardering.maturity.scoring`. Text from the data (the model's texts, region and
dimension names) is escaped with :func:`~utvardering.format.escape_md`.
"""

from __future__ import annotations

import pandas as pd

from utvardering.format import escape_md, fmt_number, fmt_percent, listed
from utvardering.maturity.assessment import MaturityAssessment
from utvardering.maturity.scoring import (
    AGREEMENT_TOLERANCE,
    MIN_RESPONDENTS,
    MIN_RESPONDENTS_SPREAD,
    TOP_LEVEL,
    UNCHANGED,
)
from utvardering.models import MaturityModel
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "HEADINGS",
    "TITLE",
    "text_comments",
    "text_dimensions",
    "text_method",
    "text_model",
    "text_national",
    "text_next_steps",
    "text_no_responses",
    "text_overall",
    "text_strengths",
    "text_title",
    "text_trend",
]

TITLE = "Mognadsbedömning"

# The report's sections in reading order: name → Swedish heading. The title section has none
# (its text starts with the report's title).
HEADINGS: dict[str, str] = {
    "titel": "",
    "inga_svar": "Inga svar i den här omgången",
    "sammanfattning": "Sammanfattning",
    "modell": "Mognadsmodellen",
    "dimensioner": "Nivå per dimension",
    "styrkor": "Styrkor och svagheter",
    "forandring": "Förändring sedan förra omgången",
    "nasta_steg": "Nästa steg",
    "jamforelse": "Jämförelse med andra regioner",
    "kommentarer": "Kommentarer från respondenterna",
    "metod": "Så har nivåerna beräknats",
}

_WORDS = {1: "en", 2: "två", 3: "tre", 4: "fyra", 5: "fem"}


def _n(value: float | None) -> str:
    return fmt_number(value, 1)


def _signed(value: float) -> str:
    return ("+" if value > 0 else "") + fmt_number(value, 1)


def _e(text: object) -> str:
    return escape_md(text)


def _word(n: int) -> str:
    return _WORDS.get(n, str(n))


def _level_name(model: MaturityModel, level: int) -> str:
    return f"nivå {level} ({_e(model.levels[level][0])})"


def _people(n: int) -> str:
    return "en person" if n == 1 else f"{n} personer"


def _count(n: int) -> str:
    return {0: "ingen dimension", 1: "en dimension"}.get(n, f"{n} dimensioner")


def _answered(a: MaturityAssessment) -> pd.DataFrame:
    return a.dimensions[a.dimensions["median"].notna()]


def text_title(a: MaturityAssessment) -> str:
    """The report's title (a level-1 heading) and a lead paragraph that says what the report
    builds on."""
    lead = (
        f"Rapporten visar hur långt {_e(a.region_name)} har kommit i arbetet med uppföljning, "
        f"utvärdering och lärande, bedömt med mognadsmodellens {len(a.model.dimensions)} "
        f"dimensioner. Underlaget är mognadsenkäten i omgång {a.round}"
    )
    if a.no_responses:
        lead += ", men regionen har inga svar i den omgången."
    else:
        lead += (
            f": {_people(a.n_respondents)} i regionen har bedömt påståendena på skalan 1–5 "
            f"({a.n_answers} svar; dessutom {a.n_dont_know} ”vet ej”, som inte räknas)."
        )
    return f"# {TITLE}: {_e(a.region_name)}, omgång {a.round}\n\n{lead}"


def text_no_responses(a: MaturityAssessment) -> str:
    """A short, clear message when the region has no answers in the round; otherwise empty."""
    if not a.no_responses:
        return ""
    if a.n_dont_know:
        why = (
            f"Alla {a.n_dont_know} svar från regionen i omgång {a.round} var ”vet ej”, som "
            "räknas som saknade svar."
        )
    else:
        why = f"Ingen från {_e(a.region_name)} har svarat på mognadsenkäten i omgång {a.round}."
    text = (
        f"{why} Därför finns ingen mognadsnivå, ingen "
        "förändring och inga nästa steg att redovisa för regionen i den här omgången. Det är "
        "inget fel i beräkningen: resultatet bygger bara på de svar som finns."
    )
    others = [r for r in a.region_rounds if r != a.round]
    if others:
        text += (
            f" Regionen har svar i omgång {listed([str(r) for r in others])}; se rapporten för "
            f"{'den omgången' if len(others) == 1 else 'de omgångarna'}."
        )
    if a.n_regions:
        text += (
            f"\n\nSom jämförelse visas längre ned mognaden i de {a.n_regions} regioner som "
            f"svarade i omgång {a.round}."
        )
    return text


def text_overall(a: MaturityAssessment) -> str:
    """The overall level both ways, the respondents, and the reliability caveats."""
    if a.no_responses:
        return ""
    m = a.model
    answered = _answered(a)
    n_dims = len(answered)
    weakest = answered[answered["uppnadd_niva"] == a.staged_level]["namn"].tolist()
    parts = []
    all_dims = "alla" if n_dims == len(m.dimensions) else "alla de"
    parts.append(
        f"**Trappstegsnivå: {a.staged_level}** ({_e(m.levels[a.staged_level][0])}). Det är den "
        f"högsta nivån som {all_dims} {n_dims} dimensioner med svar når. En dimension når en "
        f"nivå när dess median är minst lika hög som nivån, så trappstegsnivån bestäms av det "
        f"svagaste ledet: {listed([_e(n) for n in weakest])} "
        f"når inte längre än nivå {a.staged_level}."
    )
    place = ""
    if a.rank_profile is not None and a.n_regions > 1:
        place = (
            f" Bland de {a.n_regions} regioner som svarade i omgången har {_e(a.region_name)} "
            f"plats {a.rank_profile} (1 = högst)."
        )
    parts.append(
        f"**Profilmedel: {_n(a.profile_mean)}.** Medelvärdet av dimensionernas nivåer, där "
        "varje dimension väger lika. Profilmedlet visar hela profilen, medan trappstegsnivån "
        f"visar hur långt alla delar har kommit.{place}"
    )
    parts.append(
        f"**Underlag:** {_people(a.n_respondents)} svarade, med totalt {a.n_answers} svar. "
        f"{a.n_dont_know} svar var ”vet ej” och räknas som saknade, inte som noll."
    )
    if a.single_respondent:
        parts.append(
            "> **En enda respondent.** Alla nivåer bygger på en persons bedömning. Därför visas "
            "ingen spridning (kvartilavstånd) och ingen samstämmighet: de mäter hur mycket flera "
            "personers bedömningar skiljer sig åt och kräver minst "
            f"{_word(MIN_RESPONDENTS_SPREAD)} svarande. Läs nivåerna "
            "som en persons bild av regionen, inte som regionens gemensamma bild."
        )
    elif a.low_reliability:
        parts.append(
            f"> **Osäkert underlag.** Bara {_people(a.n_respondents)} har svarat, färre än "
            f"{MIN_RESPONDENTS}. Med så få svar kan en persons bedömning flytta en nivå ett helt "
            "steg; läs resultaten som en fingervisning."
        )
    thin = answered[answered["lag_tillforlitlighet"]]
    if not a.low_reliability and len(thin):
        parts.append(
            f"I {listed([_e(n) for n in thin['namn']])} har färre än {MIN_RESPONDENTS} personer "
            "svarat (övriga svarade ”vet ej”); de nivåerna är osäkrare."
        )
    missing = a.dimensions[a.dimensions["median"].isna()]
    if len(missing):
        parts.append(
            f"**Utan svar:** {listed([_e(n) for n in missing['namn']])} har inga svar (bara "
            "”vet ej”). Dimensionerna saknar nivå och ingår inte i trappstegsnivån eller "
            "profilmedlet, som därför bara gäller de övriga dimensionerna."
        )
    return "\n\n".join(parts)


def text_dimensions(a: MaturityAssessment) -> str:
    """The reading guide of the table and radar chart of levels per dimension."""
    if a.no_responses:
        return ""
    text = (
        "Tabellen visar för varje dimension nivån (medianen av "
        "respondenternas poäng), medelvärdet, spridningen (kvartilavståndet), samstämmigheten, "
        "hur många som svarat, målnivån och gapet till den samt förändringen sedan förra "
        "omgången. Radardiagrammet visar samma nivåer tillsammans med rikets median och "
        "målnivån: ju längre ut, desto högre mognad."
    )
    if a.single_respondent:
        text += (
            " Med en enda respondent är spridning och samstämmighet tomma (–): det finns inga "
            "andra bedömningar att jämföra med."
        )
    return text


def text_comments(a: MaturityAssessment) -> str:
    """The introduction of the respondents' comments; empty when there are none."""
    if a.comments.empty:
        return ""
    n = len(a.comments)
    return (
        f"Respondenterna lämnade {n} "
        f"{'kommentar' if n == 1 else 'kommentarer'} i omgång {a.round}. De visas som de "
        "skrevs, utan namn."
    )


def text_model(model: MaturityModel) -> str:
    """What the maturity model is, its five levels and its dimensions (from the YAML)."""
    levels = "\n".join(
        f"{level}. **{_e(name)}.** {_e(description)}"
        for level, (name, description) in sorted(model.levels.items())
    )
    dimensions = listed([_e(d.name) for d in model.dimensions])
    return (
        f"{_e(model.description)}\n\n"
        f"Modellen har {_word(len(model.levels))} nivåer, från den lägsta:\n\n{levels}\n\n"
        f"Nivåerna bedöms i {len(model.dimensions)} dimensioner: {dimensions}. För varje "
        "dimension beskriver modellen vad varje nivå innebär just där; den beskrivningen används "
        "för nästa steg nedan.\n\n"
        f"*Källa: {_e(model.name)}, version {_e(model.version)}. {_e(model.source)}*"
    )


def text_strengths(a: MaturityAssessment) -> str:
    """The strongest and weakest dimensions, and where respondents disagree most."""
    answered = _answered(a)
    if answered.empty:
        return ""
    parts = []
    ordered = answered.sort_values("median", ascending=False, kind="stable")
    if ordered["median"].max() - ordered["median"].min() < UNCHANGED:
        parts.append(f"Alla dimensioner ligger på samma nivå, {_n(ordered['median'].iloc[0])}.")
    else:
        k = 2 if len(ordered) >= 4 else 1
        top = ordered.iloc[:k]
        bottom = ordered.iloc[::-1].iloc[:k]
        parts.append(
            "**Starkast:** "
            + listed([f"{_e(r.namn)} ({_n(r.median)})" for r in top.itertuples()])
            + ".\n\n**Svagast:** "
            + listed([f"{_e(r.namn)} ({_n(r.median)})" for r in bottom.itertuples()])
            + "."
        )
    if a.n_respondents >= MIN_RESPONDENTS_SPREAD and answered["iqr"].notna().any():
        spread = answered.sort_values("iqr", ascending=False, kind="stable").iloc[0]
        agreement = answered["samstammighet"].dropna()
        text = (
            f"Respondenterna är mest oeniga om {_e(spread['namn'])}, där kvartilavståndet (hur "
            f"långt isär den mittersta hälften av bedömningarna ligger) är {_n(spread['iqr'])} "
            "nivåer."
        )
        if len(agreement):
            span = (
                f"{fmt_percent(agreement.min())} i alla dimensioner"
                if agreement.max() - agreement.min() < 1e-9
                else f"mellan {fmt_percent(agreement.min())} och {fmt_percent(agreement.max())}"
            )
            text += (
                " Samstämmigheten, andelen respondenter vars bedömning ligger högst "
                f"{fmt_number(AGREEMENT_TOLERANCE)} nivå från medianen, är {span}."
            )
        parts.append(text)
    elif a.single_respondent:
        parts.append(
            "Med en enda respondent går det inte att säga något om hur eniga medarbetarna är."
        )
    return "\n\n".join(parts)


def text_trend(a: MaturityAssessment) -> str:
    """The change since the previous round, where the region took part in both."""
    if a.no_responses:
        return ""
    if a.previous_round is None:
        return (
            f"Omgång {a.round} är den första omgången av enkäten, så det finns "
            "ingen tidigare nivå att jämföra med."
        )
    if not a.took_part_previous:
        return (
            f"{_e(a.region_name)} har inga svar i omgång {a.previous_round}, så "
            "förändringen sedan dess kan inte beräknas. Nästa omgång blir den första med en "
            "jämförelse."
        )
    trend = a.dimensions["trend"].dropna()
    names = a.dimensions["namn"]
    up = trend[trend >= UNCHANGED].sort_values(ascending=False)
    down = trend[trend <= -UNCHANGED].sort_values()
    parts = []
    profile = (
        f"Sedan omgång {a.previous_round} har profilmedlet gått från "
        f"{_n(a.profile_mean_previous)} till {_n(a.profile_mean)} "
        f"({_signed(a.profile_mean - a.profile_mean_previous)})"
    )
    if a.staged_level_previous == a.staged_level:
        profile += f", och trappstegsnivån är oförändrad, {a.staged_level}."
    else:
        profile += f", och trappstegsnivån från {a.staged_level_previous} till {a.staged_level}."
    parts.append(profile)
    same = len(trend) - len(up) - len(down)
    summary = (
        f"Av de {len(trend)} dimensioner som kan jämföras har {len(up)} gått upp och "
        f"{len(down)} gått ned"
        + (
            f"; {same} är i stort sett oförändrade (mindre än {fmt_number(UNCHANGED, 2)} nivåer)."
            if same
            else "."
        )
    )
    if len(up):
        summary += (
            " Mest upp: "
            + listed([f"{_e(names[d])} ({_signed(v)})" for d, v in up.iloc[:2].items()])
            + "."
        )
    if len(down):
        summary += (
            " Ned: " + listed([f"{_e(names[d])} ({_signed(v)})" for d, v in down.items()]) + "."
        )
    parts.append(summary)
    parts.append(
        f"Jämförelsen bygger på {_people(a.n_respondents_previous)} i omgång "
        f"{a.previous_round} och {_people(a.n_respondents)} i omgång {a.round}. Alla har "
        "inte nödvändigtvis svarat båda gångerna, så en förändring på några tiondelar kan bero "
        "på vilka som svarade."
    )
    return "\n\n".join(parts)


def text_next_steps(a: MaturityAssessment) -> str:
    """The next steps, written out from the model's descriptor of the next level."""
    if a.no_responses:
        return ""
    m = a.model
    own = (a.dimensions["malkalla"] == "mognadsmal").any()
    target_rule = (
        "Målnivåerna är regionens egna (tabellen mognadsmal); där regionen inte har satt något "
        f"mål är målet en nivå över den nivå dimensionen når i dag (högst {TOP_LEVEL})."
        if own
        else "Målet för varje dimension är en nivå över den nivå dimensionen når i dag "
        f"(högst {TOP_LEVEL}); regionen kan ange egna målnivåer i tabellen mognadsmal."
    )
    parts = [target_rule]
    if not a.next_steps:
        parts.append("Alla dimensioner med svar har redan nått sin målnivå.")
        return "\n\n".join(parts)
    parts.append(
        "Här är de dimensioner som har längst kvar till målet, och bland dem de svagaste. För "
        "var och en beskriver modellen vad nästa nivå innebär, alltså vad regionen behöver "
        "göra för att ta nästa steg."
    )
    for i, step in enumerate(a.next_steps, start=1):
        goal = (
            f"Målet är nivå {step.target}."
            if step.target != step.to_level
            else "Det är också målet."
        )
        parts.append(
            f"### {i}. {_e(step.name)}: från nivå {step.from_level} till nivå {step.to_level}\n\n"
            f"I dag är nivån {_n(step.median)}, alltså {_level_name(m, step.from_level)}. "
            f"Nästa steg är {_level_name(m, step.to_level)}. {goal} Så här ser nivå "
            f"{step.to_level} ut i den här dimensionen:\n\n> {_e(step.descriptor)}"
        )
    return "\n\n".join(parts)


def text_national(a: MaturityAssessment) -> str:
    """The region's place among the regions that took part in the round."""
    intro = (
        f"I omgång {a.round} svarade {a.n_regions} av {len(LAN_CODES)} regioner. Varje region "
        "räknas en gång, med sin median per dimension. Värmekartan visar alla regioners nivåer "
        "och kartan varje läns trappstegsnivå; län utan svar är vita med grå streck."
    )
    if a.no_responses:
        return intro
    d = _answered(a)
    diff = d["median"] - d["riket_median"]
    above = d[diff >= UNCHANGED]["namn"].tolist()
    below = d[diff <= -UNCHANGED]["namn"].tolist()
    parts = [intro]
    on = len(d) - len(above) - len(below)
    sentence = (
        f"{_e(a.region_name)} ligger över rikets median i {_count(len(above))}, under i "
        f"{_count(len(below))} och på medianen i {_count(on)}."
    )
    if above:
        sentence += f" Över: {listed([_e(n) for n in above])}."
    if below:
        sentence += f" Under: {listed([_e(n) for n in below])}."
    parts.append(sentence)
    ranked = d.dropna(subset=["rang"]).sort_values("rang", kind="stable")
    if len(ranked) and a.n_regions > 1:
        best, worst = ranked.iloc[0], ranked.iloc[-1]
        parts.append(
            f"Bäst placering har {_e(a.region_name)} i {_e(best['namn'])}, "
            f"plats {int(best['rang'])} av {int(best['n_regioner'])}, och sämst i "
            f"{_e(worst['namn'])}, plats {int(worst['rang'])} av {int(worst['n_regioner'])} "
            "(regioner med samma nivå delar plats)."
        )
    return "\n\n".join(parts)


def text_method(a: MaturityAssessment) -> str:
    """How the levels are computed, in plain words (the conventions of the scoring module)."""
    return (
        "- **Respondentens poäng** i en dimension är medelvärdet av hans eller hennes svar på "
        "dimensionens påståenden. ”Vet ej” räknas som saknat svar, aldrig som noll. Varje "
        "person väger lika mycket, oavsett hur många påståenden hon eller han kunde svara på.\n"
        "- **Dimensionens nivå** är medianen av respondenternas poäng (vid ett jämnt antal: "
        "medelvärdet av de två mittersta). Medianen passar en skala med nivåer och påverkas inte "
        "av en enda person som ser helt annorlunda på saken.\n"
        "- **Spridning** visas som kvartilavstånd: avståndet mellan den första och tredje "
        "kvartilen av poängen. **Samstämmighet** är andelen respondenter vars poäng ligger högst "
        f"{fmt_number(AGREEMENT_TOLERANCE)} nivå från medianen. Båda kräver minst "
        f"{_word(MIN_RESPONDENTS_SPREAD)} svarande.\n"
        "- **Trappstegsnivån** är den högsta nivån som alla dimensioner når. En dimension når "
        "en nivå när medianen är minst lika hög som nivån: medianen avrundas alltid nedåt "
        "(2,7 når nivå 2).\n"
        "- **Profilmedlet** är medelvärdet av dimensionernas nivåer, där varje dimension väger "
        "lika.\n"
        "- **Förändringen** är nivån nu minus nivån i den närmast föregående omgången, och "
        "beräknas bara när regionen har svar i båda.\n"
        "- **Målnivån** är regionens egen målnivå om den finns i tabellen mognadsmal, annars en "
        f"nivå över den nivå dimensionen når i dag (högst {TOP_LEVEL}). **Gapet** är målnivån "
        "minus dagens median. Nästa steg väljs bland dimensionerna under målet: flest nivåer "
        "kvar först, därefter den lägsta medianen.\n"
        f"- **Osäkert underlag:** färre än {MIN_RESPONDENTS} svarande i regionen eller i en "
        "dimension.\n"
        "- **Jämförelsen med riket** bygger på alla regioner som svarade i omgången; varje "
        "region räknas en gång med sin median. Platsen är 1 plus antalet regioner med högre "
        f"nivå.\n\nOmgång {a.round}; mognadsmodellen version {_e(a.model.version)}."
    )
