"""The option checks shared by the export functions, noted on one
:class:`~symbiosis.arguments.Arguments` per call (see :mod:`symbiosis.arguments`).

:func:`note_view_options` checks the keyword options of
:func:`~symbiosis.export.network_html.network_html` (also when they come as the
``network_options`` of :func:`~symbiosis.export.report_html.report_html`, named
``network_options['max_nodes']``); :func:`note_report` checks a ``report`` argument.
O(1) per argument.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..arguments import Arguments, short_repr
from ..units import DIMENSIONS
from .network_map import check_basemap

__all__ = ["VIEW_OPTIONS", "note_network_options", "note_report", "note_title", "note_view_options"]


def note_title(arguments: Arguments, name: str, value: Any) -> None:
    """A page title: text, or None (the default title)."""
    arguments.instance(name, value, str, what="text")


def note_report(arguments: Arguments, value: Any, *, sections: bool = False) -> None:
    """``report``: a :class:`~symbiosis.report.Report` (anything with a ``sections``
    mapping, e.g. from ``Report.from_dict``) or None; with ``sections``, also a mapping of
    a report's sections (``report.sections``)."""
    if value is None or isinstance(getattr(value, "sections", None), Mapping):
        return
    if sections and isinstance(value, Mapping):
        return
    shown = short_repr(value)
    kinds = "a Report (from symbiosis.analyze)" + (
        ", a mapping of its sections" if sections else ""
    )
    arguments.add(f"report must be {kinds} or None (got {type(value).__name__} {shown})")


#: Each keyword option of network_html and its check.
_VIEW_CHECKS: dict[str, Callable[[Arguments, str, Any], Any]] = {
    "color_by": lambda a, name, v: a.choice(name, v, ("role", "sector")),
    "dimension": lambda a, name, v: a.choice(name, v, DIMENSIONS, none=True),
    "title": note_title,
    "physics_max_nodes": lambda a, name, v: a.whole(name, v, minimum=1),
    "max_nodes": lambda a, name, v: a.whole(name, v, minimum=1),
    "max_flows": lambda a, name, v: a.whole(name, v, minimum=1),
    "seed": lambda a, name, v: a.whole(name, v, minimum=0),
    "basemap": lambda a, name, v: check_basemap(v, a, name=name),
}
#: The keyword options of network_html.
VIEW_OPTIONS: tuple[str, ...] = tuple(_VIEW_CHECKS)


def note_view_options(
    arguments: Arguments, options: Mapping[str, Any], prefix: str = ""
) -> dict[str, Any]:
    """Check each of network_html's keyword options given in ``options`` (unknown keys are
    left to the caller); with ``prefix``, each is named ``prefix['key']``. Returns them as
    they are to be used (a numpy integer as an int), None where wrong."""
    return {
        key: check(arguments, f"{prefix}[{key!r}]" if prefix else key, options[key])
        for key, check in _VIEW_CHECKS.items()
        if key in options
    }


def note_network_options(arguments: Arguments, options: Any) -> None:
    """``network_options`` of report_html: None, or a mapping of network_html's keyword
    options, each checked as network_html checks it; unknown keys are named."""
    if not isinstance(options, Mapping):  # None passes
        arguments.instance("network_options", options, Mapping, what="a mapping of options")
        return
    for key in options:
        if key not in _VIEW_CHECKS:
            arguments.choice("network_options key", key, VIEW_OPTIONS)
    note_view_options(arguments, options, "network_options")
