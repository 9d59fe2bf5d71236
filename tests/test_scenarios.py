"""Scenario files: parsing with line numbers, applying edits and shocks, indicators
before and after, loops opened and closed, and the reversibility of edits."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import symbiosis
from symbiosis import FlowNetwork, InputError, SymbiosisWarning, from_frames
from symbiosis import edits as ed
from symbiosis.scenarios import (
    apply_scenario,
    compare_networks,
    compare_scenarios,
    indicators,
    parse_scenario,
    read_scenario,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "tongling"
COLUMNS = ["source", "target", "material", "quantity", "unit", "category"]


def network_of(rows, roles) -> FlowNetwork:
    firms = pd.DataFrame({"id": list(roles), "role": list(roles.values())})
    return from_frames(firms, pd.DataFrame(rows, columns=COLUMNS))


@pytest.fixture(scope="module")
def works() -> FlowNetwork:
    """A smelter and a cement plant that trade slag and limestone (one loop)."""
    return network_of(
        [
            ("MINE", "SM", "ore", 100, "t", "product"),
            ("SM", "CEM", "slag", 30, "t", "by-product"),
            ("SM", "LF", "slag", 20, "t", "waste"),
            ("CEM", "SM", "limestone", 5, "t", "product"),
            ("SM", "MKT", "metal", 50, "t", "product"),
            ("CEM", "MKT", "cement", 40, "t", "product"),
            ("SM", "AIR", "SO2", 1, "t", "emission"),
        ],
        {
            "MINE": "mine",
            "SM": "firm",
            "CEM": "firm",
            "BM": "recycling",
            "MKT": "market",
            "LF": "landfill",
            "AIR": "air",
        },
    )


def problems_of(error: InputError) -> list[str]:
    return [str(p) for p in error.problems]


# ---------------------------------------------------------------------- reading


def test_tables_and_keys_are_located_by_line(works):
    text = """title = "two redirects"

# the first one is fine
[[redirect]]
source = "SM"
target = "LF"
material = "slag"
to = "BM"

[[redirect]]
source = "SM"
target = "MKT"
material = "metal"
to = "CEMENT"
"""
    scenario = parse_scenario(text, file="s.toml")
    assert scenario.title == "two redirects" and len(scenario.edits) == 2
    with pytest.raises(InputError) as caught:
        apply_scenario(works, scenario)
    assert problems_of(caught.value) == [
        "s.toml:14: to: [[redirect]] #2: unknown firm 'CEMENT'; did you mean 'CEM'?; "
        "check the id in firms.csv"
    ]


def test_every_problem_is_reported_at_once_with_its_line(works):
    text = """[[scale_flow]]
source = "SM"
target = "CEM"
material = "slag"
factor = -1

[[remove_flow]]
source = "SM"
target = "CEM"
material = "copper"

[[shock]]
firm = "MINEX"
change = -0.5
"""
    with pytest.raises(InputError) as caught:
        apply_scenario(works, parse_scenario(text, file="s.toml"))
    assert problems_of(caught.value) == [
        "s.toml:5: factor: [[scale_flow]] #1: -1 is not a finite number >= 0; "
        "give a factor >= 0 (0.5 halves the flow, 0 stops it)",
        "s.toml:10: material: [[remove_flow]] #1: no flow SM -> CEM of 'copper'; "
        "SM -> CEM carries 'slag': give one of these as material",
        "s.toml:13: firm: [[shock]] #1: unknown firm 'MINEX'; did you mean 'MINE'?; "
        "check the id in firms.csv",
    ]


def test_a_firm_named_by_its_name_is_told_its_id():
    named = from_frames(
        pd.DataFrame({"id": ["SM", "CEM"], "name": ["Jinguan smelter", "Conch cement"]}),
        pd.DataFrame([("SM", "CEM", "slag", 30, "t", "by-product")], columns=COLUMNS),
    )
    text = '[[shock]]\nfirm = "Jinguan Smelter"\nchange = -0.5\n'
    with pytest.raises(InputError) as caught:
        apply_scenario(named, parse_scenario(text, file="s.toml"))
    assert problems_of(caught.value) == [
        "s.toml:2: firm: [[shock]] #1: unknown firm 'Jinguan Smelter'; "
        "the name of SM: give its id; check the id in firms.csv"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[redirect]\nsource = "SM"\n', "s.toml:1: not valid TOML"),
        (  # at the end of the document: at the last line that is not blank
            '[[shock]]\nfirm = "SM"\nchange = [-1,\n\n',
            "s.toml:3: not valid TOML: invalid value at the end of the file",
        ),
        ('title = "x"\n\n[[move]]\nid = "SM"\n', "s.toml:3: move: unknown table; use add_firm"),
        ('[[remove_firm]]\nname = "SM"\n', "s.toml:2: name: [[remove_firm]] #1: unknown key"),
        ("[[remove_firm]]\n", "s.toml:1: id: [[remove_firm]] #1: required key is missing"),
        ('[[shock]]\nfirm = "SM"\nchange = 0.5\n', "s.toml:3: change: [[shock]] #1: 0.5 is not"),
        ('[[shock]]\nfirm = "SM"\nchange = -1\ndimension = "heat"\n', "s.toml:4: dimension"),
        ('[[shock]]\nfirm = "SM"\n', "s.toml:1: change: [[shock]] #1: required key is missing"),
        ('title = "nothing"\n', "s.toml: holds no edit and no shock"),
        ("title = 3\n[[remove_firm]]\nid = 'SM'\n", "s.toml:1: title: must be a text"),
        (  # the shock model: a top-level key, located at its line
            'title = "x"\nmodel = "ghosh"\n[[shock]]\nfirm = "SM"\nchange = -1\n',
            "s.toml:2: model: unknown shock model 'ghosh'; write model = \"leontief\"",
        ),
        (
            'remove_firm = [{id = "SM"}, {name = "x"}]\n',
            "s.toml:1: name: [[remove_firm]] #2: unknown key",
        ),
        # a plain [table] written for an array of tables: the line of its header
        ('title = "x"\n\n[shock]\nfirm = "SM"\nchange = -0.5\n', "s.toml:3: shock: must be"),
        ('\n\n[redirect]\nsource = "SM"\n', "s.toml:3: redirect: write it as [[redirect]]"),
    ],
)
def test_structural_problems_name_the_line(text, expected):
    with pytest.raises(InputError) as caught:
        parse_scenario(text, file="s.toml")
    assert any(p.startswith(expected) for p in problems_of(caught.value)), problems_of(caught.value)
    assert all("; " in p for p in problems_of(caught.value)), "every problem says what to do"


def test_the_shock_model_is_read_from_the_file():
    text = '[[shock]]\nfirm = "SM"\nchange = -1\n'
    assert parse_scenario(text, file="s.toml").model == "leontief"
    scenario = parse_scenario('model = "proportional"\n' + text, file="s.toml")
    assert scenario.model == "proportional" and scenario.to_dict()["model"] == "proportional"


def test_header_lines_inside_multiline_strings_are_not_tables():
    text = '''description = """
