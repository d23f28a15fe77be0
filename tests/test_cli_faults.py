"""Wrong use of the command line gets a Swedish message and exit code 2, never a traceback;
options the batch owns cannot be overridden with -p; damaged YAML models are named."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import DATA, FIXTURES, ROOT

from utvardering.batch import build_jobs, discover_reports
from utvardering.batch.params import coerce_value, parse_assignment
from utvardering.cli import main
from utvardering.errors import DataValidationError, ParameterError
from utvardering.models import read_chain_model, read_maturity_model


def _kor(data: Path, out: Path, *extra: str) -> list[str]:
    return [
        "kor",
        "--data",
        str(data),
        "--utdata",
        str(out),
        "--notebookar",
        str(FIXTURES),
        "--lan",
        "07",
        "--tyst",
        *extra,
    ]


def _usage_error(argv: list[str], capsys) -> str:
    """Run the command; it must end with exit code 2 and a Swedish message, no traceback."""
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    assert code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "fel" in err.lower()
    return err


# --- 2: -p cannot override what the batch owns -------------------------------------------------


@pytest.mark.parametrize(
    ("assignment", "option"),
    [
        ("lan_kod=12", "--lan"),
        ("utdata_dir=/tmp/annan", "--utdata"),
        ("data_dir=/tmp/annan", "--data"),
        ("korning_dir=/tmp/annan", "--utdata"),
    ],
)
def test_parameters_the_batch_owns_are_refused(tmp_path, capsys, assignment, option):
    out = tmp_path / "ut"
    err = _usage_error(_kor(DATA, out, "-p", assignment), capsys)
    name = assignment.split("=")[0]
    assert f"{name} väljs med {option}" in err
    assert "--lan" in err and "--utdata" in err and "--data" in err
    assert not out.exists()  # refused before any kernel, lock or folder


def test_build_jobs_refuses_owned_parameters(tmp_path):
    reports = discover_reports(FIXTURES)
    with pytest.raises(ParameterError, match="sätts av körningen"):
        build_jobs(reports, ["07"], ["demo"], {"lan_kod": "12"}, tmp_path, tmp_path)


# --- 8: tracebacks where messages belong ---------------------------------------------------------


def test_kor_on_a_missing_data_folder(tmp_path, capsys):
    out = tmp_path / "ut"
    err = _usage_error(_kor(tmp_path / "finns_inte", out), capsys)
    assert "Datamappen" in err and "finns inte" in err and "--data" in err
    assert not out.exists()  # no lock file left behind


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--jobb", "-1", "minst 1"),
        ("--jobb", "0", "minst 1"),
        ("--jobb", "två", "minst 1"),
        ("--tidsgrans", "-5", "större än 0"),
        ("--tidsgrans", "0", "större än 0"),
        ("--tidsgrans", "nan", "större än 0"),
        ("--tidsgrans", "inf", "större än 0"),
    ],
)
def test_run_options_are_checked(tmp_path, capsys, option, value, message):
    err = _usage_error(_kor(DATA, tmp_path / "ut", option, value), capsys)
    assert f"argument {option}: ska vara" in err and message in err
    assert "användning: användning" not in err


@pytest.mark.parametrize("port", ["-1", "65536", "åtta"])
def test_preview_port_is_checked(capsys, port):
    err = _usage_error(["forhandsgranska", "--port", port], capsys)
    assert "portnummer 0–65535" in err


def test_huge_and_absurd_parameter_values(tmp_path, capsys):
    digits = "9" * 5000
    err = _usage_error(_kor(DATA, tmp_path / "ut", "-p", f"faktor={digits}"), capsys)
    assert "för långt" in err
    assert coerce_value(digits, "int") == digits  # left as text: the type check names it
    with pytest.raises(ParameterError, match="för långt"):
        parse_assignment(f"omgang={digits}")
    err = _usage_error(
        [
            "kor",
            "--data",
            str(DATA),
            "--utdata",
            str(tmp_path / "ut"),
            "--lan",
            "07",
            "--rapport",
            "mognad",
            "-p",
            "omgang=99999",
        ],
        capsys,
    )
    assert "årtal mellan 1990 och 2100" in err and "99999" in err
    err = _usage_error(_kor(DATA, tmp_path / "ut", "-p", "faktor=123456789012345678901234"), capsys)
    assert "för stort tal" in err
    err = _usage_error(_kor(DATA, tmp_path / "ut", "-p", "vila=.nan"), capsys)
    assert "ändligt tal" in err
    assert not (tmp_path / "ut").exists()


@pytest.mark.langsam
def test_validera_into_a_closed_pipe(data_copy):
    """``utvardering validera | head -1``: the reader goes away; no traceback."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "utvardering", "validera", "--data", str(data_copy)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    process.stdout.close()  # like head after its first line: nobody reads any more
    err = process.stderr.read().decode()
    process.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert process.returncode in (0, 1)


