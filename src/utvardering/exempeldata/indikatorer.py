"""Reshape the real regional statistics into the long indicator table of the contract."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["INDICATORS", "build_indicators"]

# indicator id -> (source file, source column, unit, credit); all from kalldata/ (real data).
INDICATORS: dict[str, tuple[str, str, str, str]] = {
    "befolkning": (
        "lan_panel_wide.csv",
        "befolkning",
        "personer",
        "Eurostat demo_r_pjanaggr3/demo_r_pjangrp3/demo_r_gind3 (1 januari)",
    ),
    "brp": ("lan_panel_wide.csv", "brp_mnkr", "mnkr, löpande priser", "Eurostat nama_10r_3gdp"),
    "brp_per_inv": (
        "lan_panel_wide.csv",
        "brp_per_inv_kr_harledd",
        "kr per invånare",
        "Härledd: BRP (Eurostat nama_10r_3gdp) / befolkning 1 januari",
    ),
    "sysselsatta": (
        "lan_panel_wide.csv",
        "sysselsatta",
        "personer",
        "Eurostat nama_10r_3empers (avrundat till tusental)",
    ),
    "nystartade_foretag": (
        "lan_panel_wide.csv",
        "nystartade_foretag",
        "antal",
        "Tillväxtanalys, Nystartade företag",
    ),
    "nystartade_per_1000_inv": (
        "lan_panel_wide.csv",
        "nystartade_per_1000_inv_harledd",
        "antal per 1000 invånare",
        "Härledd: Tillväxtanalys, Nystartade företag / befolkning",
    ),
    "foretag_med_anstallda_per_1000_inv": (
        "lan_panel_wide.csv",
        "foretag_med_anstallda_per_1000_inv_harledd",
        "antal per 1000 invånare",
        "Härledd: Eurostat bd_size_r3 (företag med minst 1 anställd) / befolkning",
    ),
    "fou_foretag": (
        "kolada_fou_utgifter_lan.csv",
        "Företagens utgifter för egen FoU",
        "kr per invånare",
        "Kolada (RKA): Företagens utgifter för egen FoU",
    ),
    "fou_offentlig": (
        "kolada_fou_utgifter_lan.csv",
        "Offentliga sektorns utgifter för FoU",
        "kr per invånare",
        "Kolada (RKA): Offentliga sektorns utgifter för FoU",
    ),
    "fou_hogskola": (
        "kolada_fou_utgifter_lan.csv",
        "Universitets- och högskolesektorns utgifter för FoU",
        "kr per invånare",
        "Kolada (RKA): Universitets- och högskolesektorns utgifter för FoU",
    ),
    "export_varde": (
        "scb_export_lan.csv",
        "export_varde_kr",
        "kr",
        "SCB, regional varuexport (sammanställd av Region Dalarna)",
    ),
    "export_per_inv_20_64": (
        "scb_export_lan.csv",
        "export_kr_per_inv_20_64",
        "kr per invånare 20–64 år",
        "SCB, regional varuexport (sammanställd av Region Dalarna)",
    ),
    "utslapp": (
        "utslapp_brp_lan.csv",
        "utslapp",
        "kton koldioxidekvivalenter",
        "Nationella emissionsdatabasen (sammanställd av Region Dalarna)",
    ),
}


def _read(source_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(source_dir / name, dtype={"lan_kod": str}, keep_default_na=True)


def build_indicators(source_dir: Path) -> pd.DataFrame:
    """The long table ``lan_kod, ar, indikator, varde, enhet, kalla`` for the 21 län.

    Values are copied unchanged; years where a source has no value are left out (they are
    missing in the source, not removed). Rows for "Riket" or unallocated values are not län and
    are not part of this table.
    """
    frames = []
    cache: dict[str, pd.DataFrame] = {}
    for indicator, (file, column, unit, credit) in INDICATORS.items():
        source = cache.setdefault(file, _read(source_dir, file))
        if file.startswith("kolada"):
            part = source[source["kpi_namn"] == column][["lan_kod", "year", "value"]]
        else:
            part = source[["lan_kod", "year", column]].rename(columns={column: "value"})
        part = part.dropna(subset=["value"])
        frames.append(
            pd.DataFrame(
                {
                    "lan_kod": part["lan_kod"].to_numpy(),
                    "ar": part["year"].astype(int).to_numpy(),
                    "indikator": indicator,
                    "varde": part["value"].astype(float).to_numpy(),
                    "enhet": unit,
                    "kalla": credit,
                }
            )
        )
    table = pd.concat(frames, ignore_index=True)
    lan = set(pd.read_csv(source_dir / "se_lan.csv", dtype=str)["lan_kod"])
    table = table[table["lan_kod"].isin(lan)]
    return table.sort_values(["indikator", "lan_kod", "ar"], ignore_index=True)
