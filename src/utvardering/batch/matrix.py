"""Parameter matrices: ``utvardering kor --matris namn=a,b annan=x,y`` runs the cross product
of the values, each combination as a complete run of its own, one after the other.

A combination's run is an ordinary run (:func:`~utvardering.batch.run.run_batch`) in its own
folder ``<utdata>/matris/<kombination>/``, with its own ``korning.json``, job manifests and
lock: ``utvardering publicera --utdata <utdata>/matris/<kombination>`` publishes it, and a job
whose inputs have not changed since the last run of the same combination is skipped. A
folder's name is made from its own combination alone (never from the others), so that a
matrix with one value more finds the folders of the combinations it already had.

Every combination is checked before the first one runs: a value that is wrong for a report in
the third combination stops the matrix before the first kernel starts. After the runs (also
after a run that failed or was interrupted) ``<utdata>/matris/matris.json`` lists every
combination: its parameters, folder, job counts, seconds and the command that publishes it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import logging
import re
import shlex
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from utvardering.batch.discover import NOTEBOOK_DIR
from utvardering.batch.fingerprint import sha256_text
from utvardering.batch.jobs import Job, build_jobs
from utvardering.batch.lock import OutputLock
from utvardering.batch.params import (
    MAX_VALUE_CHARS,
    OWNED_PARAMETERS,
    check_not_owned,
    check_regions,
    safe_component,
)
from utvardering.batch.reportcache import cached_discovery
from utvardering.batch.run import (
    CACHE_FOLDER,
    Reporter,
    RunOptions,
    RunSummary,
    run_batch,
    terminate_as_interrupt,
    timestamp,
)
from utvardering.defaults import DEFAULT_DATA_DIR
from utvardering.errors import (
    ParameterError,
    ReportError,
    UtvarderingError,
    describe_os_error,
    printable,
)
from utvardering.format import counted
from utvardering.results import DamagedFileError, read_results, write_results
from utvardering.status import JobStatus
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "ERROR",
    "INDEX_FILE",
    "MATRIX_FOLDER",
    "MAX_COMBINATIONS",
    "NOT_RUN",
    "Combination",
    "CombinationResult",
    "MatrixSummary",
    "check_matrix",
    "check_runs",
    "combinations",
    "counts_text",
    "folder_name",
    "parse_matrix",
    "publish_command",
    "run_matrix",
]

log = logging.getLogger(__name__)

# The folder of a matrix' runs in the output folder, and the index of its combinations there.
MATRIX_FOLDER = "matris"
INDEX_FILE = "matris.json"
_INDEX_FORMAT = 1
# More runs than this in one command is a mistake in the values, not a plan.
MAX_COMBINATIONS = 1000
# A combination's state in the index beyond a run's own (klar, misslyckad, avbruten): the
# run raised an error (the data did not validate, another run held its folder), or it never
# started because an earlier one stopped the matrix.
ERROR = "fel"
NOT_RUN = "inte_kord"
# The job states the index counts per combination.
COUNTED = (JobStatus.KLAR, JobStatus.OFORANDRAD, JobStatus.MISSLYCKAD, JobStatus.AVBRUTEN)
_COUNT_WORDS = {
    JobStatus.KLAR: ("klar", "klara"),
    JobStatus.OFORANDRAD: ("oförändrad", "oförändrade"),
    JobStatus.MISSLYCKAD: ("misslyckad", "misslyckade"),
    JobStatus.AVBRUTEN: ("avbruten", "avbrutna"),
}
# The longest folder name (safe_component's limit); a longer one is cut and given a hash.
_MAX_FOLDER = 64
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Combination:
    """One combination of the matrix: its number (from 1) of ``total``, its parameters (name
    to value as given on the command line, in the order of ``--matris``) and the name of its
    folder in ``<utdata>/matris``."""

    number: int
    total: int
    parameters: dict[str, str]
    folder: str

    @property
    def label(self) -> str:
        """``utfall=omsattning_tkr, omgang=2023``, printable on a terminal."""
        return printable(", ".join(f"{k}={v}" for k, v in self.parameters.items()))


@dataclass(frozen=True)
class CombinationResult:
    """How a combination's run ended: ``status`` is ``klar`` or ``misslyckad`` (some job
    failed), ``avbruten``, :data:`ERROR` or :data:`NOT_RUN`; ``counts`` the jobs per state
    (None when unknown), ``summary`` the run's summary when it finished."""

    combination: Combination
    status: str
    counts: dict[str, int] | None = None
    seconds: float | None = None
    summary: RunSummary | None = None
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status != JobStatus.KLAR


