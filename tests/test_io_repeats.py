"""The exact-repeat rule of flows.csv against the plain way: rows compared as tuples of
text, each repeat naming the first row it repeats; a row whose quantity says the number
of an earlier row's in other characters (６００, 600.0, 6e2, 1,200) repeats it too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis.errors import InputError
from symbiosis.io import repeats as repeats_module
from symbiosis.io.columns import encode, positions_in
from symbiosis.io.numbers import parse_numbers
from symbiosis.io.problems import Collector
from symbiosis.io.reading import text_table

_ENDPOINT = st.sampled_from(["A", "B", "C", "", "D"])  # C, D and "" are not firms
#: The numbers the quantity cells say, written out by hand (the oracle's own reading);
#: "", "x" and "-" say none.
_SAYS = {"600": 600, "６００": 600, "600.0": 600, "6e2": 600, "+600": 600, "600 ": 600,
         "1,200": 1200, "1200": 1200, "１，２００": 1200, "0": 0, "-0": 0, "0.0": 0}  # fmt: skip
_ROW = st.tuples(
    _ENDPOINT,
    _ENDPOINT,
    st.sampled_from(["x", "y"]),
    st.sampled_from(["p", "w"]),
    st.sampled_from(["t", "kt"]),
    st.sampled_from([*_SAYS, "", "x", "-"]),
    st.sampled_from(["1", "2", ""]),
)
_NAMES = ("source", "target", "material", "category", "unit", "quantity", "note")


def _repeats(rows: list[tuple]) -> list[tuple[int, str]]:
    """The plain way: a row equal to an earlier one as text repeats the first such
    exactly; else a row equal to an earlier one but for the quantity, which says the same
    number, repeats the first such (a quantity saying no number is its text)."""
    first: dict[tuple, int] = {}
    saying: dict[tuple, int] = {}
    found = []
    for i, row in enumerate(rows):
        if row in first:
            found.append((i + 2, f"row repeats row {first[row] + 2} exactly"))
            continue
        first[row] = i
        says = ("number", _SAYS[row[5]]) if row[5] in _SAYS else ("text", row[5])
        meant = (*row[:5], says, *row[6:])
        if meant in saying:
            found.append((i + 2, f"row repeats row {saying[meant] + 2} with its quantity "
                                 "written otherwise"))  # fmt: skip
        else:
            saying[meant] = i
    return sorted(found)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ROW, max_size=30), st.booleans())
def test_repeated_rows_are_those_the_plain_way_finds(rows, narrow):
    """Also with the combined key renumbered at every step (a tiny key limit). The
    quantities as the flows' rule parses them."""
    columns = [(name, [row[k] for row in rows]) for k, name in enumerate(_NAMES)]
    table = text_table("flows.csv", columns, np.arange(2, len(rows) + 2))
    source, target = table.column("source"), table.column("target")
    _, source_at, target_at = positions_in(pa.array(["A", "B"]), source, target)
    encoded = tuple(encode(table.column(name)) for name in ("material", "category", "unit"))
    quantity = parse_numbers(table, "quantity", Collector())
    found = Collector()
    limit = repeats_module._KEY_LIMIT
    repeats_module._KEY_LIMIT = 4 if narrow else limit
    try:
        repeats_module.check_repeated_rows(
            table, (source_at, target_at), encoded, found, quantity=quantity
        )
    finally:
        repeats_module._KEY_LIMIT = limit
    said = sorted((p.row, p.message.split(":")[0]) for p in found.problems)
    assert said == _repeats(rows)


# ------------------------------------------------------------ the same flow in another unit

_FACTOR = {"t": 1.0, "kt": 1e3}
_SIZED = st.tuples(
    st.sampled_from(["A", "B"]),
    st.sampled_from(["A", "B"]),
    st.sampled_from(["x", "y"]),
    st.sampled_from(["p", "w"]),
    st.sampled_from(["t", "kt"]),
    st.sampled_from(["1000", "1", "1.005", "2", ""]),
    st.sampled_from(["", "n"]),
)
_SIZED_NAMES = ("source", "target", "material", "category", "unit", "quantity", "note")


