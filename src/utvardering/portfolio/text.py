"""Swedish text that reads the numbers of the thematic report for the reader (Markdown).

Every function returns a Markdown string. Text that comes from data (län, categories, project
names, beneficiaries) goes through :func:`~utvardering.format.escape_md`.
"""

from __future__ import annotations

import math

import pandas as pd

from utvardering.format import counted, escape_md, fmt_kr, fmt_number, fmt_percent, listed
from utvardering.funding import funding_label
from utvardering.origin import SimulatedInput
from utvardering.portfolio.analysis import RegionPortfolio
from utvardering.portfolio.specialisation import NO_RUS, Breakdown, Deviation
from utvardering.portfolio.stryktips import Stryktips
from utvardering.portfolio.theme import ThemeView
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES, MANDATORY_INDICATORS, THEMES

__all__ = [
    "METHOD",
    "STRYKTIPS_BY_PRIORITY",
    "STRYKTIPS_EXPLANATION",
    "text_few_projects",
    "text_funding",
    "text_introduction",
    "text_largest_categories",
    "text_largest_deviation",
    "text_largest_themes",
    "text_multi_theme_caveat",
    "text_outputs",
    "text_overview",
    "text_per_inhabitant",
    "text_projects",
    "text_rus_priorities",
    "text_scope",
    "text_stryktips_holes",
    "text_sustainability",
    "text_theme_view",
]

# Swedish definite forms of each dimension: (singular, plural).
_FORMS: dict[str, tuple[str, str]] = {
    "nationell_prioritering": ("den nationella prioriteringen", "nationella prioriteringarna"),
    "fokusomrade": ("fokusområdet", "fokusområdena"),
    "effektkedja": ("effektkedjan", "effektkedjorna"),
    "tema": ("temat", "temana"),
    "rus_prioritering": ("RUS-prioriteringen", "RUS-prioriteringarna"),
    "finansieringskalla": ("finansieringskällan", "finansieringskällorna"),
}
# The funding sources (projekt.finansieringskalla) as running text says them.
_SOURCES: dict[str, str] = {
    "ERUF": "enbart ERUF",
    "Anslag 1:1": "enbart anslag 1:1",
    "ERUF och anslag 1:1": "både ERUF och anslag 1:1",
}
# Indefinite plural, after a number ("alla 15 teman"; "3 av 6 teman").
_PLURAL: dict[str, str] = {
    "nationell_prioritering": "nationella prioriteringar",
    "fokusomrade": "fokusområden",
    "effektkedja": "effektkedjor",
    "tema": "teman",
    "rus_prioritering": "RUS-prioriteringar",
    "finansieringskalla": "finansieringskällor",
}
# The chain stages at which projects report, as running text says them.
_STAGES: dict[str, str] = {k: v[0].lower() + v[1:] for k, v in INDICATOR_STAGES.items()}
# The largest theme(s) of each theme group (THEMES): (one, several).
_THEME_GROUPS: dict[str, tuple[str, str]] = {
    "projekttyp": ("den största projekttypen", "de största projekttyperna"),
    "bransch": ("den största branschen", "de största branscherna"),
    "syfte": ("det största syftet", "de största syftena"),
}
# A stage counts as thinly followed up when fewer than this share of a row's projects report.
THIN_SHARE = 0.5

# How the numbers of the result file (tema.json) are counted, for its readers.
METHOD: dict[str, str] = {
    "urval": "projekt vars startår ligger i perioden",
    "andelar": "belopp, projekt och utfall delas mellan länen efter projekt_lan.andel",
    "teman": "ett projekt räknas under vart och ett av sina teman med hela beloppet",
    "utfall": "senaste rapporten med utfall per projekt och indikator; slutrapporten om den har "
    "utfall",
    "befolkning": "senaste året till och med periodens slutår",
    "finansiering": "urvalet efter finansieringskälla; ett projekt med både ERUF och anslag 1:1 "
    "ingår i båda urvalen med hela sitt belopp",
    "rus_prioritering": "projektets prioritering i varje läns egen RUS (projekt_lan); bara länets "
    "egna prioriteringar visas, och de jämförs inte med riket eller andra län",
}
# How to read the stryktips matrix (the workshop's name for the follow-up matrix).
STRYKTIPS_EXPLANATION = (
    "Stryktipset är en matris som visar vilka steg i effektkedjan som följs upp (namnet kommer "
    "från Reglabs workshop om regionala resultat 2017). Varje rad är ett tema i länets "
    "portfölj och varje kolumn ett steg i effektkedjan. Ett X betyder att minst ett av radens "
    "projekt har rapporterat ett utfall för en indikator på steget; en tom ruta är ett hål."
)
STRYKTIPS_BY_PRIORITY = "Samma matris per nationell prioritering:"


