"""What readers of the thematic report see, pinned as snapshot files (no kernel).

The report for Kronobergs län (07) on the shipped data, with a theme so that the comparison
between the län is there too: each section's text, figure titles and alt texts and table cells
are compared with ``tests/snapshots/tema/<section>.txt``. Accept a change on purpose with
``UPPDATERA_SNAPSHOTS=1 pytest tests/test_portfolio_snapshots.py``.
"""

from __future__ import annotations

import pytest
from conftest import DATA
from snapshots import assert_snapshot

from utvardering.dataset import load_dataset
from utvardering.errors import ParameterError
from utvardering.protocol import UnknownSectionError
from utvardering.registry import report_type

REGION = "07"
THEME = "KKN"


@pytest.fixture(scope="module")
def kind():
    return report_type("tema")


@pytest.fixture(scope="module")
def rapport(kind):
    params = kind.parameters.check(lan_kod=REGION, tema=THEME)
    return kind.build(load_dataset(DATA, kind.tables), params)


def test_report_type(kind):
    assert (kind.name, kind.title, kind.level, kind.order) == (
        "tema",
        "Tematisk utvärdering",
        "region",
        2,
    )
    assert kind.notebook == "tematisk_utvardering.ipynb"
    assert dict(kind.tables) == {
        **dict.fromkeys(
            ("projekt", "projekt_lan", "projektindikatorer", "indikatorer", "lan", "karta",
             "effektkedjor"),
            "alla",
        ),
        "rus_prioriteringar": "region",  # only the län's own list matters
    }  # fmt: skip


@pytest.mark.parametrize(
    "name",
    [
        "inledning",
        "omfattning",
        "kategorier",
        "teman",
        "per_invanare",
        "hallbarhet",
        "prestationer",
        "stryktips",
        "projekt",
        "tematisk_vy",
    ],
)
def test_section_text(rapport, name):
    section = rapport.section(name)
    assert not section.empty
    assert_snapshot(f"tema/{name}", section.snapshot_text())


def test_every_section_is_pinned(rapport):
    assert [s.name for s in rapport.sections()] == list(rapport.SECTIONS)
    assert len(rapport.SECTIONS) == 10


def test_unknown_section(rapport):
    with pytest.raises(UnknownSectionError) as caught:
        rapport.section("sektion")
    message = str(caught.value)
    assert "Rapporten tema har inget avsnitt 'sektion'" in message
    assert "inledning, omfattning, kategorier" in message
    assert isinstance(caught.value, KeyError)


def test_region_code_seven_is_07(kind):
    assert kind.parameters.check(lan_kod=7).lan_kod == "07"


def test_several_bad_values_named_in_one_error(kind):
    with pytest.raises(ParameterError) as caught:
        kind.parameters.check(lan_kod=99, tema="Turism", period=[2014])
    message = str(caught.value)
    assert "Parametern lan_kod" in message and "fick 99" in message
    assert "Parametern tema" in message and "'Turism'" in message
    assert "Parametern period" in message and "[2014]" in message
