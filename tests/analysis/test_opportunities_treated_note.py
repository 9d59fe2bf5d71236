"""A default run searches no residue sent to treatment (fate ``treated``), and said
nothing of them: Kaiyang's fluosilicic acid, neutralised at the wastewater plant, is the
textbook fluorine recovery, found only with ``--fate treated`` (tester-cities6). A
warning now names such residues whose material the catalogue has rows for, wastewater to
its plant aside."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FIRMS = pd.DataFrame(
    [("WPA", "phosphoric acid", "firm"), ("ALF", "aluminium fluoride", "firm"),
     ("WWTP", "wastewater treatment", "treatment"), ("MKT", "", "market")],
    columns=["id", "sector", "role"],
)  # fmt: skip
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def _network(*residues):
    flows = [("MKT", "WPA", "phosphate rock", 1000, "kt", "product"),
             ("MKT", "ALF", "fluorspar", 20, "kt", "product")]  # fmt: skip
    flows += [("WPA", "WWTP", material, kt, "kt", "waste") for material, kt in residues]
    return from_frames(FIRMS, pd.DataFrame(flows, columns=COLUMNS))


def _notes(result) -> list[str]:
    return [w for w in result.warnings if "sent to treatment" in w]


def test_a_residue_to_treatment_with_a_pathway_is_named():
    result = find_opportunities(_network(("fluosilicic acid", 13)), top=5)
    [note] = _notes(result)
    assert "1 residue stream(s)" in note and "'fluosilicic acid' to 'WWTP'" in note
    assert "--fate treated" in note
    assert result.to_dict()["warnings"] == list(result.warnings)


def test_wastewater_to_its_plant_is_no_news():
    assert _notes(find_opportunities(_network(("process wastewater", 500)), top=5)) == []


@pytest.mark.parametrize("fates", [("treated",), ("disposed", "treated")])
def test_no_note_once_they_are_searched(fates):
    result = find_opportunities(_network(("fluosilicic acid", 13)), top=5, fates=fates)
    assert _notes(result) == []
    assert any(o.material == "fluosilicic acid" for o in result.listed)