[[redirect]]
"""

[[remove_firm]]
id = 5
'''
    scenario = parse_scenario(text, file="s.toml")
    assert scenario.places["remove_firm #1"].line == 5
    assert "redirect #1" not in scenario.places


def test_files_that_cannot_be_read(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_scenario(tmp_path / "missing.toml")
    with pytest.raises(InputError, match="is a folder"):
        read_scenario(tmp_path)
    latin = tmp_path / "latin.toml"
    latin.write_bytes(b'title = "ok"\n# caf\xe9\n')
    with pytest.raises(InputError) as caught:
        read_scenario(latin)
    assert problems_of(caught.value) == [f"{latin}:2: is not UTF-8 text; save the file as UTF-8"]
    good = tmp_path / "plant.toml"
    good.write_text('\ufeff[[remove_firm]]\nid = "SM"\n', encoding="utf-8")
    assert read_scenario(good).name == "plant"


def test_links_and_pipes_as_scenario_files_are_named_so(tmp_path):
    """Found by fuzzing: a loop of links said "no such file", and a FIFO blocked the read
    for ever (/dev/zero would have filled the memory)."""
    import os

    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    with pytest.raises(InputError, match="is a symbolic link that leads to no file"):
        read_scenario(tmp_path / "a.toml")
    os.mkfifo(tmp_path / "pipe.toml")
    with pytest.raises(InputError, match="is not a regular file"):
        read_scenario(tmp_path / "pipe.toml")


def test_toml_values_are_shown_as_toml_writes_them(works):
    """Found by fuzzing: ``True is not a firm id`` and ``datetime.date(1979, 5, 27) is not
    a change``: Python's spelling of TOML values."""
    text = "[[shock]]\nfirm = true\nchange = 1979-05-27\n"
    with pytest.raises(InputError) as caught:
        parse_scenario(text)
    messages = " | ".join(problems_of(caught.value))
    assert "true is not a firm id" in messages
    assert "the date 1979-05-27 is not a change" in messages
    assert "True" not in messages and "datetime" not in messages


@pytest.mark.parametrize(
    "text",
    [
        '[[remove_firm]]\nid = "CEM"\n[[shock]]\nfirm = "CEM"\nchange = -0.5\n',
        '[[remove_firm]]\nid = "CEM"\n[[remove_firm]]\nid = "CEM"\n',
        '[[add_firm]]\nid = "NEW"\n[[remove_firm]]\nid = "NEW"\n[[shock]]\nfirm = "NEW"\n'
        "change = -1\n",
    ],
)
def test_a_firm_removed_by_an_earlier_table_is_said_so(works, text):
    """Found by fuzzing: "unknown firm 'CEM'; check the id in firms.csv", when CEM is in
    firms.csv and an earlier table of the scenario removed it."""
    with pytest.raises(InputError) as caught:
        apply_scenario(works, parse_scenario(text))
    (problem,) = caught.value.problems
    assert "was removed by an earlier table of this scenario" in problem.message
    assert "firms.csv" not in problem.hint


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", None),  # tomllib itself recurses
        ("x = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", None),
        ("a" + ".a" * 5000 + " = 1\n", "a"),  # dotted keys: read without recursion
        ("[" + ".".join(["t"] * 3000) + "]\nx = 1\n", "t"),
        ('[[shock]]\nfirm = "SM"\nchange = -1\n' + "b" + ".b" * 3000 + " = 1\n", "shock"),
        ("x = " + "[" * 9 + "]" * 9 + "\n", "x"),  # deeper than a scenario needs
    ],
)
def test_deep_nesting_is_refused_with_a_message(text, key):
    """5,000 levels of nesting used to be an internal RecursionError (exit 1)."""
    with pytest.raises(InputError) as caught:
        parse_scenario(text, file="s.toml")
    problem = caught.value.problems[0]
    assert problem.column == key and "nested" in problem.message and problem.hint
    assert "levels of tables and arrays" in problem.hint
    str(caught.value)  # the message is built without walking the values


def test_nesting_a_scenario_may_have_is_accepted():
    text = 'nested = [[[[[[["x"]]]]]]]\n[[remove_firm]]\nid = "SM"\n'
    with pytest.raises(InputError) as caught:
        parse_scenario(text, file="s.toml")
    assert problems_of(caught.value) == [
        "s.toml:1: nested: unknown table; use add_firm, add_flow, redirect, scale_flow, "
        "scale_material, mark_flow, remove_flow, remove_firm, shock"
    ]


