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
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import __version__
from ..model import FlowNetwork
from ..units import DIMENSIONS
from .files import write_text_atomic
from .json import to_jsonable
from .network_html import asset, default_title, esc, head_meta, network_html, short_label
from .sankey import format_quantity, sankey, sankey_caption, sankey_svg

__all__ = ["HTML_RENDERERS", "report_html", "write_report_html"]

#: Rows shown per table; the full data are in ``symbiosis analyze --format json``.
MAX_ROWS = 300
#: Longer tables are folded (a click opens them), so that the page can be skimmed.
FOLD_ROWS = 12

SECTION_TITLES = {
    "summary": "Network summary",
    "cycling": "Cycling",
    "loops": "Loops and symbiosis cores",
    "reuse": "Waste and by-product reuse",
    "balance": "Firm balances",
    "structure": "Resource-city structure",
    "opportunities": "Opportunities",
}

#: Keys whose numbers are quantities (in the unit of the row's or column's dimension).
QUANTITY_KEYS = frozenset(
    {
        "generated",
        "reused",
        "treated",
        "sold",
        "disposed",
        "emitted",
        "inputs",
        "outputs",
        "secondary_inputs",
        "total",
        "internal",
        "imports",
        "imbalance",
        "received",
        "inflow",
        "outflow",
        "throughflow",
        "total_system_throughflow",
        "total_system_throughput",
        "cycled_throughflow",
        "boundary_input",
        "unrecorded_input",
        "unrecorded_output",
        "bottleneck",
        "value",
        "quantity",
        "feed",
        "available",
        "reusable",
        "product_from_actors",
        "by-product_from_actors",
        "waste_from_actors",
        "emission_from_actors",
    }
)
#: Keys whose numbers are fractions, shown as percentages.
SHARE_KEYS = frozenset(
    {
        "share",
        "finn_cycling_index",
        "extraction_dependence",
        "extraction_dependence_recorded",
        "relative_imbalance",
        "sector_evenness",
    }
)

#: The headline table: (section, key, label, kind) looked up per dimension.
HEADLINES: tuple[tuple[str, str, str, str], ...] = (
    ("summary", "total", "Known flows, all", "quantity"),
    ("summary", "internal", "Exchanged between actors", "quantity"),
    ("summary", "imports", "Imports into the system", "quantity"),
    ("summary", "outputs", "Leaving the system", "quantity"),
    ("reuse", "generated", "Residuals generated (by-products, waste, emissions)", "quantity"),
    ("reuse", "reused", "… reused by another actor", "quantity"),
    ("reuse", "sold", "… sold outside", "quantity"),
    ("reuse", "disposed", "… disposed", "quantity"),
    ("reuse", "emitted", "… emitted", "quantity"),
    ("reuse", "reuse_share", "Reuse share", "share"),
    ("reuse", "utilization_rate", "Utilization rate (reused + sold)", "share"),
    ("reuse", "circular_input_rate", "Circular input rate", "share"),
    ("cycling", "total_system_throughflow", "Total system throughflow", "quantity"),
    ("cycling", "finn_cycling_index", "Finn cycling index", "share"),
    ("cycling", "cycled_throughflow", "Cycled throughflow", "quantity"),
    ("structure", "extraction_dependence", "Extraction dependence", "share"),
    ("structure", "effective_sectors", "Effective number of sectors", "number"),
    ("balance", "flagged", "Actors out of balance", "count"),
)


@dataclass(frozen=True)
class Context:
    """What section renderers may need besides their result."""

    network: FlowNetwork
    names: Mapping[str, str]
    units: Mapping[str, str]

    def short(self, firm: str) -> str:
        """A firm's name without its parenthesis (the id when unknown)."""
        return short_label(self.names.get(firm, firm), 60)


Renderer = Callable[[Any, Context], str]


# ---------------------------------------------------------------------------- public API


