"""symbiosis.report.requests: the sections a call runs, and what a named one needs.

A tester's report: ``analyze(net, sections="uncertainty")`` without samples (and
``"trends"`` with one year, ``"recovery"`` without register columns) returned an empty
report, whose ``r.uncertainty`` then said to call what had been called; ``progress``
announced the three in a run of every section, though none of them ran.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import symbiosis
from symbiosis.examples import example_path
from symbiosis.report import (
    CONDITIONAL_SECTIONS,
    SECTIONS,
    analyze_to_dict,
    run_sections,
)

SMALL = Path(__file__).parent / "data" / "small"  # no year, no register columns
RAN = [name for name in SECTIONS if name not in CONDITIONAL_SECTIONS]

UNCERTAINTY = "section 'uncertainty' needs Monte Carlo samples (samples=N, N >= 2): none were"
TRENDS = "section 'trends' needs flows of 2 or more years (a 'year' column): the flows have no"
RECOVERY = "section 'recovery' needs flows with 'waste_code' and 'operation' columns"


@pytest.fixture(scope="module")
def network():
    return symbiosis.load(SMALL)


@pytest.mark.parametrize(
    ("named", "said"),
    [("uncertainty", UNCERTAINTY), ("trends", TRENDS), ("recovery", RECOVERY)],
)
@pytest.mark.parametrize("call", [symbiosis.analyze, analyze_to_dict, run_sections])
def test_a_named_section_that_cannot_run_says_what_it_needs(network, call, named, said):
    with pytest.raises(symbiosis.InputError) as raised:
        call(network, sections=["reuse", named])
    assert [p.message for p in raised.value.problems] == [str(raised.value)]
    assert str(raised.value).startswith(said)


def test_every_such_problem_is_said_with_the_other_arguments(network):
    with pytest.raises(symbiosis.InputError) as raised:
        symbiosis.analyze(network, sections="trends,recovery,uncertainty", max_loop_length=0,
                          progress=3)  # fmt: skip
    said = [p.message for p in raised.value.problems]
    assert said[0] == "progress must be a function or None (got 3)"
    assert said[1] == "max_loop_length must be a whole number >= 1 (got 0)"
    assert len(said) == 5
    assert all(
        s.startswith(t) for s, t in zip(said[2:], (TRENDS, RECOVERY, UNCERTAINTY), strict=True)
    )


def test_one_year_is_said_and_several_years_run():
    years = symbiosis.load(example_path("years"))
    one = years.with_rows(years.flows.index[years.flows["year"] == 2019].to_numpy())
    with pytest.raises(symbiosis.InputError, match=r": every flow with a year is of 2019$"):
        symbiosis.analyze(one, sections="trends")
    assert list(symbiosis.analyze(years, sections="trends").sections) == ["trends"]


def test_a_run_of_every_section_leaves_them_out_and_announces_only_those_that_run(network):
    from symbiosis.report import planned_sections

    seen: list[str] = []
    report = symbiosis.analyze(network, progress=seen.append)
    assert sorted(seen) == sorted(RAN) == sorted(report.sections)
    assert planned_sections(network) == RAN
    with_samples = planned_sections(network, sections=None, samples=10)
    assert with_samples == [*RAN, "uncertainty"]


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("uncertainty", "it needs Monte Carlo samples (samples=N, N >= 2): analyze(network, "
         "samples=1000) adds it"),
        ("trends", "it needs flows of 2 or more years (a 'year' column): analyze(network) "
         "adds it for such flows, as analyze(network, sections=[..., 'trends']) does"),
        ("recovery", "it needs flows with 'waste_code' and 'operation' columns"),
    ],
)  # fmt: skip
def test_a_section_left_out_says_why(network, name, said):
    """It said "analyze(network, sections=[..., 'uncertainty']) computes it": what had
    been called."""
    report = symbiosis.analyze(network)
    with pytest.raises(AttributeError) as raised:
        getattr(report, name)
    assert said in str(raised.value) and "sections=[..., 'uncertainty'])" not in str(raised.value)
    with pytest.raises(KeyError, match="it needs"):
        report[name]


def test_uncertainty_not_named_with_samples_says_to_name_it(network):
    report = symbiosis.analyze(network, sections="reuse", samples=10)
    with pytest.raises(AttributeError, match=r"sections=\[\.\.\., 'uncertainty'\]\) computes"):
        _ = report.uncertainty


def test_empty_section_names(network):
    """A tester's "reuse," said "unknown section(s) ; choose from ..."."""
    assert list(symbiosis.analyze(network, sections="reuse,").sections) == ["reuse"]
    with pytest.raises(symbiosis.InputError, match=r"^sections holds no section name \(got ' ,'\)"):
        symbiosis.analyze(network, sections=" ,")
    with pytest.raises(symbiosis.InputError, match=r"^unknown section\(s\) '' \(an empty name\)"):
        symbiosis.analyze(network, sections=["reuse", ""])


def test_the_register_columns_are_the_recovery_passs():
    """sections.REGISTER_COLUMNS spares the import of the recovery pass: the same."""
    from symbiosis.analysis.recovery import COLUMNS
    from symbiosis.report.sections import REGISTER_COLUMNS

    assert REGISTER_COLUMNS == COLUMNS
