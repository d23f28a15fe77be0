"""Publishing what a run left behind: damaged files the batch wrote are a notice that says
which job to run again (the rest of the site is built), a region page offers only the
workbooks that the run which finished a report made, and a region's page is its summary when
the summary is finished (a list of its reports otherwise)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, FIXTURES

from utvardering.batch import RunOptions, run_batch
from utvardering.publish import publish

# The tests that run a batch start Jupyter kernels: `pytest -m "not karna"` leaves them out.
# The tests of a run folder written by hand (below) start none.
karna = pytest.mark.karna


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


@karna
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


@karna
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


@karna
def test_a_damaged_national_job(setup, tmp_path):
    out = _copy_run(setup, tmp_path)
    _truncate(out / "riket" / "demo_syntes.manifest.json")
    site = _publish(setup, out, tmp_path / "site").site_dir
    assert not (site / "demo_syntes.html").exists()
    status = _page(site, "status")
    assert "riket/demo_syntes" in status and "utvardering kor --rapport demo_syntes" in status
    assert (site / "regioner" / "07" / "demo.html").is_file()


@karna
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


@karna
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


@karna
def test_a_data_description_in_another_encoding(setup, tmp_path):
    """data/README.md is the user's own text: a Windows-1252 file does not stop publishing."""
    _, data, notebooks, out = setup
    own = tmp_path / "data"
    shutil.copytree(data, own)
    (own / "README.md").write_bytes("## Översikt\n\nVåra egna data från Skåne.\n".encode("cp1252"))
    site = publish(out, tmp_path / "site", own, use_quarto=False, notebook_dir=notebooks).site_dir
    assert "egna data fr" in _page(site, "metod")


# --- the region page is the region's summary (issue 13) -----------------------------------------
# A run folder written by hand, as the batch writes it: korning.json, and for each job its
# manifest and, when it finished, the executed notebook (and a workbook and result file).

_NAMES = {"01": "Stockholms län", "07": "Kronobergs län", "09": "Gotlands län"}
_SIMULATED_PANEL = {"tabell": "foretagspanel", "beskrivning": "företagspanelen", "kolumner": []}
_SIMULATED_PLANS = {"tabell": "larandeplaner", "beskrivning": "lärandeplanerna", "kolumner": []}


def _declared(folder: Path, report: str, title: str, level: str = "region") -> None:
    """A report notebook that only declares itself (the site reads its name and title): the
    demo notebook's parameter cell and kernel under another name."""
    notebook = nbformat.read(FIXTURES / "demo_region.ipynb", as_version=4)
    notebook.cells = notebook.cells[:1]
    notebook.metadata["utvardering"] = {"rapport": report, "titel": title, "niva": level}
    nbformat.write(notebook, folder / f"{report}.ipynb")


def _executed(path: Path, heading: str, text: str) -> None:
    """An executed report notebook: its parameter cells, then its text as outputs."""
    notebook = nbformat.v4.new_notebook()
    parameters = nbformat.v4.new_code_cell('lan_kod = "07"')
    parameters.metadata["tags"] = ["parameters"]
    shown = nbformat.v4.new_code_cell(
        "display(Markdown(text))",
        outputs=[
            nbformat.v4.new_output("display_data", data={"text/markdown": f"# {heading}\n\n{text}"})
        ],
    )
    notebook.cells = [parameters, shown]
    nbformat.write(notebook, path)