def _in_other_units(rows: list[tuple]) -> list[tuple[int, str]]:
    """The plain way: each row that is no exact repeat, in another unit than the first
    row of the same flow (every cell but unit and quantity), with the same converted
    quantity within 1 %."""
    first: dict[tuple, int] = {}
    seen: set[tuple] = set()
    found = []
    for i, row in enumerate(rows):
        if row in seen:
            continue  # an exact repeat, said as such
        seen.add(row)
        flow = row[:4] + row[6:]
        j = first.setdefault(flow, i)
        if j == i or rows[j][4] == row[4] or "" in (rows[j][5], row[5]):
            continue
        here, there = float(row[5]) * _FACTOR[row[4]], float(rows[j][5]) * _FACTOR[rows[j][4]]
        if abs(here - there) <= 0.01 * abs(there):
            found.append((i + 2, f"row repeats row {j + 2} in another unit"))
    return found


@settings(max_examples=300, deadline=None)
@given(st.lists(_SIZED, max_size=25))
def test_rows_in_another_unit_are_those_the_plain_way_finds(rows):
    columns = [(name, [row[k] for row in rows]) for k, name in enumerate(_SIZED_NAMES)]
    table = text_table("flows.csv", columns, np.arange(2, len(rows) + 2))
    source, target = table.column("source"), table.column("target")
    _, source_at, target_at = positions_in(pa.array(["A", "B"]), source, target)
    encoded = tuple(encode(table.column(name)) for name in ("material", "category", "unit"))
    value = np.array(
        [float(row[5]) * _FACTOR[row[4]] if row[5] else np.nan for row in rows], dtype=float
    )
    found = Collector()
    repeats_module.check_repeated_rows(table, (source_at, target_at), encoded, found, value)
    said = [(p.row, p.message.split(":")[0]) for p in found.problems if "another unit" in p.message]
    assert said == _in_other_units(rows)


def _flows(tmp_path, rows: str):
    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category,year\n" + rows, encoding="utf-8"
    )
    return tmp_path / "flows.csv"


def test_the_tester_s_district_heat_in_two_units_is_refused(tmp_path):
    """15,000,000 GJ/a and 4,170 GWh (15,012,000 GJ) of one flow: counted twice, without
    a word, where an exact repeat is refused."""
    path = _flows(tmp_path, "P,CITY,district heat,15000000,GJ/a,product,2020\n"
                  "P,CITY,district heat,4170,GWh,product,2020\n")  # fmt: skip
    with pytest.raises(InputError) as caught:
        symbiosis.load(path)
    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (3, "unit")
    assert problem.message == (
        "row repeats row 2 in another unit: '4170' GWh is '15000000' GJ/a (within 1%)"
    )
    assert problem.hint.startswith("delete one of the two, or if both are real add a column")


@pytest.mark.parametrize(
    "second",
    [
        "P,CITY,district heat,4170,GWh,product,2021",  # another year: another flow
        "P,CITY,district heat,4170,GWh,by-product,2020",  # another category
        "P,SHOP,district heat,4170,GWh,product,2020",  # another target
        "P,CITY,district heat,4170,GJ,product,2020",  # the same unit: two flows
    ],
)
def test_other_flows_are_left_alone(tmp_path, second):
    path = _flows(tmp_path, f"P,CITY,district heat,15000000,GJ/a,product,2020\n{second}\n")
    network = symbiosis.load(path, warn=False)
    assert not [w for w in network.warnings if "another unit" in w]


def test_another_quantity_in_another_unit_is_warned(tmp_path):
    path = _flows(tmp_path, "P,CITY,district heat,15000000,GJ/a,product,2020\n"
                  "P,CITY,district heat,1000,GWh,product,2020\n")  # fmt: skip
    network = symbiosis.load(path, warn=False)
    assert [w.split(": ", 1)[1] for w in network.warnings if "another unit" in w] == [
        "1 row(s) give the flow of an earlier row in another unit, with another quantity "
        "(row 3 in 'GWh', row 2 in 'GJ/a'); both are counted: if one repeats the other, "
        "delete it"
    ]


def test_an_exact_repeat_of_the_second_unit_is_said_once(tmp_path):
    path = _flows(tmp_path, "P,CITY,slag,1000,t,waste,2020\nP,CITY,slag,1,kt,waste,2020\n"
                  "P,CITY,slag,1,kt,waste,2020\n")  # fmt: skip
    with pytest.raises(InputError) as caught:
        symbiosis.load(path)
    assert [(p.row, p.message) for p in caught.value.problems] == [
        (3, "row repeats row 2 in another unit: '1' kt is '1000' t (within 1%)"),
        (4, "row repeats row 3 exactly"),
    ]


