"""Swedish text and tables of the effect report, in plain words, from a finished EffectReport."""

from __future__ import annotations

import math

import pandas as pd
from IPython.display import Markdown

from utvardering.effects.attainment import GoalAttainment
from utvardering.effects.evidence import (
    BALANCE_LIMITS,
    DESIGN_CEILING,
    GRADE_LABELS,
    PRETREND_LIMITS,
    SAMPLE_LIMITS,
)
from utvardering.effects.report import (
    MIN_CONTROLS_PER_INDUSTRY,
    OUTCOMES,
    SYNTH_START,
    EffectReport,
)
from utvardering.format import escape_md, fmt_procent, fmt_tal, lista
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES

__all__ = [
    "evidence_rubric",
    "section_attainment",
    "section_comparison",
    "section_effect",
    "section_event_study",
    "section_synthetic",
    "table_attainment",
    "table_balance",
    "table_estimates",
    "table_industries",
    "text_attainment",
    "text_balance",
    "text_caveats",
    "text_effect",
    "text_event_study",
    "text_evidence",
    "text_intro",
    "text_synthetic",
]


def _num(value: float, unit: str) -> str:
    decimals = 2 if unit == "anställda" else 0
    return fmt_tal(value, decimals)


def evidence_rubric() -> str:
    """The evidence grading A-C in Markdown: design ceilings, criteria with their limits, rule.

    Built from the named limits of ``effects.evidence``, so that the method page and the
    report describe the rubric the grading applies. No heading: the caller chooses its level.
    """
    pretrend_good, pretrend_failed = (fmt_tal(v, 2) for v in PRETREND_LIMITS)
    balance_good, balance_failed = (fmt_tal(v, 2) for v in BALANCE_LIMITS)
    sample_good, sample_failed = SAMPLE_LIMITS

    def label(design: str) -> str:
        grade = DESIGN_CEILING[design]
        return f"**{grade}** ({GRADE_LABELS[grade].split(' – ', 1)[1]})"

    return "\n".join(
        [
            "Varje effekt får en evidensgrad, A–C, som sammanfattar hur mycket skattningen går "
            "att lita på som en effekt av stödet. Graden följer av metoden och av de "
            "kontroller som skattningen redovisar.",
            "",
            "**Metoden sätter taket.**",
            "",
            f"- {label('stark')} är möjligt för en jämförelse av förändringen hos stödda "
            "företag och företag i samma bransch som aldrig fått stöd (skillnad-i-skillnader "
            "med förskjuten start, Callaway & Sant'Anna).",
            f"- {label('medel')} är högsta grad för en jämförelse som bara justerar för det "
            "som mätts före stödet (storlek och bransch), till exempel inverterad "
            "sannolikhetsviktning av förändringen.",
            f"- {label('svag')} får alltid enkla jämförelser som inte hanterar urvalet till "
            "stöd (en regression utan hänsyn till bransch, de stödda företagen före och efter "
            "stödet) och beskrivande jämförelser som en syntetisk jämförelseregion. De visas "
            "som jämförelse, aldrig som effekten.",
            "",
            "**Varje kriterium bedöms som gott, svagt eller bristande.**",
            "",
            "- *Trender före stödet* (test av parallella trender: att effekterna åren före "
            f"stödet är noll): p ≥ {pretrend_good} gott; {pretrend_failed} ≤ p < "
            f"{pretrend_good} svagt; p < {pretrend_failed} bristande; inget test möjligt: "
            "svagt.",
            "- *Jämförbarhet* (balans: största standardiserade skillnaden mellan stödda och "
            "jämförelseföretag i storlek och bransch före stödet, efter viktning): under "
            f"{balance_good} gott; {balance_good}–{balance_failed} svagt; över "
            f"{balance_failed} bristande; inte mätt: svagt.",
            f"- *Antal stödda företag* i skattningen: minst {sample_good} gott; "
            f"{sample_failed}–{sample_good - 1} svagt; färre än {sample_failed} bristande.",
            "- *Jämförelsegrupp*: företag i samma län gott; företag från hela landet svagt "
            "(händelser som bara rör länet tas inte bort).",
            "- *Varningar från skattningen* (få kluster, få stödda företag, extrema vikter): "
            "inga gott; någon svagt.",
            "",
            "**Graden** är metodens tak, ett steg lägre för varje svagt kriterium och C om "
            "något kriterium är bristande (aldrig lägre än C). Läs en effekt med grad C som en "
            "indikation, inte som en effekt.",
        ]
    )


