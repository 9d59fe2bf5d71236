"""The rows of a register that fail a check, in words: ``file:row: column: what is wrong;
what to do``.

:func:`check_problems` names the first rows failing each check (:mod:`.aggregate`), a
totals row ('Total', 'Summe', '合计') once for all its cells; :func:`said_once` says the
rows failing for one reason in one problem when there are more than :data:`SHOWN_ROWS`
of them (334 rows of dates written day first are one line, naming the first rows and
counting the others), so that each reason and its fix is read once.

Complexity: one scan of the register per failing check (only then); O(p) for p problems.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from ..errors import Problem
from ..io.number_hints import GROUPED, plainly
from ..io.numbers import NUMBER
from ..io.problems import MAX_ROWS_PER_RULE, rows_like_above, shorten
from ..io.quantities import LARGEST, short_number
from ..io.stray_rows import looks_like_totals
from ..units import HALF_WIDTH
from .aggregate import CHECKS, THOUSANDS_DOTS, failing_rows, problem_counts
from .fields import HINTS, NUL_HINT, code_problem, date_problem, operation_problem
from .mapping import Mapping

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from .engines import Engine

__all__ = ["SHOWN_ROWS", "check_problems", "said_once"]

#: The rows a reason may fail one by one; past them, it is said once, naming as many more.
SHOWN_ROWS = 3


def check_problems(
    engine: Engine,
    clean: ir.Table,
    file: Any,
    mapping: Mapping,
    unit_reasons: dict[str, str],
) -> list[Problem]:
    """The rows of the register ``file`` (:class:`.reading._File`) failing each check of
    :data:`.aggregate.CHECKS`, from its checked groups ``clean``: the first
    :data:`~symbiosis.io.problems.MAX_ROWS_PER_RULE` of each check named (one scan each),
    the rest counted; numbered as the engine reads them (from 2). O(n) per failing check."""
    path, fields = file.path, file.fields
    counts = engine.run(problem_counts(clean)).to_pylist()[0]
    problems = []
    written: dict[int, dict[str, Any]] = {}  # the cells of each row named
    for field, flag in CHECKS.items():
        count = int(counts[flag] or 0)
        if not count:
            continue
        column = fields.get(field) or f"{mapping.column(field)} (default)"
        listed = failing_rows(file.rows, mapping.defaults, flag, MAX_ROWS_PER_RULE, file.china)
        for row in engine.run(listed).to_pylist():
            value = row[field]
            written[row["row"]] = row
            message, hint = _message(field, value, unit_reasons, mapping.dayfirst)
            problems.append(Problem(str(path), row["row"], column, message, hint))
        if count > MAX_ROWS_PER_RULE:
            rest = count - MAX_ROWS_PER_RULE
            problems.append(rows_like_above(str(path), column, rest, HINTS.get(field, "")))
    return _totals_said_once(problems, written, str(path))


def _totals_said_once(
    problems: list[Problem], written: dict[int, dict[str, Any]], shown: str
) -> list[Problem]:
    """``problems`` with those of each totals row (a row failing several checks, one of
    whose cells says 'Total', 'Sum', '合计' ..., as a spreadsheet's last row does) said in
    one problem, in the network reader's words. O(p)."""
    failing = Counter(p.row for p in problems if isinstance(p.row, int))
    totals = {}
    for row, cells in written.items():
        said = [str(cells.get(f) or "") for f in CHECKS if f not in ("quantity", "unit")]
        cell = next((text for text in said if looks_like_totals(text)), None)
        if failing[row] > 1 and cell is not None:
            message = f"looks like a totals row ('{shorten(cell, 30)}'), not a shipment"
            hint = "delete it: symbiosis adds the shipments up itself"
            totals[row] = Problem(shown, row, None, message, hint)
    kept = [p for p in problems if p.row not in totals]
    return kept + list(totals.values())


def _message(
    field: str, value: Any, unit_reasons: dict[str, str], dayfirst: bool | None = None
) -> tuple[str, str]:
    shown = shorten(value) if value not in (None, "") else ""
    if isinstance(value, str) and "\x00" in value:
        return f"{shown!r} contains a NUL byte", NUL_HINT
    if field == "unit":
        reason = unit_reasons.get((value or "").strip(), "no unit; write t or kg")
        message, _, hint = reason.partition("; ")
        return message, hint
    if not shown:
        return "empty", HINTS[field]
    if field == "date":
        return date_problem(str(value), dayfirst)
    if field == "quantity":
        return _quantity_problem(str(value), shown)
    if field == "waste_code":
        return code_problem(shown)
    return operation_problem(shown)


def _quantity_problem(value: str, shown: str) -> tuple[str, str]:
    """Why the quantity cell ``value`` (as text; ``shown`` shortened) was read as no number, in the
    network reader's words, the hint giving the cell's own number in ASCII digits
    (:func:`~symbiosis.io.number_hints.plainly`): '１，２００' and '1 200' have a thousands
    separator (e.g. 1200), '２２５０' is in full-width digits, which the engines do not
    read."""
    text = value.translate(HALF_WIDTH).strip()  # full-width forms read as ASCII first
    if "_" in text:  # 1_000: the engines read it as 1000, a spreadsheet as text
        return f"{shown!r} is not a number", HINTS["quantity"]
    if re.fullmatch(THOUSANDS_DOTS, text):  # in a file of decimal commas
        plain = plainly(text, decimal_comma=True)
        return (
            f"{shown!r} could be {text} or {plain} (dots between thousands) in a file of "
            "decimal commas",
            f"write {plain} (no separator) or the decimals with a comma",
        )
    if re.fullmatch(GROUPED, text):
        return f"{shown!r} has a thousands separator", f"write plain digits, e.g. {plainly(text)}"
    if text != value.strip() and re.fullmatch(NUMBER, text):
        return (
            f"{shown!r} is written in full-width digits",
            f"write it in ASCII digits, {text}: a register's numbers are read so only",
        )
    try:
        number = float(text)
    except ValueError:
        return f"{shown!r} is not a number", HINTS["quantity"]
    if math.isnan(number):
        return f"{shown} is not a number", HINTS["quantity"]
    if math.isinf(number):
        return f"{shown} is not a finite number", HINTS["quantity"]
    if number < 0:
        return f"{shown} is negative", HINTS["quantity"]
    return (
        f"{shown} is more than {short_number(LARGEST)} t once converted",
        "check the unit and the decimal separator",
    )


def said_once(problems: list[Problem]) -> list[Problem]:
    """``problems`` with those of one reason on more than :data:`SHOWN_ROWS` rows said in
    one, at its first row, naming the next rows and counting the others (``'14/03/2021'
    is written day first (also rows 16, 25, 34 and 330 more rows); set dayfirst ...``;
    ``more_rows`` the rows it stands for besides its own). A reason is a file, a column,
    and a message and hint alike but for their quoted values and digits
    (:func:`_reason`). The line counting the rows of a check past those listed
    (:func:`~symbiosis.io.problems.rows_like_above`) is counted in the reason's problem
    when every row listed of its file and column has that reason; other problems of no
    row are kept as they are. O(p log p)."""
    groups: dict[tuple[str, ...], list[tuple[int, int]]] = {}  # reason -> (row, index)
    for index, problem in enumerate(problems):
        if isinstance(problem.row, int) and not problem.more_rows:
            groups.setdefault(_reason(problem), []).append((problem.row, index))
    reasons = Counter(reason[:2] for reason in groups)  # per file and column
    counted: dict[tuple[str, ...], int] = {
        (p.file, p.column or ""): i for i, p in enumerate(problems) if p.row is None and p.more_rows
    }
    replaced: dict[int, Problem] = {}
    dropped: set[int] = set()
    for reason, found in groups.items():
        if len(found) <= SHOWN_ROWS:
            continue
        (_, at), *others = sorted(found)
        count = counted.get(reason[:2]) if reasons[reason[:2]] == 1 else None
        past = problems[count].more_rows if count is not None else 0  # rows past the listed
        named = ", ".join(str(row) for row, _ in others[:SHOWN_ROWS])
        rest = len(others) - SHOWN_ROWS + past
        more = f" and {rest:,} more row{'s' if rest > 1 else ''}" if rest > 0 else ""
        first = problems[at]
        message = f"{first.message} (also rows {named}{more})"
        replaced[at] = dataclasses.replace(first, message=message, more_rows=len(others) + past)
        dropped.update(index for _, index in others)
        dropped.update([count] if count is not None else [])
    return [replaced.get(i, p) for i, p in enumerate(problems) if i not in dropped]


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_DIGITS = re.compile(r"[0-9]+")


def _reason(problem: Problem) -> tuple[str, ...]:
    """What a problem says but for its row's own values: its quoted texts left out, its
    numbers as ``#`` (``'25.08.2021' is not a date`` is the reason of ``'1.1.2021' is
    not a date``; ``'L' is a unit of volume`` that of ``'m3' is a unit of volume``)."""

    def plain(text: str) -> str:
        return _DIGITS.sub("#", _QUOTED.sub("''", text))

    return (problem.file, problem.column or "", plain(problem.message), plain(problem.hint))
