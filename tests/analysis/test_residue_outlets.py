"""Residues in a supply shock: made in proportion to what their maker processes, whoever
takes them (hand-computed small networks).

tester-agro11 defect 4: what a receiver stopped taking of a by-product or waste vanished
as its maker's "sales lost": with the estates' harvest 30 % down, the palm mill's empty
fruit bunches the estates no longer mulched left the accounts, the landfill got 160 t
instead of 7,898 t, the disposed tonnage fell 17,500 -> 1,505 t and the reuse share rose.
Now it goes to the maker's disposal or environment flow of that material, or, with none
in the data, is reported as unplaced.

tester-metals9 defect 8: an emission to the air was cut first, as if it were a sale: the
nickel smelter at 40 % sent no SO2 to the stack and 40.4 % of its off-gas to the acid
plant. An emission now scales with its maker's output.
"""

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from symbiosis import SymbiosisWarning, from_frames
from symbiosis.analysis.propagation import propagate
from symbiosis.analysis.shocks import shock
from symbiosis.cli import app
from symbiosis.scenarios import apply_scenario

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def network_of(rows, roles):
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


def after(network, shocks, **options):
    """Each flow's size after the shocks, by (source, target, material)."""
    shocked, _, _ = propagate(network, shocks, **options)
    flows = shocked.flows
    keys = zip(flows["source"], flows["target"], flows["material"], strict=True)
    return dict(zip(keys, flows["value"].round(9), strict=True))


#: A palm mill: the estate (a farm) sends it fruit, buys 5 t of its oil and mulches 20 t
#: of its bunches, the composting plant takes 30 t, the landfill the surplus 16 t.
MILL = [
    ("EST", "MILL", "fruit", 100, "t", "product"),
    ("MILL", "MKT", "oil", 20, "t", "product"),
    ("MILL", "EST", "oil", 5, "t", "product"),
    ("MILL", "EST", "bunches", 20, "t", "by-product"),
    ("MILL", "COMP", "bunches", 30, "t", "by-product"),
    ("MILL", "LF", "bunches", 16, "t", "waste"),
    ("COMP", "MKT", "compost", 15, "t", "product"),
    ("COMP", "AIR", "carbon dioxide", 15, "t", "emission"),
]
MILL_ROLES = {"EST": "farm", "MILL": "firm", "COMP": "composting", "MKT": "market",
              "LF": "landfill", "AIR": "air"}  # fmt: skip


@pytest.fixture(scope="module")
def mill():
    return network_of(MILL, MILL_ROLES)


@pytest.mark.parametrize("model", ["leontief", "proportional"])
def test_a_receiver_that_takes_less_sends_its_makers_residue_to_the_landfill(mill, model):
    """The composting plant shocked to 40 %: it takes 12 of its 30 t of bunches. The mill
    runs on and still makes its 66 t: the 18 t go to the landfill (16 + 18 = 34 t), not
    to the mill's sales lost."""
    values = after(mill, {"COMP": -0.6}, model=model)
    assert values[("MILL", "COMP", "bunches")] == pytest.approx(12.0)
    assert values[("MILL", "LF", "bunches")] == pytest.approx(34.0)
    assert values[("MILL", "EST", "bunches")] == pytest.approx(20.0)
    result = shock(mill, {"COMP": -0.6}, model=model)
    row = result.firms.loc[("MILL", "mass")]
    assert row["sales_lost"] == pytest.approx(0.0)
    assert row["residues_disposed"] == pytest.approx(18.0)
    assert row["residues_unplaced"] == pytest.approx(0.0)
    grown = result.flows.loc[result.flows["target"] == "LF"]
    assert grown["retained"].tolist() == pytest.approx([34 / 16])
    # the disposed tonnage rises with what the compost plant no longer takes
    disposed = result.comparison.to_frame().loc[("mass", "disposed")]
    assert [disposed["before"], disposed["shock"]] == pytest.approx([16.0, 34.0])


