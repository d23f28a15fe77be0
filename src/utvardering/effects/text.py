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
    KEY_INDICATORS,
    MIN_CONTROLS_PER_INDUSTRY,
    OUTCOMES,
    SYNTH_START,
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
from utvardering.effects.figures import variable_label
from utvardering.effects.notes import Note, NoteCode
from utvardering.effects.results import WarningCode
from utvardering.exempeldata.foretagspanel import PLANTED_EFFECT, RAMP_YEARS
from utvardering.format import escape_md, fmt_number, fmt_percent, listed
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES

__all__ = [
    "CRITERION_NAMES",
    "GRADE_LABELS",
    "METHOD_NAMES",
    "criterion_text",
    "evidence_rubric",
    "justification",
    "note_text",
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

GRADE_LABELS: dict[str, str] = {
    "A": "A – starkt underlag",
    "B": "B – måttligt underlag",
    "C": "C – svagt underlag",
}
# The estimates of the report by method code, as the report names them.
METHOD_NAMES: dict[str, str] = {
    "staggered_did": "Skillnad-i-skillnader, förskjuten start, inom bransch (huvudskattning)",
    "ipw": "Viktning på storlek och bransch (IPW), förändring sedan första åren",
    "twfe_naiv": "Naiv tvåvägs fixa effekter (utan hänsyn till bransch)",
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
    "(skillnad-i-skillnader med förskjuten start)",
    "medel": "jämförelse som bara justerar för det vi kan mäta före stödet (storlek och bransch)",
    "svag": "enkel jämförelse som inte hanterar urvalet till stöd",
}
# Methods whose own description replaces their design's in the justification.
_METHOD_TEXT = {
    "twfe_naiv": "naiv regression med fixa effekter för företag och år, utan hänsyn till "
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


def text_intro(report) -> str:
    """The opening: what the report answers and how much to trust it."""
    name, unit = OUTCOMES[report.outcome]
    return (
        f"# Effektanalys: {escape_md(report.region_name)}\n\n"
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


def text_attainment(attainment: GoalAttainment, region_name: str) -> str:
    """Goal attainment in words: projects, final reports, targets reached per stage."""
    table = attainment.per_stage
    if attainment.n_projects == 0:
        return f"{escape_md(region_name)} har inga projekt med rapporterade indikatorer."
    lines = [
        f"{escape_md(region_name)} har {attainment.n_projects} projekt med indikatorer, varav "
        f"{attainment.n_finished} har lämnat slutrapport. Bara slutrapporternas utfall räknas "
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
            f"- **{label}:** {reached} av {judged} bedömningar ({fmt_percent(reached / judged)}) "
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
    table = attainment.per_stage[attainment.per_stage["n_projekt"] > 0]
    return pd.DataFrame(
        {
            "Effektkedja": table["effektkedja"].map(CHAIN_NAMES),
            "Steg": table["steg"].map(INDICATOR_STAGES),
            "Projekt": table["n_projekt"],
            "Med slutligt utfall": table["n_med_utfall"],
            "Når alla mål": table["n_nar_malen"],
            "Andel som når målen": table["andel_nar_malen"].map(fmt_percent),
            "Måluppfyllelse, median": table["median_maluppfyllelse"].map(fmt_percent),
            "Utfall saknas": table["n_utfall_saknas"],
            "Pågående": table["n_pagaende"],
        }
    ).reset_index(drop=True)


def text_balance(report) -> str:
    """Who is compared with whom, why, and how alike the groups are."""
    region = escape_md(report.region_name)
    where = f"i {region}" if report.comparison == "lan" else "i hela landet (med samma bransch)"
    text = (
        f"Analysen jämför **{fmt_number(report.n_supported)} stödda företag** i {region} med "
        f"**{fmt_number(report.n_comparison)} företag som aldrig fått stöd** {where}. "
    )
    if report.comparison == "lan":
        text += (
            "Jämförelseföretagen finns i samma län, så händelser som rör hela länet påverkar "
            "båda grupperna lika. "
        )
    else:
        why = (
            "eftersom länet har för få företag utan stöd i någon av de stödda företagens "
            f"branscher (färre än {MIN_CONTROLS_PER_INDUSTRY})"
            if report.comparison_requested == "auto"
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
    if report.balance is not None and len(report.balance):
        before = float(report.balance["smd_fore"].abs().max())
        after = float(report.balance["smd_efter"].abs().max())
        text += (
            f"\n\nTabellen och figuren visar hur lika grupperna är före stödet. Den största "
            f"standardiserade skillnaden är {fmt_number(before, 2)} före viktning och "
            f"{fmt_number(after, 2)} efter viktning (under "
            f"{fmt_number(BALANCE_LIMITS[0], 1)} räknas som lika)."
        )
    return text


def table_balance(report) -> pd.DataFrame:
    """The balance table with Swedish labels."""
    if report.balance is None:
        return pd.DataFrame(columns=["Kännetecken", "Skillnad före viktning", "Efter viktning"])
    table = report.balance
    return pd.DataFrame(
        {
            "Kännetecken": table["variabel"].map(variable_label),
            "Skillnad före viktning": table["smd_fore"].map(lambda v: fmt_number(v, 2)),
            "Efter viktning": table["smd_efter"].map(lambda v: fmt_number(v, 2)),
        }
    )


def text_event_study(report) -> str:
    """The event study and the pre-trend test in words."""
    if report.event_study is None:
        return "Händelsestudien kunde inte skattas för det här länet."
    text = (
        "Figuren visar effekten år för år, räknat från det första stödåret. Åren före stödet "
        "är en kontroll: om de stödda och jämförelseföretagen utvecklades lika innan stödet "
        "ska punkterna ligga kring noll. "
    )
    p = report.pretrend_p
    if p is None:
        text += "Det gick inte att testa åren före stödet."
    elif p >= PRETREND_LIMITS[0]:
        text += (
            f"Testet av åren före stödet ger p = {fmt_number(p, 2)}: inga tydliga skillnader, "
            "vilket talar för jämförelsen."
        )
    else:
        text += (
            f"Testet av åren före stödet ger p = {fmt_number(p, 2)}: grupperna utvecklades olika "
            "redan före stödet, så effekten ska tolkas med försiktighet."
        )
    if report.n_supported < FEW_TREATED:
        text += (
            " Med så få stödda företag bygger varje punkt på ett fåtal företag, och både "
            "intervallen och testet blir opålitliga (osäkerheten underskattas lätt)."
        )
    return text


def text_effect(report) -> str:
    """The main effect with its interval and grade, next to the naive comparisons."""
    name, unit = OUTCOMES[report.outcome]
    region = escape_md(report.region_name)
    if report.too_few_supported:
        return (
            f"**{region} har för få stödda företag ({report.n_supported}) för att skatta en "
            "effekt.** "
            "Rapporten visar därför bara måluppfyllelsen och länets utveckling."
        )
    main = report.main_estimate
    if main is None:
        return "Huvudskattningen kunde inte göras; se varningarna nedan."
    est = main.result
    low, high = est.conf_int
    text = (
        f"Enligt huvudskattningen ökade stödet {name} med **{_num(est.estimate, unit)} {unit} "
        f"per stött företag** i genomsnitt över åren efter stödet (95 % osäkerhetsintervall "
        f"{_num(low, unit)} till {_num(high, unit)}). Evidensgrad: "
        f"**{GRADE_LABELS[main.evidence.grade]}**."
    )
    if low > 0 or high < 0:
        text += " Intervallet innehåller inte noll."
    else:
        text += " Intervallet innehåller noll: effekten kan inte skiljas från ingen effekt."
    naive = {e.method: e for e in report.estimates}
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
            f"\n\nSom jämförelse: {listed(parts)} {unit}. De enkla metoderna blandar ihop "
            "stödets effekt med att stödet går till företag som ändå skulle ha vuxit, och med "
            "det som händer alla företag samma år."
        )
    return text


def table_estimates(report) -> pd.DataFrame:
    """All estimates with interval, sample and evidence grade (Swedish labels)."""
    _, unit = OUTCOMES[report.outcome]
    rows = []
    for item in report.estimates:
        est = item.result
        low, high = (_num(v, unit) for v in est.conf_int)
        rows.append(
            {
                "Metod": item.name,
                f"Effekt ({unit})": _num(est.estimate, unit),
                "Standardfel": _num(est.std_error, unit),
                "95 % intervall": f"{low} till {high}",
                "Observationer": fmt_number(est.n_obs),
                "Evidensgrad": item.evidence.grade,
            }
        )
    return pd.DataFrame(rows)


def text_evidence(report) -> str:
    """The rubric and each estimate's justification."""
    lines = [f"**Så sätts evidensgraden.** {evidence_rubric()}", ""]
    for item in report.estimates:
        text = justification(item.evidence, item.method)
        lines.append(f"- **{escape_md(item.name)}:** {escape_md(text)}")
    return "\n".join(lines)


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
    return f"skattningen gav {value} varning(ar)"


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
    """One warning of the report (its own, or an estimator's) as a Swedish sentence."""
    code = note.code
    if code == NoteCode.COUNTRY_COMPARISON:
        return (
            f"Länet har färre än {MIN_CONTROLS_PER_INDUSTRY} företag utan stöd i "
            f"bransch {listed(list(note['industries']))}, så jämförelseföretagen hämtas från "
            "hela landet."
        )
    if code == NoteCode.NO_COMPARISON_FIRMS:
        return (
            f"{note['n']} stödda företag i bransch {listed(list(note['industries']))} saknar "
            "jämförelseföretag i samma bransch och är inte med i skattningen."
        )
    if code == NoteCode.TOO_FEW_TREATED:
        return (
            f"{region_name} har bara {note['n']} stödda företag i panelen, för få för att skatta "
            "en effekt. Rapporten visar måluppfyllelsen och länets utveckling."
        )
    if code == NoteCode.FEW_TREATED:
        return (
            f"{region_name} har bara {note['n']} stödda företag. Skattningarna blir osäkra "
            "och kan påverkas mycket av enskilda företag."
        )
    if code == NoteCode.ESTIMATION_FAILED:
        method, reason = note["method"], note["reason"]
        if method == "syntetisk":
            name = KEY_INDICATORS.get(note["indicator"], note["indicator"])
            return f"Den syntetiska jämförelseregionen för {name} gick inte att bygga: {reason}"
        return f"{_FAILED[method]}: {reason}"
    text = _estimator_warning(note)
    indicator = note.get("indicator")
    return f"{KEY_INDICATORS.get(indicator, indicator)}: {text}" if indicator else text


def _estimator_warning(note: Note) -> str:
    """An estimator's warning (a WarningCode) in the words the report uses."""
    code, n = note.code, note.get("n")
    if code == WarningCode.FEW_CLUSTERS:
        return (
            f"Endast {n} kluster i '{note['column']}': klusterrobusta standardfel är "
            f"osäkra med färre än {note['limit']} kluster och intervallen kan bli för smala."
        )
    if code == WarningCode.FEW_TREATED:
        column = note.get("column")
        what = note["unit"] if column is None else f"{note['unit']} ('{column}')"
        return f"Endast {n} behandlade {what}: skattningen vilar på få observationer och är osäker."
    if code == WarningCode.FEW_TREATED_UNITS:
        return f"Endast {n} behandlade enheter: skattningen vilar på få enheter och är osäker."
    if code == WarningCode.SMALL_GROUP:
        return f"Endast {n} observationer i den minsta gruppen: vikterna och effekten är osäkra."
    if code == WarningCode.EXTREME_PROPENSITY:
        limit = note["limit"]
        return (
            f"{n} observationer har propensitet under {limit:g} eller över {1 - limit:g}: "
            "svag överlappning, vikterna kan bli extrema."
        )
    if code == WarningCode.UNBALANCED_PANEL:
        return (
            f"{n} av {note['total']} enheter finns inte med alla {note['periods']} perioder och "
            "togs bort (skattningen kräver en balanserad panel)."
        )
    if code == WarningCode.TREATED_FROM_START:
        return (
            f"{n} enheter var behandlade redan första perioden ({note['period']:g}) och togs "
            "bort: de saknar en period före behandlingen."
        )
    if code == WarningCode.POOR_PRE_FIT:
        return (
            "Den syntetiska kontrollen följer den behandlade enheten dåligt före behandlingen "
            f"(RMSPE {note['rmspe']:.3g}); skillnaden efteråt är svår att tolka."
        )
    if code == WarningCode.FEW_PLACEBO_UNITS:
        return f"Endast {n} enheter i placebotestet: det minsta möjliga p-värdet är {1 / n:.2f}."
    return (
        f"Färre än {_NUMBER_WORDS.get(note['limit'], note['limit'])} observationer före eller "
        "efter interventionen: skattningen är osäker."
    )


def text_synthetic(report) -> str:
    """The synthetic comparison region in words, clearly descriptive."""
    if not report.synthetic:
        return "Det gick inte att bygga någon syntetisk jämförelseregion för länet."
    region = escape_md(report.region_name)
    lines = [
        f"Hur har {region} utvecklats jämfört med en **syntetisk jämförelseregion**: ett vägt "
        f"genomsnitt av andra län som följde {region} så nära som möjligt före {SYNTH_START}, då "
        "programperioden för Regionala utvecklingsfonden började? **Jämförelsen är "
        "beskrivande** (evidensgrad C): många saker utöver projekten påverkar ett läns "
        "utveckling, så skillnaden efter 2014 är inte projektens effekt.",
        "",
    ]
    for s in report.synthetic:
        res = s.result
        decimals = 0 if abs(float(s.data["lan"].mean())) >= 100 else 1
        p = res.placebo_p_value
        shown_p = fmt_number(p, 2) if p is not None and not math.isnan(p) else "–"
        lines.append(
            f"- **{escape_md(s.name)}:** från {SYNTH_START} i genomsnitt "
            f"{fmt_number(res.att, decimals)} jämfört med den syntetiska regionen (före "
            f"{SYNTH_START} var avvikelsen i "
            f"genomsnitt {fmt_number(res.pre_rmspe, decimals)}). Andelen län med minst lika stor "
            f"avvikelse efter {SYNTH_START} i förhållande till före: {shown_p}."
        )
    return "\n".join(lines)


def text_caveats(report) -> str:
    """The caveats that matter and the warnings of the estimators."""
    lines = [
        "**Att tänka på**",
        "",
        "- Företagspanelen är **simulerad** med en inplanterad effekt "
        f"({_planted_effects()} per stött företag efter "
        f"{_NUMBER_WORDS.get(RAMP_YEARS, RAMP_YEARS)} år). Resultaten visar att metoden hittar "
        "effekten, inte vad de verkliga projekten gett.",
        "- **Urvalet till stöd** är inte slumpmässigt: större företag i växande branscher får "
        "oftare stöd. Jämförelsen tar hänsyn till det som går att mäta (storlek och bransch); "
        "skillnader som inte syns i data kan ändå påverka resultatet.",
        "- Osäkerheten räknas med hänsyn till att samma företag följs flera år. Med få "
        "stödda företag blir intervallen breda och enstaka företag kan avgöra resultatet.",
        "- Effekten gäller stödda företag i genomsnitt, inte varje projekt, och inte länets "
        "hela ekonomi.",
    ]
    if report.notes:
        lines += ["", "**Varningar från analysen**", ""]
        lines += [f"- {escape_md(note_text(w, report.region_name))}" for w in report.notes]
    return "\n".join(lines)


def _planted_effects() -> str:
    """The planted full effect per outcome, e.g. "0,8 anställda, 120 tkr omsättning och …"."""
    parts = []
    for outcome, size in PLANTED_EFFECT.items():
        name, unit = OUTCOMES[outcome]
        shown = fmt_number(size, 0 if float(size).is_integer() else 1)
        parts.append(f"{shown} {unit}" if unit in name else f"{shown} {unit} {name}")
    return listed(parts)


def table_industries(report) -> pd.DataFrame:
    """Supported and comparison firms per industry (SNI section)."""
    table = report.supported_by_industry
    return pd.DataFrame(
        {
            "Bransch (SNI)": table["sni"],
            "Stödda företag": table["stodda"],
            "Jämförelseföretag": table["jamforelse"],
        }
    )
