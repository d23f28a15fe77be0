"""Parameter files (``kor -f``) and parameter matrices (``kor --matris``): parsing, checks
before anything runs, the combinations' folders, the index matris.json and the status page's
table of combinations. Most tests replace the run itself (no kernel starts); one runs a
small matrix for real."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA, FIXTURES, XSS

import utvardering.batch.matrix as matrix_module
import utvardering.cli as cli_module
from utvardering.batch.lock import OutputLock
from utvardering.batch.matrix import (
    INDEX_FILE,
    check_matrix,
    combinations,
    counts_text,
    folder_name,
    parse_matrix,
    run_matrix,
)
from utvardering.batch.params import read_parameter_file
from utvardering.batch.run import JobResult, RunOptions, RunSummary
from utvardering.cli import main
from utvardering.errors import ParameterError, ReportError
from utvardering.status import JobStatus

# --- --matris: parsing -----------------------------------------------------------------------


def test_a_matrix_is_its_names_and_values_in_the_order_given():
    parsed = parse_matrix(["utfall=anstallda, omsattning_tkr", "omgang=2023,2025,2024"])
    assert parsed == {"utfall": ("anstallda", "omsattning_tkr"), "omgang": ("2023", "2025", "2024")}
    assert list(parsed) == ["utfall", "omgang"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("faktor", "--matris 'faktor' ska skrivas namn=värde1,värde2"),
        ("=1,2", "--matris '=1,2': parameternamnet saknas"),
        ("  =1", "parameternamnet saknas"),
        ("faktor=", "--matris faktor=: inga värden för parametern 'faktor'"),
        ("faktor=  ", "inga värden för parametern 'faktor'"),
        ("faktor=1,,2", "--matris faktor=1,,2: värde nummer 2 av 3 är tomt"),
        ("faktor=1,2,", "värde nummer 3 av 3 är tomt"),
        ("faktor=,1", "värde nummer 1 av 2 är tomt"),
        ("faktor=1, 2,1", "--matris faktor: värdet '1' anges två gånger"),
        ("2x=1,2", "parameternamnet '2x' är ogiltigt"),
        ("fak tor=1", "parameternamnet 'fak tor' är ogiltigt"),
        ("faktor=" + "1" * 1001, "för långa (1001 tecken"),
    ],
)
def test_wrong_matrix_values_are_named(text, message):
    with pytest.raises(ParameterError) as info:
        parse_matrix([text])
    assert message in str(info.value)


def test_a_parameter_twice_in_the_matrix_is_refused():
    with pytest.raises(ParameterError, match="parametern 'faktor' anges två gånger"):
        parse_matrix(["faktor=1,2", "vila=0", "faktor=3"])


def test_a_matrix_of_too_many_combinations_is_refused():
    many = ",".join(str(i) for i in range(40))
    with pytest.raises(ParameterError, match="1600 kombinationer"):
        parse_matrix([f"a={many}", f"b={many}"])


def test_matrix_parameters_the_batch_owns_or_also_given_otherwise_are_refused():
    with pytest.raises(ParameterError) as info:
        check_matrix({"lan_kod": ("01", "07")}, {})
    assert "lan_kod" in str(info.value) and "kan inte anges med --matris" in str(info.value)
    assert "väljs med --lan" in str(info.value)
    with pytest.raises(ParameterError, match="faktor anges både med --matris och med -p"):
        check_matrix({"faktor": ("1", "2")}, {"faktor": "3"})
    with pytest.raises(ParameterError, match=r"och med parameterfilen p\.yaml"):
        check_matrix({"faktor": ("1", "2")}, {"faktor": 3}, {"faktor": "parameterfilen p.yaml"})
    check_matrix({"faktor": ("1", "2")}, {"vila": 0.5})  # no overlap: accepted


# --- the combinations and their folders ------------------------------------------------------


def test_combinations_are_the_cross_product_in_order():
    found = combinations(parse_matrix(["utfall=anstallda,omsattning_tkr", "omgang=2023,2025"]))
    assert [c.label for c in found] == [
        "utfall=anstallda, omgang=2023",
        "utfall=anstallda, omgang=2025",
        "utfall=omsattning_tkr, omgang=2023",
        "utfall=omsattning_tkr, omgang=2025",
    ]
    assert [(c.number, c.total) for c in found] == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert found[2].folder == "omgang-2023_utfall-omsattning_tkr"


def test_a_folder_is_made_of_its_combination_alone():
    assert folder_name({"utfall": "anstallda", "omgang": "2023"}) == "omgang-2023_utfall-anstallda"
    # the names in order, whatever the order of --matris
    assert folder_name({"omgang": "2023", "utfall": "anstallda"}) == "omgang-2023_utfall-anstallda"
    # a combination keeps its folder when the matrix gets more values
    small = combinations({"faktor": ("2", "3")})
    large = combinations({"faktor": ("1", "2", "3", "4")})
    assert {c.folder for c in small} <= {c.folder for c in large}


@pytest.mark.parametrize(
    ("value", "twin"),
    [("0.5", "0-5"), ("Västra", "Vastra"), ("a b", "a-b"), ("../x", "x"), ("ÅÄÖ", "AAO")],
)
def test_a_value_unsafe_in_a_path_gets_a_hash_and_never_a_twins_folder(value, twin):
    folder = folder_name({"tema": value})
    assert re.fullmatch(r"tema-[A-Za-z0-9_-]*-[0-9a-f]{8}", folder), folder
    assert "/" not in folder and "." not in folder
    assert folder != folder_name({"tema": twin})
    assert folder == folder_name({"tema": value})  # the same every time


def test_a_long_combination_is_cut_to_64_characters_and_stays_distinct():
    a = folder_name({"tema": "x" * 70 + "a"})
    b = folder_name({"tema": "x" * 70 + "b"})
    assert len(a) <= 64 and len(b) <= 64 and a != b


def test_two_combinations_that_would_share_a_folder_are_refused():
    with pytest.raises(ParameterError) as info:  # one folder on macOS and Windows
        combinations({"tema": ("EU", "eu")})
    assert "tema=EU" in str(info.value) and "tema=eu" in str(info.value)
    with pytest.raises(ParameterError, match="samma mapp"):
        # a-1_b-2_b-3 both ways
        combinations({"a": ("1_b-2", "1"), "b": ("3", "2_b-3")})


def test_counts_as_words():
    assert counts_text({"klar": 3, "oforandrad": 1, "misslyckad": 1, "avbruten": 0}) == (
        "3 klara, 1 oförändrad, 1 misslyckad"
    )
    assert counts_text({"klar": 0}) == "inga jobb"
    assert counts_text(None) == "okänt"
    assert counts_text({"klar": "<b>2</b>", "avbruten": True}) == "inga jobb"


# --- -f: the parameter file ------------------------------------------------------------------


def test_a_parameter_file_keeps_the_yaml_types(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(
        "# kommentar\nfaktor: 3\nvila: 0.5\nperiod: [2014, 2023]\nflagga: ja\n"
        'lan: "07"\ndatum: 2025-01-31\ntema: Grön omställning\nnagot:\n',
        encoding="utf-8",
    )
    assert read_parameter_file(path) == {
        "faktor": 3,
        "vila": 0.5,
        "period": [2014, 2023],
        "flagga": "ja",  # YAML 1.1's yes/no are words: the notebook's type reads them
        "lan": "07",
        "datum": "2025-01-31",  # a date as its ISO text
        "tema": "Grön omställning",
        "nagot": None,
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"faktor: [1, 2\n", "är inte giltig YAML (rad 2"),
        (b"faktor: 1\n  vila: 2\n", "är inte giltig YAML (rad 2"),
        (b"- faktor\n- vila\n", "ska vara en mappning med en parameter per rad"),
        (b"faktor\n", "men innehåller en text: 'faktor'"),
        (b"2025: omgang\n", "nyckeln 2025 är inget parameternamn"),
        (b"[1, 2]: x\n", "(rad 1, kolumn 1)"),
        (b"fak tor: 1\n", "parameternamnet 'fak tor' är ogiltigt"),
        (b"faktor: 1\nvila: 0\nfaktor: 2\n", "nyckeln 'faktor' finns två gånger (rad 1 och rad 3)"),
        (b"faktor: !!binary aGVq\n", "värdet för parametern 'faktor' har en typ"),
        (b"faktor: {1: a}\n", "värdet för parametern 'faktor' har nyckeln 1"),
        (b"a: &x [*x]\n", "värdet för parametern 'a' är nästlat för djupt"),
        (b"faktor: 3\xff\n", "är inte text i UTF-8"),
        (b"", "är tom"),
        (b"# bara en kommentar\n", "är tom"),
    ],
)
def test_a_wrong_parameter_file_is_named(tmp_path, content, message):
    path = tmp_path / "parametrar.yaml"
    path.write_bytes(content)
    with pytest.raises(ParameterError) as info:
        read_parameter_file(path)
    assert str(info.value).startswith(f"Parameterfilen {path}")
    assert message in str(info.value)


def test_a_parameter_file_that_is_not_there_or_a_folder(tmp_path):
    with pytest.raises(ParameterError, match="finns inte"):
        read_parameter_file(tmp_path / "saknas.yaml")
    with pytest.raises(ParameterError, match="är en mapp"):
        read_parameter_file(tmp_path)


def _kor(out: Path, *extra: str) -> list[str]:
    return ["kor", "--data", str(DATA), "--utdata", str(out), "--notebookar", str(FIXTURES),
            "--lan", "07", "--tyst", *extra]  # fmt: skip


class _Runs:
    """Stands in for run_batch: records each run's options; ``fail`` names the job state of
    the combinations' runs by their ``trasig_lan``, ``raise_on`` raises for one of them."""

    def __init__(self, fail=(), raise_on: dict | None = None):
        self.options: list[RunOptions] = []
        self.reporters: list[object] = []
        self.fail = set(fail)
        self.raise_on = raise_on or {}

    def __call__(self, options: RunOptions, reporter=None, executor=None) -> RunSummary:
        self.options.append(options)
        self.reporters.append(reporter)
        broken = options.parameters.get("trasig_lan")
        if broken in self.raise_on:
            exc = self.raise_on[broken]
            if isinstance(exc, KeyboardInterrupt):  # as run_batch: its manifest, then up
                start = dt.datetime.now().astimezone().isoformat(timespec="seconds")
                jobs = [{"job": "07/demo", "status": "klar"},
                        {"job": "riket/demo_syntes", "status": "avbruten"}]  # fmt: skip
                options.out_dir.mkdir(parents=True, exist_ok=True)
                (options.out_dir / "korning.json").write_text(
                    json.dumps({"start": start, "jobb": jobs}), encoding="utf-8"
                )
            raise exc
        state = JobStatus.MISSLYCKAD if broken in self.fail else JobStatus.KLAR
        cell = 4 if state == JobStatus.MISSLYCKAD else None
        results = (JobResult("07/demo", "demo", "07", state, 1.5, cell, "fel"),)
        return RunSummary(results, 2.0, options.out_dir / "korning.json")


