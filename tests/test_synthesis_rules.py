"""The national synthesis' rules, on the small run folder of ``test_synthesis_fixture.py``:
every effect outcome pooled, a file with fewer outcomes used for those it has, the split by
funding source summing to the total, no sum over the regions' own RUS priorities, size words
that follow the data, and the notice of simulated inputs on exactly what rests on them."""

from __future__ import annotations

import dataclasses
import shutil

import pandas as pd
import pytest
from test_synthesis_fixture import EFFECTS, OMGANG, shared_run

from utvardering.dataset import load_dataset
from utvardering.effects import pool_estimates
from utvardering.effects.design import OUTCOMES
from utvardering.figures import Figur
from utvardering.format import fmt_kr
from utvardering.results import read_result, read_results, write_results
from utvardering.synthesis import (
    Mismatch,
    Spread,
    Synthesis,
    collect_results,
    level_spread,
    ratio_spread,
    synthesize_maturity,
)
from utvardering.synthesis import text as text_layer
from utvardering.synthesis.figures import plot_goal_map
from utvardering.synthesis.report_type import REPORT_TYPE
from utvardering.synthesis.tables import Table, table_funding
from utvardering.vocabulary import LAN_CODES

# Builds whole reports or data folders: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam

SIMULATED = {
    "mognad": [
        {"tabell": "enkatsvar", "beskrivning": "svaren på mognadsenkäten", "kolumner": []},
    ],
    "tema": [
        {
            "tabell": "projekt",
            "beskrivning": "projektens klassning",
            "kolumner": [
                "nationell_prioritering",
                "fokusomrade",
                "effektkedja",
                "teman",
                "finansieringskalla",
            ],
        },
        {
            "tabell": "projekt_lan",
            "beskrivning": "projektens RUS-prioritering",
            "kolumner": ["rus_prioritering"],
        },
    ],
    "effekt": [
        {"tabell": "foretagspanel", "beskrivning": "företagspanelen", "kolumner": []},
        {"tabell": "projektindikatorer", "beskrivning": "projektens indikatorer", "kolumner": []},
    ],
    "malkedja": [
        {"tabell": "malkedja", "beskrivning": "länens målkedjor", "kolumner": []},
        # the project goals' status rests on them; the synthesis shows only the RUS goals'
        {"tabell": "projektindikatorer", "beskrivning": "projektens indikatorer", "kolumner": []},
    ],
}


def _build(korning_dir, data, **values) -> Synthesis:
    params = REPORT_TYPE.parameters.check(korning_dir=str(korning_dir), omgang=OMGANG, **values)
    return REPORT_TYPE.build(load_dataset(data, REPORT_TYPE.tables), params)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    return shared_run(tmp_path_factory)


@pytest.fixture(scope="module")
def synthesis(run):
    return _build(*run)


@pytest.fixture(scope="module")
def simulated(run, tmp_path_factory):
    """The same run, with region files that record simulated inputs."""
    base, data = run
    copy = tmp_path_factory.mktemp("simulerad") / "korning"
    shutil.copytree(base, copy)
    for report, inputs in SIMULATED.items():
        for path in copy.glob(f"*/{report}.json"):
            payload = read_results(path)
            payload["simulerade_indata"] = inputs
            if report == "malkedja" and path.parent.name != "07":  # Kronoberg's are its own
                for goal in payload["mal"]:
                    goal["simulerad"] = True
            write_results(path, payload)
    return copy, _build(copy, data)


# --- all three outcomes ----------------------------------------------------------------------


def test_every_outcome_is_pooled_from_the_region_files(synthesis):
    e = synthesis.effects
    assert e.outcomes == tuple(OUTCOMES)
    for outcome, estimates in EFFECTS.items():
        o = e.per_outcome[outcome]
        assert list(o.estimates.index) == sorted(estimates)
        by_hand = pool_estimates([estimates[c][:2] for c in sorted(estimates)], method="random")
        assert o.pooled.estimate == pytest.approx(by_hand.estimate, abs=1e-12)
        assert o.pooled.std_error == pytest.approx(by_hand.std_error, abs=1e-12)
        assert f"effekt_skog_{outcome}" in synthesis.figures
        assert (
            f"### Effekt på {OUTCOMES[outcome][0]}" in synthesis.section("effekter").snapshot_text()
        )
    # Norrbotten's file holds employees only: in for that outcome, out of the other two.
    assert "25" in e.per_outcome["anstallda"].estimates.index
    assert e.per_outcome["omsattning_tkr"].not_in_file == ("25",)
    assert synthesis.coverage.outcomes_missing == {"25": ("omsattning_tkr", "foradlingsvarde_tkr")}
    cells = synthesis.tables["tackning"].formatted().set_index("Län")
    assert cells.loc["Norrbottens län", "Effektanalys"] == (
        "med (saknar utfallen omsättning och förädlingsvärde)"
    )
    assert cells.loc["Stockholms län", "Effektanalys"] == "med"
    assert "Norrbottens län saknar utfallen omsättning och förädlingsvärde" in (
        synthesis.section("tackning").snapshot_text()
    )


