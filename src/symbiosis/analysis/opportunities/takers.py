"""Takers: receivers that cannot take what they are proposed, dropped.

The matching stages propose receivers by sector, by the substitutes a catalogue row names
and by what the network shows each actor takes. Some of those proposals are no takers at
all, whatever the rule that found them (:func:`non_takers`):

``surplus``
    A receiver that itself disposes of, sells raw or discharges as water a stream of the
    same material (its taxonomy material when the name resolves whole or without
    qualifiers, else its material key), at least a tenth of the stream's quantity, has a
    surplus of it: it is no taker. So has one that vents as much steam, whatever it runs.
    So has one that emits as much of another material to air, unless it runs the process
    that converts it (then what it emits is the tail of that process: an acid plant's tail
    gas, an oil field's heater CO2). Two iron-ore concentrators were
    proposed each other's tailings (3.0 and 1.45 Mt), two power plants each other's
    cooling-tower blowdown (30 and 22 Mm3), "closing a loop" twice: such a swap is never
    proposed. The stream's own source, proposed it back in-house (:mod:`.in_house`), is
    no such receiver: its disposal is the stream.
``drinking water``
    A residue of the water family (effluent, blowdown, mine water, wastewater) is never
    proposed to a household, nor to an actor that supplies water to households (a
    waterworks): they take drinking water, which no residue is.
``bought``
    A household (role ``household``: a final consumer) is proposed a residue by the
    network's evidence (:data:`.result.NETWORK_RULES`) only when it takes a residue (a
    by-product, waste or emission) of the stream's taxonomy family (of its material when
    it resolves to none) itself: firewood from a sawmill. What it buys (a product: district
    heat, gas, electricity) is its consumption, sized to its needs; another supply would
    displace its supplier's, not double it, and the supplier (a district-heating utility)
    is the receiver. Nordic households buying 1.08 PJ of district heat had been proposed
    another 1.08 PJ of a pulp mill's low-temperature heat, beside the utility that
    delivers it (:func:`bought`).
``fuel``
    A catalogue row whose role is ``fuel`` (sludge co-combustion, a kiln fuel) goes to an
    actor that burns fuels (:func:`_burns`: solid fuels, oils, fuel gases) only when it
    takes one in the stream's dimension, the same form: a gas-fired plant whose fuels
    are all counted in GJ burns no sludge counted in tonnes. An actor whose recorded
    intake holds no fuel at all is kept (a gap of the table: a cement works listed with
    its raw materials only).
``untreated``, ``other wastewater`` and ``treated water``
    A raw stream (sent to treatment, a raw wastewater or a spent liquor, whatever its
    fate) meets no receiver by the network's evidence of a related material or of a peer,
    nor by the taxonomy unless the receiver takes the same material; a raw wastewater goes
    to no treatment plant built for other wastewaters; a treated water goes by that
    evidence to no receiver whose water is all raw wastewater (a digester) (:mod:`.raw`).
``supplier``
    A stream goes to no actor that supplies its source with a material of its class,
    unless a catalogue row names that actor's process (:mod:`.suppliers`).
``swap``
    No two candidates propose a stream of one material class from A to B and from B to A
    (:func:`swaps`): only the larger goes to the smaller plant, of two of a size neither.
    A stream back to its own source (in-house) is no swap.
``own process``
    A catalogue row whose receiving sector holds the stream's source (not a collector)
    proposes no new link to a peer of the source, an actor of the same sectors
    (:func:`own_process`).
``mine water``
    A mine's mine water (the taxonomy's ``mine water``: pit, drainage, dewatering water)
    goes to no other mine, whatever the rule that proposed it: a mine has mine water of
    its own, the water it pumps, for its dust suppression and its concentrator, whether
    the table records it or not. A concentrator or a coal washery, a power plant, and a
    mine from a mine water treatment plant (its own water returned) still take it
    (:func:`mine_to_mine`).
``related``
    The network's ``takes a related material`` evidence (a taker of another material of
    the stream's family) is a claim that the stream substitutes that material. When the
    catalogue says what the stream substitutes as a fuel, utility or additive (the
    ``substitutes`` of its matched rows of such a role), the receiver must take one of
    those, by name: municipal solid waste (a kiln fuel for coal) is no coking coal for the
    coke ovens nor coke breeze for the sinter plant, and blowdown (make-up water for
    cooling towers) no river water for an ore concentrator.

Complexity: O(f + s log s) to index the surpluses, the fuels and the drinking-water
suppliers (one taxonomy lookup per distinct material key, one vocabulary scan per distinct
sector text), O(c) expected for c candidates (the surpluses in a hash table), plus O(p)
for the p (candidate, substitute) pairs of the related rows (one
:meth:`.receivers.Context.takes` each). No Python loop over
candidates: 0.02 s for 181,000 candidates at 100,000 flows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._sorting import sorted_values, unique
from ...units import DIMENSIONS
from ...vocabulary import CATEGORIES, ROLES
from .candidates import Candidates, Pairs
from .in_house import in_house_mask
from .intake import intake_class
from .materials import material_class, takes_class, taxonomy_classes, taxonomy_of
from .node_sectors import node_readings, text_sector_sets
from .pools import in_row_pools
from .raw import other_wastewater, treated_water, untreated
from .receivers import Context
from .result import NETWORK_RULES
from .suppliers import supplied_back

__all__ = ["non_takers", "swaps"]

_PRODUCT_FATE = 3  # FATES.index("product")
_PRODUCT_CATEGORY = CATEGORIES.index("product")
_SURPLUS_FATES, _EMITTED = (0, 2), 1  # disposed and sold; emitted (FATES)
_VOLUME = DIMENSIONS.index("volume")
_REDIRECT, _EXPAND, _NEW_LINK = 0, 1, 2  # KINDS.index of redirect, expand, new_link

#: A receiver that discharges at least this share of a stream's quantity of its material
#: has a surplus of it (:func:`surplus`).
SURPLUS_SHARE = 0.1
#: Taxonomy materials whose emission is a surplus whatever the emitter runs (:func:`surplus`).
VENTED = frozenset({"steam"})


def non_takers(ctx: Context, candidates: Candidates, pairs: Pairs) -> np.ndarray:
    """Per candidate, whether its receiver is no taker of the stream by the rules of one
    row (module docstring; not ``swap``, a rule of pairs of rows: :func:`swaps`, applied
    to the rows every other rule keeps): such candidates are dropped. ``pairs`` are the
    (stream, catalogue row) matches (:func:`.candidates.pathway_pairs`). Each row is
    judged alone, so the rows may be judged in parts. O(f + c log s + p)."""
    if not len(candidates):
        return np.zeros(0, dtype=bool)
    # the source itself, in-house: it disposes of the stream by definition (.in_house)
    dropped = surplus(ctx, candidates) & ~in_house_mask(candidates)
    dropped |= drinking_water(ctx, candidates)
    dropped |= bought(ctx, candidates)
    dropped |= unfired(ctx, candidates) | unrelated(ctx, candidates, pairs)
    dropped |= untreated(ctx, candidates) | own_process(ctx, candidates)
    dropped |= mine_to_mine(ctx, candidates) | other_wastewater(ctx, candidates)
    dropped |= treated_water(ctx, candidates) | supplied_back(ctx, candidates)
    return dropped


def surplus(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether its receiver itself disposes of, sells raw or discharges as
    water (emitted, in volume), in all, at least :data:`SURPLUS_SHARE` of the stream's
    quantity of the stream's material class (:func:`.materials.material_class`; any known
    amount when the stream's size is unknown), or emits as much of it to air while it runs
    no process that converts it (:func:`_converts`). A trace is no surplus (a cement plant
    that landfills a little off-spec fly ash); nor is the stack gas of a plant that converts
    the gas, what its process left (an acid plant's tail gas: it still takes a smelter's
    off-gas; an oil field that emits its heaters' CO2 still takes CO2 for injection). A
    plant that emits the gas and converts none of it has its own (a urea plant venting
    CO2 is no taker of another's CO2 by the network's related evidence).

    Steam emitted (:data:`VENTED`) is a surplus as water discharged is, whatever process
    the receiver runs: a boiler made it beyond its plant's use, of the grade the plant
    would take, and let it go; it is no tail of a process that converts it (a chemical
    plant uses steam, and vents what it has no use for). A chemical plant venting 50 t/h
    of surplus steam had been proposed a smelter's waste-heat steam, being of the steam
    rows' receiving sector (tester-parks10 defect 2). Low-grade heat released is not: it
    is where every use of energy ends, and a greenhouse that burns gas and releases its
    heat still takes waste heat. O(s log s + c) expected (a hash table of the s residues'
    codes)."""
    streams = ctx.streams
    emitted = streams.fate_code == _EMITTED
    water = streams.dimension == _VOLUME
    steam = np.append(_vented(ctx), False)[streams.key_code]  # key code -1: none
    let_go = emitted & (water | steam)
    residue = np.isin(streams.fate_code, _SURPLUS_FATES) | let_go
    found, stack = _discharges(ctx, candidates, (residue, emitted & ~let_go))
    stack = np.flatnonzero(stack & ~found)
    if len(stack):
        found[stack] = ~_converts(ctx, candidates, stack)
    return found


