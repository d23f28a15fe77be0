"""Figures of the national synthesis that the region reports do not have.

The forest plot of the regions' effect estimates, the spread of maturity per dimension, goal
attainment by chain across the country, the national portfolio by category, how concentrated
each theme is, and the key indicators of every län against the country (small multiples).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Polygon
from matplotlib.ticker import FuncFormatter, MaxNLocator

from utvardering.effects import PooledEstimate
from utvardering.figures.base import FARGER, Figur, new_figure
from utvardering.figures.karta import plot_lan_map
from utvardering.format import counted, fmt_kr, fmt_number, fmt_percent, listed
from utvardering.goals.analysis import STATUS_LABELS
from utvardering.goals.figures import STATUS_COLOURS
from utvardering.maturity.figures import draw_level_distribution
from utvardering.synthesis.development import NATIONAL, IndicatorSeries
from utvardering.synthesis.effects import MIN_PROJECTS_FOR_RANGE
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES, LAN_CODES, MATURITY_LEVELS

__all__ = [
    "GRADE_COLOURS",
    "plot_attainment",
    "plot_categories",
    "plot_concentration",
    "plot_development",
    "plot_forest",
    "plot_goal_map",
    "plot_goal_status",
    "plot_maturity_spread",
]

# Tick labels the Swedish way: decimal comma, minus sign, no more decimals than needed.
_SWEDISH = FuncFormatter(
    lambda v, _: fmt_number(v, 0) if float(v).is_integer() else fmt_number(v, 2).rstrip("0")
)
GRADE_COLOURS: dict[str, str] = {"A": FARGER["bla"], "B": FARGER["orange"], "C": FARGER["gra"]}
_POOLED = FARGER["rod"]


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(str(text), width, break_long_words=False)) or str(text)


def _spines(axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _n(value: float, decimals: int = 2) -> str:
    return fmt_number(value, decimals)


def _lower_first(text: str) -> str:
    """The first letter in lower case, unless the word is an abbreviation ("BRP")."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() and len(first) > 1 else text[:1].lower() + text[1:]