def _name(dimension: str, category: object) -> str:
    text = CHAIN_NAMES.get(str(category), str(category)) if dimension == "effektkedja" else category
    return f"*{escape_md(text)}*"


def _period(result: RegionPortfolio) -> str:
    start, end = result.params.period
    return _span((start, end))


def _span(years: tuple[int, int] | None) -> str:
    """Two years as "2014–2016", one as "2014"; "" for None."""
    if years is None:
        return ""
    start, end = years
    return str(start) if start == end else f"{start}–{end}"


_WORDS = (
    "noll",
    "en",
    "två",
    "tre",
    "fyra",
    "fem",
    "sex",
    "sju",
    "åtta",
    "nio",
    "tio",
    "elva",
    "tolv",
)


def _in_words(n: int) -> str:
    """A count of en-words in running text: in letters up to twelve ("tre"), else in digits."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else fmt_number(n)


def _during(years: tuple[int, int]) -> str:
    """ "under 2014" for one year, "under perioden 2014–2023" for several."""
    span = _span(years)
    return f"under {span}" if years[0] == years[1] else f"under perioden {span}"


def text_scope(result: RegionPortfolio) -> str:
    """Which projects the report covers: funding source, period, and the start years really
    found in the data (the table may be a snapshot that ends long before the period does)."""
    scope = result.params.finansiering
    place = escape_md(result.region_name)
    start, end = result.params.period
    chosen = f"det valda året {start}" if start == end else f"den valda perioden {start}–{end}"
    text = f"**Urval:** projekt som startade under {chosen}"
    if scope == "alla":
        text += (
            ", med stöd ur alla finansieringskällor: Regionala utvecklingsfonden (ERUF) och "
            "anslag 1:1."
        )
    else:
        text += (
            f" och har stöd ur {funding_label(scope)}. Projekt med stöd ur både ERUF och anslag "
            "1:1 ingår med hela sitt belopp, eftersom data inte delar beloppet mellan källorna."
        )
    if result.data_years is not None:
        text += f" Projekttabellen har projekt som startade {_span(result.data_years)}"
        region = result.region_years
        if result.national_years is None:
            text += "; inget av dem startade under den valda tiden."
        elif region is None:
            text += f"; inget av projekten i urvalet berör {place}."
        else:
            text += f"; de som berör {place} i urvalet startade {_span(region)}."
    return text


def text_introduction(result: RegionPortfolio) -> str:
    """The report's heading, its question, the selection it covers and the short report's
    notice (the notice of simulated inputs comes from the report protocol)."""
    lines = [
        f"# Tematisk utvärdering: {escape_md(result.region_name)}",
        "Vart går pengarna, och vad köper de? Rapporten visar hur medlen till projekten i "
        f"{escape_md(result.region_name)} fördelas på insatsresans klassning jämfört med riket, "
        "vilka prestationer projekten har rapporterat och var uppföljningen har hål.",
        text_scope(result),
        text_few_projects(result),
    ]
    return "\n\n".join(line for line in lines if line)


def text_overview(result: RegionPortfolio) -> str:
    """How many projects, how much money, per inhabitant and typical size, against the nation."""
    t, nation, place = result.total, result.national, escape_md(result.region_name)
    if t.projekt_berorda == 0:
        return f"Inga projekt som berör {place} startade {_during(result.params.period)}."
    others = ""
    if t.flerlansprojekt == t.projekt_berorda:
        every = {1: "det", 2: "båda"}.get(t.flerlansprojekt, "alla")
        others = f", och {every} täcker även andra län"
    elif t.flerlansprojekt:
        others = f", varav {fmt_number(t.flerlansprojekt)} även täcker andra län"
    share = t.belopp_sek / nation.belopp_sek if nation.belopp_sek else math.nan
    region = result.per_inhabitant.loc[result.lan_kod]
    years = _span(result.region_years)
    when = f"åren {years}" if "–" in years else years
    text = (
        f"Under {when} startade **{counted(t.projekt_berorda, 'projekt', 'projekt')}** som berör "
        f"{place}{others}. Delade efter länsandelar motsvarar de "
        f"{fmt_number(t.projekt_andelsviktade, 1)} projekt och **{fmt_kr(t.belopp_sek)}** i "
        f"beviljade medel, {fmt_percent(share, 1)} av rikets {fmt_kr(nation.belopp_sek)} "
        f"({counted(nation.projekt_berorda, 'projekt', 'projekt')})."
    )
    if not pd.isna(region["kr_per_invanare"]):
        text += (
            f" Det är **{fmt_number(region['kr_per_invanare'])} kr per invånare** (befolkningen "
            f"1 januari {int(region['befolkning_ar'])}), mot "
            f"{fmt_number(result.national_sek_per_inhabitant)} kr i riket."
        )
    text += (
        f" Medianen för beviljat belopp är {fmt_kr(t.median_belopp_sek)} och för projektens "
        f"längd {fmt_number(t.median_varaktighet_man)} månader (hela projekten, också den del "
        "som ligger i andra län)."
    )
    return text


def text_funding(result: Breakdown) -> str:
    """The län's money by funding source (the rows sum to the län's total)."""
    table = result.table[result.table["belopp_sek"] > 0]
    if table.empty:
        return ""
    if len(table) == 1:
        return f"Alla medel går till projekt med stöd ur {_SOURCES.get(table.index[0], '')}."
    parts = [
        f"{fmt_kr(row['belopp_sek'])} ({fmt_percent(row['andel_belopp'])}) till projekt med stöd "
        f"ur {_SOURCES.get(source, escape_md(source))}"
        for source, row in table.iterrows()
    ]
    return f"Av länets medel går {listed(parts)}."


def text_few_projects(result: RegionPortfolio) -> str:
    """The short report's notice; empty when the län has enough projects."""
    if not result.short:
        return ""
    count = result.total.projekt_berorda
    what = "Inga projekt" if count == 0 else f"Bara {fmt_number(count)} projekt"
    return (
        f"**Kort rapport.** {what} som berör {escape_md(result.region_name)} startade "
        f"{_during(result.params.period)}; den fullständiga rapporten kräver minst "
        f"{counted(result.few_projects, 'projekt', 'projekt')}. "
        "Med så få projekt säger andelar, lokaliseringskvoter och stryktips mer om enskilda "
        "projekt än om länets prioriteringar. Rapporten visar därför bara omfattningen, "
        "projekten och (om ett tema är valt) jämförelsen mellan länen. Välj en längre period "
        "för en fullständig rapport."
    )


