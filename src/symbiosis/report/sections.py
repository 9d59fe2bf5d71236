"""The report's sections: what each runs, and in which order (:func:`stages`).

Each analysis section is registered in :data:`SECTIONS` (a name and a function of the
network, the :class:`~symbiosis.options.Options` and the sections run before it);
:data:`DICT_SECTIONS` holds the leaner forms of those whose dict shows less than their
typed result keeps; :data:`STAGES` says which sections run side by side. The report
(:mod:`symbiosis.report`) runs them and collects the results; this module computes
nothing either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .._year_notes import year_taken
from ..analysis.balance import firm_balances
from ..analysis.cycling import cycling
from ..analysis.loops import find_loops
from ..analysis.opportunities import find_opportunities
from ..analysis.reuse import reuse_accounts
from ..analysis.structure import resource_city_indicators
from ..model import FlowNetwork
from ..options import SECTION_NAMES, SECTION_NEEDS, Options

if TYPE_CHECKING:
    from ..analysis.opportunities.result import Opportunities
    from ..analysis.recovery import RecoveryRates
    from ..analysis.trends import Trends
    from ..analysis.uncertainty import UncertaintyResult

__all__ = [
    "CONDITIONAL_SECTIONS",
    "DICT_SECTIONS",
    "SECTIONS",
    "STAGES",
    "Section",
    "names",
    "not_run",
    "reads",
    "stages",
    "trends_lost",
    "unmet",
]


# A section is a function of the network, the options and the sections run before it (so
# that one may reuse another's result instead of computing it again).
Section = Callable[[FlowNetwork, Options, Mapping[str, Any]], Any]
_PASSES: dict[str, Section] = {
    "summary": lambda network, options, done: network.summary(),
    "reuse": lambda network, options, done: reuse_accounts(network),
    "balance": lambda network, options, done: firm_balances(network, options.balance_tolerance),
    "structure": lambda network, options, done: resource_city_indicators(network),
    "opportunities": lambda network, options, done: _opportunities(network, options),
    "cycling": lambda network, options, done: cycling(
        network,
        throughflow=options.throughflow,
        balance_tolerance=options.balance_tolerance,
        balance=options.balance,
    ),
    "loops": lambda network, options, done: find_loops(
        network,
        max_length=options.max_loop_length,
        max_loops=options.max_loops,
        time_budget=options.loop_time_budget,
    ),
    # The conditional sections (CONDITIONAL_SECTIONS) run when unmet() finds nothing
    # missing: the report leaves them out of a run of every section, else refuses them.
    # Flows with waste codes and operations (symbiosis register import): recovery rates
    "recovery": lambda n, o, done: _recovery(n),
    # flows of several years: every headline indicator per year
    "trends": lambda n, o, done: _trends(n, o),
    # samples asked for (Options.samples): Monte Carlo intervals
    "uncertainty": lambda n, o, done: _uncertainty(n, o, done) if o.samples else None,
}
#: Each section's pass, in the report's order (:data:`~symbiosis.options.SECTION_NAMES`).
SECTIONS: dict[str, Section] = {name: _PASSES[name] for name in SECTION_NAMES}
#: Sections run only when the network or the options call for them (:func:`unmet`; what
#: each needs: :data:`~symbiosis.options.SECTION_NEEDS`).
CONDITIONAL_SECTIONS: tuple[str, ...] = tuple(SECTION_NEEDS)
#: The columns of a register's flows (``symbiosis.analysis.recovery.COLUMNS``, whose
#: module is not imported for this check: 55 ms of the registers' tables).
REGISTER_COLUMNS: tuple[str, ...] = ("waste_code", "operation")
#: The sections whose typed result keeps more than their dict shows, in the form that
#: leaves it out: what runs when only the dict is made (``analyze_to_dict``, the JSON of
#: ``symbiosis analyze``) and no later section reads the result. The same dict. The
#: opportunities without their ranked table: at a million flows, 0.05 s at the end of
#: the pass and 66 MB (the command 3.81 -> 3.72 s, medians of 10 interleaved runs).
DICT_SECTIONS: dict[str, Section] = {
    "opportunities": lambda network, options, done: _opportunities(network, options, False),
}
#: The sections of :data:`DICT_SECTIONS` whose readers (:func:`reads`) read no more than
#: their leaner form holds: the uncertainty ranks the listed opportunities alone.
READ_LEAN: frozenset[str] = frozenset({"opportunities"})


def _opportunities(network: FlowNetwork, options: Options, table: bool = True) -> Opportunities:
    return find_opportunities(
        network,
        top=options.opportunities_top,
        max_distance_km=options.max_distance_km,
        reach=options.reach,
        table=table,
    )


# The conditional sections import their passes only when they run: most networks need
# neither, and a small network's analysis is mostly start-up.
def _recovery(network: FlowNetwork) -> RecoveryRates | None:
    if not set(REGISTER_COLUMNS) <= set(network.flows.columns):
        return None
    from ..analysis.recovery import recovery_rates

    return recovery_rates(network)


def _trends(network: FlowNetwork, options: Options) -> Trends | None:
    """The trends of the network's :attr:`~symbiosis.model.FlowNetwork.history` (the
    network of every year, for one year cut from it: the report of the latest year shows
    how it came about). The report runs them when :func:`unmet` found 2 years or more: not
    counted again here, O(F)."""
    history = network.history
    if "year" not in history.flows.columns:  # no year: a single network (years_of)
        return None
    from ..analysis.trends import trends

    return trends(history, options)


def unmet(name: str, network: FlowNetwork, samples: int, *, asked: str = "samples=N") -> str | None:
    """Why section ``name`` cannot run on ``network`` with ``samples`` Monte Carlo samples:
    what it needs and what is missing (``asked``: how samples are asked for), or None
    when it can run (every section but the :data:`CONDITIONAL_SECTIONS` always can).
    O(F) for the trends of flows with a ``year`` column (their distinct years), else
    O(1)."""
    lack = _lack(name, network, samples)
    if lack is None:
        return None
    return f"section {name!r} needs {SECTION_NEEDS[name].format(samples=asked)}: {lack}"


def _lack(name: str, network: FlowNetwork, samples: int) -> str | None:
    columns = network.flows.columns
    if name == "trends":
        network = network.history  # a year's report shows the trends of every year
        columns = network.flows.columns
    if name == "uncertainty":
        return None if samples else "none were asked for"
    if name == "recovery":
        missing = [repr(column) for column in REGISTER_COLUMNS if column not in columns]
        return f"the flows have no {' and no '.join(missing)} column" if missing else None
    if name != "trends":
        return None
    if "year" not in columns:
        return "the flows have no 'year' column"
    from ..analysis.trends import years_of

    years = years_of(network)
    if len(years) > 1:
        return None
    return f"every flow with a year is of {years[0]}" if years else "no flow has a year"


def not_run(name: str, ran: Iterable[str], options: Options | None) -> str:
    """Why a report (of sections ``ran``, with ``options``) has no section ``name``, and
    how to compute it: a conditional section's message names what it needs."""
    said = f"this report has no {name!r} section (sections run: {', '.join(ran) or 'none'})"
    if name == "uncertainty" and not (options and options.samples):
        need = SECTION_NEEDS[name].format(samples="samples=N")
        return f"{said}; it needs {need}: analyze(network, samples=1000) adds it"
    if name in CONDITIONAL_SECTIONS and name != "uncertainty":
        return (
            f"{said}; it needs {SECTION_NEEDS[name]}: analyze(network) adds it for such "
            f"flows, as analyze(network, sections=[..., {name!r}]) does"
        )
    return f"{said}; analyze(network, sections=[..., {name!r}]) computes it"


