"""The synthesis notebook runs as the last job of a real batch run, with one region broken."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from conftest import DATA, ROOT

from utvardering.batch import RunOptions, run_batch
from utvardering.results import RESULT_SCHEMA_VERSION, read_result

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna

REGIONS = ("01", "03", "07")
BROKEN = "03"  # its maturity notebook fails on purpose


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """A run of every report for three regions; mognad fails for Uppsala (03)."""
    base = tmp_path_factory.mktemp("syntes_batch")
    notebooks = base / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    path = notebooks / "mognadsbedomning.ipynb"
    notebook = nbformat.read(path, as_version=4)
    position = next(
        i for i, c in enumerate(notebook.cells) if "parameters" in c.metadata.get("tags", [])
    )
    notebook.cells.insert(
        position + 1,
        nbformat.v4.new_code_cell(f'assert lan_kod != "{BROKEN}", "avsiktligt fel"'),
    )
    nbformat.write(notebook, path)
    out = base / "ut"
    summary = run_batch(
        RunOptions(data_dir=DATA, out_dir=out, regions=REGIONS, notebook_dir=notebooks, workers=2)
    )
    return out, summary


def test_synthesis_runs_last_and_names_the_missing_region(batch):
    out, summary = batch
    statuses = {r.job: r.status for r in summary.results}
    assert statuses[f"{BROKEN}/mognad"] == "misslyckad"
    assert statuses["riket/syntes"] == "klar", summary.results
    assert [r.job for r in summary.results][-1] == "riket/syntes"
    result = read_result(out / "riket" / "syntes.json", "syntes")  # checked against its schema
    assert result["schemaversion"] == RESULT_SCHEMA_VERSION
    assert Path(result["parametrar"]["korning_dir"]).resolve() == out.resolve()
    assert result["tackning"]["saknas"]["mognad"][BROKEN] == "misslyckad"
    assert result["tackning"]["med"]["mognad"] == ["01", "07"]
    assert result["tackning"]["med"]["tema"] == list(REGIONS)
    assert result["mognad"]["n_lan"] == 2
    # The portfolio is the sum of the three region files.
    files = [read_result(out / code / "tema.json", "tema") for code in REGIONS]
    assert result["portfolj"]["belopp_sek"] == pytest.approx(
        sum(f["totalt"]["belopp_sek"] for f in files)
    )
    assert result["portfolj"]["kontroll"]["explained"] is True
    # The goal chains of every region are in (the broken maturity job is not theirs).
    assert result["tackning"]["med"]["malkedja"] == list(REGIONS)
    assert [r["lan_kod"] for r in result["mal"]["per_lan"]] == list(REGIONS)
    goals = [read_result(out / code / "malkedja.json", "malkedja") for code in REGIONS]
    assert result["mal"]["antal_mal"]["rus"] == sum(f["antal_mal"]["rus"] for f in goals)
    assert (out / "riket" / result["filer"]["mal_karta"]).is_file()
    assert (out / "riket" / "syntes.xlsx").is_file()
    assert (out / "riket" / result["filer"]["mognad_alla_regioner"]).is_file()


def test_the_text_says_which_region_is_missing(batch):
    out, _ = batch
    notebook = json.loads((out / "riket" / "syntes.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "".join("".join(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "Uppsala län (misslyckades)" in text
    assert "Mognadens fördelning" in text
    assert text.count("## 1. Täckning") == 1  # the heading is shown once, by the section
