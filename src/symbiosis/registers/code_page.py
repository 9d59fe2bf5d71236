"""A register saved by Excel as 'CSV' on Chinese Windows: GBK (GB18030) text, read as the
network reader reads it, with a warning.

:func:`utf8_copy` tells Chinese text from its first MB by the network reader's test
(:func:`symbiosis.io.code_pages.chinese_text`) and writes a UTF-8 copy of the whole file
for the engine, which reads UTF-8 only. GBK's two-byte characters hold no line end, quote,
comma, semicolon nor tab, so the copy has the same rows: problems name the rows of the
file given. A file that is UTF-8 in its first MB is not copied (nothing more is read: the
fast path is unchanged); other text is refused where it is met, as before.

Complexity: O(1) for a UTF-8 file; O(size) for a Chinese one (decoded and written in
blocks of 8 MB, in C), O(block) memory.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError, Problem
from ..io.code_pages import CHINESE, chinese_text
from .files import UTF8_HINT

__all__ = ["read_as_warning", "utf8_copy"]

_HEAD = 1 << 20  # bytes looked at to tell the encoding
_BLOCK = 1 << 23  # bytes decoded at a time


def utf8_copy(path: Path) -> Path | None:
    """A UTF-8 copy (in the temporary folder; the caller removes it) of the CSV register
    ``path`` when its first MB is Chinese GB18030 text and not UTF-8; else None. Raises
    InputError at the row of a byte that is not GB18030 further on."""
    with open(path, "rb") as file:
        head = file.read(_HEAD)
        more = bool(file.read(1))
    if head.startswith(codecs.BOM_UTF8) or _is_utf8(head, more):
        return None
    sample = head[: head.rindex(b"\n")] if more and b"\n" in head else head
    if chinese_text(sample) is None:
        return None
    handle, name = tempfile.mkstemp(prefix="symbiosis-gb18030-", suffix=".csv")
    copy = Path(name)
    try:
        with os.fdopen(handle, "wb") as out:
            _transcode(path, out)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    return copy


def read_as_warning(path: Path) -> str:
    """The warning of a register read as GB18030, in the network reader's words."""
    return (
        f"{path}: read as {CHINESE} text (Chinese Windows' code page, as Excel saves 'CSV' "
        "there), not UTF-8; check that the names read right, or save the file as 'CSV UTF-8'"
    )


def _is_utf8(head: bytes, more: bool) -> bool:
    """Whether ``head`` is UTF-8 (its last character may be cut by the MB read)."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return more and exc.reason == "unexpected end of data"
    return True


def _transcode(path: Path, out: BinaryIO) -> None:
    """Write ``path`` read as GB18030 to ``out`` as UTF-8, in blocks."""
    decoder = codecs.getincrementaldecoder(CHINESE)()
    line = 1
    with open(path, "rb") as file:
        while True:
            block = file.read(_BLOCK)
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                row = line + block[: exc.start].count(b"\n")
                message = f"is read as {CHINESE} text, but byte 0x{block[exc.start]:02X} is not"
                raise InputError(Problem(str(path), row, None, message, UTF8_HINT)) from None
            out.write(text.encode("utf-8"))
            line += block.count(b"\n")
            if not block:
                return
