"""Time whole commands on million-flow networks of other shapes than the main benchmark's.

::

    python benchmarks/bench_shapes.py                       # 1M flows, 3 runs per command
    python benchmarks/bench_shapes.py --flows 100k --repeat 1
    python benchmarks/bench_shapes.py --src /tmp/old/src    # the same with another checkout

The main benchmark (``run.py``) times one shape: a register of parks with coordinates and one
year. Networks we did not build come in others, and each shape takes other code paths. From
the seeded parks network of ``generate.py`` this script derives, into
``benchmarks/data/shapes-<flows>/``:

``no-coordinates``
    the firms without ``lat`` and ``lon`` (many registers have none): receivers are then
    chosen by size, so they are hubs, and the loops a new link closes are long.
``five-years``
    a ``year`` column, 2019-2023 drawn at random per flow (seeded): the trends section
    analyses five networks of 200,000 flows, and almost every link changes between years.
``other-materials``
    each material name split into 60 grades (``slag grade 7``): some 4,900 materials, most
    unknown to the catalogue.

and times, each command in a fresh process (median wall time, largest peak memory of the
runs): ``analyze -f json`` on the parks network and on each shape; ``reconcile`` (flows without
an uncertainty are exact, so the generated balances cannot close: every contradicting set is
reported, exit code 2); ``criticality``; ``shock`` of one firm; ``compare`` of the parks
network with ``other-materials`` (every flow differs), as JSON.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import compile_package, generator, markdown

HERE = Path(__file__).resolve().parent
YEARS = (2019, 2024)  # drawn in [2019, 2024)
GRADES = 60


def parks_network(n_flows: int) -> Path:
    """The parks network of ``run.py`` (generated once into benchmarks/data/)."""
    folder = HERE / "data" / f"{n_flows}-parks300"
    if not (folder / "flows.csv").is_file():
        generator().generate(n_flows, seed=1, out_dir=folder, park_size=300)
    return folder


def shapes(source: Path, n_flows: int) -> dict[str, Path]:
    """The derived networks (written once, beside the source's data)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    out = HERE / "data" / f"shapes-{n_flows}"
    folders = {name: out / name for name in ("no-coordinates", "five-years", "other-materials")}
    if all((f / "flows.csv").is_file() for f in folders.values()):
        return folders
    firms = pcsv.read_csv(source / "firms.csv")
    flows = pcsv.read_csv(source / "flows.csv")
    rng = np.random.default_rng(1)
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    kept = [c for c in firms.column_names if c not in ("lat", "lon")]
    pcsv.write_csv(firms.select(kept), folders["no-coordinates"] / "firms.csv")
    pcsv.write_csv(flows, folders["no-coordinates"] / "flows.csv")
    years = pa.array(rng.integers(*YEARS, len(flows)))
    pcsv.write_csv(flows.append_column("year", years), folders["five-years"] / "flows.csv")
    pcsv.write_csv(firms, folders["five-years"] / "firms.csv")
    grade = pa.array(rng.integers(0, GRADES, len(flows)).astype(str))
    material = pc.binary_join_element_wise(flows["material"], grade, " grade ")
    at = flows.column_names.index("material")
    pcsv.write_csv(flows.set_column(at, "material", material),
                   folders["other-materials"] / "flows.csv")  # fmt: skip
    pcsv.write_csv(firms, folders["other-materials"] / "firms.csv")
    return folders


def timed(args: list[str], src: Path | None) -> tuple[float, int, int]:
    """Wall time (s), peak memory (MB) and exit code of ``python -m symbiosis ARGS -q``,
    the peak that of this child alone (``os.wait4``)."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "symbiosis", *args, "-q"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = code = os.waitstatus_to_exitcode(status)  # reaped here
    return wall, usage.ru_maxrss // 1024, code


def first_firm(folder: Path) -> str:
    """The id of the first firm (role ``firm``) of a network's firms table."""
    import pyarrow.csv as pcsv

    firms = pcsv.read_csv(folder / "firms.csv").to_pydict()
    return next(i for i, role in zip(firms["id"], firms["role"], strict=True) if role == "firm")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", default="1M", help="1M (default), 100k, ...")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--src", type=Path, help="another checkout's src folder to time")
    args = parser.parse_args(argv)
    compile_package(args.src)  # both checkouts timed with their bytecode written
    n_flows = generator().parse_count(args.flows)
    parks = parks_network(n_flows)
    derived = shapes(parks, n_flows)
    firm = first_firm(parks)
    derived_networks = {name: ["analyze", str(f), "-f", "json"] for name, f in derived.items()}
    commands = {
        "analyze: parks": ["analyze", str(parks), "-f", "json"],
        **{f"analyze: {name}": command for name, command in derived_networks.items()},
        "reconcile (exact flows: every contradiction listed)": ["reconcile", str(parks)],
        "criticality": ["criticality", str(parks)],
        "shock of one firm (-100 %)": ["shock", str(parks), "--firm", firm, "--change", "-1"],
        "compare parks other-materials -f json": [
            "compare",
            str(parks),
            str(derived["other-materials"]),
            "-f",
            "json",
        ],
    }
    rows = []
    for label, command in commands.items():
        runs = [timed(command, args.src) for _ in range(args.repeat)]
        rows.append(
            {
                "command": label,
                "runs": len(runs),
                "wall time (s)": statistics.median(r[0] for r in runs),
                "peak memory (MB)": max(r[1] for r in runs),
                "exit code": runs[0][2],
            }
        )
        print(markdown(rows[-1:], header=len(rows) == 1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
