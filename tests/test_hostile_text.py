"""Hostile text in every text field of the data folder never becomes markup on the site.

A copy of the shipped data folder gets an HTML/JS payload in every free-text column of every
table, in every text field of the two YAML models, in the region names of the map and in the
data folder's README. Two regions and the national synthesis run with the real notebooks; the
run is published with nbconvert and as a Quarto project. No generated file may hold the payload
as markup, and the escaped payload must be there (so that data cannot silently vanish).
"""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pandas as pd
import pytest
import yaml
from conftest import DATA, PANEL, ROOT

from utvardering.errors import DataValidationError
from utvardering.registry import report_types
from utvardering.schemas import SCHEMAS

REGIONS = ("01", "07")


def payload(key: str) -> str:
    """Markup that runs script if it reaches a page unescaped; ``key`` says where it came from
    (and keeps every value unique)."""
    return f"<img src=x onerror=alert('{key}')><script>alert('{key}')</script>"


# Text columns whose values are restricted to codes, ids or allowed values: the payload cannot
# be stored there, because validation refuses it (asserted in test_restricted_columns_refuse_
# the_payload). References to the maturity model (question and dimension ids) are restricted
# the same way, by the check across files, and so are code columns with a fixed width or a
# pattern (län and kommun codes). Id columns without either accept any text: they carry the
# payload like free text (_open_code_columns).
# A goal's parent goal is a reference too.
REFERENCES = {
    ("enkatsvar", "fraga"),
    ("mognadsmal", "dimension"),
    ("malkedja", "overordnat_mal_id"),
}
# A goal's indicator names a series of indikatorer or a project indicator of the chain model;
# it is checked against them only when those are valid, so it carries no payload and is left
# out of the restricted columns' test.
CROSS_CHECKED = {("malkedja", "indikator")}
# A county's RUS priorities are free text, and each project's priority in a county must be on
# that county's list: both get the same payload, keyed by county and priority (_hostile_rus).
RUS = {("rus_prioriteringar", "prioritering"), ("projekt_lan", "rus_prioritering")}


def _free_text_columns() -> dict[str, list[str]]:
    return {
        name: [
            c.name
            for c in schema.columns
            if c.kind == "text"
            and not c.checks
            and (name, c.name) not in REFERENCES
            and (name, c.name) not in CROSS_CHECKED
            and (name, c.name) not in RUS
        ]
        for name, schema in SCHEMAS.items()
    }


def _restricted_columns() -> dict[str, list[str]]:
    return {
        name: [
            c.name
            for c in schema.columns
            if (c.kind == "text" and (c.checks or (name, c.name) in REFERENCES))
            or (c.kind == "code" and (c.width or c.checks))
        ]
        for name, schema in SCHEMAS.items()
    }


def _open_code_columns() -> dict[str, list[str]]:
    """Id columns without a fixed width or a check (project and firm ids): validation takes
    any text there, so they carry the payload too."""
    return {
        name: [c.name for c in schema.columns if c.kind == "code" and not c.width and not c.checks]
        for name, schema in SCHEMAS.items()
    }


def _hostile_ids(path: Path, columns: list[str]) -> None:
    """A payload in every id, keyed by the id, so that references across tables still hold."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in columns:
        frame[column] = [f"{v} {payload(f'{column}.{v}')}" if v else v for v in frame[column]]
    frame.to_csv(path, index=False)


def _hostile_table(path: Path, table: str, columns: list[str]) -> None:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in columns:
        key = f"{table}.{column}"
        frame[column] = [
            f"{value} {payload(f'{key}.{i}')}" if value else payload(f"{key}.{i}")
            for i, value in enumerate(frame[column])
        ]
    frame.to_csv(path, index=False)


def _hostile_rus(target: Path) -> None:
    """A payload in every RUS priority, the same in the counties' lists and the projects."""
    for table, column in sorted(RUS):
        path = target / f"{table}.csv"
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame[column] = [
            f"{v} {payload(f'rus.{code}.{v}')}" if v else v
            for code, v in zip(frame["lan_kod"], frame[column], strict=True)
        ]
        frame.to_csv(path, index=False)


def _hostile_yaml(node, where: str, model: str):
    """Every text leaf of a YAML model with a payload; ids (and the stage an indicator belongs
    to) stay as they are. Nodes with an id are keyed by it, so that an indicator defined in
    several places gets the same payload each time (the model requires that)."""
    if isinstance(node, dict):
        base = f"{model}.{node['id']}" if "id" in node else where
        return {
            k: v
            if k in ("id", "steg", "niva") and not isinstance(v, dict | list)
            else _hostile_yaml(v, f"{base}.{k}", model)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_hostile_yaml(v, f"{where}.{i}", model) for i, v in enumerate(node)]
    if isinstance(node, str):
        return f"{node} {payload(where)}"
    return node


