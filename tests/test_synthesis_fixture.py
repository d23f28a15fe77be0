"""National synthesis on a small run folder whose region files come from the real result
functions: the synthesis' numbers are the sums and pools of the region results.

The run: maturity for all 21 län (from the shipped survey); the thematic report for 23 and 24
(25 failed, but left a stale file that must be ignored); the effect report for 01, 22 (too few
supported firms), 23 and 25 with estimates set by hand (24 was never run): 01 and 23 hold all
three outcomes, 25 only employees. The effect files are written here in the shape of the
effect report's schema (``effekt.schema.json``) with the regions' real goal attainment; the
thematic files come from the portfolio report, with the split by funding source added from
the projects table when the report does not write it. The project tables are cut to the
projects that lie wholly in 23, 24 and 25 (92 projects, 35 in more than one län), so that
those three län are the whole country.

The goal-chain files (``malkedja.json``) are written here in the shape of the goal-chain
report's result file (:data:`GOALS`): Kronoberg (07) with one RUS goal, four sub-strategies and
project goals; Jämtland (23) and Stockholm (01) with simulated-looking chains of two and three
RUS goals; Västerbotten (24) without goals; Norrbotten's (25) job failed; the other län were
not run.
"""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import DATA

from utvardering import maturity
from utvardering.dataset import load_dataset
from utvardering.effects.attainment import goal_attainment
from utvardering.effects.design import OUTCOMES
from utvardering.effects.parameters import EffectParameters
from utvardering.errors import ParameterError
from utvardering.maturity import MaturityParameters
from utvardering.portfolio import TABLES_NEEDED as PORTFOLIO_TABLES
from utvardering.portfolio import ThematicParameters, analyse_region, result_body, weight_projects
from utvardering.protocol import result_file
from utvardering.results import read_results, write_results
from utvardering.synthesis import (
    Mismatch,
    NoEstimate,
    Synthesis,
    SynthesisParameters,
    check_totals,
    collect_results,
    project_totals,
    synthesize_effects,
    synthesize_maturity,
    synthesize_portfolio,
)
from utvardering.synthesis.collect import GOALS_TYPE, REPORTS
from utvardering.synthesis.report import write_underlag
from utvardering.synthesis.report_type import REPORT_TYPE
from utvardering.synthesis.text import (
    mismatch_notes,
    no_estimate_reason,
    text_coverage,
    text_portfolio,
)
from utvardering.vocabulary import LAN_CODES

# Builds whole reports or data folders: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam

NORTH = ("23", "24", "25")
OMGANG = 2025
# Main estimates (estimate, standard error, grade) of the effect files, per outcome; a region
# missing from an outcome's dict does not have that outcome in its file (25: employees only).
EFFECTS = {
    "anstallda": {"01": (0.5, 0.1, "A"), "23": (0.9, 0.2, "B"), "25": (0.7, 0.15, "A")},
    "omsattning_tkr": {"01": (820.0, 300.0, "A"), "23": (400.0, 350.0, "B")},
    "foradlingsvarde_tkr": {"01": (210.0, 90.0, "A"), "23": (-40.0, 120.0, "C")},
}
EFFECT_OUTCOMES = {"01": tuple(OUTCOMES), "22": tuple(OUTCOMES), "23": tuple(OUTCOMES),
                   "25": ("anstallda",)}  # fmt: skip
TOL = 1e-9
# The goal chains of the goal-chain files: per region, (mal_id, niva, overordnat_mal_id,
# status) of each goal; a region mapped to None has no goals (har_mal false).
GOALS: dict[str, list[tuple[str, str, str | None, str]] | None] = {
    "07": [
        ("rus1", "rus", None, "osakert"),
        *[(f"us{i}", "understrategi", "rus1", "saknar_data") for i in range(1, 5)],
        ("p1", "projekt", "us1", "nas"),
        ("p2", "projekt", "us1", "saknar_data"),
        ("p3", "projekt", "us2", "osakert"),
        ("p4", "projekt", "rus1", "nas_inte"),
    ],
    "23": [
        ("rus1", "rus", None, "nas"),
        ("rus2", "rus", None, "ratt_riktning"),
        ("us1", "understrategi", "rus1", "fel_riktning"),
        ("p1", "projekt", "us1", "nas"),
    ],
    "01": [
        ("rus1", "rus", None, "nas_inte"),
        ("rus2", "rus", None, "fel_riktning"),
        ("rus3", "rus", None, "saknar_data"),
        ("us1", "understrategi", "rus1", "oklar_riktning"),
    ],
    "24": None,
    "25": [("rus1", "rus", None, "nas")],  # its job failed: the stale file is not read
}
GOAL_STATUSES = ("nas", "osakert", "nas_inte", "ratt_riktning", "oklar_riktning",
                 "fel_riktning", "saknar_data")  # fmt: skip


