"""Build the thematic report of one län: its sections of text, tables and figures, and its files.

:func:`build` analyses the län and returns a :class:`ThematicReport`, which follows the report
protocol (:mod:`utvardering.protocol`): a notebook shows ``rapport.section("kategorier")``, and
``rapport.write(utdata_dir)`` writes the key results (``tema.json``), one Excel workbook with
every table of the report (``tema_<lan_kod>.xlsx``) and the figures as PNG. A län with fewer
than :data:`~utvardering.portfolio.analysis.FEW_PROJECTS` projects gets the short report: the
sections that would only describe single projects are empty and show nothing.
"""

from __future__ import annotations

import functools
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
from utvardering.protocol import Block, Report, save_figures
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
    analysis: RegionPortfolio
    figures: dict[str, Figur] = field(default_factory=dict)  # file stem -> figure

    @functools.cached_property
    def blocks(self) -> dict[str, tuple[Block, ...]]:
        """Section name -> its blocks (a section left out has none). Laid out on first use,
        after ``ReportType.build`` has set the simulated inputs that some text depends on."""
        return _blocks(self.analysis, self.figures, self.simulated_inputs)

    def _section(self, name: str) -> tuple[Block, ...]:
        return self.blocks.get(name, ())

    @property
    def tables(self) -> dict[str, tab.Table]:
        """Every table shown in the report, by name."""
        return {
            b.name: b for blocks in self.blocks.values() for b in blocks if isinstance(b, tab.Table)
        }

    def save(self, directory: Path | str) -> dict[str, str]:
        """Write ``tema_<lan_kod>.xlsx`` (every table, amounts in kr) and the figures (PNG) to
        ``directory``.

        Returns the file names by kind (``"excel"``, and each figure's file stem).
        """
        folder = Path(directory)
        workbook = save_excel(
            {t.sheet_name: t.excel_data() for t in self.tables.values()},
            folder / f"{self.TYPE_NAME}_{self.params.lan_kod}.xlsx",
        )
        return {"excel": workbook.name, **save_figures(self.figures, folder)}

    def payload(self) -> dict[str, Any]:
        """The key results as plain data: the body of ``tema.json`` (see :func:`result_body`)."""
        return result_body(self.analysis)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.reset_index().to_dict(orient="records")


def _stryktips_payload(result: Stryktips) -> list[dict[str, Any]]:
    return [
        {
            "kategori": row,
            "projekt": int(result.projects[row]),
            **{stage: int(result.with_outcome.loc[row, stage]) for stage in result.with_outcome},
            "hal": [h.stage for h in result.holes() if h.category == row],
        }
        for row in result.with_outcome.index
    ]


def _theme_payload(view: ThemeView) -> dict[str, Any]:
    by_region = view.by_region.join(view.by_chain.add_prefix("belopp_sek_"))
    by_region = by_region.join(view.outputs.add_prefix("utfall_"))
    return {
        "tema": view.theme,
        "tema_typ": view.kind,
        "riket": {
            "projekt": view.national_projects,
            "belopp_sek": view.national_sek,
            "kr_per_invanare": view.national_sek_per_inhabitant,
        },
        "per_lan": _records(by_region),
    }


def result_body(result: RegionPortfolio) -> dict[str, Any]:
    """The key results of the report as plain data: the body of ``tema.json``.

    Needs only the analysis, not the figures, so that a result file is cheap to make
    (``protocol.result_file("tema", params, result_body(analysis))``). The additive fields
    (``projekt_andelsviktade``, ``belopp_sek``, ``utfall``, ``malvarde``) sum over the 21 län
    files to the national totals; ``projekt_berorda`` does not (a project that covers several
    län touches each of them).
    """
    region = result.per_inhabitant.loc[result.lan_kod]
    breakdowns = {}
    for dimension, part in result.breakdowns.items():
        records = _records(part.table)
        if dimension == "effektkedja":
            for record in records:
                record["namn"] = CHAIN_NAMES.get(record["kategori"], record["kategori"])
        breakdowns[dimension] = records
    return {
        "lan_kod": result.lan_kod,
        "lan_namn": result.region_name,
        "tema": result.params.tema or "",
        "period": list(result.params.period),
        "finansiering": result.params.finansiering,
        "kort_rapport": result.short,
        "grans_fa_projekt": result.few_projects,
        "metod": dict(text.METHOD),
        "totalt": {**vars(result.total), "kr_per_invanare": region["kr_per_invanare"]},
        "befolkning": {"varde": region["befolkning"], "ar": region["befolkning_ar"]},
        "riket": {
            **vars(result.national),
            "befolkning": result.per_inhabitant["befolkning"].sum(),
            "kr_per_invanare": result.national_sek_per_inhabitant,
        },
        "per_startar": _records(result.start_years),
        "fordelning": breakdowns,
        "storsta_avvikelse": result.deviation,
        "hallbarhet": _records(result.sustainability),
        "prestationer_per_kedja": result.outputs.to_dict(orient="records"),
        "stryktips": {
            "tema": _stryktips_payload(result.stryktips),
            "nationell_prioritering": _stryktips_payload(result.stryktips_by_priority),
        },
        "tematisk_vy": None if result.theme_view is None else _theme_payload(result.theme_view),
    }


