"""Firm balances: a side missing in one dimension but recorded in another is named
(tester-agro11: the palm complex's biogas plant was flagged "no inputs" in mass, its POME
being in m3)."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import given, settings
from typer.testing import CliRunner

from symbiosis.analysis.balance import firm_balances
from symbiosis.cli import app

from .reuse_networks import build, network, random_frames

FIRMS = [("MILL", "firm"), ("BGP", "recycling"), ("POND", "treatment"), ("COMP", "recycling"),
         ("GRID", "market"), ("AIR", "environment"), ("RIV", "environment")]  # fmt: skip
FLOWS = [
    ("MILL", "BGP", "palm oil mill effluent", 195_000, "m3", "waste"),
    ("BGP", "POND", "digester effluent", 190_000, "m3", "waste"),
    ("BGP", "COMP", "digester sludge", 3_000, "t", "by-product"),
    ("BGP", "AIR", "biogenic CO2", 10_400, "t", "emission"),
    ("BGP", "GRID", "electricity", 8_400, "MWh", "product"),
    ("POND", "RIV", "final discharge", 150_000, "m3", "waste"),
    ("COMP", "AIR", "compost CO2", 1_000, "t", "emission"),
]


def test_the_missing_side_is_named_where_it_is_recorded():
    table = firm_balances(network(FIRMS, FLOWS)).table.set_index(["dimension", "firm"])
    bgp = table.loc[("mass", "BGP")]
    assert (bgp["status"], bgp["other_dimensions"]) == ("no inputs", "volume")
    assert table.loc[("energy", "BGP"), "other_dimensions"] == "volume"
    # the mill sends its effluent only (no outputs in mass: none recorded at all)
    assert table.loc[("volume", "MILL"), "status"] == "no inputs"
    assert table.loc[("volume", "MILL"), "other_dimensions"] is None
    # POND: inputs and outputs both in volume; COMP: no inputs in mass, none elsewhere
    assert table.loc[("volume", "POND"), "other_dimensions"] is None
    assert table.loc[("mass", "COMP"), "other_dimensions"] is None
    flagged = firm_balances(network(FIRMS, FLOWS)).to_dict()["flagged"]
    named = {(r["dimension"], r["firm"]): r["other_dimensions"] for r in flagged}
    assert named[("mass", "BGP")] == "volume" and json.dumps(named[("volume", "MILL")]) == "null"


def test_several_dimensions_are_listed_in_order():
    flows = [*FLOWS, ("GRID", "BGP", "electricity", 100, "MWh", "product")]
    table = firm_balances(network(FIRMS, flows)).table.set_index(["dimension", "firm"])
    assert table.loc[("mass", "BGP"), "other_dimensions"] == "energy, volume"


@settings(max_examples=30, deadline=None)
@given(random_frames())
def test_other_dimensions_are_those_of_the_missing_side(frames):
    net = build(frames)
    for r in firm_balances(net).table.itertuples():
        if r.status not in ("no inputs", "no outputs"):
            assert r.other_dimensions is None
            continue
        side = net.inflow if r.status == "no inputs" else net.outflow
        expected = [d for d in net.dimensions if d != r.dimension and side(d)[r.firm] > 0]
        assert r.other_dimensions == (", ".join(expected) or None)
        assert not np.isnan(r.relative_imbalance)


def test_the_text_gives_the_hint(tmp_path):
    import pandas as pd

    pd.DataFrame(FIRMS, columns=["id", "role"]).to_csv(tmp_path / "firms.csv", index=False)
    columns = ["source", "target", "material", "quantity", "unit", "category"]
    pd.DataFrame(FLOWS, columns=columns).to_csv(tmp_path / "flows.csv", index=False)
    result = CliRunner().invoke(app, ["balance", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if line.startswith("BGP"))
    assert "no inputs" in line and "inputs in volume (m3/yr)" in line
    assert "hint: the side a firm lacks in this dimension is recorded in another" in result.stdout