def report_html(
    network: FlowNetwork,
    report: Any,
    *,
    title: str | None = None,
    include_network: bool = True,
    network_options: Mapping[str, Any] | None = None,
) -> str:
    """The report of ``network`` as one self-contained HTML page.

    Parameters
    ----------
    network
        The analysed network.
    report
        Its :class:`~symbiosis.report.Report` (from :func:`symbiosis.analyze`).
    title
        Shown at the top (default: the name of the input folder).
    include_network
        Embed the interactive network view (about 0.8 MB more).
    network_options
        Keyword arguments for :func:`~symbiosis.export.network_html.network_html`.

    Notes
    -----
    O(firms + flows) for the network view and the Sankey aggregation, plus the size of
    the report's tables (each capped at :data:`MAX_ROWS` rows).
    """
    try:
        return _report_html(network, report, title, include_network, network_options)
    finally:
        _DICTS.clear()


def _report_html(network, report, title, include_network, network_options) -> str:
    title = title or default_title(network)
    sections = dict(getattr(report, "sections", {}))
    context = Context(
        network=network,
        names={
            str(i): str(n) for i, n in zip(network.firms.index, network.firms["name"], strict=True)
        },
        units={d: f"{u}" for d, u in network.summary().units.items()},
    )
    nav: list[tuple[str, str]] = []
    body: list[str] = []

    def add(anchor: str, heading: str, content: str) -> None:
        nav.append((anchor, heading))
        body.append(f'<section id="{esc(anchor)}"><h2>{esc(heading)}</h2>\n{content}\n</section>')

    if network.warnings:
        items = "".join(f"<li>{esc(w)}</li>" for w in network.warnings)
        add("warnings", "Data warnings", f'<ul class="warnings">{items}</ul>')
    add("headline", "Headline indicators", headline_html(network, sections, context))
    diagrams = flow_diagrams_html(network)
    if diagrams:
        add("flows", "Main flows", diagrams)
    if include_network:
        add("network", "Network", network_frame_html(network, report, network_options or {}))
    for name, result in sections.items():
        add(f"section-{name}", section_title(name), render_section(name, result, context))
    return page_html(title, network, report, nav, body)


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
    title: str, network: FlowNetwork, report: Any, nav: list[tuple[str, str]], body: list[str]
) -> str:
    summary = network.summary()
    dims = ", ".join(network.dimensions) or "no quantified flows"
    subtitle = (
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


# ---------------------------------------------------------------------------- headline


_DICTS: dict[int, tuple[Any, Any]] = {}


def section_dict(result: Any) -> Any:
    """A section's ``to_dict()`` as builtin JSON types (or ``None``). Big sections cost
    seconds to convert, so the last conversion of each result is kept while
    :func:`report_html` runs (keyed by identity, holding the result alive)."""
    if result is None:
        return None
    cached = _DICTS.get(id(result))
    if cached is not None and cached[0] is result:
        return cached[1]
    # No deep conversion (seconds for big sections): cells convert numpy scalars and NaN.
    data = result.to_dict() if hasattr(result, "to_dict") else to_jsonable(result)
    _DICTS[id(result)] = (result, data)
    return data


def dimension_value(data: Any, dimension: str, key: str) -> Any:
    """``data["dimensions"][dimension][key]`` (or ``data["totals"]...``), else None."""
    if not isinstance(data, Mapping):
        return None
    for holder in ("dimensions", "totals"):
        block = data.get(holder)
        if isinstance(block, Mapping) and isinstance(block.get(dimension), Mapping):
            value = block[dimension].get(key)
            if value is not None:
                return value
    return None


def headline_html(network: FlowNetwork, sections: Mapping[str, Any], context: Context) -> str:
    dims = list(network.dimensions)
    data = {name: section_dict(result) for name, result in sections.items()}
    cards = _headline_cards(network, data)
    if not dims:
        return cards + "<p>No flow has a known quantity.</p>"
    rows = []
    for section, key, label, kind in HEADLINES:
        values = [dimension_value(data.get(section), d, key) for d in dims]
        if all(v is None for v in values):
            continue
        cells = "".join(_headline_cell(v, d, kind) for v, d in zip(values, dims, strict=True))
        rows.append(f'<tr><th scope="row">{esc(label)}</th>{cells}</tr>')
    head = "".join(
        f'<th scope="col">{esc(d)} <span class="unit">({esc(context.units.get(d, ""))})</span></th>'
        for d in dims
    )
    return (
        cards + f'<table class="headline"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _headline_cell(value: Any, dimension: str, kind: str) -> str:
    value = _builtin(value)
    return f'<td data-v="{_sort_key(value)}">{esc(_format(value, kind, dimension))}</td>'


def _headline_cards(network: FlowNetwork, data: Mapping[str, Any]) -> str:
    """Big numbers for the first dimension and the network as a whole."""
    cards = []
    first = network.dimensions[0] if network.dimensions else None
    if first is not None:
        for section, key, label in (
            ("reuse", "reuse_share", "reuse share"),
            ("cycling", "finn_cycling_index", "Finn cycling index"),
            ("reuse", "disposed", "disposed"),
        ):
            value = dimension_value(data.get(section), first, key)
            if value is not None:
                kind = "share" if key in SHARE_KEYS or key.endswith("_share") else "quantity"
                cards.append((_format(value, kind, first), f"{label} ({first})"))
    loops = data.get("loops")
    if isinstance(loops, Mapping) and "found" in loops:
        more = "+" if loops.get("truncated") else ""
        cards.append((f"{loops['found']:,}{more}", "loops found"))
        cores = loops.get("cores_found", len(loops.get("cores", [])))
        cards.append((f"{cores:,}", "symbiosis cores"))
    cycling = data.get("cycling")
    if isinstance(cycling, Mapping) and cycling.get("cyclicity") is not None:
        cards.append((_format(cycling["cyclicity"], "number"), "cyclicity"))
    structure = data.get("structure")
    if isinstance(structure, Mapping) and structure.get("chain_depth_longest") is not None:
        cards.append((str(structure["chain_depth_longest"]), "longest chain (stages)"))
    opportunities = data.get("opportunities")
    if isinstance(opportunities, Mapping):
        listed = opportunities.get("opportunities")
        if isinstance(listed, list):
            cards.append((f"{len(listed):,}", "opportunities"))
    if not cards:
        return ""
    items = "".join(
        f'<div class="card"><div class="big">{esc(v)}</div><div>{esc(label)}</div></div>'
        for v, label in cards
    )
    return f'<div class="cards">{items}</div>'


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
        for category, color in _category_colors().items()
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


def _category_colors() -> dict[str, str]:
    from .network_html import CATEGORY_COLORS

    return dict(CATEGORY_COLORS)


def network_frame_html(network: FlowNetwork, report: Any, options: Mapping[str, Any]) -> str:
    """The network page inside a sandboxed ``<iframe srcdoc>`` (escaped as an attribute),
    with a button that opens it in a tab of its own."""
    page = network_html(network, report, **dict(options))
    return (
        '<p class="explain">Drag to pan, scroll to zoom, hover a firm or a flow for details; '
        'filter on the left. <button type="button" id="open-network">Open in a new tab'
        "</button></p>"
        '<iframe id="network-frame" class="network" title="Interactive network" '
        f'sandbox="allow-scripts" srcdoc="{esc(page)}"></iframe>'
    )


# ---------------------------------------------------------------------------- sections


def render_summary(summary: Any, context: Context) -> str:
    data = section_dict(summary)
    roles = {k: v for k, v in data["firms_by_role"].items() if v}
    parts = [
        '<div class="columns">',
        _mapping_table(roles, "Nodes by role", ("role", "nodes")),
        _mapping_table(data["flows_by_category"], "Flows by category", ("category", "flows")),
        _mapping_table(data["flows_by_dimension"], "Flows by dimension", ("dimension", "flows")),
        "</div>",
    ]
    if data["flows_unknown_quantity"]:
        parts.append(
            f'<p class="note">{data["flows_unknown_quantity"]:,} flows have no known '
            "quantity: they count for the structure (loops) but not in any total.</p>"
        )
    if data["totals"]:
        parts.append(_dimension_matrix(data["totals"], "Totals per dimension"))
    return "\n".join(parts)


def render_loops(loops: Any, context: Context) -> str:
    data = section_dict(loops)
    parts = []
    found = data.get("found", len(data.get("loops", [])))
    sentence = f"{found:,} loops found"
    if data.get("truncated"):
        sentence += f" (the search stopped at its bound: {data.get('stopped_by')})"
    if data.get("longer_loops_possible"):
        sentence += f"; loops longer than {data.get('max_length')} actors were not searched"
    parts.append(f"<p>{esc(sentence)}.</p>")
    cores = data.get("cores") or []
    if cores:
        records = [
            {
                "core": core.get("id"),
                "actors": core.get("size"),
                "members": ", ".join(context.short(m) for m in core.get("members", [])),
                **{f"internal_{d}": (core.get("internal") or {}).get(d) for d in context.units},
                "cyclicity": core.get("cyclicity"),
                "loops": core.get("loops"),
            }
            for core in cores
        ]
        parts.append(records_table(records, "Symbiosis cores"))
    rows = []
    for loop in data.get("loops") or []:
        firms = [context.short(f) for f in loop.get("firms", [])]
        arcs = loop.get("arcs") or []
        materials = " | ".join(
            " + ".join(str(f.get("material")) for f in arc.get("flows", [])) for arc in arcs
        )
        record = {
            "rank": loop.get("rank"),
            "kind": loop.get("kind"),
            "length": loop.get("length"),
            "firms": " → ".join([*firms, firms[0]]) if firms else "",
            "materials": materials,
        }
        for d in context.units:
            record[f"bottleneck_{d}"] = (loop.get("bottleneck") or {}).get(d)
        rows.append(record)
    if rows:
        parts.append(records_table(rows, "Loops, largest bottleneck first", folded=False))
    return "\n".join(parts)


def render_opportunities(opportunities: Any, context: Context) -> str:
    """Candidates ranked, proposed plants, and the effect of doing the listed ones."""
    data = section_dict(opportunities)
    parts = []
    if data.get("caveat"):
        parts.append(f'<p class="caveat">{esc(data["caveat"])}</p>')
    rows = []
    for item in data.get("opportunities") or []:
        dim = item.get("dimension")
        evidence = item.get("evidence") or [{}]
        impact = item.get("impact") or {}
        reuse = (impact.get("reuse_share") or {}).get(dim) or {}
        rows.append(
            {
                "group": item.get("group"),
                "rank": item.get("rank"),
                "kind": str(item.get("kind", "")).replace("_", " "),
                "from": context.short(str(item.get("source", ""))),
                "material": item.get("material"),
                "to": short_label(str(item.get("target_name") or item.get("target") or ""), 60),
                "dimension": dim,
                "quantity": item.get("quantity"),
                "before_reuse_share": reuse.get("before"),
                "after_reuse_share": reuse.get("after"),
                "closes_loop": impact.get("closes_loop"),
                "maturity": item.get("maturity"),
                "pathway_source": evidence[0].get("source"),
            }
        )
    if rows:
        parts.append(records_table(rows, "Candidates, best first", folded=False))
    plants = []
    for plant in data.get("plants") or []:
        feeds = plant.get("feeds") or []
        plants.append(
            {
                "sector": plant.get("sector"),
                "dumped": _per_dimension(plant.get("dumped")),
                "sold": _per_dimension(plant.get("sold")),
                "feeds": len(feeds),
                "from": ", ".join(sorted({context.short(str(f.get("source"))) for f in feeds})),
                "products": ", ".join((plant.get("products") or [])[:3]),
                "maturity": plant.get("maturity"),
            }
        )
    if plants:
        parts.append(records_table(plants, "New plants the catalogue would add"))
    cumulative = data.get("cumulative") or {}
    effects = []
    for key in ("reuse_share", "utilization_rate"):
        for dim, change in (cumulative.get(key) or {}).items():
            if isinstance(change, Mapping) and change.get("before") != change.get("after"):
                effects.append(
                    f"{key.replace('_', ' ')} ({dim}) {_format(change.get('before'), 'share')}"
                    f" → {_format(change.get('after'), 'share')}"
                )
    if effects:
        parts.append(
            "<p><strong>If all the listed candidates were done:</strong> "
            + esc("; ".join(effects))
            + ".</p>"
        )
    return "\n".join(parts) or render_generic(opportunities, context)


def _per_dimension(amounts: Any) -> str:
    """``{"mass": 2.0e6}`` as ``2.00 Mt/yr`` (dimensions joined)."""
    if not isinstance(amounts, Mapping) or not amounts:
        return "–"
    return ", ".join(format_quantity(v, d) for d, v in amounts.items() if v is not None)


def render_generic(result: Any, context: Context) -> str:
    """Any section: scalars, per-dimension blocks and record lists of its ``to_dict()``;
    its ``to_frame()`` when that gives nothing tabular."""
    data = section_dict(result)
    if not isinstance(data, Mapping):
        return f"<p>{esc(_format(data, 'auto', None))}</p>"
    parts = []
    scalars = {k: v for k, v in data.items() if _is_scalar(v) and k != "units"}
    if scalars:
        parts.append(_mapping_table(scalars, "", ("", "")))
    for key, value in data.items():
        if key == "units" or _is_scalar(value):
            continue
        parts.append(_render_value(key, value, None))
    tabular = any(isinstance(v, list | tuple | Mapping) and v for v in data.values())
    if not tabular and hasattr(result, "to_frame"):
        frame = result.to_frame()
        parts.append(records_table(_frame_records(frame), ""))
    return "\n".join(p for p in parts if p)


def _render_value(key: str, value: Any, dimension: str | None) -> str:
    caption = key.replace("_", " ")
    if isinstance(value, Mapping):
        if (
            value
            and all(k in DIMENSIONS for k in value)
            and all(isinstance(v, Mapping) for v in value.values())
        ):
            parts = [_dimension_matrix(value, caption)]
            for dim, block in value.items():
                for inner_key, inner in block.items():
                    if isinstance(inner, list) and inner:
                        parts.append(_render_value(f"{inner_key} ({dim})", inner, dim))
            return "\n".join(parts)
        if all(_is_scalar(v) for v in value.values()):
            return _mapping_table(value, caption, ("", ""), dimension=dimension)
        return "\n".join(_render_value(f"{key}: {k}", v, dimension) for k, v in value.items())
    if isinstance(value, list | tuple):
        if not value:
            return f'<p class="note">{esc(caption)}: none.</p>'
        if all(isinstance(v, Mapping) for v in value):
            return records_table(value, caption, dimension=dimension)
        return f"<p><strong>{esc(caption)}</strong>: {esc(', '.join(map(str, value)))}</p>"
    return _mapping_table({key: value}, "", ("", ""), dimension=dimension)


# ---------------------------------------------------------------------------- tables


def records_table(
    records: list[Mapping[str, Any]],
    caption: str,
    *,
    dimension: str | None = None,
    folded: bool = True,
) -> str:
    """A sortable table of records (a dict per row), at most :data:`MAX_ROWS` rows.
    Nested values are flattened one level (``bottleneck.mass``)."""
    total = len(records)
    flat = [_flatten(r) for r in records[:MAX_ROWS]]
    columns: list[str] = []
    for row in flat:
        columns += [k for k in row if k not in columns]
    # A column with no value anywhere (e.g. a dimension the network lacks) is noise.
    columns = [c for c in columns if any(row.get(c) is not None for row in flat)] or columns
    shown = flat
    head = "".join(
        f'<th scope="col"><button type="button">{esc(c.replace("_", " "))}</button></th>'
        for c in columns
    )
    body = []
    for row in shown:
        row_dim = row.get("dimension") if isinstance(row.get("dimension"), str) else dimension
        cells = "".join(_cell(c, row.get(c), row_dim) for c in columns)
        body.append(f"<tr>{cells}</tr>")
    note = ""
    if total > MAX_ROWS:
        note = (
            f'<p class="note">First {MAX_ROWS:,} of {total:,} rows; all of them are in '
            "<code>symbiosis analyze --format json</code>.</p>"
        )
    cap = f'<caption>{esc(caption)} <span class="count">({total:,})</span></caption>'
    folds = total > FOLD_ROWS and bool(caption)
    table = (
        f'<div class="table-wrap"><table class="sortable">{cap if caption and not folds else ""}'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>{note}"
    )
    if not folds:
        return table
    state = "" if folded else " open"
    count = f'<span class="count">({total:,} rows)</span>'
    return f"<details{state}><summary>{esc(caption)} {count}</summary>{table}</details>"


def _mapping_table(
    mapping: Mapping[str, Any],
    caption: str,
    headers: tuple[str, str],
    *,
    dimension: str | None = None,
) -> str:
    rows = "".join(
        f'<tr><th scope="row">{esc(str(k).replace("_", " "))}</th>{_cell(str(k), v, dimension)}'
        "</tr>"
        for k, v in mapping.items()
    )
    head = ""
    if any(headers):
        cells = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
        head = f"<thead><tr>{cells}</tr></thead>"
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="keyvalue">{cap}{head}<tbody>{rows}</tbody></table>'


def _dimension_matrix(blocks: Mapping[str, Mapping[str, Any]], caption: str) -> str:
    """Rows: the scalar keys of the blocks; columns: the dimensions."""
    dims = list(blocks)
    keys: list[str] = []
    for block in blocks.values():
        keys += [k for k, v in block.items() if _is_scalar(v) and k not in keys and k != "unit"]
    head = "".join(f'<th scope="col">{esc(d)}</th>' for d in dims)
    rows = []
    for key in keys:
        cells = "".join(_cell(key, blocks[d].get(key), d) for d in dims)
        rows.append(f'<tr><th scope="row">{esc(key.replace("_", " "))}</th>{cells}</tr>')
    nested = []
    for d in dims:
        for key, value in blocks[d].items():
            if isinstance(value, Mapping) and all(_is_scalar(v) for v in value.values()):
                nested.append((d, key, value))
    table = (
        f'<table class="keyvalue matrix"><caption>{esc(caption)}</caption>'
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    if nested:
        inner_keys = sorted({k for _, k, _ in nested})
        for inner in inner_keys:
            sub = {d: v for d, k, v in nested if k == inner}
            table += _dimension_matrix(sub, f"{caption}: {inner.replace('_', ' ')}")
    return table


def _frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    shown = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    return to_jsonable(shown.head(MAX_ROWS + 1).to_dict("records"))


def _flatten(record: Mapping[str, Any]) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, Mapping) and all(_is_scalar(v) for v in value.values()):
            for inner, v in value.items():
                flat[f"{key}_{inner}"] = v
        else:
            flat[key] = value
    return flat


# ---------------------------------------------------------------------------- cells


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | np.generic)


def _builtin(value: Any) -> Any:
    """A builtin scalar: numpy scalars unboxed, NaN and pandas' NA as None."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_DIM_SUFFIX = re.compile(r"^(?P<key>.+)_(?P<dim>mass|energy|volume)$")


def _kind(key: str, dimension: str | None) -> tuple[str, str | None]:
    """How to show a value under ``key``: ("quantity", dim), ("share", None), ..."""
    match = _DIM_SUFFIX.match(key)
    if match:
        key, dimension = match["key"], match["dim"]
    if key in SHARE_KEYS or key.endswith(("_share", "_rate")):
        return "share", None
    if key in QUANTITY_KEYS or key.startswith(("bottleneck", "internal")):
        return ("quantity", dimension) if dimension else ("number", None)
    return "auto", None


def _cell(key: str, value: Any, dimension: str | None) -> str:
    value = _builtin(value)
    kind, dim = _kind(key, dimension)
    text = _format(value, kind, dim)
    sort = _sort_key(value)
    numeric = value is None or (isinstance(value, int | float) and not isinstance(value, bool))
    cls = ' class="num"' if numeric else ""
    data = f' data-v="{sort}"' if numeric or value is None else ""
    return f"<td{cls}{data}>{esc(text)}</td>"


def _sort_key(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return repr(float(value)) if math.isfinite(value) else ""


def _format(value: Any, kind: str, dimension: str | None = None) -> str:
    """A value for people: quantities with their unit, shares in %, counts with
    thousands separators, None as a dash."""
    value = _builtin(value)
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if not isinstance(value, int | float):
        return str(value)
    if kind == "quantity" and dimension:
        return format_quantity(float(value), dimension)
    if kind == "share":
        return f"{100 * value:.1f} %"
    if isinstance(value, int) or kind == "count":
        return f"{int(value):,}"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:,.1f}"
    return f"{value:.4g}"


#: Section renderers by section name: a function of (result, context) returning HTML.
HTML_RENDERERS: dict[str, Renderer] = {
    "summary": render_summary,
    "loops": render_loops,
    "opportunities": render_opportunities,
}
