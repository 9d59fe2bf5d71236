"""The analysis report: every pass run on one network, gathered in one object.

:func:`analyze` runs the registered sections in order and returns a :class:`Report`,
whose :meth:`Report.to_dict` is what ``symbiosis analyze --format json`` prints. Each
analysis module registers its section in :data:`SECTIONS` (a name and a function of
the network and the :class:`Options`: :mod:`symbiosis.report.sections`, with the order
they run in); the report only collects results and never computes a metric itself.
"""

from __future__ import annotations

import warnings as _warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import partial
from typing import TYPE_CHECKING, Any

from .. import __version__
from .._frozen import freeze
from .._memory import heap_shared, return_freed_memory
from .._percent import percent
from .._threads import PARALLEL_FLOWS, one_thread, side_by_side, worth_threads
from ..arguments import short_repr
from ..errors import InputError, SymbiosisWarning
from ..jsonable import gc_paused
from ..model import FlowNetwork, require_network
from ..options import Options
from .requests import request
from .sections import (
    CONDITIONAL_SECTIONS,
    DICT_SECTIONS,
    READ_LEAN,
    SECTIONS,
    STAGES,
    Section,
    names,
    not_run,
    reads,
    stages,
    trends_lost,
)

if TYPE_CHECKING:
    from ..analysis.balance import FirmBalances
    from ..analysis.cycling import CyclingResult
    from ..analysis.loop_results import LoopSearch
    from ..analysis.opportunities.result import Opportunities
    from ..analysis.recovery import RecoveryRates
    from ..analysis.reuse import ReuseAccounts
    from ..analysis.structure import StructureIndicators
    from ..analysis.trends import Trends
    from ..analysis.uncertainty import UncertaintyResult
    from ..summary import NetworkSummary

__all__ = [
    "CONDITIONAL_SECTIONS",
    "DICT_SECTIONS",
    "PARALLEL_FLOWS",
    "SECTIONS",
    "STAGES",
    "Options",
    "RecordedSection",
    "Report",
    "analyze",
    "analyze_to_dict",
    "planned_sections",
    "report_dict",
    "run_sections",
]


@dataclass(frozen=True)
class RecordedSection:
    """A section read back from JSON by :meth:`Report.from_dict`: the data as written
    (no typed result: analyze the network again for that)."""

    name: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The section's data as it was written. O(1)."""
        return self.data


def _names(ran: Iterable[str]) -> str:
    """The names of the sections, and those a report has: what an unknown name is told."""
    return f"{', '.join(SECTIONS)} (sections run: {', '.join(ran) or 'none'})"


