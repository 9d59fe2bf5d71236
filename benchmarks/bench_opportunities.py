"""Time the opportunity engine on synthetic networks of 1k to 1M flows.

::

    python benchmarks/bench_opportunities.py                    # 1k, 10k, 100k, 1M flows
    python benchmarks/bench_opportunities.py --sizes 1k,100k --repeat 3 --workdir /tmp/bench

Networks come from ``benchmarks/generate.py`` (seed 1), written as CSV into the work folder
(reused when there) and loaded with :func:`symbiosis.load` (timed apart). The catalogue is
read once before timing. Three runs are timed (median of ``--repeat``):

* ``candidates``: streams, matching and ranking only (``top=0``): every candidate found;
* ``top 10``: the same plus the 10 best of each group in detail, each applied to a copy of
  the network for its impact, and their cumulative effect (about 30 applications);
* ``top 10, no impact``: the detailed list without the impact.

The table also gives the CPU time of the ``top 10`` run (wall time on a shared machine
includes waiting), the number of streams leaving the network and of candidates, as a
Markdown table on stdout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import generator, markdown

import symbiosis
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.catalogue import default_catalogue

HERE = Path(__file__).parent


def _median(function, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _cpu(function) -> float:
    """CPU seconds of one run (less sensitive than wall time on a shared machine)."""
    start = time.process_time()
    function()
    return time.process_time() - start


def run(sizes: list[int], repeat: int, workdir: Path) -> list[dict]:
    generate = generator()
    catalogue = default_catalogue()
    rows = []
    for size in sizes:
        folder = workdir / f"flows-{size}"
        if not (folder / "flows.csv").exists():
            generate.generate(size, 1, folder)
        start = time.perf_counter()
        network = symbiosis.load(folder)
        loaded = time.perf_counter() - start
        _ = network.source_is_actor, network.target_is_actor  # shared caches
        candidates, everything = _median(
            lambda n=network: find_opportunities(n, catalogue, top=0, impact=False), repeat
        )
        listed, result = _median(lambda n=network: find_opportunities(n, catalogue), repeat)
        quick, _ = _median(lambda n=network: find_opportunities(n, catalogue, impact=False), repeat)
        cpu = _cpu(lambda n=network: find_opportunities(n, catalogue))
        row = {
            "flows": size,
            "firms": network.n_firms,
            "streams": everything.streams,
            "candidates": len(everything.table),
            "load": loaded,
            "candidates s": candidates,
            "top 10 s": listed,
            "top 10, no impact s": quick,
            "top 10 CPU s": cpu,
            "applied": len(result.cumulative.applied) if result.cumulative else 0,
        }
        rows.append(row)
        print(markdown([row], header=len(rows) == 1), flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1M", help="comma-separated flow counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args(argv)
    sizes = [generator().parse_count(s) for s in args.sizes.split(",")]
    if args.workdir is None:
        with tempfile.TemporaryDirectory() as folder:
            run(sizes, args.repeat, Path(folder))
    else:
        args.workdir.mkdir(parents=True, exist_ok=True)
        run(sizes, args.repeat, args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
