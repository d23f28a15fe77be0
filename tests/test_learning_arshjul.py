"""The learning plan's annual cycle (årshjul): the package's defaults after Region Gotland's
example, a region's own file that replaces them, Swedish errors that name the file, the entry
and the field, and the wheel figure."""

from __future__ import annotations

from pathlib import Path

import pytest

from utvardering.errors import DataValidationError
from utvardering.learning.arshjul import (
    DEFAULT_FILE,
    REPORT_NAMES,
    arshjul_file,
    load_arshjul,
    read_arshjul,
)
from utvardering.learning.figures import plot_arshjul


def _own(tmp_path: Path, text: str, code: str = "07") -> Path:
    folder = tmp_path / "arshjul"
    folder.mkdir(exist_ok=True)
    path = folder / f"{code}.yaml"
    path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_defaults_follow_gotlands_example():
    cycle = load_arshjul(None, "07")
    assert not cycle.own and cycle.file == DEFAULT_FILE.name
    dates = [(e.datum, e.handelse) for e in cycle.events]
    assert dates == [
        ("01-01", "Lägesrapport till regionstyrelsen"),
        ("02-15", "Återrapportering till Regeringskansliet"),
        ("03-01", "Slutrapport för föregående år till regionstyrelsen och regionfullmäktige"),
        ("04-01", "Rapport till tillväxtrådet"),
        ("07-01", "Utvärdering"),
        ("10-01", "Rapport till tillväxtrådet"),
    ]
    for event in cycle.events:
        assert event.kalla.startswith("Region Gotlands årshjul"), event
        assert event.mottagare and event.innehall and event.underlag
        assert set(event.underlag) <= set(REPORT_NAMES)
    # the dates the seed does not give are said to be assumptions
    assumed = [e.datum for e in cycle.events if "antagande" in e.kalla]
    assert assumed == ["02-15", "03-01"]
    assert cycle.events[0].date_text == "1 januari"
    # the evaluations planned in the learning plan are reported at the evaluation in July
    assert [e.datum for e in cycle.events if "larandeplan" in e.underlag] == ["07-01"]


def test_the_region_file_path_exists_or_not(tmp_path):
    path = arshjul_file(tmp_path, "09")
    assert path == tmp_path / "arshjul" / "09.yaml" and not path.exists()
    assert not load_arshjul(tmp_path, "09").own  # no file: the defaults


def test_a_region_file_replaces_the_defaults(tmp_path):
    data = _own(
        tmp_path,
        'handelser:\n'
        '  - {datum: "11-15", handelse: Dialog med kommunerna, underlag: [malkedja]}\n'
        '  - datum: "02-29"\n'
        '    handelse: Rapport till regionstyrelsen\n'
        '    mottagare: Regionstyrelsen\n',
    )  # fmt: skip
    cycle = load_arshjul(data, "07")
    assert cycle.own and cycle.file == "arshjul/07.yaml"
    assert [(e.datum, e.handelse) for e in cycle.events] == [
        ("02-29", "Rapport till regionstyrelsen"),  # a leap day is a date; date order
        ("11-15", "Dialog med kommunerna"),
    ]
    assert cycle.events[1].underlag == ("malkedja",) and cycle.events[1].mottagare == ""
    assert not load_arshjul(data, "09").own  # another region keeps the defaults


@pytest.mark.parametrize(
    ("entry", "field", "words"),
    [
        ('{datum: "13-01", handelse: X}', "datum", "ett datum som finns"),
        ('{datum: "02-30", handelse: X}', "datum", "ett datum som finns"),
        ("{datum: 2018-04-01, handelse: X}", "datum", '"MM-DD"'),
        ('{datum: "1 april", handelse: X}', "datum", '"MM-DD"'),
        ("{handelse: X}", "datum", '"MM-DD"'),
        ('{datum: "04-01", handelse: X, farg: rod}', "farg", "ett känt fält"),
        ('{datum: "04-01"}', "handelse", "en text som inte är tom"),
        ('{datum: "04-01", handelse: "  "}', "handelse", "en text som inte är tom"),
        ('{datum: "04-01", handelse: X, underlag: [budget]}', "underlag", "en av rapporterna"),
        ('{datum: "04-01", handelse: X, underlag: effekt}', "underlag", "en lista"),
        ('{datum: "04-01", handelse: X, mottagare: [a, b]}', "mottagare", "en text"),
    ],
)
def test_a_bad_entry_is_named_with_file_entry_and_field(tmp_path, entry, field, words):
    good = '{datum: "01-01", handelse: Lägesrapport}'
    data = _own(tmp_path, f"handelser:\n  - {good}\n  - {entry}\n")
    with pytest.raises(DataValidationError) as info:
        load_arshjul(data, "07")
    message = str(info.value)
    assert "arshjul/07.yaml" in message, message
    assert "händelse 2" in message and f"fält {field}" in message, message
    assert words in message, message
    assert "händelse 1" not in message  # the good entry is not blamed


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("handelser: []\n", "minst en händelse"),
        ("- datum: '01-01'\n", "nyckeln handelser"),
        ("handelser:\n  - {datum: '01-01', handelse: X}\nextra: 1\n", "bara nyckeln handelser"),
        ("handelser: [\n", "giltig YAML"),
    ],
)
def test_a_bad_file_is_named(tmp_path, text, words):
    data = _own(tmp_path, text)
    with pytest.raises(DataValidationError) as info:
        load_arshjul(data, "07")
    assert "arshjul/07.yaml" in str(info.value) and words in str(info.value), str(info.value)


def test_the_default_file_reads_alone():
    assert read_arshjul(DEFAULT_FILE) == load_arshjul(None, "01").events


def test_the_wheel_names_every_event_in_its_alt_text():
    events = load_arshjul(None, "07").events
    figure = plot_arshjul(events, "Kronobergs län")
    assert figure.titel == "Årshjul för rapportering och återkoppling, Kronobergs län"
    assert figure.alt.startswith("Ett hjul med årets tolv månader")
    for event in events:
        assert f"{event.date_text}: {event.handelse}" in figure.alt
    assert figure.png()[:4] == b"\x89PNG"


def test_the_wheel_takes_many_events_and_shared_dates(tmp_path):
    entries = "".join(
        f'  - {{datum: "{m:02d}-01", handelse: Rapport nummer {m} till en mottagare med ett '
        "långt namn}\n"
        for m in range(1, 13)
    )
    entries += '  - {datum: "01-01", handelse: Samma dag}\n'
    events = load_arshjul(_own(tmp_path, f"handelser:\n{entries}"), "07").events
    figure = plot_arshjul(events)
    assert len(events) == 13 and "Samma dag" in figure.alt
    assert figure.titel == "Årshjul för rapportering och återkoppling"
    assert figure.png()[:4] == b"\x89PNG"