def trends_lost(sections: Iterable[str], warnings: Iterable[str]) -> str | None:
    """The warning of a report's data (its ``sections`` and ``warnings``) of one year cut
    from several, with every section a report always runs but no ``trends``: written
    before a year's report kept the trends of every year. None for any other report (one
    whose sections were chosen may have left the trends out; a network never cut has no
    note of its year). O(sections + warnings)."""
    sections = set(sections)
    taken = year_taken(warnings)
    always = [name for name in SECTIONS if name not in CONDITIONAL_SECTIONS]
    if taken is None or "trends" in sections or not sections.issuperset(always):
        return None
    year, years = taken
    return (
        f"report: is of the year {year} cut from flows of {len(years)} years "
        f"({years[0]}-{years[-1]}) and has every section but 'trends': it predates year "
        "histories (a year's report now keeps the trends of every year); analyze the flows "
        "of every year again (symbiosis analyze takes the latest year and keeps them), or "
        "run symbiosis trends"
    )


def _uncertainty(
    network: FlowNetwork, options: Options, done: Mapping[str, Any]
) -> UncertaintyResult:
    """The Monte Carlo section, its opportunity ranking on the listed opportunities (the
    opportunities section's, when it ran before: not computed twice)."""
    from ..analysis.uncertainty import monte_carlo

    listed = done.get("opportunities") or SECTIONS["opportunities"](network, options, done)
    return monte_carlo(
        network,
        samples=options.samples,
        seed=options.seed,
        default=options.uncertainty,
        opportunities=listed,
        top=options.opportunities_top,
    )


