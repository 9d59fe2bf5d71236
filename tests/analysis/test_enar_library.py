"""enaR's whole model library through the network path: every published model, written as
a network of firms and flows (self-flows in, boundary nodes for imports, exports and
respiration) and analysed with ``throughflow="inflow"``, reproduces what enaR 3.1.0 prints
for TST, APL, FCI and cyclicity (issue 15). Fixtures: tests/data/enar (tools/enar_library.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.cycling import cycling, network_structure

from .enar_models import PATHS, RTOL, load_model


def as_network(model: dict):
    """Compartments are firms; inputs come from a market node, exports go back to it and
    respiration goes to the air. Every quantity in t (enaR's models have one currency)."""
    ids = [f"N{i}" for i in range(model["n"])]
    rows = [(ids[int(i)], ids[int(j)], "biomass", v, "product") for i, j, v in model["flows"]]
    for i, value in enumerate(model["inputs"]):
        rows.append(("MARKET", ids[i], "biomass", value, "product"))
    for i, value in enumerate(model["exports"]):
        rows.append((ids[i], "MARKET", "biomass", value, "product"))
    for i, value in enumerate(model["respirations"]):
        rows.append((ids[i], "AIR", "respiration", value, "emission"))
    flows = pd.DataFrame(
        [r for r in rows if r[3] > 0],
        columns=["source", "target", "material", "quantity", "category"],
    ).assign(unit="t")
    firms = pd.DataFrame(
        {"id": [*ids, "MARKET", "AIR"], "role": ["firm"] * len(ids) + ["market", "environment"]}
    )
    return from_frames(firms, flows)


def _close(mine, reference) -> bool:
    """enaR prints NaN or Inf as text: ours must then be None (no number is made up)."""
    if isinstance(reference, str):
        return mine is None or not math.isfinite(mine)
    return mine is not None and math.isclose(mine, reference, rel_tol=RTOL, abs_tol=1e-12)


@pytest.mark.parametrize("path", PATHS, ids=[p.name.split(".")[0] for p in PATHS])
def test_model_reproduces_enar_through_the_network(path):
    model = load_model(path)
    network = as_network(model)
    mass = cycling(network, throughflow="inflow")["mass"]
    flow, ena = mass.statistics, mass.ena
    printed, asc = model["enar"]["enaFlow"], model["enar"]["enaAscendency"]
    ours = {
        "TST": flow.total_system_throughflow,
        "APL": flow.average_path_length,
        "FCI": flow.finn_cycling_index,
        "lam1A": network_structure(network).cyclicity,
        "ppr": ena["pathway_proliferation"],
        "ID.F": ena["indirect_direct_ratio"],
        "mutualism.F": ena["mutualism"],
        "ASC": ena["ascendency"],
        "CAP": ena["development_capacity"],
        "OH": ena["overhead"],
        "ASC.CAP": ena["ascendency_ratio"],
        "robustness": ena["robustness"],
    }
    reference = {k: printed[k] for k in ("TST", "APL", "FCI", "ID.F")}
    reference |= {k: model["enar"]["enaStructure"][k] for k in ("lam1A", "ppr")}
    reference |= {k: asc[k] for k in ("ASC", "CAP", "OH", "ASC.CAP", "robustness")}
    reference["mutualism.F"] = model["enar"]["enaUtility_flow"]["mutualism.F"]
    wrong = {k: (ours[k], reference[k]) for k in ours if not _close(ours[k], reference[k])}
    assert not wrong, wrong


def test_the_library_is_whole_and_has_self_flows():
    models = [load_model(path) for path in PATHS]
    assert len(models) == 104
    with_self_flows = sum(any(i == j for i, j, _ in m["flows"]) for m in models)
    assert with_self_flows >= 40  # the issue counted 47 models with self-flows


def _unbalanced_with_avg2():
    for path in PATHS:
        model = load_model(path)
        composite = model["enar"].get("balance_composite") or {}
        avg2 = composite.get("AVG2") if isinstance(composite, dict) else None
        if not model["enar"]["ssCheck"]["balanced"] and avg2 and avg2.get("balance_run"):
            yield pytest.param(model, avg2, id=path.name.split(".")[0])


@pytest.mark.parametrize(("model", "avg2"), list(_unbalanced_with_avg2()))
def test_balance_avg2_matches_enar_balance(model, avg2):
    """``balance="avg2"`` balances each unbalanced model as enaR's ``balance()`` does: the
    balanced system's TST (internal flows plus inputs) is enaR's."""
    statistics = cycling(as_network(model), throughflow="inflow", balance="avg2")["mass"]
    expected = math.fsum(avg2["flows"]) + math.fsum(avg2["input"])
    assert statistics.statistics.total_system_throughflow == pytest.approx(expected, rel=RTOL)
    assert "Not balanced" not in (statistics.problem or "")