def test_kor_gives_the_parameter_file_to_the_run_and_p_wins(tmp_path, monkeypatch, capsys):
    runs = _Runs()
    monkeypatch.setattr(cli_module, "run_batch", runs)
    path = tmp_path / "p.yaml"
    path.write_text("faktor: 3\nvila: 0.25\n", encoding="utf-8")
    assert main(_kor(tmp_path / "ut", "-f", str(path), "-p", "faktor=4")) == 0
    assert runs.options[0].parameters == {"faktor": "4", "vila": 0.25}
    assert main(_kor(tmp_path / "ut", "--parameterfil", str(path))) == 0
    assert runs.options[1].parameters == {"faktor": 3, "vila": 0.25}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("faktr: 3\n", "har parametern faktr (från parameterfilen {path})"),
        ("faktor: tre\n", "ska vara heltal (som standardvärdet 2), men fick 'tre' (från "
                          "parameterfilen {path})"),
        ("lan_kod: '12'\n", "lan_kod sätts av körningen och kan inte anges i parameterfilen "
                            "{path} (lan_kod väljs med --lan)"),
        ("utdata_dir: /tmp\n", "kan inte anges i parameterfilen {path}"),
        ("faktor: [1\n", "Parameterfilen {path} är inte giltig YAML (rad 2"),
    ],
)  # fmt: skip
def test_kor_with_a_wrong_parameter_file_runs_nothing(
    tmp_path, monkeypatch, capsys, content, message
):
    runs = _Runs()
    monkeypatch.setattr(cli_module, "run_batch", runs)
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    assert main(_kor(tmp_path / "ut", "-f", str(path))) == 2
    err = capsys.readouterr().err
    assert message.format(path=path) in err and "Traceback" not in err
    assert runs.options == []


