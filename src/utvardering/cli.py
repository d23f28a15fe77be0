"""The command line, in Swedish: ``utvardering validera``, ``utvardering rapport``.

The thin door of the package: it parses arguments, calls the package and turns the package's
errors into messages and exit codes (0 ok, 1 error in data or run, 2 wrong use of the command).
"""

from __future__ import annotations

import argparse
import logging
import math
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from utvardering import __version__
from utvardering.batch import RunOptions, run_batch
from utvardering.batch.discover import NOTEBOOK_DIR
from utvardering.batch.matrix import (
    Combination,
    MatrixSummary,
    check_runs,
    counts_text,
    parse_matrix,
    publish_command,
    run_matrix,
)
from utvardering.batch.params import check_not_owned, parse_assignment, read_parameter_file
from utvardering.batch.progress import make_reporter, summary_table
from utvardering.batch.run import DEFAULT_OUT_DIR, ENGINES
from utvardering.defaults import DEFAULT_DATA_DIR
from utvardering.errors import (
    DataValidationError,
    ParameterError,
    UtvarderingError,
    describe_os_error,
)
from utvardering.format import counted
from utvardering.origin import KINDS, ORIGIN_FILE, TableOrigin, read_origin
from utvardering.vocabulary import PUBLISH_FORMAT_NAMES, PUBLISH_FORMATS

if TYPE_CHECKING:
    from utvardering.dataset import Dataset
    from utvardering.publish import PublishResult

__all__ = ["main"]

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

# argparse's own messages, in Swedish.
_ARGPARSE_SV = (
    (r"unrecognized arguments: (.*)", r"okända argument: \1"),
    (r"the following arguments are required: (.*)", r"följande argument måste anges: \1"),
    (
        r"argument (.*): invalid choice: (.*) \(choose from (.*)\)",
        r"argument \1: ogiltigt val: \2 (välj bland \3)",
    ),
    (r"argument (.*): expected one argument", r"argument \1: ett värde behövs"),
    (r"argument (.*): expected at least one argument", r"argument \1: minst ett värde behövs"),
    (r"argument (.*): invalid (.*) value: (.*)", r"argument \1: ogiltigt värde: \3"),
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        # argparse passes prefix "" when it builds a subcommand's name: keep that empty
        super().add_usage(usage, actions, groups, "användning: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Swedish."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help="visa den här hjälpen och avsluta",
        )

    def error(self, message: str):
        for pattern, replacement in _ARGPARSE_SV:
            message = re.sub(pattern, replacement, message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fel: {message}\n")


class _UsageError(Exception):
    """A wrong use of the command found after parsing (a folder that does not exist)."""


def _checked(parse: Callable[[str], float], ok: Callable[[float], bool], expected: str):
    """An argparse type: ``parse`` the text (of reasonable length) and accept it if ``ok``;
    otherwise a Swedish message that says what was ``expected``."""

    def check(text: str):
        try:
            value = parse(text) if len(text) <= 30 else math.nan
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and ok(value)):
            raise argparse.ArgumentTypeError(f"ska vara {expected}, inte {text[:20]!r}")
        return value

    return check


_positive_int = _checked(int, lambda v: v >= 1, "ett heltal som är minst 1")
_positive_seconds = _checked(float, lambda v: v > 0, "ett antal sekunder större än 0, t.ex. 900")
_port = _checked(int, lambda v: 0 <= v <= 65535, "ett portnummer 0–65535 (0 = valfri ledig port)")


def _folder(path: Path, what: str, option: str, must_exist: bool = True) -> None:
    """Raise _UsageError unless ``path`` is a folder (or, with must_exist False, is nothing
    yet or a folder)."""
    if path.is_dir():
        return
    if path.exists():
        raise _UsageError(f"{what} {path} är ingen mapp. Ange en mapp med {option}.")
    if must_exist:
        raise _UsageError(f"{what} {path} finns inte. Ange en befintlig mapp med {option}.")


def _check_folders(args: argparse.Namespace) -> None:
    """The folders the command was given, checked before anything is read or written."""
    command = args.command
    if hasattr(args, "data"):
        _folder(args.data, "Datamappen", "--data")
    if hasattr(args, "out_dir"):
        _folder(args.out_dir, "Utdatamappen", "--utdata", must_exist=command == "publicera")
    if hasattr(args, "site_dir"):
        _folder(args.site_dir, "Webbplatsmappen", "--sajt", must_exist=command == "forhandsgranska")
    if hasattr(args, "notebook_dir"):
        _folder(args.notebook_dir, "Notebookmappen", "--notebookar")
    if hasattr(args, "data") and command != "validera":
        # the data folder is the user's: the program never writes in it
        data = args.data.resolve()
        for name, option, what in (
            ("out_dir", "--utdata", "Utdatamappen"),
            ("site_dir", "--sajt", "Webbplatsmappen"),
        ):
            target = getattr(args, name, None)
            if target is not None and command != "forhandsgranska":
                target = target.resolve()
                if target == data or data in target.parents:
                    raise _UsageError(
                        f"{what} {getattr(args, name)} ligger i datamappen {args.data}, som "
                        f"programmet aldrig skriver i. Välj en annan mapp med {option}."
                    )


def _data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="MAPP",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="mapp med indata i samma struktur som data/ (standard: %(default)s)",
    )


