"""Aggregate the project portfolio: money and projects split by the projects' län shares.

The unit of every aggregate is a *project-län row*: one row per project and län it covers, with
the project's granted amount multiplied by the län's share (``projekt_lan.andel``). Shares sum
to one per project, so the rows of all 21 län together count each krona exactly once. A
project's count is split the same way (``projekt_andelsviktade``); ``projekt_berorda`` counts
the projects that touch a län at all and is therefore *not* additive across län.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from utvardering.schemas import split_themes
from utvardering.vocabulary import CHAIN_IDS, MANDATORY_INDICATORS, SUSTAINABILITY_SCALE

__all__ = [
    "DAYS_PER_MONTH",
    "NO_THEME",
    "Totals",
    "by_start_year",
    "explode_themes",
    "largest_beneficiaries",
    "largest_projects",
    "latest_outcomes",
    "mandatory_outcomes",
    "outputs_by_chain",
    "region_rows",
    "sustainability_profile",
    "theme_rows",
    "totals",
    "weight_projects",
]

DAYS_PER_MONTH = 365.25 / 12
# Category of a project whose ``teman`` field is empty.
NO_THEME = "Inget tema angivet"

_CLASSIFICATION = (
    "projektnamn",
    "stodmottagare",
    "beviljat_belopp_sek",
    "startdatum",
    "slutdatum",
    "nationell_prioritering",
    "fokusomrade",
    "teman",
    "hallbarhet_syfte",
    "hallbarhet_metod",
    "effektkedja",
    "finansieringskalla",
)


def weight_projects(
    projects: pd.DataFrame, shares: pd.DataFrame, period: tuple[int, int]
) -> pd.DataFrame:
    """One row per project and län for the projects whose start year lies in ``period``.

    ``projects`` is the table ``projekt``, ``shares`` the table ``projekt_lan`` (whose
    ``rus_prioritering``, the project's priority in that län's RUS, comes along with each row).

    Adds ``belopp_sek`` (the granted amount times the län's share), ``start_ar`` and
    ``varaktighet_man`` (duration in months of 365.25/12 days). The input is not modified.
    """
    start, end = period
    start_year = projects["startdatum"].dt.year
    chosen = projects.loc[start_year.between(start, end), ["arende_id", *_CLASSIFICATION]]
    per_region = [c for c in ("arende_id", "lan_kod", "andel", "rus_prioritering") if c in shares]
    rows = shares[per_region].merge(chosen, on="arende_id", how="inner", validate="many_to_one")
    rows["belopp_sek"] = rows["beviljat_belopp_sek"] * rows["andel"]
    rows["start_ar"] = rows["startdatum"].dt.year.astype(int)
    rows["varaktighet_man"] = (rows["slutdatum"] - rows["startdatum"]).dt.days / DAYS_PER_MONTH
    rows["antal_lan"] = rows.groupby("arende_id")["lan_kod"].transform("size")
    return rows.sort_values(["lan_kod", "arende_id"], ignore_index=True)


def region_rows(weighted: pd.DataFrame, lan_kod: str | None) -> pd.DataFrame:
    """The project-län rows of one län, or all rows (the nation) when ``lan_kod`` is None."""
    if lan_kod is None:
        return weighted
    return weighted[weighted["lan_kod"] == lan_kod]


def explode_themes(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per project-län row and theme: a project with three themes appears three times.

    The amount is *not* divided between themes, so sums over themes count a multi-theme
    project's money once per theme and exceed the total. A project without themes gets
    :data:`NO_THEME`.
    """
    themes = rows["teman"].map(lambda value: split_themes(value) or [NO_THEME])
    return rows.assign(tema=themes).explode("tema", ignore_index=True)


def theme_rows(weighted: pd.DataFrame, theme: str, kind: str) -> pd.DataFrame:
    """The project-län rows of one theme (``kind == "tema"``) or focus area (``"fokusomrade"``)."""
    if kind == "fokusomrade":
        return weighted[weighted["fokusomrade"] == theme]
    if kind != "tema":
        raise ValueError(f"kind must be 'tema' or 'fokusomrade', not {kind!r}")
    has_theme = weighted["teman"].map(lambda value: theme in split_themes(value)).astype(bool)
    return weighted.loc[has_theme]


@dataclass(frozen=True)
class Totals:
    """The size of a portfolio (one län, or the nation)."""

    projekt_berorda: int  # projects that touch the län (not additive across län)
    projekt_andelsviktade: float  # projects weighted by the län's share (additive)
    belopp_sek: float  # granted SEK times the län's share (additive)
    median_belopp_sek: float  # median granted amount of a whole project
    median_varaktighet_man: float  # median duration of a project in months
    flerlansprojekt: int  # projects among projekt_berorda that also cover other län


def totals(weighted: pd.DataFrame, lan_kod: str | None = None) -> Totals:
    """Projects, money, median size and duration of one län (or the nation if None)."""
    rows = region_rows(weighted, lan_kod)
    projects = rows.drop_duplicates("arende_id")
    return Totals(
        projekt_berorda=len(projects),
        projekt_andelsviktade=float(rows["andel"].sum()),
        belopp_sek=float(rows["belopp_sek"].sum()),
        median_belopp_sek=float(projects["beviljat_belopp_sek"].median()),
        median_varaktighet_man=float(projects["varaktighet_man"].median()),
        flerlansprojekt=int((projects["antal_lan"] > 1).sum()),
    )


def by_start_year(weighted: pd.DataFrame, lan_kod: str | None = None) -> pd.DataFrame:
    """Per start year: projects (touching and share-weighted), SEK, median size and duration.

    Median size and duration are those of whole projects that touch the län.
    """
    rows = region_rows(weighted, lan_kod)
    grouped = rows.groupby("start_ar")
    table = pd.DataFrame(
        {
            "projekt_berorda": grouped["arende_id"].nunique(),
            "projekt_andelsviktade": grouped["andel"].sum(),
            "belopp_sek": grouped["belopp_sek"].sum(),
            "median_belopp_sek": grouped["beviljat_belopp_sek"].median(),
            "median_varaktighet_man": grouped["varaktighet_man"].median(),
        }
    )
    table.index.name = "start_ar"
    return table.astype({"projekt_berorda": int})


def sustainability_profile(weighted: pd.DataFrame, lan_kod: str | None = None) -> pd.DataFrame:
    """Share-weighted projects and SEK per purpose (syfte) and method (metod) grade, 0-3.

    One row per combination of the two grades (16 rows, zeros included), in scale order.
    """
    rows = region_rows(weighted, lan_kod)
    grades = list(SUSTAINABILITY_SCALE)
    grid = pd.MultiIndex.from_product([grades, grades], names=["syfte", "metod"])
    keys = [rows["hallbarhet_syfte"].astype(int), rows["hallbarhet_metod"].astype(int)]
    grouped = rows.groupby(keys)
    table = pd.DataFrame(
        {
            "projekt_andelsviktade": grouped["andel"].sum(),
            "belopp_sek": grouped["belopp_sek"].sum(),
        }
    )
    table.index.names = ["syfte", "metod"]
    return table.reindex(grid, fill_value=0.0)


def latest_outcomes(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per project and indicator, the latest reported outcome (utfall).

    The final report (slutrapport) is used when it has an outcome; otherwise the latest progress
    report (lägesrapport) with an outcome, whose value is cumulative. Applications carry no
    outcome. The target (malvarde) is the one on the same report. ``indicators`` is the table
    ``projektindikatorer``.
    """
    reported = indicators[indicators["utfall"].notna()]
    order = reported.assign(_final=reported["rapport"].eq("slutrapport"))
    order = order.sort_values(["arende_id", "indikator", "_final", "datum"])
    latest = order.groupby(["arende_id", "indikator"], sort=False).tail(1)
    return latest.drop(columns="_final").reset_index(drop=True)


def mandatory_outcomes(rows: pd.DataFrame, latest: pd.DataFrame) -> pd.DataFrame:
    """The latest outcomes of the mandatory output indicators on each project-län row.

    Adds ``utfall_andel`` and ``malvarde_andel``: outcome and target times the län's share.
    """
    mandatory = latest[latest["indikator"].isin(list(MANDATORY_INDICATORS))]
    merged = rows[["arende_id", "lan_kod", "andel", "effektkedja"]].merge(
        mandatory, on="arende_id", how="inner"
    )
    merged["utfall_andel"] = merged["utfall"] * merged["andel"]
    merged["malvarde_andel"] = merged["malvarde"] * merged["andel"]
    return merged


def outputs_by_chain(
    weighted: pd.DataFrame, latest: pd.DataFrame, lan_kod: str | None = None
) -> pd.DataFrame:
    """The mandatory output indicators summed per effect chain, split by the län shares.

    ``latest`` comes from :func:`latest_outcomes`. A multi-county project's outcome and target
    are attributed to each län by the same share as its money, so a count (e.g. participating
    firms) can be fractional in one län and the län sum to the national total. Only the
    combinations of chain and indicator that some project reports are listed;
    ``projekt_med_slutrapport`` counts the projects whose outcome comes from a final report.
    """
    merged = mandatory_outcomes(region_rows(weighted, lan_kod), latest)
    merged["slutrapport"] = merged["rapport"].eq("slutrapport").astype(int)
    grouped = merged.groupby(["effektkedja", "indikator"])
    table = pd.DataFrame(
        {
            "projekt_med_utfall": grouped["arende_id"].nunique(),
            "projekt_med_slutrapport": grouped["slutrapport"].sum(),
            "utfall": grouped["utfall_andel"].sum(),
            "malvarde": grouped["malvarde_andel"].sum(min_count=1),
        }
    )
    table = table.reset_index()
    order = {
        "effektkedja": {ident: i for i, ident in enumerate(CHAIN_IDS)},
        "indikator": {ident: i for i, ident in enumerate(MANDATORY_INDICATORS)},
    }
    table = table.sort_values(["effektkedja", "indikator"], key=lambda s: s.map(order[s.name]))
    return table.reset_index(drop=True)


def largest_projects(weighted: pd.DataFrame, lan_kod: str, n: int | None = 10) -> pd.DataFrame:
    """The län's projects by SEK in the län (largest first); all of them when ``n`` is None."""
    rows = region_rows(weighted, lan_kod)
    columns = [
        "arende_id",
        "projektnamn",
        "stodmottagare",
        "beviljat_belopp_sek",
        "andel",
        "belopp_sek",
        "startdatum",
        "slutdatum",
        "effektkedja",
    ]
    table = rows.sort_values(["belopp_sek", "arende_id"], ascending=[False, True])[columns]
    return (table if n is None else table.head(n)).reset_index(drop=True)


def largest_beneficiaries(weighted: pd.DataFrame, lan_kod: str, n: int = 10) -> pd.DataFrame:
    """The län's beneficiaries (stödmottagare) by SEK in the län, with their project count."""
    rows = region_rows(weighted, lan_kod)
    grouped = rows.groupby("stodmottagare")
    table = pd.DataFrame(
        {
            "projekt_berorda": grouped["arende_id"].nunique(),
            "belopp_sek": grouped["belopp_sek"].sum(),
        }
    ).reset_index()
    table = table.sort_values(["belopp_sek", "stodmottagare"], ascending=[False, True])
    return table.head(n).reset_index(drop=True)
