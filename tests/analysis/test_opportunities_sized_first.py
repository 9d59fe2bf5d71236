"""The ranking sized for its first rows only (what the JSON report runs: no table) lists
exactly what the ranking with every capacity gives: the same rows, quantities,
capacities, impacts and plants, whatever the rounds it takes."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.analysis.opportunities import find_opportunities
from symbiosis.analysis.opportunities import heads as heads_module
from symbiosis.analysis.opportunities.capacity import Deferred, with_capacities
from symbiosis.examples import example_path
from symbiosis.export.json import to_json_bytes

from .test_opportunities import networks

ROOT = Path(__file__).resolve().parents[2]
PARKS = sorted(p for p in (ROOT / "benchmarks" / "parks").iterdir() if p.is_dir())


def _generator():
    path = ROOT / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("_symbiosis_bench_generate_sized", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _same_listing(network, **options) -> None:
    full = find_opportunities(network, **options)
    lean = find_opportunities(network, table=False, **options)
    assert to_json_bytes(lean.to_dict()) == to_json_bytes(full.to_dict())


class _Rounds:
    """Counts the rounds of resolving receivers (calls of Deferred.resolve)."""

    def __init__(self, patch: pytest.MonkeyPatch):
        self.calls = 0
        resolve = Deferred.resolve

        def counted(deferred, nodes):
            self.calls += 1
            return resolve(deferred, nodes)

        patch.setattr(Deferred, "resolve", counted)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated network of parks (their firms with coordinates): streams offered to
    many receivers, most cut to what the receiver takes now."""
    folder = tmp_path_factory.mktemp("parks")
    _generator().generate(20_000, 3, folder, park_size=60)
    return symbiosis.load(folder)


@pytest.mark.parametrize("top", [0, 1, 3, 10, 40])
def test_a_generated_network_the_same_and_resolved_in_rounds(generated, top, monkeypatch):
    rounds = _Rounds(monkeypatch)
    _same_listing(generated, top=top)
    assert (rounds.calls > 0) == (top > 0)  # the first rows need some receivers resolved


@pytest.mark.parametrize(("wider", "most"), [(1, 2), (1, 50), (2, 1), (8, 6)])
def test_any_number_of_rounds_and_the_fallback_give_the_same(generated, wider, most, monkeypatch):
    """WIDER 1: each round resolves only the receivers of the first rows (many rounds);
    ROUNDS 1 or 2: every receiver resolved once the rounds run out."""
    monkeypatch.setattr(heads_module, "WIDER", wider)
    monkeypatch.setattr(heads_module, "ROUNDS", most)
    rounds = _Rounds(monkeypatch)
    _same_listing(generated, top=10)
    assert rounds.calls <= most


def test_the_plants_listed_before_the_rounds_end(generated, monkeypatch):
    """On threads, the new plants' lane gets its rows as soon as the keys are known:
    here it lists them while the rounds wait for it."""
    import threading

    import symbiosis._threads

    monkeypatch.setattr(symbiosis._threads, "PARALLEL_FLOWS", 0)
    plants_listed = threading.Event()
    rows = heads_module.new_plant_rows

    def listed(*args):
        try:
            return rows(*args)
        finally:
            plants_listed.set()

    first = heads_module._resolved_first

    def after_the_plants(*args):
        assert plants_listed.wait(timeout=10)
        return first(*args)

    monkeypatch.setattr(heads_module, "new_plant_rows", listed)
    monkeypatch.setattr(heads_module, "_resolved_first", after_the_plants)
    _same_listing(generated, top=10)


@pytest.mark.parametrize(
    "folder", [example_path("tongling"), example_path("years"), *PARKS], ids=lambda p: p.name
)
def test_real_networks_the_same(folder):
    network = symbiosis.load(folder)
    _same_listing(network, top=10)
    _same_listing(network, top=2, disposal_cost=30.0, transport_rate=0.1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network=networks(), top=st.integers(0, 6), wider=st.sampled_from([1, 8]))
