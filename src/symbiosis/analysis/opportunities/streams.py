"""Streams: the flows that leave the system from an actor, with their fate.

Everything here works on the network's columnar core (:class:`~symbiosis.core.Core`):
node positions and integer codes, never the pandas string columns, except the few
optional columns the core does not hold (``quantity``, ``row``, ``price``,
``material_code``), read once for the leaving flows only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, partial

import numpy as np
import pandas as pd

from ..._sorting import lexorder
from ..._sorting import unique as sorted_unique  # a sort: np.unique hashes slowly
from ...catalogue import normalise_code
from ...core import Core
from ...model import FlowNetwork
from ...units import DIMENSIONS
from ...vocabulary import CATEGORIES, RESIDUAL_CATEGORIES, ROLES
from .._utility_inputs import utility_inputs
from ..reuse import FATE_OF_ROLE
from .result import DEFAULT_FATES, FATES

__all__ = [
    "Streams",
    "by_fate",
    "data_order",
    "find_streams",
    "own_targets",
    "sorted_unique",
]

_PRODUCT = CATEGORIES.index("product")
_MARKET = ROLES.index("market")
_TREATMENT = ROLES.index("treatment")


@dataclass(frozen=True, eq=False)
class Streams:
    """The streams leaving actors, as arrays indexed 0..s-1, in an order of the data, not
    of the rows of flows.csv (:func:`data_order`): every later order of the pass breaks
    its last ties by stream.

    ``flow`` is the row position in ``network.flows``; ``source_position`` and
    ``target_position`` are node positions; ``key_code``, ``material_code`` and
    ``category`` are the core's codes; ``dimension`` indexes
    :data:`~symbiosis.units.DIMENSIONS` (-1 when the flow has none; it is known for a
    flow of unknown size too); ``fate_code`` indexes :data:`FATES`; ``group_order`` is
    0 for disposed or emitted, 1 for sold, 2 for products; ``ambiguous`` flags a stream
    that shares source, target and material key with another leaving flow (a selector
    then needs its row number). Text views (``source``, ``material``, ``key``, ``fate``,
    ...) are built on first use.
    """

    core: Core
    flow: np.ndarray
    source_position: np.ndarray
    target_position: np.ndarray
    key_code: np.ndarray
    material_code: np.ndarray
    category: np.ndarray
    quantity: np.ndarray
    value: np.ndarray
    dimension: np.ndarray
    row: np.ndarray
    fate_code: np.ndarray
    price: np.ndarray
    codes: np.ndarray | None  # normalised material codes per stream, None without the column
    ambiguous: np.ndarray
    group_order: np.ndarray
    flows: pd.DataFrame = field(repr=False)  # for the few text columns read on demand

    def __len__(self) -> int:
        return len(self.flow)

    @cached_property
    def source(self) -> np.ndarray:
        return self.core.ids[self.source_position]

    @cached_property
    def target(self) -> np.ndarray:
        return self.core.ids[self.target_position]

    @cached_property
    def material(self) -> np.ndarray:
        return self.core.materials[self.material_code]

    @cached_property
    def key(self) -> np.ndarray:
        return self.core.material_keys[self.key_code]

    @cached_property
    def fate(self) -> np.ndarray:
        return np.array(FATES, dtype=object)[self.fate_code]

    @cached_property
    def category_text(self) -> np.ndarray:
        return np.array(CATEGORIES, dtype=object)[self.category]

    def unit(self, stream: int) -> str | None:
        """The flow's own unit (as written in flows.csv) of one stream."""
        unit = self.flows["unit"].iat[int(self.flow[stream])]
        return unit if isinstance(unit, str) else None

    @cached_property
    def dimension_text(self) -> np.ndarray:
        """The dimension of each stream, ``None`` when it has none."""
        return np.array([*DIMENSIONS, None], dtype=object)[self.dimension]


def find_streams(network: FlowNetwork, treated: bool = False) -> Streams:
    """Flows from actors to boundary nodes: residues (by-product, waste, emission) to any
    boundary node, and products sold to the market. Fate by the receiving node's role
    (``disposed``, ``emitted``, ``sold``), ``product`` for products. With ``treated``, the
    residues an actor sends to another whose role is treatment too (fate ``treated``: a
    waste acid to a neutralisation station, oily sludge to a sludge plant), but the
    energy carriers it uses (:mod:`.._utility_inputs`: reused). A flow of
    quantity 0 is no stream (dropped, not counted: it carries nothing to reuse, and the
    loader's warning names its row already); one of unknown quantity is. O(f)
    vectorised over the core's arrays; only the streams' optional columns are read."""
    core = network.core
    leaving = core.source_is_actor & ~core.target_is_actor
    if treated:
        # not the steam, heat, power or fuel gas a treatment plant uses: that is reused
        to_treatment = (core.role_code[core.target] == _TREATMENT) & ~utility_inputs(core)
        leaving |= core.source_is_actor & to_treatment & (core.source != core.target)
    candidates = np.flatnonzero(leaving)
    category = core.category[candidates]
    target_role = core.role_code[core.target[candidates]]
    residual = np.isin(category, [CATEGORIES.index(c) for c in RESIDUAL_CATEGORIES])
    is_product = (category == _PRODUCT) & (target_role == _MARKET)
    # a placeholder of 0 t moved nothing: its candidates would be "0 t" (tester-oilports13
    # #7: Daqing's 0-t FGD gypsum ranked first of its group, before 1.2 Mt of fly ash)
    chosen = (residual | is_product) & (core.value[candidates] != 0)
    ambiguous = _ambiguous(core, candidates)[chosen]
    positions = candidates[chosen]
    order = data_order(core, positions)
    positions, ambiguous = positions[order], ambiguous[order]
    category, is_product, target_role = (a[chosen][order] for a in (category, is_product,
                                                                    target_role))  # fmt: skip
    fate_of_role = np.array([_fate_index(r) for r in ROLES], dtype=np.int8)
    fate = np.where(is_product, FATES.index("product"), fate_of_role[target_role])
    flows = network.flows
    return Streams(
        core=core,
        flow=positions,
        source_position=core.source[positions],
        target_position=core.target[positions],
        key_code=core.material_key_code[positions].astype(np.int64),
        material_code=core.material_code[positions],
        category=category,
        quantity=_column(flows, "quantity", positions, float),
        value=core.value[positions],
        dimension=_raw_dimension(network, positions),
        row=_column(flows, "row", positions, np.int64),
        fate_code=fate.astype(np.int8),
        price=_column(flows, "price", positions, float),
        codes=_material_codes(flows, positions),
        ambiguous=ambiguous,
        group_order=np.where(is_product, 2, np.where(target_role == _MARKET, 1, 0)),
        flows=flows,
    )


