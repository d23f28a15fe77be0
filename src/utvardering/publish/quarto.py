"""The Quarto website: a generated project (pages as .qmd, reports as executed .ipynb) that
``quarto render`` publishes without executing anything again, and each region's reports as
one document (``regioner/<kod>/rapport_<kod>.qmd``, written by publish.documents) whose own
``format:`` entries make the region's PDF (Typst) and Word file in the same render."""

from __future__ import annotations

import json
import shutil
import subprocess
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
import yaml

from utvardering.errors import ParameterError, ReportError
from utvardering.format import escape_md
from utvardering.publish.content import SiteContent, prepare_notebook
from utvardering.publish.documents import DOCUMENT_FORMATS, write_quarto_document
from utvardering.publish.sanitize import plain_html
from utvardering.vocabulary import LAN_CODES

__all__ = ["QUARTO_FORMATS", "quarto_available", "render_quarto", "write_quarto_project"]

# The Quarto format that makes each document format of publish.documents.
QUARTO_FORMATS = {"pdf": "typst", "docx": "docx"}


def quarto_available() -> str | None:
    """The path of the ``quarto`` command, or None."""
    return shutil.which("quarto")


def _config(base: dict, content: SiteContent) -> dict:
    """The project's _quarto.yml: the repository's base config with the navigation filled in.

    Quarto may put these texts into the page as HTML, so every one is escaped (region names
    come from the data folder)."""
    config = json.loads(json.dumps(base))  # a deep copy
    website = config.setdefault("website", {})
    website["title"] = plain_html(content.title)
    pages = {p.path for p in content.pages}

    def source(path: str) -> str:
        """The project file of a site path: a page's .qmd, or a notebook page's .ipynb (a
        region's page is its summary notebook when the summary is finished)."""
        return f"{path}.qmd" if path in pages else f"{path}.ipynb"

    left = [{"href": source(path), "text": plain_html(text)} for text, path in content.nav]
    left.append(
        {
            "text": "Regioner",
            "menu": [
                {
                    "href": source(f"regioner/{c}/index"),
                    "text": plain_html(content.region_names[c]),
                }
                for c in LAN_CODES
            ],
        }
    )
    website["navbar"] = {"left": left}
    website["search"] = True
    website["favicon"] = "favicon.svg"
    website["page-footer"] = {"center": plain_html(f"{content.title} · {content.subtitle}")}
    return config


def _style_sheets(config: dict, template_dir: Path) -> list[str]:
    """The style sheets of format.html.css that rapportmallar/ has (tabeller.css may not be
    there in an older checkout): the config lists only those, and they are copied."""
    html = config.get("format", {}).get("html", {})
    listed = html.get("css", [])
    sheets = [listed] if isinstance(listed, str) else list(listed)
    present = [name for name in sheets if (template_dir / name).is_file()]
    if sheets:
        html["css"] = present
    return present


def _keep_formats(document: Path, documents: tuple[str, ...]) -> None:
    """Leave in a region document's front matter only the format entries of ``documents``
    (a run that asked for the PDF alone does not render Word files under Quarto)."""
    text = document.read_text(encoding="utf-8")
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    wanted = {QUARTO_FORMATS[fmt] for fmt in documents}
    formats = meta.get("format", {})
    meta["format"] = {name: opts for name, opts in formats.items() if name in wanted}
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    document.write_text(f"---\n{head}---\n{body}", encoding="utf-8")


def _region_document(job: tuple[SiteContent, str, Path, Path, tuple[str, ...]]) -> Path:
    content, code, folder, template_dir, documents = job
    path = write_quarto_document(content, code, folder, template_dir)
    if set(documents) != set(DOCUMENT_FORMATS):
        _keep_formats(path, documents)
    return path


def _write_region_documents(
    content: SiteContent,
    project_dir: Path,
    template_dir: Path,
    documents: tuple[str, ...],
    workers: int = 1,
) -> list[Path]:
    """Each region's document for Quarto to render as PDF and Word: the regions that have a
    finished summary or report, ``workers`` at a time (each runs Pandoc)."""
    if not documents:
        return []
    codes = content.report_regions
    jobs = [
        (content, code, project_dir / "regioner" / code, template_dir, documents) for code in codes
    ]
    if workers <= 1 or len(jobs) < 2:
        return [_region_document(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=min(workers, len(jobs))) as pool:
        return list(pool.map(_region_document, jobs))


def _front_matter(title: str, title_block: bool = True) -> str:
    """A page's YAML front matter; Quarto reads the title as Markdown, so it is escaped (a
    page's title is plain text, as the nbconvert templates show it)."""
    title = escape_md(title)
    meta = {"title": title} if title_block else {"title": title, "title-block-style": "none"}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"


def write_quarto_project(
    content: SiteContent,
    project_dir: Path,
    base_config: Path,
    template_dir: Path,
    documents: tuple[str, ...] = DOCUMENT_FORMATS,
    workers: int = 1,
) -> Path:
    """Write the Quarto project to ``project_dir`` (emptied first); returns its _quarto.yml.

    ``documents`` are the formats of the region documents (``pdf``, ``docx``) that the
    project renders besides the site; an empty tuple writes none. Only the region documents
    name them: a ``typst`` or ``docx`` entry in _quarto.yml would render every page so.
    ``workers`` region documents are written at a time."""
    unknown = [fmt for fmt in documents if fmt not in QUARTO_FORMATS]
    if unknown:
        raise ParameterError(f"Okänt dokumentformat för Quarto: {', '.join(map(repr, unknown))}.")
    if project_dir.exists():
        shutil.rmtree(project_dir)
    project_dir.mkdir(parents=True)
    base = yaml.safe_load(base_config.read_text(encoding="utf-8"))
    config = _config(base, content)
    for asset in (*_style_sheets(config, template_dir), "favicon.svg"):
        shutil.copyfile(template_dir / asset, project_dir / asset)
    for page in content.pages:
        target = project_dir / f"{page.path}.qmd"
        target.parent.mkdir(parents=True, exist_ok=True)
        parts = [_front_matter(page.title)]
        for block in page.blocks:
            if block.kind == "md":
                parts.append(block.text)
            else:  # a backtick in the HTML could end the raw block early
                parts.append(f"```{{=html}}\n{block.text.replace('`', '&#96;')}\n```")
        target.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    for page in content.notebooks:
        notebook = prepare_notebook(page)
        # The report's first heading is its title: no second title block above it.
        notebook.cells.insert(0, nbformat.v4.new_raw_cell(_front_matter(page.title, False)))
        target = project_dir / f"{page.path}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, target)
    _write_region_documents(content, project_dir, template_dir, documents, workers)
    path = project_dir / "_quarto.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def render_quarto(project_dir: Path, site_dir: Path, quarto: str) -> Path:
    """Run ``quarto render`` on the project and move its output to ``site_dir``."""
    result = subprocess.run([quarto, "render", str(project_dir)], capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise ReportError(f"quarto render misslyckades:\n{tail}")
    output = project_dir / "_site"
    if site_dir.exists():
        shutil.rmtree(site_dir)
    shutil.move(str(output), str(site_dir))
    return site_dir
