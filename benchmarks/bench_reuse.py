"""Time the reuse, balance and structure passes on synthetic networks of 1k to 1M flows.

::

    python benchmarks/bench_reuse.py                      # 1k, 10k, 100k, 1M flows
    python benchmarks/bench_reuse.py --sizes 1k,100k --repeat 5 --workdir /tmp/bench

Networks come from ``benchmarks/generate.py`` (seed 1), are written as CSV into the work
folder (reused when already there) and loaded with :func:`symbiosis.load`; loading is
timed separately. The network's cached flow positions are computed once before the
passes (every analysis shares them). Each pass is timed ``--repeat`` times on the same
network; the table gives the median wall-clock seconds and, in parentheses, the median
CPU seconds of this process, then the machine's one-minute load average (the figures are
only comparable on a quiet machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import generator, markdown

import symbiosis
from symbiosis.analysis.balance import firm_balances
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.analysis.structure import (
    chain_stages,
    resource_city_indicators,
    throughflow_origins,
)

HERE = Path(__file__).parent


def _median_seconds(function, repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU seconds of ``repeat`` calls (CPU time is less
    sensitive to other processes on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


PASSES = {
    "reuse_accounts": reuse_accounts,
    "firm_balances": firm_balances,
    "origins (mass)": lambda n: throughflow_origins(n, "mass"),
    "chain_stages": chain_stages,
    "resource_city_indicators": resource_city_indicators,
}


def run(sizes: list[int], repeat: int, workdir: Path) -> list[dict]:
    generate = generator()
    rows = []
    for size in sizes:
        folder = workdir / f"flows-{size}"
        if not (folder / "flows.csv").exists():
            generate.generate(size, 1, folder)
        start = time.perf_counter()
        network = symbiosis.load(folder)
        loaded = time.perf_counter() - start
        _ = network.source_is_actor, network.target_is_actor  # shared caches
        row = {"flows": size, "firms": network.n_firms, "load": loaded}
        for name, function in PASSES.items():
            row[name] = _median_seconds(lambda f=function, n=network: f(n), repeat)
        row["load average"] = os.getloadavg()[0]
        rows.append(row)
        print(markdown([row], header=len(rows) == 1, format_cell=_cell), flush=True)
    return rows


def _cell(value) -> str:
    if isinstance(value, tuple):  # (wall, cpu)
        return f"{value[0]:.2f} ({value[1]:.2f})"
    return f"{value:,}" if isinstance(value, int) else f"{value:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1M", help="comma-separated flow counts")
    parser.add_argument("--repeat", type=int, default=3, help="timings per pass (median)")
    parser.add_argument("--workdir", type=Path, default=None, help="where networks are written")
    args = parser.parse_args(argv)
    parse = generator().parse_count
    sizes = [parse(s) for s in args.sizes.split(",")]
    if args.workdir is None:
        with tempfile.TemporaryDirectory() as folder:
            run(sizes, args.repeat, Path(folder))
    else:
        run(sizes, args.repeat, args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
