"""Report tables of the maturity assessment: Swedish column headings with their unit, numbers
in Swedish format, full names, and no row index (:class:`ReportTable`)."""

from __future__ import annotations

import pandas as pd

from utvardering.format import fmt_number
from utvardering.maturity.assessment import MaturityAssessment
from utvardering.maturity.scoring import UNCHANGED, next_step_order
from utvardering.protocol import ReportTable

__all__ = [
    "ReportTable",
    "table_comments",
    "table_dimensions",
    "table_national",
    "table_next_steps",
    "workbook_tables",
]


def _level(value: object) -> str:
    return fmt_number(None if pd.isna(value) else float(value), 1)


def _signed(value: object) -> str:
    """A change in levels: "+1,2", "−0,3", and "0,0" for a change smaller than UNCHANGED
    (never "−0,0")."""
    if pd.isna(value):
        return "–"
    if abs(float(value)) < UNCHANGED:
        return fmt_number(0.0, 1)
    return ("+" if value > 0 else "") + fmt_number(float(value), 1)


def _int(value: object) -> str:
    return "–" if pd.isna(value) else str(int(value))


def _percent(value: object) -> str:
    return fmt_number(None if pd.isna(value) else 100 * float(value), 0)


def table_dimensions(a: MaturityAssessment) -> ReportTable:
    """Level, mean, spread, agreement, respondents and change per dimension (empty if no
    answers; the change column only when there is a previous round to compare with)."""
    if a.no_responses:
        return ReportTable(pd.DataFrame())
    d = a.dimensions
    columns = {
        "Dimension": d["namn"],
        "Nivå (median, 1–5)": d["median"].map(_level),
        "Medelvärde (1–5)": d["medel"].map(_level),
        "Kvartilavstånd (nivåer)": d["iqr"].map(_level),
        "Samstämmighet (%)": d["samstammighet"].map(_percent),
        "Svarande (personer)": d["n_respondenter"].map(_int),
    }
    if a.has_trend:
        columns[f"Förändring sedan {a.previous_round} (nivåer)"] = d["trend"].map(_signed)
    return ReportTable(pd.DataFrame(columns).reset_index(drop=True))


def table_next_steps(a: MaturityAssessment) -> ReportTable:
    """Level, target and gap of every dimension with answers, in the order next steps are
    chosen (largest gap first); dimensions at their target last, in model order."""
    if a.no_responses:
        return ReportTable(pd.DataFrame())
    d = a.dimensions
    order = next_step_order(d, a.model)
    reached = [x for x in d.index if x not in order and pd.notna(d.loc[x, "median"])]
    chosen = {s.dimension: i for i, s in enumerate(a.next_steps, start=1)}
    rows = []
    for dimension in [*order, *reached]:
        row = d.loc[dimension]
        if dimension in chosen:
            step = f"Steg {chosen[dimension]}"
        elif dimension in order:
            step = "–"
        else:
            step = "Målet nått"
        gap = row["gap"]
        rows.append(
            {
                "Dimension": row["namn"],
                "Nivå i dag (median, 1–5)": _level(row["median"]),
                "Målnivå (1–5)": _int(row["malniva"]),
                "Gap till målnivån (nivåer)": _level(None if pd.isna(gap) else max(0.0, gap)),
                "Nästa steg": step,
            }
        )
    return ReportTable(pd.DataFrame(rows))


