"""The opportunities pass's memory savings change no result."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symbiosis.analysis.opportunities import candidates as candidates_module
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities.candidates import SMALL_CODES, Candidates, constant

from .test_opportunities import networks


def _everything(network, **options):
    result = find_opportunities(network, top=5, **options)
    return (result.table, [repr(o) for o in result.listed], repr(result.plants),
            repr(result.cumulative), result.counts, result.uncovered)  # fmt: skip


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    network=networks(),
    per_stream=st.integers(1, 3),
    rank_by=st.sampled_from(["quantity", "distance", "value"]),
)
def test_int32_codes_give_the_int64_result(network, per_stream, rank_by):
    options = {"receivers_per_stream": per_stream, "rank_by": rank_by}
    small = _everything(network, **options)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(candidates_module, "SMALL_CODES", ())  # every code as it was made
        plain = _everything(network, **options)
    assert small[0].equals(plain[0])
    assert small[0].dtypes.equals(plain[0].dtypes)
    assert small[1:5] == plain[1:5]
    assert small[5].equals(plain[5])


def test_small_codes_are_int32_through_take_and_concat():
    n = 4
    ints = np.arange(n, dtype=np.int64)
    part = Candidates(
        stream=ints, pathway=ints - 1, rule=ints, kind=np.zeros(n, np.int8), receiver=ints,
        sector=constant(0, n, np.int64), distance_km=np.zeros(n), quantity=np.ones(n),
        replaced=constant(np.nan, n, float), replaced_key=constant(-1, n, np.int64),
        capacity=constant(np.nan, n, float), capacity_group=constant(-1, n, np.int64),
    )  # fmt: skip
    for rows in (part, part.take(np.array([3, 0])), Candidates.concat([part, part], part.rules)):
        for name in SMALL_CODES:
            assert getattr(rows, name).dtype == np.int32, name
        assert rows.stream.dtype == rows.receiver.dtype == np.int64
    assert part.sector.strides == (0,)  # a constant stays one
    np.testing.assert_array_equal(part.pathway, [-1, 0, 1, 2])