MANY_PROBLEMS = """[[shock]]
firm = 3
change = 2
dimension = "heat"

[[shock]]
firm = "MINEX"
change = -0.5
extra = true

[[add_flow]]
source = 1
target = "NOPE"
material = ["x"]
unit = 5
quantity = "a lot"
bogus = 1
"""


def test_every_problem_of_every_table_is_reported_in_line_order(works, tmp_path):
    """A bad [[shock]] used to hide the problems of the other tables, and only the first
    bad field of a table was reported."""
    path = tmp_path / "s.toml"
    path.write_text(MANY_PROBLEMS, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        compare_scenarios(works, [path])
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (2, "firm"),
        (3, "change"),
        (4, "dimension"),
        (7, "firm"),  # unknown firm: found by applying what is well formed
        (9, "extra"),
        (12, "source"),
        (13, "target"),
        (14, "material"),
        (15, "unit"),
        (16, "quantity"),
        (17, "bogus"),
    ]
    messages = problems_of(caught.value)
    # firm = 3 is the id '3' (as source = 3 in [[add_flow]]), which the network lacks
    assert messages[0] == f"{path}:2: firm: [[shock]] #1: unknown firm '3'; check the id in " + (
        "firms.csv"
    )
    expected = f"{path}:14: material: [[add_flow]] #1: an array of 1 is not a non-empty text"
    assert messages[7].startswith(expected)


def test_a_shock_entry_that_is_not_a_table_hides_no_other(works):
    text = 'shock = [{firm = "SM", change = 2}, 5, {firm = "CEM", change = -1, x = 1}]\n'
    with pytest.raises(InputError) as caught:
        parse_scenario(text, file="s.toml")
    assert [(p.column, p.message) for p in caught.value.problems] == [
        ("change", "[[shock]] #1: 2 is not a change between -1 and 0"),
        ("shock", "[[shock]] #2: 5 is not a table"),
        ("x", "[[shock]] #3: unknown key"),
    ]


def test_a_refused_new_firm_is_still_known_to_the_tables_after_it(works):
    text = """[[add_firm]]
id = "NEW"
role = "castle"

[[add_flow]]
source = "SM"
target = "NEW"
material = "slag"
unit = "t"
quantity = 1
"""
    with pytest.raises(InputError) as caught:
        apply_scenario(works, parse_scenario(text, file="s.toml"))
    assert problems_of(caught.value) == [
        "s.toml:3: role: [[add_firm]] #1: unknown role 'castle'; use firm, recycling, ..."
    ]


# ---------------------------------------------------------------------- applying and comparing


def test_redirect_to_a_recycler_raises_the_reuse_share(works):
    scenario = parse_scenario(
        '[[redirect]]\nsource = "SM"\ntarget = "LF"\nmaterial = "slag"\nto = "BM"\n',
        file="bm.toml",
    )
    comparison = compare_scenarios(works, [scenario])
    before, after = comparison.before, comparison.results[0].after
    assert before.value("mass", "reuse_share") == pytest.approx(30 / 51)
    assert after.value("mass", "reuse_share") == pytest.approx(50 / 51)
    assert before.value("mass", "disposed") == 20 and after.value("mass", "disposed") == 0
    assert after.value("all", "actors") == before.value("all", "actors") + 1  # BM joins in
    frame = comparison.to_frame()
    assert frame.loc[("mass", "reuse_share"), "bm change"] == pytest.approx(20 / 51)
    assert comparison.results[0].opened == comparison.results[0].closed == ()


def test_loops_opened_and_closed(works):
    closing = parse_scenario(
        "[[add_flow]]\nsource = 'CEM'\ntarget = 'BM'\nmaterial = 'dust'\nquantity = 1\n"
        "unit = 't'\n\n[[add_flow]]\nsource = 'BM'\ntarget = 'SM'\nmaterial = 'flux'\n"
        "quantity = 1\nunit = 't'\ncategory = 'product'\n",
        file="close.toml",
    )
    opening = parse_scenario(
        "[[remove_flow]]\nsource = 'CEM'\ntarget = 'SM'\nmaterial = 'limestone'\n",
        file="open.toml",
    )
    comparison = compare_scenarios(works, [closing, opening])
    closed, opened = comparison.results
    # each written from its actor that comes first in firms.csv (SM, CEM, BM), as
    # symbiosis loops writes it
    assert closed.closed == (("SM", "CEM", "BM"),) and closed.opened == ()
    assert opened.opened == (("SM", "CEM"),) and opened.closed == ()
    assert opened.after.value("all", "cyclicity") == 0
    assert list(comparison.to_frame().columns) == [
        "unit",
        "before",
        "close",
        "close change",
        "open",
        "open change",
    ]


def test_a_shock_in_a_scenario_is_propagated_after_the_edits(works):
    # SM: x = 105 (ore 100 + limestone 5); CEM: x = 45 (slag 30 + 15 unrecorded).
    # The mine stops: s_SM = 5 s_CEM / 105, s_CEM = (15 + 30 s_SM) / 45
    # => s_SM = 75 / 4575.
    s_sm = 75 / 4575
    text = "model = 'proportional'\n[[shock]]\nfirm = 'MINE'\nchange = -1\n"
    scenario = parse_scenario(text, file="mine.toml")
    after = apply_scenario(works, scenario)
    flows = after.flows.set_index(["source", "target", "material"])["value"]
    assert ("MINE", "SM", "ore") not in flows.index  # stopped flows are removed
    assert flows[("SM", "LF", "slag")] == pytest.approx(20 * s_sm)
    assert flows[("CEM", "SM", "limestone")] == pytest.approx(5 * (15 + 30 * s_sm) / 45)
    # the Leontief model (the default): without its ore the smelter stops and buys no
    # limestone; the cement works loses its slag, a by-product but its main feed (30 of
    # its 45 t throughflow, over half): it stops too (it kept a third of its cement when
    # every by-product counted by its share)
    leontief = apply_scenario(works, parse_scenario(text.split("\n", 1)[1], file="m.toml"))
    assert not leontief.flows["source"].isin(["SM", "CEM"]).any()
    # the edits come first: a firm added by the scenario can be shocked in it
    both = parse_scenario(
        "[[shock]]\nfirm = 'NEW'\nchange = -1\n\n[[add_firm]]\nid = 'NEW'\n\n"
        "[[add_flow]]\nsource = 'NEW'\ntarget = 'CEM'\nmaterial = 'ash'\nquantity = 9\n"
        "unit = 't'\n",
        file="both.toml",
    )
    assert "NEW" not in apply_scenario(works, both).flows["source"].tolist()


