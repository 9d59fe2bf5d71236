"""The material taxonomy: materials as people write them, resolved to one material and family.

Park literature, registers and workshops name the same stream in many ways: "FGD gypsum",
"power plant gypsum", "flue gas desulphurisation gypsum", "脱硫石膏"; "elemental sulfur (from
refinery desulfurization)"; "surplus yeast from insulin production (pig feed)". The taxonomy
(``materials.csv``, shipped as package data; users may add their own file) lists *families*
(gypsum, ash, slag, heat, ...), the *materials* in each, and their synonyms in English and
Chinese. :meth:`Taxonomy.resolve` maps any name to a material with the rule that matched and a
score, trying in turn:

===================  =====  ===============================================================
rule                 score  when
===================  =====  ===============================================================
``taxonomy name``    1.0    the :func:`~symbiosis.vocabulary.material_key` of the name is a
                            material or one of its synonyms
``inverted``         0.9    a name written as registers write it, the head first and its
                            qualifier after a comma or in brackets ("Slag, blast furnace",
                            "scrap (copper)", "ash, fly"), read in the usual order ("blast
                            furnace slag", "copper scrap", "fly ash")
``qualifier``        0.9    the same after removing qualifiers: text in brackets, and
                            clauses from ``from``, ``for``, ``of``, ``to``, ``in``, ``at``,
                            ``by``, ``with``, ``used as``, ``after`` on ("sulfur (from
                            refinery desulfurization)" is sulfur)
``head noun``        0.8    the longest run of final words is one ("power plant gypsum",
                            "FGD gypsum slurry" -> no: the head is slurry, a sludge)
``contains``         0.6    the longest run of words anywhere is one ("gypsum from acid
                            neutralisation sludge" after the rules above fail)
``name (zh)``        0.9    a Chinese name, or the longest Chinese name contained in the text
                            (Chinese heads come last, so a suffix is preferred; a name of
                            one character counts only as the head: 电 ends 余电, not 电池;
                            never inside a generic word for residue or waste that ends
                            the text: 残渣 is any residue, not 渣 slag; and such a word
                            alone, 残渣, 废渣, 工业固废, names nothing)
===================  =====  ===============================================================

A name that none of these resolves is ``None``: never guessed. Two materials of one family
(FGD gypsum, phosphogypsum) are *related*: a receiver of one may take the other, with less
confidence (the opportunities pass scores it so). A family groups materials that are
interchangeable as an input, not merely alike: fuel gases are one family, and CO2, flue gas
and nitrogen each their own (a boiler burning blast-furnace gas cannot burn CO2). A material
marked ``interchangeable`` ``no`` is classified in its family but related to none of its
other members: steel, copper and aluminium scrap are all metal, but copper is a tramp
element in steel, so a steelworks taking steel scrap is no evidence that it could take
copper scrap. The family's generic material (``scrap metal``) still covers such a member
one way: a receiver of the generic (a scrap dealer) may take the member, but a stream of
the generic (of unknown metal) is not proposed to a receiver of the member.

A user's file (:func:`load_taxonomy`, ``--taxonomy``) has the columns ``family`` and
``material`` (required), ``synonyms`` and ``names_zh`` (names separated by ``;``), ``notes``
and ``interchangeable`` (``yes``, the default, or ``no``).
It is read as the network files are (:func:`read_taxonomy`, docs/errors.md: any encoding,
separator and header spelling they accept), and every problem is reported at once as
``file:row: column``. A name belongs to one material and a material to one family; rows of
one material in one family pool their synonyms.

Complexity: building the index is O(synonyms); :meth:`Taxonomy.resolve` is O(w^2) dictionary
lookups for a name of ``w`` words (names are short), cached per distinct name.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import InputError, Problem, add_column_hint
from ..vocabulary import material_key

__all__ = [
    "MaterialMatch",
    "Taxonomy",
    "default_taxonomy",
    "load_taxonomy",
    "read_taxonomy",
]

COLUMNS = ("family", "material", "synonyms", "names_zh", "notes", "interchangeable")
_YES, _NO = frozenset({"", "yes", "y", "true", "1"}), frozenset({"no", "n", "false", "0"})
REQUIRED = ("family", "material")

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|（[^）]*）")
_CLAUSE = re.compile(r"\b(?:from|for|of|to|in|at|by|with|used as|after|via)\b.*$")
_CJK = re.compile(r"[\u3400-\u9fff]")
# "head (qualifier)" and "head, qualifier": a qualifier of a few words, no clause
_BRACKETED = re.compile(r"\s*([^,()\[\]]+?)\s*[(\[]([^()\[\]]+)[)\]]\s*")
_INVERTED_WORDS = 3
# Chinese words for "residue" and "waste" in general: they name no material. A name that is
# one of them, after qualifiers that say nothing of the material (工业, 其他 ...), resolves to
# none; and a one-character name is not the head of one that ends a name (渣 is slag, but
# 残渣 is any residue: a scrap yard's 残渣 is not slag).
_GENERIC_ZH = ("残渣", "废渣", "废物", "废料", "废弃物", "固体废物", "固废", "残余物", "杂物")
_VAGUE_ZH = re.compile(r"^(?:工业|一般|其他|其它|生产|混合|综合)+")


@dataclass(frozen=True)
class MaterialMatch:
    """What a name resolved to: the material and its family, the rule and its score."""

    material: str
    family: str
    rule: str
    score: float


@dataclass(frozen=True)
class Taxonomy:
    """Materials by key (every name and synonym, as a material key) and Chinese name."""

    family_of: dict[str, str]  # material -> family
    by_key: dict[str, str]  # material key of a name or synonym -> material
    by_chinese: dict[str, str]  # Chinese name -> material
    files: tuple[str, ...] = ()
    # materials related to no other member of their family (column ``interchangeable``)
    apart: frozenset[str] = frozenset()

    def resolve(self, name: str) -> MaterialMatch | None:
        """The material a name stands for, or ``None`` (see the module docstring)."""
        return _resolve(self, str(name))

    def resolve_closely(self, name: str) -> MaterialMatch | None:
        """:meth:`resolve` when it scores 0.9 or more (the name whole, without qualifiers,
        or a whole Chinese name), else ``None``; the rules scoring less (runs of words, a
        contained Chinese name) decide nothing here, and a Latin name skips them."""
        return _resolve_closely(self, str(name))

    def family(self, material: str) -> str | None:
        return self.family_of.get(material)

    def interchangeable(self, material: str) -> bool:
        """Whether a receiver of another material of the family could take this one
        (module docstring); False for a material marked ``interchangeable`` ``no``."""
        return material not in self.apart

    def merged(self, other: Taxonomy) -> Taxonomy:
        """This taxonomy with ``other``'s rows added; ``other`` wins on a shared name."""
        return Taxonomy(
            {**self.family_of, **other.family_of},
            {**self.by_key, **other.by_key},
            {**self.by_chinese, **other.by_chinese},
            self.files + other.files,
            (self.apart - other.family_of.keys()) | other.apart,  # other's rows decide
        )

    def __hash__(self) -> int:  # cached per instance: dictionaries are not hashable
        return id(self)


