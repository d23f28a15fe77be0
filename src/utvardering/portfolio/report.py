"""Build the thematic report of one län: sections of text, tables and figures, and its files.

:func:`build_report` turns the analysis into named :class:`Sektion` s, each of which a notebook
shows with ``display(rapport.sektion("kategorier"))``. A län with fewer than
:data:`~utvardering.portfolio.analysis.FEW_PROJECTS` projects gets the short report: the
sections that would only describe single projects are empty and show nothing.
:func:`write_outputs` writes the key results (``tema.json``), one Excel workbook with every
table of the report (``tema_<lan_kod>.xlsx``) and the figures as PNG.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from utvardering.dataset import Dataset
from utvardering.figures import Figur
from utvardering.format import escape_md
from utvardering.portfolio import figures as fig
from utvardering.portfolio import report_tables as tab
from utvardering.portfolio import text
from utvardering.portfolio.analysis import (
    FEW_PROJECTS,
    REPORT,
    RegionPortfolio,
    analyse_region,
    result_payload,
)
from utvardering.portfolio.parameters import ReportParameters
from utvardering.results import write_results
from utvardering.tables import save_excel

__all__ = ["SECTIONS", "RegionReport", "Sektion", "build_report", "write_outputs"]

# The report's sections in reading order, with their Swedish headings.
SECTIONS: dict[str, str] = {
    "omfattning": "Omfattning: projekt och pengar",
    "kategorier": "Vart går pengarna?",
    "teman": "Teman och RUS-prioriteringar",
    "per_invanare": "Per invånare i alla län",
    "hallbarhet": "Hållbarhetsprofil",
    "prestationer": "Vad pengarna köper: prestationer per effektkedja",
    "stryktips": "Stryktipset: var uppföljningen har hål",
    "projekt": "Största projekt och stödmottagare",
    "tematisk_vy": "Tematisk jämförelse mellan länen",
}
# Sections the short report keeps (the others describe too few projects to say anything).
_SHORT_SECTIONS = ("omfattning", "tematisk_vy")

Block = str | tab.Tabell | Figur


@dataclass(frozen=True)
class Sektion:
    """A heading and its blocks (Markdown text, tables, figures); empty when left out."""

    rubrik: str = ""
    innehall: tuple[Block, ...] = ()

    @property
    def tom(self) -> bool:
        return not self.innehall

    @property
    def tabeller(self) -> tuple[tab.Tabell, ...]:
        return tuple(b for b in self.innehall if isinstance(b, tab.Tabell))

    def _ipython_display_(self) -> None:
        from IPython.display import Markdown, display

        if self.tom:
            return
        display(Markdown(f"## {self.rubrik}"))
        for block in self.innehall:
            if isinstance(block, str):
                if block:
                    display(Markdown(block))
            elif isinstance(block, tab.Tabell):
                display(Markdown(f"**Tabell: {escape_md(block.namn)}**"))
                shown = block.visning()
                display(shown.set_index(shown.columns[0]))
            else:
                display(block)


@dataclass(frozen=True)
class RegionReport:
    """The thematic report of one län: the analysis and its sections."""

    analys: RegionPortfolio
    sektioner: dict[str, Sektion]
    figurer: dict[str, Figur] = field(default_factory=dict)  # file stem -> figure

    def sektion(self, namn: str) -> Sektion:
        """The section ``namn`` (a key of :data:`SECTIONS`); empty if the report leaves it out."""
        if namn not in SECTIONS:
            raise KeyError(f"okänt avsnitt {namn!r}; finns: {', '.join(SECTIONS)}")
        return self.sektioner.get(namn, Sektion())

    @property
    def tabeller(self) -> dict[str, tab.Tabell]:
        """Every table shown in the report, by name (the Excel sheets)."""
        return {t.namn: t for s in self.sektioner.values() for t in s.tabeller}

    @property
    def inledning(self) -> str:
        """The report's heading and caveats (Markdown)."""
        a = self.analys
        start, end = a.parametrar.period
        lines = [
            f"# Tematisk utvärdering: {escape_md(a.lan_namn)}",
            f"Projekt i Regionala utvecklingsfonden som startade {start}–{end}. Frågan är "
            "*vart pengarna går* och *vad de köper*: fördelningen på insatsresans klassning, "
            "jämfört med riket, prestationerna och var uppföljningen har hål.",
            text.text_few_projects(a),
            text.text_simulated_classification(),
        ]
        return "\n\n".join(line for line in lines if line)


def _figures(a: RegionPortfolio, karta: dict) -> dict[str, Figur]:
    code = a.lan_kod
    start, end = a.parametrar.period
    period = f"{start}–{end}"
    out: dict[str, Figur] = {}
    if not a.kort:
        for dimension in ("nationell_prioritering", "fokusomrade", "effektkedja", "tema"):
            out[f"tema_{code}_{dimension}"] = fig.plot_category_bars(
                a.fordelningar[dimension], a.lan_namn
            )
        out[f"tema_{code}_per_invanare"] = fig.plot_per_inhabitant_map(
            a.per_invanare["kr_per_invanare"],
            karta,
            code,
            f"Beviljade medel per invånare, projekt som startade {period}",
        )
        out[f"tema_{code}_stryktips"] = fig.plot_stryktips(a.stryktips, a.lan_namn)
    if a.tema_vy is not None:
        out[f"tema_{code}_tema_karta"] = fig.plot_theme_map(a.tema_vy, karta, code, period)
        out[f"tema_{code}_tema_kedjor"] = fig.plot_theme_chains(a.tema_vy, a.kortnamn)
    return out


