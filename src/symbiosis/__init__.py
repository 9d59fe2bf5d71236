"""symbiosis: an industrial-symbiosis network analyzer.

Load a network of firms and flows, then ask where material goes round, how much waste
is reused, and which disposed streams could feed another firm::

    import symbiosis
    network = symbiosis.load("examples/tongling")
    report = symbiosis.analyze(network)
    report.to_dict()
"""

import sys as _sys
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import (
    AnalysisError,
    InputError,
    OutputError,
    Problem,
    SymbiosisError,
    SymbiosisWarning,
)

# In IPython and Jupyter, networks, reports and results display as HTML: symbiosis.notebook
# registers its views with the running shell by class name (cheap: nothing more is
# imported until an object is shown). Outside IPython, nothing happens.
if "IPython" in _sys.modules:
    from . import notebook as _notebook  # noqa: F401

if TYPE_CHECKING:  # what the lazy names below are, for type checkers (PEP 562 hides them)
    from ._memory import tune_process
    from .analysis.years import select_year
    from .io import from_frames, load
    from .model import FlowNetwork
    from .report import Options, Report, analyze

# The rest loads on first use (PEP 562): `symbiosis --help` and a Ctrl-C at start-up stay
# cheap, and `import symbiosis` does not pull in pandas, scipy and every analysis at once.
_LAZY = {
    "load": "io",
    "from_frames": "io",
    "FlowNetwork": "io",  # through io, which FlowNetwork.from_graph and with_flows need
    "Options": "report",
    "Report": "report",
    "analyze": "report",
    "tune_process": "_memory",
    "select_year": "analysis.years",
}


_SUBMODULES = {
    "analysis",
    "catalogue",
    "cli",
    "edits",
    "examples",
    "export",
    "io",
    "model",
    "report",
    "scenarios",
    "units",
    "vocabulary",
}


def __getattr__(name: str) -> Any:
    """The lazy names (:data:`_LAZY`) and submodules, loaded on first use. O(1) after
    the first."""
    from importlib import import_module

    value: Any
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'symbiosis' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names, for ``dir(symbiosis)`` and completion."""
    return sorted(__all__)


__all__ = [
    "AnalysisError",
    "FlowNetwork",
    "InputError",
    "Options",
    "OutputError",
    "Problem",
    "Report",
    "SymbiosisError",
    "SymbiosisWarning",
    "__version__",
    "analyze",
    "from_frames",
    "load",
    "select_year",
    "tune_process",
]