def text_largest_categories(result: Breakdown, region_name: str) -> str:
    """The three categories of a dimension that get the most money in the län."""
    singular, plural = _FORMS[result.dimension]
    table = result.table[result.table["belopp_sek"] > 0]
    table = table.sort_values("belopp_sek", ascending=False, kind="stable")
    place = escape_md(region_name)
    if table.empty:
        return f"{place} har inga beviljade medel under perioden."
    parts = [
        f"{_name(result.dimension, c)} ({fmt_kr(row['belopp_sek'])}, "
        f"{fmt_percent(row['andel_belopp'])} av länets medel)"
        for c, row in table.head(3).iterrows()
    ]
    if len(parts) == 1:
        text = f"Alla medel i {place} går till {singular} {parts[0]}."
    elif len(table) == 2:
        text = f"Medlen i {place} går till de två {plural}: {listed(parts)}."
    else:
        text = f"De tre största {plural} i {place} är {listed(parts)}."
    if result.multi_valued:
        text += " Ett projekt räknas under vart och ett av sina teman."
    return text


def _largest(table: pd.DataFrame) -> list[str]:
    """The categories with the most money (all of them when several share the largest amount)."""
    money = table["belopp_sek"]
    if money.empty or money.max() <= 0:
        return []
    return [str(c) for c in money.index[money == money.max()]]


