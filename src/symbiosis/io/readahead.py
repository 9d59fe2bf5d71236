"""Reading a network's CSV files ahead, on a thread, while the command imports its code.

A command of the CLI imports pandas, scipy and its passes (about 0.4 s) before it loads
the network. pyarrow's CSV reader runs without the GIL, so the files can be read
meanwhile: :func:`start` reads them on a thread with the fast path of
:func:`~symbiosis.io.reading.read_table` (:func:`~symbiosis.io.reading.fast_table`: UTF-8
text that pyarrow parses cleanly), and ``read_table`` takes the table read
(:func:`taken`) instead of reading the file again, when the file is the same one,
unchanged (device, inode, size and modification time). Anything else (a missing file, a
workbook, a file the fast path leaves to pandas, an error of any kind) is left to
``read_table``, which reads the file and says what is wrong as it always does: reading
ahead changes no result and no message. Neither importing this module nor its thread
loads pandas or the model.

Measured (``symbiosis analyze -f json``, 8 interleaved runs against the same code without
it, medians): 4.31 -> 4.19 s at a million flows (peaks 10-20 MB higher: the thread's own
malloc arena), 1.10 -> 1.08 s at 100,000, the Tongling example unchanged (0.61 -> 0.60 s).
The gain is less than the reading's 0.35 s: the parse shares two cores with the imports.
Every file is parsed before any is finished (:class:`~symbiosis.io.reading.Parsed`): the
finish (contiguous columns, stripped cells) holds the GIL in many short steps, each a wait
of up to the switch interval while the imports run beside it, where the parse holds none.
At a million flows the flows' finish took 0.15 s beside the imports and 0.07 s after
them; the analysis starts 0.95-0.98 -> 0.84-0.88 s into the command (12 + 12 runs).
"""

from __future__ import annotations

import atexit
import os
import stat
import threading
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .reading import Table

__all__ = ["ONE_THREAD_BYTES", "start", "taken"]

_Key = tuple[int, int, int, int]  # device, inode, size, modification time

#: Files up to this size are parsed on the read-ahead's thread alone: 44 MB of flows and
#: 25 MB of firms (a million flows) take about as long as the imports beside them. A
#: larger file would keep the command waiting for it: pyarrow's pool parses 2-3 times as
#: fast (those flows: 0.22 s on one thread, 0.08 s on the pool, warm).
ONE_THREAD_BYTES = 64 * 2**20


class _Reader:
    """One read-ahead: the files planned (by key), the tables read, the thread."""

    def __init__(self, paths: list[Path]) -> None:
        self.planned = {key: path for path in paths if (key := _key(path)) is not None}
        self.read: dict[_Key, Table] = {}
        self.thread = threading.Thread(target=self._run, name="symbiosis-readahead", daemon=True)
        # Waited on instead of Thread.join: in Python 3.11 a join interrupted by Ctrl-C can
        # mark the thread stopped while it still runs (threading's bpo-45274 handling), and
        # the exit then tore Arrow down under its reader (a segmentation fault, seen in 2 of
        # 24 runs interrupted 0.5 s in)
        self.finished = threading.Event()

    def _run(self) -> None:
        try:
            self._read()
        finally:
            self.finished.set()

    def _read(self) -> None:
        from .encoding import binary_kind
        from .reading import fast_parse  # on this thread: numpy and pyarrow only

        parsed = {}
        for key, path in self.planned.items():
            if binary_kind(path) is not None:  # a workbook, Parquet, SQLite: not read here
                continue
            try:
                # a file that parses about as long as the imports take, on this thread
                # alone (the imports keep the other core); a larger one on pyarrow's pool
                parsed[key] = fast_parse(path, threads=key[2] > ONE_THREAD_BYTES)
            except Exception:  # read_table meets it again, and says what it is
                continue
        # Every file parsed first, then finished: the parse runs without the GIL, while
        # the imports beside it hold it; the finish takes the GIL back at each of its
        # many short steps, each a wait of up to the switch interval while they run.
        for key, found in parsed.items():
            path = self.planned[key]
            try:
                table = None if found is None else found.table()
            except Exception:
                continue
            if table is not None and _key(path) == key:  # unchanged while it was read
                self.read[key] = table


_reader: _Reader | None = None


def start(paths: Iterable[Path]) -> None:
    """Read these CSV files on a thread of their own, for :func:`taken`. The files that
    do not exist, or are not regular files, are left out. O(1) in this thread."""
    global _reader
    reader = _Reader([Path(p) for p in paths])
    if not reader.planned:
        return
    reader.thread.start()
    _reader = reader  # only once its thread runs: what waits for it may then wait


def taken(path: Path, shown: str) -> Table | None:
    """The table read ahead for ``path`` (as :func:`~symbiosis.io.reading.read_table`
    with this ``shown`` would read it), waiting for the thread if it still reads;
    ``None`` when the file was not read ahead, could not be, or changed since. Each
    table is taken once (then let go here). O(1) but for the wait."""
    reader = _reader
    if reader is None:
        return None
    key = _key(path)
    if key is None or key not in reader.planned:
        return None
    reader.finished.wait()
    table = reader.read.pop(key, None)  # read unchanged, as the file is at this call
    if table is None:
        return None
    return table if table.path == shown else replace(table, path=shown)


def _key(path: Path) -> _Key | None:
    """What tells the file and its version: device, inode, size, modification time;
    ``None`` for a path that is no regular file (missing, a folder, a pipe)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(found.st_mode):
        return None
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


@atexit.register
def _wait() -> None:
    """At exit, the thread ends first (a command that stops before it loads the network,
    on a bad option say): the interpreter is not torn down under pyarrow's reader."""
    reader = _reader
    if reader is not None:
        reader.finished.wait()
