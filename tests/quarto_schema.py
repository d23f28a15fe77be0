"""Quarto's own schema for _quarto.yml and a document's YAML, checked without Quarto.

The schema is the one Quarto ships (vendored in tests/data/quarto/, see its README); the
checks follow Quarto's validator (src/core/lib/yaml-validation/validator.ts): types, enums,
string patterns, closed objects (an unknown key is an error), property-name patterns,
``patternProperties`` with ``additionalProperties: false`` (an unknown format name),
required keys, anyOf/allOf and references.

On top of what Quarto rejects, ``strict`` (the default) reports a key that no schema on
its path names at all, in the open objects where Quarto lets it pass because a template
may read it (``format: html: tocc: true`` does nothing, silently). Quarto's own "near miss"
patterns for such keys (``(?!(^toc_depth$|...))``) are unanchored lookaheads that match
every name, so they reject nothing; the strict check is what catches ``toc_depth``. Our
generated YAML uses Quarto's own keys only, so such a key is a mistake there too.

Used by tests only::

    errors = check_project(yaml.safe_load(text))     # _quarto.yml
    errors = check_front_matter(meta)                # a .qmd's or notebook's front matter
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "quarto"
SCHEMA_FILE = DATA / "quarto-schema.json.gz"

__all__ = [
    "SchemaError",
    "check",
    "check_front_matter",
    "check_project",
    "front_matter",
    "quarto_commit",
]


@dataclass(frozen=True)
class SchemaError:
    path: tuple[str | int, ...]
    message: str
    quarto: bool  # True: Quarto rejects it; False: a key Quarto does not know (strict only)

    def __str__(self) -> str:
        where = ".".join(map(str, self.path)) or "(roten)"
        return f"{where}: {self.message}"


@functools.cache
def _document() -> dict:
    return json.loads(gzip.decompress(SCHEMA_FILE.read_bytes()))


def definitions() -> dict:
    return _document()["definitions"]


def quarto_commit() -> str:
    """The quarto-cli commit the vendored schema comes from."""
    return _document()["quarto-cli"]["commit"]


@functools.cache
def _regex(pattern: str) -> re.Pattern:
    # Quarto's patterns are JavaScript regexes tested with String.match: a search.
    return re.compile(pattern)


def _resolve(schema: object) -> object:
    seen = 0
    while isinstance(schema, dict) and schema.get("type") == "ref":
        schema = definitions()[schema["$ref"]]
        seen += 1
        if seen > 100:
            raise RuntimeError("referenscykel i Quartos schema")
    return schema


def _json(value: object) -> object:
    """A YAML value as Quarto's YAML reader gives it to the validator: dates stay text."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json(v) for v in value]
    return value


def _same(a: object, b: object) -> bool:
    """JavaScript's ===: true is not 1."""
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "ett sant/falskt-värde"
    if isinstance(value, int | float):
        return "ett tal"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "en lista"
    return "en mappning"


Path_ = tuple[str | int, ...]
_NAME_FORM = "nyckelns namn"


def _errors(value: object, schema: object, path: Path_) -> list[SchemaError]:
    """What Quarto's validator reports for ``value`` (empty: valid)."""
    schema = _resolve(schema)
    if schema is True:
        return []
    if schema is False:
        return [SchemaError(path, "inget värde är tillåtet här", True)]
    kind = schema.get("type")

    def wrong(expected: str) -> list[SchemaError]:
        return [SchemaError(path, f"ska vara {expected}, är {_kind(value)} ({value!r})", True)]

    if kind == "any":
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else wrong("true eller false")
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return wrong("ett tal")
        for key, ok in (
            ("minimum", lambda v, m: v >= m),
            ("maximum", lambda v, m: v <= m),
            ("exclusiveMinimum", lambda v, m: v > m),
            ("exclusiveMaximum", lambda v, m: v < m),
        ):
            if key in schema and not ok(value, schema[key]):
                return [SchemaError(path, f"{value} bryter mot {key} {schema[key]}", True)]
        return []
    if kind == "string":
        if not isinstance(value, str):
            return wrong("text")
        pattern = schema.get("pattern")
        if pattern is not None and not _regex(pattern).search(value):
            return [SchemaError(path, f"{value!r} följer inte mönstret {pattern}", True)]
        return []
    if kind == "null":
        return [] if value is None else wrong("null")
    if kind == "enum":
        if any(_same(value, v) for v in schema["enum"]):
            return []
        allowed = ", ".join(map(repr, schema["enum"][:12]))
        return [SchemaError(path, f"{value!r} är inte ett av {allowed}", True)]
    if kind == "anyOf":
        branches = [_errors(value, s, path) for s in schema["anyOf"]]
        if any(not b for b in branches):
            return []
        # Like Quarto's pruning: report the alternative that came furthest (its errors lie
        # deepest in the value), rather one that does not only dislike a key's name, then
        # the one with the fewest errors.
        return min(
            branches,
            key=lambda b: (
                -max(len(e.path) for e in b),
                all(e.message.startswith(_NAME_FORM) for e in b),
                len(b),
            ),
        )
    if kind == "allOf":
        return [e for s in schema["allOf"] for e in _errors(value, s, path)]
    if kind == "array":
        if not isinstance(value, list):
            return wrong("en lista")
        out: list[SchemaError] = []
        if "minItems" in schema and len(value) < schema["minItems"]:
            out.append(SchemaError(path, f"minst {schema['minItems']} element", True))
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            out.append(SchemaError(path, f"högst {schema['maxItems']} element", True))
        if "items" in schema:
            for i, item in enumerate(value):
                out += _errors(item, schema["items"], (*path, i))
        return out
    if kind == "object":
        return _object_errors(value, schema, path)
    raise RuntimeError(f"okänd schematyp {kind!r} i Quartos schema")


