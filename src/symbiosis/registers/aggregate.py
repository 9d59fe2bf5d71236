"""The register query, written once as an Ibis expression: the same code runs on DuckDB
(embedded, out of core) and on Spark (:mod:`.engines`).

A register has millions of rows but few distinct spellings of a code, an operation or a
unit, so the query does as little as possible per row and the checks per group:

1. :func:`shipments` reads each row: its year (a date, a whole year or ``YYYY-MM-DD``
   text), its quantity in tonnes (the unit's factor, found once per spelling by
   :mod:`symbiosis.units`) and its fields as they are written.
2. :func:`grouped` sums the rows per year and written sender, receiver, waste code,
   operation and material, counting the rows whose date, quantity or unit is bad.
3. :func:`standard` reads the groups (or single rows, see below): trims the names, takes
   the six digits of the waste code and writes the operation as ``R4``, and marks each
   failing check (:data:`CHECKS`).
4. :func:`yearly_flows` sums the good groups per :data:`KEYS` and puts every bad one into
   one group with ``bad`` true, so that a valid register is read once for its flows.

Only when that bad group exists does :func:`failing_rows` read the register again, row by
row (steps 1 and 3 with one row per group), for the rows to name.

Complexity: one scan of the register, O(n) for n rows, with a hash aggregation into g
groups (memory O(g), spilled to disk by DuckDB past its memory limit); steps 3 and 4 are
O(g).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .codes import OPERATIONS
from .repeats import ROW, row_numbers

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = [
    "CHECKS",
    "DOTTED_DATE",
    "KEYS",
    "THOUSANDS_DOTS",
    "YEAR_FIRST_DATE",
    "YEAR_LAST_DATE",
    "failing_rows",
    "field_text",
    "grouped",
    "name_counts",
    "problem_counts",
    "shipments",
    "standard",
    "yearly_flows",
]

#: Each check: the field it reads, and the flag column that holds where it fails. The
#: names and the material (written into the network as they are) fail only on a NUL byte,
#: which no CSV reader takes as text (the network written would be refused when loaded).
CHECKS: dict[str, str] = {
    "date": "bad_date",
    "sender": "bad_sender",
    "receiver": "bad_receiver",
    "waste_code": "bad_code",
    "operation": "bad_operation",
    "quantity": "bad_quantity",
    "unit": "bad_unit",
    "material": "bad_material",
    "sender_name": "bad_sender_name",
    "sender_sector": "bad_sender_sector",
    "receiver_name": "bad_receiver_name",
}
NUL = "\x00"
#: The checks made on each row (the others are made on the groups of written values).
ROW_CHECKS = ("bad_date", "bad_quantity", "bad_unit")
KEYS = ("year", "sender", "receiver", "code", "op", "material")
WRITTEN = ("year", "sender", "receiver", "waste_code", "operation", "material")
#: Kept per group, the greatest: the firms' names, sector and stated role, and ``abroad``
#: (``yes`` where the receiver is in another country than the register, :func:`_abroad`).
NAMES = ("sender_name", "sender_sector", "receiver_name", "receiver_role", "abroad")
#: The names of a firm, counted per spelling to choose the most frequent.
FIRM_NAMES = ("sender_name", "receiver_name")
_YEAR_ONLY = r"^[0-9]{4}$"
_ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([ T].*)?$"
#: A date year first with one- or two-digit month and day: ``2023年5月6日`` (Chinese
#: registers), ``2023/5/6``, ``2023-5-6``, ``2023.5.6``; unambiguous, as no register writes
#: the day before the month after the year. An optional time follows a space.
YEAR_FIRST_DATE = (
    r"^([0-9]{4})(?:年([0-9]{1,2})月([0-9]{1,2})日|/([0-9]{1,2})/([0-9]{1,2})"
    r"|-([0-9]{1,2})-([0-9]{1,2})|\.([0-9]{1,2})\.([0-9]{1,2}))( .*)?$"
)
#: A date day first with dots, the year last: ``02.11.2021``, ``2.11.2021`` (AVV, EDM,
#: Begleitschein: every European register that writes dots writes the day first).
DOTTED_DATE = r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})( .*)?$"
#: A date with slashes or dashes, the year last: ``14/03/2021``, ``3-14-2021``. Europe
#: writes the day first, the US the month: read only as the mapping's ``dayfirst`` says.
YEAR_LAST_DATE = r"^(?:([0-9]{1,2})/([0-9]{1,2})/|([0-9]{1,2})-([0-9]{1,2})-)([0-9]{4})( .*)?$"
_SEPARATORS = r"[ .*-]"
#: Six digits of a chapter of the List of Waste (01 to 20).
LOW_CODE = r"^(0[1-9]|1[0-9]|20)[0-9]{4}$"


def field_text(table: ir.Table, column: str | None, default: str | None) -> ir.StringValue:
    """A field as text, as written: the column's cell, else its default, else ''."""
    import ibis

    fill = ibis.literal(default if default is not None else "")
    if column is None:
        return fill
    value = table[column].cast("string")
    return ibis.ifelse(value.isnull() | (value == ""), fill, value)


