"""Benchmark of the example-data generators: how long the simulated tables take to make.

Run: python benchmarks/bench_exempeldata.py [--repeat 3]

Prints the median wall time of ``simulate_project_indicators`` on a portfolio of 374 projects
(the size of the shipped one) and of ``simulate_firm_panel`` on about 100 projects over all 21
län (16 000 firms × 15 years). The goals are well under 1 s and 3 s on a 2-core machine; they
are printed here, not asserted in a timed test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_exempeldata_foretagspanel import _large_inputs
from test_exempeldata_projektindikatorer import CHAINS_PATH, many_projects

from utvardering.exempeldata import simulate_firm_panel, simulate_project_indicators


def _median_seconds(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    chains = yaml.safe_load(CHAINS_PATH.read_text(encoding="utf-8"))
    frame = many_projects(374)
    indicators = _median_seconds(
        lambda: simulate_project_indicators(frame, chains, np.random.default_rng(1)), args.repeat
    )
    projects, links, population = _large_inputs()
    panel = _median_seconds(
        lambda: simulate_firm_panel(projects, links, population, np.random.default_rng(5)),
        args.repeat,
    )
    print(f"simulate_project_indicators, 374 projekt:     {indicators:6.2f} s (mål < 1 s)")
    print(f"simulate_firm_panel, 16 000 företag × 15 år:  {panel:6.2f} s (mål < 3 s)")


if __name__ == "__main__":
    main()
