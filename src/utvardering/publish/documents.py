"""Each region's reports as one document for print and for boards: PDF (Pandoc to Typst, as
Quarto does) and Word (Pandoc).

The route is Quarto's own, without Quarto: the region's reports as one HTML body (the same
outputs as the web pages), read by Pandoc (``-f html``, so that HTML tables become real
tables), cleaned by our Lua filter (``rapportmallar/dokument/dokument.lua``), then written as
Typst with our template and compiled by the Typst compiler (PDF), or as Word with our
reference document (page numbers in the footer, a table of contents)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import html
import importlib
import os
import re
import shutil
import struct
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from utvardering import __version__
from utvardering.errors import ReportError
from utvardering.format import escape_md, listed
from utvardering.origin import SimulatedInput, merged, notice_line
from utvardering.publish.content import (
    SUMMARY,
    NotebookPage,
    Page,
    SiteContent,
    document_name,
    prepare_notebook,
)
from utvardering.publish.fallback import render_markdown
from utvardering.results import DamagedFileError, read_results
from utvardering.vocabulary import MONTHS

__all__ = [
    "DOCUMENT_FORMATS",
    "document_name",
    "missing_engines",
    "notebook_html",
    "write_quarto_document",
    "write_region_documents",
]

# The document formats besides the HTML site, in the order they are built.
DOCUMENT_FORMATS = ("pdf", "docx")

# The folder of rapportmallar/ with the document templates and the Lua filter.
TEMPLATE_FOLDER = "dokument"
TYPST_TEMPLATE = "rapport.typst"
REFERENCE_DOCX = "reference.docx"
LUA_FILTER = "dokument.lua"

# The chapter title of the region's summary (its own first heading is the region's name,
# which is the document's title).
SUMMARY_TITLE = "Sammanfattning"

# The Python package each format needs, and what it is for.
_ENGINES = {
    "pdf": (("pypandoc", "Pandoc"), ("typst", "Typst-kompilatorn")),
    "docx": (("pypandoc", "Pandoc"),),
}
_FORMAT_NAMES = {"pdf": "PDF", "docx": "Word"}

# The text area of an A4 page in the Typst template (cm): figures are scaled to fit it.
_TEXT_WIDTH_CM = 16.6
_FIGURE_HEIGHT_CM = 13.0

# What a region's page says when its summary is missing; the document has no such list.
_LIST_INSTEAD = " Sidan visar därför länets rapporter som en lista."

# Markdown as the site renders it (fallback.render_markdown); the notebook is cleaned first.


def missing_engines(formats: Iterable[str]) -> dict[str, str]:
    """For each asked document format ("pdf", "docx") that cannot be built here: one Swedish
    sentence why, e.g. "PDF byggs inte: Python-paketet typst (Typst-kompilatorn) kan inte
    importeras (No module named 'typst'). …"."""
    missing = {}
    for fmt in formats:
        for package, what in _ENGINES.get(fmt, ()):
            problem = _import_problem(package)
            if problem is not None:
                why = f"Python-paketet {package} ({what}) kan inte importeras ({problem})"
            elif package == "pypandoc" and (problem := _pandoc_problem()) is not None:
                why = f"Python-paketet pypandoc hittar inte Pandoc ({problem})"
            else:
                continue
            missing[fmt] = (
                f"{_FORMAT_NAMES[fmt]} byggs inte: {why}. Det är ett beroende av utvardering: "
                "installera om med `pip install -e .` i projektmappen."
            )
            break
    return missing


def _import_problem(package: str) -> str | None:
    try:
        module = importlib.import_module(package)
    except Exception as exc:  # ImportError, or a broken wheel failing on import
        return str(exc) or type(exc).__name__
    if module is None:  # hidden (sys.modules[package] = None)
        return "paketet saknas"
    return None


def _pandoc_problem() -> str | None:
    """Why the Pandoc that pypandoc finds cannot be used, or None."""
    import pypandoc

    try:
        pypandoc.get_pandoc_path()
    except OSError as exc:
        return str(exc).splitlines()[0] if str(exc) else "Pandoc hittas inte"
    return None


# --- the region's reports as one HTML body --------------------------------------------------


@dataclass(frozen=True)
class _Region:
    """What a region's document is made of."""

    code: str
    name: str
    body: str  # HTML, images as files in the media folder
    simulated: tuple[SimulatedInput, ...]
    reports: tuple[str, ...]  # the chapter titles, in order
    meta: dict


def _report_title(page: NotebookPage, name: str) -> str:
    """The chapter title of a report page: the report's name without the region's."""

    if page.report == SUMMARY:
        return SUMMARY_TITLE
    suffix = f": {name}"
    return page.title[: -len(suffix)] if page.title.endswith(suffix) else page.title


