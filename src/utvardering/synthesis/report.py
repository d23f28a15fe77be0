"""Build the national synthesis of a run: every part, figure and table, ready to show and save.

:func:`build_synthesis` is what ``nationell_syntes.ipynb`` calls. It reads the region results
once (:mod:`utvardering.synthesis.collect`), combines them, and reads from the data folder only
what no region report has: names, the map, population, the regional indicators and the projects
table's totals (as a check).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from utvardering.dataset import load_dataset
from utvardering.effects.report import OUTCOMES
from utvardering.errors import ParameterError
from utvardering.figures import Figur, plot_lan_map
from utvardering.format import fmt_kr
from utvardering.maturity.figures import plot_dumbbell, plot_heatmap, plot_maturity_map
from utvardering.portfolio.parameters import DEFAULT_PERIOD
from utvardering.synthesis import tables as t
from utvardering.synthesis import text
from utvardering.synthesis.collect import RunResults, collect_results
from utvardering.synthesis.coverage import (
    Coverage,
    coverage,
    latest_population,
    project_totals,
)
from utvardering.synthesis.development import INDICATORS, Development, regional_development
from utvardering.synthesis.effects import EffectSynthesis, synthesize_effects
from utvardering.synthesis.figures import (
    plot_attainment,
    plot_categories,
    plot_concentration,
    plot_development,
    plot_forest,
    plot_maturity_spread,
)
from utvardering.synthesis.maturity import MaturitySynthesis, synthesize_maturity
from utvardering.synthesis.portfolio import (
    CATEGORY_DIMENSIONS,
    PortfolioSynthesis,
    TotalsCheck,
    check_totals,
    synthesize_portfolio,
)
from utvardering.tables import save_excel
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "REPORT",
    "SECTIONS",
    "TABLES_NEEDED",
    "Synthesis",
    "build_synthesis",
    "check_parameters",
]

REPORT = "syntes"
TABLES_NEEDED = ("lan", "karta", "indikatorer", "projekt", "projekt_lan")
# The sections of the synthesis: name → (text function, figures and tables shown after it).
SECTIONS: dict[str, tuple[Any, tuple[str, ...]]] = {
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


def check_parameters(korning_dir: object, omgang: object, utfall: object) -> None:
    """Raise ParameterError (in Swedish) unless the synthesis' parameters are valid."""
    if not isinstance(korning_dir, str | Path) or not Path(korning_dir).is_dir():
        raise ParameterError(
            f"korning_dir {korning_dir!r} är ingen mapp. Ange utdatamappen från `utvardering "
            "kor` (den med en undermapp per län), t.ex. korning_dir = '../_utdata'."
        )
    if isinstance(omgang, bool) or not isinstance(omgang, numbers.Integral):
        raise ParameterError(
            f"omgang ska vara mognadsenkätens omgång som heltal, t.ex. 2025; fick {omgang!r}."
        )
    if utfall not in OUTCOMES:
        raise ParameterError(
            f"utfall ska vara ett av {', '.join(repr(o) for o in OUTCOMES)} (samma som i "
            f"effektanalysen); fick {utfall!r}."
        )


