"""Roles and categories: the canonical words, and the lookup of an alias as written
(case, spacing, ``_`` and ``-`` ignored). O(len(text)) per lookup."""

from __future__ import annotations

import re

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
]

ACTOR_ROLES: tuple[str, ...] = (
    "firm",
    "extraction",
    "recycling",
    "treatment",
    "utility",
    "household",
)
BOUNDARY_ROLES: tuple[str, ...] = ("market", "disposal", "environment")
ROLES: tuple[str, ...] = ACTOR_ROLES + BOUNDARY_ROLES
CATEGORIES: tuple[str, ...] = ("product", "by-product", "waste", "emission")
RESIDUAL_CATEGORIES: tuple[str, ...] = ("by-product", "waste", "emission")


def _alias_table(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table = {}
    for canonical, words in aliases.items():
        table[canonical] = canonical
        table[_spaced(canonical)] = canonical
        for word in words:
            table[_spaced(word)] = canonical
            table[_spaced(word).replace("-", " ")] = canonical
    return table


_ROLE_TABLE = _alias_table(ROLE_ALIASES)
_CATEGORY_TABLE = _alias_table(CATEGORY_ALIASES)
# an alias that says hazardous waste or a radioactive store ("non hazardous waste" does not)
_SAYS_HAZARDOUS = re.compile(
    r"(?<!non )\bhazardous\b|\bradioactive\b|(?<!非)(?:危废|危险废物|放射性)"
)


def _hazardous_words(table: dict[str, str]) -> frozenset[str]:
    return frozenset(word for word in table if _SAYS_HAZARDOUS.search(word))


_HAZARDOUS_ROLES = _hazardous_words(_ROLE_TABLE)
_HAZARDOUS_CATEGORIES = _hazardous_words(_CATEGORY_TABLE)


def role_words() -> tuple[str, ...]:
    """Every word read as a role (the roles and their aliases, lower-cased), for a guess
    at a misspelt one."""
    return tuple(word for word in _ROLE_TABLE if word)


def category_words() -> tuple[str, ...]:
    """Every word read as a category (the categories and their aliases, lower-cased)."""
    return tuple(word for word in _CATEGORY_TABLE if word)


def canonical_role(text: str) -> str | None:
    """The canonical role for ``text`` (an alias or a role), or ``None`` if unknown."""
    key = _spaced(text)
    return _ROLE_TABLE.get(key) or _ROLE_TABLE.get(key.replace("-", " "))


def canonical_category(text: str) -> str | None:
    """The canonical category for ``text``, or ``None`` if unknown."""
    key = _spaced(text)
    return _CATEGORY_TABLE.get(key) or _CATEGORY_TABLE.get(key.replace("-", " "))


def hazardous_role(text: str) -> bool:
    """Whether a role as written says the node takes hazardous waste (``hazardous waste
    landfill``, ``危废填埋场``, ``危废处置中心``): it reads as its role (disposal,
    treatment) and marks the node :data:`HAZARDOUS`. O(len(text))."""
    key = _spaced(text)
    return key in _HAZARDOUS_ROLES or key.replace("-", " ") in _HAZARDOUS_ROLES


def hazardous_category(text: str) -> bool:
    """Whether a category as written says hazardous waste (``hazardous waste``, 危险废物,
    危废; not ``non-hazardous waste``): it reads as ``waste`` and marks the flow
    :data:`HAZARDOUS`. O(len(text))."""
    key = _spaced(text)
    return key in _HAZARDOUS_CATEGORIES or key.replace("-", " ") in _HAZARDOUS_CATEGORIES
