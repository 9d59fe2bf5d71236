"""Reconciliation with losses: in a loss dimension (energy by default) an actor's outputs
may fall short of its inputs (conversion heat the data do not record), so it is left out of
the balances and listed with its loss; more out than in is flagged as impossible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import symbiosis
from symbiosis.analysis.reconcile import DEFAULT_LOSSES, reconcile
from symbiosis.errors import InputError
from symbiosis.examples import load_example


def network(flows: list[tuple], roles: dict[str, str] | None = None):
    """A network from ``(source, target, quantity, unit)`` rows, 10 % uncertainty each;
    nodes named ``M*`` are markets, the others utilities unless ``roles`` says otherwise."""
    nodes = sorted({n for s, t, _, _ in flows for n in (s, t)})
    roles = roles or {}
    firms = pd.DataFrame(
        {"id": nodes, "role": [roles.get(n, "market" if n[0] == "M" else "utility") for n in nodes]}
    )
    frame = pd.DataFrame(
        {
            "source": [f[0] for f in flows],
            "target": [f[1] for f in flows],
            "material": [f"m{i}" for i in range(len(flows))],
            "quantity": [f[2] for f in flows],
            "unit": [f[3] for f in flows],
            "category": "product",
            "uncertainty": [np.nan if np.isnan(f[2]) else 0.1 for f in flows],
        }
    )
    return symbiosis.from_frames(firms, frame)


POWER_PLANT = [("MA", "PWR", 100.0, "GJ"), ("PWR", "MB", 35.0, "GJ")]  # fuel in, power out


def test_the_default_is_energy():
    assert DEFAULT_LOSSES == ("energy",)


def test_a_power_plant_keeps_its_recorded_energy_and_its_loss_is_listed():
    # 100 GJ of fuel in, 35 GJ of electricity out: 65 GJ of heat lost, not a gross error
    result = reconcile(network(POWER_PLANT))
    flows = result.flows
    assert flows["reconciled"].tolist() == [100.0, 35.0]
    assert (flows["status"] == "not redundant").all() and not flows["flagged"].any()
    assert result.tests.empty and result.losses == ("energy",)
    table = result.loss_actors.copy()
    assert table.pop("z").tolist() == pytest.approx([-65 / np.sqrt(100 + 3.5**2)])
    assert table.pop("p_value").tolist() == pytest.approx([1.0])  # a loss, not an excess
    assert table.to_dict("records") == [
        {
            "dimension": "energy",
            "firm": "PWR",
            "unit": "GJ/yr",
            "inputs": 100.0,
            "outputs": 35.0,
            "loss": 65.0,
            "loss_share": 0.65,
            "unknown_flows": 0,
            "impossible": False,
        }
    ]


@pytest.mark.parametrize("none", [(), [], "none", ["None"]])
def test_without_losses_the_power_plant_balances_as_before(none):
    # sd 10 and 3.5 GJ: the gap of 65 GJ splits 100 : 12.25 like the variances
    result = reconcile(network(POWER_PLANT), losses=none)
    closed = 35 + 65 * 12.25 / 112.25  # 42.09 GJ both
    assert result.flows["reconciled"].tolist() == pytest.approx([closed, closed])
    assert (result.flows["status"] == "adjusted").all()
    assert result.tests["dimension"].tolist() == ["energy"]
    assert result.losses == () and result.loss_actors.empty


def test_more_energy_out_than_in_is_impossible_unless_an_input_is_unknown():
    flows = [("MA", "X", 10.0, "GJ"), ("X", "MB", 30.0, "GJ")]
    (actor,) = reconcile(network(flows)).loss_actors.to_dict("records")
    assert actor["impossible"] and actor["loss"] == -20.0 and actor["loss_share"] == -2.0
    # an input of unknown size can make up the difference: the loss of the known flows only
    unknown = reconcile(network([*flows, ("MC", "X", np.nan, "GJ")])).loss_actors
    assert unknown["unknown_flows"].tolist() == [1] and not unknown["impossible"].any()
    assert unknown["loss"].tolist() == [-20.0]


def network_with_sd(flows: list[tuple]):
    """``(source, target, quantity, sd)`` rows in tonnes, all firms but the markets."""
    firms = pd.DataFrame({"id": ["MA", "MB", "X"], "role": ["market", "market", "firm"]})
    frame = pd.DataFrame(
        {
            "source": [f[0] for f in flows],
            "target": [f[1] for f in flows],
            "material": [f"m{i}" for i in range(len(flows))],
            "quantity": [f[2] for f in flows],
            "unit": "t",
            "category": "product",
            "uncertainty": [f[3] / f[2] for f in flows],
        }
    )
    return symbiosis.from_frames(firms, frame)


@pytest.mark.parametrize(
    ("outputs", "alpha", "impossible"),
    [(36.44, 0.05, False), (36.44, 0.2, True), (40.0, 0.05, True)],
)
def test_an_excess_within_the_flows_uncertainty_is_noise_not_impossible(outputs, alpha, impossible):
    # Narasimhan & Jordache's bypass valve E3 (tester-recon #2): 34.65 t in, 36.44 t out,
    # sd 1 t each: an excess of 1.79 t of sd sqrt(2), z 1.27, one-sided p 0.10
    flows = [("MA", "X", 34.65, 1.0), ("X", "MB", outputs, 1.0)]
    table = reconcile(network_with_sd(flows), losses="mass", alpha=alpha).loss_actors
    (actor,) = table.to_dict("records")
    z = (outputs - 34.65) / np.sqrt(2)
    assert actor["z"] == pytest.approx(z)
    from scipy.stats import norm

    assert actor["p_value"] == pytest.approx(norm.sf(z))
    assert actor["impossible"] is impossible


def test_without_spreads_any_excess_beyond_rounding_is_impossible():
    flows = [("MA", "X", 34.65, 0.0), ("X", "MB", 36.44, 0.0)]
    (actor,) = reconcile(network_with_sd(flows), losses="mass").loss_actors.to_dict("records")
    assert actor["impossible"] and np.isnan(actor["z"]) and np.isnan(actor["p_value"])


def test_impossible_actors_come_first_and_equal_sides_are_not_impossible():
    flows = [
        ("MA", "A", 50.0, "MWh"),
        ("A", "MB", 40.0, "MWh"),  # a loss of 10 MWh = 36 GJ
        ("MA", "B", 1.0, "GJ"),
        ("B", "MB", 1.0, "GJ"),  # no loss
        ("MA", "C", 1.0, "GJ"),
        ("C", "MB", 2.0, "GJ"),  # more out than in
    ]
    table = reconcile(network(flows)).loss_actors
    assert table["firm"].tolist() == ["C", "A", "B"]
    assert table["impossible"].tolist() == [True, False, False]
    assert table["loss"].tolist() == pytest.approx([-1.0, 36.0, 0.0])


def test_mass_still_balances_beside_energy_losses():
    # a smelter: 100 t of ore in, 110 t of metal out (adjusted), and fuel it burns for heat
    flows = [
        ("MA", "S", 100.0, "t"),
        ("S", "MB", 110.0, "t"),
        ("MA", "S", 80.0, "GJ"),
        ("S", "MB", 20.0, "GJ"),
    ]
    result = reconcile(network(flows, {"S": "firm"}))
    assert result.tests["dimension"].tolist() == ["mass"]
    assert result.flows["status"].tolist() == ["adjusted", "adjusted"] + ["not redundant"] * 2
    assert result.flows["reconciled"][2:].tolist() == [80.0, 20.0]
    assert result.loss_actors["loss"].tolist() == [60.0]
    # losses in mass too: nothing balances, both dimensions listed
    both = reconcile(network(flows, {"S": "firm"}), losses=["mass", "energy"])
    assert both.tests.empty and both.loss_actors["dimension"].tolist() == ["mass", "energy"]
    assert both.losses == ("mass", "energy")


def test_one_sided_actors_of_a_loss_dimension_stay_one_sided():
    # hydro power: electricity out, nothing in, in energy (made from water, not recorded)
    result = reconcile(network([("HYDRO", "MB", 10.0, "GJ")]))
    assert result.loss_actors.empty
    assert result.one_sided.to_dict("records") == [
        {"dimension": "energy", "firm": "HYDRO", "side": "outputs only"}
    ]


def test_tongling_has_no_energy_balance_and_reconciles_as_before():
    tongling = load_example("tongling")
    default = reconcile(tongling, default_uncertainty=0.1)
    none = reconcile(tongling, default_uncertainty=0.1, losses="none")
    pd.testing.assert_frame_equal(default.flows, none.flows)
    pd.testing.assert_frame_equal(default.tests, none.tests)
    assert default.loss_actors.empty


def test_to_dict_lists_the_setting_and_the_actors():
    data = reconcile(network(POWER_PLANT)).to_dict()
    assert data["losses"] == ["energy"]
    assert data["loss_actors"][0]["firm"] == "PWR" and data["loss_actors"][0]["loss"] == 65.0


def test_bad_losses_are_reported_with_the_other_settings():
    with pytest.raises(InputError) as caught:
        reconcile(network(POWER_PLANT), losses=["heat", "none"], alpha=2)
    messages = [p.message for p in caught.value.problems]
    assert messages == [
        "alpha (--alpha) must be a number between 0 and 1 (got 2)",
        "losses (--losses): unknown dimension 'heat'; use mass, energy, volume "
        "(comma-separated), or none",
        "losses (--losses): 'none' cannot go with dimensions (got heat, none)",
    ]
    with pytest.raises(InputError, match=r"losses \(--losses\) must be a list of names"):
        reconcile(network(POWER_PLANT), losses=5)