def hostile_data(target: Path, panel: pd.DataFrame) -> Path:
    """A copy of the shipped data folder with a payload in every text field."""
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(PANEL))
    panel.to_csv(target / "foretagspanel.csv", index=False)
    for table, columns in _free_text_columns().items():
        path = target / f"{table}.csv"
        if columns and path.is_file():
            _hostile_table(path, table, columns)
    for table, columns in _open_code_columns().items():
        path = target / f"{table}.csv"
        if columns and path.is_file():
            _hostile_ids(path, columns)
    _hostile_rus(target)
    for model in ("mognadsmodell", "effektkedjor"):
        path = target / f"{model}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(
            yaml.safe_dump(_hostile_yaml(data, model, model), allow_unicode=True), encoding="utf-8"
        )
    geo = json.loads((target / "lan.geojson").read_text(encoding="utf-8"))
    for feature in geo["features"]:
        props = feature["properties"]
        props["lan_namn"] = f"{props['lan_namn']} {payload('karta.' + props['lan_kod'])}"
    (target / "lan.geojson").write_text(json.dumps(geo, ensure_ascii=False), encoding="utf-8")
    # The data folder's description is authored Markdown that the method page shows.
    readme = target / "README.md"
    text = readme.read_text(encoding="utf-8")
    readme.write_text(
        text.replace("## Översikt\n", f"## Översikt\n\n{payload('readme')}\n", 1), encoding="utf-8"
    )
    return target


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    """Two regions and the synthesis on hostile data, published with nbconvert; the Quarto
    project is written beside the run in every case."""
    from utvardering.batch import RunOptions, run_batch
    from utvardering.publish import publish

    base = tmp_path_factory.mktemp("fientlig")
    panel = pd.read_csv(DATA / PANEL, dtype=str, keep_default_na=False)
    firms = panel.loc[panel["lan_kod"].isin(REGIONS), "foretag_id"].drop_duplicates()
    firms = pd.concat([firms.iloc[:150], panel["foretag_id"].drop_duplicates().iloc[:150]])
    data = hostile_data(base / "data", panel[panel["foretag_id"].isin(firms)])
    out = base / "ut"
    summary = run_batch(
        RunOptions(
            data_dir=data,
            out_dir=out,
            regions=REGIONS,
            notebook_dir=ROOT / "notebooks",
            workers=2,
        )
    )
    result = publish(
        out,
        base / "site",
        data,
        regions=("07",),
        use_quarto=False,
        notebook_dir=ROOT / "notebooks",
    )
    return summary, result


# The escaped payload as it shows on a page (quotes may be entities or not).
ESCAPED = re.compile(r"&lt;img src=x onerror=alert\((?:'|&#x27;|&#39;)([a-z0-9_.]+)")
_SCRIPT = re.compile(r"<\s*script", re.IGNORECASE)
# The site's own search scripts (publish.search), the only scripts a page may load: an
# external file of the site, no inline code.
_OWN_SCRIPT = re.compile(
    r'<script src="(?:\.\./)*(?:sok-index|sok)\.js" defer></script>', re.IGNORECASE
)


class _Markup(HTMLParser):
    """The markup of a page (or of Markdown, where any tag is raw HTML) that runs script: a
    script element, an event handler attribute, the payload's image."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = [name for name, _ in attrs]
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        if any(name.startswith("on") for name in names):
            self.found.append(f"<{tag} {' '.join(names)}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")


def _raw_markup(text: str) -> list[str]:
    text = _OWN_SCRIPT.sub("", text)
    parser = _Markup()
    parser.feed(text)
    parser.close()
    return parser.found + [m.group(0) for m in _SCRIPT.finditer(text)]


def _notebook_texts(path: Path) -> list[tuple[str, str]]:
    """The parts of a notebook that a renderer shows as Markdown or HTML."""
    notebook = nbformat.read(path, as_version=4)
    parts = []
    for i, cell in enumerate(notebook.cells):
        if cell.cell_type in ("markdown", "raw"):
            parts.append((f"cell {i} source", cell.source))
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            assert "application/javascript" not in data, (path, i)
            for mime in ("text/html", "text/markdown", "image/svg+xml"):
                if mime in data:
                    parts.append((f"cell {i} {mime}", data[mime]))
    return parts


def _escaped_keys(text: str) -> set[str]:
    """The payloads shown as text; in Markdown escape_md's backslashes are dropped first."""
    return {m.group(1) for m in ESCAPED.finditer(text.replace("\\", ""))}