def test_random_networks_the_same(network, top, wider):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(heads_module, "WIDER", wider)
        _same_listing(network, top=top)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(network=networks(), seed=st.integers(0, 2**32 - 1))
def test_receivers_resolved_in_any_order_give_every_capacity(network, seed):
    """Resolving the receivers in any batches, then the rest, gives each row the
    capacity and quantity with_capacities gives, and groups the rows alike (one group
    for one group, with the same limit, source and detail)."""
    from symbiosis.analysis.opportunities import _candidates
    from symbiosis.analysis.opportunities.receivers import Context
    from symbiosis.analysis.opportunities.streams import find_streams
    from symbiosis.catalogue import default_catalogue

    ctx = Context(network, default_catalogue(), find_streams(network), None, 3)
    candidates, _ = _candidates(ctx)
    want, groups = with_capacities(ctx, candidates)
    deferred = Deferred(ctx, candidates)
    rng = np.random.default_rng(seed)
    for _ in range(rng.integers(0, 3)):
        deferred.resolve(rng.random(ctx.core.n_nodes) < 0.4)
    deferred.resolve_all()
    got, got_groups = deferred.sized()
    np.testing.assert_array_equal(got.capacity, want.capacity)
    np.testing.assert_array_equal(got.quantity, want.quantity)
    pairs = set(zip(got.capacity_group.tolist(), want.capacity_group.tolist(), strict=True))
    assert len({a for a, _ in pairs}) == len(pairs) == len({b for _, b in pairs})
    for a, b in pairs:
        assert (a < 0) == (b < 0)
        if a >= 0:
            assert got_groups.describe(a) == groups.describe(b)


def test_prices_demands_and_costs_the_same(tmp_path_factory):
    """The worth read from a price column, demand rows bounding some listed receivers
    (a source earlier than the intake bounds) and disposal and transport costs."""
    import pandas as pd

    folder = tmp_path_factory.mktemp("priced")
    _generator().generate(20_000, 5, folder, park_size=60)
    flows = pd.read_csv(folder / "flows.csv", dtype=str, keep_default_na=False)
    flows["price"] = [str(10 + i % 37) for i in range(len(flows))]
    flows.to_csv(folder / "flows.csv", index=False)
    network = symbiosis.load(folder)
    listed = find_opportunities(network, top=10, table=False).listed
    bounds = {}  # one row per (firm, material): a demands file repeats none
    for o in listed[::3]:
        if not o.new_plant and o.unit == "t/yr" and o.quantity:
            bounds.setdefault((o.target, o.material), o.quantity / 2)
    rows = ["firm,material,quantity,unit"]
    rows += [f"{firm},{material},{quantity},t" for (firm, material), quantity in bounds.items()]
    demands = tmp_path_factory.mktemp("demands") / "demands.csv"
    demands.write_text("\n".join(rows) + "\n")
    assert len(rows) > 2
    options = {"top": 10, "demands": demands, "disposal_cost": 30.0, "transport_rate": 0.1}
    _same_listing(network, **options)
    bounded = find_opportunities(network, table=False, **options).listed
    assert any(o.capacity and o.capacity["source"] == "demand" for o in bounded)


def test_a_plants_feeds_of_one_size_in_two_dimensions_go_by_dimension():
    """Feeds of one size in two dimensions are listed by dimension, not by their turns in
    the whole rank order, which the lean pass does not make (at a million flows, round
    numbers tied a mass and an energy feed of one sector: the whole order, 1.5 s and
    0.35 GB, was made for them alone); within a dimension, in rank order."""
    from symbiosis.analysis.opportunities.chain import _largest_first

    values = np.array([5.0, 5.0, 7.0, np.nan, 5.0])
    dimension = np.array([1, 0, 1, 0, 0])
    assert _largest_first(values, dimension).tolist() == [2, 1, 4, 0, 3]
