"""Networks per year and the headline indicators per year, on a park accounted by hand."""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbiosis import from_frames
from symbiosis.analysis.indicators import indicators
from symbiosis.analysis.reuse import reuse_accounts
from symbiosis.analysis.trends import (
    HEADLINE_INDICATORS,
    HEADLINE_NETWORK_INDICATORS,
    LINK_COLUMNS,
    OPTIONAL_INDICATORS,
    headline,
    link_changes,
    split_years,
    trends,
)
from symbiosis.examples import example_path
from symbiosis.io import load

from .reuse_networks import random_frames

PROPERTY = settings(max_examples=10, deadline=None)
COLUMNS = ["source", "target", "material", "quantity", "unit", "category", "year"]
FIRMS = pd.DataFrame(
    [("A", "firm"), ("B", "firm"), ("C", "firm"), ("MKT", "market"), ("LF", "disposal")],
    columns=["id", "role"],
)
# A smelter A, a wire plant B and a cement plant C over three years. By hand, per year
# (t): by-products and waste leaving actors = generated; those to another actor = reused.
#   2019: generated 100 + 300 + 50 = 450, reused 100 + 50 = 150, share 1/3
#   2020: generated 200 + 200 + 50 + 20 = 470, reused 270, share 27/47
#   2021: generated 400 + 100 + 20 + 10 = 530, reused 430, share 43/53
# Links: 2020 adds B -> C dust; 2021 adds C -> A cinder and drops B -> A scrap ("Slag" is
# "slag": no change). Loops: A-B in 2019 and 2020; A-B-C replaces it in 2021.
FLOWS = [
    ("A", "B", "slag", 100, "t", "by-product", 2019),
    ("A", "LF", "slag", 300, "t", "waste", 2019),
    ("B", "A", "scrap", 50, "t", "by-product", 2019),
    ("B", "MKT", "wire", 500, "t", "product", 2019),
    ("A", "B", "slag", 200, "t", "by-product", 2020),
    ("A", "LF", "slag", 200, "t", "waste", 2020),
    ("B", "A", "scrap", 50, "t", "by-product", 2020),
    ("B", "MKT", "wire", 500, "t", "product", 2020),
    ("B", "C", "dust", 20, "t", "by-product", 2020),
    ("A", "B", "Slag", 400, "t", "by-product", 2021),
    ("A", "LF", "slag", 100, "t", "waste", 2021),
    ("B", "C", "dust", 20, "t", "by-product", 2021),
    ("C", "A", "cinder", 10, "t", "by-product", 2021),
    ("B", "MKT", "wire", 500, "t", "product", 2021),
]


def park(rows=FLOWS):
    return from_frames(FIRMS, pd.DataFrame(rows, columns=COLUMNS))


@pytest.fixture(scope="module")
def three_years():
    return trends(park())


def value(result, year, dimension, indicator):
    return result.indicators[result.years.index(year)].value(dimension, indicator)


# --------------------------------------------------------------------------- the split


def test_split_keeps_each_year_s_rows_in_file_order():
    network = park()
    split = split_years(network)
    assert split.years == (2019, 2020, 2021)
    assert [n.n_flows for n in split.networks.values()] == [4, 5, 5]
    assert split.networks[2021].flows["row"].tolist() == [11, 12, 13, 14, 15]
    assert split.undated == 0 and split.warnings == ()
    assert all(year.firms.index.equals(network.firms.index) for year in split.networks.values())


def test_years_are_sorted_whatever_the_file_order():
    split = split_years(park(list(reversed(FLOWS))))
    assert split.years == (2019, 2020, 2021)
    assert split.networks[2019].flows["material"].tolist() == ["wire", "scrap", "slag", "slag"]


def test_a_flow_without_a_year_counts_in_every_year_and_is_warned_about():
    rows = [*FLOWS[:4], ("C", "LF", "dust", 7, "t", "waste", None), *FLOWS[4:9]]
    split = split_years(park(rows))
    assert split.years == (2019, 2020) and split.undated == 1
    for network in split.networks.values():
        assert "C" in set(network.flows["source"])
    assert split.networks[2019].flows["row"].tolist() == [2, 3, 4, 5, 6]  # file order kept
    assert split.warnings == (
        "1 flows have no year: they are counted in every year (2019, 2020); give each flow "
        "its year if that is not what they mean",
    )
    result = trends(park(rows))
    assert result.warnings == split.warnings and result.undated == 1
    assert result.flows == (5, 6)


