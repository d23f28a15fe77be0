"""What readers of the national synthesis see, pinned: each section's text, figures' alt text
and tables, built (without a kernel) from the small run folder of
``test_synthesis_fixture.py``. A change to the text shows up as a diff of
``tests/snapshots/syntes/<section>.txt``; accept it on purpose with ``UPPDATERA_SNAPSHOTS=1``.
"""

from __future__ import annotations

import shutil

import pytest
from snapshots import assert_snapshot
from test_synthesis_fixture import OMGANG, shared_run

from utvardering.dataset import load_dataset
from utvardering.protocol import UnknownSectionError
from utvardering.registry import report_type
from utvardering.results import (
    RESULT_SCHEMA_VERSION,
    ResultFileError,
    read_result,
    read_results,
    write_results,
)
from utvardering.synthesis import SECTIONS, Synthesis
from utvardering.synthesis.report_type import REPORT_TYPE

# Builds whole reports or data folders: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam


def _build(korning_dir, data) -> Synthesis:
    params = REPORT_TYPE.parameters.check(korning_dir=str(korning_dir), omgang=OMGANG)
    return REPORT_TYPE.build(load_dataset(data, REPORT_TYPE.tables), params)


@pytest.fixture(scope="module")
def synthesis(tmp_path_factory):
    base, data = shared_run(tmp_path_factory)
    return _build(base, data)


def test_the_registry_finds_the_synthesis():
    kind = report_type("syntes")
    assert kind is REPORT_TYPE
    assert (kind.title, kind.level, kind.notebook) == (
        "Nationell syntes",
        "nationell",
        "nationell_syntes.ipynb",
    )
    assert set(kind.tables) == {
        "effektkedjor",
        "lan",
        "karta",
        "indikatorer",
        "projekt",
        "projekt_lan",
    }


@pytest.mark.parametrize("name", list(SECTIONS))
def test_section_snapshot(synthesis, name):
    assert_snapshot(f"syntes/{name}", synthesis.section(name).snapshot_text())


def test_no_heading_is_shown_twice(synthesis):
    for section in synthesis.sections():
        texts = [b for b in section.blocks if isinstance(b, str)]
        assert not any(line.startswith("## ") for t in texts for line in t.splitlines())


def test_unknown_section(synthesis):
    with pytest.raises(UnknownSectionError, match="avsnitten är intro, tackning"):
        synthesis.section("sammanfattning")


def test_the_result_file_follows_its_schema(synthesis, tmp_path):
    files = synthesis.write(tmp_path, data_dir="data", utdata_dir=str(tmp_path))
    saved = read_result(tmp_path / files["json"], "syntes")  # checked against the schema
    assert saved["schemaversion"] == RESULT_SCHEMA_VERSION
    assert saved["rapport"] == "syntes"
    assert saved["parametrar"]["omgang"] == OMGANG
    assert saved["parametrar"]["data_dir"] == "data"
    assert saved["filer"]["excel"] == "syntes.xlsx"
    assert (tmp_path / saved["filer"]["effekt_skog_anstallda"]).is_file()
    assert saved["tackning"]["saknas"]["tema"]["25"] == "misslyckad"
    assert saved["utfall"] == ["anstallda", "omsattning_tkr", "foradlingsvarde_tkr"]
    assert saved["parametrar"]["utfall"] == "alla"
    assert saved["simulerade_indata"] == []  # real data: nothing simulated


def _copy(base, tmp_path):
    copy = tmp_path / "korning"
    shutil.copytree(base, copy)
    return copy


def test_a_region_file_with_a_field_removed_stops_the_synthesis(tmp_path_factory, tmp_path):
    base, data = shared_run(tmp_path_factory)
    copy = _copy(base, tmp_path)
    path = copy / "07" / "mognad.json"
    payload = read_results(path)
    del payload["trappstegsniva"]
    write_results(path, payload)
    with pytest.raises(ResultFileError) as caught:
        _build(copy, data)
    assert caught.value.path == path
    assert caught.value.field == "trappstegsniva"
    assert str(path) in str(caught.value) and "trappstegsniva" in str(caught.value)


def test_a_region_file_of_an_older_version_stops_the_synthesis(tmp_path_factory, tmp_path):
    base, data = shared_run(tmp_path_factory)
    copy = _copy(base, tmp_path)
    path = copy / "23" / "tema.json"
    payload = read_results(path)
    payload.pop("schemaversion")
    write_results(path, {"schema_version": 1, **payload})
    with pytest.raises(ResultFileError, match="schemaversion") as caught:
        _build(copy, data)
    assert caught.value.path == path


def test_a_damaged_region_file_leaves_the_region_out(tmp_path_factory, tmp_path):
    base, data = shared_run(tmp_path_factory)
    copy = _copy(base, tmp_path)
    (copy / "23" / "effekt.json").write_text('{"rapport": "eff', encoding="utf-8")
    synthesis = _build(copy, data)
    assert synthesis.coverage.excluded["effekt"]["23"] == "ingen_fil"
    assert list(synthesis.effects.per_outcome["anstallda"].estimates.index) == ["01", "25"]
    assert "resultatfil saknas eller är trasig" in synthesis.section("tackning").snapshot_text()
