"""Reading taxonomy files: the shipped ``materials.csv`` and a user's file.

:func:`parse_taxonomy` reads comma-separated UTF-8 text as the shipped file is written;
:func:`read_taxonomy` reads a user's file as the network files are read (any encoding,
separator and header spelling of docs/errors.md). Every problem is reported at once as
``file:row: column`` (:class:`~symbiosis.errors.InputError`). O(size of the file).
"""

from __future__ import annotations

import csv
import dataclasses
import difflib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .._hanzi import simplified
from ..errors import InputError, Problem, add_column_hint
from ..vocabulary import material_key

if TYPE_CHECKING:
    from . import Taxonomy

__all__ = ["COLUMNS", "EAST_ASIAN_COLUMNS", "REQUIRED", "parse_taxonomy", "read_taxonomy"]

COLUMNS = ("family", "material", "synonyms", "names_zh", "names_ja", "names_ko", "notes",
           "interchangeable", "marks")  # fmt: skip
#: The columns of names written without Latin letters (Chinese, Japanese, Korean), read
#: whole with spaces removed and by the names they contain (the taxonomy's Chinese rules)
EAST_ASIAN_COLUMNS = ("names_zh", "names_ja", "names_ko")
_YES, _NO = frozenset({"", "yes", "y", "true", "1"}), frozenset({"no", "n", "false", "0"})
REQUIRED = ("family", "material")


# Words written as one or as two ("treated waste water" is "treated wastewater"): every name
# is known in both spellings (the other only where it names no other material)
_SPELLINGS = (("waste water", "wastewater"), ("off gas", "offgas"))


def spellings(key: str) -> list[str]:
    """The other spellings of a material key (:data:`_SPELLINGS`), in both directions."""
    padded, found = f" {key} ", []
    for two, one in _SPELLINGS:
        for old, new in ((f" {two} ", f" {one} "), (f" {one} ", f" {two} ")):
            if old in padded:
                found.append(padded.replace(old, new).strip())
    return found


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;；]", text or "") if part.strip()]


def _shorten(value: str, width: int = 60) -> str:
    """:func:`symbiosis.io.problems.shorten`, loaded only for a message (importing the
    taxonomy stays cheap)."""
    from ..io.problems import shorten

    return shorten(value, width)


_SHORT_HINT = (
    "give every row one field per column (an empty cell still needs its separator); "
    "check for a missing separator or a line break in an unquoted cell"
)
_LONG_HINT = "quote fields that contain the separator, or remove the extra separators"

# A record: its spreadsheet row, its cells (one per column of the header) and, for a row
# with fewer fields than the header, its field count (else None).
_Record = tuple[int, list[str], int | None]


def parse_taxonomy(text: str, file: str) -> Taxonomy:
    """A taxonomy from comma-separated UTF-8 text, as the shipped ``materials.csv`` is
    written (a user's file is read by :func:`read_taxonomy`, which takes every layout the
    network files may have); :class:`InputError` with every problem, located. Rows are
    numbered as a spreadsheet shows them; blank rows are skipped. A row with more fields
    than the header, a quote never closed (its cell would run to the end of the text,
    every row below swallowed into it) or text after a closing quote (``"b"c``, read as
    ``bc``) is refused, with the problems of the other rows."""
    lines, problems, refused = _records(text, file)
    if not lines:
        raise InputError(Problem(file, None, None, "is empty", "add a header row and data rows"))
    names = [name.strip().lower() for name in lines[0]]
    width, records = len(names), []
    for row, fields in enumerate(lines[1:], start=2):  # csv yields [] for a blank line
        cells = [field.strip() for field in fields]
        if not any(cells) or row in refused:
            continue
        if len(cells) > width and any(cells[width:]):
            message = f"has {len(cells)} fields where the header has {width}"
            problems.append(Problem(file, row, None, message, _LONG_HINT))
            continue
        short = len(cells) if len(cells) < width else None
        records.append((row, (cells + [""] * width)[:width], short))
    return _taxonomy(file, names, records, said=problems)


def _records(text: str, file: str) -> tuple[list[list[str]], list[Problem], set[int]]:
    """The records of comma-separated ``text`` (each a list of its fields), the problems
    of its quotes (:mod:`symbiosis.io.quotes`: a quote never closed, taken as text so
    that the rows below it are read; text after a closing quote) and their rows. Python's
    csv module, strict, reads well-quoted text; only text it refuses is looked at
    again. O(size of the text)."""
    try:
        return list(csv.reader(io.StringIO(text), strict=True)), [], set()
    except csv.Error:  # a stray quote, a quote never closed, a cell past csv's limit
        pass
    problems: list[Problem] = []
    refused: set[int] = set()
    if '"' in text:
        from ..io.quotes import check_quotes, unclosed_quote  # only for such a text

        data = text.encode("utf-8")
        unclosed = unclosed_quote(data, ",")
        data = data if unclosed is None else unclosed.closed(data)
        text = data.decode("utf-8")
        header = next(csv.reader(io.StringIO(text)), [])
        if unclosed is not None:
            problems.append(unclosed.problem(file, header))
            refused.add(unclosed.row)
        strays, rows = check_quotes(data, ",", file, header).strays
        problems.extend(strays)
        refused.update(rows.tolist())
    lines: list[list[str]] = []
    try:
        lines.extend(csv.reader(io.StringIO(text)))
    except csv.Error as exc:  # a cell past the csv module's limit
        raise InputError(Problem(file, len(lines) + 1, None,
                                 f"is not a readable CSV file ({exc})",
                                 "check quotes and separators")) from None  # fmt: skip
    return lines, problems, refused