def _notebook_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--notebookar",
        dest="notebook_dir",
        type=Path,
        default=NOTEBOOK_DIR,
        metavar="MAPP",
        help="mapp med rapportnotebookar (standard: %(default)s)",
    )


def _publish_arguments(parser: argparse.ArgumentParser, with_out_dir: bool = True) -> None:
    if with_out_dir:
        parser.add_argument(
            "--utdata",
            dest="out_dir",
            metavar="MAPP",
            type=Path,
            default=DEFAULT_OUT_DIR,
            help="mapp med körningens resultat (standard: %(default)s)",
        )
    parser.add_argument(
        "--sajt",
        dest="site_dir",
        type=Path,
        default=Path("_site"),
        metavar="MAPP",
        help="mapp för webbplatsen (standard: %(default)s)",
    )
    parser.add_argument(
        "--utan-quarto",
        dest="no_quarto",
        action="store_true",
        help="bygg med nbconvert även om Quarto finns",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        nargs="+",
        choices=PUBLISH_FORMATS,
        default=list(PUBLISH_FORMATS),
        metavar="FORMAT",
        help="vad som byggs: html (webbplatsen, byggs alltid), pdf och docx (Word), en fil per "
        "region med alla dess rapporter (standard: html pdf docx)",
    )


def _run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--utdata",
        dest="out_dir",
        metavar="MAPP",
        type=Path,
        default=DEFAULT_OUT_DIR,
        help="mapp för körda notebookar och resultat (standard: %(default)s)",
    )
    parser.add_argument(
        "--lan",
        dest="regions",
        nargs="+",
        metavar="KOD",
        help="bara dessa län, t.ex. --lan 07 12 (standard: alla 21)",
    )
    parser.add_argument(
        "--rapport",
        dest="reports",
        nargs="+",
        metavar="NAMN",
        help="bara dessa rapporter, t.ex. --rapport mognad tema (standard: alla)",
    )
    parser.add_argument(
        "-p",
        "--parameter",
        action="append",
        metavar="NAMN=VÄRDE",
        help="en parameter till de rapporter som har den, t.ex. -p omgang=2025 (går före "
        "samma parameter i -f)",
    )
    parser.add_argument(
        "-f",
        "--parameterfil",
        dest="parameter_file",
        type=Path,
        metavar="FIL",
        help="en YAML-fil med parametrar (namn: värde, en per rad) till de rapporter som har "
        "dem, som papermill -f",
    )
    parser.add_argument(
        "--jobb",
        dest="workers",
        type=_positive_int,
        metavar="N",
        help="antal parallella jobb, minst 1 (standard: antalet kärnor)",
    )
    parser.add_argument(
        "--tvinga",
        dest="force",
        action="store_true",
        help="kör alla jobb, även de som inte har ändrats",
    )
    parser.add_argument(
        "--tyst",
        dest="quiet",
        action="store_true",
        help="ingen förloppsindikator; bara fel och en sammanfattande rad",
    )
    parser.add_argument(
        "--tidsgrans",
        dest="timeout",
        type=_positive_seconds,
        default=900.0,
        metavar="SEKUNDER",
        help="längsta tid för en notebook (standard: %(default)s)",
    )
    parser.add_argument(
        "--motor",
        dest="engine",
        choices=ENGINES,
        default="lokal",
        help="var jobben körs: lokal (processer på den här datorn) eller dask (ett "
        "Dask-kluster; kräver pip install 'utvardering[dask]') (standard: %(default)s)",
    )
    parser.add_argument(
        "--schemalaggare",
        dest="scheduler",
        metavar="ADRESS",
        help="adressen till en körande Dask-schemaläggare, t.ex. tcp://värd:8786 (med --motor "
        "dask; utan den startas ett lokalt kluster)",
    )
    _notebook_option(parser)