def _simulated_inputs(pages: list[NotebookPage]) -> tuple[SimulatedInput, ...]:
    """The simulated inputs that the reports' result files (beside their notebooks) name."""
    groups = []
    for page in pages:
        try:
            result = read_results(page.notebook.with_suffix(".json"))
        except DamagedFileError:
            continue
        if not isinstance(result, dict) or not isinstance(result.get("simulerade_indata"), list):
            continue
        with contextlib.suppress(KeyError, TypeError, AttributeError):
            groups.append(tuple(SimulatedInput.from_dict(i) for i in result["simulerade_indata"]))
    return merged(*groups)


def _png_size_cm(data: bytes) -> tuple[float, float] | None:
    """A PNG's natural size in cm (from its pHYs resolution, else 96 dpi), or None."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return None
    width, height = struct.unpack(">II", data[16:24])
    dpm_x = dpm_y = 96 / 0.0254
    at = data.find(b"pHYs")
    if at > 0 and len(data) >= at + 13:
        x, y, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
        if unit == 1 and x > 0 and y > 0:
            dpm_x, dpm_y = x, y
    return width / dpm_x * 100, height / dpm_y * 100


def _figure_width(data: bytes) -> str:
    """The width of a figure on the page, as a share of the text width: its natural size,
    smaller when it is wider than the text or taller than a page's figure."""
    size = _png_size_cm(data)
    if size is None:
        return "100%"
    width, height = size
    scale = min(1.0, _TEXT_WIDTH_CM / width, _FIGURE_HEIGHT_CM / height)
    return f"{max(20, round(100 * scale * width / _TEXT_WIDTH_CM))}%"


_DATA_IMAGE = re.compile(r'<img\b([^>]*?)\ssrc="data:image/([\w.+-]+);base64,([^"]+)"([^>]*)>')
# The image types Typst and Word both show, by their data: URI's subtype, with the suffix.
_IMAGE_SUFFIX = {"png": "png", "jpeg": "jpg", "gif": "gif", "svg+xml": "svg"}


def _images_to_files(body: str, media: Path, prefix: str, start: int) -> tuple[str, int]:
    """The body with each inline (data: URI) image written to ``media`` and linked by a path
    relative to the media folder's parent, with its width on the page; returns the body and
    the next image number."""
    count = start

    def write(match: re.Match) -> str:
        nonlocal count
        before, kind, payload, after = match.groups()
        try:
            data = base64.b64decode(payload, validate=False)
        except (binascii.Error, ValueError):
            return match.group(0)
        if kind not in _IMAGE_SUFFIX:  # shown as its description instead
            alt = re.search(r'\salt="([^"]*)"', before + after)
            return f"<em>{alt.group(1) if alt else ''}</em>"
        count += 1
        name = f"figur_{count:03d}.{_IMAGE_SUFFIX[kind]}"
        (media / name).write_bytes(data)
        attrs = re.sub(r'\s(?:style|width|height)="[^"]*"', "", before + after)
        width = _figure_width(data) if kind == "png" else "100%"
        return f'<img{attrs} src="{prefix}{name}" width="{width}">'

    return _DATA_IMAGE.sub(write, body), count


def _text(value: object) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_html(output: dict) -> str:
    """One output of a cleaned notebook as HTML, preferring what the site shows (HTML, then
    Markdown, then an image, then plain text)."""
    data = output.get("data") or {}
    if "text/html" in data:
        return _text(data["text/html"])
    if "text/markdown" in data:
        return render_markdown(_text(data["text/markdown"]))
    for kind in ("png", "jpeg"):
        if f"image/{kind}" in data:
            payload = _text(data[f"image/{kind}"]).replace("\n", "")
            return f'<img src="data:image/{kind};base64,{payload}" alt="">'
    if output.get("output_type") == "stream":
        return f"<pre>{html.escape(_text(output.get('text', '')))}</pre>"
    if "text/plain" in data:
        return f"<pre>{html.escape(_text(data['text/plain']))}</pre>"
    return ""


def notebook_html(page: NotebookPage) -> str:
    """A report's executed notebook as HTML for a document: the outputs that its web page
    shows (the notebook as published, cleaned, without the page's appendix), each cell in a
    div; the provenance cell is ``div.celltag_proveniens`` as nbconvert marks it.

    Much faster than nbconvert's template, which matters when every region's document is
    built: the outputs are already HTML and Markdown."""

    parts = []
    for cell in prepare_notebook(page, appendix=False).cells:
        if cell.cell_type == "markdown":
            inner = render_markdown(_text(cell.source))
        elif cell.cell_type == "code":
            inner = "\n".join(_output_html(o) for o in cell.get("outputs", []))
        else:
            continue
        tags = cell.metadata.get("tags", [])
        kind = "celltag_proveniens" if "proveniens" in tags else "cell"
        parts.append(f'<div class="{kind}">\n{inner}\n</div>')
    return "\n".join(parts)


