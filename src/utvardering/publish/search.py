"""The site-wide search of the nbconvert site, without a server: an index written at publish
time as a JavaScript file (``sok-index.js``, read with a ``<script>`` tag, so that the search
works from file:// too, where a page cannot fetch a JSON file) and a small script
(``rapportmallar/sok.js``) that searches it in the browser.

The index holds every page's title, its headings, the region names and the projects of the
data, each project once per region it works in, so that typing a project's name finds the
region. Every text is data: the script shows it as text, never as HTML."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["INDEX_FILE", "SCRIPT_FILE", "SearchEntry", "headings", "index_script", "write_index"]

INDEX_FILE = "sok-index.js"
SCRIPT_FILE = "sok.js"

# What each kind of entry is called in the result list, in the order results are ranked.
KINDS = {"lan": "Län", "sida": "Sida", "rubrik": "Avsnitt", "projekt": "Projekt"}

_HEADING = re.compile(r"<h([23])\b[^>]*>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class SearchEntry:
    """One hit: ``text`` is what matches and is shown, ``url`` the page (relative to the site
    root, with an anchor for a heading), ``kind`` a key of KINDS and ``where`` the page or
    region it belongs to (shown under the text, and searched as well)."""

    text: str
    url: str
    kind: str
    where: str = ""

    def as_list(self) -> list[str]:
        return [self.text, self.url, self.kind, self.where]


def headings(body: str) -> list[tuple[str, str]]:
    """The ``<h2>`` and ``<h3>`` headings of a rendered page: (text, id); the id is "" when
    the heading has none."""
    found = []
    for match in _HEADING.finditer(body):
        tag = match.group(0)
        ident = re.search(r'\bid="([^"]+)"', tag[: tag.index(">") + 1])
        text = html.unescape(_TAG.sub("", match.group(2))).replace("¶", "").strip()
        if text:
            found.append((" ".join(text.split()), html.unescape(ident.group(1)) if ident else ""))
    return found


def index_script(entries: list[SearchEntry]) -> str:
    """The index as a JavaScript file that sets ``window.UTV_SOKINDEX``. ``<`` is written as
    an escape so that no text in it can end a script element."""
    data = json.dumps(
        {"typer": KINDS, "poster": [e.as_list() for e in entries]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.UTV_SOKINDEX = {data};\n"


def write_index(site_dir: Path, entries: list[SearchEntry], template_dir: Path) -> None:
    """Write the index and the search script to the site root."""
    (site_dir / INDEX_FILE).write_text(index_script(entries), encoding="utf-8")
    script = (template_dir / SCRIPT_FILE).read_text(encoding="utf-8")
    (site_dir / SCRIPT_FILE).write_text(script, encoding="utf-8")