def test_rapport_reads_the_parameter_file_before_the_data(tmp_path, capsys):
    argv = ["rapport", "--data", str(DATA), "--utdata", str(tmp_path / "ut"),
            "--sajt", str(tmp_path / "site"), "-f", str(tmp_path / "saknas.yaml")]  # fmt: skip
    assert main(argv) == 2
    assert f"Parameterfilen {tmp_path / 'saknas.yaml'} finns inte" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_matris_is_only_an_option_of_kor(capsys):
    with pytest.raises(SystemExit) as info:
        main(["rapport", "--matris", "faktor=1,2"])
    assert info.value.code == 2
    assert "okända argument: --matris" in capsys.readouterr().err


# --- running a matrix (the runs replaced) ----------------------------------------------------


def _options(out: Path, **kwargs) -> RunOptions:
    kwargs.setdefault("regions", ("07",))
    return RunOptions(data_dir=DATA, out_dir=out, notebook_dir=FIXTURES, **kwargs)


def _index(out: Path) -> dict:
    return json.loads((out / "matris" / INDEX_FILE).read_text(encoding="utf-8"))


def test_every_combination_is_checked_before_the_first_runs(tmp_path, monkeypatch):
    runs = _Runs()
    monkeypatch.setattr(matrix_module, "run_batch", runs)
    out = tmp_path / "ut"
    with pytest.raises(ParameterError) as info:
        run_matrix(_options(out), {"trasig_lan": ("x",), "faktor": ("1", "2", "tre")})
    message = str(info.value)
    assert message.startswith("Kombination 3 av 3 (trasig_lan=x, faktor=tre)")
    assert "ska vara heltal" in message and "(från --matris)" in message
    with pytest.raises(ParameterError, match=r"har parametern faktr \(från --matris\)"):
        run_matrix(_options(out), {"faktr": ("1", "2")})
    with pytest.raises(ParameterError, match="ger samma parametrar till varje rapport"):
        run_matrix(_options(out), {"faktor": ("2", "02")})  # 02 is the number 2
    with pytest.raises(ParameterError, match="Okänd länskod: 99"):
        run_matrix(_options(out, regions=("99",)), {"faktor": ("1", "2")})
    assert runs.options == []
    assert not (out / "matris" / INDEX_FILE).exists()


