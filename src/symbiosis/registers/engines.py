"""Where the register query runs: DuckDB (default) or Spark, both through Ibis.

Why Ibis: the query of :mod:`.aggregate` is written once as a dataframe expression; Ibis
compiles it to each engine's SQL (DuckDB's and Spark SQL's dialects differ in regular
expressions, casts and string functions) and runs it there. DuckDB is embedded (no server),
reads CSV and Parquet directly, runs on every core and spills to disk past
``memory_limit``, so a national register larger than memory still aggregates on a laptop.
Spark (``pip install "symbiosis[spark]"``, Java 17) runs the same expression on a cluster;
``local[*]`` mode runs it on this machine, which the tests use to check that both engines
give the same networks.

Complexity: opening DuckDB costs milliseconds; starting a local Spark session about ten
seconds (a JVM).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import InputError, Problem
from .files import UTF8_HINT, Layout, content_problem, csv_layout, file_problem, is_parquet

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

__all__ = ["ENGINES", "Engine", "connect", "unreadable"]

ENGINES = ("duckdb", "spark")
DEFAULT_MEMORY_LIMIT = "1GB"
#: Refused rows DuckDB keeps per scan of a file (a problem each; past them, one line says
#: that more rows could not be read). Bounds the memory of a file broken on every row.
REJECTS_LIMIT = 20_000


@dataclass(frozen=True)
class CsvRead:
    """How DuckDB reads a CSV register: its header's :class:`~.files.Layout`, the table of
    the rows it refused, the file with ``extra`` columns for the empty fields every row
    ends with (``whole``; the last of them is no column)."""

    layout: Layout
    rejects: str
    whole: Any
    extra: tuple[str, ...] = ()
    cut: bool = False  # DuckDB reads a copy with rows of very many fields cut short


@dataclass
class Engine:
    """An Ibis backend and how to read a register file with it."""

    name: str
    backend: Any
    stored: int = 0
    csv_files: dict[str, CsvRead] = field(default_factory=dict)
    layouts: dict[str, Layout] = field(default_factory=dict)
    temporary: list[Path] = field(default_factory=list)  # copies removed by close()
    # each CSV file as read, with its rows of empty fields (:meth:`empty_rows`); the files
    # read without them (``skip_empty``), and their numbers, once found
    unfiltered: dict[str, Any] = field(default_factory=dict)
    skipping_empty: set[str] = field(default_factory=set)
    empty_found: dict[str, np.ndarray] = field(default_factory=dict)
    sources: dict[str, Path] = field(default_factory=dict)  # the file read (:meth:`source`)
    read_as: list[Path] = field(default_factory=list)  # files read as GB18030

    def read(self, path: Path, *, skip_empty: bool = False) -> ir.Table:
        """The register file at ``path`` (CSV, every column as text; or Parquet, with its
        types). Raises InputError when it is no regular file, when its header is refused
        (:func:`~.files.csv_layout`) or when the engine cannot parse it. ``skip_empty``:
        a CSV file's rows of empty fields (``,,,,,,``, as Excel writes a formatted empty
        row) are left out, as blank lines are (:meth:`empty_rows`): a test per row, so
        only asked for when such rows matter. Lazy: O(1) until a query runs, but for the
        first MB of a CSV file (its header)."""
        problem = file_problem(path) or content_problem(path)
        if problem is not None:
            raise InputError(problem)
        parquet = is_parquet(path)
        if not parquet and _is_blank(path):
            hint = "give a file with a header row and one row per shipment"
            raise InputError(Problem(str(path), None, None, "is empty", hint))
        if not parquet:
            self.layouts[str(path)] = csv_layout(self.source(path))
        try:
            with _quiet():
                if parquet:
                    return self.backend.read_parquet(str(path))
                if self.name == "duckdb":
                    return self._read_csv(path, self.layouts[str(path)], skip_empty)
                # the header's separator; a quoted cell may hold line ends (read as
                # DuckDB reads them, so that rows are numbered alike)
                layout = self.layouts[str(path)]
                table = self.backend.read_csv(str(self.source(path)), header=True,
                                              inferSchema=False, sep=layout.separator,
                                              multiLine=True)  # fmt: skip
                return self._kept(path, table, skip_empty)
        except Exception as exc:  # each engine has its own parser errors
            raise InputError(unreadable(path, exc)) from None

    def source(self, path: Path) -> Path:
        """The file the engine reads for the CSV register ``path``: a UTF-8 copy of a
        Chinese GB18030 one (made once, :mod:`.code_page`; :attr:`read_as` says so),
        else ``path``. O(1) for a UTF-8 file."""
        from .code_page import utf8_copy

        key = str(path)
        if key not in self.sources:
            copy = utf8_copy(path)
            self.sources[key] = copy or path
            if copy is not None:
                self.temporary.append(copy)
                self.read_as.append(path)
        return self.sources[key]

    def _read_csv(self, path: Path, layout: Layout, skip_empty: bool) -> ir.Table:
        """DuckDB's view of the CSV file: the header's names and width, told rather than
        sniffed (a sniffer takes a long row for the header, and a file without quotes in
        its first rows for one that has none); every row of another width, with a stray
        quote or bytes that are not UTF-8 set aside with its row (:mod:`.refused`); a
        copy of the file when a row has very many fields (:mod:`.wide_rows`)."""
        from .wide_rows import cut_copy, long_rows

        self.stored += 1
        source = self.source(path)
        cuts = long_rows(source, layout)
        if cuts:
            source = cut_copy(source, layout, cuts)
            self.temporary.append(source)
        rejects = f"symbiosis_rejects_{self.stored}"
        # DuckDB takes one separator ending a row for no field: a tail of n empty fields
        # is n - 1 more columns
        width = len(layout.names)
        extra = tuple(f"symbiosis_extra_{i}" for i in range(width, width + layout.tail - 1))
        whole = self.backend.read_csv(
            str(source),
            columns=dict.fromkeys((*layout.names, *extra), "VARCHAR"),
            header=True,
            auto_detect=False,
            delim=layout.separator,
            quote='"',
            escape='"',
            skip=0,
            comment="",
            strict_mode=True,
            null_padding=False,
            store_rejects=True,
            rejects_table=rejects,
            rejects_scan=f"{rejects}_scans",
            rejects_limit=REJECTS_LIMIT,
        )
        whole = self._kept(path, whole, skip_empty)
        self.csv_files[str(path)] = CsvRead(layout, rejects, whole, extra, bool(cuts))
        return whole.drop(*extra) if extra else whole

    def _kept(self, path: Path, table: ir.Table, skip_empty: bool) -> ir.Table:
        """The CSV ``table``, without its rows of empty fields when ``skip_empty`` (blank
        lines, as the network reader skips them: the engine numbers the other rows)."""
        self.unfiltered[str(path)] = table
        if not skip_empty:
            self.skipping_empty.discard(str(path))
            return table
        self.skipping_empty.add(str(path))
        return table.filter(~_all_empty(table, table.columns))

    def empty_rows(self, path: Path) -> np.ndarray:
        """The rows of empty fields of the CSV file ``path``, numbered as the engine
        numbers the rows it read with them (from 2; the rows it refused and the blank
        lines not counted). One scan of the file, once: only run on a file that has
        problems. Empty for a Parquet file."""
        import ibis

        if str(path) not in self.empty_found:
            table = self.unfiltered.get(str(path))
            if table is None:
                return np.zeros(0, dtype=np.int64)
            numbered = table.mutate(symbiosis_row=ibis.row_number() + 2)
            found = numbered.filter(_all_empty(numbered, table.columns)).select("symbiosis_row")
            rows = self.run(found)["symbiosis_row"].to_numpy(zero_copy_only=False)
            self.empty_found[str(path)] = np.sort(rows.astype(np.int64))
        return self.empty_found[str(path)]

    def skipped_empty_rows(self, path: Path) -> np.ndarray:
        """:meth:`empty_rows` when the file was read without them (``skip_empty``), else
        none: the rows the engine's numbers skip, besides the refused rows and the blank
        lines."""
        if str(path) not in self.skipping_empty:
            return np.zeros(0, dtype=np.int64)
        return self.empty_rows(path)

    def rejects(self, table: str) -> tuple[list[tuple], bool]:
        """The rows DuckDB refused, from its table ``table``: (row, kind, fewest and most
        fields found, the row's text) per row and kind of error, by row; and whether
        DuckDB stopped keeping them (:data:`REJECTS_LIMIT`). O(refused rows)."""
        found = "TRY_CAST(regexp_extract(error_message, 'Found: ([0-9]+)', 1) AS INTEGER)"
        with _quiet():
            rows = self.backend.raw_sql(
                f"SELECT line, error_type, min(found), max(found), any_value(csv_line) "
                f"FROM (SELECT line, error_type, {found} AS found, csv_line FROM {table}) "
                "GROUP BY line, error_type ORDER BY line"
            ).fetchall()
            [(most,)] = self.backend.raw_sql(
                f"SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM {table} "
                "GROUP BY scan_id)"
            ).fetchall()
        return rows, int(most) >= REJECTS_LIMIT

    def local_time(self, path: Path, column: str | None) -> Callable[[Any], Any] | None:
        """What turns the timestamps of ``column`` of the Parquet file ``path`` into their
        local time, when the file stores them with a time zone other than UTC (Arrow's
        ``timestamp[us, tz=US/Eastern]``); None otherwise. The engines read such a column
        as instants in UTC and lose its zone, so the zone is read from the file's schema
        (its footer: O(1)) and the engine's own function applied: DuckDB's ``timezone``,
        Spark's ``from_utc_timestamp`` (in the session's time zone, UTC as
        :func:`connect` sets it)."""
        if column is None or not is_parquet(path):
            return None
        import pyarrow.parquet as pq

        try:
            kind = pq.read_schema(path).field(column).type
        except (KeyError, OSError, ValueError):  # the engine says what is wrong with it
            return None
        zone = getattr(kind, "tz", None)
        if not zone or zone.upper() in ("UTC", "Z", "+00:00", "ETC/UTC"):
            return None
        function = _local_time_function(self.name)
        return lambda value: function(zone, value)

    def separator(self, path: Path) -> str | None:
        """The separator of the CSV file ``path`` as read (None for Parquet)."""
        layout = self.layouts.get(str(path))
        return None if layout is None else layout.separator

    @property
    def input_errors(self) -> tuple[type[BaseException], ...]:
        """The errors the engine raises, while a query runs, on a file it cannot parse
        (DuckDB reads a CSV file as the query needs it: a bad byte on row 200,002 is met
        then, not when the file is opened)."""
        if self.name != "duckdb":
            return ()
        import duckdb

        return (duckdb.InvalidInputException,)

    def run(self, table: ir.Table) -> pa.Table:
        """The result of the query ``table``, as Arrow (its cost is the query's)."""
        with _quiet():
            return table.to_pyarrow()

    def materialize(self, table: ir.Table) -> ir.Table:
        """``table`` computed once and stored as a DuckDB temporary table (spilled to disk
        past the memory limit), so that later queries read it instead of computing it
        again: DuckDB repeats an expression each time a column of the next SELECT uses it.
        On Spark ``table`` itself: Catalyst eliminates the common subexpressions, and
        caching cost more than it saved (a million rows: 27 s cached, 18 s not).
        O(rows of ``table``)."""
        if self.name != "duckdb":
            return table
        self.stored += 1
        name = f"symbiosis_step_{self.stored}"
        with _quiet():
            self.backend.create_table(name, table, temp=True)
            return self.backend.table(name)

    def close(self) -> None:
        """Release the engine (DuckDB's memory and temporary tables; Spark's session is
        left to its owner) and remove the copies it read. O(1)."""
        if self.name == "duckdb":
            self.backend.disconnect()
        for copy in self.temporary:
            copy.unlink(missing_ok=True)
        self.temporary.clear()


def connect(
    name: str = "duckdb",
    *,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int | None = None,
    session: Any = None,
) -> Engine:
    """An :class:`Engine`: ``duckdb`` (in memory, spilling to the temporary folder past
    ``memory_limit``) or ``spark`` (``session``, or a new ``local[*]`` session). Raises
    InputError naming the extra to install when the engine's package is missing, and on a
    malformed ``memory_limit``. O(1) for DuckDB; a new Spark session starts a JVM."""
    if name not in ENGINES:
        raise InputError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    try:
        import ibis
    except ImportError:
        raise InputError(_missing("registers")) from None
    if name == "duckdb":
        spill = Path(tempfile.gettempdir()) / f"symbiosis-duckdb-{os.getpid()}"
        config: dict[str, Any] = {"memory_limit": memory_limit, "temp_directory": str(spill)}
        if threads:
            config["threads"] = threads
        try:
            backend = ibis.duckdb.connect(**config)
        except Exception as exc:  # DuckDB refuses a malformed memory limit when it opens
            raise InputError(
                f"--memory-limit: {memory_limit!r} is not a memory size ({_first_line(exc)}); "
                "write it as 1GB or 500MB"
            ) from None
        _in_utc(backend)
        return Engine(name, backend)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError(_missing("spark")) from None
    if session is None:
        session = (
            SparkSession.builder.master("local[*]")
            .appName("symbiosis-register")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            # a register's groups fit a few partitions on one machine; 200 (the default)
            # costs more in task start-up than it saves
            .config("spark.sql.shuffle.partitions", str(max(2, os.cpu_count() or 2)))
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
    return Engine(name, ibis.pyspark.connect(session))


def _in_utc(backend: Any) -> None:
    """Set DuckDB's session time zone to UTC, as Spark's session is: DuckDB takes the
    machine's, and would file a timestamp stored in UTC under its date in Tokyo. Without
    the ICU extension DuckDB knows no other zone than UTC: nothing to set."""
    with contextlib.suppress(Exception), _quiet():
        backend.raw_sql("SET TimeZone = 'UTC'")


def _local_time_function(engine: str) -> Callable[[Any, Any], Any]:
    """The engine's function (zone, timestamp in UTC) -> the local timestamp: DuckDB's
    ``timezone(zone, timestamptz)``, Spark's ``from_utc_timestamp(timestamp, zone)``."""
    import ibis
    import ibis.expr.datatypes as dt

    # Ibis reads a builtin's signature from its annotations, evaluated: set them here (this
    # module's annotations are text, `from __future__ import annotations`)
    def duckdb(zone: Any, value: Any) -> Any: ...

    def spark(value: Any, zone: Any) -> Any: ...

    instant, local = dt.Timestamp(timezone="UTC"), dt.timestamp
    if engine == "duckdb":
        duckdb.__annotations__ = {"zone": str, "value": instant, "return": local}
        return ibis.udf.scalar.builtin(duckdb, name="timezone")
    spark.__annotations__ = {"value": instant, "zone": str, "return": local}
    function = ibis.udf.scalar.builtin(spark, name="from_utc_timestamp")
    return lambda zone, value: function(value, zone)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """Ibis 12 calls a DuckDB method that DuckDB 2 deprecated: nothing for a user to do."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="ibis")
        yield


def _missing(extra: str) -> str:
    return f'the {extra} engine is not installed; install it with: pip install "symbiosis[{extra}]"'


def unreadable(path: Path, exc: BaseException) -> Problem:
    """Why the engine could not parse the register file ``path``: text that is not UTF-8
    (at its row, as the network reader says it), else the engine's own first line. The
    bytes are read only here, after the engine failed: O(size) once."""
    parquet = is_parquet(path)
    if not parquet:
        found = _first_non_utf8(path)
        if found is not None:
            byte, row = found
            return Problem(
                str(path), row, None, f"is not UTF-8 text (byte 0x{byte:02X})", UTF8_HINT
            )
    kind = "Parquet" if parquet else "CSV"
    return Problem(
        str(path),
        None,
        None,
        f"cannot read it as {kind} ({_first_line(exc)})",
        "give a CSV file with a header row, or a Parquet file",
    )


def _all_empty(table: ir.Table, columns: Sequence[str]) -> ir.BooleanValue:
    """Whether every one of ``columns`` is null or blank, per row of ``table``."""
    import ibis

    empty = ibis.literal(True)
    for name in columns:
        empty = empty & (table[name].strip().fill_null("") == "")
    return empty


def _is_blank(path: Path) -> bool:
    """Whether the file holds nothing but whitespace (an empty export). O(1): a larger
    file is not read."""
    if path.stat().st_size > 1 << 16:
        return False
    return not path.read_bytes().strip()


def _first_non_utf8(path: Path, block: int = 1 << 24) -> tuple[int, int] | None:
    """The first byte of ``path`` that is not UTF-8 and its line (the header's is 1), or
    None. A UTF-8 byte-order mark is UTF-8. Read in blocks of ``block`` bytes: O(size)
    time, O(block) memory."""
    line, carried = 1, b""
    with open(path, "rb") as file:
        while True:
            chunk = file.read(block)
            data = carried + chunk
            try:
                data.decode("utf-8")
                good, carried = data, b""
            except UnicodeDecodeError as exc:
                if chunk and exc.reason == "unexpected end of data":  # cut by the block
                    good, carried = data[: exc.start], data[exc.start :]
                else:
                    return data[exc.start], line + data[: exc.start].count(b"\n")
            line += good.count(b"\n")
            if not chunk:
                return None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