@pytest.fixture(scope="module")
def smelter_park() -> FlowNetwork:
    """tester-whatif's n1: a smelter in a mass loop (slag to cement, kiln dust to the
    recycler, scrap back) and an energy loop with the power plant."""
    return network_of(
        [("MINE", "SM", "copper ore", 1000, "t", "product"),
         ("IMP", "SM", "coke", 200, "t", "product"),
         ("SM", "MKT", "copper cathode", 300, "t", "product"),
         ("SM", "CEM", "copper slag", 400, "t", "by-product"),
         ("SM", "LF", "copper slag", 100, "t", "waste"),
         ("SM", "AIR", "carbon dioxide", 500, "t", "emission"),
         ("CEM", "REC", "kiln dust", 50, "t", "waste"),
         ("CEM", "MKT", "cement", 500, "t", "product"),
         ("CEM", "BRK", "cement", 100, "t", "product"),
         ("BRK", "MKT", "bricks", 100, "t", "product"),
         ("IMP", "REC", "scrap", 120, "t", "waste"),
         ("REC", "SM", "scrap", 150, "t", "by-product"),
         ("REC", "LF", "recycling residue", 20, "t", "waste"),
         ("IMP", "PWR", "coal", 5000, "GJ", "product"),
         ("PWR", "SM", "electricity", 1000, "GJ", "product"),
         ("PWR", "CEM", "electricity", 500, "GJ", "product"),
         ("SM", "PWR", "waste heat", 300, "GJ", "by-product"),
         ("PWR", "AIR", "stack heat", 3800, "GJ", "emission")],
        {"MINE": "mine", "SM": "firm", "CEM": "firm", "REC": "recycling", "PWR": "utility",
         "BRK": "firm", "IMP": "market", "MKT": "market", "LF": "landfill", "AIR": "air"},
    )  # fmt: skip


def _shocks(*tables: tuple[str, float, str | None], model: str = "leontief") -> str:
    text = f'model = "{model}"\n'
    for firm, change, dimension in tables:
        text += f'[[shock]]\nfirm = "{firm}"\nchange = {change}\n'
        text += f'dimension = "{dimension}"\n' if dimension else ""
    return text


@pytest.mark.parametrize("model", ["leontief", "proportional"])
def test_shocks_of_different_dimensions_hit_at_once_whatever_their_order(smelter_park, model):
    """tester-whatif item 1: the [[shock]]s of each dimension key were propagated one
    after the other on the network the previous group had shocked: SM -0.3 in mass and
    -0.3 in every dimension cut its mass output by 51 %, not 60 %, and two tables in the
    other order gave other numbers. Now one combined shock per dimension, one
    propagation: the changes that apply to a dimension add up."""

    def values(text: str) -> dict[str, float]:
        after = apply_scenario(smelter_park, parse_scenario(text, file="s.toml"))
        table = indicators(after).table
        rows = table[["dimension", "indicator", "value"]].values  # undefined ones left out
        return {f"{d} {i}": v for d, i, v in rows if v is not None}

    mixed = values(_shocks(("SM", -0.3, "mass"), ("SM", -0.3, None), model=model))
    assert mixed == values(_shocks(("SM", -0.3, None), ("SM", -0.3, "mass"), model=model))
    # the mass cap is 0.4 and the energy cap 0.7, as if given so
    given_so = values(_shocks(("SM", -0.6, "mass"), ("SM", -0.3, "energy"), model=model))
    assert mixed == pytest.approx(given_so, rel=1e-12)
    two = [("MINE", -0.5, "mass"), ("REC", -0.4, None)]
    assert values(_shocks(*two, model=model)) == values(_shocks(*two[::-1], model=model))
    # neither firm sends energy: the same as the two without a dimension
    plain = values(_shocks(("MINE", -0.5, None), ("REC", -0.4, None), model=model))
    assert values(_shocks(*two, model=model)) == pytest.approx(plain, rel=1e-12)
    if model == "proportional":  # the tester's hand computation
        # s_SM = 0.4 (1000 + 200 + 150 s_REC) / 1350, s_CEM = (250 + 400 s_SM) / 650,
        # s_REC = (120 + 50 s_CEM) / 170: generated = 1000 s_SM + 50 s_CEM + 60 + 20 s_REC
        assert mixed["mass generated"] == pytest.approx(504.3335, abs=1e-4)
        assert mixed["mass total_system_throughflow"] == pytest.approx(1562.22, abs=1e-2)
        assert plain["mass generated"] == pytest.approx(704.3671, abs=1e-4)
    else:  # the smelter runs at its ore's 0.5 (every output); of its 250 t of slag the
        # cement works gets 250 (internal-first: the landfill's 100 t go first); the slag
        # is its main feed (400 of its 650 t throughflow), so it runs at 250 / 400;
        # the recycler is capped at 0.6 and takes 0.6 of its kiln dust (the imported
        # scrap, 120 of its 170 t, is its main feed, all still there)
        cement = 250 / 400
        dust = 50 * min(cement, 0.6)
        # generated: the smelter's 1000 t x 0.5, the kiln dust, the scrap the smelter
        # still takes (150 x 0.6, of which it uses 0.5 / 0.6) and the recycler's residue
        assert plain["mass generated"] == pytest.approx(500 + dust + 75 + 12)


