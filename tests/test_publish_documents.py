"""A region's reports as one PDF (Pandoc to Typst) and one Word file (Pandoc): what a board
receives. Most tests build the documents from small hand-made notebooks (no kernels); the
slow ones from the real notebooks run for two regions."""

from __future__ import annotations

import base64
import html
import io
import json
import pickle
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pypandoc
import pytest
import yaml
from conftest import ROOT, XSS
from PIL import Image
from pypdf import PdfReader

from utvardering.publish.blocks import Block
from utvardering.publish.content import NotebookPage, Page, SiteContent
from utvardering.publish.documents import (
    DOCUMENT_FORMATS,
    document_name,
    missing_engines,
    write_quarto_document,
    write_region_documents,
)

TEMPLATES = ROOT / "rapportmallar"
FILTER = TEMPLATES / "dokument" / "dokument.lua"
CAPTION = "Mognadsprofil för provlänet"
TABLE_HTML = (
    "<table><thead><tr><th>Dimension</th><th>Nivå (1–5)</th><th>Belopp (mnkr)</th></tr></thead>"
    "<tbody><tr><td>Uppföljning och utvärdering</td><td>3,7</td><td>1 234,5</td></tr>"
    "<tr><td>Återkoppling</td><td>−0,3</td><td>12,0</td></tr></tbody></table>"
)


def _png() -> str:
    image = Image.new("RGB", (600, 400), (40, 90, 140))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(100, 100))
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _display(mime: str, text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={mime: text, "text/plain": ""})


def _notebook(path: Path, title: str, simulated: bool) -> Path:
    """An executed report notebook as the batch leaves it: a parameter cell, then outputs."""
    params = nbformat.v4.new_code_cell("lan_kod = '07'")
    params.metadata["tags"] = ["parameters"]
    figure = (
        f'<figure><img src="data:image/png;base64,{_png()}" alt="En figur">'
        f"<figcaption>{CAPTION}</figcaption></figure>"
    )
    sections = []
    for n in range(1, 9):
        sections.append(
            nbformat.v4.new_code_cell(
                "",
                outputs=[
                    _display("text/markdown", f"## Avsnitt {n}\n\n" + "Text om läget. " * 60),
                    _display("text/markdown", "**Tabell: Nivå per dimension**"),
                    _display("text/html", TABLE_HTML),
                    _display("text/html", figure),
                    _display("text/markdown", "Se [mognadsbedömningen](mognad.html)."),
                ],
            )
        )
    notice = "> **Obs! Simulerade data.** Rapporten bygger delvis på simulerade uppgifter."
    first = f"# {title}\n\nInledning." + (f"\n\n{notice}" if simulated else "")
    notebook = nbformat.v4.new_notebook(
        cells=[
            params,
            nbformat.v4.new_code_cell("", outputs=[_display("text/markdown", first)]),
            *sections,
        ]
    )
    nbformat.write(notebook, path)
    inputs = (
        [{"tabell": "enkatsvar", "beskrivning": "svaren på mognadsenkäten", "kolumner": []}]
        if simulated
        else []
    )
    path.with_suffix(".json").write_text(
        json.dumps({"parametrar": {}, "simulerade_indata": inputs}), encoding="utf-8"
    )
    return path


def _content(
    folder: Path, name: str = "Provlänet", simulated: bool = True, summary: bool = False
) -> SiteContent:
    folder.mkdir(parents=True, exist_ok=True)
    footer = "**Proveniens.** Indata (SHA-256, förkortad): enkatsvar `0123456789`."
    reports = [("mognad", "Mognadsbedömning"), ("tema", "Tematisk utvärdering")]
    pages = [
        NotebookPage(
            f"regioner/07/{report}",
            f"{title}: {name}",
            _notebook(folder / f"{report}.ipynb", f"{title}: {name}", simulated),
            footer,
            "07",
            report,
        )
        for report, title in reports
    ]
    notice = Block(
        "html",
        '<div class="utv-notis" role="status">Sammanfattning kunde inte tas fram för '
        f"{name} i den här körningen: rapporten saknas. Sidan visar därför länets rapporter "
        "som en lista.</div>",
    )
    region_pages = (Page("regioner/07/index", name, (notice,)),)
    if summary:
        summary_page = NotebookPage(
            "regioner/07/index",
            name,
            _notebook(folder / "sammanfattning.ipynb", name, simulated),
            footer,
            "07",
            "sammanfattning",
        )
        pages.insert(0, summary_page)
        region_pages = ()
    return SiteContent(
        title="Regional uppföljning och utvärdering",
        subtitle="Rapportserie 2026",
        pages=region_pages,
        notebooks=tuple(pages),
        nav=(("Start", "index"),),
        region_names={"07": name},
    )


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("dokument")
    content = _content(base / "ut")
    return write_region_documents(content, "07", base / "sajt", TEMPLATES)


