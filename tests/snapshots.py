"""Snapshot files for what readers see: a report section's text, pinned beside the tests.

``assert_snapshot("mognad/oversikt", text)`` compares ``text`` with
``tests/snapshots/mognad/oversikt.txt``. A difference fails the test and shows a diff, so that a
change to the reports' text is seen in review. To accept a change on purpose, run the tests
with ``UPPDATERA_SNAPSHOTS=1`` and commit the changed files.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"
UPDATE = os.environ.get("UPPDATERA_SNAPSHOTS") == "1"


def assert_snapshot(name: str, text: str) -> None:
    """Fail with a diff unless ``text`` equals the snapshot ``name`` (written when updating)."""
    path = SNAPSHOTS / f"{name}.txt"
    text = text.rstrip("\n") + "\n"
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), (
        f"Snapshot {path.relative_to(SNAPSHOTS.parent)} saknas; skapa den med "
        "UPPDATERA_SNAPSHOTS=1 pytest …"
    )
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                text.splitlines(keepends=True),
                fromfile=f"snapshots/{name}.txt",
                tofile="nu",
            )
        )
        raise AssertionError(f"Texten i {name} har ändrats:\n{diff}")
