"""The optional uncertainty columns of ``flows.csv``.

A flow may say how well its quantity is known, in one of three ways (one per row):

``quantity_low``, ``quantity_high``
    a range, in the row's own unit, with ``quantity_low <= quantity <= quantity_high``;
    sampled as a triangular distribution with its mode at ``quantity`` (or uniform, on
    request: :func:`symbiosis.analysis.spread.flow_spreads`).
``uncertainty``
    the relative standard deviation of the quantity (``0.1`` = 10 %), from 0 to
    :data:`MAX_RELATIVE_SD` (1,000); sampled as a lognormal distribution of mean
    ``quantity``.
``quality``
    a data-quality score, a whole number from 1 (measured, verified) to 5 (undocumented
    estimate), mapped to a relative standard deviation by the pedigree matrix
    (:data:`symbiosis.analysis.spread.QUALITY_SPREAD` gives the mapping and its source).

The rules, each reported at its file, row and column, all at once: every cell a plain
number (:func:`~symbiosis.io.numbers.parse_numbers`); bounds and uncertainty ``>= 0``;
a bound at most the largest flow once converted (:data:`~symbiosis.io.quantities.LARGEST`),
an uncertainty at most :data:`MAX_RELATIVE_SD`; both bounds or neither; the bounds around
the quantity; a quality score whole and from 1 to 5; a row giving a spread needs a
quantity; a row gives at most one kind of spread.
O(rows), vectorised; messages are built for the failing rows only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .columns import is_empty
from .numbers import parse_numbers
from .problems import Collector
from .quantities import LARGEST, short_number
from .reading import Table

__all__ = [
    "MAX_RELATIVE_SD",
    "RELATIVE_SD_HINT",
    "UNCERTAINTY_COLUMNS",
    "above_largest_sd",
    "check_uncertainty",
]

#: The largest relative standard deviation a row may give: 1,000 is 100,000 % of the
#: quantity, a spread over many orders of magnitude already. Larger ones say nothing more
#: and overflowed the reconciliation's variances (1e100 and up: numpy warnings, then a
#: wrong chi-square or an internal error).
MAX_RELATIVE_SD = 1_000.0
RELATIVE_SD_HINT = (
    "write the relative standard deviation as a fraction of the quantity, e.g. 0.1 for 10 %"
)


def above_largest_sd(value: str) -> str:
    """The problem of a relative standard deviation above :data:`MAX_RELATIVE_SD`, said of
    ``value`` (a cell as written, or an option: ``--uncertainty``'s default too)."""
    return (
        f"{value} is above {MAX_RELATIVE_SD:,.0f} (a standard deviation of "
        f"{MAX_RELATIVE_SD * 100:,.0f} % of the quantity)"
    )


UNCERTAINTY_COLUMNS = ("quantity_low", "quantity_high", "uncertainty", "quality")
_RANGE_HINT = "write the bounds in the row's unit, with quantity_low <= quantity <= quantity_high"
_QUALITY_HINT = "write a whole number from 1 (measured, verified) to 5 (undocumented estimate)"
_ONE_SPREAD = (
    "keep one of them: a range (quantity_low, quantity_high), a relative standard deviation "
    "(uncertainty) or a quality score (quality)"
)


def check_uncertainty(
    table: Table, quantity: np.ndarray, found: Collector, factor: np.ndarray | None = None
) -> dict[str, object]:
    """Parse and check the uncertainty columns present in ``table`` against the parsed
    ``quantity`` (NaN where empty). Returns the model columns to add to the flow table
    (only those present): ``quantity_low``, ``quantity_high`` and ``uncertainty`` as floats,
    ``quality`` as nullable integers; a bad cell is NaN there and reported in ``found``.
    ``factor``: each row's factor to its canonical unit (NaN when unknown), for the bound
    on the range. O(rows)."""
    present = [name for name in UNCERTAINTY_COLUMNS if name in table]
    if not present:
        return {}
    n = len(quantity)
    given = {
        name: ~is_empty(table.column(name)) if name in table else np.zeros(n, dtype=bool)
        for name in UNCERTAINTY_COLUMNS
    }
    columns: dict[str, object] = {}
    for name in ("quantity_low", "quantity_high"):
        if name in table:
            columns[name] = parse_numbers(
                table,
                name,
                found,
                minimum=0,
                what="a quantity",
                hint=_RANGE_HINT,
                negative_hint="bounds are >= 0, like quantities",
            )
    if "uncertainty" in table:
        columns["uncertainty"] = parse_numbers(
            table,
            "uncertainty",
            found,
            minimum=0,
            what="a relative standard deviation",
            hint="write it as a fraction of the quantity, e.g. 0.1 for 10 %",
            negative_hint="a standard deviation is >= 0",
        )
    if "quality" in table:
        columns["quality"] = _quality(table, found)
    _check_largest(table, columns, factor, found)
    _check_range(table, quantity, columns, given, found)
    _check_combinations(table, quantity, given, found)
    return columns


def _check_largest(table: Table, columns: dict, factor: np.ndarray | None, found) -> None:
    """A bound above the largest flow once converted, an uncertainty above
    :data:`MAX_RELATIVE_SD`: reported, and NaN from then on (no row gives a spread that
    the passes cannot square). O(rows)."""
    for name in ("quantity_low", "quantity_high"):
        if name not in columns or factor is None:
            continue
        bound = np.asarray(columns[name])
        with np.errstate(over="ignore", invalid="ignore"):
            over = bound * np.where(np.isfinite(factor), factor, 0) > LARGEST
        found.add_rows(table, over, name,
                       f"'{{value}}' is more than any real flow once converted "
                       f"({short_number(LARGEST)} t, GJ or m3 per year)",
                       "check the unit and the exponent", table.column(name))  # fmt: skip
        bound[over] = np.nan
    if "uncertainty" in columns:
        relative = np.asarray(columns["uncertainty"])
        over = relative > MAX_RELATIVE_SD
        found.add_rows(table, over, "uncertainty", above_largest_sd("'{value}'"),
                       RELATIVE_SD_HINT, table.column("uncertainty"))  # fmt: skip
        relative[over] = np.nan


def _quality(table: Table, found: Collector) -> pd.Series:
    """The quality scores as nullable integers; other numbers reported."""
    score = parse_numbers(table, "quality", found, what="a quality score", hint=_QUALITY_HINT)
    cells = table.column("quality")
    bad = ~np.isnan(score) & ((score != np.round(score)) | (score < 1) | (score > 5))
    found.add_rows(
        table, bad, "quality", "'{value}' is not a quality score from 1 to 5", _QUALITY_HINT, cells
    )
    return pd.Series(np.where(bad, np.nan, score)).astype("Int64")


def _check_range(table, quantity, columns, given, found) -> None:
    """Both bounds or neither; low <= quantity <= high where all three are numbers."""
    low_given, high_given = given["quantity_low"], given["quantity_high"]
    for name, other, alone in (
        ("quantity_low", "quantity_high", low_given & ~high_given),
        ("quantity_high", "quantity_low", high_given & ~low_given),
    ):
        found.add_rows(
            table, alone, name, f"{name} is given without {other}", f"give {other} too, or neither"
        )
    if "quantity_low" not in columns or "quantity_high" not in columns:
        return
    low, high = columns["quantity_low"], columns["quantity_high"]
    for name, outside, side in (
        ("quantity_low", low > quantity, "above"),
        ("quantity_high", high < quantity, "below"),
    ):
        found.add_rows(
            table,
            outside,
            name,
            f"'{{value}}' is {side} the quantity",
            _RANGE_HINT,
            table.column(name),
        )


def _check_combinations(table, quantity, given, found) -> None:
    """A spread needs a quantity; a row gives at most one kind of spread."""
    has_range = given["quantity_low"] | given["quantity_high"]
    kinds = has_range.astype(int) + given["uncertainty"] + given["quality"]
    for name, mask in (
        ("quantity_low", has_range),
        ("uncertainty", given["uncertainty"]),
        ("quality", given["quality"]),
    ):
        found.add_rows(
            table,
            mask & np.isnan(quantity) & is_empty(table.column("quantity")),
            name,
            "a spread is given but the quantity is empty",
            "give the best estimate in quantity, or leave the spread empty",
        )
    column = "quality" if "quality" in table else "uncertainty"
    found.add_rows(
        table,
        kinds > 1,
        column,
        "the row gives more than one kind of spread",
        _ONE_SPREAD,
    )
