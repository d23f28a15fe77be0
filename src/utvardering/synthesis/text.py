"""The synthesis' Swedish text: what the numbers say, section by section, and their limits.

Every ``text_*`` function takes the computed
:class:`~utvardering.synthesis.parts.SynthesisParts` and returns the Markdown body of one
section or part of one (the report's ``SECTIONS`` hold the headings). The labels of the
coverage codes, the notes on files left out and the reasons for a missing estimate are written
here too. Names of län come from the data folder and are escaped. Words for the size of a
difference ("stor", "måttlig", "liten") follow the rules of :mod:`~utvardering.synthesis.spread`
and the text says the rule.
"""

from __future__ import annotations

from utvardering.effects.design import OUTCOMES
from utvardering.format import counted, escape_md, fmt_kr, fmt_number, fmt_percent, listed
from utvardering.funding import funding_label
from utvardering.goals.analysis import STATUS_LABELS as GOAL_STATUS_LABELS
from utvardering.goals.text import STATUS_PHRASES
from utvardering.origin import notice_line
from utvardering.synthesis import spread as rule
from utvardering.synthesis.collect import REPORTS, Inclusion, Mismatch
from utvardering.synthesis.effects import NoEstimate, OutcomeEffects
from utvardering.synthesis.goals import MISSING, STATUSES
from utvardering.synthesis.maturity import LOW_LEVEL, MaturitySynthesis, widest_spread
from utvardering.synthesis.parts import SynthesisParts
from utvardering.synthesis.portfolio import CONCENTRATION_RATIO
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES, LAN_CODES

__all__ = [
    "GOAL_STATUS_LABELS",
    "INCLUSION_LABELS",
    "SPREAD_WORDS",
    "mismatch_notes",
    "no_estimate_reason",
    "outcome_label",
    "text_attainment",
    "text_conclusions",
    "text_coverage",
    "text_development",
    "text_effects",
    "text_goals",
    "text_intro",
    "text_maturity",
    "text_outcome",
    "text_portfolio",
]

# A region's status for one report, as the synthesis sees it, in Swedish.
INCLUSION_LABELS: dict[str, str] = {
    Inclusion.INCLUDED: "med",
    Inclusion.FAILED: "misslyckades",
    Inclusion.NOT_RUN: "inte körd",
    Inclusion.NO_FILE: "resultatfil saknas eller är trasig",
    Inclusion.OTHER_PARAMETERS: "körd med andra parametrar",
}
# The size of a spread between the regions (synthesis.spread), in Swedish.
SPREAD_WORDS: dict[str, str] = {
    rule.Spread.LARGE: "stor",
    rule.Spread.MODERATE: "måttlig",
    rule.Spread.SMALL: "liten",
}
# What a mismatched parameter is called in a note.
_MISMATCH_WORDS = {
    "omgang": "omgång",
    "utfall": "utfallen",
    "period": "perioden",
    "finansiering": "finansieringskällan",
}
# With at most this many län in a report, the text names them (otherwise the missing ones).
_LIST_INCLUDED = 10


def _named(s: SynthesisParts, codes) -> list[str]:
    return [escape_md(s.names.get(c, c)) for c in codes]


def _dim(names: dict[str, str], dimension: str) -> str:
    """A dimension's name from the maturity model, in lower case, escaped for Markdown."""
    return escape_md(names.get(dimension, dimension).lower())


def _n(value: float, decimals: int = 1) -> str:
    return fmt_number(value, decimals)


def _places(unit: str) -> int:
    """Decimals of an effect in ``unit``: whole tkr, two decimals of an employee."""
    return 0 if unit == "tkr" else 2


def _plain(value: float) -> str:
    """A threshold as written in a rule: "2", "1,25"."""
    return fmt_number(value, 0) if float(value).is_integer() else fmt_number(value, 2)


def _signed(value: float, decimals: int = 2) -> str:
    """A change with its sign: "+0,42", "−0,10", "0,00"."""
    text = fmt_number(value, decimals)
    return f"+{text}" if round(value, decimals) > 0 else text


def _changed(levels: float) -> str:
    """ "ökat med 0,37 nivåer", "minskat med 0,10 nivåer" or "är i stort sett oförändrat"."""
    if round(levels, 2) == 0:
        return "i stort sett inte ändrats"
    verb = "ökat" if levels > 0 else "minskat"
    return f"{verb} med {_n(abs(levels), 2)} nivåer"


def _steps(rose: int, fell: int) -> str:
    """How many län went up or down a step, without "0 län"."""
    if not rose and not fell:
        return "Inget län har bytt trappstegsnivå."
    parts = []
    if rose:
        parts.append(f"{rose} län har gått upp en trappstegsnivå")
    if fell:
        parts.append(f"{fell} län har gått ned en")
    else:
        parts.append("inget har gått ned")
    return f"{parts[0]}, {parts[1]}." if len(parts) == 2 else f"{parts[0]}."


def outcome_label(outcome: str) -> str:
    """An outcome's Swedish name, e.g. "antal anställda" (the id itself if unknown)."""
    return OUTCOMES[outcome][0] if outcome in OUTCOMES else outcome


def _heterogeneity(i2: float) -> str:
    """Higgins et al. (2003): low, moderate, substantial, considerable heterogeneity."""
    if i2 < 0.25:
        return "liten"
    if i2 < 0.5:
        return "måttlig"
    if i2 < 0.75:
        return "betydande"
    return "mycket stor"