@dataclass(frozen=True)
class Synthesis:
    """The national synthesis of one run; a part is None when no region has that report."""

    omgang: int
    utfall: str
    names: dict[str, str]
    short_names: dict[str, str]
    run: RunResults
    coverage: Coverage
    maturity: MaturitySynthesis | None
    portfolio: PortfolioSynthesis | None
    totals_check: TotalsCheck | None
    effects: EffectSynthesis | None
    development: Development
    figures: dict[str, Figur] = field(default_factory=dict)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    def show(self, *names: str) -> tuple[Figur | pd.DataFrame, ...]:
        """The named figures and non-empty tables that exist, in order."""
        parts: list[Figur | pd.DataFrame] = []
        for name in names:
            if name in self.figures:
                parts.append(self.figures[name])
            elif name in self.tables and not self.tables[name].empty:
                parts.append(self.tables[name])
        return tuple(parts)

    def section(self, name: str) -> tuple[Any, ...]:
        """A section's text (IPython Markdown), figures and tables, for
        ``display(*synthesis.section(name))``."""
        from IPython.display import Markdown  # only a notebook shows sections

        writer, shown = SECTIONS[name]
        return (Markdown(writer(self)), *self.show(*shown))

    def save(self, directory: Path | str) -> dict[str, str]:
        """Write every figure as ``syntes_<name>.png`` and every table to ``syntes.xlsx``."""
        directory = Path(directory)
        files = {
            name: figure.save(directory / f"{REPORT}_{name}.png").name
            for name, figure in self.figures.items()
        }
        sheets = {_sheet_name(k): v for k, v in self.tables.items() if not v.empty}
        if sheets:
            files["excel"] = save_excel(sheets, directory / f"{REPORT}.xlsx").name
        return files

    def payload(self, parametrar: dict[str, Any], filer: dict[str, str]) -> dict[str, Any]:
        """The key results as plain data for ``syntes.json``."""
        c = self.coverage
        out: dict[str, Any] = {
            "rapport": REPORT,
            "titel": "Nationell syntes",
            "parametrar": parametrar,
            "omgang": self.omgang,
            "utfall": self.utfall,
            "tackning": {
                "komplett": c.complete,
                "status": {code: dict(self.run.status.loc[code]) for code in self.run.status.index},
                "med": c.included,
                "saknas": c.excluded,
                "befolkning_saknas_andel": c.population_missing,
                "belopp_saknas_andel": c.money_missing(),
                "projekt_saknas_andel": c.projects_missing(),
                "anmarkningar": list(c.notes),
            },
            "filer": filer,
        }
        if self.maturity is not None:
            m = self.maturity
            out["mognad"] = {
                "omgang": m.omgang,
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
                "n_lan": len(p.per_lan),
                "belopp_sek": p.belopp_sek,
                "projekt_andelsviktade": p.projekt,
                "befolkning": p.befolkning,
                "kr_per_invanare": p.kr_per_invanare,
                "per_lan": p.per_lan.reset_index(),
                "kategorier": {d: v.reset_index() for d, v in p.categories.items()},
                "koncentration": p.concentration.reset_index(),
                "riket_enligt_lansrapporterna": p.riket,
                "kontroll": self.totals_check,
            }
        if self.effects is not None:
            e = self.effects
            out["effekter"] = {
                "utfall": e.utfall,
                "skattningar": e.estimates.reset_index(),
                "utan_skattning": e.without,
                "sammanvagd": _pooled(e.pooled),
                "sammanvagd_grad_a": _pooled(e.pooled_a),
                "maluppfyllelse": e.attainment.reset_index(),
                "indikatorer": e.indicators,
            }
        out["utveckling"] = {
            key: {
                "namn": item.namn,
                "enhet": item.enhet,
                "senaste_ar": item.latest_year,
                "basar": item.base_year,
                "per_lan": item.summary.reset_index(),
            }
            for key, item in self.development.series.items()
        }
        return out


def _pooled(p) -> dict[str, Any] | None:
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


