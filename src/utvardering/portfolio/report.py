"""Build the thematic report of one län: its sections of text, tables and figures, and its files.

:func:`build` analyses the län and returns a :class:`ThematicReport`, which follows the report
protocol (:mod:`utvardering.protocol`): a notebook shows ``rapport.section("kategorier")``, and
``rapport.write(utdata_dir)`` writes the key results (``tema.json``), one Excel workbook with
every table of the report (``tema_<lan_kod>.xlsx``) and the figures as PNG. A län with fewer
than :data:`~utvardering.portfolio.analysis.FEW_PROJECTS` projects gets the short report: the
sections that would only describe single projects are empty and show nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.figures import Figur
from utvardering.portfolio import figures as fig
from utvardering.portfolio import report_tables as tab
from utvardering.portfolio import text
from utvardering.portfolio.analysis import FEW_PROJECTS, RegionPortfolio, analyse_region
from utvardering.portfolio.parameters import ThematicParameters
from utvardering.portfolio.stryktips import Stryktips
from utvardering.portfolio.theme import ThemeView
from utvardering.protocol import Block, Report
from utvardering.tables import save_excel
from utvardering.vocabulary import CHAIN_NAMES

__all__ = ["SECTIONS", "ThematicReport", "build", "result_body"]

# The report's sections in reading order, with their Swedish headings. The introduction has
# none: its text starts with the report's title.
SECTIONS: dict[str, str] = {
    "inledning": "",
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
SHORT_SECTIONS = ("inledning", "omfattning", "tematisk_vy")


@dataclass(frozen=True)
class ThematicReport(Report):
    """The thematic report of one län: its parameters, the analysis, its blocks and figures."""

    TYPE_NAME: ClassVar[str] = "tema"
    SECTIONS: ClassVar[dict[str, str]] = SECTIONS

    params: ThematicParameters
    analys: RegionPortfolio
    blocks: dict[str, tuple[Block, ...]]  # section name -> its blocks; missing: left out
    figurer: dict[str, Figur] = field(default_factory=dict)  # file stem -> figure

    def _section(self, name: str) -> tuple[Block, ...]:
        return self.blocks.get(name, ())

    @property
    def tabeller(self) -> dict[str, tab.Tabell]:
        """Every table shown in the report, by name (the Excel sheets)."""
        return {
            b.namn: b
            for blocks in self.blocks.values()
            for b in blocks
            if isinstance(b, tab.Tabell)
        }

    def save(self, directory: Path | str) -> dict[str, str]:
        """Write ``tema_<lan_kod>.xlsx`` and the figures (PNG) to ``directory``.

        Returns the file names by kind (``"excel"``, and each figure's file stem).
        """
        folder = Path(directory)
        workbook = save_excel(
            {name: t.data for name, t in self.tabeller.items()},
            folder / f"{self.TYPE_NAME}_{self.params.lan_kod}.xlsx",
        )
        files = {"excel": workbook.name}
        for stem, figur in self.figurer.items():
            files[stem] = figur.save(folder / f"{stem}.png").name
        return files

    def payload(self) -> dict[str, Any]:
        """The key results as plain data: the body of ``tema.json`` (see :func:`result_body`)."""
        return result_body(self.analys)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.reset_index().to_dict(orient="records")


def _stryktips_payload(result: Stryktips) -> list[dict[str, Any]]:
    return [
        {
            "kategori": row,
            "projekt": int(result.projekt[row]),
            **{stage: int(result.med_utfall.loc[row, stage]) for stage in result.med_utfall},
            "hal": [h.steg for h in result.hal() if h.kategori == row],
        }
        for row in result.med_utfall.index
    ]


def _theme_payload(view: ThemeView) -> dict[str, Any]:
    per_lan = view.per_lan.join(view.per_kedja.add_prefix("belopp_sek_"))
    per_lan = per_lan.join(view.prestationer.add_prefix("utfall_"))
    return {
        "tema": view.tema,
        "tema_typ": view.tema_typ,
        "riket": {
            "projekt": view.riket_projekt,
            "belopp_sek": view.riket_belopp_sek,
            "kr_per_invanare": view.riket_kr_per_invanare,
        },
        "per_lan": _records(per_lan),
    }


def result_body(result: RegionPortfolio) -> dict[str, Any]:
    """The key results of the report as plain data: the body of ``tema.json``.

    Needs only the analysis, not the figures, so that a result file is cheap to make
    (``protocol.result_file("tema", params, result_body(analysis))``). The additive fields
    (``projekt_andelsviktade``, ``belopp_sek``, ``utfall``, ``malvarde``) sum over the 21 län
    files to the national totals; ``projekt_berorda`` does not (a project that covers several
    län touches each of them).
    """
    region = result.per_invanare.loc[result.lan_kod]
    fordelning = {}
    for dimension, part in result.fordelningar.items():
        records = _records(part.table)
        if dimension == "effektkedja":
            for record in records:
                record["namn"] = CHAIN_NAMES.get(record["kategori"], record["kategori"])
        fordelning[dimension] = records
    return {
        "lan_kod": result.lan_kod,
        "lan_namn": result.lan_namn,
        "tema": result.parametrar.tema or "",
        "period": list(result.parametrar.period),
        "kort_rapport": result.kort,
        "grans_fa_projekt": result.grans_fa_projekt,
        "metod": dict(text.METHOD),
        "totalt": {**vars(result.totalt), "kr_per_invanare": region["kr_per_invanare"]},
        "befolkning": {"varde": region["befolkning"], "ar": region["befolkning_ar"]},
        "riket": {
            **vars(result.riket),
            "befolkning": result.per_invanare["befolkning"].sum(),
            "kr_per_invanare": result.riket_kr_per_invanare,
        },
        "per_startar": _records(result.per_startar),
        "fordelning": fordelning,
        "storsta_avvikelse": result.avvikelse,
        "hallbarhet": _records(result.hallbarhet),
        "prestationer_per_kedja": result.prestationer.to_dict(orient="records"),
        "stryktips": {
            "tema": _stryktips_payload(result.stryktips),
            "nationell_prioritering": _stryktips_payload(result.stryktips_prioritering),
        },
        "tematisk_vy": None if result.tema_vy is None else _theme_payload(result.tema_vy),
    }


def _figures(a: RegionPortfolio, karta: dict) -> dict[str, Figur]:
    prefix = f"{ThematicReport.TYPE_NAME}_{a.lan_kod}"
    start, end = a.parametrar.period
    period = f"{start}–{end}"
    out: dict[str, Figur] = {}
    if not a.kort:
        for dimension in ("nationell_prioritering", "fokusomrade", "effektkedja", "tema"):
            out[f"{prefix}_{dimension}"] = fig.plot_category_bars(
                a.fordelningar[dimension], a.lan_namn
            )
        out[f"{prefix}_per_invanare"] = fig.plot_per_inhabitant_map(
            a.per_invanare["kr_per_invanare"],
            karta,
            a.lan_kod,
            f"Beviljade medel per invånare, projekt som startade {period}",
        )
        out[f"{prefix}_stryktips"] = fig.plot_stryktips(a.stryktips, a.lan_namn)
    if a.tema_vy is not None:
        out[f"{prefix}_tema_karta"] = fig.plot_theme_map(a.tema_vy, karta, a.lan_kod, period)
        out[f"{prefix}_tema_kedjor"] = fig.plot_theme_chains(a.tema_vy, a.kortnamn)
    return out


def _blocks(a: RegionPortfolio, figurer: dict[str, Figur]) -> dict[str, tuple[Block, ...]]:
    prefix = f"{ThematicReport.TYPE_NAME}_{a.lan_kod}"
    fd = a.fordelningar
    start_years = tab.table_start_years(a.per_startar, a.totalt)
    sections: dict[str, tuple[Block, ...]] = {"inledning": (text.text_introduction(a),)}
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
            figurer[f"{prefix}_nationell_prioritering"],
            tab.table_breakdown(fd["fokusomrade"]),
            figurer[f"{prefix}_fokusomrade"],
            tab.table_breakdown(fd["effektkedja"]),
            figurer[f"{prefix}_effektkedja"],
        )
        sections["teman"] = (
            text.text_largest_categories(fd["tema"], a.lan_namn),
            text.text_multi_theme_caveat(fd["tema"]),
            tab.table_breakdown(fd["tema"]),
            figurer[f"{prefix}_tema"],
            text.text_largest_categories(fd["rus_prioritering"], a.lan_namn) + text.RUS_CAVEAT,
            tab.table_breakdown(fd["rus_prioritering"]),
        )
        sections["per_invanare"] = (
            text.text_per_inhabitant(a),
            figurer[f"{prefix}_per_invanare"],
            tab.table_per_inhabitant(a.per_invanare, a.lannamn, a.riket_kr_per_invanare),
        )
        sections["hallbarhet"] = (
            text.text_sustainability(a),
            tab.table_sustainability(a.hallbarhet, "belopp_sek"),
            tab.table_sustainability(a.hallbarhet, "projekt_andelsviktade"),
        )
        sections["prestationer"] = (text.text_outputs(a), tab.table_outputs(a.prestationer))
        sections["stryktips"] = (
            text.STRYKTIPS_EXPLANATION,
            text.text_stryktips_holes(a.stryktips),
            tab.table_stryktips(a.stryktips),
            figurer[f"{prefix}_stryktips"],
            text.STRYKTIPS_BY_PRIORITY,
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
            text.text_theme_view(view, a.lannamn, a.lan_kod),
            figurer[f"{prefix}_tema_karta"],
            tab.table_theme_regions(view, a.lannamn),
            figurer[f"{prefix}_tema_kedjor"],
            tab.table_theme_chains(view, a.lannamn),
            tab.table_theme_outputs(view, a.lannamn),
        )
    return {
        name: blocks for name, blocks in sections.items() if not a.kort or name in SHORT_SECTIONS
    }


def build(
    ds: Dataset, params: ThematicParameters, fa_projekt: int = FEW_PROJECTS
) -> ThematicReport:
    """Analyse the län and lay the results out as the report's sections.

    ``ds`` holds the tables of ``report_type("tema").tables``. A län with fewer than
    ``fa_projekt`` projects gets the short report.
    """
    analys = analyse_region(ds, params, fa_projekt)
    figurer = _figures(analys, ds.karta)
    return ThematicReport(
        params=params, analys=analys, blocks=_blocks(analys, figurer), figurer=figurer
    )
