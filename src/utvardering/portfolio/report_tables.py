"""The report's tables: Swedish column labels, numbers for Excel, Swedish formatting for display.

Each ``table_*`` function returns a :class:`Table`: ``data`` keeps plain numbers (amounts in
mnkr, shares in per cent) under Swedish labels, and :meth:`Table.formatted` formats them the
Swedish way for the report. The Excel workbook gets :meth:`Table.excel_data`: the same table with
amounts as raw numbers in kr, so that the reader can compute on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from utvardering.format import escape_md, fmt_number
from utvardering.portfolio.aggregate import Totals
from utvardering.portfolio.specialisation import DIMENSIONS, Breakdown
from utvardering.portfolio.stryktips import Stryktips
from utvardering.portfolio.theme import ThemeView
from utvardering.protocol import show_markdown, show_table
from utvardering.vocabulary import (
    CHAIN_NAMES,
    INDICATOR_STAGES,
    MANDATORY_INDICATORS,
    SUSTAINABILITY_SCALE,
)

__all__ = [
    "Table",
    "indicator_label",
    "table_beneficiaries",
    "table_breakdown",
    "table_outputs",
    "table_per_inhabitant",
    "table_projects",
    "table_start_years",
    "table_stryktips",
    "table_sustainability",
    "table_theme_chains",
    "table_theme_outputs",
    "table_theme_regions",
]

MNKR = 1e6
# Short names of the dimensions for sheet names (Excel allows 31 characters).
_SHORT = {
    "nationell_prioritering": "prioritering",
    "fokusomrade": "fokusområde",
    "effektkedja": "effektkedja",
    "tema": "tema",
    "rus_prioritering": "RUS-prioritering",
    "finansieringskalla": "finansieringskälla",
}


@dataclass(frozen=True)
class Table:
    """A report table: ``name`` (also its Excel sheet), ``data`` and per-column decimals.

    Numeric columns not named in ``decimals`` are shown with one decimal; a column with
    ``None`` decimals (a year) is shown as a plain whole number; missing values as an en dash.
    """

    name: str
    data: pd.DataFrame
    decimals: dict[str, int | None] = field(default_factory=dict)
    # The workbook's version when it is not the rule of :meth:`excel_data` (rows in mixed units).
    excel: pd.DataFrame | None = None

    @property
    def sheet_name(self) -> str:
        """The Excel sheet's name: the table's name, with its unit as in the sheet (kr)."""
        return self.name.replace("(mnkr)", "(kr)")

    def excel_data(self) -> pd.DataFrame:
        """The table for the workbook: every amount the report shows in mnkr (a column headed
        "(mnkr)", or every number of a table named so) in kr, headed "(kr)"."""
        if self.excel is not None:
            return self.excel
        data = self.data.copy()
        whole = "(mnkr)" in self.name
        for column in data.columns:
            amount = whole or "(mnkr)" in str(column)
            if amount and pd.api.types.is_numeric_dtype(data[column]):
                data[column] = data[column] * MNKR
        return data.rename(columns=lambda c: str(c).replace("(mnkr)", "(kr)"))

    def formatted(self) -> pd.DataFrame:
        """The table with its numbers as Swedish text (pandas escapes it when displayed)."""
        shown = self.data.copy()
        for column in shown.columns:
            series = shown[column]
            if pd.api.types.is_bool_dtype(series) or not pd.api.types.is_numeric_dtype(series):
                shown[column] = series.map(lambda v: "–" if v is None or v is pd.NA else str(v))
                continue
            places = self.decimals.get(column, 1)
            if places is None:
                shown[column] = series.map(lambda v: "–" if pd.isna(v) else str(int(v)))
                continue
            shown[column] = series.map(
                lambda v, d=places: fmt_number(None if pd.isna(v) else float(v), d)
            )
        return shown

    def _ipython_display_(self) -> None:
        from IPython.display import display  # IPython is there wherever this runs

        show_markdown(display, f"**Tabell: {escape_md(self.name)}**")
        # No row index (and no index-name row); full names, never cut: the page wraps them.
        show_table(display, self.formatted())

    def snapshot_text(self) -> str:
        """The table as a reader sees it, as plain text: its name, then its cells."""
        cells = self.formatted().to_csv(sep="|", index=False, lineterminator="\n").strip()
        return f"[Tabell: {self.name}]\n{cells}"


def indicator_label(indicator: str, unit: str | None = None) -> str:
    """A mandatory indicator's Swedish name with its unit: "Deltagande företag (antal)";
    ``unit`` replaces the indicator's own (an amount in kr shown in mnkr)."""
    name, own = MANDATORY_INDICATORS.get(indicator, (indicator, ""))
    unit = unit or own
    return f"{name} ({unit})" if unit else name


