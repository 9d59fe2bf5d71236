"""The firms of the yearly networks and their roles, from the operations they receive by.

A receiver's tonnes have the fate its operations give them (Directive 2008/98/EC): those
received by a recovery operation (R) are recovered, those received by a disposal operation
(D) disposed of or treated. Each receiver is one node per fate class it receives by:

- only R operations, or only D operations: one node, its id as the register writes it;
- both: the id for its recovery (an actor), and ``ID:disposal`` (name ``NAME
  (disposal)``) for its disposal, so that ``symbiosis reuse`` counts the D tonnes as
  treated or disposed, as the recovery rate does, rather than as reused.

The role of each node: the kind of operation that received most of its tonnes over all
years (one role per node, so that the years compare):

==============  ===================================================  =====================
kind            operations                                           role
==============  ===================================================  =====================
energy          R1                                                   ``utility``
recovery        R2-R13, R                                            ``recycling``
treatment       D8, D9                                               ``treatment``
preliminary     D13-D15 (blending, repackaging, storage)             ``treatment`` when the
                                                                     receiver sends waste
                                                                     on (a transfer
                                                                     station), else
                                                                     ``disposal``
disposal        D10, D11 (incineration), most of its disposal        ``treatment`` when the
                                                                     receiver sends waste
                                                                     on (its bottom and fly
                                                                     ash), else ``disposal``
disposal        D1-D7, D12, D                                        ``disposal``
==============  ===================================================  =====================

An incinerator (D10) that ships its residues (bottom ash to backfilling, fly ash to a salt
mine) transforms what it burns: an actor, whose intake is treated and whose residues are
generated in the network (as a boundary node, its bottom ash read as an import into the
system). What the register shows decides: the receiver sends shipments itself. A landfill
(D1) that sends its leachate to a treatment plant stays ``disposal``: its landfilled tonnes
are disposed of, not transformed; what it sends is a flow out of a boundary node. A
receiver abroad (``abroad``: another country than the register's) is outside the network:
its recovery node is ``market`` (exported, sold), its disposal node ``disposal``. The
register's stated role (``receiver_role``) overrides all this: one node, that role. A
firm that only sends is a ``firm``; the rows a firm ships to itself (an on-site operation,
or a wrong id) give it no role of receiver (:mod:`.notes` warns of them).

Complexity: O(g log g) for g summed flows (grouping and sorting).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..vocabulary import canonical_role
from .codes import OPERATIONS, PRELIMINARY

__all__ = ["DISPOSAL_SUFFIX", "INCINERATION", "KINDS", "Nodes", "nodes"]

#: Incineration on land and at sea (Directive 2008/98/EC, Annex I): residues come out.
INCINERATION = frozenset({"D10", "D11"})

#: The id of a receiver's disposal node is its id with this suffix (when it also recovers).
DISPOSAL_SUFFIX = ":disposal"


def _kind(operation: str) -> str:
    if operation == "R1":
        return "utility"
    if operation.startswith("R"):
        return "recycling"
    if operation in ("D8", "D9"):
        return "treatment"
    return "preliminary" if operation in PRELIMINARY else "disposal"


#: The kind of each operation (see the module docstring).
KINDS: dict[str, str] = {operation: _kind(operation) for operation in OPERATIONS}


@dataclass(frozen=True)
class Nodes:
    """The firms table (``id``, ``name``, ``sector``, ``role``) and the node each summed
    flow goes to (``targets``, aligned with the summed rows)."""

    firms: pd.DataFrame
    targets: np.ndarray


def nodes(summed: pd.DataFrame, names: pd.Series | None = None) -> Nodes:
    """The firms and targets of the summed shipments ``summed`` (columns ``sender``,
    ``receiver``, ``op``, ``tonnes``, the names and sector, ``receiver_role``, and
    ``abroad`` when the register gives countries) and ``names``, each firm's name
    (:func:`.names.chosen_names`; without it, the greatest). Raises InputError on a stated
    role that is not one. O(g log g)."""
    stated = _stated_roles(summed)
    senders = set(summed["sender"])
    part = np.where(summed["op"].str.startswith("R"), "recovery", "disposal")
    # a shipment to itself (on-site, or a wrong id) gives its sender no role of receiver
    other = (summed["sender"] != summed["receiver"]).to_numpy()
    parts = pd.DataFrame({"receiver": summed["receiver"], "part": part})[other]
    parts = parts.drop_duplicates()
    counts = parts.groupby("receiver")["part"].size()
    split = set(counts.index[counts > 1]) - set(stated.index)
    disposal_ids = _disposal_ids(split, senders | set(summed["receiver"]))
    split_rows = summed["receiver"].isin(split).to_numpy() & (part == "disposal")
    targets = np.where(split_rows, summed["receiver"].map(disposal_ids), summed["receiver"])
    roles = _roles(summed.assign(node=targets, part=part)[other], senders)
    roles.update(stated)
    ids = pd.Index(sorted(senders | set(targets)))
    role = pd.Series("firm", index=ids, dtype=object)
    role.loc[roles.index] = roles
    return Nodes(_table(summed, ids, role, disposal_ids, names), targets)


def _roles(received: pd.DataFrame, senders: set[str]) -> pd.Series:
    """Node -> role: the kind of operation with most tonnes (ties: by name), as the
    module docstring's table says; abroad, ``market`` or ``disposal``."""
    received = received.assign(kind=received["op"].map(KINDS))
    by_kind = received.groupby(["node", "receiver", "part", "kind"])["tonnes"].sum()
    main = (
        by_kind.reset_index()
        .sort_values(["node", "tonnes", "kind"], ascending=[True, False, True])
        .drop_duplicates("node")
        .set_index("node")
    )
    forwards = main["receiver"].isin(senders)
    role = main["kind"].where(main["kind"] != "preliminary", "disposal")
    role[(main["kind"] == "preliminary") & forwards] = "treatment"
    # an incinerator that ships its residues on: most of its disposal tonnes burnt
    disposed = received[received["kind"] == "disposal"]
    burnt = disposed["op"].isin(INCINERATION)
    of_node = disposed["tonnes"].groupby(disposed["node"]).sum()
    burnt_of_node = disposed["tonnes"].where(burnt, 0.0).groupby(disposed["node"]).sum()
    incinerator = main.index.map(burnt_of_node).fillna(0) * 2 > main.index.map(of_node).fillna(0)
    role[(main["kind"] == "disposal") & forwards & incinerator] = "treatment"
    if "abroad" in received:
        abroad = received["abroad"].notna() & (received["abroad"] != "")
        foreign = abroad.groupby(received["receiver"]).any()
        outside = main["receiver"].map(foreign).fillna(False).astype(bool)
        exported = pd.Series(np.where(main["part"] == "recovery", "market", "disposal"),
                             index=main.index)  # fmt: skip
        role = role.where(~outside, exported)
    return role