def test_each_combination_is_a_run_of_its_own(tmp_path, monkeypatch):
    runs = _Runs(fail={"07"})
    monkeypatch.setattr(matrix_module, "run_batch", runs)
    out = tmp_path / "ut"
    options = _options(out, parameters={"vila": 0.0}, engine="dask", scheduler="tcp://v:8786")
    reporters = []

    def factory(combination):
        reporters.append(combination.number)
        return f"rapportör {combination.number}"

    summary = run_matrix(
        options, {"trasig_lan": ("07", "x"), "faktor": ("2", "3")}, factory, {"vila": "-p"}
    )
    assert [o.parameters for o in runs.options] == [
        {"vila": 0.0, "trasig_lan": "07", "faktor": "2"},
        {"vila": 0.0, "trasig_lan": "07", "faktor": "3"},
        {"vila": 0.0, "trasig_lan": "x", "faktor": "2"},
        {"vila": 0.0, "trasig_lan": "x", "faktor": "3"},
    ]
    assert [o.out_dir for o in runs.options] == [
        out / "matris" / f for f in ("faktor-2_trasig_lan-07", "faktor-3_trasig_lan-07",
                                     "faktor-2_trasig_lan-x", "faktor-3_trasig_lan-x")
    ]  # fmt: skip
    for run in runs.options:  # everything else as given: a matrix runs on Dask too
        assert (run.engine, run.scheduler, run.regions) == ("dask", "tcp://v:8786", ("07",))
        assert run.data_dir == DATA and run.notebook_dir == FIXTURES
    assert reporters == [1, 2, 3, 4]
    assert runs.reporters == ["rapportör 1", "rapportör 2", "rapportör 3", "rapportör 4"]
    assert [r.status for r in summary.results] == ["misslyckad", "misslyckad", "klar", "klar"]
    assert len(summary.failed) == 2 and summary.index == (out / "matris" / INDEX_FILE).resolve()
    index = _index(out)
    assert index["matris"] == {"trasig_lan": ["07", "x"], "faktor": ["2", "3"]}
    assert index["parametrar"] == {"vila": 0.0} and index["regioner"] == ["07"]
    first, last = index["kombinationer"][0], index["kombinationer"][3]
    assert first == {
        "nummer": 1,
        "parametrar": {"trasig_lan": "07", "faktor": "2"},
        "mapp": "faktor-2_trasig_lan-07",
        "status": "misslyckad",
        "jobb": {"klar": 0, "oforandrad": 0, "misslyckad": 1, "avbruten": 0},
        "sekunder": 2.0,
        "fel": None,
        "publicera": f"utvardering publicera --utdata {out}/matris/faktor-2_trasig_lan-07 "
        f"--data {DATA} --notebookar {FIXTURES}",
    }
    assert last["status"] == "klar" and last["jobb"]["klar"] == 1
    assert not (out / "matris" / ".las").exists()  # the matrix' lock is released


