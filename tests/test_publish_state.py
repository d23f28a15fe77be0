"""Publishing what a run left behind: damaged files the batch wrote are a notice that says
which job to run again (the rest of the site is built), and a region page offers only the
workbooks that the run which finished a report made."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, FIXTURES

from utvardering.batch import RunOptions, run_batch
from utvardering.publish import publish

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna


def _notebooks(folder: Path) -> Path:
    """The fixture notebooks, the region report also writing a workbook ``demo.xlsx``."""
    folder.mkdir()
    shutil.copyfile(FIXTURES / "demo_syntes.ipynb", folder / "demo_syntes.ipynb")
    notebook = nbformat.read(FIXTURES / "demo_region.ipynb", as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell("Path(utdata_dir, 'demo.xlsx').write_bytes(b'arbetsbok')")
    )
    nbformat.write(notebook, folder / "demo_region.ipynb")
    return folder


@pytest.fixture(scope="module")
def setup(tmp_path_factory, small_panel):
    base = tmp_path_factory.mktemp("publiceringsstatus")
    data = base / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("foretagspanel.csv.gz"))
    small_panel.to_csv(data / "foretagspanel.csv", index=False)
    notebooks = _notebooks(base / "nb")
    out = base / "ut"
    summary = run_batch(
        RunOptions(
            data_dir=data, out_dir=out, regions=("01", "07"), notebook_dir=notebooks, workers=2
        )
    )
    assert {r.status for r in summary.results} == {"klar"}
    return base, data, notebooks, out


def _publish(setup, out: Path, site: Path):
    _, data, notebooks, _ = setup
    return publish(out, site, data, use_quarto=False, notebook_dir=notebooks, workers=1)


def _page(site: Path, path: str) -> str:
    return (site / f"{path}.html").read_text(encoding="utf-8")


def _copy_run(setup, tmp_path: Path) -> Path:
    out = tmp_path / "ut"
    shutil.copytree(setup[3], out)  # copy2: the files keep their times
    return out


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


# --- 9: only what this run made is offered ---------------------------------------------------


def test_a_failed_report_offers_no_workbook_from_an_earlier_run(setup, tmp_path):
    out = _copy_run(setup, tmp_path)
    assert (out / "07" / "demo.xlsx").is_file()  # from the successful run
    # a workbook older than the job that finished, and one of no report: never offered
    old = out / "01" / "demo_gammal.xlsx"
    old.write_bytes(b"gammal")
    os.utime(old, (946684800, 946684800))
    (out / "01" / "annan.xlsx").write_bytes(b"annan")
    _, data, notebooks, _ = setup
    failed = run_batch(
        RunOptions(
            data_dir=data,
            out_dir=out,
            regions=("01", "07"),
            parameters={"trasig_lan": "07"},
            notebook_dir=notebooks,
            workers=2,
        )
    )
    assert {r.job: r.status for r in failed.results}["07/demo"] == "misslyckad"
    assert (out / "07" / "demo.xlsx").is_file()  # still there, from the earlier run
    site = _publish(setup, out, tmp_path / "site").site_dir
    region = _page(site, "regioner/07/index")
    assert "avsiktligt fel i 07" in region
    assert "demo.xlsx" not in region and "Excel" not in region
    assert not (site / "regioner" / "07" / "demo.xlsx").exists()
    finished = _page(site, "regioner/01/index")
    assert 'href="demo.xlsx"' in finished
    assert (site / "regioner" / "01" / "demo.xlsx").read_bytes() == b"arbetsbok"
    assert "demo_gammal.xlsx" not in finished and "annan.xlsx" not in finished
    assert not (site / "regioner" / "01" / "demo_gammal.xlsx").exists()


# --- 6: damaged files the batch wrote ----------------------------------------------------------


def _assert_damaged_region_job(site: Path) -> None:
    region = _page(site, "regioner/07/index")
    assert "rapporten är skadad" in region
    assert "utvardering kor --lan 07 --rapport demo" in region
    assert not (site / "regioner" / "07" / "demo.html").exists()
    assert 'href="demo.xlsx"' not in region
    status = _page(site, "status")
    assert "07/demo" in status and "är skadad" in status
    assert "utvardering kor --lan 07 --rapport demo" in status
    # the rest of the site is there
    assert (site / "regioner" / "01" / "demo.html").is_file()
    assert (site / "demo_syntes.html").is_file()


@pytest.mark.parametrize(
    "damage",
    [
        lambda out: _truncate(out / "07" / "demo.manifest.json"),
        lambda out: (out / "07" / "demo.manifest.json").write_text("[1, 2]"),
        lambda out: (out / "07" / "demo.manifest.json").write_text(
            '{"status": "klar", "indata": "fel", "parametrar": {}}'
        ),
        lambda out: (out / "07" / "demo.manifest.json").write_bytes(b"\xff\xfe{}"),
        lambda out: _truncate(out / "07" / "demo.ipynb"),
        lambda out: (out / "07" / "demo.ipynb").write_text('{"cells": "inga"}'),
    ],
    ids=["manifest-avkortat", "manifest-lista", "manifest-fel-typ", "manifest-inte-utf8",
         "notebook-avkortad", "notebook-fel-form"],
)  # fmt: skip
def test_a_damaged_job_is_a_notice_and_the_site_is_built(setup, tmp_path, damage):
    out = _copy_run(setup, tmp_path)
    damage(out)
    result = _publish(setup, out, tmp_path / "site")
    _assert_damaged_region_job(result.site_dir)


def test_a_damaged_national_job(setup, tmp_path):
    out = _copy_run(setup, tmp_path)
    _truncate(out / "riket" / "demo_syntes.manifest.json")
    site = _publish(setup, out, tmp_path / "site").site_dir
    assert not (site / "demo_syntes.html").exists()
    status = _page(site, "status")
    assert "riket/demo_syntes" in status and "utvardering kor --rapport demo_syntes" in status
    assert (site / "regioner" / "07" / "demo.html").is_file()


@pytest.mark.parametrize("name", ["korning.json", "status.json"])
def test_a_damaged_run_file_does_not_stop_publishing(setup, tmp_path, name):
    out = _copy_run(setup, tmp_path)
    _truncate(out / name)
    site = _publish(setup, out, tmp_path / "site").site_dir
    for code in ("01", "07"):
        assert (site / "regioner" / code / "demo.html").is_file()
    if name == "korning.json":
        for page in ("index", "status"):
            text = _page(site, page)
            assert "korning.json) är skadad" in text and "utvardering kor" in text


def test_publicera_on_a_damaged_run_says_what_to_rerun(setup, tmp_path, capsys):
    from utvardering.cli import main

    out = _copy_run(setup, tmp_path)
    _truncate(out / "07" / "demo.manifest.json")
    _, data, notebooks, _ = setup
    code = main(
        [
            "publicera",
            "--data",
            str(data),
            "--utdata",
            str(out),
            "--notebookar",
            str(notebooks),
            "--sajt",
            str(tmp_path / "site"),
            "--utan-quarto",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "07/demo är skadad" in err and "`utvardering kor --lan 07 --rapport demo`" in err


def test_a_data_description_in_another_encoding(setup, tmp_path):
    """data/README.md is the user's own text: a Windows-1252 file does not stop publishing."""
    _, data, notebooks, out = setup
    own = tmp_path / "data"
    shutil.copytree(data, own)
    (own / "README.md").write_bytes("## Översikt\n\nVåra egna data från Skåne.\n".encode("cp1252"))
    site = publish(out, tmp_path / "site", own, use_quarto=False, notebook_dir=notebooks).site_dir
    assert "egna data fr" in _page(site, "metod")
