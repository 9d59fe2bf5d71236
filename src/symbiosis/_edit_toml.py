"""Writing edits as a scenario file: the TOML text behind :func:`symbiosis.edits.to_toml`.

Every string is written as a TOML basic string with its control characters escaped, and
every comment line has its control characters (which TOML forbids in comments) and bidi
controls (which would reorder or hide text in an editor) written as escapes such as
``\\x1b`` and ``\\u202e``: whatever the names of a network hold, the text is valid TOML and
reads back to the same values.

Complexity: O(size of the text).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ._visible import escapes
from .arguments import Arguments
from .errors import InputError

__all__: list[str] = []

# TOML comments may hold no control character but tab (C0 and DEL); C1 and the bidi
# controls are allowed but misleading: all are written as escapes.
_COMMENT_ESCAPES = {**escapes("\t"), ord("\n"): "\\x0a", ord("\r"): "\\x0d"}


def scenario_text(
    tables: Iterable[tuple[str, Mapping[str, Any], str | None]],
    *,
    title: str | None = None,
    description: str | None = None,
) -> str:
    """A scenario file: optional title and description, then one ``[[table]]`` per
    ``(table name, keys and values, comment or None)``, in the order given."""
    lines = []
    if title is not None:
        lines.append(f"title = {toml_value(title)}")
    if description is not None:
        lines.append(f"description = {toml_value(description)}")
    for table, values, comment in tables:
        lines.append("")
        for line in comment.split("\n") if comment else ():
            lines.append(f"# {comment_text(line)}".rstrip())
        lines.append(f"[[{table}]]")
        for key, value in values.items():
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines).lstrip("\n") + "\n"


def comment_text(line: str) -> str:
    """One line of a comment, valid in TOML: control and bidi characters as escapes."""
    return line.translate(_COMMENT_ESCAPES)


def toml_value(value: Any) -> str:
    """A TOML value: a boolean, an integer, a finite float or a basic string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, float | np.floating):
        value = float(value)
        if not math.isfinite(value):
            raise InputError(f"cannot write {value} in a scenario file")
        return repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    escaped = "".join(c if ord(c) >= 0x20 and c != "\x7f" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def check_texts(
    edits: list[Any], edit_type: type, title: Any, description: Any, comments: Any
) -> None:
    """``to_toml``'s arguments: edits (of ``edit_type``), text or None, a list of texts or
    None; every problem in one :class:`~symbiosis.errors.InputError`."""
    check = Arguments()
    wrong = [edit for edit in edits if not isinstance(edit, edit_type)]
    if wrong:
        check.add(f"edits must be Edit objects (got a {type(wrong[0]).__name__})")
    check.instance("title", title, str, what="text")
    check.instance("description", description, str, what="text")
    if comments is not None and not (
        isinstance(comments, list | tuple)
        and all(c is None or isinstance(c, str) for c in comments)
    ):
        check.add("comments must be a list of texts (or None), one per edit")
    check.check()
