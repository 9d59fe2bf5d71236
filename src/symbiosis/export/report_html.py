"""The analysis report as one self-contained, offline HTML file.

:func:`report_html` lays out a :class:`~symbiosis.report.Report` for people:

* the headline indicators per dimension (tonnes, gigajoules and cubic metres side by
  side, never added together), gathered from whichever sections the report has;
* a Sankey view of the main chains of each dimension (an acyclic projection: loops are
  drawn as return arcs, see :mod:`symbiosis.export.sankey`), as inline SVG;
* the interactive network (:mod:`symbiosis.export.network_html`) in a sandboxed frame;
* every section of the report: the known ones (summary, loops, ...) with their own
  layout, any other one generically from its ``to_dict()`` (scalars as a key/value
  table, per-dimension dicts as a table with one column per dimension, lists of records
  as tables) or, failing that, its ``to_frame()``.

Tables sort on a click (a few lines of inline script); numbers carry their units with a
readable prefix (``15.0 Mt/yr``, ``36.0 PJ/yr``), shares are percentages. The page loads
nothing from the network (a Content-Security-Policy forbids it) and every name from the
input files is escaped text.

The exporter computes no metric: every number comes from the report or the network's
own queries. A section renderer can be added to :data:`HTML_RENDERERS`.

Modules: :mod:`.report_headline` (headline), :mod:`.report_sections` (section layouts),
:mod:`.report_tables` (tables and cells), :mod:`.sankey` (main flows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..arguments import Arguments
from ..jsonable import gc_paused
from ..model import FlowNetwork, require_network
from ..summary import NetworkSummary
from ._arguments import note_network_options, note_report, note_title
from .files import write_text_atomic
from .markup import asset, esc, esc_page, head_meta, quantities_over, short_label
from .network_data import id_positions
from .network_html import default_title, network_html
from .palette import CATEGORY_COLORS
from .report_headline import _DICTS, headline_html, report_warnings, section_dict
from .report_sections import (
    render_generic,
    render_loops,
    render_opportunities,
    render_summary,
    warnings_list,
)
from .report_tables import FOLD_ROWS, MAX_ROWS, QUANTITY_KEYS, SHARE_KEYS, records_table
from .report_trends import render_trends  # a section of networks with several years
from .report_uncertainty import render_uncertainty  # when samples were asked for
from .sankey import sankey, sankey_caption, sankey_svg

__all__ = [
    "FOLD_ROWS",
    "HTML_RENDERERS",
    "MAX_ROWS",
    "QUANTITY_KEYS",
    "SHARE_KEYS",
    "Context",
    "records_table",
    "report_html",
    "section_dict",
    "write_report_html",
]

SECTION_TITLES = {
    "summary": "Network summary",
    "cycling": "Cycling",
    "loops": "Loops and symbiosis cores",
    "reuse": "Waste and by-product reuse",
    "balance": "Firm balances",
    "structure": "Resource-city structure",
    "opportunities": "Opportunities",
    "trends": "Trends by year",
    "uncertainty": "Uncertainty",
}


@dataclass(frozen=True)
class Context:
    """What section renderers may need besides their result."""

    network: FlowNetwork
    names: Mapping[str, str]
    units: Mapping[str, str]
    # the dimensions without one flow of known size: their sums are 0 for want of sizes
    unsized: frozenset[str] = frozenset()

    def short(self, firm: str) -> str:
        """A firm's name without its parenthesis (the id when unknown)."""
        return short_label(self.names.get(firm, firm), 60)


Renderer = Callable[[Any, Context], str]


class FirmNames(Mapping[str, str]):
    """Display name by firm id, read from the network's core through the id lookup the
    network page uses too (:func:`~.network_data.id_positions`, built once)."""

    def __init__(self, network: FlowNetwork) -> None:
        self._core = network.core

    def __getitem__(self, firm: str) -> str:
        return str(self._core.names[id_positions(self._core)[firm]])

    def get(self, firm: str, default: Any = None) -> Any:  # the hot path: no exception
        position = id_positions(self._core).get(firm)
        return default if position is None else str(self._core.names[position])

    def __iter__(self) -> Iterator[str]:
        return (str(i) for i in self._core.ids)

    def __len__(self) -> int:
        return self._core.n_nodes


