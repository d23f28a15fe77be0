"""Which inputs are simulated: datakallor.yaml, the reports' notice, the downloads and the site.

The notice comes from the data folder's own metadata: with the shipped data every report that
rests on a simulated table names it near the top, and a copy of the folder whose
``datakallor.yaml`` says that every table is real gives no notice anywhere.
"""

from __future__ import annotations

import json
import re
import shutil
from typing import ClassVar

import openpyxl
import pytest
import yaml
from conftest import DATA

from utvardering.batch.run import _inputs_of
from utvardering.dataset import TABLES, load_dataset
from utvardering.errors import DataValidationError
from utvardering.origin import (
    ORIGIN_FILE,
    SimulatedInput,
    merged,
    notice,
    notice_line,
    read_origin,
    simulated_inputs,
)
from utvardering.publish.content import _footer, _result_envelope, _simulated_notice
from utvardering.registry import report_type
from utvardering.results import read_result
from utvardering.schemas import SCHEMAS
from utvardering.tables import ABOUT_SHEET

NOTICE = "Simulerade data."


def _all_real(folder):
    """Mark every table of ``folder`` as real in its datakallor.yaml."""
    origin = yaml.safe_load((folder / ORIGIN_FILE).read_text(encoding="utf-8"))
    origin["tabeller"] = {name: {"art": "verklig"} for name in origin["tabeller"]}
    (folder / ORIGIN_FILE).write_text(yaml.safe_dump(origin, allow_unicode=True), "utf-8")


@pytest.fixture
def real_copy(data_copy):
    _all_real(data_copy)
    return data_copy


def _write(folder, text):
    (folder / ORIGIN_FILE).write_text(text, encoding="utf-8")


# --- the file --------------------------------------------------------------------------------


def test_the_shipped_folder_marks_every_table():
    origin = read_origin(DATA)
    shipped = {t for t in TABLES if t not in SCHEMAS or not SCHEMAS[t].optional}
    assert shipped <= set(origin) <= set(TABLES)
    assert "rus_prioriteringar" in origin  # optional, and shipped
    assert origin["enkatsvar"].kind == "simulerad"
    assert origin["lan"].kind == "verklig" and not origin["lan"].is_simulated
    # the shipped projects are real; their classification is simulated
    assert (
        origin["projekt"].kind == "verklig" and "effektkedja" in origin["projekt"].simulated_columns
    )


def test_simulated_inputs_keep_the_order_asked_for_and_skip_real_tables():
    found = simulated_inputs(DATA, ["lan", "foretagspanel", "enkatsvar"])
    assert [i.tabell for i in found] == ["foretagspanel", "enkatsvar"]
    assert found[1].beskrivning == "svaren på mognadsenkäten"


def test_simulated_columns_are_columns_of_the_table():
    for name, entry in read_origin(DATA).items():
        if entry.simulated_columns:
            known = {c.name for c in SCHEMAS[name].columns}
            assert set(entry.simulated_columns) <= known, name


def test_no_file_means_nothing_is_simulated(tmp_path):
    assert read_origin(tmp_path) == {}
    assert simulated_inputs(tmp_path, TABLES) == ()
    assert notice(()) == "" and notice_line(()) == ""


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("tabeller:\n  enkatsvar:\n    art: påhittad\n", ["tabeller.enkatsvar.art", "påhittad"]),
        (
            "tabeller:\n  enkätsvar:\n    art: simulerad\n",
            ["tabeller.enkätsvar", "en av tabellerna"],
        ),
        ("tabeller:\n  enkatsvar:\n    art: simulerad\n", ["tabeller.enkatsvar.simulerat"]),
        ("tabeller:\n  lan:\n    art: verklig\n    farg: röd\n", ["tabeller.lan.farg"]),
        ("tabell:\n  lan:\n    art: verklig\n", ["tabeller"]),
        (
            "tabeller:\n  projekt:\n    art: verklig\n    simulerade_kolumner: effektkedja\n",
            ["tabeller.projekt.simulerade_kolumner", "lista"],
        ),
    ],
)
def test_a_bad_file_is_an_error_that_names_the_key(tmp_path, text, names):
    _write(tmp_path, text)
    with pytest.raises(DataValidationError) as caught:
        read_origin(tmp_path)
    message = str(caught.value)
    assert ORIGIN_FILE in message
    for name in names:
        assert name in message