def _vented(ctx: Context) -> np.ndarray:
    """Per material key code, whether its taxonomy material is one of :data:`VENTED`.
    Cached on the core, per taxonomy; O(k) for k keys."""
    taxonomy = taxonomy_of(ctx)

    def build() -> np.ndarray:
        matches = taxonomy_classes(ctx)[4]
        return np.array([bool(m) and m.material in VENTED for m in matches], dtype=bool)

    return ctx.core.cached(("opportunities", "vented", taxonomy), build)


def _discharges(ctx: Context, candidates: Candidates, kinds) -> list[np.ndarray]:
    """Per mask of the streams in ``kinds``, per candidate, whether its receiver is the
    source of the streams of that mask of at least :data:`SURPLUS_SHARE` of the
    candidate's stream's quantity, in all, of its material class (any known amount for a
    stream of unknown size). Each candidate's code is made once for every mask.
    O(s log s + c) expected."""
    streams = ctx.streams
    klass = material_class(ctx)
    width = np.int64(2 * len(klass) + 1)
    key = streams.key_code[candidates.stream]
    asked = np.flatnonzero((candidates.receiver >= 0) & (key >= 0))
    wanted = candidates.receiver[asked].astype(np.int64) * width + klass[key[asked]]
    offered = SURPLUS_SHARE * streams.value[candidates.stream[asked]]
    masks = []
    for residue in kinds:
        residue = residue & (streams.key_code >= 0)
        residue &= streams.value > 0  # NaN: a discharge of unknown size tells nothing
        code = streams.source_position[residue].astype(np.int64) * width
        code += klass[streams.key_code[residue]]
        code, inverse = unique(code, return_inverse=True)  # numpy's hashes: 0.27 s at 1M
        discharged = np.bincount(inverse, weights=streams.value[residue], minlength=len(code))
        found = np.zeros(len(candidates), dtype=bool)
        if len(code) and len(asked):
            # a hash table of the few codes, not a binary search of each candidate's code:
            # 0.18 -> 0.02 s for 1.76 million candidates among 116,000 codes at 1M flows
            at = pd.Index(code).get_indexer(wanted)  # -1: no such discharge
            enough = ~(np.append(discharged, 0.0)[at] < offered)  # unknown size: any
            found[asked] = (at >= 0) & enough
        masks.append(found)
    return masks


