"""The maturity report's Swedish: counts of zero, one and many, ties named in full, tables
without a row index, the comments' reminder of simulated answers, and nothing from the
program in the text of the shipped regions' reports.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
from conftest import DATA

from utvardering.dataset import load_dataset
from utvardering.maturity import MaturityParameters, assess
from utvardering.maturity.report_type import REPORT_TYPE
from utvardering.maturity.tables import ReportTable, table_dimensions, table_next_steps
from utvardering.maturity.text import text_national, text_strengths, text_trend
from utvardering.maturity.wording import median_comparison
from utvardering.origin import SimulatedInput


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA, REPORT_TYPE.tables)


def _report(ds, lan_kod: str, omgang: int = 2025):
    return REPORT_TYPE.build(ds, MaturityParameters.check(lan_kod=lan_kod, omgang=omgang))


# --- counts and the national median ------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            (0, 5, 4),
            "Norrbottens län ligger under rikets median i 5 dimensioner och på medianen i 4. "
            "Ingen dimension ligger över rikets median.",
        ),
        (
            (1, 8, 0),
            "Norrbottens län ligger över rikets median i en dimension och under medianen i 8. "
            "Ingen dimension ligger på rikets median.",
        ),
        (
            (2, 5, 1),
            "Norrbottens län ligger över rikets median i 2 dimensioner, under medianen i 5 och "
            "på medianen i en.",
        ),
        ((0, 0, 3), "Norrbottens län ligger på rikets median i alla 3 dimensioner."),
        ((0, 1, 0), "Norrbottens län ligger under rikets median i en dimension."),
    ],
)
def test_the_comparison_with_the_median_names_no_count_of_zero(counts, expected):
    assert median_comparison("Norrbottens län", *counts) == expected


def test_no_section_of_the_shipped_reports_counts_in_the_old_way(ds):
    for lan_kod, omgang in (("07", 2025), ("25", 2025), ("09", 2025), ("07", 2023)):
        text = "\n".join(s.snapshot_text() for s in _report(ds, lan_kod, omgang).sections())
        assert "i ingen dimension" not in text
        assert not re.search(r"\b(i|upp i|ned i|under i|över i) 0\b", text), lan_kod
        assert "(ar)" not in text and "(er)" not in text
        assert not re.search(r"\b0 gått\b", text)


# --- nothing from the program --------------------------------------------------------------------


@pytest.mark.parametrize(("lan_kod", "omgang"), [("07", 2025), ("25", 2025), ("09", 2025),
                                                 ("09", 2023)])  # fmt: skip
def test_no_python_values_paths_or_decimal_points_in_the_report(ds, lan_kod, omgang):
    text = "\n".join(s.snapshot_text() for s in _report(ds, lan_kod, omgang).sections())
    for word in ("None", "nan", "NaN", "True", "False", "PosixPath", "/work", "<NA>"):
        assert not re.search(rf"\b{re.escape(word)}\b", text), word
    assert not re.search(r"\d\.\d", text.replace("version 1.0", "")), "decimal point"


# --- ties ------------------------------------------------------------------------------------


def _assessment(levels: dict[str, list[float]], lan_kod: str = "07"):
    """An assessment from one respondent per region whose answers are ``levels`` (a, b, c, d),
    with the model of the shipped data cut to four dimensions."""
    from utvardering.models import MaturityModel

    model_full = load_dataset(DATA, ["mognadsmodell"]).mognadsmodell
    model = MaturityModel(
        name=model_full.name, version=model_full.version, source=model_full.source,
        description=model_full.description, scale=model_full.scale, levels=model_full.levels,
        dimensions=model_full.dimensions[:4],
    )  # fmt: skip
    rows = []
    for code, values in levels.items():
        for person in ("A", "B", "C"):
            for dimension, value in zip(model.dimensions, values, strict=True):
                for question in dimension.questions:
                    rows.append(
                        {"omgang": 2025, "lan_kod": code, "respondent": f"{code}-{person}",
                         "roll": "Analytiker", "fraga": question.id, "svar": value,
                         "kommentar": None}
                    )  # fmt: skip
    answers = pd.DataFrame(rows)
    answers["svar"] = answers["svar"].astype("Int64")
    return assess(answers, model, lan_kod, 2025, region_names={"07": "Kronobergs län"})


def test_strongest_and_weakest_name_every_tied_dimension():
    a = _assessment({"07": [4, 4, 4, 2], "08": [3, 3, 3, 3]})
    names = a.dimensions["namn"].tolist()
    text = text_strengths(a)
    # three share the highest level: all are named, though two are asked for
    assert f"**Starkast:** {names[0]} (4,0), {names[1]} (4,0) och {names[2]} (4,0)." in text
    assert f"**Svagast:** {names[3]} (2,0)." in text


def test_best_and_worst_place_name_every_tied_dimension():
    # 07 shares first place in a (with 10) and is first in b; second in c and d
    a = _assessment({"07": [5, 4, 2, 2], "08": [3, 3, 3, 3], "10": [5, 1, 1, 1]})
    names = a.dimensions["namn"].tolist()
    text = text_national(a)
    assert f"Bäst placering har Kronobergs län i {names[0]} och {names[1]}, plats 1 av 3" in text
    assert f"sämst i {names[2]} och {names[3]}, plats 2 av 3" in text


def test_a_change_of_nothing_down_is_said_in_words(ds):
    text = text_trend(_report(ds, "25").assessment)
    assert "har 5 gått upp och ingen gått ned; 4 är i stort sett oförändrade" in text


# --- tables ----------------------------------------------------------------------------------


def test_tables_have_no_row_index_and_units_in_the_headings(ds):
    report = _report(ds, "07")
    for name in ("dimensioner", "nasta_steg", "jamforelse", "kommentarer"):
        section = report.section(name)
        tables = [b for b in section.blocks if isinstance(b, ReportTable)]
        assert len(tables) == 1, name
        table = tables[0]
        assert isinstance(table.frame.index, pd.RangeIndex) and table.frame.index.name is None
        html = table.styler().to_html()
        assert "row_heading" not in html and "index_name" not in html, name
        assert table.snapshot_text().splitlines()[1].startswith("Dimension|"), name
    columns = list(table_dimensions(report.assessment).frame.columns)
    assert columns == [
        "Dimension", "Nivå (median, 1–5)", "Medelvärde (1–5)", "Kvartilavstånd (nivåer)",
        "Samstämmighet (%)", "Svarande (personer)", "Förändring sedan 2023 (nivåer)",
    ]  # fmt: skip
    # full names, never cut
    assert (
        "Styrkedjan RUS – understrategier – projekt"
        in table_dimensions(report.assessment).frame["Dimension"].tolist()
    )


def test_without_a_previous_round_the_table_has_no_change_column(ds):
    # Gotland has no answers in 2023
    columns = table_dimensions(_report(ds, "09").assessment).frame.columns
    assert not any(c.startswith("Förändring") for c in columns)


def test_the_next_steps_table_follows_the_rule(ds):
    a = _report(ds, "25").assessment
    frame = table_next_steps(a).frame
    gaps = [float(g.replace(",", ".")) for g in frame["Gap till målnivån (nivåer)"]]
    assert gaps == sorted(gaps, reverse=True)
    assert list(frame["Nästa steg"][:3]) == ["Steg 1", "Steg 2", "Steg 3"]
    assert [s.name for s in a.next_steps] == list(frame["Dimension"][:3])


# --- simulated comments ------------------------------------------------------------------------

_SIMULATED = "Enkätsvaren är simulerade"


def test_the_comments_say_they_are_simulated_when_the_answers_are(ds):
    report = _report(ds, "07")  # the shipped datakallor.yaml marks enkatsvar simulated
    assert any(i.tabell == "enkatsvar" for i in report.simulated_inputs)
    assert _SIMULATED in report.section("kommentarer").snapshot_text()
    # only the answers matter: another simulated input does not bring the reminder
    object.__setattr__(
        report, "simulated_inputs", (SimulatedInput("projekt", "projektens klassning"),)
    )
    assert _SIMULATED not in report.section("kommentarer").snapshot_text()
    object.__setattr__(report, "simulated_inputs", ())
    text = report.section("kommentarer").snapshot_text()
    assert "simuler" not in text and "som de skrevs" in text


def test_real_answers_bring_no_reminder(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("foretagspanel*"))
    (data / "datakallor.yaml").write_text(
        "tabeller:\n  enkatsvar:\n    art: verklig\n", encoding="utf-8"
    )
    report = REPORT_TYPE.build(
        load_dataset(data, REPORT_TYPE.tables), MaturityParameters.check(lan_kod="07")
    )
    assert report.simulated_inputs == ()
    text = "\n".join(s.snapshot_text() for s in report.sections())
    assert "simuler" not in text.lower()
    assert "som de skrevs" in text


def test_the_model_points_to_next_steps_only_when_there_are_any(ds):
    assert "nästa steg nedan" in _report(ds, "07").section("modell").snapshot_text()
    # Gotland has no answers in 2023: no next steps to point to
    assert "nästa steg nedan" not in _report(ds, "09", 2023).section("modell").snapshot_text()
