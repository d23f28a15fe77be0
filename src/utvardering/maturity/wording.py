"""Phrases the maturity report's text and its figures' alt texts share.

Counts with their noun in the right number, ties named in full and the comparison with the
national median, so that a sentence reads the same in the text and in an alt text.
"""

from __future__ import annotations

import pandas as pd

from utvardering.format import counted, listed

__all__ = ["TIE", "dimensions", "median_comparison", "tied"]

TIE = 1e-9  # values closer than this are equal (float noise)


def dimensions(n: int) -> str:
    """ "en dimension", "2 dimensioner", "0 dimensioner"."""
    return "en dimension" if n == 1 else counted(n, "dimension", "dimensioner")


def tied(values: pd.Series, highest: bool = True) -> list:
    """The labels of every value equal to the highest (or lowest) one, in the series' order;
    empty for a series without values."""
    present = values.dropna().astype(float)
    if present.empty:
        return []
    best = present.max() if highest else present.min()
    return [label for label, value in present.items() if abs(value - best) <= TIE]


def median_comparison(subject: str, above: int, below: int, on: int) -> str:
    """Where ``subject`` lies against the national median, in every dimension, as Swedish
    sentences that name no count of zero: "Norrbottens län ligger under rikets median i 5
    dimensioner och på medianen i 4. Ingen dimension ligger över rikets median."
    """
    groups = [(above, "över"), (below, "under"), (on, "på")]
    present = [(n, word) for n, word in groups if n]
    if not present:
        return ""
    total = above + below + on
    if len(present) == 1:
        n, word = present[0]
        return f"{subject} ligger {word} rikets median i {'alla ' if n > 1 else ''}{dimensions(n)}."
    clauses = [f"{present[0][1]} rikets median i {dimensions(present[0][0])}"]
    clauses += [f"{word} medianen i {'en' if n == 1 else n}" for n, word in present[1:]]
    text = f"{subject} ligger {listed(clauses)}"
    if total and len(present) < len(groups):
        missing = [word for n, word in groups if not n]
        text += f". Ingen dimension ligger {listed(missing, 'eller')} rikets median"
    return text + "."
