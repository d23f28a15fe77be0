"""Tests for data/effektkedjor.yaml and the simulated project indicators."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from utvardering.exempeldata.projektindikatorer import (
    OUTPUT_COLUMNS,
    simulate_project_indicators,
)
from utvardering.vocabulary import (
    CHAIN_IDS,
    CHAIN_NAMES,
    INDICATOR_STAGES,
    MANDATORY_INDICATORS,
    REPORT_TYPES,
)

CHAINS_PATH = Path(__file__).parents[1] / "data" / "effektkedjor.yaml"
SNAPSHOT = pd.Timestamp(2024, 6, 30)
ALL_STAGES = ["resurser", "aktiviteter", "prestation", "kort_sikt", "medellang_sikt", "lang_sikt"]
CHAIN_STAGES = ["prestation", "kort_sikt", "medellang_sikt", "lang_sikt"]
UNITS = {"antal", "kr", "procent", "index"}


@pytest.fixture(scope="module")
def chains() -> dict:
    """Load the effect chains YAML."""
    with CHAINS_PATH.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture(scope="module")
def projects() -> pd.DataFrame:
    """Return eight hand-made projects, two per chain, deliberately not sorted by id."""
    rows = [
        ("P08", "2020-05-01", "2023-04-30", "varor_tjanster_direkt", 5_000_000),
        ("P01", "2015-03-01", "2017-12-31", "infrastruktur", 4_500_000),
        ("P02", "2022-09-01", "2025-08-31", "infrastruktur", 12_000_000),
        ("P03", "2016-01-15", "2017-06-30", "kunskap", 1_200_000),
        ("P04", "2023-01-01", "2024-05-31", "kunskap", 800_000),
        ("P05", "2014-09-01", "2017-08-31", "varor_tjanster_indirekt", 6_000_000),
        ("P06", "2021-07-01", "2024-12-31", "varor_tjanster_indirekt", 3_000_000),
        ("P07", "2017-02-01", "2019-01-31", "varor_tjanster_direkt", 2_500_000),
    ]
    frame = pd.DataFrame(
        rows, columns=["arende_id", "startdatum", "slutdatum", "effektkedja", "beviljat_belopp_sek"]
    )
    frame["startdatum"] = pd.to_datetime(frame["startdatum"])
    frame["slutdatum"] = pd.to_datetime(frame["slutdatum"])
    return frame


@pytest.fixture(scope="module")
def result(projects: pd.DataFrame, chains: dict) -> pd.DataFrame:
    """Simulate the indicators of the hand-made projects with seed 7."""
    return simulate_project_indicators(projects, chains, np.random.default_rng(7))


def many_projects(n: int = 400, seed: int = 3) -> pd.DataFrame:
    """Generate a larger project portfolio resembling the real one (start 2014-2017)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp(2014, 1, 1) + pd.to_timedelta(rng.integers(0, 4 * 365, n), unit="D")
    duration = pd.to_timedelta(rng.integers(365, 3 * 365 + 180, n), unit="D")
    amount = np.round(np.exp(rng.normal(np.log(3e6), 0.8, n)), -3).astype(int)
    return pd.DataFrame(
        {
            "arende_id": [f"2014-{i:04d}" for i in range(n)],
            "startdatum": start,
            "slutdatum": start + duration,
            "effektkedja": rng.choice(list(CHAIN_IDS), n),
            "beviljat_belopp_sek": amount,
        }
    )


def chain_indicators(chain: dict, stage: str) -> list[dict]:
    """Return the indicator entries of one stage of a chain."""
    return chain["steg"][stage]["indikatorer"]


def reported_indicators(chains: dict, chain_id: str) -> set[tuple[str, str]]:
    """Return the (indicator, stage) pairs that a project of the chain reports."""
    chain = next(c for c in chains["kedjor"] if c["id"] == chain_id)
    return {(i["id"], stage) for stage in INDICATOR_STAGES for i in chain_indicators(chain, stage)}


# --- the YAML ---------------------------------------------------------------------------------


