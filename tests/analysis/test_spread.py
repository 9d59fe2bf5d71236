"""Per-flow distributions (symbiosis.analysis.spread): parameters against hand-computed
values, the pedigree mapping against its published factors, and draws whose moments match
the distributions (property tests)."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from symbiosis import from_frames
from symbiosis.analysis.spread import (
    KINDS,
    QUALITY_SPREAD,
    draw,
    flow_spreads,
    lognormal_parameters,
)
from symbiosis.errors import InputError


def network(**columns):
    base = {
        "source": ["A", "A", "B", "B", "B"],
        "target": ["B", "C", "C", "C", "C"],
        "material": ["slag", "slag2", "dust", "ash", "sand"],
        "quantity": [10, 5, 3, 3, None],
        "unit": ["kt", "t", "t", "t", "t"],
        "category": ["by-product", "waste", "waste", "waste", "waste"],
    }
    return from_frames(None, pd.DataFrame(base | columns))


MIXED = {
    "quantity_low": [8, None, None, None, None],
    "quantity_high": [12, None, None, None, None],
    "uncertainty": [None, 0.2, None, None, None],
    "quality": [None, None, 3, None, None],
}


def test_sources_kinds_and_hand_computed_moments():
    spreads = flow_spreads(network(**MIXED), default=0.1)
    table = spreads.to_frame()
    assert table["source"].tolist() == ["range", "uncertainty", "quality", "default", "none"]
    assert table["kind"].tolist() == ["triangular", "lognormal", "lognormal", "lognormal", "fixed"]
    # triangular 8, 10, 12 kt in t: sd = sqrt((a2+b2+c2-ab-ac-bc)/18) = sqrt(12e6/18)
    assert spreads.low[0] == 8000 and spreads.high[0] == 12000
    assert spreads.sd[0] == pytest.approx(math.sqrt(12e6 / 18))
    assert spreads.mean[0] == pytest.approx(10000)
    assert spreads.sd[1] == pytest.approx(1.0)  # 0.2 x 5 t
    assert spreads.sd[2] == pytest.approx(3 * QUALITY_SPREAD[3])
    assert spreads.sd[3] == pytest.approx(0.3)
    assert np.isnan(spreads.value[4]) and np.isnan(spreads.sd[4])
    assert spreads.to_dict()["uncertain_flows"] == 4


def test_uniform_ranges_and_no_default():
    spreads = flow_spreads(network(**MIXED), ranges="uniform")
    assert KINDS[spreads.kind[0]] == "uniform"
    assert spreads.sd[0] == pytest.approx(4000 / math.sqrt(12))
    assert spreads.sd[3] == 0 and KINDS[spreads.kind[3]] == "fixed"


def test_quality_mapping_follows_the_pedigree_factors():
    # score 3: U = 1.05 (basic), 1.10 (reliability), 1.05 (completeness), 1.10 (temporal)
    sigma = math.sqrt(2 * math.log(1.05) ** 2 + 2 * math.log(1.10) ** 2) / 2
    assert QUALITY_SPREAD[3] == pytest.approx(math.sqrt(math.exp(sigma**2) - 1))
    # score 1 keeps the basic uncertainty only
    assert QUALITY_SPREAD[1] == pytest.approx(math.sqrt(math.exp((math.log(1.05) / 2) ** 2) - 1))
    values = list(QUALITY_SPREAD.values())
    assert values == sorted(values) and len(values) == 5


def test_bad_options_are_input_errors():
    with pytest.raises(InputError):
        flow_spreads(network(), default=-0.1)
    with pytest.raises(InputError):
        flow_spreads(network(), ranges="normal")


def test_same_generator_state_same_draws():
    spreads = flow_spreads(network(**MIXED), default=0.1)
    first = draw(spreads, np.random.default_rng(7), 50)
    again = draw(spreads, np.random.default_rng(7), 50)
    assert np.array_equal(first, again, equal_nan=True)
    assert first.shape == (50, 5) and np.isnan(first[:, 4]).all()


@settings(max_examples=25, deadline=None)
@given(
    mean=st.floats(1e-3, 1e6),
    cv=st.floats(0.01, 1.0),
)
def test_lognormal_parameters_keep_mean_and_sd(mean, cv):
    mu, sigma = lognormal_parameters(np.array([mean]), np.array([cv * mean]))
    assert math.exp(mu[0] + sigma[0] ** 2 / 2) == pytest.approx(mean, rel=1e-9)
    variance = (math.exp(sigma[0] ** 2) - 1) * math.exp(2 * mu[0] + sigma[0] ** 2)
    assert math.sqrt(variance) == pytest.approx(cv * mean, rel=1e-9)


@settings(max_examples=15, deadline=None)
@given(
    low=st.floats(0, 100),
    left=st.floats(0.1, 100),
    right=st.floats(0.1, 100),
    uniform=st.booleans(),
)
def test_range_draws_match_their_moments(low, left, right, uniform):
    mode, high = low + left, low + left + right
    frames = {
        "quantity": [mode, 5, 3, 3, None],
        "unit": ["t"] * 5,
        "quantity_low": [low, None, None, None, None],
        "quantity_high": [high, None, None, None, None],
    }
    spreads = flow_spreads(network(**frames), ranges="uniform" if uniform else "triangular")
    x = draw(spreads, np.random.default_rng(0), 40_000, flows=np.array([0]))[:, 0]
    assert x.min() >= low and x.max() <= high
    se = spreads.sd[0] / math.sqrt(len(x))
    assert abs(x.mean() - spreads.mean[0]) < 5 * se
    assert x.std() == pytest.approx(spreads.sd[0], rel=0.03)


def test_tongling_spreads_come_from_its_columns():
    from symbiosis import load
    from symbiosis.examples import example_path

    spreads = flow_spreads(load(example_path("tongling")))
    counts = spreads.to_dict()
    assert counts["by_source"] == {
        "none": 1,  # waste rock: no quantity
        "range": 1,  # copperas, 3.5-4.0 t per t of TiO2
        "uncertainty": 0,
        "quality": 64,
        "default": 0,
    }
    assert counts["by_kind"]["triangular"] == 1


@given(st.floats(1e-300, 1e300), st.floats(0.0, 1e300))
def test_lognormal_parameters_stay_finite_for_any_spread(mean, relative):
    """Found by fuzzing: a relative standard deviation past 1e154 overflowed its square,
    and every draw of the Monte Carlo was NaN (`--uncertainty 1e160`). The parameters are
    finite for any finite spread, and equal ln(1 + r^2)'s direct form where it does not
    overflow."""
    assume(math.isfinite(relative * mean))  # a finite standard deviation
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning either
        mu, sigma = lognormal_parameters(np.array([mean]), np.array([relative * mean]))
    assert np.isfinite(mu).all() and np.isfinite(sigma).all() and sigma[0] >= 0
    ratio = (relative * mean) / mean
    if 0 < ratio < 1e150:
        assert sigma[0] ** 2 == pytest.approx(math.log1p(ratio**2), rel=1e-12)


def ranged_network(scale: float, ranges: list[tuple[float, float, float]]):
    """One range flow per (low, mode, high), every quantity times ``scale``."""
    n = len(ranges)
    flows = pd.DataFrame(
        {
            "source": ["A"] * n,
            "target": ["LF"] * n,
            "material": [f"m{i}" for i in range(n)],
            "quantity": [m * scale for _, m, _ in ranges],
            "unit": ["t"] * n,
            "category": ["waste"] * n,
            "quantity_low": [lo * scale for lo, _, _ in ranges],
            "quantity_high": [hi * scale for _, _, hi in ranges],
        }
    )
    firms = pd.DataFrame({"id": ["A", "LF"], "role": ["firm", "disposal"]})
    return from_frames(firms, flows)


@pytest.mark.parametrize("scale", [1e-300, 1e-160, 2.0**-1000])
def test_tiny_triangular_ranges_keep_their_spread(scale):
    """At 1e-300 t the triangular sd ((b - a)^2 ...) and the inverse cdf (sqrt of a product
    of two lengths) squared tiny lengths to 0: sd 0 (a fixed flow) and draws at the two
    ends only. Taken in units of the width, they are the ordinary ones times the scale."""
    ranges = [(8.0, 10.0, 15.0), (1.0, 1.0, 2.0), (3.0, 4.0, 4.0)]
    ordinary, tiny = (
        flow_spreads(ranged_network(1.0, ranges)),
        flow_spreads(ranged_network(scale, ranges)),
    )
    assert (tiny.kind == KINDS.index("triangular")).all()
    np.testing.assert_allclose(tiny.sd / scale, ordinary.sd, rtol=1e-12)
    draws = [draw(s, np.random.default_rng(4), 50) for s in (ordinary, tiny)]
    np.testing.assert_allclose(draws[1] / scale, draws[0], rtol=1e-12)


def test_triangular_units_change_no_bit_of_ordinary_ranges():
    ranges = [(8.0, 10.0, 15.0), (0.3, 0.7, 0.9), (1e5, 2.5e5, 7e5)]
    spreads = flow_spreads(ranged_network(1.0, ranges))
    a, c, b = (np.array(column) for column in zip(*ranges, strict=True))
    assert (spreads.sd == np.sqrt(((b - a) ** 2 - (c - a) * (b - c)) / 18)).all()
    u = np.random.default_rng(4).random((20, 3))
    left = a + np.sqrt(u * (b - a) * (c - a))
    right = b - np.sqrt((1 - u) * (b - a) * (b - c))
    expected = np.where(u < (c - a) / (b - a), left, right)
    assert (draw(spreads, np.random.default_rng(4), 20) == expected).all()
