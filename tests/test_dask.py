"""Batch runs on a Dask cluster (``--motor dask``): no shared filesystem, the same numbers as
the local executor, a worker killed mid-run, Ctrl-C, and the command line without Dask."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, REAL_REGIONS, ROOT

from utvardering.batch import RunOptions, dask_executor, run_batch
from utvardering.batch.dask_executor import (
    INSTALL_HINT,
    DaskExecutor,
    _map_text,
    _path_mapping,
    _run_files,
    _write_outputs,
)
from utvardering.batch.executor import JobSpec
from utvardering.batch.jobs import NATIONAL_FOLDER
from utvardering.cli import main
from utvardering.errors import ReportError
from utvardering.results import read_results
from utvardering.status import JobStatus
from utvardering.vocabulary import LAN_CODES

psutil = pytest.importorskip("psutil")
GUARD = ROOT / "tests" / "fixtures" / "skrivskydd"


def _guarded(tmp_path: Path, out: Path, workers: int = 2) -> DaskExecutor:
    """A local cluster whose workers (and their kernels) have scratch folders of their own
    and cannot write in ``out``: the write guard of tests/fixtures/skrivskydd, installed in
    each worker process and in the environment the kernels start with."""
    executor = DaskExecutor(
        workers=workers,
        local_directory=tmp_path / "arbetare",
        worker_env={"PYTHONPATH": str(GUARD), "UTVARDERING_SKRIVSKYDD": str(out)},
    )

    def install(guard: str) -> None:
        import importlib.util

        spec = importlib.util.spec_from_file_location("utvardering_skrivskydd", guard)
        spec.loader.exec_module(importlib.util.module_from_spec(spec))

    executor.client.run(install, str(GUARD / "sitecustomize.py"))
    return executor


def _assert_guard_holds(executor: DaskExecutor, out: Path) -> None:
    """The workers, and programs they start (as the kernels are), cannot write in ``out``."""

    def try_to_write(folder: str) -> list[str]:
        said = []
        try:
            Path(folder, "arbetaren.txt").write_text("x")
        except PermissionError as exc:
            said.append(str(exc))
        child = subprocess.run(
            [sys.executable, "-c", f"open({str(Path(folder, 'karnan.txt'))!r}, 'w')"],
            capture_output=True,
            text=True,
        )
        said.append(child.stderr.strip().splitlines()[-1] if child.returncode else "")
        return said

    out.mkdir(parents=True, exist_ok=True)
    answers = executor.client.run(try_to_write, str(out))
    assert len(answers) == 2
    for said in answers.values():
        assert len(said) == 2 and all("skrivskyddad" in s for s in said), said
    assert not list(out.glob("*.txt"))


def _results(out: Path) -> dict[str, dict]:
    """Every result file of a run, with the run's own output folder taken out."""
    found = {}
    for path in sorted(out.glob("*/*.json")):
        if path.name.endswith(".manifest.json") or not _job_folder(path.parent):
            continue
        text = path.read_text(encoding="utf-8").replace(str(out), "<utdata>")
        found[f"{path.parent.name}/{path.name}"] = json.loads(text)
    return found


