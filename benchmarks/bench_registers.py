"""Time ``register import`` on a large synthetic register, and check Spark against DuckDB.

::

    python benchmarks/bench_registers.py                    # 50M rows on DuckDB, 1M on Spark
    python benchmarks/bench_registers.py --rows 5000000 --spark-rows 0
    python benchmarks/bench_registers.py --rows 0                # only the Spark comparison

The register (:mod:`symbiosis.registers.synthetic`, seed 0: 50,000 senders, 2,000
receivers, five years) is written once to ``/tmp/symbiosis-register-N.parquet`` in chunks
of a million rows, never held whole in memory. Each import runs in a fresh Python process
(``symbiosis.registers.import_registers`` writing every network folder into a temporary
folder), timed from the process start (imports included) to its end, its peak resident
memory read from ``getrusage`` in the child (the Python process, DuckDB inside it; Spark's
JVM is another process, not counted). DuckDB runs with its default memory limit of
1 GB. The Spark run (``local[*]``) reads a smaller register and its networks are compared
with DuckDB's, file by file (quantities to a relative 1e-12: the engines add in different
orders). Markdown on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RUN = """
import json, resource, sys
from pathlib import Path
from symbiosis.registers import import_registers
result = import_registers([Path(sys.argv[1])], Path(sys.argv[2]), engine=sys.argv[3])
print(json.dumps({"flows": len(result.flows), "firms": len(result.firms),
                  "years": len(result.years), "shipments": result.shipments,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def register_file(rows: int) -> Path:
    """The synthetic register of ``rows`` rows, generated on first use."""
    from symbiosis.registers.synthetic import SyntheticRegister, write_parquet

    path = Path(tempfile.gettempdir()) / f"symbiosis-register-{rows}.parquet"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".partial")
        write_parquet(partial, SyntheticRegister(rows=rows))
        partial.rename(path)
        print(f"generated {path} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def timed_import(path: Path, out: Path, engine: str) -> dict:
    """Wall time, CPU time and peak memory of one import in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(path), str(out), engine],
        check=True,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    return {**counts, "wall": wall, "cpu": cpu}


def same_networks(a: Path, b: Path) -> bool:
    """Whether two output folders hold the same networks (every CSV file)."""
    import pandas as pd

    names = sorted(str(p.relative_to(a)) for p in a.rglob("*.csv"))
    if names != sorted(str(p.relative_to(b)) for p in b.rglob("*.csv")):
        return False
    for name in names:
        left, right = pd.read_csv(a / name), pd.read_csv(b / name)
        try:
            pd.testing.assert_frame_equal(left, right, check_exact=False, rtol=1e-12)
        except AssertionError:
            return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000_000)
    parser.add_argument("--spark-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    print("| engine | rows | years | firms | flows | wall (s) | CPU (s) | peak memory |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as scratch:
        runs = [("duckdb", args.rows)] if args.rows else []
        if args.spark_rows:
            runs += [("duckdb", args.spark_rows), ("spark", args.spark_rows)]
        outputs = {}
        for engine, rows in runs:
            out = Path(scratch) / f"{engine}-{rows}"
            found = timed_import(register_file(rows), out, engine)
            outputs[engine, rows] = out
            print(
                f"| {engine} | {rows:,} | {found['years']} | {found['firms']:,} | "
                f"{found['flows']:,} | {found['wall']:.1f} | {found['cpu']:.1f} | "
                f"{found['peak_mb']:,.0f} MB |",
                flush=True,
            )
        if args.spark_rows:
            same = same_networks(
                outputs["duckdb", args.spark_rows], outputs["spark", args.spark_rows]
            )
            print(f"\nSpark's networks identical to DuckDB's ({args.spark_rows:,} rows): {same}")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