@pytest.mark.karna
def test_every_job_ran(hostile_site):
    summary, result = hostile_site
    statuses = {r.job: r.status for r in summary.results}
    assert set(statuses.values()) == {"klar"}, summary.results
    assert "riket/syntes" in statuses
    # every region report for each region, and the synthesis (the reports from the registry)
    kinds = report_types().values()
    region_reports = sum(1 for k in kinds if k.level == "region")
    assert result.report_pages == region_reports * len(REGIONS) + 1


@pytest.mark.karna
def test_no_payload_is_markup_on_the_nbconvert_site(hostile_site):
    _, result = hostile_site
    pages = sorted(result.site_dir.rglob("*.html"))
    assert len(pages) > 20
    found: set[str] = set()
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert not _raw_markup(text), (page.relative_to(result.site_dir), _raw_markup(text)[:3])
        found |= _escaped_keys(text)
    _assert_shown(found)


@pytest.mark.karna
def test_no_payload_is_markup_in_the_quarto_project(hostile_site):
    _, result = hostile_site
    project = result.quarto_project
    found: set[str] = set()
    files = [*sorted(project.rglob("*.qmd")), project / "_quarto.yml"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not _raw_markup(text), (path.relative_to(project), _raw_markup(text)[:3])
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    menu = next(i for i in config["website"]["navbar"]["left"] if "menu" in i)["menu"]
    assert any("&lt;img src=x" in item["text"] for item in menu)
    notebooks = sorted(project.rglob("*.ipynb"))
    region_reports = sum(1 for k in report_types().values() if k.level == "region")
    assert len(notebooks) == region_reports * len(REGIONS) + 1
    for path in notebooks:
        for where, text in _notebook_texts(path):
            assert not _raw_markup(text), (path.relative_to(project), where, _raw_markup(text)[:3])
            found |= _escaped_keys(text)
    for path in files:
        found |= _escaped_keys(path.read_text(encoding="utf-8"))
    _assert_shown(found)


def _assert_shown(found: set[str]) -> None:
    """The escaped payload of the fields that the reports show is on the pages."""
    prefixes = {
        "mognadsmodell.uppfoljning_utvardering.namn",  # a dimension name (synthesis and region)
        "mognadsmodell.uppfoljning_utvardering.beskrivning",
        "effektkedjor.infrastruktur.namn",  # a chain name
        "effektkedjor.investeringar_antal.namn",  # an indicator name
        "enkatsvar.kommentar.",
        "projekt.projektnamn.",  # in tables, shown whole
        "projekt.stodmottagare.",
        "rus.",  # a county's RUS priority (the thematic report)
        "lan.lan_namn.",
        "readme",
    }
    missing = [p for p in prefixes if not any(k.startswith(p) for k in found)]
    assert not missing, missing


@pytest.mark.karna
def test_synthesis_page_shows_dimension_names_as_text(hostile_site):
    """Issue #18: the dimension names on the national synthesis page were raw HTML."""
    _, result = hostile_site
    page = (result.site_dir / "syntes.html").read_text(encoding="utf-8")
    assert not _raw_markup(page)
    keys = _escaped_keys(page)
    assert any(k.startswith("mognadsmodell.") and k.endswith(".namn") for k in keys), keys


@pytest.mark.langsam
def test_restricted_columns_refuse_the_payload(tmp_path, small_panel):
    """Columns of codes and allowed values cannot carry the payload: validation refuses it."""
    from utvardering.dataset import load_dataset

    target = tmp_path / "data"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns(PANEL))
    small_panel.to_csv(target / "foretagspanel.csv", index=False)
    expected = set()
    for table, columns in _restricted_columns().items():
        path = target / f"{table}.csv"
        if not path.is_file():
            path = target / "foretagspanel.csv" if table == "foretagspanel" else path
        if not columns or not path.is_file():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in columns:
            frame.loc[0, column] = payload(f"{table}.{column}")
            expected.add((path.name, column))
        frame.to_csv(path, index=False)
    assert expected
    with pytest.raises(DataValidationError) as caught:
        load_dataset(target)
    refused = {(issue.file, issue.column) for issue in caught.value.issues}
    assert expected <= refused, expected - refused


@pytest.mark.langsam
def test_hostile_data_is_valid_otherwise(tmp_path, small_panel):
    """The hostile copy passes validation, so every payload reaches the reports."""
    from utvardering.dataset import load_dataset

    data = hostile_data(tmp_path / "data", small_panel)
    ds = load_dataset(data)
    assert ds.mognadsmodell.dimensions[0].name.endswith("</script>")
    assert ds.effektkedjor.chains[0].name.endswith("</script>")
    assert ds.projekt["projektnamn"].str.contains("onerror").all()
    assert ds.projekt["arende_id"].str.contains("onerror").all()
    assert ds.foretagspanel["foretag_id"].str.contains("onerror").all()


