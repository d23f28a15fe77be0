"""Figures of the goal chain (målkedja): the goal tree, the fan chart of a goal, status bars.

Every function takes finished results (rows of ``GoalChainAnalysis.goals``, a region's series,
a :class:`~utvardering.goals.forecast.Forecast`) and returns a
:class:`~utvardering.figures.base.Figur` with a Swedish title and an alt text that states the
numbers; nothing is estimated here. Each status has one colour, the same in every figure
(:data:`STATUS_COLOURS`, Okabe-Ito), and every box also names its status in words, so that the
figures can be read without telling the colours apart.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from utvardering.figures.base import DPI, FARGER, Figur, new_figure
from utvardering.format import counted, fmt_number, listed
from utvardering.goals.analysis import STATUS_LABELS, comparable_across_regions
from utvardering.goals.forecast import MIN_OBSERVATIONS
from utvardering.vocabulary import GOAL_HORIZONS

if TYPE_CHECKING:
    from utvardering.goals.forecast import Forecast

__all__ = [
    "LEVEL_LABELS",
    "STATUS_COLOURS",
    "plot_fan_chart",
    "plot_goal_tree",
    "plot_status_bars",
    "wrap_to_width",
]

# One colour per status (Okabe-Ito): reached green, uncertain orange, not reached vermillion;
# the three directions without a target value sky blue, yellow and reddish purple; no data grey.
STATUS_COLOURS: dict[str, str] = {
    "nas": FARGER["gron"],
    "osakert": FARGER["orange"],
    "nas_inte": FARGER["rod"],
    "ratt_riktning": FARGER["himmel"],
    "oklar_riktning": FARGER["gul"],
    "fel_riktning": FARGER["lila"],
    "saknar_data": FARGER["gra"],
}

# The levels of the chain, as the columns of the tree and the rows of the status bars.
LEVEL_LABELS: dict[str, str] = {
    "rus": "RUS-mål",
    "understrategi": "Understrategier",
    "projekt": "Projektmål",
}

_LEVEL_ALT = {
    "rus": ("RUS-mål", "RUS-mål"),
    "understrategi": ("understrategi", "understrategier"),
    "projekt": ("projektmål", "projektmål"),
}
_COLUMN = {"rus": 0, "understrategi": 1, "projekt": 2}

_WHITE_BLEND = 0.6  # box fills are the status colour lightened, so that black text stays readable
_REGION = FARGER["bla"]
_PEER = "#9a9a9a"
_PEER_MEDIAN = "#4d4d4d"
_SUBTITLE_WIDTH = 6.3  # inches: the fan chart's plot area, right of the value axis' label


# ---------------------------------------------------------------- helpers


def _get(row: Mapping[str, Any] | pd.Series, key: str) -> Any:
    """A field of a goals row, None when it is absent or missing (NaN, <NA>, empty text)."""
    try:
        value = row[key]
    except (KeyError, IndexError):
        return None
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value


def _int(row: Mapping[str, Any] | pd.Series, key: str) -> int | None:
    value = _get(row, key)
    return None if value is None else int(value)


def _float(row: Mapping[str, Any] | pd.Series, key: str) -> float | None:
    value = _get(row, key)
    return None if value is None else float(value)


def _lighten(colour: str, blend: float = _WHITE_BLEND) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(colour)
    return (r + (1 - r) * blend, g + (1 - g) * blend, b + (1 - b) * blend)


def _status_text(row: Mapping[str, Any] | pd.Series) -> str:
    status = _get(row, "status") or "saknar_data"
    return _get(row, "status_text") or STATUS_LABELS.get(status, status)


def _lower_first(text: str) -> str:
    """Lower-case the first letter, unless the first word is an abbreviation ("BRP")."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _unit(unit: str | None) -> str:
    """A unit as written in Swedish text: "1000" with its thousands space."""
    if not unit:
        return ""
    return unit.replace("1000", "1\u00a0000").replace("procent", "%")


def _unit_after_number(unit: str | None) -> str:
    """A unit as it reads after a number: "5,6 per 1 000 invånare", "412 000 kr per invånare"."""
    text = _unit(unit)
    if text.startswith("antal "):
        text = text[len("antal ") :]
    return text if text != "antal" else ""


def _axis_label(name: str, unit: str | None) -> str:
    """The value axis: the indicator's name and its unit, the unit once ("Enhet en gång")."""

    def plain(text: str) -> str:
        return text.lower().replace("\u00a0", " ")

    shown = _unit(unit)
    if " per " in shown and plain(shown[shown.index(" per ") :]) in plain(name):
        shown = shown[: shown.index(" per ")]  # "BRP per invånare (kr)"
    if not shown or shown == "antal" or plain(_unit_after_number(shown)) in plain(name):
        return name
    return f"{name} ({shown})"


