"""Swedish text and tables of the effect report, in plain words, from a finished EffectReport.

The estimation and the grading return codes and numbers (:mod:`~utvardering.effects.evidence`,
:mod:`~utvardering.effects.notes`); this module is where they become Swedish. It reads every
threshold it mentions from the module that applies it.
"""

from __future__ import annotations

import math

import pandas as pd

from utvardering.effects.attainment import GoalAttainment
from utvardering.effects.design import (
    FEW_TREATED,
    KEY_INDICATOR_UNITS,
    KEY_INDICATORS,
    MIN_CONTROLS_PER_INDUSTRY,
    MIN_TREATED,
    OUTCOME_DEFINITE,
    OUTCOMES,
    STAGE_LABELS,
    SYNTH_FIT_GAP_RATIO,
    SYNTH_FIT_LEVEL_SHARE,
    SYNTH_START,
    synthetic_fit,
)
from utvardering.effects.evidence import (
    BALANCE_LIMITS,
    DESIGN_CEILING,
    PRETREND_LIMITS,
    SAMPLE_LIMITS,
    Criterion,
    CriterionCode,
    EvidenceGrade,
    Status,
)
from utvardering.effects.figures import lower_first, variable_label
from utvardering.effects.notes import Note, NoteCode
from utvardering.effects.results import WarningCode
from utvardering.exempeldata.foretagspanel import PLANTED_EFFECT, RAMP_YEARS
from utvardering.format import counted, escape_md, fmt_number, fmt_percent, listed
from utvardering.funding import funding_label
from utvardering.vocabulary import CHAIN_NAMES

__all__ = [
    "CRITERION_NAMES",
    "GRADE_LABELS",
    "METHOD_NAMES",
    "criterion_text",
    "effect_verdict",
    "evidence_rubric",
    "justification",
    "note_text",
    "outcome_title",
    "synthetic_summary",
    "table_attainment",
    "table_balance",
    "table_balance_summary",
    "table_estimates",
    "table_industries",
    "table_main_estimates",
    "text_attainment",
    "text_balance",
    "text_caveats",
    "text_effect",
    "text_effects_summary",
    "text_event_study",
    "text_evidence",
    "text_intro",
    "text_justifications",
    "text_scope",
    "text_synthetic",
    "text_synthetic_indicator",
    "warning_texts",
]

GRADE_LABELS: dict[str, str] = {
    "A": "A – starkt underlag",
    "B": "B – måttligt underlag",
    "C": "C – svagt underlag",
}
# The estimates of the report by method code, as the report names them.
METHOD_NAMES: dict[str, str] = {
    "staggered_did": "Skillnad-i-skillnader med förskjutet införande, inom bransch "
    "(huvudskattning)",
    "ipw": "Viktning på storlek och bransch, förändring sedan de två första åren",
    "twfe_naiv": "Naiv regression med fasta effekter för företag och år (utan hänsyn till bransch)",
    "fore_efter_naiv": "Naiv jämförelse före och efter stödet (bara stödda företag)",
}
CRITERION_NAMES: dict[CriterionCode, str] = {
    CriterionCode.PRETRENDS: "Trender före stödet",
    CriterionCode.BALANCE: "Jämförbarhet",
    CriterionCode.SAMPLE: "Antal stödda företag",
    CriterionCode.COMPARISON: "Jämförelsegrupp",
    CriterionCode.WARNINGS: "Varningar från skattningen",
}
# What each design is, after "Metoden är en" in a justification.
_DESIGN_TEXT = {
    "stark": "jämförelse av förändringen hos stödda och aldrig stödda företag i samma bransch "
    "(skillnad-i-skillnader med förskjutet införande)",
    "medel": "jämförelse som bara justerar för det vi kan mäta före stödet (storlek och bransch)",
    "svag": "enkel jämförelse som inte hanterar urvalet till stöd",
}
# Methods whose own description replaces their design's in the justification.
_METHOD_TEXT = {
    "twfe_naiv": "naiv regression med fasta effekter för företag och år, utan hänsyn till "
    "bransch och till att stödet börjar olika år",
    "fore_efter_naiv": "naiv jämförelse av de stödda företagen före och efter stödet, utan "
    "jämförelsegrupp",
    "syntetisk": "beskrivande jämförelse med en syntetisk jämförelseregion, ett vägt "
    "genomsnitt av andra län",
}
# What failed, by method code, in "… gick inte att …".
_FAILED = {
    "ipw": "Viktningen (IPW) gick inte att skatta",
    "staggered_did": "Huvudskattningen gick inte att göra",
    "twfe_naiv": "Den naiva regressionen gick inte att skatta",
}
_NUMBER_WORDS = {1: "ett", 2: "två", 3: "tre", 4: "fyra", 5: "fem"}


def _num(value: float, unit: str) -> str:
    decimals = 2 if unit == "anställda" else 0
    return fmt_number(value, decimals)


def evidence_rubric() -> str:
    """The evidence grading A-C in Markdown: design ceilings, criteria with their limits, rule.

    Built from the named limits of ``effects.evidence``, so that the method page and the
    report describe the rubric the grading applies. No heading: the caller chooses its level.
    """
    pretrend_good, pretrend_failed = (fmt_number(v, 2) for v in PRETREND_LIMITS)
    balance_good, balance_failed = (fmt_number(v, 2) for v in BALANCE_LIMITS)
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
            "med förskjutet införande, Callaway & Sant'Anna: företagen får stöd olika år, och de "
            "som fick stöd samma år jämförs som en grupp).",
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
            "- *Varningar från skattningen* (få företag i skattningen, få stödda företag, "
            "extrema vikter): "
            "inga gott; någon svagt.",
            "",
            "**Graden** är metodens tak, ett steg lägre för varje svagt kriterium och C om "
            "något kriterium är bristande (aldrig lägre än C). Läs en effekt med grad C som en "
            "indikation, inte som en effekt.",
        ]
    )


