"""The content of the published site, built once and written by both the Quarto and the
nbconvert path: pages as Markdown and HTML blocks, and the executed report notebooks."""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from utvardering import __version__
from utvardering.batch.discover import NOTEBOOK_DIR, Report, discover_reports
from utvardering.batch.jobs import NATIONAL_FOLDER
from utvardering.batch.matrix import ERROR, INDEX_FILE, MATRIX_FOLDER, NOT_RUN, counts_text
from utvardering.batch.run import DAMAGED
from utvardering.dataset import load_dataset
from utvardering.errors import ReportError, describe_os_error
from utvardering.format import escape_md, fmt_number, listed, parameter_text
from utvardering.origin import SimulatedInput, merged, notice_line
from utvardering.publish.blocks import Block
from utvardering.publish.method import method_blocks
from utvardering.publish.sanitize import clean_notebook
from utvardering.publish.svgmap import (
    MapMeasure,
    goal_measure,
    map_view_html,
    maturity_measure,
    money_measure,
)
from utvardering.results import DamagedFileError, read_results
from utvardering.status import JobStatus
from utvardering.summary.text import KeyFigure, value_text
from utvardering.vocabulary import LAN_CODES

__all__ = [
    "LEARNING_PLAN",
    "SUMMARY",
    "Block",
    "NotebookPage",
    "Page",
    "SiteContent",
    "build_content",
    "document_name",
    "prepare_notebook",
]

# The region report whose executed notebook is the region's page (regioner/<kod>/index) when
# it is finished, and the region's learning plan: both are made from the region's other
# reports, which the landing page words differently from the report series itself.
SUMMARY = "sammanfattning"
LEARNING_PLAN = "larandeplan"
_PER_REGION = (SUMMARY, LEARNING_PLAN)

# A job's state as the site words it after "rapporten …" (a state not listed shows as it is).
_PHRASES: dict[str, str] = {
    JobStatus.KLAR: "klar",
    JobStatus.MISSLYCKAD: "misslyckades",
    JobStatus.SAKNAS: "saknas",
    JobStatus.AVBRUTEN: "avbröts",
    DAMAGED: "är skadad",
}


def _phrase(state: str) -> str:
    return _PHRASES.get(state, state)


@dataclass(frozen=True)
class Page:
    """A page of the site; ``path`` without extension, relative to the site root."""

    path: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class NotebookPage:
    """A report page made from an executed notebook, with its provenance footer.

    ``appendix`` is what the site adds after the report and before the footer (the region
    summary's links to the region's reports, its downloads and notices); ``preface`` what it
    adds after the report's first section (its title, lead and notices): the region's
    dashboard."""

    path: str
    title: str
    notebook: Path
    footer: str  # Markdown
    lan_kod: str | None
    report: str
    appendix: tuple[Block, ...] = ()
    preface: tuple[Block, ...] = ()


@dataclass(frozen=True)
class SiteContent:
    title: str
    subtitle: str
    pages: tuple[Page, ...]
    notebooks: tuple[NotebookPage, ...]
    nav: tuple[tuple[str, str], ...]  # (text, path) of the navbar
    region_names: dict[str, str] = field(default_factory=dict)
    # Files to offer for download, by the site folder they go in ("" = the root): only the
    # workbooks of finished reports, made by the run that finished them.
    downloads: dict[str, tuple[Path, ...]] = field(default_factory=dict)
    # Jobs whose files the batch wrote cannot be read back: job -> the command that reruns it.
    damaged: dict[str, str] = field(default_factory=dict)
    # The projects of the data, for the site's search: (project name, län code), a project
    # once per län it works in.
    projects: tuple[tuple[str, str], ...] = ()
    # The document formats whose region files the region pages link (publish.documents).
    documents: tuple[str, ...] = ()

    @property
    def report_regions(self) -> list[str]:
        """The regions with at least one finished report page: those that get documents."""
        return sorted({page.lan_kod for page in self.notebooks if page.lan_kod})


def document_name(code: str, fmt: str) -> str:
    """The file name of a region's document (``publish.documents``), in the region's site
    folder (``regioner/<kod>/``): ``rapport_07.pdf``."""
    return f"rapport_{code}.{fmt}"


def rel(from_path: str, to_path: str) -> str:
    """A relative link between two site paths (without extensions)."""
    depth = from_path.count("/")
    return "../" * depth + to_path + ".html"


def _job_state(out_dir: Path, folder: str, report: str) -> tuple[str, dict | None, str]:
    """A job's state as published, its manifest and why it is damaged ("" if it is not).

    ``skadad`` when a file the batch wrote (the manifest, or the executed notebook of a
    finished job) cannot be read back or does not have the shape the batch writes.
    """
    path = out_dir / folder / f"{report}.manifest.json"
    notebook = out_dir / folder / f"{report}.ipynb"
    try:
        manifest = read_results(path)
    except DamagedFileError as exc:
        return DAMAGED, None, f"{path.name}: {exc.reason}"
    if manifest is None:
        return JobStatus.SAKNAS, None, ""
    problem = _manifest_problem(manifest)
    if problem:
        return DAMAGED, None, f"{path.name}: {problem}"
    state = manifest["status"]
    if state != JobStatus.KLAR:
        return state, manifest, ""
    if not notebook.is_file():
        return JobStatus.SAKNAS, manifest, ""
    problem = _notebook_problem(notebook, manifest.get("notebook_sha256"))
    if problem:
        return DAMAGED, manifest, f"{notebook.name}: {problem}"
    return state, manifest, ""