def network_summary(network: FlowNetwork, sections: Mapping[str, Any]) -> NetworkSummary:
    """The report's own summary section when it has one (the counts and units the page
    shows), else the network's: computed once per page."""
    summary = sections.get("summary")
    return summary if isinstance(summary, NetworkSummary) else network.summary()


# ---------------------------------------------------------------------------- public API


def report_html(
    network: FlowNetwork,
    report: Any,
    *,
    title: str | None = None,
    include_network: bool = True,
    network_options: Mapping[str, Any] | None = None,
    section_dicts: Mapping[str, Any] | None = None,
) -> str:
    """The report of ``network`` as one self-contained HTML page.

    Parameters
    ----------
    network
        The analysed network.
    report
        Its :class:`~symbiosis.report.Report` (from :func:`symbiosis.analyze`), or the
        report read back from its dict (:meth:`~symbiosis.report.Report.from_dict`): every
        section is read through its dict, so the page is the same, and the typed results
        need not be held (``symbiosis report`` and ``analyze --html`` draw it so).
    title
        Shown at the top (default: the name of the input folder).
    include_network
        Embed the interactive network view (about 0.8 MB more).
    network_options
        Keyword arguments for :func:`~symbiosis.export.network_html.network_html`.
    section_dicts
        The sections' ``to_dict()`` when the caller has them already, by section name:
        ``report.to_dict()`` holds exactly these (``analyze --format json --html`` makes
        it anyway). Converting big sections is most of the page's cost at a million flows.

    Notes
    -----
    O(firms + flows) for the network view and the Sankey aggregation, plus the size of
    the report's tables (each capped at :data:`MAX_ROWS` rows).
    """
    require_network(network)
    arguments = Arguments()
    note_report(arguments, report)
    note_title(arguments, "title", title)
    arguments.flag("include_network", include_network)
    note_network_options(arguments, network_options)
    arguments.instance("section_dicts", section_dicts, Mapping, what="a mapping of section dicts")
    arguments.check()
    try:
        for name, data in (section_dicts or {}).items():
            result = getattr(report, "sections", {}).get(name)
            if result is not None:
                _DICTS[id(result)] = (result, data)
        with gc_paused(), quantities_over(network.summed_years):  # its units say so
            return _report_html(network, report, title, include_network, network_options)
    finally:
        _DICTS.clear()


def _report_html(network, report, title, include_network, network_options) -> str:
    title = title or default_title(network)
    sections = dict(getattr(report, "sections", {}))
    summary = network_summary(network, sections)
    context = Context(
        network=network,
        names=FirmNames(network),
        units={d: f"{u}" for d, u in summary.units.items()},
        unsized=frozenset(network.dimensions) - frozenset(network.sized_dimensions),
    )
    nav: list[tuple[str, str]] = []
    body: list[str] = []

    def add(anchor: str, heading: str, content: str) -> None:
        nav.append((anchor, heading))
        body.append(f'<section id="{esc(anchor)}"><h2>{esc(heading)}</h2>\n{content}\n</section>')

    # the network's data warnings, the report's, and the passes' own (the hazard note of
    # the opportunities), which its section shows too: the page is all a reader may see
    data = {name: section_dict(result) for name, result in sections.items()}
    said = report_warnings([*network.warnings, *getattr(report, "warnings", ())], data)
    if said:
        add("warnings", "Data warnings", warnings_list(said))
    add("headline", "Headline indicators", headline_html(network, sections, context))
    diagrams = flow_diagrams_html(network)
    if diagrams:
        add("flows", "Main flows", diagrams)
    if include_network:
        add("network", "Network", network_frame_html(network, report, network_options or {}))
    for name, result in sections.items():
        add(f"section-{name}", section_title(name), render_section(name, result, context))
    return page_html(title, network, report, nav, body, summary=summary)


def write_report_html(network: FlowNetwork, report: Any, path: str | Path, **options: Any) -> Path:
    """Write :func:`report_html` to ``path`` (UTF-8, atomically, never over an input
    file). Returns the path written."""
    text = report_html(network, report, **options)
    return write_text_atomic(path, text, protected=network.source_files)


def render_section(name: str, result: Any, context: Context) -> str:
    """A section with its own renderer, or generically; a renderer that no longer fits
    the section's data (its module changed) falls back to the generic layout."""
    renderer = HTML_RENDERERS.get(name, render_generic)
    try:
        return renderer(result, context)
    except (KeyError, TypeError, AttributeError, ValueError):
        if renderer is render_generic:
            raise
        return render_generic(result, context)


