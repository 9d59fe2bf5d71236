"""Names a taxonomy lists for one material exactly (:meth:`Taxonomy.listed`): what puts
a name in its material's row of ``reuse --by material`` (docs/reuse.md, "Matching material
names"). Its own name in English (by its key), its own name in Chinese, Japanese or Korean
(the first of its ``names_zh``, ``names_ja``, ``names_ko``), or a name in two scripts one
of whose parts is such a name and none such a name of another material. O(len(name)) per
name, cached."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from ..vocabulary import bilingual_parts, material_key
from .chinese import whole_chinese
from .names import CJK

if TYPE_CHECKING:
    from . import Taxonomy

__all__ = ["listed_name", "listed_whole"]


@functools.lru_cache(maxsize=65536)
def listed_name(taxonomy: Taxonomy, name: str) -> str | None:
    """:meth:`Taxonomy.listed` (cached per taxonomy and name)."""
    found = listed_whole(taxonomy, name)
    parts = bilingual_parts(name) if found is None else None
    if parts is not None:
        named = {listed_whole(taxonomy, part) for part in parts} - {None}
        found = named.pop() if len(named) == 1 else None
    return found


def listed_whole(taxonomy: Taxonomy, name: str) -> str | None:
    """The material's own name by its key, else its own name in Chinese, Japanese or
    Korean, whole (:meth:`Taxonomy.listed`). A synonym is not enough, in any language:
    the taxonomy lists kinds among them (bark and sawdust under wood waste, aluminium
    dross under aluminium scrap, 电炉渣 under 钢渣), which a table by material keeps
    apart."""
    key = material_key(name)
    found = taxonomy.by_key.get(key)
    if found is not None and material_key(found) != key:
        found = None
    if found is None and CJK.search(name):
        whole = whole_chinese(taxonomy.own_names, re.sub(r"\s+", "", name))
        found = None if whole is None else whole[0]
    return found