def test_a_network_without_years_is_one_undated_period():
    network = park([(*r[:6], None) for r in FLOWS[:4]])  # a year column, all empty
    assert split_years(network).years == (None,)
    tongling = load(example_path("tongling"))
    split = split_years(tongling)
    assert split.years == (None,) and split.networks[None] is tongling


# --------------------------------------------------------------------------- indicators


def test_reuse_per_year_is_the_hand_count(three_years):
    for year, generated, reused, disposed in (
        (2019, 450, 150, 300),
        (2020, 470, 270, 200),
        (2021, 530, 430, 100),
    ):
        assert value(three_years, year, "mass", "generated") == pytest.approx(generated)
        assert value(three_years, year, "mass", "reused") == pytest.approx(reused)
        assert value(three_years, year, "mass", "disposed") == pytest.approx(disposed)
        assert value(three_years, year, "mass", "emitted") == 0
        assert value(three_years, year, "mass", "reuse_share") == pytest.approx(reused / generated)
    assert [value(three_years, y, "all", "actors") for y in three_years.years] == [2, 3, 3]


def test_finn_cycling_and_cycled_throughflow_of_2019_by_hand(three_years):
    """2019: throughflow (max of in and out) A = 400, B = 550, TST = 950. The one cycle
    A -> B -> A returns a fraction p = (100/400)(50/550) of what leaves A, so n_ii =
    1/(1-p) on both and TST_c = p (400 + 550) (Finn 1976), FCI = p."""
    p = (100 / 400) * (50 / 550)
    assert value(three_years, 2019, "mass", "total_system_throughflow") == pytest.approx(950)
    assert value(three_years, 2019, "mass", "finn_cycling_index") == pytest.approx(p)
    assert value(three_years, 2019, "mass", "cycled_throughflow") == pytest.approx(950 * p)
    assert [value(three_years, y, "all", "cores") for y in three_years.years] == [1, 1, 1]
    assert [value(three_years, y, "all", "loops") for y in three_years.years] == [1, 1, 1]


def test_links_and_loops_that_appeared_and_vanished(three_years):
    first, second = three_years.changes
    assert (first.start, first.end, second.start, second.end) == (2019, 2020, 2020, 2021)
    assert first.appeared.values.tolist() == [["B", "C", "dust"]]
    assert first.vanished.empty and not first.loops_appeared and not first.loops_vanished
    assert second.appeared.values.tolist() == [["C", "A", "cinder"]]
    assert second.vanished.values.tolist() == [["B", "A", "scrap"]]
    assert second.loops_appeared == (("A", "B", "C"),)
    assert second.loops_vanished == (("A", "B"),)
    assert first.loops_complete and second.loops_complete
    assert three_years.notes == ()


def test_frame_and_dict_hold_every_year(three_years):
    frame = three_years.to_frame()
    assert list(frame.columns) == ["unit", "2019", "2020", "2021"]
    assert frame.loc[("mass", "reuse_share"), "2020"] == pytest.approx(27 / 47)
    assert frame.loc[("mass", "generated"), "unit"] == "t/yr"
    expected = [("all", i) for i in HEADLINE_NETWORK_INDICATORS]
    shown = [i for i in HEADLINE_INDICATORS if i not in OPTIONAL_INDICATORS]  # no register
    assert list(frame.index) == expected + [("mass", i) for i in shown]
    data = three_years.to_dict()
    assert data["years"] == [2019, 2020, 2021]
    assert data["per_year"][2]["values"]["mass"]["reuse_share"] == pytest.approx(43 / 53)
    assert data["changes"][1]["links_vanished"] == [
        {"source": "B", "target": "A", "material": "scrap"}
    ]


def test_one_year_says_there_is_nothing_to_compare():
    result = trends(park(FLOWS[4:9]))
    assert result.years == (2020,) and result.changes == ()
    assert result.notes == ("one year only (2020): nothing to compare",)


def test_tongling_has_no_years_and_says_so():
    result = trends(load(example_path("tongling")))
    assert result.years == (None,) and result.labels == ("undated",)
    assert result.notes[0].startswith("the flows have no year: one period")


def test_a_dimension_missing_in_a_year_leaves_its_cells_empty():
    rows = [*FLOWS[:4], ("A", "B", "steam", 5, "GJ", "by-product", 2020), *FLOWS[4:9]]
    frame = trends(park(rows)).to_frame()
    assert frame.loc[("energy", "reused"), "2019"] is None
    assert frame.loc[("energy", "reused"), "2020"] == pytest.approx(5)


