"""The summary's words: headings, the key figures' labels and comparisons, the findings.

:data:`HEADINGS` names the report's sections in reading order. :func:`key_figures` makes the
key figures (a number each, with its Swedish label, unit, comparison and source report) and
:func:`findings` the sentences on what stands out against the peers and the country. Both give
plain text (the payload's); the ``text_*`` functions give each section's Markdown, where text
from the data is escaped with :func:`~utvardering.format.escape_md`.

What counts as standing out is a rule here, not a word of a template (the thresholds below).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from utvardering.format import counted, escape_md, fmt_kr, fmt_number, fmt_percent, listed
from utvardering.funding import funding_label
from utvardering.summary.facts import Facts
from utvardering.summary.parameters import SummaryParameters
from utvardering.synthesis.collect import REPORTS, Inclusion, Mismatch

__all__ = [
    "FINDING_LIMIT",
    "HEADINGS",
    "KR_RATIO_HIGH",
    "KR_RATIO_LOW",
    "MISSING_OUTCOMES_SHARE",
    "PROFILE_CHANGE",
    "PROFILE_GAP",
    "REPORT_TITLES",
    "SHARE_GAP",
    "STEP_NAMES",
    "TITLE",
    "KeyFigure",
    "findings",
    "genitive",
    "key_figures",
    "missing_reason",
    "report_link",
    "rerun_command",
    "text_findings",
    "text_lead",
    "text_missing",
    "text_recommendations",
    "value_text",
]

TITLE = "Sammanfattning"

# The report's sections in reading order: name → Swedish heading. The first section has none
# (its text starts with the report's title).
HEADINGS: dict[str, str] = {
    "sammanfattning": "",
    "nyckeltal": "Nyckeltal",
    "utmarker": "Det här sticker ut",
    "rekommendationer": "Rekommendationer",
    "saknas": "Rapporter som saknas",
}

# The region reports' titles, by name (the summary links to each: <name>.html).
REPORT_TITLES: dict[str, str] = {name: kind.title for name, kind in REPORTS.items()}

# The effect-chain steps of the goal attainment facts, in words.
STEP_NAMES: dict[str, str] = {
    "prestation": "prestationer",
    "kort": "effekter på kort sikt",
    "medel": "effekter på medellång sikt",
}

# What stands out (each a finding sentence):
PROFILE_GAP = 0.3  # profile mean at least this many levels from the peers' mean
PROFILE_CHANGE = 0.3  # profile mean changed at least this many levels since the last round
KR_RATIO_HIGH = 1.25  # kr per inhabitant at least 25 % above the country's
KR_RATIO_LOW = 0.8  # … or at least 20 % below
SHARE_GAP = 0.10  # a category's share of the money 10 percentage points from the country's
MISSING_OUTCOMES_SHARE = 0.3  # finished projects without a final medium-term outcome
MONEY_WITHOUT_FOLLOW_UP = 0.25  # share of money in chains without medium-term follow-up
FINDING_LIMIT = 5  # at most this many findings, in the order of findings()
PEERS_NAMED = 5  # more peers than this are "alla andra län" in the text

# The classification dimensions of the thematic report, before a category's name.
_DIMENSION_WORDS: dict[str, str] = {
    "effektkedja": "effektkedjan",
    "tema": "temat",
    "fokusomrade": "fokusområdet",
    "nationell_prioritering": "den nationella prioriteringen",
}

# Why a report is missing, by its Inclusion status (a clause after the report's title).
_MISSING: dict[str, str] = {
    Inclusion.NOT_RUN: "har inte körts för länet i den här körningen",
    Inclusion.FAILED: "misslyckades i körningen",
    Inclusion.NO_FILE: "kördes, men resultatfilen saknas eller går inte att läsa",
    Inclusion.OTHER_PARAMETERS: "kördes med andra parametrar än sammanfattningen",
}


def _e(text: object) -> str:
    return escape_md(text)


def report_link(report: str) -> str:
    """A Markdown link to a region report's page in the same site folder:
    ``[Mognadsbedömning](mognad.html)``."""
    return f"[{_e(REPORT_TITLES.get(report, report))}]({report}.html)"


def genitive(name: str) -> str:
    """A name in the genitive: "Kronobergs läns"; a name that ends in s, x or z as it is."""
    return name if name[-1:].lower() in "sxz" else f"{name}s"


def _level(value: float | None) -> str:
    return fmt_number(value, 1)


def _signed(value: float, decimals: int = 1) -> str:
    text = fmt_number(abs(value), decimals)
    return f"+{text}" if value > 0 else f"−{text}" if value < 0 else text


# --- key figures -----------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyFigure:
    """A key figure: ``varde`` is the number as in its source file (None: undefined), ``enhet``
    its unit (which also says how it is shown), ``jamforelse`` the comparison in words."""

    id: str
    namn: str
    varde: float | int | None
    enhet: str
    jamforelse: str
    rapport: str
    av: int | None = None  # the whole the value is a part of ("0 av 3"), shown, not in payload

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "namn": self.namn,
            "varde": self.varde,
            "enhet": self.enhet,
            "jamforelse": self.jamforelse,
            "rapport": self.rapport,
        }


def value_text(figure: KeyFigure) -> str:
    """The key figure's value as the summary shows it: "2 av 5", "2,8", "66,9 mnkr", "46 %"."""
    value, unit = figure.varde, figure.enhet
    if value is None:
        return "–"
    if figure.av is not None:
        return f"{fmt_number(value)} av {fmt_number(figure.av)}"
    if unit == "nivå":
        return _level(value)
    if unit == "kr":
        return fmt_kr(value)
    if unit == "kr per invånare":
        return f"{fmt_number(value)} kr"
    if unit == "andel":
        return fmt_percent(value)
    if unit.endswith("per stött företag"):
        return f"{fmt_number(value, 2 if abs(value) < 10 else 0)} {unit}"
    return f"{fmt_number(value)} {unit}"


