"""What a shock says limits an actor when its limiting material group adds up several
names (tester-bioports14 remark 8: Baotou's steelworks was "limited by" its purchased ore,
while the ore that fell was the concentrator's concentrate, the two one taxonomy
material). The label names the input that fell, and the group's other names."""

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.shocks import shock

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def refinery():
    """An alumina refinery buying 300 t of imported bauxite (the first row) and taking
    100 t from the local mine; 50 t of caustic soda besides."""
    rows = [
        ("IMP", "REF", "imported bauxite", 300, "t", "product"),
        ("IMP", "REF", "caustic soda", 50, "t", "product"),
        ("MINE", "REF", "bauxite", 100, "t", "product"),
        ("REF", "MKT", "alumina", 180, "t", "product"),
        ("REF", "LF", "red mud", 250, "t", "waste"),
    ]
    roles = {"IMP": "market", "MINE": "mine", "REF": "firm", "MKT": "market", "LF": "landfill"}
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


def test_the_input_that_fell_names_the_group():
    result = shock(refinery(), {"MINE": -1.0})
    row = result.firms.loc[("REF", "mass")]
    assert row["output_factor"] == pytest.approx(0.75)  # the two bauxites add up
    assert row["limited_by"] == "bauxite (one bauxite with imported bauxite)"


def test_the_other_name_when_the_other_input_falls():
    result = shock(refinery(), {"IMP": -0.5})
    row = result.firms.loc[("REF", "mass")]
    # bauxite keeps 250 of 400 t (62.5 %), caustic soda 50 %: the soda limits
    assert row["limited_by"] == "caustic soda"
    # the soda made up from outside: the bauxite limits, its imported part fell
    network = refinery()
    flows = network.flows
    marked = network.with_flows(flows.assign(substitutable=flows["material"] == "caustic soda"))
    result = shock(marked, {"IMP": -0.5})
    assert result.firms.loc[("REF", "mass"), "limited_by"] == (
        "imported bauxite (one bauxite with bauxite)"
    )


def test_a_group_of_one_name_is_named_as_before():
    network = refinery()
    flows = network.flows
    plain = network.with_flows(flows.assign(material=flows["material"].replace(
        {"imported bauxite": "caustic soda"})))  # fmt: skip
    result = shock(plain, {"MINE": -1.0})
    assert result.firms.loc[("REF", "mass"), "limited_by"] == "bauxite"


def test_the_minor_input_warning_names_the_input_that_fell():
    """A cement works limited by its gypsum, 5 % of its input: 30 t bought (the first
    row), 20 t from a power plant's desulphurisation that stops."""
    rows = [
        ("MKT", "CEM", "purchased gypsum", 30, "t", "product"),
        ("IMP", "CEM", "clinker", 950, "t", "product"),
        ("IMP", "PP", "coal", 100, "t", "product"),
        ("PP", "CEM", "gypsum", 20, "t", "product"),
        ("PP", "LF", "fly ash", 10, "t", "waste"),
        ("CEM", "MKT", "cement", 1000, "t", "product"),
    ]
    roles = {"IMP": "market", "MKT": "market", "PP": "firm", "CEM": "firm", "LF": "landfill"}
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    network = from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))
    result = shock(network, {"PP": -1.0})
    said = [w for w in result.warnings if w.startswith("'CEM' keeps")]
    assert len(said) == 1
    assert "limited by gypsum (one gypsum with purchased gypsum), 5.0 %" in said[0]
