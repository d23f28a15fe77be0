"""The summary's figure: the region's maturity per dimension against the regions' median."""

from __future__ import annotations

from utvardering.figures.base import FARGER, Figur, new_figure
from utvardering.format import fmt_number, listed
from utvardering.summary.facts import Facts
from utvardering.summary.text import genitive

__all__ = ["plot_maturity_profile"]


def _level(value: float) -> str:
    return fmt_number(value, 1)


def _quoted(names: list[str]) -> str:
    """Names in quotation marks, listed: dimension names may hold "och" themselves."""
    return listed([f"”{n}”" for n in names])


def plot_maturity_profile(facts: Facts) -> Figur | None:
    """Horizontal bars of the region's level in each dimension of the maturity model (1–5),
    with the regions' median as a mark; None without the maturity report or without answers."""
    dims = [
        d
        for d in facts.get("mognad.dimensioner") or []
        if facts.get(f"mognad.niva.{d}") is not None
    ]
    if not dims:
        return None
    names = [str(facts.get(f"mognad.namn.{d}") or d) for d in dims]
    levels = [float(facts.get(f"mognad.niva.{d}")) for d in dims]
    medians = [facts.get(f"mognad.riket_median.{d}") for d in dims]
    figure = new_figure(7.0, 0.32 * len(dims) + 1.3)
    ax = figure.add_subplot()
    rows = list(range(len(dims)))[::-1]  # the model's first dimension at the top
    ax.barh(rows, levels, height=0.6, color=FARGER["bla"], label="Länet")
    marked = [(r, m) for r, m in zip(rows, medians, strict=True) if m is not None]
    if marked:
        ax.scatter(
            [m for _, m in marked],
            [r for r, _ in marked],
            marker="|",
            s=260,
            linewidths=2.5,
            color=FARGER["orange"],
            label="Länens median",
            zorder=3,
        )
    ax.set_yticks(rows, names, fontsize=9)
    ax.set_xlim(0, 5)
    ax.set_xticks(range(1, 6))
    ax.set_xlabel("Nivå (1–5)")
    ax.grid(axis="x", color="#dddddd", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="lower right", fontsize=8, frameon=False, bbox_to_anchor=(1.0, 1.0), ncol=2)
    round_ = facts.get("mognad.omgang")
    title = f"Mognad per dimension, {facts.lan_namn}" + (f", omgång {round_}" if round_ else "")
    top, bottom = max(levels), min(levels)
    highest = [n for n, v in zip(names, levels, strict=True) if v == top]
    lowest = [n for n, v in zip(names, levels, strict=True) if v == bottom]
    below = sum(1 for v, m in zip(levels, medians, strict=True) if m is not None and v < m)
    with_median = sum(1 for m in medians if m is not None)
    alt = (
        f"Liggande staplar: {genitive(facts.lan_namn)} nivå i mognadsmodellens "
        f"{len(dims)} dimensioner på skalan 1–5, med länens median som ett streck. "
        f"Högst: {_quoted(highest)} ({_level(top)}); lägst: {_quoted(lowest)} "
        f"({_level(bottom)})."
    )
    if with_median:
        alt += f" Länet ligger under länens median i {below} av {with_median} dimensioner."
    return Figur(figure, title, alt)
