"""JSON output: plain, strict JSON (no NaN), UTF-8, stable key order.

Non-ASCII text is kept as it is (Chinese names stay readable), except the characters that
would act on a terminal the JSON is printed to: DEL, the C1 controls and the bidi controls
(U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) are written as ``\\uXXXX`` escapes,
which JSON readers decode to the same text (the C0 controls, ESC among them, are escaped by
the encoder itself). Lossless; the check is one regular-expression scan of the output.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ..jsonable import to_jsonable

__all__ = ["to_json", "to_jsonable"]

_TERMINAL_ACTIVE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """Serialise results as strict JSON text (non-ASCII kept as is, terminal controls
    escaped; see the module docstring)."""
    text = json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent, allow_nan=False)
    if _TERMINAL_ACTIVE.search(text) is None:
        return text
    return _TERMINAL_ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