def test_publicera_without_a_run(tmp_path, capsys):
    err = _usage_error(
        ["publicera", "--data", str(DATA), "--utdata", str(tmp_path / "finns_inte")], capsys
    )
    assert "Utdatamappen" in err and "finns inte" in err
    empty = tmp_path / "tom"
    empty.mkdir()
    code = main(
        ["publicera", "--data", str(DATA), "--utdata", str(empty), "--notebookar", str(FIXTURES)]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "korning.json saknas" in err and "Traceback" not in err


def test_publicera_never_empties_another_folder(tmp_path, capsys):
    """The site folder is emptied on every publish: it cannot be the data, the run or the
    working folder, nor a folder with other content."""
    out = tmp_path / "ut"
    out.mkdir()
    (out / "korning.json").write_text("{}")
    other = tmp_path / "mina_dokument"
    other.mkdir()
    (other / "viktig.txt").write_text("behåll mig")
    for site, message in [
        (out, "utdatamappen"),
        (tmp_path, "utdatamappen"),
        (other, "ingen publicerad webbplats"),
    ]:
        err = _usage_error(
            [
                "publicera",
                "--data",
                str(DATA),
                "--utdata",
                str(out),
                "--notebookar",
                str(FIXTURES),
                "--sajt",
                str(site),
            ],
            capsys,
        )
        assert message in err
    assert (other / "viktig.txt").read_text() == "behåll mig"
    assert (out / "korning.json").is_file()


def test_forhandsgranska_faults(tmp_path, capsys):
    err = _usage_error(["forhandsgranska", "--sajt", str(tmp_path / "finns_inte")], capsys)
    assert "Webbplatsmappen" in err and "finns inte" in err
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>hej</p>")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code = main(["forhandsgranska", "--sajt", str(site), "--port", str(port)])
    assert code == 1
    err = capsys.readouterr().err
    assert "Kan inte starta servern" in err and "--port" in err and "Traceback" not in err


def test_broken_notebook_in_the_notebook_folder(tmp_path, capsys):
    folder = tmp_path / "nb"
    folder.mkdir()
    (folder / "demo_region.ipynb").write_bytes((FIXTURES / "demo_region.ipynb").read_bytes())
    (folder / "trasig.ipynb").write_text('{"cells": [', encoding="utf-8")
    code = main(
        ["kor", "--data", str(DATA), "--utdata", str(tmp_path / "ut"), "--notebookar", str(folder)]
    )
    assert code == 1
    err = capsys.readouterr().err
    assert "trasig.ipynb" in err and "går inte att läsa" in err and "Traceback" not in err


# --- 8: a YAML model of the wrong shape is a validation error that names the place -------------

_CHAINS = yaml.safe_load((DATA / "effektkedjor.yaml").read_text(encoding="utf-8"))
_MODEL = yaml.safe_load((DATA / "mognadsmodell.yaml").read_text(encoding="utf-8"))


def _set(data: dict, path: tuple, value: object) -> dict:
    import copy

    data = copy.deepcopy(data)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "place", "expected"),
    [
        (
            ("kedjor", 0, "steg", "prestation"),
            "bara en text",
            "kedjor[0].steg.prestation",
            "en mappning",
        ),
        (("kedjor", 0, "steg", "prestation"), None, "kedjor[0].steg.prestation", "en mappning"),
        (("kedjor", 0, "steg"), ["prestation"], "kedjor[0].steg", "en mappning"),
        (("kedjor", 0), "infrastruktur", "kedjor[0]", "en effektkedja"),
        (
            ("kedjor", 0, "steg", "kort_sikt", "indikatorer", 0),
            "id",
            "kedjor[0].steg.kort_sikt.indikatorer[0]",
            "en indikator",
        ),
        (
            ("kedjor", 0, "steg", "kort_sikt", "indikatorer"),
            {"a": 1},
            "kedjor[0].steg.kort_sikt.indikatorer",
            "en lista",
        ),
        (
            ("kedjor", 0, "steg", "prestaton"),
            {"beskrivning": "x"},
            "kedjor[0].steg.prestaton",
            "ett av stegen",
        ),
        (("kedjor", 0, "spar"), ["a", "b"], "kedjor[0].spar", "en text"),
        (("steg", 0), "resurser", "steg[0]", "ett steg"),
        (("obligatoriska_indikatorer", 0), ["x"], "obligatoriska_indikatorer[0]", "en indikator"),
        (("namn",), {"a": 1}, "namn", "en text"),
    ],
)
def test_chain_model_shapes(tmp_path, path, value, place, expected):
    target = tmp_path / "effektkedjor.yaml"
    target.write_text(yaml.safe_dump(_set(_CHAINS, path, value), allow_unicode=True))
    with pytest.raises(DataValidationError) as info:
        read_chain_model(target)
    assert f"effektkedjor.yaml, nyckel '{place}'" in str(info.value)
    assert f"förväntat {expected}" in str(info.value)