def _manifest_problem(manifest: dict) -> str:
    """What is wrong with the shape of a manifest the batch wrote, or ""."""
    if not isinstance(manifest.get("status"), str):
        return "ingen status"
    expected = {
        "indata": dict,
        "parametrar": dict,
        "versioner": dict,
        "sekunder": int | float,
        "fingerprint": str,
        "start": str,
    }
    for key, kind in expected.items():
        value = manifest.get(key)
        if manifest["status"] == JobStatus.KLAR and key in ("indata", "parametrar", "start"):
            if not isinstance(value, kind):
                return f"fältet {key} saknas eller har fel typ"
        elif value is not None and not isinstance(value, kind):
            return f"fältet {key} har fel typ"
    return ""


def _notebook_problem(path: Path, sha256: object = None) -> str:
    """Why an executed notebook cannot be published (cut short, not a notebook, not the one
    its manifest describes when the manifest holds its SHA-256), or ""."""
    try:
        data = path.read_bytes()
        if isinstance(sha256, str) and hashlib.sha256(data).hexdigest() != sha256:
            return "stämmer inte med manifestet (ändrad eller avbruten)"
        notebook = json.loads(data.decode("utf-8"))
    except OSError as exc:
        return describe_os_error(exc)
    except UnicodeDecodeError:
        return "inte UTF-8-text"
    except ValueError as exc:
        return f"ogiltig JSON: {exc}"
    if not isinstance(notebook, dict) or notebook.get("nbformat") != 4:
        return "inte en notebook i format 4"
    cells = notebook.get("cells")
    if not isinstance(cells, list) or not isinstance(notebook.get("metadata"), dict):
        return "cellerna eller metadata saknas"
    for cell in cells:
        if not (
            isinstance(cell, dict)
            and isinstance(cell.get("cell_type"), str)
            and isinstance(cell.get("source"), str | list)
            and isinstance(cell.get("metadata"), dict)
            and isinstance(cell.get("outputs", []), list)
        ):
            return "en cell är trasig"
    return ""


def _rerun_command(code: str | None, report: str) -> str:
    """The command that runs one job again (the batch reruns a job whose files are damaged)."""
    where = f"--lan {code} " if code else ""
    return f"utvardering kor {where}--rapport {report}"


def _rerun_hint(code: str | None, report: str) -> str:
    return f"kör jobbet igen med `{_rerun_command(code, report)}`"