def _year(
    table: ir.Table,
    column: str | None,
    default: str | None,
    local_time: Callable[[ir.Value], ir.Value] | None = None,
    dayfirst: bool | None = None,
) -> ir.IntegerValue:
    """The year of a date (a date or timestamp type, a whole year, ``YYYY-MM-DD`` text
    with an optional time, a :data:`YEAR_FIRST_DATE` or a :data:`DOTTED_DATE`, and a
    :data:`YEAR_LAST_DATE` when ``dayfirst`` is True, day first, or False, month first;
    else refused); null when the date is malformed or missing, and when the year
    is not one a network takes (:data:`~symbiosis.io.flows.FIRST_YEAR` to
    :data:`~symbiosis.io.flows.LAST_YEAR`: ``0000`` would make a folder ``0`` that no
    network reads). ``local_time`` turns a timestamp with a time zone into its local time
    (the engine's, :meth:`.engines.Engine.local_time`), so that a shipment of 31 December
    at 23:00 in New York is filed under its own year, as its text would be."""
    import ibis

    from ..io.flows import FIRST_YEAR, LAST_YEAR

    year = _raw_year(table, column, default, local_time, dayfirst)
    return ibis.ifelse(year.between(FIRST_YEAR, LAST_YEAR), year, ibis.null("int32"))


def _raw_year(
    table: ir.Table,
    column: str | None,
    default: str | None,
    local_time: Callable[[ir.Value], ir.Value] | None,
    dayfirst: bool | None = None,
) -> ir.IntegerValue:
    import ibis

    if column is not None:
        value = table[column]
        kind = value.type()
        if kind.is_timestamp() and local_time is not None:
            value, kind = local_time(value), local_time(value).type()
        if kind.is_date() or kind.is_timestamp():
            return value.year().cast("int32")
        if kind.is_integer():
            return value.cast("int32")
    text = field_text(table, column, default).strip()
    cases = [
        (text.re_search(_YEAR_ONLY), text.try_cast("int32")),
        (text.re_search(_ISO_DATE), text.substr(0, 10).try_cast("date").year().cast("int32")),
        (text.re_search(YEAR_FIRST_DATE), _year_of(text, YEAR_FIRST_DATE, (1,), (2, 4, 6, 8),
                                                   (3, 5, 7, 9))),
        (text.re_search(DOTTED_DATE), _year_of(text, DOTTED_DATE, (3,), (2,), (1,))),
    ]  # fmt: skip
    if dayfirst is not None:  # the first number is the day, else the month
        first, second = (1, 3), (2, 4)
        day, month = (first, second) if dayfirst else (second, first)
        cases.append((text.re_search(YEAR_LAST_DATE), _year_of(text, YEAR_LAST_DATE, (5,), month,
                                                               day)))  # fmt: skip
    return ibis.cases(*cases, else_=ibis.null("int32"))


def _year_of(
    text: ir.StringValue,
    pattern: str,
    year: tuple[int, ...],
    month: tuple[int, ...],
    day: tuple[int, ...],
) -> ir.IntegerValue:
    """The year of a date matching ``pattern`` whose year, month and day are its groups
    ``year``, ``month`` and ``day`` (the first of each that matched); null when it is no
    day (``2023/2/30``, ``30.02.2021``)."""
    import ibis

    def part(groups: tuple[int, ...], width: int = 2) -> ir.StringValue:
        found = [text.re_extract(pattern, g) for g in groups]
        return ibis.coalesce(*(f.nullif("") for f in found)).lpad(width, "0")

    written = part(year, 4) + "-" + part(month) + "-" + part(day)
    return written.try_cast("date").year().cast("int32")


def _operation(text: ir.StringValue) -> ir.StringValue:
    """``r 04`` -> ``R4``: upper case, no spaces, no leading zero; R and D alone kept."""
    import ibis

    code = text.upper().re_replace(r"\s", "")
    number = code.substr(1).try_cast("int32")
    return ibis.ifelse(code.isin(["R", "D"]), code, code.substr(0, 1) + number.cast("string"))


