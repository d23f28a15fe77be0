"""The learning plan notebook: committed clean and thin (the protocol's cells), and runs for
Kronoberg through papermill on a run folder, showing nothing from the program."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import DATA, ROOT
from notebook_protocol import LEAKS, protocol_cells
from test_learning_report import write_run

from utvardering.execute import execute_notebook
from utvardering.learning.report import LearningPlanReport
from utvardering.results import RESULT_SCHEMA_VERSION, read_result

NOTEBOOK = ROOT / "notebooks" / "larandeplan.ipynb"


def test_notebook_is_committed_clean_and_thin():
    code, defaults = protocol_cells(
        NOTEBOOK, "larandeplan", "Lärandeplan", LearningPlanReport.SECTIONS
    )
    assert defaults == {
        "lan_kod": "07", "korning_dir": "../_utdata", "omgang": 2025, "finansiering": "alla",
        "data_dir": "../data", "utdata_dir": ".",
    }  # fmt: skip
    assert "korning_dir=korning_dir" in code[1].source


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
