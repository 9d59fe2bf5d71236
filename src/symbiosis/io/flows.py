"""The rules for ``flows.csv``.

Rules: the columns ``source, target, material, quantity, unit, category``; endpoints present
and known firms (with a "did you mean" for a close id); material present; category known
(energy and water are dimensions, not categories); quantity empty (a link of unknown size)
or a finite number >= 0; unit known (:mod:`symbiosis.units`), and required when a quantity is
given; the converted value within range (:mod:`~symbiosis.io.quantities`); when present,
``year`` a whole number from 1000 to 9999, ``price`` a number >= 0, ``substitutable`` and
``hazardous`` yes, no or empty (:mod:`~symbiosis.io.substitutable`, :mod:`~.hazardous`: a
category ``hazardous waste`` marks the flow); no exact repeat; one dimension per material.

Everything runs on Arrow arrays and integer codes: endpoints are looked up in the firm ids with
one hash each, the other text columns are dictionary-encoded once and each distinct unit,
category and material parsed once; located messages are built for the failing rows only. The
codes are kept (:class:`Flows`) so that the network's columnar core need not encode the same
columns again. O(rows) for the rules, O(cells) for the exact-repeat check.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..model import DERIVED_FLOW_COLUMNS
from ..units import DIMENSIONS
from ..vocabulary import (
    CATEGORIES,
    DIMENSION_WORDS,
    canonical_category,
    category_words,
    material_key,
)
from .columns import (
    FLOW_OPTIONAL_NAMES,
    Encoded,
    add_unknown_words,
    check_columns,
    check_short_rows,
    encode,
    is_empty,
    positions_in,
    series,
    text_series,
    warn_usual_names,
    with_extra_columns,
)
from .firms import first_occurrences, unknown_id_hint
from .gases import mixed_volumes
from .hazardous import HAZARDOUS, flow_hazards
from .ids import IdGuesses, difference
from .numbers import parse_numbers
from .parsing import SPREADSHEET_HINT, is_ascii, is_spreadsheet_error, spreadsheet_error_mask
from .partial import check_present_columns
from .problems import Collector, shorten
from .quantities import (
    check_prices,
    continuous_rate_warning,
    convert,
    full_load_warning,
    one_dimension_hint,
    size_warnings,
    unit_factors,
)
from .reading import Table
from .repeats import check_repeated_rows
from .stray_rows import without_totals_rows
from .substitutable import SUBSTITUTABLE, check_substitutable
from .uncertainty import UNCERTAINTY_COLUMNS, check_uncertainty
from .waters import mixed_masses

__all__ = [
    "FIRST_YEAR",
    "FLOW_COLUMNS",
    "FLOW_REQUIRED",
    "LAST_YEAR",
    "FlowColumns",
    "Flows",
    "IdGuesses",  # here for demand_checks
    "check_flow_columns",
    "check_flows",
]

FLOW_COLUMNS = (
    *("source", "target", "material", "quantity", "unit", "category", "year", "price"),
    *UNCERTAINTY_COLUMNS,  # optional spreads: io/uncertainty.py
    SUBSTITUTABLE,  # optional marks for supply shocks: io/substitutable.py
    HAZARDOUS,  # optional marks of hazardous waste, also by the category: io/hazardous.py
)
FLOW_REQUIRED = ("source", "target", "material", "quantity", "unit", "category")
_YEAR_HINT = "write the year like 2019"
#: The years a flow may have: four digits, the first not 0 (a register's dates are held to
#: the same rule). A refused year is said with this range: '0999' has four digits too.
FIRST_YEAR, LAST_YEAR = 1000, 9999


@dataclass
class Flows:
    """Validated flows: the model table and the columns already encoded for the core.

    ``nodes`` are the ids the endpoints were looked up in (the firm ids, or the distinct
    endpoints when there is no firms file); ``source`` and ``target`` are positions in them.
    Codes follow :class:`symbiosis.core.Core`: ``dimension`` and ``category`` index
    :data:`~symbiosis.units.DIMENSIONS` and :data:`~symbiosis.vocabulary.CATEGORIES`
    (``dimension`` is -1 where the value is unknown, ``unit_dimension`` where the unit is);
    ``material_code`` and
    ``material_key_code`` number the distinct materials and keys in order of first
    appearance.
    """

    frame: pd.DataFrame
    nodes: pa.Array
    source: np.ndarray
    target: np.ndarray
    value: np.ndarray
    dimension: np.ndarray
    unit_dimension: np.ndarray
    category: np.ndarray
    material_code: np.ndarray
    materials: np.ndarray
    material_key_code: np.ndarray
    material_keys: np.ndarray


def _endpoints(source: pa.Array, target: pa.Array, firm_ids: pa.Array | None):
    """``(nodes, source positions, target positions)``: each endpoint's position in
    ``firm_ids`` (or, without them, in the distinct endpoints, sources first, in order of
    first appearance), ``-1`` when absent."""
    nodes = pc.unique(pa.chunked_array([source, target])) if firm_ids is None else firm_ids
    _, source_at, target_at = positions_in(nodes, source, target)
    return nodes, source_at, target_at


def check_flows(
    table: Table,
    firm_ids: pa.Array | None,
    found: Collector,
    firms_file: str | None,
    endpoints: tuple[np.ndarray, np.ndarray] | None = None,
    columns: FlowColumns | None = None,
    firm_names: Iterable[str] | None = None,
) -> Flows | None:
    """Check every flow rule against ``firm_ids`` (``None``: no firms to check against);
    ``None`` when the columns do not allow it. ``endpoints``, when given, are the positions
    of source and target in ``firm_ids``; ``columns``, when given, what
    :func:`check_flow_columns` found (its columns checked by
    :func:`~symbiosis.io.columns.check_columns` into ``found`` first). The problems come
    in the same order either way. ``firm_names`` (beside ``firm_ids``) name the firm meant
    where an endpoint is a firm's name. O(rows)."""
    if columns is None:
        if not check_columns(table, FLOW_REQUIRED, FLOW_COLUMNS, found, "flows"):

            def rules(stand_in: Table, partial: Collector) -> None:
                check_flows(stand_in, firm_ids, partial, firms_file, firm_names=firm_names)

            check_present_columns(table, FLOW_REQUIRED, rules, found, check_short_rows)
            return None
        columns = check_flow_columns(table, found.skipped)
    source, target = table.column("source"), table.column("target")
    if endpoints is None or firm_ids is None:
        nodes, source_at, target_at = _endpoints(source, target, firm_ids)
    else:
        nodes, (source_at, target_at) = firm_ids, endpoints
    guesses = IdGuesses(firm_ids, firm_names) if firm_ids is not None else None
    without_totals_rows(table, is_empty(source) | is_empty(target), columns.found, found,
                        source_at < 0)  # fmt: skip
    for column, values, at in (("source", source, source_at), ("target", target, target_at)):
        empty = is_empty(values)
        found.add_rows(
            table,
            empty,
            column,
            f"{column} is empty",
            f"give the id of the {'sending' if column == 'source' else 'receiving'} firm",
        )
        if guesses is not None:
            _unknown_firms(table, column, values, (at < 0) & ~empty, guesses, found, firms_file)
        else:  # the endpoints are the nodes: none is unknown, but '#N/A' is no firm
            found.add_rows(
                table,
                spreadsheet_error_mask(nodes)[at],
                column,
                "'{value}' is a spreadsheet error, not a firm id",
                SPREADSHEET_HINT,
                values,
            )
    # A flow from a firm to itself is internal recycling (a smelter re-melting its own
    # scrap, a paper mill re-pulping its broke): accepted and counted (issue 15).
    found.extend(columns.found)
    materials, categories, units = columns.materials, columns.categories, columns.units
    encoded = (materials, categories, units)
    quantity, value = columns.quantity, columns.value
    check_repeated_rows(table, (source_at, target_at), encoded, found, value, quantity)
    found.warnings.extend(size_warnings(table, quantity))
    category_code = np.array(
        [CATEGORIES.index(c) if c in CATEGORIES else -1 for c in columns.canonical],
        dtype=np.int8,
    )
    row_dimension = columns.unit_dimension[units.codes]
    dimension = np.where(np.isnan(value), np.int8(-1), row_dimension).astype(np.int8)
    return Flows(
        frame=columns.frame,
        nodes=nodes,
        source=source_at,
        target=target_at,
        value=value,
        dimension=dimension,
        unit_dimension=row_dimension,
        category=category_code[categories.codes],
        material_code=materials.codes,
        materials=np.array(materials.values, dtype=object),
        material_key_code=columns.row_keys,
        material_keys=columns.keys,
    )


