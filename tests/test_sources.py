"""Issue 14, item 1: any table in. Folders, CSV, Parquet, Excel, pandas frames of every
dtype backend, polars frames, pyarrow Tables and networkx graphs give the same network and
the same located problems (rows: the frame's index label, the sheet's row)."""

from __future__ import annotations

import io
import math
import os
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis import InputError, from_frames, load
from symbiosis.examples import example_path

TONGLING = Path(__file__).parents[1] / "examples" / "tongling"
SMALL = Path(__file__).parents[1] / "tests" / "data" / "small"

BAD_FLOWS = """source,target,material,quantity,unit,category
MINE,SMELT,copper concentrate,100,kt,product
SMELT,ACID,SO2 off-gas,-5,t,by-product
SMELT,NOWHERE,slag,12,furlong,waste
"""
BAD_EXPECTED = {
    (3, "quantity"),
    (4, "target"),
    (4, "unit"),
}


def _read(path: Path | io.StringIO, **options: object) -> pd.DataFrame:
    """A CSV file as pandas reads it, with only empty cells missing (by default pandas
    also reads 'n/a', which the example's notes hold, as missing: not what the file says)."""
    return pd.read_csv(path, keep_default_na=False, na_values=[""], **options)  # type: ignore[call-overload]


def _csv(text: str) -> pd.DataFrame:
    return _read(io.StringIO(text))


def _located(caught: pytest.ExceptionInfo[InputError]) -> set[tuple[object, str | None]]:
    return {(p.row, p.column) for p in caught.value.problems}


def _same_network(a: symbiosis.FlowNetwork, b: symbiosis.FlowNetwork) -> None:
    pd.testing.assert_frame_equal(a.firms, b.firms)
    pd.testing.assert_frame_equal(a.flows, b.flows)


@pytest.fixture(scope="module")
def tongling() -> symbiosis.FlowNetwork:
    return load(TONGLING)


# --------------------------------------------------------------------------- pandas


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(lambda p: _read(p).convert_dtypes(), id="numpy_nullable"),
        pytest.param(lambda p: _read(p, dtype_backend="pyarrow"), id="pyarrow"),
        pytest.param(lambda p: _read(p, dtype_backend="numpy_nullable"), id="nullable"),
        pytest.param(lambda p: _read(p, dtype=object), id="object"),
    ],
)
def test_every_pandas_dtype_backend_gives_the_network_of_the_files(tongling, read):
    """Measured: nullable dtypes gave 13 false problems such as `lat: '<NA>' is not a
    coordinate`."""
    network = from_frames(read(TONGLING / "firms.csv"), read(TONGLING / "flows.csv"))
    _same_network(network, tongling)


def test_load_takes_frames_positionally_and_by_name(tongling):
    """Measured: load(df) was a raw TypeError, load(flows=df, firms=df) a pandas ValueError."""
    firms, flows = _read(TONGLING / "firms.csv"), _read(TONGLING / "flows.csv")
    _same_network(load(firms, flows), tongling)
    _same_network(load(flows=flows, firms=firms), tongling)
    alone = load(flows)  # the nodes come from the flows' endpoints
    assert len(alone.flows) == len(tongling.flows)
    assert any("no firms file" in w for w in alone.warnings)


def test_mixed_sources_frame_and_file(tongling):
    _same_network(load(TONGLING / "firms.csv", _read(TONGLING / "flows.csv")), tongling)


def test_rows_are_the_index_labels_of_a_labelled_frame():
    """Measured: error rows were numbered by position, not by the frame's index label."""
    flows = _csv(BAD_FLOWS)
    flows.index = ["a", "b", "c"]
    with pytest.raises(InputError) as caught:
        from_frames(None, flows)
    assert _located(caught) >= {("b", "quantity"), ("c", "unit")}
    assert str(caught.value).startswith("flows:b: quantity:")
    # a filtered frame keeps its labels: the row a user finds with .loc
    filtered = _csv(BAD_FLOWS).iloc[[0, 2]]
    with pytest.raises(InputError) as caught:
        from_frames(None, filtered)
    assert ("2", "unit") not in _located(caught)
    assert (2, "unit") in _located(caught)