# --------------------------------------------------------------------------- properties


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@PROPERTY
@given(random_frames(), st.integers(1990, 2030))
def test_trends_of_a_single_year_is_the_plain_analysis(frames, year):
    firms, flows = frames
    plain = from_frames(firms, flows)
    dated = from_frames(firms, flows.assign(year=year))
    result = trends(dated)
    assert result.years == (year,) and result.changes == ()
    per_year = result.indicators[0].table
    base = indicators(plain).table
    merged = base.merge(per_year, on=["dimension", "indicator"], suffixes=("", "_year"))
    assert len(merged) == len(base)  # every plain indicator is there, with the same value
    for row in merged.itertuples():
        assert _same(row.value, row.value_year), (row.dimension, row.indicator)
    accounts = reuse_accounts(plain).network.set_index("dimension")["emitted"]
    for dimension, emitted in accounts.items():  # unknown (None) without a known size
        expected = float(emitted) if dimension in plain.sized_dimensions else None
        assert _same(result.indicators[0].value(dimension, "emitted"), expected)
    assert headline(plain).table.equals(per_year)


@PROPERTY
@given(random_frames(), st.lists(st.sampled_from([2019, 2020, 2021, None]), min_size=25))
def test_the_split_partitions_the_dated_flows(frames, years):
    firms, flows = frames
    flows = flows.assign(year=years[: len(flows)])
    network = from_frames(firms, flows)
    split = split_years(network)
    undated = network.flows["year"].isna().to_numpy()
    seen = np.zeros(network.n_flows, dtype=int)
    for year, part in split.networks.items():
        rows = part.flows["row"].to_numpy() - 2
        assert (np.diff(rows) > 0).all()  # file order
        if year is not None:
            assert set(network.flows["year"].iloc[rows].dropna()) <= {year}
        seen[rows] += 1
    assert split.undated == int(undated.sum())
    if split.years != (None,):
        assert (seen[~undated] == 1).all() and (seen[undated] == len(split.years)).all()


# --------------------------------------------------------------------------- at scale


CORE_FIELDS = ("ids", "names", "role_code", "sector_code", "sectors", "source", "target",
               "value", "dimension", "unit_dimension", "category", "material_code",
               "materials", "material_key_code", "material_keys")  # fmt: skip


@PROPERTY
@given(random_frames(), st.lists(st.sampled_from([2019, 2020, 2021, None]), min_size=25))
def test_each_year_s_core_is_the_one_its_own_tables_encode(frames, years):
    """A year's core is cut from the network's (no string hashed again): the same arrays,
    codes and vocabularies as encoding that year's tables afresh."""
    from symbiosis.core import Core

    firms, flows = frames
    network = from_frames(firms, flows.assign(year=years[: len(flows)]))
    for part in split_years(network).networks.values():
        cut, encoded = part.core, Core.from_tables(part.firms, part.flows)
        for name in CORE_FIELDS:
            a, b = getattr(cut, name), getattr(encoded, name)
            assert a.dtype == b.dtype, name
            np.testing.assert_array_equal(a, b, err_msg=name)


def test_the_dict_lists_the_first_links_and_counts_them_all():
    rows = [("A", "B", "slag", 100, "t", "by-product", 2019),
            ("A", "B", "slag", 100, "t", "by-product", 2020),
            ("B", "C", "dust", 20, "t", "by-product", 2020),
            ("A", "C", "ash", 5, "t", "waste", 2020),
            ("C", "A", "cinder", 10, "t", "by-product", 2020)]  # fmt: skip
    result = trends(park(rows))
    change = result.changes[0]  # 3 links appeared, none vanished
    full = change.to_dict(limit=None)
    assert full["rows"] == {"links_appeared": 3, "links_vanished": 0}
    assert [(r["source"], r["target"]) for r in full["links_appeared"]] == [
        ("A", "C"), ("B", "C"), ("C", "A")]  # fmt: skip
    two = change.to_dict(limit=2)
    assert two["links_appeared"] == full["links_appeared"][:2]
    assert two["rows"] == full["rows"]
    assert change.to_dict(limit=0)["links_appeared"] == []
    assert result.to_dict(limit=2)["changes"][0] == two
    assert result.to_dict()["changes"][0] == full  # the default lists 1,000


# --------------------------------------------------------------------------- link changes

LINK_IDS = ["A", "B", "b", "Z", "Ä", "ä", "10", "9"]
LINK_MATERIALS = ["slag", "Slag", "slags", "dust", "Dust", "fly ash", "Fly-ash", "ash"]