def _peers_phrase(facts: Facts, names: Mapping[str, str]) -> str:
    """The peers by name, or "alla andra län" when they are every other region."""
    peers = facts.get("jamforelse.lan") or []
    if facts.get("jamforelse.regel") == "alla" or len(peers) > PEERS_NAMED:
        return "alla andra län"
    return listed([names.get(code, code) for code in peers])


def _maturity_figures(f: Facts) -> list[KeyFigure]:
    out = []
    previous_round = f.get("mognad.foregaende_omgang")
    before = f.get("mognad.trappstegsniva_foregaende")
    out.append(
        KeyFigure(
            "trappstegsniva",
            "Trappstegsnivå (den nivå alla dimensioner når)",
            f.get("mognad.trappstegsniva"),
            "trappsteg",
            (
                f"{fmt_number(before)} av 5 i omgång {previous_round}"
                if before is not None and previous_round is not None
                else ""
            ),
            "mognad",
            av=5,
        )
    )
    parts = []
    change = f.get("mognad.profilmedel_forandring")
    if change is not None:
        parts.append(
            f"{_signed(change)} sedan {previous_round}"
            if round(change, 1) != 0
            else f"oförändrat sedan {previous_round}"
        )
    peers = f.get("jamforelse.profilmedel_medel")
    if peers is not None:
        parts.append(f"jämförelselänen {_level(peers)}")
    country = f.get("riket.profilmedel_medel")
    if country is not None:
        # The mean of the regions in the run: every region with answers, unless the run has
        # only some of them (utvardering kor --lan …).
        n, answered = f.get("riket.n_lan_profilmedel"), f.get("mognad.n_regioner")
        every = n is None or answered is None or n >= answered
        parts.append(f"{'alla län' if every else f'de {n} län i körningen'} {_level(country)}")
    out.append(
        KeyFigure(
            "profilmedel",
            "Profilmedel (medel av dimensionernas nivåer)",
            f.get("mognad.profilmedel"),
            "nivå",
            "; ".join(parts),
            "mognad",
        )
    )
    return out