def _quantity(
    table: ir.Table, column: str | None, default: str | None, decimal_comma: bool = False
) -> ir.FloatingValue:
    """The quantity as a number (null where it is none). With ``decimal_comma`` (a file
    separated by ``;`` or tabs, as European spreadsheets export them), a cell holding a
    comma reads it as the decimal point and any dot as a thousands separator
    (``1.200,5`` is 1200.5), as the network reader does; a cell whose dots could be
    either (``2.250``: 2.25 or 2250) is none, as the network reader refuses it; other
    cells as written. ``1_000`` is none anywhere: the engines read it as 1000, a
    spreadsheet as text."""
    import ibis

    if column is not None and table[column].type().is_numeric():
        return table[column].cast("float64")
    text = field_text(table, column, default)
    if decimal_comma:
        comma = text.contains(",")
        ambiguous = ~comma & text.strip().re_search(THOUSANDS_DOTS)
        text = ibis.ifelse(comma, text.replace(".", "").replace(",", "."), text)
        text = ibis.ifelse(ambiguous, ibis.null("string"), text)
    text = ibis.ifelse(text.contains("_"), ibis.null("string"), text)
    return text.try_cast("float64")


#: A number whose dots may be thousands separators (``2.250``, ``1.234.567``).
THOUSANDS_DOTS = r"^[0-9]{1,3}(\.[0-9]{3})+$"


def _written(table: ir.Table, column: str | None, default: str | None) -> ir.StringValue:
    """A field as written, for grouping: the column as it is (text), or its default
    where there is no column. Empty cells get their default later, per group."""
    import ibis

    if column is None:
        return ibis.literal(default if default is not None else "")
    value = table[column]
    return value if value.type().is_string() else value.cast("string")


def _abroad(table: ir.Table, fields: dict[str, str | None], defaults: dict[str, str]) -> ir.Value:
    """``yes`` where the row's receiver is in another country than the register's
    (``receiver_country`` given and not ``country``, compared trimmed and in any case;
    without a ``country``, any country given: the E-PRTR names the receiver's country
    only for transboundary transfers), else null."""
    import ibis

    theirs = field_text(table, fields.get("receiver_country"), defaults.get("receiver_country"))
    theirs = theirs.strip().upper()
    ours = field_text(table, fields.get("country"), defaults.get("country")).strip().upper()
    foreign = (theirs != "") & ((ours == "") | (theirs != ours))
    return ibis.ifelse(foreign.fill_null(False), "yes", ibis.null("string"))


def _ids_from_names(table: ir.Table, fields: dict[str, str | None]) -> dict[str, ir.Value]:
    """The sender and receiver of each row whose id cell is empty but whose name is
    given: the name, so that two receivers the register names differently stay two
    nodes (the default id, ``unknown off-site {operation}``, merged a Mexican recycler
    with a Canadian smelter). Per row, before grouping: a group's names are its greatest.
    Only where the register has both columns."""
    import ibis

    found = {}
    for role in ("sender", "receiver"):
        column, named = fields.get(role), fields.get(f"{role}_name")
        if column is None or named is None:
            continue
        value = table[column].cast("string")
        empty = value.isnull() | (value.strip() == "")
        found[role] = ibis.ifelse(empty, table[named].cast("string"), value)
    return found


def _filled(value: ir.StringValue, default: str | None) -> ir.StringValue:
    """``value`` trimmed; its default (or '') where it is null or empty."""
    import ibis

    text = value.strip()
    return ibis.ifelse(text.isnull() | (text == ""), ibis.literal(default or ""), text)


