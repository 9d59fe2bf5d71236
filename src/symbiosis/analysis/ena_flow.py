"""ENA metrics of one flow matrix: the structure of its graph (enaR's ``enaStructure``)
and the flow statistics with their throughflow rule (``enaFlow``, Finn 1976). Pure
functions of matrices and vectors; :mod:`symbiosis.analysis.cycling` applies them to a
network, where the definitions, conventions and references are given."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np
import scipy.sparse as sp

from .._numeric import blas_threads_for
from ..errors import InputError
from ..options import THROUGHFLOW_RULES
from ._ena_system import _rows_divided
from ._linalg import BlockFailure, Components, integral_diagonal, strong_components
from ._spectral import spectral_radii

__all__ = [
    "THROUGHFLOW_RULES",
    "FlowStatistics",
    "StructureStatistics",
    "flow_statistics",
    "rule_name",
    "structure_statistics",
]

# Earlier name of enaR's rule, still accepted.
_ALIASES = {"input": "inflow"}


def rule_name(name: str) -> str:
    """The canonical name of a throughflow rule; InputError for an unknown one."""
    rule = _ALIASES.get(name, name) if isinstance(name, str) else name
    if not isinstance(rule, str) or rule not in THROUGHFLOW_RULES:
        raise InputError(
            f"unknown throughflow rule {name!r}; choose from {', '.join(THROUGHFLOW_RULES)}"
        )
    return rule


def _read_only(*arrays: object) -> None:
    """Flag the numpy arrays among ``arrays`` read-only: a result's arrays cannot be
    changed in place (setting a value raises ``ValueError``). O(1) each, no copy."""
    for array in arrays:
        if isinstance(array, np.ndarray):
            array.setflags(write=False)


# ====================================================================== structure


@dataclass(frozen=True, eq=False)
class StructureStatistics:
    """Structural cycling metrics of a directed graph (enaR ``enaStructure``).

    ``nodes`` n, ``links`` L (distinct ordered pairs, self-loops included),
    ``connectance`` L/n^2, ``linkage_density`` L/n, ``cyclicity`` (spectral radius of the
    binary adjacency, = enaR ``lam1A``), ``strong_components`` (enaR ``no.scc``),
    ``cyclic_components`` (more than one node, enaR ``no.scc.big``), ``share_in_cycles``
    (nodes in those, over n: enaR ``pscc``), ``largest_component``; and ``components``
    (node positions of each cyclic component, largest first) with ``component_cyclicity``
    (the spectral radius of each), read-only arrays.
    """

    nodes: int
    links: int
    connectance: float | None
    linkage_density: float | None
    cyclicity: float
    strong_components: int
    cyclic_components: int
    share_in_cycles: float | None
    largest_component: int
    components: tuple[np.ndarray, ...] = field(repr=False)
    component_cyclicity: np.ndarray = field(repr=False)

    def __post_init__(self) -> None:
        _read_only(*self.components, self.component_cyclicity)

    def to_dict(self) -> dict:
        return {
            "nodes": self.nodes,
            "links": self.links,
            "connectance": self.connectance,
            "linkage_density": self.linkage_density,
            "cyclicity": self.cyclicity,
            "strong_components": self.strong_components,
            "cyclic_components": self.cyclic_components,
            "share_in_cycles": self.share_in_cycles,
            "largest_component": self.largest_component,
        }


def structure_statistics(
    adjacency: sp.spmatrix,
    within: np.ndarray | None = None,
    *,
    components: Components | None = None,
) -> StructureStatistics:
    """Structural metrics of the graph with an arc ``i -> j`` wherever
    ``adjacency[i, j] != 0`` (values are ignored: the binary adjacency is used).
    ``within``: node positions known to hold every cycle (see
    :func:`._linalg.strong_components`); the result is the same, found faster.
    ``components``: the graph's strongly connected components when already found.

    Complexity: O(n + m) plus the spectral radius of each cyclic component (batched
    dense eigenvalues for small ones, ARPACK above 400 nodes).
    """
    binary = sp.csr_matrix(adjacency, dtype=float, copy=True)
    binary.eliminate_zeros()
    binary.data[:] = 1.0
    n, links = binary.shape[0], int(binary.nnz)
    if components is None:
        components = strong_components(binary, within)
    groups = components.cyclic()
    radii = spectral_radii(binary, groups)
    in_cycles = int(sum(len(g) for g in groups if len(g) > 1))
    return StructureStatistics(
        nodes=n,
        links=links,
        connectance=links / n**2 if n else None,
        linkage_density=links / n if n else None,
        cyclicity=float(radii.max()) if len(radii) else 0.0,
        strong_components=components.count,
        cyclic_components=components.nontrivial,
        share_in_cycles=in_cycles / n if n else None,
        largest_component=int(components.sizes.max()) if n else 0,
        components=tuple(groups),
        component_cyclicity=radii,
    )


# ====================================================================== flows


@dataclass(frozen=True, eq=False)
class FlowStatistics:
    """ENA flow metrics of one flow matrix with its boundary flows (enaR ``enaFlow``).

    Per node (arrays aligned with the matrix, read-only): ``inflow`` and ``outflow``
    (recorded: internal plus boundary), ``throughflow`` T, ``boundary_input`` z and
    ``boundary_output`` y as used by the metrics (recorded, plus unrecorded under
    ``"max"``), ``unrecorded_input`` and ``unrecorded_output`` (what the throughflow rule
    added: >= 0 under ``"max"``, zero under ``"inflow"`` and ``"outflow"``, which add
    nothing), ``integral_diagonal`` (``n_ii`` of ``N = (I - G)^-1``; 1 outside cycles,
    NaN in a failed block). Totals: TST, TSTp, the total boundary input, APL, TSTc and
    FCI; ``failures`` lists the cyclic blocks whose ``I - G`` is singular or
    ill-conditioned, in which case ``finn_cycling_index`` and ``cycled_throughflow``
    are ``None``.
    """

    throughflow_rule: str
    inflow: np.ndarray
    outflow: np.ndarray
    throughflow: np.ndarray
    boundary_input: np.ndarray
    boundary_output: np.ndarray
    unrecorded_input: np.ndarray
    unrecorded_output: np.ndarray
    integral_diagonal: np.ndarray
    total_system_throughflow: float
    total_system_throughput: float
    total_boundary_input: float
    average_path_length: float | None
    cycled_throughflow: float | None
    finn_cycling_index: float | None
    failures: tuple[BlockFailure, ...] = ()

    def __post_init__(self) -> None:
        _read_only(*(getattr(self, item.name) for item in fields(self)))
        _read_only(*(failure.members for failure in self.failures))


def flow_statistics(
    flows: sp.spmatrix,
    inputs: np.ndarray,
    outputs: np.ndarray,
    *,
    throughflow: str = "max",
    within: np.ndarray | None = None,
) -> FlowStatistics:
    """ENA flow metrics of ``flows[i, j]`` (flow from node i to node j) with recorded
    boundary ``inputs`` z and ``outputs`` y (all in one unit). ``within``: node positions
    known to hold every cycle (see :func:`._linalg.strong_components`).

    ``throughflow`` is the rule that defines T (see the module docstring): ``"max"``
    (default) takes the larger of inflow and outflow and closes each balance with an
    unrecorded boundary flow; ``"inflow"`` (alias ``"input"``) is enaR's ``T = inflow``
    and ``"outflow"`` its mirror ``T = outflow``, both with the recorded boundary flows
    only. On a balanced network all three equal enaR.

    Complexity: O(n + m), plus the integral diagonal of each cyclic component
    (:func:`._linalg.integral_diagonal`).
    """
    throughflow = rule_name(throughflow)
    matrix = sp.csr_matrix(flows, dtype=float, copy=True)
    matrix.eliminate_zeros()
    # copies: the result's arrays are made read-only, the caller's are left as they are
    inputs = np.array(inputs, dtype=float)
    outputs = np.array(outputs, dtype=float)
    if (
        np.any(matrix.data < 0)
        or np.any(inputs < 0)
        or np.any(outputs < 0)
        or not (np.all(np.isfinite(matrix.data)) and np.all(np.isfinite(inputs + outputs)))
    ):
        raise InputError("flows, inputs and outputs must be finite and >= 0")
    internal_in = np.asarray(matrix.sum(axis=0)).ravel()
    internal_out = np.asarray(matrix.sum(axis=1)).ravel()
    inflow, outflow = internal_in + inputs, internal_out + outputs
    if throughflow == "max":
        through = np.maximum(inflow, outflow)
        extra_in, extra_out = through - inflow, through - outflow
        z, y = inputs + extra_in, outputs + extra_out
    else:  # enaR's input side or its mirror: the recorded boundary flows, nothing added
        through = inflow if throughflow == "inflow" else outflow
        extra_in, extra_out = np.zeros_like(inflow), np.zeros_like(outflow)
        z, y = inputs, outputs
    tst = float(through.sum())
    boundary_in = float(z.sum())
    tstp = float(matrix.sum() + boundary_in + y.sum())

    components = strong_components(matrix, within)
    groups = components.cyclic()
    g = _rows_divided(matrix, through)  # never 1/T: it overflows for a denormal T
    with blas_threads_for(max((len(group) for group in groups), default=0)):
        diagonal, failures = integral_diagonal(g, groups)
    if failures or tst == 0:
        tstc = fci = None
    else:
        tstc = float(((diagonal - 1.0) / diagonal * through).sum())
        fci = tstc / tst
    return FlowStatistics(
        throughflow_rule=throughflow,
        inflow=inflow,
        outflow=outflow,
        throughflow=through,
        boundary_input=z,
        boundary_output=y,
        unrecorded_input=extra_in,
        unrecorded_output=extra_out,
        integral_diagonal=diagonal,
        total_system_throughflow=tst,
        total_system_throughput=tstp,
        total_boundary_input=boundary_in,
        average_path_length=tst / boundary_in if boundary_in > 0 else None,
        cycled_throughflow=tstc,
        finn_cycling_index=fci,
        failures=tuple(failures),
    )
