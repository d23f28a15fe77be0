"""The one boundary where content becomes page text.

Every Markdown block of a site page and every cell and output of a published report notebook
passes through here (in :mod:`utvardering.publish.content`), so the Quarto project and the
nbconvert site get the same cleaned content. The text layers escape data with
:func:`~utvardering.format.escape_md`; this module makes sure that a text that slipped through
unescaped still cannot become markup:

- **Markdown** (:func:`clean_markdown`) may hold no raw HTML: a ``<`` that starts a tag, a
  comment or a declaration becomes ``&lt;`` outside code spans and fenced code blocks. A ``{``
  becomes ``\\{`` there too, so that no Pandoc attribute (``{onclick=...}``) or raw block
  (``{=html}``) can form, fence info strings keep only a language name, and link targets with
  a ``javascript:``, ``vbscript:``, ``data:`` or ``file:`` scheme become ``#``. The rules are
  idempotent: text already escaped by ``escape_md`` passes unchanged.
- **HTML** (:func:`clean_html`) goes through an allow-list sanitizer (bleach): the markup our
  own figures and tables need stays (``img`` with an inline ``data:image`` source and alt text,
  table markup, ``figure``/``figcaption``, ``div``/``span`` with a class); scripts, styles,
  event handlers and other URL schemes go. The report tables (great-tables markup from
  :func:`utvardering.tables.table_html`: GT's classes, ``scope`` on headings, a ``colgroup``
  of widths, ``text-align`` on numeric cells) pass unchanged; GT's per-table ``<style>`` is
  never written (``rapportmallar/tabeller.css`` has its rules) and would be removed here.
  Backticks become entities, so that HTML that Quarto wraps in a raw block cannot end it.
- **Notebooks** (:func:`clean_notebook`): Markdown cells and ``text/markdown`` outputs as
  Markdown, ``text/html`` outputs as HTML; raw cells and outputs of any other rich type
  (JavaScript, SVG, LaTeX, widgets) are dropped, and of output metadata only an image's size
  stays.
- **Plain text** in a context that Quarto may read as HTML (``_quarto.yml`` navigation and
  footer): :func:`plain_html`.

Only HTML that the site generates itself (``Block`` kind ``"html"``) bypasses this module, and
those builders escape every data value they interpolate.
"""

from __future__ import annotations

import functools
import html
import re
import secrets
from typing import Any

from bleach.css_sanitizer import CSSSanitizer
from bleach.sanitizer import Cleaner

__all__ = [
    "ALLOWED_MIME",
    "clean_html",
    "clean_markdown",
    "clean_notebook",
    "plain_html",
    "safe_url",
]

# Output types a published notebook keeps; everything else (application/javascript,
# image/svg+xml, text/latex, widget views) is dropped.
ALLOWED_MIME = frozenset({"text/plain", "text/markdown", "text/html", "image/png", "image/jpeg"})

_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_TAG_START = re.compile(r"[A-Za-z/!?]")
_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_LANGUAGE = re.compile(r"^[\w+.-]*")
# A link's target (inline or in a reference definition), which may follow on the next line.
_INLINE_LINK = re.compile(r"\]\([ \t]*\n?[ \t]*(?=\S)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\n?[ \t]*(?=\S)", re.MULTILINE)
_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
_INLINE_IMAGE = re.compile(r"(data:image/(?:png|jpeg|gif|webp);base64,)([A-Za-z0-9+/=]{64,})")


def safe_url(url: str) -> bool:
    """Whether a link target is safe: no script or data scheme, however it is disguised
    (entities, control characters, whitespace, case)."""
    decoded = _CONTROL.sub("", html.unescape(url))
    return not _UNSAFE_SCHEME.match(decoded)


def plain_html(text: object) -> str:
    """Plain text for a place where it may be read as HTML or Markdown (Quarto's navigation
    and footer): every tag shows as text."""
    return html.escape(str(text), quote=False)