def text_largest_themes(result: Breakdown, region_name: str) -> str:
    """The largest theme of each theme group (project type, industry, purpose) in the län.

    Every project has one project type, but industry and purpose are optional and a project may
    have several, so each group is ranked on its own."""
    place = escape_md(region_name)
    table = result.table
    if result.total_sek <= 0:
        return f"{place} har inga beviljade medel under perioden."
    parts, missing = [], []
    for group, themes in THEMES.items():
        rows = table.loc[[t for t in themes if t in table.index]]
        top = _largest(rows)
        one, several = _THEME_GROUPS[group]
        if not top:
            missing.append(group)
            continue
        row = rows.loc[top[0]]
        each = " vardera" if len(top) > 1 else ""
        parts.append(
            f"{several if len(top) > 1 else one} {listed([f'*{escape_md(t)}*' for t in top])} "
            f"({fmt_kr(row['belopp_sek'])}, {fmt_percent(row['andel_belopp'])} av länets "
            f"medel{each})"
        )
    text = f"I {place} är {listed(parts)}." if parts else ""
    if missing:
        text += f" Inget projekt i länet har något tema för {listed(missing, 'eller')}."
    return (
        f"{text} Temana jämförs inom sitt slag: varje projekt har en projekttyp, men ingen, en "
        "eller flera branscher och syften."
    ).strip()


def text_rus_priorities(result: RegionPortfolio) -> str:
    """The län's own RUS priorities and where its money goes among them (nothing across län)."""
    place = escape_md(result.region_name)
    table = result.breakdowns["rus_prioritering"].table
    own = [escape_md(p) for p in result.rus_priorities]
    intro = (
        "RUS-prioriteringarna är länets egna, ur den regionala utvecklingsstrategin (RUS), och "
        "frivilliga att ange. Ett projekt som täcker flera län har en prioritering i varje läns "
        "strategi, så fördelningen gäller bara projektens prioriteringar i "
        f"{place}. Den jämförs inte med riket eller andra län: varje län har sina egna "
        "prioriteringar, också när två län använder samma ord."
    )
    if own:
        noun = "RUS-prioritering" if len(own) == 1 else "RUS-prioriteringar"
        intro = f"{place} har {_in_words(len(own))} {noun}: " + (
            listed([f"*{p}*" for p in own]) + ". " + intro
        )
    else:
        intro = f"Datamappen har ingen lista över RUS-prioriteringar för {place}. " + intro
    named = table.drop(index=[NO_RUS], errors="ignore")
    top = _largest(named)
    if top:
        row = named.loc[top[0]]
        shown = listed([f"*{escape_md(t)}*" for t in top])
        each = " vardera" if len(top) > 1 else ""
        intro += (
            f" Mest pengar går till {shown} ({fmt_kr(row['belopp_sek'])}, "
            f"{fmt_percent(row['andel_belopp'])} av länets medel{each})."
        )
    if NO_RUS in table.index and table.loc[NO_RUS, "belopp_sek"] > 0:
        row = table.loc[NO_RUS]
        intro += (
            f" Projekt utan angiven RUS-prioritering i länet har {fmt_kr(row['belopp_sek'])} "
            f"({fmt_percent(row['andel_belopp'])})."
        )
    return intro


def text_largest_deviation(deviation: Deviation | None, region_name: str) -> str:
    """The category where the län's share of money differs most from the nation's."""
    place = escape_md(region_name)
    if deviation is None:
        return f"{place} har inga medel under perioden, så profilen kan inte jämföras med rikets."
    singular, _ = _FORMS[deviation.dimension]
    category = _name(deviation.dimension, deviation.kategori)
    points = 100 * deviation.difference
    direction = "mer" if points > 0 else "mindre"
    quotient = (
        f", lokaliseringskvot {fmt_number(deviation.lokaliseringskvot, 2)}"
        if not math.isnan(deviation.lokaliseringskvot)
        else ""
    )
    return (
        f"Störst avvikelse från rikets profil: {singular} {category} "
        f"får {fmt_percent(deviation.andel_belopp)} av medlen i {place} mot "
        f"{fmt_percent(deviation.riket_andel_belopp)} i riket, {fmt_number(abs(points))} "
        f"procentenheter {direction}{quotient}. Lokaliseringskvoten är länets andel delad med "
        "rikets: över 1 satsar länet relativt sett mer än riket, under 1 mindre."
    )