# --- the sanitizer's rules, one by one ------------------------------------------------------

XSS = "<script>alert(1)</script>"


def test_markdown_loses_raw_html_outside_code():
    from utvardering.publish.sanitize import clean_markdown

    text = f"Text {XSS} <img src=x onerror=alert(1)> <!-- c --> <!DOCTYPE x> </b> <?php"
    cleaned = clean_markdown(text)
    assert not _raw_markup(cleaned)
    assert cleaned.count("&lt;") == 7
    # a "<" that starts no tag stays as it is: comparisons and arrows read as written
    assert clean_markdown("1 < 2 och a <= b, 3<4") == "1 < 2 och a <= b, 3<4"
    assert clean_markdown("\\\\<b>x") == "\\\\&lt;b>x"  # an escaped backslash, then a tag
    assert clean_markdown("\\<b>x") == "&lt;b>x"  # an escaped "<" is text either way


def test_markdown_keeps_code_spans_and_fenced_code():
    from utvardering.publish.sanitize import clean_markdown

    assert clean_markdown("Kör `a <b> c` nu") == "Kör `a <b> c` nu"
    assert clean_markdown("``x ` <b> ``") == "``x ` <b> ``"
    fenced = "Före\n\n```python\nx = '<b>'\n```\nEfter <b>"
    assert clean_markdown(fenced) == "Före\n\n```python\nx = '<b>'\n```\nEfter &lt;b>"


def test_markdown_code_spans_that_renderers_may_not_see_are_not_trusted():
    from utvardering.publish.sanitize import clean_markdown

    # an unmatched backtick does not open a span
    assert clean_markdown("a ` <b>") == "a ` &lt;b>"
    # spans end at the line and at a table's cell border
    assert clean_markdown("`a\n<b>`") == "`a\n&lt;b>`"
    assert clean_markdown("| `a | <b> | b` |") == "| `a | &lt;b> | b` |"
    # an escaped backtick is text
    assert clean_markdown("\\` <b> `") == "\\` &lt;b> `"
    # a fence that is not closed, or not at the margin after a blank line, is not code
    assert clean_markdown("```\n<b>") == "```\n&lt;b>"
    assert clean_markdown("- a\n  ```\n<b>\n  ```") == "- a\n  ```\n&lt;b>\n  ```"
    # a fence ends at the first line that may close it (CommonMark allows an indented one)
    hostile = "\n```\nx\n  ```\n<b>\n```"
    assert clean_markdown(hostile) == "\n```\nx\n  ```\n&lt;b>\n```"


def test_markdown_gets_no_pandoc_attributes_or_raw_blocks():
    from utvardering.publish.sanitize import clean_markdown

    assert clean_markdown("[x]{onclick=alert(1)}") == "[x]\\{onclick=alert(1)}"
    assert clean_markdown("`<b>`{=html}") == "`<b>`\\{=html}"
    assert clean_markdown("\n```{=html}\n<script>\n```") == "\n```\n<script>\n```"
    assert clean_markdown("\n``` {.x onload=y}\nz\n```") == "\n```\nz\n```"


def test_markdown_links_cannot_run_script():
    from utvardering.publish.sanitize import clean_markdown

    assert clean_markdown("[a](javascript:alert(1))") == "[a](#)"
    assert clean_markdown("[a](JaVaScRiPt:alert(1))") == "[a](#)"
    assert clean_markdown("[a](&#106;avascript:alert(1))") == "[a](#)"
    assert clean_markdown("![a](data:text/html,x)") == "![a](#)"
    assert clean_markdown("[a](\n  vbscript:x)") == "[a](\n  #)"
    assert clean_markdown("[r]: javascript:alert(1)") == "[r]: #"
    assert clean_markdown("<javascript:alert(1)>") == "&lt;javascript:alert(1)>"
    kept = "[Status](../status.html) [SCB](https://www.scb.se) [x](#avsnitt)"
    assert clean_markdown(kept) == kept


def test_markdown_cleaning_is_idempotent_and_keeps_escaped_text():
    from utvardering.format import escape_md
    from utvardering.publish.sanitize import clean_markdown

    for text in (escape_md(f"Län {XSS} [a](javascript:x) {{y}}"), "`<b>` och <i> {z}"):
        once = clean_markdown(text)
        assert clean_markdown(once) == once
    escaped = escape_md(f"Län {XSS}")
    assert clean_markdown(escaped) == escaped


