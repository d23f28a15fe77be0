"""The job matrix: regions × reports × their parameters, plus the national jobs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from utvardering.batch.discover import Report
from utvardering.batch.params import (
    OWNED_PARAMETERS,
    check_not_owned,
    check_parameters,
    coerce_value,
    safe_component,
)
from utvardering.errors import ParameterError

__all__ = ["NATIONAL_FOLDER", "Job", "build_jobs"]

# The folder of the national jobs (a name no region code can take).
NATIONAL_FOLDER = "riket"


@dataclass(frozen=True)
class Job:
    """One notebook run: a report for a region (or for the country), with its parameters."""

    report: Report
    lan_kod: str | None
    parameters: dict[str, Any] = field(hash=False)
    folder: Path

    @property
    def id(self) -> str:
        return f"{self.lan_kod or NATIONAL_FOLDER}/{self.report.name}"

    @property
    def output(self) -> Path:
        return self.folder / f"{self.report.name}.ipynb"

    @property
    def manifest_path(self) -> Path:
        return self.folder / f"{self.report.name}.manifest.json"

    @property
    def national(self) -> bool:
        return self.lan_kod is None

    @property
    def reads_run(self) -> bool:
        """The job reads the run's region results: it runs after the other region jobs. A
        national job does, except a part of a report made ahead of it (``part_of``)."""
        return self.report.reads_run or (self.national and self.report.part_of is None)


def build_jobs(
    reports: dict[str, Report],
    regions: list[str],
    selected: list[str] | None,
    extra: dict[str, Any],
    data_dir: Path,
    out_dir: Path,
    parts: dict[str, Report] | None = None,
    sources: Mapping[str, str] | None = None,
) -> list[Job]:
    """Every job of a run, region jobs first, each with its checked parameters.

    ``parts`` (:func:`~utvardering.batch.discover.discover_parts`) are made for the reports
    they are part of: a chosen report brings its parts along, each just before it (after
    the region reports in a full run), and a part can be asked for by name.

    A region report that reads the run (:attr:`Report.reads_run`, the summary) also gets
    ``korning_dir``, the run folder, like the national jobs.

    ``extra`` holds parameters given by the user; each goes to the reports that have it, and
    one that no selected report has is an error, and so is one the batch sets itself (the
    region, the data and output folders). Raises ParameterError before anything runs.
    ``sources`` says where a parameter of ``extra`` was given ("parameterfilen p.yaml",
    "--matris"), so that a message about it can say so.
    """
    sources = sources or {}
    check_not_owned(extra)
    parts = parts or {}
    known = {**reports, **parts}
    names = selected or list(reports)
    unknown = [n for n in names if n not in known]
    if unknown:
        for name in unknown:
            safe_component(name, "rapport")
        raise ParameterError(
            f"Okänd rapport: {', '.join(unknown)}. Rapporter som finns: {', '.join(reports)}."
        )
    chosen: list[Report] = []
    for name in dict.fromkeys(names):
        # A report's parts just before it (a part asked for by name: once, where named).
        chosen += [p for p in parts.values() if p.part_of == name and p.name not in names]
        chosen.append(known[name])
    if not selected:  # national jobs join a full run; asked for by name, they run alone
        # In the order they run: the region reports, the parts of the national reports,
        # the region reports that read the run, the national reports.
        chosen = sorted(chosen, key=_stage)
    orphans = [p for p in extra if not any(p in r.parameters for r in chosen)]
    if orphans:
        named = ", ".join(p + (f" (från {sources[p]})" if p in sources else "") for p in orphans)
        offered = sorted({p for r in chosen for p in r.parameters} - set(OWNED_PARAMETERS))
        raise ParameterError(
            "Ingen av rapporterna "
            + ", ".join(r.name for r in chosen)
            + f" har parametern {named}. Parametrar de har: {', '.join(offered) or '(inga)'}."
        )
    jobs: list[Job] = []
    for report in chosen:
        own = {
            k: coerce_value(v, report.parameters[k].type_name)
            for k, v in extra.items()
            if k in report.parameters
        }
        if report.level == "region":
            for code in regions:
                folder = out_dir / safe_component(code, "län")
                params = {"lan_kod": code, "data_dir": str(data_dir), "utdata_dir": str(folder)}
                if report.reads_run:
                    params["korning_dir"] = str(out_dir)
                jobs.append(_job(report, code, {**params, **own}, folder, sources))
        else:
            folder = out_dir / NATIONAL_FOLDER
            params = {
                "data_dir": str(data_dir),
                "utdata_dir": str(folder),
                "korning_dir": str(out_dir),
            }
            jobs.append(_job(report, None, {**params, **own}, folder, sources))
    return jobs


def _stage(report: Report) -> int:
    if report.level == "region":
        return 2 if report.reads_run else 0
    return 1 if report.part_of is not None else 3


def _job(
    report: Report,
    code: str | None,
    params: dict[str, Any],
    folder: Path,
    sources: Mapping[str, str],
) -> Job:
    given = {k: v for k, v in params.items() if k in report.parameters or k not in _STANDARD}
    missing = [k for k in _STANDARD if k in params and k not in report.parameters]
    if report.level == "region" and "lan_kod" in missing:
        raise ParameterError(
            f"Notebooken {report.path.name} saknar parametern 'lan_kod' i sin parametercell."
        )
    check_parameters(report, given, sources)
    return Job(report=report, lan_kod=code, parameters=given, folder=folder)


# Parameters the batch gives every job; a notebook that lacks one simply does not get it.
_STANDARD = tuple(OWNED_PARAMETERS)
