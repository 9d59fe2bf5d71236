"""Edits: small, validated changes to a network, applied to a copy.

An *edit* is a frozen dataclass that says one thing to change: add or remove a firm, add,
remove, scale or redirect a flow, scale every flow of a material. :func:`apply` checks
each edit against the network as it stands after the previous ones and returns a new
:class:`~symbiosis.model.FlowNetwork`; the input network is never modified. The
opportunity engine (:mod:`symbiosis.analysis.opportunities`) turns each opportunity into
edits to measure its impact, and scenario files are lists of edits.

==================  ==========================================================================
edit (TOML table)   effect
==================  ==========================================================================
``add_firm``        a new node: ``id``, optional ``name``, ``sector``, ``role`` (default
                    ``firm``; any role or alias of :mod:`symbiosis.vocabulary`), ``lat``,
                    ``lon``
``add_flow``        a new flow ``source -> target`` of ``material``, ``quantity`` (omit it for
                    a link of unknown size) in ``unit``, ``category`` (default ``by-product``),
                    optional ``substitutable`` (true or false, as ``mark_flow``); merged into
                    the one live flow with the same source, target, material, category and
                    unit, of known size (a link of unknown size: into the one such link of
                    unknown size); the merged flow is hazardous when either part is, and
                    takes the ``substitutable`` mark given (:mod:`symbiosis._edit_columns`)
``redirect``        move ``quantity`` (in ``unit``, default the flow's own unit; omit it to
                    move the whole flow) of the flow ``source -> target`` of ``material`` to a
                    new target ``to``; the moved part keeps the material, unit, year, price
                    and ``hazardous`` mark and takes ``category`` if given, but not a
                    ``substitutable`` mark (it goes to another receiver); merged like
                    ``add_flow``
``scale_flow``      multiply the flow(s) ``source -> target`` of ``material`` by ``factor``
                    (>= 0; 0 stops the flow: it is removed), and its bounds
                    ``quantity_low``, ``quantity_high`` with it
``scale_material``  multiply every flow of ``material`` by ``factor``, optionally only those
                    from ``source`` and/or to ``target``
``mark_flow``       mark the flow(s) ``source -> target`` of ``material`` ``substitutable =
                    true`` (its receiver makes up for its loss: it never limits the receiver in
                    a supply shock) or ``false`` (the shock model's rule); the flow column
                    ``substitutable`` (:mod:`symbiosis.io.substitutable`)
``remove_flow``     delete the flow(s) ``source -> target`` of ``material``
``remove_firm``     delete a node and every flow to or from it
==================  ==========================================================================

Flows are selected by ``source``, ``target`` and ``material`` (matched on
:func:`~symbiosis.vocabulary.material_key`, so ``Copper Slags`` selects ``copper slag``);
``row`` (the flow's row number in flows.csv, as error messages show it) picks one flow
when several match. ``redirect`` needs exactly one flow; the others act on all matches.
Every selector must match at least one flow.

Scenario files (TOML)
    A scenario file holds arrays of tables named as above, for example::

        title = "Plasterboard plant"

        [[add_firm]]
        id = "NEW_PLASTERBOARD"
        sector = "plasterboard"

        [[redirect]]
        source = "LG"
        target = "PGS"
        material = "phosphogypsum"
        to = "NEW_PLASTERBOARD"
        quantity = 1100000
        unit = "t"

    Because TOML keeps the order inside one array but not across arrays, edits are applied
    in this fixed order of tables (:data:`TABLE_ORDER`): ``add_firm``, ``add_flow``,
    ``redirect``, ``scale_flow``, ``scale_material``, ``mark_flow``, ``remove_flow``,
    ``remove_firm``;
    within a table, in file order. :func:`to_toml` writes edits in that order and
    :func:`sort_edits` puts a list in it, so that writing and reading a list gives the
    same network. Top-level ``title`` and ``description`` strings are allowed.
    :func:`edits_from_tables` turns a parsed file (``tomllib.load``) into edits.

Complexity: each edit is O(f) for f flows (vectorised masks over the flow table), plus
one copy of the tables per :func:`apply` call, so a scenario of k edits costs O(k f).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._edit_state import _State
from ._edit_toml import check_texts, scenario_text
from ._edit_types import (
    EDIT_TYPES,
    TABLE_ORDER,
    AddFirm,
    AddFlow,
    Edit,
    MarkFlow,
    RedirectFlow,
    RemoveFirm,
    RemoveFlow,
    ScaleFlow,
    ScaleMaterial,
)
from .errors import InputError, Problem, SymbiosisWarning
from .model import FlowNetwork, require_network

__all__ = [
    "EDIT_TYPES",
    "TABLE_ORDER",
    "AddFirm",
    "AddFlow",
    "Edit",
    "MarkFlow",
    "RedirectFlow",
    "RemoveFirm",
    "RemoveFlow",
    "ScaleFlow",
    "ScaleMaterial",
    "apply",
    "apply_noted",
    "edits_from_tables",
    "sort_edits",
    "to_toml",
]


# ============================================================================ applying


def apply(network: FlowNetwork, edits: Iterable[Edit], *, file: str = "edits") -> FlowNetwork:
    """Apply ``edits`` in order to a copy of ``network`` and return the new network.

    Parameters
    ----------
    network : FlowNetwork
        Left unchanged.
    edits : iterable of Edit
        Applied one after the other; each sees the result of the previous ones.
    file : str
        Named in error messages for edits without a ``where``.

    Returns
    -------
    FlowNetwork
        With the same warnings and source files as ``network``.

    Raises
    ------
    InputError
        At the first edit that does not fit the network (unknown firm, no matching flow,
        negative factor ...), naming the edit; nothing is returned half-applied.

    Warns
    -----
    SymbiosisWarning
        For an edit that applies but changes nothing: a ``ScaleFlow`` or
        ``ScaleMaterial`` of flows none of which has a known quantity.

    Notes
    -----
    O(k f) for k edits and f flows; the tables are copied once.
    """
    applied, notes = apply_noted(network, edits, file=file)
    for note in notes:
        warnings.warn(str(note), SymbiosisWarning, stacklevel=2)
    return applied


def apply_noted(
    network: FlowNetwork, edits: Iterable[Edit], *, file: str = "edits"
) -> tuple[FlowNetwork, list[Problem]]:
    """:func:`apply`, and its warnings as located problems (not issued): for a caller
    that reports them itself (a scenario file, at its lines). Same cost."""
    require_network(network)
    if isinstance(edits, Edit) or not isinstance(edits, Iterable):
        raise InputError(
            f"{file}: edits must be a list of edits (got {type(edits).__name__}); "
            "e.g. [RemoveFirm('SMELT')]"
        )
    state = _State(network, file)
    for number, edit in enumerate(edits, start=1):
        if not isinstance(edit, Edit):
            raise InputError(f"{file}: edit #{number} is a {type(edit).__name__}, not an Edit")
        state.number = number
        edit._apply(state)
        state.bounded(edit)
    return state.network(), state.notes


def sort_edits(edits: Iterable[Edit]) -> list[Edit]:
    """The edits in the order a scenario file applies them (:data:`TABLE_ORDER`, stable)."""
    rank = {name: i for i, name in enumerate(TABLE_ORDER)}
    return sorted(edits, key=lambda edit: rank[edit.table])


def to_toml(
    edits: Sequence[Edit],
    *,
    title: str | None = None,
    description: str | None = None,
    comments: Sequence[str | None] | None = None,
) -> str:
    """Write edits as a scenario file (TOML text), in :data:`TABLE_ORDER`.

    ``comments`` (one per edit, or ``None``) are written as ``#`` lines above each table,
    one per line of the comment; TOML allows no control character in a comment, so each
    (and each bidi control) is written as an escape (``\\x1b``, ``\\u202e``), see
    :mod:`symbiosis._edit_toml`. Whatever the names hold, the text is valid TOML, and
    reading it back with :func:`edits_from_tables` gives equal edits.
    """
    edits = list(edits)
    check_texts(edits, Edit, title, description, comments)
    notes = list(comments) if comments is not None else [None] * len(edits)
    if len(notes) != len(edits):
        raise InputError("to_toml: one comment per edit")
    rank = {name: i for i, name in enumerate(TABLE_ORDER)}
    order = sorted(range(len(edits)), key=lambda i: rank[edits[i].table])
    tables = ((edits[i].table, edits[i].to_dict(), notes[i]) for i in order)
    return scenario_text(tables, title=title, description=description)


def edits_from_tables(data: Mapping[str, Any], *, file: str = "scenario") -> list[Edit]:
    """Turn a parsed scenario file (``tomllib.load``) into edits, in application order.

    Every problem (unknown table or key, missing key) is reported at once as an
    :class:`InputError`; locations read ``file: [[table]] #n``.
    """
    edits, problems = read_tables(data, file=file)
    if problems:
        raise InputError(problems)
    return edits


def read_tables(
    data: Mapping[str, Any], *, file: str = "scenario"
) -> tuple[list[Edit], list[Problem]]:
    """The edits of a parsed scenario file (application order) and the problems of its
    tables and keys. A table with unknown keys still gives its edit (without them), so
    that checking it against a network can find the rest of its problems; a table with
    a required key missing, or an entry that is not a table, gives none."""
    problems: list[Problem] = []
    edits: list[Edit] = []
    for key, value in data.items():
        if key in ("title", "description"):
            if not isinstance(value, str):
                problems.append(Problem(file, None, key, "must be a string"))
            continue
        if key not in EDIT_TYPES:
            problems.append(
                Problem(file, None, key, "unknown table", "use " + ", ".join(TABLE_ORDER))
            )
            continue
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            problems.append(Problem(file, None, key, f"write it as [[{key}]] tables"))
    for table in TABLE_ORDER:
        entries = data.get(table)
        if not isinstance(entries, list):
            continue
        for number, entry in enumerate(entries, start=1):
            if isinstance(entry, dict):
                where = f"{file}: [[{table}]] #{number}"
                edit, found = EDIT_TYPES[table].read(entry, where=where)
                problems.extend(found)
                edits.extend([edit] if edit is not None else [])
    return edits, problems
