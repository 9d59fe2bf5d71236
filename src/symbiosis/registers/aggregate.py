"""The register query, written once as an Ibis expression: the same code runs on DuckDB
(embedded, out of core) and on Spark (:mod:`.engines`).

:func:`standard` reads each field of a register file into one clean column (the year, the
six digits of the waste code, the operation as ``R4``, the quantity in tonnes) and marks a
row ``bad`` when any check fails (:data:`CHECKS`). :func:`yearly_flows` sums the good rows per
year, sender, receiver, waste code and operation (and the material named for rows without a
code), and counts the bad rows in one extra group, so that a valid register is read once for
its flows; only when that group exists does :func:`failing_rows` read it again for the rows
to name.

Complexity: each query is one scan of the register, O(n) for n rows, with a hash
aggregation into g groups (memory O(g), spilled to disk by DuckDB past its memory limit).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .codes import OPERATIONS

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "CHECKS",
    "KEYS",
    "failing_rows",
    "field_text",
    "problem_counts",
    "standard",
    "yearly_flows",
]

#: Each check: the field it reads, and the flag column that holds where it fails.
CHECKS: dict[str, str] = {
    "date": "bad_date",
    "sender": "bad_sender",
    "receiver": "bad_receiver",
    "waste_code": "bad_code",
    "operation": "bad_operation",
    "quantity": "bad_quantity",
    "unit": "bad_unit",
}
KEYS = ("year", "sender", "receiver", "code", "op", "material")
_YEAR_ONLY = r"^[0-9]{4}$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T].*)?$"
_SEPARATORS = r"[ .*-]"


def field_text(table: ir.Table, column: str | None, default: str | None) -> ir.StringValue:
    """A field as trimmed text: the column's cell, else its default, else ''."""
    import ibis

    fill = ibis.literal(default if default is not None else "")
    if column is None:
        return fill
    value = table[column].cast("string").strip()
    return ibis.ifelse(value.isnull() | (value == ""), fill, value)


def _year(table: ir.Table, column: str | None, default: str | None) -> ir.IntegerValue:
    """The year of a date (a date or timestamp type, a whole year, or ``YYYY-MM-DD`` text
    with an optional time); null when the date is malformed or missing."""
    import ibis

    if column is not None:
        kind = table[column].type()
        if kind.is_date() or kind.is_timestamp():
            return table[column].year().cast("int32")
        if kind.is_integer():
            value = table[column].cast("int32")
            return ibis.ifelse(value.between(1000, 9999), value, ibis.null("int32"))
    text = field_text(table, column, default)
    return ibis.cases(
        (text.re_search(_YEAR_ONLY), text.try_cast("int32")),
        (text.re_search(_ISO_DATE), text.substr(0, 10).try_cast("date").year().cast("int32")),
        else_=ibis.null("int32"),
    )


def _operation(text: ir.StringValue) -> ir.StringValue:
    """``r 04`` -> ``R4``: upper case, no spaces, no leading zero; R and D alone kept."""
    import ibis

    code = text.upper().re_replace(r"\s", "")
    number = code.substr(1).try_cast("int32")
    return ibis.ifelse(code.isin(["R", "D"]), code, code.substr(0, 1) + number.cast("string"))


def _quantity(table: ir.Table, column: str | None, default: str | None) -> ir.FloatingValue:
    if column is not None and table[column].type().is_numeric():
        return table[column].cast("float64")
    return field_text(table, column, default).try_cast("float64")


