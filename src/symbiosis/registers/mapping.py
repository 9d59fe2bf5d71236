"""Which column of a register file holds which field: ``--map`` options and mapping files.

A shipment register names its columns its own way (the E-PRTR's ``totalWasteQuantityTNE`` is
our ``quantity``). :class:`Mapping` says, for each field of :data:`FIELDS`, the column that
holds it, or a constant that fills it (``unit = "t"`` when every quantity is in tonnes, or
where a cell is empty: ``receiver = "unnamed receiver"``). A mapping file is TOML::

    [columns]            # field = "column in the register"
    sender = "Facility_INSPIRE_ID"
    quantity = "totalWasteQuantityTNE"

    [defaults]           # field = "value" where the column is absent or its cell empty
    unit = "t"

    [options]
    dayfirst = true      # 14/03/2021 is 14 March (false: 3/14/2021 is 14 March)

A default receiver may contain ``{operation}``, replaced by the row's operation code
(``unnamed {operation} receiver``: the E-PRTR names few receivers, and one node per
operation keeps recovery and disposal apart). ``--map field=column`` options override the
file. Unmapped fields are read from the
column of their own name. ``[options]`` holds :data:`OPTIONS`: ``dayfirst``, how a date
with slashes or dashes and the year last is read (absent: refused, as it could be either).
Complexity: O(fields).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .._toml import syntax_problem
from ..errors import InputError, Problem
from ..io.reading import path_problem
from .china import chinese_headers
from .fields import default_problem

__all__ = ["FIELDS", "OPTIONAL", "OPTIONS", "REQUIRED", "Mapping", "read_mapping"]

REQUIRED: tuple[str, ...] = (
    "date",
    "sender",
    "receiver",
    "waste_code",
    "operation",
    "quantity",
    "unit",
)
#: Optional fields: names and the sender's sector for firms.csv; the receiver's role where
#: the register states it (it overrides the role the operation gives); a material name for
#: rows without a waste code (the E-PRTR reports only hazardous or not); the receiver's
#: country and the register's own (a receiver abroad is outside the network: exported); the
#: consignment (manifest) number, whose repeats are counted once (:mod:`.repeats`).
OPTIONAL: tuple[str, ...] = (
    "sender_name",
    "sender_sector",
    "receiver_name",
    "receiver_role",
    "material",
    "receiver_country",
    "country",
    "consignment",
)
FIELDS: tuple[str, ...] = REQUIRED + OPTIONAL
#: The options of a mapping file's ``[options]`` table, each with what it says.
OPTIONS: dict[str, str] = {
    "dayfirst": "true: a date with slashes or dashes and the year last (14/03/2021) is "
    "written day first; false: month first (3/14/2021)",
}


@dataclass(frozen=True)
class Mapping:
    """Field -> register column, and field -> constant (see the module docstring)."""

    columns: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    dayfirst: bool | None = None
    """How a date with slashes or dashes and the year last reads: day first (True), month
    first (False), or refused as either (None)."""

    def column(self, name: str) -> str:
        """The register column that holds field ``name``. O(1)."""
        return self.columns.get(name, name)

    def resolve(self, present: list[str], file: str) -> dict[str, str | None]:
        """Field -> column of this file (``None``: filled by its default, or absent and
        optional); a field the mapping names neither a column nor a default for is read
        from a column of its name, else of a Chinese header of China's transfer manifests
        (:data:`.china.HEADERS`).
        Raises InputError naming every required field with neither a column
        nor a default, and a consignment mapped to no column of the file. O(fields +
        columns)."""
        found: dict[str, str | None] = {}
        missing = []
        taken = set(self.columns.values())
        for name in FIELDS:
            column = self.column(name)
            if column not in present and name not in self.columns and name not in self.defaults:
                chinese = [c for c in chinese_headers(name) if c in present and c not in taken]
                column = chinese[0] if chinese else column
                taken.add(column)
            if column in present:
                found[name] = column
            elif name == "consignment" and name in self.columns:
                missing.append((name, column))  # its repeats would be summed without a word
            elif name in self.defaults or name in OPTIONAL:
                found[name] = None
            else:
                missing.append((name, column))
        if missing:
            raise InputError(
                [
                    Problem(
                        file,
                        None,
                        column,
                        f"no column {column!r} for the field {name}",
                        f"map it with --map {name}=COLUMN (columns: {', '.join(present)})",
                    )
                    for name, column in missing
                ]
            )
        return found


def read_mapping(path: Path | None, options: list[str] | None) -> Mapping:
    """The mapping of a ``--mapping`` file (TOML) with the ``--map field=column`` options
    laid over it. Raises InputError with every problem: an unknown field, a malformed
    option or file, a value that is no text, an empty column name, a default the field
    refuses. O(size of the file + options)."""
    columns: dict[str, str] = {}
    defaults: dict[str, str] = {}
    settings: dict[str, bool] = {}  # the file's [options]
    problems: list[Problem] = []
    lines: dict[tuple[str | None, str], int] = {}
    if path is not None:
        columns, defaults, settings, lines = _read_file(Path(path), problems)
    given: set[str] = set()  # the fields of --map options
    for option in options or []:
        name, sep, column = option.partition("=")
        if not sep or not column.strip():
            problems.append(Problem("--map", None, None, f"{option!r} is not field=column"))
            continue
        columns[name.strip()] = column.strip()
        given.add(name.strip())
    for where, table in (("columns", columns), ("defaults", defaults)):
        for name in table:
            if name not in FIELDS:
                by_option = path is None or (where == "columns" and name in given)
                problems.append(
                    Problem(
                        "--map" if by_option else str(path),
                        None if by_option else lines.get((where, name)),
                        where,
                        f"unknown field {name!r}",
                        f"use one of {', '.join(FIELDS)}",
                    )
                )
    if problems:
        raise InputError(_in_line_order(problems))
    return Mapping(columns, defaults, settings.get("dayfirst"))


def _in_line_order(problems: list[Problem]) -> list[Problem]:
    """The mapping file's problems first, those of the whole file then by line, as the
    user fixes them; then the ``--map`` options' in the order given. A stable sort."""
    return sorted(problems, key=lambda p: (p.file == "--map", p.row is not None, p.row or 0))


