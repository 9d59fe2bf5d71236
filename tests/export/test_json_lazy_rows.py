"""Long listings encoded a block of rows at a time (jsonable.LazyRows, export/json.py):
the same bytes as the plain lists, in the JSON writer, the results' to_dict and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from symbiosis import jsonable
from symbiosis.export.json import json_pieces, to_json, to_json_bytes
from symbiosis.jsonable import LazyRows, lazy_rows, rows_of, to_jsonable

TONGLING = Path(__file__).parents[2] / "examples" / "tongling"


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 2 rows: every listing of the small networks is lazy, and long."""
    monkeypatch.setattr(jsonable, "ROWS_PER_BLOCK", 2)


def lazy(rows: list[dict]) -> LazyRows:
    return LazyRows(len(rows), lambda part: [dict(row) for row in rows[part]])


def swap_lazy(value):
    """``value`` with each list of dicts that is a dict's value made lazy."""
    if isinstance(value, dict):
        return {k: lazy(v) if _is_rows(v) else swap_lazy(v) for k, v in value.items()}
    return value


def _is_rows(value) -> bool:
    return isinstance(value, list) and len(value) > 0 and all(isinstance(r, dict) for r in value)


ROWS = [
    {"firm": "F1", "name": "水泥厂 – “east”", "value": 1.5, "share": None, "n": 3},
    {"firm": "F2", "name": "slag\nline", "value": float("nan"), "share": 0.25, "n": -1},
    {"firm": "F3", "name": "evil\x7f\u202e", "value": 1e300, "share": 1.0, "n": 0},
    {"firm": "F4", "name": "", "value": -0.0, "share": 0.5, "n": 2**40, "tags": [1, [2]]},
    {"firm": "F5", "name": "nested", "value": 2.0, "share": None, "n": 7, "more": {"a": []}},
]


@pytest.mark.parametrize("indent", [2, None])
def test_lazy_listings_encode_as_the_plain_lists(small_blocks, indent):
    """Listings at several depths, several in one dict, blocks of 2 rows (the last one
    shorter), terminal controls escaped, NaN as null: the bytes of the plain lists."""
    value = {
        "units": {"mass": "t/yr"},
        "rows": ROWS,
        "deeper": {"inner": {"listing": ROWS[:3], "count": 3}, "after": [1, 2]},
        "last": ROWS[1:],
    }
    plain = to_json_bytes(value, indent=indent)
    made = swap_lazy(value)
    assert isinstance(made["deeper"]["inner"]["listing"], LazyRows)
    assert to_json_bytes(made, indent=indent) == plain
    assert b"".join(json_pieces(made, indent=indent)) == plain
    assert len(json_pieces(made, indent=indent)) > 3  # pieces, not one block of bytes
    assert to_json(made, indent=indent) == to_json(value, indent=indent)
    assert json.loads(plain)["rows"][2]["name"] == "evil\x7f\u202e"


def test_lazy_listings_with_a_value_orjson_refuses(small_blocks):
    """An integer past 64 bits sends the whole value through the standard library, lazy
    listings included."""
    rows = [{"n": 2**70}, {"n": 1}, {"n": 2}]
    value = {"rows": rows}
    assert to_json_bytes(swap_lazy(value)) == to_json_bytes(value)
    assert json.loads(to_json_bytes(swap_lazy(value)))["rows"][0]["n"] == 2**70


def test_other_indents_read_the_whole_listing(small_blocks):
    value = {"rows": ROWS}
    assert to_json(swap_lazy(value), indent=4) == to_json(value, indent=4)


def test_a_placeholder_like_text_in_the_data_is_left_alone(small_blocks):
    """The placeholders carry a random token: a cell that looks like one stays text."""
    rows = [{"text": "\x00symbiosis-rows-0000000000000000-0\x00"}, {"text": "b"}, {"text": "c"}]
    value = {"a": "\x00symbiosis-rows-0000000000000000-0\x00", "rows": rows}
    assert to_json_bytes(swap_lazy(value)) == to_json_bytes(value)


