"""Report tables of the maturity assessment, with Swedish column labels and number format."""

from __future__ import annotations

import pandas as pd

from utvardering.format import fmt_number, fmt_percent
from utvardering.maturity.assessment import MaturityAssessment
from utvardering.maturity.scoring import UNCHANGED

__all__ = ["table_comments", "table_dimensions", "table_national", "workbook_tables"]


def _level(value: object) -> str:
    return fmt_number(None if pd.isna(value) else float(value), 1)


def _signed(value: object) -> str:
    if pd.isna(value):
        return "–"
    return ("+" if value > UNCHANGED else "") + fmt_number(float(value), 1)


def _int(value: object) -> str:
    return "–" if pd.isna(value) else str(int(value))


def table_dimensions(a: MaturityAssessment) -> pd.DataFrame:
    """Level, spread, agreement, n, target, gap and change per dimension (empty if no answers)."""
    if a.no_responses:
        return pd.DataFrame()
    d = a.dimensions
    return pd.DataFrame(
        {
            "Dimension": d["namn"],
            "Nivå (median)": d["median"].map(_level),
            "Medelvärde": d["medel"].map(_level),
            "Kvartilavstånd": d["iqr"].map(_level),
            "Samstämmighet": d["samstammighet"].map(
                lambda v: fmt_percent(None if pd.isna(v) else float(v))
            ),
            "Respondenter": d["n_respondenter"].map(_int),
            "Svar": d["n_svar"].map(_int),
            "Vet ej": d["n_vet_ej"].map(_int),
            "Målnivå": d["malniva"].map(_int),
            "Gap": d["gap"].map(_level),
            f"Förändring sedan {a.previous_round or 'förra omgången'}": d["trend"].map(_signed),
        }
    ).set_index("Dimension")


def table_national(a: MaturityAssessment) -> pd.DataFrame:
    """The region's level beside the national distribution and its place, per dimension."""
    if a.no_responses:
        return pd.DataFrame()
    d = a.dimensions
    return pd.DataFrame(
        {
            "Dimension": d["namn"],
            a.region_name: d["median"].map(_level),
            "Rikets median": d["riket_median"].map(_level),
            "Mittersta hälften": [
                f"{_level(lo)}–{_level(hi)}"
                for lo, hi in zip(d["riket_q1"], d["riket_q3"], strict=True)
            ],
            "Lägst–högst": [
                f"{_level(lo)}–{_level(hi)}"
                for lo, hi in zip(d["riket_min"], d["riket_max"], strict=True)
            ],
            "Plats": [
                "–" if pd.isna(r) else f"{int(r)} av {int(n)}"
                for r, n in zip(d["rang"], d["n_regioner"], strict=True)
            ],
        }
    ).set_index("Dimension")


def table_comments(a: MaturityAssessment) -> pd.DataFrame:
    """The respondents' free-text comments in the round, by dimension (no respondent ids)."""
    if a.comments.empty:
        return pd.DataFrame()
    names = {d.id: d.name for d in a.model.dimensions}
    order = {d.id: i for i, d in enumerate(a.model.dimensions)}
    frame = a.comments.assign(order=a.comments["dimension"].map(order))
    frame = frame.sort_values("order", kind="stable")
    return pd.DataFrame(
        {
            "Dimension": frame["dimension"].map(names).to_numpy(),
            "Roll": frame["roll"].fillna("–").to_numpy(),
            "Kommentar": frame["kommentar"].to_numpy(),
        }
    ).set_index("Dimension")


def workbook_tables(a: MaturityAssessment) -> dict[str, pd.DataFrame]:
    """The numbers behind the report as unformatted sheets for Excel."""
    names = {d.id: d.name for d in a.model.dimensions}
    matrix = a.matrix.rename(columns=names)
    matrix.index = [a.name_of(code) for code in matrix.index]
    matrix.index.name = "Län"
    steps = pd.DataFrame(
        [
            {
                "Dimension": s.name,
                "Nivå (median)": s.median,
                "Från nivå": s.from_level,
                "Till nivå": s.to_level,
                "Målnivå": s.target,
                "Vad nästa nivå innebär": s.descriptor,
            }
            for s in a.next_steps
        ]
    )
    sheets = {
        "Dimensioner": a.dimensions.reset_index(),
        "Alla regioner": matrix,
        "Nästa steg": steps,
        "Kommentarer": table_comments(a),
    }
    return {name: frame for name, frame in sheets.items() if not frame.empty}
