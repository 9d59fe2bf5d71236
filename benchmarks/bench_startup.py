"""Start-up time of the command line: ``--version``, ``--help`` and each command's ``--help``.

::

    python benchmarks/bench_startup.py                   # every command, 15 runs each
    python benchmarks/bench_startup.py --runs 30 --commands analyze,loops

Each line is run ``--runs`` times in a fresh process after one warm-up run (hyperfine's
method); the table gives the median and the minimum wall-clock milliseconds, the median CPU
milliseconds of the child (user + system), the ratio of the median to a bare
``python -c pass``, and whether the median meets the budget (issue 12: 250 ms). The machine's
load average is printed under the table: on a busy machine, read the minimum and the CPU
time. Standalone: needs only the installed ``symbiosis``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _common import compile_package

BUDGET_MS = 250.0
COMMANDS = (
    "validate",
    "analyze",
    "loops",
    "reuse",
    "balance",
    "structure",
    "opportunities",
    "scenario",
    "shock",
    "criticality",
    "export",
    "report",
)


def entry_point() -> list[str]:
    """The ``symbiosis`` console script beside this Python, else ``python -m symbiosis``."""
    script = Path(sys.executable).parent / "symbiosis"
    return [str(script)] if script.exists() else [sys.executable, "-m", "symbiosis"]


def run_once(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU milliseconds of one run of ``argv`` (output discarded)."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {process.returncode}")
    return 1000 * wall, 1000 * (usage.ru_utime + usage.ru_stime)


def measure(argv: list[str], runs: int) -> dict[str, float]:
    run_once(argv)  # warm-up: file-system caches, .pyc files
    walls, cpus = zip(*(run_once(argv) for _ in range(runs)), strict=True)
    return {
        "median": statistics.median(walls),
        "min": min(walls),
        "cpu": statistics.median(cpus),
    }


def table(rows: list[tuple[str, dict[str, float]]], bare: float) -> str:
    lines = [
        "| command | median wall (ms) | min wall (ms) | median CPU (ms) | x bare python "
        f"| <= {BUDGET_MS:.0f} ms |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for label, figures in rows:
        within = "yes" if figures["median"] <= BUDGET_MS else "no"
        lines.append(
            f"| `{label}` | {figures['median']:.0f} | {figures['min']:.0f} | "
            f"{figures['cpu']:.0f} | {figures['median'] / bare:.1f} | {within} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs per line (default 15)")
    parser.add_argument(
        "--commands",
        default=",".join(COMMANDS),
        help="commands whose --help is timed, comma-separated (default: all)",
    )
    args = parser.parse_args()
    compile_package()
    symbiosis = entry_point()
    lines = [
        ("python -c pass", [sys.executable, "-c", "pass"]),
        ("python -c 'import typer'", [sys.executable, "-c", "import typer"]),
        ("symbiosis --version", [*symbiosis, "--version"]),
        ("symbiosis --help", [*symbiosis, "--help"]),
    ]
    for command in filter(None, args.commands.split(",")):
        lines.append((f"symbiosis {command} --help", [*symbiosis, command, "--help"]))
    rows = []
    for label, argv in lines:
        rows.append((label, measure(argv, args.runs)))
        print(f"  {label}: {rows[-1][1]['median']:.0f} ms", file=sys.stderr)
    bare = rows[0][1]["median"]
    print(table(rows, bare))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\n{args.runs} runs per line; load average {load}; {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
