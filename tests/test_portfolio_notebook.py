"""The thematic report notebook: committed clean, run for two län, a theme and a short report."""

from __future__ import annotations

import json

import nbformat
import openpyxl
import pytest
from conftest import DATA, ROOT

from utvardering.errors import ReportError
from utvardering.execute import execute_notebook
from utvardering.portfolio import SECTIONS, TABLES_NEEDED, TABLES_OPTIONAL
from utvardering.registry import report_type
from utvardering.results import read_result

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna

NOTEBOOK = ROOT / "notebooks" / "tematisk_utvardering.ipynb"
FULL_SHEETS = {
    "Per startår",
    "Finansieringskälla",
    "Nationell prioritering",
    "Fokusområde",
    "Effektkedja",
    "Tema",
    "RUS-prioritering",
    "Per invånare",
    "Prestationer per kedja",
    "Stryktips, tema",
    "Största projekten",
}


def _run(tmp_path, **parameters):
    out = tmp_path / "ut"
    executed = execute_notebook(
        NOTEBOOK,
        out / "tematisk_utvardering.ipynb",
        {"data_dir": str(DATA), "utdata_dir": str(out), **parameters},
    )
    notebook = nbformat.read(executed, as_version=4)
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert errors == []
    return out, notebook


def _html(notebook) -> str:
    return "\n".join(
        json.dumps(o.get("data", {}), ensure_ascii=False)
        for c in notebook.cells
        for o in c.get("outputs", [])
    )


def test_committed_without_outputs_and_with_metadata():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    # the notebook names its report; title, level and tables come from the registry
    assert notebook.metadata["utvardering"] == {"rapport": "tema"}
    kind = report_type("tema")
    assert (kind.title, kind.level, kind.notebook) == (
        "Tematisk utvärdering", "region", NOTEBOOK.name,
    )  # fmt: skip
    # The batch's cache key: every table the report reads, whole (it compares with the nation).
    # The län's own RUS priorities only: a change in another län's list does not re-run it.
    assert kind.tables == {
        **dict.fromkeys(TABLES_NEEDED, "alla"),
        **dict.fromkeys(TABLES_OPTIONAL, "region"),
    }
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[0].metadata["tags"]
    namespace: dict = {}
    exec(code[0].source, namespace)
    names = ("lan_kod", "tema", "period", "finansiering", "data_dir", "utdata_dir")
    assert {k: namespace[k] for k in names} == {
        "lan_kod": "07",
        "tema": "",
        "period": [2014, 2023],
        "finansiering": "alla",
        "data_dir": "../data",
        "utdata_dir": ".",
    }
    assert not any("def " in c.source or "class " in c.source for c in code)


def test_cells_are_the_protocols():
    """Parameters, load, build, one cell per section, save: nothing else."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert [c.cell_type for c in notebook.cells] == ["code"] * (4 + len(SECTIONS))
    sources = [c.source for c in notebook.cells[1:]]
    assert sources[0] == (
        "from utvardering.dataset import load_dataset\n"
        "from utvardering.registry import report_type\n\n"
        'typ = report_type("tema")\n'
        "parametrar = typ.parameters.check(\n"
        "    lan_kod=lan_kod, tema=tema, period=period, finansiering=finansiering\n"
        ")\n"
        "ds = load_dataset(data_dir, typ.tables)"
    )
    assert sources[1] == "rapport = typ.build(ds, parametrar)"
    assert sources[2:-1] == [f'rapport.section("{name}")' for name in SECTIONS]
    assert sources[-1] == (
        "filer = rapport.write(utdata_dir, data_dir=data_dir, utdata_dir=utdata_dir)"
    )


@pytest.mark.parametrize(("given", "lan_kod"), [(7, "07"), ("25", "25")])
def test_full_report_for_a_region(tmp_path, given, lan_kod):
    out, notebook = _run(tmp_path, lan_kod=given)  # -p lan_kod 7 hands over the integer 7
    result = read_result(out / "tema.json", "tema")
    assert (result["rapport"], result["lan_kod"], result["tema"]) == ("tema", lan_kod, "")
    assert result["parametrar"]["lan_kod"] == lan_kod and result["period"] == [2014, 2023]
    assert result["kort_rapport"] is False and result["tematisk_vy"] is None
    assert result["totalt"]["belopp_sek"] > 0
    shares = sum(r["andel_belopp"] for r in result["fordelning"]["effektkedja"])
    assert shares == pytest.approx(1.0)
    sheets = set(openpyxl.load_workbook(out / f"tema_{lan_kod}.xlsx").sheetnames)
    assert sheets >= FULL_SHEETS and "Tema per län" not in sheets
    assert (out / f"tema_{lan_kod}_stryktips.png").is_file()
    assert (out / f"tema_{lan_kod}_per_invanare.png").is_file()
    html = _html(notebook)
    assert "Vart går pengarna?" in html and "De tre största fokusområdena" in html
    assert "den största projekttypen" in html and "Urval:" in html
    assert "Störst avvikelse från rikets profil" in html and "Stryktipset" in html
    assert 'alt=\\"Stryktipsmatris' in html
    assert "simulerade" in html


def test_theme_across_regions(tmp_path):
    out, notebook = _run(tmp_path, lan_kod="23", tema="Besöksnäring")
    result = read_result(out / "tema.json", "tema")
    view = result["tematisk_vy"]
    assert view["tema"] == "Besöksnäring" and view["tema_typ"] == "tema"
    assert len(view["per_lan"]) == 21
    assert sum(r["belopp_sek"] for r in view["per_lan"]) == pytest.approx(
        view["riket"]["belopp_sek"]
    )
    jamtland = next(r for r in view["per_lan"] if r["lan_kod"] == "23")
    assert jamtland["kr_per_invanare"] == max(r["kr_per_invanare"] for r in view["per_lan"])
    workbook = openpyxl.load_workbook(out / "tema_23.xlsx")
    assert {"Tema per län", "Tema per kedja (kr)", "Tema prestationer"} <= set(workbook.sheetnames)
    rows = list(workbook["Tema per län"].iter_rows(values_only=True))
    assert len(rows) == 1 + 21 + 1 and rows[-1][0] == "Riket"
    assert (out / "tema_23_tema_karta.png").is_file()
    assert "Besöksnäring i alla län" in _html(notebook)


def test_short_report_for_a_region_with_few_projects(tmp_path):
    # Every shipped project has ERUF money: the eruf scope is the whole portfolio.
    out, notebook = _run(tmp_path, lan_kod="09", period=[2014, 2014], finansiering="eruf")
    result = read_result(out / "tema.json", "tema")
    assert result["finansiering"] == result["parametrar"]["finansiering"] == "eruf"
    assert result["kort_rapport"] is True and result["totalt"]["projekt_berorda"] == 2
    sheets = openpyxl.load_workbook(out / "tema_09.xlsx").sheetnames
    assert [s for s in sheets if s != "Om underlaget"] == [
        "Per startår",
        "Finansieringskälla",
        "Projekten",
    ]
    html = _html(notebook)
    assert "Kort rapport" in html and "Vart går pengarna?" not in html


def test_bad_parameter_stops_the_notebook_with_a_swedish_message(tmp_path):
    with pytest.raises(ReportError, match=r"ParameterError.*Parametern tema"):
        execute_notebook(
            NOTEBOOK,
            tmp_path / "fel.ipynb",
            {"tema": "Turism", "data_dir": str(DATA), "utdata_dir": str(tmp_path)},
        )
    assert not (tmp_path / "tema.json").exists()
