"""Jobs on a Dask cluster (``utvardering kor --motor dask``), with no shared filesystem.

A worker may be on another machine and see none of this machine's folders. So a job carries
what it reads and brings back what it made:

- **In:** the notebook's bytes, its parameters, and the names and SHA-256 of every file of
  the data folder (and, for a job that reads the run, of the run's result files). Each
  distinct file is a Dask task of its own, keyed by its hash (``utvardering-fil-<sha256>``)
  and published under a name of the run's own for the run's duration: the scheduler keeps the
  bytes, and recomputes a copy that a lost worker held.
- **On the worker** (:func:`run_remote`): a file is fetched only if the worker's own store
  (``filer/<sha256>`` in Dask's ``local_directory`` of the worker) does not have it, so each
  worker receives each file once, and a job's placement does not depend on where its files
  are. The files are laid out there: the data folder once per set of files, so that the
  kernels' cache of validated data serves every job of the run; each job in a folder of its
  own that is removed afterwards. The notebook runs with
  :func:`~utvardering.batch.executor.execute_job` as in a local worker, with the folders in
  its parameters pointing there.
- **Out:** the files the job wrote in its output folder (executed notebook, result file,
  figures, workbooks), as bytes. This machine writes them into the output folder (each via a
  temporary file), with the worker's folders in the notebook and the result files replaced
  by this machine's, so that the output folder, its manifests, the cache and the lock work
  as with the local executor.

A worker that dies mid-job: the scheduler starts the job again on another worker, once (the
local cluster is started with ``distributed.scheduler.allowed-failures`` = 1; a scheduler of
your own decides for itself, see docs/kluster.md). The run's log says that the job was
started again; a job whose second worker dies too fails alone, with a message, and the run
goes on.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from utvardering.batch.executor import (
    KERNEL_LOG_ENV,
    Executor,
    JobOutcome,
    JobSpec,
    execute_job,
    write_error,
)
from utvardering.batch.fingerprint import file_stat
from utvardering.defaults import CACHE_ENV
from utvardering.errors import ReportError
from utvardering.status import JobStatus

__all__ = ["INSTALL_HINT", "DaskExecutor", "RemoteResult", "dask_available", "run_remote"]

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "Motorn dask kräver Dask. Installera det med: pip install 'utvardering[dask]' "
    "(i en klon av förrådet: .venv/bin/pip install -e '.[dask]')."
)
# The name of the workers' log events, one per job start (a job started twice was retried),
# and one per file a worker fetched.
EVENT = "utvardering-jobb"
FETCH_EVENT = "utvardering-fil"
_FILE_KEY = "utvardering-fil-"
# A job's files that name folders: the worker's folders in them are replaced by this machine's.
_TEXT_SUFFIXES = (".ipynb", ".json")
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def dask_available() -> bool:
    """Whether ``dask.distributed`` can be imported (the ``[dask]`` extra is installed)."""
    import importlib.util

    return importlib.util.find_spec("distributed") is not None


@dataclass(frozen=True)
class RemoteResult:
    """What a worker sends back: the job's outcome, the files it wrote in its output folder
    (path relative to it → bytes), and the worker's folders that those files may name."""

    outcome: JobOutcome
    files: dict[str, bytes]
    folders: dict[str, str]  # role ("utdata", "data", "notebook") → the worker's folder


def _content(data: bytes) -> bytes:
    """A file's bytes, as a task: what the scheduler holds and sends to the workers."""
    return data


