"""A region's facts from a run's result files: each fact is a field, a sum or a ratio of them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from utvardering.summary.facts import Facts, peer_regions, region_facts
from utvardering.synthesis.collect import REPORTS, RunResults
from utvardering.vocabulary import LAN_CODES

SIM = {"tabell": "enkatsvar", "beskrivning": "svaren på mognadsenkäten", "kolumner": []}


def _maturity(code: str, profile: float | None, previous: float | None = 2.0) -> dict:
    dims = [
        ("uppfoljning_utvardering", "Uppföljning och utvärdering", 3.0, 3, 2.5),
        ("indikatorer_data", "Indikatorer och datainsamling", 2.0, 2, 3.0),
        ("aterkoppling", "Återkoppling", 2.0, 2, 2.0),
    ]
    return {
        "lan_kod": code,
        "lan_namn": f"Län {code}",
        "omgang": 2025,
        "foregaende_omgang": 2023,
        "inga_svar": profile is None,
        "lag_tillforlitlighet": False,
        "n_respondenter": 4,
        "trappstegsniva": None if profile is None else 2,
        "trappstegsniva_foregaende": 1,
        "profilmedel": profile,
        "profilmedel_foregaende": previous,
        "rang_profilmedel": 5,
        "n_regioner": 21,
        "nivaer": {d: (None if profile is None else m) for d, _, m, _, _ in dims},
        "dimensioner": [
            {
                "dimension": d,
                "namn": name,
                "median": None if profile is None else m,
                "uppnadd_niva": None if profile is None else u,
                "riket_median": r,
            }
            for d, name, m, u, r in dims
        ],
        "simulerade_indata": [SIM],
    }


def _portfolio(code: str, kr: float | None, shares: dict[str, float]) -> dict:
    return {
        "lan_kod": code,
        "lan_namn": f"Län {code}",
        "period": [2014, 2020],
        "totalt": {
            "projekt_berorda": 12,
            "projekt_andelsviktade": 8.5,
            "belopp_sek": 50e6,
            "kr_per_invanare": kr,
        },
        "riket": {"kr_per_invanare": 400.0},
        "fordelning": {
            "effektkedja": [
                {"kategori": k, "andel_belopp": v, "riket_andel_belopp": 0.25, "namn": k.title()}
                for k, v in shares.items()
            ]
        },
        "storsta_avvikelse": {
            "dimension": "effektkedja",
            "kategori": "kunskap",
            "andel_belopp": 0.6,
            "riket_andel_belopp": 0.25,
            "lokaliseringskvot": 2.4,
        },
        "simulerade_indata": [],
    }


def _row(chain, step, n_projekt, avslutade, med_utfall, nar, saknas):
    return {
        "effektkedja": chain,
        "steg": step,
        "n_projekt": n_projekt,
        "n_avslutade": avslutade,
        "n_med_utfall": med_utfall,
        "n_nar_malen": nar,
        "n_projekt_utfall_saknas": saknas,
    }


def _effects(code: str) -> dict:
    rows = [
        _row("kunskap", "prestation", 10, 8, 8, 6, 0),
        _row("kunskap", "kort_sikt", 10, 8, 6, 3, 2),
        _row("kunskap", "medellang_sikt", 10, 8, 0, 0, 8),
        _row("foretag", "prestation", 5, 2, 2, 1, 0),
        _row("foretag", "medellang_sikt", 5, 2, 2, 1, 0),
        _row("infrastruktur", "prestation", 0, 0, 0, 0, 0),
        _row("kompetens", "prestation", 3, 0, 0, 0, 0),
    ]
    estimate = {
        "huvudskattning": True,
        "estimate": 0.5,
        "ci_low": 0.1,
        "ci_high": 0.9,
        "namn": "DiD",
    }
    return {
        "lan_kod": code,
        "lan_namn": f"Län {code}",
        "for_fa_stodda": False,
        "maluppfyllelse": {"n_projekt": 18, "n_avslutade": 10, "per_steg": rows},
        "per_utfall": [
            {"utfall": "anstallda", "namn": "antal anställda", "enhet": "anställda"},
            {"utfall": "omsattning_tkr", "namn": "omsättning", "enhet": "tkr"},
        ],
        "skattningar": [
            {**estimate, "utfall": "anstallda", "evidensgrad": "B"},
            {**estimate, "utfall": "anstallda", "huvudskattning": False, "evidensgrad": "A"},
            {**estimate, "utfall": "omsattning_tkr", "evidensgrad": "C"},
        ],
        "simulerade_indata": [
            {"tabell": "foretagspanel", "beskrivning": "företagen", "kolumner": []},
            {"tabell": "projektindikatorer", "beskrivning": "utfallen", "kolumner": ["utfall"]},
        ],
    }


def _goals(code: str) -> dict:
    goals = [("RUS-1", "rus", "fel_riktning"), ("RUS-2", "rus", "nas"), ("RUS-3", "rus", None)]
    goals += [("US-1", "understrategi", "saknar_data"), ("RUS-4", "rus", "ratt_riktning")]
    return {
        "lan_kod": code,
        "har_mal": True,
        "antal_mal": {"rus": 4, "understrategi": 1, "projekt": 0},
        "status_rus": {
            "nas": 1,
            "osakert": 0,
            "nas_inte": 0,
            "ratt_riktning": 1,
            "oklar_riktning": 0,
            "fel_riktning": 1,
            "saknar_data": 1,
        },
        "mal": [
            {"mal_id": m, "niva": n, "mal": f"Mål {m}", "status": s, "indikator": None}
            for m, n, s in goals
        ],
        "mal_utan_projekt": ["RUS-3", "US-1"],
        "jamforelselan": ["06", "08"],
        "simulerade_indata": [],
    }


def _run(results: dict[str, dict[str, dict]], status: dict | None = None) -> RunResults:
    frame = pd.DataFrame("saknas", index=pd.Index(LAN_CODES, name="lan_kod"), columns=list(REPORTS))
    for report, by_code in results.items():
        for code in by_code:
            frame.loc[code, report] = "med"
    for (code, report), value in (status or {}).items():
        frame.loc[code, report] = value
    full = {report: dict(results.get(report, {})) for report in REPORTS}
    return RunResults(Path("."), frame, full)


LAN = pd.DataFrame(
    {
        "lan_kod": ["01", "06", "07", "08", "09", "12"],
        "lan_namn": ["Stockholms län", "Jönköpings län", "Kronobergs län", "Kalmar län",
                     "Gotlands län", "Skåne län"],
        "nuts2_kod": ["SE11", "SE21", "SE21", "SE21", "SE21", "SE22"],
    }
)  # fmt: skip


@pytest.fixture
def complete() -> RunResults:
    return _run(
        {
            "mognad": {
                "07": _maturity("07", 2.5),
                "06": _maturity("06", 3.0),
                "08": _maturity("08", None),
                "12": _maturity("12", 1.5),
            },
            "tema": {
                "07": _portfolio("07", 300.0, {"kunskap": 0.6, "foretag": 0.3, "kompetens": 0.1}),
                "06": _portfolio("06", 500.0, {"kunskap": 1.0}),
                "09": _portfolio("09", 700.0, {"kunskap": 1.0}),
            },
            "effekt": {"07": _effects("07")},
            "malkedja": {"07": _goals("07")},
        }
    )


def test_maturity_facts_are_the_file_s_fields_and_the_change(complete):
    facts = region_facts(complete, "07", lan=LAN)
    assert isinstance(facts, Facts)
    assert facts.lan_namn == "Kronobergs län"
    assert facts.get("mognad.trappstegsniva") == 2
    assert facts.get("mognad.profilmedel") == 2.5
    assert facts.get("mognad.profilmedel_foregaende") == 2.0
    assert facts.get("mognad.profilmedel_forandring") == pytest.approx(0.5)
    assert facts.get("mognad.niva.indikatorer_data") == 2.0
    assert facts.get("mognad.uppnadd_niva.indikatorer_data") == 2
    assert facts.get("mognad.riket_median.indikatorer_data") == 3.0
    assert facts.get("mognad.namn.aterkoppling") == "Återkoppling"
    # indikatorer_data and aterkoppling tie at 2.0: the first in order wins
    assert facts.get("mognad.svagaste_dimension") == "indikatorer_data"
    assert facts.sources["mognad.profilmedel"] == "mognad"


def test_a_change_needs_both_rounds():
    run = _run({"mognad": {"07": _maturity("07", 2.5, previous=None)}})
    facts = region_facts(run, "07")
    assert "mognad.profilmedel_forandring" in facts
    assert facts.get("mognad.profilmedel_forandring") is None


def test_a_region_without_answers_has_the_facts_as_none():
    run = _run({"mognad": {"08": _maturity("08", None)}})
    facts = region_facts(run, "08")
    assert "mognad.trappstegsniva" in facts.values
    assert facts.get("mognad.trappstegsniva") is None
    assert facts.get("mognad.svagaste_dimension") is None
    assert facts.get("mognad.niva.aterkoppling", "absent") is None


def test_portfolio_facts_and_the_ratio_to_the_country(complete):
    facts = region_facts(complete, "07", lan=LAN)
    assert facts.get("tema.belopp_sek") == 50e6
    assert facts.get("tema.projekt") == 12
    assert facts.get("tema.kr_per_invanare") == 300.0
    assert facts.get("tema.riket_kr_per_invanare") == 400.0
    assert facts.get("tema.kr_per_invanare_kvot") == pytest.approx(0.75)
    assert facts.get("tema.period") == [2014, 2020]
    assert facts.get("tema.andel_belopp.foretag") == 0.3
    assert facts.get("tema.storsta_avvikelse")["kategori"] == "kunskap"


def test_the_period_is_the_start_years_of_the_region_s_projects():
    """The period asked for (2014–2020) is wider than the projects: the key figure says the
    years the region's projects started; a year without projects does not count."""
    payload = _portfolio("07", 300.0, {"kunskap": 1.0})
    payload["per_startar"] = [
        {"start_ar": 2015, "projekt_berorda": 4},
        {"start_ar": 2016, "projekt_berorda": 8},
        {"start_ar": 2017, "projekt_berorda": 0},
    ]
    facts = region_facts(_run({"tema": {"07": payload}}), "07")
    assert facts.get("tema.period") == [2015, 2016]