def test_yaml_top_level(chains: dict) -> None:
    assert set(chains) == {
        "namn",
        "kalla",
        "overgripande_mal",
        "steg",
        "obligatoriska_indikatorer",
        "kedjor",
    }
    assert chains["overgripande_mal"].startswith("Utvecklingskraft i alla delar av landet")
    assert "Reglab" in chains["kalla"] and "2017" in chains["kalla"]
    assert [stage["id"] for stage in chains["steg"]] == ALL_STAGES
    assert all(stage["namn"] and stage["beskrivning"] for stage in chains["steg"])
    names = {stage["id"]: stage["namn"] for stage in chains["steg"]}
    assert {key: names[key] for key in INDICATOR_STAGES} == INDICATOR_STAGES


def test_yaml_chains_match_vocabulary(chains: dict) -> None:
    assert [chain["id"] for chain in chains["kedjor"]] == list(CHAIN_IDS)
    assert {chain["id"]: chain["namn"] for chain in chains["kedjor"]} == CHAIN_NAMES
    for chain in chains["kedjor"]:
        assert list(chain["steg"]) == CHAIN_STAGES, chain["id"]
        assert chain["spar"] and chain["malgrupp"]
        assert all(chain["steg"][stage]["beskrivning"] for stage in CHAIN_STAGES)
        assert chain_indicators(chain, "lang_sikt") == []
        for stage in ("kort_sikt", "medellang_sikt"):
            assert 1 <= len(chain_indicators(chain, stage)) <= 3, (chain["id"], stage)


def test_yaml_mandatory_indicators(chains: dict) -> None:
    mandatory = {entry["id"]: entry for entry in chains["obligatoriska_indikatorer"]}
    assert list(mandatory) == list(MANDATORY_INDICATORS)
    for indicator_id, (name, unit) in MANDATORY_INDICATORS.items():
        assert mandatory[indicator_id]["enhet"] == unit
        assert mandatory[indicator_id]["namn"].startswith(name)
        assert mandatory[indicator_id]["steg"] == "prestation"
    used = set()
    for chain in chains["kedjor"]:
        outputs = chain_indicators(chain, "prestation")
        ids = [entry["id"] for entry in outputs]
        n_mandatory = sum(i in mandatory for i in ids)
        assert n_mandatory >= 1, chain["id"]
        assert all(i in mandatory for i in ids[:n_mandatory]), "obligatoriska först"
        assert len(ids) - n_mandatory <= 1, chain["id"]
        for entry in outputs[:n_mandatory]:
            assert entry == mandatory[entry["id"]], (chain["id"], entry["id"])
        used.update(ids[:n_mandatory])
    assert used == set(mandatory)


def test_yaml_indicator_ids_unique_and_well_formed(chains: dict) -> None:
    mandatory = {entry["id"] for entry in chains["obligatoriska_indikatorer"]}
    own_ids = []
    for chain in chains["kedjor"]:
        for stage in CHAIN_STAGES:
            for entry in chain_indicators(chain, stage):
                assert re.fullmatch(r"[a-z][a-z0-9_]*", entry["id"]), entry["id"]
                assert entry["enhet"] in UNITS, entry
                assert entry["namn"], entry
                if entry["id"] not in mandatory:
                    own_ids.append(entry["id"])
                else:
                    assert stage == "prestation"
    assert len(own_ids) == len(set(own_ids))
    assert not set(own_ids) & mandatory


# --- the simulation ---------------------------------------------------------------------------


def test_columns_and_dtypes(result: pd.DataFrame) -> None:
    assert tuple(result.columns) == OUTPUT_COLUMNS
    for column in ("arende_id", "indikator", "steg", "enhet", "rapport"):
        assert pd.api.types.is_string_dtype(result[column]), column
    assert result["malvarde"].dtype == np.float64
    assert result["utfall"].dtype == np.float64
    assert pd.api.types.is_datetime64_any_dtype(result["datum"])
    assert isinstance(result.index, pd.RangeIndex) and result.index.start == 0
    assert set(result["steg"]) == set(INDICATOR_STAGES)
    assert set(result["rapport"]) == set(REPORT_TYPES)
    assert set(result["enhet"]) <= UNITS


def test_sorted_output(result: pd.DataFrame) -> None:
    keys = ["arende_id", "indikator", "datum", "rapport"]
    expected = result.sort_values(keys, kind="stable", ignore_index=True)
    pd.testing.assert_frame_equal(result, expected)


