"""Internal-first rationing (the Leontief model's default): a supplier that makes less cuts
its sales to boundary nodes before its customers in the network.

tester-cities2 defect 8: every customer was cut in proportion, the market included, so a
shock fed back into the firms that cause it (Baiyin: the acid plant cut the zinc smelter
by 20.6 % while it still sold 400 kt/yr of acid on the market; the zinc smelter's SO2 is
the acid plant's largest feed).
"""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from symbiosis import from_frames
from symbiosis.analysis.leontief import leontief_activity
from symbiosis.analysis.propagation import propagate, shock_caps
from symbiosis.analysis.shocks import shock
from symbiosis.cli import app
from symbiosis.errors import InputError
from symbiosis.scenario_files import parse_scenario
from symbiosis.scenarios import apply_scenario

from .test_leontief import random_networks

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
ROWS = [
    ("MINE", "ACID", "pyrite", 100, "t", "product"),
    ("ZN", "ACID", "off-gas", 100, "t", "by-product"),
    ("ACID", "ZN", "acid", 50, "t", "product"),
    ("ACID", "MKT", "acid", 150, "t", "product"),
    ("IMP", "ZN", "concentrate", 300, "t", "product"),
    ("ZN", "MKT", "zinc", 100, "t", "product"),
    ("ZN", "AIR", "off-gas", 100, "t", "emission"),
]
ROLES = {"MINE": "mine", "ACID": "firm", "ZN": "firm", "IMP": "market", "MKT": "market",
         "AIR": "environment"}  # fmt: skip


@pytest.fixture(scope="module")
def acid_loop():
    """The Baiyin pattern: the acid plant burns pyrite (its product input) and the zinc
    smelter's off-gas (a by-product), and sells 50 t of acid to the zinc smelter, 150 t
    to the market."""
    firms = pd.DataFrame({"id": list(ROLES), "role": list(ROLES.values())})
    return from_frames(firms, pd.DataFrame(ROWS, columns=COLUMNS))


def kept(network, shocks, **options):
    """(output factors in mass, retained share per (source, target, material))."""
    _, retained, factors = propagate(network, shocks, **options)
    flows = network.flows
    keys = zip(flows["source"], flows["target"], flows["material"], strict=True)
    flows = dict(zip(keys, retained.round(12), strict=True))
    return dict(zip(network.firms.index, factors["mass"].round(12), strict=True)), flows


def test_the_market_loses_the_acid_before_the_zinc_smelter(acid_loop):
    """The mine at half: the acid plant makes 100 t of its 200 t. Internal-first, the zinc
    smelter keeps its 50 t and the market gets the other 50 t (1/3 of 150); the acid plant
    stays at 0.5 (its pyrite). Proportionally the zinc smelter got 25 t and ran at 0.5,
    its off-gas then cost the acid plant a quarter of its secondary share."""
    factors, flows = kept(acid_loop, {"MINE": -0.5})
    assert factors["ACID"] == pytest.approx(0.5) and factors["ZN"] == 1.0
    assert flows[("ACID", "ZN", "acid")] == 1.0
    assert flows[("ACID", "MKT", "acid")] == pytest.approx(1 / 3)
    factors, flows = kept(acid_loop, {"MINE": -0.5}, rationing="proportional")
    assert factors["ZN"] == pytest.approx(0.5) and factors["ACID"] == pytest.approx(0.5)
    assert flows[("ACID", "ZN", "acid")] == flows[("ACID", "MKT", "acid")] == pytest.approx(0.5)


def test_when_the_market_sales_are_gone_the_internal_customer_is_cut(acid_loop):
    """The mine at 10 %: 20 t of acid, all to the zinc smelter (20 / 50 = 0.4); the
    market gets none."""
    factors, flows = kept(acid_loop, {"MINE": -0.9})
    assert factors["ACID"] == pytest.approx(0.1) and factors["ZN"] == pytest.approx(0.4)
    assert flows[("ACID", "MKT", "acid")] == 0.0
    assert flows[("ACID", "ZN", "acid")] == pytest.approx(0.4)


def test_the_rows_still_add_up_and_no_sale_is_lost_by_rounding(acid_loop):
    result = shock(acid_loop, {"MINE": -0.5}, indicators=False)
    assert (
        result.rationing == "internal-first" and result.to_dict()["rationing"] == "internal-first"
    )
    rows = result.firms.xs("mass", level="dimension")
    total = result.totals["mass"]
    lost = total["output_before"] - total["output_after"]
    assert rows["output_lost"].sum() + rows["sales_lost"].sum() == pytest.approx(lost)
    assert (rows["sales_lost"] >= 0).all()
    # the acid plant makes 100 t less, all the market's; the zinc smelter runs on, and
    # sends the off-gas the acid plant no longer burns to the air, its outlet of it (it
    # was its sales lost: tester-agro11)
    assert rows.loc["ACID", "output_lost"] == pytest.approx(100)
    assert rows.loc["ZN", "output_factor"] == 1.0 and rows.loc["ZN", "output_lost"] == 0
    assert rows.loc["ZN", "sales_lost"] == 0
    assert rows.loc["ZN", "residues_disposed"] == pytest.approx(50)


