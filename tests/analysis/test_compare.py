"""Two networks side by side, on small networks compared by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import from_frames
from symbiosis.analysis.compare import FLOW_KEY, STATUSES, compare, flow_changes
from symbiosis.analysis.indicators import lost_loops
from symbiosis.options import Options

from .reuse_networks import random_frames

COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]
FIRMS = [("A", "firm"), ("B", "firm"), ("C", "firm"), ("MKT", "market"), ("LF", "disposal")]
# Before: A sends B 100 t of slag and landfills 300 t; B returns 50 t of scrap.
BEFORE = [
    ("A", "B", "slag", 100, "t", "by-product"),
    ("A", "LF", "slag", 300, "t", "waste"),
    ("B", "A", "scrap", 50, "t", "by-product"),
    ("B", "MKT", "wire", 500, "t", "product"),
]
# After: the slag to B quadruples (written "Slag": the same material), the landfill gets
# 100 t, scrap stops, B sends dust to a new firm C, which sends cinder back to A.
AFTER = [
    ("A", "B", "Slag", 400, "t", "by-product"),
    ("A", "LF", "slag", 100, "t", "waste"),
    ("B", "C", "dust", 20, "t", "by-product"),
    ("C", "A", "cinder", 10, "t", "by-product"),
    ("B", "MKT", "wire", 500, "t", "product"),
]


def network(flows, firms=FIRMS):
    return from_frames(
        pd.DataFrame(firms, columns=["id", "role"]), pd.DataFrame(flows, columns=COLUMNS)
    )


@pytest.fixture(scope="module")
def result():
    return compare(network(BEFORE, FIRMS[:2] + FIRMS[3:]), network(AFTER), labels=("old", "new"))


def rows(frame):
    return [tuple(r) for r in frame[["source", "target", "material", "a", "b", "change"]].values]


def test_flows_added_removed_changed_and_unchanged(result):
    assert rows(result.flows_with("added")) == [
        ("B", "C", "dust", None, 20.0, 20.0),
        ("C", "A", "cinder", None, 10.0, 10.0),
    ]
    assert rows(result.flows_with("removed")) == [("B", "A", "scrap", 50.0, None, -50.0)]
    assert rows(result.flows_with("changed")) == [
        ("A", "B", "slag", 100.0, 400.0, 300.0),
        ("A", "LF", "slag", 300.0, 100.0, -200.0),
    ]
    assert rows(result.flows_with("unchanged")) == [("B", "MKT", "wire", 500.0, 500.0, 0.0)]
    assert set(result.flows["unit"]) == {"t/yr"}


def test_firms_and_loops_in_one_network_only(result):
    assert result.firms_added == ("C",) and result.firms_removed == ()
    assert result.loops_only_in_a == (("A", "B"),)
    assert result.loops_only_in_b == (("A", "B", "C"),)


def test_indicators_side_by_side_with_the_difference(result):
    frame = result.to_frame()
    assert list(frame.columns) == ["unit", "a", "b", "difference"]
    share = frame.loc[("mass", "reuse_share")]
    assert share["a"] == pytest.approx(150 / 450) and share["b"] == pytest.approx(430 / 530)
    assert share["difference"] == pytest.approx(430 / 530 - 150 / 450)
    disposed = frame.loc[("mass", "disposed")]
    assert (disposed["a"], disposed["b"], disposed["difference"]) == (300.0, 100.0, -200.0)
    assert frame.loc[("all", "actors"), "difference"] == 1


def test_dict_counts_flow_keys_by_status(result):
    data = result.to_dict()
    assert data["a"] == "old" and data["b"] == "new"
    assert data["flow_keys"] == {"added": 2, "removed": 1, "changed": 2, "unchanged": 1}
    assert [f["material"] for f in data["flows"]["removed"]] == ["scrap"]
    assert set(data["flows"]) == set(STATUSES[:3])
    assert data["loops_only_in_b"] == [["A", "B", "C"]]


def test_quantities_are_compared_per_dimension_and_unknown_sizes_count():
    water = ("A", "B", "water", None, "m3", "product")
    before = [("A", "B", "steam", 10, "GJ", "by-product"), water]
    after = [("A", "B", "steam", 2, "t", "by-product"), water]
    table = flow_changes(network(before), network(after))
    steam = table[table["material"] == "steam"].set_index("dimension")
    # the same key in two dimensions: changed, each dimension with its own total
    assert set(steam["status"]) == {"changed"}
    assert steam.loc["energy", "a"] == 10 and steam.loc["energy", "b"] is None
    assert steam.loc["mass", "b"] == 2 and steam.loc["energy", "change"] == -10
    water = table[table["material"] == "water"].iloc[0]
    assert water["status"] == "unchanged" and water["a"] is None and water["b"] is None
    assert water["unknown_a"] == water["unknown_b"] == 1
    sized = [("A", "B", "water", 5, "m3", "product")]
    table = flow_changes(network(before[1:]), network(sized))
    assert table["status"].tolist() == ["changed"] and table["b"].tolist() == [5.0]


def test_a_network_of_several_years_is_noted():
    dated = pd.DataFrame(BEFORE, columns=COLUMNS).assign(year=[2019, 2019, 2020, 2020])
    firms = pd.DataFrame(FIRMS, columns=["id", "role"])
    result = compare(from_frames(firms, dated), network(AFTER), labels=("two years", "now"))
    assert result.notes[0] == (
        "two years holds flows of 2 years (2019-2020): compare adds them up; symbiosis "
        "trends compares them year by year (and counts a flow without a year in every year)"
    )
    # a flow without a year: counted once here, in every year by trends (a tester's case)
    partly = dated.astype({"year": "float"}).assign(year=[2019, None, 2020, 2020])
    result = compare(from_frames(firms, partly), network(AFTER), labels=("two years", "now"))
    assert "compare adds them up (1 flow without a year counted once)" in result.notes[0]


def test_two_years_cut_from_a_network_say_which_year_each_is():
    """compare(select_year(n, 2019), select_year(n, 2020)): each side's figures are its
    year's, and a note says which year each side is (the command's default, the latest
    year of each side, may take different years)."""
    from symbiosis import select_year

    dated = pd.DataFrame(BEFORE, columns=COLUMNS).assign(year=[2019, 2019, 2020, 2020])
    firms = pd.DataFrame(FIRMS, columns=["id", "role"])
    with pytest.warns(Warning):
        both = from_frames(firms, dated)
    result = compare(select_year(both, 2019), select_year(both), labels=("early", "late"))
    assert result.notes[0] == (
        "different years: the figures of early are for 2019 (of 2019-2020), those of late "
        "for 2020 (latest of 2019-2020)"
    )
    assert result.flow_keys["removed"] == 2 and result.flow_keys["added"] == 2
    same = compare(select_year(both), select_year(both), labels=("a", "b"))
    assert same.notes[0] == "a and b: the figures are for 2020 (latest of 2019-2020)"
    assert not any("adds them up" in note for note in same.notes)


def _no_difference(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == 0


@settings(max_examples=10, deadline=None)
@given(random_frames())
def test_a_network_compared_with_itself_shows_no_change(frames):
    firms, flows = frames
    # two networks read from the same tables, not one object twice
    result = compare(from_frames(firms, flows), from_frames(firms, flows))
    assert all(_no_difference(v) for v in result.to_frame()["difference"])
    assert set(result.flows["status"]) <= {"unchanged"}
    assert result.firms_added == result.firms_removed == ()
    assert result.loops_only_in_a == result.loops_only_in_b == ()
    keys = result.to_dict()["flow_keys"]
    assert keys["added"] == keys["removed"] == keys["changed"] == 0


def test_dict_lists_the_first_rows_of_each_status_and_counts_them_all(result):
    full = result.to_dict(limit=None)
    assert full["rows"] == {s: len(result.flows_with(s)) for s in STATUSES[:3]}
    one = result.to_dict(limit=1)
    for status in STATUSES[:3]:
        assert one["flows"][status] == full["flows"][status][:1]
    assert one["rows"] == full["rows"] and full["rows"]["added"] == 2
    assert result.to_dict() == full  # fewer than 1,000 rows: all listed


_NAMES = ["A", "a", "B", "Zn", "zinc", "É", "é", "铜", "10", "9", "a b"]


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_flows_are_listed_by_status_then_by_their_text_as_pandas_sorts_it(data):
    """The display order comes from integer ranks of each column's distinct values: the
    order ``sort_values`` gives on the text itself (status first, then source, target,
    material, category, dimension; ties in the order met), unchanged keys last in the
    order met. Names mix case, accents, CJK and digits."""
    firms = [(name, "firm") for name in _NAMES[:6]] + [("LF", "disposal")]
    ids = [f[0] for f in firms]

    def flows(label):
        rows = data.draw(st.lists(st.tuples(
            st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(_NAMES),
            st.sampled_from([1.0, 2.0, None]), st.sampled_from(["by-product", "waste"])),
            min_size=1, max_size=12, unique_by=lambda r: (r[:3], r[4])), label=label)  # fmt: skip
        unit = {m: "GJ" if len(m) % 2 else "t" for m in _NAMES}  # the same for A and a
        rows = [(s, t, m, q, unit[m], c) for s, t, m, q, c in rows if s != t]
        return rows or [("A", "LF", "x", 1.0, "t", "waste")]

    table = flow_changes(network(flows("a"), firms), network(flows("b"), firms))
    rank = pd.Categorical(table["status"], categories=STATUSES, ordered=True).codes
    moved = table[table["status"] != "unchanged"].assign(_s=rank[table["status"] != "unchanged"])
    expected = moved.sort_values(["_s", "source", "target", "material", "category", "dimension"],
                                 kind="stable")  # fmt: skip
    assert moved.index.tolist() == expected.index.tolist()
    assert (table["status"].iloc[len(moved) :] == "unchanged").all()


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_flow_keys_count_each_key_once_whatever_its_dimensions(data):
    """A key (source, target, material key, category) has a row per dimension (a
    material measured in tonnes in one network and in gigajoules in the other); the
    counts are of keys, as dropping repeated keys from the table gives them. The rows of a
    status, and their first few, are those the table holds."""
    firms = [("A", "firm"), ("B", "firm"), ("C", "firm"), ("LF", "disposal")]
    ids = [f[0] for f in firms]

    def flows(label):
        unit = {key: data.draw(st.sampled_from(["t", "GJ"]), label=f"{label} {key}")
                for key in ("slag", "ash")}  # fmt: skip
        rows = data.draw(st.lists(st.tuples(
            st.sampled_from(ids), st.sampled_from(ids), st.sampled_from(["slag", "Slag", "ash"]),
            st.sampled_from([1.0, 2.0, None]), st.sampled_from(["by-product", "waste"])),
            min_size=1, max_size=12, unique_by=lambda r: (r[:3], r[4])), label=label)  # fmt: skip
        rows = [(s, t, m, q, unit[m.lower()], c) for s, t, m, q, c in rows if s != t]
        return rows or [("A", "LF", "ash", 1.0, unit["ash"], "waste")]

    result = compare(network(flows("a"), firms), network(flows("b"), firms))
    expected = result.flows.drop_duplicates(list(FLOW_KEY))["status"].value_counts()
    assert result.flow_keys == {s: int(expected.get(s, 0)) for s in STATUSES}
    for status in STATUSES:
        rows = result.flows_with(status)
        assert len(rows) == int((result.flows["status"] == status).sum())
        assert (rows["status"] == status).all()
        pd.testing.assert_frame_equal(result.flows_with(status, 2), rows.head(2))


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_flow_changes_are_the_plain_group_sums_of_both_tables(data):
    """Each row is a (key, dimension) of either network with its totals, flows of unknown
    size and status, as grouping the two flow tables' texts gives them; the networks may
    list other firms, in other orders."""
    pool = ["A", "b", "B", "É", "铜", "9"]

    def side(label):
        ids = data.draw(st.lists(st.sampled_from(pool), min_size=2, unique=True), label=label)
        unit = {key: data.draw(st.sampled_from(["t", "GJ"]), label=f"{label} {key}")
                for key in ("slag", "ash")}  # fmt: skip
        flow = st.tuples(
            st.sampled_from(ids), st.sampled_from([*ids, "LF"]),
            st.sampled_from(["slag", "Slag", "ash"]), st.sampled_from([1.0, 2.5, None]),
            st.sampled_from(["by-product", "waste"]))  # fmt: skip
        flows = st.lists(flow, min_size=1, max_size=10, unique_by=lambda r: (r[:3], r[4]))
        rows = data.draw(flows, label=f"{label} flows")
        rows = [(s, t, m, q, unit[m.lower()], c) for s, t, m, q, c in rows if s != t]
        rows = rows or [(ids[0], "LF", "ash", 1.0, unit["ash"], "waste")]
        return network(rows, [(i, "firm") for i in ids] + [("LF", "disposal")])

    a, b = side("a"), side("b")
    table = flow_changes(a, b)
    key = ["source", "target", "material_key", "category", "dimension"]
    stacked = pd.concat([a.flows.assign(_side=0), b.flows.assign(_side=1)], ignore_index=True)
    stacked["dimension"] = stacked["dimension"].fillna("unknown")
    expected = {}
    for (*k, s), group in stacked.groupby([*key, "_side"], sort=False):
        known = group["value"].dropna()
        expected.setdefault(tuple(k), {})[s] = (known.sum() if len(known) else None,
                                                int(group["value"].isna().sum()))  # fmt: skip
    got = {tuple(r[c] for c in key): r for r in table.to_dict("records")}
    assert set(got) == set(expected)
    for k, row in got.items():
        for s, column in ((0, "a"), (1, "b")):
            total, unknown = expected[k].get(s, (None, 0))
            assert row[column] == pytest.approx(total) if total is not None else row[column] is None
            assert row[f"unknown_{column}"] == unknown
        first = stacked[(stacked[key] == pd.Series(k, index=key)).all(axis=1)].iloc[0]
        assert row["material"] == first["material"]
    keys = table.drop_duplicates(list(FLOW_KEY))
    in_a = set(map(tuple, a.flows[list(FLOW_KEY)].to_numpy()))
    in_b = set(map(tuple, b.flows[list(FLOW_KEY)].to_numpy()))
    for r in keys.itertuples(index=False):
        k = (r.source, r.target, r.material_key, r.category)
        assert (r.status == "added") == (k not in in_a)
        assert (r.status == "removed") == (k not in in_b)


# A smelter in three loops (through cement and a recycler, and through a power plant); the
# second network only adds flows, so it loses no loop (a tester's case, where the search
# bounded to 2 loops found other loops in each and reported SM -> CEM -> REC as gone).
LOOP_FIRMS = [("MINE", "extraction"), ("SM", "firm"), ("CEM", "firm"), ("REC", "recycling"),
              ("PWR", "utility"), ("IMP", "market"), ("LF", "disposal")]  # fmt: skip
LOOP_FLOWS = [
    ("MINE", "SM", "copper ore", 1000, "t", "product"),
    ("SM", "CEM", "copper slag", 400, "t", "by-product"),
    ("SM", "LF", "copper slag", 100, "t", "waste"),
    ("CEM", "REC", "kiln dust", 50, "t", "waste"),
    ("REC", "SM", "scrap", 150, "t", "by-product"),
    ("IMP", "PWR", "coal", 5000, "GJ", "product"),
    ("PWR", "SM", "electricity", 1000, "GJ", "product"),
    ("PWR", "CEM", "electricity", 500, "GJ", "product"),
    ("SM", "PWR", "waste heat", 300, "GJ", "by-product"),
]
LOOP_ADDED = [("PWR", "REC", "fly ash", 30, "t", "by-product"),
              ("SM", "REC", "copper slag", 100, "t", "by-product")]  # fmt: skip


@pytest.mark.parametrize("max_loops", [1, 2, 3])
def test_a_bounded_search_reports_no_loop_gone_that_is_still_there(max_loops):
    """Flows added remove no loop: when the bounded search of B finds other loops than
    that of A, a loop of A it did not reach is not 'only in A', since all its arcs are."""
    a = network(LOOP_FLOWS, LOOP_FIRMS)
    b = network(LOOP_FLOWS + LOOP_ADDED, LOOP_FIRMS)
    result = compare(a, b, options=Options(max_loops=max_loops))
    assert result.loops_only_in_a == ()
    assert set(result.loops_only_in_b) <= set(compare(a, b).loops_only_in_b)


def test_lost_loops_checks_the_arcs_only_when_the_search_was_cut():
    after = network(AFTER)  # has A -> B but no B -> A
    kept = network(BEFORE)
    loop = frozenset({("A", "B")})
    assert lost_loops(loop, kept, frozenset(), kept, complete=False) == ()
    assert lost_loops(loop, kept, frozenset(), kept, complete=True) == (("A", "B"),)
    assert lost_loops(loop, kept, frozenset(), after, complete=False) == (("A", "B"),)


def test_a_dimension_one_network_lacks_shows_zeros_and_undefined_shares():
    """A tester's case: B has no energy flow left; its energy indicators were '-' (None)
    and its changes too; now quantities and counts are 0, shares undefined, and the
    units of plain numbers (stages, sectors) are none."""
    a = network(LOOP_FLOWS, LOOP_FIRMS)
    b = network([f for f in LOOP_FLOWS if f[4] != "GJ"], LOOP_FIRMS)
    frame = compare(a, b).to_frame()
    generated = frame.loc[("energy", "generated")]
    assert generated["b"] == 0 and generated["difference"] == -generated["a"] < 0
    assert frame.loc[("energy", "loops"), "b"] == 0
    assert frame.loc[("energy", "reuse_share"), "b"] is None
    assert frame.loc[("energy", "chain_depth_mean"), "b"] is None
    assert frame.loc[("energy", "effective_sectors"), "unit"] == ""
    assert frame.loc[("mass", "chain_depth_mean"), "unit"] == ""