def _lower_first(text: str) -> str:
    """The first letter in lower case, unless the first word is an abbreviation ("RUS")."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() and len(first) > 1 else text[:1].lower() + text[1:]


def _period(period) -> str:
    return f"{period[0]}–{period[1]}"


def text_intro(s: SynthesisParts) -> str:
    """The title and what the synthesis is built from."""
    period = s.portfolio.period if s.portfolio is not None else None
    outcomes = listed([outcome_label(o) for o in s.outcomes])
    scope = [f"mognadsenkätens omgång {s.round}", f"stödets effekter på {outcomes}"]
    if period:
        scope.append(f"projekt som startade {_period(period)}")
    if s.funding != "alla":
        scope.append(f"bara projekt med stöd ur {funding_label(s.funding)}")
    parts = [
        "# Nationell syntes",
        "",
        "Landets bild av uppföljningen av det regionala utvecklingsarbetet, med varje län "
        "synligt i den. Syntesen läser länsrapporternas resultatfiler "
        f"({listed([_lower_first(k.title) for k in REPORTS.values()])}) från samma körning "
        "och räknar inte om något som länsrapporterna redan har räknat. Bara regionala "
        "indikatorer, befolkning, länskartan, projekttabellens totalsummor (som kontroll) och "
        "indikatorernas namn hämtas från indata.",
        "",
        f"Syntesen gäller {listed(scope)}.",
    ]
    return "\n".join(parts)


def text_coverage(s: SynthesisParts) -> str:
    """Section 1: which regions are in, which failed or are missing, and what that means."""
    c = s.coverage
    lines: list[str] = []
    if s.run.updated is None:
        lines += [
            "Körningens statusfil saknas, så täckningen bygger på det som varje länsjobb "
            "skrev i utdatamappen.",
            "",
        ]
    if c.complete:
        lines.append(
            f"Alla {len(LAN_CODES)} län är med i alla länsrapporterna, så rikets siffror nedan "
            "gäller hela landet."
        )
    else:
        for report, kind in REPORTS.items():
            inside = c.included[report]
            gone = c.excluded[report]
            text = f"- **{kind.title}**: {len(inside)} av {len(LAN_CODES)} län är med"
            if 0 < len(inside) <= _LIST_INCLUDED:
                text += f" ({listed(_named(s, inside))})"
            text += "."
            if gone:
                by_reason: dict[str, list[str]] = {}
                for code, state in gone.items():
                    by_reason.setdefault(state, []).append(code)
                reasons = [
                    f"{listed(_named(s, codes))} ({INCLUSION_LABELS[state]})"
                    for state, codes in by_reason.items()
                ]
                text += (
                    f" Saknas: {'; '.join(reasons)}. De län som saknas har "
                    f"{fmt_percent(c.population_missing[report], 1)} av befolkningen."
                )
            lines.append(text)
        lines += ["", "**Vad det betyder för siffrorna.** " + _coverage_consequences(s)]
    partial = _partial_outcomes(s)
    if partial:
        lines += ["", partial]
    for note in mismatch_notes(c.mismatches, s.names):
        lines += ["", f"Obs: {escape_md(note)}"]
    return "\n".join(lines)


def _partial_outcomes(s: SynthesisParts) -> str:
    """Which regions' effect files lack some of the outcomes (they are in for the others)."""
    gone = s.coverage.outcomes_missing
    if not gone:
        return ""
    items = [
        f"{escape_md(s.names.get(code, code))} saknar "
        f"{'utfallet' if len(lack) == 1 else 'utfallen'} "
        f"{listed([outcome_label(o) for o in lack])}"
        for code, lack in gone.items()
    ]
    return (
        f"Effektanalysen: {'; '.join(items)}. Länet är med i sammanvägningen av de utfall som "
        "filen har."
        if len(gone) == 1
        else f"Effektanalysen: {'; '.join(items)}. Länen är med i sammanvägningen av de utfall "
        "som deras filer har."
    )


def _coverage_consequences(s: SynthesisParts) -> str:
    c = s.coverage
    parts = []
    if c.excluded["tema"]:
        money, projects = c.money_missing(), c.projects_missing()
        gone = list(c.excluded["tema"])
        who = listed(_named(s, gone)) if len(gone) <= _LIST_INCLUDED else f"{len(gone)} län"
        text = f"Portföljens summor för riket saknar {who}"
        if money is not None:
            text += (
                f", som enligt projekttabellen har {fmt_percent(money, 1)} av det beviljade "
                f"beloppet ({fmt_kr(c.projects.share(gone) * c.projects.amount_sek)}) "
                f"och {fmt_percent(projects, 1)} av projekten (andelsviktade) i perioden"
            )
        parts.append(text + "; rikets totaler nedan är alltså för låga med just så mycket.")
    if c.excluded["mognad"]:
        parts.append(
            f"Mognadens fördelning, svagaste dimensioner och förändring bygger på "
            f"{len(c.included['mognad'])} län i stället för {len(LAN_CODES)}; de saknade länen "
            "syns som tomma rader i värmekartan och som vita på kartan."
        )
    if c.excluded["effekt"]:
        parts.append(
            f"De sammanvägda effekterna och måluppfyllelsen bygger på "
            f"{len(c.included['effekt'])} län; ett län som saknas kan ha en annan effekt än de "
            "andra, så sammanvägningen gäller bara länen som är med."
        )
    if c.excluded.get("malkedja"):
        parts.append(
            f"Målens status i landet bygger på {len(c.included['malkedja'])} län; de län vars "
            "målkedja saknas syns i tabellen över länens mål och som vita på kartan."
        )
    return " ".join(parts) or "Alla län är med; inget behöver justeras."