def test_a_missing_population_gives_no_ratio():
    run = _run({"tema": {"07": _portfolio("07", None, {"kunskap": 1.0})}})
    facts = region_facts(run, "07")
    assert facts.get("tema.kr_per_invanare_kvot", "absent") is None


def test_goal_attainment_sums_the_chains_of_each_step(complete):
    facts = region_facts(complete, "07", lan=LAN)
    # medel: kunskap 8 finished, 8 missing; foretag 2 finished, 0 missing -> 8 / 10
    assert facts.get("effekt.andel_avslutade_utfall_saknas.medel") == pytest.approx(0.8)
    assert facts.get("effekt.andel_avslutade_utfall_saknas.kort") == pytest.approx(2 / 8)
    assert facts.get("effekt.andel_avslutade_utfall_saknas.prestation") == 0.0
    # prestation: (6 + 1) / (8 + 2); kort 3 / 6; medel 1 / 2
    assert facts.get("effekt.andel_nar_malen.prestation") == pytest.approx(0.7)
    assert facts.get("effekt.andel_nar_malen.kort") == pytest.approx(0.5)
    assert facts.get("effekt.andel_nar_malen.medel") == pytest.approx(0.5)
    assert facts.get("effekt.n_avslutade") == 10
    assert facts.get("effekt.n_projekt") == 18


