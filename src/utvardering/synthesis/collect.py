"""Read the region jobs' result files of a run: which regions are in, and their key results.

The batch writes ``<korning_dir>/status.json`` (every region × region report: ``klar``,
``misslyckad`` or ``saknas``) before the national job starts, and each region job writes its
result file (``mognad.json``, ``tema.json``, ``effekt.json``) in ``<korning_dir>/<lan_kod>/``.
A region counts for a report only if its job succeeded, its result file can be read, and it
was run with the synthesis' parameters (round, outcome; the same period for every region).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from utvardering.errors import ParameterError
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "COVERAGE_LABELS",
    "REPORTS",
    "RunResults",
    "collect_results",
]

log = logging.getLogger(__name__)

# The region reports the synthesis reads, with their Swedish titles.
REPORTS: dict[str, str] = {
    "mognad": "Mognadsbedömning",
    "tema": "Tematisk utvärdering",
    "effekt": "Effektanalys",
}
# A region's status for one report, as the synthesis sees it, with its Swedish label.
COVERAGE_LABELS: dict[str, str] = {
    "med": "med",
    "misslyckad": "misslyckades",
    "saknas": "saknas (inte körd)",
    "ingen_fil": "resultatfil saknas eller är trasig",
    "andra_parametrar": "körd med andra parametrar",
}


@dataclass(frozen=True)
class RunResults:
    """The region results of one run that the synthesis uses.

    ``status`` is indexed by every lan_kod (official order) with one column per report and a
    code of :data:`COVERAGE_LABELS` as value. ``results`` maps report → lan_kod → the parsed
    result file, for the regions with status ``med`` only. ``notes`` holds Swedish sentences
    about files that were left out for a reason other than the job's status.
    """

    korning_dir: Path
    status: pd.DataFrame
    results: dict[str, dict[str, dict[str, Any]]]
    uppdaterad: str | None = None
    notes: tuple[str, ...] = ()

    def included(self, report: str) -> list[str]:
        """The region codes whose result for ``report`` is in the synthesis."""
        return [code for code in self.status.index if self.status.loc[code, report] == "med"]

    def excluded(self, report: str) -> dict[str, str]:
        """Region code → status code for the regions that are not in, for ``report``."""
        column = self.status[report]
        return {code: value for code, value in column.items() if value != "med"}

    @property
    def complete(self) -> bool:
        """Every region is in every report."""
        return bool((self.status == "med").all().all())


def _job_status(korning_dir: Path, code: str, report: str, run_status: Mapping | None) -> str:
    """The batch's status of one region job: from status.json, else its manifest, else the file."""
    if run_status is not None:
        region = run_status.get(code)
        value = region.get(report, "saknas") if isinstance(region, Mapping) else "saknas"
    else:
        manifest = korning_dir / code / f"{report}.manifest.json"
        if manifest.is_file():  # a damaged manifest counts as a failed job
            value = (_read(manifest) or {}).get("status", "misslyckad")
        else:  # run by hand without the batch: a result file is all there is
            value = "klar" if (korning_dir / code / f"{report}.json").is_file() else "saknas"
    if value in ("klar", "oforandrad"):
        return "klar"
    return "saknas" if value == "saknas" else "misslyckad"


def _read(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("Kan inte läsa %s: %s", path, exc)
        return None
    return data if isinstance(data, dict) else None


def _parameter_mismatch(
    report: str, payload: dict[str, Any], omgang: int | None, utfall: str | None
) -> str | None:
    if report == "mognad" and omgang is not None and payload.get("omgang") != omgang:
        return f"omgång {payload.get('omgang')} i stället för {omgang}"
    if report == "effekt" and utfall is not None and payload.get("utfall") != utfall:
        return f"utfallet {payload.get('utfall')} i stället för {utfall}"
    return None


def collect_results(
    korning_dir: Path | str,
    *,
    omgang: int | None = None,
    utfall: str | None = None,
    region_names: Mapping[str, str] | None = None,
) -> RunResults:
    """Read the run in ``korning_dir``: the status of every region and report, and the results.

    ``omgang`` (maturity round) and ``utfall`` (effect outcome) are the synthesis' parameters;
    a region file made with other values is left out (status ``andra_parametrar``), as are
    thematic files whose period differs from the most common one. Raises ParameterError if
    ``korning_dir`` is not a folder.
    """
    korning_dir = Path(korning_dir)
    if not korning_dir.is_dir():
        raise ParameterError(
            f"korning_dir {str(korning_dir)!r} är ingen mapp. Ange utdatamappen från "
            "`utvardering kor` (den med en undermapp per län), t.ex. korning_dir = '../_utdata'."
        )
    names = dict(region_names or {})
    status_file = korning_dir / "status.json"
    run_status, updated = None, None
    if status_file.is_file():
        parsed = _read(status_file) or {}
        run_status, updated = parsed.get("lan"), parsed.get("uppdaterad")
        if not isinstance(run_status, Mapping):  # damaged: fall back on the manifests
            run_status = None
    status = pd.DataFrame(index=pd.Index(LAN_CODES, name="lan_kod"), columns=list(REPORTS))
    results: dict[str, dict[str, dict[str, Any]]] = {report: {} for report in REPORTS}
    notes: list[str] = []
    for report in REPORTS:
        for code in LAN_CODES:
            state = _job_status(korning_dir, code, report, run_status)
            if state == "klar":
                payload = _read(korning_dir / code / f"{report}.json")
                if payload is None or payload.get("lan_kod") != code:
                    state = "ingen_fil"
                elif (why := _parameter_mismatch(report, payload, omgang, utfall)) is not None:
                    state = "andra_parametrar"
                    notes.append(f"{REPORTS[report]} för {names.get(code, code)} gäller {why}.")
                else:
                    state = "med"
                    results[report][code] = payload
            status.loc[code, report] = state
    periods = Counter(tuple(p.get("period", ())) for p in results["tema"].values())
    if len(periods) > 1:
        usual = periods.most_common(1)[0][0]
        for code, payload in list(results["tema"].items()):
            if tuple(payload.get("period", ())) != usual:
                del results["tema"][code]
                status.loc[code, "tema"] = "andra_parametrar"
                notes.append(
                    f"{REPORTS['tema']} för {names.get(code, code)} gäller perioden "
                    f"{payload.get('period')} i stället för {list(usual)}."
                )
    return RunResults(korning_dir, status.astype(str), results, updated, tuple(notes))