def _decimals(values: pd.Series | np.ndarray | list[float]) -> int:
    """Decimals for values of this size: 0 from 100, 1 from 1, else 2."""
    array = np.asarray(values, dtype=float)
    array = array[~np.isnan(array)]
    size = float(np.median(np.abs(array))) if len(array) else 1.0
    return 0 if size >= 100 else 1 if size >= 1 else 2


def _exact_decimals(value: float) -> int:
    """The decimals a target value is written with (at most 2): 26 -> 0, 8.59 -> 2."""
    for decimals in (0, 1):
        if abs(round(value, decimals) - value) < 1e-9:
            return decimals
    return 2


def _with_unit(value: float, decimals: int, unit: str | None) -> str:
    after = _unit_after_number(unit)
    number = fmt_number(value, decimals)
    return f"{number} {after}".rstrip() if after != "%" else f"{number}\u00a0%"


# Spaces that must not break a line: between a number and "%" or "kr", and inside "1 000".
_GLUED = re.compile(r"(?<=\d) (?=%|kr\b|\d{3}\b)")


@cache
def _measure() -> Any:
    from matplotlib.backends.backend_agg import RendererAgg

    # Measured at the resolution the figures are rendered at (glyph widths are hinted to whole
    # pixels, so a text is relatively wider at some resolutions than at others).
    return RendererAgg(10, 10, DPI)


def _width_points(text: str, size: float, weight: str = "normal") -> float:
    from matplotlib.font_manager import FontProperties

    width, _, _ = _measure().get_text_width_height_descent(
        text, FontProperties(size=size, weight=weight), ismath=False
    )
    return float(width) * 72 / DPI


def wrap_to_width(text: str, width_inches: float, size: float, weight: str = "normal") -> str:
    """``text`` broken into lines no wider than ``width_inches`` at font ``size`` (points).

    The whole text is kept: words are never cut, and a single word wider than the width gets a
    line of its own. A number stays with its unit and its thousands ("60 %", "1 000").
    """
    glued = _GLUED.sub("\u00a0", str(text))
    words = [w for w in re.split(r"[ \t\r\n]+", glued) if w]
    limit = width_inches * 72 * 0.97  # a little room for other resolutions' hinting
    lines: list[str] = []
    for word in words:
        if lines and _width_points(f"{lines[-1]} {word}", size, weight) <= limit:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


# ---------------------------------------------------------------- goal tree

_TEXT_SIZE = 9.0
_INFO_SIZE = 7.5
_LINE = 1.2 / 72  # inches per point of font size, per line
_PAD = 0.08  # inches inside a box
_COLUMN_WIDTHS = (2.6, 2.85, 3.05)  # inches: RUS, understrategi, projekt
_COLUMN_GAP = 0.5
_BOX_GAP = 0.16  # inches between boxes above each other
_NESTED_INDENT = 0.22  # a sub-strategy under a sub-strategy, in the same column


def _box_lines(row: pd.Series, width: float) -> tuple[str, str]:
    """The goal text and the info line(s) of a box, wrapped to its inner width."""
    text = _get(row, "mal") or ""
    goal = wrap_to_width(text, width, _TEXT_SIZE)
    info = [_status_text(row)]
    project = _get(row, "projektnamn")
    # The project is named unless the goal text names it already.
    if _get(row, "niva") == "projekt" and project and str(project).lower() not in text.lower():
        info.append(f"Projekt: {project}")
    wrapped = "\n".join(wrap_to_width(part, width, _INFO_SIZE, "bold") for part in info)
    return goal, wrapped


def _box_height(goal: str, info: str) -> float:
    n_goal, n_info = goal.count("\n") + 1, info.count("\n") + 1
    return 2 * _PAD + n_goal * _TEXT_SIZE * _LINE + 0.07 + n_info * _INFO_SIZE * _LINE


def _tree_children(goals: pd.DataFrame) -> tuple[dict[str | None, list[str]], dict[str, int]]:
    """Each goal's children in tree order (None: the roots) and each goal's column."""
    ids = {str(i) for i in goals["mal_id"]}
    children: dict[str | None, list[str]] = {}
    column: dict[str, int] = {}
    for _, row in goals.iterrows():
        goal_id = str(row["mal_id"])
        parent = _get(row, "overordnat_mal_id")
        parent = str(parent) if parent is not None and str(parent) in ids else None
        children.setdefault(parent, []).append(goal_id)
        column[goal_id] = _COLUMN.get(str(row["niva"]), 2)
    return children, column


def _nested_ids(goals: pd.DataFrame) -> set[str]:
    """Sub-strategies under a sub-strategy: drawn indented in their parent's column."""
    children, column = _tree_children(goals)
    return {
        kid
        for parent, kids in children.items()
        if parent is not None
        for kid in kids
        if column[kid] <= column[parent]
    }


