"""The report's headline: big numbers and one column per dimension, gathered from
whichever sections the report has (each number as the section's ``to_dict()`` gives it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..jsonable import to_jsonable
from ..model import FlowNetwork
from .markup import esc
from .report_tables import SHARE_KEYS, _builtin, _format, _sort_key

if TYPE_CHECKING:
    from .report_html import Context

__all__ = [
    "HEADLINES",
    "MIXED_MARK",
    "dimension_header",
    "dimension_value",
    "headline_cards",
    "headline_data",
    "headline_html",
    "headline_rows",
    "headline_text",
    "marked",
    "mixed_kinds",
    "mixed_notes",
    "mixed_notes_html",
    "no_sizes",
    "report_warnings",
    "section_dict",
]

#: The headline table: (section, key, label, kind) looked up per dimension.
HEADLINES: tuple[tuple[str, str, str, str], ...] = (
    ("summary", "total", "Known flows, all", "quantity"),
    ("summary", "internal", "Exchanged between actors", "quantity"),
    ("summary", "imports", "Imports into the system", "quantity"),
    ("summary", "outputs", "Leaving the system", "quantity"),
    ("reuse", "generated", "Residuals generated (by-products, waste, emissions)", "quantity"),
    ("reuse", "reused", "… reused by an actor (in-house included)", "quantity"),
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


#: ``to_dict`` arguments that leave out the long lists the headline never reads: they
#: are most of what a big section costs to convert (the loops listed are described one
#: by one), and the numbers the headline takes are the same either way.
_HEADLINE_ONLY: dict[str, dict[str, Any]] = {
    "reuse": {"tables": (), "limit": 0},
    "balance": {"limit": 0},
    "structure": {"limit": 0},
    "loops": {"limit": 0},
}


def report_warnings(warnings: Iterable[str], data: Mapping[str, Any]) -> list[str]:
    """What a report's warnings block lists: ``warnings`` (the network's data warnings,
    the report's), then each section's own, from the ``warnings`` of its dict in ``data``
    (section dicts by name: the opportunities' streams taken as hazardous by the node
    they go to, which ``symbiosis opportunities`` prints), each text once, in that order.
    O(warnings + sections)."""
    passes = [
        str(text)
        for section in data.values()
        if isinstance(section, Mapping) and isinstance(section.get("warnings"), list | tuple)
        for text in section["warnings"]
    ]
    return list(dict.fromkeys([*map(str, warnings), *passes]))


def headline_data(sections: Mapping[str, Any]) -> dict[str, Any]:
    """The sections' dicts by name, as far as :func:`headline_cards` and
    :func:`headline_rows` read them: what :func:`section_dict` gives, less the listed
    rows of the big sections. O(dimensions) for those, else as ``to_dict``."""
    return {
        name: result.to_dict(**_HEADLINE_ONLY[name])
        if name in _HEADLINE_ONLY and result is not None
        else section_dict(result)
        for name, result in sections.items()
    }


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


def headline_rows(
    network: FlowNetwork, data: Mapping[str, Any]
) -> list[tuple[str, str, list[Any]]]:
    """The rows of the headline table present in ``data`` (section dicts by name):
    (label, kind, one value per dimension of the network), a dimension without flows of
    known size showing :data:`UNKNOWN`; none when no dimension has such flows (see
    :func:`no_sizes`). O(rows x dimensions)."""
    dims = list(network.dimensions)
    if not network.sized_dimensions:  # nothing but zeros for want of sizes
        return []
    unsized = set(dims) - set(network.sized_dimensions)
    rows = []
    for section, key, label, kind in HEADLINES:
        values = [dimension_value(data.get(section), d, key) for d in dims]
        if any(v is not None for v in values):
            sized = [UNKNOWN if v is not None and d in unsized else v
                     for v, d in zip(values, dims, strict=True)]  # fmt: skip
            rows.append((label, kind, sized))
    return rows


#: What a number of a dimension without one flow of known size shows instead.
UNKNOWN = "unknown"
#: What marks the column of a dimension whose flows are of several kinds, and its note.
MIXED_MARK = "*"


def mixed_kinds(data: Mapping[str, Any]) -> dict[str, list[str]]:
    """The dimensions whose figures add flows of several kinds (volume: water, gas, solid,
    liquid fuel or chemical; :mod:`symbiosis._volume_mix`), each with its kinds: those of
    the summary's ``mixed`` (every flow of known size), then any more of the reuse
    accounts' (the residual streams). O(dimensions x kinds)."""
    found: dict[str, list[str]] = {}
    for section in ("summary", "reuse"):
        mixed = (data.get(section) or {}).get("mixed") if isinstance(data, Mapping) else None
        if isinstance(mixed, Mapping):
            for dimension, kinds in mixed.items():
                if isinstance(kinds, Mapping):
                    listed = found.setdefault(str(dimension), [])
                    listed += [str(k) for k in kinds if str(k) not in listed]
    return found


