"""The shortcuts of the page text helpers give exactly the text of the plain way."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from symbiosis._visible import BIDI_CONTROLS, escapes
from symbiosis.export.markup import compact_json, esc, esc_page, script_json
from symbiosis.export.network_map import largest_first
from symbiosis.export.report_tables import (
    _builtin,
    _cell,
    _flatten,
    _format,
    _is_scalar,
    _kind,
    _number_text,
    _sort_key,
)

# Any text: control characters, JavaScript line separators, lone surrogates, astral planes.
text = st.text(st.characters(codec=None, categories=None))
finite = st.floats(allow_nan=False, allow_infinity=False)
scalars = st.none() | st.booleans() | st.integers() | finite | text
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.tuples(inner, inner)
        | st.dictionaries(text, inner, max_size=5)
        | st.dictionaries(st.integers() | st.booleans() | finite, inner, max_size=3)
    ),
    max_leaves=30,
)


def plain(value):
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))


@settings(max_examples=800, deadline=None)
@given(values)
@example([1e-5, 1.5e-9, 0.0001, 9.99e-5, 1e16, 1e22, -0.0, 5e-324, 2**64, -(2**63) - 1])
@example({"a": "e-waste 9e-1 0.00001", "b": "\ud800", "c": "\x00\x1f\x7f\u2028"})
def test_compact_json_is_the_standard_librarys_text(value):
    try:
        expected = plain(value)
    except ValueError:  # cannot happen without NaN, but keep the comparison honest
        return
    assert compact_json(value) == expected


@settings(max_examples=1000, deadline=None)
@given(st.lists(finite, max_size=20))
def test_every_finite_float_is_written_as_python_writes_it(numbers):
    assert compact_json(numbers) == plain(numbers)


def reference_builtin(value):
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def reference_cell(key, value, dimension):
    """The report's table cell the plain way: every text escaped; a number with its sort
    value (and a quantity its dimension); text over 60 characters wraps, over 200 it is
    shortened, the whole in its title."""
    value = reference_builtin(value)
    kind, dim = _kind(key, dimension)
    text = _format(value, kind, dim)
    if value is None:
        return '<td class="num" data-v="">–</td>'
    if isinstance(value, bool) or not isinstance(value, int | float):
        if len(text) <= 60:
            return f"<td>{esc(text)}</td>"
        if len(text) <= 200:
            return f'<td class="long">{esc(text)}</td>'
        return f'<td class="long" title="{esc(text)}">{esc(text[:199] + "…")}</td>'
    group = f' data-d="{dim}"' if kind == "quantity" and dim else ""
    return f'<td class="num" data-v="{_sort_key(value)}"{group}>{esc(text)}</td>'


keys = st.sampled_from(
    [
        "share",
        "reuse_share",
        "utilization_rate",
        "quantity",
        "generated",
        "bottleneck_mass",
        "internal_energy",
        "value_volume",
        "rank",
        "name",
        "count",
        "flows",
        "total_water",
    ]
)
dimensions = st.sampled_from([None, "mass", "energy", "volume", "water"])
cell_values = (
    st.none()
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats()
    | text
    | st.lists(st.integers() | text, max_size=3)
    | st.sampled_from([np.float64(2.5), np.int64(-7), np.bool_(True), np.float32("nan"), pd.NA])
)


@settings(max_examples=1500, deadline=None)
@given(keys, cell_values, dimensions)
@example("name", "<b>&'\"</b>", None)
@example("quantity", float("inf"), "mass")
@example("name", "L" * 80, None)
@example("name", "Long" + "x" * 2996, None)
@example("members", ["x" * 150, "y" * 150], None)
def test_a_cell_is_the_plain_cell(key, value, dimension):
    try:
        expected = reference_cell(key, value, dimension)
    except OverflowError:  # an integer past the floats: both ways refuse it
        with pytest.raises(OverflowError):
            _cell(key, value, dimension)
        return
    assert _cell(key, value, dimension) == expected


@settings(max_examples=1500, deadline=None)
@given(
    st.integers(-(10**30), 10**30) | st.floats(),
    dimensions,
    st.sampled_from(["quantity", "share", "count", "number", "auto"]),
)
def test_the_text_of_a_number_has_nothing_to_escape(number, dimension, kind):
    try:
        shown = _number_text(number, kind, dimension)
    except (OverflowError, ValueError):  # int() of an infinity or NaN: no text at all
        return
    assert esc(shown) == shown


@settings(max_examples=300, deadline=None)
@given(text, st.integers(0, 3))
@example("\ud800<&>\"'\U0001f600é", 0)
def test_a_long_text_is_escaped_as_html_escape_does(piece, extra):
    """As html.escape does, once the control and bidi characters are shown as escapes;
    a page of ours (``esc_page``) as html.escape does (a long text is escaped on its
    bytes: the same)."""
    unit = piece + "<a href='x'>&amp;\"</a> ∝ \ud83d" * (extra + 1)
    long = unit * (1 + (1 << 16) // len(unit))
    assert len(long) >= 1 << 16
    assert esc(long) == html.escape(long.translate(VISIBLE), quote=True)
    assert esc(piece) == html.escape(piece.translate(VISIBLE), quote=True)
    assert esc_page(long) == html.escape(long, quote=True)


VISIBLE = escapes("\n\t\r")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("\u202eBeta", "\\u202eBeta"),  # a right-to-left override: reversed the rest
        ("A\u2067B\u2069", "A\\u2067B\\u2069"),  # an isolate
        ("x\x1b]0;pwn\x07", "x\\x1b]0;pwn\\x07"),  # an OSC sequence, a bell
        ("del\x7f c1\x85", "del\\x7f c1\\x85"),
        ("line\nbreak\ttab", "line\nbreak\ttab"),  # HTML whitespace: kept
        ("中文 é Ελλάδα العربية", "中文 é Ελλάδα العربية"),  # right-to-left letters: kept
    ],
)
def test_control_and_bidi_characters_are_shown_in_pages_and_scripts(name, shown):
    """Found by a tester: a firm named U+202E + 'Beta' made a loop 'Alpha -> Beta ->
    Gamma' read 'Alpha -> ammaG -> ateB' in the report (and in tooltips built by the
    network page's scripts); the terminal, JSON and TOML outputs already showed such
    characters as escapes."""
    assert esc(name) == html.escape(shown, quote=True)
    # in a script, C0 controls are JSON escapes (they show as nothing); DEL, C1 and the
    # bidi controls, which JSON writes as they are, are made visible text
    in_script = name.translate({c: e for c, e in VISIBLE.items() if c >= 0x7F})
    assert json.loads(script_json({"name": name}))["name"] == in_script
    assert not any(chr(c) in script_json([name]) for c in BIDI_CONTROLS)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, -0.0, 1.0, 2.5, 1e9, 3.0]) | finite, max_size=60),
    st.integers(-3, 70),
)
def test_largest_first_is_the_head_of_a_stable_sort(numbers, count):
    values = np.array(numbers, dtype=float)
    expected = np.argsort(-values, kind="stable")[:count]
    assert largest_first(values, count).tolist() == expected.tolist()


def reference_flatten(record):
    flat = {}
    for key, value in record.items():
        if isinstance(value, Mapping) and all(_is_scalar(v) for v in value.values()):
            for inner, v in value.items():
                flat[f"{key}_{inner}"] = v
        else:
            flat[key] = value
    return flat


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(text, cell_values | st.dictionaries(text, cell_values, max_size=3)))
def test_builtin_and_flatten_are_the_plain_ways(record):
    assert _flatten(record) == reference_flatten(record)
    for value in record.values():
        if not isinstance(value, Mapping | list):
            same = _builtin(value), reference_builtin(value)
            assert type(same[0]) is type(same[1]) and (same[0] == same[1] or same[0] is same[1])


def test_a_whole_number_below_1000_has_no_trailing_zero():
    """As the text tables (cli.render.number): 140, not 140.0 beside 65 and 1,050."""
    shown = [_number_text(v, "number", None) for v in (65.0, 140.0, 760.0, 140.5, 1050.0)]
    assert shown == ["65", "140", "760", "140.5", "1,050"]


def test_a_quantity_over_several_years_says_their_total():
    """The pages of a network of several years added up label its quantities as their
    total (quantities_over, set by the page), per year elsewhere and inside a year's own
    block (the trends)."""
    from symbiosis.export.markup import format_quantity, quantities_over, quantity_unit

    assert format_quantity(2.0e6, "mass") == "2.00 Mt/yr"
    assert format_quantity(2.0e6, "mass", years=3) == "2.00 Mt over 3 years"
    with quantities_over(3):
        assert format_quantity(2.0e6, "mass") == "2.00 Mt over 3 years"
        assert quantity_unit("energy") == "GJ over 3 years"
        assert format_quantity(2.0e6, "mass", per_year=False) == "2.00 Mt"
        with quantities_over(1):
            assert format_quantity(2.0e6, "mass") == "2.00 Mt/yr"
        assert format_quantity(2.0e6, "mass", years=1) == "2.00 Mt/yr"
    assert quantity_unit("mass") == "t/yr"