@dataclass(frozen=True, repr=False)
class Report:
    """Results of :func:`analyze`: one entry per section, in order.

    Each registered section is a typed attribute (``report.reuse`` is a
    :class:`~symbiosis.analysis.reuse.ReuseAccounts`, ...); ``report["reuse"]`` and
    :attr:`sections` give the same objects. Picklable; :meth:`to_dict` is the JSON of
    ``symbiosis analyze -f json`` and :meth:`from_dict` reads it back.
    """

    sections: dict[str, Any]
    warnings: tuple[str, ...] = ()
    options: Options = field(default_factory=Options)

    def __post_init__(self) -> None:
        """The sections frozen in depth (:func:`~symbiosis._frozen.freeze`): their dicts
        read-only, their frames' arrays read-only, without copying a row; the report's
        ``to_dict()`` cannot be changed through them. O(dict entries + columns)."""
        object.__setattr__(self, "sections", freeze(dict(self.sections)))

    def __setstate__(self, state: dict[str, Any]) -> None:
        """Unpickled as the dataclass is; a year's report pickled before it kept the
        trends of every year (no ``trends`` section, every section a report always runs
        there, the note of the year taken among its warnings) warns as the same report
        read from JSON does (:meth:`from_dict`, :func:`~.sections.trends_lost`), at the
        caller of :func:`pickle.loads`. O(sections + warnings)."""
        self.__dict__.update(state)
        lost = trends_lost(self.__dict__.get("sections", ()), self.__dict__.get("warnings", ()))
        if lost is not None:
            _warnings.warn(lost, SymbiosisWarning, stacklevel=2)

    def __repr__(self) -> str:
        """One line: the sections, the headline shares and the warnings count (the
        dataclass repr printed every table: 51 kB on Tongling, 1 MB at 100k flows)."""
        parts = [f"sections: {', '.join(self.sections) or 'none'}"]
        reuse = self.sections.get("reuse")
        if reuse is not None and not isinstance(reuse, RecordedSection):
            rows = reuse.network[["dimension", "reuse_share"]].itertuples(index=False)
            shown = [f"{dim} {percent(v)}" for dim, v in rows if v == v and v is not None]
            if shown:
                parts.append("reuse share " + ", ".join(shown))
        if self.warnings:
            parts.append(f"{len(self.warnings)} warning(s)")
        return f"<Report: {'; '.join(parts)}>"

    def __getitem__(self, name: str) -> Any:
        """``report[name]``: the section, or a KeyError that says which sections ran and
        how to run this one (as ``report.name`` does), or, for a name that is no section
        (or not text), which names are: never a bare ``KeyError('loops')``."""
        if not isinstance(name, str):
            said = f"a section's name is text (got {short_repr(name)}); choose from"
            raise KeyError(f"{said} {_names(self.sections)}")
        try:
            return self.sections[name]
        except KeyError:
            if name in SECTIONS:
                raise KeyError(not_run(name, self.sections, self.options)) from None
            said = f"unknown section {name!r}; choose from {_names(self.sections)}"
            raise KeyError(said) from None

    def __getattr__(self, name: str) -> Any:
        """A section without a typed attribute (registered by a later pass), by name; any
        other name an AttributeError (so that ``hasattr``, ``copy`` and ``pickle`` work),
        whose message lists the sections when the name is not private."""
        sections = self.__dict__.get("sections", {})
        try:
            return sections[name]
        except KeyError:
            if name in SECTIONS:
                said = not_run(name, sections, self.__dict__.get("options"))
                raise AttributeError(said) from None
            said = f"'Report' object has no attribute {name!r}"
            if not name.startswith("_"):  # a misspelt section, perhaps
                said += f", and no section of that name: choose from {_names(sections)}"
            raise AttributeError(said, name=name, obj=self) from None

    def _section(self, name: str) -> Any:
        """The result of section ``name``, or a clear error when it was not run (from
        :meth:`__getattr__`, where Python sends a property's AttributeError) or was read
        back from JSON."""
        if name not in self.sections:
            return self.__getattr__(name)
        result = self.sections[name]
        if isinstance(result, RecordedSection):
            raise TypeError(
                f"the {name!r} section was read from JSON: report[{name!r}].to_dict() holds "
                "its data; analyze the network again for the typed result"
            )
        return result

    @property
    def summary(self) -> NetworkSummary:
        """Counts and totals of the network (:meth:`FlowNetwork.summary`)."""
        result: NetworkSummary = self._section("summary")
        return result

    @property
    def reuse(self) -> ReuseAccounts:
        """Waste and by-product accounts (:func:`~symbiosis.analysis.reuse.reuse_accounts`)."""
        result: ReuseAccounts = self._section("reuse")
        return result

    @property
    def balance(self) -> FirmBalances:
        """Firms whose inputs and outputs disagree (:func:`~symbiosis.analysis.balance.\
firm_balances`)."""
        result: FirmBalances = self._section("balance")
        return result

    @property
    def structure(self) -> StructureIndicators:
        """Resource-city indicators (:func:`~symbiosis.analysis.structure.\
resource_city_indicators`)."""
        result: StructureIndicators = self._section("structure")
        return result

    @property
    def opportunities(self) -> Opportunities:
        """Where a disposed stream could become an input
        (:func:`~symbiosis.analysis.opportunities.find_opportunities`)."""
        result: Opportunities = self._section("opportunities")
        return result

    @property
    def cycling(self) -> CyclingResult:
        """Cycling and ecological network analysis (:func:`~symbiosis.analysis.cycling.\
cycling`)."""
        result: CyclingResult = self._section("cycling")
        return result

    @property
    def loops(self) -> LoopSearch:
        """Symbiosis cores and circular loops (:func:`~symbiosis.analysis.loops.find_loops`)."""
        result: LoopSearch = self._section("loops")
        return result

    @property
    def recovery(self) -> RecoveryRates:
        """Official recovery rates by waste-code chapter, for flows with waste codes and
        operations (:func:`~symbiosis.analysis.recovery.recovery_rates`)."""
        result: RecoveryRates = self._section("recovery")
        return result

    @property
    def trends(self) -> Trends:
        """Headline indicators per year, for flows of several years
        (:func:`~symbiosis.analysis.trends.trends`)."""
        result: Trends = self._section("trends")
        return result

    @property
    def uncertainty(self) -> UncertaintyResult:
        """Monte Carlo intervals of the headline indicators, when ``samples`` was given
        (:func:`~symbiosis.analysis.uncertainty.monte_carlo`)."""
        result: UncertaintyResult = self._section("uncertainty")
        return result

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-able data: version, every section's ``to_dict()``, the
        options and the warnings. O(size of the results)."""
        with gc_paused():  # many small objects, no cycles: see gc_paused
            sections = {name: result.to_dict() for name, result in self.sections.items()}
        return report_dict(sections, self.options, self.warnings)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Report:
        """The report that :meth:`to_dict` wrote (as read from ``analyze -f json``): options
        and warnings typed again, each section a :class:`RecordedSection` holding its data,
        so that ``Report.from_dict(d).to_dict() == d`` (with the same symbiosis version).
        The typed section attributes need the network: analyze it again. The report of one
        year of several written before it kept the trends of every year is read with a
        :class:`~symbiosis.errors.SymbiosisWarning` saying that it has none
        (:func:`~.sections.trends_lost`). O(sections)."""
        warnings = data.get("warnings", ()) if isinstance(data, dict) else ()
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("options"), dict)
            or not isinstance(warnings, list | tuple)
        ):
            raise InputError(
                "not a report's data: expected the dict of Report.to_dict() (its 'options' "
                "a dict, its 'warnings' a list)"
            )
        known = {f.name for f in fields(Options)}
        options = Options(**{k: v for k, v in data["options"].items() if k in known})
        reserved = {"symbiosis_version", "options", "warnings"}
        sections: dict[str, Any] = {
            name: RecordedSection(name, value)
            for name, value in data.items()
            if name not in reserved
        }
        said = tuple(map(str, warnings))
        if (lost := trends_lost(sections, said)) is not None:  # not kept: d round-trips
            _warnings.warn(lost, SymbiosisWarning, stacklevel=2)
        return cls(sections=sections, warnings=said, options=options)


def analyze(
    network: FlowNetwork,
    *,
    sections: list[str] | str | None = None,
    progress: Callable[[str], None] | None = None,
    parallel: bool = True,
    options: Options | None = None,
    **settings: Any,
) -> Report:
    """Run the analysis passes on ``network`` and gather them in a :class:`Report`.

    ``sections`` picks passes by name (default: all registered, but a conditional one
    whose data or samples are missing, :data:`CONDITIONAL_SECTIONS`: one named that
    cannot run is an :class:`~symbiosis.errors.InputError` saying what it needs);
    ``options`` is an :class:`Options` (``None``: the defaults) and keywords
    (``max_loop_length=4``) set its fields, for a keyword that ``options`` sets otherwise
    is an error; ``progress`` is called (in the calling thread) with the name of each
    section that runs (:func:`planned_sections`), before it runs. With
    ``parallel`` (the default) independent passes run two at a time on threads
    (:data:`STAGES`) on networks of at least :data:`PARALLEL_FLOWS` flows;
    ``parallel=False`` runs them one after the other in the calling thread, and the
    stages inside a pass too, with the same results. The cost is the sum of the passes'
    costs (each states its own), the wall time less where two run at once.
    """
    wanted, chosen = request(
        network, sections, options, settings, progress=progress, parallel=parallel
    )
    results = dict(_results(network, wanted, chosen, progress, keep_all=True, parallel=parallel))
    ordered = {name: results[name] for name in wanted if name in results}
    return Report(sections=ordered, warnings=network.warnings, options=chosen)


def analyze_to_dict(
    network: FlowNetwork,
    *,
    sections: list[str] | str | None = None,
    progress: Callable[[str], None] | None = None,
    parallel: bool = True,
    options: Options | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """``analyze(network, ...).to_dict()``, the same data, holding a section's typed
    result only until its dict is made, in the lane that made it (unless a later
    section reads it). For callers that only write the report out (the
    JSON of ``symbiosis analyze``): at a million flows the typed results hold ~0.5 GB.
    A section whose dict shows less than its typed result keeps runs in its leaner form
    (:data:`~symbiosis.report.sections.DICT_SECTIONS`). Same parameters and cost as
    :func:`analyze`, plus each section's ``to_dict``.
    """
    wanted, chosen = request(
        network, sections, options, settings, progress=progress, parallel=parallel
    )
    made = dict(_results(network, wanted, chosen, progress, parallel=parallel, convert=_as_dict,
                         dicts_only=True))  # fmt: skip
    ordered = {name: made[name] for name in wanted if name in made}
    return report_dict(ordered, chosen, network.warnings)


def run_sections(
    network: FlowNetwork,
    *,
    sections: list[str] | str | None = None,
    progress: Callable[[str], None] | None = None,
    parallel: bool = True,
    convert: Callable[[str, Any], Any] | None = None,
    options: Options | None = None,
    lean: bool = False,
    **settings: Any,
) -> Iterator[tuple[str, Any]]:
    """The sections of :func:`analyze`, yielded as ``(name, result)`` stage by stage as
    they are made (in the order they run: see :data:`STAGES`), none held here once the
    next stage starts unless a later section reads it. For callers that turn each
    result into what they keep (text, a dict) and let it go: ``convert(name, result)``
    does that in the lane that made the result, as soon as it is made (on the lane's
    thread: it must be thread-safe), and its value is yielded instead, the typed
    result let go at once. With ``lean``, a section no later section reads runs in its
    leaner form (:data:`~symbiosis.report.sections.DICT_SECTIONS`: the opportunities
    without their ranked table), for a ``convert`` that reads no more than the dict and
    the text show. Same parameters and cost as :func:`analyze`; bad sections or options
    raise before anything runs."""
    wanted, chosen = request(network, sections, options, settings, progress=progress,
                              parallel=parallel, convert=convert)  # fmt: skip
    return _results(network, wanted, chosen, progress, parallel=parallel, convert=convert,
                    dicts_only=lean)  # fmt: skip


def planned_sections(
    network: FlowNetwork,
    *,
    sections: list[str] | str | None = None,
    options: Options | None = None,
    **settings: Any,
) -> list[str]:
    """The sections that :func:`analyze` with these arguments runs on ``network`` (those
    its ``progress`` is called with), checked as it checks them: for a progress bar's
    length. O(1), but the distinct years of flows with a ``year`` column, O(F)."""
    return request(network, sections, options, settings)[0]


def _as_dict(name: str, result: Any) -> Any:
    """A section's dict, made with the cyclic collector paused (many small objects and
    no cycles: see :func:`~symbiosis.jsonable.gc_paused`)."""
    with gc_paused():
        return result.to_dict()


def report_dict(
    section_dicts: Mapping[str, Any], options: Options, warnings: tuple[str, ...]
) -> dict[str, Any]:
    """The report's JSON-able data from its sections' dicts (in report order): version,
    sections, options, warnings; the layout of :meth:`Report.to_dict`. O(sections)."""
    return {
        "symbiosis_version": __version__,
        **section_dicts,
        "options": {f.name: getattr(options, f.name) for f in fields(options)},
        "warnings": list(warnings),
    }


def _results(
    network: FlowNetwork,
    wanted: list[str],
    options: Options,
    progress: Callable[[str], None] | None,
    *,
    keep_all: bool = False,
    parallel: bool = True,
    convert: Callable[[str, Any], Any] | None = None,
    dicts_only: bool = False,
) -> Iterator[tuple[str, Any]]:
    """Run the ``wanted`` sections stage by stage (:func:`~.sections.stages`), yielding
    each ``(name, result)`` that has data, in the order of the stage's lanes, once its
    stage has ended. ``convert`` (a result's dict, say) is applied to each result in the
    lane that made it, and its value yielded instead; a typed result is kept for the
    later sections (their ``done``) only when one of them reads it
    (:func:`~.sections.reads`), or with ``keep_all``. With ``dicts_only`` (``convert``
    makes the dict and nothing else reads the result), a section not kept runs in its
    form of :data:`~.sections.DICT_SECTIONS` when it has one. ``progress`` is called in
    the calling thread with each section's name when its stage starts. Without
    ``parallel``, or below :data:`PARALLEL_FLOWS`, every lane runs in the calling
    thread, one after the other: the same results."""
    require_network(network)
    staged = stages(wanted)
    parallel = parallel and worth_threads(network.core.n_flows)
    trims = not heap_shared()  # in one heap the next section reuses what one freed
    done: dict[str, Any] = {}
    for position, stage in enumerate(staged):
        later = [name for after in staged[position + 1 :] for name in names(after)]
        kept = {name for name in names(stage)
                if keep_all or any(name in reads(after, options) for after in later)}  # fmt: skip
        if progress is not None:
            for name in names(stage):
                progress(name)
        run = {name: _section(name, dicts_only and (name not in kept or name in READ_LEAN))
               for name in names(stage)}  # fmt: skip
        apart = parallel and len(stage) > 1
        lanes = [partial(_run_lane, network, lane, run, options, done, kept, convert,
                         trim=trims and not apart)
                 for lane in stage]  # fmt: skip
        if parallel:
            made = side_by_side(lanes)
            if apart and trims:
                return_freed_memory()  # the lanes' temporaries, once both have ended
        else:  # and every part of a pass in this thread too (see worth_threads)
            with one_thread():
                made = [lane() for lane in lanes]
        del lanes
        for lane in made:
            yield from lane
        del made


def _section(name: str, dict_only: bool) -> Section:
    """The function that runs section ``name``: its leaner form when only its dict is
    made and it has one."""
    return DICT_SECTIONS.get(name, SECTIONS[name]) if dict_only else SECTIONS[name]


def _run_lane(
    network: FlowNetwork,
    lane: tuple[str, ...],
    run: Mapping[str, Section],
    options: Options,
    done: dict[str, Any],
    kept: set[str],
    convert: Callable[[str, Any], Any] | None,
    *,
    trim: bool = True,
) -> list[tuple[str, Any]]:
    """Run the sections ``lane`` one after the other, each by its function in ``run``;
    each result that has data (None: no data), converted by ``convert`` when given,
    with its name. Results in ``kept`` go into ``done`` for the later stages' sections.

    With ``trim``, the memory a section freed is handed back before the next one starts
    (:func:`~symbiosis._memory.return_freed_memory`). Not beside another lane: glibc's
    trim empties every thread's heaps, so each trim here took the pages the other
    lane's running section had freed and was about to reuse, and it faulted them in
    again. Measured at a million flows, the trims at the stage's end instead (10 + 10
    interleaved runs): page faults 544-604k -> 413-478k, the command 3.75 -> 3.62 s
    (medians), peaks 867-899 -> 866-960 MB; on the other shapes of
    ``benchmarks/bench_shapes.py`` 0.05-0.2 s faster, peaks at most 937 MB. In one heap
    shared by every thread (the CLI's), nothing is handed back between sections: see
    :func:`~symbiosis._memory.share_one_heap`."""
    made = []
    for name in lane:
        result = run[name](network, options, done)
        if result is not None:
            if name in kept:
                done[name] = result
            made.append((name, result if convert is None else convert(name, result)))
        del result
        if trim:
            return_freed_memory()  # the section's temporaries: the next one starts lean
    return made