def text_maturity(s: SynthesisParts) -> str:
    """Section 2: maturity across the country, its spread, change and weakest dimensions."""
    m = s.maturity
    lines: list[str] = []
    if m is None or m.matrix.empty:
        lines.append("Inget län i syntesen har svar i mognadsenkäten i den här omgången.")
        return "\n".join(lines)
    n = len(m.matrix)
    levels = m.overall["trappstegsniva"].dropna().astype(int).value_counts().sort_index()
    spread = listed(
        [f"{count}{' län' if i == 0 else ''} på nivå {level}"
         for i, (level, count) in enumerate(levels.items())]
    )  # fmt: skip
    names = m.dimension_names
    d = m.distribution
    lines.append(
        f"{n} län har svar i omgång {m.round}. Trappstegsnivån (den nivå som länet når i alla "
        f"dimensioner) fördelar sig så: {spread}. Medianen av länens profilmedel är "
        f"{_n(m.overall['profilmedel'].median())} på skalan 1–5."
    )
    weak = list(m.weakest[:3])
    weak_text = listed(
        [
            f"{_dim(names, w)} (median {_n(d.loc[w, 'median'])}; "
            f"{int(d.loc[w, 'n_lag'])} av {int(d.loc[w, 'n_regioner'])} län under nivå "
            f"{int(LOW_LEVEL)})"
            for w in weak
        ]
    )
    strongest = m.weakest[-1]
    lines += [
        "",
        f"**Svagast i landet** är {weak_text}. Starkast är {_dim(names, strongest)} "
        f"(median {_n(d.loc[strongest, 'median'])}).",
    ]
    lines += ["", _maturity_spread(m)]
    c = m.change
    if m.previous_round is not None and int(c["n_regioner"].max()) > 0:
        up = c.sort_values("medel_forandring", ascending=False)
        o = m.overall.dropna(subset=["trappstegsniva_foregaende"])
        rose = int((o["trappstegsniva"] > o["trappstegsniva_foregaende"]).sum())
        fell = int((o["trappstegsniva"] < o["trappstegsniva_foregaende"]).sum())
        change = (o["profilmedel"] - o["profilmedel_foregaende"]).dropna()
        lines += [
            "",
            f"**Förändring sedan omgång {m.previous_round}** (de {len(change)} län som svarat "
            f"båda gångerna): profilmedlet har {_changed(change.mean())} i genomsnitt. "
            f"{_steps(rose, fell)} Mest framåt har det gått i {_dim(names, up.index[0])} "
            f"({_signed(up['medel_forandring'].iloc[0])} nivåer i genomsnitt), minst i "
            f"{_dim(names, up.index[-1])} ({_signed(up['medel_forandring'].iloc[-1])}).",
        ]
        new = [code for code in m.matrix.index if code not in set(o.index)]
        if new:
            lines.append(
                f"{listed(_named(s, new))} deltog inte i förra omgången och ingår inte i "
                "jämförelsen."
            )
    notes = []
    if m.low_reliability:
        notes.append(
            f"{listed(_named(s, m.low_reliability))} har färre än tre respondenter, så "
            f"{'länets' if len(m.low_reliability) == 1 else 'deras'} nivåer är osäkra."
        )
    if m.no_answers:
        notes.append(f"{listed(_named(s, m.no_answers))} har inga svar i omgången.")
    if notes:
        lines += ["", "Att tänka på: " + " ".join(notes)]
    return "\n".join(lines)


def _maturity_spread(m: MaturitySynthesis) -> str:
    """The spread between the regions in the dimension where it is widest, with its size by
    the rule of :func:`~utvardering.synthesis.spread.level_spread`."""
    d = m.distribution
    wide, distance, size = widest_spread(m)
    names = m.dimension_names
    text = (
        f"**Spridningen** mellan länen är {SPREAD_WORDS[size]}. Störst är den i "
        f"{_dim(names, wide)}, där länens medianer går från {_n(d.loc[wide, 'min'])} till "
        f"{_n(d.loc[wide, 'max'])} ({_n(distance)} nivåer) och mittersta hälften av länen "
        f"ligger mellan {_n(d.loc[wide, 'q1'])} och {_n(d.loc[wide, 'q3'])}. Vi kallar "
        f"spridningen stor när högsta och lägsta län skiljer minst {_plain(rule.LEVELS_LARGE)} "
        f"nivåer, måttlig från {_plain(rule.LEVELS_MODERATE)} "
        f"{'nivå' if rule.LEVELS_MODERATE == 1 else 'nivåer'} och annars liten."
    )
    if size is rule.Spread.LARGE:
        text += " Ett genomsnitt för riket döljer alltså stora skillnader."
    return text


