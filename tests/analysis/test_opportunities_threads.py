"""The opportunities pass's stages side by side on two threads (the candidate stages; the
capacities, or all but the intake bounds, beside the deduplication; the ranking beside
the impact's graph) give the same result as one after the other, and really run at
once."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

import symbiosis
import symbiosis._threads
import symbiosis.analysis.opportunities as opportunities
from symbiosis._threads import one_thread
from symbiosis.examples import example_path
from symbiosis.export.json import to_json

ROOT = Path(__file__).resolve().parents[2]


def _generated(tmp_path_factory, n_flows: int, seed: int) -> Path:
    """A synthetic network of parks with coordinates (benchmarks/generate.py)."""
    spec = importlib.util.spec_from_file_location(
        "_symbiosis_bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    folder = tmp_path_factory.mktemp(f"generated{n_flows}")
    module.generate(n_flows, seed, folder, park_size=60)
    return folder


@pytest.fixture(scope="module", params=["tongling", "kalundborg", "gladstone", "generated"])
def network(request, tmp_path_factory):
    paths = {
        "tongling": lambda: example_path("tongling"),
        "kalundborg": lambda: ROOT / "tests" / "data" / "literature" / "kalundborg",
        "gladstone": lambda: ROOT / "benchmarks" / "parks" / "gladstone",
        "generated": lambda: _generated(tmp_path_factory, 6_000, 3),
    }
    return symbiosis.load(paths[request.param]())


@pytest.fixture
def threaded(monkeypatch):
    """Every network counts as large enough for threads."""
    monkeypatch.setattr(symbiosis._threads, "PARALLEL_FLOWS", 0)


@pytest.mark.parametrize(
    "options",
    [
        {"max_distance_km": 500},
        {"kinds": ["redirect", "new_link"]},  # filtered: deduplicated after the capacities
        {"top": 0, "impact": False},  # no listing: no impact's graph beside the ranking
        {"table": False},  # the intake bounds resolved for the listed rows only
    ],
)
def test_stages_side_by_side_give_the_same_result(network, threaded, options):
    on_threads = opportunities.find_opportunities(network, **options)
    with one_thread():
        in_turn = opportunities.find_opportunities(network, **options)
    assert to_json(on_threads.to_dict()) == to_json(in_turn.to_dict())
    if options.get("table", True):
        assert on_threads.table.equals(in_turn.table)


def test_the_capacities_change_nothing_the_deduplication_reads(network):
    """Why the two may run side by side: the rows kept are the same before and after."""
    from symbiosis.analysis.opportunities import _candidates, receivers, streams
    from symbiosis.analysis.opportunities.capacity import with_capacities
    from symbiosis.analysis.opportunities.deduplication import deduplicated
    from symbiosis.catalogue import default_catalogue

    ctx = receivers.Context(network, default_catalogue(), streams.find_streams(network), None, 3)
    candidates, _ = _candidates(ctx)
    sized, _ = with_capacities(ctx, candidates)
    assert (deduplicated(candidates, ctx) == deduplicated(sized, ctx)).all()
    assert len(candidates) == len(sized)


@pytest.mark.parametrize(
    ("module", "first", "second", "table"),
    [
        ("sizing", "with_capacities", "deduplicated", True),
        ("sizing", "Deferred", "deduplicated", False),  # the intake bounds left for later
        ("lanes", "listed", "impact_basis", True),
    ],
)
def test_the_later_stages_run_at_once(monkeypatch, threaded, module, first, second, table):
    """Each pair meets at a barrier: it passes only if both run at the same time."""
    barrier = threading.Barrier(2, timeout=10)
    threads = {}
    where = getattr(opportunities, module) if module else opportunities

    def meeting(name):
        stage = getattr(where, name)

        def run(*args, **kwargs):
            threads[name] = threading.get_ident()
            barrier.wait()
            return stage(*args, **kwargs)

        monkeypatch.setattr(where, name, run)

    meeting(first)
    meeting(second)
    network = symbiosis.load(example_path("tongling"))
    result = opportunities.find_opportunities(network, table=table)
    assert result.listed and threads[first] != threads[second]


def test_the_stages_run_at_once(monkeypatch, threaded):
    """The two halves of the sector stage meet at a barrier, then the redirects and the
    evidence at another: each pair passes only if it runs at the same time, on two
    threads."""
    barriers = {"sector": threading.Barrier(2, timeout=10),
                "after": threading.Barrier(2, timeout=10)}  # fmt: skip
    threads: dict[str, set[int]] = {"sector": set(), "after": set()}

    def meeting(group, stage):
        def run(*args):
            threads[group].add(threading.get_ident())
            barriers[group].wait()
            return stage(*args)

        return run

    for name, group in (("sector_candidates", "sector"), ("redirect_candidates", "after"),
                        ("network_candidates", "after")):  # fmt: skip
        monkeypatch.setattr(opportunities, name, meeting(group, getattr(opportunities, name)))
    result = opportunities.find_opportunities(symbiosis.load(example_path("tongling")))
    assert result.listed and len(threads["sector"]) == 2 and threads["after"] == threads["sector"]


def test_the_sector_halves_are_the_whole(network):
    """The two halves of the sector receivers, one after the other, are its whole."""
    from symbiosis.analysis.opportunities import candidates, receivers, streams
    from symbiosis.catalogue import default_catalogue

    ctx = receivers.Context(network, default_catalogue(), streams.find_streams(network), None, 3)
    pairs = candidates.pathway_pairs(ctx)
    whole = candidates.sector_candidates(ctx, pairs)
    halves = [candidates.sector_candidates(ctx, pairs, (i, 2)) for i in (0, 1)]
    assert len(whole) and sum(len(half) for half in halves) == len(whole)
    joined = candidates.Candidates.concat(halves, whole.rules)
    for field in dataclasses.fields(whole):
        got, want = getattr(joined, field.name), getattr(whole, field.name)
        assert got == want if field.name == "rules" else np.array_equal(got, want, equal_nan=True)


def test_below_parallel_flows_or_in_one_thread_the_stages_stay_in_the_caller(monkeypatch):
    caller, seen = threading.get_ident(), set()

    def recording(stage):
        def run(*args):
            seen.add(threading.get_ident())
            return stage(*args)

        return run

    for name in ("sector_candidates", "redirect_candidates", "network_candidates"):
        monkeypatch.setattr(opportunities, name, recording(getattr(opportunities, name)))
    tongling = symbiosis.load(example_path("tongling"))
    opportunities.find_opportunities(tongling)  # 60-odd flows: under PARALLEL_FLOWS
    monkeypatch.setattr(symbiosis._threads, "PARALLEL_FLOWS", 0)
    with one_thread():
        opportunities.find_opportunities(tongling)
    assert seen == {caller}
