"""Benchmarks: every stage of symbiosis at 1k to 1M flows, against the plain approach.

One command generates the synthetic networks (``generate.py``, seeded), times each stage in a
fresh process, runs the whole ``symbiosis analyze`` as a user would, runs the same work done the
plain way as a baseline, and writes the tables to ``docs/benchmarks.md``::

    python benchmarks/run.py                      # 1k, 10k, 100k, 1M flows + the core curve
    python benchmarks/run.py --sizes 1k,10k       # quicker
    python benchmarks/run.py --no-baseline --no-cores --out /tmp/bench.md

The stages and the baseline run with transparent huge pages off (``symbiosis.tune_process()``),
as ``symbiosis analyze`` does.

Stages (symbiosis): import; read + validate (``symbiosis.load``), next to pyarrow's CSV reader
alone on the same files; flow matrices (``network.matrix`` for every dimension and the
structure); each report section (``analyze(sections=[name])``); JSON export; network HTML and
report HTML export. Then the whole ``symbiosis analyze PATH -f json`` in a fresh process: wall
time and peak memory (max RSS of the child).

Baseline (the plain way, what one writes first): ``pd.read_csv`` with default options; a
``networkx.MultiDiGraph`` with one edge per flow; networkx strongly connected components;
the Finn cycling index from a dense inverse of the whole actor matrix (as enaR does, with
``np.linalg.inv``; skipped when the n x n matrices would not fit in memory); unbounded
``nx.simple_cycles`` on the actor graph (stopped after a time budget); reuse shares by a
Python loop over the graph's edges. Each baseline step has a time budget; a step that does not
finish in it is reported as "> budget".

The main runs use networks whose cyclic cores are parks of about 300 firms (``--park-size``);
one more 1M run keeps the generator's default of four big cores (~7,800 firms each). The "core
curve" runs ``analyze`` on networks of 1M flows whose largest symbiosis core is forced to
1,000 ... 32,000 firms (``generate(core_size=...)``): the cycling pass's cost follows
the largest core, not the number of flows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

from _common import compile_package, generator

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
SIZES = {"1k": 1_000, "10k": 10_000, "100k": 100_000, "1M": 1_000_000}
CORE_SIZES = (1_000, 2_000, 4_000, 8_000, 16_000, 32_000)
CURVE_FLOWS = 1_000_000  # the core-size curve: same number of flows, one core of growing size
PARK_SIZE = 300  # main runs: cyclic cores are parks of about 300 firms (issue 8's 1M shape)
BASELINE_BUDGET = 60.0  # seconds per baseline step


def dataset(
    n_flows: int, *, core_size: int | None = None, park_size: int | None = PARK_SIZE, seed: int = 1
) -> Path:
    """The synthetic network of that shape, generated once and kept in benchmarks/data/."""
    if core_size:
        park_size = None
    name = (
        f"{n_flows}"
        + (f"-core{core_size}" if core_size else "")
        + (f"-parks{park_size}" if park_size else "" if core_size else "-4cores")
    )
    folder = DATA / name
    if not (folder / "flows.csv").exists():
        generator().generate(n_flows, seed, folder, core_size=core_size, park_size=park_size)
    return folder


# --------------------------------------------------------------------------- child processes


def _child(mode: str, folder: Path, timeout: float = 1800) -> dict:
    """Run this file in a fresh interpreter in ``mode`` and return its JSON result."""
    command = [sys.executable, str(Path(__file__).resolve()), f"--{mode}", str(folder)]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"{mode} on {folder} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _peak_mb() -> float:
    """Peak resident memory of this process, in MB. Read from VmHWM, which starts afresh at
    exec (``ru_maxrss`` keeps the high-water mark of the parent that forked us)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stages(folder: Path) -> dict:
    """Time each symbiosis stage in this (fresh) process."""
    timings: dict[str, float] = {}

    def timed(name, function):
        start = time.perf_counter()
        value = function()
        timings[name] = time.perf_counter() - start
        return value

    symbiosis = timed("import", lambda: __import__("symbiosis"))
    symbiosis.tune_process()  # as `symbiosis analyze` runs: no transparent huge pages
    import pyarrow.csv as pcsv

    from symbiosis.export.json import to_json
    from symbiosis.report import SECTIONS
    from symbiosis.report.sections import unmet

    timed(
        "pyarrow CSV reader alone",
        lambda: [pcsv.read_csv(folder / f) for f in ("firms.csv", "flows.csv")],
    )
    network = timed("read + validate", lambda: symbiosis.load(folder))
    timed("flow matrices", lambda: [network.matrix(d) for d in (*network.dimensions, None)])
    sections = {}
    for name in SECTIONS:
        if unmet(name, network, 0) is not None:  # a register's, several years', samples'
            continue
        report = timed(f"section: {name}", lambda n=name: symbiosis.analyze(network, sections=[n]))
        sections.update(report.sections)
    report = symbiosis.Report(sections=sections, warnings=network.warnings)
    timed("JSON export", lambda: to_json(report.to_dict()))
    try:
        from symbiosis.export.network_html import network_html
        from symbiosis.export.report_html import report_html

        timed("network HTML", lambda: network_html(network, report))
        timed("report HTML", lambda: report_html(network, report))
    except ImportError:
        pass
    largest = None
    loops = sections.get("loops")
    if loops is not None and getattr(loops, "cores", None):
        largest = max(len(core.members) for core in loops.cores)
    return {
        "timings": timings,
        "peak_mb": _peak_mb(),
        "firms": len(network.firms),
        "flows": len(network.flows),
        "largest_core": largest,
    }


