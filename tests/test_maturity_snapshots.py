"""What readers of the maturity report see, pinned; its parameters and its result file.

The report of Kronobergs län (07), round 2025, is built in-process from the shipped data folder,
and each section's text (Markdown, figure titles and alt texts, table cells) is compared with
``tests/snapshots/mognad/<section>.txt``. To accept a change on purpose, run with
``UPPDATERA_SNAPSHOTS=1`` and review the diff of the snapshot files.
"""

from __future__ import annotations

import pytest
from conftest import DATA
from snapshots import assert_snapshot

from utvardering.dataset import load_dataset
from utvardering.errors import ParameterError
from utvardering.maturity import MaturityParameters, MaturityReport, assess_region, result_record
from utvardering.maturity.report_type import REPORT_TYPE
from utvardering.protocol import UnknownSectionError, result_file
from utvardering.registry import report_type
from utvardering.results import (
    RESULT_SCHEMA_VERSION,
    ResultFileError,
    read_result,
    result_schema,
    write_results,
)


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA, REPORT_TYPE.tables)


@pytest.fixture(scope="module")
def report(ds) -> MaturityReport:
    return REPORT_TYPE.build(ds, MaturityParameters.check(lan_kod="07", omgang=2025))


@pytest.mark.parametrize("name", list(MaturityReport.SECTIONS))
def test_section_text(report, name):
    assert_snapshot(f"mognad/{name}", report.section(name).snapshot_text())


def test_section_for_a_region_without_answers(ds):
    # Gotland has no answers in 2023: the section that only such a region shows (text only,
    # so the report is made without its figures)
    params = MaturityParameters.check(lan_kod="09", omgang=2023)
    report = MaturityReport(params, assess_region(ds, "09", 2023), {}, {})
    assert_snapshot("mognad/inga_svar_09_2023", report.section("inga_svar").snapshot_text())
    assert report.section("sammanfattning").empty and report.section("nasta_steg").empty


def test_sections_in_reading_order_with_their_headings(report):
    sections = report.sections()
    assert [s.name for s in sections] == list(MaturityReport.SECTIONS)
    assert sections[0].heading == "" and sections[0].blocks[0].startswith("# Mognadsbedömning")
    # a text never repeats its section's heading
    for section in sections:
        text = "\n".join(b for b in section.blocks if isinstance(b, str))
        assert not text.lstrip().startswith("## "), section.name
    assert report.section("inga_svar").empty  # Kronoberg has answers


def test_an_unknown_section_is_an_error(report):
    with pytest.raises(UnknownSectionError, match="Rapporten mognad har inget avsnitt 'radar'"):
        report.section("radar")


def test_the_registry_knows_the_report():
    kind = report_type("mognad")
    assert kind is REPORT_TYPE
    assert (kind.title, kind.level, kind.notebook) == (
        "Mognadsbedömning", "region", "mognadsbedomning.ipynb",
    )  # fmt: skip
    assert kind.parameters is MaturityParameters
    # the national comparison reads every region's answers
    assert kind.tables["enkatsvar"] == "alla" and kind.tables["mognadsmal"] == "region"


# --- parameters ------------------------------------------------------------------------------


@pytest.mark.parametrize("lan_kod", [7, "07", "7"])
def test_region_codes_as_papermill_and_yaml_hand_them_over(lan_kod):
    assert MaturityParameters.check(lan_kod=lan_kod, omgang=2025) == MaturityParameters("07", 2025)


def test_defaults():
    assert MaturityParameters.check() == MaturityParameters(lan_kod="07", omgang=2025)


@pytest.mark.parametrize("lan_kod", [7.0, True, 99, "99", None])
def test_bad_region_codes_are_refused_in_swedish(lan_kod):
    with pytest.raises(ParameterError, match="Parametern lan_kod ska vara en av de 21 länskoderna"):
        MaturityParameters.check(lan_kod=lan_kod, omgang=2025)