def test_a_dimension_removed_entirely_shows_zeros_not_dashes(smelter_park):
    """tester-whatif item 5: removing the power plant removes every energy flow; the
    indicators after had no energy rows (JSON: no "energy" key), so every energy cell
    and change showed "-". Its quantities and counts are 0 after; its shares undefined."""
    removed = parse_scenario('[[remove_firm]]\nid = "PWR"\n', file="no_power.toml")
    stopped = parse_scenario('[[shock]]\nfirm = "PWR"\nchange = -1\n', file="stopped.toml")
    comparison = compare_scenarios(smelter_park, [removed, stopped])
    table = comparison.to_frame()
    for name in ("no_power", "stopped"):
        energy = table.xs("energy", level="dimension")
        assert energy.loc["generated", name] == 0.0
        assert energy.loc["generated", f"{name} change"] == -4100.0  # 300 heat + 3800 stack
        assert energy.loc["total_system_throughflow", f"{name} change"] == -6800.0
        assert energy.loc["loops", name] == 0 and energy.loc["loops", f"{name} change"] == -1
        assert energy.loc["cyclicity", name] == 0.0
        assert energy.loc["reuse_share", name] is None  # 0 / 0
    data = comparison.to_dict()
    assert data["scenarios"][0]["after"]["values"]["energy"]["generated"] == 0.0
    assert data["changes"]["no_power"]["energy"]["loops"] == -1


def test_removing_a_mine_that_leaves_its_customer_producing_from_nothing_is_warned():
    """tester-cities item 10: [[remove_firm]] of a mine left the concentrator shipping its
    concentrate with no input at all (in mass; its power still came), silently, and the
    reuse share rose. A closure is a shock of -1: the warning says so."""
    network = network_of(
        [("MINE", "CONC", "ore", 100, "t", "product"),
         ("GRID", "CONC", "electricity", 5, "GJ", "product"),
         ("CONC", "MKT", "concentrate", 30, "t", "product"),
         ("CONC", "LF", "tailings", 70, "t", "waste"),
         ("IMP", "SM", "concentrate", 10, "t", "product"),
         ("MINE", "SM", "ore", 1, "t", "product"),
         ("SM", "MKT", "metal", 11, "t", "product")],
        {"MINE": "mine", "CONC": "firm", "SM": "firm", "GRID": "market", "IMP": "market",
         "MKT": "market", "LF": "landfill"},
    )  # fmt: skip
    text = 'title = "mine closed"\n\n[[remove_firm]]\nid = "MINE"\n'
    with pytest.warns(SymbiosisWarning) as caught:
        apply_scenario(network, parse_scenario(text, file="closed.toml"))
    (message,) = [str(w.message) for w in caught]
    assert message == (
        "closed.toml:4: id: [[remove_firm]] #1: removing 'MINE' leaves 'CONC' (mass) with "
        "outputs but no recorded input in that dimension: it produces from nothing; to close "
        "'MINE' and follow the loss downstream, write [[shock]] firm = \"MINE\" change = -1 "
        "instead"
    )  # SM still has its imported concentrate: not named
    comparison = compare_scenarios(network, [parse_scenario(text, file="closed.toml")])
    assert comparison.warnings == (message,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a removal that orphans nobody: no warning
        apply_scenario(network, parse_scenario('[[remove_firm]]\nid = "SM"\n', file="s.toml"))


def test_a_shock_names_a_firm_by_a_number_as_the_edits_do():
    """firms.csv's 101 is the id '101': ``firm = 101`` in [[shock]] is read so, as
    ``source = 101`` in [[add_flow]] is (it was refused as 'not a firm id')."""
    network = network_of(
        [("101", "202", "slag", 30, "t", "by-product"), ("202", "LF", "slag", 20, "t", "waste")],
        {"101": "firm", "202": "firm", "LF": "landfill"},
    )
    scenario = parse_scenario("[[shock]]\nfirm = 101\nchange = -1\n", file="n.toml")
    assert [shock.firm for shock in scenario.shocks] == ["101"]
    assert "101" not in apply_scenario(network, scenario).flows["source"].tolist()


def test_scenario_names_must_differ(works):
    scenario = parse_scenario("[[remove_firm]]\nid = 'BM'\n", file="a/x.toml")
    twin = parse_scenario("[[remove_firm]]\nid = 'BM'\n", file="b/x.toml")
    with pytest.raises(InputError, match="two scenarios are named x"):
        compare_scenarios(works, [scenario, twin])


def test_comparison_serialises_to_strict_json(works):
    import json

    scenario = parse_scenario("[[remove_firm]]\nid = 'CEM'\n", file="cem.toml")
    data = compare_scenarios(works, [scenario]).to_dict()
    text = json.dumps(data, allow_nan=False)
    assert data["scenarios"][0]["loops_opened"] == [["SM", "CEM"]]
    assert data["changes"]["cem"]["all"]["loops"] == -1
    assert '"reuse_share"' in text


# ---------------------------------------------------------------------- reversibility


@st.composite
def networks_and_a_stream(draw):
    n = draw(st.integers(3, 6))
    actors = [f"F{i}" for i in range(n)]
    rows = [("MKT", a, "input", draw(st.integers(1, 100)), "t", "product") for a in actors]
    pairs = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), min_size=1, max_size=8)
    )
    for k, (i, j) in enumerate(pairs):
        if i != j:
            category = draw(st.sampled_from(["product", "by-product", "waste"]))
            rows.append((actors[i], actors[j], f"m{k}", draw(st.integers(1, 100)), "t", category))
    for k, a in enumerate(actors):
        rows.append((a, "LF", f"residue{k}", draw(st.integers(1, 30)), "t", "waste"))
    roles = dict.fromkeys(actors, "firm") | {"MKT": "market", "LF": "landfill"}
    network = network_of(rows, roles)
    residual = [r for r in rows if r[0] in actors and r[2].startswith("residue")]
    source, target, material, *_ = draw(st.sampled_from(residual))
    to = draw(st.sampled_from([a for a in actors if a != source]))
    factor = draw(st.sampled_from([0.25, 0.5, 2.0, 3.0]))
    return network, (source, target, material, to, factor)