def _first_heading(body: str, title: str) -> str:
    """The body with its first level-1 heading's text replaced by ``title``."""
    return re.sub(
        r"<h1\b[^>]*>.*?</h1>", f"<h1>{html.escape(title)}</h1>", body, count=1, flags=re.S
    )


def _long_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _series_year(content: SiteContent) -> str:
    match = re.search(r"\d{4}", content.subtitle)
    return match.group(0) if match else ""


def _region(content: SiteContent, code: str, media: Path, prefix: str) -> _Region:
    """The region's reports as one HTML body: an introduction with the notices of the reports
    that are not finished, then one chapter per finished report (the summary first)."""

    name = content.region_names.get(code, code)
    path = f"regioner/{code}/index"
    region = next((p for p in (*content.pages, *content.notebooks) if p.path == path), None)
    notices: tuple = ()
    if isinstance(region, Page):
        notices = region.blocks
    elif isinstance(region, NotebookPage):
        notices = region.appendix
    pages = [p for p in content.notebooks if p.lan_kod == code]
    if not pages and region is None:
        raise ReportError(f"Det finns inga rapporter för län {code} att samla i ett dokument.")
    titles = tuple(_report_title(p, name) for p in pages)
    simulated = _simulated_inputs(pages)
    year = _series_year(content)
    series = f"rapportserien {year}" if year else content.subtitle
    if titles:
        lead = (
            f"Här samlas rapporterna för {name} ur {series}: "
            f"{listed([t[:1].lower() + t[1:] for t in titles])}"
            ". Varje kapitel är en rapport, med samma innehåll som på webbplatsen. Kapitlet "
            "slutar med rapportens proveniens: vilka indata, parametrar och programversioner "
            "den bygger på."
        )
    else:
        lead = f"Ingen rapport för {name} blev klar i den här körningen."
    parts = ['<section class="utv-inledning">', "<h1>Om rapporten</h1>"]
    parts.append(f"<p>{html.escape(lead)}</p>")
    # the notices of reports that are not finished and of simulated inputs, as on the
    # region's page, without what only the page does (the list of links instead of the
    # summary)
    parts += [
        b.text.replace(_LIST_INSTEAD, "")
        for b in notices
        if b.kind == "html" and "utv-notis" in b.text
    ]
    parts.append("</section>")
    count = 0
    for page, title in zip(pages, titles, strict=True):
        body = notebook_html(page)
        if page.report == SUMMARY:
            body = _first_heading(body, title)
        body, count = _images_to_files(body, media, prefix, count)
        parts.append(f'<section class="utv-rapport">{body}</section>')
    today = dt.date.today()
    meta = {
        "title": escape_md(name),
        "subtitle": escape_md(f"{content.title} · {content.subtitle}"),
        "date": _long_date(today),
        "lang": "sv-SE",
        "utgava": escape_md(f"utvardering {__version__}"),
    }
    if simulated:
        meta["simulerade"] = escape_md(
            "Rapporterna bygger delvis på simulerade data. Resultat som bygger på dem visar hur "
            f"analysen fungerar, inte hur det faktiskt ser ut. {notice_line(simulated)}"
        )
    return _Region(code, name, "\n".join(parts), simulated, titles, meta)


# --- Pandoc, Typst ----------------------------------------------------------------------------


def _templates(template_dir: Path) -> Path:
    folder = Path(template_dir) / TEMPLATE_FOLDER
    if not (folder / LUA_FILTER).is_file():
        raise ReportError(f"Dokumentmallarna saknas: {folder / LUA_FILTER} finns inte.")
    return folder


def _pandoc(source: Path, target: Path, to: str, meta: dict, args: list[str]) -> None:
    import pypandoc

    meta_file = source.with_name("metadata.yaml")
    meta_file.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    try:
        pypandoc.convert_file(
            str(source),
            to,
            format="html",
            outputfile=str(target),
            extra_args=[
                "--quiet",
                f"--metadata-file={meta_file}",
                f"--resource-path={source.parent}",
                *args,
            ],
            sandbox=False,
        )
    except RuntimeError as exc:
        raise ReportError(f"Pandoc kunde inte skriva {target.name}: {exc}") from exc


def _write_pdf(work: Path, source: Path, region: _Region, templates: Path, target: Path) -> None:
    import typst

    typ = work / "rapport.typ"
    _pandoc(
        source,
        typ,
        "typst",
        region.meta,
        [f"--template={templates / TYPST_TEMPLATE}", f"--lua-filter={templates / LUA_FILTER}"],
    )
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        typst.compile(str(typ), output=str(tmp), root=str(work), ignore_system_fonts=True)
    except Exception as exc:  # typst.TypstError and the like
        tmp.unlink(missing_ok=True)
        raise ReportError(f"Typst kunde inte skriva {target.name}: {exc}") from exc
    os.replace(tmp, target)