def test_a_power_read_as_running_all_year_is_warned(tmp_path):
    """A tester's 500 MW was 15.8 PJ a year, without a note; an analyst often means a
    capacity."""
    path = _flows(tmp_path, "P,MINE,electricity,500,MW,product,2020\n"
                  "P,CITY,electricity,100,MWh,product,2020\n")  # fmt: skip
    network = symbiosis.load(path, warn=False)
    assert [w.split(": ", 1)[1] for w in network.warnings if "a power" in w] == [
        "1 flow(s) give a power, not an energy (row 2): read as running all year at full "
        "load, 8,766 h ('500' MW is 15,778,800 GJ); if it is a capacity, give the energy "
        "delivered in the year instead (MWh, GWh or GJ)"
    ]
    path.write_text(path.read_text().replace(",MW,", ",MWh/h,"), encoding="utf-8")
    assert not [w for w in symbiosis.load(path, warn=False).warnings if "a power" in w]


# ------------------------------------------------------- the quantity written otherwise

JP_FIRMS = "id,name,role\nJFE,JFEスチール,企業\nDC,デイ・シイ,工場\nUME,浮島埋立地,埋立地\n"


@pytest.mark.parametrize(
    ("first", "second", "separated"),
    [
        ("６００", "600", 0),  # tester14's Kawasaki file: full-width digits
        ("600", "600.0", 0),
        ("600", "6e2", 0),
        ("1200", '"1,200"', 1),  # refused for its separator too
        ('"１，２００"', "1200", 1),
    ],
)
def test_a_quantity_written_otherwise_in_one_unit_is_refused(tmp_path, first, second, separated):
    """The Kawasaki file gave JFE -> DC 600 千トン of blast furnace slag twice, once in
    full-width digits: counted twice, where the same row in ASCII was refused."""
    (tmp_path / "firms.csv").write_text(JP_FIRMS, encoding="utf-8")
    (tmp_path / "flows.csv").write_text(
        "source,target,material,quantity,unit,category\n"
        f"JFE,DC,高炉スラグ,{first},千トン,副産物\nJFE,UME,製鋼スラグ,5,万トン,廃棄物\n"
        f"JFE,DC,高炉スラグ,{second},千トン,副産物\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        symbiosis.load(tmp_path)
    repeat = [p for p in caught.value.problems if "repeats" in p.message]
    assert [(Path(p.file).name, p.row, p.column) for p in repeat] == [("flows.csv", 4, "quantity")]
    assert repeat[0].message == (
        f"row repeats row 2 with its quantity written otherwise: '{second.strip(chr(34))}' is "
        f"'{first.strip(chr(34))}'"
    )
    assert repeat[0].hint.startswith("delete one of the two, or if both are real add a column")
    assert len(caught.value.problems) == 1 + separated  # and the separator


def test_decimal_commas_and_points_of_one_number_repeat(tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text("source;target;material;quantity;unit;category\n"
                    "P;CITY;slag;1,5;kt;waste\nP;CITY;slag;1.5;kt;waste\n"
                    "P;CITY;slag;1,6;kt;waste\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError) as caught:
        symbiosis.load(path)
    assert [(p.row, p.message) for p in caught.value.problems] == [
        (3, "row repeats row 2 with its quantity written otherwise: '1.5' is '1,5'")
    ]


@pytest.mark.parametrize(
    "second",
    [
        "P,CITY,slag,601,t,waste,2020",  # another number
        "P,CITY,slag,600,t,waste,2021",  # another year
        "P,CITY,slag,,t,waste,2020",  # a link of unknown size
    ],
)
def test_other_quantities_in_one_unit_are_two_flows(tmp_path, second):
    path = _flows(tmp_path, f"P,CITY,slag,６００,t,waste,2020\n{second}\n")
    assert len(symbiosis.load(path, warn=False).flows) == 2


def test_a_repeat_written_otherwise_is_not_said_again_in_another_unit(tmp_path):
    path = _flows(tmp_path, "P,CITY,slag,1,kt,waste,2020\nP,CITY,slag,1000,t,waste,2020\n"
                  "P,CITY,slag,1000.0,t,waste,2020\n")  # fmt: skip
    with pytest.raises(InputError) as caught:
        symbiosis.load(path)
    assert [(p.row, p.column, p.message) for p in caught.value.problems] == [
        (3, "unit", "row repeats row 2 in another unit: '1000' t is '1' kt (within 1%)"),
        (4, "quantity", "row repeats row 3 with its quantity written otherwise: '1000.0' is "
         "'1000'"),
    ]  # fmt: skip
