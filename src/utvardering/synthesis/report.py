"""Build the national synthesis of a run: every part, figure and table, ready to show and save.

:func:`build` is the report type's build (``typ.build(ds, parametrar)`` in
``nationell_syntes.ipynb``). It reads the region results once
(:mod:`utvardering.synthesis.collect`), combines them, and reads from the data folder only what
no region report has: names, the map, population, the regional indicators, the indicator names
of the chain model and the projects table's totals (as a check). Every figure and table names
the simulated inputs it rests on (from the region files' ``simulerade_indata`` and the data
folder's ``datakallor.yaml``); with real data none does.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from utvardering.dataset import Dataset, load_dataset
from utvardering.effects import PooledEstimate
from utvardering.figures import Figur, plot_lan_map
from utvardering.format import fmt_kr
from utvardering.maturity.figures import plot_dumbbell, plot_heatmap, plot_maturity_map
from utvardering.origin import SimulatedInput, merged, notice_line, simulated_inputs
from utvardering.portfolio.parameters import DEFAULT_PERIOD
from utvardering.protocol import Block, Report, save_figures
from utvardering.synthesis import tables as t
from utvardering.synthesis import text
from utvardering.synthesis.collect import REPORTS, collect_results
from utvardering.synthesis.coverage import coverage, latest_population, project_totals
from utvardering.synthesis.development import INDICATORS, Development, regional_development
from utvardering.synthesis.effects import synthesize_effects
from utvardering.synthesis.figures import (
    plot_attainment,
    plot_categories,
    plot_concentration,
    plot_development,
    plot_forest,
    plot_goal_map,
    plot_goal_status,
    plot_maturity_spread,
)
from utvardering.synthesis.goals import LEVELS, STATUSES, GoalSynthesis, synthesize_goals
from utvardering.synthesis.maturity import synthesize_maturity, widest_spread
from utvardering.synthesis.parameters import SynthesisParameters
from utvardering.synthesis.parts import SynthesisParts
from utvardering.synthesis.portfolio import (
    CATEGORY_DIMENSIONS,
    check_totals,
    synthesize_portfolio,
)
from utvardering.synthesis.underlag import TABLES as UNDERLAG_TABLES
from utvardering.synthesis.underlag import development_key, read_figures, write_figures
from utvardering.tables import save_excel
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "NAME",
    "SECTIONS",
    "TABLES",
    "TITLE",
    "Synthesis",
    "build",
    "development_figures",
    "write_underlag",
]

NAME = "syntes"
TITLE = "Nationell syntes"
# The data folder's tables the synthesis reads, each with its scope (all: it is national).
TABLES: dict[str, str] = {
    "effektkedjor": "alla",
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
    "mal": "6. Länens mål",
    "slutsatser": "7. Slutsatser och begränsningar",
}
# Each section's text function and the figures and tables shown after the text (the effect
# section is composed per outcome, in Synthesis._effects).
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
        ("portfolj_kategorier", "portfolj_finansieringskalla", "portfolj_per_invanare",
         "portfolj_koncentration", "portfolj_lan", "portfolj_nationell_prioritering",
         "portfolj_fokusomrade", "portfolj_effektkedja", "portfolj_tema",
         "portfolj_koncentration_tabell"),
    ),
    "utveckling": (
        text.text_development,
        ("utveckling_brp_per_inv", "utveckling_sysselsatta_per_1000_inv",
         "utveckling_nystartade_per_1000_inv", "utveckling_tabell"),
    ),
    "mal": (text.text_goals, ("mal_karta", "mal_status", "mal_lan")),
    "slutsatser": (text.text_conclusions, ()),
}  # fmt: skip
# The effect section after each outcome's text, and after the goal attainment's.
_PER_OUTCOME = ("effekt_skog_{}", "effekt_sammanvagd_{}", "effekt_lan_{}")
_ATTAINMENT = ("effekt_maluppfyllelse", "effekt_maluppfyllelse_tabell", "effekt_indikatorer")
# Excel sheet names of the tables (at most 31 characters).
_SHEETS: dict[str, str] = {
    "tackning": "Täckning",
    "mognad_lan": "Mognad per län",
    "mognad_dimensioner": "Mognad per dimension",
    "portfolj_lan": "Portfölj per län",
    "portfolj_nationell_prioritering": "Nationell prioritering",
    "portfolj_fokusomrade": "Fokusområde",
    "portfolj_effektkedja": "Effektkedja",
    "portfolj_tema": "Tema",
    "portfolj_finansieringskalla": "Finansieringskälla",
    "portfolj_koncentration_tabell": "Temans koncentration",
    "effekt_maluppfyllelse_tabell": "Måluppfyllelse per kedja",
    "effekt_indikatorer": "Indikatorer mål och utfall",
    "utveckling_tabell": "Regional utveckling",
    "mal_lan": "Länens mål",
}
_OUTCOME_SHEETS = {"effekt_sammanvagd_": "Sammanvägt, ", "effekt_lan_": "Per län, "}

# What each figure and table of the portfolio rests on: the tables and the columns of them it
# uses (the projects' classification is simulated in the example data, the amounts and the
# län shares are not). Table → columns, None for any column.
_AMOUNTS: dict[str, frozenset[str] | None] = {
    "projekt": frozenset({"arende_id", "beviljat_belopp_sek", "startdatum"}),
    "projekt_lan": frozenset({"arende_id", "lan_kod", "andel"}),  # not the RUS priorities
    "indikatorer": None,
}
_DIMENSION_COLUMNS = {
    "nationell_prioritering": "nationell_prioritering",
    "fokusomrade": "fokusomrade",
    "effektkedja": "effektkedja",
    "tema": "teman",
    "finansieringskalla": "finansieringskalla",
}


def _by_columns(*columns: str) -> dict[str, frozenset[str] | None]:
    return {**_AMOUNTS, "projekt": frozenset({*_AMOUNTS["projekt"], *columns})}


@dataclass(frozen=True, kw_only=True)
class Synthesis(SynthesisParts, Report):
    """The national synthesis of one run: its parts, parameters, figures and tables."""

    TYPE_NAME: ClassVar[str] = NAME
    SECTIONS: ClassVar[Mapping[str, str]] = SECTIONS

    params: SynthesisParameters
    figures: dict[str, Figur] = field(default_factory=dict)
    tables: dict[str, t.Table] = field(default_factory=dict)

    def _show(self, names: tuple[str, ...]) -> list[Figur | t.Table]:
        """The named figures and non-empty tables that exist, in order."""
        parts: list[Figur | t.Table] = []
        for name in names:
            if name in self.figures:
                parts.append(self.figures[name])
            elif name in self.tables and not self.tables[name].empty:
                parts.append(self.tables[name])
        return parts

    def _section(self, name: str) -> list[Block]:
        if name == "effekter":
            return self._effects()
        writer, shown = _CONTENT[name]
        return [writer(self), *self._show(shown)]

    def _effects(self) -> list[Block]:
        blocks: list[Block] = [text.text_effects(self)]
        if self.effects is None:
            return blocks
        for outcome in self.effects.outcomes:
            blocks.append(text.text_outcome(self, outcome))
            blocks += self._show(tuple(k.format(outcome) for k in _PER_OUTCOME))
        blocks.append(text.text_attainment(self))
        return blocks + self._show(_ATTAINMENT)

    def save(self, directory: Path | str) -> dict[str, str]:
        """Write every figure as ``syntes_<name>.png`` and every table to ``syntes.xlsx``."""
        directory = Path(directory)
        files = save_figures(self.figures, directory, prefix=f"{NAME}_")
        sheets = {_sheet_name(k): v.data for k, v in self.tables.items() if not v.empty}
        if sheets:
            files["excel"] = save_excel(sheets, directory / f"{NAME}.xlsx").name
        return files

    def payload(self) -> dict[str, Any]:
        """The key results as plain data: the body of ``syntes.json``."""
        c = self.coverage
        out: dict[str, Any] = {
            "titel": TITLE,
            "omgang": self.round,
            "utfall": list(self.outcomes),
            "tackning": {
                "komplett": c.complete,
                "status": {code: dict(self.run.status.loc[code]) for code in self.run.status.index},
                "med": c.included,
                "saknas": c.excluded,
                "utfall_saknas": {code: list(v) for code, v in c.outcomes_missing.items()},
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
                "spridning": widest_spread(m)[2].value if not m.matrix.empty else None,
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
                "finansieringskalla": p.funding.reset_index(),
                "finansieringskalla_saknas": list(p.funding_missing),
                "koncentration": p.concentration.reset_index(),
                "riket_enligt_lansrapporterna": p.national,
                "kontroll": self.totals_check,
            }
        if self.effects is not None:
            e = self.effects
            out["effekter"] = {
                "utfall": list(e.outcomes),
                "per_utfall": [
                    {
                        "utfall": o.outcome,
                        "namn": o.name,
                        "enhet": o.unit,
                        "skattningar": o.estimates.reset_index(),
                        "utan_skattning": {
                            code: text.no_estimate_reason(why) for code, why in o.without.items()
                        },
                        "utfallet_saknas": list(o.not_in_file),
                        "sammanvagd": _pooled(o.pooled),
                        "sammanvagd_grad_a": _pooled(o.pooled_a),
                    }
                    for o in e.per_outcome.values()
                ],
                "maluppfyllelse": e.attainment.reset_index(),
                "indikatorer": e.indicators,
            }
        if self.goals is not None:
            out["mal"] = _goals_payload(self.goals)
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


def _goals_payload(g: GoalSynthesis) -> dict[str, Any]:
    """The ``mal`` part of ``syntes.json``: the regions' goals and their RUS goals' status."""

    def share(value: float) -> float | None:
        return None if pd.isna(value) else float(value)

    return {
        "n_lan": len(g.per_region),
        "lan_utan_mal": g.without_goals,
        "prognosmodell": g.model,
        "antal_mal": g.totals(),
        "status_rus": g.national(),
        "andel_rus_med_data": g.n_with_data / g.n_rus if g.n_rus else None,
        "andel_rus_pa_vag": g.n_on_track / g.n_rus if g.n_rus else None,
        "per_lan": [
            {
                "lan_kod": code,
                "har_mal": bool(row["har_mal"]),
                "antal_mal": {level: int(row[f"n_{level}"]) for level in LEVELS},
                "status_rus": {status: int(row[status]) for status in STATUSES},
                "andel_rus_med_data": share(row["andel_med_data"]),
                "andel_rus_pa_vag": share(row["andel_pa_vag"]),
                "mal_utan_projekt": int(row["n_utan_projekt"]),
                "simulerade": bool(row["simulerade"]),
            }
            for code, row in g.per_region.iterrows()
        ],
    }


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


def _file_inputs(files: Mapping[str, dict[str, Any]]) -> tuple[SimulatedInput, ...]:
    """The union of the simulated inputs that the region files record, each table once."""
    return merged(
        *(
            [SimulatedInput.from_dict(item) for item in payload.get("simulerade_indata") or ()]
            for _, payload in sorted(files.items())
        )
    )


def _rests_on(
    inputs: tuple[SimulatedInput, ...], spec: Mapping[str, frozenset[str] | None] | None = None
) -> tuple[SimulatedInput, ...]:
    """The inputs among ``inputs`` that a figure or table rests on: every one (``spec`` None),
    or those of the tables in ``spec``; a table of which only some columns are simulated
    counts when the figure uses one of them (``spec[table]`` None: any column)."""
    if spec is None:
        return inputs
    kept = []
    for item in inputs:
        if item.tabell not in spec:
            continue
        columns = spec[item.tabell]
        if columns is None or not item.kolumner or set(item.kolumner) & columns:
            kept.append(item)
    return tuple(kept)


def _noted(figure: Figur, inputs: tuple[SimulatedInput, ...]) -> Figur:
    """The figure with its caption, alt text and image naming the simulated inputs it rests
    on; the figure itself when there are none."""
    title = figure.titel.replace("\n", " ")
    line = notice_line(inputs)
    if not line:
        return Figur(figure.figure, title, figure.alt) if title != figure.titel else figure
    _footnote(figure.figure, line)
    return Figur(figure.figure, f"{title}. {line}", f"{figure.alt} {line}")


def _footnote(figure, line: str) -> None:
    """``line`` under everything else in the image, so that the saved PNG says it as well.

    The figure is laid out once as it is, then made taller by a strip at the bottom: every
    axes, text and legend keeps its place above the strip, and the line goes in it.
    """
    width, height = figure.get_size_inches()
    wrapped = textwrap.fill(line, max(40, int(width * 15)), break_long_words=False)
    extra = 0.12 + 0.13 * (wrapped.count("\n") + 1)
    total = height + extra
    figure.draw_without_rendering()  # the layout engine places everything once
    figure.set_layout_engine("none")

    def up(y: float) -> float:
        return (y * height + extra) / total

    for axes in figure.axes:
        x0, y0, w, h = axes.get_position().bounds
        axes.set_position((x0, up(y0), w, h * height / total))
    for label in figure.texts:
        x, y = label.get_position()
        label.set_position((x, up(y)))
    for legend in figure.legends:
        legend.set_bbox_to_anchor((0, extra / total, 1, height / total), figure.transFigure)
    figure.set_size_inches(width, total)
    figure.text(0.01, 0.05 / total, wrapped, fontsize=7.5, color="#555555", ha="left",
                va="bottom")  # fmt: skip


def build(ds: Dataset, params: SynthesisParameters) -> Synthesis:
    """The synthesis of the run in ``params.korning_dir``, with the data tables ``ds``
    (:data:`TABLES`).

    Raises ResultFileError for a region result file that does not follow its schema. The
    synthesis rests on the simulated inputs of every region file it reads and of its own
    tables: they are its ``simulated_inputs``, and each figure and table names those it rests
    on.
    """
    names = dict(zip(ds.lan["lan_kod"], ds.lan["lan_namn"], strict=True))
    run = collect_results(
        params.korning_dir,
        omgang=params.omgang,
        utfall=params.outcomes,
        finansiering=params.finansiering,
    )
    maturity = synthesize_maturity(run.results["mognad"]) if run.results["mognad"] else None
    portfolio = synthesize_portfolio(run.results["tema"], names) if run.results["tema"] else None
    period = portfolio.period if portfolio is not None and portfolio.period else DEFAULT_PERIOD
    projects = project_totals(ds.projekt, ds.projekt_lan, period, list(LAN_CODES))
    cover = coverage(run, latest_population(ds.indikatorer), projects)
    check = None
    if portfolio is not None:
        check = check_totals(portfolio, projects, list(cover.excluded["tema"]))
    effects = None
    if run.results["effekt"]:
        effects = synthesize_effects(run.results["effekt"], names, params.outcomes)
    goals = None
    if run.results["malkedja"]:
        goals = synthesize_goals(run.results["malkedja"], list(LAN_CODES))
    inputs = {report: _file_inputs(run.results[report]) for report in REPORTS}
    inputs["data"] = simulated_inputs(ds.data_dir, TABLES)
    chains = getattr(ds, "effektkedjor", None)
    parts = SynthesisParts(
        round=params.omgang,
        outcomes=params.outcomes,
        funding=params.finansiering,
        names=names,
        short_names=dict(zip(ds.lan["lan_kod"], ds.lan["lan_kortnamn"], strict=True)),
        run=run,
        coverage=cover,
        maturity=maturity,
        portfolio=portfolio,
        totals_check=check,
        effects=effects,
        development=regional_development(ds.indikatorer),
        inputs=inputs,
        indicator_names={k: i.name for k, i in chains.indicators.items()} if chains else {},
        goals=goals,
    )
    # The development figures rest on the data folder alone: the job syntes_underlag drew
    # them alongside the region reports, from the same data (the key says so).
    drawn = read_figures(params.korning_dir, _development_key(parts))
    figures, tables = _figures_and_tables(parts, ds.karta, drawn)
    report = Synthesis(**vars(parts), params=params, figures=figures, tables=tables)
    # Reports are frozen; ReportType.build adds the tables of the data folder to these.
    object.__setattr__(report, "simulated_inputs", merged(*inputs.values()))
    return report


def _on_data(inputs: tuple[SimulatedInput, ...]) -> tuple[SimulatedInput, ...]:
    """The simulated inputs of the data folder that the development part rests on."""
    return _rests_on(inputs, {"indikatorer": None})


def _development_key(s: SynthesisParts) -> str:
    return development_key(s.development, s.short_names, notice_line(_on_data(s.inputs["data"])))


def development_figures(
    development: Development, short_names: Mapping[str, str], on_data: tuple[SimulatedInput, ...]
) -> dict[str, Figur]:
    """The regional development figures, ``utveckling_<indicator>``, each naming the
    simulated inputs it rests on (``on_data``)."""
    return {
        f"utveckling_{key}": _noted(plot_development(series, short_names), on_data)
        for key, series in development.series.items()
    }


def write_underlag(data_dir: Path | str, folder: Path | str) -> dict[str, str]:
    """Draw the synthesis' development figures from the data folder ``data_dir`` and write
    them to ``folder`` (the run's ``riket``) with their index (:mod:`.underlag`); the job
    ``syntes_underlag`` does this alongside the region reports. Returns the files written."""
    ds = load_dataset(data_dir, UNDERLAG_TABLES)
    development = regional_development(ds.indikatorer)
    short_names = dict(zip(ds.lan["lan_kod"], ds.lan["lan_kortnamn"], strict=True))
    # The same inputs as the synthesis': its tables' simulated inputs, those of indikatorer.
    on_data = _on_data(simulated_inputs(ds.data_dir, TABLES))
    figures = development_figures(development, short_names, on_data)
    key = development_key(development, short_names, notice_line(on_data))
    return write_figures(figures, key, folder)


def _figures_and_tables(
    s: SynthesisParts, geo: dict, drawn: Mapping[str, Figur]
) -> tuple[dict[str, Figur], dict[str, t.Table]]:
    figures: dict[str, Figur] = {}
    tables: dict[str, t.Table] = {"tackning": t.table_coverage(s.coverage, s.names)}
    m, on_maturity = s.maturity, s.inputs.get("mognad", ())
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
                change, lan_namn="riket", omgang=m.round, foregaende_omgang=m.previous_round
            )
        tables["mognad_lan"] = t.table_maturity_regions(m, s.names).with_inputs(on_maturity)
        tables["mognad_dimensioner"] = t.table_maturity_dimensions(m).with_inputs(on_maturity)
        for key in ("mognad_alla_regioner", "mognad_karta", "mognad_spridning",
                    "mognad_forandring"):  # fmt: skip
            if key in figures:
                figures[key] = _noted(figures[key], on_maturity)
    p, on_portfolio = s.portfolio, (*s.inputs.get("tema", ()), *s.inputs.get("data", ()))
    on_portfolio = merged(on_portfolio)
    if p is not None and not p.per_region.empty:
        period = f"{p.period[0]}–{p.period[1]}" if p.period else ""
        titles = {k: v for k, v in t.CATEGORY_TITLES.items() if k != "tema"}
        titles["finansieringskalla"] = "Finansieringskälla"
        panels = {**p.categories, "finansieringskalla": p.funding}
        columns = [_DIMENSION_COLUMNS[d] for d in titles]
        figures["portfolj_kategorier"] = _noted(
            plot_categories(panels, titles, period=period),
            _rests_on(on_portfolio, _by_columns(*columns)),
        )
        figures["portfolj_per_invanare"] = _noted(
            plot_lan_map(
                p.per_region["kr_per_invanare"].astype(float),
                geo,
                titel=f"Beviljat belopp per invånare,\nprojekt som startade {period}",
                etikett="Kr per invånare",
                format=lambda v: fmt_kr(v, 0),
            ),
            _rests_on(on_portfolio, _AMOUNTS),
        )
        if not p.concentration.empty:
            figures["portfolj_koncentration"] = _noted(
                plot_concentration(p.concentration, effective_all=p.effective_regions_all),
                _rests_on(on_portfolio, _by_columns("teman")),
            )
        tables["portfolj_lan"] = t.table_portfolio_regions(p, s.names).with_inputs(
            _rests_on(on_portfolio, _AMOUNTS)
        )
        for dimension in CATEGORY_DIMENSIONS:
            tables[f"portfolj_{dimension}"] = t.table_categories(p, dimension).with_inputs(
                _rests_on(on_portfolio, _by_columns(_DIMENSION_COLUMNS[dimension]))
            )
        tables["portfolj_finansieringskalla"] = t.table_funding(p).with_inputs(
            _rests_on(on_portfolio, _by_columns("finansieringskalla"))
        )
        tables["portfolj_koncentration_tabell"] = t.table_concentration(p).with_inputs(
            _rests_on(on_portfolio, _by_columns("teman"))
        )
    e, on_effects = s.effects, s.inputs.get("effekt", ())
    if e is not None:
        for outcome, o in e.per_outcome.items():
            if len(o.estimates):
                figures[f"effekt_skog_{outcome}"] = _noted(
                    plot_forest(o.estimates, o.pooled, unit=o.unit, outcome_name=o.name),
                    on_effects,
                )
            tables[f"effekt_sammanvagd_{outcome}"] = t.table_pooled(o).with_inputs(on_effects)
            tables[f"effekt_lan_{outcome}"] = t.table_estimates(o).with_inputs(on_effects)
        figures["effekt_maluppfyllelse"] = _noted(plot_attainment(e.attainment), on_effects)
        tables["effekt_maluppfyllelse_tabell"] = t.table_attainment(e).with_inputs(on_effects)
        tables["effekt_indikatorer"] = t.table_indicators(e, s.indicator_names).with_inputs(
            on_effects
        )
    on_data = _on_data(s.inputs.get("data", ()))
    for key in s.development.series:
        figures[f"utveckling_{key}"] = drawn[f"utveckling_{key}"]
        tables[f"utveckling_{key}_serie"] = t.table_series(s.development, key, s.names)
    tables["utveckling_tabell"] = t.table_development(s.development, s.names).with_inputs(on_data)
    # The goal part shows the goals per level and the RUS goals' status, which rests on the
    # goals and the regional series; not on the projects' indicators (project goals' status).
    on_goals = _rests_on(s.inputs.get("malkedja", ()), {"malkedja": None, "indikatorer": None})
    tables["mal_lan"] = t.table_goals(s.goals, s.coverage, s.names).with_inputs(on_goals)
    if s.goals is not None:  # drawn also when no län has RUS goals: every län is then blank
        figures["mal_karta"] = _noted(
            plot_goal_map(
                s.goals.per_region["andel_pa_vag"],
                geo,
                title="Andel RUS-mål som når målet\neller går åt rätt håll",
                label="Andel RUS-mål på väg mot målet",
            ),
            on_goals,
        )
        figures["mal_status"] = _noted(plot_goal_status(s.goals.per_region, s.names), on_goals)
    return figures, tables


def _sheet_name(table: str) -> str:
    if table in _SHEETS:
        return _SHEETS[table]
    for prefix, label in _OUTCOME_SHEETS.items():
        if table.startswith(prefix):
            return label + text.outcome_label(table.removeprefix(prefix))
    key = table.removeprefix("utveckling_").removesuffix("_serie")
    return INDICATORS[key][0] if key in INDICATORS else table
