"""JSON output (export/json.py)."""

from __future__ import annotations


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
