"""The synthesis' part that rests on the data folder alone (``notebooks/underlag``) runs as a
job of its own alongside the region reports, is skipped when its inputs are unchanged, and
within each phase the longest jobs start first. The jobs here are not executed: a stand-in
executor writes each job's notebook and says how long it took, so no kernel starts."""

from __future__ import annotations

import json
import shutil
from concurrent.futures import Future
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import DATA, ROOT

from utvardering.batch import Executor, RunOptions, build_jobs, discover_reports, run_batch
from utvardering.batch.discover import PARTS_DIR, _cell_parameters, _parameters, discover_parts
from utvardering.batch.executor import JobOutcome
from utvardering.batch.fingerprint import file_hash
from utvardering.errors import ReportError
from utvardering.status import JobStatus
from utvardering.vocabulary import LAN_CODES

# Reads the whole shipped data folder once per run: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam

NOTEBOOKS = ROOT / "notebooks"
PART = "syntes_underlag"


class _Recorder(Executor):
    """Runs nothing: writes each job's output notebook and reports ``seconds[report]``; records
    the jobs in the order they were started."""

    def __init__(self, seconds: dict[str, float] | None = None):
        self.seconds = seconds or {}
        self.started: list[str] = []

    def submit(self, fn, /, *args):
        output = Path(args[1])
        job = f"{output.parent.name}/{output.stem}"
        self.started.append(job)
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps({"jobb": job}), encoding="utf-8")
        future: Future = Future()
        seconds = self.seconds.get(output.stem, 1.0)
        future.set_result(JobOutcome(JobStatus.KLAR, seconds, sha256=file_hash(output)))
        return future

    def shutdown(self, cancel=False):
        pass


def _statuses(summary) -> dict[str, str]:
    return {r.job: r.status for r in summary.results}


@pytest.fixture
def data_copy(tmp_path):
    """The shipped data folder, the tables a test changes copied, the rest linked."""
    folder = tmp_path / "data"
    folder.mkdir()
    for path in DATA.iterdir():
        if path.name in ("indikatorer.csv", "enkatsvar.csv"):
            shutil.copyfile(path, folder / path.name)
        else:
            (folder / path.name).symlink_to(path)
    return folder


# --- discovery and the job matrix ------------------------------------------------------------


def test_the_part_is_found_beside_the_reports_and_is_no_report():
    reports = discover_reports(NOTEBOOKS)
    parts = discover_parts(NOTEBOOKS, reports)
    assert list(parts) == [PART]
    part = parts[PART]
    assert part.part_of == "syntes" and part.level == "nationell" and not part.reads_run
    assert part.inputs == {"indikatorer": "alla", "lan": "alla"}
    assert part.path == NOTEBOOKS / PARTS_DIR / f"{PART}.ipynb"
    assert set(part.parameters) == {"data_dir", "utdata_dir"}
    # publishing reads discover_reports: the part is no page of its own
    assert PART not in reports
    assert all(r.part_of is None for r in reports.values())


def test_the_part_notebook_is_thin_and_clean():
    notebook = nbformat.read(NOTEBOOKS / PARTS_DIR / f"{PART}.ipynb", as_version=4)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert "parameters" in code[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code)
    assert "write_underlag(data_dir, utdata_dir)" in code[-1].source


