"""A year's history (FlowNetwork.history, the network of every year it was cut from) kept
through the round trips that can carry it, said lost by the one that cannot, and used by
select_year (tester-lib2, defect 4: the JSON round trip dropped the report's trends
silently, and select_year(year, 2020) was refused though the history holds 2020)."""

import json
import pickle
import warnings
from pathlib import Path

import pandas as pd
import pytest

import symbiosis
from symbiosis import FlowNetwork, SymbiosisWarning, select_year

YEARS = Path(__file__).parents[2] / "examples" / "years"
NOT_CARRIED = "does not carry the flows of the other years"


@pytest.fixture(scope="module")
def park():
    return symbiosis.load(YEARS, warn=False)


def _same_network(a: FlowNetwork, b: FlowNetwork) -> None:
    pd.testing.assert_frame_equal(a.flows, b.flows, check_dtype=False)
    pd.testing.assert_frame_equal(a.firms, b.firms, check_dtype=False)
    assert a.warnings == b.warnings


def test_the_json_round_trip_keeps_the_history_and_the_reports_trends(park):
    year = select_year(park)
    data = json.loads(json.dumps(year.to_dict()))
    assert len(data["history"]["flows"]) == park.n_flows
    with pytest.warns(SymbiosisWarning, match="the figures are for 2021") as issued:
        back = FlowNetwork.from_dict(data)
    assert all("are added up" not in str(w.message) for w in issued)  # the history's: kept
    _same_network(back, year)
    _same_network(back.history, park)
    assert back.history is not back
    trends = symbiosis.analyze(back, sections="trends").to_dict()["trends"]
    expected = symbiosis.analyze(year, sections="trends").to_dict()["trends"]
    assert trends == expected


def test_a_network_not_cut_from_several_writes_no_history(park):
    assert "history" not in park.to_dict()
    back = FlowNetwork.from_dict(json.loads(json.dumps(park.to_dict())))
    assert back.history is back


def test_a_graph_cannot_carry_the_history_and_says_so(park):
    year = select_year(park)
    with pytest.warns(SymbiosisWarning, match=NOT_CARRIED):
        back = FlowNetwork.from_graph(year.graph)
    assert back.history is back and any(NOT_CARRIED in w for w in back.warnings)
    assert not any(NOT_CARRIED in w for w in FlowNetwork.from_graph(park.graph).warnings)


def test_pickle_keeps_the_history(park):
    back = pickle.loads(pickle.dumps(select_year(park, 2020)))
    _same_network(back.history, park)


def test_select_year_of_a_year_takes_the_year_from_its_history(park):
    year = select_year(park)  # 2021
    other = select_year(year, 2020)
    _same_network(other, select_year(park, 2020))
    assert other.history is park
    assert select_year(year, "all") is park
    _same_network(select_year(year), year)
    assert (
        select_year(symbiosis.FlowNetwork.from_dict(year.to_dict()), "2019").n_flows
        == (park.flows["year"] == 2019).sum()
    )


# Data saved before a year kept its history (tester: an older JSON read back without trends
# and without a word): the note of the year taken tells it from a network never cut.
PREDATES = "predates year histories"


def _predating(issued) -> list[str]:
    return [str(w.message) for w in issued if PREDATES in str(w.message)]


def test_an_older_json_of_a_year_without_history_says_it_has_no_trends(park):
    data = json.loads(json.dumps(select_year(park).to_dict()))
    del data["history"]  # as to_dict wrote it before it kept a year's history
    with pytest.warns(SymbiosisWarning) as issued:
        back = FlowNetwork.from_dict(data)
    assert _predating(issued) == [
        "network data: is the year 2021 cut from flows of 3 years (2019-2021), saved before "
        "to_dict kept the flows of every year (its 'history': the data predates year "
        "histories), so its report has no trends: load the flows of every year again and "
        "take the year with select_year"
    ]
    assert back.history is back
    report = symbiosis.analyze(back, sections=["reuse"])
    assert any(PREDATES in w for w in report.warnings)  # among the report's data warnings
    # saved and read again: still said, once
    with pytest.warns(SymbiosisWarning) as again:
        twice = FlowNetwork.from_dict(json.loads(json.dumps(back.to_dict())))
    assert len(_predating(again)) == 1
    assert sum(PREDATES in w for w in twice.warnings) == 1


def test_networks_that_never_had_a_history_are_read_without_that_warning(park, recwarn):
    one_year = symbiosis.from_frames(park.firms, park.flows[park.flows["year"] == 2019])
    tongling = symbiosis.load(Path(__file__).parents[2] / "examples" / "tongling", warn=False)
    for network in (park, one_year, tongling, select_year(park)):
        FlowNetwork.from_dict(json.loads(json.dumps(network.to_dict())))
    assert not _predating(recwarn.list)