def _north_only(target: Path) -> Path:
    """A data folder whose project tables hold only the projects wholly in 23, 24 and 25."""
    target.mkdir()
    for name in ("lan.csv", "lan.geojson", "indikatorer.csv", "enkatsvar.csv",
                 "mognadsmodell.yaml", "effektkedjor.yaml", "rus_prioriteringar.csv"):  # fmt: skip
        if (DATA / name).is_file():
            shutil.copyfile(DATA / name, target / name)
    tables = {
        name: pd.read_csv(DATA / f"{name}.csv", dtype=str, keep_default_na=False)
        for name in ("projekt", "projekt_lan", "projektindikatorer")
    }
    lan_sets = tables["projekt_lan"].groupby("arende_id")["lan_kod"].agg(set)
    keep = set(lan_sets.index[lan_sets.apply(lambda s: s <= set(NORTH))])
    for name, frame in tables.items():
        frame[frame["arende_id"].isin(keep)].to_csv(target / f"{name}.csv", index=False)
    return target


def _estimate_row(outcome: str, value: float, se: float, grade: str) -> dict:
    """A main estimate as the effect report writes it (``skattningar``)."""
    return {
        "utfall": outcome,
        "metod": "staggered_did",
        "namn": "Huvudskattning",
        "huvudskattning": True,
        "estimate": value,
        "std_error": se,
        "ci_low": value - 1.96 * se,
        "ci_high": value + 1.96 * se,
        "n_obs": 600,
        "n_clusters": 120,
        "vcov": "test",
        "evidensgrad": grade,
        "motivering": "test",
    }


def effect_body(ds, code: str, outcomes: tuple[str, ...] | None = None) -> dict:
    """An effect file's body in the shape of ``effekt.schema.json``: main estimates set by hand
    (:data:`EFFECTS`) and the region's real goal attainment."""
    outcomes = EFFECT_OUTCOMES[code] if outcomes is None else outcomes
    rows = [_estimate_row(o, *EFFECTS[o][code]) for o in outcomes if code in EFFECTS.get(o, {})]
    n_supported = 60 if rows else 3
    goal = goal_attainment(ds.projektindikatorer, ds.projekt, ds.projekt_lan, code)
    return {
        "lan_kod": code,
        "lan_namn": code,
        "utfall": list(outcomes),
        "finansiering": "alla",
        "jamforelse": "lan",
        "n_stodda_foretag": n_supported,
        "n_jamforelseforetag": 200,
        "for_fa_stodda": not rows,
        "skattningar": rows,
        "per_utfall": [
            {
                "utfall": o,
                "namn": OUTCOMES[o][0],
                "enhet": OUTCOMES[o][1],
                "n_stodda_foretag": n_supported,
                "n_jamforelseforetag": 200,
                "fortrend_p": None,
                "handelsestudie": None,
            }
            for o in outcomes
        ],
        "syntetisk_jamforelse": [],
        "maluppfyllelse": {
            "n_projekt": goal.n_projects,
            "n_avslutade": goal.n_finished,
            "per_steg": goal.per_stage,
            "per_indikator": goal.per_indicator,
        },
        "varningar": [],
        "figurer": [],
    }


def funding_rows(ds, code: str, period) -> list[dict]:
    """``fordelning.finansieringskalla`` of a thematic file, from the projects table: the
    region's money and projects by funding source, against the whole country."""
    rows = weight_projects(ds.projekt, ds.projekt_lan, tuple(period))
    if "finansieringskalla" not in rows:
        rows = rows.merge(ds.projekt[["arende_id", "finansieringskalla"]], on="arende_id")
    mine = rows[rows["lan_kod"] == code]
    total, national = mine["belopp_sek"].sum(), rows["belopp_sek"].sum()
    out = []
    for source in ("ERUF", "Anslag 1:1", "ERUF och anslag 1:1"):
        here, there = (
            mine[mine["finansieringskalla"] == source],
            rows[rows["finansieringskalla"] == source],
        )
        share = here["belopp_sek"].sum() / total if total else 0.0
        national_share = there["belopp_sek"].sum() / national if national else 0.0
        out.append(
            {
                "kategori": source,
                "projekt_berorda": int(here["arende_id"].nunique()),
                "projekt_andelsviktade": float(here["andel"].sum()),
                "belopp_sek": float(here["belopp_sek"].sum()),
                "andel_belopp": float(share),
                "riket_projekt": float(there["andel"].sum()),
                "riket_belopp_sek": float(there["belopp_sek"].sum()),
                "riket_andel_belopp": float(national_share),
                "lokaliseringskvot": float(share / national_share) if national_share else None,
            }
        )
    return out


