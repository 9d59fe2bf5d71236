"""The settings of :func:`.reconcile.reconcile` and of ``symbiosis reconcile``, checked
together before any work: every problem at once, types before ranges.

Complexity: O(roles + loss dimensions).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from ..arguments import Arguments, is_number
from ..errors import InputError, Problem
from ..units import DIMENSIONS
from ..vocabulary import ACTOR_ROLES, ROLES, canonical_role

__all__ = ["DEFAULT_LOSSES", "NO_LOSSES", "check_settings"]

#: Dimensions where an actor may lose what the data do not record: energy conversion
#: always loses heat that networks rarely record, so a power plant's energy in exceeds
#: its energy out and "inputs = outputs" would be wrong data, not noise.
DEFAULT_LOSSES: tuple[str, ...] = ("energy",)
NO_LOSSES = "none"  # the word for no loss dimension (``--losses none``)

_FLAGS = {
    "balance_roles": "--balance-roles",
    "tolerance": "--tolerance",
    "alpha": "--alpha",
    "default_uncertainty": "--uncertainty",
    "nonnegative": "--nonnegative",
    "losses": "--losses",
}


def check_settings(
    roles: Iterable[str],
    tolerance: float,
    alpha: float,
    default_uncertainty: float | None = None,
    nonnegative: bool = False,
    losses: Iterable[str] | str = DEFAULT_LOSSES,
    *,
    flags: bool = True,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The balancing roles (canonical) and the loss dimensions (in :data:`DIMENSIONS`
    order), checked with the other settings; every problem is reported at once
    (:class:`InputError`), types before ranges. ``roles`` and ``losses`` are lists of
    names, or one name as a plain string; ``losses`` may be ``"none"`` (or empty): no
    dimension. The problems name the command line's options (``--tolerance must be
    ...``), one :class:`Problem` each so that the CLI lists them with the files' problems;
    with ``flags=False``, :func:`.reconcile.reconcile`'s parameters and their option
    (``tolerance (--tolerance) must be ...``), in one message. O(roles + losses)."""
    label = _FLAGS if flags else {name: f"{name} ({flag})" for name, flag in _FLAGS.items()}
    check = Arguments()
    names = check.names(label["balance_roles"], roles, none=False) or ()
    if flags and not [r for r in names if r.strip()]:  # --balance-roles '' (an unset variable)
        check.add(f"{label['balance_roles']}: empty; use actor roles: {', '.join(ACTOR_ROLES)}")
    written = {canonical_role(r) or r: r for r in (r.strip() for r in names)}
    checked = tuple(written)  # canonical: aliases such as plant or wwtp are accepted
    if default_uncertainty is not None and not _at_least_zero(default_uncertainty):
        check.add(
            f"{label['default_uncertainty']} must be a number >= 0"
            f"{'' if flags else ' or None'} (got {default_uncertainty!r})"
        )
    elif default_uncertainty is not None:
        from .spread import check_default_bound

        check_default_bound(check, label["default_uncertainty"], default_uncertainty)
    for role in checked:
        if role not in ROLES:
            check.add(
                f"{label['balance_roles']}: unknown role '{role}'; use actor roles: "
                f"{', '.join(ACTOR_ROLES)}"
            )
        elif role not in ACTOR_ROLES:
            check.add(
                f"{label['balance_roles']}: '{written[role]}' is a boundary role ({role}) and "
                f"never balances; use actor roles: {', '.join(ACTOR_ROLES)}"
            )
    if not _at_least_zero(tolerance):
        check.add(f"{label['tolerance']} must be a number >= 0 (got {tolerance!r})")
    if not (is_number(alpha) and 0 < alpha < 1):
        check.add(f"{label['alpha']} must be a number between 0 and 1 (got {alpha!r})")
    check.flag(label["nonnegative"], nonnegative)
    dimensions = _loss_dimensions(check, label["losses"], losses, empty_ok=not flags)
    if flags and check.problems:
        raise InputError([Problem("", None, None, p) for p in check.problems])
    check.check()
    return checked, dimensions


def _loss_dimensions(
    check: Arguments, label: str, losses: Any, *, empty_ok: bool = True
) -> tuple[str, ...]:
    """The dimensions named in ``losses`` (any case, spaces around ignored), in
    :data:`DIMENSIONS` order; ``"none"`` alone or (``empty_ok``) nothing: none. Problems are
    noted in ``check``: an unknown dimension (each one), ``none`` beside a dimension, or
    (not ``empty_ok``: the command line, where ``--losses ''`` is an unset variable, not a
    choice) no name at all."""
    names = check.names(label, losses, none=False)
    if names is None:
        return ()
    given = [name.strip().lower() for name in names]
    choices = f"use {', '.join(DIMENSIONS)} (comma-separated), or {NO_LOSSES}"
    if not empty_ok and not any(given):
        check.add(f"{label}: empty; {choices}")
    for name in given:
        if name not in DIMENSIONS and name != NO_LOSSES:
            check.add(f"{label}: unknown dimension {name!r}; {choices}")
    if NO_LOSSES in given and len(set(given)) > 1:
        check.add(f"{label}: '{NO_LOSSES}' cannot go with dimensions (got {', '.join(names)})")
    return tuple(d for d in DIMENSIONS if d in given)


def _at_least_zero(value: Any) -> bool:
    """A finite number >= 0 (not a bool, not text)."""
    return is_number(value) and math.isfinite(value) and value >= 0
