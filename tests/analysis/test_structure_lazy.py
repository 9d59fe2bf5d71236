"""The structure result keeps its origins and stages tables lazily (labels looked up only
for the rows listed): the listed rows and the frames are those of the tables built eagerly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.analysis._flowsums import Arrays
from symbiosis.analysis._records import records
from symbiosis.analysis.origins import actors_by_id, descending, sector_labels
from symbiosis.analysis.structure import (
    _REACHED_BY,
    resource_city_indicators,
    throughflow_origins,
)

from .reuse_networks import build, random_frames

TONGLING = Path(__file__).parents[2] / "examples" / "tongling"


def _eager_stages(net) -> pd.DataFrame:
    """The stages table as it was built before the lazy table: every column gathered."""
    arrays = Arrays(net)
    stage, reached_by = _stage_array(net)
    actors = arrays.core.actor_nodes
    order = actors_by_id(arrays)
    order = order[np.argsort(-stage[order], kind="stable")]
    node = actors[order]
    table = pd.DataFrame(
        {
            "firm": pd.Series(arrays.ids[node], dtype=object),
            "name": pd.Series(arrays.names[node], dtype=object),
            "sector": pd.Series(sector_labels(arrays)[node], dtype=object),
            "role": pd.Series(arrays.role[node], dtype=object),
        }
    )
    ordered = stage[order].astype(np.int64)
    table["stage"] = pd.arrays.IntegerArray(ordered, ordered <= 0)
    table["chain"] = pd.Series(_REACHED_BY[reached_by[order]], dtype=object)
    return table


def _stage_array(net):
    from symbiosis.analysis.structure import _chain_stages

    return _chain_stages(net, "material")


def _eager_origins(net) -> pd.DataFrame:
    tables = [throughflow_origins(net, d) for d in net.dimensions]
    return pd.concat(tables, ignore_index=True) if tables else None


def _check(net, limit):
    indicators = resource_city_indicators(net)
    eager = {"stages": _eager_stages(net), "origins": _eager_origins(net)}
    listed = indicators.to_dict(limit=limit)
    for name, table in eager.items():
        frame = getattr(indicators, name)
        if table is not None:
            pd.testing.assert_frame_equal(frame, table)
        assert listed[name] == records(frame, limit)
        assert listed["rows"][name] == len(frame)
    assert listed["sectors"] == records(indicators.sectors, limit)


@settings(max_examples=40, deadline=None)
@given(random_frames(), st.sampled_from([None, 1, 2, 5]))
def test_lazy_tables_list_what_the_eager_tables_list(frames, limit):
    _check(build(frames), limit)


@pytest.mark.parametrize("limit", [None, 3, 1000])
def test_lazy_tables_on_tongling(limit):
    _check(symbiosis.load(TONGLING), limit)


def test_unreached_stage_is_listed_as_none():
    net = symbiosis.load(TONGLING)
    stages = resource_city_indicators(net).to_dict(limit=None)["stages"]
    assert all(row["stage"] is None or type(row["stage"]) is int for row in stages)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(min_value=0, exclude_min=True, allow_nan=False),
            st.sampled_from([5e-324, 1.0, 2.0, float("inf"), 1.7976931348623157e308]),
        ),
        max_size=40,
    )
)
def test_descending_is_the_stable_sort_of_the_negated_values(values):
    array = np.array(values, dtype=float)
    np.testing.assert_array_equal(descending(array), np.argsort(-array, kind="stable"))