def _portfolio_figures(f: Facts) -> list[KeyFigure]:
    period = f.get("tema.period") or []
    years = f" {period[0]}–{period[1]}" if len(period) == 2 else ""
    own, country = f.get("tema.kr_per_invanare"), f.get("tema.riket_kr_per_invanare")
    parts = []
    if country is not None:
        ratio = f.get("tema.kr_per_invanare_kvot")
        relation = ""
        if ratio is not None and round(ratio, 2) != 1:
            relation = f", länet {fmt_percent(abs(ratio - 1))} {'högre' if ratio > 1 else 'lägre'}"
        parts.append(f"riket {fmt_number(country)} kr{relation}")
    peers = f.get("jamforelse.kr_per_invanare_medel")
    if peers is not None:
        parts.append(f"jämförelselänen {fmt_number(peers)} kr")
    share, country_money = f.get("tema.andel_av_riket"), f.get("tema.riket_belopp_sek")
    share_of_country = (
        f"{fmt_percent(share, 1)} av rikets {fmt_kr(country_money)}" if share is not None else ""
    )
    return [
        KeyFigure(
            "belopp",
            f"Beviljade medel, projekt som startade{years}",
            f.get("tema.belopp_sek"),
            "kr",
            share_of_country,
            "tema",
        ),
        KeyFigure(
            "projekt",
            "Projekt som berör länet",
            f.get("tema.projekt"),
            "projekt",
            "",
            "tema",
        ),
        KeyFigure(
            "kr_per_invanare",
            "Beviljade medel per invånare",
            own,
            "kr per invånare",
            "; ".join(parts),
            "tema",
        ),
    ]


def _effect_figures(f: Facts) -> list[KeyFigure]:
    out = []
    for step, words in STEP_NAMES.items():
        reaching = f.get(f"effekt.n_nar_malen.{step}")
        with_outcome = f.get(f"effekt.n_med_utfall.{step}")
        missing = f.get(f"effekt.andel_avslutade_utfall_saknas.{step}")
        parts = []
        if with_outcome:
            parts.append(
                f"{fmt_number(reaching)} av {counted(with_outcome, 'projekt', 'projekt')} "
                "med slutligt utfall"
            )
        else:
            parts.append("inget projekt med slutligt utfall")
        if missing:
            parts.append(f"{fmt_percent(missing)} av de avslutade saknar utfall")
        out.append(
            KeyFigure(
                f"andel_nar_malen_{step}",
                f"Projekt som når sina mål för {words}",
                f.get(f"effekt.andel_nar_malen.{step}"),
                "andel",
                "; ".join(parts),
                "effekt",
            )
        )
    main = f.get("effekt.huvudskattningar") or []
    if not main:
        reason = (
            "för få stödda företag för en skattning"
            if f.get("effekt.for_fa_stodda")
            else "ingen huvudskattning"
        )
        out.append(KeyFigure("effekt", "Effekt av stödet till företag", None, "", reason, "effekt"))
    for item in main:
        parts = []
        if item["ci_low"] is not None and item["ci_high"] is not None:
            decimals = 2 if max(abs(item["ci_low"]), abs(item["ci_high"])) < 10 else 0
            parts.append(
                f"95 % osäkerhetsintervall {fmt_number(item['ci_low'], decimals)} till "
                f"{fmt_number(item['ci_high'], decimals)}"
            )
            if item["ci_low"] <= 0 <= item["ci_high"]:
                parts.append("intervallet innehåller noll")
        parts.append(f"evidensgrad {item['evidensgrad']}")
        unit = item.get("enhet") or ""
        out.append(
            KeyFigure(
                f"effekt_{item['utfall']}",
                # an effect only with grade A or B; grade C is an indication
                f"Effekt på {item['namn']}"
                if item["evidensgrad"] in ("A", "B")
                else f"Skattning för {item['namn']} (en indikation, inte en säker effekt)",
                item["estimate"],
                f"{unit} per stött företag".strip(),
                "; ".join(parts),
                "effekt",
            )
        )
    return out