def _made_by(folder: Path, report: str, manifest: dict) -> tuple[Path, ...]:
    """The report's workbooks in its job folder that the run which finished the job wrote:
    named after the report (``mognad.xlsx``, ``tema_07.xlsx``) and not older than the job's
    start, so a workbook left from an earlier run is never offered as this run's."""
    try:
        start = dt.datetime.fromisoformat(manifest["start"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return ()
    made = []
    for path in sorted(folder.glob("*.xlsx")):
        if path.stem != report and not path.stem.startswith(f"{report}_"):
            continue
        try:
            if path.stat().st_mtime >= start:
                made.append(path)
        except OSError:
            continue
    return tuple(made)


def _run_file(out_dir: Path) -> tuple[dict, str]:
    """The run's summary (korning.json) and why it is damaged ("" if it is not)."""
    run_file = out_dir / "korning.json"
    try:
        run = read_results(run_file)
    except DamagedFileError as exc:
        return {}, exc.reason
    if run is None:
        raise ReportError(
            f"Hittar ingen körning i {out_dir} (korning.json saknas). Kör först "
            "`utvardering kor` (eller `utvardering rapport`)."
        )
    jobs = run.get("jobb", [])
    shapes = {"start": str, "slut": str, "sekunder": int | float, "versioner": dict}
    if not isinstance(jobs, list) or not all(
        isinstance(j, dict) and isinstance(j.get("status"), str) for j in jobs
    ):
        return {}, "fältet jobb har fel form"
    for key, kind in shapes.items():
        if run.get(key) is not None and not isinstance(run[key], kind):
            return {}, f"fältet {key} har fel typ"
    return run, ""


def _when(value: object) -> str:
    """An ISO time stamp as 'ÅÅÅÅ-MM-DD HH:MM'."""
    return str(value or "")[:16].replace("T", " ")


def _code(value: object) -> str:
    """A value as a Markdown code span (its text is shown literally and escaped in HTML)."""
    return "`" + str(value).replace("`", "'") + "`"


def _result_envelope(folder: Path, report: str) -> dict:
    """The parameters and simulated inputs that a finished job's result file records (empty
    when the report writes no result file or it cannot be read: the page still shows)."""
    try:
        result = read_results(folder / f"{report}.json")
    except DamagedFileError:
        return {}
    if not isinstance(result, dict):
        return {}
    params = result.get("parametrar")
    inputs = result.get("simulerade_indata")
    out: dict = {}
    if isinstance(params, dict):
        out["parametrar"] = params
    if isinstance(inputs, list):
        # The file was checked against its schema when written; a hand-edited list that
        # cannot be read shows as no notice rather than stopping the site.
        with contextlib.suppress(KeyError, TypeError, AttributeError):
            out["simulerade_indata"] = tuple(SimulatedInput.from_dict(i) for i in inputs)
    return out


def _footer(manifest: dict, envelope: dict | None = None) -> str:
    """The provenance line: inputs by hash, every parameter the report ran with (the checked
    ones from its result file, with their defaults), versions, time and fingerprint."""
    inputs = ", ".join(
        f"{escape_md(k)} {_code(str(v)[:10])}" for k, v in manifest["indata"].items()
    )
    given = {**manifest["parametrar"], **((envelope or {}).get("parametrar") or {})}
    params = ", ".join(
        f"{escape_md(k)} = {escape_md(parameter_text(v))}"
        for k, v in given.items()
        if k not in ("data_dir", "utdata_dir", "korning_dir")
    )
    versions = manifest.get("versioner", {})
    commit = manifest.get("git") or "okänd (inte en git-checkout)"
    when = str(manifest.get("slut") or manifest.get("start", ""))[:16].replace("T", " ")
    return (
        "**Proveniens.** "
        f"Indata (SHA-256, förkortad): {inputs}. Parametrar: {params or 'inga'}. "
        f"utvardering {escape_md(versions.get('utvardering', __version__))} "
        f"(kod {_code(manifest.get('kod', ''))}), commit {_code(commit)}, "
        f"pandas {escape_md(versions.get('pandas', ''))}, statsmodels "
        f"{escape_md(versions.get('statsmodels', ''))}. Körd {escape_md(when)} "
        f"({fmt_number(manifest.get('sekunder', 0), 1)} s). Fingeravtryck "
        f"{_code(manifest.get('fingerprint', '')[:16])}."
    )


def _appendix_cell(block: Block) -> nbformat.NotebookNode:
    """A block the site adds to a notebook page: Markdown as a Markdown cell, the site's own
    HTML as the output of a code cell without code (cleaned like every output)."""
    if block.kind == "md":
        cell = nbformat.v4.new_markdown_cell(block.text)
    else:
        cell = nbformat.v4.new_code_cell(
            "",
            outputs=[nbformat.v4.new_output("display_data", data={"text/html": block.text})],
        )
    cell.metadata["tags"] = ["sajt"]
    return cell


def prepare_notebook(
    page: NotebookPage, appendix: bool = True, preface: bool | None = None
) -> nbformat.NotebookNode:
    """The executed notebook as published: without the parameter cells and the notes before
    them (they are for whoever runs the notebook), with the page's preface after the report's
    first section and its appendix at the end (unless ``preface`` / ``appendix`` is False;
    ``preface`` follows ``appendix`` when not given) and the provenance footer. The report's
    own first heading is the page's title."""
    notebook = nbformat.read(page.notebook, as_version=4)
    tags = [set(c.metadata.get("tags", [])) for c in notebook.cells]
    first = next((i for i, t in enumerate(tags) if "parameters" in t), 0)
    notebook.cells = [
        c
        for c, t in zip(notebook.cells[first:], tags[first:], strict=True)
        if not {"parameters", "injected-parameters"} & t
    ]
    if (appendix if preface is None else preface) and page.preface:
        # after the first cell that shows something: the report's title, lead and notices
        shown = next(
            (
                i
                for i, c in enumerate(notebook.cells)
                if c.cell_type == "markdown" or c.get("outputs")
            ),
            -1,
        )
        cells = [_appendix_cell(b) for b in page.preface]
        notebook.cells[shown + 1 : shown + 1] = cells
    if appendix:
        notebook.cells += [_appendix_cell(b) for b in page.appendix]
    footer = nbformat.v4.new_markdown_cell("---\n\n" + page.footer)
    footer.metadata["tags"] = ["proveniens"]
    notebook.cells.append(footer)
    # The boundary: every cell and output that the site shows is cleaned here, once, for the
    # Quarto project and the nbconvert site alike.
    return clean_notebook(notebook)


def _notice(text: str) -> Block:
    return Block("html", f'<div class="utv-notis" role="status">{html.escape(text)}</div>')


def build_content(
    out_dir: Path,
    data_dir: Path,
    notebook_dir: Path = NOTEBOOK_DIR,
    readme: Path | None = None,
    documents: tuple[str, ...] = (),
) -> SiteContent:
    """Everything the site shows, from the run in ``out_dir`` and the data in ``data_dir``.

    ``documents``: the formats of the region documents that the publishing builds
    (``publish.documents``); each region page links them."""
    run, run_problem = _run_file(out_dir)
    reports = discover_reports(notebook_dir)
    region_reports = [r for r in reports.values() if r.level == "region"]
    national = [r for r in reports.values() if r.level == "nationell"]
    ds = load_dataset(
        data_dir, ["lan", "karta", "mognadsmodell", "effektkedjor", "projekt", "projekt_lan"]
    )
    names = dict(zip(ds.lan["lan_kod"], ds.lan["lan_namn"], strict=True))
    year = str(run.get("start", dt.date.today().isoformat()))[:4]

    notebooks: list[NotebookPage] = []
    status: dict[str, dict[str, str]] = {}
    failures: list[tuple[str, str, dict | None]] = []
    manifests: dict[str, dict | None] = {}
    damage: dict[str, str] = {}  # job -> what is damaged
    rerun: dict[str, str] = {}  # job -> the command that runs it again
    downloads: dict[str, tuple[Path, ...]] = {}
    summaries: dict[str, tuple[Path, str]] = {}  # region -> its summary notebook and footer
    # The simulated inputs of each finished job (region code or None → report → inputs).
    simulated: dict[str | None, dict[str, tuple[SimulatedInput, ...]]] = {}
    for code in LAN_CODES:
        status[code] = {}
        for report in region_reports:
            job = f"{code}/{report.name}"
            state, manifest, problem = _job_state(out_dir, code, report.name)
            notebook = out_dir / code / f"{report.name}.ipynb"
            manifests[job] = manifest
            if problem:
                damage[job] = problem
                rerun[job] = _rerun_command(code, report.name)
            status[code][report.name] = state
            if state == JobStatus.KLAR:
                folder = f"regioner/{code}"
                made = _made_by(out_dir / code, report.name, manifest)
                downloads[folder] = downloads.get(folder, ()) + made
                envelope = _result_envelope(out_dir / code, report.name)
                simulated.setdefault(code, {})[report.name] = envelope.get("simulerade_indata", ())
                if report.name == SUMMARY:
                    # the region's page itself: made below, with the links to its reports
                    summaries[code] = (notebook, _footer(manifest, envelope))
                    continue
                notebooks.append(
                    NotebookPage(
                        f"regioner/{code}/{report.name}",
                        f"{report.title}: {names[code]}",
                        notebook,
                        _footer(manifest, envelope),
                        code,
                        report.name,
                    )
                )
            else:
                failures.append((job, state, manifest))
    national_status = {}
    for report in national:
        job = f"{NATIONAL_FOLDER}/{report.name}"
        state, manifest, problem = _job_state(out_dir, NATIONAL_FOLDER, report.name)
        notebook = out_dir / NATIONAL_FOLDER / f"{report.name}.ipynb"
        if problem:
            damage[job] = problem
            rerun[job] = _rerun_command(None, report.name)
        national_status[report.name] = state
        if state == JobStatus.KLAR:
            made = _made_by(out_dir / NATIONAL_FOLDER, report.name, manifest)
            downloads[""] = downloads.get("", ()) + made
            envelope = _result_envelope(out_dir / NATIONAL_FOLDER, report.name)
            simulated.setdefault(None, {})[report.name] = envelope.get("simulerade_indata", ())
            notebooks.append(
                NotebookPage(
                    report.name,
                    report.title,
                    notebook,
                    _footer(manifest, envelope),
                    None,
                    report.name,
                )
            )
        else:
            failures.append((job, state, manifest))

    everything = merged(*(i for jobs in simulated.values() for i in jobs.values()))
    measures = _map_measures(out_dir, status)
    pages = [
        _landing(
            names,
            region_reports,
            national,
            status,
            national_status,
            run,
            ds.karta,
            year,
            everything,
            measures,
        ),
        _method(ds, readme),
        _status_page(
            names,
            region_reports,
            national,
            status,
            national_status,
            failures,
            run,
            damage,
            _matrix_blocks(out_dir),
        ),
    ]
    if run_problem:
        notice = _notice(
            f"Körningens sammanfattning (korning.json) är skadad ({run_problem}); sidorna "
            "bygger på varje jobbs eget manifest. Kör `utvardering kor` igen för en ny "
            "sammanfattning."
        )
        pages = [
            Page(p.path, p.title, (notice, *p.blocks)) if p.path in ("index", "status") else p
            for p in pages
        ]
    region_pages = []
    # A region's documents are built from its finished reports: none, no document to link.
    with_reports = {p.lan_kod for p in notebooks if p.lan_kod} | set(summaries)
    for code in LAN_CODES:
        region = _RegionParts(
            code,
            names[code],
            region_reports,
            status[code],
            manifests,
            damage,
            downloads.get(f"regioner/{code}", ()),
            simulated.get(code, {}),
        )
        dashboard = _dashboard(region, out_dir, measures, documents if code in with_reports else ())
        if code in summaries:
            notebook, footer = summaries[code]
            region_pages.append(
                NotebookPage(
                    region.path,
                    names[code],
                    notebook,
                    footer,
                    code,
                    SUMMARY,
                    appendix=_summary_appendix(region),
                    preface=dashboard,
                )
            )
        else:
            pages.append(_region_page(region, dashboard))
    # A region's summary comes first among its pages (the single-file report follows it).
    notebooks = region_pages + notebooks
    nav = [("Start", "index")]
    nav += [(r.title, r.name) for r in national if national_status[r.name] == JobStatus.KLAR]
    nav += [("Metod", "metod"), ("Körningens status", "status")]
    return SiteContent(
        title="Regional uppföljning och utvärdering",
        subtitle=f"Rapportserie {year}",
        pages=tuple(pages),
        notebooks=tuple(notebooks),
        nav=tuple(nav),
        region_names=names,
        downloads=downloads,
        damaged=rerun,
        projects=_projects(ds),
        documents=tuple(documents),
    )


def _projects(ds) -> tuple[tuple[str, str], ...]:
    """Each project's name once per län it works in (for the search), in the data's order."""
    if ds.projekt is None or ds.projekt_lan is None:
        return ()
    named = dict(zip(ds.projekt["arende_id"], ds.projekt["projektnamn"], strict=True))
    pairs = []
    for case, code in zip(ds.projekt_lan["arende_id"], ds.projekt_lan["lan_kod"], strict=True):
        name = named.get(case)
        if isinstance(name, str) and name.strip() and code in LAN_CODES:
            pairs.append((name.strip(), str(code)))
    return tuple(dict.fromkeys(pairs))


def _region_result(out_dir: Path, code: str, report: str) -> dict | None:
    """A finished region job's result file, or None when it cannot be read (the map and the
    dashboard show the value as missing; the report's own page says what is wrong)."""
    try:
        data = read_results(out_dir / code / f"{report}.json")
    except DamagedFileError:
        return None
    return data if isinstance(data, dict) else None


def _map_measures(out_dir: Path, status: dict[str, dict[str, str]]) -> tuple[MapMeasure, ...]:
    """The landing map's measures from the finished region jobs' result files."""
    files: dict[str, dict[str, dict]] = {"mognad": {}, "tema": {}, "malkedja": {}}
    for code in LAN_CODES:
        for report, found in files.items():
            if status.get(code, {}).get(report) == JobStatus.KLAR:
                data = _region_result(out_dir, code, report)
                if data is not None:
                    found[code] = data
    return (
        maturity_measure(files["mognad"]),
        money_measure(files["tema"]),
        goal_measure(files["malkedja"]),
    )


def _landing(
    names,
    region_reports: list[Report],
    national: list[Report],
    status,
    national_status,
    run: dict,
    geo: dict,
    year: str,
    simulated: tuple[SimulatedInput, ...] = (),
    measures: tuple[MapMeasure, ...] = (),
) -> Page:
    path = "index"
    links = {code: rel(path, f"regioner/{code}/index") for code in names}
    incomplete = {code for code in names if set(status[code].values()) != {JobStatus.KLAR}}
    counts: dict[str, int] = {}
    for job in run.get("jobb", []):
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    ok_regions = sum(1 for code in names if set(status[code].values()) == {JobStatus.KLAR})
    # The summary and the learning plan are made from a region's reports, not reports of the
    # series: the sentence about the region pages names them.
    made = {r.name: r.title.lower() for r in region_reports if r.name in _PER_REGION}
    if SUMMARY in made:
        series = [r.title.lower() for r in region_reports if r.name not in made]
        plan = f" och till länets {escape_md(made[LEARNING_PLAN])}" if LEARNING_PLAN in made else ""
        pages_text = (
            f"Varje län har en egen sida som sammanfattar länets rapporter, med länkar till dem"
            f"{plan}; alla län har analyserats"
        )
    else:
        series = [r.title.lower() for r in region_reports]
        pages_text = (
            "Varje region har en egen sida med sina rapporter; alla regioner har tagits fram"
        )
    listing = listed((series or ["inga rapporter"]) + [f"en {r.title.lower()}" for r in national])
    blocks = [
        *_simulated_notice(simulated, "Rapporterna i den här körningen"),
        Block(
            "md",
            (
                f"Rapportserien {year} följer upp och utvärderar det regionala "
                f"utvecklingsarbetet i Sveriges 21 län: {escape_md(listing)}. {pages_text} "
                "på samma sätt och med samma data, så att de går att jämföra.\n\n"
                "Välj ett län på kartan eller i listan. Kartan färgas efter det mått du väljer; "
                "grå län saknar värde för måttet."
            ),
        ),
        Block("html", map_view_html(geo, names, links, measures, incomplete, LAN_CODES)),
    ]
    if incomplete:
        blocks.append(
            Block(
                "md",
                f"Län märkta *ofullständig* i listan saknar minst en rapport i den här "
                f"körningen ({len(incomplete)} av 21).",
            )
        )
    for report in national:
        if national_status[report.name] == JobStatus.KLAR:
            blocks.append(
                Block(
                    "md",
                    f"**[{escape_md(report.title)}]({rel(path, report.name)})**:"
                    " hela landets bild, med varje region synlig i den.",
                )
            )
        else:
            blocks.append(_notice(f"{report.title} kunde inte tas fram i den här körningen."))
    when = str(run.get("slut", ""))[:16].replace("T", " ")
    summary = ", ".join(f"{n} {_phrase(s)}" for s, n in sorted(counts.items()))
    blocks.append(
        Block(
            "md",
            (
                f"## Körningens status\n\nSenaste körningen avslutades {escape_md(when)}: "
                f"{len(run.get('jobb', []))} jobb ({escape_md(summary)}). {ok_regions} av 21 "
                f"län har alla sina rapporter. [Se körningens status]({rel(path, 'status')})."
            ),
        )
    )
    return Page(path, f"Regional uppföljning och utvärdering {year}", tuple(blocks))


@dataclass(frozen=True)
class _RegionParts:
    """What a region's page is made of, whether the page is its summary or a list."""

    code: str
    name: str
    reports: list[Report]
    status: dict[str, str]
    manifests: dict[str, dict | None]
    damage: dict[str, str]
    downloads: tuple[Path, ...]
    simulated: dict[str, tuple[SimulatedInput, ...]]

    @property
    def path(self) -> str:
        return f"regioner/{self.code}/index"

    def link(self, report: str) -> str:
        """The link from the region page to a finished report of the region."""
        target = self.path if report == SUMMARY else f"regioner/{self.code}/{report}"
        return rel(self.path, target)

    def notices(self) -> list[Block]:
        """A notice for each report of the region that is not finished: damaged (with the
        command that runs it again) or not made, with the error it stopped on."""
        code, name = self.code, self.name
        blocks = []
        for report in self.reports:
            state = self.status[report.name]
            if state == JobStatus.KLAR:
                continue
            if state == DAMAGED:
                text = (
                    f"{report.title} kan inte visas för {name}: rapporten är skadad "
                    f"({self.damage.get(f'{code}/{report.name}', '')}) – "
                    f"{_rerun_hint(code, report.name)}."
                )
            else:
                manifest = self.manifests.get(f"{code}/{report.name}")
                reason = ""
                if manifest and manifest.get("fel"):
                    cell = manifest.get("cell")
                    where = f" i cell {cell}" if cell is not None else ""
                    reason = f" (fel{where}: {manifest['fel']})"
                text = (
                    f"{report.title} kunde inte tas fram för {name} i den här "
                    f"körningen: rapporten {_phrase(state)}{reason}."
                )
            if report.name == SUMMARY:
                text += " Sidan visar därför länets rapporter som en lista."
            blocks.append(_notice(text))
        return blocks

    def report_list(self) -> list[Block]:
        """The links to the region's finished reports (the summary is the page itself)."""
        items = [
            f"- [{escape_md(r.title)}]({self.link(r.name)})"
            for r in self.reports
            if self.status[r.name] == JobStatus.KLAR and r.name != SUMMARY
        ]
        return [Block("md", "\n".join(items))] if items else []

    def download_list(self) -> list[Block]:
        if not self.downloads:
            return []
        return [
            Block(
                "md",
                "**Tabeller att ladda ned (Excel):** "
                + " · ".join(f"[{escape_md(p.name)}]({p.name})" for p in self.downloads),
            )
        ]

    def site_links(self) -> Block:
        path = self.path
        return Block(
            "md", f"[Alla län]({rel(path, 'index')}) · [Körningens status]({rel(path, 'status')})"
        )


def _region_page(region: _RegionParts, dashboard: tuple[Block, ...] = ()) -> Page:
    """The region's page when its summary is not finished: the dashboard (key figures from
    the reports' result files) and a list of its reports."""
    name, simulated = region.name, region.simulated
    blocks = _simulated_list(
        [(r.title, simulated[r.name]) for r in region.reports if simulated.get(r.name)], name
    )
    blocks += [Block("md", f"Rapporterna för {escape_md(name)} (länskod {region.code}).")]
    blocks += dashboard
    blocks += region.notices()
    blocks += region.report_list()
    blocks += region.download_list()
    blocks.append(region.site_links())
    return Page(region.path, name, tuple(blocks))


# The summary's key figures that the dashboard shows as cards, in this order; an id ending in
# "_" stands for the first key figure whose id starts with it.
_CARDS = ("trappstegsniva", "kr_per_invanare", "belopp", "andel_nar_malen_", "effekt_",
          "rus_pa_vag")  # fmt: skip

# The dashboard's small figures: the report, the figure's key in its result file's "filer"
# (or the end of it) and the figure's alt text ({name}: the region).
_FIGURES = (
    ("mognad", "radar", "Mognadsprofil för {name}: nivån i varje dimension jämfört med "
     "rikets median och målnivån"),
    ("tema", "_per_invanare", "Karta över beviljade medel per invånare i varje län, med "
     "{name} markerat"),
    ("malkedja", "status", "Bedömningen av målen i målkedjan för {name}, per nivå"),
)  # fmt: skip

# The link text of each document format on the region page.
_DOCUMENT_LINKS = {"pdf": "Hela rapporten som PDF", "docx": "Hela rapporten som Word"}

# The width in pixels of the dashboard's small figures.
_THUMBNAIL = 480


def _thumbnail(path: Path) -> str | None:
    """A figure file as a small inline PNG (a data: URI), or None when it cannot be read."""
    try:
        from PIL import Image

        with Image.open(path) as image:
            image.thumbnail((_THUMBNAIL, _THUMBNAIL))
            flat = Image.new("RGB", image.size, "white")
            flat.paste(image, mask=image.getchannel("A") if "A" in image.getbands() else None)
            buffer = io.BytesIO()
            # a palette of 128 colours: a fifth of the bytes, the same figure at this size
            flat.quantize(colors=128).save(buffer, format="PNG")
    except (OSError, ValueError, ImportError):
        return None
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


_VALUE_AND_UNIT = re.compile(r"^([−+-]?[\d\s\u00a0,]+(?: av [\d\s\u00a0]+)?) (\S.{6,})$")


def _card_value(value: str) -> str:
    """A card's value as HTML: a long unit ("anställda per stött företag") in smaller type
    after the number, so that the number stands out."""
    match = _VALUE_AND_UNIT.match(value)
    if not match:
        return html.escape(value)
    return (
        f'{html.escape(match.group(1))} <span class="utv-kort-enhet">'
        f"{html.escape(match.group(2))}</span>"
    )


def _card(name: str, value: str, comparison: str, link: str | None, source: str) -> str:
    more = (
        f'<a class="utv-kort-kalla" href="{html.escape(link, quote=True)}">'
        f"{html.escape(source)}</a>"
        if link
        else f'<span class="utv-kort-kalla">{html.escape(source)}</span>'
    )
    return (
        '<div class="utv-kort">'
        f'<p class="utv-kort-namn">{html.escape(name)}</p>'
        f'<p class="utv-kort-varde">{_card_value(value)}</p>'
        + (f'<p class="utv-kort-jmf">{html.escape(comparison)}</p>' if comparison else "")
        + f"{more}</div>"
    )


def _summary_cards(region: _RegionParts, summary: dict, goals: dict | None) -> list[str]:
    """Cards from the summary's key figures (``sammanfattning.json``), formatted as the
    summary formats them."""

    titles = {r.name: r.title for r in region.reports}
    figures = [f for f in summary.get("nyckeltal") or [] if isinstance(f, dict)]
    cards = []
    for wanted in _CARDS:
        item = next(
            (
                f
                for f in figures
                if f.get("id") == wanted
                or (wanted.endswith("_") and str(f.get("id", "")).startswith(wanted))
            ),
            None,
        )
        if item is None:
            continue
        whole = None
        if item.get("enhet") == "trappsteg":
            whole = 5
        elif item.get("id") == "rus_pa_vag" and goals and isinstance(goals.get("status_rus"), dict):
            whole = sum(v for v in goals["status_rus"].values() if isinstance(v, int)) or None
        try:
            figure = KeyFigure(
                str(item["id"]),
                str(item["namn"]),
                item["varde"],
                str(item["enhet"]),
                str(item.get("jamforelse") or ""),
                str(item["rapport"]),
                av=whole,
            )
            value = value_text(figure)
        except (KeyError, TypeError, ValueError):
            continue
        report = figure.rapport
        done = region.status.get(report) == JobStatus.KLAR
        cards.append(
            _card(
                figure.namn,
                value,
                figure.jamforelse,
                region.link(report) if done else None,
                titles.get(report, report),
            )
        )
    return cards


def _measure_cards(region: _RegionParts, measures: tuple[MapMeasure, ...]) -> list[str]:
    """Cards from the landing map's measures, when the region has no summary."""
    source = {"mognad": "mognad", "stod": "tema", "mal": "malkedja"}
    titles = {r.name: r.title for r in region.reports}
    cards = []
    for measure in measures:
        if region.code not in measure.values:
            continue
        report = source.get(measure.key, "")
        done = region.status.get(report) == JobStatus.KLAR
        cards.append(
            _card(
                measure.label,
                measure.values[region.code][1],
                "",
                region.link(report) if done else None,
                titles.get(report, report),
            )
        )
    return cards


def _dashboard(
    region: _RegionParts,
    out_dir: Path,
    measures: tuple[MapMeasure, ...],
    documents: tuple[str, ...] = (),
) -> tuple[Block, ...]:
    """The top of the region's page: the whole report as PDF and Word, the key figures as
    cards (from the summary's result file, or from the reports' own when there is no
    summary) and a small figure from each report, each linking to its report."""
    code, name = region.code, region.name
    results = {
        report: _region_result(out_dir, code, report)
        for report in (SUMMARY, "mognad", "tema", "malkedja")
        if region.status.get(report) == JobStatus.KLAR
    }
    summary = results.get(SUMMARY)
    if summary is not None:
        cards = _summary_cards(region, summary, results.get("malkedja"))
    else:
        cards = _measure_cards(region, measures)
    titles = {r.name: r.title for r in region.reports}
    figures = []
    for report, key, alt in _FIGURES:
        files = (results.get(report) or {}).get("filer")
        if not isinstance(files, dict):
            continue
        found = next(
            (v for k, v in files.items() if (k == key or k.endswith(key)) and isinstance(v, str)),
            None,
        )
        source = _thumbnail(out_dir / code / Path(found).name) if found else None
        if source is None:
            continue
        title = titles.get(report, report)
        figures.append(
            f'<figure class="utv-minifigur"><a href="{html.escape(region.link(report))}">'
            f'<img src="{source}" alt="{html.escape(alt.format(name=name), quote=True)}">'
            f"</a><figcaption>{html.escape(title)}</figcaption></figure>"
        )
    links = [
        f'<a class="utv-knapp" href="{html.escape(document_name(code, fmt), quote=True)}">'
        f"{html.escape(_DOCUMENT_LINKS.get(fmt, fmt))}</a>"
        for fmt in documents
    ]
    if not (cards or figures or links):
        return ()
    parts = []
    if links:
        parts.append(f'<p class="utv-dokument">{" ".join(links)}</p>')
    if cards:
        parts.append(f'<div class="utv-kortrad">{"".join(cards)}</div>')
    if figures:
        parts.append(f'<div class="utv-figurrad">{"".join(figures)}</div>')
    label = html.escape(f"Översikt för {name}", quote=True)
    return (
        Block("html", f'<div class="utv-panel" role="region" aria-label="{label}">'
              + "".join(parts) + "</div>"),
    )  # fmt: skip


def _summary_appendix(region: _RegionParts) -> tuple[Block, ...]:
    """What follows the summary on the region's page: the links to the region's reports (the
    learning plan among them), the workbooks, the notices of reports that are not finished,
    and the simulated inputs of reports that the summary's own notice does not name."""
    blocks = [Block("md", f"## Rapporterna för {escape_md(region.name)}")]
    blocks += region.notices()
    blocks += region.report_list()
    blocks += region.download_list()
    named = {i.tabell for i in region.simulated.get(SUMMARY, ())}
    others = []
    for report in region.reports:
        rest = tuple(i for i in region.simulated.get(report.name, ()) if i.tabell not in named)
        if report.name != SUMMARY and rest:
            others.append((report.title, rest))
    blocks += _simulated_list(others, region.name, besides_summary=bool(named))
    blocks.append(region.site_links())
    return tuple(blocks)


def _simulated_notice(inputs: tuple[SimulatedInput, ...], subject: str) -> list[Block]:
    """A notice that ``subject`` (e.g. "Rapporterna i den här körningen") rests on the
    simulated ``inputs``; no block when there are none."""
    if not inputs:
        return []
    return [
        _notice(
            f"{subject} bygger delvis på simulerade data. {notice_line(inputs)} Resultat som "
            "bygger på dem visar hur analysen fungerar, inte hur det faktiskt ser ut."
        )
    ]


def _simulated_list(
    reports: list[tuple[str, tuple[SimulatedInput, ...]]],
    region: str,
    besides_summary: bool = False,
) -> list[Block]:
    """The region page's notice: each report of the region that rests on simulated inputs,
    with the inputs it names; no block when none does. ``besides_summary``: the page's
    summary has named simulated inputs of its own, and these are the others."""
    if not reports:
        return []
    lead = (
        f"Rapporterna för {html.escape(region)} bygger delvis på simulerade uppgifter"
        + (", utöver dem som sammanfattningen nämner" if besides_summary else "")
        + "."
    )
    items = "".join(
        f"<li>{html.escape(title)}: "
        + html.escape(listed([f"{i.beskrivning} ({i.tabell})" for i in inputs]))
        + "</li>"
        for title, inputs in reports
    )
    return [
        Block(
            "html",
            '<div class="utv-notis" role="note"><p><strong>Obs! Simulerade data.</strong> '
            f"{lead} Resultat som bygger på dem visar hur analysen fungerar, inte hur det faktiskt "
            f"ser ut.</p><ul>{items}</ul></div>",
        )
    ]


def _status_page(
    names,
    region_reports,
    national,
    status,
    national_status,
    failures,
    run: dict,
    damage,
    matrix: tuple[Block, ...] = (),
) -> Page:
    path = "status"
    header = "| Län | " + " | ".join(escape_md(r.title) for r in region_reports) + " |"
    rule = "|---|" + "---|" * len(region_reports)
    rows = []
    for code, name in names.items():
        cells = []
        for report in region_reports:
            state = status[code][report.name]
            label = _phrase(state)
            if state == JobStatus.KLAR:
                # the summary is the region's page
                page = "index" if report.name == SUMMARY else report.name
                cells.append(f"[{label}]({rel(path, f'regioner/{code}/{page}')})")
            else:
                cells.append(f"**{label}**")
        rows.append(
            f"| [{escape_md(name)}]({rel(path, f'regioner/{code}/index')}) | "
            + " | ".join(cells)
            + " |"
        )
    blocks = [
        Block(
            "md",
            (
                f"Körningen startade {escape_md(_when(run.get('start')))} och tog "
                f"{fmt_number(run.get('sekunder', 0), 1)} s med "
                f"{escape_md(run.get('arbetare', ''))} parallella jobb"
                f"{' på ett Dask-kluster' if run.get('motor') == 'dask' else ''}. utvardering "
                f"{escape_md(run.get('versioner', {}).get('utvardering', ''))}, commit "
                f"{_code(run.get('git') or 'okänd')}."
            ),
        )
    ]
    if failures:
        lines = ["## Jobb som misslyckades eller saknas", ""]
        for job, state, manifest in failures:
            detail = ""
            if state == DAMAGED:
                code, _, report = job.partition("/")
                command = _rerun_command(None if code == NATIONAL_FOLDER else code, report)
                detail = f" ({escape_md(damage.get(job, ''))}): kör jobbet igen med "
                detail += _code(command)
            elif manifest and manifest.get("fel"):
                cell = manifest.get("cell")
                detail = f": {'cell ' + str(cell) + ': ' if cell is not None else ''}" + escape_md(
                    manifest["fel"]
                )
            lines.append(f"- **{escape_md(job)}** {_phrase(state)}{detail}")
        blocks.append(Block("md", "\n".join(lines)))
    else:
        blocks.append(Block("md", "Alla jobb är klara."))
    for report in national:
        state = national_status[report.name]
        blocks.append(Block("md", f"{escape_md(report.title)}: {_phrase(state)}."))
    blocks += matrix
    blocks.append(Block("md", "## Alla regioner\n\n" + "\n".join([header, rule, *rows])))
    return Page(path, "Körningens status", tuple(blocks))


# A combination's state in the matrix index (matris.json) as the status page words it.
_MATRIX_STATES = {
    JobStatus.KLAR: "klar",
    JobStatus.MISSLYCKAD: "jobb misslyckades",
    JobStatus.AVBRUTEN: "avbröts",
    ERROR: "fel",
    NOT_RUN: "inte körd",
}


def _matrix_blocks(out_dir: Path) -> tuple[Block, ...]:
    """The section "Parameterkombinationer" of the status page: when the run is one
    combination of a matrix (``utvardering kor --matris``; its folder's parent has the index
    ``matris.json``), or has run matrices of its own (``matris/matris.json``), a table of the
    combinations with this one marked. A damaged index is a notice, never a failed build."""
    here = out_dir.resolve()
    places = ((here.parent / INDEX_FILE, here.name), (here / MATRIX_FOLDER / INDEX_FILE, None))
    for path, current in places:
        try:
            index = read_results(path)
        except DamagedFileError as exc:
            notice = _notice(
                f"Parameterkombinationernas index {path} är skadat ({exc.reason}); "
                "kombinationerna visas inte."
            )
            return (notice,)
        if index is not None:
            return _matrix_table(index, current, path)
    return ()


def _matrix_table(index: dict, current: str | None, path: Path) -> tuple[Block, ...]:
    entries = index.get("kombinationer")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        return (
            _notice(
                f"Parameterkombinationernas index {path} har fel form (fältet kombinationer); "
                "kombinationerna visas inte."
            ),
        )
    when = f" {escape_md(_when(index.get('start')))}" if index.get("start") else ""
    if current is not None and any(e.get("mapp") == current for e in entries):
        lead = (
            f"Körningen är en av {len(entries)} kombinationer av parametrar som kördes{when} med "
            "`utvardering kor --matris`. Varje kombination har en egen mapp och publiceras för "
            "sig; den här är markerad."
        )
    else:
        lead = (
            f"Med `utvardering kor --matris` kördes{when} {len(entries)} kombinationer av "
            "parametrar, var och en i en egen mapp som publiceras för sig."
        )
    lines = [
        "## Parameterkombinationer",
        "",
        lead,
        "",
        "| Kombination | Status | Jobb | Mapp | Publiceras med |",
        "|---|---|---|---|---|",
    ]
    for entry in entries:
        params = entry.get("parametrar")
        if isinstance(params, dict):
            label = ", ".join(f"{k}={parameter_text(v)}" for k, v in params.items())
        else:
            label = parameter_text(params)
        cell = escape_md(label) or "–"
        if current is not None and entry.get("mapp") == current:
            cell = f"**{cell}** (den här)"
        state = entry.get("status")
        shown = _MATRIX_STATES.get(state, state) if isinstance(state, str) else "okänd"
        if state == ERROR and entry.get("fel"):
            shown = f"{shown}: {entry['fel']}"
        cells = [
            cell,
            escape_md(shown),
            escape_md(counts_text(entry["jobb"]) if entry.get("jobb") is not None else "–"),
            _table_code(entry.get("mapp") or "–"),
            _table_code(entry.get("publicera") or "–"),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return (Block("md", "\n".join(lines)),)


def _table_code(value: object) -> str:
    """A value as code in a Markdown table cell: on one line, and as escaped text instead
    when it holds a ``|`` (which ends a table cell even inside a code span)."""
    text = " ".join(str(value).split())
    return escape_md(text) if "|" in text else _code(text)


def _method(ds, readme: Path | None) -> Page:
    return Page("metod", "Metod", tuple(method_blocks(ds, readme)))