def text_intro(report: EffectReport) -> str:
    """The opening: what the report answers and how much to trust it."""
    name, unit = OUTCOMES[report.utfall]
    return (
        f"# Effektanalys: {escape_md(report.lan_namn)}\n\n"
        "Rapporten svarar på två frågor. **Når projekten sina mål?** Det visar projektens egna "
        "indikatorer längs effektkedjan, från prestationer till effekter på medellång sikt. "
        "**Utvecklades de stödda företagen annorlunda än de hade gjort utan stöd?** Det "
        f"skattas här för {name} ({unit}) genom att jämföra stödda företag med liknande "
        "företag som inte fick stöd.\n\n"
        "Varje effekt har en **evidensgrad** (A, B eller C) som säger hur mycket man kan lita "
        "på den som en effekt av stödet. Observera att företagspanelen är **simulerad** med en "
        "känd, inplanterad effekt: siffrorna visar hur metoden fungerar, inte vad de verkliga "
        "projekten har åstadkommit."
    )


def text_attainment(attainment: GoalAttainment, lan_namn: str) -> str:
    """Goal attainment in words: projects, final reports, targets reached per stage."""
    table = attainment.per_steg
    if attainment.n_projekt == 0:
        return f"{escape_md(lan_namn)} har inga projekt med rapporterade indikatorer."
    lines = [
        f"{escape_md(lan_namn)} har {attainment.n_projekt} projekt med indikatorer, varav "
        f"{attainment.n_avslutade} har lämnat slutrapport. Bara slutrapporternas utfall räknas "
        "som slutliga; pågående projekt visas som framsteg enligt den senaste lägesrapporten. "
        "Måluppfyllelse är utfall delat med mål (för index med basen 100: förändringen från 100 "
        "delat med den planerade förändringen). Ett projekt når sina mål i ett steg om varje "
        "indikator med slutligt utfall i steget når sitt mål. Projekt som finns i flera län "
        "räknas i varje län; summerade mål och utfall (antal och kronor) räknas med projektets "
        "andel i länet.",
        "",
    ]
    for stage, label in INDICATOR_STAGES.items():
        part = table[(table["steg"] == stage) & (table["n_med_utfall"] > 0)]
        if part.empty:
            continue
        reached, judged = int(part["n_nar_malen"].sum()), int(part["n_med_utfall"].sum())
        missing = int(part["n_utfall_saknas"].sum())
        text = (
            f"- **{label}:** {reached} av {judged} bedömningar ({fmt_procent(reached / judged)}) "
            "når alla mål"
        )
        if missing:
            text += f"; {missing} utfall saknas i slutrapporterna och räknas inte"
        lines.append(text + ".")
    lines.append("")
    lines.append(
        "Att färre når målen längre fram i kedjan är väntat: prestationer styr projektet själv, "
        "effekter beror också på omvärlden och mäts ofta för tidigt."
    )
    return "\n".join(lines)


def table_attainment(attainment: GoalAttainment) -> pd.DataFrame:
    """Goal attainment per chain and stage with Swedish column names (chains with projects)."""
    table = attainment.per_steg[attainment.per_steg["n_projekt"] > 0]
    return pd.DataFrame(
        {
            "Effektkedja": table["effektkedja"].map(CHAIN_NAMES),
            "Steg": table["steg"].map(INDICATOR_STAGES),
            "Projekt": table["n_projekt"],
            "Med slutligt utfall": table["n_med_utfall"],
            "Når alla mål": table["n_nar_malen"],
            "Andel som når målen": table["andel_nar_malen"].map(fmt_procent),
            "Måluppfyllelse, median": table["median_maluppfyllelse"].map(fmt_procent),
            "Utfall saknas": table["n_utfall_saknas"],
            "Pågående": table["n_pagaende"],
        }
    ).reset_index(drop=True)