def _converts(ctx: Context, candidates: Candidates, rows: np.ndarray) -> np.ndarray:
    """Per candidate of ``rows``, whether its receiver runs a process that converts the
    stream's material: it is of the receiving sector of the candidate's catalogue row that
    the row admits (:func:`.pools.in_row_pools`: an acid plant for ``so2-acid``), or it
    already takes a material of the stream's class. O(r) for r rows (a few)."""
    path, receiver = candidates.pathway[rows], candidates.receiver[rows]
    key = ctx.streams.key_code[candidates.stream[rows]]
    return in_row_pools(ctx, path, receiver) | takes_class(ctx, receiver, key)


def swaps(ctx: Context, candidates: Candidates, kept: np.ndarray) -> np.ndarray:
    """Per candidate of ``kept``, whether a kept candidate proposes the reverse (a stream of
    its receiver, of the same material class, to its stream's source) of a stream at least
    as large: of two plants that would each take the other's stream of a material, only
    the larger stream goes to the smaller plant (which is short of it; the other has its
    own in plenty), and of two of a size (or of a size unknown), neither. So no A -> B
    and B -> A is ever proposed. O(c) expected (a hash table of the codes)."""
    streams, core = ctx.streams, ctx.core
    found = np.zeros(len(candidates), dtype=bool)
    key = streams.key_code[candidates.stream]
    # an in-house row sends its stream back to its source: no swap with itself
    rows = np.flatnonzero(kept & (candidates.receiver >= 0) & (key >= 0)
                          & ~in_house_mask(candidates))  # fmt: skip
    if not len(rows):
        return found
    klass = material_class(ctx)
    width = np.int64(2 * len(klass) + 1)
    # only a receiver that is the source of a proposed stream of the class may swap: the
    # few such candidates found through a table of the streams' (source, class), not of
    # the candidates' (0.09 -> 0.03 s at 100,000 flows)
    offered = np.zeros(len(streams.value), dtype=bool)
    offered[candidates.stream[rows]] = True
    at_stream = np.flatnonzero(offered)
    sources = streams.source_position[at_stream].astype(np.int64) * width
    sources = pd.Index(unique(sources + klass[streams.key_code[at_stream]]))
    rows = rows[sources.get_indexer(candidates.receiver[rows] * width + klass[key[rows]]) >= 0]
    if not len(rows):
        return found
    source = streams.source_position[candidates.stream[rows]].astype(np.int64)
    receiver = candidates.receiver[rows].astype(np.int64)
    forward = (source * core.n_nodes + receiver) * width + klass[key[rows]]
    backward = (receiver * core.n_nodes + source) * width + klass[key[rows]]
    code, inverse = unique(forward, return_inverse=True)
    at = pd.Index(code).get_indexer(backward)  # -1: no reverse candidate
    reversed_ = np.flatnonzero(at >= 0)  # few
    if len(reversed_):
        value = streams.value[candidates.stream[rows]]
        largest = pd.Series(value).groupby(inverse).max().to_numpy()  # per forward code
        mine, theirs = value[reversed_], largest[at[reversed_]]
        found[rows[reversed_]] = ~(mine > theirs)  # NaN: unknown, dropped
    return found


