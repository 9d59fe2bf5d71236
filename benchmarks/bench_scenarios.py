"""Time supply shocks, firm criticality and scenario application on synthetic networks.

::

    python benchmarks/bench_scenarios.py                     # 10k, 100k, 1M flows
    python benchmarks/bench_scenarios.py --sizes 10k,100k --repeat 3 --workdir /tmp/bench

Networks come from ``benchmarks/generate.py`` (seed 1), are written as CSV into the work
folder (reused when already there) and loaded with :func:`symbiosis.load` (not timed
here). Steps, each the median of ``--repeat`` runs, in seconds:

``shock factors (hub)``
    :func:`~symbiosis.analysis.shocks.shock_factors` in mass for the extraction actor
    with the largest mass output (a regional shock).
``shock factors (market)``
    the same for the ``MARKET`` import supplier at -50 %: every actor that imports is
    hit, the widest shock the generator allows (the affected set and the largest
    strongly connected component it holds are printed).
``shock (no indicators)``
    :func:`~symbiosis.analysis.shocks.shock` of the hub, every dimension, with the firm
    and flow tables, without the before/after indicators.
``criticality``
    :func:`~symbiosis.analysis.criticality.criticality` with a loop search bounded to
    length 4, at most 10,000 loops and 10 s (as ``symbiosis criticality -L 4``).
``dominators``
    the cut-off part of criticality alone (the dominator tree).
``apply scenario``
    :func:`~symbiosis.scenarios.apply_scenario` of a scenario of 10 edits (redirects of
    the 10 largest disposed streams to an actor) and a shock.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse.csgraph as csgraph
from _common import generator, markdown

import symbiosis
from symbiosis import edits as ed
from symbiosis.analysis.criticality import criticality, firms_cut_off
from symbiosis.analysis.loops import find_loops
from symbiosis.analysis.shocks import shock, shock_factors
from symbiosis.scenarios import Scenario, SupplyShock, apply_scenario

HERE = Path(__file__).parent


def _median_seconds(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _hub(network) -> str:
    out = network.outflow("mass")
    return str(out[network.firms["role"] == "extraction"].idxmax())


def _scenario(network, hub: str) -> Scenario:
    flows = network.flows
    disposed = flows[
        network.source_is_actor & (network.target_roles() == "disposal").to_numpy()
    ].nlargest(10, "value")
    actors = list(network.actors[:50])
    edits = []
    for k, (_, row) in enumerate(disposed.iterrows()):
        to = next(a for a in actors[k:] if a not in (row["source"], row["target"]))
        edits.append(
            ed.RedirectFlow(row["source"], row["target"], row["material"], to=to, row=row["row"])
        )
    return Scenario("bench", "bench.toml", None, None, tuple(edits), (SupplyShock(hub, -0.5),))


def _affected(network, shocks) -> tuple[int, int]:
    """Actors whose mass output falls, and the largest strongly connected component of
    the actor graph among them."""
    factors = shock_factors(network, "mass", shocks)[network.firms["actor"].to_numpy()]
    hit = np.flatnonzero(factors < 1.0)
    matrix, _ = network.matrix("mass")  # actors only, in the same order
    sub = matrix[hit][:, hit]
    _, labels = csgraph.connected_components(sub, directed=True, connection="strong")
    largest = int(np.bincount(labels).max()) if len(labels) else 0
    return len(hit), largest


def _steps(network, hub: str, loops, scenario: Scenario) -> dict:
    return {
        "shock factors (hub)": lambda: shock_factors(network, "mass", {hub: -1.0}),
        "shock factors (market)": lambda: shock_factors(network, "mass", {"MARKET": -0.5}),
        "shock (no indicators)": lambda: shock(network, {hub: -1.0}, indicators=False),
        "criticality": lambda: criticality(network, loops=loops),
        "dominators": lambda: firms_cut_off(network),
        "apply scenario": lambda: apply_scenario(network, scenario),
    }


def run(sizes: list[int], repeat: int, workdir: Path) -> list[dict]:
    generate = generator()
    rows = []
    for size in sizes:
        folder = workdir / f"flows-{size}"
        if not (folder / "flows.csv").exists():
            generate.generate(size, 1, folder)
        network = symbiosis.load(folder)
        _ = network.source_is_actor, network.target_is_actor  # shared caches
        hub = _hub(network)
        affected, largest = _affected(network, {"MARKET": -0.5})
        loops = find_loops(network, max_length=4, max_loops=10_000, time_budget=10.0)
        scenario = _scenario(network, hub)
        steps = _steps(network, hub, loops, scenario)
        row = {
            "flows": size,
            "firms": network.n_firms,
            "market shock hits": affected,
            "largest SCC hit": largest,
        }
        for name, function in steps.items():
            row[name] = _median_seconds(function, repeat)
        rows.append(row)
        print(markdown([row], header=len(rows) == 1), flush=True)
    return rows


def _count(text: str) -> int:
    text = text.strip().lower()
    for suffix, factor in (("k", 1_000), ("m", 1_000_000)):
        if text.endswith(suffix):
            return int(float(text[:-1]) * factor)
    return int(text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="flow counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (median)")
    parser.add_argument("--workdir", type=Path, default=None, help="where networks are kept")
    args = parser.parse_args(argv)
    sizes = [_count(s) for s in args.sizes.split(",")]
    workdir = args.workdir or Path(tempfile.gettempdir()) / "symbiosis-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    run(sizes, args.repeat, workdir)


if __name__ == "__main__":
    sys.exit(main())
