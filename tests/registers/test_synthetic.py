"""The synthetic register: seeded, heavy-tailed, seasonal, on the real List of Waste, and
read back whole by the importer."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from symbiosis.registers import import_registers
from symbiosis.registers.codes import digits, low_list
from symbiosis.registers.synthetic import (
    OPERATION_SHARES,
    SyntheticRegister,
    chunks,
    write_csv,
    write_parquet,
)

SPEC = SyntheticRegister(rows=60_000, senders=2_000, receivers=100, seed=7, chunk=25_000)


@pytest.fixture(scope="module")
def table() -> pa.Table:
    return pa.concat_tables(chunks(SPEC))


def test_seeded_and_chunked(table):
    assert table.num_rows == SPEC.rows
    assert [t.num_rows for t in chunks(SPEC)] == [25_000, 25_000, 10_000]
    again = pa.concat_tables(chunks(SPEC))
    assert again.equals(table)
    other = pa.concat_tables(chunks(SyntheticRegister(**{**SPEC.__dict__, "seed": 8})))
    assert not other.equals(table)


def test_codes_are_real_list_of_waste_entries(table):
    listed = low_list()
    written = set(table["waste_code"].to_pylist())
    assert all(len(digits(c)) == 6 and digits(c) in listed for c in written)
    starred = {c for c in written if c.endswith("*")}
    assert starred and all(listed[digits(c)].hazardous for c in starred)
    assert set(table["operation"].to_pylist()) <= set(OPERATION_SHARES)


def test_sender_sizes_are_heavy_tailed(table):
    counts = np.sort(
        np.unique(table["sender"].to_numpy(zero_copy_only=False), return_counts=True)[1]
    )
    top = counts[::-1][: len(counts) // 100].sum() / counts.sum()
    assert top > 0.10  # the largest 1 % of senders ship over 10 % (uniform: about 1 %)


def test_dates_are_seasonal(table):
    months = np.array([d.month for d in table["date"].to_pylist()])
    per_month = np.bincount(months, minlength=13)[1:]
    assert per_month[5:8].sum() > per_month[[0, 1, 11]].sum() * 1.2  # summer over winter
    years = {d.year for d in table["date"].to_pylist()}
    assert years == set(range(SPEC.first_year, SPEC.first_year + SPEC.years))


def test_parquet_and_csv_give_the_same_networks(tmp_path):
    small = SyntheticRegister(rows=5_000, senders=300, receivers=30, seed=1)
    parquet = write_parquet(tmp_path / "r.parquet", small)
    csv = write_csv(tmp_path / "r.csv", small)
    a = import_registers([parquet], None)
    b = import_registers([csv], None)
    assert a.shipments == b.shipments == 5_000
    assert a.flows.equals(b.flows) and a.firms.equals(b.firms)
    total = float(pa.concat_tables(chunks(small))["quantity"].to_numpy().sum())
    units = pa.concat_tables(chunks(small))["unit"].to_pylist()
    quantity = pa.concat_tables(chunks(small))["quantity"].to_numpy()
    expected = float(np.where(np.array(units) == "kg", quantity / 1000, quantity).sum())
    assert a.flows["quantity"].sum() == pytest.approx(expected, rel=1e-9)
    assert total >= expected