def read_taxonomy(path: str | Path, *, shown: str | None = None) -> Taxonomy:
    """A user's taxonomy file alone, read as the network files and the catalogue are
    (:func:`symbiosis.io.read_table`: any encoding, separator, ``sep=`` line and header
    spelling they accept; a device, a pipe, a folder or a missing file refused at once);
    :class:`InputError` with every problem, ``file:row: column``; the warnings of reading
    it (read as Chinese GB18030) in :attr:`Taxonomy.warnings`. O(size of the file)."""
    from ..io.columns import written_names  # not at import: the taxonomy stays cheap
    from ..io.stray_rows import END_MARK, is_end_mark
    from ..io.text_files import read_as_warnings, read_csv_file

    table = read_csv_file(path, shown=shown, collect=True)
    columns = [table.data.column(i).to_pylist() for i in range(table.data.num_columns)]
    short = dict(zip(table.short_rows.tolist(), table.short_fields.tolist(), strict=True))
    refused = set(table.refused_rows.tolist())  # said by reading: nothing more of them
    records = [
        (row, [cells[position] or "" for cells in columns], short.get(row))
        for position, row in enumerate(table.rows.tolist())
        if row not in refused
    ]
    said = list(table.read_problems)  # the rows refused in reading, with the rules' problems
    if records and is_end_mark(records[-1][1]):  # a DOS end-of-file mark after the last row
        said.append(Problem(table.path, records.pop()[0], None, *END_MARK))
    names, written = list(table.names), written_names(table)
    taxonomy = _taxonomy(table.path, names, records, written, said)
    return dataclasses.replace(taxonomy, warnings=tuple(read_as_warnings(table)))


def _header_problems(
    file: str, names: list[str], written: dict[str, str] | None = None
) -> list[Problem]:
    """Row 1: a column given twice, a required column missing (a close misspelling gets a
    rename hint, quoting the header as ``written``: each name to its header in the file)."""
    written = written or {}
    problems = [
        Problem(file, 1, column, "column appears more than once", "keep one")
        for column in sorted({name for name in names if names.count(name) > 1})
    ]
    for column in REQUIRED:
        if column not in names:
            unknown = [name for name in names if name not in COLUMNS]
            guess = difflib.get_close_matches(column, unknown, n=1)
            hint = (
                f"rename column '{written.get(guess[0], guess[0])}' to '{column}'" if guess else ""
            )
            hint = hint or add_column_hint(column)
            problems.append(Problem(file, 1, column, "required column is missing", hint))
    return problems


