"""The generated Quarto project against the schema Quarto ships (tests/data/quarto/): the
project file, every page's front matter and every region document's front matter. Quarto is
not needed, nor kernels (the quick tests build the project from hand-made content)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import nbformat
import pytest
import yaml
from conftest import ROOT
from quarto_schema import (
    DATA,
    SCHEMA_FILE,
    check,
    check_front_matter,
    check_project,
    front_matter,
    quarto_commit,
)

from utvardering.errors import ParameterError
from utvardering.publish import quarto as quarto_module
from utvardering.publish.content import Block, NotebookPage, Page, SiteContent
from utvardering.publish.documents import document_name
from utvardering.publish.quarto import QUARTO_FORMATS, write_quarto_project
from utvardering.vocabulary import LAN_CODES

TEMPLATES = ROOT / "rapportmallar"


def _paths(errors) -> list[tuple]:
    return [e.path for e in errors]


# --- the vendored schema ----------------------------------------------------------------------


def test_vendored_schema_names_its_commit_and_licence():
    document = json.loads(gzip.decompress(SCHEMA_FILE.read_bytes()))
    commit = quarto_commit()
    assert len(commit) == 40 and commit in (DATA / "README.md").read_text(encoding="utf-8")
    assert set(document["quarto-cli"]["roots"]) == {"project-config", "front-matter"}
    assert {"project-config", "front-matter", "base-website"} <= set(document["definitions"])
    licence = (DATA / "COPYING.md").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "Posit Software, PBC" in licence
    assert SCHEMA_FILE.stat().st_size < 200_000  # the reduced schema, not the whole file


# --- the validator: what Quarto rejects, and the keys it ignores --------------------------------


@pytest.mark.parametrize(
    ("config", "path"),
    [
        ({"website": {"serach": True}}, ("website", "serach")),
        ({"format": {"typst": {"toc": "ja"}}}, ("format", "typst", "toc")),
        ({"format": {"docx": {"toc-depth": "två"}}}, ("format", "docx", "toc-depth")),
        ({"format": {"htlm": {"toc": True}}}, ("format", "htlm")),
        ({"project": {"type": "website", "outputdir": "_site"}}, ("project", "outputdir")),
        ({"project": {"type": 3}}, ("project", "type")),
        ({"execute": {"enabled": "nej"}}, ("execute", "enabled")),
        ({"lang": ["sv"]}, ("lang",)),
        ({"website": {"navbar": {"left": [{"href": "a.qmd", "txt": "A"}]}}}, None),
        ({"website": {"page-footer": {"mitten": "x"}}}, None),
        ({"website": {"search": "ja"}}, ("website", "search")),
    ],
)
def test_a_key_or_value_quarto_rejects_is_reported(config, path):
    errors = check_project(config)
    assert errors, config
    assert all(e.quarto for e in errors)
    if path is not None:
        assert path in _paths(errors), [str(e) for e in errors]


@pytest.mark.parametrize(
    ("meta", "path"),
    [
        ({"format": {"html": {"tocc": True}}}, ("format", "html", "tocc")),
        ({"format": {"typst": {"toc_depth": 2}}}, ("format", "typst", "toc_depth")),
        ({"titel": "Rapport"}, ("titel",)),
    ],
)
def test_strict_reports_a_key_quarto_would_silently_ignore(meta, path):
    errors = check_front_matter(meta)
    assert _paths(errors) == [path] and not errors[0].quarto
    assert check_front_matter(meta, strict=False) == []  # Quarto itself lets it pass


def test_the_options_our_documents_use_are_valid():
    meta = {
        "title": "Kronobergs län",
        "subtitle": "Regional uppföljning",
        "date": "2026-12-02",
        "lang": "sv",
        "toc": True,
        "title-block-style": "none",
        "format": {
            "typst": {"toc": True, "papersize": "a4", "number-sections": False},
            "docx": {"toc": True, "toc-depth": 2, "reference-doc": "reference.docx"},
        },
    }
    assert check_front_matter(meta) == []
    assert check_front_matter(None) == []  # a page without front matter
    assert check_front_matter({"format": "typst"}) == []


def test_a_wrong_value_deep_in_a_list_names_its_place():
    config = {"website": {"navbar": {"left": [{"text": "A", "menu": [{"href": 7}]}]}}}
    errors = check(config, "project-config")
    assert ("website", "navbar", "left", 0, "menu", 0, "href") in _paths(errors)


# --- the repository's _quarto.yml ---------------------------------------------------------------


def test_repository_quarto_yml_is_valid_and_only_html_at_project_level():
    config = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert [str(e) for e in check_project(config)] == []
    # A typst or docx entry here would render every page as a PDF and a Word file.
    assert list(config["format"]) == ["html"]


# --- the generated project (hand-made content, no kernels) --------------------------------------


def _notebook(path: Path, heading: str) -> Path:
    notebook = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("lan_kod = '07'")
    params.metadata["tags"] = ["parameters"]
    figure = nbformat.v4.new_code_cell(
        "figur()",
        outputs=[
            nbformat.v4.new_output(
                "display_data", data={"text/html": "<table><tr><td>1</td></tr></table>"}
            )
        ],
    )
    notebook.cells = [params, nbformat.v4.new_markdown_cell(f"# {heading}\n\nText."), figure]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def content(tmp_path) -> SiteContent:
    """Two regions with a finished report each (one a summary), the landing page, and a
    region page: the shapes the project writes."""
    names = {code: f"Län {code}" for code in LAN_CODES}
    notebooks = tuple(
        NotebookPage(
            path=f"regioner/{code}/{report}",
            title=f"{title} – {names[code]}",
            notebook=_notebook(tmp_path / "ut" / code / f"{report}.ipynb", title),
            footer="Körning `abc`, data `def`.",
            lan_kod=code,
            report=report,
        )
        for code, report, title in (
            ("07", "sammanfattning", "Sammanfattning"),
            ("07", "mognad", "Mognadsbedömning"),
            ("09", "mognad", "Mognadsbedömning"),
        )
    )
    pages = (
        Page("index", "Start", (Block("md", "Välkommen."), Block("html", "<p>Karta</p>"))),
        *(
            Page(f"regioner/{code}/index", names[code], (Block("md", "Rapporter."),))
            for code in LAN_CODES
            if code != "07"  # the summary is Kronoberg's region page
        ),
    )
    return SiteContent(
        title="Regional uppföljning",
        subtitle="Omgång 2026",
        pages=pages,
        notebooks=notebooks,
        nav=(("Start", "index"),),
        region_names=names,
    )


def _fake_document(content, code, folder, template_dir):
    """A region document as publish.documents writes one for Quarto (its front matter)."""
    meta = {
        "title": content.region_names[code],
        "lang": "sv",
        "format": {
            "typst": {"toc": True, "papersize": "a4"},
            "docx": {"toc": True, "reference-doc": "reference.docx"},
        },
    }
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"rapport_{code}.qmd"
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{head}---\n\n# Rubrik\n\n---\n\nText.\n", encoding="utf-8")
    return path


def _project_errors(project: Path) -> dict[str, list[str]]:
    """Every schema error of the project, by file."""
    found: dict[str, list[str]] = {}
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    found["_quarto.yml"] = [str(e) for e in check_project(config)]
    for page in sorted(project.rglob("*.qmd")):
        meta = front_matter(page.read_text(encoding="utf-8"))
        found[str(page.relative_to(project))] = [str(e) for e in check_front_matter(meta)]
    for page in sorted(project.rglob("*.ipynb")):
        first = nbformat.read(page, as_version=4).cells[0]
        assert first.cell_type == "raw", page
        meta = front_matter(first.source)
        found[str(page.relative_to(project))] = [str(e) for e in check_front_matter(meta)]
    return {name: errors for name, errors in found.items() if errors}


def _write(content, tmp_path, monkeypatch, **kwargs) -> Path:
    monkeypatch.setattr(quarto_module, "write_quarto_document", _fake_document)
    write_quarto_project(content, tmp_path / "sajt", ROOT / "_quarto.yml", TEMPLATES, **kwargs)
    return tmp_path / "sajt"


def test_generated_project_is_valid_for_quarto(content, tmp_path, monkeypatch):
    project = _write(content, tmp_path, monkeypatch)
    assert _project_errors(project) == {}
    assert (project / "regioner" / "07" / "mognad.ipynb").is_file()
    assert len(list(project.rglob("*.qmd"))) >= len(LAN_CODES)


def test_style_sheets_listed_are_the_ones_copied(content, tmp_path, monkeypatch):
    project = _write(content, tmp_path, monkeypatch)
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    css = config["format"]["html"]["css"]
    assert css[0] == "stil.css"
    assert ("tabeller.css" in css) == (TEMPLATES / "tabeller.css").is_file()
    assert all((project / name).is_file() for name in css)


def test_style_sheet_missing_from_templates_is_left_out(content, tmp_path, monkeypatch):
    templates = tmp_path / "mallar"
    templates.mkdir()
    for name in ("stil.css", "favicon.svg"):
        (templates / name).write_bytes((TEMPLATES / name).read_bytes())
    monkeypatch.setattr(quarto_module, "write_quarto_document", _fake_document)
    write_quarto_project(content, tmp_path / "sajt", ROOT / "_quarto.yml", templates)
    config = yaml.safe_load((tmp_path / "sajt" / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["format"]["html"]["css"] == ["stil.css"]
    assert not (tmp_path / "sajt" / "tabeller.css").exists()


def test_each_region_with_reports_gets_its_document(content, tmp_path, monkeypatch):
    project = _write(content, tmp_path, monkeypatch)
    documents = sorted(p.relative_to(project).as_posix() for p in project.rglob("rapport_*.qmd"))
    assert documents == ["regioner/07/rapport_07.qmd", "regioner/09/rapport_09.qmd"]
    meta = front_matter((project / documents[0]).read_text(encoding="utf-8"))
    assert set(meta["format"]) == {"typst", "docx"}
    # Quarto names each output after the document: the files the region page links.
    assert {f"rapport_07.{ext}" for ext in ("pdf", "docx")} == {
        document_name("07", fmt) for fmt in QUARTO_FORMATS
    }


def test_only_the_asked_document_formats_are_rendered(content, tmp_path, monkeypatch):
    project = _write(content, tmp_path, monkeypatch, documents=("pdf",))
    text = (project / "regioner" / "07" / "rapport_07.qmd").read_text(encoding="utf-8")
    assert set(front_matter(text)["format"]) == {"typst"}
    assert "# Rubrik\n\n---\n\nText." in text  # the body is left as it was
    assert _project_errors(project) == {}


def test_no_document_formats_writes_no_documents(content, tmp_path, monkeypatch):
    project = _write(content, tmp_path, monkeypatch, documents=())
    assert not list(project.rglob("rapport_*.qmd"))


def test_unknown_document_format_is_a_parameter_error(content, tmp_path, monkeypatch):
    with pytest.raises(ParameterError, match="'odt'"):
        _write(content, tmp_path, monkeypatch, documents=("odt",))


def test_wrong_key_in_a_generated_page_is_found(content, tmp_path, monkeypatch):
    """The project check reads every file: a page with a key Quarto rejects fails it."""
    project = _write(content, tmp_path, monkeypatch)
    page = project / "index.qmd"
    page.write_text(page.read_text(encoding="utf-8").replace("title:", "toc: ja\ntitle:", 1))
    assert list(_project_errors(project)) == ["index.qmd"]


# --- the real region documents and a published run (kernels) ------------------------------------


@pytest.mark.karna
def test_published_project_is_valid_for_quarto(published):
    project = published.quarto_project
    assert _project_errors(project) == {}
    documents = sorted(project.rglob("rapport_*.qmd"))
    # Every region with a finished report (a notebook page) has its document, no other.
    finished = sorted({p.parent.name for p in (project / "regioner").glob("*/*.ipynb")})
    assert finished and [p.name for p in documents] == [f"rapport_{c}.qmd" for c in finished]
    for path in documents:
        assert set(front_matter(path.read_text(encoding="utf-8"))["format"]) == {"typst", "docx"}


def test_region_documents_written_in_parallel_are_the_same(content, tmp_path, monkeypatch):
    one = _write(content, tmp_path / "en", monkeypatch)
    two = _write(content, tmp_path / "tva", monkeypatch, workers=2)
    for name in ("regioner/07/rapport_07.qmd", "regioner/09/rapport_09.qmd"):
        assert (one / name).read_text(encoding="utf-8") == (two / name).read_text(encoding="utf-8")


def test_real_region_document_is_valid_for_quarto(content, tmp_path):
    """publish.documents' own Quarto document (Pandoc, no kernels) passes Quarto's schema."""
    pytest.importorskip("pypandoc")
    write_quarto_project(content, tmp_path / "sajt", ROOT / "_quarto.yml", TEMPLATES)
    project = tmp_path / "sajt"
    assert _project_errors(project) == {}
    meta = front_matter((project / "regioner/07/rapport_07.qmd").read_text(encoding="utf-8"))
    assert set(meta["format"]) == {"typst", "docx"} and meta["lang"] == "sv"
