"""The collector of located problems: every rule adds to one :class:`Collector`, so that all
problems of both files are reported at once.

A rule gives a boolean mask over the rows of a :class:`~symbiosis.io.reading.Table`; a message
is built only for the rows that fail, and at most :data:`MAX_ROWS_PER_RULE` of them per rule
(the others are counted in one line), so a file wrong on every one of a million rows costs
neither minutes nor gigabytes to report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from ..errors import Problem

if TYPE_CHECKING:
    from .reading import Table

__all__ = [
    "MAX_ROWS_PER_RULE",
    "Collector",
    "as_mask",
    "in_row_order",
    "rows_like_above",
    "shorten",
    "split",
]

MAX_ROWS_PER_RULE = 1000  # rows listed per kind of problem; the rest are counted


def rows_like_above(
    file: str, column: str | None, count: int, hint: str, span: tuple[Any, Any] | None = None
) -> Problem:
    """The problem counting ``count`` more rows with the problem of the rows listed above
    it (``span``: the first and last of their row numbers, when known): no row of its
    own, ``more_rows`` set, so that the command line shows it past its first problems."""
    rows = "" if span is None else f" (rows {span[0]} to {span[1]})"
    message = f"{count:,} more rows{rows} have the same problem as the rows above"
    return Problem(file, None, column, message, hint, more_rows=count)


def in_row_order(problems: list[Problem]) -> list[Problem]:
    """``problems`` with each file's in the order of its rows, as the user fixes them:
    the files in the order of their first problem; in each, the problems of the whole
    file first, then by row (a stable sort: one row's problems keep the rules' order).
    A line counting more rows like those above it (:func:`rows_like_above`) stays right
    after the last row listed before it. Rows that are labels (a frame's index) keep the
    rules' order. O(problems log problems)."""
    files: dict[str, int] = {}
    keys: list[tuple[int, int, int]] = []
    for problem in problems:
        file = files.setdefault(problem.file, len(files))
        if problem.more_rows:  # after the rows it counts (the ones listed just before it)
            row = keys[-1][1] if keys and keys[-1][0] == file else 0
            keys.append((file, row, 1))
        else:
            keys.append((file, problem.row if isinstance(problem.row, int) else 0, 0))
    if any(p.row is not None and not isinstance(p.row, int) for p in problems):
        return list(problems)
    order = sorted(range(len(problems)), key=keys.__getitem__)
    return [problems[i] for i in order]


def as_mask(mask: Any) -> np.ndarray:
    """A boolean numpy array from a numpy, pandas or Arrow mask (a null counts as False)."""
    if isinstance(mask, pa.ChunkedArray | pa.Array):
        return mask.fill_null(False).to_numpy(zero_copy_only=False).astype(bool, copy=False)
    return np.asarray(mask, dtype=bool)


def split(positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The first :data:`MAX_ROWS_PER_RULE` positions, to list, and the rest, to count."""
    return positions[:MAX_ROWS_PER_RULE], positions[MAX_ROWS_PER_RULE:]


def shorten(value: object, width: int = 60) -> str:
    """``value`` as text on one line, cut to ``width`` characters."""
    text = str(value).replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 1] + "…"


def cells(values: Any, positions: np.ndarray) -> list:
    """The cells of ``values`` (Arrow, pandas or numpy) at ``positions``: O(len(positions)),
    whatever the length of the column."""
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values.take(pa.array(positions, pa.int64())).to_pylist()
    if hasattr(values, "iloc"):
        return values.iloc[positions].tolist()
    return list(np.asarray(values)[positions])


@dataclass
class Collector:
    """Problems and warnings found so far, in the order the rules found them."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: dict[str, np.ndarray] = field(default_factory=dict)  # file -> rows said once

    def extend(self, other: Collector) -> None:
        """Add the problems and warnings ``other`` found, after these."""
        self.problems.extend(other.problems)
        self.warnings.extend(other.warnings)

    def skip(self, file: str, rows: np.ndarray) -> None:
        """Add no more problems on these rows of ``file`` (already refused as a whole)."""
        if not len(rows):
            return  # the rules' masks stay unfiltered
        self.skipped[file] = np.union1d(self.skipped.get(file, np.zeros(0, np.int64)), rows)

    def add(self, file, row, column, message, hint="") -> None:
        if row is not None and file in self.skipped:
            at = np.searchsorted(self.skipped[file], row)
            if at < len(self.skipped[file]) and self.skipped[file][at] == row:
                return
        self.problems.append(
            Problem(file, None if row is None else int(row), column, message, hint)
        )

    def add_rows(self, table: Table, mask, column, message, hint, values=None) -> None:
        """One problem per row where ``mask`` holds; ``message`` may use ``{value}``, the
        cell of ``values`` on that row. O(rows) for the mask, messages for the listed rows
        only."""
        mask = as_mask(mask)
        if table.path in self.skipped:
            mask = mask & ~np.isin(table.rows, self.skipped[table.path])

        def each(listed: np.ndarray) -> list[tuple[str, str]]:
            shown = [""] * len(listed) if values is None else cells(values, listed)
            return [(message.format(value=shorten(value)), hint) for value in shown]

        self.add_listed(table, np.flatnonzero(mask), column, hint, each)

    def add_listed(
        self,
        table: Table,
        positions: np.ndarray,
        column,
        hint: str,
        each: Callable[[np.ndarray], Iterable[tuple[str, str]]],
    ) -> None:
        """One problem per row of ``positions`` (ascending), for the first
        :data:`MAX_ROWS_PER_RULE` of them, ``each(listed)`` giving their messages and
        hints in order; then one line counting the rest (with ``hint``), after the rows
        it says they are like. O(listed rows) for the messages."""
        listed, rest = split(positions)
        for position, (message, row_hint) in zip(listed, each(listed), strict=True):
            self.add(table.path, table.rows[position], column, message, row_hint)
        self._add_rest(table, rest, column, hint)

    def _add_rest(self, table: Table, rest: np.ndarray, column, hint) -> None:
        """One problem counting the rows left out by :func:`split`."""
        if len(rest) and table.path in self.skipped:
            rest = rest[~np.isin(table.rows[rest], self.skipped[table.path])]
        if len(rest):
            span = (table.rows[rest[0]], table.rows[rest[-1]])
            self.problems.append(rows_like_above(table.path, column, len(rest), hint, span))