def plot_forest(
    estimates: pd.DataFrame, pooled: PooledEstimate | None, *, unit: str, outcome_name: str
) -> Figur:
    """A forest plot: each region's main estimate with its 95 % interval and evidence grade,
    and the pooled random-effects estimate (diamond) with tau² and I².

    ``estimates`` has ``lan``, ``estimate``, ``ci_low``, ``ci_high``, ``evidensgrad`` (one row
    per region); markers are sized by the region's weight in the pooling.
    """
    table = estimates.sort_values("estimate").reset_index(drop=True)
    d = 0 if unit == "tkr" else 2  # whole tkr, two decimals of an employee
    n = len(table)
    figure = new_figure(8.4, 0.34 * n + 2.6)
    axes = figure.add_subplot()
    y = np.arange(n)[::-1] + 2.0
    weights = {}
    if pooled is not None:
        weights = dict(zip(pooled.studies["label"], pooled.studies["weight"], strict=True))
    for yi, row in zip(y, table.itertuples(index=False), strict=True):
        colour = GRADE_COLOURS.get(str(row.evidensgrad), FARGER["gra"])
        axes.plot([row.ci_low, row.ci_high], [yi, yi], color=colour, linewidth=1.8)
        size = 18 + 9 * weights.get(row.lan, 4.0)
        axes.scatter(row.estimate, yi, s=size, marker="s", color=colour, zorder=3)
    low = min(table["ci_low"].min(), pooled.conf_int[0] if pooled else np.inf, 0.0)
    high = max(table["ci_high"].max(), pooled.conf_int[1] if pooled else -np.inf, 0.0)
    span = high - low or 1.0
    axes.set_xlim(low - 0.04 * span, high + 0.62 * span)
    text_x = high + 0.08 * span
    for yi, row in zip(y, table.itertuples(index=False), strict=True):
        axes.text(
            text_x, yi, f"{_n(row.estimate, d)} [{_n(row.ci_low, d)}; {_n(row.ci_high, d)}]  "
            f"{row.evidensgrad}", va="center", fontsize=8,
        )  # fmt: skip
    labels = list(table["lan"])
    ticks = list(y)
    if pooled is not None:
        est, (lo, hi) = pooled.estimate, pooled.conf_int
        diamond = Polygon(
            [(lo, 0.8), (est, 1.1), (hi, 0.8), (est, 0.5)], closed=True, color=_POOLED, zorder=3
        )
        axes.add_patch(diamond)
        if pooled.prediction_interval is not None:
            p_lo, p_hi = pooled.prediction_interval
            axes.plot([p_lo, p_hi], [0.8, 0.8], color=_POOLED, linewidth=1, linestyle=":")
        axes.text(
            text_x, 0.8, f"{_n(est, d)} [{_n(lo, d)}; {_n(hi, d)}]", va="center", fontsize=8,
            fontweight="bold",
        )  # fmt: skip
        labels.append("Sammanvägd (slumpeffekter)")
        ticks.append(0.8)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.xaxis.set_major_formatter(_SWEDISH)
    axes.set_yticks(ticks, labels, fontsize=9)
    axes.set_ylim(0, y.max() + 1 if n else 2)
    axes.set_xlabel(f"Effekt per stött företag ({unit}) med 95 % osäkerhetsintervall")
    axes.grid(axis="x", color="#e5e5e5")
    axes.set_axisbelow(True)
    _spines(axes)
    title = f"Effekt av stödet på {outcome_name}, per län och sammanvägt"
    axes.set_title(title, fontsize=12, loc="left", pad=20 if pooled is not None else 6)
    handles = [
        Line2D([], [], marker="s", color=colour, linestyle="-", label=f"Evidensgrad {grade}")
        for grade, colour in GRADE_COLOURS.items()
        if grade in set(table["evidensgrad"])
    ]
    if pooled is not None:
        handles.append(Patch(color=_POOLED, label="Sammanvägd skattning"))
        if pooled.prediction_interval is not None:
            handles.append(
                Line2D([], [], color=_POOLED, linestyle=":", label="Prediktionsintervall")
            )
        axes.text(
            0, 1.01,
            f"Heterogenitet: tau² = {_n(pooled.tau2, 4 if d else 0)}, "
            f"I² = {fmt_percent(pooled.i2)}, "
            f"Q = {_n(pooled.q, 1)} ({pooled.q_df} frihetsgrader). Punktens storlek: länets vikt.",
            fontsize=8.5, ha="left", va="bottom", transform=axes.transAxes,
        )  # fmt: skip
    figure.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=8,
                  frameon=False)  # fmt: skip
    if n == 0:
        alt = "Skogsdiagram utan skattningar: inget län har en huvudskattning av effekten."
        return Figur(figure, title, alt)
    grades = table["evidensgrad"].value_counts()
    alt = (
        f"Skogsdiagram över {n} läns skattade effekt av stödet på {outcome_name}, i {unit} per "
        "stött företag, med 95 % osäkerhetsintervall och evidensgrad "
        f"({listed([f'{grades[g]} med grad {g}' for g in sorted(grades.index)])}). Lägst: "
        f"{table['lan'].iloc[0]} ({_n(table['estimate'].iloc[0], d)}); högst: "
        f"{table['lan'].iloc[-1]} ({_n(table['estimate'].iloc[-1], d)})."
    )
    if pooled is not None:
        alt += (
            f" Den sammanvägda skattningen med slumpeffekter är {_n(pooled.estimate, d)} "
            f"(95 % osäkerhetsintervall {_n(pooled.conf_int[0], d)} till "
            f"{_n(pooled.conf_int[1], d)}); "
            f"tau² = {_n(pooled.tau2, 4 if d else 0)} och I² = {fmt_percent(pooled.i2)}."
        )
    return Figur(figure, title, alt)


