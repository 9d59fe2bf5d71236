"""Time the Monte Carlo of the headline indicators (symbiosis.analysis.uncertainty).

::

    python benchmarks/bench_uncertainty.py                   # Tongling x 1000, 100k x 100
    python benchmarks/bench_uncertainty.py --flows 100k --samples 100 --processes 2

Two cases, the targets of issue 16: 1,000 samples of Tongling's headline indicators
(target: under 2 s) and 100 samples of a generated network of 100,000 flows (seed 1,
``benchmarks/generate.py``; target: under 20 s). Every flow gets a relative standard
deviation of 10 % (``--uncertainty``). Each case is timed once after a warm-up of the
model (imports and the first numpy calls), as wall-clock and CPU seconds of this process,
with the peak resident memory of the process and the one-minute load average: the
figures are only comparable on a quiet machine. Opportunities are not ranked (that adds
one run of the opportunity engine on the recorded values).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from _common import generator, markdown

import symbiosis
from symbiosis.analysis.uncertainty import chunk_sizes, monte_carlo
from symbiosis.examples import example_path


def _size(text: str) -> int:
    text = text.lower()
    factor = 1_000_000 if text.endswith("m") else 1000 if text.endswith("k") else 1
    return int(float(text.rstrip("km")) * factor)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_case(name: str, network, samples: int, uncertainty: float, processes: int) -> dict:
    monte_carlo(network, samples=2, seed=0, default=uncertainty)  # warm-up
    pool = ProcessPoolExecutor(processes) if processes > 1 else None
    start, start_cpu = time.perf_counter(), time.process_time()
    result = monte_carlo(network, samples=samples, seed=0, default=uncertainty, executor=pool)
    wall, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    if pool is not None:
        pool.shutdown()
    reuse = result._row("mass", "reuse_share")
    return {
        "case": name,
        "flows": network.n_flows,
        "actors": len(network.actors),
        "samples": samples,
        "chunks": len(chunk_sizes(samples, network.n_flows)),
        "processes": processes,
        "seconds": wall,
        "cpu seconds": cpu,
        "peak MB": round(_peak_mb()),
        "mass reuse share 95 %": f"{reuse['p2.5']:.4f}-{reuse['p97.5']:.4f}",
        "load average": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", default="100k", help="size of the generated network")
    parser.add_argument("--samples", type=int, default=100, help="samples of the big network")
    parser.add_argument("--tongling-samples", type=int, default=1000)
    parser.add_argument("--uncertainty", type=float, default=0.1)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args(argv)
    rows = []
    tongling = symbiosis.load(example_path("tongling"))
    rows.append(
        time_case("Tongling", tongling, args.tongling_samples, args.uncertainty, args.processes)
    )
    print(markdown(rows), flush=True)
    size = _size(args.flows)
    folder = args.workdir / f"flows-{size}"
    if not (folder / "flows.csv").exists():
        generator().generate(size, 1, folder)
    network = symbiosis.load(folder)
    rows.append(
        time_case(
            f"generated {args.flows}", network, args.samples, args.uncertainty, args.processes
        )
    )
    print(markdown(rows[-1:], header=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
