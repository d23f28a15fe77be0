"""The learning plan (*lärandeplan*) in the report registry."""

from __future__ import annotations

from utvardering.learning.parameters import LearningPlanParameters
from utvardering.learning.report import REPORT, build
from utvardering.learning.text import TITLE
from utvardering.protocol import ReportType

__all__ = ["REPORT_TYPE"]

REPORT_TYPE = ReportType(
    name=REPORT,
    title=TITLE,
    level="region",
    notebook="larandeplan.ipynb",
    parameters=LearningPlanParameters,
    builder=build,
    # The plan reads the run's result files; of the data folder it reads the regions' names and
    # peers, the maturity model's level texts, the indicators' names in the effect chains and
    # the region's row of the optional table of learning plans. The region's annual cycle,
    # arshjul/<lan_kod>.yaml, is one of its files below.
    tables={
        "lan": "alla",
        "mognadsmodell": "alla",
        "effektkedjor": "alla",
        "larandeplaner": "region",
    },
    order=6,
    reads_run=True,
    # The region's own annual cycle (arshjul.arshjul_file): editing it re-runs the plan.
    files=("arshjul/{lan_kod}.yaml",),
)