_TIMER = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
wall = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(wall, peak, code)
"""


def whole(folder: Path, repeats: int = 1) -> dict:
    """The whole ``symbiosis analyze`` as a user runs it, in fresh processes: the median
    wall time of ``repeats`` runs (this machine's speed swings from run to run) and the
    largest peak memory. A small interpreter starts each, so that the peak memory
    measured is the command's own."""
    command = [sys.executable, "-m", "symbiosis", "analyze", str(folder), "-f", "json", "-q"]
    walls, peaks = [], []
    for _ in range(repeats):
        completed = subprocess.run(
            [sys.executable, "-c", _TIMER, *command], capture_output=True, text=True, check=True
        )
        wall, peak, code = completed.stdout.split()
        if code != "0":
            raise RuntimeError(f"analyze failed on {folder} (exit {code})")
        walls.append(float(wall))
        peaks.append(float(peak))
    return {"wall": sorted(walls)[len(walls) // 2], "peak_mb": max(peaks), "runs": repeats}


def _repeats(n_flows: int) -> int:
    """Runs of the whole command per network: 5 below a million flows, 3 from there."""
    return 3 if n_flows >= 1_000_000 else 5


STARTUP_COMMANDS = {
    "bare import of pandas + scipy.sparse + networkx": [
        "-c",
        "import pandas, scipy.sparse, networkx",
    ],
    "symbiosis --version": ["-m", "symbiosis", "--version"],
    "symbiosis --help": ["-m", "symbiosis", "--help"],
    "symbiosis analyze --help": ["-m", "symbiosis", "analyze", "--help"],
    "symbiosis analyze --example tongling -f json": [
        "-m",
        "symbiosis",
        "analyze",
        "--example",
        "tongling",
        "-f",
        "json",
        "-q",
    ],
}


def startup(repeats: int = 7) -> dict[str, float]:
    """Median wall time of each start-up command in fresh processes (after one warm-up)."""
    medians = {}
    for name, arguments in STARTUP_COMMANDS.items():
        subprocess.run([sys.executable, *arguments], capture_output=True, check=False)
        times = []
        for _ in range(repeats):
            begin = time.perf_counter()
            subprocess.run([sys.executable, *arguments], capture_output=True, check=False)
            times.append(time.perf_counter() - begin)
        medians[name] = sorted(times)[len(times) // 2]
    return medians


def baseline(folder: Path) -> dict:
    """The plain approach, step by step, each with a time budget."""
    timings: dict[str, float | str] = {}
    start = time.perf_counter()
    import networkx as nx
    import numpy as np
    import pandas as pd

    timings["import"] = time.perf_counter() - start

    def timed(name, function):
        begin = time.perf_counter()
        value = function()
        timings[name] = time.perf_counter() - begin
        return value

    firms, flows = timed(
        "pd.read_csv (defaults)",
        lambda: (pd.read_csv(folder / "firms.csv"), pd.read_csv(folder / "flows.csv")),
    )
    factors = {"t": 1.0, "MWh": 3.6, "GJ": 1.0, "m3": 1.0}
    flows["value"] = flows["quantity"] * flows["unit"].map(factors)
    flows["dimension"] = flows["unit"].map(
        {"t": "mass", "MWh": "energy", "GJ": "energy", "m3": "volume"}
    )
    boundary = set(firms.loc[firms["role"].isin(["market", "disposal", "environment"]), "id"])

    def build():
        graph = nx.MultiDiGraph()
        graph.add_nodes_from(firms["id"])
        graph.add_edges_from(
            (s, t, {"material": m, "category": c, "value": v, "dimension": d})
            for s, t, m, c, v, d in zip(
                flows["source"],
                flows["target"],
                flows["material"],
                flows["category"],
                flows["value"],
                flows["dimension"],
                strict=True,
            )
        )
        return graph

    graph = timed("networkx MultiDiGraph", build)
    actors = graph.subgraph([n for n in graph if n not in boundary])
    timed("networkx strong components", lambda: list(nx.strongly_connected_components(actors)))

    n = actors.number_of_nodes()
    if 3.8 * n * n * 8 > 12e9:
        timings["dense FCI (whole actor matrix)"] = f"out of memory (n = {n:,})"
    else:

        def dense_fci():
            nodes = list(actors)
            flow = nx.to_numpy_array(nx.DiGraph(actors), nodelist=nodes, weight=None)
            mass = flows[
                (flows["dimension"] == "mass")
                & flows["source"].isin(nodes)
                & flows["target"].isin(nodes)
            ]
            index = {node: i for i, node in enumerate(nodes)}
            flow[:] = 0
            np.add.at(
                flow,
                (mass["source"].map(index).to_numpy(), mass["target"].map(index).to_numpy()),
                mass["value"].fillna(0),
            )
            throughflow = np.maximum(flow.sum(0), flow.sum(1)) * 1.05 + 1e-12
            g = flow / throughflow[:, None]
            integral = np.linalg.inv(np.eye(n) - g)
            diagonal = np.diag(integral)
            return float(((diagonal - 1) / diagonal * throughflow).sum() / throughflow.sum())

        timed("dense FCI (whole actor matrix)", dense_fci)

    def cycles():
        begin = time.perf_counter()
        for count, _ in enumerate(nx.simple_cycles(nx.DiGraph(actors)), start=1):
            if time.perf_counter() - begin > BASELINE_BUDGET:
                return f"> {BASELINE_BUDGET:.0f} s ({count:,} cycles so far)"
        return time.perf_counter() - begin

    timings["nx.simple_cycles (unbounded)"] = cycles()

    def reuse():
        totals: dict[tuple[str, str], float] = {}
        for source, target, data in graph.edges(data=True):
            if source in boundary or data["category"] == "product":
                continue
            fate = "reused" if target not in boundary else "other"
            key = (data["dimension"], fate)
            totals[key] = totals.get(key, 0.0) + (
                data["value"] if data["value"] == data["value"] else 0.0
            )
        return totals

    timed("reuse share (Python loop over edges)", reuse)
    return {"timings": timings, "peak_mb": _peak_mb()}


# --------------------------------------------------------------------------- report


def _seconds(value) -> str:
    if isinstance(value, str):
        return value
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def _ratio(baseline: float | str, ours: float) -> str:
    if not isinstance(baseline, float) or ours <= 0:
        return "–"
    ratio = baseline / ours
    return f"{ratio:.0f}x" if ratio >= 10 else f"{ratio:.2g}x"


BASELINE_OF = {
    "read + validate": "pd.read_csv (defaults)",
    "flow matrices": "networkx MultiDiGraph",
    "section: cycling": "dense FCI (whole actor matrix)",
    "section: loops": "nx.simple_cycles (unbounded)",
    "section: reuse": "reuse share (Python loop over edges)",
}


def startup_markdown(medians: dict[str, float]) -> list[str]:
    bare = medians["bare import of pandas + scipy.sparse + networkx"]
    lines = [
        "",
        "## Start-up (median wall time of fresh processes)",
        "",
        "| command | wall time (s) | x bare import |",
        "|---|---:|---:|",
    ]
    for name, value in medians.items():
        lines.append(f"| `{name}` | {value:.3f} | {value / bare:.2f} |")
    return lines


def markdown(results: dict, cores: list[dict], medians: dict[str, float] | None = None) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, with `python benchmarks/run.py` (synthetic networks "
        "from `benchmarks/generate.py`, seed 1; every figure from a fresh process). Times in "
        "seconds.",
        "",
        "## Whole `symbiosis analyze PATH -f json` (fresh processes, all passes, loops bounded)",
        "",
        "Median wall time of the runs, largest peak memory of any of them.",
        "",
        "| network (flows) | firms | largest core | runs | wall time (s) | peak memory (MB) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for label, result in results.items():
        s, w = result["stages"], result["whole"]
        lines.append(
            f"| {label} | {s['firms']:,} | {s['largest_core'] or 0:,} | {w.get('runs', 1)} | "
            f"{_seconds(w['wall'])} | {w['peak_mb']:.0f} |"
        )
    lines += [
        "",
        "## Stages",
        "",
        "Each stage timed separately in one fresh process; *baseline* is the same work done "
        "the plain way (see `benchmarks/run.py`), *ratio* = baseline / symbiosis.",
        "",
    ]
    labels = list(results)
    header = "| stage | " + " | ".join(f"{label}" for label in labels) + " |"
    lines += [header, "|---|" + "---:|" * len(labels)]
    names = list(next(iter(results.values()))["stages"]["timings"])
    for name in names:
        row = [
            _seconds(results[label]["stages"]["timings"].get(name, float("nan")))
            for label in labels
        ]
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    if any("baseline" in r for r in results.values()):
        lines += [
            "",
            "### Against the plain approach",
            "",
            "| stage | flows | symbiosis (s) | baseline (s) | ratio |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, result in results.items():
            if "baseline" not in result:
                continue
            ours, theirs = result["stages"]["timings"], result["baseline"]["timings"]
            for stage, plain in BASELINE_OF.items():
                mine, other = ours.get(stage), theirs.get(plain)
                if mine is None or other is None:
                    continue
                ratio = _ratio(other, mine)
                lines.append(
                    f"| {stage} vs {plain} | {label} | {_seconds(mine)} | "
                    f"{_seconds(other)} | {ratio} |"
                )
            lines.append(
                f"| peak memory (MB) | {label} | {result['stages']['peak_mb']:.0f} | "
                f"{result['baseline']['peak_mb']:.0f} | |"
            )
    if medians:
        lines += startup_markdown(medians)
    if cores:
        lines += [
            "",
            f"## Cost follows the largest core ({CURVE_FLOWS:,} flows, one forced core)",
            "",
            "| forced core size | largest core | cycling pass (s) | loops pass (s) | "
            "whole analyze (s) | peak memory (MB) |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for entry in cores:
            t = entry["stages"]["timings"]
            lines.append(
                f"| {entry['core_size']:,} | {entry['stages']['largest_core'] or 0:,} | "
                f"{_seconds(t.get('section: cycling', 0))} | "
                f"{_seconds(t.get('section: loops', 0))} | "
                f"{_seconds(entry['whole']['wall'])} | {entry['whole']['peak_mb']:.0f} |"
            )
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- generated by benchmarks/run.py -->", "<!-- end of generated -->"


def _merge(path: Path, generated: str) -> str:
    """The new tables between the markers of an existing file (text around them is kept)."""
    block = f"{BEGIN}\n{generated}{END}\n"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in old and END in old:
        return old[: old.index(BEGIN)] + block + old[old.index(END) + len(END) + 1 :]
    return block


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="e.g. 1k,10k,100k,1M")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-cores", action="store_true", help="skip the core-size curve")
    parser.add_argument("--stages", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--baseline", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stages:
        print(json.dumps(stages(args.stages)))
        return
    if args.baseline:  # the plain way, in a process set up as the stages' is
        __import__("symbiosis").tune_process()
        print(json.dumps(baseline(args.baseline)))
        return
    compile_package()
    results, cores = {}, []
    runs = [(label, SIZES[label], dataset(SIZES[label])) for label in args.sizes.split(",")]
    if "1M" in args.sizes.split(",") and not args.no_cores:
        runs.append(("1M, 4 cores of ~7,800", 1_000_000, dataset(1_000_000, park_size=None)))
    whole(runs[0][2])  # warm-up: the first process after compiling reads every library cold
    for label, n_flows, folder in runs:
        entry = {"stages": _child("stages", folder), "whole": whole(folder, _repeats(n_flows))}
        if not args.no_baseline:
            entry["baseline"] = _child("baseline", folder)
        results[label] = entry
        print(
            f"{label}: analyze {entry['whole']['wall']:.2f} s, {entry['whole']['peak_mb']:.0f} MB",
            file=sys.stderr,
        )
    if not args.no_cores:
        for core_size in CORE_SIZES:
            folder = dataset(CURVE_FLOWS, core_size=core_size)
            cores.append(
                {
                    "core_size": core_size,
                    "stages": _child("stages", folder),
                    "whole": whole(folder, _repeats(CURVE_FLOWS)),
                }
            )
            print(f"core {core_size}: analyze {cores[-1]['whole']['wall']:.2f} s", file=sys.stderr)
    medians = startup()
    print(f"start-up: {medians}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(_merge(args.out, markdown(results, cores, medians)), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
