"""The region summary: :func:`build` reads the run's result files, its sections show them.

:class:`SummaryReport` follows the report protocol (:mod:`utvardering.protocol`). It never
recomputes a report: :func:`~utvardering.synthesis.collect.collect_results` reads the run
folder (``korning_dir``), :func:`~utvardering.summary.facts.region_facts` names the region's
numbers, :func:`~utvardering.summary.rules.recommend` turns them into recommendations, and the
text layer (:mod:`utvardering.summary.text`) words them. The summary's simulated inputs are
those recorded in the result files it reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, ClassVar

import pandas as pd

from utvardering.dataset import Dataset
from utvardering.figures.base import Figur
from utvardering.protocol import Block, Report
from utvardering.results import to_jsonable
from utvardering.summary.facts import Facts, region_facts
from utvardering.summary.figures import plot_maturity_profile
from utvardering.summary.parameters import SummaryParameters
from utvardering.summary.rules import Recommendation, recommend
from utvardering.summary.tables import key_figure_markdown, workbook_tables
from utvardering.summary.text import (
    HEADINGS,
    REPORT_TITLES,
    TITLE,
    KeyFigure,
    findings,
    key_figures,
    missing_reason,
    text_findings,
    text_lead,
    text_missing,
    text_recommendations,
)
from utvardering.synthesis.collect import Mismatch, collect_results

__all__ = ["REPORT", "SummaryReport", "build"]

REPORT = "sammanfattning"  # the report's short name: sammanfattning.json, sammanfattning.xlsx


@dataclass(frozen=True)
class SummaryReport(Report):
    """A region's summary: its facts, key figures, findings and recommendations."""

    TYPE_NAME: ClassVar[str] = REPORT
    SECTIONS: ClassVar[Mapping[str, str]] = MappingProxyType(HEADINGS)

    params: SummaryParameters
    facts: Facts
    key_figures: tuple[KeyFigure, ...]
    findings: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    names: Mapping[str, str] = field(default_factory=dict)  # lan_kod -> region name
    mismatches: tuple[Mismatch, ...] = ()
    figures: Mapping[str, Figur] = field(default_factory=dict)

    def _section(self, name: str) -> list[Block]:
        f = self.facts
        if name == "sammanfattning":
            blocks = [text_lead(f, self.names)]
        elif name == "nyckeltal":
            blocks = [key_figure_markdown(self.key_figures), self.figures.get("profil")]
        elif name == "utmarker":
            blocks = [text_findings(self.findings, f)]
        elif name == "rekommendationer":
            blocks = [text_recommendations(self.recommendations, f)]
        else:  # saknas
            blocks = [
                text_missing(f, self.mismatches, self.params.omgang, self.params.finansiering)
            ]
        return [b for b in blocks if b]

    def reasons(self) -> dict[str, str]:
        """Why each missing report is missing, in words (report -> clause)."""
        return {
            report: missing_reason(report, status, self.mismatches)
            for report, status in self.facts.missing.items()
        }

    def workbook_sheets(self) -> Mapping[str, pd.DataFrame]:
        """The numbers behind the summary, for ``sammanfattning.xlsx``."""
        return workbook_tables(
            self.facts,
            self.key_figures,
            self.findings,
            [r.as_dict() for r in self.recommendations],
            self.reasons(),
        )

    def payload(self) -> dict[str, Any]:
        """The body of ``sammanfattning.json`` (see its schema)."""
        f = self.facts
        reasons = self.reasons()
        return to_jsonable(
            {
                "titel": TITLE,
                "lan_kod": f.lan_kod,
                "lan_namn": f.lan_namn,
                "rapporter": {
                    report: "med" if report in f.included else f.missing[report]
                    for report in REPORT_TITLES
                },
                "jamforelselan": list(f.get("jamforelse.lan") or []),
                "nyckeltal": [k.as_dict() for k in self.key_figures],
                "utmarker": list(self.findings),
                "rekommendationer": [r.as_dict() for r in self.recommendations],
                "saknade_rapporter": [
                    {
                        "rapport": report,
                        "titel": REPORT_TITLES[report],
                        "status": status,
                        "orsak": reasons[report],
                    }
                    for report, status in f.missing.items()
                ],
            }
        )


def _names(lan: pd.DataFrame | None) -> dict[str, str]:
    if lan is None or not {"lan_kod", "lan_namn"} <= set(lan.columns):
        return {}
    return dict(zip(lan["lan_kod"].astype(str), lan["lan_namn"].astype(str), strict=True))


def _figures(facts: Facts) -> dict[str, Figur]:
    profile = plot_maturity_profile(facts)
    return {} if profile is None else {"profil": profile}


def build(ds: Dataset, params: SummaryParameters) -> SummaryReport:
    """The summary of region ``params.lan_kod`` from the result files in ``params.korning_dir``."""
    run = collect_results(
        params.korning_dir, omgang=params.omgang, finansiering=params.finansiering
    )
    model = getattr(ds, "mognadsmodell", None)
    lan = getattr(ds, "lan", None)
    facts = region_facts(run, params.lan_kod, model=model, lan=lan)
    names = _names(lan)
    report = SummaryReport(
        params=params,
        facts=facts,
        key_figures=tuple(key_figures(facts)),
        findings=tuple(findings(facts, names)),
        recommendations=tuple(recommend(facts, model=model)),
        names=names,
        mismatches=tuple(m for m in run.mismatches if m.lan_kod == params.lan_kod),
        figures=_figures(facts),
    )
    # The protocol merges the data folder's simulated inputs with these (ReportType.build).
    object.__setattr__(report, "simulated_inputs", facts.simulated)
    return report
