"""Run every report for every region: validate once, skip what has not changed, run the rest
in parallel, isolate failures, and leave a manifest of what was done."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from utvardering.batch.discover import NOTEBOOK_DIR, discover_reports
from utvardering.batch.executor import (
    KERNEL_LOG_ENV,
    Executor,
    JobOutcome,
    LocalProcessExecutor,
    execute_job,
)
from utvardering.batch.fingerprint import (
    code_hash,
    data_file_hashes,
    dependency_versions,
    git_commit,
    notebook_hash,
    region_row_hashes,
    sha256_text,
)
from utvardering.batch.jobs import Job, build_jobs
from utvardering.batch.lock import OutputLock
from utvardering.batch.params import check_regions
from utvardering.dataset import CACHE_ENV
from utvardering.errors import ParameterError
from utvardering.results import write_results
from utvardering.vocabulary import LAN_CODES

__all__ = ["DEFAULT_OUT_DIR", "JobResult", "Reporter", "RunOptions", "RunSummary", "run_batch"]

DEFAULT_OUT_DIR = Path("_utdata")
_CACHE = ".cache"
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


@dataclass(frozen=True)
class JobResult:
    """A job's end: ``klar``, ``oforandrad`` (skipped), ``misslyckad`` or ``avbruten``."""

    job: str
    rapport: str
    lan_kod: str | None
    status: str
    sekunder: float = 0.0
    cell: int | None = None
    fel: str | None = None


@dataclass(frozen=True)
class RunSummary:
    results: tuple[JobResult, ...]
    seconds: float
    manifest: Path

    @property
    def failed(self) -> tuple[JobResult, ...]:
        return tuple(r for r in self.results if r.status in ("misslyckad", "avbruten"))


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


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _validated_inputs(data_dir: Path, out_dir: Path, region_tables: set[str]) -> dict[str, Any]:
    """File hashes of the data folder, validated once; region hashes of the tables that need
    them. Both are cached by the files' hashes, so an unchanged folder is not read again."""
    files = data_file_hashes(data_dir)
    key = sha256_text({"files": files, "code": code_hash(), "tables": sorted(region_tables)})
    cache = out_dir / _CACHE / "indata.json"
    if cache.is_file():
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if cached.get("key") == key:
            return cached
    from utvardering.dataset import load_dataset  # raises DataValidationError with every issue

    # Validated once, here, and cached whole: every job's kernel then reads its parts from it.
    previous = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = str(out_dir / _CACHE / "data")
    try:
        dataset = load_dataset(data_dir)
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
    write_results(cache, state)
    return state


def _inputs_of(job: Job, inputs: dict[str, Any]) -> dict[str, str]:
    scopes = job.report.inputs or {name: "alla" for name in inputs["files"]}
    out = {}
    for table, scope in sorted(scopes.items()):
        if scope == "region" and job.lan_kod and table in inputs["regions"]:
            out[f"{table}[{job.lan_kod}]"] = inputs["regions"][table].get(job.lan_kod, "inga rader")
        else:
            out[table] = inputs["files"].get(table, "saknas")
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
    return {**base, "fingerprint": fingerprint, "start": _now()}


def _up_to_date(job: Job, fingerprint: str) -> bool:
    if not job.manifest_path.is_file() or not job.output.is_file():
        return False
    manifest = json.loads(job.manifest_path.read_text(encoding="utf-8"))
    return manifest.get("status") == "klar" and manifest.get("fingerprint") == fingerprint


def _region_status(out_dir: Path, report_names: list[str]) -> dict[str, dict[str, str]]:
    """Status of every region × region report in the output folder (for the synthesis)."""
    status: dict[str, dict[str, str]] = {}
    for code in LAN_CODES:
        status[code] = {}
        for name in report_names:
            path = out_dir / code / f"{name}.manifest.json"
            if path.is_file():
                status[code][name] = json.loads(path.read_text(encoding="utf-8"))["status"]
            else:
                status[code][name] = "saknas"
    return status


