"""Read the region jobs' result files of a run: which regions are in, and their key results.

The batch writes ``<korning_dir>/status.json`` (every region × region report, a
:class:`~utvardering.status.JobStatus`) before the national job starts, and each region job
writes its result file (``mognad.json``, ``tema.json``, ``effekt.json``, ``malkedja.json``) in
``<korning_dir>/<lan_kod>/``. A region counts for a report only if its job succeeded, its result
file can be read, and it was run with the synthesis' parameters (the round; the same period for
every region; every funding source; for the effect report, at least one of the synthesis'
outcomes: a file with fewer outcomes is used for those it has).

Each result file is checked against its report's JSON Schema when it is read
(:func:`utvardering.results.read_result`). A file that is not JSON at all (cut short by a crash)
leaves that region out, like a failed job; a file that is JSON but does not follow its schema
(a field removed, a file from an older version) stops the synthesis with a
:class:`~utvardering.results.ResultFileError` that names the file and the field.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pandas as pd

from utvardering.effects.report_type import REPORT_TYPE as EFFECTS_TYPE
from utvardering.errors import ParameterError
from utvardering.goals.report_type import REPORT_TYPE as GOALS_TYPE
from utvardering.maturity.report_type import REPORT_TYPE as MATURITY_TYPE
from utvardering.portfolio.report_type import REPORT_TYPE as PORTFOLIO_TYPE
from utvardering.protocol import ReportType
from utvardering.results import DamagedFileError, read_result, read_results
from utvardering.status import JobStatus
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "REPORTS",
    "Inclusion",
    "Mismatch",
    "RunResults",
    "collect_results",
    "file_outcomes",
]

log = logging.getLogger(__name__)

# The funding scope of the region files the synthesis sums: every project.
ALL_SOURCES = "alla"

# The region reports the synthesis reads, by name, in the order the synthesis shows them.
REPORTS: dict[str, ReportType] = {
    t.name: t for t in (MATURITY_TYPE, PORTFOLIO_TYPE, EFFECTS_TYPE, GOALS_TYPE)
}


class Inclusion(StrEnum):
    """A region's status for one report, as the synthesis sees it (the text layer names it)."""

    INCLUDED = "med"  # in the synthesis
    FAILED = "misslyckad"  # the job failed (or was stopped, or its manifest is damaged)
    NOT_RUN = "saknas"  # the job was not run in this run folder
    NO_FILE = "ingen_fil"  # the job succeeded, but its result file is missing or damaged
    OTHER_PARAMETERS = "andra_parametrar"  # the file was made with other parameters


@dataclass(frozen=True)
class Mismatch:
    """A region file left out because it was made with other parameters than the synthesis'.

    ``field`` is the parameter (``omgang``, ``utfall``, ``finansiering`` or ``period``),
    ``found`` the file's value and ``expected`` the synthesis' (for ``period``: the most common
    period of the run; for ``utfall``: the lists of outcome ids, which have none in common).
    """

    report: str
    lan_kod: str
    field: str
    found: Any
    expected: Any


@dataclass(frozen=True)
class RunResults:
    """The region results of one run that the synthesis uses.

    ``status`` is indexed by every lan_kod (official order) with one column per report and an
    :class:`Inclusion` as value. ``results`` maps report → lan_kod → the checked result file,
    for the regions with status ``med`` only. ``mismatches`` are the files left out because
    they were made with other parameters.
    """

    korning_dir: Path
    status: pd.DataFrame
    results: dict[str, dict[str, dict[str, Any]]]
    updated: str | None = None  # when the batch last wrote status.json (``uppdaterad``)
    mismatches: tuple[Mismatch, ...] = ()
    outcomes: tuple[str, ...] = ()  # the effect outcomes the synthesis pools

    def missing_outcomes(self, code: str) -> tuple[str, ...]:
        """The synthesis' outcomes that the region's effect file (in the synthesis) lacks."""
        payload = self.results["effekt"].get(code)
        if payload is None:
            return ()
        have = set(file_outcomes(payload))
        return tuple(o for o in self.outcomes if o not in have)

    def included(self, report: str) -> list[str]:
        """The region codes whose result for ``report`` is in the synthesis."""
        return [code for code in self.status.index if self.status.loc[code, report] == "med"]

    def excluded(self, report: str) -> dict[str, str]:
        """Region code → status code for the regions that are not in, for ``report``."""
        column = self.status[report]
        return {code: value for code, value in column.items() if value != Inclusion.INCLUDED}

    @property
    def complete(self) -> bool:
        """Every region is in every report."""
        return bool((self.status == Inclusion.INCLUDED).all().all())


def _job_status(korning_dir: Path, code: str, report: str, run_status: Mapping | None) -> JobStatus:
    """The batch's status of one region job: from status.json, else its manifest, else the file.

    A value that is no :class:`JobStatus` (a damaged manifest, ``skadad``) is a failed job.
    """
    if run_status is not None:
        region = run_status.get(code)
        value = region.get(report, JobStatus.SAKNAS) if isinstance(region, Mapping) else None
        value = JobStatus.SAKNAS if value is None else value
    else:
        manifest = korning_dir / code / f"{report}.manifest.json"
        if manifest.is_file():  # a damaged manifest counts as a failed job
            value = (_read(manifest) or {}).get("status", JobStatus.MISSLYCKAD)
        else:  # run by hand without the batch: a result file is all there is
            exists = (korning_dir / code / f"{report}.json").is_file()
            value = JobStatus.KLAR if exists else JobStatus.SAKNAS
    try:
        return JobStatus(value)
    except (ValueError, TypeError):
        return JobStatus.MISSLYCKAD