def test_indicators_match_chain(result: pd.DataFrame, projects: pd.DataFrame, chains: dict) -> None:
    chain_of = projects.set_index("arende_id")["effektkedja"]
    assert set(result["arende_id"]) == set(chain_of.index)
    for project_id, group in result.groupby("arende_id"):
        reported = set(zip(group["indikator"], group["steg"], strict=True))
        assert reported == reported_indicators(chains, chain_of[project_id]), project_id
    units = {
        (entry["id"], entry["enhet"])
        for chain in chains["kedjor"]
        for stage in CHAIN_STAGES
        for entry in chain_indicators(chain, stage)
    }
    assert set(zip(result["indikator"], result["enhet"], strict=True)) <= units


def test_application_rows(result: pd.DataFrame, projects: pd.DataFrame) -> None:
    applications = result[result["rapport"] == "ansokan"]
    assert applications["utfall"].isna().all()
    assert applications["malvarde"].notna().all() and (applications["malvarde"] > 0).all()
    assert not applications.duplicated(["arende_id", "indikator"]).any()
    start = applications["arende_id"].map(projects.set_index("arende_id")["startdatum"])
    lead = (start - applications["datum"]).dt.days
    assert lead.between(28, 125).all()


def test_final_reports_only_when_due(result: pd.DataFrame, projects: pd.DataFrame) -> None:
    end = projects.set_index("arende_id")["slutdatum"]
    final = result[result["rapport"] == "slutrapport"]
    assert set(final["arende_id"]) == {"P01", "P03", "P05", "P07", "P08"}
    assert (final["datum"] <= SNAPSHOT).all()
    lag = (final["datum"] - final["arende_id"].map(end)).dt.days
    assert lag.between(59, 125).all()
    not_final = {"P02", "P04", "P06"}  # ongoing, or the final report falls after the snapshot
    assert not (result["arende_id"].isin(not_final) & (result["rapport"] == "slutrapport")).any()
    assert final.loc[final["steg"] != "medellang_sikt", "utfall"].notna().all()


def test_progress_reports_per_full_year(result: pd.DataFrame, projects: pd.DataFrame) -> None:
    progress = result[result["rapport"] == "lagesrapport"]
    assert (progress["steg"] != "medellang_sikt").all()
    assert progress["utfall"].notna().all()
    for project in projects.itertuples():
        anniversaries = [project.startdatum + pd.DateOffset(years=k) for k in range(1, 12)]
        expected = [d for d in anniversaries if d < project.slutdatum and d <= SNAPSHOT]
        rows = progress[progress["arende_id"] == project.arende_id]
        for _, group in rows.groupby("indikator"):
            assert list(group["datum"]) == expected, project.arende_id
        assert rows.empty == (not expected)


def test_progress_is_cumulative(result: pd.DataFrame) -> None:
    reported = result[result["rapport"] != "ansokan"].dropna(subset=["utfall"])
    for _, group in reported.groupby(["arende_id", "indikator"]):
        assert group["utfall"].is_monotonic_increasing


def test_medium_term_outcome_only_in_final_report(result: pd.DataFrame) -> None:
    medium = result[result["steg"] == "medellang_sikt"]
    assert set(medium["rapport"]) == {"ansokan", "slutrapport"}
    assert medium.loc[medium["rapport"] == "ansokan", "utfall"].isna().all()


def test_values_in_range(result: pd.DataFrame) -> None:
    assert (result["malvarde"] >= 0).all()
    assert (result["utfall"].dropna() >= 0).all()
    percent = result[result["enhet"] == "procent"]
    assert not percent.empty
    assert percent["malvarde"].between(0, 100).all()
    assert percent["utfall"].dropna().between(0, 100).all()
    counts = result[result["enhet"] == "antal"]
    assert (counts["malvarde"] % 1 == 0).all() and (counts["utfall"].dropna() % 1 == 0).all()


def test_target_is_constant_per_indicator(result: pd.DataFrame) -> None:
    per_indicator = result.groupby(["arende_id", "indikator"])["malvarde"].nunique()
    assert (per_indicator == 1).all()


