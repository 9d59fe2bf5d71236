"""The report: sections, options and JSON form."""

import json
import threading
import time
from pathlib import Path

import pytest

import symbiosis
import symbiosis._threads
from symbiosis.examples import example_path
from symbiosis.export.json import to_json

SMALL = Path(__file__).parent / "data" / "small"


@pytest.fixture(scope="module")
def network():
    return symbiosis.load(SMALL)


def test_analyze_returns_every_registered_section(network):
    report = symbiosis.analyze(network)
    conditional = symbiosis.report.CONDITIONAL_SECTIONS
    assert list(report.sections) == [s for s in symbiosis.report.SECTIONS if s not in conditional]
    assert report.summary is report["summary"]
    assert json.loads(to_json(report.to_dict()))["summary"]["actors"] == 4


def test_sections_can_be_chosen_and_progress_is_reported(network):
    seen = []
    report = symbiosis.analyze(network, sections=["summary"], progress=seen.append)
    assert list(report.sections) == ["summary"] and seen == ["summary"]


def test_one_section_may_be_named_alone(network):
    assert list(symbiosis.analyze(network, sections="loops").sections) == ["loops"]


def test_the_throughflow_rule_reaches_the_cycling_pass_and_the_report(network):
    report = symbiosis.analyze(network, sections=["cycling"], throughflow="inflow")
    data = report.to_dict()
    assert data["cycling"]["throughflow_rule"] == "inflow"
    assert data["options"]["throughflow"] == "inflow"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sections": ["nonsense"]}, "unknown section(s) nonsense"),
        ({"bogus": 1}, "unknown option(s) bogus"),
        ({"max_loop_length": 0}, "max_loop_length must be a whole number >= 1"),
        ({"max_loops": -5}, "max_loops must be a whole number >= 0"),
        ({"max_loop_length": "6"}, "max_loop_length must be a whole number >= 1 (got '6')"),
        ({"balance_tolerance": "5%"}, "balance_tolerance must be a number >= 0 (got '5%')"),
        ({"throughflow": "average"}, "unknown throughflow 'average'; choose from max, inflow"),
        ({"options": {"max_loop_length": 3}}, "options must be symbiosis.Options(...) or None"),
        (
            {"options": symbiosis.Options(max_loop_length=3), "max_loop_length": 4},
            "options and keywords disagree: max_loop_length=4 but options.max_loop_length=3",
        ),
    ],
)
def test_bad_parameters_are_input_errors(network, kwargs, message):
    with pytest.raises(symbiosis.InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        symbiosis.analyze(network, **kwargs)


@pytest.mark.parametrize("call", [symbiosis.analyze, symbiosis.report.analyze_to_dict])
def test_options_may_be_given_as_an_options_or_none(network, call):
    def loops(data):
        data = data if isinstance(data, dict) else data.to_dict()
        return data["options"], data["loops"]

    chosen = symbiosis.Options(max_loop_length=3)
    assert loops(call(network, sections="loops", options=chosen)) == loops(
        call(network, sections="loops", max_loop_length=3)
    )
    same = call(network, sections="loops", options=chosen, max_loop_length=3)  # agreeing
    assert loops(same)[0]["max_loop_length"] == 3
    assert loops(call(network, sections="loops", options=None)) == loops(
        call(network, sections="loops")
    )


def test_json_has_no_nan_and_keeps_unicode():
    text = to_json({"a": float("nan"), "b": "铜陵", "c": (1, 2)})
    assert json.loads(text) == {"a": None, "b": "铜陵", "c": [1, 2]}
    assert "铜陵" in text


def test_a_report_pickles_and_keeps_its_results(network):
    """Reports go through joblib and multiprocessing: they pickle, results intact."""
    import pickle

    report = symbiosis.analyze(network)
    restored = pickle.loads(pickle.dumps(report))
    assert restored.to_dict() == report.to_dict()


def test_trends_section_only_for_networks_of_several_years():
    """examples/years holds three years: the report gains the trends section, whose
    years and per-year reuse shares are those of symbiosis.analysis.trends."""
    from symbiosis.analysis.trends import trends

    years = symbiosis.load(example_path("years"))
    report = symbiosis.analyze(years)
    assert "trends" in report.sections and report.trends.years == (2019, 2020, 2021)
    assert report.trends.to_dict() == trends(years).to_dict()


def test_uncertainty_section_only_when_samples_are_asked_for(network):
    """samples=N adds Monte Carlo intervals, the same as monte_carlo with that seed;
    the JSON holds them and the options record samples, seed and default spread."""
    from symbiosis.analysis.uncertainty import monte_carlo

    tongling = symbiosis.load(example_path("tongling"))
    report = symbiosis.analyze(tongling, sections=["reuse", "uncertainty"], samples=40, seed=7)
    assert list(report.sections) == ["reuse", "uncertainty"]
    alone = monte_carlo(tongling, samples=40, seed=7)
    assert report.uncertainty.indicators.equals(alone.indicators)
    data = json.loads(to_json(report.to_dict()))
    assert data["uncertainty"]["samples"] == 40 and data["options"]["seed"] == 7
    low, high = report.uncertainty.interval("mass", "reuse_share")
    assert low <= report.reuse.to_dict()["dimensions"]["mass"]["reuse_share"] <= high


def test_repr_is_one_short_line(network):
    """The dataclass repr printed every table (51 kB on Tongling, 1 MB at 100k flows)."""
    tongling = symbiosis.load(example_path("tongling"))
    text = repr(symbiosis.analyze(tongling))
    assert "\n" not in text and len(text) < 300
    assert "reuse share mass 28.3 %" in text and "1 warning(s)" in text


def test_analyze_to_dict_is_the_reports_dict(network):
    """The streamed dict is the report's own, byte for byte once written, with chosen
    sections, options and the Monte Carlo section (which reads the opportunities)."""
    from symbiosis.report import analyze_to_dict

    tongling = symbiosis.load(example_path("tongling"))
    for net, kwargs in [
        (network, {}),
        (tongling, {}),
        (tongling, {"sections": ["loops", "reuse"], "max_loop_length": 4}),
        (tongling, {"sections": ["reuse", "opportunities", "uncertainty"], "samples": 20}),
    ]:
        streamed = analyze_to_dict(net, **kwargs)
        assert to_json(streamed) == to_json(symbiosis.analyze(net, **kwargs).to_dict())
    with pytest.raises(symbiosis.InputError, match="unknown section"):
        analyze_to_dict(network, sections=["nope"])


def test_the_dict_leaves_out_the_opportunities_table_unless_a_section_reads_them(
    network, monkeypatch
):
    """analyze_to_dict runs the opportunities without their ranked table (its dict does
    not show it), also when the Monte Carlo section reads them (it ranks the listed ones
    alone: READ_LEAN); analyze keeps the table (report.opportunities.table)."""
    import symbiosis.report.sections as sections

    asked = []
    whole = sections.find_opportunities

    def spy(*args, **kwargs):
        asked.append(kwargs["table"])
        return whole(*args, **kwargs)

    monkeypatch.setattr(sections, "find_opportunities", spy)
    symbiosis.report.analyze_to_dict(network, sections=["opportunities"])
    symbiosis.report.analyze_to_dict(network, sections=["opportunities", "uncertainty"], samples=3)
    report = symbiosis.analyze(network, sections=["opportunities"])
    assert asked == [False, False, True]
    assert len(report.opportunities.table) == sum(
        sum(kinds.values()) for kinds in report.opportunities.counts.values()
    )


def test_the_opportunities_pass_runs_first_and_the_report_keeps_its_order(network):
    seen = []
    report = symbiosis.analyze(network, sections=["reuse", "opportunities"], progress=seen.append)
    assert seen == ["opportunities", "reuse"]
    assert list(report.sections) == ["reuse", "opportunities"]


def test_analyze_to_dict_holds_one_typed_result_at_a_time(network, monkeypatch):
    """Each section's result is let go once its dict is made, before the next section
    runs; one that a later section reads (the opportunities, for the Monte Carlo) is kept
    for it and not computed twice."""
    import weakref

    from symbiosis import report as report_module

    class Result:
        def to_dict(self):
            return {}

    alive, calls = [], []

    def section(name):
        def run(net, options, done):
            calls.append(name)
            alive.append([ref() is not None for ref in made])
            result = Result()
            made.append(weakref.ref(result))
            return result

        return run

    made: list = []
    for name in ("summary", "reuse", "loops", "opportunities"):
        monkeypatch.setitem(report_module.SECTIONS, name, section(name))
    # the form analyze_to_dict runs (without the ranked table), read by the Monte Carlo
    monkeypatch.setitem(report_module.DICT_SECTIONS, "opportunities", section("opportunities"))
    report_module.analyze_to_dict(network, sections=["summary", "reuse", "loops"])
    # the stages of report.STAGES in turn, lane by lane on a small network: the summary
    # (beside the opportunities, not wanted here), then reuse's lane and loops's
    assert calls == ["summary", "reuse", "loops"] and alive == [[], [False], [False, False]]

    read = []
    monkeypatch.setitem(
        report_module.SECTIONS,
        "uncertainty",
        lambda net, options, done: read.append(done.get("opportunities")) or Result(),
    )
    made.clear(), calls.clear()
    wanted = ["summary", "opportunities", "uncertainty"]
    report_module.analyze_to_dict(network, sections=wanted, samples=5)
    assert calls == ["opportunities", "summary"] and isinstance(read[0], Result)


@pytest.fixture
def threaded(monkeypatch):
    """Every network's stages, and the stages inside a pass, run on threads, however
    small (see symbiosis._threads.PARALLEL_FLOWS)."""
    monkeypatch.setattr(symbiosis._threads, "PARALLEL_FLOWS", 0)


def test_passes_on_threads_give_the_same_report(threaded):
    tongling = symbiosis.load(example_path("tongling"))
    seen: list[tuple[str, str]] = []

    def progress(name):
        seen.append((name, threading.current_thread().name))

    threaded_dict = symbiosis.report.analyze_to_dict(tongling, progress=progress)
    in_turn = symbiosis.report.analyze_to_dict(tongling, parallel=False)
    assert to_json(threaded_dict) == to_json(in_turn)
    assert to_json(symbiosis.analyze(tongling).to_dict()) == to_json(in_turn)
    ran = [name for name, _ in seen]
    assert sorted(ran) == sorted(set(ran)) and set(ran) >= {"opportunities", "structure"}
    assert {thread for _, thread in seen} == {threading.current_thread().name}


def test_run_sections_converts_each_result_in_its_lane_and_lets_it_go(
    network, threaded, monkeypatch
):
    """convert(name, result) runs in the lane (thread) that made the result, right after
    it; its value is yielded and the typed result is gone before the lane's next
    section."""
    import weakref

    from symbiosis import report as report_module

    class Result:
        pass

    made: list = []
    seen: list = []

    def section(name):
        def run(net, options, done):
            here = threading.get_ident()  # the lane's earlier results (the other lane's
            # may be alive for an instant)
            seen.append((name, here, [r() is None for r, at in made if at == here]))
            result = Result()
            made.append((weakref.ref(result), here))
            return result

        return run

    for name in ("structure", "reuse", "summary", "loops"):
        monkeypatch.setitem(report_module.SECTIONS, name, section(name))
    converted = []

    def convert(name, result):
        converted.append((name, threading.get_ident()))
        return f"{name} converted"

    wanted = ["summary", "reuse", "structure", "loops"]
    out = dict(report_module.run_sections(network, sections=wanted, convert=convert))
    assert out == {name: f"{name} converted" for name in wanted}
    ran_on = {name: thread for name, thread, _ in seen}
    assert dict(converted) == ran_on  # each converted on the thread that made it
    assert ran_on["structure"] != ran_on["loops"]  # two lanes, two threads
    assert all(all(gone) for _, _, gone in seen)  # no earlier typed result of the lane held
    # reuse after structure in its lane, in the calling thread, which ran the summary's
    # stage before (one lane: no thread of its own); loops first in its lane
    held = {name: len(gone) for name, _, gone in seen if name in ("reuse", "loops")}
    assert held == {"reuse": 2, "loops": 0}


def test_the_lanes_of_a_stage_run_at_once(network, threaded, monkeypatch):
    """structure and loops share a stage, in two lanes: each waits for the other at a
    barrier, which only passes when both run at the same time."""
    barrier = threading.Barrier(2, timeout=10)
    threads = {}

    def meeting(name):
        def run(net, options, done):
            threads[name] = threading.get_ident()
            barrier.wait()
            return None  # no data: left out of the report

        return run

    for name in ("structure", "loops"):
        monkeypatch.setitem(symbiosis.report.SECTIONS, name, meeting(name))
    report = symbiosis.analyze(network, sections=["structure", "loops", "summary"])
    assert list(report.sections) == ["summary"]
    assert threads["structure"] != threads["loops"]


@pytest.mark.parametrize("shared", [False, True])
@pytest.mark.parametrize("parallel", [True, False])
def test_memory_is_handed_back_between_sections_only_when_no_other_lane_runs(
    network, threaded, monkeypatch, parallel, shared
):
    """glibc's trim empties every thread's heaps: beside another lane it would take the
    pages that lane's running section freed. Lanes on threads hand memory back once the
    stage has ended; lanes in turn (and a lane alone) after each section. In one heap
    shared by every thread (the CLI's), the next section reuses what the last freed:
    nothing is handed back."""
    from symbiosis import report as report_module

    running: set[str] = set()
    trims: list[frozenset[str]] = []

    def section(name):
        def run(net, options, done):
            running.add(name)
            time.sleep(0.05)  # the other lane starts meanwhile
            running.discard(name)

        return run

    for name in ("opportunities", "structure", "reuse", "summary", "loops"):
        monkeypatch.setitem(report_module.SECTIONS, name, section(name))
    trim = lambda: trims.append(frozenset(running))  # noqa: E731
    monkeypatch.setattr(report_module, "return_freed_memory", trim)
    monkeypatch.setattr(report_module, "heap_shared", lambda: shared)
    wanted = ["opportunities", "structure", "reuse", "summary", "loops"]
    report_module.analyze(network, sections=wanted, parallel=parallel)
    assert all(not during for during in trims)
    # the opportunities' stage is one lane: a trim after it; then one per stage or section
    assert len(trims) == (0 if shared else 2 if parallel else 5)


def test_an_error_in_a_lane_reaches_the_caller_after_both_lanes_end(network, threaded, monkeypatch):
    ended = []

    def fails(net, options, done):
        raise symbiosis.AnalysisError("the loops pass failed")

    def slow(net, options, done):
        time.sleep(0.2)
        ended.append("structure")

    monkeypatch.setitem(symbiosis.report.SECTIONS, "loops", fails)
    monkeypatch.setitem(symbiosis.report.SECTIONS, "structure", slow)
    with pytest.raises(symbiosis.AnalysisError, match="loops pass failed"):
        symbiosis.analyze(network, sections=["structure", "loops"])
    assert ended == ["structure"]


def test_every_wanted_section_runs_once_in_some_stage():
    from symbiosis.report.sections import SECTIONS, stages

    names = list(SECTIONS)
    for size in range(len(names) + 1):
        for start in range(len(names)):
            wanted = [names[(start + i) % len(names)] for i in range(size)]
            staged = [n for stage in stages(wanted) for lane in stage for n in lane]
            assert sorted(staged) == sorted(wanted)
            if "uncertainty" in wanted and "opportunities" in wanted:  # it reads them
                assert staged.index("opportunities") < staged.index("uncertainty")


def test_a_reports_results_cannot_be_changed_through_what_they_hold(network):
    """Measured: rep.cycling.dimensions.pop(...), rep.reuse.units[...] = ...,
    rep.sections[...] = ... and rep.reuse.network.loc[...] = ... changed to_dict()."""
    import pickle

    report = symbiosis.analyze(network)
    before = json.dumps(report.to_dict(), sort_keys=True, default=str)
    for change in (
        lambda: report.sections.__setitem__("loops", None),
        lambda: report.sections.pop("reuse"),
        lambda: report.cycling.dimensions.pop("mass"),
        lambda: report.reuse.units.__setitem__("mass", "lb"),
        # the loops' and the cores' dicts: records inside a result, read-only too
        lambda: report.loops.loops[0].total.__setitem__("mass", 0.0),
        lambda: report.loops.loops[0].bottleneck.clear(),
        lambda: report.loops.cores[0].internal.pop("mass"),
    ):
        with pytest.raises(TypeError, match="read-only"):
            change()
    frame = report.reuse.network
    frame.loc[frame.index[0], "reuse_share"] = 0.99  # the caller's copy
    frame["generated"] = 0.0
    assert json.dumps(report.to_dict(), sort_keys=True, default=str) == before
    again = pickle.loads(pickle.dumps(report))
    assert json.dumps(again.to_dict(), sort_keys=True, default=str) == before
    assert (
        isinstance(report.sections, dict) and dict(report.sections).keys() == report.sections.keys()
    )


@pytest.mark.parametrize(
    ("key", "said"),
    [
        ("bogus", "unknown section 'bogus'; choose from summary, reuse, balance"),
        ("Loops", "unknown section 'Loops'; choose from summary"),
        (0, "a section's name is text (got 0); choose from summary"),
        (None, "a section's name is text (got None); choose from summary"),
        (["loops"], "a section's name is text (got ['loops']); choose from summary"),
    ],
)
def test_an_unknown_key_is_a_key_error_that_lists_the_sections(network, key, said):
    """Measured: report["bogus"] was a bare KeyError('bogus') and report[["loops"]] a
    TypeError, while a section not run was told how to run it."""
    report = symbiosis.analyze(network, sections="summary,loops")
    with pytest.raises(KeyError) as raised:
        report[key]
    message = raised.value.args[0]
    assert message.startswith(said) and message.endswith("(sections run: summary, loops)")
    assert "uncertainty" in message  # every registered name, run or not


def test_an_unknown_attribute_stays_an_attribute_error(network):
    """Named with the sections when it could be a misspelt one; hasattr, getattr with a
    default, copy and pickle go on working."""
    import copy
    import pickle

    report = symbiosis.analyze(network, sections="summary")
    with pytest.raises(AttributeError) as raised:
        _ = report.loop
    message = str(raised.value)
    assert message.startswith("'Report' object has no attribute 'loop', and no section")
    assert "choose from summary, reuse" in message and raised.value.name == "loop"
    with pytest.raises(AttributeError, match=r"^'Report' object has no attribute '_private'$"):
        _ = report._private
    assert not hasattr(report, "bogus") and getattr(report, "__deepcopy__", 7) == 7
    for again in (copy.copy(report), copy.deepcopy(report), pickle.loads(pickle.dumps(report))):
        assert list(again.sections) == ["summary"]
