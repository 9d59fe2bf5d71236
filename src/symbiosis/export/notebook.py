"""HTML for notebooks: a summary card of a network, the report's headline with collapsible
sections, each section's tables, and the interactive network and Sankey views inline.

Everything is offline and inert: every name from the input is escaped text; the two
interactive views (:func:`network_view_html`, :func:`sankey_view_html`) are whole pages
inside a sandboxed ``<iframe srcdoc>`` (scripts run, nothing else: no network access, no
access to the notebook); the other blocks have no script at all. Their CSS is the report's
own (``assets/report.css``), scoped to a ``.symbiosis-nb`` wrapper so that it styles these
blocks and nothing else of the notebook; without it a Sankey's paths are filled black.

:mod:`symbiosis.notebook` registers these builders as the notebook's HTML view of each
object (the analysis and model layers cannot import this module).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from ..arguments import Arguments
from ..model import FlowNetwork
from ..units import DIMENSIONS, yearly_unit
from ._arguments import note_report
from .markup import asset, esc, esc_page, format_quantity, quantities_over
from .recorded import is_recorded, recorded_tables
from .report_headline import (
    dimension_header,
    headline_cards,
    headline_rows,
    headline_text,
    marked,
    mixed_kinds,
    mixed_notes_html,
    report_warnings,
    section_dict,
)
from .xlsx import section_tables

__all__ = [
    "MAX_ROWS",
    "network_card_html",
    "network_view_html",
    "report_block_html",
    "sankey_view_html",
    "scoped_css",
    "section_block_html",
]

#: Rows shown per table in a notebook (the caption says how many there are).
MAX_ROWS = 15
SCOPE = "symbiosis-nb"
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_PAGE_ONLY = re.compile(r"^(header|nav|main|footer|section|html)\b|#open-network")


@functools.cache
def scoped_css() -> str:
    """The report's CSS with every selector under ``.symbiosis-nb`` (``:root``, ``body``
    and ``*`` become the wrapper itself); page-only rules (header, nav, footer, print)
    are dropped. O(size of the CSS), once per process."""
    text = re.sub(r"/\*.*?\*/", "", asset("report.css"), flags=re.DOTALL)
    text = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", text)
    rules = []
    for selectors, body in _RULE.findall(text):
        scoped = [_scope(s.strip()) for s in selectors.split(",") if s.strip()]
        scoped = [s for s in scoped if s]
        if scoped:
            rules.append(f"{', '.join(scoped)} {{{body.strip()}}}")
    return "\n".join(rules)


def _scope(selector: str) -> str:
    if selector in (":root", "body"):
        return f".{SCOPE}"
    if selector == "*":
        return f".{SCOPE}, .{SCOPE} *"
    if _PAGE_ONLY.search(selector):
        return ""
    return f".{SCOPE} {selector}"


def _wrap(content: str) -> str:
    return f'<div class="{SCOPE}"><style>{scoped_css()}</style>{content}</div>'


# ---------------------------------------------------------------------------- network


def network_card_html(network: FlowNetwork) -> str:
    """A summary card of ``network``: nodes by role, flows by category and dimension,
    totals per dimension, warnings and where it was read from. O(flows) (the summary)."""
    summary = network.summary()
    origin = ", ".join(str(path) for path in network.source_files) or "in memory"
    head = (
        f"<p><strong>FlowNetwork</strong>: {summary.firms:,} nodes ({summary.actors:,} actors, "
        f"{summary.boundary_nodes:,} boundary), {summary.flows:,} flows"
        + (
            f", {summary.flows_unknown_quantity:,} of unknown size"
            if summary.flows_unknown_quantity
            else ""
        )
        + f'<br><span class="unit">{esc(origin)}</span></p>'
    )
    roles = {role: n for role, n in summary.firms_by_role.items() if n}
    columns = (
        _pairs_table(roles, "Nodes by role", ("role", "nodes"))
        + _pairs_table(summary.flows_by_category, "Flows by category", ("category", "flows"))
        + _pairs_table(summary.flows_by_dimension, "Flows by dimension", ("dimension", "flows"))
    )
    parts = [head, f'<div class="columns">{columns}</div>']
    if summary.totals:
        with quantities_over(network.summed_years):
            parts.append(_totals_table(summary.totals))
    parts.append(_warnings_html(network.warnings))
    return _wrap("".join(parts))


def _pairs_table(mapping: Mapping[str, Any], caption: str, header: tuple[str, str]) -> str:
    rows = "".join(
        f'<tr><th scope="row">{esc(key)}</th><td class="num">{value:,}</td></tr>'
        for key, value in mapping.items()
    )
    return (
        f"<table><caption>{esc(caption)}</caption><thead><tr><th>{esc(header[0])}</th>"
        f"<th>{esc(header[1])}</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _totals_table(totals: Mapping[str, Mapping[str, float]]) -> str:
    dims = list(totals)
    keys = list(next(iter(totals.values())))
    head = "".join(f"<th>{esc(d)}</th>" for d in dims)
    rows = "".join(
        f'<tr><th scope="row">{esc(key.replace("_", " "))}</th>'
        + "".join(f'<td class="num">{esc(format_quantity(totals[d][key], d))}</td>' for d in dims)
        + "</tr>"
        for key in keys
    )
    return (
        f"<table><caption>Totals per dimension</caption><thead><tr><th></th>{head}</tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )


def _warnings_html(warnings: tuple[str, ...] | list[str]) -> str:
    if not warnings:
        return ""
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return (
        f'<details><summary>Data warnings <span class="count">({len(warnings):,})</span>'
        f'</summary><ul class="warnings">{items}</ul></details>'
    )


# ---------------------------------------------------------------------------- report


class _Dimensions:
    """What report_headline needs of a network: its dimensions, in canonical order, and
    those with a flow of known size."""

    def __init__(self, dimensions: list[str], sized: list[str]) -> None:
        self.dimensions = tuple(dimensions)
        self.sized_dimensions = tuple(sized)


def _dimensions(data: Mapping[str, Any]) -> _Dimensions:
    """The dimensions the sections report on (a Report does not hold its network)."""
    found: set[str] = set()
    for section in data.values():
        if isinstance(section, Mapping):
            for holder in ("dimensions", "totals"):
                block = section.get(holder)
                if isinstance(block, Mapping):
                    found |= {d for d in block if d in DIMENSIONS}
    dimensions = [d for d in DIMENSIONS if d in found]
    known = (data.get("summary") or {}).get("flows_known_by_dimension")
    if not isinstance(known, Mapping):  # no summary (or one written before the count)
        return _Dimensions(dimensions, dimensions)
    return _Dimensions(dimensions, [d for d in dimensions if known.get(d)])


def report_block_html(report: Any, *, open_sections: bool = False) -> str:
    """A report for a notebook: the headline of the HTML report (big numbers, then the
    headline indicators per dimension), then one collapsible ``<details>`` per section
    holding its tables (:func:`section_block_html`, truncated). O(size of the sections'
    dicts + tables shown)."""
    arguments = Arguments()
    note_report(arguments, report)
    arguments.flag("open_sections", open_sections)
    arguments.check()
    sections = dict(getattr(report, "sections", {}))
    data = {name: section_dict(result) for name, result in sections.items()}
    shape = _dimensions(data)
    parts = ["<p><strong>Report</strong>: sections " + esc(", ".join(sections) or "none") + "</p>"]
    # the units as the text and the HTML report give them: per year, or a total over the
    # years added up (``620 kt over 3 years``)
    with quantities_over(_summed_years(data)):
        cards = headline_cards(shape, data)  # type: ignore[arg-type]
        table = _headline_table(shape, data)
    if cards:
        parts.append(
            '<div class="cards">'
            + "".join(
                f'<div class="card"><div class="big">{esc(v)}</div><div>{esc(label)}</div></div>'
                for v, label in cards
            )
            + "</div>"
        )
    parts.append(table)
    parts.append(_warnings_html(report_warnings(getattr(report, "warnings", ()), data)))
    state = " open" if open_sections else ""
    for name, result in sections.items():
        parts.append(
            f"<details{state}><summary>{esc(name)}</summary>{_tables_html(name, result)}</details>"
        )
    return _wrap("".join(parts))


def _summed_years(data: Mapping[str, Any]) -> int:
    """How many years of flows the report's quantities add up (a Report does not hold its
    network, :attr:`~symbiosis.model.FlowNetwork.summed_years`): the count whose unit
    (:func:`~symbiosis.units.yearly_unit`) the sections give their dimensions, in their
    ``units`` or in the ``unit`` of each dimension's block; 1 (per year) when none says
    more. The trends' units are each year's: they never say more. O(sections x
    dimensions)."""
    years = 1
    for section in data.values():
        if not isinstance(section, Mapping):
            continue
        units = section.get("units")
        given = list(units.items()) if isinstance(units, Mapping) else []
        blocks = section.get("dimensions")
        if isinstance(blocks, Mapping):
            given += [(d, b.get("unit")) for d, b in blocks.items() if isinstance(b, Mapping)]
        for dimension, unit in given:
            count = re.search(r"\d+", unit) if isinstance(unit, str) else None
            if count and dimension in DIMENSIONS:
                said = int(count.group())
                if yearly_unit(dimension, said) == unit:  # the unit of that many years
                    years = max(years, said)
    return years


def _headline_table(shape: _Dimensions, data: Mapping[str, Any]) -> str:
    dims = list(shape.dimensions)
    rows = headline_rows(shape, data)  # type: ignore[arg-type]
    if not rows or not dims:
        return ""
    mixed = mixed_kinds(data)
    head = "".join(f'<th scope="col">{esc(dimension_header(d, mixed))}</th>' for d in dims)
    body = "".join(
        f'<tr><th scope="row">{esc(label)}</th>'
        + "".join(
            f"<td>{esc(marked(headline_text(v, kind, d), kind, d, mixed))}</td>"
            for v, d in zip(values, dims, strict=True)
        )
        + "</tr>"
        for label, kind, values in rows
    )
    return (
        f'<table class="headline"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>" + mixed_notes_html(data)
    )


def section_block_html(name: str, result: Any, *, max_rows: int = MAX_ROWS) -> str:
    """One section's tables (export.xlsx.section_tables), each truncated to ``max_rows``
    rows with a caption giving the full count. A section read back from JSON
    (:meth:`~symbiosis.report.Report.from_dict`) shows the tables its dict holds
    (:func:`~.recorded.recorded_tables`), and says so. O(tables x max_rows x columns)."""
    arguments = Arguments()
    arguments.whole("max_rows", max_rows, minimum=1)
    arguments.check()
    head = f"<strong>{esc(type(result).__name__)}</strong> ({esc(name)})"
    if is_recorded(result):
        head = f"<strong>{esc(name)}</strong> ({RECORDED_NOTE})"
    return _wrap(f"<p>{head}</p>" + _tables_html(name, result, max_rows=max_rows))


#: What a section read back from JSON shows, in its block.
RECORDED_NOTE = (
    "read from JSON: the tables its data holds; analyze the network again for the "
    "typed result and its whole tables"
)


def _tables_html(name: str, result: Any, *, max_rows: int = MAX_ROWS) -> str:
    if is_recorded(result):  # its dict alone: no typed tables (section_tables refuses it)
        found = recorded_tables(result.to_dict(), max_rows=max_rows)
        return (
            "".join(
                _frame_html(table, t.frame, max_rows, rows=t.total, recorded=t.recorded)
                for table, t in found.items()
            )
            or "<p>No table.</p>"
        )
    tables = section_tables(name, result)
    if not tables:
        return "<p>No table.</p>"
    return "".join(_frame_html(table, frame, max_rows) for table, frame in tables.items())


def _frame_html(
    title: str,
    frame: pd.DataFrame,
    max_rows: int,
    *,
    rows: int | None = None,
    recorded: int | None = None,
) -> str:
    """``frame`` as an HTML table: cells and labels escaped (pandas escapes by default),
    a row number index left out. ``rows``: the whole table's count, when ``frame`` holds
    only its first rows; ``recorded``: how many of them a report read back from JSON
    holds, said when fewer than ``rows``."""
    rows = len(frame) if rows is None else rows
    first = min(len(frame), max_rows)
    shown = f"{first:,} of {rows:,} rows" if rows > first else f"{rows:,} rows"
    if recorded is not None and recorded < rows:
        shown += f"; {recorded:,} in the saved report"
    named = any(name is not None for name in frame.index.names)
    table = frame.head(max_rows).to_html(
        escape=True, border=0, na_rep="–", float_format=_number, index=named
    )
    return (
        f'<div class="table-wrap"><p><strong>{esc(title)}</strong> '
        f'<span class="unit">({shown})</span></p>{table}</div>'
    )


def _number(value: float) -> str:
    """A float for people: thousands separators, about four significant digits."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"


