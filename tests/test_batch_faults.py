"""Batch runs under faults: signals and hard kills, damaged state, write errors, bad folders."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT

from utvardering.batch import Executor, RunOptions, run_batch
from utvardering.batch.lock import OutputLock
from utvardering.cli import main
from utvardering.errors import ParameterError, ReportError
from utvardering.results import DamagedFileError, read_results, write_results

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna

psutil = pytest.importorskip("psutil")


class _Threads(Executor):
    """Jobs on threads of this process, so that a test can patch what a job calls."""

    def __init__(self):
        self.pool = ThreadPoolExecutor(max_workers=1)

    def submit(self, fn, /, *args):
        return self.pool.submit(fn, *args)

    def shutdown(self, cancel=False):
        self.pool.shutdown(wait=not cancel, cancel_futures=cancel)


def _options(data_dir: Path, out: Path, **kwargs) -> RunOptions:
    kwargs.setdefault("regions", ("07",))
    kwargs.setdefault("reports", ("demo",))
    kwargs.setdefault("workers", 1)
    return RunOptions(data_dir=data_dir, out_dir=out, notebook_dir=FIXTURES, **kwargs)


def _statuses(summary) -> dict[str, str]:
    return {r.job: r.status for r in summary.results}


# --- the helper that reads back the program's own JSON files ---------------------------------


def test_read_results_contract(tmp_path):
    assert read_results(tmp_path / "saknas.json") is None
    path = write_results(tmp_path / "a.json", {"x": 1})
    assert read_results(path) == {"x": 1}
    for damage in (b'{"x": 1', b"\xff\xfe garbage", b"[1, 2]", b"", b"[" * 100_000):
        path.write_bytes(damage)
        with pytest.raises(DamagedFileError, match="är skadad") as caught:
            read_results(path)
        assert caught.value.path == path and isinstance(caught.value, ReportError)
    (tmp_path / "mapp.json").mkdir()
    with pytest.raises(DamagedFileError):
        read_results(tmp_path / "mapp.json")


# --- damaged state ---------------------------------------------------------------------------


def test_garbage_in_the_validation_cache_is_a_cache_miss(data_copy, tmp_path):
    out = tmp_path / "ut"
    assert _statuses(run_batch(_options(data_copy, out))) == {"07/demo": "klar"}
    cache = out / ".cache" / "indata.json"
    for garbage in (b"\x00\x01 not json", b'{"key": ', b'["a list"]', b'{"key": 1}'):
        cache.write_bytes(garbage)
        again = run_batch(_options(data_copy, out))
        assert _statuses(again) == {"07/demo": "oforandrad"}
        assert read_results(cache)["files"]
    cache.write_bytes(b"\xff garbage")
    assert _statuses(run_batch(_options(data_copy, out, force=True))) == {"07/demo": "klar"}


@pytest.mark.parametrize("damage", [b'{"status": "klar", "fing', b"null"])
def test_damaged_job_manifest_reruns_the_job(data_copy, tmp_path, caplog, damage):
    out = tmp_path / "ut"
    options = _options(data_copy, out, regions=("01", "07"), reports=())
    assert set(_statuses(run_batch(options)).values()) == {"klar"}
    (out / "07" / "demo.manifest.json").write_bytes(damage)
    with caplog.at_level(logging.WARNING, logger="utvardering"):
        again = run_batch(options)
    # 07 runs again, to the same fingerprint: the synthesis that depends on it is unchanged
    assert _statuses(again) == {
        "01/demo": "oforandrad",
        "07/demo": "klar",
        "riket/demo_syntes": "oforandrad",
    }
    assert any(
        "demo.manifest.json" in r.getMessage() and "körs om" in r.getMessage()
        for r in caplog.records
    )
    assert read_results(out / "07" / "demo.manifest.json")["status"] == "klar"


def test_damaged_manifest_of_a_region_outside_the_run(data_copy, tmp_path):
    """The synthesis's status of all regions survives a damaged manifest it does not rerun."""
    out = tmp_path / "ut"
    assert set(_statuses(run_batch(_options(data_copy, out, regions=("01", "07"), reports=())))
               .values()) == {"klar"}  # fmt: skip
    (out / "07" / "demo.manifest.json").write_text('{"status": "kl', encoding="utf-8")
    summary = run_batch(_options(data_copy, out, regions=("01",), reports=()))
    assert _statuses(summary) == {"01/demo": "oforandrad", "riket/demo_syntes": "klar"}
    status = read_results(out / "status.json")["lan"]
    assert status["07"]["demo"] == "skadad" and status["01"]["demo"] == "klar"


