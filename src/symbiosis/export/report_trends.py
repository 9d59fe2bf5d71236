"""The trends section of the report: indicators per year as inline SVG line charts, the
table of every headline indicator per year, and the links and loops that appeared or
vanished from one year to the next.

Everything is read from :meth:`symbiosis.analysis.trends.Trends.to_dict` (the exporter
computes no metric); every name from the input is escaped text, and the charts are
inline SVG (nothing is loaded from the network). :func:`trends_page_html` makes a page
of the section alone (``symbiosis trends --html``); the report renders a ``trends``
section with :func:`render_trends` (registered in ``report_html.HTML_RENDERERS``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..arguments import Arguments
from ..units import DIMENSIONS
from .markup import esc, quantities_over
from .report_headline import section_dict
from .report_tables import _format, records_table

if TYPE_CHECKING:
    from ..model import FlowNetwork
    from .report_html import Context

__all__ = ["QUANTITY_LINES", "SHARE_LINES", "render_trends", "trends_chart", "trends_page_html"]

#: The share indicators drawn per dimension (0 to 100 %), with their colours; the recovery
#: rate only where it is known (a register network's mass).
SHARE_LINES: dict[str, str] = {
    "reuse_share": "#2f9e44",
    "utilization_rate": "#4e79a7",
    "recovery_rate": "#e15759",
    "circular_input_rate": "#f28e2b",
    "finn_cycling_index": "#b07aa1",
    "extraction_dependence": "#9c755f",
}
#: The quantities drawn per dimension (0 to the largest), with their colours.
QUANTITY_LINES: dict[str, str] = {
    "generated": "#5b6b80",
    "reused": "#2f9e44",
    "disposed": "#e15759",
    "emitted": "#9c36b5",
}
_WIDTH, _HEIGHT, _LEFT, _RIGHT, _TOP, _BOTTOM = 560, 240, 64, 16, 14, 28
_COUNTS = ("actors", "flows", "loops", "cores", "opportunities")
_MAX_LISTED = 200  # links and loops listed per change (the JSON has them all)


def render_trends(trends: Any, context: Context | None = None) -> str:
    """The trends section as HTML, from a :class:`~symbiosis.analysis.trends.Trends` or its
    ``to_dict()`` (``context`` is unused: ids are shown, escaped, as written). Its
    quantities are each year's, per year, in a report of every year added up too."""
    with quantities_over(1):
        return _trends_html(trends)


def _trends_html(trends: Any) -> str:
    data = trends if isinstance(trends, Mapping) else section_dict(trends)
    notes = [*data.get("notes", []), *data.get("warnings", [])]
    parts = [f'<p class="note">{esc(n)}</p>' for n in notes]
    per_year = data.get("per_year", [])
    labels = [_label(entry.get("year")) for entry in per_year]
    values = [entry.get("values", {}) for entry in per_year]
    dims = [d for d in DIMENSIONS if any(d in v for v in values)]
    if len(per_year) > 1:
        for dim in dims:
            shares = _series(values, dim, SHARE_LINES)
            if all(v is None for v in shares["recovery_rate"]):
                del shares["recovery_rate"]  # no register columns: no line, no legend entry
            quantities = _series(values, dim, QUANTITY_LINES)
            colors = {name: SHARE_LINES[name] for name in shares}
            parts.append('<div class="columns">')
            parts.append(_figure(trends_chart(labels, shares, colors, dim, share=True),
                                 f"{dim}: shares per year"))  # fmt: skip
            parts.append(_figure(trends_chart(labels, quantities, QUANTITY_LINES, dim),
                                 f"{dim}: residual streams per year"))  # fmt: skip
            parts.append("</div>")
    parts.append(_indicator_table(labels, values, dims))
    for change in data.get("changes", []):
        parts.append(_change_html(change))
    return "\n".join(parts)


def _label(year: Any) -> str:
    return "undated" if year is None else str(year)


def _series(values: Sequence[Mapping], dim: str, lines: Mapping[str, str]) -> dict[str, list]:
    return {name: [v.get(dim, {}).get(name) for v in values] for name in lines}


def _figure(svg: str, caption: str) -> str:
    return f'<figure class="trends-figure">{svg}<figcaption>{esc(caption)}</figcaption></figure>'


