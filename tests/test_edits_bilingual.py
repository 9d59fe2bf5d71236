"""Edits selecting a flow whose material is written in two scripts, "English (中文)"
(tester-cities6 defect 2): ``material = "alumina"`` selects the flow of "alumina
(氧化铝)", by either part (docs/scenarios.md, "Selecting flows"); a selection that finds no
flow names the materials the pair carries."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import InputError, from_frames
from symbiosis import edits as ed
from symbiosis.scenario_files import parse_scenario
from symbiosis.scenarios import apply_scenario

FIRMS = pd.DataFrame({"id": ["AL", "SM", "SM2", "MKT"],
                      "sector": ["alumina", "aluminium", "aluminium", ""],
                      "role": ["firm", "firm", "firm", "market"]})  # fmt: skip
FLOWS = pd.DataFrame(
    [("AL", "SM", "alumina (氧化铝)", 965, "kt", "product"),
     ("AL", "SM2", "alumina", 500, "kt", "product"),
     ("AL", "SM2", "氧化铝", 100, "kt", "product"),
     ("SM", "MKT", "aluminium ingot（铝锭）", 500, "kt", "product")],
    columns=["source", "target", "material", "quantity", "unit", "category"],
)  # fmt: skip


def _quantities(network, source, target) -> dict[str, float]:
    flows = network.flows
    pair = flows[(flows["source"] == source) & (flows["target"] == target)]
    return dict(zip(pair["material"], pair["quantity"], strict=True))


@pytest.mark.parametrize("material", ["alumina", "Alumina", "氧化铝", "alumina (氧化铝)"])
def test_a_flow_is_selected_by_either_part_of_its_name(material):
    network = from_frames(FIRMS, FLOWS)
    after = ed.apply(network, [ed.ScaleFlow("AL", "SM", material, factor=0.5)])
    assert _quantities(after, "AL", "SM") == {"alumina (氧化铝)": 482.5}  # name kept
    after = ed.apply(network, [ed.ScaleFlow("SM", "MKT", "铝锭", factor=2)])
    assert _quantities(after, "SM", "MKT") == {"aluminium ingot（铝锭）": 1000}


def test_a_part_selects_every_flow_it_names_and_a_whole_name_only_its_own():
    """ "alumina" is the plain flow and the bilingual one; "氧化铝" the Chinese one and the
    bilingual one: as two flows of one name, both are scaled. "alumina (氧化铝)" itself
    selects only the flow so written (its parts are not read as selections)."""
    network = from_frames(FIRMS, FLOWS)
    after = ed.apply(network, [ed.ScaleMaterial("alumina", 2)])
    assert _quantities(after, "AL", "SM") == {"alumina (氧化铝)": 1930}
    assert _quantities(after, "AL", "SM2") == {"alumina": 1000, "氧化铝": 100}
    after = ed.apply(network, [ed.ScaleMaterial("alumina (氧化铝)", 2)])
    assert _quantities(after, "AL", "SM2") == {"alumina": 500, "氧化铝": 100}


def test_a_selection_of_no_flow_names_the_materials_the_pair_carries():
    """Baise: "no flow AL_PG -> SM_HL of 'alumina'" hinted only to check flows.csv."""
    network = from_frames(FIRMS, FLOWS)
    text = '[[scale_flow]]\nsource = "AL"\ntarget = "SM"\nmaterial = "bauxite"\nfactor = 0.5\n'
    with pytest.raises(InputError) as caught:
        apply_scenario(network, parse_scenario(text, file="s.toml"))
    (problem,) = caught.value.problems
    assert "no flow AL -> SM of 'bauxite'" in problem.message
    assert problem.hint == "AL -> SM carries 'alumina (氧化铝)': give one of these as material"


def test_a_scenario_selects_the_flow_of_a_name_in_two_scripts():
    network = from_frames(FIRMS, FLOWS)
    text = '[[scale_flow]]\nsource = "AL"\ntarget = "SM"\nmaterial = "alumina"\nfactor = 0.5\n'
    after = apply_scenario(network, parse_scenario(text, file="s.toml"))
    assert _quantities(after, "AL", "SM") == {"alumina (氧化铝)": 482.5}