def assert_same_indicators(a, b):
    merged = a.table.merge(b.table, on=["dimension", "indicator"], suffixes=("_a", "_b"))
    assert len(merged) == len(a.table) == len(b.table)
    for x, y in zip(merged["value_a"], merged["value_b"], strict=True):
        if x is None or (isinstance(x, float) and math.isnan(x)):
            assert y is None or (isinstance(y, float) and math.isnan(y))
        else:
            assert y == pytest.approx(x, rel=1e-9, abs=1e-12)
    assert a.loops == b.loops


@settings(max_examples=15, deadline=None)
@given(networks_and_a_stream())
def test_applying_then_reversing_an_edit_restores_the_indicators(case):
    network, (source, target, material, to, factor) = case
    before = indicators(network)
    moved = ed.apply(network, [ed.RedirectFlow(source, target, material, to=to)])
    back = ed.apply(moved, [ed.RedirectFlow(source, to, material, to=target)])
    assert_same_indicators(before, indicators(back))
    scaled = ed.apply(network, [ed.ScaleFlow(source, target, material, factor=factor)])
    unscaled = ed.apply(scaled, [ed.ScaleFlow(source, target, material, factor=1 / factor)])
    assert_same_indicators(before, indicators(unscaled))
    added = ed.apply(
        network,
        [
            ed.AddFirm("X"),
            ed.AddFlow(to, "X", "m-new", "t", quantity=5.0),
            ed.AddFlow("X", source, "m-back", "t", quantity=5.0),
        ],
    )
    removed = ed.apply(added, [ed.RemoveFirm("X")])
    assert_same_indicators(before, indicators(removed))


# ---------------------------------------------------------------------- Tongling and opportunities


@pytest.fixture(scope="module")
def tongling():
    return symbiosis.load(EXAMPLE)


@pytest.fixture(scope="module")
def tongling_comparison(tongling):
    files = sorted((EXAMPLE / "scenarios").glob("*.toml"))
    assert {f.stem for f in files} >= {
        "dongguashan_exhausted",
        "build_top_opportunities",
        "jinlong_closed",
    }
    return compare_scenarios(tongling, [read_scenario(f) for f in files])


def test_tongling_scenarios_run_and_move_the_indicators_the_right_way(tongling_comparison):
    results = {r.name: r for r in tongling_comparison.results}
    before = tongling_comparison.before
    mine = results["dongguashan_exhausted"].after
    assert mine.value("mass", "extraction_dependence") < before.value(
        "mass", "extraction_dependence"
    )
    assert mine.value("mass", "reuse_share") < before.value("mass", "reuse_share")
    smelter = results["jinlong_closed"]
    assert set(smelter.opened) == {
        ("JG", "SLAGC", "JL", "ROD"),
        ("JG", "SLAGC", "JL", "ROD", "RCP"),
        ("JL", "SLAGC"),
    }
    assert smelter.after.value("all", "loops") == before.value("all", "loops") - 3
    built = results["build_top_opportunities"].after
    assert built.value("mass", "disposed") == 0
    assert built.value("mass", "reused") == pytest.approx(
        before.value("mass", "reused") + before.value("mass", "disposed")
    )


def test_opportunities_written_as_a_scenario_apply_with_the_same_impact(tongling, tmp_path):
    from symbiosis.analysis.opportunities import find_opportunities

    found = find_opportunities(tongling, top=4)
    path = tmp_path / "opportunities.toml"
    path.write_text(found.to_toml(), encoding="utf-8")
    scenario = read_scenario(path)
    assert len(scenario.edits) == len(found.edits())
    comparison = compare_networks(tongling, {"built": apply_scenario(tongling, scenario)})
    after = comparison.results[0].after
    for dimension, (_, share) in found.cumulative.impact.reuse_share.items():
        assert after.value(dimension, "reuse_share") == pytest.approx(share)


def test_scenarios_md_quotes_the_computed_figures(tongling_comparison):
    """examples/tongling/SCENARIOS.md explains these numbers: it must show the current ones."""
    text = (EXAMPLE / "SCENARIOS.md").read_text(encoding="utf-8")
    results = {r.name: r.after for r in tongling_comparison.results}
    before = tongling_comparison.before
    order = ["dongguashan_exhausted", "jinlong_closed", "build_top_opportunities"]
    for indicator in ("reuse_share", "extraction_dependence", "utilization_rate"):
        start = f"{100 * before.value('mass', indicator):.1f} %"
        cells = [f"{100 * results[n].value('mass', indicator):.1f} %" for n in order]
        row = next(
            line
            for line in text.splitlines()
            if line.startswith(f"| {indicator.replace('_', ' ')} |")
        )
        assert start in row and all(cell in row for cell in cells), (row, cells)
    for quantity in ("reused", "disposed"):
        cells = [f"{round(results[n].value('mass', quantity)):,}" for n in order]
        assert all(cell in text for cell in cells), cells