def _job(
    out: Path, code: str, report: str, title: str, state: str, simulated=(), links: str = ""
) -> dict:
    """Write one job's files as the batch leaves them; returns its entry in korning.json.
    ``links``: Markdown links of the report's text (the summary links the finished reports
    in its folder, as the real one does)."""
    import datetime as dt
    import hashlib
    import json

    folder = out / code
    folder.mkdir(parents=True, exist_ok=True)
    start = (dt.datetime.now() - dt.timedelta(minutes=1)).isoformat(timespec="seconds")
    manifest = {
        "status": state,
        "indata": {"lan.csv": "a" * 64},
        "parametrar": {"lan_kod": code, "data_dir": "data", "utdata_dir": str(folder)},
        "versioner": {"utvardering": "0.0", "pandas": "2", "statsmodels": "0.14"},
        "sekunder": 1.5,
        "fingerprint": "f" * 64,
        "start": start,
        "slut": start,
        "kod": "k" * 16,
        "cell": None,
        "fel": None,
        "notebook_sha256": None,
    }
    if state == "klar":
        notebook = folder / f"{report}.ipynb"
        _executed(notebook, f"{title}: {_NAMES[code]}", f"Nyckeltal för {code}. {links}")
        manifest["notebook_sha256"] = hashlib.sha256(notebook.read_bytes()).hexdigest()
        (folder / f"{report}.xlsx").write_bytes(b"arbetsbok")
        envelope = {"rapport": report, "parametrar": {"lan_kod": code}}
        envelope["simulerade_indata"] = list(simulated)
        (folder / f"{report}.json").write_text(json.dumps(envelope), encoding="utf-8")
    else:
        manifest.update(cell=3, fel=f"RuntimeError: avsiktligt fel i {report}")
    (folder / f"{report}.manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return {"job": f"{code}/{report}", "rapport": report, "lan_kod": code, "status": state}


@pytest.fixture(scope="module")
def summary_run(tmp_path_factory):
    """07: summary, demo report and learning plan finished; 01: the summary failed and the
    learning plan was never run; 09: the summary and learning plan finished, the demo report
    failed; every other region has no job."""
    import json

    base = tmp_path_factory.mktemp("sammanfattningssajt")
    notebooks = base / "nb"
    notebooks.mkdir()
    _declared(notebooks, "demo", "Demo")
    _declared(notebooks, "sammanfattning", "Sammanfattning")
    _declared(notebooks, "larandeplan", "Lärandeplan")
    _declared(notebooks, "demo_syntes", "Syntes", "nationell")
    out = base / "ut"
    jobs = [
        _job(out, "07", "demo", "Demo", "klar", [_SIMULATED_PANEL]),
        _job(
            out,
            "07",
            "sammanfattning",
            "Sammanfattning",
            "klar",
            [_SIMULATED_PANEL],
            "Se [demo](demo.html) och [lärandeplanen](larandeplan.html).",
        ),
        _job(out, "07", "larandeplan", "Lärandeplan", "klar", [_SIMULATED_PANEL, _SIMULATED_PLANS]),
        _job(out, "01", "sammanfattning", "Sammanfattning", "misslyckad"),
        _job(out, "01", "demo", "Demo", "klar", [_SIMULATED_PANEL]),
        _job(out, "09", "demo", "Demo", "misslyckad"),
        _job(
            out, "09", "sammanfattning", "Sammanfattning", "klar", (), "[Plan](larandeplan.html)."
        ),
        _job(out, "09", "larandeplan", "Lärandeplan", "klar"),
    ]
    run = {"start": "2026-12-02T04:00:00", "slut": "2026-12-02T04:01:00", "sekunder": 60.0,
           "arbetare": 1, "versioner": {"utvardering": "0.0"}, "jobb": jobs}  # fmt: skip
    (out / "korning.json").write_text(json.dumps(run), encoding="utf-8")
    result = publish(
        out,
        base / "site",
        DATA,
        regions=("07", "01"),
        use_quarto=False,
        notebook_dir=notebooks,
        workers=1,
    )
    return base, notebooks, out, result


def test_a_finished_summary_is_the_region_page(summary_run):
    from utvardering.publish.content import SUMMARY, NotebookPage, build_content

    _, notebooks, out, _ = summary_run
    content = build_content(out, DATA, notebooks)
    pages = {p.path: p for p in (*content.pages, *content.notebooks)}
    region = pages["regioner/07/index"]
    assert isinstance(region, NotebookPage)
    assert (region.report, region.title, region.lan_kod) == (SUMMARY, "Kronobergs län", "07")
    assert region.notebook == out / "07" / "sammanfattning.ipynb"
    assert "Proveniens" in region.footer
    # one page per summary: no second page of it, for any region
    assert not [path for path in pages if path.endswith("/sammanfattning")]
    # the region whose summary failed keeps its list page
    assert not isinstance(pages["regioner/01/index"], NotebookPage)


def test_the_summary_page_shows_the_summary_then_the_links_then_the_provenance(summary_run):
    site = summary_run[3].site_dir
    page = _page(site, "regioner/07/index")
    assert "<title>Kronobergs län" in page
    assert "Sammanfattning: Kronobergs län" in page and "Nyckeltal för 07" in page
    summary = page.index("Nyckeltal för 07")
    links = page.index("Rapporterna för Kronobergs län")
    footer = page.index("Proveniens")
    assert summary < links < footer
    block = page[links:footer]
    assert 'href="../../regioner/07/demo.html"' in block
    assert 'href="../../regioner/07/larandeplan.html"' in block and "Lärandeplan" in block
    assert "sammanfattning.html" not in page
    for workbook in ("sammanfattning.xlsx", "demo.xlsx", "larandeplan.xlsx"):
        assert f'href="{workbook}"' in block
        assert (site / "regioner" / "07" / workbook).is_file()
    # the summary's own links (to the reports in the same folder) resolve
    assert (site / "regioner" / "07" / "demo.html").is_file()
    assert (site / "regioner" / "07" / "larandeplan.html").is_file()
    assert not (site / "regioner" / "07" / "sammanfattning.html").exists()


def test_the_summary_page_names_only_the_simulated_inputs_the_summary_does_not(summary_run):
    """The summary's own notice names the panel; the page adds only the learning plan's
    simulated table, once, and does not list the panel for every report again."""
    page = _page(summary_run[3].site_dir, "regioner/07/index")
    block = page[page.index("Rapporterna för Kronobergs län") : page.index("Proveniens")]
    assert "utöver dem som sammanfattningen nämner" in block
    assert "lärandeplanerna (larandeplaner)" in block
    assert "företagspanelen" not in block


def test_the_summary_page_has_the_notices_of_the_reports_not_made(summary_run):
    site = summary_run[3].site_dir
    page = _page(site, "regioner/09/index")
    assert "Sammanfattning: Gotlands län" in page
    block = page[page.index("Rapporterna för Gotlands län") : page.index("Proveniens")]
    assert "utv-notis" in block
    assert "Demo kunde inte tas fram för Gotlands län i den här körningen" in block
    assert "avsiktligt fel i demo" in block and "cell 3" in block
    assert "demo.html" not in page and 'href="demo.xlsx"' not in page
    assert 'href="../../regioner/09/larandeplan.html"' in block
    # no simulated inputs in this region: no notice of them
    assert "Simulerade data" not in page


def test_a_failed_summary_leaves_the_list_page_with_a_notice(summary_run):
    site = summary_run[3].site_dir
    page = _page(site, "regioner/01/index")
    assert "Rapporterna för Stockholms län (länskod 01)" in page
    assert "utv-notis" in page
    assert "Sammanfattning kunde inte tas fram för Stockholms län i den här körningen" in page
    assert "avsiktligt fel i sammanfattning" in page and "cell 3" in page
    assert "Sidan visar därför länets rapporter som en lista." in page
    assert "Lärandeplan kunde inte tas fram för Stockholms län" in page
    assert 'href="../../regioner/01/demo.html"' in page
    assert "Proveniens" not in page


def test_status_page_and_landing_link_the_summary_to_the_region_page(summary_run):
    site = summary_run[3].site_dir
    status = _page(site, "status")
    assert 'href="regioner/07/index.html">klar</a>' in status
    assert "regioner/07/sammanfattning" not in status
    assert "01/sammanfattning" in status and "misslyckades" in status
    landing = _page(site, "index")
    assert 'href="regioner/07/index.html"' in landing
    assert "sammanfattning.html" not in landing
    # the summary and the learning plan are not reports of the series, but of each region
    assert "i Sveriges 21 län: demo och en syntes. Varje län har en egen sida som " in landing
    assert (
        "sammanfattar länets rapporter, med länkar till dem och till länets lärandeplan" in landing
    )


def test_every_link_of_the_summary_site_resolves(summary_run):
    """The links of the pages made from the run (the method page's text is the data
    folder's own, checked in test_publish.py)."""
    site = summary_run[3].site_dir
    pages = [site / "index.html", site / "status.html", *site.glob("regioner/*/*.html")]
    assert len(pages) > 21
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for link in re.findall(r'href="([^"]+)"', text):
            if link.startswith(("http", "#", "mailto:", "data:")):
                continue
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(site)} länkar till saknad {link}"


