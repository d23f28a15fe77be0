"""Notebooks run on the interpreter that runs utvardering, also without an activated venv."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT

from utvardering.errors import ReportError
from utvardering.execute import execute_notebook

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna


def _notebook(path: Path, body: str) -> Path:
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('target = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


def test_kernel_is_this_interpreter(tmp_path):
    source = _notebook(
        tmp_path / "which.ipynb",
        "import sys, pathlib\npathlib.Path(target).write_text(sys.executable)",
    )
    target = tmp_path / "python.txt"
    execute_notebook(source, tmp_path / "out" / "which.ipynb", {"target": str(target)})
    assert target.read_text() == sys.executable
    executed = nbformat.read(tmp_path / "out" / "which.ipynb", as_version=4)
    assert any("injected-parameters" in c.metadata.get("tags", []) for c in executed.cells)


def test_kernel_without_activated_venv(tmp_path):
    """A child process with a PATH that has no venv in it still runs the kernel on its own
    interpreter (the venv's python given by full path, as the README does)."""
    source = _notebook(
        tmp_path / "which.ipynb",
        "import sys, pathlib\npathlib.Path(target).write_text(sys.executable)",
    )
    target = tmp_path / "python.txt"
    script = textwrap.dedent(
        f"""
        from utvardering.execute import execute_notebook
        execute_notebook({str(source)!r}, {str(tmp_path / "o.ipynb")!r},
                         {{"target": {str(target)!r}}})
        """
    )
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "JUPYTER_PATH")}
    env["PATH"] = "/usr/bin:/bin"
    env["PYTHONPATH"] = str(ROOT / "src")
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180
    )
    assert result.returncode == 0, result.stderr
    assert target.read_text() == sys.executable


def test_failing_cell_raises_report_error_and_keeps_output(tmp_path):
    source = _notebook(tmp_path / "fails.ipynb", "raise ValueError('trasig')")
    output = tmp_path / "out.ipynb"
    with pytest.raises(ReportError, match="trasig"):
        execute_notebook(source, output, {"target": "x"})
    assert output.is_file()


def test_the_running_notebook_is_written_at_start_and_end_not_per_cell(tmp_path, monkeypatch):
    """papermill writes the whole notebook around every cell; ours at the start, at most every
    SAVE_EVERY seconds, and at the end, with every cell's output."""
    import papermill.engines

    from utvardering import execute

    writes = []
    original = papermill.engines.write_ipynb

    def counted(nb, path):
        writes.append(sum(1 for c in nb.cells if c.get("outputs")))
        return original(nb, path)

    monkeypatch.setattr(papermill.engines, "write_ipynb", counted)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"print({i})") for i in range(20)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, tmp_path / "many.ipynb")
    execute_notebook(tmp_path / "many.ipynb", tmp_path / "out.ipynb")
    assert execute.SAVE_EVERY >= 5
    assert writes[0] == 0  # at the start
    assert writes[-1] == 20  # at the end, with every output
    assert len(writes) <= 3, writes
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    texts = ["".join(o.get("text", "") for o in c.outputs) for c in executed.cells]
    assert texts == [f"{i}\n" for i in range(20)]
