"""The learning plan's tables: as the report shows them (Swedish numbers, units in the
headings) and as the workbook holds them (raw numbers)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from utvardering.format import fmt_number, listed
from utvardering.goals.analysis import STATUS_LABELS
from utvardering.goals.text import fmt_value
from utvardering.learning.arshjul import REPORT_NAMES
from utvardering.learning.plan import LearningPlan
from utvardering.protocol import ReportTable
from utvardering.vocabulary import CHAIN_NAMES, CHAIN_STAGES, GOAL_LEVELS

__all__ = [
    "evaluation_rows",
    "table_arshjul",
    "table_goals",
    "table_project_indicators",
    "table_series",
    "table_synthetic",
    "workbook_tables",
]

# The steps of the effect report's goal attainment (per_indikator.steg) by name.
STEP_NAMES: dict[str, str] = {**CHAIN_STAGES, "kort": CHAIN_STAGES["kort_sikt"],
                              "medel": CHAIN_STAGES["medellang_sikt"]}  # fmt: skip


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)


def _value_year(value: Any, year: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    return f"{fmt_value(value)} ({year})" if year is not None else fmt_value(value)


def table_goals(plan: LearningPlan) -> ReportTable:
    """The goal chain's goals at the three levels with their indicators and status."""
    rows = []
    for goal in plan.goals or ():
        indicator = goal.get("indikator")
        rows.append(
            {
                "Nivå": GOAL_LEVELS.get(goal["niva"], goal["niva"]),
                "Mål": f"{goal['mal_id']}: {_text(goal.get('mal'))}",
                "Indikator": plan.indicator_name(indicator) if indicator else "Ingen indikator",
                "Enhet": _text(goal.get("enhet")),
                "Basvärde (år)": _value_year(goal.get("basvarde"), goal.get("basar")),
                "Senaste värde (år)": _value_year(
                    goal.get("senaste_varde"), goal.get("senaste_ar")
                ),
                "Målvärde (år)": _value_year(goal.get("malvarde"), goal.get("malar")),
                "Bedömning": STATUS_LABELS.get(goal.get("status"), _text(goal.get("status"))),
            }
        )
    return ReportTable(pd.DataFrame(rows, columns=list(_REGIONAL_COLUMNS)))


_REGIONAL_COLUMNS = ("Nivå", "Mål", "Indikator", "Enhet", "Basvärde (år)", "Senaste värde (år)",
                     "Målvärde (år)", "Bedömning")  # fmt: skip


def table_project_indicators(plan: LearningPlan) -> ReportTable:
    """The projects' indicators per effect chain and step, with how many report outcomes."""
    rows = []
    for row in plan.project_indicators or ():
        share = row.get("maluppfyllelse")
        rows.append(
            {
                "Effektkedja": CHAIN_NAMES.get(row["effektkedja"], row["effektkedja"]),
                "Steg": STEP_NAMES.get(row["steg"], row["steg"]),
                "Indikator": plan.indicator_name(row["indikator"]),
                "Enhet": _text(row.get("enhet")),
                "Projekt": fmt_number(row.get("n_projekt", 0)),
                "Med slutligt utfall": fmt_number(row.get("n_slutliga", 0)),
                "Utfall saknas": fmt_number(row.get("n_saknas", 0)),
                "Måluppfyllelse (%)": "–" if share is None else fmt_number(100 * share),
            }
        )
    columns = ["Effektkedja", "Steg", "Indikator", "Enhet", "Projekt", "Med slutligt utfall",
               "Utfall saknas", "Måluppfyllelse (%)"]  # fmt: skip
    return ReportTable(pd.DataFrame(rows, columns=columns))