def text_multi_theme_caveat(result: Breakdown) -> str:
    """Why theme sums exceed the total: a project counts under each of its themes."""
    if result.total_sek <= 0:
        return (
            "Ett projekt kan ha flera teman och räknas då under vart och ett av dem med hela "
            "sitt belopp."
        )
    ratio = result.table["belopp_sek"].sum() / result.total_sek
    return (
        "Ett projekt kan ha flera teman och räknas då under **vart och ett** av dem med hela "
        f"sitt belopp. Därför blir summan av temana {fmt_kr(result.table['belopp_sek'].sum())}, "
        f"{fmt_number(ratio, 1)} gånger länets {fmt_kr(result.total_sek)}, och summan av andelarna "
        "mer än 100 %. Jämför ett tema med riket eller med ett annat tema, men lägg inte ihop "
        "temana."
    )


def text_per_inhabitant(result: RegionPortfolio) -> str:
    """Where the län stands among the 21 in SEK per inhabitant."""
    values = result.per_inhabitant["kr_per_invanare"].dropna()
    if values.empty or values.max() <= 0:
        return "Inga medel per invånare att jämföra under perioden."
    names = result.region_names
    top, bottom = values.idxmax(), values.idxmin()
    text = (
        "Med flerlänsprojekt delade efter länsandelar är de beviljade medlen per invånare högst "
        f"i {escape_md(names.get(top, top))} ({fmt_number(values[top])} kr) och lägst i "
        f"{escape_md(names.get(bottom, bottom))} ({fmt_number(values[bottom])} kr). I riket är "
        f"de {fmt_number(result.national_sek_per_inhabitant)} kr per invånare."
    )
    if result.lan_kod in values.index:
        rank = int(values.rank(ascending=False, method="min")[result.lan_kod])
        text += (
            f" {escape_md(result.region_name)} ligger på plats {rank} av {len(values)} med "
            f"{fmt_number(values[result.lan_kod])} kr per invånare."
        )
    return text


def _high_share(profile: pd.DataFrame, level: str) -> float:
    money = profile["belopp_sek"]
    total = money.sum()
    if total <= 0:
        return math.nan
    return float(money[money.index.get_level_values(level) >= 2].sum() / total)


def text_sustainability(result: RegionPortfolio) -> str:
    """The share of money with a high sustainability purpose and method, against the nation."""
    place = escape_md(result.region_name)
    region, nation = result.sustainability, result.national_sustainability
    return (
        f"I {place} går {fmt_percent(_high_share(region, 'syfte'))} av medlen till "
        "projekt som i viss eller hög utsträckning syftar till att lösa miljömässiga och sociala "
        f"utmaningar (syfte 2–3), mot {fmt_percent(_high_share(nation, 'syfte'))} "
        f"i riket, och {fmt_percent(_high_share(region, 'metod'))} till projekt som "
        "själva integrerar hållbarhetsfrågor i viss eller hög utsträckning (metod 2–3), mot "
        f"{fmt_percent(_high_share(nation, 'metod'))} i riket. Tabellerna visar "
        "belopp och andelsviktade projekt för varje kombination av syfte (rader) och metod "
        "(kolumner), från 0 (inte alls) till 3 (i hög utsträckning)."
    )


