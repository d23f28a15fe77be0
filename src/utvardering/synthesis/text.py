"""The synthesis' Swedish text: what the numbers say, section by section, and their limits.

Every ``text_*`` function takes the computed
:class:`~utvardering.synthesis.parts.SynthesisParts` and returns the Markdown body of one
section (the report's ``SECTIONS`` hold the headings). The labels of the coverage codes, the
notes on files left out and the reasons for a missing estimate are written here too. Names of
län come from the data folder and are escaped.
"""

from __future__ import annotations

from utvardering.effects.design import OUTCOMES
from utvardering.format import escape_md, fmt_kr, fmt_number, fmt_percent, listed
from utvardering.synthesis.collect import REPORTS, Inclusion, Mismatch
from utvardering.synthesis.effects import NoEstimate
from utvardering.synthesis.maturity import LOW_LEVEL
from utvardering.synthesis.parts import SynthesisParts
from utvardering.synthesis.portfolio import CONCENTRATION_RATIO
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES, LAN_CODES

__all__ = [
    "INCLUSION_LABELS",
    "mismatch_notes",
    "no_estimate_reason",
    "text_conclusions",
    "text_coverage",
    "text_development",
    "text_effects",
    "text_intro",
    "text_maturity",
    "text_portfolio",
]

# A region's status for one report, as the synthesis sees it, in Swedish.
INCLUSION_LABELS: dict[str, str] = {
    Inclusion.INCLUDED: "med",
    Inclusion.FAILED: "misslyckades",
    Inclusion.NOT_RUN: "saknas (inte körd)",
    Inclusion.NO_FILE: "resultatfil saknas eller är trasig",
    Inclusion.OTHER_PARAMETERS: "körd med andra parametrar",
}
# What a mismatched parameter is called in a note.
_MISMATCH_WORDS = {"omgang": "omgång", "utfall": "utfallet", "period": "perioden"}


# With at most this many län in a report, the text names them (otherwise the missing ones).
_LIST_INCLUDED = 10


def _named(s: SynthesisParts, codes) -> list[str]:
    return [escape_md(s.names.get(c, c)) for c in codes]


def _dim(names: dict[str, str], dimension: str) -> str:
    """A dimension's name from the maturity model, in lower case, escaped for Markdown."""
    return escape_md(names.get(dimension, dimension).lower())


def _n(value: float, decimals: int = 1) -> str:
    return fmt_number(value, decimals)


def _heterogeneity(i2: float) -> str:
    """Higgins et al. (2003): low, moderate, substantial, considerable heterogeneity."""
    if i2 < 0.25:
        return "liten"
    if i2 < 0.5:
        return "måttlig"
    if i2 < 0.75:
        return "betydande"
    return "mycket stor"


def text_intro(s: SynthesisParts) -> str:
    """The title and what the synthesis is built from."""
    period = s.portfolio.period if s.portfolio is not None else None
    parts = [
        "# Nationell syntes",
        "",
        "Landets bild av uppföljningen av det regionala utvecklingsarbetet, med varje län "
        "synligt i den. Syntesen läser länsrapporternas resultatfiler (mognadsbedömning, "
        "tematisk utvärdering och effektanalys) från samma körning och räknar inte om något som "
        "länsrapporterna redan har räknat. Bara regionala indikatorer, befolkning, länskartan "
        "och projekttabellens totalsummor (som kontroll) hämtas från indata.",
        "",
        f"Parametrar: mognadsomgång {s.round}, effektutfall {OUTCOMES[s.outcome][0]}"
        + (f", projekt som startade {period[0]}–{period[1]}." if period else "."),
    ]
    return "\n".join(parts)


