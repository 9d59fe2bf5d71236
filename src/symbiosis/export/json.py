"""JSON output: plain, strict JSON (no NaN), UTF-8, stable key order.

Non-ASCII text is kept as it is (Chinese names stay readable), except the characters that
would act on a terminal the JSON is printed to: DEL, the C1 controls and the bidi controls
(U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) are written as ``\\uXXXX`` escapes,
which JSON readers decode to the same text (the C0 controls, ESC among them, are escaped by
the encoder itself). Lossless; the check looks in the encoded bytes for a byte of
their UTF-8 forms, and scans with a regular expression only when one is there.

The encoder is orjson (written in Rust): a report of 100k flows is several megabytes of
indented JSON, which the standard library encodes in pure Python when asked to indent. NaN
and infinities become ``null`` as in :func:`~symbiosis.jsonable.to_jsonable`; values orjson
does not know (frames, sets, ``pd.NA``, results with ``to_dict``) go through that helper,
and the rare value orjson refuses (an integer past 64 bits) sends the whole value through
the standard library. O(size of the output).
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

from ..jsonable import to_jsonable

__all__ = ["to_json", "to_json_bytes", "to_jsonable"]

_TERMINAL_ACTIVE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# A byte of the UTF-8 encoding of each of those characters (DEL; C2 leads U+0080-U+009F,
# D8 U+061C, E2 the others): without any of them the output has none (a few memchr
# passes, where the regular expression took 0.04 s on 8 MB with three accented letters).
_TERMINAL_ACTIVE_LEADS = (b"\x7f", b"\xc2", b"\xd8", b"\xe2")
# Dataclasses pass to _fallback so that a result's own to_dict decides its JSON form.
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """Serialise results as strict JSON text (non-ASCII kept as is, terminal controls
    escaped; see the module docstring). ``indent`` is 2 (the default) or None (compact)."""
    encoded = _encode(value, indent)
    if isinstance(encoded, bytes):
        if not _may_act(encoded):
            return encoded.decode()
        encoded = encoded.decode()
    return _escaped(encoded)


def to_json_bytes(value: Any, *, indent: int | None = 2) -> bytes:
    """``to_json(value, indent=indent)`` encoded in UTF-8, for writing to a file or a
    binary stream: orjson's bytes as they are when there is nothing to escape (the
    several megabytes of a large report neither decoded to text nor encoded again)."""
    encoded = _encode(value, indent)
    if isinstance(encoded, bytes):
        if not _may_act(encoded):
            return encoded
        encoded = encoded.decode()
    return _escaped(encoded).encode()


def _may_act(encoded: bytes) -> bool:
    """Whether UTF-8 ``encoded`` may hold a character to escape (see
    :data:`_TERMINAL_ACTIVE_LEADS`)."""
    return any(lead in encoded for lead in _TERMINAL_ACTIVE_LEADS)


def _escaped(text: str) -> str:
    """``text`` with the terminal-active characters as ``\\uXXXX`` escapes."""
    # isascii() is O(1) on a str: the regex scan (0.05 s on a 1M-flow report) only runs
    # on text with non-ASCII characters; DEL is the one ASCII character to escape.
    if (text.isascii() and "\x7f" not in text) or _TERMINAL_ACTIVE.search(text) is None:
        return text
    return _TERMINAL_ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _encode(value: Any, indent: int | None) -> bytes | str:
    """The JSON as orjson's UTF-8 bytes, or as text from the standard library."""
    if indent in (None, 2):
        option = _OPTIONS | (orjson.OPT_INDENT_2 if indent else 0)
        try:
            return orjson.dumps(value, default=_fallback, option=option)
        except orjson.JSONEncodeError:
            pass  # e.g. an integer past 64 bits: the standard library takes any int
    return json.dumps(to_jsonable(value), ensure_ascii=False, indent=indent, allow_nan=False)


def _fallback(value: Any) -> Any:
    """What orjson cannot encode by itself, as builtin JSON values."""
    converted = to_jsonable(value)
    if converted is value:  # to_jsonable knows it no better: refuse, as json.dumps would
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")
    return converted