def test_an_interrupted_matrix_writes_what_it_knows(tmp_path, monkeypatch):
    runs = _Runs(raise_on={"b": KeyboardInterrupt()})
    monkeypatch.setattr(matrix_module, "run_batch", runs)
    out = tmp_path / "ut"
    with pytest.raises(KeyboardInterrupt):
        run_matrix(_options(out), {"trasig_lan": ("a", "b", "c")})
    assert len(runs.options) == 2
    entries = _index(out)["kombinationer"]
    assert [e["status"] for e in entries] == ["klar", "avbruten", "inte_kord"]
    assert entries[1]["jobb"] == {"klar": 1, "oforandrad": 0, "misslyckad": 0, "avbruten": 1}
    assert entries[2]["jobb"] is None and entries[2]["sekunder"] is None
    assert entries[2]["publicera"].endswith("matris/trasig_lan-c --data " + f"{DATA} "
                                            f"--notebookar {FIXTURES}")  # fmt: skip


def test_a_combination_whose_run_raises_stops_the_matrix(tmp_path, monkeypatch):
    problem = ReportError("En annan körning använder redan utdatamappen")
    runs = _Runs(raise_on={"a": problem})
    monkeypatch.setattr(matrix_module, "run_batch", runs)
    out = tmp_path / "ut"
    with pytest.raises(ReportError, match="En annan körning"):
        run_matrix(_options(out), {"trasig_lan": ("a", "b")})
    entries = _index(out)["kombinationer"]
    assert [e["status"] for e in entries] == ["fel", "inte_kord"]
    assert entries[0]["fel"] == "En annan körning använder redan utdatamappen"
    assert entries[0]["jobb"] is None  # no run manifest was written by this run
    assert len(runs.options) == 1