def text_portfolio(s: SynthesisParts) -> str:
    """Section 3: national totals, the check against the projects table, funding sources, per
    inhabitant and concentrated themes."""
    p = s.portfolio
    lines: list[str] = []
    if p is None or p.per_region.empty:
        lines.append("Inget län i syntesen har en tematisk utvärdering.")
        return "\n".join(lines)
    period = f"som startade {_period(p.period)} " if p.period else ""
    lines.append(
        f"Projekten {period}i de {len(p.per_region)} län som är med fick sammanlagt "
        f"{fmt_kr(p.amount_sek)} för {_n(p.projects, 0)} projekt (andelsviktade), "
        f"{fmt_kr(p.sek_per_inhabitant, 0)} per invånare. Varje projekt som täcker flera län är "
        "delat mellan dem efter sin andel, så summan över länen räknar ingen krona två gånger."
    )
    check = s.totals_check
    if check is not None:
        if check.agrees:
            lines.append(
                "Summan stämmer med projekttabellens total för perioden "
                f"({fmt_kr(check.table_total)})."
            )
        elif check.explained:
            lines.append(
                f"Projekttabellens total för perioden är {fmt_kr(check.table_total)}; skillnaden, "
                f"{fmt_kr(check.difference)}, är exakt beloppet i de län som saknas."
            )
        else:
            lines.append(
                f"**Varning:** summan över länen skiljer sig från projekttabellens total "
                f"({fmt_kr(check.table_total)}) med {fmt_kr(check.difference)}, mer än de "
                f"saknade länens belopp ({fmt_kr(check.missing)}). Kontrollera att alla län "
                "kördes med samma indata."
            )
    funding = _funding_text(s)
    if funding:
        lines += ["", funding]
    parts = []
    for dimension, label in (
        ("nationell_prioritering", "den nationella prioriteringen"),
        ("fokusomrade", "fokusområdet"),
        ("effektkedja", "effektkedjan"),
    ):
        table = p.categories[dimension]
        if table.empty or not (table["belopp_sek"] > 0).any():
            continue
        top = table.index[table["belopp_sek"] == table["belopp_sek"].max()]
        names = [CHAIN_NAMES.get(k, k) if dimension == "effektkedja" else k for k in top]
        share = fmt_percent(table.loc[top[0], "andel_belopp"])
        named = listed([escape_md(n) for n in names])
        parts.append(f"{label} {named} ({share}{' var' if len(top) > 1 else ''})")
    if parts:
        lines += ["", f"Störst andel av pengarna går till {listed(parts)}."]
    money = p.per_region["kr_per_invanare"].dropna()
    if len(money) > 1:
        high, low = money.max(), money.min()
        size = rule.ratio_spread(float(high), float(low))
        most = listed(_named(s, money.index[money == high]))
        least = listed(_named(s, money.index[money == low]))
        ratio = f"{_n(high / low)} gånger så mycket" if low > 0 else "mer"
        lines += [
            "",
            f"**Per invånare** får {most} mest ({fmt_kr(high, 0)}) och {least} minst "
            f"({fmt_kr(low, 0)}); länen som är med får tillsammans "
            f"{fmt_kr(p.sek_per_inhabitant, 0)} per invånare. Skillnaden mellan länen är "
            f"{SPREAD_WORDS[size]}: det län som får mest får {ratio} som det som får minst. Vi "
            f"kallar skillnaden stor från {_plain(rule.RATIO_LARGE)} gånger så mycket, måttlig "
            f"från {_plain(rule.RATIO_MODERATE)} gånger och annars liten.",
        ]
    conc = p.concentration
    if not conc.empty:
        hot = conc[conc["koncentrerat"]]
        intro = (
            "**Koncentration.** Pengarna i hela portföljen är lika koncentrerade som om de vore "
            f"jämnt fördelade på {_n(p.effective_regions_all)} län (effektivt antal län, "
            "1 / Herfindahlindex). Ett tema räknas som koncentrerat till få län när dess "
            f"effektiva antal län är mindre än {fmt_percent(CONCENTRATION_RATIO)} av hela "
            "portföljens."
        )
        if hot.empty:
            lines += ["", intro + " Inget tema är koncentrerat till få län."]
        else:
            items = [
                f"{escape_md(t)} ({fmt_percent(row['andel_tre_storsta'])} i "
                f"{escape_md(row['tre_storsta'])})"
                for t, row in hot.iterrows()
            ]
            lines += ["", intro + f" Koncentrerade till få län är {listed(items)}."]
    lines += [
        "",
        "Teman överlappar: ett projekt räknas under vart och ett av sina teman med hela sitt "
        "belopp, så temana summerar till mer än totalen.",
    ]
    return "\n".join(lines)