def text_outputs(result: RegionPortfolio) -> str:
    """What the outputs are, how they are counted, and the largest totals."""
    table = result.outputs
    method = (
        "Prestationerna är de obligatoriska prestationsindikatorerna, summerade per effektkedja. "
        "För varje projekt och indikator används **den senaste rapporten med utfall**: "
        "slutrapporten om den har ett utfall, annars den senaste lägesrapporten (vars utfall är "
        "kumulativt). Målvärdet är det som står i samma rapport. Ett projekt som täcker flera "
        "län fördelas med **samma andelar som pengarna**, så ett antal kan bli ett decimaltal "
        "i ett län, men summan över alla län blir rikets total."
    )
    if table.empty:
        return method + " Inga projekt i länet har rapporterat utfall på dessa indikatorer."
    sums = table.groupby("indikator")["utfall"].sum()
    parts = [
        f"investeringar för {fmt_kr(sums[i])}"
        if i == "investeringar_kr"
        else f"{fmt_number(sums[i])} {MANDATORY_INDICATORS[i][0].lower()}"
        for i in MANDATORY_INDICATORS
        if i in sums.index
    ]
    return (
        f"{method}\n\nSammanlagt har projekten i {escape_md(result.region_name)} rapporterat "
        f"{listed(parts)} (andelsviktat, avrundat). {_final_reports(table)}"
    )


def _final_reports(table: pd.DataFrame) -> str:
    """Where the summed outcomes come from: final reports, progress reports or both."""
    total = int(table["projekt_med_utfall"].sum())
    final = int(table["projekt_med_slutrapport"].sum())
    if final == total:
        return (
            "Alla utfall som summeras kommer från en slutrapport."
            if total > 1
            else "Utfallet kommer från en slutrapport."
        )
    if final == 0:
        return (
            "Alla utfall som summeras kommer från en lägesrapport; inget projekt har lämnat "
            "slutrapport med utfall."
        )
    return (
        f"Av de {fmt_number(total)} utfall som summeras kommer {fmt_number(final)} "
        f"({fmt_percent(final / total)}) från en slutrapport och {fmt_number(total - final)} "
        "från en lägesrapport."
    )


def text_stryktips_holes(result: Stryktips) -> str:
    """The holes in the follow-up: rows and stages without any reported outcome."""
    stages = _STAGES
    plural = _PLURAL[result.dimension]
    if result.with_outcome.empty:
        return "Inga projekt under perioden, så det finns inget stryktips att visa."
    holes: dict[str, list[str]] = {}
    for hole in result.holes():
        holes.setdefault(hole.category, []).append(stages[hole.stage])
    share = result.share
    thin = [
        f"{_name(result.dimension, row)} ({stages[stage]}: "
        f"{result.with_outcome.loc[row, stage]} av {result.projects[row]} projekt)"
        for row in share.index
        for stage in share.columns
        if 0 < share.loc[row, stage] < THIN_SHARE
    ]
    lines = []
    if holes:
        rows = [f"{_name(result.dimension, row)} ({listed(s)})" for row, s in holes.items()]
        lines.append(
            f"**Hål i uppföljningen:** {len(holes)} av {len(share)} {plural} saknar utfall på "
            f"minst ett steg: {listed(rows)}."
        )
    else:
        every = f"alla {_in_words(len(share))} {plural}"
        if len(share) == 1:
            every = f"{_FORMS[result.dimension][0]} {_name(result.dimension, share.index[0])}"
        lines.append(
            f"**Inga hål:** {every} har minst ett projekt med utfall på vart och ett av de tre "
            "stegen."
        )
    if thin:
        lines.append(
            "Tunn uppföljning, där färre än hälften av radens projekt rapporterar utfall: "
            + listed(thin)
            + "."
        )
    if result.total_with_outcome is not None and result.total_projects:
        counts = [
            f"{stages[s]} {fmt_percent(result.total_with_outcome[s] / result.total_projects)}"
            for s in result.total_with_outcome.index
        ]
        lines.append(
            f"Andelen av länets {fmt_number(result.total_projects)} projekt som har rapporterat "
            f"något utfall: {listed(counts)}."
        )
    lines.append(
        "Resurser, aktiviteter och effekter på lång sikt följs inte upp med projektens "
        "indikatorer och är därför inte kolumner i matrisen."
    )
    return "\n\n".join(lines)


