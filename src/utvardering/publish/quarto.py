"""The Quarto website: a generated project (pages as .qmd, reports as executed .ipynb) that
``quarto render`` publishes without executing anything again."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

from utvardering.errors import ReportError
from utvardering.format import escape_md
from utvardering.publish.content import SiteContent, prepare_notebook
from utvardering.publish.sanitize import plain_html
from utvardering.vocabulary import LAN_CODES

__all__ = ["quarto_available", "render_quarto", "write_quarto_project"]


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


def _front_matter(title: str, title_block: bool = True) -> str:
    """A page's YAML front matter; Quarto reads the title as Markdown, so it is escaped (a
    page's title is plain text, as the nbconvert templates show it)."""
    title = escape_md(title)
    meta = {"title": title} if title_block else {"title": title, "title-block-style": "none"}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n"


def write_quarto_project(
    content: SiteContent, project_dir: Path, base_config: Path, template_dir: Path
) -> Path:
    """Write the Quarto project to ``project_dir`` (emptied first); returns its _quarto.yml."""
    if project_dir.exists():
        shutil.rmtree(project_dir)
    project_dir.mkdir(parents=True)
    base = yaml.safe_load(base_config.read_text(encoding="utf-8"))
    config = _config(base, content)
    for asset in ("stil.css", "favicon.svg"):
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
