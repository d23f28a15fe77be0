"""The thematic report's figures: category bars against the nation, maps, the stryktips matrix.

Every function returns a :class:`~utvardering.figures.Figur` with a Swedish title and an alt
text that states the figure's main message, so it survives without sight.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.patches import Rectangle

from utvardering.figures import FARGER, PALETT, Figur, new_figure, plot_lan_map
from utvardering.format import fmt_number, listed
from utvardering.portfolio.specialisation import DIMENSIONS, Breakdown
from utvardering.portfolio.stryktips import Stryktips
from utvardering.portfolio.theme import ThemeView
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES

__all__ = [
    "plot_category_bars",
    "plot_per_inhabitant_map",
    "plot_stryktips",
    "plot_theme_chains",
    "plot_theme_map",
]

_WRAP = 30


def _wrap(text: str, width: int = _WRAP) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _pct(share: float) -> str:
    return "–" if pd.isna(share) else f"{fmt_number(100 * share)}\u00a0%"


def _category_name(dimension: str, category: str) -> str:
    return CHAIN_NAMES.get(category, category) if dimension == "effektkedja" else category


def plot_category_bars(result: Breakdown, region_name: str, title: str | None = None) -> Figur:
    """Horizontal bars: the län's share of its money per category, the nation's as a marker."""
    table = result.table
    what = DIMENSIONS[result.dimension].lower()
    title = title or f"Andel av beviljade medel per {what}"
    names = [_category_name(result.dimension, str(c)) for c in table.index]
    region = 100 * table["andel_belopp"].fillna(0).to_numpy()
    nation = 100 * table["riket_andel_belopp"].fillna(0).to_numpy()
    n = len(names)
    figure = new_figure(7.2, 0.42 * n + 1.5)
    axes = figure.add_subplot()
    y = np.arange(n)
    axes.barh(y, region, height=0.65, color=PALETT[0], label=region_name)
    axes.scatter(
        nation, y, marker="D", s=28, color=FARGER["orange"], edgecolor="black", zorder=3,
        label="Riket",
    )  # fmt: skip
    right = max(float(np.max(region, initial=0)), float(np.max(nation, initial=0)), 1.0)
    for yi, value, reference in zip(y, region, nation, strict=True):
        axes.text(
            max(value, reference) + right * 0.025,
            yi,
            f"{fmt_number(value)}\u00a0% (riket {fmt_number(reference)}\u00a0%)",
            va="center",
            fontsize=7.5,
        )
    axes.set_yticks(y, [_wrap(name) for name in names], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, right * 1.4)
    axes.set_xlabel("Andel av beviljade medel (%)")
    axes.set_title(_wrap(title, 70), fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    figure.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    alt = f"Liggande stapeldiagram över andelen av de beviljade medlen i {region_name} per {what}, "
    alt += "med rikets andel som en romb. "
    if result.total_sek > 0:
        top = table["andel_belopp"].idxmax()
        gap = (table["andel_belopp"] - table["riket_andel_belopp"]).abs().idxmax()
        alt += (
            f"Störst i länet: {_category_name(result.dimension, top)} "
            f"({_pct(table.loc[top, 'andel_belopp'])}, riket "
            f"{_pct(table.loc[top, 'riket_andel_belopp'])}). Störst skillnad mot riket: "
            f"{_category_name(result.dimension, gap)} ({_pct(table.loc[gap, 'andel_belopp'])} "
            f"mot {_pct(table.loc[gap, 'riket_andel_belopp'])})."
        )
    else:
        alt += "Länet har inga beviljade medel under perioden."
    if result.multi_valued:
        alt += " Ett projekt räknas under vart och ett av sina teman, så andelarna summerar till "
        alt += "mer än 100 %."
    return Figur(figure, title, alt)


def plot_per_inhabitant_map(
    sek_per_inhabitant: pd.Series, geo: dict, lan_kod: str | None, title: str
) -> Figur:
    """The 21 län coloured by granted SEK per inhabitant; ``lan_kod`` is outlined.

    ``geo`` is the map of the län (the table ``karta``).
    """
    base = plot_lan_map(
        sek_per_inhabitant,
        geo,
        titel=_wrap(title, 40),
        etikett="Kronor per invånare",
        format=lambda value: f"{fmt_number(value)}\u00a0kr",
        markera=lan_kod,
    )
    alt = base.alt
    if lan_kod is not None:
        value = fmt_number(sek_per_inhabitant.get(lan_kod))
        alt += f" Länet som rapporten gäller har svart kant ({value}\u00a0kr per invånare)."
    return Figur(base.figure, title, alt)


def plot_theme_map(view: ThemeView, geo: dict, lan_kod: str | None, period: str) -> Figur:
    """The 21 län coloured by the theme's SEK per inhabitant."""
    return plot_per_inhabitant_map(
        view.by_region["kr_per_invanare"],
        geo,
        lan_kod,
        f"{view.theme}: beviljade medel per invånare, projekt som startade {period}",
    )


