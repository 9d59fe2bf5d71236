"""Calls side by side on threads (symbiosis._threads) and the core's cache under them."""

import threading
import time

import numpy as np
import pytest

import symbiosis
from symbiosis._threads import PARALLEL_FLOWS, one_thread, side_by_side, worth_threads
from symbiosis.examples import example_path


def test_results_come_in_the_order_of_the_calls():
    assert side_by_side([]) == []
    assert side_by_side([lambda: 1]) == [1]
    assert side_by_side([lambda: 1, lambda: (time.sleep(0.05), 2)[1], lambda: 3]) == [1, 2, 3]


def test_the_first_call_runs_in_the_calling_thread_the_others_at_once():
    barrier = threading.Barrier(3, timeout=10)  # passes only if all three wait together
    caller = threading.get_ident()

    def meet():
        barrier.wait()
        return threading.get_ident()

    first, *others = side_by_side([meet, meet, meet])
    assert first == caller and caller not in others and len(set(others)) == 2


def test_the_first_error_in_call_order_is_raised_once_every_call_has_ended():
    ended = []

    def late_failure():
        time.sleep(0.1)
        ended.append("late")
        raise KeyError("second")

    def early_failure():
        raise ValueError("first")

    with pytest.raises(ValueError, match="first"):
        side_by_side([early_failure, late_failure])
    assert ended == ["late"]
    with pytest.raises(KeyError, match="second"):
        side_by_side([lambda: 1, late_failure])


def test_an_interrupt_in_the_calling_thread_is_raised_without_waiting():
    release = threading.Event()

    def interrupted():
        raise KeyboardInterrupt

    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        side_by_side([interrupted, lambda: release.wait(10)])
    assert time.perf_counter() - start < 5
    release.set()


def test_the_core_builds_a_shared_quantity_once_for_two_threads():
    core = symbiosis.load(example_path("tongling")).core
    started, builds = threading.Event(), []

    def build():
        builds.append(threading.get_ident())
        started.set()
        time.sleep(0.1)  # the other thread asks meanwhile
        return np.arange(3)

    def second():
        started.wait(10)
        return core.cached(("test", "shared"), build)

    first, other = side_by_side([lambda: core.cached(("test", "shared"), build), second])
    assert len(builds) == 1 and first is other
    assert core.cached(("test", "shared"), build) is first and len(builds) == 1
    assert not core._building  # no lock left behind: the core still pickles


def test_a_failed_build_is_tried_again_and_leaves_no_lock():
    core = symbiosis.load(example_path("tongling")).core
    attempts = []

    def build():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("first try")
        return 7

    with pytest.raises(RuntimeError):
        core.cached(("test", "retry"), build)
    assert not core._building
    assert core.cached(("test", "retry"), build) == 7 and len(attempts) == 2


def test_threads_are_worth_it_from_parallel_flows_on_outside_one_thread():
    assert worth_threads(PARALLEL_FLOWS) and not worth_threads(PARALLEL_FLOWS - 1)
    with one_thread():
        assert not worth_threads(10 * PARALLEL_FLOWS)
        with one_thread():
            assert not worth_threads(10 * PARALLEL_FLOWS)
        assert not worth_threads(10 * PARALLEL_FLOWS)  # the outer block still holds
        # another thread is not held by this one's block
        assert side_by_side([lambda: 0, lambda: worth_threads(PARALLEL_FLOWS)])[1]
    assert worth_threads(PARALLEL_FLOWS)


def test_one_thread_ends_on_an_error():
    with pytest.raises(ValueError), one_thread():
        raise ValueError
    assert worth_threads(PARALLEL_FLOWS)


def test_side_by_side_for_uses_threads_only_from_parallel_flows(monkeypatch):
    from symbiosis._threads import side_by_side_for

    caller = threading.get_ident()
    assert side_by_side_for(PARALLEL_FLOWS - 1, [threading.get_ident] * 2) == [caller, caller]
    first, second = side_by_side_for(PARALLEL_FLOWS, [threading.get_ident] * 2)
    assert first == caller and second != caller
    with one_thread():
        assert side_by_side_for(PARALLEL_FLOWS, [threading.get_ident] * 2) == [caller, caller]
