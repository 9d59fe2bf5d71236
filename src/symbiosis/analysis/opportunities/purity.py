"""CO2 grades: process CO2 that a liquefaction plant takes as it is, and combustion flue gas,
which needs a capture plant first.

The catalogue writes CO2 twice: ``high-purity CO2`` (rows ``co2pure-*``: liquefaction for
food and industrial use, greenhouses, urea; established, no capture step) and ``carbon
dioxide`` (rows ``co2-*``: "needs capture at the source"; demonstrated or emerging). A flow
of the taxonomy's carbon dioxide family has a *grade* (``pure``, ``part``, ``flue``), by its
name first, else by its source's sector (:mod:`.co2_sources`; a CO2 purifier's vent is
``flue``). A node that passes on what it receives, a *distributor* (one of
the role ``distributor``, or of no such sector with all its inputs of the family: a CO2
pipeline, a hub), sends out the grade of its intake (:func:`_sent_grades`): a pipeline fed
by a hydrogen unit and a bioethanol plant sends pure CO2, though its flows are named plain
``CO2``, and the greenhouses it supplies are pure takers. Otherwise a flow's grade is
unknown: the rows its name meets, as before.

What the grade changes, besides the rows a name meets:

- a ``pure`` stream meets the high-purity rows too (rule ``source process``), when its name
  (plain ``carbon dioxide``) did not, in place of its capture rows to the same sectors; and
  the capture rows of the sectors no high-purity row serves (rule ``taxonomy``), when its
  name (``high-purity CO2``) did not: a use that takes flue gas once captured takes pure CO2
  as it is (carbonation, a PCC plant), and an oil field takes it by ``co2pure-eor``
  (Ningdong's 13 Mt of Rectisol CO2 had met no EOR row, the power stations' flue gas had);
- a stream not known ``pure`` (``flue``, ``part`` or unknown) meets no high-purity row: the
  taxonomy's carbon dioxide is of either grade, and the synonyms of ``co2pure-gases``
  (``fermentation CO2``) made it a carbon dioxide row, so that ``waste carbon dioxide``,
  ``carbon dioxide gas``, 이산화탄소 and 炭酸ガス, resolved by the taxonomy, met it where
  plain ``carbon dioxide`` does not; a ``flue`` or ``part`` stream is no redirect of a
  *pure taker*'s purchase: an actor whose CO2 intake is all ``pure`` (:func:`pure_takers`);
- a ``flue`` stream is proposed to no pure taker by the network's evidence (dropped before
  that evidence gives its kind to a catalogue row: :func:`graded_evidence`): Kwinana's power
  station, cement kiln and alumina calciner had been offered to BOC (which purifies CSBP's
  ammonia-plant CO2) and to Alcoa's residue carbonation (which takes BOC's product), as
  established or demonstrated expansions, nine of the park's first 13 proposals;
- a ``part`` stream, or one of unknown grade, keeps that evidence, shown ``demonstrated`` at
  most (rule ``network: takes a purer grade``, :data:`.result.CAPPED_RULES`, ranked by its
  maturity like a catalogue row, not after the direct matches as the weak rules are), as a
  ``new_link`` of no size: only a hydrogen unit's CO2 would do, of no recorded size, so it
  ranks after the pure sources (Rotterdam's refineries had ranked first into OCAP, as
  expansions of 700 kt);
- a ``flue`` stream meets no capture row of a sector that wants food-grade CO2 (food and
  beverages: a capture plant and a merchant's purification stand between a stack and a
  bottler; Baotou's blast furnaces had been offered a new food plant);
- a stream not known ``pure`` is no ``expand`` of a pure taker's intake by its name either
  (:func:`graded_kinds`): the greenhouses a pure pipeline supplies take ``CO2`` by name, but
  what they take is pure (five stacks' CO2 had been their expansions, ranked #1-5);
- of rows of one size and maturity in a block, the ranking puts a stream that needs no
  capture plant before a ``flue`` or ``part`` one (:func:`grading`,
  :func:`.grades.graded_ties`); and to one receiver, the rows of CO2 short of its need (a
  ``flue`` or ``part`` stream; one of unknown grade on a capture row or to a pure taker)
  come in the round after the last of the pure CO2 offered to it, whatever their sizes
  (:func:`.grades.graded_rounds`: an oil field's 14 Mt of stack CO2 had ranked before an
  ammonia plant's 200 kt).

The other capture rows (``co2-*``) stay for every grade, and so do takers of CO2 of unknown
or flue-gas grade (a satellite PCC plant carbonating a mill's flue gas).

Complexity: one regular-expression search per distinct material key and per distinct
sector text, cached on the context; O(f) for the distributors and the pure takers (the
flows into actors), then O(d) a round for the d flows into distributors; O(c) for c
candidates, and O(p log p) for the p pairs when a stream is promoted.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ...catalogue.sectors import normalise_sector
from ...vocabulary import ROLES, material_key
from .candidates import BASE_RULES, Candidates, Pairs
from .co2_sources import BIOGENIC, FAMILY, FLUE, HIGH_PURITY, PART, PURE, UNKNOWN, vents
from .co2_sources import key_grades as _key_grades
from .co2_sources import node_grades as _node_grades
from .co2_sources import pure_rows as _pure_rows
from .grades import Grading
from .materials import TAXONOMY_RULES
from .receivers import Context
from .result import CAPPED_RULES, SOURCE_RULE

__all__ = [
    "FLUE",
    "HIGH_PURITY",
    "PART",
    "PURE",
    "UNKNOWN",
    "graded_evidence",
    "graded_kinds",
    "grading",
    "off_grade",
    "pure_takers",
    "stream_grades",
    "with_source_grades",
]

#: Catalogue sectors (normalised) whose CO2 must be food grade: a capture plant and a
#: merchant's purification stand between a stack and them, so a flue-gas stream meets
#: no capture row of theirs (a blast furnace's stacks are offered to no bottler).
_FOOD_GRADE_SECTORS = frozenset(map(normalise_sector, ("food and beverages",)))
_DISTRIBUTOR = ROLES.index("distributor")
_BOUGHT = (ROLES.index("market"),)  # merchant CO2 is liquefied: a purchase is pure
_REDIRECT, _EXPAND, _NEW_LINK = 0, 1, 2  # KINDS.index


def _sent_grades(ctx: Context) -> np.ndarray:
    """Per node, the grade of the CO2 it sends out: its sector's (:func:`_node_grades`),
    or, for a node that passes on what it receives (a *distributor*: an actor of the role
    ``distributor``, whatever its sector and its other inputs, the power its compressors
    take; or one of no sector grade whose every input carrying something is of the
    family, so the CO2 it sends out can only be what it took in, as a CO2 pipeline's),
    the grade of its intake
    (:func:`_intake_grades`): ``pure`` when all of it is, unknown when any of it is, else
    the least pure. A distributor fed by another takes its grade in the next round, up
    to as many rounds as there are distributors (a ring of them fed by nothing else stays
    unknown). O(f) for the few takers of the family's flows (one gather of the flows'
    targets), O(d) a round for the d flows into distributors; the sectors' grades as they
    are when no actor is one. Cached."""
    cache = ctx.__dict__
    if "_co2_sent" not in cache:
        core, node = ctx.core, _node_grades(ctx)
        into, family = _family_intake(ctx)
        into = into[ctx.taken[into]]  # 0 t carried nothing (NaN: of unknown size)
        declared = core.role_code == _DISTRIBUTOR  # passes on by its role, whatever else
        maybe = np.zeros(core.n_nodes, dtype=bool)
        maybe[core.target[into]] = True
        maybe &= (node == UNKNOWN) | declared
        if maybe.any():  # those of them taking something else carrying anything pass nothing
            other = np.flatnonzero(maybe[core.target])  # into actors: those of ``into``
            other = other[~family[other] & (core.value[other] != 0)]
            maybe[core.target[other[~declared[core.target[other]]]]] = False
        passers = np.flatnonzero(maybe)
        flows = into[maybe[core.target[into]]]
        slot = np.searchsorted(passers, core.target[flows])  # each flow's distributor
        for _ in range(len(passers)):
            grade = _intake_grades(ctx, flows, node)
            seen = [np.bincount(slot[grade == g], minlength=len(passers)) > 0
                    for g in (UNKNOWN, PURE, PART, FLUE)]  # fmt: skip
            passed = np.select(seen[::-1], [FLUE, PART, PURE, UNKNOWN], UNKNOWN)
            if np.array_equal(passed, node[passers]):
                break
            node = node.copy()
            node[passers] = passed
        cache["_co2_sent"] = node
    return cache["_co2_sent"]


def _family_intake(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """The positions of the flows of the family into actors, and per flow whether it is of
    the family. O(f), cached: the pure takers and the distributors read both."""
    cache = ctx.__dict__
    if "_co2_intake" not in cache:
        core = ctx.core
        family = _key_grades(ctx)[0][core.material_key_code]
        cache["_co2_intake"] = (np.flatnonzero(core.target_is_actor & family), family)
    return cache["_co2_intake"]


def _intake_grades(ctx: Context, into: np.ndarray, node: np.ndarray) -> np.ndarray:
    """The grades of the flows ``into`` (positions of flows of the family), by their
    names, else their sources' (``node``: per node, the grade it sends out; a purchase
    from a market is pure). O(len(into))."""
    core = ctx.core
    grade = _key_grades(ctx)[1][core.material_key_code[into]]
    source = core.source[into]
    by_source = np.where(np.isin(core.role_code[source], _BOUGHT), PURE, node[source])
    return _by_source(grade, by_source)


def stream_grades(ctx: Context) -> np.ndarray:
    """Per stream, its grade (module docstring): -2 for a stream of no CO2 family, else
    its name's grade, else its source's (``biogenic``: its source's when pure, else flue
    gas; a distributor's, what it takes in: :func:`_sent_grades`), a purifier's vent
    ``flue`` (:func:`.co2_sources.vents`). O(s)."""
    streams = ctx.streams
    family, named = _key_grades(ctx)
    grade = named[streams.key_code]
    grade = _by_source(grade, _sent_grades(ctx)[streams.source_position])
    grade = np.where(vents(ctx, _family_intake(ctx)[0]), FLUE, grade)  # a purifier's purge
    return np.where(family[streams.key_code], grade, -2).astype(np.int8)


def _by_source(named: np.ndarray, source: np.ndarray) -> np.ndarray:
    """The grades of flows whose names give ``named``, from sources of grade ``source``."""
    grade = np.where(named == UNKNOWN, source, named)
    return np.where(named == BIOGENIC, np.where(source == PURE, PURE, FLUE), grade)


def pure_takers(ctx: Context) -> np.ndarray:
    """Per node, whether it is a pure taker: an actor taking CO2 (a flow of the family),
    all of it ``pure`` by its name, its source's sector, or a purchase from a market.
    O(f). Cached."""
    cache = ctx.__dict__
    if "_co2_takers" not in cache:
        core = ctx.core
        into = _family_intake(ctx)[0]
        grade = _intake_grades(ctx, into, _sent_grades(ctx))
        target = core.target[into]
        takes = np.bincount(target, minlength=core.n_nodes) > 0
        other = np.bincount(target[grade != PURE], minlength=core.n_nodes) > 0
        cache["_co2_takers"] = takes & ~other
    return cache["_co2_takers"]


def off_grade(ctx: Context, candidates: Candidates) -> np.ndarray:
    """Per candidate, whether its stream's grade rules it out (module docstring): a
    stream not known ``pure`` (``flue``, ``part`` or unknown) on a high-purity row; a
    ``flue`` or ``part`` stream as a same-material redirect of a pure taker's purchase; a
    ``flue`` stream on a capture row of a sector that wants food-grade CO2
    (:data:`_FOOD_GRADE_SECTORS`). O(c)."""
    found = np.zeros(len(candidates), dtype=bool)
    grades = stream_grades(ctx)
    short = (grades != PURE) & (grades != -2)  # of the family, not known pure
    if not short.any() or not len(candidates):
        return found
    rows = np.flatnonzero(short[candidates.stream])
    grade = grades[candidates.stream[rows]]
    impure = (grade == FLUE) | (grade == PART)
    path, receiver = candidates.pathway[rows], candidates.receiver[rows]
    redirect = (path < 0) & (candidates.kind[rows] == _REDIRECT) & (receiver >= 0)
    redirect &= np.append(pure_takers(ctx), False)[receiver] & impure
    food = np.isin(path, _food_rows(ctx)) & (grade == FLUE)
    found[rows] = np.isin(path, _pure_rows(ctx)) | redirect | food
    return found


def graded_evidence(ctx: Context, parts: list[Candidates]) -> list[Candidates]:
    """The network's evidence (:func:`.evidence.network_candidates`' parts) less that of a
    pure taker for a ``flue`` stream, and with that of a pure taker for a ``part`` stream
    under the rule ``network: takes a purer grade`` (shown and ranked ``demonstrated`` at
    most): before it gives its kind to a catalogue row of the same stream and receiver
    (:func:`.evidence.combined`: a bottler's capture row would have been an expansion by the
    evidence of its purchase). A stream of unknown grade is capped as a ``part`` one is; a
    capped row is a ``new_link`` (not an expansion of what the receiver takes) of unknown
    quantity. The same parts when no stream of the family is other than ``pure``. O(c)."""
    grades = stream_grades(ctx)
    if not ((grades == FLUE) | (grades == PART) | (grades == UNKNOWN)).any():
        return parts
    takers = np.append(pure_takers(ctx), False)
    capped = BASE_RULES.index(CAPPED_RULES[0])
    graded = []
    for part in parts:
        grade = grades[part.stream]
        to_pure = takers[part.receiver]  # evidence names an actor: never -1
        keep = ~(to_pure & (grade == FLUE))
        part = part if keep.all() else part.take(keep)
        relabel = to_pure[keep] & ((grade[keep] == PART) | (grade[keep] == UNKNOWN))
        if relabel.any():
            rule = np.array(part.rule, dtype=np.int32)  # a constant column is read-only
            rule[relabel] = capped
            # not an expansion of what the receiver takes, a new kind of input to it;
            # and no size: only a concentrated part of the stream would do, of no
            # recorded size (the full stream had ranked first, above the pure sources)
            kind = np.array(part.kind, dtype=np.int8)
            kind[relabel & (kind == _EXPAND)] = _NEW_LINK
            quantity = np.array(part.quantity, dtype=np.float64)
            quantity[relabel] = np.nan
            part = dataclasses.replace(part, rule=rule, kind=kind, quantity=quantity)
        graded.append(part)
    return graded


def with_source_grades(ctx: Context, pairs: Pairs) -> Pairs:
    """``pairs`` with, for each ``pure`` stream (not a product: downstream rows only), the
    high-purity rows when it meets none of them (rule ``source process``: its name is
    plain ``carbon dioxide``), instead of its capture rows to the same receiving sectors
    (food, greenhouses: one plant, the one that needs no capture step); and the capture
    rows of the sectors that no high-purity row serves when it meets none of them (rule
    ``taxonomy``: its name resolves to carbon dioxide, the rows' material): a use that
    takes flue gas once captured takes a pure stream as it is (mineral carbonation, a PCC
    plant, chemicals). In stream then catalogue order; the same pairs when no stream is
    pure. O(p log p) then, else O(s)."""
    wanted = (stream_grades(ctx) == PURE) & (ctx.streams.fate_code != 3)  # not a product
    rows = _pure_rows(ctx) if wanted.any() else np.zeros(0, dtype=np.int64)
    if not len(rows):
        return pairs
    capture = _capture_rows(ctx)
    sector = ctx.path_sector
    twin = np.isin(sector[capture], sector[rows])  # a capture row of a high-purity sector
    twins = np.isin(pairs.pathway, capture[twin]) & wanted[pairs.stream]
    parts = [(pairs.stream[~twins], pairs.pathway[~twins], pairs.rule[~twins])]
    width = np.int64(len(ctx.catalogue.pathways))
    for added, code in ((rows, BASE_RULES.index(SOURCE_RULE)),
                        (capture[~twin], BASE_RULES.index(TAXONOMY_RULES[0]))):  # fmt: skip
        more, at = _pairs_of(ctx, np.flatnonzero(wanted), added)
        # each row its name did not meet: one met through the taxonomy ("fermentation
        # CO2" makes co2pure-gases a carbon dioxide row) is not all of them
        met = np.isin(pairs.pathway, added) & wanted[pairs.stream]
        have = pairs.stream[met].astype(np.int64) * width + pairs.pathway[met]
        new = ~np.isin(more.astype(np.int64) * width + at, have)
        more, at = more[new], at[new]
        parts.append((more, at, np.full(len(more), code, dtype=pairs.rule.dtype)))
    if not twins.any() and not any(len(part[0]) for part in parts[1:]):
        return pairs
    stream, path, rule = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.lexsort((path, stream))
    return Pairs(stream[order], path[order], rule[order])


def _pairs_of(ctx: Context, stream: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, ...]:
    """(stream, row) for every stream of ``stream`` and row of ``rows`` of its dimension
    (a row of a dimension meets streams of it only, a row or stream of none any)."""
    dimension = ctx.row_dimension[rows]
    stream, at = np.repeat(stream, len(rows)), np.tile(np.arange(len(rows)), len(stream))
    mine = ctx.streams.dimension[stream]
    fits = (dimension[at] < 0) | (mine < 0) | (dimension[at] == mine)
    return stream[fits], rows[at[fits]]


def grading(ctx: Context) -> Grading | None:
    """The grades the ranking reads (:class:`.grades.Grading`): per stream, CO2 that
    needs a capture plant (``flue`` or ``part``), ``pure`` CO2, CO2 of unknown grade; per
    node, the pure takers. Of rows of one size and maturity in a block a stream needing no
    capture plant comes first (:func:`.grades.graded_ties`), and to one receiver pure CO2
    before CO2 short of the need (:func:`.grades.graded_rounds`). None when no stream
    needs a capture plant and none is of unknown grade beside a pure one. O(s), cached."""
    cache = ctx.__dict__
    if "_co2_grading" not in cache:
        grades = stream_grades(ctx)
        capture = (grades == FLUE) | (grades == PART)
        pure, unknown = grades == PURE, grades == UNKNOWN
        found = None
        if capture.any() or (pure.any() and unknown.any()):
            takers = np.append(pure_takers(ctx), False)
            rows = np.zeros(len(ctx.catalogue.pathways) + 1, dtype=bool)
            rows[_capture_rows(ctx)] = True
            found = Grading(capture=capture, pure=pure, unknown=unknown, takers=takers,
                            capture_rows=rows)  # fmt: skip
        cache["_co2_grading"] = found
    return cache["_co2_grading"]


def graded_kinds(ctx: Context, parts: list[Candidates]) -> list[Candidates]:
    """The catalogue's candidates (:func:`.candidates.sector_candidates`' parts) with a
    stream of CO2 not known pure (``flue``, ``part`` or unknown) to a pure taker a
    ``new_link``, not an ``expand``: the receiver takes that material's name, but what it
    takes is pure (a distributor's pure CO2 passed on, :func:`_sent_grades`), so the
    evidence that it takes CO2 is evidence for pure CO2 only (greenhouses fed by a
    pipeline of a hydrogen unit's and a bioethanol plant's CO2 had been offered five
    stacks' CO2 as expansions, ranked first). The row keeps its size (a capture row's
    receiver may take captured CO2); the ranking puts it after the pure CO2 offered to
    that receiver (:func:`.grades.graded_rounds`). The same parts when no stream of the
    family is other than ``pure`` or no actor is a pure taker. O(c)."""
    grades = stream_grades(ctx)
    short = (grades == FLUE) | (grades == PART) | (grades == UNKNOWN)
    if not short.any() or not pure_takers(ctx).any():
        return parts
    takers = np.append(pure_takers(ctx), False)
    graded = []
    for part in parts:
        wrong = (part.kind == _EXPAND) & short[part.stream] & takers[part.receiver]
        if wrong.any():
            kind = np.array(part.kind, dtype=np.int8)
            kind[wrong] = _NEW_LINK
            part = dataclasses.replace(part, kind=kind)
        graded.append(part)
    return graded


def _capture_rows(ctx: Context) -> np.ndarray:
    """Positions of the catalogue's rows of plain ``carbon dioxide`` (capture needed)."""
    keys = ctx.catalogue.pathways["keys"]
    wanted = material_key(FAMILY)
    return np.array([i for i, k in enumerate(keys) if k and k[0] == wanted], dtype=np.int64)


def _food_rows(ctx: Context) -> np.ndarray:
    """Positions of the capture rows whose receiving sector wants food-grade CO2
    (:data:`_FOOD_GRADE_SECTORS`)."""
    rows = _capture_rows(ctx)
    keys = ctx.sector_keys
    return rows[[keys[r] in _FOOD_GRADE_SECTORS for r in rows.tolist()]]
