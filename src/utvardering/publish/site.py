"""Publish the report series: the Quarto project, rendered by Quarto when it is installed and
by nbconvert otherwise, and one self-contained file per region asked for."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from utvardering.batch.discover import NOTEBOOK_DIR
from utvardering.batch.params import check_regions
from utvardering.errors import ParameterError
from utvardering.publish.content import SiteContent, build_content
from utvardering.publish.fallback import render_fallback, render_single_region
from utvardering.publish.quarto import quarto_available, render_quarto, write_quarto_project

__all__ = ["DEFAULT_SITE_DIR", "PublishResult", "publish", "repo_file"]

DEFAULT_SITE_DIR = Path("_site")


def repo_file(name: str) -> Path:
    """A file of the checkout (``rapportmallar``, ``_quarto.yml``): in the working directory,
    or beside the package's source tree."""
    here = Path(name)
    if here.exists():
        return here
    return Path(__file__).resolve().parents[3] / name


def _copy_downloads(content: SiteContent, site: Path) -> None:
    """The finished reports' Excel workbooks next to their pages, so the pages can link them
    (only those the content offers: never a workbook left from an earlier run)."""
    for folder, paths in content.downloads.items():
        target = site / folder
        for path in paths:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.name)


def _check_site_dir(site_dir: Path, out_dir: Path, data_dir: Path) -> None:
    """Refuse a site folder whose replacement would delete something else: the site folder
    is emptied and rebuilt on every publish."""
    site = site_dir.resolve()
    for other, what in ((out_dir, "utdatamappen"), (data_dir, "datamappen"), (Path.cwd(), "")):
        other = Path(other).resolve()
        if site == other or site in other.parents:
            where = f"{what} {other}" if what else f"den aktuella mappen {other}"
            raise ParameterError(
                f"Webbplatsmappen {site_dir} innehåller {where}; den töms vid varje "
                "publicering. Välj en egen mapp med --sajt, t.ex. _site."
            )
    if site_dir.exists() and not site_dir.is_dir():
        raise ParameterError(f"Webbplatsmappen {site_dir} är ingen mapp. Välj en annan med --sajt.")
    if site_dir.is_dir() and any(site_dir.iterdir()) and not (site_dir / "index.html").is_file():
        raise ParameterError(
            f"Mappen {site_dir} finns redan och är ingen publicerad webbplats (index.html "
            "saknas); den skulle tömmas. Välj en ny eller tom mapp med --sajt."
        )


@dataclass(frozen=True)
class PublishResult:
    site_dir: Path
    engine: str  # "quarto" or "nbconvert"
    seconds: float
    pages: int
    report_pages: int
    single_files: tuple[Path, ...]
    quarto_project: Path
    damaged: dict[str, str] = field(default_factory=dict)  # job -> the command that reruns it


def publish(
    out_dir: Path,
    site_dir: Path = DEFAULT_SITE_DIR,
    data_dir: Path = Path("data"),
    *,
    regions: tuple[str, ...] = (),
    use_quarto: bool | None = None,
    notebook_dir: Path = NOTEBOOK_DIR,
    workers: int | None = None,
) -> PublishResult:
    """Build the site from the run in ``out_dir`` into ``site_dir``.

    ``use_quarto`` None uses Quarto when it is on PATH; False always uses nbconvert. The Quarto
    project is written to ``out_dir/sajt`` in both cases, so that it can be rendered later.
    """
    start = time.perf_counter()
    codes = check_regions(list(regions)) if regions else []
    _check_site_dir(Path(site_dir), Path(out_dir), Path(data_dir))
    templates = repo_file("rapportmallar")
    content = build_content(out_dir, data_dir, notebook_dir, readme=Path(data_dir) / "README.md")
    project = out_dir / "sajt"
    write_quarto_project(content, project, repo_file("_quarto.yml"), templates)
    quarto = quarto_available() if use_quarto is not False else None
    staging = site_dir.with_name(f".{site_dir.name}.ny")
    if staging.exists():
        shutil.rmtree(staging)
    if quarto:
        render_quarto(project, staging, quarto)
        engine = "quarto"
    else:
        render_fallback(content, staging, templates, workers)
        engine = "nbconvert"
    _copy_downloads(content, staging)
    singles = tuple(
        render_single_region(
            content, code, staging / "regioner" / code / f"rapport_{code}.html", templates
        )
        for code in codes
    )
    if site_dir.exists():
        shutil.rmtree(site_dir)
    staging.rename(site_dir)
    singles = tuple(site_dir / p.relative_to(staging) for p in singles)
    return PublishResult(
        site_dir,
        engine,
        time.perf_counter() - start,
        len(content.pages),
        len(content.notebooks),
        singles,
        project,
        content.damaged,
    )
