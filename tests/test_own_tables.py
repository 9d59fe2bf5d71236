"""symbiosis.io.own_tables: the model's own tables recognised without their mark."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from symbiosis import from_frames, load
from symbiosis.examples import example_path


@pytest.fixture(scope="module")
def network():
    return load(example_path("tongling"))


NEW_FLOW = pd.DataFrame(
    [
        {
            "source": "DGS",
            "target": "CONCH",
            "material": "tailings",
            "quantity": 5,
            "unit": "kt",
            "category": "waste",
        }
    ]
)


def _user_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c.startswith("user_")]


def test_flows_appended_with_concat_are_the_models_own(network):
    """Measured: pd.concat([net.flows, new_rows]) lost the mark (attrs), and with_flows
    kept material_key, value, dimension and row as junk user_* columns."""
    both = pd.concat([network.flows, NEW_FLOW], ignore_index=True)
    assert not both.attrs  # pandas drops the mark here
    after = network.with_flows(both)
    assert _user_columns(after.flows) == []
    assert after.flows["value"].iloc[-1] == 5000.0
    assert after.flows["row"].iloc[:-1].tolist() == network.flows["row"].tolist()


def test_firms_appended_with_concat_are_the_models_own(network):
    new = pd.DataFrame(
        {"role": ["recycling"], "sector": ["new"]}, index=pd.Index(["NEW"], name="id")
    )
    after = network.with_firms(pd.concat([network.firms, new]))
    assert _user_columns(after.firms) == []
    assert bool(after.firms.loc["NEW", "actor"])


def test_a_table_written_to_csv_and_read_back_is_the_models_own(network):
    text = io.StringIO()
    network.flows.to_csv(text, index=False)
    again = from_frames(network.firms, pd.read_csv(io.StringIO(text.getvalue())))
    assert _user_columns(again.flows) == []
    pd.testing.assert_series_equal(again.flows["value"], network.flows["value"])


@pytest.mark.parametrize(
    ("column", "values"),
    [
        ("value", 1.0),  # an economic value, say: not the quantity in t
        ("dimension", "money"),
        ("material_key", "something else"),
        ("row", "first"),
    ],
)
def test_a_column_of_that_name_holding_something_else_is_the_users(network, column, values):
    flows = pd.DataFrame(network.flows.to_dict("list")).assign(**{column: values})
    with pytest.warns(match=f"column '{column}' is kept as 'user_{column}'"):
        after = network.with_flows(flows)
    assert f"user_{column}" in after.flows.columns
    assert set(_user_columns(after.flows)) == {
        f"user_{c}" for c in ("material_key", "value", "dimension", "row")
    }