def _write_docx(work: Path, source: Path, region: _Region, templates: Path, target: Path) -> None:
    meta = dict(region.meta)
    meta["subtitle"] = f"{meta['subtitle']}  \n{meta.pop('utgava')}"
    if "simulerade" in meta:
        meta["abstract-title"] = "Obs! Simulerade data."
        meta["abstract"] = meta.pop("simulerade")
    meta["toc-title"] = "Innehåll"
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp.docx")
    try:
        _pandoc(
            source,
            tmp,
            "docx",
            meta,
            [
                f"--reference-doc={templates / REFERENCE_DOCX}",
                f"--lua-filter={templates / LUA_FILTER}",
                "--toc",
                "--toc-depth=2",
            ],
        )
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_region_documents(
    content: SiteContent,
    code: str,
    folder: Path,
    template_dir: Path,
    formats: tuple[str, ...] = DOCUMENT_FORMATS,
    seconds: dict[str, float] | None = None,
) -> dict[str, Path]:
    """Write ``folder/document_name(code, fmt)`` for each format; returns fmt -> path.

    Module-level with plain arguments, so that a ProcessPoolExecutor worker can call it. The
    region's HTML body is built once for all the asked formats. ``seconds``, when given, gets
    each format's seconds (the shared body's time shared out equally)."""
    unknown = [f for f in formats if f not in DOCUMENT_FORMATS]
    if unknown:
        raise ReportError(
            f"Okänt dokumentformat {', '.join(map(repr, unknown))}; välj bland "
            f"{', '.join(DOCUMENT_FORMATS)}."
        )
    templates = _templates(template_dir)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(prefix=f"dokument_{code}_") as tmp:
        work = Path(tmp)
        media = work / "media"
        media.mkdir()
        start = time.perf_counter()
        region = _region(content, code, media, "media/")
        source = work / "rapport.html"
        source.write_text(
            f'<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>'
            f"{html.escape(region.name)}</title></head><body>{region.body}</body></html>",
            encoding="utf-8",
        )
        shared = (time.perf_counter() - start) / max(len(formats), 1)
        for fmt in formats:
            start = time.perf_counter()
            target = folder / document_name(code, fmt)
            if fmt == "pdf":
                _write_pdf(work, source, region, templates, target)
            else:
                _write_docx(work, source, region, templates, target)
            written[fmt] = target
            if seconds is not None:
                seconds[fmt] = shared + time.perf_counter() - start
    return written


def write_quarto_document(
    content: SiteContent, code: str, folder: Path, template_dir: Path
) -> Path:
    """Write ``folder/rapport_<kod>.qmd`` with its images (``rapport_<kod>_filer/``) for the
    Quarto project: the same body as the PDF and Word files, as Pandoc Markdown, and front
    matter with ``format:`` entries for Typst (PDF) and Word, so that ``quarto render`` makes
    the same two files where Quarto exists. Returns the .qmd path."""
    import pypandoc

    templates = _templates(template_dir)
    folder = Path(folder)
    stem = Path(document_name(code, "qmd")).stem
    files = folder / f"{stem}_filer"
    if files.exists():
        shutil.rmtree(files)
    files.mkdir(parents=True)
    shutil.copyfile(templates / REFERENCE_DOCX, files / REFERENCE_DOCX)
    shutil.copyfile(templates / LUA_FILTER, files / LUA_FILTER)
    region = _region(content, code, files, f"{files.name}/")
    try:
        body = pypandoc.convert_text(
            region.body,
            "markdown",
            format="html",
            extra_args=[f"--lua-filter={templates / LUA_FILTER}", "--wrap=none"],
            sandbox=False,
        )
    except RuntimeError as exc:
        raise ReportError(f"Pandoc kunde inte skriva {stem}.qmd: {exc}") from exc
    front = {
        "title": region.meta["title"],
        "subtitle": region.meta["subtitle"],
        "date": region.meta["date"],
        "lang": "sv",
        "toc": True,
        "toc-depth": 2,
        "toc-title": "Innehåll",
        "filters": [f"{files.name}/{LUA_FILTER}"],
        "format": {
            "typst": {"papersize": "a4", "toc": True, "toc-depth": 2},
            "docx": {
                "toc": True,
                "toc-depth": 2,
                "reference-doc": f"{files.name}/{REFERENCE_DOCX}",
            },
        },
    }
    if "simulerade" in region.meta:
        front["abstract-title"] = "Obs! Simulerade data."
        front["abstract"] = region.meta["simulerade"]
    target = folder / f"{stem}.qmd"
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n"
    target.write_text(text + body, encoding="utf-8")
    return target