def _tree_layout(
    goals: pd.DataFrame, heights: Mapping[str, float]
) -> tuple[dict[str, float], float]:
    """The vertical centre of every goal's box (inches from the top) and the height of the tree.

    Goals without children to their right are stacked in tree order, each as tall as its box;
    a parent sits midway between its children in the columns to its right; a sub-strategy under
    a sub-strategy (same column) comes below its parent. Where a box would overlap the one
    above it in its column (a parent taller than its children), everything from that box down
    moves down and the parents are centred again, until no boxes overlap.
    """
    children, column = _tree_children(goals)
    centre = _stacked(children, column, heights)

    # A line from a RUS goal straight to a project goal crosses the sub-strategies' column:
    # it takes a thin row there, so that no box covers it.
    parent_column = {
        kid: column[parent] for parent, kids in children.items() if parent for kid in kids
    }

    def extent(goal_id: str, col: int) -> float:
        return heights[goal_id] if column[goal_id] == col else 0.1

    def overlap() -> tuple[str, float] | None:
        for col in set(column.values()):
            stacked = sorted(
                (
                    g
                    for g in column
                    if column[g] == col or parent_column.get(g, col) < col < column[g]
                ),
                key=centre.__getitem__,
            )
            for above, below in itertools.pairwise(stacked):
                need = (centre[above] + extent(above, col) / 2 + _BOX_GAP) - (
                    centre[below] - extent(below, col) / 2
                )
                if need > 1e-9:
                    return below, need
        return None

    def recentre(goal_id: str) -> None:
        kids = children.get(goal_id, [])
        for kid in kids:
            recentre(kid)
        across = [k for k in kids if column[k] > column[goal_id]]
        if across:
            centre[goal_id] = float(np.mean([centre[k] for k in across]))

    for _ in range(20 * len(column) + 20):
        found = overlap()
        if found is None:
            break
        goal_id, need = found
        threshold = centre[goal_id] - 1e-9
        for other in centre:
            if centre[other] >= threshold:
                centre[other] += need
        for root in children.get(None, []):
            recentre(root)
    else:  # no stable layout: every goal gets a row of the tallest box's height
        tallest = max(heights.values(), default=0.6)
        centre = _stacked(children, column, dict.fromkeys(heights, tallest))
    top = min((centre[g] - heights[g] / 2 for g in centre), default=0.0)
    bottom = max((centre[g] + heights[g] / 2 for g in centre), default=0.0)
    return {g: y - top for g, y in centre.items()}, bottom - top


def _stacked(
    children: Mapping[str | None, list[str]],
    column: Mapping[str, int],
    heights: Mapping[str, float],
) -> dict[str, float]:
    """Each goal's centre with the goals that have no children to their right stacked in tree
    order, each as tall as ``heights`` says; a parent midway between its children to the right,
    a sub-strategy under a sub-strategy below its parent."""
    centre: dict[str, float] = {}
    cursor = 0.0

    def place(goal_id: str) -> float:
        nonlocal cursor
        kids = children.get(goal_id, [])
        across = [k for k in kids if column[k] > column[goal_id]]
        if across:
            y = float(np.mean([place(k) for k in across]))
        else:
            y = cursor + heights[goal_id] / 2
            cursor += heights[goal_id] + _BOX_GAP
        centre[goal_id] = y
        for kid in kids:
            if kid not in across:
                place(kid)
        return y

    for root in children.get(None, []):
        place(root)
    for goal_id in column:  # unreachable goals (a cycle the data validation should have stopped)
        if goal_id not in centre:
            place(goal_id)
    return centre


