"""Benchmark: `utvardering kor` against the serial papermill loop a user would write, and
against the compute floor, for the full batch and for 4 regions, in one run.

For each set of regions, on a copy of the shipped data:
1. `kor` cold: an empty output folder;
2. `kor` with nothing changed (every job skipped), three times: the median, and each;
3. `kor` after one region's survey answers changed: which jobs ran again, and whether they
   are exactly the jobs that read them (the region's reports that read the survey table, and
   the jobs that read the run's results);
4. the compute floor, measured: `kor --tvinga --jobb 1` into the same folder (data cache
   warm, every kernel forked from the pre-imported template, one notebook at a time), the
   sum of the notebooks' own cell times, divided by the cores;
5. the baseline: a serial shell loop of `papermill` CLI calls over the same notebooks with
   the same parameters (the jobs that read the run read `kor`'s output folder).
Prints wall times, peak memory of the process tree, and the ratios.

    python benchmarks/bench_batch.py [--lan 07 12 ...] [--hoppa-over-baslinje]

Without --lan it runs the full batch and 4 regions (01 07 12 25).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shlex
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

from utvardering.kernel import kernel_name  # noqa: E402
from utvardering.vocabulary import LAN_CODES  # noqa: E402

FOUR = ["01", "07", "12", "25"]
CHANGED_REGION = "07"
SURVEY = "enkatsvar"


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
                total = 0
                for p in processes:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(0.1)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int, int]:
    """Wall time, peak memory and exit code of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    memory = PeakMemory(process)
    _, err = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode:
        print(f"  (slutkod {process.returncode}: {err.decode(errors='replace')[-500:]})")
    return seconds, memory.stop(), process.returncode


def kor(data: Path, out: Path, regions: list[str], *extra: str) -> list[str]:
    command = [sys.executable, "-m", "utvardering", "kor", "--data", str(data)]
    command += ["--utdata", str(out), "--tyst", *extra]
    if sorted(regions) != sorted(LAN_CODES):
        command += ["--lan", *regions]
    return command


def run_jobs(out: Path) -> list[dict]:
    """The jobs of the last run in ``out`` (korning.json), in the order they were built."""
    return json.loads((out / "korning.json").read_text(encoding="utf-8"))["jobb"]


def manifest(out: Path, job: dict) -> dict:
    folder = out / (job["lan_kod"] or "riket")
    return json.loads((folder / f"{job['rapport']}.manifest.json").read_text(encoding="utf-8"))


def notebook_path(name: str) -> Path:
    found = sorted((ROOT / "notebooks").rglob(name))
    if not found:
        raise SystemExit(f"Hittade inte notebooken {name} under notebooks/.")
    return found[0]


