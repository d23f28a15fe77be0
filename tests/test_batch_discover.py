"""Finding the report notebooks: by their metadata, with what the registry knows of them
(no kernel runs here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from utvardering import registry
from utvardering.batch import discover_reports
from utvardering.errors import ReportError
from utvardering.protocol import Parameters, ReportType

PROV = ReportType(
    name="prov",
    title="Provrapport",
    level="region",
    notebook="prov.ipynb",
    parameters=Parameters,
    builder=lambda dataset, params: None,
    tables={"lan": "alla", "enkatsvar": "region"},
    order=1,
)


@pytest.fixture
def prov(monkeypatch):
    """The registry with the report type ``prov`` added for one test."""
    registry.report_types()  # load the built-in types first, so that they do not replace it
    monkeypatch.setitem(registry._registered, PROV.name, PROV)
    return PROV


def _notebook(folder: Path, name: str, meta: dict) -> Path:
    """The demo notebook under another file name, with ``meta`` as its report metadata."""
    notebook = json.loads((FIXTURES / "demo_region.ipynb").read_text(encoding="utf-8"))
    notebook["metadata"]["utvardering"] = meta
    path = folder / name
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def test_a_registered_report_needs_only_its_name(tmp_path, prov):
    _notebook(tmp_path, "prov.ipynb", {"rapport": "prov"})
    report = discover_reports(tmp_path)["prov"]
    assert (report.title, report.level, report.order) == ("Provrapport", "region", 1)
    assert report.inputs == {"lan": "alla", "enkatsvar": "region"}
    assert "lan_kod" in report.parameters  # the parameters are still the notebook's


def test_metadata_that_agrees_with_the_registry_is_accepted(tmp_path, prov):
    meta = {"rapport": "prov", "titel": "Provrapport", "niva": "region"}
    meta["indata"] = {"enkatsvar": "region", "lan": "alla"}
    _notebook(tmp_path, "prov.ipynb", meta)
    assert discover_reports(tmp_path)["prov"].title == "Provrapport"


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("titel", "Annan titel", "titeln 'Provrapport'"),
        ("niva", "nationell", "nivån 'region'"),
        ("indata", {"lan": "alla"}, "indata {'lan': 'alla', 'enkatsvar': 'region'}"),
    ],
)
def test_metadata_that_disagrees_with_the_registry_is_an_error(tmp_path, prov, key, value, said):
    _notebook(tmp_path, "prov.ipynb", {"rapport": "prov", key: value})
    with pytest.raises(ReportError) as caught:
        discover_reports(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"prov.ipynb: metadata utvardering.{key} är {value!r}")
    assert f"rapporten prov har {said} i rapportregistret" in message


def test_unregistered_reports_come_from_their_metadata_after_the_registered(tmp_path, prov):
    _notebook(tmp_path, "a_demo.ipynb", {"rapport": "demo", "titel": "Demo", "niva": "region"})
    _notebook(tmp_path, "b_prov.ipynb", {"rapport": "prov"})
    reports = discover_reports(tmp_path)
    assert list(reports) == ["prov", "demo"]  # the registry's order, not the file names'
    assert reports["demo"].title == "Demo" and reports["demo"].inputs is None


def test_fixture_notebooks_are_not_registered_reports():
    reports = discover_reports(FIXTURES)
    assert not set(reports) & set(registry.report_types())
    assert reports["demo"].title == "Demo"


def test_shipped_notebooks_are_the_registered_reports():
    reports = discover_reports(ROOT / "notebooks")
    kinds = registry.report_types()
    assert list(reports) == list(kinds)
    for name, report in reports.items():
        kind = kinds[name]
        assert report.path.name == kind.notebook
        assert (report.title, report.level, report.inputs) == (
            kind.title,
            kind.level,
            dict(kind.tables),
        )


def test_registered_report_with_an_unknown_table_is_an_error(tmp_path, monkeypatch):
    registry.report_types()
    bad = ReportType(
        name="prov",
        title="Provrapport",
        level="region",
        notebook="prov.ipynb",
        parameters=Parameters,
        builder=lambda dataset, params: None,
        tables={"inga_sadana": "alla"},
    )
    monkeypatch.setitem(registry._registered, bad.name, bad)
    _notebook(tmp_path, "prov.ipynb", {"rapport": "prov"})
    with pytest.raises(ReportError, match="rapporttypen prov i registret nämner tabeller"):
        discover_reports(tmp_path)