def _print_summary(dataset: Dataset, origin: dict[str, TableOrigin] | None = None) -> None:
    rows = dataset.summary()
    origin = origin or {}
    header = ("tabell", "fil", "rader", "år", "län", "art", "innehåll")
    cells = [
        (
            str(r["tabell"]),
            str(r["fil"]),
            "" if r.get("rader") is None else f"{r['rader']:,}".replace(",", " "),
            str(r.get("ar") or ""),
            "" if r.get("lan") is None else str(r["lan"]),
            _kind(origin.get(str(r["tabell"]))),
            str(r.get("innehall") or ""),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    print("\n".join(line.rstrip() for line in lines))


def _kind(entry: TableOrigin | None) -> str:
    """A table's kind as datakallor.yaml states it: "simulerad", "verklig (delvis simulerad)"."""
    if entry is None:
        return "–"
    kind = KINDS[entry.kind].split()[0]
    return f"{kind} (delvis simulerad)" if entry.simulated_columns else kind


def _facts(dataset: Dataset) -> str:
    parts = []
    if dataset.lan is not None:
        parts.append(f"{len(dataset.lan)} regioner")
    if dataset.projekt is not None:
        parts.append(f"{len(dataset.projekt)} projekt")
    if dataset.foretagspanel is not None:
        panel = dataset.foretagspanel
        supported = panel.loc[panel["forsta_stodar"].notna(), "foretag_id"].nunique()
        parts.append(
            f"företagspanel med {panel['foretag_id'].nunique():,} företag".replace(",", " ")
            + f" ({supported:,} med stöd)".replace(",", " ")
        )
    if dataset.enkatsvar is not None:
        survey = dataset.enkatsvar
        rounds = ", ".join(str(r) for r in sorted(survey["omgang"].unique()))
        parts.append(f"enkätsvar från {survey['respondent'].nunique()} respondenter ({rounds})")
    return ", ".join(parts)


class _ValidationProgress:
    """Bars on the terminal (stderr) while ``validera`` reads and checks a large table."""

    LARGE = 20_000_000  # bytes; a smaller table is read and checked in a few seconds

    def __init__(self) -> None:
        self._bars = None
        self._tasks: dict[tuple[str, str], object] = {}
        self._large: set[str] = set()

    def __call__(self, table: str, step: str, done: int, total: int) -> None:
        if step == "läser" and total >= self.LARGE:
            self._large.add(table)
        if table not in self._large:
            return
        if self._bars is None:
            self._bars = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bars.start()
        key = (table, step)
        if key not in self._tasks:
            self._tasks[key] = self._bars.add_task(f"{table}: {step}", total=total)
        self._bars.update(self._tasks[key], completed=done, total=total)

    def stop(self) -> None:
        if self._bars is not None:
            self._bars.stop()


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate the data folder and say what is in it (with progress bars for a large table
    when stderr is a terminal)."""
    progress = _ValidationProgress() if sys.stderr.isatty() else None
    try:
        from utvardering.dataset import load_dataset  # pandas: only for the commands that read

        dataset = load_dataset(args.data, progress=progress)
        origin = read_origin(args.data)
    finally:
        if progress is not None:
            progress.stop()
    print(f"Indata i {args.data}: allt är giltigt.\n")
    _print_summary(dataset, origin)
    if not origin:
        print(f"\n{ORIGIN_FILE} saknas: inga indata är märkta som simulerade.")
    print(f"\nHittade {_facts(dataset)}.")
    return EXIT_OK


def _given_parameters(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, str]]:
    """The parameters of -f and -p (-p wins, as in papermill), and where each was given."""
    parameters: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if args.parameter_file is not None:
        source = f"parameterfilen {args.parameter_file}"
        parameters = read_parameter_file(args.parameter_file)
        check_not_owned(parameters, f"i {source}")
        sources = dict.fromkeys(parameters, source)
    given = dict(parse_assignment(text) for text in args.parameter or [])
    check_not_owned(given)
    parameters.update(given)
    sources.update(dict.fromkeys(given, "-p"))
    return parameters, sources


def _options_and_sources(args: argparse.Namespace) -> tuple[RunOptions, dict[str, str]]:
    parameters, sources = _given_parameters(args)
    options = RunOptions(
        data_dir=args.data,
        out_dir=args.out_dir,
        regions=tuple(args.regions or ()),
        reports=tuple(args.reports or ()),
        parameters=parameters,
        workers=args.workers,
        force=args.force,
        timeout=args.timeout,
        notebook_dir=args.notebook_dir,
        engine=args.engine,
        scheduler=args.scheduler,
    )
    return options, sources


def _run_options(args: argparse.Namespace) -> RunOptions:
    """The run's options, with a parameter file's values checked against the reports here
    (as the run checks them, but with the file named in the message)."""
    options, sources = _options_and_sources(args)
    if args.parameter_file is not None:
        check_runs(options, [(None, options.parameters, options.out_dir)], sources)
    return options


def _run(args: argparse.Namespace, options: RunOptions | None = None) -> int:
    options = options or _run_options(args)
    reporter = make_reporter(args.quiet)
    try:
        summary = run_batch(options, reporter)
    finally:  # an interrupted or failed run leaves no live bar behind on the terminal
        close = getattr(reporter, "close", None)
        if close is not None:
            close()
    if args.quiet:
        failed = summary.failed
        for r in failed:
            print(f"{r.job}: {r.status}: cell {r.cell}: {r.error}", file=sys.stderr)
        print(f"{len(summary.results)} jobb, {len(failed)} misslyckade, {summary.seconds:.1f} s.")
    else:
        print(summary_table(summary))
    if summary.failed:
        print(
            f"\n{len(summary.failed)} jobb misslyckades; de andra är klara. Misslyckade "
            "notebookar finns kvar med felcellen i utdatamappen.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_OK


def _run_matrix(args: argparse.Namespace) -> int:
    """Run every combination of --matris, then list them with the command that publishes
    each."""
    matrix = parse_matrix(args.matrix)
    options, sources = _options_and_sources(args)

    def reporter(combination: Combination):
        print(f"Kombination {combination.number} av {combination.total}: {combination.label}")
        sys.stdout.flush()
        return make_reporter(args.quiet)

    summary = run_matrix(options, matrix, reporter, sources)
    _print_matrix(options, summary)
    if summary.failed:
        print(
            f"\n{len(summary.failed)} av {len(summary.results)} kombinationer har misslyckade "
            "jobb; de andra är klara. Misslyckade notebookar finns kvar med felcellen i "
            "kombinationens mapp.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_OK


def _print_matrix(options: RunOptions, summary: MatrixSummary) -> None:
    print(f"\n{len(summary.results)} kombinationer på {summary.seconds:.1f} s:")
    for result in summary.results:
        combination = result.combination
        seconds = f", {result.seconds:.1f} s" if result.seconds is not None else ""
        print(f"{combination.number}. {combination.label}: {counts_text(result.counts)}{seconds}")
        print(f"   publicera: {publish_command(options, combination.folder)}")
        for job in result.summary.failed if result.summary else ():
            cell = f"cell {job.cell}: " if job.cell is not None else ""
            print(f"   {job.job}: {job.status}: {cell}{job.error}", file=sys.stderr)
    print(f"Matrisens index: {summary.index}")


def cmd_run(args: argparse.Namespace) -> int:
    """Run every report for every region (and the national jobs), or every combination of
    --matris."""
    if getattr(args, "matrix", None):
        return _run_matrix(args)
    return _run(args)


def _publish(args: argparse.Namespace) -> int:
    # Publishing loads every report package (for the method page's texts) and with them
    # matplotlib and statsmodels: imported when a command publishes, so that the command line
    # starts in a moment for --help, validera and kor.
    from utvardering.publish import publish

    result = publish(
        args.out_dir,
        args.site_dir,
        args.data,
        regions=tuple(args.regions or ()),
        use_quarto=False if args.no_quarto else None,
        notebook_dir=args.notebook_dir,
        formats=tuple(args.formats),
    )
    how = "med Quarto" if result.engine == "quarto" else "utan Quarto (nbconvert)"
    print(
        f"Publicerade {result.pages + result.report_pages} sidor ({result.report_pages} "
        f"rapporter) {how} i {result.site_dir} på {result.seconds:.1f} s."
    )
    for line in _format_lines(result):
        print(line, file=sys.stderr if "byggs inte" in line else sys.stdout)
    print(f"Quarto-projektet finns i {result.quarto_project}.")
    for path in result.single_files:
        print(f"Fristående fil för e-post: {path}")
    for job, command in result.damaged.items():
        print(
            f"Varning: rapporten {job} är skadad och visas inte; kör jobbet igen med `{command}`.",
            file=sys.stderr,
        )
    print(f"Startsida: {(result.site_dir / 'index.html').resolve()}")
    return EXIT_OK


def _format_lines(result: PublishResult) -> list[str]:
    """What was built per format, with the seconds it took, and one line for what was not."""
    seconds = result.seconds_by_format
    built = [f"webbplatsen (HTML) {seconds.get('html', result.seconds):.1f} s"]
    for fmt, paths in result.documents.items():
        took = f", {seconds[fmt]:.1f} s" if fmt in seconds else ""
        built.append(f"{PUBLISH_FORMAT_NAMES[fmt]}: {counted(len(paths), 'fil', 'filer')}{took}")
    lines = [f"Byggde {'; '.join(built)}."]
    if result.not_built:
        lines.append(" ".join(result.not_built.values()))  # "PDF byggs inte: ... (why)."
    return lines


def cmd_publish(args: argparse.Namespace) -> int:
    """Publish the executed reports as a website."""
    return _publish(args)


def cmd_preview(args: argparse.Namespace) -> int:
    """Serve the published site on localhost until Ctrl-C."""
    from utvardering.publish.serve import make_server  # see _publish

    server = make_server(args.site_dir, args.port)
    host, port = server.server_address[:2]
    print(f"Förhandsgranskning: http://{host}:{port}/  (avsluta med Ctrl-C)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Avslutad.")
    finally:
        server.server_close()
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """The main job: validate the data, run every report, publish the site."""
    options = _run_options(args)  # wrong parameters are told before the data is read
    from utvardering.dataset import load_dataset  # see above

    dataset = load_dataset(args.data)
    print(f"Steg 1 av 3: indata i {args.data} är giltiga. Hittade {_facts(dataset)}.")
    print("Steg 2 av 3: kör rapporterna.", flush=True)
    code = _run(args, options)
    print("Steg 3 av 3: publicerar webbplatsen.", flush=True)
    _publish(args)
    return code


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="utvardering",
        description=(
            "Rapportserier för uppföljning och utvärdering av regionalt utvecklingsarbete\n"
            "i Sveriges 21 regioner: en rapport per region och rapporttyp, nationella\n"
            "rapporter över alla regioner och en webbplats med dem alla."
        ),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"utvardering {__version__}",
        help="visa versionen och avsluta",
    )
    parser.add_argument(
        "--debug", action="store_true", help="visa hela felspårningen (traceback) vid fel"
    )
    commands = parser.add_subparsers(
        title="kommandon", dest="command", metavar="KOMMANDO", parser_class=_Parser
    )
    validate = commands.add_parser(
        "validera",
        help="kontrollera indata och sammanfatta dem",
        description="Läser och kontrollerar alla tabeller i datamappen. Skriver en "
        "sammanfattning per tabell (rader, år, län) och avslutar med 0, eller skriver alla fel "
        "och avslutar med 1.",
    )
    _data_option(validate)
    validate.set_defaults(func=cmd_validate)
    report = commands.add_parser(
        "rapport",
        help="huvudjobbet: kontrollera indata, kör alla rapporter, publicera",
        description="Huvudjobbet för hela rapportserien på indata i datamappen.",
    )
    _data_option(report)
    _run_arguments(report)
    _publish_arguments(report, with_out_dir=False)
    report.set_defaults(func=cmd_report)
    run = commands.add_parser(
        "kor",
        help="kör alla rapporter för alla regioner (parallellt, bara det som ändrats)",
        description="Kör rapportnotebookarna för valda regioner och rapporter, parallellt och "
        "var och en i en egen kärna, och hoppar över jobb vars indata, parametrar, notebook och "
        "programversion inte har ändrats. Ett misslyckat jobb stoppar inte de andra. Slutar med "
        "en sammanfattning och slutkod 1 om något misslyckades.",
    )
    _data_option(run)
    _run_arguments(run)
    run.add_argument(
        "--matris",
        dest="matrix",
        nargs="+",
        action="extend",
        metavar="NAMN=V1,V2",
        help="kör varje kombination av värdena som en egen körning i <utdata>/matris/<namn-"
        "värde_...>, t.ex. --matris omgang=2023,2025 finansiering=alla,eruf (4 körningar); "
        "index i <utdata>/matris/matris.json",
    )
    run.set_defaults(func=cmd_run)
    publish = commands.add_parser(
        "publicera",
        help="publicera de körda rapporterna som webbplats",
        description="Bygger webbplatsen av en körning: startsida med karta, en sida per region, "
        "de nationella rapporterna, metod och status. Använder Quarto om det finns "
        "installerat, annars nbconvert. Med --lan skrivs också en fristående HTML-fil per "
        "län (för e-post).",
    )
    _data_option(publish)
    _publish_arguments(publish)
    publish.add_argument(
        "--lan",
        dest="regions",
        nargs="+",
        metavar="KOD",
        help="skriv också en fristående fil för dessa län, t.ex. --lan 07",
    )
    _notebook_option(publish)
    publish.set_defaults(func=cmd_publish)
    preview = commands.add_parser(
        "forhandsgranska",
        help="visa den publicerade webbplatsen på localhost",
        description="Startar en webbserver för webbplatsen på den här datorn och skriver ut "
        "adressen. Avsluta med Ctrl-C.",
    )
    preview.add_argument(
        "--sajt",
        dest="site_dir",
        type=Path,
        default=Path("_site"),
        metavar="MAPP",
        help="webbplatsens mapp (standard: %(default)s)",
    )
    preview.add_argument(
        "--port",
        type=_port,
        default=8000,
        help="port (standard: %(default)s; 0 = valfri ledig port)",
    )
    preview.set_defaults(func=cmd_preview)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        _check_folders(args)
        code = func(args)
        sys.stdout.flush()  # a closed pipe is noticed here, not at exit
        return code
    except BrokenPipeError:
        # The reader of our output has gone (``utvardering validera | head -1``). As the
        # Python documentation recommends: send the rest of the output to devnull, end quietly.
        _stdout_to_devnull()
        return EXIT_ERROR
    except _UsageError as exc:
        print(f"Fel: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DataValidationError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"Fel i indata ({args.data}):\n{exc}", file=sys.stderr)
        print("\nInget har skrivits. Rätta felen och kör igen.", file=sys.stderr)
        return EXIT_ERROR
    except UtvarderingError as exc:
        if args.debug:
            traceback.print_exc()
        print(f"Fel: {exc}", file=sys.stderr)
        # wrong parameters are a wrong use of the command
        return EXIT_USAGE if isinstance(exc, ParameterError) else EXIT_ERROR
    except OSError as exc:
        # A file or folder that cannot be read or written (permissions, a full disk).
        if args.debug:
            traceback.print_exc()
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"Fel: {describe_os_error(exc)}{where}.", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except Exception as exc:  # a fault in the program itself: said plainly, traceback on ask
        if args.debug:
            raise
        print(
            f"Oväntat fel i programmet ({type(exc).__name__}: {exc}). Kör samma kommando med "
            "--debug för hela felspårningen och rapportera felet.",
            file=sys.stderr,
        )
        return EXIT_ERROR


def _stdout_to_devnull() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout without a file descriptor (tests)
        pass


if __name__ == "__main__":
    sys.exit(main())
