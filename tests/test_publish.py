"""Publishing: the generated Quarto project, the nbconvert site, escaping, the single file."""

from __future__ import annotations

import re
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, XSS

from utvardering.goals.analysis import STATUS_LABELS
from utvardering.goals.forecast import TREND_WINDOW
from utvardering.publish.quarto import quarto_available
from utvardering.publish.serve import make_server
from utvardering.vocabulary import LAN_CODES

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.images: list[dict] = []
        self.scripts: list[str | None] = []  # each script's src (None: inline)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "img":
            self.images.append(attrs)
        if tag == "script":
            self.scripts.append(attrs.get("src"))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_page_is_there(published):
    site = published.site_dir
    assert published.engine == "nbconvert"
    for page in ("index", "metod", "status", "demo_syntes", "regioner/01/demo", "regioner/07/demo"):
        assert (site / f"{page}.html").is_file(), page
    for code in LAN_CODES:
        assert (site / "regioner" / code / "index.html").is_file()
    assert not (site / "regioner" / "03" / "demo.html").exists()
    assert "byggd utan Quarto" in (site / "index.html").read_text(encoding="utf-8")


def test_links_resolve_from_every_page(published):
    site = published.site_dir
    for page in site.rglob("*.html"):
        for link in _parse(page).links:
            if link.startswith(("http", "#", "mailto:")):
                continue
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.is_file(), f"{page.relative_to(site)} länkar till saknad {link}"


def test_failed_region_has_a_notice_not_a_broken_link(published):
    site = published.site_dir
    region = (site / "regioner" / "03" / "index.html").read_text(encoding="utf-8")
    assert "utv-notis" in region and "avsiktligt fel i 03" in region
    status = (site / "status.html").read_text(encoding="utf-8")
    assert "03/demo" in status and "misslyckades" in status and "cell" in status
    assert "04/demo" in status and "saknas" in status


def test_report_page_hides_code_and_shows_provenance(published):
    page = (published.site_dir / "regioner" / "07" / "demo.html").read_text(encoding="utf-8")
    assert "load_dataset(" not in page and 'trasig_lan = "03"' not in page
    assert "Proveniens" in page and "Fingeravtryck" in page and "enkatsvar[07]" in page
    assert re.search(r"utvardering \d", page)
    images = _parse(published.site_dir / "regioner" / "07" / "demo.html").images
    assert images and all(img.get("alt") for img in images)
    assert 'lang="sv"' in page


def test_text_from_data_is_escaped(published):
    site = published.site_dir
    singles = set(published.single_files)
    for page in site.rglob("*.html"):
        # only the site's own search scripts, from its root (none in the single file), and
        # no script from data
        root = "../" * (len(page.relative_to(site).parts) - 1)
        ours = [] if page in singles else [f"{root}sok-index.js", f"{root}sok.js"]
        assert _parse(page).scripts == ours, page
        assert XSS not in page.read_text(encoding="utf-8"), page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    report = (site / "regioner" / "07" / "demo.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report


def test_single_region_file_is_self_contained(published):
    [single] = published.single_files
    text = single.read_text(encoding="utf-8")
    parser = _parse(single)
    assert parser.images and all(
        i["src"].startswith("data:image/png;base64,") for i in parser.images
    )
    assert "<style>" in text and 'rel="stylesheet"' not in text
    assert parser.scripts == []  # no search in the single file
    assert not [link for link in parser.links if not link.startswith(("http", "#"))]
    assert "Demo: Kronobergs län" in text


def test_quarto_project_is_valid(published):
    project = published.quarto_project
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    # Quarto's documented keys only (project, website with navbar/search/page-footer, format)
    assert set(config) <= {"project", "lang", "website", "format", "execute"}
    assert config["project"] == {"type": "website", "output-dir": "_site"}
    assert config["lang"] == "sv"
    assert set(config["website"]) <= {"title", "search", "navbar", "page-footer", "favicon"}
    assert set(config["format"]["html"]) <= {"theme", "css", "toc"}
    assert config["execute"] == {"enabled": False, "echo": False}
    for item in config["website"]["navbar"]["left"]:
        targets = [m["href"] for m in item.get("menu", [])] or [item["href"]]
        for href in targets:
            assert (project / href).is_file(), href
    assert (project / "stil.css").is_file()
    index = (project / "index.qmd").read_text(encoding="utf-8")
    assert index.startswith("---\ntitle:") and "```{=html}" in index
    import nbformat

    report = nbformat.read(project / "regioner" / "07" / "demo.ipynb", as_version=4)
    assert report.cells[0].cell_type == "raw" and report.cells[0].source.startswith("---")
    assert not any("parameters" in c.metadata.get("tags", []) for c in report.cells)
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in report.cells)


