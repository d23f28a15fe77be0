"""The effect report (*effektanalys*) in the report registry."""

from __future__ import annotations

from utvardering.effects.parameters import EffectParameters
from utvardering.effects.report import build
from utvardering.protocol import ReportType

__all__ = ["REPORT_TYPE"]

REPORT_TYPE = ReportType(
    name="effekt",
    title="Effektanalys",
    level="region",
    notebook="effektanalys.ipynb",
    parameters=EffectParameters,
    builder=build,
    # Only the region's shares of projects matter, so that another region's change does not
    # re-run it; everything else is read whole.
    tables={
        "effektkedjor": "alla",
        "foretagspanel": "alla",
        "indikatorer": "alla",
        "karta": "alla",
        "lan": "alla",
        "projekt": "alla",
        "projekt_lan": "region",
        "projektindikatorer": "alla",
        # loaded with projekt_lan, whose RUS priorities it checks; the report does not read them
        "rus_prioriteringar": "region",
    },
    order=3,
    unused={"rus_prioriteringar": ("*",), "projekt_lan": ("rus_prioritering",)},
)
