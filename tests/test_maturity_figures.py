"""The maturity figures: a Figur with Swedish alt text, the right axes and series."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import DATA
from matplotlib.collections import PathCollection
from matplotlib.image import AxesImage

from utvardering.dataset import load_dataset
from utvardering.figures.base import Figur
from utvardering.maturity import (
    MaturityParameters,
    build,
    plot_dumbbell,
    plot_heatmap,
    plot_maturity_map,
    plot_national_distribution,
    plot_radar,
)
from utvardering.maturity.figures import wrap_label

NAMES = ["Uppföljning och utvärdering", "Styrkedjan RUS – understrategier – projekt", "Samverkan"]


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA, ["enkatsvar", "mognadsmal", "lan", "karta"])


def _check(figur: Figur) -> None:
    assert isinstance(figur, Figur)
    assert figur.titel and len(figur.alt) > 40
    assert figur.png()[:4] == b"\x89PNG"


def test_radar_has_three_labelled_series():
    profile = pd.DataFrame(
        {"region": [3.0, 2.0, 4.0], "riket": [2.5, 2.5, 3.0], "mal": [4.0, 3.0, 5.0]},
        index=NAMES,
    )
    figur = plot_radar(profile, region_name="Kronobergs län", survey_round=2025)
    _check(figur)
    (axes,) = figur.figure.axes
    assert axes.name == "polar"
    assert [line.get_label() for line in axes.get_lines()] == [
        "Målnivå", "Rikets median", "Kronobergs län",
    ]  # fmt: skip
    region = axes.get_lines()[2].get_ydata()
    assert list(region) == [3.0, 2.0, 4.0, 3.0]  # closed ring
    legend = figur.figure.legends[0]
    assert legend.get_texts()[0].get_text() == "Kronobergs län"  # the region first
    assert "Högst: Samverkan (4,0)" in figur.alt
    assert (
        "Kronobergs län ligger över rikets median i 2 dimensioner och under medianen i en. "
        "Ingen dimension ligger på rikets median." in figur.alt
    )


def test_radar_alt_names_every_tied_dimension():
    profile = pd.DataFrame(
        {"region": [3.0, 2.0, 3.0], "riket": [3.0, 3.0, 3.0], "mal": [4.0, 3.0, 4.0]},
        index=NAMES,
    )
    figur = plot_radar(profile, region_name="Kronobergs län", survey_round=2025)
    assert f"Högst: {NAMES[0]} och {NAMES[2]} (3,0)" in figur.alt
    assert "ligger under rikets median i en dimension och på medianen i 2." in figur.alt


def test_radar_without_region_values_says_so():
    profile = pd.DataFrame(
        {"region": [np.nan] * 3, "riket": [2.5, 2.5, 3.0], "mal": [np.nan] * 3}, index=NAMES
    )
    figur = plot_radar(profile, region_name="Gotlands län", survey_round=2023)
    _check(figur)
    assert "inga svar" in figur.alt


def test_dumbbell_has_two_point_series_and_one_arrow_per_change():
    change = pd.DataFrame({"foregaende": [2.0, 3.0, 2.5], "aktuell": [3.0, 2.5, 2.52]}, index=NAMES)
    figur = plot_dumbbell(change, lan_namn="Kronobergs län", omgang=2025, foregaende_omgang=2023)
    _check(figur)
    (axes,) = figur.figure.axes
    points = [c for c in axes.collections if isinstance(c, PathCollection)]
    assert [p.get_label() for p in points] == ["Omgång 2023", "Omgång 2025"]
    arrows = [t for t in axes.texts if hasattr(t, "arrow_patch") and t.arrow_patch]
    assert len(arrows) == 2  # the third change (0.02) is too small to draw
    assert "upp i en, ned i en och i stort sett oförändrad i en." in figur.alt
    assert "Störst minskning: Styrkedjan RUS – understrategier – projekt (−0,5)" in figur.alt


def test_national_distribution_highlights_the_region():
    matrix = pd.DataFrame(
        {NAMES[0]: [3.0, 2.0, 4.0, 3.5], NAMES[1]: [1.0, 2.0, 3.0, 2.5], NAMES[2]: [2.0] * 4},
        index=["07", "08", "10", "12"],
    )
    figur = plot_national_distribution(
        matrix, "07", region_name="Kronobergs län", survey_round=2025
    )
    _check(figur)
    (axes,) = figur.figure.axes
    points = [c for c in axes.collections if isinstance(c, PathCollection)]
    assert len(points) == 4  # one strip per dimension and the region's diamonds
    diamonds = points[-1].get_offsets()
    assert list(diamonds[:, 0]) == [3.0, 1.0, 2.0]
    # 3.0 < median 3.25 and 1.0 < median 2.25; 2.0 equals the median 2.0
    assert (
        "Kronobergs län ligger under rikets median i 2 dimensioner och på medianen i en. "
        "Ingen dimension ligger över rikets median." in figur.alt
    )
    assert "i 0" not in figur.alt


def test_heatmap_shows_every_cell_and_hatches_missing():
    matrix = pd.DataFrame(
        {NAMES[0]: [3.0, np.nan, 4.0], NAMES[1]: [1.0, np.nan, 3.0], NAMES[2]: [2.0, np.nan, 5.0]},
        index=["07", "09", "10"],
    )
    figur = plot_heatmap(
        matrix, titel="Test", region_names={"07": "Kronobergs län", "09": "Gotlands län"},
        markera="07",
    )  # fmt: skip
    _check(figur)
    axes, _colorbar = figur.figure.axes
    (image,) = [i for i in axes.get_images() if isinstance(i, AxesImage)]
    assert image.get_array().shape == (3, 3)
    assert [t.get_text() for t in axes.texts] == ["3,0", "1,0", "2,0", "4,0", "3,0", "5,0"]
    rows = [t.get_text() for t in axes.get_yticklabels()]
    assert rows == ["Kronobergs län", "Gotlands län", "10"]
    assert "för 2 regioner" in figur.alt
    assert "Utan svar (vita med grå streck): Gotlands län" in figur.alt
    assert "Kronobergs län är inramad" in figur.alt


def test_map_uses_the_five_levels(ds):
    levels = pd.Series({"07": 2, "01": 3, "05": 1})
    figur = plot_maturity_map(levels, ds.karta, omgang=2025, markera="07")
    _check(figur)
    colorbar = figur.figure.axes[1]
    assert list(colorbar.get_yticks()) == [1, 2, 3, 4, 5]
    assert "Högst, nivå 3: Stockholms län. Lägst, nivå 1: Östergötlands län." in figur.alt
    assert "Kronobergs län har svart kant (nivå 2)" in figur.alt
    assert "Utan svar (vita med grå streck): Uppsala län, Södermanlands län," in figur.alt


def test_map_alt_names_every_tied_region(ds):
    # a planted tie: three län share the highest level, two the lowest, one lies between
    levels = pd.Series({"01": 3, "03": 3, "25": 3, "07": 2, "05": 1, "09": 1})
    figur = plot_maturity_map(levels, ds.karta, omgang=2025)
    assert (
        "Högst, nivå 3: Stockholms län, Uppsala län och Norrbottens län. "
        "Lägst, nivå 1: Östergötlands län och Gotlands län. Det övriga länet har nivå 2."
    ) in figur.alt
    # every län at one level
    same = plot_maturity_map(pd.Series({"01": 2, "03": 2}), ds.karta, omgang=2025)
    assert "Alla 2 län med svar har nivå 2: Stockholms län och Uppsala län." in same.alt


def test_heatmap_alt_names_every_tied_cell():
    matrix = pd.DataFrame(
        {NAMES[0]: [4.0, 1.0], NAMES[1]: [4.0, 2.0], NAMES[2]: [1.0, 4.0]}, index=["07", "10"]
    )
    figur = plot_heatmap(matrix, titel="Test", region_names={"07": "Kronobergs län"})
    assert (
        f"Högsta enskilda värde, 4,0: Kronobergs län i {NAMES[0]} och {NAMES[1]}; 10 i "
        f"{NAMES[2]}. Lägsta, 1,0: Kronobergs län i {NAMES[2]}; 10 i {NAMES[0]}."
    ) in figur.alt


def test_wrap_label_keeps_words_whole():
    label = wrap_label("Styrkedjan RUS – understrategier – projekt", 14)
    assert label.split("\n")[0] == "Styrkedjan RUS"
    assert "understrategier" in label.split("\n")  # longer than 14, but not broken


@pytest.mark.langsam
def test_report_figures_for_a_region_and_for_no_responses(ds, tmp_path):
    full = build(ds, MaturityParameters.check(lan_kod="07", omgang=2025))
    assert set(full.figures) == {"radar", "forandring", "riket", "alla_regioner", "karta"}
    for figur in full.figures.values():
        _check(figur)
    assert full.section("dimensioner").figures == (full.figures["radar"],)
    assert full.section("forandring").figures == (full.figures["forandring"],)
    files = full.save_figures(tmp_path)
    assert files["radar"] == "mognad_radar.png" and (tmp_path / "mognad_radar.png").is_file()
    empty = build(ds, MaturityParameters.check(lan_kod="09", omgang=2023))
    assert set(empty.figures) == {"alla_regioner", "karta"}
    # no answers: no table and no radar, and the section shows nothing
    assert empty.section("dimensioner").empty and empty.section("forandring").empty
    comparison = empty.section("jamforelse")
    assert comparison.figures == (empty.figures["alla_regioner"], empty.figures["karta"])
    assert not [b for b in comparison.blocks if isinstance(b, pd.DataFrame)]  # empty table left out
    assert "Gotlands län" in empty.figures["karta"].alt  # without value


def test_dollar_signs_in_labels_are_text_not_mathtext():
    from utvardering.figures.base import Figur, new_figure

    figure = new_figure()
    axis = figure.add_subplot()
    # Unbalanced and malformed mathtext from data: mathtext would refuse to render it.
    axis.set_title(r"Län $\frac{ med $ i namnet")
    axis.bar([r"Dimension $\undefined$"], [1.0])
    png = Figur(figure, "titel", "alt").png()
    assert png.startswith(b"\x89PNG")
