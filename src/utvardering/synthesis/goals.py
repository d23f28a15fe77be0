"""The regions' own goals across the country, from each region's ``malkedja.json``.

Nothing is forecast again: a goal's status (``nas``, ``osakert``, … ``saknar_data``) is the one
the region's goal-chain report gave it, from its own forecast. The synthesis counts the
statuses of the regions' RUS goals (the long-term goals of the regional development strategy)
per region and for the country, and the share of those goals that have data and that are on
their way (they reach the target, or go the right way where the goal has no number).

A region whose file says ``har_mal`` false has no goals in the data folder; it is kept, with
zero goals and no shares, so that the table and the map show it as a region without goals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from utvardering.goals.analysis import STATUS_LABELS

__all__ = ["LEVELS", "MISSING", "ON_TRACK", "STATUSES", "GoalSynthesis", "synthesize_goals"]

# The statuses of a goal, in the order of the goal-chain report.
STATUSES: tuple[str, ...] = tuple(STATUS_LABELS)
# The statuses that count as "on its way": reaches the target, or goes the right way.
ON_TRACK: tuple[str, ...] = ("nas", "ratt_riktning")
# The status of a goal without an indicator or with too short a series.
MISSING = "saknar_data"
# The levels of the goal chain, top down.
LEVELS: tuple[str, ...] = ("rus", "understrategi", "projekt")


@dataclass(frozen=True)
class GoalSynthesis:
    """The goal chains of the regions in the synthesis.

    ``per_region`` is indexed by lan_kod (the regions whose file is in, official order) with
    ``har_mal``, ``n_rus``, ``n_understrategi``, ``n_projekt``, one column per status
    (:data:`STATUSES`: the region's RUS goals with that status), ``n_med_data`` (RUS goals
    with another status than ``saknar_data``), ``n_pa_vag`` (RUS goals reaching the target or
    going the right way), ``andel_med_data`` and ``andel_pa_vag`` (shares of the RUS goals,
    NaN without RUS goals), ``n_utan_projekt`` (RUS and sub-strategy goals no project goal
    serves) and ``simulerade`` (every goal of the region is marked simulated).
    ``model``: the forecast model of the files (``prognosmodell``), when they agree.
    """

    per_region: pd.DataFrame
    model: dict[str, Any] | None

    @property
    def with_goals(self) -> list[str]:
        """The regions with at least one goal."""
        return [c for c, has in self.per_region["har_mal"].items() if has]

    @property
    def without_goals(self) -> list[str]:
        """The regions in the synthesis whose data folder has no goals."""
        return [c for c, has in self.per_region["har_mal"].items() if not has]

    @property
    def with_rus(self) -> pd.DataFrame:
        """The rows of the regions with at least one RUS goal."""
        return self.per_region[self.per_region["n_rus"] > 0]

    def national(self) -> dict[str, int]:
        """The RUS goals of every region in, per status (every status, zeros included)."""
        return {s: int(self.per_region[s].sum()) for s in STATUSES}

    def totals(self) -> dict[str, int]:
        """The number of goals of every region in, per level."""
        return {level: int(self.per_region[f"n_{level}"].sum()) for level in LEVELS}

    @property
    def n_rus(self) -> int:
        return int(self.per_region["n_rus"].sum())

    @property
    def n_with_data(self) -> int:
        return int(self.per_region["n_med_data"].sum())

    @property
    def n_on_track(self) -> int:
        return int(self.per_region["n_pa_vag"].sum())

    @property
    def simulated_regions(self) -> list[str]:
        """The regions with goals whose every goal is marked simulated."""
        frame = self.per_region
        return [c for c in frame.index if frame.loc[c, "har_mal"] and frame.loc[c, "simulerade"]]


def _row(payload: Mapping[str, Any]) -> dict[str, Any]:
    counts = payload["antal_mal"]
    status = payload["status_rus"]
    n_rus = int(counts.get("rus", 0))
    row: dict[str, Any] = {
        "har_mal": bool(payload["har_mal"]),
        **{f"n_{level}": int(counts.get(level, 0)) for level in LEVELS},
        **{s: int(status.get(s, 0)) for s in STATUSES},
    }
    row["n_med_data"] = n_rus - row[MISSING]
    row["n_pa_vag"] = sum(row[s] for s in ON_TRACK)
    row["andel_med_data"] = row["n_med_data"] / n_rus if n_rus else float("nan")
    row["andel_pa_vag"] = row["n_pa_vag"] / n_rus if n_rus else float("nan")
    row["n_utan_projekt"] = len(payload.get("mal_utan_projekt") or ())
    goals = payload.get("mal") or ()
    row["simulerade"] = bool(goals) and all(g.get("simulerad") for g in goals)
    return row


_COLUMNS = (
    "har_mal",
    *(f"n_{level}" for level in LEVELS),
    *STATUSES,
    "n_med_data",
    "n_pa_vag",
    "andel_med_data",
    "andel_pa_vag",
    "n_utan_projekt",
    "simulerade",
)


def synthesize_goals(
    payloads: Mapping[str, dict[str, Any]], order: list[str] | None = None
) -> GoalSynthesis:
    """Count the goals of the regions' goal-chain files (lan_kod → ``malkedja.json``, checked
    against its schema); ``order`` is the regions' order (default: sorted codes)."""
    codes = [c for c in (order or sorted(payloads)) if c in payloads]
    frame = pd.DataFrame([_row(payloads[c]) for c in codes], index=pd.Index(codes, name="lan_kod"))
    frame = frame.reindex(columns=list(_COLUMNS))
    models = {
        tuple(sorted(p["prognosmodell"].items()))
        for p in payloads.values()
        if p.get("prognosmodell")
    }
    model = dict(next(iter(models))) if len(models) == 1 else None
    return GoalSynthesis(frame, model)