@pytest.mark.parametrize("omgang", ["2025", 2025.0, True, None])
def test_bad_rounds_are_refused_in_swedish(omgang):
    with pytest.raises(ParameterError, match=r"Parametern omgang ska vara .* som ett heltal"):
        MaturityParameters.check(lan_kod="07", omgang=omgang)


def test_one_error_names_every_bad_value():
    with pytest.raises(ParameterError) as info:
        MaturityParameters.check(lan_kod=99, omgang="2025", lan=7)
    message = str(info.value)
    assert "Parametern lan_kod" in message and "fick 99" in message
    assert "Parametern omgang" in message and "fick '2025'" in message
    assert "Okänd parameter 'lan'" in message


def test_a_round_not_in_the_survey_is_refused(ds):
    with pytest.raises(ParameterError, match=r"Omgång 2024 finns inte i enkätsvaren.*2023, 2025"):
        REPORT_TYPE.build(ds, MaturityParameters.check(lan_kod="07", omgang=2024))


# --- the result file ---------------------------------------------------------------------------


@pytest.mark.langsam
def test_the_result_file_follows_its_schema(report, ds, tmp_path):
    # Kronoberg as the notebook writes it (figures, workbook and result file) ...
    files = report.write(tmp_path / "07", data_dir=str(DATA), utdata_dir=str(tmp_path / "07"))
    assert files["json"] == "mognad.json" and files["excel"] == "mognad.xlsx"
    written = read_result(tmp_path / "07" / "mognad.json", "mognad")
    assert written["schemaversion"] == RESULT_SCHEMA_VERSION and written["rapport"] == "mognad"
    assert written["parametrar"]["lan_kod"] == "07" and written["parametrar"]["omgang"] == 2025
    assert written["filer"] == {k: v for k, v in files.items() if k != "json"}
    assert set(written) == set(result_schema("mognad")["properties"])
    # ... and Västerbotten from the assessment alone, as the synthesis tests build result files
    params = MaturityParameters.check(lan_kod=25, omgang=2025)
    body = result_record(assess_region(ds, params.lan_kod, params.omgang))
    write_results(tmp_path / "25" / "mognad.json", result_file("mognad", params, body))
    other = read_result(tmp_path / "25" / "mognad.json", "mognad")
    assert other["lan_kod"] == "25" and len(other["dimensioner"]) == 9


def test_the_schema_requires_what_the_synthesis_reads():
    schema = result_schema("mognad")
    required = set(schema["required"])
    # synthesis/maturity.py and synthesis/collect.py read these
    assert {
        "lan_kod", "omgang", "foregaende_omgang", "nivaer", "dimensioner", "trappstegsniva",
        "profilmedel", "trappstegsniva_foregaende", "profilmedel_foregaende", "n_respondenter",
        "lag_tillforlitlighet", "inga_svar",
    } <= required  # fmt: skip
    dimension = schema["properties"]["dimensioner"]["items"]
    assert {"dimension", "namn", "foregaende_median"} <= set(dimension["required"])
    for name, field in schema["properties"].items():
        assert field.get("description"), name
    for name, field in dimension["properties"].items():
        assert field.get("description"), name


@pytest.mark.parametrize(
    ("remove", "field"),
    [(("nivaer",), "nivaer"), (("dimensioner", 0, "foregaende_median"),
                               "dimensioner.0.foregaende_median")],
)  # fmt: skip
def test_a_result_file_without_a_required_field_names_it(report, tmp_path, remove, field):
    data = result_file("mognad", report.params, report.payload(), {})
    target = data
    for key in remove[:-1]:
        target = target[key]
    del target[remove[-1]]
    path = write_results(tmp_path / "mognad.json", data)
    with pytest.raises(ResultFileError) as info:
        read_result(path, "mognad")
    assert info.value.field == field
    assert f"fältet {field}: saknas" in str(info.value) and str(path) in str(info.value)
