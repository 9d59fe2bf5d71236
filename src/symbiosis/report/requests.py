"""The arguments of :func:`~symbiosis.report.analyze` (and of ``analyze_to_dict`` and
``run_sections``): the sections to run and the options, every problem of a call in one
:class:`~symbiosis.errors.InputError`, before any pass runs.

Complexity: O(1), but the distinct years of flows with a ``year`` column, O(F).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from ..arguments import Arguments, is_whole
from ..errors import InputError
from ..model import FlowNetwork
from ..options import Options, checked_options
from .sections import SECTIONS, unmet

__all__ = ["request"]


def request(
    network: Any, sections: Any, options: Any, settings: Mapping[str, Any], **calls: Any
) -> tuple[list[str], Options]:
    """The sections to run (in the order named, else the report's) and the options
    (``options``, an :class:`Options` or None, with the fields ``settings`` names),
    checked with the other arguments (``progress``, ``convert``: functions or None;
    ``parallel``: a flag): every problem in one :class:`~symbiosis.errors.InputError`. A
    conditional section that cannot run on ``network`` (:func:`~.sections.unmet`) is a
    problem when named, and left out of a run of every section (so ``progress`` never
    announces it)."""
    check = Arguments()
    wanted = _sections(sections, check)
    for name, value in calls.items():
        if name == "parallel":
            check.flag(name, value)
        else:
            check.function(name, value)
    base = base_options(options, settings, check)
    known = {f.name for f in fields(Options)}
    bad = [name for name in settings if name not in known]
    if bad:
        check.add(f"unknown option(s) {', '.join(bad)}")
    chosen = base
    try:  # the options' values, checked with the rest
        chosen = replace(base, **{k: v for k, v in settings.items() if k in known})
    except InputError as exc:
        check.problems.extend(problem.message for problem in exc.problems)
    runs = [name for name in wanted or SECTIONS if name in SECTIONS]
    if isinstance(network, FlowNetwork):  # else require_network says what it takes
        runs = _runnable(network, runs, bool(wanted), settings.get("samples", base.samples), check)
    check.check()
    return runs, chosen


def _sections(sections: Any, check: Arguments) -> tuple[str, ...] | None:
    """The sections named (None or none: every section), their problems noted: a string
    is one name or several, comma-separated (empty ones, as after a trailing comma,
    ignored); a list's empty name is named so."""
    if isinstance(sections, str):  # analyze(network, sections="loops") or "loops,reuse,"
        named = [name.strip() for name in sections.split(",") if name.strip()]
        if not named:
            check.add(f"sections holds no section name (got {sections!r}); choose from "
                      f"{', '.join(SECTIONS)}")  # fmt: skip
        sections = named
    wanted = check.names("sections", sections)
    unknown = [name or "'' (an empty name)" for name in wanted or () if name not in SECTIONS]
    if unknown:
        check.add(f"unknown section(s) {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    return wanted


def _runnable(
    network: FlowNetwork, runs: list[str], named: bool, samples: Any, check: Arguments
) -> list[str]:
    """The sections of ``runs`` that can run on ``network`` with ``samples``; each that
    cannot is a problem noted in ``check`` when ``named``. O(F) for the trends of flows
    with a ``year`` column (their distinct years), else O(sections)."""
    asked = int(not (is_whole(samples) and samples == 0))  # a wrong value: said already
    why = {name: unmet(name, network, asked) for name in runs}
    check.problems.extend(str(why[name]) for name in runs if named and why[name])
    return [name for name in runs if not why[name]]


def base_options(options: Any, settings: Mapping[str, Any], check: Arguments) -> Options:
    """``options`` (the defaults for None), its problems noted in ``check``: not an
    :class:`Options`, or a field that a keyword sets to another value (which of the two
    was meant cannot be told). O(fields)."""
    if options is not None and not isinstance(options, Options):
        try:
            checked_options(options)
        except InputError as exc:
            check.add(str(exc))
        return Options()
    base = options or Options()
    clash = [
        name
        for name, value in settings.items()
        if options is not None and hasattr(base, name) and getattr(base, name) != value
    ]
    if clash:
        said = ", ".join(f"{name}={settings[name]!r} but options.{name}={getattr(base, name)!r}"
                         for name in clash)  # fmt: skip
        check.add(
            f"options and keywords disagree: {said}; give one "
            "(dataclasses.replace(options, ...) changes an Options)"
        )
    return base
