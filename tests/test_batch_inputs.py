"""What a report reads is declared in its notebook, so that a data change reruns only the jobs
that read the changed rows (at the level of fingerprints: no kernel runs here)."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

from utvardering.batch import build_jobs, discover_reports
from utvardering.batch import run as batch_run
from utvardering.batch.discover import _inputs
from utvardering.dataset import _with_dependencies
from utvardering.errors import ReportError
from utvardering.registry import report_type, report_types
from utvardering.vocabulary import LAN_CODES

NOTEBOOKS = ROOT / "notebooks"


def _loaded_tables(path: Path, name: str) -> set[str]:
    """The tables a notebook's cells pass to load_dataset (a literal list, or the report
    type's ``tables`` from the registry), with the tables they depend on."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    tables: set[str] = set()
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        for node in ast.walk(ast.parse("".join(cell["source"]))):
            if not (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) == "load_dataset"
                and len(node.args) == 2
            ):
                continue
            argument = node.args[1]
            if isinstance(argument, ast.Attribute) and argument.attr == "tables":
                tables |= set(report_type(name).tables)
            else:
                tables |= set(ast.literal_eval(argument))
    return set(_with_dependencies(tuple(tables)))


@pytest.mark.parametrize(
    "name", [n for n, r in discover_reports(NOTEBOOKS).items() if r.level == "region"]
)
def test_region_reports_declare_every_table_they_load(name):
    report = discover_reports(NOTEBOOKS)[name]
    assert report.inputs is not None, f"{report.path.name} declares no indata"
    missing = _loaded_tables(report.path, name) - set(report.inputs)
    assert not missing, f"{report.path.name} loads {sorted(missing)} without declaring them"


def test_effect_report_reads_only_its_regions_shares():
    inputs = discover_reports(NOTEBOOKS)["effekt"].inputs
    assert inputs["projekt_lan"] == "region"
    # the comparison firms may come from the whole country, synthetic controls use all
    # regions and projects are joined by id: those tables are read whole
    assert inputs["foretagspanel"] == inputs["indikatorer"] == inputs["projekt"] == "alla"


def _fingerprints(data: Path, out: Path) -> dict[str, str]:
    reports = discover_reports(NOTEBOOKS)
    jobs = build_jobs(reports, ["07", "17"], ["effekt"], {}, data, out)
    region_tables = {
        t for r in reports.values() for t, s in (r.inputs or {}).items() if s == "region"
    }
    inputs = batch_run._validated_inputs(data, out, region_tables)
    return {job.id: batch_run._provenance(job, inputs, {})["fingerprint"] for job in jobs}


def _move_project(data: Path, project: str, region: str) -> None:
    """Move a single-region project's whole share to another region (still valid data: the
    project's RUS priority was its old region's, so the new region has none for it)."""
    shares = pd.read_csv(data / "projekt_lan.csv", dtype=str, keep_default_na=False)
    rows = shares.index[shares["arende_id"] == project]
    assert len(rows) == 1
    shares.loc[rows, "lan_kod"] = region
    shares.loc[rows, "rus_prioritering"] = ""
    shares.to_csv(data / "projekt_lan.csv", index=False)


@pytest.mark.langsam
def test_effect_job_reruns_only_for_its_own_regions_rows(data_copy, tmp_path):
    out = tmp_path / "ut"
    shares = pd.read_csv(data_copy / "projekt_lan.csv", dtype=str, keep_default_na=False)
    counts = shares["arende_id"].value_counts()
    alone = shares[shares["arende_id"].map(counts) == 1]
    elsewhere = alone[alone["lan_kod"] == "17"]["arende_id"].iloc[0]
    own = alone[alone["lan_kod"] == "07"]["arende_id"].iloc[0]

    before = _fingerprints(data_copy, out)
    _move_project(data_copy, elsewhere, "18")  # rows of 17 and 18 change, none of 07
    after_other = _fingerprints(data_copy, out)
    assert after_other["07/effekt"] == before["07/effekt"]
    assert after_other["17/effekt"] != before["17/effekt"]
    _move_project(data_copy, own, "08")  # one of 07's rows changes
    after_own = _fingerprints(data_copy, out)
    assert after_own["07/effekt"] != after_other["07/effekt"]

    # a table the effect report does not read changes: its fingerprint stays
    survey = pd.read_csv(data_copy / "enkatsvar.csv", dtype=str, keep_default_na=False)
    row = survey.index[(survey["lan_kod"] == "07") & (survey["svar"] != "")][0]
    survey.loc[row, "svar"] = "5" if survey.loc[row, "svar"] != "5" else "4"
    survey.to_csv(data_copy / "enkatsvar.csv", index=False)
    assert _fingerprints(data_copy, out)["07/effekt"] == after_own["07/effekt"]


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        (["enkatsvar"], "en mappning från tabell"),
        ({"enkatsvar": "lan"}, "en mappning från tabell"),
        ({"enkatsvr": "region"}, "tabeller som inte finns: enkatsvr"),
    ],
)
def test_wrong_indata_declarations_are_named(declared, message):
    with pytest.raises(ReportError, match=message):
        _inputs(Path("x.ipynb"), declared)


