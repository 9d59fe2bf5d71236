"""Edits (symbiosis.edits): each edit against hand-computed tables, errors, scenario TOML."""

from __future__ import annotations

import tomllib
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import FlowNetwork, InputError, from_frames
from symbiosis import edits as ed
from symbiosis.errors import SymbiosisWarning

FIRMS = pd.DataFrame(
    {
        "id": ["S", "C", "B", "M", "L", "R"],
        "sector": ["copper smelting", "cement", "building materials", "", "", ""],
        "role": ["firm", "firm", "recycling", "market", "disposal", "environment"],
    }
)
FLOWS = pd.DataFrame(
    {
        "source": ["M", "S", "S", "S", "C", "S"],
        "target": ["S", "C", "L", "R", "M", "M"],
        "material": [
            "copper concentrate",
            "copper slag",
            "copper slag",
            "waste heat",
            "cement",
            "sulfuric acid",
        ],
        "quantity": [100, 30, 10, 5, 50, 2],
        "unit": ["kt", "kt", "kt", "MWh", "kt", "t"],
        "category": ["product", "by-product", "waste", "emission", "product", "by-product"],
    }
)


@pytest.fixture
def network() -> FlowNetwork:
    return from_frames(FIRMS, FLOWS)


def flow(network, source, target, material):
    flows = network.flows
    rows = flows[(flows.source == source) & (flows.target == target) & (flows.material == material)]
    return rows


def test_redirect_part_of_a_flow_merges_into_the_existing_link(network):
    after = ed.apply(network, [ed.RedirectFlow("S", "L", "copper slag", to="C", quantity=4)])
    assert flow(after, "S", "L", "copper slag")["quantity"].tolist() == [6]
    assert flow(after, "S", "L", "copper slag")["value"].tolist() == [6000]
    # the 4 kt join the 30 kt by-product? No: the moved part keeps its category (waste), so
    # it is a new flow next to the by-product one.
    moved = flow(after, "S", "C", "copper slag")
    assert sorted(moved["value"].tolist()) == [4000, 30000]
    assert set(moved["category"]) == {"by-product", "waste"}
    assert after.n_flows == network.n_flows + 1


def test_redirect_with_a_category_merges_and_keeps_totals(network):
    after = ed.apply(
        network,
        [
            ed.RedirectFlow(
                "S", "L", "copper slag", to="C", quantity=4000, unit="t", category="by-product"
            )
        ],
    )
    assert flow(after, "S", "C", "copper slag")["value"].tolist() == [34000]
    assert after.flows["value"].sum() == pytest.approx(network.flows["value"].sum())


def test_redirect_whole_flow_removes_it(network):
    after = ed.apply(network, [ed.RedirectFlow("S", "R", "waste heat", to="C")])
    assert flow(after, "S", "R", "waste heat").empty
    moved = flow(after, "S", "C", "waste heat")
    assert moved["value"].tolist() == pytest.approx([18.0])  # 5 MWh = 18 GJ
    assert moved["unit"].tolist() == ["MWh"]


def test_scale_flow_material_remove_and_firms(network):
    after = ed.apply(
        network,
        [
            ed.AddFirm("NEW", sector="plasterboard", lat=30.0, lon=117.0),
            ed.AddFlow("S", "NEW", "copper slag", "t", quantity=500),
            ed.ScaleFlow("M", "S", "Copper Concentrates", factor=0.5),
            ed.ScaleMaterial("copper slag", 2.0, source="S"),
            ed.RemoveFlow("C", "M", "cement"),
        ],
    )
    assert after.firms.loc["NEW", "actor"]
    assert after.firms.loc["NEW", "role"] == "firm"
    assert flow(after, "M", "S", "copper concentrate")["value"].tolist() == [50000]
    assert flow(after, "S", "NEW", "copper slag")["value"].tolist() == [1000]
    assert flow(after, "S", "C", "copper slag")["value"].tolist() == [60000]
    assert flow(after, "C", "M", "cement").empty
    removed = ed.apply(after, [ed.RemoveFirm("NEW")])
    assert "NEW" not in removed.firms.index
    assert flow(removed, "S", "NEW", "copper slag").empty


def test_the_input_network_is_never_changed(network):
    before = network.flows.copy()
    ed.apply(
        network, [ed.RedirectFlow("S", "L", "copper slag", to="C", quantity=4), ed.RemoveFirm("B")]
    )
    pd.testing.assert_frame_equal(network.flows, before)
    assert "B" in network.firms.index