def _water(ctx: Context) -> np.ndarray:
    """Per material key code, whether its taxonomy family is water."""
    matches = taxonomy_classes(ctx)[4]
    return np.array([bool(m) and m.family == "water" for m in matches], dtype=bool)


def drinking_water(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether it proposes a residue of the water family to a household or
    to an actor that supplies water to households. O(f + c)."""
    core, streams = ctx.core, ctx.streams
    water = np.append(_water(ctx), False)  # key code -1: no key
    household = core.role_code == ROLES.index("household")
    supplies = core.source_is_actor & household[core.target] & water[core.material_key_code]
    potable = household.copy()
    potable[core.source[supplies]] = True
    stream = candidates.stream
    residue = water[streams.key_code[stream]] & (streams.fate_code[stream] != _PRODUCT_FATE)
    receiver = candidates.receiver
    return residue & (receiver >= 0) & potable[np.maximum(receiver, 0)]


def bought(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether the network's evidence proposes a stream to a household
    that takes no residue (no product) of the stream's intake class
    (:func:`.intake.intake_class`: its taxonomy family, else its material) itself: what a
    household buys is its consumption, no evidence that it could take more (module
    docstring). O(c), and O(f) once some such candidate is found."""
    core = ctx.core
    found = np.zeros(len(candidates), dtype=bool)
    household = core.role_code == ROLES.index("household")
    if not household.any():
        return found
    network = [candidates.rules.index(r) for r in NETWORK_RULES if r in candidates.rules]
    rows = np.flatnonzero((candidates.pathway < 0) & (candidates.receiver >= 0))
    rows = rows[household[candidates.receiver[rows]]]
    rows = rows[np.isin(candidates.rule[rows], network)]
    if not len(rows):
        return found
    klass = intake_class(ctx)
    width = np.int64(int(klass.max(initial=-1)) + 1)
    into = household[core.target] & core.target_is_actor & (core.material_key_code >= 0)
    into &= core.category != _PRODUCT_CATEGORY
    taken = core.target[into].astype(np.int64) * width + klass[core.material_key_code[into]]
    key = ctx.streams.key_code[candidates.stream[rows]]
    wanted = candidates.receiver[rows].astype(np.int64) * width + klass[np.maximum(key, 0)]
    found[rows] = (key < 0) | (pd.Index(unique(taken)).get_indexer(wanted) < 0)
    return found


def unfired(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether it is a ``fuel`` row proposed to an actor (not as a
    redirect) that burns fuels (:func:`_burns`) but none in the stream's dimension: a
    plant that meters every fuel it takes in GJ or m3 burns gases, not a solid waste
    counted in tonnes. An actor with no fuel recorded is kept: a gap of the table, not
    a plant that burns nothing. O(f + c)."""
    role = ctx.catalogue.pathways["role"].to_numpy(dtype=object)
    fuel = np.append(role == "fuel", False)[candidates.pathway]  # pathway -1: no row
    rows = np.flatnonzero(fuel & (candidates.receiver >= 0) & (candidates.kind != _REDIRECT))
    found = np.zeros(len(candidates), dtype=bool)
    if not len(rows):
        return found
    burns = _burns(ctx)
    receiver = candidates.receiver[rows]
    dimension = ctx.streams.dimension[candidates.stream[rows]]
    in_form = (dimension >= 0) & burns[receiver, np.maximum(dimension, 0)]
    found[rows] = burns[receiver].any(axis=1) & ~in_form
    return found


def _burns(ctx: Context) -> np.ndarray:
    """Per node and dimension, whether the node takes a fuel in it: a material of a
    taxonomy family that the ``fuel`` rows of the catalogue both burn (their materials)
    and replace (their substitutes): the solid fuels, oils and fuel gases; not the clay a
    kiln fuel's ash replaces. O(f + catalogue)."""
    taxonomy, pathways = taxonomy_of(ctx), ctx.catalogue.pathways
    fuel = pathways["role"].to_numpy(dtype=object) == "fuel"

    def families(names) -> set[str]:
        return {m.family for m in map(taxonomy.resolve, dict.fromkeys(names)) if m}

    burnt = families(pathways["material"][fuel])
    replaced = families(k for keys in pathways["substitute_keys"][fuel] for k in keys)
    matches = taxonomy_classes(ctx)[4]
    is_fuel = np.array([*(bool(m) and m.family in burnt & replaced for m in matches), False])
    core = ctx.core
    into = core.target_is_actor & is_fuel[core.material_key_code] & (core.dimension >= 0)
    burns = np.zeros((core.n_nodes, len(DIMENSIONS)), dtype=bool)
    burns[core.target[into], core.dimension[into]] = True
    return burns


def unrelated(ctx: Context, candidates: Candidates, pairs: Pairs) -> np.ndarray:
    """Per candidate of the ``takes a related material`` evidence, whether the catalogue
    says what its stream substitutes as a fuel, utility or additive (the substitutes of
    its matched rows of a minor role, :data:`.receivers.MINOR_ROLES`, that some flow
    carries) and the receiver takes none of them (by material key: in that form).
    O(c log s + p)."""
    found = np.zeros(len(candidates), dtype=bool)
    related = NETWORK_RULES[2]
    if related not in candidates.rules or not len(pairs):
        return found
    rows = np.flatnonzero(candidates.rule == candidates.rules.index(related))
    if not len(rows):
        return found
    # the (stream, substitute) pairs of the matched rows of a minor role, in stream order
    count_of, start_of, known = ctx.substitutes_where(ctx.substitute_code >= 0)
    minor = ctx.minor_role[pairs.pathway]
    path = pairs.pathway[minor]
    count = count_of[path]
    pair_stream = np.repeat(pairs.stream[minor], count)
    flat = np.repeat(start_of[path] - (np.cumsum(count) - count), count)
    flat += np.arange(len(flat))
    substitute = ctx.substitute_code[known[flat]]
    stream = candidates.stream[rows]
    first = np.searchsorted(pair_stream, stream, side="left")
    many = np.searchsorted(pair_stream, stream, side="right") - first
    claimed = many > 0
    rows, first, many = rows[claimed], first[claimed], many[claimed]
    each = np.repeat(np.arange(len(rows)), many)
    at = np.repeat(first - (np.cumsum(many) - many), many) + np.arange(len(each))
    takes = ctx.takes(candidates.receiver[rows][each], substitute[at])
    taken = np.zeros(len(rows), dtype=bool)
    taken[each[takes]] = True
    found[rows] = ~taken
    return found


def own_process(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether a catalogue row whose receiving sector holds the stream's
    own source (it runs the process the row's plant belongs to) proposes a new link to
    a peer of the source, an actor whose sector names the same sectors: spent pickling
    liquor is regenerated by an acid regeneration plant at the pickling line that makes
    it, not shipped to the hot mill next door. An actor that already takes the material
    (expand) stays, and so does one that already takes another flow of the source (its
    partner: a blast furnace's sludge to the sinter plant that takes its dust, both
    "ironmaking"); a source whose role is ``recycling`` (a collector: shipping what it
    collects is its trade) is no such process. O(c + f log f)."""
    rows = np.flatnonzero((candidates.kind == _NEW_LINK) & (candidates.pathway >= 0))
    found = np.zeros(len(candidates), dtype=bool)
    source = ctx.streams.source_position[candidates.stream[rows]]
    collects = ctx.core.role_code[source] == ROLES.index("recycling")
    rows, source = rows[~collects], source[~collects]
    kind = _plant_kinds(ctx)
    receiver = candidates.receiver[rows]
    peers = np.flatnonzero((kind[source] >= 0) & (kind[source] == kind[receiver]))
    peers = peers[~_linked(ctx, source[peers], receiver[peers])]  # few: the peers only
    rows, source = rows[peers], source[peers]
    if len(rows):
        found[rows] = in_row_pools(ctx, candidates.pathway[rows], source)
    return found


def _linked(ctx: Context, source: np.ndarray, receiver: np.ndarray) -> np.ndarray:
    """Per pair, whether the network has a flow from ``source`` to ``receiver`` (node
    positions). O(f log f + p log f), nothing when there are no pairs."""
    if not len(source):
        return np.zeros(0, dtype=bool)
    core = ctx.core
    arcs = sorted_values(core.source.astype(np.int64) * core.n_nodes + core.target)
    pairs = source.astype(np.int64) * core.n_nodes + receiver
    at = np.minimum(np.searchsorted(arcs, pairs), max(len(arcs) - 1, 0))
    return (arcs[at] == pairs) if len(arcs) else np.zeros(len(pairs), dtype=bool)


def _plant_kinds(ctx: Context) -> np.ndarray:
    """Per node, a code shared by the actors whose readings (sector texts, with what their
    names add: :mod:`.node_sectors`) name the same set of sectors of the vocabulary (a
    cold mill and a steel rolling mill; -1: none). One scan of the vocabulary per distinct
    sector text. O(n)."""
    sets = text_sector_sets(ctx)
    index: dict[frozenset, int] = {}
    codes = [index.setdefault(s, len(index)) if s else -1 for s in sets]
    return np.append(np.array(codes, dtype=np.int64), -1)[node_readings(ctx)]


#: The sectors of a mine (a concentrator or a coal washery is a plant of its own)
_MINE_SECTORS = frozenset({"mining", "coal mining"})
_CONCENTRATOR = "ore concentration"


def mine_to_mine(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether it sends a mine's mine water to another mine that does not
    take mine water already (an ``expand`` stays: the table says it does). A mine is an
    actor whose sector names mining (``copper mine``, ``coal mining``, ``mining
    company``) and no other receiving sector; as a source, also one that names a
    concentrator beside it (``mining and concentration``). A receiver that names a
    concentrator or another sector (a power plant, a coal washery) is none, and neither
    is a source that treats mine water (``mine water treatment``: the mine's own water,
    returned). Tables rarely record a mine's own mine water, so the ``surplus`` rule
    cannot tell. O(n + c), one look at each distinct sector text."""
    found = np.zeros(len(candidates), dtype=bool)
    water = np.array([bool(m) and m.material == "mine water" for m in taxonomy_classes(ctx)[4]],
                     dtype=bool)  # fmt: skip
    stream = candidates.stream
    rows = np.flatnonzero(np.append(water, False)[ctx.streams.key_code[stream]]
                          & (candidates.receiver >= 0) & (candidates.kind != _EXPAND))  # fmt: skip
    if not len(rows):
        return found
    sets = text_sector_sets(ctx)
    mine = [bool(s & _MINE_SECTORS) and s <= _MINE_SECTORS for s in sets]
    beside = [bool(s & _MINE_SECTORS) and s <= _MINE_SECTORS | {_CONCENTRATOR} for s in sets]
    code = node_readings(ctx)
    receiver_is_mine = np.append(np.array(mine, dtype=bool), False)[code]
    source_is_mine = np.append(np.array(beside, dtype=bool), False)[code]
    source = ctx.streams.source_position[stream[rows]]
    found[rows] = source_is_mine[source] & receiver_is_mine[candidates.receiver[rows]]
    return found
