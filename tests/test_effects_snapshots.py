"""What readers of the effect report see, pinned: each section of Kronoberg's report (07) on the
shipped data, built in-process (no kernel). Update with ``UPPDATERA_SNAPSHOTS=1``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from snapshots import assert_snapshot

from utvardering.dataset import load_dataset
from utvardering.effects.parameters import EffectParameters
from utvardering.effects.report import EffectReport
from utvardering.effects.report_type import REPORT_TYPE
from utvardering.errors import ParameterError
from utvardering.funding import FUNDING_SCOPES
from utvardering.protocol import UnknownSectionError
from utvardering.results import RESULT_SCHEMA_VERSION, ResultFileError, read_result

# Builds whole reports or data folders: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam

ROOT = Path(__file__).resolve().parents[1]
TYPE = REPORT_TYPE


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(ROOT / "data", TYPE.tables)


@pytest.fixture(scope="module")
def kronoberg(dataset) -> EffectReport:
    return TYPE.build(dataset, TYPE.parameters.check(lan_kod="07"))


@pytest.fixture(scope="module")
def norrbotten(dataset) -> EffectReport:
    return TYPE.build(dataset, TYPE.parameters.check(lan_kod="25"))


@pytest.mark.parametrize("name", list(EffectReport.SECTIONS))
def test_section_text(kronoberg, name):
    assert_snapshot(f"effekt/{name}", kronoberg.section(name).snapshot_text())


@pytest.mark.parametrize("name", ["effekt", "syntetisk", "forbehall"])
def test_section_text_norrbotten(norrbotten, name):
    """Norrbotten (25): grade C main estimates and a synthetic comparison that does not fit."""
    assert_snapshot(f"effekt/25_{name}", norrbotten.section(name).snapshot_text())


def test_nothing_from_the_program_shows(kronoberg, norrbotten):
    """No paths, Python values or developer words in what a reader sees."""
    leaks = re.compile(
        r"PosixPath|\b(None|nan|NaN|True|False)\b|varning\(ar\)|propensitet|fixa effekter"
        r"|\(negativt: under\)|foretag_id|anställda \(anställda\)|\d\.\d"
    )
    for report in (kronoberg, norrbotten):
        for section in report.sections():
            found = leaks.search(section.snapshot_text())
            assert found is None, (section.name, found)


def test_the_registry_entry_is_the_effect_report():
    from utvardering.registry import report_type

    assert report_type("effekt") is TYPE
    assert (TYPE.name, TYPE.level, TYPE.notebook) == ("effekt", "region", "effektanalys.ipynb")
    assert TYPE.parameters is EffectParameters
    assert TYPE.tables["projekt_lan"] == "region"


def test_unknown_section_is_the_protocols_error(kronoberg):
    with pytest.raises(UnknownSectionError, match="effekt har inget avsnitt 'resultat'"):
        kronoberg.section("resultat")


@pytest.mark.parametrize("value", [7, "7", "07"])
def test_lan_kod_as_papermill_and_yaml_hand_it_over(value):
    assert EffectParameters.check(lan_kod=value).lan_kod == "07"


def test_every_bad_parameter_is_named_at_once():
    with pytest.raises(ParameterError) as caught:
        EffectParameters.check(
            lan_kod=99, utfall="vinst", jamforelse="sverige", finansiering="eu", lan="07"
        )
    message = str(caught.value)
    for part in (
        "lan_kod",
        "fick 99",
        "utfall",
        "'vinst'",
        "jamforelse",
        "'sverige'",
        "finansiering",
        "'eu'",
        "'lan'",
    ):
        assert part in message


@pytest.mark.parametrize("value", [7.0, True, "7a"])
def test_floats_bools_and_text_are_no_region_codes(value):
    with pytest.raises(ParameterError, match="lan_kod"):
        EffectParameters.check(lan_kod=value)


def test_parameters_are_frozen_with_the_notebooks_defaults():
    params = EffectParameters.check()
    everything = ("anstallda", "omsattning_tkr", "foradlingsvarde_tkr")
    assert params == EffectParameters("07", everything, "auto", "alla")
    with pytest.raises(AttributeError):
        params.utfall = "omsattning_tkr"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("alla", ("anstallda", "omsattning_tkr", "foradlingsvarde_tkr")),
        ("omsattning_tkr", ("omsattning_tkr",)),
        (["foradlingsvarde_tkr", "anstallda"], ("anstallda", "foradlingsvarde_tkr")),
        ("omsattning_tkr,anstallda", ("anstallda", "omsattning_tkr")),
    ],
)
def test_utfall_is_all_one_or_a_list(value, expected):
    assert EffectParameters.check(utfall=value).utfall == expected


@pytest.mark.parametrize("value", ["ALLA ", "Anslag_1_1", "eruf"])
def test_finansiering_is_one_of_the_funding_scopes(value):
    assert EffectParameters.check(finansiering=value).finansiering in FUNDING_SCOPES


@pytest.fixture(scope="module")
def written(kronoberg, norrbotten, tmp_path_factory):
    """Result files of 07 and 25 written by the protocol and read back through the schema."""
    out = {}
    for code, report in (("07", kronoberg), ("25", norrbotten)):
        folder = tmp_path_factory.mktemp(f"effekt{code}")
        files = report.write(folder, data_dir="data", utdata_dir=str(folder))
        out[code] = (folder, files)
    return out


@pytest.mark.parametrize("code", ["07", "25"])
def test_result_file_follows_its_schema(written, code):
    folder, files = written[code]
    result = read_result(folder / files["json"], "effekt")
    assert (result["schemaversion"], result["rapport"], result["lan_kod"]) == (
        RESULT_SCHEMA_VERSION,
        "effekt",
        code,
    )
    assert result["parametrar"]["lan_kod"] == code and "data_dir" in result["parametrar"]
    assert result["parametrar"]["finansiering"] == result["finansiering"] == "alla"
    assert result["utfall"] == ["anstallda", "omsattning_tkr", "foradlingsvarde_tkr"]
    assert [p["utfall"] for p in result["per_utfall"]] == result["utfall"]
    for outcome in result["utfall"]:
        rows = [r for r in result["skattningar"] if r["utfall"] == outcome]
        assert sum(r["huvudskattning"] for r in rows) == 1
        assert f"effekt_handelsestudie_{outcome}" in result["filer"]
    assert result["filer"]["effekt_kedjor"] == "effekt_kedjor.png"
    for name in result["filer"].values():
        assert (folder / name).read_bytes()[:4] == b"\x89PNG"
    assert sorted(result["figurer"]) == sorted(result["filer"].values())


@pytest.mark.parametrize(
    "field",
    [
        "skattningar",
        "n_stodda_foretag",
        "for_fa_stodda",
        "maluppfyllelse",
        "utfall",
        "per_utfall",
        "finansiering",
    ],
)
def test_a_result_file_without_a_required_field_is_refused(written, tmp_path, field):
    folder, files = written["07"]
    data = json.loads((folder / files["json"]).read_text(encoding="utf-8"))
    del data[field]
    path = tmp_path / "effekt.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultFileError, match=field) as caught:
        read_result(path, "effekt")
    assert caught.value.path == path


def test_a_main_estimate_without_its_standard_error_is_refused(written, tmp_path):
    folder, files = written["07"]
    data = json.loads((folder / files["json"]).read_text(encoding="utf-8"))
    del data["skattningar"][0]["std_error"]
    path = tmp_path / "effekt.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResultFileError, match="std_error"):
        read_result(path, "effekt")