def text_balance(report: EffectReport) -> str:
    """Who is compared with whom, why, and how alike the groups are."""
    lan = escape_md(report.lan_namn)
    where = f"i {lan}" if report.jamforelse == "lan" else "i hela landet (med samma bransch)"
    text = (
        f"Analysen jämför **{fmt_tal(report.n_stodda)} stödda företag** i {lan} med "
        f"**{fmt_tal(report.n_jamforelse)} företag som aldrig fått stöd** {where}. "
    )
    if report.jamforelse == "lan":
        text += (
            "Jämförelseföretagen finns i samma län, så händelser som rör hela länet påverkar "
            "båda grupperna lika. "
        )
    else:
        why = (
            "eftersom länet har för få företag utan stöd i någon av de stödda företagens "
            f"branscher (färre än {MIN_CONTROLS_PER_INDUSTRY})"
            if report.jamforelse_vald == "auto"
            else "eftersom det valdes i rapportens parametrar"
        )
        text += (
            f"Jämförelseföretagen kommer från hela landet, {why}. Det ger fler att jämföra "
            "med, men det som bara händer i länet tas inte bort; evidensgraden sänks därför "
            "ett steg. "
        )
    text += (
        "Stöd går oftare till större företag och till företag i branscher som växer. Därför "
        "jämförs förändringen, inte nivån, och bara inom samma bransch."
    )
    if report.balans is not None and len(report.balans):
        before = float(report.balans["smd_fore"].abs().max())
        after = float(report.balans["smd_efter"].abs().max())
        text += (
            f"\n\nTabellen och figuren visar hur lika grupperna är före stödet. Den största "
            f"standardiserade skillnaden är {fmt_tal(before, 2)} före viktning och "
            f"{fmt_tal(after, 2)} efter viktning (under {fmt_tal(BALANCE_LIMITS[0], 1)} räknas "
            "som lika)."
        )
    return text


def table_balance(report: EffectReport) -> pd.DataFrame:
    """The balance table with Swedish labels."""
    from utvardering.effects.figures import _variable_label

    if report.balans is None:
        return pd.DataFrame(columns=["Kännetecken", "Skillnad före viktning", "Efter viktning"])
    table = report.balans
    return pd.DataFrame(
        {
            "Kännetecken": table["variabel"].map(_variable_label),
            "Skillnad före viktning": table["smd_fore"].map(lambda v: fmt_tal(v, 2)),
            "Efter viktning": table["smd_efter"].map(lambda v: fmt_tal(v, 2)),
        }
    )


def text_event_study(report: EffectReport) -> str:
    """The event study and the pre-trend test in words."""
    if report.handelsestudie is None:
        return "Händelsestudien kunde inte skattas för det här länet."
    text = (
        "Figuren visar effekten år för år, räknat från det första stödåret. Åren före stödet "
        "är en kontroll: om de stödda och jämförelseföretagen utvecklades lika innan stödet "
        "ska punkterna ligga kring noll. "
    )
    p = report.fortrend_p
    if p is None:
        text += "Det gick inte att testa åren före stödet."
    elif p >= PRETREND_LIMITS[0]:
        text += (
            f"Testet av åren före stödet ger p = {fmt_tal(p, 2)}: inga tydliga skillnader, "
            "vilket talar för jämförelsen."
        )
    else:
        text += (
            f"Testet av åren före stödet ger p = {fmt_tal(p, 2)}: grupperna utvecklades olika "
            "redan före stödet, så effekten ska tolkas med försiktighet."
        )
    if report.n_stodda < 20:
        text += (
            " Med så få stödda företag bygger varje punkt på ett fåtal företag, och både "
            "intervallen och testet blir opålitliga (osäkerheten underskattas lätt)."
        )
    return text


def text_effect(report: EffectReport) -> str:
    """The main effect with its interval and grade, next to the naive comparisons."""
    name, unit = OUTCOMES[report.utfall]
    lan = escape_md(report.lan_namn)
    if report.for_fa_stodda:
        return (
            f"**{lan} har för få stödda företag ({report.n_stodda}) för att skatta en effekt.** "
            "Rapporten visar därför bara måluppfyllelsen och länets utveckling."
        )
    main = report.huvudskattning
    if main is None:
        return "Huvudskattningen kunde inte göras; se varningarna nedan."
    est = main.resultat
    low, high = est.conf_int
    text = (
        f"Enligt huvudskattningen ökade stödet {name} med **{_num(est.estimate, unit)} {unit} "
        f"per stött företag** i genomsnitt över åren efter stödet (95 % osäkerhetsintervall "
        f"{_num(low, unit)} till {_num(high, unit)}). Evidensgrad: "
        f"**{GRADE_LABELS[main.evidens.grad]}**."
    )
    if low > 0 or high < 0:
        text += " Intervallet innehåller inte noll."
    else:
        text += " Intervallet innehåller noll: effekten kan inte skiljas från ingen effekt."
    naive = {e.metod: e for e in report.skattningar}
    parts = []
    if "twfe_naiv" in naive:
        parts.append(
            f"en naiv regression utan hänsyn till bransch ger "
            f"{_num(naive['twfe_naiv'].resultat.estimate, unit)}"
        )
    if "fore_efter_naiv" in naive:
        parts.append(
            f"en jämförelse av de stödda företagen före och efter stödet ger "
            f"{_num(naive['fore_efter_naiv'].resultat.estimate, unit)}"
        )
    if parts:
        text += (
            f"\n\nSom jämförelse: {lista(parts)} {unit}. De enkla metoderna blandar ihop "
            "stödets effekt med att stödet går till företag som ändå skulle ha vuxit, och med "
            "det som händer alla företag samma år."
        )
    return text


