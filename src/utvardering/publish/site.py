"""Publish the report series: the Quarto project, rendered by Quarto when it is installed and
by nbconvert otherwise, and one self-contained file per region asked for."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from utvardering.batch.discover import NOTEBOOK_DIR
from utvardering.batch.params import check_regions
from utvardering.errors import ParameterError
from utvardering.publish.content import SiteContent, build_content
from utvardering.publish.documents import (
    document_name,
    missing_engines,
    write_region_documents,
)
from utvardering.publish.fallback import render_fallback, render_single_region
from utvardering.publish.quarto import quarto_available, render_quarto, write_quarto_project
from utvardering.vocabulary import PUBLISH_FORMATS

__all__ = ["DEFAULT_SITE_DIR", "FORMATS", "PublishResult", "check_formats", "publish", "repo_file"]

DEFAULT_SITE_DIR = Path("_site")

FORMATS = PUBLISH_FORMATS  # the site (always) and each region's reports as one document


def check_formats(formats: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The asked formats in build order; an unknown one is a ParameterError that names it."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ParameterError(
            f"Okänt format {', '.join(map(repr, unknown))}; välj bland {', '.join(FORMATS)}."
        )
    return tuple(f for f in FORMATS if f in formats)


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
    # format -> the regions' documents built (pdf, docx), and the seconds each format added
    documents: dict[str, tuple[Path, ...]] = field(default_factory=dict)
    seconds_by_format: dict[str, float] = field(default_factory=dict)
    not_built: dict[str, str] = field(default_factory=dict)  # format -> why (Swedish)


def _document_job(
    args: tuple[SiteContent, str, Path, Path, tuple[str, ...]],
) -> tuple[dict[str, Path], dict[str, float]]:
    content, code, folder, templates, formats = args
    seconds: dict[str, float] = {}
    paths = write_region_documents(content, code, folder, templates, formats, seconds=seconds)
    return paths, seconds


def _document_pool(workers: int) -> ProcessPoolExecutor:
    """Worker processes for the documents, started fresh (``spawn``, as the batch's workers),
    never forked: Typst keeps threads once it has compiled a document, and a fork of a
    process that has them (one that published before, a test process, a notebook's kernel)
    can wait forever for a lock one of them held."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))


def _write_documents(
    content: SiteContent,
    site: Path,
    templates: Path,
    formats: tuple[str, ...],
    workers: int | None,
) -> tuple[dict[str, tuple[Path, ...]], dict[str, float]]:
    """Every region's documents, the regions in parallel (each builds its body once for all
    the formats). The seconds of a format are the wall time of the whole step shared out by
    the formats' processor time, so that they add up to the time the documents added."""
    codes = content.report_regions
    if not formats or not codes:
        return {}, {}
    start = time.perf_counter()
    jobs = [(content, code, site / "regioner" / code, templates, formats) for code in codes]
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < 2:
        done = [_document_job(job) for job in jobs]
    else:
        with _document_pool(min(workers, len(jobs))) as pool:
            done = list(pool.map(_document_job, jobs))
    wall = time.perf_counter() - start
    cpu = {fmt: sum(seconds.get(fmt, 0.0) for _, seconds in done) for fmt in formats}
    total = sum(cpu.values()) or 1.0
    built = {fmt: tuple(paths[fmt] for paths, _ in done) for fmt in formats}
    return built, {fmt: wall * cpu[fmt] / total for fmt in formats}


def publish(
    out_dir: Path,
    site_dir: Path = DEFAULT_SITE_DIR,
    data_dir: Path = Path("data"),
    *,
    regions: tuple[str, ...] = (),
    use_quarto: bool | None = None,
    notebook_dir: Path = NOTEBOOK_DIR,
    workers: int | None = None,
    formats: tuple[str, ...] = ("html",),
) -> PublishResult:
    """Build the site from the run in ``out_dir`` into ``site_dir``.

    ``use_quarto`` None uses Quarto when it is on PATH; False always uses nbconvert. The Quarto
    project is written to ``out_dir/sajt`` in both cases, so that it can be rendered later.
    ``formats`` adds each region's reports as one PDF and/or Word file (``pdf``, ``docx``) in
    its site folder, linked from its page; a format whose engine cannot be imported here is
    left out and named in ``not_built``, and the site is built all the same.
    """
    start = time.perf_counter()
    codes = check_regions(list(regions)) if regions else []
    wanted = tuple(f for f in check_formats(formats) if f != "html")
    _check_site_dir(Path(site_dir), Path(out_dir), Path(data_dir))
    templates = repo_file("rapportmallar")
    not_built = missing_engines(wanted)
    documents = tuple(f for f in wanted if f not in not_built)
    content = build_content(
        out_dir,
        data_dir,
        notebook_dir,
        readme=Path(data_dir) / "README.md",
        documents=documents,
    )
    project = out_dir / "sajt"
    write_quarto_project(
        content,
        project,
        repo_file("_quarto.yml"),
        templates,
        documents=documents,
        workers=workers or os.cpu_count() or 1,
    )
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
    html_seconds = time.perf_counter() - start
    _copy_downloads(content, staging)
    if quarto:  # Quarto rendered the documents from the project's region documents
        built = {
            fmt: tuple(
                path
                for code in content.report_regions
                if (path := staging / "regioner" / code / document_name(code, fmt)).is_file()
            )
            for fmt in documents
        }
        seconds = {}
    else:
        built, seconds = _write_documents(content, staging, templates, documents, workers)
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
    built = {
        fmt: tuple(site_dir / p.relative_to(staging) for p in paths) for fmt, paths in built.items()
    }
    return PublishResult(
        site_dir,
        engine,
        time.perf_counter() - start,
        len(content.pages),
        len(content.notebooks),
        singles,
        project,
        content.damaged,
        documents=built,
        seconds_by_format={"html": html_seconds, **seconds},
        not_built=not_built,
    )
