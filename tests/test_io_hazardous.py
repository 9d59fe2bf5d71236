"""The ``hazardous`` marks of flows.csv and firms.csv (symbiosis.io.hazardous): set by a
category or role that says hazardous (tester-cities4 defect 1: ``hazardous waste`` became
plain ``waste`` and the hazard was forgotten; the role 危废填埋场 was refused), given as
yes or no, refused otherwise at their row, and kept through the model's own tables."""

from __future__ import annotations

import pandas as pd
import pytest

import symbiosis
from symbiosis import edits as ed
from symbiosis.errors import InputError
from symbiosis.io import load
from symbiosis.vocabulary import canonical_category, canonical_role, hazardous_category

FLOWS = "source,target,material,quantity,unit,category{extra}\n"


def _write(tmp_path, flows: str, firms: str | None = None, extra: str = ""):
    (tmp_path / "flows.csv").write_text(FLOWS.format(extra=extra) + flows, encoding="utf-8")
    if firms is not None:
        (tmp_path / "firms.csv").write_text("id,name,role\n" + firms, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("word", "hazardous"),
    [("hazardous waste", True), ("Hazardous-Waste", True), ("危险废物", True), ("危废", True),
     ("non-hazardous waste", False), ("waste", False), ("固废", False)],
)  # fmt: skip
def test_a_category_saying_hazardous_is_waste_and_marks_the_flow(word, hazardous):
    assert canonical_category(word) == "waste"
    assert hazardous_category(word) is hazardous


def test_the_hazardous_landfill_roles_are_disposal():
    for word in ("危废填埋场", "危险废物填埋场", "hazardous waste landfill", "Hazardous landfill"):
        assert canonical_role(word) == "disposal", word


def test_the_category_marks_the_flow_and_an_empty_cell_leaves_the_rules(tmp_path):
    folder = _write(
        tmp_path,
        "A,LF,slag,1,t,hazardous waste\nA,LF,ash,1,t,危废\nA,LF,mud,1,t,waste\n"
        "A,LF,dust,1,t,non-hazardous waste\n",
    )
    flows = load(folder / "flows.csv").flows
    assert flows["category"].tolist() == ["waste"] * 4
    assert str(flows["hazardous"].dtype) == "boolean"
    assert flows["hazardous"].tolist() == [True, True, pd.NA, pd.NA]
    plain = _write(tmp_path, "A,LF,mud,1,t,waste\n")
    assert "hazardous" not in load(plain / "flows.csv").flows


def test_the_column_is_read_as_yes_or_no_and_the_category_fills_its_empty_cells(tmp_path):
    folder = _write(
        tmp_path,
        "A,LF,a,1,t,waste,yes\nA,LF,b,1,t,hazardous waste,no\nA,LF,c,1,t,hazardous waste,\n"
        "A,LF,d,1,t,waste,否\nA,LF,e,1,t,waste,\n",
        extra=",hazardous",
    )
    flows = load(folder / "flows.csv").flows
    assert flows["hazardous"].tolist() == [True, False, True, False, pd.NA]


def test_other_words_are_refused_at_their_rows_with_the_other_problems(tmp_path):
    folder = _write(
        tmp_path, "A,LF,a,1,t,waste,HW08\nA,LF,b,x,t,waste,yes\n", "LF,Tip,危废填埋场\n",
        extra=",hazardous",
    )  # fmt: skip
    (folder / "firms.csv").write_text("id,role,hazardous\nA,firm,maybe\nLF,landfill,\n")
    with pytest.raises(InputError) as caught:
        load(folder)
    found = {(p.file.rsplit("/", 1)[-1], p.row, p.column, p.message)
             for p in caught.value.problems}  # fmt: skip
    assert ("flows.csv", 2, "hazardous", "'HW08' is not yes or no") in found
    assert ("firms.csv", 2, "hazardous", "'maybe' is not yes or no") in found
    assert any(row == 3 and column == "quantity" for _, row, column, _ in found)
    hints = {p.file.rsplit("/", 1)[-1]: p.hint for p in caught.value.problems
             if p.column == "hazardous"}  # fmt: skip
    assert hints["flows.csv"].startswith("write yes (the flow is hazardous waste")
    assert hints["firms.csv"].startswith("write yes (the node takes hazardous waste")


def test_a_role_saying_hazardous_marks_the_node(tmp_path):
    folder = _write(
        tmp_path,
        "A,H1,slag,1,t,waste\nA,H2,ash,1,t,waste\nA,LF,mud,1,t,waste\n",
        "A,Smelter,firm\nH1,Tip 1,危废填埋场\nH2,Tip 2,hazardous waste treatment\nLF,Tip,填埋场\n",
    )
    firms = load(folder).firms
    assert firms["role"].tolist() == ["firm", "disposal", "treatment", "disposal"]
    assert firms["hazardous"].tolist() == [pd.NA, True, True, pd.NA]


def test_without_a_firms_file_an_id_that_is_a_hazardous_role_is_marked(tmp_path):
    folder = _write(tmp_path, "A,危废填埋场,slag,1,t,waste\nA,landfill,mud,1,t,waste\n")
    firms = load(folder / "flows.csv").firms
    assert firms.loc["危废填埋场", "role"] == "disposal"
    assert firms["hazardous"].tolist() == [pd.NA, True, pd.NA]


def test_the_models_own_tables_dicts_and_graphs_keep_the_marks(tmp_path):
    folder = _write(
        tmp_path, "A,H,slag,1,t,hazardous waste\nA,LF,mud,1,t,waste\n",
        "A,Smelter,firm\nH,Tip,危废填埋场\nLF,Tip,填埋场\n",
    )  # fmt: skip
    network = load(folder)
    again = network.with_tables(firms=network.firms, flows=network.flows)
    from_dict = symbiosis.FlowNetwork.from_dict(network.to_dict())
    from_graph = symbiosis.FlowNetwork.from_graph(network.graph)
    for copy in (again, from_dict, from_graph):
        assert copy.flows["category"].tolist() == ["waste", "waste"]
        assert copy.flows["hazardous"].tolist() == [True, pd.NA]
        assert copy.firms["hazardous"].tolist() == [pd.NA, True, pd.NA]


def test_scenario_edits_keep_what_the_category_and_role_say():
    firms = pd.DataFrame({"id": ["A", "LF"], "role": ["firm", "landfill"]})
    columns = ["source", "target", "material", "quantity", "unit", "category"]
    network = symbiosis.from_frames(firms, pd.DataFrame([("A", "LF", "mud", 1, "t", "waste")],
                                                        columns=columns))  # fmt: skip
    after = ed.apply(network, [ed.AddFirm("H", role="危废填埋场"),
                               ed.AddFlow("A", "LF", "slag", "t", 2, "hazardous waste"),
                               ed.AddFlow("A", "H", "ash", "t", 3, "waste")])  # fmt: skip
    assert str(after.firms["hazardous"].dtype) == "boolean"
    assert after.firms["hazardous"].tolist() == [pd.NA, pd.NA, True]
    assert str(after.flows["hazardous"].dtype) == "boolean"
    assert after.flows["hazardous"].tolist() == [pd.NA, True, pd.NA]
    assert after.flows["category"].tolist() == ["waste"] * 3
