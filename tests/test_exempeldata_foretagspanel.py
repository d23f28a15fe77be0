"""Tests of the simulated firm panel (exempeldata.foretagspanel) and its planted effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from utvardering.exempeldata.foretagspanel import (
    OUTPUT_COLUMNS,
    PLANTED_EFFECT,
    SNI_PARAMETERS,
    planted_effect,
    simulate_firm_panel,
)
from utvardering.vocabulary import CHAIN_IDS, LAN_CODES

YEARS = (2010, 2024)

# Population of the 21 län in 2020 (SCB), used for the full-size panel.
POPULATION_2020 = {
    "01": 2377081,
    "03": 383713,
    "04": 297540,
    "05": 465495,
    "06": 363599,
    "07": 201469,
    "08": 245446,
    "09": 59686,
    "10": 159606,
    "12": 1377827,
    "13": 333848,
    "14": 1725881,
    "17": 282414,
    "18": 304805,
    "19": 275845,
    "20": 287966,
    "21": 287382,
    "22": 245347,
    "23": 130810,
    "24": 271736,
    "25": 250093,
}


def _projects(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "arende_id": [r[0] for r in rows],
            "startdatum": pd.to_datetime([r[1] for r in rows]),
            "slutdatum": pd.to_datetime([r[2] for r in rows]),
            "effektkedja": [r[3] for r in rows],
        }
    )


def _links(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["arende_id", "lan_kod", "andel"])


# Small hand-made inputs: three län, six projects. Gotland (09) has only a knowledge project,
# so its firms must fall back to it; 01 and 25 have direct projects, one shared by both.
SMALL_PROJECTS = _projects(
    [
        ("P1", "2014-03-01", "2016-12-31", "varor_tjanster_direkt"),
        ("P2", "2015-01-01", "2019-06-30", "varor_tjanster_direkt"),
        ("P3", "2016-09-01", "2018-08-31", "varor_tjanster_direkt"),
        ("P4", "2015-05-01", "2017-12-31", "kunskap"),
        ("P5", "2014-01-01", "2020-12-31", "infrastruktur"),
        ("P6", "2017-01-01", "2023-12-31", "varor_tjanster_indirekt"),
    ]
)
SMALL_LINKS = _links(
    [
        ("P1", "01", 1.0),
        ("P2", "01", 0.7),
        ("P2", "25", 0.3),
        ("P3", "25", 1.0),
        ("P4", "09", 1.0),
        ("P5", "01", 1.0),
        ("P6", "25", 1.0),
    ]
)
SMALL_POPULATION = pd.Series({"01": 2_400_000, "09": 60_000, "25": 250_000})


def _small(seed: int = 7, n_firms: int = 3000) -> pd.DataFrame:
    return simulate_firm_panel(
        SMALL_PROJECTS, SMALL_LINKS, SMALL_POPULATION, np.random.default_rng(seed), n_firms=n_firms
    )


def _large_inputs() -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """About 100 projects over all 21 län, some shared by two län; Gotland only 'kunskap'."""
    rng = np.random.default_rng(2017)
    projects, links = [], []
    for code in LAN_CODES:
        for k in range(1 if code == "09" else int(rng.integers(3, 7))):
            pid = f"2020{code}{k:02d}"
            start = pd.Timestamp(int(rng.integers(2014, 2018)), int(rng.integers(1, 13)), 1)
            end = min(
                start + pd.DateOffset(months=int(rng.integers(18, 72))), pd.Timestamp(2023, 12, 31)
            )
            chain = (
                "kunskap" if code == "09" else str(rng.choice(CHAIN_IDS, p=[0.2, 0.2, 0.2, 0.4]))
            )
            projects.append((pid, str(start.date()), str(end.date()), chain))
            if code != "09" and k == 0:  # shared with the next län
                other = LAN_CODES[(LAN_CODES.index(code) + 1) % len(LAN_CODES)]
                other = "01" if other == "09" else other
                links += [(pid, code, 0.6), (pid, other, 0.4)]
            else:
                links.append((pid, code, 1.0))
    return _projects(projects), _links(links), pd.Series(POPULATION_2020)


@pytest.fixture(scope="module")
def large() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    projects, links, population = _large_inputs()
    panel = simulate_firm_panel(projects, links, population, np.random.default_rng(20171214))
    return panel, projects, links


def _firms(panel: pd.DataFrame) -> pd.DataFrame:
    return panel.groupby("foretag_id").agg(
        lan_kod=("lan_kod", "first"),
        sni=("sni", "first"),
        first_year=("ar", "min"),
        last_year=("ar", "max"),
        n_rows=("ar", "size"),
        forsta_stodar=("forsta_stodar", "first"),
        arende_id=("arende_id", "first"),
    )


def did_estimate(
    panel: pd.DataFrame,
    outcome: str,
    *,
    base: int = -1,
    window: tuple[int, int | None] = (2, None),
    by_industry: bool = True,
) -> tuple[float, float, int]:
    """Cohort-by-industry difference in differences with never-supported controls.

    For a supported firm first supported in year s, d = mean of the outcome over the event times
    in ``window`` (to the last year if the upper bound is None) minus the outcome at event time
    ``base``. The same d, over the same calendar years, is computed for never-supported firms of
    the same industry (cell = industry x cohort). The estimate is the mean over supported firms of
    d minus the mean d of the controls in their cell. It is a sum of firm-level terms and firms are
    independent, so its variance is the sum of the squared influence terms; a control firm that
    serves several cohorts contributes one (summed) term, which keeps the correlation between
    cohorts in the standard error. Returns (estimate, standard error, number of supported firms).
    """
    wide = panel.pivot(index="foretag_id", columns="ar", values=outcome)
    firms = panel.groupby("foretag_id")[["sni", "forsta_stodar"]].first().loc[wide.index]
    group = firms["sni"].to_numpy(dtype=object) if by_industry else np.zeros(len(firms))
    cohort = firms["forsta_stodar"].to_numpy(dtype=float, na_value=np.nan)
    never = np.isnan(cohort)
    last = int(wide.columns.max())
    values = wide.to_numpy()
    col = {int(y): j for j, y in enumerate(wide.columns)}

    treated_terms: list[tuple[np.ndarray, np.ndarray]] = []  # (firm rows, d - cell mean)
    control_cells: list[tuple[np.ndarray, np.ndarray, int]] = []  # rows, centred d, n treated
    for s in np.unique(cohort[~never]).astype(int):
        hi = last if window[1] is None else s + window[1]
        post = values[:, [col[y] for y in range(s + window[0], hi + 1)]].mean(axis=1)
        d = post - values[:, col[s + base]]
        for g in np.unique(group[cohort == s]):
            t = np.flatnonzero((cohort == s) & (group == g) & ~np.isnan(d))
            c = np.flatnonzero(never & (group == g) & ~np.isnan(d))
            if len(t) == 0:
                continue
            assert len(c) > 0, f"no controls for cohort {s}, industry {g}"
            mean_c = d[c].mean()
            treated_terms.append((t, d[t] - mean_c))
            control_cells.append((c, d[c] - mean_c, len(t)))
    n_t = sum(len(t) for t, _ in treated_terms)
    estimate = float(np.concatenate([x for _, x in treated_terms]).mean())
    influence = np.zeros(len(wide))
    for t, x in treated_terms:
        influence[t] += (x - estimate) / n_t
    for c, centred, n_cell in control_cells:
        influence[c] -= (n_cell / n_t) * centred / len(c)
    return estimate, float(np.sqrt((influence**2).sum())), n_t


# --- planted_effect ---------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", list(PLANTED_EFFECT))
def test_planted_effect_ramps_up_over_three_years(outcome):
    full = PLANTED_EFFECT[outcome]
    assert planted_effect(outcome, -1) == 0.0
    assert planted_effect(outcome, 0) == pytest.approx(full / 3)
    assert planted_effect(outcome, 1) == pytest.approx(2 * full / 3)
    assert planted_effect(outcome, 2) == pytest.approx(full)
    assert planted_effect(outcome, 5) == pytest.approx(full)
    values = planted_effect(outcome, np.array([-5, -1, 0, 1, 2, 5, np.nan]))
    np.testing.assert_allclose(values, full * np.array([0, 0, 1 / 3, 2 / 3, 1, 1, 0]))


def test_planted_effect_values_and_errors():
    assert PLANTED_EFFECT == {
        "anstallda": 0.8,
        "omsattning_tkr": 120.0,
        "foradlingsvarde_tkr": 45.0,
    }
    assert isinstance(planted_effect("anstallda", 3), float)
    missing = pd.array([pd.NA, 0, 2], dtype="Int64")
    np.testing.assert_allclose(planted_effect("anstallda", missing), [0.0, 0.8 / 3, 0.8])
    with pytest.raises(ValueError, match="Unknown outcome"):
        planted_effect("vinst", 1)


# --- structure, small inputs -------------------------------------------------------------------


def test_columns_dtypes_and_order():
    panel = _small()
    assert list(panel.columns) == list(OUTPUT_COLUMNS)
    for col in ("foretag_id", "lan_kod", "sni", "arende_id"):
        assert pd.api.types.is_string_dtype(panel[col]), col
    assert panel["ar"].dtype == np.int64
    for col in ("anstallda", "omsattning_tkr", "foradlingsvarde_tkr"):
        assert panel[col].dtype == np.float64, col
        np.testing.assert_allclose(panel[col] * 10, np.round(panel[col] * 10), atol=1e-6)
    assert panel["forsta_stodar"].dtype == "Int64"
    assert isinstance(panel.index, pd.RangeIndex) and panel.index.start == 0
    assert panel["foretag_id"].str.fullmatch(r"F\d{6}").all()
    sorted_panel = panel.sort_values(["foretag_id", "ar"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(panel, sorted_panel)
    assert not panel.duplicated(["foretag_id", "ar"]).any()
    assert panel.drop(columns=["forsta_stodar", "arende_id"]).notna().all().all()
    assert (panel["anstallda"] >= 0).all() and (panel["omsattning_tkr"] >= 0).all()
    assert set(panel["sni"]) <= set(SNI_PARAMETERS)
    assert set(panel["lan_kod"]) == {"01", "09", "25"}
    assert panel["ar"].between(*YEARS).all()


def test_deterministic_and_seed_dependent():
    pd.testing.assert_frame_equal(_small(seed=3), _small(seed=3))
    # Input order does not matter: the inputs are sorted before use.
    shuffled = simulate_firm_panel(
        SMALL_PROJECTS.iloc[::-1],
        SMALL_LINKS.sample(frac=1.0, random_state=1),
        SMALL_POPULATION.iloc[::-1],
        np.random.default_rng(3),
        n_firms=3000,
    )
    pd.testing.assert_frame_equal(_small(seed=3), shuffled)
    first, other = _small(seed=3), _small(seed=4)
    assert not first.equals(other)
    assert first["anstallda"].head(100).tolist() != other["anstallda"].head(100).tolist()


def test_support_columns_constant_and_jointly_missing():
    panel = _small()
    per_firm = panel.groupby("foretag_id")[["forsta_stodar", "arende_id"]].nunique(dropna=False)
    assert (per_firm == 1).all().all()
    assert (panel["forsta_stodar"].isna() == panel["arende_id"].isna()).all()
    assert panel["forsta_stodar"].notna().any() and panel["forsta_stodar"].isna().any()


def test_projects_cover_the_firms_lan_and_prefer_the_direct_chain():
    firms = _firms(_small())
    supported = firms[firms["forsta_stodar"].notna()]
    covered = set(zip(SMALL_LINKS["arende_id"], SMALL_LINKS["lan_kod"], strict=True))
    pairs = set(zip(supported["arende_id"], supported["lan_kod"], strict=True))
    assert pairs <= covered
    by_region = {code: set(group) for code, group in supported.groupby("lan_kod")["arende_id"]}
    assert by_region["01"] <= {"P1", "P2"}  # P5 (infrastruktur) is not used: 01 has direct ones
    assert by_region["25"] <= {"P2", "P3"}  # P2 is shared between 01 and 25
    assert by_region["09"] == {"P4"}  # Gotland has no direct project: falls back to 'kunskap'
    assert "P2" in by_region["01"] and "P2" in by_region["25"]


def test_support_years_within_project_and_panel():
    firms = _firms(_small())
    supported = firms[firms["forsta_stodar"].notna()].join(
        SMALL_PROJECTS.set_index("arende_id"), on="arende_id"
    )
    year = supported["forsta_stodar"].astype(int)
    assert (year >= supported["startdatum"].dt.year).all()
    assert (year <= np.minimum(supported["slutdatum"].dt.year, YEARS[1] - 2)).all()
    assert (supported["first_year"] <= year - 2).all()  # at least two pre-years
    assert (supported["last_year"] == YEARS[1]).all()
    # Staggered: several cohorts.
    assert year.nunique() >= 4


def test_errors_for_impossible_inputs():
    rng = np.random.default_rng(1)
    no_project = pd.concat([SMALL_POPULATION, pd.Series({"03": 380_000})])
    with pytest.raises(ValueError, match="Län 03 has firms"):
        simulate_firm_panel(SMALL_PROJECTS, SMALL_LINKS, no_project, rng, n_firms=500)
    with pytest.raises(ValueError, match="not in population"):
        simulate_firm_panel(SMALL_PROJECTS, SMALL_LINKS, SMALL_POPULATION.drop("25"), rng)
    with pytest.raises(ValueError, match="unknown län codes"):
        simulate_firm_panel(
            SMALL_PROJECTS, SMALL_LINKS, pd.Series({"1": 1.0, "09": 1.0, "25": 1.0}), rng
        )
    int_codes = SMALL_LINKS.assign(lan_kod=SMALL_LINKS["lan_kod"].astype(int))
    with pytest.raises(ValueError, match="two-digit strings"):
        simulate_firm_panel(SMALL_PROJECTS, int_codes, SMALL_POPULATION, rng)
    with pytest.raises(ValueError, match="not in projects"):
        simulate_firm_panel(SMALL_PROJECTS.iloc[1:], SMALL_LINKS, SMALL_POPULATION, rng)
    with pytest.raises(ValueError, match="sum to 1"):
        simulate_firm_panel(SMALL_PROJECTS, SMALL_LINKS.assign(andel=0.5), SMALL_POPULATION, rng)
    with pytest.raises(ValueError, match="unknown chain"):
        simulate_firm_panel(
            SMALL_PROJECTS.assign(effektkedja="annat"), SMALL_LINKS, SMALL_POPULATION, rng
        )
    with pytest.raises(ValueError, match="datetime64"):
        simulate_firm_panel(
            SMALL_PROJECTS.assign(startdatum="2015-01-01"), SMALL_LINKS, SMALL_POPULATION, rng
        )
    late = SMALL_PROJECTS.assign(startdatum=pd.Timestamp("2023-06-01"))
    with pytest.raises(ValueError, match="no project"):
        simulate_firm_panel(
            late.assign(slutdatum=pd.Timestamp("2023-12-31")), SMALL_LINKS, SMALL_POPULATION, rng
        )
    with pytest.raises(ValueError, match="too short"):
        simulate_firm_panel(SMALL_PROJECTS, SMALL_LINKS, SMALL_POPULATION, rng, years=(2014, 2017))
    with pytest.raises(ValueError, match="n_firms"):
        simulate_firm_panel(SMALL_PROJECTS, SMALL_LINKS, SMALL_POPULATION, rng, n_firms=0)


# --- full-size panel --------------------------------------------------------------------------


def test_large_panel_shape_and_spread(large):
    panel, _, links = large
    firms = _firms(panel)
    assert len(firms) == 16_000
    # About 10 % founded during the period; no gaps, no exits.
    entrants = (firms["first_year"] > YEARS[0]).mean()
    assert 0.08 < entrants < 0.12
    assert (firms["n_rows"] == firms["last_year"] - firms["first_year"] + 1).all()
    assert (firms["last_year"] == YEARS[1]).all()
    # Län in proportion to population; Gotland small but with supported firms.
    pop = pd.Series(POPULATION_2020)
    share = firms["lan_kod"].value_counts(normalize=True).reindex(pop.index)
    np.testing.assert_allclose(share, pop / pop.sum(), atol=0.01)
    gotland = firms[firms["lan_kod"] == "09"]
    assert 0 < gotland["forsta_stodar"].notna().sum() < 50
    # Median firm about 5 employees, long right tail.
    first = panel[panel["ar"] == YEARS[0]]["anstallda"]
    assert 4 < first.median() < 6.5
    assert first.quantile(0.99) > 8 * first.median()
    # A few firms have negative value added, most not.
    negative = panel.loc[panel["foradlingsvarde_tkr"] < 0, "foretag_id"].nunique()
    assert 0 < negative < 0.03 * len(firms)
    # Pandemic dip in 2020 among never-supported incumbents.
    by_year = panel[panel["forsta_stodar"].isna()].groupby("ar")["anstallda"].mean()
    assert by_year[2020] < by_year[2019] - 0.3
    # Supported firms' projects cover their län.
    covered = set(zip(links["arende_id"], links["lan_kod"], strict=True))
    supported = firms[firms["forsta_stodar"].notna()]
    assert set(zip(supported["arende_id"], supported["lan_kod"], strict=True)) <= covered


def test_share_supported(large):
    firms = _firms(large[0])
    assert 0.15 <= firms["forsta_stodar"].notna().mean() <= 0.18


def test_naive_comparison_is_strongly_biased(large):
    panel = large[0]
    firms = _firms(panel)
    ever = firms.loc[firms["forsta_stodar"].notna(), "forsta_stodar"].astype(int)
    # Years before any support (all cohorts start 2014 or later): 2010-2013.
    pre = panel[panel["ar"] <= ever.min() - 1]
    supported = pre["forsta_stodar"].notna()
    mean_supported = pre.loc[supported, "anstallda"].mean()
    mean_never = pre.loc[~supported, "anstallda"].mean()
    # Supported firms were far larger before support: a naive post comparison is mostly bias.
    assert mean_supported > 1.8 * mean_never
    assert mean_supported - mean_never > 5 * PLANTED_EFFECT["anstallda"]


@pytest.mark.parametrize("outcome, max_se", [("anstallda", 0.02), ("omsattning_tkr", 25.0)])
def test_planted_effect_is_recovered_by_did_within_industry(large, outcome, max_se):
    """DiD from e=-1 to e>=2, controls = never-supported firms of the same industry.

    The estimator is unbiased for this data-generating process (parallel trends in levels hold
    conditional on industry), so the estimate lies within 4 standard errors of the truth except
    with probability about 6e-5. The upper bound on the standard error makes sure the tolerance
    is narrow enough for the test to fail if the effect were missing or wrong (the observed SE is
    about 0.005 employees and 14 tkr).
    """
    estimate, se, n_treated = did_estimate(large[0], outcome)
    truth = PLANTED_EFFECT[outcome]
    assert n_treated > 2000
    assert se < max_se
    assert abs(estimate - truth) < 4 * se, (estimate, se)
    # Placebo before support (e=-3 vs e=-1): parallel pre-trends within industry.
    placebo, placebo_se, _ = did_estimate(large[0], outcome, base=-3, window=(-1, -1))
    assert abs(placebo) < 4 * placebo_se, (placebo, placebo_se)


@pytest.mark.parametrize("outcome", ["anstallda", "omsattning_tkr"])
def test_did_without_industry_is_biased_upward(large, outcome):
    # Supported firms are over-represented in fast-growing industries.
    estimate, se, _ = did_estimate(large[0], outcome, by_industry=False)
    assert estimate - PLANTED_EFFECT[outcome] > 4 * se, (estimate, se)
