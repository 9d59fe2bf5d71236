"""Characters of untrusted text that act on the reader rather than being read, shown as
escapes instead: the C0 and C1 controls and DEL (ANSI and OSC sequences, a bell), and the
bidi controls, which reorder the text around them (a firm named U+202E "Beta" shows a loop
"Alpha -> Beta -> Gamma" as "Alpha -> ammaG -> ateB"). The terminal, the TOML comments and
the HTML pages all show them as ``\\x1b``, ``\\u202e``: one table, made here. A leaf: no
project imports."""

from __future__ import annotations

import re

__all__ = ["BIDI_CONTROLS", "JSON_ACTIVE", "escapes"]

#: Bidi_Control (Unicode): the embeddings, overrides, isolates and marks that reorder text.
BIDI_CONTROLS = (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))
#: The characters among them that JSON writes as they are (its C0 ones are escapes):
#: DEL, the C1 controls and the bidi controls.
JSON_ACTIVE = re.compile("[\x7f-\x9f" + "".join(map(chr, BIDI_CONTROLS)) + "]")


def escapes(keep: str = "") -> dict[int, str]:
    """A ``str.translate`` table: the C0 and C1 controls, DEL and the bidi controls to
    escapes (``\\n``, ``\\r``, ``\\t``, ``\\x1b``, ``\\u202e``), but the characters of
    ``keep``."""
    table = {code: f"\\x{code:02x}" for code in (*range(0x20), *range(0x7F, 0xA0))}
    table.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})
    table.update({code: f"\\u{code:04x}" for code in BIDI_CONTROLS})
    for char in keep:
        table.pop(ord(char))
    return table