def test_one_outcome_leaves_out_a_file_without_it(run):
    base, data = run
    results = collect_results(base, omgang=OMGANG, utfall=("omsattning_tkr",))
    assert results.included("effekt") == ["01", "22", "23"]
    assert results.excluded("effekt")["25"] == "andra_parametrar"
    why = Mismatch("effekt", "25", "utfall", ["anstallda"], ["omsattning_tkr"])
    assert why in results.mismatches
    notes = text_layer.mismatch_notes((why,), {"25": "Norrbottens län"})
    assert notes == [
        "Effektanalys för Norrbottens län gäller utfallen antal anställda i stället för omsättning."
    ]
    one = _build(base, data, utfall="omsattning_tkr")
    assert one.effects.outcomes == ("omsattning_tkr",)
    assert set(k for k in one.figures if k.startswith("effekt_skog")) == {
        "effekt_skog_omsattning_tkr"
    }


def test_a_file_for_one_funding_source_is_left_out(run, tmp_path):
    base, _ = run
    copy = tmp_path / "korning"
    shutil.copytree(base, copy)
    path = copy / "23" / "tema.json"
    payload = read_results(path)
    payload["finansiering"] = "anslag_1_1"
    write_results(path, payload)
    results = collect_results(copy, omgang=OMGANG)
    assert results.excluded("tema")["23"] == "andra_parametrar"
    note = text_layer.mismatch_notes(results.mismatches, {"23": "Jämtlands län"})
    assert "Tematisk utvärdering för Jämtlands län gäller finansieringskällan anslag 1:1 " in (
        " ".join(note)
    )


# --- funding source, and no sum over RUS priorities -------------------------------------------


def test_the_split_by_funding_source_sums_to_the_national_total(synthesis, run):
    base, _ = run
    p = synthesis.portfolio
    assert list(p.funding.index) == ["ERUF", "Anslag 1:1", "ERUF och anslag 1:1"]
    assert p.funding["belopp_sek"].sum() == pytest.approx(p.amount_sek, rel=1e-9)
    assert p.funding["projekt_andelsviktade"].sum() == pytest.approx(p.projects, rel=1e-9)
    assert p.funding["andel_belopp"].sum() == pytest.approx(1.0)
    # ... and each source is the sum of the region files' rows.
    files = [read_results(base / c / "tema.json") for c in ("23", "24")]
    for source in p.funding.index:
        rows = [
            r["belopp_sek"]
            for f in files
            for r in f["fordelning"]["finansieringskalla"]
            if r["kategori"] == source
        ]
        assert p.funding.loc[source, "belopp_sek"] == pytest.approx(sum(rows))
    table = table_funding(p).data
    assert table["Finansieringskälla"].iloc[-1] == "Summa"
    assert table["Beviljat belopp (kr)"].iloc[-1] == pytest.approx(p.amount_sek)
    assert table["Beviljat belopp (kr)"].iloc[:-1].sum() == pytest.approx(p.amount_sek)
    text = synthesis.section("portfolj").snapshot_text()
    assert "**Finansieringskälla.** Av beloppet gick" in text
    one_one = p.funding.loc[["Anslag 1:1", "ERUF och anslag 1:1"], "belopp_sek"].sum()
    expected = (
        "Portföljen för anslag 1:1 (projekt med anslag 1:1, ensamt eller tillsammans med ERUF) "
        f"är alltså {fmt_kr(one_one)}"
    )
    assert expected in text


def test_rus_priorities_are_not_summed_over_the_regions(synthesis):
    assert "rus_prioritering" not in synthesis.portfolio.categories
    assert not [k for k in synthesis.tables if "rus" in k]
    assert "rus_prioritering" not in synthesis.payload()["portfolj"]["kategorier"]
    assert "RUS-prioritering" not in synthesis.section("portfolj").snapshot_text()


