"""The portfolio analysis on the shipped data: the 21 län result files add up to the nation."""

from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import DATA

from utvardering.dataset import load_dataset
from utvardering.portfolio import (
    FEW_PROJECTS,
    TABLES_NEEDED,
    TABLES_OPTIONAL,
    ThematicParameters,
    analyse_region,
    latest_outcomes,
    outputs_by_chain,
    result_body,
    weight_projects,
)
from utvardering.results import to_jsonable
from utvardering.vocabulary import LAN_CODES

# Builds whole reports or data folders: `pytest -m "not langsam"` leaves it out.
pytestmark = pytest.mark.langsam


@pytest.fixture(scope="module")
def ds():
    return load_dataset(DATA, [*TABLES_NEEDED, *TABLES_OPTIONAL])


@pytest.fixture(scope="module")
def payloads(ds):
    """What the 21 notebooks write to tema.json (as plain JSON types)."""
    return {
        code: to_jsonable(
            result_body(
                analyse_region(
                    ds, ThematicParameters.check(lan_kod=code, period=[2014, 2023], tema="KKN")
                )
            )
        )
        for code in LAN_CODES
    }


def test_money_and_projects_sum_to_the_national_totals(ds, payloads):
    national = ds.projekt["beviljat_belopp_sek"].sum()  # every project starts 2014-2017
    assert sum(p["totalt"]["belopp_sek"] for p in payloads.values()) == pytest.approx(national)
    assert payloads["07"]["riket"]["belopp_sek"] == pytest.approx(national)
    weighted_projects = sum(p["totalt"]["projekt_andelsviktade"] for p in payloads.values())
    assert weighted_projects == pytest.approx(len(ds.projekt))
    # A multi-county project touches several län: the touching counts are larger.
    assert sum(p["totalt"]["projekt_berorda"] for p in payloads.values()) == len(ds.projekt_lan)


@pytest.mark.parametrize(
    "dimension",
    ["nationell_prioritering", "fokusomrade", "effektkedja", "tema", "finansieringskalla"],
)
def test_each_category_sums_to_the_national_category(payloads, dimension):
    summed, national = defaultdict(float), {}
    for payload in payloads.values():
        for record in payload["fordelning"][dimension]:
            summed[record["kategori"]] += record["belopp_sek"]
            national[record["kategori"]] = record["riket_belopp_sek"]
    assert dict(summed) == pytest.approx(national)


def test_outputs_by_chain_sum_over_lan(ds, payloads):
    summed = defaultdict(float)
    for payload in payloads.values():
        for record in payload["prestationer_per_kedja"]:
            summed[(record["effektkedja"], record["indikator"])] += record["utfall"]
    # The national sum computed straight from the data: latest outcome per project.
    weighted = weight_projects(ds.projekt, ds.projekt_lan, (2014, 2023))
    nation = outputs_by_chain(weighted, latest_outcomes(ds.projektindikatorer))
    expected = {(r.effektkedja, r.indikator): r.utfall for r in nation.itertuples()}
    assert dict(summed) == pytest.approx(expected)


def test_theme_view_is_the_same_in_every_file_and_sums(payloads):
    view = payloads["01"]["tematisk_vy"]
    assert view["tema"] == "KKN" and len(view["per_lan"]) == 21
    assert sum(r["belopp_sek"] for r in view["per_lan"]) == pytest.approx(
        view["riket"]["belopp_sek"]
    )
    kronoberg = next(r for r in view["per_lan"] if r["lan_kod"] == "07")
    theme_row = next(r for r in payloads["07"]["fordelning"]["tema"] if r["kategori"] == "KKN")
    assert kronoberg["belopp_sek"] == pytest.approx(theme_row["belopp_sek"])


def test_no_region_is_short_over_the_whole_period_but_all_are_in_2014(ds, payloads):
    """Gotland has the fewest projects (21); in 2014 alone every län has at most four."""
    assert not any(p["kort_rapport"] for p in payloads.values())
    assert min(p["totalt"]["projekt_berorda"] for p in payloads.values()) == 21
    gotland = analyse_region(ds, ThematicParameters.check(lan_kod="09", period=[2014, 2014]))
    assert gotland.short and gotland.total.projekt_berorda < FEW_PROJECTS


def test_funding_split_sums_to_each_lans_total(payloads):
    for code, payload in payloads.items():
        rows = payload["fordelning"]["finansieringskalla"]
        assert sum(r["belopp_sek"] for r in rows) == pytest.approx(
            payload["totalt"]["belopp_sek"]
        ), code


def test_each_lan_shows_only_its_own_rus_priorities(ds, payloads):
    """Norrbotten's report lists Norrbotten's priorities, never another region's."""
    lists = ds.rus_prioriteringar.groupby("lan_kod")["prioritering"].agg(list)
    for code, payload in payloads.items():
        shown = [r["kategori"] for r in payload["fordelning"]["rus_prioritering"]]
        assert shown[: len(lists[code])] == lists[code], code
        assert set(shown) - set(lists[code]) <= {"Ingen RUS-prioritering angiven"}, code
    # The money by priority sums to the län's total (every row has one priority or none).
    rows = payloads["25"]["fordelning"]["rus_prioritering"]
    assert sum(r["belopp_sek"] for r in rows) == pytest.approx(
        payloads["25"]["totalt"]["belopp_sek"]
    )


def test_eruf_scope_leaves_out_no_shipped_project(ds):
    """The shipped projects are all ERUF projects (some also 1:1): the eruf scope is all of
    them, the 1:1 scope those with both sources."""
    every = analyse_region(ds, ThematicParameters.check(lan_kod="25"))
    eruf = analyse_region(ds, ThematicParameters.check(lan_kod="25", finansiering="eruf"))
    grant = analyse_region(ds, ThematicParameters.check(lan_kod="25", finansiering="anslag_1_1"))
    assert eruf.total == every.total
    both = every.breakdowns["finansieringskalla"].table.loc["ERUF och anslag 1:1", "belopp_sek"]
    assert grant.total.belopp_sek == pytest.approx(both)