def _pdf_text(path: Path) -> tuple[list[str], int]:
    """Each page's text, white space as single spaces, and the number of pages."""
    reader = PdfReader(path)
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]
    return pages, len(reader.pages)


def _docx(path: Path, part: str = "word/document.xml") -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part).decode("utf-8")


def _paragraphs(xml: str, style: str) -> list[str]:
    """The text of each paragraph of the Word style ``style``."""
    found = []
    for match in re.finditer(r"<w:p>.*?</w:p>", xml, re.S):
        if f'<w:pStyle w:val="{style}" />' in match.group(0):
            runs = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", match.group(0))
            found.append(html.unescape("".join(runs)))
    return found


def test_both_formats_are_written_with_their_names(documents):
    assert set(documents) == set(DOCUMENT_FORMATS)
    for fmt, path in documents.items():
        assert path.name == document_name("07", fmt)
        assert path.stat().st_size > 10_000
    assert documents["pdf"].read_bytes()[:4] == b"%PDF"
    assert zipfile.is_zipfile(documents["docx"])
    # nothing left beside them (work files, temporary files)
    assert sorted(p.name for p in documents["pdf"].parent.iterdir()) == [
        "rapport_07.docx",
        "rapport_07.pdf",
    ]


def test_pdf_reads_like_a_report(documents):
    pages, count = _pdf_text(documents["pdf"])
    assert count > 5
    title_page = pages[0]
    assert "Provlänet" in title_page
    assert "Rapportserie 2026" in title_page
    assert "Obs! Simulerade data." in title_page
    assert "svaren på mognadsenkäten (enkatsvar)" in title_page
    assert "Sida" not in title_page  # no page number on the title page
    assert "Innehåll" in pages[1]
    assert "Mognadsbedömning: Provlänet" in pages[1]
    assert "Sida 2 av" in pages[1]
    text = " ".join(pages)
    assert f"Figur 1: {CAPTION}" in text
    assert "Tabell 1: Nivå per dimension" in text
    assert "Proveniens." in text
    # the notice of a report that is not finished, without what only the web page does
    assert "Sammanfattning kunde inte tas fram" in text
    assert "Sidan visar därför" not in text
    # each report starts on its own page
    starts = [
        i for i, page in enumerate(pages) if "Tematisk utvärdering: Provlänet Inledning" in page
    ]
    assert starts and "Avsnitt" not in pages[starts[-1]].split("Tematisk utvärdering")[0]


def test_word_file_has_headings_contents_and_page_numbers(documents):
    xml = _docx(documents["docx"])
    assert _paragraphs(xml, "Heading1") == [
        "Om rapporten",
        "Mognadsbedömning: Provlänet",
        "Tematisk utvärdering: Provlänet",
    ]
    assert "Avsnitt 1" in _paragraphs(xml, "Heading2")
    assert _paragraphs(xml, "Title") == ["Provlänet"]
    assert "Innehåll" in xml and 'w:instrText xml:space="preserve">TOC' in xml.replace(
        " TOC", "TOC"
    )
    assert _paragraphs(xml, "AbstractTitle") == ["Obs! Simulerade data."]
    assert any(p.startswith("Proveniens.") for p in _paragraphs(xml, "Proveniens"))
    assert xml.count("<w:tbl>") == 16  # the tables are real tables
    assert f"{CAPTION}" in "".join(_paragraphs(xml, "ImageCaption"))
    assert '<w:pgSz w:h="16838" w:w="11906" />' in xml  # A4
    assert "PAGE" in _docx(documents["docx"], "word/footer1.xml")
    # Word fills in the contents and the page count on opening
    assert '<w:updateFields w:val="true" />' in _docx(documents["docx"], "word/settings.xml")
    assert "mognad.html" not in xml  # links to the site's pages are plain text


def test_no_simulated_notice_on_the_title_page_with_real_data(tmp_path):
    content = _content(tmp_path / "ut", simulated=False)
    paths = write_region_documents(content, "07", tmp_path / "sajt", TEMPLATES, ("pdf",))
    pages, _ = _pdf_text(paths["pdf"])
    assert "Simulerade" not in pages[0]
    assert "Simulerade" not in "".join(pages)


