"""Batch runs: job matrix, parameter checks, failure isolation, cache, manifest, lock, resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import ROOT

from utvardering.batch import RunOptions, build_jobs, discover_reports, run_batch
from utvardering.batch.lock import OutputLock
from utvardering.batch.params import coerce_value, parse_assignment
from utvardering.cli import main
from utvardering.errors import ParameterError, ReportError

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna

FIXTURES = ROOT / "tests" / "fixtures" / "notebooks"


def _options(data_dir: Path, out: Path, **kwargs) -> RunOptions:
    kwargs.setdefault("regions", ("01", "03", "07"))
    kwargs.setdefault("workers", 2)
    return RunOptions(data_dir=data_dir, out_dir=out, notebook_dir=FIXTURES, **kwargs)


def _statuses(summary) -> dict[str, str]:
    return {r.job: r.status for r in summary.results}


def test_discovery_by_metadata():
    reports = discover_reports(FIXTURES)
    assert sorted(reports) == ["demo", "demo_syntes"]
    assert reports["demo"].level == "region" and reports["demo_syntes"].level == "nationell"
    assert reports["demo"].parameters["faktor"].type_name == "int"
    assert reports["demo"].inputs == {"enkatsvar": "region", "mognadsmodell": "alla"}


def test_duplicate_report_name_is_an_error(tmp_path):
    for name in ("a.ipynb", "b.ipynb"):
        (tmp_path / name).write_bytes((FIXTURES / "demo_region.ipynb").read_bytes())
    with pytest.raises(ReportError, match="finns i två notebookar"):
        discover_reports(tmp_path)


def test_matrix(tmp_path):
    reports = discover_reports(FIXTURES)
    jobs = build_jobs(reports, ["01", "07"], [], {"faktor": 3}, tmp_path / "d", tmp_path / "u")
    assert [j.id for j in jobs] == ["01/demo", "07/demo", "riket/demo_syntes"]
    assert jobs[0].parameters == {
        "lan_kod": "01",
        "data_dir": str(tmp_path / "d"),
        "utdata_dir": str(tmp_path / "u" / "01"),
        "faktor": 3,
    }
    assert jobs[2].parameters["korning_dir"] == str(tmp_path / "u")
    only = build_jobs(reports, ["01"], ["demo"], {}, tmp_path, tmp_path)
    assert [j.id for j in only] == ["01/demo"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"parameters": {"faktr": 2}}, "parametern faktr"),
        ({"parameters": {"faktor": "tre"}}, "ska vara heltal"),
        ({"regions": ("07", "99")}, "Okänd länskod: 99"),
        ({"regions": ("../x",)}, "Ogiltigt värde för län"),
        ({"reports": ("mognad",)}, "Okänd rapport: mognad"),
        ({"reports": ("../../etc",)}, "Ogiltigt värde för rapport"),
    ],
)
def test_parameters_checked_before_anything_runs(data_copy, tmp_path, kwargs, message):
    out = tmp_path / "ut"
    with pytest.raises(ParameterError, match=message):
        run_batch(_options(data_copy, out, **kwargs))
    assert not out.exists() or not list(out.rglob("*.ipynb"))


def test_parse_and_coerce_command_line_values():
    assert parse_assignment("omgang=2025") == ("omgang", "2025")
    assert coerce_value("2025", "int") == 2025
    assert coerce_value("2025", "float") == 2025.0
    assert coerce_value("[2014, 2023]", "list") == [2014, 2023]
    assert coerce_value("07", "str") == "07"
    assert coerce_value("ja", "bool") is True
    assert coerce_value("tre", "int") == "tre"  # left as text: the type check names it
    with pytest.raises(ParameterError):
        parse_assignment("utan_likhetstecken")


@pytest.fixture(scope="module")
def first_run(tmp_path_factory, small_panel):
    """One full run with region 03 deliberately broken (shared by the tests below)."""
    import shutil

    from conftest import DATA

    base = tmp_path_factory.mktemp("batch")
    data = base / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("foretagspanel.csv.gz"))
    small_panel.to_csv(data / "foretagspanel.csv", index=False)
    out = base / "ut"
    summary = run_batch(_options(data, out, parameters={"trasig_lan": "03"}))
    return data, out, summary


def test_failure_is_isolated(first_run):
    _, out, summary = first_run
    assert _statuses(summary) == {
        "01/demo": "klar",
        "03/demo": "misslyckad",
        "07/demo": "klar",
        "riket/demo_syntes": "klar",
    }
    failed = summary.failed[0]
    assert failed.cell is not None and "avsiktligt fel i 03" in failed.error
    kept = nbformat.read(out / "03" / "demo.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in kept.cells for o in c.get("outputs", []))
    synthesis = json.loads((out / "riket" / "demo_syntes.json").read_text())
    assert synthesis["klara"] == ["01", "07"]
    assert "03" in synthesis["saknade"] and synthesis["status"]["03"]["demo"] == "misslyckad"
    assert not list(out.rglob("*.tmp*"))


def test_manifest_and_provenance(first_run):
    _, out, summary = first_run
    manifest = json.loads((out / "korning.json").read_text())
    assert {j["job"] for j in manifest["jobb"]} == set(_statuses(summary))
    assert manifest["versioner"]["pandas"] == pd.__version__
    assert set(manifest["indata"]) >= {"enkatsvar", "projekt", "mognadsmodell"}
    job = json.loads((out / "07" / "demo.manifest.json").read_text())
    assert job["status"] == "klar" and job["parametrar"]["lan_kod"] == "07"
    assert "enkatsvar[07]" in job["indata"] and "mognadsmodell" in job["indata"]
    assert job["start"] <= job["slut"]
    executed = nbformat.read(out / "07" / "demo.ipynb", as_version=4)
    provenance = executed.metadata["utvardering"]["proveniens"]
    assert provenance["fingerprint"] == job["fingerprint"]
    assert provenance["indata"] == job["indata"]
    assert list((out / "korningar").glob("*.json"))


def test_cache_reruns_exactly_the_dependent_jobs(first_run):
    data, out, _ = first_run
    # unchanged: the finished jobs are skipped; the failed one runs (and fails) again
    again = run_batch(_options(data, out, parameters={"trasig_lan": "03"}))
    assert _statuses(again) == {
        "01/demo": "oforandrad",
        "03/demo": "misslyckad",
        "07/demo": "oforandrad",
        "riket/demo_syntes": "oforandrad",
    }
    # a parameter changes: every job that has it reruns, and so the synthesis
    fixed = run_batch(_options(data, out))
    assert set(_statuses(fixed).values()) == {"klar"}
    nothing = run_batch(_options(data, out))
    assert set(_statuses(nothing).values()) == {"oforandrad"}
    # one region's survey answers change: that region's report and the synthesis rerun
    survey = pd.read_csv(data / "enkatsvar.csv", dtype=str, keep_default_na=False)
    row = survey.index[(survey["lan_kod"] == "07") & (survey["svar"] != "")][0]
    survey.loc[row, "svar"] = "5" if survey.loc[row, "svar"] != "5" else "4"
    survey.to_csv(data / "enkatsvar.csv", index=False)
    changed = run_batch(_options(data, out))
    assert _statuses(changed) == {
        "01/demo": "oforandrad",
        "03/demo": "oforandrad",
        "07/demo": "klar",
        "riket/demo_syntes": "klar",
    }
    assert set(_statuses(run_batch(_options(data, out, force=True))).values()) == {"klar"}


def test_lock_refuses_a_second_run(data_copy, tmp_path):
    out = tmp_path / "ut"
    with OutputLock(out), pytest.raises(ReportError, match="En annan körning använder"):
        run_batch(_options(data_copy, out))


def test_timeout_fails_the_job(data_copy, tmp_path):
    summary = run_batch(
        _options(
            data_copy,
            tmp_path / "ut",
            regions=("07",),
            reports=("demo",),
            parameters={"vila": 30.0},
            timeout=5,
        )
    )
    result = summary.results[0]
    assert result.status == "misslyckad" and "tidsgränsen" in result.error
    assert result.seconds < 25


def test_cli_exit_code_and_summary(data_copy, tmp_path, capsys):
    code = main(
        [
            "kor",
            "--data",
            str(data_copy),
            "--utdata",
            str(tmp_path / "ut"),
            "--notebookar",
            str(FIXTURES),
            "--lan",
            "07",
            "03",
            "--rapport",
            "demo",
            "-p",
            "trasig_lan=07",
            "--tyst",
        ]
    )
    assert code == 1
    captured = capsys.readouterr()
    assert "07/demo: misslyckad" in captured.err and "avsiktligt fel i 07" in captured.err
    assert "2 jobb, 1 misslyckade" in captured.out


def test_interrupt_and_resume(data_copy, tmp_path):
    out = tmp_path / "ut"
    command = [
        sys.executable,
        "-m",
        "utvardering",
        "kor",
        "--data",
        str(data_copy),
        "--utdata",
        str(out),
        "--notebookar",
        str(FIXTURES),
        "--rapport",
        "demo",
        "--lan",
        "01",
        "03",
        "04",
        "05",
        "06",
        "07",
        "--jobb",
        "1",
        "-p",
        "vila=1.5",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not list(out.glob("*/demo.manifest.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    process.communicate(timeout=120)
    assert process.returncode == 130
    finished = {
        p.parent.name
        for p in out.glob("*/demo.manifest.json")
        if json.loads(p.read_text())["status"] == "klar"
    }
    assert 1 <= len(finished) < 6
    manifest = json.loads((out / "korning.json").read_text())
    assert any(j["status"] == "avbruten" for j in manifest["jobb"])
    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    statuses = {
        j["job"]: j["status"] for j in json.loads((out / "korning.json").read_text())["jobb"]
    }
    assert {k for k, v in statuses.items() if v == "oforandrad"} == {f"{c}/demo" for c in finished}
    assert all(v in ("klar", "oforandrad") for v in statuses.values())


def test_executor_is_pluggable(data_copy, tmp_path):
    """Another engine implements the two methods of Executor and runs the same jobs."""
    from concurrent.futures import ThreadPoolExecutor

    from utvardering.batch import Executor

    class Threads(Executor):
        def __init__(self):
            self.pool = ThreadPoolExecutor(max_workers=1)
            self.submitted = 0

        def submit(self, fn, /, *args):
            self.submitted += 1
            return self.pool.submit(fn, *args)

        def shutdown(self, cancel=False):
            self.pool.shutdown(wait=not cancel, cancel_futures=cancel)

    engine = Threads()
    summary = run_batch(
        _options(data_copy, tmp_path / "ut", regions=("07",), reports=("demo",)), executor=engine
    )
    assert engine.submitted == 1 and _statuses(summary) == {"07/demo": "klar"}


def test_kernels_share_the_cores(data_copy, tmp_path, monkeypatch):
    """Each parallel kernel gets its share of the cores for BLAS threads; the caller's
    environment is restored after the run."""
    import os

    import nbformat as nbf

    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    folder = tmp_path / "nb"
    folder.mkdir()
    notebook = nbf.read(FIXTURES / "demo_region.ipynb", as_version=4)
    notebook.cells.append(
        nbf.v4.new_code_cell(
            "import os\nfrom pathlib import Path\n"
            "Path(utdata_dir, 'tradar.txt').write_text(os.environ['OPENBLAS_NUM_THREADS'])"
        )
    )
    nbf.write(notebook, folder / "demo_region.ipynb")
    out = tmp_path / "ut"
    run_batch(
        RunOptions(data_dir=data_copy, out_dir=out, regions=("07",), workers=2, notebook_dir=folder)
    )
    assert (out / "07" / "tradar.txt").read_text() == "2"
    assert "OPENBLAS_NUM_THREADS" not in os.environ


def _summary_notebook(folder: Path) -> None:
    """A region report that reads the run (like the summary): it sums every region's demo
    result that exists, and reads the region's own file of the data folder."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "python3", "display_name": "Python 3", "language": "python"
    }  # fmt: skip
    notebook.metadata["language_info"] = {"name": "python"}
    notebook.metadata["utvardering"] = {
        "rapport": "demo_sammanfattning",
        "titel": "Sammanfattning",
        "niva": "region",
        "indata": {"lan": "alla"},
        "leser_korning": True,
        "filer": ["arshjul/{lan_kod}.yaml"],
    }
    parameters = nbformat.v4.new_code_cell(
        'lan_kod = "07"\ndata_dir = "../data"\nutdata_dir = "."\nkorning_dir = ".."'
    )
    parameters.metadata["tags"] = ["parameters"]
    body = nbformat.v4.new_code_cell(
        "import json\nfrom pathlib import Path\n"
        "egen = json.loads((Path(korning_dir) / lan_kod / 'demo.json').read_text())['n']\n"
        "alla = sorted(p.parent.name for p in Path(korning_dir).glob('*/demo.json'))\n"
        "(Path(utdata_dir) / 'demo_sammanfattning.json').write_text(\n"
        "    json.dumps({'egen': egen, 'alla': alla}))"
    )
    notebook.cells = [parameters, body]
    nbformat.write(notebook, folder / "demo_sammanfattning.ipynb")


