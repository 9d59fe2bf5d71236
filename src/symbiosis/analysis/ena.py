"""The rest of flow-based ecological network analysis (ENA), as pure functions on matrices.

Every function takes the flow matrix ``F`` (scipy sparse or dense; ``F[i, j]`` is the flow
from node ``i`` to node ``j``; **self-flows on the diagonal are internal recycling and
count**), the boundary inputs ``z`` and the boundary outputs ``y`` (all in one unit), and,
where the metric needs a throughflow ``T``, a throughflow rule:

``"inflow"`` (enaR's)
    ``T_i = sum_k F[k, i] + z_i`` with the recorded ``z`` and ``y`` (enaR's ``enaFlow``,
    ``enaUtility``, ``enaCycle``). On an unbalanced model a node can then send out more
    than its throughflow.
``"outflow"`` (its mirror)
    ``T_i = sum_k F[i, k] + y_i`` with the recorded ``z`` and ``y``. On an unbalanced
    model a node can then receive more than its throughflow.
``"max"`` (the project's default elsewhere)
    ``T_i = max(inflow_i, outflow_i)``; the difference is an unrecorded boundary flow that
    closes the node's balance: ``z`` and ``y`` gain it (unrecorded outputs count as
    respiration, that is dissipation, in the ascendency partitions).

On a balanced model the three rules agree. The metrics, each with its source and the enaR
function it reproduces (enaR 3.1.0, Borrett & Lau 2014), are:

* :func:`ascendency`: ascendency, development capacity, overhead and their parts on
  inputs, internal flows, exports and respiration (Ulanowicz 1986; ``enaAscendency``).
* :func:`indirect_flow`: direct and indirect flow, ``ID.F`` and its idealised variants
  (Fath & Patten 1999, Borrett et al. 2006; ``enaFlow``).
* :func:`pathway_proliferation`: pathway proliferation rate and dominant eigenvalue of the
  adjacency matrix (Borrett & Patten 2003, Borrett et al. 2007; ``enaStructure``).
* :func:`cycle_analysis`: Ulanowicz's cycle removal, cycled flow by cycle length (cycle
  distribution) and the cycling index CI (Ulanowicz 1983; NETWRK, ``enaCycle``). CI is
  cycled flow over *throughput*; it is not Finn's cycling index (cycled throughflow over
  throughflow, :mod:`.cycling`).
* :func:`flow_utility`: the flow utility analysis' mutualism and synergism (Patten 1991,
  Fath & Patten 1998; ``enaUtility(type="flow")``).
* :func:`balance`: Allesina & Bondavalli's (2003) balancing methods AVG, AVG2, IO, OI (and
  the plain I and O steps) (``balance``).

Conventions shared with enaR: ``F`` is row-to-column ("rc"); nodes with zero throughflow
get zero rows in the intensity matrices (enaR's ``zero.na``); logarithms in the
information measures are base 2. enaR inverts with a pseudo-inverse (``MASS::ginv``)
even when ``I - G`` is singular; these functions solve linear systems instead and report
a singular system rather than print a number from it.

References
----------
Allesina, S. & Bondavalli, C. 2003. Steady state of ecosystem flow networks: a comparison
between balancing procedures. Ecol. Model. 165: 221-229.
Borrett, S.R. & Lau, M.K. 2014. enaR: an R package for ecological network analysis.
Methods Ecol. Evol. 5: 1206-1213.
Borrett, S.R. & Patten, B.C. 2003. Structure of pathways in ecological networks:
relationships between length and number. Ecol. Model. 170: 173-184.
Borrett, S.R., Fath, B.D. & Patten, B.C. 2007. Functional integration of ecological
networks through pathway proliferation. J. Theor. Biol. 245: 98-111.
Borrett, S.R., Whipple, S.J., Patten, B.C. & Christian, R.R. 2006. Indirect effects and
distributed control in ecosystems 3. Temporal variability of indirect effects in a
seven-compartment model of nitrogen flow in the Neuse River Estuary. Ecol. Model. 194:
178-188.
Fath, B.D. & Patten, B.C. 1998. Network synergism: emergence of positive relations in
ecological systems. Ecol. Model. 107: 127-143.
Fath, B.D. & Patten, B.C. 1999. Review of the foundations of network environ analysis.
Ecosystems 2: 167-179.
Goerner, S.J., Lietaer, B. & Ulanowicz, R.E. 2009. Quantifying economic sustainability:
implications for free-enterprise theory, policy and practice. Ecol. Econ. 69: 76-81.
Patten, B.C. 1991. Network ecology: indirect determination of the life-environment
relationship in ecosystems. In Higashi & Burns (eds.), Theoretical Studies of
Ecosystems: the Network Perspective. Cambridge University Press, 288-351.
Ulanowicz, R.E. 1983. Identifying the structure of cycling in ecosystems. Math. Biosci.
65: 219-237.
Ulanowicz, R.E. 1986. Growth and Development: Ecosystems Phenomenology. Springer.
Ulanowicz, R.E. & Kay, J.J. 1991. A package for the analysis of ecosystem flow networks.
Environ. Software 6: 131-142 (NETWRK 4.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._ena_system import (
    THROUGHFLOW_RULES,
    _columns_divided,
    _matrix,
    _rows_divided,
    _Singular,
    _solve_identity_minus,
    _system,
)
from ._linalg import strong_components
from ._spectral import spectral_radii
from .ena_balance import BALANCE_METHODS, BalanceResult, balance
from .ena_cycles import CycleAnalysisResult, cycle_analysis
from .ena_utility import UtilityResult, flow_utility

__all__ = [
    "BALANCE_METHODS",
    "THROUGHFLOW_RULES",
    "AscendencyResult",
    "BalanceResult",
    "CycleAnalysisResult",
    "IndirectFlowResult",
    "Partition",
    "PathwayProliferation",
    "UtilityResult",
    "ascendency",
    "balance",
    "cycle_analysis",
    "flow_utility",
    "indirect_flow",
    "pathway_proliferation",
]
# enaR's ppr compares the sums of A^200 and A^199 (enaStructure, structure.statistics).
PPR_POWER = 200


# ====================================================================== ascendency


@dataclass(frozen=True)
class Partition:
    """A quantity split over the four blocks of Ulanowicz's extended matrix: the import
    row, the internal flows, the export column and the respiration column."""

    input: float
    internal: float
    export: float
    respiration: float

    def to_dict(self) -> dict:
        return {
            "input": self.input,
            "internal": self.internal,
            "export": self.export,
            "respiration": self.respiration,
        }


@dataclass(frozen=True)
class AscendencyResult:
    """Ulanowicz's information measures of a flow system (enaR ``enaAscendency``).

    ``development_capacity`` C, ``ascendency`` A and ``overhead`` OH = C - A in flow units
    times bits; ``flow_diversity`` H = C/TSTp and ``mutual_information`` AMI = A/TSTp in
    bits; ``ascendency_ratio`` A/C (the "degree of order", Layton's DoSO) and
    ``overhead_ratio`` OH/C; ``robustness`` ``-(A/C) ln(A/C)`` (enaR's form, without the
    ``e`` factor of Goerner et al. 2009); ``effective_link_density`` ``2^(Hr/2)`` and
    ``trophic_depth`` ``2^AMI`` (enaR's ELD and TD); and each of A, OH and C split over
    inputs, internal flows, exports and respiration.
    """

    total_system_throughput: float
    flow_diversity: float
    mutual_information: float
    residual_diversity: float
    development_capacity: float
    ascendency: float
    overhead: float
    ascendency_ratio: float | None
    overhead_ratio: float | None
    robustness: float | None
    effective_link_density: float
    trophic_depth: float
    ascendency_parts: Partition
    overhead_parts: Partition
    capacity_parts: Partition

    def to_dict(self) -> dict:
        out = {
            key: getattr(self, key)
            for key in (
                "total_system_throughput",
                "flow_diversity",
                "mutual_information",
                "residual_diversity",
                "development_capacity",
                "ascendency",
                "overhead",
                "ascendency_ratio",
                "overhead_ratio",
                "robustness",
                "effective_link_density",
                "trophic_depth",
            )
        }
        out["ascendency_parts"] = self.ascendency_parts.to_dict()
        out["overhead_parts"] = self.overhead_parts.to_dict()
        out["capacity_parts"] = self.capacity_parts.to_dict()
        return out


def ascendency(
    flows,
    inputs,
    outputs,
    *,
    exports=None,
    throughflow: str = "inflow",
) -> AscendencyResult:
    """Ascendency, development capacity and overhead (Ulanowicz 1986; enaR
    ``enaAscendency``), on Ulanowicz's extended matrix ``X``: the flows ``F``, an export
    column ``e``, a respiration column ``r = y - e`` and an import row ``z``.

    With ``X_ij`` the entries, ``X_i.`` and ``X_.j`` their row and column sums and
    ``TSTp = sum X`` (base-2 logarithms, sums over the positive entries)::

        C  = -sum X_ij log2(X_ij / TSTp)                 development capacity (= H TSTp)
        A  =  sum X_ij log2(X_ij TSTp / (X_i. X_.j))     ascendency (= AMI TSTp)
        OH = -sum X_ij log2(X_ij^2 / (X_i. X_.j))        overhead, = C - A

    and each split over the import row, the ``n x n`` block, the export column and the
    respiration column (the partitions of the NETWRK manual: overhead on imports, on
    exports, dissipative overhead and redundancy). ``exports`` (``e``, part of ``y``)
    is optional: without it every output counts as respiration, which is what enaR does
    when a model has no export data. Under ``throughflow="max"`` the unrecorded inputs
    join the import row and the unrecorded outputs the respiration column; under
    ``"inflow"`` (enaR) and ``"outflow"`` the recorded boundary flows are used as they
    are, and the two give the same result (throughput does not depend on ``T``).

    Complexity: O(n + m).
    """
    system = _system(flows, inputs, outputs, throughflow)
    e = np.zeros_like(system.outputs) if exports is None else np.asarray(exports, dtype=float)
    r = system.outputs - e
    if e.shape != r.shape or np.any(e < 0) or np.any(r < -1e-9 * (1 + system.outputs)):
        raise ValueError("exports must be one value per node, >= 0 and <= outputs")
    r = np.maximum(r, 0.0)
    matrix, z = system.flows, system.inputs
    out_rows = system.row_sums + e + r
    in_cols = system.column_sums + z
    total = float(matrix.data.sum() + z.sum() + e.sum() + r.sum())
    # The four blocks as (values, row sums, column sums), in enaR's partition order;
    # the flows' row sums repeated along each CSR row.
    blocks = {
        "input": (z, np.full_like(z, z.sum()), in_cols),
        "internal": (
            matrix.data,
            np.repeat(out_rows, np.diff(matrix.indptr)),
            in_cols[matrix.indices],
        ),
        "export": (e, out_rows, np.full_like(e, e.sum())),
        "respiration": (r, out_rows, np.full_like(r, r.sum())),
    }
    parts = {name: _information_terms(*block, total) for name, block in blocks.items()}
    asc = Partition(**{name: terms[0] for name, terms in parts.items()})
    over = Partition(**{name: terms[1] for name, terms in parts.items()})
    cap = Partition(**{name: terms[0] + terms[1] for name, terms in parts.items()})
    a_total = math.fsum(terms[0] for terms in parts.values())
    oh_total = math.fsum(terms[1] for terms in parts.values())
    c_total = a_total + oh_total
    ratio = a_total / c_total if c_total > 0 else None
    h = c_total / total if total > 0 else 0.0
    ami = a_total / total if total > 0 else 0.0
    return AscendencyResult(
        total_system_throughput=total,
        flow_diversity=h,
        mutual_information=ami,
        residual_diversity=h - ami,
        development_capacity=c_total,
        ascendency=a_total,
        overhead=oh_total,
        ascendency_ratio=ratio,
        overhead_ratio=oh_total / c_total if c_total > 0 else None,
        # 0.0 - x, not -x: at A/C = 1 the product is 0.0, and -0.0 would be written
        robustness=0.0 - ratio * math.log(ratio) if ratio else None,
        effective_link_density=2.0 ** ((h - ami) / 2.0),
        trophic_depth=2.0**ami,
        ascendency_parts=asc,
        overhead_parts=over,
        capacity_parts=cap,
    )


def _information_terms(values, rows, cols, total: float) -> tuple[float, float]:
    """(ascendency, overhead) contributions of the positive entries of one block."""
    keep = values > 0
    x = values[keep]
    # logs of each factor: x * x and rows * cols underflow for tiny flows (5e-324)
    log_x, log_rc = np.log2(x), np.log2(rows[keep]) + np.log2(cols[keep])
    asc = float(np.sum(x * (log_x + math.log2(total) - log_rc)))
    overhead = float(-np.sum(x * (2 * log_x - log_rc)))
    return asc, overhead


# ====================================================================== indirect flow


@dataclass(frozen=True)
class IndirectFlowResult:
    """Direct and indirect flow (enaR ``enaFlow``).

    ``direct`` and ``indirect``: the boundary input's first-passage flow to the next node
    and the flow beyond it (``sum G z`` and ``sum (N - I - G) z`` in enaR's column-to-row
    orientation); ``ratio`` = indirect / direct (enaR's ``ID.F``), ``ratio_output`` and
    ``ratio_input`` (the "idealised" ``ID.F.O`` = ``sum(N - I - G) / sum G`` and
    ``ID.F.I``, the same with the input-oriented ``G'`` and ``N'``); the shares of
    TST: ``boundary_share`` (BFI), ``direct_share`` (DFI) and ``indirect_share`` (IFI).
    ``problem`` says why the ratios are ``None`` (a singular ``I - G``).
    """

    throughflow_rule: str
    total_system_throughflow: float
    boundary: float
    direct: float
    indirect: float | None
    ratio: float | None
    ratio_output: float | None
    ratio_input: float | None
    boundary_share: float | None
    direct_share: float | None
    indirect_share: float | None
    problem: str | None = None

    def to_dict(self) -> dict:
        return {key: getattr(self, key) for key in self.__dataclass_fields__}


def indirect_flow(flows, inputs, outputs, *, throughflow: str = "inflow") -> IndirectFlowResult:
    """Indirect-to-direct flow ratios (Fath & Patten 1999; Borrett et al. 2006; enaR
    ``enaFlow``: ``ID.F``, ``ID.F.O``, ``ID.F.I``, ``BFI``, ``DFI``, ``IFI``).

    With ``g_ij = F_ij / T_i`` (output-oriented), ``g'_ij = F_ij / T_j`` (input-oriented)
    and ``w = (I - G)^-1 1`` (the row sums of the integral matrix ``N``)::

        direct   = sum_i z_i sum_j g_ij          indirect = sum_i z_i w_i - sum z - direct
        ID.F     = indirect / direct
        ID.F.O   = (sum N - n - sum G) / sum G   ID.F.I   = the same with G', N'

    ``sum N = 1' (I - G)^-1 1`` needs one linear solve, never the inverse: one sparse LU
    of ``I - G`` and of ``I - G'``, O(nnz(L + U)). enaR rounds ``N`` to 10 decimals
    before summing; the difference is below 1e-10 per entry.
    """
    system = _system(flows, inputs, outputs, throughflow)
    n, z, through = system.flows.shape[0], system.inputs, system.throughflow
    g_out = _rows_divided(system.flows, through)
    g_in = _columns_divided(system.flows, through)
    tst, boundary = float(through.sum()), float(z.sum())
    direct = float(z @ np.asarray(g_out.sum(axis=1)).ravel())

    def share(value):
        return value / tst if tst > 0 and value is not None else None

    try:
        row_sums = _solve_identity_minus(g_out, np.ones(n))
        # sum N' = 1' (I - G')^-1 1 = 1' (I - G'^T)^-1 1 (a matrix and its transpose).
        input_sums = _solve_identity_minus(g_in, np.ones(n))
    except _Singular as error:
        return IndirectFlowResult(
            throughflow_rule=throughflow,
            total_system_throughflow=tst,
            boundary=boundary,
            direct=direct,
            indirect=None,
            ratio=None,
            ratio_output=None,
            ratio_input=None,
            boundary_share=share(boundary),
            direct_share=share(direct),
            indirect_share=None,
            problem=str(error),
        )
    indirect = float(z @ row_sums) - boundary - direct
    sum_g, sum_g_in = float(g_out.sum()), float(g_in.sum())
    return IndirectFlowResult(
        throughflow_rule=throughflow,
        total_system_throughflow=tst,
        boundary=boundary,
        direct=direct,
        indirect=indirect,
        ratio=indirect / direct if direct > 0 else None,
        ratio_output=(row_sums.sum() - n - sum_g) / sum_g if sum_g > 0 else None,
        ratio_input=(input_sums.sum() - n - sum_g_in) / sum_g_in if sum_g_in > 0 else None,
        boundary_share=share(boundary),
        direct_share=share(direct),
        indirect_share=share(indirect),
    )


# ====================================================================== pathways


@dataclass(frozen=True)
class PathwayProliferation:
    """Pathway proliferation of the binary flow graph (enaR ``enaStructure``).

    ``rate``: enaR's ``ppr`` = ``sum(A^200) / sum(A^199)``, the growth rate of the number
    of pathways with their length (``None`` for an acyclic graph, where enaR prints
    NaN); ``spectral_radius``: the dominant eigenvalue of ``A`` (enaR's ``lam1A``,
    Layton's cyclicity), the limit of the rate when ``A`` is irreducible and primitive.
    """

    rate: float | None
    spectral_radius: float

    def to_dict(self) -> dict:
        return {"rate": self.rate, "spectral_radius": self.spectral_radius}


def pathway_proliferation(flows, *, power: int = PPR_POWER) -> PathwayProliferation:
    """Pathway proliferation rate (Borrett & Patten 2003; Borrett, Fath & Patten 2007;
    enaR ``structure.statistics``: ``ppr`` and ``lam1A``) of ``A = sign(F)``, self-loops
    included.

    ``1' A^k 1`` is the number of pathways of length ``k``. The rate is their ratio at
    ``k = power`` and ``power - 1``, computed by ``power`` sparse products on a vector
    normalised at each step (enaR multiplies the dense integer matrices, which overflows
    to NaN once ``lambda^200`` exceeds 1e308, i.e. ``lambda`` above about 34; this does
    not). O(power m). The spectral radius is the largest over the cyclic strongly
    connected components (:func:`._spectral.spectral_radii`).
    """
    adjacency = _matrix(flows)
    adjacency.data[:] = 1.0
    vector = np.ones(adjacency.shape[0])
    rate = None
    for _ in range(power):
        total = vector.sum()
        if total == 0:  # A^k 1 = 0: no pathway that long (enaR: 0/0)
            break
        vector = adjacency @ (vector / total)
    else:
        # vector = A^power 1 / sum(A^(power-1) 1)
        rate = float(vector.sum()) if adjacency.shape[0] else None
    groups = strong_components(adjacency).cyclic()
    radii = spectral_radii(adjacency, groups)
    return PathwayProliferation(rate, float(radii.max()) if len(radii) else 0.0)
