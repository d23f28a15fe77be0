"""Benchmark: `utvardering kor` against the serial papermill loop a user would write.

Runs, on the shipped data, all 21 regions × all region reports + the national synthesis:
1. the naive baseline: a serial shell loop of `papermill` CLI calls over the same notebooks
   and parameters;
2. `utvardering kor` from an empty output folder (cold: no cache);
3. `utvardering kor` again with nothing changed (no-op rerun).
Prints wall time, speed-up and the peak memory of the whole process tree (sampled).

    python benchmarks/bench_batch.py [--lan 07 12] [--hoppa-over-baslinje]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from utvardering.batch import discover_reports  # noqa: E402
from utvardering.kernel import kernel_name  # noqa: E402
from utvardering.vocabulary import LAN_CODES  # noqa: E402


class PeakMemory:
    """Samples the resident memory of a process and all its children."""

    def __init__(self, process: subprocess.Popen):
        self.peak = 0
        self._process = psutil.Process(process.pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                processes = [self._process, *self._process.children(recursive=True)]
                total = sum(p.memory_info().rss for p in processes if p.is_running())
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(command: list[str] | str, **kwargs) -> tuple[float, int, int]:
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs
    )
    memory = PeakMemory(process)
    code = process.wait()
    return time.perf_counter() - start, memory.stop(), code


def baseline_script(regions: list[str], out: Path) -> str:
    reports = discover_reports(ROOT / "notebooks")
    papermill = Path(sys.executable).with_name("papermill")
    kernel = kernel_name()
    data = ROOT / "data"
    lines = ["set -u", "fel=0"]
    for report in reports.values():
        if report.level != "region":
            continue
        for code in regions:
            folder = out / code
            lines.append(f"mkdir -p {folder}")
            lines.append(
                f"{papermill} {report.path} {folder / (report.name + '.ipynb')} -k {kernel} "
                f"--cwd {folder} -r lan_kod {code} -r data_dir {data} -r utdata_dir {folder} "
                "--no-progress-bar || fel=$((fel+1))"
            )
    for report in reports.values():
        if report.level == "nationell":
            folder = out / "riket"
            lines.append(f"mkdir -p {folder}")
            lines.append(
                f"{papermill} {report.path} {folder / (report.name + '.ipynb')} -k {kernel} "
                f"--cwd {folder} -r data_dir {data} -r utdata_dir {folder} -r korning_dir {out} "
                "--no-progress-bar || fel=$((fel+1))"
            )
    lines.append('echo "misslyckade: $fel" >&2; exit $((fel > 0))')
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lan", nargs="+", default=list(LAN_CODES))
    parser.add_argument("--hoppa-over-baslinje", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-kor-"))
    kernel_name()  # puts the kernel spec on JUPYTER_PATH before the environment is copied
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    reports = discover_reports(ROOT / "notebooks")
    n_region = sum(r.level == "region" for r in reports.values())
    n_jobs = n_region * len(args.lan) + sum(r.level == "nationell" for r in reports.values())
    print(
        f"{len(args.lan)} län × {n_region} rapporter + nationella = {n_jobs} notebookar, "
        f"{os.cpu_count()} kärnor\n"
    )
    results = {}
    if not args.hoppa_over_baslinje:
        script = baseline_script(args.lan, work / "baslinje")
        results["baslinje (seriell papermill-loop)"] = timed(["bash", "-c", script], env=env)
    command = [
        sys.executable,
        "-m",
        "utvardering",
        "kor",
        "--data",
        str(ROOT / "data"),
        "--utdata",
        str(work / "kor"),
        "--tyst",
        "--lan",
        *args.lan,
    ]
    results["utvardering kor (kall)"] = timed(command, env=env, cwd=ROOT)
    results["utvardering kor (inget ändrat)"] = timed(command, env=env, cwd=ROOT)
    print(f"{'körning':38} {'tid':>9} {'toppminne':>11} {'slutkod':>8}")
    for name, (seconds, peak, code) in results.items():
        print(f"{name:38} {seconds:8.1f}s {peak / 2**20:9.0f} MB {code:>8}")
    if "baslinje (seriell papermill-loop)" in results:
        base = results["baslinje (seriell papermill-loop)"][0]
        cold = results["utvardering kor (kall)"][0]
        print(f"\nUppsnabbning mot baslinjen: {base / cold:.2f}×")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