def test_when_the_maker_and_the_receiver_both_shrink_the_landfill_gets_the_rest(mill):
    """The estate's harvest 30 % down (the tester's crop failure): the mill runs at 70 %
    and makes 46.2 t of bunches. Internal-first, the estate and the composting plant are
    served first (50 t wanted, 46.2 made: both at 92.4 %), the landfill gets nothing of
    the cut; then the estate, at 70 %, takes 14 t of its 18.48 t: 4.48 t to the landfill.
    The composting plant's main feed is the bunches: it runs at 92.4 % and takes all.
    Every tonne made is placed: 14 + 27.72 + 4.48 = 46.2 = 0.7 x 66."""
    values = after(mill, {"EST": -0.3})
    assert values[("MILL", "EST", "bunches")] == pytest.approx(14.0)
    assert values[("MILL", "COMP", "bunches")] == pytest.approx(27.72)
    assert values[("MILL", "LF", "bunches")] == pytest.approx(4.48)
    made = sum(v for (s, _, m), v in values.items() if (s, m) == ("MILL", "bunches"))
    assert made == pytest.approx(0.7 * 66)
    result = shock(mill, {"EST": -0.3})
    row = result.firms.loc[("MILL", "mass")]
    assert row["residues_disposed"] == pytest.approx(4.48)
    # the 1.5 t of oil the estate no longer buys go back to the market (tester15 D3)
    assert row["sales_lost"] == pytest.approx(0.0, abs=1e-9)
    # the rows still add up to the totals
    rows = result.firms.xs("mass", level="dimension")
    lost = (rows["output_lost"] + rows["sales_lost"] + rows["residues_unplaced"]).sum()
    sums = result.totals["mass"]
    assert lost == pytest.approx(sums["output_before"] - sums["output_after"])


def test_a_residue_with_no_outlet_in_the_data_is_unplaced_and_warned_of():
    """The mill records no landfill flow of its bunches: what the composting plant no
    longer takes (18 t) has nowhere recorded to go. No node is invented: it is the mill's
    unplaced residue, warned of, and the rows still add up."""
    network = network_of([row for row in MILL if row[1] != "LF"], MILL_ROLES)
    result = shock(network, {"COMP": -0.6})
    row = result.firms.loc[("MILL", "mass")]
    assert row["residues_unplaced"] == pytest.approx(18.0)
    assert row["residues_disposed"] == pytest.approx(0.0)
    assert row["sales_lost"] == pytest.approx(0.0)
    rows = result.firms.xs("mass", level="dimension")
    lost = (rows["output_lost"] + rows["sales_lost"] + rows["residues_unplaced"]).sum()
    sums = result.totals["mass"]
    assert lost == pytest.approx(sums["output_before"] - sums["output_after"])
    (said,) = [w for w in result.warnings if "unplaced" in w]
    assert "'MILL'" in said and "18 t/yr of bunches" in said and "'COMP'" in said


def test_a_by_product_also_sold_on_the_market_is_a_sale_lost_not_unplaced():
    """A smelter's acid, a by-product it sells to the fertilizer plant and on the market,
    with no disposal flow of it: what the fertilizer plant at half no longer takes is the
    smelter's sales lost (a traded residue, as Tongling's smelters' acid), not unplaced,
    and nothing is warned of."""
    network = network_of(
        [("IMP", "SM", "concentrate", 1000, "t", "product"),
         ("SM", "FERT", "sulfuric acid", 500, "t", "by-product"),
         ("SM", "MKT", "sulfuric acid", 900, "t", "by-product"),
         ("FERT", "MKT", "fertilizer", 800, "t", "product")],
        {"IMP": "market", "SM": "firm", "FERT": "firm", "MKT": "market"},
    )  # fmt: skip
    result = shock(network, {"FERT": -0.5})
    row = result.firms.loc[("SM", "mass")]
    assert row["sales_lost"] == pytest.approx(250.0)
    assert row["residues_unplaced"] == 0 and row["residues_disposed"] == 0
    assert not [w for w in result.warnings if "unplaced" in w]


def test_a_product_customers_no_longer_buy_goes_back_to_the_market(mill):
    """The mill at 70 % makes 17.5 t of oil; internal-first the estate's share is its
    whole 5 t, but the estate at 70 % buys 3.5 t. The 1.5 t it leaves go back to the
    market, which gets 12.5 + 1.5 = 14 t (70 % of its 20 t): no sale is lost, and no
    residue of it is disposed of (tester15 D3: the 1.5 t were the mill's sales lost
    while the market was cut to 62.5 %)."""
    result = shock(mill, {"EST": -0.3})
    flows = result.flows.set_index(["source", "target", "material"])
    assert flows.loc[("MILL", "EST", "oil"), "value_after"] == pytest.approx(3.5)
    assert flows.loc[("MILL", "MKT", "oil"), "value_after"] == pytest.approx(14.0)
    assert result.firms.loc[("MILL", "mass"), "sales_lost"] == pytest.approx(0.0, abs=1e-9)