def outcome_title(outcome: str) -> str:
    """The outcome as a heading or row label, with its unit when it is not a count:
    "Antal anställda", "Omsättning (tkr)"."""
    name, unit = OUTCOMES[outcome]
    label = name if unit in name else f"{name} ({unit})"
    return label[0].upper() + label[1:]


def _outcome_names(outcomes) -> str:
    """The outcomes in a sentence: "antal anställda, omsättning och förädlingsvärde"."""
    return listed([OUTCOMES[o][0] for o in outcomes])


def text_scope(report) -> str:
    """Which projects and supported firms the report covers (the funding source)."""
    if report.funding == "alla":
        text = (
            "Rapporten omfattar alla projekt, oavsett finansieringskälla (Regionala "
            "utvecklingsfonden, ERUF, och anslag 1:1)."
        )
    else:
        other = "anslag 1:1" if report.funding == "eruf" else "ERUF"
        text = (
            f"Rapporten omfattar bara projekt som finansieras av {funding_label(report.funding)}, "
            f"också de som dessutom har {other}. Måluppfyllelsen räknar bara de projekten, och "
            "de stödda företagen är bara de som fått stöd genom dem. Jämförelseföretagen har "
            "aldrig fått stöd."
        )
    if report.n_outside_scope:
        n = report.n_outside_scope
        text += (
            f" {counted(n, 'företag', 'företag')} i {escape_md(report.region_name)} har fått "
            "stöd genom andra projekt och "
            "ingår varken bland de stödda företagen eller bland jämförelseföretagen."
        )
    return text


def text_intro(report) -> str:
    """The opening: what the report answers, for which projects, and how much to trust it."""
    text = (
        f"# Effektanalys: {escape_md(report.region_name)}\n\n"
        f"**Omfattning.** {text_scope(report)}\n\n"
        "Rapporten svarar på två frågor. **Når projekten sina mål?** Det visar projektens egna "
        "indikatorer längs effektkedjan, från prestationer till effekter på medellång sikt. "
        "**Utvecklades de stödda företagen annorlunda än de hade gjort utan stöd?** Det "
        f"skattas för {_outcome_names(report.outcomes)} genom att jämföra stödda företag med "
        "liknande företag som aldrig fått stöd.\n\n"
        "Varje effekt har en **evidensgrad** (A, B eller C) som säger hur mycket man kan lita "
        "på den som en effekt av stödet."
    )
    if report.simulated_panel:
        text += (
            " Företagspanelen är simulerad med en känd, inplanterad effekt, så effekterna visar "
            "hur metoden fungerar, inte vad de verkliga projekten har åstadkommit."
        )
    return text


def text_attainment(attainment: GoalAttainment, region_name: str) -> str:
    """Goal attainment in words: projects, final reports, targets reached per stage, and the
    missing outcomes as indicator values and as projects."""
    table = attainment.per_stage
    region = escape_md(region_name)
    if attainment.n_projects == 0:
        return f"{region} har inga projekt med rapporterade indikatorer."
    n, finished = attainment.n_projects, attainment.n_finished
    if finished == n:
        reported = "alla har" if n > 1 else "det har"
        opening = f"{region} har {counted(n, 'projekt', 'projekt')} med indikatorer, och {reported}"
        opening += " lämnat slutrapport."
    else:
        opening = (
            f"{region} har {counted(n, 'projekt', 'projekt')} med indikatorer. "
            f"{fmt_number(finished)} av dem har lämnat slutrapport."
        )
    ongoing = (
        " Bara slutrapporternas utfall räknas som slutliga; pågående projekt visas som framsteg "
        "enligt den senaste lägesrapporten."
        if finished < n
        else " Bara slutrapporternas utfall räknas."
    )
    lines = [
        f"{opening}{ongoing} Måluppfyllelse är utfall delat med mål "
        "(för index med basen 100: förändringen från 100 delat med den planerade förändringen). "
        "Ett projekt når sina mål i ett steg om varje indikator med slutligt utfall i steget når "
        "sitt mål. Ett utfall som saknas i slutrapporten räknas inte, varken som noll eller som "
        "nått mål. Projekt som finns i flera län räknas i varje län; summerade mål och utfall "
        "(antal och kronor) räknas med projektets andel i länet.",
        "",
    ]
    for stage, label in STAGE_LABELS.items():
        part = table[table["steg"] == stage]
        judged = int(part["n_med_utfall"].sum())
        values = int(part["n_utfall_saknas"].sum())
        projects = int(part["n_projekt_utfall_saknas"].sum())
        none_left = int((part["n_avslutade"] - part["n_med_utfall"]).sum())
        if judged == 0 and values == 0:
            continue
        reached = int(part["n_nar_malen"].sum())
        if judged:
            text = (
                f"- **{label}:** {fmt_number(reached)} av {counted(judged, 'projekt', 'projekt')}"
                f" med slutligt utfall ({fmt_percent(reached / judged)}) når alla sina mål."
            )
        else:
            text = f"- **{label}:** inget projekt har slutligt utfall."
        if values:
            text += (
                f" I slutrapporterna saknas {counted(values, 'indikatorvärde', 'indikatorvärden')}"
                f", i {counted(projects, 'projekt', 'projekt')}."
            )
            if none_left:
                text += (
                    f" {counted(none_left, 'projekt', 'projekt')} saknar alla sina värden i steget"
                    " och ingår inte i andelen."
                )
        lines.append(text)
    shares = []
    for stage in STAGE_LABELS:
        part = table[table["steg"] == stage]
        judged = int(part["n_med_utfall"].sum())
        shares.append(int(part["n_nar_malen"].sum()) / judged if judged else None)
    if None not in shares and shares[0] > shares[-1]:
        lines.append("")
        lines.append(
            "Att färre når målen längre fram i kedjan är väntat: prestationer styr projektet "
            "själv, effekter beror också på omvärlden och mäts ofta för tidigt."
        )
    return "\n".join(lines)


