"""The summary notebook: committed clean and thin (the protocol's cells), and runs for
Kronoberg through papermill on a run folder, showing nothing from the program."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from conftest import DATA, ROOT
from notebook_protocol import LEAKS, protocol_cells

from utvardering.dataset import load_dataset
from utvardering.execute import execute_notebook
from utvardering.registry import report_type
from utvardering.results import RESULT_SCHEMA_VERSION, read_result
from utvardering.summary.report import SummaryReport

NOTEBOOK = ROOT / "notebooks" / "sammanfattning.ipynb"


def test_notebook_is_committed_clean_and_thin():
    _, defaults = protocol_cells(
        NOTEBOOK, "sammanfattning", "Sammanfattning", SummaryReport.SECTIONS
    )
    assert defaults == {
        "lan_kod": "07", "korning_dir": "../_utdata", "omgang": 2025, "finansiering": "alla",
        "data_dir": "../data", "utdata_dir": ".",
    }  # fmt: skip


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