def section_title(name: str) -> str:
    return SECTION_TITLES.get(name, name.replace("_", " ").capitalize())


# ---------------------------------------------------------------------------- page


def page_html(
    title: str,
    network: FlowNetwork,
    report: Any,
    nav: list[tuple[str, str]],
    body: list[str],
    *,
    summary: NetworkSummary | None = None,
) -> str:
    summary = summary or network.summary()
    dims = ", ".join(network.dimensions) or "no quantified flows"
    from ..analysis.years import year_said

    year = year_said(network)  # one year of several: the page says which
    subtitle = (f"Year {year} · " if year else "") + (
        f"{summary.firms:,} nodes ({summary.actors:,} actors, {summary.boundary_nodes:,} "
        f"boundary) · {summary.flows:,} flows · dimensions: {dims} · symbiosis {__version__}"
    )
    links = "".join(f'<li><a href="#{esc(a)}">{esc(h)}</a></li>' for a, h in nav)
    options = getattr(report, "options", None)
    footer = f"symbiosis {__version__}"
    if options is not None and hasattr(options, "__dataclass_fields__"):
        settings = ", ".join(f"{k} = {getattr(options, k)}" for k in options.__dataclass_fields__)
        footer += f" · options: {settings}"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        + head_meta(f"{title}: symbiosis report")
        + f"<style>{asset('report.css')}</style>\n</head>\n<body>\n"
        f'<header id="top"><h1>{esc(title)}</h1><p class="subtitle">{esc(subtitle)}</p>'
        f'<nav aria-label="Sections"><ul>{links}</ul></nav></header>\n<main>\n'
        + "\n".join(body)
        + f"\n</main>\n<footer>{esc(footer)}</footer>\n"
        f"<script>{asset('report.js')}</script>\n</body>\n</html>\n"
    )


# ---------------------------------------------------------------------------- flows


def flow_diagrams_html(network: FlowNetwork) -> str:
    """One Sankey diagram per dimension, switchable with buttons."""
    figures, buttons = [], []
    for i, dim in enumerate(network.dimensions):
        diagram = sankey(network, dim)
        if diagram is None:
            continue
        hidden = "" if not figures else " hidden"
        pressed = "true" if not figures else "false"
        buttons.append(
            f'<button type="button" class="tab" data-target="sankey-{esc(dim)}" '
            f'aria-pressed="{pressed}">{esc(dim)}</button>'
        )
        figures.append(
            f'<figure class="sankey-figure" id="sankey-{esc(dim)}"{hidden}>'
            f"{sankey_svg(diagram)}<figcaption>{esc(sankey_caption(diagram))}</figcaption>"
            "</figure>"
        )
        del i
    if not figures:
        return ""
    legend = "".join(
        f'<li><span class="swatch" style="background:{color}"></span>{esc(category)}</li>'
        for category, color in CATEGORY_COLORS.items()
    )
    return (
        '<p class="explain">Flows run left to right, from the suppliers outside the system '
        "to the buyers, landfills and the environment; band width is proportional to the "
        "quantity. A flow that runs against that direction closes a loop: it is drawn as a "
        "dashed return arc below the chart. Hover for names and quantities.</p>"
        f'<div class="tabs" role="group" aria-label="Dimension">{"".join(buttons)}</div>'
        + "".join(figures)
        + f'<ul class="legend">{legend}<li><span class="swatch dashed"></span>return flow '
        "(closes a loop)</li></ul>"
    )


def network_frame_html(network: FlowNetwork, report: Any, options: Mapping[str, Any]) -> str:
    """The network page inside a sandboxed ``<iframe srcdoc>`` (escaped as an attribute),
    with a button that opens it in a tab of its own."""
    page = network_html(network, report, **dict(options))
    return (
        '<p class="explain">Drag to pan, scroll to zoom, hover a firm or a flow for details; '
        'filter on the left. <button type="button" id="open-network">Open in a new tab'
        "</button></p>"
        '<iframe id="network-frame" class="network" title="Interactive network" '
        f'sandbox="allow-scripts" srcdoc="{esc_page(page)}"></iframe>'
    )


HTML_RENDERERS: dict[str, Renderer] = {
    "summary": render_summary,
    "loops": render_loops,
    "opportunities": render_opportunities,
    "trends": render_trends,
    "uncertainty": render_uncertainty,
}