def text_coverage(s: SynthesisParts) -> str:
    """Section 1: which regions are in, which failed or are missing, and what that means."""
    c = s.coverage
    lines: list[str] = []
    if s.run.updated is None:
        lines += [
            "Körningens statusfil (status.json) saknas, så täckningen bygger på "
            "manifesten och resultatfilerna i utdatamappen.",
            "",
        ]
    if c.complete:
        lines.append(
            f"Alla {len(LAN_CODES)} län är med i alla tre rapporterna, så rikets siffror nedan "
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
    for note in mismatch_notes(c.mismatches, s.names):
        lines += ["", f"Obs: {escape_md(note)}"]
    return "\n".join(lines)


def _coverage_consequences(s: SynthesisParts) -> str:
    c = s.coverage
    parts = []
    if c.excluded["tema"]:
        money, projects = c.money_missing(), c.projects_missing()
        gone = listed(_named(s, c.excluded["tema"]))
        text = f"Portföljens summor för riket saknar {gone}"
        if money is not None:
            text += (
                f", som enligt projekttabellen har {fmt_percent(money, 1)} av det beviljade "
                f"beloppet ({fmt_kr(c.projects.share(list(c.excluded['tema'])) * c.projects.amount_sek)}) "  # noqa: E501
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
            f"Den sammanvägda effekten och måluppfyllelsen bygger på "
            f"{len(c.included['effekt'])} län; ett län som saknas kan ha en annan effekt än de "
            "andra, så sammanvägningen gäller bara länen som är med."
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
    spread = listed([f"{count} på nivå {level}" for level, count in levels.items()])
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
    width = (d["max"] - d["min"]).sort_values(ascending=False)
    wide = width.index[0]
    lines += [
        "",
        f"**Spridningen** mellan länen är stor: i {_dim(names, wide)} går länens medianer "
        f"från {_n(d.loc[wide, 'min'])} till {_n(d.loc[wide, 'max'])}, och mittersta hälften "
        f"av länen ligger mellan {_n(d.loc[wide, 'q1'])} och {_n(d.loc[wide, 'q3'])}. Ett "
        "genomsnitt för riket döljer alltså stora skillnader.",
    ]
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
            f"båda gångerna): profilmedlet har ändrats med {_n(change.mean(), 2)} nivåer i "
            f"genomsnitt; {rose} län har gått upp och {fell} ned en trappstegsnivå. Mest framåt "
            f"har det gått i {_dim(names, up.index[0])} "
            f"({_n(up['medel_forandring'].iloc[0], 2)} i genomsnitt), minst i "
            f"{_dim(names, up.index[-1])} ({_n(up['medel_forandring'].iloc[-1], 2)}).",
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
            f"{listed(_named(s, m.low_reliability))} har färre än tre respondenter, så deras "
            "nivåer är osäkra."
        )
    if m.no_answers:
        notes.append(f"{listed(_named(s, m.no_answers))} har inga svar i omgången.")
    if notes:
        lines += ["", "Att tänka på: " + " ".join(notes)]
    return "\n".join(lines)


def text_portfolio(s: SynthesisParts) -> str:
    """Section 3: national totals, the check against the projects table, per inhabitant and
    concentrated themes."""
    p = s.portfolio
    lines: list[str] = []
    if p is None or p.per_region.empty:
        lines.append("Inget län i syntesen har en tematisk utvärdering.")
        return "\n".join(lines)
    period = f"{p.period[0]}–{p.period[1]}" if p.period else ""
    lines.append(
        f"Projekten som startade {period} i de {len(p.per_region)} län som är med fick "
        f"sammanlagt {fmt_kr(p.amount_sek)} för {_n(p.projects, 0)} projekt (andelsviktade), "
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
    parts = []
    for dimension, label in (
        ("nationell_prioritering", "nationella prioriteringen"),
        ("fokusomrade", "fokusområdet"),
        ("effektkedja", "effektkedjan"),
    ):
        table = p.categories[dimension]
        if table.empty:
            continue
        top = table["belopp_sek"].idxmax()
        name = CHAIN_NAMES.get(top, top) if dimension == "effektkedja" else top
        parts.append(f"{label} {escape_md(name)} ({fmt_percent(table.loc[top, 'andel_belopp'])})")
    if parts:
        lines += ["", f"Störst andel av pengarna går till {listed(parts)}."]
    money = p.per_region["kr_per_invanare"].dropna()
    if len(money):
        lines += [
            "",
            f"**Per invånare** får {escape_md(s.names.get(money.idxmax(), money.idxmax()))} mest "
            f"({fmt_kr(money.max(), 0)}) och {escape_md(s.names.get(money.idxmin(), money.idxmin()))} "  # noqa: E501
            f"minst ({fmt_kr(money.min(), 0)}); riket (länen som är med) "
            f"{fmt_kr(p.sek_per_inhabitant, 0)}.",
        ]
    conc = p.concentration
    if not conc.empty:
        hot = conc[conc["koncentrerat"]]
        intro = (
            f"**Koncentration.** Hela portföljen är spridd som över {_n(p.effective_regions_all)} "
            "lika stora län (1 / Herfindahlindex). Ett tema räknas som koncentrerat när det "
            f"motsvarar färre än {fmt_percent(CONCENTRATION_RATIO)} av det."
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


def text_effects(s: SynthesisParts) -> str:
    """Section 4: the pooled effect, its heterogeneity, and goal attainment by chain."""
    e = s.effects
    lines: list[str] = []
    if e is None:
        lines.append("Inget län i syntesen har en effektanalys.")
        return "\n".join(lines)
    name, unit = OUTCOMES[s.outcome]
    n = len(e.estimates)
    if e.pooled is None:
        lines.append(
            f"Bara {n} län har en huvudskattning av effekten på {name}; det behövs minst två för "
            "att väga samman."
        )
    else:
        p = e.pooled
        lo, hi = p.conf_int
        sure = lo > 0 or hi < 0
        lines.append(
            f"{n} län har en huvudskattning av stödets effekt på {name} per stött företag. "
            f"Sammanvägt med slumpeffekter (DerSimonian-Laird) är effekten **{_n(p.estimate, 2)} "
            f"{unit}** (95 % intervall {_n(lo, 2)} till {_n(hi, 2)})"
            + (", skild från noll." if sure else "; intervallet omfattar noll.")
        )
        het = (
            f"Heterogeniteten mellan länen är {_heterogeneity(p.i2)}: I² = {fmt_percent(p.i2)}, "
            "dvs. så stor del av variationen mellan länens skattningar beror på verkliga "
            f"skillnader snarare än slump, och tau² = {_n(p.tau2, 4)} (en standardavvikelse "
            f"på {_n(p.tau2**0.5, 2)} {unit} mellan länens sanna effekter)."
        )
        if p.prediction_interval is not None:
            het += (
                f" Ett nytt län kan väntas ha en effekt mellan {_n(p.prediction_interval[0], 2)} "
                f"och {_n(p.prediction_interval[1], 2)} (prediktionsintervall)."
            )
        lines += ["", het]
        grades = e.estimates["evidensgrad"].value_counts()
        grade_text = listed([f"{grades[g]} med evidensgrad {g}" for g in sorted(grades.index)])
        text = f"Av skattningarna har {grade_text}."
        if e.pooled_a is not None and e.pooled_a.n_studies < n:
            text += (
                f" Bara de {e.pooled_a.n_studies} med grad A ger sammanvägt "
                f"{_n(e.pooled_a.estimate, 2)} ({_n(e.pooled_a.conf_int[0], 2)} till "
                f"{_n(e.pooled_a.conf_int[1], 2)})."
            )
        lines += ["", text]
    if e.without:
        items = [
            f"{escape_md(s.names.get(c, c))} ({escape_md(no_estimate_reason(why))})"
            for c, why in e.without.items()
        ]
        lines += ["", f"Utan huvudskattning: {listed(items)}."]
    national = e.estimates["jamforelse"].eq("riket")
    if national.any():
        compared = _named(s, list(e.estimates.index[national]))
        lines += [
            "",
            f"{listed(compared)} jämförs med företag i hela "
            "landet, och de företagen kan också vara jämförelseföretag i andra läns skattningar. "
            "Sammanvägningen behandlar länen som oberoende, så intervallet är snarast för smalt.",
        ]
    a = e.attainment.dropna(subset=["andel_nar_malen"])
    if len(a):
        by_stage = a.groupby(level="steg")[["n_nar_malen", "n_med_utfall"]].sum()
        by_stage = by_stage.reindex(list(INDICATOR_STAGES)).dropna()
        shares = by_stage["n_nar_malen"] / by_stage["n_med_utfall"]
        stages = [f"{INDICATOR_STAGES[st].lower()} {fmt_percent(v)}" for st, v in shares.items()]
        best, worst = a["andel_nar_malen"].idxmax(), a["andel_nar_malen"].idxmin()
        lines += [
            "",
            "**Måluppfyllelse längs kedjorna.** Andelen projekt som når alla sina mål är "
            f"{listed(stages)}. Bäst går det för {CHAIN_NAMES[best[0]].lower()} "
            f"({INDICATOR_STAGES[best[1]].lower()}, "
            f"{fmt_percent(a.loc[best, 'andel_nar_malen'])}), sämst för "
            f"{CHAIN_NAMES[worst[0]].lower()} ({INDICATOR_STAGES[worst[1]].lower()}, "
            f"{fmt_percent(a.loc[worst, 'andel_nar_malen'])}). Ett projekt i flera län räknas i "
            "vart och ett av dem, som i länsrapporterna; summerade mål och utfall för antal och "
            "kronor är däremot delade efter andel och summerar till riket.",
        ]
    return "\n".join(lines)


def text_development(s: SynthesisParts) -> str:
    """Section 5: the key indicators of every län against the country."""
    lines: list[str] = []
    if not s.development.series:
        lines.append("Indata saknar de regionala nyckelindikatorerna.")
        return "\n".join(lines)
    lines.append(
        "Nyckelindikatorerna för alla 21 län, varje län mot riket (befolkningsvägt). "
        "Indikatorerna beskriver länens utveckling; de säger ingenting om vad projekten har "
        "orsakat."
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
        lines += [
            "",
            f"- **{escape_md(item.name)}** {item.latest_year}: riket {value}. "
            f"{above} av {len(t)} län ligger över riket; högst "
            f"{escape_md(s.names.get(top, top))} (index {fmt_number(t.loc[top, 'index_riket'])}), "
            f"lägst {escape_md(s.names.get(bottom, bottom))} "
            f"({fmt_number(t.loc[bottom, 'index_riket'])}). Sedan {item.base_year} har riket "
            f"ändrats med {fmt_percent(t['riket_forandring'].iloc[0], 1)}; snabbast i "
            f"förhållande till riket har {escape_md(s.names.get(fast, fast))} utvecklats, "
            f"långsammast {escape_md(s.names.get(slow, slow))}.",
        ]
    lines += [
        "",
        "Sysselsättningen är avrundad till tusental per län och finns bara till 2017; "
        "nystartade företag har metodbyten 2007 och 2010/2011.",
    ]
    return "\n".join(lines)


def text_conclusions(s: SynthesisParts) -> str:
    """Section 6: the conclusions the numbers support, and their limits."""
    lines: list[str] = []
    bullets = []
    m = s.maturity
    if m is not None and not m.matrix.empty:
        weak = listed([_dim(m.dimension_names, w) for w in m.weakest[:2]])
        bullets.append(
            f"**Mognad:** landets svagaste områden är {weak}. Där gör ett gemensamt nationellt "
            "stöd (metoder, utbildning, erfarenhetsutbyte) mest nytta; länen som redan ligger "
            "högt där kan vara förebilder."
        )
    p = s.portfolio
    if p is not None and not p.per_region.empty:
        chains = p.categories["effektkedja"]
        if not chains.empty:
            top = chains["belopp_sek"].idxmax()
            bullets.append(
                f"**Pengarna:** den största delen går till "
                f"{CHAIN_NAMES.get(top, top).lower()} "
                f"({fmt_percent(chains.loc[top, 'andel_belopp'])}); pengarna per invånare "
                "skiljer sig mycket mellan länen, vilket speglar programområdenas storlek och "
                "projekt som täcker flera län."
            )
    e = s.effects
    if e is not None and e.pooled is not None:
        lo, hi = e.pooled.conf_int
        name, unit = OUTCOMES[s.outcome]
        verdict = (
            "tyder på en positiv effekt"
            if lo > 0
            else ("tyder på en negativ effekt" if hi < 0 else "kan inte skilja effekten från noll")
        )
        bullets.append(
            f"**Effekter:** sammanvägningen {verdict} på {name} ({_n(e.pooled.estimate, 2)} "
            f"{unit} per stött företag), med {_heterogeneity(e.pooled.i2)} skillnad mellan "
            "länen. Det gäller de stödda företagen i företagspanelen, inte alla projekt."
        )
    lines += [f"- {b}" for b in bullets]
    limits = [
        "Syntesen är aldrig bättre än länsrapporterna: den ärver deras metoder, urval och "
        "osäkerhet, och den räknar inte om något.",
        "Måluppfyllelsen bygger på projektens egna mål och rapporterade utfall; ambitiösa mål "
        "ger lägre måluppfyllelse.",
        "Mognadsnivåerna är självskattningar i en enkät med få respondenter per län.",
        "Indikatorerna för regional utveckling beskriver utvecklingen men mäter inte "
        "projektens effekter.",
    ]
    if not s.coverage.complete:
        limits.insert(
            0,
            "Alla län är inte med (se avsnitt 1): rikets siffror gäller länen som är med, och "
            "de saknade länen kan skilja sig från de andra.",
        )
    lines += ["", "**Begränsningar**", ""] + [f"- {t}" for t in limits]
    return "\n".join(lines)


def mismatch_notes(mismatches: tuple[Mismatch, ...], names: dict[str, str]) -> list[str]:
    """One Swedish sentence per region file left out for its parameters (not escaped)."""
    return [
        f"{REPORTS[m.report].title} för {names.get(m.lan_kod, m.lan_kod)} gäller "
        f"{_MISMATCH_WORDS[m.field]} {m.found} i stället för {m.expected}."
        for m in mismatches
    ]


def no_estimate_reason(why: NoEstimate) -> str:
    """Why a region has no main estimate, in Swedish (not escaped)."""
    if why.too_few_supported:
        return f"för få stödda företag ({why.n_supported})"
    return "huvudskattningen kunde inte göras"