@pytest.mark.parametrize(
    ("edit", "column", "message"),
    [
        (ed.RedirectFlow("S", "L", "copper slag", to="X"), "to", "unknown firm 'X'"),
        (ed.RedirectFlow("S", "L", "fly ash", to="C"), "material", "no flow S -> L of 'fly ash'"),
        (ed.RedirectFlow("S", "L", "copper slag", to="C", quantity=11), "quantity", "more than"),
        (ed.RedirectFlow("S", "L", "copper slag", to="S"), "to", "to itself"),
        (
            ed.RedirectFlow("S", "L", "copper slag", to="C", quantity=1, unit="MWh"),
            "unit",
            "is energy",
        ),
        (ed.ScaleFlow("S", "C", "copper slag", factor=-1), "factor", ">= 0"),
        (ed.AddFirm("S"), "id", "already exists"),
        (ed.AddFirm("Z", role="castle"), "role", "unknown role"),
        (ed.AddFirm("Z", lat=95.0), "lat", "95.0 is outside [-90, 90]"),
        (ed.AddFirm("Z", lon="E117"), "lon", "'E117' is not a coordinate"),
        (ed.AddFirm("Z" * 201), "id", "longer than 200 characters"),  # firms.csv's rule
        # past what flows.csv may hold (1e30 a year): they were accepted, or gave inf flows
        (ed.AddFlow("S", "C", "slag", "t", quantity=1e40), "quantity", "more than a network"),
        (ed.ScaleFlow("S", "C", "copper slag", factor=1e200), "factor", "3e204 t/yr, more"),
        (ed.ScaleMaterial("copper slag", 1e308), "factor", "makes a flow of inf t/yr"),
        (ed.AddFlow("S", "C", "copper slag", "MWh", quantity=1), "unit", "is mass elsewhere"),
        (ed.AddFlow("S", "C", "slag", "t", quantity=1, category="junk"), "category", "unknown"),
        (ed.AddFlow("S", "C", "slag", "tons", quantity=1), "unit", "refused"),
        (ed.ScaleMaterial("fly ash", 2.0), "material", "no flow of 'fly ash'"),
        (ed.RemoveFirm("Q"), "id", "unknown firm 'Q'"),
    ],
)
def test_bad_edits_name_the_edit_and_column(network, edit, column, message):
    with pytest.raises(InputError) as error:
        ed.apply(network, [ed.AddFirm("OK"), edit], file="plan.toml")
    problem = error.value.problems[0]
    assert problem.file == f"plan.toml: edit #2 ([[{edit.table}]])"
    assert problem.column == column
    assert message in problem.message


def test_a_redirect_of_too_much_says_the_unit_its_number_was_read_in(network):
    """A quantity without a unit is read in the flow's: the message says so, and the hint
    offers a unit (500000 against a flow of 1.6 Mt reads as 500000 Mt, not 500000 t)."""
    with pytest.raises(InputError) as error:
        ed.apply(network, [ed.RedirectFlow("S", "C", "copper slag", to="B", quantity=500)])
    problem = error.value.problems[0]
    assert problem.message.endswith(
        "500 kt (read in the flow's unit, as no unit is given) is more than the flow's 30 kt"
    )
    assert 'unit = "t"' in problem.hint
    with pytest.raises(InputError) as error:
        ed.apply(network, [ed.RedirectFlow("S", "C", "copper slag", to="B", quantity=0.5,
                                           unit="Mt")])  # fmt: skip
    problem = error.value.problems[0]
    assert problem.message.endswith("0.5 Mt is more than the flow's 30 kt")
    assert "unit =" not in problem.hint


def test_redirect_needs_one_flow_or_a_row():
    flows = pd.concat([FLOWS, FLOWS.iloc[[1]].assign(quantity=7, category="waste")])
    network = from_frames(FIRMS, flows)
    with pytest.raises(InputError, match="2 flows match"):
        ed.apply(network, [ed.RedirectFlow("S", "C", "copper slag", to="B")])
    after = ed.apply(network, [ed.RedirectFlow("S", "C", "copper slag", row=8, to="B")])
    assert flow(after, "S", "B", "copper slag")["quantity"].tolist() == [7]


