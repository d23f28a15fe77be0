"""Run every report for every region: validate once, skip what has not changed, run the rest
in parallel, isolate failures, and leave a manifest of what was done.

A run has two phases. The first runs the region reports and the parts of the national reports
that rest on the data folder alone (``notebooks/underlag``: the synthesis' development
figures); the second, after every one of them, the jobs that read the run's results: the
national synthesis and each region's summary and learning plan. Within a phase the longest
jobs start first (the seconds of each job's last manifest, else of its report's other jobs),
so that the short ones fill both cores at the end of the phase instead of one long job
running alone; a report with no measured job yet starts one job early, to measure it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import re
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from utvardering.batch.dask_executor import INSTALL_HINT, DaskExecutor, dask_available
from utvardering.batch.discover import NOTEBOOK_DIR
from utvardering.batch.executor import (
    KERNEL_LOG_ENV,
    Executor,
    JobOutcome,
    JobSpec,
    LocalProcessExecutor,
    write_error,
)
from utvardering.batch.fingerprint import (
    code_hash,
    data_file_hashes,
    dependency_versions,
    file_hash,
    file_stat,
    git_commit,
    notebook_hash,
    region_row_hashes,
    sha256_text,
)
from utvardering.batch.jobs import Job, build_jobs
from utvardering.batch.lock import OutputLock
from utvardering.batch.params import check_regions
from utvardering.batch.reportcache import cached_discovery
from utvardering.defaults import CACHE_ENV
from utvardering.errors import ParameterError, ReportError, describe_os_error
from utvardering.origin import ORIGIN_FILE, read_origin
from utvardering.results import DamagedFileError, read_results, write_results
from utvardering.status import JobStatus
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "CACHE_FOLDER",
    "DAMAGED",
    "DEFAULT_OUT_DIR",
    "ENGINES",
    "JobResult",
    "Reporter",
    "RunOptions",
    "RunSummary",
    "run_batch",
    "terminate_as_interrupt",
    "timestamp",
]

log = logging.getLogger(__name__)

DEFAULT_OUT_DIR = Path("_utdata")
# Where jobs run (--motor): a process pool on this machine, or a Dask cluster.
ENGINES = ("lokal", "dask")
# The state of a job whose manifest cannot be read back (in status.json and on the site): not
# a job's outcome, so not a JobStatus.
DAMAGED = "skadad"
CACHE_FOLDER = ".cache"
_THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass(frozen=True)
class RunOptions:
    """What to run: which regions and reports, with which parameters, where."""

    data_dir: Path = Path("data")
    out_dir: Path = DEFAULT_OUT_DIR
    regions: tuple[str, ...] = ()  # empty: all 21
    reports: tuple[str, ...] = ()  # empty: all, with the national jobs last
    parameters: dict[str, Any] = field(default_factory=dict)
    workers: int | None = None
    force: bool = False
    timeout: float = 900.0
    notebook_dir: Path = NOTEBOOK_DIR
    engine: str = "lokal"  # motor: "lokal" (a process pool) or "dask"
    scheduler: str | None = None  # schemaläggare: a Dask scheduler's address; None starts one


@dataclass(frozen=True)
class JobResult:
    """A job's end: ``klar``, ``oforandrad`` (skipped), ``misslyckad`` or ``avbruten``."""

    job: str
    report: str
    lan_kod: str | None
    status: JobStatus
    seconds: float = 0.0
    cell: int | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", JobStatus(self.status))


@dataclass(frozen=True)
class RunSummary:
    results: tuple[JobResult, ...]
    seconds: float
    manifest: Path

    @property
    def failed(self) -> tuple[JobResult, ...]:
        return tuple(r for r in self.results if not r.status.succeeded)


class Reporter(Protocol):
    """Progress callbacks; the command line shows a bar, a log or nothing."""

    def start(self, total: int, skipped: int) -> None: ...
    def job_started(self, job: Job) -> None: ...
    def job_done(self, result: JobResult) -> None: ...
    def finish(self, summary: RunSummary) -> None: ...


