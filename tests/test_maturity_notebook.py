"""The maturity notebook: committed clean and thin, and runs for a region and the edge cases."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import DATA, ROOT

from utvardering.errors import ReportError
from utvardering.execute import execute_notebook
from utvardering.maturity import MaturityReport
from utvardering.registry import report_type
from utvardering.results import RESULT_SCHEMA_VERSION

# These tests start Jupyter kernels or a browser: `pytest -m "not karna"` leaves them out.
pytestmark = pytest.mark.karna

NOTEBOOK = ROOT / "notebooks" / "mognadsbedomning.ipynb"
DIMENSIONS = 9  # in the shipped mognadsmodell.yaml


def _run(
    tmp_path: Path, lan_kod: str | int, omgang: int, data_dir: Path = DATA
) -> tuple[dict, Path]:
    out = tmp_path / "ut"
    executed = execute_notebook(
        NOTEBOOK,
        out / "mognadsbedomning.ipynb",
        {"lan_kod": lan_kod, "omgang": omgang, "data_dir": str(data_dir), "utdata_dir": str(out)},
    )
    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    markdown = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    result = json.loads((out / "mognad.json").read_text(encoding="utf-8"))
    return result | {"_markdown": markdown, "_html": _html(outputs)}, out


def _html(outputs: list) -> str:
    return "\n".join(o.get("data", {}).get("text/html", "") for o in outputs)


def test_notebook_is_committed_clean_and_thin():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert nb.metadata["kernelspec"] == {
        "name": "python3", "display_name": "Python 3", "language": "python",
    }  # fmt: skip
    # the notebook names its report; title, level and tables come from the registry
    assert nb.metadata["utvardering"] == {"rapport": "mognad"}
    kind = report_type("mognad")
    assert (kind.title, kind.level, kind.notebook) == (
        "Mognadsbedömning", "region", NOTEBOOK.name,
    )  # fmt: skip
    assert kind.tables["enkatsvar"] == "alla"  # the national comparison reads every region
    first = nb.cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    defaults = {}
    exec(first.source, {}, defaults)
    assert defaults == {"lan_kod": "07", "omgang": 2025, "data_dir": "../data", "utdata_dir": "."}
    # the protocol's cells: parameters, load, build, one cell per section, save
    sources = [c.source.strip() for c in nb.cells[1:]]
    assert 'typ = report_type("mognad")' in sources[0]
    assert "typ.parameters.check(lan_kod=lan_kod, omgang=omgang)" in sources[0]
    assert "load_dataset(data_dir, typ.tables)" in sources[0]
    assert sources[1] == "rapport = typ.build(ds, parametrar)"
    assert sources[2:-1] == [f'rapport.section("{name}")' for name in MaturityReport.SECTIONS]
    assert sources[-1].endswith(
        "rapport.write(utdata_dir, data_dir=data_dir, utdata_dir=utdata_dir)"
    )
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        assert not [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef | ast.Lambda)
        ]


def test_notebook_for_a_region_with_two_rounds(tmp_path):
    result, out = _run(tmp_path, 7, 2025)  # as papermill's -p lan_kod 7 hands it over
    assert (result["rapport"], result["lan_kod"], result["omgang"]) == ("mognad", "07", 2025)
    assert result["schemaversion"] == RESULT_SCHEMA_VERSION
    assert result["parametrar"]["omgang"] == 2025 and result["parametrar"]["lan_kod"] == "07"
    assert result["inga_svar"] is False and result["lag_tillforlitlighet"] is False
    assert result["n_respondenter"] == 5
    assert result["trappstegsniva"] in (1, 2, 3, 4, 5)
    levels = [d["median"] for d in result["dimensioner"]]
    assert len(levels) == DIMENSIONS and all(1 <= v <= 5 for v in levels)
    # the staged level is the floor of the weakest dimension; the profile is their mean
    assert result["trappstegsniva"] == int(min(levels))
    assert result["profilmedel"] == pytest.approx(sum(levels) / DIMENSIONS)
    assert result["foregaende_omgang"] == 2023 and result["deltog_foregaende"] is True
    assert all(d["trend"] is not None for d in result["dimensioner"])
    assert all(d["rang"] is not None and d["n_regioner"] == 21 for d in result["dimensioner"])
    assert len(result["nasta_steg"]) == 3
    assert set(result["nivaer"]) == {d["dimension"] for d in result["dimensioner"]}
    for name in ("radar", "forandring", "riket", "alla_regioner", "karta"):
        assert (out / result["filer"][name]).is_file()
    assert (out / result["filer"]["excel"]).is_file()
    markdown = result["_markdown"]
    assert "## Nästa steg" in markdown and "## Mognadsmodellen" in markdown
    assert "Optimerad" in markdown  # the five levels are explained
    assert 'alt="Radardiagram' in result["_html"]


def test_notebook_refuses_an_unknown_region_in_swedish(tmp_path):
    with pytest.raises(ReportError, match="Parametern lan_kod ska vara en av de 21 länskoderna"):
        _run(tmp_path, 99, 2025)


def test_notebook_for_a_region_without_responses(tmp_path):
    result, out = _run(tmp_path, "09", 2023)
    assert result["inga_svar"] is True and result["n_respondenter"] == 0
    assert result["trappstegsniva"] is None and result["profilmedel"] is None
    assert result["nasta_steg"] == []
    assert all(v is None for v in result["nivaer"].values())
    assert result["omgangar_med_svar"] == [2025] and result["n_regioner"] == 20
    assert set(result["filer"]) == {"alla_regioner", "karta", "excel"}
    assert not (out / "mognad_radar.png").exists()
    assert "## Inga svar i den här omgången" in result["_markdown"]
    assert "## Nästa steg" not in result["_markdown"]


def test_notebook_with_one_respondent_and_own_targets(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for name in ("enkatsvar.csv", "mognadsmodell.yaml", "lan.csv", "lan.geojson"):
        shutil.copyfile(DATA / name, data / name)
    answers = pd.read_csv(data / "enkatsvar.csv", dtype=str, keep_default_na=False)
    mine = (answers["lan_kod"] == "23") & (answers["omgang"] == "2025")
    first = answers.loc[mine, "respondent"].iloc[0]
    answers[~mine | (answers["respondent"] == first)].to_csv(data / "enkatsvar.csv", index=False)
    pd.DataFrame(
        {"lan_kod": ["23", "23"], "dimension": ["samverkan", "styrkedja"], "malniva": [5, 5]}
    ).to_csv(data / "mognadsmal.csv", index=False)
    result, _ = _run(tmp_path, "23", 2025, data)
    assert result["n_respondenter"] == 1 and result["en_respondent"] is True
    assert result["lag_tillforlitlighet"] is True
    by_id = {d["dimension"]: d for d in result["dimensioner"]}
    assert all(d["iqr"] is None and d["samstammighet"] is None for d in by_id.values())
    assert by_id["samverkan"]["malniva"] == 5 and by_id["samverkan"]["malkalla"] == "mognadsmal"
    assert by_id["aterkoppling"]["malkalla"] == "standard"
    # the own target 5 leaves a larger gap than any default target (at most one level up)
    assert result["nasta_steg"][0]["dimension"] in {"samverkan", "styrkedja"}
    assert "En enda respondent" in result["_markdown"]
