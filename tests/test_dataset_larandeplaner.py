"""The optional table larandeplaner: the shipped rows, an absent file, and bad values stopped
with a message that names the file, the row, the column and what was expected."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from utvardering.dataset import load_dataset
from utvardering.errors import DataValidationError

FILE = "larandeplaner.csv"


def _edit(data_dir: Path, row: int, column: str, value: str) -> None:
    rows = pd.read_csv(data_dir / FILE, dtype=str, keep_default_na=False)
    rows.loc[row, column] = value
    rows.to_csv(data_dir / FILE, index=False)


def _message(data_dir: Path) -> str:
    with pytest.raises(DataValidationError) as info:
        load_dataset(data_dir, ["larandeplaner"])
    return " ".join(str(info.value).split())


def test_the_shipped_plans_are_read_with_their_types():
    plans = load_dataset(Path("data"), ["larandeplaner"]).larandeplaner
    kronoberg = plans.set_index("lan_kod").loc["07"]
    assert kronoberg["plan_ar"] == 2015 and kronoberg["under_revidering"] == "ja"
    assert str(plans["plan_ar"].dtype) == "Int64"
    gotland = plans.set_index("lan_kod").loc["09"]
    assert pd.isna(gotland["under_revidering"])


def test_the_table_is_optional(data_copy):
    (data_copy / FILE).unlink()
    assert load_dataset(data_copy, ["larandeplaner"]).larandeplaner is None


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("under_revidering", "kanske", "ja eller nej"),
        ("plan_ar", "15", "ett årtal mellan 1900 och 2100"),
        ("plan_ar", "tjugo", "heltal"),
        ("lan_kod", "99", "99"),
    ],
)
def test_a_bad_value_is_named(data_copy, column, value, expected):
    _edit(data_copy, 1, column, value)
    message = _message(data_copy)
    assert FILE in message and "rad 3" in message and column in message
    assert expected in message and value in message


def test_a_region_twice_is_an_error(data_copy):
    _edit(data_copy, 1, "lan_kod", "07")
    assert "07" in _message(data_copy)