def standard(
    table: ir.Table,
    fields: dict[str, str | None],
    defaults: dict[str, str],
    factors: dict[str, float],
) -> ir.Table:
    """The register with one clean column per field and a flag per check.

    ``fields`` maps each field to its column (None: from ``defaults``); ``factors`` maps
    each unit spelling found in the file to its factor to tonnes (a spelling missing from
    it is a bad unit). Columns: ``year``, ``sender``, ``receiver``, ``code`` (six digits,
    or '' with a ``material``), ``hazardous``, ``op``, ``material``, ``tonnes``, the names,
    sector and role fields, the raw cells ``raw_*`` and the flags of :data:`CHECKS`.
    """
    import ibis

    def text(name: str) -> ir.StringValue:
        return field_text(table, fields.get(name), defaults.get(name))

    raw = {name: text(name) for name in ("date", "waste_code", "operation", "unit", "quantity")}
    code = raw["waste_code"].re_replace(_SEPARATORS, "")
    material = text("material")
    op = _operation(raw["operation"])
    quantity = _quantity(table, fields.get("quantity"), defaults.get("quantity"))
    factor = raw["unit"].substitute(factors, else_=ibis.null("float64"))
    year = _year(table, fields.get("date"), defaults.get("date"))
    sender, receiver = text("sender"), text("receiver")
    flags = {
        "bad_date": year.isnull(),
        "bad_sender": sender == "",
        "bad_receiver": receiver == "",
        "bad_code": ibis.ifelse(code == "", material == "", ~code.re_search(r"^[0-9]{6}$")),
        "bad_operation": ~op.isin(list(OPERATIONS)).fill_null(False),
        "bad_quantity": quantity.isnull() | quantity.isnan() | (quantity < 0),
        "bad_unit": factor.isnull(),
    }
    bad = ibis.literal(False)
    for flag in flags.values():
        bad = bad | flag.fill_null(True)
    return table.select(
        year=year,
        sender=sender,
        receiver=receiver,
        code=code,
        hazardous=raw["waste_code"].contains("*"),
        op=op,
        material=ibis.ifelse(code == "", material, ""),
        tonnes=quantity * factor,
        sender_name=text("sender_name"),
        sender_sector=text("sender_sector"),
        receiver_name=text("receiver_name"),
        receiver_role=text("receiver_role"),
        **{f"raw_{name}": value for name, value in raw.items()},
        raw_sender=sender,
        raw_receiver=receiver,
        **flags,
        bad=bad,
    )


def yearly_flows(clean: ir.Table) -> ir.Table:
    """Good rows summed per :data:`KEYS` (``tonnes``, ``shipments``, ``hazardous`` if any
    shipment's code was starred; names, sector and stated role: the greatest non-empty
    value); every bad row in one group with ``bad`` true and null keys."""
    import ibis

    bad = clean.bad
    keys = {k: ibis.ifelse(bad, ibis.null(clean[k].type()), clean[k]) for k in KEYS}
    return clean.group_by(bad=bad, **keys).aggregate(
        tonnes=clean.tonnes.sum(),
        shipments=clean.count(),
        hazardous=clean.hazardous.cast("int32").max(),
        **{
            name: clean[name].nullif("").max()
            for name in ("sender_name", "sender_sector", "receiver_name", "receiver_role")
        },
    )


def problem_counts(clean: ir.Table) -> ir.Table:
    """How many rows fail each check (one row: a column per flag)."""
    return clean.filter(clean.bad).aggregate(
        **{flag: clean[flag].fill_null(True).cast("int64").sum() for flag in CHECKS.values()}
    )


def failing_rows(clean: ir.Table, flag: str, limit: int) -> ir.Table:
    """The first ``limit`` rows failing the check ``flag``, with their row number as a
    spreadsheet shows it (the header is row 1) and their raw cells, in file order. The rows
    are numbered in the order the engine reads them: the file's order for one CSV or
    Parquet file read by DuckDB (which keeps insertion order) or by Spark in local mode."""
    import ibis

    numbered = clean.mutate(row=ibis.row_number() + 2)
    columns: list[Any] = ["row", *(f"raw_{name}" for name in CHECKS)]
    failing = numbered.filter(numbered[flag].fill_null(True))
    return failing.select(*columns).order_by("row").limit(limit)