_MAX_BYTES = 1 << 20  # a mapping file is a few lines
_FILE_HINT = "give the path of a mapping .toml file (see docs/registers.md)"
_SYNTAX_HINT = 'fix the syntax: a [columns] and a [defaults] table of field = "text" lines'
_TABLE = re.compile(r"""^\s*\[\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*\]""")
_KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")


def _read_file(
    path: Path, problems: list[Problem]
) -> tuple[dict[str, str], dict[str, str], dict[str, bool], dict[tuple[str | None, str], int]]:
    """The columns, the defaults, the options and the lines of the keys (``(table,
    key)``, ``(None, table)`` for a table's header) of the mapping file ``path``; its
    problems are added to ``problems``."""
    shown = str(path)
    text = _text(path, problems)
    if text is None:
        return {}, {}, {}, {}
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        problems.append(syntax_problem(shown, str(exc), _SYNTAX_HINT, text))
        return {}, {}, {}, {}
    except RecursionError:  # tomllib reads nested arrays and inline tables recursively
        problems.append(Problem(shown, None, None, "arrays or inline tables are nested too "
                                "deeply to be read", _SYNTAX_HINT))  # fmt: skip
        return {}, {}, {}, {}
    lines = _key_lines(text)
    options = _options(data, shown, lines, problems)
    tables = [_table(data, key, shown, lines, problems) for key in ("columns", "defaults")]
    for name, column in tables[0].items():
        if not column.strip():
            problems.append(
                Problem(
                    shown,
                    lines.get(("columns", name)),
                    f"columns.{name}",
                    "the column name is empty",
                    f"write the name of the register's column that holds {name}, or remove "
                    f"the line (the column {name!r} is then read)",
                )
            )
    for name, value in tables[1].items():
        refused = default_problem(name, value, options.get("dayfirst")) if name in FIELDS else None
        if refused is not None:
            problems.append(
                Problem(shown, lines.get(("defaults", name)), f"defaults.{name}", *refused)
            )
    extra = sorted(set(data) - {"columns", "defaults", "options"})
    if extra:
        line = lines.get((None, extra[0]))
        problems.append(
            Problem(shown, line, None, f"unknown table(s) {', '.join(extra)}", "use "
            "[columns], [defaults] and [options]")
        )  # fmt: skip
    return tables[0], tables[1], options, lines