def shipments(
    table: ir.Table,
    fields: dict[str, str | None],
    defaults: dict[str, str],
    factors: dict[str, float],
    decimal_comma: bool = False,
    local_time: Callable[[ir.Value], ir.Value] | None = None,
    dayfirst: bool | None = None,
) -> ir.Table:
    """Step 1: one row per shipment with ``year`` (null when the date is bad), the fields
    of :data:`WRITTEN` as written, those of :data:`NAMES` that have a column, the written
    ``date``, ``quantity`` and ``unit``, ``tonnes`` (null when the quantity or unit is
    bad) and the flags ``bad_date``, ``bad_quantity`` (no number, infinite, negative, or
    over :data:`~symbiosis.io.quantities.LARGEST` tonnes), ``bad_unit``. ``factors`` maps each
    unit spelling (trimmed) to its factor to tonnes; a spelling missing from it is a bad
    unit. ``decimal_comma``: see :func:`_quantity`; ``local_time`` and ``dayfirst``: see
    :func:`_year`.
    Nothing else is computed per row: trimming and codes wait for the groups. O(n) for n
    rows, computed as the next step reads it."""
    import ibis

    from ..io.quantities import LARGEST

    year = _year(table, fields.get("date"), defaults.get("date"), local_time, dayfirst)
    quantity = _quantity(table, fields.get("quantity"), defaults.get("quantity"), decimal_comma)
    unit = field_text(table, fields.get("unit"), defaults.get("unit"))
    factor = unit.strip().substitute(factors, else_=ibis.null("float64")) if factors else None
    # infinite, or past the network's bound once in tonnes: the network written would be
    # refused when loaded (1e309 kg, inf t, 1e300 Mt were written as inf and exit 0)
    too_large = (quantity * factor > LARGEST).fill_null(False) if factor is not None else False
    bad_quantity = (
        quantity.isnull() | quantity.isnan() | quantity.isinf() | (quantity < 0) | too_large
    )
    named = {name: table[fields[name]].cast("string") for name in NAMES if fields.get(name)}
    if fields.get("receiver_country") or defaults.get("receiver_country"):
        named["abroad"] = _abroad(table, fields, defaults)
    # the row numbers, where rows repeating a consignment number were left out (:mod:`.repeats`)
    kept = {ROW: table[ROW]} if ROW in table.columns else {}
    return table.select(
        **kept,
        year=year,
        **{name: _written(table, fields.get(name), defaults.get(name)) for name in WRITTEN[1:]}
        | _ids_from_names(table, fields),
        **named,
        date=field_text(table, fields.get("date"), defaults.get("date")),
        quantity=field_text(table, fields.get("quantity"), defaults.get("quantity")),
        unit=unit,
        tonnes=quantity * factor if factor is not None else ibis.null("float64"),
        bad_date=year.isnull(),
        bad_quantity=bad_quantity.fill_null(True),
        bad_unit=factor.isnull() if factor is not None else ibis.literal(True),
    )


def grouped(rows: ir.Table) -> ir.Table:
    """Step 2: :func:`shipments` summed per :data:`WRITTEN` (``tonnes``, ``shipments``,
    the number of rows failing each row check in ``rows_bad_date`` ..., the greatest of
    each of :data:`NAMES`). One hash aggregation: O(n) time, O(g) memory for g groups."""
    # the firms' names are keys: the rows of each spelling are counted (:func:`name_counts`)
    spelled = [name for name in FIRM_NAMES if name in rows.columns]
    groups = rows.group_by(*WRITTEN, *spelled).aggregate(
        tonnes=rows.tonnes.sum(),
        shipments=rows.count(),
        **{f"rows_{flag}": rows[flag].cast("int64").sum() for flag in ROW_CHECKS},
        **{name: rows[name].max() for name in NAMES if name in rows.columns and name not in
           spelled},
    )  # fmt: skip
    return _with_names(groups)


def _with_names(table: ir.Table) -> ir.Table:
    import ibis

    absent = {name: ibis.literal("") for name in NAMES if name not in table.columns}
    return table.mutate(**absent) if absent else table


def single(rows: ir.Table) -> ir.Table:
    """:func:`shipments` as groups of one row each (the input of :func:`standard` when
    bad rows are named)."""
    counts = {f"rows_{flag}": rows[flag].cast("int64") for flag in ROW_CHECKS}
    return _with_names(rows.mutate(shipments=1, **counts))


