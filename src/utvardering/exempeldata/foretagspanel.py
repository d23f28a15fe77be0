"""Simulated firm panel with a planted effect of ERDF business support (*företagspanel*).

The effect analysis compares firms that took part in ERDF projects (*ERUF-projekt*) with
comparable firms that did not, as Tillväxtanalys does with register data. Real firm register data
cannot be shipped, so this module simulates a panel of firms with a known, planted effect. An
estimator that is correct for this data-generating process recovers the planted effect; a naive
one does not, which is what the example reports demonstrate.

Data-generating process
-----------------------
Units and time. ``n_firms`` fake firms (ids ``F000001``, ...) are observed once a year,
2010-2024 by default. Each firm is placed in a län with probability proportional to the län's
population, so Gotland ("09") gets few firms and few supported firms. Each firm belongs to one
SNI 2007 section, drawn from a business mix of firms with employees: C manufacturing 12 %,
F construction 14 %, G trade 18 %, H transport 6 %, I hotels and restaurants 8 %,
J information and communication 8 %, M professional services 14 %, N support services 8 %,
Q health and care 7 %, R culture and recreation 5 %. About 10 % of the firms are founded during
the period (founding year uniform from the second year to the third-last year); their rows start
in the founding year. No firm exits, and no value is missing in the rows that exist.

Outcomes. The firm's counterfactual (unsupported) average number of employees is additive in
levels::

    employees[i, t] = size[i] + year_effect[t] + trend[industry] * (t - years[0]) + noise[i, t]

* ``size[i]`` is the firm fixed effect: 1 + a log-normal with median 4 and log-sd 1.1, so the
  median firm has about 5 employees, one in a hundred has more than 55, and the largest a few
  hundred (a long right tail).
* ``year_effect[t]`` is common to all firms: slow growth of 0.03 employees a year, a business
  cycle of +-0.1 (period 8 years) and a pandemic dip of -0.45 in 2020 and -0.2 in 2021.
* ``trend[industry]`` is a linear industry trend in employees per year: C -0.02, F +0.05,
  G 0.00, H +0.03, I +0.04, J +0.12, M +0.08, N +0.06, Q +0.05, R +0.02.
* ``noise[i, t]`` is independent normal noise with standard deviation ``0.06 * sqrt(size[i])``.

Turnover and value added (thousand SEK) scale with employees through industry-specific
productivity (turnover / value added per employee, tkr): C 2400/780, F 2000/650, G 3200/620,
H 1900/640, I 850/420, J 1700/950, M 1400/800, N 1000/520, Q 850/560, R 900/450. Each firm has
its own productivity: turnover per employee is the industry's value times a log-normal factor
with mean 1 (log-sd 0.4); value added per employee is the industry's value times a normal factor
with mean 1 and sd 0.35, so a few firms have negative value added (as in reality). Both get
their own noise on top (sd ``0.04 * sqrt(size)`` resp. ``0.08 * sqrt(size)`` times the industry
productivity). The firm-specific productivity factors are independent of support.

Selection into support. About 16.5 % of the firms (the share is calibrated, 15-18 % in
practice) are ever supported. The probability of support is logistic in two standardised scores:
the log of the firm's underlying size in its first two years (coefficient 1.0) and its industry's
growth trend (coefficient 0.6). Supported firms are therefore much larger than unsupported ones
and over-represented in fast-growing industries (J, M, N). Selection is on the permanent part of
size, not on the year-to-year noise, so there is no Ashenfelter dip before support.

Projects and timing. A supported firm gets an ERDF project that covers its län
(``project_regions``, drawn with weights proportional to the project's share in the län), preferably
one with effect chain ``varor_tjanster_direkt``; the other chains are used only in a län that has
no such project. The first year of support (``forsta_stodar``) is drawn uniformly from the
project's start year to its end year, capped at ``years[1] - 2`` so that every supported firm has
at least two years after support; every supported firm also has at least two years before support
(for firms founded during the period the first possible year is the founding year + 2).

Planted effect. From the first year of support the outcomes of a supported firm are raised by
``planted_effect(outcome, year - forsta_stodar)``: nothing before support, then a third of the
full effect in the year of support, two thirds the year after, and the full effect from the
second year after support on. The full effect per supported firm is 0.8 employees,
120 tkr turnover and 45 tkr value added (``PLANTED_EFFECT``). The effect is homogeneous across
firms, län, industries, projects and cohorts; it is added in levels before rounding.
Employees and turnover are then truncated at 0 (this practically never binds, as the smallest
firms have about one employee) and all outcomes are rounded to one decimal.

What is biased and what is not
------------------------------
* A naive comparison of supported and never-supported firms (levels after support, or a
  regression of the outcome on support) is strongly biased upward: before any support
  (2010-2013) supported firms have about 16 employees on average against 7 for the others, and in
  2024 the naive difference is about 10 employees, of which only 0.8 is the effect.
* A before/after comparison of supported firms alone is biased by the common year effects (the
  2020 dip) and the industry trends.
* A difference-in-differences with firm and year fixed effects but without conditioning on
  industry is biased upward, because supported firms are over-represented in industries with
  faster trends: by about +0.1 employees, +150 tkr turnover and +95 tkr value added (more than
  doubling the turnover and value-added effects).
* A static two-way fixed-effects regression with staggered timing is biased by the ramp-up
  (already supported firms serve as controls); an event study or cohort-wise comparisons with
  never- or not-yet-supported firms as controls avoid this.
* Parallel trends hold in levels conditional on industry: given industry, the expected
  counterfactual change of every outcome between two years does not depend on the firm's size,
  län, founding year or support. A correct estimator must therefore remove the firm's level
  (firm fixed effects or differencing) and compare within industry over the same calendar years
  (industry by year effects, or controls of the same industry). Such a difference-in-differences
  in levels recovers 0.8 employees and 120 tkr turnover in the full years (two or more years
  after support); with 16 000 firms its standard error is about 0.005 employees, 14 tkr turnover
  and 7 tkr value added. Within industry, pre-trends are flat.
* Parallel trends do NOT hold in logs (percent growth), because trends and the effect are additive
  in levels and supported firms are larger; a log-outcome DiD is biased.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from utvardering.vocabulary import CHAIN_IDS, LAN_CODES

__all__ = [
    "OUTPUT_COLUMNS",
    "PLANTED_EFFECT",
    "RAMP_YEARS",
    "SNI_PARAMETERS",
    "SUPPORT_SHARE",
    "planted_effect",
    "simulate_firm_panel",
]

# Full effect per supported firm once ramped up, in the unit of each outcome.  # planterad effekt
PLANTED_EFFECT: dict[str, float] = {
    "anstallda": 0.8,
    "omsattning_tkr": 120.0,
    "foradlingsvarde_tkr": 45.0,
}
# The effect reaches its full size in the third year of support (event time 2).
RAMP_YEARS = 3

OUTPUT_COLUMNS: tuple[str, ...] = (
    "foretag_id",
    "lan_kod",
    "sni",
    "ar",
    "anstallda",
    "omsattning_tkr",
    "foradlingsvarde_tkr",
    "forsta_stodar",
    "arende_id",
)


class Industry(NamedTuple):
    """Parameters of one SNI 2007 section in the simulation."""

    share: float  # share of firms
    trend: float  # linear trend, employees per year
    turnover_per_employee: float  # tkr
    value_added_per_employee: float  # tkr


SNI_PARAMETERS: dict[str, Industry] = {
    "C": Industry(0.12, -0.02, 2400.0, 780.0),  # manufacturing
    "F": Industry(0.14, 0.05, 2000.0, 650.0),  # construction
    "G": Industry(0.18, 0.00, 3200.0, 620.0),  # wholesale and retail trade
    "H": Industry(0.06, 0.03, 1900.0, 640.0),  # transport and storage
    "I": Industry(0.08, 0.04, 850.0, 420.0),  # hotels and restaurants
    "J": Industry(0.08, 0.12, 1700.0, 950.0),  # information and communication
    "M": Industry(0.14, 0.08, 1400.0, 800.0),  # professional, scientific, technical
    "N": Industry(0.08, 0.06, 1000.0, 520.0),  # administrative and support services
    "Q": Industry(0.07, 0.05, 850.0, 560.0),  # human health and social work
    "R": Industry(0.05, 0.02, 900.0, 450.0),  # arts, entertainment and recreation
}

# Expected share of firms that are ever supported (the logit intercept is calibrated to it).
SUPPORT_SHARE = 0.165
_DIRECT_CHAIN = "varor_tjanster_direkt"
_ENTRANT_SHARE = 0.10
_PRE_YEARS = 2  # minimum number of observed years before support
_POST_YEARS = 2  # support starts at the latest in years[1] - 2
# Size: 1 + log-normal(median 4, log-sd 1.1) employees.
_SIZE_FLOOR = 1.0
_SIZE_MEDIAN = 4.0
_SIZE_LOG_SD = 1.1
# Idiosyncratic noise, multiplied by sqrt(size).
_EMPLOYEE_NOISE = 0.06
_TURNOVER_NOISE = 0.04  # times the industry's turnover per employee
_VALUE_ADDED_NOISE = 0.08  # times the industry's value added per employee
_TURNOVER_PRODUCTIVITY_LOG_SD = 0.4
_VALUE_ADDED_PRODUCTIVITY_SD = 0.35
# Selection: logit coefficients on the standardised scores.
_SELECTION_SIZE = 1.0
_SELECTION_TREND = 0.6


def planted_effect(outcome: str, event_time) -> float | np.ndarray:
    """The true effect of support on ``outcome`` at event time ``year - forsta_stodar``.

    Zero before support (``event_time < 0``, or missing for never-supported firms), then
    ``PLANTED_EFFECT[outcome] * min(1, (event_time + 1) / 3)``: a third in the year of support,
    two thirds the year after, the full effect from two years after support on. Returns a float
    for a scalar event time, otherwise an array of the same shape.
    """
    if outcome not in PLANTED_EFFECT:
        raise ValueError(
            f"Unknown outcome {outcome!r}; expected one of {', '.join(PLANTED_EFFECT)}."
        )
    if isinstance(event_time, pd.Series | pd.Index | pd.api.extensions.ExtensionArray):
        e = event_time.to_numpy(dtype=float, na_value=np.nan)
    else:
        e = np.asarray(event_time, dtype=float)
    with np.errstate(invalid="ignore"):
        ramp = np.where(e >= 0, np.minimum(1.0, (e + 1.0) / RAMP_YEARS), 0.0)
    effect = PLANTED_EFFECT[outcome] * ramp
    return float(effect) if effect.ndim == 0 else effect


def _year_effect(year: np.ndarray) -> np.ndarray:
    """Common year effect in employees: slow growth, a business cycle and a dip in 2020-21."""
    t = year.astype(float) - 2010.0
    return (
        0.03 * t
        + 0.1 * np.sin(2.0 * np.pi * t / 8.0)
        - 0.45 * (year == 2020)
        - 0.2 * (year == 2021)
    )


def simulate_firm_panel(
    projects: pd.DataFrame,
    project_regions: pd.DataFrame,
    population: pd.Series,
    rng: np.random.Generator,
    *,
    n_firms: int = 16_000,
    years: tuple[int, int] = (2010, 2024),
) -> pd.DataFrame:
    """Simulate the firm panel for the effect analysis, with a planted effect of support.

    ``projects`` has ``arende_id``, ``startdatum``, ``slutdatum`` (datetime64) and
    ``effektkedja``; ``project_regions`` has ``arende_id``, ``lan_kod`` and ``andel`` (the project's
    share in the län, summing to 1 per project); ``population`` is indexed by län code. The
    data-generating process is described in the module docstring. Returns one row per firm and
    year with the columns of ``OUTPUT_COLUMNS``, sorted by firm and year. Only ``rng`` is used for
    randomness and the inputs are sorted first, so the same inputs (in any row order) and seed
    give the same panel.

    Raises ``ValueError`` for inputs that make the simulation impossible: missing columns, unknown
    län codes or effect chains, ``project_regions`` rows whose project or län is not in ``projects``
    or ``population``, shares that do not sum to 1, a län that gets firms but has no project
    running within ``years[0] + 2`` to ``years[1] - 2``, or a period shorter than five years.
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator, e.g. np.random.default_rng(1).")
    if isinstance(n_firms, bool) or not isinstance(n_firms, int | np.integer) or n_firms < 1:
        raise ValueError(f"n_firms must be a positive integer, got {n_firms!r}.")
    y0, y1 = _check_years(years)
    pop = _check_population(population)
    proj = _check_projects(projects)
    links = _check_project_regions(project_regions, proj, pop)
    n = int(n_firms)
    year_arr = np.arange(y0, y1 + 1)
    n_years = len(year_arr)
    last_support = y1 - _POST_YEARS

    # Firms: län, industry, founding year, size.
    lan_codes = pop.index.to_numpy(dtype=object)
    region_idx = rng.choice(len(lan_codes), size=n, p=pop.to_numpy() / pop.sum())
    sections = list(SNI_PARAMETERS)
    params = list(SNI_PARAMETERS.values())
    shares = np.array([p.share for p in params])
    sec_idx = rng.choice(len(sections), size=n, p=shares / shares.sum())
    entrant = rng.random(n) < _ENTRANT_SHARE
    founded = rng.integers(y0 + 1, y1 - 1, size=n)  # up to y1 - 2: at least three rows
    first_year = np.where(entrant, founded, y0)
    size = _SIZE_FLOOR + np.exp(rng.normal(np.log(_SIZE_MEDIAN), _SIZE_LOG_SD, size=n))

    trend = np.array([p.trend for p in params])[sec_idx]
    turn_s = np.array([p.turnover_per_employee for p in params])[sec_idx]
    va_s = np.array([p.value_added_per_employee for p in params])[sec_idx]
    sqrt_size = np.sqrt(size)

    # Counterfactual outcomes (without support), firms x years.
    smooth = size[:, None] + _year_effect(year_arr)[None, :] + trend[:, None] * (year_arr - y0)
    employees = smooth + rng.normal(size=(n, n_years)) * (_EMPLOYEE_NOISE * sqrt_size)[:, None]
    log_sd = _TURNOVER_PRODUCTIVITY_LOG_SD
    turn_prod = turn_s * np.exp(rng.normal(-0.5 * log_sd**2, log_sd, size=n))
    turnover = (
        turn_prod[:, None] * employees
        + rng.normal(size=(n, n_years)) * (_TURNOVER_NOISE * turn_s * sqrt_size)[:, None]
    )
    va_prod = va_s * rng.normal(1.0, _VALUE_ADDED_PRODUCTIVITY_SD, size=n)
    value_added = (
        va_prod[:, None] * employees
        + rng.normal(size=(n, n_years)) * (_VALUE_ADDED_NOISE * va_s * sqrt_size)[:, None]
    )

    # Selection: logistic in underlying early size and the industry trend.
    first_idx = first_year - y0
    early = np.take_along_axis(smooth, np.stack([first_idx, first_idx + 1], axis=1), axis=1)
    score = _SELECTION_SIZE * _standardise(np.log(np.maximum(early.mean(axis=1), 0.5)))
    score = score + _SELECTION_TREND * _standardise(trend)
    u_support = rng.random(n)
    u_project = rng.random(n)
    u_year = rng.random(n)

    # Which projects can support which firm (per län), then who is supported.
    eligible = np.zeros(n, dtype=bool)
    pools: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}
    for k, code in enumerate(lan_codes):
        firms = np.flatnonzero(region_idx == k)
        if len(firms) == 0:
            continue
        pool = _project_pool(links, proj, code, y0, last_support)
        if pool is None:
            raise ValueError(
                f"Län {code} has firms (population {pop[code]:,.0f}) but no project that "
                f"covers it and runs within {y0 + _PRE_YEARS}-{last_support}; "
                "supported firms there would have no project. Add projects for the län "
                "or remove it from population."
            )
        starts, ends, weights, rows = pool
        low = np.maximum(starts[None, :], first_year[firms, None] + _PRE_YEARS)
        ok = low <= ends[None, :]
        eligible[firms] = ok.any(axis=1)
        pools[k] = (firms, low, ok * weights[None, :], ends, rows)

    p = _sigmoid(_calibrate_intercept(score, eligible, SUPPORT_SHARE) + score) * eligible
    supported = u_support < p

    support_year = np.zeros(n, dtype=np.int64)
    project_row = np.full(n, -1, dtype=np.int64)
    for firms, low, w, ends, rows in pools.values():
        sel = supported[firms]
        if not sel.any():
            continue
        f, low, w = firms[sel], low[sel], w[sel]
        cum = np.cumsum(w, axis=1)
        cum /= cum[:, -1:]
        pick = np.minimum((cum <= u_project[f, None]).sum(axis=1), w.shape[1] - 1)
        lo = low[np.arange(len(f)), pick]
        hi = ends[pick]
        support_year[f] = lo + np.floor(u_year[f] * (hi - lo + 1)).astype(np.int64)
        project_row[f] = rows[pick]

    # Planted effect, truncation and rounding.
    event = np.where(supported[:, None], year_arr[None, :] - support_year[:, None], -1)
    employees = employees + planted_effect("anstallda", event)
    turnover = turnover + planted_effect("omsattning_tkr", event)
    value_added = value_added + planted_effect("foradlingsvarde_tkr", event)
    employees = np.round(np.maximum(employees, 0.0), 1) + 0.0
    turnover = np.round(np.maximum(turnover, 0.0), 1) + 0.0
    value_added = np.round(value_added, 1) + 0.0

    # Long format, only the years in which the firm exists.
    exists = (year_arr[None, :] >= first_year[:, None]).ravel()
    firm_of_row = np.repeat(np.arange(n), n_years)[exists]
    width = max(6, len(str(n)))
    firm_ids = np.array([f"F{i:0{width}d}" for i in range(1, n + 1)], dtype=object)
    project_ids = proj["arende_id"].to_numpy(dtype=object)
    firm_project = np.where(supported, project_ids[np.maximum(project_row, 0)], None)
    first_support = pd.array(np.where(supported, support_year, 0), dtype="Int64")
    first_support[~supported] = pd.NA
    return pd.DataFrame(
        {
            "foretag_id": pd.Series(firm_ids[firm_of_row], dtype=str),
            "lan_kod": pd.Series(lan_codes[region_idx][firm_of_row], dtype=str),
            "sni": pd.Series(np.array(sections, dtype=object)[sec_idx][firm_of_row], dtype=str),
            "ar": np.tile(year_arr, n)[exists].astype(np.int64),
            "anstallda": employees.ravel()[exists],
            "omsattning_tkr": turnover.ravel()[exists],
            "foradlingsvarde_tkr": value_added.ravel()[exists],
            "forsta_stodar": first_support[firm_of_row],
            "arende_id": pd.array(firm_project[firm_of_row], dtype=pd.StringDtype()),
        },
        columns=list(OUTPUT_COLUMNS),
    )


