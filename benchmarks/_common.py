"""Helpers shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent


def generator():
    """The synthetic network generator (``generate.py``), loaded by path: the benchmarks
    folder is not an installed package."""
    spec = importlib.util.spec_from_file_location("symbiosis_bench_generate", HERE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def cell(value: object) -> str:
    """A table cell: thousands separators for counts, three decimals for seconds."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:.3f}"


def markdown(
    rows: list[dict], *, header: bool = True, format_cell: Callable[[object], str] = cell
) -> str:
    """Rows (dicts with the same keys) as a Markdown table."""
    columns = list(rows[0])
    lines = []
    if header:
        lines.append("| " + " | ".join(columns) + " |")
        lines.append("|" + "---|" * len(columns))
    lines += ["| " + " | ".join(format_cell(row[c]) for c in columns) + " |" for row in rows]
    return "\n".join(lines)


def compile_package(src: Path | None = None) -> None:
    """Write the package's bytecode (.pyc) before timing, as ``pip install`` does: with
    PYTHONDONTWRITEBYTECODE set (developers often set it) or an editable install, every
    fresh process would otherwise compile the sources again (~0.3 s on Tongling; 0.13 s
    of a million flows' ``analyze`` measured against a fresh checkout without them).
    ``src``: another checkout's ``src`` folder (default: the package imported here)."""
    import compileall

    if src is None:
        import symbiosis

        package = Path(symbiosis.__file__).parent
    else:
        package = src / "symbiosis"
    compileall.compile_dir(package, quiet=1)
