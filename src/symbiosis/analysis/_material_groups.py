"""Which inputs of an actor are one material, and which residues are its main feed.

The shock models group an actor's necessary inputs per material (:mod:`.leontief`), a
supplier's sales per material (:mod:`._rationing`) and the essential cut-off its groups
(:mod:`._cut_off`). Two flows are of one **material group** when their names resolve to
one material of the taxonomy (:mod:`symbiosis.taxonomy`, the name whole, without its
qualifiers, by its head noun or a Chinese name: the rules scoring 0.8 or more; a name
merely *containing* a material's name, "iron ore pellets", does not count), else when
their material keys are equal (:func:`~symbiosis.vocabulary.material_key`). So Baotou's
sinter plant that takes ``iron ore concentrate`` from the local concentrator and
``imported iron ore fines`` has one iron-ore input whose deliveries add up. The taxonomy
is the shipped one (``materials.csv``, residues) with ``primary.csv``: ores,
concentrates and crude oil that plants take as products, which the opportunity engine does
not read (its matching of residues stays as it was). A refinery's crude grades are one
input: Karamay's refineries stopped when their heavy crude, a tenth of their crude, was
another material than their crude oil (a name of ``primary.csv`` wins: ``heavy oil`` is a
crude here, the refinery's heavy fuel oil among residues).

**Main feed.** A by-product, waste or emission an actor takes is a secondary input of the
Leontief model (it counts by its share of the actor's throughflow), except its *main
feed*: a material group of residues in mass that makes at least :data:`MAIN_FEED_SHARE`
(half) of what the actor processes in mass, the larger of its recorded input and the
products it makes, of which the actor takes no product (no other supply of that
material). Not of its throughflow ``max(in, out)``: residue outputs swollen by an
unrecorded input (the water of a distillery's vinasse, the air of a boiler's CO2) say
nothing of what it processes, and a distillery fed on molasses alone kept 81 % of its
output with half of it; but its products do (a cement works recording only the slag it
takes is no slag plant). Such an input is what the
plant processes: a fluorine plant fed on fluosilicic acid (45 of its 59 kt) and aluminium
hydroxide makes no fluoride without the acid, however much hydroxide it still gets. The
main feed is then necessary, as a product is. Only a material is a feed: the steam, waste
heat or reclaimed water an actor takes (energy, volume) are utilities and keep counting by
their share in their own dimension (a power plant's reclaimed cooling water does not stop
its power, nor the acid plant's steam a phosphoric acid plant). Half is the least share
that makes it the plant's main input whatever its others are (together they weigh less);
Tongling's smelter with 86 kt of recycled slag concentrate beside 1.7 Mt of concentrate
stays far below it, so a loop of recycled by-products is not driven to nothing. A
treatment plant (role ``treatment``: a wastewater plant, a neutralisation station, an
incinerator) has no main feed: it treats what comes, each residue counting by its share,
as before.

**Fuels** (:func:`fuel_flows`): materials of :data:`FUEL_FAMILIES`, whose secondary
inputs also bound their receiver's energy outputs (:mod:`.leontief`).

Complexity: one taxonomy look-up per distinct material name (cached per name), O(F) for
the codes and O(F log F) for the main feeds.
"""

from __future__ import annotations

import functools
from importlib import resources

import numpy as np

from ..core import Core
from ..taxonomy import Taxonomy, default_taxonomy, parse_taxonomy
from ..units import DIMENSIONS
from ..vocabulary import CATEGORIES

__all__ = [
    "FUEL_FAMILIES",
    "MAIN_FEED_SHARE",
    "fuel_flows",
    "group_material",
    "input_taxonomy",
    "main_feeds",
    "material_groups",
    "throughflows",
]

#: A residue group of at least this share of what its receiver processes (the larger of
#: its recorded input and the products it makes) is its main feed.
MAIN_FEED_SHARE = 0.5
#: The taxonomy families whose materials are fuels (burnt for their heat, one for another):
#: not biomass, which is as often a feedstock (bagasse to a pulp mill, molasses to a
#: distillery), nor crude oil (a refinery's feed).
FUEL_FAMILIES = frozenset({"fuel", "fuel gases", "oil"})
#: The least score of a taxonomy match that groups two names (the ``contains`` rule,
#: 0.6, does not: "iron ore pellets" is not iron ore for a blast furnace).
_LEAST_SCORE = 0.8
_PRODUCT = CATEGORIES.index("product")
#: Main feeds are materials: steam, waste heat or reclaimed water are utilities.
_MASS = DIMENSIONS.index("mass")


@functools.cache
def input_taxonomy() -> Taxonomy:
    """The shipped taxonomy with its primary materials (``primary.csv``: ores,
    concentrates and crude oil), read once per process."""
    text = resources.files("symbiosis.taxonomy").joinpath("primary.csv").read_text("utf-8")
    return default_taxonomy().merged(parse_taxonomy(text, "primary.csv"))


def material_groups(core: Core) -> np.ndarray:
    """Per flow of ``core``, the code of its material group (module docstring): equal
    codes, one material; -1 for a flow without material. Cached on the core."""
    return core.cached(("material_groups",), lambda: _groups(core))


