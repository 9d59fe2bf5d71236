"""The sections of a report read back from JSON (:meth:`~symbiosis.report.Report.from_dict`):
each a :class:`~symbiosis.report.RecordedSection`, holding what its ``to_dict()`` wrote and
no typed result.

What can be shown from that dict is shown from it: the notebook's view of a saved report
(:func:`~symbiosis.export.notebook.report_block_html`) takes each section's tables from
:func:`recorded_tables`, as the HTML report lays a section out from its dict. The tables of
``--xlsx`` and ``--csv`` (:func:`~symbiosis.export.xlsx.section_tables`) are the typed
result's, which hold more than its dict (every firm of the balance, not only those out of
balance; every candidate of the opportunities, not only those listed; the longest lists cut
at the listed rows): for a recorded section they are refused with :func:`not_tabled`'s
message, which says to analyze the network again, rather than written from a part of the
data under the same sheet names.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

import pandas as pd

from ..jsonable import to_jsonable
from ..units import DIMENSIONS

__all__ = ["RecordedTable", "is_recorded", "not_tabled", "recorded_tables"]

#: The module of RecordedSection: not imported here (it imports every pass).
_REPORT = f"{__name__.rsplit('.', 2)[0]}.report"
_SCALARS = (str, int, float, bool, type(None))


class RecordedTable(NamedTuple):
    """A table of a recorded section: its ``frame`` (at most the rows asked for), the
    number of rows the dict ``recorded`` and the ``total`` of the whole table (the dict's
    ``rows`` count, where its list was cut at the listed rows; else what it recorded)."""

    frame: pd.DataFrame
    recorded: int
    total: int


def is_recorded(result: Any) -> bool:
    """Whether ``result`` is a section read back from JSON (a
    :class:`~symbiosis.report.RecordedSection`). The report's module is not imported for
    this: until it is loaded, there is no such section. O(1)."""
    report = sys.modules.get(_REPORT)
    return report is not None and isinstance(result, report.RecordedSection)


def not_tabled(names: Iterable[str]) -> str:
    """Why the typed tables of the sections ``names``, read back from JSON, cannot be
    written, and what to do: the message of the ``TypeError`` that
    :func:`~symbiosis.export.xlsx.section_tables` raises for them."""
    listed = list(names)
    quoted = ", ".join(repr(name) for name in listed)
    said = f"section {quoted} was" if len(listed) == 1 else f"sections {quoted} were"
    first = listed[0] if listed else "name"
    return (
        f"the {said} read from JSON (Report.from_dict): the tables of --xlsx and --csv are "
        "the typed result's, which the JSON does not hold whole; analyze the network again "
        f"(symbiosis.analyze(network)) to write them; report[{first!r}].to_dict() holds the "
        "data as recorded"
    )


def recorded_tables(data: Any, *, max_rows: int | None = None) -> dict[str, RecordedTable]:
    """The tables a section's dict holds, by name, in the dict's order:

    - its values (numbers, text; a list of them as one text) as a key/value table,
      ``values``;
    - a mapping of mappings (blocks per ``dimension``: the summary's ``totals``, the
      ``dimensions`` of a pass; the opportunities' ``counts``) as a row per key;
    - a list of records as a table (``by_material``, ``flagged``), a record's mapping of
      values flattened one level (``bottleneck_mass``), its deeper parts as JSON text;
      its ``total`` from the dict's ``rows`` (the full count, where the list was cut);
    - any other mapping the same way, its tables named by their path
      (``cumulative_applied``).

    ``rows`` gives the counts and is not shown (the ``units`` are: a key/value table, as
    any mapping of values). Each frame holds at most ``max_rows`` rows (None: all).
    Nothing is computed: every cell is a value of the dict. O(cells of the dict, at most
    ``max_rows`` rows per list)."""
    tables: dict[str, RecordedTable] = {}
    if not isinstance(data, Mapping):
        frame = pd.DataFrame({"value": [_cell(data)]})
        return {"values": RecordedTable(frame, 1, 1)}
    counts = data.get("rows")
    shown = {key: value for key, value in data.items() if key != "rows"}
    _gather(tables, "", shown, counts if isinstance(counts, Mapping) else {}, max_rows)
    return tables


def _gather(
    tables: dict[str, RecordedTable],
    path: str,
    mapping: Mapping[str, Any],
    counts: Mapping[str, Any],
    max_rows: int | None,
) -> None:
    """The tables of ``mapping`` (at ``path``) into ``tables``: its values first, then
    each list and mapping in order; ``counts``: the full count of each list (``rows``)."""
    values: dict[str, Any] = {}
    later: list[tuple[str, Any]] = []
    for key, value in mapping.items():
        if _flat(value):
            values[str(key)] = _cell(value)
        else:
            later.append((str(key), value))
    if values:
        frame = pd.DataFrame({"key": list(values), "value": list(values.values())})
        tables[path or "values"] = RecordedTable(frame, len(frame), len(frame))
    for key, value in later:
        name = f"{path}_{key}" if path else key
        if isinstance(value, list | tuple):
            total = counts.get(key)
            rows = value if max_rows is None else value[:max_rows]
            frame = pd.DataFrame([_record(row) for row in rows])
            recorded = len(value)
            whole = total if isinstance(total, int) and total > recorded else recorded
            tables[name] = RecordedTable(frame, recorded, whole)
        elif all(isinstance(v, Mapping) for v in value.values()):
            _blocks(tables, name, value, max_rows)
        else:
            _gather(tables, name, value, {}, max_rows)


def _blocks(
    tables: dict[str, RecordedTable],
    name: str,
    blocks: Mapping[str, Mapping[str, Any]],
    max_rows: int | None,
) -> None:
    """A mapping of mappings: a row per key (per ``dimension`` when each key is one),
    then each block's deeper parts as tables of their own (``name_key_part``)."""
    label = "dimension" if all(key in DIMENSIONS for key in blocks) else "key"
    rows = []
    deeper: list[tuple[str, dict[str, Any]]] = []
    for key, block in blocks.items():
        row: dict[str, Any] = {label: key}
        parts = {}
        for inner, value in block.items():
            if _flat(value) or _flat_mapping(value):
                row.update(_record({inner: value}))
            else:
                parts[inner] = value
        rows.append(row)
        if parts:
            deeper.append((f"{name}_{key}", parts))
    frame = pd.DataFrame(rows)
    tables[name] = RecordedTable(frame, len(frame), len(frame))
    for path, parts in deeper:
        _gather(tables, path, parts, {}, max_rows)


def _flat(value: Any) -> bool:
    """A value shown in one cell: a number, a text (anything but a mapping or a list), or
    a list of them (as one text)."""
    if isinstance(value, Mapping):
        return False
    if isinstance(value, list | tuple):
        return bool(value) and not any(isinstance(v, Mapping | list | tuple) for v in value)
    return True


def _flat_mapping(value: Any) -> bool:
    return isinstance(value, Mapping) and all(_flat(v) for v in value.values())


def _record(record: Any) -> dict[str, Any]:
    """A row's cells: a mapping of values flattened one level (``bottleneck_mass``)."""
    if not isinstance(record, Mapping):
        return {"value": _cell(record)}
    cells: dict[str, Any] = {}
    for key, value in record.items():
        if _flat_mapping(value) and value:
            for inner, v in value.items():
                cells[f"{key}_{inner}"] = _cell(v)
        else:
            cells[str(key)] = _cell(value)
    return cells


def _cell(value: Any) -> Any:
    """A value as one cell: a number or a text as it is (a numpy number as Python's), a
    list of them as one text, anything deeper as compact JSON text."""
    if isinstance(value, _SCALARS):
        return value
    if not _flat(value):
        return json.dumps(to_jsonable(value), ensure_ascii=False, separators=(", ", ": "))
    if isinstance(value, list | tuple):
        return "; ".join("" if v is None else str(to_jsonable(v)) for v in value)
    return to_jsonable(value)