@pytest.mark.parametrize(
    ("path", "value", "place", "expected"),
    [
        (("nivaer", 0), "Nivå 1", "nivaer[0]", "en mappning"),
        (("nivaer", 0, "niva"), True, "nivaer[0].niva", "en nivå 1–5"),
        (("dimensioner", 0), "dimension", "dimensioner[0]", "en mappning"),
        (
            ("dimensioner", 0, "nivaer"),
            {1: "a", "x": "b", 3: "c", 4: "d", 5: "e"},
            "dimensioner[0].nivaer",
            "en beskrivning",
        ),
        (
            ("dimensioner", 0, "fragor", 0),
            "Har ni en plan?",
            "dimensioner[0].fragor[0]",
            "en fråga",
        ),
        (("dimensioner", 0, "beskrivning"), ["a"], "dimensioner[0].beskrivning", "en text"),
        (("skala",), {"a": 1}, "skala", "en text"),
    ],
)
def test_maturity_model_shapes(tmp_path, path, value, place, expected):
    target = tmp_path / "mognadsmodell.yaml"
    target.write_text(yaml.safe_dump(_set(_MODEL, path, value), allow_unicode=True))
    with pytest.raises(DataValidationError) as info:
        read_maturity_model(target)
    assert f"mognadsmodell.yaml, nyckel '{place}'" in str(info.value)
    assert f"förväntat {expected}" in str(info.value)


def test_validera_names_a_stage_given_as_text(data_copy, capsys):
    chains = _set(_CHAINS, ("kedjor", 1, "steg", "kort_sikt"), "Ökad kunskap")
    (data_copy / "effektkedjor.yaml").write_text(yaml.safe_dump(chains, allow_unicode=True))
    assert main(["validera", "--data", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert "effektkedjor.yaml, nyckel 'kedjor[1].steg.kort_sikt'" in err
    assert "Traceback" not in err and "AttributeError" not in err


def test_a_fault_in_the_program_is_a_message(monkeypatch, capsys):
    import utvardering.cli as cli

    def broken(args):
        raise RuntimeError("något gick sönder")

    monkeypatch.setattr(cli, "cmd_validate", broken)
    assert cli.main(["validera", "--data", str(DATA)]) == 1
    err = capsys.readouterr().err
    assert "Oväntat fel" in err and "något gick sönder" in err and "--debug" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("command", "option"), [("kor", "--utdata"), ("publicera", "--sajt")])
def test_nothing_is_written_into_the_data_folder(data_copy, tmp_path, capsys, command, option):
    before = sorted(p.name for p in data_copy.iterdir())
    argv = [command, "--data", str(data_copy), "--notebookar", str(FIXTURES)]
    if command == "kor":
        argv += ["--lan", "07"]
    else:
        (tmp_path / "ut").mkdir()
        argv += ["--utdata", str(tmp_path / "ut")]
    argv += [option, str(data_copy / "ut")]
    err = _usage_error(argv, capsys)
    assert "ligger i datamappen" in err and option in err
    assert sorted(p.name for p in data_copy.iterdir()) == before


@pytest.mark.parametrize(
    ("name", "value"),
    [("omgang", 99999), ("omgang", 1066), ("period", [1800, 2023]), ("period", ["a", "b"])],
)
def test_year_parameters_are_years(name, value):
    from utvardering.batch.params import check_parameters

    reports = discover_reports(ROOT / "notebooks")
    report = reports["mognad" if name == "omgang" else "tema"]
    with pytest.raises(ParameterError, match="årtal mellan 1990 och 2100"):
        check_parameters(report, {name: value})
    check_parameters(report, {name: 2025 if name == "omgang" else [2014, 2023]})


def test_an_interrupted_run_stops_its_progress_bar(monkeypatch, tmp_path, capsys):
    import utvardering.cli

    class Bar:
        closed = False

        def close(self):
            Bar.closed = True

    def interrupted(options, reporter):
        raise KeyboardInterrupt

    monkeypatch.setattr(utvardering.cli, "make_reporter", lambda quiet: Bar())
    monkeypatch.setattr(utvardering.cli, "run_batch", interrupted)
    assert main(_kor(DATA, tmp_path / "ut")) == 130
    assert Bar.closed
    assert "Avbrutet" in capsys.readouterr().err
