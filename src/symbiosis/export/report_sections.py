"""Section layouts of the report: summary, loops, opportunities, and the generic layout
that any other section gets from its ``to_dict()``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..units import DIMENSIONS
from .markup import either, esc, format_quantity, short_label
from .report_headline import section_dict
from .report_tables import (
    MAX_ROWS,
    Shown,
    _dimension_matrix,
    _format,
    _frame_records,
    _is_scalar,
    _mapping_table,
    records_table,
    shown,
)

if TYPE_CHECKING:
    from .report_html import Context

__all__ = [
    "none_found_text",
    "render_generic",
    "render_loops",
    "render_opportunities",
    "render_summary",
    "warnings_list",
]


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
    unsized = context.unsized  # their totals are 0 for want of sizes: left out
    totals = {d: v for d, v in data["totals"].items() if d not in unsized}
    if totals:
        parts.append(_dimension_matrix(totals, "Totals per dimension"))
    if unsized:
        parts.append(
            f'<p class="note">No {either(sorted(unsized, key=DIMENSIONS.index))} flow '
            "has a known quantity: no totals.</p>"
        )
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
            for core in cores[:MAX_ROWS]  # the rows shown: members' names cost time
        ]
        parts.append(records_table(records, "Symbiosis cores", total=len(cores)))
    rows = []
    loops = data.get("loops") or []
    for loop in loops[:MAX_ROWS]:
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
        title = f"Loops, {data.get('ranking') or 'in rank order'}"  # as the text says it
        parts.append(records_table(rows, title, folded=False, total=len(loops)))
    return "\n".join(parts)


def render_opportunities(opportunities: Any, context: Context) -> str:
    """Candidates ranked, proposed plants, and the effect of doing the listed ones."""
    data = section_dict(opportunities)
    parts = []
    if data.get("caveat"):
        parts.append(f'<p class="caveat">{esc(data["caveat"])}</p>')
    if data.get("warnings"):  # streams taken as hazardous by the node they go to
        parts.append(warnings_list(data["warnings"]))
    empty = none_found_text(data)
    if empty is not None:
        parts.append(f"<p>{esc(empty)}</p>")
    rows = []
    listed = data.get("opportunities") or []
    for item in listed[:MAX_ROWS]:
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
                # no capacity known for the receiver: the whole stream, an upper bound
                "size": "unknown: at most" if item.get("unbounded") else _no_room(item),
                "before_reuse_share": reuse.get("before"),
                "after_reuse_share": reuse.get("after"),
                "closes_loop": impact.get("closes_loop"),
                "maturity": item.get("maturity"),
                # a pre-treatment the pathway needs, as the text listing says it
                "only": _conditions(evidence),
                "pathway_source": evidence[0].get("source"),
            }
        )
    if rows:
        parts.append(records_table(rows, "Candidates, best first", folded=False, total=len(listed)))
    plants = []
    proposed = data.get("plants") or []
    for plant in proposed[:MAX_ROWS]:
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
        parts.append(
            records_table(plants, "New plants the catalogue would add", total=len(proposed))
        )
    cumulative = data.get("cumulative") or {}
    effects = []
    for key in ("reuse_share", "utilization_rate"):
        for dim, change in (cumulative.get(key) or {}).items():
            if isinstance(change, Mapping) and change.get("before") != change.get("after"):
                effects.append(
                    f"{key.replace('_', ' ')} ({dim}) {_format(change.get('before'), 'share')}"
                    f" → {_format(change.get('after'), 'share')}"
                )
    unbounded = len(cumulative.get("unbounded") or [])
    if unbounded:
        effects.append(
            f"{unbounded:,} of unknown size left out (no capacity known for the receiver)"
        )
    emerging = len(cumulative.get("emerging") or [])
    if emerging:
        effects.append(f"{emerging:,} of an emerging pathway left out (research or pilot scale)")
    if effects:
        parts.append(
            "<p><strong>If all the listed candidates were done:</strong> "
            + esc("; ".join(effects))
            + ".</p>"
        )
    return "\n".join(parts) or render_generic(opportunities, context)


def warnings_list(warnings: Any) -> str:
    """Warnings as the report lists them: a list of escaped texts (names from the input
    files are in them). O(total length)."""
    items = "".join(f"<li>{esc(w)}</li>" for w in warnings)
    return f'<ul class="warnings">{items}</ul>'


def _no_room(item: Mapping[str, Any]) -> str | None:
    """What the size column says of a receiver whose capacity is 0 from the start (a
    demand row's total no more than what the firm takes now, a share of its throughput
    it fills already): not a 0 t opportunity."""
    capacity = item.get("capacity")
    limit = capacity.get("limit") if isinstance(capacity, Mapping) else None
    if isinstance(limit, int | float) and limit <= 0:
        return "none: no room (a capacity of 0)"
    return None


def _conditions(evidence: list[Mapping[str, Any]]) -> str | None:
    """The pre-treatments the evidence's catalogue rows need (their ``condition``, each
    once, in order; e.g. "after its zinc, lead and silver are recovered"), or None. The
    cell is escaped as every text cell is (the condition is the user's catalogue text)."""
    said = dict.fromkeys(str(e["condition"]) for e in evidence if e.get("condition"))
    return "; ".join(said) or None


def _per_dimension(amounts: Any) -> Shown | None:
    """``{"mass": 2.0e6}`` as ``2.00 Mt/yr`` (dimensions joined), sorted by the first
    one shown; None (a blank) when there is none."""
    known = [(d, v) for d, v in amounts.items() if v is not None] if amounts else []
    if not isinstance(amounts, Mapping) or not known:
        return None
    text = ", ".join(format_quantity(v, d) for d, v in known)
    return shown(known[0][1], "quantity", known[0][0], text=text)


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
        parts.append(_render_value(key, value, None, context.unsized))
    tabular = any(isinstance(v, list | tuple | Mapping) and v for v in data.values())
    if not tabular and hasattr(result, "to_frame"):
        frame = result.to_frame()
        parts.append(records_table(_frame_records(frame), ""))
    return "\n".join(p for p in parts if p)


def _render_value(
    key: str, value: Any, dimension: str | None, unsized: frozenset[str] = frozenset()
) -> str:
    """``value`` of a section's dict as tables. Blocks per dimension leave out the
    ``unsized`` dimensions (no flow of known size: every sum 0), and say so."""
    caption = key.replace("_", " ")
    if isinstance(value, Mapping):
        if (
            value
            and all(k in DIMENSIONS for k in value)
            and all(isinstance(v, Mapping) for v in value.values())
        ):
            sized = {d: block for d, block in value.items() if d not in unsized}
            parts = [_dimension_matrix(sized, caption)] if sized else []
            if len(sized) < len(value):
                left = either([d for d in value if d in unsized])
                parts.append(f'<p class="note">{esc(caption)}: no {esc(left)} flow has a '
                             "known size, nothing summed.</p>")  # fmt: skip
            for dim, block in sized.items():
                for inner_key, inner in block.items():
                    if isinstance(inner, list) and inner:
                        parts.append(_render_value(f"{inner_key} ({dim})", inner, dim))
            return "\n".join(parts)
        if all(_is_scalar(v) for v in value.values()):
            return _mapping_table(value, caption, ("", ""), dimension=dimension)
        return "\n".join(
            _render_value(f"{key}: {k}", v, dimension, unsized) for k, v in value.items()
        )
    if isinstance(value, list | tuple):
        if not value:
            return f'<p class="note">{esc(caption)}: none.</p>'
        if all(type(v) is dict or isinstance(v, Mapping) for v in value):  # dict: no ABC check
            return records_table(value, caption, dimension=dimension)
        return f"<p><strong>{esc(caption)}</strong>: {esc(', '.join(map(str, value)))}</p>"
    return _mapping_table({key: value}, "", ("", ""), dimension=dimension)


# The fates of the opportunities' streams, as the sentence on an empty result names them.
_FATE_WORDS = (
    ("disposed", "disposed"),
    ("emitted", "emitted"),
    ("sold", "residue(s) sold raw"),
    ("product", "product(s) sold"),
    ("treated", "sent to treatment"),
)


def none_found_text(data: Mapping[str, Any]) -> str | None:
    """Why an opportunities result (its dict, or the part with ``streams``,
    ``streams_by_fate``, ``counts`` and ``parameters``) found nothing, as one sentence;
    None when it found candidates. On a park whose streams are all products sold the
    result was a heading and nothing else."""
    counts = data.get("counts") or {}
    if any(sum(kinds.values()) for kinds in counts.values() if isinstance(kinds, Mapping)):
        return None
    streams = data.get("streams") or 0
    if not streams:
        return (
            "No opportunity: no stream leaves the network from an actor (to a market, a "
            "disposal site or the environment), so there is nothing to redirect."
        )
    from ..analysis.opportunities.result import DEFAULT_FATES, KINDS

    fates = data.get("streams_by_fate") or {}
    parts = [f"{fates[fate]:,} {words}" for fate, words in _FATE_WORDS if fates.get(fate)]
    text = f"No opportunity found for the {streams:,} stream(s) that leave"
    text += f" ({', '.join(parts)})" if parts else ""
    why = []
    if fates.get("product"):
        why.append("a product only where the catalogue lists a further processing stage for it")
    if any(fates.get(fate) for fate in ("disposed", "emitted", "sold", "treated")):
        why.append(
            "a residue only where a catalogue pathway or an actor already taking the "
            "material matches it"
        )
    if why:
        text += ". A stream is proposed for " + "; ".join(why)
    parameters = data.get("parameters") or {}
    if parameters.get("max_distance_km") is not None or any(
        not set(words) <= set(parameters.get(name) or ())
        for name, words in (("kinds", KINDS), ("fates", DEFAULT_FATES))
    ):
        text += "; the kinds, fates or distance asked for narrow the search"
    return text + "."