@functools.lru_cache(maxsize=65536)
def _resolve(taxonomy: Taxonomy, name: str) -> MaterialMatch | None:
    found = _latin(taxonomy, name)
    if found is None and _CJK.search(name):
        found = _chinese(taxonomy, name)
    if found is None:
        return None
    material, rule, score = found
    return MaterialMatch(material, taxonomy.family_of[material], rule, score)


@functools.lru_cache(maxsize=65536)
def _resolve_closely(taxonomy: Taxonomy, name: str) -> MaterialMatch | None:
    found = _closely(taxonomy, name)
    if found is None and _CJK.search(name) and _latin(taxonomy, name) is None:
        # the Chinese rule, whole names only: a contained one scores 0.8
        text = _chinese_text(name)
        by_chinese = taxonomy.by_chinese
        known = text in by_chinese and not _generic_zh(text)
        found = (by_chinese[text], "name (zh)", 0.9) if known else None
    if found is None:
        return None
    material, rule, score = found
    return MaterialMatch(material, taxonomy.family_of[material], rule, score)


def _closely(taxonomy: Taxonomy, name: str) -> tuple[str, str, float] | None:
    """The first two rules of :func:`_latin`: the name whole, then without qualifiers."""
    key = material_key(name)
    if key in taxonomy.by_key:
        return taxonomy.by_key[key], "taxonomy name", 1.0
    inverted = _inverted(name)
    if inverted in taxonomy.by_key:
        return taxonomy.by_key[inverted], "inverted", 0.9
    cleaned = _cleaned(name)
    if cleaned and cleaned in taxonomy.by_key:
        return taxonomy.by_key[cleaned], "qualifier", 0.9
    return None


