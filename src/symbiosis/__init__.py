"""symbiosis: an industrial-symbiosis network analyzer.

Load a network of firms and flows, then ask where material goes round, how much waste
is reused, and which disposed streams could feed another firm::

    import symbiosis
    network = symbiosis.load("examples/tongling")
    report = symbiosis.analyze(network)
    report.to_dict()
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("symbiosis")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

from .errors import AnalysisError, InputError, OutputError, Problem, SymbiosisError
from .io import load
from .model import FlowNetwork
from .report import Options, Report, analyze

__all__ = [
    "AnalysisError",
    "FlowNetwork",
    "InputError",
    "Options",
    "OutputError",
    "Problem",
    "Report",
    "SymbiosisError",
    "__version__",
    "analyze",
    "load",
]