@st.composite
def linked_networks(draw):
    """A network of a few firms (ids of mixed case, accents and digits, listed in a random
    order, some without flows) whose flows name materials several ways."""
    triples = st.tuples(*[st.sampled_from(LINK_IDS)] * 2, st.sampled_from(LINK_MATERIALS))
    rows = draw(st.lists(triples, min_size=1, max_size=15))
    flows = pd.DataFrame(
        [(s, t, m, 1.0, "t", "by-product") for s, t, m in rows], columns=COLUMNS[:-1]
    ).drop_duplicates()
    extra = draw(st.lists(st.sampled_from(LINK_IDS), max_size=3))
    ids = list(dict.fromkeys([*extra, *flows["source"], *flows["target"]]))
    return from_frames(pd.DataFrame({"id": ids, "role": "firm"}), flows)


def plain_link_changes(before, after):
    """The definition on the text columns: links keyed by (source, target, material key),
    named by their first flow, compared as sets, sorted by their texts."""

    def links(network):
        flows = network.flows.drop_duplicates(["source", "target", "material_key"])
        return flows.set_index(["source", "target", "material_key"])["material"]

    def only(one, other):
        kept = one[~one.index.isin(other.index)].reset_index()[list(LINK_COLUMNS)]
        return kept.sort_values(list(LINK_COLUMNS)).reset_index(drop=True)

    first, second = links(before), links(after)
    return only(second, first), only(first, second)


@PROPERTY
@given(linked_networks(), linked_networks())
def test_link_changes_between_networks_of_other_firms_are_the_plain_ones(before, after):
    for got, expected in zip(link_changes(before, after), plain_link_changes(before, after),
                             strict=True):  # fmt: skip
        pd.testing.assert_frame_equal(got, expected)


@PROPERTY
@given(random_frames(), st.lists(st.sampled_from([2019, 2020, 2021, None]), min_size=25))
def test_year_changes_are_the_plain_link_changes(frames, years):
    firms, flows = frames
    network = from_frames(firms, flows.assign(year=years[: len(flows)]))
    parts = list(split_years(network).networks.values())
    for change, (before, after) in zip(trends(network).changes, pairwise(parts), strict=True):
        expected = plain_link_changes(before, after)
        pd.testing.assert_frame_equal(change.appeared, expected[0])
        pd.testing.assert_frame_equal(change.vanished, expected[1])


def test_changed_links_are_sorted_by_their_texts_not_their_order_of_appearance():
    firms = pd.DataFrame({"id": ["Ä", "b", "B", "LF"], "role": ["firm"] * 3 + ["disposal"]})
    flows = [("Ä", "b", "slag"), ("b", "B", "ash"), ("B", "Ä", "dust"), ("B", "b", "slag"),
             ("B", "b", "ash")]  # fmt: skip
    before = from_frames(firms, pd.DataFrame([("B", "LF", "slag", 1, "t", "waste")],
                                             columns=COLUMNS[:-1]))  # fmt: skip
    after = from_frames(firms, pd.DataFrame([(*f, 1, "t", "by-product") for f in flows],
                                            columns=COLUMNS[:-1]))  # fmt: skip
    appeared, vanished = link_changes(before, after)
    assert appeared.values.tolist() == [["B", "b", "ash"], ["B", "b", "slag"],
                                        ["B", "Ä", "dust"], ["b", "B", "ash"],
                                        ["Ä", "b", "slag"]]  # fmt: skip
    assert vanished.values.tolist() == [["B", "LF", "slag"]]


def test_the_opportunity_count_beside_the_passes_gives_the_same_headline(monkeypatch):
    """From PARALLEL_FLOWS flows on, the count runs on a second thread beside the passes:
    the same indicators as one after the other (forced here on the years example)."""
    import threading

    import symbiosis._threads
    from symbiosis._threads import one_thread
    from symbiosis.analysis import trends as trends_module

    network = load(example_path("years"))
    with one_thread():
        in_turn = trends(network)
    monkeypatch.setattr(symbiosis._threads, "PARALLEL_FLOWS", 0)
    counted_in: list[str] = []
    count = trends_module._count

    def recorded(*args):
        counted_in.append(threading.current_thread().name)
        return count(*args)

    monkeypatch.setattr(trends_module, "_count", recorded)
    threaded = trends(network)
    assert counted_in and all(name != "MainThread" for name in counted_in)
    for one, other in zip(in_turn.indicators, threaded.indicators, strict=True):
        pd.testing.assert_frame_equal(one.table, other.table)
    assert in_turn.to_dict() == threaded.to_dict()