def _inverted(name: str) -> str | None:
    """The key of a name written head first ("Slag, blast furnace", "scrap (copper)") in
    the usual order ("blast furnace slag"), when its qualifier is a few words and no
    clause ("sulfur (from refinery desulfurization)" is left to the qualifier rule)."""
    bracketed = _BRACKETED.fullmatch(name)
    if bracketed is not None:
        head, qualifier = bracketed.groups()
    elif name.count(",") == 1:
        head, qualifier = name.split(",")
    else:
        return None
    if (
        not head.strip()
        or len(qualifier.split()) > _INVERTED_WORDS
        or _CLAUSE.search(qualifier.lower())
    ):
        return None
    return material_key(f"{qualifier} {head}")


def _cleaned(name: str) -> str:
    return material_key(_CLAUSE.sub("", _BRACKETS.sub(" ", name.lower())))


def _latin(taxonomy: Taxonomy, name: str) -> tuple[str, str, float] | None:
    found = _closely(taxonomy, name)
    if found is not None:
        return found
    key, cleaned = material_key(name), _cleaned(name)
    texts = [cleaned, key] if cleaned and cleaned != key else [key]
    for words in (t.split() for t in texts):
        for start in range(1, len(words)):  # longest final run first
            head = material_key(" ".join(words[start:]))
            if head in taxonomy.by_key:
                return taxonomy.by_key[head], "head noun", 0.8
    for words in (t.split() for t in texts):
        for length in range(len(words) - 1, 0, -1):  # longest run anywhere
            for start in range(len(words) - length + 1):
                run = material_key(" ".join(words[start : start + length]))
                if run in taxonomy.by_key:
                    return taxonomy.by_key[run], "contains", 0.6
    return None


def _chinese_text(name: str) -> str:
    return re.sub(r"\s+", "", _BRACKETS.sub("", name)) or name.strip()


def _generic_zh(text: str) -> bool:
    """Whether a Chinese name is only a generic word for residue or waste (_GENERIC_ZH)."""
    return (_VAGUE_ZH.sub("", text) or text) in _GENERIC_ZH


def _chinese(taxonomy: Taxonomy, name: str) -> tuple[str, str, float] | None:
    text = _chinese_text(name)
    if _generic_zh(text):
        return None
    if text in taxonomy.by_chinese:
        return taxonomy.by_chinese[text], "name (zh)", 0.9
    # a name of one character counts only as the head: 电 (electricity) ends 余电 but is
    # inside 电池 (battery), 电机 (motor), 电解液 (electrolyte); 煤 (coal) inside 煤气
    # (coal gas); 硫 (sulfur) inside 硫酸 (sulfuric acid)
    generic_end = [g for g in _GENERIC_ZH if text.endswith(g)]
    contained = [n for n in taxonomy.by_chinese
                 if n in text and (len(n) > 1 or text.endswith(n))
                 and not (len(n) == 1 and any(n in g for g in generic_end))]  # fmt: skip
    if not contained:
        return None
    # The longest contained name; among equals, one that ends the text (the head).
    best = max(contained, key=lambda n: (len(n), text.endswith(n)))
    return taxonomy.by_chinese[best], "name (zh)", 0.8


