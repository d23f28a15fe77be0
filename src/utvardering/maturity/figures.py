"""Figures of the maturity assessment: radar, dumbbell, national distribution, heatmap, map.

Every function takes plain frames (dimension names already as labels) and returns a
:class:`~utvardering.figures.base.Figur` with a Swedish title and alt text that states the main
message. Levels are drawn on the model's scale 1-5.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from utvardering.figures.base import FARGER, Figur, new_figure
from utvardering.figures.karta import plot_lan_map
from utvardering.format import fmt_number, listed
from utvardering.maturity.scoring import UNCHANGED
from utvardering.maturity.wording import median_comparison, tied
from utvardering.vocabulary import MATURITY_LEVELS

__all__ = [
    "draw_level_distribution",
    "map_alt",
    "plot_dumbbell",
    "plot_heatmap",
    "plot_maturity_map",
    "plot_national_distribution",
    "plot_radar",
    "wrap_label",
]

LEVELS = list(MATURITY_LEVELS)
_LOW, _HIGH = min(LEVELS), max(LEVELS)
_CMAP = "cividis"  # perceptually uniform and readable with colour-vision deficiencies
_REGION, _NATIONAL, _TARGET = FARGER["bla"], FARGER["orange"], FARGER["gron"]
_UP, _DOWN, _MUTED = FARGER["bla"], FARGER["rod"], FARGER["gra"]


def wrap_label(name: str, width: int = 16) -> str:
    """A long dimension name broken into lines of at most ``width`` characters."""
    lines = textwrap.wrap(str(name), width=width, break_on_hyphens=False, break_long_words=False)
    return "\n".join(lines) or str(name)


def _n(value: float) -> str:
    return fmt_number(value, 1)


def _present(series: pd.Series) -> pd.Series:
    return series.dropna().astype(float)


def _extreme(values: pd.Series, highest: bool) -> str:
    """Every label tied for the highest (lowest) value, with the value: "A och B (3,7)"."""
    labels = tied(values, highest)
    value = values.max() if highest else values.min()
    return f"{listed([str(x) for x in labels])} ({_n(value)})"


def _against_median(subject: str, own: pd.Series, national: pd.Series) -> str:
    """Where ``own`` lies against ``national`` (the national median), as the text says it:
    a difference smaller than UNCHANGED counts as on the median."""
    diff = (own.astype(float) - national.astype(float)).dropna()
    above, below = int((diff >= UNCHANGED).sum()), int((diff <= -UNCHANGED).sum())
    return median_comparison(subject, above, below, len(diff) - above - below)


def plot_radar(profile: pd.DataFrame, *, region_name: str, survey_round: int) -> Figur:
    """A radar chart of the levels per dimension: the region, the national median and the target.

    ``profile`` is indexed by dimension name (model order) with the columns ``region``,
    ``riket`` and ``mal``; a missing value leaves a gap in that series.
    """
    names = [str(n) for n in profile.index]
    angles = np.linspace(0, 2 * math.pi, len(names), endpoint=False)
    closed = np.append(angles, angles[0])
    figure = new_figure(7.6, 7.2)
    axes = figure.add_subplot(projection="polar")
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    series = (
        ("mal", "Målnivå", _TARGET, ":", "s"),
        ("riket", "Rikets median", _NATIONAL, "--", "D"),
        ("region", region_name, _REGION, "-", "o"),
    )
    for column, label, colour, style, marker in series:
        values = profile[column].astype(float).to_numpy()
        ring = np.append(values, values[0])
        axes.plot(
            closed, ring, linestyle=style, color=colour, linewidth=2.2, marker=marker,
            markersize=5, label=label,
        )  # fmt: skip
        if column == "region":
            axes.fill(closed, np.nan_to_num(ring), color=colour, alpha=0.12)
    axes.set_ylim(0, _HIGH)
    axes.set_yticks(LEVELS, [str(level) for level in LEVELS], fontsize=8, color="#444444")
    for label in axes.get_yticklabels():  # keep the scale readable where a line crosses it
        label.set_bbox({"facecolor": "white", "edgecolor": "none", "alpha": 0.8, "pad": 1})
    axes.set_rlabel_position(180 / len(names))
    axes.set_xticks(angles, [""] * len(names))
    for angle, name in zip(angles, names, strict=True):
        x = math.sin(angle)  # clockwise from the top: x > 0 is the right-hand side
        ha = "center" if abs(x) < 0.2 else ("left" if x > 0 else "right")
        axes.text(angle, _HIGH + 0.55, wrap_label(name, 18), ha=ha, va="center", fontsize=9)
    axes.grid(color="#cccccc", linewidth=0.7)
    title = f"Mognadsprofil: {region_name}, omgång {survey_round}"
    axes.set_title(title, fontsize=12, pad=34)
    handles, labels = axes.get_legend_handles_labels()
    figure.legend(
        handles[::-1], labels[::-1], loc="outside lower center", ncol=3, frameon=False
    )  # the region first
    region = _present(profile["region"])
    if region.empty:
        alt = (
            f"Radardiagram över de {len(names)} dimensionerna i omgång {survey_round}. "
            f"{region_name} har inga svar; diagrammet visar bara rikets median och målnivån."
        )
        return Figur(figure, title, alt)
    alt = (
        f"Radardiagram över {region_name}s mognadsnivå (median, skala 1–5) i {len(names)} "
        f"dimensioner i omgång {survey_round}, med rikets median och målnivån. Högst: "
        f"{_extreme(region, True)}; lägst: {_extreme(region, False)}. "
        + _against_median(region_name, profile["region"], profile["riket"])
    )
    return Figur(figure, title, alt)


def plot_dumbbell(
    change: pd.DataFrame, *, lan_namn: str, omgang: int, foregaende_omgang: int | None
) -> Figur:
    """Previous → current level per dimension (dumbbell chart with arrows).

    ``change`` is indexed by dimension name with the columns ``foregaende`` and ``aktuell``.
    """
    names = [str(n) for n in change.index]
    y = np.arange(len(names))[::-1]
    figure = new_figure(7.6, 0.55 * len(names) + 1.6)
    axes = figure.add_subplot()
    before = change["foregaende"].astype(float).to_numpy()
    now = change["aktuell"].astype(float).to_numpy()
    for yi, b, c in zip(y, before, now, strict=True):
        if np.isnan(b) or np.isnan(c) or abs(c - b) < UNCHANGED:
            continue
        colour = _UP if c > b else _DOWN
        axes.annotate(
            "", xy=(c, yi), xytext=(b, yi),
            arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2.2,
                        "shrinkA": 5, "shrinkB": 6},
        )  # fmt: skip
        sign = "+" if c > b else ""
        axes.text(
            _HIGH + 0.15, yi, f"{sign}{fmt_number(c - b, 1)}", va="center", fontsize=9, color=colour
        )
    previous_label = f"Omgång {foregaende_omgang}" if foregaende_omgang else "Föregående omgång"
    axes.scatter(
        before, y, s=70, facecolor="white", edgecolor=_MUTED, linewidth=2, zorder=3,
        label=previous_label,
    )  # fmt: skip
    axes.scatter(now, y, s=70, color=_REGION, zorder=4, label=f"Omgång {omgang}")
    axes.set_yticks(y, [wrap_label(n, 28) for n in names], fontsize=9)
    axes.set_xlim(_LOW - 0.2, _HIGH + 0.55)
    axes.set_xticks(LEVELS)
    axes.set_xlabel("Mognadsnivå (median av respondenternas poäng)")
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    title = f"Förändring sedan förra omgången: {lan_namn}"
    axes.set_title(title, fontsize=12, loc="left")
    figure.legend(loc="outside lower center", ncol=2, frameon=False)
    diff = pd.Series(now - before, index=names).dropna()
    if diff.empty:
        alt = (
            f"Punktdiagram över {lan_namn}s mognadsnivå per dimension i omgång {omgang}. Det "
            "finns inga jämförbara värden från en tidigare omgång."
        )
        return Figur(figure, title, alt)
    up, down = int((diff >= UNCHANGED).sum()), int((diff <= -UNCHANGED).sum())
    same = len(diff) - up - down
    moves = [
        f"{word} i {'en' if n == 1 else n}"
        for n, word in ((up, "upp"), (down, "ned"), (same, "i stort sett oförändrad"))
        if n
    ]
    alt = (
        f"Pilar från omgång {foregaende_omgang} till omgång {omgang} för {lan_namn}s "
        f"mognadsnivå i {len(diff)} dimensioner: {listed(moves)}."
    )
    if up:
        alt += f" Störst ökning: {listed(tied(diff, True))} (+{_n(diff.max())})."
    else:
        alt += " Ingen dimension har gått upp."
    if down:
        alt += f" Störst minskning: {_extreme(diff, False)}."
    else:
        alt += " Ingen dimension har gått ned."
    return Figur(figure, title, alt)


def draw_level_distribution(
    axes, matrix: pd.DataFrame, y: np.ndarray, *, exclude: str | None = None,
    colour: str = "#555555", size: float = 16,
) -> None:  # fmt: skip
    """Per dimension (a row at ``y``), a box over all regions' levels (the middle half, the
    median as a line, whiskers lowest to highest) and a dot per region, except ``exclude``.
    The dots are jittered with a fixed seed, so the picture is the same every run."""
    data = [matrix[c].dropna().to_numpy(dtype=float) for c in matrix.columns]
    axes.boxplot(
        data, positions=y, orientation="horizontal", widths=0.55, whis=(0, 100),
        showfliers=False, patch_artist=True,
        boxprops={"facecolor": "#e8e8e8", "edgecolor": "#777777"},
        medianprops={"color": "black", "linewidth": 2},
        whiskerprops={"color": "#777777"}, capprops={"color": "#777777"},
    )  # fmt: skip
    rng = np.random.default_rng(0)
    for yi, column in zip(y, matrix.columns, strict=True):
        values = matrix[column].drop(index=[exclude] if exclude else [], errors="ignore")
        values = values.dropna().to_numpy(dtype=float)
        axes.scatter(
            values, yi + rng.uniform(-0.17, 0.17, len(values)), s=size, color=colour,
            alpha=0.75, zorder=3, linewidth=0,
        )  # fmt: skip


def plot_national_distribution(
    matrix: pd.DataFrame, lan_kod: str, *, region_name: str, survey_round: int
) -> Figur:
    """The region against the distribution of all regions, per dimension.

    ``matrix`` is regions (index lan_kod) × dimensions (columns: names); every region is a grey
    dot, the box spans the middle half of the regions with the national median as its line,
    and the region is an orange diamond.
    """
    names = [str(c) for c in matrix.columns]
    y = np.arange(len(names))[::-1]
    figure = new_figure(7.6, 0.62 * len(names) + 1.7)
    axes = figure.add_subplot()
    draw_level_distribution(axes, matrix, y, exclude=lan_kod, colour="#555555", size=16)
    own = matrix.loc[lan_kod] if lan_kod in matrix.index else pd.Series(np.nan, index=names)
    axes.scatter(
        own.to_numpy(dtype=float), y, marker="D", s=90, color=_NATIONAL, edgecolor="black",
        linewidth=1, zorder=5,
    )  # fmt: skip
    axes.set_yticks(y, [wrap_label(n, 28) for n in names], fontsize=9)
    axes.set_xlim(_LOW - 0.2, _HIGH + 0.2)
    axes.set_xticks(LEVELS)
    axes.set_xlabel("Mognadsnivå (regionens median)")
    axes.grid(axis="x", color="#dddddd")
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles = [
        Line2D([], [], marker="D", color=_NATIONAL, markeredgecolor="black", linestyle="",
               markersize=8, label=region_name),
        Line2D([], [], marker="o", color="#555555", linestyle="", markersize=4,
               label="Övriga regioner"),
        Rectangle((0, 0), 1, 1, facecolor="#e8e8e8", edgecolor="#777777",
                  label="Mittersta hälften av regionerna; strecket är rikets median"),
    ]  # fmt: skip
    figure.legend(handles=handles, loc="outside lower center", ncol=3, frameon=False, fontsize=9)
    title = f"{region_name} jämfört med alla regioner, omgång {survey_round}"
    axes.set_title(title, fontsize=12, loc="left")
    n_regions = int(matrix.notna().any(axis=1).sum())
    present = _present(own)
    if present.empty:
        alt = (
            f"Fördelningen av {n_regions} regioners mognadsnivå per dimension i omgång "
            f"{survey_round}. {region_name} har inga svar och saknas i diagrammet."
        )
        return Figur(figure, title, alt)
    medians = matrix.median()
    above = [n for n in present.index if present[n] - medians[n] >= UNCHANGED]
    alt = (
        f"Fördelningen av {n_regions} regioners mognadsnivå per dimension i omgång "
        f"{survey_round}, med {region_name} markerad som en orange romb. "
        + _against_median(region_name, present, medians[present.index])
    )
    if above:
        alt += f" Över medianen: {listed(above)}."
    return Figur(figure, title, alt)


def plot_heatmap(
    matrix: pd.DataFrame,
    *,
    titel: str,
    region_names: Mapping[str, str] | None = None,
    markera: str | None = None,
) -> Figur:
    """A heatmap of regions (rows) × dimensions (columns) of maturity levels, values written out.

    ``matrix`` is indexed by lan_kod with dimension names as columns; ``region_names`` gives the
    row labels; ``markera`` outlines one region's row. Missing cells are hatched.
    """
    names = dict(region_names or {})
    values = matrix.to_numpy(dtype=float)
    rows = [names.get(str(code), str(code)) for code in matrix.index]
    columns = [str(c) for c in matrix.columns]
    figure = new_figure(1.1 * len(columns) + 2.8, 0.34 * len(rows) + 2.2)
    axes = figure.add_subplot()
    cmap = colormaps[_CMAP]
    norm = Normalize(_LOW, _HIGH)
    image = axes.imshow(np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto")
    for i, j in zip(*np.where(np.isnan(values)), strict=True):
        axes.add_patch(
            Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white", edgecolor=_MUTED,
                      hatch="////", linewidth=0)
        )  # fmt: skip
    for (i, j), value in np.ndenumerate(values):
        if np.isnan(value):
            continue
        red, green, blue, _ = cmap(norm(value))
        dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
        axes.text(j, i, _n(value), ha="center", va="center", fontsize=8,
                  color="white" if dark else "black")  # fmt: skip
    axes.set_xticks(range(len(columns)), [wrap_label(c, 13) for c in columns], fontsize=8)
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(rows)), rows, fontsize=9)
    axes.tick_params(length=0)
    for spine in axes.spines.values():
        spine.set_visible(False)
    if markera is not None and markera in list(matrix.index):
        i = list(matrix.index).index(markera)
        axes.add_patch(
            Rectangle((-0.5, i - 0.5), len(columns), 1, fill=False, edgecolor="black",
                      linewidth=2.2, clip_on=False)
        )  # fmt: skip
        axes.get_yticklabels()[i].set_fontweight("bold")
    bar = figure.colorbar(image, ax=axes, shrink=0.6, ticks=LEVELS)
    bar.set_label("Mognadsnivå (median)")
    bar.outline.set_visible(False)
    axes.set_title(titel, fontsize=12, loc="left")
    frame = pd.DataFrame(values, index=rows, columns=columns)
    alt = (
        f"Värmekarta över mognadsnivån (median, skala 1–5) för "
        f"{int(np.any(~np.isnan(values), axis=1).sum())} regioner i "
        f"{len(columns)} dimensioner; mörkare är lägre."
    )
    if frame.notna().to_numpy().any():
        means = frame.mean().dropna()
        stacked = frame.stack().dropna()

        def cells(highest: bool) -> str:
            by_region: dict[str, list[str]] = {}
            for region, column in tied(stacked, highest):
                by_region.setdefault(region, []).append(column)
            return "; ".join(f"{region} i {listed(cols)}" for region, cols in by_region.items())

        alt += (
            f" Högst i genomsnitt över regionerna: {_extreme(means, True)}; lägst: "
            f"{_extreme(means, False)}. Högsta enskilda värde, {_n(stacked.max())}: "
            f"{cells(True)}. Lägsta, {_n(stacked.min())}: {cells(False)}."
        )
    empty = [rows[i] for i in range(len(rows)) if np.isnan(values[i]).all()]
    if empty:
        alt += f" Utan svar (vita med grå streck): {listed(empty)}."
    if markera is not None and markera in list(matrix.index):
        alt += f" {names.get(markera, markera)} är inramad."
    return Figur(figure, titel, alt)


def plot_maturity_map(
    levels: pd.Series, geo: dict, *, omgang: int, markera: str | None = None
) -> Figur:
    """A map of the 21 län coloured by the overall staged level (trappstegsnivå) 1-5.

    The alt text names every län at the highest and every län at the lowest level (ties named
    in full), says how many lie between, and names the län without answers.
    """
    figur = plot_lan_map(
        levels.astype(float),
        geo,
        titel=f"Trappstegsnivå per län, omgång {omgang}",
        etikett="Trappstegsnivå",
        format=lambda value: fmt_number(value, 0),
        cmap="viridis",
        nivaer=LEVELS,
        markera=markera,
    )
    return Figur(figur.figure, figur.titel, map_alt(levels, geo, omgang=omgang, markera=markera))


def map_alt(levels: pd.Series, geo: dict, *, omgang: int, markera: str | None = None) -> str:
    """The maturity map's alt text (see :func:`plot_maturity_map`)."""
    names = {
        f["properties"]["lan_kod"]: f["properties"].get("lan_namn", f["properties"]["lan_kod"])
        for f in geo["features"]
    }
    values = levels.dropna().astype(float)
    values = values[[code in names for code in values.index]].sort_index()
    alt = f"Karta över Sveriges {len(names)} län färgade efter trappstegsnivå i omgång {omgang}."
    if values.empty:
        return alt + " Inget län har svar i omgången."

    def group(codes: list) -> str:
        return listed([names[c] for c in codes])

    top, bottom = tied(values, True), tied(values, False)
    if len(top) == len(values):
        alt += f" {'Länet' if len(top) == 1 else f'Alla {len(top)} län'} med svar har nivå "
        alt += f"{fmt_number(values.max(), 0)}: {group(top)}."
    else:
        alt += (
            f" Högst, nivå {fmt_number(values.max(), 0)}: {group(top)}. Lägst, nivå "
            f"{fmt_number(values.min(), 0)}: {group(bottom)}."
        )
        between = len(values) - len(top) - len(bottom)
        if between:
            levels_between = sorted({int(v) for v in values if values.min() < v < values.max()})
            shown = listed([str(v) for v in levels_between])
            alt += (
                f" {'Övriga' if between > 1 else 'Det övriga'} "
                f"{'länet' if between == 1 else f'{between} län'} har nivå {shown}."
            )
    missing = [c for c in names if c not in values.index]
    if missing:
        alt += f" Utan svar (vita med grå streck): {group(sorted(missing))}."
    if markera is not None and markera in values.index:
        alt += f" {names[markera]} har svart kant (nivå {fmt_number(values[markera], 0)})."
    return alt