@pytest.mark.parametrize(
    "path", [*sorted(NOTEBOOKS.glob("*.ipynb")), NOTEBOOKS / PARTS_DIR / f"{PART}.ipynb"],
    ids=lambda p: p.name,
)  # fmt: skip
def test_parts_read_their_parameters_as_papermill_does(path):
    """Parts are read without papermill (a run with the reports cached does not import it);
    read so, every shipped notebook's parameters are papermill's."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    assert _cell_parameters(path, notebook) == _parameters(path, notebook)


def test_a_part_without_a_parameters_cell_is_named(tmp_path):
    notebook = nbformat.read(NOTEBOOKS / PARTS_DIR / f"{PART}.ipynb", as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("tags", None)
    (tmp_path / PARTS_DIR).mkdir()
    nbformat.write(notebook, tmp_path / PARTS_DIR / "x.ipynb")
    with pytest.raises(ReportError, match="ingen cell med taggen 'parameters'"):
        discover_parts(tmp_path, discover_reports(NOTEBOOKS))


def _part(folder: Path, meta: dict) -> None:
    source = nbformat.read(NOTEBOOKS / PARTS_DIR / f"{PART}.ipynb", as_version=4)
    source.metadata["utvardering"] = meta
    (folder / PARTS_DIR).mkdir(parents=True, exist_ok=True)
    nbformat.write(source, folder / PARTS_DIR / f"{meta.get('rapport', 'x')}.ipynb")


@pytest.mark.parametrize(
    ("meta", "message"),
    [
        ({"rapport": "del", "niva": "nationell"}, "del_av ska vara namnet på rapporten"),
        ({"rapport": "del", "niva": "nationell", "del_av": "ingen"}, "fick 'ingen'"),
        ({"rapport": "syntes", "niva": "nationell", "del_av": "syntes"}, "finns i två"),
        (
            {"rapport": "del", "niva": "nationell", "del_av": "syntes", "leser_korning": True},
            "läser inte körningens resultat",
        ),
    ],
)
def test_a_wrong_part_is_named(tmp_path, meta, message):
    _part(tmp_path, meta)
    reports = discover_reports(NOTEBOOKS)
    with pytest.raises(ReportError, match=message):
        discover_parts(tmp_path, reports)


def test_a_full_run_makes_the_part_with_the_region_reports(tmp_path):
    reports = discover_reports(NOTEBOOKS)
    parts = discover_parts(NOTEBOOKS, reports)
    jobs = build_jobs(reports, list(LAN_CODES), None, {}, DATA, tmp_path, parts)
    ids = [j.id for j in jobs]
    region = [j for j in jobs if j.lan_kod and not j.reads_run]
    assert ids[len(region)] == f"riket/{PART}"  # after the region reports ...
    part = jobs[len(region)]
    assert not part.reads_run and part.national
    assert part.parameters == {"data_dir": str(DATA), "utdata_dir": str(tmp_path / "riket")}
    assert ids[-1] == "riket/syntes" and jobs[-1].reads_run  # ... the synthesis after all
    assert len(jobs) == len(LAN_CODES) * 6 + 2


def test_the_synthesis_asked_for_by_name_brings_its_part(tmp_path):
    reports = discover_reports(NOTEBOOKS)
    parts = discover_parts(NOTEBOOKS, reports)
    jobs = build_jobs(reports, ["07"], ["syntes"], {}, DATA, tmp_path, parts)
    assert [j.id for j in jobs] == [f"riket/{PART}", "riket/syntes"]
    only = build_jobs(reports, ["07"], [PART], {}, DATA, tmp_path, parts)
    assert [j.id for j in only] == [f"riket/{PART}"]
    other = build_jobs(reports, ["07"], ["mognad"], {}, DATA, tmp_path, parts)
    assert [j.id for j in other] == ["07/mognad"]


# --- skipped when unchanged, run again when the indicators change -----------------------------


def test_the_part_is_skipped_unless_the_indicators_change(data_copy, tmp_path):
    out = tmp_path / "ut"

    def run():
        options = RunOptions(
            data_dir=data_copy, out_dir=out, regions=("07",), reports=("syntes",),
            notebook_dir=NOTEBOOKS, workers=2,
        )  # fmt: skip
        return _statuses(run_batch(options, executor=_Recorder()))

    assert run() == {f"riket/{PART}": "klar", "riket/syntes": "klar"}
    assert run() == {f"riket/{PART}": "oforandrad", "riket/syntes": "oforandrad"}
    # A table the part does not read (the survey): the part is skipped; the synthesis reads
    # the region results (unchanged here), so it is skipped too.
    survey = pd.read_csv(data_copy / "enkatsvar.csv", dtype=str, keep_default_na=False)
    survey.iloc[:-1].to_csv(data_copy / "enkatsvar.csv", index=False)
    assert run()[f"riket/{PART}"] == "oforandrad"
    # The indicators: the part is drawn again, and the synthesis that shows it runs again.
    table = pd.read_csv(data_copy / "indikatorer.csv", dtype=str, keep_default_na=False)
    table.loc[0, "varde"] = str(float(table.loc[0, "varde"]) + 1)
    table.to_csv(data_copy / "indikatorer.csv", index=False)
    assert run() == {f"riket/{PART}": "klar", "riket/syntes": "klar"}
    assert run() == {f"riket/{PART}": "oforandrad", "riket/syntes": "oforandrad"}


# --- the order the jobs start in -------------------------------------------------------------

SECONDS = {
    "mognad": 16.0,
    "tema": 11.0,
    "effekt": 17.0,
    "malkedja": 12.0,
    PART: 5.0,
    "sammanfattning": 3.0,
    "larandeplan": 4.0,
    "syntes": 8.0,
}


def _run(out: Path, recorder: _Recorder, force: bool = False) -> list[str]:
    options = RunOptions(
        data_dir=DATA, out_dir=out, regions=("01", "07"), notebook_dir=NOTEBOOKS, workers=2,
        force=force,
    )  # fmt: skip
    run_batch(options, executor=recorder)
    return recorder.started


def _phases(started: list[str]) -> tuple[list[str], list[str]]:
    later = {"syntes", "sammanfattning", "larandeplan"}
    first = [j for j in started if j.split("/")[1] not in later]
    second = [j for j in started if j.split("/")[1] in later]
    assert started == first + second  # the second phase starts after the first
    return first, second


def test_a_cold_run_measures_each_report_early_and_starts_the_synthesis_first(tmp_path):
    first, second = _phases(_run(tmp_path / "ut", _Recorder(SECONDS)))
    # The report that reads the most tables first: the effect report; one job of every report
    # before a second of any (none is measured before its first job ends).
    assert first[0] == "01/effekt"
    assert {j.split("/")[1] for j in first[:5]} == {"effekt", "tema", "malkedja", "mognad", PART}
    assert second[0] == "riket/syntes"  # the national synthesis before the summaries


def test_a_run_again_starts_the_longest_jobs_first(tmp_path):
    out = tmp_path / "ut"
    _run(out, _Recorder(SECONDS))
    # The second time every job has its seconds in its manifest: the longest start first,
    # the part and the short jobs fill both cores at the end of each phase.
    first, second = _phases(_run(out, _Recorder(SECONDS), force=True))
    assert first == [
        "01/effekt", "07/effekt", "01/mognad", "07/mognad", "01/malkedja", "07/malkedja",
        "01/tema", "07/tema", f"riket/{PART}",
    ]  # fmt: skip
    assert second == [
        "riket/syntes", "01/larandeplan", "07/larandeplan", "01/sammanfattning",
        "07/sammanfattning",
    ]  # fmt: skip


def test_a_job_without_a_manifest_is_expected_to_take_as_long_as_its_reports_others(tmp_path):
    out = tmp_path / "ut"
    _run(out, _Recorder({**SECONDS, "tema": 30.0}))
    (out / "07" / "tema.manifest.json").unlink()
    first, _ = _phases(_run(out, _Recorder(SECONDS), force=True))
    assert first[:2] == ["01/tema", "07/tema"]  # 30 s, from 01's manifest for both