def _in_mnkr(indicator: str) -> bool:
    return MANDATORY_INDICATORS.get(indicator, ("", ""))[1] == "kr"


def table_start_years(start_years: pd.DataFrame, total: Totals) -> Table:
    """Projects, SEK, median size and duration per start year, with a total row."""
    rows = start_years.reset_index()
    rows["start_ar"] = rows["start_ar"].astype(str)
    total_row = pd.DataFrame([{"start_ar": "Totalt", **vars(total)}])
    rows = pd.concat([rows, total_row[rows.columns]], ignore_index=True)
    data = pd.DataFrame(
        {
            "Startår": rows["start_ar"],
            "Projekt som berör länet": rows["projekt_berorda"].astype(int),
            "Projekt (andelsviktade)": rows["projekt_andelsviktade"],
            "Belopp i länet (mnkr)": rows["belopp_sek"] / MNKR,
            "Medianstorlek, hela projektet (mnkr)": rows["median_belopp_sek"] / MNKR,
            "Medianlängd (månader)": rows["median_varaktighet_man"],
        }
    )
    return Table("Per startår", data, {"Projekt som berör länet": 0, "Medianlängd (månader)": 0})


def _category_names(dimension: str, index: pd.Index) -> list[str]:
    if dimension == "effektkedja":
        return [CHAIN_NAMES.get(c, c) for c in index]
    return [str(c) for c in index]


def table_breakdown(result: Breakdown) -> Table:
    """A län's money and projects by category against the nation, with location quotients;
    for a dimension of the region alone (RUS priorities) without the nation's columns."""
    table = result.table
    label = DIMENSIONS[result.dimension]
    columns = {
        label: _category_names(result.dimension, table.index),
        "Projekt som berör länet": table["projekt_berorda"].to_numpy(),
        "Projekt (andelsviktade)": table["projekt_andelsviktade"].to_numpy(),
        "Belopp i länet (mnkr)": (table["belopp_sek"] / MNKR).to_numpy(),
        "Andel av länets belopp (%)": (100 * table["andel_belopp"]).to_numpy(),
    }
    if "riket_belopp_sek" in table:
        columns |= {
            "Belopp i riket (mnkr)": (table["riket_belopp_sek"] / MNKR).to_numpy(),
            "Andel av rikets belopp (%)": (100 * table["riket_andel_belopp"]).to_numpy(),
            "Lokaliseringskvot": table["lokaliseringskvot"].to_numpy(),
        }
    return Table(
        label,
        pd.DataFrame(columns),
        {
            "Projekt som berör länet": 0,
            "Andel av länets belopp (%)": 0,
            "Andel av rikets belopp (%)": 0,
            "Lokaliseringskvot": 2,
        },
    )


def table_per_inhabitant(
    per_inhabitant: pd.DataFrame, region_names: pd.Series, national_sek_per_inhabitant: float
) -> Table:
    """SEK per inhabitant in each län and in the nation."""
    total = pd.DataFrame(
        {
            "belopp_sek": [per_inhabitant["belopp_sek"].sum()],
            "projekt_andelsviktade": [per_inhabitant["projekt_andelsviktade"].sum()],
            "befolkning": [per_inhabitant["befolkning"].sum()],
            "befolkning_ar": [float("nan")],
            "kr_per_invanare": [national_sek_per_inhabitant],
        },
        index=pd.Index(["Riket"]),
    )
    rows = pd.concat([per_inhabitant.astype({"befolkning_ar": float}), total])
    names = [region_names.get(code, code) for code in rows.index]
    data = pd.DataFrame(
        {
            "Län": names,
            "Projekt (andelsviktade)": rows["projekt_andelsviktade"].to_numpy(dtype=float),
            "Belopp (mnkr)": (rows["belopp_sek"] / MNKR).to_numpy(dtype=float),
            "Befolkning": rows["befolkning"].to_numpy(dtype=float),
            "Befolkningsår": rows["befolkning_ar"].to_numpy(dtype=float),
            "Kr per invånare": rows["kr_per_invanare"].to_numpy(dtype=float),
        }
    )
    return Table(
        "Per invånare",
        data,
        {"Befolkning": 0, "Befolkningsår": None, "Kr per invånare": 0},
    )