def test_the_data_readme_states_the_same_kinds():
    """The overview table of data/README.md and datakallor.yaml agree, table by table."""
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    overview = readme.split("## Översikt", 1)[1].split("\n## ", 1)[0]
    kinds = {"verklig": "verklig", "härledd": "harledd", "simulerad": "simulerad"}
    kinds["författad"] = "forfattad"
    origin = read_origin(DATA)
    seen = set()
    for line in overview.splitlines():
        match = re.match(r"\| `([^`]+)` \|.*\| ([^|]+) \|$", line.strip())
        if not match:
            continue
        file, art = match.group(1), match.group(2).strip()
        table = "karta" if file.endswith(".geojson") else file.split(".")[0]
        entry = origin[table]
        seen.add(table)
        first = art.split()[0]
        assert kinds[first] == entry.kind, (file, art, entry.kind)
        assert ("simulerad" in art) == entry.is_simulated, (file, art)
    assert seen == set(origin)


# --- the notice in reports, result files and downloads ---------------------------------------


def _first_section(report):
    return report.sections()[0].snapshot_text()


@pytest.mark.parametrize(("name", "params"), [("mognad", {"omgang": 2025}), ("tema", {})])
def test_reports_on_simulated_data_say_so_and_on_real_data_do_not(
    tmp_path, data_copy, name, params
):
    kind = report_type(name)
    simulated = kind.build(
        load_dataset(data_copy, kind.tables), kind.parameters.check(lan_kod="07", **params)
    )
    text = _first_section(simulated)
    assert NOTICE in text
    assert "enkatsvar" in text if name == "mognad" else "projektindikatorer" in text
    files = simulated.write(tmp_path / "sim")
    result = read_result(tmp_path / "sim" / files["json"], name)
    assert result["simulerade_indata"] and all(
        i["beskrivning"] for i in result["simulerade_indata"]
    )
    books = [f for f in files.values() if f.endswith(".xlsx")]
    assert books, "the report offers a workbook"
    for book in books:
        sheet = openpyxl.load_workbook(tmp_path / "sim" / book)[ABOUT_SHEET]
        assert openpyxl.load_workbook(tmp_path / "sim" / book).sheetnames[0] == ABOUT_SHEET
        cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
        assert "Simulerade indata:" in cells
        assert "None" not in cells and "[" not in cells  # parameters as a reader reads them
        assert str(data_copy) not in cells  # no folders of the machine

    _all_real(data_copy)
    real = kind.build(
        load_dataset(data_copy, kind.tables), kind.parameters.check(lan_kod="07", **params)
    )
    assert NOTICE not in _first_section(real)
    assert "simulera" not in "\n".join(s.snapshot_text() for s in real.sections()).lower()
    files = real.write(tmp_path / "real")
    assert read_result(tmp_path / "real" / files["json"], name)["simulerade_indata"] == []
    for book in (f for f in files.values() if f.endswith(".xlsx")):
        sheet = openpyxl.load_workbook(tmp_path / "real" / book)[ABOUT_SHEET]
        cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
        assert "Simulerade indata" not in cells and "Inga indata är märkta" in cells


@pytest.mark.langsam
def test_the_effect_report_on_real_data_has_no_notice(data_copy):
    kind = report_type("effekt")
    params = kind.parameters.check(lan_kod="07")
    simulated = kind.build(load_dataset(data_copy, kind.tables), params)
    assert "foretagspanel" in _first_section(simulated)
    _all_real(data_copy)
    real = kind.build(load_dataset(data_copy, kind.tables), params)
    assert "simulera" not in "\n".join(s.snapshot_text() for s in real.sections()).lower()


def test_unused_columns_and_tables_are_no_input_of_a_report():
    tables = ["projekt_lan", "rus_prioriteringar", "projekt"]
    found = simulated_inputs(
        DATA, tables, {"rus_prioriteringar": ("*",), "projekt_lan": ("rus_prioritering",)}
    )
    assert [i.tabell for i in found] == ["projekt"]
    found = simulated_inputs(DATA, ["projekt"], {"projekt": ("teman",)})
    assert "teman" not in found[0].kolumner and "effektkedja" in found[0].kolumner
    assert simulated_inputs(DATA, ["enkatsvar"], {"enkatsvar": ("kommentar",)})  # still simulated


def test_merged_keeps_each_table_once_with_all_its_columns():
    a = SimulatedInput("projekt", "klassningen", ("effektkedja",))
    b = SimulatedInput("projekt", "annat", ("teman",))
    c = SimulatedInput("enkatsvar", "svaren")
    assert merged((a,), (b, c)) == (
        SimulatedInput("projekt", "klassningen", ("effektkedja", "teman")),
        c,
    )


