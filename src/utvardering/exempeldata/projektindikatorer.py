"""Simulated indicator reports (ansökan, lägesrapport, slutrapport) for example projects.

Every project follows one effect chain (``effektkedja``). The chain, read from
``data/effektkedjor.yaml``, decides which indicators the project reports: the mandatory output
indicators of its ``prestation`` stage and the chain's standard indicators at ``kort_sikt`` and
``medellang_sikt``. For each indicator the simulation produces the rows of the national project
system (NYPS):

* ``ansokan``: the target (``malvarde``) set in the application, no outcome;
* ``lagesrapport``: one per full project year, with the cumulative outcome so far (output and
  short-term indicators only, since medium-term effects arise after the project);
* ``slutrapport``: the final outcome, only when the final report is due by the snapshot date;
  medium-term outcomes are missing in about 30 % of final reports.

Targets scale with the granted amount; outcomes are target times an attainment factor drawn
from a log-normal distribution per chain and stage, correlated within a project.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
import pandas as pd

from utvardering.vocabulary import INDICATOR_STAGES, REPORT_TYPES

__all__ = ["OUTPUT_COLUMNS", "simulate_project_indicators"]

OUTPUT_COLUMNS: tuple[str, ...] = (
    "arende_id",
    "indikator",
    "steg",
    "enhet",
    "malvarde",
    "utfall",
    "rapport",
    "datum",
)
PROJECT_COLUMNS: tuple[str, ...] = (
    "arende_id",
    "startdatum",
    "slutdatum",
    "effektkedja",
    "beviljat_belopp_sek",
)
REPORTED_STAGES: tuple[str, ...] = tuple(INDICATOR_STAGES)
PROGRESS_STAGES: tuple[str, ...] = ("prestation", "kort_sikt")
APPLICATION, PROGRESS_REPORT, FINAL_REPORT = tuple(REPORT_TYPES)

APPLICATION_LEAD_DAYS = (30, 122)  # application 1-4 months before the start
FINAL_REPORT_LAG_DAYS = (61, 122)  # final report 2-4 months after the end
MEDIUM_TERM_MISSING_SHARE = 0.30
PROJECT_CORRELATION = 0.7  # weight of the project-level factor in the attainment
INDEX_BASE = 100.0
INDEX_NOISE_SD = 3.0


@dataclass(frozen=True)
class TargetRule:
    """How an indicator's target is derived from the granted amount.

    ``kind`` is ``per_msek`` (a count per granted MSEK, at least ``minimum``),
    ``budget_share`` (a share of the granted amount in kr) or ``level`` (a percent or index
    level independent of the budget). ``spread`` is the log-normal spread between projects.
    """

    kind: str
    value: float
    minimum: float = 0.0
    spread: float = 0.35


TARGET_RULES: dict[str, TargetRule] = {
    # Outputs (prestation)
    "investeringar_antal": TargetRule("per_msek", 1.2, 1),
    "investeringar_kr": TargetRule("budget_share", 0.6, spread=0.2),
    "deltagande_organisationer": TargetRule("per_msek", 3.0, 2),
    "deltagande_foretag": TargetRule("per_msek", 10.0, 3),
    "kunskapsunderlag": TargetRule("per_msek", 1.0, 1),
    "spridningsaktiviteter": TargetRule("per_msek", 4.0, 2),
    "metoder_utvecklade": TargetRule("per_msek", 0.8, 1),
    "deltagande_individer": TargetRule("per_msek", 15.0, 5),
    # Short term (kort_sikt)
    "hushall_bredband_100": TargetRule("per_msek", 40.0, 10),
    "miljoer_i_bruk": TargetRule("per_msek", 0.4, 1),
    "mottagande_organisationer": TargetRule("per_msek", 8.0, 3),
    "andel_battre_underlag": TargetRule("level", 70.0, spread=0.15),
    "andel_okad_kunskap_metoder": TargetRule("level", 75.0, spread=0.15),
    "foretag_nadda": TargetRule("per_msek", 25.0, 5),
    "andel_okad_formaga": TargetRule("level", 75.0, spread=0.15),
    "andel_startat_foretag": TargetRule("level", 30.0, spread=0.3),
    # Medium term (medellang_sikt)
    "anvandare_per_ar": TargetRule("per_msek", 2500.0, 100),
    "servicegrad_index": TargetRule("level", 115.0, spread=0.4),
    "underlag_tillampade": TargetRule("per_msek", 0.6, 1),
    "nya_insatser_fran_underlag": TargetRule("per_msek", 0.5, 1),
    "metoder_i_ordinarie_verksamhet": TargetRule("per_msek", 0.5, 1),
    "andel_org_tillampar": TargetRule("level", 50.0, spread=0.25),
    "foretag_nya_metoder": TargetRule("per_msek", 3.0, 1),
    "foretag_nya_marknader": TargetRule("per_msek", 1.2, 1),
    "omsattning_index": TargetRule("level", 112.0, spread=0.4),
}
DEFAULT_TARGET_RULES: dict[str, TargetRule] = {
    "antal": TargetRule("per_msek", 2.0, 1),
    "kr": TargetRule("budget_share", 0.5, spread=0.2),
    "procent": TargetRule("level", 50.0, spread=0.25),
    "index": TargetRule("level", 110.0, spread=0.4),
}
PERCENT_TARGET_RANGE = (5.0, 95.0)

# Attainment (utfall / malvarde) is log-normal: log-mean and log-sd per chain and stage.
# Outputs: median 100-105 %, mostly 75-130 %; the mean output attainment of about 60 % of
# projects reaches 100 %. Short term: median 65-100 %, mostly 45-115 %. Medium term: lower
# and more spread. Infrastructure is the most predictable chain; the indirect chain, acting
# through intermediaries, has the lowest short- and medium-term attainment.
ATTAINMENT: dict[tuple[str, str], tuple[float, float]] = {
    ("infrastruktur", "prestation"): (0.02, 0.14),
    ("infrastruktur", "kort_sikt"): (-0.15, 0.25),
    ("infrastruktur", "medellang_sikt"): (-0.35, 0.40),
    ("kunskap", "prestation"): (0.05, 0.18),
    ("kunskap", "kort_sikt"): (-0.25, 0.30),
    ("kunskap", "medellang_sikt"): (-0.45, 0.50),
    ("varor_tjanster_indirekt", "prestation"): (0.02, 0.20),
    ("varor_tjanster_indirekt", "kort_sikt"): (-0.35, 0.30),
    ("varor_tjanster_indirekt", "medellang_sikt"): (-0.60, 0.55),
    ("varor_tjanster_direkt", "prestation"): (0.04, 0.20),
    ("varor_tjanster_direkt", "kort_sikt"): (-0.30, 0.35),
    ("varor_tjanster_direkt", "medellang_sikt"): (-0.55, 0.60),
}
DEFAULT_ATTAINMENT: dict[str, tuple[float, float]] = {
    "prestation": (0.02, 0.20),
    "kort_sikt": (-0.30, 0.30),
    "medellang_sikt": (-0.50, 0.50),
}
PROGRESS_EXPONENT_RANGE = (1.0, 1.6)  # > 1: progress is back-loaded over the project years


def simulate_project_indicators(
    projects: pd.DataFrame,
    chains: dict,
    rng: np.random.Generator,
    *,
    snapshot: datetime.date = datetime.date(2024, 6, 30),
) -> pd.DataFrame:
    """Simulate the indicator rows that the projects report in NYPS up to ``snapshot``.

    ``projects`` needs the columns ``arende_id``, ``startdatum``, ``slutdatum``,
    ``effektkedja`` and ``beviljat_belopp_sek``; ``chains`` is the loaded
    ``data/effektkedjor.yaml``. Returns a long table with the columns of ``OUTPUT_COLUMNS``,
    sorted by (arende_id, indikator, datum, rapport). Raises ``ValueError`` if a project's
    chain is not in ``chains``.
    """
    snapshot_ts = pd.Timestamp(snapshot)
    chain_map = _chain_map(chains)
    _validate_projects(projects, chain_map)
    if projects.empty:
        return _empty_result()
    plan = _indicator_plan(chain_map)
    project_draws = _draw_project_parameters(projects, rng)
    rows = project_draws.merge(plan, on="effektkedja", how="inner", sort=False)
    rows = rows.sort_values(["arende_id", "ordning"], kind="stable", ignore_index=True)
    rows["malvarde"] = _targets(rows, rng)
    rows["utfall_slut"] = _final_outcomes(rows, rng)
    reports = pd.concat(
        [
            _application_rows(rows),
            _progress_rows(rows, snapshot_ts),
            _final_report_rows(rows, snapshot_ts),
        ],
        ignore_index=True,
    )
    reports = reports.loc[reports["datum"] <= snapshot_ts]
    return _finalise(reports)


def _chain_map(chains: dict) -> dict[str, dict]:
    """Return the chains of the YAML document keyed by chain id."""
    if not isinstance(chains, dict) or not isinstance(chains.get("kedjor"), list):
        raise ValueError("Effektkedjorna saknar listan 'kedjor' (läs data/effektkedjor.yaml).")
    return {chain["id"]: chain for chain in chains["kedjor"]}


def _validate_projects(projects: pd.DataFrame, chain_map: dict[str, dict]) -> None:
    """Raise ``ValueError`` for missing columns, duplicate ids or unknown chains."""
    missing = [column for column in PROJECT_COLUMNS if column not in projects.columns]
    if missing:
        raise ValueError(f"Projekttabellen saknar kolumnerna: {', '.join(missing)}.")
    if projects["arende_id"].duplicated().any():
        raise ValueError("Projekttabellen har dubbletter i 'arende_id'.")
    unknown = sorted(set(projects["effektkedja"].astype(str)) - set(chain_map))
    if unknown:
        raise ValueError(
            f"Okänd effektkedja: {', '.join(unknown)}. Kända effektkedjor: {', '.join(chain_map)}."
        )


def _indicator_plan(chain_map: dict[str, dict]) -> pd.DataFrame:
    """List the reported indicators of every chain with their stage, unit and order."""
    records = []
    for chain_id, chain in chain_map.items():
        stages = chain.get("steg") or {}
        for stage in REPORTED_STAGES:
            for indicator in (stages.get(stage) or {}).get("indikatorer") or []:
                records.append(
                    {
                        "effektkedja": chain_id,
                        "indikator": indicator["id"],
                        "steg": stage,
                        "enhet": indicator["enhet"],
                        "ordning": len(records),
                    }
                )
    return pd.DataFrame.from_records(
        records, columns=["effektkedja", "indikator", "steg", "enhet", "ordning"]
    )


def _draw_project_parameters(projects: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Sort the projects by id and draw their report lags, performance and progress curve."""
    frame = pd.DataFrame(
        {
            "arende_id": projects["arende_id"].astype(str).to_numpy(),
            "startdatum": pd.to_datetime(projects["startdatum"]).to_numpy(),
            "slutdatum": pd.to_datetime(projects["slutdatum"]).to_numpy(),
            "effektkedja": projects["effektkedja"].astype(str).to_numpy(),
            "belopp": projects["beviljat_belopp_sek"].to_numpy(dtype=float),
        }
    )
    frame = frame.sort_values("arende_id", kind="stable", ignore_index=True)
    n = len(frame)
    frame["ansokan_dagar"] = rng.integers(*APPLICATION_LEAD_DAYS, size=n, endpoint=True)
    frame["slutrapport_dagar"] = rng.integers(*FINAL_REPORT_LAG_DAYS, size=n, endpoint=True)
    frame["prestationsfaktor"] = rng.standard_normal(n)
    frame["progressexponent"] = rng.uniform(*PROGRESS_EXPONENT_RANGE, size=n)
    return frame