def test_the_quarto_project_has_the_summary_notebook_as_region_page(summary_run):
    import yaml

    project = summary_run[3].quarto_project
    region = project / "regioner" / "07"
    assert (region / "index.ipynb").is_file() and not (region / "index.qmd").exists()
    assert not (region / "sammanfattning.ipynb").exists()
    assert (project / "regioner" / "01" / "index.qmd").is_file()
    assert not (project / "regioner" / "01" / "index.ipynb").exists()
    notebook = nbformat.read(region / "index.ipynb", as_version=4)
    assert (
        notebook.cells[0].cell_type == "raw" and "title: Kronobergs län" in notebook.cells[0].source
    )
    text = "\n".join(
        c.source if c.cell_type == "markdown" else str(c.get("outputs", "")) for c in notebook.cells
    )
    assert (
        text.index("Nyckeltal för 07") < text.index("larandeplan.html") < text.index("Proveniens")
    )
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    [regions] = [i for i in config["website"]["navbar"]["left"] if "menu" in i]
    hrefs = {m["href"] for m in regions["menu"]}
    assert {"regioner/07/index.ipynb", "regioner/01/index.qmd"} <= hrefs
    for href in hrefs:
        assert (project / href).is_file(), href


def test_the_single_file_starts_with_the_summary_and_links_within_itself(summary_run):
    singles = {p.parent.name: p for p in summary_run[3].single_files}
    text = singles["07"].read_text(encoding="utf-8")
    assert text.index("Nyckeltal för 07") < text.index("Demo: Kronobergs län")
    assert 'href="#rapport-demo"' in text and 'href="#rapport-larandeplan"' in text
    assert 'id="rapport-demo"' in text and 'id="rapport-larandeplan"' in text
    relative = [
        link
        for link in re.findall(r'href="([^"]+)"', text)
        if not link.startswith(("http", "#", "data:"))
    ]
    assert relative == []
    # the region without a summary: its notices, and its reports
    failed = singles["01"].read_text(encoding="utf-8")
    assert "Sammanfattning kunde inte tas fram för Stockholms län" in failed
    assert "Demo: Stockholms län" in failed