@pytest.mark.skipif(quarto_available() is None, reason="Quarto är inte installerat här")
def test_quarto_renders_the_project(published, tmp_path):
    from utvardering.publish.quarto import render_quarto

    site = render_quarto(published.quarto_project, tmp_path / "site", quarto_available())
    assert (site / "index.html").is_file()
    assert (site / "regioner" / "07" / "demo.html").is_file()


def test_preview_server_serves_the_site(published):
    import threading

    server = make_server(published.site_dir, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        with urllib.request.urlopen(f"http://{host}:{port}/index.html", timeout=10) as response:
            assert response.status == 200
            assert "Regional uppföljning" in response.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()


def test_preview_server_is_quiet_when_a_browser_drops_a_download(tmp_path, capsys):
    """A connection the browser closes mid-download prints nothing; another error in a
    request still prints its traceback."""
    (tmp_path / "index.html").write_text("<p>x</p>", encoding="utf-8")
    server = make_server(tmp_path, port=0)
    try:
        for error in (ConnectionResetError(104, "reset"), BrokenPipeError(32, "pipe")):
            try:
                raise error
            except OSError:
                server.handle_error(None, ("127.0.0.1", 1))
        assert capsys.readouterr().err == ""
        try:
            raise ValueError("fel i sidan")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
        assert "ValueError: fel i sidan" in capsys.readouterr().err
    finally:
        server.server_close()


def test_project_names_from_data_are_escaped_in_the_thematic_report(data_copy, tmp_path):
    """A project named <script>alert(1)</script> shows as text on the published page."""
    import pandas as pd

    from utvardering.batch import RunOptions, run_batch
    from utvardering.publish import publish

    projects = pd.read_csv(data_copy / "projekt.csv", dtype=str, keep_default_na=False)
    shares = pd.read_csv(data_copy / "projekt_lan.csv", dtype=str, keep_default_na=False)
    in_07 = shares.loc[shares["lan_kod"] == "07", "arende_id"]
    amounts = projects["beviljat_belopp_sek"].astype(float).where(projects["arende_id"].isin(in_07))
    largest = amounts.idxmax()
    projects.loc[largest, ["projektnamn", "stodmottagare"]] = [XSS, f"AB {XSS}"]
    projects.to_csv(data_copy / "projekt.csv", index=False)
    out = tmp_path / "ut"
    summary = run_batch(
        RunOptions(
            data_dir=data_copy,
            out_dir=out,
            regions=("07",),
            reports=("tema",),
            notebook_dir=ROOT / "notebooks",
        )
    )
    assert [r.status for r in summary.results] == ["klar"]
    site = publish(
        out, tmp_path / "site", data_copy, use_quarto=False, notebook_dir=ROOT / "notebooks"
    ).site_dir
    page = (site / "regioner" / "07" / "tema.html").read_text(encoding="utf-8")
    assert XSS not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert _parse(site / "regioner" / "07" / "tema.html").scripts == [
        "../../sok-index.js",
        "../../sok.js",
    ]
    # the search index has the project's name, which cannot end its script
    index = (site / "sok-index.js").read_text(encoding="utf-8")
    assert "<" not in index and "\\u003cscript>alert(1)\\u003c/script>" in index


def test_method_page_describes_the_goal_chain(published):
    """The method page states the goal chain's forecast and status rules, with the window and
    the status names that the analysis uses."""
    page = (published.site_dir / "metod.html").read_text(encoding="utf-8")
    assert "Målkedjan: prognos och status" in page
    assert f"de senaste {TREND_WINDOW} åren" in page
    for label in STATUS_LABELS.values():
        assert label.lower() in page, label


def test_landing_page_lists_the_reports_in_a_swedish_sentence(published):
    """The landing page names the reports found, region reports then the national ones, as one
    Swedish enumeration ("a, b och en syntes"), without a comma before "och"."""
    page = (published.site_dir / "index.html").read_text(encoding="utf-8")
    assert "i Sveriges 21 län: demo och en syntes." in page
    assert ", och en" not in page
