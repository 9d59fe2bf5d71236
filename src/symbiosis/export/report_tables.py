"""Tables and cells of the report: records, key/value and per-dimension tables; numbers
for people (quantities with units, shares in %, counts with separators)."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._percent import distance_text, percent
from ..jsonable import to_jsonable
from .markup import TEXT_LENGTH, clip, esc, format_quantity

__all__ = ["FOLD_ROWS", "MAX_ROWS", "Shown", "records_table", "shown"]

#: Rows shown per table; the full data are in ``symbiosis analyze --format json``.
MAX_ROWS = 300
#: Longer tables are folded (a click opens them), so that the page can be skimmed.
FOLD_ROWS = 12

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
#: Keys whose numbers are fractions, shown as percentages, as the text shows them
#: (cli/render.share; tests/export/test_report_html.py checks the text's share columns).
SHARE_KEYS = frozenset(
    {
        "share",
        "finn_cycling_index",
        "extraction_dependence",
        "extraction_dependence_recorded",
        "relative_imbalance",
        "sector_evenness",
        "market_sales_staged",  # was 1 and 0.9857 where the text said 100.0 %, 98.6 %
        "share_in_cycles",
        "tolerance",  # the balance's: 5 % in the text
    }
)

# ---------------------------------------------------------------------------- tables


def records_table(
    records: list[Mapping[str, Any]],
    caption: str,
    *,
    dimension: str | None = None,
    folded: bool = True,
    total: int | None = None,
) -> str:
    """A sortable table of records (a dict per row), at most :data:`MAX_ROWS` rows.
    Nested values are flattened one level (``bottleneck.mass``). ``total``: the number of
    rows of the whole table when ``records`` holds only its first rows (at least
    :data:`MAX_ROWS` of them, or all it lists), so that a caller need not build rows
    never shown; the caption gives that count."""
    total = len(records) if total is None else total
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
    if total > len(flat):
        note = (
            f'<p class="note">First {len(flat):,} of {total:,} rows; all of them are in '
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
        f"<tr>{_row_head(str(k).replace('_', ' '))}{_cell(str(k), v, dimension)}</tr>"
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
        rows.append(f"<tr>{_row_head(key.replace('_', ' '))}{cells}</tr>")
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
        if type(value) in _PLAIN:  # most values: no Mapping check (an ABC check is slow)
            flat[key] = value
        elif isinstance(value, Mapping) and all(_is_scalar(v) for v in value.values()):
            for inner, v in value.items():
                flat[f"{key}_{inner}"] = v
        else:
            flat[key] = value
    return flat


# ---------------------------------------------------------------------------- cells


@dataclass(frozen=True, slots=True)
class Shown:
    """A value formatted before it reaches a table (an interval, several dimensions in
    one cell), with what the table sorts it by: ``sort`` (None: a blank, last either
    way) and the ``dimension`` of a quantity (quantities of different dimensions are
    never ordered by value, see assets/report.js)."""

    text: str
    sort: float | None
    dimension: str | None = None


def shown(value: Any, kind: str, dimension: str | None = None, text: str | None = None) -> Shown:
    """``value`` as :func:`_format` shows it (or as ``text``), sorted by ``value``."""
    value = _builtin(value)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    sort = float(value) if number and math.isfinite(value) else None
    quantity = kind == "quantity" and dimension is not None
    return Shown(
        _format(value, kind, dimension) if text is None else text,
        sort,
        dimension if quantity else None,
    )


_PLAIN = frozenset({str, int, float, type(None)})


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool | np.generic)


def _builtin(value: Any) -> Any:
    """A builtin scalar: numpy scalars unboxed, NaN and pandas' NA as None."""
    kind = type(value)
    if kind is str or kind is int or value is None:  # the common values first
        return value
    if kind is float:
        return None if math.isnan(value) else value
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


_DIM_SUFFIX = re.compile(r"^(?P<key>.+)_(?P<dim>mass|energy|volume)$")