def test_a_step_without_finished_projects_has_no_share():
    payload = _effects("07")
    payload["maluppfyllelse"]["per_steg"] = [_row("kunskap", "medellang_sikt", 4, 0, 0, 0, 0)]
    facts = region_facts(_run({"effekt": {"07": payload}}), "07")
    assert facts.get("effekt.andel_avslutade_utfall_saknas.medel", "absent") is None
    assert facts.get("effekt.andel_nar_malen.medel", "absent") is None
    assert facts.get("effekt.andel_nar_malen.kort", "absent") is None


def test_chains_without_medium_term_follow_up(complete):
    facts = region_facts(complete, "07", lan=LAN)
    # kunskap: no final outcome at medel; kompetens: projects but no medel row; foretag has
    # outcomes; infrastruktur has no projects in the region
    assert facts.get("effekt.kedjor_utan_medel_uppfoljning") == ["kunskap", "kompetens"]
    assert facts.get("portfolj.kedjor_utan_medel_uppfoljning") == ["kunskap", "kompetens"]
    assert facts.get("portfolj.andel_belopp_utan_medel_uppfoljning") == pytest.approx(0.7)


def test_the_portfolio_share_orders_by_money():
    effects = _effects("07")
    run = _run(
        {
            "effekt": {"07": effects},
            "tema": {"07": _portfolio("07", 1.0, {"kunskap": 0.1, "kompetens": 0.5})},
        }
    )
    facts = region_facts(run, "07")
    assert facts.get("portfolj.kedjor_utan_medel_uppfoljning") == ["kompetens", "kunskap"]
    assert facts.get("portfolj.andel_belopp_utan_medel_uppfoljning") == pytest.approx(0.6)


