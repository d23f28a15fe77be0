"""The maturity report of one region: :func:`build` makes it, its sections show it.

:class:`MaturityReport` follows the report protocol (:mod:`utvardering.protocol`): its sections
(:data:`~utvardering.maturity.text.HEADINGS`, in reading order) hold the text of
:mod:`utvardering.maturity.text` and the figures and tables; ``save`` writes the figures and
the workbook and ``payload`` is the body of the result file ``mognad.json``, made by
:func:`result_record` from the assessment alone.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, ClassVar

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.figures.base import Figur
from utvardering.maturity.assessment import MaturityAssessment, assess_region
from utvardering.maturity.figures import (
    plot_dumbbell,
    plot_heatmap,
    plot_maturity_map,
    plot_national_distribution,
    plot_radar,
)
from utvardering.maturity.parameters import MaturityParameters
from utvardering.maturity.tables import (
    ReportTable,
    table_comments,
    table_dimensions,
    table_national,
    table_next_steps,
    workbook_tables,
)
from utvardering.maturity.text import (
    HEADINGS,
    TITLE,
    text_comments,
    text_dimensions,
    text_method,
    text_model,
    text_national,
    text_next_steps,
    text_no_responses,
    text_overall,
    text_strengths,
    text_title,
    text_trend,
)
from utvardering.protocol import Block, Report
from utvardering.vocabulary import LAN_CODES

__all__ = ["REPORT", "MaturityReport", "build", "result_record"]

REPORT = "mognad"  # the report's short name: mognad.json, mognad_*.png

# Per section: its text, then the names of its figures and tables in the order shown. A figure
# or table that does not apply to the region (no answers, no trend) is left out.
_CONTENT: dict[str, tuple[Callable[[MaturityAssessment], str], tuple[str, ...]]] = {
    "titel": (text_title, ()),
    "inga_svar": (text_no_responses, ()),
    "sammanfattning": (text_overall, ()),
    "modell": (lambda a: text_model(a.model, next_steps=not a.no_responses), ()),
    "dimensioner": (text_dimensions, ("dimensioner", "radar")),
    "styrkor": (text_strengths, ()),
    "forandring": (text_trend, ("forandring",)),
    "nasta_steg": (text_next_steps, ("nasta_steg",)),
    "jamforelse": (text_national, ("riket", "jamforelse", "alla_regioner", "karta")),
    "kommentarer": (text_comments, ("kommentarer",)),
    "metod": (text_method, ()),
}

# The per-dimension fields of the result file, in order.
_DIMENSION_FIELDS = (
    "namn", "median", "medel", "q1", "q3", "iqr", "n_respondenter", "n_svar", "n_vet_ej",
    "samstammighet", "lag_tillforlitlighet", "uppnadd_niva", "malniva", "malkalla", "gap",
    "nivaer_kvar", "foregaende_median", "trend", "riket_median", "riket_q1", "riket_q3",
    "riket_min", "riket_max", "n_regioner", "rang", "andel_lagre",
)  # fmt: skip


@dataclass(frozen=True)
class MaturityReport(Report):
    """A region's maturity report: the assessment, its figures and tables, by section.

    ``figures`` and ``tables`` hold only what applies to the region (no radar without answers,
    no change figure without a previous round); a section that does not apply is empty.
    """

    TYPE_NAME: ClassVar[str] = REPORT
    SECTIONS: ClassVar[Mapping[str, str]] = MappingProxyType(HEADINGS)

    params: MaturityParameters
    assessment: MaturityAssessment
    figures: Mapping[str, Figur]
    tables: Mapping[str, ReportTable]

    @property
    def simulated_answers(self) -> bool:
        """The survey answers (``enkatsvar``) are simulated, as the data folder says."""
        return any(i.tabell == "enkatsvar" for i in self.simulated_inputs)

    def _section(self, name: str) -> list[Block]:
        text, parts = _CONTENT[name]
        if name == "kommentarer":  # the comments are far from the notice at the top
            blocks: list[Block] = [text_comments(self.assessment, self.simulated_answers)]
        else:
            blocks = [text(self.assessment)]
        for part in parts:
            if part in self.figures:
                blocks.append(self.figures[part])
            elif part in self.tables and not self.tables[part].empty:
                blocks.append(self.tables[part])
        return blocks

    def workbook_sheets(self) -> Mapping[str, pd.DataFrame]:
        """The numbers behind the report, for ``mognad.xlsx``."""
        return workbook_tables(self.assessment)

    def payload(self) -> dict[str, Any]:
        """The body of ``mognad.json``: :func:`result_record` of the assessment."""
        return result_record(self.assessment)


def result_record(a: MaturityAssessment) -> dict[str, Any]:
    """The body of the result file ``mognad.json`` (without the protocol's envelope).

    Made from the assessment alone (no figures), so that a result file can be built cheaply:
    ``result_file("mognad", params, result_record(assessment))``. The fields are described
    in the schema ``utvardering/result_schemas/mognad.schema.json``.
    """
    dims = a.dimensions
    per_dimension = [
        {"dimension": dimension, **{c: row[c] for c in _DIMENSION_FIELDS}}
        for dimension, row in dims.iterrows()
    ]
    return {
        "titel": TITLE,
        "lan_kod": a.lan_kod,
        "lan_namn": a.region_name,
        "omgang": a.round,
        "modell": {"namn": a.model.name, "version": a.model.version},
        "inga_svar": a.no_responses,
        "lag_tillforlitlighet": a.low_reliability,
        "en_respondent": a.single_respondent,
        "n_respondenter": a.n_respondents,
        "n_svar": a.n_answers,
        "n_vet_ej": a.n_dont_know,
        "trappstegsniva": a.staged_level,
        "profilmedel": a.profile_mean,
        "n_dimensioner_med_svar": int(dims["median"].notna().sum()),
        "dimensioner_utan_svar": [d for d in dims.index if pd.isna(dims.loc[d, "median"])],
        "rang_profilmedel": a.rank_profile,
        "n_regioner": a.n_regions,
        "foregaende_omgang": a.previous_round,
        "deltog_foregaende": a.took_part_previous,
        "omgangar_med_svar": list(a.region_rounds),
        "n_respondenter_foregaende": a.n_respondents_previous,
        "trappstegsniva_foregaende": a.staged_level_previous,
        "profilmedel_foregaende": a.profile_mean_previous,
        "nivaer": {d: dims.loc[d, "median"] for d in dims.index},
        "dimensioner": per_dimension,
        "nasta_steg": [
            {
                "dimension": s.dimension,
                "namn": s.name,
                "median": s.median,
                "fran_niva": s.from_level,
                "till_niva": s.to_level,
                "nivans_namn": s.level_name,
                "beskrivning": s.descriptor,
                "malniva": s.target,
                "gap": s.gap,
                "nivaer_kvar": s.levels_left,
            }
            for s in a.next_steps
        ],
    }


def figures_and_tables(
    a: MaturityAssessment, geo: dict | None = None
) -> tuple[dict[str, Figur], dict[str, ReportTable]]:
    """The region's figures and tables; ``geo`` (the län GeoJSON) adds the map."""
    names = {d.id: d.name for d in a.model.dimensions}
    d = a.dimensions.rename(index=names)
    figures: dict[str, Figur] = {}
    if not a.no_responses:
        profile = pd.DataFrame(
            {"region": d["median"], "riket": d["riket_median"], "mal": d["malniva"].astype(float)}
        )
        figures["radar"] = plot_radar(profile, region_name=a.region_name, survey_round=a.round)
    if a.has_trend:
        change = pd.DataFrame({"foregaende": d["foregaende_median"], "aktuell": d["median"]})
        figures["forandring"] = plot_dumbbell(
            change, lan_namn=a.region_name, omgang=a.round, foregaende_omgang=a.previous_round
        )
    matrix = a.matrix.rename(columns=names)
    if not a.no_responses:
        figures["riket"] = plot_national_distribution(
            matrix, a.lan_kod, region_name=a.region_name, survey_round=a.round
        )
    if not matrix.empty:
        figures["alla_regioner"] = plot_heatmap(
            matrix.reindex(LAN_CODES),  # every län, those without answers hatched
            titel=f"Mognadsnivå per region och dimension, omgång {a.round}",
            region_names=a.region_names,
            markera=a.lan_kod,
        )
    if geo is not None:
        figures["karta"] = plot_maturity_map(
            a.overall["trappstegsniva"], geo, omgang=a.round, markera=a.lan_kod
        )
    tables = {
        "dimensioner": table_dimensions(a),
        "nasta_steg": table_next_steps(a),
        "jamforelse": table_national(a),
        "kommentarer": table_comments(a),
    }
    return figures, tables


def build(ds: Dataset, params: MaturityParameters) -> MaturityReport:
    """The maturity report of region ``params.lan_kod`` in round ``params.omgang``.

    ``ds`` holds the report type's tables (``enkatsvar`` with the model, optional
    ``mognadsmal``, ``lan`` and ``karta``); the map is left out without ``karta``.
    """
    assessment = assess_region(ds, params.lan_kod, params.omgang)
    figures, tables = figures_and_tables(assessment, ds.karta)
    return MaturityReport(params, assessment, figures, tables)