# --- size words ------------------------------------------------------------------------------


def test_spread_rules():
    assert level_spread(2.7) is Spread.LARGE
    assert level_spread(1.0) is Spread.MODERATE
    assert level_spread(0.4) is Spread.SMALL
    assert ratio_spread(1570, 1339) is Spread.SMALL
    assert ratio_spread(1500, 1000) is Spread.MODERATE
    assert ratio_spread(3000, 1000) is Spread.LARGE


def _maturity_with(run, levels: dict[str, float]):
    """The run's maturity files with every region's level per dimension set to
    ``levels[lan_kod]`` (a region not named keeps 3)."""
    base, _ = run
    payloads = {c: read_results(base / c / "mognad.json") for c in LAN_CODES}
    for code, payload in payloads.items():
        payload["nivaer"] = {d: levels.get(code, 3.0) for d in payload["nivaer"]}
    return synthesize_maturity(payloads)


def test_the_maturity_spread_word_follows_the_data(run, synthesis):
    large = text_layer.text_maturity(synthesis)
    assert "**Spridningen** mellan länen är stor." in large
    assert "döljer alltså stora skillnader" in large
    assert "stor när högsta och lägsta län skiljer minst 2 nivåer" in large
    small = text_layer._maturity_spread(_maturity_with(run, {"01": 3.3, "25": 2.9}))
    assert small.startswith("**Spridningen** mellan länen är liten.")
    assert "döljer" not in small
    moderate = text_layer._maturity_spread(_maturity_with(run, {"01": 4.0, "25": 2.5}))
    assert moderate.startswith("**Spridningen** mellan länen är måttlig.")


def test_the_per_inhabitant_word_follows_the_data(synthesis):
    text = text_layer.text_portfolio(synthesis)
    assert "Skillnaden mellan länen är liten" in text  # 1 570 against 1 339 kr
    assert "skillnaden i pengar per invånare mellan länen är liten" in (
        text_layer.text_conclusions(synthesis)
    )
    p = synthesis.portfolio
    wide = p.per_region.copy()
    wide.loc["24", "kr_per_invanare"] = 3 * wide.loc["23", "kr_per_invanare"]
    doubled = dataclasses.replace(synthesis, portfolio=dataclasses.replace(p, per_region=wide))
    assert "Skillnaden mellan länen är stor: det län som får mest får 3,0 gånger så mycket" in (
        text_layer.text_portfolio(doubled)
    )
    assert "mellan länen är stor, vilket bland annat" in text_layer.text_conclusions(doubled)


# --- tables as readers see them --------------------------------------------------------------


def test_tables_show_names_units_and_no_row_index(synthesis):
    for name, table in synthesis.tables.items():
        assert isinstance(table, Table), name
        shown = table.formatted()
        assert "lan_kod" not in shown.columns, name
        assert isinstance(shown.index, pd.RangeIndex), name
        cells = shown.to_csv(index=False)
        assert "…" not in cells, name
        assert not any(c.endswith("(kr)") for c in shown.columns), name  # kronor in mnkr
        for column in shown.columns:
            assert not shown[column].astype(str).str.fullmatch(r"−?\d+\.\d+").any(), (name, column)
    per_region = synthesis.tables["portfolj_lan"].formatted()
    assert "Beviljat belopp (mnkr)" in per_region.columns
    assert per_region["Län"].tolist()[:2] == ["Jämtlands län", "Västerbottens län"]


# --- simulated inputs ------------------------------------------------------------------------


def _all_text(s: Synthesis) -> str:
    return "\n".join(section.snapshot_text() for section in s.sections())


def test_real_data_has_no_notice_anywhere(synthesis, tmp_path):
    assert synthesis.simulated_inputs == ()
    text = _all_text(synthesis)
    assert "imulerad" not in text
    for figure in synthesis.figures.values():
        assert "imulerad" not in figure.titel and "imulerad" not in figure.alt
        if figure.figure is not None:  # drawn ahead (the development figures): no figure here
            assert not any("imulerad" in t.get_text() for t in figure.figure.texts)
    assert all(not t.notice for t in synthesis.tables.values())
    files = synthesis.write(tmp_path, data_dir="data")
    assert read_result(tmp_path / files["json"], "syntes")["simulerade_indata"] == []