def _sections(a: RegionPortfolio, figurer: dict[str, Figur]) -> dict[str, Sektion]:
    code = a.lan_kod
    fd = a.fordelningar
    start_years = tab.table_start_years(a.per_startar, a.totalt)
    sections: dict[str, tuple[Block, ...]] = {}
    if a.kort:
        sections["omfattning"] = (
            text.text_overview(a),
            start_years,
            tab.table_projects(a.projektlista, "Projekten"),
        )
    else:
        sections["omfattning"] = (text.text_overview(a), start_years)
        sections["kategorier"] = (
            "\n\n".join(
                [
                    text.text_largest_categories(fd["nationell_prioritering"], a.lan_namn),
                    text.text_largest_categories(fd["fokusomrade"], a.lan_namn),
                    text.text_largest_categories(fd["effektkedja"], a.lan_namn),
                    text.text_largest_deviation(a.avvikelse, a.lan_namn),
                ]
            ),
            tab.table_breakdown(fd["nationell_prioritering"]),
            figurer[f"tema_{code}_nationell_prioritering"],
            tab.table_breakdown(fd["fokusomrade"]),
            figurer[f"tema_{code}_fokusomrade"],
            tab.table_breakdown(fd["effektkedja"]),
            figurer[f"tema_{code}_effektkedja"],
        )
        sections["teman"] = (
            text.text_largest_categories(fd["tema"], a.lan_namn),
            text.text_multi_theme_caveat(fd["tema"]),
            tab.table_breakdown(fd["tema"]),
            figurer[f"tema_{code}_tema"],
            text.text_largest_categories(fd["rus_prioritering"], a.lan_namn)
            + " RUS-prioriteringarna är regionens egna och frivilliga att ange; rikets andel "
            "avser projekt i alla län med samma namn på prioriteringen.",
            tab.table_breakdown(fd["rus_prioritering"]),
        )
        sections["per_invanare"] = (
            text.text_per_inhabitant(a),
            figurer[f"tema_{code}_per_invanare"],
            tab.table_per_inhabitant(a.per_invanare, a.lannamn, a.riket_kr_per_invanare),
        )
        sections["hallbarhet"] = (
            text.text_sustainability(a),
            tab.table_sustainability(a.hallbarhet, "belopp_sek"),
            tab.table_sustainability(a.hallbarhet, "projekt_andelsviktade"),
        )
        sections["prestationer"] = (text.text_outputs(a), tab.table_outputs(a.prestationer))
        sections["stryktips"] = (
            "Som i stryktipset från workshoppen: varje rad är ett tema i länets portfölj och "
            "varje kolumn ett steg i effektkedjan. Ett X betyder att minst ett av radens projekt "
            "har rapporterat ett utfall för en indikator på steget; en tom ruta är ett hål.",
            text.text_stryktips_holes(a.stryktips),
            tab.table_stryktips(a.stryktips),
            figurer[f"tema_{code}_stryktips"],
            "Samma matris per nationell prioritering:",
            text.text_stryktips_holes(a.stryktips_prioritering).split("\n\n")[0],
            tab.table_stryktips(a.stryktips_prioritering),
        )
        sections["projekt"] = (
            text.text_projects(a),
            tab.table_projects(a.storsta_projekt),
            tab.table_beneficiaries(a.storsta_stodmottagare),
        )
    if a.tema_vy is not None:
        view = a.tema_vy
        sections["tematisk_vy"] = (
            text.text_theme_view(view, a.lannamn, code),
            figurer[f"tema_{code}_tema_karta"],
            tab.table_theme_regions(view, a.lannamn),
            figurer[f"tema_{code}_tema_kedjor"],
            tab.table_theme_chains(view, a.lannamn),
            tab.table_theme_outputs(view, a.lannamn),
        )
    return {
        name: Sektion(SECTIONS[name], blocks)
        for name, blocks in sections.items()
        if not a.kort or name in _SHORT_SECTIONS
    }


def build_report(
    ds: Dataset, parametrar: ReportParameters, fa_projekt: int = FEW_PROJECTS
) -> RegionReport:
    """Analyse the län and lay the results out as the report's sections.

    A län with fewer than ``fa_projekt`` projects gets the short report.
    """
    analys = analyse_region(ds, parametrar, fa_projekt)
    figurer = _figures(analys, ds.karta)
    return RegionReport(analys=analys, sektioner=_sections(analys, figurer), figurer=figurer)


def write_outputs(
    report: RegionReport, utdata_dir: Path | str, parametrar: dict[str, Any]
) -> dict[str, Path]:
    """Write ``tema.json``, ``tema_<lan_kod>.xlsx`` and the figures (PNG) to ``utdata_dir``.

    ``parametrar`` are the notebook's parameters as given, stored in the JSON for provenance.
    Returns the written paths by kind (``"json"``, ``"excel"``, and each figure's file stem).
    """
    folder = Path(utdata_dir)
    code = report.analys.lan_kod
    paths = {
        "json": write_results(folder / f"{REPORT}.json", result_payload(report.analys, parametrar)),
        "excel": save_excel(
            {name: t.data for name, t in report.tabeller.items()},
            folder / f"{REPORT}_{code}.xlsx",
        ),
    }
    for stem, figur in report.figurer.items():
        paths[stem] = figur.save(folder / f"{stem}.png")
    return paths