def goal_body(code: str, goals: list[tuple[str, str, str | None, str]] | None) -> dict:
    """A goal-chain file's body in the shape of the goal-chain report's ``payload()``: the
    goals of :data:`GOALS` with their statuses, nothing simulated."""
    goals = goals or []
    levels = ("rus", "understrategi", "projekt")

    def counts(rows) -> dict[str, int]:
        return {s: sum(1 for g in rows if g[3] == s) for s in GOAL_STATUSES}

    rus = [g for g in goals if g[1] == "rus"]
    parent = {g[0]: g[2] for g in goals}
    served = set()  # every goal with a project goal somewhere below it
    for g in goals:
        above = g[2] if g[1] == "projekt" else None
        while above is not None:
            served.add(above)
            above = parent[above]
    return {
        "titel": GOALS_TYPE.title,
        "lan_kod": code,
        "lan_namn": code,
        "har_mal": bool(goals),
        "jamforelse": "riksomrade",
        "jamforelselan": [],
        "prognosmodell": {"modell": "linjär trend (OLS)", "fonster_ar": 10, "intervall": 0.8},
        "antal_mal": {level: sum(1 for g in goals if g[1] == level) for level in levels},
        "status_rus": counts(rus),
        "status_alla": counts(goals),
        "mal": [
            {
                "mal_id": mal_id,
                "niva": niva,
                "overordnat_mal_id": parent,
                "mal": f"Mål {mal_id}",
                "indikator": None if status == "saknar_data" else "brp_per_inv",
                "enhet": None,
                "basar": 2015,
                "basvarde": None,
                "senaste_ar": None,
                "senaste_varde": None,
                "malar": 2030,
                "malvarde": None,
                "riktning": "oka",
                "steg": "lang_sikt" if niva == "rus" else "prestation",
                "prognos": None,
                "prognos_lag": None,
                "prognos_hog": None,
                "status": status,
                "simulerad": False,
            }
            for mal_id, niva, parent, status in goals
        ],
        "bidrag": [],
        "mal_utan_projekt": [g[0] for g in goals if g[1] != "projekt" and g[0] not in served],
        "stryktips": [],
    }


def _write_status(run, status: dict[str, dict[str, str]]) -> None:
    """status.json as the batch writes it before the national job (every län × report)."""
    full = {code: {r: "saknas" for r in REPORTS} for code in LAN_CODES}
    for code, states in status.items():
        full[code].update(states)
    write_results(run / "status.json", {"lan": full, "uppdaterad": "2025-01-01T00:00:00"})


def build_run(base: Path, data: Path) -> None:
    """Write the run folder (see the module docstring) to ``base`` from the data in ``data``."""
    ds = load_dataset(data, [*PORTFOLIO_TABLES, "enkatsvar", "mognadsmal"])
    status: dict[str, dict[str, str]] = {}
    for code in LAN_CODES:
        body = maturity.result_record(maturity.assess_region(ds, code, OMGANG))
        params = MaturityParameters.check(lan_kod=code, omgang=OMGANG)
        write_results(base / code / "mognad.json", result_file("mognad", params, body))
        status.setdefault(code, {})["mognad"] = "klar"
    for code in NORTH:
        params = ThematicParameters.check(lan_kod=code)
        body = result_body(analyse_region(ds, params))
        if "finansieringskalla" not in body["fordelning"]:  # the portfolio report before it had it
            body["fordelning"]["finansieringskalla"] = funding_rows(ds, code, body["period"])
        body.setdefault("finansiering", "alla")
        files = {"excel": f"tema_{code}.xlsx"}  # the files save() would write
        write_results(base / code / "tema.json", result_file("tema", params, body, files))
        status[code]["tema"] = "klar" if code != "25" else "misslyckad"
    for code in ("01", "22", "23", "25"):
        params = EffectParameters.check(lan_kod=code)
        body = effect_body(ds, code)
        write_results(base / code / "effekt.json", result_file("effekt", params, body))
        status[code]["effekt"] = "klar"
    for code, goals in GOALS.items():
        params = GOALS_TYPE.parameters.check(lan_kod=code)
        body = goal_body(code, goals)
        write_results(base / code / "malkedja.json", result_file("malkedja", params, body))
        status[code]["malkedja"] = "klar" if code != "25" else "misslyckad"
    _write_status(base, status)
    # What the batch's job syntes_underlag draws alongside the region reports.
    write_underlag(data, base / "riket")


