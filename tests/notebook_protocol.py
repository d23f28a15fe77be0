"""Checks shared by the tests of the region report notebooks: a notebook is committed clean
and thin, with the protocol's cells (parameters, load, build, one cell per section, save)."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path

import nbformat

from utvardering.registry import report_type

# Text from the machinery that no reader may see.
LEAKS = re.compile(
    r"PosixPath|Styler|IPython\.core|<NA>|\b(None|nan|NaN|True|False)\b|0x[0-9a-f]{6,}"
)


def protocol_cells(path: Path, name: str, title: str, sections: Iterable[str]):
    """The notebook's code cells and its parameters' defaults, after checking that it names
    its report (title and level from the registry), has only code cells without outputs or
    definitions, and has the protocol's cells in order."""
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"] == {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    # the notebook names its report; title, level and tables come from the registry
    assert nb.metadata["utvardering"] == {"rapport": name}
    kind = report_type(name)
    assert (kind.title, kind.level, kind.notebook) == (title, "region", path.name)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.cell_type for c in nb.cells] == ["code"] * len(code)
    assert "parameters" in code[0].metadata.get("tags", [])
    defaults: dict = {}
    exec(code[0].source, {}, defaults)
    # the protocol's cells: parameters, load, build, one cell per section, save
    assert f'typ = report_type("{name}")' in code[1].source
    assert "load_dataset(data_dir, typ.tables)" in code[1].source
    assert code[2].source == "rapport = typ.build(ds, parametrar)"
    assert [c.source for c in code[3:-1]] == [f'rapport.section("{s}")' for s in sections]
    assert code[-1].source.endswith(
        "rapport.write(utdata_dir, data_dir=data_dir, utdata_dir=utdata_dir)"
    )
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        assert not [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)
        ]
    return code, defaults
