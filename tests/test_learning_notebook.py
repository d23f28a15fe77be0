"""The learning plan notebook: committed clean and thin (the protocol's cells), and runs for
Kronoberg through papermill on a run folder, showing nothing from the program."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, ROOT
from test_learning_report import write_run

from utvardering.execute import execute_notebook
from utvardering.learning.report import LearningPlanReport
from utvardering.registry import report_type
from utvardering.results import RESULT_SCHEMA_VERSION, read_result

NOTEBOOK = ROOT / "notebooks" / "larandeplan.ipynb"
# Text from the machinery that no reader may see.
LEAKS = re.compile(
    r"PosixPath|Styler|IPython\.core|<NA>|\b(None|nan|NaN|True|False)\b|0x[0-9a-f]{6,}"
)


def test_notebook_is_committed_clean_and_thin():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"] == {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    assert nb.metadata["utvardering"] == {"rapport": "larandeplan"}
    kind = report_type("larandeplan")
    assert (kind.title, kind.level, kind.notebook) == ("Lärandeplan", "region", NOTEBOOK.name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.cell_type for c in nb.cells] == ["code"] * len(code)
    assert "parameters" in code[0].metadata.get("tags", [])
    defaults: dict = {}
    exec(code[0].source, {}, defaults)
    assert defaults == {
        "lan_kod": "07", "korning_dir": "../_utdata", "omgang": 2025, "finansiering": "alla",
        "data_dir": "../data", "utdata_dir": ".",
    }  # fmt: skip
    assert 'typ = report_type("larandeplan")' in code[1].source
    assert "korning_dir=korning_dir" in code[1].source
    assert "load_dataset(data_dir, typ.tables)" in code[1].source
    assert code[2].source == "rapport = typ.build(ds, parametrar)"
    assert [c.source for c in code[3:-1]] == [
        f'rapport.section("{name}")' for name in LearningPlanReport.SECTIONS
    ]
    assert code[-1].source.endswith(
        "rapport.write(utdata_dir, data_dir=data_dir, utdata_dir=utdata_dir)"
    )
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        assert not [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)
        ]


@pytest.mark.karna  # starts a Jupyter kernel (also marked langsam)
def test_notebook_for_kronoberg(tmp_path: Path):
    run = write_run(tmp_path / "korning")
    out = run / "07"
    executed = execute_notebook(
        NOTEBOOK,
        out / "larandeplan.ipynb",
        {"lan_kod": 7, "korning_dir": str(run), "data_dir": str(DATA), "utdata_dir": str(out)},
    )
    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    shown = [
        str(value)
        for o in outputs
        for kind, value in o.get("data", {}).items()
        if kind in ("text/plain", "text/markdown")
    ]
    assert [m.group(0) for text in shown if (m := LEAKS.search(text))] == []
    markdown = "\n".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    html = "\n".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "# Lärandeplan: Kronobergs län" in markdown
    for heading in ("Uppföljning och utvärdering", "Återkoppling", "Omvärldsbevakning och analys"):
        assert f"## {heading}" in markdown
    assert 'alt="Ett hjul med årets tolv månader' in html
    assert "Rapport till tillväxtrådet" in html and "row_heading" not in html
    result = read_result(out / "larandeplan.json", "larandeplan")
    assert result["schemaversion"] == RESULT_SCHEMA_VERSION
    assert (result["rapport"], result["lan_kod"]) == ("larandeplan", "07")
    assert result["parametrar"]["korning_dir"] == str(run)
    assert result["rapporter"] == dict.fromkeys(("mognad", "tema", "effekt", "malkedja"), "med")
    for name in result["filer"].values():
        assert (out / name).is_file()
    assert (out / "larandeplan.md").read_text(encoding="utf-8").startswith("# Lärandeplan")
