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

A long listing given as :class:`~symbiosis.jsonable.LazyRows` (a dict's value; see
:func:`~symbiosis.jsonable.lazy_rows`) is encoded a block of rows at a time and spliced
into the rest, indented as orjson indents a nested list: the same bytes as for the plain
list, without every row's dict alive at once. :func:`json_pieces` gives those bytes in
pieces, for a caller that writes them one after the other.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

import orjson

from .._visible import JSON_ACTIVE
from ..arguments import Arguments
from ..jsonable import LazyRows, to_jsonable

__all__ = ["json_pieces", "to_json", "to_json_bytes", "to_jsonable"]

# A byte of the UTF-8 encoding of each character of JSON_ACTIVE (DEL; C2 leads U+0080-U+009F,
# D8 U+061C, E2 the others): without any of them the output has none (a few memchr
# passes, where the regular expression took 0.04 s on 8 MB with three accented letters).
_TERMINAL_ACTIVE_LEADS = (b"\x7f", b"\xc2", b"\xd8", b"\xe2")
# Dataclasses pass to _fallback so that a result's own to_dict decides its JSON form.
_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def to_json(value: Any, *, indent: int | None = 2) -> str:
    """Serialise results as strict JSON text (non-ASCII kept as is, terminal controls
    escaped; see the module docstring). ``indent`` is 2 (the default), None (compact) or
    another number of spaces (the standard library's encoder, slower)."""
    _check_indent(indent)
    pieces = _lazy_pieces(value, indent)
    if pieces is not None:
        return b"".join(pieces).decode()
    encoded = _encode(value, indent)
    if isinstance(encoded, bytes):
        if not _may_act(encoded):
            return encoded.decode()
        encoded = encoded.decode()
    return _escaped(encoded)


def json_pieces(value: Any, *, indent: int | None = 2) -> list[bytes]:
    """``to_json_bytes(value, indent=indent)`` in pieces whose concatenation is those
    bytes: one piece, unless ``value`` holds :class:`~symbiosis.jsonable.LazyRows`, each
    of which gives a piece per block of rows. The caller writes them one after the other
    and lets each go: the output is then held once, not twice. O(size of the output)."""
    _check_indent(indent)
    pieces = _lazy_pieces(value, indent)
    return pieces if pieces is not None else [_plain_bytes(value, indent)]


def _check_indent(indent: Any) -> None:
    """``indent``: spaces per level (a whole number >= 0; 2, the default, is the fast
    path), or None (compact). O(1)."""
    arguments = Arguments()
    arguments.whole("indent", indent, none=True, what=" (spaces per level)")
    arguments.check()


def _lazy_pieces(value: Any, indent: int | None) -> list[bytes] | None:
    """The pieces of ``value``'s JSON with its lazy listings (dict values, at any depth of
    dicts) encoded a block at a time; None when it has none. Each listing is first a
    placeholder string, found again in the encoded rest, whose line's indentation gives
    the listing's. A value orjson refuses, or an indent other than 2 or None: the plain
    lists through the standard library, as for any value."""
    token = secrets.token_hex(8)
    listings: list[LazyRows] = []
    skeleton = _with_placeholders(value, token, listings)
    if not listings:
        return None
    if indent not in (None, 2):
        return [_plain_bytes(to_jsonable(value), indent)]
    option = _OPTIONS | (orjson.OPT_INDENT_2 if indent else 0)
    try:
        rest = orjson.dumps(skeleton, default=_fallback, option=option)
        pieces: list[bytes] = []
        for number, listing in enumerate(listings):
            mark = orjson.dumps(_placeholder(token, number))
            before, rest = rest.split(mark, 1)
            pieces.append(before)
            line = before[before.rfind(b"\n") + 1 :]
            pad = b" " * (len(line) - len(line.lstrip(b" "))) if indent else b""
            pieces.extend(_listing_pieces(listing, option, pad, bool(indent)))
        pieces.append(rest)
    except orjson.JSONEncodeError:  # e.g. an integer past 64 bits
        return [_plain_bytes(to_jsonable(value), indent)]
    if any(_may_act(piece) for piece in pieces):
        return [_escaped(piece.decode()).encode() for piece in pieces]
    return pieces


def _placeholder(token: str, number: int) -> str:
    return f"\x00symbiosis-rows-{token}-{number}\x00"


def _with_placeholders(value: Any, token: str, listings: list[LazyRows]) -> Any:
    """``value`` with each :class:`LazyRows` in its dicts (at any depth of dicts) replaced
    by a placeholder string, numbered in order; the listings appended to ``listings``.
    Dicts without one are the same objects; other values are not looked into."""
    if isinstance(value, LazyRows):
        listings.append(value)
        return _placeholder(token, len(listings) - 1)
    if not isinstance(value, dict):
        return value
    replaced = {key: _with_placeholders(item, token, listings) for key, item in value.items()}
    changed = any(replaced[key] is not item for key, item in value.items())
    return replaced if changed else value


def _listing_pieces(listing: LazyRows, option: int, pad: bytes, indented: bool) -> list[bytes]:
    """The JSON array of ``listing``, a piece per block of rows: each block encoded as a
    list, its brackets cut off and, indented, its lines moved right by ``pad`` (the
    indentation of the line that holds the array), as orjson nests a list."""
    pieces = [b"[\n" if indented else b"["]
    for number, block in enumerate(listing.blocks()):
        encoded = orjson.dumps(block, default=_fallback, option=option)
        inner = encoded[2:-2] if indented else encoded[1:-1]
        if indented and pad:
            inner = pad + inner.replace(b"\n", b"\n" + pad)
        if number:
            pieces.append(b",\n" if indented else b",")
        pieces.append(inner)
        del block, encoded
    pieces.append(b"\n" + pad + b"]" if indented else b"]")
    return pieces


def to_json_bytes(value: Any, *, indent: int | None = 2) -> bytes:
    """``to_json(value, indent=indent)`` encoded in UTF-8, for writing to a file or a
    binary stream: orjson's bytes as they are when there is nothing to escape (the
    several megabytes of a large report neither decoded to text nor encoded again)."""
    _check_indent(indent)
    pieces = _lazy_pieces(value, indent)
    return b"".join(pieces) if pieces is not None else _plain_bytes(value, indent)


def _plain_bytes(value: Any, indent: int | None) -> bytes:
    """:func:`to_json_bytes` of a value without lazy listings."""
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
    if (text.isascii() and "\x7f" not in text) or JSON_ACTIVE.search(text) is None:
        return text
    return JSON_ACTIVE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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