def table_estimates(report: EffectReport) -> pd.DataFrame:
    """All estimates with interval, sample and evidence grade (Swedish labels)."""
    _, unit = OUTCOMES[report.utfall]
    rows = []
    for item in report.skattningar:
        est = item.resultat
        low, high = (_num(v, unit) for v in est.conf_int)
        rows.append(
            {
                "Metod": item.namn,
                f"Effekt ({unit})": _num(est.estimate, unit),
                "Standardfel": _num(est.std_error, unit),
                "95 % intervall": f"{low} till {high}",
                "Observationer": fmt_tal(est.n_obs),
                "Evidensgrad": item.evidens.grad,
            }
        )
    return pd.DataFrame(rows)


def text_evidence(report: EffectReport) -> str:
    """The rubric in brief and each estimate's justification."""
    lines = [
        "**Så sätts evidensgraden.** Metoden sätter taket: jämförelse av förändringen inom "
        "bransch mot företag utan stöd kan få A, viktning på det som mätts före stödet högst B, "
        "och enkla jämförelser alltid C. Graden sänks sedan ett steg för varje svaghet "
        f"(trender före stödet med p under {fmt_tal(PRETREND_LIMITS[0], 2)}, grupper som "
        f"skiljer sig mer än {fmt_tal(BALANCE_LIMITS[0], 1)} efter viktning, färre än 50 stödda "
        "företag, jämförelseföretag från hela landet, varningar från skattningen) och blir C "
        "vid en allvarlig brist.",
        "",
    ]
    for item in report.skattningar:
        lines.append(f"- **{escape_md(item.namn)}:** {escape_md(item.evidens.motivering)}")
    return "\n".join(lines)


def text_synthetic(report: EffectReport) -> str:
    """The synthetic comparison region in words, clearly descriptive."""
    if not report.syntetiska:
        return "Det gick inte att bygga någon syntetisk jämförelseregion för länet."
    lan = escape_md(report.lan_namn)
    lines = [
        f"Hur har {lan} utvecklats jämfört med en **syntetisk jämförelseregion**: ett vägt "
        f"genomsnitt av andra län som följde {lan} så nära som möjligt före {SYNTH_START}, då "
        "programperioden för Regionala utvecklingsfonden började? **Jämförelsen är "
        "beskrivande** (evidensgrad C): många saker utöver projekten påverkar ett läns "
        "utveckling, så skillnaden efter 2014 är inte projektens effekt.",
        "",
    ]
    for s in report.syntetiska:
        res = s.resultat
        decimals = 0 if abs(float(s.data["lan"].mean())) >= 100 else 1
        p = res.placebo_p_value
        shown_p = fmt_tal(p, 2) if p is not None and not math.isnan(p) else "–"
        lines.append(
            f"- **{escape_md(s.namn)}:** från {SYNTH_START} i genomsnitt "
            f"{fmt_tal(res.att, decimals)} jämfört med den syntetiska regionen (före "
            f"{SYNTH_START} var avvikelsen i "
            f"genomsnitt {fmt_tal(res.pre_rmspe, decimals)}). Andelen län med minst lika stor "
            f"avvikelse efter {SYNTH_START} i förhållande till före: {shown_p}."
        )
    return "\n".join(lines)


