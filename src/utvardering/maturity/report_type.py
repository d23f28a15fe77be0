"""The maturity report's entry in the registry of report types."""

from __future__ import annotations

from utvardering.maturity.parameters import MaturityParameters
from utvardering.maturity.report import REPORT, build
from utvardering.maturity.text import TITLE
from utvardering.protocol import ReportType

__all__ = ["REPORT_TYPE"]

REPORT_TYPE = ReportType(
    name=REPORT,
    title=TITLE,
    level="region",
    notebook="mognadsbedomning.ipynb",
    parameters=MaturityParameters,
    builder=build,
    # The national comparison reads every region's answers, so enkatsvar is read whole.
    tables={
        "enkatsvar": "alla",
        "mognadsmal": "region",
        "mognadsmodell": "alla",
        "lan": "alla",
        "karta": "alla",
    },
    order=1,
)
