"""Receivers of the right kind for coal gangue and sulfur (taxa14, from tester-resources12's
Ningdong run): gangue (50-80 % ash) was proposed to pulverised-coal power plants by
gangue-power, a fuel of circulating fluidised beds only; sulfur went first to a brick works
for sulfur concrete, which is cast hot by a sulfur concrete maker."""

from __future__ import annotations

import warnings

import pandas as pd

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = [
    ("WASH", "coal preparation plant", "firm"),
    ("CTL", "coal to liquids", "firm"),
    ("PC", "coal-fired power plant", "utility"),
    ("CFB", "煤矸石电厂 (CFB power plant)", "utility"),
    ("BRICK", "brick making", "firm"),
    ("SC", "sulfur concrete products", "firm"),
    ("LF", "", "disposal"),
    ("MKT", "", "market"),
]
FLOWS = [
    ("WASH", "LF", "coal gangue (煤矸石)", 2.3, "Mt", "waste"),
    ("CTL", "MKT", "sulfur (硫磺)", 200, "kt", "by-product"),
    ("MKT", "PC", "coal", 3, "Mt", "product"),
    ("MKT", "CFB", "coal slime", 1, "Mt", "product"),
    ("MKT", "BRICK", "clay", 300, "kt", "product"),
    ("MKT", "SC", "aggregate", 50, "kt", "product"),
]
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _targets(material: str, pathway: str) -> set[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        network = from_frames(pd.DataFrame(FIRMS, columns=["id", "sector", "role"]),
                              pd.DataFrame(FLOWS, columns=COLUMNS))  # fmt: skip
    table = find_opportunities(network, top=0, impact=False).table
    mine = table[(table["material"] == material) & (table["pathway"] == pathway)]
    return set(mine["target"])


def test_gangue_goes_to_a_fluidised_bed_plant_not_a_pulverised_coal_one():
    targets = _targets("coal gangue (煤矸石)", "gangue-power")
    assert "CFB" in targets
    assert "PC" not in targets


def test_sulfur_concrete_is_a_sulfur_concrete_makers_not_a_brick_works():
    targets = _targets("sulfur (硫磺)", "sulfur-concrete")
    assert "SC" in targets
    assert "BRICK" not in targets