def cell_seconds(out: Path) -> tuple[float, int]:
    """The executed notebooks' own cell times (papermill's per-cell durations) and count."""
    total, count = 0.0, 0
    for job in run_jobs(out):
        folder = out / (job["lan_kod"] or "riket")
        nb = json.loads((folder / f"{job['rapport']}.ipynb").read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            total += (cell.get("metadata", {}).get("papermill", {}).get("duration")) or 0.0
        count += 1
    return total, count


def baseline_script(out: Path, base: Path) -> str:
    """A serial loop of papermill calls over the jobs ``kor`` ran into ``out``."""
    papermill = Path(sys.executable).with_name("papermill")
    kernel = kernel_name()
    lines = ["set -u", "fel=0"]
    for job in run_jobs(out):
        meta = manifest(out, job)
        folder = base / (job["lan_kod"] or "riket")
        parameters = {**meta["parametrar"], "utdata_dir": str(folder)}
        target = folder / f"{job['rapport']}.ipynb"
        lines.append(f"mkdir -p {shlex.quote(str(folder))}")
        lines.append(
            f"{papermill} {shlex.quote(str(notebook_path(meta['notebook'])))} "
            f"{shlex.quote(str(target))} -k {kernel} --cwd {shlex.quote(str(folder))} "
            f"-y {shlex.quote(json.dumps(parameters))} --no-progress-bar || fel=$((fel+1))"
        )
    lines.append('echo "misslyckade: $fel" >&2; exit $((fel > 0))')
    return "\n".join(lines)


def change_survey(data: Path, region: str) -> None:
    """One answer of the region's latest survey round moves one step (1-5 scale)."""
    path = data / f"{SURVEY}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    code, answer = header.index("lan_kod"), header.index("svar")
    for row in rows[1:]:
        if row[code] == region and row[answer].isdigit():
            value = int(row[answer])
            row[answer] = str(value + 1 if value < 5 else value - 1)
            break
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def expected_reruns(out: Path, region: str) -> set[str]:
    """The jobs that read the region's survey answers, and those that read the run."""
    from utvardering.batch import discover_reports
    from utvardering.batch.discover import discover_parts

    reports = discover_reports(ROOT / "notebooks")
    reports |= discover_parts(ROOT / "notebooks", reports)
    expected = set()
    for job in run_jobs(out):
        report = reports[job["rapport"]]
        scopes = report.inputs or {}
        # the national reports and the region reports that read the run's results; a part
        # made ahead of a national report reads only its own tables
        reads_run = report.reads_run or (job["lan_kod"] is None and report.part_of is None)
        scope = scopes.get(SURVEY)
        if reads_run or scope == "alla" or (scope == "region" and job["lan_kod"] == region):
            expected.add(job["job"])
    return expected


def measure(regions: list[str], work: Path, env: dict[str, str], baseline: bool) -> dict:
    data = work / "data"
    shutil.copytree(ROOT / "data", data)
    out = work / "kor"
    rows: dict[str, tuple[float, int, int]] = {}
    rows["kor kall"] = timed(kor(data, out, regions), env)
    n_jobs = len(run_jobs(out))
    # nothing changed: the median of three runs, each printed
    idle = sorted((timed(kor(data, out, regions), env) for _ in range(3)), key=lambda r: r[0])
    rows["kor, inget ändrat (median av 3)"] = idle[1]
    noop_all = [seconds for seconds, _, _ in idle]
    change_survey(data, CHANGED_REGION)
    rows[f"kor, enkätsvar i {CHANGED_REGION} ändrade"] = timed(kor(data, out, regions), env)
    reran = {j["job"] for j in run_jobs(out) if j["status"] == "klar"}
    expected = expected_reruns(out, CHANGED_REGION)
    floor_run = timed(kor(data, out, regions, "--tvinga", "--jobb", "1"), env)
    cells, counted = cell_seconds(out)
    cores = os.cpu_count() or 1
    result = {
        "regions": regions,
        "jobs": n_jobs,
        "rows": rows,
        "reran": reran,
        "expected": expected,
        "floor": cells / cores,
        "cells": cells,
        "serial_forked": floor_run[0],
        "counted": counted,
        "cores": cores,
        "noop_all": noop_all,
    }
    if baseline:
        script = baseline_script(out, work / "baslinje")
        (work / "baslinje.sh").write_text(script, encoding="utf-8")
        rows["baslinje: seriell papermill-loop"] = timed(["bash", "-c", script], env)
    return result


def report(result: dict) -> None:
    regions, rows = result["regions"], result["rows"]
    scope = "alla 21 län" if len(regions) == len(LAN_CODES) else f"{len(regions)} län"
    print(f"\n## {scope} ({', '.join(regions)}): {result['jobs']} notebookar")
    print(f"{'körning':40} {'tid':>9} {'toppminne':>10} {'slutkod':>8}")
    for name, (seconds, peak, code) in rows.items():
        print(f"{name:40} {seconds:8.2f}s {peak / 2**20:7.0f} MB {code:>8}")
        if name.startswith("kor, inget ändrat"):
            each = ", ".join(f"{seconds:.2f}s" for seconds in result["noop_all"])
            print(f"{'  var för sig, kortast först':40} {each}")
    floor = result["floor"]
    print(
        f"{'beräkningsgolv (uppmätt)':40} {floor:8.2f}s   "
        f"(cellernas tid {result['cells']:.1f} s i {result['counted']} notebookar / "
        f"{result['cores']} kärnor; den seriella körningen tog {result['serial_forked']:.1f} s)"
    )
    cold = rows["kor kall"][0]
    print(f"\nkor kall / beräkningsgolvet: {cold / floor:.2f}×")
    if "baslinje: seriell papermill-loop" in rows:
        base = rows["baslinje: seriell papermill-loop"][0]
        print(f"baslinjen / kor kall:        {base / cold:.2f}× snabbare")
        print(f"baslinjen / golvet:          {base / floor:.2f}×")
    reran, expected = result["reran"], result["expected"]
    same = "samma som" if reran == expected else "SKILJER SIG FRÅN"
    print(
        f"Efter ändrade enkätsvar i {CHANGED_REGION} kördes {len(reran)} jobb om, {same} de "
        f"{len(expected)} som läser dem: {', '.join(sorted(reran))}"
    )
    if reran != expected:
        print(f"  för mycket: {sorted(reran - expected)}; saknas: {sorted(expected - reran)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lan", nargs="+", help="bara dessa län (annars alla 21 och 4 län)")
    parser.add_argument("--hoppa-over-baslinje", action="store_true")
    args = parser.parse_args()
    kernel_name()  # puts the kernel spec on JUPYTER_PATH before the environment is copied
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    sets = [args.lan] if args.lan else [list(LAN_CODES), FOUR]
    print(f"utvardering kor, {os.cpu_count()} kärnor, {time.strftime('%Y-%m-%d %H:%M')}")
    # Without cached byte code every command compiles the package's modules again (a tenth
    # of a second of each `kor`); the measurements take the environment as it is.
    bytecode = "nej (PYTHONDONTWRITEBYTECODE)" if env.get("PYTHONDONTWRITEBYTECODE") else "ja"
    print(f"Python sparar bytekod: {bytecode}")
    for regions in sets:
        work = Path(tempfile.mkdtemp(prefix="bench-kor-"))
        try:
            report(measure(regions, work, env, not args.hoppa_over_baslinje))
        finally:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