def test_a_second_matrix_on_the_same_folder_is_refused(tmp_path, monkeypatch):
    runs = _Runs()
    monkeypatch.setattr(matrix_module, "run_batch", runs)
    out = tmp_path / "ut"
    with OutputLock(out / "matris"), pytest.raises(ReportError, match="En annan körning"):
        run_matrix(_options(out), {"trasig_lan": ("a", "b")})
    assert runs.options == []


def test_kor_matris_prints_each_combination_and_exits_1_if_a_job_failed(
    tmp_path, monkeypatch, capsys
):
    runs = _Runs(fail={"07"})
    monkeypatch.setattr(matrix_module, "run_batch", runs)
    out = tmp_path / "ut"
    path = tmp_path / "p.yaml"
    path.write_text("faktor: 3\n", encoding="utf-8")
    code = main(_kor(out, "-f", str(path), "--matris", "trasig_lan=07,x", "-p", "vila=0"))
    assert code == 1
    captured = capsys.readouterr()
    assert "Kombination 1 av 2: trasig_lan=07\n" in captured.out
    assert "Kombination 2 av 2: trasig_lan=x\n" in captured.out
    assert f"publicera: utvardering publicera --utdata {out}/matris/trasig_lan-x" in captured.out
    assert "07/demo: misslyckad: cell 4: fel" in captured.err
    assert "1 av 2 kombinationer har misslyckade jobb" in captured.err
    assert [o.parameters for o in runs.options] == [
        {"faktor": 3, "vila": "0", "trasig_lan": "07"},
        {"faktor": 3, "vila": "0", "trasig_lan": "x"},
    ]
    runs.fail = set()
    assert main(_kor(out, "--matris", "trasig_lan=x", "faktor=1,2")) == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--matris", "faktor=1,,2"), "värde nummer 2 av 3 är tomt"),
        (("--matris", "faktor=1,2", "-p", "faktor=3"), "anges både med --matris och med -p"),
        (("--matris", "lan_kod=01,07"), "kan inte anges med --matris"),
        (("--matris", "faktor=1", "--matris", "faktor=2"), "'faktor' anges två gånger"),
        (("--matris", "faktor=1,tre"), "Kombination 2 av 2 (faktor=tre)"),
    ],
)
def test_kor_with_a_wrong_matrix_runs_nothing(tmp_path, monkeypatch, capsys, extra, message):
    runs = _Runs()
    monkeypatch.setattr(matrix_module, "run_batch", runs)
    assert main(_kor(tmp_path / "ut", *extra)) == 2
    assert message in capsys.readouterr().err
    assert runs.options == []


# --- the status page -------------------------------------------------------------------------


def _run_folder(folder: Path) -> Path:
    """A run folder with no jobs: enough for the site's pages."""
    folder.mkdir(parents=True)
    run = {"start": "2026-12-02T04:00:00", "slut": "2026-12-02T04:01:00", "sekunder": 60.0,
           "arbetare": 1, "versioner": {"utvardering": "0.0"}, "jobb": []}  # fmt: skip
    (folder / "korning.json").write_text(json.dumps(run), encoding="utf-8")
    return folder


