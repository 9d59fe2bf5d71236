"""The shortcuts of the page text helpers give exactly the text of the plain way."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from symbiosis.export.markup import compact_json

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
