"""Rendering a report figure: one draw lays it out and renders it, with savefig's pixels.

``figures.base.render_png`` replaces ``Figure.savefig``, which draws a laid-out figure twice
(once without rendering, to lay it out). These tests hold it to the same PNG bytes as savefig
for each kind of figure the reports draw (constrained layout with long Swedish labels, a
legend outside the axes, a colour bar, a map, a figure placed by hand without a layout
engine), to one draw per image, and to text that stays inside the image.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from conftest import DATA
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from utvardering.dataset import load_dataset
from utvardering.figures import plot_lan_map
from utvardering.figures.base import DPI, Figur, new_figure, render_png
from utvardering.maturity import plot_heatmap, plot_national_distribution
from utvardering.maturity.figures import wrap_label

LONG = [
    "Uppföljning, utvärdering och lärande i det regionala utvecklingsarbetet",
    "Styrkedjan från den regionala utvecklingsstrategin till understrategier och projekt",
    "Samverkan med kommuner, lärosäten och näringsliv",
    "Kompetensförsörjning",
]
REGIONS = {"07": "Kronobergs län", "09": "Gotlands län", "25": "Norrbottens län"}


@pytest.fixture(scope="module")
def geo():
    return load_dataset(DATA, ["karta"]).karta


def _bars() -> Figur:
    """Horizontal bars with long wrapped Swedish category labels and a legend outside."""
    figure = new_figure(7.2, 4.8)
    axes = figure.add_subplot()
    y = np.arange(len(LONG))
    axes.barh(y, [46.5, 12.25, 30.0, 11.25], color="#0072B2", label="Kronobergs län")
    axes.plot([40, 20, 25, 15], y, "D", color="#E69F00", label="Riket")
    axes.set_yticks(y, [wrap_label(label, 28) for label in LONG])
    axes.set_xlabel("Andel av beviljade medel (%)")
    axes.set_title("Andel av beviljade medel per insatsområde,\nprojekt som startade 2014–2020")
    figure.legend(loc="outside lower center", ncol=2, frameon=False)
    return Figur(figure, "Staplar", "Staplar med långa etiketter.")


def _heatmap() -> Figur:
    matrix = pd.DataFrame(
        [[3.0, 2.5, np.nan, 4.0], [1.5, 2.0, 3.5, 5.0], [4.5, np.nan, 2.0, 1.0]],
        index=list(REGIONS),
        columns=LONG,
    )
    return plot_heatmap(
        matrix, titel="Mognadsnivå per län och dimension", region_names=REGIONS, markera="07"
    )


def _distribution() -> Figur:
    matrix = pd.DataFrame(
        [[3.0, 2.5, 2.0, 4.0], [1.5, 2.0, 3.5, 5.0], [4.5, 3.0, 2.0, 1.0]],
        index=list(REGIONS),
        columns=LONG,
    )
    return plot_national_distribution(matrix, "07", region_name="Kronobergs län", survey_round=2025)


def _map(geo) -> Figur:
    values = pd.Series({"07": 1200.5, "09": 3400.0, "25": 800.25})
    return plot_lan_map(
        values,
        geo,
        titel="Beviljade medel per invånare (kr),\nprojekt som startade 2014–2020",
        etikett="Kronor per invånare",
        markera="07",
    )


def _by_hand() -> Figur:
    """No layout engine: the figure is placed in inches, as the goal tree is."""
    figure = new_figure(6.0, 3.0)
    figure.set_layout_engine("none")
    figure.text(0.2, 2.8, "Målkedjan för Kronobergs län", transform=figure.dpi_scale_trans,
                va="top", fontsize=12.5, fontweight="bold")  # fmt: skip
    axes = figure.add_axes((0.1, 0.15, 0.8, 0.6))
    axes.plot([2014, 2020, 2030], [1.0, 2.0, 1.5])
    return Figur(figure, "För hand", "En figur utan layoutmotor.")


KINDS = ["staplar", "värmekarta", "fördelning", "karta", "för hand"]


def _make(kind: str, geo) -> Figur:
    return {
        "staplar": _bars,
        "värmekarta": _heatmap,
        "fördelning": _distribution,
        "karta": lambda: _map(geo),
        "för hand": _by_hand,
    }[kind]()


def _savefig(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()


@pytest.mark.parametrize("kind", KINDS)
def test_one_draw_gives_the_bytes_savefig_gives(kind, geo):
    # Two copies of the same figure: one through savefig (layout in a draw of its own, then
    # the rendering draw), one through render_png (both in one draw).
    reference = _savefig(_make(kind, geo).figure)
    assert render_png(_make(kind, geo).figure) == reference


@pytest.mark.parametrize("kind", KINDS)
def test_a_figure_is_drawn_once_per_image(kind, geo, monkeypatch):
    figur = _make(kind, geo)
    draws = []
    original = Figure.draw

    def counted(self, renderer):
        draws.append(renderer)
        return original(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    figur.png()
    assert len(draws) == 1
    figur.png()  # the bytes are kept: no second draw
    assert len(draws) == 1


def test_rendering_leaves_the_figure_as_it_was(geo):
    figure = _make("staplar", geo).figure
    canvas = figure.canvas
    render_png(figure, dpi=150)
    assert figure.dpi == 100
    assert figure.canvas is canvas
    assert figure.get_layout_engine() is not None  # laid out again at another resolution
    assert render_png(figure, dpi=DPI) == _savefig(_make("staplar", geo).figure)


def _drawn_texts(figur: Figur, monkeypatch) -> list[tuple[Text, Bbox]]:
    """Every text the image shows, with its box in the image's pixels (measured as drawn)."""
    drawn: list[tuple[Text, Bbox]] = []
    original = Text.draw

    def draw(self, renderer):
        original(self, renderer)
        if self.get_visible() and self.get_text().strip():
            drawn.append((self, self.get_window_extent(renderer)))

    monkeypatch.setattr(Text, "draw", draw)
    figur.png()
    monkeypatch.undo()
    return drawn


@pytest.mark.parametrize("kind", KINDS)
def test_no_text_leaves_the_image_or_runs_into_the_tick_labels(kind, geo, monkeypatch):
    figur = _make(kind, geo)
    drawn = _drawn_texts(figur, monkeypatch)
    assert drawn
    width, height = (DPI * size for size in figur.figure.get_size_inches())
    for text, box in drawn:
        assert box.x0 >= -1 and box.y0 >= -1, text.get_text()
        assert box.x1 <= width + 1 and box.y1 <= height + 1, text.get_text()
    for axes in figur.figure.axes:
        titles = [box for text, box in drawn if text in (axes.title, axes._left_title)]
        ticks = {id(t) for t in (*axes.get_xticklabels(), *axes.get_yticklabels())}
        for title in titles:
            for text, box in drawn:
                if id(text) in ticks or text in (axes.xaxis.label, axes.yaxis.label):
                    assert not title.overlaps(box), text.get_text()


def test_a_dollar_in_a_label_is_text(geo):
    figure = new_figure(4.0, 3.0)
    axes = figure.add_subplot()
    axes.bar([0, 1], [1, 2])
    axes.set_xticks([0, 1], ["Län $A$", "Kostnad $5 och $6"])
    figur = Figur(figure, "Dollar", "Etiketter med dollartecken.")
    assert figur.png()[:4] == b"\x89PNG"
    assert all(not t.get_parse_math() for t in figure.findobj(Text))