class _Silent:
    def start(self, total: int, skipped: int) -> None: ...
    def job_started(self, job: Job) -> None: ...
    def job_done(self, result: JobResult) -> None: ...
    def finish(self, summary: RunSummary) -> None: ...


def timestamp() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _validated_inputs(data_dir: Path, out_dir: Path, region_tables: set[str]) -> dict[str, Any]:
    """File hashes of the data folder, validated once; region hashes of the tables that need
    them. Both are cached by the files' hashes, so an unchanged folder is not read again."""
    try:
        files = data_file_hashes(data_dir)
    except OSError as exc:
        raise ReportError(
            f"Kunde inte läsa {exc.filename or data_dir}: {describe_os_error(exc)}."
        ) from exc
    key = sha256_text({"files": files, "code": code_hash(), "tables": sorted(region_tables)})
    cache = out_dir / CACHE_FOLDER / "indata.json"
    try:
        cached = read_results(cache)
    except DamagedFileError as exc:
        log.warning("Cachen %s är skadad (%s); indata valideras igen.", cache, exc.reason)
        cached = None
    if cached is not None and cached.get("key") == key and _valid_inputs(cached):
        return cached
    # Validated once, here (a DataValidationError names every issue), and cached whole: every
    # job's kernel then reads its parts from it.
    from utvardering.dataset import load_dataset  # pandas: only when the data has changed

    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(out_dir / CACHE_FOLDER / "data")
    try:
        dataset = load_dataset(data_dir)
        read_origin(data_dir)  # datakallor.yaml, checked once like the tables
    finally:
        if previous is None:
            os.environ.pop(CACHE_ENV, None)
        else:
            os.environ[CACHE_ENV] = previous
    regions = {}
    for table in sorted(region_tables):
        frame = getattr(dataset, table, None)
        if frame is not None and "lan_kod" in frame:
            regions[table] = region_row_hashes(frame)
    state = {"key": key, "files": files, "regions": regions}
    try:
        write_results(cache, state)
    except OSError as exc:  # a cache that cannot be written only costs time next run
        log.warning("Kunde inte skriva cachen %s: %s", cache, describe_os_error(exc))
    return state


def _valid_inputs(state: dict[str, Any]) -> bool:
    """A cached state of the shape this module writes (files and region hashes as text)."""
    files, regions = state.get("files"), state.get("regions")
    return (
        isinstance(files, dict)
        and all(isinstance(v, str) for v in files.values())
        and isinstance(regions, dict)
        and all(
            isinstance(t, dict) and all(isinstance(v, str) for v in t.values())
            for t in regions.values()
        )
    )


def _inputs_of(job: Job, inputs: dict[str, Any]) -> dict[str, str]:
    scopes = job.report.inputs or {name: "alla" for name in inputs["files"]}
    out = {}
    for table, scope in sorted(scopes.items()):
        if scope == "region" and job.lan_kod and table in inputs["regions"]:
            out[f"{table}[{job.lan_kod}]"] = inputs["regions"][table].get(job.lan_kod, "inga rader")
        else:
            out[table] = inputs["files"].get(table, "saknas")
    # The data files beyond the tables that the report reads (a region's own file or none).
    data_dir = Path(job.parameters.get("data_dir", "."))
    for pattern in job.report.files:
        name = pattern.format(lan_kod=job.lan_kod or "")
        try:
            out[name] = file_hash(data_dir / name)
        except OSError:
            out[name] = "saknas"
    # Which inputs are simulated decides each report's notice, so it is an input of every job.
    out[ORIGIN_FILE.removesuffix(".yaml")] = inputs["files"].get(
        ORIGIN_FILE.removesuffix(".yaml"), "saknas"
    )
    return out