def plot_goal_tree(goals: pd.DataFrame, lan_namn: str) -> Figur:
    """The goal chain as a tree: RUS goals, sub-strategies and project goals in three columns.

    ``goals`` is ``GoalChainAnalysis.goals`` (at least ``mal_id``, ``niva``,
    ``overordnat_mal_id``, ``mal`` and ``status``; ``status_text`` and ``projektnamn`` when
    present). Each goal is a box filled with its status colour, with the whole goal text wrapped
    inside and the status in words; lines run from each goal to its parent. The figure grows
    with the number of goals.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyBboxPatch, Patch

    goals = goals.reset_index(drop=True)
    labels = STATUS_LABELS
    inner = [w - 2 * _PAD for w in _COLUMN_WIDTHS]
    nested = _nested_ids(goals) if len(goals) else set()
    texts: dict[str, tuple[str, str]] = {}
    heights: dict[str, float] = {}
    for _, row in goals.iterrows():
        goal_id = str(row["mal_id"])
        indent = _NESTED_INDENT if goal_id in nested else 0.0
        goal, info = _box_lines(row, inner[_COLUMN.get(str(row["niva"]), 2)] - indent)
        texts[goal_id] = (goal, info)
        heights[goal_id] = _box_height(goal, info)
    position, body_h = _tree_layout(goals, heights) if len(goals) else ({}, 0.6)
    margin, title_h, header_h, legend_h = 0.2, 0.45, 0.5, 0.95
    x_left = [margin]
    for w in _COLUMN_WIDTHS[:-1]:
        x_left.append(x_left[-1] + w + _COLUMN_GAP)
    width = x_left[-1] + _COLUMN_WIDTHS[-1] + margin
    height = margin + title_h + header_h + body_h + legend_h + margin
    figure = new_figure(width, height)
    figure.set_layout_engine("none")
    inches = figure.dpi_scale_trans
    top = height - margin - title_h - header_h

    title = f"Målkedjan för {lan_namn}"
    figure.text(
        margin, height - margin, title, transform=inches, ha="left", va="top",
        fontsize=12.5, fontweight="bold",
    )  # fmt: skip
    for level, column in _COLUMN.items():
        figure.text(
            x_left[column] + _COLUMN_WIDTHS[column] / 2, top + header_h / 2,
            f"{LEVEL_LABELS[level]}\n({GOAL_HORIZONS[level]})", transform=inches,
            ha="center", va="center", fontsize=10, fontweight="bold", linespacing=1.3,
        )  # fmt: skip

    def centre_y(goal_id: str) -> float:
        return top - position[goal_id]

    level_of = {str(r["mal_id"]): str(r["niva"]) for _, r in goals.iterrows()}
    box: dict[str, tuple[float, float, float, float]] = {}  # x0, y0, x1, y1 in inches
    for goal_id, level in level_of.items():
        column = _COLUMN.get(level, 2)
        x0 = x_left[column] + (_NESTED_INDENT if goal_id in nested else 0.0)
        x1 = x_left[column] + _COLUMN_WIDTHS[column]
        y = centre_y(goal_id)
        h = heights[goal_id]
        box[goal_id] = (x0, y - h / 2, x1, y + h / 2)

    for _, row in goals.iterrows():
        goal_id = str(row["mal_id"])
        parent = _get(row, "overordnat_mal_id")
        if parent is None or str(parent) not in box:
            continue
        px0, py0, px1, py1 = box[str(parent)]
        cx0, cy0, _, cy1 = box[goal_id]
        child_y, parent_y = (cy0 + cy1) / 2, (py0 + py1) / 2
        if goal_id in nested:  # down the left edge of the column, into the child's side
            x = px0 + _NESTED_INDENT / 2
            xs, ys = [x, x, cx0], [py0, child_y, child_y]
        else:
            elbow = px1 + _COLUMN_GAP / 2
            xs, ys = [px1, elbow, elbow, cx0], [parent_y, parent_y, child_y, child_y]
        figure.add_artist(
            Line2D(xs, ys, transform=inches, color="#6f6f6f", linewidth=1.0, zorder=1)
        )

    for _, row in goals.iterrows():
        goal_id = str(row["mal_id"])
        status = _get(row, "status") or "saknar_data"
        colour = STATUS_COLOURS.get(status, FARGER["gra"])
        x0, y0, x1, y1 = box[goal_id]
        figure.add_artist(
            FancyBboxPatch(
                (x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=0.06",
                transform=inches, facecolor=_lighten(colour), edgecolor=colour,
                linewidth=1.6, zorder=2, gid=f"mal:{goal_id}",
            )
        )  # fmt: skip
        goal, info = texts[goal_id]
        figure.text(
            x0 + _PAD, y1 - _PAD, goal, transform=inches, ha="left", va="top",
            fontsize=_TEXT_SIZE, zorder=3,
        )  # fmt: skip
        figure.text(
            x0 + _PAD, y0 + _PAD, info, transform=inches, ha="left", va="bottom",
            fontsize=_INFO_SIZE, fontweight="bold", color="#222222", zorder=3,
        )  # fmt: skip

    present = [s for s in labels if s in set(goals.get("status", pd.Series(dtype=str)))]
    handles = [
        Patch(facecolor=_lighten(STATUS_COLOURS[s]), edgecolor=STATUS_COLOURS[s], linewidth=1.6,
              label=labels[s])
        for s in present
    ]  # fmt: skip
    if handles:
        figure.legend(
            handles=handles, loc="lower center", bbox_to_anchor=(width / 2, margin),
            bbox_transform=inches, ncol=min(len(handles), 4), frameon=False, fontsize=9,
            title="Bedömning (färg)", title_fontsize=9,
        )  # fmt: skip
    if not len(goals):
        figure.text(
            width / 2, top - body_h / 2, f"{lan_namn} har inga mål i målkedjan.",
            transform=inches, ha="center", va="center", fontsize=10, color="#555555",
        )  # fmt: skip
    return Figur(figure, title, _tree_alt(goals, lan_namn))


def _counts(goals: pd.DataFrame, level: str | None = None) -> dict[str, int]:
    part = goals if level is None else goals[goals["niva"] == level]
    found = part["status"].fillna("saknar_data").value_counts() if len(part) else pd.Series()
    return {s: int(found.get(s, 0)) for s in STATUS_LABELS}


def _status_phrase(counts: Mapping[str, int]) -> str:
    labels = STATUS_LABELS
    parts = [f"{n} {_lower_first(labels[s])}" for s, n in counts.items() if n]
    return listed(parts)


def _tree_alt(goals: pd.DataFrame, lan_namn: str) -> str:
    if not len(goals):
        return f"Målkedjan för {lan_namn} är tom: länet har inga mål i målkedjan."
    sizes = [
        counted(int((goals["niva"] == level).sum()), *_LEVEL_ALT[level]) for level in _LEVEL_ALT
    ]
    alt = (
        f"Träd över målkedjan för {lan_namn} med {listed(sizes)}; varje mål är en ruta "
        f"färgad efter bedömningen, med linjer till det överordnade målet. "
        f"Bedömning av alla mål: {_status_phrase(_counts(goals))}."
    )
    rus = goals[goals["niva"] == "rus"]
    if len(rus):
        named = [f"{_get(r, 'mal')} ({_lower_first(_status_text(r))})" for _, r in rus.iterrows()]
        alt += f" {'RUS-målet' if len(rus) == 1 else 'RUS-målen'}: {'; '.join(named)}."
    return alt


# ---------------------------------------------------------------- fan chart


def _no_forecast_reason(history: pd.Series, goal: Mapping[str, Any] | pd.Series) -> str:
    n = int(history.dropna().size)
    if n < MIN_OBSERVATIONS:
        have = "inga årsvärden" if n == 0 else counted(n, "årsvärde", "årsvärden")
        return f"serien har {have}, och en trend kräver minst {MIN_OBSERVATIONS}"
    malar = _int(goal, "malar")
    if malar is None:
        return "målet saknar målår, så bedömningen bygger på trendens riktning"
    if malar in history.dropna().index:
        return f"målåret {malar} har passerat, och utfallet det året jämförs med målet"
    return "det finns ingen trend att räkna fram"


def _slope_text(forecast: Forecast, unit: str | None) -> str:
    """The trend per year with its 80 % interval: "−12 kton ... per år (80 % ... −20 till −4)"."""
    width = abs(forecast.slope_upper80 - forecast.slope_lower80)
    decimals = 0 if width >= 10 else 1 if width >= 1 else 2 if width >= 0.1 else 3
    return (
        f"{_with_unit(forecast.slope, decimals, unit)} per år (80 % konfidensintervall "
        f"{fmt_number(forecast.slope_lower80, decimals)} till "
        f"{fmt_number(forecast.slope_upper80, decimals)})"
    )


def plot_fan_chart(
    history: pd.Series,
    forecast: Forecast | None,
    goal: Mapping[str, Any] | pd.Series,
    peers: pd.DataFrame | None,
    lan_namn: str,
) -> Figur:
    """A regional goal's indicator over time with the trend forecast to the target year.

    ``history`` is the region's series (values indexed by year), ``forecast`` the linear trend
    (None when the series is too short: the history is drawn and the title says why there is
    no forecast), ``goal`` a row of ``GoalChainAnalysis.goals`` and ``peers`` the peer regions'
    series (year × lan_kod) or None. Drawn: the history, the forecast mean (dashed) with its 80
    and 95 % prediction intervals, the target (a marker at the target year and value, or an
    arrow "ska öka"/"ska minska" without a value), the base year, the peers as thin grey lines
    and their median.
    """
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    series = pd.Series(history, dtype=float).dropna().sort_index()
    series.index = series.index.astype(int)
    name = _get(goal, "indikator_namn") or _get(goal, "indikator") or "Indikatorn"
    unit = _get(goal, "enhet")
    riktning = _get(goal, "riktning") or "oka"
    basar, basvarde = _int(goal, "basar"), _float(goal, "basvarde")
    malar, malvarde = _int(goal, "malar"), _float(goal, "malvarde")
    if basvarde is None and basar is not None and basar in series.index:
        basvarde = float(series[basar])
    peer_frame = None if peers is None or peers.empty else peers.astype(float).sort_index()
    # A level (people, kiloton) of regions of different size says nothing side by side: the
    # peers are left to the table, which compares the change in per cent.
    peers_left_out = peer_frame is not None and not comparable_across_regions(unit)
    if peers_left_out:
        peer_frame = None
    decimals = _decimals(series if len(series) else [malvarde or 1.0])
    # A forecast of the latest year only (no target year, or a target year already observed)
    # has no fan to draw; its trend is still told in the alt text.
    fan = forecast if forecast is not None and len(forecast.years) > 1 else None

    figure = new_figure(8.0, 5.4)
    axes = figure.add_subplot()
    if peer_frame is not None:
        for k, column in enumerate(peer_frame.columns):
            axes.plot(
                peer_frame.index, peer_frame[column], color=_PEER, linewidth=0.8, alpha=0.8,
                zorder=1, label=f"Jämförelselän ({len(peer_frame.columns)})" if k == 0 else None,
            )  # fmt: skip
        median = peer_frame.median(axis=1, skipna=True)
        if len(peer_frame.columns) > 1:
            axes.plot(
                median.index, median, color=_PEER_MEDIAN, linewidth=1.6, linestyle="-.",
                zorder=2, label="Jämförelselänens median",
            )  # fmt: skip
    # A series that cannot go below zero (a count, a rate, an amount) gets its intervals cut
    # at zero in the picture; the numbers in the tables are the model's.
    floor = 0.0 if len(series) and bool((series >= 0).all()) else None
    clipped = False
    if fan is not None:
        years = np.asarray(fan.years, dtype=float)
        lower95, lower80 = np.asarray(fan.lower95, float), np.asarray(fan.lower80, float)
        if floor is not None and bool((lower95 < floor).any()):
            clipped = True
            lower95, lower80 = np.maximum(lower95, floor), np.maximum(lower80, floor)
        axes.fill_between(
            years, lower95, fan.upper95, color=_REGION, alpha=0.14, linewidth=0,
            zorder=3, label="95 % prognosintervall",
        )  # fmt: skip
        axes.fill_between(
            years, lower80, fan.upper80, color=_REGION, alpha=0.28, linewidth=0,
            zorder=3, label="80 % prognosintervall",
        )  # fmt: skip
        axes.plot(
            years, fan.mean, color=_REGION, linewidth=2, linestyle="--", zorder=4,
            label="Prognos (linjär trend)",
        )  # fmt: skip
    if len(series):
        axes.plot(
            series.index, series.to_numpy(), color=_REGION, linewidth=2.2, marker="o",
            markersize=3.5 if len(series) > 8 else 5, zorder=5, label=lan_namn,
        )  # fmt: skip
    if basar is not None:
        axes.axvline(basar, color="#555555", linestyle=":", linewidth=1.1, zorder=2)
        if basvarde is not None:
            axes.plot(
                [basar], [basvarde], marker="o", markersize=9, markerfacecolor="white",
                markeredgecolor="black", markeredgewidth=1.4, linestyle="", zorder=6,
                label=f"Basår {basar}: {fmt_number(basvarde, decimals)}",
            )  # fmt: skip
        else:
            axes.plot([], [], color="#555555", linestyle=":", label=f"Basår {basar}")
    target_label = _target_label(riktning, malar, malvarde, decimals, unit)
    if malvarde is not None and malar is not None:
        axes.plot(
            [malar], [malvarde], marker="D", markersize=9, color="black", linestyle="",
            zorder=7, label=target_label,
        )  # fmt: skip
    elif malvarde is not None:  # a value without a year: a level line
        axes.axhline(malvarde, color="black", linestyle="--", linewidth=1, label=target_label)
    else:
        _direction_arrow(axes, series, forecast, malar, riktning)
        axes.add_line(
            Line2D([], [], marker="^" if riktning == "oka" else "v", color="black",
                   linestyle="", markersize=8, label=target_label)
        )  # fmt: skip

    axes.set_xlabel("År")
    axes.set_ylabel(_axis_label(str(name), unit))
    axes.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{round(v)}"))

    def value_tick(value: float, _pos: int) -> str:
        ticks = axes.yaxis.get_majorticklocs()
        step = float(np.min(np.diff(ticks))) if len(ticks) > 1 else 1.0
        shown = max(0, -math.floor(math.log10(step) + 1e-9)) if step > 0 else 0
        return fmt_number(value, min(shown, 3))

    axes.yaxis.set_major_formatter(FuncFormatter(value_tick))
    last_x = [series.index.max()] if len(series) else []
    right = max([*last_x, *([malar] if malar else []), *([basar] if basar else [])], default=2020)
    if fan is not None:
        right = max(right, int(max(fan.years)))
    left = min([*([series.index.min()] if len(series) else []), *([basar] if basar else [])],
               default=right - 1)  # fmt: skip
    if peer_frame is not None and len(peer_frame.index):
        left = min(left, int(peer_frame.index.min()))
    axes.set_xlim(left - 0.5, right + 0.8)
    axes.grid(axis="y", color="#e3e3e3")
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)
    goal_text = _get(goal, "mal") or ""
    figure.suptitle(f"{name}, {lan_namn}", x=0.01, ha="left", fontsize=12, fontweight="bold")
    # Above the plot, so that it never covers a line: the goal, the status, and why there is
    # no forecast when there is none.
    lines = [f"Mål: {goal_text}", f"Bedömning: {_status_text(goal)}"]
    if forecast is not None and malvarde is None:
        lines[-1] += f"; trend {_slope_text(forecast, unit)}"
    if fan is None:
        lines.append(f"Ingen prognos: {_no_forecast_reason(series, goal)}.")
    if clipped:
        lines.append("Prognosintervallet är avskuret vid noll, som serien inte kan gå under.")
    if peers_left_out:
        lines.append(
            "Jämförelselänen visas inte: serien är en nivå och länen är olika stora; tabellen "
            "jämför förändringen i procent."
        )
    axes.set_title(
        "\n".join(wrap_to_width(line, _SUBTITLE_WIDTH, 9.5) for line in lines), loc="left",
        fontsize=9.5, color="#222222",
    )  # fmt: skip
    handles, names = axes.get_legend_handles_labels()
    order = [lan_namn, "Prognos (linjär trend)", "80 % prognosintervall", "95 % prognosintervall"]
    rank = {label: k for k, label in enumerate(order)}
    ranked = sorted(zip(handles, names, strict=True), key=lambda h: rank.get(h[1], len(order)))
    figure.legend(
        [h for h, _ in ranked], [n for _, n in ranked], loc="outside lower center", ncol=3,
        frameon=False, fontsize=8.5,
    )  # fmt: skip

    title = f"{name} i {lan_namn}: utfall, prognos och mål"
    if fan is None:
        reason = _no_forecast_reason(series, goal)
        title = f"{name} i {lan_namn}: utfall och mål. Ingen prognos: {reason}."
    alt = _fan_alt(series, forecast, goal, peer_frame, lan_namn, str(name), decimals)
    return Figur(figure, title, alt)


def _target_label(
    riktning: str, malar: int | None, malvarde: float | None, decimals: int, unit: str | None
) -> str:
    verb = "ska öka" if riktning == "oka" else "ska minska"
    if malvarde is not None:
        value = _with_unit(malvarde, max(decimals, _exact_decimals(malvarde)), unit)
        return f"Mål {malar}: {value}" if malar is not None else f"Mål: {value}"
    return f"Mål: {verb} till {malar}" if malar is not None else f"Mål: {verb}"


def _direction_arrow(axes, series: pd.Series, forecast, malar: int | None, riktning: str) -> None:
    """An arrow up (ska öka) or down (ska minska) at the target year, from the trend or the
    latest value, for a goal without a target value."""
    if forecast is not None and malar is not None and malar in forecast.years:
        x, y = malar, float(forecast.at(malar)[0])
    elif len(series):
        x = malar if malar is not None else int(series.index.max())
        y = float(series.iloc[-1])
    else:
        return
    low, high = axes.get_ylim()
    length = 0.15 * (high - low) if high > low else max(abs(y) * 0.1, 1.0)
    end = y + length if riktning == "oka" else y - length
    axes.plot([x], [end], linestyle="", marker="", label="_pil")  # keeps the arrow in view
    axes.annotate(
        "", xy=(x, end), xytext=(x, y),
        arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 2.2, "shrinkA": 0,
                    "shrinkB": 0, "mutation_scale": 14},
        zorder=7,
    )  # fmt: skip


def _fan_alt(
    series: pd.Series,
    forecast,
    goal: Mapping[str, Any] | pd.Series,
    peers: pd.DataFrame | None,
    lan_namn: str,
    name: str,
    decimals: int,
) -> str:
    unit = _get(goal, "enhet")

    def value(v: float) -> str:
        return _with_unit(v, decimals, unit)

    malar, malvarde = _int(goal, "malar"), _float(goal, "malvarde")
    basar, basvarde = _int(goal, "basar"), _float(goal, "basvarde")
    riktning = _get(goal, "riktning") or "oka"
    if len(series):
        alt = (
            f"Linjediagram över {_lower_first(name)} i {lan_namn} "
            f"{series.index.min()}–{series.index.max()}. Senaste värdet, "
            f"{series.index.max()}: {value(series.iloc[-1])}."
        )
    else:
        alt = f"Diagram över {_lower_first(name)} i {lan_namn}; länet har inga värden i serien."
    if basar is not None:
        if basvarde is None and basar in series.index:
            basvarde = float(series[basar])
        if basvarde is not None:
            alt += f" Basåret {basar} var värdet {value(basvarde)}."
        else:
            alt += f" Basåret är {basar}."
    if forecast is not None and len(forecast.years) > 1:
        year = malar if malar in forecast.years else int(forecast.years[-1])
        k = list(forecast.years).index(year)
        mean, low80, high80 = (float(v) for v in forecast.at(year))
        fitted = forecast.fitted_years
        alt += (
            f" Den linjära trenden över {min(fitted)}–{max(fitted)} ger prognosen "
            f"{value(mean)} för {year} (80 % prognosintervall "
            f"{fmt_number(low80, decimals)} till {fmt_number(high80, decimals)}, 95 % "
            f"prognosintervall {fmt_number(float(forecast.lower95[k]), decimals)} till "
            f"{fmt_number(float(forecast.upper95[k]), decimals)})."
        )
    else:
        alt += f" Ingen prognos: {_no_forecast_reason(series, goal)}."
    if forecast is not None and malvarde is None:
        fitted = forecast.fitted_years
        alt += f" Trenden över {min(fitted)}–{max(fitted)} är {_slope_text(forecast, unit)}."
    verb = "öka" if riktning == "oka" else "minska"
    if malvarde is not None and malar is not None:
        target = _with_unit(malvarde, max(decimals, _exact_decimals(malvarde)), unit)
        alt += f" Målet är {target} år {malar}."
    elif malvarde is not None:
        target = _with_unit(malvarde, max(decimals, _exact_decimals(malvarde)), unit)
        alt += f" Målet är {target}."
    elif malar is not None:
        alt += f" Målet är att värdet ska {verb} till {malar}, utan målvärde."
    else:
        alt += f" Målet är att värdet ska {verb}, utan målvärde och målår."
    if peers is not None:
        median = peers.median(axis=1, skipna=True).dropna()
        n = len(peers.columns)
        if len(median) and n == 1:
            alt += f" Jämförelselänet hade {value(float(median.iloc[-1]))} {int(median.index[-1])}."
        elif len(median):
            alt += (
                f" Jämförelselänens median ({counted(n, 'län', 'län')}) var "
                f"{value(float(median.iloc[-1]))} {int(median.index[-1])}."
            )
    alt += f" Bedömning: {_lower_first(_status_text(goal))}."
    return alt


# ---------------------------------------------------------------- status bars


def plot_status_bars(goals: pd.DataFrame, lan_namn: str = "") -> Figur:
    """The number of goals per status at each level, as stacked horizontal bars."""
    from matplotlib.patches import Patch

    labels = STATUS_LABELS
    levels = [lv for lv in LEVEL_LABELS if (goals["niva"] == lv).any()] if len(goals) else []
    levels = levels or list(LEVEL_LABELS)
    counts = {lv: _counts(goals, lv) if len(goals) else dict.fromkeys(labels, 0) for lv in levels}
    figure = new_figure(8.0, 1.7 + 0.55 * len(levels))
    axes = figure.add_subplot()
    y = np.arange(len(levels))[::-1]
    for yi, level in zip(y, levels, strict=True):
        start = 0
        for status in labels:
            n = counts[level][status]
            if not n:
                continue
            colour = STATUS_COLOURS[status]
            axes.barh(
                yi, n, left=start, height=0.6, color=_lighten(colour, 0.35), edgecolor=colour,
                linewidth=1.2,
            )  # fmt: skip
            axes.text(start + n / 2, yi, str(n), ha="center", va="center", fontsize=9)
            start += n
    axes.set_yticks(y, [LEVEL_LABELS[lv] for lv in levels], fontsize=9.5)
    axes.xaxis.set_major_formatter(lambda v, _: fmt_number(v))
    from matplotlib.ticker import MaxNLocator

    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Antal mål")
    axes.spines[["top", "right"]].set_visible(False)
    present = [s for s in labels if any(counts[lv][s] for lv in levels)]
    handles = [
        Patch(facecolor=_lighten(STATUS_COLOURS[s], 0.35), edgecolor=STATUS_COLOURS[s],
              label=labels[s])
        for s in present
    ]  # fmt: skip
    if handles:
        figure.legend(
            handles=handles, loc="outside lower center", ncol=min(4, len(handles)),
            frameon=False, fontsize=8.5,
        )  # fmt: skip
    where = f", {lan_namn}" if lan_namn else ""
    title = f"Bedömning av målen per nivå{where}"
    axes.set_title(title, fontsize=11, loc="left")
    parts = []
    for level in levels:
        total = sum(counts[level].values())
        if total:
            parts.append(f"{LEVEL_LABELS[level]} ({total}): {_status_phrase(counts[level])}")
    alt = "Staplar med antalet mål per bedömning för varje nivå i målkedjan. "
    alt += ("; ".join(parts) + ".") if parts else "Det finns inga mål."
    return Figur(figure, title, alt)
