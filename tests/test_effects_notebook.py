"""The effect analysis notebook: committed clean, the protocol's cells, runs for two regions and
writes a result file that follows its schema."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from utvardering.effects.report import EffectReport
from utvardering.errors import ReportError
from utvardering.execute import execute_notebook
from utvardering.registry import report_type
from utvardering.results import RESULT_SCHEMA_VERSION, read_result

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "effektanalys.ipynb"


def test_notebook_is_committed_without_outputs_and_with_metadata():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # the notebook names its report; title, level and tables come from the registry
    assert nb.metadata["utvardering"] == {"rapport": "effekt"}
    kind = report_type("effekt")
    assert (kind.title, kind.level, kind.notebook) == ("Effektanalys", "region", NOTEBOOK.name)
    # what the report reads; only its region's shares of projects, so that another region's
    # change does not rerun it
    assert kind.tables == {
        "effektkedjor": "alla",
        "foretagspanel": "alla",
        "indikatorer": "alla",
        "karta": "alla",
        "lan": "alla",
        "projekt": "alla",
        "projekt_lan": "region",
        "projektindikatorer": "alla",
        "rus_prioriteringar": "region",  # loaded with projekt_lan, not read
    }
    assert kind.unused == {"rus_prioriteringar": ("*",), "projekt_lan": ("rus_prioritering",)}
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    for name in (
        'lan_kod = "07"',
        'utfall = "alla"',
        'jamforelse = "auto"',
        'finansiering = "alla"',
        'data_dir = "../data"',
        'utdata_dir = "."',
    ):
        assert name in code[0].source
    assert "#" not in code[0].source  # no developer notes beside the parameters
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert "def " not in cell.source and "class " not in cell.source
    # the protocol's cells: parameters, load, build, one cell per section, save
    assert [c.cell_type for c in nb.cells] == ["code"] * len(code)
    assert 'typ = report_type("effekt")' in code[1].source
    for name in ("lan_kod", "utfall", "jamforelse", "finansiering"):
        assert f"{name}={name}" in code[1].source
    assert code[2].source == "rapport = typ.build(ds, parametrar)"
    assert [c.source for c in code[3:-1]] == [
        f'rapport.section("{name}")' for name in EffectReport.SECTIONS
    ]
    assert code[-1].source.startswith("filer = rapport.write(utdata_dir")


def _run(tmp_path: Path, lan_kod: str | int, **extra: str) -> dict:
    parameters = {
        "lan_kod": lan_kod,
        "data_dir": str(ROOT / "data"),
        "utdata_dir": str(tmp_path),
        **extra,
    }
    out = execute_notebook(NOTEBOOK, tmp_path / "effektanalys.ipynb", parameters)
    executed = nbformat.read(out, as_version=4)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    # Nothing from the program in what the notebook shows (its text forms included).
    shown = [
        str(value)
        for o in outputs
        for kind, value in o.get("data", {}).items()
        if kind in ("text/plain", "text/markdown")
    ]
    leaks = re.compile(
        r"PosixPath|Styler|IPython\.core|\b(None|nan|NaN|True|False)\b|0x[0-9a-f]{6,}"
    )
    assert [leaks.search(text) for text in shown if leaks.search(text)] == []
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    return read_result(tmp_path / "effekt.json", "effekt")


def test_kronoberg_report_writes_estimates_grades_and_attainment(tmp_path):
    result = _run(tmp_path, 7)  # what papermill's -p lan_kod 7 hands over
    assert (result["rapport"], result["lan_kod"]) == ("effekt", "07")
    assert result["utfall"] == ["anstallda", "omsattning_tkr", "foradlingsvarde_tkr"]
    assert result["schemaversion"] == RESULT_SCHEMA_VERSION
    assert result["parametrar"]["lan_kod"] == "07"
    assert result["parametrar"]["finansiering"] == result["finansiering"] == "alla"
    assert [p["utfall"] for p in result["per_utfall"]] == result["utfall"]
    methods = {r["metod"]: r for r in result["skattningar"] if r["utfall"] == "anstallda"}
    assert {"staggered_did", "ipw", "twfe_naiv", "fore_efter_naiv"} <= set(methods)
    main = methods["staggered_did"]
    assert main["huvudskattning"] and main["std_error"] > 0
    # the planted effect averaged over event times 0-9 is about 0.72 employees
    assert main["ci_low"] < 0.72 < main["ci_high"]
    assert all(r["evidensgrad"] in ("A", "B", "C") for r in result["skattningar"])
    assert methods["fore_efter_naiv"]["evidensgrad"] == "C"
    assert len(result["maluppfyllelse"]["per_steg"]) == 12
    assert {s["indikator"] for s in result["syntetisk_jamforelse"]} == {
        "brp_per_inv",
        "nystartade_per_1000_inv",
    }
    for name in result["figurer"]:
        assert (tmp_path / name).read_bytes()[:4] == b"\x89PNG"
    assert "effekt_kedjor.png" in result["figurer"]
    assert sorted(result["filer"].values()) == sorted(result["figurer"])


def test_gotland_report_says_it_has_few_supported_firms(tmp_path):
    result = _run(tmp_path, "09", utfall="omsattning_tkr", finansiering="eruf")
    assert result["utfall"] == ["omsattning_tkr"] and result["finansiering"] == "eruf"
    assert result["n_stodda_foretag"] < 20
    assert result["jamforelse"] == "riket"
    assert any("stödda företag" in w for w in result["varningar"])
    assert all(r["evidensgrad"] == "C" for r in result["skattningar"])


def test_unknown_outcome_is_a_swedish_parameter_error(tmp_path):
    with pytest.raises(ReportError, match=r"ParameterError.*utfall"):
        execute_notebook(
            NOTEBOOK,
            tmp_path / "x.ipynb",
            {"utfall": "vinst", "data_dir": str(ROOT / "data"), "utdata_dir": str(tmp_path)},
        )