def plot_stryktips(result: Stryktips, region_name: str) -> Figur:
    """The stryktips matrix as a heatmap: share of a row's projects with an outcome per stage.

    Covered cells carry an X and "k av n"; holes (no outcome at all) are white with hatching.
    """
    share = 100 * result.share.to_numpy(dtype=float)
    rows = [str(r) for r in result.with_outcome.index]
    stages = [INDICATOR_STAGES[s] for s in result.with_outcome.columns]
    what = DIMENSIONS[result.dimension].lower()
    title = f"Stryktips: uppföljda steg i effektkedjan per {what}"
    n = max(len(rows), 1)
    figure = new_figure(6.6, 0.38 * n + 1.9)
    axes = figure.add_subplot()
    cmap = colormaps["cividis"]
    holes = result.with_outcome.to_numpy() == 0
    if not rows:  # an empty matrix: one blank row that says so
        share, holes = np.full((1, len(stages)), np.nan), np.zeros((1, len(stages)), bool)
        axes.text(1, 0, "Inga projekt under perioden", ha="center", va="center", fontsize=9)
    image = axes.imshow(
        np.ma.masked_where(holes | np.isnan(share), share),
        cmap=cmap,
        vmin=0,
        vmax=100,
        aspect="auto",
    )
    for i in range(len(rows)):
        for j in range(len(stages)):
            k, total = int(result.with_outcome.iat[i, j]), int(result.projects.iat[i])
            if holes[i, j]:
                axes.add_patch(
                    Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white", hatch="////",
                              edgecolor=FARGER["gra"], linewidth=0)
                )  # fmt: skip
                axes.text(j, i, f"hål (0 av {total})", ha="center", va="center", fontsize=8)
                continue
            colour = "white" if share[i, j] < 60 else "black"
            axes.text(
                j, i, f"X  ({k} av {total})", ha="center", va="center", fontsize=8, color=colour
            )
    axes.set_xticks(range(len(stages)), stages, fontsize=9)
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(rows)), [_wrap(r, 28) for r in rows], fontsize=8)
    axes.set_ylim(max(len(rows), 1) - 0.5, -0.5)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    axes.set_title(title, fontsize=11)
    bar = figure.colorbar(image, ax=axes, shrink=0.8, pad=0.02)
    bar.set_label("Andel av radens projekt med utfall (%)", fontsize=8)
    bar.outline.set_visible(False)
    found = result.holes()
    alt = (
        f"Stryktipsmatris för {region_name}: {len(rows)} rader ({what}) gånger tre steg i "
        "effektkedjan (prestationer, effekter på kort sikt och effekter på medellång sikt). "
        "Ett X betyder att "
        "minst ett projekt i raden har rapporterat utfall på steget; färgen visar hur stor andel "
        "av radens projekt som gjort det. "
    )
    if not rows:
        alt += "Länet har inga projekt under perioden."
    elif found:
        shown = [f"{h.category} ({INDICATOR_STAGES[h.stage].lower()})" for h in found[:8]]
        more = f" och {len(found) - 8} till" if len(found) > 8 else ""
        alt += f"Hål i uppföljningen: {listed(shown)}{more}."
    else:
        alt += "Inga hål: varje rad har utfall på alla tre stegen."
    return Figur(figure, title, alt)


def plot_theme_chains(view: ThemeView, short_names: pd.Series) -> Figur:
    """Stacked bars: the theme's money (mnkr) per län, split by effect chain, largest on top."""
    money = view.by_chain / 1e6
    order = money.sum(axis=1).sort_values(ascending=False, kind="stable").index
    money = money.loc[order]
    figure = new_figure(7.2, 6.6)
    axes = figure.add_subplot()
    y = np.arange(len(money))
    left = np.zeros(len(money))
    for colour, chain in zip(PALETT, money.columns, strict=False):
        values = money[chain].to_numpy()
        axes.barh(y, values, left=left, height=0.7, color=colour,
                  label=CHAIN_NAMES.get(chain, chain))  # fmt: skip
        left += values
    for yi, value in zip(y, left, strict=True):
        if value > 0:
            axes.text(value, yi, f" {fmt_number(value, 1)}", va="center", fontsize=7)
    axes.set_yticks(y, [short_names.get(code, code) for code in money.index], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, max(float(left.max()), 1.0) * 1.12)
    axes.set_xlabel("Beviljade medel (mnkr, fördelade efter länsandelar)")
    title = f"{view.theme}: beviljade medel per län och effektkedja"
    axes.set_title(_wrap(title, 70), fontsize=11)
    axes.spines[["top", "right"]].set_visible(False)
    figure.legend(loc="outside lower center", ncols=2, fontsize=7, frameon=False)
    total = money.sum(axis=1)
    if total.sum() > 0:
        top = total.idxmax()
        chain = money.sum().idxmax()
        alt = (
            f"Staplade liggande staplar: medel till {view.theme} per län, uppdelade på de fyra "
            f"effektkedjorna. Mest: {short_names.get(top, top)} "
            f"({fmt_number(total[top], 1)} mnkr). "
            f"Största kedjan i riket: {CHAIN_NAMES.get(chain, chain)} "
            f"({fmt_number(money[chain].sum(), 1)} mnkr). "
            f"{int((total == 0).sum())} av 21 län har inga medel till temat."
        )
    else:
        alt = f"Staplar per län för {view.theme}: inget län har medel till temat under perioden."
    return Figur(figure, title, alt)
