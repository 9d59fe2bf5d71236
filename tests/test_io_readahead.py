"""Reading ahead (symbiosis.io.readahead): a table read on the thread is the table
read_table reads, it is taken only for the same unchanged file, and anything the fast
path does not read is left to read_table, with its own messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.io import readahead
from symbiosis.io.problems import in_row_order
from symbiosis.io.reading import Table, read_table

EXAMPLE = Path(__file__).parents[1] / "examples" / "tongling"


def _same(a: Table, b: Table) -> None:
    assert a.path == b.path
    assert a.data.equals(b.data)
    np.testing.assert_array_equal(a.rows, b.rows)
    assert a.decimal_comma == b.decimal_comma
    np.testing.assert_array_equal(a.short_rows, b.short_rows)
    np.testing.assert_array_equal(a.short_fields, b.short_fields)


def _read_ahead(path: Path, shown: str | None = None) -> Table | None:
    readahead.start([path])
    return readahead.taken(path, shown or str(path))


_CELL = st.text(alphabet=st.sampled_from(list('ab ,;"\t\n1é')), max_size=6)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(_CELL, min_size=1, max_size=4), min_size=0, max_size=6),
    separator=st.sampled_from([",", ";", "\t"]),
    sep_line=st.booleans(),
    blank=st.booleans(),
)
def test_a_table_read_ahead_is_the_table_read_table_reads(
    tmp_path, rows, separator, sep_line, blank
):
    lines = [separator.join(["source", "target", "note"])]
    lines += [separator.join(f'"{c}"' if any(x in c for x in ',;\t"\n') else c for c in row)
              for row in rows]  # fmt: skip
    if blank:
        lines.insert(len(lines) // 2 + 1, "")
    text = ("sep=" + separator + "\n" if sep_line else "") + "\n".join(lines) + "\n"
    path = tmp_path / "flows.csv"
    path.write_text(text, encoding="utf-8")
    try:
        plain = read_table(path)
    except InputError as exc:
        # read ahead or not, read_table says the same: a table read ahead holds the rows
        # it refuses (a stray quote), which read_table raises
        ahead = _read_ahead(path)
        assert ahead is None or in_row_order(ahead.read_problems) == exc.problems
        with pytest.raises(InputError) as again:
            read_table(path)
        assert again.value.problems == exc.problems
        return
    ahead = _read_ahead(path)
    if ahead is not None:  # None: the fast path left it to pandas
        _same(ahead, plain)
    _same(read_table(path), plain)


@pytest.mark.parametrize("one_thread_bytes", [readahead.ONE_THREAD_BYTES, 0])
def test_the_example_is_read_ahead_and_taken_once(tmp_path, monkeypatch, one_thread_bytes):
    monkeypatch.setattr(readahead, "ONE_THREAD_BYTES", one_thread_bytes)  # 0: pyarrow's pool
    path = tmp_path / "flows.csv"
    path.write_bytes((EXAMPLE / "flows.csv").read_bytes())
    readahead.start([path])
    ahead = readahead.taken(path, "shown name")
    assert ahead is not None and ahead.path == "shown name"
    _same(ahead, read_table(path, shown="shown name"))
    assert readahead.taken(path, "shown name") is None  # taken: let go


def test_a_file_changed_after_it_was_read_ahead_is_read_again(tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text("source,target\nA,B\n", encoding="utf-8")
    readahead.start([path])
    readahead._reader.thread.join()
    path.write_text("source,target\nA,B\nB,C\n", encoding="utf-8")
    assert readahead.taken(path, str(path)) is None
    assert len(read_table(path)) == 2


def test_what_the_fast_path_does_not_read_is_left_to_read_table(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("source,target\nA,B\n".encode("utf-16"))
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("source,target\nA,Bé\n".encode("latin-1"))
    missing = tmp_path / "missing.csv"
    readahead.start([utf16, latin1, missing, tmp_path])
    for path in (utf16, latin1, missing):
        assert readahead.taken(path, str(path)) is None
    assert len(read_table(utf16)) == 1
    with pytest.raises(InputError, match="UTF-8"):
        read_table(latin1)
    with pytest.raises(InputError, match="does not exist"):
        read_table(missing)


def test_nothing_started_nothing_taken(tmp_path, monkeypatch):
    monkeypatch.setattr(readahead, "_reader", None)
    path = tmp_path / "flows.csv"
    path.write_text("source,target\nA,B\n", encoding="utf-8")
    readahead.start([tmp_path / "absent.csv", tmp_path])  # a missing file, a folder
    assert readahead._reader is None  # no thread for them
    assert readahead.taken(path, str(path)) is None


def test_reading_ahead_loads_neither_pandas_nor_the_model():
    code = (
        "import sys, symbiosis.io, symbiosis.io.readahead as r\n"
        f"r.start([__import__('pathlib').Path({str(EXAMPLE / 'flows.csv')!r})])\n"
        "r._reader.thread.join()\n"
        "assert r._reader.read, 'nothing read'\n"
        "print(sorted(m for m in ('pandas', 'symbiosis.model', 'scipy') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_cli_reads_the_network_ahead_with_the_same_results(tmp_path, monkeypatch):
    taken = []
    real = readahead.taken

    def spy(path, shown):
        table = real(path, shown)
        taken.append((Path(path).name, table is not None))
        return table

    monkeypatch.setattr(readahead, "taken", spy)
    runner = CliRunner()
    ahead = runner.invoke(app, ["analyze", str(EXAMPLE), "-f", "json"])
    assert ahead.exit_code == 0, ahead.output
    assert ("firms.csv", True) in taken and ("flows.csv", True) in taken
    monkeypatch.setattr(readahead, "start", lambda paths: None)
    plain = runner.invoke(app, ["analyze", str(EXAMPLE), "-f", "json"])
    assert plain.stdout == ahead.stdout


def test_a_bad_file_gets_the_same_message_when_read_ahead(tmp_path, monkeypatch):
    (tmp_path / "flows.csv").write_bytes(b"source,target,material,category,quantity,unit\n"
                                         b"A,B,x,product,abc,t\n")  # fmt: skip
    runner = CliRunner()
    ahead = runner.invoke(app, ["validate", str(tmp_path)])
    monkeypatch.setattr(readahead, "start", lambda paths: None)
    plain = runner.invoke(app, ["validate", str(tmp_path)])
    assert ahead.exit_code == plain.exit_code == 2
    assert ahead.output == plain.output
    assert "row 2" in ahead.output or ":2:" in ahead.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_pipe_is_not_read_ahead(tmp_path, monkeypatch):
    monkeypatch.setattr(readahead, "_reader", None)
    fifo = tmp_path / "flows.csv"
    os.mkfifo(fifo)
    readahead.start([fifo])  # would block for ever if read
    assert readahead._reader is None
    assert readahead.taken(fifo, str(fifo)) is None


def test_waits_for_the_reader_itself_not_the_threads_state(tmp_path, monkeypatch):
    """In Python 3.11 a ``Thread.join`` interrupted by Ctrl-C can leave the thread marked
    stopped while it still reads; the exit then tore Arrow down under the reader (a
    segmentation fault). Neither ``taken`` nor the exit's wait trusts the thread's
    state: with ``join`` and ``is_alive`` answering as after such an interrupt, both
    still wait for the reading to end."""
    import threading
    import time

    path = tmp_path / "flows.csv"
    path.write_text("source,target\nA,B\n", encoding="utf-8")
    read = readahead._Reader._read

    def slow(self):
        time.sleep(0.3)
        read(self)

    monkeypatch.setattr(readahead._Reader, "_read", slow)
    monkeypatch.setattr(threading.Thread, "join", lambda self, timeout=None: None)
    monkeypatch.setattr(threading.Thread, "is_alive", lambda self: False)
    readahead.start([path])
    readahead._wait()
    assert readahead._reader.finished.is_set()
    readahead.start([path])
    table = readahead.taken(path, str(path))
    assert table is not None and table.names == ["source", "target"]