def standard(
    groups: ir.Table,
    defaults: dict[str, str],
    materialize: Callable[[ir.Table], ir.Table] | None = None,
    china: bool = False,
) -> ir.Table:
    """Step 3: the groups of :func:`grouped` (or :func:`single`) with clean keys and one
    flag per check of :data:`CHECKS`, and ``bad`` where any fails: the fields trimmed (an
    empty one takes its default from ``defaults``), ``code`` the six digits ('' with a
    ``material``), ``hazardous`` when it was starred, ``op`` as ``R4``; the written
    ``waste_code`` and ``operation`` are kept. ``materialize`` (the engine's) stores the
    clean keys before the flags are computed from them: SQL cannot name a column of the
    same SELECT, so without it each flag would repeat the expressions of its keys.
    ``china``: China's own operation codes are read as the EU's (:mod:`.china`). O(g)."""
    import ibis

    from .china import OPERATIONS as CHINA

    filled = {name: _filled(groups[name], defaults.get(name)) for name in WRITTEN[1:]}
    code = filled["waste_code"].re_replace(_SEPARATORS, "")
    op = _operation(filled["operation"])
    if china:
        op = op.substitute({code: read for code, (read, _) in CHINA.items()}, else_=op)
    # a default receiver may name the operation: "unnamed {operation} receiver" (an
    # operation that is no code is reported as such, not as an empty receiver)
    filled["receiver"] = filled["receiver"].replace("{operation}", op.fill_null(""))
    keys = groups.mutate(
        **filled,
        code=code,
        hazardous=filled["waste_code"].contains("*"),
        op=op,
    )
    if materialize is not None:
        keys = materialize(keys)
    flags = {
        "bad_date": keys.rows_bad_date > 0,
        "bad_sender": (keys.sender == "") | keys.sender.contains(NUL),
        "bad_receiver": (keys.receiver == "") | keys.receiver.contains(NUL),
        "bad_code": ibis.ifelse(
            keys.code == "", keys.material == "", ~keys.code.re_search(LOW_CODE)
        ),
        "bad_operation": ~keys["op"].isin(list(OPERATIONS)).fill_null(False),
        "bad_quantity": keys.rows_bad_quantity > 0,
        "bad_unit": keys.rows_bad_unit > 0,
        "bad_material": (keys.code == "") & keys.material.contains(NUL),
        **{f"bad_{name}": keys[name].contains(NUL).fill_null(False) for name in NAMES[:3]},
    }
    flagged = keys.mutate(
        material=ibis.ifelse(keys.code == "", keys.material, ""),
        **{name: flag.fill_null(True) for name, flag in flags.items()},
    )
    bad = ibis.literal(False)
    for name in flags:
        bad = bad | flagged[name]
    flagged = flagged.mutate(bad=bad)
    return materialize(flagged) if materialize is not None else flagged


def yearly_flows(clean: ir.Table) -> ir.Table:
    """Step 4: good groups summed per :data:`KEYS` (``tonnes``, ``shipments``,
    ``hazardous`` if any shipment's code was starred; names, sector and stated role: the
    greatest non-empty value); every bad group in one group with ``bad`` true and null
    keys. O(g)."""
    import ibis

    bad = clean.bad
    keys = {k: ibis.ifelse(bad, ibis.null(clean[k].type()), clean[k]) for k in KEYS}
    return clean.group_by(bad=bad, **keys).aggregate(
        tonnes=clean.tonnes.sum(),
        shipments=clean.shipments.sum(),
        hazardous=clean.hazardous.cast("int32").max(),
        starred=clean.shipments.cast("int64").sum(where=clean.hazardous),
        **{name: clean[name].strip().nullif("").max() for name in NAMES},
    )


def name_counts(clean: ir.Table) -> ir.Table:
    """How many good rows give each firm (``id``, as sender or receiver) each of its
    names (``name``, trimmed): ``rows``. O(g)."""
    good = clean.filter(~clean.bad)
    parts = []
    for role, name in zip(("sender", "receiver"), FIRM_NAMES, strict=True):
        named = good.mutate(id=good[role], name=good[name].strip().nullif(""))
        named = named.filter(named.name.notnull())
        parts.append(named.group_by("id", "name").aggregate(rows=named.shipments.sum()))
    return parts[0].union(parts[1], distinct=False)


def problem_counts(clean: ir.Table) -> ir.Table:
    """How many rows fail each check (one row: a column per flag), from the groups of
    :func:`standard`: the rows counted per group for a row check (date, quantity, unit),
    every row of a failing group for the others (their fields are the group's keys). O(g)."""
    bad = clean.filter(clean.bad)
    return bad.aggregate(
        **{
            flag: (
                bad[f"rows_{flag}"].sum()
                if flag in ROW_CHECKS
                else bad.shipments.cast("int64").sum(where=bad[flag].fill_null(True))
            )
            for flag in CHECKS.values()
        }
    )


def failing_rows(
    rows: ir.Table, defaults: dict[str, str], flag: str, limit: int, china: bool = False
) -> ir.Table:
    """The first ``limit`` rows of :func:`shipments` failing the check ``flag``, with their
    row number as a spreadsheet shows it (the header is row 1) and their written cells, in
    file order. Rows are numbered in the order the engine reads them: the file's order
    for one CSV or Parquet file read by DuckDB (which keeps insertion order) or by Spark
    in local mode. O(n) (a window over the register: only run when a check fails)."""
    numbered = standard(single(rows.mutate(row=row_numbers(rows))), defaults, china=china)
    columns: list[Any] = ["row", *(c for c in CHECKS if c != "waste_code"), "waste_code"]
    failing = numbered.filter(numbered[flag].fill_null(True))
    return failing.select(*dict.fromkeys(columns)).order_by("row").limit(limit)
