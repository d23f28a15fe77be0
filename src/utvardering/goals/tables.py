"""Report tables of the goal chain: Swedish column headings with their unit, numbers in
Swedish format, full goal and project names, and no row index (:class:`ReportTable`); and the
workbook's sheets with the raw numbers (:func:`workbook_tables`)."""

from __future__ import annotations

import pandas as pd

from utvardering.format import fmt_number, fmt_percent, listed
from utvardering.goals.analysis import STATUS_LABELS, GoalChainAnalysis
from utvardering.goals.text import LEVEL_NAMES, STAGE_NAMES, Comparison, fmt_value
from utvardering.protocol import ReportTable
from utvardering.vocabulary import GOAL_DIRECTIONS

__all__ = [
    "ReportTable",
    "table_contributions",
    "table_goals",
    "table_peers",
    "table_stryktips",
    "workbook_tables",
]

_MISSING = "–"
_DIRECTIONS = GOAL_DIRECTIONS


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value))


def _text(value: object) -> str:
    return _MISSING if _missing(value) or str(value).strip() == "" else str(value)


def _at_year(value: object, year: object) -> str:
    """A value with its year: "26,3 (2018)"; "–" without a value."""
    if _missing(value):
        return _MISSING
    return fmt_value(value) if _missing(year) else f"{fmt_value(value)} ({int(year)})"


def _target(row: pd.Series) -> str:
    """The goal's target: "30 (2025)", "ska öka till 2030", "ska öka"."""
    direction = "ska öka" if row["riktning"] == "oka" else "ska minska"
    if not _missing(row["malvarde"]):
        return _at_year(row["malvarde"], row["malar"])
    if not _missing(row["malar"]):
        return f"{direction} till {int(row['malar'])}"
    return direction


def _mnkr(value: object) -> str:
    return _MISSING if _missing(value) else fmt_number(float(value) / 1e6, 1)


def _status(value: object) -> str:
    return STATUS_LABELS.get(str(value), _text(value))


def table_goals(a: GoalChainAnalysis) -> ReportTable:
    """Every goal in tree order: level, goal, indicator, unit, base, latest value, target,
    status and the reason for the status; a column "Simulerat" when some goals are simulated
    and others not."""
    if not a.has_goals:
        return ReportTable(pd.DataFrame())
    g = a.goals
    frame = pd.DataFrame(
        {
            "Nivå": [LEVEL_NAMES[n][0] for n in g["niva"]],
            "Mål": [_text(m) for m in g["mal"]],
            "Indikator": [
                _text(n) if not _missing(i) else "ingen ännu"
                for i, n in zip(g["indikator"], g["indikator_namn"], strict=True)
            ],
            "Enhet": [_text(u) for u in g["enhet"]],
            "Utgångsläge (år)": [
                _at_year(v, y) for v, y in zip(g["basvarde"], g["basar"], strict=True)
            ],
            "Senaste värde (år)": [
                _at_year(v, y) for v, y in zip(g["senaste_varde"], g["senaste_ar"], strict=True)
            ],
            "Mål (år)": [_target(row) for _, row in g.iterrows()],
            "Status": [_status(s) for s in g["status"]],
            "Motivering": [_text(m) for m in g["motivering"]],
        }
    )
    simulated = g["simulerad"].astype(bool)
    if simulated.any() and not simulated.all():
        frame["Simulerat"] = ["ja" if s else "nej" for s in simulated]
    return ReportTable(frame)


def _rank(row: pd.Series) -> str:
    if _missing(row.get("plats")) or _missing(row.get("av")):
        return _MISSING
    return f"{int(row['plats'])} av {int(row['av'])}"


def _signed_percent(share: object) -> str:
    """A relative change as a percentage with its sign: "+12 %", "−3 %"."""
    if _missing(share):
        return _MISSING
    text = fmt_percent(float(share), 0)
    return f"+{text}" if round(100 * float(share)) > 0 else text


def _period(row: pd.Series) -> str:
    if _missing(row["fran_ar"]) or _missing(row["till_ar"]):
        return _MISSING
    return f"{int(row['fran_ar'])}–{int(row['till_ar'])}"