def table_sustainability(profile: pd.DataFrame, value: str = "belopp_sek") -> Table:
    """Purpose (rows) by method (columns) of the sustainability grades: mnkr or projects."""
    matrix = profile[value].unstack("metod")
    if value == "belopp_sek":
        matrix = matrix / MNKR
    scale = {grade: f"{grade} {text.lower()}" for grade, text in SUSTAINABILITY_SCALE.items()}
    data = matrix.rename(index=scale, columns=lambda g: f"Metod: {scale[g]}").reset_index()
    data.columns.name = None
    data = data.rename(columns={"syfte": "Syfte"})
    data["Syfte"] = "Syfte: " + data["Syfte"].astype(str)
    if value == "belopp_sek":
        return Table("Hållbarhet, belopp (mnkr)", data)
    return Table("Hållbarhet, projekt", data)


def table_outputs(outputs: pd.DataFrame) -> Table:
    """The mandatory output indicators by chain: outcome, target and outcome as % of target."""
    rows = outputs
    percent = 100 * rows["utfall"] / rows["malvarde"].where(rows["malvarde"] > 0)
    # Amounts (the indicator in kr) are shown in mnkr; the unit stands in the indicator's name.
    scale = rows["indikator"].map(lambda i: MNKR if _in_mnkr(i) else 1.0).to_numpy(dtype=float)
    data = pd.DataFrame(
        {
            "Effektkedja": [CHAIN_NAMES.get(c, c) for c in rows["effektkedja"]],
            "Indikator": [
                indicator_label(i, "mnkr" if _in_mnkr(i) else None) for i in rows["indikator"]
            ],
            "Projekt med utfall": rows["projekt_med_utfall"].astype(int).to_numpy(),
            "varav ur slutrapport": rows["projekt_med_slutrapport"].astype(int).to_numpy(),
            "Utfall (andelsviktat)": rows["utfall"].to_numpy(dtype=float) / scale,
            "Målvärde (andelsviktat)": rows["malvarde"].to_numpy(dtype=float) / scale,
            "Utfall i % av målvärdet": percent.to_numpy(dtype=float),
        }
    )
    excel = data.assign(
        Indikator=[indicator_label(i) for i in rows["indikator"]],
        **{
            "Utfall (andelsviktat)": rows["utfall"].to_numpy(dtype=float),
            "Målvärde (andelsviktat)": rows["malvarde"].to_numpy(dtype=float),
        },
    )
    return Table(
        "Prestationer per kedja",
        data,
        {"Projekt med utfall": 0, "varav ur slutrapport": 0, "Utfall i % av målvärdet": 0},
        excel,
    )


def table_stryktips(result: Stryktips) -> Table:
    """The stryktips matrix: an X per covered stage, with the row's number of projects."""
    label = DIMENSIONS[result.dimension]
    marks = result.marks().rename(columns=INDICATOR_STAGES)
    data = pd.DataFrame(
        {label: [str(c) for c in marks.index], "Projekt": result.projects.to_numpy(dtype=int)}
    )
    for column in marks.columns:
        data[column] = marks[column].to_numpy()
    return Table(f"Stryktips, {_SHORT[result.dimension]}", data, {"Projekt": 0})