def _inclusion(job: JobStatus) -> Inclusion:
    if job.succeeded:
        return Inclusion.INCLUDED
    return Inclusion.NOT_RUN if job is JobStatus.SAKNAS else Inclusion.FAILED


def _read(path: Path, report: str | None = None) -> dict[str, Any] | None:
    """A file written by the batch (``report`` None: a status file or manifest) or a region's
    result file, schema-checked; None if it is missing or not JSON at all.

    A result file that is JSON but does not follow its schema raises ResultFileError.
    """
    try:
        return read_results(path) if report is None else read_result(path, report)
    except DamagedFileError as exc:
        log.warning("Kan inte läsa %s: %s", path, exc.reason)
        return None


def file_outcomes(payload: dict[str, Any]) -> tuple[str, ...]:
    """The outcome ids an effect file holds (``utfall``: a list; one id in older files)."""
    value = payload["utfall"]
    return (value,) if isinstance(value, str) else tuple(value)


def _mismatch(
    report: str,
    code: str,
    payload: dict[str, Any],
    omgang: int | None,
    utfall: tuple[str, ...] | None,
    finansiering: str = ALL_SOURCES,
) -> Mismatch | None:
    if report == "mognad" and omgang is not None and payload["omgang"] != omgang:
        return Mismatch(report, code, "omgang", payload["omgang"], omgang)
    # The national sums are of one funding scope: a file made for another is not summed in.
    if report in ("tema", "effekt") and payload.get("finansiering", ALL_SOURCES) != finansiering:
        return Mismatch(report, code, "finansiering", payload.get("finansiering"), finansiering)
    if report == "effekt" and utfall is not None:
        found = file_outcomes(payload)
        if not set(found) & set(utfall):
            return Mismatch(report, code, "utfall", list(found), list(utfall))
    return None


def collect_results(
    korning_dir: Path | str,
    *,
    omgang: int | None = None,
    utfall: tuple[str, ...] | str | None = None,
    finansiering: str = ALL_SOURCES,
) -> RunResults:
    """Read the run in ``korning_dir``: the status of every region and report, and the results.

    ``omgang`` (maturity round) and ``utfall`` (the effect outcome ids to pool; one id or
    several) are the synthesis' parameters. A maturity file of another round, an effect file
    with none of the outcomes and thematic files whose period differs from the most common one
    are left out (status ``andra_parametrar``); an effect file with some of the outcomes is in,
    for those it has (:meth:`RunResults.missing_outcomes`). Raises ParameterError if
    ``korning_dir`` is not a folder, and ResultFileError for a region file that does not
    follow its schema.
    """
    if isinstance(utfall, str):
        utfall = (utfall,)
    korning_dir = Path(korning_dir)
    if not korning_dir.is_dir():
        raise ParameterError(
            f"korning_dir {str(korning_dir)!r} är ingen mapp. Ange utdatamappen från "
            "`utvardering kor` (den med en undermapp per län), t.ex. korning_dir = '../_utdata'."
        )
    run_status, updated = None, None
    if (korning_dir / "status.json").is_file():
        parsed = _read(korning_dir / "status.json") or {}
        run_status, updated = parsed.get("lan"), parsed.get("uppdaterad")
        if not isinstance(run_status, Mapping):  # damaged: fall back on the manifests
            run_status = None
    status = pd.DataFrame(index=pd.Index(LAN_CODES, name="lan_kod"), columns=list(REPORTS))
    results: dict[str, dict[str, dict[str, Any]]] = {report: {} for report in REPORTS}
    mismatches: list[Mismatch] = []
    for report in REPORTS:
        for code in LAN_CODES:
            state = _inclusion(_job_status(korning_dir, code, report, run_status))
            if state is Inclusion.INCLUDED:
                payload = _read(korning_dir / code / f"{report}.json", report)
                if payload is None or payload["lan_kod"] != code:
                    state = Inclusion.NO_FILE
                elif (
                    why := _mismatch(report, code, payload, omgang, utfall, finansiering)
                ) is not None:
                    state = Inclusion.OTHER_PARAMETERS
                    mismatches.append(why)
                else:
                    results[report][code] = payload
            status.loc[code, report] = state.value
    periods = Counter(tuple(p["period"]) for p in results["tema"].values())
    if len(periods) > 1:
        usual = periods.most_common(1)[0][0]
        for code, payload in list(results["tema"].items()):
            if tuple(payload["period"]) != usual:
                del results["tema"][code]
                status.loc[code, "tema"] = Inclusion.OTHER_PARAMETERS.value
                mismatches.append(Mismatch("tema", code, "period", payload["period"], list(usual)))
    return RunResults(
        korning_dir, status.astype(str), results, updated, tuple(mismatches), tuple(utfall or ())
    )