def by_fate(streams: Streams, treated: bool) -> dict[str, int]:
    """The number of streams of each fate of :data:`FATES`, in that order; ``treated``
    only when those streams were searched (the default results keep their keys). O(s)."""
    counts = np.bincount(streams.fate_code[streams.fate_code >= 0], minlength=len(FATES))
    return {fate: int(counts[i]) for i, fate in enumerate(FATES)
            if treated or fate in DEFAULT_FATES}  # fmt: skip


def own_targets(streams: Streams, candidates) -> np.ndarray:
    """Per candidate (:class:`.candidates.Candidates`), whether its receiver is the
    stream's own target: a stream sent to a treatment actor is never proposed back to it
    (a boundary node is never a receiver), such candidates are dropped. O(c)."""
    return candidates.receiver == streams.target_position[candidates.stream]


def data_order(core: Core, positions: np.ndarray) -> np.ndarray:
    """The order of the flows at ``positions`` (ascending) by their source's place in the
    firms table, their material key (alphabetical), their target's place, then their
    row: ties in every ranking are broken by the data, the same whatever the order of
    the rows of flows.csv (only flows of one source, target and material key keep their
    rows' order). O(k log k) for k flows, plus a sort of the distinct keys (cached)."""
    key_rank = core.cached(("opportunities", "key rank"), partial(_key_rank, core))
    key = core.material_key_code[positions]
    return lexorder(core.target[positions], key_rank[key], core.source[positions])


def _key_rank(core: Core) -> np.ndarray:
    """Each material key code's place among the keys in alphabetical order, and -1 for
    the code -1 (no key) at the end. O(k log k) for k distinct keys."""
    keys = core.material_keys.astype(str)
    rank = np.empty(len(keys) + 1, dtype=np.int64)
    rank[np.argsort(keys, kind="stable")] = np.arange(len(keys))
    rank[-1] = -1
    return rank


def _fate_index(role: str) -> int:
    fate = FATE_OF_ROLE.get(role)
    return FATES.index(fate) if fate in FATES else -1


def _column(flows: pd.DataFrame, name: str, positions: np.ndarray, dtype) -> np.ndarray:
    """One flows column at ``positions`` (NaN when the column is absent)."""
    if name not in flows:
        return np.full(len(positions), np.nan)
    column = flows[name]
    if dtype is object:  # take first: converting a million Arrow strings costs 0.1 s
        return column.take(positions).to_numpy(dtype=object)
    return column.to_numpy(dtype=dtype)[positions]


def _raw_dimension(network: FlowNetwork, positions: np.ndarray) -> np.ndarray:
    """The dimension code of each flow, including flows of unknown size (the core marks
    those -1; their unit still gives a dimension)."""
    dimension = network.core.dimension[positions].astype(np.int64)
    unknown = np.flatnonzero(dimension < 0)
    if len(unknown):
        text = network.flows["dimension"].take(positions[unknown]).to_numpy(dtype=object)
        dimension[unknown] = [DIMENSIONS.index(d) if d in DIMENSIONS else -1 for d in text]
    return dimension


def _material_codes(flows: pd.DataFrame, positions: np.ndarray) -> np.ndarray | None:
    """Normalised material codes per stream (a tuple each), from the optional
    ``material_code`` column; one normalisation per distinct cell."""
    if "material_code" not in flows:
        return None
    raw = flows["material_code"].take(positions).to_numpy(dtype=object)
    raw = np.where(pd.isna(raw), "", raw).astype(str)
    table = {t: tuple(normalise_code(c) for c in t.split(";") if c.strip()) for t in set(raw)}
    codes = np.empty(len(positions), dtype=object)
    codes[:] = [table[t] for t in raw]
    return codes


def _ambiguous(core: Core, out: np.ndarray) -> np.ndarray:
    """For each leaving flow: does another leaving flow share its source, target and
    material key? (A selector then needs the row number; flows to actors never share a
    target with a stream.) One sort of integer keys, O(k log k)."""
    keys = core.material_key_code[out].astype(np.int64)
    code = (core.source[out] * (core.n_nodes + 1) + core.target[out]) * (
        int(keys.max(initial=0)) + 1
    ) + keys
    order = np.argsort(code, kind="stable")
    ordered = code[order]
    same = np.r_[False, ordered[1:] == ordered[:-1]]
    duplicated = np.zeros(len(out), dtype=bool)
    duplicated[order] = same | np.r_[same[1:], False]
    return duplicated
