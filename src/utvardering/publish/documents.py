"""Each region's reports as one document for print and for boards: PDF (Pandoc to Typst, as
Quarto does) and Word (Pandoc)."""

from __future__ import annotations

__all__ = ["DOCUMENT_FORMATS", "document_name"]

# The document formats besides the HTML site, in the order they are built.
DOCUMENT_FORMATS = ("pdf", "docx")


def document_name(code: str, fmt: str) -> str:
    """The file name of a region's document, in the region's site folder
    (``regioner/<kod>/``): ``rapport_07.pdf``."""
    return f"rapport_{code}.{fmt}"