@dataclass
class FlowColumns:
    """What the rules of the columns other than the endpoints made (:func:`check_flow_columns`):
    the encoded columns, the parsed quantities and values, the model table, and
    ``found``, their problems and warnings in order."""

    materials: Encoded
    categories: Encoded
    canonical: np.ndarray
    units: Encoded
    unit_dimension: np.ndarray
    quantity: np.ndarray
    value: np.ndarray
    row_keys: np.ndarray
    keys: np.ndarray
    frame: pd.DataFrame
    found: Collector


def check_flow_columns(table: Table, skipped: dict[str, np.ndarray]) -> FlowColumns:
    """The rules of the flows' columns but the endpoints (which need the firm ids looked
    up): material, category, quantity and unit, year, price and spreads; the model table.
    ``skipped``: the rows already refused as a whole (:meth:`Collector.skip`), said no
    more. Reads nothing of the firms, so it may run while the ids are looked up.
    O(rows)."""
    found = Collector(skipped=dict(skipped))
    warn_usual_names(table, found, FLOW_OPTIONAL_NAMES)
    source, target = table.column("source"), table.column("target")
    material_column = table.column("material")
    materials = encode(material_column)
    found.add_rows(
        table,
        materials.rows_where(materials.lookup(lambda m: m == "", bool)),
        "material",
        "material is empty",
        "name the material",
    )
    _spreadsheet_errors(table, "material", materials, found)

    categories = encode(table.column("category"))
    canonical = categories.lookup(canonical_category)
    unknown = pd.isna(canonical)  # per distinct category
    if unknown.any():
        dimension_word = categories.lookup(lambda c: c.lower() in DIMENSION_WORDS, bool)
        empty_category = categories.lookup(lambda c: c == "", bool)
        _spreadsheet_errors(table, "category", categories, found)
        found.add_rows(
            table,
            categories.rows_where(unknown & dimension_word),
            "category",
            "'{value}' is a dimension, not a category",
            "the unit gives the dimension; use product, by-product, waste or emission",
            table.column("category"),
        )
        found.add_rows(
            table,
            categories.rows_where(unknown & empty_category),
            "category",
            "category is empty",
            "use " + ", ".join(CATEGORIES),
        )
        other = unknown & ~dimension_word & ~empty_category
        other &= ~np.asarray(spreadsheet_error_mask(categories.dictionary), dtype=bool)
        words = category_words()
        add_unknown_words(table, "category", categories, other, found, words, CATEGORIES)

    quantity = parse_numbers(table, "quantity", found, minimum=0)
    units = encode(table.column("unit"))
    unit_dimension, factor = _check_units(table, units, quantity, found)
    found.warnings.extend(mixed_volumes(table, materials, units, unit_dimension))
    found.warnings.extend(
        mixed_masses(table, materials, units, unit_dimension, categories, canonical)
    )
    value = convert(table, quantity, units.codes, factor, unit_dimension, found)
    found.warnings.extend(full_load_warning(table, units, unit_dimension, value))
    found.warnings.extend(continuous_rate_warning(table, units, unit_dimension, value))
    dimension_names = [DIMENSIONS[d] if d >= 0 else None for d in unit_dimension]

    key_of_material = materials.lookup(material_key)
    key_codes, keys = pd.factorize(key_of_material)  # keys in order of first appearance
    row_keys = key_codes.astype(np.int32)[materials.codes]
    result = pd.DataFrame(
        {
            "source": series(source),
            "target": series(target),
            "material": series(material_column),
            "material_key": text_series(list(key_of_material), materials.codes),
            "category": text_series(list(canonical), categories.codes),
            "quantity": quantity,
            "unit": series(table.column("unit")),
            "value": value,
            "dimension": text_series(dimension_names, units.codes),
        }
    )
    _check_material_dimensions(table, materials, row_keys, unit_dimension[units.codes], found)
    if "year" in table:
        result["year"] = _years(table, found)
        found.warnings.extend(years_added_up(table.path, result["year"]))
    if "price" in table:
        price = parse_numbers(
            table,
            "price",
            found,
            minimum=0,
            what="a price",
            negative_hint="prices are >= 0; leave the cell empty if unknown",
        )
        result["price"] = check_prices(table, price, found)
    row_factor = factor[units.codes] if len(factor) else np.full(len(quantity), np.nan)
    result = result.assign(**check_uncertainty(table, quantity, found, row_factor),
                           **check_substitutable(table, found),
                           **flow_hazards(table, found, categories))  # fmt: skip
    result = with_extra_columns(result, table, FLOW_COLUMNS, DERIVED_FLOW_COLUMNS, found)
    result["row"] = table.rows
    return FlowColumns(
        materials=materials,
        categories=categories,
        canonical=canonical,
        units=units,
        unit_dimension=unit_dimension,
        quantity=quantity,
        value=value,
        row_keys=row_keys,
        keys=np.asarray(keys, dtype=object),
        frame=result,
        found=found,
    )