def _figures(out: Path) -> dict[str, str]:
    return {
        f"{p.parent.name}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("*/*.png"))
        if _job_folder(p.parent)
    }


def _job_folder(folder: Path) -> bool:
    """A region's folder or the national one (not the cache, not the run history)."""
    return folder.name in LAN_CODES or folder.name == NATIONAL_FOLDER


# --- quick: what travels, what comes back, the command line ------------------------------------


def test_a_job_reading_the_run_gets_its_results_not_its_notebooks(tmp_path):
    out = tmp_path / "ut"
    for folder, names in {
        "07": ["tema.json", "tema.manifest.json", "tema.ipynb", "tema_karta.png", ".x.1.tmp"],
        "riket": ["syntes_underlag.json", "syntes_underlag_figur.png", "syntes.ipynb"],
        "korningar": ["2026.json"],
        ".cache": ["indata.json"],
    }.items():
        (out / folder).mkdir(parents=True)
        for name in names:
            (out / folder / name).write_bytes(name.encode())
    (out / "status.json").write_text("{}")
    (out / "korning.json").write_text("{}")
    assert sorted(_run_files(out)) == [
        "07/tema.json",
        "07/tema.manifest.json",
        "riket/syntes_underlag.json",
        "riket/syntes_underlag_figur.png",
        "status.json",
    ]


def _spec(tmp_path: Path) -> JobSpec:
    out = tmp_path / "ut"
    return JobSpec(
        job="07/demo",
        notebook=tmp_path / "notebooks" / "demo.ipynb",
        output=out / "07" / "demo.ipynb",
        parameters={},
        timeout=60,
        provenance={},
        data_dir=tmp_path / "data",
        out_dir=out,
    )


def test_the_files_a_worker_made_are_written_with_this_machines_folders(tmp_path):
    spec = _spec(tmp_path)
    theirs = {"utdata": "/arbetare/jobb/1/utdata", "data": "/arbetare/data/ab"}
    mapping = _path_mapping(theirs, spec)
    notebook = json.dumps({"data_dir": "/arbetare/data/ab", "ut": "/arbetare/jobb/1/utdata/07"})
    files = {
        "demo.ipynb": notebook.encode(),
        "demo.json": b'{"utdata_dir": "/arbetare/jobb/1/utdata/07"}',
        "demo_figur.png": b"\x89PNG /arbetare/data/ab",
    }
    digest = _write_outputs(spec, files, mapping)
    folder = spec.output.parent
    written = json.loads((folder / "demo.ipynb").read_text())
    assert written == {"data_dir": str(tmp_path / "data"), "ut": str(folder)}
    assert json.loads((folder / "demo.json").read_text()) == {"utdata_dir": str(folder)}
    assert (folder / "demo_figur.png").read_bytes() == files["demo_figur.png"]  # bytes as sent
    assert digest == hashlib.sha256((folder / "demo.ipynb").read_bytes()).hexdigest()
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]
    assert _map_text("fel i /arbetare/jobb/1/utdata/07/x", mapping) == f"fel i {folder}/x"


def test_a_file_outside_the_jobs_folder_is_refused(tmp_path):
    spec = _spec(tmp_path)
    with pytest.raises(OSError, match="utanför"):
        _write_outputs(spec, {"../../utanfor.json": b"{}"}, [])
    assert not (tmp_path / "utanfor.json").exists()


def test_the_cores_are_shared_among_the_workers_of_a_host():
    class Client:
        def nthreads(self):
            return {"tcp://10.0.0.5:4001": 1, "tcp://10.0.0.5:4002": 1, "tls://[::1]:9": 4}

    executor = DaskExecutor.__new__(DaskExecutor)
    executor._lock, executor._client = threading.Lock(), Client()
    assert executor.slots(1) == 6
    assert executor._host_threads == {"10.0.0.5": 2, "[::1]": 4}


def test_a_folder_that_json_would_escape_keeps_the_workers_name(tmp_path, caplog):
    spec = _spec(tmp_path / 'med"citat')
    with caplog.at_level(logging.WARNING):
        mapping = _path_mapping({"utdata": "/arbetare/ut", "data": "/arbetare/data"}, spec)
    assert mapping == []
    assert "inte kan bytas in" in caplog.text


def test_a_job_whose_workers_all_died_fails_alone_with_a_message(tmp_path):
    from distributed.scheduler import KilledWorker

    class Lost:
        def result(self):
            raise KilledWorker("x", "tcp://127.0.0.1:1", 1)

    executor = DaskExecutor.__new__(DaskExecutor)
    executor._lock = threading.Lock()
    executor._running = set()
    executor._closing = threading.Event()
    outcome = executor._finish(_spec(tmp_path), Lost())
    assert outcome.status == JobStatus.MISSLYCKAD
    assert "arbetaren avslutades oväntat" in outcome.error
    assert not (tmp_path / "ut").exists()


def test_motor_dask_without_dask_says_how_to_install(data_copy, tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "distributed" else real(name, *a),
    )
    argv = ["kor", "--data", str(data_copy), "--utdata", str(tmp_path / "ut"), "--motor", "dask"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"Fel: {INSTALL_HINT}"]
    assert "pip install 'utvardering[dask]'" in err
    assert not (tmp_path / "ut").exists()
    with pytest.raises(ReportError, match=r"utvardering\[dask\]"):
        DaskExecutor()


def test_a_scheduler_needs_motor_dask(data_copy, tmp_path, capsys):
    argv = ["kor", "--data", str(data_copy), "--utdata", str(tmp_path / "ut")]
    assert main([*argv, "--schemalaggare", "tcp://127.0.0.1:8786"]) == 2
    assert "--schemalaggare gäller bara med --motor dask" in capsys.readouterr().err


@pytest.mark.langsam  # waits out the client's time to connect
def test_an_unreachable_scheduler_is_said_in_swedish(data_copy, tmp_path, capsys):
    argv = ["kor", "--data", str(data_copy), "--utdata", str(tmp_path / "ut"), "--lan", "07"]
    argv += ["--notebookar", str(FIXTURES), "--rapport", "demo", "--motor", "dask"]
    # a port where no scheduler listens: refused at once
    code = main([*argv, "--schemalaggare", "tcp://127.0.0.1:9"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Kunde inte ansluta till Dask-schemaläggaren tcp://127.0.0.1:9" in err


# --- on a local cluster (kernels) ----------------------------------------------------------------


@pytest.mark.karna
def test_dask_run_gives_the_local_numbers_without_writing_in_the_output_folder(
    data_copy, tmp_path, monkeypatch
):
    seen: list[dict[str, str]] = []
    mapping = dask_executor._path_mapping

    def record(folders, spec):
        seen.append(dict(folders))
        return mapping(folders, spec)

    monkeypatch.setattr(dask_executor, "_path_mapping", record)
    # 12's notebook fails on purpose: it fails alone, as with the local executor
    options = {
        "data_dir": data_copy,
        "regions": ("01", "07", "12"),
        "notebook_dir": FIXTURES,
        "parameters": {"trasig_lan": "12"},
    }
    local = tmp_path / "lokal"
    first = run_batch(RunOptions(out_dir=local, workers=2, **options))
    out = tmp_path / "dask"
    executor = _guarded(tmp_path, out)
    _assert_guard_holds(executor, out)
    fetched, distinct = [], []
    shutdown = executor.shutdown

    def note_fetches_then_shutdown(cancel=False):
        events = executor.client.get_events(dask_executor.FETCH_EVENT)
        fetched.extend((e["arbetare"], e["fil"]) for _, e in events)
        distinct.append(len(executor._files))
        shutdown(cancel)

    monkeypatch.setattr(executor, "shutdown", note_fetches_then_shutdown)
    summary = run_batch(RunOptions(out_dir=out, engine="dask", **options), executor=executor)
    statuses = {r.job: r.status for r in summary.results}
    assert (
        statuses
        == {r.job: r.status for r in first.results}
        == {
            "01/demo": "klar",
            "07/demo": "klar",
            "12/demo": "misslyckad",
            "riket/demo_syntes": "klar",
        }
    )
    [failed] = summary.failed
    assert "avsiktligt fel i 12" in failed.error and failed.cell is not None
    assert "avsiktligt fel i 12" in (out / "12" / "demo.ipynb").read_text(encoding="utf-8")
    assert _results(out) == _results(local)
    assert _results(out)["riket/demo_syntes.json"]["klara"] == ["01", "07"]
    # each worker received each file once, however many of its jobs read it: the data
    # files, and the run's result files that the synthesis read
    data_files = {
        hashlib.sha256(p.read_bytes()).hexdigest()
        for p in data_copy.iterdir()
        if p.is_file() and not p.name.startswith(".")
    }
    assert len(fetched) == len(set(fetched)), fetched
    assert data_files <= {f for _, f in fetched}
    assert len(fetched) <= 2 * distinct[0] and distinct[0] > len(data_files)
    # the jobs ran in the workers' own scratch folders (the folders they sent back)
    scratch = tmp_path / "arbetare"
    assert len(seen) == 4
    for folders in seen:
        assert set(folders) == {"utdata", "data", "notebook"}
        assert all(Path(f).is_relative_to(scratch) for f in folders.values()), folders
    # the executed notebook names this machine's folders, as a local run's does
    notebook = (out / "07" / "demo.ipynb").read_text(encoding="utf-8")
    assert str(out / "07") in notebook and str(data_copy) in notebook
    assert str(scratch) not in notebook
    manifest = read_results(out / "07" / "demo.manifest.json")
    assert (
        manifest["notebook_sha256"]
        == hashlib.sha256((out / "07" / "demo.ipynb").read_bytes()).hexdigest()
    )
    # the run's manifest says where it ran, with how many jobs at a time
    run = read_results(out / "korning.json")
    assert (run["motor"], run["arbetare"], run["schemalaggare"]) == ("dask", 2, None)
    assert read_results(local / "korning.json")["motor"] == "lokal"
    # a second run runs only the failed job again, as with the local executor
    again = run_batch(RunOptions(out_dir=out, engine="dask", **options))
    assert {r.job: r.status for r in again.results} == {
        "01/demo": "oforandrad",
        "07/demo": "oforandrad",
        "12/demo": "misslyckad",
        "riket/demo_syntes": "oforandrad",
    }


@pytest.mark.karna
def test_real_reports_on_dask_match_the_local_run(published_real, tmp_path):
    """Two regions × every report (each region's summary and learning plan and the national
    synthesis read the run; the synthesis' part is drawn ahead of it) with the local executor
    and on a guarded local cluster: the same result files, and the same figures byte for
    byte. The data is the session's reduced copy (published_real's)."""
    _, fixture_run = published_real
    options = {
        "data_dir": fixture_run.manifest.parent.parent / "data",
        "regions": REAL_REGIONS,
        "notebook_dir": ROOT / "notebooks",
    }
    local = tmp_path / "lokal"
    local_run = run_batch(RunOptions(out_dir=local, workers=2, **options))
    out = tmp_path / "dask"
    executor = _guarded(tmp_path, out)
    summary = run_batch(RunOptions(out_dir=out, engine="dask", **options), executor=executor)
    assert not summary.failed and not local_run.failed, summary.failed
    assert [r.job for r in summary.results] == [r.job for r in local_run.results]
    assert {"riket/syntes", "riket/syntes_underlag", "07/sammanfattning"} <= {
        r.job for r in summary.results
    }
    mine, theirs = _results(out), _results(local)
    assert mine.keys() == theirs.keys() and len(mine) == len(summary.results)
    for name in mine:
        assert mine[name] == theirs[name], name
    assert _figures(out) == _figures(local) and len(_figures(out)) > 50


def _run_command(data: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "utvardering", "kor", "--data", str(data), "--utdata", str(out),
        "--notebookar", str(FIXTURES), "--rapport", "demo", "--lan", "01", "07",
        "--motor", "dask", "--jobb", "2", *extra,
    ]  # fmt: skip


@pytest.mark.karna
def test_a_worker_killed_mid_job_costs_a_retry_not_the_run(data_copy, tmp_path, caplog):
    out = tmp_path / "ut"
    executor = DaskExecutor(workers=2, local_directory=tmp_path / "arbetare")
    options = RunOptions(
        data_dir=data_copy,
        out_dir=out,
        regions=("01", "07", "12"),
        reports=("demo",),
        parameters={"vila": 4},
        notebook_dir=FIXTURES,
        engine="dask",
    )
    killed: list[str] = []

    def kill_a_busy_worker() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            busy = [
                worker
                for worker, keys in executor.client.processing().items()
                if any(not str(k).startswith("utvardering-fil-") for k in keys)
            ]
            if busy:
                time.sleep(1.5)  # its notebook is running
                pid = executor.client.run(os.getpid, workers=[busy[0]])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.1)

    assert executor.client is not None  # the cluster is up before the run starts
    killer = threading.Thread(target=kill_a_busy_worker, daemon=True)
    killer.start()
    with caplog.at_level(logging.WARNING):
        summary = run_batch(options, executor=executor)
    killer.join(5)
    assert killed, "no worker was busy"
    assert {r.job: r.status for r in summary.results} == {
        "01/demo": "klar",
        "07/demo": "klar",
        "12/demo": "klar",
    }
    assert "startades 2 gånger" in caplog.text and killed[0] in caplog.text
    for code in ("01", "07", "12"):
        assert read_results(out / code / "demo.json")["lan_kod"] == code


@pytest.mark.karna
def test_ctrl_c_stops_the_cluster_and_writes_nothing_after(data_copy, tmp_path):
    out = tmp_path / "ut"
    command = _run_command(data_copy, out, "-p", "vila=15")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    seen: set = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[1].decode()
            seen.update(_descendants(process.pid))
            # each worker starts its kernel template at its first job
            if len([p for p in seen if _is(p, _TEMPLATE)]) >= 2:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("the jobs did not start")
        time.sleep(4)  # the notebooks run (they take 15 s)
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=60)
        assert process.returncode == 130, err.decode()
        assert "Traceback" not in err.decode()
        deadline = time.monotonic() + 20
        seen.update(_descendants(process.pid))
        while [p for p in seen if _alive(p)] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [p.pid for p in seen if _alive(p)]
        manifest = read_results(out / "korning.json")
        assert {j["status"] for j in manifest["jobb"]} == {"avbruten"}
        assert not (out / ".las").exists()
        before = sorted(p for p in out.rglob("*") if p.is_file())
        time.sleep(max(0.0, started + 18 - time.monotonic()))  # the notebooks sleep 15 s
        assert sorted(p for p in out.rglob("*") if p.is_file()) == before
        assert not list(out.glob("*/demo.ipynb")) and not list(out.glob("*/demo.json"))
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for proc in seen:
            with contextlib.suppress(psutil.Error):
                proc.kill()


_TEMPLATE = "utvardering.kernel_template"


def _descendants(pid: int) -> set:
    """Every process whose ancestors include ``pid`` (one that ends meanwhile is left out)."""
    found = set()
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if pid in (p.pid for p in proc.parents()):
                found.add(proc)
    return found


def _is(proc, module: str) -> bool:
    with contextlib.suppress(psutil.Error, AttributeError):
        return proc.is_running() and module in proc.cmdline()
    return False


def _alive(proc) -> bool:
    with contextlib.suppress(psutil.Error):
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    return False


@pytest.mark.karna
def test_a_notebook_past_its_time_limit_on_a_worker_fails_alone(data_copy, tmp_path):
    out = tmp_path / "ut"
    slow = run_batch(
        RunOptions(
            data_dir=data_copy,
            out_dir=out,
            regions=("07",),
            reports=("demo",),
            parameters={"vila": 60},
            notebook_dir=FIXTURES,
            engine="dask",
            workers=1,
            timeout=6,
        )
    )
    [result] = slow.results
    assert result.status == "misslyckad"
    assert result.error == "tidsgränsen 6 s överskreds"
    assert result.seconds < 40
