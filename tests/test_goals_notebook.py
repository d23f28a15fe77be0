"""The goal chain notebook: committed clean and thin (the protocol's cells), and runs for
Kronoberg through papermill, showing nothing from the program."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import DATA, ROOT
from notebook_protocol import LEAKS, protocol_cells

from utvardering.execute import execute_notebook
from utvardering.goals.report import GoalChainReport
from utvardering.results import RESULT_SCHEMA_VERSION, read_result

NOTEBOOK = ROOT / "notebooks" / "malkedja.ipynb"


def test_notebook_is_committed_clean_and_thin():
    code, defaults = protocol_cells(NOTEBOOK, "malkedja", "Målkedja", GoalChainReport.SECTIONS)
    assert defaults == {
        "lan_kod": "07", "jamforelselan": "riksomrade", "data_dir": "../data", "utdata_dir": ".",
    }  # fmt: skip
    assert "typ.parameters.check(lan_kod=lan_kod, jamforelselan=jamforelselan)" in code[1].source


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