def test_deterministic(projects: pd.DataFrame, chains: dict) -> None:
    first = simulate_project_indicators(projects, chains, np.random.default_rng(7))
    second = simulate_project_indicators(projects, chains, np.random.default_rng(7))
    pd.testing.assert_frame_equal(first, second)
    other = simulate_project_indicators(projects, chains, np.random.default_rng(8))
    assert not first.equals(other)


def test_independent_of_input_order(projects: pd.DataFrame, chains: dict) -> None:
    shuffled = projects.sample(frac=1.0, random_state=1).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        simulate_project_indicators(projects, chains, np.random.default_rng(7)),
        simulate_project_indicators(shuffled, chains, np.random.default_rng(7)),
    )


def test_snapshot_limits_reports(projects: pd.DataFrame, chains: dict) -> None:
    early = simulate_project_indicators(
        projects, chains, np.random.default_rng(7), snapshot=datetime.date(2016, 12, 31)
    )
    assert (early["datum"] <= pd.Timestamp(2016, 12, 31)).all()
    assert not (early["rapport"] == "slutrapport").any()
    assert set(early.loc[early["rapport"] == "lagesrapport", "arende_id"]) == {"P01", "P05"}
    assert not early["arende_id"].isin(["P02", "P04", "P06", "P08"]).any()


def test_unknown_chain_raises(projects: pd.DataFrame, chains: dict) -> None:
    broken = projects.copy()
    broken.loc[0, "effektkedja"] = "okand_kedja"
    with pytest.raises(ValueError, match="okand_kedja"):
        simulate_project_indicators(broken, chains, np.random.default_rng(7))


def test_empty_projects(projects: pd.DataFrame, chains: dict) -> None:
    empty = simulate_project_indicators(projects.iloc[:0], chains, np.random.default_rng(7))
    assert empty.empty and tuple(empty.columns) == OUTPUT_COLUMNS


# --- distributions on a realistic portfolio ---------------------------------------------------


@pytest.fixture(scope="module")
def portfolio(chains: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Simulate a portfolio of 400 projects; return the projects and the final reports."""
    frame = many_projects()
    result = simulate_project_indicators(frame, chains, np.random.default_rng(11))
    final = result[result["rapport"] == "slutrapport"].copy()
    final["maluppfyllelse"] = final["utfall"] / final["malvarde"]
    return frame, final


def test_output_attainment(portfolio: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, final = portfolio
    outputs = final[final["steg"] == "prestation"]
    reached = outputs.groupby("arende_id")["maluppfyllelse"].mean() >= 1
    assert 0.5 <= reached.mean() <= 0.7
    assert outputs["maluppfyllelse"].between(0.7, 1.3).mean() >= 0.7


def test_attainment_falls_along_the_chain(portfolio: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, final = portfolio
    final = final[final["enhet"] != "index"]  # index targets are relative to a base of 100
    median = final.groupby("steg")["maluppfyllelse"].median()
    assert median["prestation"] > median["kort_sikt"] > median["medellang_sikt"]
    spread = final.groupby("steg")["maluppfyllelse"].std()
    assert spread["medellang_sikt"] > spread["prestation"]
    medium = final[final["steg"] == "medellang_sikt"]
    assert 0.2 <= medium["utfall"].isna().mean() <= 0.4


def test_portfolio_percent_within_range(portfolio: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    _, final = portfolio
    percent = final[final["enhet"] == "procent"]
    assert (percent["utfall"] == 100).any(), "high targets over-reached are capped at 100 %"
    assert percent["utfall"].dropna().between(0, 100).all()


def test_targets_scale_with_amount(chains: dict) -> None:
    frame = many_projects()
    result = simulate_project_indicators(frame, chains, np.random.default_rng(11))
    targets = result[result["rapport"] == "ansokan"].merge(frame, on="arende_id")
    firms = targets[targets["indikator"] == "deltagande_foretag"]
    assert np.corrcoef(np.log(firms["malvarde"]), np.log(firms["beviljat_belopp_sek"]))[0, 1] > 0.6
    invest = targets[targets["indikator"] == "investeringar_kr"]
    assert (invest["malvarde"] <= invest["beviljat_belopp_sek"]).all()
    assert (invest["malvarde"] >= 0.2 * invest["beviljat_belopp_sek"]).all()
