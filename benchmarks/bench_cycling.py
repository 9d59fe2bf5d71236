"""Time the cycling and loops passes on synthetic networks of 1k to 1M flows.

::

    python benchmarks/bench_cycling.py                        # 1k, 10k, 100k, 1M flows
    python benchmarks/bench_cycling.py --sizes 1k,100k --repeat 3 --workdir /tmp/bench
    python benchmarks/bench_cycling.py --sizes 100k --core-size 8000   # one big core
    python benchmarks/bench_cycling.py --sizes none --dense 8,12,20 --pairs 100k
    python benchmarks/bench_cycling.py --sizes none --budgets 0.1,0.5,1 --repeat 3

Networks come from ``benchmarks/generate.py`` (seed 1), are written as CSV into the work
folder (reused when already there) and loaded with :func:`symbiosis.load`; loading is timed
separately. Columns (seconds, median of ``--repeat``):

``structure``   actor matrix of every flow, components, cyclicity (per component),
                connectance: the structural half of :func:`cycling`;
``cycling``     the whole :func:`cycling` pass (structure plus flow metrics in every
                dimension), of which ``fci`` is the time spent in the integral diagonal
                (the per-component LU solves of the Finn cycling index);
``loops``       :func:`find_loops` with the report's default bounds (6 actors, 10,000
                loops, 10 s), with the loops found and whether a bound cut the list;
``all``         ``cycling`` + ``loops``, what the report's two sections cost.

``--dense K`` adds complete parks of K firms (every firm trades with every other one, the
worst case for loop counts) with the default bounds; ``--pairs N`` a network of N separate
two-firm exchanges (N cores: the worst case for per-core overhead).

``--budgets S`` times :func:`find_loops` with each time budget (seconds) on a complete park
of 11 firms, loops of up to 11 firms and no cap on their number (about 10 million loops:
the budget always stops the search): the whole call, the ranking of the loops found
included, is meant to end within the budget (``over``: how far past it, median of
``--repeat``; the search keeps a share of the budget per arc it found, an estimate that
a machine much slower at ranking than at searching overruns).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from _common import generator, markdown

import symbiosis
from symbiosis import FlowNetwork, from_frames
from symbiosis.analysis import ena_flow as fci_module
from symbiosis.analysis.cycling import cycling, structure_statistics
from symbiosis.analysis.loops import find_loops

HERE = Path(__file__).parent


class _Stopwatch:
    """Accumulates the time spent in one function (patched into the cycling module)."""

    def __init__(self, function):
        self.function, self.seconds = function, 0.0

    def __call__(self, *args, **kwargs):
        start = time.perf_counter()
        try:
            return self.function(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - start


def _timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def measure(network: FlowNetwork, repeat: int) -> dict:
    """Median times of the passes on one network, and what they found."""
    _ = network.source_is_actor, network.target_is_actor  # shared caches
    original = fci_module.integral_diagonal
    times: dict[str, list[float]] = {k: [] for k in ("structure", "cycling", "fci", "loops")}
    try:
        for _ in range(repeat):
            times["structure"].append(
                _timed(lambda: structure_statistics(network.matrix(None)[0]))[0]
            )
            watch = _Stopwatch(original)
            fci_module.integral_diagonal = watch
            seconds, result = _timed(lambda: cycling(network))
            times["cycling"].append(seconds)
            times["fci"].append(watch.seconds)
            fci_module.integral_diagonal = original
            seconds, search = _timed(lambda: find_loops(network))
            times["loops"].append(seconds)
    finally:
        fci_module.integral_diagonal = original
    row = {k: statistics.median(v) for k, v in times.items()}
    row["all"] = row["cycling"] + row["loops"]
    fci = {d: r.finn_cycling_index for d, r in result.dimensions.items()}
    row.update(
        largest_core=result.structure.largest_component,
        cyclicity=round(result.structure.cyclicity, 4),
        fci_mass=None if fci.get("mass") is None else f"{fci['mass']:.3g}",
        loops_found=search.found,
        truncated=search.stopped_by or "no",
    )
    return row


def complete_park(k: int) -> FlowNetwork:
    names = [f"F{i:02d}" for i in range(k)]
    pairs = list(itertools.permutations(names, 2))
    flows = pd.DataFrame(
        {
            "source": [a for a, _ in pairs],
            "target": [b for _, b in pairs],
            "material": [f"m{a}{b}" for a, b in pairs],
            "quantity": [1.0 + i for i in range(len(pairs))],
            "unit": "t",
            "category": "by-product",
        }
    )
    return from_frames(pd.DataFrame({"id": names, "role": "firm"}), flows)


def exchange_pairs(count: int) -> FlowNetwork:
    """``count`` pairs of firms swapping slag for ash, each also selling to one market."""
    a = [f"A{i}" for i in range(count)]
    b = [f"B{i}" for i in range(count)]
    flows = pd.DataFrame(
        {
            "source": a + b + a,
            "target": b + a + ["MKT"] * count,
            "material": ["slag"] * count + ["ash"] * count + ["metal"] * count,
            "quantity": [2.0] * count + [1.0] * count + [1.0] * count,
            "unit": "t",
            "category": "by-product",
        }
    )
    firms = pd.DataFrame({"id": [*a, *b, "MKT"], "role": ["firm"] * (2 * count) + ["market"]})
    return from_frames(firms, flows)


def budgets(seconds: list[float], repeat: int) -> list[dict]:
    """The time :func:`find_loops` takes against each time budget (see the module
    docstring), its cores found first (cached, as in a report)."""
    network = complete_park(11)
    find_loops(network, max_length=3)
    rows = []
    for budget in seconds:
        took, found = [], 0
        for _ in range(repeat):
            elapsed, search = _timed(
                lambda b=budget: find_loops(network, max_length=11, max_loops=10**9, time_budget=b)
            )
            took.append(elapsed)
            found = search.found
        median = statistics.median(took)
        row = {"budget": budget, "took": round(median, 3), "over": round(median - budget, 3),
               "loops_found": found}  # fmt: skip
        rows.append(row)
        print(markdown([row], header=len(rows) == 1), flush=True)
    return rows


def run(sizes, repeat, workdir: Path, core_size, dense, pairs=()) -> list[dict]:
    generate = generator()
    rows = []
    for size in sizes:
        suffix = f"-core{core_size}" if core_size else ""
        folder = workdir / f"flows-{size}{suffix}"
        if not (folder / "flows.csv").exists():
            generate.generate(size, 1, folder, core_size=core_size)
        loaded, network = _timed(lambda f=folder: symbiosis.load(f))
        row = {"network": f"{size:,} flows{suffix}", "firms": network.n_firms, "load": loaded}
        row.update(measure(network, repeat))
        rows.append(row)
        print(markdown([row], header=len(rows) == 1), flush=True)
    extra = [(f"complete park K{k}", lambda k=k: complete_park(k)) for k in dense]
    extra += [(f"{p:,} two-firm loops", lambda p=p: exchange_pairs(p)) for p in pairs]
    for name, build in extra:
        loaded, network = _timed(build)
        row = {"network": name, "firms": network.n_firms, "load": loaded}
        row.update(measure(network, repeat))
        rows.append(row)
        print(markdown([row], header=len(rows) == 1), flush=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1k,10k,100k,1M", help="flow counts, or 'none'")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--core-size", type=int, default=None)
    parser.add_argument("--dense", default="", help="complete parks, e.g. 8,10,12")
    parser.add_argument("--pairs", default="", help="networks of separate two-firm loops")
    parser.add_argument("--budgets", default="", help="loop time budgets (s), e.g. 0.1,0.5")
    args = parser.parse_args(argv)
    generate = generator()
    sizes = [] if args.sizes == "none" else [generate.parse_count(s) for s in args.sizes.split(",")]
    dense = [int(k) for k in args.dense.split(",") if k]
    pairs = [generate.parse_count(p) for p in args.pairs.split(",") if p]
    if args.budgets:
        budgets([float(b) for b in args.budgets.split(",")], args.repeat)
    if args.workdir is None:
        with tempfile.TemporaryDirectory() as tmp:
            run(sizes, args.repeat, Path(tmp), args.core_size, dense, pairs)
    else:
        run(sizes, args.repeat, args.workdir, args.core_size, dense, pairs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