def test_an_older_report_of_a_year_without_trends_says_so(park):
    from symbiosis.report import Report

    data = json.loads(json.dumps(symbiosis.analyze(select_year(park)).to_dict()))
    del data["trends"]  # as a year's report was written before it kept the trends
    with pytest.warns(SymbiosisWarning) as issued:
        back = Report.from_dict(data)
    (said,) = _predating(issued)
    assert said.startswith(
        "report: is of the year 2021 cut from flows of 3 years (2019-2021) and has every "
        "section but 'trends': it predates year histories"
    )
    assert back.to_dict() == data  # the warning is not added to the report's data


def test_reports_with_trends_or_sections_chosen_are_read_without_that_warning(park, recwarn):
    from symbiosis.report import Report

    year = select_year(park)
    for report in (symbiosis.analyze(year), symbiosis.analyze(year, sections=["reuse"])):
        Report.from_dict(json.loads(json.dumps(report.to_dict())))
    assert not _predating(recwarn.list)


# Pickles written before a year kept its history (FlowNetwork._history, the report's trends
# section): read back without a word, where the same data as JSON says it has no trends.
class _Pickled:
    """Pickles as ``reduced`` (a ``__reduce__`` value): an older pickle's call and state."""

    def __init__(self, reduced):
        self.reduced = reduced

    def __reduce__(self):
        return self.reduced


def _older_pickle(network: FlowNetwork) -> bytes:
    """``network`` pickled as before it kept its history: its state without ``_history``."""
    restore, (state,) = network.__reduce__()
    return pickle.dumps(_Pickled((restore, ({k: v for k, v in state.items() if k != "_history"},))))


def test_an_older_pickle_of_a_year_without_history_says_it_has_no_trends(park):
    year = select_year(park)
    with pytest.warns(SymbiosisWarning) as issued:
        back = pickle.loads(_older_pickle(year))
    data = json.loads(json.dumps(year.to_dict()))
    del data["history"]
    with pytest.warns(SymbiosisWarning) as read:
        from_json = FlowNetwork.from_dict(data)
    assert _predating(issued) == _predating(read)  # the warning of the older JSON
    assert len(_predating(issued)) == 1
    assert back.history is back and back.warnings == from_json.warnings
    report = symbiosis.analyze(back, sections=["reuse"])
    assert any(PREDATES in w for w in report.warnings)  # among the report's data warnings
    # pickled again: the warning kept among its warnings, once, and not issued again
    # (a pickle restores the warnings it holds without issuing them)
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        twice = pickle.loads(pickle.dumps(back))
    assert not _predating(again)
    assert twice.warnings == back.warnings


def test_pickles_with_their_history_or_never_cut_are_read_without_that_warning(park, recwarn):
    warnings.simplefilter("always")
    one_year = symbiosis.from_frames(park.firms, park.flows[park.flows["year"] == 2019])
    for network in (park, one_year, select_year(park), select_year(park, 2020)):
        back = pickle.loads(pickle.dumps(network))
        assert back.warnings == network.warnings
    for network in (park, one_year):  # no history to lose
        pickle.loads(_older_pickle(network))
    assert not _predating(recwarn.list)


def test_an_older_pickle_of_a_years_report_without_trends_says_so(park):
    from symbiosis.report import Report

    report = symbiosis.analyze(select_year(park))
    older = Report(  # a year's report as pickled before it kept the trends
        sections={name: r for name, r in report.sections.items() if name != "trends"},
        warnings=report.warnings,
        options=report.options,
    )
    with pytest.warns(SymbiosisWarning) as issued:
        back = pickle.loads(pickle.dumps(older))
    data = json.loads(json.dumps(report.to_dict()))
    del data["trends"]
    with pytest.warns(SymbiosisWarning) as read:
        Report.from_dict(data)
    assert _predating(issued) == _predating(read)  # the warning of the older JSON
    assert len(_predating(issued)) == 1
    assert list(back.sections) == list(older.sections) and back.warnings == older.warnings


def test_reports_pickled_with_trends_or_sections_chosen_say_nothing(park, recwarn):
    warnings.simplefilter("always")
    year = select_year(park)
    for report in (symbiosis.analyze(year), symbiosis.analyze(year, sections=["reuse"])):
        back = pickle.loads(pickle.dumps(report))
        assert list(back.sections) == list(report.sections)
    assert not _predating(recwarn.list)