def _resolved(core: Core) -> list:
    """Per material name of ``core``, its taxonomy material (None below the least score).
    Cached on the core."""

    def build() -> list:
        taxonomy = input_taxonomy()
        found = [taxonomy.resolve(str(name)) for name in core.materials]
        return [m if m is not None and m.score >= _LEAST_SCORE else None for m in found]

    return core.cached(("resolved_inputs",), build)


def group_material(core: Core, code: int) -> str | None:
    """The taxonomy material that the material name of code ``code`` resolves to (the
    rules scoring :data:`_LEAST_SCORE` or more), None when it resolves to none (its group
    is then its material key). Cached per core."""
    found = _resolved(core)[code]
    return None if found is None else str(found.material)


def fuel_flows(core: Core) -> np.ndarray:
    """Per flow of ``core``: whether its material is a fuel, a material of the taxonomy's
    :data:`FUEL_FAMILIES` (coal, coke, refuse-derived fuel, fuel gases, fuel and waste
    oils). Cached on the core. O(F)."""

    def build() -> np.ndarray:
        fuel = [m is not None and m.family in FUEL_FAMILIES for m in _resolved(core)]
        return np.append(np.array(fuel, dtype=bool), False)[core.material_code]

    return core.cached(("fuel_flows",), build)


def _groups(core: Core) -> np.ndarray:
    named = [None if m is None else m.material for m in _resolved(core)]
    materials = sorted({m for m in named if m is not None})
    number = {m: i for i, m in enumerate(materials)}
    by_name = np.array([-1 if m is None else number[m] for m in named], dtype=np.int64)
    key = core.material_key_code.astype(np.int64)
    resolved = np.append(by_name, -1)[core.material_code]  # -1 code: the appended -1
    # a resolved name: past every material key; else its key
    return np.where(resolved >= 0, len(core.material_keys) + resolved, key)


def throughflows(core: Core, close_balances: bool = True) -> np.ndarray:
    """``x[k, d]``: node k's throughflow in dimension d, ``max(in, out)`` of its flows of
    known size (only the inflow with ``close_balances=False``); 0 in a dimension with no
    flow of known size. O(F) per dimension."""
    x = np.zeros((core.n_nodes, len(DIMENSIONS)))
    for index, name in enumerate(DIMENSIONS):
        sums = core.node_sums(name)
        x[:, index] = np.maximum(sums.inflow, sums.outflow) if close_balances else sums.inflow
    return x


def main_feeds(core: Core) -> np.ndarray:
    """Per flow of ``core``: whether it belongs to a main feed of its receiver (module
    docstring: at least half of what it processes in mass). Households (no technology),
    extraction actors (origins) and treatment plants (they treat what comes, each residue
    by its share) have none. Cached on the core. O(F log F)."""
    return core.cached(("main_feeds",), lambda: _main_feeds(core))


def _processed(core: Core) -> np.ndarray:
    """Per node, what it processes in mass: the larger of what it takes and the products
    it makes, not its throughflow ``max(in, out)``. Residue outputs swollen by an
    unrecorded input (the water of a distillery's vinasse, the air of a boiler's CO2) say
    nothing of it: a distillery fed on molasses alone kept 81 % of its output with half of
    it. Products do: a cement works that records only the slag it takes, beside the cement
    it makes, processes far more than the slag (its clinker's raw meal is unrecorded). O(F)."""
    products = (core.category == _PRODUCT) & (core.dimension == _MASS) & (core.value > 0)
    made = np.bincount(core.source[products], core.value[products], minlength=core.n_nodes)
    return np.maximum(core.node_sums(DIMENSIONS[_MASS]).inflow, made)


def _main_feeds(core: Core) -> np.ndarray:
    group = material_groups(core)
    target = core.target
    sized = (core.dimension >= 0) & (core.value > 0) & core.target_is_actor
    for role in ("household", "extraction", "treatment"):
        sized &= ~core.has_role(target, role)
    residue = sized & (core.category != _PRODUCT) & (group >= 0) & (core.dimension == _MASS)
    width = len(DIMENSIONS)
    span = np.int64(group.max(initial=-1) + 2) * width
    rows = np.flatnonzero(residue)
    keys = target[rows] * span + (group[rows] + 1) * width + core.dimension[rows]
    unique, inverse = np.unique(keys, return_inverse=True)
    total = np.bincount(inverse, core.value[rows], minlength=len(unique))
    node = unique // span
    x = _processed(core)[node]
    large = (x > 0) & (total >= MAIN_FEED_SHARE * x * (1.0 - 1e-12))
    # the actor takes no product of the material in the dimension, whatever its size
    product = (core.category == _PRODUCT) & core.target_is_actor & (core.unit_dimension >= 0)
    taken = target[product] * span + (group[product] + 1) * width + core.unit_dimension[product]
    large &= ~np.isin(unique, taken)
    found = np.zeros(core.n_flows, dtype=bool)
    found[rows] = large[inverse.ravel()]
    return found
