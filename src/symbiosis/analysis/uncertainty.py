"""Monte Carlo of every headline indicator under uncertain flows, with the sensitivity of
each to each flow, on one machine, several processes or a Dask cluster.

Each flow gets a distribution (:func:`~symbiosis.analysis.spread.flow_spreads`: a range,
a relative standard deviation, a quality score or a default); the flows are drawn
independently, ``samples`` times, as a matrix of samples x flows, and every indicator is
computed for all samples at once (:class:`~.uncertainty_model.IndicatorModel`: the reuse,
cycling and structure passes in vectorised form). Reported per indicator: its value on
the recorded data, the mean, standard deviation and percentiles of the samples, and the
number of samples where it is defined (``valid``).

Sensitivity
    For each headline indicator, the flows whose uncertainty drives its spread: the
    Pearson correlation ``r_f`` between the flow's draws and the indicator's, and its
    *contribution to variance* ``r_f^2``, the share of the indicator's variance that the
    flow explains alone. For an indicator linear in the flows (a sum; nearly so for a
    share when the spreads are small) with independent inputs, ``r_f^2 = a_f^2 var(x_f) /
    var(I)`` exactly: the first-order variance decomposition of analytic error
    propagation, and the contributions sum to 1 (Saltelli et al. 2008, ch. 1.2.3). Only
    flows of the indicator's dimension are listed (the others are independent of it).
    The correlations are accumulated chunk by chunk (sums of x, x^2, y, y^2, xy), so no
    sample matrix is kept. They are taken in units that are powers of two (a flow's
    standard deviation, the largest flow of the indicator's dimension), as is the
    standard deviation of each indicator: exact scaling, so that the squares of flows of
    ``1e-300 t`` do not underflow to 0 and ordinary flows give the same bits.

Chunks, processes, clusters
    Samples are drawn and evaluated in chunks of at most :data:`CHUNK_VALUES` values
    (samples x flows), which bounds memory whatever ``samples``. Chunk ``i`` draws from a
    generator seeded by ``SeedSequence(seed).spawn(n)[i]``, never from the worker, and
    chunks are combined in their order: the same seed gives identical results
    (bit for bit) in one process, in a process pool or on a Dask cluster. ``executor``
    is any :class:`concurrent.futures.Executor` (``ProcessPoolExecutor``, or a
    ``distributed.Client(...).get_executor()``); without one, chunks run in this process.

Complexity: O(samples x (flows + actors)) plus, per sample, the cycling blocks and the
origin tracing (:mod:`.uncertainty_model`); the sensitivity adds O(samples x uncertain
flows x headline indicators). Measured figures: docs/uncertainty.md.

References
----------
Saltelli, A. et al. 2008. Global Sensitivity Analysis. The Primer. Wiley.
JCGM 101:2008. Evaluation of measurement data - Supplement 1 to the GUM - Propagation of
distributions using a Monte Carlo method.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._frozen import FrozenResult
from .._numeric import powers_of_two
from ..arguments import Arguments, short_repr, unknown_dimension
from ..jsonable import to_jsonable
from ..model import FlowNetwork, require_network
from ..units import DIMENSIONS, yearly_unit
from .spread import FlowSpreads, check_spread_options, draw, flow_spreads
from .uncertainty_model import HEADLINE, IndicatorModel
from .uncertainty_ranking import OpportunityStreams, rank_opportunities

__all__ = ["CHUNK_VALUES", "PERCENTILES", "UncertaintyResult", "chunk_sizes", "monte_carlo"]

#: Largest samples x flows drawn at once (8 bytes each: 16 MB).
CHUNK_VALUES = 1 << 21
#: The largest number of samples in a chunk.
CHUNK_SAMPLES = 256
PERCENTILES: tuple[float, ...] = (2.5, 5.0, 25.0, 50.0, 75.0, 95.0, 97.5)
_SHARES = {"reuse_share", "utilization_rate", "circular_input_rate", "finn_cycling_index"}
_SHARES |= {"extraction_dependence"}
_FLOW_LABELS = ("source", "target", "material")


@dataclass(frozen=True, eq=False)
class UncertaintyResult(FrozenResult):
    """The Monte Carlo of a network's headline indicators (module docstring)."""

    samples: int
    """Number of samples drawn."""
    seed: int
    """The seed: the same seed gives the same result on any backend."""
    default: float | None
    """Relative standard deviation given to flows whose row says nothing."""
    ranges: str
    """Distribution of a range: ``triangular`` or ``uniform``."""
    indicators: pd.DataFrame
    """One row per (``dimension``, ``indicator``): ``unit``, ``recorded``, ``mean``,
    ``sd``, ``valid`` and one column per percentile (``p2.5`` ...); per-material reuse
    shares are ``reuse_share:KEY``."""
    sensitivity: pd.DataFrame
    """Per (``dimension``, ``indicator``) the flows that drive it most: ``position``
    (rank, from 1), ``row`` (in flows.csv), ``source``, ``target``, ``material``,
    ``correlation``, ``contribution`` (``correlation ** 2``: share of variance)."""
    opportunities: pd.DataFrame
    """One row per listed opportunity (:func:`.uncertainty_ranking.rank_opportunities`)."""
    spreads: dict[str, Any]
    """Counts of flows by distribution kind and source (:meth:`FlowSpreads.to_dict`)."""
    percentiles: tuple[float, ...] = PERCENTILES
    top: int = 10
    draws: np.ndarray = field(default=None, repr=False)
    """The indicator samples, ``(samples, indicators rows)``."""

    def interval(self, dimension: str, indicator: str, coverage: float = 95.0):
        """``(low, high)`` percentiles of an indicator covering ``coverage`` % of the
        samples (a coverage whose percentiles were computed: 95, 90 or 50). Raises a KeyError
        naming the dimensions, or the indicators, there are for another. O(indicators)."""
        row = self._row(dimension, indicator)
        tail = (100.0 - coverage) / 2
        return row[f"p{tail:g}"], row[f"p{100 - tail:g}"]

    def _row(self, dimension: str, indicator: str) -> pd.Series:
        table = self.indicators
        match = table[(table["dimension"] == dimension) & (table["indicator"] == indicator)]
        if match.empty:  # said as result[dimension] says it, not a bare KeyError
            present = list(dict.fromkeys(table["dimension"].astype(str)))
            if dimension not in present:
                raise KeyError(unknown_dimension(dimension, present))
            names = ", ".join(dict.fromkeys(table["indicator"].astype(str)))
            raise KeyError(f"unknown indicator {indicator!r}; choose from {names}")
        return match.iloc[0]

    def to_frame(self) -> pd.DataFrame:
        """The indicator table."""
        return self.indicators

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: settings, flow counts, per dimension each indicator's statistics
        (``materials`` holds the per-material reuse shares), the sensitivity and the
        opportunity ranking."""
        dimensions: dict[str, Any] = {}
        for record in self.indicators.to_dict("records"):
            dimension, name = record.pop("dimension"), record.pop("indicator")
            entry = dimensions.setdefault(dimension, {"materials": {}})
            if name.startswith("reuse_share:"):
                entry["materials"][name.split(":", 1)[1]] = to_jsonable(record)
            else:
                entry[name] = to_jsonable(record)
        sensitivity: dict[str, Any] = {}
        for (dimension, name), rows in self.sensitivity.groupby(["dimension", "indicator"]):
            listed = rows.drop(columns=["dimension", "indicator"]).to_dict("records")
            sensitivity.setdefault(dimension, {})[name] = to_jsonable(listed)
        return {
            "samples": self.samples,
            "seed": self.seed,
            "default_uncertainty": self.default,
            "ranges": self.ranges,
            "percentiles": list(self.percentiles),
            "flows": dict(self.spreads),
            "dimensions": dimensions,
            "sensitivity": sensitivity,
            "opportunities": {
                "top": self.top,
                "listed": to_jsonable(self.opportunities.to_dict("records")),
            },
        }


@dataclass(eq=False)
class _Task:
    """One chunk of samples, everything it needs (picklable)."""

    model: IndicatorModel
    spreads: FlowSpreads
    uncertain: np.ndarray  # columns of model.flows whose value varies
    headline: np.ndarray  # indicator columns of the sensitivity
    x_unit: np.ndarray  # per uncertain flow, the unit of its sums (_sensitivity_units)
    y_unit: np.ndarray  # per headline column, the unit of its sums
    streams: OpportunityStreams | None
    seed: np.random.SeedSequence
    size: int


@dataclass(eq=False)
class _Chunk:
    indicators: np.ndarray
    quantities: np.ndarray | None
    sums: dict[str, np.ndarray]


def _run(task: _Task) -> _Chunk:
    """Draw and evaluate one chunk (module level: it runs in other processes)."""
    generator = np.random.default_rng(task.seed)
    values = draw(task.spreads, generator, task.size, task.model.flows)
    indicators = task.model.evaluate(values)
    x = values[:, task.uncertain] - task.spreads.value[task.model.flows[task.uncertain]]
    x /= task.x_unit
    y = indicators[:, task.headline] / task.y_unit
    valid = np.isfinite(y)
    y = np.where(valid, y, 0.0)
    weight = valid.astype(float)
    sums = {
        "n": weight.sum(axis=0),
        "y": y.sum(axis=0),
        "yy": (y * y).sum(axis=0),
        "x": weight.T @ x,
        "xx": weight.T @ (x * x),
        "xy": y.T @ x,
    }
    quantities = None if task.streams is None else task.streams.quantities(values)
    return _Chunk(indicators=indicators, quantities=quantities, sums=sums)


def chunk_sizes(samples: int, flows: int) -> list[int]:
    """The sizes of the chunks of ``samples`` over ``flows`` flows: a function of these
    two numbers only, so that every backend draws the same chunks. O(chunks)."""
    per_chunk = max(1, min(CHUNK_SAMPLES, CHUNK_VALUES // max(flows, 1)))
    full, rest = divmod(samples, per_chunk)
    return [per_chunk] * full + ([rest] if rest else [])


def monte_carlo(
    network: FlowNetwork,
    *,
    samples: int = 1000,
    seed: int = 0,
    default: float | None = None,
    ranges: str = "triangular",
    sensitivity_top: int = 5,
    materials: int = 20,
    opportunities=None,
    top: int = 10,
    executor: Executor | None = None,
    progress: Callable[[int], None] | None = None,
) -> UncertaintyResult:
    """Monte Carlo of the headline indicators of ``network`` (module docstring).

    ``default`` is the relative standard deviation of flows with no spread of their own
    (``None``: they are fixed); ``ranges`` the distribution of a range; ``materials`` the
    number of largest residual materials per dimension given their own reuse share;
    ``opportunities`` the listed opportunities (:func:`find_opportunities` on the recorded
    data) to rank in every sample, ``top`` the N of "in the top N"; ``executor`` runs the
    chunks; ``progress`` is called with the number of samples done after each chunk.
    Raises :class:`~symbiosis.errors.InputError` naming every bad option, before any work
    (:func:`_check_options`). Complexity: module docstring.
    """
    require_network(network)
    _check_options(
        samples, seed, default, ranges, sensitivity_top, materials, opportunities, top,
        executor, progress,
    )  # fmt: skip
    samples, seed = int(samples), int(seed)
    spreads = flow_spreads(network, default, ranges=ranges)
    model = IndicatorModel.of(network, materials=materials)
    streams = None
    if opportunities is not None:
        streams = OpportunityStreams.of(network, opportunities, model.flows)
    uncertain = np.flatnonzero(spreads.uncertain[model.flows])
    headline = np.array([i for i, (_, n) in enumerate(model.names) if n in HEADLINE], dtype=int)
    x_unit, y_unit = _sensitivity_units(network, model, spreads, uncertain, headline)
    sizes = chunk_sizes(samples, len(model.flows))
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    tasks = [
        _Task(model, spreads, uncertain, headline, x_unit, y_unit, streams, s, n)
        for s, n in zip(seeds, sizes, strict=True)
    ]
    results = executor.map(_run, tasks) if executor is not None else map(_run, tasks)
    indicators, quantities, sums, done = [], [], {}, 0
    for chunk in results:  # in chunk order, whatever finished first
        indicators.append(chunk.indicators)
        quantities.append(chunk.quantities)
        for key, value in chunk.sums.items():  # added as they come: O(1) chunks in memory
            sums[key] = value if key not in sums else sums[key] + value
        done += len(chunk.indicators)
        if progress is not None:
            progress(done)
    draws = np.vstack(indicators)
    recorded = model.evaluate(spreads.value[model.flows][None, :])[0]
    table = _statistics(model, draws, recorded, network.summed_years)
    sensitivity = _sensitivity(network, model, spreads, uncertain, headline, sums, sensitivity_top)
    ranking = pd.DataFrame()
    if streams is not None:
        quantities = np.vstack(quantities)
        generated = {d: draws[:, model.names.index((d, "generated"))] for d in model.dimensions}
        ranking = _quiet(rank_opportunities, streams, quantities, generated, top, PERCENTILES)
    return UncertaintyResult(
        samples=samples,
        seed=seed,
        default=default,
        ranges=ranges,
        indicators=table,
        sensitivity=sensitivity,
        opportunities=ranking,
        spreads=spreads.to_dict(),
        top=top,
        draws=draws,
    )


def _check_options(
    samples, seed, default, ranges, sensitivity_top, materials, opportunities, top, executor,
    progress,
) -> None:  # fmt: skip
    """Raise one :class:`~symbiosis.errors.InputError` naming every bad option of
    :func:`monte_carlo` with the value it got. O(1)."""
    check = Arguments()
    check.whole("samples", samples, minimum=2)
    check.whole("seed", seed, minimum=0)
    check_spread_options(check, default, ranges)
    check.whole("sensitivity_top", sensitivity_top, minimum=0)
    check.whole("materials", materials, minimum=0)
    check.whole("top", top, minimum=1)
    if opportunities is not None:
        from .opportunities.result import Opportunities

        check.instance("opportunities", opportunities, Opportunities,
                       what="an Opportunities result (find_opportunities)")  # fmt: skip
    if executor is not None and not callable(getattr(executor, "map", None)):
        check.add(
            "executor must be an executor (with a map method, e.g. a ProcessPoolExecutor) "
            f"or None (got {type(executor).__name__} {short_repr(executor)})"
        )
    check.function("progress", progress)
    check.check()


def _quiet(function, *args):
    """``function(*args)`` without numpy's all-NaN warnings (NaN is the answer there)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return function(*args)