def dimension_header(dimension: str, mixed: Mapping[str, Any]) -> str:
    """A dimension's column header in the headline: marked with :data:`MIXED_MARK` when
    its flows mix kinds (``mixed``: :func:`mixed_kinds`)."""
    return f"{dimension} {MIXED_MARK}" if dimension in mixed else dimension


def marked(text: str, kind: str, dimension: str, mixed: Mapping[str, Any]) -> str:
    """A headline cell's ``text``, a share of a dimension that mixes kinds marked with
    :data:`MIXED_MARK` (its note says what it adds)."""
    return f"{text} {MIXED_MARK}" if kind == "share" and dimension in mixed else text


def mixed_notes(data: Mapping[str, Any]) -> list[str]:
    """One note per dimension whose figures mix kinds (:func:`mixed_kinds`): what its flows
    add, and the reuse share of each kind of its residual streams when those mix: ``*
    volume (mixed: gas + water) adds 9.00 billion m³/yr of gas and 2.00 million m³/yr of
    water ...``. None when nothing mixes. O(dimensions x kinds)."""
    notes = []
    summary = (data.get("summary") or {}).get("mixed") or {}
    reuse = (data.get("reuse") or {}).get("mixed") or {}
    for dimension, kinds in mixed_kinds(data).items():
        label = "mixed: " + " + ".join(kinds)
        sizes = summary.get(dimension) or {}
        parts = [f"{MIXED_MARK} {dimension} ({label})"]
        if sizes:
            added = " and ".join(
                f"{_format(size, 'quantity', dimension)} of {kind}" for kind, size in sizes.items()
            )
            parts.append(f" adds {added}: its sums and shares mix them")
        streams = reuse.get(dimension) or {}
        if streams:
            each = "; ".join(
                f"{kind} {_format(row.get('reuse_share'), 'share')} of "
                f"{_format(row.get('generated'), 'quantity', dimension)}"
                for kind, row in streams.items()
                if isinstance(row, Mapping)
            )
            parts.append(
                f"{'.' if sizes else ':'} Reuse share of its residual streams by kind: {each}"
            )
        elif sizes:
            parts.append(" (its residual streams are of one kind: their shares do not)")
        notes.append("".join(parts) + ".")
    return notes


def no_sizes(network: FlowNetwork) -> str | None:
    """What the headline says instead of its table when no flow has a known size (a
    network of links only), else None."""
    if network.sized_dimensions:
        return None
    return (
        "No flow has a known quantity: the network is read for its structure (loops, "
        "cores, chains) and the residual streams are counted, but nothing is summed."
    )


def headline_text(value: Any, kind: str, dimension: str | None = None) -> str:
    """A headline value for people, as the report shows it (units, %, a dash for None)."""
    return _format(_builtin(value), kind, dimension)


def headline_html(network: FlowNetwork, sections: Mapping[str, Any], context: Context) -> str:
    dims = list(network.dimensions)
    data = {name: section_dict(result) for name, result in sections.items()}
    cards = _headline_cards(network, data)
    empty = no_sizes(network)
    if empty is not None:
        return cards + f"<p>{esc(empty)}</p>"
    rows = []
    mixed = mixed_kinds(data)
    for label, kind, values in headline_rows(network, data):
        cells = "".join(
            _headline_cell(v, d, kind, mixed) for v, d in zip(values, dims, strict=True)
        )
        rows.append(f'<tr><th scope="row">{esc(label)}</th>{cells}</tr>')
    head = "".join(
        f'<th scope="col">{esc(dimension_header(d, mixed))} '
        f'<span class="unit">({esc(context.units.get(d, ""))})</span></th>'
        for d in dims
    )
    return (
        cards + f'<table class="headline"><thead><tr><th></th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>" + mixed_notes_html(data)
    )