def test_portfolio_follow_up_needs_both_reports():
    facts = region_facts(_run({"effekt": {"07": _effects("07")}}), "07")
    assert "effekt.kedjor_utan_medel_uppfoljning" in facts
    assert "portfolj.andel_belopp_utan_medel_uppfoljning" not in facts


def test_main_estimates_and_the_best_grade(complete):
    facts = region_facts(complete, "07", lan=LAN)
    main = facts.get("effekt.huvudskattningar")
    assert [(m["utfall"], m["evidensgrad"]) for m in main] == [
        ("anstallda", "B"),
        ("omsattning_tkr", "C"),
    ]
    assert main[0]["namn"] == "antal anställda" and main[0]["enhet"] == "anställda"
    assert main[0]["estimate"] == 0.5 and main[0]["ci_low"] == 0.1
    # the A is not a main estimate
    assert facts.get("effekt.basta_evidensgrad") == "B"


def test_no_main_estimate_has_no_grade():
    payload = _effects("07")
    payload["skattningar"], payload["for_fa_stodda"] = [], True
    facts = region_facts(_run({"effekt": {"07": payload}}), "07")
    assert facts.get("effekt.huvudskattningar") == []
    assert facts.get("effekt.basta_evidensgrad", "absent") is None
    assert facts.get("effekt.for_fa_stodda") is True


def test_goal_chain_facts(complete):
    facts = region_facts(complete, "07", lan=LAN)
    assert facts.get("malkedja.n_rus") == 4
    assert facts.get("malkedja.n_rus_pa_vag") == 2
    assert facts.get("malkedja.andel_rus_pa_vag") == pytest.approx(0.5)
    assert facts.get("malkedja.n_rus_inte_pa_vag") == 1
    assert facts.get("malkedja.n_rus_saknar_data") == 1
    assert facts.get("malkedja.mal_utan_projekt") == ["RUS-3", "US-1"]
    assert facts.get("malkedja.n_mal_utan_projekt") == 2
    assert facts.get("malkedja.rus_utan_projekt") == ["RUS-3"]
    assert facts.get("malkedja.mal")[0] == {
        "mal_id": "RUS-1",
        "niva": "rus",
        "mal": "Mål RUS-1",
        "status": "fel_riktning",
    }


def test_no_rus_goals_have_no_share():
    payload = _goals("07")
    payload.update(har_mal=False, mal=[], mal_utan_projekt=[])
    payload["antal_mal"] = {"rus": 0, "understrategi": 0, "projekt": 0}
    payload["status_rus"] = dict.fromkeys(payload["status_rus"], 0)
    facts = region_facts(_run({"malkedja": {"07": payload}}), "07")
    assert facts.get("malkedja.har_mal") is False
    assert facts.get("malkedja.andel_rus_pa_vag", "absent") is None
    assert facts.get("malkedja.rus_utan_projekt") == []


def test_peers_are_the_riksomrade_and_their_means(complete):
    facts = region_facts(complete, "07", lan=LAN)
    assert facts.get("jamforelse.lan") == ["06", "08", "09"]
    assert facts.get("jamforelse.regel") == "riksomrade"
    # 06 has 3.0, 08 has no answers, 09 has no maturity file
    assert facts.get("jamforelse.profilmedel_medel") == pytest.approx(3.0)
    assert facts.get("jamforelse.n_lan_profilmedel") == 1
    assert facts.get("jamforelse.profilmedel_skillnad") == pytest.approx(-0.5)
    assert facts.get("jamforelse.kr_per_invanare_medel") == pytest.approx(600.0)
    assert facts.get("jamforelse.n_lan_kr_per_invanare") == 2
    # every region with answers in the run: 07, 06 and 12
    assert facts.get("riket.profilmedel_medel") == pytest.approx((2.5 + 3.0 + 1.5) / 3)
    assert facts.get("riket.n_lan_profilmedel") == 3


