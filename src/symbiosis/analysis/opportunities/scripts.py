"""Residues named in a script the catalogue and the taxonomy do not read, said once.

The catalogue is written in English, with Chinese synonyms, and the taxonomy knows the
common residues and utilities in Chinese, Japanese and Korean too; a name written in
another script, or a Japanese or Korean name that the taxonomy does not list, meets no
row. Kawasaki's 高炉スラグ and 下水汚泥 (tester-parks10 defect 6) met nothing where
"blast furnace slag" and "sewage sludge" met their rows, and the only sign was the
list of streams with no known pathway. :func:`script_note` says how many such materials
there are and how to name them: the English name in brackets, "高炉スラグ (blast furnace
slag)", which the matching reads by either part (:func:`~symbiosis.vocabulary.bilingual_parts`).

Complexity: O(s) vectorised over the streams, then one taxonomy resolution (cached) and
one pass over the characters per distinct material key left unmatched.
"""

from __future__ import annotations

import numpy as np

from ..._numeric import first_positions
from ...vocabulary import bilingual_parts, non_latin_scripts
from .candidates import Pairs
from .hazards import quoted_few
from .materials import taxonomy_of
from .receivers import Context
from .result import FATES

__all__ = ["script_note"]

_PRODUCT = FATES.index("product")
# How each script is named in the note (Han alone may be Chinese or Japanese kanji), in
# this order, then any other script by its Unicode name; and a name of each written as the
# matching reads it
_LANGUAGES = {"Kana": "Japanese", "Hangul": "Korean", "Han": "Chinese characters"}
_EXAMPLES = {
    "Japanese": "高炉スラグ (blast furnace slag)",
    "Korean": "동 슬래그 (copper slag)",
    "Chinese characters": "赤泥 (red mud)",
}


def script_note(ctx: Context, pairs: Pairs) -> str | None:
    """The note on the residue streams' materials named only in a script other than Latin
    (:func:`~symbiosis.vocabulary.non_latin_scripts`; no "A (B)" name in two scripts)
    that matched no catalogue row (no pair of ``pairs``, :func:`.candidates.pathway_pairs`:
    by name, a part of its name or the taxonomy) and that the taxonomy resolves to no
    material: how many, the first few, their scripts and how to name them; None when
    there is none. Products are left out: few of them have rows in any language."""
    streams, core = ctx.streams, ctx.core
    matched = np.zeros(len(streams), dtype=bool)
    matched[pairs.stream] = True
    left = np.flatnonzero(~matched & (streams.fate_code != _PRODUCT))
    if not len(left):
        return None
    keys = streams.key_code[left]
    first = first_positions(keys, len(core.material_keys))
    distinct = np.flatnonzero(first < len(keys))
    ordered = distinct[np.argsort(first[distinct], kind="stable")]  # as the streams come
    taxonomy = taxonomy_of(ctx)
    names, languages = [], set()
    for key in ordered.tolist():
        name = str(core.materials[streams.material_code[left[first[key]]]])
        scripts = non_latin_scripts(name)
        if not scripts or bilingual_parts(name) is not None or taxonomy.resolve(name):
            continue
        names.append(name)
        languages.add(next((_LANGUAGES[s] for s in _LANGUAGES if s in scripts), min(scripts)))
    if not names:
        return None
    order = list(_LANGUAGES.values())
    said = sorted(languages, key=lambda x: (order.index(x) if x in order else len(order), x))
    written = ", ".join(said[:-1]) + " and " + said[-1] if len(said) > 1 else said[0]
    example = _EXAMPLES.get(said[0], f"{names[0]} (its English name)")
    return (
        f"{len(names)} material(s) written in {written} with no English name matched no "
        f"pathway of the catalogue and no material of the taxonomy ({quoted_few(names)}); "
        f"add the English name in brackets, e.g. '{example}'"
    )
