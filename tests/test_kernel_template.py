"""Kernels forked from a pre-imported template: each notebook starts with its imports done,
in a process no other notebook has touched; without fork, kernels start the plain way."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import nbformat
import pytest

from utvardering.execute import run_papermill
from utvardering.kernel import KernelStarter

# These tests start Jupyter kernels: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna


def _notebook(path: Path, *cells: str) -> Path:
    nb = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('target = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(nb, path)
    return path


# Before anything is imported: which modules the kernel already has, who its parent is.
_FACTS = """
import sys, os, json, pathlib
facts = {
    "imported": sorted(m for m in ("pandas", "statsmodels.api", "utvardering.registry")
                       if m in sys.modules),
    "pid": os.getpid(),
    "parent": os.getppid(),
    "cwd": os.getcwd(),
}
"""

_WRITE = """
import numpy
facts["random"] = numpy.random.random()
pathlib.Path(target).write_text(json.dumps(facts))
"""

_MEDDLE = """
import matplotlib, pandas
import utvardering.format
leftover = "från första notebooken"
matplotlib.rcParams["lines.linewidth"] = 9.5
pandas.DataFrame.lappad = True
utvardering.format.fmt_number = lambda *args, **kwargs: "lappad"
"""

_CHECK = """
import matplotlib, pandas
import utvardering.format
assert "leftover" not in globals(), "a variable of the first notebook is seen"
assert matplotlib.rcParams["lines.linewidth"] != 9.5, "an rcParams change is seen"
assert not hasattr(pandas.DataFrame, "lappad"), "a patched class is seen"
assert utvardering.format.fmt_number(2) == "2", "a patched module is seen"
"""


def _run(starter: KernelStarter, notebook: Path, target: Path, folder: Path) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    kernel = starter.take(folder)
    try:
        run_papermill(notebook, folder / "ut.ipynb", {"target": str(target)}, kernel=kernel)
    finally:
        starter.stop(kernel)
    return json.loads(target.read_text())


@pytest.fixture
def starter(tmp_path):
    starter = KernelStarter(tmp_path / "karnor.log")
    yield starter
    starter.close()


def test_each_notebook_runs_in_an_untouched_fork_with_imports_done(tmp_path, starter):
    first = _notebook(tmp_path / "a.ipynb", _FACTS, _MEDDLE, _WRITE)
    second = _notebook(tmp_path / "b.ipynb", _FACTS, _CHECK, _WRITE)
    a = _run(starter, first, tmp_path / "a.json", tmp_path / "jobb_a")
    b = _run(starter, second, tmp_path / "b.json", tmp_path / "jobb_b")
    template = starter.template.pid
    assert template is not None, starter.template.reason
    for facts, folder in ((a, "jobb_a"), (b, "jobb_b")):
        assert facts["parent"] == template  # forked from the template
        assert facts["imported"] == ["pandas", "statsmodels.api", "utvardering.registry"]
        assert facts["cwd"] == str(tmp_path / folder)
    assert a["pid"] != b["pid"] != template
    # each process draws its own random numbers, as a freshly started one does
    assert a["random"] != b["random"]
    log = (tmp_path / "karnor.log").read_text(encoding="utf-8")
    assert "utan kärnmall" not in log


def test_a_stopped_kernel_is_gone(tmp_path, starter):
    (tmp_path / "jobb").mkdir()
    kernel = starter.take(tmp_path / "jobb")
    pid = kernel.provisioner.pid
    os.kill(pid, 0)  # running
    starter.stop(kernel)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"kernel {pid} still runs after stop")


def test_without_fork_kernels_start_the_plain_way_and_the_log_says_so(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "fork")
    starter = KernelStarter(tmp_path / "karnor.log")
    try:
        assert starter.template.reason == "fork finns inte på den här plattformen"
        notebook = _notebook(tmp_path / "a.ipynb", _FACTS, _WRITE)
        facts = _run(starter, notebook, tmp_path / "a.json", tmp_path / "jobb")
    finally:
        starter.close()
    assert facts["parent"] == os.getpid()  # started by this process, not forked
    log = (tmp_path / "karnor.log").read_text(encoding="utf-8")
    assert "Kärnorna startas utan kärnmall: fork finns inte på den här plattformen" in log


def test_a_template_that_dies_costs_only_the_fork(tmp_path, starter):
    notebook = _notebook(tmp_path / "a.ipynb", _FACTS, _WRITE)
    before = _run(starter, notebook, tmp_path / "a.json", tmp_path / "jobb_a")
    os.kill(starter.template.pid, signal.SIGKILL)
    after = _run(starter, notebook, tmp_path / "b.json", tmp_path / "jobb_b")
    assert before["parent"] != os.getpid()
    assert after["parent"] == os.getpid()  # the plain way
    log = (tmp_path / "karnor.log").read_text(encoding="utf-8")
    assert "Kärnorna startas utan kärnmall: kärnmallen svarar inte" in log


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="räknar öppna filer i /proc")
def test_a_worker_keeps_no_sockets_or_threads_of_finished_notebooks(tmp_path, starter):
    """nbclient leaves the channels of a client it made for a given kernel running; the
    starter stops them, so that a worker running many notebooks does not run out of files."""
    import threading

    notebook = _notebook(tmp_path / "a.ipynb", "x = 1")
    counts = []
    for index in range(4):
        folder = tmp_path / f"jobb_{index}"
        folder.mkdir()
        kernel = starter.take(folder)
        run_papermill(notebook, folder / "ut.ipynb", {"target": ""}, kernel=kernel)
        starter.stop(kernel)
        counts.append((len(os.listdir(f"/proc/{os.getpid()}/fd")), threading.active_count()))
    (files, threads), (files_after, threads_after) = counts[1], counts[-1]
    assert files_after <= files + 2, counts
    assert threads_after <= threads, counts