def plot_maturity_spread(matrix: pd.DataFrame, *, survey_round: int | None) -> Figur:
    """The regions' medians per dimension: every region a dot, the box the middle half.

    ``matrix`` is regions × dimensions with dimension names as columns.
    """
    names = [str(c) for c in matrix.columns]
    y = np.arange(len(names))[::-1]
    figure = new_figure(7.8, 0.6 * len(names) + 1.8)
    axes = figure.add_subplot()
    draw_level_distribution(axes, matrix, y, colour=FARGER["bla"], size=18)
    axes.scatter(matrix.mean(), y, marker="D", s=40, color=FARGER["orange"], zorder=4,
                 edgecolor="black", linewidth=0.6)  # fmt: skip
    axes.set_yticks(y, [_wrap(n, 30) for n in names], fontsize=9)
    levels = list(MATURITY_LEVELS)
    axes.set_xlim(min(levels) - 0.2, max(levels) + 0.2)
    axes.set_xticks(levels)
    axes.set_xlabel("Mognadsnivå (länets median)")
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    _spines(axes)
    handles = [
        Line2D([], [], marker="o", color=FARGER["bla"], linestyle="", label="Ett län"),
        Line2D([], [], marker="D", color=FARGER["orange"], markeredgecolor="black",
               linestyle="", label="Medelvärde"),
        Patch(facecolor="#e8e8e8", edgecolor="#777777",
              label="Mittersta hälften; linje = median; streck = lägst–högst"),
    ]  # fmt: skip
    figure.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False, fontsize=8)
    title = "Spridningen mellan länen per dimension" + (
        f", omgång {survey_round}" if survey_round else ""
    )
    axes.set_title(title, fontsize=12, loc="left")
    if matrix.empty:
        return Figur(figure, title, "Spridningsdiagram utan värden: inget län har svar.")
    spread = (matrix.max() - matrix.min()).rename(index=str)
    medians = matrix.median().rename(index=str)
    alt = (
        f"Spridningsdiagram över {int(matrix.notna().any(axis=1).sum())} läns mognadsnivå i "
        f"{counted(len(names), 'dimension', 'dimensioner')}. Lägst median: "
        f"{medians.idxmin()} ({_n(medians.min(), 1)}); "
        f"högst: {medians.idxmax()} ({_n(medians.max(), 1)}). Störst spridning mellan länen: "
        f"{spread.idxmax()} (från {_n(matrix[spread.idxmax()].min(), 1)} till "
        f"{_n(matrix[spread.idxmax()].max(), 1)})."
    )
    return Figur(figure, title, alt)


def plot_attainment(attainment: pd.DataFrame) -> Figur:
    """Share of projects reaching their targets per chain and stage across the country, with
    the range of the regions' shares (lowest to highest län) as a line."""
    stages = list(INDICATOR_STAGES)
    chains = [c for c in CHAIN_NAMES if c in attainment.index.get_level_values(0)]
    figure = new_figure(8.2, 0.95 * len(chains) + 1.9)
    axes = figure.add_subplot()
    height = 0.8 / len(stages)
    colours = [FARGER["bla"], FARGER["orange"], FARGER["gron"]]
    y_base = np.arange(len(chains))[::-1]
    for s, (stage, colour) in enumerate(zip(stages, colours, strict=True)):
        for c, chain in zip(y_base, chains, strict=True):
            row = attainment.loc[(chain, stage)]
            yi = c + 0.4 - height * (s + 0.5)
            share = row["andel_nar_malen"]
            if pd.isna(share):
                axes.text(0.01, yi, "inga slutliga utfall", va="center", fontsize=7,
                          color="#555555")  # fmt: skip
                continue
            axes.barh(yi, share, height=height * 0.9, color=colour,
                      label=INDICATOR_STAGES[stage] if c == y_base[0] else None)  # fmt: skip
            if pd.notna(row["lagsta_lan"]):
                axes.plot([row["lagsta_lan"], row["hogsta_lan"]], [yi, yi], color="black",
                          linewidth=1)  # fmt: skip
            axes.text(1.05, yi, f"{fmt_percent(share)} (n = {int(row['n_med_utfall'])})",
                      va="center", fontsize=7.5)  # fmt: skip
    axes.set_yticks(y_base, [_wrap(CHAIN_NAMES[c], 26) for c in chains], fontsize=9)
    axes.set_xlim(0, 1.27)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0], ["0 %", "25 %", "50 %", "75 %", "100 %"])
    axes.set_xlabel(
        "Andel projekt som når alla sina mål i steget (n = projekt, räknade per län)\n"
        "Svart linje: från lägsta till högsta län med minst "
        f"{MIN_PROJECTS_FOR_RANGE} projekt med utfall"
    )
    axes.grid(axis="x", color="#e5e5e5")
    axes.set_axisbelow(True)
    _spines(axes)
    handles, labels = axes.get_legend_handles_labels()
    figure.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False, fontsize=9)
    title = "Måluppfyllelse per effektkedja och steg i hela landet"
    axes.set_title(title, fontsize=12, loc="left")
    known = attainment.dropna(subset=["andel_nar_malen"])
    if known.empty:
        return Figur(figure, title, "Stapeldiagram utan värden: inga slutliga utfall finns.")

    def where(value: float) -> str:
        keys = known.index[known["andel_nar_malen"] == value]
        return listed([f"{CHAIN_NAMES[c]}, {INDICATOR_STAGES[st].lower()}" for c, st in keys])

    best, worst = known["andel_nar_malen"].max(), known["andel_nar_malen"].min()
    alt = (
        "Stapeldiagram över andelen projekt som når alla sina mål, per effektkedja och steg "
        f"(prestationer, kort sikt, medellång sikt), summerat över länen. Högst, "
        f"{fmt_percent(best)}: {where(best)}. Lägst, {fmt_percent(worst)}: {where(worst)}."
    )
    return Figur(figure, title, alt)


