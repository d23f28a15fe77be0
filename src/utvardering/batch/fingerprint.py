"""Content hashes that decide whether a job must run again.

A job's fingerprint covers everything its output depends on: the notebook's source, the
parameters, the input data it reads (per table, the whole file or only its region's rows), the
package's code and version, and the versions of the libraries it runs on.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import utvardering
from utvardering.defaults import TABLE_SUFFIXES
from utvardering.versions import installed_version

__all__ = [
    "DEPENDENCIES",
    "code_hash",
    "data_file_hashes",
    "dependency_versions",
    "file_hash",
    "file_stat",
    "git_commit",
    "notebook_hash",
    "region_row_hashes",
    "sha256_text",
]

# The libraries whose version changes what a report computes or shows.
DEPENDENCIES = (
    "numpy",
    "pandas",
    "pandera",
    "matplotlib",
    "statsmodels",
    "scipy",
    "pyyaml",
    "openpyxl",
    "papermill",
    "nbclient",
    "nbformat",
    "nbconvert",
    "ipykernel",
)


def sha256_text(value: Any) -> str:
    """The SHA-256 of a JSON-serialisable value in canonical form."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_stat(path: Path) -> list[int]:
    """What changes whenever a file is written or replaced: its inode, size, and modification
    and change times in nanoseconds (the change time cannot be set back by a program)."""
    stat = Path(path).stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns]


def data_file_hashes(data_dir: Path) -> dict[str, str]:
    """Each file of the data folder by its table name (file stem), hashed by content."""
    hashes = {}
    for path in sorted(Path(data_dir).iterdir()):
        if not path.is_file() or path.name.startswith(".") or path.name == "README.md":
            continue
        name = path.name
        for suffix in (*TABLE_SUFFIXES, ".yaml", ".geojson"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
                break
        hashes["karta" if path.name.endswith(".geojson") else name] = file_hash(path)
    return hashes


def region_row_hashes(frame, column: str = "lan_kod") -> dict[str, str]:
    """A hash of each region's rows of a table (so that one region's change touches only it)."""
    import pandas as pd  # here: a run with nothing to do never loads pandas

    out = {}
    for code, rows in frame.groupby(column, sort=True):
        values = pd.util.hash_pandas_object(rows.reset_index(drop=True), index=False)
        out[str(code)] = hashlib.sha256(values.to_numpy().tobytes()).hexdigest()
    return out


def notebook_hash(path: Path) -> str:
    """The notebook's source: its cells' types and sources and its utvardering metadata.
    Read once per version of the file (every job of a report hashes the same notebook)."""
    return _notebook_hash(str(Path(path).resolve()), tuple(file_stat(path)))


@cache
def _notebook_hash(path: str, version: tuple[int, ...]) -> str:
    # The file's JSON read as it is (nbformat's reader validates the whole notebook against
    # its schema, a tenth of a second per notebook); another format version goes through
    # nbformat, which converts it.
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict) or data.get("nbformat") != 4:
        import nbformat  # only for an older format (it loads jsonschema and more)

        notebook = nbformat.read(path, as_version=4)
        cells = [(c.cell_type, c.source) for c in notebook.cells]
        meta = notebook.metadata.get("utvardering", {})
    else:
        cells = [(c.get("cell_type"), _source(c.get("source", ""))) for c in data.get("cells", [])]
        meta = (data.get("metadata") or {}).get("utvardering", {})
    return sha256_text({"cells": cells, "meta": meta})


def _source(source: Any) -> str:
    """A cell's source, which the file may hold as a list of lines."""
    return "".join(source) if isinstance(source, list) else source


@cache
def code_hash() -> str:
    """The package's own source files (so an edited function reruns its reports)."""
    root = Path(utvardering.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def dependency_versions() -> dict[str, str]:
    """The installed versions of utvardering and its libraries."""
    out = {"utvardering": utvardering.__version__}
    for name in DEPENDENCIES:
        out[name] = installed_version(name) or "saknas"
    return out


@cache
def git_commit(folder: str = ".") -> str | None:
    """The commit of the checkout the run is made from, with '+ändrad' if it has changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=5
        )
        if commit.returncode != 0:
            return None
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=5,
        )
        return commit.stdout.strip() + ("+ändrad" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None