def test_stockholm_is_compared_with_every_other_region():
    assert peer_regions("01", LAN) == (("06", "07", "08", "09", "12"), "alla")
    assert peer_regions("07", None, ["06", "07", "08"]) == (("06", "08"), "malkedja")
    codes, rule = peer_regions("07")
    assert rule == "alla" and "07" not in codes and len(codes) == 20


def test_a_missing_report_leaves_its_facts_absent():
    run = _run(
        {"mognad": {"07": _maturity("07", 2.5)}, "malkedja": {"07": _goals("07")}},
        status={("07", "effekt"): "misslyckad", ("07", "tema"): "andra_parametrar"},
    )
    facts = region_facts(run, "07")
    assert facts.included == ("mognad", "malkedja")
    assert facts.missing == {"tema": "andra_parametrar", "effekt": "misslyckad"}
    assert not any(key.startswith(("tema.", "effekt.", "portfolj.")) for key in facts.values)
    assert "jamforelse.kr_per_invanare_medel" not in facts
    assert "jamforelse.profilmedel_medel" in facts
    # without the lan table: the goal chain's peers, and the name from a file
    assert facts.get("jamforelse.lan") == ["06", "08"]
    assert facts.lan_namn == "Län 07"


def test_the_simulated_inputs_of_the_files_are_merged(complete):
    facts = region_facts(complete, "07", lan=LAN)
    assert [(s.tabell, s.kolumner) for s in facts.simulated] == [
        ("enkatsvar", ()),
        ("foretagspanel", ()),
        ("projektindikatorer", ("utfall",)),
    ]
    alone = region_facts(_run({"malkedja": {"07": _goals("07")}}), "07")
    assert alone.simulated == ()


@pytest.mark.langsam
def test_facts_of_a_real_run_are_the_fields_of_its_files(tmp_path):
    """Kronoberg's maturity and goal chain reports built on the shipped data and written to a
    run folder: the facts are their files' fields."""
    from conftest import DATA

    from utvardering.dataset import load_dataset
    from utvardering.registry import report_type
    from utvardering.synthesis.collect import collect_results

    for name in ("mognad", "malkedja"):
        kind = report_type(name)
        ds = load_dataset(DATA, kind.tables)
        kind.build(ds, kind.parameters.check(lan_kod="07")).write(tmp_path / "07")
    run = collect_results(tmp_path, omgang=2025)
    model = load_dataset(DATA, ("mognadsmodell", "lan"))
    facts = region_facts(run, "07", model=model.mognadsmodell, lan=model.lan)
    maturity = json.loads((tmp_path / "07" / "mognad.json").read_text("utf-8"))
    goals = json.loads((tmp_path / "07" / "malkedja.json").read_text("utf-8"))
    assert facts.included == ("mognad", "malkedja")
    assert facts.missing == {"tema": "saknas", "effekt": "saknas"}
    assert facts.get("mognad.trappstegsniva") == maturity["trappstegsniva"]
    assert facts.get("mognad.profilmedel") == maturity["profilmedel"]
    assert facts.get("mognad.profilmedel_forandring") == pytest.approx(
        maturity["profilmedel"] - maturity["profilmedel_foregaende"]
    )
    for row in maturity["dimensioner"]:
        assert facts.get(f"mognad.niva.{row['dimension']}") == row["median"]
        assert facts.get(f"mognad.riket_median.{row['dimension']}") == row["riket_median"]
    assert facts.get("mognad.dimensioner") == [d.id for d in model.mognadsmodell.dimensions]
    status = goals["status_rus"]
    assert facts.get("malkedja.n_rus") == goals["antal_mal"]["rus"]
    assert facts.get("malkedja.n_rus_pa_vag") == status["nas"] + status["ratt_riktning"]
    assert facts.get("malkedja.mal_utan_projekt") == goals["mal_utan_projekt"]
    assert facts.get("jamforelse.lan") == goals["jamforelselan"]  # the same peer rule
    assert {s.tabell for s in facts.simulated} >= {"enkatsvar", "malkedja"}