def test_simulated_inputs_are_named_where_they_are_used(simulated, tmp_path):
    _, s = simulated
    assert {i.tabell for i in s.simulated_inputs} == {
        "enkatsvar",
        "projekt",
        "projekt_lan",
        "foretagspanel",
        "projektindikatorer",
        "malkedja",
    }
    first = s.section("intro").snapshot_text()
    assert "**Obs! Simulerade data.**" in first and "svaren på mognadsenkäten" in first
    # Every maturity and effect figure and table names its inputs, in caption and alt text.
    for key, figure in s.figures.items():
        assert isinstance(figure, Figur)
        if key.startswith("mognad_"):
            assert "Simulerade indata: svaren på mognadsenkäten (enkatsvar)." in figure.titel
            assert "svaren på mognadsenkäten" in figure.alt
            # ... and the image itself, for the saved PNG file.
            drawn = " ".join(t.get_text().replace("\n", " ") for t in figure.figure.texts)
            assert "Simulerade indata: svaren på mognadsenkäten (enkatsvar)." in drawn
        if key.startswith("effekt_"):
            assert "företagspanelen (foretagspanel)" in figure.titel, key
        if key.startswith("utveckling_"):  # the indicators are real
            assert "Simulerade" not in figure.titel
        if key.startswith("mal_"):
            assert "länens målkedjor (malkedja)" in figure.titel, key
            assert "länens målkedjor" in figure.alt, key
            assert "enkatsvar" not in figure.titel and "projektindikatorer" not in figure.titel
    for key, table in s.tables.items():
        if key.startswith(("mognad_", "effekt_", "mal_")):
            assert table.notice.startswith("Simulerade indata:"), key
            assert f"[Tabell: {table.caption}]\n{table.notice}" in table.snapshot_text()
    # The portfolio: the classification is simulated, the amounts are not.
    assert "projektens klassning (projekt)" in s.tables["portfolj_tema"].notice
    assert "projektens klassning (projekt)" in s.tables["portfolj_finansieringskalla"].notice
    assert "projektens klassning" in s.figures["portfolj_kategorier"].titel
    assert s.tables["portfolj_lan"].notice == ""
    # The synthesis does not use the regions' own RUS priorities, so they are never named.
    assert "projekt_lan" not in s.tables["portfolj_tema"].notice
    assert "Simulerade" not in s.figures["portfolj_per_invanare"].titel
    assert s.tables["tackning"].notice == ""
    assert s.tables["mal_lan"].notice == "Simulerade indata: länens målkedjor (malkedja)."
    # Which län's goals are their own and which simulated, from the goals' own marks.
    assert "Målen för Kronobergs län är hämtade ur länets egna planer; de andra länens " in (
        s.section("mal").snapshot_text()
    )
    assert "Simulerade indata:" in s.section("slutsatser").snapshot_text()
    files = s.write(tmp_path, data_dir="data")
    saved = read_result(tmp_path / files["json"], "syntes")
    assert {i["tabell"] for i in saved["simulerade_indata"]} == {
        "enkatsvar",
        "projekt",
        "projekt_lan",
        "foretagspanel",
        "projektindikatorer",
        "malkedja",
    }


# --- the regions' goals ----------------------------------------------------------------------


def test_goal_map_has_a_fixed_scale_from_0_to_100_percent(run):
    """A län with half its RUS goals on their way is the scale's middle colour, whatever the
    other län's shares (the scale is not stretched between the lowest and highest län)."""
    from matplotlib import colormaps

    _, data = run
    geo = load_dataset(data, ["karta"]).karta
    figure = plot_goal_map(
        pd.Series({"01": 0.5, "07": 0.6, "23": float("nan")}), geo, title="t", label="Andel"
    )
    faces = figure.figure.axes[0].collections[0].get_facecolors()
    # One face per ring of a län with a value, in the map's order of the län.
    drawn = [
        f["properties"]["lan_kod"]
        for f in geo["features"]
        if f["properties"]["lan_kod"] in ("01", "07")
        for _ in (f["geometry"]["coordinates"] if f["geometry"]["type"] == "MultiPolygon" else [0])
    ]
    assert len(faces) == len(drawn)
    half = faces[drawn.index("01")]
    assert tuple(half) == pytest.approx(colormaps["viridis"](0.5))
    alt = figure.alt.replace("\u00a0", " ")
    assert "Högst, 60 %: Kronobergs län. Lägst, 50 %: Stockholms län." in alt
    assert "Jämtlands län" in figure.alt.split("Utan värde")[1]  # NaN: no value