# --- Markdown ----------------------------------------------------------------------------


def _closing_run(line: str, start: int, length: int) -> int:
    """The index of the next run of exactly ``length`` backticks after ``start`` on the line,
    or -1. A span may not hold a ``|``: table cells are split before code spans are found."""
    i = start
    while i < len(line):
        if line[i] == "|":
            return -1
        if line[i] == "`":
            j = i
            while j < len(line) and line[j] == "`":
                j += 1
            if j - i == length:
                return i
            i = j
        else:
            i += 1
    return -1


def _clean_inline(line: str) -> str:
    """One line outside fenced code: escape tag starts and braces outside code spans."""
    out: list[str] = []
    i = 0
    while i < len(line):
        char = line[i]
        if char == "\\" and i + 1 < len(line):
            nxt = line[i + 1]
            if nxt == "<":  # an escaped "<" is text; keep it text in every renderer
                out.append("&lt;")
            else:
                out.append(line[i : i + 2])
            i += 2
        elif char == "`":
            j = i
            while j < len(line) and line[j] == "`":
                j += 1
            end = _closing_run(line, j, j - i)
            if end < 0:
                out.append(line[i:j])
                i = j
            else:
                out.append(line[i : end + j - i])
                i = end + j - i
        elif char == "<" and i + 1 < len(line) and _TAG_START.match(line[i + 1]):
            out.append("&lt;")
            i += 1
        elif char == "{":
            out.append("\\{")
            i += 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def _destination_end(text: str, start: int) -> int:
    """The end of a link destination that starts at ``start`` (balanced parentheses)."""
    depth = 0
    i = start
    while i < len(text) and not text[i].isspace():
        if text[i] == "\\" and i + 1 < len(text):
            i += 2
            continue
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            if depth == 0:
                break
            depth -= 1
        i += 1
    return i


def _neutralise_links(text: str) -> str:
    """Replace every unsafe link target (inline or in a reference definition) with ``#``."""
    out: list[str] = []
    done = 0
    starts = [(m.end(), True) for m in _INLINE_LINK.finditer(text)]
    starts += [(m.end(), False) for m in _REFERENCE.finditer(text)]
    for start, inline in sorted(starts):
        if start < done:
            continue
        end = _destination_end(text, start) if inline else start + len(text[start:].split()[0])
        if end > start and not safe_url(text[start:end].replace("\\", "")):
            out += [text[done:start], "#"]
            done = end
    out.append(text[done:])
    return "".join(out)


def clean_markdown(text: str) -> str:
    """Markdown without raw HTML, Pandoc attributes or script links (see the module doc)."""
    lines = text.split("\n")
    out: list[str] = []
    prose: list[str] = []  # lines outside fenced code since the last fence

    def flush() -> None:
        if prose:
            out.append(_neutralise_links("\n".join(_clean_inline(p) for p in prose)))
            prose.clear()

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        blank_before = i == 0 or not lines[i - 1].strip()
        if fence and blank_before and not (fence.group(1)[0] == "`" and "`" in fence.group(2)):
            marker = fence.group(1)
            # The earliest line any renderer may take as the closing fence (CommonMark
            # allows three spaces before it): nothing after it is trusted as code.
            closing = re.compile(" {0,3}" + re.escape(marker[0]) + f"{{{len(marker)},}}[ \\t]*")
            close = next((k for k in range(i + 1, len(lines)) if closing.fullmatch(lines[k])), None)
            if close is not None:  # a closed fence at the margin: code in every renderer
                flush()
                language = _LANGUAGE.match(fence.group(2).strip()).group(0)
                out.append("\n".join([marker + language, *lines[i + 1 : close + 1]]))
                i = close + 1
                continue
        prose.append(line)
        i += 1
    flush()
    return "\n".join(out)


# --- HTML --------------------------------------------------------------------------------

