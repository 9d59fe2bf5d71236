"""Text for pages: escaping, safe script JSON, the package's assets, the page head, labels
and quantities for people. Every exporter builds its markup with these helpers."""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from importlib import resources
from typing import Any

import orjson

from .._visible import JSON_ACTIVE, escapes
from ..units import period_suffix, yearly_unit

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "TEXT_LENGTH",
    "asset",
    "clip",
    "compact_json",
    "either",
    "esc",
    "esc_page",
    "format_quantity",
    "head_meta",
    "quantities_over",
    "quantity_unit",
    "script_json",
    "short_label",
    "visible",
]

LABEL_LENGTH = 34
#: Longer text (a name of thousands of characters) is shortened in tables, tooltips and
#: diagrams, the whole of it in the cell's ``title`` (io warns above 500 characters).
TEXT_LENGTH = 200
_ASSETS = "symbiosis.export"


def asset(name: str) -> str:
    """The text of one of the package's HTML assets (``export/assets/<name>``)."""
    return resources.files(_ASSETS).joinpath("assets", name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and the two JavaScript
    line separators escaped, so no string can close the element; and a string's bidi
    controls, C1 controls and DEL made visible text (the string holds ``\\u202e``, six
    characters: :mod:`symbiosis._visible`), since the page's scripts put strings into
    labels and tooltips as they are. O(size of the text)."""
    text = compact_json(value)
    if not text.isascii() or "\x7f" in text:  # O(1), and one scan (28 MB: 0.1 s less)
        text = JSON_ACTIVE.sub(_json_visible, text)  # as visible() does to each string
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _json_visible(match: re.Match[str]) -> str:
    """The escape of one such character, as JSON string text (its backslash escaped)."""
    return "\\" + _TEXT_ESCAPES[ord(match.group())]


def visible(text: str) -> str:
    """A string as :func:`script_json` writes it for the page's scripts: its bidi
    controls, C1 controls and DEL as visible escapes (``\\u202e``, six characters). For
    data serialised by someone else (pyvis's node and edge records go through Jinja's
    ``tojson``, which writes ``\\u202e`` as an escape the browser decodes back into the
    live character). O(1) for ASCII text, else O(len(text))."""
    if text.isascii() and "\x7f" not in text:
        return text
    return JSON_ACTIVE.sub(_visible_character, text)


def _visible_character(match: re.Match[str]) -> str:
    return _TEXT_ESCAPES[ord(match.group())]


def compact_json(value: Any) -> str:
    """The text of ``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, made
    by orjson (written in Rust, ten times faster on the megabytes of a big network page)
    whenever its text is the same, else by the standard library.

    orjson writes the same text for strings, integers up to 64 bits, booleans, None,
    lists, tuples and dicts with string keys, and for every float but those below 1e-4
    in magnitude, which Python writes with an exponent (``1e-05``) and orjson as
    ``0.00001`` or ``1e-5``: a text with either form, or anything orjson refuses (other
    keys or types, bigger integers, lone surrogates), goes through the standard library.
    A property test checks the equality. One difference is kept: orjson writes NaN and
    infinities as ``null`` where the standard library (``allow_nan=False``) raises.
    """
    try:
        text = orjson.dumps(value).decode()
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        text = None
    if text is None or _small_float_written(text):
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    return text


def _small_float_written(text: str) -> bool:
    """Whether orjson's ``text`` may hold a float below 1e-4: ``0.0000`` or an exponent
    ``e-`` after a digit (also when inside a string: the slow path is only slower)."""
    if "0.0000" in text:
        return True
    at = text.find("e-")
    while at != -1:
        if text[at - 1] in "0123456789":
            return True
        at = text.find("e-", at + 2)
    return False


def esc(value: Any) -> str:
    """Text for HTML content or a quoted attribute (``<>&"'`` escaped), its control and
    bidi characters shown as escapes (``\\x1b``, ``\\u202e``: :mod:`symbiosis._visible`;
    newlines, tabs and carriage returns kept, as HTML whitespace)."""
    text = str(value)
    if not text.isascii() or _C0.search(text):  # isascii: O(1)
        text = text.translate(_TEXT_ESCAPES)
    return esc_page(text)


def esc_page(page: str) -> str:
    """A whole page of ours for a quoted attribute (a frame's ``srcdoc``): ``<>&"'``
    escaped and nothing else, since its text was escaped as it was made and its scripts
    are ours (a character of theirs is code, not a name to show)."""
    if len(page) < _LONG:
        return html.escape(page, quote=True)
    # A long text: the same replacements on its UTF-8 bytes, one byte
    # per character instead of two or four (the replaced characters are ASCII, and no
    # byte of a longer character is ASCII); twice as fast. A property test checks it.
    data = page.encode("utf-8", "surrogatepass")
    for character, entity in _ENTITIES:
        data = data.replace(character, entity)
    return data.decode("utf-8", "surrogatepass")


_LONG = 1 << 16
_TEXT_ESCAPES = escapes("\n\t\r")
_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # the ASCII ones escaped
# html.escape's replacements, in its order ("&" first).
_ENTITIES = (
    (b"&", b"&amp;"),
    (b"<", b"&lt;"),
    (b">", b"&gt;"),
    (b'"', b"&quot;"),
    (b"'", b"&#x27;"),
)


#: No network access of any kind: everything the page needs is inline.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; frame-src 'self' about:; base-uri 'none'; "
    "form-action 'none'"
)


def head_meta(title: str) -> str:
    """``<meta>`` tags and the title every page of ours starts with."""
    return (
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="generator" content="symbiosis">\n'
        f"<title>{esc(title)}</title>\n"
    )


def either(words: list[str]) -> str:
    """Words joined for a sentence: "mass", "mass or energy", "mass, energy or volume"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def clip(text: str, length: int = TEXT_LENGTH) -> str:
    """``text`` shortened to ``length`` characters, the last an ellipsis."""
    return text if len(text) <= length else text[: length - 1] + "…"


def short_label(name: str, length: int = LABEL_LENGTH) -> str:
    """A label for the canvas: the name up to its first parenthesis, shortened."""
    head = name.split(" (", 1)[0].strip() if " (" in name else name.strip()
    head = head if len(head) >= 3 else name.strip()
    return head if len(head) <= length else head[: length - 1].rstrip() + "…"


#: How many years of flows the quantities being drawn add up (1: per year), set by the
#: page or table that draws one network's figures (:func:`quantities_over`).
_SUMMED_YEARS: ContextVar[int] = ContextVar("symbiosis_summed_years", default=1)


@contextmanager
def quantities_over(years: int) -> Iterator[None]:
    """Within this block, :func:`format_quantity` and :func:`quantity_unit` label the
    quantities as totals over ``years`` years (``15.0 Mt over 3 years``), or per year
    for 1: a page or table of one network's figures is drawn within
    ``quantities_over(network.summed_years)`` (:attr:`~symbiosis.model.FlowNetwork.\
summed_years`), so that the cells deep inside it need not be told. Per thread and task
    (a context variable); blocks nest."""
    token = _SUMMED_YEARS.set(years)
    try:
        yield
    finally:
        _SUMMED_YEARS.reset(token)


def quantity_unit(dimension: str) -> str:
    """The unit of ``dimension``'s quantities being drawn: ``t/yr``, or ``t over 3 years``
    within :func:`quantities_over` of 3 years."""
    return yearly_unit(dimension, _SUMMED_YEARS.get())


def format_quantity(
    value: float | None, dimension: str, *, per_year: bool = True, years: int | None = None
) -> str:
    """A quantity in the canonical unit of ``dimension`` with a readable prefix:
    ``15.0 Mt/yr``, ``36.0 PJ/yr``, ``40.0 million m³/yr``; below one unit the smaller
    ones (``350 kJ/yr``, ``500 kg/yr``, ``2.5 L/yr``), as an ecosystem model in kcal per
    square metre or a laboratory line has them. A total over several years says so
    (``15.0 Mt over 3 years``): ``years`` added up, else those of the enclosing
    :func:`quantities_over`; ``per_year=False`` leaves the period out."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    steps = _STEPS.get(dimension)
    summed = _SUMMED_YEARS.get() if years is None else years
    suffix = period_suffix(summed) if per_year else ""
    if steps is None:
        return f"{value:,.4g}"
    magnitude = abs(value)
    last = len(steps) - 1
    for position, (factor, unit) in enumerate(steps):
        if magnitude >= factor or position == last or (magnitude == 0 and factor == 1):
            scaled = value / factor
            if scaled == 0:
                text = "0"
            elif abs(scaled) >= 100:
                text = f"{scaled:,.0f}"
            elif abs(scaled) >= 10:  # three digits; a whole number of the unit itself plain
                text = f"{scaled:,.1f}"
                text = text.removesuffix(".0") if factor == 1 else text
            else:
                text = f"{scaled:,.3g}" if factor <= 1 else f"{scaled:,.2f}"
            return f"{text} {unit}{suffix}"
    raise AssertionError("unreachable")


# Prefixes of the canonical units (t, GJ, m³), largest first.
_STEPS: dict[str, tuple[tuple[float, str], ...]] = {
    "mass": ((1e9, "Gt"), (1e6, "Mt"), (1e3, "kt"), (1, "t"), (1e-3, "kg"), (1e-6, "g")),
    "energy": (
        (1e9, "EJ"),
        (1e6, "PJ"),
        (1e3, "TJ"),
        (1, "GJ"),
        (1e-3, "MJ"),
        (1e-6, "kJ"),
        (1e-9, "J"),
    ),
    "volume": (
        (1e9, "billion m³"),
        (1e6, "million m³"),
        (1e3, "thousand m³"),
        (1, "m³"),
        (1e-3, "L"),
        (1e-6, "mL"),
    ),
}
