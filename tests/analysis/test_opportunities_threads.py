"""The opportunities pass's candidate stages side by side on two threads give the same
result as one after the other, and really run at once."""

from __future__ import annotations

import importlib.util
import sys
import threading
from pathlib import Path

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


def test_stages_side_by_side_give_the_same_result(network, threaded):
    on_threads = opportunities.find_opportunities(network, max_distance_km=500)
    with one_thread():
        in_turn = opportunities.find_opportunities(network, max_distance_km=500)
    assert to_json(on_threads.to_dict()) == to_json(in_turn.to_dict())
    assert on_threads.table.equals(in_turn.table)


def test_the_stages_run_at_once(monkeypatch, threaded):
    """The sector stage and the redirects meet at a barrier: they pass it only if they
    run at the same time, on two threads."""
    barrier = threading.Barrier(2, timeout=10)
    threads = {}

    def meeting(name, stage):
        def run(*args):
            threads[name] = threading.get_ident()
            barrier.wait()
            return stage(*args)

        return run

    monkeypatch.setattr(
        opportunities, "sector_candidates", meeting("sector", opportunities.sector_candidates)
    )
    monkeypatch.setattr(
        opportunities, "redirect_candidates", meeting("redirect", opportunities.redirect_candidates)
    )
    result = opportunities.find_opportunities(symbiosis.load(example_path("tongling")))
    assert result.listed and threads["sector"] != threads["redirect"]


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