def names(stage: tuple[tuple[str, ...], ...]) -> list[str]:
    """The sections of a stage, lane after lane."""
    return [name for lane in stage for name in lane]


def reads(name: str, options: Options) -> tuple[str, ...]:
    """The sections whose results section ``name`` reads from ``done`` with these options
    (when they ran before it; else it computes them itself): see :data:`SECTIONS`."""
    if name == "uncertainty" and options.samples:
        return ("opportunities",)
    return ()


#: Sections run side by side: each stage's lanes at once (a thread each, see
#: :func:`~symbiosis._threads.side_by_side`), a lane's sections one after the other, the
#: stages in turn; the sections no stage names run after them, alone, in report order.
#: The trends, when the flows have years, run first: each year is a network of its own,
#: let go when its indicators are known, so they run while the network holds nothing the
#: other passes cached (~250 MB at a million flows; after them, five years of 200,000
#: flows took the command to 1.09 GB, 0.98 GB first). Then the opportunities pass, whose
#: temporaries are the largest (~400 MB at a million flows), while the least is held (its
#: own candidate stages run on two threads), with only the summary beside it: the
#: summary (~0.07 s of CPU, a few MB) fits in the pass's first steps, which run on one
#: thread (its streams and pathway pairs, ~0.1 s at a million flows). Measured there
#: against the summary in the last stage, 10 + 8 + 12 interleaved runs: 3.81 -> 3.69,
#: 3.80 -> 3.76, 3.74 -> 3.67 s (medians), peaks within the same 0.85-0.91 GB; the
#: network without coordinates and the one with four large cores 0.08 s faster (4 + 4),
#: the 100,000 flows' command unchanged. The light passes beside the pass too made it
#: slower (3.80 -> 3.83 s): they ran into its two-lane candidate stages. Then the others
#: in one stage of two lanes of about the same length, ~1.1 s each at a million flows:
#: structure (~200 MB of temporaries) then reuse (~160 MB), beside the balance and loops
#: (~100 MB at most) then cycling (~170 MB). Two stages, structure beside the light
#: passes and reuse beside cycling, left one core idle for ~0.4 s at their ends: the
#: command at 1M flows, 6 interleaved runs each, 4.38 -> 4.23 s (medians), peaks within
#: the same 0.9-1 GB.
STAGES: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("trends",),),
    (("opportunities",), ("summary",)),
    (("structure", "reuse"), ("balance", "loops", "cycling")),
)


def stages(wanted: list[str]) -> list[tuple[tuple[str, ...], ...]]:
    """:data:`STAGES` restricted to ``wanted`` (empty lanes and stages dropped), then a
    stage of one section for each wanted section they do not name, in report order.
    Results do not depend on the order: a section reads only the results :func:`reads`
    names, and the stages run each of those (opportunities) before its readers."""
    staged: list[tuple[tuple[str, ...], ...]] = []
    for stage in STAGES:
        lanes = tuple(lane for lane in (tuple(n for n in lane if n in wanted) for lane in stage)
                      if lane)  # fmt: skip
        if lanes:
            staged.append(lanes)
    named = {name for stage in STAGES for name in names(stage)}
    return staged + [((name,),) for name in wanted if name not in named]