def table_peers(a: GoalChainAnalysis) -> ReportTable:
    """Per regional indicator: the region's latest value and the peers' median, the change
    over the period in per cent for both, and the region's place among itself and its peers
    by change in the goal's direction."""
    p = a.peer_table
    if not a.has_goals or p is None or p.empty:
        return ReportTable(pd.DataFrame())
    if len(a.peers) == 1:  # a median of one region is that region's value
        peer_level, peer_change = "Jämförelselänet, senaste år", "Jämförelselänets förändring (%)"
    else:
        peer_level = "Jämförelselänen, median senaste år"
        peer_change = "Jämförelselänens förändring, median (%)"
    frame = pd.DataFrame(
        {
            "Indikator": [_text(n) for n in p["indikator_namn"]],
            "Enhet": [_text(u) for u in p["enhet"]],
            "Period": [_period(r) for _, r in p.iterrows()],
            "Länet, senaste år": [fmt_value(v) for v in p["lan"]],
            peer_level: [fmt_value(v) for v in p["jamforelse_median"]],
            "Länets förändring (%)": [_signed_percent(v) for v in p["forandring_relativ"]],
            peer_change: [_signed_percent(v) for v in p["jamforelse_median_forandring_relativ"]],
            "Länets plats (1 = bäst i målets riktning)": [_rank(r) for _, r in p.iterrows()],
        }
    )
    return ReportTable(frame)


def _project_statuses(rows: pd.DataFrame) -> str:
    counts = rows.drop_duplicates("projekt_mal_id")["projekt_status"].value_counts()
    parts = [
        f"{int(counts[s])} {label.lower() if s != 'nas' else 'når målet'}"
        for s, label in STATUS_LABELS.items()
        if s in counts.index
    ]
    return listed(parts) if parts else _MISSING


def _outside_register(goal: object) -> str:
    """A project outside the register, named by its goal: the goal text before its colon
    ("Sydostleden, cykelled och företagande: 30 % av deltagarna …" names the project)."""
    text = _text(goal)
    name = text.split(":", 1)[0].strip() if ":" in text else text
    return f"{name} (utanför projektregistret)"


def table_contributions(a: GoalChainAnalysis) -> ReportTable:
    """Per RUS goal and sub-strategy goal: the projects under it, their money in the region
    (mnkr) and the statuses of their project goals."""
    s = a.contribution_summary
    if not a.has_goals or s.empty:
        return ReportTable(pd.DataFrame())
    c = a.contributions
    goal_texts = a.goals.set_index("mal_id")["mal"]
    rows = []
    for _, goal in s.iterrows():
        mine = c[c["mal_id"] == goal["mal_id"]]
        names = []
        for _, row in mine.iterrows():
            name = (
                _text(row["projektnamn"])
                if not _missing(row["projektnamn"])
                else _outside_register(goal_texts.get(row["projekt_mal_id"], ""))
            )
            if name not in names:
                names.append(name)
        rows.append(
            {
                "Nivå": LEVEL_NAMES[goal["niva"]][0],
                "Mål": _text(goal["mal"]),
                "Projekt": "; ".join(names) if names else "inget",
                "Projekt i registret": str(int(goal["n_projekt"])),
                "Belopp i länet (mnkr)": _mnkr(goal["belopp_sek"])
                if goal["n_projekt"]
                else _MISSING,
                "Projektmålens status": _project_statuses(mine) if len(mine) else _MISSING,
            }
        )
    return ReportTable(pd.DataFrame(rows))


def table_stryktips(a: GoalChainAnalysis) -> ReportTable:
    """The stryktips: one row per RUS and sub-strategy goal, one column per stage of the effect
    chain with X, (X) or an empty cell."""
    st = a.stryktips
    if not a.has_goals or st.empty:
        return ReportTable(pd.DataFrame())
    levels = a.goals.set_index("mal_id")["niva"]
    frame = pd.DataFrame(
        {
            "Nivå": [LEVEL_NAMES[levels[i]][0] for i in st.index],
            "Mål": [_text(m) for m in st["mal"]],
            **{name: list(st[stage].fillna("")) for stage, name in STAGE_NAMES.items()},
        }
    )
    return ReportTable(frame)


# --- the workbook ------------------------------------------------------------------------------