def test_toml_round_trip_gives_the_same_network(network):
    edits = [
        ed.RedirectFlow("S", "L", "copper slag", to="NEW", quantity=2.5, unit="kt"),
        ed.AddFirm("NEW", name='Plant "A"\nsecond line', sector="plasterboard"),
        ed.ScaleFlow("M", "S", "copper concentrate", factor=0.25),
        ed.RemoveFlow("S", "M", "sulfuric acid"),
    ]
    text = ed.to_toml(edits, title="test", comments=["moves slag", None, None, None])
    assert text.index("[[add_firm]]") < text.index("[[redirect]]") < text.index("[[scale_flow]]")
    assert "# moves slag" in text
    read = ed.edits_from_tables(tomllib.loads(text))
    assert read == ed.sort_edits(edits)
    assert read[0].name == 'Plant "A"\nsecond line'
    a = ed.apply(network, ed.sort_edits(edits))
    b = ed.apply(network, read)
    pd.testing.assert_frame_equal(a.flows, b.flows)


def test_bad_scenario_tables_are_all_reported():
    data = {
        "title": 3,
        "redirect": [{"source": "S", "target": "L", "material": "slag", "too": "C"}],
        "add_plant": [{"id": "X"}],
    }
    with pytest.raises(InputError) as error:
        ed.edits_from_tables(data, file="s.toml")
    messages = {(p.column, p.message) for p in error.value.problems}
    assert ("title", "must be a string") in messages
    assert ("add_plant", "unknown table") in messages
    assert ("too", "unknown key") in messages
    assert ("to", "required key is missing") in messages


NASTY = "".join(map(chr, range(0x20))) + "\x7f\x85\x9b\u061c\u200e\u200f\u202a\u202e\u2066\u2069"


def test_toml_comments_and_values_with_any_character_read_back(network):
    """A comment copied from a name with ESC, DEL, CR or a newline used to make the file
    unreadable (TOML allows no control character in a comment)."""
    name = f"Smelter \x1b]0;title\x07 \x1b[31mred{NASTY}end"
    edits = [
        ed.AddFirm("NEW", name=name, sector=f"sector {NASTY}"),
        ed.RedirectFlow("S", "L", "copper slag", to="NEW"),
    ]
    text = ed.to_toml(edits, title=name, comments=[f"first {name}\nsecond {NASTY}", name])
    read = tomllib.loads(text)  # valid TOML
    assert read["title"] == name and read["add_firm"][0]["name"] == name
    assert ed.edits_from_tables({k: v for k, v in read.items() if k != "title"}) == edits
    comments = [line for line in text.split("\n") if line.startswith("#")]
    assert len(comments) == 6  # a newline starts a comment line; nothing else does
    assert all(c == "\t" or (c >= " " and c != "\x7f") for c in "".join(comments))
    assert "\\x1b]0;title\\x07" in text and "\\u202e" in text  # shown, escaped
    assert not any(0x80 <= ord(c) < 0xA0 or c in "\u202e\u2066" for c in "".join(comments))


def test_every_bad_field_of_an_edit_is_reported_together(network):
    """Several bad fields in one table used to report only the first."""
    edits = [
        ed.AddFlow(1, "NOPE", ["x"], 5, quantity="a lot", category="junk"),
        ed.AddFirm("S", name=3, role="castle", lat=95.0, lon="east"),
        ed.RedirectFlow("Q", "L", "copper slag", to="Z", quantity=-1, unit="tons", row="two"),
        ed.ScaleMaterial({"a": 1}, factor="half", source="Q"),
    ]
    expected = [
        {"source", "target", "material", "unit", "quantity", "category"},
        {"id", "name", "role", "lat", "lon"},
        {"source", "to", "quantity", "unit", "row"},
        {"material", "factor", "source"},
    ]
    for edit, columns in zip(edits, expected, strict=True):
        with pytest.raises(InputError) as error:
            ed.apply(network, [edit], file="plan.toml")
        found = [p.column for p in error.value.problems]
        assert sorted(found) == sorted(columns), edit  # each bad field once
        where = f"plan.toml: edit #1 ([[{edit.table}]])"
        assert all(p.file == where for p in error.value.problems)


def test_a_table_with_an_unknown_key_is_still_read_for_its_other_keys():
    edits, problems = ed.read_tables(
        {"remove_firm": [{"id": "Q", "reason": "closed"}], "add_firm": [{"name": "no id"}]}
    )
    assert edits == [ed.RemoveFirm("Q")]
    assert {(p.column, p.message) for p in problems} == {
        ("id", "required key is missing"),
        ("reason", "unknown key"),
    }