def trends_chart(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    colors: Mapping[str, str],
    dimension: str,
    *,
    share: bool = False,
) -> str:
    """A line chart as an ``<svg>`` element: one line per series over the years
    ``labels`` (evenly spaced), a point per known value with its value as a tooltip, a
    gap where a value is missing. Shares run from 0 to 100 %, quantities from 0 to the
    largest value. O(years x series)."""
    known = [v for points in series.values() for v in points if v is not None]
    top = 1.0 if share else _nice(max([*known, 0.0]))
    inner_w, inner_h = _WIDTH - _LEFT - _RIGHT, _HEIGHT - _TOP - _BOTTOM
    step = inner_w / max(len(labels) - 1, 1)

    def x(k: int) -> float:
        return _LEFT + k * step

    def y(v: float) -> float:
        return _TOP + inner_h * (1 - v / top)

    def text(v: float) -> str:
        return _format(v, "share" if share else "quantity", dimension)

    title = f"{dimension}: {'shares' if share else 'quantities'} per year"
    parts = [
        f'<svg class="trends" viewBox="0 0 {_WIDTH} {_HEIGHT}" width="{_WIDTH}" '
        f'role="img" aria-label="{esc(title)}" font-size="11">'
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        ty = y(tick * top)
        parts.append(
            f'<line x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="#d8dee4"></line><text x="{_LEFT - 6}" y="{ty:.1f}" dy="0.35em" '
            f'text-anchor="end" fill="#57606a">{esc(text(tick * top))}</text>'
        )
    for k, label in enumerate(labels):
        parts.append(
            f'<text x="{x(k):.1f}" y="{_HEIGHT - _BOTTOM + 16}" text-anchor="middle" '
            f'fill="#57606a">{esc(label)}</text>'
        )
    for n, (name, points) in enumerate(series.items()):
        color = colors.get(name, "#8c8c8c")
        dash = ' stroke-dasharray="6 3"' if n % 2 else ""  # equal series stay visible
        for run in _runs(points):
            path = " ".join(f"{x(k):.1f},{y(points[k]):.1f}" for k in run)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"'
                f"{dash}></polyline>"
            )
        for k, v in enumerate(points):
            if v is not None:
                tip = f"{name.replace('_', ' ')}, {labels[k]}: {text(v)}"
                parts.append(
                    f'<circle cx="{x(k):.1f}" cy="{y(v):.1f}" r="3.5" fill="{color}">'
                    f"<title>{esc(tip)}</title></circle>"
                )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch" style="background:{color}"></span>'
        f"{esc(name.replace('_', ' '))}</li>"
        for name, color in colors.items()
    )
    return "".join(parts) + f'<ul class="legend">{legend}</ul>'


def _nice(largest: float) -> float:
    """The top of a quantity axis: 1, 2, 4, 8 or 10 times a power of ten, >= ``largest``
    (so that the quarter ticks are round numbers)."""
    if not largest > 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(largest))
    return next(m * power for m in (1, 2, 4, 8, 10) if m * power >= largest)


def _runs(points: Sequence[float | None]) -> list[list[int]]:
    """Positions of the consecutive known values (a missing value breaks the line)."""
    runs: list[list[int]] = [[]]
    for k, v in enumerate(points):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(k)
    return [run for run in runs if len(run) > 1]


def _indicator_table(labels: Sequence[str], values: Sequence[Mapping], dims: list[str]) -> str:
    from ..analysis.indicators import SHARES
    from ..analysis.trends import HEADLINE_INDICATORS, HEADLINE_NETWORK_INDICATORS

    head = "".join(f'<th scope="col">{esc(label)}</th>' for label in labels)
    rows = []
    for dim, names in (("all", HEADLINE_NETWORK_INDICATORS),
                       *((d, tuple(HEADLINE_INDICATORS)) for d in dims)):  # fmt: skip
        for name in names:
            cells = [v.get(dim, {}).get(name) for v in values]
            if all(c is None for c in cells):
                continue
            kind = _kind(name, name in SHARES)
            shown = "".join(f"<td>{esc(_format(c, kind, dim))}</td>" for c in cells)
            label = name.replace("_", " ") + ("" if dim == "all" else f" ({dim})")
            rows.append(f'<tr><th scope="row">{esc(label)}</th>{shown}</tr>')
    return (
        '<div class="table-wrap"><table class="headline"><caption>Headline indicators per '
        f"year</caption><thead><tr><th></th>{head}</tr></thead><tbody>{''.join(rows)}"
        "</tbody></table></div>"
    )


def _kind(name: str, is_share: bool) -> str:
    if is_share:
        return "share"
    if name in _COUNTS:
        return "count"
    if name == "cyclicity":
        return "number"
    return "quantity"


def _change_html(change: Mapping[str, Any]) -> str:
    start, end = _label(change.get("from")), _label(change.get("to"))
    parts = [f"<h3>From {esc(start)} to {esc(end)}</h3>"]
    for key, label in (("links_appeared", "Links that appeared"),
                       ("links_vanished", "Links that vanished")):  # fmt: skip
        links = change.get(key) or []
        total = (change.get("rows") or {}).get(key, len(links))  # the dict lists the first
        if links:
            # records_table counts the rows itself, from total (the dict lists the first)
            parts.append(records_table(links[:_MAX_LISTED], label, total=total))
        else:
            parts.append(f"<p>{esc(label)}: none.</p>")
    for key, label in (("loops_appeared", "Loops that appeared"),
                       ("loops_vanished", "Loops that vanished")):  # fmt: skip
        loops = change.get(key) or []
        items = "".join(
            f"<li>{esc(' → '.join([*map(str, loop), str(loop[0])]))}</li>"
            for loop in loops[:_MAX_LISTED]
        )
        more = f" (the first {_MAX_LISTED} listed)" if len(loops) > _MAX_LISTED else ""
        parts.append(f"<p>{esc(label)}: {len(loops):,}{more}.</p>")
        if items:
            parts.append(f"<ul>{items}</ul>")
    if not change.get("loops_complete", True):
        parts.append('<p class="note">The loop search was bounded in one of these years: '
                     "the loop changes may be incomplete.</p>")  # fmt: skip
    return "\n".join(parts)


def trends_page_html(network: FlowNetwork, trends: Any, *, title: str | None = None) -> str:
    """A self-contained, offline page holding the trends section alone. O(years x
    indicators + links and loops listed)."""
    from ._arguments import note_title
    from .network_html import default_title
    from .report_html import page_html

    arguments = Arguments()
    note_title(arguments, "title", title)
    arguments.check()
    title = title or default_title(network)
    body = [
        '<section id="trends"><h2>Trends by year</h2>\n'
        f"{render_trends(trends if isinstance(trends, Mapping) else trends.to_dict())}\n"
        "</section>"
    ]
    return page_html(title, network, None, [("trends", "Trends by year")], body)
