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