def _statistics(
    model: IndicatorModel, draws: np.ndarray, recorded: np.ndarray, years: int = 1
) -> pd.DataFrame:
    valid = np.isfinite(draws).sum(axis=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        mean = np.nanmean(draws, axis=0)
        unit = powers_of_two(np.nanmax(np.abs(draws), axis=0))  # 1e-300 t squared is 0
        sd = np.nanstd(draws / unit, axis=0, ddof=1) * unit
        quantiles = np.nanpercentile(draws, PERCENTILES, axis=0)
        flat = _rounding_only(draws, recorded)
    # an indicator no uncertain flow moves differs between samples by rounding alone
    # (sums taken in another order): it is the recorded value, with no spread
    mean = np.where(flat, recorded, mean)
    sd = np.where(flat, 0.0, sd)
    quantiles = np.where(flat, recorded, quantiles)
    names = model.names
    frame = pd.DataFrame(
        {
            "dimension": [d for d, _ in names],
            "indicator": [n for _, n in names],
            "unit": [_unit(d, n, years) for d, n in names],
            "recorded": recorded,
            "mean": mean,
            "sd": sd,
            "valid": valid,
        }
    )
    for p, values in zip(PERCENTILES, quantiles, strict=True):
        frame[f"p{p:g}"] = values
    return frame


#: Draws of an indicator that differ by no more than this, relative to its size, differ by
#: rounding: far above the few units in the last place that sums in another order give,
#: far below any spread a flow's uncertainty makes.
_ROUNDING = 1e-10


def _rounding_only(draws: np.ndarray, recorded: np.ndarray) -> np.ndarray:
    """Per indicator (a column of ``draws``), whether every valid draw equals the recorded
    value but for rounding (:data:`_ROUNDING`). O(draws)."""
    # fmax.reduce skips NaN draws as nanmax does, without its warning on a column of
    # NaN alone (an indicator no draw defined: NaN, not rounding)
    scale = np.fmax(np.abs(recorded), np.fmax.reduce(np.abs(draws), axis=0))
    gap = np.fmax.reduce(np.abs(draws - recorded), axis=0)
    return np.isfinite(recorded) & (gap <= _ROUNDING * scale)


def _unit(dimension: str, name: str, years: int = 1) -> str | None:
    """An indicator's unit (None for a share), over ``years`` years added up."""
    share = name in _SHARES or name.startswith("reuse_share:")
    return None if share else yearly_unit(dimension, years)


def _sensitivity_units(network, model, spreads, uncertain, headline):
    """The units (powers of two) in which the sensitivity sums are taken: per uncertain
    flow its standard deviation, per headline indicator the largest flow of its dimension
    (1 for a share). Correlations do not depend on units; squares of ``1e-300`` would
    underflow to 0 and lose them. O(flows)."""
    x_unit = powers_of_two(spreads.sd[model.flows[uncertain]])
    values = spreads.value[model.flows]
    dimension = network.core.dimension[model.flows]
    largest = {}
    for d in model.dimensions:
        picked = (dimension == DIMENSIONS.index(d)) & np.isfinite(values)
        largest[d] = np.max(values[picked], initial=0.0)
    names = [model.names[column] for column in headline]
    y_unit = powers_of_two(np.array([1.0 if _unit(d, n) is None else largest[d] for d, n in names]))
    return x_unit, y_unit


def _sensitivity(network, model, spreads, uncertain, headline, sums, top) -> pd.DataFrame:
    """The ``top`` flows by contribution to each headline indicator's variance. One
    indicator at a time: O(uncertain flows) memory beyond the sums."""
    columns = ["dimension", "indicator", "position", "row", "source", "target", "material"]
    columns += ["correlation", "contribution"]
    if not len(uncertain) or top == 0:
        return pd.DataFrame(columns=columns)
    positions = model.flows[uncertain]  # rows of network.flows
    flow_dimension = network.core.dimension[positions]
    listed = []  # (dimension, indicator, position, flow, r)
    for k, column in enumerate(headline):
        dimension, name = model.names[column]
        r = _correlation({key: value[k] for key, value in sums.items()})
        # flows of another dimension are independent of this indicator by construction:
        # their sample correlation is noise
        squared = np.where(flow_dimension == DIMENSIONS.index(dimension), r * r, 0.0)
        best = np.argsort(-squared, kind="stable")[:top]
        for position, f in enumerate(best[squared[best] > 0], start=1):
            listed.append((dimension, name, position, int(positions[f]), float(r[f])))
    flows = network.flows

    def flow(f: int) -> list:
        return [int(flows["row"].iat[f]), *(str(flows[c].iat[f]) for c in _FLOW_LABELS)]

    rows = [[d, name, position, *flow(f), r, r * r] for d, name, position, f, r in listed]
    return pd.DataFrame(rows, columns=columns)


def _correlation(sums: dict[str, np.ndarray]) -> np.ndarray:
    """Pearson's r of one indicator with each flow, from the sums of x, x^2, y, y^2 and xy
    over the samples where the indicator is defined (0 where a variance is 0)."""
    n = sums["n"]
    with np.errstate(divide="ignore", invalid="ignore"):
        covariance = n * sums["xy"] - sums["x"] * sums["y"]
        var_x = n * sums["xx"] - sums["x"] ** 2
        var_y = max(float(n * sums["yy"] - sums["y"] ** 2), 0.0)
        r = covariance / np.sqrt(var_x * var_y)
    return np.where(np.isfinite(r), np.clip(r, -1, 1), 0.0)
