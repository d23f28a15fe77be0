"""The report notebooks are thin, parameterised and committed without outputs."""

from __future__ import annotations

import ast

import nbformat
import pytest
from conftest import ROOT

from utvardering.batch import discover_reports
from utvardering.registry import report_types

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_there_are_report_notebooks():
    reports = discover_reports(ROOT / "notebooks")
    assert set(reports) == set(report_types())  # one notebook for every registered report
    assert len(reports) == len(NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_thin_and_clean(path):
    notebook = nbformat.read(path, as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and "parameters" in code[0].metadata.get("tags", []), "first code cell: parameters"
    for cell in code:
        assert not cell.get("outputs"), f"{path.name} has outputs"
        assert cell.get("execution_count") is None, f"{path.name} has execution counts"
        tree = ast.parse(cell.source)
        defines = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        assert not defines, f"{path.name} defines functions: move them into the package"
    # the notebook names its report; title, level and tables are the registry's
    kind = report_types()[notebook.metadata["utvardering"]["rapport"]]
    assert path.name == kind.notebook
    assert notebook.metadata["kernelspec"]["language"] == "python"
    parameters = ast.parse(code[0].source)
    names = {t.id for node in parameters.body if isinstance(node, ast.Assign) for t in node.targets}
    assert {"data_dir", "utdata_dir"} <= names
    if kind.level == "region":
        assert "lan_kod" in names
