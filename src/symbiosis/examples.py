"""Bundled example networks, shipped inside the package (see ``examples/`` in the source).

>>> network = load_example("tongling")  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from .errors import InputError

__all__ = ["available_examples", "example_path", "load_example"]


def _root():
    try:
        return resources.files("symbiosis._examples")
    except ModuleNotFoundError:  # an editable install: use the source tree's examples/
        return Path(__file__).resolve().parents[2] / "examples"


def available_examples() -> list[str]:
    """Names of the bundled examples."""
    return sorted(p.name for p in _root().iterdir() if p.is_dir() and (p / "flows.csv").is_file())


def example_path(name: str = "tongling") -> Path:
    """The folder of a bundled example (firms.csv, flows.csv, README.md)."""
    if name not in available_examples():
        raise InputError(
            f"no bundled example '{name}'; available: {', '.join(available_examples())}"
        )
    return Path(str(_root() / name))


def load_example(name: str = "tongling"):
    """Load a bundled example network."""
    from .io import load

    return load(example_path(name))