def _spreadsheet_errors(
    table: Table, column: str, encoded: Encoded, found: Collector
) -> np.ndarray:
    """Report the cells of an encoded text column that are spreadsheet errors ('#N/A'
    as a material: a failed formula, not a name); their rows' mask. O(distinct values)
    on their first bytes."""
    errors = encoded.rows_where(spreadsheet_error_mask(encoded.dictionary))
    found.add_rows(
        table,
        errors,
        column,
        f"'{{value}}' is a spreadsheet error, not a {column}",
        SPREADSHEET_HINT,
        table.column(column),
    )
    return errors


def _unknown_firms(table, column, values, unknown, guesses, found, firms_file) -> None:
    """One problem per row whose endpoint is not a firm id, with a guess at the id meant
    (one guess per distinct value)."""

    def each(listed: np.ndarray) -> list[tuple[str, str]]:
        cells = values.take(pa.array(listed, pa.int64())).to_pylist()
        hints: dict[str, str] = {}
        for value in cells:
            if value not in hints:
                named, guess = guesses.named(value), guesses.guess(value)
                hints[value] = (
                    f"'{shorten(value)}' is the name of firm '{named}': write its id in {column}"
                    if named
                    else f"did you mean '{guess}'?{difference(value, guess)}"
                    if guess
                    else unknown_id_hint(value, firms_file)
                )
        return [
            (f"'{value}' is a spreadsheet error, not a firm id", SPREADSHEET_HINT)
            if is_spreadsheet_error(value)
            else (f"unknown firm '{shorten(value)}'", hints[value])
            for value in cells
        ]

    found.add_listed(
        table, np.flatnonzero(unknown), column, f"add the missing ids to {firms_file}", each
    )