def table_attainment(attainment: GoalAttainment) -> pd.DataFrame:
    """Goal attainment per chain and stage with Swedish column names (chains with projects).
    Shares are in per cent (the unit in the heading); missing outcomes are given both as
    projects and as indicator values."""
    table = attainment.per_stage[attainment.per_stage["n_projekt"] > 0]
    return pd.DataFrame(
        {
            "Effektkedja": table["effektkedja"].map(CHAIN_NAMES),
            "Steg": table["steg"].map(STAGE_LABELS),
            "Projekt": table["n_projekt"],
            "Projekt med slutligt utfall": table["n_med_utfall"],
            "Projekt som når alla mål": table["n_nar_malen"],
            "Andel som når alla mål (%)": table["andel_nar_malen"].map(_percent_number),
            "Måluppfyllelse, median (%)": table["median_maluppfyllelse"].map(_percent_number),
            "Projekt med saknade värden": table["n_projekt_utfall_saknas"],
            "Saknade indikatorvärden": table["n_utfall_saknas"],
            "Pågående projekt": table["n_pagaende"],
        }
    ).reset_index(drop=True)


def _percent_number(share: float | None) -> str:
    """A share as a number of per cent for a column headed "(%)": 0.456 → "46"."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    return fmt_number(100 * share)


def text_balance(report) -> str:
    """Who is compared with whom, why, and how alike the groups are."""
    region = escape_md(report.region_name)
    where = "i samma län" if report.comparison == "lan" else "i hela landet, i samma branscher"
    text = (
        f"Analysen jämför **{counted(report.n_supported, 'stött företag', 'stödda företag')}** "
        f"i {region} med **{counted(report.n_comparison, 'företag', 'företag')} som aldrig fått "
        f"stöd** {where}. "
    )
    if report.comparison == "lan":
        text += (
            "Eftersom jämförelseföretagen finns i samma län påverkar händelser som rör hela "
            "länet båda grupperna lika. "
        )
    else:
        why = (
            "eftersom länet har för få företag utan stöd i någon av de stödda företagens "
            f"branscher (färre än {MIN_CONTROLS_PER_INDUSTRY})"
            if report.comparison_requested == "auto"
            else "eftersom rapporten beställdes så"
        )
        text += (
            f"Jämförelseföretagen kommer från hela landet, {why}. Det ger fler att jämföra "
            "med, men det som bara händer i länet tas inte bort; evidensgraden sänks därför "
            "ett steg. "
        )
    text += (
        "Stöd går oftare till större företag och till företag i branscher som växer. Därför "
        "jämförs förändringen, inte nivån, och bara inom samma bransch. Samma företag ingår "
        "för alla utfall."
    )
    measured = [e for e in report.effects if e.balance is not None and len(e.balance)]
    if measured:
        text += (
            "\n\nHur lika grupperna är före stödet mäts för varje utfall, eftersom företagens "
            "storlek mäts i utfallets enhet. Måttet är den standardiserade skillnaden: "
            "skillnaden i medelvärde mellan grupperna delad med spridningen. Under "
            f"{fmt_number(BALANCE_LIMITS[0], 2)} räknas grupperna som lika. Efter viktning får "
            "jämförelseföretag som liknar de stödda större vikt."
        )
    return text


def table_balance_summary(report) -> pd.DataFrame:
    """The largest standardised difference before and after weighting, per outcome."""
    rows = []
    for item in report.effects:
        if item.balance is None or not len(item.balance):
            continue
        rows.append(
            {
                "Utfall": outcome_title(item.outcome),
                "Största skillnad före viktning": fmt_number(
                    float(item.balance["smd_fore"].abs().max()), 2
                ),
                "Största skillnad efter viktning": fmt_number(
                    float(item.balance["smd_efter"].abs().max()), 2
                ),
            }
        )
    return pd.DataFrame(rows)


def table_balance(item) -> pd.DataFrame:
    """The balance table of one outcome with Swedish labels."""
    if item.balance is None:
        return pd.DataFrame(columns=["Kännetecken", "Skillnad före viktning", "Efter viktning"])
    table = item.balance
    return pd.DataFrame(
        {
            "Kännetecken": table["variabel"].map(variable_label),
            "Skillnad före viktning": table["smd_fore"].map(lambda v: fmt_number(v, 2)),
            "Efter viktning": table["smd_efter"].map(lambda v: fmt_number(v, 2)),
        }
    )


def text_event_study(item) -> str:
    """The event study of one outcome and its pre-trend test in words."""
    if item.event_study is None:
        return (
            f"Effekten år för år på {OUTCOME_DEFINITE[item.outcome]} kunde inte skattas för "
            "det här länet."
        )
    text = (
        "Figuren visar effekten år för år, räknat från det första stödåret. Åren före stödet "
        "är en kontroll: om de stödda företagen och jämförelseföretagen utvecklades lika före "
        "stödet ska punkterna ligga kring noll. Testet prövar om effekterna åren före stödet "
        "alla är noll. "
    )
    p = item.pretrend_p
    if p is None:
        text += "Det gick inte att testa åren före stödet."
    elif p >= PRETREND_LIMITS[0]:
        text += (
            f"Det ger p = {fmt_number(p, 2)}: inga tydliga skillnader före stödet, vilket talar "
            "för jämförelsen."
        )
    else:
        text += (
            f"Det ger p = {fmt_number(p, 2)}: grupperna utvecklades olika redan före stödet, så "
            "effekten ska tolkas med försiktighet."
        )
    if item.n_supported < FEW_TREATED:
        text += (
            " Med så få stödda företag bygger varje punkt på ett fåtal företag, och både "
            "intervallen och testet blir opålitliga (osäkerheten underskattas lätt)."
        )
    return text


def _excludes_zero(low: float, high: float) -> bool:
    return bool(low > 0 or high < 0)


def effect_verdict(item) -> str:
    """What the main estimate of one outcome allows us to say, in a few words: an effect
    (grade A or B and an interval without zero), an indication (grade C), or no difference
    from zero."""
    main = item.main_estimate
    if main is None:
        return "Ingen skattning"
    low, high = main.result.conf_int
    if not _excludes_zero(low, high):
        return "Kan inte skiljas från noll"
    direction = "ökning" if main.result.estimate > 0 else "minskning"
    if main.evidence.grade in ("A", "B"):
        return f"Effekt ({direction})"
    return f"Indikation på {direction}"


def table_main_estimates(report) -> pd.DataFrame:
    """The main estimate of every outcome in one short table (the summary of the effects)."""
    rows = []
    for item in report.effects:
        main = item.main_estimate
        if main is None:
            continue
        est = main.result
        low, high = (_num(v, item.unit) for v in est.conf_int)
        rows.append(
            {
                "Utfall": outcome_title(item.outcome),
                "Effekt per stött företag": _num(est.estimate, item.unit),
                "95 % osäkerhetsintervall": f"{low} till {high}",
                "Evidensgrad": main.evidence.grade,
                "Slutsats": effect_verdict(item),
            }
        )
    return pd.DataFrame(rows)


def text_effects_summary(report) -> str:
    """The opening of the effect section: what is compared and how to read the summary."""
    region = escape_md(report.region_name)
    if report.too_few_supported:
        return (
            f"**{region} har för få stödda företag ({fmt_number(report.n_supported)}) för att "
            f"skatta en effekt**; det behövs minst {MIN_TREATED}. Rapporten visar därför bara "
            "måluppfyllelsen och länets utveckling."
        )
    where = "i samma län" if report.comparison == "lan" else "i hela landet"
    text = (
        f"Effekten skattas genom att jämföra hur "
        f"{counted(report.n_supported, 'stött företag', 'stödda företag')} i {region} "
        f"utvecklades med {counted(report.n_comparison, 'företag', 'företag')} {where} som "
        "aldrig fått stöd (avsnitt 3 beskriver jämförelsen). Tabellen sammanfattar "
        "huvudskattningen för varje utfall: den genomsnittliga effekten per stött företag åren "
        "efter stödet. Omsättning och förädlingsvärde är i tusental kronor (tkr). Därefter "
        "redovisas varje utfall för sig."
    )
    if not any(item.main_estimate for item in report.effects):
        text += " Ingen huvudskattning gick att göra; se varningarna i slutet av rapporten."
    return text


def text_effect(item) -> str:
    """The main effect on one outcome with its interval and grade, next to the naive
    comparisons."""
    name, unit = OUTCOME_DEFINITE[item.outcome], item.unit
    region = escape_md(item.region_name)
    if item.too_few_supported:
        return (
            f"**{region} har för få stödda företag ({fmt_number(item.n_supported)}) för att "
            "skatta en effekt.** Rapporten visar därför bara måluppfyllelsen och länets "
            "utveckling."
        )
    main = item.main_estimate
    if main is None:
        return (
            f"Huvudskattningen för {name} gick inte att göra; se varningarna i slutet av rapporten."
        )
    est = main.result
    low, high = est.conf_int
    grade = main.evidence.grade
    size = f"**{_num(abs(est.estimate), unit)} {unit} per stött företag**"
    verb = "ökade" if est.estimate >= 0 else "minskade"
    interval = f"(95 % osäkerhetsintervall {_num(low, unit)} till {_num(high, unit)} {unit})"
    label = f"Evidensgrad: **{GRADE_LABELS[grade]}**."
    if not _excludes_zero(low, high):
        text = (
            f"Huvudskattningen för {name} är {_num(est.estimate, unit)} {unit} per stött företag "
            f"i genomsnitt åren efter stödet {interval}. Intervallet innehåller noll: **vi kan "
            f"inte skilja effekten från noll**. {label}"
        )
    elif grade in ("A", "B"):
        text = (
            f"Enligt huvudskattningen {verb} stödet {name} med {size} i genomsnitt åren efter "
            f"stödet {interval}. Intervallet innehåller inte noll. {label}"
        )
    else:
        text = (
            f"Huvudskattningen tyder på att stödet {verb} {name} med {size} i genomsnitt åren "
            f"efter stödet {interval}. Intervallet innehåller inte noll, men evidensgraden är "
            f"**{GRADE_LABELS[grade]}**, så det är en indikation, inte en säkerställd effekt."
        )
    naive = {e.method: e for e in item.estimates}
    parts = []
    if "twfe_naiv" in naive:
        parts.append(
            f"en naiv regression utan hänsyn till bransch ger "
            f"{_num(naive['twfe_naiv'].result.estimate, unit)}"
        )
    if "fore_efter_naiv" in naive:
        parts.append(
            f"en jämförelse av de stödda företagen före och efter stödet ger "
            f"{_num(naive['fore_efter_naiv'].result.estimate, unit)}"
        )
    if parts:
        text += (
            f"\n\nSom jämförelse: {listed(parts)} {unit} per stött företag. De enkla metoderna "
            "blandar ihop stödets effekt med att stödet går till företag som ändå skulle ha "
            "vuxit, och med det som händer alla företag samma år."
        )
    return text


def table_estimates(item) -> pd.DataFrame:
    """All estimates of one outcome with interval, sample and evidence grade."""
    unit = item.unit
    rows = []
    for estimate in item.estimates:
        est = estimate.result
        low, high = (_num(v, unit) for v in est.conf_int)
        rows.append(
            {
                "Metod": estimate.name,
                f"Effekt per stött företag ({unit})": _num(est.estimate, unit),
                f"Standardfel ({unit})": _num(est.std_error, unit),
                "95 % osäkerhetsintervall": f"{low} till {high}",
                "Observationer (företag × år)": fmt_number(est.n_obs),
                "Evidensgrad": estimate.evidence.grade,
            }
        )
    return pd.DataFrame(rows)


def text_justifications(item) -> str:
    """Each estimate's grade with its reasons, for one outcome."""
    lines = [f"**Evidensgraderna för {OUTCOME_DEFINITE[item.outcome]}:**", ""]
    for estimate in item.estimates:
        text = justification(estimate.evidence, estimate.method)
        lines.append(f"- **{escape_md(estimate.name)}:** {escape_md(text)}")
    return "\n".join(lines)


