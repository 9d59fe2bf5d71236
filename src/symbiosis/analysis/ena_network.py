"""The rest of flow-based ENA for one dimension of a network: ascendency and its ratios
always; the indirect-to-direct flow ratio, pathway proliferation and the flow utility's
mutualism up to :data:`EXTRA_ACTORS_MAX` actors (their cost grows faster than the flows:
a sparse LU that fills in, 200 matrix-vector products, dense utility blocks).

Each metric is computed on the system the cycling pass used (flows ``F`` with self-flows,
and the boundary inputs and outputs its throughflow rule gives), with enaR's formulas
(:mod:`symbiosis.analysis.ena` states them and their sources).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.sparse as sp

from .ena import ascendency, indirect_flow, pathway_proliferation
from .ena_flow import FlowStatistics
from .ena_utility import flow_utility

__all__ = ["ASCENDENCY_KEYS", "EXTRA_ACTORS_MAX", "ena_metrics"]

EXTRA_ACTORS_MAX = 1_000
ASCENDENCY_KEYS = (
    "development_capacity",
    "ascendency",
    "overhead",
    "ascendency_ratio",
    "overhead_ratio",
    "robustness",
)


def ena_metrics(
    matrix: sp.csr_matrix, statistics: FlowStatistics, exports: np.ndarray
) -> dict[str, Any]:
    """Ascendency and, for up to EXTRA_ACTORS_MAX actors, ID.F, ppr and mutualism, of the
    system ``(F, z, y)`` that ``statistics`` describes, with its throughflow ``T`` (its
    rule's). ``exports`` are the outputs to boundary nodes other than the environment (the
    rest of ``y``, emissions and any unrecorded output, is Ulanowicz's respiration
    column). O(nnz) for the ascendency."""
    z, y = statistics.boundary_input, statistics.boundary_output
    result: dict[str, Any] = {}
    if statistics.total_system_throughflow == 0:
        return result
    # Under "max" (z, y) already close every balance: the system's inflow is T, and
    # enaR's "inflow" reads it as it is (the "max" rule would add rounding residues).
    # Under "inflow" and "outflow" (z, y) are the recorded flows and the rule gives T.
    rule = "inflow" if statistics.throughflow_rule == "max" else statistics.throughflow_rule
    found = ascendency(matrix, z, y, exports=np.minimum(exports, y), throughflow=rule)
    found = found.to_dict()
    result.update({key: found.get(key) for key in ASCENDENCY_KEYS})
    n = matrix.shape[0]
    if n > EXTRA_ACTORS_MAX:
        result["not_computed"] = (
            f"indirect flow ratio, pathway proliferation and mutualism are computed up to "
            f"{EXTRA_ACTORS_MAX:,} actors ({n:,} here)"
        )
        return result
    indirect = indirect_flow(matrix, z, y, throughflow=rule)
    result["indirect_direct_ratio"] = indirect.ratio
    result["pathway_proliferation"] = pathway_proliferation(matrix).rate
    try:
        result["mutualism"] = flow_utility(matrix, z, y, throughflow=rule).mutualism
    except ValueError:  # a weak component above the dense limit
        result["mutualism"] = None
    return {k: (float(v) if isinstance(v, np.floating) else v) for k, v in result.items()}
