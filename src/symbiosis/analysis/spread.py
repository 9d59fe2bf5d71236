"""How well each flow is known: one probability distribution per flow, and draws from them.

Every flow of known size gets a distribution of its value (canonical unit, per year), from
the first of these that its row gives (:mod:`symbiosis.io.uncertainty` validates them):

==============  =====================  ==============================================
source          kind                   parameters
==============  =====================  ==============================================
``range``       ``triangular``         ``low``, mode = ``value``, ``high`` (or
                (or ``uniform``)       ``uniform`` on ``[low, high]``: ``ranges=``)
``uncertainty`` ``lognormal``          mean = ``value``, sd = ``uncertainty x value``
``quality``     ``lognormal``          sd from :data:`QUALITY_SPREAD` (below)
``default``     ``lognormal``          sd = ``default x value`` (``--uncertainty``)
``none``        ``fixed``              the value itself (no spread)
==============  =====================  ==============================================

A flow of unknown size stays unknown (``fixed`` with a NaN value); a flow of value 0, or a
range of zero width, is ``fixed``. The lognormal suits quantities that are positive and
whose errors are multiplicative; it is parameterised to keep the recorded value as its
mean: ``sigma_log^2 = ln(1 + cv^2)``, ``mu_log = ln(value) - sigma_log^2 / 2`` (Limpert et
al. 2001). A triangular range keeps the recorded value as its mode, so its mean
``(low + value + high) / 3`` moves when the range is lopsided; its standard deviation is
``sqrt((a^2 + b^2 + c^2 - ab - ac - bc) / 18)``, a uniform's ``(high - low) / sqrt(12)``.

Quality scores (pedigree matrix)
    A score from 1 to 5 is read as the score of the three pedigree indicators that
    describe a firm's own figure (reliability, completeness, temporal correlation; the
    geographical and technological correlation indicators describe proxy data from other
    places or technologies, which a flow table of named firms does not use: give such
    flows an explicit ``uncertainty``). The uncertainty factors ``U`` are those of the
    ecoinvent v2 pedigree matrix (Weidema & Wesnaes 1996; Frischknecht et al. 2007,
    table 7.1), with the basic uncertainty 1.05 of ecoinvent for products, semi-finished
    products and metals; they combine as ``sigma_log = sqrt(sum (ln U_k)^2) / 2`` (the
    factors are squared geometric standard deviations), and the relative standard
    deviation is that of a lognormal, ``sqrt(exp(sigma_log^2) - 1)``.

Complexity: O(flows) for :func:`flow_spreads`, one unit parse per distinct unit with a
range; O(samples x flows) for :func:`draw`.

References
----------
Frischknecht, R. et al. 2007. Overview and Methodology. ecoinvent report No. 1, Swiss
Centre for Life Cycle Inventories, Duebendorf (section 7.3, the pedigree matrix).
Weidema, B.P. & Wesnaes, M.S. 1996. Data quality management for life cycle inventories -
an example of using data quality indicators. J. Cleaner Prod. 4(3-4): 167-174.
Weidema, B.P. et al. 2013. Overview and methodology. Data quality guideline for the
ecoinvent database version 3. ecoinvent report 1(v3), St. Gallen.
Limpert, E., Stahel, W.A. & Abbt, M. 2001. Log-normal distributions across the sciences:
keys and clues. BioScience 51(5): 341-352.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._numeric import powers_of_two
from ..arguments import Arguments
from ..model import FlowNetwork
from ..units import UnknownUnitError, parse_unit

__all__ = [
    "BASIC_UNCERTAINTY",
    "KINDS",
    "PEDIGREE_FACTORS",
    "QUALITY_SPREAD",
    "RANGE_KINDS",
    "SOURCES",
    "FlowSpreads",
    "check_spread_options",
    "draw",
    "flow_spreads",
    "lognormal_parameters",
]

KINDS: tuple[str, ...] = ("fixed", "lognormal", "triangular", "uniform")
RANGE_KINDS: tuple[str, ...] = ("triangular", "uniform")
SOURCES: tuple[str, ...] = ("none", "range", "uncertainty", "quality", "default")

#: ecoinvent v2 pedigree uncertainty factors for scores 1..5 of the indicators that a
#: quality score stands for (Frischknecht et al. 2007, after Weidema & Wesnaes 1996).
PEDIGREE_FACTORS: dict[str, tuple[float, ...]] = {
    "reliability": (1.00, 1.05, 1.10, 1.20, 1.50),
    "completeness": (1.00, 1.02, 1.05, 1.10, 1.20),
    "temporal correlation": (1.00, 1.03, 1.10, 1.20, 1.50),
}
#: ecoinvent's basic uncertainty (squared geometric sd) of products and metals.
BASIC_UNCERTAINTY = 1.05


def _quality_spread(score: int) -> float:
    """Relative standard deviation of a flow of quality ``score`` (module docstring)."""
    factors = [BASIC_UNCERTAINTY, *(f[score - 1] for f in PEDIGREE_FACTORS.values())]
    sigma_log = math.sqrt(sum(math.log(u) ** 2 for u in factors)) / 2
    return math.sqrt(math.expm1(sigma_log**2))


#: Relative standard deviation of each quality score 1..5 (about 2.4 %, 3.9 %, 7.6 %,
#: 14 % and 31 %).
QUALITY_SPREAD: dict[int, float] = {score: _quality_spread(score) for score in range(1, 6)}


@dataclass(frozen=True, eq=False)
class FlowSpreads:
    """One distribution per flow, arrays aligned with ``network.flows`` (row ``i`` is flow
    ``i``). Values are in the canonical unit of the flow's dimension, per year."""

    kind: np.ndarray
    """int8 index into :data:`KINDS`."""
    source: np.ndarray
    """int8 index into :data:`SOURCES`: which column (or the default) gave the spread."""
    value: np.ndarray
    """The recorded value (NaN when unknown)."""
    low: np.ndarray
    """Lower bound of a range (``triangular``, ``uniform``), NaN for the other kinds."""
    high: np.ndarray
    """Upper bound of a range, NaN for the other kinds."""
    mean: np.ndarray
    """Mean of the distribution (the value, except for a lopsided triangular range)."""
    sd: np.ndarray
    """Standard deviation of the distribution (0 for ``fixed``; NaN when unknown)."""
    mu_log: np.ndarray
    """Lognormal location (mean of the log), NaN for the other kinds."""
    sigma_log: np.ndarray
    """Lognormal scale (sd of the log), NaN for the other kinds."""

    def __len__(self) -> int:
        return len(self.kind)

    @property
    def variance(self) -> np.ndarray:
        """``sd ** 2``, per flow."""
        return self.sd**2

    @property
    def relative_sd(self) -> np.ndarray:
        """``sd / value``; NaN where the value is 0 or unknown."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.value > 0, self.sd / self.value, np.nan)

    @property
    def uncertain(self) -> np.ndarray:
        """Mask of the flows whose value varies (a positive standard deviation)."""
        return self.sd > 0

    def to_frame(self) -> pd.DataFrame:
        """One row per flow: ``kind``, ``source``, ``value``, ``low``, ``high``, ``mean``,
        ``sd``, ``relative_sd``. O(flows)."""
        return pd.DataFrame(
            {
                "kind": np.array(KINDS, dtype=object)[self.kind],
                "source": np.array(SOURCES, dtype=object)[self.source],
                "value": self.value,
                "low": self.low,
                "high": self.high,
                "mean": self.mean,
                "sd": self.sd,
                "relative_sd": self.relative_sd,
            }
        )

    def to_dict(self) -> dict:
        """Counts of flows by kind and by source (the per-flow table is :meth:`to_frame`).
        O(flows)."""
        kinds = np.bincount(self.kind, minlength=len(KINDS))
        sources = np.bincount(self.source, minlength=len(SOURCES))
        return {
            "flows": len(self),
            "uncertain_flows": int(self.uncertain.sum()),
            "by_kind": {k: int(kinds[i]) for i, k in enumerate(KINDS)},
            "by_source": {s: int(sources[i]) for i, s in enumerate(SOURCES)},
        }


def lognormal_parameters(mean: np.ndarray, sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(mu_log, sigma_log)`` of the lognormal with the given mean (> 0) and standard
    deviation: ``sigma_log^2 = ln(1 + (sd/mean)^2)``, ``mu_log = ln(mean) - sigma_log^2/2``.
    O(n)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        ratio = sd / mean
        # ln(1 + r^2) = 2 ln r + ln(1 + r^-2), used only where r^2 would overflow (past
        # r = 1e154: an --uncertainty of 1e160 drew NaN for every flow); below, the direct
        # form, bit for bit as before
        large = ratio > 1e150
        variance_log = np.where(
            large,
            2 * np.log(np.where(large, ratio, 1.0)) + np.log1p(ratio**-2.0),
            np.log1p(ratio**2),
        )
        return np.log(mean) - variance_log / 2, np.sqrt(variance_log)


def check_spread_options(check: Arguments, default: object, ranges: object) -> None:
    """Note in ``check`` a bad ``default`` (the relative standard deviation of the flows
    whose row says nothing: a finite number from 0 to 1,000, the ``uncertainty`` column's
    bound, or ``None``) or ``ranges`` (one of :data:`RANGE_KINDS`). O(1)."""
    if (
        check.number("default", default, minimum=0, none=True, what=" (relative uncertainty)")
        is not None
    ):
        check_default_bound(check, "default", default)
    check.choice("ranges", ranges, RANGE_KINDS)


def check_default_bound(check: Arguments, name: str, default: Any) -> None:
    """Note in ``check`` a default relative standard deviation (a finite number >= 0)
    above the bound of the ``uncertainty`` column, with that column's message: a spread of
    1e9 draws lognormals whose median is 1e-7 of their mean, and indicators that mean
    nothing (``name is above 1,000 ...``). O(1)."""
    from ..io.uncertainty import MAX_RELATIVE_SD, RELATIVE_SD_HINT, above_largest_sd

    if default > MAX_RELATIVE_SD:
        check.add(f"{above_largest_sd(name)} (got {default!r}); {RELATIVE_SD_HINT}")


def flow_spreads(
    network: FlowNetwork, default: float | None = None, *, ranges: str = "triangular"
) -> FlowSpreads:
    """The distribution of every flow of ``network`` (see the module docstring).

    ``default`` is the relative standard deviation given to the flows whose row says
    nothing (``None`` or 0: they are fixed); ``ranges`` the kind of a range,
    ``"triangular"`` (mode at the recorded value) or ``"uniform"``. Raises
    :class:`~symbiosis.errors.InputError` for a default that is not a finite number >= 0
    or an unknown range kind (:func:`check_spread_options`).

    Complexity: O(flows), plus one unit parse per distinct unit of a row with a range.
    """
    check = Arguments()
    check_spread_options(check, default, ranges)
    check.check()
    flows = network.flows
    value = network.core.value.astype(float, copy=True)
    n = len(value)
    known = np.isfinite(value)
    relative = np.full(n, np.nan)
    source = np.zeros(n, dtype=np.int8)

    low, high = _bounds(flows, known)
    has_range = np.isfinite(low) & np.isfinite(high)
    source[has_range] = SOURCES.index("range")
    for name, spread in (("uncertainty", _column(flows, "uncertainty")), ("quality", None)):
        if spread is None:
            spread = _quality_column(flows)
        pick = (source == 0) & known & np.isfinite(spread)
        relative[pick] = spread[pick]
        source[pick] = SOURCES.index(name)
    if default:
        pick = (source == 0) & known
        relative[pick] = default
        source[pick] = SOURCES.index("default")

    kind = np.zeros(n, dtype=np.int8)
    lognormal = np.isfinite(relative) & (relative > 0) & (value > 0)
    kind[lognormal] = KINDS.index("lognormal")
    ranged = has_range & (high > low)
    kind[ranged] = KINDS.index(ranges)
    low = np.where(ranged, low, np.nan)
    high = np.where(ranged, high, np.nan)

    mean = value.copy()
    sd = np.where(known, 0.0, np.nan)
    with np.errstate(over="ignore"):  # past the largest float: inf, which callers refuse
        sd[lognormal] = relative[lognormal] * value[lognormal]
    triangular = kind == KINDS.index("triangular")
    a, c, b = low[triangular], value[triangular], high[triangular]
    mean[triangular] = (a + b + c) / 3
    # = ((b - a)^2 + (c - a)(c - b)) / 18, a sum of squares that rounding can take below 0;
    # taken in units of the width (a power of two: exact), as squares of 1e-300 t are 0
    unit = powers_of_two(b - a)
    width, left, right = (b - a) / unit, (c - a) / unit, (b - c) / unit
    variance = (width**2 - left * right) / 18
    sd[triangular] = np.sqrt(np.maximum(variance, 0.0)) * unit
    uniform = kind == KINDS.index("uniform")
    mean[uniform] = (low[uniform] + high[uniform]) / 2
    sd[uniform] = (high[uniform] - low[uniform]) / math.sqrt(12)
    mu_log = np.full(n, np.nan)
    sigma_log = np.full(n, np.nan)
    mu_log[lognormal], sigma_log[lognormal] = lognormal_parameters(value[lognormal], sd[lognormal])
    return FlowSpreads(
        kind=kind,
        source=source,
        value=value,
        low=low,
        high=high,
        mean=mean,
        sd=sd,
        mu_log=mu_log,
        sigma_log=sigma_log,
    )


def _column(flows: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric column of the flow table as floats, all NaN when absent."""
    if name not in flows:
        return np.full(len(flows), np.nan)
    return pd.to_numeric(flows[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _quality_column(flows: pd.DataFrame) -> np.ndarray:
    """The relative standard deviation of each row's quality score (NaN without one)."""
    score = _column(flows, "quality")
    lookup = np.array([np.nan, *QUALITY_SPREAD.values()])
    valid = np.isin(score, list(QUALITY_SPREAD))
    return np.where(valid, lookup[np.where(valid, score, 0).astype(int)], np.nan)


def _bounds(flows: pd.DataFrame, known: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Range bounds in the canonical unit (NaN where there is no range): the row's bounds
    times its unit's factor, parsed once per distinct unit."""
    low, high = _column(flows, "quantity_low"), _column(flows, "quantity_high")
    rows = np.flatnonzero(known & np.isfinite(low) & np.isfinite(high))
    factor = np.full(len(flows), np.nan)
    if len(rows):
        units = flows["unit"].to_numpy(dtype=object)[rows]
        codes, distinct = pd.factorize(units)
        factors = np.array([_factor(u) for u in distinct], dtype=float)
        factor[rows] = factors[codes]
    return low * factor, high * factor


def _factor(unit: object) -> float:
    try:
        return parse_unit(str(unit)).factor
    except UnknownUnitError:  # validated input never gets here; frames may
        return math.nan


def draw(
    spreads: FlowSpreads,
    generator: np.random.Generator,
    samples: int,
    flows: np.ndarray | None = None,
) -> np.ndarray:
    """``samples`` independent draws of the flows at positions ``flows`` (all when
    ``None``): a ``(samples, len(flows))`` matrix, NaN for a flow of unknown size.

    Each row is one joint draw. The generator is consumed in a fixed order (one standard
    normal matrix for the lognormal flows, then one uniform matrix for the ranges), so the
    same generator state gives the same matrix. Triangular and uniform values come from
    their inverse distribution functions. O(samples x flows) time and memory.
    """
    positions = np.arange(len(spreads)) if flows is None else np.asarray(flows)
    kind = spreads.kind[positions]
    out = np.tile(spreads.value[positions], (samples, 1))
    lognormal = np.flatnonzero(kind == KINDS.index("lognormal"))
    if len(lognormal):
        at = positions[lognormal]
        normal = generator.standard_normal((samples, len(lognormal)))
        out[:, lognormal] = np.exp(spreads.mu_log[at] + spreads.sigma_log[at] * normal)
    ranged = np.flatnonzero(np.isin(kind, [KINDS.index(k) for k in RANGE_KINDS]))
    if len(ranged):
        at = positions[ranged]
        uniform = generator.random((samples, len(ranged)))
        out[:, ranged] = _from_ranges(spreads, at, uniform)
    return out


def _from_ranges(spreads: FlowSpreads, at: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Inverse distribution functions of the range flows ``at`` at ``uniform``."""
    a, b, mode = spreads.low[at], spreads.high[at], spreads.value[at]
    width = b - a
    result = a + uniform * width  # uniform
    triangular = spreads.kind[at] == KINDS.index("triangular")
    if triangular.any():
        split = (mode - a) / width  # the cdf at the mode
        # products of two lengths, in units of the width (exact: squares of 1e-300 are 0)
        unit = powers_of_two(width)
        scaled = width / unit
        left = a + np.sqrt(uniform * scaled * ((mode - a) / unit)) * unit
        right = b - np.sqrt((1 - uniform) * scaled * ((b - mode) / unit)) * unit
        result = np.where(triangular, np.where(uniform < split, left, right), result)
    return result
