"""CO2 grades in the ranking: to one receiver, CO2 that needs no capture plant before CO2
that does (:func:`graded_rounds`), and of rows of one size and maturity in a block, a stream
needing none first (:func:`graded_ties`). The grades are :mod:`.purity`'s
(:func:`.purity.grading`); the rounds and blocks are :mod:`.ranking`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = ["Grading", "graded_rounds", "graded_ties"]


@dataclass(frozen=True, eq=False)
class Grading:
    """The CO2 grades the ranking reads (:func:`.purity.grading`): per stream, whether it
    is CO2 that needs a capture plant (``capture``: flue gas or a refinery's), ``pure``
    CO2, or CO2 of ``unknown`` grade; per node and one more for none (-1), whether it is
    a pure taker (``takers``: all the CO2 it takes is pure); per catalogue row and one
    more for none (-1), whether it is a capture row (``capture_rows``: plain carbon
    dioxide, "needs capture at the source")."""

    capture: np.ndarray
    pure: np.ndarray
    unknown: np.ndarray
    takers: np.ndarray
    capture_rows: np.ndarray

    @cached_property
    def any_capture(self) -> bool:
        """Whether some stream needs a capture plant."""
        return bool(self.capture.any())


def graded_ties(maturity: np.ndarray, grading: Grading | None, stream: np.ndarray) -> np.ndarray:
    """The key that orders rows of one size in a block (:func:`.ranking._round_order`): the more
    mature first (``maturity``, :func:`.ranking.match_tiers`), then of one maturity a stream that
    needs no capture plant before CO2 that does (``grading.capture``: per stream, flue gas
    or a refinery's, :func:`.purity.grading`; None, or no such stream: ``maturity`` as it
    is). Two streams' CO2 to one oil field, one PCC plant: the pure one first, as it needs
    no capture plant (a blast furnace's stack had come before a coal-to-olefins plant's
    Rectisol CO2 by the firms table). O(c)."""
    if grading is None or not grading.any_capture:
        return maturity
    return (maturity * 2 + grading.capture[stream]).astype(np.int8)


def graded_rounds(
    rounds: np.ndarray,
    grading: Grading | None,
    stream: np.ndarray,
    pathway: np.ndarray,
    receiver: np.ndarray,
    plant: np.ndarray,
    group: np.ndarray,
) -> np.ndarray:
    """``rounds`` (:func:`.ranking.alternatives`) with each row of CO2 that falls short of its
    receiver's need moved to the round after the last of the pure CO2 offered to that
    receiver in its group: a stream that needs no capture plant before one that does,
    whatever their sizes (a CCUS planner injects an ammonia plant's CO2 before a power
    station's flue gas, 12-15 % CO2, is captured). Short: a stream needing a capture
    plant (``grading.capture``); or one of unknown grade on a capture row (the row says
    so: "needs capture at the source") or to a pure taker (``grading.takers``: what it
    takes is pure, so the evidence that it takes CO2 is evidence for pure CO2 only). A
    receiver is an actor (``receiver``) or a new plant of one process (``plant``, -1 for
    an actor). An oil field's three stacks' CO2 (up to 14 Mt, their first round) had
    come before an ammonia plant's 200 kt of pure CO2 to it (its second round).
    ``rounds`` as they are when no row is short or none pure. O(c) for the rows of CO2,
    plus O(r log r) for the r pure rows."""
    if grading is None:
        return rounds
    pure = grading.pure[stream]
    if not pure.any():
        return rounds
    doubt = grading.takers[receiver] | grading.capture_rows[pathway]
    short = grading.capture[stream] | (grading.unknown[stream] & doubt)
    if not short.any():
        return rounds
    width = np.int64(len(grading.takers)) + int(plant.max(initial=-1)) + 1
    place = np.where(receiver >= 0, receiver, len(grading.takers) + plant.astype(np.int64))
    key = group.astype(np.int64) * width + place
    offered = np.unique(key[pure])  # the receivers offered pure CO2, sorted
    rows = np.flatnonzero(short)
    at = np.minimum(np.searchsorted(offered, key[rows]), len(offered) - 1)
    rows = rows[offered[at] == key[rows]]
    if not len(rows):
        return rounds
    # the last round of pure CO2 to each receiver: the largest round of its rows
    mine = np.flatnonzero(pure)
    last = np.full(len(offered), -1, dtype=np.int64)
    np.maximum.at(last, np.searchsorted(offered, key[mine]), rounds[mine])
    after = last[np.searchsorted(offered, key[rows])] + 1
    rounds = rounds.copy()
    rounds[rows] = np.maximum(rounds[rows], after)
    return rounds