# --- the conference site: the landing map's measures, the region dashboard, the search ------
# A run folder written by hand with the result files the map and the dashboard read: 07 has
# every report and its summary, 09 its reports but no summary (and no RUS goals), 01 nothing.

_TINY_PNG = (
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGP8z8DwnwEKmBigAM4BAHi9A/8gGb8J"
)


def _result(out: Path, code: str, report: str, fields: dict, figure: str | None = None) -> None:
    """Add ``fields`` (and a figure file) to a finished job's result file."""
    import base64
    import json

    path = out / code / f"{report}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(fields)
    if figure:
        (out / code / figure).write_bytes(base64.b64decode(_TINY_PNG))
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def dashboard_run(tmp_path_factory):
    import json

    base = tmp_path_factory.mktemp("konferenssajt")
    notebooks = base / "nb"
    notebooks.mkdir()
    titles = {"mognad": "Mognadsbedömning", "tema": "Tematisk utvärdering",
              "malkedja": "Målkedja", "sammanfattning": "Sammanfattning"}  # fmt: skip
    for report, title in titles.items():
        _declared(notebooks, report, title)
    out = base / "ut"
    jobs = [_job(out, code, report, report.title(), "klar", [_SIMULATED_PANEL])
            for code in ("07", "09") for report in ("mognad", "tema", "malkedja")]  # fmt: skip
    jobs.append(_job(out, "07", "sammanfattning", "Sammanfattning", "klar", [_SIMULATED_PANEL]))
    run = {"start": "2026-12-02T04:00:00", "slut": "2026-12-02T04:01:00", "sekunder": 60.0,
           "arbetare": 1, "versioner": {"utvardering": "0.0"}, "jobb": jobs}  # fmt: skip
    (out / "korning.json").write_text(json.dumps(run), encoding="utf-8")
    goals = {"nas": 1, "osakert": 0, "nas_inte": 1, "ratt_riktning": 1, "oklar_riktning": 0,
             "fel_riktning": 1, "saknar_data": 0}  # fmt: skip
    maturity = {"trappstegsniva": 3, "omgang": 2025, "filer": {"radar": "mognad_radar.png"}}
    _result(out, "07", "mognad", maturity, "mognad_radar.png")
    _result(out, "09", "mognad", {"trappstegsniva": 1, "omgang": 2025})
    _result(out, "07", "tema", {"totalt": {"kr_per_invanare": 327.3}, "finansiering": "alla",
                                "period": [2014, 2023]})  # fmt: skip
    _result(out, "09", "tema", {"totalt": {"kr_per_invanare": 1840.2}, "finansiering": "alla",
                                "period": [2014, 2023]})  # fmt: skip
    _result(out, "07", "malkedja", {"status_rus": goals})
    _result(out, "09", "malkedja", {"status_rus": dict.fromkeys(goals, 0)})
    figures = [
        {"id": "trappstegsniva", "namn": "Trappstegsnivå", "varde": 3, "enhet": "trappsteg",
         "jamforelse": "2 av 5 i omgång 2023", "rapport": "mognad"},
        {"id": "kr_per_invanare", "namn": "Beviljade medel per invånare", "varde": 327.3,
         "enhet": "kr per invånare", "jamforelse": "riket 414 kr", "rapport": "tema"},
        {"id": "effekt_anstallda", "namn": "Effekt på antal anställda", "varde": 0.68,
         "enhet": "anställda per stött företag", "jamforelse": "", "rapport": "effekt"},
        {"id": "rus_pa_vag", "namn": "RUS-mål på väg", "varde": 2, "enhet": "RUS-mål",
         "jamforelse": "", "rapport": "malkedja"},
    ]  # fmt: skip
    _result(out, "07", "sammanfattning", {"nyckeltal": figures})
    return base, notebooks, out