def text_evidence() -> str:
    """How the evidence grade is set (the rubric), once for the whole report."""
    return f"### Så sätts evidensgraden\n\n{evidence_rubric()}"


def criterion_text(criterion: Criterion) -> str:
    """One judged criterion of the evidence grade as a Swedish phrase."""
    code, status, value = criterion.code, criterion.status, criterion.value
    if code == CriterionCode.PRETRENDS:
        if value is None:
            return "trenderna före stödet kunde inte testas"
        shown = fmt_number(value, 2)
        return {
            Status.GOOD: f"inga tydliga skillnader i utvecklingen före stödet (p = {shown})",
            Status.WEAK: f"vissa tecken på olika utveckling redan före stödet (p = {shown})",
            Status.FAILED: f"tydligt olika utveckling redan före stödet (p = {shown})",
        }[status]
    if code == CriterionCode.BALANCE:
        if value is None:
            return "jämförbarheten mellan grupperna är inte mätt"
        shown = fmt_number(value, 2)
        return {
            Status.GOOD: f"grupperna är lika före stödet efter viktning (största skillnad {shown})",
            Status.WEAK: f"grupperna skiljer sig något före stödet (största skillnad {shown})",
            Status.FAILED: f"grupperna skiljer sig mycket före stödet (största skillnad {shown})",
        }[status]
    if code == CriterionCode.SAMPLE:
        if value is None:
            return "antalet stödda företag är okänt"
        return {
            Status.GOOD: f"{fmt_number(value)} stödda företag",
            Status.WEAK: f"bara {fmt_number(value)} stödda företag",
            Status.FAILED: f"för få stödda företag ({fmt_number(value)}) för säkra slutsatser",
        }[status]
    if code == CriterionCode.COMPARISON:
        if value == "lan":
            return "jämförelseföretagen finns i samma län"
        return (
            "jämförelseföretagen kommer från hela landet, så händelser som bara rör länet "
            "kan påverka jämförelsen"
        )
    if not value:
        return "skattningen gav inga varningar"
    return f"skattningen gav {counted(value, 'varning', 'varningar')}"