def test_merged_keeps_a_whole_simulated_table_whole():
    whole = SimulatedInput("enkatsvar", "svaren")
    some = SimulatedInput("enkatsvar", "kommentarerna", ("kommentar",))
    assert merged((some,), (whole,)) == (SimulatedInput("enkatsvar", "kommentarerna"),)
    assert merged((whole,), (some,)) == (whole,)


# --- the run and the site --------------------------------------------------------------------


def test_datakallor_is_an_input_of_every_job():
    class Report:
        inputs: ClassVar[dict[str, str]] = {"enkatsvar": "alla"}
        files = ()

    class Job:
        lan_kod = "07"
        report = Report
        parameters: ClassVar[dict[str, str]] = {}

    inputs = {"files": {"enkatsvar": "abc", "datakallor": "def"}, "regions": {}}
    assert _inputs_of(Job, inputs) == {"enkatsvar": "abc", "datakallor": "def"}
    inputs["files"].pop("datakallor")
    assert _inputs_of(Job, inputs)["datakallor"] == "saknas"


def test_the_site_names_simulated_inputs_and_every_parameter(tmp_path):
    result = {
        "parametrar": {"lan_kod": "07", "utfall": ["anstallda", "omsattning_tkr"], "data_dir": "x"},
        "simulerade_indata": [
            {"tabell": "foretagspanel", "beskrivning": "panelen", "kolumner": []}
        ],
    }
    (tmp_path / "effekt.json").write_text(json.dumps(result), encoding="utf-8")
    envelope = _result_envelope(tmp_path, "effekt")
    assert envelope["simulerade_indata"] == (SimulatedInput("foretagspanel", "panelen"),)
    manifest = {"indata": {"foretagspanel": "0123456789abc"}, "parametrar": {"lan_kod": "07"}}
    footer = _footer(manifest, envelope)
    assert "utfall = anstallda, omsattning\\_tkr" in footer and "data_dir" not in footer
    assert "tema = –" in _footer({**manifest, "parametrar": {"tema": None}})
    [block] = _simulated_notice(envelope["simulerade_indata"], "Effektanalys för Kronobergs län")
    assert "panelen (foretagspanel)" in block.text and "simulerade data" in block.text
    assert _simulated_notice((), "x") == []
    assert _result_envelope(tmp_path / "saknas", "effekt") == {}


def test_a_folder_copy_without_the_file_counts_as_real(tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(DATA, folder, ignore=shutil.ignore_patterns("foretagspanel.csv.gz"))
    (folder / ORIGIN_FILE).unlink()
    assert simulated_inputs(folder, TABLES) == ()


def test_a_section_shows_its_tables_whole(monkeypatch):
    """Long names are not cut with "…" and long tables keep every row in a notebook."""
    import IPython.display
    import pandas as pd

    from utvardering.protocol import Section

    shown = []
    render = getattr  # the notebook renders a block while display() is called
    monkeypatch.setattr(
        IPython.display,
        "display",
        lambda block, **_: shown.append(render(block, "_repr_html_", lambda: "")()),
    )
    name = "Ett mycket långt projektnamn som inte får kortas av tabellen i rapporten"
    Section("a", "Rubrik", (pd.DataFrame({"Projekt": [name] * 70}),))._ipython_display_()
    [table] = [h for h in shown if h and "<table" in h]
    assert table.count(name) == 70 and "…" not in table and "..." not in table


def test_the_region_page_lists_each_reports_simulated_inputs():
    from utvardering.publish.content import _simulated_list

    panel = SimulatedInput("foretagspanel", "panelen <b>")
    survey = SimulatedInput("enkatsvar", "svaren")
    [block] = _simulated_list(
        [("Mognadsbedömning", (survey,)), ("Effektanalys", (panel,))], "X län"
    )
    assert block.kind == "html" and "Rapporterna för X län" in block.text
    assert "<li>Mognadsbedömning: svaren (enkatsvar)</li>" in block.text
    assert "panelen &lt;b&gt; (foretagspanel)" in block.text  # text from data is escaped
    assert _simulated_list([], "X län") == []


def test_the_workbooks_first_sheet_leaves_out_the_machines_folders():
    from dataclasses import dataclass

    from utvardering.protocol import Parameters, Report

    @dataclass(frozen=True)
    class Params(Parameters):
        omgang: int = 2025
        korning_dir: str = "/tmp/körning"

    class Fake(Report):
        TYPE_NAME = "prov"
        SECTIONS: ClassVar[dict[str, str]] = {"a": "A"}
        params = Params()

    rows = dict(Fake().about_rows())
    assert rows["Parametrar"] == "omgang = 2025"
    assert rows["Indata"].startswith("Inga indata är märkta som simulerade")