def _content(dashboard_run, documents=()):
    from utvardering.publish.content import build_content

    _, notebooks, out = dashboard_run
    return build_content(out, DATA, notebooks, documents=documents)


def _page_text(content, path: str) -> str:
    """A page's HTML as the site shows it (a notebook page: its cells' HTML and Markdown)."""
    from utvardering.publish.content import Page, prepare_notebook

    page = next(p for p in (*content.pages, *content.notebooks) if p.path == path)
    if isinstance(page, Page):
        return "\n".join(b.text for b in page.blocks)
    notebook = prepare_notebook(page)
    parts = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(data.get("text/html") or data.get("text/markdown") or "")
    return "\n".join(parts)


def _shape(landing: str, code: str) -> str:
    return re.search(rf'<path class="lan" data-lan="{code}"[^>]*>', landing).group(0)


def test_the_landing_map_is_coloured_by_each_measure_with_a_legend(dashboard_run):
    landing = _page_text(_content(dashboard_run), "index")
    # one radio button per measure; the maturity level is chosen at first
    assert re.findall(r'id="utv-matt-(\w+)"', landing) == ["mognad", "stod", "mal"]
    assert 'id="utv-matt-mognad" value="mognad" checked' in landing
    # Kronoberg: level 3, the lower money class, half its RUS goals on track
    kronoberg = _shape(landing, "07")
    assert 'data-mognad="3"' in kronoberg and "--mognad:var(--utv-k3)" in kronoberg
    assert 'data-mal="4"' in kronoberg
    gotland = _shape(landing, "09")
    assert 'data-mognad="1"' in gotland and 'data-mal="saknas"' in gotland
    assert "--mal:" not in gotland
    # more money per inhabitant, a darker class
    assert int(re.search(r'data-stod="(\d)"', gotland).group(1)) > int(
        re.search(r'data-stod="(\d)"', kronoberg).group(1)
    )
    # a region without result files: no value for any measure, grey
    stockholm = _shape(landing, "01")
    assert 'data-mognad="saknas" data-stod="saknas" data-mal="saknas"' in stockholm
    assert "style=" not in stockholm
    # a legend per measure, each with "saknas"
    legends = re.findall(r'<div class="utv-legend utv-visas-(\w+)".*?</div>', landing)
    assert legends == ["mognad", "stod", "mal"]
    assert landing.count("</span>saknas</li>") == 3
    assert "Nivå 5" in landing and re.search(r"2 av 4 \(50\s%\)", landing)
    # the list beside the map shows each region's value of each measure
    item = re.search(r'<li><a href="regioner/07/index.html">Kronobergs län</a>.*?</li>', landing)
    assert "nivå 3" in item.group(0) and "327 kr" in item.group(0)