def justification(grade: EvidenceGrade, method: str | None = None) -> str:
    """Why an estimate has its grade, in Swedish: the design's ceiling and each criterion.

    ``method`` (a method code such as ``"twfe_naiv"``) names the method more precisely than
    its design does.
    """
    description = _METHOD_TEXT.get(method or "", _DESIGN_TEXT[grade.design])
    text = f"Evidensgrad {grade.grade}. Metoden är en {description}"
    if grade.design == "svag":
        text += ", som inte kan visa stödets effekt och därför alltid får grad C"
        extra = [criterion_text(c) for c in grade.criteria]
        return text + (f" ({listed(extra)})." if extra else ".")
    text += f", som ger högst grad {DESIGN_CEILING[grade.design]}."
    for status, heading in (
        (Status.GOOD, "Styrkor"),
        (Status.WEAK, "Svagheter, som sänker graden ett steg var"),
        (Status.FAILED, "Brister, som ger grad C"),
    ):
        found = [criterion_text(c) for c in grade.criteria if c.status == status]
        if found:
            text += f" {heading}: {'; '.join(found)}."
    return text


def note_text(note: Note, region_name: str) -> str:
    """One warning of the report (its own, or an estimator's) as a Swedish sentence; a warning
    about one outcome or one key indicator starts with its name."""
    code = note.code
    if code == NoteCode.COUNTRY_COMPARISON:
        industries = list(note["industries"])
        return (
            f"Länet har färre än {MIN_CONTROLS_PER_INDUSTRY} företag utan stöd i "
            f"{'branscherna' if len(industries) > 1 else 'bransch'} {listed(industries)}, så "
            "jämförelseföretagen hämtas från hela landet."
        )
    if code == NoteCode.NO_COMPARISON_FIRMS:
        industries = list(note["industries"])
        return (
            f"{counted(note['n'], 'stött företag', 'stödda företag')} i "
            f"{'branscherna' if len(industries) > 1 else 'bransch'} {listed(industries)} saknar "
            "jämförelseföretag i samma bransch och ingår inte i skattningen."
        )
    if code == NoteCode.TOO_FEW_TREATED:
        return (
            f"{region_name} har bara {counted(note['n'], 'stött företag', 'stödda företag')} i "
            f"panelen, för få för att skatta en effekt (det behövs minst {MIN_TREATED}). "
            "Rapporten visar måluppfyllelsen och länets utveckling."
        )
    if code == NoteCode.FEW_TREATED:
        return (
            f"{region_name} har bara {counted(note['n'], 'stött företag', 'stödda företag')}. "
            "Skattningarna blir osäkra och kan påverkas mycket av enskilda företag."
        )
    if code == NoteCode.ESTIMATION_FAILED:
        method = note["method"]
        if method == "syntetisk":
            name = KEY_INDICATORS.get(note["indicator"], note["indicator"])
            return f"Den syntetiska jämförelseregionen för {name.lower()} gick inte att bygga."
        text = f"{_FAILED[method]}."
    else:
        text = _estimator_warning(note)
    outcome = note.get("outcome")
    if outcome in OUTCOMES:
        return f"{outcome_title(outcome)}: {text[0].lower()}{text[1:]}"
    indicator = note.get("indicator")
    if indicator:
        return f"{KEY_INDICATORS.get(indicator, indicator)}: {text[0].lower()}{text[1:]}"
    return text


