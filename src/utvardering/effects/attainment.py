"""Goal attainment along the effect chain (*måluppfyllelse*): targets, outcomes, shares reached.

Rules, in the order they are applied:

* **Final or progress.** A project that has a final report (*slutrapport*) is finished and only
  the final report's outcomes count (status ``slutlig``). A project without a final report is
  ongoing and is shown as progress: the outcome of its latest progress report
  (*lägesrapport*, status ``pagaende``). A project with only its application has no outcome
  yet (``ej_rapporterad``). A finished project whose final report lacks an outcome for an
  indicator has status ``saknas`` for it: the outcome is missing, never counted as zero.
* **Attainment** is outcome / target. Index indicators have base 100 ("100 = before the
  project"), so their attainment is (outcome - 100) / (target - 100): a target of 110 and an
  outcome of 105 is half the planned improvement. A target of 0 (or 100 for an index) gives no
  attainment. A target is reached when attainment is at least 1.
* **A project reaches its targets at a stage** when every indicator of the stage with a final
  outcome reaches its target; a finished project with no final outcome at the stage is left out
  of that share (and counted as missing).
* **Projects in several län** count in full for each län they cover when projects are counted
  or shares are taken (a project's attainment is the same wherever it is reported), but summed
  targets and outcomes (counts and kronor) are weighted by the project's share in the län
  (``projekt_lan.andel``), so that nothing is counted twice in the national sum.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from utvardering.protocol import check_lan_kod
from utvardering.vocabulary import CHAIN_IDS, INDICATOR_STAGES

__all__ = [
    "STATUS_LABELS",
    "GoalAttainment",
    "attainment",
    "goal_attainment",
    "indicator_status",
]

# Status of one project's indicator, with its Swedish label.
STATUS_LABELS: dict[str, str] = {
    "slutlig": "Slutligt utfall (slutrapport)",
    "saknas": "Utfall saknas i slutrapporten",
    "pagaende": "Pågående (senaste lägesrapport)",
    "ej_rapporterad": "Inget utfall rapporterat ännu",
}
_INDEX_BASE = 100.0
_SUMMABLE_UNITS = ("antal", "kr")


def attainment(outcome, target, unit) -> np.ndarray:
    """Outcome / target per element; for index units (base 100) (outcome - 100) / (target - 100).

    Returns floats; NaN where the outcome or target is missing or the target leaves no room
    (0, or 100 for an index).

    >>> attainment([50, 105], [100, 110], ["antal", "index"]).round(2).tolist()
    [0.5, 0.5]
    """
    outcome = pd.to_numeric(pd.Series(outcome), errors="coerce").to_numpy(dtype=float)
    target = pd.to_numeric(pd.Series(target), errors="coerce").to_numpy(dtype=float)
    is_index = np.asarray(pd.Series(unit).astype(str) == "index")
    base = np.where(is_index, _INDEX_BASE, 0.0)
    room = target - base
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = (outcome - base) / room
    return np.where(np.isfinite(ratio) & (room != 0), ratio, np.nan)


def indicator_status(projektindikatorer: pd.DataFrame) -> pd.DataFrame:
    """One row per project and indicator: the outcome that counts, its status and attainment.

    Columns: ``arende_id``, ``indikator``, ``steg``, ``enhet``, ``malvarde``, ``utfall``,
    ``rapport`` and ``datum`` of the report used, ``status`` (see ``STATUS_LABELS``),
    ``maluppfyllelse`` (attainment, NaN if none) and ``nar_malet`` (bool, NA if no attainment).
    """
    rows = projektindikatorer
    finished = set(rows.loc[rows["rapport"] == "slutrapport", "arende_id"])
    is_finished = rows["arende_id"].isin(finished)
    final = rows[is_finished & (rows["rapport"] == "slutrapport")]
    progress = rows[~is_finished & (rows["rapport"] == "lagesrapport")]
    applied = rows[~is_finished]
    keys = ["arende_id", "indikator"]
    # Latest final report (there is normally one), latest progress report.
    final = final.sort_values("datum").groupby(keys, sort=False).tail(1)
    progress = progress.sort_values("datum").groupby(keys, sort=False).tail(1)
    # Indicators of ongoing projects that have no progress report yet: their application.
    applied = applied.sort_values("datum").groupby(keys, sort=False).tail(1)
    applied = applied[~applied.set_index(keys).index.isin(progress.set_index(keys).index)]
    # Indicators of finished projects that are missing from the final report altogether.
    earlier = rows[is_finished].sort_values("datum").groupby(keys, sort=False).tail(1)
    earlier = earlier[~earlier.set_index(keys).index.isin(final.set_index(keys).index)]
    earlier = earlier.assign(utfall=np.nan)
    out = pd.concat(
        [
            final.assign(status=np.where(final["utfall"].notna(), "slutlig", "saknas")),
            earlier.assign(status="saknas"),
            progress.assign(
                status=np.where(progress["utfall"].notna(), "pagaende", "ej_rapporterad")
            ),
            applied.assign(status="ej_rapporterad", utfall=np.nan),
        ],
        ignore_index=True,
    )
    columns = ["arende_id", "indikator", "steg", "enhet", "malvarde", "utfall", "rapport", "datum"]
    out = out[[*columns, "status"]].sort_values(keys, kind="stable").reset_index(drop=True)
    out["maluppfyllelse"] = attainment(out["utfall"], out["malvarde"], out["enhet"])
    reached = pd.array(out["maluppfyllelse"] >= 1.0, dtype="boolean")
    reached[out["maluppfyllelse"].isna().to_numpy()] = pd.NA
    out["nar_malet"] = reached
    return out


@dataclass(frozen=True)
class GoalAttainment:
    """Goal attainment of one region's (or the country's) projects by chain and stage.

    ``indicators``: one row per project and indicator (``indicator_status`` plus
    ``effektkedja`` and ``andel``, the project's share in the region). ``per_indicator``: per
    chain, stage and indicator the number of projects, summed (count and kronor units, weighted
    by share) or mean (percent and index) target and outcome of projects with a final outcome,
    their attainment and the share of projects reaching the target. ``per_stage``: per chain and
    stage the projects with final outcomes, the median attainment, the share of projects
    reaching all their targets at the stage, ongoing projects and their median progress, the
    missing indicator values (``n_utfall_saknas``) and the projects with at least one of them
    (``n_projekt_utfall_saknas``). ``lan_kod`` is None for the whole country.
    """

    lan_kod: str | None
    indicators: pd.DataFrame
    per_indicator: pd.DataFrame
    per_stage: pd.DataFrame

    @property
    def n_projects(self) -> int:
        """The number of projects in the region that report indicators."""
        return int(self.indicators["arende_id"].nunique())

    @property
    def n_finished(self) -> int:
        """Finished projects (with a final report)."""
        finished = self.indicators["status"].isin(["slutlig", "saknas"])
        return int(self.indicators.loc[finished, "arende_id"].nunique())

    def stage(self, chain: str, stage: str) -> pd.Series:
        """The summary row of one chain and stage."""
        table = self.per_stage
        return table[(table["effektkedja"] == chain) & (table["steg"] == stage)].iloc[0]


def goal_attainment(
    projektindikatorer: pd.DataFrame,
    projekt: pd.DataFrame,
    projekt_lan: pd.DataFrame,
    lan_kod: str | None = None,
) -> GoalAttainment:
    """Goal attainment by chain and stage for the projects covering ``lan_kod`` (None: all).

    Raises ParameterError for a län code that is not one of the 21 (the protocol's shared
    check, which also accepts the integer 7 for "07").
    """
    if lan_kod is not None:
        lan_kod = check_lan_kod(lan_kod)
    if lan_kod is None:
        shares = projekt_lan.groupby("arende_id", as_index=False)["andel"].sum()
    else:
        shares = projekt_lan.loc[projekt_lan["lan_kod"] == lan_kod, ["arende_id", "andel"]]
    status = indicator_status(
        projektindikatorer[projektindikatorer["arende_id"].isin(shares["arende_id"])]
    )
    status = status.merge(projekt[["arende_id", "effektkedja"]], on="arende_id", how="left")
    status = status.merge(shares, on="arende_id", how="left")
    return GoalAttainment(
        lan_kod=lan_kod,
        indicators=status,
        per_indicator=_per_indicator(status),
        per_stage=_per_stage(status),
    )


def _per_indicator(status: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (chain, stage, indicator, unit), group in status.groupby(
        ["effektkedja", "steg", "indikator", "enhet"], sort=False
    ):
        final = group[(group["status"] == "slutlig") & group["malvarde"].notna()]
        if unit in _SUMMABLE_UNITS:
            target = float((final["malvarde"] * final["andel"]).sum()) if len(final) else np.nan
            outcome = float((final["utfall"] * final["andel"]).sum()) if len(final) else np.nan
        else:
            target = float(final["malvarde"].mean()) if len(final) else np.nan
            outcome = float(final["utfall"].mean()) if len(final) else np.nan
        reached = final["nar_malet"].dropna()
        rows.append(
            {
                "effektkedja": chain,
                "steg": stage,
                "indikator": indicator,
                "enhet": unit,
                "n_projekt": int(group["arende_id"].nunique()),
                "n_slutliga": len(final),
                "n_pagaende": int((group["status"] == "pagaende").sum()),
                "n_saknas": int((group["status"] == "saknas").sum()),
                "malvarde": target,
                "utfall": outcome,
                "maluppfyllelse": float(attainment([outcome], [target], [unit])[0]),
                "andel_nar_malet": float(reached.mean()) if len(reached) else np.nan,
            }
        )
    table = pd.DataFrame(rows, columns=_INDICATOR_COLUMNS)
    return _ordered(table, ["indikator"])


_INDICATOR_COLUMNS = [
    "effektkedja",
    "steg",
    "indikator",
    "enhet",
    "n_projekt",
    "n_slutliga",
    "n_pagaende",
    "n_saknas",
    "malvarde",
    "utfall",
    "maluppfyllelse",
    "andel_nar_malet",
]


def _per_stage(status: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for chain in CHAIN_IDS:
        for stage in INDICATOR_STAGES:
            group = status[(status["effektkedja"] == chain) & (status["steg"] == stage)]
            final = group[group["status"] == "slutlig"]
            finished = group[group["status"].isin(["slutlig", "saknas"])]
            ongoing = group[group["status"].isin(["pagaende", "ej_rapporterad"])]
            # A project reaches its stage targets if every final outcome with a target does.
            judged = final.dropna(subset=["maluppfyllelse"])
            per_project = judged.groupby("arende_id")["maluppfyllelse"].min() >= 1.0
            progress = group.loc[group["status"] == "pagaende", "maluppfyllelse"].dropna()
            rows.append(
                {
                    "effektkedja": chain,
                    "steg": stage,
                    "n_projekt": int(group["arende_id"].nunique()),
                    "n_avslutade": int(finished["arende_id"].nunique()),
                    "n_med_utfall": len(per_project),
                    "n_nar_malen": int(per_project.sum()),
                    "andel_nar_malen": float(per_project.mean()) if len(per_project) else np.nan,
                    "median_maluppfyllelse": float(judged["maluppfyllelse"].median())
                    if len(judged)
                    else np.nan,
                    # Missing outcomes are indicator values; the projects they are in apart.
                    "n_utfall_saknas": int((group["status"] == "saknas").sum()),
                    "n_projekt_utfall_saknas": int(
                        group.loc[group["status"] == "saknas", "arende_id"].nunique()
                    ),
                    "n_pagaende": int(ongoing["arende_id"].nunique()),
                    "median_framsteg": float(progress.median()) if len(progress) else np.nan,
                }
            )
    return pd.DataFrame(rows)


def _ordered(table: pd.DataFrame, extra: list[str]) -> pd.DataFrame:
    chain_order = {c: i for i, c in enumerate(CHAIN_IDS)}
    stage_order = {s: i for i, s in enumerate(INDICATOR_STAGES)}
    key = table.assign(
        _k=table["effektkedja"].map(chain_order), _s=table["steg"].map(stage_order)
    ).sort_values(["_k", "_s", *extra], kind="stable")
    return key.drop(columns=["_k", "_s"]).reset_index(drop=True)