def _target_rule(indicator: str, unit: str) -> TargetRule:
    """Return the target rule of an indicator, falling back on its unit."""
    if indicator in TARGET_RULES:
        return TARGET_RULES[indicator]
    if unit not in DEFAULT_TARGET_RULES:
        raise ValueError(f"Okänd enhet '{unit}' för indikatorn '{indicator}'.")
    return DEFAULT_TARGET_RULES[unit]


def _targets(rows: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Draw each row's target, scaled by the granted amount for counts and kronor."""
    rules = [_target_rule(i, u) for i, u in zip(rows["indikator"], rows["enhet"], strict=True)]
    kind = np.array([rule.kind for rule in rules])
    value = np.array([rule.value for rule in rules])
    minimum = np.array([rule.minimum for rule in rules])
    spread = np.array([rule.spread for rule in rules])
    factor = np.exp(spread * rng.standard_normal(len(rows)))
    msek = rows["belopp"].to_numpy() / 1e6
    unit = rows["enhet"].to_numpy()

    per_msek = np.maximum(minimum, np.round(value * msek * factor))
    budget = np.minimum(value * factor, 0.95) * rows["belopp"].to_numpy()
    percent = np.clip(np.round(value * factor), *PERCENT_TARGET_RANGE)
    index = np.round(INDEX_BASE + (value - INDEX_BASE) * factor, 1)
    level = np.where(unit == "index", index, np.where(unit == "procent", percent, value * factor))
    target = np.select(
        [kind == "per_msek", kind == "budget_share"], [per_msek, budget], default=level
    )
    return _round_by_unit(target, unit)


def _attainment_parameters(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Return the log-mean and log-sd of the attainment for each row."""
    params = [
        ATTAINMENT.get((chain, stage), DEFAULT_ATTAINMENT[stage])
        for chain, stage in zip(rows["effektkedja"], rows["steg"], strict=True)
    ]
    mu, sigma = np.array(params, dtype=float).reshape(-1, 2).T
    return mu, sigma


def _final_outcomes(rows: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Draw each row's final outcome as target times a correlated log-normal attainment."""
    n = len(rows)
    mu, sigma = _attainment_parameters(rows)
    own = rng.standard_normal(n)
    index_noise = rng.normal(0.0, INDEX_NOISE_SD, size=n)
    missing = rng.uniform(size=n) < MEDIUM_TERM_MISSING_SHARE

    rho = PROJECT_CORRELATION
    latent = rho * rows["prestationsfaktor"].to_numpy() + np.sqrt(1 - rho**2) * own
    attainment = np.exp(mu + sigma * latent)
    target = rows["malvarde"].to_numpy()
    unit = rows["enhet"].to_numpy()
    index_outcome = INDEX_BASE + (target - INDEX_BASE) * attainment + index_noise
    outcome = np.where(unit == "index", index_outcome, target * attainment)
    outcome = _round_by_unit(outcome, unit)
    medium_missing = missing & (rows["steg"].to_numpy() == "medellang_sikt")
    return np.where(medium_missing, np.nan, outcome)


def _round_by_unit(values: np.ndarray, unit: np.ndarray) -> np.ndarray:
    """Round values as reported: whole counts, thousands of kr, one decimal for shares."""
    values = np.maximum(np.asarray(values, dtype=float), 0.0)
    return np.select(
        [unit == "antal", unit == "kr", unit == "procent"],
        [np.round(values), np.round(values, -3), np.clip(np.round(values, 1), 0.0, 100.0)],
        default=np.round(values, 1),
    )


def _report_frame(rows: pd.DataFrame, report: str, dates, outcomes) -> pd.DataFrame:
    """Assemble report rows in the output layout."""
    return pd.DataFrame(
        {
            "arende_id": rows["arende_id"].to_numpy(),
            "indikator": rows["indikator"].to_numpy(),
            "steg": rows["steg"].to_numpy(),
            "enhet": rows["enhet"].to_numpy(),
            "malvarde": rows["malvarde"].to_numpy(dtype=float),
            "utfall": np.asarray(outcomes, dtype=float),
            "rapport": report,
            "datum": pd.DatetimeIndex(dates),
        }
    )


def _application_rows(rows: pd.DataFrame) -> pd.DataFrame:
    """Return the application rows: the target, no outcome, 1-4 months before the start."""
    dates = rows["startdatum"] - pd.to_timedelta(rows["ansokan_dagar"], unit="D")
    return _report_frame(rows, APPLICATION, dates, np.full(len(rows), np.nan))


def _progress_rows(rows: pd.DataFrame, snapshot: pd.Timestamp) -> pd.DataFrame:
    """Return one progress report per full project year before the end, with progress so far.

    A progress report is dated at each anniversary of the start that falls before the end
    date and not after the snapshot. Its outcome is the final outcome scaled by the share of
    the project time elapsed, raised to the project's progress exponent.
    """
    rows = rows.loc[rows["steg"].isin(PROGRESS_STAGES)]
    frames = []
    year = 1
    while True:
        dates = rows["startdatum"] + pd.DateOffset(years=year)
        due = (dates < rows["slutdatum"]) & (dates <= snapshot)
        if not due.any():
            break
        due_rows = rows.loc[due]
        frames.append(
            _report_frame(due_rows, PROGRESS_REPORT, dates[due], _progress(due_rows, dates[due]))
        )
        year += 1
    if not frames:
        return _report_frame(rows.iloc[:0], PROGRESS_REPORT, [], [])
    return pd.concat(frames, ignore_index=True)


def _progress(rows: pd.DataFrame, dates: pd.Series) -> np.ndarray:
    """Return the cumulative outcome reported at ``dates``, at most the final outcome."""
    elapsed = (dates - rows["startdatum"]) / (rows["slutdatum"] - rows["startdatum"])
    share = elapsed.clip(0.0, 1.0).to_numpy(dtype=float) ** rows["progressexponent"].to_numpy()
    final = rows["utfall_slut"].to_numpy()
    unit = rows["enhet"].to_numpy()
    progress = np.where(unit == "index", INDEX_BASE + (final - INDEX_BASE) * share, final * share)
    return np.minimum(_round_by_unit(progress, unit), final)


def _final_report_rows(rows: pd.DataFrame, snapshot: pd.Timestamp) -> pd.DataFrame:
    """Return the final report rows, 2-4 months after the end, if due by the snapshot."""
    dates = rows["slutdatum"] + pd.to_timedelta(rows["slutrapport_dagar"], unit="D")
    due = dates <= snapshot
    return _report_frame(rows.loc[due], FINAL_REPORT, dates[due], rows.loc[due, "utfall_slut"])


def _finalise(reports: pd.DataFrame) -> pd.DataFrame:
    """Sort the report rows, fix the dtypes and reset the index."""
    reports = reports.sort_values(
        ["arende_id", "indikator", "datum", "rapport"], kind="stable", ignore_index=True
    )
    for column in ("arende_id", "indikator", "steg", "enhet", "rapport"):
        reports[column] = reports[column].astype(str)
    reports["malvarde"] = reports["malvarde"].astype(float)
    reports["utfall"] = reports["utfall"].astype(float)
    return reports.loc[:, list(OUTPUT_COLUMNS)]


def _empty_result() -> pd.DataFrame:
    """Return an empty result with the output columns and dtypes."""
    frame = pd.DataFrame({column: pd.Series(dtype=str) for column in OUTPUT_COLUMNS})
    frame["malvarde"] = frame["malvarde"].astype(float)
    frame["utfall"] = frame["utfall"].astype(float)
    frame["datum"] = pd.Series(dtype="datetime64[ns]")
    return frame
