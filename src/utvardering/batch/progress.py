"""Progress of a run for people: a live bar on a terminal, plain lines in a log, or quiet."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from utvardering.batch.jobs import Job
from utvardering.batch.run import JobResult, RunSummary
from utvardering.status import JobStatus

__all__ = ["PlainReporter", "QuietReporter", "RichReporter", "make_reporter", "summary_table"]


def summary_table(summary: RunSummary) -> str:
    """The run as a table: job, status, time, and for failures the cell and the error."""
    rows = [("jobb", "status", "tid", "fel")]
    for r in summary.results:
        error = ""
        if r.status == JobStatus.MISSLYCKAD:
            error = (f"cell {r.cell}: " if r.cell is not None else "") + (r.error or "")
        ran = r.status in (JobStatus.KLAR, JobStatus.MISSLYCKAD)
        seconds = f"{r.seconds:.1f} s" if ran else ""
        rows.append((r.job, r.status.label, seconds, error))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for n, row in enumerate(rows):
        lines.append(
            "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  ---")
    counts: dict[JobStatus, int] = {}
    for r in summary.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    totals = ", ".join(f"{n} {s.label.split(' ')[0]}" for s, n in counts.items())
    lines.append(f"\n{len(summary.results)} jobb på {summary.seconds:.1f} s: {totals}.")
    lines.append(f"Körningens manifest: {summary.manifest}")
    return "\n".join(line.rstrip() for line in lines)


class QuietReporter:
    """Nothing while running; the command line prints failures and the summary line."""

    def start(self, total: int, skipped: int) -> None: ...
    def job_started(self, job: Job) -> None: ...
    def job_done(self, result: JobResult) -> None: ...
    def finish(self, summary: RunSummary) -> None: ...


class PlainReporter:
    """One line per finished job, for logs and CI."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout
        self.total = self.done = 0

    def start(self, total: int, skipped: int) -> None:
        self.total = total
        self.stream.write(f"{total} jobb, varav {skipped} oförändrade.\n")

    def job_started(self, job: Job) -> None: ...

    def job_done(self, result: JobResult) -> None:
        self.done += 1
        if result.status == JobStatus.OFORANDRAD:
            return
        extra = f" ({result.seconds:.1f} s)" if result.seconds else ""
        self.stream.write(
            f"[{self.done}/{self.total}] {result.job}: {result.status.label}{extra}\n"
        )
        self.stream.flush()

    def finish(self, summary: RunSummary) -> None: ...


class RichReporter:
    """A live bar with running, done and failed counts and the time left."""

    def __init__(self):
        self.progress = Progress(
            TextColumn("[bold]Kör rapporter"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            TextColumn("kvar"),
            TimeRemainingColumn(),
        )
        self.task = None
        self.running = self.done = self.failed = 0
        self.started = time.perf_counter()

    def _counts(self) -> str:
        return f"pågår {self.running} · klara {self.done} · misslyckade {self.failed}"

    def start(self, total: int, skipped: int) -> None:
        self.progress.start()
        self.task = self.progress.add_task("kor", total=total, counts=self._counts())

    def job_started(self, job: Job) -> None:
        self.running += 1
        self.progress.update(self.task, counts=self._counts())

    def job_done(self, result: JobResult) -> None:
        if result.status != JobStatus.OFORANDRAD:
            self.running = max(0, self.running - 1)
        if not result.status.succeeded:
            self.failed += 1
        else:
            self.done += 1
        self.progress.update(self.task, advance=1, counts=self._counts())

    def finish(self, summary: RunSummary) -> None:
        self.close()

    def close(self) -> None:
        """Stop the live bar and give the terminal back (also when a run is interrupted)."""
        self.progress.stop()


def make_reporter(quiet: bool, stream: TextIO | None = None):
    """The reporter for this terminal: quiet, a bar on a TTY, plain lines otherwise."""
    stream = stream or sys.stdout
    if quiet:
        return QuietReporter()
    if stream.isatty():
        return RichReporter()
    return PlainReporter(stream)