def _funding_text(s: SynthesisParts) -> str:
    """Money by funding source, and the 1:1 portfolio on its own."""
    p = s.portfolio
    f = p.funding
    if f.empty or not f["belopp_sek"].sum():
        return ""
    words = {
        "ERUF": "projekt som bara finansieras av Regionala utvecklingsfonden (ERUF)",
        "Anslag 1:1": "projekt som bara finansieras av anslag 1:1",
        "ERUF och anslag 1:1": "projekt som finansieras av både ERUF och anslag 1:1",
    }
    items = []
    for source, row in f.iterrows():
        what = words.get(source, f"projekt med finansieringskällan {escape_md(source)}")
        if row["belopp_sek"] > 0:
            items.append(
                f"{fmt_kr(row['belopp_sek'])} ({fmt_percent(row['andel_belopp'])}) till {what}"
            )
        else:
            items.append(f"inget till {what}")
    text = f"**Finansieringskälla.** Av beloppet gick {listed(items)}."
    one_one = [k for k in ("Anslag 1:1", "ERUF och anslag 1:1") if k in f.index]
    amount = float(f.loc[one_one, "belopp_sek"].sum())
    projects = float(f.loc[one_one, "projekt_andelsviktade"].sum())
    if amount > 0:
        text += (
            f" Portföljen för {funding_label('anslag_1_1')} (projekt med anslag 1:1, ensamt "
            f"eller tillsammans med ERUF) är alltså {fmt_kr(amount)} för "
            f"{_n(projects, 0)} projekt (andelsviktade); ett projekt med båda källorna räknas "
            "där med hela sitt belopp, eftersom uppgifterna inte säger hur pengarna delas."
        )
    else:
        text += f" Inget projekt i syntesen har {funding_label('anslag_1_1')}."
    if p.funding_missing:
        text += (
            f" {listed(_named(s, p.funding_missing))} saknar uppdelningen på "
            "finansieringskälla, så summan ovan gäller de andra länen."
        )
    return text


def text_effects(s: SynthesisParts) -> str:
    """Section 4, first part: what was pooled, for which outcomes."""
    e = s.effects
    if e is None:
        return "Inget län i syntesen har en effektanalys."
    names = listed([o.name for o in e.per_outcome.values()])
    return (
        f"Effektanalysen skattar stödets effekt på {names} per stött företag i varje län. "
        "Syntesen väger samman länens huvudskattningar för varje utfall med slumpeffekter "
        "(DerSimonian-Laird): länen får väga olika mycket efter hur säkra deras skattningar "
        "är, och metoden tillåter att den sanna effekten skiljer sig mellan länen. En "
        "skattning kallas här en *effekt* bara med evidensgrad A eller B; med grad C är den en "
        "*indikation*."
    )


def text_outcome(s: SynthesisParts, outcome: str) -> str:
    """Section 4, one outcome: the pooled effect, the spread between the län and the grades."""
    o: OutcomeEffects = s.effects.per_outcome[outcome]
    lines = [f"### Effekt på {o.name}", ""]
    n = len(o.estimates)
    grades = o.estimates["evidensgrad"].value_counts()
    only_c = not (set(grades.index) & {"A", "B"})
    d = _places(o.unit)
    if o.pooled is None:
        lines.append(
            f"{'Inget' if n == 0 else 'Bara ' + str(n)} län har en huvudskattning av effekten "
            f"på {o.name}; det behövs minst två för att väga samman."
        )
    else:
        p = o.pooled
        lo, hi = p.conf_int
        word = "indikationen" if only_c else "effekten"
        verdict = (
            "Intervallet ligger över noll."
            if lo > 0
            else (
                "Intervallet ligger under noll."
                if hi < 0
                else "Intervallet innehåller noll: vi kan inte skilja effekten från noll."
            )
        )
        lines.append(
            f"{n} län har en huvudskattning av stödets effekt på {o.name}. Sammanvägt är "
            f"{word} **{_n(p.estimate, d)} {o.unit} per stött företag** (95 % "
            f"osäkerhetsintervall {_n(lo, d)} till {_n(hi, d)}). {verdict}"
        )
        het = (
            f"Skillnaden mellan länens sanna effekter är {_heterogeneity(p.i2)}: "
            f"I² = {fmt_percent(p.i2)}, dvs. så stor del av variationen mellan länens "
            "skattningar beror på verkliga skillnader snarare än slump (under 25 % kallas "
            "skillnaden liten, under 50 % måttlig, under 75 % betydande, annars mycket stor)."
        )
        if p.tau2 > 0:
            het += (
                f" Länens sanna effekter skiljer sig med en standardavvikelse på "
                f"{_n(p.tau2**0.5, d)} {o.unit}."
            )
        else:
            het += " Sammanvägningen ser ingen skillnad mellan länens sanna effekter."
        if p.prediction_interval is not None:
            het += (
                f" Ett nytt län kan väntas ha en effekt mellan {_n(p.prediction_interval[0], d)} "
                f"och {_n(p.prediction_interval[1], d)} {o.unit} (prediktionsintervall)."
            )
        lines += ["", het]
        grade_text = listed(
            [counted(int(grades[g]), f"med evidensgrad {g}", f"med evidensgrad {g}")
             for g in sorted(grades.index)]
        )  # fmt: skip
        text = f"Av skattningarna har {grade_text}."
        if "C" in grades.index and not only_c:
            text += " Skattningar med grad C är bara indikationer, men ingår i sammanvägningen."
        if o.pooled_a is not None and o.pooled_a.n_studies < n:
            text += (
                f" Bara de {o.pooled_a.n_studies} med grad A ger sammanvägt "
                f"{_n(o.pooled_a.estimate, d)} {o.unit} per stött företag ("
                f"{_n(o.pooled_a.conf_int[0], d)} till {_n(o.pooled_a.conf_int[1], d)})."
            )
        lines += ["", text]
    if o.without:
        items = [
            f"{escape_md(s.names.get(c, c))} ({escape_md(no_estimate_reason(why))})"
            for c, why in o.without.items()
        ]
        lines += ["", f"Utan huvudskattning: {listed(items)}."]
    if o.not_in_file:
        lines += [
            "",
            f"Utan skattning av {o.name} i resultatfilen: {listed(_named(s, o.not_in_file))}.",
        ]
    national = o.estimates["jamforelse"].eq("riket")
    if national.any():
        compared = _named(s, list(o.estimates.index[national]))
        lines += [
            "",
            f"{listed(compared)} jämförs med företag i hela landet, och de företagen kan också "
            "vara jämförelseföretag i andra läns skattningar. Sammanvägningen behandlar länen "
            "som oberoende, så intervallet är snarast för smalt.",
        ]
    return "\n".join(lines)