def _standardise(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x, dtype=float)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _calibrate_intercept(score: np.ndarray, eligible: np.ndarray, target: float) -> float:
    """The intercept whose expected share of supported firms (of all firms) is ``target``."""
    lo, hi = -30.0, 30.0
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        if (_sigmoid(mid + score) * eligible).mean() < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _project_pool(
    links: pd.DataFrame, proj: pd.DataFrame, code: str, y0: int, last_support: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Projects that can support firms in län ``code``: start and end years, weights, rows.

    Direct-chain projects if the län has any that run within the support window, otherwise the
    län's projects of the other chains; ``None`` if there is none at all.
    """
    here = links[links["lan_kod"] == code]
    rows = here["row"].to_numpy()
    starts = proj["start_year"].to_numpy()[rows]
    ends = np.minimum(proj["end_year"].to_numpy()[rows], last_support)
    usable = np.maximum(starts, y0 + _PRE_YEARS) <= ends
    direct = usable & (proj["effektkedja"].to_numpy()[rows] == _DIRECT_CHAIN)
    keep = direct if direct.any() else usable
    if not keep.any():
        return None
    return starts[keep], ends[keep], here["andel"].to_numpy(dtype=float)[keep], rows[keep]


def _check_years(years: tuple[int, int]) -> tuple[int, int]:
    try:
        y0, y1 = (int(y) for y in years)
    except (TypeError, ValueError):
        raise ValueError(
            f"years must be a pair of integers (first, last), got {years!r}."
        ) from None
    if y1 - y0 < _PRE_YEARS + _POST_YEARS:
        raise ValueError(
            f"years {y0}-{y1} is too short: support needs {_PRE_YEARS} years before and "
            f"{_POST_YEARS} years after the first support year."
        )
    return y0, y1


def _check_population(population: pd.Series) -> pd.Series:
    if not isinstance(population, pd.Series):
        raise ValueError("population must be a pandas Series indexed by lan_kod.")
    codes = [str(c) for c in population.index]
    unknown = sorted({c for c in codes if c not in LAN_CODES})
    if unknown or any(not isinstance(c, str) for c in population.index):
        raise ValueError(
            f"population is indexed by unknown län codes {unknown or list(population.index)}; "
            "expected two-digit strings such as '01' (see vocabulary.LAN_CODES)."
        )
    if population.index.has_duplicates:
        raise ValueError("population has duplicated län codes.")
    values = pd.to_numeric(population, errors="coerce")
    if values.isna().any() or (values <= 0).any():
        raise ValueError("population must be positive numbers for every län.")
    pop = pd.Series(values.to_numpy(dtype=float), index=pd.Index(codes, dtype=object))
    return pop.sort_index()


def _check_projects(projects: pd.DataFrame) -> pd.DataFrame:
    missing = [
        c for c in ("arende_id", "startdatum", "slutdatum", "effektkedja") if c not in projects
    ]
    if missing:
        raise ValueError(f"projects lacks the column(s) {', '.join(missing)}.")
    if len(projects) == 0:
        raise ValueError("projects is empty; supported firms need projects.")
    proj = projects[["arende_id", "startdatum", "slutdatum", "effektkedja"]].copy()
    proj["arende_id"] = proj["arende_id"].astype(str)
    if proj["arende_id"].duplicated().any():
        dup = proj.loc[proj["arende_id"].duplicated(), "arende_id"].head(5).tolist()
        raise ValueError(f"projects has duplicated arende_id, e.g. {dup}.")
    for col in ("startdatum", "slutdatum"):
        if not pd.api.types.is_datetime64_any_dtype(proj[col]):
            raise ValueError(f"projects.{col} must be datetime64; convert with pd.to_datetime.")
        if proj[col].isna().any():
            raise ValueError(f"projects.{col} has missing dates.")
    bad_chain = sorted(set(proj["effektkedja"].astype(str)) - set(CHAIN_IDS))
    if bad_chain:
        raise ValueError(
            f"projects.effektkedja has unknown chain(s) {bad_chain}; expected {list(CHAIN_IDS)}."
        )
    if (proj["slutdatum"] < proj["startdatum"]).any():
        bad = proj.loc[proj["slutdatum"] < proj["startdatum"], "arende_id"].head(5).tolist()
        raise ValueError(f"projects end before they start: {bad}.")
    proj = proj.sort_values("arende_id", kind="stable").reset_index(drop=True)
    proj["start_year"] = proj["startdatum"].dt.year.to_numpy(dtype=np.int64)
    proj["end_year"] = proj["slutdatum"].dt.year.to_numpy(dtype=np.int64)
    return proj


def _check_project_regions(
    project_regions: pd.DataFrame, proj: pd.DataFrame, pop: pd.Series
) -> pd.DataFrame:
    missing = [c for c in ("arende_id", "lan_kod", "andel") if c not in project_regions]
    if missing:
        raise ValueError(f"project_regions lacks the column(s) {', '.join(missing)}.")
    links = project_regions[["arende_id", "lan_kod", "andel"]].copy()
    links["arende_id"] = links["arende_id"].astype(str)
    if not all(isinstance(c, str) for c in links["lan_kod"]):
        raise ValueError("project_regions.lan_kod must be two-digit strings such as '01'.")
    unknown_regions = sorted(set(links["lan_kod"]) - set(pop.index))
    if unknown_regions:
        raise ValueError(
            f"project_regions has län code(s) {unknown_regions} that are not in population "
            f"(which has {list(pop.index)})."
        )
    unknown_proj = sorted(set(links["arende_id"]) - set(proj["arende_id"]))
    if unknown_proj:
        raise ValueError(f"project_regions has arende_id not in projects, e.g. {unknown_proj[:5]}.")
    if links.duplicated(["arende_id", "lan_kod"]).any():
        raise ValueError("project_regions has duplicated (arende_id, lan_kod) rows.")
    share = pd.to_numeric(links["andel"], errors="coerce")
    if share.isna().any() or (share <= 0).any() or (share > 1).any():
        raise ValueError("project_regions.andel must be numbers in (0, 1].")
    sums = share.groupby(links["arende_id"]).sum()
    off = sums[(sums - 1.0).abs() > 1e-6]
    if len(off):
        raise ValueError(
            "project_regions.andel must sum to 1 per project; it does not for "
            f"{off.index[:5].tolist()}."
        )
    links["andel"] = share.astype(float)
    links = links.sort_values(["arende_id", "lan_kod"], kind="stable").reset_index(drop=True)
    row_of = pd.Series(np.arange(len(proj)), index=proj["arende_id"])
    links["row"] = row_of.loc[links["arende_id"]].to_numpy()
    return links
