"""The discovered reports cached in the output folder: read back by a process that has not
loaded the report types while nothing they depend on has changed (no kernel runs here)."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT

from utvardering import registry
from utvardering.batch import discover_reports, reportcache
from utvardering.batch.discover import discover_parts
from utvardering.batch.reportcache import CACHE_FILE, cached_discovery


@pytest.fixture
def fresh_registry(monkeypatch):
    """This process as a new `kor` command sees it: no report type loaded yet."""
    monkeypatch.setattr(registry, "_registered", {})
    monkeypatch.setattr(registry, "_loaded", False)


@pytest.fixture
def notebooks(tmp_path):
    folder = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", folder)
    return folder


def _as_new_process() -> None:
    """Forget the report types loaded so far in this test (see fresh_registry)."""
    registry._registered.clear()
    registry._loaded = False


def _no_discovery(*args, **kwargs):
    raise AssertionError("the reports were discovered again")


def cached_reports(notebook_dir, cache_dir):
    return cached_discovery(notebook_dir, cache_dir)[0]


def test_the_parts_are_cached_with_the_reports(tmp_path, notebooks, fresh_registry):
    cache = tmp_path / ".cache"
    reports, parts = cached_discovery(notebooks, cache)
    assert set(parts) == {"syntes_underlag"}
    assert parts == discover_parts(notebooks, reports)
    _as_new_process()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reportcache, "discover_reports", _no_discovery)
        patch.setattr(reportcache, "discover_parts", _no_discovery)
        again = cached_discovery(notebooks, cache)
    assert again == (reports, parts)
    assert again[1]["syntes_underlag"].part_of == "syntes"


def test_the_cached_reports_are_the_discovered_ones(tmp_path, notebooks, fresh_registry):
    cache = tmp_path / "ut" / ".cache"
    first = cached_reports(notebooks, cache)
    assert (cache / CACHE_FILE).is_file()
    assert first == discover_reports(notebooks)
    _as_new_process()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reportcache, "discover_reports", _no_discovery)
        patch.setattr(reportcache, "discover_parts", _no_discovery)
        read = cached_reports(notebooks, cache)
    assert read == first
    for name, report in read.items():  # every field, also those equality leaves out
        assert report.order == first[name].order
        assert {k: (p.default, p.type_name) for k, p in report.parameters.items()} == {
            k: (p.default, p.type_name) for k, p in first[name].parameters.items()
        }


def test_an_edited_notebook_is_discovered_again(tmp_path, notebooks, fresh_registry):
    cache = tmp_path / ".cache"
    cached_reports(notebooks, cache)
    path = notebooks / "effektanalys.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"].append(
        {"cell_type": "markdown", "id": "ny-text", "metadata": {}, "source": "Ny text."}
    )
    path.write_text(json.dumps(notebook), encoding="utf-8")
    _as_new_process()
    seen = []

    def counted(folder):
        seen.append(folder)
        return discover_reports(folder)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reportcache, "discover_reports", counted)
        cached_reports(notebooks, cache)
    assert seen == [notebooks]


@pytest.mark.parametrize("content", ["{", '{"key": 1}', "[]", ""])
def test_a_damaged_cache_costs_only_the_discovery(tmp_path, notebooks, fresh_registry, content):
    cache = tmp_path / ".cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_text(content, encoding="utf-8")
    assert cached_reports(notebooks, cache) == discover_reports(notebooks)
    state = json.loads((cache / CACHE_FILE).read_text(encoding="utf-8"))
    assert state["key"] == reportcache.discovery_key(notebooks)


def test_a_cache_with_a_changed_field_is_not_trusted(tmp_path, notebooks, fresh_registry):
    cache = tmp_path / ".cache"
    cached_reports(notebooks, cache)
    state = json.loads((cache / CACHE_FILE).read_text(encoding="utf-8"))
    del state["rapporter"]["effekt"]["level"]  # written by another version of the format
    (cache / CACHE_FILE).write_text(json.dumps(state), encoding="utf-8")
    _as_new_process()
    assert cached_reports(notebooks, cache) == discover_reports(notebooks)


def test_a_process_with_the_types_loaded_does_not_read_the_cache(tmp_path, notebooks):
    registry.report_types()
    cache = tmp_path / ".cache"
    cache.mkdir()
    (cache / CACHE_FILE).write_text('{"key": "x"}', encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reportcache, "discovery_key", lambda folder: "x")
        assert cached_reports(notebooks, cache) == discover_reports(notebooks)
    assert (cache / CACHE_FILE).read_text(encoding="utf-8") == '{"key": "x"}'


def test_a_cache_folder_that_cannot_be_written_costs_only_time(tmp_path, notebooks, fresh_registry):
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    assert cached_reports(notebooks, blocker / ".cache") == discover_reports(notebooks)


def test_the_command_line_and_the_batch_start_without_pandas():
    """What `kor` imports before it knows whether anything must run: no pandas, numpy,
    matplotlib or statsmodels (a run with nothing to do then takes well under a second)."""
    import subprocess
    import sys

    code = (
        "import sys; import utvardering.cli, utvardering.batch.run, utvardering.batch.reportcache;"
        "print(sorted(m for m in ('pandas', 'numpy', 'matplotlib', 'statsmodels', 'nbformat', "
        "'jsonschema') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
