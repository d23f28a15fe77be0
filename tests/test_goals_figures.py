"""The goal chain figures: the goal tree, the fan chart and the status bars.

Every figure is built for a small chain (Region Kronoberg's: one RUS goal, four sub-strategies,
four project goals) and a large one (3 + 8 + 12 goals, the longest goal texts of the shipped
data), and for the edge cases (no forecast, no peers, no target value, a goal that shall
decrease). Each must have a Swedish alt text with the key numbers and keep every goal text whole.
Set ``GOALS_PNG`` to a folder to write every figure there as PNG for a look.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DATA
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import FancyBboxPatch
from matplotlib.text import Text

from utvardering.figures.base import DPI, FARGER, Figur
from utvardering.goals.analysis import STATUS_LABELS
from utvardering.goals.figures import (
    STATUS_COLOURS,
    plot_fan_chart,
    plot_goal_tree,
    plot_status_bars,
    wrap_to_width,
)
from utvardering.goals.forecast import forecast_trend

STATUSES = list(STATUS_LABELS)
PNG_DIR = os.environ.get("GOALS_PNG")


def _save(figur: Figur, name: str) -> None:
    if PNG_DIR:
        figur.save(Path(PNG_DIR) / f"{name}.png")


def _check(figur: Figur, name: str) -> None:
    assert isinstance(figur, Figur)
    assert figur.titel and len(figur.alt) > 60
    assert figur.png()[:4] == b"\x89PNG"
    _save(figur, name)


def _texts(figur: Figur) -> list[str]:
    return [t.get_text() for t in figur.figure.findobj(Text) if t.get_text()]


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def _assert_whole(figur: Figur, goal_texts) -> None:
    shown = [_flat(t) for t in _texts(figur)]
    for goal in goal_texts:
        assert any(_flat(goal) in t for t in shown), goal
    assert not any("…" in t for t in shown)


@pytest.fixture(scope="module")
def malkedja() -> pd.DataFrame:
    return pd.read_csv(DATA / "malkedja.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def indikatorer() -> pd.DataFrame:
    return pd.read_csv(DATA / "indikatorer.csv", dtype={"lan_kod": str})


def _series(indikatorer: pd.DataFrame, lan_kod: str, indikator: str) -> pd.Series:
    rows = indikatorer[
        (indikatorer["lan_kod"] == lan_kod) & (indikatorer["indikator"] == indikator)
    ]
    return rows.set_index("ar")["varde"].astype(float)


def _with_status(rows: pd.DataFrame) -> pd.DataFrame:
    """Goals rows as the analysis gives them, with every status used in turn."""
    goals = rows.reset_index(drop=True).copy()
    goals["overordnat_mal_id"] = goals["overordnat_mal_id"].replace("", pd.NA)
    goals["status"] = [STATUSES[i % len(STATUSES)] for i in range(len(goals))]
    goals["status_text"] = goals["status"].map(STATUS_LABELS)
    goals["projektnamn"] = pd.NA
    return goals


@pytest.fixture(scope="module")
def small(malkedja) -> pd.DataFrame:
    return _with_status(malkedja[malkedja["lan_kod"] == "07"])


@pytest.fixture(scope="module")
def large(malkedja) -> pd.DataFrame:
    """3 RUS goals, 8 sub-strategies (one under another) and 12 project goals, with the
    longest goal texts of the shipped data."""
    texts = malkedja.sort_values("mal", key=lambda s: s.str.len(), ascending=False)
    by_level = {
        lv: list(texts.loc[texts["niva"] == lv, "mal"])
        for lv in ("rus", "understrategi", "projekt")
    }
    rows = []
    for r in range(3):
        rows.append(("rus", f"RUS-{r + 1}", None, by_level["rus"][r]))
    parents = ["RUS-1", "RUS-1", "RUS-1", "RUS-2", "RUS-2", "US-5", "RUS-3", "RUS-3"]
    for u, parent in enumerate(parents):
        rows.append(("understrategi", f"US-{u + 1}", parent, by_level["understrategi"][u]))
    project_parents = (
        ["US-1"] * 3 + ["US-2"] * 2 + ["US-4"] * 2 + ["US-6"] * 2 + ["US-7", "RUS-3", "US-8"]
    )
    for p, parent in enumerate(project_parents):
        rows.append(("projekt", f"P-{p + 1}", parent, by_level["projekt"][p]))
    frame = pd.DataFrame(rows, columns=["niva", "mal_id", "overordnat_mal_id", "mal"])
    order = ["RUS-1", "US-1", "P-1", "P-2", "P-3", "US-2", "P-4", "P-5", "US-3", "RUS-2", "US-4",
             "P-6", "P-7", "US-5", "US-6", "P-8", "P-9", "RUS-3", "US-7", "P-10", "US-8", "P-12",
             "P-11"]  # fmt: skip
    frame = frame.set_index("mal_id").loc[order].reset_index()
    goals = _with_status(frame.fillna(""))
    projects = goals["niva"] == "projekt"
    goals.loc[projects, "projektnamn"] = "Proteiner i fokus"
    # a long project name that the goal text does not contain: on a line of its own, wrapped
    goals.loc[goals["mal_id"] == "P-12", "projektnamn"] = (
        "Innovation Vattenkraft 2.0, vattenkraft som bas för nya innovationer i Norra "
        "Mellansverige med utvecklingsstöd för turistföretagen"
    )
    return goals


# ---------------------------------------------------------------- the goal tree


def _renderer(figur: Figur):
    """A renderer of the figure at the resolution of its PNG (text widths depend on it)."""
    figur.figure.set_dpi(DPI)
    canvas = FigureCanvasAgg(figur.figure)
    canvas.draw()
    return canvas.get_renderer()


def _boxes(figur: Figur) -> list:
    renderer = _renderer(figur)
    return [p.get_window_extent(renderer) for p in _goal_boxes(figur)]


def _goal_boxes(figur: Figur) -> list[FancyBboxPatch]:
    """The goal boxes (not the legend's frame), in the order of the goals."""
    found = figur.figure.findobj(FancyBboxPatch)
    return [p for p in found if str(p.get_gid()).startswith("mal:")]


def _assert_readable_tree(figur: Figur, goals: pd.DataFrame) -> None:
    renderer = _renderer(figur)
    boxes = _boxes(figur)
    assert len(boxes) == len(goals)
    for i, a in enumerate(boxes):  # no two boxes overlap
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    page = figur.figure.bbox
    for text in figur.figure.findobj(Text):
        if not text.get_text() or not text.get_visible():
            continue
        extent = text.get_window_extent(renderer)
        # inside the figure (not clipped) ...
        assert page.x0 - 1 <= extent.x0 and extent.x1 <= page.x1 + 1, text.get_text()
        assert page.y0 - 1 <= extent.y0 and extent.y1 <= page.y1 + 1, text.get_text()
        # ... and a box's text inside its box
        owners = [b for b in boxes if b.contains(*extent.p0) or b.contains(*extent.p1)]
        for box in owners:
            assert box.x0 <= extent.x0 + 0.5 and extent.x1 <= box.x1 + 0.5, text.get_text()
            assert box.y0 <= extent.y0 + 0.5 and extent.y1 <= box.y1 + 0.5, text.get_text()


def test_goal_tree_small_chain_kronoberg(small):
    figur = plot_goal_tree(small, "Kronobergs län")
    _check(figur, "tree_small")
    _assert_whole(figur, small["mal"])
    _assert_readable_tree(figur, small)
    assert "1 RUS-mål, 4 understrategier och 4 projektmål" in figur.alt
    assert (
        "Antalet arbetstillfällen (minst 1 anställd) per 1 000 invånare ska öka (når målet)"
        in figur.alt
    )
    assert figur.titel == "Målkedjan för Kronobergs län"


def test_goal_tree_large_chain(large):
    figur = plot_goal_tree(large, "Västra Götalands län")
    _check(figur, "tree_large")
    _assert_whole(figur, large["mal"])
    _assert_readable_tree(figur, large)
    assert "3 RUS-mål, 8 understrategier och 12 projektmål" in figur.alt
    # the project is named in its box, whole, unless the goal text names it already
    long_name = large.loc[large["mal_id"] == "P-12", "projektnamn"].iloc[0]
    _assert_whole(figur, [f"Projekt: {long_name}"])
    named = sum("Projekt: Proteiner i fokus" in _flat(t) for t in _texts(figur))
    assert named == 10  # 11 project goals with this name, one of whose texts starts with it
    # the figure grows with the chain
    small_height = plot_goal_tree(large.head(3), "X").figure.get_figheight()
    assert figur.figure.get_figheight() > small_height + 4


def test_goal_tree_boxes_are_filled_by_status(small):
    figur = plot_goal_tree(small, "Kronobergs län")
    patches = _goal_boxes(figur)
    assert [p.get_gid() for p in patches] == [f"mal:{i}" for i in small["mal_id"]]
    from matplotlib.colors import to_rgba

    for patch, status in zip(patches, small["status"], strict=True):
        assert patch.get_edgecolor() == to_rgba(STATUS_COLOURS[status])
    legend = figur.figure.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == [
        STATUS_LABELS[s] for s in STATUSES if s in set(small["status"])
    ]
    # the status is also written in each box, for readers who cannot tell the colours apart
    shown = _texts(figur)
    for text in small["status_text"]:
        assert any(t.startswith(text) for t in shown)


def test_goal_tree_parent_sits_between_its_children(large):
    figur = plot_goal_tree(large, "X")
    figur.png()
    ids = list(large["mal_id"])
    centre = {i: (b.y0 + b.y1) / 2 for i, b in zip(ids, _boxes(figur), strict=True)}
    assert centre["US-1"] == pytest.approx((centre["P-1"] + centre["P-2"] + centre["P-3"]) / 3)
    assert centre["RUS-2"] == pytest.approx((centre["US-4"] + centre["US-5"]) / 2)
    assert centre["US-6"] < centre["US-5"]  # a nested sub-strategy sits below its parent


def test_goal_tree_of_a_region_without_goals(small):
    figur = plot_goal_tree(small.iloc[0:0], "Stockholms län")
    assert "inga mål" in figur.alt
    assert figur.png()[:4] == b"\x89PNG"


def test_status_colours_one_per_status_and_colour_blind_safe():
    assert list(STATUS_COLOURS) == STATUSES
    assert len(set(STATUS_COLOURS.values())) == len(STATUS_COLOURS)
    assert set(STATUS_COLOURS.values()) <= set(FARGER.values())
    assert STATUS_COLOURS["saknar_data"] == FARGER["gra"]
    assert STATUS_COLOURS["nas"] == FARGER["gron"]
    assert STATUS_COLOURS["nas_inte"] == FARGER["rod"]
    assert STATUS_COLOURS["osakert"] in (FARGER["orange"], FARGER["gul"])


def test_wrap_keeps_every_word():
    text = "Andelen av befolkningen som helst vill vara företagare i aktuella kommuner ska öka"
    wrapped = wrap_to_width(text, 1.5, 9)
    assert wrapped.count("\n") >= 2
    assert _flat(wrapped) == text


# ---------------------------------------------------------------- the fan chart


def _goal(**fields) -> dict:
    goal = {
        "mal_id": "RUS-1",
        "niva": "rus",
        "mal": "Antalet nystartade företag per 1 000 invånare ska öka till 7 år 2030",
        "indikator": "nystartade_per_1000_inv",
        "indikator_namn": "Nystartade företag per 1 000 invånare",
        "enhet": "antal per 1000 invånare",
        "basar": 2014,
        "basvarde": np.nan,
        "malar": 2030,
        "malvarde": 7.0,
        "riktning": "oka",
        "status": "osakert",
        "status_text": "Osäkert",
    }
    goal.update(fields)
    return goal


def _peers(indikatorer, codes, indikator) -> pd.DataFrame:
    return pd.DataFrame({c: _series(indikatorer, c, indikator) for c in codes})


def test_fan_chart_with_forecast_and_peers(indikatorer):
    history = _series(indikatorer, "07", "nystartade_per_1000_inv")
    forecast = forecast_trend(history, 2030)
    peers = _peers(indikatorer, ["06", "08"], "nystartade_per_1000_inv")
    goal = pd.Series(_goal())  # a row of the goals frame
    figur = plot_fan_chart(history, forecast, goal, peers, "Kronobergs län")
    _check(figur, "fan_forecast_peers")
    _assert_whole(figur, [goal["mal"]])
    (axes,) = figur.figure.axes
    labels = [t.get_text() for t in figur.figure.legends[0].get_texts()]
    for label in ("Kronobergs län", "Prognos (linjär trend)", "80 % prognosintervall",
                  "95 % prognosintervall", "Jämförelselän (2)", "Jämförelselänens median",
                  "Mål 2030: 7,0 per 1\u00a0000 invånare", "Basår 2014: 6,1"):  # fmt: skip
        assert label in labels
    assert sum(line.get_color() == "#9a9a9a" for line in axes.get_lines()) == 2  # thin grey
    mean, low, high = forecast.at(2030)
    last = int(history.index.max())
    assert f"Senaste värdet, {last}: {history.iloc[-1]:.1f}".replace(".", ",") in figur.alt
    assert f"prognosen {mean:.1f}".replace(".", ",") in figur.alt
    assert f"80 % prognosintervall {low:.1f} till {high:.1f}".replace(".", ",") in figur.alt
    assert "Målet är 7,0 per 1\u00a0000 invånare år 2030" in figur.alt
    assert "Jämförelselänens median (2 län)" in figur.alt
    assert "Bedömning: osäkert." in figur.alt
    # decimal comma on the value axis, plain years on the time axis
    figur.png()
    ticks = [t.get_text() for t in axes.get_yticklabels() if t.get_text()]
    assert ticks and all("." not in t for t in ticks)
    assert all(t.get_text().isdigit() for t in axes.get_xticklabels() if t.get_text())
    assert axes.get_ylabel() == "Nystartade företag per 1 000 invånare"  # the unit once


def test_fan_chart_without_forecast_says_why(indikatorer):
    history = _series(indikatorer, "07", "foretag_med_anstallda_per_1000_inv").loc[:2019]
    goal = _goal(
        mal="Antalet arbetstillfällen (minst 1 anställd) per 1 000 invånare ska öka",
        indikator="foretag_med_anstallda_per_1000_inv",
        indikator_namn="Företag med minst en anställd per 1 000 invånare",
        basar=2018, basvarde=26.3, malar=2025, malvarde=np.nan, status="saknar_data",
        status_text="Saknar data",
    )  # fmt: skip
    assert forecast_trend(history, 2025) is None
    figur = plot_fan_chart(history, None, goal, None, "Kronobergs län")
    _check(figur, "fan_no_forecast")
    assert "Ingen prognos: serien har 2 årsvärden, och en trend kräver minst 3" in figur.titel
    assert "Ingen prognos" in figur.alt
    assert "ska öka till 2025, utan målvärde" in figur.alt
    (axes,) = figur.figure.axes
    assert list(axes.get_lines()[0].get_xdata()) == [2018, 2019]  # the history is drawn
    labels = [t.get_text() for t in figur.figure.legends[0].get_texts()]
    assert "Mål: ska öka till 2025" in labels
    assert not any("prognos" in label.lower() for label in labels)


def test_fan_chart_minska_goal_without_target_value_and_peers(indikatorer):
    history = _series(indikatorer, "04", "utslapp")
    forecast = forecast_trend(history, 2025)
    goal = _goal(
        mal="Utsläppen av växthusgaser ska minska", indikator="utslapp",
        indikator_namn="Utsläpp av växthusgaser", enhet="kton koldioxidekvivalenter",
        malvarde=np.nan, malar=2025, riktning="minska", status="ratt_riktning",
        status_text="Går åt rätt håll",
    )  # fmt: skip
    figur = plot_fan_chart(history, forecast, goal, None, "Södermanlands län")
    _check(figur, "fan_minska_no_target")
    (axes,) = figur.figure.axes
    assert axes.get_ylabel() == "Utsläpp av växthusgaser (kton koldioxidekvivalenter)"
    labels = [t.get_text() for t in figur.figure.legends[0].get_texts()]
    assert "Mål: ska minska till 2025" in labels
    assert not any("Jämförelselän" in label for label in labels)
    assert "ska minska till 2025, utan målvärde" in figur.alt
    assert "kton koldioxidekvivalenter" in figur.alt
    assert "Jämförelselän" not in figur.alt
    assert "Bedömning: går åt rätt håll." in figur.alt


def test_fan_chart_minska_goal_with_target(indikatorer):
    history = _series(indikatorer, "05", "utslapp")
    forecast = forecast_trend(history, 2030)
    peers = _peers(indikatorer, ["04", "06", "08", "09"], "utslapp")
    goal = _goal(
        mal="Utsläppen av växthusgaser ska minska till 751 kton koldioxidekvivalenter år 2030",
        indikator="utslapp", indikator_namn="Utsläpp av växthusgaser",
        enhet="kton koldioxidekvivalenter", malvarde=751.0, malar=2030, riktning="minska",
        status="nas_inte", status_text="Når inte målet",
    )  # fmt: skip
    figur = plot_fan_chart(history, forecast, goal, peers, "Östergötlands län")
    # a target written with more decimals than the series keeps them
    precise = plot_fan_chart(
        history, forecast, {**goal, "malvarde": 751.25}, None, "Östergötlands län"
    )
    assert "Målet är 751,25 kton koldioxidekvivalenter år 2030" in precise.alt
    labels = [t.get_text() for t in precise.figure.legends[0].get_texts()]
    assert "Mål 2030: 751,25 kton koldioxidekvivalenter" in labels
    _check(figur, "fan_minska_target")
    assert "Målet är 751 kton koldioxidekvivalenter år 2030" in figur.alt
    # Emissions are a level, not per inhabitant: the peers stay in the table, not the chart.
    assert "Jämförelselän" not in figur.alt
    assert "Jämförelselänen visas inte" in figur.figure.axes[0].get_title(loc="left")
    labels = [t.get_text() for t in figur.figure.legends[0].get_texts()]
    assert not any(label.startswith("Jämförelselän") for label in labels)


def test_fan_chart_of_a_rate_shows_the_peers_and_cuts_the_interval_at_zero(indikatorer):
    """Kronoberg's three-year series: its 95 % interval runs below zero, which a count per
    1 000 inhabitants cannot; the picture cuts it at zero and says so."""
    name = "foretag_med_anstallda_per_1000_inv"
    history = _series(indikatorer, "07", name)
    forecast = forecast_trend(history, 2025)
    assert min(forecast.lower95) < 0
    goal = _goal(
        mal="Antalet arbetstillfällen (minst 1 anställd) per 1 000 invånare ska öka",
        indikator=name, indikator_namn="Företag med minst en anställd per 1 000 invånare",
        enhet="antal per 1000 invånare", malvarde=None, malar=2025, basar=2018,
        riktning="oka", status="fel_riktning", status_text="Går åt fel håll",
    )  # fmt: skip
    peers = _peers(indikatorer, ["06", "08", "09"], name)
    figur = plot_fan_chart(history, forecast, goal, peers, "Kronobergs län")
    title = figur.figure.axes[0].get_title(loc="left")
    assert "avskuret vid noll" in title and "Jämförelselänen visas inte" not in title
    lowest = min(
        float(path.vertices[:, 1].min())
        for collection in figur.figure.axes[0].collections
        for path in collection.get_paths()
    )
    assert lowest >= 0
    assert "Jämförelselänens median (3 län)" in figur.alt


def test_fan_chart_large_values_use_thousands_spaces(indikatorer):
    history = _series(indikatorer, "12", "brp_per_inv")
    forecast = forecast_trend(history, 2025)
    goal = _goal(
        mal="Bruttoregionprodukten per invånare ska öka till 450 000 kr år 2025",
        indikator="brp_per_inv", indikator_namn="BRP per invånare", enhet="kr per invånare",
        basar=2014, basvarde=360000.0, malar=2025, malvarde=450000.0, status="nas",
        status_text="Når målet",
    )  # fmt: skip
    peers = _peers(indikatorer, ["13"], "brp_per_inv")
    figur = plot_fan_chart(history, forecast, goal, peers, "Skåne län")
    _check(figur, "fan_brp")
    assert "450\u00a0000 kr per invånare år 2025" in figur.alt
    assert "Basåret 2014 var värdet 360\u00a0000 kr per invånare" in figur.alt
    peer = _series(indikatorer, "13", "brp_per_inv")
    assert (
        f"Jämförelselänet hade {round(peer.iloc[-1]):,} kr per invånare".replace(",", "\u00a0")
        in figur.alt
    )  # one peer: its value, not a median
    figur.png()
    ticks = [t.get_text() for t in figur.figure.axes[0].get_yticklabels() if t.get_text()]
    assert all("." not in t and "," not in t for t in ticks)
    assert any("\u00a0" in t for t in ticks)


def test_fan_chart_without_history_or_target_year():
    goal = _goal(malar=np.nan, malvarde=np.nan, basar=np.nan, status="saknar_data")
    figur = plot_fan_chart(pd.Series(dtype=float), None, goal, None, "Gotlands län")
    _check(figur, "fan_empty")
    assert "inga värden" in figur.alt
    assert "inga årsvärden" in figur.titel


# ---------------------------------------------------------------- status bars


def test_status_bars(small, large):
    figur = plot_status_bars(large, "Västra Götalands län")
    _check(figur, "status_bars_large")
    counts = large[large["niva"] == "projekt"]["status"].value_counts()
    labels = STATUS_LABELS
    phrase = f"Projektmål (12): {counts[STATUSES[0]]} {labels[STATUSES[0]].lower()}"
    assert phrase in figur.alt
    (axes,) = figur.figure.axes
    assert {t.get_text() for t in axes.get_yticklabels()} == {
        "RUS-mål", "Understrategier", "Projektmål"
    }  # fmt: skip
    assert sum(p.get_width() for p in axes.patches) == len(large)
    _check(plot_status_bars(small, "Kronobergs län"), "status_bars_small")


def test_goal_tree_line_from_rus_to_project_passes_no_box():
    """A project goal straight under a RUS goal: its line crosses the sub-strategies' column
    beside, not through, a tall sub-strategy box whose only project goal is short."""
    long_text = " ".join(["Stärk platsbundna näringar i kommuner under omställning"] * 8)
    goals = pd.DataFrame(
        {
            "mal_id": ["R", "U", "P1", "P0"],
            "niva": ["rus", "understrategi", "projekt", "projekt"],
            "overordnat_mal_id": [pd.NA, "R", "U", "R"],
            "mal": ["Jobben ska öka", long_text, "Kort mål", "Ett annat kort mål"],
            "status": ["nas", "osakert", "nas", "saknar_data"],
        }
    )
    figur = plot_goal_tree(goals, "Kronobergs län")
    _check(figur, "tree_rus_to_project")
    boxes = dict(zip(goals["mal_id"], _boxes(figur), strict=True))
    line_y = (boxes["P0"].y0 + boxes["P0"].y1) / 2
    assert not boxes["U"].y0 <= line_y <= boxes["U"].y1
    _assert_readable_tree(figur, goals)


def test_fan_chart_goal_without_target_year_tells_the_trend(indikatorer):
    """No target year: the analysis' forecast covers the latest year only; no fan is drawn,
    and the trend per year (the ground of a direction status) is told."""
    history = _series(indikatorer, "01", "brp_per_inv")
    latest = int(history.index.max())
    forecast = forecast_trend(history, latest)
    assert forecast.years == (latest,)
    goal = _goal(
        mal="Bruttoregionprodukten per invånare ska öka", indikator="brp_per_inv",
        indikator_namn="BRP per invånare", enhet="kr per invånare", malar=pd.NA,
        malvarde=np.nan, status="ratt_riktning", status_text="Går åt rätt håll",
    )  # fmt: skip
    figur = plot_fan_chart(history, forecast, goal, None, "Stockholms län")
    _check(figur, "fan_no_target_year")
    labels = [t.get_text() for t in figur.figure.legends[0].get_texts()]
    assert not any("prognos" in label.lower() for label in labels)
    assert "Mål: ska öka" in labels
    assert "Ingen prognos: målet saknar målår" in figur.titel
    slope = f"{forecast.slope:,.0f}".replace(",", "\u00a0")
    assert f"Trenden över {latest - 9}–{latest} är {slope} kr per invånare per år" in figur.alt
    assert "80 % konfidensintervall" in figur.alt
    shown = _flat(f"trend {slope} kr per invånare per år")
    assert any(shown in _flat(t) for t in _texts(figur))


def test_fan_chart_target_year_passed(indikatorer):
    history = _series(indikatorer, "07", "nystartade_per_1000_inv")
    forecast = forecast_trend(history, int(history.index.max()))
    goal = _goal(malar=2018, malvarde=5.0, status="nas_inte", status_text="Når inte målet")
    figur = plot_fan_chart(history, forecast, goal, None, "Kronobergs län")
    _check(figur, "fan_target_passed")
    assert "målåret 2018 har passerat, och utfallet det året jämförs med målet" in figur.titel
    assert "Målet är 5,0 per 1\u00a0000 invånare år 2018" in figur.alt
    assert "Trenden över" not in figur.alt  # a target value: the trend is not the ground