def text_attainment(s: SynthesisParts) -> str:
    """Section 4, last part: goal attainment along the chains across the country."""
    e = s.effects
    a = e.attainment.dropna(subset=["andel_nar_malen"])
    lines = ["### Måluppfyllelse längs effektkedjorna", ""]
    if not len(a):
        lines.append("Inget projekt i länen har slutliga utfall att jämföra med målen.")
        return "\n".join(lines)
    by_stage = a.groupby(level="steg")[["n_nar_malen", "n_med_utfall"]].sum()
    by_stage = by_stage.reindex(list(INDICATOR_STAGES)).dropna()
    shares = by_stage["n_nar_malen"] / by_stage["n_med_utfall"]
    stages = [f"{fmt_percent(v)} för {INDICATOR_STAGES[st].lower()}" for st, v in shares.items()]
    best_value, worst_value = a["andel_nar_malen"].max(), a["andel_nar_malen"].min()

    def where(value: float) -> str:
        keys = a.index[a["andel_nar_malen"] == value]
        return listed(
            [f"{INDICATOR_STAGES[st].lower()} i {CHAIN_NAMES[c].lower()}" for c, st in keys]
        )

    lines.append(
        "Andelen projekt som når alla sina mål är "
        f"{listed(stages)}. Bäst går det, {fmt_percent(best_value)}, för {where(best_value)}; "
        f"sämst, {fmt_percent(worst_value)}, för {where(worst_value)}. Ett projekt i flera län "
        "räknas i vart och ett av dem, som i länsrapporterna; summerade mål och utfall för "
        "antal och kronor är däremot delade efter andel och summerar till riket."
    )
    return "\n".join(lines)


def text_development(s: SynthesisParts) -> str:
    """Section 5: the key indicators of every län against the country."""
    lines: list[str] = []
    if not s.development.series:
        lines.append("Indata saknar de regionala nyckelindikatorerna.")
        return "\n".join(lines)
    lines.append(
        f"Här visas nyckelindikatorerna för alla {len(LAN_CODES)} län, varje län jämfört med "
        "riket (rikets värde är befolkningsvägt). Indikatorerna beskriver länens utveckling; de "
        "säger ingenting om vad projekten har orsakat."
    )
    for item in s.development.series.values():
        t = item.summary.dropna(subset=["index_riket"])
        if t.empty:
            continue
        above = int((t["index_riket"] > 100).sum())
        top, bottom = t["index_riket"].idxmax(), t["index_riket"].idxmin()
        fast = t["skillnad_forandring"].idxmax()
        slow = t["skillnad_forandring"].idxmin()
        national = t["riket"].iloc[0]
        value = fmt_number(national, 0 if national > 100 else 1)
        value += " kr" if item.unit == "kr" else ""
        growth = float(t["riket_forandring"].iloc[0])
        moved = (
            f"har rikets värde {'ökat' if growth > 0 else 'minskat'} med "
            f"{fmt_percent(abs(growth), 1)}"
            if round(growth, 3)
            else "är rikets värde i stort sett oförändrat"
        )
        lines += [
            "",
            f"- **{escape_md(item.name)}** {item.latest_year}: riket {value}. "
            f"{above} av {len(t)} län ligger över riket; högst "
            f"{escape_md(s.names.get(top, top))} (index {fmt_number(t.loc[top, 'index_riket'])}), "
            f"lägst {escape_md(s.names.get(bottom, bottom))} "
            f"({fmt_number(t.loc[bottom, 'index_riket'])}). Sedan {item.base_year} {moved}; "
            f"snabbast i förhållande till riket har {escape_md(s.names.get(fast, fast))} "
            f"utvecklats, långsammast {escape_md(s.names.get(slow, slow))}.",
        ]
    notes = []
    series = s.development.series
    if "sysselsatta_per_1000_inv" in series:
        notes.append(
            "Sysselsättningen är avrundad till tusental per län och finns till "
            f"{series['sysselsatta_per_1000_inv'].latest_year}."
        )
    if "nystartade_per_1000_inv" in series:
        notes.append("Statistiken över nystartade företag har metodbyten 2007 och 2010/2011.")
    if notes:
        lines += ["", " ".join(notes)]
    return "\n".join(lines)


def _status_clause(status: str, n: int) -> str:
    one, many = STATUS_PHRASES.get(status, (GOAL_STATUS_LABELS[status].lower(),) * 2)
    return f"{n} {one if n == 1 else many}"


def _rus(n: int) -> str:
    return counted(n, "RUS-mål", "RUS-mål")


def _the_rus(n: int) -> str:
    """ "det enda RUS-målet", "de 12 RUS-målen"."""
    return "det enda RUS-målet" if n == 1 else f"de {n} RUS-målen"


