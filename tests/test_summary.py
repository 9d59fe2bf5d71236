"""symbiosis.summary: the counts of the summary section, against pandas' own counts."""

from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from symbiosis import load
from symbiosis.examples import example_path
from symbiosis.summary import _flows_by_dimension
from symbiosis.units import DIMENSIONS

PARKS = Path(__file__).resolve().parents[1] / "benchmarks" / "parks"


def _value_counts(dimension: pd.Series) -> list[tuple[str, int]]:
    """What the summary counted before it read the core: the table's column, by pandas."""
    return [(d, int(n)) for d, n in dimension.fillna("unknown").value_counts().items()]


@given(st.lists(st.integers(-1, len(DIMENSIONS) - 1), max_size=40))
def test_counts_and_their_order_are_pandas_value_counts(codes):
    """Most frequent first, ties in order of first appearance, "unknown" for no dimension."""
    unit_dimension = np.array(codes, dtype=np.int8)
    network = SimpleNamespace(core=SimpleNamespace(unit_dimension=unit_dimension))
    names = pd.Series([DIMENSIONS[c] if c >= 0 else None for c in codes], dtype="str")
    assert list(_flows_by_dimension(network).items()) == _value_counts(names)


@pytest.mark.parametrize(
    "folder",
    [
        example_path("tongling"),
        example_path("years"),
        *sorted(p for p in PARKS.iterdir() if p.is_dir()),
    ],
    ids=lambda p: p.name,
)
def test_networks_count_as_their_flows_table_does(folder):
    network = load(folder)
    counted = list(network.summary().flows_by_dimension.items())
    assert counted == _value_counts(network.flows["dimension"])


@pytest.mark.parametrize(
    "folder",
    [example_path("tongling"), *sorted(p for p in PARKS.iterdir() if p.is_dir())],
    ids=lambda p: p.name,
)
def test_flows_of_known_size_per_dimension_are_pandas_counts(folder):
    """Every dimension of the network, with the flows of known quantity in it (0 for a
    park mapped without tonnages), as pandas counts them on the flows table."""
    network = load(folder)
    flows = network.flows
    known = flows["quantity"].notna()
    expected = {d: int((known & (flows["dimension"] == d)).sum()) for d in network.dimensions}
    summary = network.summary()
    assert summary.flows_known_by_dimension == expected
    assert summary.to_dict()["flows_known_by_dimension"] == expected
    assert network.sized_dimensions == tuple(d for d in network.dimensions if expected[d])


def test_flows_of_known_size_by_hand():
    from symbiosis import from_frames

    flows = pd.DataFrame(
        {
            "source": ["A", "A", "B", "B"],
            "target": ["B", "B", "A", "A"],
            "material": ["slag", "slag", "steam", "steam"],
            "quantity": ["", "3", "", ""],
            "unit": ["t", "kt", "GJ", "MWh"],
            "category": ["by-product"] * 4,
        }
    )
    firms = pd.DataFrame({"id": ["A", "B"], "role": ["firm", "firm"]})
    network = from_frames(firms, flows)
    summary = network.summary()
    assert summary.flows_known_by_dimension == {"mass": 1, "energy": 0}
    assert network.dimensions == ("mass", "energy") and network.sized_dimensions == ("mass",)
    assert summary.totals["mass"]["total"] == 3000.0
