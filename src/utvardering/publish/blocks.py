"""The block of a site page: Markdown, or HTML that the site generated itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from utvardering.publish.sanitize import clean_markdown

__all__ = ["Block"]


@dataclass(frozen=True)
class Block:
    """A piece of a page: Markdown, or HTML that the site generated itself (never from data).

    Markdown is cleaned when the block is made (:func:`~utvardering.publish.sanitize.
    clean_markdown`), so no block of any page can carry raw HTML; HTML blocks are built only
    by this package, which escapes every value it puts in them.
    """

    kind: Literal["md", "html"]
    text: str

    def __post_init__(self) -> None:
        if self.kind == "md":
            object.__setattr__(self, "text", clean_markdown(self.text))
