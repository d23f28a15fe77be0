"""Write quarto-schema.json.gz from a checkout of quarto-cli (see README.md in this folder).

    python tests/data/quarto/update_schema.py /path/to/quarto-cli [COMMIT]

The source is the schema Quarto compiles from ``src/resources/schema/*.yml`` and ships in
``src/resources/editor/tools/yaml/all-schema-definitions.json``: every named schema, as
Quarto's own validator reads it. Kept here: the schemas that ``project-config`` (the
_quarto.yml) and ``front-matter`` (a document's YAML) reach through their references,
without the fields that only the editor uses (documentation, completions, tags, ids for
error messages), so that the file stays small. Nothing that decides validity is changed.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

SOURCE = "src/resources/editor/tools/yaml/all-schema-definitions.json"
ROOTS = ("project-config", "front-matter")
# Fields that only the editor and the error messages use; the validator never reads them.
EDITOR_ONLY = {
    "_internalId",
    "completions",
    "description",
    "documentation",
    "errorMessage",
    "exhaustiveCompletions",
    "tags",
}
TARGET = Path(__file__).with_name("quarto-schema.json.gz")


def _git(repo: str, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True, text=True
    ).stdout


def _strip(schema: object, refs: set[str]) -> object:
    if isinstance(schema, dict):
        if schema.get("type") == "ref":
            refs.add(schema["$ref"])
        return {k: _strip(v, refs) for k, v in schema.items() if k not in EDITOR_ONLY}
    if isinstance(schema, list):
        return [_strip(v, refs) for v in schema]
    return schema


def reduce(definitions: dict) -> dict:
    """The definitions that ROOTS reach, without the editor's fields."""
    kept: dict = {}
    todo = list(ROOTS)
    while todo:
        name = todo.pop()
        if name in kept:
            continue
        refs: set[str] = set()
        kept[name] = _strip(definitions[name], refs)
        todo.extend(sorted(refs - set(kept)))
    return dict(sorted(kept.items()))


def main(repo: str, commit: str = "HEAD") -> None:
    commit = _git(repo, "rev-parse", f"{commit}^{{commit}}").strip()
    definitions = json.loads(_git(repo, "show", f"{commit}:{SOURCE}"))
    document = {
        "quarto-cli": {"commit": commit, "source": SOURCE, "roots": list(ROOTS)},
        "definitions": reduce(definitions),
    }
    data = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    TARGET.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{TARGET.name}: {len(document['definitions'])} scheman från {commit}")


if __name__ == "__main__":
    main(*sys.argv[1:])
