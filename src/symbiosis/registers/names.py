"""A firm's name when a register spells it several ways: the most frequent spelling.

A register names a firm on every row (``sender_name``, ``receiver_name``), and a clerk's
slip renames it on one: the name kept is the spelling of most rows, as sender and
receiver together (ties: the spelling seen first, in the order of the files and rows),
and every id with several names is listed in a warning, since a second name is the
commonest sign of a wrong id.

The rows are counted per spelling inside the engine (:func:`.aggregate.name_counts`, on
the groups: O(g)); the first row of a tied spelling is looked for only when there is a
tie, in one more scan restricted to the tied ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .aggregate import FIRM_NAMES, name_counts

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from .engines import Engine

__all__ = ["chosen_names", "counted_names", "names_warning"]

COLUMNS = ["id", "name", "rows", "file", "first"]
#: The ids listed in the warning; the rest are counted.
SHOWN = 10


def counted_names(engine: Engine, clean: ir.Table, rows: ir.Table, file: int) -> pd.DataFrame:
    """The rows per (``id``, ``name``) of one register file (its index ``file``), with the
    ``first`` row of each spelling where an id's most frequent spellings tie (else 0)."""
    counts = engine.run(name_counts(clean)).to_pandas()
    counts = counts.groupby(["id", "name"], as_index=False)["rows"].sum()
    counts["file"], counts["first"] = file, 0
    top = counts.groupby("id")["rows"].transform("max")
    leaders = counts[counts["rows"] == top]
    tied = leaders["id"][leaders["id"].duplicated()].unique().tolist()
    if tied:
        first = _first_rows(engine, rows, tied)
        found = counts.set_index(["id", "name"]).index.map(first)
        counts["first"] = pd.Series(found, index=counts.index).fillna(0).astype("int64")
    return counts[COLUMNS]


def _first_rows(engine: Engine, rows: ir.Table, ids: list[str]) -> dict[tuple[str, str], int]:
    """The first row (as the engine reads it) of each spelling of the firms ``ids``."""
    from .repeats import row_numbers

    numbered = rows.mutate(row=row_numbers(rows))
    first: dict[tuple[str, str], int] = {}
    for role, name in zip(("sender", "receiver"), FIRM_NAMES, strict=True):
        if name not in numbered.columns:
            continue
        firm, spelled = numbered[role].strip(), numbered[name].strip()
        hits = numbered.filter(firm.isin(ids) & spelled.notnull() & (spelled != ""))
        found = hits.group_by(id=firm, name=spelled).aggregate(row=hits.row.min())
        for hit in engine.run(found).to_pylist():
            key = (hit["id"], hit["name"])
            first[key] = min(first.get(key, hit["row"]), hit["row"])
    return first


def chosen_names(counts: pd.DataFrame) -> pd.Series:
    """id -> the name of most rows over all files (ties: the one seen first). O(k log k)
    for k spellings."""
    if counts.empty:
        return pd.Series(dtype=object)
    summed = counts.groupby(["id", "name"], as_index=False).agg(
        rows=("rows", "sum"), file=("file", "min"), first=("first", "min")
    )
    ordered = summed.sort_values(
        ["id", "rows", "file", "first"], ascending=[True, False, True, True], kind="stable"
    )
    return ordered.drop_duplicates("id").set_index("id")["name"]


def names_warning(counts: pd.DataFrame) -> tuple[str, ...]:
    """One warning listing the ids written with several names, each name with its rows
    (most first), the name kept first; none when every id has one name."""
    if counts.empty:
        return ()
    summed = counts.groupby(["id", "name"], as_index=False)["rows"].sum()
    several = summed[summed["id"].duplicated(keep=False)]
    if several.empty:
        return ()
    kept = chosen_names(counts)
    lines = []
    for firm, spellings in several.groupby("id", sort=True):
        spellings = spellings.assign(kept=spellings["name"] == kept[firm])
        spellings = spellings.sort_values(["kept", "rows"], ascending=False, kind="stable")
        listed = ", ".join(
            f"{name!r} ({rows:,} row{'s' if rows != 1 else ''})"
            for name, rows in zip(spellings["name"], spellings["rows"], strict=True)
        )
        lines.append(f"{firm}: {listed}")
    more = len(lines) - SHOWN
    shown = "; ".join(lines[:SHOWN]) + (f"; and {more:,} more" if more > 0 else "")
    return (
        f"{len(lines):,} firm(s) have several names; the name of most rows is kept "
        f"(the first one listed): {shown}. A second name is often a wrong id: check those rows",
    )