def text_goals(s: SynthesisParts) -> str:
    """Section 6: the regions' own goals, RUS goals by status, and what a status says."""
    g = s.goals
    lines = [
        "Målkedjan följer upp länens egna mål i tre nivåer: målen i den regionala "
        "utvecklingsstrategin (RUS, omkring tio år), understrategiernas mål (tre till fem år) "
        "och projektens mål (ett till tre år). Syntesen läser varje läns resultatfil och räknar "
        "inte om prognoserna: ett måls status är den som länsrapporten gav det."
    ]
    if g is None:
        lines += ["", "Inget län i syntesen har en målkedja."]
        return "\n".join(lines)
    n_in, having = len(g.per_region), g.with_goals
    totals = g.totals()
    if not having and n_in == 1:
        text = "Länet i syntesen har inga mål i underlaget"
    elif not having:
        text = f"Inget av de {n_in} länen i syntesen har mål i underlaget"
    else:
        text = f"{len(having)} av {n_in} län i syntesen har mål i underlaget"
    if having:
        text += (
            f", sammanlagt {_rus(totals['rus'])}, "
            f"{counted(totals['understrategi'], 'mål', 'mål')} i understrategier och "
            f"{counted(totals['projekt'], 'projektmål', 'projektmål')}"
        )
    lines += ["", text + "."]
    if g.without_goals:
        one = len(g.without_goals) == 1
        lines.append(
            f"{listed(_named(s, g.without_goals))} har inga mål i underlaget; "
            f"{'länet' if one else 'länen'} syns i tabellen och som {'vitt' if one else 'vita'} "
            "på kartan. Ett län lägger in sina mål i datamappens tabell malkedja."
        )
    if g.n_rus:
        national = g.national()
        clauses = [_status_clause(k, national[k]) for k in STATUSES if national[k]]
        on_track = g.n_on_track / g.n_rus
        lines += [
            "",
            f"Status för {_the_rus(g.n_rus)}: {listed(clauses)}. Sammantaget är "
            f"{fmt_percent(on_track)} av RUS-målen på väg, det vill säga når målet enligt "
            "prognosen eller går åt rätt håll där målet saknar målvärde. "
            f"{fmt_percent(g.n_with_data / g.n_rus)} av RUS-målen har en indikator med data "
            "att följa.",
        ]
        shares = g.with_rus["andel_pa_vag"].astype(float)
        if len(shares) > 1 and shares.max() > shares.min():
            best = [c for c, v in shares.items() if v == shares.max()]
            worst = [c for c, v in shares.items() if v == shares.min()]
            lines.append(
                f"Störst andel RUS-mål på väg har {listed(_named(s, best))} "
                f"({fmt_percent(shares.max())}), minst {listed(_named(s, worst))} "
                f"({fmt_percent(shares.min())})."
            )
        unserved = int(g.per_region["n_utan_projekt"].sum())
        if unserved:
            lines.append(
                f"{counted(unserved, 'RUS- eller understrategimål', 'RUS- och understrategimål')}"
                " i länen har inget projektmål under sig."
            )
    model = g.model
    how = (
        f"en linjär trend över de senaste {model['fonster_ar']} åren, med "
        f"{fmt_percent(model['intervall'])} prognosintervall vid målåret"
        if model and "fonster_ar" in model and "intervall" in model
        else "en trend i länets serie, med ett prognosintervall vid målåret"
    )
    lines += [
        "",
        "**Att läsa statusen.** Länsrapporten gör en prognos för varje regionalt mål med "
        f"indikator (RUS-mål och understrategiernas mål): {how}. "
        "Ett mål når målvärdet när hela intervallet ligger på rätt sida om det och är osäkert "
        "när intervallet innehåller målvärdet. Statusen "
        f"”{GOAL_STATUS_LABELS[MISSING].lower()}” betyder att målet "
        "saknar indikator eller har för kort serie. En RUS-indikator beskriver länets "
        "utveckling; att den går åt rätt håll visar inte att projekten har orsakat det. Region "
        "Kronoberg beskriver det som lätt att följa upp prestationer, svårare att följa upp "
        "RUS-mål och mycket svårt att följa upp effekter.",
    ]
    simulated = g.simulated_regions
    if simulated and len(simulated) < len(having):
        own = [c for c in having if c not in simulated]
        lines += [
            "",
            f"Målen för {listed(_named(s, own))} är hämtade ur länets egna planer; de andra "
            "länens målkedjor är simulerade.",
        ]
    return "\n".join(lines)


