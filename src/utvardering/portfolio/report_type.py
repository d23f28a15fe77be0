"""The thematic report's entry in the registry of reports (:mod:`utvardering.registry`)."""

from __future__ import annotations

from utvardering.portfolio.analysis import TABLES_NEEDED, TABLES_OPTIONAL
from utvardering.portfolio.parameters import ThematicParameters
from utvardering.portfolio.report import build
from utvardering.protocol import ReportType

__all__ = ["REPORT_TYPE"]

REPORT_TYPE = ReportType(
    name="tema",
    title="Tematisk utvärdering",
    level="region",
    notebook="tematisk_utvardering.ipynb",
    parameters=ThematicParameters,
    builder=build,
    # Every table whole (the report compares the län with the nation and every other län), but
    # the RUS priorities: only the län's own list is read.
    tables={**dict.fromkeys(TABLES_NEEDED, "alla"), **dict.fromkeys(TABLES_OPTIONAL, "region")},
    order=2,
)
