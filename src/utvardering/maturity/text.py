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

from utvardering.format import counted, escape_md, fmt_number, fmt_percent, listed
from utvardering.maturity.assessment import MaturityAssessment
from utvardering.maturity.scoring import (
    AGREEMENT_TOLERANCE,
    MIN_RESPONDENTS,
    MIN_RESPONDENTS_SPREAD,
    NEXT_STEPS,
    TOP_LEVEL,
    UNCHANGED,
    next_step_order,
)
from utvardering.maturity.wording import TIE, median_comparison, tied
from utvardering.models import MaturityModel
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "HEADINGS",
    "TITLE",
    "next_steps_rule",
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


def _signed2(value: float) -> str:
    return ("+" if value > 0 else "") + fmt_number(value, 2)


def _e(text: object) -> str:
    return escape_md(text)


def _word(n: int) -> str:
    return _WORDS.get(n, str(n))


def _level_name(model: MaturityModel, level: int) -> str:
    return f"nivå {level} ({_e(model.levels[level][0])})"


def _people(n: int) -> str:
    return "en person" if n == 1 else f"{n} personer"


def _answers(n: int) -> str:
    return counted(n, "svar", "svar")


def _names(labels: list) -> str:
    return listed([_e(label) for label in labels])


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
        dont_know = (
            f"; dessutom {_answers(a.n_dont_know)} ”vet ej”, som inte räknas"
            if a.n_dont_know
            else ""
        )
        lead += (
            f": {_people(a.n_respondents)} i regionen har bedömt påståendena på skalan 1–5 "
            f"({_answers(a.n_answers)}{dont_know})."
        )
    return f"# {TITLE}: {_e(a.region_name)}, omgång {a.round}\n\n{lead}"