def plot_categories(
    categories: Mapping[str, pd.DataFrame], titles: Mapping[str, str], *, period: str
) -> Figur:
    """The national money per category, one panel per dimension (summed over the regions)."""
    dims = [d for d in titles if d in categories and not categories[d].empty]
    sizes = [len(categories[d]) for d in dims]
    figure = new_figure(8.2, 0.3 * sum(sizes) + 1.0 * len(dims) + 0.8)
    grid = figure.add_gridspec(len(dims), 1, height_ratios=sizes or [1])
    parts = []
    for i, dimension in enumerate(dims):
        axes = figure.add_subplot(grid[i])
        table = categories[dimension].sort_values("belopp_sek")
        labels = [
            CHAIN_NAMES.get(k, k) if dimension == "effektkedja" else str(k) for k in table.index
        ]
        axes.barh(range(len(table)), table["belopp_sek"] / 1e6, color=FARGER["bla"])
        axes.set_yticks(range(len(table)), [_wrap(lab, 40) for lab in labels], fontsize=8)
        for yi, value in enumerate(table["belopp_sek"]):
            axes.text(value / 1e6, yi, " " + fmt_kr(value), va="center", fontsize=7.5)
        axes.set_xlim(0, table["belopp_sek"].max() / 1e6 * 1.25 or 1)
        axes.set_title(titles[dimension], fontsize=10, loc="left")
        axes.grid(axis="x", color="#e5e5e5")
        axes.set_axisbelow(True)
        _spines(axes)
        if i == len(dims) - 1:
            axes.set_xlabel("Beviljat belopp (mnkr), fördelat på länen efter andel")
        top = table["belopp_sek"].idxmax()
        top_name = CHAIN_NAMES.get(top, top) if dimension == "effektkedja" else top
        parts.append(
            f"{titles[dimension].lower()}: störst är {top_name} "
            f"({fmt_kr(table['belopp_sek'].max())})"
        )
    title = f"Beviljat belopp i landet per kategori, projekt som startade {period}"
    figure.suptitle(title, fontsize=12, x=0.01, ha="left")
    alt = "Liggande staplar över det beviljade beloppet summerat över länen; " + "; ".join(parts)
    return Figur(figure, title, alt + ".")


def plot_concentration(concentration: pd.DataFrame, *, effective_all: float) -> Figur:
    """Per theme, the effective number of län its money is spread over (1 / Herfindahl), with
    the whole portfolio's as a reference line; concentrated themes are highlighted."""
    table = concentration.sort_values("effektivt_antal_lan", ascending=False)
    figure = new_figure(8.0, 0.32 * len(table) + 1.8)
    axes = figure.add_subplot()
    colours = [FARGER["rod"] if c else FARGER["bla"] for c in table["koncentrerat"]]
    axes.barh(range(len(table)), table["effektivt_antal_lan"], color=colours)
    axes.set_yticks(range(len(table)), list(table.index), fontsize=8.5)
    for yi, row in enumerate(table.itertuples()):
        axes.text(
            row.effektivt_antal_lan + 0.15, yi,
            f"{fmt_percent(row.andel_tre_storsta)} i {row.tre_storsta}", va="center", fontsize=7,
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.6, "alpha": 0.85},
        )  # fmt: skip
    axes.axvline(effective_all, color="black", linestyle="--", linewidth=1)
    axes.axvline(0.5 * effective_all, color=FARGER["rod"], linestyle=":", linewidth=1)
    axes.set_xlim(0, max(len(LAN_CODES), float(table["effektivt_antal_lan"].max()) * 2.1))
    axes.set_xlabel("Effektivt antal län (1 / Herfindahlindex för länens andelar av beloppet)")
    axes.xaxis.set_major_formatter(_SWEDISH)
    _spines(axes)
    handles = [
        Patch(color=FARGER["rod"], label="Koncentrerat tema"),
        Patch(color=FARGER["bla"], label="Spritt tema"),
        Line2D([], [], color="black", linestyle="--",
               label=f"Hela portföljen ({fmt_number(effective_all, 1)})"),
        Line2D([], [], color=FARGER["rod"], linestyle=":", label="Gräns för koncentration"),
    ]  # fmt: skip
    figure.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    title = "Hur koncentrerade temana är till få län"
    axes.set_title(title, fontsize=12, loc="left")
    concentrated = list(table.index[table["koncentrerat"]])
    alt = (
        "Liggande staplar över hur många län pengarna i "
        f"{'temat' if len(table) == 1 else f'vart och ett av {len(table)} teman'} "
        f"i praktiken är spridda över; hela portföljen motsvarar {fmt_number(effective_all, 1)} "
        "lika stora län. "
    )
    alt += (
        f"Koncentrerade till få län: {listed(concentrated)}."
        if concentrated
        else "Inget tema är koncentrerat till få län."
    )
    return Figur(figure, title, alt)


