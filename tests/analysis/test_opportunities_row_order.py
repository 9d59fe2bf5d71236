"""Opportunities do not depend on the order of the rows of flows.csv: ties among equal
quantities are broken by the data (the source's place in the firms table, the material
key, the target's place), found by a tester (two plants dumping 100 t of fly ash each,
one cement plant with room for 100 t: reversing the rows swapped which got it)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.analysis.opportunities import find_opportunities, optimal_plan
from symbiosis.examples import example_path

FIRMS = """id,name,sector,role
P1,Power 1,power generation,utility
P2,Power 2,power generation,utility
P3,Power 3,power generation,utility
CEM,Cement,cement,firm
LF,Landfill,,disposal
AIR,Air,,environment
MKT,Market,,market
"""
# the tester's network (P1 gives CEM 100 t, so CEM has room for 100 t more), with more ties:
# CO2 and FGD gypsum of equal sizes from several plants, and two equal sulfuric acid sales
FLOWS = """source,target,material,quantity,unit,category
P1,CEM,fly ash,100,t,by-product
P2,LF,fly ash,100,t,waste
P3,LF,fly ash,100,t,waste
CEM,MKT,cement,500,t,product
P1,AIR,CO2,18000,t,emission
P3,AIR,CO2,18000,t,emission
P2,LF,FGD gypsum,40,t,waste
P3,LF,FGD gypsum,40,t,waste
P1,MKT,sulfuric acid,70,t,by-product
P2,MKT,sulfuric acid,70,t,by-product
P1,LF,bottom ash,30,t,waste
P2,AIR,SO2,30,t,emission
"""


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_csv(io.StringIO(FIRMS)), pd.read_csv(io.StringIO(FLOWS))


def _outputs(firms: pd.DataFrame, flows: pd.DataFrame, **options) -> tuple[str, ...]:
    """Everything a run shows, as text: the JSON, the ranked table (but the flows' row
    numbers, which follow the file), the scenario file and the optimal plan."""
    network = symbiosis.load(firms, flows.reset_index(drop=True))
    result = find_opportunities(network, **options)
    table = result.table.drop(columns=["row"])
    plan = optimal_plan(result).to_frame().drop(columns=["row"])
    lean = find_opportunities(network, table=False, **options).to_dict()
    return (json.dumps(result.to_dict(), sort_keys=True), table.to_csv(), result.to_toml(),
            plan.to_csv(), json.dumps(lean, sort_keys=True))  # fmt: skip


def test_the_testers_network_reversed_gives_the_same_ranking():
    firms, flows = _tables()
    flows = flows.iloc[:4]
    ranked = find_opportunities(symbiosis.load(firms, flows), top=5).to_dict()["opportunities"]
    fly_ash = [(o["source"], o["target"]) for o in ranked if o["material"] == "fly ash"]
    assert fly_ash[0] == ("P2", "CEM")  # P2 before P3 in firms.csv, whatever the rows
    assert _outputs(firms, flows, top=5) == _outputs(firms, flows.iloc[[2, 1, 0, 3]], top=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(order=st.permutations(range(len(_tables()[1]))), top=st.sampled_from([1, 3, 30]))
def test_any_order_of_the_rows_gives_the_same_result(order, top):
    firms, flows = _tables()
    assert _outputs(firms, flows.iloc[list(order)], top=top) == _outputs(firms, flows, top=top)


@pytest.mark.parametrize("seed", [0, 2])
def test_tongling_shuffled_gives_the_same_result(seed):
    folder = example_path("tongling")
    firms = pd.read_csv(folder / "firms.csv")
    flows = pd.read_csv(folder / "flows.csv")
    shuffled = flows.iloc[np.random.default_rng(seed).permutation(len(flows))]
    with pytest.warns(symbiosis.SymbiosisWarning):  # one flow of unknown quantity
        assert _outputs(firms, shuffled, top=30) == _outputs(firms, flows, top=30)