_NETWORK = from_frames(FIRMS, FLOWS)


@settings(max_examples=40, deadline=None)
@given(
    share=st.floats(min_value=0.0, max_value=1.0),
    factor=st.floats(min_value=0.01, max_value=100.0),
)
def test_redirect_there_and_back_restores_every_flow(share, factor):
    network = _NETWORK
    amount = 10 * share
    forward = [
        ed.ScaleFlow("S", "C", "copper slag", factor=factor),
        ed.RedirectFlow("S", "L", "copper slag", to="B", quantity=amount),
    ]
    there = ed.apply(network, forward)
    if amount >= 10:  # moved whole: the flow S -> L is gone
        back = [ed.RedirectFlow("S", "B", "copper slag", to="L")]
    else:
        back = [ed.RedirectFlow("S", "B", "copper slag", to="L", quantity=amount)] if amount else []
    back.append(ed.ScaleFlow("S", "C", "copper slag", factor=1 / factor))
    restored = ed.apply(there, back)
    columns = ["source", "target", "material", "category", "unit"]
    key = restored.flows.set_index(columns)["value"].sort_index()
    original = network.flows.set_index(columns)["value"].sort_index()
    assert key.index.equals(original.index)
    np.testing.assert_allclose(key.to_numpy(), original.to_numpy(), rtol=1e-9)
    # Totals never change under a redirect.
    assert there.flows["value"].sum() == pytest.approx(
        network.flows["value"].sum() + 30000 * (factor - 1), rel=1e-9
    )


def test_scaling_links_of_unknown_size_only_warns_and_changes_nothing(network):
    unsized = FLOWS.assign(quantity=FLOWS["quantity"].where(FLOWS["material"] != "copper slag"))
    links = from_frames(FIRMS, unsized)
    with pytest.warns(SymbiosisWarning) as caught:
        after = ed.apply(links, [ed.ScaleMaterial("copper slag", factor=3)])
    assert [str(w.message) for w in caught] == [
        "edits: edit #1 ([[scale_material]]): factor: none of its 2 flows has a known "
        "quantity: scaling changes nothing; give the flow a quantity in flows.csv, or drop "
        "this table"
    ]
    pd.testing.assert_frame_equal(after.flows, links.flows)
    _, notes = ed.apply_noted(links, [ed.ScaleFlow("S", "C", "copper slag", factor=3)])
    assert [(n.column, n.message) for n in notes] == [
        ("factor", "the flow has no known quantity: scaling changes nothing")
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a flow of known size: no warning
        ed.apply(network, [ed.ScaleFlow("S", "C", "copper slag", factor=3)])


def test_a_firm_removed_then_added_again_is_there_with_only_its_new_flows(network):
    after = ed.apply(
        network,
        [
            ed.RemoveFirm("C"),
            ed.AddFirm("C", sector="new"),
            ed.AddFlow("C", "M", "cement", "kt", quantity=5, category="product"),
        ],
    )
    assert after.firms.loc["C", "sector"] == "new"
    assert after.n_firms == network.n_firms
    assert flow(after, "C", "M", "cement")["quantity"].tolist() == [5]
    assert flow(after, "S", "C", "copper slag").empty  # its old flows went with it
    from symbiosis import analyze

    analyze(after, sections="reuse")  # a consistent network


def test_a_firm_added_then_removed_leaves_no_trace(network):
    after = ed.apply(network, [ed.AddFirm("NEW"), ed.RemoveFirm("NEW")])
    assert "NEW" not in after.firms.index
    assert after.n_firms == network.n_firms


def test_an_integer_id_names_the_firm_whose_id_is_its_digits():
    firms = FIRMS.assign(id=["101", "C", "B", "M", "L", "R"])
    flows = FLOWS.assign(source=FLOWS["source"].replace("S", "101"))
    network = from_frames(firms, flows.assign(target=flows["target"].replace("S", "101")))
    after = ed.apply(network, [ed.RemoveFirm(101), ed.AddFirm(np.int64(101))])
    assert after.firms.index.tolist() == ["C", "B", "M", "L", "R", "101"]
    assert not (after.flows[["source", "target"]] == "101").any().any()


def test_a_factor_of_zero_stops_the_flows_it_scales(network):
    """A flow scaled by 0 is stopped: removed, as a shock removes the exchanges it stops,
    not kept as a 0 t link that would still close loops and count as a reused stream."""
    unsized = network.flows.copy()
    unsized.loc[unsized["material"] == "sulfuric acid", "quantity"] = np.nan
    network = from_frames(FIRMS, unsized)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SymbiosisWarning)  # 0 stops an unsized flow too
        after = ed.apply(
            network,
            [
                ed.ScaleFlow("S", "C", "copper slag", factor=0),
                ed.ScaleMaterial("sulfuric acid", 0),
            ],
        )
    assert flow(after, "S", "C", "copper slag").empty
    assert flow(after, "S", "M", "sulfuric acid").empty
    assert after.n_flows == network.n_flows - 2
    assert flow(after, "S", "L", "copper slag")["value"].tolist() == [10000]