# ---------------------------------------------------------------------------- views


def _frame(page: str, title: str, height: int) -> str:
    """A whole page inside a sandboxed iframe: its scripts run, isolated from the
    notebook, with no network access (the page's own Content-Security-Policy)."""
    return (
        f'<div class="{SCOPE}-view"><iframe title="{esc(title)}" sandbox="allow-scripts" '
        f'srcdoc="{esc_page(page)}" style="width:100%;height:{height}px;border:1px solid #d8dee4;'
        'border-radius:4px"></iframe></div>'
    )


def network_view_html(network: FlowNetwork, report: Any = None, **options: Any) -> str:
    """The interactive network page (:func:`~symbiosis.export.network_html.network_html`,
    with ``options``) inline. O(firms + flows) plus its layout."""
    from .network_html import network_html

    return _frame(network_html(network, report, **options), "Interactive network", 760)


def sankey_view_html(network: FlowNetwork) -> str:
    """The report's Sankey diagrams of ``network`` (one per dimension, switchable) with
    the report's CSS and script, inline. O(flows) to aggregate, then the layout."""
    from .markup import head_meta
    from .report_html import flow_diagrams_html

    diagrams = flow_diagrams_html(network) or "<p>No flow has a known quantity.</p>"
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        + head_meta("Sankey diagram")
        + f"<style>{asset('report.css')}</style></head><body><main>{diagrams}</main>"
        f"<script>{asset('report.js')}</script></body></html>"
    )
    return _frame(page, "Sankey diagram", 720)