def test_reports_that_read_the_run_run_after_the_region_reports(data_copy, tmp_path):
    import shutil

    notebooks = tmp_path / "notebookar"
    notebooks.mkdir()
    shutil.copy(FIXTURES / "demo_region.ipynb", notebooks)
    _summary_notebook(notebooks)
    reports = discover_reports(notebooks)
    assert reports["demo_sammanfattning"].reads_run
    out = tmp_path / "ut"
    jobs = build_jobs(reports, ["01", "07"], [], {}, data_copy, out)
    assert jobs[-1].parameters["korning_dir"] == str(out) and jobs[-1].reads_run
    assert "korning_dir" not in jobs[0].parameters

    def run():
        options = RunOptions(
            data_dir=data_copy, out_dir=out, regions=("01", "07"), notebook_dir=notebooks,
            workers=2,
        )  # fmt: skip
        return _statuses(run_batch(options))

    assert set(run().values()) == {"klar"}
    # Each summary saw every region's result: they ran after all the region jobs.
    for code in ("01", "07"):
        made = json.loads((out / code / "demo_sammanfattning.json").read_text())
        assert made["alla"] == ["01", "07"]
    assert set(run().values()) == {"oforandrad"}
    # A region's own file of the data folder reruns that region's summary only.
    (data_copy / "arshjul").mkdir()
    (data_copy / "arshjul" / "07.yaml").write_text("handelser: []\n", encoding="utf-8")
    assert run() == {
        "01/demo": "oforandrad",
        "07/demo": "oforandrad",
        "01/demo_sammanfattning": "oforandrad",
        "07/demo_sammanfattning": "klar",
    }
    manifest = json.loads((out / "07" / "demo_sammanfattning.manifest.json").read_text())
    assert manifest["indata"]["arshjul/07.yaml"] != "saknas"
    # A region report changes: every summary reruns (each compares with the other regions).
    survey = pd.read_csv(data_copy / "enkatsvar.csv", dtype=str, keep_default_na=False)
    row = survey.index[(survey["lan_kod"] == "01") & (survey["svar"] != "")][0]
    survey.loc[row, "svar"] = "5" if survey.loc[row, "svar"] != "5" else "4"
    survey.to_csv(data_copy / "enkatsvar.csv", index=False)
    assert run() == {
        "01/demo": "klar",
        "07/demo": "oforandrad",
        "01/demo_sammanfattning": "klar",
        "07/demo_sammanfattning": "klar",
    }
