"""A synthetic shipment register: seeded, heavy-tailed, seasonal, on the real List of Waste.

For benchmarks, tests and examples, where a real register cannot be shipped. What makes it
look like one:

* **Facility sizes** are heavy-tailed: a sender's share of the shipments is Pareto
  distributed (shape 1.2: a few large producers ship most of the waste), a receiver's
  share of the intake lognormal (sigma 1.5).
* **What a sender ships** follows from its sector, drawn with the shares of waste generation
  in the EU in 2020 (Eurostat, env_wasgen: construction 37 %, mining and quarrying 23 %,
  manufacturing 11 %, waste and water services 11 %, households 8 %, energy 3 %), mapped to
  the List of Waste chapters of those activities; each sender ships three entries of its
  chapter, drawn from the real list (:func:`~.codes.low_list`).
* **Where it goes**: each of a sender's streams has one receiver, and each receiver performs
  one operation, drawn with shares close to the EU's treatment of 2020 (Eurostat,
  env_wastrt: recycling about 40 %, backfilling 15 %, energy recovery 6 %, landfill 38 %,
  incineration 1 %) spread over the R and D codes that carry them.
* **Dates** are seasonal (a sine of +-25 % over the year, peaking in summer, when
  construction ships most); **quantities** lognormal (median 8 t per shipment); 15 % of
  the rows give them in kg; a sender writes its codes ``170405`` or ``17 04 05``, always
  with ``*`` on a hazardous entry.

Rows are produced in chunks of Arrow arrays (dictionary-encoded text), so 50 million rows
never sit in memory at once. Complexity: O(n) for n rows, memory O(chunk).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from .codes import formatted, low_list

__all__ = ["SyntheticRegister", "chunks", "write_csv", "write_parquet"]

# Chapter of the List of Waste -> share of the senders (EU waste generation 2020 by activity,
# manufacturing spread over its chapters).
SECTOR_CHAPTERS: dict[str, float] = {
    "17": 0.37, "01": 0.23, "19": 0.11, "20": 0.08, "10": 0.06,
    "03": 0.03, "02": 0.03, "12": 0.03, "15": 0.02, "16": 0.02, "07": 0.01, "06": 0.01,
}  # fmt: skip
# Operation -> share of the receivers (EU treatment 2020, spread over the codes).
OPERATION_SHARES: dict[str, float] = {
    "R5": 0.30, "R3": 0.08, "R4": 0.08, "R1": 0.06, "R10": 0.02, "R13": 0.02,
    "D1": 0.30, "D5": 0.08, "D10": 0.01, "D9": 0.03, "D8": 0.01, "D15": 0.01,
}  # fmt: skip
STREAMS_PER_SENDER = 3


@dataclass(frozen=True)
class SyntheticRegister:
    """The parameters of a synthetic register (every draw follows from ``seed``)."""

    rows: int
    seed: int = 0
    senders: int = 50_000
    receivers: int = 2_000
    first_year: int = 2018
    years: int = 5
    chunk: int = 1_000_000


def _shares(table: dict[str, float]) -> tuple[list[str], np.ndarray]:
    keys = list(table)
    weights = np.array([table[k] for k in keys])
    return keys, weights / weights.sum()


def _cdf(weights: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


def _facilities(spec: SyntheticRegister, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Each sender's size and streams (code and receiver), each receiver's operation."""
    entries = [e for e in low_list().values() if len(e.code) == 6]
    by_chapter: dict[str, list[int]] = {}
    for position, entry in enumerate(entries):
        by_chapter.setdefault(entry.code[:2], []).append(position)
    chapters, chapter_share = _shares(SECTOR_CHAPTERS)
    sector = rng.choice(len(chapters), size=spec.senders, p=chapter_share)
    codes = np.empty((spec.senders, STREAMS_PER_SENDER), dtype=np.int64)
    for index, chapter in enumerate(chapters):
        mine = np.flatnonzero(sector == index)
        pool = np.array(by_chapter[chapter])
        codes[mine] = rng.choice(pool, size=(len(mine), STREAMS_PER_SENDER))
    receiver_cdf = _cdf(rng.lognormal(0.0, 1.5, spec.receivers))
    operations, operation_share = _shares(OPERATION_SHARES)
    return {
        "sender_cdf": _cdf(rng.pareto(1.2, spec.senders) + 1.0),
        "spelling": rng.integers(0, 2, spec.senders),  # each sender writes codes its own way
        "codes": codes,
        "receivers": np.searchsorted(receiver_cdf, rng.random(codes.shape)),
        "operation": rng.choice(len(operations), size=spec.receivers, p=operation_share),
        "entries": np.array([e.code for e in entries]),
        "hazardous": np.array([e.hazardous for e in entries]),
        "operations": np.array(operations),
    }