def _estimator_warning(note: Note) -> str:
    """An estimator's warning (a WarningCode) in the words of the report: the units are firms
    (or län, for the synthetic comparison), the periods years."""
    code, n = note.code, note.get("n")
    if code == WarningCode.FEW_CLUSTERS:
        return (
            f"Skattningen bygger på bara {counted(n, 'företag', 'företag')}. Med färre än "
            f"{note['limit']} blir standardfelen osäkra och intervallen kan bli för smala."
        )
    if code == WarningCode.FEW_TREATED:
        what = (
            counted(
                n,
                "observation (företag och år) med stöd",
                "observationer (företag och år) med stöd",
            )
            if note.get("unit") == "observationer"
            else counted(n, "stött företag", "stödda företag")
        )
        few = "observationer" if note.get("unit") == "observationer" else "företag"
        return f"Bara {what}: skattningen vilar på få {few} och är osäker."
    if code == WarningCode.FEW_TREATED_UNITS:
        return (
            f"Bara {counted(n, 'stött företag', 'stödda företag')}: skattningen vilar på få "
            "företag och är osäker."
        )
    if code == WarningCode.SMALL_GROUP:
        return (
            f"Bara {counted(n, 'företag', 'företag')} i den minsta gruppen: vikterna och "
            "effekten är osäkra."
        )
    if code == WarningCode.EXTREME_PROPENSITY:
        limit = float(note["limit"])
        return (
            f"{counted(n, 'företag', 'företag')} har en skattad sannolikhet att få stöd under "
            f"{fmt_percent(limit)} eller över {fmt_percent(1 - limit)}. Det finns då få "
            "jämförbara företag, och enskilda företag kan få mycket stor vikt."
        )
    if code == WarningCode.UNBALANCED_PANEL:
        return (
            f"{fmt_number(n)} av {counted(note['total'], 'företag', 'företag')} finns inte med "
            f"alla {fmt_number(note['periods'])} år och togs bort (skattningen kräver att varje "
            "företag finns med alla år)."
        )
    if code == WarningCode.TREATED_FROM_START:
        return (
            f"{counted(n, 'företag', 'företag')} hade stöd redan första året "
            f"({int(note['period'])}) och togs bort: det finns inget år före stödet att jämföra "
            "med."
        )
    if code == WarningCode.POOR_PRE_FIT:
        return (
            f"Den syntetiska jämförelseregionen följde länet dåligt före {SYNTH_START}, så "
            "skillnaden efteråt säger inget om länets utveckling."
        )
    if code == WarningCode.FEW_PLACEBO_UNITS:
        return (
            f"Placebotestet bygger på bara {counted(n, 'län', 'län')}, så den minsta möjliga "
            f"andelen är 1 av {fmt_number(n)} ({fmt_percent(1 / n)})."
        )
    return (
        f"Färre än {_NUMBER_WORDS.get(note['limit'], note['limit'])} observationer före eller "
        "efter interventionen: skattningen är osäker."
    )


