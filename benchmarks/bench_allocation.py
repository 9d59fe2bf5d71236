"""Time the optimal allocation (``optimal_plan``) on large candidate tables, and compare the
plan with the greedy ranking on Tongling.

::

    python benchmarks/bench_allocation.py                      # synthetic 100k streams x 3
    python benchmarks/bench_allocation.py --streams 20000 --repeat 3
    python benchmarks/bench_allocation.py --network 1M         # generated network, 1M flows
    python benchmarks/bench_allocation.py --tongling           # plan vs greedy, for the docs

Synthetic tables: ``--streams`` streams (lognormal sizes, median 3 kt) each with 3
candidate receivers among ``streams / 10`` receivers, in the public table's columns, ranked
round by round as the engine ranks (every stream's first alternative, then every second
...). Three layouts:

* ``local``: a stream's receivers are near it (receivers numbered along the streams, each
  stream picks among the 10 nearest), 70 % of receivers with a capacity (lognormal, median
  30 kt: a receiver is wanted by about 30 streams and takes about a third of their supply),
  30 % unbounded;
* ``random``: receivers drawn anywhere (every stream linked to every other through shared
  receivers), capacities as above;
* ``random, all limited``: as ``random`` with every receiver limited: no stream has a free
  alternative, nothing is solved without the LP (the worst case).

``--network N`` generates (or reuses) ``benchmarks/data/N-parks300`` with
``benchmarks/generate.py`` (seed 1), runs ``find_opportunities(top=0, impact=False)`` and
times the plan on its table (capacities from the shipped catalogue and the network's
purchases). Wall time is the median of ``--repeat`` runs; CPU time is given too (the
2-core machine is shared). Markdown on stdout.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import generator, markdown

HERE = Path(__file__).parent


def synthetic(streams: int, layout: str, seed: int = 1):
    """An :class:`Opportunities` whose table is ``streams`` x 3 candidates."""
    from symbiosis.analysis.opportunities.result import Opportunities

    rng = np.random.default_rng(seed)
    receivers = max(streams // 10, 3)
    size = np.round(rng.lognormal(np.log(3000), 1.5, streams), 1)
    capacity = np.round(rng.lognormal(np.log(30_000), 1.5, receivers), 1)
    if layout == "local":
        capacity[rng.random(receivers) < 0.3] = np.nan
        near = (np.arange(streams) * receivers // streams)[:, None]
        offsets = np.array([rng.choice(np.arange(-5, 5), 3, replace=False) for _ in range(streams)])
        chosen = np.clip(near + offsets, 0, receivers - 1)
    else:
        if layout == "random":
            capacity[rng.random(receivers) < 0.3] = np.nan
        chosen = np.array([rng.choice(receivers, 3, replace=False) for _ in range(streams)])
    stream = np.tile(np.arange(streams), 3)  # round by round: all first alternatives first
    receiver = chosen.T.ravel()
    cap = capacity[receiver]
    frame = pd.DataFrame({
        "group": "dumped", "rank": np.arange(1, len(stream) + 1), "kind": "new_link",
        "fate": "disposed", "source": pd.Series(stream).map("S{}".format),
        "material": "slag", "stream_target": "LF", "row": stream + 2, "dimension": "mass",
        "quantity": np.fmin(size[stream], cap), "unit": "t/yr",
        "target": pd.Series(receiver).map("R{}".format), "target_sector": "cement",
        "new_plant": False, "distance_km": np.round(rng.uniform(0.5, 60, len(stream)), 2),
        "value": np.nan, "maturity": "established", "pathway": "slag-cement", "rule": "name",
        "capacity": cap, "capacity_group": np.where(np.isnan(cap), -1, receiver),
    })  # fmt: skip
    return Opportunities(listed=(), ranked=lambda: frame, plants=(), cumulative=None,
                         uncovered=pd.DataFrame(), counts={}, streams=streams, parameters={},
                         catalogue_files=(), units={"mass": "t/yr"})  # fmt: skip


def timed(result, repeat: int, **options) -> tuple[float, float, object]:
    """Median wall seconds, CPU seconds of the last run, and the plan."""
    from symbiosis.analysis.opportunities.allocation import optimal_plan

    walls, plan, cpu = [], None, 0.0
    for _ in range(repeat):
        start, clock = time.perf_counter(), time.process_time()
        plan = optimal_plan(result, **options)
        walls.append(time.perf_counter() - start)
        cpu = time.process_time() - clock
    return statistics.median(walls), cpu, plan


def row(name: str, result, wall: float, cpu: float, plan) -> dict:
    """One line of the table: the LP figures summed over the dimensions."""
    solver = plan.solver.values()
    greedy = plan.totals.get("mass", {}).get("greedy_moved", 0.0)
    return {
        "table": name,
        "streams": result.streams,
        "candidates": len(result.table),
        "in LP": sum(s["in_lp"] for s in solver),
        "constraints": sum(s["constraints"] for s in solver),
        "LP s": round(sum(s["seconds"] for s in solver), 2),
        "plan s": round(wall, 2),
        "plan CPU s": round(cpu, 2),
        "mass moved vs greedy": f"{100 * (plan.totals['mass']['moved'] / greedy - 1):+.3f} %"
        if greedy
        else "-",
    }


def bench_synthetic(streams: int, repeat: int) -> list[dict]:
    rows = []
    for layout in ("local", "random", "random, all limited"):
        result = synthetic(streams, layout)
        _ = result.table
        wall, cpu, plan = timed(result, repeat)
        rows.append(row(f"{streams:,} x 3, {layout}", result, wall, cpu, plan))
        print(markdown(rows[-1:], header=len(rows) == 1), flush=True)
    return rows


def bench_network(flows: int, repeat: int) -> list[dict]:
    import symbiosis
    from symbiosis.analysis.opportunities import find_opportunities

    folder = HERE / "data" / f"{flows}-parks300"
    if not (folder / "flows.csv").exists():
        generator().generate(flows, 1, folder, park_size=300)
    network = symbiosis.load(folder)
    start = time.perf_counter()
    result = find_opportunities(network, top=0, impact=False)
    _ = result.table
    found = time.perf_counter() - start
    wall, cpu, plan = timed(result, repeat)
    out = row(f"{flows:,} flows (find_opportunities {found:.1f} s)", result, wall, cpu, plan)
    print(markdown([out]), flush=True)
    return [out]


def tongling() -> None:
    """The plan beside the greedy ranking on Tongling, with the capacities the engine
    knows, then counting only the candidates whose receiver's capacity is known."""
    import dataclasses

    import symbiosis
    from symbiosis.analysis.opportunities import find_opportunities
    from symbiosis.analysis.opportunities.allocation import optimal_plan
    from symbiosis.examples import example_path

    network = symbiosis.load(example_path("tongling"))
    result = find_opportunities(network)
    table = result.table
    bounded = dataclasses.replace(result, ranked=lambda: table[table["capacity_group"] >= 0])
    cumulative = result.cumulative
    rows = []
    for name, source in (("all candidates", result), ("known capacity only", bounded)):
        plan = optimal_plan(source).with_impact(network)
        planned = plan.to_frame()
        known = planned[planned["capacity_group"] >= 0].groupby("dimension")["amount"].sum()
        for d, totals in plan.totals.items():
            unit = plan.units[d].replace("/yr", "")
            before, after = plan.impact["reuse_share"][d]
            rows.append({
                "candidates": name,
                "dimension": d,
                "top 10 greedy": f"{cumulative.moved.get(d, 0):,.0f} {unit}"
                if name == "all candidates" else "",
                "all greedy": f"{totals['greedy_moved']:,.0f}",
                "LP plan": f"{totals['moved']:,.0f}",
                "exchanges": totals["planned"],
                "to a known capacity": f"{known.get(d, 0.0):,.0f}",
                "reuse share": f"{100 * before:.1f} %",
                "after top 10": f"{100 * cumulative.impact.reuse_share[d][1]:.1f} %"
                if name == "all candidates" else "",
                "after the plan": f"{100 * after:.1f} %",
            })  # fmt: skip
    print(markdown(rows))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--streams", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--network", default=None, help="flows of a generated network: 1M")
    parser.add_argument("--tongling", action="store_true")
    args = parser.parse_args(argv)
    if args.tongling:
        tongling()
    elif args.network:
        bench_network(generator().parse_count(args.network), args.repeat)
    else:
        bench_synthetic(args.streams, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
