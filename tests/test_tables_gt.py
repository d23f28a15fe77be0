"""Report tables as readers see them: great-tables markup, Swedish numbers, no row index,
numeric columns right-aligned, full names; markup that passes the sanitizer unchanged and that
Pandoc reads as a real table (the PDF and Word route); the style sheet that styles it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from utvardering.protocol import ReportTable, Section, show_table, table_styler
from utvardering.publish.sanitize import clean_html
from utvardering.tables import display_frame, numeric_columns, table_html, table_text

ROOT = Path(__file__).resolve().parents[1]
CSS = ROOT / "rapportmallar" / "tabeller.css"
NBSP = "\u00a0"
LONG = "Ett mycket långt projektnamn som inte får kortas av tabellen i rapporten " * 3


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Län": ["Stockholms län", "Kronobergs län", LONG.strip()],
            "Beviljat belopp (mnkr)": [f"2{NBSP}857,8", "18,7", "–"],
            "Plats (1 = högst)": ["5 av 21", "1 av 21", "21 av 21"],
            "Intervall": ["3,0–3,7", "0,69 till 0,74", "−1,2 till 0,4"],
            "Status": ["Når målet", "Osäkert", "Saknar data"],
        },
        index=[7, 8, 9],  # a frame that was filtered: its index must not show
    )


def _cells(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.S)


def test_the_table_has_no_row_index_no_style_block_and_no_ids():
    html = table_html(_frame())
    assert html.count("<table") == 1 and "<thead>" in html and "<tbody" in html
    assert "<style" not in html and " id=" not in html and "headers=" not in html
    assert "row_heading" not in html and "index_name" not in html and "blank" not in html
    head, body = html.split("</thead>")
    assert head.count("<tr") == 1 and "<td" not in head and "<th" not in body
    assert _cells(head, "th") == list(_frame().columns)
    first_row = body.split("</tr>")[0]
    assert _cells(first_row, "td")[0] == "Stockholms län"  # not "7"


def test_numeric_columns_are_right_aligned_and_text_left():
    html = table_html(_frame())
    numeric = ["Beviljat belopp (mnkr)", "Plats (1 = högst)", "Intervall"]
    assert numeric_columns(display_frame(_frame())) == numeric
    heads = re.findall(r"<th\b([^>]*)>(.*?)</th>", html)
    for attributes, name in heads:
        right = name in numeric
        assert ("gt_right" in attributes) is right, name
        assert ('style="text-align: right;"' in attributes) is right, name
        assert ("gt_left" in attributes) is (not right), name
    rows = re.findall(r"<td\b([^>]*)>", html)
    assert sum("gt_right" in r for r in rows) == 3 * len(numeric)


def test_text_columns_with_a_number_here_and_there_stay_left():
    shown = pd.DataFrame({"Mål": ["12,1", "Öka till 12,1 år 2025"], "År": ["2014", "2021"]})
    assert numeric_columns(shown) == ["År"]


def test_long_names_are_whole_and_cells_and_headings_escaped():
    hostile = '<img src=x onerror="alert(1)"> *fet*'
    frame = pd.DataFrame({hostile: [LONG], "Namn": [hostile]})
    html = table_html(frame)
    assert LONG.strip() in html and "…" not in html and "..." not in html
    assert "<img" not in html and html.count("&lt;img src=x onerror=") == 2


def test_numbers_are_written_the_swedish_way():
    frame = pd.DataFrame(
        {
            "Belopp (kr)": [18694500.0, -1234.5, None],
            "Projekt": [3, 12000, 7],
            "Andel": [0.012, 0.5, 1.0],
            "Klar": [True, False, True],
        }
    )
    shown = display_frame(frame)
    assert list(shown["Belopp (kr)"]) == [f"18{NBSP}694{NBSP}500,0", f"−1{NBSP}234,5", "–"]
    assert list(shown["Projekt"]) == ["3", f"12{NBSP}000", "7"]
    assert list(shown["Andel"]) == ["0,01", "0,50", "1,00"]
    assert list(shown["Klar"]) == ["ja", "nej", "ja"]
    assert "18694500" not in table_html(frame) and "." not in "".join(shown["Andel"])
    assert table_text(frame).splitlines()[0].split()[0] == "Belopp"  # no index column


def test_the_sanitizer_keeps_the_table_as_it_is():
    html = table_html(_frame())
    assert clean_html(html) == html
    # and still removes what does not belong in a table
    hostile = html.replace("<td ", '<td onclick="x" ', 1).replace(
        "</table>", "<script>x</script></table>"
    )
    cleaned = clean_html(hostile)
    assert "onclick" not in cleaned and "<script" not in cleaned


def test_pandoc_reads_a_real_table_with_the_alignment():
    pypandoc = pytest.importorskip("pypandoc")
    html = table_html(_frame())
    markdown = pypandoc.convert_text(html, "markdown", format="html")
    assert "<table" not in markdown and "Stockholms län" in markdown
    document = json.loads(pypandoc.convert_text(html, "json", format="html"))

    def tables(node):
        if isinstance(node, dict):
            if node.get("t") == "Table":
                yield node
            for value in node.values():
                yield from tables(value)
        elif isinstance(node, list):
            for value in node:
                yield from tables(value)

    [table] = list(tables(document["blocks"]))
    alignments = [spec[0]["t"] for spec in table["c"][2]]
    assert alignments == ["AlignDefault", "AlignRight", "AlignRight", "AlignRight", "AlignDefault"]
    widths = [spec[1] for spec in table["c"][2]]
    assert all(w["t"] == "ColWidth" for w in widths)  # the column widths reach PDF and Word
    assert sum(w["c"] for w in widths) == pytest.approx(1, abs=0.03)
    name, amount = widths[0]["c"], widths[1]["c"]
    assert name > amount  # the long names get the room
    head_rows = table["c"][3][1]
    [body] = table["c"][4]
    assert len(head_rows) == 1 and len(body[3]) == 3  # one heading row, three rows, no index


def test_the_style_sheet_styles_every_class_the_markup_uses():
    css = CSS.read_text(encoding="utf-8")
    classes = set()
    for value in re.findall(r'class="([^"]*)"', table_html(_frame())):
        classes.update(value.split())
    assert classes >= {"gt_table", "utv-gt", "utv-tabell", "gt_col_heading", "gt_row"}
    for name in classes - {
        "gt_table",
        "gt_columns_bottom_border",
        "gt_col_headings",
        "gt_table_body",
    }:
        assert f".{name}" in css, name
    assert "@media print" in css and "text-overflow: ellipsis" not in css
    assert css.count("{") == css.count("}")


def test_report_tables_and_bare_frames_show_through_great_tables(monkeypatch):
    import IPython.display

    shown: list[dict] = []

    def display(obj, **kwargs):
        if kwargs.get("raw"):
            shown.append(obj)
        elif hasattr(obj, "_ipython_display_"):
            obj._ipython_display_()

    monkeypatch.setattr(IPython.display, "display", display)
    Section("a", "Rubrik", (_frame(), "Text", ReportTable(_frame())))._ipython_display_()
    tables = [o["text/html"] for o in shown if "<table" in o.get("text/html", "")]
    assert len(tables) == 2 and tables[0] == tables[1] == table_html(_frame())
    plain = [o["text/plain"] for o in shown if "<table" in o.get("text/html", "")]
    assert all(not p.lstrip().startswith("7") and "Län" in p for p in plain)

    captured = []
    show_table(lambda obj, **_: captured.append(obj), _frame())
    assert captured[0]["text/html"] == table_html(_frame())
    assert table_styler(_frame()).to_html() == table_html(_frame())
    assert "gt_table" in table_styler(_frame()).gt.as_raw_html()


def test_an_empty_table_renders():
    html = table_html(pd.DataFrame({"Län": [], "Belopp (mnkr)": []}))
    assert "<thead>" in html and "Belopp (mnkr)" in html and "<td" not in html


def test_the_synthesis_coverage_table_shows_only_what_is_missing():
    from utvardering.synthesis.collect import REPORTS, Inclusion
    from utvardering.synthesis.coverage import Coverage
    from utvardering.synthesis.tables import table_coverage

    codes = ["01", "03", "07"]
    names = {"01": "Stockholms län", "03": "Uppsala län", "07": "Kronobergs län"}
    status = pd.DataFrame(
        {report: [Inclusion.INCLUDED] * 3 for report in REPORTS}, index=pd.Index(codes)
    )

    def coverage(status):
        return Coverage(status, {}, {}, {}, None)

    every = table_coverage(coverage(status), names)
    assert "Alla 3 län är med i alla 4 länsrapporter." in every.snapshot_text()
    assert len(every.data) == 3 and every.data.columns[0] == "Län"  # the workbook
    status.loc["03", "tema"] = Inclusion.NOT_RUN
    one = table_coverage(coverage(status), names)
    shown = one.formatted()
    assert list(shown["Län"]) == ["Uppsala län"]
    assert list(shown.columns) == ["Län", REPORTS["tema"].title]
    assert "de övriga 2 länen är med i alla" in one.caption
    assert len(one.data) == 3 and "lan_kod" not in one.data.columns


def test_industries_are_named_not_only_coded():
    from utvardering.effects.text import industry_label

    assert industry_label("C") == "C Tillverkning"
    assert industry_label("q") == "Q Vård och omsorg; sociala tjänster"
    assert industry_label("62") == "62"  # a code the list does not have stays as it is


def test_a_synthesis_column_with_one_value_in_every_row_becomes_a_sentence():
    from utvardering.synthesis.tables import Table

    data = pd.DataFrame(
        {
            "Dimension": ["A", "B", "Summa"],
            "Län med svar": [21, 21, 42],
            "Median": [3.0, 2.5, 2.8],
            "Län nedåt": [1, 1, 1],
        }
    )
    table = Table("Test", data, {"Län med svar": None}, uniform=("Län med svar",), total_rows=1)
    frame, sentence = table.visible()
    assert list(frame.columns) == ["Dimension", "Median", "Län nedåt"]  # only named columns go
    assert sentence == "Samma i alla rader och därför inte med som kolumn: Län med svar = 21."
    assert sentence in table.snapshot_text() and "Län med svar|" not in table.snapshot_text()
    assert list(table.data.columns) == list(data.columns)  # the workbook keeps the column
    varied = Table("Test", data.assign(**{"Län med svar": [20, 21, 41]}), uniform=("Län med svar",))
    assert varied.visible()[1] == "" and "Län med svar" in varied.visible()[0].columns


# Markers of a pandas row index or of a code where readers expect a name.
_INDEX_MARKUP = re.compile(r"row_heading|index_name|class=\"blank")
_CODE_HEADING = re.compile(r"[a-z]+(?:_[a-z]+)+|lan_kod|kommun_kod")


@pytest.mark.karna
def test_no_report_table_on_the_real_site_has_a_row_index_or_a_code_heading(published_real):
    """Every table of the region pages and the national pages of a run of the real notebooks
    is great-tables markup: no row index, headings in Swedish, no code column."""
    site, _ = published_real
    pages = sorted(site.site_dir.glob("regioner/*/*.html")) + sorted(site.site_dir.glob("*.html"))
    seen = 0
    for page in pages:
        if page.name in ("metod.html", "status.html"):  # the data documentation, not reports
            continue
        text = page.read_text(encoding="utf-8")
        for table in re.findall(r"<table\b.*?</table>", text, re.S):
            seen += 1
            assert "gt_table" in table.split(">", 1)[0], page
            assert not _INDEX_MARKUP.search(table), page
            for heading in _cells(table.split("</thead>")[0], "th"):
                assert not _CODE_HEADING.fullmatch(heading.strip()), (page, heading)
            assert "…" not in table, page
    assert seen > 20