def text_no_responses(a: MaturityAssessment) -> str:
    """A short, clear message when the region has no answers in the round; otherwise empty."""
    if not a.no_responses:
        return ""
    if a.n_dont_know == 1:
        why = (
            f"Det enda svaret från regionen i omgång {a.round} var ”vet ej”, som räknas som "
            "saknat svar."
        )
    elif a.n_dont_know:
        why = (
            f"Alla {_answers(a.n_dont_know)} från regionen i omgång {a.round} var ”vet ej”, "
            "som räknas som saknade svar."
        )
    else:
        why = f"Ingen från {_e(a.region_name)} har svarat på mognadsenkäten i omgång {a.round}."
    text = (
        f"{why} Därför finns ingen mognadsnivå, ingen "
        "förändring och inga nästa steg att redovisa för regionen i den här omgången. Det är "
        "inget fel i beräkningen: resultatet bygger bara på de svar som finns."
    )
    others = [r for r in a.region_rounds if r != a.round]
    if len(others) == 1:
        text += f" Regionen har svar i omgång {others[0]}; se rapporten för den omgången."
    elif others:
        text += (
            f" Regionen har svar i omgångarna {listed([str(r) for r in others])}; se "
            "rapporterna för de omgångarna."
        )
    if a.n_regions == 1:
        text += (
            "\n\nSom jämförelse visas längre ned mognaden i den enda region som svarade i "
            f"omgång {a.round}."
        )
    elif a.n_regions:
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
    if n_dims == 1:
        reach = "den enda dimensionen med svar når"
    elif n_dims == len(m.dimensions):
        reach = f"alla {n_dims} dimensioner når"
    else:
        reach = f"alla de {n_dims} dimensionerna med svar når"
    parts = [
        f"**Trappstegsnivå: {a.staged_level}** ({_e(m.levels[a.staged_level][0])}). Det är den "
        f"högsta nivån som {reach}. En dimension når en nivå när dess median är minst lika hög "
        "som nivån, så trappstegsnivån bestäms av det svagaste ledet: "
        f"{_names(weakest)} når inte längre än nivå {a.staged_level}."
    ]
    place = ""
    if a.rank_profile is not None and a.n_regions > 1:
        place = (
            f" Bland de {a.n_regions} regioner som svarade i omgången har {_e(a.region_name)} "
            f"plats {a.rank_profile} av {a.n_regions} efter profilmedel (plats 1 är högst; "
            "regioner med samma profilmedel delar plats)."
        )
    parts.append(
        f"**Profilmedel: {_n(a.profile_mean)}.** Medelvärdet av dimensionernas nivåer, där "
        "varje dimension väger lika. Profilmedlet visar hela profilen, medan trappstegsnivån "
        f"visar hur långt alla delar har kommit.{place}"
    )
    if a.n_dont_know == 0:
        dont_know = "Ingen svarade ”vet ej”."
    else:
        dont_know = (
            f"Dessutom fanns {_answers(a.n_dont_know)} ”vet ej”; de räknas som saknade svar, "
            "inte som noll."
        )
    parts.append(
        f"**Underlag:** {_people(a.n_respondents).capitalize()} svarade, med totalt "
        f"{_answers(a.n_answers)}. {dont_know}"
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
        those = "den nivån är osäkrare" if len(thin) == 1 else "de nivåerna är osäkrare"
        parts.append(
            f"I {_names(thin['namn'].tolist())} har färre än {MIN_RESPONDENTS} personer "
            f"svarat (övriga svarade ”vet ej”); {those}."
        )
    missing = a.dimensions[a.dimensions["median"].isna()]
    if len(missing):
        which = "Dimensionen" if len(missing) == 1 else "Dimensionerna"
        parts.append(
            f"**Utan svar:** {_names(missing['namn'].tolist())} har inga svar (bara ”vet ej”). "
            f"{which} saknar nivå och ingår inte i trappstegsnivån eller profilmedlet, som "
            "därför bara gäller de övriga dimensionerna."
        )
    return "\n\n".join(parts)


def text_dimensions(a: MaturityAssessment) -> str:
    """The reading guide of the table and radar chart of levels per dimension."""
    if a.no_responses:
        return ""
    shown = [
        "nivån (medianen av respondenternas poäng på skalan 1–5)",
        "medelvärdet",
        "spridningen (kvartilavståndet)",
        "samstämmigheten",
        "hur många som har svarat",
    ]
    if a.has_trend:
        shown.append(f"förändringen sedan omgång {a.previous_round}")
    text = (
        f"Tabellen visar för varje dimension {listed(shown)}. Radardiagrammet visar samma "
        "nivåer tillsammans med "
        "rikets median och målnivån: ju längre ut, desto högre mognad. Målnivåerna och gapet "
        "till dem står under Nästa steg."
    )
    if a.single_respondent:
        text += (
            " Med en enda respondent är spridning och samstämmighet tomma (–): det finns inga "
            "andra bedömningar att jämföra med."
        )
    return text


def text_comments(a: MaturityAssessment, simulated: bool = False) -> str:
    """The introduction of the respondents' comments; empty when there are none.

    ``simulated``: the survey answers are simulated (the data folder's ``datakallor.yaml``
    says so); the text then says that the comments are simulated too. With real answers it
    says nothing about it.
    """
    if a.comments.empty:
        return ""
    n = len(a.comments)
    shown = "Den visas som den skrevs" if n == 1 else "De visas som de skrevs"
    text = (
        f"Respondenterna lämnade {counted(n, 'kommentar', 'kommentarer')} i omgång {a.round}. "
        f"{shown}, utan namn."
    )
    if simulated:
        which = "kommentaren" if n == 1 else "kommentarerna"
        text += (
            f" **Obs!** Enkätsvaren är simulerade, och det är {which} också: de visar hur "
            "avsnittet ser ut, inte vad någon har skrivit."
        )
    return text


def _extremes(medians: pd.Series, k: int, highest: bool) -> pd.Series:
    """The ``k`` highest (or lowest) medians and every median tied with the last of them; only
    the very highest (lowest) when the ``k``-th value is also the other extreme."""
    ordered = medians.sort_values(ascending=not highest, kind="stable")
    cut = float(ordered.iloc[min(k, len(ordered)) - 1])
    other_end = float(ordered.iloc[-1])
    if abs(cut - other_end) <= TIE:
        cut = float(ordered.iloc[0])
    keep = ordered >= cut - TIE if highest else ordered <= cut + TIE
    return ordered[keep]


def text_strengths(a: MaturityAssessment) -> str:
    """The strongest and weakest dimensions (every tied one named), and where respondents
    disagree most."""
    answered = _answered(a)
    if answered.empty:
        return ""
    parts = []
    medians = answered["median"].astype(float)
    names = answered["namn"]
    if medians.max() - medians.min() < UNCHANGED:
        same = "samma nivå" if medians.max() - medians.min() <= TIE else "i stort sett samma nivå"
        parts.append(f"Alla dimensioner med svar ligger på {same}, {_n(medians.max())}.")
    else:
        k = 2 if len(medians) >= 4 else 1

        def named(group: pd.Series) -> str:
            return listed([f"{_e(names[d])} ({_n(v)})" for d, v in group.items()])

        parts.append(
            f"**Starkast:** {named(_extremes(medians, k, True))}.\n\n"
            f"**Svagast:** {named(_extremes(medians, k, False))}."
        )
    if a.n_respondents >= MIN_RESPONDENTS_SPREAD and answered["iqr"].notna().any():
        iqr = answered["iqr"].astype(float)
        agreement = answered["samstammighet"].dropna()
        if iqr.max() < UNCHANGED:
            text = (
                "Respondenterna är eniga i alla dimensioner: kvartilavståndet (hur långt isär "
                "den mittersta hälften av bedömningarna ligger) är 0."
            )
        else:
            widest = tied(iqr)
            text = (
                f"Respondenterna är mest oeniga om {_names([names[d] for d in widest])}, där "
                "kvartilavståndet (hur långt isär den mittersta hälften av bedömningarna "
                f"ligger) är {_n(iqr.max())} nivåer."
            )
        if len(agreement):
            span = (
                f"{fmt_percent(agreement.min())} i alla dimensioner"
                if agreement.max() - agreement.min() < TIE
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


def _moved(n: int, verb: str) -> str:
    """ "5 gått upp", "en gått upp", "ingen gått upp" (after "har")."""
    return f"{'ingen' if n == 0 else 'en' if n == 1 else n} {verb}"


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
    # two decimals, so that the change shown is the difference of the two values shown
    before, now = a.profile_mean_previous, a.profile_mean
    profile = (
        f"Sedan omgång {a.previous_round} har profilmedlet gått från "
        f"{fmt_number(before, 2)} till {fmt_number(now, 2)} "
        f"({_signed2(round(now, 2) - round(before, 2))} nivåer)"
    )
    if a.staged_level_previous == a.staged_level:
        profile += f", och trappstegsnivån är fortfarande {a.staged_level}."
    else:
        profile += (
            f", och trappstegsnivån har gått från {a.staged_level_previous} till {a.staged_level}."
        )
    parts.append(profile)
    same = len(trend) - len(up) - len(down)
    compared = (
        "Den enda dimension som kan jämföras"
        if len(trend) == 1
        else f"Av de {len(trend)} dimensioner som kan jämföras"
    )
    if len(trend) == 1:
        summary = compared + (
            " har gått upp."
            if len(up)
            else " har gått ned."
            if len(down)
            else f" är i stort sett oförändrad (ändringen är mindre än {fmt_number(UNCHANGED, 2)} "
            "nivåer)."
        )
    else:
        summary = (
            f"{compared} har {_moved(len(up), 'gått upp')} och {_moved(len(down), 'gått ned')}"
        )
        if same:
            state = "är i stort sett oförändrad" if same == 1 else "är i stort sett oförändrade"
            summary += (
                f"; {'en' if same == 1 else same} {state} (ändringen är mindre än "
                f"{fmt_number(UNCHANGED, 2)} nivåer)."
            )
        else:
            summary += "."
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


def next_steps_rule(n: int = NEXT_STEPS) -> str:
    """The rule by which next steps are chosen (:func:`~utvardering.maturity.scoring.\
next_step_order`), in words, for the method list."""
    return (
        f"Nästa steg visas för de {_word(n)} dimensioner under målnivån som har störst gap, "
        "alltså längst kvar till målet. Vid lika stort gap kommer dimensionen med lägst nivå "
        "i dag först, och vid lika nivå gäller mognadsmodellens ordning."
    )


def text_next_steps(a: MaturityAssessment) -> str:
    """The next steps, written out from the model's descriptor of the next level.

    The steps are the dimensions with the largest gap to their target
    (:func:`~utvardering.maturity.scoring.next_step_order`); the text says the rule and names
    any dimension left out with the same gap as the last one shown.
    """
    if a.no_responses:
        return ""
    m = a.model
    own = (a.dimensions["malkalla"] == "mognadsmal").any()
    target_rule = (
        "Målnivåerna är regionens egna; där regionen inte har satt något mål är målet en nivå "
        f"över den nivå dimensionen når i dag (högst {TOP_LEVEL})."
        if own
        else "Målet för varje dimension är en nivå över den nivå dimensionen når i dag "
        f"(högst {TOP_LEVEL}). Regionen kan i stället ange egna målnivåer (tabellen "
        "mognadsmal i datamappen)."
    )
    parts = [target_rule]
    if not a.next_steps:
        parts.append("Alla dimensioner med svar har redan nått sin målnivå.")
        return "\n\n".join(parts)
    order = next_step_order(a.dimensions, m)
    shown = len(a.next_steps)
    if shown == len(order):
        which = (
            "Bara en dimension ligger under sin målnivå."
            if shown == 1
            else f"Alla de {_word(shown)} dimensioner som ligger under sin målnivå visas här, "
            "ordnade efter gapet till målnivån: störst gap först, och vid lika stort gap den "
            "med lägst nivå i dag först."
        )
    else:
        which = (
            f"Av de {len(order)} dimensioner som ligger under sin målnivå visas här de "
            f"{_word(shown)} som har störst gap till målnivån, alltså längst kvar till målet. "
            "Vid lika stort gap kommer dimensionen med lägst nivå i dag först, och vid lika "
            "nivå gäller mognadsmodellens ordning."
        )
        last = a.next_steps[-1]
        gaps, medians = a.dimensions["gap"], a.dimensions["median"]
        left_out = [d for d in order[shown:] if abs(float(gaps[d]) - last.gap) <= TIE]
        higher = [d for d in left_out if float(medians[d]) > last.median + TIE]
        later = [d for d in left_out if d not in higher]
        names = a.dimensions["namn"]
        if higher:
            which += (
                f" Också {_names([names[d] for d in higher])} har ett gap på {_n(last.gap)} "
                "nivåer, men en högre nivå i dag, och visas därför inte här."
            )
        if later:
            which += (
                f" Också {_names([names[d] for d in later])} har samma gap och samma nivå i "
                f"dag som {_e(last.name)}, men kommer senare i modellen och visas därför inte "
                "här."
            )
    parts.append(
        f"{which} För varje dimension beskriver modellen vad nästa nivå innebär, alltså vad "
        "regionen behöver göra för att ta nästa steg. Tabellen sist i avsnittet visar gapet "
        "för alla dimensioner under målnivån."
    )
    for i, step in enumerate(a.next_steps, start=1):
        goal = (
            f"Målet är nivå {step.target}."
            if step.target != step.to_level
            else "Det är också målet."
        )
        parts.append(
            f"### {i}. {_e(step.name)}: från nivå {step.from_level} till nivå {step.to_level}\n\n"
            f"I dag är nivån {_n(step.median)}, alltså {_level_name(m, step.from_level)}, och "
            f"gapet till målnivån är {_n(step.gap)} nivåer. Nästa steg är "
            f"{_level_name(m, step.to_level)}. {goal} Så här ser nivå {step.to_level} ut i den "
            f"här dimensionen:\n\n> {_e(step.descriptor)}"
        )
    return "\n\n".join(parts)


def text_national(a: MaturityAssessment) -> str:
    """The region's place among the regions that took part in the round."""
    if a.n_regions == 1:
        took_part = f"I omgång {a.round} svarade bara en av {len(LAN_CODES)} regioner."
    elif a.n_regions == len(LAN_CODES):
        took_part = f"I omgång {a.round} svarade alla {a.n_regions} regioner."
    else:
        took_part = f"I omgång {a.round} svarade {a.n_regions} av {len(LAN_CODES)} regioner."
    blank = "; län utan svar är vita med grå streck" if a.n_regions < len(LAN_CODES) else ""
    intro = (
        f"{took_part} Varje region räknas en gång, med sin median per dimension. "
        "Värmekartan (rutnätet med en färgad ruta per region och dimension) visar alla "
        f"regioners nivåer och kartan varje läns trappstegsnivå{blank}."
    )
    if a.no_responses:
        return intro
    d = _answered(a)
    diff = d["median"] - d["riket_median"]
    above = d[diff >= UNCHANGED]["namn"].tolist()
    below = d[diff <= -UNCHANGED]["namn"].tolist()
    parts = [intro]
    on = len(d) - len(above) - len(below)
    sentence = median_comparison(_e(a.region_name), len(above), len(below), on)
    if above:
        sentence += f" Över medianen: {_names(above)}."
    if below:
        sentence += f" Under medianen: {_names(below)}."
    parts.append(sentence)
    ranked = d.dropna(subset=["rang"])
    if len(ranked) and a.n_regions > 1:
        rank = ranked["rang"].astype(float)
        best, worst = tied(rank, highest=False), tied(rank, highest=True)

        def place(group: list) -> str:
            first = group[0]
            return (
                f"{_names([ranked.loc[x, 'namn'] for x in group])}, plats {int(rank[first])} "
                f"av {int(ranked.loc[first, 'n_regioner'])}"
            )

        if rank.max() - rank.min() < TIE:
            parts.append(
                f"{_e(a.region_name)} har plats {int(rank.max())} i alla dimensioner "
                "(regioner med samma nivå delar plats)."
            )
        else:
            parts.append(
                f"Bäst placering har {_e(a.region_name)} i {place(best)}, och sämst i "
                f"{place(worst)} (regioner med samma nivå delar plats)."
            )
    return "\n\n".join(parts)


def text_model(model: MaturityModel, next_steps: bool = True) -> str:
    """What the maturity model is, its five levels and its dimensions (from the YAML).

    ``next_steps``: the report has a section of next steps (not for a region without
    answers), which the text then points to."""
    levels = "\n".join(
        f"{level}. **{_e(name)}.** {_e(description)}"
        for level, (name, description) in sorted(model.levels.items())
    )
    dimensions = listed([_e(d.name) for d in model.dimensions])
    return (
        f"{_e(model.description)}\n\n"
        f"Modellen har {_word(len(model.levels))} nivåer, från den lägsta:\n\n{levels}\n\n"
        f"Nivåerna bedöms i {len(model.dimensions)} dimensioner: {dimensions}. För varje "
        "dimension beskriver modellen vad varje nivå innebär just där"
        f"{'; den beskrivningen används för nästa steg nedan' if next_steps else ''}.\n\n"
        f"*Källa: {_e(model.name)}, version {_e(model.version)}. {_e(model.source)}*"
    )


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
        "- **Målnivån** är regionens egen målnivå om regionen har angett en (tabellen "
        "mognadsmal i datamappen), annars en nivå över den nivå dimensionen når i dag (högst "
        f"{TOP_LEVEL}). **Gapet** är målnivån minus dagens median. {next_steps_rule()}\n"
        f"- **Osäkert underlag:** färre än {MIN_RESPONDENTS} svarande i regionen eller i en "
        "dimension.\n"
        "- **Jämförelsen med riket** bygger på alla regioner som svarade i omgången; varje "
        "region räknas en gång med sin median. Platsen är 1 plus antalet regioner med högre "
        f"nivå.\n\nOmgång {a.round}; mognadsmodellen version {_e(a.model.version)}."
    )
