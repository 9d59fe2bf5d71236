"""Compare the speed of two checkouts on one network: their runs taken in turn.

::

    python benchmarks/ab.py benchmarks/data/1000000-parks300 --against HEAD~1   # 8 + 8 runs
    python benchmarks/ab.py examples/tongling --against /tmp/old/src --runs 12
    python benchmarks/ab.py NETWORK --against main --command "opportunities -f csv"

On a shared machine identical runs range by 20-50 % within an hour (docs/benchmarks.md), so
figures taken at different times do not compare; runs of two sides taken in turn do. Each run
is ``python -m symbiosis COMMAND NETWORK -q`` in a fresh process, the two sides alternated
(and which goes first, too), after a run of each that is not counted, both sides with their
bytecode written first: where ``PYTHONDONTWRITEBYTECODE`` is set, a checkout without it
compiles every module in every run (0.13 s of ``analyze`` at a million flows).

``--against`` is a git revision of this repository (checked out into a temporary worktree,
removed afterwards) or another checkout's ``src`` folder. The other side is the checkout this
script is in. Prints, per side, the median and the range of the wall times, the median CPU
time (user + system), the largest peak memory and the median page faults of the runs, and
whether the two sides wrote the same bytes on standard output (exit code 1 when not, or when
a run failed).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from _common import compile_package, markdown

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Run:
    """One fresh process: wall and CPU time (s), peak memory (MB), page faults, exit code
    and the digest of what it wrote on standard output."""

    wall: float
    cpu: float
    peak_mb: int
    faults: int
    code: int
    output: str


def run(src: Path, args: list[str]) -> Run:
    """``python -m symbiosis ARGS -q`` with ``src`` first on the path, measured alone
    (``os.wait4``: this child's own resource use)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-m", "symbiosis", *args, "-q"], env=env,
                                 stdout=out, stderr=subprocess.DEVNULL)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)  # reaped here
        out.seek(0)
        digest = hashlib.file_digest(out, "sha256").hexdigest()
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024,
               usage.ru_minflt + usage.ru_majflt, code, digest)  # fmt: skip


@contextlib.contextmanager
def other_side(against: str) -> Iterator[Path]:
    """The ``src`` folder of ``against``: a checkout's own, or a revision's, checked out for
    the duration into a temporary worktree."""
    folder = Path(against)
    if (folder / "symbiosis").is_dir():
        yield folder.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="symbiosis-ab-") as scratch:
        tree = Path(scratch) / "tree"
        git = ["git", "-C", str(ROOT)]
        added = subprocess.run([*git, "worktree", "add", "--detach", "--quiet", str(tree),
                                against], capture_output=True, text=True)  # fmt: skip
        if added.returncode:
            raise SystemExit(f"--against {against}: neither a src folder nor a revision git "
                             f"can check out ({added.stderr.strip()})")  # fmt: skip
        try:
            yield tree / "src"
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(tree)], check=False)


def interleaved(
    sides: dict[str, Path], args: list[str], runs: int, warmup: int = 1
) -> dict[str, list[Run]]:
    """``runs`` runs of each side, taken in turn; the side that goes first alternates.
    ``warmup`` runs of each side before, not counted (a fresh worktree's files are not in
    the page cache yet)."""
    names = list(sides)
    for _ in range(warmup):
        for name in names:
            run(sides[name], args)
    found: dict[str, list[Run]] = {name: [] for name in names}
    for i in range(runs):
        for name in names if i % 2 == 0 else names[::-1]:
            found[name].append(run(sides[name], args))
            print(f"  {name} run {i + 1}: {found[name][-1].wall:.3f} s", file=sys.stderr)
    return found


def summary(found: dict[str, list[Run]]) -> list[dict[str, object]]:
    """One row per side: the medians and ranges the module docstring lists."""
    return [
        {
            "side": name,
            "runs": len(runs),
            "wall time (s)": statistics.median(r.wall for r in runs),
            "range (s)": f"{min(r.wall for r in runs):.3f}-{max(r.wall for r in runs):.3f}",
            "CPU time (s)": statistics.median(r.cpu for r in runs),
            "peak memory (MB)": max(r.peak_mb for r in runs),
            "page faults": int(statistics.median(r.faults for r in runs)),
        }
        for name, runs in found.items()
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("network", help="a network folder or flows file")
    parser.add_argument("--against", required=True,
                        help="a git revision, or another checkout's src folder")  # fmt: skip
    parser.add_argument("--runs", type=int, default=8, help="runs of each side (default 8)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="runs of each side first, not counted (default 1)")  # fmt: skip
    parser.add_argument("--command", default="analyze -f json",
                        help='the command and its options (default "analyze -f json")')  # fmt: skip
    options = parser.parse_args(argv)
    if options.runs < 1 or options.warmup < 0:
        parser.error("--runs must be at least 1, --warmup at least 0")
    command = shlex.split(options.command)
    args = [command[0], options.network, *command[1:]]
    with other_side(options.against) as against:
        sides = {options.against: against, "this checkout": ROOT / "src"}
        for src in sides.values():
            compile_package(src)
        found = interleaved(sides, args, options.runs, options.warmup)
    print(markdown(summary(found)))
    codes = {r.code for runs in found.values() for r in runs}
    outputs = {r.output for runs in found.values() for r in runs}
    if codes != {0}:
        print(f"exit codes: {sorted(codes)}: a run failed; see the command alone")
    print("outputs: byte-identical" if len(outputs) == 1 else "outputs: DIFFER")
    return 0 if codes == {0} and len(outputs) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