def _indicator_decimals(level: float) -> int:
    return 0 if abs(level) >= 100 else 2


def synthetic_summary(comparison) -> dict:
    """The numbers the report says about one synthetic comparison: the mean gap from
    SYNTH_START (region minus synthetic), the typical deviation before it (RMSPE), the
    region's mean level before it, whether the comparison can be read (``fit``, see
    :func:`~utvardering.effects.design.synthetic_fit`), and the placebo share as a count of
    län."""
    res = comparison.result
    data = comparison.data
    before = data.loc[data["ar"] < SYNTH_START, "lan"]
    level = float(before.mean()) if len(before) else float("nan")
    fit = synthetic_fit(float(res.att), float(res.pre_rmspe), level)
    if any(getattr(w, "code", None) == WarningCode.POOR_PRE_FIT for w in comparison.notes):
        fit = "dalig_anpassning"
    n_units = len(res.placebo_ratios) if res.placebo_ratios is not None else 0
    p = res.placebo_p_value
    at_least = round(p * n_units) if p is not None and not math.isnan(p) and n_units else None
    return {
        "gap": float(res.att),
        "pre_rmspe": float(res.pre_rmspe),
        "level": level,
        "fit": fit,
        "n_units": n_units,
        "at_least": at_least,
        "p": p,
    }


def text_synthetic_indicator(comparison, region_name: str) -> str:
    """One key indicator against its synthetic comparison region: the gap with direction and
    unit, the fit before the start, whether the comparison can be read, the placebo test."""
    region = escape_md(region_name)
    facts = synthetic_summary(comparison)
    unit = KEY_INDICATOR_UNITS.get(comparison.indicator, "")
    decimals = _indicator_decimals(facts["level"])
    gap, rmspe = facts["gap"], facts["pre_rmspe"]
    shown_gap = fmt_number(abs(gap), decimals)
    if fmt_number(gap, decimals) in (fmt_number(0.0, decimals), "−" + fmt_number(0.0, decimals)):
        where = "i genomsnitt lika högt som i den syntetiska jämförelseregionen"
    else:
        direction = "högre" if gap > 0 else "lägre"
        where = (
            f"i genomsnitt {shown_gap} {unit} {direction} än i den syntetiska jämförelseregionen"
        )
    name = escape_md(comparison.name)
    text = (
        f"- **{name}:** Från {SYNTH_START} var värdet i {region} {where}. Före {SYNTH_START} "
        f"var den typiska avvikelsen mellan dem {fmt_number(rmspe, decimals)} {unit} (roten "
        "ur medelvärdet av de kvadrerade årliga skillnaderna), ett mått på hur väl "
        "jämförelseregionen följde länet."
    )
    if facts["fit"] == "dalig_anpassning":
        share = rmspe / abs(facts["level"]) if facts["level"] else float("nan")
        text += (
            f" Jämförelseregionen följde inte länet före {SYNTH_START} (avvikelsen var "
            f"{fmt_percent(share, 1)} av länets nivå; gränsen är "
            f"{fmt_percent(SYNTH_FIT_LEVEL_SHARE)}). **Jämförelsen säger inget om** hur "
            f"{lower_first(name)} har utvecklats i länet."
        )
    elif facts["fit"] == "liten_skillnad":
        text += (
            f" Skillnaden efter {SYNTH_START} är inte ens {_ratio_words()} så stor som "
            "avvikelsen före. **Jämförelsen säger inget om** huruvida "
            f"{lower_first(name)} har utvecklats annorlunda i länet."
        )
    else:
        text += (
            f" Skillnaden efter {SYNTH_START} är mer än {_ratio_words()} så stor som "
            "avvikelsen före, så länet har utvecklats annorlunda än jämförelseregionen; det är "
            "en skillnad, inte projektens effekt."
        )
    if facts["at_least"] is not None:
        text += (
            f" Placebotest: samma jämförelse görs för vart och ett av de {facts['n_units']} "
            f"länen. I {fmt_number(facts['at_least'])} av dem ({fmt_percent(facts['p'])}, "
            f"{region} inräknat) är avvikelsen efter {SYNTH_START}, i förhållande till "
            f"avvikelsen före, minst lika stor som i {region}. Ju större andelen är, desto "
            "vanligare är en sådan avvikelse också i andra län."
        )
    return text


def _ratio_words() -> str:
    ratio = SYNTH_FIT_GAP_RATIO
    words = {2.0: "dubbelt", 3.0: "tre gånger"}
    return words.get(ratio, f"{fmt_number(ratio, 1)} gånger")


def text_synthetic(report) -> str:
    """The synthetic comparison region in words, clearly descriptive, with the rule that
    decides when it can be read."""
    if not report.synthetic:
        return "Det gick inte att bygga någon syntetisk jämförelseregion för länet."
    region = escape_md(report.region_name)
    lines = [
        f"Hur har {region} utvecklats jämfört med en **syntetisk jämförelseregion**? Den är ett "
        f"vägt genomsnitt av andra län som följde {region} så nära som möjligt före "
        f"{SYNTH_START}, då programperioden för Regionala utvecklingsfonden började. "
        "**Jämförelsen är beskrivande** (evidensgrad C): många saker utöver projekten "
        f"påverkar ett läns utveckling, så skillnaden efter {SYNTH_START} är inte projektens "
        "effekt.",
        "",
        "Jämförelsen går bara att läsa om jämförelseregionen följde länet väl före "
        f"{SYNTH_START}. Regeln här: den typiska avvikelsen före {SYNTH_START} får vara högst "
        f"{fmt_percent(SYNTH_FIT_LEVEL_SHARE)} av länets nivå, och skillnaden efter "
        f"{SYNTH_START} ska vara minst {_ratio_words()} så stor som den.",
        "",
    ]
    lines += [text_synthetic_indicator(s, report.region_name) for s in report.synthetic]
    return "\n".join(lines)


