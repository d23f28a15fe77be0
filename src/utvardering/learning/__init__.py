"""The learning plan (*lärandeplan*): a region's plan for systematic follow-up and learning.

The plan has the three parts of the seed's guidelines: follow-up and evaluation (the
indicators per level and the evaluations planned from the recommendations of
:mod:`utvardering.summary.rules`), feedback (the annual cycle, :mod:`.arshjul`) and monitoring
and analysis (the regional series and the peers). It reads the run's result files, never the
reports' data (:mod:`.plan`); :func:`build` makes the report (:class:`LearningPlanReport`),
whose entry in the registry is :data:`utvardering.learning.report_type.REPORT_TYPE`. Besides
the result file it writes the plan as Markdown (``larandeplan.md``) and a workbook.
"""

from utvardering.learning.arshjul import Arshjul, Event, arshjul_file, load_arshjul
from utvardering.learning.parameters import LearningPlanParameters
from utvardering.learning.report import REPORT, LearningPlanReport, build, markdown

__all__ = [
    "REPORT",
    "Arshjul",
    "Event",
    "LearningPlanParameters",
    "LearningPlanReport",
    "arshjul_file",
    "build",
    "load_arshjul",
    "markdown",
]