def test_a_material_sold_only_inside_or_only_outside_is_shared_in_proportion():
    rows = [("MINE", "A", "ore", 100, "t", "product"), ("A", "B", "x", 60, "t", "product"),
            ("A", "C", "x", 40, "t", "product"), ("A", "MKT", "y", 50, "t", "product")]  # fmt: skip
    roles = {"MINE": "mine", "A": "firm", "B": "firm", "C": "firm", "MKT": "market"}
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    network = from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))
    factors, flows = kept(network, {"MINE": -0.5})
    assert factors["B"] == factors["C"] == pytest.approx(0.5)
    assert flows[("A", "MKT", "y")] == pytest.approx(0.5)


def test_a_rationing_rule_is_checked(acid_loop):
    with pytest.raises(InputError, match="unknown rationing 'market-first'"):
        shock(acid_loop, {"MINE": -0.5}, rationing="market-first")
    with pytest.raises(InputError, match="'internal-first' needs the Leontief model"):
        shock(acid_loop, {"MINE": -0.5}, model="proportional", rationing="internal-first")
    # the proportional model rations proportionally: said so, not refused, when not asked
    assert shock(acid_loop, {"MINE": -0.5}, model="proportional").rationing == "proportional"


def test_a_scenario_file_names_its_rationing(acid_loop):
    text = '[[shock]]\nfirm = "MINE"\nchange = -0.5\n'
    default = apply_scenario(acid_loop, parse_scenario(text))
    proportional = apply_scenario(acid_loop, parse_scenario('rationing = "proportional"\n' + text))

    def zinc(network):
        flows = network.flows
        return float(
            flows.loc[(flows["source"] == "ZN") & (flows["target"] == "MKT"), "value"].iloc[0]
        )

    assert zinc(default) == pytest.approx(100) and zinc(proportional) == pytest.approx(50)
    with pytest.raises(InputError, match=r"s.toml:1: rationing: unknown rationing 'fair'"):
        parse_scenario('rationing = "fair"\n' + text, file="s.toml")
    with pytest.raises(InputError, match="internal-first rationing needs the Leontief model"):
        parse_scenario('model = "proportional"\nrationing = "internal-first"\n' + text)


def test_the_command_line_option(tmp_path, acid_loop):
    folder = tmp_path / "net"
    folder.mkdir()
    firms = pd.DataFrame({"id": list(ROLES), "role": list(ROLES.values())})
    firms.to_csv(folder / "firms.csv", index=False)
    pd.DataFrame(ROWS, columns=COLUMNS).to_csv(folder / "flows.csv", index=False)
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app, ["shock", str(folder), "--firm", "MINE", "--change", "-0.5",
                                   "-q", *args])  # fmt: skip

    def zinc(result):
        data = json.loads(result.stdout)
        return {f["firm"]: f["output_factor"] for f in data["firms"] if f["dimension"] == "mass"}

    default, proportional = run("-f", "json"), run("-f", "json", "--rationing", "proportional")
    assert json.loads(default.stdout)["rationing"] == "internal-first"
    assert zinc(default)["ZN"] == 1.0 and zinc(proportional)["ZN"] == pytest.approx(0.5)
    assert "cuts its sales to boundary nodes first" in run().stdout
    refused = run("--model", "proportional", "--rationing", "internal-first")
    assert refused.exit_code == 2 and "needs the Leontief model" in refused.stderr
    assert np.isfinite(zinc(proportional)["ACID"])


@settings(max_examples=60, deadline=None)
@given(random_networks(), st.floats(-1.0, 0.0))
def test_internal_first_never_leaves_an_actor_with_less_than_proportional(case, change):
    """Each actor's inputs are at least their proportional share (r >= o), and the map is
    monotone: its greatest fixed point lies above."""
    network, shocked, dimension = case
    caps = shock_caps(network, {dimension: {shocked: change}})
    first = leontief_activity(network, caps).factors
    proportional = leontief_activity(network, caps, rationing="proportional").factors
    assert (first >= proportional - 1e-9).all()


def test_a_scenario_comparison_names_the_rule_used(acid_loop, tmp_path):
    """tester-lib2 defect 6: the comparison's JSON said rationing null where the file left it
    out, while the shock's result said internal-first for the same run."""
    from symbiosis.scenarios import compare_scenarios

    text = '[[shock]]\nfirm = "MINE"\nchange = -0.5\n'
    for head, rule in (
        ("", "internal-first"),  # neither written: the defaults'
        ('model = "proportional"\n', "proportional"),
        ('rationing = "proportional"\n', "proportional"),
    ):
        scenario = parse_scenario(head + text, name="s")
        data = compare_scenarios(acid_loop, [scenario]).to_dict()
        used = data["scenarios"][0]["scenario"]["rationing"]
        found = shock(acid_loop, {"MINE": -0.5}, model=scenario.model,
                      rationing=scenario.rationing, indicators=False)  # fmt: skip
        assert used == rule == found.rationing
    folder = tmp_path / "net"
    folder.mkdir()
    pd.DataFrame({"id": list(ROLES), "role": list(ROLES.values())}).to_csv(
        folder / "firms.csv", index=False
    )
    pd.DataFrame(ROWS, columns=COLUMNS).to_csv(folder / "flows.csv", index=False)
    (tmp_path / "close.toml").write_text(text, encoding="utf-8")
    shown = CliRunner().invoke(app, ["scenario", str(folder), str(tmp_path / "close.toml"), "-q"])
    assert "1 shock(s), leontief model, internal-first rationing" in shown.stdout, shown.stdout