def _provenance(job: Job, inputs: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    used = _inputs_of(job, inputs)
    base = {
        "jobb": job.id,
        "rapport": job.report.name,
        "lan_kod": job.lan_kod,
        "notebook": job.report.path.name,
        "parametrar": job.parameters,
        "indata": used,
        "versioner": dependency_versions(),
        "kod": code_hash()[:16],
        "git": git_commit(),
    }
    fingerprint = sha256_text(
        {
            **{k: base[k] for k in ("parametrar", "indata", "versioner", "kod")},
            "notebook": notebook_hash(job.report.path),
            **extra,
        }
    )
    return {**base, "fingerprint": fingerprint, "start": timestamp()}


def _read_manifest(path: Path, warn: str | None = None) -> dict[str, Any] | None:
    """A job manifest, or None if it is missing or damaged (with ``warn`` as what then
    happens, a damaged one is reported in the log)."""
    try:
        return read_results(path)
    except DamagedFileError as exc:
        if warn:
            log.warning("Manifestet %s är skadat (%s); %s", path, exc.reason, warn)
        return None


def _up_to_date(job: Job, fingerprint: str) -> bool:
    """The job's notebook is the one its manifest describes, finished with this fingerprint.

    The manifest holds the SHA-256 of the notebook it was written with, so a notebook that
    was cut short, edited or replaced without its manifest is run again. It also holds the
    file's stat when that hash was checked: a file with the same stat has not been written
    since, and is not read again (as git trusts its index)."""
    manifest = _read_manifest(job.manifest_path, f"jobbet {job.id} körs om.")
    if manifest is None or not job.output.is_file():
        return False
    if manifest.get("status") != JobStatus.KLAR or manifest.get("fingerprint") != fingerprint:
        return False
    try:
        recorded = manifest.get("notebook_stat")
        same = (recorded is not None and recorded == file_stat(job.output)) or (
            file_hash(job.output) == manifest.get("notebook_sha256")
        )
    except OSError:
        same = False
    if not same:
        log.warning(
            "Notebooken %s stämmer inte med sitt manifest (skadad eller ändrad); jobbet %s "
            "körs om.",
            job.output,
            job.id,
        )
    return same


def _region_status(out_dir: Path, report_names: list[str]) -> dict[str, dict[str, str]]:
    """Status of every region × region report in the output folder (for the synthesis);
    ``saknas`` without a manifest, ``skadad`` (:data:`DAMAGED`) with one that cannot be read."""
    status: dict[str, dict[str, str]] = {}
    for code in LAN_CODES:
        status[code] = {}
        for name in report_names:
            path = out_dir / code / f"{name}.manifest.json"
            try:
                manifest = read_results(path)
            except DamagedFileError as exc:
                log.warning(
                    "Manifestet %s är skadat (%s); rapporten räknas som skadad tills %s körs om.",
                    path,
                    exc.reason,
                    code,
                )
                status[code][name] = DAMAGED
                continue
            if manifest is None:
                status[code][name] = JobStatus.SAKNAS
            else:
                value = manifest.get("status")
                status[code][name] = value if isinstance(value, str) else DAMAGED
    return status


# Temporary files of this package's atomic writes (results, manifests, executed notebooks).
_TEMPORARY = re.compile(r"^\..+\.\d+(\.\d+)?\.tmp(\.ipynb)?$")


def _remove_leftovers(out_dir: Path) -> None:
    """Temporary files left by a run that was killed (under the lock: no run is writing)."""
    folders = [out_dir, out_dir / CACHE_FOLDER, out_dir / CACHE_FOLDER / "data"]
    with contextlib.suppress(OSError):
        folders += [p for p in out_dir.iterdir() if p.is_dir() and not p.name.startswith(".")]
    for folder in folders:
        with contextlib.suppress(OSError):
            for path in folder.iterdir():
                if _TEMPORARY.match(path.name) and path.is_file():
                    with contextlib.suppress(OSError):
                        path.unlink()


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops the run as Ctrl-C does (a second SIGTERM while it stops is ignored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received = []

    def handler(signum, frame):
        if not received:
            received.append(signum)
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_batch(
    options: RunOptions, reporter: Reporter | None = None, executor: Executor | None = None
) -> RunSummary:
    """Run the job matrix; see the module docstring. Raises ParameterError or
    DataValidationError before any kernel starts, ReportError if another run holds the lock or
    the run's manifest cannot be written. A job that cannot write its files fails alone.
    SIGTERM stops the run as Ctrl-C does: KeyboardInterrupt, after the unfinished jobs are
    stopped and recorded as ``avbruten``."""
    reporter = reporter or _Silent()
    started, clock = timestamp(), time.perf_counter()
    if options.engine not in ENGINES:
        raise ParameterError(f"Okänd motor {options.engine!r}; välj bland {', '.join(ENGINES)}.")
    if options.engine == "dask" and executor is None and not dask_available():
        raise ReportError(INSTALL_HINT)
    if options.scheduler and options.engine != "dask":
        raise ParameterError("--schemalaggare gäller bara med --motor dask.")
    data_dir, out_dir = options.data_dir.resolve(), options.out_dir.resolve()
    if not data_dir.is_dir():
        what = "är inte en mapp" if data_dir.exists() else "finns inte"
        raise ParameterError(f"Datamappen {options.data_dir} {what}.")
    # Discovery imports every report type: a run reads it from its cache while the package,
    # the notebooks and the report entry points are unchanged.
    reports, parts = cached_discovery(options.notebook_dir, out_dir / CACHE_FOLDER)
    if not reports:
        raise ParameterError(f"Hittade inga rapportnotebookar i {options.notebook_dir}.")
    regions = check_regions(list(options.regions)) if options.regions else list(LAN_CODES)
    jobs = build_jobs(
        reports, regions, list(options.reports), options.parameters, data_dir, out_dir, parts
    )
    region_tables = {
        t
        for r in (*reports.values(), *parts.values())
        for t, s in (r.inputs or {}).items()
        if s == "region"
    }
    results: dict[str, JobResult] = {}
    with terminate_as_interrupt(), OutputLock(out_dir):
        _remove_leftovers(out_dir)
        inputs = _validated_inputs(data_dir, out_dir, region_tables)
        # The region reports (and the national reports' parts) first; then the jobs that read
        # their results: each region's summary and the national synthesis.
        region_jobs = [j for j in jobs if not j.reads_run]
        later_jobs = [j for j in jobs if j.reads_run]
        pending: list[tuple[Job, dict[str, Any]]] = []
        for job in region_jobs:
            provenance = _provenance(job, inputs, {})
            if not options.force and _up_to_date(job, provenance["fingerprint"]):
                results[job.id] = JobResult(
                    job.id, job.report.name, job.lan_kod, JobStatus.OFORANDRAD
                )
            else:
                pending.append((job, provenance))
        reporter.start(len(jobs), len(results))
        for result in results.values():
            reporter.job_done(result)
        # Workers and their kernels read validated data from a cache instead of parsing it, and
        # share the cores: a kernel's BLAS threads beyond its share only spin against the others
        # (two parallel effect reports ran four times slower with the default thread count).
        workers = options.workers or os.cpu_count() or 1
        threads = str(max(1, (os.cpu_count() or 1) // workers))
        settings = {
            CACHE_ENV: str(out_dir / CACHE_FOLDER / "data"),
            KERNEL_LOG_ENV: str(out_dir / CACHE_FOLDER / "karnor.log"),
        }
        settings |= {name: threads for name in _THREAD_VARIABLES}
        previous = {name: os.environ.get(name) for name in settings}
        os.environ.update(settings)
        executor = executor or _make_executor(options, workers)
        begun: dict[str, _Begun] = {}  # jobs sent to the executor and not yet done
        try:
            _execute(
                pending,
                executor,
                options.timeout,
                reporter,
                results,
                begun,
                workers,
                jobs,
                data_dir,
            )
            region_names = [
                r.name for r in reports.values() if r.level == "region" and not r.reads_run
            ]
            status = _region_status(out_dir, region_names)
            later = []
            fingerprints = {j.id: _manifest_fingerprint(j) for j in region_jobs}
            for job in later_jobs:
                # Every region job, and the parts of this job's own report.
                depends = [
                    fingerprints[j.id]
                    for j in region_jobs
                    if j.report.part_of is None or j.report.part_of == job.report.name
                ]
                provenance = _provenance(job, inputs, {"regioner": status, "beroenden": depends})
                if not options.force and _up_to_date(job, provenance["fingerprint"]):
                    results[job.id] = JobResult(
                        job.id, job.report.name, job.lan_kod, JobStatus.OFORANDRAD
                    )
                    reporter.job_done(results[job.id])
                else:
                    later.append((job, provenance))
            if later_jobs:
                path = out_dir / "status.json"
                try:
                    write_results(path, {"lan": status, "uppdaterad": timestamp()})
                except OSError as exc:  # the national jobs that run need it: they fail, alone
                    log.warning("%s", write_error(path, exc))
                    for job, _ in later:
                        results[job.id] = JobResult(
                            job.id,
                            job.report.name,
                            job.lan_kod,
                            JobStatus.MISSLYCKAD,
                            error=write_error(path, exc),
                        )
                        reporter.job_started(job)
                        reporter.job_done(results[job.id])
                    later = []
            _execute(
                later, executor, options.timeout, reporter, results, begun, workers, jobs, data_dir
            )
        except KeyboardInterrupt:
            executor.shutdown(cancel=True)  # no worker writes after this
            for job in jobs:
                if job.id not in results:
                    results[job.id] = JobResult(
                        job.id, job.report.name, job.lan_kod, JobStatus.AVBRUTEN
                    )
            for job, provenance, old in begun.values():
                _restore_or_abort(job, provenance, old)
            try:
                _write_run_manifest(
                    out_dir, options, started, clock, jobs, results, inputs, executor.used_slots
                )
            except ReportError as exc:
                log.error("%s", exc)
            raise
        except BaseException:
            executor.shutdown(cancel=True)  # never leave workers writing behind the lock
            raise
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        executor.shutdown()
        manifest = _write_run_manifest(
            out_dir, options, started, clock, jobs, results, inputs, executor.used_slots
        )
    ordered = tuple(results[j.id] for j in jobs)
    summary = RunSummary(ordered, time.perf_counter() - clock, manifest)
    reporter.finish(summary)
    return summary


def _make_executor(options: RunOptions, workers: int) -> Executor:
    """The executor of ``options.engine`` (made here; it starts its workers at the first job)."""
    if options.engine == "dask":
        return DaskExecutor(options.scheduler, options.workers)
    return LocalProcessExecutor(workers)


def _manifest_fingerprint(job: Job) -> str | None:
    manifest = _read_manifest(job.manifest_path)
    value = manifest.get("fingerprint") if manifest is not None else None
    return value if isinstance(value, str) else None


def _checked_stat(path: Path, sha256: str | None) -> list[int] | None:
    """The notebook's stat, if the file has ``sha256`` as its hash and was not written while
    it was read; otherwise None (the next run then hashes it)."""
    if sha256 is None:
        return None
    try:
        before = file_stat(path)
        same = file_hash(path) == sha256
        after = file_stat(path)
    except OSError:
        return None
    return before if same and before == after else None


def _write_job_manifest(
    job: Job, provenance: dict[str, Any], result: JobResult, sha256: str | None
) -> JobResult:
    """Write the job's manifest; a manifest that cannot be written fails the job."""
    manifest = {
        **provenance,
        "slut": timestamp(),
        "status": result.status,
        "sekunder": result.seconds,
        "cell": result.cell,
        "fel": result.error,
        "notebook_sha256": sha256,
        "notebook_stat": _checked_stat(job.output, sha256),
    }
    try:
        write_results(job.manifest_path, manifest)
    except OSError as exc:
        log.warning("Kunde inte skriva %s: %s", job.manifest_path, describe_os_error(exc))
        # Without a manifest the job is run again next time, whatever its notebook holds.
        return replace(
            result,
            status=JobStatus.MISSLYCKAD,
            cell=None,
            error=write_error(job.manifest_path, exc),
        )
    return result


# A job sent to the executor: its provenance and the manifest it had before (or None).
_Begun = tuple[Job, dict[str, Any], dict[str, Any] | None]


def _begin(job: Job, provenance: dict[str, Any]) -> _Begun:
    """Make the job's folder and take its manifest away before its notebook can be replaced:
    a run cut short between the notebook and its manifest leaves the job to be run again."""
    job.folder.mkdir(parents=True, exist_ok=True)
    old = _read_manifest(job.manifest_path)
    try:
        job.manifest_path.unlink(missing_ok=True)
    except OSError as exc:
        exc.filename = exc.filename or str(job.manifest_path)
        raise
    return job, provenance, old


def _restore_or_abort(job: Job, provenance: dict[str, Any], old: dict[str, Any] | None) -> None:
    """After an interrupt (its worker stopped): a job whose notebook is still the one its old
    manifest describes gets that manifest back; any other is recorded as ``avbruten``."""
    try:
        if old is not None and file_hash(job.output) == old.get("notebook_sha256"):
            write_results(job.manifest_path, old)
            return
    except OSError:
        pass
    aborted = JobResult(job.id, job.report.name, job.lan_kod, JobStatus.AVBRUTEN)
    _write_job_manifest(job, provenance, aborted, None)


class _Estimates:
    """The seconds a job is expected to take: its own last successful run (its manifest), else
    the median of its report's other jobs (their manifests, and this run's as they finish)."""

    def __init__(self, jobs: list[Job]):
        self.own: dict[str, float] = {}
        self.by_report: dict[str, list[float]] = {}
        for job in jobs:
            seconds = _finished_seconds(_read_manifest(job.manifest_path))
            if seconds is not None:
                self.own[job.id] = seconds
                self.by_report.setdefault(job.report.name, []).append(seconds)

    def observe(self, job: Job, result: JobResult) -> None:
        if result.status == JobStatus.KLAR and result.seconds > 0:
            self.by_report.setdefault(job.report.name, []).append(result.seconds)

    def expected(self, job: Job) -> float | None:
        if job.id in self.own:
            return self.own[job.id]
        known = sorted(self.by_report.get(job.report.name, ()))
        return known[len(known) // 2] if known else None


def _finished_seconds(manifest: dict[str, Any] | None) -> float | None:
    """The seconds of a job's manifest that finished (a failed job's say little of a run)."""
    if manifest is None or manifest.get("status") != JobStatus.KLAR:
        return None
    seconds = manifest.get("sekunder")
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or seconds <= 0:
        return None
    return float(seconds)


def _next_job(
    queue: list[tuple[Job, dict[str, Any]]], estimates: _Estimates, started: dict[str, int]
) -> int:
    """The position in ``queue`` of the job to start next.

    A job of a report that has no measured job yet comes first: of the report with the
    fewest jobs started, the one that reads the most tables (so a cold run starts the effect
    reports and, in its second phase, the national synthesis first), so that every report is
    measured early. Then the longest expected job, so the short ones end the phase on both
    cores; equal ones in the run's order."""
    unknown = [i for i, (job, _) in enumerate(queue) if estimates.expected(job) is None]
    if unknown:

        def untried(i: int) -> tuple[int, int, int]:
            job = queue[i][0]
            return started.get(job.report.name, 0), -len(job.report.inputs or {}), i

        return min(unknown, key=untried)
    return min(range(len(queue)), key=lambda i: (-(estimates.expected(queue[i][0]) or 0.0), i))


def _execute(
    pending: list[tuple[Job, dict[str, Any]]],
    executor: Executor,
    timeout: float,
    reporter: Reporter,
    results: dict[str, JobResult],
    begun: dict[str, _Begun],
    limit: int,
    known: list[Job] | None = None,
    data_dir: Path = Path("data"),
) -> None:
    """Run the jobs, at most ``limit`` sent to the executor at a time (so that a job's manifest
    is only taken away when it is about to run), the longest expected first (:func:`_next_job`;
    ``known``: the run's jobs, whose manifests tell how long each report takes)."""
    queue = list(pending)
    if not queue:
        return
    limit = executor.used_slots = executor.slots(limit)
    estimates = _Estimates(known if known is not None else [job for job, _ in queue])
    started: dict[str, int] = {}
    futures: dict[Future, tuple[Job, dict[str, Any]]] = {}
    while queue or futures:
        while queue and len(futures) < max(1, limit):
            job, provenance = queue.pop(_next_job(queue, estimates, started))
            started[job.report.name] = started.get(job.report.name, 0) + 1
            try:
                begun[job.id] = _begin(job, provenance)
            except OSError as exc:
                path = Path(exc.filename) if exc.filename else job.folder
                results[job.id] = JobResult(
                    job.id,
                    job.report.name,
                    job.lan_kod,
                    JobStatus.MISSLYCKAD,
                    error=write_error(path, exc),
                )
                reporter.job_started(job)
                reporter.job_done(results[job.id])
                continue
            spec = JobSpec(
                job=job.id,
                notebook=job.report.path.resolve(),
                output=job.output,
                parameters=job.parameters,
                timeout=timeout,
                provenance=provenance,
                data_dir=data_dir,
                out_dir=job.folder.parent,
                reads_run=job.reads_run,
            )
            future = executor.run_job(spec)
            futures[future] = (job, provenance)
            reporter.job_started(job)
        if not futures:
            continue
        # With a timeout: Ctrl-C reaches the process on any of its threads (the Dask client's
        # among them), and the main thread acts on it only when it wakes.
        done, _ = wait(set(futures), timeout=0.5, return_when=FIRST_COMPLETED)
        for future in done:
            job, provenance = futures.pop(future)
            try:
                outcome: JobOutcome = future.result()
            except Exception as exc:  # a worker that died
                error = f"arbetsprocessen avslutades oväntat ({type(exc).__name__}: {exc})"
                outcome = JobOutcome(JobStatus.MISSLYCKAD, 0.0, None, error[:300])
            result = JobResult(
                job.id,
                job.report.name,
                job.lan_kod,
                outcome.status,
                round(outcome.seconds, 2),
                outcome.cell,
                outcome.error,
            )
            result = _write_job_manifest(job, provenance, result, outcome.sha256)
            begun.pop(job.id, None)
            estimates.observe(job, result)
            results[job.id] = result
            reporter.job_done(result)


def _job_entry(result: JobResult) -> dict[str, Any]:
    """A job in the run manifest ``korning.json``, under the keys the file format names."""
    return {
        "job": result.job,
        "rapport": result.report,
        "lan_kod": result.lan_kod,
        "status": result.status,
        "sekunder": result.seconds,
        "cell": result.cell,
        "fel": result.error,
    }


def _write_run_manifest(
    out_dir: Path,
    options: RunOptions,
    started: str,
    clock: float,
    jobs: list[Job],
    results: dict[str, JobResult],
    inputs: dict[str, Any],
    parallel: int | None = None,
) -> Path:
    manifest = {
        "start": started,
        "slut": timestamp(),
        "sekunder": round(time.perf_counter() - clock, 2),
        "data_dir": str(options.data_dir.resolve()),
        "regioner": list(options.regions) or "alla",
        "rapporter": list(options.reports) or "alla",
        "parametrar": options.parameters,
        "tvinga": options.force,
        "arbetare": parallel or options.workers or os.cpu_count(),
        "motor": options.engine,
        "schemalaggare": options.scheduler,
        "indata": inputs["files"],
        "versioner": dependency_versions(),
        "kod": code_hash()[:16],
        "git": git_commit(),
        "jobb": [_job_entry(results[j.id]) for j in jobs if j.id in results],
    }
    run_file = out_dir / "korning.json"
    history = out_dir / "korningar" / f"{started.replace(':', '')}.json"
    for path in (run_file, history):
        try:
            write_results(path, manifest)
        except OSError as exc:
            raise ReportError(
                f"Körningens manifest kunde inte sparas: {write_error(path, exc)}. Jobbens "
                "notebookar och manifest är skrivna; kör igen när felet är åtgärdat."
            ) from exc
    return run_file