def _entry(number: int, parameters: dict, folder: str, **fields) -> dict:
    entry = {"nummer": number, "parametrar": parameters, "mapp": folder, "status": "klar",
             "jobb": {"klar": 2, "oforandrad": 0, "misslyckad": 0, "avbruten": 0},
             "sekunder": 3.0, "fel": None,
             "publicera": f"utvardering publicera --utdata ut/matris/{folder}"}  # fmt: skip
    return entry | fields


def _write_index(folder: Path, entries: list[dict]) -> None:
    index = {"format": 1, "start": "2026-12-02T04:00:00", "kombinationer": entries}
    (folder / INDEX_FILE).write_text(json.dumps(index), encoding="utf-8")


def _status_text(out: Path) -> str:
    from utvardering.publish.content import build_content

    content = build_content(out, DATA, FIXTURES)
    page = next(p for p in content.pages if p.path == "status")
    return "\n".join(b.text for b in page.blocks)


def _rendered(blocks) -> str:
    from utvardering.publish.fallback import render_markdown

    return "\n".join(b.text if b.kind == "html" else render_markdown(b.text) for b in blocks)


def test_the_status_page_of_a_combination_lists_the_matrix(tmp_path):
    matrix = tmp_path / "ut" / "matris"
    out = _run_folder(matrix / "faktor-3")
    _write_index(
        matrix,
        [
            _entry(1, {"faktor": "2"}, "faktor-2", status="misslyckad",
                   jobb={"klar": 1, "oforandrad": 0, "misslyckad": 1, "avbruten": 0}),
            _entry(2, {"faktor": "3"}, "faktor-3"),
            _entry(3, {"faktor": "4"}, "faktor-4", status="inte_kord", jobb=None),
        ],
    )  # fmt: skip
    text = _status_text(out)
    section = text[text.index("## Parameterkombinationer") : text.index("## Alla regioner")]
    rows = [line for line in section.splitlines() if line.startswith("| ")]
    assert len(rows) == 4  # the header and the three combinations
    assert rows[1].startswith("| faktor=2 | jobb misslyckades | 1 klar, 1 misslyckad |")
    assert rows[2].startswith("| **faktor=3** (den här) | klar | 2 klara |")
    assert "`utvardering publicera --utdata ut/matris/faktor-3`" in rows[2]
    assert rows[3].startswith("| faktor=4 | inte körd | – |")
    assert "(den här)" not in rows[1] + rows[3]


def test_a_run_folder_with_matrices_of_its_own_lists_them_unmarked(tmp_path):
    from utvardering.publish.content import _matrix_blocks

    out = _run_folder(tmp_path / "ut")
    (out / "matris").mkdir()
    _write_index(out / "matris", [_entry(1, {"faktor": "2"}, "faktor-2")])
    text = _rendered(_matrix_blocks(out))
    assert "Parameterkombinationer" in text and "faktor=2" in text
    assert "den här" not in text
    assert _matrix_blocks(_run_folder(tmp_path / "annan")) == ()  # no matrix: no section