# ---------------------------------------------------------------------------- reading


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
    numbered as a spreadsheet shows them; blank rows are skipped."""
    reader = csv.reader(io.StringIO(text))
    lines: list[list[str]] = []
    try:
        lines.extend(reader)
    except csv.Error as exc:  # a cell past the csv module's limit, a stray quote
        raise InputError(Problem(file, len(lines) + 1, None,
                                 f"is not a readable CSV file ({exc})",
                                 "check quotes and separators")) from None  # fmt: skip
    if not lines:
        raise InputError(Problem(file, None, None, "is empty", "add a header row and data rows"))
    names = [name.strip().lower() for name in lines[0]]
    width, problems, records = len(names), [], []
    for row, fields in enumerate(lines[1:], start=2):  # csv yields [] for a blank line
        cells = [field.strip() for field in fields]
        if not any(cells):
            continue
        if len(cells) > width and any(cells[width:]):
            message = f"has {len(cells)} fields where the header has {width}"
            problems.append(Problem(file, row, None, message, _LONG_HINT))
            continue
        short = len(cells) if len(cells) < width else None
        records.append((row, (cells + [""] * width)[:width], short))
    if problems:
        raise InputError(problems)
    return _taxonomy(file, names, records)


def read_taxonomy(path: str | Path, *, shown: str | None = None) -> Taxonomy:
    """A user's taxonomy file alone, read as the network files and the catalogue are
    (:func:`symbiosis.io.read_table`: any encoding, separator, ``sep=`` line and header
    spelling they accept; a device, a pipe, a folder or a missing file refused at once);
    :class:`InputError` with every problem, ``file:row: column``. O(size of the file)."""
    from ..io.columns import written_names  # not at import: the taxonomy stays cheap
    from ..io.reading import read_table

    table = read_table(path, shown=shown)
    columns = [table.data.column(i).to_pylist() for i in range(table.data.num_columns)]
    short = dict(zip(table.short_rows.tolist(), table.short_fields.tolist(), strict=True))
    records = [
        (row, [cells[position] or "" for cells in columns], short.get(row))
        for position, row in enumerate(table.rows.tolist())
    ]
    return _taxonomy(table.path, list(table.names), records, written_names(table))


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
    file: str, names: list[str], records: list[_Record], written: dict[str, str] | None = None
) -> Taxonomy:
    """The taxonomy of a file's records (:data:`_Record`), or :class:`InputError` with
    every problem of the file (``written``: the header as the file writes it)."""
    problems = _header_problems(file, names, written)
    if problems:
        raise InputError(problems)
    at = {column: names.index(column) for column in COLUMNS if column in names}
    needed = max(at[column] for column in REQUIRED) + 1
    family_of: dict[str, str] = {}
    first_row: dict[str, int] = {}  # material -> the row that gave its family
    by_key: dict[str, str] = {}
    by_chinese: dict[str, str] = {}
    claimed: dict[str, tuple[str, int]] = {}
    claimed_zh: dict[str, tuple[str, int]] = {}  # a Chinese name -> its material, row
    apart: set[str] = set()

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
            if not value:
                problems.append(Problem(file, row_number, column, f"{column} is empty",
                                        f"name the {column}"))  # fmt: skip
        if not family or not material:
            continue
        known = family_of.get(material)
        if known is not None and known != family:
            problems.append(Problem(file, row_number, "material",
                f"'{_shorten(material)}' is in family '{_shorten(known)}' on row "
                f"{first_row[material]} and in family '{_shorten(family)}' here",
                "give each material one family"))  # fmt: skip
            continue
        family_of[material] = family
        first_row.setdefault(material, row_number)
        flag = cell(cells, "interchangeable").strip().lower()
        if flag in _NO:
            apart.add(material)
        elif flag not in _YES:
            problems.append(Problem(file, row_number, "interchangeable",
                                    f"'{_shorten(flag)}' is neither yes nor no",
                                    "write yes (the default) or no"))  # fmt: skip
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
        for name in _split(cell(cells, "names_zh")):
            key = re.sub(r"\s+", "", name)
            owner = claimed_zh.get(key)
            if owner and owner[0] != material:
                problems.append(Problem(file, row_number, "names_zh",
                    f"'{_shorten(name)}' already names '{_shorten(owner[0])}' (row {owner[1]})",
                    "give each name to one material"))  # fmt: skip
                continue
            claimed_zh.setdefault(key, (material, row_number))
            by_chinese[key] = material
    if problems:
        raise InputError(problems)
    if not family_of:
        raise InputError(Problem(file, None, None, "has a header but no data rows", "add rows"))
    return Taxonomy(family_of, by_key, by_chinese, (file,), frozenset(apart))


@functools.cache
def default_taxonomy() -> Taxonomy:
    """The taxonomy shipped with symbiosis (``materials.csv``), read once per process."""
    text = resources.files(__package__).joinpath("materials.csv").read_text(encoding="utf-8")
    return parse_taxonomy(text, "materials.csv")


def load_taxonomy(path: str | Path | None = None, *, replace: bool = False) -> Taxonomy:
    """The default taxonomy, with a user file's rows added (or alone with ``replace``).

    The file is read by :func:`read_taxonomy`, with every rule of the network files;
    :class:`InputError` lists every problem, located."""
    if path is None:
        return default_taxonomy()
    user = read_taxonomy(path)
    return user if replace else default_taxonomy().merged(user)