def shared_run(tmp_path_factory) -> tuple[Path, Path]:
    """The run folder and its data folder, built once per test session (and worker)."""
    root = tmp_path_factory.getbasetemp() / "syntes_korning"
    base, data = root / "korning", root / "indata" / "data"
    if not (root / "klar").is_file():
        shutil.rmtree(root, ignore_errors=True)
        data.parent.mkdir(parents=True)
        _north_only(data)
        build_run(base, data)
        (root / "klar").touch()
    return base, data


def build(korning_dir: Path, data: Path, **values) -> Synthesis:
    """The synthesis of ``korning_dir`` as the notebook builds it."""
    params = SynthesisParameters.check(korning_dir=str(korning_dir), omgang=OMGANG, **values)
    return REPORT_TYPE.build(load_dataset(data, REPORT_TYPE.tables), params)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The run folder, the dataset its files were made from, and the data folder."""
    base, data = shared_run(tmp_path_factory)
    return base, load_dataset(data, [*PORTFOLIO_TABLES, "enkatsvar", "mognadsmal"]), data


def test_coverage_reads_status_and_ignores_stale_files(run):
    base, _, _ = run
    results = collect_results(base, omgang=OMGANG, utfall="anstallda")
    assert results.included("mognad") == list(LAN_CODES)
    assert results.included("tema") == ["23", "24"]
    assert results.excluded("tema")["25"] == "misslyckad"  # its stale tema.json is not read
    assert "25" not in results.results["tema"]
    assert results.excluded("tema")["01"] == "saknas"
    assert results.included("effekt") == ["01", "22", "23", "25"]
    assert results.excluded("effekt")["24"] == "saknas"
    assert not results.complete


def test_other_round_is_left_out(run):
    base, _, _ = run
    results = collect_results(base, omgang=2023, utfall="anstallda")
    assert results.included("mognad") == []
    assert set(results.excluded("mognad").values()) == {"andra_parametrar"}
    assert Mismatch("mognad", "07", "omgang", 2025, 2023) in results.mismatches
    notes = mismatch_notes(results.mismatches, {"07": "Kronobergs län"})
    assert "Mognadsbedömning för Kronobergs län gäller omgång 2025 i stället för 2023." in notes


def test_maturity_is_the_regions_results(run):
    base, _, _ = run
    payloads = {c: read_results(base / c / "mognad.json") for c in LAN_CODES}
    m = synthesize_maturity(payloads)
    for code in ("07", "25"):
        for dimension, level in payloads[code]["nivaer"].items():
            assert m.matrix.loc[code, dimension] == pytest.approx(level)
    # With every län in, the spread per dimension is the national distribution that each
    # region report wrote beside its own level.
    reference = {r["dimension"]: r for r in payloads["07"]["dimensioner"]}
    for dimension, row in m.distribution.iterrows():
        assert row["median"] == pytest.approx(reference[dimension]["riket_median"])
        assert row["q1"] == pytest.approx(reference[dimension]["riket_q1"])
        assert row["max"] == pytest.approx(reference[dimension]["riket_max"])
        assert row["n_regioner"] == reference[dimension]["n_regioner"]
    # The change is the regions' own trend, averaged over the län with both rounds.
    trends = [
        r["trend"]
        for p in payloads.values()
        for r in p["dimensioner"]
        if r["dimension"] == m.weakest[0] and r["trend"] is not None
    ]
    assert m.change.loc[m.weakest[0], "medel_forandring"] == pytest.approx(np.mean(trends))
    assert m.distribution.loc[m.weakest[0], "median"] == m.distribution["median"].min()
    assert "09" not in m.overall.dropna(subset=["trappstegsniva_foregaende"]).index  # new in 2025


def test_portfolio_sums_are_the_regions_and_the_nation(run):
    base, ds, _ = run
    payloads = {c: read_results(base / c / "tema.json") for c in NORTH}
    p = synthesize_portfolio(payloads)
    # The three län are the whole (cut) country: the sum is the national total, counted once.
    national = payloads["23"]["riket"]
    assert p.amount_sek == pytest.approx(national["belopp_sek"], rel=TOL)
    assert p.projects == pytest.approx(national["projekt_andelsviktade"], rel=TOL)
    projects = project_totals(ds.projekt, ds.projekt_lan, p.period, list(LAN_CODES))
    in_period = ds.projekt[ds.projekt["startdatum"].dt.year.between(*p.period)]
    assert projects.amount_sek == pytest.approx(in_period["beviljat_belopp_sek"].sum(), rel=TOL)
    check = check_totals(p, projects, [])
    assert check.agrees and check.explained
    # Every category's sum over the län is the country's amount in it (themes too).
    for dimension in ("nationell_prioritering", "effektkedja", "tema"):
        table = p.categories[dimension]
        assert np.allclose(table["belopp_sek"], table["riket_belopp_sek"], rtol=TOL)
    # ... and the per-län numbers are the files' own.
    assert p.per_region.loc["24", "kr_per_invanare"] == pytest.approx(
        payloads["24"]["totalt"]["kr_per_invanare"]
    )


def test_portfolio_with_a_failed_region(run):
    base, ds, data = run
    synthesis = build(base, data)
    files = {c: read_results(base / c / "tema.json") for c in ("23", "24")}
    p = synthesis.portfolio
    assert p.amount_sek == pytest.approx(sum(f["totalt"]["belopp_sek"] for f in files.values()))
    # The difference to the projects table is exactly the money of Norrbotten (25 failed; the
    # other län have no projects in this data): its share of each multi-county project.
    rows = ds.projekt_lan[ds.projekt_lan["lan_kod"] == "25"].merge(ds.projekt, on="arende_id")
    in_period = rows["startdatum"].dt.year.between(*p.period)
    norrbotten = float((rows["andel"] * rows["beviljat_belopp_sek"])[in_period].sum())
    check = synthesis.totals_check
    assert check.missing == pytest.approx(norrbotten, rel=TOL)
    assert check.difference == pytest.approx(norrbotten, rel=TOL)
    assert check.explained and not check.agrees
    assert synthesis.coverage.money_missing() == pytest.approx(norrbotten / check.table_total)
    text = text_coverage(synthesis)
    assert "Norrbottens län (misslyckades)" in text
    assert "av det beviljade beloppet" in text
    assert "exakt beloppet i de län som saknas" in text_portfolio(synthesis)


def _dersimonian_laird(values: list[tuple[float, float]]):
    """DerSimonian & Laird (1986) by hand: Q from fixed-effect weights, tau² by moments."""
    y = [v for v, _ in values]
    w = [1 / se**2 for _, se in values]
    fixed = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, y, strict=True))
    c = sum(w) - sum(wi**2 for wi in w) / sum(w)
    tau2 = max(0.0, (q - (len(y) - 1)) / c)
    w_star = [1 / (se**2 + tau2) for _, se in values]
    pooled = sum(wi * yi for wi, yi in zip(w_star, y, strict=True)) / sum(w_star)
    return pooled, math.sqrt(1 / sum(w_star)), tau2, max(0.0, (q - (len(y) - 1)) / q)


def test_pooled_effect_is_dersimonian_laird_by_hand(run):
    base, _, _ = run
    payloads = {c: read_results(base / c / "effekt.json") for c in ("01", "22", "23", "25")}
    e = synthesize_effects(payloads).per_outcome["anstallda"]
    assert list(e.estimates.index) == ["01", "23", "25"]
    assert e.without["22"] == NoEstimate(too_few_supported=True, n_supported=3)
    assert no_estimate_reason(e.without["22"]) == "bara 3 stödda företag"
    # On paper, for (0.5, 0.1), (0.9, 0.2), (0.7, 0.15): fixed weights w = 100, 25, 44.444;
    # fixed mean 103.611 / 169.444 = 0.61148; Q = 1.2428 + 2.0811 + 0.3483 = 3.6721 on 2 df;
    # C = 169.444 - 12600.3 / 169.444 = 95.081; tau² = 1.6721 / 95.081 = 0.017586;
    # I² = 1.6721 / 3.6721 = 0.4554; w* = 36.250, 17.365, 24.946 (sum 78.561);
    # pooled = 51.216 / 78.561 = 0.65193, standard error 1 / sqrt(78.561) = 0.11282.
    pooled, se, tau2, i2 = _dersimonian_laird([(0.5, 0.1), (0.9, 0.2), (0.7, 0.15)])
    assert (pooled, se, tau2, i2) == pytest.approx((0.65193, 0.11282, 0.017586, 0.4554), abs=1e-4)
    assert e.pooled.estimate == pytest.approx(pooled, abs=1e-12)
    assert e.pooled.std_error == pytest.approx(se, abs=1e-12)
    assert e.pooled.tau2 == pytest.approx(tau2, abs=1e-12)
    assert e.pooled.i2 == pytest.approx(i2, abs=1e-12)
    assert e.pooled.conf_int[0] == pytest.approx(pooled - 1.959964 * se, abs=1e-6)
    # Only grade A: 01 and 25.
    assert e.pooled_a.n_studies == 2
    a_only, _, _, _ = _dersimonian_laird([(0.5, 0.1), (0.7, 0.15)])
    assert e.pooled_a.estimate == pytest.approx(a_only, abs=1e-12)


def test_goal_attainment_is_summed_over_the_regions(run):
    base, _, _ = run
    payloads = {c: read_results(base / c / "effekt.json") for c in ("01", "22", "23", "25")}
    e = synthesize_effects(payloads)
    rows = pd.DataFrame([r for p in payloads.values() for r in p["maluppfyllelse"]["per_steg"]])
    for (chain, stage), row in e.attainment.iterrows():
        mine = rows[(rows["effektkedja"] == chain) & (rows["steg"] == stage)]
        assert row["n_med_utfall"] == mine["n_med_utfall"].sum()
        assert row["n_nar_malen"] == mine["n_nar_malen"].sum()
    indicators = pd.DataFrame(
        [
            r
            for p in payloads.values()
            for r in p["maluppfyllelse"]["per_indikator"]
            if r["enhet"] in ("antal", "kr") and r["n_slutliga"]
        ]
    )
    first = e.indicators.iloc[0]
    same = indicators[
        (indicators["effektkedja"] == first["effektkedja"])
        & (indicators["steg"] == first["steg"])
        & (indicators["indikator"] == first["indikator"])
    ]
    assert first["malvarde"] == pytest.approx(same["malvarde"].sum())
    assert first["utfall"] == pytest.approx(same["utfall"].sum())


def test_outputs_and_payload(run, tmp_path):
    base, _, data = run
    synthesis = build(base, data)
    files = synthesis.save(tmp_path)
    assert (tmp_path / files["excel"]).is_file()
    for outcome in OUTCOMES:
        assert (tmp_path / files[f"effekt_skog_{outcome}"]).is_file()
    sheets = pd.read_excel(tmp_path / files["excel"], sheet_name=None)
    assert {
        "Täckning",
        "Portfölj per län",
        "Finansieringskälla",
        "Sammanvägt, antal anställda",
        "Sammanvägt, förädlingsvärde",
        "Mognad per dimension",
        "Länens mål",
    } <= set(sheets)
    # The workbook has the raw numbers: amounts in kronor, regions by name.
    per_region = sheets["Portfölj per län"]
    assert "Beviljat belopp (kr)" in per_region and "lan_kod" not in per_region
    assert per_region["Beviljat belopp (kr)"].iloc[-1] == pytest.approx(
        synthesis.portfolio.amount_sek
    )
    write_results(tmp_path / "syntes.json", synthesis.payload())
    saved = read_results(tmp_path / "syntes.json")
    assert saved["tackning"]["saknas"]["tema"]["25"] == "misslyckad"
    by_outcome = {o["utfall"]: o for o in saved["effekter"]["per_utfall"]}
    assert by_outcome["anstallda"]["sammanvagd"]["n_lan"] == 3
    assert by_outcome["omsattning_tkr"]["sammanvagd"]["n_lan"] == 2
    assert by_outcome["omsattning_tkr"]["utfallet_saknas"] == ["25"]
    assert saved["tackning"]["utfall_saknas"] == {"25": ["omsattning_tkr", "foradlingsvarde_tkr"]}
    assert saved["portfolj"]["n_lan"] == 2


def test_a_run_for_one_funding_scope_is_synthesised_for_that_scope(run, tmp_path):
    """``kor -p finansiering=anslag_1_1`` runs the thematic and effect reports and the
    synthesis for the 1:1 portfolio: the synthesis takes those files, and a synthesis of all
    funding sources leaves them out (they are not every project)."""
    base, _, data = run
    scoped = tmp_path / "korning"
    shutil.copytree(base, scoped)
    for path in [*scoped.glob("*/tema.json"), *scoped.glob("*/effekt.json")]:
        result = read_results(path)
        result["finansiering"] = result["parametrar"]["finansiering"] = "anslag_1_1"
        write_results(path, result)
    same = collect_results(scoped, omgang=OMGANG, finansiering="anslag_1_1")
    assert same.included("tema") == ["23", "24"] and same.included("effekt")
    other = collect_results(scoped, omgang=OMGANG)
    assert other.included("tema") == [] and other.included("effekt") == []
    assert Mismatch("tema", "23", "finansiering", "anslag_1_1", "alla") in other.mismatches
    synthesis = build(scoped, data, finansiering="anslag_1_1")
    assert "bara projekt med stöd ur anslag 1:1" in synthesis.section("intro").snapshot_text()
    with pytest.raises(ParameterError, match="finansiering ska vara"):
        SynthesisParameters.check(korning_dir=str(scoped), finansiering="eu")


def test_bad_parameters_are_named_at_once():
    with pytest.raises(ParameterError) as caught:
        SynthesisParameters.check(korning_dir="/finns/inte", omgang="2025", utfall="vinst")
    message = str(caught.value)
    assert "korning_dir '/finns/inte' är ingen mapp" in message
    assert "omgang ska vara mognadsenkätens omgång som heltal" in message
    assert "utfall ska vara ett av 'alla', 'anstallda'" in message
    with pytest.raises(ParameterError, match="Okänd parameter 'lan_kod'"):
        SynthesisParameters.check(korning_dir=str(DATA), lan_kod="07")
    params = SynthesisParameters.check(korning_dir=DATA)
    assert params == SynthesisParameters(korning_dir=str(DATA), omgang=2025, utfall="alla")
    assert params.outcomes == tuple(OUTCOMES)
    one = SynthesisParameters.check(korning_dir=DATA, utfall="omsattning_tkr")
    assert one.outcomes == ("omsattning_tkr",)


def test_damaged_status_and_manifests_count_as_failed_jobs(run, tmp_path):
    """A damaged status.json falls back on the manifests; a damaged manifest is a failed job."""
    base, _, _ = run
    copy = tmp_path / "korning"
    shutil.copytree(base, copy)
    (copy / "status.json").write_text('{"lan": ["trasig"', encoding="utf-8")
    for code in LAN_CODES:
        write_results(copy / code / "mognad.manifest.json", {"status": "klar"})
    (copy / "07" / "mognad.manifest.json").write_text('{"status": "kl', encoding="utf-8")
    (copy / "08" / "mognad.manifest.json").write_text('["klar"]', encoding="utf-8")
    results = collect_results(copy, omgang=OMGANG, utfall="anstallda")
    assert results.excluded("mognad") == {"07": "misslyckad", "08": "misslyckad"}
    assert "01" in results.included("mognad")


def test_goals_are_the_regions_counts(run):
    """The goal part counts the statuses the region files gave their RUS goals; a region
    without goals is kept, a failed job's stale file is not read."""
    base, _, data = run
    results = collect_results(base, omgang=OMGANG)
    assert results.included("malkedja") == ["01", "07", "23", "24"]
    assert results.excluded("malkedja")["25"] == "misslyckad"
    assert results.excluded("malkedja")["03"] == "saknas"
    synthesis = build(base, data)
    g = synthesis.goals
    assert list(g.per_region.index) == ["01", "07", "23", "24"]
    assert g.without_goals == ["24"]
    assert g.per_region.loc["24", "n_rus"] == 0
    assert pd.isna(g.per_region.loc["24", "andel_pa_vag"])
    # By hand: RUS goals 01: nas_inte, fel_riktning, saknar_data; 07: osakert; 23: nas,
    # ratt_riktning. Six RUS goals, two on their way, five with data.
    assert g.national() == {
        "nas": 1,
        "osakert": 1,
        "nas_inte": 1,
        "ratt_riktning": 1,
        "oklar_riktning": 0,
        "fel_riktning": 1,
        "saknar_data": 1,
    }
    assert (g.n_rus, g.n_on_track, g.n_with_data) == (6, 2, 5)
    assert g.totals() == {"rus": 6, "understrategi": 6, "projekt": 5}
    assert g.per_region.loc["23", "andel_pa_vag"] == pytest.approx(1.0)
    assert g.per_region.loc["01", "andel_med_data"] == pytest.approx(2 / 3)
    # No project goal below: 07's us3 and us4, 23's rus2, all four goals of 01.
    assert g.per_region["n_utan_projekt"].to_dict() == {"01": 4, "07": 2, "23": 1, "24": 0}
    assert g.model == {"modell": "linjär trend (OLS)", "fonster_ar": 10, "intervall": 0.8}