def evaluation_rows(plan: LearningPlan) -> list[dict[str, Any]]:
    """The planned evaluations and measures (the recommendations), with when they are
    reported: the first event of the annual cycle that rests on the learning plan."""
    when = next((e for e in plan.arshjul.events if "larandeplan" in e.underlag), None)
    rows = []
    for number, rec in enumerate(plan.recommendations, start=1):
        rows.append(
            {
                "nr": number,
                "rubrik": rec.rubrik,
                "text": rec.text,
                "evidens": list(rec.evidens),
                "rapporter": list(rec.rapporter),
                "mognadsdimension": rec.mognadsdimension,
                "nasta_niva": rec.nasta_niva,
                "prioritet": rec.prioritet,
                "id": rec.id,
                "redovisas": f"{when.date_text} ({when.handelse})" if when else None,
            }
        )
    return rows


def table_arshjul(plan: LearningPlan) -> ReportTable:
    """The annual cycle as a calendar: date, event, receiver, content, the reports behind."""
    rows = [
        {
            "Datum": event.date_text,
            "Händelse": event.handelse,
            "Mottagare": event.mottagare or "–",
            "Innehåll": event.innehall or "–",
            "Underlag": listed([REPORT_NAMES[r] for r in event.underlag]) or "–",
        }
        for event in plan.arshjul.events
    ]
    return ReportTable(
        pd.DataFrame(rows, columns=["Datum", "Händelse", "Mottagare", "Innehåll", "Underlag"])
    )


def table_series(plan: LearningPlan) -> ReportTable:
    """The regional series followed: latest value and year, and the goals they measure."""
    rows = [
        {
            "Indikator": s["indikator_namn"],
            "Enhet": _text(s["enhet"]),
            "Senaste värde (år)": _value_year(s["senaste_varde"], s["senaste_ar"]),
            "Mål": listed(s["mal"]),
        }
        for s in plan.series()
    ]
    return ReportTable(
        pd.DataFrame(rows, columns=["Indikator", "Enhet", "Senaste värde (år)", "Mål"])
    )


def table_synthetic(plan: LearningPlan) -> ReportTable:
    """The effect report's synthetic comparisons: the mean gap from the start year."""
    rows = []
    for row in plan.synthetic or ():
        gap = row.get("att")
        rows.append(
            {
                "Indikator": _text(row.get("namn")) or plan.indicator_name(row.get("indikator")),
                "Från år": _text(row.get("behandlingsar")),
                "Skillnad mot jämförelseregionen": "–" if gap is None else fmt_value(gap),
                "Evidensgrad": _text(row.get("evidensgrad")),
            }
        )
    columns = ["Indikator", "Från år", "Skillnad mot jämförelseregionen", "Evidensgrad"]
    return ReportTable(pd.DataFrame(rows, columns=columns))