@dataclass(frozen=True)
class MatrixSummary:
    results: tuple[CombinationResult, ...]
    seconds: float
    index: Path

    @property
    def failed(self) -> tuple[CombinationResult, ...]:
        return tuple(r for r in self.results if r.failed)


# --- parsing and checking --------------------------------------------------------------------


def parse_matrix(texts: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """``namn=v1,v2`` assignments of ``--matris`` as name → values (text, typed per notebook
    like ``-p`` values), in the order given. Raises ParameterError, naming the assignment, for
    a missing ``=`` or name, no values, an empty value, a value given twice, a parameter given
    twice, and for more than :data:`MAX_COMBINATIONS` combinations."""
    matrix: dict[str, tuple[str, ...]] = {}
    for text in texts:
        name, sep, raw = text.partition("=")
        name = name.strip()
        shown = printable(text[:60])
        if not sep:
            raise ParameterError(
                f"--matris '{shown}' ska skrivas namn=värde1,värde2, t.ex. "
                "--matris omgang=2023,2025."
            )
        if not name:
            raise ParameterError(
                f"--matris '{shown}': parameternamnet saknas före '='; skriv namn=värde1,värde2."
            )
        if not name.isidentifier():
            raise ParameterError(
                f"--matris: parameternamnet '{printable(name[:60])}' är ogiltigt: ett namn är "
                "bokstäver, siffror och _, t.ex. --matris omgang=2023,2025."
            )
        if name in matrix:
            raise ParameterError(
                f"--matris: parametern '{name}' anges två gånger; skriv alla dess värden i en "
                f"och samma, t.ex. {name}=a,b."
            )
        if len(raw) > MAX_VALUE_CHARS:
            raise ParameterError(
                f"--matris: värdena för parametern '{name}' är för långa ({len(raw)} tecken; "
                f"högst {MAX_VALUE_CHARS})."
            )
        if not raw.strip():
            raise ParameterError(
                f"--matris {name}=: inga värden för parametern '{name}'; skriv dem med komma "
                f"emellan, t.ex. {name}=a,b."
            )
        values = [v.strip() for v in raw.split(",")]
        empty = [n for n, v in enumerate(values, 1) if not v]
        if empty:
            raise ParameterError(
                f"--matris {name}={printable(raw[:60])}: värde nummer {empty[0]} av "
                f"{len(values)} är tomt (två komman i rad, eller ett komma först eller sist)."
            )
        twice = [v for v, n in Counter(values).items() if n > 1]
        if twice:
            raise ParameterError(
                f"--matris {name}: värdet '{printable(twice[0][:60])}' anges två gånger."
            )
        matrix[name] = tuple(values)
    total = 1
    for values in matrix.values():
        total *= len(values)
    if total > MAX_COMBINATIONS:
        raise ParameterError(
            f"--matris ger {total} kombinationer (högst {MAX_COMBINATIONS}); kör färre värden "
            "åt gången."
        )
    return matrix


def check_matrix(
    matrix: Mapping[str, Sequence[str]],
    given: Mapping[str, Any],
    sources: Mapping[str, str] | None = None,
) -> None:
    """Raise ParameterError for a matrix parameter that the batch sets itself, or that is
    also given with ``-p`` or in the parameter file (``given``; ``sources`` says where)."""
    check_not_owned(matrix, "med --matris")
    both = [n for n in matrix if n in given]
    if both:
        where = (sources or {}).get(both[0], "-p")
        raise ParameterError(
            f"Parametern {', '.join(both)} anges både med --matris och med {where}; ta bort "
            "den ena."
        )


def combinations(matrix: Mapping[str, Sequence[str]]) -> list[Combination]:
    """The cross product of the values, the last parameter's values varying fastest, each
    with its folder; ParameterError if two would share a folder (also on a file system that
    does not tell upper from lower case)."""
    names = list(matrix)
    sets = [dict(zip(names, values, strict=True)) for values in itertools.product(*matrix.values())]
    found = [Combination(n, len(sets), p, folder_name(p)) for n, p in enumerate(sets, 1)]
    seen: dict[str, Combination] = {}
    for combination in found:
        other = seen.setdefault(combination.folder.casefold(), combination)
        if other is not combination:
            raise ParameterError(
                f"Kombinationerna {other.label} och {combination.label} skulle få samma mapp "
                f"({combination.folder}); ändra ett av värdena."
            )
    return found


def folder_name(parameters: Mapping[str, str]) -> str:
    """The folder of a combination: ``namn-värde`` parts, by name, joined by ``_``, e.g.
    ``omgang-2023_utfall-omsattning_tkr``.

    A value with characters that are not safe in a path (anything but letters a–z, digits,
    ``_`` and ``-``) is written with the nearest safe ones (``å`` as ``a``, ``0.5`` as ``0-5``),
    and then the name ends with a short hash of the exact combination, so that ``0.5`` and
    ``0,5`` or ``Å`` and ``A`` never share a folder; so does a name longer than 64 characters,
    cut to fit."""
    parts = []
    exact = True
    for name in sorted(parameters):
        value = str(parameters[name])
        ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
        slug = _UNSAFE.sub("-", ascii_text).strip("-")
        exact = exact and slug == value
        parts.append(f"{name}-{slug}")
    text = "_".join(parts)
    stripped = text.lstrip("_-")
    exact = exact and stripped == text
    if not exact or len(stripped) > _MAX_FOLDER or not stripped:
        digest = sha256_text(dict(parameters))[:8]
        stripped = f"{stripped[: _MAX_FOLDER - len(digest) - 1].rstrip('_-')}-{digest}"
        stripped = stripped.lstrip("-") or digest
    return safe_component(stripped, "kombinationens mapp")


def check_runs(
    options: RunOptions,
    runs: Sequence[tuple[str | None, Mapping[str, Any], Path]],
    sources: Mapping[str, str] | None = None,
    cache_dir: Path | None = None,
) -> list[list[Job]]:
    """The checks of :func:`~utvardering.batch.run.run_batch` before any kernel starts (the
    data folder, the reports, the regions, every job's parameters), for each of ``runs``
    (label, parameters, output folder) at once, so that a wrong value in the last run is found
    before the first one starts. A message about a run is led by its label; ``sources`` says
    where each parameter was given. Returns the jobs of each run."""
    data_dir = options.data_dir.resolve()
    if not data_dir.is_dir():
        what = "är inte en mapp" if data_dir.exists() else "finns inte"
        raise ParameterError(f"Datamappen {options.data_dir} {what}.")
    if cache_dir is None:
        cache_dir = options.out_dir.resolve() / CACHE_FOLDER
    reports, parts = cached_discovery(options.notebook_dir, cache_dir)
    if not reports:
        raise ParameterError(f"Hittade inga rapportnotebookar i {options.notebook_dir}.")
    regions = check_regions(list(options.regions)) if options.regions else list(LAN_CODES)
    found = []
    for label, parameters, out_dir in runs:
        try:
            jobs = build_jobs(
                reports,
                regions,
                list(options.reports),
                dict(parameters),
                data_dir,
                out_dir.resolve(),
                parts,
                sources,
            )
        except ParameterError as exc:
            if label is None:
                raise
            raise ParameterError(f"{label}: {exc}") from None
        found.append(jobs)
    return found


def _check_distinct(combos: Sequence[Combination], jobs: Sequence[Sequence[Job]]) -> None:
    """ParameterError if two combinations give every job the same parameters (values that
    differ as text but not as the notebook's type: ``2023`` and ``02023`` for a year)."""
    seen: dict[str, Combination] = {}
    for combination, run in zip(combos, jobs, strict=True):
        key = sha256_text(
            [
                (j.id, {k: v for k, v in j.parameters.items() if k not in OWNED_PARAMETERS})
                for j in run
            ]
        )
        other = seen.setdefault(key, combination)
        if other is not combination:
            raise ParameterError(
                f"Kombinationerna {other.label} och {combination.label} ger samma parametrar "
                "till varje rapport; ta bort det ena värdet."
            )


# --- running ---------------------------------------------------------------------------------


def publish_command(options: RunOptions, folder: str) -> str:
    """The command that publishes a combination's run (with the data and notebook folders
    when they are not the defaults), quoted for a shell."""
    words = ["utvardering", "publicera", "--utdata", str(options.out_dir / MATRIX_FOLDER / folder)]
    if Path(options.data_dir) != DEFAULT_DATA_DIR:
        words += ["--data", str(options.data_dir)]
    if Path(options.notebook_dir) != NOTEBOOK_DIR:
        words += ["--notebookar", str(options.notebook_dir)]
    return shlex.join(words)


def _counts(states: Sequence[str]) -> dict[str, int]:
    return {str(s): sum(1 for state in states if state == s) for s in COUNTED}


def counts_text(counts: Mapping[str, Any] | None) -> str:
    """A combination's job counts as words: "3 klara, 1 misslyckad" ("inga jobb" for none,
    "okänt" when the counts are not known)."""
    if not isinstance(counts, Mapping):
        return "okänt"
    words = []
    for state in COUNTED:
        n = counts.get(str(state))
        if isinstance(n, int) and not isinstance(n, bool) and n > 0:
            words.append(counted(n, *_COUNT_WORDS[state]))
    return ", ".join(words) or "inga jobb"


def _counts_since(folder: Path, begun: float) -> dict[str, int] | None:
    """The job counts of the run manifest that a run begun at ``begun`` (or later) wrote in
    ``folder``, or None (an interrupt before the run wrote one)."""
    try:
        run = read_results(folder / "korning.json")
        start = dt.datetime.fromisoformat(str((run or {}).get("start"))).timestamp()
    except (DamagedFileError, ValueError, TypeError, OverflowError):
        return None
    jobs = run.get("jobb") if run else None
    if start < int(begun) or not isinstance(jobs, list):
        return None
    return _counts([j.get("status") for j in jobs if isinstance(j, dict)])


def _close(reporter: Reporter | None) -> None:
    close = getattr(reporter, "close", None)
    if close is not None:
        close()


def _remove_leftovers(root: Path) -> None:
    """Temporary files of an index write that was killed (under the matrix' lock)."""
    with contextlib.suppress(OSError):
        for path in root.glob(f".{INDEX_FILE}.*.tmp"):
            with contextlib.suppress(OSError):
                path.unlink()


def run_matrix(
    options: RunOptions,
    matrix: Mapping[str, Sequence[str]],
    reporter_factory: Callable[[Combination], Reporter | None] | None = None,
    sources: Mapping[str, str] | None = None,
) -> MatrixSummary:
    """Run every combination of ``matrix`` (from :func:`parse_matrix`) on top of ``options``'
    parameters, one after the other, each in its folder under ``<out_dir>/matris`` with
    ``options`` otherwise unchanged (``engine`` and ``scheduler`` included); then write the
    index ``<out_dir>/matris/matris.json``.

    ``reporter_factory`` is called as each combination starts and returns the reporter of its
    run (the command line prints the combination there); ``sources`` says where each of
    ``options.parameters`` was given, for messages. Raises ParameterError before anything runs
    for a wrong matrix or a wrong value in any combination, ReportError if another matrix holds
    the folder. A combination whose run raises (its data does not validate, another run holds
    its folder) or is interrupted stops the matrix: the index is written with what is known,
    and the error is raised again."""
    check_matrix(matrix, options.parameters, sources)
    combos = combinations(matrix)
    base = options.out_dir / MATRIX_FOLDER
    root = base.resolve()
    labelled = [
        (
            f"Kombination {c.number} av {c.total} ({c.label})",
            {**options.parameters, **c.parameters},
            root / c.folder,
        )
        for c in combos
    ]
    every = {**(sources or {}), **dict.fromkeys(matrix, "--matris")}
    _check_distinct(combos, check_runs(options, labelled, every, root / CACHE_FOLDER))
    started, clock = timestamp(), time.perf_counter()
    results: list[CombinationResult] = []
    with terminate_as_interrupt(), OutputLock(root):
        _remove_leftovers(root)
        try:
            for combination in combos:
                _run_one(options, combination, reporter_factory, results)
        except BaseException:
            # what is known, without hiding why the matrix stopped
            _write_index(options, matrix, combos, results, started, clock, quiet=True)
            raise
        index = _write_index(options, matrix, combos, results, started, clock)
    return MatrixSummary(tuple(results), round(time.perf_counter() - clock, 2), index)


def _run_one(
    options: RunOptions,
    combination: Combination,
    reporter_factory: Callable[[Combination], Reporter | None] | None,
    results: list[CombinationResult],
) -> None:
    """Run one combination and add how it ended to ``results`` (also when the run raises,
    before the error goes on)."""
    folder = options.out_dir / MATRIX_FOLDER / combination.folder
    reporter = reporter_factory(combination) if reporter_factory is not None else None
    begun, clock = time.time(), time.perf_counter()
    run = replace(
        options, parameters={**options.parameters, **combination.parameters}, out_dir=folder
    )
    try:
        summary = run_batch(run, reporter)
    except BaseException as exc:
        interrupted = isinstance(exc, KeyboardInterrupt)
        results.append(
            CombinationResult(
                combination,
                JobStatus.AVBRUTEN if interrupted else ERROR,
                _counts_since(folder.resolve(), begun),
                round(time.perf_counter() - clock, 2),
                error=None if interrupted else _error_text(exc),
            )
        )
        raise
    finally:
        _close(reporter)
    results.append(
        CombinationResult(
            combination,
            JobStatus.MISSLYCKAD if summary.failed else JobStatus.KLAR,
            _counts([r.status for r in summary.results]),
            round(summary.seconds, 2),
            summary,
        )
    )


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        text = f"{describe_os_error(exc)}{where}"
    elif isinstance(exc, UtvarderingError):
        text = str(exc)
    else:
        text = f"{type(exc).__name__}: {exc}"
    text = printable(text)
    return text if len(text) <= 500 else text[:499] + "…"


def _write_index(
    options: RunOptions,
    matrix: Mapping[str, Sequence[str]],
    combos: Sequence[Combination],
    results: Sequence[CombinationResult],
    started: str,
    clock: float,
    quiet: bool = False,
) -> Path:
    """Write ``matris.json``: every combination, the ones that did not run as ``inte_kord``.
    A file that cannot be written is a ReportError, or with ``quiet`` (an error is already on
    its way) a line in the log."""
    ended = {r.combination.number: r for r in results}
    entries = []
    for combination in combos:
        result = ended.get(combination.number)
        entries.append(
            {
                "nummer": combination.number,
                "parametrar": combination.parameters,
                "mapp": combination.folder,
                "status": result.status if result else NOT_RUN,
                "jobb": result.counts if result else None,
                "sekunder": result.seconds if result else None,
                "fel": result.error if result else None,
                "publicera": publish_command(options, combination.folder),
            }
        )
    index = {
        "format": _INDEX_FORMAT,
        "start": started,
        "slut": timestamp(),
        "sekunder": round(time.perf_counter() - clock, 2),
        "utdata": str(options.out_dir),
        "data_dir": str(options.data_dir),
        "regioner": list(options.regions) or "alla",
        "rapporter": list(options.reports) or "alla",
        "parametrar": options.parameters,
        "matris": {name: list(values) for name, values in matrix.items()},
        "kombinationer": entries,
    }
    path = options.out_dir.resolve() / MATRIX_FOLDER / INDEX_FILE
    try:
        write_results(path, index)
    except OSError as exc:
        message = (
            f"Matrisens index kunde inte sparas: {path}: {describe_os_error(exc)}. "
            "Kombinationernas körningar är sparade i sina mappar."
        )
        if quiet:
            log.error("%s", message)
        else:
            raise ReportError(message) from exc
    return path
