"""The goal chain report (*målkedja*) in the report registry."""

from __future__ import annotations

from utvardering.goals.parameters import GoalChainParameters
from utvardering.goals.report import REPORT, build
from utvardering.goals.text import TITLE
from utvardering.protocol import ReportType

__all__ = ["REPORT_TYPE"]

REPORT_TYPE = ReportType(
    name=REPORT,
    title=TITLE,
    level="region",
    notebook="malkedja.ipynb",
    parameters=GoalChainParameters,
    builder=build,
    # The region's own goals and project shares; the series of every region (the peers), and
    # the projects and their indicators, whose rows carry no region, are read whole.
    tables={
        "malkedja": "region",
        "indikatorer": "alla",
        "lan": "alla",
        "projekt": "alla",
        "projekt_lan": "region",
        "projektindikatorer": "alla",
        "effektkedjor": "alla",
        # loaded with projekt_lan, whose RUS priorities it checks; the report does not read them
        "rus_prioriteringar": "region",
    },
    order=4,
    # The report reads a project's name, amount and effect chain (for the stage of a project
    # goal), not its other classification, nor the projects' RUS priorities.
    unused={
        "rus_prioriteringar": ("*",),
        "projekt_lan": ("rus_prioritering",),
        "projekt": (
            "nationell_prioritering",
            "fokusomrade",
            "teman",
            "hallbarhet_syfte",
            "hallbarhet_metod",
            "finansieringskalla",
        ),
    },
)