def _check_units(table: Table, units: Encoded, quantity: np.ndarray, found: Collector):
    """Parse each distinct unit once; report unknown units and missing ones. Returns, per
    distinct unit, its dimension code (-1 unknown) and its factor to the canonical unit
    (NaN unknown)."""
    hint = "use a mass (t, kt), energy (MWh, GJ) or volume unit"
    dimension, factor = unit_factors(table, units, found, hint=hint, skip_empty=True)
    empty = units.rows_where(units.lookup(lambda u: u == "", bool))
    found.add_rows(
        table,
        empty & ~np.isnan(quantity),
        "unit",
        "unit is empty but a quantity is given",
        "write t, MWh, GJ or m3",
    )
    return dimension, factor


def _years(table: Table, found: Collector) -> pd.Series:
    cells = table.column("year")
    years = pd.Series(parse_numbers(table, "year", found, what="a year", hint=_YEAR_HINT,
                                    cells=_without_year_mark(cells)))  # fmt: skip
    not_whole = years.notna() & (years != years.round())
    found.add_rows(table, not_whole, "year", "{value} is not a whole year", _YEAR_HINT, cells)
    # 2019 or 2019.0 (a spreadsheet's float), not 2.019e3 or 1e3
    exponent = years.notna().to_numpy() & ~not_whole.to_numpy()
    exponent &= pc.match_substring(cells, "e", ignore_case=True).to_numpy(zero_copy_only=False)
    found.add_rows(table, exponent, "year", "{value} is not written as a year", _YEAR_HINT, cells)
    not_whole |= exponent
    outside = years.notna() & ~not_whole & ((years < FIRST_YEAR) | (years > LAST_YEAR))
    message = f"{{value}} is not a year from {FIRST_YEAR} to {LAST_YEAR}"
    found.add_rows(table, outside, "year", message, _YEAR_HINT, cells)
    good = years.where(~not_whole & ~outside)
    return good if (not_whole | outside).any() else good.astype("Int64")