def table_projects(projects: pd.DataFrame, name: str = "Största projekten") -> Table:
    """Projects with their real names and beneficiaries, largest amount in the län first."""
    data = pd.DataFrame(
        {
            "Ärende": projects["arende_id"].to_numpy(),
            "Projektnamn": projects["projektnamn"].to_numpy(),
            "Stödmottagare": projects["stodmottagare"].to_numpy(),
            "Beviljat, hela projektet (mnkr)": (projects["beviljat_belopp_sek"] / MNKR).to_numpy(),
            "Länets andel (%)": (100 * projects["andel"]).to_numpy(),
            "Belopp i länet (mnkr)": (projects["belopp_sek"] / MNKR).to_numpy(),
            "Start": projects["startdatum"].dt.strftime("%Y-%m-%d").to_numpy(),
            "Slut": projects["slutdatum"].dt.strftime("%Y-%m-%d").to_numpy(),
            "Effektkedja": [CHAIN_NAMES.get(c, c) for c in projects["effektkedja"]],
        }
    )
    return Table(
        name,
        data,
        {"Länets andel (%)": 0, "Beviljat, hela projektet (mnkr)": 2, "Belopp i länet (mnkr)": 2},
    )


def table_beneficiaries(beneficiaries: pd.DataFrame) -> Table:
    """The largest beneficiaries (stödmottagare) by SEK in the län."""
    data = pd.DataFrame(
        {
            "Stödmottagare": beneficiaries["stodmottagare"].to_numpy(),
            "Projekt som berör länet": beneficiaries["projekt_berorda"].to_numpy(dtype=int),
            "Belopp i länet (mnkr)": (beneficiaries["belopp_sek"] / MNKR).to_numpy(),
        }
    )
    return Table(
        "Största stödmottagarna", data, {"Projekt som berör länet": 0, "Belopp i länet (mnkr)": 2}
    )


def table_theme_regions(view: ThemeView, region_names: pd.Series) -> Table:
    """One theme in every län: projects, mnkr, SEK per inhabitant, share and location quotient."""
    rows = view.by_region
    data = pd.DataFrame(
        {
            "Län": [region_names.get(c, c) for c in rows.index],
            "Projekt som berör länet": rows["projekt_berorda"].to_numpy(dtype=int),
            "Projekt (andelsviktade)": rows["projekt_andelsviktade"].to_numpy(dtype=float),
            "Belopp (mnkr)": (rows["belopp_sek"] / MNKR).to_numpy(dtype=float),
            "Kr per invånare": rows["kr_per_invanare"].to_numpy(dtype=float),
            "Andel av länets belopp (%)": (100 * rows["andel_av_lanets_belopp"]).to_numpy(
                dtype=float
            ),
            "Lokaliseringskvot": rows["lokaliseringskvot"].to_numpy(dtype=float),
        }
    )
    total = {
        "Län": "Riket",
        "Projekt som berör länet": view.national_projects,
        "Projekt (andelsviktade)": float(rows["projekt_andelsviktade"].sum()),
        "Belopp (mnkr)": view.national_sek / MNKR,
        "Kr per invånare": view.national_sek_per_inhabitant,
        "Andel av länets belopp (%)": float("nan"),
        "Lokaliseringskvot": 1.0 if view.national_sek else float("nan"),
    }
    data = pd.concat([data, pd.DataFrame([total])], ignore_index=True)
    return Table(
        "Tema per län",
        data,
        {
            "Projekt som berör länet": 0,
            "Kr per invånare": 0,
            "Andel av länets belopp (%)": 0,
            "Lokaliseringskvot": 2,
        },
    )


def table_theme_chains(view: ThemeView, region_names: pd.Series) -> Table:
    """One theme's money (mnkr) by län and effect chain."""
    data = (view.by_chain / MNKR).rename(columns=CHAIN_NAMES)
    data.columns.name = None
    data.insert(0, "Län", [region_names.get(c, c) for c in data.index])
    data = data.reset_index(drop=True)
    return Table("Tema per kedja (mnkr)", data)


def table_theme_outputs(view: ThemeView, region_names: pd.Series) -> Table:
    """One theme's mandatory outputs (latest outcomes, split by share) by län; amounts in mnkr."""
    data = view.outputs.copy()
    amounts = [i for i in data.columns if _in_mnkr(i)]
    data[amounts] = data[amounts] / MNKR
    data = data.rename(columns=lambda i: indicator_label(i, "mnkr" if _in_mnkr(i) else None))
    data.columns.name = None
    data.insert(0, "Län", [region_names.get(c, c) for c in data.index])
    data = data.reset_index(drop=True)
    return Table("Tema prestationer", data)