def test_truncated_executed_notebook_is_rerun(data_copy, tmp_path):
    out = tmp_path / "ut"
    assert _statuses(run_batch(_options(data_copy, out))) == {"07/demo": "klar"}
    notebook = out / "07" / "demo.ipynb"
    notebook.write_bytes(notebook.read_bytes()[:500])
    again = run_batch(_options(data_copy, out))
    assert _statuses(again) == {"07/demo": "klar"}
    import nbformat

    nbformat.read(notebook, as_version=4)  # whole again
    assert _statuses(run_batch(_options(data_copy, out))) == {"07/demo": "oforandrad"}


def test_an_unwritten_notebook_is_not_read_and_a_rewritten_one_is(data_copy, tmp_path, monkeypatch):
    """With nothing changed, the executed notebook's stat (kept in its manifest) stands for its
    hash; a notebook written since, even to the same size and modification time, is hashed,
    and run again if its bytes differ."""
    import utvardering.batch.run as run_module

    out = tmp_path / "ut"
    assert _statuses(run_batch(_options(data_copy, out))) == {"07/demo": "klar"}
    notebook = out / "07" / "demo.ipynb"
    assert read_results(out / "07" / "demo.manifest.json")["notebook_stat"][1] == (
        notebook.stat().st_size
    )
    hashed = []
    real_hash = run_module.file_hash
    monkeypatch.setattr(run_module, "file_hash", lambda p: hashed.append(p) or real_hash(p))
    assert _statuses(run_batch(_options(data_copy, out))) == {"07/demo": "oforandrad"}
    assert notebook not in hashed
    # the same bytes written again: hashed, found the same, not run
    before = notebook.stat()
    notebook.write_bytes(notebook.read_bytes())
    assert _statuses(run_batch(_options(data_copy, out))) == {"07/demo": "oforandrad"}
    assert notebook in hashed
    # one byte changed, size and modification time put back: run again
    data = bytearray(notebook.read_bytes())
    data[data.index(b'"cells"') + 1] = ord("C")
    notebook.write_bytes(bytes(data))
    os.utime(notebook, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert notebook.stat().st_size == before.st_size
    assert _statuses(run_batch(_options(data_copy, out))) == {"07/demo": "klar"}


def test_leftover_temporary_files_are_removed(data_copy, tmp_path):
    out = tmp_path / "ut"
    (out / "07").mkdir(parents=True)
    left = [out / "07" / ".demo.4242.tmp.ipynb", out / "07" / ".demo.manifest.json.4242.tmp"]
    for path in left:
        path.write_text("{", encoding="utf-8")
    run_batch(_options(data_copy, out))
    assert not any(p.exists() for p in left)


# --- write errors ----------------------------------------------------------------------------


def test_a_job_that_cannot_write_fails_alone(data_copy, tmp_path):
    """A region 'folder' that is a file (as root, the one sure way to refuse writes)."""
    out = tmp_path / "ut"
    out.mkdir()
    (out / "07").write_text("inte en mapp", encoding="utf-8")
    summary = run_batch(_options(data_copy, out, regions=("01", "07"), reports=(), workers=2))
    assert _statuses(summary) == {
        "01/demo": "klar",
        "07/demo": "misslyckad",
        "riket/demo_syntes": "klar",
    }
    failed = summary.failed[0]
    assert "kunde inte skriva" in failed.error and str(out / "07") in failed.error
    run = read_results(out / "korning.json")
    assert {j["job"]: j["status"] for j in run["jobb"]}["07/demo"] == "misslyckad"
    assert read_results(out / "status.json")["lan"]["07"]["demo"] == "saknas"


def test_notebook_that_cannot_be_moved_into_place(data_copy, tmp_path, monkeypatch):
    out = tmp_path / "ut"
    assert _statuses(run_batch(_options(data_copy, out), executor=_Threads())) == {
        "07/demo": "klar"
    }
    before = (out / "07" / "demo.ipynb").read_bytes()
    real_replace = os.replace

    def refuse(src, dst, *args, **kwargs):
        if str(dst).endswith("demo.ipynb"):
            raise PermissionError(13, "Permission denied", str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", refuse)
    summary = run_batch(_options(data_copy, out, parameters={"faktor": 3}), executor=_Threads())
    monkeypatch.setattr(os, "replace", real_replace)
    result = summary.results[0]
    assert result.status == "misslyckad"
    assert result.error == f"kunde inte skriva {out / '07' / 'demo.ipynb'}: åtkomst nekad"
    assert (out / "07" / "demo.ipynb").read_bytes() == before
    assert read_results(out / "07" / "demo.manifest.json")["status"] == "misslyckad"
    assert not list((out / "07").glob(".*tmp*"))
    rerun = run_batch(_options(data_copy, out, parameters={"faktor": 3}), executor=_Threads())
    assert _statuses(rerun) == {"07/demo": "klar"}


def test_manifest_that_cannot_be_written(data_copy, tmp_path, monkeypatch):
    """The notebook is new but its manifest cannot be written: the job fails alone, the run
    finishes, and the next run does not take the old manifest for the new notebook."""
    import utvardering.batch.run as run_module

    out = tmp_path / "ut"
    options = _options(data_copy, out, regions=("01", "07"), reports=("demo",), workers=2)
    assert set(_statuses(run_batch(options)).values()) == {"klar"}
    real_write = run_module.write_results

    def refuse(path, data):
        path = Path(path)
        if path.name == "demo.manifest.json" and path.parent.name == "07":
            raise OSError(28, "No space left on device", str(path))
        return real_write(path, data)

    monkeypatch.setattr(run_module, "write_results", refuse)
    changed = RunOptions(**{**options.__dict__, "parameters": {"faktor": 5}})
    summary = run_batch(changed)
    monkeypatch.setattr(run_module, "write_results", real_write)
    assert _statuses(summary) == {"01/demo": "klar", "07/demo": "misslyckad"}
    assert summary.failed[0].error.startswith(f"kunde inte skriva {out / '07'}")
    assert "disken är full" in summary.failed[0].error
    assert read_results(out / "korning.json")["parametrar"] == {"faktor": 5}
    assert _statuses(run_batch(changed)) == {"01/demo": "oforandrad", "07/demo": "klar"}


def test_run_manifest_that_cannot_be_written(data_copy, tmp_path, capsys):
    out = tmp_path / "ut"
    out.mkdir()
    (out / "korningar").write_text("en fil där en mapp ska vara", encoding="utf-8")
    with pytest.raises(ReportError, match="kunde inte skriva"):
        run_batch(_options(data_copy, out))
    assert not (out / ".las").exists()
    code = main(
        ["kor", "--data", str(data_copy), "--utdata", str(out), "--notebookar", str(FIXTURES),
         "--lan", "07", "--rapport", "demo", "--tyst"]
    )  # fmt: skip
    assert code == 1
    err = capsys.readouterr().err
    assert "kunde inte skriva" in err and "Traceback" not in err


# --- folders and the lock --------------------------------------------------------------------


def test_missing_data_folder(tmp_path, capsys):
    out = tmp_path / "ut"
    with pytest.raises(ParameterError, match="finns inte"):
        run_batch(_options(tmp_path / "saknas", out))
    assert not out.exists()
    code = main(
        ["kor", "--data", str(tmp_path / "saknas"), "--utdata", str(out),
         "--notebookar", str(FIXTURES), "--tyst"]
    )  # fmt: skip
    err = capsys.readouterr().err
    assert code in (1, 2) and "finns inte" in err and "Traceback" not in err
    assert not out.exists()


def test_lock_file_is_removed_on_every_exit(data_copy, tmp_path):
    out = tmp_path / "ut"
    run_batch(_options(data_copy, out))
    assert not (out / ".las").exists()
    (data_copy / "enkatsvar.csv").write_text("helt;fel\n1;2\n", encoding="utf-8")
    with pytest.raises(Exception):  # noqa: B017 - a validation error, whichever it is
        run_batch(_options(data_copy, out))
    assert not (out / ".las").exists()


def test_lock_refusal_with_garbage_in_the_lock_file(tmp_path):
    with OutputLock(tmp_path) as held:
        held.path.write_bytes(b"\xff\xfe\x00")
        with pytest.raises(ReportError, match="En annan körning"):
            OutputLock(tmp_path).__enter__()
    assert not (tmp_path / ".las").exists()


def test_lock_on_an_output_folder_that_cannot_be_made(tmp_path):
    (tmp_path / "fil").write_text("x", encoding="utf-8")
    with pytest.raises(ReportError, match="kunde inte"):
        OutputLock(tmp_path / "fil" / "ut").__enter__()


# --- signals and hard kills ------------------------------------------------------------------


def _command(data: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "utvardering", "kor", "--data", str(data), "--utdata", str(out),
        "--notebookar", str(FIXTURES), "--rapport", "demo", "--lan", "01", "07",
        "--jobb", "2", "-p", "vila=8", *extra,
    ]  # fmt: skip


@contextlib.contextmanager
def _running(command: list[str]):
    """A run in its own session; every process it started is killed at the end."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    seen: set = set()
    try:
        yield process, seen
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        for proc in seen:
            with contextlib.suppress(psutil.Error):
                proc.kill()
        process.communicate(timeout=30)


def _wait_for_kernels(process, seen: set, out: Path) -> None:
    """Until both jobs' notebooks are running (their kernels busy), noting every descendant."""
    deadline = time.monotonic() + 120
    main_process = psutil.Process(process.pid)
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[1].decode()
        with contextlib.suppress(psutil.Error):
            seen.update(main_process.children(recursive=True))
        running = list(out.glob("*/.demo.*.tmp.ipynb"))
        kernels = [p for p in seen if _is_kernel(p)]
        if len(running) == 2 and len(kernels) >= 2:
            time.sleep(0.5)
            with contextlib.suppress(psutil.Error):
                seen.update(main_process.children(recursive=True))
            return
        time.sleep(0.2)
    raise AssertionError("the jobs did not start")


def _is_kernel(proc) -> bool:
    """A kernel started as a program (``-f <connection file>``), or forked from a worker's
    kernel template (a template's child)."""
    with contextlib.suppress(psutil.Error):
        if not proc.is_running():
            return False
        if "-f" in proc.cmdline():
            return True
        parent = proc.parent()
        return parent is not None and _TEMPLATE in proc.cmdline() and _TEMPLATE in parent.cmdline()
    return False


_TEMPLATE = "utvardering.kernel_template"


def _alive(processes: set) -> list:
    out = []
    for proc in processes:
        with contextlib.suppress(psutil.Error):
            if proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE:
                out.append(proc)
    return out


def _assert_all_gone(processes: set, within: float) -> None:
    deadline = time.monotonic() + within
    while _alive(processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    survivors = _alive(processes)
    assert not survivors, [p.cmdline() for p in survivors]


def _outputs(out: Path) -> set[Path]:
    return {p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}


def test_hard_kill_leaves_no_workers_or_kernels(data_copy, tmp_path):
    out = tmp_path / "ut"
    with _running(_command(data_copy, out)) as (process, seen):
        _wait_for_kernels(process, seen, out)
        before = _outputs(out)
        killed = time.monotonic()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        _assert_all_gone(seen, within=20)
        # the notebooks sleep 8 s: a worker that lived on would have written them by now
        time.sleep(max(0.0, killed + 12 - time.monotonic()))
        assert _outputs(out) == before
        assert not list(out.glob("*/demo.ipynb"))


def test_sigterm_stops_like_ctrl_c(data_copy, tmp_path):
    out = tmp_path / "ut"
    with _running(_command(data_copy, out)) as (process, seen):
        _wait_for_kernels(process, seen, out)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
        assert time.monotonic() - started < 15
        assert process.returncode == 130, err.decode()
        assert "Traceback" not in err.decode()
        _assert_all_gone(seen, within=20)
        manifest = read_results(out / "korning.json")
        assert {j["status"] for j in manifest["jobb"]} == {"avbruten"}
        for code in ("01", "07"):
            assert read_results(out / code / "demo.manifest.json")["status"] == "avbruten"
        assert not (out / ".las").exists()
        before = _outputs(out)
        time.sleep(max(0.0, started + 12 - time.monotonic()))
        assert _outputs(out) == before
        assert not list(out.glob("*/demo.ipynb"))


def test_single_notebook_into_a_folder_that_cannot_be_made(tmp_path):
    from utvardering.execute import execute_notebook

    (tmp_path / "fil").write_text("x", encoding="utf-8")
    with pytest.raises(ReportError, match="Kunde inte skriva"):
        execute_notebook(FIXTURES / "demo_region.ipynb", tmp_path / "fil" / "ut" / "demo.ipynb")


def test_status_file_that_cannot_be_written_fails_the_national_jobs_alone(data_copy, tmp_path):
    out = tmp_path / "ut"
    (out / "status.json").mkdir(parents=True)
    summary = run_batch(_options(data_copy, out, reports=()))
    assert _statuses(summary) == {"07/demo": "klar", "riket/demo_syntes": "misslyckad"}
    assert summary.failed[0].error.startswith(f"kunde inte skriva {out / 'status.json'}: ")
    assert read_results(out / "korning.json")["jobb"][1]["status"] == "misslyckad"


def test_an_interrupted_job_keeps_its_old_manifest_if_its_notebook_is_untouched(
    data_copy, tmp_path
):
    """After Ctrl-C, a job whose worker was stopped before it replaced the notebook gets its
    old manifest back (the old notebook is still whole); one whose notebook changed does not."""
    from utvardering.batch import build_jobs, discover_reports
    from utvardering.batch.run import _begin, _restore_or_abort

    out = tmp_path / "ut"
    run_batch(_options(data_copy, out, regions=("01", "07")), executor=_Threads())
    old = {c: read_results(out / c / "demo.manifest.json") for c in ("01", "07")}
    jobs = build_jobs(discover_reports(FIXTURES), ["01", "07"], ["demo"], {}, data_copy, out)
    begun = [_begin(job, {"fingerprint": "ny"}) for job in jobs]
    assert not list(out.glob("*/demo.manifest.json"))
    (out / "07" / "demo.ipynb").write_text("{", encoding="utf-8")  # replaced, cut short
    for job, provenance, previous in begun:
        _restore_or_abort(job, provenance, previous)
    assert read_results(out / "01" / "demo.manifest.json") == old["01"]
    assert read_results(out / "07" / "demo.manifest.json")["status"] == "avbruten"


def test_a_cache_folder_that_cannot_be_written_only_costs_time(data_copy, tmp_path):
    out = tmp_path / "ut"
    out.mkdir()
    (out / ".cache").write_text("en fil där cachemappen ska vara", encoding="utf-8")
    assert _statuses(run_batch(_options(data_copy, out))) == {"07/demo": "klar"}


def test_a_cell_that_cannot_write_names_the_path_in_swedish(data_copy, tmp_path):
    import nbformat as nbf

    folder = tmp_path / "nb"
    folder.mkdir()
    notebook = nbf.read(FIXTURES / "demo_region.ipynb", as_version=4)
    notebook.cells.append(
        nbf.v4.new_code_cell(
            "from pathlib import Path\n"
            "Path(utdata_dir, 'figur.png').mkdir(exist_ok=True)\n"
            "Path(utdata_dir, 'figur.png').write_bytes(b'')"
        )
    )
    nbf.write(notebook, folder / "demo_region.ipynb")
    out = tmp_path / "ut"
    summary = run_batch(
        RunOptions(data_dir=data_copy, out_dir=out, regions=("07",), notebook_dir=folder)
    )
    result = summary.results[0]
    assert result.status == "misslyckad" and result.cell is not None
    assert result.error == (
        f"kunde inte läsa eller skriva {out / '07' / 'figur.png'}: är en mapp, inte en fil"
    )