def test_a_default_index_numbers_rows_as_the_csv_it_came_from():
    with pytest.raises(InputError) as from_file:
        load(flows=_write(BAD_FLOWS))
    with pytest.raises(InputError) as from_frame:
        from_frames(None, _csv(BAD_FLOWS))
    assert _located(from_file) == _located(from_frame)
    assert {(r, c) for r, c in _located(from_frame) if c != "target"} <= BAD_EXPECTED


_SCRATCH: list[Path] = []  # this module's folder of written files (pytest's, cleaned up)


@pytest.fixture(scope="module", autouse=True)
def _scratch_folder(tmp_path_factory):
    """The folder :func:`_write` writes into: pytest's temporary folder, not the system's
    (where the files were left behind, 42 per run)."""
    _SCRATCH[:] = [tmp_path_factory.mktemp("written")]
    yield
    _SCRATCH.clear()


def _write(text: str) -> Path:
    """``text`` in a new CSV file of its own (the property test calls it many times)."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="flows_", dir=_SCRATCH[0])
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    return Path(name)


def test_no_flows_at_all_says_so(tongling):
    """Found by fuzzing: from_frames(None, None) and with_flows(None) said "invalid input",
    with no problem listed."""
    for call in (lambda: from_frames(None, None), lambda: tongling.with_flows(None)):
        with pytest.raises(InputError, match=r"^no flows given; pass the flows as a table"):
            call()


def test_something_that_is_not_a_table_is_named():
    with pytest.raises(InputError, match="a int is not a table"):
        load(flows=3)


def test_a_column_is_not_a_table():
    """A tester's Series was "cannot be read as an Arrow table (Cannot import schema ...)":
    a column has ``__arrow_c_stream__`` too."""
    column = pd.DataFrame({"source": ["A"]})["source"]
    for column_like, name in ((column, "Series"), (pa.chunked_array([["A"]]), "ChunkedArray")):
        with pytest.raises(InputError, match=f"^flows: a {name} is not a table; give a pandas"):
            load(column_like)


# --------------------------------------------------------------------------- Arrow


def test_pyarrow_table_and_arrow_stream(tongling):
    """Measured: a pyarrow Table raised AttributeError."""
    firms = pa.Table.from_pandas(_read(TONGLING / "firms.csv"))
    flows = pa.Table.from_pandas(_read(TONGLING / "flows.csv"))
    _same_network(load(firms, flows), tongling)

    class Stream:  # only the Arrow PyCapsule interface, as any Arrow library gives it
        def __init__(self, table: pa.Table) -> None:
            self.table = table

        def __arrow_c_stream__(self, requested_schema=None):
            return self.table.__arrow_c_stream__(requested_schema)

    _same_network(load(Stream(firms), Stream(flows)), tongling)


def test_nested_and_binary_arrow_columns_load_as_text():
    """Found by fuzzing: a list or struct column (an extra column, kept as an attribute)
    stopped load with ArrowNotImplementedError; a binary material became "b'ore'"."""
    firms = pd.DataFrame({"id": ["A", "B"], "role": ["firm", "firm"]})
    flows = pa.table(
        {
            "source": ["A"],
            "target": ["B"],
            "material": pa.array([b"ore"], pa.binary()),
            "quantity": [1.0],
            "unit": ["t"],
            "category": ["product"],
            "tags": [[1, 2]],
            "origin": [{"mine": "M1"}],
        }
    )
    network = load(firms, flows)
    assert network.flows["material"].tolist() == ["ore"]
    assert network.flows["origin"].tolist() == ["{'mine': 'M1'}"]
    assert network.flows["tags"].tolist() == ["[1 2]"]


def test_polars_frames(tongling):
    """Measured: a polars frame raised AttributeError."""
    pl = pytest.importorskip("polars")
    firms = pl.read_csv(TONGLING / "firms.csv")
    flows = pl.read_csv(TONGLING / "flows.csv")
    _same_network(load(firms, flows), tongling)
    with pytest.raises(InputError) as caught:
        load(flows=pl.read_csv(io.StringIO(BAD_FLOWS)))
    assert {(r, c) for r, c in _located(caught) if c != "target"} <= BAD_EXPECTED


# --------------------------------------------------------------------------- files


def test_parquet_files(tmp_path, tongling):
    """Measured: .parquet failed with 'is not a text file (it contains NUL bytes)'."""
    for name in ("firms", "flows"):
        pq.write_table(
            pa.Table.from_pandas(_read(TONGLING / f"{name}.csv")),
            tmp_path / f"{name}.parquet",
        )
    network = load(tmp_path / "firms.parquet", tmp_path / "flows.parquet")
    _same_network(network, tongling.with_tables())  # source files differ, tables do not
    assert network.source_files == (
        (tmp_path / "firms.parquet").resolve(),
        (tmp_path / "flows.parquet").resolve(),
    )
    disguised = tmp_path / "flows.csv"  # a Parquet file by its first bytes
    disguised.write_bytes((tmp_path / "flows.parquet").read_bytes())
    assert len(load(flows=disguised).flows) == len(tongling.flows)


def test_parquet_problems_are_located_like_the_csv(tmp_path):
    pq.write_table(pa.Table.from_pandas(_csv(BAD_FLOWS)), tmp_path / "bad.parquet")
    with pytest.raises(InputError) as caught:
        load(tmp_path / "bad.parquet")
    with pytest.raises(InputError) as from_csv:
        load(flows=_write(BAD_FLOWS))
    assert _located(caught) == _located(from_csv)


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _rows(frame: pd.DataFrame) -> list[list[object]]:
    cells = frame.astype(object).where(frame.notna(), None)
    return [list(frame.columns), *cells.values.tolist()]


def test_excel_workbook(tmp_path, tongling):
    """Measured: .xlsx failed with 'is not a text file (it contains NUL bytes)'."""
    firms, flows = _read(TONGLING / "firms.csv"), _read(TONGLING / "flows.csv")
    book = _workbook(tmp_path / "net.xlsx", {"flows": _rows(flows), "firms": _rows(firms)})
    _same_network(load(book), tongling.with_tables())
    named = _workbook(tmp_path / "named.xlsx", {"Nodes": _rows(firms), "Links": _rows(flows)})
    _same_network(load(named, firms_sheet="Nodes", flows_sheet="Links"), tongling.with_tables())
    flows_only = _workbook(tmp_path / "flows.xlsx", {"flows": _rows(flows)})
    assert len(load(flows_only).flows) == len(flows)


def test_excel_problems_name_the_sheet_and_its_row(tmp_path):
    bad = _rows(_csv(BAD_FLOWS))
    bad.insert(2, [None] * len(bad[0]))  # a blank row: Excel's rows after it shift by one
    book = _workbook(tmp_path / "bad.xlsx", {"flows": bad})
    with pytest.raises(InputError) as caught:
        load(book)
    assert {(r, c) for r, c in _located(caught) if c != "target"} == {
        (4, "quantity"),
        (5, "unit"),
    }
    assert all(p.file == f"{book}[flows]" for p in caught.value.problems)


def test_excel_missing_sheet_lists_the_sheets(tmp_path):
    book = _workbook(tmp_path / "x.xlsx", {"Sheet1": [["a"], [1]]})
    with pytest.raises(InputError, match=r"has no sheet 'flows'.*its sheets: Sheet1"):
        load(book)
    with pytest.raises(InputError, match="has no sheet 'nodes'"):
        load(book, firms_sheet="nodes", flows_sheet="Sheet1")


def test_sheet_and_table_names_ignore_case(tmp_path, tongling):
    """Excel ignores the case of sheet names ("Flows" is the sheet "flows"), and SQLite
    that of table names: so does load. Measured: 'has no sheet 'flows'; its sheets:
    Firms, Flows'."""
    import sqlite3

    firms, flows = _read(TONGLING / "firms.csv"), _read(TONGLING / "flows.csv")
    book = _workbook(tmp_path / "net.xlsx", {"Firms": _rows(firms), "Flows": _rows(flows)})
    network = load(book)
    _same_network(network, tongling.with_tables())
    assert any("[Flows]" in w for w in network.warnings)  # the sheet as the book spells it
    _same_network(load(book, firms_sheet="FIRMS", flows_sheet="flows"), tongling.with_tables())
    path = tmp_path / "net.sqlite"
    with closing(sqlite3.connect(path)) as connection:
        firms.to_sql("Firms", connection, index=False)
        flows.to_sql("FLOWS", connection, index=False)
        connection.commit()
    _same_network(load(path), tongling.with_tables())


