"""Where jobs run: an interface, and the local process pool that implements it.

A distributed engine (e.g. Dask) can implement :class:`Executor` without touching the rest:
it gets a picklable function and its picklable arguments and returns a future.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Executor", "JobOutcome", "LocalProcessExecutor", "execute_job"]


class Executor(ABC):
    """Runs job functions somewhere and hands back futures."""

    @abstractmethod
    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        """Start ``fn(*args)``; the future resolves to its return value."""

    @abstractmethod
    def shutdown(self, cancel: bool = False) -> None:
        """Release the workers; with ``cancel``, drop what has not started."""


def _ignore_sigint() -> None:
    # Ctrl-C is handled by the main process, which lets running jobs end cleanly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LocalProcessExecutor(Executor):
    """A pool of worker processes on this machine (default: one per core)."""

    def __init__(self, workers: int | None = None):
        self.workers = workers or os.cpu_count() or 1
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers, mp_context=context, initializer=_ignore_sigint
        )

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Future:
        return self._pool.submit(fn, *args)

    def shutdown(self, cancel: bool = False) -> None:
        processes = list((getattr(self._pool, "_processes", None) or {}).values())
        self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
        if cancel:  # running notebooks are stopped; their kernels exit with their parent
            for process in processes:
                process.terminate()


@dataclass(frozen=True)
class JobOutcome:
    """What became of one job: status ``klar`` or ``misslyckad``, time, and where it failed."""

    status: str
    seconds: float
    cell: int | None = None
    error: str | None = None


# Where the batch asks kernels to write their own output (set by run_batch for its workers).
KERNEL_LOG_ENV = "UTVARDERING_KARNLOGG"
_STARTERS: dict[int, Any] = {}


def _starter():
    """This worker thread's kernel starter (one kernel started ahead per worker)."""
    from utvardering.kernel import KernelStarter

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
    """
    import nbformat
    import papermill

    from utvardering.execute import run_papermill

    start = time.perf_counter()
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.stem}.{os.getpid()}.tmp.ipynb")
    outcome: JobOutcome
    # The whole-notebook limit needs the main thread (a process worker); elsewhere each cell
    # is still limited by papermill's execution timeout.
    use_alarm = (
        hasattr(signal, "SIGALRM")
        and timeout > 0
        and threading.current_thread() is threading.main_thread()
    )
    kernel = _starter().take(target.parent)
    if use_alarm:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        run_papermill(notebook, tmp, parameters, timeout=timeout, cwd=target.parent,
                      kernel=kernel)  # fmt: skip
        outcome = JobOutcome("klar", 0.0)
    except papermill.PapermillExecutionError as exc:
        last = (str(exc.evalue).strip().splitlines() or [""])[-1]
        outcome = JobOutcome("misslyckad", 0.0, exc.exec_count, f"{exc.ename}: {last}"[:300])
    except _Timeout:
        outcome = JobOutcome("misslyckad", 0.0, None, f"tidsgränsen {timeout:g} s överskreds")
    except Exception as exc:  # a kernel that dies, a notebook that cannot be read
        last = (str(exc).strip().splitlines() or [""])[-1]
        outcome = JobOutcome("misslyckad", 0.0, None, f"{type(exc).__name__}: {last}"[:300])
    finally:
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
        _starter().stop(kernel)
    seconds = time.perf_counter() - start
    if tmp.exists():
        executed = nbformat.read(tmp, as_version=4)
        meta = executed.metadata.setdefault("utvardering", {})
        meta["proveniens"] = {**provenance, "status": outcome.status, "sekunder": round(seconds, 2)}
        nbformat.write(executed, tmp)
        os.replace(tmp, target)
    return JobOutcome(outcome.status, seconds, outcome.cell, outcome.error)