def build_synthesis(
    korning_dir: Path | str,
    data_dir: Path | str,
    *,
    omgang: int = 2025,
    utfall: str = "anstallda",
) -> Synthesis:
    """Read the run in ``korning_dir`` and the data in ``data_dir``; build every part.

    Raises ParameterError for a bad parameter (before anything is read).
    """
    check_parameters(korning_dir, omgang, utfall)
    ds = load_dataset(data_dir, list(TABLES_NEEDED))
    names = dict(zip(ds.lan["lan_kod"], ds.lan["lan_namn"], strict=True))
    run = collect_results(korning_dir, omgang=int(omgang), utfall=utfall, region_names=names)
    maturity = synthesize_maturity(run.results["mognad"]) if run.results["mognad"] else None
    portfolio = synthesize_portfolio(run.results["tema"], names) if run.results["tema"] else None
    period = portfolio.period if portfolio is not None and portfolio.period else DEFAULT_PERIOD
    projects = project_totals(ds.projekt, ds.projekt_lan, period, list(LAN_CODES))
    cover = coverage(run, names, latest_population(ds.indikatorer), projects)
    check = None
    if portfolio is not None:
        check = check_totals(portfolio, projects, list(cover.excluded["tema"]))
    effects = synthesize_effects(run.results["effekt"], names) if run.results["effekt"] else None
    synthesis = Synthesis(
        omgang=int(omgang),
        utfall=utfall,
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
    figures, tables = _figures_and_tables(synthesis, ds.karta)
    return replace(synthesis, figures=figures, tables=tables)


def _figures_and_tables(s: Synthesis, geo: dict) -> tuple[dict[str, Figur], dict[str, Any]]:
    figures: dict[str, Figur] = {}
    tables: dict[str, pd.DataFrame] = {"tackning": s.coverage.table}
    m = s.maturity
    if m is not None and not m.matrix.empty:
        named = m.named(m.matrix)
        figures["mognad_alla_regioner"] = plot_heatmap(
            named.reindex(list(LAN_CODES)),
            titel=f"Mognadsnivå per län och dimension, omgång {m.omgang}",
            region_names=s.names,
        )
        figures["mognad_karta"] = plot_maturity_map(
            m.overall["trappstegsniva"].dropna(), geo, omgang=m.omgang
        )
        figures["mognad_spridning"] = plot_maturity_spread(named, omgang=m.omgang)
        if m.previous_round is not None and int(m.change["n_regioner"].max()) > 0:
            change = m.named(
                m.change[["median_foregaende", "median_aktuell"]].set_axis(
                    ["foregaende", "aktuell"], axis=1
                )
            )
            figures["mognad_forandring"] = plot_dumbbell(
                change, lan_namn="Riket", omgang=m.omgang, foregaende_omgang=m.previous_round
            )
        tables["mognad_lan"] = t.table_maturity_regions(m, s.names)
        tables["mognad_dimensioner"] = t.table_maturity_dimensions(m)
    p = s.portfolio
    if p is not None and not p.per_lan.empty:
        period = f"{p.period[0]}–{p.period[1]}" if p.period else ""
        titles = {k: v for k, v in CATEGORY_DIMENSIONS.items() if k != "tema"}
        figures["portfolj_kategorier"] = plot_categories(p.categories, titles, period=period)
        figures["portfolj_per_invanare"] = plot_lan_map(
            p.per_lan["kr_per_invanare"].astype(float),
            geo,
            titel=f"Beviljat belopp per invånare,\nprojekt som startade {period}",
            etikett="Kr per invånare",
            format=lambda v: fmt_kr(v, 0),
        )
        if not p.concentration.empty:
            figures["portfolj_koncentration"] = plot_concentration(
                p.concentration, effective_all=p.effective_lan_all
            )
        tables["portfolj_lan"] = t.table_portfolio_regions(p, s.names)
        for dimension in CATEGORY_DIMENSIONS:
            tables[f"portfolj_{dimension}"] = t.table_categories(p, dimension)
        tables["portfolj_koncentration_tabell"] = t.table_concentration(p)
    e = s.effects
    if e is not None:
        name, unit = OUTCOMES[s.utfall]
        if len(e.estimates):
            figures["effekt_skog"] = plot_forest(
                e.estimates, e.pooled, enhet=unit, utfall_namn=name
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
    tables["utveckling_tabell"] = s.development.summary_table(s.names).reset_index()
    return figures, tables


def _sheet_name(table: str) -> str:
    if table in _SHEETS:
        return _SHEETS[table]
    key = table.removeprefix("utveckling_").removesuffix("_serie")
    return INDICATORS[key][0] if key in INDICATORS else table
