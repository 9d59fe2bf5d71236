"""Issue 14, item 3: a typed public API. The report has a typed attribute per section,
options of the wrong type are refused with a clear message, and a type checker sees
``symbiosis.load``, ``FlowNetwork``, ``analyze`` and the sections as what they are (they came
out as ``Any`` behind the package's lazy ``__getattr__``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import symbiosis
from symbiosis import InputError, analyze, load
from symbiosis.analysis.balance import FirmBalances
from symbiosis.analysis.cycling import CyclingResult
from symbiosis.analysis.loop_results import LoopSearch
from symbiosis.analysis.opportunities.result import Opportunities
from symbiosis.analysis.reuse import ReuseAccounts
from symbiosis.analysis.structure import StructureIndicators
from symbiosis.model import NetworkSummary

ROOT = Path(__file__).parents[1]
TONGLING = ROOT / "examples" / "tongling"


@pytest.fixture(scope="module")
def report() -> symbiosis.Report:
    return analyze(load(TONGLING))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("summary", NetworkSummary),
        ("reuse", ReuseAccounts),
        ("balance", FirmBalances),
        ("structure", StructureIndicators),
        ("opportunities", Opportunities),
        ("cycling", CyclingResult),
        ("loops", LoopSearch),
    ],
)
def test_each_section_is_a_typed_attribute(report, name, kind):
    assert isinstance(getattr(report, name), kind)
    assert getattr(report, name) is report[name] is report.sections[name]


def test_a_section_not_run_says_how_to_run_it():
    partial = analyze(load(TONGLING), sections="loops")
    assert list(partial.sections) == ["loops"]  # one string is one section
    with pytest.raises(AttributeError, match=r"no 'reuse' section \(sections run: loops\)"):
        _ = partial.reuse
    # by key too (found by fuzzing: a bare KeyError('reuse')); an unknown name is told
    # the names (tests/test_report.py)
    with pytest.raises(KeyError, match=r"no 'reuse' section \(sections run: loops\)"):
        _ = partial["reuse"]
    with pytest.raises(KeyError, match=r"unknown section 'nonsense'; choose from summary"):
        _ = partial["nonsense"]


def test_sections_given_as_one_string_or_a_list():
    """Measured: sections='loops' said 'unknown section(s) l, o, o, p, s'."""
    network = load(TONGLING)
    assert list(analyze(network, sections="summary").sections) == ["summary"]
    with pytest.raises(InputError, match=r"unknown section\(s\) loop; choose from"):
        analyze(network, sections="loop")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_loop_length": "6"}, "max_loop_length must be a whole number >= 1 (got '6')"),
        ({"max_loops": 2.5}, "max_loops must be a whole number >= 0 (got 2.5)"),
        ({"balance_tolerance": "5%"}, "balance_tolerance must be a number >= 0 (got '5%')"),
        ({"max_distance_km": True}, "max_distance_km must be a number > 0 or None (got True)"),
        ({"throughflow": 1}, "unknown throughflow 1, not text; choose from max, inflow, outflow"),
        ({"max_loop_length": 0}, "max_loop_length must be a whole number >= 1 (got 0)"),
        ({"max_loop_lenght": 6}, "unknown option(s) max_loop_lenght"),
    ],
)
def test_option_types_are_checked_with_clear_messages(options, message):
    """Measured: max_loop_length='6' was a raw TypeError."""
    with pytest.raises(InputError) as caught:
        analyze(load(TONGLING), sections="summary", **options)
    assert message in str(caught.value)


SNIPPET = """
import symbiosis

network = symbiosis.load("examples/tongling")
report = symbiosis.analyze(network, sections=["reuse"])
reveal_type(symbiosis.load)
reveal_type(network)
reveal_type(report)
reveal_type(report.reuse)
reveal_type(report.loops)
reveal_type(report.options)
reveal_type(network.flows)
wrong: int = network  # a checker must refuse this: FlowNetwork is not Any
"""


def test_a_type_checker_sees_the_public_types(tmp_path):
    """Measured: symbiosis.load, FlowNetwork and report.reuse all came out as Any."""
    pytest.importorskip("mypy")
    snippet = tmp_path / "use.py"
    snippet.write_text(textwrap.dedent(SNIPPET), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", str(snippet)],
        capture_output=True,
        text=True,
        cwd=ROOT,  # pyproject's [tool.mypy] (strict on the public modules) and its cache
        env={**os.environ, "MYPYPATH": str(ROOT / "src")},  # an editable install hides it
        timeout=600,
    )
    out = result.stdout
    revealed = [
        line.split("Revealed type is ", 1)[1]
        for line in out.splitlines()
        if "Revealed type is" in line
    ]
    assert len(revealed) == 7, out + result.stderr
    assert "def (source:" in revealed[0] and "symbiosis.model.FlowNetwork" in revealed[0]
    assert revealed[1:6] == [
        '"symbiosis.model.FlowNetwork"',
        '"symbiosis.report.Report"',
        '"symbiosis.analysis.reuse.ReuseAccounts"',
        '"symbiosis.analysis.loop_results.LoopSearch"',
        '"symbiosis.options.Options"',
    ]
    assert 'Incompatible types in assignment (expression has type "FlowNetwork"' in out
    assert "Any" not in "".join(revealed[1:6])