def text_caveats(report) -> str:
    """The caveats that matter and the warnings of the analysis."""
    lines = ["**Att tänka på**", ""]
    if report.simulated_panel:
        lines.append(
            "- Företagspanelen är **simulerad** med en inplanterad effekt "
            f"({_planted_effects()} per stött företag efter "
            f"{_NUMBER_WORDS.get(RAMP_YEARS, RAMP_YEARS)} år). Resultaten visar att metoden "
            "hittar effekten, inte vad de verkliga projekten gett."
        )
    lines += [
        "- **Urvalet till stöd** är inte slumpmässigt: större företag i växande branscher får "
        "oftare stöd. Jämförelsen tar hänsyn till det som går att mäta (storlek och bransch); "
        "skillnader som inte syns i data kan ändå påverka resultatet.",
        "- Osäkerheten räknas med hänsyn till att samma företag följs flera år. Med få "
        "stödda företag blir intervallen breda och enstaka företag kan avgöra resultatet.",
        "- Effekten gäller stödda företag i genomsnitt, inte varje projekt och inte länets "
        "hela ekonomi.",
    ]
    warnings = warning_texts(report)
    if warnings:
        lines += ["", "**Varningar från analysen**", ""]
        lines += [f"- {escape_md(w)}" for w in warnings]
    return "\n".join(lines)


def warning_texts(report) -> list[str]:
    """The report's warnings as sentences, each once: a warning that several outcomes share
    names them all ("Antal anställda och omsättning (tkr): …", "Alla utfall: …")."""
    grouped: dict[str, list[str]] = {}
    for note in report.notes:
        outcome = note.get("outcome")
        if outcome in OUTCOMES:
            plain = Note(note.code, tuple(kv for kv in note.values if kv[0] != "outcome"))
            text = note_text(plain, report.region_name)
        else:
            text, outcome = note_text(note, report.region_name), None
        outcomes = grouped.setdefault(text, [])
        if outcome is not None and outcome not in outcomes:
            outcomes.append(outcome)
    out = []
    for text, outcomes in grouped.items():
        if not outcomes:
            out.append(text)
            continue
        if len(outcomes) == len(report.outcomes) > 1:
            lead = "Alla utfall"
        else:
            titles = [outcome_title(o) for o in outcomes]
            lead = listed([titles[0], *[lower_first(t) for t in titles[1:]]])
        out.append(f"{lead}: {text[0].lower()}{text[1:]}")
    return out


def _planted_effects() -> str:
    """The planted full effect per outcome, e.g. "0,8 anställda, 120 tkr omsättning och …"."""
    parts = []
    for outcome, size in PLANTED_EFFECT.items():
        name, unit = OUTCOMES[outcome]
        shown = fmt_number(size, 0 if float(size).is_integer() else 1)
        parts.append(f"{shown} {unit}" if unit in name else f"{shown} {unit} {name}")
    return listed(parts)


# The sections (avdelningar) of the Swedish industrial classification SNI 2007, by letter.
SNI_SECTIONS: dict[str, str] = {
    "A": "Jordbruk, skogsbruk och fiske",
    "B": "Utvinning av mineral",
    "C": "Tillverkning",
    "D": "Försörjning av el, gas, värme och kyla",
    "E": "Vattenförsörjning; avloppsrening, avfallshantering och sanering",
    "F": "Byggverksamhet",
    "G": "Handel; reparation av motorfordon och motorcyklar",
    "H": "Transport och magasinering",
    "I": "Hotell- och restaurangverksamhet",
    "J": "Informations- och kommunikationsverksamhet",
    "K": "Finans- och försäkringsverksamhet",
    "L": "Fastighetsverksamhet",
    "M": "Verksamhet inom juridik, ekonomi, vetenskap och teknik",
    "N": "Uthyrning, fastighetsservice, resetjänster och andra stödtjänster",
    "O": "Offentlig förvaltning och försvar; obligatorisk socialförsäkring",
    "P": "Utbildning",
    "Q": "Vård och omsorg; sociala tjänster",
    "R": "Kultur, nöje och fritid",
    "S": "Annan serviceverksamhet",
    "T": "Förvärvsarbete i hushåll; hushållens produktion för eget bruk",
    "U": "Verksamhet vid internationella organisationer, utländska ambassader o.d.",
}


def industry_label(code: object) -> str:
    """An SNI section as readers know it: "C Tillverkning" (a code not in the list as it is)."""
    text = str(code).strip()
    name = SNI_SECTIONS.get(text.upper())
    return f"{text.upper()} {name}" if name else text


def table_industries(report) -> pd.DataFrame:
    """Supported and comparison firms per industry (SNI section, by letter and name)."""
    table = report.supported_by_industry
    return pd.DataFrame(
        {
            "Bransch (SNI 2007)": table["sni"].map(industry_label),
            "Stödda företag": table["stodda"].map(fmt_number),
            "Jämförelseföretag": table["jamforelse"].map(fmt_number),
        }
    )
