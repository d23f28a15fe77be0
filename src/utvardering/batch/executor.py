"""Where jobs run: an interface, and the local process pool that implements it.

An executor runs a :class:`JobSpec` (:meth:`Executor.run_job`) and hands back a future of its
:class:`JobOutcome`. The local pool runs :func:`execute_job` in a worker process on this
machine, which reads and writes the run's folders itself; the Dask executor
(:mod:`utvardering.batch.dask_executor`) sends the job's files to a worker and writes what it
made on this machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import signal
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from utvardering.errors import describe_os_error
from utvardering.execute import run_papermill
from utvardering.kernel import KernelStarter, die_with_parent
from utvardering.status import JobStatus

__all__ = [
    "Executor",
    "JobOutcome",
    "JobSpec",
    "LocalProcessExecutor",
    "execute_job",
    "write_error",
]


@dataclass(frozen=True)
class JobSpec:
    """What a job needs to run anywhere: its notebook, where its executed copy goes, its
    parameters and time limit, the provenance its notebook carries, and the run's folders
    (``data_dir``; ``out_dir``, whose results a job that reads the run reads)."""

    job: str
    notebook: Path
    output: Path
    parameters: dict[str, Any]
    timeout: float
    provenance: dict[str, Any]
    data_dir: Path
    out_dir: Path
    reads_run: bool = False


class Executor(ABC):
    """Runs jobs somewhere and hands back futures of their :class:`JobOutcome`."""

    @abstractmethod
    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Start ``fn(*args)``; the future resolves to its return value."""

    @abstractmethod
    def shutdown(self, cancel: bool = False) -> None:
        """Release the workers; with ``cancel``, drop what has not started and stop what
        runs, so that nothing is written after this returns."""

    def run_job(self, spec: JobSpec) -> Future:
        """Run one notebook; the future resolves to its :class:`JobOutcome`. By default
        :func:`execute_job` in a worker that sees this machine's folders."""
        return self.submit(
            execute_job,
            str(spec.notebook),
            str(spec.output),
            spec.parameters,
            spec.timeout,
            spec.provenance,
        )

    # The jobs kept sent at a time in the run's last phase (None before any job was sent).
    used_slots: int | None = None

    def slots(self, default: int) -> int:
        """How many jobs to keep sent at a time (``default``: the workers asked for)."""
        return default


# The process that started this worker (set in each pool worker by _init_worker).
_PARENT: int | None = None


def _parent_gone() -> bool:
    return _PARENT is not None and os.getppid() != _PARENT


def _init_worker(parent: int) -> None:
    """Set up a pool worker: Ctrl-C is the main process's business, and the worker (with its
    kernels) ends when the main process ends, also after ``kill -9``."""
    global _PARENT
    _PARENT = parent
    # Ctrl-C is handled by the main process, which lets running jobs end cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)
    threading.Thread(target=_watch_parent, name="foralder", daemon=True).start()


def _watch_parent() -> None:
    # The portable fallback of the parent-death signal (which only Linux has).
    while not _parent_gone():
        time.sleep(0.5)
    os._exit(1)


class LocalProcessExecutor(Executor):
    """A pool of worker processes on this machine (default: one per core), made at the first
    job: a run with nothing to do starts none and imports no multiprocessing."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        self._pool = None

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(os.getpid(),),
            )
        return self._pool.submit(fn, *args)

    def shutdown(self, cancel: bool = False) -> None:
        if self._pool is None:
            return
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if cancel:  # running notebooks are stopped; their kernels die with their worker
            for process in processes:
                process.terminate()
            deadline = time.monotonic() + 5
            for process in processes:  # gone before the caller writes or releases its lock
                process.join(max(0.0, deadline - time.monotonic()))
                if process.is_alive():
                    process.kill()
                    process.join(5)


@dataclass(frozen=True)
class JobOutcome:
    """What became of one job: status ``klar`` or ``misslyckad``, time, where it failed, and
    the SHA-256 of the executed notebook it wrote (None if it wrote none)."""

    status: JobStatus
    seconds: float
    cell: int | None = None
    error: str | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", JobStatus(self.status))


# Where the batch asks kernels to write their own output (set by run_batch for its workers).
KERNEL_LOG_ENV = "UTVARDERING_KARNLOGG"
_STARTERS: dict[int, Any] = {}


def _starter():
    """This worker thread's kernel starter (one kernel started ahead per worker)."""
    key = threading.get_ident()
    if key not in _STARTERS:
        log = os.environ.get(KERNEL_LOG_ENV)
        _STARTERS[key] = KernelStarter(Path(log) if log else None)
    return _STARTERS[key]


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout


def execute_job(
    notebook: str,
    output: str,
    parameters: dict[str, Any],
    timeout: float,
    provenance: dict[str, Any],
) -> JobOutcome:
    """Run one notebook with papermill into ``output`` (written via a temporary file).

    A failing notebook is kept with papermill's error cell. ``timeout`` bounds the whole
    notebook (and each cell). The executed notebook carries ``provenance`` in its metadata.
    A job that cannot write its notebook fails with a message that names the path. In a pool
    worker whose main process has gone, nothing is written: the worker ends.
    """
    # papermill is imported where a job runs: the command line imports this module and
    # starts without it
    import papermill

    start = time.perf_counter()
    target = Path(output)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.{threading.get_ident()}.tmp.ipynb")
    try:  # a folder that cannot be written fails the job before a kernel starts
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp.touch()
        tmp.unlink()
    except OSError as exc:
        return JobOutcome(
            JobStatus.MISSLYCKAD, time.perf_counter() - start, None, write_error(target, exc)
        )
    outcome: JobOutcome
    # The whole-notebook limit needs the main thread (a process worker); elsewhere each cell
    # is still limited by papermill's execution timeout.
    use_alarm = (
        hasattr(signal, "SIGALRM")
        and timeout > 0
        and threading.current_thread() is threading.main_thread()
    )
    kernel = None
    watchdog: threading.Timer | None = None
    expired = threading.Event()
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        kernel = _starter().take(target.parent)
        if not use_alarm and timeout > 0:
            # Elsewhere (a thread of a Dask worker) the whole-notebook limit kills the kernel.
            watchdog = threading.Timer(timeout, _expire, (kernel, expired))
            watchdog.daemon = True
            watchdog.start()
        run_papermill(notebook, tmp, parameters, timeout=timeout, cwd=target.parent,
                      kernel=kernel)  # fmt: skip
        outcome = JobOutcome(JobStatus.KLAR, 0.0)
    except papermill.PapermillExecutionError as exc:
        last = (str(exc.evalue).strip().splitlines() or [""])[-1]
        error = _file_error(exc.ename, last) or f"{exc.ename}: {last}"
        outcome = JobOutcome(JobStatus.MISSLYCKAD, 0.0, exc.exec_count, error[:300])
    except _Timeout:
        outcome = JobOutcome(
            JobStatus.MISSLYCKAD, 0.0, None, f"tidsgränsen {timeout:g} s överskreds"
        )
    except Exception as exc:  # a kernel that dies, a notebook that cannot be read
        last = (str(exc).strip().splitlines() or [""])[-1]
        outcome = JobOutcome(JobStatus.MISSLYCKAD, 0.0, None, f"{type(exc).__name__}: {last}"[:300])
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
        if watchdog is not None:
            watchdog.cancel()
        if kernel is not None:
            _starter().stop(kernel)
    if expired.is_set():
        outcome = JobOutcome(
            JobStatus.MISSLYCKAD, 0.0, None, f"tidsgränsen {timeout:g} s överskreds"
        )
    seconds = time.perf_counter() - start
    digest = None
    if tmp.exists():
        try:
            digest = _finish_notebook(tmp, target, provenance, outcome.status, seconds)
        except OSError as exc:
            outcome = JobOutcome(JobStatus.MISSLYCKAD, 0.0, None, write_error(target, exc))
        except Exception as exc:  # papermill left a notebook that cannot be read back
            last = (str(exc).strip().splitlines() or [""])[-1]
            error = f"den körda notebooken kunde inte läsas ({type(exc).__name__}: {last})"
            outcome = JobOutcome(JobStatus.MISSLYCKAD, 0.0, None, error[:300])
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    return JobOutcome(outcome.status, seconds, outcome.cell, outcome.error, digest)


def _expire(kernel: Any, expired: threading.Event) -> None:
    """The notebook ran past its time: kill its kernel (papermill then ends the run)."""
    expired.set()
    process = getattr(getattr(kernel, "provisioner", None), "process", None)
    with contextlib.suppress(Exception):  # already gone
        process.kill()


def _finish_notebook(
    tmp: Path, target: Path, provenance: dict[str, Any], status: JobStatus, seconds: float
) -> str:
    """Add the provenance to the executed notebook and move it into place; its SHA-256."""
    import nbformat  # where a job runs (in a worker), not where the command line starts

    executed = nbformat.read(tmp, as_version=4)
    meta = executed.metadata.setdefault("utvardering", {})
    meta["proveniens"] = {**provenance, "status": status.value, "sekunder": round(seconds, 2)}
    text = nbformat.writes(executed)
    data = (text if text.endswith("\n") else text + "\n").encode("utf-8")
    with tmp.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    if _parent_gone():  # the run is over and its lock released: write nothing more
        tmp.unlink(missing_ok=True)
        os._exit(1)
    os.replace(tmp, target)
    return hashlib.sha256(data).hexdigest()


# An operating system error as Python shows it: "[Errno 13] Permission denied: '/a/b'".
_OS_ERROR = re.compile(r"^\[Errno (\d+)\] [^:]*: '(.+?)'")
_OS_ERRORS = {
    "OSError", "PermissionError", "FileNotFoundError", "FileExistsError", "IsADirectoryError",
    "NotADirectoryError", "BlockingIOError", "InterruptedError",
}  # fmt: skip


def _file_error(name: str, value: str) -> str | None:
    """A notebook cell's failure to read or write a file, in Swedish and with its path."""
    match = _OS_ERROR.match(value)
    if name not in _OS_ERRORS or match is None:
        return None
    text = describe_os_error(OSError(int(match.group(1)), value))
    return f"kunde inte läsa eller skriva {match.group(2)}: {text}"


def write_error(path: Path, exc: OSError) -> str:
    """The message of a job that could not write ``path``, in Swedish."""
    return f"kunde inte skriva {path}: {describe_os_error(exc)}"
