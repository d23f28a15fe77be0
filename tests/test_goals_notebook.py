"""The goal chain notebook: committed clean and thin (the protocol's cells), and runs for
Kronoberg through papermill, showing nothing from the program."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, ROOT

from utvardering.execute import execute_notebook
from utvardering.goals.report import GoalChainReport
from utvardering.registry import report_type
from utvardering.results import RESULT_SCHEMA_VERSION, read_result

NOTEBOOK = ROOT / "notebooks" / "malkedja.ipynb"
# Text from the machinery that no reader may see.
LEAKS = re.compile(
    r"PosixPath|Styler|IPython\.core|<NA>|\b(None|nan|NaN|True|False)\b|0x[0-9a-f]{6,}"
)


def test_notebook_is_committed_clean_and_thin():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"] == {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    # the notebook names its report; title, level and tables come from the registry
    assert nb.metadata["utvardering"] == {"rapport": "malkedja"}
    kind = report_type("malkedja")
    assert (kind.title, kind.level, kind.notebook) == ("Målkedja", "region", NOTEBOOK.name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.cell_type for c in nb.cells] == ["code"] * len(code)
    assert "parameters" in code[0].metadata.get("tags", [])
    defaults: dict = {}
    exec(code[0].source, {}, defaults)
    assert defaults == {
        "lan_kod": "07", "jamforelselan": "riksomrade", "data_dir": "../data", "utdata_dir": ".",
    }  # fmt: skip
    # the protocol's cells: parameters, load, build, one cell per section, save
    assert 'typ = report_type("malkedja")' in code[1].source
    assert "typ.parameters.check(lan_kod=lan_kod, jamforelselan=jamforelselan)" in code[1].source
    assert "load_dataset(data_dir, typ.tables)" in code[1].source
    assert code[2].source == "rapport = typ.build(ds, parametrar)"
    assert [c.source for c in code[3:-1]] == [
        f'rapport.section("{name}")' for name in GoalChainReport.SECTIONS
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
    out = tmp_path / "ut"
    executed = execute_notebook(
        NOTEBOOK,
        out / "malkedja.ipynb",
        {"lan_kod": 7, "data_dir": str(DATA), "utdata_dir": str(out)},  # -p lan_kod 7
    )
    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert [o for o in outputs if o.output_type == "error"] == []
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    # Nothing from the program in what the notebook shows (its text forms included).
    shown = [
        str(value)
        for o in outputs
        for kind, value in o.get("data", {}).items()
        if kind in ("text/plain", "text/markdown")
    ]
    assert [m.group(0) for text in shown if (m := LEAKS.search(text))] == []
    markdown = "\n".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    html = "\n".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "# Målkedja: Kronobergs län" in markdown
    assert "## Tre nivåer med olika svårighetsgrad" in markdown
    assert "## Inga mål i målkedjan" not in markdown  # Kronoberg has goals
    assert "Sydostleden" in html and "row_heading" not in html  # tables without row index
    result = read_result(out / "malkedja.json", "malkedja")
    assert result["schemaversion"] == RESULT_SCHEMA_VERSION
    assert (result["rapport"], result["lan_kod"], result["har_mal"]) == ("malkedja", "07", True)
    assert result["parametrar"]["jamforelselan"] == "riksomrade"
    assert result["antal_mal"] == {"rus": 1, "understrategi": 4, "projekt": 4}
    for name in result["filer"].values():
        assert (out / name).is_file()
    assert (out / "malkedja_maltrad.png").read_bytes()[:4] == b"\x89PNG"