def test_summary_is_the_first_chapter(tmp_path):
    content = _content(tmp_path / "ut", summary=True)
    paths = write_region_documents(content, "07", tmp_path / "sajt", TEMPLATES, ("docx",))
    headings = _paragraphs(_docx(paths["docx"]), "Heading1")
    assert headings[:2] == ["Om rapporten", "Sammanfattning"]


def test_hostile_region_name_is_text(tmp_path):
    name = f"Prov #län $x$ [a] {XSS}"
    content = _content(tmp_path / "ut", name=name)
    paths = write_region_documents(content, "07", tmp_path / "sajt", TEMPLATES)
    pages, _ = _pdf_text(paths["pdf"])
    assert name in pages[0]
    assert _paragraphs(_docx(paths["docx"]), "Title") == [name]


def test_unknown_format_is_named(tmp_path):
    content = _content(tmp_path / "ut")
    with pytest.raises(Exception, match="'html'"):
        write_region_documents(content, "07", tmp_path / "sajt", TEMPLATES, ("html",))


def test_failed_build_leaves_no_file(tmp_path):
    import shutil

    from utvardering.errors import ReportError

    templates = tmp_path / "mallar"
    shutil.copytree(TEMPLATES / "dokument", templates / "dokument")
    (templates / "dokument" / "rapport.typst").write_text("#okänd_funktion()\n$body$\n")
    content = _content(tmp_path / "ut")
    with pytest.raises(ReportError, match=r"Typst kunde inte skriva rapport_07\.pdf"):
        write_region_documents(content, "07", tmp_path / "sajt", templates, ("pdf",))
    assert list((tmp_path / "sajt").iterdir()) == []


def test_worker_arguments_pickle(tmp_path):
    content = _content(tmp_path / "ut")
    assert pickle.loads(pickle.dumps((write_region_documents, content))) is not None


def _typst(html: str) -> str:
    return pypandoc.convert_text(
        html, "typst", format="html", extra_args=[f"--lua-filter={FILTER}"], sandbox=False
    )


def test_table_gets_its_caption_and_numbers_align_right():
    out = _typst(f"<p><strong>Tabell: Nivå per dimension</strong></p>{TABLE_HTML}")
    assert "caption: [Nivå per dimension]" in out
    assert "Tabell:" not in out
    assert "align: (left,right,right,)" in out


def test_report_table_keeps_its_alignment():
    """A report's great-tables table: the columns it right-aligns stay right-aligned, also
    when their cells carry a unit the filter would not read as a number."""
    import pandas as pd

    from utvardering.tables import table_html

    frame = pd.DataFrame(
        {
            "Projekt": ["Ett långt namn", "Kort"],
            "Belopp": ["18,7 mnkr", "2,0 mnkr"],
            "Antal": [3, 4],
        }
    )
    out = _typst(table_html(frame))
    assert "align: (left,right,right,)" in out
    assert "#table(" in out


def test_wide_table_is_shared_out_to_the_page_width():
    long = "Ett långt projektnamn som inte ryms på en rad i tabellen " * 2
    row = f"<tr><td>20200043</td><td>{long}</td><td>{long}</td><td>1 234,5</td></tr>"
    out = _typst(
        "<table><thead><tr><th>Ärende</th><th>Projekt</th><th>Mottagare</th>"
        f"<th>Belopp (mnkr)</th></tr></thead><tbody>{row}</tbody></table>"
    )
    widths = re.search(r"columns: \(([^)]*)\)", out).group(1)
    shares = [float(w.strip().rstrip("%")) for w in widths.split(",") if w.strip()]
    assert len(shares) == 4 and abs(sum(shares) - 100) < 1
    # the code and the amount keep their width; the two text columns share the rest
    assert shares[0] > 7 and shares[3] > 7
    assert shares[1] > 30 and shares[2] > 30


def test_site_links_become_text_and_provenance_is_set_apart():
    out = _typst(
        '<div class="cell"><p>Se <a href="mognad.html">rapporten</a> och '
        '<a href="https://example.org">källan</a>.</p></div>'
        '<div class="celltag_proveniens"><hr><p><strong>Proveniens.</strong> x</p></div>'
        '<div class="utv-notis">Rapporten saknas.</div>'
    )
    assert "mognad.html" not in out and "Se rapporten" in out
    assert 'link("https://example.org")' in out
    assert "#proveniens[" in out and "horizontalrule" not in out
    assert "#quote(block: true)[\nRapporten saknas." in out


