"""The summary's tables: the key figures as the page shows them, and the workbook's sheets.

The key figure table is Markdown (not a :class:`~utvardering.protocol.ReportTable`), so that its
source column can link to each report's page; every cell from the data is escaped.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from utvardering.format import escape_md
from utvardering.summary.facts import Facts
from utvardering.summary.text import KeyFigure, report_link, value_text
from utvardering.synthesis.collect import REPORTS

__all__ = ["KEY_FIGURE_COLUMNS", "key_figure_markdown", "workbook_tables"]

# The key figure table's columns, as the page shows them.
KEY_FIGURE_COLUMNS: tuple[str, ...] = ("Nyckeltal", "Värde", "Jämförelse", "Källa")


def _cell(text: str) -> str:
    return escape_md(text) if text else ""


def key_figure_markdown(figures: Sequence[KeyFigure]) -> str:
    """The key figures as a Markdown table: label, value, comparison and a link to the
    report the figure comes from; "" without figures."""
    if not figures:
        return ""
    lines = [
        "| " + " | ".join(KEY_FIGURE_COLUMNS) + " |",
        "|" + "|".join([":--", "--:", ":--", ":--"]) + "|",
    ]
    for fig in figures:
        cells = (_cell(fig.namn), _cell(value_text(fig)), _cell(fig.jamforelse))
        lines.append(f"| {' | '.join(cells)} | {report_link(fig.rapport)} |")
    return "\n".join(lines)


def _plain(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def workbook_tables(
    facts: Facts,
    figures: Sequence[KeyFigure],
    findings: Iterable[str],
    recommendations: Iterable[Mapping[str, Any]],
    reasons: Mapping[str, str],
) -> dict[str, pd.DataFrame]:
    """The sheets of ``sammanfattning.xlsx``: the key figures (raw numbers), the findings,
    the recommendations, the reports' status and every fact the summary read."""
    nyckeltal = pd.DataFrame(
        [
            {
                "nyckeltal": f.namn,
                "id": f.id,
                "varde": f.varde,
                "enhet": f.enhet,
                "jamforelse": f.jamforelse,
                "rapport": f.rapport,
            }
            for f in figures
        ],
        columns=["nyckeltal", "id", "varde", "enhet", "jamforelse", "rapport"],
    )
    utmarker = pd.DataFrame({"fynd": list(findings)})
    rekommendationer = pd.DataFrame(
        [
            {
                "prioritet": r["prioritet"],
                "id": r["id"],
                "rubrik": r["rubrik"],
                "text": r["text"],
                "evidens": "; ".join(r.get("evidens") or []),
                "rapporter": ", ".join(r.get("rapporter") or []),
                "nasta_niva": r.get("nasta_niva") or "",
            }
            for r in recommendations
        ],
        columns=["prioritet", "id", "rubrik", "text", "evidens", "rapporter", "nasta_niva"],
    )
    rapporter = pd.DataFrame(
        [
            {
                "rapport": name,
                "titel": kind.title,
                "status": "med" if name in facts.included else facts.missing.get(name, ""),
                "orsak": reasons.get(name, ""),
            }
            for name, kind in REPORTS.items()
        ]
    )
    fakta = pd.DataFrame(
        [
            {"fakta": key, "varde": _plain(value), "rapport": facts.sources.get(key, "")}
            for key, value in facts.values.items()
        ],
        columns=["fakta", "varde", "rapport"],
    )
    return {
        "nyckeltal": nyckeltal,
        "utmarker": utmarker,
        "rekommendationer": rekommendationer,
        "rapporter": rapporter,
        "fakta": fakta,
    }
