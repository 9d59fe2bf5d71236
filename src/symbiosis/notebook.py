"""symbiosis in Jupyter: rich HTML views of networks, reports and results, inline
interactive views, progress, and data warnings through :mod:`warnings`.

::

    import symbiosis
    import symbiosis.notebook as nb     # or: %load_ext symbiosis.notebook

    network = nb.load("examples/tongling")   # symbiosis.load + a SymbiosisWarning per warning
    network                                  # a summary card
    report = nb.analyze(network)             # symbiosis.analyze with a progress line
    report                                   # the headline, then collapsible sections
    report.reuse                             # a section: its tables
    nb.show(network)                         # the interactive network, inline
    nb.show_sankey(network)                  # the Sankey diagrams, inline

Why a module of its own: the model, the analyses and the report must not import the
HTML builders of :mod:`symbiosis.export` (the layer rules, tests/test_layers.py), so
their classes carry no ``_repr_html_``. Instead, this module registers the builders of
:mod:`symbiosis.export.notebook` with IPython's HTML formatter, *by class name*
(``for_type_by_name``): nothing is imported until an object is displayed, and the
registration is undone by IPython's own API if unwanted. Importing this module in an
IPython session registers them; :func:`register` does it for a given shell.
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Callable, Iterable
from typing import Any

from .errors import SymbiosisWarning

__all__ = [
    "FORMATTED",
    "SymbiosisWarning",
    "analyze",
    "html",
    "load",
    "load_ipython_extension",
    "register",
    "show",
    "show_sankey",
    "warn",
]

#: (module, class, section): the classes shown as HTML; ``section`` names the report
#: section a result belongs to ("" for the network and the report themselves, and for a
#: section read back from JSON, which holds its name).
FORMATTED: tuple[tuple[str, str, str], ...] = (
    ("symbiosis.model", "FlowNetwork", ""),
    ("symbiosis.report", "Report", ""),
    ("symbiosis.report", "RecordedSection", ""),
    ("symbiosis.summary", "NetworkSummary", "summary"),
    ("symbiosis.analysis.reuse", "ReuseAccounts", "reuse"),
    ("symbiosis.analysis.balance", "FirmBalances", "balance"),
    ("symbiosis.analysis.structure", "StructureIndicators", "structure"),
    ("symbiosis.analysis.opportunities.result", "Opportunities", "opportunities"),
    ("symbiosis.analysis.cycling", "CyclingResult", "cycling"),
    ("symbiosis.analysis.loop_results", "LoopSearch", "loops"),
)


def html(obj: Any) -> str:
    """The notebook HTML of ``obj``: a FlowNetwork's summary card, a Report's headline
    and sections, a section result's tables; a report read back from JSON
    (``Report.from_dict``) and its sections from their recorded data. Raises TypeError
    for anything else."""
    from .export import notebook as views

    name = type(obj).__name__
    if name == "FlowNetwork":
        return views.network_card_html(obj)
    if name == "Report":
        return views.report_block_html(obj)
    if name == "RecordedSection":
        return views.section_block_html(obj.name, obj)
    for _, class_name, section in FORMATTED:
        if class_name == name and section:
            return views.section_block_html(section, obj)
    raise TypeError(f"no notebook view of {name}")


def register(shell: Any = None) -> bool:
    """Register :func:`html` as the ``text/html`` view of every class of
    :data:`FORMATTED` in ``shell`` (default: the running IPython, if any). Returns
    whether a shell was found. O(classes)."""
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None:
        return False
    formatter = shell.display_formatter.formatters["text/html"]
    for module, class_name, _ in FORMATTED:
        formatter.for_type_by_name(module, class_name, html)
    return True


def load_ipython_extension(shell: Any) -> None:
    """``%load_ext symbiosis.notebook``."""
    register(shell)


def _display(markup: str) -> Any:
    """An IPython HTML object when IPython is there, else the HTML text."""
    try:
        from IPython.display import HTML
    except ImportError:
        return markup
    return HTML(markup)


def show(network: Any, report: Any = None, **options: Any) -> Any:
    """The interactive network view of ``network`` inline (a sandboxed, offline page;
    ``report`` marks the arcs of its loops; ``options`` as for
    :func:`~symbiosis.export.network_html.network_html`). Returns an IPython HTML object
    (the HTML text without IPython). O(firms + flows) plus the layout."""
    from .export.notebook import network_view_html

    if type(network).__name__ != "FlowNetwork":
        raise TypeError(
            f"show() draws a FlowNetwork, not a {type(network).__name__}; "
            "for a report's network, pass the network and the report: show(network, report)"
        )
    return _display(network_view_html(network, report, **options))


def show_sankey(network: Any) -> Any:
    """The Sankey diagrams of ``network`` (one per dimension, with the report's colours
    and tabs) inline, offline. Returns an IPython HTML object (the text without
    IPython). O(flows) plus the layout."""
    from .export.notebook import sankey_view_html

    return _display(sankey_view_html(network))


def warn(messages: Iterable[str], *, stacklevel: int = 3) -> None:
    """Each data warning as a :class:`SymbiosisWarning` through :func:`warnings.warn`
    (Python's filters then apply: shown once per place by default, hidden with
    ``warnings.simplefilter("ignore", SymbiosisWarning)``, errors with ``"error"``)."""
    for message in messages:
        _warnings.warn(message, SymbiosisWarning, stacklevel=stacklevel)


def load(*args: Any, **kwargs: Any) -> Any:
    """:func:`symbiosis.load` (which issues its data warnings as
    :class:`SymbiosisWarning`; they stay in ``network.warnings``), kept here so that a
    notebook can use ``nb.`` throughout. O(rows)."""
    from .io import _load as read

    network = read(*args, **kwargs)
    warn(network.warnings)  # issued here: the warning points at the notebook's cell
    return network


def analyze(network: Any, *, progress: bool = True, **options: Any) -> Any:
    """:func:`symbiosis.analyze` with a progress line updated in place in the notebook
    (the section being computed, k of n), removed when done. Same cost as the analysis."""
    from .report import analyze as run
    from .report import planned_sections

    chosen = options.pop("sections", None)
    step = None
    if progress:  # its length: the sections that run (the analysis checks them again)
        step = _progress_line(len(planned_sections(network, sections=chosen, **options)))
    try:
        return run(network, sections=chosen, progress=step, **options)
    finally:
        if step is not None:
            step.done()


class _ProgressLine:
    """One output line, updated in place: ``analysing: loops (7 of 7)``."""

    def __init__(self, total: int, handle: Any, make: Callable[[str], Any]) -> None:
        self.total, self.count, self.handle, self.make = total, 0, handle, make

    def __call__(self, section: str) -> None:
        self.count += 1
        self.handle.update(self.make(f"analysing: {section} ({self.count} of {self.total})"))

    def done(self) -> None:
        self.handle.update(self.make(""))


def _progress_line(total: int) -> _ProgressLine | None:
    try:
        from IPython import get_ipython
        from IPython.display import Pretty, display
    except ImportError:
        return None
    if get_ipython() is None:
        return None
    handle = display(Pretty("analysing ..."), display_id=True)
    return None if handle is None else _ProgressLine(total, handle, Pretty)


register()  # in an IPython session: the views of every class above