def test_comparing_networks_leaves_no_pass_cached_on_them():
    """Each network's indicators run on an uncached copy: however many scenarios, no
    network keeps what its passes computed (only one network's passes held at a time),
    and the indicators are those of the network itself."""
    from symbiosis import load
    from symbiosis.analysis.indicators import compare_networks, indicators
    from symbiosis.examples import example_path

    before = load(example_path("tongling"))
    after = before.with_tables()
    assert before.core._cache == {} and after.core._cache == {}  # built, nothing derived
    comparison = compare_networks(before, {"same": after})
    assert before.core._cache == {} and after.core._cache == {}
    assert comparison.before.table.equals(indicators(load(example_path("tongling"))).table)
    assert comparison.results[0].after.table.equals(comparison.before.table)


def test_one_scenario_file_is_one_scenario(works, tmp_path):
    """Found by fuzzing: compare_scenarios(network, "plan.toml") read each character as a
    file ("s: no such file ... and 17 more problems"), and apply_scenario(network, path)
    raised AttributeError."""
    plan = tmp_path / "plan.toml"
    plan.write_text('[[scale_material]]\nmaterial = "slag"\nfactor = 0.5\n', encoding="utf-8")
    parsed = read_scenario(plan)
    for path in (str(plan), plan):
        one = compare_scenarios(works, path).to_dict()
        assert one == compare_scenarios(works, [parsed]).to_dict()
        applied = apply_scenario(works, path)
        assert applied.flows.equals(apply_scenario(works, parsed).flows)
    with pytest.raises(InputError, match="no such file"):
        apply_scenario(works, tmp_path / "missing.toml")