def years_added_up(path: str, years: pd.Series) -> list[str]:
    """A warning when the flows hold several years: every sum and share of one network is
    over all of its flows, so over all those years (a register's all-years table said
    "86 kt/yr disposed" for two years of 45 and 41 kt). O(rows)."""
    known = years.dropna().to_numpy(dtype=np.int64)
    distinct = np.unique(known)
    if len(distinct) < 2:
        return []
    n = len(distinct)
    return [
        f"{path}: flows of {n} years ({distinct[0]}-{distinct[-1]}) {YEARS_ADDED_UP}, not per "
        f"year: each quantity is their total, labelled so (t over {n} years); analyse one year "
        "(symbiosis.select_year; the commands take the latest unless --year says otherwise), "
        "and the 'trends' section (symbiosis trends) gives each year"
    ]


#: What the warning of :func:`years_added_up` says (commands that split the years, or
#: take one of them, leave it out).
YEARS_ADDED_UP = "are added up: every sum and share is over all of them"


def _without_year_mark(cells: pa.Array) -> pa.Array | None:
    """The year cells with a Chinese year mark dropped (``2019年`` is 2019); None when no
    cell has one (nearly every file: its bytes are ASCII)."""
    if is_ascii(cells):
        return None
    return pc.replace_substring_regex(cells, r"^\s*([0-9]{4})\s*年\s*$", r"\1")


def _check_material_dimensions(
    table: Table,
    materials: Encoded,
    keys: np.ndarray,
    dimension: np.ndarray,
    found: Collector,
) -> None:
    """One problem per material (by key) given in more than one dimension, naming the first
    row of each dimension. O(rows) on integer codes."""
    known = np.flatnonzero(dimension >= 0)
    if not len(known):
        return
    pairs, _ = pd.factorize(keys[known].astype(np.int64) * len(DIMENSIONS) + dimension[known])
    firsts = known[first_occurrences(pairs)]  # first row of each (key, dimension), in order
    first_keys = keys[firsts]
    key_counts = np.bincount(first_keys)
    mixed = firsts[key_counts[first_keys] > 1]
    if not len(mixed):
        return
    units = table.column("unit")
    groups: dict[int, list[int]] = {}
    for position in mixed:  # grouped by key, in order of first appearance
        groups.setdefault(int(keys[position]), []).append(int(position))
    for positions in groups.values():
        unit_cells = units.take(pa.array(positions, pa.int64())).to_pylist()
        described = ", ".join(
            f"{DIMENSIONS[dimension[i]]} on row {table.rows[i]} ('{shorten(u, 20)}')"
            for i, u in zip(positions, unit_cells, strict=True)
        )
        found.add(
            table.path,
            int(table.rows[positions[1]]),
            "unit",
            f"material '{shorten(materials.values[materials.codes[positions[0]]])}' is given "
            f"in more than one dimension: {described}",
            one_dimension_hint(materials.values[materials.codes[positions[0]]]),
        )