def _options(data: dict, shown: str, lines: dict, problems: list[Problem]) -> dict[str, bool]:
    """The ``[options]`` of a mapping file (:data:`OPTIONS`, each true or false); a
    problem for an unknown option, a value that is not true or false, a table that is
    no table."""
    table = data.get("options", {})
    if not isinstance(table, dict):
        problems.append(Problem(shown, lines.get((None, "options")), "options", f"must be a "
                                f"table, not {_kind(table)}", "write [options] and below it "
                                "dayfirst = true or false"))  # fmt: skip
        return {}
    found = {}
    for name, value in table.items():
        line = lines.get(("options", name))
        if name not in OPTIONS:
            problems.append(
                Problem(
                    shown,
                    line,
                    "options",
                    f"unknown option {name!r}",
                    "use " + "; ".join(f"{k} ({v})" for k, v in OPTIONS.items()),
                )
            )
        elif not isinstance(value, bool):
            problems.append(Problem(shown, line, f"options.{name}", f"must be true or false, "
                                    f"not {_kind(value)}", f"write {name} = true or {name} = "
                                    f"false, without quotes ({OPTIONS[name]})"))  # fmt: skip
        else:
            found[name] = value
    return found


def _table(
    data: dict, key: str, shown: str, lines: dict, problems: list[Problem]
) -> dict[str, str]:
    """The text values of the table ``key``; a problem for each value that is no text
    (named by its key, never printed: it may be nested without end)."""
    table = data.get(key, {})
    if not isinstance(table, dict):
        line = lines.get((None, key))
        problems.append(
            Problem(shown, line, key, f"must be a table, not {_kind(table)}", f"write [{key}] "
                    'and below it one field = "text" line per field')
        )  # fmt: skip
        return {}
    texts = {}
    for name, value in table.items():
        if isinstance(value, str):
            texts[name] = value
            continue
        what = "the name of a column" if key == "columns" else "the value of the field"
        problems.append(
            Problem(
                shown,
                lines.get((key, name)),
                f"{key}.{name}",
                f"must be a text ({what}), not {_kind(value)}",
                f'write {name} = "..." (in quotes)',
            )
        )
    return texts


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, str):
        return "a text"
    return "a date or time"


def _text(path: Path, problems: list[Problem]) -> str | None:
    """The text of the mapping file, or None with its problem added. A FIFO or a device
    is refused before it is opened (a FIFO would block the read, /dev/zero never end)."""
    shown = str(path)

    def refuse(message: str, hint: str = _FILE_HINT, line: int | None = None) -> None:
        problems.append(Problem(shown, line, None, message, hint))

    refused = path_problem(path, _FILE_HINT, missing="no such file")
    if refused is not None:
        refuse(*refused)
        return None
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            refuse(f"is {size:,} bytes", "a mapping file is a few lines; " + _FILE_HINT)
            return None
        raw = path.read_bytes()
    except PermissionError:
        refuse("cannot be read (permission denied)", "check the file permissions")
        return None
    except OSError as exc:
        refuse(f"cannot be read ({exc.strerror or exc})", "check the file")
        return None
    try:
        return raw.decode("utf-8-sig")  # a byte-order mark is UTF-8 too
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        refuse(f"is not UTF-8 text (byte 0x{raw[exc.start]:02X})", "save the file as UTF-8", line)
        return None


def _key_lines(text: str) -> dict[tuple[str | None, str], int]:
    """The line of each ``key =`` per table (``(table, key)``), and of each table's header
    or top-level key (``(None, name)``). A line-by-line scan, good enough to point at a
    line: multi-line strings and dotted keys are not followed."""
    lines: dict[tuple[str | None, str], int] = {}
    table: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header:
            table = next(g for g in header.groups() if g is not None)
            lines.setdefault((None, table), number)
            continue
        key = _KEY.match(line)
        if key:
            lines.setdefault((table, next(g for g in key.groups() if g is not None)), number)
    return lines
