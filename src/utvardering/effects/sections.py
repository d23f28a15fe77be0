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
from utvardering.protocol import show_table

__all__ = ["SECTIONS", "ShownTable", "section_blocks"]

# Section name → Swedish heading, in reading order. The introduction carries its own title and
# the caveats their own bold lead, so they have no heading.
SECTIONS: dict[str, str] = {
    "inledning": "",
    "maluppfyllelse": "1. Når projekten sina mål?",
    "effekt": "2. Stödets effekt på företagen",
    "jamforelse": "3. Stödda företag och jämförelseföretag",
    "syntetisk": "4. Länets utveckling mot en syntetisk jämförelseregion (beskrivande)",
    "forbehall": "",
}


@dataclass(frozen=True, eq=False)
class ShownTable:
    """A table as the report shows it: without the row numbers, every cell and column heading
    escaped (a Styler escapes neither by default)."""

    frame: pd.DataFrame

    def _ipython_display_(self) -> None:
        show_table(display, self.frame)

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


def _effect(report, figures) -> list:
    """The summary of the main estimates, then each outcome: its main estimate, every
    method's estimate (table and figure), the effect year by year and the grades' reasons;
    the rubric of the grades once at the end."""
    blocks: list = [text.text_effects_summary(report)]
    if report.too_few_supported:
        return blocks
    summary = text.table_main_estimates(report)
    if len(summary):
        blocks.append(ShownTable(summary))
    for item in report.effects:
        blocks += [f"### {text.outcome_title(item.outcome)}", text.text_effect(item)]
        if item.estimates:
            blocks.append(ShownTable(text.table_estimates(item)))
        if f"effekt_jamforelse_{item.outcome}" in figures:
            blocks.append(figures[f"effekt_jamforelse_{item.outcome}"])
        blocks.append(text.text_event_study(item))
        if f"effekt_handelsestudie_{item.outcome}" in figures:
            blocks.append(figures[f"effekt_handelsestudie_{item.outcome}"])
        if item.estimates:
            blocks.append(text.text_justifications(item))
    if any(item.estimates for item in report.effects):
        blocks.append(text.text_evidence())
    return blocks


def _comparison(report, figures) -> list:
    """Who is compared with whom; how alike the groups are, per outcome."""
    if report.n_supported == 0:
        return [text.text_balance(report)]
    blocks: list = [text.text_balance(report), ShownTable(text.table_industries(report))]
    balance = text.table_balance_summary(report)
    if len(balance):
        blocks.append(ShownTable(balance))
    for item in report.effects:
        blocks += [
            figures[f"{kind}_{item.outcome}"]
            for kind in ("effekt_balans", "effekt_overlapp")
            if f"{kind}_{item.outcome}" in figures
        ]
    if any(k.startswith("effekt_overlapp_") for k in figures):
        blocks.append(
            "Överlappsfigurerna visar om det finns jämförelseföretag med samma sannolikhet att "
            "få stöd som de stödda. Där det bara finns stödda företag saknas någon att jämföra "
            "med."
        )
    return blocks


def _synthetic(report, figures) -> list:
    blocks: list = [text.text_synthetic(report)]
    return blocks + [figures[k] for k in figures if k.startswith("effekt_syntetisk_")]


def _caveats(report, figures) -> list:
    return [text.text_caveats(report)]


_BUILDERS = {
    "inledning": _intro,
    "maluppfyllelse": _attainment,
    "effekt": _effect,
    "jamforelse": _comparison,
    "syntetisk": _synthetic,
    "forbehall": _caveats,
}
