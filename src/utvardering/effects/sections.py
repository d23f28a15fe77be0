"""The effect report's sections: each a list of blocks (Markdown text, figures, tables).

:class:`~utvardering.effects.report.EffectReport` shows its sections through
:func:`section_blocks`; the order and headings are :data:`SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
from IPython.display import display

from utvardering.effects import text
from utvardering.figures import Figur

__all__ = ["SECTIONS", "ShownTable", "section_blocks"]

# Section name → Swedish heading, in reading order. The introduction carries its own title and
# the caveats their own bold lead, so they have no heading.
SECTIONS: dict[str, str] = {
    "inledning": "",
    "maluppfyllelse": "1. Når projekten sina mål?",
    "jamforelse": "2. Stödda företag och jämförelseföretag",
    "handelsestudie": "3. Effekten år för år",
    "effekt": "4. Stödets effekt",
    "syntetisk": "5. Länets utveckling mot en syntetisk jämförelseregion (beskrivande)",
    "forbehall": "",
}


@dataclass(frozen=True, eq=False)
class ShownTable:
    """A table as the report shows it: without the row numbers, every cell and column heading
    escaped (a Styler escapes neither by default)."""

    frame: pd.DataFrame

    def _ipython_display_(self) -> None:
        styler = self.frame.style.hide(axis="index").format(escape="html")
        display(styler.format_index(escape="html", axis=1))

    def snapshot_text(self) -> str:
        return "[Tabell]\n" + self.frame.to_csv(sep="|", index=False, lineterminator="\n").strip()


def section_blocks(report, name: str, figures: Mapping[str, Figur]) -> list:
    """The blocks of section ``name`` of an EffectReport (empty when it does not apply)."""
    return _BUILDERS[name](report, figures)


def _intro(report, figures) -> list:
    return [text.text_intro(report)]


def _attainment(report, figures) -> list:
    blocks: list = [text.text_attainment(report.attainment, report.region_name)]
    if "effekt_kedjor" in figures:
        blocks.append(figures["effekt_kedjor"])
    table = text.table_attainment(report.attainment)
    if len(table):
        blocks.append(ShownTable(table))
    return blocks


def _comparison(report, figures) -> list:
    if report.n_supported == 0:
        return [text.text_effect(report)]
    blocks: list = [text.text_balance(report), ShownTable(text.table_industries(report))]
    if report.balance is not None:
        blocks.append(ShownTable(text.table_balance(report)))
    blocks += [figures[k] for k in ("effekt_balans", "effekt_overlapp") if k in figures]
    if "effekt_overlapp" in figures:
        blocks.append(
            "Överlappsfiguren visar om det finns jämförelseföretag med samma sannolikhet att "
            "få stöd som de stödda. Där bara stödda företag finns saknas det någon att "
            "jämföra med."
        )
    return blocks


def _event_study(report, figures) -> list:
    if report.too_few_supported:
        return []
    blocks: list = [text.text_event_study(report)]
    if "effekt_handelsestudie" in figures:
        blocks.append(figures["effekt_handelsestudie"])
    return blocks


def _effect(report, figures) -> list:
    blocks: list = [text.text_effect(report)]
    if report.estimates:
        blocks.append(ShownTable(text.table_estimates(report)))
        if "effekt_jamforelse" in figures:
            blocks.append(figures["effekt_jamforelse"])
        blocks.append(text.text_evidence(report))
    return blocks


def _synthetic(report, figures) -> list:
    blocks: list = [text.text_synthetic(report)]
    return blocks + [figures[k] for k in figures if k.startswith("effekt_syntetisk_")]


def _caveats(report, figures) -> list:
    return [text.text_caveats(report)]


_BUILDERS = {
    "inledning": _intro,
    "maluppfyllelse": _attainment,
    "jamforelse": _comparison,
    "handelsestudie": _event_study,
    "effekt": _effect,
    "syntetisk": _synthetic,
    "forbehall": _caveats,
}
