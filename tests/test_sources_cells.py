"""symbiosis.io.sources: cells of typed columns as a CSV file would hold them (float32
digits, dates in a year column)."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from symbiosis import load

FIRMS = pd.DataFrame(
    {"id": ["A", "B", "M"], "role": ["firm", "firm", "market"], "lat": [30.1, 30.2, None]}
)
FLOWS = pd.DataFrame(
    {
        "source": ["M", "A", "B"],
        "target": ["A", "B", "M"],
        "material": ["ore", "slag", "cement"],
        "quantity": [0.1, 2.3, 5.0],
        "unit": "t",
        "category": ["product", "by-product", "product"],
        "year": [2020, 2020, 2021],
    }
)


@pytest.mark.parametrize(
    "as_float32",
    [
        pytest.param(lambda f, c: f.astype({c: "float32"}), id="numpy"),
        pytest.param(lambda f, c: f.astype({c: "Float32"}), id="nullable"),
        pytest.param(lambda f, c: f.astype({c: "float32[pyarrow]"}), id="arrow"),
        pytest.param(
            lambda f, c: pl.from_pandas(f).with_columns(pl.col(c).cast(pl.Float32)), id="polars"
        ),
    ],
)
def test_float32_cells_keep_their_shortest_digits(as_float32):
    """Measured: float32 0.1 loaded as 0.10000000149011612, a latitude 30.1 as
    30.100000381469727 (widened to float64 before it was written)."""
    flows = load(FIRMS, as_float32(FLOWS, "quantity")).flows
    assert flows["quantity"].tolist() == [0.1, 2.3, 5.0]
    firms = load(as_float32(FIRMS, "lat"), FLOWS).firms
    assert firms["lat"].tolist()[:2] == [30.1, 30.2]


@pytest.mark.parametrize(
    "dates",
    [
        pytest.param(lambda y: pd.to_datetime(y.astype(str)), id="datetime64"),
        pytest.param(lambda y: pd.to_datetime(y.astype(str)).dt.tz_localize("UTC"), id="tz"),
        pytest.param(lambda y: pd.to_datetime(y.astype(str) + "-12-31"), id="year-end"),
        pytest.param(
            lambda y: pd.Series(
                pa.array(pd.to_datetime(y.astype(str)).dt.date, pa.date32()),
                dtype=pd.ArrowDtype(pa.date32()),
            ),
            id="arrow-date",
        ),
    ],
)
def test_a_year_column_of_dates_is_their_years(dates):
    """Measured: a year column read with parse_dates was refused ('2020-01-01 00:00:00'
    is not a year) while a Period column was accepted."""
    network = load(FIRMS, FLOWS.assign(year=dates(FLOWS["year"])))
    assert network.flows["year"].tolist() == [2020, 2020, 2021]


def test_a_missing_date_is_a_missing_year():
    years = pd.to_datetime(FLOWS["year"].astype(str)).where(FLOWS.index != 1)
    assert load(FIRMS, FLOWS.assign(year=years)).flows["year"].isna().tolist() == [
        False,
        True,
        False,
    ]