def table_national(a: MaturityAssessment) -> ReportTable:
    """The region's level beside the national distribution and its place, per dimension."""
    if a.no_responses:
        return ReportTable(pd.DataFrame())
    d = a.dimensions
    frame = pd.DataFrame(
        {
            "Dimension": d["namn"],
            f"Nivå i {a.region_name} (median, 1–5)": d["median"].map(_level),
            "Rikets median (1–5)": d["riket_median"].map(_level),
            "Mittersta hälften av regionerna (1–5)": [
                f"{_level(lo)}–{_level(hi)}"
                for lo, hi in zip(d["riket_q1"], d["riket_q3"], strict=True)
            ],
            "Lägst–högst bland regionerna (1–5)": [
                f"{_level(lo)}–{_level(hi)}"
                for lo, hi in zip(d["riket_min"], d["riket_max"], strict=True)
            ],
            "Plats (1 = högst)": [
                "–" if pd.isna(r) else f"{int(r)} av {int(n)}"
                for r, n in zip(d["rang"], d["n_regioner"], strict=True)
            ],
        }
    )
    return ReportTable(frame.reset_index(drop=True))


def _comments(a: MaturityAssessment) -> pd.DataFrame:
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
    )


def table_comments(a: MaturityAssessment) -> ReportTable:
    """The respondents' free-text comments in the round, by dimension (no respondent ids)."""
    return ReportTable(_comments(a))


# The workbook's sheet of dimensions: assessment column → Swedish heading (raw numbers).
_WORKBOOK_DIMENSIONS = {
    "namn": "Dimension",
    "median": "Nivå (median, 1–5)",
    "medel": "Medelvärde (1–5)",
    "q1": "Första kvartilen",
    "q3": "Tredje kvartilen",
    "iqr": "Kvartilavstånd (nivåer)",
    "samstammighet": "Samstämmighet (andel)",
    "n_respondenter": "Svarande (personer)",
    "n_svar": "Svar (antal)",
    "n_vet_ej": "Vet ej (antal)",
    "lag_tillforlitlighet": "Osäkert underlag",
    "uppnadd_niva": "Uppnådd nivå",
    "malniva": "Målnivå",
    "malkalla": "Målnivåns källa",
    "gap": "Gap till målnivån (nivåer)",
    "nivaer_kvar": "Nivåer kvar till målet",
    "foregaende_median": "Nivå förra omgången (median)",
    "trend": "Förändring (nivåer)",
    "riket_median": "Rikets median",
    "riket_q1": "Rikets första kvartil",
    "riket_q3": "Rikets tredje kvartil",
    "riket_min": "Lägst bland regionerna",
    "riket_max": "Högst bland regionerna",
    "n_regioner": "Regioner med svar",
    "rang": "Plats (1 = högst)",
    "andel_lagre": "Andel regioner med lägre nivå",
}
_TARGET_SOURCES = {"mognadsmal": "regionens egen", "standard": "en nivå över dagens"}


def workbook_tables(a: MaturityAssessment) -> dict[str, pd.DataFrame]:
    """The numbers behind the report as unformatted sheets for Excel, with Swedish headings."""
    names = {d.id: d.name for d in a.model.dimensions}
    matrix = a.matrix.rename(columns=names)
    matrix.index = [a.name_of(code) for code in matrix.index]
    matrix.index.name = "Län"
    matrix.columns.name = None
    steps = pd.DataFrame(
        [
            {
                "Dimension": s.name,
                "Nivå (median, 1–5)": s.median,
                "Från nivå": s.from_level,
                "Till nivå": s.to_level,
                "Målnivå": s.target,
                "Gap till målnivån (nivåer)": s.gap,
                "Vad nästa nivå innebär": s.descriptor,
            }
            for s in a.next_steps
        ]
    )
    dimensions = a.dimensions[list(_WORKBOOK_DIMENSIONS)].copy()
    dimensions["lag_tillforlitlighet"] = dimensions["lag_tillforlitlighet"].map(
        {True: "ja", False: "nej"}
    )
    dimensions["malkalla"] = dimensions["malkalla"].map(_TARGET_SOURCES)
    dimensions = dimensions.rename(columns=_WORKBOOK_DIMENSIONS).reset_index(drop=True)
    sheets = {
        "Dimensioner": dimensions,
        "Alla regioner": matrix,
        "Nästa steg": steps,
        "Kommentarer": _comments(a),
    }
    return {name: frame for name, frame in sheets.items() if not frame.empty}
