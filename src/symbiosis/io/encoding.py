"""From the bytes of a CSV file to its text: encodings, Excel's ``sep=`` line, separators.

Read: UTF-8 with or without a byte-order mark; UTF-16 and UTF-32 with one (either byte
order); Chinese text in GB18030 (GBK), as Excel saves 'CSV' on Chinese Windows, told from
other 8-bit encodings by its characters (:mod:`~symbiosis.io.code_pages`; a warning says it
was so read). Refused with a located message: other text that is not UTF-8 (at the row of
the first bad byte, its encoding named when it can be told: Korean, Cyrillic); UTF-16 or
UTF-32 without a byte-order mark (told apart from binary data by their pattern of NUL
bytes, and named); a NUL byte in a text file (at its row); an old
Excel workbook (.xls, by its first bytes); binary data.

Excel's separator line: a first line ``sep=;`` (written for Excel, which hides it) names the
separator and is skipped, so the header is row 1, as Excel shows the file. Otherwise the
separator is the most frequent of ``,``, ``;`` and tab in the header row.

Files that are not CSV text (:func:`binary_kind`: a workbook, Parquet, SQLite) are told
from their first bytes, and read by :mod:`~symbiosis.io.sources`.

Complexity: O(size of the file) to decode; the separator line and the BOM-less encodings
are told from the first few kilobytes.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

from ..errors import InputError, Problem
from .code_pages import CHINESE, WESTERN, chinese_text, other_encoding, western_text

__all__ = [
    "CHINESE",
    "EXCEL_SUFFIXES",
    "PARQUET_SUFFIXES",
    "SEPARATORS",
    "SQLITE_SUFFIXES",
    "binary_kind",
    "chinese_text",
    "decode",
    "decoded",
    "excel_separator",
    "excel_separator_text",
    "refusal",
    "sniff_separator",
    "utf8_bytes",
]

SEPARATORS = (",", ";", "\t", "|")  # the separators a sep= line may name
_UTF32 = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)  # before UTF-16: FF FE 00 00 starts FF FE
_UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SEP_LINE = re.compile(r'"?sep=(.?)"?[,;\t|]*[ \t]*', re.IGNORECASE)
_SAMPLE = 4096  # bytes looked at to tell a BOM-less UTF-16 or UTF-32 file


def refusal(shown: str, message: str, hint: str, row: int | None = None) -> InputError:
    """The error refusing a whole file (``row`` when the problem has one)."""
    return InputError(Problem(shown, row, None, message, hint))


def utf8_bytes(raw: bytes) -> bytes | None:
    """The bytes to give pyarrow directly: the file without a UTF-8 byte-order mark, old Mac
    line ends made LF; ``None`` when the file must be decoded first (a UTF-16 or UTF-32
    byte-order mark, NUL bytes, nothing but spaces)."""
    if raw.startswith(_UTF16) or b"\x00" in raw[:_SAMPLE]:  # _UTF16 covers UTF-32 LE
        return None
    data = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    if b"\n" not in data and b"\r" in data:  # old Mac line ends: CR alone
        data = data.replace(b"\r", b"\n")
    return data if data and not data.isspace() else None  # isspace stops at the first cell


def decode(raw: bytes, shown: str) -> str:
    """The text of ``raw``, or an :class:`InputError` saying why it is not text."""
    return decoded(raw, shown)[0]


def decoded(raw: bytes, shown: str) -> tuple[str, str | None]:
    """:func:`decode`, and :data:`CHINESE` when the text was read so (else None): the
    one encoding read without a mark, which the user should hear of."""
    if raw.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif raw.startswith(_UTF32):
        encoding = "utf-32"
    elif raw.startswith(_UTF16):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
        if raw.startswith(_OLE2_MAGIC):
            raise refusal(
                shown,
                "is an old Excel workbook (.xls, or another Office file), which is not read",
                "save it as .xlsx (Excel: Save As > Excel Workbook) or as 'CSV UTF-8'",
            )
        if b"\x00" in raw[:_SAMPLE]:
            unmarked = _unmarked_encoding(raw)
            if unmarked:
                raise refusal(
                    shown,
                    f"looks like {unmarked} text without a byte-order mark, which is not "
                    "read (its encoding cannot be known for sure)",
                    f"save it as 'CSV UTF-8' (or as {unmarked} with a byte-order mark)",
                )
            text_before = _text_before_nul(raw)
            if text_before is not None:  # a text file with a stray NUL in a cell
                raise refusal(
                    shown,
                    "has a NUL byte (character 0, invisible) in a cell, which is not text",
                    "delete it (an editor that shows control characters finds it), or "
                    "save the file again as 'CSV UTF-8'",
                    record_number(text_before),
                )
            raise refusal(
                shown,
                "is not a text file (it contains NUL bytes)",
                "give a CSV file saved as UTF-8 text",
            )
    try:
        return raw.decode(encoding), None
    except UnicodeDecodeError as exc:
        chinese = chinese_text(raw) if encoding == "utf-8" else None
        if chinese is not None:
            return chinese, CHINESE
        name = encoding.upper().replace("-SIG", "")
        before = raw[: exc.start].decode(encoding, errors="replace")
        other = other_encoding(raw) if encoding == "utf-8" else None
        if other is None and encoding == "utf-8" and western_text(raw):
            other = WESTERN
        raise refusal(
            shown,
            f"is not {name} text (byte 0x{raw[exc.start]:02X})"
            + (f": it looks like {other}" if other else ""),
            "save the file as 'CSV UTF-8' (Excel: Save As > CSV UTF-8)"
            + (_convert(other) if other in _ICONV else ""),
            record_number(before),
        ) from None


#: The code page of each encoding named in a refusal, as iconv (and Python) spell it.
_ICONV = {"Korean (EUC-KR)": "CP949", "Cyrillic (Windows-1251)": "CP1251", WESTERN: "CP1252"}
#: How to convert such a file; Central European text (Windows-1250) may look Western too.
_CONVERT = (
    ", or convert it{1}: iconv -f {0} -t UTF-8 FILE > NEW.csv (in Python, read it with "
    "encoding='{0}' and write it with encoding='utf-8')"
)


def _convert(other: str) -> str:
    """How to convert a file of the encoding ``other`` (a key of :data:`_ICONV`) to UTF-8."""
    western = " if its text is Western European" if other == WESTERN else ""
    return _CONVERT.format(_ICONV[other], western)


#: The first bytes of an OLE2 compound file: Excel 97-2003's .xls, old Word and PowerPoint.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _text_before_nul(raw: bytes) -> str | None:
    """The text before the first NUL byte of ``raw`` when it is a CSV file's (UTF-8,
    printable, more than a header line), else None: binary data is no text with a
    stray NUL. O(position of the NUL)."""
    try:
        before = raw[: raw.index(b"\x00")].decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None
    printable = all(c.isprintable() or c in "\t\r\n" for c in before)
    return before if printable and "\n" in before else None


def _unmarked_encoding(raw: bytes) -> str | None:
    """``UTF-32`` or ``UTF-16`` when the start of ``raw`` decodes as one of them (either
    byte order) to CSV-like text: printable, with a separator; ``None`` otherwise."""
    for name, width in (("UTF-32", 4), ("UTF-16", 2)):
        size = min(len(raw), _SAMPLE) // width * width
        for order in ("le", "be"):
            for cut in (0, width):  # a UTF-16 sample may end inside a surrogate pair
                try:
                    text = raw[: size - cut].decode(f"{name.lower()}-{order}")
                except UnicodeDecodeError:
                    continue
                printable = all(c.isprintable() or c in "\t\r\n" for c in text)
                if text and printable and any(sep in text for sep in ",;\t"):
                    return name
                break
    return None


def record_number(before: str) -> int:
    """The spreadsheet row (1 = header) of the record that follows the text ``before``:
    quoted newlines do not start a row. O(len(before)); only used to locate an error."""
    reader = csv.reader(io.StringIO(before + "x", newline=None), delimiter=sniff_separator(before))
    try:
        return max(1, sum(1 for _ in reader))
    except csv.Error:
        return before.count("\n") + 1


def sniff_separator(text: str) -> str:
    """The most frequent of ``,``, ``;`` and tab in the first line (``,`` on a tie)."""
    header = text.split("\n", 1)[0]
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda sep: (counts[sep], sep == ","))


def _line_end(text, start: int = 0) -> tuple[int, int]:
    """(end of the first line, start of the next) for str or bytes, with LF, CRLF or CR."""
    newline, cr = ("\n", "\r") if isinstance(text, str) else (b"\n", b"\r")
    ends = [i for i in (text.find(newline, start), text.find(cr, start)) if i >= 0]
    if not ends:
        return len(text), len(text)
    end = min(ends)
    after = end + 2 if text[end : end + 2] in ("\r\n", b"\r\n") else end + 1
    return end, after


def _named(line: str, shown: str) -> str:
    """The separator a ``sep=`` line names, or an :class:`InputError`."""
    match = _SEP_LINE.fullmatch(line.strip(" "))
    if match and match.group(1) in SEPARATORS:
        return match.group(1)
    raise refusal(
        shown,
        f"starts with the line '{line[:40]}', which names no separator symbiosis reads",
        "write sep=, or sep=; (or sep= and a tab) on the first line, or delete that line",
    )


def excel_separator(raw: bytes, shown: str) -> tuple[bytes, str | None]:
    """``raw`` without a first line ``sep=X`` (after a UTF-8 byte-order mark, if any), and
    the separator ``X`` it names (``None`` when there is no such line). UTF-16 and UTF-32
    files are left to :func:`excel_separator_text`, after decoding."""
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    # the first bytes only: slicing the body would copy the whole file
    if not raw[len(bom) : len(bom) + 5].lstrip(b'"').lower().startswith(b"sep="):
        return raw, None
    body = raw[len(bom) :]
    end, after = _line_end(body)
    return bom + body[after:], _named(body[:end].decode("utf-8", errors="replace"), shown)


def excel_separator_text(text: str, shown: str) -> tuple[str, str | None]:
    """:func:`excel_separator` on decoded text."""
    if not text[:5].lstrip('"').lower().startswith("sep="):
        return text, None
    end, after = _line_end(text)
    return text[after:], _named(text[:end], shown)


# ------------------------------------------------------------------ files that are not text

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
PARQUET_SUFFIXES = (".parquet", ".pq")
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
_ZIP_MAGIC, _PARQUET_MAGIC, _SQLITE_MAGIC = b"PK\x03\x04", b"PAR1", b"SQLite format 3\x00"


def binary_kind(path: Path) -> str | None:
    """``"excel"``, ``"parquet"`` or ``"sqlite"`` from the file's first bytes (a workbook
    is a zip archive, a Parquet file starts with ``PAR1``, SQLite with its header) or else
    its suffix; ``None`` for a text file. O(1)."""
    try:
        with path.open("rb") as file:
            head = file.read(len(_SQLITE_MAGIC))
    except OSError:
        return None  # the CSV reader says what is wrong with the path
    if head == _SQLITE_MAGIC:
        return "sqlite"
    kind = {_ZIP_MAGIC: "excel", _PARQUET_MAGIC: "parquet"}.get(head[:4])
    suffix = path.suffix.lower()
    for suffixes, name in (
        (EXCEL_SUFFIXES, "excel"),
        (PARQUET_SUFFIXES, "parquet"),
        (SQLITE_SUFFIXES, "sqlite"),
    ):
        if kind is None and suffix in suffixes:
            kind = name
    return kind
