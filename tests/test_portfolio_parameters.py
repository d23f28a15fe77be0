"""The thematic report's parameters: checked before data is read, with Swedish messages."""

from __future__ import annotations

import pytest

from utvardering.errors import ParameterError, UtvarderingError
from utvardering.portfolio import ReportParameters, check_parameters


def test_defaults_and_an_empty_theme():
    assert check_parameters("07") == ReportParameters("07", (2014, 2023), None, None)
    assert check_parameters("07", [2015, 2015], "").period == (2015, 2015)


def test_a_theme_or_a_focus_area():
    assert check_parameters("23", [2014, 2023], "Besöksnäring").tema_typ == "tema"
    focus = check_parameters("23", [2014, 2023], "Tillgänglighet genom informationsteknik")
    assert (focus.tema, focus.tema_typ) == (
        "Tillgänglighet genom informationsteknik",
        "fokusomrade",
    )
    assert check_parameters("23", (2014.0, 2023.0), "KKN").period == (2014, 2023)


def test_unknown_theme_lists_the_allowed_values():
    with pytest.raises(ParameterError) as caught:
        check_parameters("07", [2014, 2023], "besöksnäring")
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
        check_parameters("07", period, "")
    assert fragment in str(caught.value)
    assert "[2014, 2023]" in str(caught.value) or "1990" in str(caught.value)


def test_bad_region_code_hints_at_text():
    with pytest.raises(ParameterError, match='skriv "07"'):
        check_parameters(7)
    with pytest.raises(ParameterError, match="en av de 21 länskoderna"):
        check_parameters("02")