def _goal_figures(f: Facts) -> list[KeyFigure]:
    if not f.get("malkedja.har_mal"):
        return [
            KeyFigure(
                "rus_pa_vag",
                "RUS-mål på väg",
                None,
                "RUS-mål",
                "länet har inga mål i målkedjan",
                "malkedja",
            )
        ]
    n_rus = f.get("malkedja.n_rus") or 0
    parts = []
    off = f.get("malkedja.n_rus_inte_pa_vag") or 0
    if off:
        parts.append(f"{fmt_number(off)} når inte målet eller går åt fel håll")
    no_data = f.get("malkedja.n_rus_saknar_data") or 0
    if no_data:
        parts.append(f"{fmt_number(no_data)} saknar data")
    return [
        KeyFigure(
            "rus_pa_vag",
            "RUS-mål på väg (når målet eller går åt rätt håll)",
            f.get("malkedja.n_rus_pa_vag"),
            "RUS-mål",
            "; ".join(parts),
            "malkedja",
            av=n_rus,
        )
    ]


def key_figures(facts: Facts) -> list[KeyFigure]:
    """The key figures of the reports that are in, in the reports' order."""
    makers = {
        "mognad": _maturity_figures,
        "tema": _portfolio_figures,
        "effekt": _effect_figures,
        "malkedja": _goal_figures,
    }
    return [fig for report in REPORTS if report in facts.included for fig in makers[report](facts)]


# --- findings --------------------------------------------------------------------------------


def _finding_profile(f: Facts, names: Mapping[str, str]) -> list[str]:
    out = []
    own, gap = f.get("mognad.profilmedel"), f.get("jamforelse.profilmedel_skillnad")
    peers = f.get("jamforelse.profilmedel_medel")
    if own is not None and gap is not None and abs(gap) >= PROFILE_GAP:
        out.append(
            f"Profilmedlet i mognadsbedömningen, {_level(own)}, ligger "
            f"{fmt_number(abs(gap), 1)} nivåer {'över' if gap > 0 else 'under'} "
            f"jämförelselänens medel ({_level(peers)}; {_peers_phrase(f, names)})."
        )
    change = f.get("mognad.profilmedel_forandring")
    if change is not None and abs(change) >= PROFILE_CHANGE:
        out.append(
            f"Profilmedlet har {'stigit' if change > 0 else 'sjunkit'} med "
            f"{fmt_number(abs(change), 1)} nivåer sedan omgång "
            f"{f.get('mognad.foregaende_omgang')}."
        )
    weakest = f.get("mognad.svagaste_dimension")
    if weakest is not None:
        level = f.get(f"mognad.niva.{weakest}")
        # every dimension that shares the lowest level, and lies under the regions' median
        tied = [
            d
            for d in f.get("mognad.dimensioner") or []
            if f.get(f"mognad.niva.{d}") == level
            and f.get(f"mognad.riket_median.{d}") is not None
            and level < f.get(f"mognad.riket_median.{d}")
        ]
        if len(tied) == 1:
            d = tied[0]
            median = f.get(f"mognad.riket_median.{d}")
            out.append(
                f"Den svagaste dimensionen är {f.get(f'mognad.namn.{d}')} på nivå "
                f"{_level(level)}, under länens median ({_level(median)})."
            )
        elif tied:
            named = [
                f"{f.get(f'mognad.namn.{d}')} (länens median "
                f"{_level(f.get(f'mognad.riket_median.{d}'))})"
                for d in tied
            ]
            out.append(f"De svagaste dimensionerna, på nivå {_level(level)}, är {listed(named)}.")
    return out


def _finding_money(f: Facts) -> list[str]:
    out = []
    own, ratio = f.get("tema.kr_per_invanare"), f.get("tema.kr_per_invanare_kvot")
    if own is not None and ratio is not None and (ratio >= KR_RATIO_HIGH or ratio <= KR_RATIO_LOW):
        out.append(
            f"Länet har beviljats {fmt_number(own)} kr per invånare, "
            f"{fmt_percent(abs(ratio - 1))} {'mer' if ratio > 1 else 'mindre'} än riket "
            f"({fmt_number(f.get('tema.riket_kr_per_invanare'))} kr)."
        )
    largest = f.get("tema.storsta_avvikelse")
    if largest and largest.get("andel_belopp") is not None:
        share, country = largest["andel_belopp"], largest.get("riket_andel_belopp") or 0.0
        if abs(share - country) >= SHARE_GAP:
            category, dimension = largest["kategori"], largest.get("dimension")
            if dimension == "effektkedja":
                category = f.get(f"tema.kedjenamn.{category}", category)
            if dimension in _DIMENSION_WORDS:
                category = f"{_DIMENSION_WORDS[dimension]} {category}"
            amount = "inga" if share == 0 else fmt_percent(share)
            out.append(
                f"Störst skillnad mot riket i fördelningen av medlen: {amount} av länets medel "
                f"går till {category}, mot {fmt_percent(country)} i riket."
            )
    return out


