"""Material names: the key under which they are matched (:func:`material_key`)."""

from __future__ import annotations

from functools import lru_cache

from .._hanzi import simplified
from .text import _collapsed, _spaced

_MATERIAL_ALIASES = {
    "so2": "sulfur dioxide",
    "co2": "carbon dioxide",
    "h2so4": "sulfuric acid",
    "sulfuric acid": "sulfuric acid",
    "pg": "phosphogypsum",
    "phospho gypsum": "phosphogypsum",
    "flue gas desulfurization gypsum": "fgd gypsum",
    "flue gas desulfurisation gypsum": "fgd gypsum",
    "desulfurization gypsum": "fgd gypsum",
    "desulfurisation gypsum": "fgd gypsum",
    "bf slag": "blast furnace slag",
    "bfs": "blast furnace slag",
    "ggbfs": "ground granulated blast furnace slag",
    "eaf dust": "electric arc furnace dust",
    "pfa": "fly ash",
    "pulverised fuel ash": "fly ash",
    "pulverized fuel ash": "fly ash",
    "msw": "municipal solid waste",
    "ggbs": "ground granulated blast furnace slag",
    "electric power": "electricity",
    "power": "electricity",
}
_NO_SINGULAR = ("ss", "us", "is", "as", "os")
_PLURAL_ES = ("sses", "shes", "ches", "xes")  # glasses, ashes, batches, boxes


@lru_cache(maxsize=1 << 16)  # names repeat: the catalogue, the taxonomy and every flow
def material_key(name: str) -> str:
    """The normalised key under which material names are matched.

    >>> material_key("  Copper_Slags ") == material_key("copper slag")
    True
    >>> material_key("SO2"), material_key("Sulphuric-acid"), material_key("鋼渣")
    ('sulfur dioxide', 'sulfuric acid', '钢渣')

    Chinese in traditional characters is keyed in simplified ones (``鋼渣`` as ``钢渣``:
    :func:`symbiosis._hanzi.simplified`; Japanese and Korean as written): the catalogue,
    the taxonomy and every other table keyed so read either.
    """
    text = _spaced(simplified(str(name))).replace("-", " ").replace("sulph", "sulf")
    text = _collapsed(text)
    if text in _MATERIAL_ALIASES:
        return _MATERIAL_ALIASES[text]
    words = text.split(" ")
    last = words[-1]
    if len(last) > 3 and last.endswith(_PLURAL_ES):
        words[-1] = last[:-2]
    elif len(last) > 3 and last.endswith("s") and not last.endswith(_NO_SINGULAR):
        words[-1] = last[:-3] + "y" if last.endswith("ies") else last[:-1]
    text = " ".join(words)
    return _MATERIAL_ALIASES.get(text, text)