#: A nickel smelter: 420 t of SO2 off-gas to the acid plant, 3 t uncaptured to the air.
SMELTER = [
    ("MINE", "SM", "concentrate", 1000, "t", "product"),
    ("SM", "MKT", "matte", 230, "t", "product"),
    ("SM", "ACID", "SO2 off-gas", 420, "t", "by-product"),
    ("SM", "AIR", "SO2", 3, "t", "emission"),
    ("ACID", "MKT", "sulfuric acid", 600, "t", "product"),
]
SMELTER_ROLES = {"MINE": "mine", "SM": "firm", "ACID": "firm", "MKT": "market",
                 "AIR": "atmosphere"}  # fmt: skip


@pytest.mark.parametrize("rationing", ["internal-first", "redirect", "proportional"])
def test_an_emission_scales_with_its_makers_output_it_is_not_cut_first(rationing):
    """The mine at 40 %: the smelter makes 40 % of its SO2; the stack's share follows
    (1.2 t to the air, 168 t to the acid plant), where internal-first cut the air first
    (0 t) as if it were a sale and gave the acid plant 169.2 t."""
    network = network_of(SMELTER, SMELTER_ROLES)
    values = after(network, {"MINE": -0.6}, rationing=rationing)
    assert values[("SM", "AIR", "SO2")] == pytest.approx(1.2)
    assert values[("SM", "ACID", "SO2 off-gas")] == pytest.approx(168.0)


def test_off_gas_the_acid_plant_no_longer_takes_goes_to_the_air():
    """The acid plant at half: the smelter still makes all its SO2; the 210 t the acid
    plant no longer takes go up the stack (3 + 210 t)."""
    network = network_of(SMELTER, SMELTER_ROLES)
    values = after(network, {"ACID": -0.5})
    assert values[("SM", "ACID", "SO2 off-gas")] == pytest.approx(210.0)
    assert values[("SM", "AIR", "SO2")] == pytest.approx(213.0)


def test_a_scenario_shock_places_residues_and_warns_of_the_unplaced(tmp_path):
    """``scenario`` applies the same rule to its ``[[shock]]`` tables."""
    network = network_of([row for row in MILL if row[1] != "LF"], MILL_ROLES)
    path = tmp_path / "s.toml"
    path.write_text('[[shock]]\nfirm = "COMP"\nchange = -0.6\n', encoding="utf-8")
    with pytest.warns(SymbiosisWarning, match=r"'MILL' makes .*unplaced"):
        apply_scenario(network, path)
    shocked = apply_scenario(network_of(MILL, MILL_ROLES), path)
    flows = shocked.flows.set_index(["source", "target"])
    assert flows.loc[("MILL", "LF"), "value"] == pytest.approx(34.0)


def test_the_command_lists_the_residues_sent_to_disposal(tmp_path):
    folder = tmp_path / "mill"
    folder.mkdir()
    pd.DataFrame(MILL, columns=COLUMNS).to_csv(folder / "flows.csv", index=False)
    roles = pd.DataFrame({"id": list(MILL_ROLES), "role": list(MILL_ROLES.values())})
    roles.to_csv(folder / "firms.csv", index=False)
    runner = CliRunner()
    text = runner.invoke(app, ["shock", str(folder), "--firm", "COMP", "--change", "-0.6"])
    assert text.exit_code == 0, text.output
    assert "Residues to disposal" in text.output and "to disposal" in text.output
    data = json.loads(
        runner.invoke(
            app, ["shock", str(folder), "--firm", "COMP", "--change", "-0.6", "-f", "json", "-q"]
        ).stdout
    )
    mill_row = next(r for r in data["firms"] if (r["firm"], r["dimension"]) == ("MILL", "mass"))
    assert mill_row["residues_disposed"] == pytest.approx(18.0)
    assert mill_row["sales_lost"] == pytest.approx(0.0)
