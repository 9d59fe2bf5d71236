"""Roles and categories: the canonical words, and the lookup of an alias as written
(case, spacing, ``_`` and ``-`` ignored), else in simplified characters (traditional
Chinese, ``發電廠``, ``廢水``, read as the simplified aliases ``发电厂``, ``废水`` are:
:func:`symbiosis._hanzi.simplified`). O(len(text)) per lookup."""

from __future__ import annotations

import re
import unicodedata

from .._hanzi import simplified
from .aliases import CATEGORY_ALIASES, DIMENSION_WORDS, ROLE_ALIASES
from .text import _spaced

__all__ = [
    "ACTOR_ROLES",
    "BOUNDARY_ROLES",
    "CATEGORIES",
    "DIMENSION_WORDS",
    "RESIDUAL_CATEGORIES",
    "ROLES",
    "canonical_category",
    "canonical_role",
    "category_words",
    "hazardous_category",
    "hazardous_role",
    "role_words",
    "spellings",
]

ACTOR_ROLES: tuple[str, ...] = (
    "firm",
    "extraction",
    "recycling",
    "treatment",
    "utility",
    "household",
    "distributor",
)
BOUNDARY_ROLES: tuple[str, ...] = ("market", "disposal", "environment")
ROLES: tuple[str, ...] = ACTOR_ROLES + BOUNDARY_ROLES
CATEGORIES: tuple[str, ...] = ("product", "by-product", "waste", "emission")
RESIDUAL_CATEGORIES: tuple[str, ...] = ("by-product", "waste", "emission")


# German and Scandinavian letters as ASCII writes them (Klaeranlage, Muell, groesse)
_ASCII = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe"})
# the same letters with the accent dropped, where dropping it leaves no letter (ø, æ, ß)
_BARE = str.maketrans({"ß": "ss", "æ": "ae", "ø": "o"})


def spellings(word: str) -> tuple[str, ...]:
    """``word`` (spaced and lower-cased) as written, in ASCII (``ä`` as ``ae``, ``ß`` as
    ``ss``) and without its accents (``décharge`` as ``decharge``, ``Kläranlage`` as
    ``klaranlage``): the keys under which an alias is read. A word of no accent (English,
    Chinese) has itself alone. O(len(word)).

    >>> spellings("kläranlage"), spellings("landfill")
    (('kläranlage', 'klaeranlage', 'klaranlage'), ('landfill',))
    """
    if word.isascii():
        return (word,)
    bare = unicodedata.normalize("NFKD", word.translate(_BARE))
    bare = "".join(c for c in bare if not unicodedata.combining(c))
    found = (word, word.replace("’", "'"), word.translate(_ASCII), bare)
    return tuple(dict.fromkeys(s for s in found if s == word or s.isascii()))


def _key(text: str) -> str:
    """A cell as the tables are keyed: spaced, lower case, composed (NFC: a decomposed
    umlaut, as macOS writes it, is the umlaut), the typographic apostrophe as ``'``."""
    key = _spaced(text)
    if key.isascii():
        return key
    return unicodedata.normalize("NFC", key).replace("’", "'")


# an alias that says hazardous waste or a radioactive store ("non hazardous waste", "déchets
# non dangereux", "nicht gefährliche Abfälle" do not), in the languages of the aliases
_SAYS_HAZARDOUS = re.compile(
    r"(?<!non )\bhazardous\b|\bradioactive\b|(?<!非)(?:危废|危险废物|放射性|特別管理)|지정폐기물"
    r"|sonderabfall|sondermüll|(?<!nicht )\bgefährlich|(?<!non )\bdangereux"
    r"|(?<!no )\bpeligros|(?<!non )\bpericolos|(?<!niet )\bgevaarlijk|\bvaaralli[ns]"
)


def _alias_table(aliases: dict[str, tuple[str, ...]]) -> tuple[dict[str, str], frozenset[str]]:
    """The canonical word of each key (every spelling of every alias, with ``-`` and with
    a space), and the keys of the aliases that say hazardous."""
    table, hazardous = {}, set()
    for canonical, words in aliases.items():
        table[canonical] = canonical
        table[_spaced(canonical)] = canonical
        for word in words:
            spaced = _key(word)
            keys = {s for w in (spaced, spaced.replace("-", " ")) for s in spellings(w)}
            table.update(dict.fromkeys(keys, canonical))
            if _SAYS_HAZARDOUS.search(spaced):
                hazardous |= keys
    return table, frozenset(hazardous)


_ROLE_TABLE, _HAZARDOUS_ROLES = _alias_table(ROLE_ALIASES)
_CATEGORY_TABLE, _HAZARDOUS_CATEGORIES = _alias_table(CATEGORY_ALIASES)


def role_words() -> tuple[str, ...]:
    """Every word read as a role (the roles and their aliases, lower-cased), for a guess
    at a misspelt one."""
    return tuple(word for word in _ROLE_TABLE if word)


def category_words() -> tuple[str, ...]:
    """Every word read as a category (the categories and their aliases, lower-cased)."""
    return tuple(word for word in _CATEGORY_TABLE if word)


def _keys(text: str) -> tuple[str, ...]:
    """The keys a cell is looked up under, in turn: as written, with ``-`` as a space, and
    the same in simplified characters when they differ (a Japanese word in kanji alone,
    工場, is found as written first: :mod:`.east_asian`)."""
    key = _key(text)
    keys = (key, key.replace("-", " "))
    other = simplified(key)
    return keys if other == key else (*keys, other, other.replace("-", " "))


def canonical_role(text: str) -> str | None:
    """The canonical role for ``text`` (an alias or a role), or ``None`` if unknown."""
    return next((_ROLE_TABLE[k] for k in _keys(text) if k in _ROLE_TABLE), None)


def canonical_category(text: str) -> str | None:
    """The canonical category for ``text``, or ``None`` if unknown."""
    return next((_CATEGORY_TABLE[k] for k in _keys(text) if k in _CATEGORY_TABLE), None)


def hazardous_role(text: str) -> bool:
    """Whether a role as written says the node takes hazardous waste (``hazardous waste
    landfill``, ``危废填埋场``, ``危险废物处置中心``, ``危險廢物填埋場``): it reads as its
    role (disposal, treatment) and marks the node :data:`HAZARDOUS`. O(len(text))."""
    return any(key in _HAZARDOUS_ROLES for key in _keys(text))


def hazardous_category(text: str) -> bool:
    """Whether a category as written says hazardous waste (``hazardous waste``, 危险废物,
    危废, 危險廢物; not ``non-hazardous waste``): it reads as ``waste`` and marks the flow
    :data:`HAZARDOUS`. O(len(text))."""
    return any(key in _HAZARDOUS_CATEGORIES for key in _keys(text))