def _code_texts(entries: np.ndarray, hazardous: np.ndarray) -> tuple[pa.Array, int]:
    """Three spellings of every entry: ``170405``, ``17 04 05``, ``17 04 05*`` (the star on
    hazardous entries only)."""
    plain = list(entries)
    spaced = [formatted(c) for c in entries]
    starred = [formatted(c, bool(h)) for c, h in zip(entries, hazardous, strict=True)]
    return pa.array(plain + spaced + starred), len(plain)


def chunks(spec: SyntheticRegister) -> Iterator[pa.Table]:
    """The register as Arrow tables of at most ``spec.chunk`` rows: ``date`` (date32),
    ``sender``, ``receiver``, ``waste_code``, ``operation``, ``unit`` (dictionary-encoded
    text) and ``quantity`` (float64). O(rows) time, O(chunk + senders) memory."""
    rng = np.random.default_rng(spec.seed)
    world = _facilities(spec, rng)
    senders = pa.array([f"F{i:06d}" for i in range(spec.senders)])
    receivers = pa.array([f"T{i:05d}" for i in range(spec.receivers)])
    code_texts, entry_count = _code_texts(world["entries"], world["hazardous"])
    months = np.arange(12)
    month_cdf = _cdf(1.0 + 0.25 * np.sin(2 * np.pi * (months - 3) / 12))
    month_starts = np.array(
        [
            [(dt.date(spec.first_year + y, m + 1, 1) - dt.date(1970, 1, 1)).days for m in months]
            for y in range(spec.years)
        ]
    )
    units = pa.array(["t", "kg"])
    done = 0
    while done < spec.rows:
        n = min(spec.chunk, spec.rows - done)
        sender = np.searchsorted(world["sender_cdf"], rng.random(n))
        stream = rng.integers(0, STREAMS_PER_SENDER, n)
        entry = world["codes"][sender, stream]
        receiver = world["receivers"][sender, stream]
        year = rng.integers(0, spec.years, n)
        month = np.searchsorted(month_cdf, rng.random(n))
        day = month_starts[year, month] + rng.integers(0, 28, n)
        tonnes = np.round(rng.lognormal(np.log(8.0), 1.0, n), 3)
        in_kg = rng.random(n) < 0.15
        spelling = np.where(world["hazardous"][entry], 2, world["spelling"][sender])
        yield pa.table(
            {
                "date": pa.array(day.astype(np.int32), pa.date32()),
                "sender": _encoded(sender, senders),
                "receiver": _encoded(receiver, receivers),
                "waste_code": _encoded(entry + spelling * entry_count, code_texts),
                "operation": _encoded(world["operation"][receiver], pa.array(world["operations"])),
                "quantity": np.where(in_kg, tonnes * 1000.0, tonnes),
                "unit": _encoded(in_kg.astype(np.int64), units),
            }
        )
        done += n


def _encoded(indices: np.ndarray, dictionary: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), dictionary)


def write_parquet(path: Path, spec: SyntheticRegister) -> Path:
    """Write the register to one Parquet file (a row group per chunk). O(rows)."""
    import pyarrow.parquet as pq

    writer = None
    try:
        for table in chunks(spec):
            if writer is None:
                writer = pq.ParquetWriter(str(path), table.schema, compression="snappy")
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return path


def write_csv(path: Path, spec: SyntheticRegister) -> Path:
    """Write the register as CSV (dates as YYYY-MM-DD). O(rows)."""
    import pyarrow.csv as pacsv

    writer = None
    try:
        for table in chunks(spec):
            plain = _plain(table)
            if writer is None:
                writer = pacsv.CSVWriter(str(path), plain.schema)
            writer.write_table(plain)
    finally:
        if writer is not None:
            writer.close()
    return path


def _plain(table: pa.Table) -> pa.Table:
    """The table with dates as text and dictionary columns decoded, for CSV."""
    columns = {}
    for name, column in zip(table.column_names, table.columns, strict=True):
        if pa.types.is_dictionary(column.type) or name == "date":
            column = column.cast(pa.string())
        columns[name] = column
    return pa.table(columns)
