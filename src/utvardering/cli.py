"""The command line, in Swedish: ``utvardering validera``, ``utvardering rapport``.

The thin door of the package: it parses arguments, calls the package and turns the package's
errors into messages and exit codes (0 ok, 1 error in data or run, 2 wrong use of the command).
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from utvardering import __version__
from utvardering.dataset import DEFAULT_DATA_DIR, Dataset, load_dataset
from utvardering.errors import DataValidationError, UtvarderingError

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
        super().add_usage(usage, actions, groups, prefix or "användning: ")


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


def _data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="MAPP",
        type=Path,
        default=DEFAULT_DATA_DIR,
        help="mapp med indata i samma struktur som data/ (standard: %(default)s)",
    )


def _print_summary(dataset: Dataset) -> None:
    rows = dataset.summary()
    header = ("tabell", "fil", "rader", "år", "län", "innehåll")
    cells = [
        (
            str(r["tabell"]),
            str(r["fil"]),
            "" if r.get("rader") is None else f"{r['rader']:,}".replace(",", " "),
            str(r.get("ar") or ""),
            "" if r.get("lan") is None else str(r["lan"]),
            str(r.get("innehall") or ""),
        )
        for r in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    print("\n".join(line.rstrip() for line in lines))


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


def cmd_validera(args: argparse.Namespace) -> int:
    """Validate the data folder and say what is in it."""
    dataset = load_dataset(args.data)
    print(f"Indata i {args.data}: allt är giltigt.\n")
    _print_summary(dataset)
    print(f"\nHittade {_facts(dataset)}.")
    return EXIT_OK


def cmd_rapport(args: argparse.Namespace) -> int:
    """The main job: validate the data, (later) run every report and publish the site."""
    dataset = load_dataset(args.data)
    print(f"Steg 1: indata i {args.data} är giltiga. Hittade {_facts(dataset)}.")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="utvardering",
        description=(
            "Rapportserier för uppföljning och utvärdering av regionalt utvecklingsarbete:\n"
            "mognadsbedömning, tematisk utvärdering och effektanalys för Sveriges 21 regioner."
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
        title="kommandon", dest="kommando", metavar="KOMMANDO", parser_class=_Parser
    )
    validera = commands.add_parser(
        "validera",
        help="kontrollera indata och sammanfatta dem",
        description="Läser och kontrollerar alla tabeller i datamappen. Skriver en "
        "sammanfattning per tabell (rader, år, län) och avslutar med 0, eller skriver alla fel "
        "och avslutar med 1.",
    )
    _data_option(validera)
    validera.set_defaults(func=cmd_validera)
    rapport = commands.add_parser(
        "rapport",
        help="huvudjobbet: kontrollera indata, kör alla rapporter, publicera",
        description="Huvudjobbet för hela rapportserien på indata i datamappen.",
    )
    _data_option(rapport)
    rapport.set_defaults(func=cmd_rapport)
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
        return func(args)
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
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
