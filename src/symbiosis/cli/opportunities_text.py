"""The text renderer of ``symbiosis opportunities`` and of the report's ``opportunities``
section: one table per group of opportunities, their evidence, the new plants and what the
listed opportunities would do all together. :mod:`~symbiosis.cli.opportunities` (the
command) re-exports :func:`print_opportunities`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._percent import distance_text
from .app import stdout
from .firm_labels import loop_lines, name_and_id
from .plan import CAPACITY_NOTE, UNBOUNDED_NOTE
from .render import frame_table, markup_safe, number, share

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from ..analysis.opportunities import Opportunities

__all__ = ["print_opportunities"]


GROUP_TITLES = {
    "dumped": "Streams disposed or emitted",
    "sold": "Residues sold raw out of the network",
    "downstream": "Early-stage products leaving the network (downstream extension)",
}
#: The one line on the streams the fates and kinds asked for left out
#: (:attr:`~symbiosis.analysis.opportunities.Opportunities.not_searched`).
NOT_SEARCHED = (
    "{count:,} stream(s) not searched because of --fate or --kind (of another fate, or "
    "with candidates of other kinds only); a run without them lists their candidates "
    "or their lack of one."
)


def print_opportunities(result: Opportunities, *, names: Mapping[str, str] | None = None) -> None:
    """The opportunities as text: one table per group, evidence, plants, cumulative; the
    firms of the loops they close named by ``names`` (id -> name: the network's,
    :func:`~.firm_labels.firm_names`; ``None``: those the listed opportunities give)."""
    from ..export.report_sections import none_found_text

    treated = "treated" in result.parameters.get("fates", ())
    where = "leave the network or go to treatment" if treated else "leave the network"
    stdout.print(f"[bold]Opportunities[/] ({result.streams:,} streams {where}). "
                 f"[italic]{result.caveat}[/]")  # fmt: skip
    empty = none_found_text({"streams": result.streams, "streams_by_fate": result.streams_by_fate,
                             "counts": result.counts, "parameters": result.parameters})  # fmt: skip
    if empty is not None:
        stdout.print(markup_safe(empty), soft_wrap=True)
    for group, title in GROUP_TITLES.items():
        if group == "dumped" and "treated" in result.parameters.get("fates", ()):
            title = "Streams disposed, emitted or sent to treatment"
        listed = result.group(group)
        total = sum(result.counts.get(group, {}).values())
        if not listed:
            if total:
                stdout.print(f"{title}: {total:,} candidate(s), none listed (--top 0)")
            continue
        stdout.print(frame_table(_group_frame(listed), f"{title} ({total:,} candidates)"))
        if any(o.unbounded for o in listed):
            stdout.print(f"  {UNBOUNDED_NOTE}", soft_wrap=True)
        for o in listed:
            for entry in o.evidence[:2]:
                # a catalogue row, and how the stream matched it; or the network's own
                # evidence, which its rule names
                label = entry["rule"] if entry["id"] is None else (
                    f"{entry['id']} (matched by {entry['rule']})")  # fmt: skip
                stdout.print(f"  #{o.rank} {label}: {number(entry['source'])}", soft_wrap=True)
                if entry.get("condition"):  # a pre-treatment the row needs: no direct route
                    stdout.print(f"  #{o.rank} {entry['id']} only {entry['condition']}",
                                 soft_wrap=True)  # fmt: skip
    if result.plants:
        stdout.print(
            frame_table(
                _plant_frame(result),
                "New plants (chain extension), one per "
                "process: what one plant of typical size takes",
            )
        )
    cumulative = result.cumulative
    if cumulative is not None:
        stdout.print(
            f"[bold]If the {len(cumulative.applied)} listed opportunities were all done[/] "
            f"(alternatives on a used stream skipped):"
        )
        stdout.print(f"  {CAPACITY_NOTE}", soft_wrap=True)
        if cumulative.skipped:
            said = "; ".join(f"{s.group} #{s.rank} ({_used_up_by(s)})" for s in cumulative.skipped)
            stdout.print(f"  skipped, what an earlier one used up: {said}", soft_wrap=True)
        if cumulative.unbounded:
            said = ", ".join(f"{group} #{rank}" for group, rank in cumulative.unbounded)
            stdout.print(f"  left out, no capacity known for the receiver (size unknown): {said}",
                         soft_wrap=True)  # fmt: skip
        if cumulative.emerging:
            said = ", ".join(f"{group} #{rank}" for group, rank in cumulative.emerging)
            stdout.print(f"  left out, emerging pathway (research or pilot scale, not a "
                         f"capacity to count on): {said}", soft_wrap=True)  # fmt: skip
        for dimension, (before, after) in cumulative.impact.reuse_share.items():
            moved = cumulative.moved.get(dimension)
            stdout.print(
                f"  {dimension}: reuse share {share(before)} -> {share(after)}"
                + (f", {number(moved, result.units.get(dimension, ''))} moved" if moved else "")
            )
        # a loop's firms by name where their ids are codes, as in the loops command
        for line in loop_lines(cumulative.impact.loops, _names(result, names), " -> "):
            stdout.print(f"  closes the loop {markup_safe(line)}")
    _print_uncovered(stdout, result.uncovered)
    if result.not_searched:  # not in the table above, whether the catalogue covers them or not
        stdout.print(NOT_SEARCHED.format(count=result.not_searched), soft_wrap=True)


def _print_uncovered(stdout, uncovered) -> None:
    """The streams no opportunity covers: those of no catalogue pathway, then those
    whose pathways found no receiver here (with the rows' ids)."""
    if not len(uncovered):
        return
    known = uncovered["pathways"].astype(bool) if "pathways" in uncovered else False
    for rows, hidden, title in (
        (uncovered[~known], ["pathways"], "Streams with no known pathway in the catalogue"),
        (uncovered[known], [], "Streams whose catalogue pathways find no receiver here (no "
                               "actor of the receiving sector; no plant for a minor input, "
                               "nor beside a source of that sector: a row marked (in-house) "
                               "is one its own source could run)"),
    ):  # fmt: skip
        if len(rows):
            stdout.print(frame_table(rows.drop(columns=["material_key", *hidden]), title))


def _names(result: Opportunities, names: Mapping[str, str] | None) -> Mapping[str, str]:
    """``names``, else the names of the firms the listed opportunities give (a loop's
    other firms keep their ids). O(listed)."""
    if names is not None:
        return names
    known = {}
    for o in result.listed:
        known.update({o.source: o.source_name, o.stream_target: o.stream_target_name})
        if not o.new_plant:
            known[o.target] = o.target_name
    return known


def _used_up_by(skipped) -> str:
    """What a skipped opportunity found used up, and by which (none from the start: its
    limit was 0, e.g. a demand's total no more than what the firm takes now)."""
    if skipped.by is None:
        return f"{skipped.used_up}: no room from the start"
    return f"{skipped.used_up}, by {skipped.by[0]} #{skipped.by[1]}"


def _group_frame(listed) -> pd.DataFrame:
    import pandas as pd

    from ..analysis.opportunities.result import plant_name

    rows = []
    for o in listed:
        change = "–"
        at_most = "≤ " if o.unbounded else ""  # the whole stream: an upper bound
        if o.impact is not None and o.dimension in o.impact.reuse_share:
            before, after = o.impact.reuse_share[o.dimension]
            # of no size known, the whole stream's share ("0.0 % -> ≤ 99.2 %" for one
            # refinery offered a city's effluent) reads as achievable: said unknown
            change = f"{share(before)} -> " + ("size unknown" if o.unbounded else share(after))
        loop = " (closes a loop)" if o.impact is not None and o.impact.closes_loop else ""
        # its intake is treated, not reused: the reuse share does not move
        loop = " (treatment)" + loop if o.target_role == "treatment" and not o.new_plant else loop
        rows.append(
            {
                "#": o.rank,
                "kind": o.kind,
                # a firm whose id is a code by its name too (a register's credit codes)
                "stream": f"{o.material} {name_and_id(o.source, o.source_name)} -> "
                f"{name_and_id(o.stream_target, o.stream_target_name)}",
                "quantity": at_most
                + number(o.quantity, (o.unit or "").replace("/yr", ""))
                + (" (no room)" if o.no_room else ""),
                "to": (
                    f"new {plant_name(o.target_sector)}"
                    if o.new_plant
                    else name_and_id(o.target, o.target_name)
                )
                + (" (in-house)" if o.kind == "in_house" else "")  # its own process
                + loop,
                "km": distance_text(o.distance_km),  # to the 100 m (JSON: as computed)
                "maturity": o.maturity or "unknown",
                "reuse share": change,
            }
        )
    return pd.DataFrame(rows).set_index("#")


def _plant_frame(result: Opportunities) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for plant in result.plants:
        # one plant of typical size; the whole streams (an upper bound) when none is known
        at_most = "≤ " if plant.unbounded else ""
        count = plant.plants_of_typical_size
        available = "; ".join(
            number(v, result.units.get(d, "")) + (f" ({_plants(count[d])})" if d in count else "")
            for d, v in plant.available.items()
        )
        rows.append(
            {
                "plant": f"{plant.sector}: {plant.products[0]}" if plant.products else plant.sector,
                "disposed or emitted": _amounts(plant.dumped, result.units, at_most),
                "sold raw": _amounts(plant.sold, result.units, at_most),
                "products": _amounts(plant.products_in, result.units, at_most),
                "available": available or "–",
                "feeds": len(plant.feeds),
                "maturity": plant.maturity or "unknown",
                "pathways": ", ".join(plant.pathways),
            }
        )
    return pd.DataFrame(rows).set_index("plant")


def _plants(count: int) -> str:
    return f"{count:,} plant" + ("" if count == 1 else "s")


def _amounts(amounts: dict[str, float], units: dict[str, str], at_most: str = "") -> str:
    return "; ".join(at_most + number(v, units.get(d, "")) for d, v in amounts.items()) or "–"