def text_projects(result: RegionPortfolio, simulated: tuple[SimulatedInput, ...] = ()) -> str:
    """The largest beneficiary, with real names escaped; when the report rests on simulated
    inputs, which parts of the project table are real (``simulated`` from the protocol)."""
    table = result.largest_beneficiaries
    if table.empty:
        return ""
    top = table.iloc[0]
    text = (
        "Beloppet i länet är projektets beviljade belopp gånger länets andel. Störst "
        f"stödmottagare i {escape_md(result.region_name)} är {escape_md(top['stodmottagare'])} "
        f"med {fmt_kr(top['belopp_sek'])} i "
        f"{_projects_count(int(top['projekt_berorda']))}."
    )
    projects = next((i for i in simulated if i.tabell == "projekt"), None)
    if projects is not None and projects.kolumner:
        real = "Projektnamn, stödmottagare, belopp och datum är verkliga uppgifter"
        if "effektkedja" in projects.kolumner:
            real += "; effektkedjan är simulerad"
        text = f"{real}. {text}"
    return text


def _projects_count(n: int) -> str:
    return "ett projekt" if n == 1 else counted(n, "projekt", "projekt")


def text_theme_view(view: ThemeView, region_names: pd.Series, lan_kod: str | None = None) -> str:
    """Which län invest how much in the theme, with which chains, and what outputs."""
    kind = "temat" if view.kind == "tema" else "fokusområdet"
    theme = f"*{escape_md(view.theme)}*"
    rows = view.by_region
    if view.national_sek <= 0:
        return f"Inga projekt med {kind} {theme} startade under perioden."

    def name(code: str) -> str:
        return escape_md(region_names.get(code, code))

    money = rows["belopp_sek"].sort_values(ascending=False, kind="stable")
    money = money[money > 0]
    per_head = rows["kr_per_invanare"].dropna().sort_values(ascending=False, kind="stable")
    chains = view.by_chain.sum().sort_values(ascending=False, kind="stable")
    top_chain = chains.index[0]
    without = int((rows["belopp_sek"] == 0).sum())
    text = (
        f"**{theme.strip('*')} i alla län.** Under perioden startade "
        f"{_projects_count(view.national_projects)} med {kind} {theme}, med "
        f"{fmt_kr(view.national_sek)} i beviljade medel "
        f"({fmt_number(view.national_sek_per_inhabitant)} kr per invånare i riket). "
        "Mest pengar: "
        + listed([f"{name(c)} ({fmt_kr(money[c])})" for c in money.index[:3]])
        + f". Mest per invånare: {name(per_head.index[0])} ({fmt_number(per_head.iloc[0])} kr). "
        + (
            f"Alla {len(rows)} län har projekt med {kind}. "
            if without == 0
            else f"I {without} av {len(rows)} län finns inga projekt med {kind}. "
        )
        + "Störst effektkedja är "
        f"{_name('effektkedja', top_chain)} med {fmt_percent(chains[top_chain] / chains.sum())} "
        "av medlen."
    )
    if view.kind == "tema":
        text += " Ett projekt med flera teman räknas här med hela sitt belopp."
    outputs = view.outputs.sum()
    parts = [
        f"investeringar för {fmt_kr(outputs[i])}"
        if i == "investeringar_kr"
        else f"{fmt_number(outputs[i])} {MANDATORY_INDICATORS[i][0].lower()}"
        for i in MANDATORY_INDICATORS
        if outputs.get(i, 0) > 0
    ]
    if parts:
        text += f" Rapporterade prestationer i riket: {listed(parts)}."
    if lan_kod is not None and lan_kod in rows.index and rows.loc[lan_kod, "belopp_sek"] <= 0:
        text += f"\n\n{name(lan_kod)} har inga projekt med {kind} under perioden."
    elif lan_kod is not None and lan_kod in rows.index:
        row = rows.loc[lan_kod]
        quotient = row["lokaliseringskvot"]
        text += (
            f"\n\nI {name(lan_kod)}: {fmt_kr(row['belopp_sek'])} "
            f"({fmt_number(row['kr_per_invanare'])} kr per invånare"
            + (f", lokaliseringskvot {fmt_number(quotient, 2)}" if not pd.isna(quotient) else "")
            + ")."
        )
    return text
