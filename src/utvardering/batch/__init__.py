"""Batch runs of all regions: job matrix, parameter checks, parallel papermill execution,
failure isolation, incremental reruns, provenance manifests and a lock on the output folder."""

from utvardering.batch.discover import Report, discover_reports
from utvardering.batch.executor import Executor, LocalProcessExecutor
from utvardering.batch.jobs import Job, build_jobs
from utvardering.batch.run import DEFAULT_OUT_DIR, JobResult, RunOptions, RunSummary, run_batch

__all__ = [
    "DEFAULT_OUT_DIR",
    "Executor",
    "Job",
    "JobResult",
    "LocalProcessExecutor",
    "Report",
    "RunOptions",
    "RunSummary",
    "build_jobs",
    "discover_reports",
    "run_batch",
]