def _finding_effects(f: Facts) -> list[str]:
    out = []
    missing = f.get("effekt.andel_avslutade_utfall_saknas.medel")
    if missing is not None and missing >= MISSING_OUTCOMES_SHARE:
        out.append(
            f"{fmt_percent(missing).capitalize()} av de avslutade projekten saknar minst ett "
            "slutligt utfall för effekterna på medellång sikt."
        )
    share = f.get("portfolj.andel_belopp_utan_medel_uppfoljning")
    chains = f.get("portfolj.kedjor_utan_medel_uppfoljning") or []
    if share is not None and share >= MONEY_WITHOUT_FOLLOW_UP and chains:
        named = listed([str(f.get(f"tema.kedjenamn.{k}", k)) for k in chains])
        out.append(
            f"{fmt_percent(share).capitalize()} av medlen går till effektkedjor där inget "
            f"avslutat projekt har ett slutligt utfall på medellång sikt ({named})."
        )
    return out


def _finding_goals(f: Facts) -> list[str]:
    n_rus, off = f.get("malkedja.n_rus") or 0, f.get("malkedja.n_rus_inte_pa_vag") or 0
    out = []
    if n_rus and off:
        out.append(
            f"{fmt_number(off)} av {counted(n_rus, 'RUS-mål', 'RUS-mål')} når inte målet "
            "eller går åt fel håll."
        )
    unserved = f.get("malkedja.rus_utan_projekt") or []
    if unserved:
        out.append(
            f"{counted(len(unserved), 'RUS-mål', 'RUS-mål')} saknar projekt som bidrar "
            f"({listed(unserved)})."
        )
    return out


def findings(facts: Facts, names: Mapping[str, str] | None = None) -> list[str]:
    """What stands out against the peers and the country, as plain Swedish sentences, at
    most :data:`FINDING_LIMIT`: maturity, money, follow-up of effects, then goals."""
    names = names or {}
    found = [
        *_finding_profile(facts, names),
        *_finding_money(facts),
        *_finding_effects(facts),
        *_finding_goals(facts),
    ]
    return found[:FINDING_LIMIT]


# --- sections --------------------------------------------------------------------------------


def text_lead(facts: Facts, names: Mapping[str, str]) -> str:
    """The title and a lead paragraph: what the summary joins and what it compares with."""
    title = f"# {TITLE}: {_e(facts.lan_namn)}"
    if not facts.included:
        return (
            f"{title}\n\nSammanfattningen samlar länets resultat från länsrapporterna, men "
            "ingen av dem finns i körningen. Avsnittet om rapporter som saknas säger varför."
        )
    links = listed([report_link(r) for r in facts.included])
    peers = _peers_phrase(facts, names)
    compared = f"jämförelselänen ({_e(peers)}) och riket" if peers else "riket"
    lead = (
        f"Sammanfattningen samlar {_e(genitive(facts.lan_namn))} viktigaste resultat från "
        f"{links}, jämför dem med {compared}, och föreslår vad länet kan arbeta vidare med. "
        "Talen är desamma som i rapporterna, och varje rapport har detaljerna."
    )
    if facts.missing:
        absent = listed([_e(REPORT_TITLES[r]) for r in facts.missing])
        lead += f" {absent} saknas i körningen (se sist)."
    return f"{title}\n\n{lead}"


def text_findings(sentences: Sequence[str], facts: Facts) -> str:
    if not facts.included:
        return ""
    if not sentences:
        return (
            "Inget av länets nyckeltal skiljer sig tydligt från jämförelselänens eller rikets, "
            "och ingen del av uppföljningen har stora luckor."
        )
    return "\n".join(f"- {_e(s)}" for s in sentences)