def run_batch(
    options: RunOptions, reporter: Reporter | None = None, executor: Executor | None = None
) -> RunSummary:
    """Run the job matrix; see the module docstring. Raises ParameterError or
    DataValidationError before any kernel starts, ReportError if another run holds the lock."""
    reporter = reporter or _Silent()
    started, clock = _now(), time.perf_counter()
    data_dir, out_dir = options.data_dir.resolve(), options.out_dir.resolve()
    reports = discover_reports(options.notebook_dir)
    if not reports:
        raise ParameterError(f"Hittade inga rapportnotebookar i {options.notebook_dir}.")
    regions = check_regions(list(options.regions)) if options.regions else list(LAN_CODES)
    jobs = build_jobs(
        reports, regions, list(options.reports), options.parameters, data_dir, out_dir
    )
    region_tables = {
        t for r in reports.values() for t, s in (r.inputs or {}).items() if s == "region"
    }
    results: dict[str, JobResult] = {}
    with OutputLock(out_dir):
        inputs = _validated_inputs(data_dir, out_dir, region_tables)
        region_jobs = [j for j in jobs if not j.national]
        national_jobs = [j for j in jobs if j.national]
        pending: list[tuple[Job, dict[str, Any]]] = []
        for job in region_jobs:
            provenance = _provenance(job, inputs, {})
            if not options.force and _up_to_date(job, provenance["fingerprint"]):
                results[job.id] = JobResult(job.id, job.report.name, job.lan_kod, "oforandrad")
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
            CACHE_ENV: str(out_dir / _CACHE / "data"),
            KERNEL_LOG_ENV: str(out_dir / _CACHE / "karnor.log"),
        }
        settings |= {name: threads for name in _THREAD_VARIABLES}
        previous = {name: os.environ.get(name) for name in settings}
        os.environ.update(settings)
        executor = executor or LocalProcessExecutor(workers)
        try:
            _execute(pending, executor, options.timeout, reporter, results)
            region_names = [r.name for r in reports.values() if r.level == "region"]
            status = _region_status(out_dir, region_names)
            if national_jobs:
                write_results(out_dir / "status.json", {"lan": status, "uppdaterad": _now()})
            later = []
            for job in national_jobs:
                provenance = _provenance(
                    job,
                    inputs,
                    {
                        "regioner": status,
                        "beroenden": [_manifest_fingerprint(j) for j in region_jobs],
                    },
                )
                if not options.force and _up_to_date(job, provenance["fingerprint"]):
                    results[job.id] = JobResult(job.id, job.report.name, None, "oforandrad")
                    reporter.job_done(results[job.id])
                else:
                    later.append((job, provenance))
            _execute(later, executor, options.timeout, reporter, results)
        except KeyboardInterrupt:
            executor.shutdown(cancel=True)
            for job in jobs:
                results.setdefault(
                    job.id, JobResult(job.id, job.report.name, job.lan_kod, "avbruten")
                )
            _write_run_manifest(out_dir, options, started, clock, jobs, results, inputs)
            raise
        finally:
            for name, value in previous.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        executor.shutdown()
        manifest = _write_run_manifest(out_dir, options, started, clock, jobs, results, inputs)
    ordered = tuple(results[j.id] for j in jobs)
    summary = RunSummary(ordered, time.perf_counter() - clock, manifest)
    reporter.finish(summary)
    return summary


def _manifest_fingerprint(job: Job) -> str | None:
    if not job.manifest_path.is_file():
        return None
    return json.loads(job.manifest_path.read_text(encoding="utf-8")).get("fingerprint")


def _execute(
    pending: list[tuple[Job, dict[str, Any]]],
    executor: Executor,
    timeout: float,
    reporter: Reporter,
    results: dict[str, JobResult],
) -> None:
    futures: dict[Future, tuple[Job, dict[str, Any]]] = {}
    for job, provenance in pending:
        job.folder.mkdir(parents=True, exist_ok=True)
        future = executor.submit(
            execute_job,
            str(job.report.path.resolve()),
            str(job.output),
            job.parameters,
            timeout,
            provenance,
        )
        futures[future] = (job, provenance)
        reporter.job_started(job)
    remaining = set(futures)
    while remaining:
        done, remaining = wait(remaining, return_when=FIRST_COMPLETED)
        for future in done:
            job, provenance = futures[future]
            try:
                outcome: JobOutcome = future.result()
            except Exception as exc:  # a worker that died
                outcome = JobOutcome("misslyckad", 0.0, None, f"{type(exc).__name__}: {exc}")
            result = JobResult(
                job.id,
                job.report.name,
                job.lan_kod,
                outcome.status,
                round(outcome.seconds, 2),
                outcome.cell,
                outcome.error,
            )
            manifest = {
                **provenance,
                "slut": _now(),
                "status": outcome.status,
                "sekunder": result.sekunder,
                "cell": outcome.cell,
                "fel": outcome.error,
            }
            write_results(job.manifest_path, manifest)
            results[job.id] = result
            reporter.job_done(result)


def _write_run_manifest(
    out_dir: Path,
    options: RunOptions,
    started: str,
    clock: float,
    jobs: list[Job],
    results: dict[str, JobResult],
    inputs: dict[str, Any],
) -> Path:
    manifest = {
        "start": started,
        "slut": _now(),
        "sekunder": round(time.perf_counter() - clock, 2),
        "data_dir": str(options.data_dir.resolve()),
        "regioner": list(options.regions) or "alla",
        "rapporter": list(options.reports) or "alla",
        "parametrar": options.parameters,
        "tvinga": options.force,
        "arbetare": options.workers or os.cpu_count(),
        "indata": inputs["files"],
        "versioner": dependency_versions(),
        "kod": code_hash()[:16],
        "git": git_commit(),
        "jobb": [asdict(results[j.id]) for j in jobs if j.id in results],
    }
    history = out_dir / "korningar" / f"{started.replace(':', '')}.json"
    write_results(history, manifest)
    return write_results(out_dir / "korning.json", manifest)