def _disposal_ids(receivers: set[str], taken: set[str]) -> dict[str, str]:
    """``ID:disposal`` for each receiver; ``ID:disposal2`` ... when the register already
    has that id. O(receivers)."""
    ids = {}
    for receiver in sorted(receivers):
        candidate, number = f"{receiver}{DISPOSAL_SUFFIX}", 1
        while candidate in taken:
            number += 1
            candidate = f"{receiver}{DISPOSAL_SUFFIX}{number}"
        taken.add(candidate)
        ids[receiver] = candidate
    return ids


def _table(
    summed: pd.DataFrame,
    ids: pd.Index,
    role: pd.Series,
    disposal_ids: dict[str, str],
    names: pd.Series | None = None,
) -> pd.DataFrame:
    name = (
        names
        if names is not None
        else _first(summed, "sender", "sender_name").combine_first(
            _first(summed, "receiver", "receiver_name")
        )
    )
    name = name.reindex(ids).fillna(pd.Series(ids, index=ids))
    for receiver, node in disposal_ids.items():
        name[node] = f"{name.get(receiver, receiver)} (disposal)"
    sector = _first(summed, "sender", "sender_sector").reindex(ids).fillna("")
    firms = pd.DataFrame({"id": ids.astype(str)})
    firms["name"] = name.to_numpy()
    firms["sector"] = sector.to_numpy()
    firms["role"] = role.to_numpy()
    return firms.sort_values("id", kind="stable").reset_index(drop=True)


def _first(summed: pd.DataFrame, key: str, column: str) -> pd.Series:
    """The greatest non-empty ``column`` per ``key`` (one value per firm)."""
    given = summed[[key, column]].dropna()
    return given.groupby(key, sort=False)[column].max()


def _stated_roles(summed: pd.DataFrame) -> pd.Series:
    stated = _first(summed, "receiver", "receiver_role")
    canonical = stated.map(lambda text: canonical_role(str(text)))
    wrong = stated[canonical.isna()]
    if len(wrong):
        raise InputError(
            [
                Problem(
                    "register",
                    None,
                    "receiver_role",
                    f"{text!r} (for {firm!r}) is not a role",
                    "use firm, recycling, treatment, utility, disposal, ... (README: roles)",
                )
                for firm, text in wrong.items()
            ]
        )
    return canonical