_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "col", "colgroup", "dd",
        "del", "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3",
        "h4", "h5", "h6", "hr", "i", "img", "ins", "li", "ol", "p", "pre", "s", "small",
        "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "tr", "u", "ul",
    }
)  # fmt: skip
_GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "role"})
_TAG_ATTRIBUTES = {
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "style"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "style", "align", "scope"},
    "table": {"border", "style"},
    "col": {"span", "style"},
    "colgroup": {"span"},
    "ol": {"start"},
    "div": {"style"},
    "span": {"style"},
}
_CSS_PROPERTIES = frozenset(
    {
        "max-width", "width", "height", "min-width", "text-align", "vertical-align",
        "white-space", "font-weight", "font-style", "color", "background-color", "padding",
        "margin", "border", "border-collapse",
    }
)  # fmt: skip
_SCRIPT_OR_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _attribute_allowed(tag: str, name: str, value: str) -> bool:
    if name.startswith("aria-"):
        return True
    if name not in _GLOBAL_ATTRIBUTES and name not in _TAG_ATTRIBUTES.get(tag, ()):
        return False
    if name == "src":  # our figures are inline PNG; no image is fetched from elsewhere
        return bool(_IMAGE_DATA.match(value))
    if name == "href":
        return safe_url(value)
    return True


@functools.cache
def _cleaner():
    return Cleaner(
        tags=_TAGS,
        attributes=_attribute_allowed,
        # data: only survives for images (checked above); bleach checks the scheme as well
        protocols={"http", "https", "mailto", "data"},
        strip=False,
        strip_comments=True,
        css_sanitizer=CSSSanitizer(allowed_css_properties=_CSS_PROPERTIES),
    )


def clean_html(text: str) -> str:
    """HTML through the allow-list: what is not allowed shows as text or is dropped."""
    # Scripts and style sheets go whole (their content is no text to show); bleach escapes
    # any that this pattern does not catch.
    text = _SCRIPT_OR_STYLE.sub("", text)
    # The sanitizer is slow on long attribute values: inline images' base64 data (only
    # letters, digits, + / =, harmless anywhere) waits outside under a one-time name.
    images: dict[str, str] = {}
    nonce = secrets.token_hex(8)

    def park(match: re.Match) -> str:
        key = f"{nonce}x{len(images)}"
        images[key] = match.group(2)
        return match.group(1) + key

    text = _INLINE_IMAGE.sub(park, text)
    cleaned = _cleaner().clean(text).replace("`", "&#96;")
    if images:
        cleaned = re.sub(f"{nonce}x\\d+", lambda m: images.get(m.group(0), ""), cleaned)
    return cleaned


# --- Notebooks ---------------------------------------------------------------------------


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _output_metadata(metadata: Any) -> dict:
    """Only an image's size survives, as whole numbers: nbconvert's templates write it into an
    unquoted attribute, where a space would start an attribute of its own."""
    kept = {}
    for mime in ("image/png", "image/jpeg"):
        size = metadata.get(mime) if isinstance(metadata, dict) else None
        if isinstance(size, dict):
            kept[mime] = {
                k: v
                for k, v in size.items()
                if k in ("width", "height") and isinstance(v, int) and not isinstance(v, bool)
            }
    return kept


def clean_notebook(notebook):
    """Clean a notebook that is about to be published, in place; returns it."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "raw":
            continue
        if cell.cell_type == "markdown":
            cell.source = clean_markdown(_text(cell.source))
            cell.pop("attachments", None)
        for output in cell.get("outputs", []):
            data = output.get("data")
            if data is None:
                continue
            for mime in [m for m in data if m not in ALLOWED_MIME]:
                del data[mime]
            if "text/markdown" in data:
                data["text/markdown"] = clean_markdown(_text(data["text/markdown"]))
            if "text/html" in data:
                data["text/html"] = clean_html(_text(data["text/html"]))
            if "metadata" in output:
                output["metadata"] = _output_metadata(output["metadata"])
        cells.append(cell)
    notebook.cells = cells
    return notebook