def test_goal_table_shows_every_region(run):
    base, _, data = run
    synthesis = build(base, data)
    shown = synthesis.tables["mal_lan"].formatted().set_index("Län")
    assert len(shown) == len(LAN_CODES) + 1  # every län, then the total of those in
    assert shown.loc["Västerbottens län", "Målkedjan"] == "med, inga mål i underlaget"
    assert shown.loc["Västerbottens län", "RUS-mål"] == "0"
    assert shown.loc["Västerbottens län", "RUS-mål med data (%)"] == "–"
    assert shown.loc["Norrbottens län", "Målkedjan"] == "misslyckades"
    assert shown.loc["Uppsala län", "Målkedjan"] == "inte körd"
    assert shown.loc["Uppsala län", "RUS-mål"] == "–"
    assert shown.loc["Stockholms län", "RUS-mål: saknar data"] == "1"
    assert shown.loc["Stockholms län", "RUS-mål med data (%)"] == "67"
    total = shown.loc["Summa, länen i syntesen"]
    assert (total["Målkedjan"], total["RUS-mål"], total["Projektmål"]) == ("4 län", "6", "5")
    assert total["RUS-mål som når målet eller går åt rätt håll (%)"] == "33"
    # The map: the län with RUS goals have a value; the others are named as without one.
    figure = synthesis.figures["mal_karta"]
    assert "Högst, 100 %: Jämtlands län. Lägst, 0 %: Stockholms län och Kronobergs län." in (
        figure.alt.replace("\u00a0", " ")
    )
    assert "Västerbottens län" in figure.alt.split("Utan värde")[1]
    # The bars: one per län with RUS goals (Västerbotten has none), a segment per status.
    axes = synthesis.figures["mal_status"].figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == [
        "Stockholms län",
        "Kronobergs län",
        "Jämtlands län",
    ]
    assert sum(p.get_width() for p in axes.patches) == 6
    text = synthesis.section("mal").snapshot_text()
    assert "3 av 4 län i syntesen har mål i underlaget" in text
    assert "Västerbottens län har inga mål i underlaget" in text
    payload = synthesis.payload()["mal"]
    assert payload["lan_utan_mal"] == ["24"]
    assert payload["andel_rus_pa_vag"] == pytest.approx(2 / 6)
    assert [r["lan_kod"] for r in payload["per_lan"]] == ["01", "07", "23", "24"]