def _object_errors(value: object, schema: dict, path: Path_) -> list[SchemaError]:
    if not isinstance(value, dict):
        return [SchemaError(path, f"ska vara en mappning, är {_kind(value)} ({value!r})", True)]
    out: list[SchemaError] = []
    properties = schema.get("properties", {})
    if schema.get("closed"):
        out += [
            SchemaError((*path, key), f"okänd nyckel {key!r} (Quarto avvisar den)", True)
            for key in value
            if key not in properties
        ]
    inspected = set()
    for key, sub in properties.items():
        if key in value:
            inspected.add(key)
            out += _errors(value[key], sub, (*path, key))
    for pattern, sub in schema.get("patternProperties", {}).items():
        for key in value:
            if _regex(pattern).search(key):
                inspected.add(key)
                out += _errors(value[key], sub, (*path, key))
    if "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        for key in value:
            if key in inspected:
                continue
            if extra is False:
                out.append(SchemaError((*path, key), f"nyckeln {key!r} är inte tillåten", True))
            else:
                out += _errors(value[key], extra, (*path, key))
    if "propertyNames" in schema:
        for key in value:
            if _errors(key, schema["propertyNames"], (*path, key)):
                out.append(
                    SchemaError(
                        (*path, key),
                        f"{_NAME_FORM} {key!r} är inte tillåten här (fel namnform eller okänd)",
                        True,
                    )
                )
    for key in schema.get("required", []):
        if key not in value:
            out.append(SchemaError(path, f"nyckeln {key!r} saknas", True))
    return out


# --- strict: keys that no schema on the path names -------------------------------------------


def _objects(value: object, schema: object) -> list[dict] | None:
    """The object schemas that apply to the mapping ``value``: through references, every
    part of an allOf, the alternatives of an anyOf that accept it. None: any key goes."""
    schema = _resolve(schema)
    if schema is True or not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if kind == "any":
        return None
    if kind == "object":
        return [schema]
    if kind in ("allOf", "anyOf"):
        parts = schema[kind]
        if kind == "anyOf":
            parts = [s for s in parts if not _errors(value, s, ())]
        found: list[dict] = []
        for part in parts:
            objects = _objects(value, part)
            if objects is None:
                return None
            found += objects
        return found
    return []


def _children(value: object, schema: object) -> list[object]:
    """The schemas that apply to a list item or one value of a mapping (see _unknown)."""
    schema = _resolve(schema)
    if not isinstance(schema, dict):
        return []
    kind = schema.get("type")
    if kind in ("allOf", "anyOf"):
        parts = schema[kind]
        if kind == "anyOf":
            parts = [s for s in parts if not _errors(value, s, ())]
        return parts
    return [schema]


def _unknown(value: object, schemas: list[object], path: Path_) -> list[SchemaError]:
    """Keys of ``value`` that none of ``schemas`` (all of which apply to it) names."""
    flat: list[object] = []
    todo = list(schemas)
    while todo:
        schema = _resolve(todo.pop())
        if isinstance(schema, dict) and schema.get("type") in ("allOf", "anyOf"):
            todo += _children(value, schema)
        else:
            flat.append(schema)
    out: list[SchemaError] = []
    if isinstance(value, list):
        items = [s["items"] for s in flat if isinstance(s, dict) and "items" in s]
        for i, item in enumerate(value):
            out += _unknown(item, items, (*path, i))
        return out
    if not isinstance(value, dict):
        return out
    objects: list[dict] = []
    for schema in flat:
        found = _objects(value, schema)
        if found is None:
            return out  # some schema here takes any key
        objects += found
    for key, item in value.items():
        subs: list[object] = []
        open_ = False
        for obj in objects:
            if key in obj.get("properties", {}):
                subs.append(obj["properties"][key])
            matched = [
                s for p, s in obj.get("patternProperties", {}).items() if _regex(p).search(key)
            ]
            subs += matched
            extra = obj.get("additionalProperties")
            if not matched and key not in obj.get("properties", {}) and extra not in (None, False):
                subs.append(extra)
            if extra is None and not obj.get("properties") and not obj.get("patternProperties"):
                open_ = True  # a plain "object": anything
        if not subs and not open_ and objects:
            out.append(SchemaError((*path, key), f"okänd nyckel {key!r} för Quarto", False))
            continue
        out += _unknown(item, subs, (*path, key))
    return out


def check(value: object, schema_id: str, strict: bool = True) -> list[SchemaError]:
    """Errors of ``value`` against the named schema of Quarto (empty list: valid)."""
    value = _json(value)
    errors = _errors(value, definitions()[schema_id], ())
    if strict and not errors:
        errors = _unknown(value, [definitions()[schema_id]], ())
    return list(dict.fromkeys(errors))  # allOf can reach one schema twice


def check_project(config: object, strict: bool = True) -> list[SchemaError]:
    """A _quarto.yml (parsed), as Quarto checks a project's configuration."""
    return check(config, "project-config", strict)


def check_front_matter(meta: object, strict: bool = True) -> list[SchemaError]:
    """A document's front matter (parsed), as Quarto checks it."""
    return check(meta, "front-matter", strict)


def front_matter(text: str) -> object:
    """The YAML front matter of a .qmd (or of a notebook's first raw cell)."""
    match = re.match(r"---\r?\n(.*?)\r?\n---\s*(\n|$)", text, re.S)
    if match is None:
        raise ValueError("ingen YAML-front matter (---) i början")
    return yaml.safe_load(match.group(1))
