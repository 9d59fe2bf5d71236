"""JSON output (export/json.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st


def test_json_escapes_what_would_act_on_a_terminal():
    """DEL, C1 and bidi controls are written as \\u escapes; the text reads back the same."""
    import json

    from symbiosis.export.json import to_json

    name = "evil\x7f\x9b31m\u202eTXT.exe\u2066x 水泥"
    text = to_json({"name": name})
    assert "\x7f" not in text and "\x9b" not in text and "\u202e" not in text
    assert "\\u202e" in text and "水泥" in text
    assert json.loads(text)["name"] == name


def test_json_escapes_del_in_ascii_only_text():
    """The fast path for ASCII text still escapes DEL, the one ASCII character that acts."""
    import json

    from symbiosis.export.json import to_json

    text = to_json({"name": "evil\x7fname"})
    assert "\x7f" not in text and "\\u007f" in text
    assert json.loads(text)["name"] == "evil\x7fname"
    assert to_json({"name": "plain"}) == '{\n  "name": "plain"\n}'


def test_json_encodes_what_the_standard_library_would():
    """orjson and the standard library give the same values: numpy scalars and arrays,
    NaN and infinities as null, frames as records, sets, pd.NA, results with to_dict, and
    integers past 64 bits (which orjson refuses: the whole value goes the slow way)."""
    import json
    import math

    import numpy as np
    import pandas as pd

    from symbiosis.export.json import to_json
    from symbiosis.jsonable import to_jsonable

    class Result:
        def to_dict(self):
            return {"share": np.float64(0.25)}

    value = {
        "floats": [1.5, float("nan"), math.inf, np.float32(0.5), np.float64(-math.inf)],
        "ints": (np.int64(3), 7, True, None),
        "array": np.array([[1.0, np.nan], [2.0, 3.0]]),
        "objects": np.array(["a", None], dtype=object),
        "frame": pd.DataFrame({"x": [1, 2]}, index=pd.Index(["a", "b"], name="id")),
        "set": {4},
        "na": pd.NA,
        "result": Result(),
        1: "int key",
    }
    expected = to_jsonable(value)
    assert json.loads(to_json(value)) == expected
    assert json.loads(to_json(value, indent=None)) == expected
    big = {"big": 2**70, "nan": float("nan")}
    assert json.loads(to_json(big)) == {"big": 2**70, "nan": None}


_TERMINAL_CHARS = (
    "\x7f\x80\x9f\xa0\xc2\u061b\u061c\u061d\u200d\u200e\u200f\u2010\u2029\u202a\u202e\u202f"
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from(_TERMINAL_CHARS + "\u2065\u2066\u2069\u206aé铜a\n"))
        | st.text(),
        max_size=4,
    ),
    st.sampled_from([2, None]),
)
def test_json_byte_check_escapes_as_the_regex_scan_of_the_text(texts, indent):
    """The search for the characters' UTF-8 bytes skips the regular expression only when
    it would find nothing: the output is what scanning every text gives."""
    import re

    import orjson

    from symbiosis.export.json import to_json, to_json_bytes

    pattern = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
    option = orjson.OPT_INDENT_2 if indent else 0
    plain = orjson.dumps({"texts": texts}, option=option).decode()
    expected = pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", plain)
    assert to_json({"texts": texts}, indent=indent) == expected
    assert to_json_bytes({"texts": texts}, indent=indent) == expected.encode()


def test_json_bytes_of_the_standard_library_path_are_the_text_encoded():
    """An integer past 64 bits sends the value through the standard library (text):
    the bytes are still the text's UTF-8, escapes included."""
    from symbiosis.export.json import to_json, to_json_bytes

    value = {"n": 2**70, "name": "铜陵\u202e", "x": float("nan")}
    for indent in (2, None):
        assert to_json_bytes(value, indent=indent) == to_json(value, indent=indent).encode()
    assert b"\\u202e" in to_json_bytes(value)