def test_html_allow_list():
    from utvardering.publish.sanitize import clean_html

    figure = (
        '<figure class="utv-figur"><img src="data:image/png;base64,iVBORw0KGgo=" alt="a &lt;b&gt;" '
        'style="max-width:100%;height:auto"><figcaption>T</figcaption></figure>'
    )
    kept = clean_html(figure)
    assert 'src="data:image/png;base64,iVBORw0KGgo="' in kept and 'alt="a &lt;b&gt;"' in kept
    assert "max-width:100%" in kept and "<figcaption>T</figcaption>" in kept
    table = '<table class="t"><thead><tr><th colspan="2">A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'  # noqa: E501
    assert clean_html(table) == table
    hostile = (
        f'{XSS}<img src=x onerror=alert(1)><a href="javascript:alert(1)">a</a>'
        '<a href="data:text/html,x">b</a><img src="data:image/svg+xml,&lt;svg&gt;">'
        '<div onclick="x" style="background:url(javascript:x)">c</div><iframe src="/"></iframe>'
        '<style>body{}</style><svg onload="x"></svg><!-- c -->'
    )
    cleaned = clean_html(hostile)
    assert not _raw_markup(cleaned)
    for bad in ("javascript", "data:text", "svg+xml", "onclick", "<iframe", "<style", "<!--"):
        assert bad not in cleaned, bad
    assert "`" not in clean_html("<p>```</p>")
    # an inline image's data survives whole; as a link target it is dropped
    png = "data:image/png;base64," + "iVBORw0KGgo" * 20
    assert f'src="{png}"' in clean_html(f'<img src="{png}" alt="a">')
    assert "href" not in clean_html(f'<a href="{png}">x</a>')


def test_notebook_outputs_are_cleaned_and_unknown_types_dropped():
    from utvardering.publish.sanitize import clean_notebook

    notebook = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("x")
    code.outputs = [
        nbformat.v4.new_output(
            "display_data",
            {
                "text/markdown": f"# Rubrik {XSS}",
                "text/html": XSS + "<p>ok</p>",
                "application/javascript": "alert(1)",
                "image/svg+xml": "<svg onload='alert(1)'/>",
                "text/plain": XSS,
            },
            metadata={"image/png": {"width": "1 onerror=alert(1)", "height": 20}, "x": XSS},
        )
    ]
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"Text {XSS}"),
        nbformat.v4.new_raw_cell(XSS),
        code,
    ]
    clean_notebook(notebook)
    assert [c.cell_type for c in notebook.cells] == ["markdown", "code"]
    assert "&lt;script" in notebook.cells[0].source
    data = notebook.cells[1].outputs[0].data
    assert set(data) == {"text/markdown", "text/html", "text/plain"}
    assert not _raw_markup(data["text/markdown"]) and not _raw_markup(data["text/html"])
    assert "<p>ok</p>" in data["text/html"]
    assert notebook.cells[1].outputs[0].metadata == {"image/png": {"height": 20}}


def test_quarto_config_and_titles_are_escaped(tmp_path):
    from utvardering.publish.content import Block, NotebookPage, Page, SiteContent
    from utvardering.publish.quarto import write_quarto_project
    from utvardering.vocabulary import LAN_CODES

    name = f"Län {XSS}"
    content = SiteContent(
        title=f"Titel {XSS}",
        subtitle=f"Serie {XSS}",
        pages=(Page("index", name, (Block("md", f"Text {XSS}"),)),),
        notebooks=(),
        nav=((f"Start {XSS}", "index"),),
        region_names=dict.fromkeys(LAN_CODES, name),
    )
    config = write_quarto_project(
        content, tmp_path / "sajt", ROOT / "_quarto.yml", ROOT / "rapportmallar"
    )
    assert not _raw_markup(config.read_text(encoding="utf-8"))
    assert "&lt;script&gt;" in config.read_text(encoding="utf-8")
    page = (tmp_path / "sajt" / "index.qmd").read_text(encoding="utf-8")
    assert not _raw_markup(page) and page.count("&lt;script") == 2
    assert NotebookPage  # the report pages' front matter is tested on the hostile run


def test_escaped_data_cannot_start_a_block():
    """A line break in data would let it start a heading, a list or a code fence."""
    from utvardering.format import escape_md

    text = escape_md("Namn\n\n# Rubrik\r\n```\n- punkt\n    kod")
    assert "\n" not in text and "\r" not in text
    assert text == "Namn \\# Rubrik \\`\\`\\` - punkt kod"