def test_a_shock_with_a_bad_change_still_has_its_firm_checked(works, tmp_path):
    """Found by fuzzing: a [[shock]] of an unknown firm and a change of 0.5 reported the
    change only; the unknown firm came out once the change was fixed."""
    plan = tmp_path / "plan.toml"
    plan.write_text('[[shock]]\nfirm = "NOPE"\nchange = 0.5\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        compare_scenarios(works, [plan])
    located = [(p.row, p.column) for p in caught.value.problems]
    assert located == [(2, "firm"), (3, "change")]
    assert "unknown firm 'NOPE'" in caught.value.problems[0].message


def test_problems_of_inline_arrays_keep_their_key_s_line(works):
    """Found by fuzzing: ``redirect = [{...}]`` gave problems found against the network
    without a line (those found in the file alone had one)."""
    text = (
        'title = "inline"\n'
        "\n"
        'redirect = [{source = "SM", target = "LF", material = "slag", to = "CEMX"}]\n'
        'shock = [{firm = "SM", change = -0.5}, {firm = "NOPE", change = -0.5}]\n'
    )
    with pytest.raises(InputError) as caught:
        apply_scenario(works, parse_scenario(text, file="inline.toml"))
    located = sorted((p.row, p.column) for p in caught.value.problems)
    assert located == [(3, "to"), (4, "firm")]


def test_a_shock_that_changes_nothing_is_warned_about(works, tmp_path):
    """Found by fuzzing: a shock on a landfill, or in a dimension the firm sends nothing
    in, passed without a word and changed nothing."""
    idle = tmp_path / "idle.toml"
    idle.write_text(
        '[[shock]]\nfirm = "LF"\nchange = -0.5\n'
        '[[shock]]\nfirm = "BM"\nchange = -0.5\ndimension = "mass"\n'
        '[[shock]]\nfirm = "CEM"\nchange = -0.5\n',  # sends cement: not idle
        encoding="utf-8",
    )
    comparison = compare_scenarios(works, [idle])
    assert comparison.warnings[:2] == (
        f"{idle}:2: firm: [[shock]] #1: 'LF' sends no flow of known size in any dimension: "
        "the shock changes nothing",
        f"{idle}:5: firm: [[shock]] #2: 'BM' sends no flow of known size in mass: the "
        "shock changes nothing",
    )
    # and the smelter, limited by 5 t of limestone among its 105 t: a minor necessary input
    assert len(comparison.warnings) == 3
    assert comparison.warnings[2].startswith(
        f"{idle}:1: [[shock]]: 'SM' keeps 50.0 % of its output, limited by limestone, 4.8 %"
    )
    with pytest.warns(symbiosis.errors.SymbiosisWarning, match="'LF' sends no flow"):
        apply_scenario(works, idle)
    plain = tmp_path / "plain.toml"
    plain.write_text('[[shock]]\nfirm = "SM"\nchange = -0.5\n', encoding="utf-8")
    assert compare_scenarios(works, [plain]).warnings == ()


def test_a_scaling_that_changes_nothing_is_warned_about(tmp_path):
    """A scale_flow or scale_material of links of unknown size only left the scenario
    unchanged without a word (NaN times any factor is NaN): now a warning at its line."""
    network = network_of(
        [
            ("MINE", "SM", "ore", 100, "t", "product"),
            ("SM", "CEM", "slag", None, "t", "by-product"),
            ("SM", "LF", "dust", None, "t", "waste"),
            ("CEM", "LF", "dust", None, "t", "waste"),
            ("SM", "MKT", "metal", 50, "t", "product"),
        ],
        {"MINE": "mine", "SM": "firm", "CEM": "firm", "MKT": "market", "LF": "landfill"},
    )
    idle = tmp_path / "idle.toml"
    idle.write_text(
        '[[scale_flow]]\nsource = "SM"\ntarget = "CEM"\nmaterial = "slag"\nfactor = 2\n'
        '[[scale_flow]]\nsource = "SM"\ntarget = "MKT"\nmaterial = "metal"\nfactor = 2\n'
        '[[scale_material]]\nmaterial = "dust"\nfactor = 0.5\n',
        encoding="utf-8",
    )
    comparison = compare_scenarios(network, [idle])
    hint = "give the flow a quantity in flows.csv, or drop this table"
    assert comparison.warnings == (
        f"{idle}:5: factor: [[scale_flow]] #1: the flow has no known quantity: scaling "
        f"changes nothing; {hint}",
        f"{idle}:13: factor: [[scale_material]] #1: none of its 2 flows has a known "
        f"quantity: scaling changes nothing; {hint}",
    )
    with pytest.warns(symbiosis.errors.SymbiosisWarning, match="scaling changes nothing"):
        apply_scenario(network, idle)
    plain = tmp_path / "plain.toml"
    plain.write_text('[[scale_material]]\nmaterial = "metal"\nfactor = 2\n', encoding="utf-8")
    assert compare_scenarios(network, [plain]).warnings == ()


@pytest.mark.parametrize("folder", ["examples/tongling", "benchmarks/parks/kalundborg"])
def test_the_reuse_share_by_count_is_an_indicator_of_the_whole_network(folder):
    """The one reuse figure of a park without tonnages, in the comparison of scenarios,
    shocks, compare and trends: reuse's own count, here recounted from the flows."""
    from symbiosis.analysis.indicators import indicators
    from symbiosis.vocabulary import RESIDUAL_CATEGORIES

    network = symbiosis.load(Path(__file__).parents[1] / folder)
    flows, roles = network.flows, network.firms["role"]
    residual = flows["category"].isin(RESIDUAL_CATEGORIES) & network.source_is_actor
    target_role = roles.reindex(flows["target"]).to_numpy()
    reused = (
        residual
        & network.target_is_actor
        & ~pd.Series(target_role, index=flows.index).isin(["treatment"])
    )
    expected = reused.sum() / residual.sum()
    value = indicators(network).value("all", "reuse_share_by_count")
    assert value == pytest.approx(expected, rel=1e-12)


def test_apply_scenario_says_its_problems_in_line_order(works):
    """Edits apply table by table (remove_firm after scale_flow): their problems are
    still said in the order of the file's lines, as compare_scenarios says them."""
    text = (
        '[[remove_firm]]\nid = "ZZ"\n'
        '[[scale_flow]]\nsource = "SM"\ntarget = "CEM"\nmaterial = "no such"\nfactor = 2\n'
    )
    with pytest.raises(InputError) as caught:
        apply_scenario(works, parse_scenario(text, file="y.toml"))
    rows = [p.row for p in caught.value.problems]
    assert rows == sorted(rows) and len(rows) == 2, problems_of(caught.value)


def test_edits_and_shocks_that_change_nothing_are_warned_about_in_line_order(works, tmp_path):
    """A tester's scenario passed without a word: a redirect to the flow's own target, a
    flow added between two boundary nodes (outside the system), a shock of -1e-400 (-0.0)."""
    idle = tmp_path / "idle.toml"
    idle.write_text(
        '[[redirect]]\nsource = "SM"\ntarget = "LF"\nmaterial = "slag"\nto = "LF"\n'
        '[[add_flow]]\nsource = "MKT"\ntarget = "LF"\nmaterial = "x"\nquantity = 1\n'
        'unit = "t"\n'
        '[[shock]]\nfirm = "SM"\nchange = -1e-400\n',
        encoding="utf-8",
    )
    warned = compare_scenarios(works, [idle]).warnings
    assert [w.split(": ", 2)[:2] for w in warned] == [
        [f"{idle}:5", "to"],
        [f"{idle}:8", "target"],
        [f"{idle}:14", "change"],
    ], warned
    assert "already goes to 'LF'" in warned[0] and "two boundary nodes" in warned[1]
    assert "a change of 0 changes nothing" in warned[2]
    redirect = tmp_path / "recategorised.toml"  # the same target, another category: a change
    redirect.write_text(
        '[[redirect]]\nsource = "SM"\ntarget = "LF"\nmaterial = "slag"\nto = "LF"\n'
        'category = "by-product"\n',
        encoding="utf-8",
    )
    assert compare_scenarios(works, [redirect]).warnings == ()


def test_a_chain_extension_moves_the_chain_depth_and_the_sectors(tmp_path):
    """A tester's what-if (a plant added downstream) showed no structure indicator: chain
    depth and the sectors' diversity are headline indicators. Mine (stage 1) -> smelter
    (2) sells cathode; a rod mill taking the cathode sells at stage 3."""
    firms = pd.DataFrame({"id": ["MINE", "SM", "MKT"], "role": ["mine", "firm", "market"],
                          "sector": ["copper mining", "copper smelting", ""]})  # fmt: skip
    flows = pd.DataFrame(
        [("MINE", "SM", "ore", 100, "t", "product"), ("SM", "MKT", "cathode", 30, "t", "product")],
        columns=COLUMNS,
    )
    network = from_frames(firms, flows)
    plan = tmp_path / "rod.toml"
    plan.write_text(
        '[[add_firm]]\nid = "ROD"\nsector = "copper rod"\n'
        '[[redirect]]\nsource = "SM"\ntarget = "MKT"\nmaterial = "cathode"\nto = "ROD"\n'
        '[[add_flow]]\nsource = "ROD"\ntarget = "MKT"\nmaterial = "rod"\nquantity = 30\n'
        'unit = "t"\ncategory = "product"\n',
        encoding="utf-8",
    )
    comparison = compare_scenarios(network, [plan])
    changes = comparison.to_dict()["changes"]["rod"]
    assert changes["all"]["chain_depth_longest"] == 1
    assert changes["mass"]["chain_depth_mean"] == pytest.approx(1.0)  # 2 -> 3
    assert changes["mass"]["effective_sectors"] > 0  # a third sector with throughflow
    table = comparison.to_frame()
    assert table.loc[("mass", "chain_depth_mean"), "unit"] == ""
