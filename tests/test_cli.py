"""The command line: Swedish help, summary of the shipped data, errors without traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, FIXTURES, ROOT, edit_csv

from utvardering.cli import main


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")}


@pytest.mark.langsam
def test_validera_on_shipped_data(capsys):
    assert main(["validera", "--data", str(DATA)]) == 0
    out = capsys.readouterr().out
    assert "21 regioner" in out
    assert "374 projekt" in out
    assert "företagspanel med" in out
    for table in ("lan.csv", "projekt.csv", "foretagspanel.csv.gz", "mognadsmodell.yaml"):
        assert table in out


def test_validera_reports_every_error_and_writes_nothing(data_copy, capsys, tmp_path, monkeypatch):
    edit_csv(data_copy / "projekt.csv", 4, "effektkedja", "okand")
    edit_csv(data_copy / "enkatsvar.csv", 6, "svar", "6")
    monkeypatch.chdir(tmp_path)
    before = _snapshot(tmp_path)
    assert main(["validera", "--data", str(data_copy)]) == 1
    captured = capsys.readouterr()
    assert "projekt.csv, rad 4, kolumn 'effektkedja'" in captured.err
    assert "enkatsvar.csv, rad 6, kolumn 'svar'" in captured.err
    assert "Traceback" not in captured.err
    assert "Inget har skrivits" in captured.err
    assert _snapshot(tmp_path) == before


def test_debug_shows_traceback(data_copy, capsys):
    edit_csv(data_copy / "lan.csv", 2, "lan_kod", "00")
    assert main(["--debug", "validera", "--data", str(data_copy)]) == 1
    assert "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validera", "--okand"], "okända argument: --okand"),
        (["finnsinte"], "ogiltigt val"),
        (["validera", "--data"], "ett värde behövs"),
    ],
)
def test_usage_errors_exit_2_in_swedish(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "användning:" in err


@pytest.mark.parametrize("argv", [["--help"], ["validera", "--help"], ["rapport", "--help"]])
def test_help_is_swedish(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert "användning:" in out and "flaggor" in out
    assert "show this help" not in out and "usage:" not in out


@pytest.mark.karna
def test_rapport_validates_first(capsys):
    assert main(["rapport", "--data", str(DATA)]) == 0
    assert "374 projekt" in capsys.readouterr().out


def _main_job(data: Path, tmp_path: Path, *extra: str) -> int:
    """The main job on one region with the quick fixture notebooks."""
    argv = ["rapport", "--data", str(data), "--lan", "07", "--notebookar", str(FIXTURES)]
    argv += ["--utdata", str(tmp_path / "ut"), "--sajt", str(tmp_path / "site"), "--utan-quarto"]
    return main([*argv, "--tyst", *extra])


@pytest.mark.karna
@pytest.mark.parametrize(
    ("hidden", "built", "missing"),
    [(("typst",), ("docx",), ("pdf",)), (("typst", "pypandoc"), (), ("pdf", "docx"))],
)
def test_rapport_without_typst_or_pandoc_builds_the_site_and_says_what_is_missing(
    hidden, built, missing, data_copy, tmp_path, capsys, monkeypatch
):
    """A document engine that cannot be imported costs its format only: the site is built,
    the other format too, and one line says what was not built and why."""
    for module in hidden:
        monkeypatch.setitem(sys.modules, module, None)  # `import typst` raises ImportError
    assert _main_job(data_copy, tmp_path) == 0
    site = tmp_path / "site"
    assert (site / "index.html").is_file() and (site / "regioner" / "07" / "index.html").is_file()
    for fmt in ("pdf", "docx"):
        documents = list(site.rglob(f"rapport_07.{fmt}"))
        assert bool(documents) is (fmt in built), fmt
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if "byggs inte" in line]
    assert len(lines) == 1, captured.err
    names = {"pdf": "PDF", "docx": "Word"}
    for fmt in missing:
        assert f"{names[fmt]} byggs inte" in lines[0]
    assert hidden[-1] in lines[0]  # the package that stops it is named
    assert "Byggde webbplatsen (HTML)" in captured.out


@pytest.mark.karna
def test_rapport_builds_the_formats_asked_for(data_copy, tmp_path, capsys):
    """`--format html pdf` builds the site and the region's PDF, no Word file, and says so."""
    assert _main_job(data_copy, tmp_path, "--format", "html", "pdf") == 0
    folder = tmp_path / "site" / "regioner" / "07"
    assert (folder / "rapport_07.pdf").read_bytes()[:5] == b"%PDF-"
    assert not (folder / "rapport_07.docx").exists()
    out = capsys.readouterr().out
    assert "PDF: 1 fil" in out and "Word" not in out


def test_unknown_format_is_a_usage_error_in_swedish(capsys):
    with pytest.raises(SystemExit) as info:
        main(["publicera", "--format", "odt"])
    assert info.value.code == 2
    assert "ogiltigt val: 'odt'" in capsys.readouterr().err


@pytest.mark.langsam
def test_console_script_runs_outside_the_repo(tmp_path, data_copy):
    """The installed command (or python -m) works from another folder with --data."""
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), env.get("PYTHONPATH", "")])
    elsewhere = tmp_path / "annan_mapp"
    elsewhere.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "utvardering", "validera", "--data", str(data_copy)],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "21 regioner" in result.stdout