def test_every_registered_region_report_has_a_notebook_the_batch_finds():
    """The batch finds the region reports from the registry and the notebooks' metadata, with
    no list of report names of its own: every registered region report is discovered."""
    registered = {n for n, k in report_types().items() if k.level == "region"}
    found = {n for n, r in discover_reports(NOTEBOOKS).items() if r.level == "region"}
    assert registered == found
    assert "malkedja" in found


def test_a_full_run_is_every_region_report_for_every_region_then_the_synthesis(tmp_path):
    """The job matrix comes from the registry: regions × region reports (six with the
    summary and the learning plan), then the national jobs; the synthesis runs after every
    region job."""
    reports = discover_reports(NOTEBOOKS)
    region = [n for n, r in reports.items() if r.level == "region"]
    national = [n for n, r in reports.items() if r.level == "nationell"]
    jobs = build_jobs(reports, list(LAN_CODES), None, {}, ROOT / "data", tmp_path)
    assert len(jobs) == len(LAN_CODES) * len(region) + len(national)
    assert {j.report.name for j in jobs if j.lan_kod == "07"} == set(region)
    assert [j.id for j in jobs[-len(national) :]] == [f"riket/{n}" for n in national]
    assert "syntes" in national and {"mognad", "tema", "effekt", "malkedja"} <= set(region)
    assert {"sammanfattning", "larandeplan"} <= set(region)


def test_a_parameter_reaches_only_the_reports_that_have_it(tmp_path):
    """The effect report's comparison group (jamforelse) and the goal chain's peer regions
    (jamforelselan) are two parameters: one given on the command line reaches its own report."""
    reports = discover_reports(NOTEBOOKS)
    jobs = build_jobs(
        reports, ["07"], None, {"jamforelse": "riket", "jamforelselan": "06,08"}, ROOT / "data",
        tmp_path,
    )  # fmt: skip
    by_report = {job.report.name: job.parameters for job in jobs}
    assert by_report["effekt"]["jamforelse"] == "riket"
    assert "jamforelselan" not in by_report["effekt"]
    assert by_report["malkedja"]["jamforelselan"] == "06,08"
    assert "jamforelse" not in by_report["malkedja"]
    assert "jamforelse" not in by_report["mognad"] and "jamforelselan" not in by_report["mognad"]


def test_the_summary_and_learning_plan_run_last_with_the_runs_parameters(tmp_path):
    """The summary and the learning plan read the run's result files: they get the run
    folder, run after every other region job, and take the round and the funding scope that
    the maturity, thematic and effect reports and the synthesis take, from one -p each."""
    reports = discover_reports(NOTEBOOKS)
    assert reports["sammanfattning"].reads_run and reports["larandeplan"].reads_run
    jobs = build_jobs(
        reports, ["07", "12"], None, {"omgang": 2024, "finansiering": "eruf"}, ROOT / "data",
        tmp_path,
    )  # fmt: skip
    first = [j for j in jobs if not j.reads_run]
    later = [j for j in jobs if j.reads_run]
    assert {j.report.name for j in first} == {"mognad", "tema", "effekt", "malkedja"}
    assert jobs[: len(first)] == first
    by_job = {j.id: j.parameters for j in jobs}
    for name in ("sammanfattning", "larandeplan"):
        params = by_job[f"07/{name}"]
        assert params["korning_dir"] == str(tmp_path)
        assert params["omgang"] == 2024 and params["finansiering"] == "eruf"
    assert by_job["07/mognad"]["omgang"] == 2024 and by_job["riket/syntes"]["omgang"] == 2024
    assert by_job["07/tema"]["finansiering"] == "eruf"
    assert {j.report.name for j in later if j.lan_kod} == {"sammanfattning", "larandeplan"}
