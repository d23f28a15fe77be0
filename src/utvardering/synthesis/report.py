"""Build the national synthesis of a run: every part, figure and table, ready to show and save.

:func:`build` is the report type's build (``typ.build(ds, parametrar)`` in
``nationell_syntes.ipynb``). It reads the region results once
(:mod:`utvardering.synthesis.collect`), combines them, and reads from the data folder only what
no region report has: names, the map, population, the regional indicators and the projects
table's totals (as a check).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.effects import PooledEstimate
from utvardering.effects.design import OUTCOMES
from utvardering.figures import Figur, plot_lan_map
from utvardering.format import fmt_kr
from utvardering.maturity.figures import plot_dumbbell, plot_heatmap, plot_maturity_map
from utvardering.portfolio.parameters import DEFAULT_PERIOD
from utvardering.protocol import Block, Report, save_figures
from utvardering.synthesis import tables as t
from utvardering.synthesis import text
from utvardering.synthesis.collect import collect_results
from utvardering.synthesis.coverage import coverage, latest_population, project_totals
from utvardering.synthesis.development import INDICATORS, regional_development
from utvardering.synthesis.effects import synthesize_effects
from utvardering.synthesis.figures import (
    plot_attainment,
    plot_categories,
    plot_concentration,
    plot_development,
    plot_forest,
    plot_maturity_spread,
)
from utvardering.synthesis.maturity import synthesize_maturity
from utvardering.synthesis.parameters import SynthesisParameters
from utvardering.synthesis.parts import SynthesisParts
from utvardering.synthesis.portfolio import (
    CATEGORY_DIMENSIONS,
    check_totals,
    synthesize_portfolio,
)
from utvardering.tables import save_excel
from utvardering.vocabulary import LAN_CODES

__all__ = ["NAME", "SECTIONS", "TABLES", "TITLE", "Synthesis", "build"]

NAME = "syntes"
TITLE = "Nationell syntes"
# The data folder's tables the synthesis reads, each with its scope (all: it is national).
TABLES: dict[str, str] = {
    "indikatorer": "alla",
    "karta": "alla",
    "lan": "alla",
    "projekt": "alla",
    "projekt_lan": "alla",
}
# The sections in reading order: name → Swedish heading (the introduction carries the title).
SECTIONS: dict[str, str] = {
    "intro": "",
    "tackning": "1. Täckning",
    "mognad": "2. Mognad",
    "portfolj": "3. Portfölj",
    "effekter": "4. Effekter",
    "utveckling": "5. Regional utveckling",
    "slutsatser": "6. Slutsatser och begränsningar",
}
# Each section's text function and the figures and tables shown after the text.
_CONTENT: dict[str, tuple[Any, tuple[str, ...]]] = {
    "intro": (text.text_intro, ()),
    "tackning": (text.text_coverage, ("tackning",)),
    "mognad": (
        text.text_maturity,
        ("mognad_alla_regioner", "mognad_karta", "mognad_spridning", "mognad_forandring",
         "mognad_dimensioner", "mognad_lan"),
    ),
    "portfolj": (
        text.text_portfolio,
        ("portfolj_kategorier", "portfolj_per_invanare", "portfolj_koncentration", "portfolj_lan",
         "portfolj_nationell_prioritering", "portfolj_fokusomrade", "portfolj_effektkedja",
         "portfolj_tema", "portfolj_koncentration_tabell"),
    ),
    "effekter": (
        text.text_effects,
        ("effekt_skog", "effekt_sammanvagd", "effekt_lan", "effekt_maluppfyllelse",
         "effekt_maluppfyllelse_tabell", "effekt_indikatorer"),
    ),
    "utveckling": (
        text.text_development,
        ("utveckling_brp_per_inv", "utveckling_sysselsatta_per_1000_inv",
         "utveckling_nystartade_per_1000_inv", "utveckling_tabell"),
    ),
    "slutsatser": (text.text_conclusions, ()),
}  # fmt: skip
# Excel sheet names of the tables.
_SHEETS: dict[str, str] = {
    "tackning": "Täckning",
    "mognad_lan": "Mognad per län",
    "mognad_dimensioner": "Mognad per dimension",
    "portfolj_lan": "Portfölj per län",
    "portfolj_nationell_prioritering": "Nationell prioritering",
    "portfolj_fokusomrade": "Fokusområde",
    "portfolj_effektkedja": "Effektkedja",
    "portfolj_tema": "Tema",
    "portfolj_koncentration_tabell": "Temans koncentration",
    "effekt_lan": "Effekt per län",
    "effekt_sammanvagd": "Sammanvägd effekt",
    "effekt_maluppfyllelse_tabell": "Måluppfyllelse per kedja",
    "effekt_indikatorer": "Indikatorer mål och utfall",
    "utveckling_tabell": "Regional utveckling",
}


@dataclass(frozen=True)
class Synthesis(SynthesisParts, Report):
    """The national synthesis of one run: its parts, parameters, figures and tables."""

    TYPE_NAME: ClassVar[str] = NAME
    SECTIONS: ClassVar[Mapping[str, str]] = SECTIONS

    params: SynthesisParameters
    figures: dict[str, Figur] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def _show(self, names: tuple[str, ...]) -> list[Figur | pd.DataFrame]:
        """The named figures and non-empty tables that exist, in order."""
        parts: list[Figur | pd.DataFrame] = []
        for name in names:
            if name in self.figures:
                parts.append(self.figures[name])
            elif name in self.tables and not self.tables[name].empty:
                parts.append(self.tables[name])
        return parts

    def _section(self, name: str) -> list[Block]:
        writer, shown = _CONTENT[name]
        return [writer(self), *self._show(shown)]

    def save(self, directory: Path | str) -> dict[str, str]:
        """Write every figure as ``syntes_<name>.png`` and every table to ``syntes.xlsx``."""
        directory = Path(directory)
        files = save_figures(self.figures, directory, prefix=f"{NAME}_")
        sheets = {_sheet_name(k): v for k, v in self.tables.items() if not v.empty}
        if sheets:
            files["excel"] = save_excel(sheets, directory / f"{NAME}.xlsx").name
        return files

    def payload(self) -> dict[str, Any]:
        """The key results as plain data: the body of ``syntes.json``."""
        c = self.coverage
        out: dict[str, Any] = {
            "titel": TITLE,
            "omgang": self.round,
            "utfall": self.outcome,
            "tackning": {
                "komplett": c.complete,
                "status": {code: dict(self.run.status.loc[code]) for code in self.run.status.index},
                "med": c.included,
                "saknas": c.excluded,
                "befolkning_saknas_andel": c.population_missing,
                "belopp_saknas_andel": c.money_missing(),
                "projekt_saknas_andel": c.projects_missing(),
                "anmarkningar": text.mismatch_notes(c.mismatches, self.names),
            },
        }
        if self.maturity is not None:
            m = self.maturity
            out["mognad"] = {
                "omgang": m.round,
                "foregaende_omgang": m.previous_round,
                "n_lan": len(m.matrix),
                "nivaer": {code: dict(row) for code, row in m.matrix.iterrows()},
                "trappstegsniva": dict(m.overall["trappstegsniva"]),
                "profilmedel": dict(m.overall["profilmedel"]),
                "fordelning": m.distribution.reset_index(),
                "forandring": m.change.reset_index(),
                "svagaste_dimensioner": list(m.weakest[:3]),
            }
        if self.portfolio is not None:
            p = self.portfolio
            out["portfolj"] = {
                "period": list(p.period) if p.period else None,
                "n_lan": len(p.per_region),
                "belopp_sek": p.amount_sek,
                "projekt_andelsviktade": p.projects,
                "befolkning": p.population,
                "kr_per_invanare": p.sek_per_inhabitant,
                "per_lan": p.per_region.reset_index(),
                "kategorier": {d: v.reset_index() for d, v in p.categories.items()},
                "koncentration": p.concentration.reset_index(),
                "riket_enligt_lansrapporterna": p.national,
                "kontroll": self.totals_check,
            }
        if self.effects is not None:
            e = self.effects
            out["effekter"] = {
                "utfall": e.outcome,
                "skattningar": e.estimates.reset_index(),
                "utan_skattning": {
                    code: text.no_estimate_reason(why) for code, why in e.without.items()
                },
                "sammanvagd": _pooled(e.pooled),
                "sammanvagd_grad_a": _pooled(e.pooled_a),
                "maluppfyllelse": e.attainment.reset_index(),
                "indikatorer": e.indicators,
            }
        out["utveckling"] = {
            key: {
                "namn": item.name,
                "enhet": item.unit,
                "senaste_ar": item.latest_year,
                "basar": item.base_year,
                "per_lan": item.summary.reset_index(),
            }
            for key, item in self.development.series.items()
        }
        return out


def _pooled(p: PooledEstimate | None) -> dict[str, Any] | None:
    if p is None:
        return None
    return {
        "estimate": p.estimate,
        "std_error": p.std_error,
        "ci_low": p.conf_int[0],
        "ci_high": p.conf_int[1],
        "p_value": p.p_value,
        "tau2": p.tau2,
        "i2": p.i2,
        "q": p.q,
        "q_df": p.q_df,
        "q_p_value": p.q_p_value,
        "prediktionsintervall": list(p.prediction_interval) if p.prediction_interval else None,
        "metod": p.method,
        "n_lan": p.n_studies,
        "lan": list(p.studies["label"]),
    }


def build(ds: Dataset, params: SynthesisParameters) -> Synthesis:
    """The synthesis of the run in ``params.korning_dir``, with the data tables ``ds``
    (:data:`TABLES`: lan, karta, indikatorer, projekt, projekt_lan).

    Raises ResultFileError for a region result file that does not follow its schema.
    """
    names = dict(zip(ds.lan["lan_kod"], ds.lan["lan_namn"], strict=True))
    run = collect_results(params.korning_dir, omgang=params.omgang, utfall=params.utfall)
    maturity = synthesize_maturity(run.results["mognad"]) if run.results["mognad"] else None
    portfolio = synthesize_portfolio(run.results["tema"], names) if run.results["tema"] else None
    period = portfolio.period if portfolio is not None and portfolio.period else DEFAULT_PERIOD
    projects = project_totals(ds.projekt, ds.projekt_lan, period, list(LAN_CODES))
    cover = coverage(run, latest_population(ds.indikatorer), projects)
    check = None
    if portfolio is not None:
        check = check_totals(portfolio, projects, list(cover.excluded["tema"]))
    effects = synthesize_effects(run.results["effekt"], names) if run.results["effekt"] else None
    parts = SynthesisParts(
        round=params.omgang,
        outcome=params.utfall,
        names=names,
        short_names=dict(zip(ds.lan["lan_kod"], ds.lan["lan_kortnamn"], strict=True)),
        run=run,
        coverage=cover,
        maturity=maturity,
        portfolio=portfolio,
        totals_check=check,
        effects=effects,
        development=regional_development(ds.indikatorer),
    )
    figures, tables = _figures_and_tables(parts, ds.karta)
    return Synthesis(**vars(parts), params=params, figures=figures, tables=tables)


def _figures_and_tables(
    s: SynthesisParts, geo: dict
) -> tuple[dict[str, Figur], dict[str, pd.DataFrame]]:
    figures: dict[str, Figur] = {}
    tables: dict[str, pd.DataFrame] = {"tackning": t.table_coverage(s.coverage, s.names)}
    m = s.maturity
    if m is not None and not m.matrix.empty:
        named = m.named(m.matrix)
        figures["mognad_alla_regioner"] = plot_heatmap(
            named.reindex(list(LAN_CODES)),
            titel=f"Mognadsnivå per län och dimension, omgång {m.round}",
            region_names=s.names,
        )
        figures["mognad_karta"] = plot_maturity_map(
            m.overall["trappstegsniva"].dropna(), geo, omgang=m.round
        )
        figures["mognad_spridning"] = plot_maturity_spread(named, survey_round=m.round)
        if m.previous_round is not None and int(m.change["n_regioner"].max()) > 0:
            change = m.named(
                m.change[["median_foregaende", "median_aktuell"]].set_axis(
                    ["foregaende", "aktuell"], axis=1
                )
            )
            figures["mognad_forandring"] = plot_dumbbell(
                change, lan_namn="Riket", omgang=m.round, foregaende_omgang=m.previous_round
            )
        tables["mognad_lan"] = t.table_maturity_regions(m, s.names)
        tables["mognad_dimensioner"] = t.table_maturity_dimensions(m)
    p = s.portfolio
    if p is not None and not p.per_region.empty:
        period = f"{p.period[0]}–{p.period[1]}" if p.period else ""
        titles = {k: v for k, v in t.CATEGORY_TITLES.items() if k != "tema"}
        figures["portfolj_kategorier"] = plot_categories(p.categories, titles, period=period)
        figures["portfolj_per_invanare"] = plot_lan_map(
            p.per_region["kr_per_invanare"].astype(float),
            geo,
            titel=f"Beviljat belopp per invånare,\nprojekt som startade {period}",
            etikett="Kr per invånare",
            format=lambda v: fmt_kr(v, 0),
        )
        if not p.concentration.empty:
            figures["portfolj_koncentration"] = plot_concentration(
                p.concentration, effective_all=p.effective_regions_all
            )
        tables["portfolj_lan"] = t.table_portfolio_regions(p, s.names)
        for dimension in CATEGORY_DIMENSIONS:
            tables[f"portfolj_{dimension}"] = t.table_categories(p, dimension)
        tables["portfolj_koncentration_tabell"] = t.table_concentration(p)
    e = s.effects
    if e is not None:
        name, unit = OUTCOMES[s.outcome]
        if len(e.estimates):
            figures["effekt_skog"] = plot_forest(
                e.estimates, e.pooled, unit=unit, outcome_name=name
            )
        figures["effekt_maluppfyllelse"] = plot_attainment(e.attainment)
        tables["effekt_sammanvagd"] = t.table_pooled(e)
        tables["effekt_lan"] = t.table_estimates(e)
        tables["effekt_maluppfyllelse_tabell"] = t.table_attainment(e)
        tables["effekt_indikatorer"] = t.table_indicators(e)
    for key, item in s.development.series.items():
        figures[f"utveckling_{key}"] = plot_development(item, s.short_names)
        wide = item.values.rename(columns={**s.names, "riket": "Riket"}).reset_index()
        tables[f"utveckling_{key}_serie"] = wide.rename(columns={"ar": "År"})
    tables["utveckling_tabell"] = t.table_development(s.development, s.names).reset_index()
    return figures, tables


def _sheet_name(table: str) -> str:
    if table in _SHEETS:
        return _SHEETS[table]
    key = table.removeprefix("utveckling_").removesuffix("_serie")
    return INDICATORS[key][0] if key in INDICATORS else table
