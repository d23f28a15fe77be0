"""The national synthesis as a report type of the registry (:mod:`utvardering.registry`)."""

from __future__ import annotations

from utvardering.protocol import ReportType
from utvardering.synthesis.parameters import SynthesisParameters
from utvardering.synthesis.report import NAME, TABLES, TITLE, build

__all__ = ["REPORT_TYPE"]

REPORT_TYPE = ReportType(
    name=NAME,
    title=TITLE,
    level="nationell",
    notebook="nationell_syntes.ipynb",
    parameters=SynthesisParameters,
    builder=build,
    tables=TABLES,
    order=1,
)
