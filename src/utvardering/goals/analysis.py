"""Follow-up of a region's goal chain: status per goal, peers, contributions and stryktips.

The goal chain (*målkedja*) of a region is a tree: RUS goals (the regional development
strategy, ~10 years), goals of sub-strategies (*understrategier*, 3-5 years) under them, and
project goals (1-3 years) under those. :func:`analyse` gives, per goal, the baseline, the latest
value, the change, the target, a forecast to the target year and a status; a comparison of the
regional indicators with peer regions; the projects that contribute to each RUS and
sub-strategy goal with their money and their own goal attainment; the goals that no project
serves; and the stryktips matrix of goals × the six stages of the effect chain.

Status rules (keys and Swedish labels in :data:`STATUS_LABELS`):

* **Regional goals** (``rus``, ``understrategi``) follow a series of ``indikatorer``. No
  indicator, or fewer than three observations: ``saknar_data``. With a target value and a
  target year: if the target year has passed and the series has a value for it, that value
  decides (``nas`` / ``nas_inte``); otherwise the 80 % prediction interval of the trend
  forecast (:mod:`utvardering.goals.forecast`) at the target year is compared with the target:
  wholly on the right side ``nas``, wholly on the wrong side ``nas_inte``, containing it
  ``osakert``. Without a target value (or year): the trend's slope and its 80 % interval give
  ``ratt_riktning``, ``fel_riktning`` or ``oklar_riktning`` (the interval contains zero).
* **Project goals** follow a project indicator of one project (``arende_id``). The outcome that
  counts is chosen by :func:`utvardering.effects.attainment.indicator_status` (a final report's
  outcome for a finished project, the latest progress report for an ongoing one) and compared
  with the goal's target value, or else the project's own target; attainment as in
  :func:`utvardering.effects.attainment.attainment`. Final and reached: ``nas``; final and not
  reached: ``nas_inte``; ongoing and not yet reached: ``osakert``; no project, no indicator, no
  outcome or no target: ``saknar_data``.

Stryktips (one row per RUS and sub-strategy goal, one column per stage of the effect chain):
"X" when a goal in the row's subtree (the goal itself included) has an indicator at that stage,
"(X)" when the goals there have none (a hole in the follow-up), "" when no goal is at the stage.
A goal's stage is its ``steg``, or by default ``lang_sikt`` for RUS goals, ``medellang_sikt``
for sub-strategy goals and the stage of its indicator in the effect chains for project goals.
Resources and activities get "X" when a project of the register is in the subtree: its money
and its activities are known from the register.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from utvardering.effects.attainment import attainment, indicator_status
from utvardering.format import counted, fmt_kr, fmt_number, listed
from utvardering.goals.forecast import INTERVAL, Forecast, forecast_trend
from utvardering.protocol import check_lan_kod
from utvardering.vocabulary import CHAIN_STAGES

if TYPE_CHECKING:
    from utvardering.dataset import Dataset
    from utvardering.models import ChainModel

__all__ = [
    "CONTRIBUTION_COLUMNS",
    "GOAL_COLUMNS",
    "PEER_COLUMNS",
    "PEER_RULES",
    "SERIES_NAMES",
    "STAGE_IDS",
    "STATUS_LABELS",
    "STRYKTIPS_MARKS",
    "SUMMARY_COLUMNS",
    "GoalChainAnalysis",
    "analyse",
    "analyse_tables",
    "comparable_across_regions",
    "default_peers",
    "project_status",
    "regional_status",
]

# Status of a goal, in the order reports list them, with its Swedish label.
STATUS_LABELS: dict[str, str] = {
    "nas": "Når målet",
    "osakert": "Osäkert",
    "nas_inte": "Når inte målet",
    "ratt_riktning": "Går åt rätt håll",
    "oklar_riktning": "Ingen tydlig riktning",
    "fel_riktning": "Går åt fel håll",
    "saknar_data": "Saknar data",
}
# The six stages of the effect chain (the columns of the stryktips matrix), in chain order.
STAGE_IDS: tuple[str, ...] = tuple(CHAIN_STAGES)
# The stage of a goal whose ``steg`` is empty, by level (project goals: their indicator's).
DEFAULT_STAGES: dict[str, str] = {"rus": "lang_sikt", "understrategi": "medellang_sikt"}
PROJECT_DEFAULT_STAGE = "prestation"
# How the peers were chosen: the same riksområde (NUTS 2), the user's list, or every other
# region (when the region is alone in its riksområde, as Stockholm is).
PEER_RULES: tuple[str, ...] = ("riksomrade", "valda", "alla")
# The marks of the stryktips matrix: an indicator at the stage, only goals without one, none.
STRYKTIPS_MARKS: tuple[str, ...] = ("X", "(X)", "")

_PER_1000 = f"per {fmt_number(1000)} invånare"
# Swedish names of the regional series of indikatorer.csv.
SERIES_NAMES: dict[str, str] = {
    "befolkning": "Befolkning",
    "brp": "Bruttoregionprodukt (BRP)",
    "brp_per_inv": "BRP per invånare",
    "export_per_inv_20_64": "Export per invånare 20–64 år",
    "export_varde": "Exportens värde",
    "foretag_med_anstallda_per_1000_inv": f"Företag med minst en anställd {_PER_1000}",
    "fou_foretag": "Utgifter för forskning och utveckling i företag",
    "fou_hogskola": "Utgifter för forskning och utveckling i universitet och högskolor",
    "fou_offentlig": "Utgifter för forskning och utveckling i offentlig sektor",
    "nystartade_foretag": "Nystartade företag",
    "nystartade_per_1000_inv": f"Nystartade företag {_PER_1000}",
    "sysselsatta": "Sysselsatta",
    "utslapp": "Utsläpp av växthusgaser",
}

GOAL_COLUMNS: tuple[str, ...] = (
    "mal_id",
    "niva",
    "overordnat_mal_id",
    "djup",
    "mal",
    "indikator",
    "indikator_namn",
    "enhet",
    "arende_id",
    "projektnamn",
    "basar",
    "basvarde",
    "senaste_ar",
    "senaste_varde",
    "forandring",
    "malar",
    "malvarde",
    "riktning",
    "steg",
    "prognos",
    "prognos_lag",
    "prognos_hog",
    "status",
    "status_text",
    "motivering",
    "simulerad",
)
PEER_COLUMNS: tuple[str, ...] = (
    "indikator",
    "indikator_namn",
    "enhet",
    "riktning",
    "fran_ar",
    "till_ar",
    "lan",
    "forandring",
    "forandring_relativ",
    "jamforelse_median",
    "jamforelse_median_forandring_relativ",
    "plats",
    "av",
)
CONTRIBUTION_COLUMNS: tuple[str, ...] = (
    "mal_id",
    "niva",
    "mal",
    "arende_id",
    "projektnamn",
    "belopp_sek",
    "projekt_mal_id",
    "projekt_status",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "mal_id",
    "niva",
    "mal",
    "n_projekt",
    "belopp_sek",
    "n_nas",
    "n_projektmal",
)
UNSERVED_COLUMNS: tuple[str, ...] = ("mal_id", "niva", "mal")
_REGIONAL = ("rus", "understrategi")
_SIMULATED = "Simulerad"
_INTERVAL_TEXT = f"{fmt_number(100 * INTERVAL)} % osäkerhetsintervall"
_REPORT_NAMES = {"slutrapport": "slutrapporten", "lagesrapport": "senaste lägesrapporten"}


@dataclass(frozen=True)
class GoalChainAnalysis:
    """The follow-up of one region's goal chain (see the module docstring for the rules).

    ``goals``: one row per goal in tree order (each RUS goal, then its sub-strategy goals depth
    first, each followed by the project goals under it), columns :data:`GOAL_COLUMNS`;
    ``prognos``, ``prognos_lag`` and ``prognos_hog`` are the forecast and its 80 % interval at
    the target year (NaN without a forecast or target year). For a project goal ``malvarde`` is
    the target used (the goal's, else the project's own), ``senaste_ar`` / ``senaste_varde`` the
    year and value of the outcome that counts, ``enhet`` the indicator's unit.

    ``forecasts`` by ``mal_id`` for the regional goals with a forecast; ``history`` by
    indicator: the region's series (year → value); ``peer_history`` by indicator: year × peer
    ``lan_kod``. ``peer_table`` (:data:`PEER_COLUMNS`): per regional indicator the region's
    latest value (``lan``) and change from ``fran_ar`` (the earliest base year of the region's
    goals on it, else the first year of the series) to ``till_ar`` (the latest year), the
    relative change (a share), the peers' median value and median relative change over the same
    years, and the region's rank (``plats`` of ``av`` regions with a value) by relative change in
    the goal's direction (1 = the largest increase for ``oka``, decrease for ``minska``).

    ``contributions`` (:data:`CONTRIBUTION_COLUMNS`): one row per RUS or sub-strategy goal and
    project goal below it (at any depth), with the project's money in the region
    (``beviljat_belopp_sek`` × ``andel``; NaN for a project outside the register). A project
    with two goals under the same goal has two rows with the same ``belopp_sek``: sum money
    over distinct ``arende_id``, as ``contribution_summary`` (:data:`SUMMARY_COLUMNS`) does.
    ``unserved``: the RUS and sub-strategy goals with no project goal below them.
    ``stryktips``: index ``mal_id`` (RUS and sub-strategy goals), columns ``mal`` and
    :data:`STAGE_IDS`, marks "X", "(X)" or "".
    """

    lan_kod: str
    lan_namn: str
    goals: pd.DataFrame
    forecasts: Mapping[str, Forecast]
    history: Mapping[str, pd.Series]
    peers: tuple[str, ...]
    peer_rule: str
    peer_history: Mapping[str, pd.DataFrame]
    peer_table: pd.DataFrame
    contributions: pd.DataFrame
    contribution_summary: pd.DataFrame
    unserved: pd.DataFrame
    stryktips: pd.DataFrame
    stage_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def has_goals(self) -> bool:
        """True if the region has at least one goal."""
        return len(self.goals) > 0

    def status_counts(self, niva: str | None = None) -> dict[str, int]:
        """Goals per status (every status key, zeros included), of one level or all."""
        goals = self.goals if niva is None else self.goals[self.goals["niva"] == niva]
        counts = goals["status"].value_counts()
        return {key: int(counts.get(key, 0)) for key in STATUS_LABELS}

    @property
    def holes(self) -> pd.DataFrame:
        """The stryktips cells with "(X)": goals at the stage but no indicator (mal_id, steg)."""
        rows = [
            {"mal_id": mal_id, "mal": row["mal"], "steg": stage}
            for mal_id, row in self.stryktips.iterrows()
            for stage in STAGE_IDS
            if row[stage] == "(X)"
        ]
        return pd.DataFrame(rows, columns=["mal_id", "mal", "steg"])


def comparable_across_regions(unit: object) -> bool:
    """Whether a series' values can be set beside other regions' in one chart: a rate such as
    "kr per invånare" can, a level such as "personer" or "kton" cannot (the regions differ in
    size); the peer table compares the change in per cent for both."""
    return isinstance(unit, str) and " per " in f" {unit} "


def analyse(ds: Dataset, lan_kod: str, peers: tuple[str, ...] | None = None) -> GoalChainAnalysis:
    """The goal chain of region ``lan_kod`` from a dataset (see :func:`analyse_tables`).

    The dataset needs ``lan``, ``indikatorer``, ``projekt``, ``projekt_lan``,
    ``projektindikatorer`` and ``effektkedjor``; ``malkedja`` None means no region has goals.
    """
    needed = ("lan", "indikatorer", "projekt", "projekt_lan", "projektindikatorer")
    missing = [name for name in (*needed, "effektkedjor") if getattr(ds, name, None) is None]
    if missing:
        raise ValueError(
            f"Målkedjan kan inte analyseras utan {listed(missing)} i datasetet "
            f"(läs dem med load_dataset)."
        )
    return analyse_tables(
        lan_kod=lan_kod,
        lan=ds.lan,
        malkedja=getattr(ds, "malkedja", None),
        indikatorer=ds.indikatorer,
        projekt=ds.projekt,
        projekt_lan=ds.projekt_lan,
        projektindikatorer=ds.projektindikatorer,
        effektkedjor=ds.effektkedjor,
        peers=peers,
    )


def analyse_tables(
    *,
    lan_kod: str,
    lan: pd.DataFrame,
    malkedja: pd.DataFrame | None,
    indikatorer: pd.DataFrame,
    projekt: pd.DataFrame,
    projekt_lan: pd.DataFrame,
    projektindikatorer: pd.DataFrame,
    effektkedjor: ChainModel | None,
    peers: tuple[str, ...] | None = None,
) -> GoalChainAnalysis:
    """The goal chain of region ``lan_kod``, from the validated tables.

    ``peers`` None (or empty): the other regions of the same riksområde (``lan.nuts2_kod``), or
    every other region if there is none. A list: those regions (the region itself left out).
    Raises ParameterError for a region code that is not one of the 21.
    """
    lan_kod = check_lan_kod(lan_kod)
    names = lan.set_index("lan_kod")["lan_namn"]
    peer_codes, peer_rule = _choose_peers(lan, lan_kod, peers)
    stage_names = _stage_names(effektkedjor)
    regional_series = indikatorer[indikatorer["lan_kod"] == lan_kod]
    rows = (
        malkedja[malkedja["lan_kod"] == lan_kod]
        if malkedja is not None
        else pd.DataFrame(columns=["lan_kod", "mal_id", "niva", "overordnat_mal_id"])
    )
    ordered = _tree_order(rows)
    history = {
        indicator: _series(regional_series, indicator)
        for indicator in _regional_indicators(ordered)
    }
    goals, forecasts = _goal_table(
        ordered,
        history=history,
        indikatorer=indikatorer,
        lan_kod=lan_kod,
        projekt=projekt,
        projektindikatorer=projektindikatorer,
        effektkedjor=effektkedjor,
    )
    peer_history = {
        indicator: _peer_frame(indikatorer, indicator, peer_codes) for indicator in history
    }
    return GoalChainAnalysis(
        lan_kod=lan_kod,
        lan_namn=str(names.get(lan_kod, lan_kod)),
        goals=goals,
        forecasts=forecasts,
        history=history,
        peers=peer_codes,
        peer_rule=peer_rule,
        peer_history=peer_history,
        peer_table=_peer_table(goals, history, peer_history),
        contributions=(contributions := _contributions(goals, projekt, projekt_lan, lan_kod)),
        contribution_summary=_contribution_summary(goals, contributions),
        unserved=_unserved(goals),
        stryktips=_stryktips(goals),
        stage_names=stage_names,
    )


# --- status rules ------------------------------------------------------------------------------


def regional_status(
    series: pd.Series | None,
    *,
    riktning: str,
    malar: int | None = None,
    malvarde: float | None = None,
    has_indicator: bool = True,
    enhet: str | None = None,
) -> tuple[str, str, Forecast | None]:
    """Status, a short Swedish reason and the forecast of a regional goal (see module doc).

    ``series``: the region's values by year. The forecast runs to ``malar``, or only to the
    latest year when there is no target year or when the observed value in a passed target
    year decides the status. ``enhet``, if given, follows the trend's slope in the
    reason ("18 554 kr per invånare per år").
    """
    if not has_indicator:
        return "saknar_data", "målet har ingen indikator ännu", None
    values = (
        pd.Series(dtype=float)
        if series is None
        else pd.to_numeric(series, errors="coerce").astype(float).dropna()
    )
    values.index = values.index.astype(int)
    values = values.sort_index()
    if len(values) == 0:
        return "saknar_data", "länet har inga värden för indikatorn", None
    if len(values) < 3:
        years = _year_span(values.index.min(), values.index.max())
        return (
            "saknar_data",
            f"serien har bara {counted(len(values), 'värde', 'värden')} ({years}), "
            "minst 3 behövs för en prognos",
            None,
        )
    malar = None if _missing(malar) else int(malar)
    malvarde = None if _missing(malvarde) else float(malvarde)
    latest = int(values.index.max())
    forecast = forecast_trend(values, malar if malar is not None else latest)
    increase = riktning != "minska"
    if malvarde is not None and malar is not None:
        target = _num(malvarde)
        if malar <= latest and malar in values.index:
            observed = float(values[malar])
            reached = observed >= malvarde if increase else observed <= malvarde
            verb = "når" if reached else "når inte"
            # The observation decides: the trend is kept, but no forecast back to the target.
            return (
                "nas" if reached else "nas_inte",
                f"utfallet {malar} ({_num(observed)}) {verb} målvärdet {target}",
                forecast_trend(values, latest),
            )
        _mean, low, high = forecast.at(malar)
        decimals = _decimals(low, high)
        interval = f"{fmt_number(low, decimals)} till {fmt_number(high, decimals)}"
        prefix = f"utfall för {malar} saknas; " if malar <= latest else ""
        said = f"{prefix}prognosens {_INTERVAL_TEXT} för {malar} ({interval})"
        if (low >= malvarde) if increase else (high <= malvarde):
            side = "över" if increase else "under"
            return "nas", f"{said} ligger helt {side} målvärdet {target}", forecast
        if (high < malvarde) if increase else (low > malvarde):
            side = "under" if increase else "över"
            return "nas_inte", f"{said} ligger helt {side} målvärdet {target}", forecast
        return "osakert", f"{said} innehåller målvärdet {target}", forecast
    missing = "målvärde" if malvarde is None else "målår"
    decimals = _decimals(forecast.slope, forecast.slope_lower80, forecast.slope_upper80)
    per_year = f" {enhet} per år" if enhet and not _missing(enhet) else " per år"
    trend = (
        f"målet har inget {missing}; trenden {_year_span(forecast.fitted_years[0], latest)} är "
        f"{fmt_number(forecast.slope, decimals)}{per_year} ({_INTERVAL_TEXT} "
        f"{fmt_number(forecast.slope_lower80, decimals)} till "
        f"{fmt_number(forecast.slope_upper80, decimals)})"
    )
    wish = "öka" if increase else "minska"
    if forecast.slope_lower80 > 0 or forecast.slope_upper80 < 0:
        rising = forecast.slope_lower80 > 0
        status = "ratt_riktning" if rising == increase else "fel_riktning"
        return status, f"{trend}, och värdet ska {wish}", forecast
    return "oklar_riktning", f"{trend}, och intervallet innehåller noll", forecast


def project_status(
    outcome: Mapping | None,
    *,
    riktning: str = "oka",
    malvarde: float | None = None,
    has_project: bool = True,
    has_indicator: bool = True,
) -> tuple[str, str, float]:
    """Status, a short Swedish reason and the target used for a project goal.

    ``outcome``: the project's row of
    :func:`utvardering.effects.attainment.indicator_status` for the goal's indicator (None if
    the project does not report it). ``malvarde``: the goal's target; if missing, the project's
    own target (the row's ``malvarde``) is used.
    """
    own = np.nan if outcome is None or _missing(outcome.get("malvarde")) else outcome["malvarde"]
    target = float(own) if _missing(malvarde) else float(malvarde)
    if not has_project:
        return "saknar_data", "målet är inte kopplat till något projekt i projektregistret", target
    if not has_indicator:
        return "saknar_data", "målet har ingen indikator ännu", target
    if outcome is None:
        return "saknar_data", "projektet rapporterar inte indikatorn", target
    if outcome["status"] == "saknas":
        return "saknar_data", "slutrapporten saknar utfall för indikatorn", target
    if outcome["status"] == "ej_rapporterad" or _missing(outcome.get("utfall")):
        return "saknar_data", "projektet har inte rapporterat något utfall ännu", target
    if math.isnan(target):
        return "saknar_data", "målvärde saknas", target
    value = float(outcome["utfall"])
    unit = outcome.get("enhet", "antal")
    if riktning == "minska":
        reached = value <= target
    else:
        share = float(attainment([value], [target], [unit])[0])
        reached = share >= 1.0 if not math.isnan(share) else value >= target
    final = outcome["status"] == "slutlig"
    report = _REPORT_NAMES.get(str(outcome.get("rapport")), "rapporten")
    when = outcome.get("datum")
    year = "" if _missing(when) else f" ({pd.Timestamp(when).year})"
    said = f"{report}{year} visar {_amount(value, unit)} mot målvärdet {_amount(target, unit)}"
    if reached:
        return "nas", said, target
    if final:
        return "nas_inte", said, target
    return "osakert", f"{said}; projektet pågår", target


# --- building the tables -----------------------------------------------------------------------


def _choose_peers(
    lan: pd.DataFrame, lan_kod: str, peers: tuple[str, ...] | None
) -> tuple[tuple[str, ...], str]:
    if peers:
        chosen = tuple(dict.fromkeys(check_lan_kod(p, "jamforelselan") for p in peers))
        return tuple(p for p in chosen if p != lan_kod), "valda"
    return default_peers(lan, lan_kod)


def default_peers(lan: pd.DataFrame, lan_kod: str) -> tuple[tuple[str, ...], str]:
    """The default peer regions and their rule: the other regions of the same riksområde
    (``lan.nuts2_kod``, rule ``"riksomrade"``), or every other region when the area has no
    other (Stockholm, rule ``"alla"``). The goal chain and the region summary compare alike."""
    codes = lan["lan_kod"].astype(str)
    others = lan[codes != lan_kod]
    own = lan.loc[codes == lan_kod, "nuts2_kod"]
    same = others[others["nuts2_kod"].isin(own)] if len(own) else others.iloc[:0]
    if len(same):
        return tuple(same["lan_kod"].astype(str)), "riksomrade"
    return tuple(others["lan_kod"].astype(str)), "alla"


def _stage_names(model: ChainModel | None) -> dict[str, str]:
    if model is None:
        return {}
    return {stage_id: name for stage_id, name, _ in model.stages}


def _tree_order(rows: pd.DataFrame) -> pd.DataFrame:
    """The goals in tree order with their depth (``djup``); goals outside the tree last."""
    rows = rows.reset_index(drop=True)
    parent = rows["overordnat_mal_id"]
    children: dict[str, list[int]] = {}
    for i, p in parent.items():
        if not _missing(p):
            children.setdefault(str(p), []).append(i)
    order: list[tuple[int, int]] = []
    seen: set[int] = set()

    def visit(i: int, depth: int) -> None:
        if i in seen:
            return
        seen.add(i)
        order.append((i, depth))
        below = children.get(str(rows.at[i, "mal_id"]), [])
        for j in sorted(below, key=lambda j: rows.at[j, "niva"] == "projekt"):
            visit(j, depth + 1)

    for i in rows.index[rows["niva"] == "rus"]:
        visit(i, 0)
    for i in rows.index:  # never dropped: a goal the tree does not reach comes last
        visit(i, 0)
    index = [i for i, _ in order]
    out = rows.loc[index].reset_index(drop=True)
    out["djup"] = pd.array([d for _, d in order], dtype="Int64")
    return out


def _regional_indicators(goals: pd.DataFrame) -> list[str]:
    if "indikator" not in goals:
        return []
    regional = goals[goals["niva"].isin(_REGIONAL) & goals["indikator"].notna()]
    return list(dict.fromkeys(str(i) for i in regional["indikator"]))


def _series(rows: pd.DataFrame, indicator: str) -> pd.Series:
    part = rows[(rows["indikator"] == indicator) & rows["varde"].notna()]
    series = pd.Series(
        part["varde"].astype(float).to_numpy(), index=part["ar"].astype(int).to_numpy()
    )
    return series.sort_index().rename(indicator).rename_axis("ar")


def _peer_frame(indikatorer: pd.DataFrame, indicator: str, peers: tuple[str, ...]) -> pd.DataFrame:
    part = indikatorer[(indikatorer["indikator"] == indicator) & indikatorer["lan_kod"].isin(peers)]
    frame = part.pivot_table(index="ar", columns="lan_kod", values="varde", aggfunc="first")
    frame = frame.reindex(columns=[p for p in peers if p in frame.columns])
    frame.index = frame.index.astype(int)
    frame.columns.name = "lan_kod"
    return frame.sort_index()


def _unit(indikatorer: pd.DataFrame, lan_kod: str, indicator: str) -> object:
    part = indikatorer[indikatorer["indikator"] == indicator]
    own = part.loc[part["lan_kod"] == lan_kod, "enhet"].dropna()
    units = own if len(own) else part["enhet"].dropna()
    return units.iloc[-1] if len(units) else pd.NA


def _project_stage(model: ChainModel | None, chain: object, indicator: str) -> str:
    if model is None:
        return PROJECT_DEFAULT_STAGE
    chains = sorted(model.chains, key=lambda c: c.id != chain)  # the project's chain first
    for each in chains:
        for stage, (_, indicators) in each.stages.items():
            if any(i.id == indicator for i in indicators):
                return stage
    return PROJECT_DEFAULT_STAGE


def _goal_table(
    ordered: pd.DataFrame,
    *,
    history: Mapping[str, pd.Series],
    indikatorer: pd.DataFrame,
    lan_kod: str,
    projekt: pd.DataFrame,
    projektindikatorer: pd.DataFrame,
    effektkedjor: ChainModel | None,
) -> tuple[pd.DataFrame, dict[str, Forecast]]:
    if ordered.empty:
        return _empty_goals(), {}
    project_ids = ordered.loc[ordered["niva"] == "projekt", "arende_id"].dropna().astype(str)
    outcomes = indicator_status(
        projektindikatorer[projektindikatorer["arende_id"].isin(set(project_ids))]
    ).set_index(["arende_id", "indikator"])
    project_rows = projekt.set_index("arende_id")
    indicator_model = effektkedjor.indicators if effektkedjor is not None else {}
    forecasts: dict[str, Forecast] = {}
    rows = []
    for goal in ordered.to_dict("records"):
        level = goal["niva"]
        indicator = None if _missing(goal.get("indikator")) else str(goal["indikator"])
        row = {column: goal.get(column, pd.NA) for column in GOAL_COLUMNS}
        row["mal_id"], row["djup"] = str(goal["mal_id"]), int(goal["djup"])
        for column in ("overordnat_mal_id", "indikator", "arende_id", "steg"):
            row[column] = pd.NA if _missing(goal.get(column)) else str(goal[column])
        for column in ("basar", "malar"):
            row[column] = pd.NA if _missing(goal.get(column)) else int(goal[column])
        for column in ("basvarde", "malvarde"):
            row[column] = np.nan if _missing(goal.get(column)) else float(goal[column])
        row["projektnamn"] = pd.NA
        row["senaste_ar"], row["senaste_varde"] = pd.NA, np.nan
        row["prognos"] = row["prognos_lag"] = row["prognos_hog"] = np.nan
        row["simulerad"] = goal.get("kalla") == _SIMULATED
        if level in _REGIONAL:
            series = history.get(indicator) if indicator else None
            row["indikator_namn"] = (
                SERIES_NAMES.get(indicator, indicator.replace("_", " ").capitalize())
                if indicator
                else pd.NA
            )
            row["enhet"] = _unit(indikatorer, lan_kod, indicator) if indicator else pd.NA
            if series is not None and len(series):
                row["senaste_ar"] = int(series.index[-1])
                row["senaste_varde"] = float(series.iloc[-1])
                if math.isnan(row["basvarde"]) and not _missing(row["basar"]):
                    row["basvarde"] = float(series.get(row["basar"], np.nan))
            status, reason, forecast = regional_status(
                series,
                riktning=goal["riktning"],
                malar=row["malar"],
                malvarde=row["malvarde"],
                has_indicator=indicator is not None,
                enhet=None if _missing(row["enhet"]) else str(row["enhet"]),
            )
            if forecast is not None:
                forecasts[row["mal_id"]] = forecast
                if not _missing(row["malar"]) and row["malar"] in forecast.years:
                    row["prognos"], row["prognos_lag"], row["prognos_hog"] = forecast.at(
                        row["malar"]
                    )
            if _missing(row["steg"]):
                row["steg"] = DEFAULT_STAGES[level]
        else:
            arende = row["arende_id"]
            known = indicator_model.get(indicator) if indicator else None
            row["indikator_namn"] = known.name if known else (indicator or pd.NA)
            row["enhet"] = known.unit if known else pd.NA
            chain = pd.NA
            if not _missing(arende) and arende in project_rows.index:
                row["projektnamn"] = project_rows.at[arende, "projektnamn"]
                chain = project_rows.at[arende, "effektkedja"]
            key = (arende, indicator)
            outcome = (
                outcomes.loc[key].to_dict()
                if indicator and not _missing(arende) and key in outcomes.index
                else None
            )
            if outcome is not None:
                row["enhet"] = outcome.get("enhet", row["enhet"])
                if not _missing(outcome.get("utfall")):
                    row["senaste_varde"] = float(outcome["utfall"])
                    row["senaste_ar"] = int(pd.Timestamp(outcome["datum"]).year)
            status, reason, target = project_status(
                outcome,
                riktning=goal["riktning"],
                malvarde=row["malvarde"],
                has_project=not _missing(arende),
                has_indicator=indicator is not None,
            )
            row["malvarde"] = target
            if _missing(row["steg"]):
                row["steg"] = (
                    _project_stage(effektkedjor, chain, indicator)
                    if indicator
                    else PROJECT_DEFAULT_STAGE
                )
        row["forandring"] = row["senaste_varde"] - row["basvarde"]
        row["status"], row["status_text"], row["motivering"] = (
            status,
            STATUS_LABELS[status],
            reason,
        )
        rows.append(row)
    return _typed_goals(pd.DataFrame(rows, columns=list(GOAL_COLUMNS))), forecasts


_TEXT_COLUMNS = (
    "mal_id",
    "niva",
    "overordnat_mal_id",
    "mal",
    "indikator",
    "indikator_namn",
    "enhet",
    "arende_id",
    "projektnamn",
    "riktning",
    "steg",
    "status",
    "status_text",
    "motivering",
)
_INT_COLUMNS = ("djup", "basar", "senaste_ar", "malar")
_FLOAT_COLUMNS = (
    "basvarde",
    "senaste_varde",
    "forandring",
    "malvarde",
    "prognos",
    "prognos_lag",
    "prognos_hog",
)


def _typed_goals(frame: pd.DataFrame) -> pd.DataFrame:
    for column in _TEXT_COLUMNS:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), pd.NA)
    for column in _INT_COLUMNS:
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    for column in _FLOAT_COLUMNS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["simulerad"] = frame["simulerad"].astype(bool)
    return frame


def _empty_goals() -> pd.DataFrame:
    return _typed_goals(pd.DataFrame({column: [] for column in GOAL_COLUMNS}))


def _subtrees(goals: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each RUS and sub-strategy goal's subtree (itself first), from the tree order."""
    out = {}
    depth = goals["djup"].to_numpy(dtype=int)
    for i, row in enumerate(goals.itertuples(index=False)):
        if row.niva not in _REGIONAL:
            continue
        end = i + 1
        while end < len(goals) and depth[end] > depth[i]:
            end += 1
        out[row.mal_id] = goals.iloc[i:end]
    return out


def _contributions(
    goals: pd.DataFrame, projekt: pd.DataFrame, projekt_lan: pd.DataFrame, lan_kod: str
) -> pd.DataFrame:
    shares = projekt_lan.loc[projekt_lan["lan_kod"] == lan_kod, ["arende_id", "andel"]]
    money = shares.merge(projekt[["arende_id", "beviljat_belopp_sek"]], on="arende_id")
    amount = (money["beviljat_belopp_sek"] * money["andel"]).groupby(money["arende_id"]).sum()
    rows = []
    for mal_id, subtree in _subtrees(goals).items():
        head = subtree.iloc[0]
        for project_goal in subtree[subtree["niva"] == "projekt"].itertuples(index=False):
            arende = project_goal.arende_id
            rows.append(
                {
                    "mal_id": mal_id,
                    "niva": head["niva"],
                    "mal": head["mal"],
                    "arende_id": arende,
                    "projektnamn": project_goal.projektnamn,
                    "belopp_sek": np.nan if _missing(arende) else float(amount.get(arende, np.nan)),
                    "projekt_mal_id": project_goal.mal_id,
                    "projekt_status": project_goal.status,
                }
            )
    frame = pd.DataFrame(rows, columns=list(CONTRIBUTION_COLUMNS))
    frame["belopp_sek"] = frame["belopp_sek"].astype(float)
    return frame


def _contribution_summary(goals: pd.DataFrame, contributions: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for row in goals[goals["niva"].isin(_REGIONAL)].itertuples(index=False):
        part = contributions[contributions["mal_id"] == row.mal_id]
        projects = part[part["arende_id"].notna()].drop_duplicates("arende_id")
        rows.append(
            {
                "mal_id": row.mal_id,
                "niva": row.niva,
                "mal": row.mal,
                "n_projekt": len(projects),
                "belopp_sek": float(projects["belopp_sek"].sum()),
                "n_nas": int((part["projekt_status"] == "nas").sum()),
                "n_projektmal": len(part),
            }
        )
    frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for column in ("n_projekt", "n_nas", "n_projektmal"):
        frame[column] = frame[column].astype(int)
    frame["belopp_sek"] = frame["belopp_sek"].astype(float)
    return frame


def _unserved(goals: pd.DataFrame) -> pd.DataFrame:
    rows = [
        {"mal_id": mal_id, "niva": subtree.iloc[0]["niva"], "mal": subtree.iloc[0]["mal"]}
        for mal_id, subtree in _subtrees(goals).items()
        if not (subtree["niva"] == "projekt").any()
    ]
    return pd.DataFrame(rows, columns=list(UNSERVED_COLUMNS))


def _stryktips(goals: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for mal_id, subtree in _subtrees(goals).items():
        row = {"mal_id": mal_id, "mal": subtree.iloc[0]["mal"]}
        for stage in STAGE_IDS:
            at_stage = subtree[subtree["steg"] == stage]
            if at_stage["indikator"].notna().any():
                row[stage] = "X"
            elif len(at_stage):
                row[stage] = "(X)"
            else:
                row[stage] = ""
        # The register knows a project's money and activities.
        if ((subtree["niva"] == "projekt") & subtree["arende_id"].notna()).any():
            row["resurser"] = row["aktiviteter"] = "X"
        rows.append(row)
    return pd.DataFrame(rows, columns=["mal_id", "mal", *STAGE_IDS]).set_index("mal_id")


def _peer_table(
    goals: pd.DataFrame,
    history: Mapping[str, pd.Series],
    peer_history: Mapping[str, pd.DataFrame],
) -> pd.DataFrame:
    rows = []
    regional = goals[goals["niva"].isin(_REGIONAL)]
    for indicator, series in history.items():
        if not len(series):
            continue
        on_it = regional[regional["indikator"] == indicator]
        first = on_it.iloc[0]
        base_years = [int(y) for y in on_it["basar"].dropna() if int(y) in series.index]
        start = min(base_years) if base_years else int(series.index[0])
        end = int(series.index[-1])
        change = float(series[end] - series[start])
        relative = _relative(series[start], series[end])
        peers = peer_history[indicator]
        peer_change = (
            pd.Series(
                [_relative(peers.at[start, c], peers.at[end, c]) for c in peers.columns],
                index=peers.columns,
                dtype=float,
            )
            if start in peers.index and end in peers.index
            else pd.Series(dtype=float)
        ).dropna()
        peer_latest = peers.loc[end].dropna() if end in peers.index else pd.Series(dtype=float)
        all_changes = pd.concat([pd.Series([relative]), peer_change], ignore_index=True).dropna()
        increase = first["riktning"] != "minska"
        if math.isnan(relative):
            place = pd.NA
        else:
            better = (all_changes > relative) if increase else (all_changes < relative)
            place = int(better.sum()) + 1
        rows.append(
            {
                "indikator": indicator,
                "indikator_namn": first["indikator_namn"],
                "enhet": first["enhet"],
                "riktning": first["riktning"],
                "fran_ar": start,
                "till_ar": end,
                "lan": float(series[end]),
                "forandring": change,
                "forandring_relativ": relative,
                "jamforelse_median": float(peer_latest.median()) if len(peer_latest) else np.nan,
                "jamforelse_median_forandring_relativ": float(peer_change.median())
                if len(peer_change)
                else np.nan,
                "plats": place,
                "av": len(all_changes),
            }
        )
    frame = pd.DataFrame(rows, columns=list(PEER_COLUMNS))
    for column in ("fran_ar", "till_ar", "plats", "av"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    for column in (
        "lan",
        "forandring",
        "forandring_relativ",
        "jamforelse_median",
        "jamforelse_median_forandring_relativ",
    ):
        frame[column] = frame[column].astype(float)
    return frame


# --- small helpers -----------------------------------------------------------------------------


def _missing(value: object) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _relative(start: object, end: object) -> float:
    if _missing(start) or _missing(end) or float(start) == 0:
        return np.nan
    return (float(end) - float(start)) / abs(float(start))


def _year_span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def _decimals(*values: float) -> int:
    """Decimals enough for the largest of ``values``: 0 from 100, 1 from 1, else two digits."""
    size = max((abs(v) for v in values if not _missing(v)), default=0.0)
    if size >= 100:
        return 0
    if size >= 1:
        return 1
    if size == 0:
        return 1
    return min(4, 1 - math.floor(math.log10(size)))


def _amount(value: float, unit: object) -> str:
    """A project indicator's value with its unit where it reads well: "1,2 mnkr", "45 %"."""
    if unit == "kr":
        return fmt_kr(value)
    if unit == "procent":
        return f"{_num(value)}\u00a0%"
    return _num(value)


def _num(value: float) -> str:
    """A value in a reason: whole numbers without decimals, others by :func:`_decimals`."""
    if _missing(value):
        return "–"
    value = float(value)
    if value.is_integer():
        return fmt_number(value, 0)
    return fmt_number(value, _decimals(value))