def workbook_tables(plan: LearningPlan) -> dict[str, pd.DataFrame]:
    """The sheets of ``larandeplan.xlsx``: plan, indikatorer, utvarderingar, arshjul, omvarld
    (raw numbers; every sheet has its columns also when it has no rows)."""
    meta = plan.meta
    revision = {True: "ja", False: "nej", None: "uppgift saknas"}[meta.under_revidering]
    plan_rows = [
        ("Län", f"{plan.lan_namn} ({plan.lan_kod})"),
        ("Lärandeplan antagen år", str(meta.plan_ar) if meta.plan_ar else "uppgift saknas"),
        ("Under revidering", revision if meta.known else "uppgift saknas"),
        ("Källa", meta.kalla or "–"),
        ("Årshjul", f"länets eget ({plan.arshjul.file})" if plan.arshjul.own else "standard"),
        *[(f"Rapport: {REPORT_NAMES.get(r, r)}", s) for r, s in plan.status.items()],
    ]
    indicators = []
    for goal in plan.goals or ():
        indicators.append(
            {
                "kalla": "malkedja",
                "niva": goal.get("niva"),
                "mal_id": goal.get("mal_id"),
                "mal": goal.get("mal"),
                "effektkedja": None,
                "steg": goal.get("steg"),
                "indikator": goal.get("indikator"),
                "indikator_namn": plan.indicator_name(goal.get("indikator")) or None,
                "enhet": goal.get("enhet"),
                "basar": goal.get("basar"),
                "basvarde": goal.get("basvarde"),
                "senaste_ar": goal.get("senaste_ar"),
                "senaste_varde": goal.get("senaste_varde"),
                "malar": goal.get("malar"),
                "malvarde": goal.get("malvarde"),
                "status": goal.get("status"),
                "n_projekt": None,
                "n_slutliga": None,
                "n_saknas": None,
                "maluppfyllelse": None,
                "utfall": None,
            }
        )
    for row in plan.project_indicators or ():
        indicators.append(
            {
                "kalla": "effekt",
                "niva": "projekt",
                "mal_id": None,
                "mal": None,
                "effektkedja": row.get("effektkedja"),
                "steg": row.get("steg"),
                "indikator": row.get("indikator"),
                "indikator_namn": plan.indicator_name(row.get("indikator")),
                "enhet": row.get("enhet"),
                "basar": None,
                "basvarde": None,
                "senaste_ar": None,
                "senaste_varde": None,
                "malar": None,
                "malvarde": row.get("malvarde"),
                "status": None,
                "n_projekt": row.get("n_projekt"),
                "n_slutliga": row.get("n_slutliga"),
                "n_saknas": row.get("n_saknas"),
                "maluppfyllelse": row.get("maluppfyllelse"),
                "utfall": row.get("utfall"),
            }
        )
    evaluations = [
        {
            **{k: v for k, v in r.items() if k not in ("evidens", "rapporter")},
            "evidens": "; ".join(r["evidens"]),
            "rapporter": ", ".join(r["rapporter"]),
        }
        for r in evaluation_rows(plan)
    ]
    omvarld = [
        {
            "slag": "regional serie",
            "indikator": s["indikator"],
            "indikator_namn": s["indikator_namn"],
            "enhet": s["enhet"],
            "ar": s["senaste_ar"],
            "varde": s["senaste_varde"],
            "mal": ", ".join(s["mal"]),
            "evidensgrad": None,
            "lan": None,
        }
        for s in plan.series()
    ]
    omvarld += [
        {
            "slag": "syntetisk jämförelse (skillnad från året)",
            "indikator": row.get("indikator"),
            "indikator_namn": row.get("namn"),
            "enhet": None,
            "ar": row.get("behandlingsar"),
            "varde": row.get("att"),
            "mal": None,
            "evidensgrad": row.get("evidensgrad"),
            "lan": None,
        }
        for row in plan.synthetic or ()
    ]
    omvarld += [
        {
            "slag": "jämförelselän",
            "indikator": None,
            "indikator_namn": None,
            "enhet": None,
            "ar": None,
            "varde": None,
            "mal": None,
            "evidensgrad": None,
            "lan": f"{plan.peer_names.get(code, code)} ({code})",
        }
        for code in plan.peers
    ]
    return {
        "plan": pd.DataFrame(plan_rows, columns=["Uppgift", "Värde"]),
        "indikatorer": pd.DataFrame(indicators, columns=list(_INDICATOR_SHEET)),
        "utvarderingar": pd.DataFrame(evaluations, columns=list(_EVALUATION_SHEET)),
        "arshjul": pd.DataFrame(
            [{**e.as_dict(), "underlag": ", ".join(e.underlag)} for e in plan.arshjul.events],
            columns=["datum", "handelse", "mottagare", "innehall", "underlag", "kalla"],
        ),
        "omvarld": pd.DataFrame(omvarld, columns=list(_OMVARLD_SHEET)),
    }


_INDICATOR_SHEET = ("kalla", "niva", "mal_id", "mal", "effektkedja", "steg", "indikator",
                    "indikator_namn", "enhet", "basar", "basvarde", "senaste_ar", "senaste_varde",
                    "malar", "malvarde", "status", "n_projekt", "n_slutliga", "n_saknas",
                    "utfall", "maluppfyllelse")  # fmt: skip
_EVALUATION_SHEET = ("nr", "prioritet", "id", "rubrik", "text", "evidens", "rapporter",
                     "mognadsdimension", "nasta_niva", "redovisas")  # fmt: skip
_OMVARLD_SHEET = ("slag", "indikator", "indikator_namn", "enhet", "ar", "varde", "mal",
                  "evidensgrad", "lan")  # fmt: skip
