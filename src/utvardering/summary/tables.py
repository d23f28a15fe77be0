"""The summary's tables: the key figures as the page shows them, and the workbook's sheets.

The key figures are Markdown (not a :class:`~utvardering.protocol.ReportTable`), so that each
source report links to its page; all text from the data is escaped.
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

__all__ = ["key_figure_markdown", "workbook_tables"]


def key_figure_markdown(figures: Sequence[KeyFigure]) -> str:
    """The key figures as Markdown: under the name of each source report, a link to its page,
    a list item per figure with its label, value and comparison; "" without figures.

    A list rather than a table: a table of label, value, comparison and source does not fit a
    phone's width (its longest words alone are wider), and a list reads on any width. The
    workbook has the figures as a table.
    """
    lines: list[str] = []
    source = None
    for fig in figures:
        if fig.rapport != source:
            source = fig.rapport
            lines += ["", f"**{report_link(source)}**", ""]
        item = f"- {escape_md(fig.namn)}: **{escape_md(value_text(fig))}**"
        if fig.jamforelse:
            item += f" ({escape_md(fig.jamforelse)})"
        lines.append(item)
    return "\n".join(lines).strip()


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