def test_no_goal_files_leave_the_part_out(run, tmp_path):
    base, _, data = run
    copy = tmp_path / "korning"
    shutil.copytree(base, copy)
    status = read_results(copy / "status.json")
    for code in status["lan"]:
        status["lan"][code]["malkedja"] = "saknas"
    write_results(copy / "status.json", status)
    synthesis = build(copy, data)
    assert synthesis.goals is None and "mal_karta" not in synthesis.figures
    assert "mal" not in synthesis.payload()
    assert "Inget län i syntesen har en målkedja." in synthesis.section("mal").snapshot_text()
    shown = synthesis.tables["mal_lan"].formatted()
    assert len(shown) == len(LAN_CODES) and set(shown["Målkedjan"]) == {"inte körd"}


def test_goal_files_without_goals_are_shown_as_such(run, tmp_path):
    """Every län in with a file that has no goals: the map and the bars are drawn, blank, and
    the text names the län without goals."""
    base, _, data = run
    copy = tmp_path / "korning"
    shutil.copytree(base, copy)
    for path in copy.glob("*/malkedja.json"):
        code = path.parent.name
        params = GOALS_TYPE.parameters.check(lan_kod=code)
        write_results(path, result_file("malkedja", params, goal_body(code, None)))
    synthesis = build(copy, data)
    assert synthesis.goals.without_goals == ["01", "07", "23", "24"]
    assert "Inget län har något värde" in synthesis.figures["mal_karta"].alt
    assert "inget län har RUS-mål" in synthesis.figures["mal_status"].alt
    text = synthesis.section("mal").snapshot_text()
    assert "Inget av de 4 länen i syntesen har mål i underlaget." in text
    assert (
        "Stockholms län, Kronobergs län, Jämtlands län och Västerbottens län har inga mål" in text
    )
    assert "Status för" not in text
    assert synthesis.payload()["mal"]["andel_rus_pa_vag"] is None