def test_sheets_under_other_names_are_found_by_their_columns(tmp_path, tongling):
    """A workbook as people name its sheets (企业 and 流量, Sheet1 and Sheet2): the one
    sheet with the flows' columns is the flows, the one with an id the firms, and a
    warning says so. Measured: 'has no sheet 'flows'; its sheets: 企业, 流量'."""
    import sqlite3

    firms, flows = _read(TONGLING / "firms.csv"), _read(TONGLING / "flows.csv")
    book = _workbook(tmp_path / "net.xlsx", {"企业": _rows(firms), "流量": _rows(flows)})
    network = load(book)
    _same_network(network, tongling.with_tables())
    said = [w for w in network.warnings if "is read as the" in w]
    assert len(said) == 2 and "the sheet '流量' is read as the flows" in said[0], said
    path = tmp_path / "net.sqlite"
    with closing(sqlite3.connect(path)) as connection:
        firms.to_sql("companies", connection, index=False)
        flows.to_sql("links", connection, index=False)
        connection.commit()
    network = load(path)
    _same_network(network, tongling.with_tables())
    assert any("the table 'links' is read as the flows" in w for w in network.warnings)


def test_two_sheets_with_the_flows_columns_are_not_guessed(tmp_path):
    flows = _rows(_read(TONGLING / "flows.csv"))
    book = _workbook(tmp_path / "x.xlsx", {"2019": flows, "2020": flows})
    with pytest.raises(InputError, match=r"has no sheet 'flows'.*its sheets: 2019, 2020"):
        load(book)
    one = _workbook(tmp_path / "y.xlsx", {"links": flows, "notes": [["text"], ["hello"]]})
    network = load(one)  # no sheet with an id: the firms are the flows' endpoints
    assert any("no firms" in w for w in network.warnings)


