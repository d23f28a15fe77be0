"""The site without Quarto: nbconvert for the report notebooks, jinja2 templates from
``rapportmallar/`` for every page, the same links and navigation as the Quarto site."""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import mistune
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from nbconvert import HTMLExporter

from utvardering import __version__
from utvardering.format import escape_md
from utvardering.publish.content import NotebookPage, Page, SiteContent, prepare_notebook, rel
from utvardering.publish.sanitize import clean_markdown
from utvardering.publish.search import INDEX_FILE, SCRIPT_FILE, SearchEntry, headings, write_index
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "notebook_body",
    "render_fallback",
    "render_markdown",
    "render_single_region",
    "search_entries",
    "style_sheets",
]

# The section title of a region's summary in the single file (its page title is the region).
SUMMARY_TITLE = "Sammanfattning"

_MARKDOWN = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Markdown as HTML. Text from data is escaped before it becomes Markdown (escape_md), and
    the Markdown is cleaned of raw HTML (clean_markdown, idempotent), so only HTML that the
    site itself generated passes through."""
    return _MARKDOWN(clean_markdown(text))


def notebook_body(page: NotebookPage, appendix: bool = True) -> str:
    """The report notebook as HTML: outputs only (no code, no prompts, no parameter cells),
    with the page's appendix unless ``appendix`` is False."""
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    body, _ = exporter.from_notebook_node(prepare_notebook(page, appendix))
    return body


def _page_body(page: Page) -> str:
    return "\n".join(b.text if b.kind == "html" else render_markdown(b.text) for b in page.blocks)


# The table style sheet (great-tables' classes), linked beside stil.css when it is there.
TABLES_CSS = "tabeller.css"


def style_sheets(template_dir: Path) -> list[str]:
    """The site's style sheets, by file name: stil.css, and tabeller.css when present."""
    return ["stil.css"] + ([TABLES_CSS] if (template_dir / TABLES_CSS).is_file() else [])


class _Templates:
    def __init__(self, template_dir: Path, content: SiteContent, inline_css: str | None = None):
        # Every value a template shows is escaped; only the page body, already cleaned
        # (sanitize), is marked safe.
        env = Environment(loader=FileSystemLoader(str(template_dir)), autoescape=True)
        self.template = env.get_template("sida.html.j2")
        self.content = content
        self.inline_css = inline_css
        self.style_sheets = style_sheets(template_dir)
        self.built = dt.datetime.now().strftime("%Y-%m-%d %H:%M")

    def render(
        self, path: str, title: str, body: str, standalone: bool = False, show_title: bool = True
    ) -> str:
        content = self.content
        nav = [] if standalone else [(text, rel(path, target)) for text, target in content.nav]
        regions = (
            []
            if standalone
            else [(content.region_names[c], rel(path, f"regioner/{c}/index")) for c in LAN_CODES]
        )
        return self.template.render(
            title=title,
            site_title=content.title,
            subtitle=content.subtitle,
            root="../" * path.count("/"),
            current=rel(path, path),
            nav=nav,
            regions=regions,
            body=Markup(body),
            version=__version__,
            built=self.built,
            fallback=True,
            style_sheets=self.style_sheets,
            # the site-wide search (sok.js over sok-index.js): not in a single file
            search_scripts=[] if standalone else [INDEX_FILE, SCRIPT_FILE],
            # our own style sheet, not data: shown as written (escaping would break it)
            inline_css=None
            if self.inline_css is None
            else Markup(self.inline_css.replace("</", "<\\/")),
            show_title=show_title,
        )


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _render_notebook(
    args: tuple[NotebookPage, Path, Path, SiteContent],
) -> tuple[str, list[tuple[str, str]]]:
    """Write a report page; returns its path and its headings (for the search)."""
    page, site_dir, template_dir, content = args
    body = notebook_body(page)
    html = _Templates(template_dir, content).render(page.path, page.title, body, show_title=False)
    _write(site_dir / f"{page.path}.html", html)
    return page.path, headings(body)


def _where(content: SiteContent, path: str, title: str) -> str:
    """What a page belongs to, as the search shows it under a hit: the page's title, with
    its region's name when the title does not already say it."""
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == "regioner":
        name = content.region_names.get(parts[1], "")
        if name and name not in title:
            return f"{title}, {name}"
    return title


