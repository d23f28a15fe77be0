"""docs/resultatfiler.md describes every field of the shipped result schemas, and stays so.

The field tables of the page are made from the schemas themselves; this test fails when a
schema changes and the page does not. Rewrite the page with ``UPPDATERA_SNAPSHOTS=1``.
"""

from __future__ import annotations

import json
from importlib import resources

from conftest import ROOT
from snapshots import UPDATE

from utvardering.registry import report_types
from utvardering.results import RESULT_SCHEMA_VERSION

PAGE = ROOT / "docs" / "resultatfiler.md"
# Every report of the registry: the region reports in their order, then the national ones.
REPORT_ORDER = tuple(report_types())
MAX_DEPTH = 3

# The page's own text ends at this line; what follows it is made from the schemas.
MARKER = "<!-- Tabellerna nedan är gjorda från schemana (tests/test_result_docs.py). -->"


def _type(schema: dict) -> str:
    if "const" in schema:
        return f"`{json.dumps(schema['const'], ensure_ascii=False)}`"
    if "enum" in schema:
        return " \\| ".join(f"`{json.dumps(v, ensure_ascii=False)}`" for v in schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind:
        return kind
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(_type(s) for s in schema[key])
    return "any"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def _rows(schema: dict, path: str, required: bool, depth: int) -> list[str]:
    rows = []
    if path:
        name = f"**`{path}`**" if required else f"`{path}`"
        rows.append(f"| {name} | {_type(schema)} | {_cell(schema.get('description', ''))} |")
    if depth >= MAX_DEPTH:
        return rows
    variants = [schema, *schema.get("anyOf", []), *schema.get("oneOf", [])]
    for part in variants:
        props = part.get("properties", {})
        needed = set(part.get("required", ()))
        for key, sub in props.items():
            child = f"{path}.{key}" if path else key
            rows += _rows(sub, child, key in needed, depth + 1)
        items = part.get("items")
        if isinstance(items, dict) and (items.get("properties") or items.get("anyOf")):
            rows += _rows(items, f"{path}[]", True, depth + 1)[1:]
        extra = part.get("additionalProperties")
        if isinstance(extra, dict) and extra.get("properties"):
            rows += _rows(extra, f"{path}.<nyckel>", True, depth + 1)[1:]
    return rows


def expected_tables() -> str:
    parts = []
    folder = resources.files("utvardering").joinpath("result_schemas")
    for report in REPORT_ORDER:
        schema = json.loads(folder.joinpath(f"{report}.schema.json").read_text("utf-8"))
        parts.append(f"## `{report}.json`: {schema.get('title', report)}\n")
        parts.append(_cell(schema.get("description", "")) + "\n")
        parts.append("| field | type | meaning |\n|---|---|---|")
        parts.append("\n".join(_rows(schema, "", True, 0)) + "\n")
    return "\n".join(parts).rstrip() + "\n"


def test_every_report_has_a_documented_schema():
    folder = resources.files("utvardering").joinpath("result_schemas")
    shipped = sorted(
        p.name.removesuffix(".schema.json")
        for p in folder.iterdir()
        if p.name.endswith(".schema.json")
    )
    assert shipped == sorted(REPORT_ORDER)


def test_the_page_states_the_current_version():
    assert f"now {RESULT_SCHEMA_VERSION};" in PAGE.read_text(encoding="utf-8")


def test_the_page_describes_the_schemas():
    text = PAGE.read_text(encoding="utf-8")
    assert MARKER in text, f"docs/resultatfiler.md saknar raden {MARKER}"
    page = text.split(MARKER)[0] + MARKER + "\n\n" + expected_tables()
    if UPDATE:
        PAGE.write_text(page, encoding="utf-8")
    assert text == page, (
        "docs/resultatfiler.md stämmer inte med schemana; skriv om den med "
        "UPPDATERA_SNAPSHOTS=1 pytest tests/test_result_docs.py"
    )