def _taxonomy(
    file: str,
    names: list[str],
    records: list[_Record],
    written: dict[str, str] | None = None,
    said: list[Problem] | None = None,
) -> Taxonomy:
    """The taxonomy of a file's records (:data:`_Record`), or :class:`InputError` with
    every problem of the file, in row order (``written``: the header as the file writes
    it; ``said``: problems found before the rules, of rows not in ``records``: refused in
    reading, an end-of-file mark). A required column missing is said at row 1, and the
    rules of the columns present run all the same; a column given twice, or no required
    column, stops them (which column to read? a file of another kind?)."""
    problems = [*(said or ()), *_header_problems(file, names, written)]
    absent = {column for column in REQUIRED if column not in names}
    if len(set(names)) < len(names) or len(absent) == len(REQUIRED):
        raise InputError(_in_row_order(problems))
    at = {column: names.index(column) for column in COLUMNS if column in names}
    needed = max(at[column] for column in REQUIRED if column in at) + 1
    family_of: dict[str, str] = {}
    first_row: dict[str, int] = {}  # material -> the row that gave its family
    by_key: dict[str, str] = {}
    by_chinese: dict[str, str] = {}
    own_names: dict[str, str] = {}  # the first East Asian name of a language -> material
    own_languages: set[tuple[str, str]] = set()  # (material, column) given their first name
    claimed: dict[str, tuple[str, int]] = {}
    claimed_zh: dict[str, tuple[str, int]] = {}  # an East Asian name -> material, row
    apart: set[str] = set()
    marked: dict[str, tuple[str, int]] = {}  # a mark -> its material, row
    spelt: dict[str, str] = {}  # a name's other spelling -> its material

    def cell(cells: list[str], column: str) -> str:
        return cells[at[column]] if column in at else ""

    for row_number, cells, fields in records:
        if fields is not None and fields < needed:  # its cells are missing, not empty
            problems.append(Problem(file, row_number, None,
                                    f"has {fields} fields where the header has {len(names)}",
                                    _SHORT_HINT))  # fmt: skip
            continue
        family = cell(cells, "family").strip().lower()
        material = material_key(cell(cells, "material"))
        for column, value in (("family", family), ("material", material)):
            if not value and column not in absent:  # a missing column is said once
                problems.append(Problem(file, row_number, column, f"{column} is empty",
                                        f"name the {column}"))  # fmt: skip
        known = family_of.get(material, family) if family and material else family
        conflict = known != family
        if conflict:
            problems.append(Problem(file, row_number, "material",
                f"'{_shorten(material)}' is in family '{_shorten(known)}' on row "
                f"{first_row[material]} and in family '{_shorten(family)}' here",
                "give each material one family"))  # fmt: skip
        # every cell of the row is checked, whatever else is wrong with it: all at once
        flag = cell(cells, "interchangeable").strip().lower()
        if flag not in _NO and flag not in _YES:
            problems.append(Problem(file, row_number, "interchangeable",
                                    f"'{_shorten(flag)}' is neither yes nor no",
                                    "write yes (the default) or no"))  # fmt: skip
        if not material:  # its names belong to no material
            continue
        if family and not conflict:
            family_of[material] = family
            first_row.setdefault(material, row_number)
            if flag in _NO:
                apart.add(material)
        for name in [material, *_split(cell(cells, "synonyms"))]:
            key = material_key(name)
            owner = claimed.get(key)
            if owner and owner[0] != material:
                problems.append(Problem(file, row_number, "synonyms",
                    f"'{_shorten(name)}' already names '{_shorten(owner[0])}' (row {owner[1]})",
                    "give each name to one material"))  # fmt: skip
                continue
            claimed[key] = (material, row_number)
            by_key[key] = material
            for variant in spellings(key):
                spelt.setdefault(variant, material)
        for column in EAST_ASIAN_COLUMNS:  # one index: a name is one material's in any
            for name in _split(cell(cells, column)):
                key = re.sub(r"\s+", "", name)
                owner = claimed_zh.get(key)
                if owner and owner[0] != material:
                    problems.append(Problem(file, row_number, column,
                        f"'{_shorten(name)}' already names '{_shorten(owner[0])}' (row {owner[1]})",
                        "give each name to one material"))  # fmt: skip
                    continue
                claimed_zh.setdefault(key, (material, row_number))
                by_chinese[key] = material
                if (material, column) not in own_languages:  # its own name in the language
                    own_languages.add((material, column))
                    own_names[key] = material
        problems.extend(_marks(file, row_number, material, cell(cells, "marks"), marked))
    marks = {word: material for word, (material, _) in marked.items()}
    by_key = {**spelt, **by_key}  # a name as written wins over another's other spelling
    by_chinese = _with_simplified(by_chinese)
    if problems:
        raise InputError(_in_row_order(problems))
    if not family_of:
        raise InputError(Problem(file, None, None, "has a header but no data rows", "add rows"))
    from . import Taxonomy  # at call time: the package imports this module

    return Taxonomy(family_of, by_key, by_chinese, (file,), frozenset(apart), marks,
                    own_names=own_names)  # fmt: skip


def _with_simplified(by_chinese: dict[str, str]) -> dict[str, str]:
    """The names and each one's simplified form after it (鋼渣 as 钢渣, as the taxonomy reads
    the names it resolves; 工場 as 工场: :func:`symbiosis._hanzi.simplified`), where that
    is no name as written of another row, in file order (a contained name's ties go to the
    first). O(names)."""
    found: dict[str, str] = {}
    for name, material in by_chinese.items():
        found[name] = material
        other = simplified(name)
        if other not in by_chinese:
            found.setdefault(other, material)
    return found


def _in_row_order(problems: list[Problem]) -> list[Problem]:
    """:func:`symbiosis.io.problems.in_row_order`, loaded only for an error (importing
    the taxonomy stays cheap)."""
    from ..io.problems import in_row_order

    return in_row_order(problems)


def _marks(
    file: str, row: int, material: str, text: str, marked: dict[str, tuple[str, int]]
) -> list[Problem]:
    """Record a row's marks in ``marked`` (a mark -> its material and row); the problems:
    a mark of several words, or one that already marks another material."""
    problems = []
    for mark in _split(text):
        word = material_key(mark)
        owner = marked.get(word)
        if len(word.split()) != 1:
            message = f"'{_shorten(mark)}' is not one word"
            hint = "give each mark as one word, marks separated by ;"
            problems.append(Problem(file, row, "marks", message, hint))
        elif owner and owner[0] != material:
            problems.append(Problem(file, row, "marks",
                f"'{_shorten(mark)}' already marks '{_shorten(owner[0])}' (row {owner[1]})",
                "give each mark to one material"))  # fmt: skip
        else:
            marked.setdefault(word, (material, row))
    return problems
