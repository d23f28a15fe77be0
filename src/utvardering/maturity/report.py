"""The figures and tables of one region's maturity report, ready to display and to save."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from utvardering.figures.base import Figur
from utvardering.maturity.assessment import REPORT, MaturityAssessment
from utvardering.maturity.figures import (
    plot_dumbbell,
    plot_heatmap,
    plot_maturity_map,
    plot_national_distribution,
    plot_radar,
)
from utvardering.maturity.tables import (
    table_comments,
    table_dimensions,
    table_national,
    workbook_tables,
)
from utvardering.tables import save_excel
from utvardering.vocabulary import LAN_CODES

__all__ = ["MaturityReport", "build_report"]


@dataclass(frozen=True)
class MaturityReport:
    """A region's figures and tables; those that do not apply (no answers, no trend) are absent."""

    assessment: MaturityAssessment
    figures: dict[str, Figur]
    tables: dict[str, pd.DataFrame]

    def show(self, *names: str) -> tuple[Figur | pd.DataFrame, ...]:
        """The named figures and tables that exist, in order: ``display(*report.show(...))``."""
        parts = []
        for name in names:
            if name in self.figures:
                parts.append(self.figures[name])
            elif name in self.tables and not self.tables[name].empty:
                parts.append(self.tables[name])
        return tuple(parts)

    def save_figures(self, directory: Path | str) -> dict[str, str]:
        """Write each figure as ``mognad_<name>.png`` in ``directory``; returns name → file."""
        directory = Path(directory)
        return {
            name: figure.save(directory / f"{REPORT}_{name}.png").name
            for name, figure in self.figures.items()
        }

    def save_excel(self, directory: Path | str) -> Path | None:
        """Write the numbers behind the report to ``mognad.xlsx``; None if there are none."""
        sheets = workbook_tables(self.assessment)
        if not sheets:
            return None
        return save_excel(sheets, Path(directory) / f"{REPORT}.xlsx")

    def save(self, directory: Path | str) -> dict[str, str]:
        """Write the figures and the workbook to ``directory``; returns name → file name."""
        files = self.save_figures(directory)
        workbook = self.save_excel(directory)
        if workbook is not None:
            files["excel"] = workbook.name
        return files


def build_report(a: MaturityAssessment, geo: dict | None = None) -> MaturityReport:
    """Build the region's figures and tables; ``geo`` (the län GeoJSON) adds the map."""
    names = {d.id: d.name for d in a.model.dimensions}
    d = a.dimensions.rename(index=names)
    figures: dict[str, Figur] = {}
    if not a.no_responses:
        profile = pd.DataFrame(
            {"region": d["median"], "riket": d["riket_median"], "mal": d["malniva"].astype(float)}
        )
        figures["radar"] = plot_radar(profile, lan_namn=a.lan_namn, omgang=a.omgang)
    if a.has_trend:
        change = pd.DataFrame({"foregaende": d["foregaende_median"], "aktuell": d["median"]})
        figures["forandring"] = plot_dumbbell(
            change, lan_namn=a.lan_namn, omgang=a.omgang, foregaende_omgang=a.previous_round
        )
    matrix = a.matrix.rename(columns=names)
    if not a.no_responses:
        figures["riket"] = plot_national_distribution(
            matrix, a.lan_kod, lan_namn=a.lan_namn, omgang=a.omgang
        )
    if not matrix.empty:
        figures["alla_regioner"] = plot_heatmap(
            matrix.reindex(LAN_CODES),  # every län, those without answers hatched
            titel=f"Mognadsnivå per region och dimension, omgång {a.omgang}",
            region_names=a.region_names,
            markera=a.lan_kod,
        )
    if geo is not None:
        figures["karta"] = plot_maturity_map(
            a.overall["trappstegsniva"], geo, omgang=a.omgang, markera=a.lan_kod
        )
    tables = {
        "dimensioner": table_dimensions(a),
        "jamforelse": table_national(a),
        "kommentarer": table_comments(a),
    }
    return MaturityReport(a, figures, tables)