def test_money_classes_have_about_as_many_regions_each_and_read_in_swedish():
    from utvardering.publish.svgmap import money_measure

    files = {f"{i:02d}": {"totalt": {"kr_per_invanare": 100.0 * i}} for i in range(1, 21)}
    files["21"] = {"totalt": {"kr_per_invanare": None}}
    files["22"] = {"totalt": {"kr_per_invanare": 5000.0}, "finansiering": "eruf"}
    measure = money_measure(files)
    labels = [label for _, label in measure.legend]
    assert labels[0].startswith("under ") and labels[-1].endswith(" kr eller mer")
    assert all(re.fullmatch(r"[\d\u00a0]+–[\d\u00a0]+ kr", label) for label in labels[1:-1])
    assert len(labels) == 5
    steps = [measure.values[f"{i:02d}"][0] for i in range(1, 21)]
    assert steps == sorted(steps) and steps[0] == 1 and steps[-1] == 5
    assert max(steps.count(s) for s in set(steps)) <= 5
    # no value, or another funding source: no value on the map
    assert "21" not in measure.values and "22" not in measure.values
    assert measure.values["12"][1] == "1\u00a0200 kr"


def test_the_region_page_is_a_dashboard_above_the_summary(dashboard_run):
    content = _content(dashboard_run, documents=("pdf", "docx"))
    page = _page_text(content, "regioner/07/index")
    panel = page.index('class="utv-panel"')
    assert page.index("Sammanfattning: Kronobergs län") < panel < page.index("Proveniens")
    # the whole report as PDF and Word, in the region's folder
    assert '<a class="utv-knapp" href="rapport_07.pdf">Hela rapporten som PDF</a>' in page
    assert '<a class="utv-knapp" href="rapport_07.docx">Hela rapporten som Word</a>' in page
    # key figures as the summary formats them, each linking its report
    assert page.count('class="utv-kort"') == 4
    assert ">3 av 5<" in page and ">327 kr<" in page and "2 av 4" in page
    assert '0,68 <span class="utv-kort-enhet">anställda per stött företag</span>' in page
    assert 'href="../../regioner/07/mognad.html"' in page[panel:]
    # the effect report was not run: its card names it without a link
    assert '<span class="utv-kort-kalla">effekt</span>' in page
    # a small figure from the maturity report, inline, with alt text
    figure = re.search(r'<figure class="utv-minifigur">.*?</figure>', page).group(0)
    assert 'src="data:image/png;base64,' in figure and 'alt="Mognadsprofil för Kronobergs' in figure
    # without documents: no links to them
    plain = _page_text(_content(dashboard_run), "regioner/07/index")
    assert "rapport_07.pdf" not in plain and 'class="utv-kort"' in plain