def test_rows_of_is_lazy_only_inside_lazy_rows_and_past_a_block(small_blocks):
    made = []

    def make(part):
        made.append(part)
        return [{"i": i} for i in range(5)[part]]

    assert rows_of(5, make) == [{"i": i} for i in range(5)]
    with lazy_rows():
        listing = rows_of(5, make)
        short = rows_of(2, make)
        with lazy_rows():
            pass
        assert isinstance(rows_of(5, make), LazyRows)  # still inside after a nested one
    assert isinstance(listing, LazyRows) and len(listing) == 5
    assert short == [{"i": 0}, {"i": 1}]
    assert rows_of(5, make) == [{"i": i} for i in range(5)]  # outside again
    assert [len(block) for block in listing.blocks()] == [2, 2, 1]
    assert listing.to_list() == to_jsonable(listing) == [{"i": i} for i in range(5)]
    assert to_jsonable({"rows": listing}) == {"rows": [{"i": i} for i in range(5)]}


row_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.lists(st.integers(min_value=0, max_value=9), max_size=3),
)
listings = st.lists(
    st.dictionaries(st.sampled_from(["a", "b", "名", "c d"]), row_values, max_size=4),
    min_size=1,
    max_size=9,
)


@settings(max_examples=60, deadline=None)
@given(
    rows=listings,
    other=listings,
    block=st.integers(min_value=1, max_value=4),
    indent=st.sampled_from([2, None]),
    depth=st.integers(min_value=0, max_value=3),
)
def test_lazy_encoding_is_the_plain_encoding(rows, other, block, indent, depth):
    """Any rows, any block size, nested at any depth of dicts, beside another listing."""
    value: dict = {"rows": rows, "n": len(rows)}
    for level in range(depth):
        value = {f"level {level}": value, "other": other if level == 0 else {"x": 1}}
    plain = to_json_bytes(value, indent=indent)
    original = jsonable.ROWS_PER_BLOCK
    jsonable.ROWS_PER_BLOCK = block
    try:
        made = swap_lazy(value)
        assert b"".join(json_pieces(made, indent=indent)) == plain
    finally:
        jsonable.ROWS_PER_BLOCK = original


def _results():
    """Each result whose to_dict lists rows lazily, with its every-row arguments."""
    from symbiosis.analysis.balance import firm_balances
    from symbiosis.analysis.reconcile import reconcile
    from symbiosis.analysis.reuse import reuse_accounts
    from symbiosis.analysis.structure import resource_city_indicators
    from symbiosis.io import load

    network = load(TONGLING)
    accounts = reuse_accounts(network)
    tables = ("by_material", "by_category", "by_generator", "by_receiver", "circular_inputs")
    return {
        "structure": (resource_city_indicators(network), {"limit": None}),
        "balance": (firm_balances(network), {"every_firm": True, "limit": None}),
        "reconcile": (reconcile(network, default_uncertainty=0.1), {"limit": None}),
        "reuse": (accounts, {"tables": tables, "limit": None}),
    }


def _lazy_values(value) -> int:
    if isinstance(value, LazyRows):
        return 1
    return sum(map(_lazy_values, value.values())) if isinstance(value, dict) else 0


def test_results_list_their_rows_lazily_with_the_same_json(small_blocks):
    for name, (result, arguments) in _results().items():
        plain = result.to_dict(**arguments)
        assert _lazy_values(plain) == 0, name  # outside lazy_rows: plain lists
        with lazy_rows():
            made = result.to_dict(**arguments)
        assert _lazy_values(made) >= 1, name
        assert b"".join(json_pieces(made)) == to_json_bytes(plain), name


@pytest.mark.parametrize(
    "args",
    [
        ["structure", "-f", "json"],
        ["balance", "--all", "-f", "json"],
        ["reuse", "--by", "all", "-f", "json"],
        ["reconcile", "--uncertainty", "0.1", "-f", "json"],
    ],
)
def test_listing_commands_print_the_same_json_lazily(small_blocks, monkeypatch, args):
    """The commands that list every row print, block by block, the JSON of the plain
    dict (made here with laziness off: a block bigger than any listing)."""
    from symbiosis.cli import app

    runner = CliRunner()
    lazy_output = runner.invoke(app, [args[0], str(TONGLING), *args[1:], "-q"])
    assert lazy_output.exit_code == 0, lazy_output.output
    monkeypatch.setattr(jsonable, "ROWS_PER_BLOCK", 10**9)
    plain_output = runner.invoke(app, [args[0], str(TONGLING), *args[1:], "-q"])
    assert plain_output.exit_code == 0
    assert lazy_output.stdout_bytes == plain_output.stdout_bytes
    assert lazy_output.stdout_bytes.endswith(b"}\n")
    json.loads(lazy_output.stdout_bytes)