def _figures(a: RegionPortfolio, geo: dict) -> dict[str, Figur]:
    prefix = f"{ThematicReport.TYPE_NAME}_{a.lan_kod}"
    # The start years of the projects really shown (the nation's), not the period asked for.
    years = a.national_years or a.params.period
    period = str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"
    out: dict[str, Figur] = {}
    if not a.short:
        for dimension in ("nationell_prioritering", "fokusomrade", "effektkedja", "tema"):
            out[f"{prefix}_{dimension}"] = fig.plot_category_bars(
                a.breakdowns[dimension], a.region_name
            )
        out[f"{prefix}_per_invanare"] = fig.plot_per_inhabitant_map(
            a.per_inhabitant["kr_per_invanare"],
            geo,
            a.lan_kod,
            f"Beviljade medel per invånare, projekt som startade {period}",
        )
        out[f"{prefix}_stryktips"] = fig.plot_stryktips(a.stryktips, a.region_name)
    if a.theme_view is not None:
        out[f"{prefix}_tema_karta"] = fig.plot_theme_map(a.theme_view, geo, a.lan_kod, period)
        out[f"{prefix}_tema_kedjor"] = fig.plot_theme_chains(a.theme_view, a.short_names)
    return out


def _blocks(
    a: RegionPortfolio, figures: dict[str, Figur], simulated: tuple = ()
) -> dict[str, tuple[Block, ...]]:
    prefix = f"{ThematicReport.TYPE_NAME}_{a.lan_kod}"
    parts = a.breakdowns
    start_years = tab.table_start_years(a.start_years, a.total)
    funding = (
        text.text_funding(parts["finansieringskalla"]),
        tab.table_breakdown(parts["finansieringskalla"]),
    )
    sections: dict[str, tuple[Block, ...]] = {"inledning": (text.text_introduction(a),)}
    if a.short:
        sections["omfattning"] = (
            text.text_overview(a),
            start_years,
            *funding,
            tab.table_projects(a.projects, "Projekten"),
        )
    else:
        sections["omfattning"] = (text.text_overview(a), start_years, *funding)
        sections["kategorier"] = (
            "\n\n".join(
                [
                    text.text_largest_categories(parts["nationell_prioritering"], a.region_name),
                    text.text_largest_categories(parts["fokusomrade"], a.region_name),
                    text.text_largest_categories(parts["effektkedja"], a.region_name),
                    text.text_largest_deviation(a.deviation, a.region_name),
                ]
            ),
            tab.table_breakdown(parts["nationell_prioritering"]),
            figures[f"{prefix}_nationell_prioritering"],
            tab.table_breakdown(parts["fokusomrade"]),
            figures[f"{prefix}_fokusomrade"],
            tab.table_breakdown(parts["effektkedja"]),
            figures[f"{prefix}_effektkedja"],
        )
        sections["teman"] = (
            text.text_largest_themes(parts["tema"], a.region_name),
            text.text_multi_theme_caveat(parts["tema"]),
            tab.table_breakdown(parts["tema"]),
            figures[f"{prefix}_tema"],
            text.text_rus_priorities(a),
            tab.table_breakdown(parts["rus_prioritering"]),
        )
        sections["per_invanare"] = (
            text.text_per_inhabitant(a),
            figures[f"{prefix}_per_invanare"],
            tab.table_per_inhabitant(
                a.per_inhabitant, a.region_names, a.national_sek_per_inhabitant
            ),
        )
        sections["hallbarhet"] = (
            text.text_sustainability(a),
            tab.table_sustainability(a.sustainability, "belopp_sek"),
            tab.table_sustainability(a.sustainability, "projekt_andelsviktade"),
        )
        sections["prestationer"] = (text.text_outputs(a), tab.table_outputs(a.outputs))
        sections["stryktips"] = (
            text.STRYKTIPS_EXPLANATION,
            text.text_stryktips_holes(a.stryktips),
            tab.table_stryktips(a.stryktips),
            figures[f"{prefix}_stryktips"],
            text.STRYKTIPS_BY_PRIORITY,
            text.text_stryktips_holes(a.stryktips_by_priority).split("\n\n")[0],
            tab.table_stryktips(a.stryktips_by_priority),
        )
        sections["projekt"] = (
            text.text_projects(a, simulated),
            tab.table_projects(a.largest_projects),
            tab.table_beneficiaries(a.largest_beneficiaries),
        )
    if a.theme_view is not None:
        view = a.theme_view
        sections["tematisk_vy"] = (
            text.text_theme_view(view, a.region_names, a.lan_kod),
            figures[f"{prefix}_tema_karta"],
            tab.table_theme_regions(view, a.region_names),
            figures[f"{prefix}_tema_kedjor"],
            tab.table_theme_chains(view, a.region_names),
            tab.table_theme_outputs(view, a.region_names),
        )
    return {
        name: blocks for name, blocks in sections.items() if not a.short or name in SHORT_SECTIONS
    }


def build(
    ds: Dataset, params: ThematicParameters, few_projects: int = FEW_PROJECTS
) -> ThematicReport:
    """Analyse the län and lay the results out as the report's sections.

    ``ds`` holds the tables of ``report_type("tema").tables``. A län with fewer than
    ``few_projects`` projects gets the short report.
    """
    analysis = analyse_region(ds, params, few_projects)
    return ThematicReport(params=params, analysis=analysis, figures=_figures(analysis, ds.karta))