def test_a_broken_workbook_is_refused_cleanly(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        load(broken)


# --------------------------------------------------------------------------- graphs


def _graph(kind: type[nx.DiGraph]) -> nx.DiGraph:
    graph = kind()
    graph.add_node("MINE", role="extraction", sector="copper mining")
    graph.add_node("SMELT", sector="copper smelting")
    graph.add_node("MKT", role="market")
    for target, material, quantity in (("SMELT", "ore", 100), ("MKT", "ore", 5)):
        graph.add_edge(
            "MINE", target, material=material, quantity=quantity, unit="kt", category="product"
        )
    graph.add_edge("SMELT", "MKT", material="cathode", quantity=20, unit="kt", category="product")
    return graph


@pytest.mark.parametrize("kind", [nx.DiGraph, nx.MultiDiGraph])
def test_networkx_graphs(kind):
    network = symbiosis.FlowNetwork.from_graph(_graph(kind))
    assert network.firms.loc["SMELT", "role"] == "firm"
    assert sorted(network.flows["value"]) == [5_000, 20_000, 100_000]
    assert load(_graph(kind)).flows.equals(network.flows)


def test_graph_problems_name_the_node_and_the_edge():
    graph = _graph(nx.MultiDiGraph)
    graph.add_edge("SMELT", "MKT", material="slag", quantity=-1, unit="t", category="waste")
    graph.nodes["MKT"]["lat"] = "north"
    with pytest.raises(InputError) as caught:
        load(graph)
    assert ("SMELT->MKT (key 1)", "quantity") in _located(caught)
    assert ("MKT", "lat") in _located(caught)


def test_an_undirected_graph_is_refused():
    with pytest.raises(InputError, match="undirected"):
        load(nx.Graph(_graph(nx.DiGraph)))


# --------------------------------------------------------------------------- properties

_TEXT = st.text(alphabet="abc xyz", min_size=1, max_size=6).map(str.strip).filter(bool)


@st.composite
def _flow_tables(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(1, 12))
    nodes = ["A", "B", "C", "market", "landfill"]
    quantities = st.one_of(
        st.none(),
        st.integers(0, 10**9).map(float),
        st.floats(0, 1e9, allow_nan=False).map(lambda x: float(f"{x:.6g}")),
    )
    return pd.DataFrame(
        {
            "source": draw(st.lists(st.sampled_from(nodes), min_size=n, max_size=n)),
            "target": draw(st.lists(st.sampled_from(nodes), min_size=n, max_size=n)),
            "material": draw(st.lists(_TEXT, min_size=n, max_size=n)),
            "quantity": draw(st.lists(quantities, min_size=n, max_size=n)),
            "unit": draw(
                st.lists(st.sampled_from(["t", "kt", "MWh", "m3"]), min_size=n, max_size=n)
            ),
            "category": draw(
                st.lists(
                    st.sampled_from(["product", "waste", "by-product"]), min_size=n, max_size=n
                )
            ),
            "year": draw(
                st.lists(st.one_of(st.none(), st.integers(1990, 2030)), min_size=n, max_size=n)
            ),
        }
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_flow_tables(), st.sampled_from(["numpy", "numpy_nullable", "pyarrow", "arrow"]))
def test_every_backend_reads_like_the_csv_file(flows, backend):
    """Whatever the backend, a table holds what its CSV file holds: the same network, or
    the same problems at the same rows."""
    text = flows.to_csv(index=False)
    if backend == "arrow":
        given_table = pa.Table.from_pandas(_read(io.StringIO(text)), preserve_index=False)
    elif backend == "numpy":
        given_table = _read(io.StringIO(text))
    else:
        given_table = _read(io.StringIO(text), dtype_backend=backend)
    try:
        expected = load(flows=_write(text))
    except InputError as error:
        with pytest.raises(InputError) as caught:
            load(given_table)
        assert _located(caught) == {(p.row, p.column) for p in error.problems}
        return
    network = load(given_table)
    pd.testing.assert_frame_equal(network.flows, expected.flows)
    values = network.flows["value"].to_numpy()
    quantities = flows["quantity"].to_numpy(dtype=float)
    assert np.array_equal(np.isnan(values), np.isnan(quantities))
    assert all(math.isfinite(v) for v in values[~np.isnan(values)])


# --------------------------------------------------------------------------- SQLite


def test_sqlite_database(tmp_path, tongling):
    """Measured: .sqlite failed with 'is not a text file (it contains NUL bytes)'."""
    import sqlite3

    path = tmp_path / "net.sqlite"
    with closing(sqlite3.connect(path)) as connection:
        _read(TONGLING / "firms.csv").to_sql("firms", connection, index=False)
        flows = _read(TONGLING / "flows.csv")
        flows.to_sql("flows", connection, index=False)
        flows.assign(unit=flows["unit"].where(flows.index != 3, "furlong")).to_sql(
            "links", connection, index=False
        )
        connection.commit()
    before = path.read_bytes()
    _same_network(load(path), tongling.with_tables())
    with pytest.raises(InputError) as caught:
        load(path, flows_sheet="links")
    assert _located(caught) == {(5, "unit")}  # the record's row in a CSV file
    with pytest.raises(InputError, match=r"has no table 'nodes'.*its tables: firms, flows, links"):
        load(path, firms_sheet="nodes")
    assert path.read_bytes() == before  # opened read-only


def test_without_the_excel_reader_the_message_says_what_to_install(tmp_path, monkeypatch):
    book = _workbook(tmp_path / "net.xlsx", {"flows": _rows(_csv(BAD_FLOWS))})
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    with pytest.raises(InputError, match=r"no reader is installed; .*symbiosis\[excel\]"):
        load(book)


def test_warn_false_keeps_the_warnings_without_issuing_them(recwarn):
    network = load(example_path("tongling"), warn=False)
    assert network.warnings  # a flow of no quantity
    assert not [w for w in recwarn if issubclass(w.category, symbiosis.SymbiosisWarning)]
    with pytest.warns(symbiosis.SymbiosisWarning, match="no quantity"):
        load(example_path("tongling"))


@pytest.mark.parametrize(
    ("keywords", "said"),
    [
        ({"flows_sheet": 1}, "flows_sheet must be text (a sheet or table name) (got int 1)"),
        ({"firms_sheet": None}, "firms_sheet must be text (a sheet or table name) (got NoneType"),
        ({"warn": "no"}, "warn must be True or False (got 'no')"),
    ],
)
def test_load_s_keywords_are_checked_before_reading(tmp_path, keywords, said):
    """Found by a tester: a sheet name of another type failed deep inside the workbook and
    database readers (AttributeError: 'int' object has no attribute 'casefold', a bare
    AssertionError)."""
    with pytest.raises(InputError) as raised:
        load(tmp_path / "nothing.xlsx", **keywords)
    assert said in str(raised.value)
