"""vocabulary's whitespace collapsing, against the regular expression it replaces."""

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis.vocabulary import _collapsed, material_key

_SPACES = [chr(i) for i in range(sys.maxunicode + 1) if chr(i).isspace()]


def test_split_and_the_expression_agree_on_what_is_whitespace():
    """Every code point: ``\\s`` matches it exactly when ``str.split`` splits on it."""
    pattern = re.compile(r"\s")
    assert [
        i for i in range(sys.maxunicode + 1) if bool(pattern.fullmatch(chr(i))) != chr(i).isspace()
    ] == []


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.one_of(st.sampled_from([*_SPACES, "a", "-", "_", "é"]), st.characters()))
)
def test_collapsed_is_the_expression(text):
    assert _collapsed(text) == re.sub(r"\s+", " ", text).strip()


def test_material_key_collapses_the_spaces_its_replacements_make():
    assert material_key("copper - slag") == material_key("copper slag")