_GOAL_SHEET: dict[str, str] = {
    "mal_id": "Mål-id",
    "niva": "Nivå",
    "overordnat_mal_id": "Överordnat mål-id",
    "mal": "Mål",
    "indikator": "Indikator",
    "indikator_namn": "Indikatorns namn",
    "enhet": "Enhet",
    "arende_id": "Ärende-id",
    "projektnamn": "Projekt",
    "basar": "Basår",
    "basvarde": "Basvärde",
    "senaste_ar": "Senaste år",
    "senaste_varde": "Senaste värde",
    "forandring": "Förändring sedan basåret",
    "malar": "Målår",
    "malvarde": "Målvärde",
    "riktning": "Riktning",
    "steg": "Steg",
    "prognos": "Prognos vid målåret",
    "prognos_lag": "Prognos, nedre gräns (80 %)",
    "prognos_hog": "Prognos, övre gräns (80 %)",
    "status_text": "Status",
    "motivering": "Motivering",
    "simulerad": "Simulerat",
}

_PEER_SHEET: dict[str, str] = {
    "indikator": "Indikator",
    "indikator_namn": "Indikatorns namn",
    "enhet": "Enhet",
    "riktning": "Målets riktning",
    "fran_ar": "Från år",
    "till_ar": "Till år",
    "lan": "Länets värde (till år)",
    "forandring": "Länets förändring",
    "forandring_relativ": "Länets förändring (andel)",
    "jamforelse_median": "Jämförelselänens median (till år)",
    "jamforelse_median_forandring_relativ": "Jämförelselänens förändring, median (andel)",
    "plats": "Länets plats",
    "av": "Antal län i jämförelsen",
}

_CONTRIBUTION_SHEET: dict[str, str] = {
    "mal_id": "Mål-id",
    "niva": "Nivå",
    "mal": "Mål",
    "arende_id": "Ärende-id",
    "projektnamn": "Projekt",
    "belopp_sek": "Belopp i länet (kr)",
    "projekt_mal_id": "Projektmålets id",
    "projekt_status": "Projektmålets status",
}


def _sheet(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    present = {k: v for k, v in columns.items() if k in frame.columns}
    out = frame[list(present)].rename(columns=present).reset_index(drop=True)
    return out


def workbook_tables(a: GoalChainAnalysis, comparison: Comparison) -> dict[str, pd.DataFrame]:
    """The numbers behind the report as unformatted sheets for Excel, with Swedish headings:
    the goals, the comparison with peers (and the peers' series), the contributions and the
    stryktips. Empty sheets are left out."""
    if not a.has_goals:
        return {}
    goals = _sheet(a.goals, _GOAL_SHEET)
    goals["Nivå"] = goals["Nivå"].map(lambda n: LEVEL_NAMES[n][0])
    goals["Simulerat"] = goals["Simulerat"].map({True: "ja", False: "nej"})
    goals["Riktning"] = goals["Riktning"].map(_DIRECTIONS)
    goals["Steg"] = goals["Steg"].map(lambda s: STAGE_NAMES.get(s, s))
    peers = _sheet(a.peer_table, _PEER_SHEET)
    if not peers.empty:
        peers["Målets riktning"] = peers["Målets riktning"].map(_DIRECTIONS)
    series = []
    for indikator, frame in a.peer_history.items():
        long = frame.rename_axis(index="ar", columns="lan_kod").stack().rename("varde")
        long = long.reset_index()
        long.insert(0, "indikator", indikator)
        series.append(long)
    for indikator, history in a.history.items():
        own = history.rename("varde").rename_axis("ar").reset_index()
        own.insert(0, "lan_kod", a.lan_kod)
        own.insert(0, "indikator", indikator)
        series.append(own)
    history_sheet = (pd.concat(series, ignore_index=True) if series else pd.DataFrame()).rename(
        columns={"indikator": "Indikator", "ar": "År", "lan_kod": "Län", "varde": "Värde"}
    )
    if not history_sheet.empty:
        history_sheet["Län"] = history_sheet["Län"].map(lambda c: comparison.names.get(c, c))
        history_sheet = history_sheet.sort_values(["Indikator", "Län", "År"]).reset_index(drop=True)
    contributions = _sheet(a.contributions, _CONTRIBUTION_SHEET)
    if not contributions.empty:
        contributions["Nivå"] = contributions["Nivå"].map(lambda n: LEVEL_NAMES[n][0])
        contributions["Projektmålets status"] = contributions["Projektmålets status"].map(_status)
    stryktips = table_stryktips(a).frame
    sheets = {
        "Mål": goals,
        "Jämförelse": peers,
        "Serier": history_sheet,
        "Bidrag": contributions,
        "Stryktips": stryktips,
    }
    return {name: frame for name, frame in sheets.items() if not frame.empty}