def test_a_region_without_summary_has_cards_from_its_reports_and_the_notice_first(dashboard_run):
    page = _page_text(_content(dashboard_run), "regioner/09/index")
    assert page.index("Obs! Simulerade data.") < page.index("Rapporterna för Gotlands län")
    cards = re.findall(r'<p class="utv-kort-varde">(.*?)</p>', page)
    assert cards == ["nivå 1", "1\u00a0840 kr"]
    assert "utv-minifigur" not in page  # no figure files


def test_the_search_index_finds_regions_pages_headings_and_projects(dashboard_run, tmp_path):
    import json

    from utvardering.publish.fallback import render_fallback, render_single_region
    from utvardering.publish.search import INDEX_FILE

    content = _content(dashboard_run)
    templates = tmp_path / "mallar"
    shutil.copytree(Path(__file__).resolve().parents[1] / "rapportmallar", templates)
    (templates / "tabeller.css").write_text("table.utv-gt {}", encoding="utf-8")
    site = tmp_path / "site"
    render_fallback(content, site, templates, workers=1)
    script = (site / INDEX_FILE).read_text(encoding="utf-8")
    assert script.startswith("window.UTV_SOKINDEX = ") and "<" not in script
    index = json.loads(script.removeprefix("window.UTV_SOKINDEX = ").rstrip(";\n"))
    entries = [tuple(e) for e in index["poster"]]
    assert ("Kronobergs län", "regioner/07/index.html", "lan", "länskod 07") in entries
    assert ("Regional uppföljning och utvärdering 2026", "index.html", "sida", "") in entries
    assert any(e[2] == "rubrik" and e[0] == "Körningens status" for e in entries)
    # each project once per region it works in, linked to the region's page
    name, code = content.projects[0]
    assert (name, f"regioner/{code}/index.html", "projekt", content.region_names[code]) in entries
    assert len({(e[0], e[1]) for e in entries if e[2] == "projekt"}) == len(content.projects)
    # every page of the site loads the index and the script, and both style sheets
    page = (site / "regioner" / "07" / "index.html").read_text(encoding="utf-8")
    assert '<script src="../../sok-index.js" defer></script>' in page
    assert '<script src="../../sok.js" defer></script>' in page
    assert 'class="utv-sok" role="search" data-rot="../../"' in page
    assert 'href="../../tabeller.css"' in page and (site / "tabeller.css").is_file()
    assert (site / "sok.js").is_file()
    # the single file has no search (no index beside it) and inlines both style sheets
    single = render_single_region(content, "07", tmp_path / "en.html", templates)
    text = single.read_text(encoding="utf-8")
    assert "<script" not in text and "table.utv-gt {}" in text
    # a region without summary: its notices, not its dashboard (its links are to pages)
    single = render_single_region(content, "09", tmp_path / "09.html", templates)
    text = single.read_text(encoding="utf-8")
    assert "Obs! Simulerade data." in text and 'class="utv-panel"' not in text


def test_the_search_index_cannot_end_its_script():
    from utvardering.publish.search import SearchEntry, index_script

    script = index_script([SearchEntry("</script><script>alert(1)</script>", "a.html", "projekt")])
    assert "<" not in script and "\\u003c/script>" in script
    assert script.count("\n") == 1


def test_headings_are_read_from_a_rendered_page():
    from utvardering.publish.search import headings

    body = '<h2 id="nyckeltal">Nyckeltal<a class="anchor-link" href="#nyckeltal">¶</a></h2>'
    body += "<h3>Mål &amp; medel</h3><h4>inte med</h4>"
    assert headings(body) == [("Nyckeltal", "nyckeltal"), ("Mål & medel", "")]