def text_conclusions(s: SynthesisParts) -> str:
    """Section 6: the conclusions the numbers support, and their limits."""
    lines: list[str] = []
    bullets = []
    m = s.maturity
    if m is not None and not m.matrix.empty:
        # "samt": the dimensions' own names hold "och"
        weak = listed([_dim(m.dimension_names, w) for w in m.weakest[:2]], "samt")
        bullets.append(
            f"**Mognad:** landets svagaste områden är {weak}. Där gör ett gemensamt nationellt "
            "stöd (metoder, utbildning, erfarenhetsutbyte) mest nytta; länen som redan ligger "
            "högt där kan vara förebilder."
        )
    p = s.portfolio
    if p is not None and not p.per_region.empty:
        chains = p.categories["effektkedja"]
        money = p.per_region["kr_per_invanare"].dropna()
        if not chains.empty and (chains["belopp_sek"] > 0).any():
            top = chains["belopp_sek"].idxmax()
            text = (
                f"**Pengarna:** den största delen går till "
                f"{CHAIN_NAMES.get(top, top).lower()} "
                f"({fmt_percent(chains.loc[top, 'andel_belopp'])})"
            )
            if len(money) > 1:
                size = rule.ratio_spread(float(money.max()), float(money.min()))
                text += f"; skillnaden i pengar per invånare mellan länen är {SPREAD_WORDS[size]}"
                if size is not rule.Spread.SMALL:
                    text += (
                        ", vilket bland annat kan spegla programområdenas storlek och projekt "
                        "som täcker flera län"
                    )
            bullets.append(text + ".")
    e = s.effects
    if e is not None:
        verdicts = []
        for o in e.per_outcome.values():
            if o.pooled is None:
                continue
            lo, hi = o.pooled.conf_int
            kind = "effekt" if set(o.estimates["evidensgrad"]) & {"A", "B"} else "indikation"
            subject = "sammanvägningen" if not verdicts else "Den"
            if lo > 0:
                verdict = f"{subject} tyder på en positiv {kind} på {o.name}"
            elif hi < 0:
                verdict = f"{subject} tyder på en negativ {kind} på {o.name}"
            else:
                verdict = f"{subject} kan inte skilja effekten på {o.name} från noll"
            verdicts.append(
                f"{verdict} ({_n(o.pooled.estimate, _places(o.unit))} {o.unit} per stött "
                f"företag; {_heterogeneity(o.pooled.i2)} skillnad mellan länen)."
            )
        if verdicts:
            bullets.append(
                f"**Effekter:** {' '.join(verdicts)} Det gäller de stödda företagen i "
                "företagspanelen, inte alla projekt."
            )
    g = s.goals
    if g is not None and g.n_rus:
        share = fmt_percent(g.n_on_track / g.n_rus)
        text = f"**Länens mål:** {share} av länens RUS-mål är på väg "
        text += "(når målet eller går åt rätt håll)"
        if g.n_with_data < g.n_rus:
            text += (
                f" och {fmt_percent(1 - g.n_with_data / g.n_rus)} saknar data. Ett mål utan "
                "indikator eller med för kort serie går inte att följa upp; där behöver länet "
                "välja eller bygga upp en indikator."
            )
        else:
            text += ", och alla har data att följa upp."
        bullets.append(text)
    lines += [f"- {b}" for b in bullets]
    respondents = None
    if m is not None and not m.overall.empty:
        respondents = m.overall["n_respondenter"].dropna()
    limits = [
        "Syntesen är aldrig bättre än länsrapporterna: den ärver deras metoder, urval och "
        "osäkerhet, och den räknar inte om något.",
        "Måluppfyllelsen bygger på projektens egna mål och rapporterade utfall; ambitiösa mål "
        "ger lägre måluppfyllelse.",
        "Mognadsnivåerna är självskattningar i en enkät"
        + (
            " med i median "
            f"{counted(round(float(respondents.median())), 'respondent', 'respondenter')} per län."
            if respondents is not None and len(respondents)
            else "."
        ),
        "Indikatorerna för regional utveckling beskriver utvecklingen men mäter inte "
        "projektens effekter.",
    ]
    if g is not None and g.n_rus:
        limits.append(
            "Målens status är en prognos från en trend i länets serie; ett RUS-mål på väg är "
            "länets utveckling, inte projektens effekt."
        )
    if not s.coverage.complete:
        limits.insert(
            0,
            "Alla län är inte med (se avsnitt 1): rikets siffror gäller länen som är med, och "
            "de saknade länen kan skilja sig från de andra.",
        )
    simulated = notice_line(_all_inputs(s))
    if simulated:
        limits.insert(
            0,
            f"{escape_md(simulated)} Resultat som bygger på dem visar hur analysen fungerar, "
            "inte hur det faktiskt ser ut.",
        )
    lines += ["", "**Begränsningar**", ""] + [f"- {t}" for t in limits]
    return "\n".join(lines)


def _all_inputs(s: SynthesisParts):
    seen: dict[str, object] = {}
    for group in s.inputs.values():
        for item in group:
            seen.setdefault(item.tabell, item)
    return list(seen.values())


def _value(field: str, value) -> str:
    """A parameter value of a note, as a reader reads it."""
    if field == "period" and isinstance(value, list | tuple) and len(value) == 2:
        return _period(value)
    if field == "utfall":
        values = [value] if isinstance(value, str) else list(value)
        return listed([outcome_label(v) for v in values])
    if field == "finansiering":
        try:
            return funding_label(value)
        except KeyError:
            return str(value)
    return str(value)


def mismatch_notes(mismatches: tuple[Mismatch, ...], names: dict[str, str]) -> list[str]:
    """One Swedish sentence per region file left out for its parameters (not escaped)."""
    return [
        f"{REPORTS[m.report].title} för {names.get(m.lan_kod, m.lan_kod)} gäller "
        f"{_MISMATCH_WORDS[m.field]} {_value(m.field, m.found)} i stället för "
        f"{_value(m.field, m.expected)}."
        for m in mismatches
    ]


def no_estimate_reason(why: NoEstimate) -> str:
    """Why a region has no main estimate, in Swedish (not escaped)."""
    if why.too_few_supported:
        if why.n_supported is None:
            return "för få stödda företag"
        return f"bara {counted(why.n_supported, 'stött företag', 'stödda företag')}"
    return "huvudskattningen kunde inte göras"