def mixed_notes_html(data: Mapping[str, Any]) -> str:
    """:func:`mixed_notes` as HTML paragraphs (escaped), or nothing."""
    return "".join(f'<p class="note">{esc(note)}</p>' for note in mixed_notes(data))


def _headline_cell(value: Any, dimension: str, kind: str, mixed: Mapping[str, Any]) -> str:
    value = _builtin(value)
    text = marked(_format(value, kind, dimension), kind, dimension, mixed)
    return f'<td data-v="{_sort_key(value)}">{esc(text)}</td>'


def _headline_cards(network: FlowNetwork, data: Mapping[str, Any]) -> str:
    """Big numbers for the first dimension and the network as a whole, as HTML."""
    cards = headline_cards(network, data)
    if not cards:
        return ""
    items = "".join(
        f'<div class="card"><div class="big">{esc(v)}</div><div>{esc(label)}</div></div>'
        for v, label in cards
    )
    return f'<div class="cards">{items}</div>'


def headline_cards(network: FlowNetwork, data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The big numbers of the report, as (value text, label): reuse share, Finn cycling
    index and disposed for the first dimension with known sizes (without one, the reuse
    share by count of streams), then loops, cores, cyclicity, longest chain and
    opportunities, each when its section is in ``data``. O(1) per card."""
    cards = []
    first = _first_sized(network, data.get("summary"))
    mixed = mixed_kinds(data)
    if first is not None:
        for section, key, label in (
            ("reuse", "reuse_share", "reuse share"),
            ("cycling", "finn_cycling_index", "Finn cycling index"),
            ("reuse", "disposed", "disposed"),
        ):
            value = dimension_value(data.get(section), first, key)
            if value is not None:
                kind = "share" if key in SHARE_KEYS or key.endswith("_share") else "quantity"
                interval = _interval(data.get("uncertainty"), first, key)
                said = (
                    first if first not in mixed else f"{first}, mixed: {' + '.join(mixed[first])}"
                )
                label = f"{label} ({said})" + (f", {interval}" if interval else "")
                cards.append((_format(value, kind, first), label))
    counted = (data.get("reuse") or {}).get("counted") if first is None else None
    if isinstance(counted, Mapping) and counted.get("reuse_share") is not None:
        label = f"reuse share (by count: {counted['reused']:,} of {counted['streams']:,} streams)"
        cards.append((_format(counted["reuse_share"], "share"), label))
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
    opportunities = _opportunities_card(data.get("opportunities"))
    if opportunities is not None:
        cards.append(opportunities)
    return cards


def _opportunities_card(data: Any) -> tuple[str, str] | None:
    """The opportunities found (every group and kind: the sum of the section's
    ``counts``, the figure of ``trends``, ``compare`` and ``scenario``), and how many of
    them are listed when not all are: "55 opportunities (10 listed)". The listed rows
    alone when the section has no counts. None without the section. O(groups x kinds)."""
    if not isinstance(data, Mapping) or not isinstance(data.get("opportunities"), list):
        return None
    listed = len(data["opportunities"])
    counts = data.get("counts")
    if not isinstance(counts, Mapping):
        return f"{listed:,}", "opportunities"
    found = sum(
        n for kinds in counts.values() if isinstance(kinds, Mapping)
        for n in kinds.values() if isinstance(n, int)
    )  # fmt: skip
    shown = f" ({listed:,} listed)" if listed < found else ""
    return f"{found:,}", f"opportunities{shown}"


def _first_sized(network: FlowNetwork, summary: Any) -> str | None:
    """The first dimension whose known flows add up to more than nothing (its cards'
    quantities say something): a network whose flows of a dimension are all of unknown
    size showed "0 t/yr disposed". The first dimension when the summary is not there."""
    if not isinstance(summary, Mapping) or not isinstance(summary.get("totals"), Mapping):
        return network.dimensions[0] if network.dimensions else None
    totals = summary["totals"]
    return next((d for d in network.dimensions if (totals.get(d) or {}).get("total")), None)


def _interval(data: Any, dimension: str, key: str) -> str | None:
    """The 95 % interval of a share card when the report has an uncertainty section."""
    if key not in ("reuse_share", "finn_cycling_index") or not isinstance(data, Mapping):
        return None
    from .report_uncertainty import interval_text

    return interval_text(data, dimension, key)