@functools.lru_cache(maxsize=4096)  # one regex match per column, not per cell
def _kind(key: str, dimension: str | None) -> tuple[str, str | None]:
    """How to show a value under ``key``: ("quantity", dim), ("share", None), ..."""
    match = _DIM_SUFFIX.match(key)
    if match:
        key, dimension = match["key"], match["dim"]
    if key in SHARE_KEYS or key.endswith(("_share", "_rate")):
        return "share", None
    if key.endswith("_km"):  # a distance: to the 100 m, as the text shows it
        return "distance", None
    if key in QUANTITY_KEYS or key.startswith(("bottleneck", "internal")):
        return ("quantity", dimension) if dimension else ("number", None)
    return "auto", None


def _cell(key: str, value: Any, dimension: str | None) -> str:
    value = _builtin(value)
    kind, dim = _kind(key, dimension)
    # The common cells first, by exact type (a bool is an int, but not a number here):
    # the text of a number has nothing to escape (a property test checks it).
    if type(value) is float or type(value) is int:
        sort = repr(float(value)) if math.isfinite(value) else ""
        group = f' data-d="{dim}"' if kind == "quantity" and dim else ""
        return f'<td class="num" data-v="{sort}"{group}>{_number_text(value, kind, dim)}</td>'
    if type(value) is str:
        return f"<td>{esc(value)}</td>" if len(value) <= _WRAP_LENGTH else _long_cell(value)
    if value is None:
        return '<td class="num" data-v="">–</td>'
    if type(value) is Shown:
        sort = "" if value.sort is None else repr(value.sort)
        group = f' data-d="{esc(value.dimension)}"' if value.dimension else ""
        return f'<td class="num" data-v="{sort}"{group}>{esc(value.text)}</td>'
    text = _format(value, kind, dim)
    if isinstance(value, bool) or not isinstance(value, int | float):  # a list joined, ...
        return f"<td>{esc(text)}</td>" if len(text) <= _WRAP_LENGTH else _long_cell(text)
    group = f' data-d="{dim}"' if kind == "quantity" and dim else ""
    return f'<td class="num" data-v="{_sort_key(value)}"{group}>{esc(text)}</td>'


#: Text cells longer than this wrap anywhere, not only between words (a name of 200
#: letters without a space made its column 1,600 px wide).
_WRAP_LENGTH = 60


def _row_head(text: str) -> str:
    """A row's heading cell (a key: a name, when a mapping is keyed by firm)."""
    if len(text) <= _WRAP_LENGTH:
        return f'<th scope="row">{esc(text)}</th>'
    return _long_cell(text, 'th scope="row"')


def _long_cell(text: str, tag: str = "td") -> str:
    """A cell of long text: it wraps anywhere, and above :data:`TEXT_LENGTH` characters
    it is shortened, the whole in its tooltip (``title``): a name of 3,000 letters made
    a cell 25,000 px wide. ``tag``: the opening tag's name and attributes."""
    end = tag.split(" ", 1)[0]
    if len(text) <= TEXT_LENGTH:
        return f'<{tag} class="long">{esc(text)}</{end}>'
    return f'<{tag} class="long" title="{esc(text)}">{esc(clip(text))}</{end}>'


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
    return _number_text(value, kind, dimension)


def _number_text(value: float, kind: str, dimension: str | None) -> str:
    """:func:`_format` of a number (not a bool)."""
    if kind == "quantity" and dimension:
        return format_quantity(float(value), dimension)
    if kind == "share":
        return percent(value)  # as the text shows it (cli/render.share)
    if kind == "distance":
        return distance_text(value)
    if isinstance(value, int) or kind == "count":
        return f"{int(value):,}"
    magnitude = abs(value)
    if magnitude == 0:
        return "0"
    if magnitude >= 1000:
        return f"{value:,.0f}"
    return f"{value:,.4g}"  # no trailing zeros below 1,000, as the text tables (cli.render)
