"""The region summary (*sammanfattning*) in the report registry."""

from __future__ import annotations

from utvardering.protocol import ReportType
from utvardering.summary.parameters import SummaryParameters
from utvardering.summary.report import REPORT, build
from utvardering.summary.text import TITLE

__all__ = ["REPORT_TYPE"]

REPORT_TYPE = ReportType(
    name=REPORT,
    title=TITLE,
    level="region",
    notebook="sammanfattning.ipynb",
    parameters=SummaryParameters,
    builder=build,
    # The summary reads the run's result files; from the data folder only the regions (names
    # and peers), the maturity model (dimension order, next-level texts) and the effect chains.
    tables={"lan": "alla", "mognadsmodell": "alla", "effektkedjor": "alla"},
    order=0,
    reads_run=True,
)
