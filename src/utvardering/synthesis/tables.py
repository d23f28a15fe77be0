"""The synthesis' tables with Swedish column names: shown in the notebook and saved to Excel."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from utvardering.effects import PooledEstimate
from utvardering.synthesis.collect import REPORTS
from utvardering.synthesis.coverage import Coverage
from utvardering.synthesis.development import Development
from utvardering.synthesis.effects import EffectSynthesis
from utvardering.synthesis.maturity import MaturitySynthesis
from utvardering.synthesis.portfolio import PortfolioSynthesis
from utvardering.synthesis.text import INCLUSION_LABELS
from utvardering.vocabulary import CHAIN_NAMES, INDICATOR_STAGES, LAN_CODES

__all__ = [
    "CATEGORY_TITLES",
    "table_attainment",
    "table_categories",
    "table_concentration",
    "table_coverage",
    "table_development",
    "table_estimates",
    "table_indicators",
    "table_maturity_dimensions",
    "table_maturity_regions",
    "table_pooled",
    "table_portfolio_regions",
]


# The classifications of the portfolio, with their Swedish names.
CATEGORY_TITLES: dict[str, str] = {
    "nationell_prioritering": "Nationell prioritering",
    "fokusomrade": "Fokusområde",
    "effektkedja": "Effektkedja",
    "tema": "Tema",
}


def _names(codes, names: Mapping[str, str]) -> list[str]:
    return [names.get(c, c) for c in codes]


def table_coverage(c: Coverage, names: Mapping[str, str]) -> pd.DataFrame:
    """Per län: its name and, per region report, whether it is in the synthesis (Swedish)."""
    table = c.status.rename(columns={k: t.title for k, t in REPORTS.items()})
    table = table.replace(INCLUSION_LABELS)
    table.insert(0, "Län", [names.get(code, code) for code in table.index])
    return table.reset_index()


def table_development(d: Development, names: Mapping[str, str]) -> pd.DataFrame:
    """One row per län: latest value and index against the country, per indicator."""
    parts = []
    for item in d.series.values():
        part = item.summary[["varde", "index_riket", "forandring", "skillnad_forandring"]]
        parts.append(
            part.set_axis(
                [
                    f"{item.name} {item.latest_year}",
                    f"{item.name}, riket = 100",
                    f"{item.name}, förändring {item.base_year}–{item.latest_year}",
                    f"{item.name}, förändring mot riket (procentenheter)",
                ],
                axis=1,
            )
        )
    table = pd.concat(parts, axis=1) if parts else pd.DataFrame(index=list(LAN_CODES))
    table.iloc[:, 2::4] *= 100
    table.iloc[:, 3::4] *= 100
    table.insert(0, "Län", [names.get(c, c) for c in table.index])
    table.index.name = "lan_kod"
    return table


def table_maturity_regions(m: MaturitySynthesis, names: Mapping[str, str]) -> pd.DataFrame:
    """Per län: overall level, profile mean, change, respondents and the dimension medians."""
    o = m.overall
    table = pd.DataFrame(
        {
            "Län": _names(o.index, names),
            "Trappstegsnivå": o["trappstegsniva"],
            "Trappstegsnivå förra omgången": o["trappstegsniva_foregaende"],
            "Profilmedel": o["profilmedel"].round(2),
            "Profilmedel förra omgången": o["profilmedel_foregaende"].round(2),
            "Förändring profilmedel": (o["profilmedel"] - o["profilmedel_foregaende"]).round(2),
            "Respondenter": o["n_respondenter"],
        },
        index=o.index,
    )
    return table.join(m.named(m.matrix)).reset_index()


def table_maturity_dimensions(m: MaturitySynthesis) -> pd.DataFrame:
    """Per dimension: the spread over the län and the change since the previous round."""
    d, c = m.distribution, m.change
    table = pd.DataFrame(
        {
            "Dimension": [m.dimension_names[i] for i in d.index],
            "Län med svar": d["n_regioner"],
            "Lägst": d["min"],
            "Nedre kvartil": d["q1"],
            "Median": d["median"],
            "Övre kvartil": d["q3"],
            "Högst": d["max"],
            "Medel": d["medel"].round(2),
            "Län under nivå 3": d["n_lag"],
            "Län med båda omgångarna": c["n_regioner"],
            "Median förra omgången": c["median_foregaende"],
            "Median nu (samma län)": c["median_aktuell"],
            "Medelförändring": c["medel_forandring"].round(2),
            "Län uppåt": c["n_upp"],
            "Län nedåt": c["n_ned"],
        }
    )
    rank = {dim: i + 1 for i, dim in enumerate(m.weakest)}
    table.insert(1, "Svagast (1 = svagast)", [rank.get(i) for i in d.index])
    return table.reset_index(drop=True)


def table_portfolio_regions(p: PortfolioSynthesis, names: Mapping[str, str]) -> pd.DataFrame:
    """Per län: projects, money, population and money per inhabitant, with a total row."""
    t = p.per_region
    table = pd.DataFrame(
        {
            "Län": _names(t.index, names),
            "Projekt (berör länet)": t["projekt_berorda"],
            "Projekt (andelsviktade)": t["projekt_andelsviktade"].round(2),
            "Beviljat belopp, kr": t["belopp_sek"].round(0),
            "Befolkning": t["befolkning"],
            "Kr per invånare": t["kr_per_invanare"].round(0),
        },
        index=t.index,
    ).reset_index()
    total = {
        "lan_kod": "",
        "Län": "Summa, länen i syntesen",
        "Projekt (berör länet)": pd.NA,
        "Projekt (andelsviktade)": round(p.projects, 2),
        "Beviljat belopp, kr": round(p.amount_sek),
        "Befolkning": p.population,
        "Kr per invånare": round(p.sek_per_inhabitant),
    }
    return pd.concat([table, pd.DataFrame([total])], ignore_index=True)


def table_categories(p: PortfolioSynthesis, dimension: str) -> pd.DataFrame:
    """The national money of one dimension by category (summed over the regions)."""
    t = p.categories[dimension].sort_values("belopp_sek", ascending=False)
    labels = [CHAIN_NAMES.get(k, k) for k in t.index] if dimension == "effektkedja" else t.index
    return pd.DataFrame(
        {
            CATEGORY_TITLES[dimension]: list(labels),
            "Projekt (andelsviktade)": t["projekt_andelsviktade"].round(2).to_numpy(),
            "Beviljat belopp, kr": t["belopp_sek"].round(0).to_numpy(),
            "Andel av beloppet, %": (100 * t["andel_belopp"]).round(1).to_numpy(),
            "Län med projekt": t["n_lan"].to_numpy(),
            "Hela riket enligt länsrapporterna, kr": t["riket_belopp_sek"].round(0).to_numpy(),
        }
    )


def table_concentration(p: PortfolioSynthesis) -> pd.DataFrame:
    """Per theme: how concentrated its money is to few län."""
    t = p.concentration
    if t.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Tema": t.index,
            "Beviljat belopp, kr": t["belopp_sek"].round(0).to_numpy(),
            "Län med projekt": t["n_lan"].to_numpy(),
            "Största län": t["storsta_lan"].to_numpy(),
            "Största länets andel, %": (100 * t["andel_storsta_lan"]).round(1).to_numpy(),
            "De tre största länen": t["tre_storsta"].to_numpy(),
            "De tre största länens andel, %": (100 * t["andel_tre_storsta"]).round(1).to_numpy(),
            "Effektivt antal län": t["effektivt_antal_lan"].round(1).to_numpy(),
            "Koncentrerat": ["ja" if c else "nej" for c in t["koncentrerat"]],
        }
    )


def table_estimates(e: EffectSynthesis) -> pd.DataFrame:
    """Per län: the main estimate, interval, grade and weight in the pooling."""
    t = e.estimates
    weights = {}
    if e.pooled is not None:
        weights = dict(zip(e.pooled.studies["label"], e.pooled.studies["weight"], strict=True))
    return pd.DataFrame(
        {
            "lan_kod": t.index,
            "Län": t["lan"].to_numpy(),
            "Skattning": t["estimate"].round(3).to_numpy(),
            "Standardfel": t["std_error"].round(3).to_numpy(),
            "95 % intervall, från": t["ci_low"].round(3).to_numpy(),
            "95 % intervall, till": t["ci_high"].round(3).to_numpy(),
            "Evidensgrad": t["evidensgrad"].to_numpy(),
            "Stödda företag": t["n_stodda"].to_numpy(),
            "Jämförelseföretag från": ["länet" if j == "lan" else "hela landet"
                                       for j in t["jamforelse"]],
            "Vikt i sammanvägningen, %": [round(weights.get(n, float("nan")), 1)
                                          for n in t["lan"]],
        }
    )  # fmt: skip


def table_pooled(e: EffectSynthesis) -> pd.DataFrame:
    """The pooled estimates (all län; grade A only) with heterogeneity."""
    rows = []
    for label, pooled in (("Alla län", e.pooled), ("Bara evidensgrad A", e.pooled_a)):
        if pooled is None:
            continue
        rows.append(_pooled_row(label, pooled))
    return pd.DataFrame(rows)


def _pooled_row(label: str, p: PooledEstimate) -> dict:
    pred = p.prediction_interval or (float("nan"), float("nan"))
    return {
        "Urval": label,
        "Län": p.n_studies,
        "Sammanvägd skattning": round(p.estimate, 3),
        "Standardfel": round(p.std_error, 3),
        "95 % intervall, från": round(p.conf_int[0], 3),
        "95 % intervall, till": round(p.conf_int[1], 3),
        "Prediktionsintervall, från": round(pred[0], 3),
        "Prediktionsintervall, till": round(pred[1], 3),
        "tau²": round(p.tau2, 4),
        "I², %": round(100 * p.i2, 1),
        "Q": round(p.q, 2),
        "Frihetsgrader": p.q_df,
        "p-värde (Q)": round(p.q_p_value, 4),
        "Metod": p.method,
    }


def table_attainment(e: EffectSynthesis) -> pd.DataFrame:
    """Per chain and stage: projects with final outcomes and the share reaching all targets."""
    t = e.attainment.reset_index()
    return pd.DataFrame(
        {
            "Effektkedja": [CHAIN_NAMES[c] for c in t["effektkedja"]],
            "Steg": [INDICATOR_STAGES[s] for s in t["steg"]],
            "Län med utfall": t["n_lan"],
            "Projekt med slutligt utfall (per län)": t["n_med_utfall"],
            "Når alla mål": t["n_nar_malen"],
            "Andel som når målen, %": (100 * t["andel_nar_malen"].astype(float)).round(1),
            "Lägsta län, %": (100 * t["lagsta_lan"].astype(float)).round(1),
            "Högsta län, %": (100 * t["hogsta_lan"].astype(float)).round(1),
        }
    )


def table_indicators(e: EffectSynthesis) -> pd.DataFrame:
    """Summed targets and outcomes of the count and krona indicators (final reports)."""
    t = e.indicators
    if t.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Effektkedja": [CHAIN_NAMES.get(c, c) for c in t["effektkedja"]],
            "Steg": [INDICATOR_STAGES.get(s, s) for s in t["steg"]],
            "Indikator": t["indikator"],
            "Enhet": t["enhet"],
            "Målvärde (summa)": t["malvarde"].round(1),
            "Utfall (summa)": t["utfall"].round(1),
            "Utfall i procent av målet": (100 * t["maluppfyllelse"]).round(1),
            "Län": t["n_lan"],
        }
    )
