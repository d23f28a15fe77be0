"""Benchmark: the batch with the local executor and with `--motor dask` on a local cluster of
as many workers as `--jobb` (one thread each), on the same machine, side by side in one run.

For each engine, on one copy of the shipped data, each into its own empty output folder:
1. `kor` cold;
2. `kor` with nothing changed (the median of three).
Then the two runs' result files are compared (every region's and the national folder's
``<rapport>.json``, the run's own output folder taken out of the text) and their figures
(byte for byte). Prints wall times, peak memory of the process tree (for Dask: the client,
its scheduler and the workers with their kernels) and the comparison.

    python benchmarks/bench_dask.py [--lan 07 12 ...] [--jobb 2]

Without --lan it runs all 21 regions. The engines run in the order given by --ordning
(default: lokal dask).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_batch import ROOT, kor, run_jobs, timed

from utvardering.kernel import kernel_name
from utvardering.vocabulary import LAN_CODES


def results(out: Path) -> dict[str, object]:
    """Every job folder's result files, with ``out`` taken out of their text."""
    found = {}
    for path in sorted(out.glob("*/*.json")):
        if path.name.endswith(".manifest.json") or path.parent.name.startswith("."):
            continue
        if path.parent.name == "korningar":
            continue
        text = path.read_text(encoding="utf-8").replace(str(out), "<utdata>")
        found[f"{path.parent.name}/{path.name}"] = json.loads(text)
    return found


def figures(out: Path) -> dict[str, str]:
    return {
        f"{p.parent.name}/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("*/*.png"))
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lan", nargs="+", help="bara dessa län (annars alla 21)")
    parser.add_argument("--jobb", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--ordning", nargs=2, default=["lokal", "dask"])
    args = parser.parse_args()
    regions = args.lan or list(LAN_CODES)
    kernel_name()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    print(
        f"utvardering kor: lokal motor och Dask, {os.cpu_count()} kärnor, --jobb {args.jobb}, "
        f"{time.strftime('%Y-%m-%d %H:%M')}"
    )
    work = Path(tempfile.mkdtemp(prefix="bench-dask-"))
    try:
        data = work / "data"
        shutil.copytree(ROOT / "data", data)
        rows, outs = {}, {}
        for engine in args.ordning:
            out = outs[engine] = work / engine
            extra = ["--motor", engine, "--jobb", str(args.jobb)]
            rows[f"{engine}: kor kall"] = timed(kor(data, out, regions, *extra), env)
            idle = sorted(
                (timed(kor(data, out, regions, *extra), env) for _ in range(3)),
                key=lambda r: r[0],
            )
            rows[f"{engine}: inget ändrat (median av 3)"] = idle[1]
        jobs = {engine: run_jobs(out) for engine, out in outs.items()}
        scope = "alla 21 län" if len(regions) == len(LAN_CODES) else ", ".join(regions)
        print(f"\n## {scope}: {len(jobs['lokal'])} notebookar")
        print(f"{'körning':36} {'tid':>9} {'toppminne':>10} {'slutkod':>8}")
        for name, (seconds, peak, code) in rows.items():
            print(f"{name:36} {seconds:8.2f}s {peak / 2**20:7.0f} MB {code:>8}")
        cold = {e: rows[f"{e}: kor kall"][0] for e in outs}
        print(f"\ndask / lokal, kall körning: {cold['dask'] / cold['lokal']:.2f}×")
        first = {e: {j["job"]: j["status"] for j in jobs[e]} for e in outs}
        print(f"jobbens status lika: {'ja' if first['lokal'] == first['dask'] else 'NEJ'}")
        local, remote = results(outs["lokal"]), results(outs["dask"])
        differ = sorted(k for k in local.keys() | remote.keys() if local.get(k) != remote.get(k))
        print(
            f"resultatfiler: {len(local)} (lokal) och {len(remote)} (dask); "
            f"{len(differ)} skiljer sig{': ' + ', '.join(differ) if differ else ''}"
        )
        local_png, remote_png = figures(outs["lokal"]), figures(outs["dask"])
        same = sum(local_png.get(k) == v for k, v in remote_png.items())
        print(f"figurer: {len(local_png)} (lokal), {same} av dem byte för byte lika i dask")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
