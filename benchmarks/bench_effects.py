"""Benchmark of the effect estimators: speed and memory at scale, and interval coverage.

Run: python benchmarks/bench_effects.py [--firms 250000] [--years 10] [--replications 1000]

Prints wall time and peak memory (tracemalloc peak of Python allocations, and the process's
maximum resident set size) for ``did`` (clustered by firm) and ``staggered_did`` on a simulated
panel of firms × years with staggered adoption, then the coverage of the 95 % interval of the
overall effect over many small simulated panels.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_effects_staggered import simulate, true_overall

from utvardering.effects import did, staggered_did


def firm_panel(firms: int, years: int, seed: int = 0) -> pd.DataFrame:
    """Firms × years with cohorts first supported in years 3..years-1 or never, growing effects."""
    rng = np.random.default_rng(seed)
    cohorts = np.concatenate([[0], np.arange(3, years)])
    g = rng.choice(cohorts, firms, p=[0.5, *([0.5 / (len(cohorts) - 1)] * (len(cohorts) - 1))])
    firm = np.repeat(np.arange(firms), years)
    year = np.tile(np.arange(1, years + 1), firms)
    gi = g[firm]
    exposure = np.where(gi > 0, year - gi, -1)
    effect = np.where(exposure >= 0, 0.8 * np.minimum(1, (exposure + 1) / 3), 0.0)
    y = rng.normal(size=firms)[firm] + 0.05 * year + effect + rng.normal(size=len(firm))
    return pd.DataFrame(
        {
            "foretag_id": firm,
            "ar": year,
            "forsta_stodar": gi,
            "anstallda": y,
            "stod": ((gi > 0) & (year >= gi)).astype(np.int8),
        }
    )


def measure(label: str, call) -> object:
    tracemalloc.start()
    start = time.perf_counter()
    result = call()
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(
        f"{label:<40} {elapsed:7.1f} s   tracemalloc peak {peak / 1024**3:5.2f} GB   "
        f"max RSS so far {rss:5.2f} GB"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--firms", type=int, default=250_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--replications", type=int, default=1000)
    args = parser.parse_args()
    panel = firm_panel(args.firms, args.years)
    print(f"Panel: {args.firms} firms × {args.years} years = {len(panel)} rows")
    twfe = measure(
        "did (TWFE, clustered by firm)", lambda: did(panel, "anstallda", "stod", "foretag_id", "ar")
    )
    print(f"  TWFE estimate {twfe.estimate:.4f} (se {twfe.std_error:.4f})")
    cs = measure(
        "staggered_did (never treated)",
        lambda: staggered_did(panel, "anstallda", "foretag_id", "ar", "forsta_stodar"),
    )
    print(
        f"  overall {cs.overall.estimate:.4f} (se {cs.overall.std_error:.4f}), "
        f"{len(cs.att_gt)} ATT(g,t)"
    )
    measure(
        "staggered_did (not yet treated)",
        lambda: staggered_did(
            panel, "anstallda", "foretag_id", "ar", "forsta_stodar", control_group="not_yet_treated"
        ),
    )

    rng = np.random.default_rng(12345)
    truth = true_overall()
    covered, errors = 0, []
    start = time.perf_counter()
    for _ in range(args.replications):
        result = staggered_did(simulate(200, rng), "utfall", "firma", "år", "först stödd")
        low, high = result.overall.conf_int
        covered += low <= truth <= high
        errors.append(result.overall.estimate - truth)
    share = covered / args.replications
    mc_se = np.sqrt(share * (1 - share) / args.replications)
    print(
        f"Coverage of the 95 % interval over {args.replications} panels (200 firms × 8 years): "
        f"{share:.3f} (Monte Carlo se {mc_se:.3f}); bias {np.mean(errors):+.4f}, "
        f"sd of estimates {np.std(errors):.4f}; {time.perf_counter() - start:.0f} s"
    )


if __name__ == "__main__":
    main()