def search_entries(
    content: SiteContent, found: dict[str, tuple[str, list[tuple[str, str]]]]
) -> list[SearchEntry]:
    """The search index: each page (``found``: path -> its title and headings) and its
    headings, each region, and each project of the data under each region it works in
    (linked to the region's thematic evaluation when it has one, else to the region page)."""
    entries = []
    for code in LAN_CODES:
        name = content.region_names.get(code, code)
        entries.append(SearchEntry(name, f"regioner/{code}/index.html", "lan", f"länskod {code}"))
    regions = {e.url: e.text for e in entries}
    for path, (title, heads) in found.items():
        url = f"{path}.html"
        where = _where(content, path, title)
        if regions.get(url) != title:  # a region's page is found as the region
            entries.append(SearchEntry(title, url, "sida", where if where != title else ""))
        for text, ident in heads:
            entries.append(SearchEntry(text, f"{url}#{ident}" if ident else url, "rubrik", where))
    for project, code in content.projects:
        name = content.region_names.get(code, code)
        theme = f"regioner/{code}/tema"
        target = theme if theme in found else f"regioner/{code}/index"
        entries.append(SearchEntry(project, f"{target}.html", "projekt", name))
    return entries


def render_fallback(
    content: SiteContent, site_dir: Path, template_dir: Path, workers: int | None = None
) -> list[Path]:
    """Write the whole site as HTML to ``site_dir``; returns the files written."""
    templates = _Templates(template_dir, content)
    written = []
    found: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for page in content.pages:
        body = _page_body(page)
        _write(site_dir / f"{page.path}.html", templates.render(page.path, page.title, body))
        written.append(site_dir / f"{page.path}.html")
        found[page.path] = (page.title, headings(body))
    for name in templates.style_sheets:
        _write(site_dir / name, (template_dir / name).read_text(encoding="utf-8"))
    _write(site_dir / "favicon.svg", (template_dir / "favicon.svg").read_text(encoding="utf-8"))
    jobs = [(page, site_dir, template_dir, content) for page in content.notebooks]
    if workers == 1 or len(jobs) < 4:
        done = [_render_notebook(job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
            done = list(pool.map(_render_notebook, jobs, chunksize=4))
    titles = {page.path: page.title for page in content.notebooks}
    for path, heads in done:
        found[path] = (titles[path], heads)
    written += [site_dir / f"{path}.html" for path, _ in done]
    write_index(site_dir, search_entries(content, found), template_dir)
    written += [site_dir / INDEX_FILE, site_dir / SCRIPT_FILE]
    return written


def _same_folder_links(body: str, anchors: dict[str, str]) -> str:
    """Links between the region's pages (``mognad.html``, ``index.html``) as links to their
    sections of the single file; ``anchors`` maps a page's file name to its section id."""
    return re.sub(
        r'href="([A-Za-z0-9_-]+\.html)"',
        lambda m: f'href="#{anchors[m.group(1)]}"' if m.group(1) in anchors else m.group(0),
        body,
    )


def render_single_region(content: SiteContent, code: str, target: Path, template_dir: Path) -> Path:
    """One self-contained HTML file with all of a region's reports (images and CSS inline):
    the summary first when it is finished, and the notices of the reports that are not."""
    css = "\n".join(
        (template_dir / name).read_text(encoding="utf-8") for name in style_sheets(template_dir)
    )
    path = f"regioner/{code}/index"
    region = next(p for p in (*content.pages, *content.notebooks) if p.path == path)
    # the notices of reports that are not finished, from the list page or the summary's
    # appendix (the appendix's links are not for the single file: every report is in it)
    notices = region.blocks if isinstance(region, Page) else region.appendix
    name = content.region_names[code]
    parts = [render_markdown(f"{content.subtitle}: alla rapporter för {escape_md(name)} i en fil.")]
    # (only the notices: the dashboard's cards link pages that are not in the file)
    parts += [b.text for b in notices if b.kind == "html" and "utv-notis" in b.text]
    pages = [page for page in content.notebooks if page.lan_kod == code]
    anchors = {f"{page.path.rsplit('/', 1)[-1]}.html": f"rapport-{page.report}" for page in pages}
    for page in pages:
        title = SUMMARY_TITLE if page.path == path else page.title
        body = notebook_body(page, appendix=False)
        parts.append(
            f'<section class="utv-rapport" id="rapport-{html.escape(page.report)}">'
            f"<h2>{html.escape(title)}</h2>{_same_folder_links(body, anchors)}</section>"
        )
    templates = _Templates(template_dir, content, inline_css=css)
    document = templates.render(path, region.title, "\n".join(parts), standalone=True)
    _write(target, document)
    return target
