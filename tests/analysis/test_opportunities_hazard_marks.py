"""What the analyst wrote of hazardous waste (tester-cities4 defect 1): a flow categorised
``hazardous waste``, or sent to a hazardous-waste landfill, treatment or radioactive store,
is hazardous (no land or food receiver, only the catalogue rows that name it), with a
warning for the streams only their target makes so."""

from __future__ import annotations

import pandas as pd
import pytest

from symbiosis import from_frames
from symbiosis.analysis.opportunities import find_opportunities

FLOWS = ["source", "target", "material", "quantity", "unit", "category"]
# a nickel smelter's slag, which meets the catalogue's nickel-slag rows only through the
# taxonomy (they name ferronickel and nickel smelter slag, not granulated nickel slag; a
# rare earth plant's slag had served, until a slag of unknown process met no row at all:
# tester-metals9 #2); a farm buying lime and a sinter plant buying limestone
FIRMS = [("NIS", "Nickel smelter", "nickel smelting", "firm"),
         ("SIN", "Sinter", "sintering", "firm"), ("FARM", "Farm", "agriculture", "firm"),
         ("MKT", "Market", "", "market")]  # fmt: skip
BOUGHT = [("MKT", "SIN", "limestone", 500, "kt", "product"),
          ("MKT", "FARM", "lime", 10, "kt", "product")]  # fmt: skip


def _found(target: tuple, category="waste", firm_marks=None, flow_marks=None, fates=None):
    firms = pd.DataFrame([*FIRMS, target], columns=["id", "name", "sector", "role"])
    flows = pd.DataFrame([*BOUGHT, ("NIS", target[0], "granulated nickel slag", 3, "kt",
                                    category)], columns=FLOWS)  # fmt: skip
    if firm_marks is not None:
        firms["hazardous"] = firm_marks
    if flow_marks is not None:
        flows["hazardous"] = flow_marks
    return find_opportunities(from_frames(firms, flows), top=20, fates=fates)


def _slag(result) -> pd.DataFrame:
    table = result.table
    return table[table["material"] == "granulated nickel slag"]


LANDFILL = ("LF", "Municipal landfill", "", "landfill")


@pytest.mark.parametrize("category", ["hazardous waste", "危险废物", "危废"])
def test_a_flow_categorised_hazardous_waste_is_hazardous(category):
    result = _found(LANDFILL, category)
    assert _slag(result).empty  # no row through the taxonomy
    assert result.warnings == ()  # the analyst said so: nothing to explain


@pytest.mark.parametrize(
    "target",
    [("HLF", "Hazardous waste landfill", "", "landfill"),
     ("RAD", "Radioactive residue store (放射性废渣库)", "", "disposal"),
     ("HW", "危废填埋场", "", "填埋场"),
     ("TIP", "Tip 2", "", "危废填埋场"),  # the role alone says it
     ("TIP3", "Tip 3", "hazardous waste landfill", "landfill"),  # by its sector
     ("HWI", "Dongjiang", "hazardous waste incineration", "treatment")],
)  # fmt: skip
def test_a_stream_sent_to_a_hazardous_waste_landfill_or_store_is_hazardous(target):
    result = _found(target, fates=["disposed", "treated"])
    assert _slag(result).empty
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert warning.startswith(f"1 stream(s) go to a node that takes hazardous waste ('{target[0]}'")
    assert "'granulated nickel slag'" in warning and "'hazardous' column" in warning
    assert result.to_dict()["warnings"] == [warning]


@pytest.mark.parametrize(
    "target",
    [("NHL", "Non-hazardous waste landfill", "", "landfill"),
     ("DAM", "Tailings dam (rare earth tailings)", "", "tailings dam"),
     ("TOX", "Hazardous goods traders", "", "market")],  # a market's name is no store's
)  # fmt: skip
def test_other_targets_leave_the_stream_as_it_is(target):
    result = _found(target)
    assert not _slag(result).empty and result.warnings == ()
    assert "warnings" not in result.to_dict()


def test_the_analysts_no_overrides_the_target():
    hazardous = ("HLF", "Hazardous waste landfill", "", "landfill")
    flow_no = _found(hazardous, flow_marks=pd.array([pd.NA, pd.NA, False], dtype="boolean"))
    assert not _slag(flow_no).empty and flow_no.warnings == ()
    node_no = _found(hazardous, firm_marks=[None, None, None, None, "no"])
    assert not _slag(node_no).empty and node_no.warnings == ()
    node_yes = _found(LANDFILL, firm_marks=[None, None, None, None, "yes"])
    assert _slag(node_yes).empty and len(node_yes.warnings) == 1


def test_a_hazardous_stream_keeps_the_rows_that_name_it():
    """Spent pot lining to a hazardous-waste landfill still goes to the cement kiln
    (spl-cement names it), and no further."""
    firms = pd.DataFrame([("AL", "Smelter", "aluminium smelting", "firm"),
                          ("CEM", "Cement", "cement", "firm"),
                          ("HLF", "Hazardous waste landfill", "", "landfill"),
                          ("MKT", "Market", "", "market")],
                         columns=["id", "name", "sector", "role"])  # fmt: skip
    flows = pd.DataFrame([("MKT", "CEM", "coal", 300, "kt", "product"),
                          ("AL", "HLF", "spent pot lining", 20, "kt", "waste")],
                         columns=FLOWS)  # fmt: skip
    result = find_opportunities(from_frames(firms, flows), top=5)
    assert set(result.table["pathway"]) == {"spl-cement"}
    assert set(result.table["target"]) == {"CEM"}


def test_a_hazardous_waste_treaters_residue_is_not_made_a_hazardous_material_by_its_landfill():
    """A hazardous-waste incinerator's ash is hazardous by its source already (no land or
    food), and keeps the incinerator-ash rows its name resolves to: sent to a hazardous
    waste landfill, as it would be, it still goes to the block maker, with no warning."""
    firms = pd.DataFrame([("HWC", "Incinerator", "hazardous waste incineration", "treatment"),
                          ("BLOCK", "Blocks", "building materials", "firm"),
                          ("FARM", "Farm", "agriculture", "firm"),
                          ("HLF", "Hazardous waste landfill", "", "landfill"),
                          ("MKT", "Market", "", "market")],
                         columns=["id", "name", "sector", "role"])  # fmt: skip
    flows = pd.DataFrame([("MKT", "BLOCK", "sand", 100, "kt", "product"),
                          ("HWC", "HLF", "incineration ash", 1, "kt", "waste")],
                         columns=FLOWS)  # fmt: skip
    result = find_opportunities(from_frames(firms, flows), top=5)
    ash = result.table
    assert "ibaa-blocks" in set(ash.loc[ash["target"] == "BLOCK", "pathway"])
    assert "FARM" not in set(ash["target"]) and result.warnings == ()