# ---------------------------------------------------------------------- substitutable marks


def marks(network, source, target, material):
    column = flow(network, source, target, material).get("substitutable")
    return None if column is None else column.tolist()


def test_mark_flow_sets_and_clears_the_mark_of_the_flows_it_selects(network):
    """tester-cities3 defect 4: a planner marks, in a scenario, an input its receiver can
    do without (the cement works' slag), without editing flows.csv."""
    marked = ed.apply(network, [ed.MarkFlow("S", "C", "copper slag", substitutable=True)])
    assert str(marked.flows["substitutable"].dtype) == "boolean"
    assert marks(marked, "S", "C", "copper slag") == [True]
    assert marks(marked, "M", "S", "copper concentrate") == [pd.NA]  # the others: the default
    assert "substitutable" not in network.flows  # the input network unchanged
    cleared = ed.apply(marked, [ed.MarkFlow("S", "C", "copper slag", substitutable=False)])
    assert marks(cleared, "S", "C", "copper slag") == [False]


def test_add_flow_marks_its_flow_or_the_one_it_joins_and_a_redirect_drops_the_mark(network):
    added = ed.apply(network, [ed.AddFlow("M", "C", "clinker", "kt", 5, category="product",
                                          substitutable=True)])  # fmt: skip
    assert marks(added, "M", "C", "clinker") == [True]
    assert marks(added, "S", "C", "copper slag") == [pd.NA]
    joined = ed.apply(network, [ed.AddFlow("S", "C", "copper slag", "kt", 5, substitutable=True)])
    assert flow(joined, "S", "C", "copper slag")["quantity"].tolist() == [35]
    assert marks(joined, "S", "C", "copper slag") == [True]
    # moved to another receiver, the flow is that receiver's: the default rule
    moved = ed.apply(
        network,
        [ed.MarkFlow("S", "C", "copper slag", substitutable=True),
         ed.RedirectFlow("S", "C", "copper slag", to="B", quantity=10)],
    )  # fmt: skip
    assert marks(moved, "S", "C", "copper slag") == [True]
    assert marks(moved, "S", "B", "copper slag") == [pd.NA]


def test_a_mark_that_is_not_true_or_false_is_refused_with_its_other_problems(network):
    with pytest.raises(InputError) as caught:
        ed.apply(network, [ed.MarkFlow("S", "X", "copper slag", substitutable="yes")])
    found = {(p.column, p.message) for p in caught.value.problems}
    assert ("substitutable", "'yes' is not true or false") in found
    assert any(column == "target" for column, _ in found)
    with pytest.raises(InputError, match="substitutable: 1 is not true or false"):
        ed.apply(network, [ed.AddFlow("S", "C", "slag", "t", 1, substitutable=1)])


def test_mark_flow_reads_and_writes_toml(network):
    edits = [
        ed.MarkFlow("S", "C", "copper slag", substitutable=True),
        ed.AddFlow("M", "C", "clinker", "kt", 5, category="product", substitutable=False),
    ]
    text = ed.to_toml(edits)
    assert "[[mark_flow]]" in text and "substitutable = true" in text
    read = ed.edits_from_tables(tomllib.loads(text))
    assert sorted(map(repr, read)) == sorted(map(repr, edits))
    assert ed.TABLE_ORDER.index("mark_flow") == ed.TABLE_ORDER.index("scale_material") + 1
    with pytest.raises(InputError, match="required key is missing"):
        ed.edits_from_tables({"mark_flow": [{"source": "S", "target": "C", "material": "x"}]})