def plot_development(
    item: IndicatorSeries, names: Mapping[str, str], *, included: list[str] | None = None
) -> Figur:
    """Small multiples: each län's indicator over time (blue) against the country (orange).

    ``names`` labels the panels (short names read best); ``included`` lists the län to draw,
    by default every län with values.
    """
    codes = [
        c for c in (included or LAN_CODES) if c in item.values and item.values[c].notna().any()
    ]
    cols = 3
    rows = max(1, -(-len(codes) // cols))
    figure = new_figure(8.2, 1.25 * rows + 1.2)
    grid = figure.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    years = item.values.index
    for k, axes in enumerate(grid.flat):
        if k >= len(codes):
            axes.set_visible(False)
            continue
        code = codes[k]
        axes.plot(
            years, item.values[NATIONAL], color=FARGER["orange"], linestyle="--", linewidth=1.3
        )
        axes.plot(years, item.values[code], color=FARGER["bla"], linewidth=1.6)
        axes.set_title(names.get(code, code), fontsize=8, pad=2)
        axes.tick_params(labelsize=7)
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_number(v, 0)))
        axes.xaxis.set_major_locator(MaxNLocator(5, integer=True))
        axes.grid(color="#eeeeee")
        _spines(axes)
    handles = [
        Line2D([], [], color=FARGER["bla"], linewidth=1.6, label="Länet"),
        Line2D([], [], color=FARGER["orange"], linestyle="--", label="Riket"),
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=2, frameon=False, fontsize=8)
    unit = "" if item.unit in item.name else f" ({item.unit})"
    title = f"{item.name}{unit} per län och år, jämfört med riket"
    figure.suptitle(title, fontsize=11, x=0.01, ha="left")
    summary = item.summary.dropna(subset=["index_riket"]) if len(item.summary.columns) else None
    alt = (
        f"{counted(len(codes), 'litet linjediagram', 'små linjediagram')}, ett per län, över "
        f"{_lower_first(item.name)} "
        f"{int(years.min())}–{int(years.max())} med riket som streckad linje."
    )
    if summary is not None and len(summary):
        above = summary.index[summary["index_riket"] > 100]
        top = summary["index_riket"].idxmax()
        alt += (
            f" År {item.latest_year} ligger {len(above)} av {len(summary)} län över riket; "
            f"högst är {names.get(top, top)} ({fmt_number(summary.loc[top, 'index_riket'])} där "
            "riket är 100)."
        )
    return Figur(figure, title, alt)


def _tied(values: pd.Series, highest: bool) -> list[str]:
    """The labels of every value equal to the highest (or lowest) one, in the series' order."""
    best = values.max() if highest else values.min()
    return [label for label, value in values.items() if abs(value - best) < 1e-9]


