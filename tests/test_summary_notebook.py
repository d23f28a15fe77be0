"""The summary notebook: committed clean and thin (the protocol's cells), and runs for
Kronoberg through papermill on a run folder, showing nothing from the program."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, ROOT

from utvardering.dataset import load_dataset
from utvardering.execute import execute_notebook
from utvardering.registry import report_type
from utvardering.results import RESULT_SCHEMA_VERSION, read_result
from utvardering.summary.report import SummaryReport

NOTEBOOK = ROOT / "notebooks" / "sammanfattning.ipynb"
# Text from the machinery that no reader may see.
LEAKS = re.compile(
    r"PosixPath|Styler|IPython\.core|<NA>|\b(None|nan|NaN|True|False)\b|0x[0-9a-f]{6,}"
)


def test_notebook_is_committed_clean_and_thin():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"] == {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    assert nb.metadata["utvardering"] == {"rapport": "sammanfattning"}
    kind = report_type("sammanfattning")
    assert (kind.title, kind.level, kind.notebook) == ("Sammanfattning", "region", NOTEBOOK.name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.cell_type for c in nb.cells] == ["code"] * len(code)
    assert "parameters" in code[0].metadata.get("tags", [])
    defaults: dict = {}
    exec(code[0].source, {}, defaults)
    assert defaults == {
        "lan_kod": "07", "korning_dir": "../_utdata", "omgang": 2025, "finansiering": "alla",
        "data_dir": "../data", "utdata_dir": ".",
    }  # fmt: skip
    assert 'typ = report_type("sammanfattning")' in code[1].source
    assert "load_dataset(data_dir, typ.tables)" in code[1].source
    assert code[2].source == "rapport = typ.build(ds, parametrar)"
    assert [c.source for c in code[3:-1]] == [
        f'rapport.section("{name}")' for name in SummaryReport.SECTIONS
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
    # A run folder with Kronoberg's maturity and goal chain reports (the others not run).
    run = tmp_path / "korning"
    for name in ("mognad", "malkedja"):
        kind = report_type(name)
        ds = load_dataset(DATA, kind.tables)
        kind.build(ds, kind.parameters.check(lan_kod="07")).write(run / "07")
    out = run / "07"
    executed = execute_notebook(
        NOTEBOOK,
        out / "sammanfattning.ipynb",
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
    assert "# Sammanfattning: Kronobergs län" in markdown
    assert "## Nyckeltal" in markdown and "[Mognadsbedömning](mognad.html)" in markdown
    assert "**Obs! Simulerade data.**" in markdown
    assert "## Rapporter som saknas" in markdown
    assert "--lan 07 --rapport tema effekt sammanfattning" in markdown
    result = read_result(out / "sammanfattning.json", "sammanfattning")
    assert result["schemaversion"] == RESULT_SCHEMA_VERSION
    assert result["rapporter"] == {
        "mognad": "med", "tema": "saknas", "effekt": "saknas", "malkedja": "med",
    }  # fmt: skip
    assert result["parametrar"]["korning_dir"] == str(run)
    for name in result["filer"].values():
        assert (out / name).is_file()
