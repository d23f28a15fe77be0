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
from utvardering.vocabulary import LAN_CODES

__all__ = ["notebook_body", "render_fallback", "render_markdown", "render_single_region"]

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


class _Templates:
    def __init__(self, template_dir: Path, content: SiteContent, inline_css: str | None = None):
        # Every value a template shows is escaped; only the page body, already cleaned
        # (sanitize), is marked safe.
        env = Environment(loader=FileSystemLoader(str(template_dir)), autoescape=True)
        self.template = env.get_template("sida.html.j2")
        self.content = content
        self.inline_css = inline_css
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


def _render_notebook(args: tuple[NotebookPage, Path, Path, SiteContent]) -> str:
    page, site_dir, template_dir, content = args
    html = _Templates(template_dir, content).render(
        page.path, page.title, notebook_body(page), show_title=False
    )
    _write(site_dir / f"{page.path}.html", html)
    return page.path


def render_fallback(
    content: SiteContent, site_dir: Path, template_dir: Path, workers: int | None = None
) -> list[Path]:
    """Write the whole site as HTML to ``site_dir``; returns the files written."""
    templates = _Templates(template_dir, content)
    written = []
    for page in content.pages:
        _write(
            site_dir / f"{page.path}.html",
            templates.render(page.path, page.title, _page_body(page)),
        )
        written.append(site_dir / f"{page.path}.html")
    css = (template_dir / "stil.css").read_text(encoding="utf-8")
    _write(site_dir / "stil.css", css)
    _write(site_dir / "favicon.svg", (template_dir / "favicon.svg").read_text(encoding="utf-8"))
    jobs = [(page, site_dir, template_dir, content) for page in content.notebooks]
    if workers == 1 or len(jobs) < 4:
        done = [_render_notebook(job) for job in jobs]
    else:
        with ProcessPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
            done = list(pool.map(_render_notebook, jobs, chunksize=4))
    written += [site_dir / f"{path}.html" for path in done]
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
    css = (template_dir / "stil.css").read_text(encoding="utf-8")
    path = f"regioner/{code}/index"
    region = next(p for p in (*content.pages, *content.notebooks) if p.path == path)
    # the notices of reports that are not finished, from the list page or the summary's
    # appendix (the appendix's links are not for the single file: every report is in it)
    notices = region.blocks if isinstance(region, Page) else region.appendix
    name = content.region_names[code]
    parts = [render_markdown(f"{content.subtitle}: alla rapporter för {escape_md(name)} i en fil.")]
    parts += [b.text for b in notices if b.kind == "html"]
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