def text_caveats(report: EffectReport) -> str:
    """The caveats that matter and the warnings of the estimators."""
    lines = [
        "**Att tänka på**",
        "",
        "- Företagspanelen är **simulerad** med en inplanterad effekt (0,8 anställda, 120 tkr "
        "omsättning och 45 tkr förädlingsvärde per stött företag efter tre år). Resultaten "
        "visar att metoden hittar effekten, inte vad de verkliga projekten gett.",
        "- **Urvalet till stöd** är inte slumpmässigt: större företag i växande branscher får "
        "oftare stöd. Jämförelsen tar hänsyn till det som går att mäta (storlek och bransch); "
        "skillnader som inte syns i data kan ändå påverka resultatet.",
        "- Osäkerheten räknas med hänsyn till att samma företag följs flera år. Med få "
        "stödda företag blir intervallen breda och enstaka företag kan avgöra resultatet.",
        "- Effekten gäller stödda företag i genomsnitt, inte varje projekt, och inte länets "
        "hela ekonomi.",
    ]
    if report.varningar:
        lines += ["", "**Varningar från analysen**", ""]
        lines += [f"- {escape_md(w)}" for w in report.varningar]
    return "\n".join(lines)


# Sections of the notebook: each a list of things to display (Markdown, tables, figures), so
# that the notebook only calls and displays.


def _shown(table: pd.DataFrame):
    """A table as the report shows it: without the row numbers, every cell and column heading
    escaped (a Styler escapes neither by default)."""
    return table.style.hide(axis="index").format(escape="html").format_index(escape="html", axis=1)


def section_attainment(report: EffectReport, figures: dict) -> list:
    """Section 1: goal attainment, the chain figure and the table."""
    items = [
        Markdown("## 1. Når projekten sina mål?"),
        Markdown(text_attainment(report.maluppfyllelse, report.lan_namn)),
        figures["effekt_kedjor"],
    ]
    table = table_attainment(report.maluppfyllelse)
    if len(table):
        items.append(_shown(table))
    return items


def section_comparison(report: EffectReport, figures: dict) -> list:
    """Section 2: supported and comparison firms, balance and overlap."""
    items: list = [Markdown("## 2. Stödda företag och jämförelseföretag")]
    if report.n_stodda == 0:
        return [*items, Markdown(text_effect(report))]
    items.append(Markdown(text_balance(report)))
    items.append(_shown(table_industries(report)))
    if report.balans is not None:
        items.append(_shown(table_balance(report)))
    items += [figures[k] for k in ("effekt_balans", "effekt_overlapp") if k in figures]
    if "effekt_overlapp" in figures:
        items.append(
            Markdown(
                "Överlappsfiguren visar om det finns jämförelseföretag med samma sannolikhet att "
                "få stöd som de stödda. Där bara stödda företag finns saknas det någon att "
                "jämföra med."
            )
        )
    return items


def section_event_study(report: EffectReport, figures: dict) -> list:
    """Section 3: the event study and the pre-trend test."""
    if report.for_fa_stodda:
        return []
    items: list = [Markdown("## 3. Effekten år för år"), Markdown(text_event_study(report))]
    if "effekt_handelsestudie" in figures:
        items.append(figures["effekt_handelsestudie"])
    return items


def section_effect(report: EffectReport, figures: dict) -> list:
    """Section 4: the overall effect next to the naive comparisons, with evidence grades."""
    items: list = [Markdown("## 4. Stödets effekt"), Markdown(text_effect(report))]
    if report.skattningar:
        items += [_shown(table_estimates(report))]
        if "effekt_jamforelse" in figures:
            items.append(figures["effekt_jamforelse"])
        items.append(Markdown(text_evidence(report)))
    return items


def section_synthetic(report: EffectReport, figures: dict) -> list:
    """Section 5: key indicators against a synthetic comparison region (descriptive)."""
    items: list = [
        Markdown("## 5. Länets utveckling mot en syntetisk jämförelseregion (beskrivande)"),
        Markdown(text_synthetic(report)),
    ]
    items += [figures[k] for k in figures if k.startswith("effekt_syntetisk_")]
    return items


def table_industries(report: EffectReport) -> pd.DataFrame:
    """Supported and comparison firms per industry (SNI section)."""
    table = report.stodda_per_bransch
    return pd.DataFrame(
        {
            "Bransch (SNI)": table["sni"],
            "Stödda företag": table["stodda"],
            "Jämförelseföretag": table["jamforelse"],
        }
    )