def test_images_the_document_cannot_hold_are_described(tmp_path):
    from utvardering.publish.documents import _images_to_files

    body, count = _images_to_files(
        '<img alt="Karta över länen" src="data:image/tiff;base64,AAAA">', tmp_path, "media/", 0
    )
    assert body == "<em>Karta över länen</em>" and count == 0
    out = _typst('<p>Se <img src="https://example.org/x.png" alt="Bild av x"></p>')
    assert "#emph[Bild av x]" in out and "example.org" not in out


@pytest.mark.parametrize(
    ("hidden", "formats"),
    [("typst", {"pdf"}), ("pypandoc", {"pdf", "docx"})],
)
def test_missing_engine_names_the_format_and_why(monkeypatch, hidden, formats):
    monkeypatch.setitem(sys.modules, hidden, None)
    missing = missing_engines(DOCUMENT_FORMATS)
    assert set(missing) == formats
    for fmt, reason in missing.items():
        assert reason.startswith({"pdf": "PDF byggs inte", "docx": "Word byggs inte"}[fmt])
        assert hidden in reason and "\n" not in reason


def test_pandoc_that_cannot_be_found_is_named(monkeypatch):
    def lost():
        raise OSError("No pandoc was found")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", lost)
    missing = missing_engines(DOCUMENT_FORMATS)
    assert set(missing) == {"pdf", "docx"}
    assert "hittar inte Pandoc (No pandoc was found)" in missing["docx"]


def test_engines_are_here():
    assert missing_engines(DOCUMENT_FORMATS) == {}
    assert missing_engines(()) == {}


def test_quarto_document_has_both_formats(tmp_path):
    content = _content(tmp_path / "ut")
    folder = tmp_path / "sajt" / "regioner" / "07"
    path = write_quarto_document(content, "07", folder, TEMPLATES)
    assert path == folder / "rapport_07.qmd"
    text = path.read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front["title"] == "Provlänet"
    assert set(front["format"]) == {"typst", "docx"}
    assert front["format"]["typst"]["papersize"] == "a4"
    reference = folder / front["format"]["docx"]["reference-doc"]
    assert zipfile.is_zipfile(reference)
    assert all((folder / f).is_file() for f in front["filters"])
    body = text.split("---\n", 2)[2]
    assert "# Mognadsbedömning: Provlänet" in body
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", body)
    assert images and all((folder / i).is_file() for i in images)
    assert "data:image" not in body


@pytest.mark.karna
def test_real_region_documents(published_real, tmp_path):
    """The documents of the real notebooks' run (07 and 09): every report is a chapter,
    figures have captions, the PDF has the region's name and is many pages long."""
    from utvardering.publish.content import build_content

    site, _ = published_real
    out = site.quarto_project.parent
    content = build_content(out, out.parent / "data")
    for code in ("07", "09"):
        name = content.region_names[code]
        paths = write_region_documents(content, code, tmp_path / code, TEMPLATES)
        pages, count = _pdf_text(paths["pdf"])
        assert count > 10
        assert name in pages[0]
        text = " ".join(pages)
        assert re.search(r"Figur \d+: Mognadsprofil", text)
        headings = _paragraphs(_docx(paths["docx"]), "Heading1")
        titles = [p.title for p in content.notebooks if p.lan_kod == code]
        assert headings[1] == "Sammanfattning"
        assert len(headings) == len(titles) + 1
        for title in titles[1:]:
            assert title.split(":")[0] in " ".join(headings)


_AFTER_TYPST = """
import pathlib, sys
import typst
from utvardering.publish.site import _document_pool

if __name__ == "__main__":
    folder = pathlib.Path(sys.argv[1])
    source = folder / "a.typ"
    source.write_text("Hej", encoding="utf-8")
    typst.compile(str(source), output=str(folder / "a.pdf"))  # Typst's threads now exist
    with _document_pool(2) as pool:
        targets = [str(folder / f"{i}.pdf") for i in range(2)]
        list(pool.map(typst.compile, [str(source)] * 2, targets))
    print("klar")
"""


def test_documents_are_built_in_a_process_that_has_compiled_one(tmp_path):
    """The documents' workers are not forked from a process with Typst's threads (a fork
    of one waited forever in typst.compile)."""
    script = tmp_path / "efter_typst.py"
    script.write_text(_AFTER_TYPST, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "klar"
    assert all((tmp_path / f"{i}.pdf").read_bytes().startswith(b"%PDF") for i in range(2))
