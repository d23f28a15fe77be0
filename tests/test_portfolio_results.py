"""The thematic report's result file (tema.json): written by ``rapport.write``, checked against
the shipped JSON Schema, and refused with a message naming the field when one is missing."""

from __future__ import annotations

import json

import pytest
from conftest import DATA

from utvardering.dataset import load_dataset
from utvardering.portfolio import ThematicParameters, analyse_region, build, result_body
from utvardering.protocol import result_file
from utvardering.registry import report_type
from utvardering.results import (
    RESULT_SCHEMA_VERSION,
    ResultFileError,
    check_result,
    read_result,
    result_schema,
    to_jsonable,
)

# Builds whole reports or data folders: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam

ENVELOPE = ("schemaversion", "rapport", "parametrar", "simulerade_indata", "filer")

# What the national synthesis reads (synthesis/collect.py and synthesis/portfolio.py).
READ_BY_THE_SYNTHESIS = (
    "lan_kod",
    "period",
    "totalt.projekt_berorda",
    "totalt.projekt_andelsviktade",
    "totalt.belopp_sek",
    "totalt.kr_per_invanare",
    "befolkning.varde",
    "riket",
    "fordelning.nationell_prioritering",
    "fordelning.fokusomrade",
    "fordelning.effektkedja",
    "fordelning.tema",
    "finansiering",
    "fordelning.finansieringskalla",
)

# (lan_kod, period): two full reports and a short one (Gotland has two projects in 2014).
RUNS = {"07": ("07", [2014, 2023]), "25": ("25", [2014, 2023]), "kort": ("09", [2014, 2014])}


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA, report_type("tema").tables)


@pytest.fixture(scope="module")
def written(ds, tmp_path_factory):
    """Each run's report, written by ``rapport.write`` to a folder of its own."""
    out = {}
    for run, (code, period) in RUNS.items():
        folder = tmp_path_factory.mktemp(run)
        report = build(ds, ThematicParameters.check(lan_kod=code, period=period))
        files = report.write(folder, data_dir="data", utdata_dir=str(folder))
        out[run] = (report, folder, files)
    return out


@pytest.mark.parametrize("run", list(RUNS))
def test_written_file_follows_the_schema(written, run):
    report, folder, files = written[run]
    code, period = RUNS[run]
    result = read_result(folder / "tema.json", "tema")
    assert (result["schemaversion"], result["rapport"]) == (RESULT_SCHEMA_VERSION, "tema")
    assert result["parametrar"] == {
        "lan_kod": code,
        "tema": None,
        "period": period,
        "finansiering": "alla",
        "data_dir": "data",
        "utdata_dir": str(folder),
    }
    assert result["filer"] == {k: v for k, v in files.items() if k != "json"}
    assert all((folder / name).is_file() for name in files.values())
    assert result["kort_rapport"] is (run == "kort") is report.analysis.short
    body = {k: v for k, v in result.items() if k not in ENVELOPE}
    assert body == to_jsonable(report.payload())
    assert result["lan_kod"] == code and result["period"] == period


def test_body_without_figures_makes_the_same_file(ds, written):
    """``result_body`` (no figures) gives what ``rapport.write`` wrote."""
    _, folder, files = written["07"]
    params = ThematicParameters.check(lan_kod="07")
    cheap = result_file(
        "tema",
        params,
        result_body(analyse_region(ds, params)),
        {k: v for k, v in files.items() if k != "json"},
        data_dir="data",
        utdata_dir=str(folder),
    )
    check_result(cheap, "tema", "minne")
    assert to_jsonable(cheap) == json.loads((folder / "tema.json").read_text("utf-8"))


def test_schema_requires_every_field_written_and_describes_each():
    schema = result_schema("tema")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["required"]) == set(schema["properties"])

    def walk(node, path):
        if "properties" in node:  # every field is always written, if only as null
            assert set(node["required"]) == set(node["properties"]), path
        for name, child in node.get("properties", {}).items():
            assert child.get("description"), f"{path}.{name} har ingen beskrivning"
            walk(child, f"{path}.{name}".lstrip("."))
        if isinstance(node.get("items"), dict):
            walk(node["items"], path)

    walk(schema, "")


def _without(data: dict, field: str) -> dict:
    data = json.loads(json.dumps(data))
    *parents, last = field.split(".")
    node = data
    for part in parents:
        node = node[part]
    del node[last]
    return data


@pytest.mark.parametrize("field", [*result_schema("tema")["required"], *READ_BY_THE_SYNTHESIS])
def test_a_missing_field_is_named(written, tmp_path, field):
    _, folder, _ = written["07"]
    data = json.loads((folder / "tema.json").read_text("utf-8"))
    path = tmp_path / "tema.json"
    path.write_text(json.dumps(_without(data, field)), encoding="utf-8")
    with pytest.raises(ResultFileError) as caught:
        read_result(path, "tema")
    assert caught.value.field == field
    assert f"fältet {field}" in str(caught.value) and str(path) in str(caught.value)
    if field != "schemaversion":  # a missing version is a version the program does not read
        assert f"fältet {field}: saknas" in str(caught.value)


def test_a_wrong_type_is_named(written, tmp_path):
    _, folder, _ = written["25"]
    data = json.loads((folder / "tema.json").read_text("utf-8"))
    data["fordelning"]["tema"][0]["belopp_sek"] = "mycket"
    path = tmp_path / "tema.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultFileError, match=r"fordelning\.tema\.0\.belopp_sek"):
        read_result(path, "tema")


def test_rus_priorities_carry_no_comparison_with_the_nation(written, tmp_path):
    _, folder, _ = written["25"]
    data = json.loads((folder / "tema.json").read_text("utf-8"))
    rows = data["fordelning"]["rus_prioritering"]
    assert rows and all("riket_belopp_sek" not in r and "lokaliseringskvot" not in r for r in rows)
    rows[0]["riket_belopp_sek"] = 1.0  # a comparison across län on a name is refused
    path = tmp_path / "tema.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultFileError, match=r"fordelning\.rus_prioritering"):
        read_result(path, "tema")


def test_funding_split_sums_to_the_total(written):
    for run in RUNS:
        _, folder, _ = written[run]
        data = read_result(folder / "tema.json", "tema")
        rows = data["fordelning"]["finansieringskalla"]
        assert [r["kategori"] for r in rows] == ["ERUF", "Anslag 1:1", "ERUF och anslag 1:1"]
        total = sum(r["belopp_sek"] for r in rows)
        assert total == pytest.approx(data["totalt"]["belopp_sek"])
        assert data["finansiering"] == "alla"