def plot_goal_map(shares: pd.Series, geo: dict, *, title: str, label: str) -> Figur:
    """A map of the län coloured by a share of their RUS goals (0–1, index lan_kod); a län
    without a value (no RUS goals, or no goal-chain file in the synthesis) is white with grey
    hatching. The alt text names every län at the highest and at the lowest share (ties in
    full) and every län without a value."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize

    values = shares.dropna().astype(float)
    figur = plot_lan_map(100 * values, geo, titel=title, etikett=label, cmap="viridis")
    # A share runs from 0 to 100 %, whatever the län's values: the scale is fixed, so that
    # two runs' maps read alike. The map's colours and colour bar are redrawn on that scale.
    figure = figur.figure
    axes, old_bar = figure.axes[0], figure.axes[-1]
    norm, cmap = Normalize(0, 100), colormaps["viridis"]
    faces = [
        cmap(norm(100 * values[f["properties"]["lan_kod"]]))
        for f in geo["features"]
        if f["properties"]["lan_kod"] in values.index
        for _ in (
            f["geometry"]["coordinates"]
            if f["geometry"]["type"] == "MultiPolygon"
            else [f["geometry"]["coordinates"]]
        )
    ]
    if faces:
        axes.collections[0].set_facecolors(faces)
    old_bar.remove()
    bar = figure.colorbar(
        ScalarMappable(norm, cmap), ax=axes, shrink=0.6, label=label, ticks=[0, 25, 50, 75, 100]
    )
    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: fmt_percent(v / 100)))
    bar.outline.set_visible(False)
    names = {
        f["properties"]["lan_kod"]: f["properties"].get("lan_namn", f["properties"]["lan_kod"])
        for f in geo["features"]
    }
    values = values[[code in names for code in values.index]]
    subject = label[:1].lower() + label[1:]
    alt = f"Karta över Sveriges {len(names)} län färgade efter {subject}."
    if values.empty:
        alt += " Inget län har något värde."
    elif len(values) == 1:
        alt += f" Bara {names[values.index[0]]} har ett värde: {fmt_percent(values.iloc[0])}."
    elif values.max() - values.min() < 1e-9:
        alt += (
            f" Alla {len(values)} län med värde har {fmt_percent(values.max())}: "
            f"{listed([names[c] for c in values.index])}."
        )
    else:
        top, bottom = _tied(values, True), _tied(values, False)
        alt += (
            f" Högst, {fmt_percent(values.max())}: {listed([names[c] for c in top])}. Lägst, "
            f"{fmt_percent(values.min())}: {listed([names[c] for c in bottom])}."
        )
    missing = [c for c in names if c not in values.index]
    if missing:
        alt += f" Utan värde (vit med grå streck): {listed([names[c] for c in missing])}."
    return Figur(figur.figure, figur.titel, alt)


def plot_goal_status(per_region: pd.DataFrame, names: Mapping[str, str]) -> Figur:
    """The län's RUS goals per status as stacked horizontal bars, one bar per län with RUS
    goals (official order, top down), in the status colours of the goal-chain report.

    ``per_region``: :attr:`~utvardering.synthesis.goals.GoalSynthesis.per_region` (``n_rus``
    and one column per status)."""
    rows = per_region[per_region["n_rus"] > 0]
    statuses = list(STATUS_LABELS)
    figure = new_figure(8.2, 1.9 + 0.32 * max(len(rows), 1))
    axes = figure.add_subplot()
    y = np.arange(len(rows))[::-1]
    for yi, (_, row) in zip(y, rows.iterrows(), strict=True):
        start = 0
        for status in statuses:
            n = int(row[status])
            if not n:
                continue
            axes.barh(yi, n, left=start, height=0.65, color=STATUS_COLOURS[status],
                      edgecolor="white", linewidth=0.8)  # fmt: skip
            axes.text(start + n / 2, yi, str(n), ha="center", va="center", fontsize=8)
            start += n
    axes.set_yticks(y, [names.get(c, c) for c in rows.index], fontsize=8.5)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(_SWEDISH)
    axes.set_xlabel("Antal RUS-mål")
    _spines(axes)
    present = [s for s in statuses if len(rows) and rows[s].sum() > 0]
    handles = [Patch(facecolor=STATUS_COLOURS[s], label=STATUS_LABELS[s]) for s in present]
    if handles:
        figure.legend(handles=handles, loc="outside lower center", ncol=min(4, len(handles)),
                      frameon=False, fontsize=8.5)  # fmt: skip
    title = "RUS-målens status per län"
    axes.set_title(title, fontsize=12, loc="left")
    if rows.empty:
        return Figur(figure, title, "Stapeldiagram utan staplar: inget län har RUS-mål.")
    totals = {s: int(rows[s].sum()) for s in present}
    clauses = "; ".join(f"{STATUS_LABELS[s].lower()}: {n}" for s, n in totals.items())
    alt = (
        f"Staplade staplar med antalet RUS-mål per status för {len(rows)} län, i länsordning. "
        f"Sammanlagt {int(rows['n_rus'].sum())} RUS-mål ({clauses}). Tabellen efter "
        "diagrammet har varje läns antal."
    )
    return Figur(figure, title, alt)