def text_recommendations(recommendations: Iterable[Any], facts: Facts) -> str:
    """The recommendations as a numbered list, each with its evidence and source reports."""
    recs = list(recommendations)
    plan = "[lärandeplanen](larandeplan.html)"
    if not recs:
        if not facts.included:
            return ""
        return (
            "Ingen av rekommendationernas regler slår till för länet med de rapporter som finns. "
            f"Länets plan för uppföljning och lärande står i {plan}."
        )
    items = []
    for i, rec in enumerate(recs, start=1):
        lines = [f"{i}. **{_e(rec.rubrik)}.** {_e(rec.text)}"]
        if rec.nasta_niva:
            lines.append(f"   Nästa nivå i mognadsmodellen: {_e(rec.nasta_niva)}")
        sources = []
        if rec.evidens:
            sources.append(f"Underlag: {'; '.join(_e(e) for e in rec.evidens)}.")
        if rec.rapporter:
            sources.append(f"Källor: {listed([report_link(r) for r in rec.rapporter])}.")
        if sources:
            lines.append("   " + " ".join(sources))
        items.append("\n\n".join(lines))
    intro = (
        f"Rekommendationerna bygger på regler som väger samman fynden i rapporterna, de "
        f"viktigaste först (högst fem). De är också en del av {plan}."
    )
    return intro + "\n\n" + "\n\n".join(items)


def missing_reason(report: str, status: str, mismatches: Iterable[Mismatch] = ()) -> str:
    """Why ``report`` is missing, as a clause: "misslyckades i körningen", "kördes för omgång
    2024, sammanfattningen gäller omgång 2025"."""
    if status == Inclusion.OTHER_PARAMETERS:
        for m in mismatches:
            if m.report != report:
                continue
            if m.field == "omgang":
                return f"gjordes för omgång {m.found}, sammanfattningen gäller omgång {m.expected}"
            if m.field == "finansiering":
                return (
                    f"gjordes för {_funding(m.found)}, sammanfattningen gäller "
                    f"{_funding(m.expected)}"
                )
            if m.field == "period":
                return (
                    f"gjordes för projekt som startade {_years(m.found)}, de flesta län för "
                    f"{_years(m.expected)}"
                )
    return _MISSING.get(status, f"saknas ({status})")


def _funding(scope: object) -> str:
    try:
        return f"finansieringen {funding_label(str(scope))}"
    except (KeyError, ValueError):
        return f"finansieringen {scope}"


def _years(period: object) -> str:
    if isinstance(period, list | tuple) and len(period) == 2:
        return f"{period[0]}–{period[1]}"
    return str(period)


def rerun_command(lan_kod: str, reports: Iterable[str], omgang: int, finansiering: str) -> str:
    """The command that runs the missing reports and then the summary again."""
    command = f"utvardering kor --lan {lan_kod} --rapport {' '.join(reports)} sammanfattning"
    if omgang != SummaryParameters.omgang:
        command += f" -p omgang={omgang}"
    if finansiering != SummaryParameters.finansiering:
        command += f" -p finansiering={finansiering}"
    return command


def text_missing(
    facts: Facts,
    mismatches: Iterable[Mismatch] = (),
    omgang: int = 2025,
    finansiering: str = "alla",
) -> str:
    """Which reports the summary lacks and why, and the command that reruns them."""
    if not facts.missing:
        return ""
    mismatches = tuple(mismatches)
    items = [
        f"- {_e(REPORT_TITLES[r])} {_e(missing_reason(r, s, mismatches))}."
        for r, s in facts.missing.items()
    ]
    command = rerun_command(facts.lan_kod, facts.missing, omgang, finansiering)
    return (
        "Sammanfattningen bygger bara på de rapporter som finns. De här saknas, och deras "
        "nyckeltal, fynd och rekommendationer är inte med:\n\n"
        + "\n".join(items)
        + f"\n\nKör rapporterna och sammanfattningen igen med `{command}`."
    )