def test_text_from_the_matrix_index_is_escaped(tmp_path):
    from utvardering.publish.content import _matrix_blocks

    matrix = tmp_path / "ut" / "matris"
    out = _run_folder(matrix / "a-1")
    hostile = _entry(
        1,
        {XSS: "x|y`z\n# rubrik", "tema": ["<img src=x onerror=alert(1)>", "b"]},
        "a-1",
        status="fel",
        fel=f"**{XSS}**",
        jobb={"klar": "<b>2</b>"},
        publicera=f"utvardering publicera --utdata 'a|b' `{XSS}`\n| x |",
    )
    other = _entry(2, "<script>", f"<b>{XSS}", status=XSS, publicera=f"a\nb {XSS}")
    _write_index(matrix, [hostile, other])
    blocks = _matrix_blocks(out)
    assert all(b.kind == "md" for b in blocks)
    html = _rendered(blocks)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert html.count("<tr>") == 3  # a pipe or line break in a value starts no cell or row
    assert html.count("<td>") == 2 * 5
    assert "(den här)" in html  # a-1 is the folder published
    assert "<h1" not in html  # "# rubrik" is no heading


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{inte json", "är skadat (ogiltig JSON"),
        (b"[1, 2]", "är skadat (inte ett JSON-objekt)"),
        (b'{"kombinationer": {"a": 1}}', "har fel form"),
        (b'{"kombinationer": [1, 2]}', "har fel form"),
    ],
)
def test_a_damaged_matrix_index_is_a_notice(tmp_path, content, message):
    from utvardering.publish.content import _matrix_blocks

    matrix = tmp_path / "ut" / "matris"
    out = _run_folder(matrix / "a-1")
    (matrix / INDEX_FILE).write_bytes(content)
    blocks = _matrix_blocks(out)
    assert len(blocks) == 1 and blocks[0].kind == "html" and "utv-notis" in blocks[0].text
    assert message in blocks[0].text and "kombinationerna visas inte" in blocks[0].text
    if content.startswith(b"{inte"):
        assert "Parameterkombinationernas index" in _status_text(out)  # the page is built


# --- a real matrix ---------------------------------------------------------------------------


@pytest.mark.karna
def test_a_small_matrix_runs_each_combination_and_each_publishes(data_copy, tmp_path, capsys):
    """Two combinations of the quick demo report for one region, the first broken on
    purpose, with a parameter from a file: each is a run folder of its own, the index lists
    both, and the one that finished publishes with the matrix on its status page."""
    out = tmp_path / "ut"
    path = tmp_path / "p.yaml"
    path.write_text("faktor: 3\n", encoding="utf-8")
    argv = ["kor", "--data", str(data_copy), "--utdata", str(out), "--notebookar",
            str(FIXTURES), "--lan", "07", "--rapport", "demo", "--jobb", "1", "--tyst",
            "-f", str(path), "--matris", "trasig_lan=07,x"]  # fmt: skip
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert "Kombination 1 av 2: trasig_lan=07" in captured.out
    assert "avsiktligt fel i 07" in captured.err
    index = _index(out)
    entries = index["kombinationer"]
    assert [(e["mapp"], e["status"]) for e in entries] == [
        ("trasig_lan-07", "misslyckad"),
        ("trasig_lan-x", "klar"),
    ]
    assert entries[0]["jobb"] == {"klar": 0, "oforandrad": 0, "misslyckad": 1, "avbruten": 0}
    assert entries[1]["jobb"] == {"klar": 1, "oforandrad": 0, "misslyckad": 0, "avbruten": 0}
    assert all(e["sekunder"] > 0 for e in entries)
    assert index["parametrar"] == {"faktor": 3}
    for entry in entries:
        folder = out / "matris" / entry["mapp"]
        run = json.loads((folder / "korning.json").read_text(encoding="utf-8"))
        assert run["parametrar"] == {"faktor": 3, **entry["parametrar"]}
        assert [j["job"] for j in run["jobb"]] == ["07/demo"]
        assert (folder / "07" / "demo.manifest.json").is_file()
    finished = out / "matris" / "trasig_lan-x"
    result = json.loads((finished / "07" / "demo.json").read_text(encoding="utf-8"))
    survey = pd.read_csv(data_copy / "enkatsvar.csv", dtype=str)
    assert result["n"] == 3 * int((survey["lan_kod"] == "07").sum()) > 0
    publish = entries[1]["publicera"].split()
    assert publish[:4] == ["utvardering", "publicera", "--utdata", str(finished)]
    site = tmp_path / "site"
    argv = [*publish[1:], "--sajt", str(site), "--utan-quarto", "--format", "html"]
    assert main(argv) == 0
    status = (site / "status.html").read_text(encoding="utf-8")
    assert "Parameterkombinationer" in status
    assert re.search(r"<strong>trasig_lan=x</strong>\s*\(den här\)", status)
