"""The thematic report's parameters: checked before data is read, with Swedish messages."""

from __future__ import annotations

import pytest

from utvardering.errors import ParameterError, UtvarderingError
from utvardering.portfolio import ThematicParameters

check = ThematicParameters.check


def test_defaults_and_an_empty_theme():
    assert check(lan_kod="07") == ThematicParameters("07", None, (2014, 2023), "alla")
    assert check(lan_kod="07").theme_kind is None
    assert check(lan_kod="07", period=[2015, 2015], tema="").period == (2015, 2015)
    assert check() == ThematicParameters()  # the notebook's defaults


def test_a_theme_or_a_focus_area():
    assert check(lan_kod="23", tema="Besöksnäring").theme_kind == "tema"
    focus = check(lan_kod="23", tema="Tillgänglighet genom informationsteknik")
    assert (focus.tema, focus.theme_kind) == (
        "Tillgänglighet genom informationsteknik",
        "fokusomrade",
    )
    assert check(lan_kod="23", period=(2014.0, 2023.0), tema="KKN").period == (2014, 2023)


def test_what_the_result_file_stores():
    params = check(lan_kod=7, tema="KKN", period=[2014, 2023])
    assert params.as_dict() == {
        "lan_kod": "07",
        "tema": "KKN",
        "period": [2014, 2023],
        "finansiering": "alla",
    }


@pytest.mark.parametrize(("given", "scope"), [("eruf", "eruf"), (" Anslag_1_1 ", "anslag_1_1")])
def test_funding_scope(given, scope):
    assert check(lan_kod="07", finansiering=given).finansiering == scope


@pytest.mark.parametrize("given", ["ERUF och anslag 1:1", "", None, 1])
def test_bad_funding_scope_names_the_value(given):
    with pytest.raises(ParameterError) as caught:
        check(lan_kod="07", finansiering=given)
    message = str(caught.value)
    assert "Parametern finansiering" in message and repr(given) in message
    assert "alla, eruf eller anslag_1_1" in message


def test_unknown_theme_lists_the_allowed_values():
    with pytest.raises(ParameterError) as caught:
        check(lan_kod="07", period=[2014, 2023], tema="besöksnäring")
    message = str(caught.value)
    assert "Parametern tema" in message and "'besöksnäring'" in message
    for allowed in ("'Besöksnäring'", "'Hälsa/vård/omsorg'", "'Kultur och fritid'", '("")'):
        assert allowed in message
    assert isinstance(caught.value, UtvarderingError)


@pytest.mark.parametrize(
    ("period", "fragment"),
    [
        ("2014", "lista med startår och slutår"),
        ([2014], "lista med startår och slutår"),
        ([2014, 2020, 2023], "lista med startår och slutår"),
        ([2014.5, 2020], "två heltal"),
        ([True, 2020], "två heltal"),
        (["2014", "2020"], "två heltal"),
        ([1800, 2020], "mellan 1990 och 2100"),
        ([2023, 2014], "startåret före eller lika med slutåret"),
    ],
)
def test_bad_period(period, fragment):
    with pytest.raises(ParameterError, match="Parametern period") as caught:
        check(lan_kod="07", period=period, tema="")
    assert fragment in str(caught.value)
    assert "[2014, 2023]" in str(caught.value) or "1990" in str(caught.value)


@pytest.mark.parametrize("given", [7, "7", "07"])
def test_region_code_as_papermill_and_yaml_hand_it_over(given):
    assert check(lan_kod=given).lan_kod == "07"


@pytest.mark.parametrize("given", [99, "02", 7.0, True, "sju"])
def test_bad_region_code(given):
    with pytest.raises(ParameterError, match="en av de 21 länskoderna") as caught:
        check(lan_kod=given)
    assert "Parametern lan_kod" in str(caught.value) and repr(given) in str(caught.value)


def test_every_bad_value_is_named_at_once():
    with pytest.raises(ParameterError) as caught:
        check(lan_kod=99, tema="Turism", period=[2023, 2014], omrade="x", finansiering="x")
    message = str(caught.value)
    for fragment in (
        "Okänd parameter 'omrade'",
        "Parametern lan_kod",
        "fick 99",
        "Parametern period",
        "startåret före eller lika med slutåret",
        "Parametern tema",
        "'Turism'",
        "Parametern finansiering",
    ):
        assert fragment in message
