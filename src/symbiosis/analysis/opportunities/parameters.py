"""The opportunities pass's parameters checked, and its demand rows read: what
:func:`~symbiosis.analysis.opportunities.find_opportunities` checks before it computes
anything. O(1), and O(d) for d demand rows."""

from __future__ import annotations

import warnings
from pathlib import Path

from ...arguments import Arguments
from ...catalogue import Catalogue
from ...errors import SymbiosisWarning
from ...io.demands import Demand, check_demands
from ...model import FlowNetwork
from ...taxonomy import Taxonomy
from .result import FATES, KINDS, RANK_BY

__all__ = ["MAX_RECEIVERS_PER_STREAM", "check_parameters", "demand_rows"]


def demand_rows(demands, network: FlowNetwork, taxonomy: Taxonomy | None) -> tuple[Demand, ...]:
    """The demand rows (read from a file when a path is given) checked against the
    network (:func:`symbiosis.io.demands.check_demands`): :class:`InputError` with every
    problem of the file and against the network. The warnings of a file are issued as
    :class:`~symbiosis.errors.SymbiosisWarning` (the command line checks its file as it
    reads its inputs, prints them once, and passes the rows)."""
    if demands is None:
        return ()
    checked = check_demands(demands, network, taxonomy)
    if isinstance(demands, str | Path):
        for warning in checked.warnings:
            warnings.warn(warning, SymbiosisWarning, stacklevel=3)
    return checked.rows


#: At most this many receivers per stream and receiving sector: each is a candidate row
#: of every stream (10 million took 7 s and 2 GB on a network of 28 firms).
MAX_RECEIVERS_PER_STREAM = 1_000


def check_parameters(top, max_distance_km, per_stream, kinds, fates, rank_by, **more):
    """The options checked, every problem in one :class:`InputError`: ``kinds`` and
    ``fates`` as tuples (one name given as a string is one name), or None."""
    check = Arguments()
    check.whole("top", top, minimum=0)
    check.number("max_distance_km", max_distance_km, above=0, infinite=True, none=True)
    check.whole("receivers_per_stream", per_stream, minimum=1, maximum=MAX_RECEIVERS_PER_STREAM)
    kinds = check.names("kinds", kinds, KINDS)
    fates = check.names("fates", fates, FATES)
    check.choice("rank_by", rank_by, RANK_BY)
    check.flag("impact", more["impact"])
    check.flag("table", more["table"])
    check.instance("catalogue", more["catalogue"], Catalogue)
    check.instance("taxonomy", more["taxonomy"], Taxonomy | str | Path,
                   what="a Taxonomy or the path of a taxonomy file")  # fmt: skip
    demands = more["demands"]
    if not (demands is None or isinstance(demands, str | Path) or (
        isinstance(demands, tuple | list) and all(isinstance(d, Demand) for d in demands)
    )):  # fmt: skip
        check.add(f"demands must be the path of a demands file, a list of Demand rows or "
                  f"None (got {type(demands).__name__})")  # fmt: skip
    check.instance("currency", more["currency"], str, what="text")
    check.check()
    return kinds, fates
