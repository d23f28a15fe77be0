"""The synthesis' tables: a caption, Swedish column names with their units, numbers for Excel,
Swedish formatting for the report, and the notice of the simulated inputs a table rests on.

Each ``table_*`` function returns a :class:`Table`. ``data`` keeps plain numbers (amounts in
kronor, shares in per cent) and goes to the Excel workbook as it is; :meth:`Table.formatted`
formats the same numbers the Swedish way for the report, amounts in mnkr. Regions are named,
never shown by code, and no table shows a row number.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from utvardering.effects import PooledEstimate
from utvardering.format import escape_md, fmt_number, listed
from utvardering.origin import SimulatedInput, notice_line
from utvardering.protocol import show_markdown, show_table
from utvardering.synthesis.collect import REPORTS, Inclusion
from utvardering.synthesis.coverage import Coverage
from utvardering.synthesis.development import Development
from utvardering.synthesis.effects import EffectSynthesis, OutcomeEffects
from utvardering.synthesis.goals import STATUSES, GoalSynthesis
from utvardering.synthesis.maturity import MaturitySynthesis
from utvardering.synthesis.portfolio import PortfolioSynthesis
from utvardering.synthesis.text import GOAL_STATUS_LABELS, INCLUSION_LABELS, outcome_label
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES, LAN_CODES

__all__ = [
    "CATEGORY_TITLES",
    "MNKR",
    "Table",
    "table_attainment",
    "table_categories",
    "table_concentration",
    "table_coverage",
    "table_development",
    "table_estimates",
    "table_funding",
    "table_goals",
    "table_indicators",
    "table_maturity_dimensions",
    "table_maturity_regions",
    "table_pooled",
    "table_portfolio_regions",
    "table_series",
]

MNKR = 1e6
# The classifications of the portfolio, with their Swedish names.
CATEGORY_TITLES: dict[str, str] = {
    "nationell_prioritering": "Nationell prioritering",
    "fokusomrade": "Fokusområde",
    "effektkedja": "Effektkedja",
    "tema": "Tema",
}
_KR = "(kr)"
_SHOWN_KR = "(mnkr)"


@dataclass(frozen=True, eq=False)
class Table:
    """A table of the synthesis.

    ``caption`` names it; ``data`` holds plain numbers under Swedish column names with their
    units (amounts in kronor, in columns whose name ends with "(kr)"). ``decimals`` gives a
    numeric column's decimals in the report (default one; ``None`` a whole number such as a
    year or a level); the amount columns are shown in mnkr with one decimal, their name
    ending with "(mnkr)". ``inputs`` are the simulated inputs the table rests on: its caption
    names them. ``shown``, when given, is the report's text version of ``data`` (for a table
    whose columns mix units, or one that shows only some of its rows). ``if_none_shown`` is
    the sentence the report shows instead of a table whose ``shown`` has no rows (the
    workbook still has ``data`` whole).
    """

    caption: str
    data: pd.DataFrame
    decimals: dict[str, int | None] = field(default_factory=dict)
    inputs: tuple[SimulatedInput, ...] = ()
    shown: pd.DataFrame | None = None
    if_none_shown: str = ""
    # Columns the report leaves out when every row (the last ``total_rows`` rows, totals, not
    # counted) holds the same value; a sentence under the caption gives that value. The
    # workbook keeps them.
    uniform: tuple[str, ...] = ()
    total_rows: int = 0

    @property
    def empty(self) -> bool:
        return self.data.empty

    @property
    def notice(self) -> str:
        """The sentence that names the simulated inputs, or ""."""
        return notice_line(self.inputs)

    def with_inputs(self, inputs: tuple[SimulatedInput, ...]) -> Table:
        return replace(self, inputs=tuple(inputs))

    def formatted(self) -> pd.DataFrame:
        """The table as the report shows it: numbers as Swedish text, amounts in mnkr."""
        if self.shown is not None:
            return self.shown
        shown = pd.DataFrame(index=range(len(self.data)))
        for column in self.data.columns:
            series = self.data[column].reset_index(drop=True)
            name = str(column)
            numeric = pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(
                series
            )
            if not numeric:
                shown[name] = series.map(_text)
            elif name.endswith(_KR):
                shown[name.removesuffix(_KR) + _SHOWN_KR] = series.map(
                    lambda v: _number(v, MNKR, 1)
                )
            else:
                places = self.decimals.get(name, 1)
                shown[name] = series.map(lambda v, d=places: _number(v, 1, d))
        return shown

    def _ipython_display_(self) -> None:
        from IPython.display import display  # IPython is there wherever this runs

        if self._none_shown:
            show_markdown(display, escape_md(self.if_none_shown))
            return
        frame, same = self.visible()
        caption = f"**Tabell: {escape_md(self.caption)}.**"
        if self.notice:
            caption += f" *{escape_md(self.notice)}*"
        if same:
            caption += f" {escape_md(same)}"
        show_markdown(display, caption)
        show_table(display, frame)

    def visible(self) -> tuple[pd.DataFrame, str]:
        """The formatted table without its :attr:`uniform` columns that hold one value in
        every row, and the sentence that gives those values ("" when none is left out)."""
        frame = self.formatted()
        rows = frame.iloc[: len(frame) - self.total_rows] if self.total_rows else frame
        same = {}
        for column in self.uniform:
            if column in frame.columns and len(rows) > 1 and rows[column].nunique() == 1:
                same[column] = str(rows[column].iloc[0])
        if not same:
            return frame, ""
        values = "; ".join(f"{column} = {value}" for column, value in same.items())
        sentence = f"Samma i alla rader och därför inte med som kolumn: {values}."
        return frame.drop(columns=list(same)), sentence

    @property
    def _none_shown(self) -> bool:
        return bool(self.if_none_shown) and self.shown is not None and self.shown.empty

    def snapshot_text(self) -> str:
        """The table as a reader sees it, as plain text: its caption and notice, then its
        cells (or the sentence shown instead of a table without rows)."""
        if self._none_shown:
            return self.if_none_shown
        frame, same = self.visible()
        head = f"[Tabell: {self.caption}]" + (f"\n{self.notice}" if self.notice else "")
        head += f"\n{same}" if same else ""
        cells = frame.to_csv(sep="|", index=False, lineterminator="\n").strip()
        return f"{head}\n{cells}"


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return str(value)


def _number(value: object, scale: float, decimals: int | None) -> str:
    if value is None or value is pd.NA or pd.isna(value):
        return "–"
    if decimals is None:
        return str(int(value))
    return fmt_number(float(value) / scale, decimals)


def _count(value: object) -> str:
    """A summed count: a whole number without decimals, else one decimal."""
    if value is None or value is pd.NA or pd.isna(value):
        return "–"
    return fmt_number(float(value), 0 if float(value).is_integer() else 1)


def _names(codes, names: Mapping[str, str]) -> list[str]:
    return [names.get(c, c) for c in codes]


# --- coverage --------------------------------------------------------------------------------


def table_coverage(c: Coverage, names: Mapping[str, str]) -> Table:
    """Per län: its name and, per region report, whether it is in the synthesis.

    The workbook has every län. The report shows only the län that lack something, under
    the reports some län lack (a column that says "med" in every row tells the reader
    nothing the text above has not said); when every län is in every report, one sentence.
    """
    data = pd.DataFrame({"Län": _names(c.status.index, names)})
    for report, kind in REPORTS.items():
        cells = []
        for code, state in c.status[report].items():
            label = INCLUSION_LABELS[state]
            gone = c.outcomes_missing.get(code, ()) if report == "effekt" else ()
            if gone:
                word = "utfallet" if len(gone) == 1 else "utfallen"
                label += f" (saknar {word} {listed([outcome_label(o) for o in gone])})"
            cells.append(label)
        data[kind.title] = cells
    reports = [k.title for k in REPORTS.values()]
    lacking = data[reports].ne(INCLUSION_LABELS[Inclusion.INCLUDED])
    rows = lacking.any(axis=1)
    columns = [r for r in reports if lacking[r].any()]
    shown = data.loc[rows, ["Län", *columns]].reset_index(drop=True)
    notes = []
    if complete := len(data) - int(rows.sum()):
        rest = "det övriga länet" if complete == 1 else f"de övriga {fmt_number(complete)} länen"
        notes.append(f"{rest} är med i alla")
    if others := [r for r in reports if r not in columns]:
        notes.append(f"{listed(others)} har alla län och visas inte")
    caption = "Län som inte är med i alla länsrapporter"
    if notes:
        caption += f" ({'; '.join(notes)})"
    every = (
        f"Alla {fmt_number(len(data))} län är med i alla {fmt_number(len(reports))} länsrapporter."
    )
    return Table(caption, data, shown=shown, if_none_shown=every)


# --- maturity --------------------------------------------------------------------------------


def table_maturity_regions(m: MaturitySynthesis, names: Mapping[str, str]) -> Table:
    """Per län: overall level, profile mean, change, respondents and the dimension medians."""
    o = m.overall
    data = pd.DataFrame(
        {
            "Län": _names(o.index, names),
            "Trappstegsnivå": o["trappstegsniva"].to_numpy(),
            "Trappstegsnivå förra omgången": o["trappstegsniva_foregaende"].to_numpy(),
            "Profilmedel": o["profilmedel"].to_numpy(),
            "Profilmedel förra omgången": o["profilmedel_foregaende"].to_numpy(),
            "Förändring i profilmedel (nivåer)": (
                o["profilmedel"] - o["profilmedel_foregaende"]
            ).to_numpy(),
            "Respondenter": o["n_respondenter"].to_numpy(),
        }
    )
    dims = m.named(m.matrix).reindex(o.index)
    for column in dims.columns:
        data[f"{column} (median)"] = dims[column].to_numpy()
    decimals: dict[str, int | None] = {
        "Trappstegsnivå": None,
        "Trappstegsnivå förra omgången": None,
        "Profilmedel": 2,
        "Profilmedel förra omgången": 2,
        "Förändring i profilmedel (nivåer)": 2,
        "Respondenter": None,
    }
    return Table(f"Mognad per län, omgång {m.round}", data, decimals)


def table_maturity_dimensions(m: MaturitySynthesis) -> Table:
    """Per dimension: the spread over the län and the change since the previous round."""
    d, c = m.distribution, m.change
    rank = {dim: i + 1 for i, dim in enumerate(m.weakest)}
    data = pd.DataFrame(
        {
            "Dimension": [m.dimension_names[i] for i in d.index],
            "Rang (1 = svagast)": pd.array([rank.get(i) for i in d.index], dtype="Int64"),
            "Län med svar": d["n_regioner"].to_numpy(),
            "Lägst": d["min"].to_numpy(),
            "Nedre kvartil": d["q1"].to_numpy(),
            "Median": d["median"].to_numpy(),
            "Övre kvartil": d["q3"].to_numpy(),
            "Högst": d["max"].to_numpy(),
            "Medelvärde": d["medel"].to_numpy(),
            "Län under nivå 3": d["n_lag"].to_numpy(),
            "Län med båda omgångarna": c["n_regioner"].to_numpy(),
            "Median förra omgången": c["median_foregaende"].to_numpy(),
            "Median nu (samma län)": c["median_aktuell"].to_numpy(),
            "Medelförändring (nivåer)": c["medel_forandring"].to_numpy(),
            "Län uppåt": c["n_upp"].to_numpy(),
            "Län nedåt": c["n_ned"].to_numpy(),
        }
    )
    counts = ["Rang (1 = svagast)", "Län med svar", "Län under nivå 3",
              "Län med båda omgångarna", "Län uppåt", "Län nedåt"]  # fmt: skip
    decimals: dict[str, int | None] = {k: None for k in counts}
    decimals.update({"Medelvärde": 2, "Medelförändring (nivåer)": 2})
    caption = f"Mognad per dimension, omgång {m.round} (länens medianer)"
    uniform = ("Län med svar", "Län med båda omgångarna")
    return Table(caption, data, decimals, uniform=uniform)


# --- portfolio -------------------------------------------------------------------------------


def table_portfolio_regions(p: PortfolioSynthesis, names: Mapping[str, str]) -> Table:
    """Per län: projects, money, population and money per inhabitant, with a total row."""
    t = p.per_region
    data = pd.DataFrame(
        {
            "Län": _names(t.index, names),
            "Projekt som berör länet": pd.array(t["projekt_berorda"], dtype="Int64"),
            "Projekt (andelsviktade)": t["projekt_andelsviktade"].to_numpy(dtype=float),
            "Beviljat belopp (kr)": t["belopp_sek"].to_numpy(dtype=float),
            "Befolkning": t["befolkning"].to_numpy(dtype=float),
            "Belopp per invånare (kronor)": t["kr_per_invanare"].to_numpy(dtype=float),
        }
    )
    total = {
        "Län": "Summa, länen i syntesen",
        "Projekt som berör länet": pd.NA,
        "Projekt (andelsviktade)": p.projects,
        "Beviljat belopp (kr)": p.amount_sek,
        "Befolkning": p.population,
        "Belopp per invånare (kronor)": p.sek_per_inhabitant,
    }
    data = pd.concat([data, pd.DataFrame([total])], ignore_index=True)
    data["Projekt som berör länet"] = data["Projekt som berör länet"].astype("Int64")
    decimals = {"Projekt som berör länet": None, "Befolkning": 0, "Belopp per invånare (kronor)": 0}
    return Table(_period_caption("Portföljen per län", p), data, decimals)


def _period_caption(text: str, p: PortfolioSynthesis) -> str:
    return f"{text}, projekt som startade {p.period[0]}–{p.period[1]}" if p.period else text


def table_categories(p: PortfolioSynthesis, dimension: str) -> Table:
    """The national money of one dimension by category (summed over the regions)."""
    t = p.categories[dimension].sort_values("belopp_sek", ascending=False)
    labels = [CHAIN_NAMES.get(k, k) for k in t.index] if dimension == "effektkedja" else t.index
    data = pd.DataFrame(
        {
            CATEGORY_TITLES[dimension]: [str(k) for k in labels],
            "Projekt (andelsviktade)": t["projekt_andelsviktade"].to_numpy(dtype=float),
            "Beviljat belopp (kr)": t["belopp_sek"].to_numpy(dtype=float),
            "Andel av beloppet (%)": (100 * t["andel_belopp"]).to_numpy(dtype=float),
            "Län med projekt": t["n_lan"].to_numpy(dtype=int),
            "Hela riket enligt länsrapporterna (kr)": t["riket_belopp_sek"].to_numpy(dtype=float),
        }
    )
    caption = _period_caption(f"Beviljat belopp per {CATEGORY_TITLES[dimension].lower()}", p)
    return Table(caption, data, {"Län med projekt": None})


def table_funding(p: PortfolioSynthesis) -> Table:
    """Money and projects by funding source (ERUF, anslag 1:1, both), with the total."""
    t = p.funding
    if t.empty:
        return Table("Beviljat belopp per finansieringskälla", pd.DataFrame())
    data = pd.DataFrame(
        {
            "Finansieringskälla": [str(k) for k in t.index],
            "Projekt (andelsviktade)": t["projekt_andelsviktade"].to_numpy(dtype=float),
            "Beviljat belopp (kr)": t["belopp_sek"].to_numpy(dtype=float),
            "Andel av beloppet (%)": (100 * t["andel_belopp"]).to_numpy(dtype=float),
            "Län med projekt": t["n_lan"].to_numpy(dtype=int),
        }
    )
    total = {
        "Finansieringskälla": "Summa",
        "Projekt (andelsviktade)": float(t["projekt_andelsviktade"].sum()),
        "Beviljat belopp (kr)": float(t["belopp_sek"].sum()),
        "Andel av beloppet (%)": 100.0 if t["belopp_sek"].sum() else float("nan"),
        "Län med projekt": pd.NA,
    }
    data = pd.concat([data, pd.DataFrame([total])], ignore_index=True)
    data["Län med projekt"] = data["Län med projekt"].astype("Int64")
    caption = _period_caption("Beviljat belopp per finansieringskälla", p)
    return Table(caption, data, {"Län med projekt": None})


def table_concentration(p: PortfolioSynthesis) -> Table:
    """Per theme: how concentrated its money is to few län."""
    t = p.concentration
    if t.empty:
        return Table("Temans koncentration till få län", pd.DataFrame())
    data = pd.DataFrame(
        {
            "Tema": [str(k) for k in t.index],
            "Beviljat belopp (kr)": t["belopp_sek"].to_numpy(dtype=float),
            "Län med projekt": t["n_lan"].to_numpy(dtype=int),
            "Största län": t["storsta_lan"].to_numpy(),
            "Största länets andel (%)": (100 * t["andel_storsta_lan"]).to_numpy(dtype=float),
            "De tre största länen": t["tre_storsta"].to_numpy(),
            "De tre största länens andel (%)": (100 * t["andel_tre_storsta"]).to_numpy(dtype=float),
            "Effektivt antal län": t["effektivt_antal_lan"].to_numpy(dtype=float),
            "Koncentrerat": ["ja" if c else "nej" for c in t["koncentrerat"]],
        }
    )
    return Table("Temans koncentration till få län", data, {"Län med projekt": None})


# --- effects ---------------------------------------------------------------------------------


def _effect_places(unit: str) -> int:
    """Decimals of an effect in ``unit``: whole tkr, two decimals of an employee."""
    return 0 if unit == "tkr" else 2


def table_estimates(o: OutcomeEffects) -> Table:
    """Per län: the main estimate of one outcome, its interval, grade and weight."""
    t = o.estimates
    weights = {}
    if o.pooled is not None:
        weights = dict(zip(o.pooled.studies["label"], o.pooled.studies["weight"], strict=True))
    effect = f"Effekt ({o.unit} per stött företag)"
    d = _effect_places(o.unit)
    data = pd.DataFrame(
        {
            "Län": [str(n) for n in t["lan"]],
            effect: t["estimate"].to_numpy(dtype=float),
            "Standardfel": t["std_error"].to_numpy(dtype=float),
            "95 % osäkerhetsintervall, från": t["ci_low"].to_numpy(dtype=float),
            "95 % osäkerhetsintervall, till": t["ci_high"].to_numpy(dtype=float),
            "Evidensgrad": t["evidensgrad"].to_numpy(),
            "Stödda företag": pd.array(t["n_stodda"], dtype="Int64"),
            "Jämförelseföretag från": ["länet" if j == "lan" else "hela landet"
                                       for j in t["jamforelse"]],
            "Vikt i sammanvägningen (%)": [weights.get(n, float("nan")) for n in t["lan"]],
        }
    )  # fmt: skip
    decimals = {
        effect: d,
        "Standardfel": d,
        "95 % osäkerhetsintervall, från": d,
        "95 % osäkerhetsintervall, till": d,
        "Stödda företag": None,
    }
    return Table(f"Effekten på {o.name} per län", data, decimals)


def table_pooled(o: OutcomeEffects) -> Table:
    """The pooled estimates of one outcome (all län; grade A only) with heterogeneity."""
    rows = [
        _pooled_row(label, pooled, o.unit)
        for label, pooled in (("Alla län", o.pooled), ("Bara evidensgrad A", o.pooled_a))
        if pooled is not None
    ]
    effect = f"Sammanvägd effekt ({o.unit} per stött företag)"
    d = _effect_places(o.unit)
    decimals: dict[str, int | None] = {
        "Län": None,
        effect: d,
        "Standardfel": d,
        "95 % osäkerhetsintervall, från": d,
        "95 % osäkerhetsintervall, till": d,
        "Prediktionsintervall, från": d,
        "Prediktionsintervall, till": d,
        "tau²": 0 if o.unit == "tkr" else 4,
        "Q": 2,
        "Frihetsgrader": None,
        "p-värde för Q": 3,
    }
    return Table(f"Sammanvägd effekt på {o.name}", pd.DataFrame(rows), decimals)


def _pooled_row(label: str, p: PooledEstimate, unit: str) -> dict:
    pred = p.prediction_interval or (float("nan"), float("nan"))
    return {
        "Urval": label,
        "Län": p.n_studies,
        f"Sammanvägd effekt ({unit} per stött företag)": p.estimate,
        "Standardfel": p.std_error,
        "95 % osäkerhetsintervall, från": p.conf_int[0],
        "95 % osäkerhetsintervall, till": p.conf_int[1],
        "Prediktionsintervall, från": pred[0],
        "Prediktionsintervall, till": pred[1],
        "tau²": p.tau2,
        "I² (%)": 100 * p.i2,
        "Q": p.q,
        "Frihetsgrader": p.q_df,
        "p-värde för Q": p.q_p_value,
    }


def table_attainment(e: EffectSynthesis) -> Table:
    """Per chain and stage: projects with final outcomes and the share reaching all targets."""
    t = e.attainment.reset_index()
    data = pd.DataFrame(
        {
            "Effektkedja": [CHAIN_NAMES[c] for c in t["effektkedja"]],
            "Steg": [INDICATOR_STAGES[s] for s in t["steg"]],
            "Län med utfall": t["n_lan"].to_numpy(dtype=int),
            "Projekt med slutligt utfall (räknade per län)": t["n_med_utfall"].to_numpy(dtype=int),
            "Projekt som når alla mål": t["n_nar_malen"].to_numpy(dtype=int),
            "Andel som når målen (%)": (100 * t["andel_nar_malen"].astype(float)).to_numpy(),
            "Lägsta län (%)": (100 * t["lagsta_lan"].astype(float)).to_numpy(),
            "Högsta län (%)": (100 * t["hogsta_lan"].astype(float)).to_numpy(),
        }
    )
    decimals: dict[str, int | None] = {
        "Län med utfall": None,
        "Projekt med slutligt utfall (räknade per län)": None,
        "Projekt som når alla mål": None,
    }
    return Table("Måluppfyllelse per effektkedja och steg i hela landet", data, decimals)


def table_indicators(e: EffectSynthesis, indicator_names: Mapping[str, str]) -> Table:
    """Summed targets and outcomes of the count and krona indicators (final reports). Each
    row has its own unit, in the unit column: the report shows kronor in mnkr and counts as
    whole numbers where they are whole; Excel has kr."""
    t = e.indicators
    if t.empty:
        return Table("Indikatorernas mål och utfall, summerade över länen", pd.DataFrame())
    data = pd.DataFrame(
        {
            "Effektkedja": [CHAIN_NAMES.get(c, c) for c in t["effektkedja"]],
            "Steg": [INDICATOR_STAGES.get(s, s) for s in t["steg"]],
            "Indikator": [indicator_names.get(i, i) for i in t["indikator"]],
            "Enhet": t["enhet"].to_numpy(),
            "Målvärde (summa)": t["malvarde"].to_numpy(dtype=float),
            "Utfall (summa)": t["utfall"].to_numpy(dtype=float),
            "Utfall i procent av målet (%)": (100 * t["maluppfyllelse"]).to_numpy(dtype=float),
            "Län": t["n_lan"].to_numpy(dtype=int),
        }
    )
    shown = data.copy()
    kronor = data["Enhet"].eq("kr")
    for column in ("Målvärde (summa)", "Utfall (summa)"):
        shown[column] = [
            _number(v, MNKR, 1) if is_kr else _count(v)
            for v, is_kr in zip(data[column], kronor, strict=True)
        ]
    shown["Enhet"] = ["mnkr" if k else "antal" for k in kronor]
    # the unit once: "Gjorda investeringar (kronor)" in mnkr is "Gjorda investeringar"
    shown["Indikator"] = [
        name.removesuffix(" (kronor)") if k else name
        for name, k in zip(data["Indikator"], kronor, strict=True)
    ]
    shown["Utfall i procent av målet (%)"] = data["Utfall i procent av målet (%)"].map(
        lambda v: _number(v, 1, 1)
    )
    shown["Län"] = data["Län"].astype(str)
    caption = "Indikatorernas mål och utfall, summerade över länen (slutrapporterade projekt)"
    return Table(caption, data, {"Län": None}, shown=shown)


# --- the regions' goals ---------------------------------------------------------------------

_WITH_DATA = "RUS-mål med data (%)"
_ON_TRACK = "RUS-mål som når målet eller går åt rätt håll (%)"


def table_goals(g: GoalSynthesis | None, c: Coverage, names: Mapping[str, str]) -> Table:
    """Per län (every one, in official order): whether its goal chain is in, its goals per
    level and its RUS goals per status, the shares of them with data and on their way; a total
    row for the län in the synthesis."""
    frame = g.per_region if g is not None else pd.DataFrame()
    rows = []
    for code in LAN_CODES:
        state = c.status.loc[code, "malkedja"]
        row: dict = {"Län": names.get(code, code)}
        if code in frame.index:
            r = frame.loc[code]
            row["Målkedjan"] = "med" if r["har_mal"] else "med, inga mål i underlaget"
            row.update(_goal_cells(r))
        else:
            row["Målkedjan"] = INCLUSION_LABELS[state]
        rows.append(row)
    if len(frame):
        total = frame.sum(numeric_only=True)
        row = {"Län": "Summa, länen i syntesen", "Målkedjan": f"{len(frame)} län"}
        row.update(_goal_cells(total))
        rows.append(row)
    data = pd.DataFrame(rows).reindex(columns=["Län", "Målkedjan", *_GOAL_COLUMNS])
    counts = [k for k in _GOAL_COLUMNS if k not in (_WITH_DATA, _ON_TRACK)]
    for column in counts:
        data[column] = pd.array(data[column], dtype="Int64")
    for column in (_WITH_DATA, _ON_TRACK):
        data[column] = data[column].astype(float)
    decimals: dict[str, int | None] = {k: None for k in counts}
    decimals.update({_WITH_DATA: 0, _ON_TRACK: 0})
    uniform = ("Målkedjan", *_GOAL_COLUMNS)
    return Table(
        "Länens mål per nivå och RUS-målens status",
        data,
        decimals,
        uniform=uniform,
        total_rows=1 if len(frame) else 0,
    )


_GOAL_COLUMNS = (
    "RUS-mål",
    "Mål i understrategier",
    "Projektmål",
    *(f"RUS-mål: {GOAL_STATUS_LABELS[s].lower()}" for s in STATUSES),
    _WITH_DATA,
    _ON_TRACK,
)


def _goal_cells(r) -> dict:
    """The goal columns of one row of :attr:`GoalSynthesis.per_region` (or their sum)."""
    n_rus = int(r["n_rus"])
    cells = {
        "RUS-mål": n_rus,
        "Mål i understrategier": int(r["n_understrategi"]),
        "Projektmål": int(r["n_projekt"]),
        **{f"RUS-mål: {GOAL_STATUS_LABELS[s].lower()}": int(r[s]) for s in STATUSES},
    }
    cells[_WITH_DATA] = 100 * r["n_med_data"] / n_rus if n_rus else float("nan")
    cells[_ON_TRACK] = 100 * r["n_pa_vag"] / n_rus if n_rus else float("nan")
    return cells


# --- regional development --------------------------------------------------------------------


def table_development(d: Development, names: Mapping[str, str]) -> Table:
    """One row per län: latest value and index against the country, per indicator."""
    data = pd.DataFrame({"Län": _names(LAN_CODES, names)})
    decimals: dict[str, int | None] = {}
    for item in d.series.values():
        s = item.summary.reindex(list(LAN_CODES))
        unit = " (kronor)" if item.unit == "kr" else ""
        unit = unit if item.unit not in item.name or item.unit == "kr" else ""
        value = f"{item.name} {item.latest_year}{unit}"
        data[value] = s["varde"].to_numpy(dtype=float)
        decimals[value] = 0 if item.unit == "kr" else 1
        data[f"{item.name}, index (riket = 100)"] = s["index_riket"].to_numpy(dtype=float)
        decimals[f"{item.name}, index (riket = 100)"] = 0
        data[f"{item.name}, förändring {item.base_year}–{item.latest_year} (%)"] = (
            100 * s["forandring"]
        ).to_numpy(dtype=float)
        data[f"{item.name}, förändring mot riket (procentenheter)"] = (
            100 * s["skillnad_forandring"]
        ).to_numpy(dtype=float)
    return Table("Nyckelindikatorer per län mot riket", data, decimals)


def table_series(d: Development, key: str, names: Mapping[str, str]) -> Table:
    """One indicator per year, one column per län and the country (for the workbook)."""
    item = d.series[key]
    wide = item.values.rename(columns={**names, "riket": "Riket"}).reset_index()
    data = wide.rename(columns={"ar": "År"})
    return Table(f"{item.name} per år", data, {"År": None})