class DaskExecutor(Executor):
    """Runs jobs on a Dask cluster: the one at ``scheduler`` (an address such as
    ``tcp://host:8786``), or else a local cluster of ``workers`` processes with one thread each
    (the number of cores by default), started at the first job. ``local_directory`` and
    ``worker_env`` are passed to the local cluster's workers (their scratch folder and their
    environment)."""

    def __init__(
        self,
        scheduler: str | None = None,
        workers: int | None = None,
        *,
        local_directory: Path | str | None = None,
        worker_env: dict[str, str] | None = None,
    ):
        if not dask_available():
            raise ReportError(INSTALL_HINT)
        self.scheduler = scheduler
        self.workers = workers or os.cpu_count() or 1
        self._local_directory = local_directory
        self._worker_env = dict(worker_env or {})
        self._client = None
        self._cluster = None
        self._files: dict[str, Any] = {}  # sha256 → the file's task
        # The threads of the cluster's workers on each host, as slots() last counted them.
        self._host_threads: dict[str, int] = {}
        # A file's SHA-256 by its path, with the stat it had (each file is read once a run).
        self._hashes: dict[Path, tuple[list[int], str]] = {}
        # The run's names of the files' tasks on the scheduler (see _tasks).
        self._prefix = f"{_FILE_KEY}{uuid.uuid4().hex[:12]}-"
        self._running: set[Any] = set()
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._writers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dask-jobb")

    # -- the cluster -------------------------------------------------------------------------

    @property
    def client(self):
        """The Dask client (connecting, or starting the local cluster, at first use)."""
        with self._lock:
            if self._client is None:
                self._client = self._connect()
            return self._client

    def _connect(self):
        # Dask's own log says every connection at INFO: only its warnings are the user's
        # business (the local cluster's workers inherit the setting).
        os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "warning")
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            try:
                client = Client(self.scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise ReportError(
                    f"Kunde inte ansluta till Dask-schemaläggaren {self.scheduler} ({exc}). "
                    "Kontrollera adressen och att schemaläggaren körs (dask scheduler)."
                ) from exc
            try:
                client.wait_for_workers(1, timeout=60)
            except (OSError, TimeoutError) as exc:
                client.close()
                raise ReportError(
                    f"Dask-schemaläggaren {self.scheduler} har inga arbetare (ingen anslöt på "
                    "60 s). Starta dem med: dask worker " + self.scheduler
                ) from exc
            return client
        # One retry for a job whose worker died (the default, three, would run a job that
        # kills its worker four times).
        with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
            self._cluster = LocalCluster(
                n_workers=self.workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                local_directory=str(self._local_directory) if self._local_directory else None,
                env=self._worker_env or None,
            )
        client = Client(self._cluster)
        # Every worker has joined before the first jobs are sent (see slots).
        client.wait_for_workers(self.workers, timeout=120)
        return client

    def slots(self, default: int) -> int:
        """The cluster's threads: as many jobs are kept sent at a time. Counted as each
        phase of the run starts, with the threads on each host that the jobs are sent."""
        nthreads = self.client.nthreads()
        by_host: dict[str, int] = {}
        for address, count in nthreads.items():
            by_host[_host(address)] = by_host.get(_host(address), 0) + count
        self._host_threads = by_host
        return max(1, sum(nthreads.values()) or default)

    # -- jobs --------------------------------------------------------------------------------

    def submit(self, fn, /, *args):
        """Run any picklable function on the cluster (a concurrent future of its value)."""
        future = self.client.submit(fn, *args, pure=False)
        return _concurrent(future)

    def run_job(self, spec: JobSpec) -> Future:
        if self._closing.is_set():
            raise RuntimeError("exekveraren är stängd")
        client = self.client
        data = _folder_files(spec.data_dir, skip_hidden=True)
        run = _run_files(spec.out_dir) if spec.reads_run else {}
        notebook = spec.notebook.read_bytes()
        folder = spec.output.parent.relative_to(spec.out_dir).as_posix()
        remote = client.submit(
            run_remote,
            spec.job,
            spec.notebook.name,
            notebook,
            folder,
            spec.output.name,
            spec.parameters,
            spec.timeout,
            spec.provenance,
            self._tasks(client, data),
            self._tasks(client, run),
            self._prefix,
            self._host_threads or self._count_threads(),
            key=f"utvardering-{spec.job.replace('/', '-')}-{uuid.uuid4().hex[:8]}",
            pure=False,
            retries=0,
        )
        with self._lock:
            self._running.add(remote)
        return self._writers.submit(self._finish, spec, remote)

    def _count_threads(self) -> dict[str, int]:
        """The threads of the cluster's workers on each host (for a job sent without
        :meth:`slots`)."""
        self.slots(1)
        return self._host_threads

    def _tasks(self, client, files: dict[str, Path]) -> dict[str, str]:
        """Each file's SHA-256 by its name, with the file made a task keyed by its content
        (one task per distinct file, held for the run). A file whose stat is the one it had
        when it was hashed is not read again (as the batch's manifests do)."""
        out = {}
        for name, path in files.items():
            stat = file_stat(path)
            known = self._hashes.get(path)
            if known is not None and known[0] == stat and known[1] in self._files:
                out[name] = known[1]
                continue
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            self._hashes[path] = (stat, digest)
            with self._lock:
                if digest not in self._files:
                    task = client.submit(_content, data, key=_FILE_KEY + digest, pure=False)
                    # A worker finds it by this name: a task another client holds cannot be
                    # asked for by its key alone.
                    client.publish_dataset(task, name=self._prefix + digest, override=True)
                    self._files[digest] = task
            out[name] = digest
        return out

    def _finish(self, spec: JobSpec, remote) -> JobOutcome:
        """Wait for the worker, then write what it made (in a thread of this machine)."""
        from distributed import CancelledError
        from distributed.scheduler import KilledWorker

        start = time.perf_counter()
        try:
            result: RemoteResult = remote.result()
        except KilledWorker:
            return _failed(
                "arbetaren avslutades oväntat under jobbet, två gånger (på två arbetare); "
                "jobbet räknas som misslyckat"
            )
        except CancelledError:
            return _failed("jobbet avbröts")
        except Exception as exc:  # the cluster went away, a job that could not be sent
            last = (str(exc).strip().splitlines() or [""])[-1]
            return _failed(f"Dask-klustret kunde inte köra jobbet ({type(exc).__name__}: {last})")
        finally:
            with self._lock:
                self._running.discard(remote)
        if self._closing.is_set():  # the run was stopped: write nothing more
            return _failed("jobbet avbröts")
        self._report_restarts(spec.job)
        mapping = _path_mapping(result.folders, spec)
        outcome = result.outcome
        error = _map_text(outcome.error, mapping) if outcome.error else outcome.error
        try:
            digest = _write_outputs(spec, result.files, mapping)
        except OSError as exc:
            return JobOutcome(
                JobStatus.MISSLYCKAD,
                outcome.seconds + time.perf_counter() - start,
                None,
                write_error(Path(exc.filename or spec.output), exc),
            )
        return JobOutcome(outcome.status, outcome.seconds, outcome.cell, error, digest)

    def _report_restarts(self, job: str) -> None:
        """Say in the log when a job was started more than once (its worker died)."""
        client = self._client  # never a new cluster for this, once the run has closed its own
        if client is None:
            return
        try:
            events = client.get_events(EVENT)
        except Exception:  # the log of events is a courtesy
            return
        workers = [
            e.get("arbetare") for _, e in events if isinstance(e, dict) and e.get("jobb") == job
        ]
        if len(workers) > 1:
            log.warning(
                "Jobbet %s startades %d gånger: arbetaren %s avslutades under jobbet, som "
                "sedan kördes om på %s.",
                job,
                len(workers),
                workers[0],
                workers[-1],
            )

    def shutdown(self, cancel: bool = False) -> None:
        if cancel:
            self._closing.set()
        with self._lock:
            client, self._client = self._client, None
            running = list(self._running)
        if client is not None and cancel and running:
            with contextlib.suppress(Exception):
                client.cancel(running, force=True)
        # Every job's files are written (or, after cancel, dropped) before this returns.
        self._writers.shutdown(wait=True, cancel_futures=cancel)
        if client is not None:
            with contextlib.suppress(Exception):
                for digest in self._files:
                    client.unpublish_dataset(self._prefix + digest)
            with contextlib.suppress(Exception):
                client.close()
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close()
            self._cluster = None
        self._files.clear()
        self._hashes.clear()
        self._host_threads = {}
        self._writers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dask-jobb")


def _failed(error: str) -> JobOutcome:
    return JobOutcome(JobStatus.MISSLYCKAD, 0.0, None, error[:300])


def _concurrent(future) -> Future:
    """A concurrent.futures future that follows a Dask future."""
    out: Future = Future()

    def done(f) -> None:
        try:
            out.set_result(f.result())
        except BaseException as exc:
            out.set_exception(exc)

    future.add_done_callback(done)
    return out


# -- what a job reads --------------------------------------------------------------------------


def _folder_files(folder: Path, skip_hidden: bool = True) -> dict[str, Path]:
    """Every file under ``folder`` (relative POSIX path → path), hidden ones left out."""
    out = {}
    for path in sorted(Path(folder).rglob("*")):
        rel = path.relative_to(folder)
        if skip_hidden and any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            out[rel.as_posix()] = path
    return out


def _run_files(out_dir: Path) -> dict[str, Path]:
    """What a job that reads the run reads of it: ``status.json``, every region's and the
    national folder's result files and manifests, and the national folder's figures (the
    synthesis' parts); not the executed notebooks, the history or the cache."""
    out = {}
    status = out_dir / "status.json"
    if status.is_file():
        out["status.json"] = status
    for folder in sorted(p for p in out_dir.iterdir() if p.is_dir()):
        if folder.name.startswith(".") or folder.name in ("korningar", "matris"):
            continue
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.name.startswith("."):
                continue
            national_file = folder.name == "riket" and path.suffix != ".ipynb"
            if path.suffix == ".json" or national_file:
                out[f"{folder.name}/{path.name}"] = path
    return out


# -- on the worker -------------------------------------------------------------------------------

_SETUP = threading.Lock()
_PREPARED: set[str] = set()


def _workspace() -> Path:
    """This worker's own folder for the jobs (Dask's scratch folder of the worker)."""
    try:
        from distributed import get_worker

        base = Path(get_worker().local_directory)
    except (ImportError, ValueError):  # not in a Dask worker (a test calling it directly)
        base = Path(tempfile.gettempdir()) / f"utvardering-arbetare-{os.getpid()}"
    return base / "utvardering"


def _prepare_worker(workspace: Path, host_threads: dict[str, int]) -> None:
    """Once per worker process: its cache of validated data, its kernel log and its kernels'
    share of the cores, in the environment its kernels inherit. The share is the machine's
    cores over the threads of all workers on it (``host_threads``, by host, from the
    scheduler), as a local run divides them among its workers: more BLAS threads than that
    only spin against each other, and change the order of a sum's terms."""
    if str(workspace) in _PREPARED:
        return
    (workspace / "cache").mkdir(parents=True, exist_ok=True)
    os.environ[CACHE_ENV] = str(workspace / "cache")
    os.environ[KERNEL_LOG_ENV] = str(workspace / "karnor.log")
    threads = 1
    with contextlib.suppress(ImportError, ValueError):
        from distributed import get_worker

        worker = get_worker()
        threads = host_threads.get(_host(worker.address), worker.state.nthreads)
    share = str(max(1, (os.cpu_count() or 1) // max(1, threads)))
    for name in _THREAD_VARIABLES:
        os.environ[name] = share
    _PREPARED.add(str(workspace))


def _host(address: str) -> str:
    """The host of a Dask address (``tcp://10.0.0.5:4321`` → ``10.0.0.5``)."""
    return address.split("://", 1)[-1].rsplit(":", 1)[0]


def _fetch(workspace: Path, digests: set[str], prefix: str) -> Path:
    """The worker's store of files by SHA-256, with ``digests`` in it: those it lacks are
    fetched from the cluster (the tasks the client published as ``<prefix><sha256>``),
    checked and kept."""
    store = workspace / "filer"
    store.mkdir(parents=True, exist_ok=True)
    missing = sorted(d for d in digests if not (store / d).is_file())
    if not missing:
        return store
    from distributed import get_worker, worker_client

    # worker_client leaves the worker's thread pool while it waits, so that a file whose
    # holder was lost can be computed again on this worker too
    with worker_client() as client:
        values = client.gather([client.get_dataset(prefix + d) for d in missing])
    worker = get_worker()
    for digest, data in zip(missing, values, strict=True):
        if hashlib.sha256(data).hexdigest() != digest:
            raise OSError(errno.EIO, "filen kom fram skadad", digest)
        tmp = store / f".{digest}.{os.getpid()}.{threading.get_ident()}"
        tmp.write_bytes(data)
        os.replace(tmp, store / digest)
        worker.log_event(FETCH_EVENT, {"arbetare": worker.address, "fil": digest})
    return store


def _data_folder(workspace: Path, store: Path, files: dict[str, str]) -> Path:
    """The data folder of this set of files, laid out once per worker (its path stays the
    same for every job with the same data, so the cache of validated data is shared)."""
    key = hashlib.sha256(repr(sorted(files.items())).encode()).hexdigest()[:20]
    folder = workspace / "data" / key
    if (folder / ".klar").is_file():
        return folder
    staging = workspace / "data" / f".{key}.{os.getpid()}.{threading.get_ident()}"
    shutil.rmtree(staging, ignore_errors=True)
    _write_tree(staging, store, files)
    (staging / ".klar").touch()
    try:
        staging.rename(folder)
    except OSError:  # another thread of this worker laid it out first
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _write_tree(root: Path, store: Path, files: dict[str, str]) -> None:
    """Copy each file (name → SHA-256) from the store to its place under ``root`` (a copy:
    a notebook that wrote to its input must not change the store)."""
    root.mkdir(parents=True, exist_ok=True)
    for name, digest in files.items():
        path = root / name
        if root.resolve() not in path.resolve().parents:
            raise ValueError(f"filen {name!r} ligger utanför mappen")
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(store / digest, path)


def run_remote(
    job: str,
    notebook_name: str,
    notebook: bytes,
    folder: str,
    output_name: str,
    parameters: dict[str, Any],
    timeout: float,
    provenance: dict[str, Any],
    data_files: dict[str, str],
    run_files: dict[str, str],
    prefix: str,
    host_threads: dict[str, int] | None = None,
) -> RemoteResult:
    """Run one job on this worker from the files it names (name → SHA-256); see the module
    docstring."""
    workspace = _workspace()
    with contextlib.suppress(ImportError, ValueError):
        from distributed import get_worker

        current = get_worker()
        current.log_event(EVENT, {"jobb": job, "arbetare": current.address})
    with _SETUP:
        _prepare_worker(workspace, host_threads or {})
        store = _fetch(workspace, {*data_files.values(), *run_files.values()}, prefix)
        data_dir = _data_folder(workspace, store, data_files)
    root = workspace / "jobb" / uuid.uuid4().hex
    try:
        out_dir = root / "utdata"
        _write_tree(out_dir, store, run_files)
        target = out_dir / folder
        target.mkdir(parents=True, exist_ok=True)
        source = root / "notebook"
        source.mkdir(parents=True)
        (source / notebook_name).write_bytes(notebook)
        shipped = dict(run_files)
        local = dict(parameters)
        if "data_dir" in local:
            local["data_dir"] = str(data_dir)
        if "utdata_dir" in local:
            local["utdata_dir"] = str(target)
        if "korning_dir" in local:
            local["korning_dir"] = str(out_dir)
        outcome = execute_job(
            str(source / notebook_name), str(target / output_name), local, timeout, provenance
        )
        made = {}
        for path in sorted(target.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            rel = path.relative_to(target).as_posix()
            data = path.read_bytes()
            if shipped.get(f"{folder}/{rel}") != hashlib.sha256(data).hexdigest():
                made[rel] = data
        folders = {"utdata": str(out_dir), "data": str(data_dir), "notebook": str(source)}
        return RemoteResult(outcome, made, folders)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# -- back on this machine -------------------------------------------------------------------------


def _path_mapping(folders: dict[str, str], spec: JobSpec) -> list[tuple[str, str]]:
    """The worker's folders and this machine's, the longest first. A folder of this machine
    whose name a JSON text would escape is left as the worker's (and the log says so)."""
    import json

    mine = {
        "utdata": str(spec.out_dir),
        "data": str(spec.data_dir),
        "notebook": str(spec.notebook.parent),
    }
    pairs = []
    for role, theirs in folders.items():
        ours = mine.get(role)
        if ours is None or theirs == ours:
            continue
        if json.dumps(ours, ensure_ascii=False)[1:-1] != ours or "'" in ours:
            log.warning(
                "Mappen %s har tecken som inte kan bytas in i de körda filerna; de nämner "
                "arbetarens mapp %s.",
                ours,
                theirs,
            )
            continue
        pairs.append((theirs, ours))
    return sorted(pairs, key=lambda pair: -len(pair[0]))


def _map_text(text: str, mapping: list[tuple[str, str]]) -> str:
    for theirs, ours in mapping:
        text = text.replace(theirs, ours)
    return text


def _write_outputs(
    spec: JobSpec, files: dict[str, bytes], mapping: list[tuple[str, str]]
) -> str | None:
    """Write the job's files into its output folder (the executed notebook last, each via
    a temporary file); the SHA-256 of the notebook written, None if the job made none."""
    folder = spec.output.parent
    folder.mkdir(parents=True, exist_ok=True)
    digest = None
    notebook = spec.output.name
    for name in sorted(files, key=lambda n: n == notebook):
        data = files[name]
        if name.endswith(_TEXT_SUFFIXES) and mapping:
            data = _map_text(data.decode("utf-8"), mapping).encode("utf-8")
        path = folder / name
        if folder.resolve() not in path.resolve().parents:
            raise OSError(errno.EINVAL, "filen ligger utanför jobbets mapp", str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        if name == notebook:
            digest = hashlib.sha256(data).hexdigest()
    return digest
